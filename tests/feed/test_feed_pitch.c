/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A PITCH feed (wb_feed_pitch.h) on hand-built Sequenced Units: events and
 * their (unit << 32) | sequence numbers and times, BBO events, A/B
 * duplicates, a gap in one unit without a reorder window (its event, that
 * unit's instruments stale and no other's, a Unit Clear making them whole),
 * a unit whose numbering restarts (with and without the reorder window), packet errors, padding,
 * unknown types; then the real Cboe captures of tests/data/cboe/pitch
 * through the feed, whose counts of messages applied and skipped must be
 * the decoder's.
 */
#include "wb_test.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>

#include "pitch_unit.h"
#include "wb_feed_pitch.h"
#include "wb_net.h"
#include "wb_pcap.h"

static struct wb_pitch_msg
m_add(uint64_t id, uint8_t side, uint32_t qty, const char *sym, int64_t px2, uint32_t off)
{
	struct wb_pitch_msg m;

	memset(&m, 0, sizeof(m));
	m.type = WB_PITCH_ADD_SHORT;
	m.time_offset = off;
	m.u.add.order_id = id;
	m.u.add.side = side;
	m.u.add.quantity = qty;
	m.u.add.symbol = (const uint8_t *)sym;
	m.u.add.price = px2;
	m.u.add.flags = 1;
	return m;
}

static struct wb_pitch_msg
m_type(uint8_t type)
{
	struct wb_pitch_msg m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	return m;
}

#define MAXEV 64
static struct wb_event evs[MAXEV];
static unsigned int nev;

static void
on_event(void *ctx, const struct wb_event *ev)
{
	(void)ctx;
	assert_true(nev < MAXEV);
	evs[nev++] = *ev;
}

/* hold_packets 0: no reorder window, a gap is declared at once (test_pitch_faults has the window). */
static struct wb_feed *
pitch_feed_hold(unsigned int flags, uint32_t hold_packets)
{
	nev = 0;
	return pitch_feed_new(flags, hold_packets, on_event);
}

static struct wb_feed *
pitch_feed(unsigned int flags)
{
	return pitch_feed_hold(flags, WB_FEED_HOLD_PACKETS);
}

#define SEQ(unit, s) (((uint64_t)(unit) << 32) | (s))

