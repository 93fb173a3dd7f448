/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of src/io shared by its files; nothing outside src/io includes this. */
#ifndef WB_IO_PRIV_H
#define WB_IO_PRIV_H

#include <stdatomic.h>
#include <stdint.h>

#include <rte_mempool.h>

#include "wb_compiler.h"
#include "wb_io.h"

/* Period of the feeds' timers in the rx loop (wb_feed_tick). */
#define WB_IO_TICK_US 20

struct wb_io_rxq {
	uint16_t port_id;
	uint16_t queue;
	uint32_t linktype;
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
};

struct wb_io {
	_Atomic int quit; /* relaxed: the rx loops only need to see it eventually */
	unsigned int nports;
	unsigned int nchan;
	unsigned int nlcores;
	int launched;
	uint64_t flush_tsc;
	uint64_t tick_tsc; /* feeds' timers (reorder window, requests): wb_feed_tick */
	struct wb_io_port port[WB_IO_MAX_PORTS];
	struct wb_io_chan_conf chan[WB_IO_MAX_CHANNELS];
	int chan_owner[WB_IO_MAX_CHANNELS]; /* index in lcores */
	struct wb_io_lcore *lcores;	    /* nlcores, cache-aligned (rte_zmalloc) */
};

/* wb_io_rx.c */
int wb_io_rx_main(void *arg);

#endif /* WB_IO_PRIV_H */
