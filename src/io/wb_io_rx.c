/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The rx loop of one lcore, l2fwd/l3fwd shaped.
 *
 * Per iteration: one TSC read (it times the previous iteration as busy or
 * idle, stamps every datagram of this burst and drives the flush timer), one
 * rte_eth_rx_burst() of a fixed size on the next queue of this lcore, then
 * the burst: prefetch a few frames ahead, classify each (wb_net_udp: VLAN,
 * IPv4, UDP, lengths), look the (VLAN, group, port) up in this lcore's small
 * channel table (last hit first), queue the payload on its feed (the feed
 * applies the messages of several datagrams as one prefetched batch), end the
 * burst on each feed it touched (that applies what is queued and publishes
 * the snapshots of the instruments the burst changed), then free the burst in
 * bulk. An empty poll readies, for each feed, the ring slot line its next
 * event goes to (wb_feed_idle), which the polling strategies hold.
 *
 * ARP frames are handed to the main lcore (wb_io_req.c) on a single-producer
 * ring when a request server needs them, instead of being dropped: their
 * mbuf leaves the burst, and the main lcore frees it.
 *
 * poll_mode adaptive backs off once the queues have been quiet: after
 * WB_IO_IDLE_SPIN empty polls each empty poll ends with rte_pause(); after
 * WB_IO_QUIET_US without a packet the lcore gives its core back, waiting in
 * rte_power_monitor() on the queue's next descriptor where the CPU and the
 * PMD offer it (woken by the NIC's write), else sleeping WB_IO_SLEEP_US (a
 * system call, but only when there is nothing to receive). The first packet
 * after a quiet spell pays the wake-up; the CPU time is what it buys.
 *
 * In busy mode (the default) nothing here makes a system call, allocates,
 * locks or logs. Counters live
 * in a local struct (registers, the stack) and are copied to the lcore's
 * published block on a TSC timer (~1 ms) and at exit. The quit flag is a
 * relaxed atomic load: a stale read costs at most one more burst.
 *
 * On a second TSC timer (WB_IO_TICK_US) each feed of the lcore runs its
 * timers (wb_feed_tick): a reorder window or a retransmission request that
 * expired while no packet came. It is one compare and branch a loop, and a
 * flag test per feed when nothing is held.
 */
/* rte_power_monitor(), rte_eth_get_monitor_addr(): experimental in DPDK 22.11 */
#define ALLOW_EXPERIMENTAL_API

#include <stdatomic.h>
#include <sys/prctl.h>

#include <rte_cycles.h>
#include <rte_power_intrinsics.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_ring.h>
#include <rte_prefetch.h>

#include "wb_compiler.h"
#include "wb_feed.h"
#include "wb_io_priv.h"
#include "wb_net.h"

#define WB_IO_PREFETCH_AHEAD 4
#define WB_IO_IDLE_SPIN 256 /* adaptive: empty polls before pausing */
#define WB_IO_QUIET_US 20   /* adaptive: quiet time before giving the core back */
#define WB_IO_SLEEP_US 10   /* adaptive: one sleep when monitoring is unavailable */

#define wb_io_pub_store(dst, v) __atomic_store_n(&(dst), (v), __ATOMIC_RELAXED)

/* What an rx lcore counts of its ports' receive timestamps (published at flushes). */
struct wb_io_rx_hw {
	uint64_t stamped[WB_IO_MAX_PORTS];
	uint64_t last[WB_IO_MAX_PORTS];
};

static void
wb_io_rx_flush(struct wb_io_lcore *lc, const struct wb_io_lcore_stats *c, const uint64_t *chan,
	       const struct wb_io_rx_hw *hw)
{
	struct wb_io_lcore_stats *s = &lc->pub.s;
	unsigned int i;

	wb_io_pub_store(s->loops, c->loops);
	wb_io_pub_store(s->busy_loops, c->busy_loops);
	wb_io_pub_store(s->busy_cycles, c->busy_cycles);
	wb_io_pub_store(s->idle_cycles, c->idle_cycles);
	wb_io_pub_store(s->packets, c->packets);
	wb_io_pub_store(s->datagrams, c->datagrams);
	wb_io_pub_store(s->unmatched, c->unmatched);
	wb_io_pub_store(s->not_udp, c->not_udp);
	wb_io_pub_store(s->bad_frames, c->bad_frames);
	wb_io_pub_store(s->fragments, c->fragments);
	wb_io_pub_store(s->oversize, c->oversize);
	wb_io_pub_store(s->bursts, c->bursts);
	wb_io_pub_store(s->to_control, c->to_control);
	wb_io_pub_store(s->capture_queued, c->capture_queued);
	wb_io_pub_store(s->capture_dropped, c->capture_dropped);
	for (i = 0; i < lc->nchan; i++)
		wb_io_pub_store(lc->pub.chan_packets[lc->chan[i].chan], chan[i]);
	for (i = 0; i < lc->nrxq; i++) {
		unsigned int p = lc->rxq[i].port;

		wb_io_pub_store(lc->pub.hw_stamped[p], hw->stamped[p]);
		wb_io_pub_store(lc->pub.hw_last[p], hw->last[p]);
	}
}

