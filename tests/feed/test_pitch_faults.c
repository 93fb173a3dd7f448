/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A PITCH feed's per-unit reorder window under faulty lines, in process and
 * in simulated time (ticks are nanoseconds; line A carries packet i at
 * i * PKT_NS): a generated stream (wb_gen_pitch, 4 units) on lines A and B
 * with independent loss, B skewed and A reordering adjacent packets; then a
 * packet lost on both lines (a real gap, declared in its unit only when the
 * window expires), and the same with a hold buffer too small for the gap.
 * The book after each run is compared with the loss-free replay's, through
 * the canonical dump.
 */
#include "wb_test.h"

#include <inttypes.h>

#include "fault_sched.h"
#include "wb_dump.h"
#include "wb_feed_pitch.h"
#include "wb_gen_pitch.h"
#include "wb_stats.h"

#define PKT_NS 1000u
#define MAX_UNIT 1400

struct pk {
	uint8_t buf[MAX_UNIT];
	uint16_t len;
	uint8_t unit;
	uint8_t count;
	uint32_t seq;
};

struct stream {
	struct pk *pk;
	unsigned int npk;
};

/* A generated stream: `units` units, at most 4 messages a packet (many packets, so many holes). */
static void
stream_make(struct stream *st, uint64_t seed, uint64_t messages, unsigned int units)
{
	struct wb_gen_pitch_params gp;
	struct wb_gen_pitch *g;
	unsigned int len, cap = (unsigned int)messages + 64;
	uint64_t ts;

	wb_gen_pitch_params_default(&gp);
	gp.gen.seed = seed;
	gp.gen.messages = messages;
	gp.gen.instruments = 40;
	gp.gen.target_orders = 4000;
	gp.units = (uint8_t)units;
	gp.per_packet = 4;
	gp.payload_max = MAX_UNIT;
	g = wb_gen_pitch_create(&gp);
	assert_non_null(g);
	st->pk = calloc(cap, sizeof(*st->pk));
	assert_non_null(st->pk);
	st->npk = 0;
	while (st->npk < cap && (len = wb_gen_pitch_next_unit(g, st->pk[st->npk].buf, &ts)) != 0) {
		struct pk *p = &st->pk[st->npk++];

		p->len = (uint16_t)len;
		p->count = p->buf[2];
		p->unit = p->buf[3];
		p->seq = wb_pitch_le32(p->buf + 4);
	}
	assert_true(st->npk < cap);
	wb_gen_pitch_destroy(g);
}

static int
delivery_cmp(const void *a, const void *b)
{
	const struct delivery *x = a, *y = b;

	return delivery_before(x, y) ? -1 : delivery_before(y, x);
}

struct sim {
	struct delivery *d;
	unsigned int n;
	unsigned int gap_events;
	uint64_t gap_seq;
	uint32_t gap_count;
};

static void
sim_push(struct sim *s, uint64_t t, uint32_t pk, uint8_t line)
{
	s->d[s->n] = (struct delivery){.t = t, .order = s->n, .pk = pk, .line = line};
	s->n++;
}

static void
on_event(void *ctx, const struct wb_event *ev)
{
	struct sim *s = ctx;

	if (ev->type == WB_EV_GAP) {
		s->gap_events++;
		s->gap_seq = ev->u.gap.from_seq;
		s->gap_count = (uint32_t)ev->u.gap.count;
	}
}

static struct wb_feed *
feed_new(struct sim *s, uint32_t hold_packets)
{
	struct wb_feed_params p;
	struct wb_feed_sink sink;
	struct wb_feed *f;

	wb_feed_params_default(&p);
	p.protocol = WB_FEED_PITCH;
	p.hold_packets = hold_packets;
	p.book.max_orders = 1u << 15;
	p.book.max_levels = 1u << 15;
	p.book.max_instruments = 64;
	f = wb_feed_create(&p);
	assert_non_null(f);
	if (s != NULL) {
		memset(&sink, 0, sizeof(sink));
		sink.on_event = on_event;
		sink.ctx = s;
		wb_feed_set_sink(f, &sink);
	}
	return f;
}

