/* SPDX-License-Identifier: BSD-3-Clause */
/* The ITCH 5.0 adapter's decoded path (every type into a book op) and its prefetch. */
#include "wb_itch_op.h"

#include "wb_book_pf.h"

static void
wb_itch_op_symbol(char *dst, const uint8_t *stock)
{
	if (stock != NULL)
		memcpy(dst, stock, WB_ITCH_STOCK_LEN);
	else
		memset(dst, 0, WB_ITCH_STOCK_LEN);
}

void
wb_itch_op(const struct wb_itch_msg *m, struct wb_book_op *op)
{
	memset(op, 0, sizeof(*op));
	op->instrument = m->stock_locate;
	op->exch_ts = m->timestamp;
	switch (m->type) {
	case WB_ITCH_ADD_ORDER:
	case WB_ITCH_ADD_ORDER_MPID:
		op->kind = WB_OP_ADD;
		op->side = m->u.add.side;
		op->ref = m->u.add.order_ref;
		op->price = m->u.add.price;
		op->qty = m->u.add.shares;
		wb_itch_op_symbol(op->symbol, m->u.add.stock);
		break;
	case WB_ITCH_ORDER_EXECUTED:
		op->kind = WB_OP_EXECUTE;
		op->ref = m->u.executed.order_ref;
		op->qty = m->u.executed.executed_shares;
		op->aux = m->u.executed.match_number;
		break;
	case WB_ITCH_ORDER_EXECUTED_PRICE:
		op->kind = WB_OP_EXECUTE;
		op->has_price = 1;
		op->ref = m->u.executed_price.order_ref;
		op->qty = m->u.executed_price.executed_shares;
		op->aux = m->u.executed_price.match_number;
		op->price = m->u.executed_price.execution_price;
		break;
	case WB_ITCH_ORDER_CANCEL:
		op->kind = WB_OP_CANCEL;
		op->ref = m->u.cancel.order_ref;
		op->qty = m->u.cancel.cancelled_shares;
		break;
	case WB_ITCH_ORDER_DELETE:
		op->kind = WB_OP_DELETE;
		op->ref = m->u.del.order_ref;
		break;
	case WB_ITCH_ORDER_REPLACE:
		op->kind = WB_OP_REPLACE;
		op->ref = m->u.replace.orig_order_ref;
		op->aux = m->u.replace.new_order_ref;
		op->qty = m->u.replace.shares;
		op->price = m->u.replace.price;
		break;
	case WB_ITCH_TRADE:
		op->kind = WB_OP_TRADE;
		op->side = m->u.trade.side;
		op->qty = m->u.trade.shares;
		op->price = m->u.trade.price;
		op->aux = m->u.trade.match_number;
		break;
	case WB_ITCH_CROSS_TRADE:
		op->kind = WB_OP_TRADE;
		/* a cross's shares are 64-bit on the wire; 4G shares do not trade */
		op->qty = m->u.cross_trade.shares > UINT32_MAX ? UINT32_MAX
							       : (uint32_t)m->u.cross_trade.shares;
		op->price = m->u.cross_trade.cross_price;
		op->aux = m->u.cross_trade.match_number;
		break;
	case WB_ITCH_BROKEN_TRADE: /* the match it voids, no shares, no price */
		op->kind = WB_OP_TRADE;
		op->aux = m->u.broken_trade.match_number;
		break;
	case WB_ITCH_STOCK_DIRECTORY:
		op->kind = WB_OP_DIRECTORY;
		wb_itch_op_symbol(op->symbol, m->u.stock_directory.stock);
		op->qty = m->u.stock_directory.round_lot_size;
		op->state = m->u.stock_directory.market_category;
		op->price_exp = WB_ITCH_PRICE_EXP;
		break;
	case WB_ITCH_TRADING_ACTION:
		op->kind = WB_OP_STATE;
		op->state = m->u.trading_action.trading_state;
		if (m->u.trading_action.reason != NULL)
			memcpy(op->reason, m->u.trading_action.reason, sizeof(op->reason));
		else
			memset(op->reason, ' ', sizeof(op->reason));
		break;
	default:
		break;
	}
}

unsigned int
wb_itch_book_apply(struct wb_book *b, const struct wb_itch_msg *m, struct wb_event *ev)
{
	struct wb_book_op op;
	uint32_t at;

	wb_itch_op(m, &op);
	return wb_book_apply_op(b, &op, ev, &at);
}

/* What a NULL entry reads: type 0, an op naming order 0 of instrument 0. */
static const uint8_t wb_itch_no_msg[WB_ITCH_MAX_MSG_LEN];

void
wb_itch_prefetch(const struct wb_book *b, const uint8_t *const *raw, unsigned int n)
{
	struct wb_book_pf_state st;
	unsigned int i, k;

	for (; n > 0; n -= k, raw += k) {
		k = n < WB_BOOK_OP_CHUNK ? n : WB_BOOK_OP_CHUNK;
		for (i = 0; i < k; i++) {
			const uint8_t *p = raw[i] != NULL ? raw[i] : wb_itch_no_msg;
			unsigned int add = wb_itch_is_add(p[0]);

			wb_book_pf_stage1(b, &st, i, wb_itch_raw_ref(p), wb_itch_raw_ref2(p),
					  wb_itch_raw_locate(p), add, wb_itch_raw_side_if(p, add),
					  wb_itch_raw_price_if(p, add));
		}
		wb_book_pf_stages(b, &st, k, 0);
	}
}
