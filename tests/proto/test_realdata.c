/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Real exchange captures (tests/data/nasdaq/itch50, see its README.md):
 * every message of the 49 MoldUDP64 pcaps goes through pcap reader ->
 * wb_net_udp (802.1Q tagged) -> wb_mold_parse -> wb_itch_decode, is rendered
 * in the expected TSV row format and compared line by line with
 * expected/<stem>.tsv, from the plain file and from a gzip'ed copy. The
 * BinaryFILE slices are in test_realdata_bin.c.
 */
#include "test_realdata.h"

#include <dirent.h>
#include <zlib.h>

#include "wb_moldudp64.h"
#include "wb_net.h"
#include "wb_pcap.h"

#define MOLD_DIR "nasdaq/itch50/moldudp64"

static void
kv_ch(struct sb *f, const char *key, uint8_t c)
{
	char s[2];

	kv(f, key, "%s", alpha(s, &c, 1));
}

static void
kv_px(struct sb *f, const char *key, uint32_t p)
{
	char s[32];

	kv(f, key, "%s", price(s, p));
}

/* The moldudp64/expected row of one decoded message. */
static void
mold_row(struct sb *row, unsigned int frame, const uint8_t *session, uint64_t seq,
	 const struct wb_itch_msg *m)
{
	char ref[24] = "-", side[2] = "-", shares[24] = "-", stock[9] = "-", px[32] = "-", a[9];
	static struct sb f;
	unsigned int i;

	f.len = 0;
	f.buf[0] = '\0';
	if (wb_itch_stock(m) != NULL)
		alpha(stock, wb_itch_stock(m), WB_ITCH_STOCK_LEN);
	switch (m->type) {
	case 'A':
	case 'F':
		sprintf(ref, "%llu", (unsigned long long)m->u.add.order_ref);
		alpha(side, &m->u.add.side, 1);
		sprintf(shares, "%u", m->u.add.shares);
		price(px, m->u.add.price);
		if (m->type == 'F')
			kv(&f, "attribution", "%s", alpha(a, m->u.add.attribution, 4));
		break;
	case 'P':
		sprintf(ref, "%llu", (unsigned long long)m->u.trade.order_ref);
		alpha(side, &m->u.trade.side, 1);
		sprintf(shares, "%u", m->u.trade.shares);
		price(px, m->u.trade.price);
		kv(&f, "match_number", "%llu", (unsigned long long)m->u.trade.match_number);
		break;
	case 'X':
		sprintf(ref, "%llu", (unsigned long long)m->u.cancel.order_ref);
		sprintf(shares, "%u", m->u.cancel.cancelled_shares);
		break;
	case 'D':
		sprintf(ref, "%llu", (unsigned long long)m->u.del.order_ref);
		break;
	case 'E':
		sprintf(ref, "%llu", (unsigned long long)m->u.executed.order_ref);
		sprintf(shares, "%u", m->u.executed.executed_shares);
		kv(&f, "match_number", "%llu", (unsigned long long)m->u.executed.match_number);
		break;
	case 'C':
		sprintf(ref, "%llu", (unsigned long long)m->u.executed_price.order_ref);
		sprintf(shares, "%u", m->u.executed_price.executed_shares);
		price(px, m->u.executed_price.execution_price);
		kv(&f, "match_number", "%llu",
		   (unsigned long long)m->u.executed_price.match_number);
		kv_ch(&f, "printable", m->u.executed_price.printable);
		break;
	case 'U':
		sprintf(ref, "%llu", (unsigned long long)m->u.replace.orig_order_ref);
		sprintf(shares, "%u", m->u.replace.shares);
		price(px, m->u.replace.price);
		kv(&f, "new_order_ref", "%llu", (unsigned long long)m->u.replace.new_order_ref);
		break;
	case 'Q':
		sprintf(shares, "%llu", (unsigned long long)m->u.cross_trade.shares);
		price(px, m->u.cross_trade.cross_price);
		kv(&f, "match_number", "%llu", (unsigned long long)m->u.cross_trade.match_number);
		kv_ch(&f, "cross_type", m->u.cross_trade.cross_type);
		break;
	case 'S':
		kv_ch(&f, "event_code", m->u.system_event.event_code);
		break;
	case 'H':
		kv_ch(&f, "trading_state", m->u.trading_action.trading_state);
		kv_ch(&f, "reserved", m->u.trading_action.reserved);
		kv(&f, "reason", "%s", alpha(a, m->u.trading_action.reason, 4));
		break;
	case 'Y':
		kv_ch(&f, "reg_sho_action", m->u.reg_sho.reg_sho_action);
		break;
	case 'N':
		kv_ch(&f, "interest_flag", m->u.rpii.interest_flag);
		break;
	case 'L':
		kv(&f, "mpid", "%s", alpha(a, m->u.mp_position.mpid, 4));
		kv_ch(&f, "primary_market_maker", m->u.mp_position.primary_market_maker);
		kv_ch(&f, "market_maker_mode", m->u.mp_position.market_maker_mode);
		kv_ch(&f, "market_participant_state", m->u.mp_position.market_participant_state);
		break;
	case 'I':
		kv(&f, "paired_shares", "%llu", (unsigned long long)m->u.noii.paired_shares);
		kv(&f, "imbalance_shares", "%llu", (unsigned long long)m->u.noii.imbalance_shares);
		kv_ch(&f, "imbalance_direction", m->u.noii.imbalance_direction);
		kv_px(&f, "far_price", m->u.noii.far_price);
		kv_px(&f, "near_price", m->u.noii.near_price);
		kv_px(&f, "current_reference_price", m->u.noii.current_ref_price);
		kv_ch(&f, "cross_type", m->u.noii.cross_type);
		kv_ch(&f, "price_variation_indicator", m->u.noii.price_variation_indicator);
		break;
	case 'J':
		kv_px(&f, "auction_collar_reference_price", m->u.luld_collar.ref_price);
		kv_px(&f, "upper_auction_collar_price", m->u.luld_collar.upper_price);
		kv_px(&f, "lower_auction_collar_price", m->u.luld_collar.lower_price);
		kv(&f, "auction_collar_extension", "%u", m->u.luld_collar.extension);
		break;
	default:
		fail_msg("type %c is not in the captures' expected files", m->type);
	}
	sb_add(row, "%u\t", frame);
	for (i = 0; i < WB_MOLD_SESSION_LEN; i++) {
		if (session[i] >= 0x20 && session[i] < 0x7f && session[i] != '\\')
			sb_add(row, "%c", session[i]);
		else
			sb_add(row, "\\x%02x", session[i]);
	}
	sb_add(row, "\t%llu\t%c\t%u\t%u\t%llu\t%s\t%s\t%s\t%s\t%s\t%s", (unsigned long long)seq,
	       m->type, m->stock_locate, m->tracking_number, (unsigned long long)m->timestamp, ref,
	       side, shares, stock, px, f.len > 0 ? f.buf : "-");
}

