/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bbo_print: prints every best bid/offer change of the chosen symbols, one
 * line each under a header: symbol, bid size and price, ask price and size,
 * the exchange time of the message that changed it and its feed sequence.
 *
 *   bbo_print [--name NAME] [--dir DIR] [--count N] [--wait SECONDS] [SYMBOL...]
 *
 * --wait keeps trying to attach for that long, so the strategy can be
 * started before the daemon and see the feed from its first message.
 *
 * A minimal libwirebook strategy: open, subscribe, poll, and resynchronise
 * from the snapshots when lapped. Exits on SIGINT, when the daemon stops,
 * or after N lines.
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

static volatile sig_atomic_t quit;

struct app {
	struct wb_client *c;
	struct wb_client_book book;
	char sym[65536][WB_CLIENT_SYMBOL_LEN];
	int8_t exp[65536]; /* each instrument's price exponent, with its symbol */
	uint64_t last_seq[65536];
	uint64_t lines, max_lines;
};

static void
on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

/* A price of 10^exp units with -exp decimals (prices are integers with the
 * instrument's exponent: -4 for US equities). */
static void
px(char *buf, size_t len, int64_t p, int exp, uint64_t qty)
{
	uint64_t m = p < 0 ? -(uint64_t)p : (uint64_t)p, scale = 1;
	int d = exp < 0 ? (exp < -18 ? 18 : -exp) : 0, i;

	for (i = 0; i < d; i++)
		scale *= 10;
	if (qty == 0)
		snprintf(buf, len, "-");
	else if (d == 0)
		snprintf(buf, len, "%s%" PRIu64, p < 0 ? "-" : "", m);
	else
		snprintf(buf, len, "%s%" PRIu64 ".%0*" PRIu64, p < 0 ? "-" : "", m / scale, d,
			 m % scale);
}

static const char *
symbol(struct app *a, uint32_t loc)
{
	if (a->sym[loc][0] == '\0' && wb_client_book(a->c, loc, &a->book) == 0) {
		memcpy(a->sym[loc], a->book.symbol, WB_CLIENT_SYMBOL_LEN);
		a->exp[loc] = a->book.price_exp;
	}
	return a->sym[loc][0] ? a->sym[loc] : "?";
}

/* ITCH time, nanoseconds since midnight, as HH:MM:SS.nnnnnnnnn. */
static const char *
exch_time(char *buf, size_t len, uint64_t ns)
{
	uint64_t s = ns / 1000000000u;

	snprintf(buf, len, "%02u:%02u:%02u.%09u", (unsigned int)(s / 3600),
		 (unsigned int)(s / 60 % 60), (unsigned int)(s % 60),
		 (unsigned int)(ns % 1000000000u));
	return buf;
}

static void
print_bbo(struct app *a, uint32_t loc, uint64_t bq, int64_t bp, int64_t ap, uint64_t aq,
	  uint64_t exch_ts, uint64_t seq, const char *why)
{
	char b[48], s[48], t[32];
	const char *sym = symbol(a, loc);

	if (a->max_lines != 0 && a->lines >= a->max_lines)
		return;
	if (a->lines == 0)
		printf("%-8s %10s %12s    %12s %10s  %-18s %10s\n", "# symbol", "bid size", "bid",
		       "ask", "ask size", "exchange time", "sequence");
	px(b, sizeof(b), bp, a->exp[loc], bq);
	px(s, sizeof(s), ap, a->exp[loc], aq);
	printf("%-8s %10" PRIu64 " %12s  x %12s %10" PRIu64 "  %-18s %10" PRIu64 "%s\n",
	       sym, bq, b, s, aq, exch_time(t, sizeof(t), exch_ts), seq, why);
	a->lines++;
}

/* After a lap: the snapshots are the truth up to their last_seq. */
static void
resync(struct app *a)
{
	uint32_t loc, max = wb_client_max_instruments(a->c);

	for (loc = 1; loc < max; loc++) {
		if (a->last_seq[loc] == 0 || wb_client_book(a->c, loc, &a->book) != 0)
			continue;
		a->last_seq[loc] = a->book.last_seq;
		print_bbo(a, loc, a->book.nbid ? a->book.bid[0].shares : 0,
			  a->book.bid[0].price, a->book.ask[0].price,
			  a->book.nask ? a->book.ask[0].shares : 0, a->book.exch_ts, a->book.last_seq,
			  "  (resync)");
	}
}

