/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PITCH adapter message by message: each type's operations and their
 * fields, symbol ids and the DIRECTORY op on first sight, times from the
 * unit's Time, short prices normalised to -4, Cboe's Modify priority rule
 * and an execution's remaining quantity as the book applies them, Unit
 * Clear's instruments, and every counted skip (unknown type, truncated,
 * malformed, id table full).
 */
#include "wb_test.h"

#include "pitch_unit.h"
#include "wb_pitch_adapt.h"

static struct wb_book *book;

static int
setup(void **state)
{
	struct wb_book_params bp;

	(void)state;
	wb_book_params_default(&bp);
	bp.max_orders = 1024;
	bp.max_levels = 1024;
	bp.max_instruments = 64;
	book = wb_book_create(&bp);
	return book == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	wb_book_destroy(book);
	book = NULL;
	return 0;
}

static struct wb_pitch_adapt *
adapt_new(uint32_t max)
{
	struct wb_pitch_adapt_params p = {.max_instruments = max};
	struct wb_pitch_adapt *a = wb_pitch_adapt_create(&p);

	assert_non_null(a);
	return a;
}

static struct wb_pitch_msg
pm(uint8_t type, uint32_t offset)
{
	struct wb_pitch_msg m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	m.time_offset = offset;
	return m;
}

static struct wb_pitch_msg
pm_add(uint8_t type, uint64_t id, uint8_t side, uint32_t qty, const char *sym, int64_t price)
{
	struct wb_pitch_msg m = pm(type, 500);

	m.u.add.order_id = id;
	m.u.add.side = side;
	m.u.add.quantity = qty;
	m.u.add.symbol = (const uint8_t *)sym;
	m.u.add.price = price;
	m.u.add.flags = 1;
	return m;
}

/* Puts an order into the book as the feed would (the ADD op of the adapter). */
static void
book_put(const struct wb_book_op *op)
{
	uint32_t at;

	assert_int_equal(op->kind, WB_OP_ADD);
	assert_true(wb_book_apply_op(book, op, NULL, &at) & WB_BOOK_CHANGED);
	assert_int_equal(at, op->instrument);
}

static void
test_add_directory_time(void **state)
{
	struct wb_pitch_adapt *a = adapt_new(64);
	struct wb_pitch_ops o;
	struct wb_pitch_msg m;

	(void)state;
	m = pm(WB_PITCH_TIME, 0);
	m.u.time.seconds = 34200;
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 0);
	assert_int_equal(o.exch_ts, 34200000000000ull);

	m = pm_add(WB_PITCH_ADD_SHORT, 77, 'B', 300, "AAPL  ", 18525);
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 2);
	assert_int_equal(o.op[0].kind, WB_OP_DIRECTORY);
	assert_int_equal(o.op[0].instrument, 1);
	assert_memory_equal(o.op[0].symbol, "AAPL    ", 8);
	assert_int_equal(o.op[0].price_exp, -4);
	assert_int_equal(o.op[1].kind, WB_OP_ADD);
	assert_int_equal(o.op[1].instrument, 1);
	assert_int_equal(o.op[1].ref, 77);
	assert_int_equal(o.op[1].side, 'B');
	assert_int_equal(o.op[1].qty, 300);
	assert_int_equal(o.op[1].price, 1852500); /* 185.25 at -4 */
	assert_int_equal(o.op[1].exch_ts, 34200000000500ull);
	assert_int_equal(o.exch_ts, 34200000000500ull);

	/* the same symbol again, long form: no directory, same id */
	m = pm_add(WB_PITCH_ADD_LONG, 78, 'S', 100000, "AAPL  ", 1852600);
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 1);
	assert_int_equal(o.op[0].kind, WB_OP_ADD);
	assert_int_equal(o.op[0].instrument, 1);
	assert_int_equal(o.op[0].price, 1852600);
	assert_int_equal(o.op[0].qty, 100000);

	/* an 8-character symbol on unit 2, which has had no Time: from midnight */
	m = pm_add(WB_PITCH_ADD_EXPANDED, 79, 'S', 5, "BRKA.PRA", 123456789);
	assert_int_equal(pitch_adapt_run(a, 2, &m, &o), 2);
	assert_int_equal(o.op[0].instrument, 2);
	assert_memory_equal(o.op[0].symbol, "BRKA.PRA", 8);
	assert_int_equal(o.exch_ts, 500);
	assert_int_equal(wb_pitch_adapt_lookup(a, "BRKA.PRA"), 2);
	assert_int_equal(wb_pitch_adapt_lookup(a, "AAPL"), 1);
	assert_int_equal(wb_pitch_adapt_lookup(a, "MSFT"), 0);
	assert_string_equal(wb_pitch_adapt_symbol(a, 1), "AAPL");
	assert_null(wb_pitch_adapt_symbol(a, 3));
	assert_int_equal(wb_pitch_adapt_unit(a, 2), 2);
	assert_int_equal(wb_pitch_adapt_stats(a)->instruments, 2);
	assert_int_equal(wb_pitch_adapt_stats(a)->messages, 4);
	assert_int_equal(wb_pitch_adapt_stats(a)->by_type[wb_pitch_type_index(WB_PITCH_ADD_SHORT)], 1);
	wb_pitch_adapt_destroy(a);
}

