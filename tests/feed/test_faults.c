/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The feed under faulty lines, in process and in simulated time (ticks are
 * nanoseconds; line A carries packet i at i * PKT_NS): a generated stream
 * on lines A and B with independent loss and B skewed, one line with
 * swapped packets, a sequence regression, a mid-session start, and a fake
 * MoldUDP64 request server that answers on the recovery line from its
 * history, on time, late, or never. The book after each run is compared
 * with the loss-free replay's, through the canonical dump.
 */
#include "wb_test.h"

#include <inttypes.h>

#include "fault_sched.h"
#include "wb_compiler.h"
#include "wb_dump.h"
#include "wb_feed.h"
#include "wb_gen.h"
#include "wb_stats.h"

#define PKT_NS 1000u
#define MAX_PKT (WB_MOLD_HDR_LEN + 4 * (2 + WB_ITCH_MAX_MSG_LEN))

static const uint8_t sess1[WB_MOLD_SESSION_LEN] = "FAULTS0001";
static const uint8_t sess2[WB_MOLD_SESSION_LEN] = "FAULTS0002";

struct pk {
	uint8_t buf[MAX_PKT];
	uint16_t len;
	uint16_t n;
	uint64_t seq;
};

struct stream {
	struct pk *pk;
	unsigned int npk;
	uint64_t nmsgs;
};

/* A generated stream cut into packets of 1 to 4 messages, sequenced from 1. */
static void
stream_make(struct stream *st, uint64_t seed, uint64_t messages, const uint8_t *sess)
{
	struct wb_gen_params gp;
	struct wb_gen *g;
	uint8_t msg[WB_ITCH_MAX_MSG_LEN];
	unsigned int len, want = 0, cap = (unsigned int)messages;
	uint64_t seq = 1, rnd = seed * 2654435761u + 1;
	struct pk *p = NULL;

	wb_gen_params_default(&gp);
	gp.seed = seed;
	gp.messages = messages;
	gp.instruments = 40;
	gp.target_orders = 4000;
	g = wb_gen_create(&gp);
	assert_non_null(g);
	st->pk = calloc(cap, sizeof(*st->pk));
	assert_non_null(st->pk);
	st->npk = 0;
	while ((len = wb_gen_next(g, msg)) != 0) {
		if (p == NULL || p->n == want) {
			if (p != NULL)
				wb_mold_put_hdr(p->buf, sess, p->seq, p->n);
			p = &st->pk[st->npk++];
			p->len = WB_MOLD_HDR_LEN;
			p->seq = seq;
			rnd = rnd * 6364136223846793005ull + 1442695040888963407ull;
			want = 1 + (unsigned int)((rnd >> 33) % 4);
		}
		wb_put_be16(p->buf + p->len, (uint16_t)len);
		memcpy(p->buf + p->len + 2, msg, len);
		p->len = (uint16_t)(p->len + 2 + len);
		p->n++;
		seq++;
	}
	wb_mold_put_hdr(p->buf, sess, p->seq, p->n);
	st->nmsgs = seq - 1;
	wb_gen_destroy(g);
}

static void
stream_free(struct stream *st)
{
	free(st->pk);
}

/* What the fake request server does. */
struct server {
	int on;
	uint64_t delay;	     /* reply delay */
	unsigned int late;   /* percent of replies later than the request timeout */
	uint64_t never_from; /* requests that start in [never_from, never_end) get no reply */
	uint64_t never_end;
	unsigned int requests;
	unsigned int max_count;
};

struct sim {
	struct wb_feed *f;
	const struct stream *st;
	struct delivery *h;
	unsigned int n, cap;
	uint32_t order;
	uint64_t now;
	struct server srv;
	unsigned int gap_events;
	uint64_t gap_from;
};

static void
sim_push(struct sim *s, uint64_t t, uint32_t pk, uint8_t line)
{
	struct delivery d = { .t = t, .order = s->order++, .pk = pk, .line = line };
	unsigned int i;

	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->h = realloc(s->h, s->cap * sizeof(*s->h));
		assert_non_null(s->h);
	}
	i = s->n++;
	while (i > 0) {
		struct delivery *p = &s->h[(i - 1) / 2];

		if (delivery_before(p, &d))
			break;
		s->h[i] = *p;
		i = (i - 1) / 2;
	}
	s->h[i] = d;
}

static struct delivery
sim_pop(struct sim *s)
{
	struct delivery top = s->h[0], last = s->h[--s->n];
	unsigned int i = 0, c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= s->n)
			break;
		if (c + 1 < s->n && delivery_before(&s->h[c + 1], &s->h[c]))
			c++;
		if (delivery_before(&last, &s->h[c]))
			break;
		s->h[i] = s->h[c];
		i = c;
	}
	s->h[i] = last;
	return top;
}

