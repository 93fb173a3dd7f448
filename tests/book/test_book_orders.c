/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An order's life in the book, one operation at a time: time priority, every
 * way an order leaves or shrinks (E, C, X, D) and the event each gives,
 * replaces, and the return bits (BBO exactly when the top of a side
 * changes).
 */
#include "book_msg.h"

static void
test_fifo(void **state)
{
	struct wb_book *b = book_small(1024, 1024, 16);
	static const uint64_t f1[] = {1, 2, 3, 4};
	static const uint64_t f2[] = {1, 3, 4, 20};
	static const uint64_t f3[] = {3, 4, 20, 30};
	static const uint64_t f4[] = {3, 20, 30};
	uint64_t two[2];

	(void)state;
	apply(b, msg_add(L1, 1, 'B', 500, 100));
	apply(b, msg_add(L1, 2, 'B', 500, 200));
	apply(b, msg_add(L1, 3, 'B', 500, 300));
	apply(b, msg_add(L1, 4, 'B', 500, 400));
	check_fifo(b, L1, 'B', 500, f1, 4);
	/* partial execution, cancel keep priority */
	apply(b, msg_exec(L1, 1, 50, 1));
	apply(b, msg_cancel(L1, 3, 10));
	check_fifo(b, L1, 'B', 500, f1, 4);
	/* replace at the same price goes to the back under its new ref */
	apply(b, msg_replace(L1, 2, 20, 500, 200));
	check_fifo(b, L1, 'B', 500, f2, 4);
	/* replace away and back */
	apply(b, msg_replace(L1, 1, 10, 499, 50));
	apply(b, msg_replace(L1, 10, 30, 500, 50));
	check_fifo(b, L1, 'B', 500, f3, 4);
	/* remove from the middle */
	apply(b, msg_delete(L1, 4));
	check_fifo(b, L1, 'B', 500, f4, 3);
	{
		static const uint64_t lv[][3] = {{500, 3, 290 + 200 + 50}};

		check_side(b, L1, 'B', lv, 1);
	}
	assert_int_equal(wb_book_level_orders(b, L1, 'B', 500, two, 2), 2);
	assert_int_equal(two[1], 20);
	assert_int_equal(wb_book_level_orders(b, L1, 'B', 499, two, 2), 0);
	assert_int_equal(wb_book_level_orders(b, L1, 'S', 500, two, 2), 0);
	assert_int_equal(wb_book_level_orders(b, L1, 'Z', 500, two, 2), 0);
	/* remove head and tail */
	apply(b, msg_delete(L1, 3));
	apply(b, msg_exec(L1, 30, 50, 2));
	check_fifo(b, L1, 'B', 500, f4 + 1, 1);
	apply(b, msg_delete(L1, 20));
	assert_int_equal(wb_book_depth(b, L1, 'B'), 0);
	assert_int_equal(wb_book_stats(b)->live_orders, 0);
	assert_int_equal(wb_book_stats(b)->live_levels, 0);
	wb_book_destroy(b);
}

static void
test_reduce(void **state)
{
	struct wb_book *b = book_small(1024, 1024, 16);
	struct wb_order_info oi;
	struct wb_event ev;
	unsigned int bits;

	(void)state;
	apply(b, msg_add(L1, 1, 'S', 1000, 100));
	apply(b, msg_add(L1, 2, 'S', 1010, 100));
	/* E at the best */
	bits = apply_ev(b, msg_exec(L2, 1, 30, 77), &ev);
	assert_int_equal(bits, WB_BOOK_CHANGED | WB_BOOK_BBO_CHANGED);
	assert_int_equal(ev.type, WB_EV_EXECUTE);
	assert_int_equal(ev.instrument, L1); /* the order's instrument, not the message's */
	assert_int_equal(ev.side, 'S');
	assert_int_equal(ev.u.order.ref, 1);
	assert_int_equal(ev.u.order.price, 1000);
	assert_int_equal(ev.qty, 30);
	assert_int_equal(ev.u.order.aux, 77);
	assert_int_equal(wb_book_order(b, 1, &oi), 0);
	assert_int_equal(oi.shares, 70);
	/* C below the best: reported at its price, book keeps the order's price */
	bits = apply_ev(b, msg_exec_px(L1, 2, 40, 78, 1234), &ev);
	assert_int_equal(bits, WB_BOOK_CHANGED);
	assert_int_equal(ev.type, WB_EV_EXECUTE);
	assert_int_equal(ev.u.order.price, 1234);
	assert_int_equal(ev.qty, 40);
	assert_int_equal(ev.u.order.aux, 78);
	{
		static const uint64_t lv[][3] = {{1000, 1, 70}, {1010, 1, 60}};

		check_side(b, L1, 'S', lv, 2);
	}
	/* X */
	bits = apply_ev(b, msg_cancel(L1, 2, 10), &ev);
	assert_int_equal(bits, WB_BOOK_CHANGED);
	assert_int_equal(ev.type, WB_EV_CANCEL);
	assert_int_equal(ev.qty, 10);
	assert_int_equal(ev.u.order.price, 1010);
	/* zero shares: nothing changes, the event still goes out */
	bits = apply_ev(b, msg_cancel(L1, 2, 0), &ev);
	assert_int_equal(bits, 0);
	assert_int_equal(ev.type, WB_EV_CANCEL);
	/* exactly the remaining: removed, not an overfill */
	bits = apply(b, msg_exec(L1, 2, 50, 79));
	assert_int_equal(bits, WB_BOOK_CHANGED);
	assert_int_equal(wb_book_order(b, 2, &oi), -ENOENT);
	assert_int_equal(wb_book_stats(b)->overfill, 0);
	/* D: the event carries what was left */
	bits = apply_ev(b, msg_delete(L1, 1), &ev);
	assert_int_equal(bits, WB_BOOK_CHANGED | WB_BOOK_BBO_CHANGED);
	assert_int_equal(ev.type, WB_EV_DELETE);
	assert_int_equal(ev.u.order.ref, 1);
	assert_int_equal(ev.qty, 70);
	assert_int_equal(ev.u.order.price, 1000);
	assert_false(wb_book_has_orders(b, L1));
	assert_int_equal(wb_book_stats(b)->applied, 7);
	wb_book_destroy(b);
}

