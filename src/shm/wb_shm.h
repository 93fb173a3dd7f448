/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shared-memory ABI between the daemon (one writer) and strategy
 * processes (readers). docs/shm-abi.md is the prose version of this file.
 *
 * Two files per daemon instance NAME, in DIR (hugetlbfs when mounted, else
 * /dev/shm):
 *   DIR/wirebook.NAME          market data, mode 0640, mapped PROT_READ by
 *                               clients: header, channel table, instrument
 *                               directory, L2 snapshots, event ring
 *   DIR/wirebook.NAME.clients  client registrations and reader cursors,
 *                               mode 0660, written by clients, only read by
 *                               the daemon (lag monitoring)
 * Splitting them is what lets a client be unable to corrupt market data: the
 * kernel, not convention, enforces read-only.
 *
 * Both files are built under a temporary name and rename()d into place, so a
 * reader never sees a half-initialised region, and a restarted daemon never
 * truncates a file an old client still has mapped (that would be SIGBUS).
 * The header's magic is stored last, with release; readers check it with
 * acquire, then the ABI version, then validate every offset against the
 * file size before trusting it.
 *
 * Synchronisation, all C11 atomics:
 *  - ring slots carry the low 32 bits of their position + 1 as a tag (1
 *    where that truncates to 0; wb_shm_ring_tag): the writer zeroes the tag,
 *    writes the body, then stores the new tag with release. A reader loads
 *    the tag (acquire), copies, fences (acquire) and reloads the tag: equal
 *    and == its position's tag means a clean copy; ahead of it (a signed
 *    32-bit difference) means it was lapped. A reader a multiple of 2^32
 *    positions behind would see its own tag again: the SDK checks the
 *    ring's tail once per poll call, which catches any reader more than a
 *    ring behind (docs/shm-abi.md).
 *  - directory entries and snapshots are seqlocks (odd = being written). The
 *    body is copied with memcpy between the two sequence loads, as DPDK's
 *    rte_seqlock does; a torn copy is always discarded.
 */
#ifndef WB_SHM_H
#define WB_SHM_H

#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wb_compiler.h"
#include "wirebook/event.h"

#define WB_SHM_MAGIC 0x4b4f4f4245524957ull	   /* "WIREBOOK" little-endian */
#define WB_SHM_CLIENTS_MAGIC 0x53544e4c43425757ull /* "WWBCLNTS" */
#define WB_SHM_ABI_VERSION 3u

#define WB_SHM_MAX_DEPTH 64u
#define WB_SHM_MAX_CHANNELS 8u
#define WB_SHM_MAX_CLIENTS 64u
#define WB_SHM_HDR_SIZE 4096u
#define WB_SHM_SYMBOL_LEN 12u
/* A venue's long name (a Cboe options OSI symbol: 21 characters) and its NUL. */
#define WB_SHM_LONG_NAME_LEN 22u
/*
 * Instrument ids a region holds: [0, max_instruments), max_instruments at
 * most 2^24. Events and directory entries carry a u32 id; the bound is
 * memory: each id costs a 64-byte directory entry and a snapshot of
 * 64 + 48 * depth bytes here (640 bytes at depth 10), and the feed's book
 * another 600 or so, so 2^24 ids is ~10 GiB of each. ITCH locates (u16)
 * need 65,536; a PITCH adapter numbers symbols as they come, which for a
 * region serving several Cboe units can be more.
 */
#define WB_SHM_MAX_INSTRUMENTS (1u << 24)
/* The largest region wb_shm_create makes (directory, snapshots and ring). */
#define WB_SHM_MAX_REGION (16ull << 30)

enum wb_shm_state {
	WB_SHM_STATE_STARTING = 1,
	WB_SHM_STATE_LIVE = 2,
	WB_SHM_STATE_STOPPED = 3,
};

_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "64-bit atomics must be lock-free in shared memory");
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "32-bit atomics must be lock-free in shared memory");

/*
 * A TSC reading and CLOCK_MONOTONIC_RAW taken back to back, under a seqlock
 * (seq odd while the main lcore rewrites it).
 */
