/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Multi-process proof of the SDK against a real publisher (wb_gen -> wb_feed
 * -> wb_publisher): identical fan-out to four readers (one of them through
 * wb_client_poll_batch()); a SIGSTOPped reader neither slows nor blocks the
 * publisher, detects its lap and ends with the publisher's books; a reader
 * killed mid-poll harms nothing; a dead publisher is noticed within 10 ms; a
 * restarted one is re-attached to.
 */
#include "wb_test.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <sys/wait.h>

#include "pubdrv.h"
#include "wb_shm.h"
#include "wirebook/wirebook.h"

#define NSUB 4
#define NMSG 20000

struct sub_result {
	uint64_t count;
	uint64_t hash;
	uint64_t lapped;
};

static struct wb_client *
open_client(const char *name)
{
	struct wb_client_opts o;

	wb_client_opts_default(&o);
	o.dir = PUBDRV_DIR;
	return wb_client_open(name, &o);
}

static void
hash_cb(void *ctx, const struct wb_event *ev)
{
	struct sub_result *r = ctx;

	r->hash = pubdrv_fnv(r->hash, ev, sizeof(*ev));
	r->count++;
	if (ev->type == WB_CLIENT_EV_LAPPED)
		r->lapped++;
}

/* One poll, through the callback or (batch) wb_client_poll_batch(). */
static int
hash_poll(struct wb_client *c, struct sub_result *r, int batch)
{
	struct wb_event evs[256];
	int i, n;

	if (!batch)
		return wb_client_poll(c, hash_cb, r, 256);
	n = wb_client_poll_batch(c, evs, 256);
	for (i = 0; i < n; i++)
		hash_cb(r, &evs[i]);
	return n;
}

/*
 * Child: hashes every event until the publisher says STOPPED, then drains;
 * batch: through wb_client_poll_batch(), which must see the same events.
 */
