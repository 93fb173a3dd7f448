/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The generator keeps its own model of every order it made live, so each
 * E C X D U names a live order with enough shares, exactly as an exchange
 * feed would. Each instrument has a price ladder (one FIFO of orders per tick,
 * a window of ticks around its opening price) with its best bid and ask:
 *
 *  - adds are priced a geometric number of ticks behind the opposite touch,
 *    so the book never crosses and most orders rest within a few ticks of the
 *    top, as on a real book;
 *  - executions take the oldest order at the best level (price-time
 *    priority), so the touch moves as liquidity is consumed;
 *  - deletes, partial cancels and replaces pick their order by a log-uniform
 *    distance back in the history of created orders: most orders die moments
 *    after they were placed and a few rest for hours (heavy-tailed
 *    lifetimes); one in ten picks uniformly among the instrument's orders;
 *  - instrument activity is Zipf-like, and the mix leans towards adds while
 *    the live-order count is under its target and towards removals above it.
 *
 * Everything derives from one xoshiro256** state: the same parameters always
 * give the same bytes.
 */
#include "wb_gen.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wb_compiler.h"
#include "wb_err.h"

#define GEN_NIL UINT32_MAX

struct gen_order {
	uint64_t ref;
	uint32_t shares;
	uint32_t tick;       /* ladder position; price = base + tick * tick_size */
	uint32_t slot;       /* index in its instrument's vector */
	uint32_t gen;        /* bumped each time the pool entry is reused */
	uint32_t prev, next; /* FIFO at its ladder tick */
	uint16_t locate;
	uint8_t side; /* 0 bid, 1 ask */
	uint8_t live;
};

struct gen_hist {
	uint32_t idx; /* pool index */
	uint32_t gen; /* its generation when created */
};

struct gen_instr {
	char symbol[9];   /* NUL terminated */
	uint8_t stock[8]; /* the same, space padded as on the wire */
	uint32_t base;    /* price of tick 0 */
	uint32_t tick_size;
	int32_t best[2]; /* best bid / ask tick, -1 when the side is empty */
	uint32_t *head[2], *tail[2]; /* per tick, GEN_NIL when empty */
	uint32_t *ord; /* pool indices of live orders */
	uint32_t n, cap;
};

struct wb_gen {
	struct wb_gen_params p;
	uint64_t s[4];
	uint64_t produced;
	uint64_t ts;
	uint64_t next_ref;
	uint64_t next_match;
	uint32_t width; /* ladder ticks per instrument */
	double *cdf;    /* cumulative activity weights */
	struct gen_instr *ins;
	struct gen_order *pool;
	uint32_t pool_cap, pool_free, live;
	uint32_t *free_list;
	struct gen_hist *hist; /* ring of created orders, oldest overwritten */
	uint32_t hist_mask;
	uint64_t hist_n;
	uint64_t opening;
	uint32_t remaining; /* shares left after the last execution */
};

