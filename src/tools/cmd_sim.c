/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `wirebook sim`: the exchange side of the testbed. Sends a MoldUDP64 stream
 * to a multicast group through a plain kernel UDP socket: the datagrams of a
 * pcap as they are, or the messages of a BinaryFILE packed into MoldUDP64
 * packets (session, sequence numbers from 1, as many messages as fit).
 *
 * Like an exchange it can send the stream twice, on lines A and B (two
 * groups or ports), each with its own loss, duplication, reordering, B early
 * or late by some packets, and a loss common to both; and it can run the
 * MoldUDP64 request server that answers re-requests from its history
 * (sim_server.c). The faults are drawn from --seed before the first send
 * (sim_stream.c), so a run repeats exactly; what was dropped, duplicated and
 * answered is printed at exit for the tests to check.
 *
 * It is deliberately bounded: TTL 1 (the group never leaves the link), paced
 * to --rate packets/s per line on absolute deadlines (sleep, then spin for
 * the last tens of microseconds so high rates stay even), and stopped by
 * --count and --duration whatever the input holds. The whole stream is
 * built in memory first (--count bounds it).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sim_run.h"
#include "wb_cmd.h"
#include "wb_compiler.h"
#include "wb_err.h"
#include "wb_input.h"
#include "wb_moldudp64.h"
#include "wb_opt.h"
#include "wb_tsc.h"


static void
sim_on_signal(int sig)
{
	(void)sig;
	sim_stop = 1;
}

static void
sim_usage(FILE *out)
{
	fprintf(out,
		"usage: wirebook sim --group G --port P [OPTIONS] FILE.pcap|FILE.itch|FILE.units\n"
		"  --protocol P     moldudp64-itch50 (itch), pitch or auto (default: from the\n"
		"                   bytes). pitch: the datagrams of a capture or the units of a\n"
		"                   unit file as they are, with the faults; no request server or\n"
		"                   heartbeats (those are MoldUDP64's)\n"
		"  --group G        line A: destination multicast group (required)\n"
		"  --port P         line A: destination UDP port (required)\n"
		"  --group-b G      also send every datagram on line B to group G\n"
		"  --port-b P       line B: destination UDP port (default: --port)\n"
		"  --rate PPS       packets per second per line (default 10000)\n"
		"  --count N        send at most N datagrams per line (default: the whole input)\n"
		"  --duration SEC   stop after SEC seconds (default 60)\n"
		"  --bind ADDR      send from this local address (IP_MULTICAST_IF)\n"
		"  --iface NAME     send out of this interface (IP_MULTICAST_IF)\n"
		"  --ttl N          multicast TTL (default 1)\n"
		"  --loop           loop multicast back to local sockets\n"
		"  --payload N      BinaryFILE input: largest MoldUDP64 payload (default 1400)\n"
		"  --session S      BinaryFILE input: 10-character session (default WIREBOOK01)\n"
		"faults (PCT is a percentage, 0 to 100; drawn from --seed before sending):\n"
		"  --seed N         fault generator seed (default 1)\n"
		"  --loss-a PCT     --loss-b PCT     datagrams lost on line A / B, independently\n"
		"  --loss-both PCT  datagrams lost on both lines\n"
		"  --keep-one       a datagram drawn lost on both lines is kept on B\n"
		"  --dup-a PCT      --dup-b PCT      datagrams sent twice\n"
		"  --reorder-a PCT  --reorder-b PCT  datagrams swapped with the line's next\n"
		"  --skew-b N|LO:HI B sends datagram k N packet slots after A (negative: before);\n"
		"                   LO:HI draws each datagram's skew uniformly, B keeping its order\n"
		"request server (MoldUDP64 re-requests, answered unicast to the requester):\n"
		"  --serve PORT     answer requests on this UDP port\n"
		"  --serve-bind A   local address of the server (default: any)\n"
		"  --server-down    read and count requests, never answer\n"
		"  --max-count N    answer at most N messages per request (default 0: no cap)\n"
		"  --reply-payload N largest reply packet, packed full (default 1400)\n"
		"  --history N      forget messages more than N behind the newest sent (0: keep all)\n"
		"  --linger SEC     after the stream, keep serving this long (default 0)\n"
		"  --heartbeat-ms N while lingering, a heartbeat on each line every N ms\n"
		"                   (default 50; 0: none)\n");
}

/* A percentage as a probability. */
static int
sim_pct(const char *name, const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= 0 && v <= 100)) {
		fprintf(stderr, "wirebook sim: %s: '%s' is not a percentage in [0, 100]\n", name,
			s);
		return -1;
	}
	*out = v / 100.0;
	return 0;
}

static int
sim_skew(const char *s, struct sim_faults *f)
{
	char *end;
	long lo, hi;

	errno = 0;
	lo = strtol(s, &end, 10);
	hi = lo;
	if (end != s && *end == ':') {
		const char *h = end + 1;

		hi = strtol(h, &end, 10);
		if (end == h)
			end = (char *)s;
	}
	if (errno != 0 || end == s || *end != '\0' || lo > hi || lo < -1000 || hi > 1000) {
		fprintf(stderr, "wirebook sim: --skew-b: '%s' is not N or LO:HI in [-1000, 1000]\n",
			s);
		return -1;
	}
	f->skew_lo = (int)lo;
	f->skew_hi = (int)hi;
	return 0;
}

