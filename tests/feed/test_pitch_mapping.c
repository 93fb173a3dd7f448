/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cboe options Symbol Mapping (0x2E) as a source of instruments. Through
 * the adapter: a mapping creates the feed symbol's instrument with the
 * DIRECTORY op an add's first sight makes, and its long name (the OSI
 * symbol, trailing spaces removed, inner ones kept); an add of that symbol
 * later makes no second instrument; an add first, then the mapping,
 * announces the instrument again; the same name again announces nothing, a
 * new one does; a short mapping is malformed and counted, a full id table
 * is counted, a reset forgets the names. Through a feed: the same in both
 * orders as events and book instruments, the unsequenced mapping packet
 * between sequenced ones, a truncated mapping between two adds, and the
 * real capture's mapping (tests/data/cboe/pitch).
 *
 * The CFE Futures Instrument Definition (0xBB) the same way, its report
 * symbol the long name: both orders, re-sent and renamed, cut and legs past
 * the end (malformed, counted, nothing created), and the two futures
 * captures through a feed (0004yj named ZAMB1, 0002Tt named ZVAO).
 */
#include "wb_test.h"

#include "pitch_unit.h"
#include "wb_feed_pitch.h"
#include "wb_net.h"
#include "wb_pcap.h"

#define OSI "SPX   200619P00500000"

static struct wb_pitch_msg
m_map(const char *feed_sym, const char *osi)
{
	struct wb_pitch_msg m;

	memset(&m, 0, sizeof(m));
	m.type = WB_PITCH_SYMBOL_MAPPING;
	m.u.symbol_mapping.feed_symbol = (const uint8_t *)feed_sym;
	m.u.symbol_mapping.osi_symbol = (const uint8_t *)osi;
	m.u.symbol_mapping.symbol_condition = 'N';
	m.u.symbol_mapping.underlying = (const uint8_t *)"SPX     ";
	return m;
}

static struct wb_pitch_msg
m_add(uint64_t id, const char *sym, int64_t px2)
{
	struct wb_pitch_msg m;

	memset(&m, 0, sizeof(m));
	m.type = WB_PITCH_ADD_SHORT;
	m.time_offset = 5;
	m.u.add.order_id = id;
	m.u.add.side = 'B';
	m.u.add.quantity = 10;
	m.u.add.symbol = (const uint8_t *)sym;
	m.u.add.price = px2;
	m.u.add.flags = 1;
	return m;
}

static struct wb_pitch_adapt *
adapt_new(uint32_t max)
{
	struct wb_pitch_adapt_params p = {.max_instruments = max, .flags = WB_PITCH_SIGNED_PRICES};
	struct wb_pitch_adapt *a = wb_pitch_adapt_create(&p);

	assert_non_null(a);
	return a;
}

static unsigned int
mapping_count(const struct wb_pitch_adapt *a)
{
	return (unsigned int)wb_pitch_adapt_stats(a)
	    ->by_type[wb_pitch_type_index(WB_PITCH_SYMBOL_MAPPING)];
}

