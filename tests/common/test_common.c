/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_test.h"

#include <errno.h>

#include "wb_compiler.h"
#include "wb_err.h"
#include "wb_histo.h"
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_be_loads),
		cmocka_unit_test(test_err_chain),
		cmocka_unit_test(test_histo_index_monotonic),
		cmocka_unit_test(test_histo_quantiles),
		cmocka_unit_test(test_tsc_calibration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