static int
sim_group(const char *name, const char *s, uint32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1 || (ntohl(a.s_addr) >> 28) != 0xE) {
		fprintf(stderr, "wirebook sim: %s: '%s' is not an IPv4 multicast group\n", name, s);
		return -1;
	}
	*out = ntohl(a.s_addr);
	return 0;
}

enum {
	OPT_GROUP_B = 256, OPT_PORT_B, OPT_SEED, OPT_LOSS_A, OPT_LOSS_B, OPT_LOSS_BOTH,
	OPT_KEEP_ONE, OPT_DUP_A, OPT_DUP_B, OPT_REORDER_A, OPT_REORDER_B, OPT_SKEW_B, OPT_SERVE,
	OPT_SERVE_BIND, OPT_SERVER_DOWN, OPT_MAX_COUNT, OPT_HISTORY, OPT_LINGER, OPT_HEARTBEAT,
	OPT_REPLY_PAYLOAD, OPT_PROTOCOL,
};

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
	    {"group-b", required_argument, NULL, OPT_GROUP_B},
	    {"port-b", required_argument, NULL, OPT_PORT_B},
	    {"seed", required_argument, NULL, OPT_SEED},
	    {"loss-a", required_argument, NULL, OPT_LOSS_A},
	    {"loss-b", required_argument, NULL, OPT_LOSS_B},
	    {"loss-both", required_argument, NULL, OPT_LOSS_BOTH},
	    {"keep-one", no_argument, NULL, OPT_KEEP_ONE},
	    {"dup-a", required_argument, NULL, OPT_DUP_A},
	    {"dup-b", required_argument, NULL, OPT_DUP_B},
	    {"reorder-a", required_argument, NULL, OPT_REORDER_A},
	    {"reorder-b", required_argument, NULL, OPT_REORDER_B},
	    {"skew-b", required_argument, NULL, OPT_SKEW_B},
	    {"serve", required_argument, NULL, OPT_SERVE},
	    {"serve-bind", required_argument, NULL, OPT_SERVE_BIND},
	    {"server-down", no_argument, NULL, OPT_SERVER_DOWN},
	    {"max-count", required_argument, NULL, OPT_MAX_COUNT},
	    {"reply-payload", required_argument, NULL, OPT_REPLY_PAYLOAD},
	    {"history", required_argument, NULL, OPT_HISTORY},
	    {"linger", required_argument, NULL, OPT_LINGER},
	    {"heartbeat-ms", required_argument, NULL, OPT_HEARTBEAT},
	    {"protocol", required_argument, NULL, OPT_PROTOCOL},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct sim_opts o = {.rate = 10000,
			     .count = UINT64_MAX,
			     .duration_s = 60,
			     .payload = 1400,
			     .ttl = 1,
			     .heartbeat_ms = 50,
			     .session = "WIREBOOK01",
			     .faults = {.nlines = 1, .seed = 1},
			     .server = {.fd = -1}};
	const char *group = NULL, *group_b = NULL;
	uint64_t v = 0, reply_payload = 1400;
	struct wb_input *in;
	struct sigaction sa;
	int c, rc, f = 0, proto = -1, heartbeat_set = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'g':
			group = optarg;
			break;
		case 'p':
		case OPT_PORT_B:
		case OPT_SERVE:
			if (wb_opt_u64(c == 'p' ? "--port" : c == OPT_SERVE ? "--serve" : "--port-b",
				       optarg, 1, 65535, &v) < 0)
				return 2;
			if (c == OPT_SERVE)
				o.serve_port = (uint16_t)v;
			else
				o.port[c == 'p' ? 0 : 1] = (uint16_t)v;
			break;
		case 'r':
			f = wb_opt_u64("--rate", optarg, 1, 10000000, &o.rate);
			break;
		case 'n':
			f = wb_opt_u64("--count", optarg, 1, UINT64_MAX, &o.count);
			break;
		case 'd':
			f = wb_opt_u64("--duration", optarg, 1, 86400, &o.duration_s);
			break;
		case 'b':
			o.bind = optarg;
			break;
		case 'i':
			o.iface = optarg;
			break;
		case 't':
			f = wb_opt_u64("--ttl", optarg, 1, 255, &o.ttl);
			break;
		case 'l':
			o.loop = 1;
			break;
		case 'P':
			f = wb_opt_u64("--payload", optarg, WB_MOLD_HDR_LEN + 2 + WB_ITCH_MAX_MSG_LEN,
				       SIM_MAX_PAYLOAD, &o.payload);
			break;
		case 'S':
			o.session = optarg;
			break;
		case OPT_GROUP_B:
			group_b = optarg;
			break;
		case OPT_SEED:
			f = wb_opt_u64("--seed", optarg, 0, UINT64_MAX, &o.faults.seed);
			break;
		case OPT_LOSS_A:
		case OPT_LOSS_B:
			f = sim_pct(c == OPT_LOSS_B ? "--loss-b" : "--loss-a", optarg,
				    &o.faults.loss[c == OPT_LOSS_B]);
			break;
		case OPT_LOSS_BOTH:
			f = sim_pct("--loss-both", optarg, &o.faults.loss_both);
			break;
		case OPT_KEEP_ONE:
			o.faults.keep_one = 1;
			break;
		case OPT_DUP_A:
		case OPT_DUP_B:
			f = sim_pct(c == OPT_DUP_B ? "--dup-b" : "--dup-a", optarg,
				    &o.faults.dup[c == OPT_DUP_B]);
			break;
		case OPT_REORDER_A:
		case OPT_REORDER_B:
			f = sim_pct(c == OPT_REORDER_B ? "--reorder-b" : "--reorder-a", optarg,
				    &o.faults.reorder[c == OPT_REORDER_B]);
			break;
		case OPT_SKEW_B:
			f = sim_skew(optarg, &o.faults);
			break;
		case OPT_SERVE_BIND:
			o.serve_bind = optarg;
			break;
		case OPT_SERVER_DOWN:
			o.server.down = 1;
			break;
		case OPT_MAX_COUNT:
			f = wb_opt_u64("--max-count", optarg, 0, 65534, &o.server.max_count);
			break;
		case OPT_REPLY_PAYLOAD:
			f = wb_opt_u64("--reply-payload", optarg,
				       WB_MOLD_HDR_LEN + 2 + WB_ITCH_MAX_MSG_LEN, SIM_MAX_PAYLOAD,
				       &reply_payload);
			break;
		case OPT_HISTORY:
			f = wb_opt_u64("--history", optarg, 0, UINT64_MAX, &o.server.history);
			break;
		case OPT_LINGER:
			f = wb_opt_u64("--linger", optarg, 0, 3600, &o.linger_s);
			break;
		case OPT_HEARTBEAT:
			f = wb_opt_u64("--heartbeat-ms", optarg, 0, 60000, &o.heartbeat_ms);
			heartbeat_set = 1;
			break;
		case OPT_PROTOCOL:
			f = wb_opt_protocol("--protocol", optarg, &proto);
			break;
		case 'h':
			sim_usage(stdout);
			return 0;
		default:
			sim_usage(stderr);
			return 2;
		}
		if (f < 0)
			return 2;
	}
	if (optind != argc - 1 || group == NULL || o.port[0] == 0) {
		sim_usage(stderr);
		return 2;
	}
	if (sim_group("--group", group, &o.group[0]) < 0 ||
	    (group_b != NULL && sim_group("--group-b", group_b, &o.group[1]) < 0))
		return 2;
	if (group_b != NULL) {
		o.faults.nlines = 2;
		if (o.port[1] == 0)
			o.port[1] = o.port[0];
	} else if (o.port[1] != 0 || o.faults.loss[1] > 0 || o.faults.dup[1] > 0 ||
		   o.faults.reorder[1] > 0 || o.faults.skew_lo != 0 || o.faults.skew_hi != 0 ||
		   o.faults.keep_one) {
		fprintf(stderr, "wirebook sim: line B options need --group-b\n");
		return 2;
	}
	if ((o.server.down || o.server.max_count || o.server.history || o.serve_bind ||
	     reply_payload != 1400) &&
	    o.serve_port == 0) {
		fprintf(stderr, "wirebook sim: request server options need --serve PORT\n");
		return 2;
	}
	o.server.payload = (size_t)reply_payload;
	o.file = argv[optind];
	if (proto < 0) {
		uint32_t detected;

		if (wb_input_detect_protocol(o.file, &detected) < 0) {
			fprintf(stderr, "wirebook sim: %s\n", wb_err_msg());
			return 1;
		}
		proto = (int)detected;
	}
	o.pitch = proto == WB_FEED_PITCH;
	if (o.pitch && (o.serve_port != 0 || heartbeat_set)) {
		fprintf(stderr, "wirebook sim: --serve and --heartbeat-ms are MoldUDP64's; PITCH "
				"recovery is Cboe's Gap Request Proxy (TCP), not simulated\n");
		return 2;
	}
	if (o.pitch)
		o.heartbeat_ms = 0;
	in = wb_input_open(o.file);
	if (in == NULL) {
		fprintf(stderr, "wirebook sim: %s\n", wb_err_msg());
		return 1;
	}
	if (o.pitch && wb_input_kind(in) == WB_INPUT_ITCH) {
		fprintf(stderr, "wirebook sim: %s: a BinaryFILE is ITCH, not PITCH\n", o.file);
		wb_input_close(in);
		return 2;
	}
	if (!o.pitch && wb_input_kind(in) == WB_INPUT_PITCH) {
		fprintf(stderr, "wirebook sim: %s: PITCH units, not MoldUDP64\n", o.file);
		wb_input_close(in);
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sim_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sim_stop = 0;
	rc = sim_main(&o, in);
	wb_input_close(in);
	return rc;
}
