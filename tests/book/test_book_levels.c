/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A book's parameters and its levels: the defaults and the refused sizes,
 * NUMA placement, adds and level aggregation, the level cache, walks of
 * many levels at once, and 64-bit prices (above 2^32, negative) with the
 * BBO event's order counts. An order's life is in test_book_orders, the
 * directory, trades and ops straight in test_book_instruments, error paths
 * and sizes in test_book_limits.
 */
#include "book_msg.h"

#include "wb_book_int.h"

static void
test_params(void **state)
{
	struct wb_book_params p;
	struct wb_book *b;

	(void)state;
	wb_book_params_default(&p);
	assert_int_equal(p.max_orders, 1u << 20);
	assert_int_equal(p.max_instruments, WB_BOOK_DEFAULT_INSTRUMENTS);
	assert_int_equal(p.numa_node, -1);
	p.max_orders = 0;
	errno = 0;
	assert_null(wb_book_create(&p));
	assert_int_equal(errno, EINVAL);
	wb_book_params_default(&p);
	p.max_instruments = WB_BOOK_MAX_INSTRUMENTS + 1;
	assert_null(wb_book_create(&p));
	assert_int_equal(errno, EINVAL);
	p.max_instruments = 0;
	assert_null(wb_book_create(&p));
	wb_book_params_default(&p);
	p.max_levels = 0;
	assert_null(wb_book_create(&p));
	wb_book_params_default(&p);
	p.max_orders = 0xffffffffu;
	assert_null(wb_book_create(&p));
	assert_int_equal(errno, EINVAL);
	/* the defaults work; hugepages falls back when none are reserved */
	wb_book_params_default(&p);
	p.max_orders = 4096;
	p.hugepages = 1;
	b = wb_book_create(&p);
	assert_non_null(b);
	assert_int_equal(wb_book_max_instruments(b), WB_BOOK_DEFAULT_INSTRUMENTS);
	assert_int_equal(apply(b, msg_add(1, 1, 'B', 100, 10)), WB_BOOK_CHANGED | WB_BOOK_BBO_CHANGED);
	wb_book_destroy(b);
	wb_book_destroy(NULL);
}

static void
test_numa(void **state)
{
	struct wb_book_params p;
	struct wb_book *b;

	(void)state;
	wb_book_params_default(&p);
	p.max_orders = 1024;
	p.numa_node = 0;
	b = wb_book_create(&p);
	assert_non_null(b);
	apply(b, msg_add(1, 1, 'B', 100, 10));
	assert_int_equal(wb_book_stats(b)->live_orders, 1);
	wb_book_destroy(b);
	p.numa_node = 900;
	assert_null(wb_book_create(&p));
}

