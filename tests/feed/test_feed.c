/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The feed pipeline end to end on hand-built MoldUDP64 packets: sequencing,
 * per-kind error counters, the event sink (events carry the feed sequence),
 * BBO events, gaps and the per-burst dirty list.
 */
#include "wb_test.h"

#include "wb_compiler.h"
#include "wb_feed.h"

static const uint8_t sess[WB_MOLD_SESSION_LEN] = "TESTSESS01";

struct pkt_builder {
	uint8_t buf[1500];
	size_t len;
	uint16_t count;
};

static void
pb_start(struct pkt_builder *pb)
{
	pb->len = WB_MOLD_HDR_LEN;
	pb->count = 0;
}

static void
pb_raw(struct pkt_builder *pb, const uint8_t *msg, uint16_t len)
{
	wb_put_be16(pb->buf + pb->len, len);
	memcpy(pb->buf + pb->len + 2, msg, len);
	pb->len += 2u + len;
	pb->count++;
}

static void
pb_msg(struct pkt_builder *pb, const struct wb_itch_msg *m)
{
	uint8_t tmp[WB_ITCH_MAX_MSG_LEN];
	int len = wb_itch_encode(m, tmp, sizeof(tmp));

	assert_true(len > 0);
	pb_raw(pb, tmp, (uint16_t)len);
}

static const uint8_t *
pb_finish(struct pkt_builder *pb, uint64_t seq)
{
	wb_mold_put_hdr(pb->buf, sess, seq, pb->count);
	return pb->buf;
}

static void
add_msg(struct wb_itch_msg *m, uint16_t locate, uint64_t ref, uint8_t side, uint32_t px,
	uint32_t qty)
{
	memset(m, 0, sizeof(*m));
	m->type = 'A';
	m->stock_locate = locate;
	m->timestamp = 1000 + ref;
	m->u.add.order_ref = ref;
	m->u.add.side = side;
	m->u.add.shares = qty;
	m->u.add.stock = (const uint8_t *)"ABC     ";
	m->u.add.price = px;
}

struct capture {
	struct wb_event ev[64];
	unsigned int n;
	unsigned int bursts;
	unsigned int dirty;
};

static void
cap_event(void *ctx, const struct wb_event *ev)
{
	struct capture *c = ctx;

	if (c->n < WB_ARRAY_SIZE(c->ev))
		c->ev[c->n++] = *ev;
}

static void
cap_burst(void *ctx, struct wb_feed *f)
{
	struct capture *c = ctx;
	unsigned int n;

	wb_feed_dirty(f, &n);
	c->bursts++;
	c->dirty += n;
}

static struct wb_feed *
mk_feed_hold(struct capture *c, uint32_t hold_packets)
{
	struct wb_feed_params p;
	struct wb_feed_sink sink = { .on_event = cap_event, .on_burst_end = cap_burst, .ctx = c };
	struct wb_feed *f;

	wb_feed_params_default(&p);
	p.book.max_orders = 1024;
	p.book.max_levels = 1024;
	p.book.max_instruments = 64;
	p.hold_packets = hold_packets;
	f = wb_feed_create(&p);
	assert_non_null(f);
	if (c != NULL)
		wb_feed_set_sink(f, &sink);
	return f;
}

static struct wb_feed *
mk_feed(struct capture *c)
{
	return mk_feed_hold(c, WB_FEED_HOLD_PACKETS);
}