struct wb_shm_clock {
	_Atomic uint32_t seq;
	uint32_t pad;
	uint64_t tsc;
	uint64_t ns;
};

_Static_assert(sizeof(struct wb_shm_clock) == 24, "clock anchor size");

/* Region header: the first page of the market-data file. */
struct wb_shm_hdr {
	/* line 0: identity and layout, immutable once magic is set */
	_Atomic uint64_t magic;
	uint32_t abi_version;
	uint32_t hdr_size;
	uint64_t region_size;
	uint64_t epoch_ns; /* CLOCK_REALTIME at creation: identifies this daemon run */
	uint32_t creator_pid;
	uint32_t depth; /* levels per side in each snapshot */
	uint32_t max_instruments;
	uint32_t ring_slots; /* power of two */
	uint32_t event_size;
	uint32_t dir_entry_size;
	uint32_t snap_stride;
	uint32_t max_channels;
	/* line 1: layout, continued */
	uint64_t chan_off;
	uint64_t dir_off;
	uint64_t snap_off;
	uint64_t ring_off;
	uint32_t chan_size;
	uint32_t level_size;
	char name[24];
	/* line 2: control, written by the main lcore */
	_Atomic uint32_t state;
	_Atomic uint32_t nchannels;
	_Atomic uint64_t heartbeat_ns; /* CLOCK_MONOTONIC_RAW, advanced ~every ms */
	_Atomic uint64_t heartbeat_count;
	uint8_t pad2[40];
	/* line 3: guard between the control line and the producer line */
	uint8_t guard3[WB_CACHE_LINE];
	/* line 4: producer, written by the rx lcore */
	_Atomic uint64_t tail;	   /* events published = next ring position */
	_Atomic uint64_t snap_pos; /* tail when the last snapshot pass ended */
	_Atomic uint64_t bursts;
	_Atomic uint64_t snapshots; /* snapshot rewrites */
	_Atomic uint64_t gaps;
	_Atomic uint32_t stale; /* 1 while any attached feed is stale */
	uint32_t pad4;
	uint8_t pad4b[16];
	/* line 5: guard */
	uint8_t guard5[WB_CACHE_LINE];
	/* line 6 (ABI 2): the daemon's TSC clock, so that clients can turn
	 * rx_tsc into nanoseconds. tsc_ns_per_tick is measured by the creator
	 * against CLOCK_MONOTONIC_RAW and immutable (0: unknown); the anchor is
	 * refreshed by the main lcore with the heartbeat. */
	double tsc_ns_per_tick;
	uint64_t tsc_hz; /* 1e9 / tsc_ns_per_tick, rounded; 0: unknown */
	struct wb_shm_clock clock;
	uint8_t pad6[24];
};

_Static_assert(sizeof(struct wb_shm_hdr) == 7 * WB_CACHE_LINE, "header is 7 cache lines");
_Static_assert(offsetof(struct wb_shm_hdr, chan_off) == 64, "layout line");
_Static_assert(offsetof(struct wb_shm_hdr, state) == 128, "control line");
_Static_assert(offsetof(struct wb_shm_hdr, tail) == 256, "producer line");
_Static_assert(offsetof(struct wb_shm_hdr, guard5) == 320, "guard line");
_Static_assert(offsetof(struct wb_shm_hdr, tsc_ns_per_tick) == 384, "clock line");
_Static_assert(offsetof(struct wb_shm_hdr, clock) == 400, "clock anchor");

/* Per-channel health, 2 cache lines; counters written relaxed at burst end. */
struct wb_shm_chan {
	_Atomic uint32_t id;
	_Atomic uint32_t stale;
	_Atomic uint64_t datagrams;
	_Atomic uint64_t bytes;
	_Atomic uint64_t messages;
	_Atomic uint64_t bad_packets;
	_Atomic uint64_t bad_messages;
	_Atomic uint64_t gaps;
	_Atomic uint64_t gap_msgs;
	_Atomic uint64_t dup_packets;
	_Atomic uint64_t events;
	_Atomic uint64_t bursts;
	_Atomic uint64_t bbo_changes;
	uint8_t pad[32];
};

