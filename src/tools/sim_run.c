/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The send loop of `wirebook sim` (see cmd_sim.c): build the stream, draw
 * the faults, send each line's datagrams in their time slots while the
 * request server answers, linger with heartbeats, print what happened.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sim_run.h"
#include "wb_compiler.h"
#include "wb_err.h"
#include "wb_moldpack.h"
#include "wb_moldudp64.h"
#include "wb_tsc.h"

volatile sig_atomic_t sim_stop;

static int
sim_socket(const struct sim_opts *o)
{
	struct ip_mreqn mr;
	unsigned char ttl = (unsigned char)o->ttl, loop = (unsigned char)o->loop;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0) {
		fprintf(stderr, "wirebook sim: socket: %s\n", strerror(errno));
		return -1;
	}
	memset(&mr, 0, sizeof(mr));
	if (o->bind != NULL) {
		struct sockaddr_in sa = {.sin_family = AF_INET};

		if (inet_pton(AF_INET, o->bind, &mr.imr_address) != 1) {
			fprintf(stderr, "wirebook sim: --bind: '%s' is not an IPv4 address\n",
				o->bind);
			goto fail;
		}
		sa.sin_addr = mr.imr_address;
		if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			fprintf(stderr, "wirebook sim: bind %s: %s\n", o->bind, strerror(errno));
			goto fail;
		}
	}
	if (o->iface != NULL) {
		mr.imr_ifindex = (int)if_nametoindex(o->iface);
		if (mr.imr_ifindex == 0) {
			fprintf(stderr, "wirebook sim: --iface %s: %s\n", o->iface,
				strerror(errno));
			goto fail;
		}
	}
	if ((o->bind != NULL || o->iface != NULL) &&
	    setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) < 0) {
		fprintf(stderr, "wirebook sim: IP_MULTICAST_IF: %s\n", strerror(errno));
		goto fail;
	}
	if (setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) < 0 ||
	    setsockopt(s, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof(loop)) < 0) {
		fprintf(stderr, "wirebook sim: multicast options: %s\n", strerror(errno));
		goto fail;
	}
	return s;
fail:
	close(s);
	return -1;
}

/*
 * Waits until deadline (CLOCK_MONOTONIC_RAW ns): answers requests, sleeps,
 * then spins the last 50 us.
 */
static void
sim_wait(struct sim_server *sv, uint64_t deadline)
{
	uint64_t now = wb_mono_ns();

	if (sv->fd >= 0)
		sim_server_poll(sv, 0);
	now = wb_mono_ns();
	while (now + 50000 < deadline && !sim_stop) {
		uint64_t d = deadline - now - 50000;

		if (sv->fd >= 0 && d >= 1000000) {
			sim_server_poll(sv, (int)(d / 1000000 > 100 ? 100 : d / 1000000));
		} else {
			struct timespec ts = {(time_t)(d / 1000000000u), (long)(d % 1000000000u)};

			nanosleep(&ts, NULL);
		}
		now = wb_mono_ns();
	}
	while (wb_mono_ns() < deadline && !sim_stop)
		;
}

static int
sim_send(int s, const struct sockaddr_in *dst, const uint8_t *buf, size_t len, uint64_t *retries)
{
	for (;;) {
		if (sendto(s, buf, len, 0, (const struct sockaddr *)dst, sizeof(*dst)) ==
		    (ssize_t)len)
			return 0;
		if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR) {
			fprintf(stderr, "wirebook sim: sendto: %s\n", strerror(errno));
			return -1;
		}
		(*retries)++;
		sim_wait(&(struct sim_server){.fd = -1}, wb_mono_ns() + 20000);
	}
}

/*
 * Reads the input into the stream: datagrams as they are, or messages packed
 * by wb_moldpack, the packer the daemon's BinaryFILE replay uses too.
 */
static int
sim_build(const struct sim_opts *o, struct wb_input *in, struct sim_stream *st)
{
	struct wb_moldpack mp;
	struct wb_input_rec rec;
	const uint8_t *pkt;
	size_t len;
	int itch = wb_input_kind(in) == WB_INPUT_ITCH, rc, added;

	wb_moldpack_init(&mp, o->session, o->payload, 1);
	while (st->npkt < o->count) {
		rc = wb_input_next(in, &rec);
		if (rc < 0) {
			fprintf(stderr, "wirebook sim: %s\n", wb_err_msg());
			return -1;
		}
		if (!itch) {
			if (rc == 0)
				break;
			if (sim_stream_add(st, rec.data, rec.len) < 0)
				goto nomem;
			continue;
		}
		added = rc == 1 ? wb_moldpack_add(&mp, rec.data, rec.len) : 0;
		if (added < 0) {
			fprintf(stderr, "wirebook sim: a %zu-byte message exceeds --payload\n",
				rec.len);
			return -1;
		}
		if (added == 1)
			continue;
		/* full, or the end: send what is built; the message that did not fit starts the next */
		if (wb_moldpack_count(&mp) != 0) {
			len = wb_moldpack_flush(&mp, &pkt);
			if (sim_stream_add(st, pkt, len) < 0)
				goto nomem;
		}
		if (rc == 0)
			break;
		if (wb_moldpack_add(&mp, rec.data, rec.len) != 1) {
			fprintf(stderr, "wirebook sim: a %zu-byte message exceeds --payload\n",
				rec.len);
			return -1;
		}
	}
	return 0;
nomem:
	fprintf(stderr, "wirebook sim: out of memory building the stream\n");
	return -1;
}

