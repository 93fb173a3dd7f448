/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * libwirebook-replay: a capture (pcap/pcapng; MoldUDP64 ITCH or Cboe PITCH),
 * a Nasdaq BinaryFILE or a PITCH unit file (plain or .gz) through the feed
 * pipeline in-process, no daemon and no DPDK: the
 * same session, decoder and book code as `wirebook replay` and wirebookd,
 * with the events handed to the caller in arrays (the Python package's
 * `wirebook.Replay`, research on a laptop).
 *
 * The events are the ones a strategy attached to the daemon would receive
 * for the same input (struct wb_event, in order), except that no ring
 * stamps them: `ring_tag` is the tag the ring would give (the event's
 * position from 1, truncated to 32 bits, never 0), and `rx_tsc` holds the
 * capture time in ns (0 for a BinaryFILE, which has none).
 *
 * Threads: a handle is used by one thread at a time. Error text is per
 * thread (wb_replay_errmsg()).
 */
#ifndef WIREBOOK_REPLAY_H
#define WIREBOOK_REPLAY_H

#include <stdint.h>

#include "wirebook/event.h"
#include "wirebook/wirebook.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Options of wb_replay_open(). */
struct wb_replay_opts {
	const char *protocol; /**< "itch" (MoldUDP64 ITCH 5.0, BinaryFILE), "pitch" (Cboe PITCH
				   Sequenced Units), "auto" or NULL: from the file's bytes */
	const char *channels; /**< "GROUP:PORT[,GROUP:PORT...]": only these UDP destinations (captures); NULL: all */
	uint32_t max_orders;  /**< live-order capacity (0: 4194304) */
	uint32_t max_levels;  /**< price-level capacity (0: 1048576) */
	uint32_t burst;	      /**< records per receive burst, as `wirebook replay` (0: 32) */
};

/** Counters of a replay, from wb_replay_stats(). */
struct wb_replay_stats {
	uint64_t records;	/**< messages (BinaryFILE) or frames (capture) read */
	uint64_t datagrams;	/**< UDP datagrams handed to the feed */
	uint64_t filtered;	/**< datagrams matching no channel */
	uint64_t not_udp;	/**< frames that are not IPv4/UDP */
	uint64_t bad_frames;	/**< truncated or malformed frames */
	uint64_t messages;	/**< messages decoded and applied */
	uint64_t bad_packets;	/**< MoldUDP64 packets rejected */
	uint64_t bad_messages;	/**< messages rejected (unknown, truncated, malformed) */
	uint64_t gaps;		/**< sequence gaps declared */
	uint64_t gap_msgs;	/**< messages lost in them */
	uint64_t bbo_changes;	/**< best bid/offer changes */
	uint64_t events;	/**< events handed out so far */
	uint64_t live_orders;	/**< orders resting in the books now */
	uint32_t stale;		/**< the feed's stale bits (0: every book whole) */
	uint32_t done;		/**< 1 once the input has ended */
};

/** Opaque replay handle. */
struct wb_replay;

/**
 * Fills opts with the defaults.
 * @param opts options to initialise
 */
void wb_replay_opts_default(struct wb_replay_opts *opts);

/**
 * Opens an input file (format detected from its content, .gz or not) and
 * creates the feed it runs through.
 * @param path capture or BinaryFILE
 * @param opts options, or NULL for the defaults
 * @return a handle, or NULL with errno set and wb_replay_errmsg() explaining
 *         (EPROTONOSUPPORT for an unknown protocol, EINVAL for a file that
 *         is not of the protocol given)
 */
struct wb_replay *wb_replay_open(const char *path, const struct wb_replay_opts *opts);

/**
 * Runs the input until max events are ready (or the input ends) and copies
 * them into out, in order.
 * @param r handle
 * @param out array of max events
 * @param max capacity of out
 * @return events copied; 0 at the end of the input; a negative errno when
 *         the file is damaged (EIO, wb_replay_errmsg() names the offset),
 *         once every event before the damage has been handed out
 */
long wb_replay_read(struct wb_replay *r, struct wb_event *out, unsigned long max);

/**
 * Size of the instrument directory: instrument ids are in [0, this).
 * @param r handle
 */
uint32_t wb_replay_max_instruments(const struct wb_replay *r);

/**
 * Lists the instruments the feed knows (seen in the directory, or in an add).
 * @param r handle
 * @param out array of n ids, ascending
 * @param n capacity of out
 * @return instruments known (may exceed n: only n are copied)
 */
uint32_t wb_replay_instruments(const struct wb_replay *r, uint32_t *out, uint32_t n);

/**
 * The book of one instrument as the input has built it so far, in the SDK's
 * snapshot form (top WB_CLIENT_MAX_DEPTH levels per side). last_seq,
 * exch_ts, rx_tsc and the last trade are those of the events handed out;
 * `updates` counts the bursts that changed the book.
 * @param r handle
 * @param instrument instrument id
 * @param out receives the copy; set out->size first (WB_CLIENT_BOOK_INIT):
 *        a struct smaller than this library's smallest (the WIREBOOK_2.0
 *        size) is refused, one larger gets zeroes beyond what it knows
 * @return 0; -ENOENT unknown instrument; -EINVAL id out of range, or
 *         out->size too small; wb_replay_errmsg() names the call and why
 */
int wb_replay_book(const struct wb_replay *r, uint32_t instrument, struct wb_client_book *out);

/**
 * Copies the counters.
 * @param r handle
 * @param out receives them
 */
void wb_replay_stats(const struct wb_replay *r, struct wb_replay_stats *out);

/**
 * Why the last call on this thread failed.
 * @return a static, per-thread string
 */
const char *wb_replay_errmsg(void);

/**
 * Frees the feed and closes the input.
 * @param r handle (NULL is ignored)
 */
void wb_replay_close(struct wb_replay *r);

#ifdef __cplusplus
}
#endif

#endif /* WIREBOOK_REPLAY_H */