static void
test_order_ops(void **state)
{
	struct wb_pitch_adapt *a = adapt_new(64);
	struct wb_pitch_ops o;
	struct wb_pitch_msg m;

	(void)state;
	m = pm(WB_PITCH_ORDER_EXECUTED, 7);
	m.u.executed.order_id = 1ull << 60;
	m.u.executed.executed_quantity = 40;
	m.u.executed.execution_id = 999;
	assert_int_equal(pitch_adapt_run(a, 3, &m, &o), 1);
	assert_int_equal(o.op[0].kind, WB_OP_EXECUTE);
	assert_int_equal(o.op[0].ref, 1ull << 60);
	assert_int_equal(o.op[0].qty, 40);
	assert_int_equal(o.op[0].aux, 999);
	assert_int_equal(o.op[0].has_price, 0);
	assert_int_equal(o.exch_ts, 7);

	m = pm(WB_PITCH_REDUCE_SHORT, 8);
	m.u.reduce.order_id = 5;
	m.u.reduce.canceled_quantity = 65535;
	assert_int_equal(pitch_adapt_run(a, 3, &m, &o), 1);
	assert_int_equal(o.op[0].kind, WB_OP_CANCEL);
	assert_int_equal(o.op[0].qty, 65535);

	m = pm(WB_PITCH_REDUCE_LONG, 8);
	m.u.reduce.order_id = 6;
	m.u.reduce.canceled_quantity = 1000000;
	assert_int_equal(pitch_adapt_run(a, 3, &m, &o), 1);
	assert_int_equal(o.op[0].kind, WB_OP_CANCEL);
	assert_int_equal(o.op[0].ref, 6);
	assert_int_equal(o.op[0].qty, 1000000);

	m = pm(WB_PITCH_DELETE, 9);
	m.u.del.order_id = 12345678901234ull;
	assert_int_equal(pitch_adapt_run(a, 3, &m, &o), 1);
	assert_int_equal(o.op[0].kind, WB_OP_DELETE);
	assert_int_equal(o.op[0].ref, 12345678901234ull);

	/* trades name their symbol: a new one is announced first */
	m = pm(WB_PITCH_TRADE_SHORT, 10);
	m.u.trade.order_id = 0;
	m.u.trade.side = 'S';
	m.u.trade.quantity = 100;
	m.u.trade.symbol = (const uint8_t *)"IBM   ";
	m.u.trade.price = 14001;
	m.u.trade.execution_id = 4242;
	assert_int_equal(pitch_adapt_run(a, 3, &m, &o), 2);
	assert_int_equal(o.op[0].kind, WB_OP_DIRECTORY);
	assert_int_equal(o.op[1].kind, WB_OP_TRADE);
	assert_int_equal(o.op[1].instrument, 1);
	assert_int_equal(o.op[1].side, 'S');
	assert_int_equal(o.op[1].price, 1400100);
	assert_int_equal(o.op[1].qty, 100);
	assert_int_equal(o.op[1].aux, 4242);

	m = pm(WB_PITCH_TRADING_STATUS, 11);
	m.u.trading_status.symbol = (const uint8_t *)"IBM     ";
	m.u.trading_status.trading_status = 'H';
	m.u.trading_status.reg_sho_action = '1';
	assert_int_equal(pitch_adapt_run(a, 3, &m, &o), 1);
	assert_int_equal(o.op[0].kind, WB_OP_STATE);
	assert_int_equal(o.op[0].instrument, 1);
	assert_int_equal(o.op[0].state, 'H');
	assert_memory_equal(o.op[0].reason, "1   ", 4);

	m = pm(WB_PITCH_END_OF_SESSION, 12);
	assert_int_equal(pitch_adapt_run(a, 3, &m, &o), 0);
	assert_int_equal(wb_pitch_adapt_stats(a)->end_of_session, 1);
	wb_pitch_adapt_destroy(a);
}