static void
test_mapping_then_add(void **state)
{
	struct wb_pitch_adapt *a = adapt_new(64);
	struct wb_pitch_ops o;
	struct wb_pitch_msg m;

	(void)state;
	m = m_time(30000);
	assert_int_equal(pitch_adapt_run(a, 33, &m, &o), 0);
	/* first sight: the DIRECTORY op an add's first sight makes */
	m = m_map("027wuE", OSI);
	assert_int_equal(pitch_adapt_run(a, 33, &m, &o), 1);
	assert_int_equal(o.op[0].kind, WB_OP_DIRECTORY);
	assert_int_equal(o.op[0].instrument, 1);
	assert_memory_equal(o.op[0].symbol, "027wuE  ", 8);
	assert_int_equal(o.op[0].price_exp, -4);
	assert_int_equal(o.op[0].qty, 0);
	assert_int_equal(o.op[0].state, 0);
	/* no time offset: the unit's time as last known */
	assert_int_equal(o.op[0].exch_ts, 30000000000000ull);
	assert_string_equal(wb_pitch_adapt_long_name(a, 1), OSI);
	assert_string_equal(wb_pitch_adapt_symbol(a, 1), "027wuE");
	assert_int_equal(wb_pitch_adapt_unit(a, 1), 33);
	/* the add of that symbol: its id, no second instrument */
	m = m_add(7, "027wuE", 580);
	assert_int_equal(pitch_adapt_run(a, 33, &m, &o), 1);
	assert_int_equal(o.op[0].kind, WB_OP_ADD);
	assert_int_equal(o.op[0].instrument, 1);
	assert_int_equal(wb_pitch_adapt_count(a), 1);
	assert_int_equal(wb_pitch_adapt_lookup(a, "027wuE"), 1);
	/* the mapping re-sent: nothing to announce */
	m = m_map("027wuE", OSI);
	assert_int_equal(pitch_adapt_run(a, 33, &m, &o), 0);
	assert_int_equal(wb_pitch_adapt_stats(a)->long_names, 1);
	assert_int_equal(wb_pitch_adapt_stats(a)->instruments, 1);
	assert_int_equal(mapping_count(a), 2);
	assert_int_equal(wb_pitch_adapt_stats(a)->messages, 4);
	/* trailing spaces are padding, inner ones are not; "" for no name */
	m = m_map("ABCDEF", "XYZ  1               ");
	assert_int_equal(pitch_adapt_run(a, 33, &m, &o), 1);
	assert_string_equal(wb_pitch_adapt_long_name(a, 2), "XYZ  1");
	m = m_add(8, "GHIJKL", 100);
	assert_int_equal(pitch_adapt_run(a, 33, &m, &o), 2);
	assert_string_equal(wb_pitch_adapt_long_name(a, 3), "");
	assert_null(wb_pitch_adapt_long_name(a, 4));
	assert_null(wb_pitch_adapt_long_name(a, 0));
	/* a new day forgets the names with the symbols */
	wb_pitch_adapt_reset(a);
	assert_null(wb_pitch_adapt_long_name(a, 1));
	m = m_add(9, "GHIJKL", 100);
	assert_int_equal(pitch_adapt_run(a, 33, &m, &o), 2);
	assert_string_equal(wb_pitch_adapt_long_name(a, 1), "");
	wb_pitch_adapt_destroy(a);
}

static void
test_add_then_mapping(void **state)
{
	struct wb_pitch_adapt *a = adapt_new(64);
	struct wb_pitch_ops o;
	struct wb_pitch_msg m;

	(void)state;
	m = m_add(1, "027wuE", 580);
	assert_int_equal(pitch_adapt_run(a, 33, &m, &o), 2);
	assert_int_equal(o.op[0].kind, WB_OP_DIRECTORY);
	assert_string_equal(wb_pitch_adapt_long_name(a, 1), "");
	/* the mapping names a known instrument: announced again, same id and symbol */
	m = m_map("027wuE", OSI);
	assert_int_equal(pitch_adapt_run(a, 33, &m, &o), 1);
	assert_int_equal(o.op[0].kind, WB_OP_DIRECTORY);
	assert_int_equal(o.op[0].instrument, 1);
	assert_memory_equal(o.op[0].symbol, "027wuE  ", 8);
	assert_int_equal(o.op[0].price_exp, -4);
	assert_string_equal(wb_pitch_adapt_long_name(a, 1), OSI);
	assert_int_equal(wb_pitch_adapt_count(a), 1);
	/* another name for it: announced again */
	m = m_map("027wuE", "SPX   200619C00500000");
	assert_int_equal(pitch_adapt_run(a, 33, &m, &o), 1);
	assert_int_equal(o.op[0].kind, WB_OP_DIRECTORY);
	assert_string_equal(wb_pitch_adapt_long_name(a, 1), "SPX   200619C00500000");
	assert_int_equal(wb_pitch_adapt_stats(a)->long_names, 2);
	assert_int_equal(wb_pitch_adapt_stats(a)->instruments, 1);
	wb_pitch_adapt_destroy(a);
}

