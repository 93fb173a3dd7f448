/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shm ABI in one process: file modes, header validation, the ring's lap
 * detection and resync point, the seqlocks, snapshots equal to the book,
 * gap -> stale, and the kernel refusing a client's write.
 */
#include "wb_test.h"

#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "pubdrv.h"
#include "wb_mark.h"
#include "wb_shm.h"
#include "wb_moldudp64.h"
#include "wirebook/wirebook.h"

static void
mkparams(struct wb_shm_params *p, const char *name, uint32_t slots)
{
	memset(p, 0, sizeof(*p));
	p->name = name;
	p->dir = PUBDRV_DIR;
	p->ring_slots = slots;
	p->depth = 10;
	p->max_instruments = 64;
	p->gid = (int)getgid();
	p->numa_node = -1;
}

static void
test_create_attach(void **state)
{
	struct wb_shm_params p;
	struct wb_shm w, r;
	struct stat st;
	char name[32], path[256];

	(void)state;
	pubdrv_name(name, sizeof(name), "ca");
	mkparams(&p, name, 1024);
	assert_int_equal(wb_shm_create(&w, &p), 0);
	snprintf(path, sizeof(path), PUBDRV_DIR "/wirebook.%s", name);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_int_equal(st.st_gid, getgid());
	snprintf(path, sizeof(path), PUBDRV_DIR "/wirebook.%s.clients", name);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0660);

	assert_int_equal(wb_shm_attach(&r, PUBDRV_DIR, name), 0);
	assert_int_equal(r.writable, 0);
	assert_int_equal(r.hdr->ring_slots, 1024);
	assert_int_equal(r.depth, 10);
	assert_int_equal(r.max_instruments, 64);
	assert_true(r.hdr->epoch_ns == w.hdr->epoch_ns);
	assert_int_equal(r.hdr->creator_pid, getpid());
	assert_int_equal(atomic_load(&r.hdr->state), WB_SHM_STATE_STARTING);
	assert_non_null(r.clients);
	assert_int_equal(wb_shm_client_claim(&r), 0);
	assert_int_equal(atomic_load(&w.clients[0].pid), getpid());
	wb_shm_client_release(&r, 0);
	assert_int_equal(atomic_load(&w.clients[0].pid), 0);
	wb_shm_detach(&r);

	/* a version this build does not know is refused */
	w.hdr->abi_version = 99;
	assert_int_equal(wb_shm_attach(&r, PUBDRV_DIR, name), -EPROTO);
	w.hdr->abi_version = WB_SHM_ABI_VERSION;
	/* as is a layout that does not fit the file */
	w.hdr->ring_off = w.hdr->region_size;
	assert_int_equal(wb_shm_attach(&r, PUBDRV_DIR, name), -EPROTO);
	wb_shm_detach(&w);
	pubdrv_unlink(name);
	assert_int_equal(wb_shm_attach(&r, PUBDRV_DIR, name), -ENOENT);
	/* bad parameters */
	mkparams(&p, name, 1000);
	assert_int_equal(wb_shm_create(&w, &p), -EINVAL);
	mkparams(&p, "a/b", 1024);
	assert_int_equal(wb_shm_create(&w, &p), -EINVAL);
}

