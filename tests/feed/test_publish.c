/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The publisher's directory entries as a client reads them from the region:
 * written for an instrument the book learnt only from an add (no directory
 * message), left alone while nothing about the instrument changes, and
 * rewritten by a directory message. The publisher decides whether to look
 * at an entry from flags of its own, without reading the entry's shadow on
 * every snapshot; this checks that those flags do not miss a change.
 * A PITCH feed's long names (options Symbol Mapping) in the entries: from a
 * mapping before the add, and after it (the entry rewritten), not rewritten
 * for a mapping re-sent.
 */
#include <stdatomic.h>

#include "wb_test.h"

#include "wb_feed.h"
#include "wb_itch50.h"
#include "wb_pitch.h"
#include "wb_publish.h"
#include "wb_shm.h"

#define DIR "/dev/shm"
#define LOC 7

static uint64_t seq;

/* One message as the rx loop gives it, then the burst end (snapshots). */
static void
feed_one(struct wb_feed *f, const struct wb_itch_msg *m)
{
	uint8_t buf[WB_ITCH_MAX_MSG_LEN];
	int n = wb_itch_encode(m, buf, sizeof(buf));

	assert_true(n > 0);
	assert_int_equal(wb_feed_message(f, buf, (size_t)n, ++seq, 0), 0);
	wb_feed_burst_end(f);
}

static struct wb_itch_msg
add(uint64_t ref, const char *stock)
{
	struct wb_itch_msg m;

	memset(&m, 0, sizeof(m));
	m.type = WB_ITCH_ADD_ORDER;
	m.stock_locate = LOC;
	m.timestamp = 34200000000000ull + ref;
	m.u.add.order_ref = ref;
	m.u.add.side = 'B';
	m.u.add.shares = 100;
	m.u.add.price = 1000000 - (uint32_t)ref * 100;
	m.u.add.stock = (const uint8_t *)stock;
	return m;
}

/*
 * What a test made, for the teardown to release: a failed assertion leaves
 * the test before its own cleanup, and the region would stay in DIR.
 */
struct pubdir {
	char name[48];
	struct wb_feed *f;
	struct wb_publisher *pub;
	struct wb_shm r; /* zeroed until attached: detach is then a no-op */
};

static int
setup(void **state)
{
	struct pubdir *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return -1;
	snprintf(t->name, sizeof(t->name), "t%d-pubdir", (int)getpid());
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct pubdir *t = *state;

	wb_shm_detach(&t->r);
	wb_publisher_destroy(t->pub);
	wb_feed_destroy(t->f);
	wb_shm_unlink(DIR, t->name);
	free(t);
	return 0;
}

/* A feed of the protocol, its publisher attached, and the region attached as a reader. */
static void
pub_open(struct pubdir *t, uint32_t protocol, unsigned int pitch_flags)
{
	struct wb_publish_params pp;
	struct wb_feed_params fp;

	wb_feed_params_default(&fp);
	fp.protocol = protocol;
	fp.pitch_flags = pitch_flags;
	fp.book.max_orders = 1024;
	fp.book.max_levels = 1024;
	fp.book.max_instruments = 64;
	t->f = wb_feed_create(&fp);
	assert_non_null(t->f);
	wb_publish_params_default(&pp);
	pp.name = t->name;
	pp.dir = DIR;
	pp.ring_slots = 1024;
	pp.depth = 4;
	pp.max_instruments = 64;
	t->pub = wb_publisher_create(&pp);
	assert_non_null(t->pub);
	assert_int_equal(wb_publisher_attach(t->pub, t->f), 0);
	assert_int_equal(wb_shm_attach(&t->r, DIR, t->name), 0);
}

static void
test_dir_entries(void **state)
{
	struct pubdir *t = *state;
	struct wb_itch_msg m;
	struct wb_shm *r = &t->r;
	uint32_t s;

	pub_open(t, WB_FEED_MOLD_ITCH50, 0);
	assert_int_equal(r->dir[LOC].known, 0);

	/* the first add names the instrument: its entry is written */
	m = add(1, "ABC     ");
	feed_one(t->f, &m);
	assert_int_equal(r->dir[LOC].known, 1);
	assert_string_equal(r->dir[LOC].symbol, "ABC");
	assert_int_equal(r->dir[LOC].price_exp, -4);
	s = atomic_load(&r->dir[LOC].seq);
	assert_int_equal(s & 1, 0);

	/* more adds change nothing in it: not rewritten */
	m = add(2, "ABC     ");
	feed_one(t->f, &m);
	m = add(3, "OTHER   ");
	feed_one(t->f, &m);
	assert_int_equal(atomic_load(&r->dir[LOC].seq), s);
	assert_string_equal(r->dir[LOC].symbol, "ABC");

	/* a directory message does */
	memset(&m, 0, sizeof(m));
	m.type = WB_ITCH_STOCK_DIRECTORY;
	m.stock_locate = LOC;
	m.u.stock_directory.stock = (const uint8_t *)"XYZ     ";
	m.u.stock_directory.market_category = 'Q';
	m.u.stock_directory.round_lot_size = 100;
	m.u.stock_directory.issue_subtype = (const uint8_t *)"  ";
	feed_one(t->f, &m);
	assert_true(atomic_load(&r->dir[LOC].seq) != s);
	assert_string_equal(r->dir[LOC].symbol, "XYZ");
	assert_int_equal(r->dir[LOC].market_category, 'Q');
	assert_int_equal(r->dir[LOC].round_lot_size, 100);

	/* an instrument no message named has none */
	assert_int_equal(r->dir[LOC + 1].known, 0);
	/* the mapping, publisher, feed and region go in teardown() */
}

