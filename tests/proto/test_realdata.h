/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers of the real-data tests: row building, expected files. */
#ifndef WB_TEST_REALDATA_H
#define WB_TEST_REALDATA_H

#include "wb_test.h"

#include "wb_compiler.h"
#include "wb_itch50.h"

#define ROW_MAX 2048

struct sb {
	char buf[ROW_MAX];
	size_t len;
};

static inline void wb_printf(2, 3) sb_add(struct sb *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s->buf + s->len, sizeof(s->buf) - s->len, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof(s->buf) - s->len);
	s->len += (size_t)n;
}

/* key=value pairs of the `fields` column, ';' between them. */
static inline void wb_printf(3, 4) kv(struct sb *f, const char *key, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (f->len > 0)
		sb_add(f, ";");
	sb_add(f, "%s=", key);
	va_start(ap, fmt);
	n = vsnprintf(f->buf + f->len, sizeof(f->buf) - f->len, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof(f->buf) - f->len);
	f->len += (size_t)n;
}

/* Alpha field, trailing spaces removed. */
static inline const char *
alpha(char *dst, const uint8_t *src, size_t n)
{
	wb_itch_alpha(dst, src, n);
	return dst;
}

static inline const char *
price(char *dst, uint64_t raw)
{
	sprintf(dst, "%llu.%04u", (unsigned long long)(raw / WB_ITCH_PRICE_SCALE),
		(unsigned int)(raw % WB_ITCH_PRICE_SCALE));
	return dst;
}

/* Lines of a text file, header included; free with free(lines[0]), free(lines). */
static inline char **
read_lines(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	char *text, **lines, *p;
	long size;
	size_t cnt = 0, i;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	size = ftell(fp);
	rewind(fp);
	text = malloc((size_t)size + 1);
	assert_int_equal(fread(text, 1, (size_t)size, fp), (size_t)size);
	fclose(fp);
	text[size] = '\0';
	for (i = 0; i < (size_t)size; i++)
		cnt += text[i] == '\n';
	lines = calloc(cnt + 2, sizeof(*lines));
	cnt = 0;
	for (p = text; *p != '\0';) {
		char *nl = strchr(p, '\n');

		lines[cnt++] = p;
		if (nl == NULL)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	*n = cnt;
	return lines;
}

static inline void
expect_line(char **lines, size_t nlines, size_t i, const char *got, const char *what)
{
	if (i >= nlines)
		fail_msg("%s: extra row %zu: %s", what, i, got);
	if (strcmp(lines[i], got) != 0)
		fail_msg("%s row %zu:\n  expected %s\n  got      %s", what, i, lines[i], got);
}

/* Whole file into a malloc'ed buffer. */
static inline uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *b;
	long size;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	size = ftell(fp);
	rewind(fp);
	b = malloc((size_t)size + 1);
	assert_int_equal(fread(b, 1, (size_t)size, fp), (size_t)size);
	fclose(fp);
	*len = (size_t)size;
	return b;
}

#endif /* WB_TEST_REALDATA_H */
