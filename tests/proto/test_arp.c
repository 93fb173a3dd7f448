/* SPDX-License-Identifier: BSD-3-Clause */
/* ARP: the frames we send, byte by byte; parsing at every cut; what is refused. */
#include "wb_test.h"

#include "wb_arp.h"

static const uint8_t mac_a[6] = {0x02, 0, 0, 0, 0, 0x0a};
static const uint8_t mac_b[6] = {0x02, 0, 0, 0, 0, 0x0b};

static int
parse_guarded(const uint8_t *src, size_t len, struct wb_arp_view *v, struct wb_guard *g)
{
	return wb_arp_parse(wb_guard_copy(g, src, len), len, v);
}

static void
test_request_reply(void **state)
{
	static const uint8_t want[WB_ARP_FRAME_LEN] = {
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0,  0, 0, 0, 0x0a, 0x08, 0x06, /* Ethernet */
	    0,	  1,	0x08, 0,    6,	  4,	0,    1,			     /* who-has */
	    0x02, 0,	0,    0,    0,	  0x0a, 10,   77, 6, 1,			     /* sender */
	    0,	  0,	0,    0,    0,	  0,	10,   77, 6, 2};		     /* target */
	uint8_t f[64];
	struct wb_arp_view v;
	struct wb_guard g;
	size_t l;

	(void)state;
	assert_int_equal(
	    wb_arp_build(f, sizeof(f), WB_ARP_REQUEST, mac_a, 0x0a4d0601u, NULL, 0x0a4d0602u), 60);
	assert_memory_equal(f, want, sizeof(want));
	assert_int_equal(f[59], 0);
	assert_int_equal(parse_guarded(f, 60, &v, &g), 0);
	assert_int_equal(v.op, WB_ARP_REQUEST);
	assert_memory_equal(v.sha, mac_a, 6);
	assert_int_equal(v.spa, 0x0a4d0601u);
	assert_int_equal(v.tpa, 0x0a4d0602u);
	assert_int_equal(v.vlan, 0xFFFF);
	wb_guard_free(&g);
	/* Every cut short of the ARP body is truncated. */
	for (l = 0; l < WB_ARP_FRAME_LEN; l++) {
		assert_int_equal(parse_guarded(f, l, &v, &g), WB_PROTO_TRUNCATED);
		wb_guard_free(&g);
	}
	assert_int_equal(parse_guarded(f, WB_ARP_FRAME_LEN, &v, &g), 0);
	wb_guard_free(&g);

	/* A reply goes to its target, and names it. */
	assert_int_equal(
	    wb_arp_build(f, sizeof(f), WB_ARP_REPLY, mac_b, 0x0a4d0602u, mac_a, 0x0a4d0601u), 60);
	assert_memory_equal(f, mac_a, 6);
	assert_int_equal(parse_guarded(f, 60, &v, &g), 0);
	assert_int_equal(v.op, WB_ARP_REPLY);
	assert_memory_equal(v.sha, mac_b, 6);
	assert_memory_equal(v.tha, mac_a, 6);
	assert_int_equal(v.spa, 0x0a4d0602u);
	wb_guard_free(&g);
	assert_int_equal(wb_arp_build(f, 59, WB_ARP_REPLY, mac_b, 1, mac_a, 2), 0);
}

static void
test_refused(void **state)
{
	uint8_t f[64], t[68];
	struct wb_arp_view v;
	struct wb_guard g;

	(void)state;
	wb_arp_build(f, sizeof(f), WB_ARP_REPLY, mac_b, 0x0a4d0602u, mac_a, 0x0a4d0601u);
	/* IPv4 is not ARP. */
	f[13] = 0x00;
	assert_int_equal(parse_guarded(f, 60, &v, &g), WB_ARP_NOT_ARP);
	wb_guard_free(&g);
	f[13] = 0x06;
	/* Another hardware type, protocol, address size, operation, a group sender. */
	f[15] = 6;
	assert_int_equal(parse_guarded(f, 60, &v, &g), WB_PROTO_MALFORMED);
	wb_guard_free(&g);
	f[15] = 1;
	f[18] = 8;
	assert_int_equal(parse_guarded(f, 60, &v, &g), WB_PROTO_MALFORMED);
	wb_guard_free(&g);
	f[18] = 6;
	f[21] = 3;
	assert_int_equal(parse_guarded(f, 60, &v, &g), WB_PROTO_MALFORMED);
	wb_guard_free(&g);
	f[21] = 2;
	f[22] = 0x01;
	assert_int_equal(parse_guarded(f, 60, &v, &g), WB_PROTO_MALFORMED);
	wb_guard_free(&g);
	f[22] = 0x02;
	/* Tagged: the VLAN is reported, the body read after the tag. */
	memcpy(t, f, 12);
	t[12] = 0x81;
	t[13] = 0x00;
	t[14] = 0x00;
	t[15] = 0xd2;
	memcpy(t + 16, f + 12, 52);
	assert_int_equal(parse_guarded(t, 64, &v, &g), 0);
	assert_int_equal(v.vlan, 210);
	assert_int_equal(v.spa, 0x0a4d0602u);
	wb_guard_free(&g);
	assert_int_equal(parse_guarded(t, 17, &v, &g), WB_PROTO_TRUNCATED);
	wb_guard_free(&g);
	assert_int_equal(parse_guarded(t, 45, &v, &g), WB_PROTO_TRUNCATED);
	wb_guard_free(&g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_request_reply),
	    cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
