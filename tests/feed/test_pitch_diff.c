/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Differential test of the PITCH feed: generated Sequenced Units
 * (wb_gen_pitch, what `wirebook gen --protocol pitch` writes) go through
 * wb_feed (protocol pitch: parse, per-unit sequencing, adapter, book) and
 * through a plain model keyed by Order ID that applies Cboe's rules itself
 * from wb_pitch_decode's fields. At checkpoints and at the end every level,
 * every FIFO and every order of every symbol must agree.
 *
 * The stream is salted in place, so that sequence numbers stay right: one
 * Modify in three gets the maintain-priority flag (the generator never sets
 * it); one Trade in twenty becomes a Trade Break (0x2C, a type not decoded:
 * skipped by its length and counted); one Delete in 40000 becomes a Unit
 * Clear (the unit shrinks, its message count stays), after which the
 * generator's messages for the cleared orders must be counted by the book
 * as naming unknown orders, as the model counts them. Each seed also sends one unit twice (the B line's copy) and
 * must see it counted as a duplicate.
 */
#include "wb_test.h"

#include <inttypes.h>

#include "wb_feed_pitch.h"
#include "wb_gen_pitch.h"

#define MAX_ID (1u << 21)
#define MAXLV 8192
#define MAXQ 65536

struct mord {
	uint64_t prio; /* time priority: larger is later */
	int64_t px;    /* -4 */
	uint32_t qty;  /* 0: not live */
	uint32_t sym;  /* index into syms */
	uint8_t side;
};

struct model {
	struct mord *o; /* by Order ID */
	uint64_t prio, live;
	uint64_t (*syms)[1]; /* symbol keys, index 1.. */
	uint32_t nsym;
	uint8_t *sym_unit;
	uint64_t msgs, unknown, unknown_ref, clears;
};

static struct model md;

struct rec {
	uint64_t ref, prio;
	int64_t px;
	uint32_t qty, inst;
	uint8_t side;
};

static struct rec *recs;
static uint64_t qbuf[MAXQ];
static struct wb_level_info lvbuf[MAXLV];

static uint32_t
model_sym(const uint8_t *s, unsigned int n, uint8_t unit)
{
	uint8_t k[8];
	uint64_t key;
	uint32_t i;

	memset(k, ' ', 8);
	memcpy(k, s, n);
	memcpy(&key, k, 8);
	for (i = 1; i <= md.nsym; i++)
		if (md.syms[i][0] == key)
			return i;
	md.nsym++;
	assert_true(md.nsym < 4096);
	md.syms[md.nsym][0] = key;
	md.sym_unit[md.nsym] = unit;
	return md.nsym;
}

static int64_t
px4(int64_t p, int8_t exp)
{
	return exp == -2 ? p * 100 : p;
}

static void
model_reduce(struct mord *o, uint32_t q)
{
	if (o->qty == 0) {
		md.unknown_ref++; /* an order a Unit Clear took */
		return;
	}
	if (q >= o->qty) {
		o->qty = 0;
		md.live--;
	} else {
		o->qty -= q;
	}
}

static void
model_msg(uint8_t unit, const uint8_t *buf, uint8_t len)
{
	struct wb_pitch_msg m;
	struct mord *o;
	uint64_t id;
	int rc = wb_pitch_decode(buf, len, 0, &m);

	if (rc == WB_PROTO_UNKNOWN) {
		md.unknown++;
		return;
	}
	assert_int_equal(rc, len);
	md.msgs++;
	switch (m.type) {
	case WB_PITCH_ADD_LONG:
	case WB_PITCH_ADD_SHORT:
	case WB_PITCH_ADD_EXPANDED:
		id = m.u.add.order_id;
		assert_true(id < MAX_ID);
		o = &md.o[id];
		assert_int_equal(o->qty, 0);
		o->sym = model_sym(m.u.add.symbol, m.u.add.symbol_len, unit);
		o->side = m.u.add.side;
		o->px = px4(m.u.add.price, m.u.add.price_exp);
		o->qty = m.u.add.quantity;
		o->prio = ++md.prio;
		md.live += o->qty != 0;
		break;
	case WB_PITCH_ORDER_EXECUTED:
		model_reduce(&md.o[m.u.executed.order_id], m.u.executed.executed_quantity);
		break;
	case WB_PITCH_EXECUTED_AT_PRICE:
		o = &md.o[m.u.executed_price.order_id];
		model_reduce(o, m.u.executed_price.executed_quantity);
		if (o->qty != 0 && o->qty > m.u.executed_price.remaining_quantity)
			model_reduce(o, o->qty - m.u.executed_price.remaining_quantity);
		break;
	case WB_PITCH_REDUCE_LONG:
	case WB_PITCH_REDUCE_SHORT:
		model_reduce(&md.o[m.u.reduce.order_id], m.u.reduce.canceled_quantity);
		break;
	case WB_PITCH_DELETE:
		model_reduce(&md.o[m.u.del.order_id], UINT32_MAX);
		break;
	case WB_PITCH_MODIFY_LONG:
	case WB_PITCH_MODIFY_SHORT: {
		int64_t px = px4(m.u.modify.price, m.u.modify.price_exp);

		o = &md.o[m.u.modify.order_id];
		if (o->qty == 0) {
			md.unknown_ref++;
			break;
		}
		/* Cboe: priority stays only at the same price, not larger, when flagged */
		if (!(px == o->px && m.u.modify.quantity <= o->qty && (m.u.modify.flags & 2)))
			o->prio = ++md.prio;
		o->px = px;
		o->qty = m.u.modify.quantity;
		if (o->qty == 0)
			md.live--;
		break;
	}
	case WB_PITCH_UNIT_CLEAR:
		md.clears++;
		for (id = 0; id < MAX_ID; id++)
			if (md.o[id].qty != 0 && md.sym_unit[md.o[id].sym] == unit) {
				md.o[id].qty = 0;
				md.live--;
			}
		break;
	default:
		break;
	}
}

static int
rec_cmp(const void *pa, const void *pb)
{
	const struct rec *a = pa, *b = pb;

	if (a->inst != b->inst)
		return a->inst < b->inst ? -1 : 1;
	if (a->side != b->side)
		return a->side < b->side ? -1 : 1;
	if (a->px != b->px)
		return (a->side == 'B') == (a->px > b->px) ? -1 : 1;
	return a->prio < b->prio ? -1 : a->prio > b->prio;
}

static void
compare(struct wb_feed *f)
{
	const struct wb_pitch_adapt *a = wb_feed_pitch_adapt(f);
	const struct wb_book *b = wb_feed_book(f);
	struct wb_order_info oi;
	uint64_t n = 0, k = 0, id;
	uint32_t inst, si, i, nl, q, j;

	for (id = 0; id < MAX_ID; id++) {
		struct mord *o = &md.o[id];
		char sym[9];

		if (o->qty == 0)
			continue;
		memcpy(sym, md.syms[o->sym], 8);
		sym[8] = '\0';
		inst = wb_pitch_adapt_lookup(a, sym);
		assert_true(inst != 0);
		recs[n++] = (struct rec){id, o->prio, o->px, o->qty, inst, o->side};
	}
	assert_int_equal(n, md.live);
	assert_int_equal(wb_book_stats(b)->live_orders, n);
	qsort(recs, n, sizeof(*recs), rec_cmp);
	for (inst = 1; inst <= wb_pitch_adapt_count(a); inst++) {
		for (si = 0; si < 2; si++) {
			uint8_t side = si ? 'S' : 'B';

			nl = wb_book_levels(b, inst, side, lvbuf, MAXLV);
			assert_true(nl < MAXLV);
			for (i = 0; i < nl; i++) {
				uint64_t shares = 0;

				q = wb_book_level_orders(b, inst, side, lvbuf[i].price, qbuf, MAXQ);
				assert_int_equal(q, lvbuf[i].orders);
				for (j = 0; j < q; j++, k++) {
					assert_true(k < n);
					assert_int_equal(recs[k].inst, inst);
					assert_int_equal(recs[k].side, side);
					assert_int_equal(recs[k].px, (int64_t)lvbuf[i].price);
					assert_int_equal(recs[k].ref, qbuf[j]);
					shares += recs[k].qty;
				}
				assert_int_equal(shares, lvbuf[i].shares);
			}
			assert_true(k == n || recs[k].inst != inst || recs[k].side != side);
		}
	}
	assert_int_equal(k, n);
	for (k = 0; k < n; k += 7) {
		assert_int_equal(wb_book_order(b, recs[k].ref, &oi), 0);
		assert_int_equal(oi.shares, recs[k].qty);
		assert_int_equal((int64_t)oi.price, recs[k].px);
	}
}

static uint64_t
rnd(uint64_t *s)
{
	uint64_t x = (*s += 0x9e3779b97f4a7c15ull);

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* Salts a unit (see the top; it may shrink), hands it to the model, returns its length. */
static unsigned int
salt_and_model(uint8_t *unit, unsigned int len, uint64_t *s, uint64_t *unknown_added)
{
	struct wb_pitch_iter it;
	struct wb_pitch_pkt pkt;
	const uint8_t *msg;
	uint8_t out[2048], mlen;
	unsigned int olen = WB_PITCH_HDR_LEN;

	assert_int_equal(wb_pitch_parse(unit, len, &pkt), (int)len);
	wb_pitch_iter_init(&it, &pkt);
	while (wb_pitch_iter_next(&it, &msg, &mlen)) {
		uint8_t *w = out + olen;

		memcpy(w, msg, mlen);
		if ((w[1] == WB_PITCH_MODIFY_SHORT || w[1] == WB_PITCH_MODIFY_LONG) &&
		    mlen == wb_pitch_spec_len(w[1]) && rnd(s) % 3 == 0)
			w[mlen - 1] |= 0x2;
		if ((w[1] == WB_PITCH_TRADE_SHORT || w[1] == WB_PITCH_TRADE_LONG ||
		     w[1] == WB_PITCH_TRADE_EXPANDED) && rnd(s) % 20 == 0) {
			w[1] = 0x2C;
			(*unknown_added)++;
		}
		/* a Delete becomes a Unit Clear (it takes that order too): the
		 * count stays, so the unit's sequence numbers do */
		if (w[1] == WB_PITCH_DELETE && rnd(s) % 40000 == 0) {
			w[1] = WB_PITCH_UNIT_CLEAR;
			mlen = w[0] = 6;
		}
		model_msg(pkt.unit, w, mlen);
		olen += mlen;
	}
	wb_pitch_put_hdr(out, (uint16_t)olen, pkt.count, pkt.unit, pkt.seq);
	memcpy(unit, out, olen);
	return olen;
}

static void
run_seed(uint64_t seed, uint64_t messages, uint32_t ref_window)
{
	struct wb_gen_pitch_params gp;
	struct wb_feed_params fp;
	struct wb_gen_pitch *g;
	struct wb_feed *f;
	uint8_t unit[2048];
	unsigned int len;
	uint64_t ts, s = seed * 7919, units = 0, dup_len = 0, unknown_added = 0;
	uint8_t dup[2048];

	memset(&md, 0, sizeof(md));
	md.o = calloc(MAX_ID, sizeof(*md.o));
	md.syms = calloc(4096, sizeof(*md.syms));
	md.sym_unit = calloc(4096, 1);
	recs = calloc(MAX_ID, sizeof(*recs));
	assert_true(md.o && md.syms && md.sym_unit && recs);

	wb_gen_pitch_params_default(&gp);
	gp.gen.seed = seed;
	gp.gen.messages = messages;
	gp.gen.instruments = 500;
	gp.gen.target_orders = 100000;
	gp.units = 8;
	g = wb_gen_pitch_create(&gp);
	assert_non_null(g);
	wb_feed_params_default(&fp);
	fp.protocol = WB_FEED_PITCH;
	fp.book.max_instruments = 1024;
	fp.book.ref_window = ref_window;
	f = wb_feed_create(&fp);
	assert_non_null(f);

	while ((len = wb_gen_pitch_next_unit(g, unit, &ts)) != 0) {
		len = salt_and_model(unit, len, &s, &unknown_added);
		assert_int_equal(wb_feed_datagram(f, WB_FEED_LINE_A, unit, len, ts), unit[2]);
		if (units == 1000) {
			memcpy(dup, unit, len);
			dup_len = len;
		}
		if (units == 1001) /* the B line's late copy of a unit */
			assert_int_equal(wb_feed_datagram(f, WB_FEED_LINE_B, dup, dup_len, ts), 0);
		if (++units % 20000 == 0)
			compare(f);
	}
	compare(f);
	assert_true(md.live > 20000);
	assert_int_equal(wb_feed_stats(f)->messages, md.msgs);
	assert_int_equal(wb_feed_stats(f)->msg_unknown, unknown_added);
	assert_int_equal(md.unknown, unknown_added);
	assert_int_equal(wb_feed_stats(f)->msg_malformed + wb_feed_stats(f)->msg_truncated, 0);
	assert_int_equal(wb_feed_stats(f)->bad_packets, 0);
	assert_int_equal(wb_pitch_adapt_stats(wb_feed_pitch_adapt(f))->unknown_by_type[0x2C],
			 unknown_added);
	assert_true(wb_book_stats(wb_feed_book(f))->modify_kept > 100);
	assert_int_equal(wb_feed_pitch_seq(f)->stats.dup_packets, 1);
	assert_int_equal(wb_feed_pitch_seq(f)->stats.gaps, 0);
	/* the book took every operation but those naming cleared orders */
	printf("pitch_diff seed %" PRIu64 ": %" PRIu64 " messages, %" PRIu64 " live, %" PRIu64
	       " unit clears\n",
	       seed, md.msgs, md.live, md.clears);
	assert_true(md.clears > 0);
	assert_int_equal(wb_pitch_adapt_stats(wb_feed_pitch_adapt(f))->unit_clears, md.clears);
	assert_int_equal(wb_book_stats(wb_feed_book(f))->unknown_ref, md.unknown_ref);
	assert_int_equal(wb_book_stats(wb_feed_book(f))->overfill, 0);
	wb_feed_destroy(f);
	wb_gen_pitch_destroy(g);
	free(md.o);
	free(md.syms);
	free(md.sym_unit);
	free(recs);
}

static void
test_seed1(void **state)
{
	(void)state;
	run_seed(1, 600000, 0);
}

static void
test_seed2_spill(void **state)
{
	(void)state;
	run_seed(2, 400000, 1u << 8); /* most orders outside the ref window */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed1),
		cmocka_unit_test(test_seed2_spill),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
