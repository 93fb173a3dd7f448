/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Not a test: runs `wirebook bench shm` on its own, for hosts where the
 * bench dispatcher is not wired yet. Same code, same options.
 */
#include "bench_shm.h"

int
main(int argc, char **argv)
{
	return wb_bench_shm(argc, argv);
}
