/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ARP (RFC 826) over Ethernet for IPv4, as much as a kernel-bypass port
 * needs to reach a unicast host on its link: a who-has for the MoldUDP64
 * request server, the reply that teaches its MAC, and a reply to the
 * server's own who-has for the port's address (nobody else answers for an
 * address no kernel owns). Pure functions over (buf, len), like every
 * decoder here.
 */
#ifndef WB_ARP_H
#define WB_ARP_H

#include <stddef.h>
#include <stdint.h>

#include "wb_proto.h"

#define WB_ARP_REQUEST 1
#define WB_ARP_REPLY 2
/* Ethernet header + ARP body, before the padding to 60 bytes. */
#define WB_ARP_FRAME_LEN 42
#define WB_ARP_NOT_ARP -20 /* a frame whose EtherType is not ARP */

struct wb_arp_view {
	uint16_t op;	    /* WB_ARP_REQUEST or WB_ARP_REPLY */
	uint16_t vlan;	    /* WB_NET_VLAN_NONE (0xFFFF) when untagged */
	const uint8_t *sha; /* sender MAC, into the frame */
	uint32_t spa;	    /* sender IPv4, host order */
	const uint8_t *tha;
	uint32_t tpa;
};

/*
 * Parses an Ethernet frame (one optional 802.1Q tag). Returns 0,
 * WB_ARP_NOT_ARP, WB_PROTO_TRUNCATED, or WB_PROTO_MALFORMED (not Ethernet/
 * IPv4 ARP, an unknown operation, a multicast sender MAC).
 */
int wb_arp_parse(const uint8_t *frame, size_t len, struct wb_arp_view *out);

/*
 * Writes an untagged ARP frame padded to 60 bytes into out (cap >= 60): op
 * from (sha, spa) about tpa; a request is broadcast and its tha zero, a
 * reply goes to tha. Returns 60, or 0 if cap is too small.
 */
size_t wb_arp_build(uint8_t *out, size_t cap, uint16_t op, const uint8_t sha[6], uint32_t spa,
		    const uint8_t tha[6], uint32_t tpa);

#endif /* WB_ARP_H */
