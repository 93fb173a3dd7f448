/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The book's edges: every error counter (and that a counted message leaves
 * the book as it was), full order and level tables, clear(), the order table
 * under churn at its highest load and with adversarial ref patterns, and a
 * 16M-order book taking a few million orders.
 */
#include "book_msg.h"

/* Everything observable about one instrument, for "unchanged" checks. */
struct snap {
	struct wb_level_info lv[2][32];
	unsigned int n[2];
	struct wb_book_stats st;
};

static void
take(const struct wb_book *b, uint16_t locate, struct snap *s)
{
	memset(s, 0, sizeof(*s));
	s->n[0] = wb_book_levels(b, locate, 'B', s->lv[0], 32);
	s->n[1] = wb_book_levels(b, locate, 'S', s->lv[1], 32);
	s->st = *wb_book_stats(b);
}

/* m must be rejected: no bits, no event, book as before, one counter +1. */
static void
rejected(struct wb_book *b, struct wb_itch_msg m, uint16_t locate, size_t counter)
{
	struct snap before, after;
	struct wb_event ev;

	take(b, locate, &before);
	assert_int_equal(apply_ev(b, m, &ev), 0);
	assert_int_equal(ev.type, WB_EV_NONE);
	take(b, locate, &after);
	assert_memory_equal(before.lv, after.lv, sizeof(before.lv));
	assert_memory_equal(before.n, after.n, sizeof(before.n));
	((uint64_t *)&before.st)[counter / sizeof(uint64_t)]++;
	assert_memory_equal(&before.st, &after.st, sizeof(before.st));
}

#define CNT(f) offsetof(struct wb_book_stats, f)

static void
test_errors(void **state)
{
	struct wb_book *b = book_small(1024, 1024, 16);
	struct wb_itch_msg m;
	struct wb_order_info oi;

	(void)state;
	apply(b, msg_add(3, 1, 'B', 100, 10));
	apply(b, msg_add(3, 2, 'S', 110, 10));
	rejected(b, msg_exec(3, 99, 1, 1), 3, CNT(unknown_ref));
	rejected(b, msg_exec_px(3, 99, 1, 1, 5), 3, CNT(unknown_ref));
	rejected(b, msg_cancel(3, 99, 1), 3, CNT(unknown_ref));
	rejected(b, msg_delete(3, 99), 3, CNT(unknown_ref));
	rejected(b, msg_replace(3, 99, 100, 100, 1), 3, CNT(unknown_ref));
	rejected(b, msg_add(3, 1, 'S', 120, 10), 3, CNT(duplicate_ref));
	/* U naming a live order as its new ref */
	rejected(b, msg_replace(3, 1, 2, 100, 1), 3, CNT(duplicate_ref));
	rejected(b, msg_add(16, 5, 'B', 100, 10), 3, CNT(bad_locate));
	rejected(b, msg_add(65535, 5, 'B', 100, 10), 3, CNT(bad_locate));
	m = msg_hdr('R', 16);
	m.u.stock_directory.stock = (const uint8_t *)"X       ";
	rejected(b, m, 3, CNT(bad_locate));
	m = msg_hdr('H', 16);
	rejected(b, m, 3, CNT(bad_locate));
	m = msg_hdr('P', 16);
	rejected(b, m, 3, CNT(bad_locate));
	rejected(b, msg_add(3, 5, 'Z', 100, 10), 3, CNT(bad_side));
	rejected(b, msg_add(3, 5, 0, 100, 10), 3, CNT(bad_side));
	/* zero shares: counted and skipped, never a live order of nothing */
	rejected(b, msg_add(3, 5, 'B', 100, 0), 3, CNT(zero_shares));
	rejected(b, msg_replace(3, 1, 7, 100, 0), 3, CNT(zero_shares));
	assert_int_equal(wb_book_order(b, 5, &oi), -ENOENT);
	/* E/C/X overfill: removed and counted; the message's locate is ignored */
	apply(b, msg_add(3, 3, 'B', 90, 10));
	assert_int_equal(apply(b, msg_exec(9, 3, 11, 1)), WB_BOOK_CHANGED);
	assert_int_equal(apply(b, msg_exec_px(3, 2, 1000, 1, 110)),
			 WB_BOOK_CHANGED | WB_BOOK_BBO_CHANGED);
	apply(b, msg_add(3, 4, 'B', 90, 10));
	assert_int_equal(apply(b, msg_cancel(3, 4, 0xffffffffu)), WB_BOOK_CHANGED);
	assert_int_equal(wb_book_stats(b)->overfill, 3);
	assert_int_equal(wb_book_order(b, 3, &oi), -ENOENT);
	assert_int_equal(wb_book_order(b, 4, &oi), -ENOENT);
	assert_int_equal(wb_book_stats(b)->live_orders, 1);
	/* a replace to its own ref is allowed */
	assert_int_equal(apply(b, msg_replace(3, 1, 1, 101, 3)),
			 WB_BOOK_CHANGED | WB_BOOK_BBO_CHANGED);
	assert_int_equal(wb_book_order(b, 1, &oi), 0);
	assert_int_equal(oi.price, 101);
	assert_int_equal(oi.shares, 3);
	{
		const struct wb_book_stats *st = wb_book_stats(b);

		assert_int_equal(st->unknown_ref, 5);
		assert_int_equal(st->duplicate_ref, 2);
		assert_int_equal(st->bad_locate, 5);
		assert_int_equal(st->bad_side, 2);
		assert_int_equal(st->zero_shares, 2);
		assert_int_equal(st->crossed, 0);
		assert_int_equal(st->orders_full + st->levels_full, 0);
		assert_int_equal(st->applied, 8);
	}
	wb_book_destroy(b);
}

