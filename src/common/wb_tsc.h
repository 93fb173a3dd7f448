/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TSC clock. The TSC is invariant on the hosts we run on, but the frequency
 * DPDK reports is rounded to 10 MHz, so every conversion to nanoseconds goes
 * through a calibration against CLOCK_MONOTONIC_RAW taken at start-up.
 */
#ifndef WB_TSC_H
#define WB_TSC_H

#include <stdint.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
static inline uint64_t
wb_rdtsc(void)
{
	return __rdtsc();
}

/* rdtsc after every earlier load has completed (lfence first): a reader
 * that stamps the moment it saw another core's data must not read the
 * clock before that data has arrived. */
static inline uint64_t
wb_rdtsc_fenced(void)
{
	_mm_lfence();
	return __rdtsc();
}
#else
static inline uint64_t
wb_rdtsc(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline uint64_t
wb_rdtsc_fenced(void)
{
	return wb_rdtsc();
}
#endif

static inline uint64_t
wb_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct wb_tsc_cal {
	double ns_per_tick;
	double ticks_per_ns;
	uint64_t tsc0;
	uint64_t ns0;
};

/* Measures the TSC against CLOCK_MONOTONIC_RAW over about `ms` milliseconds. */
void wb_tsc_calibrate(struct wb_tsc_cal *cal, unsigned int ms);

static inline double
wb_tsc_delta_ns(const struct wb_tsc_cal *cal, uint64_t ticks)
{
	return (double)ticks * cal->ns_per_tick;
}

#endif /* WB_TSC_H */
