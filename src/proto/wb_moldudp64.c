/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_moldudp64.h"

#include "wb_compiler.h"

int
wb_mold_parse(const uint8_t *buf, size_t len, struct wb_mold_pkt *pkt)
{
	const uint8_t *p, *end;
	unsigned int i;

	if (wb_unlikely(len < WB_MOLD_HDR_LEN))
		return WB_PROTO_TRUNCATED;
	pkt->session = buf;
	pkt->seq = wb_be64(buf + 10);
	pkt->count = wb_be16(buf + 18);
	pkt->blocks = buf + WB_MOLD_HDR_LEN;
	pkt->end = buf + len;
	pkt->nmsgs = 0;
	if (pkt->count == 0 || pkt->count == WB_MOLD_END_OF_SESSION)
		return len == WB_MOLD_HDR_LEN ? (int)len : WB_PROTO_MALFORMED;

	p = pkt->blocks;
	end = pkt->end;
	for (i = 0; i < pkt->count; i++) {
		uint16_t l;

		if (wb_unlikely((size_t)(end - p) < 2))
			return WB_PROTO_TRUNCATED;
		l = wb_be16(p);
		if (wb_unlikely(l == 0))
			return WB_PROTO_MALFORMED;
		if (wb_unlikely((size_t)(end - p) - 2 < l))
			return WB_PROTO_TRUNCATED;
		p += 2u + l;
	}
	if (wb_unlikely(p != end))
		return WB_PROTO_MALFORMED;
	pkt->nmsgs = pkt->count;
	return (int)len;
}

void
wb_mold_put_hdr(uint8_t *out, const uint8_t session[WB_MOLD_SESSION_LEN], uint64_t seq,
		uint16_t count)
{
	memcpy(out, session, WB_MOLD_SESSION_LEN);
	wb_put_be64(out + 10, seq);
	wb_put_be16(out + 18, count);
}

static int
wb_mold_req_valid(uint64_t seq, uint16_t count)
{
	if (count == 0 || count == WB_MOLD_END_OF_SESSION || seq == 0)
		return 0;
	return seq <= UINT64_MAX - count;
}

int
wb_mold_req_parse(const uint8_t *buf, size_t len, struct wb_mold_req *req)
{
	if (len < WB_MOLD_REQ_LEN)
		return WB_PROTO_TRUNCATED;
	if (len != WB_MOLD_REQ_LEN)
		return WB_PROTO_MALFORMED;
	req->session = buf;
	req->seq = wb_be64(buf + 10);
	req->count = wb_be16(buf + 18);
	if (!wb_mold_req_valid(req->seq, req->count))
		return WB_PROTO_MALFORMED;
	return WB_MOLD_REQ_LEN;
}

int
wb_mold_req_put(uint8_t *out, size_t cap, const uint8_t session[WB_MOLD_SESSION_LEN],
		uint64_t seq, uint16_t count)
{
	if (cap < WB_MOLD_REQ_LEN)
		return WB_PROTO_TRUNCATED;
	if (!wb_mold_req_valid(seq, count))
		return WB_PROTO_MALFORMED;
	wb_mold_put_hdr(out, session, seq, count);
	return WB_MOLD_REQ_LEN;
}
