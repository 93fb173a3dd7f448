/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cboe Multicast Depth of Book PITCH (US equities BZX/BYX/EDGX/EDGA; the
 * options and futures feeds share the framing and most order messages).
 *
 * Every UDP payload is one Sequenced Unit: an 8-byte header, all little-endian
 *   length u16 (whole payload, header included) | count u8 | unit u8 | seq u32
 * then `count` messages back to back, each starting with u8 length (counting
 * itself) and u8 type. count 0 is a heartbeat. seq is the sequence number of
 * the first message in the unit `unit`; sequence numbers are per unit, and 0
 * marks unsequenced packets (symbol mappings, instrument definitions).
 * Every message but Time and the options' Symbol Mapping has a u32 time
 * offset at 2 (ns since the unit's last Time); those two have none. The
 * futures' Instrument Definition (0xBB) is the one of variable length.
 *
 * wb_pitch_parse() validates the whole payload before anything is handed on,
 * as wb_mold_parse() does: each message length is checked against the bytes
 * and the messages must end exactly at `length`. wb_pitch_decode() decodes one
 * message: integers converted from little-endian, symbols and other alpha
 * fields as pointers into the buffer (space padded, not NUL terminated).
 *
 * Cboe appends fields to messages over versions and the variants differ in
 * their tails (the futures short add/modify have no flags byte, the futures
 * Time carries epoch seconds, the options Order Executed a trade condition).
 * So each type has a minimum length, up to its last field that every variant
 * has; longer messages are accepted, and the known optional tail fields are
 * reported with has_* flags. Types not listed below are WB_PROTO_UNKNOWN: the
 * caller skips them by their length and counts them.
 *
 * Prices are signed 64-bit integers with the exponent the message implies:
 * 2-byte ("short") prices have 2 decimals (price_exp -2), 8-byte ("long")
 * prices 4 (price_exp -4). Equities prices are unsigned on the wire; the
 * options complex and futures feeds have signed prices (spreads go negative),
 * selected with WB_PITCH_SIGNED_PRICES.
 */
#ifndef WB_PITCH_H
#define WB_PITCH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wb_proto.h"

#define WB_PITCH_HDR_LEN 8
#define WB_PITCH_MAX_MSG_LEN 255
#define WB_PITCH_SHORT_PRICE_EXP (-2)
#define WB_PITCH_LONG_PRICE_EXP (-4)
#define WB_PITCH_SYMBOL_LEN 6
#define WB_PITCH_SYMBOL_LONG_LEN 8
#define WB_PITCH_OSI_SYMBOL_LEN 21 /* OCC's option symbol (Symbol Mapping) */
#define WB_PITCH_UNDERLYING_LEN 8
/* CFE Futures Instrument Definition (0xBB): fixed part, contract date, a leg. */
#define WB_PITCH_FUTDEF_LEN 41	    /* v1.1.6: through the variance block offset */
#define WB_PITCH_FUTDEF_DATE_LEN 45 /* v1.1.12: the contract date after it */
#define WB_PITCH_FUTDEF_LEG_LEN 10  /* s32 ratio, symbol[6] */

/* wb_pitch_decode() flags. */
#define WB_PITCH_SIGNED_PRICES 0x1u /* 2- and 8-byte prices are two's complement */

/* Message types decoded, named after the spec's message names. */
enum wb_pitch_type {
	WB_PITCH_TIME = 0x20,
	WB_PITCH_ADD_LONG = 0x21,
	WB_PITCH_ADD_SHORT = 0x22,
	WB_PITCH_ORDER_EXECUTED = 0x23,
	WB_PITCH_EXECUTED_AT_PRICE = 0x24, /* Order Executed at Price/Size */
	WB_PITCH_REDUCE_LONG = 0x25,
	WB_PITCH_REDUCE_SHORT = 0x26,
	WB_PITCH_MODIFY_LONG = 0x27,
	WB_PITCH_MODIFY_SHORT = 0x28,
	WB_PITCH_DELETE = 0x29,
	WB_PITCH_TRADE_LONG = 0x2A,
	WB_PITCH_TRADE_SHORT = 0x2B,
	WB_PITCH_END_OF_SESSION = 0x2D,
	WB_PITCH_SYMBOL_MAPPING = 0x2E, /* options: feed symbol -> OSI symbol; no time offset */
	WB_PITCH_ADD_EXPANDED = 0x2F,
	WB_PITCH_TRADE_EXPANDED = 0x30,
	WB_PITCH_TRADING_STATUS = 0x31,
	WB_PITCH_UNIT_CLEAR = 0x97,
	WB_PITCH_FUTURES_DEF = 0xBB, /* CFE: Futures Instrument Definition, variable length */
};

/* The 19 decoded types in a fixed order (per-type counters, tests). */
#define WB_PITCH_NTYPES 19
extern const uint8_t wb_pitch_types[WB_PITCH_NTYPES];

/* Minimum length of a decoded type (length byte included), 0 if not decoded. */
extern const uint8_t wb_pitch_min_len[256];

/* 1 for a side byte 'B' or 'S', else 0: one load and one test where the side is random. */
extern const uint8_t wb_pitch_side_ok[256];

/* Index of a type in wb_pitch_types, or -1 if it is not decoded. */
int wb_pitch_type_index(uint8_t type);

/* The spec's name of a decoded type ("AddOrderShort"), NULL otherwise. */
const char *wb_pitch_type_name(uint8_t type);

/* Little-endian loads (the project only builds for little-endian hosts, but say so). */
static inline uint16_t
wb_pitch_le16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap16(v);
#endif
	return v;
}