/* The published TSC calibration: exact arithmetic from the anchor, the SDK's view. */
static void
test_clock(void **state)
{
	struct wb_client_opts o;
	struct wb_shm_params p;
	struct wb_client *c;
	struct wb_shm w;
	uint64_t t, n;
	char name[32];

	(void)state;
	pubdrv_name(name, sizeof(name), "ck");
	mkparams(&p, name, 1024);
	/* no calibration: the SDK says so rather than inventing one */
	assert_int_equal(wb_shm_create(&w, &p), 0);
	wb_client_opts_default(&o);
	o.dir = PUBDRV_DIR;
	o.no_register = 1;
	c = wb_client_open(name, &o);
	assert_non_null(c);
	assert_true(wb_client_ns_per_tick(c) == 0.0);
	assert_true(wb_client_tsc_ns(c, 12345) == 0);
	assert_true(wb_client_since_ns(c, 12345) == 0);
	wb_client_close(c);
	wb_shm_detach(&w);
	pubdrv_unlink(name);

	p.tsc_ns_per_tick = 0.25; /* a 4 GHz TSC */
	assert_int_equal(wb_shm_create(&w, &p), 0);
	assert_true(w.hdr->tsc_hz == 4000000000ull);
	c = wb_client_open(name, &o);
	assert_non_null(c);
	assert_true(wb_client_ns_per_tick(c) == 0.25);
	/* an anchor the test chooses: conversions are exact on either side */
	w.hdr->clock.tsc = 1000000;
	w.hdr->clock.ns = 5000000;
	assert_true(wb_client_tsc_ns(c, 1000000) == 5000000);
	assert_true(wb_client_tsc_ns(c, 1004000) == 5001000);
	assert_true(wb_client_tsc_ns(c, 996000) == 4999000);
	/* a torn anchor (odd sequence) is not used */
	atomic_store(&w.hdr->clock.seq, 1);
	assert_true(wb_client_tsc_ns(c, 1000000) == 0);
	atomic_store(&w.hdr->clock.seq, 2);
	/* a fresh anchor maps now to about now (the same clock, read twice) */
	wb_shm_clock_anchor(&w);
	t = w.hdr->clock.tsc;
	n = w.hdr->clock.ns;
	assert_true(atomic_load(&w.hdr->clock.seq) % 2 == 0);
	assert_true(wb_client_tsc_ns(c, t) == n);
	assert_true(wb_client_since_ns(c, wb_rdtsc() + 4000000) < 0);
	wb_client_close(c);
	wb_shm_detach(&w);
	pubdrv_unlink(name);
}

/* The floor's mark ring: order, commit visibility, laps counted as lost. */
static void
test_marks(void **state)
{
	struct wb_mark w, r;
	struct wb_mark_rec rec = {0, 0};
	uint64_t lost = 0, i;
	char name[32];

	(void)state;
	pubdrv_name(name, sizeof(name), "mk");
	assert_int_equal(wb_mark_create(&w, PUBDRV_DIR, name, 1000, 0.5), -EINVAL);
	assert_int_equal(wb_mark_create(&w, PUBDRV_DIR, name, 128, 0.5), -EINVAL);
	assert_int_equal(wb_mark_create(&w, PUBDRV_DIR, name, 256, 0.5), 0);
	assert_int_equal(wb_mark_attach(&r, PUBDRV_DIR, name), 0);
	assert_true(r.hdr->tsc_ns_per_tick == 0.5);
	/* put but not committed: invisible */
	wb_mark_put(&w, 7, 70);
	assert_int_equal(wb_mark_next(&r, &rec, &lost), 0);
	wb_mark_commit(&w);
	assert_int_equal(wb_mark_next(&r, &rec, &lost), 1);
	assert_true(rec.seq == 7 && rec.rx_tsc == 70);
	assert_int_equal(wb_mark_next(&r, &rec, &lost), 0);
	/* a reader a whole ring behind loses the overwritten records, and says so */
	for (i = 0; i < 1000; i++) {
		wb_mark_put(&w, 100 + i, i);
		if (i % 32 == 31)
			wb_mark_commit(&w);
	}
	wb_mark_commit(&w);
	assert_int_equal(wb_mark_next(&r, &rec, &lost), 1);
	/* 1000 written into 256 slots: the reader resumes 128 behind the writer */
	assert_true(lost == 1000 - 128);
	assert_true(rec.seq == 100 + lost);
	i = 1;
	while (wb_mark_next(&r, &rec, &lost) == 1)
		i++;
	assert_true(i + lost == 1000);
	assert_true(rec.seq == 1099);
	wb_mark_close(&r);
	wb_mark_close(&w);
	wb_mark_unlink(PUBDRV_DIR, name);
	assert_int_equal(wb_mark_attach(&r, PUBDRV_DIR, name), -ENOENT);
}

