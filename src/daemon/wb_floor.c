/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wirebook-floor: the bare PMD, the floor every receiver is compared with.
 *
 * One port, one rx queue, one rx lcore that does nothing but what any DPDK
 * receiver must: rte_eth_rx_burst(), read the TSC once per burst, find the
 * UDP payload (wb_net_udp), and write each datagram's MoldUDP64 sequence
 * number and that TSC into a mark region (src/shm/wb_mark.h), committed once
 * per burst, then free the burst. No session, no decoding, no book, no
 * event. What wirebookd costs on top of this is what wirebook costs.
 *
 * usage: wirebook-floor --vdev DEVARGS --name NAME [--lcores MAIN,RX]
 *                       [--file-prefix P] [--udp-port N] [--memory MB]
 * Runs until SIGINT or SIGTERM; prints "wirebook-floor: running" once the
 * port is started and "wirebook-floor: stopping: rx N marked M other K"
 * at the end.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "wb_io.h"
#include "wb_mark.h"
#include "wb_net.h"
#include "wb_tsc.h"

#define FLOOR_BURST 32
#define FLOOR_MOLD_HDR 20 /* session[10] seq[8] count[2] */

static volatile sig_atomic_t floor_signal;
static _Atomic int floor_quit;

struct floor_rx {
	uint16_t port;
	uint16_t udp_port; /* 0: any */
	struct wb_mark mark;
	uint64_t packets, marked, other;
};

static void
floor_on_signal(int sig)
{
	floor_signal = sig;
}

static int
floor_rx_main(void *arg)
{
	struct floor_rx *f = arg;
	struct rte_mbuf *pkts[FLOOR_BURST];
	struct wb_udp_view v;
	uint64_t other = 0;
	unsigned int i, n;

	while (!atomic_load_explicit(&floor_quit, memory_order_relaxed)) {
		uint64_t now;

		n = rte_eth_rx_burst(f->port, 0, pkts, FLOOR_BURST);
		if (n == 0)
			continue;
		now = rte_rdtsc();
		f->packets += n;
		for (i = 0; i < n; i++) {
			struct rte_mbuf *m = pkts[i];

			if (m->nb_segs != 1 ||
			    wb_net_udp(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len, 1, &v) < 0 ||
			    (f->udp_port != 0 && v.dst_port != f->udp_port) ||
			    v.len < FLOOR_MOLD_HDR) {
				other++;
				continue;
			}
			wb_mark_put(&f->mark, wb_be64(v.payload + 10), now);
			f->marked++;
		}
		wb_mark_commit(&f->mark);
		atomic_store_explicit(&f->mark.hdr->other, other, memory_order_relaxed);
		rte_pktmbuf_free_bulk(pkts, n);
	}
	f->other = other;
	return 0;
}

static int
floor_port(uint16_t port, unsigned int socket)
{
	struct rte_eth_conf conf;
	struct rte_mempool *mp;
	uint16_t nrx = 1024, ntx = 512;
	int rc;

	memset(&conf, 0, sizeof(conf));
	mp = rte_pktmbuf_pool_create("floor_rx", 16383, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				     (int)socket);
	if (mp == NULL) {
		fprintf(stderr, "wirebook-floor: mempool: %s\n", rte_strerror(rte_errno));
		return -1;
	}
	rc = rte_eth_dev_configure(port, 1, 1, &conf);
	if (rc == 0)
		rc = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nrx, &ntx);
	if (rc == 0)
		rc = rte_eth_rx_queue_setup(port, 0, nrx, socket, NULL, mp);
	if (rc == 0)
		rc = rte_eth_tx_queue_setup(port, 0, ntx, socket, NULL);
	if (rc == 0)
		rc = rte_eth_dev_start(port);
	if (rc != 0) {
		fprintf(stderr, "wirebook-floor: port %u: %s\n", port, rte_strerror(-rc));
		return -1;
	}
	rte_eth_promiscuous_enable(port);
	rte_eth_allmulticast_enable(port);
	return 0;
}

