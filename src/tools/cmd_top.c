/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `wirebook top [--name NAME] [--dir DIR] [--interval MS] [--once] [SYMBOL...]`:
 * a live view of a daemon through its shared memory: state and heartbeat,
 * event and message rates, per-channel health, reader lag, and the best bid
 * and offer of the chosen symbols. Rates are deltas over one interval, so
 * --once samples twice, `interval` apart, and prints one frame.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wb_cmd.h"
#include "wb_dump.h"
#include "wb_opt.h"
#include "wirebook/wirebook.h"

struct top_sample {
	struct wb_client_status st;
	struct wb_client_channel ch[8];
	int nch;
	struct timespec ts;
};

static void
top_sample(struct wb_client *c, struct top_sample *s)
{
	wb_client_status(c, &s->st);
	s->nch = wb_client_channels(c, s->ch, 8);
	clock_gettime(CLOCK_MONOTONIC, &s->ts);
}

static double
top_rate(uint64_t a, uint64_t b, double secs)
{
	return secs > 0 && b >= a ? (double)(b - a) / secs : 0.0;
}

static const char *
top_state(int s)
{
	return s == WB_CLIENT_LIVE	 ? "LIVE"
	       : s == WB_CLIENT_STARTING ? "STARTING"
	       : s == WB_CLIENT_STOPPED	 ? "STOPPED"
					 : "?";
}

static void
top_frame(struct wb_client *c, const char *name, const struct top_sample *p,
	  const struct top_sample *s, char **syms, int nsyms)
{
	double secs =
	    (double)(s->ts.tv_sec - p->ts.tv_sec) + (double)(s->ts.tv_nsec - p->ts.tv_nsec) / 1e9;
	struct wb_client_reader rd[16];
	struct wb_client_book *b;
	char bp[24], ap[24];
	int i, n;

	printf("wirebook %s  pid %u  %s%s  heartbeat %.1f ms ago  epoch %" PRIu64 "\n", name,
	       s->st.pid, top_state(s->st.state), s->st.alive ? "" : " (not alive)",
	       (double)s->st.heartbeat_age_ns / 1e6, s->st.epoch_ns);
	printf("events %" PRIu64 "  %.0f/s   bursts %.0f/s   snapshots %.0f/s   ring %u  depth %u"
	       "%s\n",
	       s->st.tail, top_rate(p->st.tail, s->st.tail, secs),
	       top_rate(p->st.bursts, s->st.bursts, secs),
	       top_rate(p->st.snapshots, s->st.snapshots, secs), s->st.ring_slots, s->st.depth,
	       s->st.feed_stale ? "   STALE" : "");
	printf("\n%-4s %12s %12s %12s %8s %8s %10s %6s\n", "chan", "msgs/s", "datagrams",
	       "messages", "gaps", "lost", "bad", "state");
	for (i = 0; i < s->nch; i++) {
		const struct wb_client_channel *x = &s->ch[i];
		uint64_t pm = i < p->nch ? p->ch[i].messages : x->messages;

		printf("%-4u %12.0f %12" PRIu64 " %12" PRIu64 " %8" PRIu64 " %8" PRIu64
		       " %10" PRIu64 " %6s\n",
		       x->id, top_rate(pm, x->messages, secs), x->datagrams, x->messages, x->gaps,
		       x->gap_msgs, x->bad_packets + x->bad_messages, x->stale ? "STALE" : "ok");
	}
	n = wb_client_readers(c, rd, 16);
	if (n > 0) {
		printf("\n%-8s %12s %10s %8s\n", "reader", "delivered", "lag", "lapped");
		for (i = 0; i < n; i++)
			printf("%-8u %12" PRIu64 " %10" PRIu64 " %8" PRIu64 "\n", rd[i].pid,
			       rd[i].delivered, rd[i].lag, rd[i].lapped);
	}
	if (nsyms == 0)
		return;
	b = malloc(sizeof(*b));
	if (b == NULL)
		return;
	printf("\n%-8s %10s %14s %14s %10s\n", "symbol", "bid qty", "bid", "ask", "ask qty");
	for (i = 0; i < nsyms; i++) {
		int loc = wb_client_lookup(c, syms[i]);

		if (loc < 0 || wb_client_book(c, (uint16_t)loc, b) != 0) {
			printf("%-8s %10s\n", syms[i], "(unknown)");
			continue;
		}
		printf("%-8s %10" PRIu64 " %14s %14s %10" PRIu64 "%s\n", b->symbol,
		       b->nbid ? b->bid[0].shares : 0,
		       b->nbid ? wb_dump_price(bp, b->bid[0].price) : "-",
		       b->nask ? wb_dump_price(ap, b->ask[0].price) : "-",
		       b->nask ? b->ask[0].shares : 0, b->stale ? "  stale" : "");
	}
	free(b);
}

static void
top_sleep_ms(uint64_t ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static int
top_usage(FILE *f)
{
	fprintf(f, "usage: wirebook top [--name NAME] [--dir DIR] [--interval MS] [--once] "
		   "[SYMBOL...]\n");
	return f == stdout ? 0 : 2;
}

int
wb_cmd_top(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"name", required_argument, NULL, 'n'},	{"dir", required_argument, NULL, 'D'},
	    {"interval", required_argument, NULL, 'i'}, {"once", no_argument, NULL, '1'},
	    {"help", no_argument, NULL, 'h'},		{NULL, 0, NULL, 0},
	};
	const char *name = WB_CLIENT_DEFAULT_NAME;
	struct top_sample a, b;
	struct wb_client_opts co;
	struct wb_client *c;
	uint64_t interval = 1000;
	int ch, once = 0;

	wb_client_opts_default(&co);
	co.no_register = 1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "n:D:i:1h", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			name = optarg;
			break;
		case 'D':
			co.dir = optarg;
			break;
		case 'i':
			if (wb_opt_u64("--interval", optarg, 1, 60000, &interval) != 0)
				return 2;
			break;
		case '1':
			once = 1;
			break;
		case 'h':
			return top_usage(stdout);
		default:
			return top_usage(stderr);
		}
	}
	c = wb_client_open(name, &co);
	if (c == NULL) {
		fprintf(stderr, "wirebook top: cannot open region '%s': %s\n", name,
			strerror(errno));
		return 1;
	}
	top_sample(c, &a);
	for (;;) {
		top_sleep_ms(interval);
		top_sample(c, &b);
		if (!once)
			printf("\033[H\033[2J");
		top_frame(c, name, &a, &b, argv + optind, argc - optind);
		fflush(stdout);
		if (once)
			break;
		a = b;
	}
	wb_client_close(c);
	return 0;
}
