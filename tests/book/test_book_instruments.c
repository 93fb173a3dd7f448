/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the book does beside orders: the directory and trading state (and an
 * add naming an instrument), pass-through trades and messages with no
 * event, and ops straight, as a venue without ITCH gives them (a directory
 * entry with its exponent, the clear of one instrument).
 */
#include "book_msg.h"

static void
test_directory(void **state)
{
	struct wb_book *b = book_small(1024, 1024, 100);
	const struct wb_instrument *in;
	struct wb_itch_msg m;
	struct wb_event ev;

	(void)state;
	m = msg_hdr('R', 42);
	m.u.stock_directory.stock = (const uint8_t *)"AAPL    ";
	m.u.stock_directory.market_category = 'Q';
	m.u.stock_directory.round_lot_size = 100;
	assert_int_equal(apply_ev(b, m, &ev), WB_BOOK_DIRECTORY);
	assert_int_equal(ev.type, WB_EV_DIRECTORY);
	assert_int_equal(ev.instrument, 42);
	assert_memory_equal(ev.u.raw, "AAPL\0\0\0\0", 8);
	in = wb_book_instrument(b, 42);
	assert_non_null(in);
	assert_string_equal(in->symbol, "AAPL");
	assert_int_equal(in->known, 1);
	assert_int_equal(in->market_category, 'Q');
	assert_int_equal(in->round_lot_size, 100);
	assert_int_equal(in->price_exp, -4);
	assert_int_equal(in->trading_state, 0);
	m = msg_hdr('H', 42);
	m.u.trading_action.stock = (const uint8_t *)"AAPL    ";
	m.u.trading_action.trading_state = 'H';
	m.u.trading_action.reason = (const uint8_t *)"LUDP";
	assert_int_equal(apply_ev(b, m, &ev), WB_BOOK_DIRECTORY);
	assert_int_equal(ev.type, WB_EV_TRADING_STATE);
	assert_int_equal(ev.u.trading.state, 'H');
	assert_memory_equal(ev.u.trading.reason, "LUDP", 4);
	assert_int_equal(in->trading_state, 'H');
	assert_memory_equal(in->reason, "LUDP", 4);
	m.u.trading_action.trading_state = 'T';
	m.u.trading_action.reason = (const uint8_t *)"    ";
	apply(b, m);
	assert_int_equal(in->trading_state, 'T');
	/* an add for an instrument never in R names it; a later add does not */
	in = wb_book_instrument(b, 43);
	assert_int_equal(in->known, 0);
	m = msg_add(43, 1, 'B', 1, 1);
	m.u.add.stock = (const uint8_t *)"ZVZZT   ";
	apply(b, m);
	m = msg_add(43, 2, 'B', 1, 1);
	m.type = 'F';
	m.u.add.stock = (const uint8_t *)"OTHER   ";
	assert_int_equal(apply(b, m), WB_BOOK_CHANGED | WB_BOOK_BBO_CHANGED);
	assert_int_equal(in->known, 1);
	assert_string_equal(in->symbol, "ZVZZT");
	/* an add does not rename an instrument from R */
	m.u.add.order_ref = 3;
	m.stock_locate = 42;
	apply(b, m);
	assert_string_equal(wb_book_instrument(b, 42)->symbol, "AAPL");
	/* R after an add corrects the name; full 8-character symbol */
	m = msg_hdr('R', 43);
	m.u.stock_directory.stock = (const uint8_t *)"ABCDEFGH";
	apply(b, m);
	assert_string_equal(in->symbol, "ABCDEFGH");
	assert_null(wb_book_instrument(b, 100));
	assert_non_null(wb_book_instrument(b, 99));
	wb_book_destroy(b);
}

