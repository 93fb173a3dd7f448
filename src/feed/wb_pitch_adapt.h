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
 * The options feeds name their instruments in Symbol Mapping (0x2E) too,
 * unsequenced: feed symbol -> OSI symbol. A mapping creates the feed
 * symbol's instrument as an add's first sight does (its DIRECTORY op), and
 * sets its long name, the OSI symbol with trailing spaces removed. A long
 * name does not fit a book op (64 bytes, the symbol's 8 among them), so the
 * adapter keeps them in a table of its own, sized at create, that the
 * publisher reads (wb_feed_long_name) when it writes a directory entry; a
 * mapping that changes a known instrument's long name (an add came first)
 * emits its DIRECTORY op again so that the entry is rewritten. The same
 * name again (a mapping re-sent) emits nothing.
 *
 * The futures feed's Futures Instrument Definition (0xBB, unsequenced)
 * does the same for its symbol, the long name being its report symbol
 * (e.g. ZAMB1 for 0004yj); its legs and contract terms are not kept.
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
/* A long name and its NUL: an OSI symbol is 21 characters (a report symbol 6). */
#define WB_PITCH_LONG_NAME_LEN (WB_PITCH_OSI_SYMBOL_LEN + 1)
/* Operations one message can become: DIRECTORY + its own, or EXECUTE + TRIM. */
#define WB_PITCH_ADAPT_MAX_OPS 2

struct wb_pitch_adapt_params {
	uint32_t max_instruments; /* ids 1 .. max_instruments - 1 */
	unsigned int flags;	  /* WB_PITCH_SIGNED_PRICES for the options complex/futures feeds */
};

struct wb_pitch_adapt_stats {
	/* decoded by wb_pitch_adapt_msg() or _slow(), by_type[wb_pitch_type_index()];
	 * not what a feed takes through wb_pitch_adapt_fast(): the feed counts
	 * every message itself (wb_feed_stats by_type, at the same index) */
	uint64_t messages;
	uint64_t by_type[WB_PITCH_NTYPES];
	uint64_t unknown;		   /* types not decoded, skipped by their length */
	uint64_t unknown_by_type[256];
	uint64_t truncated;		   /* shorter than its type's minimum */
	uint64_t malformed;		   /* bad length byte or field */
	uint64_t instruments;		   /* ids assigned */
	uint64_t inst_full;		   /* new symbol with every id taken: message skipped */
	uint64_t table_grows;		   /* the symbol table's part in use doubled */
	uint64_t long_names;		   /* mappings and definitions that set or changed one */
	uint64_t definitions;		   /* Futures Instrument Definitions applied */
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
	const struct wb_pitch_fast *fast; /* wb_pitch_fast, or all off with flags */
	struct wb_pitch_inst *inst;	  /* [max] */
	uint64_t base_ns[256];	    /* per matching unit: its last Time, ns */
	uint8_t type_index[256];    /* decoded type -> wb_pitch_types index */
	struct wb_pitch_adapt_stats stats;
	/* [max]: Symbol Mapping's OSI symbols, Futures Instrument Definition's
	 * report symbols, "" until one names the id. Apart
	 * from inst[], which a Unit Clear walks (most feeds have no mapping),
	 * and last, after what the fast path reads. */
	char (*long_name)[WB_PITCH_LONG_NAME_LEN];
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
 * deletes, executions, reduces, modifies: 98% of the generated flow), from
 * their bytes straight into one op, with the same checks as
 * wb_pitch_decode() (length byte, the type's minimum length, the side, an
 * unsigned long price's top bit) and the same fields. Returns 1 and the
 * type's index (by_type) if it took the message (the caller counts it), 0 to leave it
 * to wb_pitch_adapt_slow() (any other type, a new symbol, anything that
 * path must count or reject, the signed-price variants). len >= 2.
 *
 * No switch on the type: its mix is as random as the flow, and a switch
 * here and the book's on the op kind cost two mispredicted indirect jumps
 * a message where ITCH pays one (callgrind, docs/benchmarks.md). Where
 * each field lies comes from a table by type (wb_pitch_fast); a field a
 * type does not have is read at offset 0 and masked, so every read stays
 * inside the type's minimum length once the first check has passed. The
 * symbol lookup runs for every message: one that names none looks up
 * WB_PITCH_KEY_NONE, which sits at its home slot with id 0.
 *
 * A symbol is one u64 load: a 6-character field is followed by at least 2
 * bytes of its message (the price) within the minimum length, masked off
 * and replaced by the spaces that pad it, so the key is the same as the
 * 8-character form's. The table is open addressing with a multiply-shift
 * hash (its top bits).
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
/* The key of no symbol: byte 0xFF then NULs (a symbol is printable; a
 * 6-character one's key ends in spaces), refused as malformed if sent. */
#define WB_PITCH_KEY_NONE 0xFFull

/*
 * Where a fast-path type's fields lie, and the masks that keep or drop
 * them (offsets from the length byte; a field the type lacks is read at 0
 * and its mask is 0). Masks, not flags, so that taking a field is a load
 * and an AND.
 */
struct wb_pitch_fast {
	uint64_t key_and, key_or; /* symbol key: a 6-character field padded, or KEY_NONE */
	uint64_t add;		  /* all ones for an add (side and symbol checked) */
	uint64_t p8_mask;	  /* 4-decimal u64 price */
	uint64_t p2_mul;	  /* 2-decimal u16 price: 100, else 0 */
	uint64_t aux_mask;	  /* u64 execution id */
	uint32_t q_mask;	  /* quantity: u32 at qoff, shifted right by q_shift */
	uint16_t min_len_inv;	  /* ~ the type's minimum; 0 (~0xFFFF): not on the fast path */
	uint8_t kind;
	uint8_t side_off, sym_off, q_off, q_shift, p8_off, p2_off, aux_off;
	uint8_t flags_off; /* a modify's flags byte, if the message is that long */
};
extern const struct wb_pitch_fast wb_pitch_fast[256];

static inline int
wb_pitch_adapt_fast(struct wb_pitch_adapt *a, uint8_t unit, const uint8_t *msg, size_t len,
		    struct wb_book_op *op, uint8_t *type_index)
{
	uint8_t t = msg[1];
	const struct wb_pitch_fast *d = &a->fast[t];
	uint64_t key, px;
	uint32_t at, id, fi;
	uint8_t side;

	/* one branch; past it every read is inside the type's minimum length */
	if (__builtin_expect((msg[0] != len) | (len < (uint16_t)~d->min_len_inv), 0))
		return 0;
	/* the symbol, or WB_PITCH_KEY_NONE for a type without one */
	key = (wb_pitch_le64(msg + d->sym_off) & d->key_and) | d->key_or;
	side = msg[d->side_off];
	px = (wb_pitch_le64(msg + d->p8_off) & d->p8_mask) |
	     (uint64_t)wb_pitch_le16(msg + d->p2_off) * d->p2_mul;
	id = wb_pitch_adapt_find(a, key, &at);
	/* an unsigned price past int64; an add's side, and its symbol known */
	if (__builtin_expect(((px >> 63) | (d->add & ((uint64_t)(wb_pitch_side_ok[side] ^ 1u) |
						       (id == 0)))) != 0,
			     0))
		return 0;
	fi = d->flags_off < len ? d->flags_off : 0;
	op->kind = d->kind;
	op->side = (uint8_t)(side & d->add);
	op->has_price = 0;
	op->instrument = id;
	op->price = (int64_t)px;
	op->qty = (wb_pitch_le32(msg + d->q_off) >> d->q_shift) & d->q_mask;
	op->aux = wb_pitch_le64(msg + d->aux_off) & d->aux_mask;
	/* Cboe's priority rule, with the flags' "maintain priority" bit where
	 * the message is long enough to have it (read by MODIFY only) */
	op->state = (uint8_t)((fi == 0) | ((msg[fi] >> 1) & 1u));
	op->symbol[0] = '\0';
	op->ref = wb_pitch_le64(msg + 6);
	op->exch_ts = a->base_ns[unit] + wb_pitch_le32(msg + 2);
	*type_index = a->type_index[t];
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
/*
 * The long name of an id (a Symbol Mapping's OSI symbol or a Futures
 * Instrument Definition's report symbol, NUL ended, trailing spaces
 * removed): "" when none named it, NULL if the id is
 * not assigned.
 */
const char *wb_pitch_adapt_long_name(const struct wb_pitch_adapt *a, uint32_t id);
/* The matching unit an id was first seen on. */
uint8_t wb_pitch_adapt_unit(const struct wb_pitch_adapt *a, uint32_t id);
/* Ids assigned so far (the largest is this value). */
uint32_t wb_pitch_adapt_count(const struct wb_pitch_adapt *a);

const struct wb_pitch_adapt_stats *wb_pitch_adapt_stats(const struct wb_pitch_adapt *a);

#endif /* WB_PITCH_ADAPT_H */
