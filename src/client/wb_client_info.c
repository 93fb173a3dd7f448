/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libwirebook: what a client asks about the region besides the ring: books,
 * instruments, liveness and status, channels, readers, clocks.
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
 */
#include "wirebook/wirebook.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "wb_client_int.h"
#include "wb_err.h"
#include "wb_tsc.h"

/* wb_client_wait_open(): time between two attempts */
#define WB_CLIENT_WAIT_STEP_NS 5000000ull

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

	rc = wb_sized_ok("wb_client_book", size, WB_CLIENT_BOOK_MIN);
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
		wb_sized_give(out, size, &tmp, sizeof(tmp));
	return rc;
}

int
wb_client_instrument(struct wb_client *c, uint32_t id, struct wb_client_instrument *out)
{
	struct wb_client_instrument in;
	struct wb_shm_dir d;
	int rc;

	rc = wb_sized_ok("wb_client_instrument", out->size, WB_CLIENT_INSTRUMENT_MIN);
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
	/* Only for a caller whose struct has all of it: a 2.0 caller's 24
	 * bytes end 3 bytes into it, in what is padding to that caller, and
	 * get the zeroes they always got. At most 21 characters: the NUL is
	 * in.long_name's last byte, whatever the region's entry holds. */
	if (out->size >= offsetof(struct wb_client_instrument, long_name) + sizeof(in.long_name))
		memcpy(in.long_name, d.long_name, sizeof(in.long_name) - 1);
	wb_sized_give(out, out->size, &in, sizeof(in));
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
	if (fresh.hdr->epoch_ns == c->shm.hdr->epoch_ns ||
	    wb_client_sub_size(c, fresh.max_instruments) != 0) {
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

	rc = wb_sized_ok("wb_client_status", out->size, WB_CLIENT_STATUS_MIN);
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
	wb_sized_give(out, out->size, st, sizeof(*st));
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

	rc = wb_sized_ok("wb_client_channels", size, WB_CLIENT_CHANNEL_MIN);
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
		wb_sized_give((unsigned char *)out + (size_t)i * size, size, &ch, sizeof(ch));
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

	rc = wb_sized_ok("wb_client_readers", size, WB_CLIENT_READER_MIN);
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
		wb_sized_give((unsigned char *)out + (size_t)k * size, size, &r, sizeof(r));
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
