/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `wirebook bench book FILE`: decode-only and decode+book throughput over a
 * file loaded into memory first, so no I/O is measured.
 *
 * Method: every ITCH message of the file (BinaryFILE records, or the blocks
 * of its MoldUDP64 datagrams) is copied into one arena. Each mode walks the
 * arena `--runs` times, each run with a fresh book (decode+book goes through
 * wb_feed_messages() in batches of WB_FEED_BATCH, as replay does); the run is timed with
 * CLOCK_MONOTONIC_RAW, and every batch of `--batch` messages with the TSC
 * (calibrated against CLOCK_MONOTONIC_RAW) to give the distribution of the
 * per-message cost (p50/p99 of batch means). The run with the median
 * throughput is reported, with every run's rate beside it.
 *
 * --protocol pitch (or auto, the default, from the bytes): the messages of
 * a PITCH capture's or unit file's Sequenced Units, each with its unit;
 * decode is wb_pitch_decode(), decode+book wb_feed_pitch_messages() (the
 * adapter and the book, no sequencing) in batches of WB_FEED_BATCH, as the
 * ITCH mode.
 *
 * --start-at T holds decode+book until T (wb_bench_start_at): two of
 * these started together on different inputs load them in different
 * times, and without it the first to be ready times its book while the
 * other is still loading (scripts/bench-ab.sh).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_e2e.h"
#include "bench_feed.h"
#include "bench_shm.h"
#include "wb_cmd.h"
#include "wb_compiler.h"
#include "wb_err.h"
#include "wb_feed_pitch.h"
#include "wb_histo.h"
#include "wb_input.h"
#include "wb_opt.h"
#include "wb_tsc.h"

#define BENCH_MAX_RUNS 15

struct bench_msgs {
	uint8_t *arena;
	size_t used, cap;
	uint32_t *off; /* message i: arena[off[i]], length arena[off[i] - 1] */
	uint8_t *unit; /* PITCH: message i's matching unit */
	uint64_t n, ncap;
	int pitch;
};

static int
bench_push(struct bench_msgs *b, const uint8_t *msg, size_t len, uint8_t unit)
{
	if (len == 0 || len > 255)
		return 0; /* not an ITCH message; the decoder would reject it */
	if (b->used + len + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : (1u << 24);
		uint8_t *na = realloc(b->arena, ncap);

		if (na == NULL)
			return -ENOMEM;
		b->arena = na;
		b->cap = ncap;
	}
	if (b->n == b->ncap) {
		uint64_t ncap = b->ncap ? b->ncap * 2 : (1u << 20);
		uint32_t *no = realloc(b->off, ncap * sizeof(*no));
		uint8_t *nu;

		if (no == NULL)
			return -ENOMEM;
		b->off = no;
		nu = realloc(b->unit, ncap);
		if (nu == NULL)
			return -ENOMEM;
		b->unit = nu;
		b->ncap = ncap;
	}
	b->unit[b->n] = unit;
	if (b->used + len + 1 > UINT32_MAX)
		return -EFBIG;
	b->arena[b->used] = (uint8_t)len;
	memcpy(b->arena + b->used + 1, msg, len);
	b->off[b->n++] = (uint32_t)(b->used + 1);
	b->used += len + 1;
	return 0;
}

static int
bench_load(const char *path, struct bench_msgs *b)
{
	struct wb_input_rec rec;
	struct wb_input *in = wb_input_open(path);
	int rc;

	if (in == NULL)
		return -1;
	while ((rc = wb_input_next(in, &rec)) == 1) {
		if (wb_input_kind(in) == WB_INPUT_ITCH) {
			rc = bench_push(b, rec.data, rec.len, 0);
		} else if (b->pitch) {
			struct wb_pitch_pkt pkt;
			struct wb_pitch_iter it;
			const uint8_t *m;
			uint8_t ml;

			if (wb_pitch_parse(rec.data, rec.len, &pkt) < 0)
				continue;
			wb_pitch_iter_init(&it, &pkt);
			rc = 0;
			while (rc == 0 && wb_pitch_iter_next(&it, &m, &ml))
				rc = bench_push(b, m, ml, pkt.unit);
		} else {
			struct wb_mold_pkt pkt;
			struct wb_mold_iter it;
			const uint8_t *m;
			uint16_t ml;

			if (wb_mold_parse(rec.data, rec.len, &pkt) < 0)
				continue;
			wb_mold_iter_init(&it, &pkt);
			rc = 0;
			while (rc == 0 && wb_mold_iter_next(&it, &m, &ml))
				rc = bench_push(b, m, ml, 0);
		}
		if (rc < 0) {
			wb_input_close(in);
			return wb_err_set(-rc, "%s: %s", path, strerror(-rc));
		}
	}
	wb_input_close(in);
	return rc;
}