static void
test_events_and_bbo(void **state)
{
	struct capture c = { 0 };
	struct wb_feed *f = mk_feed(&c);
	struct pkt_builder pb;
	struct wb_itch_msg m;
	const uint8_t *p;

	(void)state;
	pb_start(&pb);
	add_msg(&m, 5, 1, 'B', 100000, 100);
	pb_msg(&pb, &m);
	add_msg(&m, 5, 2, 'B', 99000, 200); /* below the best: no BBO change */
	pb_msg(&pb, &m);
	p = pb_finish(&pb, 1);
	assert_int_equal(wb_feed_datagram(f, 0, p, pb.len, 777), 2);
	/* ADD(seq 1), BBO, ADD(seq 2) */
	assert_int_equal(c.n, 3);
	assert_int_equal(c.ev[0].type, WB_EV_ADD);
	assert_int_equal(c.ev[0].seq, 1);
	assert_int_equal(c.ev[0].rx_tsc, 777);
	assert_int_equal(c.ev[1].type, WB_EV_BBO);
	assert_int_equal(c.ev[1].u.bbo.bid_px, 100000);
	assert_int_equal(c.ev[1].u.bbo.bid_qty, 100);
	assert_int_equal(c.ev[1].u.bbo.ask_qty, 0);
	assert_int_equal(c.ev[2].type, WB_EV_ADD);
	assert_int_equal(c.ev[2].seq, 2);
	assert_int_equal(wb_feed_stats(f)->bbo_changes, 1);
	wb_feed_burst_end(f);
	assert_int_equal(c.bursts, 1);
	assert_int_equal(c.dirty, 1);
	wb_feed_burst_end(f); /* nothing changed: no call */
	assert_int_equal(c.bursts, 1);

	/* A burst of only a hidden trade changes no book but still reaches
	 * the sink's burst end (last trade, resync point). */
	pb_start(&pb);
	memset(&m, 0, sizeof(m));
	m.type = 'P';
	m.stock_locate = 5;
	m.u.trade.side = 'B';
	m.u.trade.shares = 300;
	m.u.trade.stock = (const uint8_t *)"ABC     ";
	m.u.trade.price = 100500;
	m.u.trade.match_number = 9;
	pb_msg(&pb, &m);
	p = pb_finish(&pb, 3);
	assert_int_equal(wb_feed_datagram(f, 0, p, pb.len, 0), 1);
	assert_int_equal(c.ev[c.n - 1].type, WB_EV_TRADE);
	wb_feed_burst_end(f);
	assert_int_equal(c.bursts, 2);
	assert_int_equal(c.dirty, 1); /* no book was dirty in that burst */
	wb_feed_burst_end(f);
	assert_int_equal(c.bursts, 2);
	wb_feed_destroy(f);
}

static void
test_bad_input_counted(void **state)
{
	struct wb_feed *f = mk_feed(NULL);
	struct pkt_builder pb;
	struct wb_itch_msg m;
	const uint8_t *p;
	uint8_t junk[40];

	(void)state;
	/* A packet whose blocks overrun the datagram is dropped whole. */
	pb_start(&pb);
	add_msg(&m, 1, 1, 'B', 100, 1);
	pb_msg(&pb, &m);
	p = pb_finish(&pb, 1);
	assert_int_equal(wb_feed_datagram(f, 0, p, pb.len - 1, 0), 0);
	assert_int_equal(wb_feed_stats(f)->pkt_truncated, 1);
	assert_int_equal(wb_feed_datagram(f, 0, p, 5, 0), 0);
	assert_int_equal(wb_feed_stats(f)->pkt_truncated, 2);
	assert_int_equal(wb_feed_stats(f)->bad_packets, 2);
	assert_int_equal(wb_book_stats(wb_feed_book(f))->live_orders, 0);

	/* Inside a good packet: unknown type, short and long messages are
	 * counted and skipped; the good message beside them is applied. */
	pb_start(&pb);
	memset(junk, 0, sizeof(junk));
	junk[0] = 'Z';
	pb_raw(&pb, junk, 12); /* unknown type */
	junk[0] = 'D';
	pb_raw(&pb, junk, 10); /* D is 19 bytes */
	junk[0] = 'S';
	pb_raw(&pb, junk, 13); /* S is 12 bytes */
	add_msg(&m, 1, 9, 'S', 500, 7);
	pb_msg(&pb, &m);
	p = pb_finish(&pb, 1);
	assert_int_equal(wb_feed_datagram(f, 0, p, pb.len, 0), 1);
	assert_int_equal(wb_feed_stats(f)->msg_unknown, 1);
	assert_int_equal(wb_feed_stats(f)->msg_truncated, 1);
	assert_int_equal(wb_feed_stats(f)->msg_malformed, 1);
	assert_int_equal(wb_feed_stats(f)->messages, 1);
	assert_int_equal(wb_book_stats(wb_feed_book(f))->live_orders, 1);

	/* The same packet on line B is a duplicate: nothing applied twice. */
	assert_int_equal(wb_feed_datagram(f, 1, p, pb.len, 0), 0);
	assert_int_equal(wb_feed_session_stats(f)->dup_packets, 1);
	assert_int_equal(wb_feed_stats(f)->messages, 1);
	wb_feed_destroy(f);
}