static void
test_ring_lap(void **state)
{
	struct wb_shm_params p;
	struct wb_shm_ring_w rw;
	struct wb_event ev, out;
	struct wb_shm w;
	char name[32];
	uint64_t i;

	(void)state;
	pubdrv_name(name, sizeof(name), "ring");
	mkparams(&p, name, 8);
	assert_int_equal(wb_shm_create(&w, &p), 0);
	rw.slots = w.ring;
	rw.hdr = w.hdr;
	rw.mask = w.ring_mask;
	rw.pos = 0;
	memset(&ev, 0, sizeof(ev));
	/* never written: the tag is clear, and the tail says it is not lapped */
	assert_int_equal(wb_shm_ring_read(w.ring, w.ring_mask, 0, &out), WB_SHM_RING_BUSY);
	assert_false(wb_shm_ring_busy_lapped(w.hdr, w.ring_mask, 0));
	for (i = 0; i < 5; i++) {
		ev.seq = 100 + i;
		wb_shm_ring_push(&rw, &ev);
	}
	for (i = 0; i < 5; i++) {
		assert_int_equal(wb_shm_ring_read(w.ring, w.ring_mask, i, &out), WB_SHM_RING_EVENT);
		assert_true(out.seq == 100 + i);
		assert_true(out.ring_tag == (uint32_t)(i + 1));
	}
	assert_int_equal(wb_shm_ring_read(w.ring, w.ring_mask, 5, &out), WB_SHM_RING_BUSY);
	assert_false(wb_shm_ring_busy_lapped(w.hdr, w.ring_mask, 5));
	/* 20 events into 8 slots: positions 0..11 are gone */
	for (i = 5; i < 20; i++) {
		ev.seq = 100 + i;
		wb_shm_ring_push(&rw, &ev);
	}
	assert_true(atomic_load(&w.hdr->tail) == 20);
	assert_int_equal(wb_shm_ring_read(w.ring, w.ring_mask, 3, &out), WB_SHM_RING_LAPPED);
	assert_int_equal(wb_shm_ring_read(w.ring, w.ring_mask, 11, &out), WB_SHM_RING_LAPPED);
	assert_int_equal(wb_shm_ring_read(w.ring, w.ring_mask, 12, &out), WB_SHM_RING_EVENT);
	assert_true(out.seq == 112);
	/* a written slot a lap on whose tag has not come round yet is EMPTY */
	assert_int_equal(wb_shm_ring_read(w.ring, w.ring_mask, 21, &out), WB_SHM_RING_EMPTY);
	/* an event built in place: while reserved, position 20 is not ready and
	 * 12 (same slot) is lapped, though nothing was committed yet */
	{
		struct wb_event *slot = wb_shm_ring_reserve(&rw);

		assert_ptr_equal(slot, (struct wb_event *)(void *)&w.ring[20 & w.ring_mask]);
		assert_ptr_equal(wb_shm_ring_reserve(&rw), slot); /* again: the same slot */
		slot->seq = 120;
		assert_int_equal(wb_shm_ring_read(w.ring, w.ring_mask, 20, &out), WB_SHM_RING_BUSY);
		assert_false(wb_shm_ring_busy_lapped(w.hdr, w.ring_mask, 20));
		assert_int_equal(wb_shm_ring_read(w.ring, w.ring_mask, 12, &out), WB_SHM_RING_BUSY);
		assert_true(wb_shm_ring_busy_lapped(w.hdr, w.ring_mask, 12));
		/* the tag of 19 is visible before the tail passes it */
		atomic_store(&w.hdr->tail, 19);
		assert_false(wb_shm_ring_busy_lapped(w.hdr, w.ring_mask, 20));
		atomic_store(&w.hdr->tail, 20);
		wb_shm_ring_commit(&rw);
		assert_int_equal(wb_shm_ring_read(w.ring, w.ring_mask, 20, &out), WB_SHM_RING_EVENT);
		assert_true(out.seq == 120 && out.ring_tag == 21);
		assert_true(atomic_load(&w.hdr->tail) == 21);
		assert_int_equal(wb_shm_ring_read(w.ring, w.ring_mask, 12, &out),
				 WB_SHM_RING_LAPPED);
		/* committed by the slot pointer: the same as by the position */
		slot = wb_shm_ring_reserve(&rw);
		assert_ptr_equal(slot, (struct wb_event *)(void *)&w.ring[21 & w.ring_mask]);
		slot->seq = 121;
		wb_shm_ring_commit_slot(&rw, slot);
		assert_int_equal(wb_shm_ring_read(w.ring, w.ring_mask, 21, &out), WB_SHM_RING_EVENT);
		assert_true(out.seq == 121 && out.ring_tag == 22);
		assert_true(atomic_load(&w.hdr->tail) == 22 && rw.pos == 22);
		assert_int_equal(wb_shm_ring_read(w.ring, w.ring_mask, 13, &out),
				 WB_SHM_RING_LAPPED);
	}
	/* resync: the snapshot position if it is ahead, else the tail */
	atomic_store(&w.hdr->snap_pos, 15);
	assert_true(wb_shm_ring_resync(w.hdr, 3) == 15);
	atomic_store(&w.hdr->snap_pos, 2);
	assert_true(wb_shm_ring_resync(w.hdr, 3) == 22);
	/* behind: only a reader more than a ring (8) behind the tail (22) */
	assert_false(wb_shm_ring_behind(w.hdr, w.ring_mask, 14));
	assert_true(wb_shm_ring_behind(w.hdr, w.ring_mask, 13));
	assert_false(wb_shm_ring_behind(w.hdr, w.ring_mask, 22));
	wb_shm_detach(&w);
	pubdrv_unlink(name);
}