static void
test_add_levels(void **state)
{
	struct wb_book *b = book_small(1024, 1024, 16);
	static const uint32_t bid_px[] = {100, 103, 101, 99, 102, 103, 95, 97, 100, 96, 98};
	static const uint64_t bids[][3] = {
		{103, 2, 20}, {102, 1, 10}, {101, 1, 10}, {100, 2, 20}, {99, 1, 10},
		{98, 1, 10},  {97, 1, 10},  {96, 1, 10},  {95, 1, 10},
	};
	static const uint64_t asks[][3] = {{104, 1, 5}, {106, 2, 7}, {110, 1, 9}};
	struct wb_order_info oi;
	struct wb_event ev;
	struct wb_bbo bbo;
	unsigned int i;

	(void)state;
	/* insertion order exercises: empty, worse than worst, better than best,
	 * equal to either end, and walks from both ends */
	for (i = 0; i < WB_ARRAY_SIZE(bid_px); i++)
		apply(b, msg_add(L1, 1000 + i, 'B', bid_px[i], 10));
	check_side(b, L1, 'B', bids, WB_ARRAY_SIZE(bids));
	assert_int_equal(apply_ev(b, msg_add(L1, 1, 'S', 106, 3), &ev),
			 WB_BOOK_CHANGED | WB_BOOK_BBO_CHANGED);
	assert_int_equal(ev.type, WB_EV_ADD);
	assert_int_equal(ev.instrument, L1);
	assert_int_equal(ev.side, 'S');
	assert_int_equal(ev.exch_ts, 34200000000000ull + 'A');
	assert_int_equal(ev.u.order.ref, 1);
	assert_int_equal(ev.u.order.aux, 0);
	assert_int_equal(ev.u.order.price, 106);
	assert_int_equal(ev.qty, 3);
	assert_int_equal(ev.flags, 0);
	assert_int_equal(apply(b, msg_add(L1, 2, 'S', 110, 9)), WB_BOOK_CHANGED);
	assert_int_equal(apply(b, msg_add(L1, 3, 'S', 106, 4)),
			 WB_BOOK_CHANGED | WB_BOOK_BBO_CHANGED);
	assert_int_equal(apply(b, msg_add(L1, 4, 'S', 104, 5)),
			 WB_BOOK_CHANGED | WB_BOOK_BBO_CHANGED);
	check_side(b, L1, 'S', asks, WB_ARRAY_SIZE(asks));
	wb_book_bbo(b, L1, &bbo);
	assert_int_equal(bbo.bid_px, 103);
	assert_int_equal(bbo.bid_qty, 20);
	assert_int_equal(bbo.bid_orders, 2);
	assert_int_equal(bbo.ask_px, 104);
	assert_int_equal(bbo.ask_qty, 5);
	assert_int_equal(bbo.ask_orders, 1);
	/* other instrument untouched */
	assert_int_equal(wb_book_depth(b, L2, 'B'), 0);
	assert_false(wb_book_has_orders(b, L2));
	assert_true(wb_book_has_orders(b, L1));
	wb_book_bbo(b, L2, &bbo);
	assert_int_equal(bbo.bid_qty + bbo.ask_qty + bbo.bid_px + bbo.ask_px, 0);
	assert_int_equal(wb_book_order(b, 3, &oi), 0);
	assert_int_equal(oi.ref, 3);
	assert_int_equal(oi.instrument, L1);
	assert_int_equal(oi.side, 'S');
	assert_int_equal(oi.price, 106);
	assert_int_equal(oi.shares, 4);
	assert_int_equal(wb_book_order(b, 999, &oi), -ENOENT);
	assert_int_equal(wb_book_stats(b)->live_orders, 15);
	assert_int_equal(wb_book_stats(b)->live_levels, 12);
	assert_int_equal(wb_book_stats(b)->applied, 15);
	/* bad side names and locates in queries */
	assert_int_equal(wb_book_depth(b, L1, 'X'), 0);
	assert_int_equal(wb_book_levels(b, 16, 'B', NULL, 0), 0);
	assert_false(wb_book_has_orders(b, 16));
	/* the levels copy stops at n */
	{
		struct wb_level_info lv[2];

		assert_int_equal(wb_book_levels(b, L1, 'B', lv, 2), 2);
		assert_int_equal(lv[1].price, 102);
	}
	wb_book_destroy(b);
}

/* A price other than p (above it) that shares p's level cache slot. */
static uint32_t
lc_twin(uint32_t p)
{
	uint32_t q;

	for (q = p + 1;; q++)
		if (wb_book_lc_slot(q) == wb_book_lc_slot(p))
			return q;
}

/*
 * The per-side level cache (wb_book_int.h) is only a shortcut: prices that
 * share a slot, levels freed and their entries reused by another
 * instrument or side, and a clear must all give the same book as a walk.
 */
