/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The testbed of `wirebook bench e2e` and its receivers.
 *
 * Two network namespaces of its own, NAME-x (the exchange: the measuring
 * thread's socket) and NAME-r (the receiver under test), joined by a veth
 * pair NAME-x0 <-> NAME-r0 with 10.99.0.2/30 and 10.99.0.1/30. Nothing is
 * added to the host's namespace, so concurrent runs (NAME is wbl<pid>) and
 * other testbeds cannot collide, whatever subnet they use.
 *
 * Receivers run inside NAME-r (`ip netns exec`), each a fresh process per
 * round, its rx lcore on --cpu-rx:
 *   afpacket        wirebookd, [port0] vdev net_af_packet
 *   afxdp           wirebookd, [port0] vdev net_af_xdp (generic XDP on a veth)
 *   kernel          wirebookd, [port0] type = kernel: UDP socket, busy recvmmsg
 *   kernel-block    the same, poll_mode = blocking (sleeps in poll())
 *   afpacket-adapt  wirebookd over net_af_packet, poll_mode = adaptive
 *   bare            wirebook-floor over net_af_packet: the PMD alone
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_e2e.h"
#include "wb_shm.h"

const char *const e2e_kind_name[E2E_NKINDS] = {"afpacket", "afxdp",	  "kernel",
						"bare",	    "kernel-block", "afpacket-adapt"};
/* Short names: file prefixes and region names have little room. */
static const char *const e2e_kind_short[E2E_NKINDS] = {"afp", "xdp", "krn", "bare", "kbl", "ada"};

/* Runs a shell command built from controlled names; its stderr goes to the log. */
static int
e2e_sh(const struct e2e_opts *o, const char *fmt, ...)
{
	char cmd[1024], full[1400];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "(%s) >>%s/testbed.log 2>&1", cmd, o->tmp);
	rc = system(full);
	return rc == 0 ? 0 : -1;
}

static void
e2e_tail(const char *path, char *why, size_t len)
{
	char line[256], keep[3][256] = {"", "", ""};
	unsigned int n = 0, i;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "EAL: ", 5) == 0 && strstr(line, "rror") == NULL)
			continue;
		snprintf(keep[n % 3], sizeof(keep[0]), "%s", line);
		n++;
	}
	fclose(f);
	why[0] = '\0';
	for (i = n > 3 ? n - 3 : 0; i < n; i++) {
		size_t l = strlen(why);

		snprintf(why + l, len - l, "%s%s", l ? " | " : "", keep[i % 3]);
	}
}

static int
e2e_executable(const char *p)
{
	return p != NULL && access(p, X_OK) == 0;
}

int
e2e_check_host(const struct e2e_opts *o, char *why, size_t len)
{
	unsigned int i;

	if (geteuid() != 0) {
		snprintf(why, len, "needs root: it creates network namespaces and a veth pair, "
				   "and the receivers open raw sockets (run it with sudo)");
		return -1;
	}
	if (system("ip -V >/dev/null 2>&1") != 0) {
		snprintf(why, len, "needs iproute2's 'ip' on PATH (Debian: iproute2)");
		return -1;
	}
	if (system("ip netns list >/dev/null 2>&1") != 0) {
		snprintf(why, len, "network namespaces unavailable ('ip netns list' fails)");
		return -1;
	}
	for (i = 0; i < o->nkinds; i++) {
		if (o->kinds[i] == E2E_BARE && !e2e_executable(o->floor)) {
			snprintf(why, len, "receiver bare needs wirebook-floor (not found; --floor PATH)");
			return -1;
		}
		if (o->kinds[i] != E2E_BARE && !e2e_executable(o->wirebookd)) {
			snprintf(why, len, "receiver %s needs wirebookd (not found; --wirebookd PATH)",
				 e2e_kind_name[o->kinds[i]]);
			return -1;
		}
	}
	return 0;
}

void
e2e_testbed_destroy(const struct e2e_opts *o)
{
	/* deleting a namespace deletes the veth end in it, and so the pair */
	e2e_sh(o, "ip netns del %s-r 2>/dev/null; ip netns del %s-x 2>/dev/null; true", o->name,
	       o->name);
}