/* Applies the one op a message became; returns its event's type. */
static uint8_t
book_take(const struct wb_pitch_ops *o, struct wb_event *ev)
{
	uint32_t at;

	assert_int_equal(o->n, 1);
	(void)wb_book_apply_op(book, &o->op[0], ev, &at);
	return ev->type;
}

/* The order's shares, 0 when not in the book. */
static uint32_t
shares_of(uint64_t ref)
{
	struct wb_order_info oi;

	return wb_book_order(book, ref, &oi) == 0 ? oi.shares : 0;
}

/*
 * Cboe: same price and not larger keeps priority where the flags say so.
 * The adapter makes a MODIFY; the book decides, on its copy of the order.
 */
static void
test_modify_priority(void **state)
{
	struct wb_pitch_adapt *a = adapt_new(64);
	uint64_t refs[4];
	struct wb_pitch_ops o;
	struct wb_pitch_msg m;
	struct wb_event ev;
	uint64_t kept0 = wb_book_stats(book)->modify_kept;

	(void)state;
	m = pm_add(WB_PITCH_ADD_SHORT, 100, 'B', 300, "AAPL  ", 10000);
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 2);
	book_put(&o.op[1]);
	m = pm_add(WB_PITCH_ADD_SHORT, 102, 'B', 50, "AAPL  ", 10000);
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 1);
	book_put(&o.op[0]);

	/* maintain-priority bit, smaller: a reduce of the difference */
	m = pm(WB_PITCH_MODIFY_SHORT, 1);
	m.u.modify.order_id = 100;
	m.u.modify.quantity = 200;
	m.u.modify.price = 10000;
	m.u.modify.flags = 0x3;
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 1);
	assert_int_equal(o.op[0].kind, WB_OP_MODIFY);
	assert_int_equal(o.op[0].state, 1);
	assert_int_equal(o.op[0].ref, 100);
	assert_int_equal(o.op[0].price, 1000000);
	assert_int_equal(o.op[0].qty, 200);
	assert_int_equal(book_take(&o, &ev), WB_EV_CANCEL);
	assert_int_equal(ev.qty, 100);
	assert_int_equal(ev.u.order.ref, 100);
	assert_int_equal(shares_of(100), 200);
	/* equal: nothing to do, no event */
	m.u.modify.quantity = 200;
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 1);
	assert_int_equal(book_take(&o, &ev), WB_EV_NONE);
	assert_int_equal(wb_book_stats(book)->modify_kept, kept0 + 2);
	assert_int_equal(wb_book_level_orders(book, 1, 'B', 1000000, refs, 4), 2);
	assert_int_equal(refs[0], 100); /* still ahead of 102 */
	/* the bit clear: the order goes to the back, same id */
	m.u.modify.quantity = 150;
	m.u.modify.flags = 0x1;
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 1);
	assert_int_equal(o.op[0].state, 0);
	assert_int_equal(book_take(&o, &ev), WB_EV_REPLACE);
	assert_int_equal(ev.u.order.ref, 100);
	assert_int_equal(ev.u.order.aux, 100);
	assert_int_equal(ev.qty, 150);
	assert_int_equal(wb_book_level_orders(book, 1, 'B', 1000000, refs, 4), 2);
	assert_int_equal(refs[0], 102);
	assert_int_equal(refs[1], 100);
	/* a new price cannot keep priority, whatever the bit says */
	m.u.modify.flags = 0x3;
	m.u.modify.price = 10001;
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 1);
	assert_int_equal(o.op[0].state, 1);
	assert_int_equal(book_take(&o, &ev), WB_EV_REPLACE);
	assert_int_equal(ev.u.order.price, 1000100);
	/* neither can a larger size (long form: price at -4 already) */
	m = pm(WB_PITCH_MODIFY_LONG, 1);
	m.u.modify.order_id = 100;
	m.u.modify.quantity = 301;
	m.u.modify.price = 1000100;
	m.u.modify.flags = 0x3;
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 1);
	assert_int_equal(book_take(&o, &ev), WB_EV_REPLACE);
	assert_int_equal(shares_of(100), 301);
	/* nor a size of 0: a replace of 0 shares, counted */
	m.u.modify.quantity = 0;
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 1);
	assert_int_equal(book_take(&o, &ev), WB_EV_NONE);
	assert_int_equal(shares_of(100), 301);
	/* an order the book does not hold: counted by the book */
	m.u.modify.order_id = 101;
	m.u.modify.quantity = 10;
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 1);
	assert_int_equal(o.op[0].ref, 101);
	assert_int_equal(book_take(&o, &ev), WB_EV_NONE);
	assert_int_equal(wb_book_stats(book)->modify_kept, kept0 + 2);
	wb_pitch_adapt_destroy(a);
}

