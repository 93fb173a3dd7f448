/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Burst prefetch. Applying a message costs a chain of dependent loads: the
 * order (its window entry is computed from the ref, so this link has no
 * table in front of it), then that order's level and queue neighbours (for
 * an add: the instrument, then its levels). When the last-level cache does
 * not hold the working set each link is a DRAM round trip, so two passes
 * over a decoded burst issue one link each for every message, and the
 * misses of different messages overlap. They only read (in-bounds indices
 * from the book's own tables, possibly stale) and prefetch; nothing depends
 * on them for correctness.
 */
#include <stddef.h>

#include "wb_book_int.h"

void
wb_book_prefetch(const struct wb_book *b, uint64_t ref)
{
	wb_prefetch0(&b->orders[wb_book_home(b, ref)]);
}

/*
 * The stages are written without branches on the message type, whose mix
 * is unpredictable: a mispredicted switch per stage per message cost more
 * than the prefetches saved. Every order message (A F E C X D U) carries
 * its ref first in the decoded union, so the first 8 bytes of it are read
 * for every type; for the few other types they are something else, which
 * names some in-bounds entry and costs one wasted prefetch. Indices read
 * from the tables are masked or checked the same way.
 */
_Static_assert(offsetof(struct wb_itch_msg, u.add.order_ref) ==
			       offsetof(struct wb_itch_msg, u.del.order_ref) &&
		       offsetof(struct wb_itch_msg, u.executed.order_ref) ==
			       offsetof(struct wb_itch_msg, u.del.order_ref) &&
		       offsetof(struct wb_itch_msg, u.executed_price.order_ref) ==
			       offsetof(struct wb_itch_msg, u.del.order_ref) &&
		       offsetof(struct wb_itch_msg, u.cancel.order_ref) ==
			       offsetof(struct wb_itch_msg, u.del.order_ref) &&
		       offsetof(struct wb_itch_msg, u.replace.orig_order_ref) ==
			       offsetof(struct wb_itch_msg, u.del.order_ref),
	       "every order message has its ref first");

/*
 * Selections are masks, not conditionals: GCC turned `live ? x : 0` into a
 * branch, which mispredicts as often as adds and removals alternate.
 */
static inline uint32_t
wb_book_msg_locate(const struct wb_book *b, const struct wb_itch_msg *m)
{
	return m->stock_locate & -(uint32_t)(m->stock_locate < b->max_instruments);
}

static inline void
wb_book_stage1(const struct wb_book *b, const struct wb_itch_msg *m)
{
	uint64_t ref = m->u.del.order_ref;
	uint64_t ref2 = ref ^ ((ref ^ m->u.replace.new_order_ref) &
			       -(uint64_t)(m->type == WB_ITCH_ORDER_REPLACE));

	wb_prefetchw(&b->orders[wb_book_home(b, ref)]);
	wb_prefetchw(&b->orders[wb_book_home(b, ref2)]);
	wb_prefetch0(&b->inst[wb_book_msg_locate(b, m)]);
}

static inline void
wb_book_stage2(const struct wb_book *b, const struct wb_itch_msg *m)
{
	uint64_t ref = m->u.del.order_ref;
	const struct wb_book_order *o = &b->orders[wb_book_home(b, ref)];
	const struct wb_book_side *sd =
		&b->inst[wb_book_msg_locate(b, m)].side[m->u.add.side == 'S'];
	uint32_t live = -(uint32_t)(o->ref == ref);

	/* an order message: the order's level and queue neighbours */
	wb_prefetchw(&b->levels[o->level & live]);
	wb_prefetchw(&b->orders[o->prev & live]);
	wb_prefetchw(&b->orders[o->next & live]);
	/* an add: the levels its search starts from */
	wb_prefetchw(&b->levels[sd->last]);
	wb_prefetchw(&b->levels[sd->best]);
	wb_prefetch0(&b->levels[sd->worst]);
	/* a spilled order: its slot (rare, so a branch that predicts) */
	if (wb_unlikely(o->spill != 0 && !live))
		wb_prefetch0(&b->slots[wb_book_tag(ref) & b->mask]);
}

void
wb_book_prefetch_burst(const struct wb_book *b, const struct wb_itch_msg *m, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		wb_book_stage1(b, &m[i]);
	for (i = 0; i < n; i++)
		wb_book_stage2(b, &m[i]);
}

/*
 * The same from message bytes (wb_book_apply_raw's input, what the feed
 * applies); NULL entries (messages of other types) read a zeroed stand-in.
 * Every order message is at least 19 bytes with its ref at offset 11; the
 * replace's new ref (offset 19) and an add's side and price (19, 32) are
 * only read from those types, by offset arithmetic rather than a branch.
 * Stage one: the order's window entry (and the new ref's), the instrument,
 * an add's level cache entry; stage two: the order's queue neighbours, the
 * add's level; stage three: the order at the back of that level's queue,
 * which the add links to. Levels of other messages are left out: there are
 * few (32 bytes each, mostly in L2), and prefetching them (the order's, the
 * side's best, last and worst) measured slower than letting the loads find
 * them (docs/benchmarks.md).
 */
static const uint8_t wb_book_no_msg[40];

static inline const uint8_t *
wb_book_raw_msg(const uint8_t *p)
{
	return p != NULL ? p : wb_book_no_msg;
}

/* Messages prefetched in one go: the stages keep per-message state on the stack. */
#define WB_BOOK_RAW_CHUNK 32u

static void
wb_book_prefetch_raw_chunk(const struct wb_book *b, const uint8_t *const *msgs, unsigned int n)
{
	uint64_t ref[WB_BOOK_RAW_CHUNK];
	const uint32_t *lc[WB_BOOK_RAW_CHUNK]; /* an add's cache entry, else its instrument */
	uint32_t add[WB_BOOK_RAW_CHUNK];       /* all ones for an add */
	uint32_t li[WB_BOOK_RAW_CHUNK];        /* an add's level as cached, else 0 */
	unsigned int i;

	for (i = 0; i < n; i++) {
		const uint8_t *p = wb_book_raw_msg(msgs[i]);
		uint32_t is_u = p[0] == WB_ITCH_ORDER_REPLACE, loc = wb_be16(p + 1), slot;

		add[i] = -(uint32_t)(p[0] == WB_ITCH_ADD_ORDER || p[0] == WB_ITCH_ADD_ORDER_MPID);
		ref[i] = wb_be64(p + 11);
		loc &= -(uint32_t)(loc < b->max_instruments);
		/* other types read their own bytes here and keep the instrument line */
		slot = (uint32_t)(p[19 & add[i]] == 'S') * WB_BOOK_LC_SLOTS +
		       wb_book_lc_slot(wb_be32(p + 11 + (21 & add[i])));
		lc[i] = (const uint32_t *)((const uint8_t *)&b->inst[loc] +
					   (add[i] & (offsetof(struct wb_book_inst, lc) +
						      slot * sizeof(uint32_t))));
		wb_prefetchw(&b->orders[wb_book_home(b, ref[i])]);
		wb_prefetchw(&b->orders[wb_book_home(b, wb_be64(p + 11 + 8 * is_u))]);
		wb_prefetch0(&b->inst[loc]);
		wb_prefetch0(lc[i]);
	}
	for (i = 0; i < n; i++) {
		const struct wb_book_order *o = &b->orders[wb_book_home(b, ref[i])];
		uint32_t live = -(uint32_t)(o->ref == ref[i]);

		wb_prefetchw(&b->orders[o->prev & live]);
		wb_prefetchw(&b->orders[o->next & live]);
		li[i] = *lc[i] & add[i];
		wb_prefetch0(&b->levels[li[i]]);
		/* a spilled order, or an add that will spill: its table slot
		 * (rare; one branch on the combined condition, which predicts) */
		if (wb_unlikely((~live & (o->spill | (o->level & add[i]))) != 0))
			wb_prefetchw(&b->slots[wb_book_tag(ref[i]) & b->mask]);
	}
	for (i = 0; i < n; i++)
		wb_prefetchw(&b->orders[b->levels[li[i]].tail]);
}

void
wb_book_prefetch_raw(const struct wb_book *b, const uint8_t *const *msgs, unsigned int n)
{
	unsigned int k;

	for (; n > 0; n -= k, msgs += k) {
		k = n < WB_BOOK_RAW_CHUNK ? n : WB_BOOK_RAW_CHUNK;
		wb_book_prefetch_raw_chunk(b, msgs, k);
	}
}
