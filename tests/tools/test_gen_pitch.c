/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PITCH generator: every Sequenced Unit parses, every message decodes
 * (no error, nothing unknown), units are gapless per unit, the order flow is
 * coherent against a model keyed by Order ID, and that model ends equal to
 * the ITCH book built from the same lifecycle (the differential a PITCH book
 * will be held to). `wirebook gen --protocol pitch` output, as a capture and
 * as a file of units, decodes the same way.
 */
#include "wb_test.h"

#include <sys/wait.h>

#include "wb_feed.h"
#include "wb_gen_pitch.h"
#include "wb_net.h"
#include "wb_pcap.h"
#include "wb_pitch.h"
#include "wb_pitch_seq.h"

#define MAX_ID (1u << 20)

static const char *wirebook;

struct model {
	uint32_t *qty; /* by Order ID, 0: not live */
	uint8_t *side;
	int64_t *px4; /* price, 4 decimals */
	uint8_t *unit;
	uint64_t live, by_type[256], msgs, units, eos[256];
	uint32_t last_sec[256];
	struct wb_pitch_seq seq;
};

static void
model_init(struct model *md)
{
	memset(md, 0, sizeof(*md));
	md->qty = calloc(MAX_ID, sizeof(*md->qty));
	md->side = calloc(MAX_ID, 1);
	md->px4 = calloc(MAX_ID, sizeof(*md->px4));
	md->unit = calloc(MAX_ID, 1);
	assert_true(md->qty && md->side && md->px4 && md->unit);
	wb_pitch_seq_init(&md->seq);
}

static void
model_free(struct model *md)
{
	free(md->qty);
	free(md->side);
	free(md->px4);
	free(md->unit);
}

static int64_t
px4(int64_t p, int8_t exp)
{
	return exp == -2 ? p * 100 : p;
}

static void
model_msg(struct model *md, uint8_t unit, const struct wb_pitch_msg *m)
{
	uint64_t id = 0;

	md->by_type[m->type]++;
	md->msgs++;
	assert_int_equal(md->eos[unit], 0); /* nothing after End of Session */
	if (m->type != WB_PITCH_TIME && m->type != WB_PITCH_TRADING_STATUS)
		assert_true(m->time_offset < 1000000000u);
	switch (m->type) {
	case WB_PITCH_TIME:
		assert_true(md->last_sec[unit] == 0 || m->u.time.seconds > md->last_sec[unit]);
		md->last_sec[unit] = m->u.time.seconds;
		return;
	case WB_PITCH_END_OF_SESSION:
		md->eos[unit] = 1;
		return;
	case WB_PITCH_ADD_LONG:
	case WB_PITCH_ADD_SHORT:
	case WB_PITCH_ADD_EXPANDED:
		id = m->u.add.order_id;
		assert_true(id < MAX_ID);
		assert_int_equal(md->qty[id], 0);
		assert_true(m->u.add.quantity > 0);
		md->qty[id] = m->u.add.quantity;
		md->side[id] = m->u.add.side;
		md->px4[id] = px4(m->u.add.price, m->u.add.price_exp);
		md->unit[id] = unit;
		md->live++;
		return;
	case WB_PITCH_TRADE_LONG:
	case WB_PITCH_TRADE_SHORT:
	case WB_PITCH_TRADE_EXPANDED:
	case WB_PITCH_TRADING_STATUS:
		return;
	case WB_PITCH_ORDER_EXECUTED:
		id = m->u.executed.order_id;
		break;
	case WB_PITCH_EXECUTED_AT_PRICE:
		id = m->u.executed_price.order_id;
		break;
	case WB_PITCH_REDUCE_LONG:
	case WB_PITCH_REDUCE_SHORT:
		id = m->u.reduce.order_id;
		break;
	case WB_PITCH_MODIFY_LONG:
	case WB_PITCH_MODIFY_SHORT:
		id = m->u.modify.order_id;
		break;
	case WB_PITCH_DELETE:
		id = m->u.del.order_id;
		break;
	default:
		fail_msg("type 0x%02X not generated", m->type);
	}
	/* Every reference names a live order of the same unit. */
	assert_true(id < MAX_ID);
	assert_int_not_equal(md->qty[id], 0);
	assert_int_equal(md->unit[id], unit);
	switch (m->type) {
	case WB_PITCH_ORDER_EXECUTED:
		assert_true(m->u.executed.executed_quantity <= md->qty[id]);
		md->qty[id] -= m->u.executed.executed_quantity;
		break;
	case WB_PITCH_EXECUTED_AT_PRICE:
		assert_true(m->u.executed_price.executed_quantity <= md->qty[id]);
		md->qty[id] -= m->u.executed_price.executed_quantity;
		assert_int_equal(m->u.executed_price.remaining_quantity, md->qty[id]);
		break;
	case WB_PITCH_REDUCE_LONG:
	case WB_PITCH_REDUCE_SHORT:
		assert_true(m->u.reduce.canceled_quantity < md->qty[id]);
		md->qty[id] -= m->u.reduce.canceled_quantity;
		break;
	case WB_PITCH_MODIFY_LONG:
	case WB_PITCH_MODIFY_SHORT:
		md->qty[id] = m->u.modify.quantity;
		md->px4[id] = px4(m->u.modify.price, m->u.modify.price_exp);
		break;
	default: /* delete */
		md->qty[id] = 0;
		break;
	}
	if (md->qty[id] == 0)
		md->live--;
}