static void
floor_usage(FILE *out)
{
	fprintf(out, "usage: wirebook-floor --vdev DEVARGS --name NAME [--lcores MAIN,RX]\n"
		     "                      [--file-prefix P] [--udp-port N] [--memory MB]\n"
		     "  --vdev DEVARGS     the port, e.g. net_af_packet0,iface=eth1\n"
		     "  --name NAME        mark region /dev/shm/wirebook-mark.NAME\n"
		     "  --lcores MAIN,RX   main and rx lcore (default 0,1)\n"
		     "  --file-prefix P    EAL file prefix (default wirebook-floor)\n"
		     "  --udp-port N       mark only datagrams to this port (default any)\n"
		     "  --memory MB        EAL memory, no huge pages (default 256)\n"
		     "  --help, --version  this text, the version\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"vdev", required_argument, NULL, 'v'},   {"name", required_argument, NULL, 'n'},
	    {"lcores", required_argument, NULL, 'l'}, {"file-prefix", required_argument, NULL, 'f'},
	    {"udp-port", required_argument, NULL, 'u'}, {"memory", required_argument, NULL, 'm'},
	    {"help", no_argument, NULL, 'h'},	      {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	const char *vdev = NULL, *name = NULL, *prefix = "wirebook-floor", *mem = "256";
	unsigned int main_lc = 0, rx_lc = 1;
	static struct floor_rx f;
	struct wb_tsc_cal cal;
	struct sigaction sa;
	char lcores[32], main_s[16];
	char *eal[16];
	int c, n = 0, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			vdev = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'l':
			if (sscanf(optarg, "%u,%u", &main_lc, &rx_lc) != 2 || main_lc == rx_lc ||
			    main_lc >= RTE_MAX_LCORE || rx_lc >= RTE_MAX_LCORE) {
				fprintf(stderr, "wirebook-floor: --lcores: '%s' is not MAIN,RX\n",
					optarg);
				return 2;
			}
			break;
		case 'f':
			prefix = optarg;
			break;
		case 'u':
			f.udp_port = (uint16_t)strtoul(optarg, NULL, 10);
			break;
		case 'm':
			mem = optarg;
			break;
		case 'h':
			floor_usage(stdout);
			return 0;
		case 'V':
			printf("wirebook-floor %s\n", WB_VERSION);
			return 0;
		default:
			floor_usage(stderr);
			return 2;
		}
	}
	if (vdev == NULL || name == NULL || optind != argc) {
		floor_usage(stderr);
		return 2;
	}
	snprintf(lcores, sizeof(lcores), "%u,%u", main_lc, rx_lc);
	snprintf(main_s, sizeof(main_s), "%u", main_lc);
	eal[n++] = argv[0];
	eal[n++] = "-l";
	eal[n++] = lcores;
	eal[n++] = "--main-lcore";
	eal[n++] = main_s;
	eal[n++] = "--file-prefix";
	eal[n++] = (char *)prefix;
	eal[n++] = "--no-huge";
	eal[n++] = "-m";
	eal[n++] = (char *)mem;
	eal[n++] = "--no-pci";
	eal[n++] = "--vdev";
	eal[n++] = (char *)vdev;
	eal[n++] = "--log-level";
	eal[n++] = "*:warning";
	eal[n] = NULL;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = floor_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (rte_eal_init(n, eal) < 0) {
		fprintf(stderr, "wirebook-floor: EAL init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	rc = 1;
	if (rte_eth_dev_count_avail() == 0) {
		fprintf(stderr, "wirebook-floor: no port from --vdev %s\n", vdev);
		goto out;
	}
	f.port = 0;
	wb_tsc_calibrate(&cal, 50);
	/* the port first: the mark region's existence says "receiving" */
	if (floor_port(f.port, (unsigned int)rte_socket_id()) != 0)
		goto out_port;
	if (wb_mark_create(&f.mark, NULL, name, 1u << 20, cal.ns_per_tick) != 0) {
		fprintf(stderr, "wirebook-floor: cannot create the mark region '%s'\n", name);
		goto out_port;
	}
	if (rte_eal_remote_launch(floor_rx_main, &f, rx_lc) != 0) {
		fprintf(stderr, "wirebook-floor: cannot launch lcore %u\n", rx_lc);
		goto out_mark;
	}
	fprintf(stderr, "wirebook-floor: running: %s, rx lcore %u, marks in %s\n", vdev, rx_lc,
		f.mark.path);
	while (floor_signal == 0)
		usleep(100000);
	atomic_store_explicit(&floor_quit, 1, memory_order_relaxed);
	rte_eal_wait_lcore(rx_lc);
	fprintf(stderr, "wirebook-floor: stopping: rx %" PRIu64 " marked %" PRIu64 " other %" PRIu64 "\n",
		f.packets, f.marked, f.other);
	rc = 0;
out_mark:
	wb_mark_close(&f.mark);
	wb_mark_unlink(NULL, name);
out_port:
	rte_eth_dev_stop(f.port);
	rte_eth_dev_close(f.port);
out:
	wb_io_eal_cleanup();
	return rc;
}
