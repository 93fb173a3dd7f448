/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wirebookd's configuration keys: one table of (section, key, setter,
 * default, bounds, help), as Redis' static_configs[], and the setters that
 * check a value against its key's bounds and store it. wb_daemon_config.c
 * reads the file and applies the table.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wb_compiler.h"
#include "wb_daemon.h"
#include "wb_daemon_cfgkeys.h"
#include "wb_feed.h"
#include "wb_net.h"
#include "wb_pitch.h"
#include "wb_shm.h"
#include "wirebook/wirebook.h"

/*
 * A decimal integer within the key's bounds: an optional '-', then digits,
 * no leading zero (it would read as octal elsewhere), nothing after.
 */
static int
wb_cfg_num(const struct wb_cfg_key *k, const char *val, int64_t *out, char *err, size_t errlen)
{
	const char *d = val[0] == '-' ? val + 1 : val;
	char *end;
	long long v;

	if (d[0] == '0' && d[1] != '\0') {
		snprintf(err, errlen, "'%s': a leading zero is not allowed (numbers are decimal)",
			 val);
		return -1;
	}
	errno = 0;
	v = (d[0] >= '0' && d[0] <= '9') ? strtoll(val, &end, 10) : 0;
	if (!(d[0] >= '0' && d[0] <= '9') || errno != 0 || *end != '\0' || v < k->min ||
	    v > k->max) {
		snprintf(err, errlen, "'%s' is not a number in [%" PRId64 ", %" PRId64 "]", val,
			 k->min, k->max);
		return -1;
	}
	*out = v;
	return 0;
}

static int
wb_cfg_u32(void *dst, const struct wb_cfg_key *k, const char *val, char *err, size_t errlen)
{
	int64_t v;

	if (wb_cfg_num(k, val, &v, err, errlen) < 0)
		return -1;
	*(uint32_t *)dst = (uint32_t)v;
	return 0;
}

static int
wb_cfg_i32(void *dst, const struct wb_cfg_key *k, const char *val, char *err, size_t errlen)
{
	int64_t v;

	if (wb_cfg_num(k, val, &v, err, errlen) < 0)
		return -1;
	*(int32_t *)dst = (int32_t)v;
	return 0;
}

static int
wb_cfg_u16(void *dst, const struct wb_cfg_key *k, const char *val, char *err, size_t errlen)
{
	int64_t v;

	if (wb_cfg_num(k, val, &v, err, errlen) < 0)
		return -1;
	*(uint16_t *)dst = (uint16_t)v;
	return 0;
}

static int
wb_cfg_bool(void *dst, const struct wb_cfg_key *k, const char *val, char *err, size_t errlen)
{
	if (strcmp(val, "1") == 0 || strcmp(val, "yes") == 0 || strcmp(val, "true") == 0 ||
	    strcmp(val, "on") == 0)
		*(uint32_t *)dst = 1;
	else if (strcmp(val, "0") == 0 || strcmp(val, "no") == 0 || strcmp(val, "false") == 0 ||
		 strcmp(val, "off") == 0)
		*(uint32_t *)dst = 0;
	else {
		snprintf(err, errlen, "'%s' is not a boolean (yes/no, 1/0, true/false, on/off)",
			 val);
		return -1;
	}
	return 0;
}

static int
wb_cfg_str(void *dst, const struct wb_cfg_key *k, const char *val, char *err, size_t errlen)
{
	if (strlen(val) >= (size_t)k->max) {
		snprintf(err, errlen, "value longer than %" PRId64 " characters", k->max - 1);
		return -1;
	}
	strcpy(dst, val);
	return 0;
}

static int
wb_cfg_ipv4(void *dst, const struct wb_cfg_key *k, const char *val, char *err, size_t errlen)
{
	struct in_addr a;

	if (inet_pton(AF_INET, val, &a) != 1) {
		snprintf(err, errlen, "'%s' is not an IPv4 address", val);
		return -1;
	}
	*(uint32_t *)dst = ntohl(a.s_addr);
	return 0;
}

/* A multicast group, or 0.0.0.0 for any destination. */
static int
wb_cfg_group(void *dst, const struct wb_cfg_key *k, const char *val, char *err, size_t errlen)
{
	uint32_t g;

	if (wb_cfg_ipv4(&g, k, val, err, errlen) < 0)
		return -1;
	if (g != 0 && (g >> 28) != 0xE) {
		snprintf(err, errlen, "'%s' is not a multicast group (224.0.0.0/4) nor 0.0.0.0",
			 val);
		return -1;
	}
	*(uint32_t *)dst = g;
	return 0;
}

