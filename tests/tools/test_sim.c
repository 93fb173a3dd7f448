/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `wirebook sim`'s fault schedule and request-server answers: what each line
 * carries for given loss, duplication, reordering and skew, that a seed
 * repeats exactly, and that a reply holds exactly the history asked for.
 */
#include "wb_test.h"

#include "sim.h"
#include "wb_compiler.h"

#define NPKT 2000

static const uint8_t sess[WB_MOLD_SESSION_LEN] = {'S', 'E', 'S', 'S', 'I', 'O', 'N', '0', '0', '1'};

/* Per packet and line: how many times it is scheduled. */
static void
tally(const struct sim_ev *ev, size_t n, unsigned int cnt[2][NPKT])
{
	size_t i;

	memset(cnt, 0, sizeof(unsigned int) * 2 * NPKT);
	for (i = 0; i < n; i++) {
		assert_true(ev[i].pkt < NPKT);
		cnt[ev[i].line][ev[i].pkt]++;
		if (i > 0) /* sorted by slot, then line */
			assert_true(ev[i - 1].slot < ev[i].slot ||
				    (ev[i - 1].slot == ev[i].slot && ev[i - 1].line <= ev[i].line));
	}
}

static void
test_clean(void **state)
{
	static unsigned int cnt[2][NPKT];
	struct sim_faults f = {.nlines = 2, .seed = 7};
	struct sim_sched_stats st;
	struct sim_ev *ev;
	size_t n, i;

	(void)state;
	assert_int_equal(sim_schedule(NPKT, &f, &ev, &n, &st), 0);
	assert_int_equal(n, 2 * NPKT);
	for (i = 0; i < n; i++) {
		assert_int_equal(ev[i].pkt, i / 2); /* A then B, slot by slot, in order */
		assert_int_equal(ev[i].line, i % 2);
		assert_true(ev[i].slot == i / 2);
	}
	assert_true(st.line[0].sent == NPKT && st.line[1].sent == NPKT);
	assert_true(st.line[0].lost == 0 && st.lost_both == 0);
	tally(ev, n, cnt);
	for (i = 0; i < NPKT; i++)
		assert_true(cnt[0][i] == 1 && cnt[1][i] == 1);
	free(ev);
}

static void
test_loss_keep_one(void **state)
{
	static unsigned int cnt[2][NPKT];
	struct sim_faults f = {.nlines = 2, .seed = 3, .loss = {0.3, 0.3}, .keep_one = 1};
	struct sim_sched_stats st;
	struct sim_ev *ev, *ev2;
	size_t n, n2, k;
	unsigned int lost[2] = {0, 0};

	(void)state;
	assert_int_equal(sim_schedule(NPKT, &f, &ev, &n, &st), 0);
	tally(ev, n, cnt);
	for (k = 0; k < NPKT; k++) {
		assert_true(cnt[0][k] + cnt[1][k] >= 1); /* every packet on some line */
		lost[0] += cnt[0][k] == 0;
		lost[1] += cnt[1][k] == 0;
	}
	assert_int_equal(st.lost_both, 0);
	assert_true(st.kept_one > 100 && st.kept_one < 260); /* ~0.09 x 2000 */
	assert_int_equal(lost[0], st.line[0].lost);
	assert_int_equal(lost[1], st.line[1].lost);
	assert_true(lost[0] > 450 && lost[0] < 750);
	assert_true(st.line[0].sent + st.line[0].lost == NPKT);
	/* The same seed repeats exactly; another one does not. */
	assert_int_equal(sim_schedule(NPKT, &f, &ev2, &n2, &st), 0);
	assert_int_equal(n, n2);
	assert_memory_equal(ev, ev2, n * sizeof(*ev));
	free(ev2);
	f.seed = 4;
	assert_int_equal(sim_schedule(NPKT, &f, &ev2, &n2, &st), 0);
	assert_true(n != n2 || memcmp(ev, ev2, n * sizeof(*ev)) != 0);
	free(ev2);
	/* Without keep_one some packets are lost on both lines. */
	f.keep_one = 0;
	assert_int_equal(sim_schedule(NPKT, &f, &ev2, &n2, &st), 0);
	tally(ev2, n2, cnt);
	for (k = 0, lost[0] = 0; k < NPKT; k++)
		lost[0] += cnt[0][k] + cnt[1][k] == 0;
	assert_true(lost[0] > 100);
	assert_int_equal(lost[0], st.lost_both);
	free(ev2);
	free(ev);
}

