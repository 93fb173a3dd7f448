/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test publisher: a wb_gen stream through a real wb_feed into a real
 * wb_publisher, in bursts, as the daemon's rx loop would drive it.
 */
#ifndef WB_TEST_PUBDRV_H
#define WB_TEST_PUBDRV_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wb_err.h"
#include "wb_feed.h"
#include "wb_gen.h"
#include "wb_publish.h"
#include "wb_shm.h"
#include "wb_tsc.h"

#define PUBDRV_DIR "/dev/shm"

struct pubdrv {
	struct wb_feed *feed;
	struct wb_publisher *pub;
	struct wb_gen *gen;
	uint64_t seq;
	uint64_t msgs;
	char name[32];
};

/*
 * At exit, removes every region this process named (wirebook.t<pid>-*): a
 * failed assertion leaves its test early, before the test's own unlink.
 */
static void
pubdrv_sweep(void)
{
	char prefix[32], path[512];
	struct dirent *e;
	DIR *d = opendir(PUBDRV_DIR);

	if (d == NULL)
		return;
	snprintf(prefix, sizeof(prefix), "wirebook.t%d-", (int)getpid());
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
			continue;
		snprintf(path, sizeof(path), PUBDRV_DIR "/%s", e->d_name);
		unlink(path);
	}
	closedir(d);
}

static inline void
pubdrv_name(char *buf, size_t len, const char *tag)
{
	static int swept;

	if (!swept) {
		swept = 1;
		atexit(pubdrv_sweep);
	}
	snprintf(buf, len, "t%d-%s", (int)getpid(), tag);
}

/* A feed with a generator; the publisher is created only if name != NULL. */
static inline int
pubdrv_init(struct pubdrv *d, const char *name, uint32_t slots, uint64_t messages, uint64_t seed)
{
	struct wb_publish_params pp;
	struct wb_feed_params fp;
	struct wb_gen_params gp;

	memset(d, 0, sizeof(*d));
	wb_feed_params_default(&fp);
	fp.book.max_orders = 1u << 16;
	fp.book.max_levels = 1u << 16;
	fp.book.max_instruments = 1024;
	d->feed = wb_feed_create(&fp);
	if (d->feed == NULL)
		return -1;
	wb_gen_params_default(&gp);
	gp.seed = seed;
	gp.messages = messages;
	gp.instruments = 50;
	gp.target_orders = 2000;
	d->gen = wb_gen_create(&gp);
	if (d->gen == NULL)
		return -1;
	if (name == NULL)
		return 0;
	snprintf(d->name, sizeof(d->name), "%s", name);
	wb_publish_params_default(&pp);
	pp.name = name;
	pp.dir = PUBDRV_DIR;
	pp.ring_slots = slots;
	pp.depth = 10;
	pp.max_instruments = 1024;
	d->pub = wb_publisher_create(&pp);
	if (d->pub == NULL) {
		fprintf(stderr, "publisher: %s\n", wb_err_msg());
		return -1;
	}
	return wb_publisher_attach(d->pub, d->feed);
}

/* Feeds up to n messages in bursts of `burst`; returns how many were fed. */
static inline uint64_t
pubdrv_run(struct pubdrv *d, uint64_t n, unsigned int burst)
{
	uint8_t buf[WB_ITCH_MAX_MSG_LEN];
	uint64_t done = 0;
	unsigned int len, k = 0;

	while (done < n && (len = wb_gen_next(d->gen, buf)) != 0) {
		wb_feed_message(d->feed, buf, len, ++d->seq, wb_rdtsc());
		done++;
		if (++k == burst) {
			wb_feed_burst_end(d->feed);
			k = 0;
		}
	}
	wb_feed_burst_end(d->feed);
	d->msgs += done;
	return done;
}

static inline void
pubdrv_unlink(const char *name)
{
	wb_shm_unlink(PUBDRV_DIR, name);
}

static inline void
pubdrv_fini(struct pubdrv *d)
{
	wb_publisher_destroy(d->pub);
	wb_feed_destroy(d->feed);
	wb_gen_destroy(d->gen);
	if (d->name[0] != '\0')
		pubdrv_unlink(d->name);
	memset(d, 0, sizeof(*d));
}

static inline void
pubdrv_sleep_us(unsigned int us)
{
	struct timespec ts = {0, (long)us * 1000};

	nanosleep(&ts, NULL);
}

static inline uint64_t
pubdrv_fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		h = (h ^ *b++) * 0x100000001b3ull;
	return h;
}

#endif /* WB_TEST_PUBDRV_H */
