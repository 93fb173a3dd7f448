/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ITCH 5.0 decoder: each of the 23 types is laid out here byte by byte from
 * the spec's offsets (independently of the decoder's code), decoded from a
 * guard-page buffer, and every field compared; then round trip, every short
 * and long length, unknown types and bad sides.
 */
#include "wb_test.h"

#include "wb_compiler.h"
#include "wb_itch50.h"

/* Big-endian store of the low n bytes of v at b + off (test-local on purpose). */
static void
be(uint8_t *b, size_t off, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		b[off + i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

#define LOCATE 0x1234u
#define TRACK 0x5678u
#define TS 0xa1b2c3d4e5f6ull
#define REF 0x1122334455667788ull
#define REF2 0x0102030405060708ull
#define MATCH 0x8877665544332211ull
#define SHARES 0x0a0b0c0du
#define PRICE 0x00c0ffeeu
#define U64A 0xfedcba9876543210ull
#define U64B 0x0f1e2d3c4b5a6978ull

static void
hdr(uint8_t *b, char type)
{
	memset(b, 0xee, WB_ITCH_MAX_MSG_LEN);
	b[0] = (uint8_t)type;
	be(b, 1, LOCATE, 2);
	be(b, 3, TRACK, 2);
	be(b, 5, TS, 6);
}

static void
alpha(uint8_t *b, size_t off, const char *s, size_t n)
{
	size_t l = strlen(s);

	memset(b + off, ' ', n);
	memcpy(b + off, s, l < n ? l : n);
}

/*
 * Builds a valid message of `type` by the spec layout; returns its length.
 * One line per spec table row, hence no clang-format here.
 */
// clang-format off
static size_t
build(uint8_t *b, char type)
{
	hdr(b, type);
	switch (type) {
	case 'S': b[11] = 'O'; return 12;
	case 'R':
		alpha(b, 11, "AAPL", 8); b[19] = 'Q'; b[20] = 'N'; be(b, 21, 100, 4);
		b[25] = 'N'; b[26] = 'C'; alpha(b, 27, "Z", 2); b[29] = 'P'; b[30] = 'N';
		b[31] = ' '; b[32] = '1'; b[33] = 'N'; be(b, 34, 0x01020304, 4); b[38] = 'Y';
		return 39;
	case 'H': alpha(b, 11, "ZVZZT", 8); b[19] = 'H'; b[20] = ' '; alpha(b, 21, "LUDP", 4); return 25;
	case 'Y': alpha(b, 11, "SOPA", 8); b[19] = '1'; return 20;
	case 'L':
		alpha(b, 11, "MAXM", 4); alpha(b, 15, "FGMC", 8); b[23] = 'Y'; b[24] = 'N';
		b[25] = 'A'; return 26;
	case 'V': be(b, 11, U64A, 8); be(b, 19, U64B, 8); be(b, 27, MATCH, 8); return 35;
	case 'W': b[11] = '2'; return 12;
	case 'K':
		alpha(b, 11, "NEWCO", 8); be(b, 19, 34200, 4); b[23] = 'A'; be(b, 24, PRICE, 4);
		return 28;
	case 'J':
		alpha(b, 11, "ZXZZT", 8); be(b, 19, 133400, 4); be(b, 23, 140100, 4);
		be(b, 27, 109200, 4); be(b, 31, 0x01020304, 4); return 35;
	case 'h': alpha(b, 11, "QQQ", 8); b[19] = 'Q'; b[20] = 'H'; return 21;
	case 'A':
	case 'F':
		be(b, 11, REF, 8); b[19] = 'S'; be(b, 20, SHARES, 4); alpha(b, 24, "GFOR=", 8);
		be(b, 32, PRICE, 4);
		if (type == 'A')
			return 36;
		alpha(b, 36, "UBSS", 4); return 40;
	case 'E': be(b, 11, REF, 8); be(b, 19, SHARES, 4); be(b, 23, MATCH, 8); return 31;
	case 'C':
		be(b, 11, REF, 8); be(b, 19, SHARES, 4); be(b, 23, MATCH, 8); b[31] = 'N';
		be(b, 32, PRICE, 4); return 36;
	case 'X': be(b, 11, REF, 8); be(b, 19, SHARES, 4); return 23;
	case 'D': be(b, 11, REF, 8); return 19;
	case 'U': be(b, 11, REF, 8); be(b, 19, REF2, 8); be(b, 27, SHARES, 4); be(b, 31, PRICE, 4); return 35;
	case 'P':
		be(b, 11, REF, 8); b[19] = 'B'; be(b, 20, SHARES, 4); alpha(b, 24, "META", 8);
		be(b, 32, PRICE, 4); be(b, 36, MATCH, 8); return 44;
	case 'Q':
		be(b, 11, U64A, 8); alpha(b, 19, "BAC-Q", 8); be(b, 27, PRICE, 4); be(b, 31, MATCH, 8);
		b[39] = 'O'; return 40;
	case 'B': be(b, 11, MATCH, 8); return 19;
	case 'I':
		be(b, 11, U64A, 8); be(b, 19, U64B, 8); b[27] = 'N'; alpha(b, 28, "MDC", 8);
		be(b, 36, 464400, 4); be(b, 40, 464401, 4); be(b, 44, 464402, 4); b[48] = 'O';
		b[49] = 'L'; return 50;
	case 'N': alpha(b, 11, "BIZD", 8); b[19] = 'N'; return 20;
	case 'O':
		alpha(b, 11, "ARM", 8); b[19] = 'Y'; be(b, 20, 100000, 4); be(b, 24, 200000, 4);
		be(b, 28, 150000, 4); be(b, 32, U64A, 8); be(b, 40, 140000, 4); be(b, 44, 160000, 4);
		return 48;
	}
	fail_msg("no builder for type %c", type);
	return 0;
}
// clang-format on

static void
check_alpha(const uint8_t *got, const uint8_t *buf, size_t off, size_t n)
{
	assert_ptr_equal(got, buf + off);
	assert_memory_equal(got, buf + off, n);
}

/* Every field of a message built by build(), decoded from buf. */
static void
check_fields(const struct wb_itch_msg *m, const uint8_t *buf)
{
	char s[9];

	assert_int_equal(m->stock_locate, LOCATE);
	assert_int_equal(m->tracking_number, TRACK);
	assert_true(m->timestamp == TS);
	assert_ptr_equal(m->raw, buf);
	switch (m->type) {
	case 'S':
		assert_int_equal(m->u.system_event.event_code, 'O');
		break;
	case 'R': {
		const __typeof__(m->u.stock_directory) *r = &m->u.stock_directory;

		check_alpha(r->stock, buf, 11, 8);
		wb_itch_alpha(s, r->stock, 8);
		assert_string_equal(s, "AAPL");
		assert_int_equal(r->market_category, 'Q');
		assert_int_equal(r->financial_status, 'N');
		assert_int_equal(r->round_lot_size, 100);
		assert_int_equal(r->round_lots_only, 'N');
		assert_int_equal(r->issue_classification, 'C');
		check_alpha(r->issue_subtype, buf, 27, 2);
		assert_int_equal(r->authenticity, 'P');
		assert_int_equal(r->short_sale_threshold, 'N');
		assert_int_equal(r->ipo_flag, ' ');
		assert_int_equal(r->luld_ref_tier, '1');
		assert_int_equal(r->etp_flag, 'N');
		assert_int_equal(r->etp_leverage, 0x01020304);
		assert_int_equal(r->inverse, 'Y');
		break;
	}
	case 'H':
		check_alpha(m->u.trading_action.stock, buf, 11, 8);
		assert_int_equal(m->u.trading_action.trading_state, 'H');
		assert_int_equal(m->u.trading_action.reserved, ' ');
		check_alpha(m->u.trading_action.reason, buf, 21, 4);
		break;
	case 'Y':
		check_alpha(m->u.reg_sho.stock, buf, 11, 8);
		assert_int_equal(m->u.reg_sho.reg_sho_action, '1');
		break;
	case 'L':
		check_alpha(m->u.mp_position.mpid, buf, 11, 4);
		check_alpha(m->u.mp_position.stock, buf, 15, 8);
		assert_int_equal(m->u.mp_position.primary_market_maker, 'Y');
		assert_int_equal(m->u.mp_position.market_maker_mode, 'N');
		assert_int_equal(m->u.mp_position.market_participant_state, 'A');
		break;
	case 'V':
		assert_true(m->u.mwcb_decline.level1 == U64A);
		assert_true(m->u.mwcb_decline.level2 == U64B);
		assert_true(m->u.mwcb_decline.level3 == MATCH);
		break;
	case 'W':
		assert_int_equal(m->u.mwcb_status.breached_level, '2');
		break;
	case 'K':
		check_alpha(m->u.ipo_quoting.stock, buf, 11, 8);
		assert_int_equal(m->u.ipo_quoting.release_time, 34200);
		assert_int_equal(m->u.ipo_quoting.release_qualifier, 'A');
		assert_int_equal(m->u.ipo_quoting.ipo_price, PRICE);
		break;
	case 'J':
		check_alpha(m->u.luld_collar.stock, buf, 11, 8);
		assert_int_equal(m->u.luld_collar.ref_price, 133400);
		assert_int_equal(m->u.luld_collar.upper_price, 140100);
		assert_int_equal(m->u.luld_collar.lower_price, 109200);
		assert_int_equal(m->u.luld_collar.extension, 0x01020304);
		break;
	case 'h':
		check_alpha(m->u.operational_halt.stock, buf, 11, 8);
		assert_int_equal(m->u.operational_halt.market_code, 'Q');
		assert_int_equal(m->u.operational_halt.action, 'H');
		break;
	case 'A':
	case 'F':
		assert_true(m->u.add.order_ref == REF);
		assert_int_equal(m->u.add.side, 'S');
		assert_int_equal(m->u.add.shares, SHARES);
		check_alpha(m->u.add.stock, buf, 24, 8);
		assert_int_equal(m->u.add.price, PRICE);
		if (m->type == 'F')
			check_alpha(m->u.add.attribution, buf, 36, 4);
		else
			assert_null(m->u.add.attribution);
		break;
	case 'E':
		assert_true(m->u.executed.order_ref == REF);
		assert_int_equal(m->u.executed.executed_shares, SHARES);
		assert_true(m->u.executed.match_number == MATCH);
		break;
	case 'C':
		assert_true(m->u.executed_price.order_ref == REF);
		assert_int_equal(m->u.executed_price.executed_shares, SHARES);
		assert_true(m->u.executed_price.match_number == MATCH);
		assert_int_equal(m->u.executed_price.printable, 'N');
		assert_int_equal(m->u.executed_price.execution_price, PRICE);
		break;
	case 'X':
		assert_true(m->u.cancel.order_ref == REF);
		assert_int_equal(m->u.cancel.cancelled_shares, SHARES);
		break;
	case 'D':
		assert_true(m->u.del.order_ref == REF);
		break;
	case 'U':
		assert_true(m->u.replace.orig_order_ref == REF);
		assert_true(m->u.replace.new_order_ref == REF2);
		assert_int_equal(m->u.replace.shares, SHARES);
		assert_int_equal(m->u.replace.price, PRICE);
		break;
	case 'P':
		assert_true(m->u.trade.order_ref == REF);
		assert_int_equal(m->u.trade.side, 'B');
		assert_int_equal(m->u.trade.shares, SHARES);
		check_alpha(m->u.trade.stock, buf, 24, 8);
		assert_int_equal(m->u.trade.price, PRICE);
		assert_true(m->u.trade.match_number == MATCH);
		break;
	case 'Q':
		assert_true(m->u.cross_trade.shares == U64A);
		check_alpha(m->u.cross_trade.stock, buf, 19, 8);
		assert_int_equal(m->u.cross_trade.cross_price, PRICE);
		assert_true(m->u.cross_trade.match_number == MATCH);
		assert_int_equal(m->u.cross_trade.cross_type, 'O');
		break;
	case 'B':
		assert_true(m->u.broken_trade.match_number == MATCH);
		break;
	case 'I':
		assert_true(m->u.noii.paired_shares == U64A);
		assert_true(m->u.noii.imbalance_shares == U64B);
		assert_int_equal(m->u.noii.imbalance_direction, 'N');
		check_alpha(m->u.noii.stock, buf, 28, 8);
		assert_int_equal(m->u.noii.far_price, 464400);
		assert_int_equal(m->u.noii.near_price, 464401);
		assert_int_equal(m->u.noii.current_ref_price, 464402);
		assert_int_equal(m->u.noii.cross_type, 'O');
		assert_int_equal(m->u.noii.price_variation_indicator, 'L');
		break;
	case 'N':
		check_alpha(m->u.rpii.stock, buf, 11, 8);
		assert_int_equal(m->u.rpii.interest_flag, 'N');
		break;
	case 'O':
		check_alpha(m->u.dlcr.stock, buf, 11, 8);
		assert_int_equal(m->u.dlcr.open_eligibility_status, 'Y');
		assert_int_equal(m->u.dlcr.min_allowable_price, 100000);
		assert_int_equal(m->u.dlcr.max_allowable_price, 200000);
		assert_int_equal(m->u.dlcr.near_execution_price, 150000);
		assert_true(m->u.dlcr.near_execution_time == U64A);
		assert_int_equal(m->u.dlcr.lower_price_range_collar, 140000);
		assert_int_equal(m->u.dlcr.upper_price_range_collar, 160000);
		break;
	default:
		fail_msg("unexpected type %c", m->type);
	}
}

/* Spec lengths including the type byte, typed in from the spec's tables. */
static const struct {
	char type;
	unsigned int len;
	int stock_off; /* -1: no stock field */
} spec[] = {
    {'S', 12, -1}, {'R', 39, 11}, {'H', 25, 11}, {'Y', 20, 11}, {'L', 26, 15}, {'V', 35, -1},
    {'W', 12, -1}, {'K', 28, 11}, {'J', 35, 11}, {'h', 21, 11}, {'A', 36, 24}, {'F', 40, 24},
    {'E', 31, -1}, {'C', 36, -1}, {'X', 23, -1}, {'D', 19, -1}, {'U', 35, -1}, {'P', 44, 24},
    {'Q', 40, 19}, {'B', 19, -1}, {'I', 50, 28}, {'N', 20, 11}, {'O', 48, 11},
};

static int
decode_guarded(const uint8_t *src, size_t len, struct wb_itch_msg *m, struct wb_guard *g)
{
	const uint8_t *buf = wb_guard_copy(g, src, len);

	return wb_itch_decode(buf, len, m);
}

static void
test_tables(void **state)
{
	unsigned int i, t, known = 0;

	(void)state;
	assert_int_equal(WB_ARRAY_SIZE(spec), WB_ITCH_NTYPES);
	assert_string_equal(wb_itch_types, "SRHYLVWKJhAFECXDUPQBINO");
	for (i = 0; i < WB_ARRAY_SIZE(spec); i++) {
		assert_int_equal(wb_itch_types[i], spec[i].type);
		assert_int_equal(wb_itch_msg_len((uint8_t)spec[i].type), spec[i].len);
		assert_int_equal(wb_itch_type_index((uint8_t)spec[i].type), (int)i);
		assert_true(spec[i].len <= WB_ITCH_MAX_MSG_LEN);
	}
	for (t = 0; t < 256; t++) {
		/* the data path's table says what wb_itch_type_index() says */
		assert_int_equal((int)wb_itch_type_slot[t] - 1, wb_itch_type_index((uint8_t)t));
		/* the order types read in place are exactly A C D E F U X */
		assert_int_equal(wb_itch_order_type((uint8_t)t), t != 0 && strchr("ACDEFUX", t) != NULL);
		if (wb_itch_len_table[t] != 0)
			known++;
		else
			assert_int_equal(wb_itch_type_index((uint8_t)t), -1);
	}
	assert_int_equal(known, WB_ITCH_NTYPES);
}

static void
test_each_type(void **state)
{
	uint8_t b[WB_ITCH_MAX_MSG_LEN];
	struct wb_itch_msg m;
	struct wb_guard g;
	unsigned int i;
	size_t len;
	int rc;

	(void)state;
	for (i = 0; i < WB_ARRAY_SIZE(spec); i++) {
		len = build(b, spec[i].type);
		assert_int_equal(len, spec[i].len);
		memset(&m, 0x5a, sizeof(m));
		rc = decode_guarded(b, len, &m, &g);
		assert_int_equal(rc, (int)len);
		assert_int_equal(m.type, spec[i].type);
		assert_int_equal(m.len, len);
		check_fields(&m, g.data);
		if (spec[i].stock_off < 0)
			assert_null(wb_itch_stock(&m));
		else
			assert_ptr_equal(wb_itch_stock(&m), g.data + spec[i].stock_off);
		wb_guard_free(&g);
	}
}

static void
test_roundtrip(void **state)
{
	uint8_t b[WB_ITCH_MAX_MSG_LEN], out[WB_ITCH_MAX_MSG_LEN + 8];
	struct wb_itch_msg m, m2;
	struct wb_guard g;
	unsigned int i;
	size_t len;

	(void)state;
	for (i = 0; i < WB_ARRAY_SIZE(spec); i++) {
		len = build(b, spec[i].type);
		assert_int_equal(decode_guarded(b, len, &m, &g), (int)len);
		memset(out, 0x77, sizeof(out));
		assert_int_equal(wb_itch_encode(&m, out, sizeof(out)), (int)len);
		assert_memory_equal(out, b, len);
		assert_int_equal(out[len], 0x77); /* nothing written past the message */
		assert_int_equal(wb_itch_encode(&m, out, len - 1), WB_PROTO_TRUNCATED);
		wb_guard_free(&g);
		/* Decoding the encoded bytes gives the same fields again. */
		assert_int_equal(wb_itch_decode(out, len, &m2), (int)len);
		check_fields(&m2, out);
	}
	/* NULL alpha pointers encode as spaces. */
	memset(&m, 0, sizeof(m));
	m.type = 'F';
	m.u.add.side = 'B';
	assert_int_equal(wb_itch_encode(&m, out, sizeof(out)), 40);
	for (i = 24; i < 32; i++)
		assert_int_equal(out[i], ' ');
	for (i = 36; i < 40; i++)
		assert_int_equal(out[i], ' ');
	m.type = 'Z';
	assert_int_equal(wb_itch_encode(&m, out, sizeof(out)), WB_PROTO_UNKNOWN);
}

static void
test_lengths(void **state)
{
	uint8_t b[WB_ITCH_MAX_MSG_LEN + 16];
	struct wb_itch_msg m;
	struct wb_guard g;
	unsigned int i;
	size_t len, l;

	(void)state;
	memset(b, 'S', sizeof(b));
	assert_int_equal(decode_guarded(b, 0, &m, &g), WB_PROTO_TRUNCATED);
	wb_guard_free(&g);
	for (i = 0; i < WB_ARRAY_SIZE(spec); i++) {
		len = build(b, spec[i].type);
		for (l = 1; l < len; l++) {
			assert_int_equal(decode_guarded(b, l, &m, &g), WB_PROTO_TRUNCATED);
			wb_guard_free(&g);
		}
		memset(b + len, 'x', sizeof(b) - len);
		for (l = len + 1; l <= sizeof(b); l++) {
			assert_int_equal(decode_guarded(b, l, &m, &g), WB_PROTO_MALFORMED);
			wb_guard_free(&g);
		}
		assert_int_equal(decode_guarded(b, len, &m, &g), (int)len);
		wb_guard_free(&g);
	}
}

static void
test_unknown(void **state)
{
	uint8_t b[WB_ITCH_MAX_MSG_LEN];
	struct wb_itch_msg m;
	struct wb_guard g;
	unsigned int t;
	size_t l;

	(void)state;
	for (t = 0; t < 256; t++) {
		if (strchr(wb_itch_types, (int)t) != NULL && t != 0)
			continue;
		memset(b, 0, sizeof(b));
		b[0] = (uint8_t)t;
		for (l = 1; l <= sizeof(b); l += 7) {
			m.type = 0;
			assert_int_equal(decode_guarded(b, l, &m, &g), WB_PROTO_UNKNOWN);
			assert_int_equal(m.type, t);
			wb_guard_free(&g);
		}
	}
}

static void
test_bad_side(void **state)
{
	static const char types[] = "AFP";
	static const uint8_t bad[] = {0, ' ', 'b', 's', 'X', 0xff};
	uint8_t b[WB_ITCH_MAX_MSG_LEN];
	struct wb_itch_msg m;
	struct wb_guard g;
	size_t i, j, len;

	(void)state;
	for (i = 0; types[i] != '\0'; i++) {
		len = build(b, types[i]);
		for (j = 0; j < sizeof(bad); j++) {
			b[19] = bad[j];
			assert_int_equal(decode_guarded(b, len, &m, &g), WB_PROTO_MALFORMED);
			wb_guard_free(&g);
		}
		b[19] = 'B';
		assert_int_equal(decode_guarded(b, len, &m, &g), (int)len);
		wb_guard_free(&g);
		b[19] = 'S';
		assert_int_equal(decode_guarded(b, len, &m, &g), (int)len);
		wb_guard_free(&g);
	}
}

static void
test_alpha(void **state)
{
	char s[9];

	(void)state;
	assert_int_equal(wb_itch_alpha(s, (const uint8_t *)"AAPL    ", 8), 4);
	assert_string_equal(s, "AAPL");
	assert_int_equal(wb_itch_alpha(s, (const uint8_t *)"        ", 8), 0);
	assert_string_equal(s, "");
	assert_int_equal(wb_itch_alpha(s, (const uint8_t *)"ABCDEFGH", 8), 8);
	assert_string_equal(s, "ABCDEFGH");
	assert_int_equal(wb_itch_alpha(s, (const uint8_t *)" A B    ", 8), 4);
	assert_string_equal(s, " A B");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tables),    cmocka_unit_test(test_each_type),
	    cmocka_unit_test(test_roundtrip), cmocka_unit_test(test_lengths),
	    cmocka_unit_test(test_unknown),   cmocka_unit_test(test_bad_side),
	    cmocka_unit_test(test_alpha),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
