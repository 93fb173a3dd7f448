/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PITCH per-unit sequencing: in order, gaps, A/B duplicates and overlaps,
 * heartbeats, unsequenced packets, units independent of each other, the
 * units of a real BYX capture, hold mode (the feed's reorder window), and
 * a unit whose numbering restarts (far and near, the other line's old
 * numbering ignored, a reorder that is not a regression).
 */
#include "wb_test.h"

#include "wb_net.h"
#include "wb_pcap.h"
#include "wb_pitch.h"
#include "wb_pitch_seq.h"

/* A parsed unit of n two-byte messages (content irrelevant here). */
static struct wb_pitch_pkt
unit(uint8_t *buf, uint8_t u, uint32_t seq, uint8_t n)
{
	struct wb_pitch_pkt p;
	size_t len = WB_PITCH_HDR_LEN;
	unsigned int i;

	for (i = 0; i < n; i++) {
		buf[len] = 2;
		buf[len + 1] = 0x20;
		len += 2;
	}
	wb_pitch_put_hdr(buf, (uint16_t)len, n, u, seq);
	assert_int_equal(wb_pitch_parse(buf, len, &p), (int)len);
	return p;
}

static unsigned int
accept(struct wb_pitch_seq *s, unsigned int line, uint8_t u, uint32_t seq, uint8_t n,
       struct wb_pitch_seq_verdict *v)
{
	uint8_t buf[1024];
	struct wb_pitch_pkt p = unit(buf, u, seq, n);

	return wb_pitch_seq_accept(s, line, &p, v);
}

static void
test_in_order_and_gap(void **state)
{
	struct wb_pitch_seq s;
	struct wb_pitch_seq_verdict v;

	(void)state;
	wb_pitch_seq_init(&s);
	/* A mid-session start: the first packet sets the unit's sequence, no gap. */
	assert_int_equal(accept(&s, 0, 15, 47690, 2, &v), 2);
	assert_int_equal(v.unit, 15);
	assert_int_equal(v.gap_count, 0);
	assert_int_equal(s.stats.unit_starts, 1);
	assert_int_equal(wb_pitch_seq_next(&s, 15), 47692);
	assert_int_equal(accept(&s, 0, 15, 47692, 1, &v), 1);
	assert_int_equal(v.apply, 1);
	/* 47693..47695 lost. */
	assert_int_equal(accept(&s, 0, 15, 47696, 3, &v), 3);
	assert_int_equal(v.gap_from, 47693);
	assert_int_equal(v.gap_count, 3);
	assert_int_equal(v.skip, 0);
	assert_int_equal(v.apply, 3);
	assert_int_equal(s.stats.gaps, 1);
	assert_int_equal(s.stats.gap_msgs, 3);
	assert_int_equal(s.unit[15].gaps, 1);
	assert_int_equal(s.unit[15].gap_msgs, 3);
	assert_int_equal(wb_pitch_seq_next(&s, 15), 47699);
	assert_int_equal(s.stats.line_first[0], 3);
}

static void
test_units_are_independent(void **state)
{
	struct wb_pitch_seq s;
	struct wb_pitch_seq_verdict v;

	(void)state;
	wb_pitch_seq_init(&s);
	assert_int_equal(accept(&s, 0, 1, 100, 2, &v), 2);
	assert_int_equal(accept(&s, 0, 2, 5000, 1, &v), 1);
	/* Unit 2's numbers are far from unit 1's: neither a gap nor a duplicate. */
	assert_int_equal(accept(&s, 0, 1, 102, 1, &v), 1);
	assert_int_equal(v.gap_count, 0);
	assert_int_equal(accept(&s, 0, 2, 5001, 1, &v), 1);
	assert_int_equal(v.gap_count, 0);
	/* A gap in unit 2 only. */
	assert_int_equal(accept(&s, 0, 2, 5010, 1, &v), 1);
	assert_int_equal(v.unit, 2);
	assert_int_equal(v.gap_from, 5002);
	assert_int_equal(v.gap_count, 8);
	assert_int_equal(s.unit[1].gaps, 0);
	assert_int_equal(s.unit[2].gaps, 1);
	assert_int_equal(s.stats.unit_starts, 2);
	assert_int_equal(wb_pitch_seq_next(&s, 1), 103);
	assert_int_equal(wb_pitch_seq_next(&s, 3), 0);
}

static void
test_ab_lines(void **state)
{
	struct wb_pitch_seq s;
	struct wb_pitch_seq_verdict v;

	(void)state;
	wb_pitch_seq_init(&s);
	assert_int_equal(accept(&s, 0, 7, 1, 3, &v), 3);
	/* The same packet from B: a duplicate, nothing applied. */
	assert_int_equal(accept(&s, 1, 7, 1, 3, &v), 0);
	assert_int_equal(v.apply, 0);
	assert_int_equal(s.stats.dup_packets, 1);
	assert_int_equal(s.stats.dup_msgs, 3);
	/* B packs differently: 3..5 overlaps 1..3 applied from A. */
	assert_int_equal(accept(&s, 1, 7, 3, 3, &v), 2);
	assert_int_equal(v.skip, 1);
	assert_int_equal(v.apply, 2);
	assert_int_equal(s.stats.dup_msgs, 4);
	assert_int_equal(wb_pitch_seq_next(&s, 7), 6);
	/* A lost 6..7, B had it: B fills in without a gap. */
	assert_int_equal(accept(&s, 1, 7, 6, 2, &v), 2);
	assert_int_equal(v.gap_count, 0);
	assert_int_equal(accept(&s, 0, 7, 6, 2, &v), 0);
	assert_int_equal(s.stats.line_first[0], 1);
	assert_int_equal(s.stats.line_first[1], 2);
	assert_int_equal(s.stats.gaps, 0);
	/* Line numbers past B count as B. */
	assert_int_equal(accept(&s, 9, 7, 8, 1, &v), 1);
	assert_int_equal(s.stats.line_first[1], 3);
}

static void
test_heartbeats_and_unsequenced(void **state)
{
	struct wb_pitch_seq s;
	struct wb_pitch_seq_verdict v;

	(void)state;
	wb_pitch_seq_init(&s);
	/* A start-of-day heartbeat: next expected 1. */
	assert_int_equal(accept(&s, 0, 1, 1, 0, &v), 0);
	assert_int_equal(s.stats.heartbeats, 1);
	assert_int_equal(wb_pitch_seq_next(&s, 1), 1);
	assert_int_equal(accept(&s, 0, 1, 1, 2, &v), 2);
	/* A heartbeat at the next expected number: nothing missing. */
	assert_int_equal(accept(&s, 0, 1, 3, 0, &v), 0);
	assert_int_equal(v.gap_count, 0);
	/* A heartbeat ahead of it: 3..4 were lost. */
	assert_int_equal(accept(&s, 0, 1, 5, 0, &v), 0);
	assert_int_equal(v.gap_from, 3);
	assert_int_equal(v.gap_count, 2);
	assert_int_equal(wb_pitch_seq_next(&s, 1), 5);
	/* The same heartbeat from B: no second gap. */
	assert_int_equal(accept(&s, 1, 1, 5, 0, &v), 0);
	assert_int_equal(s.stats.gaps, 1);
	/* Sequence 0 (a symbol mapping): applied, unsequenced, no effect on unit 1. */
	assert_int_equal(accept(&s, 0, 1, 0, 1, &v), 1);
	assert_int_equal(v.apply, 1);
	assert_int_equal(s.stats.unsequenced, 1);
	assert_int_equal(wb_pitch_seq_next(&s, 1), 5);
	assert_int_equal(s.stats.packets, 6);
}

/* The BYX capture: units 17, 15 (contiguous over 3 frames) and 31, no gap. */
static void
test_real_units(void **state)
{
	struct wb_pitch_seq s;
	struct wb_pitch_seq_verdict v;
	struct wb_pcap_pkt pkt;
	struct wb_udp_view uv;
	struct wb_pitch_pkt p;
	struct wb_pcap *pc;
	unsigned int msgs = 0;

	(void)state;
	wb_pitch_seq_init(&s);
	pc = wb_pcap_open(wb_test_data("cboe/pitch/byx-equities-v2.41/AddOrderShortMessage.pcap"));
	assert_non_null(pc);
	while (wb_pcap_next(pc, &pkt) == 1) {
		assert_int_equal(wb_net_udp(pkt.data, pkt.caplen, pkt.linktype, &uv), 0);
		assert_int_equal(wb_pitch_parse(uv.payload, uv.len, &p), (int)uv.len);
		msgs += wb_pitch_seq_accept(&s, 0, &p, &v);
		assert_int_equal(v.gap_count, 0);
	}
	wb_pcap_close(pc);
	assert_int_equal(msgs, 9);
	assert_int_equal(s.stats.packets, 5);
	assert_int_equal(s.stats.unit_starts, 3);
	assert_int_equal(s.stats.gaps, 0);
	assert_int_equal(wb_pitch_seq_next(&s, 15), 47695);
	assert_int_equal(wb_pitch_seq_next(&s, 17), 14004);
	assert_int_equal(wb_pitch_seq_next(&s, 31), 35745);
}

/* Hold mode: a packet ahead is the caller's to hold; resume applies it; skip declares. */
static void
test_hold_resume_skip(void **state)
{
	struct wb_pitch_seq s;
	struct wb_pitch_seq_verdict v;
	uint8_t buf[1024];
	struct wb_pitch_pkt p;

	(void)state;
	wb_pitch_seq_init(&s);
	wb_pitch_seq_set_hold(&s, 1);
	assert_int_equal(accept(&s, 0, 3, 10, 2, &v), 2);
	/* 12, 13 lost on A: 14 is ahead, nothing applied, no gap counted */
	p = unit(buf, 3, 14, 2);
	assert_int_equal(wb_pitch_seq_accept(&s, 0, &p, &v), 0);
	assert_int_equal(v.ahead, 1);
	assert_int_equal(v.gap_count, 0);
	assert_int_equal(s.stats.gaps, 0);
	assert_int_equal(wb_pitch_seq_next(&s, 3), 12);
	/* other units go on */
	assert_int_equal(accept(&s, 0, 4, 1, 1, &v), 1);
	/* B fills the hole, then the held packet resumes in order, counted once */
	assert_int_equal(accept(&s, 1, 3, 12, 2, &v), 2);
	assert_int_equal(wb_pitch_seq_resume(&s, 0, &p, &v), 2);
	assert_int_equal(v.skip, 0);
	assert_int_equal(wb_pitch_seq_next(&s, 3), 16);
	assert_int_equal(s.stats.packets, 4);
	/* a heartbeat ahead holds nothing */
	p = unit(buf, 3, 20, 0);
	assert_int_equal(wb_pitch_seq_accept(&s, 0, &p, &v), 0);
	assert_int_equal(v.ahead, 1);
	assert_int_equal(wb_pitch_seq_next(&s, 3), 16);
	/* the window expires: 16..19 declared */
	wb_pitch_seq_skip(&s, 3, 20, &v);
	assert_int_equal(v.unit, 3);
	assert_int_equal(v.gap_from, 16);
	assert_int_equal(v.gap_count, 4);
	assert_int_equal(s.stats.gaps, 1);
	assert_int_equal(s.unit[3].gap_msgs, 4);
	assert_int_equal(wb_pitch_seq_next(&s, 3), 20);
	/* nothing to declare: no gap */
	wb_pitch_seq_skip(&s, 3, 20, &v);
	assert_int_equal(v.gap_count, 0);
	wb_pitch_seq_skip(&s, 9, 5, &v); /* a unit not started */
	assert_int_equal(v.gap_count, 0);
	assert_int_equal(wb_pitch_seq_next(&s, 9), 0);
	/* hold off: a packet ahead is a gap at once, as before */
	wb_pitch_seq_set_hold(&s, 0);
	assert_int_equal(accept(&s, 0, 3, 22, 1, &v), 1);
	assert_int_equal(v.ahead, 0);
	assert_int_equal(v.gap_count, 2);
}

static void
test_regression(void **state)
{
	struct wb_pitch_seq s;
	struct wb_pitch_seq_verdict v;
	uint8_t buf[1024];
	struct wb_pitch_pkt p;
	uint32_t seq;

	(void)state;
	wb_pitch_seq_init(&s);
	/* units 5 and 6 in order on both lines to 100000 */
	assert_int_equal(accept(&s, 0, 5, 99990, 10, &v), 10);
	assert_int_equal(accept(&s, 1, 5, 99990, 10, &v), 0);
	assert_int_equal(accept(&s, 0, 6, 500, 1, &v), 1);
	/* far: unit 5's A restarts at 1, more than regress_seqs back, told at once */
	assert_int_equal(accept(&s, 0, 5, 1, 2, &v), 2);
	assert_int_equal(v.regress, 1);
	assert_int_equal(v.gap_count, 0);
	assert_int_equal(v.skip, 0);
	assert_int_equal(s.stats.regressions, 1);
	assert_int_equal(s.unit[5].regressions, 1);
	assert_int_equal(wb_pitch_seq_next(&s, 5), 3);
	/* B still on the old numbering: its packets and heartbeats ignored, no gap */
	assert_int_equal(accept(&s, 1, 5, 100000, 3, &v), 0);
	assert_int_equal(v.gap_count, 0);
	p = unit(buf, 5, 100003, 0);
	assert_int_equal(wb_pitch_seq_accept(&s, 1, &p, &v), 0);
	assert_int_equal(v.gap_count, 0);
	assert_int_equal(s.stats.regress_dropped, 2);
	assert_int_equal(s.stats.gaps, 0);
	assert_int_equal(wb_pitch_seq_next(&s, 5), 3);
	/* the other unit is not touched */
	assert_int_equal(accept(&s, 1, 6, 501, 1, &v), 1);
	assert_int_equal(s.unit[6].regressions, 0);
	/* B restarts too: its copy of 1..2 is a duplicate; it is a line like A again */
	assert_int_equal(accept(&s, 1, 5, 1, 2, &v), 0);
	assert_int_equal(v.regress, 0);
	assert_int_equal(s.stats.regressions, 1);
	assert_int_equal(s.stats.dup_packets, 2);
	assert_int_equal(accept(&s, 1, 5, 3, 1, &v), 1);
	/* A lost 4: B's packet beyond is a gap again, not dropped */
	assert_int_equal(accept(&s, 1, 5, 5, 1, &v), 1);
	assert_int_equal(v.gap_count, 1);
	assert_int_equal(s.stats.regress_dropped, 2);

	/* near: unit 7 steps back 40 and goes on from there, one message a
	 * packet: copies until regress_pkts packets continued the step back */
	wb_pitch_seq_init(&s);
	for (seq = 1; seq <= 100; seq++)
		assert_int_equal(accept(&s, 0, 7, seq, 1, &v), 1);
	for (seq = 61; seq <= 61 + WB_SEQ_REGRESS_PKTS - 1; seq++) {
		assert_int_equal(accept(&s, 0, 7, seq, 1, &v), 0);
		assert_int_equal(v.regress, 0);
	}
	assert_int_equal(s.stats.dup_packets, WB_SEQ_REGRESS_PKTS);
	/* the next one tells it: resynchronised from 61, the copies dropped
	 * on the way are missing */
	assert_int_equal(accept(&s, 0, 7, seq, 1, &v), 1);
	assert_int_equal(v.regress, 1);
	assert_int_equal(v.gap_from, 61);
	assert_int_equal(v.gap_count, WB_SEQ_REGRESS_PKTS);
	assert_int_equal(wb_pitch_seq_next(&s, 7), seq + 1);
	/* with hold on, the same packet would be ahead: the caller's window declares it */
	wb_pitch_seq_init(&s);
	wb_pitch_seq_set_hold(&s, 1);
	for (seq = 1; seq <= 100; seq++)
		assert_int_equal(accept(&s, 0, 7, seq, 1, &v), 1);
	for (seq = 61; seq <= 61 + WB_SEQ_REGRESS_PKTS; seq++)
		accept(&s, 0, 7, seq, 1, &v);
	assert_int_equal(v.regress, 1);
	assert_int_equal(v.ahead, 1);
	assert_int_equal(wb_pitch_seq_next(&s, 7), 61);

	/* a reorder is not a regression: B steps back within its depth and catches up */
	wb_pitch_seq_init(&s);
	assert_int_equal(accept(&s, 1, 8, 1, 1, &v), 1);
	assert_int_equal(accept(&s, 1, 8, 3, 1, &v), 1); /* 2 late: a gap, no window */
	assert_int_equal(accept(&s, 1, 8, 2, 1, &v), 0);
	assert_int_equal(accept(&s, 1, 8, 4, 1, &v), 1);
	assert_int_equal(s.stats.regressions, 0);
	/* nor is a line late by far more than regress_seqs: it never steps
	 * back on its own numbering */
	for (seq = 5; seq <= 9000; seq++)
		assert_int_equal(accept(&s, 0, 8, seq, 1, &v), 1);
	for (seq = 5; seq <= 200; seq++)
		assert_int_equal(accept(&s, 1, 8, seq, 1, &v), 0);
	assert_int_equal(s.stats.regressions, 0);
	assert_int_equal(s.stats.dup_packets, 1 + 196);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_in_order_and_gap),
	    cmocka_unit_test(test_units_are_independent),
	    cmocka_unit_test(test_ab_lines),
	    cmocka_unit_test(test_heartbeats_and_unsequenced),
	    cmocka_unit_test(test_real_units),
	    cmocka_unit_test(test_hold_resume_skip),
	    cmocka_unit_test(test_regression),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
