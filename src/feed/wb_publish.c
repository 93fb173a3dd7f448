/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Feed -> shared memory. on_event is on the hot path: the feed has built the
 * event in the ring slot itself (reserve), so publishing it is the tag store,
 * plus a few stores into a private per-instrument table (last sequence, last
 * trade), nothing that depends on how many readers exist.
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
#include "wb_publish.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wb_err.h"
#include "wb_tsc.h"

_Static_assert(sizeof(struct wb_level_info) == sizeof(struct wb_shm_level), "level layout");
_Static_assert(offsetof(struct wb_level_info, price) == offsetof(struct wb_shm_level, price),
	       "level price");
_Static_assert(offsetof(struct wb_level_info, orders) == offsetof(struct wb_shm_level, orders),
	       "level orders");
_Static_assert(offsetof(struct wb_level_info, shares) == offsetof(struct wb_shm_level, shares),
	       "level shares");

/* What the snapshot needs that the book does not keep. */
struct wb_pub_inst {
	uint64_t last_seq;
	uint64_t exch_ts;
	uint64_t rx_tsc;
	uint64_t trade_qty;
	uint64_t trade_match;
	uint32_t trade_px;
	uint32_t bid_floor; /* worst snapshot bid when the bid side is full, else 0 */
	uint32_t ask_ceil;  /* worst snapshot ask when the ask side is full, else max */
	uint8_t need;	    /* WB_PUB_NEED_*: what to rewrite at the burst end */
	uint8_t dir_dirty;  /* a directory or trading-state event since the last write */
	uint8_t pad[2];
};

/*
 * What an instrument's snapshot needs rewritten: the levels of a side whose
 * top N changed (or may have), and the header (sequence, times, last
 * trade), which any event changes. A side no event of the burst touched is
 * not copied again: most messages change one side.
 */
#define WB_PUB_NEED_BID 1u
#define WB_PUB_NEED_ASK 2u
#define WB_PUB_NEED_HDR 4u
#define WB_PUB_NEED_ALL 7u

struct wb_publisher;

struct wb_pub_chan {
	struct wb_publisher *pub;
	struct wb_feed *feed;
	struct wb_shm_chan *shm;
	uint32_t max_instruments; /* min(region, book) */
	uint8_t stale;
	uint64_t events;
	uint64_t bursts;
};

struct wb_publisher {
	struct wb_shm_ring_w ring; /* hot: first */
	struct wb_pub_inst *inst;
	uint32_t max_instruments;
	uint32_t depth;
	/* instruments an event touched that the feed does not mark dirty (trades) */
	unsigned int nextra;
	uint16_t *extra;
	uint64_t *extra_bits;
	struct wb_shm_dir *shadow; /* directory entries as last written */
	uint64_t bursts;
	uint64_t snapshots;
	uint64_t gaps;
	struct wb_shm shm;
	unsigned int nchan;
	struct wb_pub_chan chan[WB_SHM_MAX_CHANNELS];
};

void
wb_publish_params_default(struct wb_publish_params *p)
{
	memset(p, 0, sizeof(*p));
	p->name = "default";
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
	for (i = 0; i < p->max_instruments; i++)
		pub->inst[i].ask_ceil = UINT32_MAX;
	pub->ring.slots = pub->shm.ring;
	pub->ring.hdr = pub->shm.hdr;
	pub->ring.mask = pub->shm.ring_mask;
	pub->ring.pos = 0;
	return pub;
}

static inline void
wb_pub_mark_extra(struct wb_publisher *pub, uint16_t loc)
{
	uint64_t bit = 1ull << (loc & 63);

	if (!(pub->extra_bits[loc >> 6] & bit)) {
		pub->extra_bits[loc >> 6] |= bit;
		pub->extra[pub->nextra++] = loc;
	}
}

/*
 * One 8-byte load. The event was just built by separate 8-byte stores still
 * in the store buffer; GCC merged the adjacent seq and exch_ts loads into
 * one 16-byte load, which cannot be forwarded from two stores and waited
 * for the store buffer to drain (40% of this function in a daemon profile).
 */