static void
test_exec_at_price(void **state)
{
	struct wb_pitch_adapt *a = adapt_new(64);
	uint64_t trimmed0 = wb_book_stats(book)->trimmed;
	struct wb_pitch_ops o;
	struct wb_pitch_msg m;
	struct wb_event ev;
	uint32_t at;

	(void)state;
	m = pm_add(WB_PITCH_ADD_LONG, 200, 'S', 1000, "MSFT  ", 4000000);
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 2);
	book_put(&o.op[1]);
	m = pm(WB_PITCH_EXECUTED_AT_PRICE, 1);
	m.u.executed_price.order_id = 200;
	m.u.executed_price.executed_quantity = 100;
	m.u.executed_price.remaining_quantity = 900;
	m.u.executed_price.execution_id = 55;
	m.u.executed_price.price = 3999900;
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 2);
	assert_int_equal(o.op[0].kind, WB_OP_EXECUTE);
	assert_int_equal(o.op[0].has_price, 1);
	assert_int_equal(o.op[0].price, 3999900);
	assert_int_equal(o.op[0].qty, 100);
	assert_int_equal(o.op[0].aux, 55);
	assert_int_equal(o.op[1].kind, WB_OP_TRIM);
	assert_int_equal(o.op[1].ref, 200);
	assert_int_equal(o.op[1].qty, 900);
	(void)wb_book_apply_op(book, &o.op[0], &ev, &at);
	assert_int_equal(ev.type, WB_EV_EXECUTE);
	/* the remaining quantity agrees with the book: no change, no event */
	assert_int_equal(wb_book_apply_op(book, &o.op[1], &ev, &at), 0);
	assert_int_equal(ev.type, WB_EV_NONE);
	assert_int_equal(shares_of(200), 900);
	/* the exchange says less remains than the book would keep: cut */
	m.u.executed_price.remaining_quantity = 0;
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 2);
	(void)wb_book_apply_op(book, &o.op[0], &ev, &at);
	assert_int_equal(shares_of(200), 800);
	assert_true(wb_book_apply_op(book, &o.op[1], &ev, &at) & WB_BOOK_CHANGED);
	assert_int_equal(ev.type, WB_EV_CANCEL);
	assert_int_equal(ev.qty, 800);
	assert_int_equal(shares_of(200), 0);
	assert_int_equal(wb_book_stats(book)->trimmed, trimmed0 + 1);
	/* the order gone: the trim neither changes nor counts anything */
	m.u.executed_price.remaining_quantity = 0;
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 2);
	assert_int_equal(wb_book_apply_op(book, &o.op[1], &ev, &at), 0);
	assert_int_equal(wb_book_stats(book)->trimmed, trimmed0 + 1);
	wb_pitch_adapt_destroy(a);
}