/* The server answers with the original packets that cover the range. */
static int
srv_request(void *ctx, const uint8_t session[WB_MOLD_SESSION_LEN], uint64_t seq, uint16_t count)
{
	struct sim *s = ctx;
	uint64_t t;
	unsigned int i;

	s->srv.requests++;
	if (count > s->srv.max_count)
		s->srv.max_count = count;
	assert_memory_equal(session, s->st->pk[0].buf, WB_MOLD_SESSION_LEN);
	if (seq >= s->srv.never_from && seq < s->srv.never_end)
		return 0;
	t = s->now + s->srv.delay;
	if (rng(100) < s->srv.late)
		t = s->now + 3 * WB_FEED_REQ_TIMEOUT_US * 1000u;
	for (i = 0; i < s->st->npk; i++)
		if (s->st->pk[i].seq + s->st->pk[i].n > seq && s->st->pk[i].seq < seq + count)
			sim_push(s, t, i, WB_FEED_LINE_RECOVERY);
	return 0;
}

static void
sim_event(void *ctx, const struct wb_event *ev)
{
	struct sim *s = ctx;

	if (ev->type == WB_EV_GAP) {
		if (s->gap_events++ == 0)
			s->gap_from = ev->u.gap.from_seq;
	}
}

static struct wb_feed *
feed_new(void)
{
	struct wb_feed_params p;
	struct wb_feed *f;

	wb_feed_params_default(&p);
	p.book.max_orders = 1u << 15;
	p.book.max_levels = 1u << 15;
	p.book.max_instruments = 64;
	f = wb_feed_create(&p);
	assert_non_null(f);
	return f;
}

static void
sim_init(struct sim *s, const struct stream *st, int server)
{
	struct wb_feed_sink sink;

	memset(s, 0, sizeof(*s));
	s->st = st;
	s->f = feed_new();
	memset(&sink, 0, sizeof(sink));
	sink.on_event = sim_event;
	sink.ctx = s;
	if (server) {
		s->srv.on = 1;
		s->srv.delay = 50000;
		sink.on_request = srv_request;
	}
	wb_feed_set_sink(s->f, &sink);
}

/* Runs the deliveries in time order, the feed's timers between them, then waits them out. */
static void
sim_run(struct sim *s)
{
	uint64_t end;

	while (s->n != 0) {
		struct delivery d = sim_pop(s);
		const struct pk *p = &s->st->pk[d.pk];

		if (d.t > s->now) {
			s->now = d.t;
			wb_feed_tick(s->f, s->now);
		}
		wb_feed_datagram(s->f, d.line, p->buf, p->len, s->now);
		wb_feed_burst_end(s->f);
	}
	/* let the windows, requests and retries run their course */
	end = s->now + 200000000ull;
	while (s->now < end && (wb_feed_missing(s->f) != 0 || s->n != 0)) {
		if (s->n != 0) {
			struct delivery d = sim_pop(s);

			if (d.t > s->now)
				s->now = d.t;
			wb_feed_datagram(s->f, d.line, s->st->pk[d.pk].buf, s->st->pk[d.pk].len,
					 s->now);
			wb_feed_burst_end(s->f);
		} else {
			s->now += 20000;
		}
		wb_feed_tick(s->f, s->now);
	}
}

static void
sim_fini(struct sim *s)
{
	wb_feed_destroy(s->f);
	free(s->h);
}

/* WB_FAULTS_STATS=1: every counter, as wirebook replay --stats prints them. */
static void
stats(struct wb_feed *f)
{
	if (getenv("WB_FAULTS_STATS") != NULL)
		wb_stats_print(stdout, f);
}

static char *
dump(struct wb_feed *f)
{
	char *text = NULL;
	size_t size = 0;
	FILE *m = open_memstream(&text, &size);

	assert_non_null(m);
	assert_int_equal(wb_dump_book(m, wb_feed_book(f), 0), 0);
	fclose(m);
	return text;
}

/* The loss-free replay's book. */
static char *
reference(const struct stream *st)
{
	struct wb_feed *f = feed_new();
	unsigned int i;
	char *text;

	for (i = 0; i < st->npk; i++)
		assert_int_equal(wb_feed_datagram(f, 0, st->pk[i].buf, st->pk[i].len, i * PKT_NS),
				 st->pk[i].n);
	assert_int_equal(wb_feed_stats(f)->messages, st->nmsgs);
	assert_int_equal(wb_feed_stale(f), 0);
	text = dump(f);
	wb_feed_destroy(f);
	return text;
}

