/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internal layout of a wb_book, shared by the writer (wb_book.c) and the
 * queries (wb_book_query.c). Everything lives in a handful of flat arrays
 * addressed by u32 indices, never pointers: the tables are sized once at
 * create, index 0 means "none" in every table, and the same layout could be
 * mapped by another process later. Entry 0 of the levels stays zero (an
 * empty side reads it); entry 0 of the orders is a scratch entry that takes
 * the queue-link writes meant for a missing neighbour, so linking and
 * unlinking need no branch, and is never read as an order.
 *
 * Orders: a ref window first. Exchanges hand out order refs in sequence, so
 * the order with ref r lives at orders[1 + (r & wmask)], its home entry: a
 * lookup is one load of the order itself, with no table in front of it, and
 * adds write the window front to back. An add whose home entry is still
 * held by a live order 2^k refs older (a long-resting order, or refs that
 * collide) spills: it takes an entry from a pool after the window and is
 * found through the spill table, and its home entry counts the spilled
 * orders that belong to it (spill), so a lookup only consults the table when
 * that count is not zero. The window is sized so that spilling is rare (a
 * live order is only in the way after wmask + 1 newer refs); capacity does
 * not depend on it: the pool holds max_orders, so any max_orders live
 * orders fit whatever their refs.
 *
 * Spill table: open addressing with linear probing over 8-byte slots
 * {tag, idx}. tag is 32 bits of a hash of the ref (wb_book_tag) and also
 * gives the home slot (tag & mask, so at most 2^32 slots), which lets a probe
 * compare in the slot and lets backward-shift deletion find any entry's home
 * without touching the order: there are no tombstones, and the Robin Hood
 * order below keeps lookups and deletes short even inside the long runs that
 * consecutive refs make (capacity >= 2x max_orders, load <= 0.5). Only a
 * tag match reads the order to compare the full ref.
 *
 * Pool entries (32 bytes, two per cache line) are taken from a LIFO free
 * list first, so recently freed (cache-warm) entries are reused, then a
 * bump index, so create and clear never walk the whole pool. Each order,
 * window or pool, sits in the intrusive FIFO of its level (prev/next).
 * An order keeps no price: its level has it (the 64-bit price would not
 * fit the 32 bytes, and every path that needs it reads the level anyway).
 *
 * Levels (32 bytes) also come from a pool; a level keeps the newest order
 * of its queue (tail, where adds join) but not the oldest: the hot paths
 * never need it (unlinking the oldest order only clears its successor's
 * prev), and the queries that list a queue in time priority walk it back
 * from the tail. That keeps a 64-bit price within the 32 bytes; each side of each instrument keeps
 * its levels in a doubly linked list sorted best first, with best and worst
 * ends. An add finds its level through the side's level cache (below): one
 * load of a line the burst prefetch has already asked for. Only a miss (a
 * new price, or two live prices sharing a slot) searches the list: best,
 * the level of the side's previous add, worst, then a walk from whichever
 * of them is nearest in price. Measured on the generator's day (5.2M adds
 * and replaces): without the cache 60% of them walked, 2.4 levels each,
 * over lines mostly not in cache; with 64 slots a side only the 3% that
 * create a level search (book.level_searches in `wirebook replay --stats`).
 */
#ifndef WB_BOOK_INT_H
#define WB_BOOK_INT_H

#include <stddef.h>
#include <stdint.h>

#include "wb_book.h"
#include "wb_compiler.h"

#define WB_BOOK_BID 0u
#define WB_BOOK_ASK 1u

/* Largest max_orders accepted: the table must stay within 2^32 slots. */
#define WB_BOOK_ORDERS_LIMIT (1u << 30)
/* Largest ref window: window and pool share one u32 index space. */
#define WB_BOOK_WINDOW_LIMIT (1u << 30)
#define WB_BOOK_SPILL_STICKY 255u
/* Default window: 2 * max_orders refs, capped at 4M refs (128 MB). */
#define WB_BOOK_WINDOW_DEFAULT_MAX (1u << 22)

struct wb_book_slot {
	uint32_t tag; /* wb_book_tag(ref): the home slot is tag & mask */
	uint32_t idx; /* order index, 0 = empty slot */
};

struct wb_book_order {
	uint64_t ref;
	uint32_t shares;
	uint32_t prev, next; /* FIFO at its level; next is also the pool's free list */
	uint32_t level;      /* 0: the entry holds no live order; the price is the level's */
	uint32_t instrument;
	uint8_t side;  /* WB_BOOK_BID / WB_BOOK_ASK */
	uint8_t spill; /* window entries: live spilled orders whose home this is
			  (WB_BOOK_SPILL_STICKY: too many to count, always look) */
	uint8_t pad[2];
};
_Static_assert(sizeof(struct wb_book_order) == 32, "order is half a cache line");

