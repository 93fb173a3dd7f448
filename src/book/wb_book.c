/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The writer side of the book: wb_book_apply_op(), the kind-specific calls
 * (wb_book_add ... wb_book_replace, the same code without the switch on
 * the op kind) and the level and order operations under them; the ops that
 * touch no order are in wb_book_dir.c.
 *
 * Every op is validated completely before the first write, so an op that is
 * counted as an error leaves every table as it was (a replace checks up
 * front that the level it needs will exist). Ops naming an order (execute,
 * cancel, delete, replace) act on the instrument the order was added to,
 * not on the instrument they carry. BBO bits: a change to the best level of
 * a side always changes its shares or its order count, so "touched the best
 * level" is exact for add, execute, cancel and delete; a replace compares
 * the best level before and after, because an order replaced at the same
 * price and size leaves the top unchanged.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wb_book_int.h"
#include "wb_err.h"

/*
 * c ? x : y for c 0 or 1, by masks: GCC turns `l->x = c ? l->x : v` into a
 * branch around the store, which mispredicts as often as c changes.
 */
static inline uint32_t
wb_book_sel(int c, uint32_t x, uint32_t y)
{
	uint32_t m = -(uint32_t)c;

	return (x & m) | (y & ~m);
}

/* ---- levels ---- */

static inline uint32_t
wb_book_level_new(struct wb_book *b, struct wb_book_side *sd, uint32_t *lc, int64_t price,
		  uint32_t better, uint32_t worse)
{
	struct wb_book_level *l;
	uint32_t li = b->level_free;

	if (li != 0)
		b->level_free = b->levels[li].better;
	else if (b->level_fresh <= b->max_levels)
		li = b->level_fresh++;
	else
		return 0;
	l = &b->levels[li];
	l->shares = 0;
	l->price = price;
	l->orders = 0;
	l->tail = 0;
	l->better = better;
	l->worse = worse;
	if (better != 0)
		b->levels[better].worse = li;
	else
		sd->best = li;
	if (worse != 0)
		b->levels[worse].better = li;
	else
		sd->worst = li;
	sd->depth++;
	lc[wb_book_lc_slot(price)] = li;
	b->stats.live_levels++;
	return li;
}

static inline uint64_t
wb_book_absdiff(int64_t a, int64_t b)
{
	return a > b ? (uint64_t)a - (uint64_t)b : (uint64_t)b - (uint64_t)a;
}

/* The level at price on side s by a walk of its list, created if needed. */
static uint32_t
wb_book_level_search(struct wb_book *b, struct wb_book_side *sd, uint32_t *lc, unsigned int s,
		     int64_t price)
{
	const struct wb_book_level *wl, *bl, *l;
	uint32_t li, from;
	uint64_t d;

	/* most adds land at the top or where the side's last add did */
	if (sd->best == 0)
		return wb_book_level_new(b, sd, lc, price, 0, 0);
	bl = &b->levels[sd->best];
	if (bl->price == price)
		return sd->best;
	if (wb_book_better(s, price, bl->price))
		return wb_book_level_new(b, sd, lc, price, 0, sd->best);
	if (sd->last != 0 && b->levels[sd->last].price == price)
		return sd->last;
	wl = &b->levels[sd->worst];
	if (wl->price == price)
		return sd->worst;
	if (wb_book_better(s, wl->price, price))
		return wb_book_level_new(b, sd, lc, price, sd->worst, 0);
	/* strictly between best and worst: both walks end inside the list */
	from = sd->best;
	d = wb_book_absdiff(price, bl->price);
	if (wb_book_absdiff(price, wl->price) < d) {
		from = sd->worst;
		d = wb_book_absdiff(price, wl->price);
	}
	if (sd->last != 0 && wb_book_absdiff(price, b->levels[sd->last].price) < d)
		from = sd->last;
	l = &b->levels[from];
	if (l->price == price)
		return from;
	if (wb_book_better(s, l->price, price)) {
		for (li = l->worse;; li = l->worse) {
			l = &b->levels[li];
			if (l->price == price)
				return li;
			if (wb_book_better(s, price, l->price))
				return wb_book_level_new(b, sd, lc, price, l->better, li);
		}
	}
	for (li = l->better;; li = l->better) {
		l = &b->levels[li];
		if (l->price == price)
			return li;
		if (wb_book_better(s, l->price, price))
			return wb_book_level_new(b, sd, lc, price, li, l->worse);
	}
}