static void
test_loss_both_dup_reorder(void **state)
{
	static unsigned int cnt[2][NPKT];
	struct sim_faults f = {.nlines = 2, .seed = 9, .loss_both = 0.1};
	struct sim_sched_stats st;
	struct sim_ev *ev;
	size_t n, k, i;

	(void)state;
	assert_int_equal(sim_schedule(NPKT, &f, &ev, &n, &st), 0);
	tally(ev, n, cnt);
	for (k = 0; k < NPKT; k++)
		assert_int_equal(cnt[0][k], cnt[1][k]); /* lost on both or on neither */
	assert_true(st.lost_both > 130 && st.lost_both < 270);
	assert_int_equal(n, 2 * (NPKT - st.lost_both));
	free(ev);

	/* Every packet twice on A; every pair swapped on B. */
	memset(&f, 0, sizeof(f));
	f.nlines = 2;
	f.dup[0] = 1;
	f.reorder[1] = 1;
	assert_int_equal(sim_schedule(NPKT, &f, &ev, &n, &st), 0);
	tally(ev, n, cnt);
	for (k = 0; k < NPKT; k++)
		assert_true(cnt[0][k] == 2 && cnt[1][k] == 1);
	assert_int_equal(st.line[0].duplicated, NPKT);
	assert_int_equal(st.line[1].reordered, NPKT / 2);
	for (i = 0; i < n; i++)
		if (ev[i].line == 1)
			assert_int_equal(ev[i].pkt, ev[i].slot ^ 1);
	free(ev);
}

static void
test_skew(void **state)
{
	struct sim_faults f = {.nlines = 2, .skew_lo = 3, .skew_hi = 3};
	struct sim_sched_stats st;
	struct sim_ev *ev;
	size_t n, i;
	unsigned int early = 0, late = 0;
	uint32_t last_b = UINT32_MAX;

	(void)state;
	assert_int_equal(sim_schedule(NPKT, &f, &ev, &n, &st), 0);
	for (i = 0; i < n; i++)
		assert_true(ev[i].slot == ev[i].pkt + (ev[i].line == 1 ? 3 : 0));
	free(ev);
	/* B early by 2: A is pushed back so that no slot is negative. */
	f.skew_lo = f.skew_hi = -2;
	assert_int_equal(sim_schedule(NPKT, &f, &ev, &n, &st), 0);
	for (i = 0; i < n; i++)
		assert_true(ev[i].slot == ev[i].pkt + (ev[i].line == 0 ? 2 : 0));
	free(ev);
	/* A range: each of B's packets somewhere from 1 early to 3 late, in order. */
	f.skew_lo = -1;
	f.skew_hi = 3;
	assert_int_equal(sim_schedule(NPKT, &f, &ev, &n, &st), 0);
	for (i = 0; i < n; i++) {
		int64_t d = (int64_t)ev[i].slot - 1 - (int64_t)ev[i].pkt;

		if (ev[i].line == 0) {
			assert_true(d == 0);
		} else {
			assert_true(d >= -1 && d <= 3);
			early += d == -1;
			late += d == 3;
			if (last_b != UINT32_MAX)
				assert_int_equal(ev[i].pkt, last_b + 1); /* B keeps its order */
			last_b = ev[i].pkt;
		}
	}
	assert_true(early > 30 && late > 200);
	free(ev);
}

