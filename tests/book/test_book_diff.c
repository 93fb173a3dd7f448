/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Differential test: the real book and the plain model of book_model.h take
 * the same generated ITCH stream (encoded by wb_gen, decoded by
 * wb_itch_decode), salted with adversarial messages (unknown refs,
 * overfills, duplicate adds, replaces onto live refs, bad locates and sides,
 * refs far beyond the generator's, E naming another instrument). Each
 * message's bits and event type are checked on the spot, the BBO bit against
 * the BBO before and after; at checkpoints every level of every instrument,
 * every FIFO, every order, the directory and all counters must agree.
 */
#include "book_model.h"
#include "wb_gen.h"

#define INSTRUMENTS 1000
#define MAX_INSTR 1024 /* book accepts [0, 1024); locates above are bad */
#define MAXLV 8192
#define MAXQ 65536
#define BURST 37

struct rec {
	uint64_t ref;
	uint32_t price, shares, seq;
	uint16_t locate;
	uint8_t side;
};

static struct rec *recs;
static uint64_t qbuf[MAXQ];
static struct wb_level_info lvbuf[MAXLV];

static int
rec_cmp(const void *pa, const void *pb)
{
	const struct rec *a = pa, *b = pb;

	if (a->locate != b->locate)
		return a->locate < b->locate ? -1 : 1;
	if (a->side != b->side)
		return a->side < b->side ? -1 : 1; /* 'B' before 'S' */
	if (a->price != b->price)
		return (a->side == 'B') == (a->price > b->price) ? -1 : 1; /* best first */
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void
compare(const struct wb_book *b, struct model *md)
{
	const struct wb_book_stats *st = wb_book_stats(b);
	struct wb_order_info oi;
	uint64_t n = 0, k = 0, levels = 0, ref;
	unsigned int loc, si, i, nl, q, j;

	for (ref = 0; ref < md->max_direct; ref++)
		if (md->direct[ref].live) {
			struct model_order *o = &md->direct[ref];

			recs[n++] = (struct rec){ref, o->price, o->shares, o->seq, o->locate, o->side};
		}
	for (i = 0; i < md->nfar; i++)
		if (md->far[i].live) {
			struct model_order *o = &md->far[i];

			recs[n++] = (struct rec){md->far_ref[i], o->price, o->shares, o->seq,
						 o->locate, o->side};
		}
	assert_int_equal(n, md->st.live_orders);
	qsort(recs, n, sizeof(*recs), rec_cmp);
	for (loc = 0; loc < MAX_INSTR; loc++) {
		const struct wb_instrument *in = wb_book_instrument(b, (uint16_t)loc);

		assert_int_equal(in->known, md->dir[loc].known);
		assert_string_equal(in->symbol, md->dir[loc].symbol);
		assert_int_equal(in->trading_state, md->dir[loc].state);
		if (md->dir[loc].state != 0)
			assert_memory_equal(in->reason, md->dir[loc].reason, 4);
		for (si = 0; si < 2; si++) {
			uint8_t side = si ? 'S' : 'B';

			nl = wb_book_levels(b, (uint16_t)loc, side, lvbuf, MAXLV);
			assert_true(nl < MAXLV);
			for (i = 0; i < nl; i++) {
				uint64_t shares = 0;

				assert_true(k < n);
				assert_int_equal(recs[k].locate, loc);
				assert_int_equal(recs[k].side, side);
				assert_int_equal(recs[k].price, lvbuf[i].price);
				q = wb_book_level_orders(b, (uint16_t)loc, side, lvbuf[i].price, qbuf,
							 MAXQ);
				assert_int_equal(q, lvbuf[i].orders);
				assert_true(q < MAXQ);
				for (j = 0; j < q; j++, k++) {
					assert_true(k < n);
					assert_int_equal(recs[k].locate, loc);
					assert_int_equal(recs[k].side, side);
					assert_int_equal(recs[k].price, lvbuf[i].price);
					assert_int_equal(recs[k].ref, qbuf[j]);
					shares += recs[k].shares;
				}
				assert_int_equal(shares, lvbuf[i].shares);
				levels++;
			}
			/* the model has no further level on this side */
			assert_true(k == n || recs[k].locate != loc || recs[k].side != side);
		}
	}
	assert_int_equal(k, n);
	for (k = 0; k < n; k++) {
		assert_int_equal(wb_book_order(b, recs[k].ref, &oi), 0);
		assert_int_equal(oi.instrument, recs[k].locate);
		assert_int_equal(oi.side, recs[k].side);
		assert_int_equal(oi.price, recs[k].price);
		assert_int_equal(oi.shares, recs[k].shares);
	}
	md->st.live_levels = levels;
	assert_int_equal(st->applied, md->st.applied);
	assert_int_equal(st->unknown_ref, md->st.unknown_ref);
	assert_int_equal(st->duplicate_ref, md->st.duplicate_ref);
	assert_int_equal(st->overfill, md->st.overfill);
	assert_int_equal(st->bad_locate, md->st.bad_locate);
	assert_int_equal(st->bad_side, md->st.bad_side);
	assert_int_equal(st->orders_full, 0);
	assert_int_equal(st->levels_full, 0);
	assert_int_equal(st->live_orders, md->st.live_orders);
	assert_int_equal(st->live_levels, levels);
}

/* The instrument a message acts on, as the model knows it before the message. */
static uint16_t
affected(struct model *md, const struct wb_itch_msg *m)
{
	struct model_order *o = NULL;

	switch (m->type) {
	case 'E': o = model_live(md, m->u.executed.order_ref); break;
	case 'C': o = model_live(md, m->u.executed_price.order_ref); break;
	case 'X': o = model_live(md, m->u.cancel.order_ref); break;
	case 'D': o = model_live(md, m->u.del.order_ref); break;
	case 'U': o = model_live(md, m->u.replace.orig_order_ref); break;
	default: break;
	}
	return o != NULL ? o->locate : m->stock_locate;
}

/*
 * The twin book gets every message as bytes through the ITCH adapter's
 * in-place path (wb_itch_take, wb_itch_prefetch, wb_itch_apply_order: what
 * the feed does with order messages, the book's kind-specific calls), the
 * main book the decoded message through wb_itch_op() and wb_book_apply_op();
 * the twin must give the same bits and events and end up equal to the
 * model too.
 */
static struct wb_book *twin;
static unsigned int twin_no_event;

static void
step_twin(const struct wb_itch_msg *m, unsigned int bits, const struct wb_event *ev)
{
	uint8_t raw[WB_ITCH_MAX_MSG_LEN];
	const uint8_t *p = raw, *taken = NULL;
	struct wb_book_op op;
	struct wb_event ev2;
	unsigned int bits2;
	uint32_t at = 0xffffffffu;

	memset(&ev2, 0, sizeof(ev2));
	if (wb_itch_order_type(m->type) &&
	    (!wb_itch_is_add(m->type) || m->u.add.side == 'B' || m->u.add.side == 'S')) {
		assert_int_equal(wb_itch_encode(m, raw, sizeof(raw)), wb_itch_msg_len(m->type));
		assert_int_equal(wb_itch_take(p, wb_itch_msg_len(m->type), &taken, &op),
				 wb_itch_type_index(m->type));
		assert_ptr_equal(taken, p);
		wb_itch_prefetch(twin, &taken, 1);
		/* every other one without an event, as a feed with no sink does:
		 * the bits and the changed instrument must not depend on it */
		if (twin_no_event ^= 1) {
			bits2 = wb_itch_apply_order(twin, p, NULL, &at);
			assert_int_equal(bits2, bits);
			if (bits2 != 0)
				assert_int_equal(at, ev->instrument);
			return;
		}
		bits2 = wb_itch_apply_order(twin, p, &ev2, &at);
		if (bits2 != 0)
			assert_int_equal(at, ev->instrument);
	} else {
		bits2 = wb_itch_book_apply(twin, m, &ev2);
	}
	assert_int_equal(bits2, bits);
	assert_int_equal(ev2.type, ev->type);
	assert_int_equal(ev2.instrument, ev->instrument);
	assert_int_equal(ev2.side, ev->side);
	assert_int_equal(ev2.exch_ts, ev->exch_ts);
	assert_memory_equal(&ev2.u, &ev->u, sizeof(ev->u));
}

static void
step(struct wb_book *b, struct model *md, const struct wb_itch_msg *m)
{
	struct wb_bbo before, after;
	struct wb_event ev;
	uint16_t loc = affected(md, m), mloc;
	unsigned int bits;
	uint8_t type;
	int changed;

	wb_book_bbo(b, loc, &before);
	bits = wb_itch_book_apply(b, m, &ev);
	changed = model_apply(md, m, &type, &mloc);
	wb_book_bbo(b, loc, &after);
	assert_int_equal(!!(bits & WB_BOOK_CHANGED), changed);
	assert_int_equal(ev.type, type);
	assert_int_equal(ev.exch_ts, m->timestamp);
	assert_int_equal(!!(bits & WB_BOOK_BBO_CHANGED), memcmp(&before, &after, sizeof(before)) != 0);
	assert_int_equal(!!(bits & WB_BOOK_DIRECTORY),
			 type == WB_EV_DIRECTORY || type == WB_EV_TRADING_STATE);
	if (type != WB_EV_NONE)
		assert_int_equal(ev.instrument, mloc);
	step_twin(m, bits, &ev);
}

static uint64_t
rnd(uint64_t *s)
{
	uint64_t x = (*s += 0x9e3779b97f4a7c15ull);

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* A live ref of the model (direct or far), or a never-used one. */
static uint64_t
pick_live(struct model *md, uint64_t *s)
{
	unsigned int t;

	if (md->nfar > 0 && rnd(s) % 8 == 0) {
		t = (unsigned int)(rnd(s) % md->nfar);
		if (md->far[t].live)
			return md->far_ref[t];
	}
	for (t = 0; t < 64 && md->max_direct > 0; t++) {
		uint64_t r = rnd(s) % md->max_direct;

		if (md->direct[r].live)
			return r;
	}
	return (1ull << 62) + rnd(s) % 1000;
}

static void
inject(struct wb_book *b, struct model *md, uint64_t *s, uint64_t ts)
{
	static uint64_t far_next = 1ull << 40;
	struct model_order *o;
	struct wb_book_op op;
	struct wb_itch_msg m;
	uint64_t r1 = pick_live(md, s), r2 = pick_live(md, s);
	uint16_t loc = (uint16_t)(1 + rnd(s) % INSTRUMENTS);
	uint32_t sh;

	o = model_live(md, r1);
	sh = o != NULL ? o->shares : 100;
	switch (rnd(s) % 12) {
	case 0: m = msg_exec(loc, (1ull << 61) + rnd(s) % 1000, 1, 1); break;
	case 1: m = msg_delete(loc, (1ull << 61) + rnd(s) % 1000); break;
	case 2: m = msg_replace(loc, (1ull << 61) + rnd(s) % 1000, far_next++, 100, 1); break;
	case 3: m = msg_exec(loc, r1, sh + 1 + (uint32_t)(rnd(s) % 100), 1); break;
	case 4: m = msg_exec_px(loc, r1, rnd(s) % 2 ? sh : sh + 7, 1, 1); break;
	case 5: m = msg_cancel(loc, r1, rnd(s) % 2 ? sh + 1 : (uint32_t)(rnd(s) % 3)); break;
	case 6: m = msg_add(loc, r1, rnd(s) % 2 ? 'B' : 'S', 1000000, 100); break;
	case 7: m = msg_replace(loc, r1, r2, 1000000 + (uint32_t)(rnd(s) % 5) * 100, 100); break;
	case 8: m = msg_replace(loc, r1, rnd(s) % 2 ? r1 : far_next++, 100000, 50); break;
	case 9:
		m = msg_add(loc, far_next++, 'B', 1000000 + (uint32_t)(rnd(s) % 50) * 100, 10);
		if (rnd(s) % 4 == 0)
			m.stock_locate = (uint16_t)(MAX_INSTR + rnd(s) % 64000);
		else if (rnd(s) % 4 == 0)
			m.u.add.side = 'X';
		break;
	case 10: m = msg_exec((uint16_t)(rnd(s) % 65536), r1, 1, 1); break;
	default:
		m = msg_hdr("PQBH"[rnd(s) % 4], (uint16_t)(rnd(s) % 1100));
		m.u.trading_action.trading_state = 'H';
		m.u.trading_action.reason = (const uint8_t *)"IPO1";
		break;
	}
	m.timestamp = ts;
	wb_itch_op(&m, &op);
	wb_book_prefetch_ops(b, &op, 1); /* must cope with hostile fields too */
	step(b, md, &m);
}

/*
 * ref_window 0 is the default window (few orders spill); small windows
 * make most orders spill, some home entries past the sticky count.
 */
static void
run_seed(uint64_t seed, uint64_t messages, uint32_t ref_window)
{
	struct wb_gen_params gp;
	struct wb_book_params bp;
	struct wb_itch_msg m[BURST];
	struct wb_book_op ops[BURST];
	struct wb_book *b;
	struct wb_gen *g;
	struct model *md;
	uint8_t buf[BURST][WB_ITCH_MAX_MSG_LEN];
	uint64_t count = 0, s = seed * 7919, last_add = 0;
	unsigned int len, k;

	wb_gen_params_default(&gp);
	gp.seed = seed;
	gp.messages = messages;
	gp.instruments = INSTRUMENTS;
	gp.target_orders = 150000;
	g = wb_gen_create(&gp);
	assert_non_null(g);
	wb_book_params_default(&bp);
	bp.max_instruments = MAX_INSTR;
	bp.ref_window = ref_window;
	b = wb_book_create(&bp);
	assert_non_null(b);
	twin = wb_book_create(&bp);
	assert_non_null(twin);
	md = calloc(1, sizeof(*md));
	assert_non_null(md);
	md->direct = calloc(MODEL_DIRECT, sizeof(*md->direct));
	assert_non_null(md->direct);
	md->max_instruments = MAX_INSTR;

	/* in bursts, as the feed would, with the burst prefetch before each */
	for (;;) {
		unsigned int nb = 0;

		while (nb < BURST && (len = wb_gen_next(g, buf[nb])) != 0) {
			assert_int_equal(wb_itch_decode(buf[nb], len, &m[nb]), (int)len);
			nb++;
		}
		if (nb == 0)
			break;
		for (k = 0; k < nb; k++)
			wb_itch_op(&m[k], &ops[k]);
		wb_book_prefetch_ops(b, ops, nb);
		for (k = 0; k < nb; k++) {
			step(b, md, &m[k]);
			if (m[k].type == WB_ITCH_ADD_ORDER)
				last_add = m[k].u.add.order_ref;
			if (++count % 997 == 0)
				inject(b, md, &s, m[k].timestamp);
			if (count % 300000 == 0) {
				compare(b, md);
				compare(twin, md);
			}
		}
	}
	assert_int_equal(count, messages);
	compare(b, md);
	compare(twin, md);
	wb_book_destroy(twin);
	twin = NULL;
	/* the stream reached a realistic size and every error path was taken */
	assert_true(md->st.live_orders > 50000);
	assert_true(md->st.unknown_ref > 10);
	assert_true(md->st.duplicate_ref > 10);
	assert_true(md->st.overfill > 10);
	assert_true(md->st.bad_locate > 0);
	assert_true(md->st.bad_side > 0);
	assert_true(md->nfar > 0);
	if (ref_window != 0 && ref_window < 150000)
		assert_true(wb_book_stats(b)->spilled_orders > 50000);
	assert_true(wb_book_stats(b)->spills >= wb_book_stats(b)->spilled_orders);
	/* clear, then the book is empty and the directory kept */
	wb_book_clear(b);
	assert_int_equal(wb_book_stats(b)->live_orders, 0);
	assert_int_equal(wb_book_stats(b)->spilled_orders, 0);
	assert_string_equal(wb_book_instrument(b, 1)->symbol, wb_gen_symbol(g, 1));
	/* and holds nothing of before: refs that were live are new again */
	{
		struct wb_order_info oi;
		struct wb_itch_msg a;

		memset(&a, 0, sizeof(a));
		a.type = WB_ITCH_ADD_ORDER;
		a.stock_locate = 1;
		a.u.add.side = 'B';
		a.u.add.price = 1000;
		a.u.add.shares = 1;
		for (k = 0; k < 64; k++) {
			a.u.add.order_ref = last_add - k;
			assert_int_equal(wb_book_order(b, a.u.add.order_ref, &oi), -ENOENT);
			assert_int_equal(wb_itch_book_apply(b, &a, NULL),
					 WB_BOOK_CHANGED | WB_BOOK_BBO_CHANGED);
		}
		assert_int_equal(wb_book_stats(b)->live_orders, 64);
		assert_int_equal(wb_book_stats(b)->spilled_orders, 0);
	}
	free(md->direct);
	free(md);
	wb_book_destroy(b);
	wb_gen_destroy(g);
}

static void
test_seed1(void **state)
{
	(void)state;
	run_seed(1, 1200000, 1u << 8);
}

static void
test_seed2(void **state)
{
	(void)state;
	run_seed(0xdeadbeef, 1200000, 0);
}

static void
test_seed3(void **state)
{
	(void)state;
	run_seed(42, 1200000, 1u << 16);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed1),
		cmocka_unit_test(test_seed2),
		cmocka_unit_test(test_seed3),
	};

	recs = calloc((1u << 20) + MODEL_FAR, sizeof(*recs)); /* book max_orders + far */
	if (recs == NULL)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