static void
test_gap_marks_stale(void **state)
{
	struct capture c = { 0 };
	struct wb_feed *f = mk_feed(&c);
	struct pkt_builder pb;
	struct wb_itch_msg m;
	const uint8_t *p;

	(void)state;
	pb_start(&pb);
	add_msg(&m, 2, 1, 'S', 2500, 10);
	pb_msg(&pb, &m);
	p = pb_finish(&pb, 1);
	wb_feed_datagram(f, 0, p, pb.len, 0);
	assert_false(wb_feed_stale(f));
	c.n = 0;
	pb_start(&pb);
	add_msg(&m, 2, 2, 'S', 2600, 10);
	pb_msg(&pb, &m);
	p = pb_finish(&pb, 5); /* 2..4 missing */
	/* held: the other line may still bring 2..4 within the window */
	assert_int_equal(wb_feed_datagram(f, 0, p, pb.len, 1000), 0);
	assert_false(wb_feed_stale(f));
	assert_int_equal(c.n, 0);
	wb_feed_tick(f, 1000 + WB_FEED_HOLD_US * 1000 - 1);
	assert_int_equal(c.n, 0);
	wb_feed_tick(f, 1000 + WB_FEED_HOLD_US * 1000); /* expired: declared */
	assert_int_equal(wb_feed_stale(f), WB_FEED_STALE_GAP);
	assert_int_equal(wb_feed_rel_stats(f)->hold_expired, 1);
	assert_int_equal(c.ev[0].type, WB_EV_GAP);
	assert_int_equal(c.ev[0].u.gap.from_seq, 2);
	assert_int_equal(c.ev[0].u.gap.count, 3);
	assert_int_equal(c.ev[1].type, WB_EV_ADD);
	assert_int_equal(c.ev[1].seq, 5);
	wb_feed_clear_stale(f);
	assert_false(wb_feed_stale(f));
	wb_feed_destroy(f);
}

/*
 * wb_feed_datagram_queue: the messages of several datagrams are applied as
 * one batch, in arrival order, each with its own sequence and receive time;
 * a gap is reported after what came before it; the burst end, and any other
 * call, apply what is still queued; a full batch applies itself.
 */