void
wb_gen_params_default(struct wb_gen_params *p)
{
	memset(p, 0, sizeof(*p));
	p->seed = 1;
	p->messages = 1000000;
	p->instruments = 1000;
	p->target_orders = 200000;
	p->start_ns = 34200ull * 1000000000ull; /* 09:30:00 */
	p->gap_ns = 2000;
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t
gen_rand(struct wb_gen *g)
{
	uint64_t *s = g->s, r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

static inline uint32_t
gen_below(struct wb_gen *g, uint32_t n)
{
	return (uint32_t)(((gen_rand(g) >> 32) * (uint64_t)n) >> 32);
}

static inline double
gen_unit(struct wb_gen *g)
{
	return (double)(gen_rand(g) >> 11) * (1.0 / 9007199254740992.0);
}

/* Geometric count of failures with success probability p, capped. */
static uint32_t
gen_geom(struct wb_gen *g, double p, uint32_t cap)
{
	double u = gen_unit(g);
	double v = floor(log1p(-u) / log1p(-p));

	return v >= (double)cap ? cap : (uint32_t)v;
}

static void
gen_symbol(char *out, uint32_t i)
{
	/* 7919 is prime and coprime with 26: a bijection on [0, 26^4). */
	uint32_t v = (uint32_t)(((uint64_t)i * 7919u + 17u) % (26u * 26u * 26u * 26u));
	int k;

	for (k = 3; k >= 0; k--) {
		out[k] = (char)('A' + v % 26u);
		v /= 26u;
	}
	out[4] = '\0';
}

struct wb_gen *
wb_gen_create(const struct wb_gen_params *p)
{
	struct wb_gen *g;
	uint64_t z;
	double sum = 0;
	uint32_t i, t;
	int k;

	if (p->instruments == 0 || p->instruments > 65535) {
		errno = EINVAL;
		wb_err_set(EINVAL, "gen: instruments must be in [1, 65535], got %u", p->instruments);
		return NULL;
	}
	g = calloc(1, sizeof(*g));
	if (g == NULL)
		goto oom;
	g->p = *p;
	if (g->p.target_orders == 0)
		g->p.target_orders = 1;
	/* Ladders: 2048 ticks ($20.48 at one cent) for up to 1000 instruments,
	 * narrower beyond so that the ladders stay within ~64 MiB. */
	g->width = 2048;
	while (g->width > 64 && (uint64_t)g->width * 16u * p->instruments > (64ull << 20))
		g->width /= 2;
	g->pool_cap = g->p.target_orders * 2u + 1024u;
	g->cdf = calloc(p->instruments, sizeof(*g->cdf));
	g->ins = calloc(p->instruments, sizeof(*g->ins));
	g->pool = calloc(g->pool_cap, sizeof(*g->pool));
	g->free_list = calloc(g->pool_cap, sizeof(*g->free_list));
	for (g->hist_mask = 1; g->hist_mask < g->pool_cap * 4u; g->hist_mask <<= 1)
		;
	g->hist = calloc(g->hist_mask, sizeof(*g->hist));
	g->hist_mask--;
	if (g->cdf == NULL || g->ins == NULL || g->pool == NULL || g->free_list == NULL ||
	    g->hist == NULL)
		goto oom;
	for (i = 0; i < g->pool_cap; i++)
		g->free_list[i] = g->pool_cap - 1u - i;
	g->pool_free = g->pool_cap;

	z = p->seed;
	for (i = 0; i < 4; i++) { /* splitmix64 seeding */
		uint64_t x = (z += 0x9e3779b97f4a7c15ull);

		x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
		x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
		g->s[i] = x ^ (x >> 31);
	}
	for (i = 0; i < p->instruments; i++) {
		struct gen_instr *in = &g->ins[i];
		/* Opening prices from about $20 to $520, tick one cent. */
		uint32_t mid = (20u + gen_below(g, 500u)) * 10000u;

		gen_symbol(in->symbol, i);
		memset(in->stock, ' ', sizeof(in->stock));
		memcpy(in->stock, in->symbol, strlen(in->symbol));
		in->tick_size = 100;
		in->base = mid - in->tick_size * (g->width / 2u);
		for (k = 0; k < 2; k++) {
			in->best[k] = -1;
			in->head[k] = malloc(g->width * sizeof(uint32_t));
			in->tail[k] = malloc(g->width * sizeof(uint32_t));
			if (in->head[k] == NULL || in->tail[k] == NULL)
				goto oom;
			for (t = 0; t < g->width; t++)
				in->head[k][t] = in->tail[k][t] = GEN_NIL;
		}
		sum += 1.0 / pow((double)(i + 1), 1.1);
		g->cdf[i] = sum;
	}
	for (i = 0; i < p->instruments; i++)
		g->cdf[i] /= sum;
	g->ts = p->start_ns;
	g->next_ref = 1000 + gen_below(g, 1000);
	g->next_match = 1;
	g->opening = 1u + 2u * p->instruments + 1u;
	return g;
oom:
	wb_gen_destroy(g);
	errno = ENOMEM;
	wb_err_set(ENOMEM, "gen: out of memory");
	return NULL;
}

void
wb_gen_destroy(struct wb_gen *g)
{
	uint32_t i;

	if (g == NULL)
		return;
	if (g->ins != NULL) {
		for (i = 0; i < g->p.instruments; i++) {
			free(g->ins[i].ord);
			free(g->ins[i].head[0]);
			free(g->ins[i].head[1]);
			free(g->ins[i].tail[0]);
			free(g->ins[i].tail[1]);
		}
	}
	free(g->ins);
	free(g->cdf);
	free(g->pool);
	free(g->free_list);
	free(g->hist);
	free(g);
}

const char *
wb_gen_symbol(const struct wb_gen *g, uint16_t locate)
{
	if (locate == 0 || locate > g->p.instruments)
		return NULL;
	return g->ins[locate - 1].symbol;
}

static uint32_t
gen_pick_instrument(struct wb_gen *g)
{
	double u = gen_unit(g);
	uint32_t lo = 0, hi = g->p.instruments - 1;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (g->cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
gen_header(struct wb_gen *g, struct wb_itch_msg *m, uint8_t type, uint16_t locate)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->stock_locate = locate;
	m->timestamp = g->ts;
}

static inline uint32_t
gen_px(const struct gen_instr *in, uint32_t tick)
{
	return in->base + tick * in->tick_size;
}

/* Ladder tick for a new order on side s: behind the opposite touch. */
static uint32_t
gen_tick(struct wb_gen *g, const struct gen_instr *in, unsigned int s)
{
	int64_t w = g->width, t, off = gen_geom(g, 0.3, (uint32_t)(w / 4));
	int32_t opp = in->best[!s], own = in->best[s];

	if (opp >= 0)
		t = s == 0 ? opp - 1 - off : opp + 1 + off;
	else if (own >= 0)
		t = s == 0 ? own - off + 1 : own + off - 1; /* may improve by a tick */
	else
		t = s == 0 ? w / 2 - 1 - off : w / 2 + off;
	if (t < 0)
		t = 0;
	if (t >= w)
		t = w - 1;
	/* At the window's edge the book could cross: stay one tick behind. */
	if (s == 0 && opp >= 0 && t >= opp)
		t = opp - 1;
	if (s == 1 && opp >= 0 && t <= opp)
		t = opp + 1;
	return (uint32_t)t;
}

static uint32_t
gen_shares(struct wb_gen *g)
{
	if (gen_below(g, 10) == 0)
		return 1u + gen_below(g, 99); /* odd lot */
	return 100u * (1u + gen_geom(g, 0.35, 50));
}

static void
gen_order_add(struct wb_gen *g, uint32_t ii, uint64_t ref, unsigned int s, uint32_t tick,
	      uint32_t shares)
{
	struct gen_instr *in = &g->ins[ii];
	uint32_t oi = g->free_list[--g->pool_free];
	struct gen_order *o = &g->pool[oi];

	if (in->n == in->cap) {
		uint32_t ncap = in->cap ? in->cap * 2u : 16u;
		uint32_t *nv = realloc(in->ord, ncap * sizeof(*nv));

		if (nv == NULL)
			abort(); /* generator only: no sensible way on */
		in->ord = nv;
		in->cap = ncap;
	}
	o->ref = ref;
	o->tick = tick;
	o->shares = shares;
	o->side = (uint8_t)s;
	o->locate = (uint16_t)(ii + 1);
	o->slot = in->n;
	o->gen++;
	o->live = 1;
	in->ord[in->n++] = oi;
	/* back of the queue at its tick */
	o->next = GEN_NIL;
	o->prev = in->tail[s][tick];
	if (o->prev == GEN_NIL)
		in->head[s][tick] = oi;
	else
		g->pool[o->prev].next = oi;
	in->tail[s][tick] = oi;
	if (in->best[s] < 0 || (s == 0 ? (int32_t)tick > in->best[s] : (int32_t)tick < in->best[s]))
		in->best[s] = (int32_t)tick;
	g->hist[g->hist_n & g->hist_mask] = (struct gen_hist){ oi, o->gen };
	g->hist_n++;
	g->live++;
}

static void
gen_order_remove(struct wb_gen *g, uint32_t oi)
{
	struct gen_order *o = &g->pool[oi];
	struct gen_instr *in = &g->ins[o->locate - 1];
	unsigned int s = o->side;
	uint32_t last = in->ord[--in->n];
	int32_t t;

	in->ord[o->slot] = last;
	g->pool[last].slot = o->slot;
	if (o->prev == GEN_NIL)
		in->head[s][o->tick] = o->next;
	else
		g->pool[o->prev].next = o->next;
	if (o->next == GEN_NIL)
		in->tail[s][o->tick] = o->prev;
	else
		g->pool[o->next].prev = o->prev;
	if (in->head[s][o->tick] == GEN_NIL && (int32_t)o->tick == in->best[s]) {
		t = in->best[s];
		if (s == 0) {
			while (t >= 0 && in->head[0][t] == GEN_NIL)
				t--;
		} else {
			while (t < (int32_t)g->width && in->head[1][t] == GEN_NIL)
				t++;
			if (t == (int32_t)g->width)
				t = -1;
		}
		in->best[s] = t;
	}
	o->live = 0;
	g->free_list[g->pool_free++] = oi;
	g->live--;
}

/*
 * A live order at a log-uniform distance back in the creation history, or
 * GEN_NIL (then the caller picks uniformly). One removal in ten is uniform
 * so that old resting orders leave too.
 */
static uint32_t
gen_recent(struct wb_gen *g)
{
	uint64_t span = g->hist_n < (uint64_t)g->hist_mask + 1u ? g->hist_n : g->hist_mask + 1u;
	int tries;

	if (span == 0 || gen_below(g, 10) == 0)
		return GEN_NIL;
	for (tries = 0; tries < 4; tries++) {
		uint64_t d = (uint64_t)exp(gen_unit(g) * log((double)span));
		const struct gen_hist *h;

		if (d < 1)
			d = 1;
		if (d > span)
			d = span;
		h = &g->hist[(g->hist_n - d) & g->hist_mask];
		if (g->pool[h->idx].live && g->pool[h->idx].gen == h->gen)
			return h->idx;
	}
	return GEN_NIL;
}

static void
gen_add(struct wb_gen *g, struct wb_itch_msg *m, uint32_t ii)
{
	struct gen_instr *in = &g->ins[ii];
	unsigned int s = gen_below(g, 2);
	uint32_t tick = gen_tick(g, in, s);

	gen_header(g, m, gen_below(g, 12) == 0 ? 'F' : 'A', (uint16_t)(ii + 1));
	m->u.add.order_ref = g->next_ref;
	g->next_ref += 1u + gen_below(g, 4);
	m->u.add.side = s == 0 ? 'B' : 'S';
	m->u.add.shares = gen_shares(g);
	m->u.add.stock = in->stock;
	m->u.add.price = gen_px(in, tick);
	if (m->type == 'F')
		m->u.add.attribution = (const uint8_t *)"GSCO";
	gen_order_add(g, ii, m->u.add.order_ref, s, tick, m->u.add.shares);
}

/* An execution against the oldest order at the best level of one side. */
static void
gen_execute(struct wb_gen *g, struct wb_itch_msg *m, uint32_t ii)
{
	struct gen_instr *in = &g->ins[ii];
	unsigned int s = gen_below(g, 2);
	struct gen_order *o;
	uint32_t oi, x;

	if (in->best[s] < 0)
		s = !s;
	oi = in->head[s][in->best[s]];
	o = &g->pool[oi];
	x = gen_below(g, 3) != 0 ? o->shares : 1u + gen_below(g, o->shares);
	if (gen_below(g, 10) == 0) {
		gen_header(g, m, 'C', (uint16_t)(ii + 1));
		m->u.executed_price.order_ref = o->ref;
		m->u.executed_price.executed_shares = x;
		m->u.executed_price.match_number = g->next_match++;
		m->u.executed_price.printable = 'Y';
		/* a price-improved fill: half a tick off a bid's price */
		m->u.executed_price.execution_price = gen_px(in, o->tick) + (s == 0 ? 50u : 0u);
	} else {
		gen_header(g, m, 'E', (uint16_t)(ii + 1));
		m->u.executed.order_ref = o->ref;
		m->u.executed.executed_shares = x;
		m->u.executed.match_number = g->next_match++;
	}
	g->remaining = x >= o->shares ? 0 : o->shares - x;
	if (x >= o->shares)
		gen_order_remove(g, oi);
	else
		o->shares -= x;
}

/* Fills m with the next order-flow message. */
static void
gen_flow(struct wb_gen *g, struct wb_itch_msg *m)
{
	double fill = (double)g->live / (double)g->p.target_orders, p_add;
	uint32_t ii = gen_pick_instrument(g), oi, r;
	struct gen_instr *in;
	struct gen_order *o;

	/* Adds are ~48% of the flow at the target, more below it, fewer above. */
	p_add = 480.0 + 200.0 * (1.0 - fill);
	p_add = p_add > 950.0 ? 950.0 : (p_add < 100.0 ? 100.0 : p_add);
	if ((double)gen_below(g, 1000) < p_add || g->live == 0 || g->ins[ii].n == 0) {
		if (g->pool_free != 0) {
			gen_add(g, m, ii);
			return;
		}
	} else if (gen_below(g, 1000) < 75) {
		gen_execute(g, m, ii);
		return;
	} else if (gen_below(g, 100) < 2) {
		/* a non-displayed trade inside the spread */
		in = &g->ins[ii];
		gen_header(g, m, 'P', (uint16_t)(ii + 1));
		m->u.trade.side = gen_below(g, 2) ? 'B' : 'S';
		m->u.trade.shares = gen_shares(g);
		m->u.trade.stock = in->stock;
		m->u.trade.price = in->best[0] >= 0 ? gen_px(in, (uint32_t)in->best[0]) + in->tick_size / 2u
						    : gen_px(in, g->width / 2u);
		m->u.trade.match_number = g->next_match++;
		return;
	}
	if (g->live == 0) { /* pool full and nothing live: cannot happen with cap > 0 */
		gen_header(g, m, 'S', 0);
		m->u.system_event.event_code = 'Q';
		return;
	}
	oi = gen_recent(g);
	if (oi != GEN_NIL)
		ii = g->pool[oi].locate - 1u;
	in = &g->ins[ii];
	if (in->n == 0) {
		for (ii = 0; g->ins[ii].n == 0; ii++)
			;
		in = &g->ins[ii];
		oi = GEN_NIL;
	}
	if (oi == GEN_NIL)
		oi = in->ord[gen_below(g, in->n)];
	o = &g->pool[oi];
	r = gen_below(g, 1000);
	if (r < 800) {
		gen_header(g, m, 'D', o->locate);
		m->u.del.order_ref = o->ref;
		gen_order_remove(g, oi);
	} else if (r < 930) {
		unsigned int s = o->side;
		uint32_t tick;

		gen_header(g, m, 'U', o->locate);
		m->u.replace.orig_order_ref = o->ref;
		m->u.replace.new_order_ref = g->p.replace_keeps_ref ? o->ref : g->next_ref;
		if (!g->p.replace_keeps_ref)
			g->next_ref += 1u + gen_below(g, 4);
		m->u.replace.shares = gen_shares(g);
		gen_order_remove(g, oi);
		tick = gen_tick(g, in, s);
		m->u.replace.price = gen_px(in, tick);
		gen_order_add(g, ii, m->u.replace.new_order_ref, s, tick, m->u.replace.shares);
	} else if (o->shares > 1) {
		uint32_t c = 1u + gen_below(g, o->shares - 1u);

		gen_header(g, m, 'X', o->locate);
		m->u.cancel.order_ref = o->ref;
		m->u.cancel.cancelled_shares = c;
		o->shares -= c;
	} else {
		gen_header(g, m, 'D', o->locate);
		m->u.del.order_ref = o->ref;
		gen_order_remove(g, oi);
	}
}

/* The i-th message of the opening sequence: S O, R..., H..., S Q. */
static void
gen_opening(struct wb_gen *g, struct wb_itch_msg *m, uint64_t i)
{
	uint32_t n = g->p.instruments;

	if (i == 0) {
		gen_header(g, m, 'S', 0);
		m->u.system_event.event_code = 'O';
	} else if (i <= n) {
		struct gen_instr *in = &g->ins[i - 1];

		gen_header(g, m, 'R', (uint16_t)i);
		m->u.stock_directory.stock = in->stock;
		m->u.stock_directory.market_category = "QGSNAP"[i % 6];
		m->u.stock_directory.financial_status = 'N';
		m->u.stock_directory.round_lot_size = 100;
		m->u.stock_directory.round_lots_only = 'N';
		m->u.stock_directory.issue_classification = 'C';
		m->u.stock_directory.issue_subtype = (const uint8_t *)"Z ";
		m->u.stock_directory.authenticity = 'P';
		m->u.stock_directory.short_sale_threshold = 'N';
		m->u.stock_directory.ipo_flag = 'N';
		m->u.stock_directory.luld_ref_tier = '1';
		m->u.stock_directory.etp_flag = 'N';
		m->u.stock_directory.etp_leverage = 0;
		m->u.stock_directory.inverse = 'N';
	} else if (i <= 2u * n) {
		gen_header(g, m, 'H', (uint16_t)(i - n));
		m->u.trading_action.stock = g->ins[i - n - 1].stock;
		m->u.trading_action.trading_state = 'T';
		m->u.trading_action.reserved = ' ';
		m->u.trading_action.reason = (const uint8_t *)"    ";
	} else {
		gen_header(g, m, 'S', 0);
		m->u.system_event.event_code = 'Q';
	}
}

uint32_t
wb_gen_remaining(const struct wb_gen *g)
{
	return g->remaining;
}

unsigned int
wb_gen_next(struct wb_gen *g, uint8_t *out)
{
	struct wb_itch_msg m;
	int len;

	if (g->produced >= g->p.messages)
		return 0;
	g->ts += 1u + gen_below(g, g->p.gap_ns);
	if (g->produced < g->opening)
		gen_opening(g, &m, g->produced);
	else
		gen_flow(g, &m);
	g->produced++;
	len = wb_itch_encode(&m, out, WB_ITCH_MAX_MSG_LEN);
	return len > 0 ? (unsigned int)len : 0;
}
