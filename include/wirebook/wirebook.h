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
 *
 * Errors: a function that returns a pointer returns NULL with errno set; the
 * others return 0 (or a count) on success and -errno on failure. Either way
 * wb_client_last_error() then says what went wrong, in this thread.
 *
 * Growing structs: every struct the caller allocates and the library reads
 * or fills starts with `size`, the struct's size as the caller was compiled
 * (WB_CLIENT_*_INIT or wb_client_opts_default() set it). A later library adds
 * fields only at the end and touches only the bytes the caller's size covers,
 * so a program built against this header keeps working with it; a size below
 * the struct's WIREBOOK_2.0 size (the first with sizes) is refused with
 * -EINVAL. Grown since: wb_client_instrument (long_name).
 */
#ifndef WIREBOOK_WIREBOOK_H
#define WIREBOOK_WIREBOOK_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
/** Long name buffer size: 21 characters (a Cboe options OSI symbol) and a NUL. */
#define WB_CLIENT_LONG_NAME_LEN 22
/**
 * Synthetic event type delivered by wb_client_poll() when the reader was
 * lapped; never in the ring. u.gap.from_seq is the ring position lost,
 * u.gap.count the number of ring positions skipped, u.gap.resume_pos the
 * position the reader resumes at.
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

/**
 * Text of the last failure of a wb_client_* call in the calling thread
 * (what errno or the -errno result only classifies), e.g. "wb_client_book:
 * size 16 is smaller than 3160, this library's smallest".
 * @return a thread-local string, valid until the thread's next wb_client_* call
 */
const char *wb_client_last_error(void);

/** Opaque client handle. */
struct wb_client;

/** Heartbeat age past which a daemon counts as stalled, not alive. */
#define WB_CLIENT_ALIVE_TIMEOUT_NS 1000000000ull

/** Options of wb_client_open(). */
struct wb_client_opts {
	uint32_t size;		   /**< sizeof(struct wb_client_opts); 0 fields: defaults */
	int no_register;	   /**< 1: do not take a reader slot (monitoring tools) */
	const char *dir;	   /**< region directory; NULL: hugetlbfs, then /dev/shm */
	uint64_t alive_timeout_ns; /**< heartbeat older than this: stalled, not alive
					(0: WB_CLIENT_ALIVE_TIMEOUT_NS) */
};

/** Initialiser of a struct wb_client_opts holding the defaults. */
#define WB_CLIENT_OPTS_INIT                                                                        \
	{                                                                                          \
		.size = sizeof(struct wb_client_opts), .no_register = 0, .dir = NULL,              \
		.alive_timeout_ns = WB_CLIENT_ALIVE_TIMEOUT_NS                                     \
	}
/** Initialiser of a struct wb_client_book for wb_client_book(): its size. */
#define WB_CLIENT_BOOK_INIT {.size = sizeof(struct wb_client_book)}
/** Initialiser of a struct wb_client_status for wb_client_status(): its size. */
#define WB_CLIENT_STATUS_INIT {.size = sizeof(struct wb_client_status)}
/** Initialiser of the first struct wb_client_channel of wb_client_channels()' array. */
#define WB_CLIENT_CHANNEL_INIT {.size = sizeof(struct wb_client_channel)}
/** Initialiser of the first struct wb_client_reader of wb_client_readers()' array. */
#define WB_CLIENT_READER_INIT {.size = sizeof(struct wb_client_reader)}
/** Initialiser of a struct wb_client_instrument for wb_client_instrument(): its size. */
#define WB_CLIENT_INSTRUMENT_INIT {.size = sizeof(struct wb_client_instrument)}

/** One price level of a snapshot. */
struct wb_client_level {
	int64_t price;	 /**< integer of 10^price_exp units (wb_client_book.price_exp) */
	uint32_t orders; /**< resting orders at this price */
	uint64_t shares; /**< total shares */
};

