/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_test.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>

#include "wb_compiler.h"
#include "wb_err.h"
#include "wb_histo.h"
#include "wb_ini.h"
#include "wb_log.h"
#include "wb_pace.h"
#include "wb_progress.h"
#include "wb_tsc.h"

static void
test_be_loads(void **state)
{
	uint8_t b[8];

	(void)state;
	wb_put_be16(b, 0x1234);
	assert_int_equal(wb_be16(b), 0x1234);
	assert_int_equal(b[0], 0x12);
	wb_put_be32(b, 0xdeadbeef);
	assert_int_equal(wb_be32(b), 0xdeadbeef);
	assert_int_equal(b[0], 0xde);
	wb_put_be64(b, 0x0102030405060708ull);
	assert_true(wb_be64(b) == 0x0102030405060708ull);
	assert_int_equal(b[7], 8);
	wb_put_be48(b, 0x0000a1b2c3d4e5f6ull);
	assert_true(wb_be48(b) == 0xa1b2c3d4e5f6ull);
	assert_int_equal(b[0], 0xa1);
}

static void
test_err_chain(void **state)
{
	(void)state;
	assert_int_equal(wb_err_set(EINVAL, "value %d out of range", 7), -EINVAL);
	assert_int_equal(wb_err_append(EINVAL, "key '%s'", "rx_burst"), -EINVAL);
	assert_string_equal(wb_err_msg(), "key 'rx_burst': value 7 out of range");
	wb_err_clear();
	assert_string_equal(wb_err_msg(), "unknown error");
}

static void
test_histo_index_monotonic(void **state)
{
	unsigned int prev = 0, idx;
	uint64_t v;

	(void)state;
	for (v = 0; v < 1000000; v++) {
		idx = wb_histo_index(v);
		assert_true(idx >= prev);
		assert_true(idx < WB_HISTO_BUCKETS);
		assert_true(wb_histo_bucket_low(idx) <= v);
		if (idx + 1 < WB_HISTO_BUCKETS)
			assert_true(wb_histo_bucket_low(idx + 1) > v);
		prev = idx;
	}
	assert_true(wb_histo_index(UINT64_MAX) < WB_HISTO_BUCKETS);
}

static void
test_histo_quantiles(void **state)
{
	struct wb_histo *h = malloc(sizeof(*h));
	uint64_t v, p50, p99;

	(void)state;
	wb_histo_init(h);
	assert_int_equal(wb_histo_quantile(h, 0.5), 0);
	for (v = 1; v <= 10000; v++)
		wb_histo_add(h, v);
	p50 = wb_histo_quantile(h, 0.5);
	p99 = wb_histo_quantile(h, 0.99);
	/* Within the histogram's 1/32 relative precision. */
	assert_true(p50 >= 5000 * 31 / 32 && p50 <= 5000 * 33 / 32);
	assert_true(p99 >= 9900 * 31 / 32 && p99 <= 9900 * 33 / 32);
	assert_int_equal(wb_histo_quantile(h, 1.0), 10000);
	assert_int_equal(wb_histo_quantile(h, 0.0), 1);
	assert_int_equal(h->count, 10000);
	free(h);
}

/* Percentiles against distributions whose answer is known. */
static void
test_histo_value_at(void **state)
{
	struct wb_histo *h = malloc(sizeof(*h));
	uint64_t v, p;

	(void)state;
	wb_histo_init(h);
	assert_int_equal(wb_histo_value_at(h, 50.0), 0);
	/* below 64 every value is its own bucket: exact answers */
	for (v = 1; v <= 50; v++)
		wb_histo_add(h, v);
	assert_int_equal(wb_histo_value_at(h, 0.0), 1);
	assert_int_equal(wb_histo_value_at(h, 50.0), 25);
	assert_int_equal(wb_histo_value_at(h, 50.1), 26);
	assert_int_equal(wb_histo_value_at(h, 90.0), 45);
	assert_int_equal(wb_histo_value_at(h, 99.0), 50);
	assert_int_equal(wb_histo_value_at(h, 100.0), 50);
	assert_true(wb_histo_mean(h) == 25.5);
	/* uniform 1..100000: within the 1/32 precision, never below the truth */
	wb_histo_init(h);
	for (v = 1; v <= 100000; v++)
		wb_histo_add(h, v);
	p = wb_histo_value_at(h, 50.0);
	assert_true(p >= 50000 && p <= 50000 + 50000 / 32);
	p = wb_histo_value_at(h, 99.0);
	assert_true(p >= 99000 && p <= 99000 + 99000 / 32);
	p = wb_histo_value_at(h, 99.99);
	assert_true(p >= 99990 && p <= 100000);
	assert_int_equal(wb_histo_value_at(h, 100.0), 100000);
	/* a bimodal latency: 99% at 1000, 1% at 1000000 */
	wb_histo_init(h);
	for (v = 0; v < 9900; v++)
		wb_histo_add(h, 1000);
	for (v = 0; v < 100; v++)
		wb_histo_add(h, 1000000);
	p = wb_histo_value_at(h, 99.0);
	assert_true(p >= 1000 && p <= 1000 + 1000 / 32);
	p = wb_histo_value_at(h, 99.01);
	assert_true(p >= 1000000 - 1000000 / 32 && p <= 1000000);
	assert_int_equal(wb_histo_value_at(h, 100.0), 1000000);
	free(h);
}