int
e2e_testbed_create(const struct e2e_opts *o)
{
	const char *n = o->name;

	e2e_testbed_destroy(o);
	if (e2e_sh(o, "ip netns add %s-x && ip netns add %s-r", n, n) != 0 ||
	    e2e_sh(o, "ip link add %s-r0 netns %s-r type veth peer name %s-x0 netns %s-x", n, n,
		   n, n) != 0 ||
	    e2e_sh(o,
		   "ip netns exec %s-x sh -c 'sysctl -qw net.ipv6.conf.all.disable_ipv6=1; "
		   "ip link set lo up && ip addr add 10.99.0.2/30 dev %s-x0 && "
		   "ip link set %s-x0 up && ip route add 224.0.0.0/4 dev %s-x0'",
		   n, n, n, n) != 0 ||
	    e2e_sh(o,
		   "ip netns exec %s-r sh -c 'sysctl -qw net.ipv6.conf.all.disable_ipv6=1; "
		   "ip link set lo up && ip addr add 10.99.0.1/30 dev %s-r0 && "
		   "ip link set %s-r0 up'",
		   n, n, n) != 0) {
		e2e_testbed_destroy(o);
		return -1;
	}
	return 0;
}

static int
e2e_netns_fd(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	return open(path, O_RDONLY | O_CLOEXEC);
}

/*
 * AF_PACKET socket on ifn (in the exchange namespace) and the header of the
 * frames it sends to the group: the UDP/IP stack, its per-packet route
 * lookup (a multicast send is never "connected") and the qdisc are skipped;
 * the receiving side is the same as for a UDP socket's packets.
 */
static int
e2e_packet_socket(struct e2e_opts *o, const char *ifn, int sndbuf)
{
	struct sockaddr_ll ll = {.sll_family = AF_PACKET, .sll_protocol = 0};
	struct ifreq ifr;
	struct in_addr src, grp;
	uint8_t *h = o->hdr;
	int one = 1, s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0); /* protocol 0: send only */

	if (s < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%.*s", (int)sizeof(ifr.ifr_name) - 1, ifn);
	ll.sll_ifindex = (int)if_nametoindex(ifn);
	if (ll.sll_ifindex == 0 || ioctl(s, SIOCGIFHWADDR, &ifr) != 0 ||
	    bind(s, (struct sockaddr *)&ll, sizeof(ll)) != 0 ||
	    setsockopt(s, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) != 0 ||
	    setsockopt(s, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)) != 0) {
		close(s);
		return -1;
	}
	inet_pton(AF_INET, "10.99.0.2", &src);
	inet_pton(AF_INET, E2E_GROUP, &grp);
	memset(h, 0, E2E_HDR_LEN);
	/* 01:00:5e + the group's low 23 bits */
	h[0] = 0x01, h[1] = 0x00, h[2] = 0x5e;
	memcpy(h + 3, (const uint8_t *)&grp.s_addr + 1, 3);
	h[3] &= 0x7f;
	memcpy(h + 6, ifr.ifr_hwaddr.sa_data, 6);
	h[12] = 0x08, h[13] = 0x00;
	h[14] = 0x45; /* IPv4, 20 bytes */
	h[20] = 0x40; /* don't fragment */
	h[22] = 1;    /* TTL, as the UDP socket's IP_MULTICAST_TTL */
	h[23] = 17;   /* UDP */
	memcpy(h + 26, &src.s_addr, 4);
	memcpy(h + 30, &grp.s_addr, 4);
	h[34] = E2E_SRC_PORT >> 8, h[35] = E2E_SRC_PORT & 0xff;
	h[36] = E2E_UDP_PORT >> 8, h[37] = E2E_UDP_PORT & 0xff;
	/* total length, checksum and UDP length per packet; UDP checksum 0 (none) */
	return s;
}