static void
test_events(void **state)
{
	struct wb_feed *f = pitch_feed(0);
	struct wb_pitch_msg m;
	struct ub u;

	(void)state;
	ub_start(&u);
	m = m_time(34200);
	ub_msg(&u, &m);
	m = m_add(10, 'B', 100, "AAPL  ", 1000, 7);
	ub_msg(&u, &m);
	m = m_add(11, 'S', 200, "AAPL  ", 1005, 9);
	ub_msg(&u, &m);
	assert_int_equal(wb_feed_datagram(f, WB_FEED_LINE_A, ub_finish(&u, 1, 1), u.len, 555), 3);
	wb_feed_burst_end(f);
	/* directory, add, BBO, add, BBO */
	assert_int_equal(nev, 5);
	assert_int_equal(evs[0].type, WB_EV_DIRECTORY);
	assert_int_equal(evs[0].seq, SEQ(1, 2));
	assert_int_equal(evs[1].type, WB_EV_ADD);
	assert_int_equal(evs[1].seq, SEQ(1, 2));
	assert_int_equal(evs[1].instrument, 1);
	assert_int_equal(evs[1].side, 'B');
	assert_int_equal(evs[1].u.order.ref, 10);
	assert_int_equal(evs[1].u.order.price, 100000); /* 10.00 at -4 */
	assert_int_equal(evs[1].exch_ts, 34200000000007ull);
	assert_int_equal(evs[1].rx_tsc, 555);
	assert_int_equal(evs[2].type, WB_EV_BBO);
	assert_int_equal(evs[3].type, WB_EV_ADD);
	assert_int_equal(evs[3].seq, SEQ(1, 3));
	assert_int_equal(evs[3].exch_ts, 34200000000009ull);
	assert_int_equal(evs[4].type, WB_EV_BBO);
	assert_int_equal(evs[4].u.bbo.bid_px, 100000);
	assert_int_equal(evs[4].u.bbo.ask_px, 100500);
	assert_string_equal(wb_book_instrument(wb_feed_book(f), 1)->symbol, "AAPL");
	assert_int_equal(wb_feed_stats(f)->messages, 3);
	assert_int_equal(wb_feed_pitch_stats(f)->ops, 3);

	/* the B line's copy: nothing new */
	nev = 0;
	assert_int_equal(wb_feed_datagram(f, WB_FEED_LINE_B, u.buf, u.len, 556), 0);
	assert_int_equal(nev, 0);
	assert_int_equal(wb_feed_pitch_seq(f)->stats.dup_packets, 1);
	/* the next unit first on B: applied, then A's copy is the duplicate */
	ub_start(&u);
	m = m_type(WB_PITCH_DELETE);
	m.u.del.order_id = 10;
	ub_msg(&u, &m);
	assert_int_equal(wb_feed_datagram(f, WB_FEED_LINE_B, ub_finish(&u, 1, 4), u.len, 557), 1);
	assert_int_equal(wb_feed_datagram(f, WB_FEED_LINE_A, u.buf, u.len, 558), 0);
	assert_int_equal(nev, 2); /* delete, BBO */
	assert_int_equal(evs[0].type, WB_EV_DELETE);
	assert_int_equal(evs[0].seq, SEQ(1, 4));
	assert_int_equal(wb_feed_pitch_seq(f)->stats.line_first[1], 1);
	assert_int_equal(wb_book_stats(wb_feed_book(f))->live_orders, 1);
	wb_feed_destroy(f);
}

