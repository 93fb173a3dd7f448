/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SDK's growable structs and the calls strategy writers asked for.
 * Sizes: a struct smaller than the library's is refused with -EINVAL and a
 * message naming the call; a larger one (a newer header) gets every field
 * the library knows and zeroes beyond; arrays are walked at the caller's
 * element size. wb_client_instrument() against the book and the directory.
 * wb_client_wait_open(): no region (times out, says so), a region that
 * appears late (opened), a killed daemon's and a stopped daemon's region
 * (waited past, named), a bad name (fails at once). wb_client_last_error() carries each message.
 */
#include "wb_test.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include "abi1/abi1_sizes.h"
#include "pubdrv.h"
#include "wirebook/wirebook.h"

#define CANARY 0xA5

static struct wb_client *
open_client(const char *name, int reg)
{
	struct wb_client_opts o = WB_CLIENT_OPTS_INIT;

	o.dir = PUBDRV_DIR;
	o.no_register = !reg;
	return wb_client_open(name, &o);
}

/* A live in-process publisher with a directory and some depth. */
static void
live_region(struct pubdrv *d, const char *tag)
{
	char name[32];

	pubdrv_name(name, sizeof(name), tag);
	assert_int_equal(pubdrv_init(d, name, 1u << 12, 1u << 20, 7), 0);
	pubdrv_run(d, 3000, 32);
	wb_publisher_set_state(d->pub, WB_SHM_STATE_LIVE);
	wb_publisher_heartbeat(d->pub);
}

/* A known instrument id, or fails. */
static uint32_t
known_id(struct wb_client *c)
{
	struct wb_client_book b = WB_CLIENT_BOOK_INIT;
	uint32_t i;

	for (i = 0; i < wb_client_max_instruments(c); i++)
		if (wb_client_book(c, i, &b) == 0 && b.nbid + b.nask > 0)
			return i;
	fail_msg("no instrument with depth");
	return 0;
}

static int
all_zero(const unsigned char *p, size_t n)
{
	while (n--)
		if (*p++ != 0)
			return 0;
	return 1;
}

