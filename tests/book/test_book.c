/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Book operations one by one: adds and level aggregation, every way an order
 * leaves or shrinks, replaces and time priority, the events and the return
 * bits (BBO exactly when the top of a side changes), directory and trading
 * state, pass-through trades. Error paths and sizes are in test_book_limits.
 */
#include "book_msg.h"

#include "wb_book_int.h"

#define L1 7
#define L2 8

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
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_params),    cmocka_unit_test(test_numa),
		cmocka_unit_test(test_add_levels), cmocka_unit_test(test_level_cache),
		cmocka_unit_test(test_levels_many), cmocka_unit_test(test_fifo),
		cmocka_unit_test(test_reduce),    cmocka_unit_test(test_replace),
		cmocka_unit_test(test_bbo_bits),  cmocka_unit_test(test_directory),
		cmocka_unit_test(test_trades),    cmocka_unit_test(test_ops),
		cmocka_unit_test(test_prices64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