static void
test_mapping_errors(void **state)
{
	struct wb_pitch_adapt *a = adapt_new(2); /* id 1 only */
	struct wb_book_op ops[WB_PITCH_ADAPT_MAX_OPS];
	uint8_t buf[WB_PITCH_MAX_MSG_LEN];
	struct wb_pitch_ops o;
	struct wb_pitch_msg m;
	struct wb_guard g;
	int len;

	(void)state;
	o.op = ops;
	m = m_map("027wuE", OSI);
	len = wb_pitch_encode(&m, buf, sizeof(buf));
	assert_int_equal(len, 38);
	/* cut to 37 (its length byte says so): malformed, read from right
	 * before a guard page, nothing created */
	buf[0] = 37;
	assert_int_equal(wb_pitch_adapt_msg(a, 1, wb_guard_copy(&g, buf, 37), 37, &o),
			 WB_PROTO_MALFORMED);
	wb_guard_free(&g);
	assert_int_equal(wb_pitch_adapt_stats(a)->malformed, 1);
	assert_int_equal(wb_pitch_adapt_stats(a)->instruments, 0);
	/* its length byte says 38 but 30 bytes came */
	buf[0] = 38;
	assert_int_equal(wb_pitch_adapt_msg(a, 1, wb_guard_copy(&g, buf, 30), 30, &o),
			 WB_PROTO_MALFORMED);
	wb_guard_free(&g);
	assert_int_equal(wb_pitch_adapt_stats(a)->malformed, 2);
	assert_int_equal(wb_pitch_adapt_count(a), 0);
	assert_int_equal(mapping_count(a), 0);
	/* the id table full: skipped and counted, as an add's new symbol is */
	assert_int_equal(wb_pitch_adapt_msg(a, 1, buf, 38, &o), 1);
	m = m_map("OTHER1", OSI);
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), WB_PROTO_UNKNOWN);
	assert_int_equal(wb_pitch_adapt_stats(a)->inst_full, 1);
	assert_int_equal(wb_pitch_adapt_stats(a)->long_names, 1);
	wb_pitch_adapt_destroy(a);
}

/* ---- through a feed ---- */

#define MAXEV 32
static struct wb_event evs[MAXEV];
static unsigned int nev;

static void
on_event(void *ctx, const struct wb_event *ev)
{
	(void)ctx;
	assert_true(nev < MAXEV);
	evs[nev++] = *ev;
}

static struct wb_feed *
feed_new(void)
{
	nev = 0;
	return pitch_feed_new(WB_PITCH_SIGNED_PRICES, WB_FEED_HOLD_PACKETS, on_event);
}

/* The unit (its header written) through line A, then the burst end; returns messages applied. */
static unsigned int
ub_send(struct wb_feed *f, struct ub *u, uint8_t unit, uint32_t seq)
{
	unsigned int n;

	ub_finish(u, unit, seq);
	n = wb_feed_datagram(f, WB_FEED_LINE_A, u->buf, u->len, 0);
	wb_feed_burst_end(f);
	ub_start(u);
	return n;
}

static unsigned int
count_type(uint8_t type)
{
	unsigned int i, n = 0;

	for (i = 0; i < nev; i++)
		n += evs[i].type == type;
	return n;
}

