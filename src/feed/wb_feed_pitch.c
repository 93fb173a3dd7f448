/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PITCH data path of a feed (wb_feed_pitch.h): Sequenced Unit, per-unit
 * sequencing, the adapter's book operations, events. A unit's messages are
 * applied as they are decoded, one at a time: the adapter reads the book
 * for a Modify, so an operation must see the ones before it applied.
 */
#include "wb_feed_pitch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wb_compiler.h"
#include "wb_err.h"
#include "wb_feed_int.h"
#include "wb_publish_int.h"

struct wb_feed_pitch {
	struct wb_pitch_adapt *adapt;
	struct wb_pitch_seq seq;
	struct wb_feed_pitch_stats stats;
	uint8_t unit_stale[WB_PITCH_UNITS]; /* a gap was declared in the unit */
};

int
wb_feed_pitch_init(struct wb_feed *f, const struct wb_feed_params *p)
{
	struct wb_pitch_adapt_params ap = {
		.max_instruments = p->book.max_instruments,
		.flags = p->pitch_flags,
	};
	struct wb_feed_pitch *fp = calloc(1, sizeof(*fp));

	if (fp == NULL) {
		wb_err_set(ENOMEM, "pitch: out of memory");
		errno = ENOMEM;
		return -ENOMEM;
	}
	fp->adapt = wb_pitch_adapt_create(&ap);
	if (fp->adapt == NULL) {
		int e = errno;

		free(fp);
		return -e;
	}
	wb_pitch_seq_init(&fp->seq);
	f->pitch = fp;
	return 0;
}

void
wb_feed_pitch_fini(struct wb_feed *f)
{
	if (f->pitch == NULL)
		return;
	wb_pitch_adapt_destroy(f->pitch->adapt);
	free(f->pitch);
	f->pitch = NULL;
}

/* ---- what wb_feed.c does after the book, for one operation ---- */

static inline void
pitch_mark_dirty(struct wb_feed *f, uint32_t locate)
{
	uint64_t *w = &f->dirty_bits[locate >> 6], bit = 1ull << (locate & 63);

	f->dirty[f->ndirty] = locate;
	f->ndirty += (*w & bit) == 0;
	*w |= bit;
}

static inline struct wb_event *
pitch_event_buf(struct wb_feed *f, struct wb_event *ev)
{
	return f->sink.pub != NULL ? wb_pub_slot(f->sink.pub) : ev;
}

static void
pitch_emit_bbo(struct wb_feed *f, uint32_t locate, uint64_t seq, uint64_t exch_ts, uint64_t rx_tsc)
{
	struct wb_event buf, *ev = pitch_event_buf(f, &buf);

	wb_book_bbo_event(f->book, locate, ev);
	ev->seq = seq;
	ev->exch_ts = exch_ts;
	ev->rx_tsc = rx_tsc;
	ev->instrument = locate;
	ev->type = WB_EV_BBO;
	ev->side = 0;
	ev->venue = f->venue;
	ev->flags = 0;
	if (f->sink.pub != NULL)
		wb_pub_bbo(f->sink.pub, ev);
	else
		f->sink.on_event(f->sink.ctx, ev);
}

/*
 * The book stores u32 prices until event ABI 2: an op whose price it cannot
 * hold (a negative options-complex spread) is counted and skipped rather
 * than applied at a wrapped price.
 */
static inline unsigned int
pitch_book_apply(struct wb_feed *f, const struct wb_book_op *op, struct wb_event *ev, uint32_t *at)
{
	if (wb_unlikely(op->price < 0 || op->price > (int64_t)UINT32_MAX)) {
		f->pitch->stats.price_range++;
		if (ev != NULL)
			ev->type = WB_EV_NONE;
		return 0;
	}
	return wb_book_apply_op(f->book, op, ev, at);
}

