/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by the shm tests (test_shm_*.c): the parameters of a small region
 * in PUBDRV_DIR, and the skip where that directory is missing.
 */
#ifndef WB_TEST_SHM_TEST_H
#define WB_TEST_SHM_TEST_H

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pubdrv.h"
#include "wb_shm.h"

static inline void
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

/* 1 (and says so) when PUBDRV_DIR is not there: main returns WB_TEST_SKIP. */
static inline int
shm_test_skip(void)
{
	struct stat st;

	if (stat(PUBDRV_DIR, &st) != 0) {
		printf("skip: %s is not available\n", PUBDRV_DIR);
		return 1;
	}
	return 0;
}

#endif /* WB_TEST_SHM_TEST_H */