/** A consistent copy of one instrument's top of book. */
struct wb_client_book {
	uint32_t size;			   /**< sizeof(struct wb_client_book), set by the caller */
	uint32_t instrument;		   /**< instrument id (ITCH: the stock locate) */
	char symbol[WB_CLIENT_SYMBOL_LEN]; /**< NUL terminated, no padding */
	uint8_t trading_state;		   /**< 'T','H','P','Q' or 0 */
	uint8_t stale;			   /**< 1: a feed gap made this book untrustworthy */
	uint8_t venue;			   /**< enum wb_venue */
	int8_t price_exp;		   /**< prices are integers of 10^price_exp (-4: ITCH) */
	uint32_t nbid;			   /**< bid levels filled, best first */
	uint32_t nask;			   /**< ask levels filled, best first */
	uint64_t last_seq;		   /**< feed sequence of the latest message it reflects */
	uint64_t exch_ts;		   /**< its exchange timestamp (ns since midnight) */
	uint64_t rx_tsc;		   /**< its receive TSC */
	int64_t last_trade_px;		   /**< last execution or trade price (0: none) */
	uint64_t last_trade_qty;	   /**< its shares */
	uint64_t last_trade_match;	   /**< its match number */
	uint64_t updates;		   /**< times the daemon rewrote this snapshot */
	struct wb_client_level bid[WB_CLIENT_MAX_DEPTH]; /**< best (highest) first */
	struct wb_client_level ask[WB_CLIENT_MAX_DEPTH]; /**< best (lowest) first */
};

/** Daemon and reader health, from wb_client_status(). */
struct wb_client_status {
	uint32_t size;		    /**< sizeof(struct wb_client_status), set by the caller */
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
	uint32_t size;	       /**< sizeof(struct wb_client_channel), set by the caller in out[0] */
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
	uint32_t size;	    /**< sizeof(struct wb_client_reader), set by the caller in out[0] */
	uint32_t pid;	    /**< reader process */
	uint64_t cursor;    /**< next ring position it reads */
	uint64_t lag;	    /**< tail - cursor */
	uint64_t lapped;    /**< times it was lapped */
	uint64_t delivered; /**< events it handled */
};

/** One instrument of the daemon's directory, from wb_client_instrument(). */
struct wb_client_instrument {
	uint32_t size;			   /**< sizeof(struct wb_client_instrument), set by the caller */
	uint32_t id;			   /**< instrument id: the index events and books use */
	char symbol[WB_CLIENT_SYMBOL_LEN]; /**< NUL terminated, no padding */
	uint8_t venue;			   /**< enum wb_venue */
	int8_t price_exp;		   /**< prices are integers times 10^price_exp */
	uint8_t trading_state;		   /**< 'T','H','P','Q' or 0 */
	uint8_t stale;			   /**< 1: a feed gap made its book untrustworthy */
	/**
	 * The venue's long name, NUL terminated: for Cboe options the OSI
	 * symbol of a Symbol Mapping ("SPX   200619P00500000", inner spaces
	 * kept), for CFE futures the report symbol of a Futures Instrument
	 * Definition ("ZAMB1"); "" when the venue gives none (ITCH, US
	 * equities) or before the mapping or definition came. Added after
	 * WIREBOOK_2.0 (whose struct ends at 24 bytes, inside this field):
	 * filled only for a caller whose size covers all of it, and zero from
	 * a library that predates it.
	 */
	char long_name[WB_CLIENT_LONG_NAME_LEN];
};

/** Event callback of wb_client_poll(). */
typedef void (*wb_client_event_fn)(void *ctx, const struct wb_event *ev);

/**
 * Fills opts with the defaults and its size (as WB_CLIENT_OPTS_INIT does);
 * inline, so the size is the caller's.
 * @param opts options to initialise
 */
static inline void
wb_client_opts_default(struct wb_client_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->size = sizeof(*opts);
	opts->alive_timeout_ns = WB_CLIENT_ALIVE_TIMEOUT_NS;
}

