/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * imbalance: an order-book imbalance signal, and how late it sees the market.
 *
 *   imbalance [--name NAME] [--dir DIR] [--levels N] [--seconds S] SYMBOL...
 *
 * On every BBO change of a chosen symbol it copies the snapshot and computes
 *   imbalance = (bid shares - ask shares) / (bid shares + ask shares)
 * over the top N levels (default 5), printing it when it crosses +-0.3.
 * Every second it reports its receive latency: TSC now minus the event's
 * rx_tsc (the daemon's packet receive time), i.e. decode + book + publish +
 * shared memory + this poll, per event, from wb_client_since_ns(): the SDK
 * converts with the TSC calibration the daemon publishes in its region.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <wirebook/wirebook.h>

#define MAX_SAMPLES 65536

static volatile sig_atomic_t quit;

struct app {
	struct wb_client *c;
	struct wb_client_book book;
	unsigned int levels;
	int8_t *side; /* last signalled side per instrument id: -1, 0, +1 */
	uint32_t nside; /* the region's directory size */
	uint64_t lat[MAX_SAMPLES];
	unsigned int nlat;
	uint64_t events, signals, lapped;
};

static void
on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void
on_event(void *ctx, const struct wb_event *ev)
{
	struct app *a = ctx;
	int64_t age = wb_client_since_ns(a->c, ev->rx_tsc);
	uint64_t bid = 0, ask = 0;
	unsigned int i;
	double imb;
	int8_t s;

	if (ev->type == WB_CLIENT_EV_LAPPED) {
		a->lapped++;
		return; /* the next BBO event re-reads the snapshot anyway */
	}
	/* ids are below the region's directory size */
	if (ev->type != WB_EV_BBO || ev->instrument >= a->nside)
		return;
	a->events++;
	if (a->nlat < MAX_SAMPLES && age > 0)
		a->lat[a->nlat++] = (uint64_t)age;
	if (wb_client_book(a->c, ev->instrument, &a->book) != 0)
		return;
	for (i = 0; i < a->levels && i < a->book.nbid; i++)
		bid += a->book.bid[i].shares;
	for (i = 0; i < a->levels && i < a->book.nask; i++)
		ask += a->book.ask[i].shares;
	if (bid + ask == 0)
		return;
	imb = ((double)bid - (double)ask) / (double)(bid + ask);
	s = imb > 0.3 ? 1 : imb < -0.3 ? -1 : 0;
	if (s != a->side[ev->instrument]) {
		a->side[ev->instrument] = s;
		a->signals++;
		printf("%-8s imbalance %+.3f  (%" PRIu64 " bid / %" PRIu64
		       " ask shares, top %u)%s\n",
		       a->book.symbol, imb, bid, ask, a->levels,
		       s > 0   ? "  BUY pressure"
		       : s < 0 ? "  SELL pressure"
			       : "");
	}
}

static int
cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return (a > b) - (a < b);
}

static void
report(struct app *a)
{
	if (a->nlat == 0) {
		printf("# %" PRIu64 " BBO events, %" PRIu64 " signals, no latency samples\n",
		       a->events, a->signals);
		return;
	}
	qsort(a->lat, a->nlat, sizeof(a->lat[0]), cmp_u64);
	printf("# %" PRIu64 " BBO events, %" PRIu64 " signals, lapped %" PRIu64
	       "; receive latency (rx -> here): p50 %.0f ns  p99 %.0f ns  max %.0f ns\n",
	       a->events, a->signals, a->lapped, (double)a->lat[a->nlat / 2],
	       (double)a->lat[(size_t)a->nlat * 99 / 100], (double)a->lat[a->nlat - 1]);
	a->nlat = 0;
}

static int
usage(FILE *out, struct app *a)
{
	fprintf(out, "usage: imbalance [--name NAME] [--dir DIR] [--levels N] [--seconds S] "
		     "SYMBOL...\n       imbalance --help | --version\n");
	free(a);
	return out == stdout ? 0 : 2;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"name", required_argument, NULL, 'n'},
	    {"dir", required_argument, NULL, 'D'},
	    {"levels", required_argument, NULL, 'l'},
	    {"seconds", required_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	const char *name = WB_CLIENT_DEFAULT_NAME;
	struct wb_client_status st = WB_CLIENT_STATUS_INIT;
	struct wb_client_opts o;
	uint64_t next, end = 0;
	unsigned int spin = 0;
	struct app *a;
	int ch, i;

	a = calloc(1, sizeof(*a));
	if (a == NULL)
		return 1;
	a->book.size = sizeof(a->book);
	a->levels = 5;
	wb_client_opts_default(&o);
	while ((ch = getopt_long(argc, argv, "n:D:l:s:hV", opts, NULL)) != -1) {
		if (ch == 'n')
			name = optarg;
		else if (ch == 'D')
			o.dir = optarg;
		else if (ch == 'l')
			a->levels = (unsigned int)strtoul(optarg, NULL, 10);
		else if (ch == 's')
			end = mono_ns() + strtoull(optarg, NULL, 10) * 1000000000ull;
		else if (ch == 'h')
			return usage(stdout, a);
		else if (ch == 'V') {
			printf("imbalance (libwirebook %s)\n", wb_client_version());
			free(a);
			return 0;
		} else
			return usage(stderr, a);
	}
	if (optind >= argc || a->levels == 0 || a->levels > WB_CLIENT_MAX_DEPTH)
		return usage(stderr, a);
	a->c = wb_client_open(name, &o);
	if (a->c == NULL) {
		fprintf(stderr, "imbalance: cannot open '%s': %s\n", name, strerror(errno));
		return 1;
	}
	a->nside = wb_client_max_instruments(a->c);
	a->side = calloc(a->nside, sizeof(*a->side));
	if (a->side == NULL) {
		fprintf(stderr, "imbalance: out of memory for %u instruments\n", a->nside);
		return 1;
	}
	for (i = optind; i < argc; i++)
		if (wb_client_subscribe(a->c, argv[i]) != 0)
			fprintf(stderr, "imbalance: bad symbol '%s'\n", argv[i]);
	if (wb_client_ns_per_tick(a->c) == 0.0)
		fprintf(stderr, "imbalance: the region carries no TSC calibration: no latency\n");
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	setvbuf(stdout, NULL, _IOLBF, 0);
	next = mono_ns() + 1000000000ull;
	while (!quit) {
		wb_client_poll(a->c, on_event, a, 64);
		if (++spin % 1024 != 0 || mono_ns() < next)
			continue;
		next += 1000000000ull;
		report(a);
		wb_client_status(a->c, &st);
		if (st.state == WB_CLIENT_STOPPED || (end != 0 && mono_ns() >= end))
			break;
	}
	report(a);
	wb_client_close(a->c);
	free(a->side);
	free(a);
	return 0;
}