static void
hash_subscriber(const char *name, int ready_fd, int out_fd, int batch)
{
	struct sub_result r = {0, 0xcbf29ce484222325ull, 0};
	struct wb_client_status st = WB_CLIENT_STATUS_INIT;
	struct wb_client *c;

	alarm(60);
	c = open_client(name);
	if (c == NULL || wb_client_subscribe(c, NULL) != 0)
		_exit(2);
	if (write(ready_fd, "r", 1) != 1)
		_exit(2);
	for (;;) {
		if (hash_poll(c, &r, batch) != 0)
			continue;
		wb_client_status(c, &st);
		if (st.state == WB_SHM_STATE_STOPPED) {
			while (hash_poll(c, &r, batch) != 0)
				;
			break;
		}
	}
	if (write(out_fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
		_exit(2);
	wb_client_close(c);
	_exit(0);
}

static void
wait_ready(int fd, int n)
{
	char b;

	while (n-- > 0)
		assert_int_equal(read(fd, &b, 1), 1);
}

static void
test_four_identical(void **state)
{
	struct sub_result r[NSUB], exp = {0, 0xcbf29ce484222325ull, 0};
	int ready[2], out[2], i, st;
	const struct wb_shm *shm;
	struct wb_event ev;
	pid_t pid[NSUB];
	struct pubdrv d;
	char name[32];
	uint64_t pos;

	(void)state;
	pubdrv_name(name, sizeof(name), "four");
	assert_int_equal(pubdrv_init(&d, name, 1u << 16, NMSG, 11), 0);
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(out), 0);
	for (i = 0; i < NSUB; i++) {
		pid[i] = fork();
		assert_true(pid[i] >= 0);
		if (pid[i] == 0)
			hash_subscriber(name, ready[1], out[1], i == NSUB - 1);
	}
	wait_ready(ready[0], NSUB);
	wb_publisher_set_state(d.pub, WB_SHM_STATE_LIVE);
	while (pubdrv_run(&d, 500, 16) != 0)
		wb_publisher_heartbeat(d.pub);
	wb_publisher_set_state(d.pub, WB_SHM_STATE_STOPPED);
	/* the expected sequence, read straight from the ring (it holds all of it) */
	shm = wb_publisher_shm(d.pub);
	assert_true(wb_publisher_events(d.pub) < (1u << 16));
	for (pos = 0; pos < wb_publisher_events(d.pub); pos++) {
		assert_int_equal(wb_shm_ring_read(shm->ring, shm->ring_mask, pos, &ev),
				 WB_SHM_RING_EVENT);
		hash_cb(&exp, &ev);
	}
	assert_true(exp.count > NMSG / 2);
	for (i = 0; i < NSUB; i++)
		assert_int_equal(read(out[0], &r[i], sizeof(r[i])), sizeof(r[i]));
	for (i = 0; i < NSUB; i++) {
		assert_int_equal(waitpid(pid[i], &st, 0), pid[i]);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		assert_true(r[i].count == exp.count);
		assert_true(r[i].hash == exp.hash);
		assert_true(r[i].lapped == 0);
	}
	close(ready[0]);
	close(ready[1]);
	close(out[0]);
	close(out[1]);
	pubdrv_fini(&d);
}

/* A reader's view of the best bid and offer, rebuilt from events. */
struct bbo_model {
	struct wb_client *c;
	uint64_t lapped;
	uint64_t last_seq[1024];
	int64_t bid_px[1024], ask_px[1024]; /* event ABI 2: 64-bit prices */
	uint64_t bid_qty[1024], ask_qty[1024];
};

static void
model_resync(struct bbo_model *m)
{
	struct wb_client_book *b = malloc(sizeof(*b));
	unsigned int loc;

	if (b == NULL)
		_exit(2);
	b->size = sizeof(*b);
	for (loc = 0; loc < 1024; loc++) {
		if (wb_client_book(m->c, (uint16_t)loc, b) != 0)
			continue;
		m->last_seq[loc] = b->last_seq;
		m->bid_px[loc] = b->nbid ? b->bid[0].price : 0;
		m->bid_qty[loc] = b->nbid ? b->bid[0].shares : 0;
		m->ask_px[loc] = b->nask ? b->ask[0].price : 0;
		m->ask_qty[loc] = b->nask ? b->ask[0].shares : 0;
	}
	free(b);
}

static void
model_cb(void *ctx, const struct wb_event *ev)
{
	struct bbo_model *m = ctx;

	if (ev->type == WB_CLIENT_EV_LAPPED) {
		m->lapped++;
		model_resync(m);
		return;
	}
	if (ev->type != WB_EV_BBO || ev->instrument >= 1024 || ev->seq <= m->last_seq[ev->instrument])
		return;
	m->last_seq[ev->instrument] = ev->seq;
	m->bid_qty[ev->instrument] = ev->u.bbo.bid_qty;
	m->bid_px[ev->instrument] = ev->u.bbo.bid_qty ? ev->u.bbo.bid_px : 0;
	m->ask_qty[ev->instrument] = ev->u.bbo.ask_qty;
	m->ask_px[ev->instrument] = ev->u.bbo.ask_qty ? ev->u.bbo.ask_px : 0;
}

static void
model_subscriber(const char *name, int ready_fd, int out_fd)
{
	struct bbo_model *m = calloc(1, sizeof(*m));
	struct wb_client_status st = WB_CLIENT_STATUS_INIT;

	alarm(60);
	if (m == NULL)
		_exit(2);
	m->c = open_client(name);
	if (m->c == NULL || wb_client_subscribe(m->c, NULL) != 0)
		_exit(2);
	if (write(ready_fd, "r", 1) != 1)
		_exit(2);
	for (;;) {
		if (wb_client_poll(m->c, model_cb, m, 64) != 0)
			continue;
		wb_client_status(m->c, &st);
		if (st.state == WB_SHM_STATE_STOPPED) {
			while (wb_client_poll(m->c, model_cb, m, 64) != 0)
				;
			break;
		}
	}
	if (write(out_fd, m, sizeof(*m)) != (ssize_t)sizeof(*m))
		_exit(2);
	_exit(0);
}

static struct wb_shm_client *
slot_of(const struct wb_shm *shm, pid_t pid)
{
	unsigned int i;

	for (i = 0; i < WB_SHM_MAX_CLIENTS; i++)
		if (atomic_load(&shm->clients[i].pid) == (uint32_t)pid)
			return &shm->clients[i];
	return NULL;
}

/* Events the same stream produces through a feed with no shm at all. */
static void
count_cb(void *ctx, const struct wb_event *ev)
{
	(void)ev;
	(*(uint64_t *)ctx)++;
}

static uint64_t
reference_events(uint64_t n, uint64_t seed, uint64_t upto)
{
	struct wb_feed_sink sink;
	struct pubdrv d;
	uint64_t count = 0;

	assert_int_equal(pubdrv_init(&d, NULL, 0, n, seed), 0);
	memset(&sink, 0, sizeof(sink));
	sink.on_event = count_cb;
	sink.ctx = &count;
	wb_feed_set_sink(d.feed, &sink);
	pubdrv_run(&d, upto, 16);
	pubdrv_fini(&d);
	return count;
}

static void
test_stopped_subscriber(void **state)
{
	struct bbo_model *m = malloc(sizeof(*m));
	const struct wb_shm *shm;
	struct wb_shm_client *slot;
	uint64_t cursor, ref, ref2, lapped0, t0, t1;
	int ready[2], out[2], st;
	unsigned int loc;
	struct wb_bbo bbo;
	struct pubdrv d;
	char name[32];
	size_t got = 0;
	ssize_t k;
	pid_t pid;

	(void)state;
	assert_non_null(m);
	ref = reference_events(NMSG, 5, NMSG);
	ref2 = reference_events(NMSG, 5, NMSG - 5000);
	pubdrv_name(name, sizeof(name), "stop");
	assert_int_equal(pubdrv_init(&d, name, 256, NMSG, 5), 0);
	shm = wb_publisher_shm(d.pub);
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(out), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		model_subscriber(name, ready[1], out[1]);
	wait_ready(ready[0], 1);
	wb_publisher_set_state(d.pub, WB_SHM_STATE_LIVE);
	pubdrv_run(&d, 2000, 16);
	pubdrv_sleep_us(20000);
	assert_int_equal(kill(pid, SIGSTOP), 0);
	assert_int_equal(waitpid(pid, &st, WUNTRACED), pid);
	assert_true(WIFSTOPPED(st));
	slot = slot_of(shm, pid);
	assert_non_null(slot);
	cursor = atomic_load(&slot->cursor);
	lapped0 = atomic_load(&slot->lapped);
	/* the publisher runs on at full speed, lapping the stopped reader */
	t0 = wb_mono_ns();
	while (d.msgs < NMSG - 5000) {
		pubdrv_run(&d, 500, 16);
		wb_publisher_heartbeat(d.pub);
	}
	t1 = wb_mono_ns();
	assert_true(d.msgs == NMSG - 5000);
	assert_true(wb_publisher_events(d.pub) == ref2);
	assert_true(atomic_load(&shm->hdr->tail) == ref2);
	assert_true(atomic_load(&slot->cursor) == cursor);
	assert_true(atomic_load(&slot->lapped) == lapped0);
	assert_true(ref2 - cursor > 256);
	print_message("publisher: %" PRIu64 " events in %.1f ms past a stopped reader\n",
		      ref2 - cursor, (double)(t1 - t0) / 1e6);
	assert_int_equal(kill(pid, SIGCONT), 0);
	/* it notices the lap and resynchronises from the snapshots */
	while (atomic_load(&slot->lapped) == lapped0)
		pubdrv_sleep_us(1000);
	/* then follows the rest of the stream from the ring (and may be lapped again) */
	while (pubdrv_run(&d, 100, 16) != 0) {
		wb_publisher_heartbeat(d.pub);
		pubdrv_sleep_us(200);
	}
	assert_true(wb_publisher_events(d.pub) == ref);
	wb_publisher_set_state(d.pub, WB_SHM_STATE_STOPPED);
	while (got < sizeof(*m)) {
		k = read(out[0], (char *)m + got, sizeof(*m) - got);
		assert_true(k > 0);
		got += (size_t)k;
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_true(m->lapped >= 1);
	for (loc = 0; loc < 1024; loc++) {
		wb_book_bbo(wb_feed_book(d.feed), (uint16_t)loc, &bbo);
		assert_true(m->bid_qty[loc] == bbo.bid_qty);
		assert_true(m->ask_qty[loc] == bbo.ask_qty);
		assert_int_equal(m->bid_px[loc], bbo.bid_qty ? bbo.bid_px : 0);
		assert_int_equal(m->ask_px[loc], bbo.ask_qty ? bbo.ask_px : 0);
	}
	close(ready[0]);
	close(ready[1]);
	close(out[0]);
	close(out[1]);
	free(m);
	pubdrv_fini(&d);
}

static void
spin_subscriber(const char *name, int ready_fd)
{
	struct sub_result r = {0, 0, 0};
	struct wb_client *c = open_client(name);

	alarm(60);
	if (c == NULL || wb_client_subscribe(c, NULL) != 0 || write(ready_fd, "r", 1) != 1)
		_exit(2);
	for (;;)
		wb_client_poll(c, hash_cb, &r, 16);
}

static void
test_killed_subscriber(void **state)
{
	struct sub_result r;
	int ready[2], out[2], st;
	pid_t victim, witness;
	struct wb_client *late;
	struct pubdrv d;
	char name[32];
	uint64_t ref;

	(void)state;
	ref = reference_events(NMSG, 9, NMSG);
	pubdrv_name(name, sizeof(name), "kill");
	assert_int_equal(pubdrv_init(&d, name, 1u << 16, NMSG, 9), 0);
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(out), 0);
	/* the victim registers first, so it holds the lowest slot: the slot a
	 * later registration takes is then the dead one, not the witness's
	 * (freed by its close), whichever child was scheduled first */
	victim = fork();
	if (victim == 0)
		spin_subscriber(name, ready[1]);
	wait_ready(ready[0], 1);
	witness = fork();
	if (witness == 0)
		hash_subscriber(name, ready[1], out[1], 0);
	wait_ready(ready[0], 1);
	wb_publisher_set_state(d.pub, WB_SHM_STATE_LIVE);
	pubdrv_run(&d, NMSG / 2, 16);
	assert_int_equal(kill(victim, SIGKILL), 0);
	assert_int_equal(waitpid(victim, &st, 0), victim);
	assert_true(WIFSIGNALED(st));
	while (pubdrv_run(&d, 500, 16) != 0)
		wb_publisher_heartbeat(d.pub);
	wb_publisher_set_state(d.pub, WB_SHM_STATE_STOPPED);
	assert_true(wb_publisher_events(d.pub) == ref);
	assert_int_equal(read(out[0], &r, sizeof(r)), sizeof(r));
	assert_int_equal(waitpid(witness, &st, 0), witness);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_true(r.count == ref);
	assert_true(r.lapped == 0);
	/* the dead reader's slot is reclaimed by the next registration */
	assert_null(slot_of(wb_publisher_shm(d.pub), witness));
	late = open_client(name);
	assert_non_null(late);
	assert_null(slot_of(wb_publisher_shm(d.pub), victim));
	assert_non_null(slot_of(wb_publisher_shm(d.pub), getpid()));
	wb_client_close(late);
	close(ready[0]);
	close(ready[1]);
	close(out[0]);
	close(out[1]);
	pubdrv_fini(&d);
}

/* Child: a live publisher heartbeating every ms until killed. */
static void
live_publisher(const char *name, uint64_t seed, int ready_fd)
{
	struct pubdrv d;

	alarm(60);
	if (pubdrv_init(&d, name, 1u << 12, 1u << 30, seed) != 0)
		_exit(2);
	wb_publisher_set_state(d.pub, WB_SHM_STATE_LIVE);
	if (write(ready_fd, "r", 1) != 1)
		_exit(2);
	for (;;) {
		pubdrv_run(&d, 20, 4);
		wb_publisher_heartbeat(d.pub);
		pubdrv_sleep_us(1000);
	}
}

static void
test_heartbeat_death(void **state)
{
	struct wb_client_status st = WB_CLIENT_STATUS_INIT;
	struct wb_client *c;
	uint64_t t0, t1 = 0;
	char name[32];
	int ready[2], ws;
	pid_t pid;

	(void)state;
	pubdrv_name(name, sizeof(name), "hb");
	assert_int_equal(pipe(ready), 0);
	pid = fork();
	if (pid == 0)
		live_publisher(name, 1, ready[1]);
	wait_ready(ready[0], 1);
	c = open_client(name);
	assert_non_null(c);
	do
		wb_client_status(c, &st);
	while (!st.alive);
	assert_int_equal(st.pid, pid);
	t0 = wb_mono_ns();
	assert_int_equal(kill(pid, SIGKILL), 0);
	while (wb_mono_ns() - t0 < 1000000000ull) {
		wb_client_status(c, &st);
		if (!st.alive) {
			t1 = wb_mono_ns();
			break;
		}
	}
	assert_true(t1 != 0);
	print_message("daemon death noticed after %.2f ms\n", (double)(t1 - t0) / 1e6);
	/* through the name's lock, which the kernel drops once the process has
	 * torn down its mappings (a few ms here): far below the 1 s heartbeat
	 * timeout, which only tells a stall */
	assert_true(t1 - t0 <= 100000000ull);
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	wb_client_close(c);
	close(ready[0]);
	close(ready[1]);
	pubdrv_unlink(name);
}

static void
count_any(void *ctx, const struct wb_event *ev)
{
	(void)ev;
	(*(uint64_t *)ctx)++;
}

static void
test_restart_reattach(void **state)
{
	struct wb_client_status st = WB_CLIENT_STATUS_INIT;
	struct wb_client *c;
	uint64_t epoch1, n = 0, t0;
	char name[32];
	int ready[2], ws, rc = 0;
	pid_t a, b;

	(void)state;
	pubdrv_name(name, sizeof(name), "rs");
	assert_int_equal(pipe(ready), 0);
	a = fork();
	if (a == 0)
		live_publisher(name, 1, ready[1]);
	wait_ready(ready[0], 1);
	c = open_client(name);
	assert_non_null(c);
	assert_int_equal(wb_client_subscribe(c, NULL), 0);
	while (n < 10)
		wb_client_poll(c, count_any, &n, 64);
	assert_int_equal(wb_client_status(c, &st), 0);
	epoch1 = st.epoch_ns;
	assert_int_equal(st.pid, a);
	kill(a, SIGKILL);
	assert_int_equal(waitpid(a, &ws, 0), a);
	b = fork();
	if (b == 0)
		live_publisher(name, 2, ready[1]);
	wait_ready(ready[0], 1);
	t0 = wb_mono_ns();
	while (wb_mono_ns() - t0 < 5000000000ull) {
		rc = wb_client_status(c, &st);
		if (rc == 1)
			break;
	}
	assert_int_equal(rc, 1);
	assert_true(st.alive);
	assert_int_equal(st.pid, b);
	assert_true(st.epoch_ns != epoch1);
	assert_true(st.reattached == 1);
	n = 0;
	t0 = wb_mono_ns();
	while (n < 10 && wb_mono_ns() - t0 < 5000000000ull)
		wb_client_poll(c, count_any, &n, 64);
	assert_true(n >= 10);
	kill(b, SIGKILL);
	assert_int_equal(waitpid(b, &ws, 0), b);
	wb_client_close(c);
	close(ready[0]);
	close(ready[1]);
	pubdrv_unlink(name);
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_four_identical),
		cmocka_unit_test(test_stopped_subscriber),
		cmocka_unit_test(test_killed_subscriber),
		cmocka_unit_test(test_heartbeat_death),
		cmocka_unit_test(test_restart_reattach),
	};
	/* clang-format on */

	if (access(PUBDRV_DIR, W_OK) != 0) {
		printf("skip: %s is not writable\n", PUBDRV_DIR);
		return WB_TEST_SKIP;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
