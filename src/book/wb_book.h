/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Full-depth order books for one feed: an instrument directory indexed by
 * stock locate, every live order (L3) and the price levels (L2) per side.
 *
 * Single writer, no locks, no I/O, no allocation after wb_book_create():
 * every table is sized there from wb_book_params. A message that cannot be
 * applied (unknown order ref, table full, ...) is counted in wb_book_stats and
 * leaves every book as it was.
 */
#ifndef WB_BOOK_H
#define WB_BOOK_H

#include <stdint.h>

#include "wb_itch50.h"
#include "wirebook/event.h"

#define WB_BOOK_MAX_INSTRUMENTS 65536u
#define WB_SYMBOL_LEN 8

struct wb_book_params {
	uint32_t max_orders;      /* live orders (default 1 << 20; >= 16M supported) */
	uint32_t ref_window;      /* order refs in the direct window, a power of two
				     (0: 2 * max_orders rounded up, at most 1 << 22) */
	uint32_t max_levels;      /* live price levels, all instruments and sides */
	uint32_t max_instruments; /* stock locates accepted: [0, max_instruments) */
	int numa_node;            /* -1: no preference */
	int hugepages;            /* 1: try MAP_HUGETLB first */
};

void wb_book_params_default(struct wb_book_params *p);

struct wb_book_stats {
	uint64_t applied;         /* messages that changed a book */
	uint64_t unknown_ref;     /* E C X D U naming an order not in the book */
	uint64_t duplicate_ref;   /* add with a ref that is already live */
	uint64_t overfill;        /* E C X for more than the remaining shares */
	uint64_t bad_locate;      /* stock locate >= max_instruments */
	uint64_t bad_side;        /* side not 'B'/'S' (should not pass decode) */
	uint64_t zero_shares;     /* add or replace of 0 shares: skipped */
	uint64_t crossed;         /* add or replace that made the best bid >= the best ask */
	uint64_t orders_full;     /* add dropped: order table full */
	uint64_t levels_full;     /* add dropped: level table full */
	uint64_t live_orders;
	uint64_t live_levels;
	uint64_t spilled_orders;  /* live orders outside the ref window */
	uint64_t spills;          /* adds that went outside the ref window, in all */
	uint64_t level_searches;  /* applied adds whose level the level cache did not have */
};

struct wb_instrument {
	char symbol[WB_SYMBOL_LEN + 1]; /* trailing spaces removed */
	uint8_t known;                  /* 1 once seen in R (or an add) */
	uint8_t trading_state;          /* 'T','H','P','Q' or 0 unknown */
	uint8_t reason[4];
	uint32_t round_lot_size;
	uint8_t market_category;
};

struct wb_level_info {
	uint32_t price;
	uint32_t orders;
	uint64_t shares;
};

struct wb_bbo {
	uint32_t bid_px, ask_px;
	uint64_t bid_qty, ask_qty; /* 0 = empty side */
	uint32_t bid_orders, ask_orders;
};

struct wb_order_info {
	uint64_t ref;
	uint16_t locate;
	uint8_t side;
	uint32_t price;
	uint32_t shares;
};

/* Bits returned by wb_book_apply(). */
#define WB_BOOK_CHANGED 0x1u     /* a book changed */
#define WB_BOOK_BBO_CHANGED 0x2u /* that instrument's best bid or ask changed */
#define WB_BOOK_DIRECTORY 0x4u   /* directory or trading state changed */

struct wb_book;

/* Returns NULL with errno set and wb_err_msg() explaining. */
struct wb_book *wb_book_create(const struct wb_book_params *p);
void wb_book_destroy(struct wb_book *b);
/* Drops every order and level, keeps the directory. */
void wb_book_clear(struct wb_book *b);

/*
 * Applies one decoded message. If ev is not NULL it is filled with the
 * normalized event (type WB_EV_NONE for messages that produce none; seq and
 * rx_tsc are left to the caller). Returns WB_BOOK_* bits.
 */
unsigned int wb_book_apply(struct wb_book *b, const struct wb_itch_msg *m, struct wb_event *ev);

/*
 * The same for an order message (A F E C X D U, wb_book_raw_type()) given as
 * its bytes, which the caller has checked are exactly the type's length
 * (and a side of B or S for A F): what wb_itch_decode() would accept.
 * Whenever the return is not 0, *at is the instrument that changed (for
 * E C X D U the order's own, whatever locate the message carries), so a
 * caller that takes no events can pass ev NULL and skip building them.
 */