/*
 * The burst's receive timestamps, on ports whose PMD writes them: counted,
 * the latest kept; on a NIC clock placed on the TSC (wb_io_hwclock_sync),
 * the first frame's stamp to the burst's return is the nic -> rx stage.
 */
static void
wb_io_rx_hwts(struct wb_io_lcore *lc, const struct wb_io_rxq *rxq, struct rte_mbuf *const *pkts,
	      unsigned int n, uint64_t t_ret, struct wb_io_rx_hw *hw)
{
	const struct wb_io *io = lc->io;
	const uint64_t flag = io->hwts_flag;
	unsigned int i, k = 0, first = 0, last = 0;

	for (i = 0; i < n; i++)
		if (pkts[i]->ol_flags & flag) {
			if (k++ == 0)
				first = i;
			last = i;
		}
	if (k == 0)
		return;
	hw->stamped[rxq->port] += k;
	hw->last[rxq->port] = *RTE_MBUF_DYNFIELD(pkts[last], io->hwts_off, rte_mbuf_timestamp_t *);
	if (rxq->hwclk == WB_IO_HWCLK_NIC && lc->lat != NULL) {
		const struct wb_io_hwclk *c = &io->port[rxq->port].clk;
		uint64_t ts = *RTE_MBUF_DYNFIELD(pkts[first], io->hwts_off, rte_mbuf_timestamp_t *);
		uint32_t s0 = atomic_load_explicit(&c->seq, memory_order_acquire);
		uint64_t nic0 = c->nic0, tsc0 = c->tsc0;
		double r = c->tsc_per_tick;
		double at;

		atomic_thread_fence(memory_order_acquire);
		if ((s0 & 1u) != 0 || atomic_load_explicit(&c->seq, memory_order_relaxed) != s0 ||
		    r <= 0)
			return; /* being re-anchored, or not calibrated yet: skip one burst */
		at = (double)tsc0 + (double)(int64_t)(ts - nic0) * r;
		if ((double)t_ret > at)
			wb_histo_add_shared(&lc->lat[WB_IO_STAGE_NIC_TO_RX],
					    (uint64_t)((double)t_ret - at));
	}
}

/* 1 if an Ethernet frame (untagged or one tag) is ARP. */
static inline int
wb_io_rx_is_arp(const uint8_t *f, uint32_t len)
{
	if (len < 14)
		return 0;
	if (f[12] == 0x81 && f[13] == 0x00)
		return len >= 18 && f[16] == 0x08 && f[17] == 0x06;
	return f[12] == 0x08 && f[13] == 0x06;
}

/* Channel of a datagram on port_id, or -1. *last is the previous hit. */
static inline int
wb_io_rx_match(const struct wb_io_lcore *lc, uint16_t port_id, const struct wb_udp_view *v,
	       unsigned int *last)
{
	unsigned int i, n = lc->nchan;
	const struct wb_io_chan_rt *c = &lc->chan[*last];

	if (wb_likely(c->port_id == port_id && (c->group == 0 || c->group == v->dst_ip) &&
		      (c->udp_port == 0 || c->udp_port == v->dst_port) &&
		      (c->vlan == WB_IO_ANY_VLAN || c->vlan == v->vlan)))
		return (int)*last;
	for (i = 0; i < n; i++) {
		c = &lc->chan[i];
		if (c->port_id == port_id && (c->group == 0 || c->group == v->dst_ip) &&
		    (c->udp_port == 0 || c->udp_port == v->dst_port) &&
		    (c->vlan == WB_IO_ANY_VLAN || c->vlan == v->vlan)) {
			*last = i;
			return (int)i;
		}
	}
	return -1;
}

