/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef BENCH_FEED_H
#define BENCH_FEED_H

/* `wirebook bench feed`: the daemon's path after the NIC, over a capture. */
int wb_bench_feed(int argc, char **argv);

/*
 * --start-at T (bench book and bench feed): the timed part waits until T,
 * CLOCK_REALTIME seconds as `date +%s.%N` prints them, so that two
 * benchmarks started together (scripts/bench-ab.sh) time the same span of
 * the host even when one loads its file faster. Returns 0 with *t set, or
 * -EINVAL after a message naming the option.
 */
int wb_bench_opt_start_at(const char *arg, double *t);

/* What waiting for T came to: seconds slept, and seconds T had already
 * passed when the wait began (the file took longer to load). */
struct wb_bench_start {
	double wait_s;
	double late_s;
};

/* Sleeps until t (0: no wait) and says how it went. */
void wb_bench_start_at(double t, struct wb_bench_start *st);

#endif /* BENCH_FEED_H */