unsigned int wb_book_apply_raw(struct wb_book *b, const uint8_t *msg, struct wb_event *ev,
			       uint16_t *at);

/* 1 if wb_book_apply_raw() takes messages of this ITCH type (no branches:
 * the type mix of a feed does not predict). */
static inline unsigned int
wb_book_raw_type(uint8_t type)
{
	/* A C D E F U X, as bits from 'A' */
	const uint64_t set = (1ull << 0) | (1ull << 2) | (1ull << 3) | (1ull << 4) | (1ull << 5) |
			     (1ull << ('U' - 'A')) | (1ull << ('X' - 'A'));
	unsigned int d = (unsigned int)type - 'A';

	return (unsigned int)(d < 64) & (unsigned int)(set >> (d & 63));
}

/*
 * Optional: prefetches the window entry of ref, so that a caller that
 * knows the next message's ref can overlap its cache miss with this one.
 */
void wb_book_prefetch(const struct wb_book *b, uint64_t ref);

/*
 * Optional: prefetches everything applying m[0..n) in order will touch, in
 * stages, so that the cache misses of a burst overlap. Call it on a decoded
 * burst (a packet or more) right before applying it; it changes nothing.
 */
void wb_book_prefetch_burst(const struct wb_book *b, const struct wb_itch_msg *m, unsigned int n);
/* The same for messages given as bytes (wb_book_apply_raw); NULL entries are skipped. */
void wb_book_prefetch_raw(const struct wb_book *b, const uint8_t *const *msgs, unsigned int n);

const struct wb_book_stats *wb_book_stats(const struct wb_book *b);
const struct wb_instrument *wb_book_instrument(const struct wb_book *b, uint16_t locate);
uint32_t wb_book_max_instruments(const struct wb_book *b);
/* 1 if the instrument has at least one resting order. */
int wb_book_has_orders(const struct wb_book *b, uint16_t locate);

void wb_book_bbo(const struct wb_book *b, uint16_t locate, struct wb_bbo *out);

/*
 * The best bid and ask of an instrument straight into ev->u.bbo (quantities
 * saturate at UINT32_MAX): what the feed publishes. Building the event from
 * a wb_bbo read it back with loads that spanned the stores that filled it,
 * and those wait for the store buffer to drain.
 */
void wb_book_bbo_event(const struct wb_book *b, uint16_t locate, struct wb_event *ev);
/* Copies up to n levels of side ('B'/'S'), best first; returns the count. */
unsigned int wb_book_levels(const struct wb_book *b, uint16_t locate, uint8_t side,
			    struct wb_level_info *out, unsigned int n);
/*
 * Below this many live orders a book's working set stays in the cache:
 * callers skip their prefetch passes, and the publisher copies snapshot
 * sides with wb_book_levels() one after another rather than with
 * wb_book_levels_many(). Measured in docs/benchmarks.md (prefetch: break-even
 * near 2,000 live orders on generated streams, a loss of ~17% a packet at
 * 4,096 on the bench-daemon capture; lockstep walks: 2-5% slower on books
 * in cache, 12% faster on a generated day).
 */
#define WB_BOOK_CACHED_ORDERS 8192u

/*
 * Several wb_book_levels() at once: walk i copies up to w[i].max levels of
 * side w[i].side of w[i].locate into w[i].out and sets w[i].n. The walks go
 * in lockstep, one level of each per step with the next one prefetched, so
 * that on a book larger than the cache their misses overlap instead of
 * forming one chain per side (the publisher's snapshots). On a book in the
 * cache (WB_BOOK_CACHED_ORDERS) one wb_book_levels() after another costs
 * less: that choice is the caller's.
 */
struct wb_level_walk {
	struct wb_level_info *out;
	unsigned int max;
	unsigned int n;
	uint16_t locate;
	uint8_t side;
};
void wb_book_levels_many(const struct wb_book *b, struct wb_level_walk *w, unsigned int n);
/* Number of levels on a side. */
unsigned int wb_book_depth(const struct wb_book *b, uint16_t locate, uint8_t side);
/* Looks up a live order; 0 if found, -ENOENT otherwise. */
int wb_book_order(const struct wb_book *b, uint64_t ref, struct wb_order_info *out);
/* Order refs resting at (side, price) in time priority; returns the count. */
unsigned int wb_book_level_orders(const struct wb_book *b, uint16_t locate, uint8_t side,
				  uint32_t price, uint64_t *refs, unsigned int n);

#endif /* WB_BOOK_H */
