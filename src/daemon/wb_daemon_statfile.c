/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The daemon's side of the stats file (src/shm/wb_shm_stats.h): created
 * next to the first region once the feeds and ports exist, rewritten by the
 * control loop every 100 ms from the same counter snapshots as the log line
 * and telemetry, and removed at exit. Extended port statistics come from
 * rte_eth_xstats_get() on the main lcore (as `dpdk-proc-info --xstats`
 * shows them); only the non-zero ones are kept, in the driver's order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "wb_daemon.h"
#include "wb_daemon_snap.h"
#include "wb_histo.h"
#include "wb_shm_stats.h"

#define WB_STATFILE_PERIOD_NS 100000000ull

static struct wb_stats_w wb_statfile;
static uint64_t wb_statfile_next;

static uint64_t
wb_statfile_realtime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int
wb_daemon_statfile_open(struct wb_daemon *d)
{
	const struct wb_daemon_cfg *c = d->cfg;
	struct wb_stats_body *b;
	unsigned int i;

	if (!c->publish)
		return 0;
	if (wb_stats_create(&wb_statfile, c->shm_dir[0] != '\0' ? c->shm_dir : NULL, c->name,
			    c->gid) != 0)
		return -1;
	b = &wb_statfile.f->body;
	wb_stats_begin(&wb_statfile);
	b->start_ns = wb_statfile_realtime();
	b->tsc_hz = rte_get_tsc_hz();
	b->pid = (uint32_t)getpid();
	b->hugepages = c->hugepages;
	snprintf(b->name, sizeof(b->name), "%s", c->name);
	snprintf(b->file_prefix, sizeof(b->file_prefix), "%s", c->file_prefix);
	b->nports =
	    wb_io_nports(d->io) < WB_STATS_MAX_PORTS ? wb_io_nports(d->io) : WB_STATS_MAX_PORTS;
	for (i = 0; i < b->nports; i++)
		snprintf(b->port[i].name, sizeof(b->port[i].name), "%s", wb_io_port_name(d->io, i));
	b->nchan = c->nchan < WB_STATS_MAX_CHANNELS ? c->nchan : WB_STATS_MAX_CHANNELS;
	for (i = 0; i < b->nchan; i++) {
		snprintf(b->chan[i].name, sizeof(b->chan[i].name), "%s", c->chan[i].name);
		snprintf(b->chan[i].feed, sizeof(b->chan[i].feed), "%s", c->chan[i].feed);
		b->chan[i].feed_idx = (uint32_t)d->chan_feed[i];
		b->chan[i].line = (uint8_t)c->chan[i].io.line;
	}
	b->nfeeds = d->nfeeds < WB_STATS_MAX_FEEDS ? d->nfeeds : WB_STATS_MAX_FEEDS;
	for (i = 0; i < b->nfeeds; i++)
		snprintf(b->feed[i].name, sizeof(b->feed[i].name), "%s", d->feed_name[i]);
	wb_stats_end(&wb_statfile);
	return 0;
}

/* The non-zero extended stats of one port. */
static void
wb_statfile_xstats(struct wb_daemon *d, unsigned int i, struct wb_stats_port *p)
{
	uint16_t id = wb_io_port_id(d->io, i);
	struct rte_eth_xstat_name *names;
	struct rte_eth_xstat *xs;
	struct wb_io_port_hwts hw;
	int n, k;

	p->nxstats = 0;
	n = rte_eth_xstats_get(id, NULL, 0);
	if (n <= 0)
		return;
	xs = calloc((size_t)n, sizeof(*xs));
	names = calloc((size_t)n, sizeof(*names));
	if (xs != NULL && names != NULL && rte_eth_xstats_get(id, xs, (unsigned int)n) == n &&
	    rte_eth_xstats_get_names(id, names, (unsigned int)n) == n)
		for (k = 0; k < n && p->nxstats < WB_STATS_MAX_XSTATS; k++) {
			struct wb_stats_xstat *x = &p->xstats[p->nxstats];

			if (xs[k].value == 0 || xs[k].id >= (uint64_t)n)
				continue;
			snprintf(x->name, sizeof(x->name), "%.55s", names[xs[k].id].name);
			x->value = xs[k].value;
			p->nxstats++;
		}
	free(xs);
	free(names);
	/* the receive timestamps, where the operator already looks for the port's extras */
	if (wb_io_port_hwts(d->io, i, &hw) == 0 && hw.stamped != 0 &&
	    p->nxstats + 2 <= WB_STATS_MAX_XSTATS) {
		snprintf(p->xstats[p->nxstats].name, sizeof(p->xstats[0].name),
			 "wirebook_hw_stamped_%s", wb_io_hwclk_name[hw.clock]);
		p->xstats[p->nxstats++].value = hw.stamped;
		snprintf(p->xstats[p->nxstats].name, sizeof(p->xstats[0].name),
			 "wirebook_hw_last_ns");
		p->xstats[p->nxstats++].value = hw.last_ns;
	}
}

/*
 * The rx -> committed stage of every rx lcore, as /wirebook/latency gives
 * it: count, p50, p99, p99.9, max (ns). All 0 when stage timing is off.
 */
