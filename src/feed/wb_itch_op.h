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
 * the type; the book's dispatch on op->kind follows the same path, which
 * the indirect branch predictor learns from this one.
 */
static inline void
wb_itch_op_order(const uint8_t *p, struct wb_book_op *op)
{
	uint32_t loc = wb_itch_raw_locate(p);
	uint64_t ref = wb_itch_raw_ref(p), ts = wb_itch_raw_ts(p);

	switch (p[0]) {
	case WB_ITCH_ADD_ORDER:
	case WB_ITCH_ADD_ORDER_MPID:
		*op = (struct wb_book_op){ .kind = WB_OP_ADD,
					   .side = wb_itch_raw_add_side(p),
					   .instrument = loc,
					   .ref = ref,
					   .price = wb_itch_raw_add_price(p),
					   .qty = wb_itch_raw_add_shares(p),
					   .exch_ts = ts };
		memcpy(op->symbol, wb_itch_raw_add_stock(p), WB_ITCH_STOCK_LEN);
		break;
	case WB_ITCH_ORDER_EXECUTED:
	case WB_ITCH_ORDER_EXECUTED_PRICE: {
		unsigned int c = p[0] == WB_ITCH_ORDER_EXECUTED_PRICE;

		*op = (struct wb_book_op){ .kind = WB_OP_EXECUTE,
					   .has_price = (uint8_t)c,
					   .instrument = loc,
					   .ref = ref,
					   .aux = wb_itch_raw_exec_match(p),
					   .price = c ? wb_itch_raw_exec_price(p) : 0,
					   .qty = wb_itch_raw_reduce_shares(p),
					   .exch_ts = ts };
		break;
	}
	case WB_ITCH_ORDER_CANCEL:
		*op = (struct wb_book_op){ .kind = WB_OP_CANCEL,
					   .instrument = loc,
					   .ref = ref,
					   .qty = wb_itch_raw_reduce_shares(p),
					   .exch_ts = ts };
		break;
	case WB_ITCH_ORDER_REPLACE:
		*op = (struct wb_book_op){ .kind = WB_OP_REPLACE,
					   .instrument = loc,
					   .ref = ref,
					   .aux = wb_itch_raw_replace_new_ref(p),
					   .price = wb_itch_raw_replace_price(p),
					   .qty = wb_itch_raw_replace_shares(p),
					   .exch_ts = ts };
		break;
	default: /* WB_ITCH_ORDER_DELETE */
		*op = (struct wb_book_op){ .kind = WB_OP_DELETE,
					   .instrument = loc,
					   .ref = ref,
					   .exch_ts = ts };
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
