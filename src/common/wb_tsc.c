/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_tsc.h"

void
wb_tsc_calibrate(struct wb_tsc_cal *cal, unsigned int ms)
{
	uint64_t t0, n0, t1, n1;
	struct timespec req = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	if (ms == 0)
		req.tv_nsec = 1000000L;
	n0 = wb_mono_ns();
	t0 = wb_rdtsc();
	nanosleep(&req, NULL);
	n1 = wb_mono_ns();
	t1 = wb_rdtsc();
	if (t1 <= t0 || n1 <= n0) {
		cal->ns_per_tick = 1.0;
	} else {
		cal->ns_per_tick = (double)(n1 - n0) / (double)(t1 - t0);
	}
	cal->ticks_per_ns = 1.0 / cal->ns_per_tick;
	cal->tsc0 = t1;
	cal->ns0 = n1;
}
