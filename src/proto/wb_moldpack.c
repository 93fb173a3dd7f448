/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_moldpack.h"

#include <errno.h>
#include <string.h>

#include "wb_compiler.h"
#include "wb_itch50.h"

void
wb_moldpack_init(struct wb_moldpack *p, const char *session, size_t max_payload,
		 uint64_t first_seq)
{
	size_t l = strlen(session);

	memset(p->session, ' ', sizeof(p->session));
	memcpy(p->session, session, l < WB_MOLD_SESSION_LEN ? l : WB_MOLD_SESSION_LEN);
	if (max_payload < WB_MOLD_HDR_LEN + 2 + WB_ITCH_MAX_MSG_LEN)
		max_payload = WB_MOLD_HDR_LEN + 2 + WB_ITCH_MAX_MSG_LEN;
	if (max_payload > WB_MOLDPACK_MAX_PAYLOAD)
		max_payload = WB_MOLDPACK_MAX_PAYLOAD;
	p->max = max_payload;
	p->seq = first_seq;
	p->used = WB_MOLD_HDR_LEN;
	p->count = 0;
	p->first_ts = p->last_ts = UINT64_MAX;
}

int
wb_moldpack_add(struct wb_moldpack *p, const uint8_t *msg, size_t len)
{
	if (WB_MOLD_HDR_LEN + 2 + len > p->max)
		return -EMSGSIZE;
	if (p->used + 2 + len > p->max || p->count == 0xFFFEu)
		return 0;
	wb_put_be16(p->buf + p->used, (uint16_t)len);
	memcpy(p->buf + p->used + 2, msg, len);
	p->used += 2 + len;
	p->last_ts = wb_itch_msg_ts(msg, len);
	if (p->count++ == 0)
		p->first_ts = p->last_ts;
	return 1;
}

size_t
wb_moldpack_flush(struct wb_moldpack *p, const uint8_t **out)
{
	size_t n = p->used;

	wb_mold_put_hdr(p->buf, p->session, p->seq, p->count);
	*out = p->buf;
	p->seq += p->count;
	p->used = WB_MOLD_HDR_LEN;
	p->count = 0;
	return n;
}

uint64_t
wb_mold_first_ts(const uint8_t *payload, size_t len)
{
	struct wb_mold_pkt pkt;
	struct wb_mold_iter it;
	const uint8_t *m;
	uint16_t l;

	if (wb_mold_parse(payload, len, &pkt) < 0)
		return UINT64_MAX;
	wb_mold_iter_init(&it, &pkt);
	if (wb_mold_iter_next(&it, &m, &l) != 1)
		return UINT64_MAX;
	return wb_itch_msg_ts(m, l);
}
