/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers of the file-reader tests: a temp directory, byte builders, files. */
#ifndef WB_TEST_FILES_H
#define WB_TEST_FILES_H

#include "wb_test.h"

#include <errno.h>
#include <zlib.h>

#include "wb_pcap.h"

static char dir[64];

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static inline void
put(struct buf *b, const void *src, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->len, src, n);
	b->len += n;
}

static inline void
put16(struct buf *b, uint16_t v, int be)
{
	uint8_t x[2] = {(uint8_t)(be ? v >> 8 : v), (uint8_t)(be ? v : v >> 8)};

	put(b, x, 2);
}

static inline void
put32(struct buf *b, uint32_t v, int be)
{
	uint8_t x[4];
	int i;

	for (i = 0; i < 4; i++)
		x[i] = (uint8_t)(v >> (be ? 24 - 8 * i : 8 * i));
	put(b, x, 4);
}

static inline const char *
tmp_path(const char *name)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

/* Writes bytes to dir/name, gzip-compressed if gz. Returns the path. */
static inline const char *
write_file(const char *name, const void *data, size_t len, int gz)
{
	const char *path = tmp_path(name);

	if (gz) {
		gzFile z = gzopen(path, "wb");

		assert_non_null(z);
		if (len > 0)
			assert_int_equal(gzwrite(z, data, (unsigned int)len), (int)len);
		assert_int_equal(gzclose(z), Z_OK);
	} else {
		FILE *fp = fopen(path, "wb");

		assert_non_null(fp);
		assert_int_equal(fwrite(data, 1, len, fp), len);
		assert_int_equal(fclose(fp), 0);
	}
	return path;
}

static inline uint8_t *
read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *b;
	long n;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	b = malloc((size_t)n + 1);
	assert_int_equal(fread(b, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return b;
}

/* Frame i: length and contents derived from i. */
static inline uint32_t
frame_len(unsigned int i)
{
	return 60u + (i * 7919u) % 1400u;
}

static inline void
frame_fill(uint8_t *f, unsigned int i)
{
	uint32_t j, n = frame_len(i);

	for (j = 0; j < n; j++)
		f[j] = (uint8_t)(i * 31u + j);
}

static inline void
expect_frame(const struct wb_pcap_pkt *pkt, unsigned int i)
{
	uint8_t f[2048];

	frame_fill(f, i);
	assert_int_equal(pkt->caplen, frame_len(i));
	assert_int_equal(pkt->origlen, frame_len(i));
	assert_memory_equal(pkt->data, f, frame_len(i));
}

static inline int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/wb_files_XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static inline int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

#endif /* WB_TEST_FILES_H */