_Static_assert(sizeof(struct wb_shm_chan) == 2 * WB_CACHE_LINE, "channel entry size");

/*
 * Instrument directory entry, under its own seqlock (ABI 3: 64 bytes, with
 * the venue and the price exponent). long_name took 22 of the 30 bytes ABI 3
 * reserved for it, zero until then: a reader that predates it ignores those
 * bytes, and one that knows it reads an older daemon's zeros as no long
 * name, so the ABI version did not change. The last 8 stay reserved (zero).
 */
struct wb_shm_dir {
	_Atomic uint32_t seq;
	uint32_t instrument; /* its index: the id in its feed's directory */
	uint8_t known;
	uint8_t trading_state; /* 'T','H','P','Q' or 0 */
	uint8_t venue;         /* enum wb_venue */
	int8_t price_exp;      /* prices are integers of 10^price_exp */
	char symbol[WB_SHM_SYMBOL_LEN]; /* NUL terminated and padded */
	uint8_t reason[4];
	uint32_t round_lot_size;
	uint8_t market_category;
	uint8_t stale; /* 1: a gap made this book untrustworthy */
	/* the venue's long name (Cboe options: the OSI symbol, inner spaces
	 * kept; CFE futures: the report symbol), NUL terminated and padded;
	 * "" when it has none */
	char long_name[WB_SHM_LONG_NAME_LEN];
	uint8_t pad[8];
};

_Static_assert(sizeof(struct wb_shm_dir) == WB_CACHE_LINE, "directory entry size");
_Static_assert(offsetof(struct wb_shm_dir, symbol) == 12, "directory symbol offset");
_Static_assert(offsetof(struct wb_shm_dir, stale) == 33, "directory stale offset");
_Static_assert(offsetof(struct wb_shm_dir, long_name) == 34, "directory long name offset");

/* One price level; same layout as wb_level_info so the book writes it in place. */
struct wb_shm_level {
	int64_t price; /* 10^price_exp units */
	uint64_t shares;
	uint32_t orders;
	uint32_t pad;
};

_Static_assert(sizeof(struct wb_shm_level) == 24, "level size");

/* Snapshot header; `depth` bid levels then `depth` ask levels follow. */
struct wb_shm_snap {
	_Atomic uint32_t seq;
	uint8_t nbid;
	uint8_t nask;
	uint8_t pad[2];
	uint64_t last_seq; /* feed sequence of the last message applied to this book */
	uint64_t exch_ts;  /* its exchange timestamp */
	uint64_t rx_tsc;   /* its receive TSC */
	int64_t last_trade_px;
	uint32_t last_trade_qty; /* 32 bits, as an event's qty */
	uint32_t instrument;
	uint64_t last_trade_match;
	uint64_t updates; /* number of times this snapshot was written */
	struct wb_shm_level lv[];
};

_Static_assert(sizeof(struct wb_shm_snap) == WB_CACHE_LINE, "snapshot header is one line");
_Static_assert(offsetof(struct wb_shm_snap, last_seq) == 8, "snapshot last_seq offset");

/* Ring slot: the tag is wb_event.ring_tag, then the event body. */
struct wb_shm_slot {
	_Atomic uint32_t tag; /* wb_shm_ring_tag() of the event's position; 0 = being written */
	unsigned char body[WB_CACHE_LINE - 4];
};

_Static_assert(sizeof(struct wb_shm_slot) == sizeof(struct wb_event), "slot is one event");
_Static_assert(offsetof(struct wb_event, ring_tag) == 0, "ring_tag is the slot tag");

/* The tag of ring position pos: its low 32 bits + 1, with 0 (being
 * written) replaced by 1. */
static inline uint32_t
wb_shm_ring_tag(uint64_t pos)
{
	uint32_t t = (uint32_t)(pos + 1);

	/* GCC makes this lea, test, cmov: one instruction a commit less
	 * than t + (t == 0) (a sete and an add on a copy) */
	if (wb_unlikely(t == 0))
		t = 1;
	return t;
}

