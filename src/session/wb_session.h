/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MoldUDP64 sequencing for one feed: gap and duplicate detection, A/B line
 * arbitration, sequence regressions and mid-session starts. Every line of a
 * feed (A, B and the recovery line the retransmissions arrive on) goes
 * through the same wb_session, so the first copy of each sequence number
 * wins and later ones are counted as duplicates.
 *
 * A new session expects sequence 1 first: a session seen first at a later
 * sequence (a daemon started mid-session) opens a gap from 1, like any
 * other packet ahead of the next expected sequence.
 *
 * With hold set (wb_session_set_hold), a packet ahead of the next expected
 * sequence is not applied: the verdict says WB_SV_AHEAD and the caller holds
 * it (the feed's reorder window) until the missing messages arrive on any
 * line, then hands it back with wb_session_resume(); or it gives up and
 * declares the gap with wb_session_skip(). Without hold, the gap is declared
 * at once and the packet applied (the behaviour before the window existed).
 *
 * A sequence regression (the numbering restarting without a session change)
 * is told from a late or reordered copy by the line itself stepping back:
 * a packet that starts below the highest sequence of its own line by more
 * than regress_seqs, or a step back followed by regress_pkts more packets,
 * each continuing the last, all still below that line's highest (a line
 * that only reorders catches up with its highest within its reorder
 * depth); and only when those packets are copies of what was applied. The verdict then
 * says WB_SV_REGRESS and the session resynchronises on the new numbering
 * from where the line stepped back (the packets dropped as copies before
 * the regression was told are then missing, like any gap); the other line
 * is ignored (counted) until it is seen to regress too, but for packets
 * within the new numbering's known range, which fill holes like any copy.
 *
 * Sequence number 0 is not a valid MoldUDP64 data sequence (they start at 1):
 * packets that carry it (captures whose headers were zeroed) are passed
 * through unsequenced and counted.
 */
#ifndef WB_SESSION_H
#define WB_SESSION_H

#include <stdint.h>

#include "wb_moldudp64.h"
#include "wb_seq_line.h"

/* Lines: 0 = A, 1 = B, 2 = recovery (retransmissions, see wb_feed.h). */
#define WB_SESSION_LINES 3
#define WB_SESSION_LINE_RECOVERY 2

#define WB_SESSION_REGRESS_SEQS WB_SEQ_REGRESS_SEQS
#define WB_SESSION_REGRESS_PKTS WB_SEQ_REGRESS_PKTS

struct wb_session_stats {
	uint64_t packets;
	uint64_t heartbeats;
	uint64_t end_of_session;
	uint64_t gaps;            /* gap events (declared gaps) */
	uint64_t gap_msgs;        /* messages missing in those gaps */
	uint64_t dup_packets;     /* packets with nothing new */
	uint64_t dup_msgs;        /* messages skipped as already applied */
	uint64_t session_changes; /* new session id seen */
	uint64_t unsequenced;     /* packets with sequence 0 */
	uint64_t regressions;     /* numbering restarted within a session */
	uint64_t regress_dropped; /* packets of a line still on the old numbering */
	uint64_t mid_starts;      /* session first seen after its sequence 1 */
	uint64_t line_first[WB_SESSION_LINES]; /* packets where this line won */
};

struct wb_session {
	uint8_t id[WB_MOLD_SESSION_LEN];
	uint8_t have_id;
	uint8_t ended;
	uint8_t hold;     /* hold packets ahead instead of declaring a gap */
	uint64_t next_seq; /* next expected sequence number */
	uint64_t hi_seq;   /* one past the highest sequence known sent (> next_seq: a gap is open) */
	uint32_t regress_seqs;
	uint32_t regress_pkts;
	struct wb_seq_line line[WB_SESSION_LINES];
	struct wb_session_stats stats;
};

/* Verdict flags. */
#define WB_SV_AHEAD 1u       /* packet ahead of next_seq, not applied: hold or skip */
#define WB_SV_NEW_SESSION 2u /* first packet of a session (the first ever included) */
#define WB_SV_MID_START 4u   /* ... and it is not sequence 1 */
#define WB_SV_REGRESS 8u     /* numbering restarted: resynchronised on this packet */
#define WB_SV_SUSPECT 16u    /* a copy, but its line stepped back: if the line turns
				out to have regressed, the new numbering's first packets */

/* Outcome of wb_session_accept(). */
struct wb_session_verdict {
	uint16_t skip;      /* leading messages of the packet already applied */
	uint16_t apply;     /* messages to apply after those */
	uint32_t flags;     /* WB_SV_* */
	uint64_t gap_from;  /* first missing seq when gap_count > 0 (else not set) */
	uint64_t gap_count; /* messages missing before this packet (a declared gap) */
};

void wb_session_init(struct wb_session *s);
static inline void
wb_session_set_hold(struct wb_session *s, int hold)
{
	s->hold = hold != 0;
}

/*
 * Sequences one validated packet received on `line` (0 = A, 1 = B,
 * 2 = recovery). Fills v and returns the number of messages to apply.
 */
unsigned int wb_session_accept(struct wb_session *s, unsigned int line,
			       const struct wb_mold_pkt *pkt, struct wb_session_verdict *v);
/*
 * A packet held after WB_SV_AHEAD, now that next_seq has reached it
 * (pkt->seq <= next_seq): what of it to apply. Counts nothing twice.
 */
unsigned int wb_session_resume(struct wb_session *s, unsigned int line,
			       const struct wb_mold_pkt *pkt, struct wb_session_verdict *v);
/* Declares [next_seq, upto) lost: counts the gap, fills v, moves next_seq. */
void wb_session_skip(struct wb_session *s, uint64_t upto, struct wb_session_verdict *v);

/* Messages known sent and not yet received in order (0: no gap open). */
static inline uint64_t
wb_session_missing(const struct wb_session *s)
{
	return s->hi_seq > s->next_seq ? s->hi_seq - s->next_seq : 0;
}

#endif /* WB_SESSION_H */