/*
 * 32-bit tags across 2^32 positions: the position whose tag truncates to 0
 * gets 1, lapping is still told by the signed difference, and a reader
 * exactly 2^32 positions behind, whose slot shows its own tag, is told
 * lapped by the tail (what the SDK checks once per poll).
 */
static void
test_ring_tag_wrap(void **state)
{
	const uint64_t base = (1ull << 32) - 4;
	struct wb_shm_params p;
	struct wb_shm_ring_w rw;
	struct wb_event ev, out;
	struct wb_shm w;
	char name[32];
	uint64_t i;

	(void)state;
	assert_int_equal(wb_shm_ring_tag(0), 1);
	assert_int_equal(wb_shm_ring_tag((1ull << 32) - 2), 0xffffffffu);
	assert_int_equal(wb_shm_ring_tag((1ull << 32) - 1), 1); /* not 0: being written */
	assert_int_equal(wb_shm_ring_tag(1ull << 32), 1);
	assert_int_equal(wb_shm_ring_tag((1ull << 32) + 1), 2);
	pubdrv_name(name, sizeof(name), "wrap");
	mkparams(&p, name, 8);
	assert_int_equal(wb_shm_create(&w, &p), 0);
	rw.slots = w.ring;
	rw.hdr = w.hdr;
	rw.mask = w.ring_mask;
	rw.pos = base;
	atomic_store(&w.hdr->tail, base);
	memset(&ev, 0, sizeof(ev));
	ev.type = WB_EV_BBO;
	for (i = 0; i < 8; i++) {
		ev.seq = i;
		wb_shm_ring_push(&rw, &ev);
	}
	for (i = 0; i < 8; i++) {
		assert_int_equal(wb_shm_ring_read(w.ring, w.ring_mask, base + i, &out),
				 WB_SHM_RING_EVENT);
		assert_true(out.seq == i && out.ring_tag == wb_shm_ring_tag(base + i));
	}
	/* the next lap across the wrap: older positions read lapped, the
	 * next ones empty */
	for (i = 8; i < 12; i++) {
		ev.seq = i;
		wb_shm_ring_push(&rw, &ev);
	}
	for (i = 0; i < 4; i++)
		assert_int_equal(wb_shm_ring_read(w.ring, w.ring_mask, base + i, &out),
				 WB_SHM_RING_LAPPED);
	assert_int_equal(wb_shm_ring_read(w.ring, w.ring_mask, base + 12, &out),
			 WB_SHM_RING_EMPTY);
	/* the residual case: 2^32 positions behind, the tag matches; the tail
	 * says lapped */
	assert_int_equal(wb_shm_ring_read(w.ring, w.ring_mask, base + 8 - (1ull << 32), &out),
			 WB_SHM_RING_EVENT);
	assert_true(wb_shm_ring_behind(w.hdr, w.ring_mask, base + 8 - (1ull << 32)));
	assert_false(wb_shm_ring_behind(w.hdr, w.ring_mask, base + 8));
	wb_shm_detach(&w);
	pubdrv_unlink(name);
}

/* One side of a snapshot equals the book's top 10 of that side. */
static void
check_snapshot_side(const struct wb_book *b, uint16_t loc, uint8_t side,
		    const struct wb_client_level *got, uint32_t ngot)
{
	struct wb_level_info lv[10];
	unsigned int i, n;

	n = wb_book_levels(b, loc, side, lv, 10);
	assert_int_equal(ngot, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(got[i].price, lv[i].price);
		assert_int_equal(got[i].orders, lv[i].orders);
		assert_true(got[i].shares == lv[i].shares);
	}
}