static void
test_feed_both_orders(void **state)
{
	struct wb_feed *f = feed_new();
	const struct wb_instrument *in;
	struct ub u = {.len = 0};
	struct wb_pitch_msg m;

	(void)state;
	/* unit 33: the unsequenced mapping packet, then the sequenced flow */
	m = m_map("027wuE", OSI);
	ub_msg(&u, &m);
	assert_int_equal(ub_send(f, &u, 33, 0), 1);
	assert_int_equal(nev, 1);
	assert_int_equal(evs[0].type, WB_EV_DIRECTORY);
	assert_int_equal(evs[0].instrument, 1);
	assert_int_equal(evs[0].seq, (uint64_t)33 << 32);
	assert_memory_equal(evs[0].u.directory.symbol, "027wuE\0\0", 8);
	in = wb_book_instrument(wb_feed_book(f), 1);
	assert_int_equal(in->known, 1);
	assert_string_equal(in->symbol, "027wuE");
	assert_int_equal(in->price_exp, -4);
	assert_string_equal(wb_feed_long_name(f, 1), OSI);
	m = m_time(30000);
	ub_msg(&u, &m);
	m = m_add(1, "027wuE", 580);
	ub_msg(&u, &m);
	nev = 0;
	assert_int_equal(ub_send(f, &u, 33, 1), 2);
	/* add and BBO, no second directory event */
	assert_int_equal(nev, 2);
	assert_int_equal(evs[0].type, WB_EV_ADD);
	assert_int_equal(evs[0].instrument, 1);
	assert_int_equal(wb_pitch_adapt_count(wb_feed_pitch_adapt(f)), 1);
	assert_int_equal(wb_book_stats(wb_feed_book(f))->live_orders, 1);

	/* the other order: an add, then its mapping on another unsequenced packet */
	m = m_add(2, "028aaA", 590);
	ub_msg(&u, &m);
	nev = 0;
	assert_int_equal(ub_send(f, &u, 33, 3), 1);
	assert_int_equal(count_type(WB_EV_DIRECTORY), 1);
	assert_null(wb_feed_long_name(f, 2));
	m = m_map("028aaA", "SPX   200619C00600000");
	ub_msg(&u, &m);
	m = m_map("027wuE", OSI); /* re-sent in the same packet: no event */
	ub_msg(&u, &m);
	nev = 0;
	assert_int_equal(ub_send(f, &u, 33, 0), 2);
	assert_int_equal(nev, 1);
	assert_int_equal(evs[0].type, WB_EV_DIRECTORY);
	assert_int_equal(evs[0].instrument, 2);
	assert_memory_equal(evs[0].u.directory.symbol, "028aaA\0\0", 8);
	assert_string_equal(wb_feed_long_name(f, 2), "SPX   200619C00600000");
	assert_string_equal(wb_book_instrument(wb_feed_book(f), 2)->symbol, "028aaA");
	/* two instruments, their orders kept; the unit's sequence untouched */
	assert_int_equal(wb_pitch_adapt_count(wb_feed_pitch_adapt(f)), 2);
	assert_int_equal(wb_book_stats(wb_feed_book(f))->live_orders, 2);
	assert_int_equal(wb_feed_pitch_seq(f)->stats.gaps, 0);
	assert_int_equal(wb_feed_stats(f)->messages, 6);
	assert_int_equal(wb_feed_stats(f)->msg_malformed + wb_feed_stats(f)->msg_unknown, 0);
	/* an ITCH feed has no long names */
	{
		struct wb_feed_params p;
		struct wb_feed *itch;

		wb_feed_params_default(&p);
		p.book.max_instruments = 16;
		p.book.max_orders = 16;
		p.book.max_levels = 16;
		itch = wb_feed_create(&p);
		assert_non_null(itch);
		assert_null(wb_feed_long_name(itch, 1));
		wb_feed_destroy(itch);
	}
	wb_feed_destroy(f);
}


/* A mapping re-sent on a unit that lost messages names an instrument of
 * another unit: that one stays whole; a new one on the stale unit is not. */
static void
test_feed_stale_unit(void **state)
{
	struct wb_feed *f = feed_new();
	struct ub u = {.len = 0};
	struct wb_pitch_msg m;
	uint32_t a_id, c_id;

	(void)state;
	m = m_add(1, "AAAAAA", 100);
	ub_msg(&u, &m);
	assert_int_equal(ub_send(f, &u, 1, 1), 1);
	m = m_add(2, "BBBBBB", 100);
	ub_msg(&u, &m);
	assert_int_equal(ub_send(f, &u, 2, 1), 1);
	/* unit 2 loses 2..4, its window declares them: unit 2 stale */
	m = m_add(3, "BBBBBB", 101);
	ub_msg(&u, &m);
	ub_send(f, &u, 2, 5);
	wb_feed_expire(f, 0);
	a_id = wb_pitch_adapt_lookup(wb_feed_pitch_adapt(f), "AAAAAA");
	assert_int_equal(wb_feed_instrument_stale(f, a_id), 0);
	assert_int_equal(
	    wb_feed_instrument_stale(f, wb_pitch_adapt_lookup(wb_feed_pitch_adapt(f), "BBBBBB")), 1);
	/* AAAAAA's mapping, unsequenced on unit 2: its long name, still whole */
	m = m_map("AAAAAA", OSI);
	ub_msg(&u, &m);
	assert_int_equal(ub_send(f, &u, 2, 0), 1);
	assert_string_equal(wb_pitch_adapt_long_name(wb_feed_pitch_adapt(f), a_id), OSI);
	assert_int_equal(wb_feed_instrument_stale(f, a_id), 0);
	/* a symbol first named on the stale unit missed what its gap lost */
	m = m_map("CCCCCC", OSI);
	ub_msg(&u, &m);
	assert_int_equal(ub_send(f, &u, 2, 0), 1);
	c_id = wb_pitch_adapt_lookup(wb_feed_pitch_adapt(f), "CCCCCC");
	assert_true(c_id != 0);
	assert_int_equal(wb_feed_instrument_stale(f, c_id), 1);
	wb_feed_destroy(f);
}


