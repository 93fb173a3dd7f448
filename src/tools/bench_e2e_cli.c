/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `wirebook bench e2e`: the command line, the host checks and the rounds
 * (each receiver started afresh in every round, the order rotated), then the
 * reports. The measuring loop is in bench_e2e.c.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_e2e.h"
#include "wb_compiler.h"
#include "wb_opt.h"

static void
e2e_usage(FILE *out)
{
	fprintf(
	    out,
	    "usage: wirebook bench e2e [--receivers afpacket,afxdp,kernel,bare] [--mode "
	    "ping|rate|burst]\n"
	    "                          [--rate MSGS] [--seconds N] [--rounds N] [--json FILE]\n"
	    "                          [--plots DIR] [--md FILE] [OPTIONS]\n"
	    "  --receivers LIST  receivers to compare (default afpacket,afxdp,kernel,bare):\n"
	    "                      afpacket        wirebookd over net_af_packet\n"
	    "                      afxdp           wirebookd over net_af_xdp\n"
	    "                      kernel          wirebookd, type = kernel (UDP socket, busy)\n"
	    "                      kernel-block    the same, poll_mode = blocking\n"
	    "                      afpacket-adapt  afpacket with poll_mode = adaptive\n"
	    "                      bare            wirebook-floor: the PMD alone, marks only\n"
	    "  --mode M          ping (default), rate (open loop) or burst (rate + 10x for 1 ms\n"
	    "                    every 100 ms)\n"
	    "  --rate MSGS       messages/s in rate and burst modes (default 10000)\n"
	    "  --seconds N       measured seconds per receiver and round (default 5)\n"
	    "  --rounds N        rounds, receivers alternated in each (default 3, at most %d)\n"
	    "  --warmup-ms N     sent but not recorded at the start of each round (default 500)\n"
	    "  --json FILE       results as JSON (schema in docs/benchmarks.md)\n"
	    "  --md FILE         the Markdown table\n"
	    "  --plots DIR       .hgrm per receiver, gnuplot scripts and PNGs (needs gnuplot)\n"
	    "  --cpu-measure N   core of the measuring thread (default 0)\n"
	    "  --cpu-rx N        core of the receiver's rx lcore (default 1)\n"
	    "  --cpu-main N      core of the receiver's main lcore (default 2, or 0 on 2 cores)\n"
	    "  --wirebookd PATH  the daemon (default: next to this program, then PATH)\n"
	    "  --floor PATH      wirebook-floor (likewise)\n"
	    "  --sender S        packet (default: pre-built frames on an AF_PACKET socket)\n"
	    "                    or udp (a UDP socket: the kernel's UDP/IP stack per packet)\n"
	    "  --keep            keep the configs and logs (the directory is printed)\n"
	    "Needs root: it creates two network namespaces joined by a veth and removes\n"
	    "them at the end.\n",
	    E2E_MAX_ROUNDS);
}

static int
e2e_parse_receivers(struct e2e_opts *o, const char *list)
{
	char buf[128], *tok, *save = NULL;
	unsigned int k;

	snprintf(buf, sizeof(buf), "%s", list);
	o->nkinds = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		for (k = 0; k < E2E_NKINDS; k++)
			if (strcmp(tok, e2e_kind_name[k]) == 0)
				break;
		if (k == E2E_NKINDS) {
			fprintf(stderr, "wirebook bench e2e: --receivers: unknown receiver '%s' "
					"(afpacket, afxdp, kernel, kernel-block, afpacket-adapt, "
					"bare)\n",
				tok);
			return -1;
		}
		if (o->nkinds == E2E_NKINDS)
			return -1;
		o->kinds[o->nkinds++] = (enum e2e_kind)k;
	}
	return o->nkinds ? 0 : -1;
}

/* DIR/NAME next to this executable (build tree: ../daemon), else NAME on PATH. */
static const char *
e2e_find(const char *name, char *buf, size_t len)
{
	static const char *const rel[] = {"/../daemon/", "/"};
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	const char *path = getenv("PATH");
	unsigned int i;
	char *slash;

	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash != NULL)
			*slash = '\0';
		for (i = 0; i < WB_ARRAY_SIZE(rel); i++) {
			if (snprintf(buf, len, "%s%s%s", self, rel[i], name) >= (int)len)
				continue;
			if (access(buf, X_OK) == 0)
				return buf;
		}
	}
	while (path != NULL && *path != '\0') {
		size_t l = strcspn(path, ":");

		if (snprintf(buf, len, "%.*s/%s", (int)l, path, name) < (int)len &&
		    access(buf, X_OK) == 0)
			return buf;
		path += l + (path[l] == ':');
	}
	return NULL;
}