int
e2e_sender_socket(struct e2e_opts *o, char *why, size_t len)
{
	char ns[32], ifn[32];
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(E2E_UDP_PORT)};
	struct ip_mreqn mr;
	unsigned char ttl = 1, loop = 0;
	int own, fd, s = -1, sndbuf = 4 << 20;

	snprintf(ns, sizeof(ns), "%s-x", o->name);
	snprintf(ifn, sizeof(ifn), "%s-x0", o->name);
	own = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	fd = e2e_netns_fd(ns);
	if (own < 0 || fd < 0 || setns(fd, CLONE_NEWNET) != 0) {
		snprintf(why, len, "cannot enter namespace %s: %s", ns, strerror(errno));
		goto out;
	}
	if (o->sender == E2E_SEND_PACKET) {
		s = e2e_packet_socket(o, ifn, sndbuf);
		if (s < 0)
			snprintf(why, len, "packet socket on %s: %s (--sender udp does without)",
				 ifn, strerror(errno));
		goto back;
	}
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memset(&mr, 0, sizeof(mr));
	mr.imr_ifindex = (int)if_nametoindex(ifn);
	inet_pton(AF_INET, E2E_GROUP, &to.sin_addr);
	if (s < 0 || mr.imr_ifindex == 0 ||
	    setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) != 0 ||
	    setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) != 0 ||
	    setsockopt(s, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof(loop)) != 0 ||
	    setsockopt(s, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)) != 0 ||
	    connect(s, (struct sockaddr *)&to, sizeof(to)) != 0) {
		snprintf(why, len, "sender socket on %s: %s", ifn, strerror(errno));
		if (s >= 0)
			close(s);
		s = -1;
	}
back:
	if (setns(own, CLONE_NEWNET) != 0) {
		snprintf(why, len, "cannot return to the host namespace: %s", strerror(errno));
		if (s >= 0)
			close(s);
		s = -1;
	}
out:
	if (fd >= 0)
		close(fd);
	if (own >= 0)
		close(own);
	return s;
}

static const char *
e2e_suffix(enum e2e_kind k)
{
	return e2e_kind_short[k];
}

/* The wirebookd configuration of a receiver. */
static int
e2e_write_ini(const struct e2e_opts *o, enum e2e_kind k, const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	/*
	 * heartbeat_us: the control loop wakes once a heartbeat. On a 2-core
	 * host the main lcore shares the measuring thread's core (cpu_main 0),
	 * and at the default 1 ms its wake-ups were the afpacket receiver's p99
	 * in ping mode (26 us against the floor's 9 us; 9.5 us at 100 ms, same
	 * sitting). The floor has no control loop; clients call a daemon dead
	 * only after 1 s without a heartbeat.
	 */
	fprintf(f,
		"; written by wirebook bench e2e\n"
		"[eal]\nlcores = %u,%u\nmain_lcore = %u\nmemory_mb = 256\nhugepages = no\n"
		"file_prefix = %s-%s\n"
		"[daemon]\nname = %s-%s\nstats_interval_ms = 0\nheartbeat_us = 100000\n"
		"[book]\nmax_orders = 65536\nmax_levels = 16384\nmax_instruments = 256\n"
		"hugepages = no\n"
		"[publish]\nring_slots = 65536\ndepth = 10\ndir = /dev/shm\n"
		"[port0]\n",
		o->cpu_main, o->cpu_rx, o->cpu_main, o->name, e2e_suffix(k), o->name,
		e2e_suffix(k));
	if (k == E2E_AFXDP)
		fprintf(f, "vdev = net_af_xdp0,iface=%s-r0,start_queue=0,queue_count=1\n"
			   "rx_desc = 2048\n",
			o->name);
	else if (k == E2E_KERNEL || k == E2E_KBLOCK)
		fprintf(f, "type = kernel\niface = %s-r0\npoll_mode = %s\n", o->name,
			k == E2E_KBLOCK ? "blocking" : "busy");
	else if (k == E2E_ADAPTIVE)
		fprintf(f,
			"vdev = net_af_packet0,iface=%s-r0,qpairs=1,blocksz=4096,framesz=2048,"
			"framecnt=8192\npoll_mode = adaptive\n",
			o->name);
	else
		fprintf(f,
			"vdev = net_af_packet0,iface=%s-r0,qpairs=1,blocksz=4096,framesz=2048,"
			"framecnt=8192\n",
			o->name);
	fprintf(f,
		"lcores = %u\nrx_queues = 1\nmbufs = 16383\nigmp = 0\n"
		"[channel e2e]\nport = 0\ngroup = %s\nudp_port = %u\nline = A\nfeed = e2e\n",
		o->cpu_rx, E2E_GROUP, E2E_UDP_PORT);
	return fclose(f);
}