struct wb_book_level {
	int64_t price;
	uint64_t shares;
	uint32_t orders;
	uint32_t tail;          /* newest order (the oldest is found from it) */
	uint32_t better, worse; /* neighbours on the side; better is the free list */
};
_Static_assert(sizeof(struct wb_book_level) == 32, "level is half a cache line");

struct wb_book_side {
	uint32_t best, worst; /* level indices, 0 = empty side */
	uint32_t last;        /* level of the last add: a search starts here too */
	uint32_t depth;
};

/*
 * Level cache: per side, a direct-mapped table from price to the side's
 * live level at that price (wb_book_lc_slot), so that an add finds its level
 * with one load instead of walking the list. An entry is written when a
 * level is created or found by a walk and cleared when its level is freed,
 * so a non-zero entry is always a live level of that side; the price is
 * checked because prices collide. A miss falls back to the walk.
 * Fibonacci hashing spreads prices a fixed tick apart evenly, so the live
 * levels near the touch rarely share a slot: on the generator's day, 16
 * slots a side sent 21% of adds to the walk through collisions, 32 slots
 * 13%, 64 slots none. 64 slots cost 512 bytes an instrument (32 MiB for
 * all 65,536 locates).
 */
#define WB_BOOK_LC_SHIFT 6
#define WB_BOOK_LC_SLOTS (1u << WB_BOOK_LC_SHIFT)

/* Per-instrument hot state: the sides on one cache line, each side's level
 * cache on a line of its own. */
struct wb_book_inst {
	struct wb_book_side side[2];
	uint32_t known; /* 1 once the directory entry has a symbol */
	uint32_t pad[7];
	uint32_t lc[2][WB_BOOK_LC_SLOTS];
};
_Static_assert(sizeof(struct wb_book_inst) == WB_CACHE_LINE + 8 * WB_BOOK_LC_SLOTS,
	       "inst is a line of sides, then the caches");
_Static_assert(offsetof(struct wb_book_inst, lc) == WB_CACHE_LINE, "caches start a line");

/* Fibonacci hashing: prices a fixed tick apart spread over the slots. */
static inline uint32_t
wb_book_lc_slot(int64_t price)
{
	return (uint32_t)(((uint64_t)price * 0x9e3779b97f4a7c15ull) >> (64 - WB_BOOK_LC_SHIFT));
}

struct wb_book_region {
	void *addr;
	size_t len;
};

struct wb_book {
	/* hot, read on every message */
	struct wb_book_slot *slots;
	struct wb_book_order *orders; /* [1, wmask + 1] window, then the pool */
	struct wb_book_level *levels;
	struct wb_book_inst *inst;
	uint32_t wmask; /* window entries - 1 */
	uint32_t mask;  /* spill table slots - 1 */
	uint32_t max_instruments;
	uint32_t order_free, order_fresh, max_orders;
	uint32_t level_free, level_fresh, max_levels;
	struct wb_book_stats stats;
	/* cold */
	struct wb_instrument *dir;
	struct wb_book_params params;
	struct wb_book_region r_slots, r_orders, r_levels, r_inst, r_dir;
};

/* wb_book_dir.c: what wb_book_apply_op() does for DIRECTORY and STATE, and TRADE. */
void wb_book_set_symbol(char *dst, const char *src);
unsigned int wb_book_directory(struct wb_book *b, const struct wb_book_op *op, struct wb_event *ev,
			       uint32_t *at);
unsigned int wb_book_trade(struct wb_book *b, const struct wb_book_op *op, struct wb_event *ev);

/* wb_book_mem.c: one table of `len` bytes, zero filled. */
int wb_book_region_alloc(struct wb_book_region *r, size_t len, const struct wb_book_params *p,
			 const char *what);
void wb_book_region_free(struct wb_book_region *r);

