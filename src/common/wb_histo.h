/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Log-linear latency histogram (the HdrHistogram idea, fixed precision):
 * values below 64 are exact, above that each power of two is split in 32
 * buckets, so a quantile is within about 3% of the true value. Recording is
 * one clz and one increment; no allocation.
 */
#ifndef WB_HISTO_H
#define WB_HISTO_H

#include <stdint.h>
#include <stdio.h>

#define WB_HISTO_BUCKETS (64 + 58 * 32 + 32)

struct wb_histo {
	uint64_t count;
	uint64_t min;
	uint64_t max;
	uint64_t sum;
	uint64_t buckets[WB_HISTO_BUCKETS];
};

void wb_histo_init(struct wb_histo *h);

static inline unsigned int
wb_histo_index(uint64_t v)
{
	unsigned int msb, shift;

	if (v < 64)
		return (unsigned int)v;
	msb = 63u - (unsigned int)__builtin_clzll(v);
	shift = msb - 5u;
	return 64u + (msb - 6u) * 32u + (unsigned int)((v >> shift) - 32u);
}

static inline void
wb_histo_add(struct wb_histo *h, uint64_t v)
{
	h->buckets[wb_histo_index(v)]++;
	h->count++;
	h->sum += v;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

/*
 * A histogram one thread records into while others read it: relaxed atomic
 * loads and stores (the same instructions as plain ones on x86-64), so a
 * reader sees each counter whole; the set is a statistic, not a snapshot.
 */
static inline void
wb_histo_add_shared(struct wb_histo *h, uint64_t v)
{
	unsigned int i = wb_histo_index(v);

	__atomic_store_n(&h->buckets[i], __atomic_load_n(&h->buckets[i], __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&h->count, __atomic_load_n(&h->count, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&h->sum, __atomic_load_n(&h->sum, __ATOMIC_RELAXED) + v,
			 __ATOMIC_RELAXED);
	if (v < __atomic_load_n(&h->min, __ATOMIC_RELAXED))
		__atomic_store_n(&h->min, v, __ATOMIC_RELAXED);
	if (v > __atomic_load_n(&h->max, __ATOMIC_RELAXED))
		__atomic_store_n(&h->max, v, __ATOMIC_RELAXED);
}

/* Reader of a shared histogram: merges a relaxed copy of src into dst. */
void wb_histo_merge_shared(struct wb_histo *dst, const struct wb_histo *src);
/* Writer of a shared histogram: empties it. */
void wb_histo_reset_shared(struct wb_histo *h);

/* Lowest value that falls into bucket `idx`. */
uint64_t wb_histo_bucket_low(unsigned int idx);
/* Value at quantile q in [0, 1]; 0 for an empty histogram. */
uint64_t wb_histo_quantile(const struct wb_histo *h, double q);
void wb_histo_merge(struct wb_histo *dst, const struct wb_histo *src);

/*
 * Value at percentile pct in [0, 100], as HdrHistogram reports it: the
 * highest value of the bucket that holds the ceil(pct% of count)-th
 * smallest recorded value (at least the first), clipped to [min, max]. So
 * every reported figure is an upper bound within the bucket's precision,
 * and values below 64 are exact. 0 for an empty histogram.
 */
uint64_t wb_histo_value_at(const struct wb_histo *h, double pct);
/* Mean of the recorded values (exact: the sum is kept). */
double wb_histo_mean(const struct wb_histo *h);

/*
 * HdrHistogram's percentile-distribution text (.hgrm, as
 * outputPercentileDistribution() prints it, 5 ticks per half distance),
 * values divided by `unit` (1000: recorded ns printed as us). Plots with
 * HdrHistogram's plotFiles.html and the usual scripts. Returns 0, or -EIO with
 * wb_err_msg() on a write error.
 */
int wb_histo_hgrm(const struct wb_histo *h, FILE *out, double unit);

#endif /* WB_HISTO_H */
