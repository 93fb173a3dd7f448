/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libwirebook: the reader side of the shm ABI (src/shm/wb_shm.h).
 *
 * The market-data region is mapped PROT_READ: the only stores a client makes
 * go to its own slot in the separate client file (cursor and counters, so the
 * daemon and `wirebook top` can watch lag). A reader that dies mid-poll
 * leaves nothing behind but that slot, which the next registration reclaims.
 *
 * Liveness: the daemon holds its name's lock (wb_shm_owner_alive) for as
 * long as it lives, and the kernel drops it when the daemon dies, however
 * it dies: a free lock, or a region no longer at the name, is death at
 * once, with no timeout to tune. The heartbeat (the main lcore stores
 * CLOCK_MONOTONIC_RAW every millisecond) only tells a stalled daemon: older
 * than alive_timeout_ns (default 1 s) is not alive. 5 ms was the default
 * and called an idle daemon dead 20 times in 8 s on an idle shared 2-core
 * host, 46 times in 10 s with it busy (largest age 32 ms; hb_flips,
 * docs/reliability.md). A restarted daemon renames a fresh region over the
 * old path; status() then sees a new inode, maps it, checks the epoch
 * changed, and moves over.
 *
 * Caller-sized structs (wirebook.h): each starts with the size the caller
 * was compiled with. The library refuses one smaller than its WIREBOOK_2.0
 * size (WB_CLIENT_*_MIN below: those numbers never change), fills the rest
 * up to the smaller of the two sizes and zeroes what a newer caller has
 * beyond what this library knows.
 */
#include "wirebook/wirebook.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wb_err.h"
#include "wb_shm.h"
#include "wb_tsc.h"

#define WB_CLIENT_SEQ_TRIES 100000u
/* wb_client_wait_open(): time between two attempts */
#define WB_CLIENT_WAIT_STEP_NS 5000000ull

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
	uint64_t sub_bits[65536 / 64];
};

const char *
wb_client_version(void)
{
	return WB_VERSION;
}

const char *
wb_client_last_error(void)
{
	return wb_err_msg();
}

/* -EINVAL naming the function when the caller's struct is older than 2.0. */
static int
wb_client_size_ok(const char *fn, uint32_t size, uint32_t min)
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
 * ignored) to a caller whose struct is `size` bytes: the bytes both know,
 * zeroes beyond what the library knows, the caller's size left as it was.
 */
static void
wb_client_give(void *dst, uint32_t size, const void *src, size_t len)
{
	size_t n = size < len ? size : len;

	memcpy((unsigned char *)dst + 4, (const unsigned char *)src + 4, n - 4);
	if (size > len)
		memset((unsigned char *)dst + len, 0, size - len);
	memcpy(dst, &size, 4);
}

/* The caller's options over the defaults, as far as its size goes. */
static int
wb_client_opts_read(const struct wb_client_opts *in, struct wb_client_opts *o)
{
	int rc;

	wb_client_opts_default(o);
	if (in == NULL)
		return 0;
	rc = wb_client_size_ok("wb_client_open: opts", in->size, WB_CLIENT_OPTS_MIN);
	if (rc != 0)
		return rc;
	memcpy(o, in, in->size < sizeof(*o) ? in->size : sizeof(*o));
	o->size = sizeof(*o);
	if (o->alive_timeout_ns == 0)
		o->alive_timeout_ns = WB_CLIENT_ALIVE_TIMEOUT_NS;
	return 0;
}

/* First position whose events the snapshots may not reflect yet. */
static uint64_t
wb_client_start_pos(const struct wb_shm *shm)
{
	/* acquire: pairs with the release store of snap_pos in wb_pub_on_burst_end() */
	uint64_t sp = atomic_load_explicit(&shm->hdr->snap_pos, memory_order_acquire);
	/* acquire: pairs with the release tail store in wb_shm_ring_push() */
	uint64_t tail = atomic_load_explicit(&shm->hdr->tail, memory_order_acquire);

	if (sp > tail || tail - sp > shm->ring_mask)
		return tail;
	return sp;
}