static void
assert_book_equal(struct wb_feed *f, const char *ref)
{
	char *text = dump(f);

	assert_true(strlen(text) > 1000);
	assert_string_equal(text, ref);
	free(text);
}

/*
 * The scenario: 5% independent loss on A and on B, B from one
 * packet early to three late, every packet on at least one line: nothing
 * lost, no gap, the loss-free book.
 */
static void
test_ab_loss_skew(void **state)
{
	struct stream st;
	struct sim s;
	char *ref;
	unsigned int i, lost_a = 0, lost_b = 0;

	(void)state;
	stream_make(&st, 11, 60000, sess1);
	ref = reference(&st);
	sim_init(&s, &st, 0);
	rng_state = 7;
	for (i = 0; i < st.npk; i++) {
		struct ab_fate x = ab_fate(i, PKT_NS);

		lost_a += !x.a;
		lost_b += !x.b;
		if (x.a)
			sim_push(&s, (uint64_t)i * PKT_NS, i, WB_FEED_LINE_A);
		if (x.b)
			sim_push(&s, x.tb, i, WB_FEED_LINE_B);
	}
	sim_run(&s);
	print_message("A lost %u, B lost %u of %u packets; held %" PRIu64 ", filled %" PRIu64 "\n",
		      lost_a, lost_b, st.npk, wb_feed_rel_stats(s.f)->held,
		      wb_feed_rel_stats(s.f)->filled);
	stats(s.f);
	assert_true(lost_a > st.npk / 40 && lost_b > st.npk / 40);
	assert_int_equal(wb_feed_stats(s.f)->messages, st.nmsgs);
	assert_int_equal(wb_feed_session_stats(s.f)->gaps, 0);
	assert_int_equal(s.gap_events, 0);
	assert_int_equal(wb_feed_stale(s.f), 0);
	assert_true(wb_feed_rel_stats(s.f)->filled > 0);
	assert_book_equal(s.f, ref);
	sim_fini(&s);
	free(ref);
	stream_free(&st);
}

/* One line only, adjacent packets swapped every 50: nothing lost. */
static void
test_swapped(void **state)
{
	struct stream st;
	struct sim s;
	char *ref;
	unsigned int i;

	(void)state;
	stream_make(&st, 12, 20000, sess1);
	ref = reference(&st);
	sim_init(&s, &st, 0);
	for (i = 0; i < st.npk; i++) {
		unsigned int j = i;

		if (i % 50 == 10)
			j = i + 1;
		else if (i % 50 == 11)
			j = i - 1;
		sim_push(&s, (uint64_t)i * PKT_NS, j, WB_FEED_LINE_A);
	}
	sim_run(&s);
	assert_int_equal(wb_feed_stats(s.f)->messages, st.nmsgs);
	assert_int_equal(wb_feed_session_stats(s.f)->gaps, 0);
	assert_int_equal(wb_feed_session_stats(s.f)->regressions, 0);
	assert_int_equal(wb_feed_stale(s.f), 0);
	assert_book_equal(s.f, ref);
	sim_fini(&s);
	free(ref);
	stream_free(&st);
}

/*
 * The numbering restarts at 1 mid-stream on both lines (B two packets
 * behind), session unchanged: told, counted, stale; no message dropped as
 * a duplicate, so the book is still the loss-free one. A restart near the
 * start (a short step back) is told after a few packets, whose messages
 * then come from line B.
 */
static void
test_regression(void **state)
{
	static const unsigned int cut_at[2] = { 3000, 150 };
	struct stream st, re;
	struct sim s;
	char *ref;
	unsigned int i, k, c;
	uint64_t base;

	(void)state;
	for (c = 0; c < 2; c++) {
		stream_make(&st, 13, 20000, sess1);
		ref = reference(&st);
		/* the same content, numbered from 1 again after packet k */
		k = cut_at[c];
		re = st;
		re.pk = malloc(st.npk * sizeof(*re.pk));
		assert_non_null(re.pk);
		memcpy(re.pk, st.pk, st.npk * sizeof(*re.pk));
		base = st.pk[k].seq - 1;
		for (i = k; i < st.npk; i++) {
			re.pk[i].seq -= base;
			wb_mold_put_hdr(re.pk[i].buf, sess1, re.pk[i].seq, re.pk[i].n);
		}
		sim_init(&s, &re, 0);
		for (i = 0; i < re.npk; i++) {
			sim_push(&s, (uint64_t)i * PKT_NS, i, WB_FEED_LINE_A);
			sim_push(&s, (uint64_t)(i + 2) * PKT_NS + 1, i, WB_FEED_LINE_B);
		}
		sim_run(&s);
		stats(s.f);
		print_message("restart after %u packets: regressions %" PRIu64
			      ", dropped from the old line %" PRIu64 "\n",
			      k, wb_feed_session_stats(s.f)->regressions,
			      wb_feed_session_stats(s.f)->regress_dropped);
		assert_int_equal(wb_feed_session_stats(s.f)->regressions, 1);
		assert_int_equal(wb_feed_stale(s.f), WB_FEED_STALE_REGRESS);
		assert_int_equal(wb_feed_stats(s.f)->messages, st.nmsgs);
		assert_int_equal(wb_feed_session_stats(s.f)->gaps, 0);
		assert_book_equal(s.f, ref);
		/* a new session from 1 clears it */
		sim_fini(&s);
		free(re.pk);
		free(ref);
		stream_free(&st);
	}
}

