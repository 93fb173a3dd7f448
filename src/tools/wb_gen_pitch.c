/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PITCH generator is a translator over wb_gen: the order model, its
 * randomness and its coherence (every reference names a live order with
 * enough shares) are the ITCH generator's, so one model feeds both protocols'
 * book tests. What is PITCH's own is here: choosing short, long or expanded
 * forms by what the values need, Time messages per unit and second, per-unit
 * sequence numbers, and packing messages into Sequenced Units per unit.
 */
#include "wb_gen_pitch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wb_compiler.h"
#include "wb_err.h"

#define NS_PER_S 1000000000ull
#define PMSG_MAX 48 /* longest message encoded here: Trade Expanded, 43 */

struct pmsg {
	uint64_t ts;
	uint8_t len, unit;
	uint8_t b[PMSG_MAX];
};

struct punit {
	uint32_t next_seq;
	uint32_t last_sec; /* of the unit's last Time, UINT32_MAX before the first */
	uint64_t ts_first; /* of the first message waiting in its packet */
	uint16_t len;	   /* bytes of its packet so far, header included */
	uint8_t count;
	uint8_t used;
	uint8_t *buf;
};

struct wb_gen_pitch {
	struct wb_gen_pitch_params p;
	struct wb_gen *gen;
	struct pmsg *q; /* translated, not yet handed out */
	unsigned int qhead, qtail, qcap;
	int ended;
	uint64_t last_ts; /* of the last ITCH message translated */
	uint64_t produced;
	unsigned int max_count;
	struct punit unit[WB_GEN_PITCH_MAX_UNITS + 1];
	uint8_t *pend; /* the units' packets being filled */
	uint8_t *ring; /* closed packets, in order */
	uint16_t *ring_len;
	uint64_t *ring_ts;
	unsigned int rhead, rtail, rcap;
};

void
wb_gen_pitch_params_default(struct wb_gen_pitch_params *p)
{
	memset(p, 0, sizeof(*p));
	wb_gen_params_default(&p->gen);
	p->units = 4;
	p->payload_max = 1400;
	p->window_ns = 50000;
}

struct wb_gen_pitch *
wb_gen_pitch_create(const struct wb_gen_pitch_params *p)
{
	struct wb_gen_pitch *g;
	struct wb_gen_params gp = p->gen;
	unsigned int i;

	if (p->units == 0 || p->units > WB_GEN_PITCH_MAX_UNITS) {
		errno = EINVAL;
		wb_err_set(EINVAL, "gen: units must be in [1, %u], got %u", WB_GEN_PITCH_MAX_UNITS,
			   p->units);
		return NULL;
	}
	if (p->payload_max < WB_PITCH_HDR_LEN + PMSG_MAX || p->payload_max > 65535) {
		errno = EINVAL;
		wb_err_set(EINVAL, "gen: the PITCH payload must be in [%u, 65535] bytes, got %u",
			   WB_PITCH_HDR_LEN + PMSG_MAX, p->payload_max);
		return NULL;
	}
	g = calloc(1, sizeof(*g));
	if (g == NULL)
		goto oom;
	g->p = *p;
	gp.replace_keeps_ref = 1; /* a PITCH Modify keeps its Order ID */
	g->gen = wb_gen_create(&gp);
	if (g->gen == NULL) {
		free(g);
		return NULL;
	}
	g->max_count = p->per_packet != 0 && p->per_packet < 255 ? p->per_packet : 255;
	g->qcap = 2u * p->units + 4u;
	g->rcap = p->units + 2u;
	g->q = calloc(g->qcap, sizeof(*g->q));
	g->pend = malloc((size_t)p->units * p->payload_max);
	g->ring = malloc((size_t)g->rcap * p->payload_max);
	g->ring_len = calloc(g->rcap, sizeof(*g->ring_len));
	g->ring_ts = calloc(g->rcap, sizeof(*g->ring_ts));
	if (g->q == NULL || g->pend == NULL || g->ring == NULL || g->ring_len == NULL ||
	    g->ring_ts == NULL) {
		wb_gen_pitch_destroy(g);
		goto oom;
	}
	for (i = 1; i <= p->units; i++) {
		g->unit[i].next_seq = 1;
		g->unit[i].last_sec = UINT32_MAX;
		g->unit[i].len = WB_PITCH_HDR_LEN;
		g->unit[i].buf = g->pend + (size_t)(i - 1) * p->payload_max;
	}
	return g;
oom:
	errno = ENOMEM;
	wb_err_set(ENOMEM, "gen: out of memory");
	return NULL;
}

void
wb_gen_pitch_destroy(struct wb_gen_pitch *g)
{
	if (g == NULL)
		return;
	wb_gen_destroy(g->gen);
	free(g->q);
	free(g->pend);
	free(g->ring);
	free(g->ring_len);
	free(g->ring_ts);
	free(g);
}

uint64_t
wb_gen_pitch_messages(const struct wb_gen_pitch *g)
{
	return g->produced;
}

