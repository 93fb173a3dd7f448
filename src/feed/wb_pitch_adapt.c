/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_pitch_adapt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wb_compiler.h"
#include "wb_err.h"

/* A type not listed is all zeros: min_len_inv 0 reads as 0xFFFF, off the fast path. */
#define MIN_LEN(n) .min_len_inv = (uint16_t)~(n)
#define FAST_ORDER(k) .key_or = WB_PITCH_KEY_NONE, .kind = (k)
#define FAST_ADD6(soff) \
	.key_and = 0xffffffffffffull, .key_or = WB_PITCH_KEY6_PAD, .add = ~0ull, .kind = WB_OP_ADD, \
	.side_off = 14, .sym_off = (soff)
#define Q16(off) .q_off = (off), .q_mask = 0xffffu
#define Q32(off) .q_off = (off), .q_mask = 0xffffffffu
#define P8(off) .p8_off = (off), .p8_mask = ~0ull
#define P2(off) .p2_off = (off), .p2_mul = 100u

const struct wb_pitch_fast wb_pitch_fast[256] = {
    [WB_PITCH_ADD_SHORT] = {FAST_ADD6(17), Q16(15), P2(23), MIN_LEN(25)},
    [WB_PITCH_ADD_LONG] = {FAST_ADD6(19), Q32(15), P8(25), MIN_LEN(33)},
    [WB_PITCH_ADD_EXPANDED] = {.key_and = ~0ull, .add = ~0ull, .kind = WB_OP_ADD, .side_off = 14,
			       .sym_off = 19, Q32(15), P8(27), MIN_LEN(35)},
    [WB_PITCH_ORDER_EXECUTED] = {FAST_ORDER(WB_OP_EXECUTE), Q32(14), .aux_off = 18,
				 .aux_mask = ~0ull, MIN_LEN(26)},
    [WB_PITCH_REDUCE_LONG] = {FAST_ORDER(WB_OP_CANCEL), Q32(14), MIN_LEN(18)},
    /* a 16-byte message: its u16 read as the top half of a u32 at 12 */
    [WB_PITCH_REDUCE_SHORT] = {FAST_ORDER(WB_OP_CANCEL), Q16(12), .q_shift = 16, MIN_LEN(16)},
    [WB_PITCH_MODIFY_LONG] = {FAST_ORDER(WB_OP_MODIFY), Q32(14), P8(18), .flags_off = 26,
			      MIN_LEN(26)},
    [WB_PITCH_MODIFY_SHORT] = {FAST_ORDER(WB_OP_MODIFY), Q16(14), P2(16), .flags_off = 18,
			       MIN_LEN(18)},
    [WB_PITCH_DELETE] = {FAST_ORDER(WB_OP_DELETE), MIN_LEN(14)},
};

static const struct wb_pitch_fast pitch_fast_off[256];

/* Uses the table's first n slots (a power of two, at most slots_max). */
static void
pitch_slots_use(struct wb_pitch_adapt *a, uint32_t n)
{
	if (n > a->slots_max)
		n = a->slots_max;
	a->mask = n - 1;
	a->shift = 64u - (uint32_t)__builtin_ctz(n);
}

/* A key not in the table into the slot its probe ends at. */
static void
pitch_slot_put(struct wb_pitch_adapt *a, uint64_t key, uint32_t id)
{
	uint32_t at = 0;

	(void)wb_pitch_adapt_find(a, key, &at);
	a->slot[at].key = key;
	a->slot[at].id = id;
}

/*
 * WB_PITCH_KEY_NONE into an empty table, so at its home slot: the fast
 * path's lookup for a message that names no symbol ends at the first probe.
 */
static void
pitch_put_none(struct wb_pitch_adapt *a)
{
	pitch_slot_put(a, WB_PITCH_KEY_NONE, 0);
}