static pid_t
e2e_spawn(const struct e2e_opts *o, const char *log, char *const args[])
{
	char ns[32];
	char *argv[32];
	unsigned int i, n = 0;
	pid_t pid;

	snprintf(ns, sizeof(ns), "%s-r", o->name);
	argv[n++] = "ip";
	argv[n++] = "netns";
	argv[n++] = "exec";
	argv[n++] = ns;
	for (i = 0; args[i] != NULL && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	pid = fork();
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		long c, ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		cpu_set_t all;

		/* the measuring thread pinned itself; the receiver places its own
		 * lcores and must be allowed every core to do so */
		CPU_ZERO(&all);
		for (c = 0; c < ncpu && c < CPU_SETSIZE; c++)
			CPU_SET((int)c, &all);
		sched_setaffinity(0, sizeof(all), &all);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp("ip", argv);
		_exit(127);
	}
	return pid;
}

static void
e2e_region_name(const struct e2e_opts *o, enum e2e_kind k, char *buf, size_t len)
{
	snprintf(buf, len, "%s-%s", o->name, e2e_suffix(k));
}

int
e2e_rx_start(const struct e2e_opts *o, enum e2e_kind k, struct e2e_rx *rx, char *why, size_t len)
{
	char ini[300], region[48], vdev[160], lcores[32], prefix[48], port[16];
	uint64_t t0 = wb_mono_ns();
	int ws;

	memset(rx, 0, sizeof(*rx));
	rx->kind = k;
	e2e_region_name(o, k, region, sizeof(region));
	snprintf(rx->log, sizeof(rx->log), "%s/%s.log", o->tmp, e2e_suffix(k));
	if (k == E2E_BARE) {
		char *args[16] = {(char *)o->floor, "--vdev", vdev, "--name", region, "--lcores",
				  lcores, "--file-prefix", prefix, "--udp-port", port, NULL};

		snprintf(vdev, sizeof(vdev),
			 "net_af_packet0,iface=%s-r0,qpairs=1,blocksz=4096,framesz=2048,"
			 "framecnt=8192",
			 o->name);
		snprintf(lcores, sizeof(lcores), "%u,%u", o->cpu_main, o->cpu_rx);
		snprintf(prefix, sizeof(prefix), "%s-bare", o->name);
		snprintf(port, sizeof(port), "%u", E2E_UDP_PORT);
		wb_mark_unlink(NULL, region);
		rx->pid = e2e_spawn(o, rx->log, args);
	} else {
		char *args[4] = {(char *)o->wirebookd, "--config", ini, NULL};

		snprintf(ini, sizeof(ini), "%s/%s.ini", o->tmp, e2e_suffix(k));
		if (e2e_write_ini(o, k, ini) != 0) {
			snprintf(why, len, "cannot write %s", ini);
			return -1;
		}
		wb_shm_unlink("/dev/shm", region);
		rx->pid = e2e_spawn(o, rx->log, args);
	}
	if (rx->pid < 0) {
		snprintf(why, len, "fork: %s", strerror(errno));
		return -1;
	}
	/* ready: the region is LIVE, or the marks exist */
	while (wb_mono_ns() - t0 < 30000000000ull) {
		struct timespec ts = {0, 20000000};

		if (waitpid(rx->pid, &ws, WNOHANG) == rx->pid) {
			rx->pid = 0;
			e2e_tail(rx->log, why, len);
			if (why[0] == '\0')
				snprintf(why, len, "the receiver exited at start");
			return -1;
		}
		if (k == E2E_BARE) {
			if (wb_mark_attach(&rx->mark, NULL, region) == 0) {
				rx->has_mark = 1;
				rx->ns_per_tick = rx->mark.hdr->tsc_ns_per_tick;
				return 0;
			}
		} else {
			struct wb_client_opts co;
			struct wb_client_status st = WB_CLIENT_STATUS_INIT;

			if (rx->client == NULL) {
				wb_client_opts_default(&co);
				co.dir = "/dev/shm";
				rx->client = wb_client_open(region, &co);
			}
			if (rx->client != NULL && wb_client_status(rx->client, &st) >= 0 &&
			    st.alive && st.state == WB_CLIENT_LIVE) {
				wb_client_subscribe(rx->client, NULL);
				rx->ns_per_tick = wb_client_ns_per_tick(rx->client);
				return 0;
			}
		}
		nanosleep(&ts, NULL);
	}
	snprintf(why, len, "the receiver did not become ready in 30 s");
	e2e_rx_stop(o, rx);
	return -1;
}

