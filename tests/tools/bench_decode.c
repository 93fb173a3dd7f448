/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Decode-only throughput of PITCH against ITCH on generated streams of the
 * same order flow (wb_gen and wb_gen_pitch, seed 1, 1,000 instruments):
 *   itch         wb_itch_decode over every ITCH message;
 *   pitch        wb_pitch_decode over every PITCH message;
 *   pitch_units  wb_pitch_parse + iterate + wb_pitch_decode over the PITCH
 *                Sequenced Units (4 units, 1400-byte payloads), the rx path's
 *                shape.
 * Both streams are generated into memory first (messages back to back, each
 * after a length byte; units back to back), so nothing but decoding is timed.
 * The three are run in turn ROUNDS times and each one's median is printed.
 * Usage: bench_decode MESSAGES ROUNDS [KIND]   (docs/benchmarks.md); with KIND
 * only that one runs, so that under callgrind two ROUNDS values give
 * repeatable instructions per message (scripts/bench_decode.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wb_gen_pitch.h"
#include "wb_itch50.h"
#include "wb_pitch.h"

struct arena {
	uint8_t *p;
	size_t len, cap;
	uint64_t items;
};

static void
put(struct arena *a, const uint8_t *d, size_t n)
{
	if (a->len + n > a->cap) {
		a->cap = (a->len + n) * 2;
		a->p = realloc(a->p, a->cap);
		if (a->p == NULL) {
			perror("realloc");
			exit(1);
		}
	}
	memcpy(a->p + a->len, d, n);
	a->len += n;
}

static double
now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC_RAW, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static __attribute__((noinline)) uint64_t
run_itch(const struct arena *a)
{
	const uint8_t *p = a->p, *end = a->p + a->len;
	struct wb_itch_msg m;
	uint64_t acc = 0;

	while (p < end) {
		acc += (uint64_t)wb_itch_decode(p + 1, p[0], &m) + m.stock_locate;
		p += 1u + p[0];
	}
	return acc;
}

static __attribute__((noinline)) uint64_t
run_pitch(const struct arena *a)
{
	const uint8_t *p = a->p, *end = a->p + a->len;
	struct wb_pitch_msg m;
	uint64_t acc = 0;

	while (p < end) {
		acc += (uint64_t)wb_pitch_decode(p, p[0], 0, &m) + m.time_offset;
		p += p[0];
	}
	return acc;
}

static __attribute__((noinline)) uint64_t
run_units(const struct arena *a)
{
	const uint8_t *p = a->p, *end = a->p + a->len, *msg;
	struct wb_pitch_pkt pkt;
	struct wb_pitch_iter it;
	struct wb_pitch_msg m;
	uint64_t acc = 0;
	uint8_t len;
	int ul;

	while (p < end) {
		ul = wb_pitch_parse(p, (size_t)(end - p), &pkt);
		if (ul <= 0)
			break;
		wb_pitch_iter_init(&it, &pkt);
		while (wb_pitch_iter_next(&it, &msg, &len) == 1)
			acc += (uint64_t)wb_pitch_decode(msg, len, 0, &m) + m.time_offset;
		p += ul;
	}
	return acc;
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	static const char *names[3] = {"itch", "pitch", "pitch_units"};
	struct arena itch = {0}, pitch = {0}, units = {0};
	struct wb_gen_pitch_params pp;
	struct wb_gen_pitch *gp;
	struct wb_gen *g;
	uint8_t buf[1500];
	double rate[3][64];
	uint64_t acc = 0, ts;
	unsigned int len, rounds, r, k;
	uint8_t unit;

	if (argc < 3 || argc > 4 || atol(argv[1]) <= 0 || atoi(argv[2]) <= 0 ||
	    atoi(argv[2]) > 64) {
		fprintf(stderr, "usage: %s MESSAGES ROUNDS(1..64) [itch|pitch|pitch_units]\n",
			argv[0]);
		return 2;
	}
	rounds = (unsigned int)atoi(argv[2]);
	wb_gen_pitch_params_default(&pp);
	pp.gen.messages = (uint64_t)atol(argv[1]);
	g = wb_gen_create(&pp.gen);
	if (g == NULL)
		return 1;
	while ((len = wb_gen_next(g, buf + 1)) != 0) {
		buf[0] = (uint8_t)len;
		put(&itch, buf, len + 1u);
		itch.items++;
	}
	wb_gen_destroy(g);
	/* The same flow twice: as messages, then packed into units. */
	gp = wb_gen_pitch_create(&pp);
	if (gp == NULL)
		return 1;
	while ((len = wb_gen_pitch_next_msg(gp, buf, &unit, &ts)) != 0) {
		put(&pitch, buf, len);
		pitch.items++;
	}
	wb_gen_pitch_destroy(gp);
	gp = wb_gen_pitch_create(&pp);
	if (gp == NULL)
		return 1;
	while ((len = wb_gen_pitch_next_unit(gp, buf, &ts)) != 0)
		put(&units, buf, len);
	units.items = wb_gen_pitch_messages(gp);
	wb_gen_pitch_destroy(gp);

	for (r = 0; r < rounds; r++) {
		for (k = 0; k < 3; k++) {
			const struct arena *a = k == 0 ? &itch : k == 1 ? &pitch : &units;
			double t0;

			if (argc == 4 && strcmp(argv[3], names[k]) != 0)
				continue;
			t0 = now_ns();

			acc += k == 0 ? run_itch(a) : k == 1 ? run_pitch(a) : run_units(a);
			rate[k][r] = (double)a->items / ((now_ns() - t0) / 1e9);
		}
	}
	for (k = 0; k < 3; k++) {
		const struct arena *a = k == 0 ? &itch : k == 1 ? &pitch : &units;

		if (argc == 4 && strcmp(argv[3], names[k]) != 0)
			continue;
		qsort(rate[k], rounds, sizeof(double), cmp_d);
		printf(
		    "%-12s %llu messages, %zu bytes: median %.1f M msgs/s (min %.1f, max %.1f)\n",
		    names[k], (unsigned long long)a->items, a->len, rate[k][rounds / 2] / 1e6,
		    rate[k][0] / 1e6, rate[k][rounds - 1] / 1e6);
	}
	printf("checksum %llu\n", (unsigned long long)acc);
	free(itch.p);
	free(pitch.p);
	free(units.p);
	return 0;
}