static void
test_unit_clear(void **state)
{
	struct wb_pitch_adapt *a = adapt_new(64);
	static const char *const sym[] = {"AA    ", "BB    ", "CC    ", "DD    ", "EE    "};
	static const uint8_t unit[] = {1, 2, 1, 3, 1};
	struct wb_pitch_ops o;
	struct wb_pitch_msg m;
	uint32_t cur = 0, id;
	unsigned int i;

	(void)state;
	for (i = 0; i < 5; i++) {
		m = pm_add(WB_PITCH_ADD_SHORT, 300 + i, 'B', 1, sym[i], 100);
		assert_int_equal(pitch_adapt_run(a, unit[i], &m, &o), 2);
	}
	m = pm(WB_PITCH_UNIT_CLEAR, 1);
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 0);
	assert_int_equal(o.clear_unit, 1);
	assert_int_equal(o.unit, 1);
	assert_int_equal(wb_pitch_adapt_stats(a)->unit_clears, 1);
	assert_int_equal(id = wb_pitch_adapt_unit_next(a, 1, &cur), 1);
	assert_int_equal(id = wb_pitch_adapt_unit_next(a, 1, &cur), 3);
	assert_int_equal(id = wb_pitch_adapt_unit_next(a, 1, &cur), 5);
	assert_int_equal(wb_pitch_adapt_unit_next(a, 1, &cur), 0);
	cur = 0;
	assert_int_equal(wb_pitch_adapt_unit_next(a, 3, &cur), 4);
	assert_int_equal(wb_pitch_adapt_unit_next(a, 3, &cur), 0);
	cur = 0;
	assert_int_equal(wb_pitch_adapt_unit_next(a, 9, &cur), 0);
	wb_pitch_adapt_reset(a);
	assert_int_equal(wb_pitch_adapt_count(a), 0);
	assert_int_equal(wb_pitch_adapt_lookup(a, "AA"), 0);
	wb_pitch_adapt_destroy(a);
}

static void
test_skips_counted(void **state)
{
	struct wb_pitch_adapt *a = adapt_new(3); /* ids 1 and 2 */
	static const uint8_t trade_break[] = {8, 0x2C, 1, 2, 3, 4, 5, 6};
	struct wb_book_op ops[WB_PITCH_ADAPT_MAX_OPS];
	uint8_t buf[WB_PITCH_MAX_MSG_LEN];
	struct wb_pitch_ops o;
	struct wb_pitch_msg m;
	int len;

	(void)state;
	o.op = ops;
	assert_int_equal(wb_pitch_adapt_msg(a, 1, trade_break, sizeof(trade_break), &o),
			 WB_PROTO_UNKNOWN);
	assert_int_equal(wb_pitch_adapt_stats(a)->unknown, 1);
	assert_int_equal(wb_pitch_adapt_stats(a)->unknown_by_type[0x2C], 1);
	assert_int_equal(wb_pitch_adapt_msg(a, 1, trade_break, 1, &o), WB_PROTO_TRUNCATED);
	assert_int_equal(wb_pitch_adapt_stats(a)->truncated, 1);
	/* a side other than B/S */
	m = pm_add(WB_PITCH_ADD_SHORT, 1, 'B', 1, "AA    ", 100);
	len = wb_pitch_encode(&m, buf, sizeof(buf));
	buf[14] = 'X';
	assert_int_equal(wb_pitch_adapt_msg(a, 1, buf, (size_t)len, &o), WB_PROTO_MALFORMED);
	assert_int_equal(wb_pitch_adapt_stats(a)->malformed, 1);
	/* the id table full: the third symbol is skipped, the first two still map */
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 2);
	m.u.add.symbol = (const uint8_t *)"BB    ";
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 2);
	m.u.add.symbol = (const uint8_t *)"CC    ";
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), WB_PROTO_UNKNOWN);
	assert_int_equal(wb_pitch_adapt_stats(a)->inst_full, 1);
	m.u.add.symbol = (const uint8_t *)"BB    ";
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 1);
	assert_int_equal(o.op[0].instrument, 2);
	/* a long price past u32 (the book holds int64) */
	m.type = WB_PITCH_ADD_LONG;
	m.u.add.price = 5000000000ll;
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 1);
	assert_int_equal(o.op[0].price, 5000000000ll);
	assert_int_equal(wb_pitch_adapt_stats(a)->messages, 4);
	wb_pitch_adapt_destroy(a);
}

