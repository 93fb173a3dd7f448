/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DPDK telemetry commands under /wirebook/, for dpdk-telemetry.py -f PREFIX:
 *   /wirebook/stats     totals: rx, messages, gaps, duplicates, errors, busy
 *   /wirebook/ports     per port: ethdev rx, missed, errors, nombuf
 *   /wirebook/lcores    per rx lcore: packets, busy ratio, loop cycles
 *   /wirebook/channels  per channel: packets, then its feed's counters
 *   /wirebook/channel,NAME  the same for one channel, and its feed's
 *                       messages by type (msg_NAME)
 *   /wirebook/latency   per burst stage ([daemon] latency): count, min, p50,
 *                       p90, p99, p99.9, max, mean in ns; ",reset" empties them.
 *                       rx_to_committed counts every burst; rx_to_queued and
 *                       queued_to_committed only the 1 in WB_IO_SPLIT_ONE_IN
 *                       bursts whose span is split (see wb_io_priv.h)
 * Channel names are the user's (`itch-a`), but DPDK 22.11 drops a dictionary
 * entry whose key has anything but letters, digits, '_' and '/' (and its
 * lists cannot hold dictionaries). So each channel carries its exact name as
 * a string value, which DPDK does not restrict, under a key made valid
 * (every other byte becomes '_', a clash gets a suffix "_2", "_3"...): the
 * key is for reading, the "name" value is the one to match on.
 *   /wirebook/requests  per feed with a request server: requests, replies, ARP
 * The callbacks run on DPDK's telemetry thread and only read counters (see
 * wb_daemon_stats.c for why that is enough). The 22.11 callback has no user
 * pointer, hence the one static daemon pointer, set before registration.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_telemetry.h>

#include "wb_daemon.h"
#include "wb_daemon_snap.h"
#include "wb_histo.h"
#include "wb_stats.h"

static struct wb_daemon *wb_tel_daemon;

#define U64(d, k, v) rte_tel_data_add_dict_u64((d), (k), (v))

static int
wb_tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct wb_daemon_totals t;

	wb_daemon_snap_totals(wb_tel_daemon, &t);
	rte_tel_data_start_dict(d);
	U64(d, "rx_packets", t.packets);
	U64(d, "datagrams", t.datagrams);
	U64(d, "messages", t.messages);
	U64(d, "gaps", t.gaps);
	U64(d, "gap_msgs", t.gap_msgs);
	U64(d, "dup_packets", t.dup_packets);
	U64(d, "errors", t.errors);
	U64(d, "unknown_ref", t.unknown_ref);
	U64(d, "duplicate_ref", t.duplicate_ref);
	U64(d, "overfill", t.overfill);
	U64(d, "table_full", t.table_full);
	U64(d, "bad_frames", t.bad_frames);
	U64(d, "unmatched", t.unmatched);
	U64(d, "port_missed", t.imissed);
	U64(d, "port_errors", t.ierrors);
	U64(d, "stale_feeds", t.stale_feeds);
	U64(d, "regressions", t.regressions);
	U64(d, "requests", t.requests);
	U64(d, "recovered", t.recovered);
	U64(d, "recovery_failed", t.failed);
	U64(d, "busy_permille",
	    t.busy_cycles + t.idle_cycles ? t.busy_cycles * 1000 / (t.busy_cycles + t.idle_cycles)
					  : 0);
	return 0;
}

static int
wb_tel_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct wb_io *io = wb_tel_daemon->io;
	struct wb_io_port_stats ps;
	struct wb_io_port_hwts hw;
	unsigned int i;
	char name[32];

	rte_tel_data_start_dict(d);
	for (i = 0; i < wb_io_nports(io); i++) {
		struct rte_tel_data *p = rte_tel_data_alloc();

		if (p == NULL || wb_io_port_stats(io, i, &ps) != 0) {
			rte_tel_data_free(p);
			continue;
		}
		rte_tel_data_start_dict(p);
		rte_tel_data_add_dict_string(p, "device", wb_io_port_name(io, i));
		U64(p, "rx", ps.ipackets);
		U64(p, "rx_bytes", ps.ibytes);
		U64(p, "missed", ps.imissed);
		U64(p, "errors", ps.ierrors);
		U64(p, "nombuf", ps.rx_nombuf);
		U64(p, "tx", ps.opackets);
		if (wb_io_port_hwts(io, i, &hw) == 0) {
			rte_tel_data_add_dict_string(p, "hw_clock", wb_io_hwclk_name[hw.clock]);
			U64(p, "hw_stamped", hw.stamped);
			U64(p, "hw_last_ns", hw.last_ns);
		}
		snprintf(name, sizeof(name), "port%u", i);
		rte_tel_data_add_dict_container(d, name, p, 0);
	}
	return 0;
}