/* Client file: header then WB_SHM_MAX_CLIENTS slots. */
struct wb_shm_clients_hdr {
	_Atomic uint64_t magic;
	uint32_t abi_version;
	uint32_t max_clients;
	uint64_t epoch_ns; /* equal to the market-data region's */
	uint32_t slot_size;
	uint8_t pad[WB_CACHE_LINE - 28];
};

/* One registered reader; written only by the client that claimed it. */
struct wb_shm_client {
	_Atomic uint32_t pid; /* 0: free; claimed by compare-exchange */
	uint32_t pad;
	_Atomic uint64_t cursor; /* next ring position it will read */
	_Atomic uint64_t lapped;
	_Atomic uint64_t missed; /* events skipped by laps */
	_Atomic uint64_t delivered;
	_Atomic uint64_t attach_ns;
	uint8_t pad2[2 * WB_CACHE_LINE - 48];
};

_Static_assert(sizeof(struct wb_shm_clients_hdr) == WB_CACHE_LINE, "clients header");
_Static_assert(sizeof(struct wb_shm_client) == 2 * WB_CACHE_LINE, "client slot + guard line");

/* A mapped region: both files as seen by one process. */
struct wb_shm {
	struct wb_shm_hdr *hdr;
	size_t map_len;
	uint64_t ino; /* inode of the market-data file: a restart replaces it */
	struct wb_shm_chan *chan;
	struct wb_shm_dir *dir;
	unsigned char *snap;
	struct wb_shm_slot *ring;
	uint64_t ring_mask;
	uint32_t snap_stride;
	uint32_t depth;
	uint32_t max_instruments;
	int writable;
	struct wb_shm_clients_hdr *chdr; /* NULL if the client file could not be mapped */
	struct wb_shm_client *clients;
	size_t cmap_len;
	char path[512]; /* the market-data file (set by wb_shm_create) */
	int lock_fd;	/* creator: the name lock's file (valid when has_lock) */
	int has_lock;
};

struct wb_shm_params {
	const char *name;
	const char *dir; /* NULL: hugetlbfs if mounted, else /dev/shm */
	uint32_t ring_slots;
	uint32_t depth;
	uint32_t max_instruments;
	int gid;       /* -1: keep the creator's group */
	int numa_node; /* -1: no preference */
	double tsc_ns_per_tick; /* the creator's TSC calibration; 0: unknown */
};

/*
 * The name lock: DIR/wirebook.NAME.lock when the creator is given a
 * directory, WB_SHM_LOCK_DIR/wirebook.NAME.lock when it chooses one
 * (hugetlbfs or /dev/shm), carries an open-file-description write lock for as long as
 * the creator lives (wb_shm_create takes it, wb_shm_detach of the creator
 * releases it, and so does the kernel when the creator dies, however it
 * dies). A second creator of the name is refused while it is held, however
 * long the first one stalls; a dead creator's name is free at once.
 */
#define WB_SHM_LOCK_DIR "/dev/shm"
/*
 * 1: a live process holds NAME's lock (dir as given to the creator, NULL
 * when it chose); 0: nobody does; -ENOENT no lock file.
 */
int wb_shm_owner_alive(const char *dir, const char *name);
/* 0 if NAME is free now, else -EEXIST with wb_err_msg() naming the holder. */
int wb_shm_name_free(const char *dir, const char *name);
/*
 * The creator's side (wb_shm_region.c): the lock file's path (0 or
 * -ENAMETOOLONG); takes NAME's lock, returning its descriptor or -errno
 * (-EEXIST when held, wb_err_msg() naming the holder); takes the lock at
 * path only if it is free, quietly: the descriptor or -1.
 */
int wb_shm_lock_path(char *buf, size_t len, const char *dir, const char *name);
int wb_shm_lock_take(const char *dir, const char *name);
int wb_shm_lock_take_quiet(const char *path);