/* The level at price on side s, created if needed; 0 if the table is full. */
static inline uint32_t
wb_book_level_get(struct wb_book *b, struct wb_book_inst *in, unsigned int s, int64_t price)
{
	struct wb_book_side *sd = &in->side[s];
	uint32_t *lc = in->lc[s];
	uint32_t li = lc[wb_book_lc_slot(price)];

	/* nearly every add joins a level the cache has */
	if (wb_likely((li != 0) & (b->levels[li].price == price)))
		return li;
	li = wb_book_level_search(b, sd, lc, s, price);
	if (li != 0) {
		/* counted only when it found one: a rejected add changes nothing */
		b->stats.level_searches++;
		lc[wb_book_lc_slot(price)] = li;
	}
	return li;
}

/*
 * Unlinks order oi from its level and frees its entry: a window entry is
 * marked empty, a pool entry leaves the spill table (slot pos) and its home
 * entry's count.
 */
static inline void
wb_book_order_remove(struct wb_book *b, uint32_t oi, uint32_t pos)
{
	struct wb_book_order *o = &b->orders[oi];
	uint32_t li = o->level;
	struct wb_book_level *l = &b->levels[li];
	uint32_t *lc;

	/* no branches on whether the order is first or last in its queue
	 * (that does not predict): the neighbours' links are written
	 * unconditionally, entry 0 taking those of a missing neighbour, and
	 * the level's ends are selected */
	b->orders[o->prev].next = o->next;
	b->orders[o->next].prev = o->prev;
	l->tail = wb_book_sel(o->next == 0, o->prev, l->tail);
	l->shares -= o->shares;
	if (--l->orders == 0) {
		struct wb_book_side *sd = &b->inst[o->instrument].side[o->side];

		if (l->better != 0)
			b->levels[l->better].worse = l->worse;
		else
			sd->best = l->worse;
		if (l->worse != 0)
			b->levels[l->worse].better = l->better;
		else
			sd->worst = l->better;
		if (sd->last == li)
			sd->last = 0;
		lc = b->inst[o->instrument].lc[o->side];
		if (lc[wb_book_lc_slot(l->price)] == li)
			lc[wb_book_lc_slot(l->price)] = 0;
		sd->depth--;
		b->stats.live_levels--;
		l->better = b->level_free;
		b->level_free = li;
	}
	o->level = 0;
	if (wb_unlikely(!wb_book_in_window(b, oi))) {
		struct wb_book_order *h = &b->orders[wb_book_home(b, o->ref)];

		wb_book_slot_delete(b, pos);
		if (h->spill != WB_BOOK_SPILL_STICKY)
			h->spill--;
		o->next = b->order_free;
		b->order_free = oi;
		b->stats.spilled_orders--;
	}
	b->stats.live_orders--;
}

/*
 * Queues a new order at level li: in its window entry, or spilled to the
 * pool if that entry is taken (the caller checked there is room).
 */