static void
q_push(struct wb_gen_pitch *g, const struct wb_pitch_msg *m, uint8_t unit, uint64_t ts)
{
	struct pmsg *e = &g->q[g->qtail % g->qcap];
	int len = wb_pitch_encode(m, e->b, sizeof(e->b));

	/* Every type encoded here fits PMSG_MAX and the queue holds a whole step. */
	e->len = len > 0 ? (uint8_t)len : 0;
	e->unit = unit;
	e->ts = ts;
	g->qtail++;
}

/* A Time message first if this message starts a new second of its unit. */
static void
q_msg(struct wb_gen_pitch *g, struct wb_pitch_msg *m, uint8_t unit, uint64_t ts)
{
	struct punit *u = &g->unit[unit];
	uint32_t sec = (uint32_t)(ts / NS_PER_S);

	u->used = 1;
	if (u->last_sec != sec) {
		struct wb_pitch_msg t;

		memset(&t, 0, sizeof(t));
		t.type = WB_PITCH_TIME;
		t.u.time.seconds = sec;
		q_push(g, &t, unit, ts);
		u->last_sec = sec;
	}
	m->time_offset = (uint32_t)(ts % NS_PER_S);
	q_push(g, m, unit, ts);
}

/*
 * Long forms also carry values that fit the short ones (Cboe may send them
 * either way): one order in eight uses them, so every form is exercised.
 */
static inline int
long_anyway(uint64_t order_id)
{
	return (order_id & 7u) == 0;
}

/* Quantity, 4-decimal price and symbol fit the short forms. */
static inline int
fits_short(uint32_t qty, uint32_t price4, const uint8_t *stock)
{
	return qty <= 0xffffu && price4 % 100u == 0 && price4 / 100u <= 0xffffu &&
	       (stock == NULL || (stock[6] == ' ' && stock[7] == ' '));
}

/* Translates ITCH messages until one gives PITCH messages or the flow ends. */
static void
translate(struct wb_gen_pitch *g)
{
	uint8_t buf[WB_ITCH_MAX_MSG_LEN];
	struct wb_itch_msg im;
	struct wb_pitch_msg m;
	unsigned int len, i;

	while (g->qhead == g->qtail && !g->ended) {
		uint8_t unit;
		uint64_t ts;
		int sh;

		len = wb_gen_next(g->gen, buf);
		if (len == 0) {
			ts = g->last_ts;
			for (i = 1; i <= g->p.units; i++) {
				if (!g->unit[i].used)
					continue;
				memset(&m, 0, sizeof(m));
				m.type = WB_PITCH_END_OF_SESSION;
				q_msg(g, &m, (uint8_t)i, ts);
			}
			g->ended = 1;
			break;
		}
		if (wb_itch_decode(buf, len, &im) != (int)len || im.stock_locate == 0)
			continue; /* S: no PITCH counterpart */
		unit = (uint8_t)((im.stock_locate - 1u) % g->p.units + 1u);
		ts = im.timestamp;
		g->last_ts = ts;
		memset(&m, 0, sizeof(m));
		switch (im.type) {
		case 'A':
		case 'F':
			sh = im.type == 'A' &&
			     fits_short(im.u.add.shares, im.u.add.price, im.u.add.stock) &&
			     !long_anyway(im.u.add.order_ref);
			m.type = im.type == 'F' ? WB_PITCH_ADD_EXPANDED
				 : sh		? WB_PITCH_ADD_SHORT
						: WB_PITCH_ADD_LONG;
			m.u.add.order_id = im.u.add.order_ref;
			m.u.add.side = im.u.add.side;
			m.u.add.quantity = im.u.add.shares;
			m.u.add.symbol = im.u.add.stock; /* 6 or 8 of its 8 bytes */
			m.u.add.price = sh ? im.u.add.price / 100u : im.u.add.price;
			m.u.add.flags = 0x01; /* displayed */
			m.u.add.participant_id = im.u.add.attribution;
			if (m.type == WB_PITCH_ADD_LONG && !fits_short(0, 0, im.u.add.stock))
				m.type = WB_PITCH_ADD_EXPANDED;
			break;
		case 'E':
			m.type = WB_PITCH_ORDER_EXECUTED;
			m.u.executed.order_id = im.u.executed.order_ref;
			m.u.executed.executed_quantity = im.u.executed.executed_shares;
			m.u.executed.execution_id = im.u.executed.match_number;
			break;
		case 'C':
			m.type = WB_PITCH_EXECUTED_AT_PRICE;
			m.u.executed_price.order_id = im.u.executed_price.order_ref;
			m.u.executed_price.executed_quantity = im.u.executed_price.executed_shares;
			m.u.executed_price.remaining_quantity = wb_gen_remaining(g->gen);
			m.u.executed_price.execution_id = im.u.executed_price.match_number;
			m.u.executed_price.price = im.u.executed_price.execution_price;
			break;
		case 'X':
			sh = im.u.cancel.cancelled_shares <= 0xffffu &&
			     !long_anyway(im.u.cancel.order_ref);
			m.type = sh ? WB_PITCH_REDUCE_SHORT : WB_PITCH_REDUCE_LONG;
			m.u.reduce.order_id = im.u.cancel.order_ref;
			m.u.reduce.canceled_quantity = im.u.cancel.cancelled_shares;
			break;
		case 'D':
			m.type = WB_PITCH_DELETE;
			m.u.del.order_id = im.u.del.order_ref;
			break;
		case 'U':
			sh = fits_short(im.u.replace.shares, im.u.replace.price, NULL) &&
			     !long_anyway(im.u.replace.orig_order_ref);
			m.type = sh ? WB_PITCH_MODIFY_SHORT : WB_PITCH_MODIFY_LONG;
			m.u.modify.order_id = im.u.replace.orig_order_ref;
			m.u.modify.quantity = im.u.replace.shares;
			m.u.modify.price = sh ? im.u.replace.price / 100u : im.u.replace.price;
			m.u.modify.flags = 0x01; /* displayed, priority reset */
			break;
		case 'P':
			sh = fits_short(im.u.trade.shares, im.u.trade.price, im.u.trade.stock);
			m.type = sh				      ? WB_PITCH_TRADE_SHORT
				 : fits_short(0, 0, im.u.trade.stock) ? WB_PITCH_TRADE_LONG
								      : WB_PITCH_TRADE_EXPANDED;
			m.u.trade.order_id = im.u.trade.order_ref;
			m.u.trade.side = im.u.trade.side;
			m.u.trade.quantity = im.u.trade.shares;
			m.u.trade.symbol = im.u.trade.stock;
			m.u.trade.price = sh ? im.u.trade.price / 100u : im.u.trade.price;
			m.u.trade.execution_id = im.u.trade.match_number;
			break;
		case 'H':
			m.type = WB_PITCH_TRADING_STATUS;
			m.u.trading_status.symbol = im.u.trading_action.stock;
			m.u.trading_status.trading_status = im.u.trading_action.trading_state;
			m.u.trading_status.reg_sho_action = '0';
			m.u.trading_status.reserved1 = ' ';
			m.u.trading_status.reserved2 = ' ';
			break;
		default:
			continue; /* R: PITCH carries the symbol in each add */
		}
		q_msg(g, &m, unit, ts);
	}
}

