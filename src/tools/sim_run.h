/* SPDX-License-Identifier: BSD-3-Clause */
/* `wirebook sim`'s options and its send loop (sim_run.c); cmd_sim.c parses them. */
#ifndef WB_SIM_RUN_H
#define WB_SIM_RUN_H

#include <signal.h>
#include <stdint.h>

#include "sim.h"
#include "sim_server.h"
#include "wb_input.h"

struct sim_opts {
	uint32_t group[2];
	uint16_t port[2];
	uint64_t rate, count, duration_s, payload, ttl, linger_s, heartbeat_ms;
	const char *bind, *iface, *session, *file, *serve_bind;
	uint16_t serve_port;
	int loop;
	int pitch; /* datagrams are PITCH units: no MoldUDP64 history, heartbeat or server */
	struct sim_faults faults;
	struct sim_server server;
};

/* Set by SIGINT/SIGTERM: stop sending, print the counters, exit. */
extern volatile sig_atomic_t sim_stop;

/* Opens the sockets, builds the stream and sends it. Exit status. */
int sim_main(struct sim_opts *o, struct wb_input *in);

#endif /* WB_SIM_RUN_H */