/* The .hgrm text: header, monotonic rows, cumulative counts, footer. */
static void
test_histo_hgrm(void **state)
{
	struct wb_histo *h = malloc(sizeof(*h));
	char line[256], *buf = NULL;
	size_t len = 0;
	double val, pct, prev_val = -1.0, prev_pct = -1.0, inv, mean, sd, max;
	unsigned long long n, prev_n = 0, total;
	unsigned int rows = 0, last_rows = 0, halves = 0, i;
	FILE *f;
	uint64_t v;

	(void)state;
	wb_histo_init(h);
	for (v = 1; v <= 10000; v++)
		wb_histo_add(h, v * 1000); /* 1..10000 us in ns */
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(wb_histo_hgrm(h, f, 1000.0), 0);
	fclose(f);
	f = fmemopen(buf, len, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	assert_non_null(strstr(line, "Value"));
	assert_non_null(strstr(line, "1/(1-Percentile)"));
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, "\n");
	while (fgets(line, sizeof(line), f) != NULL && line[0] != '#') {
		int k = sscanf(line, "%lf %lf %llu %lf", &val, &pct, &n, &inv);

		assert_true(k == 4 || k == 3);
		assert_true(val >= prev_val && pct > prev_pct && n >= prev_n);
		if (k == 4)
			assert_true(inv >= 1.0 && fabs(inv - 1.0 / (1.0 - pct)) < 0.01 * inv);
		else
			last_rows++;
		/* the value at a percentile covers at least that share of the count */
		assert_true((double)n >= pct * 10000.0 - 1e-6);
		/* and is within the precision of the true quantile (pct * 10000 us) */
		assert_true(val <= (pct * 10000.0 + 1.0) * 33.0 / 32.0);
		halves += pct == 0.5 || pct == 0.75 || pct == 0.9;
		prev_val = val;
		prev_pct = pct;
		prev_n = n;
		rows++;
	}
	/* the last row is 100% at the max with the whole count, alone without 1/(1-p) */
	assert_int_equal(last_rows, 1);
	assert_true(prev_pct == 1.0 && prev_n == 10000 && prev_val == 10000.0);
	/* HdrHistogram's iterator: 10 rows up to 50%, then 10 per halving of 1-p,
	 * until a value covers the whole count */
	assert_true(rows >= 30 && rows < 200);
	assert_int_equal(halves, 3);
	assert_int_equal(sscanf(line, "#[Mean    = %lf, StdDeviation   = %lf]", &mean, &sd), 2);
	assert_true(fabs(mean - 5000.5) < 1e-6);
	assert_true(sd > 2886.0 * 0.97 && sd < 2886.0 * 1.03); /* uniform: n / sqrt(12) */
	assert_non_null(fgets(line, sizeof(line), f));
	assert_int_equal(sscanf(line, "#[Max     = %lf, Total count    = %llu]", &max, &total), 2);
	assert_true(max == 10000.0 && total == 10000);
	assert_non_null(fgets(line, sizeof(line), f));
	assert_non_null(strstr(line, "#[Buckets"));
	fclose(f);
	free(buf);
	/* empty: the header and footer, no row */
	wb_histo_init(h);
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_int_equal(wb_histo_hgrm(h, f, 1.0), 0);
	fclose(f);
	for (i = 0, n = 0; i < len; i++)
		n += buf[i] == '\n';
	assert_int_equal(n, 5);
	free(buf);
	free(h);
}

static void
test_tsc_calibration(void **state)
{
	struct wb_tsc_cal cal;
	uint64_t t0, n0, t1, n1;
	double est, real;

	(void)state;
	wb_tsc_calibrate(&cal, 20);
	assert_true(cal.ns_per_tick > 0.0);
	n0 = wb_mono_ns();
	t0 = wb_rdtsc();
	usleep(20000);
	t1 = wb_rdtsc();
	n1 = wb_mono_ns();
	est = wb_tsc_delta_ns(&cal, t1 - t0);
	real = (double)(n1 - n0);
	/* Generous: the machine is shared; this checks the conversion, not timing. */
	assert_true(est > real * 0.8 && est < real * 1.2);
}

