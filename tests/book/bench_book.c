/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_book [MESSAGES [BURST [MAX_ORDERS [LIVE]]]]: the book alone, without the
 * feed. A generated stream (wb_gen defaults: 1000 instruments, LIVE
 * (200000) live orders) is encoded into memory, then replayed in bursts of BURST messages:
 * each burst is decoded into an array of book ops (the ITCH adapter), and
 * only the applying is timed, once op by op and once after
 * wb_book_prefetch_ops(); then with the
 * decoding timed too: decode and apply one message at a time (what the feed
 * does now), and decode a burst, prefetch it, apply it. Each mode runs
 * three times with a fresh book; the best run is printed. Not a test: run it
 * by hand (`ninja -C build tests/book/bench_book && build/tests/book/bench_book`).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wb_book.h"
#include "wb_gen.h"
#include "wb_itch_op.h"

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC_RAW, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int
main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 0) : 5000000;
	unsigned int burst = argc > 2 ? (unsigned int)strtoul(argv[2], NULL, 0) : 64;
	uint32_t max_orders = argc > 3 ? (uint32_t)strtoul(argv[3], NULL, 0) : 1u << 23;
	uint32_t target = argc > 4 ? (uint32_t)strtoul(argv[4], NULL, 0) : 200000;
	struct wb_gen_params gp;
	struct wb_book_params bp;
	struct wb_itch_msg *m;
	struct wb_book_op *ops;
	struct wb_gen *g;
	uint8_t *arena;
	uint32_t *off;
	uint64_t i, k, used = 0, sink = 0;
	unsigned int len, mode, run;
	uint32_t at;
	static const char *const names[] = {"apply", "prefetch_ops+apply", "decode+apply",
					    "decode_burst+prefetch+apply"};

	if (burst == 0 || burst > 4096)
		burst = 64;
	wb_gen_params_default(&gp);
	gp.messages = n;
	gp.target_orders = target;
	g = wb_gen_create(&gp);
	arena = malloc(n * WB_ITCH_MAX_MSG_LEN);
	off = malloc((n + 1) * sizeof(*off));
	m = malloc(burst * sizeof(*m));
	ops = malloc(burst * sizeof(*ops));
	if (g == NULL || arena == NULL || off == NULL || m == NULL || ops == NULL)
		return 1;
	for (i = 0; (len = wb_gen_next(g, arena + used)) != 0; i++) {
		off[i] = (uint32_t)used;
		used += len;
	}
	off[i] = (uint32_t)used;
	n = i;
	wb_book_params_default(&bp);
	bp.max_orders = max_orders;
	bp.max_levels = 1u << 21;
	for (mode = 0; mode < 4; mode++) {
		double best = 1e9;

		for (run = 0; run < 3; run++) {
			struct wb_book *b = wb_book_create(&bp);
			double t = 0, t0;

			if (b == NULL)
				return 1;
			for (i = 0; i < n; i += burst) {
				unsigned int c = n - i < burst ? (unsigned int)(n - i) : burst;

				if (mode >= 2) { /* decode timed too */
					t0 = now();
					if (mode == 2) {
						for (k = 0; k < c; k++) {
							wb_itch_decode(arena + off[i + k],
								       off[i + k + 1] - off[i + k], &m[0]);
							sink += wb_itch_book_apply(b, &m[0], NULL);
						}
						t += now() - t0;
						continue;
					}
				}
				if (mode < 2)
					t0 = now();
				for (k = 0; k < c; k++) {
					wb_itch_decode(arena + off[i + k], off[i + k + 1] - off[i + k],
						       &m[k]);
					wb_itch_op(&m[k], &ops[k]);
				}
				if (mode < 2)
					t0 = now();
				if (mode != 0)
					wb_book_prefetch_ops(b, ops, c);
				for (k = 0; k < c; k++)
					sink += wb_book_apply_op(b, &ops[k], NULL, &at);
				t += now() - t0;
			}
			sink += wb_book_stats(b)->live_orders;
			wb_book_destroy(b);
			if (t < best)
				best = t;
		}
		printf("%-28s messages %llu burst %u max_orders %u: %.2f ns/msg, %.1f M msg/s\n",
		       names[mode], (unsigned long long)n, burst, max_orders,
		       best / (double)n * 1e9, (double)n / best / 1e6);
	}
	wb_gen_destroy(g);
	free(arena);
	free(off);
	free(m);
	free(ops);
	return sink == 42 ? 2 : 0;
}
