/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sequence marks: the smallest useful shared-memory output of a receiver,
 * one 16-byte record (MoldUDP64 sequence number, receive TSC) per datagram,
 * in a ring behind a single published count. The floor receiver
 * (wirebook-floor, the bare PMD) writes it; `wirebook bench e2e` reads it to
 * learn when each packet it sent had reached a receiver that does nothing
 * else, which is what the wire and the PMD alone cost.
 *
 * File DIR/wirebook-mark.NAME (DIR /dev/shm), built under a temporary name
 * and renamed into place; the magic is stored last with release. One writer:
 * it fills records, then stores the count with release once per burst. A
 * reader loads the count with acquire and copies the records below it; a
 * reader more than `slots` behind has lost the difference (it is told).
 */
#ifndef WB_MARK_H
#define WB_MARK_H

#include <stdatomic.h>
#include <stdint.h>

#include "wb_compiler.h"

#define WB_MARK_MAGIC 0x4b52414d42455257ull /* "WREBMARK" little-endian */
#define WB_MARK_VERSION 1u
/* The writer commits at least every this many records (one rx burst). */
#define WB_MARK_MAX_UNCOMMITTED 64u

struct wb_mark_hdr {
	_Atomic uint64_t magic;
	uint32_t version;
	uint32_t slots; /* power of two */
	uint32_t pid;
	uint32_t pad;
	double tsc_ns_per_tick; /* the writer's TSC calibration; 0: unknown */
	uint8_t pad0[WB_CACHE_LINE - 32];
	_Atomic uint64_t count; /* records written; record i is at i & (slots - 1) */
	_Atomic uint64_t other; /* frames that were not a datagram for us */
	uint8_t pad1[WB_CACHE_LINE - 16];
};

_Static_assert(sizeof(struct wb_mark_hdr) == 2 * WB_CACHE_LINE, "mark header");

struct wb_mark_rec {
	uint64_t seq;	 /* MoldUDP64 sequence number of the datagram's first message */
	uint64_t rx_tsc; /* TSC when its receive burst returned */
};

struct wb_mark {
	struct wb_mark_hdr *hdr;
	struct wb_mark_rec *rec;
	uint64_t mask;
	uint64_t pos; /* writer: next record; reader: next to read */
	size_t len;
	char path[256];
};

/* Creates DIR/wirebook-mark.NAME (dir NULL: /dev/shm). 0 or -errno. */
int wb_mark_create(struct wb_mark *m, const char *dir, const char *name, uint32_t slots,
		   double tsc_ns_per_tick);
/* Maps an existing one read-only; starts reading at its current count. 0 or -errno. */
int wb_mark_attach(struct wb_mark *m, const char *dir, const char *name);
void wb_mark_close(struct wb_mark *m);
/* Removes the file. */
void wb_mark_unlink(const char *dir, const char *name);

/* Writer: one record, not yet visible. */
static inline void
wb_mark_put(struct wb_mark *m, uint64_t seq, uint64_t rx_tsc)
{
	struct wb_mark_rec *r = &m->rec[m->pos & m->mask];

	r->seq = seq;
	r->rx_tsc = rx_tsc;
	m->pos++;
}

/* Writer: publishes every record put so far. */
static inline void
wb_mark_commit(struct wb_mark *m)
{
	/* release: pairs with the acquire count load in wb_mark_next() */
	atomic_store_explicit(&m->hdr->count, m->pos, memory_order_release);
}

/*
 * Reader: the next record into *out. 1 a record, 0 none yet; *lost counts
 * records overwritten before they could be read (the reader skips them).
 */
static inline int
wb_mark_next(struct wb_mark *m, struct wb_mark_rec *out, uint64_t *lost)
{
	/* acquire: pairs with the release store in wb_mark_commit() */
	uint64_t n = atomic_load_explicit(&m->hdr->count, memory_order_acquire);

	if (m->pos == n)
		return 0;
	/* lapped, or close enough that the writer may be filling our record:
	 * resume where the writer cannot reach before this copy is checked */
	if (n - m->pos + WB_MARK_MAX_UNCOMMITTED > m->mask + 1) {
		*lost += n - m->pos - (m->mask + 1 - 2 * WB_MARK_MAX_UNCOMMITTED);
		m->pos = n - (m->mask + 1 - 2 * WB_MARK_MAX_UNCOMMITTED);
	}
	*out = m->rec[m->pos & m->mask];
	/* the copy may have been overwritten meanwhile, by a record committed
	 * or only put: check the count again, with the writer's margin */
	atomic_thread_fence(memory_order_acquire);
	n = atomic_load_explicit(&m->hdr->count, memory_order_relaxed);
	if (n - m->pos + WB_MARK_MAX_UNCOMMITTED > m->mask + 1) {
		*lost += 1;
		m->pos++;
		return 0;
	}
	m->pos++;
	return 1;
}

#endif /* WB_MARK_H */
