/* SPDX-License-Identifier: BSD-3-Clause */
/* Counter snapshots shared by the log line, the summary and telemetry. */
#ifndef WB_DAEMON_SNAP_H
#define WB_DAEMON_SNAP_H

#include <stdint.h>

#include "wb_daemon.h"

struct wb_daemon_feed_snap {
	uint64_t datagrams, messages;
	uint64_t bad_packets, pkt_truncated, pkt_malformed;
	uint64_t msg_unknown, msg_truncated, msg_malformed;
	uint64_t gaps, gap_msgs, dup_packets, dup_msgs, heartbeats, session_changes;
	uint64_t unknown_ref, duplicate_ref, overfill, table_full;
	uint64_t bad_locate, zero_shares, crossed;
	uint64_t live_orders, live_levels;
	uint64_t spilled_orders, spills, level_searches; /* book layout health */
	/* reliability: WB_FEED_STALE_* bits, sequence faults, hold and recovery */
	uint64_t stale, regressions, mid_starts, held, hold_full, requests, retries;
	uint64_t recovered, recovered_msgs, failed, late_filled;
	uint64_t recovery_p50_us, recovery_max_us;
};

struct wb_daemon_totals {
	uint64_t ipackets, imissed, ierrors;
	uint64_t packets, datagrams, unmatched, bad_frames;
	uint64_t busy_cycles, idle_cycles;
	uint64_t messages, gaps, gap_msgs, dup_packets, errors;
	/* book errors: the feed said something the book cannot apply */
	uint64_t unknown_ref, duplicate_ref, overfill, table_full;
	uint64_t stale_feeds, regressions, requests, recovered, failed;
	/* MoldUDP64 request servers (feeds that have one) */
	uint64_t req_feeds, req_sent, req_failed, req_replies;
	int req_arp_ok; /* every server's MAC known (or given) */
};

void wb_daemon_snap_feed(struct wb_daemon *d, unsigned int i, struct wb_daemon_feed_snap *o);
void wb_daemon_snap_totals(struct wb_daemon *d, struct wb_daemon_totals *t);

#endif /* WB_DAEMON_SNAP_H */
