/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Burst prefetch. Applying a message costs a chain of dependent loads: the
 * slot, then the order it names, then that order's level and queue
 * neighbours (for an add: the instrument, then its levels). When the
 * last-level cache does not hold the working set each link is a DRAM round
 * trip, so three passes over a decoded burst issue one link each for every
 * message, and the misses of different messages overlap. They only read
 * (in-bounds indices from the book's own tables, possibly stale) and
 * prefetch; nothing depends on them for correctness.
 */
#include "wb_book_int.h"

void
wb_book_prefetch(const struct wb_book *b, uint64_t ref)
{
	wb_prefetch0(&b->slots[wb_book_tag(ref) & b->mask]);
}

static inline int
wb_book_msg_ref(const struct wb_itch_msg *m, uint64_t *ref)
{
	switch (m->type) {
	case WB_ITCH_ORDER_EXECUTED:
		*ref = m->u.executed.order_ref;
		return 1;
	case WB_ITCH_ORDER_EXECUTED_PRICE:
		*ref = m->u.executed_price.order_ref;
		return 1;
	case WB_ITCH_ORDER_CANCEL:
		*ref = m->u.cancel.order_ref;
		return 1;
	case WB_ITCH_ORDER_DELETE:
		*ref = m->u.del.order_ref;
		return 1;
	case WB_ITCH_ORDER_REPLACE:
		*ref = m->u.replace.orig_order_ref;
		return 1;
	default:
		return 0;
	}
}

static inline int
wb_book_msg_add(const struct wb_book *b, const struct wb_itch_msg *m, int *s)
{
	if (m->type != WB_ITCH_ADD_ORDER && m->type != WB_ITCH_ADD_ORDER_MPID)
		return 0;
	*s = wb_book_side_index(m->u.add.side);
	return *s >= 0 && m->stock_locate < b->max_instruments;
}

/* A hint: the order a slot run names for ref, or 0. */
static inline uint32_t
wb_book_peek(const struct wb_book *b, uint64_t ref)
{
	uint32_t tag = wb_book_tag(ref), j = tag & b->mask, d = 0;

	for (; b->slots[j].idx != 0 && wb_book_slot_dist(b, j, b->slots[j].tag) >= d;
	     j = (j + 1) & b->mask, d++)
		if (b->slots[j].tag == tag)
			return b->slots[j].idx;
	return 0;
}

static inline void
wb_book_stage1(const struct wb_book *b, const struct wb_itch_msg *m)
{
	uint64_t ref;
	int s;

	if (wb_book_msg_ref(m, &ref)) {
		wb_prefetch0(&b->slots[wb_book_tag(ref) & b->mask]);
	} else if (wb_book_msg_add(b, m, &s)) {
		wb_prefetch0(&b->slots[wb_book_tag(m->u.add.order_ref) & b->mask]);
		wb_prefetch0(&b->inst[m->stock_locate]);
	}
}

static inline void
wb_book_stage2(const struct wb_book *b, const struct wb_itch_msg *m)
{
	uint64_t ref;
	int s;

	if (wb_book_msg_ref(m, &ref)) {
		wb_prefetchw(&b->orders[wb_book_peek(b, ref)]);
		if (m->type == WB_ITCH_ORDER_REPLACE)
			wb_prefetch0(&b->slots[wb_book_tag(m->u.replace.new_order_ref) & b->mask]);
	} else if (wb_book_msg_add(b, m, &s)) {
		const struct wb_book_side *sd = &b->inst[m->stock_locate].side[s];

		wb_prefetchw(&b->levels[sd->last]);
		wb_prefetchw(&b->levels[sd->best]);
	}
}

static inline void
wb_book_stage3(const struct wb_book *b, const struct wb_itch_msg *m)
{
	const struct wb_book_order *o;
	uint64_t ref;

	if (wb_book_msg_ref(m, &ref)) {
		o = &b->orders[wb_book_peek(b, ref)];
		wb_prefetchw(&b->levels[o->level]);
		wb_prefetchw(&b->orders[o->prev]);
		wb_prefetchw(&b->orders[o->next]);
	}
}

void
wb_book_prefetch_burst(const struct wb_book *b, const struct wb_itch_msg *m, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		wb_book_stage1(b, &m[i]);
	for (i = 0; i < n; i++)
		wb_book_stage2(b, &m[i]);
	for (i = 0; i < n; i++)
		wb_book_stage3(b, &m[i]);
}

