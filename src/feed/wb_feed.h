/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One feed's pipeline, free of DPDK: a UDP payload and its receive time go in;
 * MoldUDP64 sequencing, ITCH 5.0 decoding, the books and the event sink come
 * out. The daemon's rx loop, `wirebook replay`, the benchmarks and the tests
 * all drive this same code.
 *
 * Both lines (A/B) of a feed, and the recovery line the replies to
 * retransmission requests arrive on, call wb_feed_datagram() (or
 * wb_feed_datagram_queue()) on the same wb_feed; the session arbitrates. The
 * caller marks the end of each receive burst with wb_feed_burst_end(): it
 * applies what is still queued, then the sink publishes the snapshots of the
 * instruments that burst changed.
 *
 * Reliability (wb_feed_rel.c, docs/reliability.md): a packet ahead of the
 * next expected sequence is copied into the feed's hold buffer (bounded in
 * packets, bytes and time) until the missing messages arrive on any line;
 * with a request server (sink on_request) the missing range is requested
 * when the window expires, with a timeout, retries with back-off, a cap per
 * request and a rate limit. A gap that is not filled is declared: a WB_EV_GAP
 * event, the feed stale, held packets applied. Times are in the caller's
 * clock (the rx_tsc it passes); the caller also calls wb_feed_tick() now
 * and then, off the per-packet path, so that windows and timeouts expire
 * when no packet arrives.
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

/* The line argument of wb_feed_datagram(). */
#define WB_FEED_LINE_A 0
#define WB_FEED_LINE_B 1
#define WB_FEED_LINE_RECOVERY 2 /* replies to on_request, unicast to the requester */

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
 * on_request asks the feed's MoldUDP64 request server for count messages
 * from seq of session (the caller sends, or queues for sending, a 20-byte
 * request); 0 or -errno. It is called from wb_feed_datagram*() and
 * wb_feed_tick(), so on the rx path: it must not block. NULL: no request
 * server; gaps are declared when the reorder window expires. It is called
 * with req_ctx when that is set (wb_feed_set_requester(), so that a
 * publisher's ctx and the daemon's requester can share the sink), else ctx.
 */
struct wb_feed_sink {
	void (*on_event)(void *ctx, const struct wb_event *ev);
	void (*on_burst_end)(void *ctx, struct wb_feed *f);
	int (*on_request)(void *ctx, const uint8_t session[WB_MOLD_SESSION_LEN], uint64_t seq,
			  uint16_t count);
	void *ctx;
	struct wb_pub_chan *pub;
	void *req_ctx;
};

/*
 * Reorder window and recovery. Times are in ticks of the clock the caller
 * passes as rx_tsc and to wb_feed_tick(); wb_feed_params_default() sets
 * them for a nanosecond clock, wb_feed_params_clock() for another rate.
 * hold_packets 0 disables the window: a gap is declared at once.
 */
/* What a feed's datagrams are (wb_feed_params.protocol). */
enum wb_feed_protocol {
	WB_FEED_MOLD_ITCH50 = 0, /* MoldUDP64 packets of ITCH 5.0 messages */
	WB_FEED_PITCH = 1,	 /* Cboe PITCH Sequenced Units (wb_feed_pitch.h) */
};

struct wb_feed_params {
	struct wb_book_params book;
	uint32_t id;
	uint8_t venue;              /* enum wb_venue of the events (default WB_VENUE_NASDAQ) */
	uint32_t protocol;    /* enum wb_feed_protocol */
	uint32_t pitch_flags; /* WB_PITCH_SIGNED_PRICES for PITCH variants with signed prices */
	uint32_t hold_packets;	    /* packets held at most while a gap is open */
	uint32_t hold_bytes;	    /* bytes held at most */
	uint64_t hold_ticks;	    /* how long a gap may stay open before it is requested/declared */
	uint64_t req_timeout_ticks; /* first request's timeout; doubled at each retry */
	uint32_t req_retries;	    /* requests sent again after a timeout, then the gap is declared */
	uint16_t req_max_count;	    /* messages asked for in one request at most */
	uint64_t req_min_ticks;	    /* between two requests at least */
};

#define WB_FEED_HOLD_PACKETS 4096
#define WB_FEED_HOLD_BYTES (4u << 20)
#define WB_FEED_HOLD_US 300
#define WB_FEED_REQ_TIMEOUT_US 500
#define WB_FEED_REQ_RETRIES 3
#define WB_FEED_REQ_MAX_COUNT 1000
#define WB_FEED_REQ_MIN_US 100

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

/* Reorder window, recovery and stale state (wb_feed_rel.c). */
struct wb_feed_rel_stats {
	uint64_t held;		  /* packets copied into the hold buffer */
	uint64_t hold_full;	  /* gaps declared because the buffer was full */
	uint64_t hold_expired;	  /* gaps declared because the window expired (no server) */
	uint64_t filled;	  /* gaps filled while held, without a request */
	uint64_t requests;	  /* requests sent (retries included) */
	uint64_t retries;	  /* ... of which retries after a timeout */
	uint64_t request_errors;  /* on_request returned an error */
	uint64_t recovered;	  /* gaps filled after a request */
	uint64_t recovered_msgs;  /* messages applied from the recovery line */
	uint64_t failed;	  /* gaps declared after the retries ran out */
	uint64_t late_filled;	  /* declared gaps whose messages all came later */
	uint64_t stale_events;	  /* times the feed became stale */
	uint64_t stale_cleared;	  /* times the feed became whole again */
	uint64_t book_resets;	  /* books cleared by a new session while stale */
	uint64_t recovery_p50;	  /* ticks from a gap seen to filled by recovery */
	uint64_t recovery_max;
};

