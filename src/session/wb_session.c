/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_session.h"

#include <string.h>

#include "wb_compiler.h"

void
wb_session_init(struct wb_session *s)
{
	memset(s, 0, sizeof(*s));
	s->regress_seqs = WB_SESSION_REGRESS_SEQS;
	s->regress_pkts = WB_SESSION_REGRESS_PKTS;
}

static void
wb_session_gap(struct wb_session *s, uint64_t upto, struct wb_session_verdict *v)
{
	v->gap_from = s->next_seq;
	v->gap_count = upto - s->next_seq;
	s->stats.gaps++;
	s->stats.gap_msgs += v->gap_count;
	s->next_seq = upto;
}

void
wb_session_skip(struct wb_session *s, uint64_t upto, struct wb_session_verdict *v)
{
	memset(v, 0, sizeof(*v));
	if (upto > s->next_seq)
		wb_session_gap(s, upto, v);
}

static void
wb_session_new(struct wb_session *s, const struct wb_mold_pkt *pkt, struct wb_session_verdict *v)
{
	unsigned int i;

	if (s->have_id)
		s->stats.session_changes++;
	memcpy(s->id, pkt->session, WB_MOLD_SESSION_LEN);
	s->have_id = 1;
	s->ended = 0;
	s->next_seq = 1;
	s->hi_seq = 0;
	for (i = 0; i < WB_SESSION_LINES; i++)
		memset(&s->line[i], 0, sizeof(s->line[i]));
	v->flags |= WB_SV_NEW_SESSION;
	if (pkt->seq != 1) {
		v->flags |= WB_SV_MID_START;
		s->stats.mid_starts++;
	}
}

static unsigned int
wb_session_seq(struct wb_session *s, unsigned int line, const struct wb_mold_pkt *pkt,
	       struct wb_session_verdict *v, int resumed)
{
	uint64_t seq = pkt->seq, n = pkt->nmsgs;
	unsigned int i;

	if (wb_unlikely(wb_mold_is_heartbeat(pkt) || wb_mold_is_end(pkt))) {
		if (wb_mold_is_heartbeat(pkt))
			s->stats.heartbeats++;
		else {
			s->stats.end_of_session++;
			s->ended = 1;
		}
		/* A heartbeat carries the next sequence number to be sent. */
		if (seq > s->hi_seq)
			s->hi_seq = seq;
		if (seq > s->next_seq && !s->hold)
			wb_session_gap(s, seq, v);
		return 0;
	}

	if (wb_likely(seq == s->next_seq)) {
		s->next_seq = seq + n;
		wb_seq_line_in_order(&s->line[line], seq + n);
		s->stats.line_first[line]++;
		v->apply = (uint16_t)n;
		return (unsigned int)n;
	}
	if (!resumed && line < WB_SESSION_LINE_RECOVERY) {
		struct wb_seq_line *l = &s->line[line];
		int regress = wb_seq_line_regressed(l, seq, n, s->regress_seqs, s->regress_pkts);

		if (wb_unlikely(l->old)) {
			if (regress) {
				l->old = 0; /* it restarted too: a line like the others */
				l->back = 0;
				regress = 0;
			} else if (seq + n > s->hi_seq) {
				s->stats.regress_dropped++;
				return 0;
			}
			/* within the new numbering's range: a copy or a fill */
		}
		if (wb_unlikely(regress) && seq + n <= s->next_seq) {
			s->stats.regressions++;
			v->flags |= WB_SV_REGRESS;
			for (i = 0; i < WB_SESSION_LINE_RECOVERY; i++)
				if (i != line)
					s->line[i].old = 1;
			/* the new numbering from where this line stepped back */
			l->back = 0;
			s->next_seq = l->back_from;
			s->hi_seq = seq + n;
			if (seq > s->next_seq)
				goto ahead;
			s->next_seq = seq + n;
			s->stats.line_first[line]++;
			v->apply = (uint16_t)n;
			return (unsigned int)n;
		}
		if (l->back != 0 && seq + n <= s->next_seq)
			v->flags |= WB_SV_SUSPECT;
	}
	if (seq > s->next_seq) {
ahead:
		if (seq + n > s->hi_seq)
			s->hi_seq = seq + n;
		if (s->hold) {
			v->flags |= WB_SV_AHEAD;
			return 0;
		}
		wb_session_gap(s, seq, v);
		s->next_seq = seq + n;
		s->stats.line_first[line]++;
		v->apply = (uint16_t)n;
		return (unsigned int)n;
	}
	if (seq + n <= s->next_seq) {
		s->stats.dup_packets++;
		s->stats.dup_msgs += n;
		return 0;
	}
	/* Overlap: the head was applied from another line. */
	v->skip = (uint16_t)(s->next_seq - seq);
	v->apply = (uint16_t)(n - v->skip);
	s->stats.dup_msgs += v->skip;
	s->stats.line_first[line]++;
	s->next_seq = seq + n;
	return v->apply;
}

unsigned int
wb_session_accept(struct wb_session *s, unsigned int line, const struct wb_mold_pkt *pkt,
		  struct wb_session_verdict *v)
{
	v->skip = 0;
	v->apply = 0;
	v->flags = 0;
	v->gap_count = 0; /* gap_from is read only when gap_count is set */
	s->stats.packets++;
	if (line >= WB_SESSION_LINES)
		line = WB_SESSION_LINES - 1;

	if (wb_unlikely(pkt->seq == 0)) {
		s->stats.unsequenced++;
		if (wb_mold_is_heartbeat(pkt))
			s->stats.heartbeats++;
		else if (wb_mold_is_end(pkt))
			s->stats.end_of_session++;
		v->apply = pkt->nmsgs;
		return pkt->nmsgs;
	}
	if (wb_unlikely(!s->have_id || memcmp(s->id, pkt->session, WB_MOLD_SESSION_LEN) != 0))
		wb_session_new(s, pkt, v);
	return wb_session_seq(s, line, pkt, v, 0);
}

unsigned int
wb_session_resume(struct wb_session *s, unsigned int line, const struct wb_mold_pkt *pkt,
		  struct wb_session_verdict *v)
{
	memset(v, 0, sizeof(*v));
	if (line >= WB_SESSION_LINES)
		line = WB_SESSION_LINES - 1;
	return wb_session_seq(s, line, pkt, v, 1);
}