/* Snapshot of loc equals the book's top 10, both sides. */
static void
check_snapshot(struct wb_client *c, struct pubdrv *d, struct wb_client_book *cb, uint16_t loc)
{
	assert_int_equal(wb_client_book(c, loc, cb), 0);
	check_snapshot_side(wb_feed_book(d->feed), loc, 'B', cb->bid, cb->nbid);
	check_snapshot_side(wb_feed_book(d->feed), loc, 'S', cb->ask, cb->nask);
}

/*
 * After every burst, not only at the end: the publisher rewrites only the
 * sides a burst touched (and nothing below a full side's 10th level), so a
 * side it wrongly left alone would show here as soon as it went stale.
 */
static void
test_snapshots_every_burst(void **state)
{
	struct wb_client_opts o;
	struct wb_client_book *cb;
	struct wb_client *c;
	struct pubdrv d;
	char name[32];
	unsigned int b, loc, checked = 0;

	(void)state;
	pubdrv_name(name, sizeof(name), "burst");
	assert_int_equal(pubdrv_init(&d, name, 1u << 12, 12000, 11), 0);
	wb_client_opts_default(&o);
	o.dir = PUBDRV_DIR;
	cb = malloc(sizeof(*cb));
	assert_non_null(cb);
	cb->size = sizeof(*cb);
	pubdrv_run(&d, 2000, 32); /* the directory and some depth first */
	c = wb_client_open(name, &o);
	assert_non_null(c);
	for (b = 0; b < 300; b++) {
		assert_int_equal(pubdrv_run(&d, 32, 32), 32);
		for (loc = 0; loc < 1024; loc++) {
			if (!wb_book_instrument(wb_feed_book(d.feed), (uint16_t)loc)->known)
				continue;
			check_snapshot(c, &d, cb, (uint16_t)loc);
			checked++;
		}
	}
	assert_true(checked >= 300 * 40);
	free(cb);
	wb_client_close(c);
	pubdrv_fini(&d);
}

static void
test_seqlock(void **state)
{
	_Atomic uint32_t seq = 0;
	uint64_t src = 42, dst = 0;
	uint32_t s;

	(void)state;
	assert_int_equal(wb_shm_seq_copy(&seq, &dst, &src, sizeof(src), 4), 0);
	assert_true(dst == 42);
	s = wb_shm_seq_begin(&seq);
	assert_int_equal(s & 1, 1);
	assert_int_equal(wb_shm_seq_copy(&seq, &dst, &src, sizeof(src), 4), -EAGAIN);
	src = 43;
	wb_shm_seq_end(&seq, s);
	assert_int_equal(atomic_load(&seq), 2);
	assert_int_equal(wb_shm_seq_copy(&seq, &dst, &src, sizeof(src), 4), 0);
	assert_true(dst == 43);
}

