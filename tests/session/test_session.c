/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_test.h"

#include "wb_moldudp64.h"
#include "wb_session.h"

static const uint8_t sess_a[WB_MOLD_SESSION_LEN] = "000010059B";
static const uint8_t sess_b[WB_MOLD_SESSION_LEN] = "000010059C";

/* Builds a packet of n one-byte-long... messages (content irrelevant here). */
static struct wb_mold_pkt
pkt(uint8_t *buf, const uint8_t *session, uint64_t seq, uint16_t n)
{
	struct wb_mold_pkt p;
	size_t len = WB_MOLD_HDR_LEN;
	unsigned int i;

	wb_mold_put_hdr(buf, session, seq, n);
	if (n != 0 && n != WB_MOLD_END_OF_SESSION) {
		for (i = 0; i < n; i++) {
			buf[len] = 0;
			buf[len + 1] = 1;
			buf[len + 2] = 'S';
			len += 3;
		}
	}
	assert_int_equal(wb_mold_parse(buf, len, &p), (int)len);
	return p;
}

static void
test_in_order_and_gap(void **state)
{
	struct wb_session s;
	struct wb_session_verdict v;
	uint8_t buf[512];
	struct wb_mold_pkt p;

	(void)state;
	wb_session_init(&s);
	p = pkt(buf, sess_a, 1, 3);
	assert_int_equal(wb_session_accept(&s, 0, &p, &v), 3);
	assert_int_equal(v.skip, 0);
	assert_int_equal(v.gap_count, 0);
	assert_int_equal(v.flags, WB_SV_NEW_SESSION);
	p = pkt(buf, sess_a, 4, 99);
	assert_int_equal(wb_session_accept(&s, 0, &p, &v), 99);
	assert_int_equal(v.flags, 0);
	p = pkt(buf, sess_a, 103, 2);
	assert_int_equal(wb_session_accept(&s, 0, &p, &v), 2);
	assert_int_equal(s.next_seq, 105);
	p = pkt(buf, sess_a, 110, 1); /* 105..109 lost */
	assert_int_equal(wb_session_accept(&s, 0, &p, &v), 1);
	assert_int_equal(v.gap_from, 105);
	assert_int_equal(v.gap_count, 5);
	assert_int_equal(s.stats.gaps, 1);
	assert_int_equal(s.stats.gap_msgs, 5);
	assert_int_equal(s.next_seq, 111);
}

static void
test_ab_arbitration(void **state)
{
	struct wb_session s;
	struct wb_session_verdict v;
	uint8_t buf[512];
	struct wb_mold_pkt p;

	(void)state;
	wb_session_init(&s);
	p = pkt(buf, sess_a, 1, 4);
	assert_int_equal(wb_session_accept(&s, 0, &p, &v), 4); /* A first */
	assert_int_equal(wb_session_accept(&s, 1, &p, &v), 0); /* B copy dropped */
	assert_int_equal(s.stats.dup_packets, 1);
	assert_int_equal(s.stats.dup_msgs, 4);
	p = pkt(buf, sess_a, 5, 2);
	assert_int_equal(wb_session_accept(&s, 1, &p, &v), 2); /* B wins this one */
	assert_int_equal(s.stats.line_first[0], 1);
	assert_int_equal(s.stats.line_first[1], 1);
	/* Overlap: B re-packetised 6..9; 6 was applied, 7..9 are new. */
	p = pkt(buf, sess_a, 6, 4);
	assert_int_equal(wb_session_accept(&s, 0, &p, &v), 3);
	assert_int_equal(v.skip, 1);
	assert_int_equal(v.apply, 3);
	assert_int_equal(s.next_seq, 10);
	assert_int_equal(s.stats.gaps, 0);
}

static void
test_heartbeat_and_end(void **state)
{
	struct wb_session s;
	struct wb_session_verdict v;
	uint8_t buf[512];
	struct wb_mold_pkt p;

	(void)state;
	wb_session_init(&s);
	p = pkt(buf, sess_a, 1, 2);
	wb_session_accept(&s, 0, &p, &v);
	p = pkt(buf, sess_a, 3, 0); /* heartbeat, nothing missed */
	assert_int_equal(wb_session_accept(&s, 0, &p, &v), 0);
	assert_int_equal(v.gap_count, 0);
	p = pkt(buf, sess_a, 7, 0); /* heartbeat says 3..6 were sent */
	assert_int_equal(wb_session_accept(&s, 0, &p, &v), 0);
	assert_int_equal(v.gap_from, 3);
	assert_int_equal(v.gap_count, 4);
	assert_int_equal(s.stats.heartbeats, 2);
	p = pkt(buf, sess_a, 7, WB_MOLD_END_OF_SESSION);
	assert_int_equal(wb_session_accept(&s, 0, &p, &v), 0);
	assert_int_equal(s.ended, 1);
	assert_int_equal(s.stats.end_of_session, 1);
}

