/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Feed -> shared memory. The per-event work is the feed's, inline
 * (wb_publish_int.h): it builds each event in the ring slot it is published
 * from, stores the tag, and notes a few values in a private per-instrument
 * table (last sequence, last trade, which sides changed), nothing that
 * depends on how many readers exist.
 * on_burst_end does the heavier work once per burst, only for the
 * instruments that burst touched: directory entries that changed, then the
 * top-N snapshot under the instrument's seqlock (skipped when every change was
 * an add, cancel or delete strictly below the worst level of a full side,
 * which cannot change the top N; a side no event touched keeps its levels),
 * written in place by wb_book_levels() (wb_level_info and wb_shm_level share
 * a layout). Last it
 * publishes snap_pos = tail, which lets a lapped reader know that every
 * event before that position is reflected in the snapshots.
 */
#include "wb_publish_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wb_err.h"
#include "wb_tsc.h"
#include "wirebook/wirebook.h"

_Static_assert(sizeof(struct wb_level_info) == sizeof(struct wb_shm_level), "level layout");
_Static_assert(offsetof(struct wb_level_info, price) == offsetof(struct wb_shm_level, price),
	       "level price");
_Static_assert(offsetof(struct wb_level_info, orders) == offsetof(struct wb_shm_level, orders),
	       "level orders");
_Static_assert(offsetof(struct wb_level_info, shares) == offsetof(struct wb_shm_level, shares),
	       "level shares");

void
wb_publish_params_default(struct wb_publish_params *p)
{
	memset(p, 0, sizeof(*p));
	p->name = WB_CLIENT_DEFAULT_NAME;
	p->ring_slots = 1u << 16;
	p->depth = 10;
	p->max_instruments = 65536;
	p->gid = -1;
	p->numa_node = -1;
}

struct wb_publisher *
wb_publisher_create(const struct wb_publish_params *p)
{
	struct wb_shm_params sp;
	struct wb_publisher *pub;
	uint32_t i;
	int rc;

	pub = calloc(1, sizeof(*pub));
	if (pub == NULL) {
		errno = ENOMEM;
		wb_err_set(ENOMEM, "publisher: out of memory");
		return NULL;
	}
	sp.name = p->name;
	sp.dir = p->dir;
	sp.ring_slots = p->ring_slots;
	sp.depth = p->depth;
	sp.max_instruments = p->max_instruments;
	sp.gid = p->gid;
	sp.numa_node = p->numa_node;
	sp.tsc_ns_per_tick = p->tsc_ns_per_tick;
	rc = wb_shm_create(&pub->shm, &sp);
	if (rc != 0) {
		free(pub);
		errno = -rc;
		return NULL;
	}
	pub->max_instruments = p->max_instruments;
	pub->depth = p->depth;
	pub->inst = calloc(p->max_instruments, sizeof(*pub->inst));
	pub->extra = calloc(p->max_instruments, sizeof(*pub->extra));
	pub->extra_bits = calloc((p->max_instruments + 63) / 64, sizeof(uint64_t));
	pub->shadow = calloc(p->max_instruments, sizeof(*pub->shadow));
	if (pub->inst == NULL || pub->extra == NULL || pub->extra_bits == NULL ||
	    pub->shadow == NULL) {
		wb_publisher_destroy(pub);
		errno = ENOMEM;
		wb_err_set(ENOMEM, "publisher: out of memory");
		return NULL;
	}
	for (i = 0; i < p->max_instruments; i++) {
		pub->inst[i].bid_floor = INT64_MIN;
		pub->inst[i].ask_ceil = INT64_MAX;
	}
	pub->ring.slots = pub->shm.ring;
	pub->ring.hdr = pub->shm.hdr;
	pub->ring.mask = pub->shm.ring_mask;
	pub->ring.pos = 0;
	return pub;
}

/*
 * Events the feed did not build in place (gaps): copied into the ring. The
 * feed publishes the others itself (wb_pub_event, wb_pub_bbo).
 */
static void
wb_pub_on_event(void *ctx, const struct wb_event *ev)
{
	struct wb_pub_chan *ch = ctx;

	wb_shm_ring_push(&ch->pub->ring, ev);
	ch->events++;
	wb_pub_note(ch, ev, ev->seq, ev->exch_ts, ev->rx_tsc);
}

