/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Nasdaq BinaryFILE: a sequence of [u16 BE length][message] records, as in
 * Nasdaq's daily TotalView-ITCH files. Plain files are mmap'ed and records
 * are pointers into the mapping; gzip files (magic 1f 8b) are inflated in
 * chunks, never loaded whole (see wb_fstream.h).
 */
#ifndef WB_BINFILE_H
#define WB_BINFILE_H

#include <stddef.h>
#include <stdint.h>

#include "wb_proto.h"

struct wb_binfile;

/* Opens a plain or gzip'ed file. NULL with errno and wb_err set on failure. */
struct wb_binfile *wb_binfile_open(const char *path);

/*
 * Returns 1 and the next record (*msg valid until the next call), 0 at a
 * clean end of file, WB_PROTO_TRUNCATED if the file ends inside a record
 * (or a gzip stream is cut short), WB_PROTO_MALFORMED for corrupt gzip data,
 * -EIO on a read error (wb_err set for every negative code). A negative
 * result is sticky.
 */
int wb_binfile_next(struct wb_binfile *f, const uint8_t **msg, uint16_t *len);

/*
 * File offset (in the decompressed data) of the length prefix of the record
 * last returned, of the incomplete record after WB_PROTO_TRUNCATED, or the
 * file size after the clean end.
 */
uint64_t wb_binfile_offset(const struct wb_binfile *f);

/* Bytes of the file consumed so far and its size (0 if unknown). */
void wb_binfile_progress(const struct wb_binfile *f, uint64_t *done, uint64_t *total);

void wb_binfile_close(struct wb_binfile *f);

/*
 * Walks BinaryFILE records in memory. *off is the offset of the next length
 * prefix; on success it moves past the record. Returns 1 and the record,
 * 0 when *off == len, WB_PROTO_TRUNCATED if the buffer ends inside a record
 * (*off is left at that record), WB_PROTO_MALFORMED if *off > len.
 */
static inline int
wb_binfile_walk(const uint8_t *buf, size_t len, size_t *off, const uint8_t **msg, uint16_t *mlen)
{
	size_t o = *off, rest;
	uint16_t l;

	if (o >= len)
		return o == len ? 0 : WB_PROTO_MALFORMED;
	rest = len - o;
	if (rest < 2)
		return WB_PROTO_TRUNCATED;
	l = (uint16_t)((buf[o] << 8) | buf[o + 1]);
	if (rest - 2 < l)
		return WB_PROTO_TRUNCATED;
	*msg = buf + o + 2;
	*mlen = l;
	*off = o + 2 + l;
	return 1;
}

#endif /* WB_BINFILE_H */
