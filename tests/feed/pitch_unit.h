/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cboe PITCH Sequenced Units built message by message, for the PITCH feed
 * tests (test_feed_pitch.c, test_pitch_mapping.c): ub_start (or a zeroed
 * struct ub), ub_msg for each message, ub_finish to write the header. The
 * built unit stays in buf (len bytes) until the next ub_start, so it can
 * be sent again, as the other line's copy.
 */
#ifndef WB_TEST_PITCH_UNIT_H
#define WB_TEST_PITCH_UNIT_H

#include "wb_test.h"

#include "wb_pitch.h"

struct ub {
	uint8_t buf[1500];
	size_t len; /* with the header; 0 in a zeroed struct, as after ub_start */
	uint8_t count;
};

static inline void
ub_start(struct ub *u)
{
	u->len = WB_PITCH_HDR_LEN;
	u->count = 0;
}

static inline void
ub_msg(struct ub *u, const struct wb_pitch_msg *m)
{
	int len;

	if (u->len == 0)
		u->len = WB_PITCH_HDR_LEN;
	len = wb_pitch_encode(m, u->buf + u->len, sizeof(u->buf) - u->len);
	assert_true(len > 0);
	u->len += (size_t)len;
	u->count++;
}

/* Writes the header (a unit of no message: a heartbeat) and returns buf.
 * len is final before the call: callers pass it beside the call's result. */
static inline const uint8_t *
ub_finish(struct ub *u, uint8_t unit, uint32_t seq)
{
	if (u->len == 0)
		u->len = WB_PITCH_HDR_LEN;
	wb_pitch_put_hdr(u->buf, (uint16_t)u->len, u->count, unit, seq);
	return u->buf;
}

static inline struct wb_pitch_msg
m_time(uint32_t sec)
{
	struct wb_pitch_msg m;

	memset(&m, 0, sizeof(m));
	m.type = WB_PITCH_TIME;
	m.u.time.seconds = sec;
	return m;
}

#endif /* WB_TEST_PITCH_UNIT_H */