static void
wb_pub_dir_entry(struct wb_pub_chan *ch, uint32_t loc)
{
	const struct wb_instrument *ins = wb_book_instrument(wb_feed_book(ch->feed), loc);
	const char *name = wb_feed_long_name(ch->feed, loc);
	struct wb_publisher *pub = ch->pub;
	struct wb_shm_dir d, *dst = &pub->shm.dir[loc];
	uint32_t s;

	memset(&d, 0, sizeof(d));
	d.instrument = loc;
	d.known = ins->known;
	d.trading_state = ins->trading_state;
	d.venue = wb_feed_venue(ch->feed);
	d.price_exp = ins->price_exp;
	memcpy(d.symbol, ins->symbol, sizeof(ins->symbol));
	memcpy(d.reason, ins->reason, sizeof(d.reason));
	d.round_lot_size = ins->round_lot_size;
	d.market_category = ins->market_category;
	d.stale = (uint8_t)wb_feed_instrument_stale(ch->feed, loc);
	/* NUL padded (d was zeroed); compared with the shadow like the rest,
	 * so a new name is written */
	if (name != NULL)
		memcpy(d.long_name, name, strnlen(name, sizeof(d.long_name) - 1));
	/* equal to the shadow's known whether or not the entry is rewritten */
	pub->inst[loc].dir_known = d.known;
	if (memcmp((unsigned char *)&d + 4, (unsigned char *)&pub->shadow[loc] + 4,
		   sizeof(d) - 4) == 0)
		return;
	s = wb_shm_seq_begin(&dst->seq);
	memcpy((unsigned char *)dst + 4, (unsigned char *)&d + 4, sizeof(d) - 4);
	wb_shm_seq_end(&dst->seq, s);
	pub->shadow[loc] = d;
}

/*
 * Opens loc's snapshot if it needs writing (seqlock odd) and returns it,
 * with what to rewrite in *need; NULL if it needs nothing.
 */
static inline struct wb_shm_snap *
wb_pub_snap_open(struct wb_pub_chan *ch, uint32_t loc, unsigned int *need, uint32_t *q)
{
	struct wb_publisher *pub = ch->pub;
	struct wb_pub_inst *in;
	struct wb_shm_snap *s;

	if (loc >= ch->max_instruments)
		return NULL;
	in = &pub->inst[loc];
	*need = in->need;
	if (*need == 0)
		return NULL;
	in->need = 0;
	/* the directory entry changes rarely: only look when it may have (an
	 * instrument the book learnt from an add has no entry yet); both
	 * flags on the line just read, not the 64-byte shadow entry's */
	if (wb_unlikely(in->dir_dirty || !in->dir_known)) {
		in->dir_dirty = 0;
		wb_pub_dir_entry(ch, loc);
	}
	s = wb_shm_snap_at(&pub->shm, loc);
	*q = wb_shm_seq_begin(&s->seq);
	return s;
}

/* A side's levels were copied: its count, and the floor that lets on_event skip. */
static inline void
wb_pub_snap_bid(const struct wb_publisher *pub, struct wb_shm_snap *s, struct wb_pub_inst *in,
		unsigned int n)
{
	s->nbid = (uint8_t)n;
	in->bid_floor = n == pub->depth ? s->lv[n - 1].price : INT64_MIN;
}

static inline void
wb_pub_snap_ask(const struct wb_publisher *pub, struct wb_shm_snap *s, struct wb_pub_inst *in,
		unsigned int n)
{
	s->nask = (uint8_t)n;
	in->ask_ceil = n == pub->depth ? s->lv[pub->depth + n - 1].price : INT64_MAX;
}

/* The header, then the seqlock even again. */
static inline void
wb_pub_snap_close(struct wb_publisher *pub, struct wb_shm_snap *s, const struct wb_pub_inst *in,
		  uint32_t q)
{
	s->last_seq = in->last_seq;
	s->exch_ts = in->exch_ts;
	s->rx_tsc = in->rx_tsc;
	s->last_trade_px = in->trade_px;
	s->last_trade_qty = in->trade_qty;
	s->last_trade_match = in->trade_match;
	s->updates++;
	wb_shm_seq_end(&s->seq, q);
	pub->snapshots++;
}

