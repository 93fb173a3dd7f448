/* SPDX-License-Identifier: BSD-3-Clause */
/* `wirebook bench shm`: shared-memory fan-out latency and publisher cost. */
#ifndef WB_BENCH_SHM_H
#define WB_BENCH_SHM_H

/* argv[0] is "shm"; returns the process exit status (0, 1 failure, 2 usage). */
int wb_bench_shm(int argc, char **argv);

#endif /* WB_BENCH_SHM_H */
