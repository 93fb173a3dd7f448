/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cboe PITCH: the Sequenced Unit Header and its message walk (heartbeat,
 * padding, every cut), and every decoded message type at its spec offsets,
 * round-tripped through the encoder, cut at every length and decoded from
 * right before a guard page.
 */
#include "wb_test.h"

#include "wb_pitch.h"

static int
parse_guarded(const uint8_t *src, size_t len, struct wb_pitch_pkt *pkt, struct wb_guard *g)
{
	return wb_pitch_parse(wb_guard_copy(g, src, len), len, pkt);
}

/* The copy stays mapped until the next call: m's pointers point into it. */
static int
decode_guarded(const uint8_t *src, size_t len, unsigned int flags, struct wb_pitch_msg *m)
{
	static struct wb_guard g;
	static int mapped;

	if (mapped)
		wb_guard_free(&g);
	mapped = 1;
	return wb_pitch_decode(wb_guard_copy(&g, src, len), len, flags, m);
}

/* A unit with messages of the given lengths (filled with their index). */
static size_t
unit(uint8_t *out, uint8_t u, uint32_t seq, const uint8_t *lens, unsigned int n)
{
	size_t off = WB_PITCH_HDR_LEN;
	unsigned int i;

	for (i = 0; i < n; i++) {
		memset(out + off, 'a' + (int)i, lens[i]);
		out[off] = lens[i];
		off += lens[i];
	}
	wb_pitch_put_hdr(out, (uint16_t)off, (uint8_t)n, u, seq);
	return off;
}

static void
test_header(void **state)
{
	static const uint8_t lens[] = {6, 26, 2};
	uint8_t b[256];
	struct wb_pitch_pkt pkt;
	struct wb_pitch_iter it;
	struct wb_guard g;
	const uint8_t *msg = NULL;
	uint8_t mlen = 0;
	size_t len;
	unsigned int i;

	(void)state;
	len = unit(b, 31, 0x01020304u, lens, 3);
	/* Header bytes by the spec: length LE, count, unit, sequence LE. */
	assert_int_equal(b[0], 42);
	assert_int_equal(b[1], 0);
	assert_int_equal(b[2], 3);
	assert_int_equal(b[3], 31);
	assert_int_equal(b[4], 0x04);
	assert_int_equal(b[7], 0x01);
	assert_int_equal(parse_guarded(b, len, &pkt, &g), 42);
	assert_int_equal(pkt.length, 42);
	assert_int_equal(pkt.count, 3);
	assert_int_equal(pkt.unit, 31);
	assert_int_equal(pkt.seq, 0x01020304u);
	assert_false(wb_pitch_is_heartbeat(&pkt));
	wb_pitch_iter_init(&it, &pkt);
	for (i = 0; i < 3; i++) {
		assert_int_equal(wb_pitch_iter_next(&it, &msg, &mlen), 1);
		assert_int_equal(mlen, lens[i]);
		assert_int_equal(msg[1], 'a' + (int)i);
	}
	assert_int_equal(wb_pitch_iter_next(&it, &msg, &mlen), 0);
	wb_guard_free(&g);
}

static void
test_heartbeat_padding(void **state)
{
	uint8_t b[64];
	struct wb_pitch_pkt pkt;
	struct wb_pitch_iter it;
	struct wb_guard g;
	const uint8_t *msg;
	uint8_t mlen;

	(void)state;
	memset(b, 0, sizeof(b));
	unit(b, 1, 21134, NULL, 0);
	assert_int_equal(parse_guarded(b, 8, &pkt, &g), 8);
	assert_true(wb_pitch_is_heartbeat(&pkt));
	assert_int_equal(pkt.seq, 21134);
	wb_pitch_iter_init(&it, &pkt);
	assert_int_equal(wb_pitch_iter_next(&it, &msg, &mlen), 0);
	wb_guard_free(&g);
	/* 10 bytes of Ethernet padding after it: the unit is still 8 bytes. */
	assert_int_equal(parse_guarded(b, 18, &pkt, &g), 8);
	assert_true(wb_pitch_is_heartbeat(&pkt));
	wb_guard_free(&g);
	/* A heartbeat must not claim bytes it does not have. */
	b[0] = 9;
	assert_int_equal(parse_guarded(b, 9, &pkt, &g), WB_PROTO_MALFORMED);
	wb_guard_free(&g);
}