static int
wb_client_dir_copy(const struct wb_client *c, uint32_t loc, struct wb_shm_dir *out)
{
	const struct wb_shm_dir *d = &c->shm.dir[loc];

	return wb_shm_seq_copy(&d->seq, (unsigned char *)out + 4, (const unsigned char *)d + 4,
			       sizeof(*out) - 4, WB_CLIENT_SEQ_TRIES);
}

static void
wb_client_pad_symbol(char out[8], const char *sym)
{
	size_t n = strlen(sym);

	memset(out, 0, 8);
	memcpy(out, sym, n > 8 ? 8 : n);
}

static int
wb_client_sym_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 8);
}

/* Is this NUL-padded symbol subscribed? (syms is kept sorted) */
static int
wb_client_has_sym(const struct wb_client *c, const char sym[8])
{
	return c->nsyms != 0 && bsearch(sym, c->syms, c->nsyms, 8, wb_client_sym_cmp) != NULL;
}

/*
 * Marks the locates of subscribed symbols already in the directory: all of
 * them (only != NULL: just that one, after a subscribe).
 */
static void
wb_client_resolve(struct wb_client *c, const char *only)
{
	struct wb_shm_dir d;
	char sym[8];
	uint32_t i;

	if (only == NULL)
		memset(c->sub_bits, 0, sizeof(c->sub_bits));
	if (c->nsyms == 0)
		return;
	for (i = 0; i < c->shm.max_instruments; i++) {
		if (wb_client_dir_copy(c, i, &d) != 0 || !d.known)
			continue;
		wb_client_pad_symbol(sym, d.symbol);
		if (only != NULL ? memcmp(sym, only, 8) == 0 : wb_client_has_sym(c, sym))
			c->sub_bits[i >> 6] |= 1ull << (i & 63);
	}
}

static void
wb_client_register(struct wb_client *c)
{
	c->slot = -1;
	if (!c->no_register)
		c->slot = wb_shm_client_claim(&c->shm);
	if (c->slot < 0)
		c->slot = -1;
}

static void
wb_client_unregister(struct wb_client *c)
{
	if (c->slot >= 0)
		wb_shm_client_release(&c->shm, c->slot);
	c->slot = -1;
}

struct wb_client *
wb_client_open(const char *name, const struct wb_client_opts *in)
{
	struct wb_client_opts o, *opts = &o;
	struct wb_client *c;
	int rc;

	rc = wb_client_opts_read(in, &o);
	if (rc != 0) {
		errno = -rc;
		return NULL;
	}
	if (name == NULL || strlen(name) >= sizeof(c->name) ||
	    (opts->dir != NULL && strlen(opts->dir) >= sizeof(c->dir))) {
		wb_err_set(EINVAL, "wb_client_open: name or dir missing or too long");
		errno = EINVAL;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		wb_err_set(ENOMEM, "wb_client_open: out of memory");
		errno = ENOMEM;
		return NULL;
	}
	rc = wb_shm_attach(&c->shm, opts->dir, name);
	if (rc != 0) {
		free(c);
		wb_err_append(-rc, "wb_client_open '%s'", name);
		errno = -rc;
		return NULL;
	}
	snprintf(c->name, sizeof(c->name), "%s", name);
	if (opts->dir != NULL) {
		snprintf(c->dir, sizeof(c->dir), "%s", opts->dir);
		c->has_dir = 1;
	}
	c->alive_timeout_ns = opts->alive_timeout_ns;
	c->no_register = opts->no_register;
	c->cursor = wb_client_start_pos(&c->shm);
	wb_client_register(c);
	return c;
}

void
wb_client_close(struct wb_client *c)
{
	if (c == NULL)
		return;
	wb_client_unregister(c);
	wb_shm_detach(&c->shm);
	free(c->syms);
	free(c);
}

int
wb_client_subscribe(struct wb_client *c, const char *symbol)
{
	char want[8];
	size_t n;

	if (symbol == NULL || strcmp(symbol, "*") == 0) {
		c->all = 1;
		return 0;
	}
	n = strlen(symbol);
	if (n == 0 || n > 8)
		return wb_err_set(EINVAL, "wb_client_subscribe: '%s' is not 1 to 8 characters",
				  symbol);
	if (c->nsyms == c->capsyms) {
		unsigned int cap = c->capsyms ? c->capsyms * 2 : 8;
		char(*s)[8] = realloc(c->syms, cap * sizeof(*s));

		if (s == NULL)
			return wb_err_set(ENOMEM, "wb_client_subscribe: out of memory");
		c->syms = s;
		c->capsyms = cap;
	}
	wb_client_pad_symbol(c->syms[c->nsyms], symbol);
	memcpy(want, c->syms[c->nsyms], 8);
	if (wb_client_has_sym(c, want))
		return 0;
	c->nsyms++;
	qsort(c->syms, c->nsyms, 8, wb_client_sym_cmp);
	wb_client_resolve(c, want);
	return 0;
}

