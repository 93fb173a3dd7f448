/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IGMP membership reports, so that a snooping switch (or a multicast router)
 * forwards the configured groups to a port whose kernel never joined them:
 * with kernel bypass nobody else will. The control loop sends unsolicited
 * reports at start and then periodically (more often than any querier's
 * membership timeout), and leaves at exit.
 *
 * IGMPv2 (RFC 2236): one report per group, to the group; leave to 224.0.0.2.
 * IGMPv3 (RFC 3376): one report per group to 224.0.0.22, a CHANGE_TO_EXCLUDE
 * record with no sources to join, CHANGE_TO_INCLUDE with none to leave.
 * Both carry the IP Router Alert option and TTL 1, and a VLAN tag when the
 * channel names one.
 */
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "wb_io_priv.h"
#include "wb_net.h"

#define WB_IGMP_ALL_ROUTERS 0xE0000002u /* 224.0.0.2 */
#define WB_IGMP_V3_ROUTERS 0xE0000016u	/* 224.0.0.22 */

/* Writes the frame into out (>= 64 bytes); returns its length. */
static size_t
wb_io_igmp_frame(uint8_t *out, const struct wb_io_port *p, uint32_t group, uint16_t vlan, int leave)
{
	uint8_t *ip, *ig;
	uint32_t dst;
	size_t off = 12, iglen;
	uint16_t csum;

	if (p->conf.igmp == 3)
		dst = WB_IGMP_V3_ROUTERS;
	else
		dst = leave ? WB_IGMP_ALL_ROUTERS : group;
	out[0] = 0x01;
	out[1] = 0x00;
	out[2] = 0x5e;
	out[3] = (uint8_t)((dst >> 16) & 0x7f);
	out[4] = (uint8_t)(dst >> 8);
	out[5] = (uint8_t)dst;
	memcpy(out + 6, p->mac, 6);
	if (vlan != WB_IO_ANY_VLAN && vlan != WB_NET_VLAN_NONE) {
		wb_put_be16(out + off, 0x8100);
		wb_put_be16(out + off + 2, vlan);
		off += 4;
	}
	wb_put_be16(out + off, 0x0800);
	ip = out + off + 2;
	ig = ip + 24;
	if (p->conf.igmp == 3) {
		iglen = 16;
		memset(ig, 0, iglen);
		ig[0] = 0x22;
		wb_put_be16(ig + 6, 1); /* one group record */
		ig[8] = leave ? 3 : 4;	/* CHANGE_TO_INCLUDE / CHANGE_TO_EXCLUDE */
		wb_put_be32(ig + 12, group);
	} else {
		iglen = 8;
		memset(ig, 0, iglen);
		ig[0] = leave ? 0x17 : 0x16;
		wb_put_be32(ig + 4, group);
	}
	csum = wb_net_csum(ig, iglen); /* a host-order value of the big-endian sum */
	wb_put_be16(ig + 2, csum);

	memset(ip, 0, 24);
	ip[0] = 0x46; /* IPv4, 6 words: the Router Alert option */
	ip[1] = 0xc0; /* DSCP CS6, as kernels send IGMP */
	wb_put_be16(ip + 2, (uint16_t)(24 + iglen));
	wb_put_be16(ip + 6, 0x4000); /* DF */
	ip[8] = 1;		     /* TTL */
	ip[9] = 2;		     /* IGMP */
	wb_put_be32(ip + 12, p->conf.ip);
	wb_put_be32(ip + 16, dst);
	ip[20] = 0x94; /* Router Alert, RFC 2113 */
	ip[21] = 0x04;
	csum = wb_net_csum(ip, 24);
	wb_put_be16(ip + 10, csum);
	off += 2 + 24 + iglen;
	if (off < 60) {
		memset(out + off, 0, 60 - off);
		off = 60;
	}
	return off;
}

unsigned int
wb_io_igmp_send(struct wb_io *io, int leave)
{
	unsigned int i, j, k, sent = 0;

	for (i = 0; i < io->nports; i++) {
		struct wb_io_port *p = &io->port[i];

		if (p->conf.igmp == 0 || !p->can_tx || !p->started)
			continue;
		for (j = 0; j < io->nchan; j++) {
			const struct wb_io_chan_conf *c = &io->chan[j];
			struct rte_mbuf *m;
			uint8_t *d;
			size_t len;

			if (c->port != i || c->group == 0 || (c->group >> 28) != 0xE)
				continue;
			/* Once per (group, VLAN) on this port. */
			for (k = 0; k < j; k++)
				if (io->chan[k].port == i && io->chan[k].group == c->group &&
				    io->chan[k].vlan == c->vlan)
					break;
			if (k != j)
				continue;
			m = rte_pktmbuf_alloc(p->tx_pool);
			if (m == NULL)
				continue;
			d = (uint8_t *)rte_pktmbuf_append(m, 64);
			if (d == NULL) {
				rte_pktmbuf_free(m);
				continue;
			}
			len = wb_io_igmp_frame(d, p, c->group, c->vlan, leave);
			m->data_len = (uint16_t)len;
			m->pkt_len = (uint32_t)len;
			if (rte_eth_tx_burst(p->port_id, 0, &m, 1) == 1)
				sent++;
			else
				rte_pktmbuf_free(m);
		}
	}
	return sent;
}
