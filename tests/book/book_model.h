/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A deliberately plain second book for test_book_diff: orders in an array
 * indexed by ref (a short list with linear search for refs beyond it), an
 * arrival counter for time priority, no levels at all (they are computed by
 * sorting when compared). It implements the rules of wb_book.h from the spec
 * text, not from the real book's code.
 */
#ifndef BOOK_MODEL_H
#define BOOK_MODEL_H

#include "book_msg.h"

#define MODEL_DIRECT (1u << 23)
#define MODEL_FAR 4096

struct model_order {
	uint32_t price, shares;
	uint32_t seq; /* arrival: smaller = earlier in its level */
	uint16_t locate;
	uint8_t side; /* 'B' / 'S' */
	uint8_t live;
};

struct model_dir {
	char symbol[9];
	uint8_t known, state;
	uint8_t reason[4];
};

struct model {
	struct model_order *direct; /* [MODEL_DIRECT] */
	uint64_t far_ref[MODEL_FAR];
	struct model_order far[MODEL_FAR];
	unsigned int nfar;
	uint64_t max_direct; /* highest direct ref ever live, + 1 */
	uint32_t seq, max_instruments;
	struct wb_book_stats st;
	struct model_dir dir[WB_BOOK_DEFAULT_INSTRUMENTS]; /* ITCH locates */
};

/* The order slot for ref (live or not), or NULL if ref is not live and create == 0. */
static inline struct model_order *
model_slot(struct model *md, uint64_t ref, int create)
{
	unsigned int i;

	if (ref < MODEL_DIRECT) {
		if (create && ref >= md->max_direct)
			md->max_direct = ref + 1;
		return &md->direct[ref];
	}
	for (i = 0; i < md->nfar; i++)
		if (md->far_ref[i] == ref)
			return &md->far[i];
	if (!create)
		return NULL;
	for (i = 0; i < md->nfar; i++)
		if (!md->far[i].live)
			break;
	if (i == md->nfar) {
		assert_true(md->nfar < MODEL_FAR);
		md->nfar++;
	}
	md->far_ref[i] = ref;
	memset(&md->far[i], 0, sizeof(md->far[i]));
	return &md->far[i];
}

static inline struct model_order *
model_live(struct model *md, uint64_t ref)
{
	struct model_order *o = model_slot(md, ref, 0);

	return o != NULL && o->live ? o : NULL;
}

static inline void
model_put(struct model *md, uint64_t ref, uint16_t locate, uint8_t side, uint32_t price,
	  uint32_t shares)
{
	struct model_order *o = model_slot(md, ref, 1);

	o->live = 1;
	o->locate = locate;
	o->side = side;
	o->price = price;
	o->shares = shares;
	o->seq = ++md->seq;
	md->st.live_orders++;
}

static inline void
model_kill(struct model *md, struct model_order *o)
{
	o->live = 0;
	md->st.live_orders--;
}

static inline void
model_name(struct model *md, uint16_t locate, const uint8_t *stock)
{
	int n = 8;

	while (n > 0 && stock[n - 1] == ' ')
		n--;
	memset(md->dir[locate].symbol, 0, sizeof(md->dir[locate].symbol));
	memcpy(md->dir[locate].symbol, stock, (size_t)n);
	md->dir[locate].known = 1;
}

/*
 * Applies m. Returns 1 if a book changed, and the event type the real book
 * must report in *type and the instrument it acts on in *locate.
 */
static inline int
model_apply(struct model *md, const struct wb_itch_msg *m, uint8_t *type, uint16_t *locate)
{
	struct model_order *o, keep;
	uint64_t ref = 0;
	uint32_t n = 0;

	*type = WB_EV_NONE;
	*locate = m->stock_locate;
	switch (m->type) {
	case 'A':
	case 'F':
		if (m->stock_locate >= md->max_instruments) {
			md->st.bad_locate++;
			return 0;
		}
		if (m->u.add.side != 'B' && m->u.add.side != 'S') {
			md->st.bad_side++;
			return 0;
		}
		if (model_live(md, m->u.add.order_ref) != NULL) {
			md->st.duplicate_ref++;
			return 0;
		}
		model_put(md, m->u.add.order_ref, m->stock_locate, m->u.add.side, m->u.add.price,
			  m->u.add.shares);
		if (!md->dir[m->stock_locate].known)
			model_name(md, m->stock_locate, m->u.add.stock);
		*type = WB_EV_ADD;
		md->st.applied++;
		return 1;
	case 'E':
		ref = m->u.executed.order_ref;
		n = m->u.executed.executed_shares;
		*type = WB_EV_EXECUTE;
		break;
	case 'C':
		ref = m->u.executed_price.order_ref;
		n = m->u.executed_price.executed_shares;
		*type = WB_EV_EXECUTE;
		break;
	case 'X':
		ref = m->u.cancel.order_ref;
		n = m->u.cancel.cancelled_shares;
		*type = WB_EV_CANCEL;
		break;
	case 'D':
		ref = m->u.del.order_ref;
		*type = WB_EV_DELETE;
		break;
	case 'U':
		o = model_live(md, m->u.replace.orig_order_ref);
		if (o == NULL) {
			md->st.unknown_ref++;
			return 0;
		}
		if (m->u.replace.new_order_ref != m->u.replace.orig_order_ref &&
		    model_live(md, m->u.replace.new_order_ref) != NULL) {
			md->st.duplicate_ref++;
			return 0;
		}
		keep = *o;
		model_kill(md, o);
		model_put(md, m->u.replace.new_order_ref, keep.locate, keep.side,
			  m->u.replace.price, m->u.replace.shares);
		*type = WB_EV_REPLACE;
		*locate = keep.locate;
		md->st.applied++;
		return 1;
	case 'R':
	case 'H':
	case 'P':
	case 'Q':
	case 'B':
		if (m->stock_locate >= md->max_instruments) {
			md->st.bad_locate++;
			return 0;
		}
		if (m->type == 'R') {
			model_name(md, m->stock_locate, m->u.stock_directory.stock);
			*type = WB_EV_DIRECTORY;
		} else if (m->type == 'H') {
			md->dir[m->stock_locate].state = m->u.trading_action.trading_state;
			memcpy(md->dir[m->stock_locate].reason, m->u.trading_action.reason, 4);
			*type = WB_EV_TRADING_STATE;
		} else {
			*type = WB_EV_TRADE;
		}
		return 0;
	default:
		return 0;
	}
	/* E C X D */
	o = model_live(md, ref);
	if (o == NULL) {
		md->st.unknown_ref++;
		*type = WB_EV_NONE;
		return 0;
	}
	*locate = o->locate;
	if (m->type == 'D' || n >= o->shares) {
		if (m->type != 'D' && n > o->shares)
			md->st.overfill++;
		model_kill(md, o);
	} else if (n == 0) {
		return 0;
	} else {
		o->shares -= n;
	}
	md->st.applied++;
	return 1;
}

#endif /* BOOK_MODEL_H */
