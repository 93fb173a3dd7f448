/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Full-depth order books for one feed: an instrument directory indexed by
 * instrument id (ITCH: the stock locate), every live order (L3) and the
 * price levels (L2) per side.
 *
 * The book reads no protocol bytes: each protocol's adapter (src/feed)
 * turns its messages into struct wb_book_op, venue-neutral operations, and
 * wb_book_apply_op() applies them; or, knowing an order message's kind,
 * calls the book's function for that kind with the fields (wb_book_add,
 * ...: the ITCH adapter's way, one dispatch a message).
 *
 * Single writer, no locks, no I/O, no allocation after wb_book_create():
 * every table is sized there from wb_book_params. A message that cannot be
 * applied (unknown order ref, table full, ...) is counted in wb_book_stats and
 * leaves every book as it was.
 */
#ifndef WB_BOOK_H
#define WB_BOOK_H

#include <stdint.h>
#include <string.h>

#include "wirebook/event.h"

/* Instrument ids a book holds by default: every ITCH stock locate (u16). */
#define WB_BOOK_DEFAULT_INSTRUMENTS 65536u
/* The most it holds: ids are u32, memory is the bound (wb_shm.h, WB_SHM_MAX_INSTRUMENTS). */
#define WB_BOOK_MAX_INSTRUMENTS (1u << 24)
#define WB_SYMBOL_LEN 8

struct wb_book_params {
	uint32_t max_orders;      /* live orders (default 1 << 20; >= 16M supported) */
	uint32_t ref_window;      /* order refs in the direct window, a power of two
				     (0: 2 * max_orders rounded up, at most 1 << 22) */
	uint32_t max_levels;      /* live price levels, all instruments and sides */
	uint32_t max_instruments; /* instrument ids accepted: [0, max_instruments) */
	int8_t price_exp;         /* of an instrument no directory op named (default -4) */
	int numa_node;            /* -1: no preference */
	int hugepages;            /* 1: try MAP_HUGETLB first */
};

void wb_book_params_default(struct wb_book_params *p);

struct wb_book_stats {
	uint64_t applied;         /* messages that changed a book */
	uint64_t unknown_ref;     /* an op naming an order not in the book */
	uint64_t duplicate_ref;   /* add with a ref that is already live */
	uint64_t overfill;        /* execute or cancel of more than the remaining shares */
	uint64_t bad_locate;      /* instrument id >= max_instruments */
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
	uint64_t modify_kept;     /* MODIFY ops that kept time priority (a reduce or nothing) */
	uint64_t trimmed;         /* TRIM ops that cut an order */
};

struct wb_instrument {
	char symbol[WB_SYMBOL_LEN + 1]; /* trailing spaces removed */
	uint8_t known;                  /* 1 once seen in a directory op (or an add) */
	uint8_t trading_state;          /* 'T','H','P','Q' or 0 unknown */
	uint8_t reason[4];
	uint32_t round_lot_size;
	uint8_t market_category;
	int8_t price_exp;               /* prices are integers of 10^price_exp */
};

/* The layout of a snapshot level in shared memory (wb_shm_level), so that
 * the publisher copies levels in place. */
struct wb_level_info {
	int64_t price;
	uint64_t shares;
	uint32_t orders;
	uint32_t pad; /* 0 */
};

struct wb_bbo {
	int64_t bid_px, ask_px;
	uint64_t bid_qty, ask_qty; /* 0 = empty side */
	uint32_t bid_orders, ask_orders;
};

struct wb_order_info {
	uint64_t ref;
	uint32_t instrument;
	uint8_t side;
	int64_t price;
	uint32_t shares;
};

