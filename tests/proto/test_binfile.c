/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * BinaryFILE reader: records (including a zero-length one) plain and
 * gzip'ed, a big gzip file whose records straddle the inflate chunks, every
 * cut of the last record, a gzip stream cut short; the in-memory walker on
 * guard-page buffers.
 */
#include "test_files.h"

#include <sys/wait.h>

#include "wb_binfile.h"

/* Record i: length and contents derived from i (record 3 is empty). */
static uint16_t
rec_len(unsigned int i)
{
	return i == 3 ? 0 : (uint16_t)(1u + (i * 37u) % 60u);
}

static void
records(struct buf *b, unsigned int n)
{
	uint8_t r[64];
	unsigned int i, j;

	b->len = 0;
	for (i = 0; i < n; i++) {
		put16(b, rec_len(i), 1);
		for (j = 0; j < rec_len(i); j++)
			r[j] = (uint8_t)(i + j);
		put(b, r, rec_len(i));
	}
}

static void
expect_records(struct wb_binfile *f, unsigned int n)
{
	const uint8_t *msg;
	uint64_t off = 0;
	unsigned int i, j;
	uint16_t len;

	for (i = 0; i < n; i++) {
		assert_int_equal(wb_binfile_next(f, &msg, &len), 1);
		assert_int_equal(len, rec_len(i));
		assert_true(wb_binfile_offset(f) == off);
		for (j = 0; j < len; j++)
			assert_int_equal(msg[j], (uint8_t)(i + j));
		off += 2u + len;
	}
}

static void
test_binfile(void **state)
{
	struct buf b = {0};
	struct wb_binfile *f;
	const uint8_t *msg;
	uint16_t len;
	int gz;

	(void)state;
	records(&b, 10);
	for (gz = 0; gz < 2; gz++) {
		f = wb_binfile_open(write_file("r.itch", b.p, b.len, gz));
		assert_non_null(f);
		expect_records(f, 10);
		assert_int_equal(wb_binfile_next(f, &msg, &len), 0);
		assert_true(wb_binfile_offset(f) == b.len);
		assert_int_equal(wb_binfile_next(f, &msg, &len), 0);
		wb_binfile_close(f);
		/* Empty file: a clean end at once. */
		f = wb_binfile_open(write_file("e.itch", b.p, 0, gz));
		assert_non_null(f);
		assert_int_equal(wb_binfile_next(f, &msg, &len), 0);
		wb_binfile_close(f);
	}
	errno = 0;
	assert_null(wb_binfile_open(tmp_path("missing.itch")));
	assert_int_equal(errno, ENOENT);
	assert_null(wb_binfile_open(dir));
	assert_int_equal(errno, EISDIR);
	free(b.p);
}

static void
test_binfile_truncated(void **state)
{
	struct buf b = {0};
	struct wb_binfile *f;
	const uint8_t *msg;
	size_t full, cut, last;
	uint16_t len;
	uint8_t *raw;
	int gz;

	(void)state;
	records(&b, 10);
	full = b.len;
	last = full - 2u - rec_len(9);
	for (gz = 0; gz < 2; gz++) {
		for (cut = last + 1; cut < full; cut++) {
			f = wb_binfile_open(write_file("t.itch", b.p, cut, gz));
			assert_non_null(f);
			expect_records(f, 9);
			assert_int_equal(wb_binfile_next(f, &msg, &len), WB_PROTO_TRUNCATED);
			assert_true(wb_binfile_offset(f) == last);
			assert_int_equal(wb_binfile_next(f, &msg, &len), WB_PROTO_TRUNCATED);
			wb_binfile_close(f);
		}
	}
	/* Whole records, but the gzip stream itself is cut short. */
	write_file("z.itch.gz", b.p, b.len, 1);
	raw = read_file(tmp_path("z.itch.gz"), &cut);
	f = wb_binfile_open(write_file("z.itch.gz", raw, cut - 6, 0));
	assert_non_null(f);
	expect_records(f, 10);
	assert_int_equal(wb_binfile_next(f, &msg, &len), WB_PROTO_TRUNCATED);
	wb_binfile_close(f);
	/* Corrupt deflate data. */
	memset(raw + 10, 0xff, cut - 20);
	f = wb_binfile_open(write_file("c.itch.gz", raw, cut, 0));
	assert_non_null(f);
	while ((gz = wb_binfile_next(f, &msg, &len)) == 1)
		;
	assert_int_equal(gz, WB_PROTO_MALFORMED);
	wb_binfile_close(f);
	free(raw);
	free(b.p);
}

static void
test_binfile_big_gzip(void **state)
{
	const unsigned int n = 200000;
	struct buf b = {0};
	struct wb_binfile *f;
	const uint8_t *msg;
	uint16_t len;

	(void)state;
	records(&b, n);
	assert_true(b.len > 4u << 20); /* several of the reader's 1 MiB windows */
	f = wb_binfile_open(write_file("big.itch.gz", b.p, b.len, 1));
	assert_non_null(f);
	expect_records(f, n);
	assert_int_equal(wb_binfile_next(f, &msg, &len), 0);
	assert_true(wb_binfile_offset(f) == b.len);
	wb_binfile_close(f);
	free(b.p);
}

/* A pipe cannot be mapped: the reader streams it through zlib's plain path. */
static void
test_binfile_pipe(void **state)
{
	struct buf b = {0};
	struct wb_binfile *f;
	const uint8_t *msg;
	char path[64];
	uint16_t len;
	int fds[2], st;
	pid_t pid;

	(void)state;
	records(&b, 3000);
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		_exit(write(fds[1], b.p, b.len) == (ssize_t)b.len ? 0 : 1);
	}
	close(fds[1]);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
	f = wb_binfile_open(path);
	assert_non_null(f);
	expect_records(f, 3000);
	assert_int_equal(wb_binfile_next(f, &msg, &len), 0);
	wb_binfile_close(f);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	free(b.p);
}

static void
test_binfile_walk(void **state)
{
	struct buf b = {0};
	struct wb_guard g;
	const uint8_t *buf, *msg;
	size_t off, cut;
	unsigned int i;
	uint16_t len;

	(void)state;
	records(&b, 10);
	for (cut = 0; cut <= b.len; cut++) {
		size_t end = 0;
		unsigned int whole = 0;

		/* Records that fit whole in the first `cut` bytes. */
		while (whole < 10 && end + 2u + rec_len(whole) <= cut)
			end += 2u + rec_len(whole++);
		buf = wb_guard_copy(&g, b.p, cut);
		off = 0;
		for (i = 0; wb_binfile_walk(buf, cut, &off, &msg, &len) == 1; i++) {
			assert_int_equal(len, rec_len(i));
			assert_ptr_equal(msg, buf + off - len);
		}
		assert_int_equal(i, whole);
		assert_int_equal(off, end);
		assert_int_equal(wb_binfile_walk(buf, cut, &off, &msg, &len),
				 end == cut ? 0 : WB_PROTO_TRUNCATED);
		wb_guard_free(&g);
	}
	off = 11;
	assert_int_equal(wb_binfile_walk(b.p, 10, &off, &msg, &len), WB_PROTO_MALFORMED);
	free(b.p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_binfile),
	    cmocka_unit_test(test_binfile_truncated),
	    cmocka_unit_test(test_binfile_big_gzip),
	    cmocka_unit_test(test_binfile_pipe),
	    cmocka_unit_test(test_binfile_walk),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
