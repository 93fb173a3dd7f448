/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `wirebook replay`: a capture or BinaryFILE through the same feed pipeline
 * as the daemon (session, decode, book), in-process, for backtests and for
 * checking the daemon's books against.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wb_cmd.h"
#include "wb_compiler.h"
#include "wb_dump.h"
#include "wb_err.h"
#include "wb_input.h"
#include "wb_opt.h"
#include "wb_pitch.h"
#include "wb_json.h"
#include "wb_stats.h"

struct replay_trace {
	struct wb_feed *feed;
	const char *symbol;
	int64_t instrument; /* -1 until resolved */
	int have_last;
	struct wb_event last;
	FILE *out;
};

static void
replay_px(FILE *out, int64_t px, int exp, uint32_t qty)
{
	char buf[WB_DUMP_PRICE_LEN];

	if (qty == 0)
		fputs("-\t-", out);
	else
		fprintf(out, "%s\t%" PRIu32, wb_dump_price(buf, px, exp), qty);
}

static void
replay_on_event(void *ctx, const struct wb_event *ev)
{
	struct replay_trace *t = ctx;

	if (ev->type != WB_EV_BBO)
		return;
	const struct wb_instrument *in = wb_book_instrument(wb_feed_book(t->feed), ev->instrument);

	if (in == NULL)
		return;
	if (t->instrument < 0) {
		if (strcmp(in->symbol, t->symbol) != 0)
			return;
		t->instrument = ev->instrument;
	} else if (ev->instrument != t->instrument) {
		return;
	}
	/* Print changes of price or quantity only. */
	if (t->have_last && t->last.u.bbo.bid_px == ev->u.bbo.bid_px &&
	    t->last.u.bbo.bid_qty == ev->u.bbo.bid_qty && t->last.u.bbo.ask_px == ev->u.bbo.ask_px &&
	    t->last.u.bbo.ask_qty == ev->u.bbo.ask_qty)
		return;
	t->last = *ev;
	t->have_last = 1;
	fprintf(t->out, "%" PRIu64 "\t", ev->exch_ts);
	replay_px(t->out, ev->u.bbo.bid_px, in->price_exp, ev->u.bbo.bid_qty);
	fputc('\t', t->out);
	replay_px(t->out, ev->u.bbo.ask_px, in->price_exp, ev->u.bbo.ask_qty);
	fputc('\n', t->out);
}

static void
replay_usage(FILE *out)
{
	fprintf(out,
		"usage: wirebook replay [OPTIONS] FILE\n"
		"FILE: pcap/pcapng (MoldUDP64 or Cboe PITCH over UDP), Nasdaq BinaryFILE, or\n"
		"      PITCH Sequenced Units back to back (wirebook gen --protocol pitch), optionally .gz\n"
		"  --protocol P         moldudp64-itch50 (itch), pitch, or auto (default: from the\n"
		"                       bytes: a capture whose first UDP payload is one PITCH unit)\n"
		"  --pitch-prices K     unsigned (default: US equities, C1 options) or signed (C1\n"
		"                       options complex, CFE futures): how PITCH reads its prices\n"
		"  --dump-book FILE     canonical book dump at end of input ('-' for stdout)\n"
		"  --depth N            at most N levels per side in the dump (default all)\n"
		"  --bbo-trace SYMBOL   print TIMESTAMP_NS BIDPX BIDQTY ASKPX ASKQTY on each change\n"
		"  --stats              message counts per type and every error counter\n"
		"  --json               with --stats: as one JSON object\n"
		"  --channel GROUP:PORT only these UDP destinations (repeatable; pcap only)\n"
		"  --max-orders N       live-order capacity (default 4194304)\n"
		"  --max-levels N       price-level capacity (default 1048576)\n"
		"  --pace max|Nx        as fast as possible (default) or N times the recorded pace\n"
		"                       (1x, 10x, 0.5x): capture timestamps, or a BinaryFILE's ITCH ones\n"
		"  --from HH:MM:SS[.f]  apply everything before this ITCH time of day silently (ITCH)\n"
		"                       (no trace), then replay from it\n"
		"Progress (position, messages/s, ETA) is drawn on stderr when it is a terminal.\n");
}

