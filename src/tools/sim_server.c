/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The MoldUDP64 request server of `wirebook sim`: a UDP socket that answers
 * each request (session, first sequence, count) unicast to the address and
 * source port it came from, with ordinary downstream packets built from the
 * stream's history (sim_answer). What it may answer is bounded the way a
 * real server is: only messages already sent on a line, no older than
 * --history messages behind the newest, at most --max-count per request. It
 * can be told to be down (requests are read, counted and never answered).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sim.h"
#include "sim_server.h"

int
sim_server_open(struct sim_server *sv, const char *addr, uint16_t port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
	int one = 1;

	sv->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (sv->fd < 0) {
		fprintf(stderr, "wirebook sim: request server socket: %s\n", strerror(errno));
		return -1;
	}
	if (addr != NULL && inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		fprintf(stderr, "wirebook sim: '%s' is not an IPv4 address\n", addr);
		goto fail;
	}
	(void)setsockopt(sv->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(sv->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "wirebook sim: request server bind port %u: %s\n", port,
			strerror(errno));
		goto fail;
	}
	return 0;
fail:
	close(sv->fd);
	sv->fd = -1;
	return -1;
}

void
sim_server_close(struct sim_server *sv)
{
	if (sv->fd >= 0)
		close(sv->fd);
	sv->fd = -1;
}

/* Answers one request datagram from `from`. */
static void
sim_server_request(struct sim_server *sv, const uint8_t *buf, size_t len,
		   const struct sockaddr_in *from)
{
	struct sim_server_stats *st = &sv->stats;
	uint8_t out[SIM_MAX_PAYLOAD];
	struct wb_mold_req req;
	uint64_t lo = 0, seq, count, end;
	uint16_t n;
	size_t olen;

	st->requests++;
	if (wb_mold_req_parse(buf, len, &req) != WB_MOLD_REQ_LEN) {
		st->malformed++;
		return;
	}
	if (sv->down) {
		st->ignored++;
		return;
	}
	if (!sv->stream->has_session ||
	    memcmp(req.session, sv->stream->session, WB_MOLD_SESSION_LEN) != 0) {
		st->wrong_session++;
		return;
	}
	if (sv->history != 0 && sv->sent_hi > sv->history)
		lo = sv->sent_hi - sv->history;
	count = req.count;
	if (sv->max_count != 0 && count > sv->max_count) {
		count = sv->max_count;
		st->capped++;
	}
	seq = req.seq;
	end = seq + count;
	olen = sim_answer(sv->stream, lo, sv->sent_hi, seq, count, sv->payload, out, &n);
	if (olen == 0) {
		st->unavailable++;
		return;
	}
	st->answered++;
	while (olen != 0) {
		if (sendto(sv->fd, out, olen, 0, (const struct sockaddr *)from, sizeof(*from)) !=
		    (ssize_t)olen) {
			st->send_errors++;
			return;
		}
		st->reply_packets++;
		st->reply_messages += n;
		seq += n;
		if (seq >= end)
			break;
		olen =
		    sim_answer(sv->stream, lo, sv->sent_hi, seq, end - seq, sv->payload, out, &n);
	}
}

void
sim_server_poll(struct sim_server *sv, int timeout_ms)
{
	struct pollfd pfd = {.fd = sv->fd, .events = POLLIN};
	uint8_t buf[2048];

	if (sv->fd < 0)
		return;
	if (timeout_ms > 0 && poll(&pfd, 1, timeout_ms) <= 0)
		return;
	for (;;) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t r =
		    recvfrom(sv->fd, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from, &fl);

		if (r < 0)
			return;
		if ((size_t)r > sizeof(buf)) { /* too long to be a request */
			sv->stats.requests++;
			sv->stats.malformed++;
			continue;
		}
		sim_server_request(sv, buf, (size_t)r, &from);
	}
}

void
sim_server_print(const struct sim_server *sv, FILE *out)
{
	const struct sim_server_stats *s = &sv->stats;

	fprintf(out,
		"wirebook sim: request server%s: requests %llu answered %llu malformed %llu "
		"wrong_session %llu ignored %llu unavailable %llu capped %llu reply_packets %llu "
		"reply_messages %llu send_errors %llu\n",
		sv->down ? " (down)" : "", (unsigned long long)s->requests,
		(unsigned long long)s->answered, (unsigned long long)s->malformed,
		(unsigned long long)s->wrong_session, (unsigned long long)s->ignored,
		(unsigned long long)s->unavailable, (unsigned long long)s->capped,
		(unsigned long long)s->reply_packets, (unsigned long long)s->reply_messages,
		(unsigned long long)s->send_errors);
}
