/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wirebookd internals: the configuration (validated once, immutable after
 * start-up), the running daemon's state shared by the control loop, the
 * telemetry callbacks and the summary.
 */
#ifndef WB_DAEMON_H
#define WB_DAEMON_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "wb_io.h"
#include "wb_tsc.h"

#define WB_DAEMON_NAME_LEN 64
#define WB_DAEMON_PATH_LEN 256
#define WB_DAEMON_MAX_FEEDS WB_IO_MAX_CHANNELS

struct wb_daemon_port_cfg {
	char vdev[WB_DAEMON_PATH_LEN]; /* "net_af_packet0,iface=..." or "" */
	char pci[64];		       /* "0000:01:00.0" or "" */
	char lcores[64];	       /* one lcore per rx queue: "1" or "1,2" */
	char capture[WB_DAEMON_PATH_LEN]; /* capture to PREFIX.NNNNNN.pcapng, or "" */
	uint32_t capture_rotate_mb;	  /* start a new file after this many MiB (0: never) */
	uint32_t capture_rotate_s;	  /* ... or after this many seconds (0: never) */
	uint32_t capture_ring;		  /* frames in flight to the writer, per rx queue */
	struct wb_io_port_conf io;
};

struct wb_daemon_chan_cfg {
	char name[WB_DAEMON_NAME_LEN];
	char feed[WB_DAEMON_NAME_LEN]; /* lines A and B of one feed share it */
	uint32_t protocol;	       /* enum wb_feed_protocol; a feed's channels agree */
	uint32_t venue;		       /* enum wb_venue; 0: by protocol (wb_daemon_venue) */
	uint32_t pitch_flags;	       /* WB_PITCH_SIGNED_PRICES (pitch_prices = signed); a feed's agree */
	struct wb_io_chan_conf io;
};

/*
 * [feed NAME]: how one feed (the channels whose feed = NAME) recovers what
 * its lines lost: the reorder window, and its MoldUDP64 request server.
 */
struct wb_daemon_feed_cfg {
	char name[WB_DAEMON_NAME_LEN];
	uint32_t server_ip;	/* request_server address, host order; 0: none */
	uint16_t server_port;	/* request_server port */
	uint16_t src_port;	/* request_port: requests' UDP source port, where replies come */
	uint8_t server_mac[6];	/* request_mac */
	uint32_t has_mac;	/* request_mac given: no ARP */
	uint32_t request_timeout_us;
	uint32_t request_retries;
	uint32_t request_max_count;
	uint32_t request_min_interval_us;
	uint32_t reorder_window_pkts;
	uint32_t reorder_window_us;
};

struct wb_daemon_cfg {
	/* [eal] */
	char lcores[64];
	uint32_t main_lcore;
	uint32_t memory_mb;
	uint32_t hugepages; /* 0: --no-huge */
	char file_prefix[WB_DAEMON_NAME_LEN];
	char log_level[64];
	char eal_extra[WB_DAEMON_PATH_LEN];
	/* [daemon] */
	char name[WB_DAEMON_NAME_LEN];
	uint32_t stats_interval_ms; /* periodic log line; 0: none */
	uint32_t heartbeat_us;
	uint32_t igmp_interval_s;
	uint32_t flush_us;
	uint32_t duration_s;   /* stop after this long; 0: until a signal */
	uint32_t idle_exit_ms; /* stop once rx is idle this long; 0: never */
	uint32_t latency;      /* per-burst stage histograms (/wirebook/latency) */
	char dump_book[WB_DAEMON_PATH_LEN];
	char user[WB_DAEMON_NAME_LEN];	/* become this user after start-up; "": stay */
	char group[WB_DAEMON_NAME_LEN]; /* and this group; "": the user's */
	/* [book] */
	uint32_t max_orders, max_levels, max_instruments;
	uint32_t ref_window;
	uint32_t book_hugepages;
	/* [publish] */
	uint32_t publish;
	uint32_t ring_slots, depth;
	char shm_dir[WB_DAEMON_PATH_LEN];
	int32_t gid;
	/* [portN], [channel NAME] */
	unsigned int nports, nchan;
	struct wb_daemon_port_cfg port[WB_IO_MAX_PORTS];
	struct wb_daemon_chan_cfg chan[WB_IO_MAX_CHANNELS];
	/* [feed NAME]; after wb_daemon_cfg_check() one per feed, in feed order */
	unsigned int nfeedcfg;
	struct wb_daemon_feed_cfg feedcfg[WB_DAEMON_MAX_FEEDS];
	/* Set by --replay, not from the file. */
	uint64_t expect_packets; /* stop once this many frames were received */
};

