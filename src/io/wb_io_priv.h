/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of src/io shared by its files; nothing outside src/io includes this. */
#ifndef WB_IO_PRIV_H
#define WB_IO_PRIV_H

#include <stdatomic.h>
#include <stdint.h>

#include <rte_mempool.h>
#include <rte_ring.h>

#include "wb_compiler.h"
#include "wb_histo.h"
#include "wb_io.h"
#include "wb_ksock.h"

/* Period of the feeds' timers in the rx loop (wb_feed_tick). */
#define WB_IO_TICK_US 20

/* A counter another thread publishes (struct wb_io_lcore_pub), read for stats. */
#define wb_io_pub_load(src) __atomic_load_n(&(src), __ATOMIC_RELAXED)

struct rte_ring;

struct wb_io_rxq {
	uint16_t port_id;
	uint16_t queue;
	uint32_t linktype;
	struct rte_ring *cap; /* capture handoff (SP: this lcore, SC: the writer), or NULL */
	uint16_t port;	      /* index in wb_io.port */
	uint8_t hwclk;	      /* enum wb_io_hwts_clock of the port: stamps to read */
};

/*
 * A NIC clock placed on the TSC: tsc = tsc0 + (nic - nic0) * tsc_per_tick.
 * Written by the main lcore (wb_io_hwclock_sync) under a sequence count
 * (odd while written), read by the rx lcore once per burst.
 */
struct wb_io_hwclk {
	_Atomic uint32_t seq;
	uint64_t nic0, tsc0;
	double tsc_per_tick; /* 0: not calibrated yet */
	/* main lcore only: the previous sample */
	uint64_t prev_nic, prev_tsc;
};

/* One channel as its owning lcore sees it. */
struct wb_io_chan_rt {
	uint32_t group;
	uint16_t udp_port;
	uint16_t vlan;
	uint16_t port_id; /* channels are per port */
	uint8_t line;
	uint8_t feed_slot; /* index in wb_io_lcore.feeds */
	uint16_t chan;	   /* global channel index */
	struct wb_feed *feed;
};

/* The counters an rx lcore publishes; written by it only. */
struct wb_io_lcore_pub {
	struct wb_io_lcore_stats s;
	uint64_t chan_packets[WB_IO_MAX_CHANNELS];
	uint64_t port_drops[WB_IO_MAX_PORTS]; /* kernel ports: SO_RXQ_OVFL drops */
	uint64_t hw_stamped[WB_IO_MAX_PORTS]; /* frames carrying a receive timestamp */
	uint64_t hw_last[WB_IO_MAX_PORTS];    /* the latest one (raw, the port's clock) */
};

/* A kernel port's socket of one channel, as its lcore polls it. */
struct wb_io_ksock {
	struct wb_ksock ks;
	uint16_t chan_slot; /* index in wb_io_lcore.chan */
	uint16_t port;	    /* index in wb_io.port */
};

struct wb_io_lcore {
	/* Set up by the main lcore before launch, read-only afterwards. */
	unsigned int lcore_id;
	struct wb_io *io;
	uint16_t nrxq;
	uint16_t nchan;
	uint16_t nfeeds;
	struct wb_io_rxq rxq[WB_IO_MAX_RXQ_PER_LCORE];
	struct wb_io_chan_rt chan[WB_IO_MAX_CHANNELS];
	struct wb_feed *feeds[WB_IO_MAX_FEEDS_PER_LCORE];
	struct rte_ring *ctl_ring; /* ARP frames to the main lcore (SP/SC), or NULL */
	int kernel;    /* polls kernel sockets (ks), not DPDK queues (rxq) */
	int poll_mode; /* enum wb_io_poll_mode, of its ports */
	int monitor;   /* adaptive: the CPU has rte_power_monitor() */
	uint16_t nks;
	struct wb_io_ksock ks[WB_IO_MAX_CHANNELS];
	struct wb_ksock_burst *kburst; /* kernel lcores: receive buffers */
	struct wb_histo *lat;	       /* WB_IO_NSTAGES, or NULL: stage timing off */
	_Atomic int lat_reset;	       /* set by readers, cleared by the lcore */
	/* Written by the rx lcore only (relaxed stores), read by anyone. */
	struct wb_io_lcore_pub pub wb_cache_aligned;
} wb_cache_aligned;

