/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The generator: deterministic per seed, every message decodes, the order
 * flow is coherent (through the book: no unknown refs, no overfills, no
 * duplicate adds), and the mix looks like a trading day.
 */
#include "wb_test.h"

#include "wb_feed.h"
#include "wb_gen.h"

static uint64_t
fnv(uint64_t h, const uint8_t *p, size_t n)
{
	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

static uint64_t
stream_hash(uint64_t seed, uint64_t n)
{
	struct wb_gen_params p;
	struct wb_gen *g;
	uint8_t buf[WB_ITCH_MAX_MSG_LEN];
	uint64_t h = 0xcbf29ce484222325ull, count = 0;
	unsigned int len;

	wb_gen_params_default(&p);
	p.seed = seed;
	p.messages = n;
	p.instruments = 50;
	p.target_orders = 2000;
	g = wb_gen_create(&p);
	assert_non_null(g);
	while ((len = wb_gen_next(g, buf)) != 0) {
		h = fnv(h, buf, len);
		count++;
	}
	assert_int_equal(count, n);
	wb_gen_destroy(g);
	return h;
}

static void
test_deterministic(void **state)
{
	(void)state;
	assert_true(stream_hash(1, 20000) == stream_hash(1, 20000));
	assert_true(stream_hash(1, 20000) != stream_hash(2, 20000));
}

static void
test_coherent_flow(void **state)
{
	struct wb_gen_params p;
	struct wb_feed_params fp;
	struct wb_feed *f;
	struct wb_gen *g;
	const struct wb_feed_stats *fs;
	const struct wb_book_stats *bs;
	uint8_t buf[WB_ITCH_MAX_MSG_LEN];
	unsigned int len;
	uint64_t seq = 0;
	double adds, dels, n;

	(void)state;
	wb_gen_params_default(&p);
	p.seed = 42;
	p.messages = 300000;
	p.instruments = 200;
	p.target_orders = 20000;
	g = wb_gen_create(&p);
	assert_non_null(g);
	wb_feed_params_default(&fp);
	fp.book.max_orders = 1u << 16;
	fp.book.max_levels = 1u << 16;
	f = wb_feed_create(&fp);
	assert_non_null(f);
	while ((len = wb_gen_next(g, buf)) != 0)
		assert_int_equal(wb_feed_message(f, buf, len, ++seq, 0), 0);
	fs = wb_feed_stats(f);
	bs = wb_book_stats(wb_feed_book(f));
	assert_int_equal(fs->messages, p.messages);
	assert_int_equal(bs->unknown_ref, 0);
	assert_int_equal(bs->overfill, 0);
	assert_int_equal(bs->duplicate_ref, 0);
	assert_int_equal(bs->orders_full + bs->levels_full, 0);
	assert_int_equal(fs->by_type[wb_itch_type_index('R')], p.instruments);
	/* Steady state around the target, and a day-like mix. */
	assert_true(bs->live_orders > p.target_orders / 2 && bs->live_orders < p.target_orders * 2);
	n = (double)fs->messages;
	adds =
	    (double)(fs->by_type[wb_itch_type_index('A')] + fs->by_type[wb_itch_type_index('F')]);
	dels = (double)fs->by_type[wb_itch_type_index('D')];
	assert_true(adds / n > 0.35 && adds / n < 0.60);
	assert_true(dels / n > 0.25 && dels / n < 0.50);
	assert_true(fs->by_type[wb_itch_type_index('U')] > 0);
	assert_true(fs->by_type[wb_itch_type_index('E')] > 0);
	assert_true(fs->by_type[wb_itch_type_index('C')] > 0);
	assert_true(fs->by_type[wb_itch_type_index('X')] > 0);
	assert_true(fs->by_type[wb_itch_type_index('P')] > 0);
	/* Skewed activity: the busiest instrument has many more levels than most. */
	assert_true(wb_book_depth(wb_feed_book(f), 1, 'B') >
		    wb_book_depth(wb_feed_book(f), 150, 'B'));
	wb_feed_destroy(f);
	wb_gen_destroy(g);
}

/*
 * The PITCH lifecycle: a replace keeps the order's reference (a Modify), the
 * flow stays coherent through the book, and after every execution
 * wb_gen_remaining() is what the book has left on that order.
 */
static void
test_replace_keeps_ref(void **state)
{
	struct wb_gen_params p;
	struct wb_feed_params fp;
	struct wb_order_info oi;
	struct wb_itch_msg m;
	struct wb_feed *f;
	struct wb_gen *g;
	const struct wb_book_stats *bs;
	uint8_t buf[WB_ITCH_MAX_MSG_LEN];
	unsigned int len, replaces = 0, execs = 0, partial = 0;
	uint64_t seq = 0;

	(void)state;
	wb_gen_params_default(&p);
	p.seed = 7;
	p.messages = 100000;
	p.instruments = 100;
	p.target_orders = 5000;
	p.replace_keeps_ref = 1;
	g = wb_gen_create(&p);
	assert_non_null(g);
	wb_feed_params_default(&fp);
	fp.book.max_orders = 1u << 15;
	fp.book.max_levels = 1u << 15;
	f = wb_feed_create(&fp);
	assert_non_null(f);
	while ((len = wb_gen_next(g, buf)) != 0) {
		assert_int_equal(wb_itch_decode(buf, len, &m), (int)len);
		assert_int_equal(wb_feed_message(f, buf, len, ++seq, 0), 0);
		if (m.type == 'U') {
			assert_true(m.u.replace.orig_order_ref == m.u.replace.new_order_ref);
			replaces++;
		} else if (m.type == 'E' || m.type == 'C') {
			uint64_t ref =
			    m.type == 'E' ? m.u.executed.order_ref : m.u.executed_price.order_ref;

			execs++;
			if (wb_gen_remaining(g) == 0) {
				assert_int_not_equal(wb_book_order(wb_feed_book(f), ref, &oi), 0);
			} else {
				assert_int_equal(wb_book_order(wb_feed_book(f), ref, &oi), 0);
				assert_int_equal(oi.shares, wb_gen_remaining(g));
				partial++;
			}
		}
	}
	bs = wb_book_stats(wb_feed_book(f));
	assert_int_equal(bs->unknown_ref, 0);
	assert_int_equal(bs->overfill, 0);
	assert_int_equal(bs->duplicate_ref, 0);
	assert_true(replaces > 0 && execs > 0 && partial > 0 && partial < execs);
	wb_feed_destroy(f);
	wb_gen_destroy(g);
}

static void
test_bad_params(void **state)
{
	struct wb_gen_params p;

	(void)state;
	wb_gen_params_default(&p);
	p.instruments = 0;
	assert_null(wb_gen_create(&p));
	p.instruments = 70000;
	assert_null(wb_gen_create(&p));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_deterministic),
	    cmocka_unit_test(test_coherent_flow),
	    cmocka_unit_test(test_replace_keeps_ref),
	    cmocka_unit_test(test_bad_params),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
