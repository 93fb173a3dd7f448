/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL, ports, mempools and lcore launch.
 *
 * Each rx queue gets its own mempool on the port's NUMA socket, so a queue's
 * mbufs never cross the interconnect and queues never contend on one pool's
 * cache. Ports run in allmulticast (a multicast feed must pass the NIC's
 * filter whatever groups it was told about) with one tx queue owned by the
 * main lcore for IGMP reports. A port whose PMD refuses a tx queue still
 * receives; it only cannot send reports.
 */
/* rte_power_monitor(), rte_eth_get_monitor_addr(): experimental in DPDK 22.11 */
#define ALLOW_EXPERIMENTAL_API

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_ring.h>
#include <rte_pdump.h>
#include <rte_power_intrinsics.h>

#include "wb_err.h"
#include "wb_io_priv.h"
#include "wb_log.h"
#include "wb_net.h"

#define WB_IO_TX_POOL 255

int
wb_io_eal_init(int argc, char **argv)
{
	int rc = rte_eal_init(argc, argv);

	if (rc < 0 && rte_errno == 0) /* rte_strerror(0) would say "Success" */
		return wb_err_set(EINVAL, "EAL init failed (the EAL lines above say why)");
	if (rc < 0)
		return wb_err_set(rte_errno, "EAL init failed: %s", rte_strerror(rte_errno));
	/* dpdk-dumpcap attaches as a secondary process and captures through this. */
	if (rte_pdump_init() < 0)
		wb_log(WB_LOG_WARNING, "pdump init failed (%s): dpdk-dumpcap unavailable",
		       rte_strerror(rte_errno));
	return 0;
}

/* Unlinks dir/name for every entry starting with prefix (all if NULL). */
static void
wb_io_unlink_dir(const char *dir, const char *prefix)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' ||
		    (prefix != NULL && strncmp(e->d_name, prefix, strlen(prefix)) != 0))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) < (int)sizeof(path))
			unlink(path);
	}
	closedir(d);
}

/*
 * rte_eal_cleanup() releases memory but leaves the hugepage files
 * (hugetlbfs/<prefix>map_N) and the runtime directory (/var/run/dpdk/<prefix>)
 * behind; they are kept by design so that a crashed primary can be inspected
 * and its files are reused by the next start with the same prefix. A clean
 * stop removes them: nothing else may be running with our prefix (EAL holds a
 * lock on its config file while we run).
 */
void
wb_io_eal_cleanup(void)
{
	char run[PATH_MAX], prefix[PATH_MAX + 8], line[PATH_MAX + 64], mnt[PATH_MAX], type[32];
	const char *base;
	FILE *m;

	snprintf(run, sizeof(run), "%s", rte_eal_get_runtime_dir());
	base = strrchr(run, '/');
	snprintf(prefix, sizeof(prefix), "%smap_", base != NULL ? base + 1 : run);
	rte_pdump_uninit();
	rte_eal_cleanup();
	m = fopen("/proc/mounts", "r");
	while (m != NULL && fgets(line, sizeof(line), m) != NULL)
		if (sscanf(line, "%*s %4095s %31s", mnt, type) == 2 &&
		    strcmp(type, "hugetlbfs") == 0)
			wb_io_unlink_dir(mnt, prefix);
	if (m != NULL)
		fclose(m);
	if (run[0] != '\0' && base != NULL && base[1] != '\0') {
		wb_io_unlink_dir(run, NULL);
		rmdir(run);
	}
}

