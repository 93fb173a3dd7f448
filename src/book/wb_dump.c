/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_dump.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "wb_err.h"

char *
wb_dump_price(char *buf, int64_t price, int exp)
{
	/* the magnitude as unsigned: -INT64_MIN does not fit an int64_t */
	uint64_t mag = price < 0 ? -(uint64_t)price : (uint64_t)price, scale = 1;
	const char *sign = price < 0 ? "-" : "";
	int d;

	if (exp >= 0) {
		snprintf(buf, WB_DUMP_PRICE_LEN, "%s%" PRIu64 "%.*s", sign, mag, exp > 18 ? 18 : exp,
			 "000000000000000000");
		return buf;
	}
	d = exp < -18 ? 18 : -exp;
	for (int i = 0; i < d; i++)
		scale *= 10;
	snprintf(buf, WB_DUMP_PRICE_LEN, "%s%" PRIu64 ".%0*" PRIu64, sign, mag / scale, d,
		 mag % scale);
	return buf;
}

static int
wb_dump_cmp(const void *a, const void *b, void *ctx)
{
	const struct wb_book *book = ctx;
	uint32_t la = *(const uint32_t *)a, lb = *(const uint32_t *)b;
	int c = strcmp(wb_book_instrument(book, la)->symbol, wb_book_instrument(book, lb)->symbol);

	return c != 0 ? c : (la > lb) - (la < lb);
}

static void
wb_dump_side(FILE *out, const struct wb_book *b, uint32_t locate, uint8_t side,
	     struct wb_level_info *lv, unsigned int cap)
{
	const struct wb_instrument *in = wb_book_instrument(b, locate);
	unsigned int i, n = wb_book_levels(b, locate, side, lv, cap);
	int exp = in->price_exp;
	char px[WB_DUMP_PRICE_LEN];

	for (i = 0; i < n; i++)
		fprintf(out, "%s\t%c\t%u\t%s\t%" PRIu64 "\t%" PRIu32 "\n", in->symbol, side, i + 1,
			wb_dump_price(px, lv[i].price, exp), lv[i].shares, lv[i].orders);
}

int
wb_dump_book(FILE *out, const struct wb_book *b, unsigned int depth)
{
	uint32_t i, n = 0, max = wb_book_max_instruments(b);
	unsigned int cap = 0;
	struct wb_level_info *lv;
	uint32_t *loc;

	loc = malloc(sizeof(*loc) * (max ? max : 1));
	if (loc == NULL)
		return wb_err_set(ENOMEM, "dump: out of memory");
	for (i = 0; i < max; i++) {
		if (wb_book_has_orders(b, i)) {
			unsigned int d = wb_book_depth(b, i, 'B');
			unsigned int s = wb_book_depth(b, i, 'S');

			loc[n++] = i;
			if (d > cap)
				cap = d;
			if (s > cap)
				cap = s;
		}
	}
	if (depth != 0 && cap > depth)
		cap = depth;
	lv = malloc(sizeof(*lv) * (cap ? cap : 1));
	if (lv == NULL) {
		free(loc);
		return wb_err_set(ENOMEM, "dump: out of memory");
	}
	qsort_r(loc, n, sizeof(*loc), wb_dump_cmp, (void *)(uintptr_t)b);
	for (i = 0; i < n; i++) {
		wb_dump_side(out, b, loc[i], 'B', lv, cap);
		wb_dump_side(out, b, loc[i], 'S', lv, cap);
	}
	free(lv);
	free(loc);
	return ferror(out) ? wb_err_set(EIO, "dump: write error") : 0;
}