static inline uint64_t
wb_pub_load64(const uint64_t *p)
{
	return *(const volatile uint64_t *)p;
}

/* The feed builds its events in the ring slot they are published from. */
static struct wb_event *
wb_pub_reserve(void *ctx)
{
	struct wb_pub_chan *ch = ctx;

	return wb_shm_ring_reserve(&ch->pub->ring);
}

static void
wb_pub_on_event(void *ctx, const struct wb_event *ev)
{
	struct wb_pub_chan *ch = ctx;
	struct wb_publisher *pub = ch->pub;
	struct wb_pub_inst *in;

	if (ev == (const struct wb_event *)(const void *)&pub->ring.slots[pub->ring.pos &
									   pub->ring.mask])
		wb_shm_ring_commit(&pub->ring);
	else
		wb_shm_ring_push(&pub->ring, ev);
	ch->events++;
	if (wb_unlikely(ev->type == WB_EV_GAP || ev->locate >= ch->max_instruments))
		return;
	in = &pub->inst[ev->locate];
	in->last_seq = wb_pub_load64(&ev->seq);
	in->exch_ts = wb_pub_load64(&ev->exch_ts);
	in->rx_tsc = wb_pub_load64(&ev->rx_tsc);
	if (ev->type == WB_EV_ADD || ev->type == WB_EV_CANCEL || ev->type == WB_EV_DELETE) {
		/*
		 * These name the side and level they touch. Strictly below the
		 * worst level of a full side, the top N (and so the snapshot)
		 * cannot have changed.
		 */
		if (ev->side == 'B' ? ev->u.order.price >= in->bid_floor
				    : ev->u.order.price <= in->ask_ceil)
			in->need |= WB_PUB_NEED_HDR |
				    (ev->side == 'B' ? WB_PUB_NEED_BID : WB_PUB_NEED_ASK);
		return;
	}
	if (ev->type == WB_EV_BBO) {
		/* follows the book event that changed the side: nothing more */
		in->need |= WB_PUB_NEED_HDR;
		return;
	}
	if ((ev->type == WB_EV_EXECUTE || ev->type == WB_EV_REPLACE) &&
	    (ev->side == 'B' || ev->side == 'S'))
		in->need |= WB_PUB_NEED_HDR | (ev->side == 'B' ? WB_PUB_NEED_BID : WB_PUB_NEED_ASK);
	else if (ev->type == WB_EV_TRADE)
		in->need |= WB_PUB_NEED_HDR;
	else
		in->need |= WB_PUB_NEED_ALL;
	if (ev->type == WB_EV_EXECUTE) {
		in->trade_px = ev->u.order.price;
		in->trade_qty = ev->u.order.shares;
		in->trade_match = ev->u.order.aux;
	} else if (ev->type == WB_EV_TRADE && ev->u.trade.shares != 0) {
		in->trade_px = ev->u.trade.price;
		in->trade_qty = ev->u.trade.shares;
		in->trade_match = ev->u.trade.match;
		wb_pub_mark_extra(pub, ev->locate);
	} else if (ev->type == WB_EV_DIRECTORY || ev->type == WB_EV_TRADING_STATE) {
		in->dir_dirty = 1;
	}
}

static void
wb_pub_dir_entry(struct wb_pub_chan *ch, uint16_t loc)
{
	const struct wb_instrument *ins = wb_book_instrument(wb_feed_book(ch->feed), loc);
	struct wb_publisher *pub = ch->pub;
	struct wb_shm_dir d, *dst = &pub->shm.dir[loc];
	uint32_t s;

	memset(&d, 0, sizeof(d));
	d.locate = loc;
	d.known = ins->known;
	d.trading_state = ins->trading_state;
	memcpy(d.symbol, ins->symbol, sizeof(ins->symbol));
	memcpy(d.reason, ins->reason, sizeof(d.reason));
	d.round_lot_size = ins->round_lot_size;
	d.market_category = ins->market_category;
	d.stale = ch->stale;
	if (memcmp((unsigned char *)&d + 4, (unsigned char *)&pub->shadow[loc] + 4,
		   sizeof(d) - 4) == 0)
		return;
	s = wb_shm_seq_begin(&dst->seq);
	memcpy((unsigned char *)dst + 4, (unsigned char *)&d + 4, sizeof(d) - 4);
	wb_shm_seq_end(&dst->seq, s);
	pub->shadow[loc] = d;
}

