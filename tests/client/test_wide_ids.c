/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Instrument ids above 65,535, end to end: a PITCH feed (whose adapter
 * numbers symbols as they come, so a busy unit set can pass the 65,536
 * ITCH locates) with 65,600 symbols, published into a region of 70,000
 * instruments, read back through the SDK: the directory size, a lookup of
 * the last symbol, its directory entry and book, its long name from an
 * options Symbol Mapping through wb_client_instrument() (and not into a
 * WIREBOOK_2.0 caller's smaller struct), and a subscription to that
 * symbol alone, whose events must be delivered and no other's. Before it,
 * the region at that size (every entry addressable) and the bounds of its
 * size.
 */
#include "wb_test.h"

#include "pubdrv.h"
#include "wb_pitch.h"
#include "wb_shm.h"
#include "wirebook/wirebook.h"

#define NINST 70000u
#define NSYM 65600u
#define PER_UNIT 50u /* adds in one Sequenced Unit */
#define OSI "WXYZ  261218C01234500" /* an option's OSI symbol, inner spaces in it */

struct wide {
	struct wb_feed *feed;
	struct wb_publisher *pub;
	uint8_t buf[1500];
	size_t len;
	uint8_t count;
	uint32_t seq; /* unit 1's next sequence number */
	char name[32];
};

/* Symbol i: 'W' and five letters, as PITCH pads it to six. */
static void
sym_name(char out[7], uint32_t i)
{
	int k;

	out[0] = 'W';
	for (k = 5; k >= 1; k--) {
		out[k] = (char)('A' + i % 26);
		i /= 26;
	}
	out[6] = '\0';
}

static void
unit_send(struct wide *w)
{
	if (w->count == 0)
		return;
	wb_pitch_put_hdr(w->buf, (uint16_t)w->len, w->count, 1, w->seq);
	assert_int_equal(wb_feed_datagram(w->feed, WB_FEED_LINE_A, w->buf, w->len, wb_rdtsc()),
			 w->count);
	wb_feed_burst_end(w->feed);
	w->seq += w->count;
	w->len = WB_PITCH_HDR_LEN;
	w->count = 0;
}

/* A displayed 100-share buy at $10.00 (+ i cents) for symbol sym. */
static void
unit_add(struct wide *w, uint64_t order, const char *sym, uint32_t i)
{
	struct wb_pitch_msg m;
	int n;

	memset(&m, 0, sizeof(m));
	m.type = WB_PITCH_ADD_SHORT;
	m.u.add.order_id = order;
	m.u.add.side = 'B';
	m.u.add.quantity = 100;
	m.u.add.symbol = (const uint8_t *)sym;
	m.u.add.price = 1000 + i % 100;
	m.u.add.flags = 1;
	n = wb_pitch_encode(&m, w->buf + w->len, sizeof(w->buf) - w->len);
	assert_true(n > 0);
	w->len += (size_t)n;
	if (++w->count == PER_UNIT)
		unit_send(w);
}

/* An unsequenced unit (sequence 0) with one Symbol Mapping: sym's OSI symbol. */
static void
unit_map(struct wide *w, const char *sym, const char *osi)
{
	struct wb_pitch_msg m;
	uint8_t buf[64];
	int n;

	memset(&m, 0, sizeof(m));
	m.type = WB_PITCH_SYMBOL_MAPPING;
	m.u.symbol_mapping.feed_symbol = (const uint8_t *)sym;
	m.u.symbol_mapping.osi_symbol = (const uint8_t *)osi;
	m.u.symbol_mapping.symbol_condition = 'N';
	m.u.symbol_mapping.underlying = (const uint8_t *)"W       ";
	n = wb_pitch_encode(&m, buf + WB_PITCH_HDR_LEN, sizeof(buf) - WB_PITCH_HDR_LEN);
	assert_int_equal(n, 38);
	wb_pitch_put_hdr(buf, (uint16_t)(WB_PITCH_HDR_LEN + n), 1, 1, 0);
	assert_int_equal(wb_feed_datagram(w->feed, WB_FEED_LINE_A, buf,
					  (size_t)(WB_PITCH_HDR_LEN + n), wb_rdtsc()),
			 1);
	wb_feed_burst_end(w->feed);
}

static void
wide_init(struct wide *w)
{
	struct wb_publish_params pp;
	struct wb_feed_params fp;
	struct wb_pitch_msg t;
	char sym[7];
	uint32_t i;
	int n;

	memset(w, 0, sizeof(*w));
	wb_feed_params_default(&fp);
	fp.protocol = WB_FEED_PITCH;
	fp.book.max_orders = 1u << 17;
	fp.book.max_levels = 1u << 17;
	fp.book.max_instruments = NINST;
	w->feed = wb_feed_create(&fp);
	assert_non_null(w->feed);
	pubdrv_name(w->name, sizeof(w->name), "wide");
	wb_publish_params_default(&pp);
	pp.name = w->name;
	pp.dir = PUBDRV_DIR;
	pp.ring_slots = 1u << 16;
	pp.depth = 4;
	pp.max_instruments = NINST;
	w->pub = wb_publisher_create(&pp);
	if (w->pub == NULL)
		fail_msg("publisher: %s", wb_err_msg());
	assert_int_equal(wb_publisher_attach(w->pub, w->feed), 0);
	w->seq = 1;
	w->len = WB_PITCH_HDR_LEN;
	memset(&t, 0, sizeof(t));
	t.type = WB_PITCH_TIME;
	t.u.time.seconds = 34200;
	n = wb_pitch_encode(&t, w->buf + w->len, sizeof(w->buf) - w->len);
	assert_true(n > 0);
	w->len += (size_t)n;
	w->count = 1;
	for (i = 0; i < NSYM; i++) {
		sym_name(sym, i);
		unit_add(w, i + 1, sym, i);
	}
	unit_send(w);
	wb_publisher_set_state(w->pub, WB_SHM_STATE_LIVE);
	wb_publisher_heartbeat(w->pub);
}

static void
wide_fini(struct wide *w)
{
	wb_publisher_destroy(w->pub);
	wb_feed_destroy(w->feed);
	pubdrv_unlink(w->name);
}

struct seen {
	uint32_t want;
	uint64_t want_events, other_events;
};

static void
on_event(void *ctx, const struct wb_event *ev)
{
	struct seen *s = ctx;

	if (ev->instrument == s->want)
		s->want_events++;
	else if (ev->instrument != 0)
		s->other_events++;
}

static void
test_wide_ids(void **state)
{
	struct wb_client_opts o = WB_CLIENT_OPTS_INIT;
	struct wb_client_instrument in = WB_CLIENT_INSTRUMENT_INIT;
	struct wb_client_book b = WB_CLIENT_BOOK_INIT;
	struct seen s = {0};
	struct wb_client *c;
	char last[7], first[7];
	unsigned char old[sizeof(struct wb_client_instrument) + 16];
	uint32_t size;
	int id, first_id, n, polls;
	static struct wide w;

	(void)state;
	wide_init(&w);
	o.dir = PUBDRV_DIR;
	c = wb_client_open(w.name, &o);
	assert_non_null(c);
	assert_int_equal(wb_client_max_instruments(c), NINST);
	sym_name(last, NSYM - 1);
	sym_name(first, 0);
	id = wb_client_lookup(c, last);
	first_id = wb_client_lookup(c, first);
	assert_true(id > 65535);
	assert_true(first_id > 0 && first_id < 65536);
	/* the directory entry and the book at that id */
	assert_int_equal(wb_client_instrument(c, (uint32_t)id, &in), 0);
	assert_int_equal(in.id, (uint32_t)id);
	assert_string_equal(in.symbol, last);
	assert_int_equal(in.price_exp, -4); /* the adapter's, for every PITCH price */
	assert_int_equal(wb_client_book(c, (uint32_t)id, &b), 0);
	assert_int_equal(b.instrument, (uint32_t)id);
	assert_string_equal(b.symbol, last);
	assert_int_equal(b.nbid, 1);
	assert_int_equal(b.nask, 0);
	assert_int_equal(b.bid[0].price, (1000 + (NSYM - 1) % 100) * 100);
	assert_int_equal(b.bid[0].shares, 100);
	/* no long name until its Symbol Mapping, then the OSI symbol as sent */
	assert_string_equal(in.long_name, "");
	unit_map(&w, last, OSI);
	assert_int_equal(wb_client_instrument(c, (uint32_t)id, &in), 0);
	assert_string_equal(in.long_name, OSI);
	assert_string_equal(in.symbol, last);
	assert_int_equal(in.size, sizeof(in));
	/* a WIREBOOK_2.0 caller (24 bytes, its struct ended inside long_name):
	 * its fields, zeroes in what was its padding, nothing past its size */
	memset(old, 0xA5, sizeof(old));
	size = 24;
	memcpy(old, &size, 4);
	assert_int_equal(wb_client_instrument(c, (uint32_t)id, (void *)old), 0);
	assert_int_equal(((struct wb_client_instrument *)(void *)old)->id, (uint32_t)id);
	assert_string_equal(((struct wb_client_instrument *)(void *)old)->symbol, last);
	assert_int_equal(((struct wb_client_instrument *)(void *)old)->size, 24);
	assert_int_equal(old[21] | old[22] | old[23], 0);
	assert_int_equal(old[24], 0xA5);
	/* a later caller's larger struct: the name, zeroes past what this library knows */
	memset(old, 0xA5, sizeof(old));
	size = (uint32_t)sizeof(in) + 8;
	memcpy(old, &size, 4);
	assert_int_equal(wb_client_instrument(c, (uint32_t)id, (void *)old), 0);
	assert_string_equal(((struct wb_client_instrument *)(void *)old)->long_name, OSI);
	for (n = 0; n < 8; n++)
		assert_int_equal(old[sizeof(in) + (size_t)n], 0);
	assert_int_equal(old[sizeof(in) + 8], 0xA5);
	/* a subscription to that symbol alone: its events, no other's */
	assert_int_equal(wb_client_subscribe(c, last), 0);
	while (wb_client_poll(c, on_event, &s, 1024) > 0) /* what was published before */
		;
	s.want = (uint32_t)id;
	s.want_events = s.other_events = 0;
	unit_add(&w, NSYM + 1, first, 0);
	unit_add(&w, NSYM + 2, last, NSYM - 1); /* at its first order's price */
	unit_send(&w);
	for (polls = 0; polls < 100 && (n = wb_client_poll(c, on_event, &s, 1024)) >= 0; polls++)
		if (n == 0 && s.want_events != 0)
			break;
	assert_true(s.want_events > 0);
	assert_int_equal(s.other_events, 0);
	assert_int_equal(wb_client_book(c, (uint32_t)id, &b), 0);
	assert_int_equal(b.nbid, 1);
	assert_int_equal(b.bid[0].orders, 2);
	wb_client_close(c);
	wide_fini(&w);
}

/*
 * More instruments than ITCH's 65,536 locates (a PITCH adapter numbers
 * symbols as they come): the directory and snapshots scale with them, every
 * entry addressable; above WB_SHM_MAX_INSTRUMENTS, or a region above
 * WB_SHM_MAX_REGION, is refused naming max_instruments; a header claiming
 * more than the bound is refused at attach.
 */
static void
test_region_size(void **state)
{
	const uint32_t n = 70000;
	struct wb_shm_params p;
	struct wb_shm_layout l;
	struct wb_shm w, r;
	char name[32];

	(void)state;
	pubdrv_name(name, sizeof(name), "many");
	memset(&p, 0, sizeof(p));
	p.name = name;
	p.dir = PUBDRV_DIR;
	p.ring_slots = 1024;
	p.depth = 10;
	p.max_instruments = n;
	p.gid = (int)getgid();
	p.numa_node = -1;
	assert_int_equal(wb_shm_create(&w, &p), 0);
	assert_int_equal(wb_shm_attach(&r, PUBDRV_DIR, name), 0);
	assert_int_equal(r.max_instruments, n);
	assert_int_equal(r.hdr->max_instruments, n);
	assert_int_equal(r.dir[n - 1].instrument, n - 1);
	assert_int_equal(wb_shm_snap_at(&r, n - 1)->instrument, n - 1);
	assert_true(r.hdr->snap_off >= r.hdr->dir_off + (uint64_t)n * sizeof(struct wb_shm_dir));
	assert_true(r.hdr->ring_off >= r.hdr->snap_off + (uint64_t)n * r.hdr->snap_stride);
	wb_shm_detach(&r);
	/* a header claiming more than the bound: refused, not trusted */
	w.hdr->max_instruments = WB_SHM_MAX_INSTRUMENTS + 1;
	assert_int_equal(wb_shm_attach(&r, PUBDRV_DIR, name), -EPROTO);
	wb_shm_detach(&w);
	pubdrv_unlink(name);

	p.max_instruments = WB_SHM_MAX_INSTRUMENTS + 1;
	assert_int_equal(wb_shm_create(&w, &p), -EINVAL);
	assert_non_null(strstr(wb_err_msg(), "max_instruments"));
	/* the bound itself at the deepest snapshots: 53 GB, over the size cap */
	p.max_instruments = WB_SHM_MAX_INSTRUMENTS;
	p.depth = WB_SHM_MAX_DEPTH;
	assert_int_equal(wb_shm_layout(&p, 4096, &l), -EFBIG);
	assert_non_null(strstr(wb_err_msg(), "max_instruments 16777216"));
	assert_int_equal(wb_shm_create(&w, &p), -EFBIG);
	assert_int_equal(wb_shm_attach(&r, PUBDRV_DIR, name), -ENOENT);
	/* and at depth 10: 10 GB, within it (computed, not created) */
	p.depth = 10;
	assert_int_equal(wb_shm_layout(&p, 4096, &l), 0);
	assert_true(l.size > (10ull << 30) && l.size <= WB_SHM_MAX_REGION);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_region_size),
	    cmocka_unit_test(test_wide_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