/*
 * Joined mid-session: stale (never a wrong book published as good) with a
 * gap from 1; a new session from 1 clears the books and the stale flag, and
 * the book is then that session's loss-free one.
 */
static void
test_mid_session_start(void **state)
{
	struct stream st, st2;
	struct sim s;
	char *ref, *ref2, *text;
	unsigned int i;

	(void)state;
	stream_make(&st, 14, 20000, sess1);
	stream_make(&st2, 15, 20000, sess2);
	ref = reference(&st);
	ref2 = reference(&st2);
	sim_init(&s, &st, 0);
	for (i = 1000; i < st.npk; i++)
		sim_push(&s, (uint64_t)i * PKT_NS, i, WB_FEED_LINE_A);
	sim_run(&s);
	assert_int_equal(wb_feed_session_stats(s.f)->mid_starts, 1);
	assert_int_equal(wb_feed_stale(s.f), WB_FEED_STALE_MID_START | WB_FEED_STALE_GAP);
	assert_int_equal(s.gap_events, 1);
	assert_int_equal(s.gap_from, 1);
	assert_int_equal(wb_feed_instrument_stale(s.f, 1), 1);
	text = dump(s.f);
	assert_string_not_equal(text, ref); /* wrong: it is flagged */
	free(text);
	/* the next session from its sequence 1 */
	s.st = &st2;
	for (i = 0; i < st2.npk; i++)
		sim_push(&s, s.now + (uint64_t)(i + 1) * PKT_NS, i, WB_FEED_LINE_A);
	sim_run(&s);
	assert_int_equal(wb_feed_stale(s.f), 0);
	assert_int_equal(wb_feed_instrument_stale(s.f, 1), 0);
	assert_int_equal(wb_feed_rel_stats(s.f)->book_resets, 1);
	assert_book_equal(s.f, ref2);
	sim_fini(&s);
	free(ref);
	free(ref2);
	stream_free(&st);
	stream_free(&st2);
}

/*
 * With a request server: 2% loss on each line and 2% on both. Replies come
 * on the recovery line after 50 us, 10% of them after the timeout (the
 * retry's reply fills it): nothing lost, the loss-free book, never stale.
 */
static void
test_recovery(void **state)
{
	const struct wb_feed_rel_stats *rs;
	struct stream st;
	struct sim s;
	char *ref;
	unsigned int i, both = 0;

	(void)state;
	stream_make(&st, 16, 60000, sess1);
	ref = reference(&st);
	sim_init(&s, &st, 1);
	s.srv.late = 10;
	rng_state = 9;
	for (i = 0; i < st.npk; i++) {
		int a = rng(100) >= 2, b = rng(100) >= 2;

		if (rng(100) < 2) {
			a = b = 0;
			both++;
		}
		if (a)
			sim_push(&s, (uint64_t)i * PKT_NS, i, WB_FEED_LINE_A);
		if (b)
			sim_push(&s, (uint64_t)i * PKT_NS + 700, i, WB_FEED_LINE_B);
	}
	sim_run(&s);
	stats(s.f);
	rs = wb_feed_rel_stats(s.f);
	print_message("%u packets lost on both lines; %" PRIu64 " requests (%" PRIu64
		      " retries), %" PRIu64 " gaps recovered, %" PRIu64
		      " messages from the recovery line, recovery p50 %.0f us max %.0f us\n",
		      both, rs->requests, rs->retries, rs->recovered, rs->recovered_msgs,
		      (double)rs->recovery_p50 / 1e3, (double)rs->recovery_max / 1e3);
	assert_true(both > 10);
	assert_int_equal(wb_feed_stats(s.f)->messages, st.nmsgs);
	assert_int_equal(wb_feed_session_stats(s.f)->gaps, 0);
	assert_int_equal(s.gap_events, 0);
	assert_int_equal(wb_feed_stale(s.f), 0);
	assert_true(rs->recovered >= 1 && rs->recovered <= both);
	assert_true(rs->retries > 0);
	assert_int_equal(rs->failed, 0);
	assert_true(rs->recovered_msgs >= both);
	assert_true(rs->recovery_p50 >= WB_FEED_HOLD_US * 1000u && rs->recovery_max > rs->recovery_p50);
	assert_true(s.srv.max_count <= WB_FEED_REQ_MAX_COUNT);
	assert_book_equal(s.f, ref);
	sim_fini(&s);
	free(ref);
	stream_free(&st);
}

