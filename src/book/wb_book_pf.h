/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The burst prefetch's stages (wb_book_prefetch.c explains them), inline,
 * for a protocol adapter that batches its messages rather than book ops:
 * it calls wb_book_pf_stage1() with each message's fields, read through
 * its own accessors, then wb_book_pf_stages(), and so prefetches its batch
 * with no op or key array in between (src/feed/wb_itch_op.c). The book
 * still reads no protocol bytes: the adapter hands it fields. Only these
 * two calls and their state are for outside src/book; the rest of
 * wb_book_int.h stays the book's.
 */
#ifndef WB_BOOK_PF_H
#define WB_BOOK_PF_H

#include <stddef.h>

#include "wb_book_int.h"

/* Ops prefetched in one go: the stages keep per-op state on the stack. */
#define WB_BOOK_OP_CHUNK 32u

struct wb_book_pf_state {
	uint64_t ref[WB_BOOK_OP_CHUNK];
	const uint32_t *lc[WB_BOOK_OP_CHUNK]; /* an add's cache entry, else its instrument */
	uint32_t add[WB_BOOK_OP_CHUNK];       /* all ones for an add */
	uint32_t li[WB_BOOK_OP_CHUNK];        /* an add's level as cached, else 0 */
};

/*
 * Stage one of op i (i < WB_BOOK_OP_CHUNK): ref the order it names, ref2
 * the second order it touches (a replace's new ref, else ref), loc its
 * instrument, add 1 for an add (else 0), side and price an add's. Any value
 * is safe in any field: they are masked or bounded before use.
 */
static inline void
wb_book_pf_stage1(const struct wb_book *b, struct wb_book_pf_state *st, unsigned int i,
		  uint64_t ref, uint64_t ref2, uint32_t loc, uint32_t add, uint8_t side,
		  int64_t price)
{
	uint32_t slot;

	st->ref[i] = ref;
	st->add[i] = -add;
	loc &= -(uint32_t)(loc < b->max_instruments);
	/* other kinds keep the instrument line */
	slot = (uint32_t)(side == 'S') * WB_BOOK_LC_SLOTS + wb_book_lc_slot(price);
	st->lc[i] = (const uint32_t *)((const uint8_t *)&b->inst[loc] +
				       (st->add[i] & (offsetof(struct wb_book_inst, lc) +
						      slot * sizeof(uint32_t))));
	wb_prefetchw(&b->orders[wb_book_home(b, ref)]);
	wb_prefetchw(&b->orders[wb_book_home(b, ref2)]);
	wb_prefetch0(&b->inst[loc]);
	wb_prefetch0(st->lc[i]);
}

/*
 * Stages two and three of ops [0, n). by_order (a constant at each call)
 * for a protocol whose order messages name no instrument (PITCH: only the
 * order id): stage two also prefetches the instrument line of the order it
 * finds, which the apply reads to tell a change of the touch; stage one
 * could only name instrument 0 for them. ITCH's messages carry the locate,
 * so stage one has it already.
 */
static inline void
wb_book_pf_stages(const struct wb_book *b, struct wb_book_pf_state *st, unsigned int n,
		  int by_order)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint64_t ref = st->ref[i];
		const struct wb_book_order *o = &b->orders[wb_book_home(b, ref)];
		uint32_t live = -(uint32_t)(o->ref == ref);

		wb_prefetchw(&b->orders[o->prev & live]);
		wb_prefetchw(&b->orders[o->next & live]);
		if (by_order)
			wb_prefetch0(&b->inst[o->instrument & live]);
		st->li[i] = *st->lc[i] & st->add[i];
		wb_prefetch0(&b->levels[st->li[i]]);
		/* a spilled order, or an add that will spill: its table slot
		 * (rare; one branch on the combined condition, which predicts) */
		if (wb_unlikely((~live & (o->spill | (o->level & st->add[i]))) != 0))
			wb_prefetchw(&b->slots[wb_book_tag(ref) & b->mask]);
	}
	for (i = 0; i < n; i++)
		wb_prefetchw(&b->orders[b->levels[st->li[i]].tail]);
}

#endif /* WB_BOOK_PF_H */
