/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Nasdaq TotalView-ITCH 5.0 decoder.
 *
 * wb_itch_decode() takes one message (a MoldUDP64 block or a BinaryFILE
 * record, without its length prefix) and fills a wb_itch_msg: integers are
 * converted from big-endian, alpha fields are pointers into the buffer
 * (space padded, not NUL terminated; see wb_itch_alpha()). Nothing is copied
 * and nothing outside [buf, buf + len) is read.
 *
 * Prices are the raw integers of the spec: 4 implied decimals (u32), except
 * the MWCB levels of 'V' (u64, 8 implied decimals).
 */
#ifndef WB_ITCH50_H
#define WB_ITCH50_H

#include <stddef.h>
#include <stdint.h>

#include "wb_compiler.h"
#include "wb_proto.h"

#define WB_ITCH_STOCK_LEN 8
#define WB_ITCH_MAX_MSG_LEN 50
#define WB_ITCH_PRICE_SCALE 10000u

/* Message types, named after the spec's message names. */
enum wb_itch_type {
	WB_ITCH_SYSTEM_EVENT = 'S',
	WB_ITCH_STOCK_DIRECTORY = 'R',
	WB_ITCH_TRADING_ACTION = 'H',
	WB_ITCH_REG_SHO = 'Y',
	WB_ITCH_MP_POSITION = 'L',
	WB_ITCH_MWCB_DECLINE = 'V',
	WB_ITCH_MWCB_STATUS = 'W',
	WB_ITCH_IPO_QUOTING = 'K',
	WB_ITCH_LULD_COLLAR = 'J',
	WB_ITCH_OPERATIONAL_HALT = 'h',
	WB_ITCH_ADD_ORDER = 'A',
	WB_ITCH_ADD_ORDER_MPID = 'F',
	WB_ITCH_ORDER_EXECUTED = 'E',
	WB_ITCH_ORDER_EXECUTED_PRICE = 'C',
	WB_ITCH_ORDER_CANCEL = 'X',
	WB_ITCH_ORDER_DELETE = 'D',
	WB_ITCH_ORDER_REPLACE = 'U',
	WB_ITCH_TRADE = 'P',
	WB_ITCH_CROSS_TRADE = 'Q',
	WB_ITCH_BROKEN_TRADE = 'B',
	WB_ITCH_NOII = 'I',
	WB_ITCH_RPII = 'N',
	WB_ITCH_DLCR = 'O',
};

/* The 23 types in a fixed order (for per-type counters and tests). */
#define WB_ITCH_NTYPES 23
extern const char wb_itch_types[WB_ITCH_NTYPES + 1]; /* "SRHYLVWKJhAFECXDUPQBINO" */

/* Spec length of a type including the type byte, 0 if unknown. */
extern const uint8_t wb_itch_len_table[256];

static inline unsigned int
wb_itch_msg_len(uint8_t type)
{
	return wb_itch_len_table[type];
}

/* Index of a type in wb_itch_types plus 1, 0 if unknown: a table for the data path. */
extern const uint8_t wb_itch_type_slot[256];

/* Index of a type in wb_itch_types, or -1. */
int wb_itch_type_index(uint8_t type);

