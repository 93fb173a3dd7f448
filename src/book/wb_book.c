/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The writer side of the book: wb_book_apply() and the level and order
 * operations under it.
 *
 * Every message is validated completely before the first write, so a message
 * that is counted as an error leaves every table as it was (a replace checks
 * up front that the level it needs will exist). Order-ref messages (E C X D U)
 * act on the instrument the order was added to, not on the locate they carry.
 * BBO bits: a change to the best level of a side always changes its shares
 * or its order count, so "touched the best level" is exact for A E C X D;
 * a replace compares the best level before and after, because an order
 * replaced at the same price and size leaves the top unchanged.
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
wb_book_level_new(struct wb_book *b, struct wb_book_side *sd, uint32_t *lc, uint32_t price,
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
	l->head = l->tail = 0;
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

static inline uint32_t
wb_book_absdiff(uint32_t a, uint32_t b)
{
	return a > b ? a - b : b - a;
}

/* The level at price on side s by a walk of its list, created if needed. */
static uint32_t
wb_book_level_search(struct wb_book *b, struct wb_book_side *sd, uint32_t *lc, unsigned int s,
		     uint32_t price)
{
	const struct wb_book_level *wl, *bl, *l;
	uint32_t li, from, d;

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
wb_book_level_get(struct wb_book *b, struct wb_book_inst *in, unsigned int s, uint32_t price)
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
	l->head = wb_book_sel(o->prev == 0, o->next, l->head);
	l->tail = wb_book_sel(o->next == 0, o->prev, l->tail);
	l->shares -= o->shares;
	if (--l->orders == 0) {
		struct wb_book_side *sd = &b->inst[o->locate].side[o->side];

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
		lc = b->inst[o->locate].lc[o->side];
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
wb_book_order_insert(struct wb_book *b, uint64_t ref, uint16_t locate, unsigned int s,
		     uint32_t li, uint32_t price, uint32_t shares)
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
	o->price = price;
	o->shares = shares;
	o->prev = l->tail;
	o->next = 0;
	o->level = li;
	o->locate = locate;
	o->side = (uint8_t)s;
	b->orders[l->tail].next = oi; /* entry 0 when the queue is empty */
	l->head = wb_book_sel(l->tail == 0, oi, l->head);
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

/* ---- messages ---- */

static void
wb_book_learn_symbol(struct wb_book *b, uint16_t locate, const uint8_t *stock)
{
	b->inst[locate].known = 1;
	b->dir[locate].known = 1;
	if (stock != NULL)
		wb_itch_alpha(b->dir[locate].symbol, stock, WB_ITCH_STOCK_LEN);
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

/* A F, from the fields (wb_book_apply and wb_book_apply_raw share it). */
static inline unsigned int
wb_book_add_fields(struct wb_book *b, uint16_t loc, uint64_t ref, uint8_t side, uint32_t shares,
		   uint32_t price, const uint8_t *stock, struct wb_event *ev, uint16_t *at)
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
	wb_book_order_insert(b, ref, loc, (unsigned int)s, li, price, shares);
	if (li == sd->best && wb_unlikely(wb_book_crosses(b, &b->inst[loc], (unsigned int)s, li)))
		b->stats.crossed++;
	if (wb_unlikely(!b->inst[loc].known))
		wb_book_learn_symbol(b, loc, stock);
	b->stats.applied++;
	*at = loc;
	if (ev != NULL) {
		ev->type = WB_EV_ADD;
		ev->side = side;
		ev->u.order.ref = ref;
		ev->u.order.price = price;
		ev->u.order.shares = shares;
	}
	return WB_BOOK_CHANGED | (li == sd->best ? WB_BOOK_BBO_CHANGED : 0);
}

static unsigned int
wb_book_add(struct wb_book *b, const struct wb_itch_msg *m, struct wb_event *ev)
{
	uint16_t at;

	return wb_book_add_fields(b, m->stock_locate, m->u.add.order_ref, m->u.add.side,
				  m->u.add.shares, m->u.add.price, m->u.add.stock, ev, &at);
}

/*
 * E C X (n shares) and D (all): n below the remaining shares reduces the
 * order in place (time priority kept); n at or above removes it.
 */
static unsigned int
wb_book_reduce(struct wb_book *b, uint64_t ref, uint32_t n, int del, struct wb_event *ev,
	       uint16_t *at)
{
	struct wb_book_order *o;
	unsigned int bits;
	uint32_t pos, oi;

	oi = wb_book_find(b, ref, &pos);
	if (wb_unlikely(oi == 0)) {
		b->stats.unknown_ref++;
		if (ev != NULL)
			ev->type = WB_EV_NONE;
		return 0;
	}
	o = &b->orders[oi];
	*at = o->locate;
	bits = WB_BOOK_CHANGED |
	       (o->level == b->inst[o->locate].side[o->side].best ? WB_BOOK_BBO_CHANGED : 0);
	if (ev != NULL) {
		ev->locate = o->locate;
		ev->side = o->side == WB_BOOK_BID ? 'B' : 'S';
		ev->u.order.ref = ref;
		ev->u.order.price = o->price;
		ev->u.order.shares = del ? o->shares : n;
	}
	if ((del ^ 1) & (n < o->shares)) {
		if (n == 0)
			return 0;
		o->shares -= n;
		b->levels[o->level].shares -= n;
	} else {
		b->stats.overfill += (unsigned int)(del ^ 1) & (n > o->shares);
		wb_book_order_remove(b, oi, pos);
	}
	b->stats.applied++;
	return bits;
}

struct wb_book_top {
	uint64_t shares;
	uint32_t price, orders;
};

static inline void
wb_book_top(const struct wb_book *b, const struct wb_book_side *sd, struct wb_book_top *t)
{
	if (sd->best == 0) {
		t->shares = 0;
		t->price = t->orders = 0;
	} else {
		const struct wb_book_level *l = &b->levels[sd->best];

		t->shares = l->shares;
		t->price = l->price;
		t->orders = l->orders;
	}
}

/*
 * U: the original leaves its level, the new ref joins the back of the queue
 * at the new price, same instrument and side. A new ref that is already live
 * (other than the original) is a duplicate: nothing changes.
 */
static inline unsigned int
wb_book_replace_fields(struct wb_book *b, uint64_t oref, uint64_t nref, uint32_t shares,
		       uint32_t price, struct wb_event *ev, uint16_t *at)
{
	uint32_t pos, oi, li;
	struct wb_book_top before, after;
	struct wb_book_order *o;
	struct wb_book_side *sd;
	unsigned int s;
	uint16_t loc;

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
	loc = o->locate;
	sd = &b->inst[loc].side[s];
	/* a full level table fails only if the new price needs a level no one frees */
	if (wb_unlikely(b->level_free == 0 && b->level_fresh > b->max_levels &&
			price != o->price && b->levels[o->level].orders > 1 &&
			wb_book_level_find(b, sd, s, price) == 0)) {
		b->stats.levels_full++;
		return 0;
	}
	wb_book_top(b, sd, &before);
	wb_book_order_remove(b, oi, pos);
	li = wb_book_level_get(b, &b->inst[loc], s, price);
	sd->last = li;
	wb_book_order_insert(b, nref, loc, s, li, price, shares);
	if (li == sd->best && wb_unlikely(wb_book_crosses(b, &b->inst[loc], s, li)))
		b->stats.crossed++;
	wb_book_top(b, sd, &after);
	b->stats.applied++;
	*at = loc;
	if (ev != NULL) {
		ev->type = WB_EV_REPLACE;
		ev->locate = loc;
		ev->side = s == WB_BOOK_BID ? 'B' : 'S';
		ev->u.order.ref = oref;
		ev->u.order.aux = nref;
		ev->u.order.price = price;
		ev->u.order.shares = shares;
	}
	return WB_BOOK_CHANGED | (memcmp(&before, &after, sizeof(before)) != 0
					  ? WB_BOOK_BBO_CHANGED
					  : 0);
}

static unsigned int
wb_book_replace(struct wb_book *b, const struct wb_itch_msg *m, struct wb_event *ev)
{
	uint16_t at;

	return wb_book_replace_fields(b, m->u.replace.orig_order_ref, m->u.replace.new_order_ref,
				      m->u.replace.shares, m->u.replace.price, ev, &at);
}

static unsigned int
wb_book_directory(struct wb_book *b, const struct wb_itch_msg *m, struct wb_event *ev)
{
	uint16_t loc = m->stock_locate;
	struct wb_instrument *in;

	if (wb_unlikely(loc >= b->max_instruments)) {
		b->stats.bad_locate++;
		return 0;
	}
	in = &b->dir[loc];
	if (m->type == WB_ITCH_STOCK_DIRECTORY) {
		wb_book_learn_symbol(b, loc, m->u.stock_directory.stock);
		in->round_lot_size = m->u.stock_directory.round_lot_size;
		in->market_category = m->u.stock_directory.market_category;
		if (ev != NULL) {
			ev->type = WB_EV_DIRECTORY;
			/* the symbol, NUL padded (event.h has no directory member yet) */
			memcpy(ev->u.raw, in->symbol, WB_SYMBOL_LEN);
		}
	} else {
		in->trading_state = m->u.trading_action.trading_state;
		if (m->u.trading_action.reason != NULL)
			memcpy(in->reason, m->u.trading_action.reason, sizeof(in->reason));
		else
			memset(in->reason, ' ', sizeof(in->reason));
		if (ev != NULL) {
			ev->type = WB_EV_TRADING_STATE;
			ev->u.trading.state = in->trading_state;
			memcpy(ev->u.trading.reason, in->reason, sizeof(in->reason));
		}
	}
	return WB_BOOK_DIRECTORY;
}

/* P Q B: no book change, an event only. */
static unsigned int
wb_book_trade(struct wb_book *b, const struct wb_itch_msg *m, struct wb_event *ev)
{
	if (wb_unlikely(m->stock_locate >= b->max_instruments)) {
		b->stats.bad_locate++;
		return 0;
	}
	if (ev == NULL)
		return 0;
	ev->type = WB_EV_TRADE;
	if (m->type == WB_ITCH_TRADE) {
		ev->side = m->u.trade.side;
		ev->u.trade.shares = m->u.trade.shares;
		ev->u.trade.price = m->u.trade.price;
		ev->u.trade.match = m->u.trade.match_number;
	} else if (m->type == WB_ITCH_CROSS_TRADE) {
		ev->u.trade.shares = m->u.cross_trade.shares;
		ev->u.trade.price = m->u.cross_trade.cross_price;
		ev->u.trade.match = m->u.cross_trade.match_number;
	} else { /* broken trade: the match it voids, no shares, no price */
		ev->u.trade.match = m->u.broken_trade.match_number;
	}
	return 0;
}

static inline void
wb_book_event_init(struct wb_event *ev, uint16_t locate, uint64_t ts)
{
	if (ev != NULL) {
		ev->type = WB_EV_NONE;
		ev->locate = locate;
		ev->side = 0;
		ev->pad0 = 0;
		ev->exch_ts = ts;
		memset(&ev->u, 0, sizeof(ev->u));
	}
}

/*
 * The order messages straight from their bytes: the same as decoding them
 * (wb_itch_decode) and calling wb_book_apply, without the decoded copy or
 * a second dispatch on the type. Field offsets are the spec's.
 */
unsigned int
wb_book_apply_raw(struct wb_book *b, const uint8_t *p, struct wb_event *ev, uint16_t *at)
{
	uint64_t ref = wb_be64(p + 11);

	wb_book_event_init(ev, wb_be16(p + 1), wb_be48(p + 5));
	switch (p[0]) {
	case WB_ITCH_ADD_ORDER:
	case WB_ITCH_ADD_ORDER_MPID:
		return wb_book_add_fields(b, wb_be16(p + 1), ref, p[19], wb_be32(p + 20),
					  wb_be32(p + 32), p + 24, ev, at);
	case WB_ITCH_ORDER_DELETE:
		if (ev != NULL)
			ev->type = WB_EV_DELETE;
		return wb_book_reduce(b, ref, 0, 1, ev, at);
	case WB_ITCH_ORDER_EXECUTED:
		if (ev != NULL) {
			ev->type = WB_EV_EXECUTE;
			ev->u.order.aux = wb_be64(p + 23);
		}
		return wb_book_reduce(b, ref, wb_be32(p + 19), 0, ev, at);
	case WB_ITCH_ORDER_EXECUTED_PRICE: {
		unsigned int bits;

		if (ev != NULL) {
			ev->type = WB_EV_EXECUTE;
			ev->u.order.aux = wb_be64(p + 23);
		}
		bits = wb_book_reduce(b, ref, wb_be32(p + 19), 0, ev, at);
		if (ev != NULL && ev->type == WB_EV_EXECUTE)
			ev->u.order.price = wb_be32(p + 32);
		return bits;
	}
	case WB_ITCH_ORDER_CANCEL:
		if (ev != NULL)
			ev->type = WB_EV_CANCEL;
		return wb_book_reduce(b, ref, wb_be32(p + 19), 0, ev, at);
	case WB_ITCH_ORDER_REPLACE:
		return wb_book_replace_fields(b, ref, wb_be64(p + 19), wb_be32(p + 27),
					      wb_be32(p + 31), ev, at);
	default:
		return 0;
	}
}

unsigned int
wb_book_apply(struct wb_book *b, const struct wb_itch_msg *m, struct wb_event *ev)
{
	uint16_t at;

	wb_book_event_init(ev, m->stock_locate, m->timestamp);
	switch (m->type) {
	case WB_ITCH_ADD_ORDER:
	case WB_ITCH_ADD_ORDER_MPID:
		return wb_book_add(b, m, ev);
	case WB_ITCH_ORDER_DELETE:
		if (ev != NULL)
			ev->type = WB_EV_DELETE;
		return wb_book_reduce(b, m->u.del.order_ref, 0, 1, ev, &at);
	case WB_ITCH_ORDER_EXECUTED:
		if (ev != NULL) {
			ev->type = WB_EV_EXECUTE;
			ev->u.order.aux = m->u.executed.match_number;
		}
		return wb_book_reduce(b, m->u.executed.order_ref, m->u.executed.executed_shares,
				      0, ev, &at);
	case WB_ITCH_ORDER_EXECUTED_PRICE: {
		unsigned int bits;

		if (ev != NULL) {
			ev->type = WB_EV_EXECUTE;
			ev->u.order.aux = m->u.executed_price.match_number;
		}
		bits = wb_book_reduce(b, m->u.executed_price.order_ref,
				      m->u.executed_price.executed_shares, 0, ev, &at);
		/* the execution price is reported, the order's price stays in the book */
		if (ev != NULL && ev->type == WB_EV_EXECUTE)
			ev->u.order.price = m->u.executed_price.execution_price;
		return bits;
	}
	case WB_ITCH_ORDER_CANCEL:
		if (ev != NULL)
			ev->type = WB_EV_CANCEL;
		return wb_book_reduce(b, m->u.cancel.order_ref, m->u.cancel.cancelled_shares, 0,
				      ev, &at);
	case WB_ITCH_ORDER_REPLACE:
		return wb_book_replace(b, m, ev);
	case WB_ITCH_TRADE:
	case WB_ITCH_CROSS_TRADE:
	case WB_ITCH_BROKEN_TRADE:
		return wb_book_trade(b, m, ev);
	case WB_ITCH_STOCK_DIRECTORY:
	case WB_ITCH_TRADING_ACTION:
		return wb_book_directory(b, m, ev);
	default:
		return 0;
	}
}
