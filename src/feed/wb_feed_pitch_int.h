/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A PITCH feed's state, private to src/feed: wb_feed_pitch.c (the data
 * path) and wb_feed_pitch_rel.c (the per-unit reorder window) share it.
 */
#ifndef WB_FEED_PITCH_INT_H
#define WB_FEED_PITCH_INT_H

#include "wb_feed_int.h"
#include "wb_feed_pitch.h"

/* A unit's reorder window (wb_feed_pitch_rel.c). */
struct wb_feed_pitch_unit {
	uint32_t nheld;	    /* its packets in the feed's hold buffer */
	uint32_t hi_seq;    /* the highest next number known: held packets' ends, heartbeats */
	uint64_t gap_since; /* when the open gap was seen */
	uint8_t gap_open;   /* messages known sent and not yet applied */
	uint8_t declared;   /* this gap was declared (not filled) */
};

struct wb_feed_pitch {
	struct wb_pitch_adapt *adapt;
	struct wb_pitch_seq seq;
	struct wb_feed_pitch_stats stats;
	uint8_t unit_stale[WB_PITCH_UNITS]; /* a gap was declared in the unit */
	uint8_t hold;			    /* the reorder window is on (hold_packets != 0) */
	unsigned int nopen;		    /* units with an open gap */
	struct wb_feed_pitch_unit unit[WB_PITCH_UNITS];
};

/* wb_feed_pitch.c */
/* Applies messages skip .. skip + n - 1 of a sequenced pkt (queued in the batch). */
void wb_feed_pitch_apply(struct wb_feed *f, const struct wb_pitch_pkt *pkt, unsigned int skip,
			 unsigned int n, uint64_t rx_tsc);
/* The unit's instruments stale until a Unit Clear (a gap, a regression). */
void wb_feed_pitch_unit_stale(struct wb_feed *f, uint8_t unit);
/* A declared gap: its event, the unit's instruments stale. */
void wb_feed_pitch_gap(struct wb_feed *f, const struct wb_pitch_seq_verdict *v, uint64_t rx_tsc);

/* wb_feed_rel.c: copies len bytes into the hold buffer as a packet of
 * [seq, end), in seq order; 0, or -1 when it is full (packets or bytes). */
int wb_feed_rel_hold(struct wb_feed *f, unsigned int line, uint64_t seq, uint64_t end,
		     const uint8_t *bytes, uint32_t len, uint64_t rx_tsc, int suspect);

/* wb_feed_pitch_rel.c */
/* A packet of a unit with an open gap, or one ahead of its unit (v: its verdict, or NULL). */
unsigned int wb_feed_pitch_rel_datagram(struct wb_feed *f, unsigned int line,
					const struct wb_pitch_pkt *pkt, uint64_t rx_tsc,
					const struct wb_pitch_seq_verdict *v);
/* The unit's numbering restarted (verdict `regress`): what its window held
 * belongs to the old numbering and is dropped; the unit's books stale. */
void wb_feed_pitch_regress(struct wb_feed *f, uint8_t unit);
/* wb_feed_tick(), wb_feed_expire(), wb_feed_missing() for a PITCH feed. */
void wb_feed_pitch_tick(struct wb_feed *f, uint64_t now);
void wb_feed_pitch_expire(struct wb_feed *f, uint64_t now);
uint64_t wb_feed_pitch_missing(const struct wb_feed *f);

#endif /* WB_FEED_PITCH_INT_H */