/*
 * On a book larger than the cache, snapshots are written a batch of
 * instruments at a time: each is opened, then the levels of every side
 * they need are copied by one wb_book_levels_many() call, whose walks go in
 * lockstep so that their misses overlap (one walk after another was a
 * chain of up to ten misses per side, and a quarter of the feed's time on
 * a large book), then each is closed. A book in the cache is written one
 * instrument after another, with nothing staged: the staging was a third
 * of a snapshot's instructions.
 */
#define WB_PUB_SNAP_BATCH 16u

struct wb_pub_pending {
	struct wb_shm_snap *s;
	uint32_t q;		 /* seqlock token */
	uint32_t loc;
	int bid, ask;		 /* walk index, -1 = side not rewritten */
};

static void
wb_pub_snapshots_lockstep(struct wb_pub_chan *ch, const struct wb_book *book,
			  const uint32_t *locs, unsigned int n)
{
	struct wb_pub_pending pd[WB_PUB_SNAP_BATCH];
	struct wb_level_walk w[2 * WB_PUB_SNAP_BATCH];
	struct wb_publisher *pub = ch->pub;
	unsigned int i = 0, np, nw, k, need;

	while (i < n) {
		np = nw = 0;
		for (; i < n && np < WB_PUB_SNAP_BATCH; i++) {
			struct wb_pub_pending *d = &pd[np];

			d->s = wb_pub_snap_open(ch, locs[i], &need, &d->q);
			if (d->s == NULL)
				continue;
			d->loc = locs[i];
			d->bid = d->ask = -1;
			if (need & WB_PUB_NEED_BID) {
				d->bid = (int)nw;
				w[nw].out = (struct wb_level_info *)(void *)d->s->lv;
				w[nw].max = pub->depth;
				w[nw].instrument = locs[i];
				w[nw++].side = 'B';
			}
			if (need & WB_PUB_NEED_ASK) {
				d->ask = (int)nw;
				w[nw].out = (struct wb_level_info *)(void *)(d->s->lv + pub->depth);
				w[nw].max = pub->depth;
				w[nw].instrument = locs[i];
				w[nw++].side = 'S';
			}
			np++;
		}
		wb_book_levels_many(book, w, nw);
		for (k = 0; k < np; k++) {
			struct wb_pub_inst *in = &pub->inst[pd[k].loc];

			if (pd[k].bid >= 0)
				wb_pub_snap_bid(pub, pd[k].s, in, w[pd[k].bid].n);
			if (pd[k].ask >= 0)
				wb_pub_snap_ask(pub, pd[k].s, in, w[pd[k].ask].n);
			wb_pub_snap_close(pub, pd[k].s, in, pd[k].q);
		}
	}
}

/* Writes the snapshots of locs[0..n) that need it. */
static void
wb_pub_snapshots(struct wb_pub_chan *ch, const uint32_t *locs, unsigned int n)
{
	const struct wb_book *book = wb_feed_book(ch->feed);
	struct wb_publisher *pub = ch->pub;
	struct wb_shm_snap *s;
	struct wb_pub_inst *in;
	unsigned int i, need;
	uint32_t q;

	if (wb_book_stats(book)->live_orders >= WB_BOOK_CACHED_ORDERS) {
		wb_pub_snapshots_lockstep(ch, book, locs, n);
		return;
	}
	for (i = 0; i < n; i++) {
		s = wb_pub_snap_open(ch, locs[i], &need, &q);
		if (s == NULL)
			continue;
		in = &pub->inst[locs[i]];
		if (need & WB_PUB_NEED_BID)
			wb_pub_snap_bid(pub, s, in,
					wb_book_levels(book, locs[i], 'B',
						       (struct wb_level_info *)(void *)s->lv,
						       pub->depth));
		if (need & WB_PUB_NEED_ASK)
			wb_pub_snap_ask(pub, s, in,
					wb_book_levels(book, locs[i], 'S',
						       (struct wb_level_info *)(void *)(s->lv +
											pub->depth),
						       pub->depth));
		wb_pub_snap_close(pub, s, in, q);
	}
}