/* While lingering: answer requests, and a heartbeat on each line now and then. */
static int
sim_linger(struct sim_opts *o, int s, const struct sockaddr_in *dst, const struct sim_stream *st,
	   uint64_t *hb)
{
	uint64_t end = wb_mono_ns() + o->linger_s * 1000000000u, next = 0, retries = 0;
	uint8_t pkt[WB_MOLD_HDR_LEN];
	unsigned int l;

	while (!sim_stop && wb_mono_ns() < end) {
		if (o->heartbeat_ms != 0 && st->has_session && wb_mono_ns() >= next) {
			wb_mold_put_hdr(pkt, st->session, st->first_seq + st->nmsg, 0);
			for (l = 0; l < o->faults.nlines; l++) {
				if (sim_send(s, &dst[l], pkt, sizeof(pkt), &retries) < 0)
					return -1;
				(*hb)++;
			}
			next = wb_mono_ns() + o->heartbeat_ms * 1000000u;
		}
		if (o->server.fd >= 0)
			sim_server_poll(&o->server, 10);
		else
			sim_wait(&o->server, wb_mono_ns() + 10000000u);
	}
	return 0;
}

static int
sim_run(struct sim_opts *o, struct wb_input *in, int s)
{
	struct sockaddr_in dst[2];
	struct sim_stream st;
	struct sim_sched_stats ss;
	struct sim_ev *ev = NULL;
	uint64_t sent = 0, bytes = 0, retries = 0, hb = 0, line_sent[2] = {0, 0}, t0, end, now;
	size_t nev = 0, i = 0;
	const char *why = "end of input";
	unsigned int l;
	int rc = 1;

	sim_stream_init(&st);
	st.no_history = o->pitch;
	if (sim_build(o, in, &st) < 0)
		goto out;
	if (sim_schedule(st.npkt, &o->faults, &ev, &nev, &ss) < 0) {
		fprintf(stderr, "wirebook sim: out of memory building the schedule\n");
		goto out;
	}
	for (l = 0; l < 2; l++) {
		memset(&dst[l], 0, sizeof(dst[l]));
		dst[l].sin_family = AF_INET;
		dst[l].sin_addr.s_addr = htonl(o->group[l]);
		dst[l].sin_port = htons(o->port[l]);
	}
	o->server.stream = &st;
	t0 = wb_mono_ns();
	end = t0 + o->duration_s * 1000000000u;
	while (i < nev && !sim_stop) {
		uint64_t slot = ev[i].slot;

		sim_wait(&o->server, t0 + (uint64_t)((double)slot * 1e9 / (double)o->rate));
		now = wb_mono_ns();
		if (now >= end) {
			why = "--duration reached";
			break;
		}
		for (; i < nev && ev[i].slot == slot; i++) {
			const struct sim_pkt *p = &st.pkt[ev[i].pkt];

			if (sim_send(s, &dst[ev[i].line], sim_stream_data(&st, ev[i].pkt), p->len,
				     &retries) < 0)
				goto out;
			sent++;
			line_sent[ev[i].line]++;
			bytes += p->len;
			if (p->nmsgs != 0 && p->seq + p->nmsgs > o->server.sent_hi)
				o->server.sent_hi = p->seq + p->nmsgs;
		}
	}
	if (sim_stop)
		why = "stopped by a signal";
	else if (st.npkt == o->count)
		why = "--count reached";
	now = wb_mono_ns();
	fprintf(stderr,
		"wirebook sim: %s: sent %" PRIu64 " packets, %" PRIu64 " bytes%s in %.3f s "
		"(%.0f pps), %" PRIu64 " retries\n",
		why, sent, bytes, wb_input_kind(in) == WB_INPUT_ITCH ? "" : " (pcap datagrams)",
		(double)(now - t0) / 1e9, now > t0 ? (double)sent * 1e9 / (double)(now - t0) : 0.0,
		retries);
	if (st.has_session)
		fprintf(stderr, "wirebook sim: %zu messages, last sequence %" PRIu64 "\n", st.nmsg,
			st.first_seq + st.nmsg - 1);
	if (o->linger_s != 0 && sim_linger(o, s, dst, &st, &hb) < 0)
		goto out;
	for (l = 0; l < o->faults.nlines; l++)
		fprintf(stderr,
			"wirebook sim: line %c: datagrams %" PRIu64 " of %zu lost %" PRIu64
			" duplicated %" PRIu64 " reordered %" PRIu64 "\n",
			'A' + l, line_sent[l], st.npkt, ss.line[l].lost, ss.line[l].duplicated,
			ss.line[l].reordered);
	fprintf(stderr,
		"wirebook sim: lost_both %" PRIu64 " kept_one %" PRIu64 " heartbeats %" PRIu64
		" seed %" PRIu64 "\n",
		ss.lost_both, ss.kept_one, hb, o->faults.seed);
	if (o->server.fd >= 0)
		sim_server_print(&o->server, stderr);
	rc = 0;
out:
	free(ev);
	sim_stream_free(&st);
	return rc;
}

int
sim_main(struct sim_opts *o, struct wb_input *in)
{
	int s = sim_socket(o), rc;

	if (s < 0)
		return 1;
	if (o->serve_port != 0 && sim_server_open(&o->server, o->serve_bind, o->serve_port) < 0) {
		close(s);
		return 1;
	}
	rc = sim_run(o, in, s);
	sim_server_close(&o->server);
	close(s);
	return rc;
}