static int
wb_io_port_setup(struct wb_io *io, struct wb_io_port *p, unsigned int idx)
{
	const struct wb_io_port_conf *pc = &p->conf;
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	struct rte_ether_addr mac;
	char name[RTE_MEMPOOL_NAMESIZE];
	uint16_t nb_rxd = pc->rx_desc, nb_txd = pc->tx_desc, q;
	int rc;

	if (pc->kernel) {
		/* no device: sockets are opened per channel; the kernel sends IGMP */
		if (pc->rx_queues != 1)
			return wb_err_set(EINVAL, "port %u (kernel): one rx queue only", idx);
		if (pc->hw_timestamp == WB_IO_HWTS_ON)
			return wb_err_set(ENOTSUP,
					  "[port%u] hw_timestamp = on: type = kernel reads "
					  "no receive timestamp; set auto or off",
					  idx);
		p->port_id = (uint16_t)(RTE_MAX_ETHPORTS + idx); /* matches no ethdev */
		p->socket = (int)rte_lcore_to_socket_id(pc->lcore[0]);
		p->can_tx = 0;
		p->conf.igmp = 0;
		(void)io;
		return 0;
	}
	if (rte_eth_dev_get_port_by_name(pc->device, &p->port_id) != 0)
		return wb_err_set(ENODEV, "port %u: no ethdev '%s' (check the vdev/PCI address)",
				  idx, pc->device);
	p->probed = 1;
	rc = rte_eth_dev_info_get(p->port_id, &info);
	if (rc != 0)
		return wb_err_set(-rc, "port %u (%s): dev_info: %s", idx, pc->device,
				  rte_strerror(-rc));
	if (pc->rx_queues > info.max_rx_queues)
		return wb_err_set(EINVAL, "port %u (%s): rx_queues %u > device maximum %u", idx,
				  pc->device, pc->rx_queues, info.max_rx_queues);
	if (strcmp(info.driver_name, "net_af_packet") == 0 && info.if_index != 0 &&
	    if_indextoname(info.if_index, name) != NULL)
		snprintf(p->kif, sizeof(p->kif), "%s", name);
	p->socket = rte_eth_dev_socket_id(p->port_id);
	if (p->socket < 0)
		p->socket = (int)rte_socket_id();
	memset(&conf, 0, sizeof(conf));
	rc = wb_io_port_hwts_setup(io, p, idx, &info, &conf);
	if (rc != 0)
		return rc;
	if (pc->rx_queues > 1) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf =
		    (RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP) & info.flow_type_rss_offloads;
	}
	p->can_tx = info.max_tx_queues > 0;
	rc = rte_eth_dev_configure(p->port_id, pc->rx_queues, p->can_tx ? 1 : 0, &conf);
	if (rc != 0)
		return wb_err_set(-rc, "port %u (%s): configure: %s", idx, pc->device,
				  rte_strerror(-rc));
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(p->port_id, &nb_rxd, &nb_txd);
	if (rc != 0)
		return wb_err_set(-rc, "port %u (%s): descriptors: %s", idx, pc->device,
				  rte_strerror(-rc));
	for (q = 0; q < pc->rx_queues; q++) {
		snprintf(name, sizeof(name), "wb_rx_%u_%u", idx, q);
		p->pool[q] = rte_pktmbuf_pool_create(
		    name, pc->mbufs, pc->mbuf_cache, 0,
		    (uint16_t)(pc->mbuf_size + RTE_PKTMBUF_HEADROOM), p->socket);
		if (p->pool[q] == NULL)
			return wb_err_set(
			    ENOMEM, "port %u (%s): mempool of %u mbufs on socket %d: %s", idx,
			    pc->device, pc->mbufs, p->socket, rte_strerror(rte_errno));
		rc = rte_eth_rx_queue_setup(p->port_id, q, nb_rxd, (unsigned int)p->socket, NULL,
					    p->pool[q]);
		if (rc != 0)
			return wb_err_set(-rc, "port %u (%s): rx queue %u: %s", idx, pc->device, q,
					  rte_strerror(-rc));
	}
	if (p->can_tx) {
		snprintf(name, sizeof(name), "wb_tx_%u", idx);
		p->tx_pool = rte_pktmbuf_pool_create(name, WB_IO_TX_POOL, 0, 0,
						     RTE_MBUF_DEFAULT_BUF_SIZE, p->socket);
		if (p->tx_pool == NULL)
			return wb_err_set(ENOMEM, "port %u (%s): tx mempool: %s", idx, pc->device,
					  rte_strerror(rte_errno));
		rc = rte_eth_tx_queue_setup(p->port_id, 0, nb_txd, (unsigned int)p->socket, NULL);
		if (rc != 0) {
			wb_log(WB_LOG_WARNING, "port %u (%s): no tx queue (%s): no IGMP reports",
			       idx, pc->device, rte_strerror(-rc));
			p->can_tx = 0;
		}
	}
	if (rte_eth_macaddr_get(p->port_id, &mac) == 0)
		memcpy(p->mac, mac.addr_bytes, 6);
	(void)io;
	return 0;
}

