/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sequential reader for capture files (pcap, pcapng, BinaryFILE), shared by
 * wb_pcap and wb_binfile; not part of the public API.
 *
 * Real files are many GB, so nothing is ever loaded whole:
 *  - a plain regular file is mmap'ed (MADV_SEQUENTIAL) and records are
 *    handed out as pointers into the mapping (zero copy);
 *  - a gzip file (magic 1f 8b), or anything that cannot be mapped (a pipe),
 *    is inflated with zlib into a window buffer in chunks. peek() makes the
 *    next n bytes contiguous, moving the unread tail of the window to its
 *    start first, so a record split across two chunks is kept whole.
 * Pointers returned by peek() stay valid until the next peek() or close.
 */
#ifndef WB_FSTREAM_H
#define WB_FSTREAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Largest record any reader asks for at once. */
#define WB_FSTREAM_MAX_PEEK (16u << 20)

struct wb_fstream {
	int fd;
	int gzip;	    /* the file starts with the gzip magic */
	const uint8_t *map; /* mmap mode: the whole file */
	size_t maplen;
	size_t pos;   /* mmap mode: read position */
	void *gz;     /* stream mode: zlib gzFile */
	uint8_t *buf; /* stream mode: window, valid [head, tail) */
	size_t cap, head, tail;
	uint64_t base; /* stream mode: stream offset of buf[0] */
	int eof;
	int err;	    /* sticky: 0 or a negative code */
	uint64_t fsize; /* bytes of the file on disk (0: not a regular file) */
};

/*
 * Opens path. Returns 0, or -errno with wb_err set (the file is closed).
 */
int wb_fstream_open(struct wb_fstream *s, const char *path);

/*
 * Makes at least n bytes at the read position contiguous, if the data has
 * them, and points *p at them. Returns the number of contiguous bytes
 * available (>= n, or fewer only at the end of the data), or a negative
 * code: WB_PROTO_TRUNCATED for a gzip stream cut short, WB_PROTO_MALFORMED
 * for corrupt compressed data, -EIO for a read error (wb_err set in all
 * three cases). n must be <= WB_FSTREAM_MAX_PEEK.
 */
ssize_t wb_fstream_peek(struct wb_fstream *s, size_t n, const uint8_t **p);

/* Consumes n bytes; n must not exceed what the last peek() returned. */
static inline void
wb_fstream_skip(struct wb_fstream *s, size_t n)
{
	if (s->gz == NULL)
		s->pos += n;
	else
		s->head += n;
}

/* Offset of the read position in the (decompressed) data. */
static inline uint64_t
wb_fstream_offset(const struct wb_fstream *s)
{
	if (s->gz == NULL)
		return s->pos;
	return s->base + s->head;
}

/*
 * Progress through the file on disk: *done bytes of *total consumed (for a
 * gzip file, compressed bytes read by zlib; *total is 0 for a pipe).
 */
void wb_fstream_progress(const struct wb_fstream *s, uint64_t *done, uint64_t *total);

void wb_fstream_close(struct wb_fstream *s);

#endif /* WB_FSTREAM_H */