/* A directory event for a symbol subscribed before the daemon knew it. */
static int
wb_client_dir_event(struct wb_client *c, const struct wb_event *ev)
{
	char sym[8];

	memcpy(sym, ev->u.directory.symbol, 8);
	if (!wb_client_has_sym(c, sym) || ev->instrument >= c->shm.max_instruments)
		return 0;
	c->sub_bits[ev->instrument >> 6] |= 1ull << (ev->instrument & 63);
	return 1;
}

static inline int
wb_client_wants(struct wb_client *c, const struct wb_event *ev)
{
	uint32_t i = ev->instrument;

	if (c->all || i == 0 || (i < c->shm.max_instruments && (c->sub_bits[i >> 6] >> (i & 63)) & 1))
		return 1;
	return ev->type == WB_EV_DIRECTORY && wb_client_dir_event(c, ev);
}

static void
wb_client_publish_cursor(struct wb_client *c)
{
	struct wb_shm_client *s;

	if (c->slot < 0)
		return;
	s = &c->shm.clients[c->slot];
	atomic_store_explicit(&s->cursor, c->cursor, memory_order_relaxed);
	atomic_store_explicit(&s->lapped, c->lapped, memory_order_relaxed);
	atomic_store_explicit(&s->missed, c->missed, memory_order_relaxed);
	atomic_store_explicit(&s->delivered, c->delivered, memory_order_relaxed);
}

int
wb_client_poll(struct wb_client *c, wb_client_event_fn fn, void *ctx, unsigned int max)
{
	const struct wb_shm_slot *ring = c->shm.ring;
	uint64_t mask = c->shm.ring_mask, pos = c->cursor, scanned = 0, np;
	struct wb_event ev;
	unsigned int n = 0;
	/* once a call: a reader more than a ring behind the tail is lapped,
	 * whatever its slot's 32-bit tag says (2^32 positions behind, it
	 * would match: docs/shm-abi.md) */
	int behind = wb_shm_ring_behind(c->shm.hdr, mask, pos), rc;

	while (n < max && scanned <= mask) {
		if (wb_unlikely(behind)) {
			rc = WB_SHM_RING_LAPPED;
			behind = 0;
		} else {
			rc = wb_shm_ring_read(ring, mask, pos, &ev);
		}
		if (rc == WB_SHM_RING_BUSY)
			rc = wb_shm_ring_busy_lapped(c->shm.hdr, mask, pos) ? WB_SHM_RING_LAPPED
									     : WB_SHM_RING_EMPTY;
		if (rc == WB_SHM_RING_EMPTY)
			break;
		if (wb_unlikely(rc == WB_SHM_RING_LAPPED)) {
			np = wb_shm_ring_resync(c->shm.hdr, pos);
			c->lapped++;
			c->missed += np - pos;
			memset(&ev, 0, sizeof(ev));
			ev.type = WB_CLIENT_EV_LAPPED;
			ev.u.gap.resume_pos = np;
			ev.u.gap.from_seq = pos;
			ev.u.gap.count = np - pos;
			pos = np;
			fn(ctx, &ev);
			n++;
			continue;
		}
		pos++;
		scanned++;
		if (!wb_client_wants(c, &ev))
			continue;
		fn(ctx, &ev);
		n++;
	}
	c->cursor = pos;
	c->delivered += n;
	if (n != 0 || scanned != 0)
		wb_client_publish_cursor(c);
	return (int)n;
}

/* wb_client_poll_batch(): the callback appends to the caller's array. */
struct wb_client_batch {
	struct wb_event *out;
	unsigned int n;
};

static void
wb_client_batch_put(void *ctx, const struct wb_event *ev)
{
	struct wb_client_batch *b = ctx;

	b->out[b->n++] = *ev;
}