/*
 * A bad price that crosses the book is applied (which side is wrong cannot
 * be known) but counted: only a new best that reaches the other side's best.
 */
static void
test_crossed(void **state)
{
	struct wb_book *b = book_small(1024, 1024, 16);

	(void)state;
	apply(b, msg_add(3, 1, 'B', 100, 10));
	apply(b, msg_add(3, 2, 'S', 110, 10));
	apply(b, msg_add(3, 3, 'B', 105, 10)); /* better, not crossed */
	apply(b, msg_add(3, 4, 'S', 120, 10)); /* worse ask */
	assert_int_equal(wb_book_stats(b)->crossed, 0);
	apply(b, msg_add(3, 5, 'B', 110, 10)); /* locks: bid 110 = ask 110 */
	assert_int_equal(wb_book_stats(b)->crossed, 1);
	apply(b, msg_add(3, 6, 'S', 90, 10)); /* crosses every bid */
	assert_int_equal(wb_book_stats(b)->crossed, 2);
	apply(b, msg_add(3, 7, 'B', 50, 10)); /* far below: not the best */
	assert_int_equal(wb_book_stats(b)->crossed, 2);
	apply(b, msg_replace(3, 7, 8, 200, 10)); /* replaced through the asks */
	assert_int_equal(wb_book_stats(b)->crossed, 3);
	apply(b, msg_add(4, 9, 'S', 90, 10)); /* another instrument: its own book */
	assert_int_equal(wb_book_stats(b)->crossed, 3);
	wb_book_destroy(b);
}

