/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packs bare ITCH messages (a BinaryFILE) into MoldUDP64 packets as the
 * exchange would: one session, sequence numbers from first_seq, as many
 * messages per packet as fit the payload. Used by `wirebook sim` (sent over
 * a socket) and the daemon's replay of a BinaryFILE (frames into the DPDK
 * path), so both produce the same packets from the same file.
 *
 *   wb_moldpack_init(&p, session, 1400, 1);
 *   while (next message m) {
 *       if (wb_moldpack_add(&p, m, len) == 0) {        // full: send, retry
 *           send(wb_moldpack_flush(&p, &len), len);
 *           wb_moldpack_add(&p, m, len);
 *       }
 *   }
 *   if (wb_moldpack_count(&p)) send(wb_moldpack_flush(&p, &len), len);
 */
#ifndef WB_MOLDPACK_H
#define WB_MOLDPACK_H

#include <stddef.h>
#include <stdint.h>

#include "wb_moldudp64.h"

#define WB_MOLDPACK_MAX_PAYLOAD 1472

struct wb_moldpack {
	uint8_t session[WB_MOLD_SESSION_LEN];
	uint64_t seq; /* sequence number of the packet being built */
	size_t max;
	size_t used;
	uint16_t count;
	uint64_t first_ts, last_ts; /* ITCH timestamps of its first and last message */
	uint8_t buf[WB_MOLDPACK_MAX_PAYLOAD];
};

/*
 * session: up to 10 characters, space padded. max_payload is clamped to
 * [WB_MOLD_HDR_LEN + 2 + 50, WB_MOLDPACK_MAX_PAYLOAD].
 */
void wb_moldpack_init(struct wb_moldpack *p, const char *session, size_t max_payload,
		      uint64_t first_seq);

/*
 * Appends a message. Returns 1 if added, 0 if the packet is full (flush it,
 * then add again), -EMSGSIZE if the message can never fit.
 */
int wb_moldpack_add(struct wb_moldpack *p, const uint8_t *msg, size_t len);

/* Messages in the packet being built. */
static inline uint16_t
wb_moldpack_count(const struct wb_moldpack *p)
{
	return p->count;
}

/*
 * Finishes the packet (header written), points *out at it and returns its
 * length; the data stays valid until the next add. The next packet starts
 * at the following sequence number.
 */
size_t wb_moldpack_flush(struct wb_moldpack *p, const uint8_t **out);

/* ITCH 5.0 timestamp (ns since midnight) of a message, UINT64_MAX if too short. */
static inline uint64_t
wb_itch_msg_ts(const uint8_t *msg, size_t len)
{
	if (len < 11)
		return UINT64_MAX;
	return ((uint64_t)msg[5] << 40) | ((uint64_t)msg[6] << 32) | ((uint64_t)msg[7] << 24) |
	       ((uint64_t)msg[8] << 16) | ((uint64_t)msg[9] << 8) | msg[10];
}

/* Timestamp of the first message of a MoldUDP64 payload, UINT64_MAX if none. */
uint64_t wb_mold_first_ts(const uint8_t *payload, size_t len);

#endif /* WB_MOLDPACK_H */