/* The deliveries in time order, the feed's timers between them, then 20 ms more. */
static void
sim_run(struct sim *s, struct wb_feed *f, const struct stream *st)
{
	uint64_t now = 0, end;
	unsigned int i;

	qsort(s->d, s->n, sizeof(*s->d), delivery_cmp);
	for (i = 0; i < s->n; i++) {
		const struct pk *p = &st->pk[s->d[i].pk];

		if (s->d[i].t > now) {
			now = s->d[i].t;
			wb_feed_tick(f, now);
		}
		wb_feed_datagram(f, s->d[i].line, p->buf, p->len, now);
		wb_feed_burst_end(f);
	}
	for (end = now + 20000000u; now < end; now += 20000)
		wb_feed_tick(f, now);
}

/* WB_FAULTS_STATS=1: every counter, as wirebook replay --stats prints them. */
static void
stats(struct wb_feed *f)
{
	if (getenv("WB_FAULTS_STATS") != NULL)
		wb_stats_print(stdout, f);
}

/* The canonical dump, without the instruments of unit `skip` (0: all). */
static char *
dump(struct wb_feed *f, const struct wb_pitch_adapt *names, uint8_t skip)
{
	char *text = NULL, *out = NULL, *line, *save = NULL;
	size_t size = 0, osize = 0;
	FILE *m = open_memstream(&text, &size), *o;

	assert_non_null(m);
	assert_int_equal(wb_dump_book(m, wb_feed_book(f), 0), 0);
	fclose(m);
	o = open_memstream(&out, &osize);
	assert_non_null(o);
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char sym[16] = "";

		sscanf(line, "%15[^\t]", sym);
		if (skip == 0 ||
		    wb_pitch_adapt_unit(names, wb_pitch_adapt_lookup(names, sym)) != skip)
			fprintf(o, "%s\n", line);
	}
	fclose(o);
	free(text);
	return out;
}

/* The loss-free replay on line A. */
static struct wb_feed *
reference(const struct stream *st, uint64_t *messages)
{
	struct wb_feed *f = feed_new(NULL, WB_FEED_HOLD_PACKETS);
	unsigned int i;

	for (i = 0; i < st->npk; i++)
		assert_int_equal(wb_feed_datagram(f, 0, st->pk[i].buf, st->pk[i].len, i * PKT_NS),
				 st->pk[i].count);
	assert_int_equal(wb_feed_pitch_seq(f)->stats.gaps, 0);
	*messages = wb_feed_stats(f)->messages;
	return f;
}

/* The run's book against the loss-free one (without unit skip's instruments), then frees it all. */
static void
finish(struct wb_feed *f, struct wb_feed *ref, char *want, const struct wb_pitch_adapt *names,
       uint8_t skip, struct sim *s, struct stream *st)
{
	char *got = dump(f, names, skip);

	assert_true(strlen(want) > 1000);
	assert_string_equal(got, want);
	free(got);
	free(want);
	wb_feed_destroy(f);
	wb_feed_destroy(ref);
	free(s->d);
	free(st->pk);
}

/*
 * The scenario for PITCH: 5% independent loss on A and on B, B from
 * one packet early to three late, A swapping adjacent packets every 50,
 * every packet on at least one line: nothing lost, no gap, no instrument
 * stale, the loss-free book.
 */
