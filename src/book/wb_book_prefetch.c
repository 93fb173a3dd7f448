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

#include "wb_book_pf.h"

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
 * neighbours, the add's level, and for an op that names only its order (a
 * PITCH execute, reduce, delete, modify) the order's instrument; stage
 * three: the order at the back of that
 * level's queue, which the add links to. Levels of other ops are left out:
 * there are few (32 bytes each, mostly in L2), and prefetching them (the
 * order's, the side's best, last and worst) measured slower than letting
 * the loads find them (docs/benchmarks.md).
 */

void
wb_book_prefetch_ops(const struct wb_book *b, const struct wb_book_op *op, unsigned int n)
{
	struct wb_book_pf_state st;
	unsigned int i, k;

	for (; n > 0; n -= k, op += k) {
		k = n < WB_BOOK_OP_CHUNK ? n : WB_BOOK_OP_CHUNK;
		for (i = 0; i < k; i++) {
			const struct wb_book_op *p = &op[i];
			uint64_t is_u = -(uint64_t)(p->kind == WB_OP_REPLACE);

			wb_book_pf_stage1(b, &st, i, p->ref, p->ref ^ ((p->ref ^ p->aux) & is_u),
					  p->instrument, p->kind == WB_OP_ADD, p->side, p->price);
		}
		wb_book_pf_stages(b, &st, k, 1);
	}
}
