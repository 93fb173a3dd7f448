/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shm ABI's lock-free parts in one process: the event ring's lap
 * detection (32-bit tags across 2^32 positions included), its resync point,
 * the seqlock, and the floor's mark ring.
 */
#include "wb_test.h"

#include <errno.h>

#include "shm_test.h"
#include "wb_mark.h"

/*
 * The mark ring's name, and its file removed after the test whether it
 * passed or not: a failed assertion leaves the test before its own unlink,
 * and pubdrv.h's sweep at exit removes only regions (wirebook.t<pid>-*),
 * not marks (wirebook-mark.*).
 */
static int
marks_setup(void **state)
{
	static char name[32];

	pubdrv_name(name, sizeof(name), "mk");
	*state = name;
	return 0;
}

static int
marks_teardown(void **state)
{
	wb_mark_unlink(PUBDRV_DIR, *state);
	return 0;
}

/* The floor's mark ring: order, commit visibility, laps counted as lost. */
static void
test_marks(void **state)
{
	struct wb_mark w, r;
	struct wb_mark_rec rec = {0, 0};
	uint64_t lost = 0, i;
	const char *name = *state;

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
		assert_int_equal(wb_shm_ring_read(w.ring, w.ring_mask, 20, &out),
				 WB_SHM_RING_EVENT);
		assert_true(out.seq == 120 && out.ring_tag == 21);
		assert_true(atomic_load(&w.hdr->tail) == 21);
		assert_int_equal(wb_shm_ring_read(w.ring, w.ring_mask, 12, &out),
				 WB_SHM_RING_LAPPED);
		/* committed by the slot pointer: the same as by the position */
		slot = wb_shm_ring_reserve(&rw);
		assert_ptr_equal(slot, (struct wb_event *)(void *)&w.ring[21 & w.ring_mask]);
		slot->seq = 121;
		wb_shm_ring_commit_slot(&rw, slot);
		assert_int_equal(wb_shm_ring_read(w.ring, w.ring_mask, 21, &out),
				 WB_SHM_RING_EVENT);
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
	assert_int_equal(wb_shm_ring_read(w.ring, w.ring_mask, base + 12, &out), WB_SHM_RING_EMPTY);
	/* the residual case: 2^32 positions behind, the tag matches; the tail
	 * says lapped */
	assert_int_equal(wb_shm_ring_read(w.ring, w.ring_mask, base + 8 - (1ull << 32), &out),
			 WB_SHM_RING_EVENT);
	assert_true(wb_shm_ring_behind(w.hdr, w.ring_mask, base + 8 - (1ull << 32)));
	assert_false(wb_shm_ring_behind(w.hdr, w.ring_mask, base + 8));
	wb_shm_detach(&w);
	pubdrv_unlink(name);
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

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_marks, marks_setup, marks_teardown),
		cmocka_unit_test(test_ring_lap),
		cmocka_unit_test(test_ring_tag_wrap),
		cmocka_unit_test(test_seqlock),
	};
	/* clang-format on */

	if (shm_test_skip())
		return WB_TEST_SKIP;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
