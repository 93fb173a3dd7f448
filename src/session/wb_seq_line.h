/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One line's own numbering, to tell a sequence regression (the numbering
 * restarting without a session change) from a late or reordered copy. Both
 * sequencers use it: wb_session per MoldUDP64 line, wb_pitch_seq per line of
 * each PITCH unit.
 *
 * A line regressed when a packet starts below the line's own highest
 * sequence by more than regress_seqs, or when a step back is followed by
 * regress_pkts more packets, each continuing the last, all still below the
 * highest: a line that only reorders catches up with its highest within its
 * reorder depth. The caller decides what a regression means; it only counts
 * as one when those packets are copies of what was applied.
 */
#ifndef WB_SEQ_LINE_H
#define WB_SEQ_LINE_H

#include <stdint.h>

/* Defaults of both sequencers. */
#define WB_SEQ_REGRESS_SEQS 4096
#define WB_SEQ_REGRESS_PKTS 16

struct wb_seq_line {
	uint64_t next;	    /* end of this line's last data packet */
	uint64_t max;	    /* highest end of this line's packets */
	uint64_t back_from; /* where this line last stepped back below max */
	uint32_t back;	    /* packets from there, each continuing the last, below max */
	uint32_t old;	    /* still on the numbering before a regression */
};

/* A packet at the sequencer's next expected number: the line is in order. */
static inline void
wb_seq_line_in_order(struct wb_seq_line *l, uint64_t end)
{
	/* back needs no reset: with max at next, no later packet can
	 * continue a step back without stepping back first */
	l->next = end;
	l->max = end;
}

/*
 * Follows the line's numbering with a packet of n messages from seq: 1 when
 * it regressed, from l->back_from (the line's numbering then starts again
 * there), else 0.
 */
static inline int
wb_seq_line_regressed(struct wb_seq_line *l, uint64_t seq, uint64_t n, uint32_t regress_seqs,
		      uint32_t regress_pkts)
{
	int regress = 0;

	if (seq < l->max) {
		if (l->back == 0 || seq != l->next) {
			/* a step back below this line's highest */
			regress = l->max - seq > regress_seqs;
			l->back = 1;
			l->back_from = seq;
		} else if (seq + n <= l->max) {
			regress = ++l->back > regress_pkts;
		} else {
			l->back = 0; /* caught up: a reorder */
		}
	} else {
		l->back = 0;
	}
	l->next = seq + n;
	if (seq + n > l->max || regress)
		l->max = seq + n; /* a regression: this line's numbering starts again */
	return regress;
}

#endif /* WB_SEQ_LINE_H */