/* ---- CFE Futures Instrument Definition (0xBB): the report symbol names it ---- */

/* A definition with two legs (ratios -1, 1) and the v1.1.12 contract date. */
static struct wb_pitch_msg
m_def(const char *sym, const char *report)
{
	static const uint8_t legs[2 * WB_PITCH_FUTDEF_LEG_LEN] = {
	    0xff, 0xff, 0xff, 0xff, '0', '0', '0', '4', 'R', '9',
	    0x01, 0x00, 0x00, 0x00, '0', '0', '0', '4', 'y', 'Z'};
	struct wb_pitch_msg m;

	memset(&m, 0, sizeof(m));
	m.type = WB_PITCH_FUTURES_DEF;
	m.time_offset = 7;
	m.u.futures_def.symbol = (const uint8_t *)sym;
	m.u.futures_def.unit_timestamp = 1613081295u;
	m.u.futures_def.report_symbol = (const uint8_t *)report;
	m.u.futures_def.expiration_date = 20210301u;
	m.u.futures_def.contract_size = 50;
	m.u.futures_def.listing_state = 'T';
	m.u.futures_def.price_increment = 2500;
	m.u.futures_def.has_contract_date = 1;
	m.u.futures_def.leg_count = 2;
	m.u.futures_def.legs = legs;
	return m;
}

static void
test_definition_then_add(void **state)
{
	struct wb_pitch_adapt *a = adapt_new(64);
	struct wb_pitch_ops o;
	struct wb_pitch_msg m;

	(void)state;
	m = m_time(30000);
	assert_int_equal(pitch_adapt_run(a, 2, &m, &o), 0);
	/* first sight: the DIRECTORY op an add's first sight makes */
	m = m_def("0004yj", "ZAMB1 ");
	assert_int_equal(pitch_adapt_run(a, 2, &m, &o), 1);
	assert_int_equal(o.op[0].kind, WB_OP_DIRECTORY);
	assert_int_equal(o.op[0].instrument, 1);
	assert_memory_equal(o.op[0].symbol, "0004yj  ", 8);
	assert_int_equal(o.op[0].price_exp, -4);
	assert_int_equal(o.op[0].exch_ts, 30000000000007ull);
	/* the report symbol, its trailing space removed, is the long name */
	assert_string_equal(wb_pitch_adapt_long_name(a, 1), "ZAMB1");
	assert_string_equal(wb_pitch_adapt_symbol(a, 1), "0004yj");
	assert_int_equal(wb_pitch_adapt_unit(a, 1), 2);
	/* its legs are not instruments */
	assert_int_equal(wb_pitch_adapt_lookup(a, "0004R9"), 0);
	assert_int_equal(wb_pitch_adapt_stats(a)->definitions, 1);
	assert_int_equal(wb_pitch_adapt_stats(a)->long_names, 1);
	/* the add of that symbol: its id, no second instrument */
	m = m_add(7, "0004yj", 580);
	assert_int_equal(pitch_adapt_run(a, 2, &m, &o), 1);
	assert_int_equal(o.op[0].kind, WB_OP_ADD);
	assert_int_equal(o.op[0].instrument, 1);
	assert_int_equal(wb_pitch_adapt_count(a), 1);
	/* re-sent unchanged: nothing */
	m = m_def("0004yj", "ZAMB1 ");
	assert_int_equal(pitch_adapt_run(a, 2, &m, &o), 0);
	assert_int_equal(wb_pitch_adapt_stats(a)->definitions, 2);
	assert_int_equal(wb_pitch_adapt_stats(a)->long_names, 1);
	/* renamed: announced again */
	m = m_def("0004yj", "ZAMB2 ");
	assert_int_equal(pitch_adapt_run(a, 2, &m, &o), 1);
	assert_int_equal(o.op[0].kind, WB_OP_DIRECTORY);
	assert_int_equal(o.op[0].instrument, 1);
	assert_string_equal(wb_pitch_adapt_long_name(a, 1), "ZAMB2");
	assert_int_equal(wb_pitch_adapt_stats(a)->long_names, 2);
	assert_int_equal(wb_pitch_adapt_stats(a)->definitions, 3);
	assert_int_equal(wb_pitch_adapt_stats(a)->instruments, 1);
	assert_int_equal(
	    wb_pitch_adapt_stats(a)->by_type[wb_pitch_type_index(WB_PITCH_FUTURES_DEF)], 3);
	wb_pitch_adapt_destroy(a);
}