/* Defaults of every key (no port, no channel). */
void wb_daemon_cfg_default(struct wb_daemon_cfg *c);
/*
 * Loads and validates an INI file. Returns 0, or -1 after writing to err a
 * message naming the section, key and what is wrong.
 */
int wb_daemon_cfg_load(struct wb_daemon_cfg *c, const char *path, char *err, size_t errlen);
/*
 * The same over a buffer (the file's bytes): 0, or -1 with *line the line to
 * blame (0: none) and err "[section] key: reason". Used by the loader, the
 * tests and the fuzz target.
 */
int wb_daemon_cfg_parse(struct wb_daemon_cfg *c, const char *buf, size_t len, unsigned int *line,
			char *err, size_t errlen);
/* "moldudp64-itch50" or "pitch": a channel's protocol as the config names it. */
const char *wb_daemon_protocol_name(uint32_t protocol);
/*
 * The venue a channel's events carry: its venue key, or by its protocol
 * when the key is not given (Nasdaq for MoldUDP64/ITCH; for PITCH, whose
 * four Cboe equities exchanges share the protocol, WB_VENUE_OTHER rather
 * than a guess).
 */
uint8_t wb_daemon_venue(const struct wb_daemon_chan_cfg *ch);
/* Checks cross-key rules (ports, channels, lcores). 0 or -1 with err. */
int wb_daemon_cfg_check(struct wb_daemon_cfg *c, char *err, size_t errlen);
/*
 * wb_daemon_host.c: checks a checked configuration against this host (CPUs,
 * NUMA nodes, huge pages, interfaces, pcap files, PCI devices) without
 * starting anything. 0, or -1 with err naming the key; warnings to stderr.
 */
int wb_daemon_host_check(const struct wb_daemon_cfg *c, char *err, size_t errlen);
/*
 * wb_daemon_priv.c: checks [daemon] user/group and [publish] gid (-1 with
 * err; 1 with uid/gid when a user is set, else 0), and drops to them after
 * start-up, clearing every capability (0 or -1 with err).
 */
int wb_daemon_priv_resolve(const struct wb_daemon_cfg *c, uid_t *uid, gid_t *gid, char *err,
			   size_t errlen);
int wb_daemon_priv_drop(const struct wb_daemon_cfg *c, char *err, size_t errlen);
/*
 * wb_daemon_feedcfg.c, called by wb_daemon_cfg_check() once the channels'
 * feeds are known: every
 * [feed NAME] must name a feed some channel uses; then gives each feed its
 * section (defaults for a feed without one), in the order feeds first
 * appear among the channels, and picks request ports. 0 or -1 with err.
 */
int wb_daemon_cfg_check_feeds(struct wb_daemon_cfg *c, char *err, size_t errlen);
/* A [feed NAME] with every key at its default (no name). */
void wb_daemon_feed_cfg_default(struct wb_daemon_feed_cfg *f);
/* The [feed NAME] of a feed after wb_daemon_cfg_check(), or NULL. */
const struct wb_daemon_feed_cfg *wb_daemon_feed_cfg(const struct wb_daemon_cfg *c,
						    const char *feed);
/*
 * Before EAL: -1 with err when another DPDK primary holds c's file_prefix
 * (its runtime config file is locked), which EAL would only report as a
 * failed init.
 */
int wb_daemon_prefix_in_use(const struct wb_daemon_cfg *c, char *err, size_t errlen);
/* Prints every key with its default, bounds and help. */
void wb_daemon_cfg_help(FILE *out);
/* Builds the EAL argv (strings owned by c's static buffer). Returns argc. */
int wb_daemon_eal_args(const struct wb_daemon_cfg *c, const char *prog, char **argv, int max);

struct wb_publisher;
struct wb_daemon_src;

struct wb_daemon {
	const struct wb_daemon_cfg *cfg;
	struct wb_io *io;
	unsigned int nfeeds;
	struct wb_feed *feeds[WB_DAEMON_MAX_FEEDS];
	char feed_name[WB_DAEMON_MAX_FEEDS][WB_DAEMON_NAME_LEN];
	int chan_feed[WB_IO_MAX_CHANNELS]; /* channel -> feed index */
	int feed_req[WB_DAEMON_MAX_FEEDS];  /* feed -> requester index (wb_io), or -1 */
	unsigned int npub;
	struct wb_publisher *pub[WB_DAEMON_MAX_FEEDS]; /* one region per feed */
	uint64_t start_ns;
	struct wb_tsc_cal cal; /* TSC cycles -> ns (rte_get_tsc_hz() is rounded) */
	struct wb_daemon_src *src; /* --replay: the reader feeding the replay port */
};