struct wb_pitch_adapt *
wb_pitch_adapt_create(const struct wb_pitch_adapt_params *p)
{
	struct wb_pitch_adapt *a;
	uint32_t slots = WB_PITCH_SLOTS_MIN;

	if (p->max_instruments < 2) {
		wb_err_set(EINVAL, "pitch: max_instruments %u: at least 2", p->max_instruments);
		errno = EINVAL;
		return NULL;
	}
	/* at most half full, so probes stay short */
	while (slots < 2ull * p->max_instruments)
		slots <<= 1;
	a = calloc(1, sizeof(*a));
	if (a != NULL) {
		a->slot = calloc(slots, sizeof(*a->slot));
		a->inst = calloc(p->max_instruments, sizeof(*a->inst));
		a->long_name = calloc(p->max_instruments, sizeof(*a->long_name));
	}
	if (a == NULL || a->slot == NULL || a->inst == NULL || a->long_name == NULL) {
		wb_pitch_adapt_destroy(a);
		wb_err_set(ENOMEM, "pitch: out of memory for %u instruments", p->max_instruments);
		errno = ENOMEM;
		return NULL;
	}
	a->slots_max = slots;
	a->max = p->max_instruments;
	a->flags = p->flags;
	/* the signed-price variants: every message through the general path */
	a->fast = a->flags != 0 ? pitch_fast_off : wb_pitch_fast;
	/* touched now, so that a symbol's first sight does not fault a page in
	 * on the rx path (calloc's pages are mapped on first write) */
	memset(a->slot, 0, (size_t)slots * sizeof(*a->slot));
	wb_pitch_adapt_reset(a);
	for (slots = 0; slots < WB_PITCH_NTYPES; slots++)
		a->type_index[wb_pitch_types[slots]] = (uint8_t)slots;
	return a;
}

void
wb_pitch_adapt_destroy(struct wb_pitch_adapt *a)
{
	if (a == NULL)
		return;
	free(a->slot);
	free(a->inst);
	free(a->long_name);
	free(a);
}

void
wb_pitch_adapt_reset(struct wb_pitch_adapt *a)
{
	memset(a->slot, 0, ((size_t)a->mask + 1) * sizeof(*a->slot));
	memset(a->inst, 0, (size_t)a->max * sizeof(*a->inst));
	/* touched at create as inst[] is: a mapping faults no page in on the rx path */
	memset(a->long_name, 0, (size_t)a->max * sizeof(*a->long_name));
	memset(a->base_ns, 0, sizeof(a->base_ns));
	a->count = 0;
	pitch_slots_use(a, WB_PITCH_SLOTS_MIN);
	pitch_put_none(a);
}

/*
 * Doubles the part of the table in use, the ids' keys put back in it (the
 * instruments keep them): the allocation is already there and touched, so
 * this neither allocates nor faults, and only happens on a symbol's first
 * sight, about log2(symbols / WB_PITCH_SLOTS_MIN) times a day.
 */
static void
pitch_slots_grow(struct wb_pitch_adapt *a)
{
	uint32_t id;

	pitch_slots_use(a, (a->mask + 1) * 2);
	memset(a->slot, 0, ((size_t)a->mask + 1) * sizeof(*a->slot));
	pitch_put_none(a);
	for (id = 1; id <= a->count; id++)
		pitch_slot_put(a, a->inst[id].key, id);
	a->stats.table_grows++;
}

/* The 8-byte key of a symbol field of n (6 or 8) bytes: spaces pad it. */
static inline uint64_t
wb_pitch_key(const uint8_t *sym, unsigned int n)
{
	uint8_t k[8];

	memset(k, ' ', sizeof(k));
	memcpy(k, sym, n);
	return wb_pitch_le64(k);
}

/* Announces id (its symbol, the price exponent) with a DIRECTORY op in out. */
static void
wb_pitch_dir_op(const struct wb_pitch_adapt *a, uint32_t id, struct wb_pitch_ops *out)
{
	struct wb_book_op *op = &out->op[out->n++];

	memset(op, 0, sizeof(*op));
	op->kind = WB_OP_DIRECTORY;
	op->instrument = id;
	memcpy(op->symbol, &a->inst[id].key, sizeof(op->symbol));
	op->price_exp = WB_PITCH_ADAPT_PRICE_EXP;
	op->exch_ts = out->exch_ts;
}

/*
 * The id of a symbol into *idp; a new one is assigned and announced with a
 * DIRECTORY op in out. WB_PROTO_UNKNOWN when every id is taken,
 * WB_PROTO_MALFORMED for the one 8-byte value no symbol is (the table's
 * WB_PITCH_KEY_NONE), both counted.
 */