/* Every symbol S00000 .. of the first n maps to its id, through the lookup and the fast path. */
static void
table_check(struct wb_pitch_adapt *a, unsigned int n)
{
	struct wb_pitch_ops o;
	struct wb_pitch_msg m;
	char sym[7];
	unsigned int i;

	for (i = 0; i < n; i++) {
		snprintf(sym, sizeof(sym), "S%05u", i);
		assert_int_equal(wb_pitch_adapt_lookup(a, sym), i + 1);
		assert_string_equal(wb_pitch_adapt_symbol(a, i + 1), sym);
		m = pm_add(WB_PITCH_ADD_SHORT, 100000 + i, 'S', 1, sym, 100);
		assert_int_equal(pitch_adapt_run(a, 0, &m, &o), 1); /* known: no DIRECTORY op */
		assert_int_equal(o.op[0].instrument, i + 1);
	}
}

/*
 * Many symbols: ids stay dense and every lookup finds its own, also right
 * after each doubling of the table's part in use (256 slots, 512 once 129
 * symbols are in, ... 16,384); a reset forgets them and starts it small.
 */
static void
test_table(void **state)
{
	struct wb_pitch_adapt *a = adapt_new(5000);
	struct wb_pitch_ops o;
	struct wb_pitch_msg m;
	uint64_t grows = 0;
	char sym[7];
	unsigned int i, round;

	(void)state;
	for (round = 0; round < 2; round++) {
		for (i = 0; i < 4999; i++) {
			snprintf(sym, sizeof(sym), "S%05u", i);
			m = pm_add(WB_PITCH_ADD_SHORT, i + 1, 'B', 1, sym, 100);
			assert_int_equal(pitch_adapt_run(a, (uint8_t)(i % 7), &m, &o), 2);
			assert_int_equal(o.op[0].kind, WB_OP_DIRECTORY);
			assert_int_equal(o.op[1].instrument, i + 1);
			if (wb_pitch_adapt_stats(a)->table_grows != grows) {
				grows = wb_pitch_adapt_stats(a)->table_grows;
				table_check(a, i + 1);
			}
		}
		assert_int_equal(grows, 6 * (round + 1));
		table_check(a, 4999);
		wb_pitch_adapt_reset(a);
		assert_int_equal(wb_pitch_adapt_lookup(a, "S00000"), 0);
		assert_int_equal(wb_pitch_adapt_lookup(a, "S04998"), 0);
	}
	wb_pitch_adapt_destroy(a);
}

/* An add whose symbol is the 8 bytes of WB_PITCH_KEY_NONE (what the fast path
 * looks up for messages without one) is malformed, not instrument 0. */