static inline uint32_t
wb_book_order_insert(struct wb_book *b, uint64_t ref, uint32_t instrument, unsigned int s,
		     uint32_t li, uint32_t shares)
{
	struct wb_book_level *l = &b->levels[li];
	struct wb_book_order *o;
	uint32_t oi = wb_book_home(b, ref);

	if (wb_unlikely(b->orders[oi].level != 0)) {
		struct wb_book_order *h = &b->orders[oi];

		if (h->spill != WB_BOOK_SPILL_STICKY)
			h->spill++;
		oi = b->order_free;
		if (oi != 0)
			b->order_free = b->orders[oi].next;
		else
			oi = b->order_fresh++;
		wb_book_slot_insert(b, wb_book_tag(ref), oi);
		b->stats.spilled_orders++;
		b->stats.spills++;
	}
	o = &b->orders[oi];
	o->ref = ref;
	o->shares = shares;
	o->prev = l->tail;
	o->next = 0;
	o->level = li;
	o->instrument = instrument;
	o->side = (uint8_t)s;
	b->orders[l->tail].next = oi; /* entry 0 when the queue is empty */
	l->tail = oi;
	l->orders++;
	l->shares += shares;
	b->stats.live_orders++;
	return oi;
}

/* Room for one more live order (the pool can take max_orders, spilled or not). */
static inline int
wb_book_orders_available(const struct wb_book *b)
{
	return b->stats.live_orders < b->max_orders;
}

/* ---- ops ---- */

static void
wb_book_learn_symbol(struct wb_book *b, uint32_t instrument, const char *symbol)
{
	b->inst[instrument].known = 1;
	b->dir[instrument].known = 1;
	if (symbol != NULL && symbol[0] != '\0')
		wb_book_set_symbol(b->dir[instrument].symbol, symbol);
}

/*
 * 1 if side s's best level li reaches the other side's best: a crossed (or
 * locked) book, which an exchange's own book never is, so a bad price got
 * in. Counted, not refused: which of the two orders is wrong is unknowable.
 */
static inline int
wb_book_crosses(const struct wb_book *b, const struct wb_book_inst *in, unsigned int s,
		uint32_t li)
{
	uint32_t o = in->side[s ^ 1u].best;

	if (o == 0)
		return 0;
	return s == WB_BOOK_BID ? b->levels[li].price >= b->levels[o].price
				: b->levels[li].price <= b->levels[o].price;
}

static inline unsigned int
wb_book_add_fields(struct wb_book *b, uint32_t loc, uint64_t ref, uint8_t side, int64_t price,
		   uint32_t shares, const char *symbol, struct wb_event *ev, uint32_t *at)
{
	int s = wb_book_side_index(side);
	struct wb_book_side *sd;
	uint32_t pos, li;

	if (wb_unlikely(loc >= b->max_instruments)) {
		b->stats.bad_locate++;
		return 0;
	}
	if (wb_unlikely(s < 0)) {
		b->stats.bad_side++;
		return 0;
	}
	if (wb_unlikely(shares == 0)) {
		b->stats.zero_shares++;
		return 0;
	}
	if (wb_unlikely(wb_book_find(b, ref, &pos) != 0)) {
		b->stats.duplicate_ref++;
		return 0;
	}
	if (wb_unlikely(!wb_book_orders_available(b))) {
		b->stats.orders_full++;
		return 0;
	}
	sd = &b->inst[loc].side[s];
	li = wb_book_level_get(b, &b->inst[loc], (unsigned int)s, price);
	if (wb_unlikely(li == 0)) {
		b->stats.levels_full++;
		return 0;
	}
	sd->last = li;
	wb_book_order_insert(b, ref, loc, (unsigned int)s, li, shares);
	if (li == sd->best && wb_unlikely(wb_book_crosses(b, &b->inst[loc], (unsigned int)s, li)))
		b->stats.crossed++;
	if (wb_unlikely(!b->inst[loc].known))
		wb_book_learn_symbol(b, loc, symbol);
	b->stats.applied++;
	*at = loc;
	if (ev != NULL) {
		ev->type = WB_EV_ADD;
		ev->side = side;
		ev->qty = shares;
		ev->u.order.ref = ref;
		ev->u.order.price = price;
	}
	return WB_BOOK_CHANGED | (li == sd->best ? WB_BOOK_BBO_CHANGED : 0);
}

