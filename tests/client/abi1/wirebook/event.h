/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Normalized book events: one cache line each, the unit of the broadcast
 * ring in shared memory and of the feed's event sink.
 *
 * Prices are integers with 4 implied decimals (ITCH). `locate` is the
 * exchange's stock locate, which indexes the instrument directory.
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
	WB_EV_ADD = 1,           /**< order added: ref, side, price, shares */
	WB_EV_EXECUTE = 2,       /**< order executed: ref, shares executed, price, match */
	WB_EV_CANCEL = 3,        /**< partial cancel: ref, shares cancelled */
	WB_EV_DELETE = 4,        /**< order deleted: ref */
	WB_EV_REPLACE = 5,       /**< ref replaced by new_ref at price/shares */
	WB_EV_TRADE = 6,         /**< non-displayed or cross trade: price, shares, match */
	WB_EV_TRADING_STATE = 7, /**< trading state change: state, reason */
	WB_EV_BBO = 8,           /**< best bid/offer changed */
	WB_EV_GAP = 9,           /**< sequence gap: books may be stale */
	WB_EV_DIRECTORY = 10,    /**< instrument added to the directory */
	WB_EV_TYPES
};

/** One event, exactly 64 bytes. */
struct wb_event {
	uint64_t ring_pos; /**< set by the ring: position + 1 (0 = never written) */
	uint64_t seq;      /**< feed sequence number of the message */
	uint64_t exch_ts;  /**< exchange timestamp, ns since midnight */
	uint64_t rx_tsc;   /**< TSC when the packet was received */
	uint16_t locate;   /**< instrument (stock locate) */
	uint8_t type;      /**< enum wb_event_type */
	uint8_t side;      /**< 'B', 'S' or 0 */
	uint32_t pad0;
	union {
		struct {
			uint64_t ref;     /**< order reference */
			uint64_t aux;     /**< new ref (replace) or match number */
			uint32_t price;   /**< order price, or execution price */
			uint32_t shares;  /**< shares added/executed/cancelled/new */
		} order;
		struct {
			uint32_t bid_px, bid_qty;
			uint32_t ask_px, ask_qty; /**< qty 0 = empty side */
			uint32_t bid_orders, ask_orders;
		} bbo;
		struct {
			uint64_t shares;
			uint64_t match;
			uint32_t price;
		} trade;
		struct {
			uint8_t state;    /**< 'H' halted, 'P' paused, 'Q' quotation, 'T' trading */
			uint8_t reason[4];
		} trading;
		struct {
			uint64_t from_seq; /**< first missing sequence number */
			uint64_t count;    /**< messages missing */
		} gap;
		uint8_t raw[24];
	} u;
};

#ifdef __cplusplus
static_assert(sizeof(struct wb_event) == 64, "wb_event must be one cache line");
#else
_Static_assert(sizeof(struct wb_event) == 64, "wb_event must be one cache line");
#endif

#ifdef __cplusplus
}
#endif

#endif /* WIREBOOK_EVENT_H */
