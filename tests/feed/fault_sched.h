/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the A/B fault tests (test_faults.c for MoldUDP64, test_pitch_faults.c
 * for PITCH) share: a deterministic generator for their loss and delay
 * schedules, and the simulated delivery they order by (time, order).
 */
#ifndef WB_TEST_FAULT_SCHED_H
#define WB_TEST_FAULT_SCHED_H

#include <stdint.h>

static uint64_t rng_state;

/* Uniform in [0, n): a 64-bit LCG's high bits. */
static inline unsigned int
rng(unsigned int n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned int)((rng_state >> 33) % n);
}

/*
 * The A/B schedule for packet i (pkt_ns apart on A): each line
 * loses it with 5% chance, never both (one of the two, at random, keeps
 * it); B carries it from one packet early to three late (i - 1 + 1/2 to
 * i + 3 + 1/2 packets). a and b say which lines carry it, tb is B's time.
 */
struct ab_fate {
	int a, b;
	uint64_t tb;
};

static inline struct ab_fate
ab_fate(unsigned int i, uint64_t pkt_ns)
{
	struct ab_fate x;
	uint64_t tb;

	x.a = rng(100) >= 5;
	x.b = rng(100) >= 5;
	tb = (uint64_t)i * pkt_ns + pkt_ns / 2 + (uint64_t)rng(5) * pkt_ns;
	if (!x.a && !x.b) {
		if (rng(2))
			x.a = 1;
		else
			x.b = 1;
	}
	x.tb = tb >= pkt_ns ? tb - pkt_ns : 0;
	return x;
}

/* One packet on one line at simulated time t; order breaks ties. */
struct delivery {
	uint64_t t;
	uint32_t order;
	uint32_t pk;
	uint8_t line;
};

/* 1 if a is delivered before b. */
static inline int
delivery_before(const struct delivery *a, const struct delivery *b)
{
	return a->t < b->t || (a->t == b->t && a->order < b->order);
}

#endif
