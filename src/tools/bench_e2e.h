/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `wirebook bench e2e`: packet on the wire -> event in the strategy, for
 * several receivers of the same packets, in one run.
 *
 * bench_e2e_cli.c  options, host checks, rounds, reports
 * bench_e2e.c      the measuring loop (exchange + strategy) of one round
 * bench_e2e_rx.c   the testbed (two namespaces, a veth) and the receivers
 * bench_e2e_out.c  statistics of rounds, JSON, Markdown, .hgrm, gnuplot
 */
#ifndef BENCH_E2E_H
#define BENCH_E2E_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "wb_histo.h"
#include "wb_mark.h"
#include "wb_tsc.h"
#include "wirebook/wirebook.h"

enum e2e_kind {
	E2E_AFPACKET, /* wirebookd, net_af_packet, busy poll */
	E2E_AFXDP,    /* wirebookd, net_af_xdp, busy poll */
	E2E_KERNEL,   /* wirebookd, type = kernel: UDP sockets, busy recvmmsg */
	E2E_BARE,     /* wirebook-floor over net_af_packet */
	E2E_KBLOCK,   /* wirebookd, type = kernel, poll_mode = blocking */
	E2E_ADAPTIVE, /* wirebookd, net_af_packet, poll_mode = adaptive */
	E2E_NKINDS
};
enum e2e_mode { E2E_PING, E2E_RATE, E2E_BURST };

#define E2E_MAX_ROUNDS 15
#define E2E_DSTAGES 4 /* wirebookd's /wirebook/latency stages */
#define E2E_GROUP "239.99.0.1"
#define E2E_UDP_PORT 26499
#define E2E_SRC_PORT 26498
#define E2E_HDR_LEN 42 /* Ethernet, IPv4, UDP: the packet sender's frame header */

/* How the measuring thread sends (--sender). */
enum e2e_sender {
	E2E_SEND_PACKET, /* pre-built Ethernet frames on an AF_PACKET socket, qdisc bypassed */
	E2E_SEND_UDP,	 /* a UDP socket: the kernel's UDP/IP stack and routing per packet */
};

struct e2e_opts {
	enum e2e_kind kinds[E2E_NKINDS];
	unsigned int nkinds;
	enum e2e_mode mode;
	uint64_t rate; /* messages/s, rate and burst modes */
	unsigned int seconds, rounds, warmup_ms;
	const char *json, *plots, *md;
	const char *wirebookd, *floor; /* executables */
	unsigned int cpu_measure, cpu_main, cpu_rx;
	int keep; /* keep the testbed's logs */
	enum e2e_sender sender;
	uint8_t hdr[E2E_HDR_LEN]; /* E2E_SEND_PACKET: the frames' headers (lengths and
				     IP checksum filled per packet) */
	char name[16]; /* wbl<pid>: netns, interfaces, regions, file prefixes */
	char tmp[256]; /* configs and logs */
};

/* One receiver measured for one round. */
struct e2e_round {
	int ok;
	char why[256]; /* when !ok: what was missing */
	uint64_t sent, seen, lost, dup;
	uint64_t send_errors;
	double rate_sent;  /* messages/s actually sent in the measured part */
	double seconds;	   /* measured part */
	double cpu_s;	   /* receiver CPU time (user + system), warm-up included */
	uint64_t cpu_msgs; /* messages sent over the same time */
	double sender_cpu_s;   /* the measuring thread's CPU time over the sending loop */
	struct wb_histo *lat;  /* scheduled send -> seen by the strategy, ns */
	struct wb_histo *wire; /* scheduled send -> receiver's rx burst returned, ns */
	struct wb_histo *own;  /* rx burst returned -> seen by the strategy, ns */
	/* wirebookd's own stage histograms (/wirebook/latency), measured part */
	int dstages;			/* 1: read */
	double dstage[E2E_DSTAGES][4];	/* count, p50, p99, p99.9 (ns) */
};

/* A started receiver. */
struct e2e_rx {
	enum e2e_kind kind;
	pid_t pid;
	struct wb_client *client; /* wirebookd receivers */
	struct wb_mark mark;	  /* the floor */
	int has_mark;
	double ns_per_tick; /* the receiver's TSC calibration (0: use ours) */
	char log[300];
};

extern const char *const e2e_kind_name[E2E_NKINDS];
extern const char *const e2e_dstage_name[E2E_DSTAGES];

/* bench_e2e.c: one receiver, one round, into r (r->ok, or r->why). */
void e2e_round(const struct e2e_opts *o, const struct wb_tsc_cal *cal, int sock, enum e2e_kind k,
	       struct e2e_round *r);

/* bench_e2e_rx.c */
int e2e_check_host(const struct e2e_opts *o, char *why, size_t len);
int e2e_testbed_create(const struct e2e_opts *o);
void e2e_testbed_destroy(const struct e2e_opts *o);
/*
 * Socket in the exchange namespace: UDP connected to the group, or
 * (E2E_SEND_PACKET) AF_PACKET bound to the veth, o->hdr filled. -1 with why.
 */
int e2e_sender_socket(struct e2e_opts *o, char *why, size_t len);
int e2e_rx_start(const struct e2e_opts *o, enum e2e_kind k, struct e2e_rx *rx, char *why,
		 size_t len);
void e2e_rx_stop(const struct e2e_opts *o, struct e2e_rx *rx);
/* wirebookd receivers: empty their stage histograms / read them into r. 0 or -1. */
int e2e_rx_stages_reset(const struct e2e_opts *o, const struct e2e_rx *rx);
int e2e_rx_stages_read(const struct e2e_opts *o, const struct e2e_rx *rx, struct e2e_round *r);
/* Receiver CPU time so far (user + system), seconds; -1 unknown. */
double e2e_rx_cpu(const struct e2e_rx *rx);

/* bench_e2e_out.c */
struct e2e_result {
	enum e2e_kind kind;
	unsigned int nrounds;
	struct e2e_round round[E2E_MAX_ROUNDS];
};
void e2e_print_table(FILE *out, const struct e2e_opts *o, const struct e2e_result *res,
		     unsigned int n);
int e2e_write_json(const char *path, const struct e2e_opts *o, const struct e2e_result *res,
		   unsigned int n, const char *load_before, const char *load_after);
int e2e_write_plots(const char *dir, const struct e2e_opts *o, const struct e2e_result *res,
		    unsigned int n);
void e2e_host_print(FILE *out);

/* bench_e2e_cli.c: `wirebook bench e2e`. */
int wb_bench_e2e(int argc, char **argv);

#endif /* BENCH_E2E_H */