/*
 * Execute and cancel (n shares) and delete (all): n below the remaining
 * shares reduces the order in place (time priority kept); n at or above
 * removes it.
 */
static unsigned int
wb_book_reduce(struct wb_book *b, uint64_t ref, uint32_t n, int del, struct wb_event *ev,
	       uint32_t *at)
{
	struct wb_book_order *o;
	uint32_t pos, oi, loc, li, have;
	unsigned int bits, s;

	oi = wb_book_find(b, ref, &pos);
	if (wb_unlikely(oi == 0)) {
		b->stats.unknown_ref++;
		if (ev != NULL)
			ev->type = WB_EV_NONE;
		return 0;
	}
	/* read once: the stores to ev and at may alias the order, as far as
	 * C knows, and would make every use below load it again */
	o = &b->orders[oi];
	loc = o->instrument;
	s = o->side;
	li = o->level;
	have = o->shares;
	*at = loc;
	bits = WB_BOOK_CHANGED | (li == b->inst[loc].side[s].best ? WB_BOOK_BBO_CHANGED : 0);
	if (ev != NULL) {
		ev->instrument = loc;
		ev->side = s == WB_BOOK_BID ? 'B' : 'S';
		ev->qty = del ? have : n;
		ev->u.order.ref = ref;
		ev->u.order.price = b->levels[li].price;
	}
	if ((del ^ 1) & (n < have)) {
		if (n == 0)
			return 0;
		o->shares = have - n;
		b->levels[li].shares -= n;
	} else {
		b->stats.overfill += (unsigned int)(del ^ 1) & (n > have);
		wb_book_order_remove(b, oi, pos);
	}
	b->stats.applied++;
	return bits;
}

struct wb_book_top {
	uint64_t shares;
	int64_t price;
	uint64_t orders;
};

static inline void
wb_book_top(const struct wb_book *b, const struct wb_book_side *sd, struct wb_book_top *t)
{
	/* level 0 is never allocated and stays zero: an empty side reads it */
	const struct wb_book_level *l = &b->levels[sd->best];

	t->shares = l->shares;
	t->price = l->price;
	t->orders = l->orders;
}

/*
 * Replace: the original leaves its level, the new ref joins the back of the
 * queue at the new price, same instrument and side. A new ref that is
 * already live (other than the original) is a duplicate: nothing changes.
 */
static inline unsigned int
wb_book_replace_fields(struct wb_book *b, uint64_t oref, uint64_t nref, int64_t price,
		       uint32_t shares, struct wb_event *ev, uint32_t *at)
{
	uint32_t pos, oi, li, loc;
	struct wb_book_top before, after;
	struct wb_book_order *o;
	struct wb_book_side *sd;
	unsigned int s;

	oi = wb_book_find(b, oref, &pos);
	if (wb_unlikely(oi == 0)) {
		b->stats.unknown_ref++;
		return 0;
	}
	if (wb_unlikely(shares == 0)) {
		b->stats.zero_shares++;
		return 0;
	}
	if (wb_unlikely(nref != oref && wb_book_find(b, nref, &li) != 0)) {
		b->stats.duplicate_ref++;
		return 0;
	}
	o = &b->orders[oi];
	s = o->side;
	loc = o->instrument;
	sd = &b->inst[loc].side[s];
	/* a full level table fails only if the new price needs a level no one frees */
	if (wb_unlikely(b->level_free == 0 && b->level_fresh > b->max_levels &&
			price != b->levels[o->level].price && b->levels[o->level].orders > 1 &&
			wb_book_level_find(b, sd, s, price) == 0)) {
		b->stats.levels_full++;
		return 0;
	}
	wb_book_top(b, sd, &before);
	wb_book_order_remove(b, oi, pos);
	li = wb_book_level_get(b, &b->inst[loc], s, price);
	sd->last = li;
	wb_book_order_insert(b, nref, loc, s, li, shares);
	if (li == sd->best && wb_unlikely(wb_book_crosses(b, &b->inst[loc], s, li)))
		b->stats.crossed++;
	wb_book_top(b, sd, &after);
	b->stats.applied++;
	*at = loc;
	if (ev != NULL) {
		ev->type = WB_EV_REPLACE;
		ev->instrument = loc;
		ev->side = s == WB_BOOK_BID ? 'B' : 'S';
		ev->qty = shares;
		ev->u.order.ref = oref;
		ev->u.order.aux = nref;
		ev->u.order.price = price;
	}
	return WB_BOOK_CHANGED | (memcmp(&before, &after, sizeof(before)) != 0
					  ? WB_BOOK_BBO_CHANGED
					  : 0);
}

