/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `wirebook sim`: the exchange side of the testbed. Sends a MoldUDP64 stream
 * to a multicast group through a plain kernel UDP socket: the datagrams of a
 * pcap as they are, or the messages of a BinaryFILE packed into MoldUDP64
 * packets (session, sequence numbers from 1, as many messages as fit).
 *
 * It is deliberately bounded: TTL 1 (the group never leaves the link), paced
 * to --rate packets/s on absolute deadlines (sleep, then spin for the last
 * tens of microseconds so high rates stay even), and stopped by --count and
 * --duration whatever the input holds.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "wb_cmd.h"
#include "wb_compiler.h"
#include "wb_err.h"
#include "wb_input.h"
#include "wb_moldudp64.h"
#include "wb_opt.h"
#include "wb_tsc.h"

#define SIM_MAX_PAYLOAD 1472

struct sim_opts {
	uint32_t group;
	uint16_t port;
	uint64_t rate, count, duration_s, payload, ttl;
	const char *bind, *iface, *session, *file;
	int loop;
};

static void
sim_usage(FILE *out)
{
	fprintf(out,
		"usage: wirebook sim --group G --port P [OPTIONS] FILE.pcap|FILE.itch\n"
		"  --group G        destination multicast group (required)\n"
		"  --port P         destination UDP port (required)\n"
		"  --rate PPS       packets per second (default 10000)\n"
		"  --count N        send at most N packets (default: the whole input)\n"
		"  --duration SEC   stop after SEC seconds (default 60)\n"
		"  --bind ADDR      send from this local address (IP_MULTICAST_IF)\n"
		"  --iface NAME     send out of this interface (IP_MULTICAST_IF)\n"
		"  --ttl N          multicast TTL (default 1)\n"
		"  --loop           loop multicast back to local sockets\n"
		"  --payload N      BinaryFILE input: largest MoldUDP64 payload (default 1400)\n"
		"  --session S      BinaryFILE input: 10-character session (default WIREBOOK01)\n");
}

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

/* Waits until deadline (CLOCK_MONOTONIC_RAW ns): sleep, then spin the last 50 us. */
static void
sim_wait(uint64_t deadline)
{
	uint64_t now = wb_mono_ns();

	if (now + 50000 < deadline) {
		uint64_t d = deadline - now - 50000;
		struct timespec ts = {(time_t)(d / 1000000000u), (long)(d % 1000000000u)};

		nanosleep(&ts, NULL);
	}
	while (wb_mono_ns() < deadline)
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
		sim_wait(wb_mono_ns() + 20000);
	}
}

static int
sim_run(const struct sim_opts *o, struct wb_input *in, int s)
{
	struct sockaddr_in dst = {.sin_family = AF_INET};
	uint8_t pkt[SIM_MAX_PAYLOAD], session[WB_MOLD_SESSION_LEN];
	struct wb_input_rec rec;
	uint64_t sent = 0, msgs = 0, bytes = 0, retries = 0, seq = 1, t0, end, now;
	size_t used = WB_MOLD_HDR_LEN;
	uint16_t count = 0;
	int itch = wb_input_kind(in) == WB_INPUT_ITCH, rc, stop = 0;
	const char *why = "end of input";

	dst.sin_addr.s_addr = htonl(o->group);
	dst.sin_port = htons(o->port);
	memset(session, ' ', sizeof(session));
	memcpy(session, o->session, strlen(o->session) < 10 ? strlen(o->session) : 10);
	t0 = wb_mono_ns();
	end = t0 + o->duration_s * 1000000000u;
	while (!stop) {
		const uint8_t *out;
		size_t outlen;

		rc = wb_input_next(in, &rec);
		if (rc < 0) {
			fprintf(stderr, "wirebook sim: %s\n", wb_err_msg());
			return 1;
		}
		if (itch) {
			/* Flush the packet being built when this message does not fit, or at the
			 * end. */
			if (rc == 1 && used + 2 + rec.len <= o->payload && count < 0xFFFEu) {
				wb_put_be16(pkt + used, (uint16_t)rec.len);
				memcpy(pkt + used + 2, rec.data, rec.len);
				used += 2 + rec.len;
				count++;
				continue;
			}
			if (count == 0) {
				if (rc == 0)
					break;
				fprintf(stderr,
					"wirebook sim: a %zu-byte message exceeds --payload\n",
					rec.len);
				return 1;
			}
			wb_mold_put_hdr(pkt, session, seq, count);
			out = pkt;
			outlen = used;
		} else {
			if (rc == 0)
				break;
			out = rec.data;
			outlen = rec.len;
		}
		if (sent == o->count) {
			why = "--count reached";
			break;
		}
		sim_wait(t0 + (uint64_t)((double)sent * 1e9 / (double)o->rate));
		now = wb_mono_ns();
		if (now >= end) {
			why = "--duration reached";
			break;
		}
		if (sim_send(s, &dst, out, outlen, &retries) < 0)
			return 1;
		sent++;
		bytes += outlen;
		if (itch) {
			msgs += count;
			seq += count;
			count = 0;
			used = WB_MOLD_HDR_LEN;
			if (rc == 0)
				stop = 1;
			else {
				/* The message that did not fit starts the next packet. */
				wb_put_be16(pkt + used, (uint16_t)rec.len);
				memcpy(pkt + used + 2, rec.data, rec.len);
				used += 2 + rec.len;
				count = 1;
			}
		}
	}
	now = wb_mono_ns();
	fprintf(stderr,
		"wirebook sim: %s: sent %" PRIu64 " packets, %" PRIu64 " bytes%s in %.3f s "
		"(%.0f pps), %" PRIu64 " retries\n",
		why, sent, bytes, itch ? "" : " (pcap datagrams)", (double)(now - t0) / 1e9,
		now > t0 ? (double)sent * 1e9 / (double)(now - t0) : 0.0, retries);
	if (itch)
		fprintf(stderr, "wirebook sim: %" PRIu64 " messages, last sequence %" PRIu64 "\n",
			msgs, seq - 1);
	return 0;
}

