/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Normalized book events (event ABI 2): one cache line each, the unit of the
 * broadcast ring in shared memory and of the feed's event sink.
 *
 * Prices are signed 64-bit integers of 10^price_exp units, price_exp being
 * the instrument's (its WB_EV_DIRECTORY event, wb_client_book; -4 for US
 * equities). `instrument` is the instrument's id in its feed's directory
 * (ITCH: the stock locate). docs/shm-abi.md shows how the fields fit.
 */
#ifndef WIREBOOK_EVENT_H
#define WIREBOOK_EVENT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Kind of a wb_event. */
enum wb_event_type {
	WB_EV_NONE = 0,
	WB_EV_ADD = 1,           /**< order added: u.order (ref, price), side, qty */
	WB_EV_EXECUTE = 2,       /**< order executed: u.order (ref, aux = match, price), qty executed */
	WB_EV_CANCEL = 3,        /**< partial cancel: u.order (ref, price), qty cancelled */
	WB_EV_DELETE = 4,        /**< order deleted: u.order (ref, price), qty it had */
	WB_EV_REPLACE = 5,       /**< u.order.ref replaced by u.order.aux at u.order.price, qty */
	WB_EV_TRADE = 6,         /**< non-displayed or cross trade: u.trade, qty shares */
	WB_EV_TRADING_STATE = 7, /**< trading state change: u.trading */
	WB_EV_BBO = 8,           /**< best bid/offer changed: u.bbo, qty = order counts */
	WB_EV_GAP = 9,           /**< sequence gap, books may be stale: u.gap */
	WB_EV_DIRECTORY = 10,    /**< instrument added to the directory: u.directory */
	WB_EV_TYPES
};

/** Venue of an event's feed (wb_event.venue). */
enum wb_venue {
	WB_VENUE_NONE = 0,
	WB_VENUE_NASDAQ = 1,
	WB_VENUE_CBOE_BZX = 2,
	WB_VENUE_CBOE_BYX = 3,
	WB_VENUE_CBOE_EDGX = 4,
	WB_VENUE_CBOE_EDGA = 5,
	WB_VENUE_OTHER = 255,
};

/** Length of u.directory.symbol: space or NUL padded, not terminated. */
#define WB_EV_SYMBOL_LEN 8

/** One event, exactly 64 bytes (offsets in the comments). */
struct wb_event {
	/** 0: set by the ring: low 32 bits of the ring position + 1, never 0
	 *  (0 means being written; a position whose truncation gives 0 uses 1) */
	uint32_t ring_tag;
	uint32_t instrument; /**< 4: instrument id in the feed's directory */
	uint64_t seq;        /**< 8: feed sequence number of the message */
	uint64_t exch_ts;    /**< 16: exchange timestamp, ns since midnight (venue time) */
	uint64_t rx_tsc;     /**< 24: daemon TSC when the packet was received */
	uint8_t type;        /**< 32: enum wb_event_type */
	uint8_t side;        /**< 33: 'B', 'S' or 0 */
	uint8_t venue;       /**< 34: enum wb_venue */
	uint8_t flags;       /**< 35: WB_EVF_* bits (none defined yet: 0) */
	/** 36: shares added, executed, cancelled, deleted, replaced to, or
	 *  traded; WB_EV_BBO: bid orders (low 16 bits) | ask orders (high 16),
	 *  each saturating at 65535 (wb_ev_bbo_bid_orders()) */
	uint32_t qty;
	/** 40, 24 bytes: the fields of the event's type (each member says which) */
	union {
		/** ADD EXECUTE CANCEL DELETE REPLACE */
		struct {
			uint64_t ref; /**< order id */
			/** REPLACE: the new order id (equal to ref for a modify
			 *  that keeps it); EXECUTE: the match / execution id */
			uint64_t aux;
			int64_t price; /**< the order's price; EXECUTE: the execution price */
		} order;
		/** BBO: the instrument's best bid and ask after the message */
		struct {
			int64_t bid_px;	  /**< best bid price (meaningless when bid_qty is 0) */
			int64_t ask_px;	  /**< best ask price (meaningless when ask_qty is 0) */
			uint32_t bid_qty; /**< shares at the best bid, saturating at UINT32_MAX; 0 = empty side */
			uint32_t ask_qty; /**< shares at the best ask, saturating at UINT32_MAX; 0 = empty side */
		} bbo;
		/** TRADE (shares in qty; a broken trade: qty 0, the match it voids) */
		struct {
			uint64_t match;	   /**< the venue's match / trade id */
			uint64_t reserved; /**< 0 */
			int64_t price;	   /**< the trade's price */
		} trade;
		/** TRADING_STATE */
		struct {
			uint8_t state; /**< 'H' halted, 'P' paused, 'Q' quotation, 'T' trading */
			uint8_t reason[4]; /**< the venue's reason code, space padded (ITCH H: 4 characters) */
		} trading;
		/** GAP, and the SDK's WB_CLIENT_EV_LAPPED notices */
		struct {
			uint64_t from_seq;   /**< first missing sequence number (LAPPED: ring position) */
			uint64_t count;      /**< messages (LAPPED: ring positions) missing */
			uint64_t resume_pos; /**< LAPPED only: the ring position reading resumes at */
		} gap;
		/** DIRECTORY */
		struct {
			char symbol[WB_EV_SYMBOL_LEN]; /**< NUL padded */
			int8_t price_exp;              /**< prices are integers of 10^price_exp */
			uint8_t pad[15];	       /**< 0 (reserved: a venue's long name) */
		} directory;
		uint8_t raw[24]; /**< the union's bytes, for copying whatever the type */
	} u;
};

/** Bid order count of a WB_EV_BBO event (saturated at 65535). */
static inline uint32_t
wb_ev_bbo_bid_orders(const struct wb_event *ev)
{
	return ev->qty & 0xffffu;
}

/** Ask order count of a WB_EV_BBO event (saturated at 65535). */
static inline uint32_t
wb_ev_bbo_ask_orders(const struct wb_event *ev)
{
	return ev->qty >> 16;
}

/* layout checks, not API: */
/** @cond LAYOUT_CHECKS */
#ifdef __cplusplus
static_assert(sizeof(struct wb_event) == 64, "wb_event must be one cache line");
#else
_Static_assert(sizeof(struct wb_event) == 64, "wb_event must be one cache line");
_Static_assert(__builtin_offsetof(struct wb_event, u) == 40, "the union is the last 24 bytes");
#endif
/** @endcond */

#ifdef __cplusplus
}
#endif

#endif /* WIREBOOK_EVENT_H */
