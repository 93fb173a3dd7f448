/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ITCH 5.0 adapter: Nasdaq messages into venue-neutral book ops
 * (struct wb_book_op, wb_book.h). ITCH's instrument id is the stock locate,
 * its prices have 4 decimals (price_exp -4).
 *
 * Order messages (A F E C X D U: nearly all of a feed) are read in place
 * through the accessors of wb_itch50.h, without a decoded copy or an op:
 * the feed batches the message itself (wb_itch_take), prefetches the
 * batch from the bytes (wb_itch_prefetch) and applies each through the
 * book's call for its kind (wb_itch_apply_order). The others are decoded
 * (wb_itch_decode) into an op for wb_book_apply_op(). The book reads no
 * ITCH bytes either way.
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
 * exactly its type's length, an add's side B or S) applied to the book:
 * one switch on the type, straight into the book's call for that kind, so
 * that a message costs one unpredictable indirect jump, not a switch here
 * and another on an op kind in the book (building ops for the whole batch
 * and switching again doubled the feed's indirect mispredicts,
 * docs/benchmarks.md). ev and at as for wb_book_apply_op().
 */
static inline unsigned int
wb_itch_apply_order(struct wb_book *b, const uint8_t *p, struct wb_event *ev, uint32_t *at)
{
	uint64_t ref = wb_itch_raw_ref(p);
	uint32_t loc = wb_itch_raw_locate(p);

	wb_book_event_init(ev, loc, wb_itch_raw_ts(p));
	switch (p[0]) {
	case WB_ITCH_ADD_ORDER:
	case WB_ITCH_ADD_ORDER_MPID:
		return wb_book_add(b, loc, ref, wb_itch_raw_add_side(p), wb_itch_raw_add_price(p),
				   wb_itch_raw_add_shares(p), (const char *)wb_itch_raw_add_stock(p),
				   ev, at);
	case WB_ITCH_ORDER_EXECUTED:
		return wb_book_execute(b, ref, wb_itch_raw_reduce_shares(p),
				       wb_itch_raw_exec_match(p), ev, at);
	case WB_ITCH_ORDER_EXECUTED_PRICE:
		return wb_book_execute_at(b, ref, wb_itch_raw_reduce_shares(p),
					  wb_itch_raw_exec_match(p), wb_itch_raw_exec_price(p), ev,
					  at);
	case WB_ITCH_ORDER_CANCEL:
		return wb_book_cancel(b, ref, wb_itch_raw_reduce_shares(p), ev, at);
	case WB_ITCH_ORDER_REPLACE:
		return wb_book_replace(b, ref, wb_itch_raw_replace_new_ref(p),
				       wb_itch_raw_replace_price(p), wb_itch_raw_replace_shares(p),
				       ev, at);
	default: /* WB_ITCH_ORDER_DELETE */
		return wb_book_delete(b, ref, ev, at);
	}
}

/*
 * The book's burst prefetch (wb_book_prefetch_ops) over a batch of n
 * messages as wb_itch_take() left them: raw[i] a checked order message, or
 * NULL for one decoded into an op (prefetched as an op naming nothing). The
 * fields come from the bytes through the accessors, without branches on
 * the type, straight into the book's stages (wb_book_pf.h).
 */
void wb_itch_prefetch(const struct wb_book *b, const uint8_t *const *raw, unsigned int n);

/* A decoded message of any type into op (kind WB_OP_NONE for types that
 * change no book and report nothing: S Y L V W K J h I N O). */
void wb_itch_op(const struct wb_itch_msg *m, struct wb_book_op *op);

/*
 * One message of len bytes (a MoldUDP64 block or a BinaryFILE record) taken
 * into a batch: an order message that passes the checks above is left in
 * place (*raw = msg, applied later by wb_itch_apply_order), any other is
 * decoded into op (*raw = NULL). Returns its type's counter index
 * (position in wb_itch_types), or a negative WB_PROTO_* code for what
 * wb_itch_decode() refuses (op is then unspecified).
 */
static inline int
wb_itch_take(const uint8_t *msg, size_t len, const uint8_t **raw, struct wb_book_op *op)
{
	struct wb_itch_msg m;
	int rc;

	if (wb_likely(len != 0)) {
		/* one branch, on the verdict: the checks themselves are
		 * computed, since which of them applies depends on the type */
		unsigned int t = msg[0], len_ok = len == wb_itch_msg_len((uint8_t)t);
		unsigned int add = wb_itch_is_add((uint8_t)t);
		unsigned int side = wb_itch_raw_side_if(msg, add & len_ok);

		if (wb_likely(wb_itch_order_type((uint8_t)t) & len_ok &
			      ((add ^ 1u) | (side == 'B') | (side == 'S')))) {
			*raw = msg;
			return wb_itch_type_slot[t] - 1;
		}
	}
	*raw = NULL;
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