static void
on_event(void *ctx, const struct wb_event *ev)
{
	struct app *a = ctx;

	if (ev->type == WB_CLIENT_EV_LAPPED) {
		fprintf(stderr, "bbo_print: lapped, %" PRIu64 " events skipped\n", ev->u.gap.count);
		resync(a);
		return;
	}
	if (ev->type == WB_EV_GAP) {
		fprintf(stderr, "bbo_print: feed gap of %" PRIu64 " messages\n", ev->u.gap.count);
		return;
	}
	/* ids are below the region's directory size, at most 65536 */
	if (ev->type != WB_EV_BBO || ev->instrument >= 65536 ||
	    ev->seq < a->last_seq[ev->instrument])
		return;
	a->last_seq[ev->instrument] = ev->seq;
	print_bbo(a, ev->instrument, ev->u.bbo.bid_qty, ev->u.bbo.bid_px, ev->u.bbo.ask_px,
		  ev->u.bbo.ask_qty, ev->exch_ts, ev->seq, "");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"name", required_argument, NULL, 'n'},
	    {"dir", required_argument, NULL, 'D'},
	    {"count", required_argument, NULL, 'c'},
	    {"wait", required_argument, NULL, 'w'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	const char *name = WB_CLIENT_DEFAULT_NAME;
	struct wb_client_status st = WB_CLIENT_STATUS_INIT;
	struct wb_client_opts o;
	struct app *a;
	unsigned int idle = 0;
	double wait_s = 0;
	int ch, i;

	a = calloc(1, sizeof(*a));
	if (a == NULL)
		return 1;
	a->book.size = sizeof(a->book);
	wb_client_opts_default(&o);
	while ((ch = getopt_long(argc, argv, "n:D:c:w:hV", opts, NULL)) != -1) {
		if (ch == 'n')
			name = optarg;
		else if (ch == 'D')
			o.dir = optarg;
		else if (ch == 'c')
			a->max_lines = strtoull(optarg, NULL, 10);
		else if (ch == 'w')
			wait_s = strtod(optarg, NULL);
		else if (ch == 'V') {
			printf("bbo_print (libwirebook %s)\n", wb_client_version());
			free(a);
			return 0;
		} else {
			FILE *out = ch == 'h' ? stdout : stderr;

			fprintf(out, "usage: bbo_print [--name NAME] [--dir DIR] [--count N] "
				     "[--wait SECONDS] [SYMBOL...]\n"
				     "       bbo_print --help | --version\n");
			free(a);
			return ch == 'h' ? 0 : 2;
		}
	}
	/* --wait: until a live daemon publishes NAME; without it, whatever
	 * region is there, a stopped daemon's final books included */
	if (wait_s > 0)
		a->c = wb_client_wait_open(name, &o, (uint64_t)(wait_s * 1e9));
	else
		a->c = wb_client_open(name, &o);
	if (a->c == NULL) {
		fprintf(stderr, "bbo_print: %s\n", wb_client_last_error());
		return 1;
	}
	for (i = optind; i < argc; i++)
		if (wb_client_subscribe(a->c, argv[i]) != 0)
			fprintf(stderr, "bbo_print: bad symbol '%s'\n", argv[i]);
	if (optind == argc)
		wb_client_subscribe(a->c, NULL);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (!quit && (a->max_lines == 0 || a->lines < a->max_lines)) {
		if (wb_client_poll(a->c, on_event, a, 64) != 0) {
			idle = 0;
			continue;
		}
		if (++idle % 4096 != 0)
			continue;
		/* nothing new for a while: is the daemon still there? */
		if (wb_client_status(a->c, &st) == 1)
			fprintf(stderr, "bbo_print: daemon restarted, re-attached\n");
		if (st.state == WB_CLIENT_STOPPED) {
			while (wb_client_poll(a->c, on_event, a, 64) != 0)
				;
			break;
		}
	}
	wb_client_close(a->c);
	free(a);
	return 0;
}
