/* SPDX-License-Identifier: BSD-3-Clause */
/* The request server of `wirebook sim` (sim_server.c). */
#ifndef WB_SIM_SERVER_H
#define WB_SIM_SERVER_H

#include <stdint.h>
#include <stdio.h>

#include "sim.h"

struct sim_server {
	int fd;
	int down;	    /* read and count requests, never answer */
	uint64_t max_count; /* messages answered per request (0: no cap) */
	uint64_t history;   /* messages kept behind the newest sent (0: all) */
	size_t payload;	    /* largest reply packet */
	const struct sim_stream *stream;
	uint64_t sent_hi; /* one past the highest sequence sent on a line */
	struct sim_server_stats stats;
};

/* Binds a non-blocking UDP socket to addr (NULL: any):port. 0 or -1 (printed). */
int sim_server_open(struct sim_server *sv, const char *addr, uint16_t port);
void sim_server_close(struct sim_server *sv);
/* Answers every pending request; waits up to timeout_ms for the first. */
void sim_server_poll(struct sim_server *sv, int timeout_ms);
void sim_server_print(const struct sim_server *sv, FILE *out);

#endif /* WB_SIM_SERVER_H */
