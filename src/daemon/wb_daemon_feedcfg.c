/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The [feed NAME] sections after the channels are known (the keys and their
 * setters are in wb_daemon_cfgkeys.c's table): each section must name a feed
 * some channel uses; every feed gets its section, defaults for one without,
 * in the order feeds first appear among the channels (the daemon's feed
 * order); request ports are picked and checked.
 */
#include <stdio.h>
#include <string.h>

#include "wb_daemon.h"
#include "wb_feed.h"

const char *
wb_daemon_protocol_name(uint32_t protocol)
{
	return protocol == WB_FEED_PITCH ? "pitch" : "moldudp64-itch50";
}

uint8_t
wb_daemon_venue(const struct wb_daemon_chan_cfg *ch)
{
	if (ch->venue != WB_VENUE_NONE)
		return (uint8_t)ch->venue;
	return ch->protocol == WB_FEED_PITCH ? WB_VENUE_OTHER : WB_VENUE_NASDAQ;
}

const struct wb_daemon_feed_cfg *
wb_daemon_feed_cfg(const struct wb_daemon_cfg *c, const char *feed)
{
	unsigned int i;

	for (i = 0; i < c->nfeedcfg; i++)
		if (strcmp(c->feedcfg[i].name, feed) == 0)
			return &c->feedcfg[i];
	return NULL;
}

int
wb_daemon_cfg_check_feeds(struct wb_daemon_cfg *c, char *err, size_t errlen)
{
	struct wb_daemon_feed_cfg out[WB_DAEMON_MAX_FEEDS];
	unsigned int i, j, n = 0;

	/* Every section names a feed a channel uses. */
	for (i = 0; i < c->nfeedcfg; i++) {
		for (j = 0; j < c->nchan; j++)
			if (strcmp(c->chan[j].feed, c->feedcfg[i].name) == 0)
				break;
		if (j == c->nchan) {
			snprintf(err, errlen,
				 "[feed %s]: no channel has this feed (set feed = %s in its "
				 "[channel NAME], or name the channel %s)",
				 c->feedcfg[i].name, c->feedcfg[i].name, c->feedcfg[i].name);
			return -1;
		}
	}
	/* The lines of a feed speak one protocol, for one venue, with one price kind. */
	for (j = 0; j < c->nchan; j++) {
		const struct wb_daemon_chan_cfg *cj = &c->chan[j], *ci;

		if (cj->pitch_flags != 0 && cj->protocol != WB_FEED_PITCH) {
			snprintf(err, errlen,
				 "[channel %s] pitch_prices: only for protocol = pitch (this "
				 "channel is %s)",
				 cj->name, wb_daemon_protocol_name(cj->protocol));
			return -1;
		}
		for (i = 0; i < j; i++) {
			ci = &c->chan[i];
			if (strcmp(ci->feed, cj->feed) != 0)
				continue;
			if (ci->protocol != cj->protocol) {
				snprintf(err, errlen,
					 "[channel %s] protocol: %s, but [channel %s] of the same "
					 "feed %s is %s",
					 cj->name, wb_daemon_protocol_name(cj->protocol), ci->name,
					 cj->feed, wb_daemon_protocol_name(ci->protocol));
				return -1;
			}
			if (wb_daemon_venue(ci) != wb_daemon_venue(cj)) {
				snprintf(err, errlen,
					 "[channel %s] venue: not the venue of [channel %s] of the "
					 "same feed %s",
					 cj->name, ci->name, cj->feed);
				return -1;
			}
			if (ci->pitch_flags != cj->pitch_flags) {
				snprintf(err, errlen,
					 "[channel %s] pitch_prices: not that of [channel %s] of "
					 "the same feed %s",
					 cj->name, ci->name, cj->feed);
				return -1;
			}
		}
	}
	/* One section per feed, in the order feeds first appear among the channels. */
	for (j = 0; j < c->nchan; j++) {
		const struct wb_daemon_feed_cfg *fc;

		for (i = 0; i < n; i++)
			if (strcmp(out[i].name, c->chan[j].feed) == 0)
				break;
		if (i < n)
			continue;
		fc = wb_daemon_feed_cfg(c, c->chan[j].feed);
		if (fc != NULL) {
			out[n] = *fc;
		} else {
			wb_daemon_feed_cfg_default(&out[n]);
			snprintf(out[n].name, sizeof(out[n].name), "%s", c->chan[j].feed);
		}
		n++;
	}
	for (i = 0; i < n; i++) {
		struct wb_daemon_feed_cfg *f = &out[i];

		if (f->server_ip == 0)
			continue;
		for (j = 0; j < c->nchan; j++)
			if (strcmp(c->chan[j].feed, f->name) == 0 &&
			    c->chan[j].protocol == WB_FEED_PITCH) {
				snprintf(err, errlen,
					 "[feed %s] request_server: a MoldUDP64 request server, "
					 "but the feed is pitch (Cboe's Gap Request Proxy is TCP: "
					 "not supported, see docs/pitch.md)",
					 f->name);
				return -1;
			}
		if (f->src_port == 0)
			f->src_port = (uint16_t)(49152 + i);
		for (j = 0; j < c->nchan; j++) {
			const struct wb_daemon_chan_cfg *ch = &c->chan[j];

			if (strcmp(ch->feed, f->name) == 0 && c->port[ch->io.port].io.ip == 0) {
				snprintf(
				    err, errlen,
				    "[feed %s] request_server: [port%u] ip is needed (requests "
				    "are sent from it, replies come to it)",
				    f->name, ch->io.port);
				return -1;
			}
		}
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (out[i].server_ip != 0 && out[j].server_ip != 0 &&
			    out[i].src_port == out[j].src_port) {
				snprintf(err, errlen,
					 "[feed %s] request_port: %u is also [feed %s]'s",
					 out[i].name, out[i].src_port, out[j].name);
				return -1;
			}
	memcpy(c->feedcfg, out, n * sizeof(out[0]));
	c->nfeedcfg = n;
	return 0;
}