static int
wb_tel_lcores(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct wb_io *io = wb_tel_daemon->io;
	struct wb_io_lcore_stats ls;
	unsigned int i, id;
	char name[32];

	rte_tel_data_start_dict(d);
	for (i = 0; i < wb_io_nlcores(io); i++) {
		struct rte_tel_data *l = rte_tel_data_alloc();
		uint64_t all;

		if (l == NULL || wb_io_lcore_stats(io, i, &id, &ls) != 0) {
			rte_tel_data_free(l);
			continue;
		}
		all = ls.busy_cycles + ls.idle_cycles;
		rte_tel_data_start_dict(l);
		U64(l, "packets", ls.packets);
		U64(l, "datagrams", ls.datagrams);
		U64(l, "unmatched", ls.unmatched);
		U64(l, "not_udp", ls.not_udp);
		U64(l, "bad_frames", ls.bad_frames);
		U64(l, "fragments", ls.fragments);
		U64(l, "oversize", ls.oversize);
		U64(l, "capture_queued", ls.capture_queued);
		U64(l, "capture_dropped", ls.capture_dropped);
		U64(l, "loops", ls.loops);
		U64(l, "busy_loops", ls.busy_loops);
		U64(l, "busy_cycles", ls.busy_cycles);
		U64(l, "idle_cycles", ls.idle_cycles);
		U64(l, "busy_permille", all ? ls.busy_cycles * 1000 / all : 0);
		U64(l, "cycles_per_busy_loop", ls.busy_loops ? ls.busy_cycles / ls.busy_loops : 0);
		U64(l, "cycles_per_idle_loop",
		    ls.loops > ls.busy_loops ? ls.idle_cycles / (ls.loops - ls.busy_loops) : 0);
		snprintf(name, sizeof(name), "lcore%u", id);
		rte_tel_data_add_dict_container(d, name, l, 0);
	}
	return 0;
}

static void
wb_tel_msg_type(void *ctx, const char *name, uint64_t count)
{
	char key[32];

	snprintf(key, sizeof(key), "msg_%s", name);
	U64((struct rte_tel_data *)ctx, key, count);
}

/* One channel's counters, its exact name as a value (see the top comment). */
static void
wb_tel_channel(struct wb_daemon *dm, unsigned int i, struct rte_tel_data *c, int by_type)
{
	struct wb_daemon_feed_snap f;

	wb_daemon_snap_feed(dm, (unsigned int)dm->chan_feed[i], &f);
	rte_tel_data_start_dict(c);
	rte_tel_data_add_dict_string(c, "name", dm->cfg->chan[i].name);
	rte_tel_data_add_dict_string(c, "feed", dm->cfg->chan[i].feed);
	rte_tel_data_add_dict_string(c, "line", dm->cfg->chan[i].io.line ? "B" : "A");
	U64(c, "packets", wb_io_channel_packets(dm->io, i));
	U64(c, "feed_datagrams", f.datagrams);
	U64(c, "messages", f.messages);
	U64(c, "gaps", f.gaps);
	U64(c, "gap_msgs", f.gap_msgs);
	U64(c, "dup_packets", f.dup_packets);
	U64(c, "dup_msgs", f.dup_msgs);
	U64(c, "heartbeats", f.heartbeats);
	U64(c, "session_changes", f.session_changes);
	U64(c, "pkt_truncated", f.pkt_truncated);
	U64(c, "pkt_malformed", f.pkt_malformed);
	U64(c, "msg_unknown", f.msg_unknown);
	U64(c, "msg_truncated", f.msg_truncated);
	U64(c, "msg_malformed", f.msg_malformed);
	U64(c, "unknown_ref", f.unknown_ref);
	U64(c, "duplicate_ref", f.duplicate_ref);
	U64(c, "overfill", f.overfill);
	U64(c, "table_full", f.table_full);
	U64(c, "stale", f.stale);
	U64(c, "regressions", f.regressions);
	U64(c, "mid_starts", f.mid_starts);
	U64(c, "held", f.held);
	U64(c, "hold_full", f.hold_full);
	U64(c, "requests", f.requests);
	U64(c, "retries", f.retries);
	U64(c, "recovered", f.recovered);
	U64(c, "recovered_msgs", f.recovered_msgs);
	U64(c, "recovery_failed", f.failed);
	U64(c, "late_filled", f.late_filled);
	U64(c, "recovery_p50_us", f.recovery_p50_us);
	U64(c, "recovery_max_us", f.recovery_max_us);
	U64(c, "bad_locate", f.bad_locate);
	U64(c, "zero_shares", f.zero_shares);
	U64(c, "crossed", f.crossed);
	U64(c, "live_orders", f.live_orders);
	U64(c, "live_levels", f.live_levels);
	U64(c, "spilled_orders", f.spilled_orders);
	U64(c, "spills", f.spills);
	U64(c, "level_searches", f.level_searches);
	/* its feed's messages by type (ITCH: msg_A ..., PITCH: msg_AddOrderShort ...),
	 * for one channel: all channels' would pass the 16 KiB a reply may hold */
	if (by_type)
		wb_stats_msg_types(dm->feeds[dm->chan_feed[i]], wb_tel_msg_type, c);
}

