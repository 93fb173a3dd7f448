/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_session.h"

#include <string.h>

#include "wb_compiler.h"

void
wb_session_init(struct wb_session *s)
{
	memset(s, 0, sizeof(*s));
}

unsigned int
wb_session_accept(struct wb_session *s, unsigned int line, const struct wb_mold_pkt *pkt,
		  struct wb_session_verdict *v)
{
	uint64_t seq = pkt->seq, n = pkt->nmsgs;

	memset(v, 0, sizeof(*v));
	s->stats.packets++;
	if (line >= WB_SESSION_LINES)
		line = WB_SESSION_LINES - 1;

	if (wb_unlikely(seq == 0)) {
		s->stats.unsequenced++;
		if (wb_mold_is_heartbeat(pkt))
			s->stats.heartbeats++;
		else if (wb_mold_is_end(pkt))
			s->stats.end_of_session++;
		v->apply = (uint16_t)n;
		return (unsigned int)n;
	}

	if (wb_unlikely(!s->have_id || memcmp(s->id, pkt->session, WB_MOLD_SESSION_LEN) != 0)) {
		if (s->have_id)
			s->stats.session_changes++;
		memcpy(s->id, pkt->session, WB_MOLD_SESSION_LEN);
		s->have_id = 1;
		s->ended = 0;
		s->next_seq = seq;
	}

	if (wb_unlikely(wb_mold_is_heartbeat(pkt) || wb_mold_is_end(pkt))) {
		if (wb_mold_is_heartbeat(pkt))
			s->stats.heartbeats++;
		else {
			s->stats.end_of_session++;
			s->ended = 1;
		}
		/* A heartbeat carries the next expected sequence number. */
		if (seq > s->next_seq) {
			v->gap_from = s->next_seq;
			v->gap_count = seq - s->next_seq;
			s->stats.gaps++;
			s->stats.gap_msgs += v->gap_count;
			s->next_seq = seq;
		}
		return 0;
	}

	if (wb_likely(seq == s->next_seq)) {
		s->next_seq = seq + n;
		s->stats.line_first[line]++;
		v->apply = (uint16_t)n;
		return (unsigned int)n;
	}
	if (seq > s->next_seq) {
		v->gap_from = s->next_seq;
		v->gap_count = seq - s->next_seq;
		s->stats.gaps++;
		s->stats.gap_msgs += v->gap_count;
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
	/* Overlap: the head was applied from the other line. */
	v->skip = (uint16_t)(s->next_seq - seq);
	v->apply = (uint16_t)(n - v->skip);
	s->stats.dup_msgs += v->skip;
	s->stats.line_first[line]++;
	s->next_seq = seq + n;
	return v->apply;
}