int
wb_cmd_replay(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dump-book", required_argument, NULL, 'd' },
		{ "depth", required_argument, NULL, 'n' },
		{ "bbo-trace", required_argument, NULL, 't' },
		{ "stats", no_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "channel", required_argument, NULL, 'c' },
		{ "max-orders", required_argument, NULL, 'o' },
		{ "max-levels", required_argument, NULL, 'l' },
		{ "pace", required_argument, NULL, 'p' },
		{ "from", required_argument, NULL, 'f' },
		{ "protocol", required_argument, NULL, 'P' },
		{ "pitch-prices", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dump = NULL, *channels[64];
	struct replay_trace trace = { .instrument = -1, .out = stdout };
	struct wb_feed_params fp;
	struct wb_feed_sink sink;
	struct wb_input *in;
	struct wb_feed *f;
	unsigned int nchan = 0, i;
	uint64_t depth = 0, v;
	int c, stats = 0, json = 0, rc, status = 0;
	struct wb_input_pace_opts po;
	struct wb_progress prog;
	struct wb_pace pace;
	double speed = 0;
	uint64_t from_tod = 0;
	int proto = -1;

	wb_feed_params_default(&fp);
	fp.book.max_orders = 1u << 22;
	fp.book.max_levels = 1u << 20;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dump = optarg;
			break;
		case 'n':
			if (wb_opt_u64("--depth", optarg, 1, 1u << 20, &depth) < 0)
				return 2;
			break;
		case 't':
			trace.symbol = optarg;
			break;
		case 's':
			stats = 1;
			break;
		case 'j':
			json = 1;
			break;
		case 'c':
			if (nchan == WB_ARRAY_SIZE(channels)) {
				fprintf(stderr, "wirebook replay: too many --channel\n");
				return 2;
			}
			channels[nchan++] = optarg;
			break;
		case 'o':
			if (wb_opt_u64("--max-orders", optarg, 1, 1u << 30, &v) < 0)
				return 2;
			fp.book.max_orders = (uint32_t)v;
			break;
		case 'l':
			if (wb_opt_u64("--max-levels", optarg, 1, 1u << 30, &v) < 0)
				return 2;
			fp.book.max_levels = (uint32_t)v;
			break;
		case 'p':
			if (wb_pace_parse(optarg, &speed) < 0) {
				fprintf(stderr, "wirebook replay: %s\n", wb_err_msg());
				return 2;
			}
			break;
		case 'f':
			if (wb_tod_parse(optarg, &from_tod) < 0) {
				fprintf(stderr, "wirebook replay: %s\n", wb_err_msg());
				return 2;
			}
			break;
		case 'P':
			if (wb_opt_protocol("--protocol", optarg, &proto) < 0)
				return 2;
			break;
		case 'S':
			if (strcmp(optarg, "signed") == 0)
				fp.pitch_flags = WB_PITCH_SIGNED_PRICES;
			else if (strcmp(optarg, "unsigned") == 0)
				fp.pitch_flags = 0;
			else {
				fprintf(stderr,
					"wirebook replay: --pitch-prices: '%s' is not a price kind "
					"(unsigned or signed)\n",
					optarg);
				return 2;
			}
			break;
		case 'h':
			replay_usage(stdout);
			return 0;
		default:
			replay_usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		replay_usage(stderr);
		return 2;
	}
	if (proto >= 0)
		fp.protocol = (uint32_t)proto;
	else if (wb_input_detect_protocol(argv[optind], &fp.protocol) < 0) {
		fprintf(stderr, "wirebook replay: %s\n", wb_err_msg());
		return 1;
	}
	/* PITCH is the protocol of four Cboe exchanges: no guess at which */
	if (fp.protocol == WB_FEED_PITCH)
		fp.venue = WB_VENUE_OTHER;
	if (fp.protocol == WB_FEED_PITCH && from_tod != 0) {
		fprintf(stderr, "wirebook replay: --from reads ITCH times; not with PITCH\n");
		return 2;
	}
	in = wb_input_open(argv[optind]);
	if (in == NULL) {
		fprintf(stderr, "wirebook replay: %s\n", wb_err_msg());
		return 1;
	}
	if (wb_input_kind(in) == WB_INPUT_ITCH && fp.protocol == WB_FEED_PITCH) {
		fprintf(stderr, "wirebook replay: %s: a BinaryFILE is ITCH, not PITCH\n",
			argv[optind]);
		wb_input_close(in);
		return 2;
	}
	if (wb_input_kind(in) == WB_INPUT_PITCH && fp.protocol != WB_FEED_PITCH) {
		fprintf(stderr, "wirebook replay: %s: PITCH units, not MoldUDP64\n", argv[optind]);
		wb_input_close(in);
		return 2;
	}
	wb_input_set_protocol(in, fp.protocol);
	for (i = 0; i < nchan; i++) {
		if (wb_input_kind(in) != WB_INPUT_PCAP) {
			fprintf(stderr, "wirebook replay: --channel applies to captures only\n");
			wb_input_close(in);
			return 2;
		}
		if (wb_input_add_channel(in, channels[i]) < 0) {
			fprintf(stderr, "wirebook replay: %s\n", wb_err_msg());
			wb_input_close(in);
			return 2;
		}
	}
	f = wb_feed_create(&fp);
	if (f == NULL) {
		fprintf(stderr, "wirebook replay: %s\n", wb_err_msg());
		wb_input_close(in);
		return 1;
	}
	memset(&sink, 0, sizeof(sink));
	if (trace.symbol != NULL) {
		trace.feed = f;
		sink.on_event = replay_on_event;
		sink.ctx = &trace;
	}
	wb_pace_init(&pace, speed);
	wb_progress_init(&prog, stderr, "replay");
	memset(&po, 0, sizeof(po));
	po.burst = 32;
	po.speed = speed;
	po.from_tod = from_tod;
	po.sink = trace.symbol != NULL ? &sink : NULL;
	po.pace = &pace;
	po.progress = &prog;
	rc = wb_input_run_paced(in, f, &po);
	if (rc < 0) {
		fprintf(stderr, "wirebook replay: %s\n", wb_err_msg());
		status = 1;
	}
	if (dump != NULL) {
		FILE *out = strcmp(dump, "-") == 0 ? stdout : fopen(dump, "w");

		if (out == NULL) {
			fprintf(stderr, "wirebook replay: %s: %s\n", dump, strerror(errno));
			status = 1;
		} else {
			if (wb_dump_book(out, wb_feed_book(f), (unsigned int)depth) < 0) {
				fprintf(stderr, "wirebook replay: %s\n", wb_err_msg());
				status = 1;
			}
			if (out != stdout && fclose(out) != 0) {
				fprintf(stderr, "wirebook replay: %s: %s\n", dump, strerror(errno));
				status = 1;
			}
		}
	}
	if (stats) {
		const struct wb_input_stats *is = wb_input_stats(in);
		char *text = NULL;
		size_t tlen = 0;
		FILE *so = json ? open_memstream(&text, &tlen) : stdout;

		if (so == NULL) {
			fprintf(stderr, "wirebook replay: out of memory\n");
			status = 1;
			so = stdout;
			json = 0;
		}
		wb_stats_print(so, f);
		fprintf(so, "input.records\t%" PRIu64 "\n", is->records);
		fprintf(so, "input.not_udp\t%" PRIu64 "\n", is->not_udp);
		fprintf(so, "input.filtered\t%" PRIu64 "\n", is->filtered);
		fprintf(so, "input.bad_frames\t%" PRIu64 "\n", is->bad_frames);
		fprintf(so, "input.fragments\t%" PRIu64 "\n", is->fragments);
		if (from_tod != 0)
			fprintf(so, "replay.preroll\t%" PRIu64 "\n", po.preroll);
		if (speed > 0) {
			fprintf(so, "replay.speed_milli\t%" PRIu64 "\n", (uint64_t)(speed * 1000 + 0.5));
			fprintf(so, "replay.releases\t%" PRIu64 "\n", pace.err.count);
			fprintf(so, "replay.err_p50_ns\t%" PRIu64 "\n", wb_histo_quantile(&pace.err, 0.5));
			fprintf(so, "replay.err_p99_ns\t%" PRIu64 "\n", wb_histo_quantile(&pace.err, 0.99));
			fprintf(so, "replay.err_max_ns\t%" PRIu64 "\n", pace.err.count ? pace.err.max : 0);
			fprintf(so, "replay.backwards\t%" PRIu64 "\n", pace.backwards);
		}
		if (json) {
			fclose(so);
			wb_json_kv(stdout, text);
			free(text);
		}
	}
	fflush(stdout);
	wb_feed_destroy(f);
	wb_input_close(in);
	return status;
}
