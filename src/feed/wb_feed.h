/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One feed's pipeline, free of DPDK: a UDP payload and its receive time go in;
 * MoldUDP64 sequencing, ITCH 5.0 decoding, the books and the event sink come
 * out. The daemon's rx loop, `wirebook replay`, the benchmarks and the tests
 * all drive this same code.
 *
 * Both lines (A/B) of a feed call wb_feed_datagram() (or
 * wb_feed_datagram_queue()) on the same wb_feed; the session arbitrates. The
 * caller marks the end of each receive burst with wb_feed_burst_end(): it
 * applies what is still queued, then the sink publishes the snapshots of the
 * instruments that burst changed.
 */
#ifndef WB_FEED_H
#define WB_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "wb_book.h"
#include "wb_itch50.h"
#include "wb_session.h"
#include "wirebook/event.h"

struct wb_feed;

/* Messages decoded and prefetched together before they are applied. */
#define WB_FEED_BATCH 32

struct wb_pub_chan;

/*
 * Where events go. on_event sees every normalized event (book events, then a
 * WB_EV_BBO event when the best bid or ask of that instrument changed, gaps,
 * trading state), built in a buffer of the feed's. on_burst_end is called by
 * wb_feed_burst_end(). Either may be NULL.
 * pub is set by wb_publisher_attach() only: the feed then builds book and
 * BBO events in the publisher's ring slot they are published from, and
 * publishes them itself, inline (wb_publish_int.h); on_event sees only the
 * events built elsewhere (gaps).
 */
struct wb_feed_sink {
	void (*on_event)(void *ctx, const struct wb_event *ev);
	void (*on_burst_end)(void *ctx, struct wb_feed *f);
	void *ctx;
	struct wb_pub_chan *pub;
};

struct wb_feed_params {
	struct wb_book_params book;
	uint32_t id;
};

struct wb_feed_stats {
	uint64_t datagrams;
	uint64_t bytes;
	uint64_t messages; /* decoded messages */
	uint64_t by_type[WB_ITCH_NTYPES];
	uint64_t bad_packets;    /* MoldUDP64 packet rejected (all its messages dropped) */
	uint64_t pkt_truncated;  /* ... of which truncated */
	uint64_t pkt_malformed;  /* ... of which malformed */
	uint64_t msg_unknown;    /* unknown ITCH type, skipped by its length */
	uint64_t msg_truncated;  /* message shorter than its type */
	uint64_t msg_malformed;  /* message longer than its type or bad field */
	uint64_t bbo_changes;
};

void wb_feed_params_default(struct wb_feed_params *p);
/* Returns NULL with errno set and wb_err_msg() explaining. */
struct wb_feed *wb_feed_create(const struct wb_feed_params *p);
void wb_feed_destroy(struct wb_feed *f);
void wb_feed_set_sink(struct wb_feed *f, const struct wb_feed_sink *sink);

/* One MoldUDP64 datagram from line 0 (A) or 1 (B). Returns messages applied. */
unsigned int wb_feed_datagram(struct wb_feed *f, unsigned int line, const uint8_t *buf, size_t len,
			      uint64_t rx_tsc);
/*
 * The same, but the datagram's messages may stay queued after it returns,
 * so that the messages of several datagrams (a receive burst) are
 * prefetched and applied as one batch: buf must stay valid until the next
 * wb_feed_burst_end(), which applies what is left. Sequencing, gaps and
 * counters are handled at once; messages are applied in arrival order, and
 * any other call on the feed applies the queue first. Returns the messages
 * taken.
 */
unsigned int wb_feed_datagram_queue(struct wb_feed *f, unsigned int line, const uint8_t *buf,
				    size_t len, uint64_t rx_tsc);
/*
 * One bare ITCH message (BinaryFILE record), no sequencing. Returns 0 or a
 * negative WB_PROTO_* code (also counted).
 */
int wb_feed_message(struct wb_feed *f, const uint8_t *msg, size_t len, uint64_t seq,
		    uint64_t rx_tsc);
/*
 * A batch of bare ITCH messages (BinaryFILE records) with consecutive
 * sequence numbers from seq; decoded, prefetched and applied as one batch.
 * Returns the messages applied; the others are counted by kind.
 */
unsigned int wb_feed_messages(struct wb_feed *f, const uint8_t *const *msgs, const uint16_t *lens,
			      unsigned int n, uint64_t seq, uint64_t rx_tsc);
void wb_feed_burst_end(struct wb_feed *f);

/* Instruments whose book changed since the last burst end (valid in on_burst_end). */
const uint16_t *wb_feed_dirty(const struct wb_feed *f, unsigned int *n);

struct wb_book *wb_feed_book(struct wb_feed *f);
const struct wb_feed_stats *wb_feed_stats(const struct wb_feed *f);
const struct wb_session_stats *wb_feed_session_stats(const struct wb_feed *f);
uint32_t wb_feed_id(const struct wb_feed *f);
/* 1 after a gap until wb_feed_clear_stale(). */
int wb_feed_stale(const struct wb_feed *f);
void wb_feed_clear_stale(struct wb_feed *f);

#endif /* WB_FEED_H */