struct bench_result {
	double seconds;
	double rate;
	double p50, p99; /* ns per message */
};

enum bench_mode { BENCH_DECODE, BENCH_BOOK };

static int
bench_run(const struct bench_msgs *b, enum bench_mode mode, const struct wb_feed_params *fp,
	  unsigned int batch, const struct wb_tsc_cal *cal, struct wb_histo *h,
	  struct bench_result *r, uint64_t *sink)
{
	const uint8_t *ptrs[WB_FEED_BATCH];
	uint16_t lens[WB_FEED_BATCH];
	uint8_t plens[WB_FEED_BATCH], punits[WB_FEED_BATCH];
	struct wb_feed *f = NULL;
	struct wb_pitch_msg pm;
	struct wb_itch_msg m;
	uint64_t i, t0, n0, n1, tb, acc = 0;
	unsigned int nb = 0, left = batch;

	if (mode == BENCH_BOOK) {
		f = wb_feed_create(fp);
		if (f == NULL)
			return -1;
	}
	wb_histo_init(h);
	n0 = wb_mono_ns();
	t0 = tb = wb_rdtsc();
	for (i = 0; i < b->n; i++) {
		const uint8_t *msg = b->arena + b->off[i];
		size_t len = msg[-1];

		if (b->pitch && mode == BENCH_DECODE) {
			if (wb_pitch_decode(msg, len, 0, &pm) > 0)
				acc += pm.type + pm.time_offset;
		} else if (b->pitch) {
			/* as the ITCH mode: WB_FEED_BATCH at a time */
			ptrs[nb] = msg;
			plens[nb] = (uint8_t)len;
			punits[nb] = b->unit[i];
			if (++nb == WB_FEED_BATCH || i + 1 == b->n) {
				acc += wb_feed_pitch_messages(f, punits, ptrs, plens, nb, i + 1 - nb,
							      t0);
				nb = 0;
			}
		} else if (mode == BENCH_DECODE) {
			if (wb_itch_decode(msg, len, &m) > 0)
				acc += m.stock_locate + m.type;
		} else {
			/* As replay does: WB_FEED_BATCH records at a time. */
			ptrs[nb] = msg;
			lens[nb] = (uint16_t)len;
			if (++nb == WB_FEED_BATCH || i + 1 == b->n) {
				acc += wb_feed_messages(f, ptrs, lens, nb, i + 1 - nb, t0);
				nb = 0;
			}
		}
		if (wb_unlikely(--left == 0)) {
			uint64_t t = wb_rdtsc();

			left = batch;
			/* picoseconds per message, for sub-ns resolution */
			wb_histo_add(h, (uint64_t)(wb_tsc_delta_ns(cal, t - tb) * 1000.0 / batch));
			tb = t;
		}
	}
	n1 = wb_mono_ns();
	if (f != NULL) {
		acc += wb_book_stats(wb_feed_book(f))->live_orders;
		wb_feed_destroy(f);
	}
	*sink += acc;
	r->seconds = (double)(n1 - n0) / 1e9;
	r->rate = r->seconds > 0 ? (double)b->n / r->seconds : 0;
	r->p50 = (double)wb_histo_quantile(h, 0.5) / 1000.0;
	r->p99 = (double)wb_histo_quantile(h, 0.99) / 1000.0;
	return 0;
}

static int
bench_cmp_rate(const void *a, const void *b)
{
	double x = ((const struct bench_result *)a)->rate, y = ((const struct bench_result *)b)->rate;

	return (x > y) - (x < y);
}

static int
bench_mode(const char *name, const struct bench_msgs *b, enum bench_mode mode,
	   const struct wb_feed_params *fp, unsigned int runs, unsigned int batch,
	   const struct wb_tsc_cal *cal, uint64_t *sink, int last)
{
	struct bench_result res[BENCH_MAX_RUNS], sorted[BENCH_MAX_RUNS], *med;
	struct wb_histo *h = malloc(sizeof(*h));
	unsigned int i;

	if (h == NULL)
		return wb_err_set(ENOMEM, "out of memory");
	for (i = 0; i < runs; i++) {
		if (bench_run(b, mode, fp, batch, cal, h, &res[i], sink) < 0) {
			free(h);
			return -1;
		}
	}
	free(h);
	memcpy(sorted, res, sizeof(res[0]) * runs);
	qsort(sorted, runs, sizeof(sorted[0]), bench_cmp_rate);
	med = &sorted[runs / 2];
	printf("  \"%s\": {\"messages\": %" PRIu64 ", \"seconds\": %.6f, \"msgs_per_sec\": %.0f, "
	       "\"ns_per_msg\": %.2f, \"ns_per_msg_p50\": %.2f, \"ns_per_msg_p99\": %.2f, "
	       "\"runs_msgs_per_sec\": [",
	       name, b->n, med->seconds, med->rate, med->rate > 0 ? 1e9 / med->rate : 0, med->p50,
	       med->p99);
	for (i = 0; i < runs; i++)
		printf("%s%.0f", i ? ", " : "", res[i].rate);
	printf("]}%s\n", last ? "" : ",");
	return 0;
}