/* The replay port's ethdev: the ring PMD, probed from --vdev. */
#define WB_DAEMON_REPLAY_DEV "net_ring_wbr"

/*
 * wb_daemon_replay.c: turns c into the --replay configuration: one replay
 * port (frames of the given link type), one rx lcore, the channels.
 * 0 or -1 with err.
 */
int wb_daemon_replay_cfg(struct wb_daemon_cfg *c, uint32_t linktype, const char *const *channels,
			 unsigned int nchan, char *err, size_t errlen);
/*
 * --replay, after wb_daemon_replay_cfg: every channel takes the protocol of
 * the file's bytes (a capture whose first UDP payload is one PITCH
 * Sequenced Unit is PITCH). 0 or -1 with err (a PITCH unit file, which has
 * no frames; --from with PITCH).
 */
int wb_daemon_replay_protocol(struct wb_daemon_cfg *c, const char *path, int from, char *err,
			      size_t errlen);

/*
 * wb_daemon_req.c: each feed's request server (its requester and recovery
 * channel) after the feeds and channels, the feeds' on_request after the
 * publisher (which sets their sink). 0 or -errno with wb_err_msg().
 */
int wb_daemon_requesters(struct wb_daemon *d);
/* A feed's [feed NAME] keys (NULL: defaults) into its params, for a TSC of tsc_hz. */
struct wb_feed_params;
void wb_daemon_feed_params(struct wb_feed_params *fp, const struct wb_daemon_feed_cfg *fc,
			   uint64_t tsc_hz);
int wb_daemon_requesters_attach(struct wb_daemon *d);
/* The summary lines of the request servers and of every feed's recovery. */
void wb_daemon_req_summary(struct wb_daemon *d, FILE *out);
const char *wb_daemon_arp_state(int state);

/*
 * wb_daemon_src.c: the reader that feeds the replay port (see there).
 * open (before EAL: the file is checked and its link type known), preroll
 * (--from: after the feeds exist, before publishing), start (after
 * wb_io_start), done (end of input: frames enqueued), stop (joins), close.
 */
struct wb_daemon_src *wb_daemon_src_open(const char *path, double speed, uint64_t from_tod,
					 char *err, size_t errlen);
uint32_t wb_daemon_src_linktype(const struct wb_daemon_src *s);
int wb_daemon_src_preroll(struct wb_daemon_src *s, struct wb_daemon *d);
int wb_daemon_src_start(struct wb_daemon_src *s);
int wb_daemon_src_done(const struct wb_daemon_src *s, uint64_t *frames);
uint64_t wb_daemon_src_sent(const struct wb_daemon_src *s);
int wb_daemon_src_stop(struct wb_daemon_src *s);
void wb_daemon_src_summary(const struct wb_daemon_src *s, FILE *out);
void wb_daemon_src_close(struct wb_daemon_src *s);

/*
 * wb_daemon_capture.c: the capture writer thread (ports with capture = ...):
 * drains the rx lcores' handoff rings into rotated pcapng files. start after
 * wb_io_start; stop after wb_io_stop (it drains what is left).
 */
struct wb_daemon_cap;
struct wb_daemon_cap *wb_daemon_capture_start(struct wb_daemon *d);
void wb_daemon_capture_stop(struct wb_daemon_cap *cap, FILE *summary);

/* wb_daemon_stats.c: the periodic line, the exit summary. */
void wb_daemon_log_line(struct wb_daemon *d, FILE *out, double interval_s);
void wb_daemon_summary(struct wb_daemon *d, FILE *out, double seconds);

/*
 * wb_daemon_statfile.c: the stats file for `wirebook top` (wb_shm_stats.h).
 * open: 0 or -1 with wb_err_msg(); update: from the control loop, rewrites
 * it when 100 ms have passed (or force); close removes it.
 */
int wb_daemon_statfile_open(struct wb_daemon *d);
void wb_daemon_statfile_update(struct wb_daemon *d, uint64_t now_ns, int force);
const char *wb_daemon_statfile_path(void);
void wb_daemon_statfile_close(void);

/* wb_daemon_telemetry.c: /wirebook/ commands. 0 or -1. */
int wb_daemon_telemetry_init(struct wb_daemon *d);
/* The /wirebook/channels key of channel i (its name made valid for DPDK). */
void wb_daemon_tel_key(const struct wb_daemon_cfg *cfg, unsigned int i, char *key, size_t len);

#endif /* WB_DAEMON_H */