static inline uint32_t
wb_pitch_le32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	return v;
}

static inline uint64_t
wb_pitch_le64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

struct wb_pitch_pkt {
	uint16_t length;     /* header length field: bytes of the unit */
	uint8_t count;	     /* messages (0: heartbeat) */
	uint8_t unit;	     /* matching unit */
	uint32_t seq;	     /* sequence number of the first message, 0: unsequenced */
	const uint8_t *msgs; /* first message (its length byte) */
	const uint8_t *end;  /* buf + length */
};

/*
 * Parses and validates a Sequenced Unit. Returns the header's length (<= len)
 * on success; bytes after it (only possible when the caller passes more than
 * the UDP payload) are not the unit's, and the caller counts them.
 * WB_PROTO_TRUNCATED if the header or a message runs past len;
 * WB_PROTO_MALFORMED for a header length under 8, a message length under 2,
 * messages that do not end exactly at the header's length, or a sequence
 * whose next number (seq + count) passes 2^32 - 1.
 */
int wb_pitch_parse(const uint8_t *buf, size_t len, struct wb_pitch_pkt *pkt);

static inline int
wb_pitch_is_heartbeat(const struct wb_pitch_pkt *pkt)
{
	return pkt->count == 0;
}

/* Iterates the messages of a unit that wb_pitch_parse() accepted. */
struct wb_pitch_iter {
	const uint8_t *p;
	const uint8_t *end;
};

static inline void
wb_pitch_iter_init(struct wb_pitch_iter *it, const struct wb_pitch_pkt *pkt)
{
	it->p = pkt->msgs;
	it->end = pkt->end;
}

/* Returns 1 and the message (length byte included), or 0 at the end. */
static inline int
wb_pitch_iter_next(struct wb_pitch_iter *it, const uint8_t **msg, uint8_t *len)
{
	if (it->end - it->p < 2) /* not it->p + 2: no pointer past the end */
		return 0;
	*msg = it->p;
	*len = it->p[0];
	it->p += it->p[0];
	return 1;
}