/**
 * Opens the region of daemon instance `name` (read-only) and registers as a
 * reader. The reader starts at the current resynchronisation point.
 * @param name instance name (the daemon's --name)
 * @param opts options, or NULL for the defaults
 * @return a handle, or NULL with errno set (ENOENT no such region, EPROTO
 *         unknown ABI version or corrupt header, EACCES permissions, EINVAL
 *         a bad name or opts->size) and wb_client_last_error() saying more
 */
struct wb_client *wb_client_open(const char *name, const struct wb_client_opts *opts);

/**
 * wb_client_open() that waits for the daemon: retries every few
 * milliseconds until a region of that name exists and the daemon behind it
 * is alive (STARTING or LIVE, holding its name, fresh heartbeat). A region
 * left by a daemon that stopped or died is waited past, for its successor.
 * Errors that waiting cannot cure (EINVAL, EPROTO, EACCES) return at once.
 * @param name instance name
 * @param opts options, or NULL for the defaults
 * @param timeout_ns how long to wait (0: try once)
 * @return a handle, or NULL with errno set: ETIMEDOUT when no live daemon
 *         appeared in time (wb_client_last_error() says what was last seen)
 */
struct wb_client *wb_client_wait_open(const char *name, const struct wb_client_opts *opts,
				      uint64_t timeout_ns);

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
 * wb_client_poll() into an array: copies the next events (the same ones,
 * in the same order, WB_CLIENT_EV_LAPPED notices included) into out, for
 * callers that cannot take a callback per event (language bindings, a
 * vectorised strategy). Never blocks.
 * @param c handle
 * @param out array of max events
 * @param max capacity of out
 * @return number of events copied (0 when there is nothing new), -EINVAL
 *         for a NULL out
 */
int wb_client_poll_batch(struct wb_client *c, struct wb_event *out, unsigned int max);

/**
 * Copies the snapshot of one instrument, retrying while the daemon writes it.
 * @param c handle
 * @param instrument instrument id (ITCH: stock locate)
 * @param out receives the copy; out->size set by the caller (WB_CLIENT_BOOK_INIT)
 * @return 0, -ENOENT unknown instrument, -EINVAL id out of range or
 *         out->size too small, -EAGAIN still torn after many retries
 */
int wb_client_book(struct wb_client *c, uint32_t instrument, struct wb_client_book *out);

/**
 * Looks a symbol up in the daemon's instrument directory.
 * @param c handle
 * @param symbol symbol, at most 8 characters
 * @return its instrument id, or -ENOENT
 */
int wb_client_lookup(struct wb_client *c, const char *symbol);

/**
 * Describes one instrument of the daemon's directory.
 * @param c handle
 * @param id instrument id (an event's instrument, a wb_client_lookup() result)
 * @param out receives it; out->size set by the caller (WB_CLIENT_INSTRUMENT_INIT)
 * @return 0, -ENOENT not in the directory (yet), -EINVAL id out of range or
 *         out->size too small, -EAGAIN torn after many retries
 */
int wb_client_instrument(struct wb_client *c, uint32_t id, struct wb_client_instrument *out);

/**
 * Size of the instrument directory: instrument ids are in [0, this).
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
 * @param st receives the status; st->size set by the caller (WB_CLIENT_STATUS_INIT)
 * @return 1 if this call re-attached, 0 otherwise, -errno on failure (-EINVAL:
 *         st->size too small)
 */
int wb_client_status(struct wb_client *c, struct wb_client_status *st);

/**
 * Copies the health counters of the daemon's feed channels.
 * @param c handle
 * @param out array of n entries; out[0].size (WB_CLIENT_CHANNEL_INIT) is the
 *        size of every element, as the caller was compiled
 * @param n capacity of out
 * @return number of channels copied, -EINVAL when out[0].size is too small
 */
int wb_client_channels(struct wb_client *c, struct wb_client_channel *out, unsigned int n);

/**
 * Lists the registered readers of the region (lag monitoring).
 * @param c handle
 * @param out array of n entries; out[0].size (WB_CLIENT_READER_INIT) is the
 *        size of every element, as the caller was compiled
 * @param n capacity of out
 * @return number of readers copied, -ENOENT without access to the client
 *         file, -EINVAL when out[0].size is too small
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
