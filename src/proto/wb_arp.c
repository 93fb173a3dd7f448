/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_arp.h"

#include <string.h>

#include "wb_compiler.h"

int
wb_arp_parse(const uint8_t *frame, size_t len, struct wb_arp_view *out)
{
	size_t off = 12;
	uint16_t et, op;
	const uint8_t *a;

	if (len < 14)
		return WB_PROTO_TRUNCATED;
	et = wb_be16(frame + off);
	out->vlan = 0xFFFFu;
	if (et == 0x8100) {
		if (len < 18)
			return WB_PROTO_TRUNCATED;
		out->vlan = wb_be16(frame + 14) & 0x0fffu;
		off += 4;
		et = wb_be16(frame + off);
	}
	if (et != 0x0806)
		return WB_ARP_NOT_ARP;
	off += 2;
	if (len - off < 28)
		return WB_PROTO_TRUNCATED;
	a = frame + off;
	/* Ethernet (1), IPv4 (0x0800), 6-byte and 4-byte addresses. */
	if (wb_be16(a) != 1 || wb_be16(a + 2) != 0x0800 || a[4] != 6 || a[5] != 4)
		return WB_PROTO_MALFORMED;
	op = wb_be16(a + 6);
	if (op != WB_ARP_REQUEST && op != WB_ARP_REPLY)
		return WB_PROTO_MALFORMED;
	if (a[8] & 1) /* a group address never sends */
		return WB_PROTO_MALFORMED;
	out->op = op;
	out->sha = a + 8;
	out->spa = wb_be32(a + 14);
	out->tha = a + 18;
	out->tpa = wb_be32(a + 24);
	return 0;
}

size_t
wb_arp_build(uint8_t *out, size_t cap, uint16_t op, const uint8_t sha[6], uint32_t spa,
	     const uint8_t tha[6], uint32_t tpa)
{
	uint8_t *a = out + 14;

	if (cap < 60)
		return 0;
	memset(out, 0, 60);
	if (op == WB_ARP_REQUEST)
		memset(out, 0xff, 6);
	else
		memcpy(out, tha, 6);
	memcpy(out + 6, sha, 6);
	wb_put_be16(out + 12, 0x0806);
	wb_put_be16(a, 1);
	wb_put_be16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	wb_put_be16(a + 6, op);
	memcpy(a + 8, sha, 6);
	wb_put_be32(a + 14, spa);
	if (op == WB_ARP_REPLY)
		memcpy(a + 18, tha, 6);
	wb_put_be32(a + 24, tpa);
	return 60;
}
