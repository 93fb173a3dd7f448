/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wirebookd's configuration without EAL: defaults, a full file, every kind
 * of bad value and cross-key rule (each must fail naming its section and
 * key), and the EAL command line built from a configuration.
 */
#include "wb_test.h"

#include "wb_daemon.h"
#include "wb_net.h"
#include "wb_pitch.h"
#include "wb_shm.h"
#include "wirebook/wirebook.h"

static char wb_tmp_path[64];

static const char *
wb_write_ini_n(const char *text, size_t len)
{
	FILE *f;
	int fd;

	snprintf(wb_tmp_path, sizeof(wb_tmp_path), "/tmp/wb-test-cfg.XXXXXX");
	fd = mkstemp(wb_tmp_path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return wb_tmp_path;
}


/* Loads then checks len bytes of text; returns 0 or -1 with err filled. */
static int
wb_load_n(struct wb_daemon_cfg *c, const char *text, size_t len, char *err, size_t errlen)
{
	const char *path = wb_write_ini_n(text, len);
	int rc;

	wb_daemon_cfg_default(c);
	err[0] = '\0';
	rc = wb_daemon_cfg_load(c, path, err, errlen);
	if (rc == 0)
		rc = wb_daemon_cfg_check(c, err, errlen);
	unlink(path);
	return rc;
}

static int
wb_load(struct wb_daemon_cfg *c, const char *text, char *err, size_t errlen)
{
	return wb_load_n(c, text, strlen(text), err, errlen);
}

static void
test_defaults(void **state)
{
	static struct wb_daemon_cfg c;

	(void)state;
	wb_daemon_cfg_default(&c);
	assert_string_equal(c.lcores, "0-1");
	assert_int_equal(c.main_lcore, 0);
	assert_int_equal(c.memory_mb, 256);
	assert_int_equal(c.hugepages, 0);
	assert_string_equal(c.file_prefix, "wirebook");
	/* the tools open this name without --name: they must agree */
	assert_string_equal(c.name, WB_CLIENT_DEFAULT_NAME);
	assert_int_equal(c.heartbeat_us, 1000);
	assert_int_equal(c.max_orders, 4194304);
	assert_int_equal(c.publish, 1);
	assert_int_equal(c.ring_slots, 65536);
	assert_int_equal(c.gid, -1);
	assert_int_equal(c.nports, 0);
	assert_int_equal(c.nchan, 0);
}

static const char wb_good[] = "[eal]\n"
			      "lcores = 0,2-3\n"
			      "main_lcore = 0\n"
			      "hugepages = yes\n"
			      "memory_mb = 1024\n"
			      "file_prefix = wbt\n"
			      "extra = --log-color=never  --no-shconf\n"
			      "[daemon]\n"
			      "name = nasdaq\n"
			      "[publish]\n"
			      "ring_slots = 1048576\n"
			      "gid = 1001\n"
			      "[port0]\n"
			      "vdev = net_af_packet0,iface=wb0,qpairs=2\n"
			      "rx_queues = 2\n"
			      "lcores = 2,3\n"
			      "ip = 10.77.0.1\n"
			      "igmp = 2\n"
			      "promisc = on\n"
			      "[port1]\n"
			      "pci = 0000:3b:00.1\n"
			      "lcores = 2\n"
			      "[channel a]\n"
			      "group = 239.77.0.1\n"
			      "udp_port = 26400\n"
			      "vlan = 210\n"
			      "feed = itch\n"
			      "[channel b]\n"
			      "port = 1\n"
			      "group = 239.77.0.1\n"
			      "udp_port = 26400\n"
			      "vlan = none\n"
			      "line = B\n"
			      "feed = itch\n"
			      "[channel other]\n"
			      "port = 0\n"
			      "queue = 1\n";

static void
test_good_file(void **state)
{
	static struct wb_daemon_cfg c;
	char err[256];

	(void)state;
	assert_int_equal(wb_load(&c, wb_good, err, sizeof(err)), 0);
	assert_string_equal(c.lcores, "0,2-3");
	assert_int_equal(c.hugepages, 1);
	assert_int_equal(c.memory_mb, 1024);
	assert_string_equal(c.name, "nasdaq");
	assert_int_equal(c.ring_slots, 1048576);
	assert_int_equal(c.gid, 1001);
	assert_int_equal(c.nports, 2);
	assert_string_equal(c.port[0].io.device, "net_af_packet0");
	assert_string_equal(c.port[1].io.device, "0000:3b:00.1");
	assert_int_equal(c.port[0].io.rx_queues, 2);
	assert_int_equal(c.port[0].io.lcore[0], 2);
	assert_int_equal(c.port[0].io.lcore[1], 3);
	assert_int_equal(c.port[0].io.ip, 0x0a4d0001u);
	assert_int_equal(c.port[0].io.igmp, 2);
	assert_int_equal(c.port[0].io.promisc, 1);
	assert_int_equal(c.port[1].io.igmp, 3); /* default */
	assert_int_equal(c.port[1].io.rx_desc, 1024);
	assert_int_equal(c.nchan, 3);
	assert_string_equal(c.chan[0].name, "a");
	assert_int_equal(c.chan[0].io.group, 0xef4d0001u);
	assert_int_equal(c.chan[0].io.udp_port, 26400);
	assert_int_equal(c.chan[0].io.vlan, 210);
	assert_int_equal(c.chan[0].io.line, 0);
	assert_int_equal(c.chan[1].io.vlan, WB_NET_VLAN_NONE);
	assert_int_equal(c.chan[1].io.line, 1);
	assert_string_equal(c.chan[1].feed, "itch");
	/* Defaults of a channel: any destination, any VLAN, feed named after it. */
	assert_int_equal(c.chan[2].io.group, 0);
	assert_int_equal(c.chan[2].io.udp_port, 0);
	assert_int_equal(c.chan[2].io.vlan, WB_IO_ANY_VLAN);
	assert_int_equal(c.chan[2].io.queue, 1);
	assert_string_equal(c.chan[2].feed, "other");
}

static const struct {
	const char *text;
	const char *msg; /* the error must contain this */
} wb_bad[] = {
    {"[eal]\nfoo = 1\n", "[eal] foo: unknown key"},
    {"[nope]\n", "[nope]: unknown section"},
    {"[port9]\n", "[port9]: ports are [port0] .. [port7]"},
    {"[eal]\nmemory_mb = 10\n", "[eal] memory_mb: '10' is not a number in [64, 1048576]"},
    {"[eal]\nmemory_mb = 12x\n", "[eal] memory_mb: '12x' is not a number"},
    {"[eal]\nhugepages = maybe\n", "[eal] hugepages: 'maybe' is not a boolean"},
    {"[eal]\nlcores = 0-\n", "[eal] lcores: '0-' is not a core list"},
    {"[eal]\nlcores = 1-2\n", "[eal] main_lcore: 0 is not in lcores '1-2'"},
    {"[daemon]\nheartbeat_us = 5\n", "[daemon] heartbeat_us: '5' is not a number in [100,"},
    /* instrument ids: the bound, then the region they would need */
    {"[book]\nmax_instruments = 16777217\n",
     "[book] max_instruments: '16777217' is not a number in [16, 16777216]"},
    {"[book]\nmax_instruments = 16777216\n[publish]\ndepth = 64\n[port0]\nvdev = n0\n"
     "[channel a]\n",
     "[book] max_instruments: max_instruments 16777216 at depth 64 (3200 bytes each) and 65536 "
     "ring slots make a region of 51206 MiB, above the 16384 MiB limit"},
    {"[book]\nref_window = 3000\n", "[book] ref_window: 3000 is not a power of two"},
    {"[publish]\nring_slots = 3000\n", "[publish] ring_slots: 3000 is not a power of two"},
    {"[publish]\ndepth = 65\n", "[publish] depth: '65' is not a number in [1, 64]"},
    {"[port0]\nvdev = net_null0\nrx_queues = 99\n",
     "[port0] rx_queues: '99' is not a number in [1, 16]"},
    {"[port0]\nvdev = net_null0\nip = 10.1\n", "[port0] ip: '10.1' is not an IPv4 address"},
    {"[port0]\nvdev = net_null0\nigmp = 1\n", "[port0] igmp: '1' is not an IGMP version"},
    {"[port0]\nvdev = net_null0\npci = 0000:01:00.0\n", "[port0] vdev/pci: exactly one"},
    {"[port0]\nrx_queues = 1\n[channel a]\n", "[port0] vdev/pci: exactly one"},
    {"[port1]\nvdev = net_null1\n[channel a]\n",
     "[port0] vdev/pci: exactly one of them is needed (is the section missing?)"},
    {"[port0]\nvdev = net_null0\nrx_queues = 2\n[channel a]\n",
     "[port0] lcores: '1' must list one lcore per rx queue (2)"},
    {"[port0]\nvdev = net_null0\nlcores = 1,1\n[channel a]\n",
     "[port0] lcores: '1,1' lists more lcores than rx_queues (1)"},
    {"[port0]\nvdev = net_null0\nlcores = 0\n[channel a]\n", "[port0] lcores: 0 is the main lcore"},
    {"[port0]\nvdev = net_null0\nlcores = 5\n[channel a]\n",
     "[port0] lcores: 5 is not in [eal] lcores"},
    {"[port0]\nvdev = net_null0\n[port1]\nvdev = net_null0,x=1\n[channel a]\n",
     "[port1] vdev: device 'net_null0' is also [port0]"},
    {"[port0]\nvdev = net_null0\n", "no [channel NAME] section"},
    {"[channel a]\n", "no [portN] section"},
    {"[port0]\nvdev = net_null0\n[channel a]\ngroup = 10.0.0.1\n",
     "[channel a] group: '10.0.0.1' is not a multicast group"},
    {"[port0]\nvdev = net_null0\n[channel a]\nline = C\n",
     "[channel a] line: 'C' is not a line (A or B)"},
    {"[port0]\nvdev = net_null0\n[channel a]\nvlan = 5000\n",
     "[channel a] vlan: '5000' is not a VLAN id"},
    {"[port0]\nvdev = net_null0\n[channel a]\nprotocol = fix\n",
     "[channel a] protocol: 'fix' is not a protocol (moldudp64-itch50 or pitch)"},
    {"[port0]\nvdev = net_null0\n[channel a]\nprotocol = pitch\nfeed = f\ngroup = 239.1.1.1\n"
     "[channel b]\nfeed = f\ngroup = 239.1.1.2\nline = B\n",
     "[channel b] protocol: moldudp64-itch50, but [channel a] of the same feed f is pitch"},
    {"[port0]\nvdev = net_null0\nip = 10.0.0.1\n[channel a]\nprotocol = pitch\n"
     "[feed a]\nrequest_server = 10.0.0.2:1\n",
     "[feed a] request_server: a MoldUDP64 request server, but the feed is pitch"},
    {"[port0]\nvdev = net_null0\n[channel a]\nvenue = cboe\n",
     "[channel a] venue: 'cboe' is not a venue (nasdaq, cboe-bzx"},
    {"[port0]\nvdev = net_null0\n[channel a]\nprotocol = pitch\nfeed = f\ngroup = 239.1.1.1\n"
     "venue = cboe-edga\n[channel b]\nprotocol = pitch\nfeed = f\ngroup = 239.1.1.2\nline = B\n",
     "[channel b] venue: not the venue of [channel a] of the same feed f"},
    {"[port0]\nvdev = net_null0\n[channel a]\nprotocol = pitch\npitch_prices = two\n",
     "[channel a] pitch_prices: 'two' is not a price kind (unsigned or signed)"},
    {"[port0]\nvdev = net_null0\n[channel a]\npitch_prices = signed\n",
     "[channel a] pitch_prices: only for protocol = pitch (this channel is moldudp64-itch50)"},
    {"[port0]\nvdev = net_null0\n[channel a]\nprotocol = pitch\nfeed = f\ngroup = 239.1.1.1\n"
     "pitch_prices = signed\n[channel b]\nprotocol = pitch\nfeed = f\ngroup = 239.1.1.2\nline = B\n",
     "[channel b] pitch_prices: not that of [channel a] of the same feed f"},
    {"[port0]\nvdev = net_null0\n[channel a]\nport = 1\n",
     "[channel a] port: 1 has no [port1] section"},
    {"[port0]\nvdev = net_null0\n[channel a]\nqueue = 1\n",
     "[channel a] queue: port 0 has 1 rx queue(s)"},
    {"[port0]\nvdev = net_null0\n[channel a]\ngroup = 239.1.1.1\n[channel b]\ngroup = 239.1.1.1\n",
     "[channel b] group/udp_port: same traffic as [channel a]"},
    {"[port0]\nvdev = net_null0\n[channel a]\n[channel a]\n",
     ":4: [channel a]: section given twice (first at line 3)"},
    {"[port0]\ntype = udp\n", "[port0] type: 'udp' is not a port type (dpdk or kernel)"},
    {"[port0]\nvdev = net_null0\npoll_mode = lazy\n",
     "[port0] poll_mode: 'lazy' is not a poll mode (busy, adaptive or blocking)"},
    {"[port0]\nvdev = net_null0\nhw_timestamp = yes\n",
     "[port0] hw_timestamp: 'yes' is not auto, on or off"},
    {"[port0]\ntype = kernel\n[channel a]\n",
     "[port0] type = kernel: needs iface, and neither vdev nor pci"},
    {"[port0]\ntype = kernel\niface = eth0\nvdev = net_null0\n[channel a]\n",
     "[port0] type = kernel: needs iface, and neither vdev nor pci"},
    {"[port0]\ntype = kernel\niface = eth0\npoll_mode = adaptive\n[channel a]\n",
     "[port0] type = kernel: poll_mode is busy or blocking"},
    {"[port0]\ntype = kernel\niface = eth0\nrx_queues = 2\nlcores = 1,2\n[channel a]\n",
     "[port0] type = kernel: rx_queues must be 1"},
    {"[port0]\nvdev = net_null0\npoll_mode = blocking\n[channel a]\n",
     "[port0] poll_mode: blocking is for type = kernel"},
    {"[daemon]\nname = 0123456789012345678901234567890123456789012345678901234567890123456789\n",
     "[daemon] name: value longer than 63 characters"},
    /* The INI itself: nothing it does not understand, nothing twice. */
    {"[eal]\nmemory_mb = 256\nhugepages\n", ":3: 'hugepages' is not 'key = value'"},
    {"[eal]\n[daemon]\n[eal]\n", ":3: [eal]: section given twice (first at line 1)"},
    {"[port0]\nvdev = a\n[ port0 ]\n", ":3: [port0]: section given twice (first at line 1)"},
    {"[eal]\nmemory_mb = 256\n\nmemory_mb = 512\n",
     ":4: [eal] memory_mb: given twice (first at line 2)"},
    {"memory_mb = 256\n", ":1: memory_mb: key before any [section]"},
    {"[eal\n", ":1: '[eal': a section header needs its ']'"},
    {"[eal] x\n", ":1: ' x' after the section's ']'"},
    {"[]\n", ":1: empty section name"},
    {"[eal]\n = 3\n", ":2: '=' without a key"},
    {"[eal]\nmemory mb = 3\n", ":2: 'memory mb' is not a key"},
    {"[eal]\nmemory_mb = 256 ; a comment\n", ":2: [eal] memory_mb: '256 ; a comment' is not"},
    /* Numbers are decimal: no octal, no hex, no sign games. */
    {"[port0]\nvdev = net_null0\n[channel a]\nudp_port = 026400\n",
     ":4: [channel a] udp_port: '026400': a leading zero is not allowed (numbers are decimal)"},
    {"[eal]\nmemory_mb = 0x400\n", ":2: [eal] memory_mb: '0x400': a leading zero"},
    {"[eal]\nmemory_mb = +512\n", "[eal] memory_mb: '+512' is not a number"},
    {"[eal]\nmemory_mb = -012\n", "[eal] memory_mb: '-012': a leading zero"},
    {"[eal]\nmemory_mb = -0\n", "[eal] memory_mb: '-0' is not a number"},
    {"[eal]\nmemory_mb = 99999999999999999999\n", "[eal] memory_mb: '99999999999999999999' is not"},
    {"[publish]\ngid = -2\n", "[publish] gid: '-2' is not a number in [-1,"},
    /* Names: the rules start-up applies, checked by --check too. */
    {"[daemon]\nname = abcdefghijklmnopqrstuvwx\n[port0]\nvdev = n0\n[channel a]\n",
     "[daemon] name: 'abcdefghijklmnopqrstuvwx' is not 1 to 23 characters long"},
    {"[daemon]\nname = a/b\n[port0]\nvdev = n0\n[channel a]\n",
     "[daemon] name: 'a/b' is not a region name"},
    {"[daemon]\nname = .hidden\n[port0]\nvdev = n0\n[channel a]\n",
     "[daemon] name: '.hidden' is not a region name"},
    {"[eal]\nlcores = 0-2\n[daemon]\nname = abcdefghijklmnopqrstuvw\n[port0]\nvdev = n0\n"
     "rx_queues = 2\nlcores = 1,2\n[channel a]\n[channel b]\nqueue = 1\ngroup = 239.0.0.1\n",
     "[daemon] name: the region of feed 2 would be 'abcdefghijklmnopqrstuvw.1' is not 1 to 23"},
    {"[port0]\nvdev = n0\n[channel a/b]\n", "[channel a/b]: not a channel name"},
    {"[port0]\nvdev = n0\n[channel a]\nfeed = x y\n", "[channel a] feed: 'x y' is not a feed name"},
    {"[eal]\nfile_prefix = wb%d\n[port0]\nvdev = n0\n[channel a]\n",
     "[eal] file_prefix: 'wb%d' is not a prefix"},
};

static void
test_bad_values(void **state)
{
	static struct wb_daemon_cfg c;
	char err[512];
	size_t i;

	(void)state;
	for (i = 0; i < WB_ARRAY_SIZE(wb_bad); i++) {
		if (wb_load_n(&c, wb_bad[i].text, strlen(wb_bad[i].text),
			      err, sizeof(err)) != -1) {
			print_error("case %zu: '%s' accepted\n", i, wb_bad[i].text);
			fail();
		}
		if (strstr(err, wb_bad[i].msg) == NULL) {
			print_error("case %zu: '%s'\n  got: %s\n  want: ...%s...\n", i,
				    wb_bad[i].text, err, wb_bad[i].msg);
			fail();
		}
	}
}

/* protocol: per channel, default MoldUDP64/ITCH; PITCH on both lines of a feed. */
static void
test_protocol(void **state)
{
	static const char text[] = "[book]\nmax_instruments = 100000\n" /* PITCH ids past 65,535 */
				   "[port0]\nvdev = net_null0\n"
				   "[channel cboe-a]\nprotocol = pitch\nfeed = bzx\ngroup = 239.1.1.1\n"
				   "venue = cboe-bzx\n"
				   "[channel cboe-b]\nprotocol = pitch\nfeed = bzx\ngroup = 239.1.1.2\n"
				   "line = B\nvenue = cboe-bzx\n"
				   "[channel edgx]\nprotocol = pitch\ngroup = 239.1.1.5\n"
				   "pitch_prices = signed\n"
				   "[channel nasdaq]\ngroup = 239.1.1.3\n"
				   "[channel nasdaq2]\nprotocol = moldudp64-itch50\ngroup = 239.1.1.4\n";
	static struct wb_daemon_cfg c;
	char err[512];

	(void)state;
	assert_int_equal(wb_load(&c, text, err, sizeof(err)), 0);
	assert_int_equal(c.nchan, 5);
	assert_int_equal(c.max_instruments, 100000);
	assert_int_equal(c.chan[0].protocol, WB_FEED_PITCH);
	assert_int_equal(c.chan[1].protocol, WB_FEED_PITCH);
	assert_int_equal(c.chan[3].protocol, WB_FEED_MOLD_ITCH50);
	assert_int_equal(c.chan[4].protocol, WB_FEED_MOLD_ITCH50);
	/* the venue: as given, else by protocol */
	assert_int_equal(wb_daemon_venue(&c.chan[0]), WB_VENUE_CBOE_BZX);
	assert_int_equal(wb_daemon_venue(&c.chan[2]), WB_VENUE_OTHER);
	assert_int_equal(wb_daemon_venue(&c.chan[3]), WB_VENUE_NASDAQ);
	/* prices: unsigned unless the variant signs them */
	assert_int_equal(c.chan[0].pitch_flags, 0);
	assert_int_equal(c.chan[2].pitch_flags, WB_PITCH_SIGNED_PRICES);
	assert_int_equal(c.chan[3].pitch_flags, 0);
	assert_string_equal(wb_daemon_protocol_name(c.chan[0].protocol), "pitch");
	assert_string_equal(wb_daemon_protocol_name(c.chan[3].protocol), "moldudp64-itch50");
}

/* [feed NAME]: recovery keys, defaults for a feed without a section, bad values. */
static void
test_feed_section(void **state)
{
	static const char good[] = "[port0]\nvdev = net_null0\nip = 10.77.6.1\n"
				   "[channel a]\nfeed = itch\ngroup = 239.1.1.1\n"
				   "[channel b]\nfeed = itch\ngroup = 239.1.1.2\nline = B\n"
				   "[channel other]\ngroup = 239.1.1.3\n"
				   "[feed itch]\nrequest_server = 10.77.6.2:26500\n"
				   "request_timeout_us = 5000\nrequest_retries = 7\n"
				   "request_max_count = 200\nrequest_min_interval_us = 50\n"
				   "reorder_window_pkts = 64\nreorder_window_us = 800\n"
				   "request_mac = 02:00:00:00:00:0a\n";
	static const struct {
		const char *text;
		const char *msg;
	} bad[] = {
	    {"[feed nope]\n", "[feed nope]: no channel has this feed"},
	    {"[feed itch]\nrequest_server = 10.77.6.2\n",
	     "[feed itch] request_server: '10.77.6.2' is not IP:PORT"},
	    {"[feed itch]\nrequest_server = 10.77.6.2:0\n",
	     "[feed itch] request_server: '0' is not a number in [1, 65535]"},
	    {"[feed itch]\nrequest_server = 239.1.1.1:26500\n",
	     "[feed itch] request_server: '239.1.1.1' is not a unicast host address"},
	    {"[feed itch]\nrequest_server = x.y:1\n",
	     "[feed itch] request_server: 'x.y' is not an IPv4 address"},
	    {"[feed itch]\nrequest_mac = 02:00:00:00:00\n",
	     "[feed itch] request_mac: '02:00:00:00:00' is not a MAC address"},
	    {"[feed itch]\nrequest_mac = 01:00:5e:00:00:01\n",
	     "[feed itch] request_mac: '01:00:5e:00:00:01' is a multicast MAC address"},
	    {"[feed itch]\nrequest_max_count = 0\n",
	     "[feed itch] request_max_count: '0' is not a number in [1, 65534]"},
	    {"[feed itch]\nrequest_timeout_us = 1\n",
	     "[feed itch] request_timeout_us: '1' is not a number in [10,"},
	    {"[feed itch]\nbogus = 1\n", "[feed itch] bogus: unknown key"},
	    {"[feed itch]\n[feed itch]\n", "[feed itch]"},
	};
	static struct wb_daemon_cfg c;
	const struct wb_daemon_feed_cfg *f;
	char text[1024], err[512];
	size_t i;

	(void)state;
	assert_int_equal(wb_load(&c, good, err, sizeof(err)), 0);
	assert_int_equal(c.nfeedcfg, 2); /* one per feed, in channel order */
	f = wb_daemon_feed_cfg(&c, "itch");
	assert_non_null(f);
	assert_ptr_equal(f, &c.feedcfg[0]);
	assert_int_equal(f->server_ip, 0x0a4d0602u);
	assert_int_equal(f->server_port, 26500);
	assert_int_equal(f->src_port, 49152); /* feed 0's default */
	assert_int_equal(f->request_timeout_us, 5000);
	assert_int_equal(f->request_retries, 7);
	assert_int_equal(f->request_max_count, 200);
	assert_int_equal(f->request_min_interval_us, 50);
	assert_int_equal(f->reorder_window_pkts, 64);
	assert_int_equal(f->reorder_window_us, 800);
	assert_int_equal(f->has_mac, 1);
	assert_int_equal(f->server_mac[5], 0x0a);
	f = wb_daemon_feed_cfg(&c, "other"); /* no section: the defaults, no server */
	assert_non_null(f);
	assert_int_equal(f->server_ip, 0);
	assert_int_equal(f->has_mac, 0);
	assert_int_equal(f->reorder_window_us, 300);
	assert_int_equal(f->request_retries, 3);
	assert_null(wb_daemon_feed_cfg(&c, "nope"));

	/* A request server needs the port's ip; two feeds cannot share a request port. */
	snprintf(text, sizeof(text), "%s", good);
	{
		char *ip = strstr(text, "ip = 10.77.6.1\n");

		memmove(ip, ip + 15, strlen(ip + 15) + 1);
	}
	assert_int_equal(wb_load(&c, text, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "[feed itch] request_server: [port0] ip is needed"));
	snprintf(text, sizeof(text),
		 "%srequest_port = 4000\n[feed other]\nrequest_server = 10.77.6.2:1\n"
		 "request_port = 4000\n",
		 good);
	assert_int_equal(wb_load(&c, text, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "[feed other] request_port: 4000 is also [feed itch]'s"));

	for (i = 0; i < WB_ARRAY_SIZE(bad); i++) {
		snprintf(text, sizeof(text),
			 "[port0]\nvdev = net_null0\nip = 10.0.0.1\n[channel itch]\n%s",
			 bad[i].text);
		assert_int_equal(wb_load(&c, text, err, sizeof(err)), -1);
		if (strstr(err, bad[i].msg) == NULL) {
			print_error("case %zu: '%s'\n  got: %s\n  want: ...%s...\n", i,
				    bad[i].text, err, bad[i].msg);
			fail();
		}
	}
}

static void
test_missing_file(void **state)
{
	static struct wb_daemon_cfg c;
	char err[256];

	(void)state;
	wb_daemon_cfg_default(&c);
	assert_int_equal(wb_daemon_cfg_load(&c, "/nonexistent/wb.ini", err, sizeof(err)), -1);
	assert_string_equal(err, "cannot open /nonexistent/wb.ini: No such file or directory");
	/* A directory opens but cannot be read: not a parse error either. */
	assert_int_equal(wb_daemon_cfg_load(&c, "/", err, sizeof(err)), -1);
	assert_string_equal(err, "cannot read /: Is a directory");
}

/* Comments, blanks, CR LF and an empty value are understood. */
static void
test_ini_forms(void **state)
{
	static const char text[] = "; leading comment\r\n"
				   "# another\r\n"
				   "\r\n"
				   "  [ eal ]  \r\n"
				   "\tmemory_mb\t=\t512\t\r\n"
				   "log_level =\r\n"
				   "[daemon]\r\n"
				   "name=x1\r\n"
				   "[port0]\n"
				   "vdev = net_null0,a=1\n"
				   "[channel a]\n"
				   "udp_port = 0\n"
				   "feed = f.1-b_2"; /* no final newline */
	static struct wb_daemon_cfg c;
	char err[256];

	(void)state;
	err[0] = '\0';
	if (wb_load(&c, text, err, sizeof(err)) != 0) {
		print_error("%s\n", err);
		fail();
	}
	assert_int_equal(c.memory_mb, 512);
	assert_string_equal(c.log_level, "");
	assert_string_equal(c.name, "x1");
	assert_string_equal(c.port[0].vdev, "net_null0,a=1");
	assert_string_equal(c.chan[0].feed, "f.1-b_2");
	/* A NUL byte: not a text file, named with its line. */
	assert_int_equal(wb_load_n(&c, "[eal]\nmain_lcore = 0\n\0[daemon]\n", 31, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, ":3: NUL byte"));
}

/*
 * What --check accepts, start-up accepts: the longest region name the check
 * lets through is created, one character more is refused by both.
 */
static void
test_names_agree(void **state)
{
	static const char ok[] = "[daemon]\nname = wbtest-cfg-%06d-abcde\n[port0]\nvdev = n0\n"
				 "[channel a]\n";
	static const char bad[] = "[daemon]\nname = wbtest-cfg-%06d-abcdef\n[port0]\nvdev = n0\n"
				  "[channel a]\n";
	static struct wb_daemon_cfg c;
	struct wb_shm_params p;
	struct wb_shm shm;
	char text[256], err[256];

	(void)state;
	snprintf(text, sizeof(text), ok, (int)getpid() % 1000000);
	assert_int_equal(wb_load(&c, text, err, sizeof(err)), 0);
	assert_int_equal(strlen(c.name), 23);
	memset(&p, 0, sizeof(p));
	p.name = c.name;
	p.dir = "/dev/shm";
	p.ring_slots = 1024;
	p.depth = 1;
	p.max_instruments = 16;
	p.gid = -1;
	p.numa_node = -1;
	assert_int_equal(wb_shm_create(&shm, &p), 0);
	wb_shm_detach(&shm);
	wb_shm_unlink("/dev/shm", c.name);

	snprintf(text, sizeof(text), bad, (int)getpid() % 1000000);
	assert_int_equal(wb_load(&c, text, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "[daemon] name:"));
	p.name = c.name;
	assert_int_equal(wb_shm_create(&shm, &p), -EINVAL);
}

static int
wb_argv_has(char **argv, int argc, const char *a, const char *b)
{
	int i;

	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], a) == 0 &&
		    (b == NULL || (i + 1 < argc && strcmp(argv[i + 1], b) == 0)))
			return 1;
	return 0;
}

