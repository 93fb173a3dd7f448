/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Book lifetime: every table is sized and mapped (wb_book_mem.c) at create;
 * clear empties the books in time proportional to what is live, not to the
 * table sizes, by emptying the live orders' entries one by one unless the
 * tables are dense enough that zeroing them is cheaper.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wb_book_int.h"
#include "wb_err.h"
void
wb_book_params_default(struct wb_book_params *p)
{
	memset(p, 0, sizeof(*p));
	p->max_orders = 1u << 20;
	p->ref_window = 0;
	p->max_levels = 1u << 20;
	p->max_instruments = WB_BOOK_DEFAULT_INSTRUMENTS;
	p->price_exp = -4;
	p->numa_node = -1;
	p->hugepages = 0;
}

struct wb_book *
wb_book_create(const struct wb_book_params *p)
{
	struct wb_book *b = NULL;
	uint64_t nslots = 1u << WB_BOOK_BLOCK_SHIFT, nwin;
	int rc;

	if (p->max_orders == 0 || p->max_orders > WB_BOOK_ORDERS_LIMIT) {
		rc = wb_err_set(EINVAL, "book: max_orders %u not in [1, %u]", p->max_orders,
				WB_BOOK_ORDERS_LIMIT);
		goto fail;
	}
	if (p->max_levels == 0) {
		rc = wb_err_set(EINVAL, "book: max_levels must be at least 1");
		goto fail;
	}
	if (p->max_instruments == 0 || p->max_instruments > WB_BOOK_MAX_INSTRUMENTS) {
		rc = wb_err_set(EINVAL, "book: max_instruments %u not in [1, %u]",
				p->max_instruments, WB_BOOK_MAX_INSTRUMENTS);
		goto fail;
	}
	if (p->ref_window != 0 &&
	    (p->ref_window > WB_BOOK_WINDOW_LIMIT || (p->ref_window & (p->ref_window - 1)) != 0)) {
		rc = wb_err_set(EINVAL, "book: ref_window %u is not a power of two in [1, %u]",
				p->ref_window, WB_BOOK_WINDOW_LIMIT);
		goto fail;
	}
	if (posix_memalign((void **)&b, WB_CACHE_LINE, sizeof(*b)) != 0) {
		rc = wb_err_set(ENOMEM, "book: out of memory");
		b = NULL;
		goto fail;
	}
	memset(b, 0, sizeof(*b));
	b->params = *p;
	b->max_orders = p->max_orders;
	/* every level holds at least one order: more levels than orders is waste */
	b->max_levels = p->max_levels < p->max_orders ? p->max_levels : p->max_orders;
	b->max_instruments = p->max_instruments;
	while (nslots < 2ull * p->max_orders)
		nslots <<= 1;
	b->mask = (uint32_t)(nslots - 1);
	nwin = p->ref_window;
	if (nwin == 0)
		nwin = nslots < WB_BOOK_WINDOW_DEFAULT_MAX ? nslots : WB_BOOK_WINDOW_DEFAULT_MAX;
	b->wmask = (uint32_t)(nwin - 1);

	rc = wb_book_region_alloc(&b->r_slots, nslots * sizeof(struct wb_book_slot), p,
				  "order table");
	if (rc == 0)
		rc = wb_book_region_alloc(&b->r_orders,
					  (nwin + b->max_orders + 1) * sizeof(struct wb_book_order),
					  p, "orders");
	if (rc == 0)
		rc = wb_book_region_alloc(&b->r_levels,
					  ((size_t)b->max_levels + 1) * sizeof(struct wb_book_level),
					  p, "levels");
	if (rc == 0)
		rc = wb_book_region_alloc(&b->r_inst,
					  (size_t)b->max_instruments * sizeof(struct wb_book_inst),
					  p, "instruments");
	if (rc == 0)
		rc = wb_book_region_alloc(&b->r_dir,
					  (size_t)b->max_instruments * sizeof(struct wb_instrument),
					  p, "directory");
	if (rc != 0)
		goto fail;
	b->slots = b->r_slots.addr;
	b->orders = b->r_orders.addr;
	b->levels = b->r_levels.addr;
	b->inst = b->r_inst.addr;
	b->dir = b->r_dir.addr;
	for (uint32_t i = 0; i < b->max_instruments; i++)
		b->dir[i].price_exp = p->price_exp;
	b->order_fresh = b->wmask + 2u;
	b->level_fresh = 1;
	return b;
fail:
	wb_book_destroy(b);
	errno = -rc;
	return NULL;
}

void
wb_book_destroy(struct wb_book *b)
{
	if (b == NULL)
		return;
	wb_book_region_free(&b->r_slots);
	wb_book_region_free(&b->r_orders);
	wb_book_region_free(&b->r_levels);
	wb_book_region_free(&b->r_inst);
	wb_book_region_free(&b->r_dir);
	free(b);
}

void
wb_book_clear(struct wb_book *b)
{
	uint64_t nslots = (uint64_t)b->mask + 1, nwin = (uint64_t)b->wmask + 1;
	int zero_win = b->stats.live_orders * 8 > nwin,
	    zero_slots = b->stats.spilled_orders * 8 > nslots;
	uint32_t loc, s, li, oi, pos;

	if (!zero_win || !zero_slots) {
		for (loc = 0; loc < b->max_instruments; loc++)
			for (s = 0; s < 2; s++)
				for (li = b->inst[loc].side[s].best; li != 0;
				     li = b->levels[li].worse)
					for (oi = b->levels[li].tail; oi != 0;
					     oi = b->orders[oi].prev) {
						uint64_t ref = b->orders[oi].ref;

						if (!zero_slots && !wb_book_in_window(b, oi) &&
						    wb_book_spill_find(b, ref, &pos) != 0)
							wb_book_slot_delete(b, pos);
						if (!zero_win) {
							b->orders[wb_book_home(b, ref)].spill = 0;
							if (wb_book_in_window(b, oi))
								b->orders[oi].level = 0;
						}
					}
	}
	if (zero_win)
		memset(b->orders + 1, 0, nwin * sizeof(*b->orders));
	if (zero_slots)
		memset(b->slots, 0, nslots * sizeof(*b->slots));
	for (loc = 0; loc < b->max_instruments; loc++) {
		memset(b->inst[loc].side, 0, sizeof(b->inst[loc].side));
		memset(b->inst[loc].lc, 0, sizeof(b->inst[loc].lc));
	}
	b->order_free = 0;
	b->order_fresh = b->wmask + 2u;
	b->level_free = 0;
	b->level_fresh = 1;
	b->stats.live_orders = 0;
	b->stats.live_levels = 0;
	b->stats.spilled_orders = 0;
}