/* One pcap against its expected file; returns the number of messages. */
static size_t
check_pcap(const char *name, const char *gzdir)
{
	char rel[512], exp_rel[512], stem[256], path[4096];
	struct wb_pcap_pkt pkt;
	struct wb_udp_view v;
	struct wb_mold_pkt mp;
	struct wb_mold_iter it;
	struct wb_itch_msg m;
	struct wb_pcap *p;
	struct sb row;
	const uint8_t *msg;
	char **lines;
	size_t nlines, row_i = 1;
	unsigned int frame = 0, idx;
	uint16_t mlen;
	int rc;

	snprintf(stem, sizeof(stem), "%.*s", (int)(strlen(name) - 5), name);
	snprintf(rel, sizeof(rel), MOLD_DIR "/%s", name);
	snprintf(exp_rel, sizeof(exp_rel), MOLD_DIR "/expected/%s.tsv", stem);
	lines = read_lines(wb_test_data(exp_rel), &nlines);
	assert_string_equal(lines[0],
			    "frame\tsession\tseq\tmsg_type\tstock_locate\ttracking_number\t"
			    "timestamp_ns\torder_ref\tside\tshares\tstock\tprice\tfields");
	snprintf(path, sizeof(path), "%s", wb_test_data(rel));
	if (gzdir != NULL) { /* the same capture gzip'ed: the streaming path */
		size_t len;
		uint8_t *raw = slurp(path, &len);
		gzFile gz;

		snprintf(path, sizeof(path), "%s/%s.gz", gzdir, name);
		gz = gzopen(path, "wb");
		assert_non_null(gz);
		assert_int_equal(gzwrite(gz, raw, (unsigned int)len), (int)len);
		assert_int_equal(gzclose(gz), Z_OK);
		free(raw);
	}
	p = wb_pcap_open(path);
	assert_non_null(p);
	while ((rc = wb_pcap_next(p, &pkt)) == 1) {
		frame++;
		assert_int_equal(pkt.linktype, WB_LINKTYPE_ETHERNET);
		assert_int_equal(pkt.caplen, pkt.origlen);
		/* 2023-08-22 UTC, per PROVENANCE.md. */
		assert_true(pkt.ts_ns >= 1692662400ull * 1000000000u &&
			    pkt.ts_ns < 1692748800ull * 1000000000u);
		assert_int_equal(wb_net_udp(pkt.data, pkt.caplen, pkt.linktype, &v), 0);
		assert_true(v.vlan == 141 || v.vlan == 142);
		assert_int_equal(wb_mold_parse(v.payload, v.len, &mp), (int)v.len);
		wb_mold_iter_init(&it, &mp);
		for (idx = 0; wb_mold_iter_next(&it, &msg, &mlen) == 1; idx++) {
			rc = wb_itch_decode(msg, mlen, &m);
			assert_int_equal(rc, (int)mlen);
			row.len = 0;
			mold_row(&row, frame, mp.session, mp.seq + idx, &m);
			expect_line(lines, nlines, row_i++, row.buf, stem);
		}
		assert_int_equal(idx, mp.nmsgs);
	}
	assert_int_equal(rc, 0);
	assert_true(frame > 0);
	if (row_i != nlines)
		fail_msg("%s: %zu rows decoded, %zu expected", stem, row_i - 1, nlines - 1);
	wb_pcap_close(p);
	if (gzdir != NULL)
		unlink(path);
	free(lines[0]);
	free(lines);
	return row_i - 1;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_moldudp64_pcaps(void **state)
{
	char *names[128], tmp[] = "/tmp/wb_realdata_XXXXXX";
	size_t n = 0, i, msgs = 0, gz_msgs = 0;
	struct dirent *de;
	DIR *d;

	(void)state;
	d = opendir(wb_test_data(MOLD_DIR));
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
	assert_int_equal(n, 49);
	assert_non_null(mkdtemp(tmp));
	for (i = 0; i < n; i++) {
		msgs += check_pcap(names[i], NULL);
		assert_int_equal(check_pcap(names[i], tmp), msgs - gz_msgs);
		gz_msgs = msgs;
		free(names[i]);
	}
	rmdir(tmp);
	print_message("49 pcaps (plain and gzip'ed), %zu messages match their expected rows\n",
		      msgs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_moldudp64_pcaps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
