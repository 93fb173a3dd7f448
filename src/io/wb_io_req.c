/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MoldUDP64 requests from a bypass port (see wb_io.h): the rx lcore queues,
 * the main lcore resolves the server's MAC and sends.
 *
 * ARP, kept to what one unicast peer on the link needs: a who-has at start
 * and again every WB_IO_ARP_RETRY_NS until a reply comes; once known, the
 * MAC is used and refreshed every WB_IO_ARP_REFRESH_NS (the old one stays in
 * use meanwhile). Requests queued while the MAC is unknown are held
 * (WB_IO_REQ_PENDING) and sent when it is learnt; held longer than
 * WB_IO_ARP_GIVE_UP_NS, or beyond the holding space, they are dropped and
 * counted (no_mac): the feed's timeout then retries or declares the gap.
 * The server must be on the port's link (no routing table here): for a
 * routed server set request_mac to the gateway's MAC.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "wb_arp.h"
#include "wb_err.h"
#include "wb_io_priv.h"
#include "wb_net.h"

#define WB_IO_ARP_RETRY_NS 200000000ull	    /* who-has again after 200 ms */
#define WB_IO_ARP_REFRESH_NS 30000000000ull /* refresh a known MAC every 30 s */
#define WB_IO_ARP_GIVE_UP_NS 1000000000ull  /* hold requests at most 1 s */
#define WB_IO_CTL_RING 64

#define wb_io_pub_store(dst, v) __atomic_store_n(&(dst), (v), __ATOMIC_RELAXED)
#define wb_io_pub_load(src) __atomic_load_n(&(src), __ATOMIC_RELAXED)

int
wb_io_add_requester(struct wb_io *io, const struct wb_io_req_conf *c, struct wb_feed *feed)
{
	struct wb_io_chan_conf ch;
	struct wb_io_requester *r;
	const struct wb_io_port *p;
	char name[RTE_RING_NAMESIZE];
	unsigned int i;
	int chan;

	if (io->nreq == WB_IO_MAX_REQUESTERS)
		return wb_err_set(ENOSPC, "more than %u request servers", WB_IO_MAX_REQUESTERS);
	if (c->port >= io->nports)
		return wb_err_set(EINVAL, "port %u is not configured", c->port);
	p = &io->port[c->port];
	if (p->conf.ip == 0)
		return wb_err_set(EINVAL, "port %u has no ip to send requests from", c->port);
	if (!p->can_tx)
		return wb_err_set(ENOTSUP, "port %u (%s) cannot transmit: no requests possible",
				  c->port, p->conf.device);
	memset(&ch, 0, sizeof(ch));
	ch.port = c->port;
	ch.queue = c->queue;
	ch.group = p->conf.ip;
	ch.udp_port = c->src_port;
	ch.vlan = WB_IO_ANY_VLAN;
	ch.line = WB_FEED_LINE_RECOVERY;
	chan = wb_io_add_channel(io, &ch, feed);
	if (chan < 0)
		return wb_err_append(-chan, "the recovery channel");
	r = rte_zmalloc_socket("wb_io_req", sizeof(*r), RTE_CACHE_LINE_SIZE, p->socket);
	if (r == NULL)
		return wb_err_set(ENOMEM, "no memory for a requester");
	r->conf = *c;
	r->idx = io->nreq;
	r->chan = chan;
	snprintf(name, sizeof(name), "wb_req%u", io->nreq);
	r->ring = rte_ring_create_elem(name, sizeof(struct wb_io_req_item), WB_IO_REQ_RING,
				       p->socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (r->ring == NULL) {
		rte_free(r);
		return wb_err_set(rte_errno ? rte_errno : ENOMEM, "request ring: %s",
				  rte_strerror(rte_errno));
	}
	if (c->has_mac) {
		r->ctl.arp_state = WB_IO_ARP_STATIC;
		memcpy(r->ctl.mac, c->server_mac, 6);
	} else {
		r->ctl.arp_state = WB_IO_ARP_RESOLVING;
	}
	io->req[io->nreq++] = r;
	/* Every lcore polling the port hands its ARP frames to the main lcore. */
	for (i = 0; i < io->nlcores; i++) {
		struct wb_io_lcore *lc = &io->lcores[i];
		unsigned int q;

		for (q = 0; q < lc->nrxq; q++)
			if (lc->rxq[q].port_id == p->port_id)
				break;
		if (q == lc->nrxq || lc->ctl_ring != NULL)
			continue;
		snprintf(name, sizeof(name), "wb_ctl%u", lc->lcore_id);
		lc->ctl_ring =
		    rte_ring_create(name, WB_IO_CTL_RING, p->socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (lc->ctl_ring == NULL)
			return wb_err_set(rte_errno ? rte_errno : ENOMEM, "control ring: %s",
					  rte_strerror(rte_errno));
	}
	return (int)r->idx;
}

void *
wb_io_requester(struct wb_io *io, unsigned int idx)
{
	return idx < io->nreq ? io->req[idx] : NULL;
}

unsigned int
wb_io_nrequesters(const struct wb_io *io)
{
	return io->nreq;
}

int
wb_io_request(void *ctx, const uint8_t session[WB_MOLD_SESSION_LEN], uint64_t seq, uint16_t count)
{
	struct wb_io_requester *r = ctx;
	struct wb_io_req_item it;

	it.seq = seq;
	it.count = count;
	memcpy(it.session, session, WB_MOLD_SESSION_LEN);
	memset(it.pad, 0, sizeof(it.pad));
	if (rte_ring_sp_enqueue_elem(r->ring, &it, sizeof(it)) != 0) {
		wb_io_pub_store(r->rx.queue_full, r->rx.queue_full + 1);
		return -ENOBUFS;
	}
	wb_io_pub_store(r->rx.queued, r->rx.queued + 1);
	return 0;
}

/* Sends one frame of len bytes (built by the caller in a fresh mbuf) on tx queue 0. */
static int
wb_io_ctl_tx(struct wb_io_port *p, const uint8_t *frame, size_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(p->tx_pool);
	uint8_t *d;

	if (m == NULL)
		return -ENOMEM;
	d = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)len);
	if (d == NULL) {
		rte_pktmbuf_free(m);
		return -ENOSPC;
	}
	memcpy(d, frame, len);
	if (rte_eth_tx_burst(p->port_id, 0, &m, 1) != 1) {
		rte_pktmbuf_free(m);
		return -EAGAIN;
	}
	return 0;
}

