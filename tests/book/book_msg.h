/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Builders for decoded ITCH messages, filled directly (the book's unit tests
 * sit above the decoder) and applied through the ITCH adapter
 * (wb_itch_op.h), and a check of a whole side against expectations.
 */
#ifndef BOOK_MSG_H
#define BOOK_MSG_H

#include <errno.h>

#include "wb_test.h"

#include "wb_compiler.h"

#include "wb_book.h"
#include "wb_itch_op.h"

/* Two instruments' locates, for a book under test and one beside it. */
#define L1 7
#define L2 8

static inline struct wb_itch_msg
msg_hdr(uint8_t type, uint16_t locate)
{
	struct wb_itch_msg m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	m.stock_locate = locate;
	m.timestamp = 34200000000000ull + type;
	return m;
}

static inline struct wb_itch_msg
msg_add(uint16_t locate, uint64_t ref, uint8_t side, uint32_t price, uint32_t shares)
{
	struct wb_itch_msg m = msg_hdr('A', locate);

	m.u.add.order_ref = ref;
	m.u.add.side = side;
	m.u.add.price = price;
	m.u.add.shares = shares;
	m.u.add.stock = (const uint8_t *)"TEST    ";
	return m;
}

static inline struct wb_itch_msg
msg_exec(uint16_t locate, uint64_t ref, uint32_t shares, uint64_t match)
{
	struct wb_itch_msg m = msg_hdr('E', locate);

	m.u.executed.order_ref = ref;
	m.u.executed.executed_shares = shares;
	m.u.executed.match_number = match;
	return m;
}

static inline struct wb_itch_msg
msg_exec_px(uint16_t locate, uint64_t ref, uint32_t shares, uint64_t match, uint32_t price)
{
	struct wb_itch_msg m = msg_hdr('C', locate);

	m.u.executed_price.order_ref = ref;
	m.u.executed_price.executed_shares = shares;
	m.u.executed_price.match_number = match;
	m.u.executed_price.printable = 'Y';
	m.u.executed_price.execution_price = price;
	return m;
}

static inline struct wb_itch_msg
msg_cancel(uint16_t locate, uint64_t ref, uint32_t shares)
{
	struct wb_itch_msg m = msg_hdr('X', locate);

	m.u.cancel.order_ref = ref;
	m.u.cancel.cancelled_shares = shares;
	return m;
}

static inline struct wb_itch_msg
msg_delete(uint16_t locate, uint64_t ref)
{
	struct wb_itch_msg m = msg_hdr('D', locate);

	m.u.del.order_ref = ref;
	return m;
}

static inline struct wb_itch_msg
msg_replace(uint16_t locate, uint64_t ref, uint64_t nref, uint32_t price, uint32_t shares)
{
	struct wb_itch_msg m = msg_hdr('U', locate);

	m.u.replace.orig_order_ref = ref;
	m.u.replace.new_order_ref = nref;
	m.u.replace.price = price;
	m.u.replace.shares = shares;
	return m;
}

/* Applies m; returns the bits. */
static inline unsigned int
apply(struct wb_book *b, struct wb_itch_msg m)
{
	return wb_itch_book_apply(b, &m, NULL);
}

static inline unsigned int
apply_ev(struct wb_book *b, struct wb_itch_msg m, struct wb_event *ev)
{
	memset(ev, 0xa5, sizeof(*ev));
	return wb_itch_book_apply(b, &m, ev);
}

/*
 * Checks a side against n expected {price, orders, shares} triples, best
 * first, and that wb_book_depth agrees.
 */
static inline void
check_side(const struct wb_book *b, uint16_t locate, uint8_t side, const uint64_t (*exp)[3],
	   unsigned int n)
{
	struct wb_level_info lv[64];
	unsigned int i, got;

	got = wb_book_levels(b, locate, side, lv, 64);
	assert_int_equal(got, n);
	assert_int_equal(wb_book_depth(b, locate, side), n);
	for (i = 0; i < n; i++) {
		assert_int_equal(lv[i].price, exp[i][0]);
		assert_int_equal(lv[i].orders, exp[i][1]);
		assert_int_equal(lv[i].shares, exp[i][2]);
	}
}

/* Checks the FIFO at (side, price) against n refs. */
static inline void
check_fifo(const struct wb_book *b, uint16_t locate, uint8_t side, uint32_t price,
	   const uint64_t *exp, unsigned int n)
{
	uint64_t refs[64];
	unsigned int i, got;

	got = wb_book_level_orders(b, locate, side, price, refs, 64);
	assert_int_equal(got, n);
	for (i = 0; i < n; i++)
		assert_int_equal(refs[i], exp[i]);
}

static inline struct wb_book *
book_small(uint32_t orders, uint32_t levels, uint32_t instruments)
{
	struct wb_book_params p;
	struct wb_book *b;

	wb_book_params_default(&p);
	p.max_orders = orders;
	p.max_levels = levels;
	p.max_instruments = instruments;
	b = wb_book_create(&p);
	assert_non_null(b);
	return b;
}

#endif /* BOOK_MSG_H */
