/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MoldUDP64 sequencing for one feed: gap and duplicate detection and A/B line
 * arbitration. Both lines of a feed go through the same wb_session, so the
 * first copy of each sequence number wins and the later one is counted as a
 * duplicate.
 *
 * Sequence number 0 is not a valid MoldUDP64 data sequence (they start at 1):
 * packets that carry it (captures whose headers were zeroed) are passed
 * through unsequenced and counted.
 */
#ifndef WB_SESSION_H
#define WB_SESSION_H

#include <stdint.h>

#include "wb_moldudp64.h"

#define WB_SESSION_LINES 2

struct wb_session_stats {
	uint64_t packets;
	uint64_t heartbeats;
	uint64_t end_of_session;
	uint64_t gaps;            /* gap events */
	uint64_t gap_msgs;        /* messages missing in those gaps */
	uint64_t dup_packets;     /* packets with nothing new */
	uint64_t dup_msgs;        /* messages skipped as already applied */
	uint64_t session_changes; /* new session id seen */
	uint64_t unsequenced;     /* packets with sequence 0 */
	uint64_t line_first[WB_SESSION_LINES]; /* packets where this line won */
};

struct wb_session {
	uint8_t id[WB_MOLD_SESSION_LEN];
	uint8_t have_id;
	uint8_t ended;
	uint64_t next_seq; /* next expected sequence number */
	struct wb_session_stats stats;
};

/* Outcome of wb_session_accept(). */
struct wb_session_verdict {
	uint16_t skip;      /* leading messages of the packet already applied */
	uint16_t apply;     /* messages to apply after those */
	uint64_t gap_from;  /* first missing seq when gap_count > 0 */
	uint64_t gap_count; /* messages missing before this packet */
};

void wb_session_init(struct wb_session *s);

/*
 * Sequences one validated packet received on `line` (0 = A, 1 = B).
 * Fills v and returns the number of messages to apply.
 */
unsigned int wb_session_accept(struct wb_session *s, unsigned int line,
			       const struct wb_mold_pkt *pkt, struct wb_session_verdict *v);

#endif /* WB_SESSION_H */
