/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Not a test: how often would a client have called a running daemon dead?
 *   hb_flips NAME SECONDS [DIR]
 * Polls wb_client_status() of region NAME every 100 us for SECONDS and
 * prints, on one line, the largest heartbeat age seen, how many times the
 * age rose above each of 5 ms, 20 ms, 100 ms, 500 ms and 1 s (the flips a
 * heartbeat-only client with that timeout would have reported) and how many
 * times the library's own verdict (st.alive, default options) went from
 * alive to dead. Run it next to an idle daemon with the host busy
 * (docs/reliability.md has the command and the figures).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "wb_tsc.h"
#include "wirebook/wirebook.h"

int
main(int argc, char **argv)
{
	static const uint64_t lim[] = {5000000, 20000000, 100000000, 500000000, 1000000000};
	uint64_t above[5] = {0}, max_age = 0, end, polls = 0, deaths = 0;
	int over[5] = {0}, was_alive = 1;
	struct wb_client_status st = WB_CLIENT_STATUS_INIT;
	struct wb_client_opts o;
	struct wb_client *c;
	struct timespec ts = {0, 100000};
	unsigned int i;

	if (argc < 3) {
		fprintf(stderr, "usage: hb_flips NAME SECONDS [DIR]\n");
		return 2;
	}
	wb_client_opts_default(&o);
	o.dir = argc > 3 ? argv[3] : NULL;
	o.no_register = 1;
	c = wb_client_open(argv[1], &o);
	if (c == NULL) {
		perror("hb_flips: wb_client_open");
		return 1;
	}
	end = wb_mono_ns() + (uint64_t)(atof(argv[2]) * 1e9);
	while (wb_mono_ns() < end) {
		if (wb_client_status(c, &st) < 0)
			break;
		polls++;
		if (st.heartbeat_age_ns > max_age)
			max_age = st.heartbeat_age_ns;
		for (i = 0; i < 5; i++) {
			int o2 = st.heartbeat_age_ns > lim[i];

			above[i] += o2 && !over[i];
			over[i] = o2;
		}
		deaths += was_alive && !st.alive;
		was_alive = st.alive;
		nanosleep(&ts, NULL);
	}
	printf("polls %llu max_age_ms %.3f above_5ms %llu above_20ms %llu above_100ms %llu "
	       "above_500ms %llu above_1s %llu library_dead %llu\n",
	       (unsigned long long)polls, (double)max_age / 1e6, (unsigned long long)above[0],
	       (unsigned long long)above[1], (unsigned long long)above[2],
	       (unsigned long long)above[3], (unsigned long long)above[4],
	       (unsigned long long)deaths);
	wb_client_close(c);
	return 0;
}