static void
test_ab_loss_skew(void **state)
{
	struct stream st;
	struct sim s = {0};
	struct wb_feed *ref, *f;
	uint64_t ref_msgs;
	char *want;
	unsigned int i, lost_a = 0, lost_b = 0;
	uint32_t id;

	(void)state;
	stream_make(&st, 21, 60000, 4);
	ref = reference(&st, &ref_msgs);
	want = dump(ref, NULL, 0);
	s.d = calloc(2 * st.npk, sizeof(*s.d));
	assert_non_null(s.d);
	f = feed_new(&s, WB_FEED_HOLD_PACKETS);
	rng_state = 9;
	for (i = 0; i < st.npk; i++) {
		struct ab_fate x = ab_fate(i, PKT_NS);
		unsigned int ia = i;

		lost_a += !x.a;
		lost_b += !x.b;
		if (i % 50 == 10 && i + 1 < st.npk) /* A reorders: i + 1 first */
			ia = i + 1;
		else if (i % 50 == 11)
			ia = i - 1;
		if (x.a)
			sim_push(&s, (uint64_t)ia * PKT_NS, i, WB_FEED_LINE_A);
		if (x.b)
			sim_push(&s, x.tb, i, WB_FEED_LINE_B);
	}
	sim_run(&s, f, &st);
	print_message("A lost %u, B lost %u of %u units; held %" PRIu64 ", filled %" PRIu64 "\n",
		      lost_a, lost_b, st.npk, wb_feed_rel_stats(f)->held,
		      wb_feed_rel_stats(f)->filled);
	stats(f);
	assert_true(lost_a > st.npk / 40 && lost_b > st.npk / 40);
	assert_int_equal(wb_feed_stats(f)->messages, ref_msgs);
	assert_int_equal(wb_feed_pitch_seq(f)->stats.gaps, 0);
	assert_int_equal(s.gap_events, 0);
	assert_int_equal(wb_feed_missing(f), 0);
	assert_int_equal(wb_feed_pitch_stats(f)->stale_units, 0);
	for (id = 1; id <= wb_pitch_adapt_count(wb_feed_pitch_adapt(f)); id++)
		assert_int_equal(wb_feed_instrument_stale(f, id), 0);
	assert_true(wb_feed_rel_stats(f)->held > 0);
	assert_true(wb_feed_rel_stats(f)->filled > 0);
	assert_int_equal(wb_feed_rel_stats(f)->hold_expired, 0);
	finish(f, ref, want, NULL, 0, &s, &st);
}

/*
 * One packet of unit 2 lost on both lines: after the window, a gap in unit
 * 2 alone (its event, counted, its instruments stale and no other's); the
 * packets held behind it applied; every other unit's books the loss-free
 * ones. hold_packets small: the buffer fills before the window expires and
 * the gap is declared for room instead.
 */
static void
run_real_gap(uint32_t hold_packets)
{
	struct stream st;
	struct sim s = {0};
	struct wb_feed *ref, *f;
	const struct wb_pitch_adapt *names;
	uint64_t ref_msgs;
	char *want;
	unsigned int i, lost = 0;
	uint32_t id, n2 = 0;

	stream_make(&st, 22, 30000, 4);
	ref = reference(&st, &ref_msgs);
	names = wb_feed_pitch_adapt(ref);
	want = dump(ref, names, 2);
	s.d = calloc(2 * st.npk, sizeof(*s.d));
	assert_non_null(s.d);
	f = feed_new(&s, hold_packets);
	for (i = st.npk / 2; st.pk[i].unit != 2 || st.pk[i].count == 0; i++)
		;
	lost = i;
	for (i = 0; i < st.npk; i++)
		if (i != lost) {
			sim_push(&s, (uint64_t)i * PKT_NS, i, WB_FEED_LINE_A);
			sim_push(&s, (uint64_t)i * PKT_NS + PKT_NS / 2, i, WB_FEED_LINE_B);
		}
	sim_run(&s, f, &st);
	stats(f);
	assert_int_equal(s.gap_events, 1);
	assert_int_equal(s.gap_seq, ((uint64_t)2 << 32) | st.pk[lost].seq);
	assert_int_equal(s.gap_count, st.pk[lost].count);
	assert_int_equal(wb_feed_pitch_seq(f)->stats.gaps, 1);
	assert_int_equal(wb_feed_pitch_seq(f)->stats.gap_msgs, st.pk[lost].count);
	assert_int_equal(wb_feed_pitch_stats(f)->stale_units, 1);
	assert_int_equal(wb_feed_missing(f), 0);
	assert_int_equal(wb_feed_stats(f)->messages, ref_msgs - st.pk[lost].count);
	if (hold_packets < 64)
		assert_true(wb_feed_rel_stats(f)->hold_full > 0);
	else
		assert_int_equal(wb_feed_rel_stats(f)->hold_expired, 1);
	assert_int_equal(wb_feed_stale(f), 0);
	for (id = 1; id <= wb_pitch_adapt_count(wb_feed_pitch_adapt(f)); id++) {
		uint8_t unit = wb_pitch_adapt_unit(wb_feed_pitch_adapt(f), id);

		assert_int_equal(wb_feed_instrument_stale(f, id), unit == 2);
		n2 += unit == 2;
	}
	assert_true(n2 > 0);
	finish(f, ref, want, names, 2, &s, &st);
}

