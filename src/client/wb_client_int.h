/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libwirebook's own header: the client handle and the helpers its two halves
 * share. wb_client.c is the ring side (open, subscribe, poll);
 * wb_client_info.c answers about the region (books, instruments, status,
 * channels, readers). The helpers are not exported: libwirebook.map lists
 * the public calls and makes everything else local.
 *
 * Caller-sized structs (wirebook.h): each starts with the size the caller
 * was compiled with. The library refuses one smaller than its WIREBOOK_2.0
 * size (WB_CLIENT_*_MIN below: those numbers never change), fills the rest
 * up to the smaller of the two sizes and zeroes what a newer caller has
 * beyond what this library knows.
 */
#ifndef WB_CLIENT_INT_H
#define WB_CLIENT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "wirebook/wirebook.h"
#include "wb_shm.h"

#define WB_CLIENT_SEQ_TRIES 100000u

/*
 * The WIREBOOK_2.0 sizes: the smallest each struct may be. When a field is
 * added, sizeof grows, these stay, and the asserts become >=.
 */
#define WB_CLIENT_OPTS_MIN 24u
#define WB_CLIENT_BOOK_MIN 3160u
#define WB_CLIENT_STATUS_MIN 128u
#define WB_CLIENT_CHANNEL_MIN 104u
#define WB_CLIENT_READER_MIN 40u
#define WB_CLIENT_INSTRUMENT_MIN 24u
_Static_assert(sizeof(struct wb_client_opts) == WB_CLIENT_OPTS_MIN, "opts 2.0 size");
_Static_assert(sizeof(struct wb_client_book) == WB_CLIENT_BOOK_MIN, "book 2.0 size");
_Static_assert(sizeof(struct wb_client_status) == WB_CLIENT_STATUS_MIN, "status 2.0 size");
_Static_assert(sizeof(struct wb_client_channel) == WB_CLIENT_CHANNEL_MIN, "channel 2.0 size");
_Static_assert(sizeof(struct wb_client_reader) == WB_CLIENT_READER_MIN, "reader 2.0 size");
_Static_assert(sizeof(struct wb_client_instrument) == WB_CLIENT_INSTRUMENT_MIN,
	       "instrument 2.0 size");

struct wb_client {
	struct wb_shm shm;
	uint64_t cursor;
	uint64_t lapped;
	uint64_t missed;
	uint64_t delivered;
	uint64_t reattached;
	int slot; /* reader slot in the client file, -1 none */
	int all;
	uint64_t alive_timeout_ns;
	int no_register;
	unsigned int nsyms, capsyms;
	char (*syms)[8]; /* subscribed symbols, NUL padded */
	char name[32];
	char dir[256];
	int has_dir;
	uint64_t *sub_bits; /* a bit per instrument id of the mapped region */
	uint32_t sub_words;
};

int wb_client_size_ok(const char *fn, uint32_t size, uint32_t min);
void wb_client_give(void *dst, uint32_t size, const void *src, size_t len);
uint64_t wb_client_start_pos(const struct wb_shm *shm);
int wb_client_dir_copy(const struct wb_client *c, uint32_t loc, struct wb_shm_dir *out);
void wb_client_pad_symbol(char out[8], const char *sym);
void wb_client_resolve(struct wb_client *c, const char *only);
void wb_client_register(struct wb_client *c);
void wb_client_unregister(struct wb_client *c);
int wb_client_sub_size(struct wb_client *c, uint32_t max_instruments);

#endif
