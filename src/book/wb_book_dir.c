/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ops that leave orders and levels alone: the directory and trading
 * state (DIRECTORY, STATE) and trades (TRADE). Rare next to the order ops,
 * so wb_book_apply_op() calls them across files.
 */
#include <string.h>

#include "wb_book_int.h"

/* A symbol of up to WB_SYMBOL_LEN characters, space or NUL padded, trimmed. */
void
wb_book_set_symbol(char *dst, const char *src)
{
	size_t n = 0, i;

	for (i = 0; i < WB_SYMBOL_LEN && src[i] != '\0'; i++)
		if (src[i] != ' ')
			n = i + 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

unsigned int
wb_book_directory(struct wb_book *b, const struct wb_book_op *op, struct wb_event *ev,
		  uint32_t *at)
{
	uint32_t loc = op->instrument;
	struct wb_instrument *in;

	if (wb_unlikely(loc >= b->max_instruments)) {
		b->stats.bad_locate++;
		return 0;
	}
	in = &b->dir[loc];
	*at = loc;
	if (op->kind == WB_OP_DIRECTORY) {
		b->inst[loc].known = 1;
		in->known = 1;
		wb_book_set_symbol(in->symbol, op->symbol);
		in->round_lot_size = op->qty;
		in->market_category = op->state;
		in->price_exp = op->price_exp;
		if (ev != NULL) {
			ev->type = WB_EV_DIRECTORY;
			/* the symbol, NUL padded (the union was zeroed) */
			memcpy(ev->u.directory.symbol, in->symbol, strlen(in->symbol));
			ev->u.directory.price_exp = in->price_exp;
		}
	} else {
		in->trading_state = op->state;
		memcpy(in->reason, op->reason, sizeof(in->reason));
		if (ev != NULL) {
			ev->type = WB_EV_TRADING_STATE;
			ev->u.trading.state = in->trading_state;
			memcpy(ev->u.trading.reason, in->reason, sizeof(in->reason));
		}
	}
	return WB_BOOK_DIRECTORY;
}

/* A trade: no book change, an event only. */
unsigned int
wb_book_trade(struct wb_book *b, const struct wb_book_op *op, struct wb_event *ev)
{
	if (wb_unlikely(op->instrument >= b->max_instruments)) {
		b->stats.bad_locate++;
		return 0;
	}
	if (ev == NULL)
		return 0;
	ev->type = WB_EV_TRADE;
	ev->side = op->side;
	ev->qty = op->qty;
	ev->u.trade.price = op->price;
	ev->u.trade.match = op->aux;
	return 0;
}
