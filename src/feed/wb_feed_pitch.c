/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PITCH data path of a feed (wb_feed_pitch.h): Sequenced Unit, per-unit
 * sequencing, then the adapter's book operations go into the feed's batch
 * (wb_feed_int.h), which the ITCH path fills too: prefetched as a batch,
 * applied and published by wb_feed.c, queued across the datagrams of a
 * receive burst. The adapter never reads the book (Cboe's modify rule and
 * an execution's remaining quantity are the book's MODIFY and TRIM), so
 * every message batches.
 */
#include "wb_feed_pitch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wb_compiler.h"
#include "wb_err.h"
#include "wb_feed_pitch_int.h"

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
	/* the reorder window: the feed's hold buffer (wb_feed_rel_init), per unit */
	fp->hold = p->hold_packets != 0;
	wb_pitch_seq_set_hold(&fp->seq, fp->hold);
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

static void
pitch_set_inst_stale(struct wb_feed *f, uint32_t id, int on)
{
	uint64_t *w = &f->rel.inst_stale[(id >> 6) % f->rel.inst_words];
	uint64_t bit = 1ull << (id & 63);

	*w = on ? *w | bit : *w & ~bit;
}

/* The unit's instruments may be wrong: stale until a Unit Clear. */
void
wb_feed_pitch_unit_stale(struct wb_feed *f, uint8_t unit)
{
	struct wb_feed_pitch *fp = f->pitch;
	uint32_t cur = 0, id;

	wb_feed_flush_pending(f); /* the messages before it come first */
	if (!fp->unit_stale[unit]) {
		fp->unit_stale[unit] = 1;
		fp->stats.stale_units++;
	}
	while ((id = wb_pitch_adapt_unit_next(fp->adapt, unit, &cur)) != 0)
		pitch_set_inst_stale(f, id, 1);
	f->rel.stale_gen++;
}

/* A gap declared in a unit: the event, the unit's instruments stale. */
void
wb_feed_pitch_gap(struct wb_feed *f, const struct wb_pitch_seq_verdict *v, uint64_t rx_tsc)
{
	struct wb_event ev;

	wb_feed_pitch_unit_stale(f, v->unit);
	if (f->sink.on_event == NULL)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = WB_EV_GAP;
	ev.venue = f->venue;
	ev.seq = ((uint64_t)v->unit << 32) | v->gap_from;
	ev.rx_tsc = rx_tsc;
	ev.u.gap.from_seq = ev.seq;
	ev.u.gap.count = v->gap_count;
	f->burst_events++;
	f->sink.on_event(f->sink.ctx, &ev);
}

/* Room for one message's operations in the batch, flushing it if needed. */
static inline struct wb_feed_batch *
pitch_batch(struct wb_feed *f, unsigned int need)
{
	if (wb_unlikely(f->pend.n + need > WB_FEED_BATCH))
		wb_feed_flush_pending(f);
	return &f->pend;
}

/* Unit Clear: a CLEAR of each of the unit's instruments, in the batch. */
static void
pitch_unit_clear(struct wb_feed *f, uint8_t unit, uint8_t type, uint64_t seq, uint64_t rx_tsc)
{
	struct wb_feed_pitch *fp = f->pitch;
	struct wb_feed_batch *bt;
	uint32_t cur = 0, id;
	unsigned int k = 0;

	while ((id = wb_pitch_adapt_unit_next(fp->adapt, unit, &cur)) != 0) {
		struct wb_book_op *op;

		bt = pitch_batch(f, 1);
		op = &bt->op[bt->n];
		op->kind = WB_OP_CLEAR;
		op->instrument = id;
		op->exch_ts = 0;
		bt->type[bt->n] = k++ == 0 ? type : WB_FEED_TYPE_MORE;
		bt->seq[bt->n] = seq;
		bt->tsc[bt->n++] = rx_tsc;
		pitch_set_inst_stale(f, id, 0);
		fp->stats.unit_clears++;
		fp->stats.ops++;
	}
	if (k == 0) { /* a unit with no instruments yet: still a message */
		f->stats.messages++;
		f->stats.by_type[type]++;
	}
	/* the exchange says the unit's books are empty: they are whole again */
	if (fp->unit_stale[unit]) {
		fp->unit_stale[unit] = 0;
		f->rel.stale_gen++;
	}
}

/* pitch_take() for a message the adapter's fast path did not take. */
static __attribute__((noinline)) int
pitch_take_slow(struct wb_feed *f, uint8_t unit, const uint8_t *msg, size_t len, uint64_t seq,
		uint64_t rx_tsc)
{
	struct wb_feed_pitch *fp = f->pitch;
	struct wb_feed_batch *bt = &f->pend;
	struct wb_pitch_ops o;
	unsigned int i, n;
	uint8_t type;
	int rc;

	o.op = &bt->op[bt->n];
	rc = len >= 2 ? wb_pitch_adapt_slow(fp->adapt, unit, msg, len, &o)
		      : wb_pitch_adapt_msg(fp->adapt, unit, msg, len, &o);
	if (wb_unlikely(rc < 0)) {
		if (rc == WB_PROTO_UNKNOWN)
			f->stats.msg_unknown++;
		else if (rc == WB_PROTO_TRUNCATED)
			f->stats.msg_truncated++;
		else
			f->stats.msg_malformed++;
		return rc;
	}
	n = o.n;
	type = o.type_index;
	fp->stats.ops += n;
	/* wb_feed.c counts the message at its first op; Time and End of
	 * Session have none, and are counted here */
	for (i = 0; i < n; i++) {
		/* an instrument announced after its unit's gap missed its start
		 * (its unit: the one it was first seen on, which a Symbol
		 * Mapping's DIRECTORY again need not come on) */
		if (o.op[i].kind == WB_OP_DIRECTORY &&
		    fp->unit_stale[wb_pitch_adapt_unit(fp->adapt, o.op[i].instrument)])
			pitch_set_inst_stale(f, o.op[i].instrument, 1);
		bt->type[bt->n] = i == 0 ? type : WB_FEED_TYPE_MORE;
		bt->seq[bt->n] = seq;
		bt->tsc[bt->n++] = rx_tsc;
	}
	if (wb_unlikely(o.clear_unit))
		pitch_unit_clear(f, unit, type, seq, rx_tsc);
	else if (n == 0) {
		f->stats.messages++;
		f->stats.by_type[type]++;
	}
	return 0;
}