/*
 * Snapshots are written a batch of instruments at a time: each is opened
 * (seqlock odd), then the levels of every side they need are copied by one
 * wb_book_levels_many() call, whose walks go in lockstep so that on a book
 * larger than the cache their misses overlap (one walk after another was a
 * chain of up to ten misses per side, and a quarter of the feed's time on
 * a large book), then each is closed.
 */
#define WB_PUB_SNAP_BATCH 16u

struct wb_pub_pending {
	struct wb_shm_snap *s;
	struct wb_pub_inst *in;
	uint32_t q;		 /* seqlock token */
	int bid, ask;		 /* walk index, -1 = side not rewritten */
};

/* Opens loc's snapshot if it needs writing; returns 1 if it did. */
static int
wb_pub_snapshot_begin(struct wb_pub_chan *ch, uint16_t loc, struct wb_pub_pending *pd,
		      struct wb_level_walk *w, unsigned int *nw)
{
	struct wb_publisher *pub = ch->pub;
	struct wb_pub_inst *in;
	unsigned int need;

	if (loc >= ch->max_instruments)
		return 0;
	in = &pub->inst[loc];
	need = in->need;
	if (need == 0)
		return 0;
	in->need = 0;
	/* the directory entry changes rarely: only look when it may have */
	if (wb_unlikely(in->dir_dirty || !pub->shadow[loc].known)) {
		in->dir_dirty = 0;
		wb_pub_dir_entry(ch, loc);
	}
	pd->s = wb_shm_snap_at(&pub->shm, loc);
	pd->in = in;
	pd->q = wb_shm_seq_begin(&pd->s->seq);
	pd->bid = pd->ask = -1;
	if (need & WB_PUB_NEED_BID) {
		pd->bid = (int)*nw;
		w[*nw].out = (struct wb_level_info *)(void *)pd->s->lv;
		w[*nw].max = pub->depth;
		w[*nw].locate = loc;
		w[(*nw)++].side = 'B';
	}
	if (need & WB_PUB_NEED_ASK) {
		pd->ask = (int)*nw;
		w[*nw].out = (struct wb_level_info *)(void *)(pd->s->lv + pub->depth);
		w[*nw].max = pub->depth;
		w[*nw].locate = loc;
		w[(*nw)++].side = 'S';
	}
	return 1;
}

static void
wb_pub_snapshot_end(struct wb_publisher *pub, const struct wb_pub_pending *pd,
		    const struct wb_level_walk *w)
{
	struct wb_shm_snap *s = pd->s;
	struct wb_pub_inst *in = pd->in;
	unsigned int nb, na;

	if (pd->bid >= 0) {
		nb = w[pd->bid].n;
		s->nbid = (uint8_t)nb;
		in->bid_floor = nb == pub->depth ? s->lv[nb - 1].price : 0;
	}
	if (pd->ask >= 0) {
		na = w[pd->ask].n;
		s->nask = (uint8_t)na;
		in->ask_ceil = na == pub->depth ? s->lv[pub->depth + na - 1].price : UINT32_MAX;
	}
	s->last_seq = in->last_seq;
	s->exch_ts = in->exch_ts;
	s->rx_tsc = in->rx_tsc;
	s->last_trade_px = in->trade_px;
	s->last_trade_qty = in->trade_qty;
	s->last_trade_match = in->trade_match;
	s->updates++;
	wb_shm_seq_end(&s->seq, pd->q);
	pub->snapshots++;
}

