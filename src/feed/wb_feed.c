/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_feed.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wb_compiler.h"
#include "wb_err.h"
#include "wb_feed_int.h"
#include "wb_feed_pitch.h"
#include "wb_itch_op.h"
#include "wb_publish_int.h"
#include "wb_tsc.h"

/*
 * Messages are taken a batch at a time (up to WB_FEED_BATCH: the messages
 * of the datagrams queued in one receive burst, a datagram, or bare
 * records), the book state the batch will touch is prefetched in stages
 * (the order, then its level and neighbours), and only then applied in
 * order. On a book larger than the cache each
 * message is a chain of dependent misses; batching lets the misses of
 * different messages overlap instead of queueing behind each other.
 *
 * The book reads no message bytes. A PITCH message becomes book ops
 * (struct wb_book_op) as it is taken into the batch (wb_feed_pitch.c). An
 * ITCH order message (nearly all of a feed) stays in place: the ITCH
 * adapter (wb_itch_op.h) reads it through the protocol's accessors for the
 * prefetch's keys, then applies it with the book's call for its kind, one
 * dispatch a message; other ITCH messages are decoded into ops.
 */

void
wb_feed_params_default(struct wb_feed_params *p)
{
	memset(p, 0, sizeof(*p));
	wb_book_params_default(&p->book);
	p->venue = WB_VENUE_NASDAQ;
	p->hold_packets = WB_FEED_HOLD_PACKETS;
	p->hold_bytes = WB_FEED_HOLD_BYTES;
	p->req_retries = WB_FEED_REQ_RETRIES;
	p->req_max_count = WB_FEED_REQ_MAX_COUNT;
	wb_feed_params_clock(p, 1000000000ull);
}

void
wb_feed_params_clock(struct wb_feed_params *p, uint64_t ticks_per_sec)
{
	uint64_t us = ticks_per_sec / 1000000u;

	if (us == 0)
		us = 1;
	p->hold_ticks = WB_FEED_HOLD_US * us;
	p->req_timeout_ticks = WB_FEED_REQ_TIMEOUT_US * us;
	p->req_min_ticks = WB_FEED_REQ_MIN_US * us;
}

/* The per-instrument bits and the dirty list, sized by the book's max_instruments. */
static int
wb_feed_inst_alloc(struct wb_feed *f)
{
	uint32_t n = wb_book_max_instruments(f->book);

	f->rel.inst_words = (uint32_t)(((uint64_t)n + 63) / 64);
	f->dirty = calloc((size_t)n + 1, sizeof(*f->dirty));
	f->dirty_bits = calloc(f->rel.inst_words, sizeof(uint64_t));
	f->rel.inst_stale = calloc(f->rel.inst_words, sizeof(uint64_t));
	f->rel.lost_touch = calloc(f->rel.inst_words, sizeof(uint64_t));
	if (f->dirty == NULL || f->dirty_bits == NULL || f->rel.inst_stale == NULL ||
	    f->rel.lost_touch == NULL) {
		errno = ENOMEM;
		return wb_err_set(ENOMEM, "out of memory for %u instruments", n);
	}
	return 0;
}

static void
wb_feed_inst_free(struct wb_feed *f)
{
	free(f->dirty);
	free(f->dirty_bits);
	free(f->rel.inst_stale);
	free(f->rel.lost_touch);
}