struct wb_io_port {
	struct wb_io_port_conf conf;
	uint16_t port_id;
	int socket;
	int probed;
	int started;
	int can_tx;
	struct rte_mempool *pool[WB_IO_MAX_QUEUES];
	struct rte_mempool *tx_pool;
	uint8_t mac[6];
	int hwclk;		/* enum wb_io_hwts_clock */
	struct wb_io_hwclk clk; /* hwclk NIC */
	/*
	 * net_af_packet does not read the socket's PACKET_STATISTICS: frames
	 * the kernel drops when the TPACKET ring is full are in no ethdev
	 * counter. They are the kernel interface's received frames that the
	 * PMD never delivered (wb_io_port_stats).
	 */
	char kif[32];	  /* the kernel interface behind it, "" if none */
	uint64_t kif_rx0; /* its rx_packets when the port started */
	uint64_t ipkts0;  /* the port's ipackets then */
};

#define WB_IO_MAX_REQUESTERS WB_IO_MAX_CHANNELS
#define WB_IO_REQ_RING 256   /* requests queued per feed */
#define WB_IO_REQ_PENDING 32 /* requests held while the server's MAC is resolved */

/* One queued request (a ring element: a multiple of 4 bytes). */
struct wb_io_req_item {
	uint64_t seq;
	uint16_t count;
	uint8_t session[WB_MOLD_SESSION_LEN];
	uint8_t pad[4];
};

struct wb_io_requester {
	/* Set up before launch, read-only afterwards. */
	struct wb_io_req_conf conf;
	unsigned int idx;
	int chan; /* the recovery channel */
	struct rte_ring *ring; /* the feed's rx lcore -> main lcore */
	/* Written by the feed's rx lcore only (relaxed stores). */
	struct {
		uint64_t queued, queue_full;
	} rx wb_cache_aligned;
	/* Main lcore only; stats read relaxed by telemetry (also main lcore). */
	struct {
		uint64_t sent, tx_failed, no_mac, arp_sent, arp_learnt, arp_answered;
		int arp_state;
		uint8_t mac[6];
		uint64_t arp_next_ns;	/* next who-has */
		uint64_t resolving_ns;	/* since when the MAC has been unknown */
		uint16_t ip_id;
		unsigned int npending;
		struct wb_io_req_item pending[WB_IO_REQ_PENDING];
	} ctl wb_cache_aligned;
} wb_cache_aligned;

struct wb_io {
	_Atomic int quit; /* relaxed: the rx loops only need to see it eventually */
	unsigned int nports;
	unsigned int nchan;
	unsigned int nlcores;
	int launched;
	int latency; /* wb_io_params.latency */
	uint64_t flush_tsc;
	uint64_t tick_tsc; /* feeds' timers (reorder window, requests): wb_feed_tick */
	struct wb_io_port port[WB_IO_MAX_PORTS];
	struct wb_io_chan_conf chan[WB_IO_MAX_CHANNELS];
	int chan_owner[WB_IO_MAX_CHANNELS]; /* index in lcores */
	struct wb_io_lcore *lcores;	    /* nlcores, cache-aligned (rte_zmalloc) */
	unsigned int nreq;
	struct wb_io_requester *req[WB_IO_MAX_REQUESTERS]; /* rte_zmalloc'd */
	int ts_off;	    /* rx TSC dynfield of captured frames, or -1 */
	int hwts_off;	    /* rx timestamp dynfield (PMD-written), or -1 */
	uint64_t hwts_flag; /* its ol_flags bit */
	unsigned int ncap;
	struct rte_ring *cap[WB_IO_MAX_PORTS * WB_IO_MAX_QUEUES];
	uint16_t cap_port[WB_IO_MAX_PORTS * WB_IO_MAX_QUEUES];
};

