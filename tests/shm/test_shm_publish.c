/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A real feed and publisher (pubdrv.h) and the SDK reading their region in
 * the same process: snapshots equal to the book (at the end and after every
 * burst), by-symbol subscriptions, a MoldUDP64 gap -> stale, and the
 * header's gap count.
 */
#include "wb_test.h"

#include <errno.h>

#include "shm_test.h"
#include "wb_moldudp64.h"
#include "wirebook/wirebook.h"

/* One side of a snapshot equals the book's top 10 of that side. */
static void
check_snapshot_side(const struct wb_book *b, uint16_t loc, uint8_t side,
		    const struct wb_client_level *got, uint32_t ngot)
{
	struct wb_level_info lv[10];
	unsigned int i, n;

	n = wb_book_levels(b, loc, side, lv, 10);
	assert_int_equal(ngot, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(got[i].price, lv[i].price);
		assert_int_equal(got[i].orders, lv[i].orders);
		assert_true(got[i].shares == lv[i].shares);
	}
}

/* Snapshot of loc equals the book's top 10, both sides. */
static void
check_snapshot(struct wb_client *c, struct pubdrv *d, struct wb_client_book *cb, uint16_t loc)
{
	assert_int_equal(wb_client_book(c, loc, cb), 0);
	check_snapshot_side(wb_feed_book(d->feed), loc, 'B', cb->bid, cb->nbid);
	check_snapshot_side(wb_feed_book(d->feed), loc, 'S', cb->ask, cb->nask);
}

/*
 * After every burst, not only at the end: the publisher rewrites only the
 * sides a burst touched (and nothing below a full side's 10th level), so a
 * side it wrongly left alone would show here as soon as it went stale.
 */
static void
test_snapshots_every_burst(void **state)
{
	struct wb_client_opts o;
	struct wb_client_book *cb;
	struct wb_client *c;
	struct pubdrv d;
	char name[32];
	unsigned int b, loc, checked = 0;

	(void)state;
	pubdrv_name(name, sizeof(name), "burst");
	assert_int_equal(pubdrv_init(&d, name, 1u << 12, 12000, 11), 0);
	wb_client_opts_default(&o);
	o.dir = PUBDRV_DIR;
	cb = malloc(sizeof(*cb));
	assert_non_null(cb);
	cb->size = sizeof(*cb);
	pubdrv_run(&d, 2000, 32); /* the directory and some depth first */
	c = wb_client_open(name, &o);
	assert_non_null(c);
	for (b = 0; b < 300; b++) {
		assert_int_equal(pubdrv_run(&d, 32, 32), 32);
		for (loc = 0; loc < 1024; loc++) {
			if (!wb_book_instrument(wb_feed_book(d.feed), (uint16_t)loc)->known)
				continue;
			check_snapshot(c, &d, cb, (uint16_t)loc);
			checked++;
		}
	}
	assert_true(checked >= 300 * 40);
	free(cb);
	wb_client_close(c);
	pubdrv_fini(&d);
}

