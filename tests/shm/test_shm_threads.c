/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The daemon's threads on one mapping, for ThreadSanitizer (CI builds this
 * test with -Db_sanitize=thread; it passes plainly too): an "rx" thread
 * drives a feed into a publisher, a "control" thread beats the heartbeat
 * and flips the state, and a reader thread follows the ring and copies
 * every snapshot from the writer's own mapping (TSan tracks addresses: a
 * second mapping would hide every race).
 *
 * The writer waits for the reader after each batch, so the ring is never
 * lapped and no snapshot is rewritten while it is copied: any race TSan
 * reports is then a missing release/acquire pair in the ABI (a tag, the
 * tail, snap_pos, a snapshot's sequence), not the seqlock's by-design torn
 * copy. The reader learns where a batch ends through a relaxed variable,
 * which orders nothing: everything it reads is ordered by the region's own
 * atomics alone.
 */
#include "wb_test.h"

#include <pthread.h>
#include <stdatomic.h>

#include "pubdrv.h"

#define BATCHES 200
#define BATCH_MSGS 64

struct wb_thr {
	struct pubdrv d;
	const struct wb_shm *shm;
	_Atomic uint64_t batch_end; /* relaxed: where the writer's batch ended */
	_Atomic uint64_t read_to;   /* reader -> writer: caught up to here (release) */
	_Atomic int done;
	uint64_t events, snaps, bad;
};

static void *
wb_thr_rx(void *arg)
{
	struct wb_thr *t = arg;
	unsigned int b;

	for (b = 0; b < BATCHES; b++) {
		uint64_t tail;

		pubdrv_run(&t->d, BATCH_MSGS, 16);
		tail = wb_publisher_events(t->d.pub);
		atomic_store_explicit(&t->batch_end, tail, memory_order_relaxed);
		/* acquire: pairs with the reader's release of read_to */
		while (atomic_load_explicit(&t->read_to, memory_order_acquire) < tail)
			wb_shm_cpu_relax();
	}
	atomic_store_explicit(&t->done, 1, memory_order_release);
	return NULL;
}

static void *
wb_thr_control(void *arg)
{
	struct wb_thr *t = arg;

	wb_publisher_set_state(t->d.pub, WB_SHM_STATE_LIVE);
	while (!atomic_load_explicit(&t->done, memory_order_acquire)) {
		wb_publisher_heartbeat(t->d.pub);
		pubdrv_sleep_us(200);
	}
	return NULL;
}

static void
wb_thr_snapshots(struct wb_thr *t)
{
	unsigned char buf[4096];
	unsigned int loc;

	for (loc = 0; loc < t->shm->max_instruments; loc++) {
		const struct wb_shm_snap *s = wb_shm_snap_at(t->shm, (uint16_t)loc);
		const struct wb_shm_snap *c = (const void *)buf;
		size_t len = t->shm->snap_stride - 4;

		if (len + 4 > sizeof(buf) ||
		    wb_shm_seq_copy(&s->seq, buf + 4, (const unsigned char *)s + 4, len, 100) != 0 ||
		    c->nbid > t->shm->depth || c->nask > t->shm->depth)
			t->bad++;
		t->snaps++;
	}
}

static void *
wb_thr_reader(void *arg)
{
	struct wb_thr *t = arg;
	struct wb_event ev;
	uint64_t pos = 0;

	for (;;) {
		uint64_t end = atomic_load_explicit(&t->batch_end, memory_order_relaxed);
		int rc;

		if (pos < end) {
			rc = wb_shm_ring_read(t->shm->ring, t->shm->ring_mask, pos, &ev);
			if (rc == WB_SHM_RING_EVENT) {
				if (ev.ring_tag != wb_shm_ring_tag(pos) || ev.type == WB_EV_NONE ||
				    ev.type >= WB_EV_TYPES)
					t->bad++;
				pos++;
				t->events++;
			} else if (rc == WB_SHM_RING_LAPPED) {
				t->bad++;
				pos = end;
			}
			continue;
		}
		if (end != 0 && atomic_load_explicit(&t->read_to, memory_order_relaxed) < end &&
		    /* acquire: pairs with the publisher's release of snap_pos */
		    atomic_load_explicit(&t->shm->hdr->snap_pos, memory_order_acquire) >= end) {
			(void)wb_shm_heartbeat_age(t->shm);
			wb_thr_snapshots(t);
			/* release: the writer may go on once this pass is over */
			atomic_store_explicit(&t->read_to, end, memory_order_release);
			continue;
		}
		/* done is set only after the writer saw read_to reach its last tail */
		if (atomic_load_explicit(&t->done, memory_order_acquire))
			break;
		wb_shm_cpu_relax();
	}
	return NULL;
}

static void
test_threads(void **state)
{
	static struct wb_thr t;
	pthread_t rx, ctl, rd;
	char name[32];

	(void)state;
	pubdrv_name(name, sizeof(name), "thr");
	assert_int_equal(pubdrv_init(&t.d, name, 1u << 14, BATCHES * BATCH_MSGS, 7), 0);
	t.shm = wb_publisher_shm(t.d.pub);
	assert_int_equal(pthread_create(&rd, NULL, wb_thr_reader, &t), 0);
	assert_int_equal(pthread_create(&ctl, NULL, wb_thr_control, &t), 0);
	assert_int_equal(pthread_create(&rx, NULL, wb_thr_rx, &t), 0);
	assert_int_equal(pthread_join(rx, NULL), 0);
	assert_int_equal(pthread_join(ctl, NULL), 0);
	assert_int_equal(pthread_join(rd, NULL), 0);
	assert_int_equal(t.bad, 0);
	assert_true(t.events > BATCHES);
	assert_int_equal(t.events, wb_publisher_events(t.d.pub));
	assert_true(t.snaps >= BATCHES * (uint64_t)t.shm->max_instruments);
	pubdrv_fini(&t.d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
