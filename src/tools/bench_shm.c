/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `wirebook bench shm`: the shared-memory fan-out, measured.
 *
 * Latency: a publisher thread pinned to --pub-cpu pushes events into a real
 * region (wb_shm_ring_push, the daemon's code), one every --gap-ns, each
 * stamped with the TSC just before the push; a subscriber thread pinned to
 * --sub-cpu busy-polls through libwirebook (wb_client_poll, mapping the
 * region read-only like any strategy) and records TSC-now minus the stamp.
 * The TSC is invariant and shared by the cores; ticks become ns through
 * wb_tsc_calibrate(). Paced, so that it measures the hand-over, not queueing.
 *
 * Publisher cost, with 0, 1, 2, 4 and 8 subscribers polling (all on
 * --sub-cpu): paced as above, the TSC around every push gives the cost of one
 * push while the readers wait on the next slot (each push must take that
 * cache line back from them: the realistic case); flat out, --events pushes,
 * --runs times, give the mean cost when readers trail the writer. The publisher reads
 * nothing a subscriber writes, so the cost must not grow with the number of subscribers.
 *
 * Pipeline: what publishing adds to the feed. A wb_gen stream (--pipe-msgs
 * messages, 1000 instruments) is generated into memory first, then applied
 * through a wb_feed in bursts of 32 messages, once with no sink and once with
 * a wb_publisher attached (events into the ring + snapshots of the dirty
 * instruments at each burst end); ns per message, best of --runs.
 */
#include "bench_shm.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wb_err.h"
#include "wb_feed.h"
#include "wb_gen.h"
#include "wb_histo.h"
#include "wb_opt.h"
#include "wb_publish.h"
#include "wb_shm.h"
#include "wb_tsc.h"
#include "wirebook/wirebook.h"

#define BENCH_MAX_SUBS 8
#define BENCH_MAX_RUNS 9

struct bench_sub {
	pthread_t thr;
	const char *name;
	int cpu;
	_Atomic int *ready;
	_Atomic int *stop;
	struct wb_histo *h; /* NULL: do not record */
	uint64_t received;
	uint64_t lapped;
	int failed;
};

static void
bench_pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void
bench_cb(void *ctx, const struct wb_event *ev)
{
	struct bench_sub *s = ctx;
	/* fenced: an unfenced rdtsc could run before the event's load had
	 * completed and read a time before the publisher's stamp, which the
	 * unsigned difference turned into a max of 2^64 ticks */
	uint64_t now = wb_rdtsc_fenced();

	if (wb_unlikely(ev->type == WB_CLIENT_EV_LAPPED)) {
		s->lapped++;
		return;
	}
	s->received++;
	/* the TSCs of two cores of a VM may still disagree by a few ticks */
	if (s->h != NULL)
		wb_histo_add(s->h, now > ev->rx_tsc ? now - ev->rx_tsc : 0);
}

static void *
bench_sub_main(void *arg)
{
	struct bench_sub *s = arg;
	struct wb_client_opts o;
	struct wb_client *c;

	bench_pin(s->cpu);
	wb_client_opts_default(&o);
	o.dir = "/dev/shm";
	c = wb_client_open(s->name, &o);
	if (c == NULL || wb_client_subscribe(c, NULL) != 0) {
		s->failed = 1;
		atomic_fetch_add_explicit(s->ready, 1, memory_order_release);
		return NULL;
	}
	/* release: pairs with the acquire load of `ready` by the publisher */
	atomic_fetch_add_explicit(s->ready, 1, memory_order_release);
	/* relaxed: a plain quit flag, the join orders everything after it */
	while (!atomic_load_explicit(s->stop, memory_order_relaxed))
		wb_client_poll(c, bench_cb, s, 64);
	while (wb_client_poll(c, bench_cb, s, 64) != 0)
		;
	wb_client_close(c);
	return NULL;
}

struct bench_cfg {
	uint64_t events;
	uint64_t lat_events;
	uint64_t gap_ns;
	uint64_t slots;
	uint64_t runs;
	int pub_cpu;
	int sub_cpu;
};

/* Starts n subscribers, runs the publisher, stops them. Returns ns/event. */
static double
bench_run(const struct bench_cfg *cfg, const struct wb_tsc_cal *cal, struct wb_shm *shm,
	  const char *name, unsigned int nsubs, int paced, struct wb_histo *h,
	  struct wb_histo *push_h, uint64_t *lapped)
{
	struct bench_sub subs[BENCH_MAX_SUBS];
	_Atomic int ready = 0, stop = 0;
	struct wb_shm_ring_w w;
	struct wb_event ev;
	uint64_t i, n = paced ? cfg->lat_events : cfg->events, t0, t1, next, gap;
	unsigned int k;

	memset(subs, 0, sizeof(subs));
	for (k = 0; k < nsubs; k++) {
		subs[k].name = name;
		subs[k].cpu = cfg->sub_cpu;
		subs[k].ready = &ready;
		subs[k].stop = &stop;
		subs[k].h = k == 0 && paced ? h : NULL;
		pthread_create(&subs[k].thr, NULL, bench_sub_main, &subs[k]);
	}
	/* acquire: pairs with the release increments in bench_sub_main() */
	while (atomic_load_explicit(&ready, memory_order_acquire) < (int)nsubs)
		sched_yield();
	w.slots = shm->ring;
	w.hdr = shm->hdr;
	w.mask = shm->ring_mask;
	/* continue where the previous run stopped: readers start at the tail */
	w.pos = atomic_load_explicit(&shm->hdr->tail, memory_order_relaxed);
	memset(&ev, 0, sizeof(ev));
	ev.type = WB_EV_BBO;
	ev.instrument = 1;
	gap = (uint64_t)((double)cfg->gap_ns * cal->ticks_per_ns);
	usleep(10000);
	t0 = wb_rdtsc();
	next = t0;
	if (paced) {
		for (i = 0; i < n; i++) {
			next += gap;
			while (wb_rdtsc() < next)
				wb_shm_cpu_relax();
			ev.rx_tsc = wb_rdtsc();
			ev.seq = i;
			wb_shm_ring_push(&w, &ev);
			if (push_h != NULL)
				wb_histo_add(push_h, wb_rdtsc() - ev.rx_tsc);
		}
	} else {
		for (i = 0; i < n; i++) {
			ev.rx_tsc = i;
			ev.seq = i;
			wb_shm_ring_push(&w, &ev);
		}
	}
	t1 = wb_rdtsc();
	usleep(20000);
	/* relaxed: the joins below order everything */
	atomic_store_explicit(&stop, 1, memory_order_relaxed);
	for (k = 0; k < nsubs; k++) {
		pthread_join(subs[k].thr, NULL);
		if (subs[k].failed)
			return -1.0;
		if (lapped != NULL)
			*lapped += subs[k].lapped;
	}
	return wb_tsc_delta_ns(cal, t1 - t0) / (double)n;
}

struct bench_arena {
	uint8_t *buf;
	uint32_t *off;
	uint64_t n;
};

static int
bench_arena_fill(struct bench_arena *a, uint64_t msgs)
{
	struct wb_gen_params gp;
	struct wb_gen *g;
	uint64_t used = 0;
	unsigned int len;

	wb_gen_params_default(&gp);
	gp.messages = msgs;
	g = wb_gen_create(&gp);
	a->buf = malloc(msgs * WB_ITCH_MAX_MSG_LEN);
	a->off = malloc((msgs + 1) * sizeof(*a->off));
	if (g == NULL || a->buf == NULL || a->off == NULL) {
		wb_gen_destroy(g);
		return -1;
	}
	a->n = 0;
	while ((len = wb_gen_next(g, a->buf + used)) != 0) {
		a->off[a->n++] = (uint32_t)used;
		used += len;
	}
	a->off[a->n] = (uint32_t)used;
	wb_gen_destroy(g);
	return 0;
}

/* ns per message through a fresh feed, with or without a publisher. */
static double
bench_pipeline(const struct bench_arena *a, const struct wb_tsc_cal *cal, const char *name,
	       int publish, uint64_t *snaps)
{
	struct wb_publish_params pp;
	struct wb_feed_params fp;
	struct wb_publisher *pub = NULL;
	struct wb_feed *f;
	uint64_t i, t0, t1;

	wb_feed_params_default(&fp);
	f = wb_feed_create(&fp);
	if (f == NULL)
		return -1.0;
	if (publish) {
		wb_publish_params_default(&pp);
		pp.name = name;
		pp.dir = "/dev/shm";
		pp.max_instruments = 4096;
		pub = wb_publisher_create(&pp);
		if (pub == NULL) {
			wb_feed_destroy(f);
			return -1.0;
		}
		if (wb_publisher_attach(pub, f) != 0) {
			wb_publisher_destroy(pub);
			wb_feed_destroy(f);
			return -1.0;
		}
	}
	t0 = wb_rdtsc();
	for (i = 0; i < a->n; i++) {
		wb_feed_message(f, a->buf + a->off[i], a->off[i + 1] - a->off[i], i + 1, t0);
		if ((i & 31) == 31)
			wb_feed_burst_end(f);
	}
	wb_feed_burst_end(f);
	t1 = wb_rdtsc();
	if (pub != NULL) {
		*snaps = atomic_load_explicit(&wb_publisher_shm(pub)->hdr->snapshots,
					      memory_order_relaxed);
		wb_publisher_destroy(pub);
	}
	wb_feed_destroy(f);
	return wb_tsc_delta_ns(cal, t1 - t0) / (double)a->n;
}

static int
bench_dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
bench_pr(const char *what, const struct wb_histo *h, const struct wb_tsc_cal *cal)
{
	printf("  %-10s p50 %6.0f ns  p99 %6.0f ns  p99.9 %7.0f ns  max %8.0f ns  (%" PRIu64
	       " samples)\n",
	       what, wb_tsc_delta_ns(cal, wb_histo_quantile(h, 0.50)),
	       wb_tsc_delta_ns(cal, wb_histo_quantile(h, 0.99)),
	       wb_tsc_delta_ns(cal, wb_histo_quantile(h, 0.999)), wb_tsc_delta_ns(cal, h->max),
	       h->count);
}

static int
bench_usage(FILE *f)
{
	fprintf(f, "usage: wirebook bench shm [--events N] [--lat-events N] [--gap-ns NS]\n"
		   "         [--slots N] [--runs N] [--pub-cpu C] [--sub-cpu C] [--pipe-msgs N]\n");
	return f == stdout ? 0 : 2;
}

int
wb_bench_shm(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"events", required_argument, NULL, 'e'},  {"lat-events", required_argument, NULL, 'l'},
	    {"gap-ns", required_argument, NULL, 'g'},  {"slots", required_argument, NULL, 's'},
	    {"runs", required_argument, NULL, 'r'},    {"pub-cpu", required_argument, NULL, 'p'},
	    {"sub-cpu", required_argument, NULL, 'c'}, {"pipe-msgs", required_argument, NULL, 'm'},
	    {"help", no_argument, NULL, 'h'},	       {NULL, 0, NULL, 0},
	};
	static const unsigned int nsubs[] = {0, 1, 2, 4, 8};
	struct bench_cfg cfg = {2000000, 200000, 2000, 1u << 16, 3, 0, 1};
	double cost[BENCH_MAX_RUNS];
	struct wb_shm_params sp;
	struct wb_tsc_cal cal;
	struct wb_histo *h;
	struct wb_shm shm;
	uint64_t v, lapped = 0, pipe_msgs = 500000, snaps = 0;
	struct bench_arena arena;
	double best[2];
	char name[32];
	unsigned int k, r;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "e:l:g:s:r:p:c:m:h", opts, NULL)) != -1) {
		int rc = 0;

		switch (ch) {
		case 'e':
			rc = wb_opt_u64("--events", optarg, 1000, 1ull << 32, &cfg.events);
			break;
		case 'l':
			rc = wb_opt_u64("--lat-events", optarg, 1000, 1ull << 32, &cfg.lat_events);
			break;
		case 'g':
			rc = wb_opt_u64("--gap-ns", optarg, 0, 1000000000, &cfg.gap_ns);
			break;
		case 's':
			rc = wb_opt_u64("--slots", optarg, 64, 1u << 30, &cfg.slots);
			break;
		case 'r':
			rc = wb_opt_u64("--runs", optarg, 1, BENCH_MAX_RUNS, &cfg.runs);
			break;
		case 'p':
			rc = wb_opt_u64("--pub-cpu", optarg, 0, CPU_SETSIZE - 1, &v);
			cfg.pub_cpu = (int)v;
			break;
		case 'c':
			rc = wb_opt_u64("--sub-cpu", optarg, 0, CPU_SETSIZE - 1, &v);
			cfg.sub_cpu = (int)v;
			break;
		case 'm':
			rc = wb_opt_u64("--pipe-msgs", optarg, 10000, 1ull << 24, &pipe_msgs);
			break;
		case 'h':
			return bench_usage(stdout);
		default:
			return bench_usage(stderr);
		}
		if (rc != 0)
			return 2;
	}
	snprintf(name, sizeof(name), "bench-%d", (int)getpid());
	memset(&sp, 0, sizeof(sp));
	sp.name = name;
	sp.dir = "/dev/shm";
	sp.ring_slots = (uint32_t)cfg.slots;
	sp.depth = 10;
	sp.max_instruments = 16;
	sp.gid = -1;
	sp.numa_node = -1;
	if (wb_shm_create(&shm, &sp) != 0) {
		fprintf(stderr, "wirebook bench shm: %s\n", wb_err_msg());
		return 1;
	}
	atomic_store_explicit(&shm.hdr->state, WB_SHM_STATE_LIVE, memory_order_release);
	h = malloc(sizeof(*h));
	if (h == NULL) {
		wb_shm_detach(&shm);
		wb_shm_unlink("/dev/shm", name);
		return 1;
	}
	wb_tsc_calibrate(&cal, 100);
	bench_pin(cfg.pub_cpu);
	printf("shm bench: ring %" PRIu64 " slots, publisher cpu %d, subscribers cpu %d, "
	       "TSC %.3f GHz (calibrated)\n",
	       cfg.slots, cfg.pub_cpu, cfg.sub_cpu, cal.ticks_per_ns);

	wb_histo_init(h);
	if (bench_run(&cfg, &cal, &shm, name, 1, 1, h, NULL, &lapped) < 0)
		goto fail;
	printf("latency, publish -> subscriber on another core (%" PRIu64
	       " events, one every %" PRIu64 " ns, lapped %" PRIu64 "):\n",
	       cfg.lat_events, cfg.gap_ns, lapped);
	bench_pr("1 reader", h, &cal);

	printf("publisher cost per push, paced as above (TSC around each push, rdtsc included),\n"
	       "and flat-out mean (%" PRIu64 " events, median of %" PRIu64 " runs):\n",
	       cfg.events, cfg.runs);
	for (k = 0; k < sizeof(nsubs) / sizeof(nsubs[0]); k++) {
		lapped = 0;
		wb_histo_init(h);
		if (bench_run(&cfg, &cal, &shm, name, nsubs[k], 1, NULL, h, &lapped) < 0)
			goto fail;
		for (r = 0; r < cfg.runs; r++) {
			cost[r] =
			    bench_run(&cfg, &cal, &shm, name, nsubs[k], 0, NULL, NULL, &lapped);
			if (cost[r] < 0)
				goto fail;
		}
		qsort(cost, cfg.runs, sizeof(cost[0]), bench_dcmp);
		printf(
		    "  %u subscriber%s paced p50 %5.0f  p99 %6.0f ns/push;  flat out %6.2f ns/event"
		    " (min %.2f, max %.2f); lapped %" PRIu64 "\n",
		    nsubs[k],
		    nsubs[k] == 1 ? ": " : "s:", wb_tsc_delta_ns(&cal, wb_histo_quantile(h, 0.5)),
		    wb_tsc_delta_ns(&cal, wb_histo_quantile(h, 0.99)), cost[cfg.runs / 2], cost[0],
		    cost[cfg.runs - 1], lapped);
	}
	wb_shm_detach(&shm);
	wb_shm_unlink("/dev/shm", name);
	free(h);

	if (bench_arena_fill(&arena, pipe_msgs) != 0) {
		fprintf(stderr, "wirebook bench shm: %s\n", wb_err_msg());
		return 1;
	}
	snprintf(name, sizeof(name), "bench-%d-p", (int)getpid());
	best[0] = best[1] = 1e30;
	for (r = 0; r < cfg.runs; r++) {
		for (k = 0; k < 2; k++) {
			double x = bench_pipeline(&arena, &cal, name, (int)k, &snaps);

			if (x < 0) {
				fprintf(stderr, "wirebook bench shm: %s\n", wb_err_msg());
				wb_shm_unlink("/dev/shm", name);
				return 1;
			}
			if (x < best[k])
				best[k] = x;
		}
	}
	wb_shm_unlink("/dev/shm", name);
	printf("pipeline, wb_gen stream of %" PRIu64 " messages, bursts of 32, best of %" PRIu64
	       ":\n  feed alone %.1f ns/msg, feed + publisher %.1f ns/msg (+%.1f; %.2f snapshots"
	       " per burst)\n",
	       arena.n, cfg.runs, best[0], best[1], best[1] - best[0],
	       (double)snaps / (double)((arena.n + 31) / 32));
	free(arena.buf);
	free(arena.off);
	return 0;
fail:
	fprintf(stderr, "wirebook bench shm: a subscriber could not open the region\n");
	wb_shm_detach(&shm);
	wb_shm_unlink("/dev/shm", name);
	free(h);
	return 1;
}
