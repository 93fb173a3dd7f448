/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MoldUDP64 downstream packets:
 *   session[10] | sequence u64 BE | count u16 BE | count x (len u16 BE | msg[len])
 * count 0 is a heartbeat, count 0xFFFF is end of session (no blocks follow).
 *
 * wb_mold_parse() validates the whole datagram before anything is handed on:
 * every block length is checked against the datagram and the blocks must end
 * exactly at its end, so a packet is applied whole or not at all.
 *
 * MoldUDP64 request packets (receiver -> the feed's request server):
 *   session[10] | first sequence u64 BE | message count u16 BE   (20 bytes)
 * The server answers with ordinary downstream packets, sent unicast to the
 * requester's address and source port.
 */
#ifndef WB_MOLDUDP64_H
#define WB_MOLDUDP64_H

#include <stddef.h>
#include <stdint.h>

#include "wb_proto.h"

#define WB_MOLD_SESSION_LEN 10
#define WB_MOLD_HDR_LEN 20
#define WB_MOLD_END_OF_SESSION 0xFFFFu

struct wb_mold_pkt {
	const uint8_t *session; /* 10 bytes, points into the datagram */
	uint64_t seq;           /* sequence number of the first message */
	uint16_t count;         /* raw count field (0 heartbeat, 0xFFFF end) */
	uint16_t nmsgs;         /* message blocks present (0 for heartbeat/end) */
	const uint8_t *blocks;  /* first block (its length prefix) */
	const uint8_t *end;     /* end of the datagram */
};

/*
 * Parses and validates a datagram. Returns len on success,
 * WB_PROTO_TRUNCATED if the header or a block runs past len,
 * WB_PROTO_MALFORMED for a zero-length block or bytes left after the blocks.
 */
int wb_mold_parse(const uint8_t *buf, size_t len, struct wb_mold_pkt *pkt);

static inline int
wb_mold_is_heartbeat(const struct wb_mold_pkt *pkt)
{
	return pkt->count == 0;
}

static inline int
wb_mold_is_end(const struct wb_mold_pkt *pkt)
{
	return pkt->count == WB_MOLD_END_OF_SESSION;
}

/* Iterates the blocks of a packet that wb_mold_parse() accepted. */
struct wb_mold_iter {
	const uint8_t *p;
	const uint8_t *end;
};

static inline void
wb_mold_iter_init(struct wb_mold_iter *it, const struct wb_mold_pkt *pkt)
{
	it->p = pkt->blocks;
	it->end = pkt->end;
}

/* Returns 1 and the message, or 0 at the end. Lengths were validated. */
static inline int
wb_mold_iter_next(struct wb_mold_iter *it, const uint8_t **msg, uint16_t *len)
{
	uint16_t l;

	if (it->p + 2 > it->end)
		return 0;
	l = (uint16_t)((it->p[0] << 8) | it->p[1]);
	*msg = it->p + 2;
	*len = l;
	it->p += 2u + l;
	return 1;
}

/*
 * Writes a MoldUDP64 header into out (at least WB_MOLD_HDR_LEN bytes).
 * Used by the generator and the tests.
 */
void wb_mold_put_hdr(uint8_t *out, const uint8_t session[WB_MOLD_SESSION_LEN], uint64_t seq,
		     uint16_t count);

#define WB_MOLD_REQ_LEN 20

/* A request packet, as wb_mold_req_parse() found it. */
struct wb_mold_req {
	const uint8_t *session; /* 10 bytes, points into the datagram */
	uint64_t seq;		/* first sequence number wanted (>= 1) */
	uint16_t count;		/* messages wanted from seq (>= 1) */
};

/*
 * Parses a request datagram. Returns WB_MOLD_REQ_LEN, WB_PROTO_TRUNCATED if
 * len < WB_MOLD_REQ_LEN, or WB_PROTO_MALFORMED if bytes follow the request,
 * the count is 0 or 0xFFFF (the end-of-session marker, never a count), the
 * sequence is 0 (sequences start at 1) or seq + count overflows.
 */
int wb_mold_req_parse(const uint8_t *buf, size_t len, struct wb_mold_req *req);

/*
 * Writes a request into out (cap bytes). Returns WB_MOLD_REQ_LEN,
 * WB_PROTO_TRUNCATED if cap is too small, or WB_PROTO_MALFORMED for a request
 * wb_mold_req_parse() would reject (nothing is written then).
 */
int wb_mold_req_put(uint8_t *out, size_t cap, const uint8_t session[WB_MOLD_SESSION_LEN],
		    uint64_t seq, uint16_t count);

#endif /* WB_MOLDUDP64_H */