static void
test_add_then_definition(void **state)
{
	struct wb_pitch_adapt *a = adapt_new(64);
	struct wb_pitch_ops o;
	struct wb_pitch_msg m;

	(void)state;
	m = m_add(1, "0004yj", 580);
	assert_int_equal(pitch_adapt_run(a, 2, &m, &o), 2);
	assert_string_equal(wb_pitch_adapt_long_name(a, 1), "");
	/* the definition names a known instrument: announced again, same id */
	m = m_def("0004yj", "ZAMB1 ");
	assert_int_equal(pitch_adapt_run(a, 2, &m, &o), 1);
	assert_int_equal(o.op[0].kind, WB_OP_DIRECTORY);
	assert_int_equal(o.op[0].instrument, 1);
	assert_memory_equal(o.op[0].symbol, "0004yj  ", 8);
	assert_string_equal(wb_pitch_adapt_long_name(a, 1), "ZAMB1");
	assert_int_equal(wb_pitch_adapt_count(a), 1);
	/* again: nothing */
	assert_int_equal(pitch_adapt_run(a, 2, &m, &o), 0);
	assert_int_equal(wb_pitch_adapt_stats(a)->long_names, 1);
	wb_pitch_adapt_destroy(a);
}

static void
test_definition_errors(void **state)
{
	struct wb_pitch_adapt *a = adapt_new(64);
	struct wb_book_op ops[WB_PITCH_ADAPT_MAX_OPS];
	uint8_t buf[WB_PITCH_MAX_MSG_LEN];
	struct wb_pitch_ops o;
	struct wb_pitch_msg m;
	struct wb_guard g;
	int len;

	(void)state;
	o.op = ops;
	m = m_def("0004yj", "ZAMB1 ");
	len = wb_pitch_encode(&m, buf, sizeof(buf));
	assert_int_equal(len, 65);
	/* cut to 40 (its length byte says so): malformed, nothing created */
	buf[0] = 40;
	assert_int_equal(wb_pitch_adapt_msg(a, 2, wb_guard_copy(&g, buf, 40), 40, &o),
			 WB_PROTO_MALFORMED);
	wb_guard_free(&g);
	/* its second leg past its length (64 bytes) */
	buf[0] = 64;
	assert_int_equal(wb_pitch_adapt_msg(a, 2, wb_guard_copy(&g, buf, 64), 64, &o),
			 WB_PROTO_MALFORMED);
	wb_guard_free(&g);
	assert_int_equal(wb_pitch_adapt_stats(a)->malformed, 2);
	assert_int_equal(wb_pitch_adapt_stats(a)->definitions, 0);
	assert_int_equal(wb_pitch_adapt_count(a), 0);
	assert_null(wb_pitch_adapt_long_name(a, 1));
	wb_pitch_adapt_destroy(a);
}



/*
 * A message that names an instrument (m, encoded in len bytes), its last
 * byte cut, between two adds in one unit: malformed and counted, the unit
 * whole (taken in sequence, all three), nothing named after it.
 */
