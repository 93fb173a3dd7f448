/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `wirebookd --replay FILE.pcap`: the same daemon over DPDK's net_pcap, no
 * hugepages, one rx lcore.
 *
 * End of input: net_pcap without infinite_rx simply stops delivering at the
 * end of the file, so the daemon cannot tell "done" from "quiet". The file is
 * therefore read once here, before EAL starts, to count its records (and
 * learn its link type); the control loop stops when the rx lcore has
 * received that many frames. Should the PMD deliver fewer (a frame larger
 * than an mbuf, a record libpcap skips), an idle timeout after the last
 * packet ends the run anyway and the summary shows the difference.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wb_daemon.h"
#include "wb_err.h"
#include "wb_input.h"
#include "wb_pcap.h"

int
wb_daemon_replay_cfg(struct wb_daemon_cfg *c, const char *path, const char *const *channels,
		     unsigned int nchan, char *err, size_t errlen)
{
	struct wb_daemon_port_cfg *p = &c->port[0];
	struct wb_pcap_pkt pkt;
	struct wb_pcap *pc;
	uint64_t frames = 0, bytes_max = 0;
	uint32_t linktype = 1;
	size_t len = strlen(path);
	unsigned int i;
	int rc;

	if (len > 3 && strcmp(path + len - 3, ".gz") == 0) {
		snprintf(err, errlen, "%s: net_pcap reads plain pcap/pcapng only; gunzip it first",
			 path);
		return -1;
	}
	if (strchr(path, ',') != NULL) {
		snprintf(err, errlen, "%s: a path with a comma cannot be passed to net_pcap", path);
		return -1;
	}
	pc = wb_pcap_open(path);
	if (pc == NULL) {
		snprintf(err, errlen, "%s", wb_err_msg());
		return -1;
	}
	while ((rc = wb_pcap_next(pc, &pkt)) == 1) {
		if (frames == 0)
			linktype = pkt.linktype;
		if (pkt.caplen > bytes_max)
			bytes_max = pkt.caplen;
		frames++;
	}
	wb_pcap_close(pc);
	if (rc < 0) {
		snprintf(err, errlen, "%s", wb_err_msg());
		return -1;
	}

	snprintf(c->lcores, sizeof(c->lcores), "0-1");
	c->main_lcore = 0;
	c->hugepages = 0;
	snprintf(c->file_prefix, sizeof(c->file_prefix), "wirebook-replay-%d", (int)getpid());
	c->nports = 1;
	memset(p, 0, sizeof(*p));
	snprintf(p->vdev, sizeof(p->vdev), "net_pcap_wb0,rx_pcap=%s", path);
	if (strlen(p->vdev) != strlen("net_pcap_wb0,rx_pcap=") + len) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	snprintf(p->lcores, sizeof(p->lcores), "1");
	p->io.rx_queues = 1;
	p->io.rx_desc = 1024;
	p->io.tx_desc = 64;
	p->io.mbufs = 8191;
	p->io.mbuf_cache = 256;
	p->io.mbuf_size =
	    bytes_max + 64 > 2048 ? (uint16_t)(bytes_max > 16000 ? 16320 : bytes_max + 64) : 2048;
	p->io.linktype = linktype;
	p->io.igmp = 0;
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
		if (wb_parse_channel(channels[i], &ch->io.group, &ch->io.udp_port) < 0) {
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
	c->expect_packets = frames;
	if (c->idle_exit_ms == 0)
		c->idle_exit_ms = 2000;
	if (frames == 0) {
		snprintf(err, errlen, "%s: no packets", path);
		return -1;
	}
	return 0;
}
