/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * libwirebook: the strategy-side SDK of the wirebook feed handler.
 *
 * A client maps the daemon's market-data region read-only, follows its
 * broadcast ring of normalized events (struct wb_event, one cache line each)
 * and copies consistent top-of-book snapshots. Nothing a client does can slow
 * the daemon down or change what other clients see.
 *
 * The ring is lossy: the daemon never waits. A client that falls a whole
 * ring behind is told so by a synthetic event of type WB_CLIENT_EV_LAPPED
 * and is moved to a resynchronisation point; every event before that point
 * is reflected in the snapshots. To rebuild its state the client copies the
 * snapshots it cares about (wb_client_book()) and then applies only the
 * events whose `seq` is greater than the snapshot's `last_seq`.
 *
 * Threads: a handle is used by one thread at a time. Several handles (in one
 * or many processes) read independently.
 */
#ifndef WIREBOOK_WIREBOOK_H
#define WIREBOOK_WIREBOOK_H

#include <stddef.h>
#include <stdint.h>

#include "wirebook/event.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The instance name wirebookd publishes under when none is configured
 * ([daemon] name, --name), and the one every tool opens without --name.
 */
#define WB_CLIENT_DEFAULT_NAME "default"
/** Most snapshot levels per side a region can carry. */
#define WB_CLIENT_MAX_DEPTH 64
/** Symbol buffer size: 8 characters and a NUL. */
#define WB_CLIENT_SYMBOL_LEN 9
/**
 * Synthetic event type delivered by wb_client_poll() when the reader was
 * lapped; never in the ring. u.gap.from_seq is the ring position lost,
 * u.gap.count the number of ring positions skipped, ring_pos the position
 * the reader resumes at.
 */
#define WB_CLIENT_EV_LAPPED 0x80

/** Daemon states, as in the region header. */
enum wb_client_state {
	WB_CLIENT_STARTING = 1, /**< region created, books loading */
	WB_CLIENT_LIVE = 2,	/**< publishing */
	WB_CLIENT_STOPPED = 3,	/**< daemon exited cleanly; snapshots are final */
};

/**
 * The library's version ("MAJOR.MINOR.PATCH"), as the loaded libwirebook
 * was built: what a strategy's --version reports.
 * @return a static string
 */
const char *wb_client_version(void);

/** Opaque client handle. */
struct wb_client;

/** Options of wb_client_open(). */
struct wb_client_opts {
	const char *dir;	   /**< region directory; NULL: hugetlbfs, then /dev/shm */
	uint64_t alive_timeout_ns; /**< heartbeat older than this: stalled, not alive (default 1 s) */
	int no_register;	   /**< 1: do not take a reader slot (monitoring tools) */
};

/** One price level of a snapshot. */
struct wb_client_level {
	uint32_t price;	 /**< 4 implied decimals */
	uint32_t orders; /**< resting orders at this price */
	uint64_t shares; /**< total shares */
};

/** A consistent copy of one instrument's top of book. */
struct wb_client_book {
	uint16_t locate;		   /**< stock locate */
	char symbol[WB_CLIENT_SYMBOL_LEN]; /**< NUL terminated, no padding */
	uint8_t trading_state;		   /**< 'T','H','P','Q' or 0 */
	uint8_t stale;			   /**< 1: a feed gap made this book untrustworthy */
	uint32_t nbid;			   /**< bid levels filled, best first */
	uint32_t nask;			   /**< ask levels filled, best first */
	uint64_t last_seq;		   /**< feed sequence of the latest message it reflects */
	uint64_t exch_ts;		   /**< its exchange timestamp (ns since midnight) */
	uint64_t rx_tsc;		   /**< its receive TSC */
	uint32_t last_trade_px;		   /**< last execution or trade price (0: none) */
	uint64_t last_trade_qty;	   /**< its shares */
	uint64_t last_trade_match;	   /**< its match number */
	uint64_t updates;		   /**< times the daemon rewrote this snapshot */
	struct wb_client_level bid[WB_CLIENT_MAX_DEPTH]; /**< best (highest) first */
	struct wb_client_level ask[WB_CLIENT_MAX_DEPTH]; /**< best (lowest) first */
};