static void
test_full(void **state)
{
	struct wb_book *b = book_small(4, 2, 16);
	struct wb_order_info oi;

	(void)state;
	/* levels: two, both on the bid */
	apply(b, msg_add(1, 1, 'B', 100, 1));
	apply(b, msg_add(1, 2, 'B', 99, 1));
	rejected(b, msg_add(1, 3, 'B', 98, 1), 1, CNT(levels_full));
	rejected(b, msg_add(1, 3, 'S', 200, 1), 1, CNT(levels_full));
	rejected(b, msg_add(2, 3, 'S', 200, 1), 1, CNT(levels_full));
	/* joining an existing level still works */
	apply(b, msg_add(1, 3, 'B', 100, 1));
	/* replace to a new price whose level would not exist, old level kept */
	rejected(b, msg_replace(1, 3, 30, 97, 1), 1, CNT(levels_full));
	assert_int_equal(wb_book_order(b, 3, &oi), 0);
	/* replace to an existing level is fine */
	assert_int_equal(apply(b, msg_replace(1, 3, 31, 99, 1)),
			 WB_BOOK_CHANGED | WB_BOOK_BBO_CHANGED);
	/* the sole order of a level frees it for its own new price */
	assert_int_equal(apply(b, msg_replace(1, 1, 10, 98, 1)),
			 WB_BOOK_CHANGED | WB_BOOK_BBO_CHANGED);
	{
		static const uint64_t lv[][3] = {{99, 2, 2}, {98, 1, 1}};

		check_side(b, 1, 'B', lv, 2);
	}
	/* orders: four */
	apply(b, msg_add(1, 4, 'B', 99, 1));
	assert_int_equal(wb_book_stats(b)->live_orders, 4);
	rejected(b, msg_add(1, 5, 'B', 99, 1), 1, CNT(orders_full));
	/* a replace needs no extra entry */
	assert_int_equal(apply(b, msg_replace(1, 4, 40, 99, 2)),
			 WB_BOOK_CHANGED | WB_BOOK_BBO_CHANGED);
	/* freed entries and levels are reused */
	apply(b, msg_delete(1, 10));
	apply(b, msg_delete(1, 40));
	apply(b, msg_add(2, 5, 'S', 300, 1));
	apply(b, msg_add(2, 6, 'S', 300, 1));
	assert_int_equal(wb_book_stats(b)->live_orders, 4);
	rejected(b, msg_add(2, 7, 'S', 302, 1), 1, CNT(orders_full));
	assert_int_equal(wb_book_stats(b)->orders_full, 2);
	assert_int_equal(wb_book_stats(b)->levels_full, 4);
	assert_int_equal(wb_book_stats(b)->live_levels, 2);
	wb_book_destroy(b);
}

static void
test_clear(void **state)
{
	struct wb_book *b = book_small(4096, 4096, 64);
	struct wb_order_info oi;
	struct wb_itch_msg m;
	unsigned int round, i, n;

	(void)state;
	m = msg_hdr('R', 5);
	m.u.stock_directory.stock = (const uint8_t *)"KEEP    ";
	apply(b, m);
	/* a few orders (per-order path), then many (whole-table path) */
	for (round = 0; round < 3; round++) {
		n = round == 1 ? 4000 : 50;
		for (i = 0; i < n; i++)
			assert_true(apply(b, msg_add((uint16_t)(i % 64), 1 + i, i & 1 ? 'B' : 'S',
						      1000 + i % 37, 10)) &
				    WB_BOOK_CHANGED);
		assert_int_equal(wb_book_stats(b)->live_orders, n);
		wb_book_clear(b);
		assert_int_equal(wb_book_stats(b)->live_orders, 0);
		assert_int_equal(wb_book_stats(b)->live_levels, 0);
		for (i = 0; i < 64; i++)
			assert_false(wb_book_has_orders(b, (uint16_t)i));
		for (i = 0; i < n; i++)
			assert_int_equal(wb_book_order(b, 1 + i, &oi), -ENOENT);
		assert_string_equal(wb_book_instrument(b, 5)->symbol, "KEEP");
	}
	/* the full capacity is available again */
	for (i = 0; i < 4096; i++)
		apply(b, msg_add(1, 77 + i, 'B', i, 1));
	assert_int_equal(wb_book_stats(b)->live_orders, 4096);
	assert_int_equal(wb_book_stats(b)->orders_full, 0);
	assert_int_equal(wb_book_depth(b, 1, 'B'), 4096);
	wb_book_destroy(b);
}