static void
test_gap_unit_stale(void **state)
{
	struct wb_feed *f = pitch_feed_hold(0, 0);
	struct wb_pitch_msg m;
	struct ub u;
	uint64_t gen;

	(void)state;
	ub_start(&u);
	m = m_add(1, 'B', 100, "AAA   ", 1000, 0);
	ub_msg(&u, &m);
	assert_int_equal(wb_feed_datagram(f, 0, ub_finish(&u, 1, 1), u.len, 1), 1);
	ub_start(&u);
	m = m_add(2, 'B', 100, "BBB   ", 1000, 0);
	ub_msg(&u, &m);
	assert_int_equal(wb_feed_datagram(f, 0, ub_finish(&u, 2, 1), u.len, 1), 1);
	assert_int_equal(wb_feed_instrument_stale(f, 1), 0);
	gen = wb_feed_stale_gen(f);

	/* unit 1 jumps from 2 to 7: 5 lost */
	nev = 0;
	ub_start(&u);
	m = m_add(3, 'S', 100, "AAA   ", 1100, 0);
	ub_msg(&u, &m);
	m = m_add(4, 'S', 100, "CCC   ", 1100, 0); /* new on unit 1 after the gap */
	ub_msg(&u, &m);
	assert_int_equal(wb_feed_datagram(f, 0, ub_finish(&u, 1, 7), u.len, 9), 2);
	assert_true(nev >= 1);
	assert_int_equal(evs[0].type, WB_EV_GAP);
	assert_int_equal(evs[0].u.gap.from_seq, SEQ(1, 2));
	assert_int_equal(evs[0].u.gap.count, 5);
	assert_int_equal(evs[0].rx_tsc, 9);
	assert_int_equal(wb_feed_pitch_seq(f)->stats.gaps, 1);
	assert_int_equal(wb_feed_pitch_stats(f)->stale_units, 1);
	assert_true(wb_feed_stale_gen(f) != gen);
	/* only unit 1's instruments, the new one included */
	assert_int_equal(wb_feed_stale(f), 0);
	assert_int_equal(wb_feed_instrument_stale(f, 1), 1);
	assert_int_equal(wb_feed_instrument_stale(f, 2), 0);
	assert_int_equal(wb_feed_instrument_stale(f, 3), 1);

	/* Unit Clear: unit 1's books empty and whole; unit 2's untouched */
	ub_start(&u);
	m = m_type(WB_PITCH_UNIT_CLEAR);
	ub_msg(&u, &m);
	assert_int_equal(wb_feed_datagram(f, 0, ub_finish(&u, 1, 9), u.len, 10), 1);
	wb_feed_burst_end(f);
	assert_int_equal(wb_feed_instrument_stale(f, 1), 0);
	assert_int_equal(wb_feed_instrument_stale(f, 3), 0);
	assert_int_equal(wb_book_has_orders(wb_feed_book(f), 1), 0);
	assert_int_equal(wb_book_has_orders(wb_feed_book(f), 3), 0);
	assert_int_equal(wb_book_has_orders(wb_feed_book(f), 2), 1);
	assert_int_equal(wb_book_stats(wb_feed_book(f))->live_orders, 1);
	assert_int_equal(wb_feed_pitch_stats(f)->unit_clears, 2);

	/* a heartbeat ahead of the unit reports a gap with nothing applied */
	nev = 0;
	ub_start(&u);
	assert_int_equal(wb_feed_datagram(f, 0, ub_finish(&u, 2, 5), u.len, 11), 0);
	assert_int_equal(nev, 1);
	assert_int_equal(evs[0].type, WB_EV_GAP);
	assert_int_equal(evs[0].u.gap.from_seq, SEQ(2, 2));
	assert_int_equal(evs[0].u.gap.count, 3);
	assert_int_equal(wb_feed_instrument_stale(f, 2), 1);
	assert_int_equal(wb_feed_instrument_stale(f, 1), 0);
	wb_feed_clear_stale(f);
	assert_int_equal(wb_feed_instrument_stale(f, 2), 0);
	/* made whole: what unit 2 announces from now on is whole too */
	ub_start(&u);
	m = m_add(5, 'B', 100, "DDD   ", 1000, 0);
	ub_msg(&u, &m);
	assert_int_equal(wb_feed_datagram(f, 0, ub_finish(&u, 2, 5), u.len, 12), 1);
	assert_int_equal(wb_pitch_adapt_lookup(wb_feed_pitch_adapt(f), "DDD"), 4);
	assert_int_equal(wb_feed_instrument_stale(f, 4), 0);
	wb_feed_destroy(f);
}

/* Unit 1 from 100000 on A and B: orders 1 (AAA) and 2 (BBB). */
static void
regress_setup(struct wb_feed *f, struct ub *u)
{
	struct wb_pitch_msg m;

	ub_start(u);
	m = m_add(1, 'B', 100, "AAA   ", 1000, 0);
	ub_msg(u, &m);
	m = m_add(2, 'B', 100, "BBB   ", 1000, 0);
	ub_msg(u, &m);
	ub_finish(u, 1, 100000);
	assert_int_equal(wb_feed_datagram(f, WB_FEED_LINE_A, u->buf, u->len, 1), 2);
	assert_int_equal(wb_feed_datagram(f, WB_FEED_LINE_B, u->buf, u->len, 1), 0);
	ub_start(u);
	m = m_add(3, 'B', 100, "CCC   ", 1000, 0);
	ub_msg(u, &m);
	ub_finish(u, 2, 7); /* another unit */
	assert_int_equal(wb_feed_datagram(f, WB_FEED_LINE_A, u->buf, u->len, 1), 1);
}