static void
test_bad_units(void **state)
{
	static const uint8_t lens[] = {6, 14};
	uint8_t b[64], c[64];
	struct wb_pitch_pkt pkt;
	struct wb_guard g;
	size_t len, cut;

	(void)state;
	len = unit(b, 1, 1, lens, 2);
	/* Every cut: the header is truncated or claims bytes not there. */
	for (cut = 0; cut < len; cut++) {
		assert_int_equal(parse_guarded(b, cut, &pkt, &g), WB_PROTO_TRUNCATED);
		wb_guard_free(&g);
	}
	/* A header length under 8. */
	memcpy(c, b, len);
	c[0] = 7;
	assert_int_equal(parse_guarded(c, len, &pkt, &g), WB_PROTO_MALFORMED);
	wb_guard_free(&g);
	/* A message length under 2 (would loop forever). */
	memcpy(c, b, len);
	c[8] = 1;
	assert_int_equal(parse_guarded(c, len, &pkt, &g), WB_PROTO_MALFORMED);
	wb_guard_free(&g);
	/* The count says fewer messages than the length holds. */
	memcpy(c, b, len);
	c[2] = 1;
	assert_int_equal(parse_guarded(c, len, &pkt, &g), WB_PROTO_MALFORMED);
	wb_guard_free(&g);
	/* The count says more. */
	memcpy(c, b, len);
	c[2] = 3;
	assert_int_equal(parse_guarded(c, len, &pkt, &g), WB_PROTO_TRUNCATED);
	wb_guard_free(&g);
	/* A message runs past the unit. */
	memcpy(c, b, len);
	c[14] = 15;
	assert_int_equal(parse_guarded(c, len, &pkt, &g), WB_PROTO_TRUNCATED);
	wb_guard_free(&g);
	/* The unit's next number would pass 2^32 - 1 (seq 0xfffffffe, 2 messages). */
	memcpy(c, b, len);
	c[4] = 0xfe, c[5] = c[6] = c[7] = 0xff;
	assert_int_equal(parse_guarded(c, len, &pkt, &g), WB_PROTO_MALFORMED);
	wb_guard_free(&g);
	/* The last number that fits: next is 0xffffffff. */
	c[4] = 0xfd;
	assert_int_equal(parse_guarded(c, len, &pkt, &g), (int)len);
	assert_int_equal(pkt.seq, 0xfffffffdu);
	wb_guard_free(&g);
	/* A heartbeat may carry 0xffffffff. */
	memcpy(c, b, 8);
	c[0] = 8, c[1] = 0, c[2] = 0;
	c[4] = c[5] = c[6] = c[7] = 0xff;
	assert_int_equal(parse_guarded(c, 8, &pkt, &g), 8);
	wb_guard_free(&g);
}

static const uint8_t sym6[] = "ZVZZT ", sym8[] = "ZVZZT.AB", part[] = "CBOE",
		     osi[] = "ZVZZT 991231C00012500", under[] = "ZVZZT   ", rsym[] = "ZVX1  ";

/* One message of each decoded type, with distinct field values. */
static void
sample(uint8_t type, struct wb_pitch_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->time_offset = 999999999u;
	switch (type) {
	case WB_PITCH_TIME:
		m->time_offset = 0;
		m->u.time.seconds = 34200;
		break;
	case WB_PITCH_ADD_LONG:
	case WB_PITCH_ADD_SHORT:
	case WB_PITCH_ADD_EXPANDED:
		m->u.add.order_id = 0x0123456789abcdefull;
		m->u.add.side = 'S';
		m->u.add.quantity = type == WB_PITCH_ADD_SHORT ? 65535u : 4000000000u;
		m->u.add.symbol = type == WB_PITCH_ADD_EXPANDED ? sym8 : sym6;
		m->u.add.symbol_len = type == WB_PITCH_ADD_EXPANDED ? 8 : 6;
		m->u.add.price = type == WB_PITCH_ADD_SHORT ? 65535 : 4294967296000ll;
		m->u.add.price_exp = type == WB_PITCH_ADD_SHORT ? -2 : -4;
		m->u.add.has_flags = 1;
		m->u.add.flags = 0x01;
		m->u.add.participant_id = type == WB_PITCH_ADD_EXPANDED ? part : NULL;
		break;
	case WB_PITCH_ORDER_EXECUTED:
		m->u.executed.order_id = 7;
		m->u.executed.executed_quantity = 123456;
		m->u.executed.execution_id = 0xfedcba9876543210ull;
		break;
	case WB_PITCH_EXECUTED_AT_PRICE:
		m->u.executed_price.order_id = 8;
		m->u.executed_price.executed_quantity = 300;
		m->u.executed_price.remaining_quantity = 200;
		m->u.executed_price.execution_id = 99;
		m->u.executed_price.price = 1234567;
		m->u.executed_price.price_exp = -4;
		break;
	case WB_PITCH_REDUCE_LONG:
	case WB_PITCH_REDUCE_SHORT:
		m->u.reduce.order_id = 9;
		m->u.reduce.canceled_quantity = type == WB_PITCH_REDUCE_LONG ? 70000 : 65000;
		break;
	case WB_PITCH_MODIFY_LONG:
	case WB_PITCH_MODIFY_SHORT:
		m->u.modify.order_id = 10;
		m->u.modify.quantity = type == WB_PITCH_MODIFY_LONG ? 70000 : 500;
		m->u.modify.price = type == WB_PITCH_MODIFY_LONG ? 9990000 : 999;
		m->u.modify.price_exp = type == WB_PITCH_MODIFY_LONG ? -4 : -2;
		m->u.modify.has_flags = 1;
		m->u.modify.flags = 0x03;
		break;
	case WB_PITCH_DELETE:
		m->u.del.order_id = 11;
		break;
	case WB_PITCH_TRADE_LONG:
	case WB_PITCH_TRADE_SHORT:
	case WB_PITCH_TRADE_EXPANDED:
		m->u.trade.order_id = 12;
		m->u.trade.side = 'B';
		m->u.trade.quantity = type == WB_PITCH_TRADE_SHORT ? 100 : 100000;
		m->u.trade.symbol = type == WB_PITCH_TRADE_EXPANDED ? sym8 : sym6;
		m->u.trade.symbol_len = type == WB_PITCH_TRADE_EXPANDED ? 8 : 6;
		m->u.trade.price = type == WB_PITCH_TRADE_SHORT ? 2050 : 205000;
		m->u.trade.price_exp = type == WB_PITCH_TRADE_SHORT ? -2 : -4;
		m->u.trade.execution_id = 13;
		break;
	case WB_PITCH_TRADING_STATUS:
		m->u.trading_status.symbol = sym8;
		m->u.trading_status.trading_status = 'H';
		m->u.trading_status.reg_sho_action = '1';
		m->u.trading_status.reserved1 = 'x';
		m->u.trading_status.reserved2 = 'y';
		break;
	case WB_PITCH_SYMBOL_MAPPING: /* no time offset */
		m->time_offset = 0;
		m->u.symbol_mapping.feed_symbol = sym6;
		m->u.symbol_mapping.osi_symbol = osi;
		m->u.symbol_mapping.symbol_condition = 'C';
		m->u.symbol_mapping.underlying = under;
		break;
	case WB_PITCH_FUTURES_DEF: /* the 41-byte form: no contract date, no legs */
		m->u.futures_def.symbol = sym6;
		m->u.futures_def.unit_timestamp = 1556745005u;
		m->u.futures_def.report_symbol = rsym;
		m->u.futures_def.futures_flags = 0x5a;
		m->u.futures_def.expiration_date = 20991231u;
		m->u.futures_def.contract_size = 0xa55a;
		m->u.futures_def.listing_state = 'A';
		m->u.futures_def.price_increment = 0x0102030405060708ll;
		m->u.futures_def.price_exp = WB_PITCH_LONG_PRICE_EXP;
		m->u.futures_def.variance_block_offset = 0x77;
		break;
	default:
		break;
	}
}