/*
 * The same walk as wb_client_poll(), so that the ring protocol, laps and
 * subscriptions live in one place; the indirect call per event costs less
 * than a bounds check in a language binding would.
 */
int
wb_client_poll_batch(struct wb_client *c, struct wb_event *out, unsigned int max)
{
	struct wb_client_batch b = { out, 0 };

	if (out == NULL && max != 0)
		return wb_err_set(EINVAL, "wb_client_poll_batch: no array for %u events", max);
	return wb_client_poll(c, wb_client_batch_put, &b, max);
}

static int
wb_client_book_fill(struct wb_client *c, uint32_t locate, struct wb_client_book *out)
{
	unsigned char buf[sizeof(struct wb_shm_snap) + 2 * WB_SHM_MAX_DEPTH * sizeof(struct wb_shm_level)];
	const struct wb_shm_snap *s;
	struct wb_shm_snap *h = (struct wb_shm_snap *)(void *)buf;
	const struct wb_shm_level *lv;
	struct wb_shm_dir d;
	uint32_t depth = c->shm.depth, i;
	size_t len = sizeof(struct wb_shm_snap) + 2u * depth * sizeof(struct wb_shm_level);
	int rc;

	if (locate >= c->shm.max_instruments)
		return wb_err_set(EINVAL, "wb_client_book: instrument %u not below %u", locate,
				  c->shm.max_instruments);
	rc = wb_client_dir_copy(c, locate, &d);
	if (rc != 0)
		return wb_err_set(-rc, "wb_client_book: directory entry %u torn", locate);
	if (!d.known)
		return wb_err_set(ENOENT, "wb_client_book: instrument %u unknown", locate);
	s = wb_shm_snap_at(&c->shm, locate);
	rc = wb_shm_seq_copy(&s->seq, buf + 4, (const unsigned char *)s + 4, len - 4,
			     WB_CLIENT_SEQ_TRIES);
	if (rc != 0)
		return wb_err_set(-rc, "wb_client_book: snapshot %u torn", locate);
	memset(out, 0, offsetof(struct wb_client_book, bid));
	out->instrument = locate;
	memcpy(out->symbol, d.symbol, 8);
	out->symbol[8] = '\0';
	out->trading_state = d.trading_state;
	out->stale = d.stale;
	out->venue = d.venue;
	out->price_exp = d.price_exp;
	out->nbid = h->nbid > depth ? depth : h->nbid;
	out->nask = h->nask > depth ? depth : h->nask;
	out->last_seq = h->last_seq;
	out->exch_ts = h->exch_ts;
	out->rx_tsc = h->rx_tsc;
	out->last_trade_px = h->last_trade_px;
	out->last_trade_qty = h->last_trade_qty;
	out->last_trade_match = h->last_trade_match;
	out->updates = h->updates;
	lv = (const struct wb_shm_level *)(const void *)(buf + sizeof(struct wb_shm_snap));
	for (i = 0; i < out->nbid; i++) {
		out->bid[i].price = lv[i].price;
		out->bid[i].orders = lv[i].orders;
		out->bid[i].shares = lv[i].shares;
	}
	for (i = 0; i < out->nask; i++) {
		out->ask[i].price = lv[depth + i].price;
		out->ask[i].orders = lv[depth + i].orders;
		out->ask[i].shares = lv[depth + i].shares;
	}
	return 0;
}

int
wb_client_book(struct wb_client *c, uint32_t locate, struct wb_client_book *out)
{
	uint32_t size = out->size;
	struct wb_client_book tmp;
	int rc;

	rc = wb_client_size_ok("wb_client_book", size, WB_CLIENT_BOOK_MIN);
	if (rc != 0)
		return rc;
	if (size >= sizeof(*out)) { /* this header or a newer one: in place */
		rc = wb_client_book_fill(c, locate, out);
		out->size = size;
		if (rc == 0 && size > sizeof(*out))
			memset((unsigned char *)out + sizeof(*out), 0, size - sizeof(*out));
		return rc;
	}
	/* an older header (a later library): through a copy, cut to its size */
	rc = wb_client_book_fill(c, locate, &tmp);
	if (rc == 0)
		wb_client_give(out, size, &tmp, sizeof(tmp));
	return rc;
}

