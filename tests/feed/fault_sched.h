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