struct wb_feed *
wb_feed_create(const struct wb_feed_params *p)
{
	struct wb_feed *f;

	if (p->protocol > WB_FEED_PITCH) {
		wb_err_set(EINVAL, "feed %u: protocol %u unknown", p->id, p->protocol);
		errno = EINVAL;
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (f == NULL) {
		wb_err_set(ENOMEM, "feed: out of memory");
		errno = ENOMEM;
		return NULL;
	}
	f->book = wb_book_create(&p->book);
	if (f->book == NULL) {
		int e = errno;

		wb_err_append(e, "feed %u", p->id);
		free(f);
		errno = e;
		return NULL;
	}
	f->id = p->id;
	f->venue = p->venue;
	wb_session_init(&f->session);
	if (wb_feed_inst_alloc(f) < 0 || wb_feed_rel_init(f, p) < 0) {
		int e = errno;

		wb_err_append(e, "feed %u", p->id);
		wb_feed_inst_free(f);
		wb_book_destroy(f->book);
		free(f);
		errno = e;
		return NULL;
	}
	if (p->protocol == WB_FEED_PITCH && wb_feed_pitch_init(f, p) < 0) {
		int e = errno;

		wb_err_append(e, "feed %u", p->id);
		wb_feed_destroy(f);
		errno = e;
		return NULL;
	}
	return f;
}

void
wb_feed_destroy(struct wb_feed *f)
{
	if (f == NULL)
		return;
	wb_feed_pitch_fini(f);
	wb_feed_rel_fini(f);
	wb_feed_inst_free(f);
	wb_book_destroy(f->book);
	free(f);
}

void
wb_feed_set_sink(struct wb_feed *f, const struct wb_feed_sink *sink)
{
	if (sink == NULL)
		memset(&f->sink, 0, sizeof(f->sink));
	else
		f->sink = *sink;
}

void
wb_feed_set_requester(struct wb_feed *f,
		      int (*on_request)(void *req_ctx, const uint8_t session[WB_MOLD_SESSION_LEN],
					uint64_t seq, uint16_t count),
		      void *req_ctx)
{
	f->sink.on_request = on_request;
	f->sink.req_ctx = req_ctx;
}

/* Without a branch: whether a burst has seen an instrument yet does not predict. */
static inline void
wb_feed_mark_dirty(struct wb_feed *f, uint32_t locate)
{
	uint64_t *w = &f->dirty_bits[locate >> 6], bit = 1ull << (locate & 63);

	f->dirty[f->ndirty] = locate;
	f->ndirty += (*w & bit) == 0;
	*w |= bit;
}

/* The buffer to build the next event in: the publisher's ring slot, or ev. */
static inline struct wb_event *
wb_feed_event_buf(struct wb_feed *f, struct wb_event *ev)
{
	return f->sink.pub != NULL ? wb_pub_slot(f->sink.pub) : ev;
}

static inline void
wb_feed_emit_bbo(struct wb_feed *f, uint32_t locate, uint64_t seq, uint64_t exch_ts,
		 uint64_t rx_tsc)
{
	struct wb_event buf, *ev = wb_feed_event_buf(f, &buf);

	wb_book_bbo_event(f->book, locate, ev);
	ev->seq = seq;
	ev->exch_ts = exch_ts;
	ev->rx_tsc = rx_tsc;
	ev->instrument = locate;
	ev->type = WB_EV_BBO;
	ev->side = 0;
	ev->venue = f->venue;
	ev->flags = 0;
	_Static_assert(sizeof(ev->u.bbo) == sizeof(ev->u), "a BBO event fills the union");
	if (f->sink.pub != NULL)
		wb_pub_bbo(f->sink.pub, ev);
	else
		f->sink.on_event(f->sink.ctx, ev);
}


/* Takes one message into the batch; returns 0 or a negative WB_PROTO_* code. */
static inline int
wb_feed_decode(struct wb_feed *f, struct wb_feed_batch *bt, const uint8_t *msg, size_t len,
	       uint64_t seq, uint64_t rx_tsc)
{
	int rc = wb_itch_take(msg, len, &bt->raw[bt->n], &bt->op[bt->n]);

	if (wb_unlikely(rc < 0)) {
		if (rc == WB_PROTO_UNKNOWN)
			f->stats.msg_unknown++;
		else if (rc == WB_PROTO_TRUNCATED)
			f->stats.msg_truncated++;
		else
			f->stats.msg_malformed++;
		return rc;
	}
	bt->type[bt->n] = (uint8_t)rc;
	bt->tsc[bt->n] = rx_tsc;
	bt->seq[bt->n++] = seq;
	return 0;
}

/* A PITCH feed counts its messages in by_type at their wb_pitch_types index. */
_Static_assert(WB_PITCH_NTYPES <= WB_ITCH_NTYPES, "PITCH type indexes fit wb_feed_stats.by_type");

/* itch: a constant after inlining, the protocol of the batch's feed */
static inline void
wb_feed_apply(struct wb_feed *f, const struct wb_feed_batch *bt, unsigned int i, int itch)
{
	uint64_t rx_tsc = bt->tsc[i];
	struct wb_event buf, *ev;
	uint64_t seq = bt->seq[i], ts;
	unsigned int bits;
	uint32_t at = 0;

	/* a message a PITCH adapter made into two ops is one message (an
	 * ITCH message is always one) */
	if (itch || wb_likely(bt->type[i] != WB_FEED_TYPE_MORE)) {
		f->stats.messages++;
		f->stats.by_type[bt->type[i]]++;
	}
	ev = wb_feed_event_buf(f, &buf);
	/* no event is built when no one takes it (replay, a bare feed); at is
	 * the instrument the book changed: for ops naming an order the
	 * order's own, whatever instrument the message carried */
	if (itch && wb_likely(bt->raw[i] != NULL))
		bits = wb_itch_apply_order(f->book, bt->raw[i], f->sink.on_event != NULL ? ev : NULL,
					   &at);
	else
		bits = wb_book_apply_op(f->book, &bt->op[i], f->sink.on_event != NULL ? ev : NULL,
					&at);
	if (bits & (WB_BOOK_CHANGED | WB_BOOK_DIRECTORY))
		wb_feed_mark_dirty(f, at);
	f->stats.bbo_changes += (bits & WB_BOOK_BBO_CHANGED) != 0;
	if (f->sink.on_event == NULL)
		return;
	ts = ev->exch_ts;
	if (ev->type != WB_EV_NONE) {
		ev->seq = seq;
		ev->rx_tsc = rx_tsc;
		ev->venue = f->venue;
		f->burst_events++;
		if (f->sink.pub != NULL)
			wb_pub_event(f->sink.pub, ev, seq, ts, rx_tsc);
		else
			f->sink.on_event(f->sink.ctx, ev);
	}
	if (bits & WB_BOOK_BBO_CHANGED)
		wb_feed_emit_bbo(f, at, seq, ts, rx_tsc);
}

/* The prefetch pays for itself only when the book misses the cache. */
static inline int
wb_feed_want_prefetch(const struct wb_feed *f, const struct wb_feed_batch *bt)
{
	return bt->n > 1 && wb_book_stats(f->book)->live_orders >= WB_BOOK_CACHED_ORDERS;
}

/* A batch wb_feed_decode (ITCH) filled. */
static void
wb_feed_flush(struct wb_feed *f, struct wb_feed_batch *bt)
{
	unsigned int i;

	if (wb_feed_want_prefetch(f, bt))
		wb_itch_prefetch(f->book, bt->raw, bt->n);
	for (i = 0; i < bt->n; i++)
		wb_feed_apply(f, bt, i, 1);
	bt->n = 0;
}

/* A batch of ops only (PITCH). */
static void
wb_feed_flush_ops(struct wb_feed *f, struct wb_feed_batch *bt)
{
	unsigned int i;

	if (wb_feed_want_prefetch(f, bt))
		wb_book_prefetch_ops(f->book, bt->op, bt->n);
	for (i = 0; i < bt->n; i++)
		wb_feed_apply(f, bt, i, 0);
	bt->n = 0;
}

/* Applies what queued datagrams left pending, so that what follows keeps its order. */
void
wb_feed_flush_pending(struct wb_feed *f)
{
	if (f->pend.n == 0)
		return;
	if (f->pitch == NULL)
		wb_feed_flush(f, &f->pend);
	else
		wb_feed_flush_ops(f, &f->pend);
}

/* Queues the messages of pkt the verdict applies; returns those taken. */
static inline unsigned int
wb_feed_take_inline(struct wb_feed *f, const struct wb_mold_pkt *pkt,
		    const struct wb_session_verdict *v, uint64_t rx_tsc)
{
	struct wb_feed_batch *bt = &f->pend;
	struct wb_mold_iter it;
	const uint8_t *msg;
	unsigned int i = 0, taken = 0;
	uint16_t mlen;

	wb_mold_iter_init(&it, pkt);
	while (wb_mold_iter_next(&it, &msg, &mlen)) {
		if (i++ < v->skip)
			continue;
		if (wb_feed_decode(f, bt, msg, mlen, pkt->seq + i - 1, rx_tsc) == 0)
			taken++;
		if (bt->n == WB_FEED_BATCH)
			wb_feed_flush(f, bt);
	}
	return taken;
}

unsigned int
wb_feed_take(struct wb_feed *f, const struct wb_mold_pkt *pkt, const struct wb_session_verdict *v,
	     uint64_t rx_tsc)
{
	return wb_feed_take_inline(f, pkt, v, rx_tsc);
}

/* After the books were cleared: every known instrument's snapshot is rewritten. */
void
wb_feed_mark_all_dirty(struct wb_feed *f)
{
	uint32_t i, n = wb_book_max_instruments(f->book);

	for (i = 0; i < n; i++)
		if (wb_book_instrument(f->book, i)->known)
			wb_feed_mark_dirty(f, i);
}

unsigned int
wb_feed_datagram_queue(struct wb_feed *f, unsigned int line, const uint8_t *buf, size_t len,
		       uint64_t rx_tsc)
{
	struct wb_session_verdict v;
	struct wb_mold_pkt pkt;
	int rc;

	if (f->pitch != NULL)
		return wb_feed_pitch_datagram(f, line, buf, len, rx_tsc);
	f->stats.datagrams++;
	f->stats.bytes += len;
	rc = wb_mold_parse(buf, len, &pkt);
	if (wb_unlikely(rc < 0)) {
		wb_feed_bad_datagram(f, rc);
		return 0;
	}
	/* the fast path: nothing held, requested or lost; in order */
	if (wb_likely(!f->rel_busy && line < WB_FEED_LINE_RECOVERY)) {
		unsigned int n = wb_session_accept(&f->session, line, &pkt, &v);

		if (wb_likely((v.flags | v.gap_count) == 0)) {
			if (wb_unlikely(f->lost_open) && (n == 0 || v.skip != 0))
				wb_feed_rel_lost(f, &pkt);
			if (wb_likely(n != 0))
				return wb_feed_take_inline(f, &pkt, &v, rx_tsc);
			if (wb_session_missing(&f->session) == 0)
				return 0; /* a copy, a heartbeat */
		}
		return wb_feed_rel_datagram(f, line, &pkt, rx_tsc, &v, n);
	}
	/* the reorder window, recovery, stale state */
	return wb_feed_rel_datagram(f, line, &pkt, rx_tsc, NULL, 0);
}

unsigned int
wb_feed_datagram(struct wb_feed *f, unsigned int line, const uint8_t *buf, size_t len,
		 uint64_t rx_tsc)
{
	unsigned int n = wb_feed_datagram_queue(f, line, buf, len, rx_tsc);

	wb_feed_flush_pending(f);
	return n;
}

int
wb_feed_message(struct wb_feed *f, const uint8_t *msg, size_t len, uint64_t seq, uint64_t rx_tsc)
{
	struct wb_feed_batch bt;
	int rc;

	wb_feed_flush_pending(f);
	bt.n = 0;
	rc = wb_feed_decode(f, &bt, msg, len, seq, rx_tsc);
	if (rc == 0)
		wb_feed_flush(f, &bt);
	return rc;
}

unsigned int
wb_feed_messages(struct wb_feed *f, const uint8_t *const *msgs, const uint16_t *lens,
		 unsigned int n, uint64_t seq, uint64_t rx_tsc)
{
	struct wb_feed_batch bt;
	unsigned int i, applied = 0;

	wb_feed_flush_pending(f);
	bt.n = 0;
	for (i = 0; i < n; i++) {
		if (wb_feed_decode(f, &bt, msgs[i], lens[i], seq + i, rx_tsc) == 0)
			applied++;
		if (bt.n == WB_FEED_BATCH)
			wb_feed_flush(f, &bt);
	}
	wb_feed_flush(f, &bt);
	return applied;
}

void
wb_feed_burst_end(struct wb_feed *f)
{
	unsigned int i;

	wb_feed_flush_pending(f);
	if (f->stamp)
		f->applied_tsc = wb_rdtsc();
	/* A burst of trades or a gap changes no book but still matters to
	 * the sink (last trade, stale flags, resync point). */
	if (f->ndirty == 0 && f->burst_events == 0)
		return;
	f->burst_events = 0;
	if (f->sink.on_burst_end != NULL)
		f->sink.on_burst_end(f->sink.ctx, f);
	for (i = 0; i < f->ndirty; i++)
		f->dirty_bits[f->dirty[i] >> 6] = 0;
	f->ndirty = 0;
}

void
wb_feed_set_stamp(struct wb_feed *f, int on)
{
	f->stamp = on;
}

void
wb_feed_idle(struct wb_feed *f)
{
	if (f->sink.pub != NULL)
		wb_pub_warm(f->sink.pub);
}

uint64_t
wb_feed_applied_tsc(const struct wb_feed *f)
{
	return f->applied_tsc;
}

const uint32_t *
wb_feed_dirty(const struct wb_feed *f, unsigned int *n)
{
	*n = f->ndirty;
	return f->dirty;
}

struct wb_book *
wb_feed_book(struct wb_feed *f)
{
	return f->book;
}

const struct wb_feed_stats *
wb_feed_stats(const struct wb_feed *f)
{
	return &f->stats;
}

const struct wb_session_stats *
wb_feed_session_stats(const struct wb_feed *f)
{
	return &f->session.stats;
}

uint32_t
wb_feed_id(const struct wb_feed *f)
{
	return f->id;
}

uint8_t
wb_feed_venue(const struct wb_feed *f)
{
	return f->venue;
}

const char *
wb_feed_long_name(const struct wb_feed *f, uint32_t instrument)
{
	const char *s;

	if (f->pitch == NULL)
		return NULL;
	s = wb_pitch_adapt_long_name(wb_feed_pitch_adapt(f), instrument);
	return s != NULL && s[0] != '\0' ? s : NULL;
}
