/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Real Cboe PITCH captures (tests/data/cboe/pitch, see its README.md): every
 * frame of the 25 pcaps of four variants (BYX equities, CFE futures, C1
 * options, C1 options complex) goes through pcap reader (micro- and
 * nanosecond) -> wb_net_udp (802.1Q on BYX, Ethernet padding on a futures
 * heartbeat) -> wb_pitch_parse -> wb_pitch_decode, is rendered in the expected
 * TSV row format and compared line by line with expected/<stem>.tsv.
 *
 * Types the decoder does not decode (the complex instrument definition, auction
 * messages of the options variants) must come back WB_PROTO_UNKNOWN with
 * their length; for them only the header, length and type columns are
 * compared, and the test counts them by type. The options' Symbol Mapping
 * is decoded: its row is compared whole, its OSI symbol with the inner
 * spaces the dissector cut (the README's caveat 1), and so are the futures'
 * Instrument Definitions, their legs (a negative ratio) and v1.1.12's
 * contract date among the fields.
 */
#include "test_realdata.h"

#include <dirent.h>

#include "wb_net.h"
#include "wb_pcap.h"
#include "wb_pitch.h"

#define PITCH_DIR "cboe/pitch"

struct variant {
	const char *dir;
	unsigned int flags;  /* wb_pitch_decode() flags */
	int64_t day;	     /* UTC day (epoch seconds) of its captures */
	int vlan;	     /* 802.1Q tag of every frame, or -1 */
	const char *add_key; /* the expected files' name of the add flags byte */
	const char *mod_key; /* ... and of the modify flags byte */
	int cfe_status;	     /* Trading Status in the CFE layout (6-byte symbol) */
};

static const struct variant variants[] = {
    {"byx-equities-v2.41", 0, 1692662400, 142, "add_order_flags", "modify_order_flags", 0},
    {"futures-v1.1.6", WB_PITCH_SIGNED_PRICES, 1556668800, -1, NULL, NULL, 1},
    {"futures-v1.1.12", WB_PITCH_SIGNED_PRICES, 0, -1, NULL, NULL, 1},
    {"options-v2.39.4", 0, 1409529600, -1, "add_flags", "modify_flags", 0},
    {"options-complex-v2.1.18", WB_PITCH_SIGNED_PRICES, 1587081600, -1, "padding", "padding", 0},
};

struct totals {
	size_t rows, decoded, heartbeats, skipped;
	unsigned int skipped_by_type[256];
	unsigned int decoded_by_type[256];
};

/* A price at its exponent: exactly -exp decimals, sign in front. */
static const char *
px(char *dst, size_t n, int64_t v, int8_t exp)
{
	uint64_t scale = 1, a;
	int places = exp < -18 ? 18 : exp > 0 ? 0 : -exp, i;

	for (i = 0; i < places; i++)
		scale *= 10;
	a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	if (snprintf(dst, n, "%s%llu.%0*llu", v < 0 ? "-" : "", (unsigned long long)(a / scale), places,
		(unsigned long long)(a % scale)) >= (int)n)
		snprintf(dst, n, "overflow");
	return dst;
}

/* Columns time_s .. fields of a decoded message. */
static void
msg_cols(struct sb *row, const struct variant *va, const struct wb_pitch_msg *m, int64_t time_s)
{
	char id[24] = "-", side[2] = "-", qty[16] = "-", sym[9] = "-", price[32] = "-",
	     ts[24] = "-", off[16] = "-", osi[WB_PITCH_OSI_SYMBOL_LEN + 1];
	static struct sb f;
	const uint8_t *s;

	f.len = 0;
	f.buf[0] = '\0';
	/* Time and Symbol Mapping have no time offset field */
	if (m->type != WB_PITCH_TIME && m->type != WB_PITCH_SYMBOL_MAPPING)
		sprintf(off, "%u", m->time_offset);
	if (time_s >= 0)
		sprintf(ts, "%lld", (long long)time_s);
	switch (m->type) {
	case WB_PITCH_TIME:
		sprintf(ts, "%u", m->u.time.seconds);
		if (m->u.time.has_epoch)
			kv(&f, "epoch", "%u", m->u.time.epoch);
		break;
	case WB_PITCH_ADD_LONG:
	case WB_PITCH_ADD_SHORT:
	case WB_PITCH_ADD_EXPANDED:
		sprintf(id, "%llu", (unsigned long long)m->u.add.order_id);
		side[0] = (char)m->u.add.side;
		side[1] = '\0';
		sprintf(qty, "%u", m->u.add.quantity);
		wb_pitch_alpha(sym, m->u.add.symbol, m->u.add.symbol_len);
		px(price, sizeof(price), m->u.add.price, m->u.add.price_exp);
		if (m->u.add.has_flags)
			kv(&f, va->add_key != NULL ? va->add_key : "add_flags", "0x%02x",
			   m->u.add.flags);
		break;
	case WB_PITCH_MODIFY_LONG:
	case WB_PITCH_MODIFY_SHORT:
		sprintf(id, "%llu", (unsigned long long)m->u.modify.order_id);
		sprintf(qty, "%u", m->u.modify.quantity);
		px(price, sizeof(price), m->u.modify.price, m->u.modify.price_exp);
		if (m->u.modify.has_flags)
			kv(&f, va->mod_key != NULL ? va->mod_key : "modify_flags", "0x%02x",
			   m->u.modify.flags);
		break;
	case WB_PITCH_DELETE:
		sprintf(id, "%llu", (unsigned long long)m->u.del.order_id);
		break;
	case WB_PITCH_ORDER_EXECUTED:
		sprintf(id, "%llu", (unsigned long long)m->u.executed.order_id);
		sprintf(qty, "%u", m->u.executed.executed_quantity);
		kv(&f, "execution_id", "%llu", (unsigned long long)m->u.executed.execution_id);
		if (m->u.executed.has_trade_condition)
			kv(&f, "trade_condition", "%c", m->u.executed.trade_condition);
		break;
	case WB_PITCH_TRADING_STATUS:
		s = m->u.trading_status.symbol;
		if (va->cfe_status) {
			/* CFE: symbol[6] reserved[2] status reserved[3], the same bytes. */
			wb_pitch_alpha(sym, s, WB_PITCH_SYMBOL_LEN);
			kv(&f, "reserved_2", "0x%02x%02x", s[6], s[7]);
			kv(&f, "trading_status", "%c", m->u.trading_status.trading_status);
			kv(&f, "reserved_3", "0x%02x%02x%02x", m->u.trading_status.reg_sho_action,
			   m->u.trading_status.reserved1, m->u.trading_status.reserved2);
		} else {
			wb_pitch_alpha(sym, s, WB_PITCH_SYMBOL_LONG_LEN);
			kv(&f, "trading_status", "%c", m->u.trading_status.trading_status);
			kv(&f, "reg_sho_action", "%c", m->u.trading_status.reg_sho_action);
		}
		break;
	case WB_PITCH_SYMBOL_MAPPING:
		wb_pitch_alpha(sym, m->u.symbol_mapping.feed_symbol, WB_PITCH_SYMBOL_LEN);
		wb_pitch_alpha(osi, m->u.symbol_mapping.osi_symbol, WB_PITCH_OSI_SYMBOL_LEN);
		kv(&f, "osi_symbol", "%s", osi);
		kv(&f, "symbol_condition", "%c", m->u.symbol_mapping.symbol_condition);
		wb_pitch_alpha(osi, m->u.symbol_mapping.underlying, WB_PITCH_UNDERLYING_LEN);
		kv(&f, "underlying", "%s", osi);
		break;
	case WB_PITCH_FUTURES_DEF: {
		unsigned int i;

		wb_pitch_alpha(sym, m->u.futures_def.symbol, WB_PITCH_SYMBOL_LEN);
		kv(&f, "unit_timestamp", "%u", m->u.futures_def.unit_timestamp);
		wb_pitch_alpha(osi, m->u.futures_def.report_symbol, WB_PITCH_SYMBOL_LEN);
		kv(&f, "report_symbol", "%s", osi);
		kv(&f, "futures_flags", "%u", m->u.futures_def.futures_flags);
		kv(&f, "expiration_date", "%u", m->u.futures_def.expiration_date);
		kv(&f, "contract_size", "%u", m->u.futures_def.contract_size);
		kv(&f, "listing_state", "%c", m->u.futures_def.listing_state);
		kv(&f, "price_increment", "%s",
		   px(osi, sizeof(osi), m->u.futures_def.price_increment,
		      m->u.futures_def.price_exp));
		kv(&f, "leg_count", "%u", m->u.futures_def.leg_count);
		kv(&f, "leg_offset", "%u", m->u.futures_def.leg_offset);
		kv(&f, "variance_block_offset", "%u", m->u.futures_def.variance_block_offset);
		if (m->u.futures_def.has_contract_date)
			kv(&f, "contract_date", "%u", m->u.futures_def.contract_date);
		for (i = 0; i < m->u.futures_def.leg_count; i++) {
			struct wb_pitch_leg l = wb_pitch_futures_leg(m, i);
			char k[24];

			snprintf(k, sizeof(k), "leg%u_ratio", i + 1);
			kv(&f, k, "%d", l.ratio);
			snprintf(k, sizeof(k), "leg%u_symbol", i + 1);
			wb_pitch_alpha(osi, l.symbol, WB_PITCH_SYMBOL_LEN);
			kv(&f, k, "%s", osi);
		}
		break;
	}
	default:
		fail_msg("type 0x%02X is not in the captures' expected files", m->type);
	}
	sb_add(row, "\t%sMessage\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s", wb_pitch_type_name(m->type), ts,
	       off, id, side, qty, sym, price, f.len > 0 ? f.buf : "-");
}

/* The first n tab-separated columns of a line, as a new string in dst. */
static const char *
cols(char *dst, size_t cap, const char *line, unsigned int n)
{
	size_t i;

	for (i = 0; line[i] != '\0' && i + 1 < cap; i++) {
		if (line[i] == '\t' && --n == 0)
			break;
		dst[i] = line[i];
	}
	dst[i] = '\0';
	return dst;
}

/* One pcap against its expected file. */
static void
check_pcap(const struct variant *va, const char *name, struct totals *t)
{
	char rel[512], stem[256], want[ROW_MAX];
	int64_t time_s[256];
	struct wb_pitch_pkt pp, pp2;
	struct wb_pitch_iter it;
	struct wb_pitch_msg m;
	struct wb_pcap_pkt pkt;
	struct wb_udp_view v;
	struct wb_guard g;
	struct wb_pcap *p;
	struct sb row;
	const uint8_t *msg, *payload;
	char **lines;
	size_t nlines, row_i = 1;
	unsigned int frame = 0, idx;
	uint8_t mlen;
	int rc;

	for (idx = 0; idx < 256; idx++)
		time_s[idx] = -1;
	snprintf(stem, sizeof(stem), "%.*s", (int)(strlen(name) - 5), name);
	snprintf(rel, sizeof(rel), PITCH_DIR "/%s/expected/%s.tsv", va->dir, stem);
	lines = read_lines(wb_test_data(rel), &nlines);
	assert_string_equal(lines[0], "frame\tunit\tseq\thdr_length\thdr_count\tmsg_len\tmsg_type\t"
				      "msg_name\ttime_s\ttime_offset_ns\torder_id\tside\tquantity\t"
				      "symbol\tprice\tfields");
	snprintf(rel, sizeof(rel), PITCH_DIR "/%s/%s", va->dir, name);
	p = wb_pcap_open(wb_test_data(rel));
	assert_non_null(p);
	while ((rc = wb_pcap_next(p, &pkt)) == 1) {
		int64_t day = va->day;

		frame++;
		assert_int_equal(pkt.linktype, WB_LINKTYPE_ETHERNET);
		/* The complex Heartbeat is a 2014 C1 packet (README). */
		if (strcmp(va->dir, "options-complex-v2.1.18") == 0 &&
		    strcmp(stem, "Heartbeat") == 0)
			day = 1409529600;
		assert_true(pkt.ts_ns >= (uint64_t)day * 1000000000u &&
			    pkt.ts_ns < (uint64_t)(day + 86400) * 1000000000u);
		assert_int_equal(wb_net_udp(pkt.data, pkt.caplen, pkt.linktype, &v), 0);
		assert_int_equal(v.vlan, va->vlan >= 0 ? (unsigned int)va->vlan : WB_NET_VLAN_NONE);
		/* The unit from the frame's remaining bytes too (Ethernet padding). */
		assert_int_equal(
		    wb_pitch_parse(v.payload, pkt.caplen - (size_t)(v.payload - pkt.data), &pp2),
		    (int)v.len);
		payload = wb_guard_copy(&g, v.payload, v.len);
		assert_int_equal(wb_pitch_parse(payload, v.len, &pp), (int)v.len);
		assert_int_equal(pp2.count, pp.count);
		row.len = 0;
		if (wb_pitch_is_heartbeat(&pp)) {
			sb_add(&row, "%u\t%u\t%u\t%u\t0", frame, pp.unit, pp.seq, pp.length);
			sb_add(&row, "\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-");
			expect_line(lines, nlines, row_i++, row.buf, stem);
			t->heartbeats++;
		}
		wb_pitch_iter_init(&it, &pp);
		for (idx = 0; wb_pitch_iter_next(&it, &msg, &mlen) == 1; idx++) {
			row.len = 0;
			sb_add(&row, "%u\t%u\t%u\t%u\t%u\t%u\t0x%02X", frame, pp.unit, pp.seq + idx,
			       pp.length, pp.count, mlen, msg[1]);
			rc = wb_pitch_decode(msg, mlen, va->flags, &m);
			if (rc == WB_PROTO_UNKNOWN) {
				assert_int_equal(m.len, mlen);
				assert_true(row_i < nlines);
				cols(want, sizeof(want), lines[row_i], 7);
				if (strcmp(want, row.buf) != 0)
					fail_msg("%s row %zu:\n  expected %s\n  got      %s", stem,
						 row_i, want, row.buf);
				row_i++;
				t->skipped++;
				t->skipped_by_type[msg[1]]++;
				continue;
			}
			assert_int_equal(rc, (int)mlen);
			if (m.type == WB_PITCH_TIME)
				time_s[pp.unit] = m.u.time.seconds;
			msg_cols(&row, va, &m, time_s[pp.unit]);
			expect_line(lines, nlines, row_i++, row.buf, stem);
			t->decoded++;
			t->decoded_by_type[m.type]++;
		}
		assert_int_equal(idx, pp.count);
		wb_guard_free(&g);
	}
	assert_int_equal(rc, 0);
	assert_true(frame > 0);
	if (row_i != nlines)
		fail_msg("%s: %zu rows decoded, %zu expected", stem, row_i - 1, nlines - 1);
	t->rows += row_i - 1;
	wb_pcap_close(p);
	free(lines[0]);
	free(lines);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_pitch_pcaps(void **state)
{
	struct totals t;
	size_t vi, files = 0;

	(void)state;
	memset(&t, 0, sizeof(t));
	for (vi = 0; vi < WB_ARRAY_SIZE(variants); vi++) {
		char rel[256], *names[32];
		struct dirent *de;
		size_t n = 0, i;
		DIR *d;

		snprintf(rel, sizeof(rel), PITCH_DIR "/%s", variants[vi].dir);
		d = opendir(wb_test_data(rel));
		assert_non_null(d);
		while ((de = readdir(d)) != NULL) {
			size_t l = strlen(de->d_name);

			if (l > 5 && strcmp(de->d_name + l - 5, ".pcap") == 0) {
				assert_true(n < WB_ARRAY_SIZE(names));
				names[n++] = strdup(de->d_name);
			}
		}
		closedir(d);
		qsort(names, n, sizeof(names[0]), cmp_str);
		for (i = 0; i < n; i++) {
			check_pcap(&variants[vi], names[i], &t);
			free(names[i]);
		}
		files += n;
	}
	/* The README's totals: 25 files, 53 message rows + 3 heartbeats. */
	assert_int_equal(files, 25);
	assert_int_equal(t.heartbeats, 3);
	assert_int_equal(t.rows, 56);
	assert_int_equal(t.decoded + t.skipped, 53);
	/* Skipped: the complex definition, auctions. */
	assert_int_equal(t.skipped_by_type[0xBB], 0);
	assert_int_equal(t.skipped_by_type[0x9A], 1);
	assert_int_equal(t.skipped_by_type[0xAD], 1);
	assert_int_equal(t.skipped_by_type[0xAE], 1);
	assert_int_equal(t.skipped_by_type[0xD1], 1);
	assert_int_equal(t.skipped, 4);
	/* Decoded: 0x20:8 0x21:1 0x22:11 0x23:1 0x27:1 0x28:4 0x29:4 0x2E:1 0x31:16 0xBB:2. */
	assert_int_equal(t.decoded, 49);
	assert_int_equal(t.decoded_by_type[0x20], 8);
	assert_int_equal(t.decoded_by_type[0x21], 1);
	assert_int_equal(t.decoded_by_type[0x22], 11);
	assert_int_equal(t.decoded_by_type[0x23], 1);
	assert_int_equal(t.decoded_by_type[0x27], 1);
	assert_int_equal(t.decoded_by_type[0x28], 4);
	assert_int_equal(t.decoded_by_type[0x29], 4);
	assert_int_equal(t.decoded_by_type[0x2E], 1);
	assert_int_equal(t.decoded_by_type[0x31], 16);
	assert_int_equal(t.decoded_by_type[0xBB], 2);
	print_message("25 pcaps: %zu messages decoded field by field, %zu skipped by length, "
		      "%zu heartbeats\n",
		      t.decoded, t.skipped, t.heartbeats);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pitch_pcaps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