static void
test_session_change_and_unsequenced(void **state)
{
	struct wb_session s;
	struct wb_session_verdict v;
	uint8_t buf[512];
	struct wb_mold_pkt p;

	(void)state;
	wb_session_init(&s);
	p = pkt(buf, sess_a, 1, 2);
	wb_session_accept(&s, 0, &p, &v);
	p = pkt(buf, sess_b, 1, 3); /* new session restarts the sequence */
	assert_int_equal(wb_session_accept(&s, 0, &p, &v), 3);
	assert_int_equal(v.gap_count, 0);
	assert_int_equal(v.flags, WB_SV_NEW_SESSION);
	assert_int_equal(s.stats.session_changes, 1);
	assert_int_equal(s.next_seq, 4);
	/* Sequence 0 (zeroed captures): applied, the sequence untouched. */
	p = pkt(buf, sess_b, 0, 2);
	assert_int_equal(wb_session_accept(&s, 0, &p, &v), 2);
	assert_int_equal(wb_session_accept(&s, 0, &p, &v), 2);
	assert_int_equal(s.stats.unsequenced, 2);
	assert_int_equal(s.next_seq, 4);
}

/* A session first seen after its sequence 1: a gap from 1, flagged. */
static void
test_mid_session_start(void **state)
{
	struct wb_session s;
	struct wb_session_verdict v;
	uint8_t buf[512];
	struct wb_mold_pkt p;

	(void)state;
	wb_session_init(&s);
	p = pkt(buf, sess_a, 500, 2);
	assert_int_equal(wb_session_accept(&s, 0, &p, &v), 2);
	assert_int_equal(v.flags, WB_SV_NEW_SESSION | WB_SV_MID_START);
	assert_int_equal(v.gap_from, 1);
	assert_int_equal(v.gap_count, 499);
	assert_int_equal(s.stats.mid_starts, 1);
	/* with hold, the packet waits for 1..499 instead */
	wb_session_init(&s);
	wb_session_set_hold(&s, 1);
	assert_int_equal(wb_session_accept(&s, 1, &p, &v), 0);
	assert_int_equal(v.flags, WB_SV_NEW_SESSION | WB_SV_MID_START | WB_SV_AHEAD);
	assert_int_equal(v.gap_count, 0);
	assert_int_equal(s.next_seq, 1);
	assert_int_equal(wb_session_missing(&s), 501);
	/* a heartbeat first: the same */
	wb_session_init(&s);
	p = pkt(buf, sess_a, 77, 0);
	assert_int_equal(wb_session_accept(&s, 0, &p, &v), 0);
	assert_int_equal(v.flags, WB_SV_NEW_SESSION | WB_SV_MID_START);
	assert_int_equal(v.gap_count, 76);
}

/*
 * Hold mode: a packet ahead waits, the missing one comes from the other
 * line, the held one is resumed in order; skip declares what never came.
 */
static void
test_hold_resume_skip(void **state)
{
	struct wb_session s;
	struct wb_session_verdict v;
	uint8_t b1[512], b2[512], b3[512];
	struct wb_mold_pkt p1, p2, p3;

	(void)state;
	wb_session_init(&s);
	wb_session_set_hold(&s, 1);
	p1 = pkt(b1, sess_a, 1, 2);
	assert_int_equal(wb_session_accept(&s, 0, &p1, &v), 2);
	p3 = pkt(b3, sess_a, 5, 2); /* 3..4 late */
	assert_int_equal(wb_session_accept(&s, 0, &p3, &v), 0);
	assert_int_equal(v.flags, WB_SV_AHEAD);
	assert_int_equal(s.next_seq, 3);
	assert_int_equal(wb_session_missing(&s), 4);
	p2 = pkt(b2, sess_a, 3, 2);
	assert_int_equal(wb_session_accept(&s, 1, &p2, &v), 2); /* B fills it */
	assert_int_equal(wb_session_missing(&s), 2);
	assert_int_equal(wb_session_resume(&s, 0, &p3, &v), 2);
	assert_int_equal(s.next_seq, 7);
	assert_int_equal(wb_session_missing(&s), 0);
	assert_int_equal(s.stats.gaps, 0);
	assert_int_equal(s.stats.packets, 3); /* the resume counted nothing twice */
	/* A's late copy of 3..4 is a duplicate, not a regression: A stepped
	 * back, so the feed keeps it aside until A catches up */
	assert_int_equal(wb_session_accept(&s, 0, &p2, &v), 0);
	assert_int_equal(v.flags, WB_SV_SUSPECT);
	assert_int_equal(s.stats.dup_packets, 1);
	/* 7..9 never come: declared */
	p3 = pkt(b3, sess_a, 10, 1);
	assert_int_equal(wb_session_accept(&s, 0, &p3, &v), 0);
	wb_session_skip(&s, 10, &v);
	assert_int_equal(v.gap_from, 7);
	assert_int_equal(v.gap_count, 3);
	assert_int_equal(s.stats.gaps, 1);
	assert_int_equal(wb_session_resume(&s, 0, &p3, &v), 1);
	assert_int_equal(s.next_seq, 11);
}

