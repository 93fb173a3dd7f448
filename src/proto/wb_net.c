/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wb_err.h"

static uint32_t
wb_net_sum(uint32_t sum, const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)buf[i] << 8 | buf[i + 1];
	if (len & 1)
		sum += (uint32_t)buf[len - 1] << 8;
	return sum;
}

static uint16_t
wb_net_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffffu) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t
wb_net_csum(const uint8_t *buf, size_t len)
{
	return wb_net_fold(wb_net_sum(0, buf, len));
}

size_t
wb_net_build_udp(uint8_t *out, size_t cap, const struct wb_net_udp_params *p,
		 const uint8_t *payload, uint16_t len)
{
	size_t hl = wb_net_udp_hdr_len(p), off;
	uint8_t *ip, *udp;
	uint32_t sum;

	if ((size_t)len + WB_NET_IP4_HLEN + WB_NET_UDP_HLEN > 0xffffu || cap < hl + len)
		return 0;
	if ((p->dst_ip >> 28) == 0xe) { /* 224.0.0.0/4: RFC 1112 multicast MAC */
		out[0] = 0x01;
		out[1] = 0x00;
		out[2] = 0x5e;
		out[3] = (uint8_t)((p->dst_ip >> 16) & 0x7f);
		out[4] = (uint8_t)(p->dst_ip >> 8);
		out[5] = (uint8_t)p->dst_ip;
	} else {
		memcpy(out, p->dst_mac, 6);
	}
	memcpy(out + 6, p->src_mac, 6);
	off = 12;
	if (p->vlan != WB_NET_VLAN_NONE) {
		wb_put_be16(out + off, 0x8100);
		wb_put_be16(out + off + 2,
			    (uint16_t)((p->vlan_pcp & 7u) << 13 | (p->vlan & 0x0fffu)));
		off += WB_NET_VLAN_HLEN;
	}
	wb_put_be16(out + off, 0x0800);
	off += 2;

	ip = out + off;
	ip[0] = 0x45;
	ip[1] = (uint8_t)(p->dscp << 2);
	wb_put_be16(ip + 2, (uint16_t)(WB_NET_IP4_HLEN + WB_NET_UDP_HLEN + len));
	wb_put_be16(ip + 4, p->ip_id);
	wb_put_be16(ip + 6, 0x4000); /* DF */
	ip[8] = p->ttl != 0 ? p->ttl : 64;
	ip[9] = 17;
	wb_put_be16(ip + 10, 0);
	wb_put_be32(ip + 12, p->src_ip);
	wb_put_be32(ip + 16, p->dst_ip);
	wb_put_be16(ip + 10, wb_net_csum(ip, WB_NET_IP4_HLEN));

	udp = ip + WB_NET_IP4_HLEN;
	wb_put_be16(udp, p->src_port);
	wb_put_be16(udp + 2, p->dst_port);
	wb_put_be16(udp + 4, (uint16_t)(WB_NET_UDP_HLEN + len));
	wb_put_be16(udp + 6, 0);
	if (len > 0)
		memcpy(udp + WB_NET_UDP_HLEN, payload, len);
	if (p->udp_csum) {
		/* Pseudo-header: src, dst, zero + protocol, UDP length. */
		sum = wb_net_sum(0, ip + 12, 8);
		sum += 17u + WB_NET_UDP_HLEN + len;
		sum = wb_net_sum(sum, udp, WB_NET_UDP_HLEN + (size_t)len);
		sum = wb_net_fold(sum);
		wb_put_be16(udp + 6, sum == 0 ? 0xffff : (uint16_t)sum);
	}
	return hl + len;
}

int
wb_net_parse_channel(const char *spec, uint32_t *group, uint16_t *port)
{
	char buf[64], *colon, *end;
	struct in_addr a;
	unsigned long p;

	if (strlen(spec) >= sizeof(buf))
		return wb_err_set(EINVAL, "channel '%s': expected GROUP:PORT", spec);
	strcpy(buf, spec);
	colon = strrchr(buf, ':');
	if (colon == NULL)
		return wb_err_set(EINVAL, "channel '%s': expected GROUP:PORT", spec);
	*colon = '\0';
	if (inet_pton(AF_INET, buf, &a) != 1)
		return wb_err_set(EINVAL, "channel '%s': '%s' is not an IPv4 address", spec, buf);
	errno = 0;
	p = strtoul(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || colon[1] == '\0' || p == 0 || p > 65535)
		return wb_err_set(EINVAL, "channel '%s': port must be 1..65535", spec);
	*group = ntohl(a.s_addr);
	*port = (uint16_t)p;
	return 0;
}