struct wb_itch_msg {
	uint8_t type;
	uint16_t len; /* spec length */
	uint16_t stock_locate;
	uint16_t tracking_number;
	uint64_t timestamp; /* ns since midnight */
	const uint8_t *raw;
	union {
		struct {
			uint8_t event_code;
		} system_event; /* S */
		struct {
			const uint8_t *stock;
			uint8_t market_category;
			uint8_t financial_status;
			uint32_t round_lot_size;
			uint8_t round_lots_only;
			uint8_t issue_classification;
			const uint8_t *issue_subtype; /* 2 */
			uint8_t authenticity;
			uint8_t short_sale_threshold;
			uint8_t ipo_flag;
			uint8_t luld_ref_tier;
			uint8_t etp_flag;
			uint32_t etp_leverage;
			uint8_t inverse;
		} stock_directory; /* R */
		struct {
			const uint8_t *stock;
			uint8_t trading_state;
			uint8_t reserved;
			const uint8_t *reason; /* 4 */
		} trading_action; /* H */
		struct {
			const uint8_t *stock;
			uint8_t reg_sho_action;
		} reg_sho; /* Y */
		struct {
			const uint8_t *mpid; /* 4 */
			const uint8_t *stock;
			uint8_t primary_market_maker;
			uint8_t market_maker_mode;
			uint8_t market_participant_state;
		} mp_position; /* L */
		struct {
			uint64_t level1, level2, level3; /* 8 implied decimals */
		} mwcb_decline; /* V */
		struct {
			uint8_t breached_level;
		} mwcb_status; /* W */
		struct {
			const uint8_t *stock;
			uint32_t release_time; /* seconds since midnight */
			uint8_t release_qualifier;
			uint32_t ipo_price;
		} ipo_quoting; /* K */
		struct {
			const uint8_t *stock;
			uint32_t ref_price;
			uint32_t upper_price;
			uint32_t lower_price;
			uint32_t extension;
		} luld_collar; /* J */
		struct {
			const uint8_t *stock;
			uint8_t market_code;
			uint8_t action;
		} operational_halt; /* h */
		struct {
			uint64_t order_ref;
			uint8_t side; /* 'B' or 'S' */
			uint32_t shares;
			const uint8_t *stock;
			uint32_t price;
			const uint8_t *attribution; /* 4, F only; NULL for A */
		} add; /* A F */
		struct {
			uint64_t order_ref;
			uint32_t executed_shares;
			uint64_t match_number;
		} executed; /* E */
		struct {
			uint64_t order_ref;
			uint32_t executed_shares;
			uint64_t match_number;
			uint8_t printable;
			uint32_t execution_price;
		} executed_price; /* C */
		struct {
			uint64_t order_ref;
			uint32_t cancelled_shares;
		} cancel; /* X */
		struct {
			uint64_t order_ref;
		} del; /* D */
		struct {
			uint64_t orig_order_ref;
			uint64_t new_order_ref;
			uint32_t shares;
			uint32_t price;
		} replace; /* U */
		struct {
			uint64_t order_ref;
			uint8_t side;
			uint32_t shares;
			const uint8_t *stock;
			uint32_t price;
			uint64_t match_number;
		} trade; /* P */
		struct {
			uint64_t shares;
			const uint8_t *stock;
			uint32_t cross_price;
			uint64_t match_number;
			uint8_t cross_type;
		} cross_trade; /* Q */
		struct {
			uint64_t match_number;
		} broken_trade; /* B */
		struct {
			uint64_t paired_shares;
			uint64_t imbalance_shares;
			uint8_t imbalance_direction;
			const uint8_t *stock;
			uint32_t far_price;
			uint32_t near_price;
			uint32_t current_ref_price;
			uint8_t cross_type;
			uint8_t price_variation_indicator;
		} noii; /* I */
		struct {
			const uint8_t *stock;
			uint8_t interest_flag;
		} rpii; /* N */
		struct {
			const uint8_t *stock;
			uint8_t open_eligibility_status;
			uint32_t min_allowable_price;
			uint32_t max_allowable_price;
			uint32_t near_execution_price;
			uint64_t near_execution_time;
			uint32_t lower_price_range_collar;
			uint32_t upper_price_range_collar;
		} dlcr; /* O */
	} u;
};

/*
 * Decodes one message of `len` bytes. Returns the spec length (== len) on
 * success; WB_PROTO_TRUNCATED if len is 0 or shorter than the type's length;
 * WB_PROTO_UNKNOWN for an unknown type (m->type is set, the caller skips the
 * block by its length); WB_PROTO_MALFORMED if len is longer than the spec
 * length or a field is out of its domain (side not B/S).
 */
int wb_itch_decode(const uint8_t *buf, size_t len, struct wb_itch_msg *m);

/*
 * Encodes m into out (cap bytes) following the spec; alpha pointers must
 * reference fields of their spec width (NULL encodes spaces). Returns the
 * length written or WB_PROTO_TRUNCATED if cap is too small, WB_PROTO_UNKNOWN
 * for an unknown type. Used by the generator and the tests.
 */
int wb_itch_encode(const struct wb_itch_msg *m, uint8_t *out, size_t cap);

/*
 * Copies an alpha field of width n into dst (n + 1 bytes), trailing spaces
 * removed, NUL terminated. Returns the trimmed length.
 */
size_t wb_itch_alpha(char *dst, const uint8_t *src, size_t n);

