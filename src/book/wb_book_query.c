/* SPDX-License-Identifier: BSD-3-Clause */
/* Read-only queries over the book: the writer's thread, or a test. */
#include <errno.h>
#include <string.h>

#include "wb_book_int.h"

const struct wb_book_stats *
wb_book_stats(const struct wb_book *b)
{
	return &b->stats;
}

uint32_t
wb_book_max_instruments(const struct wb_book *b)
{
	return b->max_instruments;
}

const struct wb_instrument *
wb_book_instrument(const struct wb_book *b, uint32_t locate)
{
	if (locate >= b->max_instruments)
		return NULL;
	return &b->dir[locate];
}

int
wb_book_has_orders(const struct wb_book *b, uint32_t locate)
{
	if (locate >= b->max_instruments)
		return 0;
	return b->inst[locate].side[WB_BOOK_BID].best != 0 ||
	       b->inst[locate].side[WB_BOOK_ASK].best != 0;
}

void
wb_book_bbo(const struct wb_book *b, uint32_t locate, struct wb_bbo *out)
{
	const struct wb_book_level *l;
	const struct wb_book_inst *in;

	memset(out, 0, sizeof(*out));
	if (locate >= b->max_instruments)
		return;
	in = &b->inst[locate];
	if (in->side[WB_BOOK_BID].best != 0) {
		l = &b->levels[in->side[WB_BOOK_BID].best];
		out->bid_px = l->price;
		out->bid_qty = l->shares;
		out->bid_orders = l->orders;
	}
	if (in->side[WB_BOOK_ASK].best != 0) {
		l = &b->levels[in->side[WB_BOOK_ASK].best];
		out->ask_px = l->price;
		out->ask_qty = l->shares;
		out->ask_orders = l->orders;
	}
}

static inline uint32_t
wb_book_qty32(uint64_t q)
{
	return q > UINT32_MAX ? UINT32_MAX : (uint32_t)q;
}

static inline uint32_t
wb_book_count16(uint32_t n)
{
	return n > 0xffffu ? 0xffffu : n;
}

void
wb_book_bbo_event(const struct wb_book *b, uint32_t locate, struct wb_event *ev)
{
	/* level 0 is never allocated and stays zero: an empty side reads as 0 */
	const struct wb_book_inst *in = &b->inst[locate < b->max_instruments ? locate : 0];
	const struct wb_book_level *bid = &b->levels[in->side[WB_BOOK_BID].best],
				   *ask = &b->levels[in->side[WB_BOOK_ASK].best];

	if (wb_unlikely(locate >= b->max_instruments))
		bid = ask = &b->levels[0];
	ev->u.bbo.bid_px = bid->price;
	ev->u.bbo.ask_px = ask->price;
	ev->u.bbo.bid_qty = wb_book_qty32(bid->shares);
	ev->u.bbo.ask_qty = wb_book_qty32(ask->shares);
	ev->qty = wb_book_count16(bid->orders) | wb_book_count16(ask->orders) << 16;
}

static const struct wb_book_side *
wb_book_side_of(const struct wb_book *b, uint32_t locate, uint8_t side, unsigned int *s)
{
	int i = wb_book_side_index(side);

	if (locate >= b->max_instruments || i < 0)
		return NULL;
	*s = (unsigned int)i;
	return &b->inst[locate].side[i];
}

unsigned int
wb_book_levels(const struct wb_book *b, uint32_t locate, uint8_t side, struct wb_level_info *out,
	       unsigned int n)
{
	const struct wb_book_side *sd;
	unsigned int k = 0, s;
	uint32_t li;

	sd = wb_book_side_of(b, locate, side, &s);
	if (sd == NULL)
		return 0;
	for (li = sd->best; li != 0 && k < n; li = b->levels[li].worse, k++) {
		out[k].price = b->levels[li].price;
		out[k].shares = b->levels[li].shares;
		out[k].orders = b->levels[li].orders;
		out[k].pad = 0;
	}
	return k;
}

/* Walks stepped together: enough to cover the memory latency with misses. */
#define WB_BOOK_WALKS 16u

static void
wb_book_levels_chunk(const struct wb_book *b, struct wb_level_walk *w, unsigned int n)
{
	uint32_t li[WB_BOOK_WALKS];
	unsigned int i, active;

	for (i = 0; i < n; i++) {
		const struct wb_book_side *sd;
		unsigned int s;

		w[i].n = 0;
		sd = wb_book_side_of(b, w[i].instrument, w[i].side, &s);
		li[i] = sd != NULL && w[i].max != 0 ? sd->best : 0;
		wb_prefetch0(&b->levels[li[i]]);
	}
	do {
		active = 0;
		for (i = 0; i < n; i++) {
			const struct wb_book_level *l;
			struct wb_level_info *o;

			if (li[i] == 0)
				continue;
			l = &b->levels[li[i]];
			o = &w[i].out[w[i].n++];
			o->price = l->price;
			o->shares = l->shares;
			o->orders = l->orders;
			o->pad = 0;
			li[i] = w[i].n < w[i].max ? l->worse : 0;
			wb_prefetch0(&b->levels[li[i]]);
			active |= li[i];
		}
	} while (active != 0);
}

void
wb_book_levels_many(const struct wb_book *b, struct wb_level_walk *w, unsigned int n)
{
	unsigned int k;

	for (; n > 0; n -= k, w += k) {
		k = n < WB_BOOK_WALKS ? n : WB_BOOK_WALKS;
		wb_book_levels_chunk(b, w, k);
	}
}

unsigned int
wb_book_depth(const struct wb_book *b, uint32_t locate, uint8_t side)
{
	const struct wb_book_side *sd;
	unsigned int s;

	sd = wb_book_side_of(b, locate, side, &s);
	return sd == NULL ? 0 : sd->depth;
}

int
wb_book_order(const struct wb_book *b, uint64_t ref, struct wb_order_info *out)
{
	const struct wb_book_order *o;
	uint32_t pos, oi;

	oi = wb_book_find(b, ref, &pos);
	if (oi == 0)
		return -ENOENT;
	o = &b->orders[oi];
	out->ref = ref;
	out->instrument = o->instrument;
	out->side = o->side == WB_BOOK_BID ? 'B' : 'S';
	out->price = b->levels[o->level].price;
	out->shares = o->shares;
	return 0;
}

unsigned int
wb_book_level_orders(const struct wb_book *b, uint32_t locate, uint8_t side, int64_t price,
		     uint64_t *refs, unsigned int n)
{
	const struct wb_book_side *sd;
	unsigned int k, s, skip;
	uint32_t li, oi;

	sd = wb_book_side_of(b, locate, side, &s);
	if (sd == NULL)
		return 0;
	li = wb_book_level_find(b, sd, s, price);
	if (li == 0)
		return 0;
	/* the level keeps only its newest order: walk back from it, past the
	 * orders after the first n, filling refs from the end */
	k = b->levels[li].orders < n ? b->levels[li].orders : n;
	oi = b->levels[li].tail;
	for (skip = b->levels[li].orders - k; skip > 0; skip--)
		oi = b->orders[oi].prev;
	for (s = k; s > 0; s--, oi = b->orders[oi].prev)
		refs[s - 1] = b->orders[oi].ref;
	return k;
}