unsigned int
wb_gen_pitch_next_msg(struct wb_gen_pitch *g, uint8_t *out, uint8_t *unit, uint64_t *ts_ns)
{
	struct pmsg *e;

	translate(g);
	if (g->qhead == g->qtail)
		return 0;
	e = &g->q[g->qhead++ % g->qcap];
	memcpy(out, e->b, e->len);
	*unit = e->unit;
	*ts_ns = e->ts;
	g->produced++;
	return e->len;
}

/* Closes unit i's packet into the ring of packets to hand out. */
static void
close_unit(struct wb_gen_pitch *g, unsigned int i)
{
	struct punit *u = &g->unit[i];
	unsigned int slot = g->rtail++ % g->rcap;

	wb_pitch_put_hdr(u->buf, u->len, u->count, (uint8_t)i, u->next_seq);
	memcpy(g->ring + (size_t)slot * g->p.payload_max, u->buf, u->len);
	g->ring_len[slot] = u->len;
	g->ring_ts[slot] = u->ts_first;
	u->next_seq += u->count;
	u->count = 0;
	u->len = WB_PITCH_HDR_LEN;
}

unsigned int
wb_gen_pitch_next_unit(struct wb_gen_pitch *g, uint8_t *out, uint64_t *ts_ns)
{
	uint8_t msg[WB_PITCH_MAX_MSG_LEN], ui;
	unsigned int i, len;
	uint64_t ts;

	while (g->rhead == g->rtail) {
		struct punit *u;

		len = wb_gen_pitch_next_msg(g, msg, &ui, &ts);
		if (len == 0) {
			for (i = 1; i <= g->p.units && g->unit[i].count == 0; i++)
				;
			if (i > g->p.units)
				return 0;
			close_unit(g, i);
			break;
		}
		for (i = 1; i <= g->p.units; i++)
			if (g->unit[i].count != 0 && ts - g->unit[i].ts_first > g->p.window_ns)
				close_unit(g, i);
		u = &g->unit[ui];
		if (u->count != 0 && (u->len + len > g->p.payload_max || u->count >= g->max_count))
			close_unit(g, ui);
		if (u->count == 0)
			u->ts_first = ts;
		memcpy(u->buf + u->len, msg, len);
		u->len = (uint16_t)(u->len + len);
		u->count++;
	}
	i = g->rhead++ % g->rcap;
	memcpy(out, g->ring + (size_t)i * g->p.payload_max, g->ring_len[i]);
	*ts_ns = g->ring_ts[i];
	return g->ring_len[i];
}