/*
 * One message into the batch; 0 or a negative WB_PROTO_* code (counted).
 * The batch always has room for one message's ops when this is called: it
 * is flushed as soon as it has less.
 */
static inline int
pitch_take(struct wb_feed *f, uint8_t unit, const uint8_t *msg, size_t len, uint64_t seq,
	   uint64_t rx_tsc)
{
	struct wb_feed_batch *bt = &f->pend;
	unsigned int k = bt->n;
	int rc = 0;

	if (wb_likely(len >= 2) &&
	    wb_pitch_adapt_fast(f->pitch->adapt, unit, msg, len, &bt->op[k], &bt->type[k])) {
		bt->seq[k] = seq;
		bt->tsc[k] = rx_tsc;
		bt->n = k + 1;
		f->pitch->stats.ops++;
	} else {
		rc = pitch_take_slow(f, unit, msg, len, seq, rx_tsc);
	}
	if (wb_unlikely(bt->n > WB_FEED_BATCH - WB_PITCH_ADAPT_MAX_OPS))
		wb_feed_flush_pending(f);
	return rc;
}

unsigned int
wb_feed_pitch_messages(struct wb_feed *f, const uint8_t *units, const uint8_t *const *msgs,
		       const uint8_t *lens, unsigned int n, uint64_t seq, uint64_t rx_tsc)
{
	unsigned int i, applied = 0;

	if (f->pitch == NULL)
		return 0;
	wb_feed_flush_pending(f);
	for (i = 0; i < n; i++)
		applied += pitch_take(f, units[i], msgs[i], lens[i], seq + i, rx_tsc) == 0;
	wb_feed_flush_pending(f);
	return applied;
}

/* Queues messages skip .. skip + n - 1 of pkt. */
static inline void
pitch_apply(struct wb_feed *f, const struct wb_pitch_pkt *pkt, unsigned int skip, unsigned int n,
	    uint64_t rx_tsc)
{
	uint64_t base = ((uint64_t)pkt->unit << 32) | pkt->seq;
	unsigned int i = 0, end = skip + n;
	struct wb_pitch_iter it;
	const uint8_t *msg;
	uint8_t mlen;

	wb_pitch_iter_init(&it, pkt);
	while (i < end && wb_pitch_iter_next(&it, &msg, &mlen)) {
		if (i >= skip)
			pitch_take(f, pkt->unit, msg, mlen, pkt->seq != 0 ? base + i : base, rx_tsc);
		i++;
	}
}

void
wb_feed_pitch_apply(struct wb_feed *f, const struct wb_pitch_pkt *pkt, unsigned int skip,
		    unsigned int n, uint64_t rx_tsc)
{
	pitch_apply(f, pkt, skip, n, rx_tsc);
}

unsigned int
wb_feed_pitch_datagram(struct wb_feed *f, unsigned int line, const uint8_t *buf, size_t len,
		       uint64_t rx_tsc)
{
	struct wb_feed_pitch *fp = f->pitch;
	struct wb_pitch_seq_verdict v;
	struct wb_pitch_pkt pkt;
	unsigned int n;
	int rc;

	f->stats.datagrams++;
	f->stats.bytes += len;
	rc = wb_pitch_parse(buf, len, &pkt);
	if (wb_unlikely(rc < 0)) {
		wb_feed_bad_datagram(f, rc);
		return 0;
	}
	fp->stats.pad_bytes += len - (size_t)rc;
	/* a unit with a gap open: its reorder window (wb_feed_pitch_rel.c) */
	if (wb_unlikely(fp->unit[pkt.unit].gap_open) && pkt.seq != 0)
		return wb_feed_pitch_rel_datagram(f, line, &pkt, rx_tsc, NULL);
	/* replies to a gap request come with their original unit and sequence:
	 * the recovery line is one more line of the same tracker */
	n = wb_pitch_seq_accept(&fp->seq, line, &pkt, &v);
	if (wb_unlikely(v.regress))
		wb_feed_pitch_regress(f, pkt.unit);
	if (wb_unlikely(v.ahead))
		return wb_feed_pitch_rel_datagram(f, line, &pkt, rx_tsc, &v);
	if (wb_unlikely(v.gap_count != 0)) /* no reorder window: declared at once */
		wb_feed_pitch_gap(f, &v, rx_tsc);
	if (n != 0)
		pitch_apply(f, &pkt, v.skip, n, rx_tsc);
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