static void
wb_io_send_whohas(struct wb_io *io, struct wb_io_requester *r, uint64_t now)
{
	struct wb_io_port *p = &io->port[r->conf.port];
	uint8_t f[64];
	size_t len;

	len =
	    wb_arp_build(f, sizeof(f), WB_ARP_REQUEST, p->mac, p->conf.ip, NULL, r->conf.server_ip);
	if (wb_io_ctl_tx(p, f, len) == 0)
		r->ctl.arp_sent++;
	r->ctl.arp_next_ns =
	    now + (r->ctl.arp_state == WB_IO_ARP_OK ? WB_IO_ARP_REFRESH_NS : WB_IO_ARP_RETRY_NS);
}

/* Builds and sends the request frame. */
static void
wb_io_send_request(struct wb_io *io, struct wb_io_requester *r, const struct wb_io_req_item *it)
{
	struct wb_io_port *p = &io->port[r->conf.port];
	struct wb_net_udp_params up;
	uint8_t req[WB_MOLD_REQ_LEN], f[128];
	size_t len;

	if (wb_mold_req_put(req, sizeof(req), it->session, it->seq, it->count) != WB_MOLD_REQ_LEN) {
		r->ctl.tx_failed++; /* the feed asked for nothing sendable */
		return;
	}
	memset(&up, 0, sizeof(up));
	memcpy(up.src_mac, p->mac, 6);
	memcpy(up.dst_mac, r->ctl.mac, 6);
	up.vlan = WB_NET_VLAN_NONE;
	up.ip_id = r->ctl.ip_id++;
	up.src_ip = p->conf.ip;
	up.dst_ip = r->conf.server_ip;
	up.src_port = r->conf.src_port;
	up.dst_port = r->conf.server_port;
	up.udp_csum = 1;
	len = wb_net_build_udp(f, sizeof(f), &up, req, sizeof(req));
	if (len < 60) { /* pad to the Ethernet minimum */
		memset(f + len, 0, 60 - len);
		len = 60;
	}
	if (wb_io_ctl_tx(p, f, len) == 0)
		r->ctl.sent++;
	else
		r->ctl.tx_failed++;
}

/* An ARP frame an rx lcore handed over: learn the server's MAC, answer who-has. */
static unsigned int
wb_io_ctl_arp(struct wb_io *io, struct rte_mbuf *m, uint64_t now)
{
	struct wb_arp_view a;
	unsigned int i, sent = 0;

	if (m->nb_segs != 1 ||
	    wb_arp_parse(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len, &a) != 0)
		return 0;
	for (i = 0; i < io->nreq; i++) {
		struct wb_io_requester *r = io->req[i];
		struct wb_io_port *p = &io->port[r->conf.port];

		if (p->port_id != m->port)
			continue;
		if (a.spa == r->conf.server_ip && !r->conf.has_mac && a.tpa == p->conf.ip) {
			memcpy(r->ctl.mac, a.sha, 6);
			r->ctl.arp_state = WB_IO_ARP_OK;
			r->ctl.arp_next_ns = now + WB_IO_ARP_REFRESH_NS;
			r->ctl.arp_learnt++;
		}
	}
	/* Answer once per port for its ip. */
	if (a.op == WB_ARP_REQUEST)
		for (i = 0; i < io->nports; i++) {
			struct wb_io_port *p = &io->port[i];
			uint8_t f[64];
			size_t len;
			unsigned int k;

			if (p->port_id != m->port || p->conf.ip == 0 || a.tpa != p->conf.ip ||
			    !p->can_tx || a.vlan != WB_NET_VLAN_NONE)
				continue;
			len = wb_arp_build(f, sizeof(f), WB_ARP_REPLY, p->mac, p->conf.ip, a.sha,
					   a.spa);
			if (wb_io_ctl_tx(p, f, len) != 0)
				continue;
			sent++;
			for (k = 0; k < io->nreq; k++)
				if (io->req[k]->conf.port == i) {
					io->req[k]->ctl.arp_answered++;
					break;
				}
		}
	return sent;
}