/* A kernel port is sockets: no device on the EAL command line. */
static void
test_kernel_port(void **state)
{
	static struct wb_daemon_cfg c;
	char err[256], *argv[64];
	int argc, i;

	(void)state;
	assert_int_equal(wb_load(&c,
				 "[port0]\ntype = kernel\niface = eth7\npoll_mode = blocking\n"
				 "[port1]\nvdev = net_null0\nlcores = 1\npoll_mode = adaptive\n"
				 "[channel a]\ngroup = 239.1.1.1\nudp_port = 5000\n",
				 err, sizeof(err)),
			 0);
	assert_int_equal(c.port[0].io.kernel, 1);
	assert_string_equal(c.port[0].io.iface, "eth7");
	assert_string_equal(c.port[0].io.device, "kernel:eth7");
	assert_int_equal(c.port[0].io.poll_mode, WB_IO_POLL_BLOCKING);
	assert_int_equal(c.port[1].io.kernel, 0);
	assert_int_equal(c.port[1].io.poll_mode, WB_IO_POLL_ADAPTIVE);
	argc = wb_daemon_eal_args(&c, "wirebookd", argv, (int)WB_ARRAY_SIZE(argv));
	assert_true(argc > 0);
	for (i = 0; i < argc; i++)
		assert_null(strstr(argv[i], "eth7"));
	assert_true(wb_argv_has(argv, argc, "--vdev", "net_null0"));
	assert_false(wb_argv_has(argv, argc, "-a", NULL));
	assert_true(wb_argv_has(argv, argc, "--no-pci", NULL));
}