/*
 * Modify (Cboe): in place when the venue allows it, the price is unchanged
 * and the size does not grow (a reduce of the difference), else a replace
 * under the same ref. The same rule the PITCH adapter applied on a copy
 * read from the book, tests/feed/test_pitch_diff.c's model.
 */
static unsigned int
wb_book_modify(struct wb_book *b, const struct wb_book_op *op, struct wb_event *ev, uint32_t *at)
{
	const struct wb_book_order *o;
	uint32_t pos, oi;

	oi = wb_book_find(b, op->ref, &pos);
	if (wb_unlikely(oi == 0)) {
		b->stats.unknown_ref++;
		return 0;
	}
	o = &b->orders[oi];
	if (op->state && b->levels[o->level].price == op->price && op->qty <= o->shares &&
	    op->qty != 0) {
		b->stats.modify_kept++;
		if (op->qty == o->shares)
			return 0;
		if (ev != NULL)
			ev->type = WB_EV_CANCEL;
		return wb_book_reduce(b, op->ref, o->shares - op->qty, 0, ev, at);
	}
	return wb_book_replace_fields(b, op->ref, op->ref, op->price, op->qty, ev, at);
}

/* Trim: an order holding more than the venue says is left loses the excess. */
static unsigned int
wb_book_trim(struct wb_book *b, const struct wb_book_op *op, struct wb_event *ev, uint32_t *at)
{
	uint32_t pos, oi = wb_book_find(b, op->ref, &pos);

	if (oi == 0 || b->orders[oi].shares <= op->qty)
		return 0;
	b->stats.trimmed++;
	if (ev != NULL)
		ev->type = WB_EV_CANCEL;
	return wb_book_reduce(b, op->ref, b->orders[oi].shares - op->qty, 0, ev, at);
}

/*
 * Clear: every order of the instrument leaves, best level first on each
 * side (a venue's clear, or an instrument that must be rebuilt).
 */
static unsigned int
wb_book_clear_instrument(struct wb_book *b, const struct wb_book_op *op, uint32_t *at)
{
	uint32_t loc = op->instrument, pos, oi;
	unsigned int s, n = 0;

	if (wb_unlikely(loc >= b->max_instruments)) {
		b->stats.bad_locate++;
		return 0;
	}
	for (s = 0; s < 2; s++) {
		const struct wb_book_side *sd = &b->inst[loc].side[s];

		while (sd->best != 0) {
			oi = b->levels[sd->best].tail;
			pos = 0;
			if (!wb_book_in_window(b, oi))
				wb_book_spill_find(b, b->orders[oi].ref, &pos);
			wb_book_order_remove(b, oi, pos);
			n++;
		}
	}
	if (n == 0)
		return 0;
	b->stats.applied++;
	*at = loc;
	return WB_BOOK_CHANGED | WB_BOOK_BBO_CHANGED;
}

/* The order kinds, for wb_book_apply_op and the exported calls below alike. */
static inline unsigned int
wb_book_delete_inline(struct wb_book *b, uint64_t ref, struct wb_event *ev, uint32_t *at)
{
	if (ev != NULL)
		ev->type = WB_EV_DELETE;
	return wb_book_reduce(b, ref, 0, 1, ev, at);
}