static void
test_regression(void **state)
{
	struct wb_pitch_msg m;
	struct wb_feed *f;
	struct ub u, b;
	unsigned int hold;

	(void)state;
	for (hold = 0; hold < 2; hold++) {
		f = pitch_feed_hold(0, hold ? WB_FEED_HOLD_PACKETS : 0);
		regress_setup(f, &u);
		if (hold) {
			/* A lost 100002; B's 100003 is held for the window */
			ub_start(&b);
			m = m_type(WB_PITCH_DELETE);
			m.u.del.order_id = 1;
			ub_msg(&b, &m);
			ub_finish(&b, 1, 100003);
			assert_int_equal(wb_feed_datagram(f, WB_FEED_LINE_B, b.buf, b.len, 2), 0);
			assert_true(wb_feed_missing(f) != 0);
		}
		/* unit 1 restarts at 1 on A: applied at once, the unit stale */
		nev = 0;
		ub_start(&u);
		m = m_add(4, 'S', 100, "AAA   ", 1100, 0);
		ub_msg(&u, &m);
		ub_finish(&u, 1, 1);
		assert_int_equal(wb_feed_datagram(f, WB_FEED_LINE_A, u.buf, u.len, 3), 1);
		wb_feed_burst_end(f);
		assert_int_equal(wb_feed_pitch_seq(f)->stats.regressions, 1);
		assert_int_equal(wb_feed_pitch_seq(f)->unit[1].regressions, 1);
		assert_int_equal(wb_feed_pitch_stats(f)->regress_dropped_held, hold);
		assert_int_equal(wb_book_stats(wb_feed_book(f))->live_orders, 4);
		assert_int_equal(wb_feed_instrument_stale(f, 1), 1);
		assert_int_equal(wb_feed_instrument_stale(f, 2), 1);
		assert_int_equal(wb_feed_instrument_stale(f, 3), 0); /* unit 2's */
		/* what was held belonged to the old numbering: nothing missing,
		 * and nothing declared when the window would have expired */
		assert_int_equal(wb_feed_missing(f), 0);
		wb_feed_expire(f, 1000000000);
		assert_int_equal(wb_feed_pitch_seq(f)->stats.gaps, 0);
		for (unsigned int i = 0; i < nev; i++)
			assert_int_not_equal(evs[i].type, WB_EV_GAP);
		/* B still on the old numbering: ignored, not a gap */
		ub_start(&b);
		m = m_type(WB_PITCH_DELETE);
		m.u.del.order_id = 2;
		ub_msg(&b, &m);
		ub_finish(&b, 1, 100004);
		assert_int_equal(wb_feed_datagram(f, WB_FEED_LINE_B, b.buf, b.len, 4), 0);
		assert_int_equal(wb_feed_pitch_seq(f)->stats.regress_dropped, 1);
		assert_int_equal(wb_feed_missing(f), 0);
		assert_int_equal(wb_book_stats(wb_feed_book(f))->live_orders, 4);
		/* a Unit Clear on the new numbering makes the unit whole again */
		ub_start(&u);
		m = m_type(WB_PITCH_UNIT_CLEAR);
		ub_msg(&u, &m);
		ub_finish(&u, 1, 2);
		assert_int_equal(wb_feed_datagram(f, WB_FEED_LINE_A, u.buf, u.len, 5), 1);
		wb_feed_burst_end(f);
		assert_int_equal(wb_feed_instrument_stale(f, 1), 0);
		assert_int_equal(wb_feed_instrument_stale(f, 2), 0);
		assert_int_equal(wb_book_stats(wb_feed_book(f))->live_orders, 1);
		wb_feed_destroy(f);
	}
}