static int
wb_pitch_instrument(struct wb_pitch_adapt *a, const uint8_t *sym, unsigned int n, uint8_t unit,
		    struct wb_pitch_ops *out, uint32_t *idp)
{
	struct wb_pitch_inst *in;
	uint64_t key = wb_pitch_key(sym, n);
	uint32_t at = 0, id = wb_pitch_adapt_find(a, key, &at);

	*idp = id;
	if (wb_likely(id != 0))
		return 0;
	if (wb_unlikely(key == WB_PITCH_KEY_NONE)) {
		a->stats.malformed++;
		return WB_PROTO_MALFORMED;
	}
	if (a->count + 1 >= a->max) {
		a->stats.inst_full++;
		return WB_PROTO_UNKNOWN;
	}
	id = ++a->count;
	in = &a->inst[id];
	in->key = key;
	if (2ull * a->count > a->mask + 1 && a->mask + 1 < a->slots_max)
		pitch_slots_grow(a); /* puts the new id in too */
	else
		pitch_slot_put(a, key, id);
	in->unit = unit;
	wb_pitch_alpha(in->sym, sym, n);
	a->stats.instruments++;
	wb_pitch_dir_op(a, id, out);
	*idp = id;
	return 0;
}

/*
 * The instrument of sym, created as an add's first sight creates it, gets
 * name[n] (trailing spaces removed) as its long name. A known instrument
 * whose long name changes is announced again, so that the publisher
 * rewrites its directory entry (it reads the name from the table,
 * wb_feed_long_name); the same name again (mappings and definitions are
 * re-sent) makes no op and no event.
 */
static int
wb_pitch_name(struct wb_pitch_adapt *a, const uint8_t *sym, uint8_t unit, const uint8_t *src,
	      unsigned int n, struct wb_pitch_ops *out)
{
	char name[WB_PITCH_LONG_NAME_LEN];
	uint32_t id;
	int rc;

	rc = wb_pitch_instrument(a, sym, WB_PITCH_SYMBOL_LEN, unit, out, &id);
	if (wb_unlikely(rc < 0))
		return rc;
	wb_pitch_alpha(name, src, n);
	if (strcmp(name, a->long_name[id]) == 0)
		return 0;
	memcpy(a->long_name[id], name, sizeof(name));
	a->stats.long_names++;
	if (out->n == 0) /* known before: its DIRECTORY op again */
		wb_pitch_dir_op(a, id, out);
	return 0;
}

static inline int64_t
wb_pitch_norm(int64_t price, int8_t exp)
{
	return exp == WB_PITCH_SHORT_PRICE_EXP ? price * 100 : price;
}

/*
 * The next op, its header written; the fields its kind uses are the
 * caller's (wb_book.h: the book reads no other, so the rest of the cache
 * line is not cleared on every message).
 */
static inline struct wb_book_op *
wb_pitch_op(struct wb_pitch_ops *out, uint8_t kind)
{
	struct wb_book_op *op = &out->op[out->n++];

	op->kind = kind;
	op->side = 0;
	op->has_price = 0;
	op->state = 0;
	op->instrument = 0;
	op->exch_ts = out->exch_ts;
	return op;
}


/*
 * Modify keeps its id; the book applies Cboe's priority rule (WB_OP_MODIFY)
 * on its own copy of the order. Without a flags byte (futures short) the
 * rule alone decides; with one, bit 1 ("maintain priority") must say so too.
 */
static void
wb_pitch_modify(const struct wb_pitch_msg *m, struct wb_pitch_ops *out)
{
	struct wb_book_op *op = wb_pitch_op(out, WB_OP_MODIFY);

	op->state = !m->u.modify.has_flags || (m->u.modify.flags & 0x2);
	op->ref = m->u.modify.order_id;
	op->price = wb_pitch_norm(m->u.modify.price, m->u.modify.price_exp);
	op->qty = m->u.modify.quantity;
}

