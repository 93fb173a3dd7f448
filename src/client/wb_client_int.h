/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libwirebook's own header: the client handle and the helpers its two halves
 * share. wb_client.c is the ring side (open, subscribe, poll);
 * wb_client_info.c answers about the region (books, instruments, status,
 * channels, readers). The helpers are not exported: libwirebook.map lists
 * the public calls and makes everything else local.
 *
 * Caller-sized structs: wb_sized.h.
 */
#ifndef WB_CLIENT_INT_H
#define WB_CLIENT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "wirebook/wirebook.h"
#include "wb_shm.h"
#include "wb_sized.h"

#define WB_CLIENT_SEQ_TRIES 100000u

/* the WIREBOOK_2.0 sizes (wb_sized.h) are the sizes of this header's structs */
_Static_assert(sizeof(struct wb_client_opts) == WB_CLIENT_OPTS_MIN, "opts 2.0 size");
_Static_assert(sizeof(struct wb_client_book) == WB_CLIENT_BOOK_MIN, "book 2.0 size");
_Static_assert(sizeof(struct wb_client_status) == WB_CLIENT_STATUS_MIN, "status 2.0 size");
_Static_assert(sizeof(struct wb_client_channel) == WB_CLIENT_CHANNEL_MIN, "channel 2.0 size");
_Static_assert(sizeof(struct wb_client_reader) == WB_CLIENT_READER_MIN, "reader 2.0 size");
/* the instrument grew after 2.0: its 2.0 fields end where long_name starts,
 * in what was the 2.0 struct's tail padding */
_Static_assert(offsetof(struct wb_client_instrument, long_name) == 21 &&
		   WB_CLIENT_INSTRUMENT_MIN == 24,
	       "instrument 2.0 size");
_Static_assert(WB_CLIENT_LONG_NAME_LEN == WB_SHM_LONG_NAME_LEN, "long name as in the region");

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

uint64_t wb_client_start_pos(const struct wb_shm *shm);
int wb_client_dir_copy(const struct wb_client *c, uint32_t loc, struct wb_shm_dir *out);
void wb_client_pad_symbol(char out[8], const char *sym);
void wb_client_resolve(struct wb_client *c, const char *only);
void wb_client_register(struct wb_client *c);
void wb_client_unregister(struct wb_client *c);
int wb_client_sub_size(struct wb_client *c, uint32_t max_instruments);

#endif
