/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_fstream.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "wb_err.h"
#include "wb_proto.h"

#define WB_FSTREAM_CHUNK (1u << 20)

static int
wb_fstream_open_gz(struct wb_fstream *s, const char *path)
{
	int fd2 = dup(s->fd);

	if (fd2 < 0)
		return wb_err_set(errno, "%s: dup: %s", path, strerror(errno));
	s->gz = gzdopen(fd2, "rb");
	if (s->gz == NULL) {
		close(fd2);
		return wb_err_set(ENOMEM, "%s: cannot start zlib", path);
	}
	gzbuffer(s->gz, 256u << 10);
	s->cap = WB_FSTREAM_CHUNK;
	s->buf = malloc(s->cap);
	if (s->buf == NULL) {
		gzclose(s->gz);
		s->gz = NULL;
		return wb_err_set(ENOMEM, "%s: out of memory", path);
	}
	return 0;
}

int
wb_fstream_open(struct wb_fstream *s, const char *path)
{
	uint8_t magic[2];
	struct stat st;
	ssize_t n;
	int rc;

	memset(s, 0, sizeof(*s));
	s->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s->fd < 0)
		return wb_err_set(errno, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(s->fd, &st) < 0) {
		rc = wb_err_set(errno, "%s: fstat: %s", path, strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = wb_err_set(EISDIR, "%s: is a directory", path);
		goto fail;
	}
	if (S_ISREG(st.st_mode)) {
		s->fsize = (uint64_t)st.st_size;
		n = pread(s->fd, magic, sizeof(magic), 0);
		if (n < 0) {
			rc = wb_err_set(errno, "%s: read: %s", path, strerror(errno));
			goto fail;
		}
		s->gzip = n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
		if (!s->gzip && st.st_size == 0)
			return 0; /* empty: position mode with nothing to read */
		if (!s->gzip && (uint64_t)st.st_size <= SIZE_MAX) {
			void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, s->fd, 0);

			if (m != MAP_FAILED) {
				s->map = m;
				s->maplen = (size_t)st.st_size;
				madvise(m, s->maplen, MADV_SEQUENTIAL);
				return 0;
			}
		}
	}
	/* gzip, or not mappable: stream through zlib (transparent for plain data). */
	rc = wb_fstream_open_gz(s, path);
	if (rc < 0)
		goto fail;
	return 0;
fail:
	close(s->fd);
	s->fd = -1;
	return rc;
}

/* Refills the window until it holds n bytes from head or the data ends. */
static ssize_t
wb_fstream_fill(struct wb_fstream *s, size_t n)
{
	size_t avail = s->tail - s->head;
	const char *msg;
	int zerr;

	if (s->head > 0) {
		memmove(s->buf, s->buf + s->head, avail);
		s->base += s->head;
		s->head = 0;
		s->tail = avail;
	}
	if (s->cap < n) {
		size_t ncap = s->cap * 2 > n ? s->cap * 2 : n;
		uint8_t *nb = realloc(s->buf, ncap);

		if (nb == NULL)
			return s->err =
				   wb_err_set(ENOMEM, "out of memory for a %zu-byte record", n);
		s->buf = nb;
		s->cap = ncap;
	}
	while (!s->eof && s->tail - s->head < n) {
		size_t room = s->cap - s->tail;
		int got =
		    gzread(s->gz, s->buf + s->tail, room > INT_MAX ? INT_MAX : (unsigned)room);

		if (got > 0) {
			s->tail += (size_t)got;
			continue;
		}
		msg = gzerror(s->gz, &zerr);
		if (got == 0 && (zerr == Z_OK || zerr == Z_STREAM_END)) {
			s->eof = 1;
			break;
		}
		if (zerr == Z_BUF_ERROR) {
			/* zlib's "unexpected end of file": compressed data cut short. */
			s->eof = 1;
			s->err = WB_PROTO_TRUNCATED;
			wb_err_set(EIO, "gzip stream ends early (%s)", msg);
			break;
		}
		if (zerr == Z_ERRNO)
			return s->err = wb_err_set(EIO, "read error: %s", strerror(errno));
		s->err = WB_PROTO_MALFORMED;
		wb_err_set(EIO, "corrupt gzip data: %s", msg);
		return s->err;
	}
	/* A cut-short stream still hands out what it had; the error shows at the end. */
	if (s->err != 0 && s->tail - s->head < n)
		return s->err;
	return (ssize_t)(s->tail - s->head);
}

ssize_t
wb_fstream_peek(struct wb_fstream *s, size_t n, const uint8_t **p)
{
	ssize_t got;

	if (s->gz == NULL) {
		*p = s->map != NULL ? s->map + s->pos : NULL;
		return (ssize_t)(s->maplen - s->pos);
	}
	if (s->tail - s->head < n) {
		if (s->err != 0 && s->eof)
			return s->err;
		got = wb_fstream_fill(s, n);
		if (got < 0)
			return got;
	}
	*p = s->buf + s->head;
	return (ssize_t)(s->tail - s->head);
}

void
wb_fstream_progress(const struct wb_fstream *s, uint64_t *done, uint64_t *total)
{
	*total = s->fsize;
	if (s->gz == NULL) {
		*done = s->pos;
		return;
	}
	*done = (uint64_t)gzoffset(s->gz);
	if (s->fsize != 0 && *done > s->fsize)
		*done = s->fsize;
}

void
wb_fstream_close(struct wb_fstream *s)
{
	if (s->map != NULL)
		munmap((void *)(uintptr_t)s->map, s->maplen);
	if (s->gz != NULL)
		gzclose(s->gz);
	free(s->buf);
	if (s->fd >= 0)
		close(s->fd);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}