/* Writes the snapshots of locs[0..n) that need it. */
static void
wb_pub_snapshots(struct wb_pub_chan *ch, const uint16_t *locs, unsigned int n)
{
	struct wb_pub_pending pd[WB_PUB_SNAP_BATCH];
	struct wb_level_walk w[2 * WB_PUB_SNAP_BATCH];
	const struct wb_book *book = wb_feed_book(ch->feed);
	unsigned int i = 0, np, nw, k;

	while (i < n) {
		np = nw = 0;
		for (; i < n && np < WB_PUB_SNAP_BATCH; i++)
			np += (unsigned int)wb_pub_snapshot_begin(ch, locs[i], &pd[np], w, &nw);
		wb_book_levels_many(book, w, nw);
		for (k = 0; k < np; k++)
			wb_pub_snapshot_end(ch->pub, &pd[k], w);
	}
}

/* A gap (or its repair) changes the stale flag of every instrument of the feed. */
static void
wb_pub_stale(struct wb_pub_chan *ch, uint8_t stale)
{
	struct wb_publisher *pub = ch->pub;
	const struct wb_book *book = wb_feed_book(ch->feed);
	uint32_t i, any = 0;

	ch->stale = stale;
	if (stale)
		pub->gaps++;
	atomic_store_explicit(&ch->shm->stale, stale, memory_order_relaxed);
	for (i = 0; i < ch->max_instruments; i++)
		if (wb_book_instrument(book, (uint16_t)i)->known)
			wb_pub_dir_entry(ch, (uint16_t)i);
	for (i = 0; i < pub->nchan; i++)
		any |= pub->chan[i].stale;
	atomic_store_explicit(&pub->shm.hdr->stale, any, memory_order_relaxed);
	atomic_store_explicit(&pub->shm.hdr->gaps, pub->gaps, memory_order_relaxed);
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
	const uint16_t *dirty;
	unsigned int i, n;
	uint8_t stale;

	dirty = wb_feed_dirty(f, &n);
	wb_pub_snapshots(ch, dirty, n);
	wb_pub_snapshots(ch, pub->extra, pub->nextra);
	for (i = 0; i < pub->nextra; i++)
		pub->extra_bits[pub->extra[i] >> 6] = 0;
	pub->nextra = 0;
	stale = (uint8_t)(wb_feed_stale(f) != 0);
	if (wb_unlikely(stale != ch->stale))
		wb_pub_stale(ch, stale);
	ch->bursts++;
	pub->bursts++;
	wb_pub_chan_stats(ch);
	atomic_store_explicit(&h->bursts, pub->bursts, memory_order_relaxed);
	atomic_store_explicit(&h->snapshots, pub->snapshots, memory_order_relaxed);
	/* release: pairs with the acquire load in wb_shm_ring_resync() */
	atomic_store_explicit(&h->snap_pos, pub->ring.pos, memory_order_release);
}

void
wb_publisher_attach(struct wb_publisher *pub, struct wb_feed *f)
{
	struct wb_feed_sink sink;
	struct wb_pub_chan *ch;
	uint32_t bmax;

	if (pub->nchan == WB_SHM_MAX_CHANNELS) {
		wb_err_set(ENOSPC, "publisher: more than %u feeds", WB_SHM_MAX_CHANNELS);
		return;
	}
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
	sink.on_event = wb_pub_on_event;
	sink.reserve = wb_pub_reserve;
	sink.on_burst_end = wb_pub_on_burst_end;
	sink.ctx = ch;
	wb_feed_set_sink(f, &sink);
}

void
wb_publisher_heartbeat(struct wb_publisher *pub)
{
	struct wb_shm_hdr *h = pub->shm.hdr;

	atomic_store_explicit(&h->heartbeat_ns, wb_mono_ns(), memory_order_relaxed);
	atomic_fetch_add_explicit(&h->heartbeat_count, 1, memory_order_relaxed);
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
