/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-burst stage histograms of the rx lcores ([daemon] latency): set-up and
 * the readers (telemetry, the harness). The lcores record with
 * wb_io_rx_stages() (wb_io_priv.h).
 */
#include <errno.h>
#include <stdatomic.h>

#include <rte_lcore.h>
#include <rte_malloc.h>

#include "wb_err.h"
#include "wb_io_priv.h"

const char *const wb_io_stage_name[WB_IO_NSTAGES] = {"rx_to_queued", "queued_to_committed",
						     "committed_to_snapshots", "rx_to_committed",
						     "nic_to_rx"};

int
wb_io_lcore_histos(struct wb_io_lcore *lc)
{
	unsigned int i;

	lc->lat = rte_zmalloc_socket("wb_io_lat", sizeof(*lc->lat) * WB_IO_NSTAGES,
				     RTE_CACHE_LINE_SIZE, (int)rte_lcore_to_socket_id(lc->lcore_id));
	if (lc->lat == NULL)
		return wb_err_set(ENOMEM, "lcore %u: no memory for stage histograms", lc->lcore_id);
	for (i = 0; i < WB_IO_NSTAGES; i++)
		wb_histo_init(&lc->lat[i]);
	return 0;
}

int
wb_io_latency(const struct wb_io *io, unsigned int stage, struct wb_histo *out)
{
	unsigned int i;

	if (!io->latency || stage >= WB_IO_NSTAGES)
		return -ENOENT;
	for (i = 0; i < io->nlcores; i++)
		if (io->lcores[i].lat != NULL)
			wb_histo_merge_shared(out, &io->lcores[i].lat[stage]);
	return 0;
}

void
wb_io_latency_reset(struct wb_io *io)
{
	unsigned int i;

	for (i = 0; i < io->nlcores; i++)
		atomic_store_explicit(&io->lcores[i].lat_reset, 1, memory_order_relaxed);
}