static void
test_pace_parse(void **state)
{
	double v = -1;
	uint64_t ns = 0;
	char buf[16];

	(void)state;
	assert_int_equal(wb_pace_parse("max", &v), 0);
	assert_true(v == 0);
	assert_int_equal(wb_pace_parse("1x", &v), 0);
	assert_true(v == 1);
	assert_int_equal(wb_pace_parse("10x", &v), 0);
	assert_true(v == 10);
	assert_int_equal(wb_pace_parse("0.5x", &v), 0);
	assert_true(v == 0.5);
	assert_int_equal(wb_pace_parse("10", &v), -EINVAL);
	assert_int_equal(wb_pace_parse("0x", &v), -EINVAL);
	assert_int_equal(wb_pace_parse("x", &v), -EINVAL);
	assert_int_equal(wb_pace_parse("-1x", &v), -EINVAL);
	assert_int_equal(wb_pace_parse("2xx", &v), -EINVAL);

	assert_int_equal(wb_tod_parse("09:30:00", &ns), 0);
	assert_true(ns == 34200ull * 1000000000ull);
	assert_int_equal(wb_tod_parse("09:30:00.5", &ns), 0);
	assert_true(ns == 34200500000000ull);
	assert_int_equal(wb_tod_parse("23:59:59.123456789", &ns), 0);
	assert_true(ns == 86399123456789ull);
	assert_string_equal(wb_tod_format(buf, ns), "23:59:59.123");
	assert_int_equal(wb_tod_parse("9:30:00", &ns), -EINVAL);
	assert_int_equal(wb_tod_parse("24:00:00", &ns), -EINVAL);
	assert_int_equal(wb_tod_parse("09:60:00", &ns), -EINVAL);
	assert_int_equal(wb_tod_parse("09:30:00.", &ns), -EINVAL);
	assert_int_equal(wb_tod_parse("09:30:00.1234567891", &ns), -EINVAL);
	assert_int_equal(wb_tod_parse("09:30:00x", &ns), -EINVAL);
}

/* The schedule only: due times from timestamps, no clock read, no sleeping. */
static void
test_pace_schedule(void **state)
{
	struct wb_pace p;
	const uint64_t wall = 1000000000ull, ts0 = 34200ull * 1000000000ull;

	(void)state;
	wb_pace_init(&p, 1);
	/* the first record starts the clock at now, whatever its stamp */
	assert_true(wb_pace_due(&p, ts0, wall) == wall);
	/* then absolute: later `now` values do not move the schedule */
	assert_true(wb_pace_due(&p, ts0 + 1500, wall + 99999) == wall + 1500);
	assert_true(wb_pace_due(&p, ts0 + 2000000, wall + 5) == wall + 2000000);
	/* a stamp going back is due with its predecessor, counted */
	assert_true(wb_pace_due(&p, ts0 + 1000000, wall + 5) == wall + 2000000);
	assert_true(wb_pace_due(&p, ts0 - 1, wall + 5) == wall + 2000000);
	assert_int_equal(p.backwards, 2);

	wb_pace_init(&p, 10);
	assert_true(wb_pace_due(&p, ts0, wall) == wall);
	assert_true(wb_pace_due(&p, ts0 + 1000000, 0) == wall + 100000);
	assert_true(wb_pace_due(&p, ts0 + 3000000000ull, 0) == wall + 300000000);

	wb_pace_init(&p, 0.5);
	assert_true(wb_pace_due(&p, ts0, wall) == wall);
	assert_true(wb_pace_due(&p, ts0 + 1000, 0) == wall + 2000);

	/* max: everything is due now */
	wb_pace_init(&p, 0);
	assert_true(wb_pace_due(&p, ts0, wall) == wall);
	assert_true(wb_pace_due(&p, ts0 + 1000000000ull, wall + 7) == wall + 7);

	/* release errors: late by the difference, early counts as 0 */
	wb_pace_init(&p, 1);
	wb_pace_record(&p, 1000, 1250);
	wb_pace_record(&p, 1000, 900);
	assert_true(p.err.count == 2 && p.err.max == 250 && p.err.min == 0);
}