/*
 * The dictionary key of channel i: its name with every byte DPDK refuses
 * made '_', and a suffix if an earlier channel already has that key.
 */
void
wb_daemon_tel_key(const struct wb_daemon_cfg *cfg, unsigned int i, char *key, size_t len)
{
	unsigned int j, n = 1;
	char other[WB_DAEMON_NAME_LEN + 8];
	size_t k;

	for (;;) {
		snprintf(key, len, n == 1 ? "%s" : "%s_%u", cfg->chan[i].name, n);
		for (k = 0; key[k] != '\0'; k++)
			if (!isalnum((unsigned char)key[k]) && key[k] != '_' && key[k] != '/')
				key[k] = '_';
		for (j = 0; j < i; j++) {
			wb_daemon_tel_key(cfg, j, other, sizeof(other));
			if (strcmp(other, key) == 0)
				break;
		}
		if (j == i)
			return;
		n++;
	}
}

/* Every channel, in configuration order, each with its exact "name". */
static int
wb_tel_channels(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct wb_daemon *dm = wb_tel_daemon;
	char key[WB_DAEMON_NAME_LEN + 8];
	unsigned int i;

	rte_tel_data_start_dict(d);
	for (i = 0; i < dm->cfg->nchan; i++) {
		struct rte_tel_data *c = rte_tel_data_alloc();

		if (c == NULL)
			continue;
		wb_tel_channel(dm, i, c, 0);
		wb_daemon_tel_key(dm->cfg, i, key, sizeof(key));
		if (rte_tel_data_add_dict_container(d, key, c, 0) != 0)
			rte_tel_data_free(c);
	}
	return 0;
}

/* /wirebook/channel,NAME: one channel by its exact configured name. */
static int
wb_tel_channel_one(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct wb_daemon *dm = wb_tel_daemon;
	unsigned int i;

	if (params == NULL || params[0] == '\0')
		return -EINVAL;
	for (i = 0; i < dm->cfg->nchan; i++)
		if (strcmp(dm->cfg->chan[i].name, params) == 0) {
			wb_tel_channel(dm, i, d, 1);
			return 0;
		}
	return -ENOENT;
}

static int
wb_tel_requests(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct wb_daemon *dm = wb_tel_daemon;
	struct wb_io_req_stats r;
	char key[WB_DAEMON_NAME_LEN];
	unsigned int i, k;

	rte_tel_data_start_dict(d);
	for (i = 0; i < dm->nfeeds; i++) {
		struct rte_tel_data *c;

		if (dm->feed_req[i] < 0 ||
		    wb_io_req_stats(dm->io, (unsigned int)dm->feed_req[i], &r) != 0)
			continue;
		c = rte_tel_data_alloc();
		if (c == NULL)
			return -1;
		rte_tel_data_start_dict(c);
		U64(c, "queued", r.queued);
		U64(c, "queue_full", r.queue_full);
		U64(c, "sent", r.sent);
		U64(c, "tx_failed", r.tx_failed);
		U64(c, "no_mac", r.no_mac);
		U64(c, "replies", r.replies);
		U64(c, "arp_sent", r.arp_sent);
		U64(c, "arp_learnt", r.arp_learnt);
		U64(c, "arp_answered", r.arp_answered);
		rte_tel_data_add_dict_string(c, "arp", wb_daemon_arp_state(r.arp_state));
		/* the exact name as a value; the key made one DPDK keeps (see above) */
		rte_tel_data_add_dict_string(c, "feed", dm->feed_name[i]);
		snprintf(key, sizeof(key), "%s", dm->feed_name[i]);
		for (k = 0; key[k] != '\0'; k++)
			if (!isalnum((unsigned char)key[k]) && key[k] != '_' && key[k] != '/')
				key[k] = '_';
		if (rte_tel_data_add_dict_container(d, key, c, 0) != 0)
			rte_tel_data_free(c);
	}
	return 0;
}

