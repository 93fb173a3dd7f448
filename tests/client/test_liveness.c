/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Liveness as a client sees it. A publisher child beats the heartbeat every
 * millisecond as the daemon's main lcore does; with two CPU hogs making the
 * host busy, the library must never call it dead (the 5 ms timeout it had
 * did, many times a second). A stalled publisher (SIGSTOP past the timeout)
 * is not alive, and alive again once it runs; a killed one is dead at once,
 * through the name's lock, not after a timeout.
 */
#include "wb_test.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <sys/wait.h>

#include "pubdrv.h"
#include "wirebook/wirebook.h"

static pid_t
spawn_publisher(const char *name, int ready_fd)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		struct pubdrv d;

		alarm(60);
		if (pubdrv_init(&d, name, 1u << 12, 1u << 30, 3) != 0)
			_exit(2);
		wb_publisher_set_state(d.pub, WB_SHM_STATE_LIVE);
		if (write(ready_fd, "r", 1) != 1)
			_exit(2);
		for (;;) {
			pubdrv_run(&d, 4, 4);
			wb_publisher_heartbeat(d.pub);
			pubdrv_sleep_us(1000);
		}
	}
	return pid;
}

static pid_t
spawn_hog(void)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		volatile uint64_t x = 0;

		alarm(30);
		for (;;)
			x++;
	}
	return pid;
}

static struct wb_client *
open_client(const char *name, uint64_t timeout_ns)
{
	struct wb_client_opts o;
	struct wb_client *c;

	wb_client_opts_default(&o);
	o.dir = PUBDRV_DIR;
	o.no_register = 1;
	if (timeout_ns != 0)
		o.alive_timeout_ns = timeout_ns;
	c = wb_client_open(name, &o);
	return c;
}

static void
reap(pid_t pid)
{
	int st;

	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &st, 0), pid);
}

static void
test_busy_host_no_flip(void **state)
{
	struct wb_client_status st = WB_CLIENT_STATUS_INIT;
	struct wb_client *c;
	uint64_t t0, polls = 0, deaths = 0, max_age = 0;
	int ready[2], was = 1;
	char name[32], r;
	pid_t pub, hog[2];

	(void)state;
	pubdrv_name(name, sizeof(name), "lv");
	assert_int_equal(pipe(ready), 0);
	pub = spawn_publisher(name, ready[1]);
	assert_int_equal(read(ready[0], &r, 1), 1);
	hog[0] = spawn_hog();
	hog[1] = spawn_hog();
	c = open_client(name, 0);
	assert_non_null(c);
	t0 = wb_mono_ns();
	while (wb_mono_ns() - t0 < 3000000000ull) {
		assert_true(wb_client_status(c, &st) >= 0);
		deaths += was && !st.alive;
		was = st.alive;
		if (st.heartbeat_age_ns > max_age)
			max_age = st.heartbeat_age_ns;
		polls++;
		pubdrv_sleep_us(100);
	}
	print_message("busy host: %" PRIu64 " polls, largest heartbeat age %.2f ms, %" PRIu64
		      " deaths\n",
		      polls, (double)max_age / 1e6, deaths);
	assert_int_equal(deaths, 0);
	reap(hog[0]);
	reap(hog[1]);
	reap(pub);
	wb_client_close(c);
	close(ready[0]);
	close(ready[1]);
	pubdrv_unlink(name);
}

static void
test_stall_then_kill(void **state)
{
	struct wb_client_status st = WB_CLIENT_STATUS_INIT;
	struct wb_client *c;
	uint64_t t0, t1 = 0;
	int ready[2], ws;
	char name[32], r;
	pid_t pub;

	(void)state;
	pubdrv_name(name, sizeof(name), "st");
	assert_int_equal(pipe(ready), 0);
	pub = spawn_publisher(name, ready[1]);
	assert_int_equal(read(ready[0], &r, 1), 1);
	c = open_client(name, 200000000ull); /* 200 ms, to keep the test short */
	assert_non_null(c);
	assert_true(wb_client_status(c, &st) >= 0);
	assert_true(st.alive);
	/* stalled past the timeout: not alive, but not replaced either */
	assert_int_equal(kill(pub, SIGSTOP), 0);
	assert_int_equal(waitpid(pub, &ws, WUNTRACED), pub);
	pubdrv_sleep_us(400000);
	assert_true(wb_client_status(c, &st) >= 0);
	assert_false(st.alive);
	assert_true(st.heartbeat_age_ns > 200000000ull);
	assert_int_equal(st.pid, pub);
	assert_int_equal(wb_shm_owner_alive(PUBDRV_DIR, name), 1);
	/* running again: alive again, same daemon */
	assert_int_equal(kill(pub, SIGCONT), 0);
	t0 = wb_mono_ns();
	do
		assert_true(wb_client_status(c, &st) >= 0);
	while (!st.alive && wb_mono_ns() - t0 < 2000000000ull);
	assert_true(st.alive);
	assert_int_equal(st.reattached, 0);
	/* killed: dead as soon as the kernel has dropped its lock */
	t0 = wb_mono_ns();
	assert_int_equal(kill(pub, SIGKILL), 0);
	while (wb_mono_ns() - t0 < 1000000000ull) {
		assert_true(wb_client_status(c, &st) >= 0);
		if (!st.alive) {
			t1 = wb_mono_ns();
			break;
		}
	}
	assert_true(t1 != 0);
	print_message("killed publisher noticed after %.2f ms\n", (double)(t1 - t0) / 1e6);
	assert_true(t1 - t0 < 100000000ull); /* far below the 200 ms timeout */
	assert_int_equal(waitpid(pub, &ws, 0), pub);
	wb_client_close(c);
	close(ready[0]);
	close(ready[1]);
	pubdrv_unlink(name);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_busy_host_no_flip),
	    cmocka_unit_test(test_stall_then_kill),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