static void
expect_equal(const struct wb_pitch_msg *a, const struct wb_pitch_msg *b)
{
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->time_offset, b->time_offset);
	switch (a->type) {
	case WB_PITCH_TIME:
		assert_int_equal(a->u.time.seconds, b->u.time.seconds);
		assert_int_equal(b->u.time.has_epoch, 0);
		break;
	case WB_PITCH_ADD_LONG:
	case WB_PITCH_ADD_SHORT:
	case WB_PITCH_ADD_EXPANDED:
		assert_true(a->u.add.order_id == b->u.add.order_id);
		assert_int_equal(a->u.add.side, b->u.add.side);
		assert_int_equal(a->u.add.quantity, b->u.add.quantity);
		assert_int_equal(a->u.add.symbol_len, b->u.add.symbol_len);
		assert_memory_equal(a->u.add.symbol, b->u.add.symbol, a->u.add.symbol_len);
		assert_true(a->u.add.price == b->u.add.price);
		assert_int_equal(a->u.add.price_exp, b->u.add.price_exp);
		assert_int_equal(a->u.add.has_flags, b->u.add.has_flags);
		assert_int_equal(a->u.add.flags, b->u.add.flags);
		if (a->u.add.participant_id != NULL)
			assert_memory_equal(a->u.add.participant_id, b->u.add.participant_id, 4);
		else
			assert_null(b->u.add.participant_id);
		break;
	case WB_PITCH_ORDER_EXECUTED:
		assert_true(a->u.executed.order_id == b->u.executed.order_id);
		assert_int_equal(a->u.executed.executed_quantity, b->u.executed.executed_quantity);
		assert_true(a->u.executed.execution_id == b->u.executed.execution_id);
		assert_int_equal(b->u.executed.has_trade_condition, 0);
		break;
	case WB_PITCH_EXECUTED_AT_PRICE:
		assert_true(a->u.executed_price.order_id == b->u.executed_price.order_id);
		assert_int_equal(a->u.executed_price.executed_quantity,
				 b->u.executed_price.executed_quantity);
		assert_int_equal(a->u.executed_price.remaining_quantity,
				 b->u.executed_price.remaining_quantity);
		assert_true(a->u.executed_price.execution_id == b->u.executed_price.execution_id);
		assert_true(a->u.executed_price.price == b->u.executed_price.price);
		assert_int_equal(a->u.executed_price.price_exp, b->u.executed_price.price_exp);
		break;
	case WB_PITCH_REDUCE_LONG:
	case WB_PITCH_REDUCE_SHORT:
		assert_true(a->u.reduce.order_id == b->u.reduce.order_id);
		assert_int_equal(a->u.reduce.canceled_quantity, b->u.reduce.canceled_quantity);
		break;
	case WB_PITCH_MODIFY_LONG:
	case WB_PITCH_MODIFY_SHORT:
		assert_true(a->u.modify.order_id == b->u.modify.order_id);
		assert_int_equal(a->u.modify.quantity, b->u.modify.quantity);
		assert_true(a->u.modify.price == b->u.modify.price);
		assert_int_equal(a->u.modify.price_exp, b->u.modify.price_exp);
		assert_int_equal(a->u.modify.has_flags, b->u.modify.has_flags);
		assert_int_equal(a->u.modify.flags, b->u.modify.flags);
		break;
	case WB_PITCH_DELETE:
		assert_true(a->u.del.order_id == b->u.del.order_id);
		break;
	case WB_PITCH_TRADE_LONG:
	case WB_PITCH_TRADE_SHORT:
	case WB_PITCH_TRADE_EXPANDED:
		assert_true(a->u.trade.order_id == b->u.trade.order_id);
		assert_int_equal(a->u.trade.side, b->u.trade.side);
		assert_int_equal(a->u.trade.quantity, b->u.trade.quantity);
		assert_int_equal(a->u.trade.symbol_len, b->u.trade.symbol_len);
		assert_memory_equal(a->u.trade.symbol, b->u.trade.symbol, a->u.trade.symbol_len);
		assert_true(a->u.trade.price == b->u.trade.price);
		assert_int_equal(a->u.trade.price_exp, b->u.trade.price_exp);
		assert_true(a->u.trade.execution_id == b->u.trade.execution_id);
		break;
	case WB_PITCH_TRADING_STATUS:
		assert_memory_equal(b->u.trading_status.symbol, a->u.trading_status.symbol, 8);
		assert_int_equal(a->u.trading_status.trading_status,
				 b->u.trading_status.trading_status);
		assert_int_equal(a->u.trading_status.reg_sho_action,
				 b->u.trading_status.reg_sho_action);
		assert_int_equal(a->u.trading_status.reserved1, b->u.trading_status.reserved1);
		assert_int_equal(a->u.trading_status.reserved2, b->u.trading_status.reserved2);
		break;
	case WB_PITCH_SYMBOL_MAPPING:
		assert_memory_equal(b->u.symbol_mapping.feed_symbol,
				    a->u.symbol_mapping.feed_symbol, WB_PITCH_SYMBOL_LEN);
		assert_memory_equal(b->u.symbol_mapping.osi_symbol, a->u.symbol_mapping.osi_symbol,
				    WB_PITCH_OSI_SYMBOL_LEN);
		assert_int_equal(a->u.symbol_mapping.symbol_condition,
				 b->u.symbol_mapping.symbol_condition);
		assert_memory_equal(b->u.symbol_mapping.underlying, a->u.symbol_mapping.underlying,
				    WB_PITCH_UNDERLYING_LEN);
		break;
	case WB_PITCH_FUTURES_DEF: {
		unsigned int i;

		assert_memory_equal(b->u.futures_def.symbol, a->u.futures_def.symbol,
				    WB_PITCH_SYMBOL_LEN);
		assert_int_equal(a->u.futures_def.unit_timestamp, b->u.futures_def.unit_timestamp);
		assert_memory_equal(b->u.futures_def.report_symbol, a->u.futures_def.report_symbol,
				    WB_PITCH_SYMBOL_LEN);
		assert_int_equal(a->u.futures_def.futures_flags, b->u.futures_def.futures_flags);
		assert_int_equal(a->u.futures_def.expiration_date,
				 b->u.futures_def.expiration_date);
		assert_int_equal(a->u.futures_def.contract_size, b->u.futures_def.contract_size);
		assert_int_equal(a->u.futures_def.listing_state, b->u.futures_def.listing_state);
		assert_true(a->u.futures_def.price_increment == b->u.futures_def.price_increment);
		assert_int_equal(a->u.futures_def.price_exp, b->u.futures_def.price_exp);
		assert_int_equal(a->u.futures_def.leg_count, b->u.futures_def.leg_count);
		assert_int_equal(a->u.futures_def.variance_block_offset,
				 b->u.futures_def.variance_block_offset);
		assert_int_equal(a->u.futures_def.has_contract_date,
				 b->u.futures_def.has_contract_date);
		assert_int_equal(a->u.futures_def.contract_date, b->u.futures_def.contract_date);
		for (i = 0; i < a->u.futures_def.leg_count; i++) {
			struct wb_pitch_leg la = wb_pitch_futures_leg(a, i),
					    lb = wb_pitch_futures_leg(b, i);

			assert_int_equal(la.ratio, lb.ratio);
			assert_memory_equal(lb.symbol, la.symbol, WB_PITCH_SYMBOL_LEN);
		}
		break;
	}
	default:
		break;
	}
}

