/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cboe PITCH Sequenced Units built message by message, for the PITCH feed
 * tests (test_feed_pitch.c, test_pitch_mapping.c): ub_start (or a zeroed
 * struct ub), ub_msg for each message, ub_finish to write the header. The
 * built unit stays in buf (len bytes) until the next ub_start, so it can
 * be sent again, as the other line's copy. Also the small feed and the
 * one-message adapter run those tests and test_pitch_adapt.c share.
 */
#ifndef WB_TEST_PITCH_UNIT_H
#define WB_TEST_PITCH_UNIT_H

#include "wb_test.h"

#include "wb_feed.h"
#include "wb_pitch.h"
#include "wb_pitch_adapt.h"

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

/* Encodes m and runs it through the adapter; returns the adapter's result
 * (out->op: a static array, valid until the next call). */
static inline int
pitch_adapt_run(struct wb_pitch_adapt *a, uint8_t unit, const struct wb_pitch_msg *m,
		struct wb_pitch_ops *out)
{
	static struct wb_book_op ops[WB_PITCH_ADAPT_MAX_OPS];
	uint8_t buf[WB_PITCH_MAX_MSG_LEN];
	int len = wb_pitch_encode(m, buf, sizeof(buf));

	assert_true(len > 0);
	out->op = ops;
	return wb_pitch_adapt_msg(a, unit, buf, (size_t)len, out);
}

/* A PITCH feed (1024 orders and levels, 64 instruments), hold_packets its
 * reorder window (0: a gap is declared at once), its events to on_event. */
static inline struct wb_feed *
pitch_feed_new(unsigned int flags, uint32_t hold_packets,
	       void (*on_event)(void *ctx, const struct wb_event *ev))
{
	struct wb_feed_params p;
	struct wb_feed_sink sink;
	struct wb_feed *f;

	wb_feed_params_default(&p);
	p.hold_packets = hold_packets;
	p.protocol = WB_FEED_PITCH;
	p.pitch_flags = flags;
	p.book.max_orders = 1024;
	p.book.max_levels = 1024;
	p.book.max_instruments = 64;
	f = wb_feed_create(&p);
	assert_non_null(f);
	memset(&sink, 0, sizeof(sink));
	sink.on_event = on_event;
	wb_feed_set_sink(f, &sink);
	return f;
}

#endif /* WB_TEST_PITCH_UNIT_H */
