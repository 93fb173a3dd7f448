/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frame classification down to a UDP payload, for the DPDK rx path and for
 * replay alike, and a header builder for the generator, tests and sender.
 *
 * wb_net_udp() is inline because it runs per packet on the rx lcore. It
 * accepts Ethernet II with up to WB_NET_MAX_VLANS stacked tags (0x8100,
 * 0x88a8, 0x9100), Linux cooked captures (SLL, SLL2) and raw IPv4. It trusts
 * nothing: every header is checked against the bytes present, the IPv4 total
 * length against the frame (Ethernet padding beyond it is ignored), and the
 * UDP length against the IP payload. Fragments are refused (a feed handler
 * never reassembles; MoldUDP64 packets fit one frame). Checksums are not
 * verified: the NIC does that, and published captures often zero them.
 */
#ifndef WB_NET_H
#define WB_NET_H

#include <stddef.h>
#include <stdint.h>

#include "wb_compiler.h"
#include "wb_proto.h"

enum wb_net_rc {
	WB_NET_NOT_IPV4 = -10, /* ARP, IPv6, LLC, ... */
	WB_NET_NOT_UDP = -11,  /* IPv4 but another protocol */
	WB_NET_FRAGMENT = -12, /* IPv4 fragment (MF set or offset != 0) */
	WB_NET_LINKTYPE = -13, /* link type not handled */
};

#define WB_NET_VLAN_NONE 0xFFFFu
#define WB_NET_NO_VLAN WB_NET_VLAN_NONE
#define WB_NET_MAX_VLANS 2

#define WB_NET_ETH_HLEN 14
#define WB_NET_VLAN_HLEN 4
#define WB_NET_IP4_HLEN 20
#define WB_NET_UDP_HLEN 8

struct wb_udp_view {
	const uint8_t *payload;
	uint16_t len;
	uint32_t src_ip, dst_ip; /* host order */
	uint16_t src_port, dst_port;
	uint16_t vlan; /* innermost VLAN id, WB_NET_VLAN_NONE if untagged */
};

static inline const char *
wb_net_rc_name(int rc)
{
	switch (rc) {
	case WB_NET_NOT_IPV4:
		return "not IPv4";
	case WB_NET_NOT_UDP:
		return "not UDP";
	case WB_NET_FRAGMENT:
		return "IPv4 fragment";
	case WB_NET_LINKTYPE:
		return "link type not handled";
	default:
		return wb_proto_rc_name(rc);
	}
}

/* IPv4 header at p, `len` bytes to the end of the frame. */
static inline int
wb_net_ip4_udp(const uint8_t *p, size_t len, struct wb_udp_view *out)
{
	unsigned int ihl, tot, ulen;

	if (wb_unlikely(len < WB_NET_IP4_HLEN))
		return WB_PROTO_TRUNCATED;
	if (wb_unlikely((p[0] >> 4) != 4))
		return WB_NET_NOT_IPV4;
	ihl = (p[0] & 0x0fu) * 4u;
	tot = wb_be16(p + 2);
	if (wb_unlikely(ihl < WB_NET_IP4_HLEN || tot < ihl))
		return WB_PROTO_MALFORMED;
	if (wb_unlikely(tot > len))
		return WB_PROTO_TRUNCATED;
	if (wb_unlikely(wb_be16(p + 6) & 0x3fffu)) /* MF or fragment offset */
		return WB_NET_FRAGMENT;
	if (wb_unlikely(p[9] != 17))
		return WB_NET_NOT_UDP;
	if (wb_unlikely(tot - ihl < WB_NET_UDP_HLEN))
		return WB_PROTO_TRUNCATED;
	ulen = wb_be16(p + ihl + 4);
	if (wb_unlikely(ulen < WB_NET_UDP_HLEN))
		return WB_PROTO_MALFORMED;
	if (wb_unlikely(ulen > tot - ihl))
		return WB_PROTO_TRUNCATED;
	out->src_ip = wb_be32(p + 12);
	out->dst_ip = wb_be32(p + 16);
	out->src_port = wb_be16(p + ihl);
	out->dst_port = wb_be16(p + ihl + 2);
	out->payload = p + ihl + WB_NET_UDP_HLEN;
	out->len = (uint16_t)(ulen - WB_NET_UDP_HLEN);
	return 0;
}

/*
 * The frame from its EtherType at frame[off]: VLAN tags, then IPv4. The DPDK
 * path may call this directly with off 12 (Ethernet).
 */
