/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cboe PITCH sequencing for one feed: gap and duplicate detection and A/B line
 * arbitration per matching unit.
 *
 * PITCH numbers messages per unit (u8 unit, u32 sequence in every Sequenced
 * Unit Header), not per feed, so a feed holds up to 256 independent MoldUDP64-
 * like streams, and a gap in one unit says nothing about the others: the book
 * stays whole for the symbols of every other unit. Each unit follows the same
 * rules as wb_session for MoldUDP64:
 *  - the first sequenced packet of a unit sets its next expected number (a
 *    mid-session start is not a gap; it is counted as a unit start);
 *  - a packet at the next number is applied; one beyond it is applied after a
 *    gap of the missing messages (the caller asks the Gap Request Proxy for
 *    unit, gap_from, gap_count, or marks that unit's symbols stale);
 *  - a packet wholly before it is a duplicate (the other line won); one that
 *    overlaps it has its applied head skipped;
 *  - a heartbeat (count 0) carries the unit's next expected number: a higher
 *    one reports a gap without applying anything;
 *  - sequence 0 is not a data sequence (symbol mappings and instrument
 *    definitions are sent unsequenced): passed through and counted;
 *  - a unit whose numbering restarts (a matching unit restarted within the
 *    day, seq 1 again) is told from late copies as wb_session does, by the
 *    line's own numbering (wb_seq_line.h): a step back of more than
 *    regress_seqs on one line, at once, or a step back followed by
 *    regress_pkts more packets below that line's highest. The verdict says
 *    `regress`, the unit resynchronises on the new numbering from where the
 *    line stepped back (the packets dropped as copies before the regression
 *    was told are then missing: a gap, or `ahead` with hold on), and the
 *    unit's other line is ignored (counted as regress_dropped) until it
 *    regresses too, but for packets within the new numbering, which fill
 *    holes like any copy. Heartbeats of a line still on the old numbering
 *    are ignored the same way.
 * Both lines of a feed go through the same wb_pitch_seq, so the first copy of
 * each message wins. Nothing here allocates, locks or logs.
 *
 * With hold on (wb_pitch_seq_set_hold, the feed's reorder window), a packet
 * or heartbeat beyond the next expected number is not a gap yet: the verdict
 * says `ahead`, nothing is applied and the unit's next number stays. The
 * caller holds the packet, offers it again with wb_pitch_seq_resume() once
 * the unit reaches it, and declares the gap itself (wb_pitch_seq_skip) when
 * its window expires.
 */
#ifndef WB_PITCH_SEQ_H
#define WB_PITCH_SEQ_H

#include <stdint.h>

#include "wb_pitch.h"
#include "wb_seq_line.h"

#define WB_PITCH_SEQ_LINES 2
#define WB_PITCH_UNITS 256

struct wb_pitch_seq_stats {
	uint64_t packets;
	uint64_t heartbeats;
	uint64_t unsequenced;			 /* packets with sequence 0 */
	uint64_t unit_starts;			 /* units whose first sequenced packet was seen */
	uint64_t gaps;				 /* gap events, all units */
	uint64_t gap_msgs;			 /* messages missing in those gaps */
	uint64_t dup_packets;			 /* packets with nothing new */
	uint64_t dup_msgs;			 /* messages skipped as already applied */
	uint64_t regressions;			 /* a unit's numbering restarted */
	uint64_t regress_dropped;		 /* packets of a line still on the old numbering */
	uint64_t line_first[WB_PITCH_SEQ_LINES]; /* packets where this line won */
};

struct wb_pitch_seq_unit {
	uint32_t next_seq;    /* next expected; 0 until the unit's first packet */
	uint32_t gaps;	      /* gap events in this unit */
	uint64_t gap_msgs;    /* messages missing in this unit */
	uint32_t regressions; /* times its numbering restarted */
};

struct wb_pitch_seq {
	struct wb_pitch_seq_stats stats;
	struct wb_pitch_seq_unit unit[WB_PITCH_UNITS];
	uint8_t hold; /* packets ahead are the caller's to hold, not gaps */
	uint32_t regress_seqs; /* defaults WB_SEQ_REGRESS_* (wb_seq_line.h) */
	uint32_t regress_pkts;
	/* each unit's lines' own numbering, apart: only a packet out of order reads them */
	struct wb_seq_line line[WB_PITCH_UNITS][WB_PITCH_SEQ_LINES];
};

/* Outcome of wb_pitch_seq_accept(). */
struct wb_pitch_seq_verdict {
	uint8_t unit;
	uint8_t skip;	    /* leading messages of the packet already applied */
	uint8_t apply;	    /* messages to apply after those */
	uint32_t gap_from;  /* first missing sequence of the unit when gap_count > 0 */
	uint32_t gap_count; /* messages of the unit missing before this packet */
	uint8_t ahead;	    /* hold on: beyond the next expected; nothing applied */
	uint8_t regress;    /* the unit's numbering restarted: resynchronised on this packet */
};

void wb_pitch_seq_init(struct wb_pitch_seq *s);

/*
 * Sequences one unit that wb_pitch_parse() accepted, received on `line`
 * (0 = A, 1 = B; larger values count as B). Fills v and returns the number of
 * messages to apply (v->apply), after skipping v->skip.
 */
unsigned int wb_pitch_seq_accept(struct wb_pitch_seq *s, unsigned int line,
				 const struct wb_pitch_pkt *pkt, struct wb_pitch_seq_verdict *v);

/* Hold packets ahead of a unit's next number instead of declaring a gap (off at init). */
void wb_pitch_seq_set_hold(struct wb_pitch_seq *s, int on);

/*
 * wb_pitch_seq_accept() for a packet that was held (counted as a packet
 * when it came): at or below the unit's next number now, or still ahead.
 */
unsigned int wb_pitch_seq_resume(struct wb_pitch_seq *s, unsigned int line,
				 const struct wb_pitch_pkt *pkt, struct wb_pitch_seq_verdict *v);

/*
 * Declares the messages of unit from its next number up to upto (excluded)
 * missing: a gap in v (gap_count 0 if there is none), the unit's next
 * number upto.
 */
void wb_pitch_seq_skip(struct wb_pitch_seq *s, uint8_t unit, uint32_t upto,
		       struct wb_pitch_seq_verdict *v);

/* Next expected sequence number of a unit, 0 if none was seen yet. */
static inline uint32_t
wb_pitch_seq_next(const struct wb_pitch_seq *s, uint8_t unit)
{
	return s->unit[unit].next_seq;
}

#endif /* WB_PITCH_SEQ_H */