int
wb_cmd_sim(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"group", required_argument, NULL, 'g'},
	    {"port", required_argument, NULL, 'p'},
	    {"rate", required_argument, NULL, 'r'},
	    {"count", required_argument, NULL, 'n'},
	    {"duration", required_argument, NULL, 'd'},
	    {"bind", required_argument, NULL, 'b'},
	    {"iface", required_argument, NULL, 'i'},
	    {"ttl", required_argument, NULL, 't'},
	    {"loop", no_argument, NULL, 'l'},
	    {"payload", required_argument, NULL, 'P'},
	    {"session", required_argument, NULL, 'S'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct sim_opts o = {.rate = 10000,
			     .count = UINT64_MAX,
			     .duration_s = 60,
			     .payload = 1400,
			     .ttl = 1,
			     .session = "WIREBOOK01"};
	const char *group = NULL;
	uint64_t v = 0;
	struct wb_input *in;
	struct in_addr a;
	int c, s, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'g':
			group = optarg;
			break;
		case 'p':
			if (wb_opt_u64("--port", optarg, 1, 65535, &v) < 0)
				return 2;
			o.port = (uint16_t)v;
			break;
		case 'r':
			if (wb_opt_u64("--rate", optarg, 1, 10000000, &o.rate) < 0)
				return 2;
			break;
		case 'n':
			if (wb_opt_u64("--count", optarg, 1, UINT64_MAX, &o.count) < 0)
				return 2;
			break;
		case 'd':
			if (wb_opt_u64("--duration", optarg, 1, 86400, &o.duration_s) < 0)
				return 2;
			break;
		case 'b':
			o.bind = optarg;
			break;
		case 'i':
			o.iface = optarg;
			break;
		case 't':
			if (wb_opt_u64("--ttl", optarg, 1, 255, &o.ttl) < 0)
				return 2;
			break;
		case 'l':
			o.loop = 1;
			break;
		case 'P':
			if (wb_opt_u64("--payload", optarg,
				       WB_MOLD_HDR_LEN + 2 + WB_ITCH_MAX_MSG_LEN, SIM_MAX_PAYLOAD,
				       &o.payload) < 0)
				return 2;
			break;
		case 'S':
			o.session = optarg;
			break;
		case 'h':
			sim_usage(stdout);
			return 0;
		default:
			sim_usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1 || group == NULL || o.port == 0) {
		sim_usage(stderr);
		return 2;
	}
	if (inet_pton(AF_INET, group, &a) != 1 || (ntohl(a.s_addr) >> 28) != 0xE) {
		fprintf(stderr, "wirebook sim: --group: '%s' is not an IPv4 multicast group\n",
			group);
		return 2;
	}
	o.group = ntohl(a.s_addr);
	o.file = argv[optind];
	in = wb_input_open(o.file);
	if (in == NULL) {
		fprintf(stderr, "wirebook sim: %s\n", wb_err_msg());
		return 1;
	}
	s = sim_socket(&o);
	if (s < 0) {
		wb_input_close(in);
		return 1;
	}
	rc = sim_run(&o, in, s);
	close(s);
	wb_input_close(in);
	return rc;
}
