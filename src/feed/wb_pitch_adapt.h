/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cboe PITCH messages as book operations (struct wb_book_op), for one feed.
 *
 * PITCH names instruments by symbol, in adds, trades and Trading Status
 * only; the book wants a 32-bit instrument id. The adapter assigns ids on a
 * symbol's first sight, 1, 2, ... in order (0 stays "none", as ITCH's locate
 * 0 is), from an open-addressing table sized at create: nothing allocates
 * afterwards. A new symbol's first message becomes a DIRECTORY operation (the
 * symbol, price exponent -4) before its own, and the instrument remembers the
 * matching unit it was seen on, so that a Unit Clear or a gap in that unit
 * reaches exactly its instruments.
 *
 * Times: every message but Time carries nanoseconds since its unit's last
 * Time message (seconds since midnight); exch_ts is their sum, ns since
 * midnight. A message before its unit's first Time counts from midnight.
 *
 * Prices are normalised to exponent -4 (WB_PITCH_ADAPT_PRICE_EXP): short
 * (2-decimal) prices are multiplied by 100.
 *
 * Modify Order keeps its order id. Cboe's priority rule: an order keeps its
 * place when its price is unchanged and its quantity does not grow (the
 * flags' bit 1, "maintain priority", says so where the message has flags);
 * otherwise it goes to the back of the queue at its (new) price. That
 * needs the order's price and size, which the book has: a Modify becomes a
 * WB_OP_MODIFY (state = 1 where the flags allow keeping priority), and the
 * book decides. An Order Executed at Price/Size carries the remaining
 * quantity as well: its EXECUTE is followed by a WB_OP_TRIM to it (the
 * exchange's word wins). So the adapter never reads the book, and the feed
 * never has to apply what it batched before a message.
 */
#ifndef WB_PITCH_ADAPT_H
#define WB_PITCH_ADAPT_H

#include <stddef.h>
#include <stdint.h>

#include "wb_book.h"
#include "wb_pitch.h"

#define WB_PITCH_ADAPT_PRICE_EXP WB_PITCH_LONG_PRICE_EXP
/* Operations one message can become: DIRECTORY + its own, or EXECUTE + TRIM. */
#define WB_PITCH_ADAPT_MAX_OPS 2

struct wb_pitch_adapt_params {
	uint32_t max_instruments; /* ids 1 .. max_instruments - 1 */
	unsigned int flags;	  /* WB_PITCH_SIGNED_PRICES for the options complex/futures feeds */
};

struct wb_pitch_adapt_stats {
	uint64_t messages;		   /* decoded, by_type[wb_pitch_type_index()] */
	uint64_t by_type[WB_PITCH_NTYPES];
	uint64_t unknown;		   /* types not decoded, skipped by their length */
	uint64_t unknown_by_type[256];
	uint64_t truncated;		   /* shorter than its type's minimum */
	uint64_t malformed;		   /* bad length byte or field */
	uint64_t instruments;		   /* ids assigned */
	uint64_t inst_full;		   /* new symbol with every id taken: message skipped */
	uint64_t table_grows;		   /* the symbol table's part in use doubled */
	uint64_t unit_clears;
	uint64_t end_of_session;
};

/* What one message became. */
struct wb_pitch_ops {
	struct wb_book_op *op; /* the caller's: room for WB_PITCH_ADAPT_MAX_OPS */
	unsigned int n;	       /* operations written to op[] */
	uint8_t type;	       /* the PITCH type */
	uint8_t type_index;    /* its index in wb_pitch_types (by_type) */
	uint8_t clear_unit; /* Unit Clear: CLEAR every instrument of unit (wb_pitch_adapt_unit_next) */
	uint8_t unit;
	uint64_t exch_ts;
};

/*
 * The adapter's state. Private to wb_pitch_adapt.c but for
 * wb_pitch_adapt_fast() below, which inlines into the feed's loop: callers
 * use the functions.
 */
struct wb_pitch_slot { /* symbol table: key 0 = empty (spaces pad a symbol: never 8 NULs) */
	uint64_t key;
	uint32_t id;
};

struct wb_pitch_inst {
	uint64_t key; /* the symbol's 8 bytes, space padded */
	char sym[9];  /* NUL ended, trailing spaces removed */
	uint8_t unit;
};

/*
 * The symbol table is allocated (and touched) at create for 2 x
 * max_instruments slots, but only its first 2^k are used, k the smallest
 * that keeps it at most half full, from WB_PITCH_SLOTS_MIN up: a day's
 * thousands of symbols then sit in a few dozen KiB and pages, not spread
 * one a line over max_instruments x 32 bytes (2 MiB at the default), which
 * missed L1 and the TLB on most adds (docs/benchmarks.md).
 */
#define WB_PITCH_SLOTS_MIN 256u

struct wb_pitch_adapt {
	struct wb_pitch_slot *slot;
	uint32_t mask;	/* slots in use - 1 */
	uint32_t shift; /* 64 - log2(slots in use): the hash's top bits index the table */
	uint32_t slots_max;
	uint32_t max;	/* ids 1 .. max - 1 */
	uint32_t count;
	unsigned int flags;
	struct wb_pitch_inst *inst; /* [max] */
	uint64_t base_ns[256];	    /* per matching unit: its last Time, ns */
	uint8_t type_index[256];    /* decoded type -> wb_pitch_types index */
	struct wb_pitch_adapt_stats stats;
};

/* Returns NULL with errno set and wb_err_msg() explaining. */
struct wb_pitch_adapt *wb_pitch_adapt_create(const struct wb_pitch_adapt_params *p);
void wb_pitch_adapt_destroy(struct wb_pitch_adapt *a);
/* Forgets every symbol and time base (a new day). */
void wb_pitch_adapt_reset(struct wb_pitch_adapt *a);

/*
 * Turns one message of unit `unit` (len bytes, length byte included) into
 * operations in out->op (set by the caller; each op's fields are those its
 * kind uses, wb_book.h). Returns out->n (0 for Time, End of Session, Unit
 * Clear) or a negative WB_PROTO_* code, counted: WB_PROTO_UNKNOWN for a
 * type not decoded, and also for a new symbol when every id is taken
 * (inst_full).
 */
int wb_pitch_adapt_msg(struct wb_pitch_adapt *a, uint8_t unit, const uint8_t *msg, size_t len,
		       struct wb_pitch_ops *out);

/*
 * The messages that are nearly all of a feed (adds of a known symbol,
 * deletes, executions, reduces, modifies: 98% of the generated flow), from their bytes
 * straight into one op, with the same checks as wb_pitch_decode() (length
 * byte, the type's minimum length, the side, an unsigned long price's top
 * bit) and the same fields. Returns 1 and the type's index (by_type) if it
 * took the message (counted), 0 to leave it to wb_pitch_adapt_slow() (any
 * other type, a new symbol, anything that path must count or reject, the
 * signed-price variants). len >= 2.
 *
 * A symbol is one u64 load: a 6-character field is followed by at least 2
 * bytes of its message (the price) within the minimum length, masked off
 * and replaced by the spaces that pad it, so the key is the same as the
 * 8-character form's. The table is open addressing with a multiply-shift
 * hash (its top bits), sized at create to stay at most half full.
 */
static inline uint32_t
wb_pitch_adapt_find(const struct wb_pitch_adapt *a, uint64_t key, uint32_t *at)
{
	uint32_t i = (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> a->shift);

	for (;;) {
		uint64_t k = a->slot[i].key;

		if (__builtin_expect(k == key, 1))
			return a->slot[i].id;
		if (k == 0)
			break;
		i = (i + 1) & a->mask;
	}
	*at = i;
	return 0;
}

#define WB_PITCH_KEY6_PAD 0x2020000000000000ull /* two spaces in the top bytes */

static inline int
wb_pitch_adapt_fast(struct wb_pitch_adapt *a, uint8_t unit, const uint8_t *msg, size_t len,
		    struct wb_book_op *op, uint8_t *type_index)
{
	uint8_t t = msg[1], side;
	uint64_t px, key;
	uint32_t at, id;

	if (__builtin_expect(msg[0] != len || len < wb_pitch_min_len[t] || a->flags != 0, 0))
		return 0;
	switch (t) {
	case WB_PITCH_ADD_SHORT:
		key = (wb_pitch_le64(msg + 17) & 0xffffffffffffull) | WB_PITCH_KEY6_PAD;
		op->qty = wb_pitch_le16(msg + 15);
		px = (uint64_t)wb_pitch_le16(msg + 23) * 100u;
		goto add;
	case WB_PITCH_ADD_LONG:
		key = (wb_pitch_le64(msg + 19) & 0xffffffffffffull) | WB_PITCH_KEY6_PAD;
		op->qty = wb_pitch_le32(msg + 15);
		px = wb_pitch_le64(msg + 25);
		goto add_long;
	case WB_PITCH_ADD_EXPANDED:
		key = wb_pitch_le64(msg + 19);
		op->qty = wb_pitch_le32(msg + 15);
		px = wb_pitch_le64(msg + 27);
	add_long:
		if (px >> 63) /* an unsigned price past int64: malformed, counted there */
			return 0;
	add:
		side = msg[14];
		/* a table, not two compares: the side is as random as the flow */
		if (__builtin_expect(!wb_pitch_side_ok[side], 0))
			return 0;
		id = wb_pitch_adapt_find(a, key, &at);
		if (__builtin_expect(id == 0, 0)) /* a new symbol: its DIRECTORY op first */
			return 0;
		op->kind = WB_OP_ADD;
		op->side = side;
		op->instrument = id;
		op->price = (int64_t)px;
		op->symbol[0] = '\0';
		break;
	case WB_PITCH_MODIFY_SHORT:
		op->qty = wb_pitch_le16(msg + 14);
		op->price = (int64_t)wb_pitch_le16(msg + 16) * 100;
		/* Cboe's priority rule, with the flags' "maintain priority" bit
		 * where the message has its flags byte (wb_pitch_adapt_slow) */
		op->state = len <= 18 || (msg[18] & 0x2) != 0;
		goto modify;
	case WB_PITCH_MODIFY_LONG:
		px = wb_pitch_le64(msg + 18);
		if (px >> 63)
			return 0;
		op->qty = wb_pitch_le32(msg + 14);
		op->price = (int64_t)px;
		op->state = len <= 26 || (msg[26] & 0x2) != 0;
	modify:
		op->kind = WB_OP_MODIFY;
		op->side = 0;
		op->has_price = 0;
		op->instrument = 0;
		break;
	case WB_PITCH_DELETE:
		op->kind = WB_OP_DELETE;
		op->instrument = 0;
		break;
	case WB_PITCH_ORDER_EXECUTED:
		op->kind = WB_OP_EXECUTE;
		op->instrument = 0;
		op->has_price = 0;
		op->qty = wb_pitch_le32(msg + 14);
		op->aux = wb_pitch_le64(msg + 18);
		break;
	case WB_PITCH_REDUCE_LONG:
		op->kind = WB_OP_CANCEL;
		op->instrument = 0;
		op->qty = wb_pitch_le32(msg + 14);
		break;
	case WB_PITCH_REDUCE_SHORT:
		op->kind = WB_OP_CANCEL;
		op->instrument = 0;
		op->qty = wb_pitch_le16(msg + 14);
		break;
	default:
		return 0;
	}
	op->ref = wb_pitch_le64(msg + 6);
	op->exch_ts = a->base_ns[unit] + wb_pitch_le32(msg + 2);
	*type_index = a->type_index[t];
	a->stats.messages++;
	a->stats.by_type[*type_index]++;
	return 1;
}

/*
 * wb_pitch_adapt_msg() for a message wb_pitch_adapt_fast() did not take:
 * the general path alone.
 */
int wb_pitch_adapt_slow(struct wb_pitch_adapt *a, uint8_t unit, const uint8_t *msg, size_t len,
			struct wb_pitch_ops *out);

/*
 * Instruments of a unit, for a Unit Clear or a gap: from *cursor (start at
 * 0), returns the next instrument id seen on unit, or 0 when there is none.
 */
uint32_t wb_pitch_adapt_unit_next(const struct wb_pitch_adapt *a, uint8_t unit, uint32_t *cursor);

/* The id of a symbol (up to 8 characters, space padded or NUL ended), 0 if unknown. */
uint32_t wb_pitch_adapt_lookup(const struct wb_pitch_adapt *a, const char *symbol);
/* The symbol of an id (NUL ended, trailing spaces removed), NULL if not assigned. */
const char *wb_pitch_adapt_symbol(const struct wb_pitch_adapt *a, uint32_t id);
/* The matching unit an id was first seen on. */
uint8_t wb_pitch_adapt_unit(const struct wb_pitch_adapt *a, uint32_t id);
/* Ids assigned so far (the largest is this value). */
uint32_t wb_pitch_adapt_count(const struct wb_pitch_adapt *a);

const struct wb_pitch_adapt_stats *wb_pitch_adapt_stats(const struct wb_pitch_adapt *a);

#endif /* WB_PITCH_ADAPT_H */