/* A stream of npkt packets of 3 messages each, message i of 10 + i % 7 bytes. */
static void
stream(struct sim_stream *s, unsigned int npkt, uint64_t seq0, const uint8_t *session)
{
	uint8_t p[256];
	unsigned int i, j;

	for (i = 0; i < npkt; i++) {
		size_t off = WB_MOLD_HDR_LEN;
		uint64_t seq = seq0 + 3u * i;

		wb_mold_put_hdr(p, session, seq, 3);
		for (j = 0; j < 3; j++) {
			uint16_t l = (uint16_t)(10 + (seq + j) % 7);

			wb_put_be16(p + off, l);
			memset(p + off + 2, (int)((seq + j) & 0xff), l);
			off += 2u + l;
		}
		assert_int_equal(sim_stream_add(s, p, off), 0);
	}
}

static void
test_answer(void **state)
{
	struct sim_stream s;
	uint8_t out[SIM_MAX_PAYLOAD];
	struct wb_mold_pkt pkt;
	struct wb_mold_iter it;
	const uint8_t *msg;
	uint16_t n, mlen;
	size_t len;
	uint64_t q;

	(void)state;
	sim_stream_init(&s);
	stream(&s, 100, 1, sess);
	assert_int_equal(s.nmsg, 300);
	assert_true(s.first_seq == 1);
	/* Messages 50..59, re-packed in one packet starting at 50. */
	len = sim_answer(&s, 0, 301, 50, 10, 1400, out, &n);
	assert_int_equal(n, 10);
	assert_int_equal(wb_mold_parse(out, len, &pkt), (int)len);
	assert_memory_equal(pkt.session, sess, WB_MOLD_SESSION_LEN);
	assert_true(pkt.seq == 50 && pkt.count == 10);
	wb_mold_iter_init(&it, &pkt);
	for (q = 50; wb_mold_iter_next(&it, &msg, &mlen); q++) {
		assert_int_equal(mlen, 10 + q % 7);
		assert_int_equal(msg[0], q & 0xff);
		assert_int_equal(msg[mlen - 1], q & 0xff);
	}
	assert_true(q == 60);
	/* Only what was sent (hi) and not forgotten (lo) is answered. */
	assert_int_equal(sim_answer(&s, 0, 50, 50, 10, 1400, out, &n), 0);
	assert_int_equal(sim_answer(&s, 51, 301, 50, 10, 1400, out, &n), 0);
	assert_int_equal(sim_answer(&s, 0, 301, 301, 1, 1400, out, &n), 0);
	assert_int_equal(sim_answer(&s, 0, 301, 0, 1, 1400, out, &n), 0);
	len = sim_answer(&s, 0, 55, 50, 10, 1400, out, &n);
	assert_int_equal(n, 5); /* up to the last message sent */
	len = sim_answer(&s, 0, 1000, 295, 100, 1400, out, &n);
	assert_int_equal(n, 6); /* up to the end of the history */
	/* A payload too small for all: as many as fit, and the packet stays within it. */
	len = sim_answer(&s, 0, 301, 1, 300, 100, out, &n);
	assert_true(len <= 100 && n >= 1 && n < 10);
	assert_int_equal(wb_mold_parse(out, len, &pkt), (int)len);
	assert_int_equal(pkt.count, n);
	/* A new session replaces the history. */
	stream(&s, 2, 1, (const uint8_t *)"OTHERSESSN");
	assert_int_equal(s.nmsg, 6);
	assert_memory_equal(s.session, "OTHERSESSN", WB_MOLD_SESSION_LEN);
	assert_int_equal(sim_answer(&s, 0, 1000, 50, 1, 1400, out, &n), 0);
	assert_int_not_equal(sim_answer(&s, 0, 1000, 4, 3, 1400, out, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(s.npkt, 102);
	sim_stream_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_clean),
	    cmocka_unit_test(test_loss_keep_one),
	    cmocka_unit_test(test_loss_both_dup_reorder),
	    cmocka_unit_test(test_skew),
	    cmocka_unit_test(test_answer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