/* Every snapshot equals the publisher's book, level by level. */
static void
test_snapshots_equal_book(void **state)
{
	struct wb_level_info lv[10];
	struct wb_client_opts o;
	struct wb_client_book *cb;
	struct wb_client *c;
	struct pubdrv d;
	char name[32];
	unsigned int loc, i, n, checked = 0;

	(void)state;
	pubdrv_name(name, sizeof(name), "snap");
	assert_int_equal(pubdrv_init(&d, name, 1u << 12, 30000, 7), 0);
	pubdrv_run(&d, 30000, 32);
	wb_client_opts_default(&o);
	o.dir = PUBDRV_DIR;
	c = wb_client_open(name, &o);
	assert_non_null(c);
	cb = malloc(sizeof(*cb));
	assert_non_null(cb);
	cb->size = sizeof(*cb);
	for (loc = 0; loc < 1024; loc++) {
		int rc = wb_client_book(c, (uint16_t)loc, cb);

		if (!wb_book_instrument(wb_feed_book(d.feed), (uint16_t)loc)->known) {
			assert_int_equal(rc, -ENOENT);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_string_equal(cb->symbol, wb_gen_symbol(d.gen, (uint16_t)loc));
		assert_int_equal(wb_client_lookup(c, cb->symbol), (int)loc);
		/* the directory entry carries the feed's venue and ITCH's exponent */
		assert_int_equal(cb->instrument, loc);
		assert_int_equal(cb->venue, WB_VENUE_NASDAQ);
		assert_int_equal(cb->price_exp, -4);
		n = wb_book_levels(wb_feed_book(d.feed), (uint16_t)loc, 'B', lv, 10);
		assert_int_equal(cb->nbid, n);
		for (i = 0; i < n; i++) {
			assert_int_equal(cb->bid[i].price, lv[i].price);
			assert_int_equal(cb->bid[i].orders, lv[i].orders);
			assert_true(cb->bid[i].shares == lv[i].shares);
		}
		n = wb_book_levels(wb_feed_book(d.feed), (uint16_t)loc, 'S', lv, 10);
		assert_int_equal(cb->nask, n);
		for (i = 0; i < n; i++) {
			assert_int_equal(cb->ask[i].price, lv[i].price);
			assert_true(cb->ask[i].shares == lv[i].shares);
		}
		assert_true(cb->last_seq > 0 && cb->last_seq <= 30000);
		checked++;
	}
	assert_true(checked >= 40);
	assert_int_equal(wb_client_lookup(c, "NOSUCH"), -ENOENT);
	free(cb);
	wb_client_close(c);
	pubdrv_fini(&d);
}

struct filter_ctx {
	uint16_t a, b;
	uint64_t count, bad;
};

static void
filter_cb(void *ctx, const struct wb_event *ev)
{
	struct filter_ctx *f = ctx;

	f->count++;
	if (ev->instrument != f->a && ev->instrument != f->b)
		f->bad++;
}

static uint64_t
ring_count(const struct wb_shm *shm, uint64_t from, uint64_t to, uint16_t a, uint16_t b)
{
	struct wb_event ev;
	uint64_t n = 0;

	for (; from < to; from++) {
		assert_int_equal(wb_shm_ring_read(shm->ring, shm->ring_mask, from, &ev),
				 WB_SHM_RING_EVENT);
		n += ev.instrument == a || ev.instrument == b;
	}
	return n;
}

/* By-symbol subscriptions: pending until the directory names the symbol. */
static void
test_subscribe_filter(void **state)
{
	struct filter_ctx fc = {3, 3, 0, 0};
	struct wb_client_opts o;
	struct wb_client *c;
	struct pubdrv d;
	char name[32];
	uint64_t t1, t2;

	(void)state;
	pubdrv_name(name, sizeof(name), "sub");
	assert_int_equal(pubdrv_init(&d, name, 1u << 16, 6000, 21), 0);
	wb_client_opts_default(&o);
	o.dir = PUBDRV_DIR;
	c = wb_client_open(name, &o);
	assert_non_null(c);
	assert_int_equal(wb_client_subscribe(c, "TOOLONGSYM"), -EINVAL);
	/* the directory is still empty: resolved when its R message comes */
	assert_int_equal(wb_client_subscribe(c, wb_gen_symbol(d.gen, 3)), 0);
	assert_int_equal(wb_client_subscribe(c, wb_gen_symbol(d.gen, 3)), 0);
	pubdrv_run(&d, 3000, 16);
	t1 = wb_publisher_events(d.pub);
	while (wb_client_poll(c, filter_cb, &fc, 100) != 0)
		;
	assert_true(fc.count > 10);
	assert_true(fc.bad == 0);
	assert_true(fc.count == ring_count(wb_publisher_shm(d.pub), 0, t1, 3, 3));
	/* a symbol already in the directory is resolved at once */
	fc.b = 7;
	fc.count = 0;
	assert_int_equal(wb_client_subscribe(c, wb_gen_symbol(d.gen, 7)), 0);
	pubdrv_run(&d, 3000, 16);
	t2 = wb_publisher_events(d.pub);
	while (wb_client_poll(c, filter_cb, &fc, 100) != 0)
		;
	assert_true(fc.bad == 0);
	assert_true(fc.count == ring_count(wb_publisher_shm(d.pub), t1, t2, 3, 7));
	assert_true(ring_count(wb_publisher_shm(d.pub), t1, t2, 7, 7) > 10);
	wb_client_close(c);
	pubdrv_fini(&d);
}

/* A MoldUDP64 gap marks the feed and every instrument stale. */
static void
test_gap_marks_stale(void **state)
{
	static const uint8_t sess[WB_MOLD_SESSION_LEN] = "SESSION001";
	uint8_t pkt[WB_MOLD_HDR_LEN + 2 + WB_ITCH_MAX_MSG_LEN];
	struct wb_client_status st = WB_CLIENT_STATUS_INIT;
	struct wb_client_opts o;
	struct wb_client *c;
	struct pubdrv d;
	char name[32];
	unsigned int len, i;
	uint64_t seq = 1;

	(void)state;
	pubdrv_name(name, sizeof(name), "gap");
	assert_int_equal(pubdrv_init(&d, name, 1u << 12, 2000, 3), 0);
	wb_client_opts_default(&o);
	o.dir = PUBDRV_DIR;
	c = wb_client_open(name, &o);
	assert_non_null(c);
	for (i = 0; i < 400; i++) {
		len = wb_gen_next(d.gen, pkt + WB_MOLD_HDR_LEN + 2);
		assert_true(len > 0);
		if (i == 300)
			seq += 5; /* five messages lost */
		wb_mold_put_hdr(pkt, sess, seq++, 1);
		wb_put_be16(pkt + WB_MOLD_HDR_LEN, (uint16_t)len);
		wb_feed_datagram(d.feed, 0, pkt, WB_MOLD_HDR_LEN + 2 + len, wb_rdtsc());
		wb_feed_burst_end(d.feed);
		wb_publisher_heartbeat(d.pub);
		if (i == 299) {
			assert_int_equal(wb_client_status(c, &st), 0);
			assert_int_equal(st.feed_stale, 0);
		}
	}
	/* the daemon's tick: the reorder window ends, the gap is declared */
	wb_feed_tick(d.feed, UINT64_MAX);
	assert_int_equal(wb_client_status(c, &st), 0);
	assert_int_equal(st.feed_stale, 1);
	assert_int_equal(st.stale_instruments, 50);
	assert_int_equal(st.channels, 1);
	wb_client_close(c);
	pubdrv_fini(&d);
}

/*
 * The header counts every gap: a gap while the feed is already stale
 * counted nothing before (the header read 1 after 364 gaps).
 */
static void
test_header_counts_gaps(void **state)
{
	static const uint8_t sess[WB_MOLD_SESSION_LEN] = "SESSION001";
	uint8_t pkt[WB_MOLD_HDR_LEN + 2 + WB_ITCH_MAX_MSG_LEN];
	const struct wb_shm *shm;
	struct pubdrv d;
	char name[32];
	unsigned int len, i;
	uint64_t seq = 1, gaps;

	(void)state;
	pubdrv_name(name, sizeof(name), "gaps");
	assert_int_equal(pubdrv_init(&d, name, 1u << 12, 2000, 3), 0);
	shm = wb_publisher_shm(d.pub);
	for (i = 0; i < 400; i++) {
		len = wb_gen_next(d.gen, pkt + WB_MOLD_HDR_LEN + 2);
		assert_true(len > 0);
		if (i >= 100 && i % 10 == 0)
			seq += 2; /* 30 gaps of two messages */
		wb_mold_put_hdr(pkt, sess, seq++, 1);
		wb_put_be16(pkt + WB_MOLD_HDR_LEN, (uint16_t)len);
		wb_feed_datagram(d.feed, 0, pkt, WB_MOLD_HDR_LEN + 2 + len, wb_rdtsc());
		wb_feed_burst_end(d.feed);
	}
	/* the reorder window may still hold the last holes: end of input */
	wb_feed_expire(d.feed, wb_rdtsc());
	gaps = wb_feed_session_stats(d.feed)->gaps;
	assert_int_equal(gaps, 30);
	assert_int_equal(atomic_load(&shm->hdr->gaps), gaps);
	assert_int_equal(atomic_load(&shm->chan[0].gaps), gaps);
	pubdrv_fini(&d);
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snapshots_equal_book),
		cmocka_unit_test(test_snapshots_every_burst),
		cmocka_unit_test(test_subscribe_filter),
		cmocka_unit_test(test_gap_marks_stale),
		cmocka_unit_test(test_header_counts_gaps),
	};
	/* clang-format on */

	if (shm_test_skip())
		return WB_TEST_SKIP;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
