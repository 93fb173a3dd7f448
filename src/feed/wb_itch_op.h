/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ITCH 5.0 adapter: Nasdaq messages into venue-neutral book ops
 * (struct wb_book_op, wb_book.h). ITCH's instrument id is the stock locate,
 * its prices have 4 decimals (price_exp -4).
 *
 * Order messages (A F E C X D U: nearly all of a feed) are read in place
 * through the accessors of wb_itch50.h, without a decoded copy; the others
 * are decoded (wb_itch_decode) and converted. The feed calls wb_itch_op_msg()
 * once per message as it batches them, so that the batch's prefetch and the
 * book both read the op, never the bytes.
 */
#ifndef WB_ITCH_OP_H
#define WB_ITCH_OP_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wb_book.h"
#include "wb_compiler.h"
#include "wb_itch50.h"

#define WB_ITCH_PRICE_EXP (-4)

/*
 * An order message already checked (wb_itch_order_type() of its type,
 * exactly its type's length, an add's side B or S) into op. One switch on
 * the type, and the book switches on op->kind again when it applies the
 * batch: a second unpredictable indirect jump a message (callgrind's
 * branch simulation: twice the feed's indirect mispredicts), the price of
 * the book not reading ITCH (docs/benchmarks.md). Only the fields the
 * op's kind uses are written (wb_book.h: the others are unspecified; the
 * prefetch reads them only under masks): zeroing the op first, or the
 * fields a kind leaves alone, cost instructions on every message.
 */
static inline void
wb_itch_op_order(const uint8_t *p, struct wb_book_op *op)
{
	op->instrument = wb_itch_raw_locate(p);
	op->ref = wb_itch_raw_ref(p);
	op->exch_ts = wb_itch_raw_ts(p);
	switch (p[0]) {
	case WB_ITCH_ADD_ORDER:
	case WB_ITCH_ADD_ORDER_MPID:
		op->kind = WB_OP_ADD;
		op->side = wb_itch_raw_add_side(p);
		op->price = wb_itch_raw_add_price(p);
		op->qty = wb_itch_raw_add_shares(p);
		memcpy(op->symbol, wb_itch_raw_add_stock(p), WB_ITCH_STOCK_LEN);
		break;
	case WB_ITCH_ORDER_EXECUTED_PRICE:
		op->kind = WB_OP_EXECUTE;
		op->has_price = 1;
		op->price = wb_itch_raw_exec_price(p);
		op->aux = wb_itch_raw_exec_match(p);
		op->qty = wb_itch_raw_reduce_shares(p);
		break;
	case WB_ITCH_ORDER_EXECUTED:
		op->kind = WB_OP_EXECUTE;
		op->has_price = 0;
		op->aux = wb_itch_raw_exec_match(p);
		op->qty = wb_itch_raw_reduce_shares(p);
		break;
	case WB_ITCH_ORDER_CANCEL:
		op->kind = WB_OP_CANCEL;
		op->qty = wb_itch_raw_reduce_shares(p);
		break;
	case WB_ITCH_ORDER_REPLACE:
		op->kind = WB_OP_REPLACE;
		op->aux = wb_itch_raw_replace_new_ref(p);
		op->price = wb_itch_raw_replace_price(p);
		op->qty = wb_itch_raw_replace_shares(p);
		break;
	default: /* WB_ITCH_ORDER_DELETE */
		op->kind = WB_OP_DELETE;
		break;
	}
}

/* A decoded message of any type into op (kind WB_OP_NONE for types that
 * change no book and report nothing: S Y L V W K J h I N O). */
void wb_itch_op(const struct wb_itch_msg *m, struct wb_book_op *op);

/*
 * One message of len bytes (a MoldUDP64 block or a BinaryFILE record) into
 * op. Returns its type's counter index (position in wb_itch_types), or a
 * negative WB_PROTO_* code for what wb_itch_decode() refuses (op is then
 * unspecified).
 */
static inline int
wb_itch_op_msg(const uint8_t *msg, size_t len, struct wb_book_op *op)
{
	struct wb_itch_msg m;
	int rc;

	if (wb_likely(len != 0)) {
		/* one branch, on the verdict: the checks themselves are
		 * computed, since which of them applies depends on the type */
		unsigned int t = msg[0], len_ok = len == wb_itch_msg_len((uint8_t)t);
		unsigned int side = wb_itch_raw_add_side_or_type(msg, len);

		if (wb_likely(wb_itch_order_type((uint8_t)t) & len_ok &
			      ((wb_itch_is_add((uint8_t)t) ^ 1u) | (side == 'B') | (side == 'S')))) {
			wb_itch_op_order(msg, op);
			return wb_itch_type_slot[t] - 1;
		}
	}
	rc = wb_itch_decode(msg, len, &m);
	if (wb_unlikely(rc < 0))
		return rc;
	wb_itch_op(&m, op);
	return wb_itch_type_slot[m.type] - 1;
}

/* Converts m and applies it: the book tests' and tools' way in. */
unsigned int wb_itch_book_apply(struct wb_book *b, const struct wb_itch_msg *m,
				struct wb_event *ev);

#endif /* WB_ITCH_OP_H */