static int
wb_tel_latency(const char *cmd, const char *params, struct rte_tel_data *d)
{
	static const struct {
		const char *key;
		double pct;
	} pcts[] = {{"p50_ns", 50.0},	{"p90_ns", 90.0},    {"p99_ns", 99.0},
		    {"p999_ns", 99.9}, {"p9999_ns", 99.99}};
	const struct wb_tsc_cal *cal = &wb_tel_daemon->cal;
	struct wb_histo *h;
	unsigned int s, k;

	(void)cmd;
	rte_tel_data_start_dict(d);
	if (!wb_tel_daemon->cfg->latency) {
		rte_tel_data_add_dict_string(d, "error", "stage timing is off ([daemon] latency)");
		return 0;
	}
	if (params != NULL && strcmp(params, "reset") == 0) {
		wb_io_latency_reset(wb_tel_daemon->io);
		U64(d, "reset", 1);
		return 0;
	}
	h = malloc(sizeof(*h));
	if (h == NULL)
		return -1;
	for (s = 0; s < WB_IO_NSTAGES; s++) {
		struct rte_tel_data *st = rte_tel_data_alloc();

		if (st == NULL)
			break;
		wb_histo_init(h);
		wb_io_latency(wb_tel_daemon->io, s, h);
		rte_tel_data_start_dict(st);
		U64(st, "count", h->count);
		U64(st, "min_ns", h->count ? (uint64_t)wb_tsc_delta_ns(cal, h->min) : 0);
		for (k = 0; k < sizeof(pcts) / sizeof(pcts[0]); k++)
			U64(st, pcts[k].key,
			    (uint64_t)wb_tsc_delta_ns(cal, wb_histo_value_at(h, pcts[k].pct)));
		U64(st, "max_ns", h->count ? (uint64_t)wb_tsc_delta_ns(cal, h->max) : 0);
		U64(st, "mean_ns", (uint64_t)(wb_histo_mean(h) * cal->ns_per_tick));
		rte_tel_data_add_dict_container(d, wb_io_stage_name[s], st, 0);
	}
	free(h);
	return 0;
}

int
wb_daemon_telemetry_init(struct wb_daemon *d)
{
	wb_tel_daemon = d;
	if (rte_telemetry_register_cmd("/wirebook/stats", wb_tel_stats,
				       "Totals: rx, messages, gaps, duplicates, errors, busy") !=
		0 ||
	    rte_telemetry_register_cmd("/wirebook/ports", wb_tel_ports,
				       "Per port: rx, missed, errors, nombuf") != 0 ||
	    rte_telemetry_register_cmd("/wirebook/lcores", wb_tel_lcores,
				       "Per rx lcore: packets, busy ratio, loop cycles") != 0 ||
	    rte_telemetry_register_cmd("/wirebook/channels", wb_tel_channels,
				       "Per channel (a list, each with its name): packets, gaps, "
				       "duplicates, errors by kind") != 0 ||
	    rte_telemetry_register_cmd("/wirebook/channel", wb_tel_channel_one,
				       "One channel by name. Parameters: NAME") != 0 ||
	    rte_telemetry_register_cmd("/wirebook/requests", wb_tel_requests,
				       "Per feed with a request server: requests, replies, ARP") != 0 ||
	    rte_telemetry_register_cmd("/wirebook/latency", wb_tel_latency,
				       "Per burst stage: rx -> queued -> committed -> snapshots, "
				       "ns percentiles; param 'reset' empties them") != 0)
		return -1;
	return 0;
}