static void
test_eal_args(void **state)
{
	static struct wb_daemon_cfg c;
	char err[256], *argv[64];
	int argc;

	(void)state;
	assert_int_equal(wb_load(&c, wb_good, err, sizeof(err)), 0);
	argc = wb_daemon_eal_args(&c, "wirebookd", argv, (int)WB_ARRAY_SIZE(argv));
	assert_true(argc > 0);
	assert_null(argv[argc]);
	assert_string_equal(argv[0], "wirebookd");
	assert_true(wb_argv_has(argv, argc, "-l", "0,2-3"));
	assert_true(wb_argv_has(argv, argc, "--main-lcore", "0"));
	assert_true(wb_argv_has(argv, argc, "--file-prefix", "wbt"));
	assert_true(wb_argv_has(argv, argc, "-m", "1024"));
	assert_false(wb_argv_has(argv, argc, "--no-huge", NULL));
	assert_true(wb_argv_has(argv, argc, "--vdev", "net_af_packet0,iface=wb0,qpairs=2"));
	assert_true(wb_argv_has(argv, argc, "-a", "0000:3b:00.1"));
	assert_false(wb_argv_has(argv, argc, "--no-pci", NULL));
	assert_true(wb_argv_has(argv, argc, "--log-color=never", "--no-shconf"));

	assert_int_equal(wb_load(&c, "[port0]\nvdev = net_null0\n[channel a]\n", err, sizeof(err)),
			 0);
	argc = wb_daemon_eal_args(&c, "wirebookd", argv, (int)WB_ARRAY_SIZE(argv));
	assert_true(wb_argv_has(argv, argc, "--no-huge", NULL));
	assert_true(wb_argv_has(argv, argc, "--no-pci", NULL));
	/* Too small a vector is refused, not overrun. */
	assert_int_equal(wb_daemon_eal_args(&c, "wirebookd", argv, 4), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),   cmocka_unit_test(test_good_file),
	    cmocka_unit_test(test_bad_values), cmocka_unit_test(test_missing_file),
	    cmocka_unit_test(test_eal_args),   cmocka_unit_test(test_feed_section),
	    cmocka_unit_test(test_protocol),
	    cmocka_unit_test(test_ini_forms),  cmocka_unit_test(test_names_agree),
	    cmocka_unit_test(test_kernel_port),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
