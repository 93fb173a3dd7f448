/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The rx loop of a kernel port's lcore: wb_io_rx.c's shape with sockets for
 * queues. Per iteration: one TSC read (busy/idle accounting, flush timer),
 * the feeds' timers every tick, recvmmsg() of up to a burst on the next
 * socket of this lcore (src/ksock, no DPDK), the TSC read again once the burst has returned (it stamps every
 * datagram of the burst: the syscall is not cheap, and the stamp must not
 * count it as the receiver's own work), each datagram queued on the
 * channel's feed, the burst ended on it.
 *
 * poll_mode busy spins on non-blocking recvmmsg (with SO_BUSY_POLL where
 * the kernel took it); blocking sleeps in poll() over this lcore's sockets
 * once a sweep of them found nothing, 1 ms at most so that the quit flag
 * and the feeds' timers are seen. The system calls are the point of this path: it is the baseline a
 * user would build without DPDK.
 */
#include <stdatomic.h>

#include "wb_compiler.h"
#include "wb_feed.h"
#include "wb_io_priv.h"
#include "wb_tsc.h"

#define wb_io_pub_store(dst, v) __atomic_store_n(&(dst), (v), __ATOMIC_RELAXED)

static void
wb_io_rxk_flush(struct wb_io_lcore *lc, const struct wb_io_lcore_stats *c, const uint64_t *chan)
{
	uint64_t drops[WB_IO_MAX_PORTS] = {0};
	struct wb_io_lcore_stats *s = &lc->pub.s;
	unsigned int i;

	wb_io_pub_store(s->loops, c->loops);
	wb_io_pub_store(s->busy_loops, c->busy_loops);
	wb_io_pub_store(s->busy_cycles, c->busy_cycles);
	wb_io_pub_store(s->idle_cycles, c->idle_cycles);
	wb_io_pub_store(s->packets, c->packets);
	wb_io_pub_store(s->datagrams, c->datagrams);
	wb_io_pub_store(s->bursts, c->bursts);
	for (i = 0; i < lc->nchan; i++)
		wb_io_pub_store(lc->pub.chan_packets[lc->chan[i].chan], chan[i]);
	for (i = 0; i < lc->nks; i++)
		drops[lc->ks[i].port] += lc->ks[i].ks.drops;
	for (i = 0; i < WB_IO_MAX_PORTS; i++)
		wb_io_pub_store(lc->pub.port_drops[i], drops[i]);
}

int
wb_io_rx_kernel_main(void *arg)
{
	struct wb_io_lcore *lc = arg;
	struct wb_io *io = lc->io;
	struct wb_ksock_burst *b = lc->kburst;
	const struct wb_ksock *socks[WB_IO_MAX_CHANNELS];
	uint8_t ready[WB_IO_MAX_CHANNELS];
	struct wb_io_lcore_stats c = {0};
	uint64_t chan_pkts[WB_IO_MAX_CHANNELS] = {0};
	uint64_t now, prev, next_flush, next_tick;
	const uint64_t flush_tsc = io->flush_tsc, tick_tsc = io->tick_tsc;
	const int blocking = lc->poll_mode == WB_IO_POLL_BLOCKING;
	uint32_t rng = lc->lcore_id;
	unsigned int q = 0, empty = 0, i;
	int n = 0;

	if (lc->nks == 0 || b == NULL)
		return 0;
	for (i = 0; i < lc->nks; i++)
		socks[i] = &lc->ks[i].ks;
	prev = wb_rdtsc();
	next_flush = prev + flush_tsc;
	next_tick = prev + tick_tsc;
	while (wb_likely(!atomic_load_explicit(&io->quit, memory_order_relaxed))) {
		struct wb_io_ksock *k = &lc->ks[q];
		const struct wb_io_chan_rt *cr;

		now = wb_rdtsc();
		if (n != 0)
			c.busy_cycles += now - prev;
		else
			c.idle_cycles += now - prev;
		prev = now;
		c.loops++;
		if (wb_unlikely(now >= next_flush)) {
			wb_io_rxk_flush(lc, &c, chan_pkts);
			wb_io_rx_stages_flush(lc);
			next_flush = now + flush_tsc;
		}
		wb_io_rx_tick(lc, now, &next_tick, tick_tsc);
		if (++q == lc->nks)
			q = 0;
		if (blocking && empty >= lc->nks) {
			/* 1 ms: the feeds' timers still run, a little late */
			wb_ksock_wait(socks, lc->nks, ready, 1);
			empty = 0;
		}
		n = wb_ksock_recv(&k->ks, b);
		if (n == 0) {
			empty++;
			/* the slot of this socket's feed's next event: see wb_io_rx.c */
			wb_feed_idle(lc->chan[k->chan_slot].feed);
			continue;
		}
		empty = 0;
		now = wb_rdtsc();
		c.busy_loops++;
		c.bursts++;
		c.packets += (uint64_t)n;
		c.datagrams += (uint64_t)n;
		chan_pkts[k->chan_slot] += (uint64_t)n;
		cr = &lc->chan[k->chan_slot];
		for (i = 0; i < (unsigned int)n; i++)
			wb_feed_datagram_queue(cr->feed, cr->line, b->buf[i], b->mm[i].msg_len, now);
		if (lc->lat != NULL) {
			uint64_t t_queued = wb_io_rx_split(&rng) ? wb_rdtsc() : 0;

			wb_feed_burst_end(cr->feed);
			wb_io_rx_stages(lc, now, t_queued, wb_feed_applied_tsc(cr->feed),
					wb_rdtsc());
		} else {
			wb_feed_burst_end(cr->feed);
		}
	}
	wb_io_rxk_flush(lc, &c, chan_pkts);
	return 0;
}