static void
test_round_trip_and_cuts(void **state)
{
	uint8_t b[WB_PITCH_MAX_MSG_LEN];
	struct wb_pitch_msg in, out;
	unsigned int i, len, cut;

	(void)state;
	for (i = 0; i < WB_PITCH_NTYPES; i++) {
		uint8_t t = wb_pitch_types[i];

		assert_int_equal(wb_pitch_type_index(t), (int)i);
		assert_non_null(wb_pitch_type_name(t));
		sample(t, &in);
		len = wb_pitch_spec_len(t);
		assert_true(len >= wb_pitch_min_len[t]);
		assert_int_equal(wb_pitch_encode(&in, b, len - 1), WB_PROTO_TRUNCATED);
		assert_int_equal(wb_pitch_encode(&in, b, sizeof(b)), (int)len);
		assert_int_equal(decode_guarded(b, len, 0, &out), (int)len);
		assert_int_equal(out.len, len);
		expect_equal(&in, &out);
		/* Every cut below the minimum: the length byte disagrees or is short. */
		for (cut = 0; cut < len; cut++) {
			int want = cut < 2 ? WB_PROTO_TRUNCATED : WB_PROTO_MALFORMED;

			assert_int_equal(decode_guarded(b, cut, 0, &out), want);
			if (cut >= 2) {
				b[0] = (uint8_t)cut;
				assert_int_equal(decode_guarded(b, cut, 0, &out),
						 cut < wb_pitch_min_len[t] ? WB_PROTO_MALFORMED
									   : (int)cut);
				b[0] = (uint8_t)len;
			}
		}
	}
	assert_int_equal(wb_pitch_type_index(0x2C), -1); /* Trade Break */
	assert_null(wb_pitch_type_name(0x2C));
}

