/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frame classification and the header builder: untagged, 802.1Q, QinQ,
 * Linux cooked and raw IPv4 frames, fragments, other protocols, every short
 * length (guard page), inconsistent IPv4/UDP lengths, checksums.
 */
#include <errno.h>

#include "wb_test.h"

#include "wb_err.h"
#include "wb_net.h"

static const uint8_t payload[] = "MoldUDP64 payload bytes, 39 of them...";

static struct wb_net_udp_params
params(uint16_t vlan)
{
	struct wb_net_udp_params p;

	memset(&p, 0, sizeof(p));
	memcpy(p.src_mac, "\x02\x00\x00\x00\x00\x01", 6);
	memcpy(p.dst_mac, "\x02\x00\x00\x00\x00\x02", 6);
	p.vlan = vlan;
	p.vlan_pcp = 5;
	p.src_ip = 0x0a4d0001; /* 10.77.0.1 */
	p.dst_ip = 0xe9360c6f; /* 233.54.12.111 */
	p.src_port = 12345;
	p.dst_port = 26477;
	p.ip_id = 0x1234;
	return p;
}

/*
 * Classifies a guard-page copy of the frame; the copy lives until the next
 * call, so that v->payload can still be checked.
 */
static int
classify(const uint8_t *frame, size_t len, uint32_t linktype, struct wb_udp_view *v)
{
	static struct wb_guard g;
	static int live;

	if (live)
		wb_guard_free(&g);
	live = 1;
	return wb_net_udp(wb_guard_copy(&g, frame, len), len, linktype, v);
}

static void
check_view(const struct wb_udp_view *v, uint16_t vlan)
{
	assert_int_equal(v->len, sizeof(payload));
	assert_memory_equal(v->payload, payload, sizeof(payload));
	assert_int_equal(v->src_ip, 0x0a4d0001);
	assert_int_equal(v->dst_ip, 0xe9360c6f);
	assert_int_equal(v->src_port, 12345);
	assert_int_equal(v->dst_port, 26477);
	assert_int_equal(v->vlan, vlan);
}

static void
test_build_and_parse(void **state)
{
	struct wb_net_udp_params p;
	struct wb_udp_view v;
	uint8_t f[256];
	size_t n, l;
	int tagged;

	(void)state;
	for (tagged = 0; tagged < 2; tagged++) {
		size_t ip;

		p = params(tagged ? 141 : WB_NET_VLAN_NONE);
		p.udp_csum = 1;
		n = wb_net_build_udp(f, sizeof(f), &p, payload, sizeof(payload));
		ip = tagged ? 18 : 14;
		assert_int_equal(n, ip + 28 + sizeof(payload));
		assert_int_equal(n, wb_net_udp_hdr_len(&p) + sizeof(payload));
		/* 233.54.12.111 -> 01:00:5e:36:0c:6f (the captures' dst MAC). */
		assert_memory_equal(f, "\x01\x00\x5e\x36\x0c\x6f", 6);
		assert_memory_equal(f + 6, p.src_mac, 6);
		if (tagged) {
			assert_memory_equal(f + 12, "\x81\x00\xa0\x8d", 4); /* PCP 5, VID 141 */
		}
		assert_memory_equal(f + ip - 2, "\x08\x00", 2);
		assert_int_equal(f[ip], 0x45);
		assert_int_equal(f[ip + 8], 64);
		assert_int_equal(f[ip + 9], 17);
		assert_int_equal(wb_net_csum(f + ip, 20), 0); /* header checksum valid */
		{
			/* UDP checksum over the pseudo-header verifies to 0. */
			uint8_t ph[12 + 8 + sizeof(payload) + 1];
			size_t ulen = 8 + sizeof(payload);

			memset(ph, 0, sizeof(ph));
			memcpy(ph, f + ip + 12, 8);
			ph[9] = 17;
			ph[10] = (uint8_t)(ulen >> 8);
			ph[11] = (uint8_t)ulen;
			memcpy(ph + 12, f + ip + 20, ulen);
			assert_int_equal(wb_net_csum(ph, 12 + ulen), 0);
		}
		assert_int_equal(classify(f, n, 1, &v), 0);
		check_view(&v, tagged ? 141 : WB_NET_VLAN_NONE);
		/* Every shorter frame: truncated, and no read past its end. */
		for (l = 0; l < n; l++)
			assert_int_equal(classify(f, l, 1, &v), WB_PROTO_TRUNCATED);
		/* Ethernet padding after the datagram is ignored. */
		memset(f + n, 0, 16);
		assert_int_equal(classify(f, n + 16, 1, &v), 0);
		check_view(&v, tagged ? 141 : WB_NET_VLAN_NONE);
		assert_int_equal(wb_net_build_udp(f, n - 1, &p, payload, sizeof(payload)), 0);
	}
	/* Unicast destination: the given MAC. */
	p = params(WB_NET_VLAN_NONE);
	p.dst_ip = 0x0a4d0002;
	n = wb_net_build_udp(f, sizeof(f), &p, payload, sizeof(payload));
	assert_memory_equal(f, p.dst_mac, 6);
	assert_int_equal(f[14 + 26], 0); /* no UDP checksum asked for */
}