/* Fills the default path prefix for `dir` == NULL ("/dev/hugepages" or "/dev/shm"). */
const char *wb_shm_default_dir(void);
/* DIR/wirebook.NAME (+ ".clients" if clients). Returns -ENAMETOOLONG or 0. */
/*
 * The one rule for a region name (the daemon's --check and wb_shm_create
 * both apply it): 1 to 23 characters of [A-Za-z0-9_.-], not starting with
 * '.'. 0, or -EINVAL with why filled (and the same text in wb_err_msg()).
 */
int wb_shm_name_check(const char *name, char *why, size_t whylen);
int wb_shm_path(char *buf, size_t len, const char *dir, const char *name, int clients);
/* Removes DIR/wirebook.NAME, its client and stats files, whether or not they exist. */
void wb_shm_unlink(const char *dir, const char *name);

/* Where each part of a region goes, from its parameters (wb_shm_layout). */
struct wb_shm_layout {
	uint64_t chan_off, dir_off, snap_off, ring_off;
	uint64_t size; /* the file, rounded up to gran */
	uint32_t snap_stride;
};

/*
 * Checks ring_slots, depth and max_instruments and computes the layout in
 * 64 bits, the file rounded up to gran bytes (the page, or the huge page).
 * 0, or -EINVAL (a parameter out of its bounds) or -EFBIG (a region larger
 * than WB_SHM_MAX_REGION, or than this process can map) with wb_err_msg()
 * naming the parameter and the reason. wb_shm_create calls it; so does the
 * daemon's configuration check, to refuse before start-up.
 */
int wb_shm_layout(const struct wb_shm_params *p, uint64_t gran, struct wb_shm_layout *l);

/* Creates (replacing atomically) both files. 0 or -errno with wb_err_msg(). */
int wb_shm_create(struct wb_shm *shm, const struct wb_shm_params *p);
/*
 * Maps an existing region read-only (and its client file read-write when
 * permitted). dir NULL searches hugetlbfs then /dev/shm. 0 or -errno:
 * -ENOENT no such region, -EPROTO bad magic/version/layout, -EAGAIN being
 * created.
 */
int wb_shm_attach(struct wb_shm *shm, const char *dir, const char *name);
void wb_shm_detach(struct wb_shm *shm);
/* Inode of the file currently at DIR/wirebook.NAME, 0 if none. */
uint64_t wb_shm_current_ino(const char *dir, const char *name);

/*
 * Claims a free client slot (or one whose process is gone) for this process.
 * Returns its index, -ENOENT without a client file, -ENOSPC when full.
 */
int wb_shm_client_claim(struct wb_shm *shm);
void wb_shm_client_release(struct wb_shm *shm, int slot);

static inline struct wb_shm_snap *
wb_shm_snap_at(const struct wb_shm *shm, uint32_t locate)
{
	return (struct wb_shm_snap *)(void *)(shm->snap + (size_t)locate * shm->snap_stride);
}

/* Snapshot size for `depth`, rounded to a cache line. */
static inline uint32_t
wb_shm_snap_stride(uint32_t depth)
{
	uint32_t s = (uint32_t)sizeof(struct wb_shm_snap) +
		     2u * depth * (uint32_t)sizeof(struct wb_shm_level);

	return (s + WB_CACHE_LINE - 1) & ~(uint32_t)(WB_CACHE_LINE - 1);
}

/* Writer: stores a fresh (TSC, CLOCK_MONOTONIC_RAW) anchor under its seqlock. */
void wb_shm_clock_anchor(struct wb_shm *shm);
/*
 * Reader: CLOCK_MONOTONIC_RAW ns of a TSC value of the creator's clock, from
 * the latest anchor. 0 when the region carries no calibration.
 */
uint64_t wb_shm_tsc_ns(const struct wb_shm *shm, uint64_t tsc);

/* Heartbeat age in ns (0 if in the future). */
uint64_t wb_shm_heartbeat_age(const struct wb_shm *shm);

static inline void
wb_shm_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

/* Seqlock writer side: begin makes the sequence odd, end even again. */
static inline uint32_t
wb_shm_seq_begin(_Atomic uint32_t *seq)
{
	uint32_t s = atomic_load_explicit(seq, memory_order_relaxed) + 1u;

	atomic_store_explicit(seq, s, memory_order_relaxed);
	/* the odd value is visible before any byte of the new body */
	atomic_thread_fence(memory_order_release);
	return s;
}