/* One PITCH message in its own unsequenced unit (unit 33), then the burst end. */
static void
pitch_one(struct wb_feed *f, const struct wb_pitch_msg *m)
{
	uint8_t buf[64];
	int n = wb_pitch_encode(m, buf + WB_PITCH_HDR_LEN, sizeof(buf) - WB_PITCH_HDR_LEN);

	assert_true(n > 0);
	wb_pitch_put_hdr(buf, (uint16_t)(WB_PITCH_HDR_LEN + n), 1, 33, 0);
	assert_int_equal(
	    wb_feed_datagram(f, WB_FEED_LINE_A, buf, (size_t)(WB_PITCH_HDR_LEN + n), 0), 1);
	wb_feed_burst_end(f);
}

static struct wb_pitch_msg
pitch_map(const char *sym, const char *osi)
{
	struct wb_pitch_msg m;

	memset(&m, 0, sizeof(m));
	m.type = WB_PITCH_SYMBOL_MAPPING;
	m.u.symbol_mapping.feed_symbol = (const uint8_t *)sym;
	m.u.symbol_mapping.osi_symbol = (const uint8_t *)osi;
	m.u.symbol_mapping.symbol_condition = 'N';
	m.u.symbol_mapping.underlying = (const uint8_t *)"SPX     ";
	return m;
}

static struct wb_pitch_msg
pitch_add(uint64_t id, const char *sym)
{
	struct wb_pitch_msg m;

	memset(&m, 0, sizeof(m));
	m.type = WB_PITCH_ADD_SHORT;
	m.u.add.order_id = id;
	m.u.add.side = 'S';
	m.u.add.quantity = 5;
	m.u.add.symbol = (const uint8_t *)sym;
	m.u.add.price = 580;
	m.u.add.flags = 1;
	return m;
}

static int
all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++ != 0)
			return 0;
	return 1;
}

static void
test_long_names(void **state)
{
	static const char osi[] = "SPX   200619P00500000", osi2[] = "SPX   200619C00500000";
	struct pubdir *t = *state;
	struct wb_pitch_msg m;
	struct wb_shm *r = &t->r;
	uint32_t s;

	pub_open(t, WB_FEED_PITCH, WB_PITCH_SIGNED_PRICES);

	/* the mapping first: the entry is written with its long name */
	m = pitch_map("027wuE", osi);
	pitch_one(t->f, &m);
	assert_int_equal(r->dir[1].known, 1);
	assert_string_equal(r->dir[1].symbol, "027wuE");
	assert_string_equal(r->dir[1].long_name, osi);
	assert_true(all_zero(r->dir[1].pad, sizeof(r->dir[1].pad)));
	m = pitch_add(1, "027wuE");
	pitch_one(t->f, &m);
	assert_string_equal(r->dir[1].long_name, osi);
	assert_int_equal(r->dir[2].known, 0);

	/* the add first: no long name, then the mapping rewrites the entry */
	m = pitch_add(2, "028aaA");
	pitch_one(t->f, &m);
	assert_int_equal(r->dir[2].known, 1);
	assert_string_equal(r->dir[2].long_name, "");
	s = atomic_load(&r->dir[2].seq);
	m = pitch_map("028aaA", osi2);
	pitch_one(t->f, &m);
	assert_true(atomic_load(&r->dir[2].seq) != s);
	assert_int_equal(atomic_load(&r->dir[2].seq) & 1, 0);
	assert_string_equal(r->dir[2].symbol, "028aaA");
	assert_string_equal(r->dir[2].long_name, osi2);
	/* re-sent: the entry is left alone */
	s = atomic_load(&r->dir[2].seq);
	pitch_one(t->f, &m);
	assert_int_equal(atomic_load(&r->dir[2].seq), s);
	/* renamed: rewritten */
	m = pitch_map("028aaA", osi);
	pitch_one(t->f, &m);
	assert_true(atomic_load(&r->dir[2].seq) != s);
	assert_string_equal(r->dir[2].long_name, osi);
	assert_string_equal(r->dir[1].long_name, osi);
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dir_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_names, setup, teardown),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