/* Applies one operation and publishes what it produced. */
static void
pitch_apply(struct wb_feed *f, const struct wb_book_op *op, uint64_t seq, uint64_t rx_tsc)
{
	struct wb_event buf, *ev = pitch_event_buf(f, &buf);
	unsigned int bits;
	uint32_t at = 0;
	uint64_t ts;

	f->pitch->stats.ops++;
	/* no event is built when no one takes it (replay, a bare feed) */
	bits = pitch_book_apply(f, op, f->sink.on_event != NULL ? ev : NULL, &at);
	if (bits & (WB_BOOK_CHANGED | WB_BOOK_DIRECTORY))
		pitch_mark_dirty(f, at);
	f->stats.bbo_changes += (bits & WB_BOOK_BBO_CHANGED) != 0;
	if (f->sink.on_event == NULL)
		return;
	ts = ev->exch_ts;
	if (ev->type != WB_EV_NONE) {
		ev->seq = seq;
		ev->rx_tsc = rx_tsc;
		f->burst_events++;
		if (f->sink.pub != NULL)
			wb_pub_event(f->sink.pub, ev, seq, ts, rx_tsc);
		else
			f->sink.on_event(f->sink.ctx, ev);
	}
	if (bits & WB_BOOK_BBO_CHANGED)
		pitch_emit_bbo(f, at, seq, ts, rx_tsc);
}

static void
pitch_set_inst_stale(struct wb_feed *f, uint32_t id, int on)
{
	uint64_t *w = &f->rel.inst_stale[(id >> 6) % WB_ARRAY_SIZE(f->rel.inst_stale)];
	uint64_t bit = 1ull << (id & 63);

	*w = on ? *w | bit : *w & ~bit;
}

/* A gap in a unit, declared at once: the event, the unit's instruments stale. */
static void
pitch_gap(struct wb_feed *f, const struct wb_pitch_seq_verdict *v, uint64_t rx_tsc)
{
	struct wb_feed_pitch *fp = f->pitch;
	uint32_t cur = 0, id;
	struct wb_event ev;

	if (!fp->unit_stale[v->unit]) {
		fp->unit_stale[v->unit] = 1;
		fp->stats.stale_units++;
	}
	while ((id = wb_pitch_adapt_unit_next(fp->adapt, v->unit, &cur)) != 0)
		pitch_set_inst_stale(f, id, 1);
	f->rel.stale_gen++;
	if (f->sink.on_event == NULL)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = WB_EV_GAP;
	ev.seq = ((uint64_t)v->unit << 32) | v->gap_from;
	ev.rx_tsc = rx_tsc;
	ev.u.gap.from_seq = ev.seq;
	ev.u.gap.count = v->gap_count;
	f->burst_events++;
	f->sink.on_event(f->sink.ctx, &ev);
}

static void
pitch_unit_clear(struct wb_feed *f, uint8_t unit, uint64_t seq, uint64_t rx_tsc)
{
	struct wb_feed_pitch *fp = f->pitch;
	uint32_t cur = 0, id, at;
	struct wb_book_op clr;
	unsigned int bits;

	(void)seq;
	(void)rx_tsc;
	memset(&clr, 0, sizeof(clr));
	clr.kind = WB_OP_CLEAR;
	while ((id = wb_pitch_adapt_unit_next(fp->adapt, unit, &cur)) != 0) {
		clr.instrument = id;
		bits = wb_book_apply_op(f->book, &clr, NULL, &at);
		if (bits & WB_BOOK_CHANGED)
			pitch_mark_dirty(f, id);
		f->stats.bbo_changes += (bits & WB_BOOK_BBO_CHANGED) != 0;
		pitch_set_inst_stale(f, id, 0);
		fp->stats.unit_clears++;
	}
	/* the exchange says the unit's books are empty: they are whole again */
	if (fp->unit_stale[unit]) {
		fp->unit_stale[unit] = 0;
		f->rel.stale_gen++;
	}
}

static int
pitch_msg(struct wb_feed *f, uint8_t unit, const uint8_t *msg, size_t len, uint64_t seq,
	  uint64_t rx_tsc)
{
	struct wb_feed_pitch *fp = f->pitch;
	struct wb_pitch_ops o;
	unsigned int i;
	int rc;

	rc = wb_pitch_adapt_msg(fp->adapt, f->book, unit, msg, len, &o);
	if (wb_unlikely(rc < 0)) {
		if (rc == WB_PROTO_UNKNOWN)
			f->stats.msg_unknown++;
		else if (rc == WB_PROTO_TRUNCATED)
			f->stats.msg_truncated++;
		else
			f->stats.msg_malformed++;
		return rc;
	}
	f->stats.messages++;
	for (i = 0; i < o.n; i++) {
		/* an instrument announced after its unit's gap missed its start */
		if (wb_unlikely(o.op[i].kind == WB_OP_DIRECTORY) && fp->unit_stale[unit])
			pitch_set_inst_stale(f, o.op[i].instrument, 1);
		pitch_apply(f, &o.op[i], seq, rx_tsc);
	}
	if (wb_unlikely(o.clear_unit))
		pitch_unit_clear(f, unit, seq, rx_tsc);
	return 0;
}