static void
test_progress_format(void **state)
{
	char buf[160];

	(void)state;
	/* a quarter done in 10 s: 30 s to go */
	wb_progress_format(buf, sizeof(buf), "replay", 10000000000ull, 250000000, 1000000000,
			   20000000, 34200ull * 1000000000ull);
	assert_non_null(strstr(buf, " 25.0%"));
	assert_non_null(strstr(buf, "2.00 M msg/s"));
	assert_non_null(strstr(buf, "at 09:30:00.000"));
	assert_non_null(strstr(buf, "ETA 0:00:30"));
	/* size unknown (a pipe): no percentage, no ETA */
	wb_progress_format(buf, sizeof(buf), "replay", 1000000000ull, 5, 0, 1, UINT64_MAX);
	assert_null(strstr(buf, "ETA"));
	assert_null(strstr(buf, "%"));
	assert_null(strstr(buf, " at "));
}

struct log_seen {
	unsigned int n;
	int level;
	char msg[600];
};

static void
log_sink(void *ctx, int level, const char *msg)
{
	struct log_seen *s = ctx;

	s->n++;
	s->level = level;
	snprintf(s->msg, sizeof(s->msg), "%s", msg);
}

/* Library notes reach the program's sink, formatted, and nowhere without one. */
static void
test_log_sink(void **state)
{
	struct log_seen s = {0};
	char big[700];

	(void)state;
	wb_log(WB_LOG_INFO, "no sink: dropped %d", 1);
	wb_log_set_sink(log_sink, &s);
	wb_log(WB_LOG_WARNING, "port %u (%s): %s", 2u, "net_af_packet0", "allmulticast");
	assert_int_equal(s.n, 1);
	assert_int_equal(s.level, WB_LOG_WARNING);
	assert_string_equal(s.msg, "port 2 (net_af_packet0): allmulticast");
	/* a long message is cut, never overruns */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	wb_log(WB_LOG_ERR, "%s", big);
	assert_int_equal(s.n, 2);
	assert_int_equal(strlen(s.msg), 511);
	wb_log_set_sink(NULL, NULL);
	wb_log(WB_LOG_INFO, "dropped again");
	assert_int_equal(s.n, 2);
}

/* A failed write is -EIO with a message, like every other fallible call. */
static void
test_histo_hgrm_error(void **state)
{
	struct wb_histo *h = calloc(1, sizeof(*h));
	FILE *f;

	(void)state;
	assert_non_null(h);
	wb_histo_init(h);
	wb_histo_add(h, 5);
	f = fopen("/dev/full", "w");
	if (f == NULL) {
		free(h);
		skip();
	}
	setvbuf(f, NULL, _IONBF, 0);
	wb_err_clear();
	assert_int_equal(wb_histo_hgrm(h, f, 1.0), -EIO);
	assert_non_null(strstr(wb_err_msg(), "hgrm"));
	fclose(f);
	free(h);
}

static int
ini_count(void *ctx, const struct wb_ini_item *it, char *err, size_t errlen)
{
	(void)it, (void)err, (void)errlen;
	++*(unsigned int *)ctx;
	return 0;
}

/* The INI reader follows the contract: -EINVAL, the line, and the same text in wb_err. */
static void
test_ini_errors(void **state)
{
	static const char good[] = "[a]\nk = 1\n; note\n[b]\nk=2\n";
	static const char twice[] = "[a]\nk = 1\nk = 2\n";
	unsigned int n = 0, line = 99;
	char err[128];

	(void)state;
	assert_int_equal(
	    wb_ini_parse(good, sizeof(good) - 1, ini_count, &n, &line, err, sizeof(err)), 0);
	assert_int_equal(n, 4);
	assert_int_equal(line, 0);
	wb_err_clear();
	assert_int_equal(
	    wb_ini_parse(twice, sizeof(twice) - 1, ini_count, &n, &line, err, sizeof(err)),
	    -EINVAL);
	assert_int_equal(line, 3);
	assert_string_equal(err, "[a] k: given twice (first at line 2)");
	assert_string_equal(wb_err_msg(), "line 3: [a] k: given twice (first at line 2)");
	assert_int_equal(wb_ini_parse("a\0b", 3, ini_count, &n, &line, err, sizeof(err)), -EINVAL);
	assert_int_equal(line, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_be_loads),
		cmocka_unit_test(test_err_chain),
		cmocka_unit_test(test_histo_index_monotonic),
		cmocka_unit_test(test_histo_quantiles),
		cmocka_unit_test(test_histo_value_at),
		cmocka_unit_test(test_histo_hgrm),
		cmocka_unit_test(test_tsc_calibration),
		cmocka_unit_test(test_pace_parse),
		cmocka_unit_test(test_pace_schedule),
		cmocka_unit_test(test_progress_format),
		cmocka_unit_test(test_log_sink),
		cmocka_unit_test(test_ini_errors),
		cmocka_unit_test(test_histo_hgrm_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
