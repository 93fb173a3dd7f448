/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_histo.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "wb_err.h"

void
wb_histo_init(struct wb_histo *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

uint64_t
wb_histo_bucket_low(unsigned int idx)
{
	unsigned int msb, top;

	if (idx < 64)
		return idx;
	msb = (idx - 64u) / 32u + 6u;
	top = (idx - 64u) % 32u + 32u;
	return (uint64_t)top << (msb - 5u);
}

uint64_t
wb_histo_quantile(const struct wb_histo *h, double q)
{
	uint64_t rank, seen = 0;
	unsigned int i;

	if (h->count == 0)
		return 0;
	if (q <= 0.0)
		return h->min;
	if (q >= 1.0)
		return h->max;
	rank = (uint64_t)(q * (double)h->count);
	if (rank >= h->count)
		rank = h->count - 1;
	for (i = 0; i < WB_HISTO_BUCKETS; i++) {
		seen += h->buckets[i];
		if (seen > rank) {
			uint64_t lo = wb_histo_bucket_low(i);
			uint64_t hi = i + 1 < WB_HISTO_BUCKETS ? wb_histo_bucket_low(i + 1) : lo;
			uint64_t mid = lo + (hi - lo) / 2;

			if (mid < h->min)
				mid = h->min;
			if (mid > h->max)
				mid = h->max;
			return mid;
		}
	}
	return h->max;
}

void
wb_histo_merge(struct wb_histo *dst, const struct wb_histo *src)
{
	unsigned int i;

	for (i = 0; i < WB_HISTO_BUCKETS; i++)
		dst->buckets[i] += src->buckets[i];
	dst->count += src->count;
	dst->sum += src->sum;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

/* Highest value that falls into bucket idx. */
static uint64_t
wb_histo_bucket_high(unsigned int idx)
{
	if (idx + 1 >= WB_HISTO_BUCKETS)
		return UINT64_MAX;
	return wb_histo_bucket_low(idx + 1) - 1;
}

uint64_t
wb_histo_value_at(const struct wb_histo *h, double pct)
{
	uint64_t want, seen = 0, v;
	unsigned int i;

	if (h->count == 0)
		return 0;
	if (pct < 0.0)
		pct = 0.0;
	if (pct > 100.0)
		pct = 100.0;
	want = (uint64_t)ceil(pct / 100.0 * (double)h->count);
	if (want == 0)
		want = 1;
	if (want > h->count)
		want = h->count;
	for (i = 0; i < WB_HISTO_BUCKETS; i++) {
		seen += h->buckets[i];
		if (seen >= want)
			break;
	}
	if (i == WB_HISTO_BUCKETS)
		return h->max;
	v = wb_histo_bucket_high(i);
	if (v > h->max)
		v = h->max;
	if (v < h->min)
		v = h->min;
	return v;
}

double
wb_histo_mean(const struct wb_histo *h)
{
	return h->count ? (double)h->sum / (double)h->count : 0.0;
}

/* Standard deviation from the buckets' middles, as HdrHistogram does. */
static double
wb_histo_stddev(const struct wb_histo *h)
{
	double mean = wb_histo_mean(h), acc = 0.0;
	unsigned int i;

	if (h->count == 0)
		return 0.0;
	for (i = 0; i < WB_HISTO_BUCKETS; i++) {
		uint64_t lo, hi;
		double mid;

		if (h->buckets[i] == 0)
			continue;
		lo = wb_histo_bucket_low(i);
		hi = wb_histo_bucket_high(i);
		mid = (double)lo + (double)(hi - lo) / 2.0;
		acc += (mid - mean) * (mid - mean) * (double)h->buckets[i];
	}
	return sqrt(acc / (double)h->count);
}

/* Recorded values at or below v. */
static uint64_t
wb_histo_count_le(const struct wb_histo *h, uint64_t v)
{
	unsigned int i, last = wb_histo_index(v);
	uint64_t n = 0;

	for (i = 0; i <= last && i < WB_HISTO_BUCKETS; i++)
		n += h->buckets[i];
	return n;
}

int
wb_histo_hgrm(const struct wb_histo *h, FILE *out, double unit)
{
	double level = 0.0;
	unsigned int used = 0, i;

	if (unit <= 0.0)
		unit = 1.0;
	fprintf(out, "%12s %14s %10s %14s\n\n", "Value", "Percentile", "TotalCount",
		"1/(1-Percentile)");
	if (h->count != 0) {
		for (;;) {
			uint64_t v = wb_histo_value_at(h, level);
			uint64_t n = wb_histo_count_le(h, v);
			double ticks;

			if (n > h->count)
				n = h->count;
			fprintf(out, "%12.3f %2.12f %10" PRIu64 " %14.2f\n", (double)v / unit,
				level / 100.0, n, 1.0 / (1.0 - level / 100.0));
			if (n >= h->count || level >= 100.0)
				break;
			/* HdrHistogram's percentile iterator, 5 ticks per half distance */
			ticks = 5.0 * pow(2.0, floor(log2(100.0 / (100.0 - level))) + 1.0);
			level += 100.0 / ticks;
		}
		fprintf(out, "%12.3f %2.12f %10" PRIu64 "\n", (double)h->max / unit, 1.0,
			h->count);
	}
	for (i = 0; i < WB_HISTO_BUCKETS; i++)
		used += h->buckets[i] != 0;
	fprintf(out, "#[Mean    = %12.3f, StdDeviation   = %12.3f]\n", wb_histo_mean(h) / unit,
		wb_histo_stddev(h) / unit);
	fprintf(out, "#[Max     = %12.3f, Total count    = %12" PRIu64 "]\n",
		(double)(h->count ? h->max : 0) / unit, h->count);
	fprintf(out, "#[Buckets = %12u, SubBuckets     = %12u]\n", used, 32u);
	return ferror(out) ? wb_err_set(EIO, "hgrm: write error") : 0;
}

void
wb_histo_merge_shared(struct wb_histo *dst, const struct wb_histo *src)
{
	uint64_t mn = __atomic_load_n(&src->min, __ATOMIC_RELAXED);
	uint64_t mx = __atomic_load_n(&src->max, __ATOMIC_RELAXED);
	unsigned int i;

	for (i = 0; i < WB_HISTO_BUCKETS; i++)
		dst->buckets[i] += __atomic_load_n(&src->buckets[i], __ATOMIC_RELAXED);
	dst->count += __atomic_load_n(&src->count, __ATOMIC_RELAXED);
	dst->sum += __atomic_load_n(&src->sum, __ATOMIC_RELAXED);
	if (mn < dst->min)
		dst->min = mn;
	if (mx > dst->max)
		dst->max = mx;
}

void
wb_histo_reset_shared(struct wb_histo *h)
{
	unsigned int i;

	for (i = 0; i < WB_HISTO_BUCKETS; i++)
		__atomic_store_n(&h->buckets[i], 0, __ATOMIC_RELAXED);
	__atomic_store_n(&h->count, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&h->sum, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&h->max, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&h->min, UINT64_MAX, __ATOMIC_RELAXED);
}