/* The 8-byte stock field of the message, or NULL if the type has none. */
const uint8_t *wb_itch_stock(const struct wb_itch_msg *m);

/*
 * The order messages (A F E C X D U) read in place, without a decoded copy:
 * what a feed does with nearly all of its messages. The offsets are the
 * spec's and the same as wb_itch_decode()'s; they live here so that no
 * other module reads ITCH bytes. Callers check first what wb_itch_decode()
 * would: the message is exactly wb_itch_msg_len() bytes of one of these
 * types (wb_itch_order_type()), and an add's side is 'B' or 'S'. Each
 * accessor is only meaningful for the types its name gives.
 */

/* 1 if type is an order message (A C D E F U X); no branches, since the
 * type mix of a feed does not predict. */
static inline unsigned int
wb_itch_order_type(uint8_t type)
{
	/* A C D E F U X, as bits from 'A' */
	const uint64_t set = (1ull << 0) | (1ull << 2) | (1ull << 3) | (1ull << 4) | (1ull << 5) |
			     (1ull << ('U' - 'A')) | (1ull << ('X' - 'A'));
	unsigned int d = (unsigned int)type - 'A';

	return (unsigned int)(d < 64) & (unsigned int)(set >> (d & 63));
}

/* 1 for A and F. */
static inline unsigned int
wb_itch_is_add(uint8_t type)
{
	return (type == WB_ITCH_ADD_ORDER) | (type == WB_ITCH_ADD_ORDER_MPID);
}

/* Every message */
static inline uint16_t
wb_itch_raw_locate(const uint8_t *p)
{
	return wb_be16(p + 1);
}

static inline uint64_t
wb_itch_raw_ts(const uint8_t *p)
{
	return wb_be48(p + 5);
}

/* A F E C X D U: the order reference (U: the original) */
static inline uint64_t
wb_itch_raw_ref(const uint8_t *p)
{
	return wb_be64(p + 11);
}

/* A F */
static inline uint8_t
wb_itch_raw_add_side(const uint8_t *p)
{
	return p[19];
}

static inline uint32_t
wb_itch_raw_add_shares(const uint8_t *p)
{
	return wb_be32(p + 20);
}

static inline const uint8_t *
wb_itch_raw_add_stock(const uint8_t *p)
{
	return p + 24;
}

static inline uint32_t
wb_itch_raw_add_price(const uint8_t *p)
{
	return wb_be32(p + 32);
}

/* E C X: shares executed or cancelled */
static inline uint32_t
wb_itch_raw_reduce_shares(const uint8_t *p)
{
	return wb_be32(p + 19);
}

/* E C */
static inline uint64_t
wb_itch_raw_exec_match(const uint8_t *p)
{
	return wb_be64(p + 23);
}

/* C */
static inline uint32_t
wb_itch_raw_exec_price(const uint8_t *p)
{
	return wb_be32(p + 32);
}

/* U */
static inline uint64_t
wb_itch_raw_replace_new_ref(const uint8_t *p)
{
	return wb_be64(p + 19);
}

static inline uint32_t
wb_itch_raw_replace_shares(const uint8_t *p)
{
	return wb_be32(p + 27);
}

static inline uint32_t
wb_itch_raw_replace_price(const uint8_t *p)
{
	return wb_be32(p + 31);
}

/*
 * For a prefetch over a batch of order messages of any of these types,
 * computed without branches on the type (the mix does not predict): each
 * reads only bytes every order message has where its type lacks the field.
 */

/* U: the new ref; the others: the order ref. */
static inline uint64_t
wb_itch_raw_ref2(const uint8_t *p)
{
	return wb_be64(p + 11 + 8 * (p[0] == WB_ITCH_ORDER_REPLACE));
}

/* A F (add = 1): the side; the others, or an add too short for one
 * (add = 0): the type byte. */
static inline uint8_t
wb_itch_raw_side_if(const uint8_t *p, unsigned int add)
{
	return p[19u & -add];
}

/* A F (add = 1): the price; the others (add = 0): part of the ref. */
static inline uint32_t
wb_itch_raw_price_if(const uint8_t *p, unsigned int add)
{
	return wb_be32(p + 11 + (21u & -add));
}

#endif /* WB_ITCH50_H */
