/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `wirebookd --replay FILE`: the same daemon over a replay port, no
 * hugepages, one rx lcore. FILE is a pcap/pcapng or a Nasdaq BinaryFILE,
 * plain or .gz; wb_daemon_src.c streams it into the port (paced or not), so
 * the rx lcore runs the live rx loop on what a NIC would have received.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wb_daemon.h"
#include "wb_err.h"
#include "wb_feed.h"
#include "wb_input.h"
#include "wb_net.h"

int
wb_daemon_replay_protocol(struct wb_daemon_cfg *c, const char *path, int from, char *err,
			  size_t errlen)
{
	struct wb_input *in;
	uint32_t proto;
	unsigned int i;
	int units;

	if (wb_input_detect_protocol(path, &proto) < 0 || (in = wb_input_open(path)) == NULL) {
		snprintf(err, errlen, "%s", wb_err_msg());
		return -1;
	}
	units = wb_input_kind(in) == WB_INPUT_PITCH;
	wb_input_close(in);
	if (units) {
		snprintf(err, errlen,
			 "%s: PITCH units without frames; the replay port takes a capture "
			 "(wirebook gen --protocol pitch -o FILE.pcap)",
			 path);
		return -1;
	}
	if (proto == WB_FEED_PITCH && from) {
		snprintf(err, errlen, "--from reads ITCH times; %s is PITCH", path);
		return -1;
	}
	for (i = 0; i < c->nchan; i++)
		c->chan[i].protocol = proto;
	return 0;
}

int
wb_daemon_replay_cfg(struct wb_daemon_cfg *c, uint32_t linktype, const char *const *channels,
		     unsigned int nchan, char *err, size_t errlen)
{
	struct wb_daemon_port_cfg *p = &c->port[0];
	unsigned int i;

	snprintf(c->lcores, sizeof(c->lcores), "0-1");
	c->main_lcore = 0;
	c->hugepages = 0;
	snprintf(c->file_prefix, sizeof(c->file_prefix), "wirebook-replay-%d", (int)getpid());
	c->nports = 1;
	memset(p, 0, sizeof(*p));
	snprintf(p->vdev, sizeof(p->vdev), "%s", WB_DAEMON_REPLAY_DEV);
	snprintf(p->lcores, sizeof(p->lcores), "1");
	p->io.rx_queues = 1;
	p->io.rx_desc = 1024;
	p->io.tx_desc = 64;
	/* the ring PMD hands over the reader's mbufs: this pool stays unused */
	p->io.mbufs = 511;
	p->io.mbuf_cache = 0;
	p->io.mbuf_size = 2048;
	p->io.linktype = linktype;
	p->io.igmp = 0;
	p->io.replay = 1; /* the reader stamps each frame with its time in the file */
	c->nchan = 0;
	if (nchan == 0) {
		struct wb_daemon_chan_cfg *ch = &c->chan[c->nchan++];

		memset(ch, 0, sizeof(*ch));
		snprintf(ch->name, sizeof(ch->name), "all");
		snprintf(ch->feed, sizeof(ch->feed), "replay");
		ch->io.vlan = WB_IO_ANY_VLAN;
	}
	for (i = 0; i < nchan; i++) {
		struct wb_daemon_chan_cfg *ch;

		if (c->nchan == WB_IO_MAX_CHANNELS) {
			snprintf(err, errlen, "--channel: more than %u", WB_IO_MAX_CHANNELS);
			return -1;
		}
		ch = &c->chan[c->nchan++];
		memset(ch, 0, sizeof(*ch));
		if (wb_net_parse_channel(channels[i], &ch->io.group, &ch->io.udp_port) < 0) {
			snprintf(err, errlen, "--channel: %s", wb_err_msg());
			return -1;
		}
		snprintf(ch->name, sizeof(ch->name), "%s", channels[i]);
		snprintf(ch->feed, sizeof(ch->feed), "replay");
		ch->io.vlan = WB_IO_ANY_VLAN;
		/* the first channel is line A, the others B: a second copy of
		 * the stream on line A would be the numbering going back */
		ch->io.line = i == 0 ? 0 : 1;
	}
	c->expect_packets = 0; /* the reader says when the input ends */
	if (c->idle_exit_ms == 0)
		c->idle_exit_ms = 2000;
	return 0;
}
