/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SDK's caller-sized structs (wirebook.h): each starts with a uint32_t,
 * the size the caller was compiled with. A library refuses one smaller than
 * its WIREBOOK_2.0 size (the WB_CLIENT_*_MIN below: those numbers never
 * change), fills the rest up to the smaller of the two sizes and zeroes what
 * a newer caller has beyond what the library knows. libwirebook and
 * libwirebook-replay (wb_replay_book) both hand such structs out.
 */
#ifndef WB_SIZED_H
#define WB_SIZED_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wb_err.h"

/*
 * The WIREBOOK_2.0 sizes: the smallest each struct may be. When a field is
 * added, sizeof grows, these stay (libwirebook asserts them).
 */
#define WB_CLIENT_OPTS_MIN 24u
#define WB_CLIENT_BOOK_MIN 3160u
#define WB_CLIENT_STATUS_MIN 128u
#define WB_CLIENT_CHANNEL_MIN 104u
#define WB_CLIENT_READER_MIN 40u
#define WB_CLIENT_INSTRUMENT_MIN 24u

/* 0, or -EINVAL naming the call (fn) when the caller's struct is older than 2.0. */
static inline int
wb_sized_ok(const char *fn, uint32_t size, uint32_t min)
{
	if (size >= min)
		return 0;
	return wb_err_set(EINVAL,
			  "%s: size %u is smaller than %u, this library's smallest (set it with "
			  "the WB_CLIENT_*_INIT macro, or sizeof)",
			  fn, size, min);
}

/*
 * Hands a struct the library filled (src, len bytes, its size field
 * ignored) to a caller whose struct is `size` bytes (checked by
 * wb_sized_ok): the bytes both know, zeroes beyond what the library knows,
 * the caller's size left as it was.
 */
static inline void
wb_sized_give(void *dst, uint32_t size, const void *src, size_t len)
{
	size_t n = size < len ? size : len;

	memcpy((unsigned char *)dst + 4, (const unsigned char *)src + 4, n - 4);
	if (size > len)
		memset((unsigned char *)dst + len, 0, size - len);
	memcpy(dst, &size, 4);
}

#endif /* WB_SIZED_H */