static inline unsigned int
wb_book_cancel_inline(struct wb_book *b, uint64_t ref, uint32_t qty, struct wb_event *ev,
		      uint32_t *at)
{
	if (ev != NULL)
		ev->type = WB_EV_CANCEL;
	return wb_book_reduce(b, ref, qty, 0, ev, at);
}

static inline unsigned int
wb_book_execute_inline(struct wb_book *b, uint64_t ref, uint32_t qty, uint64_t match,
		       int has_price, int64_t price, struct wb_event *ev, uint32_t *at)
{
	unsigned int bits;

	if (ev != NULL) {
		ev->type = WB_EV_EXECUTE;
		ev->u.order.aux = match;
	}
	bits = wb_book_reduce(b, ref, qty, 0, ev, at);
	/* the execution price is reported, the order's price stays in the book */
	if (has_price && ev != NULL && ev->type == WB_EV_EXECUTE)
		ev->u.order.price = price;
	return bits;
}

unsigned int
wb_book_add(struct wb_book *b, uint32_t instrument, uint64_t ref, uint8_t side, int64_t price,
	    uint32_t qty, const char *symbol, struct wb_event *ev, uint32_t *at)
{
	return wb_book_add_fields(b, instrument, ref, side, price, qty, symbol, ev, at);
}

unsigned int
wb_book_execute(struct wb_book *b, uint64_t ref, uint32_t qty, uint64_t match, struct wb_event *ev,
		uint32_t *at)
{
	return wb_book_execute_inline(b, ref, qty, match, 0, 0, ev, at);
}

unsigned int
wb_book_execute_at(struct wb_book *b, uint64_t ref, uint32_t qty, uint64_t match, int64_t price,
		   struct wb_event *ev, uint32_t *at)
{
	return wb_book_execute_inline(b, ref, qty, match, 1, price, ev, at);
}

unsigned int
wb_book_cancel(struct wb_book *b, uint64_t ref, uint32_t qty, struct wb_event *ev, uint32_t *at)
{
	return wb_book_cancel_inline(b, ref, qty, ev, at);
}

unsigned int
wb_book_delete(struct wb_book *b, uint64_t ref, struct wb_event *ev, uint32_t *at)
{
	return wb_book_delete_inline(b, ref, ev, at);
}

unsigned int
wb_book_replace(struct wb_book *b, uint64_t ref, uint64_t nref, int64_t price, uint32_t qty,
		struct wb_event *ev, uint32_t *at)
{
	return wb_book_replace_fields(b, ref, nref, price, qty, ev, at);
}

unsigned int
wb_book_apply_op(struct wb_book *b, const struct wb_book_op *op, struct wb_event *ev, uint32_t *at)
{
	wb_book_event_init(ev, op->instrument, op->exch_ts);
	switch (op->kind) {
	case WB_OP_ADD:
		return wb_book_add_fields(b, op->instrument, op->ref, op->side, op->price, op->qty,
					  op->symbol, ev, at);
	case WB_OP_DELETE:
		return wb_book_delete_inline(b, op->ref, ev, at);
	case WB_OP_EXECUTE:
		return wb_book_execute_inline(b, op->ref, op->qty, op->aux, op->has_price, op->price,
					      ev, at);
	case WB_OP_CANCEL:
		return wb_book_cancel_inline(b, op->ref, op->qty, ev, at);
	case WB_OP_REPLACE:
		return wb_book_replace_fields(b, op->ref, op->aux, op->price, op->qty, ev, at);
	case WB_OP_MODIFY:
		return wb_book_modify(b, op, ev, at);
	case WB_OP_TRIM:
		return wb_book_trim(b, op, ev, at);
	case WB_OP_TRADE:
		return wb_book_trade(b, op, ev);
	case WB_OP_STATE:
	case WB_OP_DIRECTORY:
		return wb_book_directory(b, op, ev, at);
	case WB_OP_CLEAR:
		return wb_book_clear_instrument(b, op, at);
	default:
		return 0;
	}
}