static struct wb_io_lcore *
wb_io_lcore_get(struct wb_io *io, unsigned int lcore_id)
{
	unsigned int i;

	for (i = 0; i < io->nlcores; i++)
		if (io->lcores[i].lcore_id == lcore_id)
			return &io->lcores[i];
	return NULL;
}

/* The capture handoff of port i queue q (see wb_io.h). */
static int
wb_io_capture_ring(struct wb_io *io, unsigned int i, unsigned int q, struct wb_io_rxq *rxq)
{
	char name[RTE_RING_NAMESIZE];
	struct wb_io_port *port = &io->port[i];

	if (io->ts_off < 0) {
		/* a field of our own: the PMD's timestamp field may hold its stamp */
		static const struct rte_mbuf_dynfield desc = {
		    .name = "wirebook_dynfield_rx_tsc",
		    .size = sizeof(uint64_t),
		    .align = __alignof__(uint64_t),
		};

		io->ts_off = rte_mbuf_dynfield_register(&desc);
		if (io->ts_off < 0)
			return wb_err_set(rte_errno,
					  "port %u: capture: no mbuf field for the rx TSC: %s", i,
					  rte_strerror(rte_errno));
	}
	snprintf(name, sizeof(name), "wb_cap_%u_%u", i, q);
	rxq->cap = rte_ring_create(name, port->conf.capture_ring, port->socket,
				   RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (rxq->cap == NULL)
		return wb_err_set(rte_errno, "port %u queue %u: capture ring of %u: %s", i, q,
				  port->conf.capture_ring, rte_strerror(rte_errno));
	io->cap[io->ncap] = rxq->cap;
	io->cap_port[io->ncap++] = (uint16_t)i;
	return 0;
}

unsigned int
wb_io_capture_poll(struct wb_io *io, wb_io_capture_fn fn, void *ctx, unsigned int max)
{
	struct rte_mbuf *m[WB_IO_BURST];
	unsigned int r, i, n, got = 0;

	for (r = 0; r < io->ncap && got < max; r++) {
		do {
			n = rte_ring_sc_dequeue_burst(io->cap[r], (void **)m, WB_IO_BURST, NULL);
			for (i = 0; i < n; i++) {
				fn(ctx, io->cap_port[r], rte_pktmbuf_mtod(m[i], const uint8_t *),
				   m[i]->data_len, *RTE_MBUF_DYNFIELD(m[i], io->ts_off, uint64_t *),
				   wb_io_file_ns(io, &io->port[io->cap_port[r]], m[i]));
				rte_pktmbuf_free(m[i]);
			}
			got += n;
		} while (n == WB_IO_BURST && got < max);
	}
	return got;
}

int
wb_io_capturing(const struct wb_io *io)
{
	return io->ncap != 0;
}

struct wb_io *
wb_io_create(const struct wb_io_params *p)
{
	struct wb_io *io;
	unsigned int i, q, main_lcore = rte_get_main_lcore();

	if (p->nports == 0 || p->nports > WB_IO_MAX_PORTS) {
		wb_err_set(EINVAL, "between 1 and %u ports needed", WB_IO_MAX_PORTS);
		return NULL;
	}
	io = rte_zmalloc("wb_io", sizeof(*io), RTE_CACHE_LINE_SIZE);
	if (io == NULL) {
		wb_err_set(ENOMEM, "no memory for the io context");
		return NULL;
	}
	io->lcores = rte_zmalloc("wb_io_lcores", sizeof(*io->lcores) * WB_IO_MAX_LCORES,
				 RTE_CACHE_LINE_SIZE);
	if (io->lcores == NULL) {
		rte_free(io);
		wb_err_set(ENOMEM, "no memory for the lcore table");
		return NULL;
	}
	atomic_init(&io->quit, 0);
	io->ts_off = -1;
	io->hwts_off = -1;
	io->flush_tsc = rte_get_tsc_hz() / 1000000u * (p->flush_us ? p->flush_us : 1000u);
	io->tick_tsc = rte_get_tsc_hz() / 1000000u * WB_IO_TICK_US;
	io->nports = p->nports;
	io->latency = p->latency;
	for (i = 0; i < p->nports; i++) {
		struct wb_io_port *port = &io->port[i];

		port->conf = p->port[i];
		if (wb_io_port_setup(io, port, i) < 0)
			goto fail;
		for (q = 0; q < port->conf.rx_queues; q++) {
			unsigned int id = port->conf.lcore[q];
			struct wb_io_lcore *lc = wb_io_lcore_get(io, id);

			if (id == main_lcore || !rte_lcore_is_enabled(id)) {
				wb_err_set(EINVAL, "port %u queue %u: lcore %u is %s", i, q, id,
					   id == main_lcore ? "the main lcore (control only)"
							    : "not enabled in the EAL core list");
				goto fail;
			}
			if (lc == NULL) {
				lc = &io->lcores[io->nlcores++];
				lc->lcore_id = id;
				lc->io = io;
				lc->kernel = port->conf.kernel;
				lc->poll_mode = port->conf.poll_mode;
				if (io->latency && wb_io_lcore_histos(lc) != 0)
					goto fail;
			}
			if (lc->kernel != port->conf.kernel || lc->poll_mode != port->conf.poll_mode) {
				wb_err_set(EINVAL, "lcore %u: its ports must be of one type (dpdk or "
						   "kernel) and one poll_mode",
					   id);
				goto fail;
			}
			if (port->conf.kernel)
				continue; /* sockets come with the channels */
			if (lc->nrxq == WB_IO_MAX_RXQ_PER_LCORE) {
				wb_err_set(EINVAL, "lcore %u polls too many queues", id);
				goto fail;
			}
			lc->rxq[lc->nrxq].port_id = port->port_id;
			lc->rxq[lc->nrxq].queue = (uint16_t)q;
			lc->rxq[lc->nrxq].linktype = port->conf.linktype;
			lc->rxq[lc->nrxq].port = (uint16_t)i;
			lc->rxq[lc->nrxq].hwclk = (uint8_t)port->hwclk;
			if (port->conf.capture_ring != 0 &&
			    wb_io_capture_ring(io, i, q, &lc->rxq[lc->nrxq]) < 0)
				goto fail;
			lc->nrxq++;
		}
	}
	return io;
fail:
	wb_io_destroy(io);
	return NULL;
}

int
wb_io_port_socket(const struct wb_io *io, unsigned int port)
{
	return port < io->nports ? io->port[port].socket : 0;
}

uint16_t
wb_io_port_id(const struct wb_io *io, unsigned int port)
{
	return io->port[port].port_id;
}

int
wb_io_add_channel(struct wb_io *io, const struct wb_io_chan_conf *c, struct wb_feed *feed)
{
	struct wb_io_lcore *lc;
	struct wb_io_chan_rt *cr;
	unsigned int i, slot;

	if (io->nchan == WB_IO_MAX_CHANNELS)
		return wb_err_set(ENOSPC, "more than %u channels", WB_IO_MAX_CHANNELS);
	if (c->port >= io->nports)
		return wb_err_set(EINVAL, "port %u is not configured", c->port);
	if (c->queue >= io->port[c->port].conf.rx_queues)
		return wb_err_set(EINVAL, "port %u has no rx queue %u", c->port, c->queue);
	if (c->line > WB_FEED_LINE_RECOVERY)
		return wb_err_set(EINVAL, "line must be A, B or the recovery line");
	lc = wb_io_lcore_get(io, io->port[c->port].conf.lcore[c->queue]);
	/* One writer per feed: every line of a feed on the same lcore. */
	for (i = 0; i < io->nlcores; i++) {
		const struct wb_io_lcore *o = &io->lcores[i];

		if (o == lc)
			continue;
		for (slot = 0; slot < o->nfeeds; slot++)
			if (o->feeds[slot] == feed)
				return wb_err_set(EINVAL,
						  "a feed's lines must be polled by one lcore "
						  "(lcore %u and %u)",
						  o->lcore_id, lc->lcore_id);
	}
	for (slot = 0; slot < lc->nfeeds; slot++)
		if (lc->feeds[slot] == feed)
			break;
	if (slot == lc->nfeeds) {
		if (lc->nfeeds == WB_IO_MAX_FEEDS_PER_LCORE)
			return wb_err_set(ENOSPC, "lcore %u: more than %u feeds", lc->lcore_id,
					  WB_IO_MAX_FEEDS_PER_LCORE);
		lc->feeds[lc->nfeeds++] = feed;
	}
	if (io->port[c->port].conf.kernel) {
		int rc = wb_io_kernel_channel(io, lc, c);

		if (rc != 0)
			return rc;
	}
	if (io->latency)
		wb_feed_set_stamp(feed, 1);
	cr = &lc->chan[lc->nchan++];
	cr->group = c->group;
	cr->udp_port = c->udp_port;
	cr->vlan = c->vlan;
	cr->port_id = io->port[c->port].port_id;
	cr->line = (uint8_t)c->line;
	cr->feed_slot = (uint8_t)slot;
	cr->chan = (uint16_t)io->nchan;
	cr->feed = feed;
	io->chan[io->nchan] = *c;
	io->chan_owner[io->nchan] = (int)(lc - io->lcores);
	return (int)io->nchan++;
}

static void
wb_io_port_log_link(const struct wb_io_port *p, unsigned int idx)
{
	struct rte_eth_link link;

	if (rte_eth_link_get_nowait(p->port_id, &link) != 0)
		return;
	wb_log(WB_LOG_INFO, "port %u (%s) socket %d: link %s, %u Mbps, %s duplex", idx,
	       p->conf.device, p->socket, link.link_status ? "up" : "DOWN", link.link_speed,
	       link.link_duplex ? "full" : "half");
}

/* /sys/class/net/IF/statistics/rx_packets, or 0. */
static uint64_t
wb_io_kif_rx(const char *kif)
{
	char path[128];
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/rx_packets", kif);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	if (fscanf(f, "%llu", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

int
wb_io_start(struct wb_io *io)
{
	unsigned int i;
	int rc;

	for (i = 0; i < io->nports; i++) {
		struct wb_io_port *p = &io->port[i];

		if (p->conf.kernel)
			continue;
		rc = rte_eth_dev_start(p->port_id);
		if (rc != 0)
			return wb_err_set(-rc, "port %u (%s): start: %s", i, p->conf.device,
					  rte_strerror(-rc));
		p->started = 1;
		if (p->kif[0] != '\0') {
			struct rte_eth_stats st;

			p->kif_rx0 = wb_io_kif_rx(p->kif);
			p->ipkts0 = rte_eth_stats_get(p->port_id, &st) == 0 ? st.ipackets : 0;
		}
		rc = rte_eth_allmulticast_enable(p->port_id);
		if (rc != 0 && rc != -ENOTSUP)
			wb_log(WB_LOG_WARNING, "port %u (%s): allmulticast: %s", i,
			       p->conf.device, rte_strerror(-rc));
		if (p->conf.promisc)
			rte_eth_promiscuous_enable(p->port_id);
		wb_io_port_log_link(p, i);
	}
	for (i = 0; i < io->nlcores; i++) {
		struct rte_cpu_intrinsics intr;

		rte_cpu_get_intrinsics_support(&intr);
		io->lcores[i].monitor = intr.power_monitor;
		rc = rte_eal_remote_launch(io->lcores[i].kernel ? wb_io_rx_kernel_main : wb_io_rx_main,
					   &io->lcores[i], io->lcores[i].lcore_id);
		if (rc != 0) {
			wb_io_stop(io);
			return wb_err_set(-rc, "lcore %u: launch failed", io->lcores[i].lcore_id);
		}
		io->launched++;
	}
	return 0;
}

void
wb_io_stop(struct wb_io *io)
{
	unsigned int i;

	atomic_store_explicit(&io->quit, 1, memory_order_relaxed);
	for (i = 0; i < (unsigned int)io->launched; i++)
		rte_eal_wait_lcore(io->lcores[i].lcore_id);
	io->launched = 0;
}

void
wb_io_destroy(struct wb_io *io)
{
	unsigned int i, q;

	if (io == NULL)
		return;
	wb_io_stop(io);
	wb_io_req_destroy(io);
	for (i = 0; i < io->ncap; i++) {
		struct rte_mbuf *m;

		while (rte_ring_sc_dequeue(io->cap[i], (void **)&m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(io->cap[i]);
	}
	for (i = 0; i < io->nports; i++) {
		struct wb_io_port *p = &io->port[i];

		if (p->started) {
			rte_eth_dev_stop(p->port_id);
			p->started = 0;
		}
		if (p->probed)
			rte_eth_dev_close(p->port_id);
		for (q = 0; q < WB_IO_MAX_QUEUES; q++)
			rte_mempool_free(p->pool[q]);
		rte_mempool_free(p->tx_pool);
	}
	for (i = 0; i < io->nlcores; i++) {
		struct wb_io_lcore *lc = &io->lcores[i];

		for (q = 0; q < lc->nks; q++)
			wb_ksock_close(&lc->ks[q].ks);
		rte_free(lc->kburst);
		rte_free(lc->lat);
	}
	rte_free(io->lcores);
	rte_free(io);
}

unsigned int
wb_io_nports(const struct wb_io *io)
{
	return io->nports;
}

const char *
wb_io_port_name(const struct wb_io *io, unsigned int port)
{
	return io->port[port].conf.device;
}

int
wb_io_port_stats(const struct wb_io *io, unsigned int port, struct wb_io_port_stats *out)
{
	struct rte_eth_stats st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (port >= io->nports)
		return -ENOENT;
	if (io->port[port].conf.kernel) {
		wb_io_kernel_port_stats(io, port, out);
		return 0;
	}
	rc = rte_eth_stats_get(io->port[port].port_id, &st);
	if (rc != 0)
		return rc;
	out->ipackets = st.ipackets;
	out->ibytes = st.ibytes;
	out->imissed = st.imissed;
	if (io->port[port].kif[0] != '\0' && io->port[port].started) {
		/* kernel ring drops (see wb_io_priv.h); read after the rx loops
		 * stopped, this includes the loss after the last packet */
		const struct wb_io_port *p = &io->port[port];
		uint64_t krx = wb_io_kif_rx(p->kif) - p->kif_rx0;
		uint64_t got = st.ipackets - p->ipkts0;

		if (krx > got + st.imissed)
			out->imissed = krx - got;
	}
	out->ierrors = st.ierrors;
	out->rx_nombuf = st.rx_nombuf;
	out->opackets = st.opackets;
	out->oerrors = st.oerrors;
	return 0;
}

unsigned int
wb_io_nlcores(const struct wb_io *io)
{
	return io->nlcores;
}

int
wb_io_lcore_stats(const struct wb_io *io, unsigned int i, unsigned int *lcore_id,
		  struct wb_io_lcore_stats *out)
{
	const struct wb_io_lcore_stats *s;

	if (i >= io->nlcores)
		return -ENOENT;
	s = &io->lcores[i].pub.s;
	*lcore_id = io->lcores[i].lcore_id;
	out->loops = wb_io_pub_load(s->loops);
	out->busy_loops = wb_io_pub_load(s->busy_loops);
	out->busy_cycles = wb_io_pub_load(s->busy_cycles);
	out->idle_cycles = wb_io_pub_load(s->idle_cycles);
	out->packets = wb_io_pub_load(s->packets);
	out->datagrams = wb_io_pub_load(s->datagrams);
	out->unmatched = wb_io_pub_load(s->unmatched);
	out->not_udp = wb_io_pub_load(s->not_udp);
	out->bad_frames = wb_io_pub_load(s->bad_frames);
	out->fragments = wb_io_pub_load(s->fragments);
	out->oversize = wb_io_pub_load(s->oversize);
	out->bursts = wb_io_pub_load(s->bursts);
	out->to_control = wb_io_pub_load(s->to_control);
	out->capture_queued = wb_io_pub_load(s->capture_queued);
	out->capture_dropped = wb_io_pub_load(s->capture_dropped);
	return 0;
}

uint64_t
wb_io_channel_packets(const struct wb_io *io, unsigned int chan)
{
	if (chan >= io->nchan)
		return 0;
	return wb_io_pub_load(io->lcores[io->chan_owner[chan]].pub.chan_packets[chan]);
}

int
wb_io_channel_lcore(const struct wb_io *io, unsigned int chan)
{
	return chan < io->nchan ? io->chan_owner[chan] : -1;
}

uint64_t
wb_io_rx_packets(const struct wb_io *io)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < io->nlcores; i++)
		sum += wb_io_pub_load(io->lcores[i].pub.s.packets);
	return sum;
}