static void
test_sizes(void **state)
{
	const size_t extra = 64;
	struct wb_client_status st = WB_CLIENT_STATUS_INIT;
	struct wb_client_book *b = calloc(1, sizeof(*b));
	unsigned char *big = malloc(sizeof(struct wb_client_book) + extra);
	struct wb_client_opts o = WB_CLIENT_OPTS_INIT;
	struct wb_client *c, *c2;
	struct pubdrv d;
	uint32_t id, size, stride;
	int rc;

	(void)state;
	assert_non_null(b);
	assert_non_null(big);
	live_region(&d, "sizes");
	c = open_client(d.name, 1);
	assert_non_null(c);

	/* too small: refused, by name */
	st.size = 0;
	assert_int_equal(wb_client_status(c, &st), -EINVAL);
	assert_non_null(strstr(wb_client_last_error(), "wb_client_status: size 0 is smaller"));
	st.size = sizeof(st) - 4;
	assert_int_equal(wb_client_status(c, &st), -EINVAL);
	b->size = sizeof(*b) - 8;
	assert_int_equal(wb_client_book(c, 1, b), -EINVAL);
	assert_non_null(strstr(wb_client_last_error(), "wb_client_book: size"));
	o.dir = PUBDRV_DIR;
	o.size = 8;
	errno = 0;
	assert_null(wb_client_open(d.name, &o));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(wb_client_last_error(), "opts"));

	/* exact size */
	st.size = sizeof(st);
	assert_true(wb_client_status(c, &st) >= 0);
	assert_int_equal(st.size, sizeof(st));
	assert_true(st.alive);
	assert_int_equal(st.depth, 10);
	id = known_id(c);
	b->size = sizeof(*b);
	assert_int_equal(wb_client_book(c, id, b), 0);
	assert_int_equal(b->size, sizeof(*b));

	/* a newer caller's larger struct: the same fields, zeroes past them */
	memset(big, CANARY, sizeof(struct wb_client_status) + extra);
	size = (uint32_t)(sizeof(struct wb_client_status) + extra);
	memcpy(big, &size, 4);
	assert_true(wb_client_status(c, (struct wb_client_status *)(void *)big) >= 0);
	assert_int_equal(((struct wb_client_status *)(void *)big)->depth, 10);
	assert_int_equal(((struct wb_client_status *)(void *)big)->size, size);
	assert_true(all_zero(big + sizeof(struct wb_client_status), extra));
	memset(big, CANARY, sizeof(struct wb_client_book) + extra);
	size = (uint32_t)(sizeof(struct wb_client_book) + extra);
	memcpy(big, &size, 4);
	assert_int_equal(wb_client_book(c, id, (struct wb_client_book *)(void *)big), 0);
	assert_memory_equal(big + 4, (unsigned char *)b + 4,
			    offsetof(struct wb_client_book, bid) - 4);
	assert_int_equal(((struct wb_client_book *)(void *)big)->bid[0].price, b->bid[0].price);
	assert_true(all_zero(big + sizeof(struct wb_client_book), extra));

	/* arrays: element i at i * out[0].size, each element's size set */
	c2 = open_client(d.name, 1);
	assert_non_null(c2);
	stride = (uint32_t)(sizeof(struct wb_client_reader) + 24);
	memset(big, CANARY, 2 * stride);
	memcpy(big, &stride, 4);
	rc = wb_client_readers(c, (struct wb_client_reader *)(void *)big, 2);
	assert_int_equal(rc, 2);
	for (size = 0; size < 2; size++) {
		const struct wb_client_reader *r =
		    (const struct wb_client_reader *)(const void *)(big + size * stride);

		assert_int_equal(r->size, stride);
		assert_int_equal(r->pid, (uint32_t)getpid());
		assert_true(all_zero(big + size * stride + sizeof(*r), stride - sizeof(*r)));
	}
	stride = (uint32_t)(sizeof(struct wb_client_channel) + 8);
	memset(big, CANARY, 2 * stride);
	memcpy(big, &stride, 4);
	assert_int_equal(wb_client_channels(c, (struct wb_client_channel *)(void *)big, 2), 1);
	assert_true(((struct wb_client_channel *)(void *)big)->messages >= 3000);
	assert_true(all_zero(big + sizeof(struct wb_client_channel), 8));
	assert_int_equal(big[stride], CANARY); /* one channel: the second is untouched */
	stride = 12;
	memcpy(big, &stride, 4);
	assert_int_equal(wb_client_channels(c, (struct wb_client_channel *)(void *)big, 2),
			 -EINVAL);
	assert_int_equal(wb_client_readers(c, (struct wb_client_reader *)(void *)big, 2), -EINVAL);

	wb_client_close(c2);
	wb_client_close(c);
	pubdrv_fini(&d);
	free(big);
	free(b);
}

/* Structs of the 1.x sizes (abi1/), had the loader let such a caller in. */
static void
test_old_sizes(void **state)
{
	struct wb_client_book *b = calloc(1, sizeof(*b));
	struct wb_client_channel ch[2];
	struct wb_client *c;
	struct pubdrv d;
	char want[96];

	(void)state;
	assert_non_null(b);
	assert_true(abi1_book_size < sizeof(*b));
	assert_true(abi1_channel_size < sizeof(ch[0]));
	live_region(&d, "old");
	c = open_client(d.name, 0);
	assert_non_null(c);
	b->size = abi1_book_size;
	assert_int_equal(wb_client_book(c, known_id(c), b), -EINVAL);
	snprintf(want, sizeof(want), "wb_client_book: size %u is smaller than %zu", abi1_book_size,
		 sizeof(*b));
	assert_non_null(strstr(wb_client_last_error(), want));
	ch[0].size = abi1_channel_size;
	assert_int_equal(wb_client_channels(c, ch, 2), -EINVAL);
	assert_non_null(strstr(wb_client_last_error(), "wb_client_channels: size"));
	wb_client_close(c);
	pubdrv_fini(&d);
	free(b);
}