int
wb_client_instrument(struct wb_client *c, uint32_t id, struct wb_client_instrument *out)
{
	struct wb_client_instrument in;
	struct wb_shm_dir d;
	int rc;

	rc = wb_client_size_ok("wb_client_instrument", out->size, WB_CLIENT_INSTRUMENT_MIN);
	if (rc != 0)
		return rc;
	if (id >= c->shm.max_instruments)
		return wb_err_set(EINVAL, "wb_client_instrument: id %u not below %u", id,
				  c->shm.max_instruments);
	rc = wb_client_dir_copy(c, id, &d);
	if (rc != 0)
		return wb_err_set(-rc, "wb_client_instrument: directory entry %u torn", id);
	if (!d.known)
		return wb_err_set(ENOENT, "wb_client_instrument: instrument %u unknown", id);
	memset(&in, 0, sizeof(in));
	in.id = id;
	memcpy(in.symbol, d.symbol, 8);
	in.symbol[8] = '\0';
	in.venue = d.venue;
	in.price_exp = d.price_exp;
	in.trading_state = d.trading_state;
	in.stale = d.stale;
	wb_client_give(out, out->size, &in, sizeof(in));
	return 0;
}

int
wb_client_lookup(struct wb_client *c, const char *symbol)
{
	struct wb_shm_dir d;
	char want[8], sym[8];
	uint32_t i;

	if (symbol == NULL || strlen(symbol) == 0 || strlen(symbol) > 8)
		return wb_err_set(ENOENT, "wb_client_lookup: '%s' is no symbol",
				  symbol != NULL ? symbol : "(null)");
	wb_client_pad_symbol(want, symbol);
	for (i = 0; i < c->shm.max_instruments; i++) {
		if (wb_client_dir_copy(c, i, &d) != 0 || !d.known)
			continue;
		wb_client_pad_symbol(sym, d.symbol);
		if (memcmp(sym, want, 8) == 0)
			return (int)i;
	}
	return wb_err_set(ENOENT, "wb_client_lookup: '%s' not in the directory", symbol);
}

uint32_t
wb_client_max_instruments(const struct wb_client *c)
{
	return c->shm.max_instruments;
}

/* Follows a restarted daemon: a different file at our path, with a new epoch. */
static int
wb_client_reattach(struct wb_client *c)
{
	const char *dir = c->has_dir ? c->dir : NULL;
	uint64_t ino = wb_shm_current_ino(dir, c->name);
	struct wb_shm fresh;

	if (ino == 0 || ino == c->shm.ino)
		return 0;
	if (wb_shm_attach(&fresh, dir, c->name) != 0)
		return 0;
	if (fresh.hdr->epoch_ns == c->shm.hdr->epoch_ns) {
		wb_shm_detach(&fresh);
		return 0;
	}
	wb_client_unregister(c);
	wb_shm_detach(&c->shm);
	c->shm = fresh;
	c->cursor = wb_client_start_pos(&c->shm);
	c->reattached++;
	wb_client_register(c);
	wb_client_resolve(c, NULL);
	return 1;
}

/*
 * 1 while the process that created the mapped region lives: the name's lock
 * is held and the name still leads to this region. Without a lock file (a
 * daemon from before the lock) the heartbeat alone decides.
 */
static int
wb_client_owner_alive(struct wb_client *c)
{
	int held = wb_shm_owner_alive(c->has_dir ? c->dir : NULL, c->name);

	if (held == 0)
		return 0;
	return wb_shm_current_ino(c->has_dir ? c->dir : NULL, c->name) == c->shm.ino;
}

/* The daemon state, heartbeat age and liveness of the mapped region. */
static int
wb_client_alive(struct wb_client *c, int *state, uint64_t *age)
{
	/* acquire: pairs with the release store in wb_publisher_set_state() */
	*state = (int)atomic_load_explicit(&c->shm.hdr->state, memory_order_acquire);
	*age = wb_shm_heartbeat_age(&c->shm);
	return (*state == WB_SHM_STATE_LIVE || *state == WB_SHM_STATE_STARTING) &&
	       *age <= c->alive_timeout_ns && wb_client_owner_alive(c);
}