static uint64_t
xs(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * The order table at load 0.5 under random churn, for several ref patterns
 * (sequential, strided by powers of two, random 64-bit): after every step
 * the live set must match a shadow array exactly.
 */
static void
test_table_churn(void **state)
{
	enum { N = 2048, UNIVERSE = 8192 };
	static uint8_t live[UNIVERSE];
	static const uint64_t strides[] = {1, 1u << 16, 1ull << 32, 0};
	struct wb_book *b;
	struct wb_order_info oi;
	uint64_t s = 88172645463325252ull, refs[UNIVERSE];
	unsigned int p, i, k, nlive;

	(void)state;
	for (p = 0; p < WB_ARRAY_SIZE(strides); p++) {
		b = book_small(N, N, 4);
		for (i = 0; i < UNIVERSE; i++)
			refs[i] = strides[p] ? (i + 1) * strides[p] : xs(&s);
		memset(live, 0, sizeof(live));
		nlive = 0;
		for (k = 0; k < 60000; k++) {
			i = (unsigned int)(xs(&s) % UNIVERSE);
			if (live[i]) {
				apply(b, msg_delete(1, refs[i]));
				live[i] = 0;
				nlive--;
			} else if (nlive < N) {
				apply(b, msg_add(1, refs[i], 'B', i % 50, 1));
				live[i] = 1;
				nlive++;
			}
			if (k % 5000 == 0 || k > 59000)
				for (i = 0; i < UNIVERSE; i++)
					assert_int_equal(wb_book_order(b, refs[i], &oi) == 0,
							 live[i]);
		}
		assert_int_equal(wb_book_stats(b)->live_orders, nlive);
		assert_int_equal(wb_book_stats(b)->unknown_ref + wb_book_stats(b)->orders_full, 0);
		wb_book_destroy(b);
	}
}

/* 16M capacity: create is cheap, a few million orders go in and out. */
static void
test_16m(void **state)
{
	enum { N = 3000000 };
	struct wb_book_params p;
	struct wb_order_info oi;
	struct wb_book *b;
	unsigned int i;

	(void)state;
	wb_book_params_default(&p);
	p.max_orders = 16u << 20;
	p.max_levels = 1u << 20;
	b = wb_book_create(&p);
	assert_non_null(b);
	/* 1000 instruments, 8 levels a side, ~190 orders a level */
	for (i = 0; i < N; i++)
		if (apply(b, msg_add((uint16_t)(i % 1000), 1000 + (uint64_t)i * 3,
				     (i / 1000) & 1 ? 'B' : 'S', 10000 + (i / 1000) % 16 * 100,
				     100)) == 0)
			fail_msg("add %u rejected", i);
	assert_int_equal(wb_book_stats(b)->live_orders, N);
	assert_int_equal(wb_book_stats(b)->live_levels, 1000 * 16);
	assert_int_equal(wb_book_order(b, 1000 + 3ull * (N - 1), &oi), 0);
	assert_int_equal(oi.instrument, (N - 1) % 1000);
	assert_int_equal(wb_book_depth(b, 0, 'S'), 8);
	assert_int_equal(wb_book_depth(b, 999, 'B'), 8);
	for (i = 0; i < N; i += 2)
		apply(b, msg_delete(0, 1000 + (uint64_t)i * 3));
	assert_int_equal(wb_book_stats(b)->live_orders, N / 2);
	assert_int_equal(wb_book_order(b, 1000 + 3ull * 2, &oi), -ENOENT);
	assert_int_equal(wb_book_order(b, 1000 + 3ull * 3, &oi), 0);
	wb_book_clear(b);
	assert_int_equal(wb_book_stats(b)->live_orders, 0);
	assert_int_equal(wb_book_order(b, 1000 + 3ull * 3, &oi), -ENOENT);
	assert_int_equal(wb_book_stats(b)->unknown_ref, 0);
	wb_book_destroy(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors),      cmocka_unit_test(test_crossed),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_clear),       cmocka_unit_test(test_table_churn),
		cmocka_unit_test(test_16m),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