/* Every snapshot equals the publisher's book, level by level. */
static void
test_snapshots_equal_book(void **state)
{
	struct wb_level_info lv[10];
	struct wb_client_opts o;
	struct wb_client_book *cb;
	struct wb_client *c;
	struct pubdrv d;
	char name[32];
	unsigned int loc, i, n, checked = 0;

	(void)state;
	pubdrv_name(name, sizeof(name), "snap");
	assert_int_equal(pubdrv_init(&d, name, 1u << 12, 30000, 7), 0);
	pubdrv_run(&d, 30000, 32);
	wb_client_opts_default(&o);
	o.dir = PUBDRV_DIR;
	c = wb_client_open(name, &o);
	assert_non_null(c);
	cb = malloc(sizeof(*cb));
	assert_non_null(cb);
	cb->size = sizeof(*cb);
	for (loc = 0; loc < 1024; loc++) {
		int rc = wb_client_book(c, (uint16_t)loc, cb);

		if (!wb_book_instrument(wb_feed_book(d.feed), (uint16_t)loc)->known) {
			assert_int_equal(rc, -ENOENT);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_string_equal(cb->symbol, wb_gen_symbol(d.gen, (uint16_t)loc));
		assert_int_equal(wb_client_lookup(c, cb->symbol), (int)loc);
		/* the directory entry carries the feed's venue and ITCH's exponent */
		assert_int_equal(cb->instrument, loc);
		assert_int_equal(cb->venue, WB_VENUE_NASDAQ);
		assert_int_equal(cb->price_exp, -4);
		n = wb_book_levels(wb_feed_book(d.feed), (uint16_t)loc, 'B', lv, 10);
		assert_int_equal(cb->nbid, n);
		for (i = 0; i < n; i++) {
			assert_int_equal(cb->bid[i].price, lv[i].price);
			assert_int_equal(cb->bid[i].orders, lv[i].orders);
			assert_true(cb->bid[i].shares == lv[i].shares);
		}
		n = wb_book_levels(wb_feed_book(d.feed), (uint16_t)loc, 'S', lv, 10);
		assert_int_equal(cb->nask, n);
		for (i = 0; i < n; i++) {
			assert_int_equal(cb->ask[i].price, lv[i].price);
			assert_true(cb->ask[i].shares == lv[i].shares);
		}
		assert_true(cb->last_seq > 0 && cb->last_seq <= 30000);
		checked++;
	}
	assert_true(checked >= 40);
	assert_int_equal(wb_client_lookup(c, "NOSUCH"), -ENOENT);
	free(cb);
	wb_client_close(c);
	pubdrv_fini(&d);
}

struct filter_ctx {
	uint16_t a, b;
	uint64_t count, bad;
};

static void
filter_cb(void *ctx, const struct wb_event *ev)
{
	struct filter_ctx *f = ctx;

	f->count++;
	if (ev->instrument != f->a && ev->instrument != f->b)
		f->bad++;
}

static uint64_t
ring_count(const struct wb_shm *shm, uint64_t from, uint64_t to, uint16_t a, uint16_t b)
{
	struct wb_event ev;
	uint64_t n = 0;

	for (; from < to; from++) {
		assert_int_equal(wb_shm_ring_read(shm->ring, shm->ring_mask, from, &ev),
				 WB_SHM_RING_EVENT);
		n += ev.instrument == a || ev.instrument == b;
	}
	return n;
}

/* By-symbol subscriptions: pending until the directory names the symbol. */
static void
test_subscribe_filter(void **state)
{
	struct filter_ctx fc = {3, 3, 0, 0};
	struct wb_client_opts o;
	struct wb_client *c;
	struct pubdrv d;
	char name[32];
	uint64_t t1, t2;

	(void)state;
	pubdrv_name(name, sizeof(name), "sub");
	assert_int_equal(pubdrv_init(&d, name, 1u << 16, 6000, 21), 0);
	wb_client_opts_default(&o);
	o.dir = PUBDRV_DIR;
	c = wb_client_open(name, &o);
	assert_non_null(c);
	assert_int_equal(wb_client_subscribe(c, "TOOLONGSYM"), -EINVAL);
	/* the directory is still empty: resolved when its R message comes */
	assert_int_equal(wb_client_subscribe(c, wb_gen_symbol(d.gen, 3)), 0);
	assert_int_equal(wb_client_subscribe(c, wb_gen_symbol(d.gen, 3)), 0);
	pubdrv_run(&d, 3000, 16);
	t1 = wb_publisher_events(d.pub);
	while (wb_client_poll(c, filter_cb, &fc, 100) != 0)
		;
	assert_true(fc.count > 10);
	assert_true(fc.bad == 0);
	assert_true(fc.count == ring_count(wb_publisher_shm(d.pub), 0, t1, 3, 3));
	/* a symbol already in the directory is resolved at once */
	fc.b = 7;
	fc.count = 0;
	assert_int_equal(wb_client_subscribe(c, wb_gen_symbol(d.gen, 7)), 0);
	pubdrv_run(&d, 3000, 16);
	t2 = wb_publisher_events(d.pub);
	while (wb_client_poll(c, filter_cb, &fc, 100) != 0)
		;
	assert_true(fc.bad == 0);
	assert_true(fc.count == ring_count(wb_publisher_shm(d.pub), t1, t2, 3, 7));
	assert_true(ring_count(wb_publisher_shm(d.pub), t1, t2, 7, 7) > 10);
	wb_client_close(c);
	pubdrv_fini(&d);
}

/* A MoldUDP64 gap marks the feed and every instrument stale. */
static void
test_gap_marks_stale(void **state)
{
	static const uint8_t sess[WB_MOLD_SESSION_LEN] = "SESSION001";
	uint8_t pkt[WB_MOLD_HDR_LEN + 2 + WB_ITCH_MAX_MSG_LEN];
	struct wb_client_status st = WB_CLIENT_STATUS_INIT;
	struct wb_client_opts o;
	struct wb_client *c;
	struct pubdrv d;
	char name[32];
	unsigned int len, i;
	uint64_t seq = 1;

	(void)state;
	pubdrv_name(name, sizeof(name), "gap");
	assert_int_equal(pubdrv_init(&d, name, 1u << 12, 2000, 3), 0);
	wb_client_opts_default(&o);
	o.dir = PUBDRV_DIR;
	c = wb_client_open(name, &o);
	assert_non_null(c);
	for (i = 0; i < 400; i++) {
		len = wb_gen_next(d.gen, pkt + WB_MOLD_HDR_LEN + 2);
		assert_true(len > 0);
		if (i == 300)
			seq += 5; /* five messages lost */
		wb_mold_put_hdr(pkt, sess, seq++, 1);
		wb_put_be16(pkt + WB_MOLD_HDR_LEN, (uint16_t)len);
		wb_feed_datagram(d.feed, 0, pkt, WB_MOLD_HDR_LEN + 2 + len, wb_rdtsc());
		wb_feed_burst_end(d.feed);
		wb_publisher_heartbeat(d.pub);
		if (i == 299) {
			assert_int_equal(wb_client_status(c, &st), 0);
			assert_int_equal(st.feed_stale, 0);
		}
	}
	/* the daemon's tick: the reorder window ends, the gap is declared */
	wb_feed_tick(d.feed, UINT64_MAX);
	assert_int_equal(wb_client_status(c, &st), 0);
	assert_int_equal(st.feed_stale, 1);
	assert_int_equal(st.stale_instruments, 50);
	assert_int_equal(st.channels, 1);
	wb_client_close(c);
	pubdrv_fini(&d);
}

/* Clients map the market data PROT_READ: a store faults, mprotect is refused. */
/*
 * The header counts every gap: a gap while the feed is already stale
 * counted nothing before (the header read 1 after 364 gaps).
 */
static void
test_header_counts_gaps(void **state)
{
	static const uint8_t sess[WB_MOLD_SESSION_LEN] = "SESSION001";
	uint8_t pkt[WB_MOLD_HDR_LEN + 2 + WB_ITCH_MAX_MSG_LEN];
	const struct wb_shm *shm;
	struct pubdrv d;
	char name[32];
	unsigned int len, i;
	uint64_t seq = 1, gaps;

	(void)state;
	pubdrv_name(name, sizeof(name), "gaps");
	assert_int_equal(pubdrv_init(&d, name, 1u << 12, 2000, 3), 0);
	shm = wb_publisher_shm(d.pub);
	for (i = 0; i < 400; i++) {
		len = wb_gen_next(d.gen, pkt + WB_MOLD_HDR_LEN + 2);
		assert_true(len > 0);
		if (i >= 100 && i % 10 == 0)
			seq += 2; /* 30 gaps of two messages */
		wb_mold_put_hdr(pkt, sess, seq++, 1);
		wb_put_be16(pkt + WB_MOLD_HDR_LEN, (uint16_t)len);
		wb_feed_datagram(d.feed, 0, pkt, WB_MOLD_HDR_LEN + 2 + len, wb_rdtsc());
		wb_feed_burst_end(d.feed);
	}
	/* the reorder window may still hold the last holes: end of input */
	wb_feed_expire(d.feed, wb_rdtsc());
	gaps = wb_feed_session_stats(d.feed)->gaps;
	assert_int_equal(gaps, 30);
	assert_int_equal(atomic_load(&shm->hdr->gaps), gaps);
	assert_int_equal(atomic_load(&shm->chan[0].gaps), gaps);
	pubdrv_fini(&d);
}

static void
test_client_write_faults(void **state)
{
	struct wb_shm_params p;
	struct wb_shm w;
	char name[32];
	pid_t pid;
	int st;

	(void)state;
	pubdrv_name(name, sizeof(name), "ro");
	mkparams(&p, name, 64);
	assert_int_equal(wb_shm_create(&w, &p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct wb_shm r;

		if (wb_shm_attach(&r, PUBDRV_DIR, name) != 0)
			_exit(3);
		if (mprotect(r.hdr, 4096, PROT_READ | PROT_WRITE) == 0)
			_exit(4);
		signal(SIGSEGV, SIG_DFL);	/* sanitizers install their own handler */
		atomic_store(&r.hdr->state, 0); /* must fault */
		_exit(5);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGSEGV);
	assert_int_equal(atomic_load(&w.hdr->state), WB_SHM_STATE_STARTING);
	wb_shm_detach(&w);
	pubdrv_unlink(name);
}

/* A second daemon may not take over the name of a running one. */
/* A child that creates the region, says so on fd, then waits to be killed. */
static pid_t
wb_owner_child(const struct wb_shm_params *p, int fd)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		struct wb_shm own;
		char ok = wb_shm_create(&own, p) == 0 ? 'y' : 'n';

		if (write(fd, &ok, 1) != 1 || ok != 'y')
			_exit(1);
		atomic_store(&own.hdr->state, WB_SHM_STATE_LIVE);
		for (;;)
			pause();
	}
	return pid;
}