static void
e2e_loadavg(char *buf, size_t len)
{
	FILE *f = fopen("/proc/loadavg", "r");

	buf[0] = '\0';
	if (f != NULL) {
		if (fgets(buf, (int)len, f) == NULL)
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
}

static int
e2e_pin(unsigned int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/* The numeric options: seconds, rounds, warm-up, cores. */
static int
e2e_num_opt(struct e2e_opts *o, int ch, const char *arg)
{
	static const struct {
		int ch;
		const char *name;
		uint64_t lo, hi;
		size_t off;
	} t[] = {
	    {'s', "--seconds", 1, 3600, offsetof(struct e2e_opts, seconds)},
	    {'n', "--rounds", 1, E2E_MAX_ROUNDS, offsetof(struct e2e_opts, rounds)},
	    {'w', "--warmup-ms", 0, 60000, offsetof(struct e2e_opts, warmup_ms)},
	    {'C', "--cpu-measure", 0, CPU_SETSIZE - 1, offsetof(struct e2e_opts, cpu_measure)},
	    {'X', "--cpu-rx", 0, CPU_SETSIZE - 1, offsetof(struct e2e_opts, cpu_rx)},
	    {'A', "--cpu-main", 0, CPU_SETSIZE - 1, offsetof(struct e2e_opts, cpu_main)},
	};
	unsigned int i;
	uint64_t v;

	for (i = 0; i < WB_ARRAY_SIZE(t); i++) {
		if (t[i].ch != ch)
			continue;
		if (wb_opt_u64(t[i].name, arg, t[i].lo, t[i].hi, &v) != 0)
			return -1;
		*(unsigned int *)(void *)((char *)o + t[i].off) = (unsigned int)v;
		return 0;
	}
	return -1;
}

int
wb_bench_e2e(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"receivers", required_argument, NULL, 'R'},
	    {"mode", required_argument, NULL, 'M'},
	    {"rate", required_argument, NULL, 'r'},
	    {"seconds", required_argument, NULL, 's'},
	    {"rounds", required_argument, NULL, 'n'},
	    {"warmup-ms", required_argument, NULL, 'w'},
	    {"json", required_argument, NULL, 'j'},
	    {"md", required_argument, NULL, 'm'},
	    {"plots", required_argument, NULL, 'p'},
	    {"cpu-measure", required_argument, NULL, 'C'},
	    {"cpu-rx", required_argument, NULL, 'X'},
	    {"cpu-main", required_argument, NULL, 'A'},
	    {"wirebookd", required_argument, NULL, 'd'},
	    {"floor", required_argument, NULL, 'f'},
	    {"sender", required_argument, NULL, 'S'},
	    {"keep", no_argument, NULL, 'k'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	static struct e2e_opts o;
	static struct e2e_result res[E2E_NKINDS];
	char dpath[PATH_MAX], fpath[PATH_MAX], why[512], load0[128], load1[128];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int i, rd;
	struct wb_tsc_cal cal;
	int ch, sock, status = 0;

	memset(&o, 0, sizeof(o));
	e2e_parse_receivers(&o, "afpacket,afxdp,kernel,bare");
	o.mode = E2E_PING;
	o.rate = 10000;
	o.seconds = 5;
	o.rounds = 3;
	o.warmup_ms = 500;
	o.cpu_measure = 0;
	o.cpu_rx = 1;
	o.cpu_main = ncpu >= 3 ? 2 : 0;
	o.wirebookd = e2e_find("wirebookd", dpath, sizeof(dpath));
	o.floor = e2e_find("wirebook-floor", fpath, sizeof(fpath));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'R':
			if (e2e_parse_receivers(&o, optarg) != 0)
				return 2;
			break;
		case 'M':
			if (strcmp(optarg, "ping") == 0)
				o.mode = E2E_PING;
			else if (strcmp(optarg, "rate") == 0)
				o.mode = E2E_RATE;
			else if (strcmp(optarg, "burst") == 0)
				o.mode = E2E_BURST;
			else {
				fprintf(stderr, "wirebook bench e2e: --mode: '%s' is not ping, rate "
						"or burst\n",
					optarg);
				return 2;
			}
			break;
		case 'r':
			if (wb_opt_u64("--rate", optarg, 1, 10000000, &o.rate) != 0)
				return 2;
			break;
		case 's':
		case 'n':
		case 'w':
		case 'C':
		case 'X':
		case 'A':
			if (e2e_num_opt(&o, ch, optarg) != 0)
				return 2;
			break;
		case 'j':
			o.json = optarg;
			break;
		case 'm':
			o.md = optarg;
			break;
		case 'p':
			o.plots = optarg;
			break;
		case 'd':
			o.wirebookd = optarg;
			break;
		case 'f':
			o.floor = optarg;
			break;
		case 'S':
			if (strcmp(optarg, "packet") == 0)
				o.sender = E2E_SEND_PACKET;
			else if (strcmp(optarg, "udp") == 0)
				o.sender = E2E_SEND_UDP;
			else {
				fprintf(stderr,
					"wirebook bench e2e: --sender: '%s' is not packet or udp\n",
					optarg);
				return 2;
			}
			break;
		case 'k':
			o.keep = 1;
			break;
		case 'h':
			e2e_usage(stdout);
			return 0;
		default:
			e2e_usage(stderr);
			return 2;
		}
	}
	if (optind != argc || o.cpu_rx == o.cpu_measure || o.cpu_rx == o.cpu_main) {
		if (optind == argc)
			fprintf(stderr, "wirebook bench e2e: the rx lcore needs a core of its own\n");
		e2e_usage(stderr);
		return 2;
	}
	if (e2e_check_host(&o, why, sizeof(why)) != 0) {
		fprintf(stderr, "wirebook bench e2e: cannot run: %s\n", why);
		return 77;
	}
	snprintf(o.name, sizeof(o.name), "wbl%d", (int)getpid());
	snprintf(o.tmp, sizeof(o.tmp), "%s/wb-e2e.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(o.tmp) == NULL) {
		fprintf(stderr, "wirebook bench e2e: mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	if (e2e_testbed_create(&o) != 0) {
		fprintf(stderr, "wirebook bench e2e: cannot create the testbed (see %s/testbed.log)\n",
			o.tmp);
		return 77;
	}
	sock = e2e_sender_socket(&o, why, sizeof(why));
	if (sock < 0) {
		fprintf(stderr, "wirebook bench e2e: %s\n", why);
		e2e_testbed_destroy(&o);
		return 1;
	}
	if (e2e_pin(o.cpu_measure) != 0)
		fprintf(stderr, "wirebook bench e2e: cannot pin to core %u: %s\n", o.cpu_measure,
			strerror(errno));
	wb_tsc_calibrate(&cal, 100);
	e2e_loadavg(load0, sizeof(load0));
	fprintf(stderr,
		"wirebook bench e2e: %s, %u s x %u rounds per receiver, testbed %s, sender %s, "
		"load %s\n",
		o.mode == E2E_PING   ? "ping"
		: o.mode == E2E_RATE ? "rate"
				     : "burst",
		o.seconds, o.rounds, o.name, o.sender == E2E_SEND_PACKET ? "packet" : "udp", load0);
	for (i = 0; i < o.nkinds; i++)
		res[i].kind = o.kinds[i];
	for (rd = 0; rd < o.rounds; rd++) {
		for (i = 0; i < o.nkinds; i++) {
			unsigned int j = (i + rd) % o.nkinds;
			struct e2e_round *r = &res[j].round[rd];

			r->lat = calloc(1, sizeof(*r->lat));
			r->wire = calloc(1, sizeof(*r->wire));
			r->own = calloc(1, sizeof(*r->own));
			if (r->lat == NULL || r->wire == NULL || r->own == NULL) {
				snprintf(r->why, sizeof(r->why), "out of memory");
				continue;
			}
			wb_histo_init(r->lat);
			wb_histo_init(r->wire);
			wb_histo_init(r->own);
			e2e_round(&o, &cal, sock, o.kinds[j], r);
			res[j].nrounds = rd + 1;
			if (r->ok)
				fprintf(stderr,
					"  round %u %-8s sent %" PRIu64 " seen %" PRIu64
					" p50 %.1f us p99 %.1f us, %.0f msgs/s sent, sender "
					"%.2f us CPU a message\n",
					rd + 1, e2e_kind_name[o.kinds[j]], r->sent, r->seen,
					wb_histo_value_at(r->lat, 50.0) / 1e3,
					wb_histo_value_at(r->lat, 99.0) / 1e3, r->rate_sent,
					r->cpu_msgs ? r->sender_cpu_s * 1e6 / (double)r->cpu_msgs
						    : 0.0);
			else
				fprintf(stderr, "  round %u %-8s unavailable: %s\n", rd + 1,
					e2e_kind_name[o.kinds[j]], r->why);
		}
	}
	close(sock);
	e2e_testbed_destroy(&o);
	e2e_loadavg(load1, sizeof(load1));
	e2e_print_table(stdout, &o, res, o.nkinds);
	if (o.json != NULL && e2e_write_json(o.json, &o, res, o.nkinds, load0, load1) != 0) {
		fprintf(stderr, "wirebook bench e2e: cannot write %s\n", o.json);
		status = 1;
	}
	if (o.md != NULL) {
		FILE *f = fopen(o.md, "w");

		if (f == NULL) {
			status = 1;
		} else {
			e2e_print_table(f, &o, res, o.nkinds);
			fclose(f);
		}
	}
	if (o.plots != NULL && e2e_write_plots(o.plots, &o, res, o.nkinds) != 0)
		status = 1;
	for (i = 0; i < o.nkinds; i++) {
		int any = 0;

		for (rd = 0; rd < res[i].nrounds; rd++) {
			any |= res[i].round[rd].ok;
			free(res[i].round[rd].lat);
			free(res[i].round[rd].wire);
			free(res[i].round[rd].own);
		}
		if (!any)
			status = 1;
	}
	if (o.keep)
		fprintf(stderr, "wirebook bench e2e: configs and logs kept in %s\n", o.tmp);
	else {
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", o.tmp);
		if (system(cmd) != 0)
			fprintf(stderr, "wirebook bench e2e: could not remove %s\n", o.tmp);
	}
	return status;
}