/*
 * The window entry of the order a message names (its id is at offset 6 in
 * every order message: adds, executions, reduces, modifies, deletes), so
 * that the misses of a unit's messages overlap; the rest of the order's
 * state is found when it is applied.
 */
static inline void
pitch_prefetch(const struct wb_feed *f, const uint8_t *msg, uint8_t len)
{
	uint8_t t = msg[1];

	if (len >= 14 && ((t >= WB_PITCH_ADD_LONG && t <= WB_PITCH_DELETE) ||
			  t == WB_PITCH_ADD_EXPANDED))
		wb_book_prefetch(f->book, wb_pitch_le64(msg + 6));
}

unsigned int
wb_feed_pitch_messages(struct wb_feed *f, const uint8_t *units, const uint8_t *const *msgs,
		       const uint8_t *lens, unsigned int n, uint64_t seq, uint64_t rx_tsc)
{
	unsigned int i, applied = 0;

	if (f->pitch == NULL)
		return 0;
	if (n > 1 && wb_book_stats(f->book)->live_orders >= WB_BOOK_CACHED_ORDERS)
		for (i = 0; i < n; i++)
			if (lens[i] >= 2)
				pitch_prefetch(f, msgs[i], lens[i]);
	for (i = 0; i < n; i++)
		applied += pitch_msg(f, units[i], msgs[i], lens[i], seq + i, rx_tsc) == 0;
	return applied;
}

unsigned int
wb_feed_pitch_datagram(struct wb_feed *f, unsigned int line, const uint8_t *buf, size_t len,
		       uint64_t rx_tsc)
{
	struct wb_feed_pitch *fp = f->pitch;
	struct wb_pitch_seq_verdict v;
	struct wb_pitch_iter it;
	struct wb_pitch_pkt pkt;
	const uint8_t *msg;
	unsigned int i = 0, n, end;
	uint64_t base;
	uint8_t mlen;
	int rc;

	f->stats.datagrams++;
	f->stats.bytes += len;
	rc = wb_pitch_parse(buf, len, &pkt);
	if (wb_unlikely(rc < 0)) {
		f->stats.bad_packets++;
		if (rc == WB_PROTO_TRUNCATED)
			f->stats.pkt_truncated++;
		else
			f->stats.pkt_malformed++;
		return 0;
	}
	fp->stats.pad_bytes += len - (size_t)rc;
	/* replies to a gap request come with their original unit and sequence:
	 * the recovery line is one more line of the same tracker */
	n = wb_pitch_seq_accept(&fp->seq, line, &pkt, &v);
	if (wb_unlikely(v.gap_count != 0))
		pitch_gap(f, &v, rx_tsc);
	if (n == 0)
		return 0;
	base = ((uint64_t)pkt.unit << 32) | pkt.seq;
	end = (unsigned int)v.skip + n;
	/* as the ITCH path: only when the book is larger than the cache */
	if (n > 1 && wb_book_stats(f->book)->live_orders >= WB_BOOK_CACHED_ORDERS) {
		wb_pitch_iter_init(&it, &pkt);
		while (i < end && wb_pitch_iter_next(&it, &msg, &mlen))
			if (i++ >= v.skip)
				pitch_prefetch(f, msg, mlen);
		i = 0;
	}
	wb_pitch_iter_init(&it, &pkt);
	while (i < end && wb_pitch_iter_next(&it, &msg, &mlen)) {
		if (i >= v.skip)
			pitch_msg(f, pkt.unit, msg, mlen, pkt.seq != 0 ? base + i : base, rx_tsc);
		i++;
	}
	return n;
}

const struct wb_pitch_adapt *
wb_feed_pitch_adapt(const struct wb_feed *f)
{
	return f->pitch != NULL ? f->pitch->adapt : NULL;
}

const struct wb_pitch_seq *
wb_feed_pitch_seq(const struct wb_feed *f)
{
	return f->pitch != NULL ? &f->pitch->seq : NULL;
}

const struct wb_feed_pitch_stats *
wb_feed_pitch_stats(const struct wb_feed *f)
{
	return f->pitch != NULL ? &f->pitch->stats : NULL;
}

int
wb_feed_pitch_detect(const uint8_t *buf, size_t len)
{
	struct wb_pitch_pkt pkt;

	return len >= WB_PITCH_HDR_LEN && wb_pitch_parse(buf, len, &pkt) == (int)len;
}
