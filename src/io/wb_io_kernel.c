/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kernel ports' set-up and counters: a socket per channel on the channel's
 * lcore (src/ksock), what they received and what the kernel dropped.
 */
#include <errno.h>

#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "wb_err.h"
#include "wb_io_priv.h"

int
wb_io_kernel_channel(struct wb_io *io, struct wb_io_lcore *lc, const struct wb_io_chan_conf *c)
{
	struct wb_io_ksock *k = &lc->ks[lc->nks];
	int rc;

	if (c->group == 0 || c->udp_port == 0)
		return wb_err_set(EINVAL, "a kernel port's channel needs a group and a "
					  "udp_port (a socket binds them)");
	if (lc->kburst == NULL) {
		lc->kburst = rte_zmalloc_socket("wb_io_kburst", sizeof(*lc->kburst),
						RTE_CACHE_LINE_SIZE,
						(int)rte_lcore_to_socket_id(lc->lcore_id));
		if (lc->kburst == NULL)
			return wb_err_set(ENOMEM, "no memory for kernel receive buffers");
		wb_ksock_burst_init(lc->kburst);
	}
	rc = wb_ksock_open(&k->ks, io->port[c->port].conf.iface, c->group, c->udp_port,
			   lc->poll_mode == WB_IO_POLL_BUSY ? 50 : 0, 8 << 20);
	if (rc != 0)
		return rc;
	k->chan_slot = lc->nchan;
	k->port = (uint16_t)c->port;
	lc->nks++;
	return 0;
}

void
wb_io_kernel_port_stats(const struct wb_io *io, unsigned int port, struct wb_io_port_stats *out)
{
	unsigned int i, k;

	/* what its sockets received and what the kernel dropped for them */
	for (i = 0; i < io->nlcores; i++) {
		const struct wb_io_lcore *lc = &io->lcores[i];

		for (k = 0; k < lc->nks; k++)
			if (lc->ks[k].port == port)
				out->ipackets += wb_io_pub_load(
				    lc->pub.chan_packets[lc->chan[lc->ks[k].chan_slot].chan]);
		out->imissed += wb_io_pub_load(lc->pub.port_drops[port]);
	}
}
