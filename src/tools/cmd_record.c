/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `wirebook record`: subscribe to a daemon's region as a strategy would
 * (libwirebook, a registered reader) and write every event it delivers to
 * a file (wb_evrec.h). It waits for the region to appear, and ends when the
 * daemon has stopped and the ring is drained (or on a signal, --duration,
 * --count). To record a run from its first event, start the daemon with
 * --wait-readers 1: it publishes nothing until the recorder is attached.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <wirebook/wirebook.h>

#include "wb_cmd.h"
#include "wb_evrec.h"
#include "wb_opt.h"
#include "wb_shm.h"
#include "wb_tsc.h"

static volatile sig_atomic_t rec_quit;

static void
rec_on_signal(int sig)
{
	(void)sig;
	rec_quit = 1;
}

static void
put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void
put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t
get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

void
wb_evrec_hdr_encode(const struct wb_evrec_hdr *h, uint8_t out[WB_EVREC_HDR_SIZE])
{
	memset(out, 0, WB_EVREC_HDR_SIZE);
	memcpy(out, WB_EVREC_MAGIC, 8);
	put32(out + 8, h->version);
	put32(out + 12, h->hdr_size);
	put32(out + 16, h->event_size);
	put32(out + 20, h->abi_version);
	put64(out + 24, h->events);
	put64(out + 32, h->start_ns);
	put64(out + 40, h->epoch_ns);
	put32(out + 48, h->pid);
	put32(out + 52, h->flags);
	put64(out + 56, h->lapped);
	memcpy(out + 64, h->source, strnlen(h->source, 64));
}

int
wb_evrec_hdr_decode(const uint8_t in[WB_EVREC_HDR_SIZE], struct wb_evrec_hdr *h, char *err,
		    size_t errlen)
{
	memset(h, 0, sizeof(*h));
	if (memcmp(in, WB_EVREC_MAGIC, 8) != 0) {
		snprintf(err, errlen, "not a wirebook event recording (bad magic)");
		return -1;
	}
	h->version = get32(in + 8);
	h->hdr_size = get32(in + 12);
	h->event_size = get32(in + 16);
	h->abi_version = get32(in + 20);
	h->events = get64(in + 24);
	h->start_ns = get64(in + 32);
	h->epoch_ns = get64(in + 40);
	h->pid = get32(in + 48);
	h->flags = get32(in + 52);
	h->lapped = get64(in + 56);
	memcpy(h->source, in + 64, 64);
	h->source[64] = '\0';
	if (h->version != WB_EVREC_VERSION || h->hdr_size != WB_EVREC_HDR_SIZE ||
	    h->event_size != sizeof(struct wb_event)) {
		snprintf(err, errlen,
			 "recording format %u (header %u, event %u bytes): this build reads "
			 "format %u (%u, %zu)",
			 h->version, h->hdr_size, h->event_size, WB_EVREC_VERSION,
			 WB_EVREC_HDR_SIZE, sizeof(struct wb_event));
		return -1;
	}
	return 0;
}

struct rec_ctx {
	FILE *out;
	uint64_t events, lapped, max;
	int werr;
};

static void
rec_on_event(void *arg, const struct wb_event *ev)
{
	struct rec_ctx *r = arg;

	if (r->max != 0 && r->events >= r->max)
		return;
	if (ev->type == WB_CLIENT_EV_LAPPED)
		r->lapped += ev->u.gap.count;
	if (fwrite(ev, sizeof(*ev), 1, r->out) != 1)
		r->werr = 1;
	r->events++;
}

static void
rec_usage(FILE *out)
{
	fprintf(out,
		"usage: wirebook record --name NAME -o FILE [OPTIONS]\n"
		"Writes every event a reader of daemon NAME receives to FILE (format in\n"
		"docs/backtesting.md); ends when the daemon has stopped and all is read.\n"
		"  --wait SEC       wait this long for the region to appear (default 10)\n"
		"  --dir DIR        region directory (default: hugetlbfs, then /dev/shm)\n"
		"  --duration SEC   stop after SEC seconds\n"
		"  --count N        stop after N events\n"
		"  --symbol SYM     only this instrument's events (repeatable; default all)\n");
}

