/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The feed's stale state (docs/reliability.md): why it is stale, which
 * instruments a recovered gap leaves stale, how it ends. A declared gap is
 * remembered as a range; messages of that range that come later (a late
 * reply, a late copy) are not applied, but the instruments they name are
 * noted, and when every range has come the feed is whole again but for
 * those. A new session from sequence 1 clears the books and every flag.
 */
#include <string.h>

#include "wb_compiler.h"
#include "wb_feed_int.h"
#include "wb_feed_pitch_int.h"

void
wb_feed_stale_set(struct wb_feed *f, unsigned int bits)
{
	struct wb_feed_rel *r = &f->rel;

	if (r->stale == 0)
		r->stats.stale_events++;
	r->stale |= bits;
	r->stale_gen++;
}

void
wb_feed_stale_unset(struct wb_feed *f, unsigned int bits)
{
	struct wb_feed_rel *r = &f->rel;

	if (r->stale == 0 || (r->stale & bits) == 0)
		return;
	r->stale &= ~bits;
	if (r->stale == 0)
		r->stats.stale_cleared++;
	r->stale_gen++;
}

static int
rel_any_inst_stale(const struct wb_feed_rel *r)
{
	unsigned int i;

	for (i = 0; i < r->inst_words; i++)
		if (r->inst_stale[i] != 0)
			return 1;
	return 0;
}

/* A declared gap: the event (after what was queued before it), stale, a lost range. */
void
wb_feed_gap_declared(struct wb_feed *f, const struct wb_session_verdict *v, uint64_t now)
{
	struct wb_feed_rel *r = &f->rel;
	struct wb_event ev;

	wb_feed_flush_pending(f); /* the messages before the gap come first */
	wb_feed_stale_set(f, WB_FEED_STALE_GAP);
	if (r->nlost < WB_FEED_LOST_MAX) {
		r->lost[r->nlost].from = v->gap_from;
		r->lost[r->nlost].next = v->gap_from;
		r->lost[r->nlost].end = v->gap_from + v->gap_count;
		r->nlost++;
	} else {
		wb_feed_stale_set(f, WB_FEED_STALE_LOST);
	}
	if (f->sink.on_event == NULL)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = WB_EV_GAP;
	ev.venue = f->venue;
	ev.seq = v->gap_from;
	ev.rx_tsc = now;
	ev.u.gap.from_seq = v->gap_from;
	ev.u.gap.count = v->gap_count;
	f->burst_events++;
	f->sink.on_event(f->sink.ctx, &ev);
}

/*
 * Messages of a declared gap that come after all (a late copy, a late
 * reply): what they touched is now known. When every lost range has come,
 * the feed is whole again but for the instruments those messages touched.
 */
static void
rel_lost_fill(struct wb_feed *f, const struct wb_mold_pkt *pkt)
{
	struct wb_feed_rel *r = &f->rel;
	struct wb_mold_iter it;
	const uint8_t *msg;
	uint64_t seq = pkt->seq;
	uint16_t mlen, loc;
	unsigned int i, j, before = r->nlost;

	wb_mold_iter_init(&it, pkt);
	while (wb_mold_iter_next(&it, &msg, &mlen)) {
		for (i = 0; i < r->nlost; i++) {
			if (r->lost[i].next != seq)
				continue;
			if (mlen >= 3) {
				/* every ITCH message names its stock locate (one
				 * at or above max_instruments touches no book) */
				loc = wb_itch_raw_locate(msg);
				if (loc < r->inst_words * 64ull)
					r->lost_touch[loc >> 6] |= 1ull << (loc & 63);
			}
			r->lost[i].next++;
		}
		seq++;
	}
	for (i = 0, j = 0; i < r->nlost; i++) {
		if (r->lost[i].next == r->lost[i].end)
			r->stats.late_filled++;
		else
			r->lost[j++] = r->lost[i];
	}
	r->nlost = j;
	if (before == 0 || j != 0 || (r->stale & (WB_FEED_STALE_REGRESS | WB_FEED_STALE_LOST)))
		return;
	for (i = 0; i < r->inst_words; i++) {
		r->inst_stale[i] |= r->lost_touch[i];
		r->lost_touch[i] = 0;
	}
	r->stale_gen++;
	wb_feed_stale_unset(f, WB_FEED_STALE_GAP | WB_FEED_STALE_MID_START);
}

void
wb_feed_rel_lost(struct wb_feed *f, const struct wb_mold_pkt *pkt)
{
	const struct wb_feed_rel *r = &f->rel;
	unsigned int i;

	if (pkt->seq == 0 || pkt->nmsgs == 0 ||
	    memcmp(f->session.id, pkt->session, WB_MOLD_SESSION_LEN) != 0)
		return;
	for (i = 0; i < r->nlost; i++)
		if (pkt->seq <= r->lost[i].next && pkt->seq + pkt->nmsgs > r->lost[i].next)
			break;
	if (i == r->nlost)
		return;
	rel_lost_fill(f, pkt);
	f->lost_open = r->nlost != 0;
}

/* A new session: the old one's holes are moot; from sequence 1 the books are rebuilt whole. */
void
wb_feed_new_session(struct wb_feed *f, const struct wb_session_verdict *v)
{
	struct wb_feed_rel *r = &f->rel;

	wb_feed_rel_forget(f);
	if (v->flags & WB_SV_MID_START) {
		wb_feed_stale_set(f, WB_FEED_STALE_MID_START);
		return;
	}
	if (r->stale != 0 || rel_any_inst_stale(r)) {
		wb_feed_flush_pending(f);
		wb_book_clear(f->book);
		wb_feed_mark_all_dirty(f);
		r->stats.book_resets++;
		memset(r->inst_stale, 0, r->inst_words * sizeof(*r->inst_stale));
		if (r->stale != 0)
			r->stats.stale_cleared++;
		r->stale = 0;
		r->stale_gen++;
	}
}

unsigned int
wb_feed_stale(const struct wb_feed *f)
{
	return f->rel.stale;
}

int
wb_feed_instrument_stale(const struct wb_feed *f, uint32_t locate)
{
	if (f->rel.stale != 0)
		return 1;
	if (locate >= f->rel.inst_words * 64ull)
		return 0;
	return (f->rel.inst_stale[locate >> 6] >> (locate & 63)) & 1;
}

uint64_t
wb_feed_stale_gen(const struct wb_feed *f)
{
	return f->rel.stale_gen;
}

void
wb_feed_clear_stale(struct wb_feed *f)
{
	struct wb_feed_rel *r = &f->rel;

	r->nlost = 0;
	memset(r->lost_touch, 0, r->inst_words * sizeof(*r->lost_touch));
	memset(r->inst_stale, 0, r->inst_words * sizeof(*r->inst_stale));
	if (f->pitch != NULL) /* the instruments a unit announces from now on are whole */
		memset(f->pitch->unit_stale, 0, sizeof(f->pitch->unit_stale));
	if (r->stale != 0)
		r->stats.stale_cleared++;
	r->stale = 0;
	r->stale_gen++;
	wb_feed_rel_busy(f);
}

const struct wb_feed_rel_stats *
wb_feed_rel_stats(const struct wb_feed *f)
{
	return &f->rel.stats;
}

uint64_t
wb_feed_missing(const struct wb_feed *f)
{
	if (f->pitch != NULL)
		return wb_feed_pitch_missing(f);
	return wb_session_missing(&f->session);
}
