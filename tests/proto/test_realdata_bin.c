/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Real Nasdaq BinaryFILE slices (tests/data/nasdaq/itch50/binaryfile): every
 * record through wb_binfile (plain and gzip'ed) and the in-memory walker,
 * decoded, rendered as the expected TSV rows and compared line by line;
 * head4096 ends with a cut record: 101 messages, then WB_PROTO_TRUNCATED.
 */
#include "test_realdata.h"

#include <zlib.h>

#include "wb_binfile.h"

#define BIN_DIR "nasdaq/itch50/binaryfile"

/* The binaryfile/expected row of one S, R, H or Y message at `off`. */
static void
bin_row(struct sb *row, uint64_t off, uint16_t len, const struct wb_itch_msg *m)
{
	char c[19][16];
	unsigned int i;

	for (i = 0; i < 19; i++)
		strcpy(c[i], "-");
	switch (m->type) {
	case 'S':
		alpha(c[14], &m->u.system_event.event_code, 1);
		break;
	case 'R': {
		const __typeof__(m->u.stock_directory) *r = &m->u.stock_directory;

		alpha(c[0], r->stock, 8);
		alpha(c[1], &r->market_category, 1);
		alpha(c[2], &r->financial_status, 1);
		sprintf(c[3], "%u", r->round_lot_size);
		alpha(c[4], &r->round_lots_only, 1);
		alpha(c[5], &r->issue_classification, 1);
		alpha(c[6], r->issue_subtype, 2);
		alpha(c[7], &r->authenticity, 1);
		alpha(c[8], &r->short_sale_threshold, 1);
		alpha(c[9], &r->ipo_flag, 1);
		alpha(c[10], &r->luld_ref_tier, 1);
		alpha(c[11], &r->etp_flag, 1);
		sprintf(c[12], "%u", r->etp_leverage);
		alpha(c[13], &r->inverse, 1);
		break;
	}
	case 'H':
		alpha(c[0], m->u.trading_action.stock, 8);
		alpha(c[15], &m->u.trading_action.trading_state, 1);
		alpha(c[16], &m->u.trading_action.reserved, 1);
		alpha(c[17], m->u.trading_action.reason, 4);
		break;
	case 'Y':
		alpha(c[0], m->u.reg_sho.stock, 8);
		alpha(c[18], &m->u.reg_sho.reg_sho_action, 1);
		break;
	default:
		fail_msg("type %c is not in the BinaryFILE slices", m->type);
	}
	sb_add(row, "%llu\t%u\t%c\t%u\t%u\t%llu", (unsigned long long)off, len, m->type,
	       m->stock_locate, m->tracking_number, (unsigned long long)m->timestamp);
	for (i = 0; i < 19; i++)
		sb_add(row, "\t%s", c[i]);
}

static const char bin_header[] =
    "offset\tlength\tmsg_type\tstock_locate\ttracking_number\ttimestamp_ns\tstock\t"
    "market_category\tfinancial_status\tround_lot_size\tround_lots_only\t"
    "issue_classification\tissue_subtype\tauthenticity\tshort_sale_threshold\tipo_flag\t"
    "luld_ref_tier\tetp_flag\tetp_leverage\tinverse\tevent_code\ttrading_state\treserved\t"
    "reason\treg_sho_action";

/*
 * Reads `path` with wb_binfile and compares every record with the expected
 * rows of `stem`; returns the final wb_binfile_next() result.
 */
static int
check_binfile(const char *path_in, const char *stem, size_t *nmsgs, uint64_t *end_off)
{
	char exp_rel[512], path[4096];
	struct wb_itch_msg m;
	struct wb_binfile *f;
	const uint8_t *msg;
	struct sb row;
	char **lines;
	size_t nlines, i = 1;
	uint16_t len;
	int rc;

	snprintf(path, sizeof(path), "%s", path_in); /* wb_test_data() reuses its buffer */
	snprintf(exp_rel, sizeof(exp_rel), BIN_DIR "/expected/%s.tsv", stem);
	lines = read_lines(wb_test_data(exp_rel), &nlines);
	assert_string_equal(lines[0], bin_header);
	f = wb_binfile_open(path);
	assert_non_null(f);
	while ((rc = wb_binfile_next(f, &msg, &len)) == 1) {
		assert_int_equal(wb_itch_decode(msg, len, &m), (int)len);
		row.len = 0;
		bin_row(&row, wb_binfile_offset(f), len, &m);
		expect_line(lines, nlines, i++, row.buf, stem);
	}
	if (i != nlines)
		fail_msg("%s: %zu rows decoded, %zu expected", stem, i - 1, nlines - 1);
	*nmsgs = i - 1;
	*end_off = wb_binfile_offset(f);
	assert_int_equal(wb_binfile_next(f, &msg, &len), rc); /* sticky end / error */
	wb_binfile_close(f);
	free(lines[0]);
	free(lines);
	return rc;
}

static void
test_binaryfile_1000(void **state)
{
	uint64_t end;
	size_t n;

	(void)state;
	assert_int_equal(
	    check_binfile(wb_test_data(BIN_DIR "/nasdaq_itch50_2019_first1000msgs.itch"),
			  "nasdaq_itch50_2019_first1000msgs", &n, &end),
	    0);
	assert_int_equal(n, 1000);
	assert_int_equal(end, 40874);
}

static void
test_binaryfile_head4096(void **state)
{
	uint64_t end;
	size_t n;

	(void)state;
	assert_int_equal(
	    check_binfile(wb_test_data(BIN_DIR "/nasdaq_itch50_20190130_head4096.itch"),
			  "nasdaq_itch50_20190130_head4096", &n, &end),
	    WB_PROTO_TRUNCATED);
	assert_int_equal(n, 101);
	assert_int_equal(end, 4081); /* the cut record's length prefix */
}

static void
test_binaryfile_gzip(void **state)
{
	static const char *stems[] = {"nasdaq_itch50_2019_first1000msgs",
				      "nasdaq_itch50_20190130_head4096"};
	char tmpl[] = "/tmp/wb_realdata_XXXXXX", path[600], rel[512];
	uint8_t *data;
	uint64_t end;
	size_t len, n, i;
	gzFile gz;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	for (i = 0; i < 2; i++) {
		snprintf(rel, sizeof(rel), BIN_DIR "/%s.itch", stems[i]);
		data = slurp(wb_test_data(rel), &len);
		snprintf(path, sizeof(path), "%s/%s.itch.gz", tmpl, stems[i]);
		gz = gzopen(path, "wb9");
		assert_non_null(gz);
		assert_int_equal(gzwrite(gz, data, (unsigned int)len), (int)len);
		assert_int_equal(gzclose(gz), Z_OK);
		free(data);
		assert_int_equal(check_binfile(path, stems[i], &n, &end),
				 i == 0 ? 0 : WB_PROTO_TRUNCATED);
		assert_int_equal(n, i == 0 ? 1000 : 101);
		assert_int_equal(end, i == 0 ? 40874 : 4081);
		unlink(path);
	}
	rmdir(tmpl);
}

static void
test_binaryfile_walk(void **state)
{
	struct wb_itch_msg m;
	struct wb_guard g;
	const uint8_t *buf, *msg;
	uint8_t *data;
	size_t len, off = 0, n = 0;
	uint16_t mlen;
	int rc;

	(void)state;
	data = slurp(wb_test_data(BIN_DIR "/nasdaq_itch50_20190130_head4096.itch"), &len);
	assert_int_equal(len, 4096);
	buf = wb_guard_copy(&g, data, len);
	while ((rc = wb_binfile_walk(buf, len, &off, &msg, &mlen)) == 1) {
		assert_int_equal(wb_itch_decode(msg, mlen, &m), (int)mlen);
		n++;
	}
	assert_int_equal(rc, WB_PROTO_TRUNCATED);
	assert_int_equal(n, 101);
	assert_int_equal(off, 4081);
	assert_int_equal(buf[off + 2], 'R');
	wb_guard_free(&g);
	free(data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_binaryfile_1000),
	    cmocka_unit_test(test_binaryfile_head4096),
	    cmocka_unit_test(test_binaryfile_gzip),
	    cmocka_unit_test(test_binaryfile_walk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