static void
test_instrument(void **state)
{
	struct wb_client_instrument in = WB_CLIENT_INSTRUMENT_INIT;
	struct wb_client_book b = WB_CLIENT_BOOK_INIT;
	struct wb_client *c;
	struct pubdrv d;
	uint32_t id, i, unknown = UINT32_MAX;

	(void)state;
	live_region(&d, "instr");
	c = open_client(d.name, 0);
	assert_non_null(c);
	id = known_id(c);
	assert_int_equal(wb_client_book(c, id, &b), 0);
	assert_int_equal(wb_client_instrument(c, id, &in), 0);
	assert_int_equal(in.size, sizeof(in));
	assert_int_equal(in.id, id);
	assert_string_equal(in.symbol, b.symbol);
	assert_int_equal(wb_client_lookup(c, in.symbol), (int)id);
	assert_int_equal(in.price_exp, b.price_exp);
	assert_int_equal(in.price_exp, -4); /* ITCH */
	assert_int_equal(in.venue, b.venue);
	assert_int_equal(in.trading_state, b.trading_state);
	assert_int_equal(in.stale, b.stale);
	assert_string_equal(in.long_name, ""); /* ITCH names no long name */
	/* a WIREBOOK_2.0 caller's 24 bytes: its fields, nothing past them */
	{
		unsigned char old[sizeof(in)];
		uint32_t size = 24;

		memset(old, CANARY, sizeof(old));
		memcpy(old, &size, 4);
		assert_int_equal(wb_client_instrument(c, id, (void *)old), 0);
		assert_int_equal(((struct wb_client_instrument *)(void *)old)->size, 24);
		assert_int_equal(((struct wb_client_instrument *)(void *)old)->id, id);
		assert_string_equal(((struct wb_client_instrument *)(void *)old)->symbol,
				    in.symbol);
		assert_int_equal(old[24], CANARY);
	}
	/* not (yet) in the directory, and out of range */
	for (i = 0; i < wb_client_max_instruments(c) && unknown == UINT32_MAX; i++)
		if (wb_client_book(c, i, &b) == -ENOENT)
			unknown = i;
	assert_true(unknown != UINT32_MAX);
	assert_int_equal(wb_client_instrument(c, unknown, &in), -ENOENT);
	assert_non_null(strstr(wb_client_last_error(), "unknown"));
	assert_int_equal(wb_client_instrument(c, wb_client_max_instruments(c), &in), -EINVAL);
	in.size = 4;
	assert_int_equal(wb_client_instrument(c, id, &in), -EINVAL);
	wb_client_close(c);
	pubdrv_fini(&d);
}

static uint64_t
elapsed_ms(uint64_t t0)
{
	return (wb_mono_ns() - t0) / 1000000u;
}

