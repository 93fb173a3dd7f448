/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The strict INI reader (see wb_ini.h). The input is copied once so that
 * names and values can be cut in place and handed out NUL-terminated; the
 * sections seen and the keys of the current section are remembered (pointers
 * into the copy) to refuse repeats. Configurations are small: the repeat
 * checks are linear searches.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wb_err.h"
#include "wb_ini.h"

struct wb_ini_seen {
	const char *name;
	unsigned int line;
};

struct wb_ini_list {
	struct wb_ini_seen *v;
	size_t n, cap;
};

static int
wb_ini_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Trims s[0, *n) in place; returns the new start. */
static char *
wb_ini_trim(char *s, size_t *n)
{
	while (*n > 0 && wb_ini_blank(s[0])) {
		s++;
		(*n)--;
	}
	while (*n > 0 && wb_ini_blank(s[*n - 1]))
		(*n)--;
	s[*n] = '\0';
	return s;
}

static int
wb_ini_keychar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

/* Line of name in l, or 0. */
static unsigned int
wb_ini_find(const struct wb_ini_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return l->v[i].line;
	return 0;
}

static int
wb_ini_add(struct wb_ini_list *l, const char *name, unsigned int line)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct wb_ini_seen *v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].name = name;
	l->v[l->n].line = line;
	l->n++;
	return 0;
}

/* "'text'" for a message, shortened to fit. */
static void
wb_ini_quote(char *dst, size_t cap, const char *s, size_t n)
{
	if (n > 40)
		snprintf(dst, cap, "'%.37s...'", s);
	else
		snprintf(dst, cap, "'%.*s'", (int)n, s);
}

int
wb_ini_parse(const char *buf, size_t len, wb_ini_cb cb, void *ctx, unsigned int *line, char *err,
	     size_t errlen)
{
	struct wb_ini_list secs = {0}, keys = {0};
	struct wb_ini_item it = {0};
	char *copy, *p, *end, q[48];
	int rc = -EINVAL;

	*line = 0;
	if (memchr(buf, '\0', len) != NULL) {
		const char *nul = memchr(buf, '\0', len);
		const char *s;

		*line = 1;
		for (s = buf; s < nul; s++)
			*line += *s == '\n';
		snprintf(err, errlen, "NUL byte (not a text file?)");
		return wb_err_set(EINVAL, "line %u: %s", *line, err);
	}
	copy = malloc(len + 1);
	if (copy == NULL) {
		snprintf(err, errlen, "out of memory");
		return wb_err_set(ENOMEM, "%s", err);
	}
	memcpy(copy, buf, len);
	copy[len] = '\0';
	end = copy + len;
	for (p = copy; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		char *s, *eq;

		it.line++;
		*line = it.line;
		if (n > WB_INI_MAX_LINE) {
			snprintf(err, errlen, "line longer than %u bytes", WB_INI_MAX_LINE);
			goto out;
		}
		p[n] = '\0';
		s = wb_ini_trim(p, &n);
		p = nl != NULL ? nl + 1 : end;
		if (n == 0 || s[0] == ';' || s[0] == '#')
			continue;
		if (s[0] == '[') {
			char *close = memchr(s, ']', n);
			size_t rest, nn;
			unsigned int first;

			if (close == NULL) {
				wb_ini_quote(q, sizeof(q), s, n);
				snprintf(err, errlen, "%s: a section header needs its ']'", q);
				goto out;
			}
			rest = n - (size_t)(close + 1 - s);
			if (rest > 0) {
				wb_ini_quote(q, sizeof(q), close + 1, rest);
				snprintf(err, errlen, "%s after the section's ']'", q);
				goto out;
			}
			nn = (size_t)(close - s - 1);
			it.section = wb_ini_trim(s + 1, &nn);
			if (nn == 0) {
				snprintf(err, errlen, "empty section name '[]'");
				goto out;
			}
			if (memchr(it.section, '[', nn) != NULL || memchr(it.section, ']', nn)) {
				snprintf(err, errlen, "[%s]: brackets inside a section name",
					 it.section);
				goto out;
			}
			if ((first = wb_ini_find(&secs, it.section)) != 0) {
				snprintf(err, errlen,
					 "[%s]: section given twice (first at line %u)", it.section,
					 first);
				goto out;
			}
			if (wb_ini_add(&secs, it.section, it.line) < 0) {
				snprintf(err, errlen, "out of memory");
				rc = -ENOMEM;
				goto out;
			}
			keys.n = 0;
			it.key = NULL;
			it.value = NULL;
			if (cb(ctx, &it, err, errlen) < 0)
				goto out;
			continue;
		}
		eq = memchr(s, '=', n);
		if (eq == NULL) {
			wb_ini_quote(q, sizeof(q), s, n);
			snprintf(err, errlen,
				 "%s is not 'key = value', '[section]' or a comment (; or #)", q);
			goto out;
		}
		{
			size_t kn = (size_t)(eq - s), vn = n - kn - 1, i;
			char *key = wb_ini_trim(s, &kn), *val = wb_ini_trim(eq + 1, &vn);
			unsigned int first;

			if (kn == 0) {
				snprintf(err, errlen, "'=' without a key before it");
				goto out;
			}
			for (i = 0; i < kn; i++)
				if (!wb_ini_keychar(key[i])) {
					wb_ini_quote(q, sizeof(q), key, kn);
					snprintf(err, errlen,
						 "%s is not a key (letters, digits, _ . -)", q);
					goto out;
				}
			if (it.section == NULL) {
				snprintf(err, errlen, "%s: key before any [section]", key);
				goto out;
			}
			if ((first = wb_ini_find(&keys, key)) != 0) {
				snprintf(err, errlen, "[%s] %s: given twice (first at line %u)",
					 it.section, key, first);
				goto out;
			}
			if (wb_ini_add(&keys, key, it.line) < 0) {
				snprintf(err, errlen, "out of memory");
				rc = -ENOMEM;
				goto out;
			}
			it.key = key;
			it.value = val;
			if (cb(ctx, &it, err, errlen) < 0)
				goto out;
		}
	}
	*line = 0;
	rc = 0;
out:
	if (rc < 0)
		wb_err_set(-rc, "line %u: %s", *line, err);
	free(secs.v);
	free(keys.v);
	free(copy);
	return rc;
}
