/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The daemon's side of MoldUDP64 recovery: a feed whose [feed NAME] names a
 * request_server gets a requester on the port of its first channel (see
 * wb_io.h: requests are queued by the feed's rx lcore and sent by the main
 * lcore, replies arrive on the feed's recovery line), and the feed's sink
 * asks it through wb_io_request(). Its counters go to the summary, the log
 * line and /wirebook/requests.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "wb_daemon.h"
#include "wb_err.h"
#include "wb_feed.h"

void
wb_daemon_feed_params(struct wb_feed_params *fp, const struct wb_daemon_feed_cfg *fc,
		      uint64_t tsc_hz)
{
	const double us = (double)tsc_hz / 1e6;

	if (fc == NULL)
		return;
	fp->hold_packets = fc->reorder_window_pkts;
	fp->hold_ticks = (uint64_t)((double)fc->reorder_window_us * us);
	fp->req_timeout_ticks = (uint64_t)((double)fc->request_timeout_us * us);
	fp->req_retries = fc->request_retries;
	fp->req_max_count = (uint16_t)fc->request_max_count;
	fp->req_min_ticks = (uint64_t)((double)fc->request_min_interval_us * us);
}

int
wb_daemon_requesters(struct wb_daemon *d)
{
	const struct wb_daemon_cfg *c = d->cfg;
	unsigned int i, j;

	for (i = 0; i < d->nfeeds; i++) {
		const struct wb_daemon_feed_cfg *fc = wb_daemon_feed_cfg(c, d->feed_name[i]);
		struct wb_io_req_conf rc;
		int idx;

		d->feed_req[i] = -1;
		if (fc == NULL || fc->server_ip == 0)
			continue;
		for (j = 0; j < c->nchan; j++)
			if (d->chan_feed[j] == (int)i)
				break;
		if (j == c->nchan)
			continue;
		memset(&rc, 0, sizeof(rc));
		rc.port = c->chan[j].io.port;
		rc.queue = c->chan[j].io.queue;
		rc.server_ip = fc->server_ip;
		rc.server_port = fc->server_port;
		rc.src_port = fc->src_port;
		rc.has_mac = (int)fc->has_mac;
		memcpy(rc.server_mac, fc->server_mac, 6);
		idx = wb_io_add_requester(d->io, &rc, d->feeds[i]);
		if (idx < 0)
			return wb_err_append(-idx, "[feed %s] request_server", fc->name);
		d->feed_req[i] = idx;
	}
	return 0;
}

int
wb_daemon_requesters_attach(struct wb_daemon *d)
{
	unsigned int i;

	for (i = 0; i < d->nfeeds; i++)
		if (d->feed_req[i] >= 0)
			wb_feed_set_requester(d->feeds[i], wb_io_request,
					      wb_io_requester(d->io, (unsigned int)d->feed_req[i]));
	return 0;
}

const char *
wb_daemon_arp_state(int state)
{
	switch (state) {
	case WB_IO_ARP_STATIC:
		return "static";
	case WB_IO_ARP_RESOLVING:
		return "resolving";
	case WB_IO_ARP_OK:
		return "ok";
	default:
		return "?";
	}
}

void
wb_daemon_req_summary(struct wb_daemon *d, FILE *out)
{
	struct wb_io_req_stats r;
	unsigned int i;

	for (i = 0; i < d->nfeeds; i++) {
		const struct wb_feed_rel_stats *rs = wb_feed_rel_stats(d->feeds[i]);

		/* what the feed.NAME line does not already give */
		fprintf(out,
			"recovery.%s\tmissing %" PRIu64 "\thold_expired %" PRIu64
			"\tfilled %" PRIu64 "\trequest_errors %" PRIu64 "\tstale_events %" PRIu64
			"\tstale_cleared %" PRIu64 "\n",
			d->feed_name[i], wb_feed_missing(d->feeds[i]), rs->hold_expired, rs->filled,
			rs->request_errors, rs->stale_events, rs->stale_cleared);
	}
	for (i = 0; i < d->nfeeds; i++) {
		if (d->feed_req[i] < 0 ||
		    wb_io_req_stats(d->io, (unsigned int)d->feed_req[i], &r) != 0)
			continue;
		fprintf(out,
			"request.%s\tqueued %" PRIu64 "\tqueue_full %" PRIu64 "\tsent %" PRIu64
			"\ttx_failed %" PRIu64 "\tno_mac %" PRIu64 "\treplies %" PRIu64
			"\tarp %s\tarp_sent %" PRIu64 "\tarp_learnt %" PRIu64
			"\tarp_answered %" PRIu64 "\tmac %02x:%02x:%02x:%02x:%02x:%02x\n",
			d->feed_name[i], r.queued, r.queue_full, r.sent, r.tx_failed, r.no_mac,
			r.replies, wb_daemon_arp_state(r.arp_state), r.arp_sent, r.arp_learnt,
			r.arp_answered, r.mac[0], r.mac[1], r.mac[2], r.mac[3], r.mac[4], r.mac[5]);
	}
}
