/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_pitch_seq.h"

#include <string.h>

#include "wb_compiler.h"

void
wb_pitch_seq_init(struct wb_pitch_seq *s)
{
	memset(s, 0, sizeof(*s));
	s->regress_seqs = WB_SEQ_REGRESS_SEQS;
	s->regress_pkts = WB_SEQ_REGRESS_PKTS;
}

static inline void
pitch_seq_gap(struct wb_pitch_seq *s, struct wb_pitch_seq_unit *u, uint32_t seq,
	      struct wb_pitch_seq_verdict *v)
{
	v->gap_from = u->next_seq;
	v->gap_count = seq - u->next_seq;
	u->gaps++;
	u->gap_msgs += v->gap_count;
	s->stats.gaps++;
	s->stats.gap_msgs += v->gap_count;
}

void
wb_pitch_seq_set_hold(struct wb_pitch_seq *s, int on)
{
	s->hold = on != 0;
}

void
wb_pitch_seq_skip(struct wb_pitch_seq *s, uint8_t unit, uint32_t upto,
		  struct wb_pitch_seq_verdict *v)
{
	struct wb_pitch_seq_unit *u = &s->unit[unit];

	memset(v, 0, sizeof(*v));
	v->unit = unit;
	if (u->next_seq == 0 || upto <= u->next_seq)
		return;
	pitch_seq_gap(s, u, upto, v);
	u->next_seq = upto;
}

/*
 * A packet out of order on a line of its own (not resumed): follows the
 * line's numbering. Returns -1 when the packet is to be dropped (its line is
 * still on the numbering before a regression), 1 when the unit regressed and
 * resynchronised on this line (u->next_seq moved back to where it stepped
 * back), else 0.
 */
static int
pitch_seq_line(struct wb_pitch_seq *s, struct wb_pitch_seq_unit *u, unsigned int unit,
	       unsigned int line, uint32_t seq, uint32_t n)
{
	struct wb_seq_line *l = &s->line[unit][line];
	int regress = 0;

	if (n != 0)
		regress = wb_seq_line_regressed(l, seq, n, s->regress_seqs, s->regress_pkts);
	if (wb_unlikely(l->old)) {
		if (regress) {
			l->old = 0; /* it restarted too: a line like the other */
			l->back = 0;
			regress = 0;
		} else if ((uint64_t)seq + n > u->next_seq || (n == 0 && seq > u->next_seq)) {
			/* beyond the new numbering: the old one's packets, heartbeats */
			s->stats.regress_dropped++;
			return -1;
		}
		/* within the new numbering's range: a copy or a fill */
	}
	if (wb_likely(!regress) || (uint64_t)seq + n > u->next_seq)
		return 0;
	s->stats.regressions++;
	u->regressions++;
	s->line[unit][line ^ 1].old = 1;
	l->back = 0;
	u->next_seq = (uint32_t)l->back_from;
	return 1;
}

static inline unsigned int
pitch_seq_verdict(struct wb_pitch_seq *s, unsigned int line, const struct wb_pitch_pkt *pkt,
		  struct wb_pitch_seq_verdict *v, int fresh)
{
	struct wb_pitch_seq_unit *u = &s->unit[pkt->unit];
	uint32_t seq = pkt->seq, n = pkt->count;
	int own_line = line < WB_PITCH_SEQ_LINES; /* not a recovery reply */
	int r;

	memset(v, 0, sizeof(*v));
	v->unit = pkt->unit;
	if (line >= WB_PITCH_SEQ_LINES)
		line = WB_PITCH_SEQ_LINES - 1;
	if (fresh) {
		s->stats.packets++;
		if (n == 0)
			s->stats.heartbeats++;
	}

	if (wb_unlikely(seq == 0)) {
		s->stats.unsequenced++;
		v->apply = (uint8_t)n;
		return n;
	}
	if (wb_unlikely(u->next_seq == 0)) {
		s->stats.unit_starts++;
		u->next_seq = seq;
	}
	if (wb_likely(seq == u->next_seq && n != 0)) {
		u->next_seq = seq + n;
		if (own_line)
			wb_seq_line_in_order(&s->line[pkt->unit][line], (uint64_t)seq + n);
		s->stats.line_first[line]++;
		v->apply = (uint8_t)n;
		return n;
	}
	if (fresh && own_line) {
		r = pitch_seq_line(s, u, pkt->unit, line, seq, n);
		if (r < 0)
			return 0;
		v->regress = (uint8_t)r;
		if (r > 0 && seq == u->next_seq) {
			u->next_seq = seq + n;
			s->stats.line_first[line]++;
			v->apply = (uint8_t)n;
			return n;
		}
	}

	if (wb_unlikely(s->hold) && seq > u->next_seq) {
		/* the caller holds it, or waits for what the heartbeat says was sent */
		v->ahead = 1;
		return 0;
	}
	if (wb_unlikely(n == 0)) {
		/* A heartbeat carries the unit's next expected sequence number. */
		if (seq > u->next_seq) {
			pitch_seq_gap(s, u, seq, v);
			u->next_seq = seq;
		}
		return 0;
	}
	if (seq > u->next_seq) {
		pitch_seq_gap(s, u, seq, v);
		u->next_seq = seq + n;
		s->stats.line_first[line]++;
		v->apply = (uint8_t)n;
		return n;
	}
	if ((uint64_t)seq + n <= u->next_seq) {
		s->stats.dup_packets++;
		s->stats.dup_msgs += n;
		return 0;
	}
	/* Overlap: the head was applied from the other line. */
	v->skip = (uint8_t)(u->next_seq - seq);
	v->apply = (uint8_t)(n - v->skip);
	s->stats.dup_msgs += v->skip;
	s->stats.line_first[line]++;
	u->next_seq = seq + n;
	return v->apply;
}

unsigned int
wb_pitch_seq_accept(struct wb_pitch_seq *s, unsigned int line, const struct wb_pitch_pkt *pkt,
		    struct wb_pitch_seq_verdict *v)
{
	return pitch_seq_verdict(s, line, pkt, v, 1);
}

unsigned int
wb_pitch_seq_resume(struct wb_pitch_seq *s, unsigned int line, const struct wb_pitch_pkt *pkt,
		    struct wb_pitch_seq_verdict *v)
{
	return pitch_seq_verdict(s, line, pkt, v, 0);
}
