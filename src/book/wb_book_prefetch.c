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
 * The stages are written without branches on the op kind, whose mix is
 * unpredictable: a mispredicted switch per stage per op cost more than the
 * prefetches saved. Every op's ref is read whatever its kind; for ops that
 * name no order it is 0 or something else, which names some in-bounds
 * entry and costs one wasted prefetch. Indices read from the tables are
 * masked or checked the same way, and selections are masks, not
 * conditionals: GCC turned `live ? x : 0` into a branch, which mispredicts
 * as often as adds and removals alternate.
 *
 * Stage one: the order's window entry (and a replace's new ref's), the
 * instrument, an add's level cache entry; stage two: the order's queue
 * neighbours, the add's level; stage three: the order at the back of that
 * level's queue, which the add links to. Levels of other ops are left out:
 * there are few (32 bytes each, mostly in L2), and prefetching them (the
 * order's, the side's best, last and worst) measured slower than letting
 * the loads find them (docs/benchmarks.md).
 */

/* Ops prefetched in one go: the stages keep per-op state on the stack. */
#define WB_BOOK_OP_CHUNK 32u

static void
wb_book_prefetch_chunk(const struct wb_book *b, const struct wb_book_op *op, unsigned int n)
{
	const uint32_t *lc[WB_BOOK_OP_CHUNK]; /* an add's cache entry, else its instrument */
	uint32_t add[WB_BOOK_OP_CHUNK];       /* all ones for an add */
	uint32_t li[WB_BOOK_OP_CHUNK];        /* an add's level as cached, else 0 */
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct wb_book_op *p = &op[i];
		uint64_t is_u = -(uint64_t)(p->kind == WB_OP_REPLACE);
		uint32_t loc = p->instrument, slot;

		add[i] = -(uint32_t)(p->kind == WB_OP_ADD);
		loc &= -(uint32_t)(loc < b->max_instruments);
		/* other kinds keep the instrument line */
		slot = (uint32_t)(p->side == 'S') * WB_BOOK_LC_SLOTS +
		       wb_book_lc_slot(p->price);
		lc[i] = (const uint32_t *)((const uint8_t *)&b->inst[loc] +
					   (add[i] & (offsetof(struct wb_book_inst, lc) +
						      slot * sizeof(uint32_t))));
		wb_prefetchw(&b->orders[wb_book_home(b, p->ref)]);
		wb_prefetchw(&b->orders[wb_book_home(b, p->ref ^ ((p->ref ^ p->aux) & is_u))]);
		wb_prefetch0(&b->inst[loc]);
		wb_prefetch0(lc[i]);
	}
	for (i = 0; i < n; i++) {
		uint64_t ref = op[i].ref;
		const struct wb_book_order *o = &b->orders[wb_book_home(b, ref)];
		uint32_t live = -(uint32_t)(o->ref == ref);

		wb_prefetchw(&b->orders[o->prev & live]);
		wb_prefetchw(&b->orders[o->next & live]);
		li[i] = *lc[i] & add[i];
		wb_prefetch0(&b->levels[li[i]]);
		/* a spilled order, or an add that will spill: its table slot
		 * (rare; one branch on the combined condition, which predicts) */
		if (wb_unlikely((~live & (o->spill | (o->level & add[i]))) != 0))
			wb_prefetchw(&b->slots[wb_book_tag(ref) & b->mask]);
	}
	for (i = 0; i < n; i++)
		wb_prefetchw(&b->orders[b->levels[li[i]].tail]);
}

void
wb_book_prefetch_ops(const struct wb_book *b, const struct wb_book_op *op, unsigned int n)
{
	unsigned int k;

	for (; n > 0; n -= k, op += k) {
		k = n < WB_BOOK_OP_CHUNK ? n : WB_BOOK_OP_CHUNK;
		wb_book_prefetch_chunk(b, op, k);
	}
}
