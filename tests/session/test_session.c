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
	p = pkt(buf, sess_a, 100, 3);
	assert_int_equal(wb_session_accept(&s, 0, &p, &v), 3);
	assert_int_equal(v.skip, 0);
	assert_int_equal(v.gap_count, 0); /* first packet never counts a gap */
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
	p = pkt(buf, sess_a, 500, 2);
	wb_session_accept(&s, 0, &p, &v);
	p = pkt(buf, sess_b, 1, 3); /* new session restarts the sequence */
	assert_int_equal(wb_session_accept(&s, 0, &p, &v), 3);
	assert_int_equal(v.gap_count, 0);
	assert_int_equal(s.stats.session_changes, 1);
	assert_int_equal(s.next_seq, 4);
	/* Sequence 0 (zeroed captures): applied, the sequence untouched. */
	p = pkt(buf, sess_b, 0, 2);
	assert_int_equal(wb_session_accept(&s, 0, &p, &v), 2);
	assert_int_equal(wb_session_accept(&s, 0, &p, &v), 2);
	assert_int_equal(s.stats.unsequenced, 2);
	assert_int_equal(s.next_seq, 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order_and_gap),
		cmocka_unit_test(test_ab_arbitration),
		cmocka_unit_test(test_heartbeat_and_end),
		cmocka_unit_test(test_session_change_and_unsequenced),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