/*
 * A gap (or its repair) changes the stale flag of the feed and of its
 * instruments: a feed-wide flag while a gap is open, then only those the
 * lost messages touched (wb_feed_instrument_stale).
 */
static void
wb_pub_stale(struct wb_pub_chan *ch, uint8_t stale)
{
	struct wb_publisher *pub = ch->pub;
	const struct wb_book *book = wb_feed_book(ch->feed);
	uint32_t i, any = 0;

	ch->stale = stale;
	ch->stale_gen = wb_feed_stale_gen(ch->feed);
	atomic_store_explicit(&ch->shm->stale, stale, memory_order_relaxed);
	for (i = 0; i < ch->max_instruments; i++)
		if (wb_book_instrument(book, i)->known)
			wb_pub_dir_entry(ch, i);
	for (i = 0; i < pub->nchan; i++)
		any |= pub->chan[i].stale;
	atomic_store_explicit(&pub->shm.hdr->stale, any, memory_order_relaxed);
}

static void
wb_pub_chan_stats(struct wb_pub_chan *ch)
{
	const struct wb_feed_stats *fs = wb_feed_stats(ch->feed);
	const struct wb_session_stats *ss = wb_feed_session_stats(ch->feed);
	struct wb_shm_chan *c = ch->shm;

	atomic_store_explicit(&c->datagrams, fs->datagrams, memory_order_relaxed);
	atomic_store_explicit(&c->bytes, fs->bytes, memory_order_relaxed);
	atomic_store_explicit(&c->messages, fs->messages, memory_order_relaxed);
	atomic_store_explicit(&c->bad_packets, fs->bad_packets, memory_order_relaxed);
	atomic_store_explicit(&c->bad_messages,
			      fs->msg_unknown + fs->msg_truncated + fs->msg_malformed,
			      memory_order_relaxed);
	atomic_store_explicit(&c->gaps, ss->gaps, memory_order_relaxed);
	/* Every gap of the session, not only those that made the feed stale
	 * (a gap while already stale used to go uncounted: 1 after 364). */
	if (ss->gaps != ch->gaps) {
		ch->pub->gaps += ss->gaps - ch->gaps;
		ch->gaps = ss->gaps;
		atomic_store_explicit(&ch->pub->shm.hdr->gaps, ch->pub->gaps,
				      memory_order_relaxed);
	}
	atomic_store_explicit(&c->gap_msgs, ss->gap_msgs, memory_order_relaxed);
	atomic_store_explicit(&c->dup_packets, ss->dup_packets, memory_order_relaxed);
	atomic_store_explicit(&c->events, ch->events, memory_order_relaxed);
	atomic_store_explicit(&c->bursts, ch->bursts, memory_order_relaxed);
	atomic_store_explicit(&c->bbo_changes, fs->bbo_changes, memory_order_relaxed);
}

static void
wb_pub_on_burst_end(void *ctx, struct wb_feed *f)
{
	struct wb_pub_chan *ch = ctx;
	struct wb_publisher *pub = ch->pub;
	struct wb_shm_hdr *h = pub->shm.hdr;
	const uint32_t *dirty;
	unsigned int i, n;
	uint8_t stale;

	dirty = wb_feed_dirty(f, &n);
	wb_pub_snapshots(ch, dirty, n);
	wb_pub_snapshots(ch, pub->extra, pub->nextra);
	for (i = 0; i < pub->nextra; i++)
		pub->extra_bits[pub->extra[i] >> 6] = 0;
	pub->nextra = 0;
	stale = (uint8_t)(wb_feed_stale(f) != 0);
	if (wb_unlikely(stale != ch->stale || wb_feed_stale_gen(f) != ch->stale_gen))
		wb_pub_stale(ch, stale);
	ch->bursts++;
	pub->bursts++;
	wb_pub_chan_stats(ch);
	atomic_store_explicit(&h->bursts, pub->bursts, memory_order_relaxed);
	atomic_store_explicit(&h->snapshots, pub->snapshots, memory_order_relaxed);
	/* release: pairs with the acquire load in wb_shm_ring_resync() */
	atomic_store_explicit(&h->snap_pos, pub->ring.pos, memory_order_release);
}