/** Daemon and reader health, from wb_client_status(). */
struct wb_client_status {
	int alive;		    /**< STARTING or LIVE, its process holds the name, fresh heartbeat */
	int state;		    /**< enum wb_client_state */
	uint32_t pid;		    /**< daemon process */
	uint64_t epoch_ns;	    /**< daemon start (CLOCK_REALTIME ns); changes on restart */
	uint64_t heartbeat_age_ns;  /**< time since the last heartbeat */
	uint64_t tail;		    /**< events the daemon has published */
	uint64_t cursor;	    /**< next ring position this client reads */
	uint64_t lag;		    /**< tail - cursor */
	uint64_t lapped;	    /**< times this client was lapped */
	uint64_t missed;	    /**< ring positions skipped by laps */
	uint64_t delivered;	    /**< events handed to callbacks */
	uint64_t reattached;	    /**< daemon restarts followed */
	uint64_t bursts;	    /**< receive bursts the daemon published */
	uint64_t snapshots;	    /**< snapshot rewrites */
	uint32_t ring_slots;	    /**< ring size */
	uint32_t depth;		    /**< snapshot levels per side */
	uint32_t channels;	    /**< feeds attached */
	int feed_stale;		    /**< 1 while a feed has an unrepaired gap */
	uint32_t stale_instruments; /**< instruments flagged stale */
};

/** Health of one feed channel, from wb_client_channels(). */
struct wb_client_channel {
	uint32_t id;	       /**< channel id from the daemon configuration */
	int stale;	       /**< 1 after a gap until repaired */
	uint64_t datagrams;    /**< MoldUDP64 datagrams received (both lines) */
	uint64_t bytes;	       /**< their bytes */
	uint64_t messages;     /**< ITCH messages decoded */
	uint64_t bad_packets;  /**< datagrams rejected */
	uint64_t bad_messages; /**< messages rejected */
	uint64_t gaps;	       /**< sequence gaps */
	uint64_t gap_msgs;     /**< messages lost in them */
	uint64_t dup_packets;  /**< A/B duplicates dropped */
	uint64_t events;       /**< events published */
	uint64_t bursts;       /**< receive bursts */
	uint64_t bbo_changes;  /**< best bid/offer changes */
};

/** Another registered reader, from wb_client_readers(). */
struct wb_client_reader {
	uint32_t pid;	    /**< reader process */
	uint64_t cursor;    /**< next ring position it reads */
	uint64_t lag;	    /**< tail - cursor */
	uint64_t lapped;    /**< times it was lapped */
	uint64_t delivered; /**< events it handled */
};

/** Event callback of wb_client_poll(). */
typedef void (*wb_client_event_fn)(void *ctx, const struct wb_event *ev);

/**
 * Fills opts with the defaults.
 * @param opts options to initialise
 */
void wb_client_opts_default(struct wb_client_opts *opts);

/**
 * Opens the region of daemon instance `name` (read-only) and registers as a
 * reader. The reader starts at the current resynchronisation point.
 * @param name instance name (the daemon's --name)
 * @param opts options, or NULL for the defaults
 * @return a handle, or NULL with errno set (ENOENT no such region, EPROTO
 *         unknown ABI version or corrupt header, EACCES permissions)
 */
struct wb_client *wb_client_open(const char *name, const struct wb_client_opts *opts);

/**
 * Releases the reader slot and unmaps the region.
 * @param c handle (NULL is ignored)
 */
void wb_client_close(struct wb_client *c);

/**
 * Subscribes to events of one symbol, or all of them. A symbol the daemon
 * has not seen yet is resolved when its directory event arrives.
 * @param c handle
 * @param symbol symbol (at most 8 characters), or NULL or "*" for all
 * @return 0, or -EINVAL for a bad symbol, -ENOMEM
 */
int wb_client_subscribe(struct wb_client *c, const char *symbol);