/* Adaptive mode, after an empty poll of rxq at now; last_rx: TSC of the last packet. */
static void
wb_io_rx_backoff(const struct wb_io_lcore *lc, const struct wb_io_rxq *rxq, uint64_t now,
		 uint64_t *idle, uint64_t last_rx)
{
	struct rte_power_monitor_cond pmc;
	const uint64_t us = rte_get_tsc_hz() / 1000000u;

	if (++*idle < WB_IO_IDLE_SPIN)
		return;
	if (now - last_rx < WB_IO_QUIET_US * us) {
		rte_pause();
		return;
	}
	/* one queue: sleep until the NIC writes its next descriptor, or the timeout */
	if (lc->monitor && lc->nrxq == 1 &&
	    rte_eth_get_monitor_addr(rxq->port_id, rxq->queue, &pmc) == 0 &&
	    rte_power_monitor(&pmc, now + WB_IO_SLEEP_US * us) == 0)
		return;
	rte_delay_us_sleep(WB_IO_SLEEP_US);
}

/*
 * Hands the burst to the capture writer: one more reference on each frame
 * (so the writer, not this lcore, frees it last) and a non-blocking enqueue;
 * what does not fit loses the reference again and is counted.
 */
static void
wb_io_rx_capture(const struct wb_io *io, const struct wb_io_rxq *rxq, struct rte_mbuf **pkts,
		 unsigned int n, uint64_t now, struct wb_io_lcore_stats *c)
{
	struct rte_mbuf *cap[WB_IO_BURST];
	unsigned int i, k, m = 0;

	/* frames handed to the main lcore (ARP) left the burst as NULL */
	for (i = 0; i < n; i++) {
		if (pkts[i] == NULL)
			continue;
		*RTE_MBUF_DYNFIELD(pkts[i], io->ts_off, uint64_t *) = now;
		rte_mbuf_refcnt_update(pkts[i], 1);
		cap[m++] = pkts[i];
	}
	k = rte_ring_sp_enqueue_burst(rxq->cap, (void **)cap, m, NULL);
	for (i = k; i < m; i++)
		rte_mbuf_refcnt_update(cap[i], -1);
	c->capture_queued += k;
	c->capture_dropped += m - k;
}