static int
wb_cfg_line(void *dst, const struct wb_cfg_key *k, const char *val, char *err, size_t errlen)
{
	if (strcmp(val, "A") == 0 || strcmp(val, "a") == 0)
		*(unsigned int *)dst = 0;
	else if (strcmp(val, "B") == 0 || strcmp(val, "b") == 0)
		*(unsigned int *)dst = 1;
	else {
		snprintf(err, errlen, "'%s' is not a line (A or B)", val);
		return -1;
	}
	return 0;
}

static int
wb_cfg_protocol(void *dst, const struct wb_cfg_key *k, const char *val, char *err, size_t errlen)
{
	if (strcmp(val, "moldudp64-itch50") == 0)
		*(uint32_t *)dst = WB_FEED_MOLD_ITCH50;
	else if (strcmp(val, "pitch") == 0)
		*(uint32_t *)dst = WB_FEED_PITCH;
	else {
		snprintf(err, errlen, "'%s' is not a protocol (moldudp64-itch50 or pitch)", val);
		return -1;
	}
	return 0;
}

static int
wb_cfg_pitch_prices(void *dst, const struct wb_cfg_key *k, const char *val, char *err,
		    size_t errlen)
{
	(void)k;
	if (strcmp(val, "unsigned") == 0)
		*(uint32_t *)dst = 0;
	else if (strcmp(val, "signed") == 0)
		*(uint32_t *)dst = WB_PITCH_SIGNED_PRICES;
	else {
		snprintf(err, errlen, "'%s' is not a price kind (unsigned or signed)", val);
		return -1;
	}
	return 0;
}

static const struct {
	const char *name;
	uint32_t venue;
} wb_cfg_venues[] = {
	{"nasdaq", WB_VENUE_NASDAQ},	 {"cboe-bzx", WB_VENUE_CBOE_BZX},
	{"cboe-byx", WB_VENUE_CBOE_BYX}, {"cboe-edgx", WB_VENUE_CBOE_EDGX},
	{"cboe-edga", WB_VENUE_CBOE_EDGA}, {"other", WB_VENUE_OTHER},
};

static int
wb_cfg_venue(void *dst, const struct wb_cfg_key *k, const char *val, char *err, size_t errlen)
{
	size_t i;

	if (val[0] == '\0') {
		*(uint32_t *)dst = WB_VENUE_NONE; /* by protocol */
		return 0;
	}
	for (i = 0; i < sizeof(wb_cfg_venues) / sizeof(wb_cfg_venues[0]); i++)
		if (strcmp(val, wb_cfg_venues[i].name) == 0) {
			*(uint32_t *)dst = wb_cfg_venues[i].venue;
			return 0;
		}
	snprintf(err, errlen,
		 "'%s' is not a venue (nasdaq, cboe-bzx, cboe-byx, cboe-edgx, cboe-edga or other)",
		 val);
	return -1;
}

static int
wb_cfg_vlan(void *dst, const struct wb_cfg_key *k, const char *val, char *err, size_t errlen)
{
	int64_t v;

	if (strcmp(val, "any") == 0) {
		*(uint16_t *)dst = WB_IO_ANY_VLAN;
		return 0;
	}
	if (strcmp(val, "none") == 0) {
		*(uint16_t *)dst = WB_NET_VLAN_NONE;
		return 0;
	}
	if (wb_cfg_num(k, val, &v, err, errlen) < 0) {
		snprintf(err, errlen, "'%s' is not a VLAN id (0..4095, any, none)", val);
		return -1;
	}
	*(uint16_t *)dst = (uint16_t)v;
	return 0;
}

static int
wb_cfg_igmp(void *dst, const struct wb_cfg_key *k, const char *val, char *err, size_t errlen)
{
	int64_t v;

	if (wb_cfg_num(k, val, &v, err, errlen) < 0 || v == 1) {
		snprintf(err, errlen, "'%s' is not an IGMP version (0 = off, 2 or 3)", val);
		return -1;
	}
	*(int *)dst = (int)v;
	return 0;
}

