/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers shared by the cmocka tests: test data paths, and a guard-page
 * buffer so that any read past the end of a decoder's input faults.
 */
#ifndef WB_TEST_H
#define WB_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

/* Exit code meson treats as "skipped". */
#define WB_TEST_SKIP 77

/* Path of a file under tests/data (WB_TESTDATA is set by meson). */
static inline const char *
wb_test_data(const char *rel)
{
	static char path[4096];
	const char *dir = getenv("WB_TESTDATA");

	snprintf(path, sizeof(path), "%s/%s", dir != NULL ? dir : "tests/data", rel);
	return path;
}

/*
 * A copy of `len` bytes that ends exactly where a PROT_NONE page starts.
 * Free with wb_guard_free().
 */
struct wb_guard {
	uint8_t *map;
	size_t maplen;
	uint8_t *data;
};

static inline uint8_t *
wb_guard_copy(struct wb_guard *g, const void *src, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t body = (len + page - 1) / page * page;

	if (body == 0)
		body = page;
	g->maplen = body + page;
	g->map = mmap(NULL, g->maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(g->map != MAP_FAILED);
	assert_int_equal(mprotect(g->map + body, page, PROT_NONE), 0);
	g->data = g->map + body - len;
	if (len > 0)
		memcpy(g->data, src, len);
	return g->data;
}

static inline void
wb_guard_free(struct wb_guard *g)
{
	munmap(g->map, g->maplen);
}

#endif /* WB_TEST_H */