/* The two real Futures Instrument Definitions (tests/data/cboe/pitch/futures-v1.1.*). */
static const uint8_t fdef6[] = {0x29, 0xbb, 0x98, 0x82, 0x9f, 0x22, 0x30, 0x30, 0x30, 0x32, 0x54,
				0x74, 0x2d, 0x0b, 0xca, 0x5c, 0x5a, 0x56, 0x41, 0x4f, 0x20, 0x20,
				0x00, 0xab, 0x3c, 0x34, 0x01, 0x01, 0x00, 0x54, 0xf4, 0x01, 0x00,
				0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
static const uint8_t fdef12[] = {0x41, 0xbb, 0xe8, 0x5d, 0x9d, 0x0d, 0x30, 0x30, 0x30, 0x34, 0x79,
				 0x6a, 0xcf, 0xaa, 0x25, 0x60, 0x5a, 0x41, 0x4d, 0x42, 0x31, 0x20,
				 0x00, 0x7d, 0x62, 0x34, 0x01, 0x32, 0x00, 0x54, 0xc4, 0x09, 0x00,
				 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x2d, 0x00, 0x00, 0x00, 0x00,
				 0x00, 0xff, 0xff, 0xff, 0xff, 0x30, 0x30, 0x30, 0x34, 0x52, 0x39,
				 0x01, 0x00, 0x00, 0x00, 0x30, 0x30, 0x30, 0x34, 0x79, 0x5a};

/* Offsets pinned by hand for the messages that move a book. */
static void
test_offsets(void **state)
{
	/* Add Order Short: B 400 MAT @ 20.66, id 2265901215303825392 (a BYX capture's bytes). */
	static const uint8_t add[] = {0x1a, 0x22, 0x48, 0xbe, 0x9a, 0x3b, 0xf0, 0x77, 0x4f,
				      0x6a, 0x26, 0x19, 0x72, 0x1f, 0x42, 0x90, 0x01, 0x4d,
				      0x41, 0x54, 0x20, 0x20, 0x20, 0x12, 0x08, 0x01};
	/* Symbol Mapping, the options complex capture's bytes: no time offset. */
	static const uint8_t map[] = {38,  0x2e, '0', '2', '7', 'w', 'u', 'E', 'S', 'P',
				      'X', ' ',	 ' ', ' ', '2', '0', '0', '6', '1', '9',
				      'P', '0',	 '0', '5', '0', '0', '0', '0', '0', 'N',
				      'S', 'P',	 'X', ' ', ' ', ' ', ' ', ' '};
	/* Modify Order Short with a negative price, as the options complex feed sends. */
	static const uint8_t mod[] = {19, 0x28, 0, 0, 0,  0, 1,	   0,	 0, 0,
				      0,  0,	0, 0, 11, 0, 0xcf, 0xa9, 1};
	struct wb_pitch_msg m;
	struct wb_pitch_leg leg;
	char s[WB_PITCH_OSI_SYMBOL_LEN + 1];

	(void)state;
	assert_int_equal(decode_guarded(add, sizeof(add), 0, &m), 26);
	assert_int_equal(m.time_offset, 999997000u);
	assert_true(m.u.add.order_id == 2265901215303825392ull);
	assert_int_equal(m.u.add.side, 'B');
	assert_int_equal(m.u.add.quantity, 400);
	assert_int_equal(wb_pitch_alpha(s, m.u.add.symbol, m.u.add.symbol_len), 3);
	assert_string_equal(s, "MAT");
	assert_true(m.u.add.price == 2066);
	assert_int_equal(m.u.add.price_exp, -2);
	assert_int_equal(m.u.add.flags, 1);

	assert_int_equal(decode_guarded(mod, sizeof(mod), WB_PITCH_SIGNED_PRICES, &m), 19);
	assert_true(m.u.modify.price == -22065);
	assert_int_equal(decode_guarded(mod, sizeof(mod), 0, &m), 19);
	assert_true(m.u.modify.price == 43471);

	assert_int_equal(decode_guarded(map, sizeof(map), WB_PITCH_SIGNED_PRICES, &m), 38);
	assert_int_equal(m.type, WB_PITCH_SYMBOL_MAPPING);
	assert_int_equal(m.time_offset, 0);
	assert_ptr_equal(m.u.symbol_mapping.feed_symbol, m.raw + 2);
	assert_int_equal(wb_pitch_alpha(s, m.u.symbol_mapping.feed_symbol, WB_PITCH_SYMBOL_LEN), 6);
	assert_string_equal(s, "027wuE");
	/* inner spaces kept, trailing ones (none here) removed */
	assert_int_equal(wb_pitch_alpha(s, m.u.symbol_mapping.osi_symbol, WB_PITCH_OSI_SYMBOL_LEN),
			 21);
	assert_string_equal(s, "SPX   200619P00500000");
	assert_int_equal(m.u.symbol_mapping.symbol_condition, 'N');
	assert_int_equal(wb_pitch_alpha(s, m.u.symbol_mapping.underlying, WB_PITCH_UNDERLYING_LEN),
			 3);
	assert_string_equal(s, "SPX");
	/* one byte short (a 37-byte message): malformed, nothing read past it */
	assert_int_equal(decode_guarded(map, 37, 0, &m), WB_PROTO_MALFORMED);

	/* Futures Instrument Definition, the v1.1.6 capture's bytes: no legs. */
	assert_int_equal(decode_guarded(fdef6, sizeof(fdef6), 0, &m), 41);
	assert_int_equal(m.type, WB_PITCH_FUTURES_DEF);
	assert_int_equal(m.time_offset, 580879000);
	assert_ptr_equal(m.u.futures_def.symbol, m.raw + 6);
	assert_int_equal(wb_pitch_alpha(s, m.u.futures_def.symbol, WB_PITCH_SYMBOL_LEN), 6);
	assert_string_equal(s, "0002Tt");
	assert_int_equal(m.u.futures_def.unit_timestamp, 1556745005);
	assert_ptr_equal(m.u.futures_def.report_symbol, m.raw + 16);
	assert_int_equal(wb_pitch_alpha(s, m.u.futures_def.report_symbol, WB_PITCH_SYMBOL_LEN), 4);
	assert_string_equal(s, "ZVAO");
	assert_int_equal(m.u.futures_def.futures_flags, 0);
	assert_int_equal(m.u.futures_def.expiration_date, 20200619);
	assert_int_equal(m.u.futures_def.contract_size, 1);
	assert_int_equal(m.u.futures_def.listing_state, 'T');
	assert_true(m.u.futures_def.price_increment == 500);
	assert_int_equal(m.u.futures_def.price_exp, -4);
	assert_int_equal(m.u.futures_def.leg_count, 0);
	assert_int_equal(m.u.futures_def.leg_offset, 0);
	assert_null(m.u.futures_def.legs);
	assert_int_equal(m.u.futures_def.has_contract_date, 0);

	/* v1.1.12's: the contract date at 41, two legs at 45, the first sold. */
	assert_int_equal(decode_guarded(fdef12, sizeof(fdef12), 0, &m), 65);
	assert_int_equal(m.time_offset, 228417000);
	assert_int_equal(wb_pitch_alpha(s, m.u.futures_def.symbol, WB_PITCH_SYMBOL_LEN), 6);
	assert_string_equal(s, "0004yj");
	assert_int_equal(m.u.futures_def.unit_timestamp, 1613081295);
	assert_int_equal(wb_pitch_alpha(s, m.u.futures_def.report_symbol, WB_PITCH_SYMBOL_LEN), 5);
	assert_string_equal(s, "ZAMB1");
	assert_int_equal(m.u.futures_def.expiration_date, 20210301);
	assert_int_equal(m.u.futures_def.contract_size, 50);
	assert_true(m.u.futures_def.price_increment == 2500);
	assert_int_equal(m.u.futures_def.leg_count, 2);
	assert_int_equal(m.u.futures_def.leg_offset, 45);
	assert_int_equal(m.u.futures_def.has_contract_date, 1);
	assert_int_equal(m.u.futures_def.contract_date, 0);
	assert_ptr_equal(m.u.futures_def.legs, m.raw + 45);
	leg = wb_pitch_futures_leg(&m, 0);
	assert_int_equal(leg.ratio, -1);
	assert_int_equal(wb_pitch_alpha(s, leg.symbol, WB_PITCH_SYMBOL_LEN), 6);
	assert_string_equal(s, "0004R9");
	leg = wb_pitch_futures_leg(&m, 1);
	assert_int_equal(leg.ratio, 1);
	assert_ptr_equal(leg.symbol, m.raw + 59);
	assert_int_equal(wb_pitch_alpha(s, leg.symbol, WB_PITCH_SYMBOL_LEN), 6);
	assert_string_equal(s, "0004yZ");
}

/*
 * A Futures Instrument Definition cut anywhere, or with its legs past its
 * length or over its fixed part: malformed, and (guard page) nothing read
 * past the message.
 */
static void
test_futures_def_bounds(void **state)
{
	uint8_t b[sizeof(fdef12)];
	struct wb_pitch_msg m, in;
	uint8_t legs[2 * WB_PITCH_FUTDEF_LEG_LEN];
	unsigned int cut;

	(void)state;
	/* every cut of both captures, the length byte saying the cut length */
	for (cut = 2; cut < sizeof(fdef12); cut++) {
		memcpy(b, fdef12, cut);
		b[0] = (uint8_t)cut;
		/* v1.1.12: under 41 short; from 41 on its two legs at 45 end past it */
		assert_int_equal(decode_guarded(b, cut, 0, &m), WB_PROTO_MALFORMED);
		assert_int_equal(m.type, WB_PITCH_FUTURES_DEF);
		if (cut < sizeof(fdef6)) {
			memcpy(b, fdef6, cut);
			b[0] = (uint8_t)cut;
			assert_int_equal(decode_guarded(b, cut, 0, &m), WB_PROTO_MALFORMED);
			/* and with the length byte whole: it disagrees with len */
			b[0] = sizeof(fdef6);
			assert_int_equal(decode_guarded(b, cut, 0, &m), WB_PROTO_MALFORMED);
		}
	}
	/* v1.1.12 without its second leg's last byte: one leg fits, two do not */
	memcpy(b, fdef12, sizeof(fdef12));
	b[0] = 64;
	assert_int_equal(decode_guarded(b, 64, 0, &m), WB_PROTO_MALFORMED);
	/* the same bytes saying one leg: decoded, the second leg's bytes ignored */
	b[38] = 1;
	assert_int_equal(decode_guarded(b, 64, 0, &m), 64);
	assert_int_equal(m.u.futures_def.leg_count, 1);
	/* a leg count the length cannot hold */
	memcpy(b, fdef12, sizeof(fdef12));
	b[38] = 3;
	assert_int_equal(decode_guarded(b, sizeof(fdef12), 0, &m), WB_PROTO_MALFORMED);
	b[38] = 255;
	assert_int_equal(decode_guarded(b, sizeof(fdef12), 0, &m), WB_PROTO_MALFORMED);
	/* legs that start inside the fixed fields, or past the end */
	b[38] = 2;
	b[39] = 40;
	assert_int_equal(decode_guarded(b, sizeof(fdef12), 0, &m), WB_PROTO_MALFORMED);
	b[39] = 46;
	assert_int_equal(decode_guarded(b, sizeof(fdef12), 0, &m), WB_PROTO_MALFORMED);
	b[39] = 255;
	assert_int_equal(decode_guarded(b, sizeof(fdef12), 0, &m), WB_PROTO_MALFORMED);
	/* legs at 41 (no contract date): read there, no date */
	b[39] = 41;
	assert_int_equal(decode_guarded(b, sizeof(fdef12), 0, &m), 65);
	assert_int_equal(m.u.futures_def.has_contract_date, 0);
	assert_ptr_equal(m.u.futures_def.legs, m.raw + 41);
	/* v1.1.6 with a leg count but no legs in its 41 bytes */
	memcpy(b, fdef6, sizeof(fdef6));
	b[38] = 1;
	b[39] = 41;
	assert_int_equal(decode_guarded(b, sizeof(fdef6), 0, &m), WB_PROTO_MALFORMED);
	/* an unsigned price increment with its top bit set */
	memcpy(b, fdef6, sizeof(fdef6));
	b[37] = 0x80;
	assert_int_equal(decode_guarded(b, sizeof(fdef6), 0, &m), WB_PROTO_MALFORMED);
	assert_int_equal(decode_guarded(b, sizeof(fdef6), WB_PITCH_SIGNED_PRICES, &m), 41);

	/* encode: the contract date and the legs, which it places at 45 */
	assert_int_equal(decode_guarded(fdef12, sizeof(fdef12), 0, &m), 65);
	in = m;
	assert_int_equal(wb_pitch_encode(&in, b, 64), WB_PROTO_TRUNCATED);
	assert_int_equal(wb_pitch_encode(&in, b, sizeof(b)), 65);
	assert_memory_equal(b, fdef12, sizeof(fdef12));
	/* 22 legs pass 255 bytes (21 end at 255) */
	memset(legs, 0, sizeof(legs));
	in.u.futures_def.legs = legs;
	in.u.futures_def.leg_count = 22;
	assert_int_equal(wb_pitch_encode(&in, b, sizeof(b)), WB_PROTO_MALFORMED);
}

static void
test_tails_and_bad_fields(void **state)
{
	uint8_t b[WB_PITCH_MAX_MSG_LEN];
	struct wb_pitch_msg in, out;
	int len;

	(void)state;
	/* Futures short add: no flags byte. */
	sample(WB_PITCH_ADD_SHORT, &in);
	len = wb_pitch_encode(&in, b, sizeof(b));
	b[0] = 25;
	assert_int_equal(decode_guarded(b, 25, 0, &out), 25);
	assert_int_equal(out.u.add.has_flags, 0);
	assert_int_equal(out.u.add.quantity, 65535);
	/* Futures short modify: no flags byte either. */
	{
		uint8_t mb[WB_PITCH_MAX_MSG_LEN];

		sample(WB_PITCH_MODIFY_SHORT, &in);
		wb_pitch_encode(&in, mb, sizeof(mb));
		mb[0] = 18;
		assert_int_equal(decode_guarded(mb, 18, 0, &out), 18);
		assert_int_equal(out.u.modify.has_flags, 0);
		assert_int_equal(out.u.modify.flags, 0);
		assert_true(out.u.modify.price == 999);
	}
	sample(WB_PITCH_ADD_SHORT, &in);
	wb_pitch_encode(&in, b, sizeof(b));
	/* A byte appended by a later version is accepted and not read as a field. */
	b[0] = 27;
	b[26] = 0x55;
	assert_int_equal(decode_guarded(b, 27, 0, &out), 27);
	assert_int_equal(out.u.add.flags, 1);
	/* Side not B/S. */
	b[0] = (uint8_t)len;
	b[14] = 'X';
	assert_int_equal(decode_guarded(b, (size_t)len, 0, &out), WB_PROTO_MALFORMED);
	/* Futures Time: seconds and epoch. */
	sample(WB_PITCH_TIME, &in);
	wb_pitch_encode(&in, b, sizeof(b));
	b[0] = 10;
	b[6] = 0xc5; /* 1556745157 = 0x5cca0bc5 */
	b[7] = 0x0b;
	b[8] = 0xca;
	b[9] = 0x5c;
	assert_int_equal(decode_guarded(b, 10, 0, &out), 10);
	assert_int_equal(out.u.time.seconds, 34200);
	assert_int_equal(out.u.time.has_epoch, 1);
	assert_int_equal(out.u.time.epoch, 1556745157u);
	/* Options Order Executed: the trade condition byte. */
	sample(WB_PITCH_ORDER_EXECUTED, &in);
	wb_pitch_encode(&in, b, sizeof(b));
	b[0] = 27;
	b[26] = 'f';
	assert_int_equal(decode_guarded(b, 27, 0, &out), 27);
	assert_int_equal(out.u.executed.has_trade_condition, 1);
	assert_int_equal(out.u.executed.trade_condition, 'f');
	/* An unsigned long price with its top bit set, and the same signed. */
	sample(WB_PITCH_ADD_LONG, &in);
	in.u.add.price = -1;
	len = wb_pitch_encode(&in, b, sizeof(b));
	assert_int_equal(decode_guarded(b, (size_t)len, 0, &out), WB_PROTO_MALFORMED);
	assert_int_equal(decode_guarded(b, (size_t)len, WB_PITCH_SIGNED_PRICES, &out), len);
	assert_true(out.u.add.price == -1);
	/* A type not decoded (Trade Break): its length and type are still reported. */
	memset(b, 0, 38);
	b[0] = 38;
	b[1] = 0x2C;
	assert_int_equal(decode_guarded(b, 38, 0, &out), WB_PROTO_UNKNOWN);
	assert_int_equal(out.type, 0x2C);
	assert_int_equal(out.len, 38);
	/* A Symbol Mapping whose length byte says less than its 38 bytes. */
	sample(WB_PITCH_SYMBOL_MAPPING, &in);
	assert_int_equal(wb_pitch_encode(&in, b, sizeof(b)), 38);
	b[0] = 30;
	assert_int_equal(decode_guarded(b, 30, 0, &out), WB_PROTO_MALFORMED);
	assert_int_equal(out.type, WB_PITCH_SYMBOL_MAPPING);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_header),
	    cmocka_unit_test(test_heartbeat_padding),
	    cmocka_unit_test(test_bad_units),
	    cmocka_unit_test(test_round_trip_and_cuts),
	    cmocka_unit_test(test_offsets),
	    cmocka_unit_test(test_futures_def_bounds),
	    cmocka_unit_test(test_tails_and_bad_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
