/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hardware receive timestamps: which clock a port's frames carry, chosen at
 * port set-up; a frame's recorded file time for the capture; the counts and
 * last stamp per port; and the NIC clock placed on the TSC by the main lcore.
 * The clocks are described in wb_io.h (enum wb_io_hwts_clock).
 */
/* rte_eth_read_clock(): experimental in DPDK 22.11 */
#define ALLOW_EXPERIMENTAL_API

#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include "wb_err.h"
#include "wb_io_priv.h"

const char *const wb_io_hwclk_name[4] = {"none", "nic", "pcap", "replay"};

/*
 * Which receive timestamp the port's frames will carry ([portN]
 * hw_timestamp): the NIC's, requested as an offload where dev_info offers
 * it; net_pcap's, which DPDK 22.11 writes on every frame (the record's time
 * in us) without offering the offload; the replay port's, written by its
 * reader. hw_timestamp = on and none of them fails here, naming the key.
 */
int
wb_io_port_hwts_setup(struct wb_io *io, struct wb_io_port *p, unsigned int idx,
		      const struct rte_eth_dev_info *info, struct rte_eth_conf *conf)
{
	const struct wb_io_port_conf *pc = &p->conf;
	int off = -1;
	uint64_t flag = 0;

	p->hwclk = WB_IO_HWCLK_NONE;
	if (pc->hw_timestamp == WB_IO_HWTS_OFF)
		return 0;
	if (info->rx_offload_capa & RTE_ETH_RX_OFFLOAD_TIMESTAMP) {
		conf->rxmode.offloads |= RTE_ETH_RX_OFFLOAD_TIMESTAMP;
		p->hwclk = WB_IO_HWCLK_NIC;
	} else if (strcmp(info->driver_name, "net_pcap") == 0) {
		p->hwclk = WB_IO_HWCLK_PCAP;
	} else if (pc->replay) {
		p->hwclk = WB_IO_HWCLK_REPLAY;
	} else if (pc->hw_timestamp == WB_IO_HWTS_ON) {
		return wb_err_set(ENOTSUP,
				  "[port%u] hw_timestamp = on: %s (driver %s) offers no receive "
				  "timestamp (RTE_ETH_RX_OFFLOAD_TIMESTAMP); set auto or off",
				  idx, pc->device, info->driver_name);
	} else {
		return 0;
	}
	/* the PMDs register the same field under the same name: one offset */
	if (rte_mbuf_dyn_rx_timestamp_register(&off, &flag) != 0)
		return wb_err_set(rte_errno, "[port%u] hw_timestamp: no mbuf timestamp field: %s",
				  idx, rte_strerror(rte_errno));
	io->hwts_off = off;
	io->hwts_flag = flag;
	return 0;
}

/* A frame's recorded time in ns when its port's stamps are one (pcap, replay), else 0. */
uint64_t
wb_io_file_ns(const struct wb_io *io, const struct wb_io_port *p, const struct rte_mbuf *m)
{
	uint64_t ts;

	if ((p->hwclk != WB_IO_HWCLK_PCAP && p->hwclk != WB_IO_HWCLK_REPLAY) ||
	    !(m->ol_flags & io->hwts_flag))
		return 0;
	ts = *RTE_MBUF_DYNFIELD(m, io->hwts_off, rte_mbuf_timestamp_t *);
	return p->hwclk == WB_IO_HWCLK_PCAP ? ts * 1000u : ts;
}

int
wb_io_port_hwts(const struct wb_io *io, unsigned int port, struct wb_io_port_hwts *out)
{
	const struct wb_io_port *p;
	unsigned int i;

	memset(out, 0, sizeof(*out));
	if (port >= io->nports)
		return -ENOENT;
	p = &io->port[port];
	out->clock = p->hwclk;
	for (i = 0; i < io->nlcores; i++) {
		uint64_t last = wb_io_pub_load(io->lcores[i].pub.hw_last[port]);

		out->stamped += wb_io_pub_load(io->lcores[i].pub.hw_stamped[port]);
		if (last > out->last)
			out->last = last;
	}
	if (p->hwclk == WB_IO_HWCLK_PCAP)
		out->last_ns = out->last * 1000u;
	else if (p->hwclk == WB_IO_HWCLK_REPLAY)
		out->last_ns = out->last;
	else if (p->hwclk == WB_IO_HWCLK_NIC) {
		/* telemetry calls this from its own thread: read under the count */
		double r;
		uint32_t s0;

		do {
			s0 = atomic_load_explicit(&p->clk.seq, memory_order_acquire);
			r = p->clk.tsc_per_tick;
			atomic_thread_fence(memory_order_acquire);
		} while ((s0 & 1u) != 0 ||
			 atomic_load_explicit(&p->clk.seq, memory_order_relaxed) != s0);
		if (r > 0)
			out->last_ns =
			    (uint64_t)((double)out->last * r * 1e9 / (double)rte_get_tsc_hz());
	}
	return 0;
}

void
wb_io_hwclock_sync(struct wb_io *io)
{
	const uint64_t hz = rte_get_tsc_hz();
	unsigned int i;

	for (i = 0; i < io->nports; i++) {
		struct wb_io_port *p = &io->port[i];
		struct wb_io_hwclk *c = &p->clk;
		uint64_t t0, t1, nic, tsc;
		uint32_t seq;

		if (p->hwclk != WB_IO_HWCLK_NIC || !p->started)
			continue;
		t0 = rte_rdtsc();
		if (c->prev_tsc != 0 && t0 - c->prev_tsc < (c->tsc_per_tick > 0 ? hz : hz / 10))
			continue;
		if (rte_eth_read_clock(p->port_id, &nic) != 0)
			continue; /* stamps counted, no stage: the clock cannot be read */
		t1 = rte_rdtsc();
		tsc = t0 + (t1 - t0) / 2;
		if (c->prev_tsc != 0 && nic > c->prev_nic) {
			/* the ratio over the last interval follows the oscillators' drift */
			seq = atomic_load_explicit(&c->seq, memory_order_relaxed);
			atomic_store_explicit(&c->seq, seq + 1, memory_order_relaxed);
			atomic_thread_fence(memory_order_release);
			c->tsc_per_tick = (double)(tsc - c->prev_tsc) / (double)(nic - c->prev_nic);
			c->nic0 = nic;
			c->tsc0 = tsc;
			atomic_store_explicit(&c->seq, seq + 2, memory_order_release);
		}
		c->prev_nic = nic;
		c->prev_tsc = tsc;
	}
}