static void
test_level_cache(void **state)
{
	struct wb_book *b = book_small(1024, 1024, 16);
	uint32_t p = 1000000, q = lc_twin(p), r = lc_twin(q);
	const uint64_t two[][3] = {{r, 1, 3}, {q, 1, 2}, {p, 2, 11}};
	const uint64_t one[][3] = {{p, 1, 7}};
	const uint64_t ask[][3] = {{p, 1, 5}};

	(void)state;
	/* three live prices in one slot: each add after the first misses the
	 * cache at least once and must still find or create the right level */
	apply(b, msg_add(L1, 1, 'B', p, 1));
	apply(b, msg_add(L1, 2, 'B', q, 2));
	apply(b, msg_add(L1, 3, 'B', p, 10));
	apply(b, msg_add(L1, 4, 'B', r, 3));
	check_side(b, L1, 'B', two, WB_ARRAY_SIZE(two));
	assert_int_equal(wb_book_stats(b)->level_searches, 4); /* every one missed */
	/* p's level is freed while another price holds the slot, and again
	 * while it holds the slot itself; an add at p then creates a level */
	apply(b, msg_delete(L1, 1));
	apply(b, msg_delete(L1, 3));
	apply(b, msg_delete(L1, 2));
	apply(b, msg_delete(L1, 4));
	assert_int_equal(wb_book_depth(b, L1, 'B'), 0);
	assert_int_equal(wb_book_stats(b)->live_levels, 0);
	/* the freed level is reused for another instrument at the same price:
	 * L1's cache must not lead its next add there, nor L1's other side */
	apply(b, msg_add(L2, 5, 'B', p, 9));
	apply(b, msg_add(L1, 6, 'B', p, 7));
	apply(b, msg_add(L1, 7, 'S', p, 5));
	check_side(b, L1, 'B', one, 1);
	check_side(b, L1, 'S', ask, 1);
	assert_int_equal(wb_book_depth(b, L2, 'B'), 1);
	assert_int_equal(wb_book_stats(b)->live_levels, 3);
	/* a replace takes the same path to its new level */
	apply(b, msg_replace(L1, 6, 8, q, 4));
	apply(b, msg_replace(L1, 8, 9, p, 7));
	check_side(b, L1, 'B', one, 1);
	/* clear forgets the cache with the levels */
	wb_book_clear(b);
	apply(b, msg_add(L2, 10, 'B', q, 2));
	apply(b, msg_add(L1, 11, 'B', p, 7));
	check_side(b, L1, 'B', one, 1);
	assert_int_equal(wb_book_depth(b, L2, 'B'), 1);
	assert_int_equal(wb_book_stats(b)->live_levels, 2);
	/* a second order at a cached price finds its level without a search */
	{
		uint64_t n = wb_book_stats(b)->level_searches;
		const uint64_t both[][3] = {{p, 2, 8}};

		apply(b, msg_add(L1, 12, 'B', p, 1));
		assert_int_equal(wb_book_stats(b)->level_searches, n);
		check_side(b, L1, 'B', both, 1);
	}
	wb_book_destroy(b);
}

/*
 * wb_book_levels_many gives what wb_book_levels gives, walk by walk: on a
 * small book and on one past WB_BOOK_CACHED_ORDERS (where the publisher
 * uses it).
 */
static void
levels_many_check(unsigned int filler)
{
	struct wb_book *b = book_small(16384, 4096, 16);
	struct wb_level_info one[12], many[40][12];
	struct wb_level_walk w[40];
	unsigned int i, k, n;
	uint64_t ref = 1;

	/* instruments 1..9: instrument i has 2i bid levels and i ask levels */
	for (i = 1; i < 10; i++) {
		for (k = 0; k < 2 * i; k++)
			apply(b, msg_add((uint16_t)i, ref++, 'B', 1000 - 10 * k, 1 + k));
		for (k = 0; k < i; k++)
			apply(b, msg_add((uint16_t)i, ref++, 'S', 2000 + 10 * k, 2 + k));
	}
	/* resting orders on instrument 15, off the walks */
	for (k = 0; k < filler; k++)
		apply(b, msg_add(15, ref++, 'B', 500, 1));
	assert_true((wb_book_stats(b)->live_orders >= WB_BOOK_CACHED_ORDERS) == (filler > 0));
	/* 40 walks (more than one lockstep chunk): every instrument and side,
	 * depths 0 to 11, an empty instrument, a bad side, a bad locate */
	for (i = 0; i < 40; i++) {
		w[i].out = many[i];
		w[i].max = i % 12;
		w[i].instrument = (uint16_t)(i % 11);
		w[i].side = i % 3 == 0 ? 'S' : 'B';
		w[i].n = 99;
	}
	w[7].side = 'X';
	w[8].instrument = 999;
	wb_book_levels_many(b, w, 40);
	for (i = 0; i < 40; i++) {
		n = wb_book_levels(b, w[i].instrument, w[i].side, one, w[i].max);
		assert_int_equal(w[i].n, n);
		for (k = 0; k < n; k++) {
			assert_int_equal(many[i][k].price, one[k].price);
			assert_int_equal(many[i][k].orders, one[k].orders);
			assert_true(many[i][k].shares == one[k].shares);
		}
	}
	assert_int_equal(w[7].n, 0);
	assert_int_equal(w[8].n, 0);
	assert_int_equal(w[11].n, 0); /* instrument 0 is empty */
	assert_int_equal(w[20].n, 8); /* instrument 9 has 18 bid levels */
	wb_book_destroy(b);
}

