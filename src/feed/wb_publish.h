/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The adapter from a feed to the shared-memory region: installed as the
 * feed's sink, it pushes every event into the broadcast ring (never waiting
 * for a reader) and, at the end of each receive burst, rewrites the L2
 * snapshots and directory entries of the instruments that burst changed.
 *
 * Threads: wb_publisher_attach() and the feed callbacks run on the rx lcore
 * that owns the feed(s); wb_publisher_heartbeat() and wb_publisher_set_state()
 * on the main lcore. A region publishes one feed: its directory, snapshots
 * and events are indexed by the feed's stock locates, which every exchange
 * numbers from 1, so two feeds in one region overwrote each other's
 * instruments. A daemon with N feeds publishes N regions (wirebookd.c).
 */
#ifndef WB_PUBLISH_H
#define WB_PUBLISH_H

#include <stdint.h>

#include "wb_feed.h"
#include "wb_shm.h"

struct wb_publish_params {
	const char *name;	  /* region name: DIR/wirebook.NAME */
	uint32_t ring_slots;	  /* power of two (default 1 << 16) */
	uint32_t depth;		  /* snapshot levels per side (default 10, at most 64) */
	uint32_t max_instruments; /* directory size (default 65536) */
	const char *dir;	  /* NULL: hugetlbfs if mounted, else /dev/shm */
	int gid;		  /* group of the files, -1 keep */
	int numa_node;		  /* -1: no preference */
	double tsc_ns_per_tick;	  /* TSC calibration published for clients; 0: none */
};

struct wb_publisher;

void wb_publish_params_default(struct wb_publish_params *p);
/* Creates the region (state STARTING). NULL + errno + wb_err_msg() on failure. */
struct wb_publisher *wb_publisher_create(const struct wb_publish_params *p);
/*
 * Installs the publisher as f's sink and gives f the region's channel entry.
 * 0, or -EBUSY (with wb_err_msg()) when the region already publishes a feed.
 */
int wb_publisher_attach(struct wb_publisher *pub, struct wb_feed *f) wb_warn_unused;
/*
 * Writes the directory entry and snapshot of every known instrument of the
 * attached feed: for books built before the publisher was attached
 * (`wirebookd --replay --from`). Called by the feed's writer.
 */
void wb_publisher_sync(struct wb_publisher *pub);
/* Main lcore, about every millisecond: advances the heartbeat and the clock anchor. */
void wb_publisher_heartbeat(struct wb_publisher *pub);
/* WB_SHM_STATE_STARTING, _LIVE or _STOPPED. */
void wb_publisher_set_state(struct wb_publisher *pub, int state);
/*
 * Marks the region STOPPED and unmaps it; the files stay for `wirebook book`.
 * The attached feeds must not be driven afterwards (or get another sink first).
 */
void wb_publisher_destroy(struct wb_publisher *pub);

/* The mapped region (tests, benchmarks). */
const struct wb_shm *wb_publisher_shm(const struct wb_publisher *pub);
/* Events pushed into the ring so far. */
uint64_t wb_publisher_events(const struct wb_publisher *pub);

#endif /* WB_PUBLISH_H */