int
wb_pitch_adapt_msg(struct wb_pitch_adapt *a, uint8_t unit, const uint8_t *msg, size_t len,
		   struct wb_pitch_ops *out)
{
	out->clear_unit = 0;
	out->unit = unit;
	if (wb_likely(len >= 2) && wb_pitch_adapt_fast(a, unit, msg, len, out->op, &out->type_index)) {
		out->n = 1;
		out->type = msg[1];
		out->exch_ts = out->op->exch_ts;
		/* the fast path leaves the count to its caller: here, this */
		a->stats.messages++;
		a->stats.by_type[out->type_index]++;
		return 1;
	}
	return wb_pitch_adapt_slow(a, unit, msg, len, out);
}

int
wb_pitch_adapt_slow(struct wb_pitch_adapt *a, uint8_t unit, const uint8_t *msg, size_t len,
		    struct wb_pitch_ops *out)
{
	struct wb_pitch_msg m;
	struct wb_book_op *op;
	int64_t px;
	uint32_t id;
	int rc;

	out->clear_unit = 0;
	out->unit = unit;
	out->n = 0;
	m.type = 0; /* not set by the decoder for a message under 2 bytes */
	rc = wb_pitch_decode(msg, len, a->flags, &m);
	out->type = m.type;
	out->type_index = a->type_index[m.type];
	if (wb_unlikely(rc < 0)) {
		if (rc == WB_PROTO_UNKNOWN) {
			a->stats.unknown++;
			a->stats.unknown_by_type[m.type]++;
		} else if (rc == WB_PROTO_TRUNCATED) {
			a->stats.truncated++;
		} else {
			a->stats.malformed++;
		}
		return rc;
	}
	out->exch_ts = a->base_ns[unit] + m.time_offset;

	switch (m.type) {
	case WB_PITCH_TIME:
		a->base_ns[unit] = (uint64_t)m.u.time.seconds * 1000000000ull;
		out->exch_ts = a->base_ns[unit];
		break;
	case WB_PITCH_ADD_LONG:
	case WB_PITCH_ADD_SHORT:
	case WB_PITCH_ADD_EXPANDED:
		rc = wb_pitch_instrument(a, m.u.add.symbol, m.u.add.symbol_len, unit, out, &id);
		if (wb_unlikely(rc < 0))
			return rc;
		px = wb_pitch_norm(m.u.add.price, m.u.add.price_exp);
		op = wb_pitch_op(out, WB_OP_ADD);
		op->instrument = id;
		op->side = m.u.add.side;
		op->ref = m.u.add.order_id;
		op->price = px;
		op->qty = m.u.add.quantity;
		op->symbol[0] = '\0'; /* known from its DIRECTORY op */
		break;
	case WB_PITCH_ORDER_EXECUTED:
		op = wb_pitch_op(out, WB_OP_EXECUTE);
		op->ref = m.u.executed.order_id;
		op->qty = m.u.executed.executed_quantity;
		op->aux = m.u.executed.execution_id;
		break;
	case WB_PITCH_EXECUTED_AT_PRICE:
		px = wb_pitch_norm(m.u.executed_price.price, m.u.executed_price.price_exp);
		op = wb_pitch_op(out, WB_OP_EXECUTE);
		op->ref = m.u.executed_price.order_id;
		op->qty = m.u.executed_price.executed_quantity;
		op->aux = m.u.executed_price.execution_id;
		op->has_price = 1;
		op->price = px;
		/* the exchange's remaining quantity wins over the book's */
		op = wb_pitch_op(out, WB_OP_TRIM);
		op->ref = m.u.executed_price.order_id;
		op->qty = m.u.executed_price.remaining_quantity;
		break;
	case WB_PITCH_REDUCE_LONG:
	case WB_PITCH_REDUCE_SHORT:
		op = wb_pitch_op(out, WB_OP_CANCEL);
		op->ref = m.u.reduce.order_id;
		op->qty = m.u.reduce.canceled_quantity;
		break;
	case WB_PITCH_MODIFY_LONG:
	case WB_PITCH_MODIFY_SHORT:
		wb_pitch_modify(&m, out);
		break;
	case WB_PITCH_DELETE:
		op = wb_pitch_op(out, WB_OP_DELETE);
		op->ref = m.u.del.order_id;
		break;
	case WB_PITCH_TRADE_LONG:
	case WB_PITCH_TRADE_SHORT:
	case WB_PITCH_TRADE_EXPANDED:
		rc = wb_pitch_instrument(a, m.u.trade.symbol, m.u.trade.symbol_len, unit, out, &id);
		if (wb_unlikely(rc < 0))
			return rc;
		px = wb_pitch_norm(m.u.trade.price, m.u.trade.price_exp);
		op = wb_pitch_op(out, WB_OP_TRADE);
		op->instrument = id;
		op->side = m.u.trade.side;
		op->ref = m.u.trade.order_id;
		op->aux = m.u.trade.execution_id;
		op->price = px;
		op->has_price = 1;
		op->qty = m.u.trade.quantity;
		break;
	case WB_PITCH_TRADING_STATUS:
		rc = wb_pitch_instrument(a, m.u.trading_status.symbol, WB_PITCH_SYMBOL_LONG_LEN, unit,
					 out, &id);
		if (wb_unlikely(rc < 0))
			return rc;
		op = wb_pitch_op(out, WB_OP_STATE);
		op->instrument = id;
		op->state = m.u.trading_status.trading_status;
		/* ITCH's reason field has no PITCH counterpart; the Reg SHO
		 * action is the one other status byte, kept in reason[0] */
		memset(op->reason, ' ', sizeof(op->reason));
		op->reason[0] = m.u.trading_status.reg_sho_action;
		break;
	case WB_PITCH_SYMBOL_MAPPING: /* options: the OSI symbol names the feed symbol */
		rc = wb_pitch_name(a, m.u.symbol_mapping.feed_symbol, unit,
				   m.u.symbol_mapping.osi_symbol, WB_PITCH_OSI_SYMBOL_LEN, out);
		if (wb_unlikely(rc < 0))
			return rc;
		break;
	case WB_PITCH_FUTURES_DEF: /* futures: the report symbol names it; legs not kept */
		rc = wb_pitch_name(a, m.u.futures_def.symbol, unit, m.u.futures_def.report_symbol,
				   WB_PITCH_SYMBOL_LEN, out);
		if (wb_unlikely(rc < 0))
			return rc;
		a->stats.definitions++;
		break;
	case WB_PITCH_UNIT_CLEAR:
		a->stats.unit_clears++;
		out->clear_unit = 1;
		break;
	case WB_PITCH_END_OF_SESSION:
		a->stats.end_of_session++;
		break;
	default:
		break;
	}
	a->stats.messages++;
	a->stats.by_type[a->type_index[m.type]]++;
	return (int)out->n;
}

