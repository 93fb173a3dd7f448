/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_histo.h"

#include <string.h>

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