int
wb_client_status(struct wb_client *c, struct wb_client_status *out)
{
	struct wb_client_status s, *st = &s;
	const struct wb_shm_hdr *h;
	struct wb_shm_dir d;
	int re = 0, pass, rc;
	uint32_t i;

	rc = wb_client_size_ok("wb_client_status", out->size, WB_CLIENT_STATUS_MIN);
	if (rc != 0)
		return rc;
	for (pass = 0; pass < 2; pass++) {
		h = c->shm.hdr;
		memset(st, 0, sizeof(*st));
		st->alive = wb_client_alive(c, &st->state, &st->heartbeat_age_ns);
		if (st->alive || pass == 1 || !wb_client_reattach(c))
			break;
		re = 1;
	}
	st->pid = h->creator_pid;
	st->epoch_ns = h->epoch_ns;
	/* acquire: pairs with the release tail store in wb_shm_ring_push() */
	st->tail = atomic_load_explicit(&h->tail, memory_order_acquire);
	st->cursor = c->cursor;
	st->lag = st->tail > c->cursor ? st->tail - c->cursor : 0;
	st->lapped = c->lapped;
	st->missed = c->missed;
	st->delivered = c->delivered;
	st->reattached = c->reattached;
	st->bursts = atomic_load_explicit(&h->bursts, memory_order_relaxed);
	st->snapshots = atomic_load_explicit(&h->snapshots, memory_order_relaxed);
	st->ring_slots = h->ring_slots;
	st->depth = h->depth;
	/* acquire: pairs with the release store in wb_publisher_attach() */
	st->channels = atomic_load_explicit(&h->nchannels, memory_order_acquire);
	st->feed_stale = (int)atomic_load_explicit(&h->stale, memory_order_relaxed);
	if (st->feed_stale) {
		for (i = 0; i < c->shm.max_instruments; i++)
			if (wb_client_dir_copy(c, i, &d) == 0 && d.known && d.stale)
				st->stale_instruments++;
	}
	wb_client_give(out, out->size, st, sizeof(*st));
	return re;
}

static const char *
wb_client_state_name(int state)
{
	switch (state) {
	case WB_SHM_STATE_STARTING:
		return "starting";
	case WB_SHM_STATE_LIVE:
		return "live";
	case WB_SHM_STATE_STOPPED:
		return "stopped";
	default:
		return "in an unknown state";
	}
}

struct wb_client *
wb_client_wait_open(const char *name, const struct wb_client_opts *opts, uint64_t timeout_ns)
{
	const struct timespec step = {0, (long)WB_CLIENT_WAIT_STEP_NS};
	uint64_t t0 = wb_mono_ns(), age;
	char last[160] = "nothing";
	struct wb_client *c;
	int state, e;

	for (;;) {
		c = wb_client_open(name, opts);
		if (c != NULL) {
			if (wb_client_alive(c, &state, &age))
				return c;
			/* why not: a stopped daemon, a dead one, a stalled one */
			snprintf(last, sizeof(last),
				 "a region whose daemon (pid %u) is %s, heartbeat %llu ms old%s",
				 c->shm.hdr->creator_pid, wb_client_state_name(state),
				 (unsigned long long)(age / 1000000u),
				 state != WB_SHM_STATE_STOPPED && !wb_client_owner_alive(c)
				     ? ", and gone (its name is not held)"
				     : "");
			wb_client_close(c);
		} else {
			e = errno;
			if (e != ENOENT)
				return NULL; /* waiting would not help: open's errno and text */
			snprintf(last, sizeof(last), "no region");
		}
		if (wb_mono_ns() - t0 >= timeout_ns)
			break;
		nanosleep(&step, NULL);
	}
	wb_err_set(ETIMEDOUT,
		   "wb_client_wait_open '%s': no live daemon after %llu ms (last seen: %s)", name,
		   (unsigned long long)(timeout_ns / 1000000u), last);
	errno = ETIMEDOUT;
	return NULL;
}