static void
feed_truncated(const struct wb_pitch_msg *named, size_t len, uint8_t unit, const char *sym)
{
	struct wb_feed *f = feed_new();
	struct ub u = {.len = 0};
	struct wb_pitch_msg m;
	size_t at;

	m = m_add(1, "AAAAAA", 100);
	ub_msg(&u, &m);
	at = u.len;
	ub_msg(&u, named);
	assert_int_equal(u.len - at, len);
	/* the length byte says len - 1: the unit stays whole */
	memmove(u.buf + at + len - 1, u.buf + at + len, u.len - at - len);
	u.buf[at] = (uint8_t)(len - 1);
	u.len--;
	m = m_add(2, "AAAAAA", 101);
	ub_msg(&u, &m);
	assert_int_equal(ub_send(f, &u, unit, 1), 3);
	assert_int_equal(wb_feed_stats(f)->msg_malformed, 1);
	assert_int_equal(wb_pitch_adapt_stats(wb_feed_pitch_adapt(f))->malformed, 1);
	assert_int_equal(wb_pitch_adapt_stats(wb_feed_pitch_adapt(f))->definitions, 0);
	assert_int_equal(wb_book_stats(wb_feed_book(f))->live_orders, 2);
	assert_int_equal(wb_pitch_adapt_lookup(wb_feed_pitch_adapt(f), sym), 0);
	assert_int_equal(wb_pitch_adapt_count(wb_feed_pitch_adapt(f)), 1);
	assert_int_equal(count_type(WB_EV_DIRECTORY), 1);
	wb_feed_destroy(f);
}

/* A mapping (38 bytes) and a definition (65: its second leg then past the end). */
static void
test_feed_truncated(void **state)
{
	struct wb_pitch_msg m;

	(void)state;
	m = m_map("027wuE", OSI);
	feed_truncated(&m, 38, 33, "027wuE");
	m = m_def("0004yj", "ZAMB1 ");
	feed_truncated(&m, 65, 2, "0004yj");
}

/* The real captures' mapping and definitions through a feed: the expected TSVs' values. */
static void
test_feed_real_captures(void **state)
{
	static const struct {
		const char *file, *sym, *name;
		uint8_t unit, definitions;
	} cap[] = {
	    {"cboe/pitch/options-complex-v2.1.18/SymbolMappingMessage.pcap", "027wuE", OSI, 33, 0},
	    {"cboe/pitch/futures-v1.1.12/FutureInstrumentDefinitionMessage.pcap", "0004yj",
	     "ZAMB1", 2, 1},
	    {"cboe/pitch/futures-v1.1.6/FutureInstrumentDefinitionMessage.pcap", "0002Tt", "ZVAO",
	     2, 1},
	};
	struct wb_pcap_pkt pkt;
	struct wb_udp_view v;
	struct wb_pcap *p;
	struct wb_feed *f;
	unsigned int i;
	uint32_t id;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(cap) / sizeof(cap[0]); i++) {
		f = feed_new();
		p = wb_pcap_open(wb_test_data(cap[i].file));
		assert_non_null(p);
		while ((rc = wb_pcap_next(p, &pkt)) == 1) {
			assert_int_equal(wb_net_udp(pkt.data, pkt.caplen, pkt.linktype, &v), 0);
			assert_int_equal(wb_feed_datagram(f, WB_FEED_LINE_A, v.payload, v.len, 0),
					 1);
			wb_feed_burst_end(f);
		}
		assert_int_equal(rc, 0);
		wb_pcap_close(p);
		id = wb_pitch_adapt_lookup(wb_feed_pitch_adapt(f), cap[i].sym);
		assert_int_equal(id, 1);
		assert_string_equal(wb_feed_long_name(f, id), cap[i].name);
		assert_string_equal(wb_book_instrument(wb_feed_book(f), id)->symbol, cap[i].sym);
		assert_int_equal(wb_pitch_adapt_unit(wb_feed_pitch_adapt(f), id), cap[i].unit);
		assert_int_equal(wb_pitch_adapt_count(wb_feed_pitch_adapt(f)), 1);
		assert_int_equal(nev, 1);
		assert_int_equal(evs[0].type, WB_EV_DIRECTORY);
		assert_int_equal(wb_feed_stats(f)->msg_unknown, 0);
		assert_int_equal(wb_pitch_adapt_stats(wb_feed_pitch_adapt(f))->definitions,
				 cap[i].definitions);
		wb_feed_destroy(f);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mapping_then_add),
	    cmocka_unit_test(test_add_then_mapping),
	    cmocka_unit_test(test_mapping_errors),
	    cmocka_unit_test(test_feed_both_orders),
	    cmocka_unit_test(test_feed_truncated),
	    cmocka_unit_test(test_feed_stale_unit),
	    cmocka_unit_test(test_definition_then_add),
	    cmocka_unit_test(test_add_then_definition),
	    cmocka_unit_test(test_definition_errors),
	    cmocka_unit_test(test_feed_real_captures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