static void
test_trades(void **state)
{
	struct wb_book *b = book_small(1024, 1024, 16);
	struct wb_itch_msg m;
	struct wb_event ev;

	(void)state;
	apply(b, msg_add(L1, 1, 'B', 100, 10));
	m = msg_hdr('P', L1);
	m.u.trade.side = 'B';
	m.u.trade.shares = 300;
	m.u.trade.price = 101;
	m.u.trade.match_number = 9;
	assert_int_equal(apply_ev(b, m, &ev), 0);
	assert_int_equal(ev.type, WB_EV_TRADE);
	assert_int_equal(ev.instrument, L1);
	assert_int_equal(ev.side, 'B');
	assert_int_equal(ev.qty, 300);
	assert_int_equal(ev.u.trade.price, 101);
	assert_int_equal(ev.u.trade.match, 9);
	m = msg_hdr('Q', L1);
	m.u.cross_trade.shares = 1ull << 40;
	m.u.cross_trade.cross_price = 102;
	m.u.cross_trade.match_number = 10;
	assert_int_equal(apply_ev(b, m, &ev), 0);
	assert_int_equal(ev.type, WB_EV_TRADE);
	assert_int_equal(ev.side, 0);
	/* a cross's 64-bit shares saturate in the op's 32 bits (event ABI 2's qty) */
	assert_int_equal(ev.qty, UINT32_MAX);
	assert_int_equal(ev.u.trade.price, 102);
	assert_int_equal(ev.u.trade.match, 10);
	m = msg_hdr('B', L1);
	m.u.broken_trade.match_number = 9;
	assert_int_equal(apply_ev(b, m, &ev), 0);
	assert_int_equal(ev.type, WB_EV_TRADE);
	assert_int_equal(ev.u.trade.match, 9);
	assert_int_equal(ev.qty, 0);
	/* no event for the rest, and no book change anywhere */
	m = msg_hdr('S', 0);
	assert_int_equal(apply_ev(b, m, &ev), 0);
	assert_int_equal(ev.type, WB_EV_NONE);
	assert_int_equal(ev.exch_ts, 34200000000000ull + 'S');
	m = msg_hdr('I', L1);
	assert_int_equal(apply_ev(b, m, &ev), 0);
	assert_int_equal(ev.type, WB_EV_NONE);
	assert_int_equal(wb_book_stats(b)->applied, 1);
	assert_int_equal(wb_book_depth(b, L1, 'B'), 1);
	wb_book_prefetch(b, 1);
	wb_book_prefetch(b, 12345);
	wb_book_destroy(b);
}

/* Ops straight, as a venue without ITCH would give them: a directory entry
 * of 8 characters and its exponent, and a clear of one instrument. */
static void
test_ops(void **state)
{
	struct wb_book *b = book_small(64, 64, 8);
	struct wb_book_op op;
	struct wb_event ev;
	uint32_t at = 99;
	uint64_t r;

	(void)state;
	memset(&op, 0, sizeof(op));
	op.kind = WB_OP_DIRECTORY;
	op.instrument = 5;
	memcpy(op.symbol, "ABCDEFGH", 8);
	op.price_exp = -2;
	assert_int_equal(wb_book_apply_op(b, &op, &ev, &at), WB_BOOK_DIRECTORY);
	assert_int_equal(at, 5);
	assert_string_equal(wb_book_instrument(b, 5)->symbol, "ABCDEFGH");
	assert_int_equal(wb_book_instrument(b, 5)->price_exp, -2);
	/* orders on both sides of 5, some spilled (ref window 64), one on 6 */
	for (r = 1; r <= 20; r++) {
		memset(&op, 0, sizeof(op));
		op.kind = WB_OP_ADD;
		op.instrument = r == 20 ? 6 : 5;
		op.ref = r * 64 + (r == 20); /* 6's order has a home of its own */
		op.side = r & 1 ? 'B' : 'S';
		op.price = r & 1 ? 100 - (int64_t)r : 200 + (int64_t)r;
		op.qty = 10;
		assert_int_not_equal(wb_book_apply_op(b, &op, NULL, &at), 0);
	}
	assert_true(wb_book_stats(b)->spilled_orders > 0);
	memset(&op, 0, sizeof(op));
	op.kind = WB_OP_CLEAR;
	op.instrument = 5;
	assert_int_equal(wb_book_apply_op(b, &op, &ev, &at),
			 WB_BOOK_CHANGED | WB_BOOK_BBO_CHANGED);
	assert_int_equal(at, 5);
	assert_int_equal(wb_book_has_orders(b, 5), 0);
	assert_int_equal(wb_book_depth(b, 5, 'B'), 0);
	assert_int_equal(wb_book_stats(b)->live_orders, 1);
	assert_int_equal(wb_book_stats(b)->spilled_orders, 0);
	assert_int_equal(wb_book_stats(b)->live_levels, 1);
	assert_int_equal(wb_book_depth(b, 6, 'S'), 1);
	/* the cleared refs are free again; a second clear changes nothing */
	for (r = 1; r < 20; r++) {
		struct wb_order_info oi;

		assert_int_equal(wb_book_order(b, r * 64, &oi), -ENOENT);
	}
	assert_int_equal(wb_book_apply_op(b, &op, &ev, &at), 0);
	op.instrument = 8;
	assert_int_equal(wb_book_apply_op(b, &op, &ev, &at), 0);
	assert_int_equal(wb_book_stats(b)->bad_locate, 1);
	wb_book_destroy(b);
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_trades),
		cmocka_unit_test(test_ops),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
