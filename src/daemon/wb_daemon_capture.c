/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The capture writer: one thread (on the main lcore's core, whose affinity
 * it inherits) drains the handoff rings the rx lcores fill (wb_io.h:
 * wb_io_capture_poll) into pcapng files, one series per port:
 * PREFIX.000001.pcapng, PREFIX.000002.pcapng, ... rotated by size and by
 * time. The receive TSC of each frame becomes a nanosecond wall-clock stamp
 * through the daemon's calibration, anchored to CLOCK_REALTIME at start;
 * a frame whose port stamps it with its time in a file (net_pcap, the
 * replay port: [portN] hw_timestamp, wb_io.h) keeps that time instead.
 *
 * The rx lcore never waits for it: what its ring cannot take is counted
 * (capture_dropped, per lcore). A file that cannot be written is reported
 * once, the port's capture stops, and its later frames are counted as
 * write_dropped here.
 *
 * For the tests only: WB_TEST_CAPTURE_STALL_US=N in the environment makes
 * the writer sleep N us after each frame, a disk that cannot keep up, so
 * that the drop path can be shown (tests/e2e/test_capture.sh).
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wb_daemon.h"
#include "wb_err.h"
#include "wb_pcap.h"
#include "wb_tsc.h"

struct wb_cap_port {
	const struct wb_daemon_port_cfg *cfg;
	struct wb_pcapng_writer *w;
	uint64_t opened_ns;
	uint32_t seq;
	int failed;
	uint64_t frames, bytes, files, write_dropped;
};

struct wb_daemon_cap {
	struct wb_daemon *d;
	pthread_t th;
	_Atomic int quit;
	uint64_t tsc0, real0;
	double ns_per_tick;
	struct timespec stall; /* WB_TEST_CAPTURE_STALL_US; 0: none */
	struct wb_cap_port port[WB_IO_MAX_PORTS];
};

static uint64_t
wb_cap_realtime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
wb_cap_close(struct wb_cap_port *p)
{
	if (p->w != NULL && wb_pcapng_writer_close(p->w) < 0 && !p->failed) {
		fprintf(stderr, "wirebookd: capture: %s\n", wb_err_msg());
		p->failed = 1;
	}
	p->w = NULL;
}

static void
wb_cap_on_frame(void *ctx, unsigned int port, const uint8_t *frame, uint32_t len, uint64_t tsc,
		uint64_t file_ns)
{
	struct wb_daemon_cap *cap = ctx;
	struct wb_cap_port *p = &cap->port[port];
	char path[WB_DAEMON_PATH_LEN + 32];
	double dt = ((double)tsc - (double)cap->tsc0) * cap->ns_per_tick;
	/* a replayed file's frames keep their times: a capture of it paces the same */
	uint64_t ts = file_ns != 0 ? file_ns : (uint64_t)((double)cap->real0 + dt);

	if (p->failed) {
		p->write_dropped++;
		return;
	}
	if (p->w == NULL) {
		snprintf(path, sizeof(path), "%s.%06u.pcapng", p->cfg->capture, ++p->seq);
		p->w = wb_pcapng_writer_open(path, p->cfg->io.linktype, p->cfg->io.mbuf_size,
					     p->cfg->io.device);
		if (p->w == NULL) {
			fprintf(stderr, "wirebookd: capture: %s (port %u's capture stops)\n",
				wb_err_msg(), port);
			p->failed = 1;
			p->write_dropped++;
			return;
		}
		p->opened_ns = wb_mono_ns();
		p->files++;
	}
	if (wb_pcapng_write(p->w, ts, frame, len, len) < 0) {
		fprintf(stderr, "wirebookd: capture: %s (port %u's capture stops)\n", wb_err_msg(),
			port);
		p->failed = 1;
		p->write_dropped++;
		wb_cap_close(p);
		return;
	}
	p->frames++;
	p->bytes += len;
	if (cap->stall.tv_nsec != 0 || cap->stall.tv_sec != 0)
		nanosleep(&cap->stall, NULL);
	if (p->cfg->capture_rotate_mb != 0 &&
	    wb_pcapng_writer_bytes(p->w) >= (uint64_t)p->cfg->capture_rotate_mb << 20)
		wb_cap_close(p);
}

static void *
wb_cap_main(void *arg)
{
	struct wb_daemon_cap *cap = arg;
	const struct wb_daemon_cfg *c = cap->d->cfg;
	struct timespec ts = {0, 200000};
	unsigned int i, n;
	uint64_t now;

	for (;;) {
		n = wb_io_capture_poll(cap->d->io, wb_cap_on_frame, cap, 4096);
		now = wb_mono_ns();
		for (i = 0; i < c->nports; i++) {
			struct wb_cap_port *p = &cap->port[i];

			if (p->w != NULL && p->cfg->capture_rotate_s != 0 &&
			    now - p->opened_ns >= (uint64_t)p->cfg->capture_rotate_s * 1000000000u)
				wb_cap_close(p);
		}
		if (n != 0)
			continue;
		/* acquire: pairs with the release in stop, after the rx lcores were joined */
		if (atomic_load_explicit(&cap->quit, memory_order_acquire)) {
			if (wb_io_capture_poll(cap->d->io, wb_cap_on_frame, cap, UINT32_MAX) == 0)
				break;
			continue;
		}
		nanosleep(&ts, NULL);
	}
	for (i = 0; i < c->nports; i++)
		wb_cap_close(&cap->port[i]);
	return NULL;
}

struct wb_daemon_cap *
wb_daemon_capture_start(struct wb_daemon *d)
{
	struct wb_daemon_cap *cap;
	const char *stall;
	unsigned int i;
	int rc;

	if (!wb_io_capturing(d->io))
		return NULL;
	cap = calloc(1, sizeof(*cap));
	if (cap == NULL) {
		fprintf(stderr, "wirebookd: capture: out of memory\n");
		return NULL;
	}
	cap->d = d;
	stall = getenv("WB_TEST_CAPTURE_STALL_US");
	if (stall != NULL) {
		unsigned long us = strtoul(stall, NULL, 10);

		cap->stall.tv_sec = (time_t)(us / 1000000u);
		cap->stall.tv_nsec = (long)(us % 1000000u) * 1000;
		fprintf(stderr, "wirebookd: capture: the writer stalls %lu us a frame (test)\n", us);
	}
	for (i = 0; i < d->cfg->nports; i++)
		cap->port[i].cfg = &d->cfg->port[i];
	cap->ns_per_tick = d->cal.ns_per_tick;
	cap->tsc0 = wb_rdtsc();
	cap->real0 = wb_cap_realtime();
	rc = pthread_create(&cap->th, NULL, wb_cap_main, cap);
	if (rc != 0) {
		fprintf(stderr, "wirebookd: capture writer: %s\n", strerror(rc));
		free(cap);
		return NULL;
	}
	return cap;
}

void
wb_daemon_capture_stop(struct wb_daemon_cap *cap, FILE *summary)
{
	unsigned int i;

	if (cap == NULL)
		return;
	atomic_store_explicit(&cap->quit, 1, memory_order_release);
	pthread_join(cap->th, NULL);
	for (i = 0; i < cap->d->cfg->nports; i++) {
		const struct wb_cap_port *p = &cap->port[i];

		if (p->cfg->capture[0] == '\0')
			continue;
		fprintf(summary,
			"capture.%u\t%s\tframes %" PRIu64 "\tbytes %" PRIu64 "\tfiles %" PRIu64
			"\twrite_dropped %" PRIu64 "\n",
			i, p->cfg->capture, p->frames, p->bytes, p->files, p->write_dropped);
	}
	free(cap);
}