/* Another process's wb_shm_create(&p): 0 or its -errno, as an exit status. */
static int
wb_create_elsewhere(const struct wb_shm_params *p)
{
	pid_t pid = fork();
	int st;

	assert_true(pid >= 0);
	if (pid == 0) {
		struct wb_shm other;
		int rc = wb_shm_create(&other, p);

		_exit(rc == 0 ? 0 : rc == -EEXIST ? 1 : 2);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/*
 * The name is held by a lock that dies with its owner: a stalled owner (no
 * heartbeat for ages, then SIGSTOPped for 3 s) keeps it; once it is gone,
 * by detach or by SIGKILL, the name is free at once.
 */
static void
test_name_in_use(void **state)
{
	struct wb_shm_params p;
	struct wb_shm w;
	char name[32], ok;
	int ready[2], st;
	pid_t a;

	(void)state;
	pubdrv_name(name, sizeof(name), "busy");
	mkparams(&p, name, 64);
	assert_int_equal(wb_shm_create(&w, &p), 0);
	assert_int_equal(wb_shm_owner_alive(PUBDRV_DIR, name), 1);
	atomic_store(&w.hdr->state, WB_SHM_STATE_LIVE);
	atomic_store(&w.hdr->heartbeat_ns, 1); /* a heartbeat of long ago */
	assert_int_equal(wb_create_elsewhere(&p), 1);
	/* in this process too: a second region of the name is refused */
	{
		struct wb_shm again;

		assert_int_equal(wb_shm_create(&again, &p), -EEXIST);
		assert_non_null(strstr(wb_err_msg(), "is held by running pid"));
	}
	/* detached (the publisher's destroy): the name can be reused */
	wb_shm_detach(&w);
	assert_int_equal(wb_shm_owner_alive(PUBDRV_DIR, name), 0);
	assert_int_equal(wb_create_elsewhere(&p), 0);

	/* an owner stopped for 3 s keeps its name; killed, it loses it */
	assert_int_equal(pipe(ready), 0);
	a = wb_owner_child(&p, ready[1]);
	assert_int_equal(read(ready[0], &ok, 1), 1);
	assert_int_equal(ok, 'y');
	assert_int_equal(kill(a, SIGSTOP), 0);
	pubdrv_sleep_us(999999);
	pubdrv_sleep_us(999999);
	pubdrv_sleep_us(999999);
	assert_int_equal(wb_shm_owner_alive(PUBDRV_DIR, name), 1);
	assert_int_equal(wb_create_elsewhere(&p), 1);
	assert_int_equal(kill(a, SIGKILL), 0);
	assert_int_equal(waitpid(a, &st, 0), a);
	assert_int_equal(wb_shm_owner_alive(PUBDRV_DIR, name), 0);
	assert_int_equal(wb_shm_create(&w, &p), 0);
	wb_shm_detach(&w);
	close(ready[0]);
	close(ready[1]);
	pubdrv_unlink(name);
	/* nothing left at the name, the lock file included */
	assert_int_equal(wb_shm_owner_alive(PUBDRV_DIR, name), -ENOENT);
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_attach),
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_marks),
		cmocka_unit_test(test_ring_lap),
		cmocka_unit_test(test_ring_tag_wrap),
		cmocka_unit_test(test_seqlock),
		cmocka_unit_test(test_snapshots_equal_book),
		cmocka_unit_test(test_snapshots_every_burst),
		cmocka_unit_test(test_subscribe_filter),
		cmocka_unit_test(test_gap_marks_stale),
		cmocka_unit_test(test_header_counts_gaps),
		cmocka_unit_test(test_client_write_faults),
		cmocka_unit_test(test_name_in_use),
	};
	/* clang-format on */
	struct stat st;

	if (stat(PUBDRV_DIR, &st) != 0) {
		printf("skip: %s is not available\n", PUBDRV_DIR);
		return WB_TEST_SKIP;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