/*
 * Regression: line A restarts its numbering at 1 after 10..., far or near.
 * A swap on one line or a late line is not one.
 */
static void
test_regression(void **state)
{
	struct wb_session s;
	struct wb_session_verdict v;
	uint8_t buf[512];
	struct wb_mold_pkt p;
	uint64_t seq;

	(void)state;
	/* far: more than regress_seqs back on its own line, at once */
	wb_session_init(&s);
	for (seq = 1; seq < 6000; seq += 2) {
		p = pkt(buf, sess_a, seq, 2);
		assert_int_equal(wb_session_accept(&s, 0, &p, &v), 2);
		assert_int_equal(wb_session_accept(&s, 1, &p, &v), 0); /* B a copy */
	}
	p = pkt(buf, sess_a, 1, 2);
	assert_int_equal(wb_session_accept(&s, 0, &p, &v), 2);
	assert_int_equal(v.flags, WB_SV_REGRESS);
	assert_int_equal(s.stats.regressions, 1);
	assert_int_equal(s.next_seq, 3);
	/* B still on the old numbering: ignored, counted */
	p = pkt(buf, sess_a, 6001, 2);
	assert_int_equal(wb_session_accept(&s, 1, &p, &v), 0);
	assert_int_equal(s.stats.regress_dropped, 1);
	assert_int_equal(s.next_seq, 3);
	/* ... until B steps back too: then a copy like any other */
	p = pkt(buf, sess_a, 1, 2);
	assert_int_equal(wb_session_accept(&s, 1, &p, &v), 0);
	assert_int_equal(s.stats.regress_dropped, 1);
	p = pkt(buf, sess_a, 3, 2);
	assert_int_equal(wb_session_accept(&s, 1, &p, &v), 2);
	assert_int_equal(s.stats.regressions, 1);

	/* near: a step back, then regress_pkts packets continuing it */
	wb_session_init(&s);
	for (seq = 1; seq < 100; seq += 2) {
		p = pkt(buf, sess_a, seq, 2);
		wb_session_accept(&s, 0, &p, &v);
	}
	for (seq = 1; seq < 1 + 2 * WB_SESSION_REGRESS_PKTS; seq += 2) {
		p = pkt(buf, sess_a, seq, 2);
		assert_int_equal(wb_session_accept(&s, 0, &p, &v), 0);
		assert_int_equal(v.flags, WB_SV_SUSPECT);
	}
	p = pkt(buf, sess_a, seq, 2);
	assert_int_equal(wb_session_accept(&s, 0, &p, &v), 2);
	assert_int_equal(v.flags, WB_SV_REGRESS);
	/* from where the line stepped back: the packets before are missing */
	assert_int_equal(v.gap_from, 1);
	assert_int_equal(v.gap_count, seq - 1);
	assert_int_equal(s.next_seq, seq + 2);

	/* not one: two adjacent packets swapped on A, B late by 3 */
	wb_session_init(&s);
	wb_session_set_hold(&s, 1);
	for (seq = 1; seq < 200; seq += 2) {
		uint64_t a = seq, bseq = seq > 6 ? seq - 6 : 0;

		if (seq % 20 == 1)
			a = seq + 2; /* A swaps seq and seq + 2 */
		else if (seq % 20 == 3)
			a = seq - 2;
		p = pkt(buf, sess_a, a, 2);
		wb_session_accept(&s, 0, &p, &v);
		assert_int_equal(v.flags & WB_SV_REGRESS, 0);
		if (v.flags & WB_SV_AHEAD) { /* as the feed would, after the next */
			continue;
		}
		if (bseq != 0) {
			p = pkt(buf, sess_a, bseq, 2);
			wb_session_accept(&s, 1, &p, &v);
			assert_int_equal(v.flags & WB_SV_REGRESS, 0);
		}
	}
	assert_int_equal(s.stats.regressions, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order_and_gap),
		cmocka_unit_test(test_ab_arbitration),
		cmocka_unit_test(test_heartbeat_and_end),
		cmocka_unit_test(test_session_change_and_unsequenced),
		cmocka_unit_test(test_mid_session_start),
		cmocka_unit_test(test_hold_resume_skip),
		cmocka_unit_test(test_regression),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