int
wb_cmd_record(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"name", required_argument, NULL, 'n'},   {"wait", required_argument, NULL, 'w'},
	    {"dir", required_argument, NULL, 'D'},    {"duration", required_argument, NULL, 'd'},
	    {"count", required_argument, NULL, 'c'},  {"help", no_argument, NULL, 'h'},
	    {"symbol", required_argument, NULL, 's'},
	    {NULL, 0, NULL, 0},
	};
	const char *name = NULL, *path = NULL, *syms[64];
	int nsym = 0;
	uint64_t wait_s = 10, duration_s = 0, t0, now;
	struct wb_client_opts co;
	struct wb_client_status st = WB_CLIENT_STATUS_INIT;
	struct wb_evrec_hdr h;
	struct rec_ctx r = {0};
	struct wb_client *c = NULL;
	struct timespec ts;
	struct sigaction sa;
	uint8_t hb[WB_EVREC_HDR_SIZE];
	int ch, n, status = 0;

	optind = 1;
	wb_client_opts_default(&co);
	while ((ch = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			name = optarg;
			break;
		case 'o':
			path = optarg;
			break;
		case 'w':
			if (wb_opt_u64("--wait", optarg, 0, 86400, &wait_s) < 0)
				return 2;
			break;
		case 'D':
			co.dir = optarg;
			break;
		case 'd':
			if (wb_opt_u64("--duration", optarg, 1, 31536000, &duration_s) < 0)
				return 2;
			break;
		case 'c':
			if (wb_opt_u64("--count", optarg, 1, UINT64_MAX, &r.max) < 0)
				return 2;
			break;
		case 's':
			if (nsym == 64) {
				fprintf(stderr, "wirebook record: at most 64 --symbol\n");
				return 2;
			}
			syms[nsym++] = optarg;
			break;
		case 'h':
			rec_usage(stdout);
			return 0;
		default:
			rec_usage(stderr);
			return 2;
		}
	}
	if (optind != argc || name == NULL || path == NULL) {
		rec_usage(stderr);
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = rec_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	t0 = wb_mono_ns();
	while ((c = wb_client_open(name, &co)) == NULL) {
		if (errno != ENOENT || rec_quit || wb_mono_ns() - t0 >= wait_s * 1000000000u) {
			fprintf(stderr, "wirebook record: %s: %s\n", name,
				errno == ENOENT ? "no such daemon region" : strerror(errno));
			return 1;
		}
		ts.tv_sec = 0;
		ts.tv_nsec = 2000000;
		nanosleep(&ts, NULL);
	}
	for (n = 0; n < nsym || (nsym == 0 && n == 0); n++) {
		int rc = wb_client_subscribe(c, nsym ? syms[n] : "*");

		if (rc < 0) {
			fprintf(stderr, "wirebook record: --symbol %s: %s\n", nsym ? syms[n] : "*",
				strerror(-rc));
			wb_client_close(c);
			return 2;
		}
	}
	r.out = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
	if (r.out == NULL) {
		fprintf(stderr, "wirebook record: %s: %s\n", path, strerror(errno));
		wb_client_close(c);
		return 1;
	}
	memset(&h, 0, sizeof(h));
	h.version = WB_EVREC_VERSION;
	h.hdr_size = WB_EVREC_HDR_SIZE;
	h.event_size = sizeof(struct wb_event);
	h.abi_version = WB_SHM_ABI_VERSION;
	clock_gettime(CLOCK_REALTIME, &ts);
	h.start_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	snprintf(h.source, sizeof(h.source), "%s", name);
	wb_evrec_hdr_encode(&h, hb);
	if (fwrite(hb, sizeof(hb), 1, r.out) != 1)
		r.werr = 1;
	t0 = wb_mono_ns();
	while (!rec_quit && !r.werr) {
		n = wb_client_poll(c, rec_on_event, &r, 4096);
		if (n < 0) {
			fprintf(stderr, "wirebook record: poll: %s\n", strerror(-n));
			status = 1;
			break;
		}
		if (r.max != 0 && r.events >= r.max)
			break;
		now = wb_mono_ns();
		if (duration_s != 0 && now - t0 >= duration_s * 1000000000u)
			break;
		if (n > 0)
			continue;
		if (wb_client_status(c, &st) == 0 && st.state == WB_CLIENT_STOPPED && st.lag == 0) {
			h.flags |= WB_EVREC_COMPLETE;
			break;
		}
		ts.tv_sec = 0;
		ts.tv_nsec = 100000;
		nanosleep(&ts, NULL);
	}
	if (wb_client_status(c, &st) == 0) {
		h.pid = st.pid;
		h.epoch_ns = st.epoch_ns;
	}
	h.events = r.events;
	h.lapped = r.lapped;
	if (r.lapped != 0)
		h.flags |= WB_EVREC_LAPPED;
	wb_evrec_hdr_encode(&h, hb);
	if (r.out != stdout && (fseek(r.out, 0, SEEK_SET) != 0 || fwrite(hb, sizeof(hb), 1, r.out) != 1))
		r.werr = 1;
	if ((r.out != stdout && fclose(r.out) != 0) || r.werr) {
		fprintf(stderr, "wirebook record: %s: write error\n", path);
		status = 1;
	}
	wb_client_close(c);
	fprintf(stderr, "wirebook record: %" PRIu64 " events from '%s'%s%s\n", r.events, name,
		h.flags & WB_EVREC_COMPLETE ? ", daemon stopped, all read" : "",
		r.lapped ? ", LAPPED: events lost" : "");
	return status != 0 ? status : (r.lapped ? 1 : 0);
}