/* IP:PORT of a unicast host: a uint32_t address then a uint16_t port. */
static int
wb_cfg_hostport(void *dst, const struct wb_cfg_key *k, const char *val, char *err, size_t errlen)
{
	struct wb_daemon_feed_cfg *f = (struct wb_daemon_feed_cfg *)((char *)dst - k->off);
	char ip[32];
	const char *colon = strrchr(val, ':');
	uint32_t a;
	int64_t port;
	struct wb_cfg_key pk = {.min = 1, .max = 65535};

	if (val[0] == '\0') { /* the default: no request server */
		f->server_ip = 0;
		f->server_port = 0;
		return 0;
	}
	if (colon == NULL || (size_t)(colon - val) >= sizeof(ip)) {
		snprintf(err, errlen, "'%s' is not IP:PORT", val);
		return -1;
	}
	memcpy(ip, val, (size_t)(colon - val));
	ip[colon - val] = '\0';
	if (wb_cfg_ipv4(&a, k, ip, err, errlen) < 0)
		return -1;
	if (a == 0 || (a >> 28) >= 0xE || (a >> 24) == 127) {
		snprintf(err, errlen, "'%s' is not a unicast host address", ip);
		return -1;
	}
	if (wb_cfg_num(&pk, colon + 1, &port, err, errlen) < 0)
		return -1;
	f->server_ip = a;
	f->server_port = (uint16_t)port;
	return 0;
}

/* aa:bb:cc:dd:ee:ff into a uint8_t[6] followed (has_mac) by a uint32_t flag. */
static int
wb_cfg_mac(void *dst, const struct wb_cfg_key *k, const char *val, char *err, size_t errlen)
{
	struct wb_daemon_feed_cfg *f = (struct wb_daemon_feed_cfg *)((char *)dst - k->off);
	unsigned int b[6], i;
	char tail;

	if (val[0] == '\0') {
		f->has_mac = 0;
		return 0;
	}
	if (sscanf(val, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &tail) != 6 || strlen(val) != 17) {
		snprintf(err, errlen, "'%s' is not a MAC address (aa:bb:cc:dd:ee:ff)", val);
		return -1;
	}
	if (b[0] & 1) {
		snprintf(err, errlen, "'%s' is a multicast MAC address", val);
		return -1;
	}
	for (i = 0; i < 6; i++)
		f->server_mac[i] = (uint8_t)b[i];
	f->has_mac = 1;
	return 0;
}

/* [portN] type: dpdk (a device: vdev or pci) or kernel (UDP sockets on iface). */
static int
wb_cfg_ptype(void *dst, const struct wb_cfg_key *k, const char *val, char *err, size_t errlen)
{
	if (strcmp(val, "dpdk") == 0)
		*(int *)dst = 0;
	else if (strcmp(val, "kernel") == 0)
		*(int *)dst = 1;
	else {
		snprintf(err, errlen, "'%s' is not a port type (dpdk or kernel)", val);
		return -1;
	}
	return 0;
}

static int
wb_cfg_poll(void *dst, const struct wb_cfg_key *k, const char *val, char *err, size_t errlen)
{
	if (strcmp(val, "busy") == 0)
		*(int *)dst = WB_IO_POLL_BUSY;
	else if (strcmp(val, "adaptive") == 0)
		*(int *)dst = WB_IO_POLL_ADAPTIVE;
	else if (strcmp(val, "blocking") == 0)
		*(int *)dst = WB_IO_POLL_BLOCKING;
	else {
		snprintf(err, errlen, "'%s' is not a poll mode (busy, adaptive or blocking)", val);
		return -1;
	}
	return 0;
}

static int
wb_cfg_hwts(void *dst, const struct wb_cfg_key *k, const char *val, char *err, size_t errlen)
{
	(void)k;
	if (strcmp(val, "auto") == 0)
		*(int *)dst = WB_IO_HWTS_AUTO;
	else if (strcmp(val, "on") == 0)
		*(int *)dst = WB_IO_HWTS_ON;
	else if (strcmp(val, "off") == 0)
		*(int *)dst = WB_IO_HWTS_OFF;
	else {
		snprintf(err, errlen, "'%s' is not auto, on or off", val);
		return -1;
	}
	return 0;
}

#define C(f) offsetof(struct wb_daemon_cfg, f)
#define P(f) offsetof(struct wb_daemon_port_cfg, f)
#define H(f) offsetof(struct wb_daemon_chan_cfg, f)
#define F(f) offsetof(struct wb_daemon_feed_cfg, f)
#define S(f, s) sizeof(((s *)0)->f)