static void
test_key_none(void **state)
{
	static const uint8_t none[8] = {0xff, 0, 0, 0, 0, 0, 0, 0};
	struct wb_pitch_adapt *a = adapt_new(64);
	struct wb_pitch_ops o;
	struct wb_pitch_msg m;

	(void)state;
	m = pm_add(WB_PITCH_ADD_EXPANDED, 1, 'B', 100, "AAPL    ", 100);
	m.u.add.symbol = none;
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), WB_PROTO_MALFORMED);
	assert_int_equal(wb_pitch_adapt_stats(a)->malformed, 1);
	assert_int_equal(wb_pitch_adapt_stats(a)->instruments, 0);
	m = pm_add(WB_PITCH_ADD_EXPANDED, 2, 'B', 100, "AAPL    ", 100);
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 2);
	assert_int_equal(o.op[1].instrument, 1);
	m = pm(WB_PITCH_DELETE, 9);
	m.u.del.order_id = 2;
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 1);
	assert_int_equal(o.op[0].kind, WB_OP_DELETE);
	assert_int_equal(o.op[0].instrument, 0);
	wb_pitch_adapt_destroy(a);
}

/* The id the table holds for a symbol field of n bytes (space padded as the adapter does). */
static uint32_t
symbol_id(const struct wb_pitch_adapt *a, const uint8_t *sym, unsigned int n)
{
	uint8_t k[8];
	uint32_t at;

	memset(k, ' ', sizeof(k));
	memcpy(k, sym, n);
	return wb_pitch_adapt_find(a, wb_pitch_le64(k), &at);
}

/*
 * The in-place path (adds of known symbols, deletes, executions, reduces,
 * modifies)
 * must agree with wb_pitch_decode() on every byte pattern: random
 * mutations of each type, checked against the decoder's verdict and
 * fields.
 */