/* QinQ: an 802.1ad tag in front of the 802.1Q one. */
static void
test_stacked_vlans(void **state)
{
	struct wb_net_udp_params p = params(142);
	struct wb_udp_view v;
	uint8_t f[256], q[260];
	size_t n, l;

	(void)state;
	n = wb_net_build_udp(f, sizeof(f), &p, payload, sizeof(payload));
	memcpy(q, f, 12);
	memcpy(q + 12, "\x88\xa8\x00\x64", 4); /* S-tag, VID 100 */
	memcpy(q + 16, f + 12, n - 12);
	assert_int_equal(classify(q, n + 4, 1, &v), 0);
	check_view(&v, 142); /* the innermost tag */
	for (l = 0; l < n + 4; l++)
		assert_int_equal(classify(q, l, 1, &v), WB_PROTO_TRUNCATED);
	/* Three tags: more than handled. */
	memcpy(f, q, 12);
	memcpy(f + 12, "\x88\xa8\x00\x65", 4);
	memcpy(f + 16, q + 12, n + 4 - 12);
	assert_int_equal(classify(f, n + 8, 1, &v), WB_NET_NOT_IPV4);
}

static void
test_not_udp(void **state)
{
	struct wb_net_udp_params p = params(WB_NET_VLAN_NONE);
	struct wb_udp_view v;
	uint8_t f[256], g[256];
	size_t n;

	(void)state;
	n = wb_net_build_udp(f, sizeof(f), &p, payload, sizeof(payload));
	memcpy(g, f, n);
	g[12] = 0x86, g[13] = 0xdd; /* IPv6 */
	assert_int_equal(classify(g, n, 1, &v), WB_NET_NOT_IPV4);
	g[12] = 0x08, g[13] = 0x06; /* ARP */
	assert_int_equal(classify(g, n, 1, &v), WB_NET_NOT_IPV4);
	g[12] = 0x00, g[13] = 0x40; /* 802.3 length */
	assert_int_equal(classify(g, n, 1, &v), WB_NET_NOT_IPV4);
	memcpy(g, f, n);
	g[14] = 0x65; /* version 6 in an IPv4 EtherType */
	assert_int_equal(classify(g, n, 1, &v), WB_NET_NOT_IPV4);
	memcpy(g, f, n);
	g[14 + 9] = 6; /* TCP */
	assert_int_equal(classify(g, n, 1, &v), WB_NET_NOT_UDP);
	assert_int_equal(classify(f, n, 42, &v), WB_NET_LINKTYPE);
}

static void
test_fragments(void **state)
{
	struct wb_net_udp_params p = params(WB_NET_VLAN_NONE);
	struct wb_udp_view v;
	uint8_t f[256];
	size_t n;

	(void)state;
	n = wb_net_build_udp(f, sizeof(f), &p, payload, sizeof(payload));
	f[20] = 0x20, f[21] = 0x00; /* MF, offset 0: first fragment */
	assert_int_equal(classify(f, n, 1, &v), WB_NET_FRAGMENT);
	f[20] = 0x00, f[21] = 0xb9; /* offset 185 * 8, last fragment */
	assert_int_equal(classify(f, n, 1, &v), WB_NET_FRAGMENT);
	f[20] = 0x40, f[21] = 0x00; /* DF only: whole datagram */
	assert_int_equal(classify(f, n, 1, &v), 0);
}

