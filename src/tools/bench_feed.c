/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `wirebook bench feed FILE.pcap`: what the daemon's rx lcore does after
 * the NIC, without DPDK: every UDP payload of the capture is loaded into
 * memory first, then each run takes a fresh feed (and, unless
 * --no-publish, a shared-memory publisher in /dev/shm) and hands it the
 * datagrams as the rx loop does: wb_feed_datagram_queue() for each, then
 * wb_feed_burst_end() every --burst datagrams. That is MoldUDP64
 * sequencing, decoding, the books, events into the ring and the per-burst
 * snapshots; the poll-mode driver and the frame classification are not in
 * it (scripts/bench-daemon.sh measures the whole daemon).
 *
 * A capture of one MoldUDP64 session is applied once per run (a second
 * pass in the same feed is duplicates: passes alternate lines A and B, as a
 * line that replays its own sequence numbers is a regression), so its size
 * sets the run's length. --passes N hands the datagrams over N times in each run: for a
 * capture that loops cleanly, such as scripts/bench-daemon.sh writes (its
 * halves are two sessions, every reference is live on every pass after
 * the first), that is the daemon's steady state rather than a run that
 * starts from empty books. Each run is timed with CLOCK_MONOTONIC_RAW; the
 * run with the median rate is reported, every run's rate beside it.
 *
 * --protocol pitch (or auto, the default: from the bytes) takes Cboe PITCH
 * Sequenced Units instead, from a capture or a unit file (`wirebook gen
 * --protocol pitch`), through the feed's PITCH path. *
 * --start-at T holds the runs until T, as bench book's decode+book.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_feed.h"
#include "wb_err.h"
#include "wb_feed.h"
#include "wb_feed_pitch.h"
#include "wb_input.h"
#include "wb_opt.h"
#include "wb_publish.h"
#include "wb_shm.h"
#include "wb_tsc.h"

#define BENCH_FEED_MAX_RUNS 15

struct bench_dgrams {
	uint8_t *buf;
	size_t used, cap;
	size_t *off; /* datagram i: buf[off[i] .. off[i + 1]) */
	uint64_t n, ncap;
};

static int
bench_dgram_push(struct bench_dgrams *d, const uint8_t *p, size_t len)
{
	if (d->used + len > d->cap) {
		size_t ncap = d->cap ? d->cap * 2 : (1u << 24);
		uint8_t *nb;

		while (ncap < d->used + len)
			ncap *= 2;
		nb = realloc(d->buf, ncap);
		if (nb == NULL)
			return -ENOMEM;
		d->buf = nb;
		d->cap = ncap;
	}
	if (d->n + 2 > d->ncap) {
		uint64_t ncap = d->ncap ? d->ncap * 2 : (1u << 16);
		size_t *no = realloc(d->off, ncap * sizeof(*no));

		if (no == NULL)
			return -ENOMEM;
		d->off = no;
		d->ncap = ncap;
	}
	memcpy(d->buf + d->used, p, len);
	d->off[d->n++] = d->used;
	d->used += len;
	d->off[d->n] = d->used;
	return 0;
}

static int
bench_dgrams_load(const char *path, struct bench_dgrams *d)
{
	struct wb_input_rec rec;
	struct wb_input *in = wb_input_open(path);
	int rc;

	if (in == NULL)
		return -1;
	if (wb_input_kind(in) == WB_INPUT_ITCH) {
		wb_input_close(in);
		return wb_err_set(EINVAL,
				  "%s: not a capture (bench feed takes MoldUDP64 or PITCH in pcap, "
				  "or PITCH units)",
				  path);
	}
	while ((rc = wb_input_next(in, &rec)) == 1) {
		rc = bench_dgram_push(d, rec.data, rec.len);
		if (rc < 0) {
			wb_input_close(in);
			return wb_err_set(-rc, "%s: %s", path, strerror(-rc));
		}
	}
	wb_input_close(in);
	if (rc < 0)
		return -1;
	if (d->n == 0)
		return wb_err_set(EINVAL, "%s: no UDP datagrams", path);
	return 0;
}

struct bench_feed_run {
	double seconds;
	uint64_t messages, snapshots;
	uint64_t dup_msgs, gap_msgs; /* not 0: the capture does not loop cleanly */
};