static void
test_queued_datagrams(void **state)
{
	static struct pkt_builder many[WB_FEED_BATCH];
	struct capture c = { 0 };
	struct wb_feed *f = mk_feed(&c);
	struct pkt_builder pb[3];
	struct wb_itch_msg m;
	uint8_t buf[WB_ITCH_MAX_MSG_LEN];
	const uint8_t *p;
	unsigned int i;
	int len;

	(void)state;
	wb_feed_destroy(f);
	f = mk_feed_hold(&c, 0); /* no reorder window: a gap is declared at once */
	/* two datagrams of two adds each (seq 1-2, 3-4) */
	for (i = 0; i < 2; i++) {
		pb_start(&pb[i]);
		add_msg(&m, 5, 1 + 2 * i, 'B', 1000 + 2 * i, 10);
		pb_msg(&pb[i], &m);
		add_msg(&m, 5, 2 + 2 * i, 'S', 5000 - 2 * i, 10);
		pb_msg(&pb[i], &m);
		p = pb_finish(&pb[i], 1 + 2 * i);
		assert_int_equal(wb_feed_datagram_queue(f, 0, p, pb[i].len, 100 + i), 2);
	}
	assert_int_equal(wb_feed_stats(f)->datagrams, 2);
	/* a gap (5-6 missing) comes after the four queued adds */
	pb_start(&pb[2]);
	add_msg(&m, 5, 7, 'B', 900, 10);
	pb_msg(&pb[2], &m);
	p = pb_finish(&pb[2], 7);
	assert_int_equal(wb_feed_datagram_queue(f, 0, p, pb[2].len, 102), 1);
	wb_feed_burst_end(f);
	assert_int_equal(c.bursts, 1);
	assert_int_equal(wb_book_stats(wb_feed_book(f))->live_orders, 5);
	/* ADD BBO ADD BBO | ADD BBO ADD BBO | GAP | ADD (below the best) */
	assert_int_equal(c.n, 10);
	for (i = 0; i < 4; i++) {
		assert_int_equal(c.ev[2 * i].type, WB_EV_ADD);
		assert_int_equal(c.ev[2 * i].seq, 1 + i);
		assert_int_equal(c.ev[2 * i].rx_tsc, 100 + i / 2);
		assert_int_equal(c.ev[2 * i + 1].type, WB_EV_BBO);
	}
	assert_int_equal(c.ev[8].type, WB_EV_GAP);
	assert_int_equal(c.ev[8].u.gap.from_seq, 5);
	assert_int_equal(c.ev[9].type, WB_EV_ADD);
	assert_int_equal(c.ev[9].seq, 7);
	assert_int_equal(c.ev[9].rx_tsc, 102);

	/* another call on the feed applies the queue first */
	c.n = 0;
	pb_start(&pb[0]);
	add_msg(&m, 5, 8, 'B', 800, 10);
	pb_msg(&pb[0], &m);
	p = pb_finish(&pb[0], 8);
	assert_int_equal(wb_feed_datagram_queue(f, 0, p, pb[0].len, 0), 1);
	add_msg(&m, 5, 9, 'B', 700, 10);
	len = wb_itch_encode(&m, buf, sizeof(buf));
	assert_int_equal(wb_feed_message(f, buf, (size_t)len, 99, 0), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.ev[0].seq, 8);
	assert_int_equal(c.ev[1].seq, 99);

	/* a full batch applies itself before the burst ends (each datagram in
	 * its own buffer: queued messages point into them) */
	c.n = 0;
	for (i = 0; i < WB_FEED_BATCH; i++) {
		pb_start(&many[i]);
		add_msg(&m, 6, 100 + i, 'B', 100 - i, 1); /* each below the last */
		pb_msg(&many[i], &m);
		p = pb_finish(&many[i], 9 + i);
		assert_int_equal(wb_feed_datagram_queue(f, 0, p, many[i].len, 0), 1);
	}
	assert_int_equal(wb_book_stats(wb_feed_book(f))->live_orders, 7 + WB_FEED_BATCH);
	assert_int_equal(c.n, WB_FEED_BATCH + 1); /* the first add changed the BBO */
	wb_feed_burst_end(f);
	wb_feed_destroy(f);
}

/* One add of locate 5 at seq, in its own buffer (held packets are copied, queued ones are not). */
static const uint8_t *
one_add(struct pkt_builder *pb, uint64_t seq)
{
	struct wb_itch_msg m;

	pb_start(pb);
	add_msg(&m, 5, seq, 'B', (uint32_t)(1000 + seq), 1);
	pb_msg(pb, &m);
	return pb_finish(pb, seq);
}

/*
 * The hold buffer on its own terms: packets ahead are held in sequence
 * order whatever order they come in, released in order when the hole
 * fills, the arena compacted when a packet does not fit at its end, and a
 * full buffer declares the gap to its first packet.
 */