static void
wb_daemon_statfile_latency(struct wb_daemon *d, uint64_t out[5])
{
	static struct wb_histo h; /* main lcore only; too large for its stack */

	memset(out, 0, 5 * sizeof(out[0]));
	wb_histo_init(&h);
	if (!d->cfg->latency || wb_io_latency(d->io, WB_IO_STAGE_RX_TO_COMMITTED, &h) != 0 ||
	    h.count == 0)
		return;
	out[0] = h.count;
	out[1] = (uint64_t)wb_tsc_delta_ns(&d->cal, wb_histo_value_at(&h, 50.0));
	out[2] = (uint64_t)wb_tsc_delta_ns(&d->cal, wb_histo_value_at(&h, 99.0));
	out[3] = (uint64_t)wb_tsc_delta_ns(&d->cal, wb_histo_value_at(&h, 99.9));
	out[4] = (uint64_t)wb_tsc_delta_ns(&d->cal, h.max);
}

void
wb_daemon_statfile_update(struct wb_daemon *d, uint64_t now_ns, int force)
{
	struct wb_stats_body *b;
	struct wb_io_port_stats ps;
	struct wb_io_lcore_stats ls;
	uint64_t lat[5];
	unsigned int i, id, n;

	if (wb_statfile.f == NULL || (!force && now_ns < wb_statfile_next))
		return;
	wb_statfile_next = now_ns + WB_STATFILE_PERIOD_NS;
	b = &wb_statfile.f->body;
	/* the slow calls (ethdev, allocation, histograms) happen outside the seqlock */
	wb_daemon_statfile_latency(d, lat);
	{
		static struct wb_stats_port port[WB_STATS_MAX_PORTS];

		for (i = 0; i < b->nports; i++) {
			memset(&ps, 0, sizeof(ps));
			wb_io_port_stats(d->io, i, &ps);
			snprintf(port[i].name, sizeof(port[i].name), "%s", b->port[i].name);
			port[i].rx = ps.ipackets;
			port[i].rx_bytes = ps.ibytes;
			port[i].missed = ps.imissed;
			port[i].errors = ps.ierrors;
			port[i].nombuf = ps.rx_nombuf;
			port[i].tx = ps.opackets;
			wb_statfile_xstats(d, i, &port[i]);
		}
		wb_stats_begin(&wb_statfile);
		memcpy(b->port, port, sizeof(port[0]) * b->nports);
	}
	b->update_ns = wb_statfile_realtime();
	n = wb_io_nlcores(d->io) < WB_STATS_MAX_LCORES ? wb_io_nlcores(d->io) : WB_STATS_MAX_LCORES;
	b->nlcores = 0;
	for (i = 0; i < n; i++) {
		struct wb_stats_lcore *l = &b->lcore[b->nlcores];

		if (wb_io_lcore_stats(d->io, i, &id, &ls) != 0)
			continue;
		l->id = id;
		l->packets = ls.packets;
		l->datagrams = ls.datagrams;
		l->unmatched = ls.unmatched + ls.not_udp;
		l->bad_frames = ls.bad_frames;
		l->busy_cycles = ls.busy_cycles;
		l->idle_cycles = ls.idle_cycles;
		l->loops = ls.loops;
		b->nlcores++;
	}
	for (i = 0; i < b->nchan; i++)
		b->chan[i].packets = wb_io_channel_packets(d->io, i);
	for (i = 0; i < b->nfeeds; i++) {
		struct wb_stats_feed *o = &b->feed[i];
		struct wb_daemon_feed_snap f;

		wb_daemon_snap_feed(d, i, &f);
		o->datagrams = f.datagrams;
		o->messages = f.messages;
		o->gaps = f.gaps;
		o->gap_msgs = f.gap_msgs;
		o->dup_packets = f.dup_packets;
		o->dup_msgs = f.dup_msgs;
		o->heartbeats = f.heartbeats;
		o->session_changes = f.session_changes;
		o->bad_packets = f.bad_packets;
		o->msg_errors = f.msg_unknown + f.msg_truncated + f.msg_malformed;
		o->unknown_ref = f.unknown_ref;
		o->duplicate_ref = f.duplicate_ref;
		o->overfill = f.overfill;
		o->table_full = f.table_full;
		o->live_orders = f.live_orders;
		o->live_levels = f.live_levels;
		o->bad_locate = f.bad_locate;
		o->zero_shares = f.zero_shares;
		o->crossed = f.crossed;
		o->regressions = f.regressions;
		o->mid_starts = f.mid_starts;
		o->held = f.held;
		o->hold_full = f.hold_full;
		o->requests = f.requests;
		o->retries = f.retries;
		o->recovered = f.recovered;
		o->failed = f.failed;
		o->late_filled = f.late_filled;
		o->recovery_p50_us = f.recovery_p50_us;
		o->recovery_max_us = f.recovery_max_us;
	}
	b->lat_count = lat[0];
	b->lat_p50_ns = lat[1];
	b->lat_p99_ns = lat[2];
	b->lat_p999_ns = lat[3];
	b->lat_max_ns = lat[4];
	wb_stats_end(&wb_statfile);
}

const char *
wb_daemon_statfile_path(void)
{
	return wb_statfile.f != NULL ? wb_statfile.path : NULL;
}

void
wb_daemon_statfile_close(void)
{
	wb_stats_close(&wb_statfile, 1);
}