int
wb_io_rx_main(void *arg)
{
	struct wb_io_lcore *lc = arg;
	struct wb_io *io = lc->io;
	struct rte_mbuf *pkts[WB_IO_BURST];
	struct wb_io_lcore_stats c = {0};
	uint64_t chan_pkts[WB_IO_MAX_CHANNELS] = {0};
	struct wb_io_rx_hw hw = {{0}, {0}};
	uint64_t now, prev, next_flush, next_tick, touched, idle = 0, last_rx, t_queued = 0;
	uint64_t t_ret = 0, t_applied = 0;
	uint32_t rng = lc->lcore_id;
	int st_pending = 0, split = 0;
	struct wb_feed *last_feed;
	const int adaptive = lc->poll_mode == WB_IO_POLL_ADAPTIVE;
	const uint64_t flush_tsc = io->flush_tsc, tick_tsc = io->tick_tsc;
	unsigned int q = 0, last = 0, i, n = 0;
	struct wb_udp_view v;
	int ch, rc;

	if (lc->nrxq == 0)
		return 0;
	if (adaptive) /* sleeps of microseconds, not the default 50 us of slack */
		prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
	prev = rte_rdtsc();
	last_rx = prev;
	next_flush = prev + flush_tsc;
	next_tick = prev + tick_tsc;
	while (wb_likely(!atomic_load_explicit(&io->quit, memory_order_relaxed))) {
		const struct wb_io_rxq *rxq = &lc->rxq[q];

		now = rte_rdtsc();
		/* the previous burst's stages end here: its snapshots are written
		 * and its frames freed (no TSC read of their own) */
		if (st_pending) {
			wb_io_rx_stages(lc, t_ret, t_queued, t_applied, now);
			st_pending = 0;
		}
		if (n != 0)
			c.busy_cycles += now - prev;
		else
			c.idle_cycles += now - prev;
		prev = now;
		c.loops++;
		if (wb_unlikely(now >= next_flush)) {
			wb_io_rx_flush(lc, &c, chan_pkts, &hw);
			wb_io_rx_stages_flush(lc);
			next_flush = now + flush_tsc;
		}
		wb_io_rx_tick(lc, now, &next_tick, tick_tsc);
		if (++q == lc->nrxq)
			q = 0;
		n = rte_eth_rx_burst(rxq->port_id, rxq->queue, pkts, WB_IO_BURST);
		if (n == 0) {
			/*
			 * Nothing came: take back the line each feed's next event
			 * will be written to, which the strategies polling it hold.
			 * Taken when the packet is there instead, it cost a
			 * cross-core invalidation inside rx -> committed (130 ns
			 * of 220 on a 2-vCPU VM); the strategy sees the event no
			 * sooner either way (its poll fetches the line), but the
			 * rx lcore is done sooner. docs/benchmarks.md, issue 11.
			 */
			for (i = 0; i < lc->nfeeds; i++)
				wb_feed_idle(lc->feeds[i]);
			if (adaptive)
				wb_io_rx_backoff(lc, rxq, now, &idle, last_rx);
			continue;
		}
		idle = 0;
		last_rx = now;
		/*
		 * Stages start when the burst is ours (rx_tsc is the TSC before the
		 * call: it includes the PMD's work). Fenced: rdtsc is not ordered
		 * after earlier loads, and net_af_packet's copies out of frames the
		 * kernel wrote on another core were still in flight when a plain
		 * read returned, so 150 ns of the PMD's cache misses were counted as
		 * our classification (the kernel port's syscall return serialises).
		 */
		if (lc->lat != NULL) {
			t_ret = rte_rdtsc_precise();
			split = wb_io_rx_split(&rng);
		}

		c.busy_loops++;
		c.bursts++;
		c.packets += n;
		if (rxq->hwclk != WB_IO_HWCLK_NONE)
			wb_io_rx_hwts(lc, rxq, pkts, n, t_ret, &hw);
		touched = 0;
		for (i = 0; i < n && i < WB_IO_PREFETCH_AHEAD; i++)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
		for (i = 0; i < n; i++) {
			struct rte_mbuf *m = pkts[i];
			const struct wb_io_chan_rt *cr;

			if (i + WB_IO_PREFETCH_AHEAD < n)
				rte_prefetch0(
				    rte_pktmbuf_mtod(pkts[i + WB_IO_PREFETCH_AHEAD], void *));
			if (wb_unlikely(m->nb_segs != 1)) {
				c.bad_frames++;
				c.oversize++;
				continue;
			}
			rc = wb_net_udp(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len,
					rxq->linktype, &v);
			if (wb_unlikely(rc < 0)) {
				if (rc == WB_NET_NOT_IPV4 || rc == WB_NET_NOT_UDP)
					c.not_udp++;
				else
					c.bad_frames++;
				c.fragments += rc == WB_NET_FRAGMENT;
				if (rc == WB_NET_NOT_IPV4 && lc->ctl_ring != NULL &&
				    rxq->linktype == 1 &&
				    wb_io_rx_is_arp(rte_pktmbuf_mtod(m, const uint8_t *),
						    m->data_len) &&
				    rte_ring_sp_enqueue(lc->ctl_ring, m) == 0) {
					pkts[i] = NULL; /* the main lcore frees it */
					c.to_control++;
				}
				continue;
			}
			ch = wb_io_rx_match(lc, rxq->port_id, &v, &last);
			if (wb_unlikely(ch < 0)) {
				c.unmatched++;
				continue;
			}
			cr = &lc->chan[ch];
			chan_pkts[ch]++;
			c.datagrams++;
			wb_feed_datagram_queue(cr->feed, cr->line, v.payload, v.len, now);
			touched |= 1ull << cr->feed_slot;
		}
		t_queued = split ? rte_rdtsc() : 0;
		last_feed = NULL;
		/* the feeds may still point into the burst's frames */
		while (touched != 0) {
			unsigned int slot = (unsigned int)__builtin_ctzll(touched);

			touched &= touched - 1;
			last_feed = lc->feeds[slot];
			wb_feed_burst_end(last_feed);
		}
		if (lc->lat != NULL && last_feed != NULL) {
			t_applied = wb_feed_applied_tsc(last_feed);
			st_pending = 1;
		}
		if (wb_unlikely(rxq->cap != NULL))
			wb_io_rx_capture(io, rxq, pkts, n, now, &c);
		rte_pktmbuf_free_bulk(pkts, n);
	}
	wb_io_rx_flush(lc, &c, chan_pkts, &hw);
	return 0;
}