static int
bench_feed_run(const struct bench_dgrams *d, const struct wb_feed_params *fp, const char *name,
	       unsigned int burst, unsigned int passes, struct bench_feed_run *r)
{
	struct wb_publisher *pub = NULL;
	struct wb_publish_params pp;
	struct wb_feed *f;
	uint64_t i, k = 0, n0, n1, tsc;
	unsigned int pass;

	f = wb_feed_create(fp);
	if (f == NULL)
		return -1;
	if (name != NULL) {
		wb_publish_params_default(&pp);
		pp.name = name;
		pp.dir = "/dev/shm";
		pub = wb_publisher_create(&pp);
		if (pub == NULL) {
			wb_feed_destroy(f);
			return -1;
		}
		if (wb_publisher_attach(pub, f) != 0) {
			wb_publisher_destroy(pub);
			wb_feed_destroy(f);
			return -1;
		}
	}
	n0 = wb_mono_ns();
	tsc = wb_rdtsc();
	for (pass = 0; pass < passes; pass++)
		for (i = 0; i < d->n; i++) {
			wb_feed_datagram_queue(f, pass & 1, d->buf + d->off[i], d->off[i + 1] - d->off[i],
					       tsc);
			if (++k % burst == 0) {
				wb_feed_burst_end(f);
				tsc = wb_rdtsc();
			}
		}
	wb_feed_burst_end(f);
	n1 = wb_mono_ns();
	r->seconds = (double)(n1 - n0) / 1e9;
	r->messages = wb_feed_stats(f)->messages;
	if (wb_feed_pitch_seq(f) != NULL) {
		r->dup_msgs = wb_feed_pitch_seq(f)->stats.dup_msgs;
		r->gap_msgs = wb_feed_pitch_seq(f)->stats.gap_msgs;
	} else {
		r->dup_msgs = wb_feed_session_stats(f)->dup_msgs;
		r->gap_msgs = wb_feed_session_stats(f)->gap_msgs;
	}
	r->snapshots = 0;
	if (pub != NULL) {
		r->snapshots = atomic_load_explicit(&wb_publisher_shm(pub)->hdr->snapshots,
						    memory_order_relaxed);
		wb_publisher_destroy(pub);
	}
	wb_feed_destroy(f);
	return 0;
}

int
wb_bench_opt_start_at(const char *arg, double *t)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno != 0 || end == arg || *end != '\0' || !(v > 0 && v < 1e11)) {
		fprintf(stderr,
			"wirebook: --start-at: '%s' is not a time (seconds since the epoch, "
			"as date +%%s.%%N prints)\n",
			arg);
		return -EINVAL;
	}
	*t = v;
	return 0;
}

void
wb_bench_start_at(double t, struct wb_bench_start *st)
{
	struct timespec now, due;
	double n;

	st->wait_s = 0;
	st->late_s = 0;
	if (t <= 0)
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	n = (double)now.tv_sec + (double)now.tv_nsec / 1e9;
	if (n >= t) {
		st->late_s = n - t;
		fprintf(stderr, "wirebook bench: --start-at was %.3f s past when the input was loaded\n",
			st->late_s);
		return;
	}
	st->wait_s = t - n;
	due.tv_sec = (time_t)t;
	due.tv_nsec = (long)((t - (double)due.tv_sec) * 1e9);
	while (clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &due, NULL) == EINTR)
		;
}

static int
bench_feed_cmp(const void *a, const void *b)
{
	double x = ((const struct bench_feed_run *)a)->seconds,
	       y = ((const struct bench_feed_run *)b)->seconds;

	return (x > y) - (x < y);
}