static void
test_levels_many(void **state)
{
	(void)state;
	levels_many_check(0);
	levels_many_check(WB_BOOK_CACHED_ORDERS);
}

static unsigned int
add_op(struct wb_book *b, uint32_t instrument, uint64_t ref, uint8_t side, int64_t price,
       uint32_t qty, struct wb_event *ev)
{
	struct wb_book_op op;
	uint32_t at;

	memset(&op, 0, sizeof(op));
	op.kind = WB_OP_ADD;
	op.instrument = instrument;
	op.ref = ref;
	op.side = side;
	op.price = price;
	op.qty = qty;
	return wb_book_apply_op(b, &op, ev, &at);
}

/* 64-bit prices: above 2^32 (a Nasdaq price past 429,496.7295 at -4),
 * negative (futures spreads), ordered, in events, levels and orders; the
 * BBO event's order counts pack into qty and saturate. */
static void
test_prices64(void **state)
{
	struct wb_book *b = book_small(1u << 17, 1024, 8);
	const int64_t big = 5000000000000ll; /* 500,000,000.0000 */
	struct wb_level_info lv[4];
	struct wb_order_info oi;
	struct wb_event ev;
	struct wb_bbo bbo;
	uint64_t r;

	(void)state;
	assert_int_equal(add_op(b, 1, 1, 'S', big + 100, 5, &ev), WB_BOOK_CHANGED | WB_BOOK_BBO_CHANGED);
	assert_true(ev.u.order.price == big + 100 && ev.qty == 5 && ev.instrument == 1);
	assert_int_equal(add_op(b, 1, 2, 'S', big, 7, NULL), WB_BOOK_CHANGED | WB_BOOK_BBO_CHANGED);
	assert_int_equal(add_op(b, 1, 3, 'B', -250, 1, NULL), WB_BOOK_CHANGED | WB_BOOK_BBO_CHANGED);
	assert_int_equal(add_op(b, 1, 4, 'B', -300, 2, NULL), WB_BOOK_CHANGED);
	assert_int_equal(add_op(b, 1, 5, 'B', -200, 3, NULL), WB_BOOK_CHANGED | WB_BOOK_BBO_CHANGED);
	assert_int_equal(wb_book_levels(b, 1, 'S', lv, 4), 2);
	assert_true(lv[0].price == big && lv[1].price == big + 100);
	assert_int_equal(wb_book_levels(b, 1, 'B', lv, 4), 3);
	assert_true(lv[0].price == -200 && lv[1].price == -250 && lv[2].price == -300);
	assert_int_equal(wb_book_order(b, 4, &oi), 0);
	assert_true(oi.price == -300 && oi.instrument == 1 && oi.side == 'B' && oi.shares == 2);
	wb_book_bbo(b, 1, &bbo);
	assert_true(bbo.bid_px == -200 && bbo.ask_px == big && bbo.bid_qty == 3 && bbo.ask_qty == 7);
	wb_book_bbo_event(b, 1, &ev);
	assert_true(ev.u.bbo.bid_px == -200 && ev.u.bbo.ask_px == big);
	assert_int_equal(ev.u.bbo.bid_qty, 3);
	assert_int_equal(wb_ev_bbo_bid_orders(&ev), 1);
	assert_int_equal(wb_ev_bbo_ask_orders(&ev), 1);
	/* 70,000 bids at one price: the count saturates at 65535 in the event */
	for (r = 100; r < 70100; r++)
		add_op(b, 2, r, 'B', 1, 1, NULL);
	add_op(b, 2, 80000, 'S', 2, 1, NULL);
	wb_book_bbo_event(b, 2, &ev);
	assert_int_equal(wb_ev_bbo_bid_orders(&ev), 65535);
	assert_int_equal(wb_ev_bbo_ask_orders(&ev), 1);
	assert_int_equal(ev.u.bbo.bid_qty, 70000);
	/* the queue in time priority, walked back from its newest order */
	{
		uint64_t refs[3];

		assert_int_equal(wb_book_level_orders(b, 2, 'B', 1, refs, 3), 3);
		assert_true(refs[0] == 100 && refs[1] == 101 && refs[2] == 102);
	}
	wb_book_destroy(b);
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_numa),
		cmocka_unit_test(test_add_levels),
		cmocka_unit_test(test_level_cache),
		cmocka_unit_test(test_levels_many),
		cmocka_unit_test(test_prices64),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