unsigned int
wb_io_control_poll(struct wb_io *io, uint64_t now)
{
	struct wb_io_req_item it;
	struct rte_mbuf *m;
	unsigned int i, sent = 0;

	for (i = 0; i < io->nlcores; i++) {
		struct rte_ring *ring = io->lcores[i].ctl_ring;

		while (ring != NULL && rte_ring_sc_dequeue(ring, (void **)&m) == 0) {
			sent += wb_io_ctl_arp(io, m, now);
			rte_pktmbuf_free(m);
		}
	}
	for (i = 0; i < io->nreq; i++) {
		struct wb_io_requester *r = io->req[i];
		struct wb_io_port *p = &io->port[r->conf.port];
		unsigned int k;

		if (!p->started)
			continue;
		if (r->ctl.arp_state != WB_IO_ARP_STATIC && now >= r->ctl.arp_next_ns) {
			if (r->ctl.arp_state == WB_IO_ARP_RESOLVING && r->ctl.resolving_ns == 0)
				r->ctl.resolving_ns = now;
			wb_io_send_whohas(io, r, now);
			sent++;
		}
		if (r->ctl.arp_state == WB_IO_ARP_RESOLVING) {
			/* Hold what comes; give up on what waited too long. */
			while (r->ctl.npending < WB_IO_REQ_PENDING &&
			       rte_ring_sc_dequeue_elem(r->ring, &r->ctl.pending[r->ctl.npending],
							sizeof(it)) == 0)
				r->ctl.npending++;
			if (r->ctl.npending == WB_IO_REQ_PENDING ||
			    (r->ctl.resolving_ns != 0 &&
			     now - r->ctl.resolving_ns > WB_IO_ARP_GIVE_UP_NS)) {
				while (rte_ring_sc_dequeue_elem(r->ring, &it, sizeof(it)) == 0)
					r->ctl.no_mac++;
				if (now - r->ctl.resolving_ns > WB_IO_ARP_GIVE_UP_NS) {
					r->ctl.no_mac += r->ctl.npending;
					r->ctl.npending = 0;
				}
			}
			continue;
		}
		r->ctl.resolving_ns = 0;
		for (k = 0; k < r->ctl.npending; k++, sent++)
			wb_io_send_request(io, r, &r->ctl.pending[k]);
		r->ctl.npending = 0;
		while (rte_ring_sc_dequeue_elem(r->ring, &it, sizeof(it)) == 0) {
			wb_io_send_request(io, r, &it);
			sent++;
		}
	}
	return sent;
}

int
wb_io_req_stats(const struct wb_io *io, unsigned int idx, struct wb_io_req_stats *out)
{
	const struct wb_io_requester *r;

	memset(out, 0, sizeof(*out));
	if (idx >= io->nreq)
		return -ENOENT;
	r = io->req[idx];
	out->queued = wb_io_pub_load(r->rx.queued);
	out->queue_full = wb_io_pub_load(r->rx.queue_full);
	out->sent = r->ctl.sent;
	out->tx_failed = r->ctl.tx_failed;
	out->no_mac = r->ctl.no_mac;
	out->arp_sent = r->ctl.arp_sent;
	out->arp_learnt = r->ctl.arp_learnt;
	out->arp_answered = r->ctl.arp_answered;
	out->replies = wb_io_channel_packets(io, (unsigned int)r->chan);
	out->arp_state = r->ctl.arp_state;
	memcpy(out->mac, r->ctl.mac, 6);
	return 0;
}

void
wb_io_req_destroy(struct wb_io *io)
{
	struct rte_mbuf *m;
	unsigned int i;

	for (i = 0; i < io->nlcores; i++) {
		struct rte_ring *ring = io->lcores[i].ctl_ring;

		while (ring != NULL && rte_ring_sc_dequeue(ring, (void **)&m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(ring);
		io->lcores[i].ctl_ring = NULL;
	}
	for (i = 0; i < io->nreq; i++) {
		rte_ring_free(io->req[i]->ring);
		rte_free(io->req[i]);
	}
	io->nreq = 0;
}