static inline uint64_t
wb_book_mix(uint64_t x)
{
	/* murmur3 fmix64: every input bit reaches every output bit */
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

/*
 * Home and tag of a ref: blocks of 512 consecutive refs share one randomly
 * placed, aligned 4 KB run of slots (one page), the low bits of the ref
 * picking the slot in it. Exchanges hand out refs in sequence, so adds walk
 * through a block line after line (in cache, or fetched by the hardware
 * prefetcher) instead of missing once per add; the blocks themselves are
 * spread by the mixer. Aligned blocks either coincide or do not overlap.
 * Measured with the generator (bench_book, 3M messages, ~200k live orders,
 * a 16M-slot table): 8-ref blocks made adds miss once per ~3 adds, a fully
 * mixed ref once per add.
 */
#define WB_BOOK_BLOCK_SHIFT 9

static inline uint32_t
wb_book_tag(uint64_t ref)
{
	uint64_t low = ref & ((1u << WB_BOOK_BLOCK_SHIFT) - 1);

	return (uint32_t)(wb_book_mix(ref >> WB_BOOK_BLOCK_SHIFT) << WB_BOOK_BLOCK_SHIFT) |
	       (uint32_t)low;
}

/*
 * The table is kept in Robin Hood order: along a probe run, entries are
 * sorted by how far they sit from their home slot (an entry never sits
 * further from home than one after it). Consecutive refs share a block of
 * consecutive home slots, so runs of hundreds of occupied slots are normal;
 * Robin Hood order lets a failed lookup stop at the first entry that is
 * closer to home than the probe, and a delete stop shifting at the first
 * entry that is at home, instead of scanning to the end of the run.
 */
static inline uint32_t
wb_book_slot_dist(const struct wb_book *b, uint32_t j, uint32_t tag)
{
	return (j - (tag & b->mask)) & b->mask;
}

/* The window entry of ref. */
static inline uint32_t
wb_book_home(const struct wb_book *b, uint64_t ref)
{
	return 1u + (uint32_t)(ref & b->wmask);
}

/* 1 if order index oi is a window entry, 0 if it is a pool entry. */
static inline int
wb_book_in_window(const struct wb_book *b, uint32_t oi)
{
	return oi <= b->wmask + 1u;
}

/*
 * Finds a spilled ref in the spill table. Returns the order index, or 0 if
 * absent. *pos is the slot that holds it (only meaningful when found).
 */
static inline uint32_t
wb_book_spill_find(const struct wb_book *b, uint64_t ref, uint32_t *pos)
{
	uint32_t tag = wb_book_tag(ref), i = tag & b->mask, d = 0;

	for (;; d++) {
		struct wb_book_slot s = b->slots[i];

		if (s.idx == 0 || wb_book_slot_dist(b, i, s.tag) < d)
			break;
		if (s.tag == tag && b->orders[s.idx].ref == ref) {
			*pos = i;
			return s.idx;
		}
		i = (i + 1) & b->mask;
	}
	*pos = i;
	return 0;
}

/*
 * Finds ref. Returns the order index, or 0 if absent. For a spilled order
 * *pos is the slot that holds it (wb_book_order_remove needs it).
 */
static inline uint32_t
wb_book_find(const struct wb_book *b, uint64_t ref, uint32_t *pos)
{
	uint32_t h = wb_book_home(b, ref);
	const struct wb_book_order *o = &b->orders[h];

	*pos = 0;
	if (o->ref == ref && o->level != 0)
		return h;
	if (wb_likely(o->spill == 0))
		return 0;
	return wb_book_spill_find(b, ref, pos);
}

/* Robin Hood insert: take the slot of the first entry closer to its home. */
static inline void
wb_book_slot_insert(struct wb_book *b, uint32_t tag, uint32_t idx)
{
	struct wb_book_slot cur = { tag, idx };
	uint32_t i = tag & b->mask, d = 0;

	for (;; d++) {
		struct wb_book_slot s = b->slots[i];
		uint32_t ds;

		if (s.idx == 0) {
			b->slots[i] = cur;
			return;
		}
		ds = wb_book_slot_dist(b, i, s.tag);
		if (ds < d) {
			b->slots[i] = cur;
			cur = s;
			d = ds;
		}
		i = (i + 1) & b->mask;
	}
}

/*
 * Empties slot pos and shifts the entries after it back by one, up to the
 * first empty slot or entry already at its home (Robin Hood order makes
 * that the end of what can move).
 */
static inline void
wb_book_slot_delete(struct wb_book *b, uint32_t pos)
{
	uint32_t i = pos, j = (pos + 1) & b->mask;

	for (;;) {
		struct wb_book_slot s = b->slots[j];

		if (s.idx == 0 || wb_book_slot_dist(b, j, s.tag) == 0)
			break;
		b->slots[i] = s;
		i = j;
		j = (j + 1) & b->mask;
	}
	b->slots[i].idx = 0;
	b->slots[i].tag = 0;
}

/* 1 if price a is better than b on side s. */
static inline int
wb_book_better(unsigned int s, int64_t a, int64_t b)
{
	return s == WB_BOOK_BID ? a > b : a < b;
}

/* WB_BOOK_BID for 'B', WB_BOOK_ASK for 'S', -1 otherwise; computed, not
 * branched on: the side of the next add does not predict. */
static inline int
wb_book_side_index(uint8_t side)
{
	int ask = side == 'S', ok = (side == 'B') | ask;

	return (ask & ok) - (ok ^ 1);
}

/* Level at `price` on a side, 0 if none (queries and cold paths). */
static inline uint32_t
wb_book_level_find(const struct wb_book *b, const struct wb_book_side *sd, unsigned int s,
		   int64_t price)
{
	uint32_t li = sd->best;

	while (li != 0) {
		const struct wb_book_level *l = &b->levels[li];

		if (l->price == price)
			return li;
		if (wb_book_better(s, price, l->price))
			return 0;
		li = l->worse;
	}
	return 0;
}

#endif /* WB_BOOK_INT_H */