static inline void
wb_shm_seq_end(_Atomic uint32_t *seq, uint32_t s)
{
	/* release: pairs with the acquire load in wb_shm_seq_copy() */
	atomic_store_explicit(seq, s + 1u, memory_order_release);
}

/*
 * Seqlock reader: copies len bytes of the body (after the 4-byte sequence)
 * into dst. Returns 0 on a consistent copy, -EAGAIN after `tries` torn ones.
 */
static inline int
wb_shm_seq_copy(const _Atomic uint32_t *seq, void *dst, const void *src, size_t len,
		unsigned int tries)
{
	uint32_t s0, s1;

	while (tries-- > 0) {
		/* acquire: pairs with the release store in wb_shm_seq_end() */
		s0 = atomic_load_explicit(seq, memory_order_acquire);
		if (s0 & 1u) {
			wb_shm_cpu_relax();
			continue;
		}
		memcpy(dst, src, len);
		/* the copy completes before the sequence is read again */
		atomic_thread_fence(memory_order_acquire);
		s1 = atomic_load_explicit(seq, memory_order_relaxed);
		if (s0 == s1)
			return 0;
	}
	return -EAGAIN;
}

/* Ring writer state (private to the producer). */
struct wb_shm_ring_w {
	struct wb_shm_slot *slots;
	struct wb_shm_hdr *hdr;
	uint64_t mask;
	uint64_t pos;
};

/*
 * Slots ahead of the writer that reserve prefetches: a ring larger than the
 * cache (64K slots are 4 MB) would make every event a store to a line last
 * written a lap ago and long evicted.
 */
#define WB_SHM_RING_AHEAD 8u

/*
 * The slot of the next event, as a wb_event to fill in place (ring_tag is
 * the slot's tag: leave it alone), then wb_shm_ring_commit(). Its tag is
 * cleared first, so readers see the slot as being written, never a mix of
 * old and new bytes. Reserving again without a commit returns the same
 * slot. Filling in place is what the daemon does: a copy of a just-built
 * event read it back with wide loads that could not be forwarded from the
 * many small stores that built it, and waited for the store buffer to drain.
 */
static inline struct wb_event *
wb_shm_ring_reserve(struct wb_shm_ring_w *w)
{
	struct wb_shm_slot *s = &w->slots[w->pos & w->mask];

	wb_prefetchw(&w->slots[(w->pos + WB_SHM_RING_AHEAD) & w->mask]);
	atomic_store_explicit(&s->tag, 0, memory_order_relaxed);
	/* a reader that sees any new body byte also sees the tag cleared */
	atomic_thread_fence(memory_order_release);
	return (struct wb_event *)(void *)s;
}

/*
 * Publishes the slot wb_shm_ring_reserve() returned. The caller passes it
 * back because it has it in a register: recomputing it from the ring's
 * base and mask reloaded them after every store of the event (they may
 * alias, as far as C knows).
 */
static inline void
wb_shm_ring_commit_slot(struct wb_shm_ring_w *w, struct wb_event *slot)
{
	uint64_t pos = w->pos;

	/* release: pairs with the acquire tag load in wb_shm_ring_read() */
	atomic_store_explicit(&((struct wb_shm_slot *)(void *)slot)->tag, wb_shm_ring_tag(pos),
			      memory_order_release);
	w->pos = pos + 1;
	/* release: pairs with the acquire tail loads of monitors and resync */
	atomic_store_explicit(&w->hdr->tail, pos + 1, memory_order_release);
}

/* Publishes the reserved slot, found from the position. */
static inline void
wb_shm_ring_commit(struct wb_shm_ring_w *w)
{
	wb_shm_ring_commit_slot(w, (struct wb_event *)(void *)&w->slots[w->pos & w->mask]);
}

/* Copies ev into the next slot and publishes it. */
static inline void
wb_shm_ring_push(struct wb_shm_ring_w *w, const struct wb_event *ev)
{
	struct wb_event *s = wb_shm_ring_reserve(w);

	memcpy((unsigned char *)s + 4, (const unsigned char *)ev + 4, sizeof(*ev) - 4);
	wb_shm_ring_commit_slot(w, s);
}