static void
test_replace(void **state)
{
	struct wb_book *b = book_small(1024, 1024, 16);
	struct wb_order_info oi;
	struct wb_event ev;
	unsigned int bits;

	(void)state;
	apply(b, msg_add(L1, 1, 'B', 100, 10));
	apply(b, msg_add(L1, 2, 'B', 100, 20));
	apply(b, msg_add(L1, 3, 'B', 90, 30));
	/* best level, same price, same size: the top is unchanged */
	bits = apply_ev(b, msg_replace(L2, 1, 11, 100, 10), &ev);
	assert_int_equal(bits, WB_BOOK_CHANGED);
	assert_int_equal(ev.type, WB_EV_REPLACE);
	assert_int_equal(ev.instrument, L1);
	assert_int_equal(ev.side, 'B');
	assert_int_equal(ev.u.order.ref, 1);
	assert_int_equal(ev.u.order.aux, 11);
	assert_int_equal(ev.u.order.price, 100);
	assert_int_equal(ev.qty, 10);
	assert_int_equal(wb_book_order(b, 1, &oi), -ENOENT);
	assert_int_equal(wb_book_order(b, 11, &oi), 0);
	assert_int_equal(oi.instrument, L1);
	assert_int_equal(oi.side, 'B');
	/* best level, new size */
	assert_int_equal(apply(b, msg_replace(L1, 11, 12, 100, 15)),
			 WB_BOOK_CHANGED | WB_BOOK_BBO_CHANGED);
	/* below the best, moves within the depth */
	assert_int_equal(apply(b, msg_replace(L1, 3, 4, 95, 30)), WB_BOOK_CHANGED);
	/* the only order of a level moves to a new best */
	assert_int_equal(apply(b, msg_replace(L1, 4, 5, 101, 30)),
			 WB_BOOK_CHANGED | WB_BOOK_BBO_CHANGED);
	{
		static const uint64_t lv[][3] = {{101, 1, 30}, {100, 2, 35}};

		check_side(b, L1, 'B', lv, 2);
	}
	/* the best's only order replaced under the same ref, same price, size */
	assert_int_equal(apply(b, msg_replace(L1, 5, 5, 101, 30)), WB_BOOK_CHANGED);
	/* best's only order moves down: the old second level becomes best */
	assert_int_equal(apply(b, msg_replace(L1, 5, 6, 80, 30)),
			 WB_BOOK_CHANGED | WB_BOOK_BBO_CHANGED);
	{
		static const uint64_t lv[][3] = {{100, 2, 35}, {80, 1, 30}};

		check_side(b, L1, 'B', lv, 2);
	}
	assert_int_equal(wb_book_stats(b)->live_orders, 3);
	assert_int_equal(wb_book_stats(b)->live_levels, 2);
	wb_book_destroy(b);
}

/* The BBO bit against the BBO itself, on both sides, for every operation. */
static void
test_bbo_bits(void **state)
{
	struct wb_book *b = book_small(1024, 1024, 16);
	struct wb_bbo before, after;
	struct wb_itch_msg seq[] = {
		msg_add(L1, 1, 'B', 100, 10),  msg_add(L1, 2, 'B', 99, 10),
		msg_add(L1, 3, 'B', 100, 5),   msg_add(L1, 4, 'S', 105, 10),
		msg_add(L1, 5, 'S', 106, 10),  msg_add(L1, 6, 'S', 104, 1),
		msg_exec(L1, 2, 1, 1),         msg_exec(L1, 5, 1, 2),
		msg_exec(L1, 6, 1, 3),         msg_cancel(L1, 2, 2),
		msg_cancel(L1, 1, 2),          msg_delete(L1, 5),
		msg_delete(L1, 3),             msg_replace(L1, 2, 7, 98, 7),
		msg_replace(L1, 7, 8, 101, 7), msg_exec_px(L1, 4, 3, 4, 1),
		msg_exec_px(L1, 8, 7, 5, 1),   msg_add(L2, 9, 'S', 1, 1),
		msg_delete(L1, 1),             msg_delete(L1, 4),
	};
	unsigned int i, bits, nbbo = 0;

	(void)state;
	for (i = 0; i < WB_ARRAY_SIZE(seq); i++) {
		wb_book_bbo(b, L1, &before);
		bits = apply(b, seq[i]);
		wb_book_bbo(b, L1, &after);
		assert_true(bits & WB_BOOK_CHANGED);
		if (seq[i].stock_locate == L1) {
			assert_int_equal(!!(bits & WB_BOOK_BBO_CHANGED),
					 memcmp(&before, &after, sizeof(before)) != 0);
			nbbo += !!(bits & WB_BOOK_BBO_CHANGED);
		} else {
			assert_int_equal(bits, WB_BOOK_CHANGED | WB_BOOK_BBO_CHANGED);
		}
	}
	/* both outcomes occurred */
	assert_in_range(nbbo, 1, WB_ARRAY_SIZE(seq) - 2);
	assert_false(wb_book_has_orders(b, L1));
	wb_book_destroy(b);
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifo),
		cmocka_unit_test(test_reduce),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_bbo_bits),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