int
wb_publisher_attach(struct wb_publisher *pub, struct wb_feed *f)
{
	struct wb_feed_sink sink;
	struct wb_pub_chan *ch;
	uint32_t bmax;

	if (pub == NULL || f == NULL)
		return wb_err_set(EINVAL, "publisher: no publisher or no feed");
	/* The directory, snapshots and events are indexed by the feed's
	 * instrument ids, which every feed numbers from 1 (ITCH: stock
	 * locates): a second feed would overwrite the first one's instruments. */
	if (pub->nchan != 0)
		return wb_err_set(EBUSY,
				  "publisher: region '%s' already publishes a feed; one region "
				  "per feed (their instrument ids overlap)",
				  pub->shm.hdr->name);
	ch = &pub->chan[pub->nchan];
	ch->pub = pub;
	ch->feed = f;
	ch->shm = &pub->shm.chan[pub->nchan];
	bmax = wb_book_max_instruments(wb_feed_book(f));
	ch->max_instruments = bmax < pub->max_instruments ? bmax : pub->max_instruments;
	atomic_store_explicit(&ch->shm->id, wb_feed_id(f), memory_order_relaxed);
	pub->nchan++;
	/* release: pairs with the acquire nchannels load of monitors (wirebook top) */
	atomic_store_explicit(&pub->shm.hdr->nchannels, pub->nchan, memory_order_release);
	memset(&sink, 0, sizeof(sink));
	sink.on_event = wb_pub_on_event;
	sink.on_burst_end = wb_pub_on_burst_end;
	sink.ctx = ch;
	sink.pub = ch;
	wb_feed_set_sink(f, &sink);
	return 0;
}

void
wb_publisher_sync(struct wb_publisher *pub)
{
	uint32_t locs[256];
	unsigned int c, n;
	uint32_t loc;

	for (c = 0; c < pub->nchan; c++) {
		struct wb_pub_chan *ch = &pub->chan[c];
		const struct wb_book *book = wb_feed_book(ch->feed);

		n = 0;
		for (loc = 0; loc < ch->max_instruments; loc++) {
			const struct wb_instrument *ins = wb_book_instrument(book, loc);

			if (ins == NULL || !ins->known)
				continue;
			pub->inst[loc].need |= WB_PUB_NEED_ALL;
			pub->inst[loc].dir_dirty = 1;
			locs[n++] = loc;
			if (n == sizeof(locs) / sizeof(locs[0])) {
				wb_pub_snapshots(ch, locs, n);
				n = 0;
			}
		}
		wb_pub_snapshots(ch, locs, n);
	}
}

void
wb_publisher_heartbeat(struct wb_publisher *pub)
{
	struct wb_shm_hdr *h = pub->shm.hdr;

	atomic_store_explicit(&h->heartbeat_ns, wb_mono_ns(), memory_order_relaxed);
	atomic_fetch_add_explicit(&h->heartbeat_count, 1, memory_order_relaxed);
	if (h->tsc_ns_per_tick > 0.0)
		wb_shm_clock_anchor(&pub->shm);
}

void
wb_publisher_set_state(struct wb_publisher *pub, int state)
{
	wb_publisher_heartbeat(pub);
	/* release: pairs with the acquire state loads in the client's status */
	atomic_store_explicit(&pub->shm.hdr->state, (uint32_t)state, memory_order_release);
}

void
wb_publisher_destroy(struct wb_publisher *pub)
{
	if (pub == NULL)
		return;
	if (pub->shm.hdr != NULL)
		wb_publisher_set_state(pub, WB_SHM_STATE_STOPPED);
	wb_shm_detach(&pub->shm);
	free(pub->inst);
	free(pub->extra);
	free(pub->extra_bits);
	free(pub->shadow);
	free(pub);
}

const struct wb_shm *
wb_publisher_shm(const struct wb_publisher *pub)
{
	return &pub->shm;
}

uint64_t
wb_publisher_events(const struct wb_publisher *pub)
{
	return pub->ring.pos;
}