static void
test_real_gap(void **state)
{
	(void)state;
	run_real_gap(WB_FEED_HOLD_PACKETS);
}

static void
test_real_gap_hold_full(void **state)
{
	(void)state;
	run_real_gap(16);
}

/*
 * Held packets drained inside a burst, then more held in the same burst:
 * one unit, adjacent packets swapped, no burst end until 8 packets are in.
 * Once the arena is empty the next packet held is copied over the bytes
 * the drain just took messages from, so the batch must not point into
 * them (it holds ops, values; a batch of pointers, as ITCH's, fails here
 * unless the drain applies it first). The book is the in-order replay's.
 */
static void
test_drain_in_burst(void **state)
{
	struct stream st;
	struct wb_feed *ref, *f;
	uint64_t ref_msgs;
	unsigned int i, j;
	char *want, *got;

	(void)state;
	stream_make(&st, 23, 20000, 1);
	ref = reference(&st, &ref_msgs);
	want = dump(ref, wb_feed_pitch_adapt(ref), 0);
	f = feed_new(NULL, WB_FEED_HOLD_PACKETS);
	/* the unit's first packet first: it sets where the unit starts */
	wb_feed_datagram(f, 0, st.pk[0].buf, st.pk[0].len, 0);
	for (i = 1; i + 8 <= st.npk; i += 8) {
		for (j = i; j < i + 8; j += 2) {
			wb_feed_datagram_queue(f, 0, st.pk[j + 1].buf, st.pk[j + 1].len, j * PKT_NS);
			wb_feed_datagram_queue(f, 0, st.pk[j].buf, st.pk[j].len, j * PKT_NS);
		}
		wb_feed_burst_end(f);
	}
	for (; i < st.npk; i++)
		wb_feed_datagram(f, 0, st.pk[i].buf, st.pk[i].len, i * PKT_NS);
	assert_true(wb_feed_rel_stats(f)->held > 1000);
	assert_int_equal(wb_feed_stats(f)->messages, ref_msgs);
	got = dump(f, wb_feed_pitch_adapt(f), 0);
	assert_string_equal(got, want);
	free(got);
	free(want);
	wb_feed_destroy(f);
	wb_feed_destroy(ref);
	free(st.pk);
}

/*
 * Units whose next number would pass 2^32 - 1 (seq 0xffffffff, 1 message;
 * found by fuzz_pitch): rejected as malformed. Taken, the unit's next number
 * wrapped to 0 and its hole never closed, so wb_feed_expire() spun forever.
 */
static void
test_seq_top(void **state)
{
	static const uint8_t start[] = {0x1c, 0x00, 0x02, 0x01, 0x29, 0x00, 0x00, 0x00,
					0x06, 0x20, 0x66, 0x2a, 0x01, 0x00, 0x0e, 0x29,
					0xb0, 0xc0, 0x46, 0x2f, 0x14, 0x10, 0x74, 0xe9,
					0xea, 0x9e, 0x68, 0x03};
	uint8_t top[8 + 14];
	struct wb_feed *f;

	(void)state;
	memset(top, 0, sizeof(top));
	top[0] = sizeof(top), top[2] = 1, top[3] = 1;
	top[4] = top[5] = top[6] = top[7] = 0xff;
	top[8] = 14, top[9] = 0x29; /* a delete, any order */
	f = feed_new(NULL, WB_FEED_HOLD_PACKETS);
	wb_feed_datagram_queue(f, 0, start, sizeof(start), 1);
	wb_feed_burst_end(f);
	wb_feed_datagram_queue(f, 1, top, sizeof(top), 2);
	wb_feed_datagram_queue(f, 0, top, sizeof(top), 3);
	wb_feed_burst_end(f);
	assert_int_equal(wb_feed_stats(f)->pkt_malformed, 2);
	assert_int_equal(wb_feed_missing(f), 0);
	wb_feed_expire(f, 1000000);
	assert_int_equal(wb_feed_missing(f), 0);
	wb_feed_destroy(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ab_loss_skew),
	    cmocka_unit_test(test_real_gap),
	    cmocka_unit_test(test_real_gap_hold_full),
	    cmocka_unit_test(test_seq_top),
	    cmocka_unit_test(test_drain_in_burst),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