/* Bits returned by wb_book_apply_op(). */
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
 * One book operation, what a protocol adapter makes of a message. Fields a
 * kind does not list are ignored and may hold anything (an adapter on the
 * data path need not write them; wb_book_prefetch_ops reads them only
 * under masks). Ops that name an
 * order (EXECUTE CANCEL DELETE REPLACE) act on the instrument and side the
 * order was added with; their `instrument` only seeds the event (the
 * message's own id, when the protocol has one).
 *
 *   ADD        instrument, ref, side 'B'/'S', price, qty; symbol: the
 *              message's if it carries one (learnt for an instrument not
 *              yet known), else symbol[0] = 0
 *   EXECUTE    ref, qty executed, aux = match id; has_price: executed at
 *              `price` (reported in the event, the book keeps the order's)
 *   CANCEL     ref, qty cancelled (reduce; at or above the rest: removed)
 *   DELETE     ref
 *   REPLACE    ref, aux = new ref (may equal ref: a modify that loses time
 *              priority), price, qty: the order leaves and the new one
 *              joins the back of the new price's queue, same side
 *   TRADE      instrument, side (0 if unknown), price, qty, aux = match
 *              id: no book change, an event only
 *   STATE      instrument, state 'T','H','P','Q', reason (4, space padded)
 *   DIRECTORY  instrument, symbol (space or NUL padded), price_exp;
 *              qty = round lot size, state = market category (0: none)
 *   CLEAR      instrument: every order of it is dropped (a venue's clear)
 *   MODIFY     ref, price, qty, state: a same-id modify with Cboe's
 *              priority rule, decided on the book's own copy of the order
 *              so that an adapter need not read the book (and flush what
 *              it has batched) first. The order keeps its place when
 *              state is 1 (the venue allows it), the price is unchanged
 *              and qty is not 0 and not above its shares: a CANCEL of the
 *              difference (no event and no change when equal). Otherwise
 *              a REPLACE with aux = ref.
 *   TRIM       ref, qty: the shares the venue says the order has left (an
 *              execution's remaining quantity, after the EXECUTE): more
 *              than that in the book is a CANCEL of the excess; an order
 *              at or below it, or not in the book, is left alone and not
 *              counted (the EXECUTE before it counted what it found)
 *
 * exch_ts is the venue's timestamp, ns since midnight. Prices are integers
 * of 10^price_exp units (ITCH: -4).
 */
enum wb_book_op_kind {
	WB_OP_NONE = 0, /* counted by the caller, nothing to apply */
	WB_OP_ADD,
	WB_OP_EXECUTE,
	WB_OP_CANCEL,
	WB_OP_DELETE,
	WB_OP_REPLACE,
	WB_OP_TRADE,
	WB_OP_STATE,
	WB_OP_DIRECTORY,
	WB_OP_CLEAR,
	WB_OP_MODIFY,
	WB_OP_TRIM,
};

struct wb_book_op {
	uint8_t kind;        /*  0 enum wb_book_op_kind */
	uint8_t side;        /*  1 'B', 'S' or 0 */
	uint8_t has_price;   /*  2 EXECUTE: 1 = executed at price */
	uint8_t state;       /*  3 STATE: trading state; DIRECTORY: market category */
	uint32_t instrument; /*  4 */
	uint64_t ref;        /*  8 order id */
	uint64_t aux;        /* 16 new order id (REPLACE), match id (EXECUTE, TRADE) */
	int64_t price;       /* 24 */
	uint32_t qty;        /* 32 shares; DIRECTORY: round lot size */
	uint8_t reason[4];   /* 36 STATE */
	char symbol[WB_SYMBOL_LEN]; /* 40 DIRECTORY, ADD (optional) */
	int8_t price_exp;    /* 48 DIRECTORY */
	uint8_t pad[7];
	uint64_t exch_ts;    /* 56 */
};
_Static_assert(sizeof(struct wb_book_op) == 64, "an op is one cache line");

/*
 * Applies one op. If ev is not NULL it is filled with the normalized event
 * (type WB_EV_NONE for ops that produce none; seq and rx_tsc are left to
 * the caller). Returns WB_BOOK_* bits; whenever they are not 0, *at is the
 * instrument that changed (for ops naming an order the order's own,
 * whatever instrument the op carries), so a caller that takes no events can
 * pass ev NULL and skip building them.
 */
unsigned int wb_book_apply_op(struct wb_book *b, const struct wb_book_op *op, struct wb_event *ev,
			      uint32_t *at);

/*
 * The kinds of order op one by one, for an adapter that already knows the
 * kind (the ITCH adapter switches on the message type and calls these; one
 * dispatch a message instead of its switch and then wb_book_apply_op's).
 * Each does exactly what wb_book_apply_op() does for the op with those
 * fields, which is built on the same code. ev, when not NULL, must be seeded
 * with wb_book_event_init() first (wb_book_apply_op does that itself); ev
 * and at, and the bits returned, as for wb_book_apply_op().
 *
 *   wb_book_add         ADD; symbol: 8 characters (space or NUL padded) or
 *                       NULL, learnt for an instrument not yet known
 *   wb_book_execute     EXECUTE without a price (the event: the order's)
 *   wb_book_execute_at  EXECUTE with has_price (the event: price)
 *   wb_book_cancel      CANCEL
 *   wb_book_delete      DELETE
 *   wb_book_replace     REPLACE (nref: the op's aux)
 */
unsigned int wb_book_add(struct wb_book *b, uint32_t instrument, uint64_t ref, uint8_t side,
			 int64_t price, uint32_t qty, const char *symbol, struct wb_event *ev,
			 uint32_t *at);
unsigned int wb_book_execute(struct wb_book *b, uint64_t ref, uint32_t qty, uint64_t match,
			     struct wb_event *ev, uint32_t *at);
unsigned int wb_book_execute_at(struct wb_book *b, uint64_t ref, uint32_t qty, uint64_t match,
				int64_t price, struct wb_event *ev, uint32_t *at);
unsigned int wb_book_cancel(struct wb_book *b, uint64_t ref, uint32_t qty, struct wb_event *ev,
			    uint32_t *at);
unsigned int wb_book_delete(struct wb_book *b, uint64_t ref, struct wb_event *ev, uint32_t *at);
unsigned int wb_book_replace(struct wb_book *b, uint64_t ref, uint64_t nref, int64_t price,
			     uint32_t qty, struct wb_event *ev, uint32_t *at);

/*
 * The event as wb_book_apply_op() starts it: instrument (the op's, an event
 * seed for ops naming an order) and the venue's timestamp, type WB_EV_NONE,
 * everything else but ring_tag, seq, rx_tsc and venue (the caller's) zero.
 * Nothing when ev is NULL.
 */
static inline void
wb_book_event_init(struct wb_event *ev, uint32_t instrument, uint64_t ts)
{
	if (ev != NULL) {
		ev->instrument = instrument;
		ev->exch_ts = ts;
		ev->type = WB_EV_NONE;
		ev->side = 0;
		ev->flags = 0;
		ev->qty = 0;
		memset(&ev->u, 0, sizeof(ev->u));
	}
}

/*
 * Optional: prefetches the window entry of ref, so that a caller that
 * knows the next message's ref can overlap its cache miss with this one.
 */
void wb_book_prefetch(const struct wb_book *b, uint64_t ref);

/*
 * Optional: prefetches everything applying op[0..n) in order will touch, in
 * stages, so that the cache misses of a burst overlap. Call it on a burst
 * (a packet or more) right before applying it; it changes nothing.
 */
void wb_book_prefetch_ops(const struct wb_book *b, const struct wb_book_op *op, unsigned int n);


const struct wb_book_stats *wb_book_stats(const struct wb_book *b);
const struct wb_instrument *wb_book_instrument(const struct wb_book *b, uint32_t instrument);
uint32_t wb_book_max_instruments(const struct wb_book *b);
/* 1 if the instrument has at least one resting order. */
int wb_book_has_orders(const struct wb_book *b, uint32_t instrument);

void wb_book_bbo(const struct wb_book *b, uint32_t instrument, struct wb_bbo *out);

/*
 * The best bid and ask of an instrument straight into ev->u.bbo (quantities
 * saturate at UINT32_MAX) and ev->qty (the order counts, 16 bits each,
 * saturating): what the feed publishes. Building the event from
 * a wb_bbo read it back with loads that spanned the stores that filled it,
 * and those wait for the store buffer to drain.
 */
void wb_book_bbo_event(const struct wb_book *b, uint32_t instrument, struct wb_event *ev);
/* Copies up to n levels of side ('B'/'S'), best first; returns the count. */
unsigned int wb_book_levels(const struct wb_book *b, uint32_t instrument, uint8_t side,
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
 * side w[i].side of w[i].instrument into w[i].out and sets w[i].n. The walks go
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
	uint32_t instrument;
	uint8_t side;
};
void wb_book_levels_many(const struct wb_book *b, struct wb_level_walk *w, unsigned int n);
/* Number of levels on a side. */
unsigned int wb_book_depth(const struct wb_book *b, uint32_t instrument, uint8_t side);
/* Looks up a live order; 0 if found, -ENOENT otherwise. */
int wb_book_order(const struct wb_book *b, uint64_t ref, struct wb_order_info *out);
/* The first n order refs resting at (side, price) in time priority; returns the count. */
unsigned int wb_book_level_orders(const struct wb_book *b, uint32_t instrument, uint8_t side,
				  int64_t price, uint64_t *refs, unsigned int n);

#endif /* WB_BOOK_H */
