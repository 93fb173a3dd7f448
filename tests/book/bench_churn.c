/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_churn [OPS [LIVE]]: the order table under consecutive refs, the case
 * that makes long probe runs. LIVE orders (default 4096) with consecutive
 * refs rest on one instrument; each step adds the newest and deletes the
 * oldest, OPS times (default 4,000,000). Prints ns per add+delete. Run:
 *   meson test -C build --benchmark book_churn
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wb_book.h"
#include "wb_itch_op.h"
#include "wb_tsc.h"

int
main(int argc, char **argv)
{
	static const uint8_t stock[8] = { 'C', 'H', 'R', 'N', ' ', ' ', ' ', ' ' };
	uint64_t ops = argc > 1 ? strtoull(argv[1], NULL, 10) : 4000000;
	uint64_t live = argc > 2 ? strtoull(argv[2], NULL, 10) : 4096;
	struct wb_book_params p;
	struct wb_itch_msg m;
	struct wb_book *b;
	uint64_t i, t0, t1;

	wb_book_params_default(&p);
	p.max_orders = 1u << 20;
	p.max_levels = 1u << 16;
	if (live == 0 || live >= p.max_orders) {
		fprintf(stderr, "bench_churn: LIVE must be in [1, %u)\n", p.max_orders);
		return 2;
	}
	b = wb_book_create(&p);
	if (b == NULL)
		return 1;
	t0 = 0;
	for (i = 0; i < ops + live; i++) {
		if (i == live)
			t0 = wb_mono_ns();
		memset(&m, 0, sizeof(m));
		m.type = 'A';
		m.stock_locate = 1;
		m.u.add.order_ref = 1 + i;
		m.u.add.side = (i & 1) ? 'B' : 'S';
		m.u.add.shares = 100;
		m.u.add.stock = stock;
		m.u.add.price = (i & 1) ? 1000000 - (uint32_t)(i % 16) * 100
					: 1010000 + (uint32_t)(i % 16) * 100;
		wb_itch_book_apply(b, &m, NULL);
		if (i >= live) {
			memset(&m, 0, sizeof(m));
			m.type = 'D';
			m.stock_locate = 1;
			m.u.del.order_ref = 1 + i - live;
			wb_itch_book_apply(b, &m, NULL);
		}
	}
	t1 = wb_mono_ns();
	printf("{\"ops\": %" PRIu64 ", \"live\": %" PRIu64 ", \"ns_per_add_delete\": %.1f, "
	       "\"unknown_ref\": %" PRIu64 "}\n",
	       ops, wb_book_stats(b)->live_orders, (double)(t1 - t0) / (double)ops,
	       wb_book_stats(b)->unknown_ref);
	wb_book_destroy(b);
	return 0;
}