/* Results of wb_shm_ring_read(). */
#define WB_SHM_RING_EMPTY 0
#define WB_SHM_RING_EVENT 1
#define WB_SHM_RING_LAPPED (-1)
#define WB_SHM_RING_BUSY 2

/*
 * Copies the event at position pos into out. EMPTY: not written yet;
 * LAPPED: the writer has overwritten it; BUSY: the slot's tag is clear, so
 * it was never written or is being written, for pos (then it is EMPTY for
 * now) or for a position a lap or more ahead (then pos is lapped): only the
 * ring's tail tells which (wb_shm_ring_busy_lapped). Tags are 32 bits: a
 * slot's tag is ahead of pos's when their signed difference is positive,
 * which holds for any writer less than 2^31 positions ahead; a reader a
 * multiple of 2^32 positions behind reads a stale event as its own unless
 * the caller compares its position with the tail (wb_shm_ring_behind),
 * as the SDK does once per poll.
 */
static inline int
wb_shm_ring_read(const struct wb_shm_slot *slots, uint64_t mask, uint64_t pos, struct wb_event *out)
{
	const struct wb_shm_slot *s = &slots[pos & mask];
	uint32_t want = wb_shm_ring_tag(pos), t0, t1;

	/* acquire: pairs with the release tag store in wb_shm_ring_commit() */
	t0 = atomic_load_explicit(&s->tag, memory_order_acquire);
	if (t0 != want)
		return t0 == 0			  ? WB_SHM_RING_BUSY
		       : (int32_t)(t0 - want) > 0 ? WB_SHM_RING_LAPPED
						  : WB_SHM_RING_EMPTY;
	memcpy((unsigned char *)out + 4, s->body, sizeof(s->body));
	/* the copy completes before the tag is checked again */
	atomic_thread_fence(memory_order_acquire);
	t1 = atomic_load_explicit(&s->tag, memory_order_relaxed);
	if (wb_unlikely(t1 != t0))
		return WB_SHM_RING_LAPPED;
	out->ring_tag = t0;
	return WB_SHM_RING_EVENT;
}

/* 1 if a reader at pos is more than a ring behind the tail: lapped, whatever
 * its slot's tag says (the 32-bit tag cannot tell 2^32 positions apart). */
static inline int
wb_shm_ring_behind(const struct wb_shm_hdr *h, uint64_t mask, uint64_t pos)
{
	/* acquire: pairs with the release tail store in wb_shm_ring_commit() */
	uint64_t tail = atomic_load_explicit(&h->tail, memory_order_acquire);

	return tail > pos && tail - pos > mask + 1;
}

/* After BUSY at pos: 1 if the slot is being written for a later lap. */
static inline int
wb_shm_ring_busy_lapped(const struct wb_shm_hdr *h, uint64_t mask, uint64_t pos)
{
	/* acquire: pairs with the release tail store in wb_shm_ring_commit() */
	uint64_t tail = atomic_load_explicit(&h->tail, memory_order_acquire);

	/* the tag of pos - 1 is stored before the tail moves past it: a reader
	 * can be at pos while the tail still says pos - 1 */
	return tail > pos && tail - pos > mask;
}

/*
 * Where a lapped reader at pos resumes: the tail of the last completed
 * snapshot pass, so that snapshots read afterwards cover every event before
 * it. Falls back to the tail when that point is itself behind pos.
 */
static inline uint64_t
wb_shm_ring_resync(const struct wb_shm_hdr *hdr, uint64_t pos)
{
	/* acquire: pairs with the release store of snap_pos at the end of a burst */
	uint64_t sp = atomic_load_explicit(&hdr->snap_pos, memory_order_acquire);

	if (sp > pos)
		return sp;
	/* acquire: pairs with the release tail store in wb_shm_ring_push() */
	return atomic_load_explicit(&hdr->tail, memory_order_acquire);
}

#endif /* WB_SHM_H */