/* One Sequenced Unit: parse, sequence, decode every message into the model. */
static void
model_unit(struct model *md, const uint8_t *buf, size_t len)
{
	struct wb_pitch_seq_verdict v;
	struct wb_pitch_pkt p;
	struct wb_pitch_iter it;
	struct wb_pitch_msg m;
	const uint8_t *msg;
	uint8_t mlen;
	unsigned int n = 0;

	assert_int_equal(wb_pitch_parse(buf, len, &p), (int)len);
	assert_true(p.count > 0 && p.unit > 0);
	assert_int_equal(wb_pitch_seq_accept(&md->seq, 0, &p, &v), p.count);
	assert_int_equal(v.gap_count, 0);
	wb_pitch_iter_init(&it, &p);
	while (wb_pitch_iter_next(&it, &msg, &mlen) == 1) {
		assert_int_equal(wb_pitch_decode(msg, mlen, 0, &m), (int)mlen);
		model_msg(md, p.unit, &m);
		n++;
	}
	assert_int_equal(n, p.count);
	md->units++;
}

static void
params(struct wb_gen_pitch_params *pp)
{
	wb_gen_pitch_params_default(pp);
	pp->gen.seed = 3;
	pp->gen.messages = 200000;
	pp->gen.instruments = 100;
	pp->gen.target_orders = 5000;
	pp->units = 4;
}

static void
test_stream(void **state)
{
	struct wb_gen_pitch_params pp;
	struct wb_gen_pitch *g;
	struct wb_feed_params fp;
	struct wb_order_info oi;
	struct wb_feed *f;
	struct wb_gen *ig;
	struct model md;
	uint8_t buf[1500], im[WB_ITCH_MAX_MSG_LEN];
	unsigned int len, i;
	uint64_t ts, prev_ts = 0, seq = 0, id, checked = 0;

	(void)state;
	params(&pp);
	g = wb_gen_pitch_create(&pp);
	assert_non_null(g);
	model_init(&md);
	while ((len = wb_gen_pitch_next_unit(g, buf, &ts)) != 0) {
		assert_true(len <= pp.payload_max);
		/* Packets leave in time order, give or take the packing window. */
		assert_true(ts + pp.window_ns >= prev_ts);
		prev_ts = ts > prev_ts ? ts : prev_ts;
		model_unit(&md, buf, len);
	}
	assert_int_equal(md.msgs, wb_gen_pitch_messages(g));
	assert_int_equal(md.seq.stats.gaps + md.seq.stats.dup_packets, 0);
	assert_int_equal(md.seq.stats.unit_starts, pp.units);
	for (i = 1; i <= pp.units; i++)
		assert_int_equal(md.eos[i], 1);
	/* Every generated form appears (Symbol Mapping is the options feed's,
	 * Futures Instrument Definition the futures': an equities flow has
	 * neither). */
	for (i = 0; i < WB_PITCH_NTYPES; i++)
		if (wb_pitch_types[i] != WB_PITCH_UNIT_CLEAR &&
		    wb_pitch_types[i] != WB_PITCH_TRADE_EXPANDED &&
		    wb_pitch_types[i] != WB_PITCH_TRADE_SHORT &&
		    wb_pitch_types[i] != WB_PITCH_SYMBOL_MAPPING &&
		    wb_pitch_types[i] != WB_PITCH_FUTURES_DEF)
			if (md.by_type[wb_pitch_types[i]] == 0)
				fail_msg("no 0x%02X", wb_pitch_types[i]);
	/* The ITCH book of the same lifecycle holds the same orders. */
	pp.gen.replace_keeps_ref = 1;
	ig = wb_gen_create(&pp.gen);
	assert_non_null(ig);
	wb_feed_params_default(&fp);
	fp.book.max_orders = 1u << 15;
	fp.book.max_levels = 1u << 15;
	f = wb_feed_create(&fp);
	assert_non_null(f);
	while ((len = wb_gen_next(ig, im)) != 0)
		assert_int_equal(wb_feed_message(f, im, len, ++seq, 0), 0);
	assert_int_equal(wb_book_stats(wb_feed_book(f))->live_orders, md.live);
	for (id = 0; id < MAX_ID; id++) {
		if (md.qty[id] == 0)
			continue;
		assert_int_equal(wb_book_order(wb_feed_book(f), id, &oi), 0);
		assert_int_equal(oi.shares, md.qty[id]);
		assert_int_equal(oi.side, md.side[id]);
		assert_true((int64_t)oi.price == md.px4[id]);
		checked++;
	}
	assert_int_equal(checked, md.live);
	print_message("%llu messages in %llu units, %llu live orders equal to the ITCH book's\n",
		      (unsigned long long)md.msgs, (unsigned long long)md.units,
		      (unsigned long long)md.live);
	wb_feed_destroy(f);
	wb_gen_destroy(ig);
	wb_gen_pitch_destroy(g);
	model_free(&md);
}