static void
test_bad_lengths(void **state)
{
	struct wb_net_udp_params p = params(WB_NET_VLAN_NONE);
	struct wb_udp_view v;
	uint8_t f[256], g[256];
	size_t n;

	(void)state;
	n = wb_net_build_udp(f, sizeof(f), &p, payload, sizeof(payload));
	memcpy(g, f, n);
	g[14] = 0x44; /* IHL 4 */
	assert_int_equal(classify(g, n, 1, &v), WB_PROTO_MALFORMED);
	memcpy(g, f, n);
	g[16] = 0, g[17] = 19; /* total length below the header */
	assert_int_equal(classify(g, n, 1, &v), WB_PROTO_MALFORMED);
	memcpy(g, f, n);
	g[17] = (uint8_t)(g[17] + 1); /* total length one past the frame */
	assert_int_equal(classify(g, n, 1, &v), WB_PROTO_TRUNCATED);
	memcpy(g, f, n);
	g[14 + 24] = 0, g[14 + 25] = 7; /* UDP length below its header */
	assert_int_equal(classify(g, n, 1, &v), WB_PROTO_MALFORMED);
	memcpy(g, f, n);
	g[14 + 25] = (uint8_t)(g[14 + 25] + 1); /* UDP length past the IP payload */
	assert_int_equal(classify(g, n, 1, &v), WB_PROTO_TRUNCATED);
	memcpy(g, f, n);
	g[14 + 25] = (uint8_t)(g[14 + 25] - 3); /* shorter UDP length: trust it */
	assert_int_equal(classify(g, n, 1, &v), 0);
	assert_int_equal(v.len, sizeof(payload) - 3);
	/* IHL 6: a 4-byte option before UDP. */
	memcpy(g, f, 34);
	g[14] = 0x46;
	g[17] = (uint8_t)(g[17] + 4);
	memset(g + 34, 1, 4);
	memcpy(g + 38, f + 34, n - 34);
	assert_int_equal(classify(g, n + 4, 1, &v), 0);
	check_view(&v, WB_NET_VLAN_NONE);
}

static void
test_other_linktypes(void **state)
{
	struct wb_net_udp_params p = params(WB_NET_VLAN_NONE);
	struct wb_udp_view v;
	uint8_t f[256], g[300];
	size_t n, ipn, l;

	(void)state;
	n = wb_net_build_udp(f, sizeof(f), &p, payload, sizeof(payload));
	assert_true(n > 14);
	ipn = n > 14 && n - 14 < sizeof(g) - 20 ? n - 14 : 0;
	/* Raw IPv4 (228) and raw IP (101). */
	assert_int_equal(classify(f + 14, ipn, 228, &v), 0);
	check_view(&v, WB_NET_VLAN_NONE);
	assert_int_equal(classify(f + 14, ipn, 101, &v), 0);
	check_view(&v, WB_NET_VLAN_NONE);
	for (l = 0; l < ipn; l++)
		assert_int_equal(classify(f + 14, l, 228, &v), WB_PROTO_TRUNCATED);
	/* Linux SLL: 16-byte header, protocol at 14. */
	memset(g, 0, 16);
	g[14] = 0x08;
	memcpy(g + 16, f + 14, ipn);
	assert_int_equal(classify(g, ipn + 16, 113, &v), 0);
	check_view(&v, WB_NET_VLAN_NONE);
	for (l = 0; l < ipn + 16; l++)
		assert_int_equal(classify(g, l, 113, &v), WB_PROTO_TRUNCATED);
	/* Linux SLL2: 20-byte header, protocol first. */
	memset(g, 0, 20);
	g[0] = 0x08;
	memcpy(g + 20, f + 14, ipn);
	assert_int_equal(classify(g, ipn + 20, 276, &v), 0);
	check_view(&v, WB_NET_VLAN_NONE);
	for (l = 0; l < ipn + 20; l++)
		assert_int_equal(classify(g, l, 276, &v), WB_PROTO_TRUNCATED);
	g[0] = 0x86, g[1] = 0xdd;
	assert_int_equal(classify(g, ipn + 20, 276, &v), WB_NET_NOT_IPV4);
}

/* "GROUP:PORT" as the command lines and the daemon's --channel give it. */
static void
test_parse_channel(void **state)
{
	static const char *const bad[] = {
	    "", "239.1.1.1", "239.1.1.1:", ":26400", "239.1.1:26400", "239.1.1.1:0",
	    "239.1.1.1:65536", "239.1.1.1:26400x", "239.1.1.1:-1", "host:26400",
	    "239.1.1.1:26400:1", "1234567890123456789012345678901234567890123456789012345678901234:1",
	};
	uint32_t group = 7;
	uint16_t port = 7;
	size_t i;

	(void)state;
	assert_int_equal(wb_net_parse_channel("239.1.2.3:26400", &group, &port), 0);
	assert_int_equal(group, 0xef010203u);
	assert_int_equal(port, 26400);
	assert_int_equal(wb_net_parse_channel("0.0.0.0:65535", &group, &port), 0);
	assert_int_equal(group, 0);
	assert_int_equal(port, 65535);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		group = 7, port = 7;
		assert_int_equal(wb_net_parse_channel(bad[i], &group, &port), -EINVAL);
		/* nothing written on failure, and the message names the spec */
		assert_int_equal(group, 7);
		assert_int_equal(port, 7);
		assert_non_null(strstr(wb_err_msg(), "channel '"));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_build_and_parse), cmocka_unit_test(test_stacked_vlans),
	    cmocka_unit_test(test_not_udp),	    cmocka_unit_test(test_fragments),
	    cmocka_unit_test(test_bad_lengths),	    cmocka_unit_test(test_other_linktypes),
	    cmocka_unit_test(test_parse_channel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