static inline int
wb_net_ether_udp(const uint8_t *frame, size_t len, size_t off, struct wb_udp_view *out)
{
	uint16_t et;
	int i;

	out->vlan = WB_NET_VLAN_NONE;
	if (wb_unlikely(len < off + 2))
		return WB_PROTO_TRUNCATED;
	et = wb_be16(frame + off);
	for (i = 0; et == 0x8100 || et == 0x88a8 || et == 0x9100; i++) {
		if (wb_unlikely(i == WB_NET_MAX_VLANS))
			return WB_NET_NOT_IPV4;
		if (wb_unlikely(len < off + 2 + WB_NET_VLAN_HLEN))
			return WB_PROTO_TRUNCATED;
		out->vlan = wb_be16(frame + off + 2) & 0x0fffu;
		off += WB_NET_VLAN_HLEN;
		et = wb_be16(frame + off);
	}
	if (wb_unlikely(et != 0x0800))
		return WB_NET_NOT_IPV4;
	off += 2;
	return wb_net_ip4_udp(frame + off, len - off, out);
}

/*
 * Finds the UDP payload of a frame of link type `linktype` (pcap LINKTYPE_*
 * numbers; the DPDK path passes 1). Returns 0 and fills *out, or
 * WB_PROTO_TRUNCATED / WB_PROTO_MALFORMED / WB_NET_*. out->payload points
 * into frame.
 */
static inline int
wb_net_udp(const uint8_t *frame, size_t len, uint32_t linktype, struct wb_udp_view *out)
{
	out->vlan = WB_NET_VLAN_NONE;
	switch (linktype) {
	case 1: /* Ethernet: dst[6] src[6] type[2] */
		return wb_net_ether_udp(frame, len, 12, out);
	case 113: /* Linux SLL: pkttype, hatype, halen, addr[8], protocol */
		return wb_net_ether_udp(frame, len, 14, out);
	case 276: /* Linux SLL2: protocol[2] first, 20-byte header */
		if (wb_unlikely(len < 20))
			return WB_PROTO_TRUNCATED;
		if (wb_unlikely(wb_be16(frame) != 0x0800))
			return WB_NET_NOT_IPV4;
		return wb_net_ip4_udp(frame + 20, len - 20, out);
	case 228: /* raw IPv4 */
	case 101: /* raw IP: the version nibble tells */
		return wb_net_ip4_udp(frame, len, out);
	default:
		return WB_NET_LINKTYPE;
	}
}

struct wb_net_udp_params {
	uint8_t src_mac[6];
	uint8_t dst_mac[6]; /* ignored for a multicast dst_ip: 01:00:5e + low 23 bits */
	uint16_t vlan;	    /* WB_NET_VLAN_NONE for an untagged frame */
	uint8_t vlan_pcp;   /* 802.1p priority, 0..7 */
	uint8_t ttl;	    /* 0 means 64 */
	uint8_t dscp;
	uint16_t ip_id;
	uint32_t src_ip, dst_ip; /* host order */
	uint16_t src_port, dst_port;
	int udp_csum; /* compute the UDP checksum (else 0: none, legal over IPv4) */
};

/* Bytes of headers wb_net_build_udp() puts before the payload. */
static inline size_t
wb_net_udp_hdr_len(const struct wb_net_udp_params *p)
{
	return WB_NET_ETH_HLEN + (p->vlan != WB_NET_VLAN_NONE ? WB_NET_VLAN_HLEN : 0) +
	       WB_NET_IP4_HLEN + WB_NET_UDP_HLEN;
}

/*
 * Writes Ethernet (+ 802.1Q tag) + IPv4 (with its header checksum, DF set)
 * + UDP headers and the payload into out. Returns the frame length, or 0 if
 * cap is too small or the payload does not fit one IPv4 datagram. Frames
 * shorter than 60 bytes are not padded.
 */
size_t wb_net_build_udp(uint8_t *out, size_t cap, const struct wb_net_udp_params *p,
			const uint8_t *payload, uint16_t len);

/* Internet checksum (RFC 1071) of buf, folded and complemented. */
uint16_t wb_net_csum(const uint8_t *buf, size_t len);

/*
 * A channel as the command lines and the daemon's --channel give it,
 * "GROUP:PORT" (IPv4 dotted quad, port 1..65535), to a host-order address
 * and port. 0, or -EINVAL with wb_err_msg() naming the spec and what is wrong.
 */
int wb_net_parse_channel(const char *spec, uint32_t *group, uint16_t *port);

#endif /* WB_NET_H */