static void
test_hold_buffer(void **state)
{
	static struct pkt_builder pb[16];
	struct capture c = { 0 };
	struct wb_feed_params p;
	struct wb_feed_sink sink = { .on_event = cap_event, .ctx = &c };
	struct wb_feed *f;
	const uint8_t *d;
	unsigned int i, n = 0;
	uint64_t last = 0;

	(void)state;
	wb_feed_params_default(&p);
	p.book.max_orders = 1024;
	p.book.max_levels = 1024;
	p.book.max_instruments = 64;
	p.hold_packets = 4;
	d = one_add(&pb[0], 1);
	p.hold_bytes = 3 * (uint32_t)pb[0].len; /* three packets' bytes */
	f = wb_feed_create(&p);
	assert_non_null(f);
	wb_feed_set_sink(f, &sink);
	assert_int_equal(wb_feed_datagram(f, 0, d, pb[0].len, 0), 1);
	/* 3, 5, 4 ahead of 2: held, sorted */
	for (i = 3; i <= 5; i++) {
		unsigned int s = i == 4 ? 5 : i == 5 ? 4 : 3;

		d = one_add(&pb[s], s);
		assert_int_equal(wb_feed_datagram(f, 0, d, pb[s].len, 0), 0);
	}
	assert_int_equal(wb_feed_rel_stats(f)->held, 3);
	d = one_add(&pb[2], 2);
	wb_feed_datagram(f, 1, d, pb[2].len, 0);
	assert_int_equal(wb_feed_stats(f)->messages, 5);
	assert_int_equal(wb_feed_missing(f), 0);
	/* 8 and 10 held; 7 releases 8 only; 11 and 12 need the arena compacted */
	for (i = 8; i <= 12; i += 2) {
		d = one_add(&pb[i], i);
		wb_feed_datagram(f, 0, d, pb[i].len, 0);
	}
	d = one_add(&pb[6], 6);
	wb_feed_datagram(f, 0, d, pb[6].len, 0);
	d = one_add(&pb[7], 7);
	wb_feed_datagram(f, 0, d, pb[7].len, 0);
	assert_int_equal(wb_feed_stats(f)->messages, 8);
	d = one_add(&pb[11], 11); /* the arena's end is reached: compacted */
	wb_feed_datagram(f, 0, d, pb[11].len, 0);
	assert_int_equal(wb_feed_rel_stats(f)->hold_full, 0);
	d = one_add(&pb[9], 9);
	wb_feed_datagram(f, 0, d, pb[9].len, 0);
	assert_int_equal(wb_feed_stats(f)->messages, 12);
	assert_int_equal(wb_feed_session_stats(f)->gaps, 0);
	/* every add applied once, in sequence order */
	for (i = 0; i < c.n; i++)
		if (c.ev[i].type == WB_EV_ADD) {
			assert_int_equal(c.ev[i].seq, last + 1);
			last = c.ev[i].seq;
			n++;
		}
	assert_int_equal(n, 12);
	/* full (its bytes): a fourth packet ahead declares the gap (13) up to the first held */
	for (i = 14; i <= 17; i++) {
		d = one_add(&pb[i - 14], i);
		wb_feed_datagram(f, 0, d, pb[i - 14].len, 0);
	}
	assert_int_equal(wb_feed_rel_stats(f)->hold_full, 1);
	assert_int_equal(wb_feed_session_stats(f)->gaps, 1);
	assert_int_equal(wb_feed_session_stats(f)->gap_msgs, 1);
	assert_int_equal(wb_feed_stats(f)->messages, 16);
	assert_int_equal(wb_feed_stale(f), WB_FEED_STALE_GAP);
	wb_feed_destroy(f);
}

static void
test_bare_messages(void **state)
{
	struct wb_feed *f = mk_feed(NULL);
	struct wb_itch_msg m;
	uint8_t buf[WB_ITCH_MAX_MSG_LEN];
	int len;

	(void)state;
	add_msg(&m, 3, 42, 'B', 1234, 100);
	len = wb_itch_encode(&m, buf, sizeof(buf));
	assert_int_equal(wb_feed_message(f, buf, (size_t)len, 1, 0), 0);
	assert_int_equal(wb_feed_message(f, buf, (size_t)len - 1, 2, 0), WB_PROTO_TRUNCATED);
	assert_int_equal(wb_feed_stats(f)->by_type[wb_itch_type_index('A')], 1);
	assert_int_equal(wb_book_stats(wb_feed_book(f))->duplicate_ref, 0);
	assert_int_equal(wb_feed_message(f, buf, (size_t)len, 3, 0), 0);
	assert_int_equal(wb_book_stats(wb_feed_book(f))->duplicate_ref, 1);
	wb_feed_destroy(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events_and_bbo),
		cmocka_unit_test(test_bad_input_counted),
		cmocka_unit_test(test_gap_marks_stale),
		cmocka_unit_test(test_queued_datagrams),
		cmocka_unit_test(test_hold_buffer),
		cmocka_unit_test(test_bare_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
