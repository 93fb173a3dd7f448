/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The publisher's state and its per-event hot path, private to src/feed:
 * a feed attached to a publisher (wb_publisher_attach) builds each event in
 * the ring slot it is published from and calls these inline, instead of a
 * sink's on_event through a pointer. On `tail`, a stream where every
 * message moves the best bid or offer, the pointer calls (a slot reserve
 * and on_event) and the publisher's type dispatch came to 8 of each a
 * packet.
 */
#ifndef WB_PUBLISH_INT_H
#define WB_PUBLISH_INT_H

#include <stdint.h>

#include "wb_compiler.h"
#include "wb_publish.h"
#include "wb_shm.h"

/* What the snapshot needs that the book does not keep. */
struct wb_pub_inst {
	uint64_t last_seq;
	uint64_t exch_ts;
	uint64_t rx_tsc;
	uint64_t trade_match;
	int64_t trade_px;
	int64_t bid_floor;  /* worst snapshot bid when the bid side is full, else INT64_MIN */
	int64_t ask_ceil;   /* worst snapshot ask when the ask side is full, else INT64_MAX */
	uint32_t trade_qty;
	uint8_t need;	    /* WB_PUB_NEED_*: what to rewrite at the burst end */
	uint8_t dir_dirty;  /* a directory or trading-state event since the last write */
	uint8_t dir_known;  /* the shadow's known: what the region's entry says */
	uint8_t pad;
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
	uint64_t stale_gen; /* wb_feed_stale_gen() when the flags were last written */
	uint64_t gaps; /* session gaps already added to the header's count */
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
	uint32_t *extra;
	uint64_t *extra_bits;
	struct wb_shm_dir *shadow; /* directory entries as last written */
	uint64_t bursts;
	uint64_t snapshots;
	uint64_t gaps;
	struct wb_shm shm;
	unsigned int nchan;
	struct wb_pub_chan chan[WB_SHM_MAX_CHANNELS];
};

/*
 * While the rx lcore has nothing to do: takes the line of the slot the next
 * event goes to back from the readers polling it (their copy is invalidated;
 * their next poll reads it again). The event's stores then need no
 * cross-core invalidation on the path from the packet to the event.
 */
static inline void
wb_pub_warm(struct wb_pub_chan *ch)
{
	const struct wb_shm_ring_w *w = &ch->pub->ring;

	wb_prefetch_own(&w->slots[w->pos & w->mask]);
}

/* The slot the next event is built in (see wb_shm_ring_reserve). */
static inline struct wb_event *
wb_pub_slot(struct wb_pub_chan *ch)
{
	return wb_shm_ring_reserve(&ch->pub->ring);
}

static inline void
wb_pub_mark_extra(struct wb_publisher *pub, uint32_t loc)
{
	uint64_t bit = 1ull << (loc & 63);

	if (!(pub->extra_bits[loc >> 6] & bit)) {
		pub->extra_bits[loc >> 6] |= bit;
		pub->extra[pub->nextra++] = loc;
	}
}

/*
 * What the burst end needs to know of a published event (not a BBO event):
 * its instrument's last sequence and times, which sides (and whether the
 * header) to rewrite, the last trade. seq, exch_ts and rx_tsc are passed
 * in rather than read back from the event just built: its fields are still
 * in the store buffer.
 */
static inline void
wb_pub_note(struct wb_pub_chan *ch, const struct wb_event *ev, uint64_t seq, uint64_t exch_ts,
	    uint64_t rx_tsc)
{
	struct wb_publisher *pub = ch->pub;
	struct wb_pub_inst *in;
	unsigned int type = ev->type;

	if (wb_unlikely(type == WB_EV_GAP || ev->instrument >= ch->max_instruments))
		return;
	in = &pub->inst[ev->instrument];
	in->last_seq = seq;
	in->exch_ts = exch_ts;
	in->rx_tsc = rx_tsc;
	if (type == WB_EV_ADD || type == WB_EV_CANCEL || type == WB_EV_DELETE) {
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
	if ((type == WB_EV_EXECUTE || type == WB_EV_REPLACE) &&
	    (ev->side == 'B' || ev->side == 'S'))
		in->need |= WB_PUB_NEED_HDR | (ev->side == 'B' ? WB_PUB_NEED_BID : WB_PUB_NEED_ASK);
	else if (type == WB_EV_TRADE)
		in->need |= WB_PUB_NEED_HDR;
	else
		in->need |= WB_PUB_NEED_ALL;
	if (type == WB_EV_EXECUTE) {
		in->trade_px = ev->u.order.price;
		in->trade_qty = ev->qty;
		in->trade_match = ev->u.order.aux;
	} else if (type == WB_EV_TRADE && ev->qty != 0) {
		in->trade_px = ev->u.trade.price;
		in->trade_qty = ev->qty;
		in->trade_match = ev->u.trade.match;
		wb_pub_mark_extra(pub, ev->instrument);
	} else if (type == WB_EV_DIRECTORY || type == WB_EV_TRADING_STATE) {
		in->dir_dirty = 1;
	}
}

/* Publishes the event built in wb_pub_slot(), then notes it. */
static inline void
wb_pub_event(struct wb_pub_chan *ch, struct wb_event *ev, uint64_t seq, uint64_t exch_ts,
	     uint64_t rx_tsc)
{
	wb_shm_ring_commit_slot(&ch->pub->ring, ev);
	ch->events++;
	wb_pub_note(ch, ev, seq, exch_ts, rx_tsc);
}

/*
 * Publishes a BBO event built in wb_pub_slot(). Nothing to note: it follows
 * the book event of the same message and instrument, which noted the same
 * sequence and times and marked the header.
 */
static inline void
wb_pub_bbo(struct wb_pub_chan *ch, struct wb_event *ev)
{
	wb_shm_ring_commit_slot(&ch->pub->ring, ev);
	ch->events++;
}

#endif /* WB_PUBLISH_INT_H */