static void
test_fast_path_agrees(void **state)
{
	static const uint8_t types[] = {
	    WB_PITCH_ADD_SHORT,	  WB_PITCH_ADD_LONG,	 WB_PITCH_ADD_EXPANDED,
	    WB_PITCH_DELETE,	  WB_PITCH_ORDER_EXECUTED, WB_PITCH_REDUCE_SHORT,
	    WB_PITCH_REDUCE_LONG, WB_PITCH_MODIFY_SHORT,	 WB_PITCH_MODIFY_LONG};
	struct wb_pitch_adapt *a = adapt_new(1u << 17); /* mutated symbols never fill it */
	struct wb_book_op ops[WB_PITCH_ADAPT_MAX_OPS];
	uint8_t buf[WB_PITCH_MAX_MSG_LEN];
	uint64_t x = 12345, base = 0;
	struct wb_pitch_ops o;
	struct wb_pitch_msg m, d;
	unsigned int k, i, n = 0;
	int rc, want;

	(void)state;
	for (k = 0; k < 256; k++) /* the fast path's lengths are the decoder's */
		if (wb_pitch_fast[k].kind != WB_OP_NONE)
			assert_int_equal((uint16_t)~wb_pitch_fast[k].min_len_inv, wb_pitch_min_len[k]);
	m = pm_add(WB_PITCH_ADD_SHORT, 1, 'B', 1, "AAPL  ", 100);
	assert_int_equal(pitch_adapt_run(a, 1, &m, &o), 2); /* AAPL known from here on */
	for (k = 0; k < 60000; k++) {
		uint8_t t = types[k % sizeof(types)];
		int len;

		memset(&m, 0, sizeof(m));
		m.type = t;
		m.time_offset = (uint32_t)k;
		m.u.add.order_id = k + 7;
		m.u.add.side = 'S';
		m.u.add.quantity = 300;
		m.u.add.symbol = (const uint8_t *)"AAPL    "; /* 6 or 8 characters of it */
		m.u.add.price = 1234;
		if (t == WB_PITCH_MODIFY_SHORT || t == WB_PITCH_MODIFY_LONG) {
			memset(&m.u, 0, sizeof(m.u));
			m.u.modify.order_id = k + 7;
			m.u.modify.quantity = 300;
			m.u.modify.price = 1234;
			m.u.modify.flags = (uint8_t)(k & 3);
		}
		len = wb_pitch_encode(&m, buf, sizeof(buf));
		assert_true(len > 0);
		/* mutate one to three bytes past the length byte; sometimes cut it */
		for (i = 0; i < 1 + k % 3; i++) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			buf[1 + (x >> 33) % (unsigned int)(len - 1)] = (uint8_t)(x >> 20);
		}
		if (k % 7 == 0)
			buf[1] = t; /* keep the type, mutate the fields only */
		if (k % 11 == 0)
			len -= (int)(x % 4);
		o.op = ops;
		rc = wb_pitch_adapt_msg(a, 1, buf, (size_t)len, &o);
		want = wb_pitch_decode(buf, (size_t)len, 0, &d);
		if (want > 0 && d.type == WB_PITCH_TIME) /* a mutation made a Time */
			base = (uint64_t)d.u.time.seconds * 1000000000ull;
		if (want < 0) {
			assert_int_equal(rc, want);
			continue;
		}
		assert_true(rc >= 0);
		if (d.type != t || o.n == 0 || o.op[o.n - 1].kind == WB_OP_DIRECTORY)
			continue; /* another type, or a new symbol: the general path */
		n++;
		switch (t) {
		case WB_PITCH_ADD_SHORT:
		case WB_PITCH_ADD_LONG:
		case WB_PITCH_ADD_EXPANDED:
			assert_int_equal(o.op[o.n - 1].kind, WB_OP_ADD);
			assert_int_equal(o.op[o.n - 1].instrument,
					 symbol_id(a, d.u.add.symbol, d.u.add.symbol_len));
			assert_int_equal(o.op[o.n - 1].ref, d.u.add.order_id);
			assert_int_equal(o.op[o.n - 1].side, d.u.add.side);
			assert_int_equal(o.op[o.n - 1].qty, d.u.add.quantity);
			assert_int_equal(o.op[o.n - 1].price,
					 t == WB_PITCH_ADD_SHORT ? d.u.add.price * 100 : d.u.add.price);
			break;
		case WB_PITCH_DELETE:
			assert_int_equal(o.op[0].kind, WB_OP_DELETE);
			assert_int_equal(o.op[0].ref, d.u.del.order_id);
			assert_int_equal(o.op[0].instrument, 0);
			break;
		case WB_PITCH_MODIFY_SHORT:
		case WB_PITCH_MODIFY_LONG:
			assert_int_equal(o.op[0].kind, WB_OP_MODIFY);
			assert_int_equal(o.op[0].ref, d.u.modify.order_id);
			assert_int_equal(o.op[0].qty, d.u.modify.quantity);
			assert_int_equal(o.op[0].price, t == WB_PITCH_MODIFY_SHORT
							    ? d.u.modify.price * 100
							    : d.u.modify.price);
			assert_int_equal(o.op[0].state,
					 !d.u.modify.has_flags || (d.u.modify.flags & 2) != 0);
			assert_int_equal(o.op[0].instrument, 0);
			break;
		case WB_PITCH_ORDER_EXECUTED:
			assert_int_equal(o.op[0].kind, WB_OP_EXECUTE);
			assert_int_equal(o.op[0].ref, d.u.executed.order_id);
			assert_int_equal(o.op[0].qty, d.u.executed.executed_quantity);
			assert_int_equal(o.op[0].aux, d.u.executed.execution_id);
			assert_int_equal(o.op[0].has_price, 0);
			break;
		default:
			assert_int_equal(o.op[0].kind, WB_OP_CANCEL);
			assert_int_equal(o.op[0].ref, d.u.reduce.order_id);
			assert_int_equal(o.op[0].qty, d.u.reduce.canceled_quantity);
			break;
		}
		assert_int_equal(o.exch_ts, base + d.time_offset);
		assert_int_equal(o.op[o.n - 1].exch_ts, base + d.time_offset);
	}
	assert_true(n > 10000);
	wb_pitch_adapt_destroy(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_directory_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_order_ops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_modify_priority, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_at_price, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unit_clear, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skips_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fast_path_agrees, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_none, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