/**
 * Hands the next events of subscribed instruments to fn, in ring order,
 * together with events that name no instrument (gaps) and
 * WB_CLIENT_EV_LAPPED notices. Never blocks.
 * @param c handle
 * @param fn callback
 * @param ctx passed to fn
 * @param max most events to hand over
 * @return number of events handed to fn (0 when there is nothing new)
 */
int wb_client_poll(struct wb_client *c, wb_client_event_fn fn, void *ctx, unsigned int max);

/**
 * Copies the snapshot of one instrument, retrying while the daemon writes it.
 * @param c handle
 * @param locate stock locate
 * @param out receives the copy
 * @return 0, -ENOENT unknown instrument, -EINVAL locate out of range,
 *         -EAGAIN still torn after many retries
 */
int wb_client_book(struct wb_client *c, uint16_t locate, struct wb_client_book *out);

/**
 * Looks a symbol up in the daemon's instrument directory.
 * @param c handle
 * @param symbol symbol, at most 8 characters
 * @return its stock locate, or -ENOENT
 */
int wb_client_lookup(struct wb_client *c, const char *symbol);

/**
 * Size of the instrument directory: locates are in [0, this).
 * @param c handle
 * @return the directory size
 */
uint32_t wb_client_max_instruments(const struct wb_client *c);

/**
 * Reads the daemon's health and this reader's counters. When the daemon is
 * not alive and a new region of the same name exists (the daemon restarted,
 * new epoch), the handle re-attaches to it: subscriptions are resolved again
 * and the reader starts at the new region's resynchronisation point.
 * @param c handle
 * @param st receives the status
 * @return 1 if this call re-attached, 0 otherwise, -errno on failure
 */
int wb_client_status(struct wb_client *c, struct wb_client_status *st);

/**
 * Copies the health counters of the daemon's feed channels.
 * @param c handle
 * @param out array of n entries
 * @param n capacity of out
 * @return number of channels copied
 */
int wb_client_channels(struct wb_client *c, struct wb_client_channel *out, unsigned int n);

/**
 * Lists the registered readers of the region (lag monitoring).
 * @param c handle
 * @param out array of n entries
 * @param n capacity of out
 * @return number of readers copied, or -ENOENT without access to the client file
 */
int wb_client_readers(struct wb_client *c, struct wb_client_reader *out, unsigned int n);

/**
 * The daemon's TSC calibration, published in the region: nanoseconds per
 * tick of the time-stamp counter that stamps `rx_tsc` (measured by the
 * daemon against CLOCK_MONOTONIC_RAW at start-up).
 * @param c handle
 * @return ns per tick, or 0 if the region does not carry a calibration
 */
double wb_client_ns_per_tick(const struct wb_client *c);

/**
 * Converts a daemon TSC value (`wb_event.rx_tsc`, `wb_client_book.rx_tsc`)
 * to CLOCK_MONOTONIC_RAW nanoseconds of this host, through the anchor the
 * daemon refreshes with its heartbeat (so the error stays within a
 * nanosecond or two of the calibration's, whatever the uptime).
 * @param c handle
 * @param tsc a TSC value stamped by the daemon
 * @return CLOCK_MONOTONIC_RAW ns, or 0 without a calibration
 */
uint64_t wb_client_tsc_ns(const struct wb_client *c, uint64_t tsc);

/**
 * Nanoseconds from a daemon TSC value to now, read on the caller's core:
 * for `ev->rx_tsc` it is this event's latency from the daemon's receive
 * burst to the strategy, per message, without a system call (one rdtsc).
 * The TSC must be invariant and synchronised across cores (it is on every
 * x86-64 host DPDK supports).
 * @param c handle
 * @param tsc a TSC value stamped by the daemon
 * @return the age in ns (negative if tsc is in the future), 0 without a calibration
 */
int64_t wb_client_since_ns(const struct wb_client *c, uint64_t tsc);

#ifdef __cplusplus
}
#endif

#endif /* WIREBOOK_WIREBOOK_H */