uint32_t
wb_pitch_adapt_unit_next(const struct wb_pitch_adapt *a, uint8_t unit, uint32_t *cursor)
{
	uint32_t id;

	for (id = *cursor + 1; id <= a->count; id++)
		if (a->inst[id].unit == unit) {
			*cursor = id;
			return id;
		}
	*cursor = a->count;
	return 0;
}

uint32_t
wb_pitch_adapt_lookup(const struct wb_pitch_adapt *a, const char *symbol)
{
	uint8_t k[8];
	uint32_t at;
	size_t n = strnlen(symbol, 8);

	memset(k, ' ', sizeof(k));
	memcpy(k, symbol, n);
	return wb_pitch_adapt_find(a, wb_pitch_le64(k), &at);
}

const char *
wb_pitch_adapt_symbol(const struct wb_pitch_adapt *a, uint32_t id)
{
	return id != 0 && id <= a->count ? a->inst[id].sym : NULL;
}

const char *
wb_pitch_adapt_long_name(const struct wb_pitch_adapt *a, uint32_t id)
{
	return id != 0 && id <= a->count ? a->long_name[id] : NULL;
}

uint8_t
wb_pitch_adapt_unit(const struct wb_pitch_adapt *a, uint32_t id)
{
	return id != 0 && id <= a->count ? a->inst[id].unit : 0;
}

uint32_t
wb_pitch_adapt_count(const struct wb_pitch_adapt *a)
{
	return a->count;
}

const struct wb_pitch_adapt_stats *
wb_pitch_adapt_stats(const struct wb_pitch_adapt *a)
{
	return &a->stats;
}