int
wb_client_channels(struct wb_client *c, struct wb_client_channel *out, unsigned int n)
{
	/* acquire: pairs with the release store in wb_publisher_attach() */
	uint32_t i, nch = atomic_load_explicit(&c->shm.hdr->nchannels, memory_order_acquire);
	uint32_t size = n != 0 ? out->size : WB_CLIENT_CHANNEL_MIN;
	struct wb_client_channel ch;
	int rc;

	rc = wb_client_size_ok("wb_client_channels", size, WB_CLIENT_CHANNEL_MIN);
	if (rc != 0)
		return rc;
	if (nch > WB_SHM_MAX_CHANNELS)
		nch = WB_SHM_MAX_CHANNELS;
	for (i = 0; i < nch && i < n; i++) {
		const struct wb_shm_chan *s = &c->shm.chan[i];

		memset(&ch, 0, sizeof(ch));
		ch.id = atomic_load_explicit(&s->id, memory_order_relaxed);
		ch.stale = (int)atomic_load_explicit(&s->stale, memory_order_relaxed);
		ch.datagrams = atomic_load_explicit(&s->datagrams, memory_order_relaxed);
		ch.bytes = atomic_load_explicit(&s->bytes, memory_order_relaxed);
		ch.messages = atomic_load_explicit(&s->messages, memory_order_relaxed);
		ch.bad_packets = atomic_load_explicit(&s->bad_packets, memory_order_relaxed);
		ch.bad_messages = atomic_load_explicit(&s->bad_messages, memory_order_relaxed);
		ch.gaps = atomic_load_explicit(&s->gaps, memory_order_relaxed);
		ch.gap_msgs = atomic_load_explicit(&s->gap_msgs, memory_order_relaxed);
		ch.dup_packets = atomic_load_explicit(&s->dup_packets, memory_order_relaxed);
		ch.events = atomic_load_explicit(&s->events, memory_order_relaxed);
		ch.bursts = atomic_load_explicit(&s->bursts, memory_order_relaxed);
		ch.bbo_changes = atomic_load_explicit(&s->bbo_changes, memory_order_relaxed);
		/* the caller's elements are its size apart */
		wb_client_give((unsigned char *)out + (size_t)i * size, size, &ch, sizeof(ch));
	}
	return (int)i;
}

int
wb_client_readers(struct wb_client *c, struct wb_client_reader *out, unsigned int n)
{
	/* acquire: pairs with the release tail store in wb_shm_ring_push() */
	uint64_t tail = atomic_load_explicit(&c->shm.hdr->tail, memory_order_acquire);
	uint32_t size = n != 0 ? out->size : WB_CLIENT_READER_MIN;
	struct wb_client_reader r;
	unsigned int i, k = 0;
	int rc;

	rc = wb_client_size_ok("wb_client_readers", size, WB_CLIENT_READER_MIN);
	if (rc != 0)
		return rc;
	if (c->shm.clients == NULL)
		return wb_err_set(ENOENT, "wb_client_readers: no access to the client file");
	for (i = 0; i < WB_SHM_MAX_CLIENTS && k < n; i++) {
		const struct wb_shm_client *s = &c->shm.clients[i];
		uint32_t pid = atomic_load_explicit(&s->pid, memory_order_relaxed);

		if (pid == 0)
			continue;
		memset(&r, 0, sizeof(r));
		r.pid = pid;
		r.cursor = atomic_load_explicit(&s->cursor, memory_order_relaxed);
		r.lag = tail > r.cursor ? tail - r.cursor : 0;
		r.lapped = atomic_load_explicit(&s->lapped, memory_order_relaxed);
		r.delivered = atomic_load_explicit(&s->delivered, memory_order_relaxed);
		/* the caller's elements are its size apart */
		wb_client_give((unsigned char *)out + (size_t)k * size, size, &r, sizeof(r));
		k++;
	}
	return (int)k;
}

double
wb_client_ns_per_tick(const struct wb_client *c)
{
	return c->shm.hdr->tsc_ns_per_tick;
}

uint64_t
wb_client_tsc_ns(const struct wb_client *c, uint64_t tsc)
{
	return wb_shm_tsc_ns(&c->shm, tsc);
}

int64_t
wb_client_since_ns(const struct wb_client *c, uint64_t tsc)
{
	double npt = c->shm.hdr->tsc_ns_per_tick;

	if (!(npt > 0.0))
		return 0;
	return (int64_t)((double)(int64_t)(wb_rdtsc() - tsc) * npt);
}
