/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_binfile.h"

#include <errno.h>
#include <stdlib.h>

#include "wb_err.h"
#include "wb_fstream.h"

struct wb_binfile {
	struct wb_fstream s;
	uint64_t rec_off;
	int err;
};

struct wb_binfile *
wb_binfile_open(const char *path)
{
	struct wb_binfile *f = calloc(1, sizeof(*f));
	int rc;

	if (f == NULL) {
		wb_err_set(ENOMEM, "%s: out of memory", path);
		errno = ENOMEM;
		return NULL;
	}
	rc = wb_fstream_open(&f->s, path);
	if (rc < 0) {
		free(f);
		errno = -rc;
		return NULL;
	}
	return f;
}

int
wb_binfile_next(struct wb_binfile *f, const uint8_t **msg, uint16_t *len)
{
	const uint8_t *p;
	size_t need = 2;
	ssize_t got;
	uint16_t l;

	if (f->err != 0)
		return f->err;
	f->rec_off = wb_fstream_offset(&f->s);
	got = wb_fstream_peek(&f->s, 2, &p);
	if (got < 0)
		return f->err = (int)got;
	if (got == 0)
		return 0;
	if (got < 2)
		goto truncated;
	l = (uint16_t)((p[0] << 8) | p[1]);
	need = 2u + l;
	if ((size_t)got < need) {
		got = wb_fstream_peek(&f->s, need, &p);
		if (got < 0)
			return f->err = (int)got;
		if ((size_t)got < need)
			goto truncated;
	}
	*msg = p + 2;
	*len = l;
	wb_fstream_skip(&f->s, 2u + l);
	return 1;
truncated:
	wb_err_set(EIO, "record at offset %llu: file ends after %zd of %zu bytes",
		   (unsigned long long)f->rec_off, got, need);
	return f->err = WB_PROTO_TRUNCATED;
}

uint64_t
wb_binfile_offset(const struct wb_binfile *f)
{
	return f->rec_off;
}

void
wb_binfile_progress(const struct wb_binfile *f, uint64_t *done, uint64_t *total)
{
	wb_fstream_progress(&f->s, done, total);
}

void
wb_binfile_close(struct wb_binfile *f)
{
	if (f == NULL)
		return;
	wb_fstream_close(&f->s);
	free(f);
}