static void
test_errors_counted(void **state)
{
	static const uint8_t trade_break[] = {8, 0x2C, 0, 0, 0, 0, 1, 2};
	struct wb_feed *f = pitch_feed(0);
	struct wb_pitch_msg m;
	struct ub u;

	(void)state;
	ub_start(&u);
	m = m_add(1, 'B', 100, "AAA   ", 1000, 0);
	ub_msg(&u, &m);
	ub_finish(&u, 1, 1);
	/* the header says one byte more than there is: truncated */
	wb_pitch_put_hdr(u.buf, (uint16_t)(u.len + 1), 1, 1, 1);
	assert_int_equal(wb_feed_datagram(f, 0, u.buf, u.len, 0), 0);
	assert_int_equal(wb_feed_stats(f)->pkt_truncated, 1);
	/* messages ending before the header's length: malformed */
	u.buf[u.len] = 0;
	assert_int_equal(wb_feed_datagram(f, 0, u.buf, u.len + 1, 0), 0);
	assert_int_equal(wb_feed_stats(f)->pkt_malformed, 1);
	assert_int_equal(wb_feed_stats(f)->bad_packets, 2);
	/* Ethernet padding after a good unit: counted, the unit applied */
	ub_finish(&u, 1, 1);
	memset(u.buf + u.len, 0, 6);
	assert_int_equal(wb_feed_datagram(f, 0, u.buf, u.len + 6, 0), 1);
	assert_int_equal(wb_feed_pitch_stats(f)->pad_bytes, 6);
	/* a type not decoded, between two that are: skipped by length, counted */
	ub_start(&u);
	m = m_add(2, 'B', 100, "AAA   ", 1000, 0);
	ub_msg(&u, &m);
	memcpy(u.buf + u.len, trade_break, sizeof(trade_break));
	u.len += sizeof(trade_break);
	u.count++;
	m = m_add(3, 'B', 100, "AAA   ", 1000, 0);
	ub_msg(&u, &m);
	assert_int_equal(wb_feed_datagram(f, 0, ub_finish(&u, 1, 2), u.len, 0), 3);
	assert_int_equal(wb_feed_stats(f)->msg_unknown, 1);
	assert_int_equal(wb_pitch_adapt_stats(wb_feed_pitch_adapt(f))->unknown_by_type[0x2C], 1);
	assert_int_equal(wb_feed_stats(f)->messages, 3);
	assert_int_equal(wb_book_stats(wb_feed_book(f))->live_orders, 3);
	/* a bad side: the message is malformed, its neighbours applied */
	ub_start(&u);
	m = m_add(4, 'B', 100, "AAA   ", 1000, 0);
	ub_msg(&u, &m);
	u.buf[WB_PITCH_HDR_LEN + 14] = 'Z';
	m = m_add(5, 'S', 100, "AAA   ", 1100, 0);
	ub_msg(&u, &m);
	assert_int_equal(wb_feed_datagram(f, 0, ub_finish(&u, 1, 5), u.len, 0), 2);
	assert_int_equal(wb_feed_stats(f)->msg_malformed, 1);
	assert_int_equal(wb_book_stats(wb_feed_book(f))->live_orders, 4);
	wb_feed_destroy(f);
	/* an unknown protocol is refused */
	{
		struct wb_feed_params p;

		wb_feed_params_default(&p);
		p.protocol = 7;
		assert_null(wb_feed_create(&p));
		assert_int_equal(errno, EINVAL);
	}
}

/* ---- the real captures ---- */

struct variant {
	const char *dir;
	unsigned int flags;
};

static const struct variant variants[] = {
    {"byx-equities-v2.41", 0},
    {"futures-v1.1.6", WB_PITCH_SIGNED_PRICES},
    {"futures-v1.1.12", WB_PITCH_SIGNED_PRICES},
    {"options-v2.39.4", 0},
    {"options-complex-v2.1.18", WB_PITCH_SIGNED_PRICES},
};

struct counts {
	uint64_t decoded, unknown, bad;
	uint64_t by_type[256], unknown_by_type[256];
};

/* What the decoder alone says of a unit: the reference for the feed. */
static void
decoder_count(const uint8_t *buf, size_t len, unsigned int flags, struct counts *c)
{
	struct wb_pitch_iter it;
	struct wb_pitch_pkt pkt;
	struct wb_pitch_msg m;
	const uint8_t *msg;
	uint8_t mlen;
	int rc;

	assert_true(wb_pitch_parse(buf, len, &pkt) > 0);
	wb_pitch_iter_init(&it, &pkt);
	while (wb_pitch_iter_next(&it, &msg, &mlen)) {
		rc = wb_pitch_decode(msg, mlen, flags, &m);
		if (rc == WB_PROTO_UNKNOWN) {
			c->unknown++;
			c->unknown_by_type[m.type]++;
		} else if (rc < 0) {
			c->bad++;
		} else {
			c->decoded++;
			c->by_type[m.type]++;
		}
	}
}