const struct wb_cfg_key wb_cfg_keys[] = {
    {SEC_EAL, "lcores", wb_cfg_str, C(lcores), "0-1", 0, S(lcores, struct wb_daemon_cfg),
     "EAL core list (-l): the main lcore and every rx lcore"},
    {SEC_EAL, "main_lcore", wb_cfg_u32, C(main_lcore), "0", 0, 1023,
     "control lcore (signals, stats, telemetry, heartbeat)"},
    {SEC_EAL, "memory_mb", wb_cfg_u32, C(memory_mb), "256", 64, 1 << 20,
     "EAL memory (-m), mbuf pools and DPDK heaps"},
    {SEC_EAL, "hugepages", wb_cfg_bool, C(hugepages), "no", 0, 1, "use hugepages (else --no-huge)"},
    {SEC_EAL, "file_prefix", wb_cfg_str, C(file_prefix), "wirebook", 1,
     S(file_prefix, struct wb_daemon_cfg), "EAL --file-prefix, one per concurrent DPDK process"},
    {SEC_EAL, "log_level", wb_cfg_str, C(log_level), "", 0, S(log_level, struct wb_daemon_cfg),
     "EAL --log-level (e.g. 'lib.eal:debug' or '4')"},
    {SEC_EAL, "extra", wb_cfg_str, C(eal_extra), "", 0, S(eal_extra, struct wb_daemon_cfg),
     "more EAL arguments, space separated"},
    {SEC_DAEMON, "name", wb_cfg_str, C(name), WB_CLIENT_DEFAULT_NAME, 1, S(name, struct wb_daemon_cfg),
     "name of the published shared-memory region"},
    {SEC_DAEMON, "stats_interval_ms", wb_cfg_u32, C(stats_interval_ms), "1000", 0, 3600000,
     "one-line log period (0: none)"},
    {SEC_DAEMON, "heartbeat_us", wb_cfg_u32, C(heartbeat_us), "1000", 100, 1000000,
     "shared-memory heartbeat period"},
    {SEC_DAEMON, "igmp_interval_s", wb_cfg_u32, C(igmp_interval_s), "60", 1, 3600,
     "period of unsolicited IGMP reports"},
    {SEC_DAEMON, "flush_us", wb_cfg_u32, C(flush_us), "1000", 10, 1000000,
     "rx lcore counter flush period"},
    {SEC_DAEMON, "duration_s", wb_cfg_u32, C(duration_s), "0", 0, 31536000,
     "stop after this many seconds (0: run until a signal)"},
    {SEC_DAEMON, "idle_exit_ms", wb_cfg_u32, C(idle_exit_ms), "0", 0, 3600000,
     "stop once nothing was received for this long (0: never)"},
    {SEC_DAEMON, "latency", wb_cfg_bool, C(latency), "yes", 0, 1,
     "time each rx burst's stages with the TSC (/wirebook/latency)"},
    {SEC_DAEMON, "dump_book", wb_cfg_str, C(dump_book), "", 0, S(dump_book, struct wb_daemon_cfg),
     "write the canonical book dump here at exit"},
    {SEC_DAEMON, "user", wb_cfg_str, C(user), "", 0, S(user, struct wb_daemon_cfg),
     "after start-up, become this user and drop every capability (needs root)"},
    {SEC_DAEMON, "group", wb_cfg_str, C(group), "", 0, S(group, struct wb_daemon_cfg),
     "with user: become this group (default: the user's)"},
    {SEC_BOOK, "max_orders", wb_cfg_u32, C(max_orders), "4194304", 1024, 1u << 30,
     "live orders per feed"},
    {SEC_BOOK, "ref_window", wb_cfg_u32, C(ref_window), "0", 0, 1u << 30,
     "order refs looked up directly, a power of two (0: 2 x max_orders, at most 4M)"},
    {SEC_BOOK, "max_levels", wb_cfg_u32, C(max_levels), "1048576", 1024, 1u << 30,
     "live price levels per feed"},
    {SEC_BOOK, "max_instruments", wb_cfg_u32, C(max_instruments), "65536", 16,
     WB_SHM_MAX_INSTRUMENTS,
     "instrument ids per feed (ITCH stock locates: 65536 holds them all; PITCH numbers "
     "symbols as they come); the region and the book grow with it"},
    {SEC_BOOK, "hugepages", wb_cfg_bool, C(book_hugepages), "yes", 0, 1,
     "map book tables with MAP_HUGETLB when possible"},
    {SEC_PUBLISH, "enabled", wb_cfg_bool, C(publish), "yes", 0, 1,
     "publish books to shared memory"},
    {SEC_PUBLISH, "ring_slots", wb_cfg_u32, C(ring_slots), "65536", 1024, 1u << 26,
     "event ring slots (power of two)"},
    {SEC_PUBLISH, "depth", wb_cfg_u32, C(depth), "10", 1, 64, "levels per side in the snapshots"},
    {SEC_PUBLISH, "dir", wb_cfg_str, C(shm_dir), "", 0, S(shm_dir, struct wb_daemon_cfg),
     "directory of the region (default: hugetlbfs, else /dev/shm)"},
    {SEC_PUBLISH, "gid", wb_cfg_i32, C(gid), "-1", -1, 1 << 30,
     "group allowed to read the region (-1: the daemon's)"},
    {SEC_PORT, "type", wb_cfg_ptype, P(io.kernel), "dpdk", 0, 1,
     "dpdk (vdev or pci) or kernel (plain UDP sockets on iface: the non-DPDK baseline)"},
    {SEC_PORT, "iface", wb_cfg_str, P(io.iface), "", 0, S(io.iface, struct wb_daemon_port_cfg),
     "type = kernel: interface the channels' groups are joined on"},
    {SEC_PORT, "poll_mode", wb_cfg_poll, P(io.poll_mode), "busy", 0, 2,
     "busy (spin), adaptive (dpdk: back off when idle) or blocking (kernel: sleep in poll)"},
    {SEC_PORT, "vdev", wb_cfg_str, P(vdev), "", 0, S(vdev, struct wb_daemon_port_cfg),
     "virtual device, e.g. net_af_packet0,iface=wb0"},
    {SEC_PORT, "pci", wb_cfg_str, P(pci), "", 0, S(pci, struct wb_daemon_port_cfg),
     "PCI address of a NIC bound to vfio-pci"},
    {SEC_PORT, "lcores", wb_cfg_str, P(lcores), "1", 1, S(lcores, struct wb_daemon_port_cfg),
     "rx lcore of each queue, comma separated"},
    {SEC_PORT, "rx_queues", wb_cfg_u16, P(io.rx_queues), "1", 1, WB_IO_MAX_QUEUES,
     "rx queues (RSS over IP/UDP when > 1)"},
    {SEC_PORT, "rx_desc", wb_cfg_u16, P(io.rx_desc), "1024", 64, 32768, "rx descriptors per queue"},
    {SEC_PORT, "tx_desc", wb_cfg_u16, P(io.tx_desc), "256", 64, 4096,
     "tx descriptors (IGMP reports)"},
    {SEC_PORT, "mbufs", wb_cfg_u32, P(io.mbufs), "8191", 511, 1 << 24,
     "mbufs per rx queue (2^n - 1 is best)"},
    {SEC_PORT, "mbuf_cache", wb_cfg_u16, P(io.mbuf_cache), "256", 0, 512,
     "mempool per-lcore cache"},
    {SEC_PORT, "mbuf_size", wb_cfg_u16, P(io.mbuf_size), "2048", 256, 16384,
     "mbuf data room (largest frame)"},
    {SEC_PORT, "linktype", wb_cfg_u32, P(io.linktype), "1", 1, 300,
     "pcap LINKTYPE of the frames (1 Ethernet)"},
    {SEC_PORT, "promisc", wb_cfg_bool, P(io.promisc), "no", 0, 1,
     "promiscuous mode (allmulticast is always on)"},
    {SEC_PORT, "igmp", wb_cfg_igmp, P(io.igmp), "3", 0, 3,
     "IGMP version of membership reports (0: none)"},
    {SEC_PORT, "ip", wb_cfg_ipv4, P(io.ip), "0.0.0.0", 0, 0, "source address of IGMP reports"},
    {SEC_PORT, "hw_timestamp", wb_cfg_hwts, P(io.hw_timestamp), "auto", 0, 2,
     "read the frames' receive timestamp where the PMD writes one (NIC clock, pcap time): "
     "auto, on (start-up fails without one) or off"},
    {SEC_PORT, "capture", wb_cfg_str, P(capture), "", 0, S(capture, struct wb_daemon_port_cfg),
     "record what this port receives to PREFIX.NNNNNN.pcapng (ns timestamps); '' off"},
    {SEC_PORT, "capture_rotate_mb", wb_cfg_u32, P(capture_rotate_mb), "1024", 0, 1u << 20,
     "start a new capture file after this many MiB (0: never)"},
    {SEC_PORT, "capture_rotate_s", wb_cfg_u32, P(capture_rotate_s), "3600", 0, 31536000,
     "start a new capture file after this many seconds (0: never)"},
    {SEC_PORT, "capture_ring", wb_cfg_u32, P(capture_ring), "4096", 64, 1u << 20,
     "frames in flight to the capture writer per rx queue (power of two, < mbufs); "
     "more are dropped from the capture and counted"},
    {SEC_CHANNEL, "port", wb_cfg_u32, H(io.port), "0", 0, WB_IO_MAX_PORTS - 1,
     "port index (the N of [portN])"},
    {SEC_CHANNEL, "queue", wb_cfg_u32, H(io.queue), "0", 0, WB_IO_MAX_QUEUES - 1,
     "rx queue this channel arrives on"},
    {SEC_CHANNEL, "group", wb_cfg_group, H(io.group), "0.0.0.0", 0, 0,
     "multicast group (0.0.0.0: any destination)"},
    {SEC_CHANNEL, "udp_port", wb_cfg_u16, H(io.udp_port), "0", 0, 65535,
     "UDP destination port (0: any)"},
    {SEC_CHANNEL, "vlan", wb_cfg_vlan, H(io.vlan), "any", 0, 4095,
     "802.1Q VLAN id, 'none' (untagged) or 'any'"},
    {SEC_CHANNEL, "line", wb_cfg_line, H(io.line), "A", 0, 0, "A or B line of its feed"},
    {SEC_CHANNEL, "feed", wb_cfg_str, H(feed), "", 0, S(feed, struct wb_daemon_chan_cfg),
     "feed name; channels sharing it are its A and B lines (default: channel name)"},
    {SEC_CHANNEL, "protocol", wb_cfg_protocol, H(protocol), "moldudp64-itch50", 0, 0,
     "moldudp64-itch50 (Nasdaq) or pitch (Cboe PITCH Sequenced Units); one per feed"},
    {SEC_CHANNEL, "venue", wb_cfg_venue, H(venue), "", 0, 0,
     "venue of the feed's events: nasdaq, cboe-bzx, cboe-byx, cboe-edgx, cboe-edga, other "
     "('': nasdaq for moldudp64-itch50, other for pitch); one per feed"},
    {SEC_CHANNEL, "pitch_prices", wb_cfg_pitch_prices, H(pitch_flags), "unsigned", 0, 0,
     "pitch only: unsigned (Cboe US equities, C1 options) or signed (C1 options complex, whose "
     "spreads trade below zero; CFE futures); one per feed"},
    /* the defaults are the feed's own (wb_feed.h), with or without a [feed] section */
    {SEC_FEED, "reorder_window_pkts", wb_cfg_u32, F(reorder_window_pkts), WB_STR(WB_FEED_HOLD_PACKETS), 0, 65536,
     "packets held ahead of a gap while it may still fill (0: a gap is declared at once)"},
    {SEC_FEED, "reorder_window_us", wb_cfg_u32, F(reorder_window_us), WB_STR(WB_FEED_HOLD_US), 1, 10000000,
     "how long a gap may stay open before it is requested (or declared)"},
    {SEC_FEED, "request_server", wb_cfg_hostport, F(server_ip), "", 0, 0,
     "IP:PORT of the MoldUDP64 request server (empty: none, gaps are declared)"},
    {SEC_FEED, "request_port", wb_cfg_u16, F(src_port), "0", 0, 65535,
     "UDP source port of requests, replies come back to it (0: 49152 + feed index)"},
    {SEC_FEED, "request_mac", wb_cfg_mac, F(server_mac), "", 0, 0,
     "next-hop MAC of request_server (empty: resolved by ARP from the port's ip)"},
    {SEC_FEED, "request_timeout_us", wb_cfg_u32, F(request_timeout_us), WB_STR(WB_FEED_REQ_TIMEOUT_US), 10, 10000000,
     "first request's timeout, doubled at each retry"},
    {SEC_FEED, "request_retries", wb_cfg_u32, F(request_retries), WB_STR(WB_FEED_REQ_RETRIES), 0, 100,
     "requests sent again after a timeout before the gap is declared"},
    {SEC_FEED, "request_max_count", wb_cfg_u32, F(request_max_count), WB_STR(WB_FEED_REQ_MAX_COUNT), 1, 65534,
     "messages asked for in one request at most"},
    {SEC_FEED, "request_min_interval_us", wb_cfg_u32, F(request_min_interval_us), WB_STR(WB_FEED_REQ_MIN_US), 0,
     10000000, "between two requests of the feed at least (rate limit)"},
};

const size_t wb_cfg_nkeys = sizeof(wb_cfg_keys) / sizeof(wb_cfg_keys[0]);