/*
 * The server never answers for one range: after the retries the gap is
 * declared (event, stale) and the feed keeps going. When the range comes
 * later after all (a late reply), the feed is whole again but for the
 * instruments those messages touched; every other instrument's book is
 * the loss-free one.
 */
static void
test_recovery_fails_then_late(void **state)
{
	const struct wb_feed_rel_stats *rs;
	struct wb_feed *ref_f;
	struct stream st;
	struct sim s;
	unsigned int i, k = 2000, loc, nstale = 0, nwhole = 0;
	uint64_t t_end;

	(void)state;
	stream_make(&st, 17, 20000, sess1);
	ref_f = feed_new();
	for (i = 0; i < st.npk; i++)
		wb_feed_datagram(ref_f, 0, st.pk[i].buf, st.pk[i].len, 0);
	sim_init(&s, &st, 1);
	s.srv.never_from = st.pk[k].seq;
	s.srv.never_end = st.pk[k].seq + st.pk[k].n;
	/* 4 us a packet: the hold buffer outlasts the retries' back-off */
	for (i = 0; i < st.npk; i++)
		if (i != k) {
			sim_push(&s, (uint64_t)i * 4 * PKT_NS, i, WB_FEED_LINE_A);
			sim_push(&s, (uint64_t)i * 4 * PKT_NS + 300, i, WB_FEED_LINE_B);
		}
	sim_run(&s);
	stats(s.f);
	rs = wb_feed_rel_stats(s.f);
	assert_int_equal(rs->failed, 1);
	assert_int_equal(rs->hold_full, 0);
	assert_int_equal(rs->requests, 1 + WB_FEED_REQ_RETRIES);
	assert_int_equal(rs->retries, WB_FEED_REQ_RETRIES);
	assert_int_equal(s.gap_events, 1);
	assert_int_equal(s.gap_from, st.pk[k].seq);
	assert_int_equal(wb_feed_stale(s.f), WB_FEED_STALE_GAP);
	assert_int_equal(wb_feed_stats(s.f)->messages, st.nmsgs - st.pk[k].n);
	for (loc = 1; loc <= 40; loc++)
		assert_int_equal(wb_feed_instrument_stale(s.f, (uint16_t)loc), 1);

	/* the lost packet after all, on the recovery line */
	t_end = s.now;
	sim_push(&s, t_end + 1000, k, WB_FEED_LINE_RECOVERY);
	sim_run(&s);
	assert_int_equal(rs->late_filled, 1);
	assert_int_equal(wb_feed_stale(s.f), 0);
	for (loc = 1; loc <= 40; loc++) {
		struct wb_level_info a[64], b[64];
		unsigned int side, na, nb;
		int same = 1;

		for (side = 0; side < 2; side++) {
			na = wb_book_levels(wb_feed_book(s.f), (uint16_t)loc, side ? 'S' : 'B', a, 64);
			nb = wb_book_levels(wb_feed_book(ref_f), (uint16_t)loc, side ? 'S' : 'B', b,
					    64);
			same &= na == nb && memcmp(a, b, na * sizeof(a[0])) == 0;
		}
		if (wb_feed_instrument_stale(s.f, (uint16_t)loc)) {
			nstale++;
		} else {
			assert_true(same); /* untouched by the loss: whole */
			nwhole++;
		}
	}
	print_message("after the late fill: %u instruments stale, %u whole\n", nstale, nwhole);
	assert_true(nstale >= 1 && nstale <= st.pk[k].n);
	assert_true(nwhole + st.pk[k].n >= 40);
	sim_fini(&s);
	wb_feed_destroy(ref_f);
	stream_free(&st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ab_loss_skew),
		cmocka_unit_test(test_swapped),
		cmocka_unit_test(test_regression),
		cmocka_unit_test(test_mid_session_start),
		cmocka_unit_test(test_recovery),
		cmocka_unit_test(test_recovery_fails_then_late),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