/*
 * A TSC read costs up to 40-80 ns on the project's VM, and a one-packet burst's
 * whole rx -> committed is 250-350: the read between queueing and applying
 * (t_queued), taken on every burst, sat inside the span it measured. So
 * only one burst in WB_IO_SPLIT_ONE_IN is split (t_queued read;
 * rx_to_queued and queued_to_committed recorded); the others, and only
 * they, record rx_to_committed, with no read in between. The split stages
 * are a random sample of bursts: the top bits of a per-lcore LCG pick them
 * (not a counter: where message kinds alternate, as in the latency
 * harness's add/delete stream, a fixed period would split only one kind).
 */
#define WB_IO_SPLIT_ONE_IN 8u

/* 1 if the next burst is to be split; *rng is the lcore's LCG state. */
static inline int
wb_io_rx_split(uint32_t *rng)
{
	*rng = *rng * 1664525u + 1013904223u;
	return (*rng >> 24) < 256u / WB_IO_SPLIT_ONE_IN;
}

/*
 * One burst's stage times (TSC): returned, queued (0: not split, not read),
 * committed, done.
 */
static inline void
wb_io_rx_stages(struct wb_io_lcore *lc, uint64_t t0, uint64_t t1, uint64_t t2, uint64_t t3)
{
	if (t1 != 0) {
		wb_histo_add_shared(&lc->lat[WB_IO_STAGE_QUEUED], t1 - t0);
		wb_histo_add_shared(&lc->lat[WB_IO_STAGE_COMMITTED], t2 - t1);
	} else {
		wb_histo_add_shared(&lc->lat[WB_IO_STAGE_RX_TO_COMMITTED], t2 - t0);
	}
	wb_histo_add_shared(&lc->lat[WB_IO_STAGE_SNAPSHOTS], t3 - t2);
}

/*
 * Both rx loops (DPDK and kernel sockets), every WB_IO_TICK_US: the feeds'
 * timers (reorder window, retransmission requests) run even when no packet
 * comes. One compare a loop otherwise.
 */
static inline void
wb_io_rx_tick(struct wb_io_lcore *lc, uint64_t now, uint64_t *next_tick, uint64_t tick_tsc)
{
	unsigned int i;

	if (wb_likely(now < *next_tick))
		return;
	for (i = 0; i < lc->nfeeds; i++)
		wb_feed_tick(lc->feeds[i], now);
	*next_tick = now + tick_tsc;
}

/* At a flush: empties the histograms if a reader asked. */
static inline void
wb_io_rx_stages_flush(struct wb_io_lcore *lc)
{
	unsigned int i;

	if (lc->lat == NULL || !atomic_load_explicit(&lc->lat_reset, memory_order_relaxed))
		return;
	for (i = 0; i < WB_IO_NSTAGES; i++)
		wb_histo_reset_shared(&lc->lat[i]);
	atomic_store_explicit(&lc->lat_reset, 0, memory_order_relaxed);
}

/* wb_io_stages.c: allocates an lcore's stage histograms. 0 or -errno. */
int wb_io_lcore_histos(struct wb_io_lcore *lc);
/* wb_io_kernel.c: a kernel port's channel (its socket); the port's counters. */
int wb_io_kernel_channel(struct wb_io *io, struct wb_io_lcore *lc, const struct wb_io_chan_conf *c);
void wb_io_kernel_port_stats(const struct wb_io *io, unsigned int port,
			     struct wb_io_port_stats *out);

/*
 * wb_io_hwts.c: the receive timestamp a port's frames will carry (at its
 * set-up, before rte_eth_dev_configure; 0 or -errno with text); a captured
 * frame's recorded time in ns when its port's stamps are one (pcap,
 * replay), else 0.
 */
struct rte_eth_conf;
struct rte_eth_dev_info;
struct rte_mbuf;
int wb_io_port_hwts_setup(struct wb_io *io, struct wb_io_port *p, unsigned int idx,
			  const struct rte_eth_dev_info *info, struct rte_eth_conf *conf);
uint64_t wb_io_file_ns(const struct wb_io *io, const struct wb_io_port *p,
		       const struct rte_mbuf *m);
/* wb_io_rx.c */
int wb_io_rx_main(void *arg);
/* wb_io_req.c: frees the requesters and the control rings. */
void wb_io_req_destroy(struct wb_io *io);
/* wb_io_rx_kernel.c */
int wb_io_rx_kernel_main(void *arg);

#endif /* WB_IO_PRIV_H */