static void
test_wait_open(void **state)
{
	struct wb_client_opts o = WB_CLIENT_OPTS_INIT;
	struct wb_client_status st = WB_CLIENT_STATUS_INIT;
	struct wb_client *c;
	struct pubdrv d;
	char name[32];
	uint64_t t0;
	pid_t pid;
	int wst;

	(void)state;
	o.dir = PUBDRV_DIR;
	o.no_register = 1;

	/* nothing there: ETIMEDOUT after the timeout, saying what it saw */
	pubdrv_name(name, sizeof(name), "absent");
	t0 = wb_mono_ns();
	errno = 0;
	assert_null(wb_client_wait_open(name, &o, 80000000ull));
	assert_int_equal(errno, ETIMEDOUT);
	assert_true(elapsed_ms(t0) >= 80);
	assert_non_null(strstr(wb_client_last_error(), "no live daemon"));
	assert_non_null(strstr(wb_client_last_error(), "no region"));
	assert_null(wb_client_wait_open(name, &o, 0)); /* one try */
	assert_int_equal(errno, ETIMEDOUT);

	/* a bad name: at once, whatever the timeout */
	t0 = wb_mono_ns();
	assert_null(wb_client_wait_open("a/b", &o, 10000000000ull));
	assert_int_equal(errno, EINVAL);
	assert_true(elapsed_ms(t0) < 1000);

	/* a daemon that appears 200 ms later */
	pubdrv_name(name, sizeof(name), "late");
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(30);
		pubdrv_sleep_us(200000);
		if (pubdrv_init(&d, name, 1u << 12, 1u << 20, 5) != 0)
			_exit(2);
		wb_publisher_set_state(d.pub, WB_SHM_STATE_LIVE);
		for (;;) {
			pubdrv_run(&d, 4, 4);
			wb_publisher_heartbeat(d.pub);
			pubdrv_sleep_us(1000);
		}
	}
	t0 = wb_mono_ns();
	c = wb_client_wait_open(name, &o, 10000000000ull);
	assert_non_null(c);
	assert_true(elapsed_ms(t0) >= 150);
	assert_true(wb_client_status(c, &st) >= 0);
	assert_true(st.alive);
	assert_int_equal(st.pid, (uint32_t)pid);
	wb_client_close(c);
	kill(pid, SIGKILL);
	waitpid(pid, &wst, 0);
	pubdrv_unlink(name);

	/* a daemon killed while live: its region stays, LIVE; waited past */
	pubdrv_name(name, sizeof(name), "killed");
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(30);
		if (pubdrv_init(&d, name, 1u << 12, 1u << 20, 5) != 0)
			_exit(2);
		wb_publisher_set_state(d.pub, WB_SHM_STATE_LIVE);
		wb_publisher_heartbeat(d.pub);
		pause();
		_exit(0);
	}
	c = wb_client_wait_open(name, &o, 10000000000ull);
	assert_non_null(c); /* alive first */
	/* a STARTING region with a fresh heartbeat is alive too: kill the
	 * daemon only once it has said LIVE, or the region is left STARTING */
	t0 = wb_mono_ns();
	do {
		assert_true(wb_client_status(c, &st) >= 0);
		if (st.state != WB_CLIENT_LIVE)
			pubdrv_sleep_us(1000);
	} while (st.state != WB_CLIENT_LIVE && elapsed_ms(t0) < 10000);
	assert_int_equal(st.state, WB_CLIENT_LIVE);
	wb_client_close(c);
	kill(pid, SIGKILL);
	waitpid(pid, &wst, 0);
	assert_null(wb_client_wait_open(name, &o, 50000000ull));
	assert_int_equal(errno, ETIMEDOUT);
	assert_non_null(strstr(wb_client_last_error(), "is live"));
	assert_non_null(strstr(wb_client_last_error(), "gone"));
	pubdrv_unlink(name);

	/* a stopped daemon's region: waited past, and named in the message */
	pubdrv_name(name, sizeof(name), "stopped");
	assert_int_equal(pubdrv_init(&d, name, 1u << 12, 1u << 20, 5), 0);
	wb_publisher_set_state(d.pub, WB_SHM_STATE_STOPPED);
	wb_publisher_heartbeat(d.pub);
	c = wb_client_open(name, &o); /* open alone takes it */
	assert_non_null(c);
	wb_client_close(c);
	assert_null(wb_client_wait_open(name, &o, 50000000ull));
	assert_int_equal(errno, ETIMEDOUT);
	assert_non_null(strstr(wb_client_last_error(), "is stopped"));
	pubdrv_fini(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sizes),
	    cmocka_unit_test(test_old_sizes),
	    cmocka_unit_test(test_instrument),
	    cmocka_unit_test(test_wait_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