static uint64_t
cli_gen(const char *out)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd),
		 "'%s' gen --protocol pitch --seed 3 --messages 200000 --instruments 100 "
		 "--orders 5000 --units 4 -o '%s'",
		 wirebook, out);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void
test_cli(void **state)
{
	char dir[] = "/tmp/wb_gen_pitch_XXXXXX", path[256];
	struct wb_gen_pitch_params pp;
	struct wb_gen_pitch *g;
	struct wb_pcap_pkt pkt;
	struct wb_udp_view v;
	struct wb_pcap *pc;
	struct model md;
	uint64_t want;
	uint8_t *raw;
	size_t len, off;
	FILE *fp;

	(void)state;
	if (wirebook == NULL)
		skip();
	params(&pp);
	g = wb_gen_pitch_create(&pp);
	assert_non_null(g);
	{
		uint8_t b[1500];
		uint64_t ts;

		while (wb_gen_pitch_next_unit(g, b, &ts) != 0)
			;
	}
	want = wb_gen_pitch_messages(g);
	wb_gen_pitch_destroy(g);
	assert_non_null(mkdtemp(dir));

	/* A capture: one unit per datagram. */
	snprintf(path, sizeof(path), "%s/p.pcap", dir);
	cli_gen(path);
	model_init(&md);
	pc = wb_pcap_open(path);
	assert_non_null(pc);
	while (wb_pcap_next(pc, &pkt) == 1) {
		assert_int_equal(wb_net_udp(pkt.data, pkt.caplen, pkt.linktype, &v), 0);
		model_unit(&md, v.payload, v.len);
	}
	wb_pcap_close(pc);
	assert_int_equal(md.msgs, want);
	model_free(&md);
	unlink(path);

	/* A file: units back to back, each as long as its header says. */
	snprintf(path, sizeof(path), "%s/p.units", dir);
	cli_gen(path);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	len = (size_t)ftell(fp);
	rewind(fp);
	raw = malloc(len);
	assert_int_equal(fread(raw, 1, len, fp), len);
	fclose(fp);
	model_init(&md);
	for (off = 0; off < len;) {
		size_t ul = wb_pitch_le16(raw + off);

		assert_true(ul >= WB_PITCH_HDR_LEN && off + ul <= len);
		model_unit(&md, raw + off, ul);
		off += ul;
	}
	assert_int_equal(md.msgs, want);
	model_free(&md);
	free(raw);
	unlink(path);
	rmdir(dir);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_stream),
	    cmocka_unit_test(test_cli),
	};

	wirebook = argc > 1 ? argv[1] : NULL;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
