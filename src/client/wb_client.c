/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libwirebook: the reader side of the shm ABI (src/shm/wb_shm.h).
 *
 * The market-data region is mapped PROT_READ: the only stores a client makes
 * go to its own slot in the separate client file (cursor and counters, so the
 * daemon and `wirebook top` can watch lag). A reader that dies mid-poll
 * leaves nothing behind but that slot, which the next registration reclaims.
 *
 * Queries about the region (books, instruments, liveness, status) are in
 * wb_client_info.c; wb_client_int.h has what both share.
 */
#include "wirebook/wirebook.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wb_client_int.h"
#include "wb_err.h"

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

/* The caller's options over the defaults, as far as its size goes. */
static int
wb_client_opts_read(const struct wb_client_opts *in, struct wb_client_opts *o)
{
	int rc;

	wb_client_opts_default(o);
	if (in == NULL)
		return 0;
	rc = wb_sized_ok("wb_client_open: opts", in->size, WB_CLIENT_OPTS_MIN);
	if (rc != 0)
		return rc;
	memcpy(o, in, in->size < sizeof(*o) ? in->size : sizeof(*o));
	o->size = sizeof(*o);
	if (o->alive_timeout_ns == 0)
		o->alive_timeout_ns = WB_CLIENT_ALIVE_TIMEOUT_NS;
	return 0;
}

/* First position whose events the snapshots may not reflect yet. */
uint64_t
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

int
wb_client_dir_copy(const struct wb_client *c, uint32_t loc, struct wb_shm_dir *out)
{
	const struct wb_shm_dir *d = &c->shm.dir[loc];

	return wb_shm_seq_copy(&d->seq, (unsigned char *)out + 4, (const unsigned char *)d + 4,
			       sizeof(*out) - 4, WB_CLIENT_SEQ_TRIES);
}

void
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
void
wb_client_resolve(struct wb_client *c, const char *only)
{
	struct wb_shm_dir d;
	char sym[8];
	uint32_t i;

	if (only == NULL)
		memset(c->sub_bits, 0, c->sub_words * sizeof(*c->sub_bits));
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

void
wb_client_register(struct wb_client *c)
{
	c->slot = -1;
	if (!c->no_register)
		c->slot = wb_shm_client_claim(&c->shm);
	if (c->slot < 0)
		c->slot = -1;
}

void
wb_client_unregister(struct wb_client *c)
{
	if (c->slot >= 0)
		wb_shm_client_release(&c->shm, c->slot);
	c->slot = -1;
}

/*
 * Subscription bits for a region of max_instruments ids, all clear (the
 * caller resolves them again). 0, or -ENOMEM with the old bits kept.
 */
int
wb_client_sub_size(struct wb_client *c, uint32_t max_instruments)
{
	uint32_t words = (uint32_t)(((uint64_t)max_instruments + 63) / 64);
	uint64_t *bits = calloc(words, sizeof(*bits));

	if (bits == NULL)
		return wb_err_set(ENOMEM, "wb_client: out of memory for %u instruments",
				  max_instruments);
	free(c->sub_bits);
	c->sub_bits = bits;
	c->sub_words = words;
	return 0;
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
	if (rc == 0) {
		rc = wb_client_sub_size(c, c->shm.max_instruments);
		if (rc != 0)
			wb_shm_detach(&c->shm);
	}
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
	free(c->sub_bits);
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