struct wb_pitch_msg {
	uint8_t type;
	uint8_t len;	      /* the message's length byte */
	uint32_t time_offset; /* ns since the unit's last Time; 0 for Time and Symbol Mapping */
	const uint8_t *raw;
	union {
		struct {
			uint32_t seconds; /* since midnight (futures: the time reference) */
			uint32_t epoch;	  /* futures: epoch seconds, if has_epoch */
			uint8_t has_epoch;
		} time; /* 0x20 */
		struct {
			uint64_t order_id;
			uint8_t side; /* 'B' or 'S' */
			uint32_t quantity;
			const uint8_t *symbol; /* symbol_len bytes */
			uint8_t symbol_len;    /* 6, or 8 for expanded */
			int64_t price;
			int8_t price_exp;
			uint8_t has_flags;
			uint8_t flags;		       /* bit 0: displayed */
			const uint8_t *participant_id; /* 4, expanded only; else NULL */
		} add;				       /* 0x21 0x22 0x2F */
		struct {
			uint64_t order_id;
			uint32_t executed_quantity;
			uint64_t execution_id;
			uint8_t has_trade_condition;
			uint8_t trade_condition; /* options */
		} executed;			 /* 0x23 */
		struct {
			uint64_t order_id;
			uint32_t executed_quantity;
			uint32_t remaining_quantity;
			uint64_t execution_id;
			int64_t price;
			int8_t price_exp;
		} executed_price; /* 0x24 */
		struct {
			uint64_t order_id;
			uint32_t canceled_quantity;
		} reduce; /* 0x25 0x26 */
		struct {
			uint64_t order_id;
			uint32_t quantity;
			int64_t price;
			int8_t price_exp;
			uint8_t has_flags;
			uint8_t flags; /* bit 0: displayed, bit 1: maintain priority */
		} modify;	       /* 0x27 0x28 */
		struct {
			uint64_t order_id;
		} del; /* 0x29 */
		struct {
			uint64_t order_id;
			uint8_t side;
			uint32_t quantity;
			const uint8_t *symbol;
			uint8_t symbol_len;
			int64_t price;
			int8_t price_exp;
			uint64_t execution_id;
		} trade; /* 0x2A 0x2B 0x30 */
		struct {
			const uint8_t *symbol;	/* 8 */
			uint8_t trading_status; /* H halted, Q quote-only, T trading */
			uint8_t reg_sho_action;
			uint8_t reserved1, reserved2;
		} trading_status; /* 0x31 */
		struct {
			const uint8_t *feed_symbol; /* 6: the symbol adds and trades name */
			const uint8_t *osi_symbol;  /* 21, inner spaces are part of it */
			uint8_t symbol_condition;   /* 'N' normal, 'C' closing only */
			const uint8_t *underlying;  /* 8 */
		} symbol_mapping;		    /* 0x2E */
		struct {
			const uint8_t *symbol;	      /* 6: the symbol adds and trades name */
			uint32_t unit_timestamp;      /* epoch seconds */
			const uint8_t *report_symbol; /* 6: the venue's name, e.g. ZAMB1 */
			uint8_t futures_flags;
			uint32_t expiration_date; /* YYYYMMDD */
			uint16_t contract_size;
			uint8_t listing_state;	 /* A active, I inactive, T test */
			int64_t price_increment; /* at price_exp (8-byte price) */
			int8_t price_exp;
			uint8_t leg_count;
			uint8_t leg_offset; /* from the length byte; 0 without legs */
			uint8_t variance_block_offset;
			uint8_t has_contract_date; /* v1.1.12 */
			uint32_t contract_date;
			/* leg_count legs of 10 bytes: wb_pitch_futures_leg() */
			const uint8_t *legs;
		} futures_def; /* 0xBB */
	} u;
};

/* Leg i (< leg_count) of a decoded Futures Instrument Definition. */
struct wb_pitch_leg {
	int32_t ratio;	       /* negative: the leg is sold */
	const uint8_t *symbol; /* 6 */
};

static inline struct wb_pitch_leg
wb_pitch_futures_leg(const struct wb_pitch_msg *m, unsigned int i)
{
	const uint8_t *p = m->u.futures_def.legs + (size_t)i * WB_PITCH_FUTDEF_LEG_LEN;
	struct wb_pitch_leg l;

	l.ratio = (int32_t)wb_pitch_le32(p);
	l.symbol = p + 4;
	return l;
}

/*
 * Decodes one message of `len` bytes (length byte included). Returns len on
 * success; WB_PROTO_TRUNCATED if len < 2; WB_PROTO_MALFORMED if the length
 * byte is not len, the length is under the type's minimum, a side is not B/S,
 * an unsigned 8-byte price has its top bit set, or a Futures Instrument
 * Definition's legs start inside its fixed part or end past its length (the
 * decoder reads no byte past len); WB_PROTO_UNKNOWN for a type
 * not decoded (m->type and m->len are set: skip it by its length).
 */
int wb_pitch_decode(const uint8_t *buf, size_t len, unsigned int flags, struct wb_pitch_msg *m);

/*
 * Encodes m in the US equities layout at the spec length of its type (flags
 * bytes always written; alpha pointers reference fields of their spec width,
 * NULL encodes spaces; prices are taken at the type's exponent). Returns the
 * length written, WB_PROTO_TRUNCATED if cap is too small, WB_PROTO_UNKNOWN for
 * a type not decoded. Used by the generator and the tests. A Futures
 * Instrument Definition is the one variable length: its 41 bytes, the
 * contract date's 4 if has_contract_date, then leg_count legs copied from
 * legs (leg_offset is written as where they start, 0 without legs);
 * WB_PROTO_MALFORMED if that passes 255 bytes.
 */
int wb_pitch_encode(const struct wb_pitch_msg *m, uint8_t *out, size_t cap);

/* Spec (equities) length of a decoded type, as wb_pitch_encode() writes it. */
unsigned int wb_pitch_spec_len(uint8_t type);

/* Writes a Sequenced Unit Header into out (WB_PITCH_HDR_LEN bytes). */
void wb_pitch_put_hdr(uint8_t *out, uint16_t length, uint8_t count, uint8_t unit, uint32_t seq);

/* Alpha field of width n into dst (n + 1 bytes), trailing spaces removed. */
size_t wb_pitch_alpha(char *dst, const uint8_t *src, size_t n);

#endif /* WB_PITCH_H */
