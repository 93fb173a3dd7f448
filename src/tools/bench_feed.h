/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef BENCH_FEED_H
#define BENCH_FEED_H

/* `wirebook bench feed`: the daemon's path after the NIC, over a capture. */
int wb_bench_feed(int argc, char **argv);

#endif /* BENCH_FEED_H */
