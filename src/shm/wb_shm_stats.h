/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The daemon's operating counters for monitors (wirebook top): a file of
 * its own, DIR/wirebook.NAME.stats next to the regions (DIR is [publish]
 * dir, else /dev/shm: it is small and written ten times a second, no place
 * for a huge page). The market-data regions are per rx lcore and carry what
 * strategies need; what an operator watches is the daemon's as a whole:
 * ports (with their extended stats), rx lcores, channels and feeds by the
 * names of the configuration, every error counter.
 *
 * One writer, the daemon's main lcore, at every heartbeat tick that is 100
 * ms after the last; the whole body is under one sequence lock (odd while
 * being written), so a reader gets one consistent copy of everything.
 * Fixed size, versioned like the region: magic last with release, readers
 * check magic (acquire), version and size. Mode 0640 with the region's
 * group. The daemon removes it at exit (its final figures are in its
 * summary); wb_shm_unlink() removes it with the region.
 */
#ifndef WB_SHM_STATS_H
#define WB_SHM_STATS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define WB_STATS_MAGIC 0x5354415453425757ull /* "WWBSTATS" little-endian */
#define WB_STATS_VERSION 2u
#define WB_STATS_MAX_PORTS 8u
#define WB_STATS_MAX_LCORES 32u
#define WB_STATS_MAX_CHANNELS 64u
#define WB_STATS_MAX_FEEDS 64u
#define WB_STATS_MAX_XSTATS 24u
#define WB_STATS_NAME_LEN 64u

struct wb_stats_xstat {
	char name[56];
	uint64_t value;
};

struct wb_stats_port {
	char name[WB_STATS_NAME_LEN]; /* device */
	uint64_t rx, rx_bytes, missed, errors, nombuf, tx;
	uint32_t nxstats; /* the non-zero extended stats, first ones first */
	uint32_t pad;
	struct wb_stats_xstat xstats[WB_STATS_MAX_XSTATS];
};

struct wb_stats_lcore {
	uint32_t id;
	uint32_t pad;
	uint64_t packets, datagrams, unmatched, bad_frames;
	uint64_t busy_cycles, idle_cycles, loops;
};

struct wb_stats_chan {
	char name[WB_STATS_NAME_LEN];
	char feed[WB_STATS_NAME_LEN];
	uint32_t feed_idx; /* into feeds[] */
	uint8_t line;	   /* 0: A, 1: B */
	uint8_t pad[3];
	uint64_t packets;
};

struct wb_stats_feed {
	char name[WB_STATS_NAME_LEN];
	uint64_t datagrams, messages;
	uint64_t gaps, gap_msgs, dup_packets, dup_msgs, heartbeats, session_changes;
	uint64_t bad_packets, msg_errors; /* rejected datagrams; unknown+truncated+malformed */
	uint64_t unknown_ref, duplicate_ref, overfill, table_full;
	uint64_t live_orders, live_levels;
	/* version 2: what the book could not place, and the feed's reliability */
	uint64_t bad_locate, zero_shares, crossed;
	uint64_t regressions, mid_starts, held, hold_full;
	uint64_t requests, retries, recovered, failed, late_filled;
	uint64_t recovery_p50_us, recovery_max_us;
};

struct wb_stats_body {
	uint64_t update_ns; /* CLOCK_REALTIME of this copy */
	uint64_t start_ns;  /* CLOCK_REALTIME of the daemon's start */
	uint64_t tsc_hz;
	uint32_t pid;
	uint32_t nports, nlcores, nchan, nfeeds;
	uint32_t hugepages;
	char name[WB_STATS_NAME_LEN];
	char file_prefix[WB_STATS_NAME_LEN];
	struct wb_stats_port port[WB_STATS_MAX_PORTS];
	struct wb_stats_lcore lcore[WB_STATS_MAX_LCORES];
	struct wb_stats_chan chan[WB_STATS_MAX_CHANNELS];
	struct wb_stats_feed feed[WB_STATS_MAX_FEEDS];
	/*
	 * version 2: the daemon's own latency, rx burst returned -> events
	 * committed, over every rx lcore since start ([daemon] latency; count 0
	 * when off), in ns on the calibrated TSC.
	 */
	uint64_t lat_count, lat_p50_ns, lat_p99_ns, lat_p999_ns, lat_max_ns;
};

struct wb_stats_file {
	_Atomic uint64_t magic;
	uint32_t version;
	uint32_t size; /* sizeof(struct wb_stats_file) */
	_Atomic uint32_t seq;
	uint8_t pad[44];
	struct wb_stats_body body;
};

_Static_assert(sizeof(struct wb_stats_xstat) == 64, "xstat size");
_Static_assert(__builtin_offsetof(struct wb_stats_file, body) == 64, "stats body offset");

/* A mapped stats file (writer). */
struct wb_stats_w {
	struct wb_stats_file *f;
	char path[512];
};

/* DIR/wirebook.NAME.stats. 0 or -ENAMETOOLONG. */
int wb_stats_path(char *buf, size_t len, const char *dir, const char *name);
/* Creates (replacing atomically) the file; dir NULL: /dev/shm. 0 or -errno. */
int wb_stats_create(struct wb_stats_w *w, const char *dir, const char *name, int gid);
/* Brackets a rewrite of w->f->body. */
void wb_stats_begin(struct wb_stats_w *w);
void wb_stats_end(struct wb_stats_w *w);
/* Unmaps; unlinks the file when remove is set. */
void wb_stats_close(struct wb_stats_w *w, int remove);
/*
 * One consistent copy of the body of DIR/wirebook.NAME.stats (dir NULL:
 * /dev/shm). 0, -ENOENT (no daemon writes one), -EPROTO (other version),
 * -EAGAIN (kept changing).
 */
int wb_stats_read(const char *dir, const char *name, struct wb_stats_body *out);

#endif /* WB_SHM_STATS_H */
