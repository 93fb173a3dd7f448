/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shm region itself, in one process and a few forked ones: file modes,
 * header validation on attach, the client slots, the published TSC
 * calibration, the kernel refusing a client's write, and the lock that
 * keeps a running daemon's name. The ring and the mark ring are in
 * test_shm_ring.c, a publisher's region read by the SDK in test_shm_publish.c.
 */
#include "wb_test.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include "shm_test.h"
#include "wirebook/wirebook.h"

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

/* Clients map the market data PROT_READ: a store faults, mprotect is refused. */
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
 * A second daemon may not take over the name of a running one. The name is
 * held by a lock that dies with its owner: a stalled owner (no heartbeat
 * for ages, then SIGSTOPped for 3 s) keeps it; once it is gone, by detach or
 * by SIGKILL, the name is free at once.
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
		cmocka_unit_test(test_client_write_faults),
		cmocka_unit_test(test_name_in_use),
	};
	/* clang-format on */

	if (shm_test_skip())
		return WB_TEST_SKIP;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