void
e2e_rx_stop(const struct e2e_opts *o, struct e2e_rx *rx)
{
	char region[48];
	int ws, i;

	if (rx->client != NULL)
		wb_client_close(rx->client);
	rx->client = NULL;
	if (rx->has_mark)
		wb_mark_close(&rx->mark);
	rx->has_mark = 0;
	if (rx->pid > 0) {
		kill(rx->pid, SIGINT);
		for (i = 0; i < 200 && waitpid(rx->pid, &ws, WNOHANG) == 0; i++)
			usleep(50000);
		if (i == 200) {
			kill(rx->pid, SIGKILL);
			waitpid(rx->pid, &ws, 0);
		}
	}
	rx->pid = 0;
	e2e_region_name(o, rx->kind, region, sizeof(region));
	if (rx->kind == E2E_BARE)
		wb_mark_unlink(NULL, region);
	else
		wb_shm_unlink("/dev/shm", region);
	/* a receiver killed before its EAL cleanup leaves its runtime directory */
	e2e_sh(o, "rm -rf /var/run/dpdk/%s-%s", o->name, e2e_suffix(rx->kind));
}

const char *const e2e_dstage_name[E2E_DSTAGES] = {"rx_to_queued", "queued_to_committed",
						   "committed_to_snapshots", "rx_to_committed"};

/* One command on the receiver's DPDK telemetry socket; the reply in buf. */
static int
e2e_telemetry(const struct e2e_opts *o, const struct e2e_rx *rx, const char *cmd, char *buf,
	      size_t len)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	ssize_t n;
	int s;

	if (rx->kind == E2E_BARE || rx->pid <= 0)
		return -1;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/var/run/dpdk/%s-%s/dpdk_telemetry.v2",
		 o->name, e2e_suffix(rx->kind));
	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    recv(s, buf, len - 1, 0) <= 0 || /* the greeting */
	    send(s, cmd, strlen(cmd), 0) < 0 || (n = recv(s, buf, len - 1, 0)) <= 0) {
		close(s);
		return -1;
	}
	buf[n] = '\0';
	close(s);
	return 0;
}

int
e2e_rx_stages_reset(const struct e2e_opts *o, const struct e2e_rx *rx)
{
	char buf[1024];

	/* the lcore empties them at its next counter flush, within about 1 ms */
	if (e2e_telemetry(o, rx, "/wirebook/latency,reset", buf, sizeof(buf)) != 0)
		return -1;
	return strstr(buf, "\"reset\"") != NULL ? 0 : -1;
}

/* The number after "key": in the object that follows "name": in json. */
static double
e2e_json_num(const char *json, const char *name, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", name);
	p = strstr(json, pat);
	if (p == NULL)
		return -1.0;
	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(p, pat);
	return p != NULL ? strtod(p + strlen(pat), NULL) : -1.0;
}

int
e2e_rx_stages_read(const struct e2e_opts *o, const struct e2e_rx *rx, struct e2e_round *r)
{
	static const char *const key[4] = {"count", "p50_ns", "p99_ns", "p999_ns"};
	char buf[16384];
	unsigned int s, k;

	if (e2e_telemetry(o, rx, "/wirebook/latency", buf, sizeof(buf)) != 0)
		return -1;
	for (s = 0; s < E2E_DSTAGES; s++)
		for (k = 0; k < 4; k++) {
			r->dstage[s][k] = e2e_json_num(buf, e2e_dstage_name[s], key[k]);
			if (r->dstage[s][k] < 0.0)
				return -1;
		}
	r->dstages = 1;
	return 0;
}

double
e2e_rx_cpu(const struct e2e_rx *rx)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;
	ssize_t n;
	int fd;

	if (rx->pid <= 0)
		return -1.0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)rx->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1.0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1.0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	/* after the command: state(3) ... utime(14) stime(15) */
	if (p == NULL || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut,
				&st) != 2)
		return -1.0;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}