int
wb_bench_feed(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "runs", required_argument, NULL, 'r' },
		{ "burst", required_argument, NULL, 'b' },
		{ "passes", required_argument, NULL, 'p' },
		{ "max-orders", required_argument, NULL, 'o' },
		{ "no-publish", no_argument, NULL, 'n' },
		{ "protocol", required_argument, NULL, 'P' },
		{ "start-at", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char usage[] =
		"usage: wirebook bench feed [--runs N] [--burst N] [--passes N] [--max-orders N] "
		"[--no-publish] [--protocol moldudp64-itch50|pitch|auto] [--start-at T] FILE\n";
	struct bench_feed_run res[BENCH_FEED_MAX_RUNS], sorted[BENCH_FEED_MAX_RUNS], *med;
	struct wb_feed_params fp;
	struct bench_dgrams d;
	struct wb_bench_start st;
	double start_at = 0;
	uint64_t runs = 5, burst = 32, passes = 1, v, ndg;
	char name[64];
	int c, publish = 1, rc = 0, proto = -1;
	unsigned int i;

	wb_feed_params_default(&fp);
	fp.book.max_orders = 1u << 23;
	fp.book.max_levels = 1u << 21;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (wb_opt_u64("--runs", optarg, 1, BENCH_FEED_MAX_RUNS, &runs) < 0)
				return 2;
			break;
		case 'b':
			if (wb_opt_u64("--burst", optarg, 1, 1u << 16, &burst) < 0)
				return 2;
			break;
		case 'p':
			if (wb_opt_u64("--passes", optarg, 1, 1000, &passes) < 0)
				return 2;
			break;
		case 'o':
			if (wb_opt_u64("--max-orders", optarg, 1, 1u << 30, &v) < 0)
				return 2;
			fp.book.max_orders = (uint32_t)v;
			break;
		case 'n':
			publish = 0;
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
			fputs(usage, stdout);
			return 0;
		default:
			return 2;
		}
	}
	if (optind != argc - 1) {
		fputs(usage, stderr);
		return 2;
	}
	if (proto >= 0)
		fp.protocol = (uint32_t)proto;
	else if (wb_input_detect_protocol(argv[optind], &fp.protocol) < 0) {
		fprintf(stderr, "wirebook bench: %s\n", wb_err_msg());
		return 1;
	}
	memset(&d, 0, sizeof(d));
	if (bench_dgrams_load(argv[optind], &d) < 0) {
		fprintf(stderr, "wirebook bench: %s\n", wb_err_msg());
		free(d.buf);
		free(d.off);
		return 1;
	}
	snprintf(name, sizeof(name), "bench-feed-%ld", (long)getpid());
	wb_bench_start_at(start_at, &st);
	for (i = 0; i < runs && rc == 0; i++) {
		rc = bench_feed_run(&d, &fp, publish ? name : NULL, (unsigned int)burst,
				    (unsigned int)passes, &res[i]);
		if (publish)
			wb_shm_unlink("/dev/shm", name);
	}
	free(d.buf);
	free(d.off);
	if (rc < 0) {
		fprintf(stderr, "wirebook bench: %s\n", wb_err_msg());
		return 1;
	}
	memcpy(sorted, res, sizeof(res[0]) * runs);
	qsort(sorted, runs, sizeof(sorted[0]), bench_feed_cmp);
	med = &sorted[runs / 2];
	ndg = d.n * passes; /* datagrams handed over in a run */
	printf("{\"file\": \"%s\", \"protocol\": \"%s\", \"datagrams\": %" PRIu64 ", \"messages\": %" PRIu64
	       ", \"burst\": %" PRIu64 ", \"passes\": %" PRIu64 ", \"publish\": %s, \"runs\": %" PRIu64
	       ",\n \"seconds\": %.6f, \"pkts_per_sec\": %.0f, \"msgs_per_sec\": %.0f, "
	       "\"ns_per_pkt\": %.1f, \"snapshots\": %" PRIu64 ", \"dup_msgs\": %" PRIu64
	       ", \"gap_msgs\": %" PRIu64 ",\n \"runs_pkts_per_sec\": [",
	       argv[optind], fp.protocol == WB_FEED_PITCH ? "pitch" : "moldudp64-itch50", ndg,
	       med->messages, burst, passes, publish ? "true" : "false", runs,
	       med->seconds, (double)ndg / med->seconds, (double)med->messages / med->seconds,
	       med->seconds * 1e9 / (double)ndg, med->snapshots, med->dup_msgs, med->gap_msgs);
	for (i = 0; i < runs; i++)
		printf("%s%.0f", i ? ", " : "", (double)ndg / res[i].seconds);
	printf("]");
	if (start_at > 0)
		printf(",\n \"start_wait_s\": %.3f, \"start_late_s\": %.3f", st.wait_s, st.late_s);
	printf("}\n");
	return 0;
}