static int
bench_book(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "runs", required_argument, NULL, 'r' },
		{ "batch", required_argument, NULL, 'b' },
		{ "max-orders", required_argument, NULL, 'o' },
		{ "protocol", required_argument, NULL, 'P' },
		{ "start-at", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct wb_bench_start st;
	double start_at = 0;
	struct bench_msgs b;
	struct wb_feed_params fp;
	struct wb_tsc_cal cal;
	uint64_t runs = 3, batch = 256, v, sink = 0;
	int c, rc, proto = -1;

	wb_feed_params_default(&fp);
	fp.book.max_orders = 1u << 23;
	fp.book.max_levels = 1u << 21;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (wb_opt_u64("--runs", optarg, 1, BENCH_MAX_RUNS, &runs) < 0)
				return 2;
			break;
		case 'b':
			if (wb_opt_u64("--batch", optarg, 1, 1u << 20, &batch) < 0)
				return 2;
			break;
		case 'o':
			if (wb_opt_u64("--max-orders", optarg, 1, 1u << 30, &v) < 0)
				return 2;
			fp.book.max_orders = (uint32_t)v;
			break;
		case 'P':
			if (wb_opt_protocol("--protocol", optarg, &proto) < 0)
				return 2;
			break;
		case 'S':
			if (wb_bench_opt_start_at(optarg, &start_at) < 0)
				return 2;
			break;
		case 'h':
			printf("usage: wirebook bench book [--runs N] [--batch N] [--max-orders N] "
			       "[--protocol moldudp64-itch50|pitch|auto] [--start-at T] FILE\n");
			return 0;
		default:
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: wirebook bench book [--runs N] [--batch N] FILE\n");
		return 2;
	}
	if (proto >= 0)
		fp.protocol = (uint32_t)proto;
	else if (wb_input_detect_protocol(argv[optind], &fp.protocol) < 0) {
		fprintf(stderr, "wirebook bench: %s\n", wb_err_msg());
		return 1;
	}
	memset(&b, 0, sizeof(b));
	b.pitch = fp.protocol == WB_FEED_PITCH;
	if (bench_load(argv[optind], &b) < 0) {
		fprintf(stderr, "wirebook bench: %s\n", wb_err_msg());
		free(b.arena);
		free(b.off);
		free(b.unit);
		return 1;
	}
	wb_tsc_calibrate(&cal, 200);
	printf("{\n  \"file\": \"%s\",\n  \"protocol\": \"%s\",\n  \"messages\": %" PRIu64
	       ",\n  \"runs\": %" PRIu64 ",\n  \"batch\": %" PRIu64 ",\n",
	       argv[optind], b.pitch ? "pitch" : "moldudp64-itch50", b.n, runs, batch);
	rc = bench_mode("decode", &b, BENCH_DECODE, &fp, (unsigned int)runs, (unsigned int)batch,
			&cal, &sink, 0);
	/* the wait is before decode+book only: the figure two runs compare */
	if (rc == 0 && start_at > 0) {
		wb_bench_start_at(start_at, &st);
		printf("  \"start_wait_s\": %.3f, \"start_late_s\": %.3f,\n", st.wait_s, st.late_s);
	}
	if (rc == 0)
		rc = bench_mode("decode_book", &b, BENCH_BOOK, &fp, (unsigned int)runs,
				(unsigned int)batch, &cal, &sink, 1);
	printf("}\n");
	free(b.arena);
	free(b.off);
	free(b.unit);
	if (rc < 0) {
		fprintf(stderr, "wirebook bench: %s\n", wb_err_msg());
		return 1;
	}
	fprintf(stderr, "checksum %" PRIu64 "\n", sink);
	return 0;
}

int
wb_cmd_bench(int argc, char **argv)
{
	FILE *out;

	if (argc >= 2 && strcmp(argv[1], "book") == 0)
		return bench_book(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "shm") == 0)
		return wb_bench_shm(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "e2e") == 0)
		return wb_bench_e2e(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "feed") == 0)
		return wb_bench_feed(argc - 1, argv + 1);
	out = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		  ? stdout
		  : stderr;
	fprintf(out, "usage: wirebook bench book FILE | wirebook bench feed [OPTIONS] FILE.pcap | "
		     "wirebook bench shm [OPTIONS] | wirebook bench e2e [OPTIONS]\n");
	return out == stdout ? 0 : 2;
}