static void
test_real_captures(void **state)
{
	static struct counts want;
	struct counts got;
	unsigned int vi, i, files = 0;

	(void)state;
	memset(&want, 0, sizeof(want));
	memset(&got, 0, sizeof(got));
	for (vi = 0; vi < WB_ARRAY_SIZE(variants); vi++) {
		char rel[256], rel2[512];
		struct dirent *de;
		DIR *d;

		snprintf(rel, sizeof(rel), "cboe/pitch/%s", variants[vi].dir);
		d = opendir(wb_test_data(rel));
		assert_non_null(d);
		while ((de = readdir(d)) != NULL) {
			size_t n = strlen(de->d_name);
			const struct wb_pitch_adapt_stats *as;
			struct wb_pcap_pkt pkt;
			struct wb_udp_view v;
			struct wb_pcap *p;
			struct wb_feed *f;
			char path[4096];
			int rc;

			if (n < 5 || strcmp(de->d_name + n - 5, ".pcap") != 0)
				continue;
			snprintf(rel2, sizeof(rel2), "%s/%s", rel, de->d_name);
			snprintf(path, sizeof(path), "%s", wb_test_data(rel2));
			p = wb_pcap_open(path);
			assert_non_null(p);
			/* each capture is its own feed: their units are unrelated */
			f = pitch_feed(variants[vi].flags);
			while ((rc = wb_pcap_next(p, &pkt)) == 1) {
				assert_int_equal(wb_net_udp(pkt.data, pkt.caplen, pkt.linktype, &v), 0);
				decoder_count(v.payload, v.len, variants[vi].flags, &want);
				wb_feed_datagram(f, 0, v.payload, v.len, pkt.ts_ns);
				wb_feed_burst_end(f);
			}
			assert_int_equal(rc, 0);
			wb_pcap_close(p);
			assert_int_equal(wb_feed_stats(f)->bad_packets, 0);
			assert_int_equal(wb_feed_pitch_seq(f)->stats.dup_msgs, 0);
			got.decoded += wb_feed_stats(f)->messages;
			got.unknown += wb_feed_stats(f)->msg_unknown;
			got.bad += wb_feed_stats(f)->msg_truncated + wb_feed_stats(f)->msg_malformed;
			as = wb_pitch_adapt_stats(wb_feed_pitch_adapt(f));
			for (i = 0; i < WB_PITCH_NTYPES; i++)
				got.by_type[wb_pitch_types[i]] += wb_feed_stats(f)->by_type[i];
			for (i = 0; i < 256; i++)
				got.unknown_by_type[i] += as->unknown_by_type[i];
			wb_feed_destroy(f);
			files++;
		}
		closedir(d);
	}
	assert_int_equal(files, 25);
	/* the README's totals: 49 decoded (Symbol Mapping and the two futures
	 * Instrument Definitions among them), 4 skipped */
	assert_int_equal(want.decoded, 49);
	assert_int_equal(want.unknown, 4);
	assert_int_equal(want.bad, 0);
	assert_int_equal(got.decoded, want.decoded);
	assert_int_equal(got.unknown, want.unknown);
	assert_int_equal(got.bad, 0);
	assert_memory_equal(got.by_type, want.by_type, sizeof(want.by_type));
	assert_memory_equal(got.unknown_by_type, want.unknown_by_type, sizeof(want.unknown_by_type));
	print_message("25 captures through the feed: %" PRIu64 " messages applied, %" PRIu64
		      " skipped by length, as the decoder counts them\n",
		      got.decoded, got.unknown);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_gap_unit_stale),
		cmocka_unit_test(test_regression),
		cmocka_unit_test(test_errors_counted),
		cmocka_unit_test(test_real_captures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