/* Why a feed is stale (wb_feed_stale), bits. */
#define WB_FEED_STALE_GAP 1u	   /* a declared gap whose messages have not all come */
#define WB_FEED_STALE_MID_START 2u /* the session was joined after its sequence 1 */
#define WB_FEED_STALE_REGRESS 4u   /* the numbering restarted within the session */
#define WB_FEED_STALE_LOST 8u	   /* too many open gaps to track: until a new session */

void wb_feed_params_default(struct wb_feed_params *p);
/* Sets the time parameters to their defaults for a clock of ticks_per_sec. */
void wb_feed_params_clock(struct wb_feed_params *p, uint64_t ticks_per_sec);
/* Returns NULL with errno set and wb_err_msg() explaining. */
struct wb_feed *wb_feed_create(const struct wb_feed_params *p);
void wb_feed_destroy(struct wb_feed *f);
void wb_feed_set_sink(struct wb_feed *f, const struct wb_feed_sink *sink);
/*
 * Sets only the sink's on_request and req_ctx (a publisher sets the rest:
 * call this after wb_publisher_attach()).
 */
void wb_feed_set_requester(struct wb_feed *f,
			   int (*on_request)(void *req_ctx,
					     const uint8_t session[WB_MOLD_SESSION_LEN],
					     uint64_t seq, uint16_t count),
			   void *req_ctx);

/* One MoldUDP64 datagram from line 0 (A) or 1 (B). Returns messages applied. */
unsigned int wb_feed_datagram(struct wb_feed *f, unsigned int line, const uint8_t *buf, size_t len,
			      uint64_t rx_tsc);
/*
 * The same, but the datagram's messages may stay queued after it returns,
 * so that the messages of several datagrams (a receive burst) are
 * prefetched and applied as one batch: buf must stay valid until the next
 * wb_feed_burst_end(), which applies what is left. Sequencing, gaps and
 * counters are handled at once; messages are applied in sequence order (a
 * packet ahead of the next sequence is copied into the hold buffer, not
 * queued: its buf need not outlive the burst), and any other call on the
 * feed applies the queue first. Returns the messages taken now (a held
 * packet's are counted when they are applied, in wb_feed_stats).
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
/*
 * Timers: a reorder window that expired, a request that timed out, a
 * request the rate limit delayed. now is in the rx_tsc clock. Cheap when
 * nothing is held or requested; call it off the per-packet path (every few
 * tens of microseconds), not inside a burst: it applies what is queued and
 * ends the burst (wb_feed_burst_end) when it applied anything.
 */
void wb_feed_tick(struct wb_feed *f, uint64_t now);
/*
 * End of input (a replay, a test): declares every open gap now, applies
 * what is held, cancels requests, ends the burst.
 */
void wb_feed_expire(struct wb_feed *f, uint64_t now);
/*
 * Stage timing: when on, wb_feed_burst_end() reads the TSC once the burst's
 * messages are decoded, applied to the book and their events committed
 * (before the snapshots), for wb_feed_applied_tsc(). Off by default.
 */
void wb_feed_set_stamp(struct wb_feed *f, int on);

/*
 * For a receive loop with nothing to do (an empty poll): readies the line
 * the feed's next event will be written to, when a publisher is attached.
 */
void wb_feed_idle(struct wb_feed *f);
uint64_t wb_feed_applied_tsc(const struct wb_feed *f);

/* Instruments whose book changed since the last burst end (valid in on_burst_end). */
const uint32_t *wb_feed_dirty(const struct wb_feed *f, unsigned int *n);

struct wb_book *wb_feed_book(struct wb_feed *f);
const struct wb_feed_stats *wb_feed_stats(const struct wb_feed *f);
const struct wb_session_stats *wb_feed_session_stats(const struct wb_feed *f);
uint32_t wb_feed_id(const struct wb_feed *f);
/* enum wb_venue of the feed's events and directory entries. */
uint8_t wb_feed_venue(const struct wb_feed *f);
/*
 * The venue's long name of an instrument (a Cboe options Symbol Mapping's
 * OSI symbol, at most 21 characters, or a CFE Futures Instrument
 * Definition's report symbol), NUL ended, or NULL when it has none
 * (ITCH, or no mapping or definition named it). The protocol's adapter owns the string
 * (it is no book op's: those are 64 bytes); the publisher reads it when it
 * writes the instrument's directory entry, after the burst that changed it
 * announced the instrument again with a DIRECTORY op.
 */
const char *wb_feed_long_name(const struct wb_feed *f, uint32_t instrument);
/*
 * WB_FEED_STALE_* bits, 0 when every book of the feed is whole. Stale ends
 * when the declared gaps' messages all arrive later (then only the
 * instruments they touched stay stale), at a new session that starts at
 * sequence 1 (the books are cleared), or by wb_feed_clear_stale() after the
 * caller rebuilt the books from a snapshot source.
 */
unsigned int wb_feed_stale(const struct wb_feed *f);
/* 1 if the instrument's book may be wrong: the feed is stale, or a recovered gap touched it. */
int wb_feed_instrument_stale(const struct wb_feed *f, uint32_t instrument);
/* Changes whenever wb_feed_stale() or an instrument's stale flag may have. */
uint64_t wb_feed_stale_gen(const struct wb_feed *f);
void wb_feed_clear_stale(struct wb_feed *f);
const struct wb_feed_rel_stats *wb_feed_rel_stats(const struct wb_feed *f);
/* Open gaps: messages known sent and not yet applied (0 when in order). */
uint64_t wb_feed_missing(const struct wb_feed *f);

#endif /* WB_FEED_H */
