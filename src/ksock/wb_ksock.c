/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_ksock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "wb_err.h"

#ifndef SO_BUSY_POLL
#define SO_BUSY_POLL 46
#endif
#ifndef SO_RXQ_OVFL
#define SO_RXQ_OVFL 40
#endif

int
wb_ksock_open(struct wb_ksock *k, const char *iface, uint32_t group, uint16_t port,
	      unsigned int busy_us, int rcvbuf)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	struct ip_mreqn mr;
	int one = 1, rc, busy = (int)busy_us;
	char gs[INET_ADDRSTRLEN];

	memset(k, 0, sizeof(*k));
	sa.sin_addr.s_addr = htonl(group);
	sa.sin_port = htons(port);
	inet_ntop(AF_INET, &sa.sin_addr, gs, sizeof(gs));
	memset(&mr, 0, sizeof(mr));
	mr.imr_multiaddr.s_addr = htonl(group);
	mr.imr_ifindex = (int)if_nametoindex(iface);
	if (mr.imr_ifindex == 0)
		return wb_err_set(ENODEV, "kernel port: no interface '%s'", iface);
	k->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (k->fd < 0)
		return wb_err_set(errno, "kernel port: socket: %s", strerror(errno));
	if (setsockopt(k->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    setsockopt(k->fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one)) != 0 ||
	    setsockopt(k->fd, SOL_SOCKET, SO_BINDTODEVICE, iface, (socklen_t)strlen(iface)) != 0 ||
	    (rcvbuf > 0 && setsockopt(k->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) != 0) ||
	    bind(k->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    setsockopt(k->fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) != 0) {
		rc = wb_err_set(errno, "kernel port: %s:%u on %s: %s", gs, port, iface,
				strerror(errno));
		close(k->fd);
		k->fd = -1;
		return rc;
	}
	/* best effort: needs CAP_NET_ADMIN above net.core.busy_read, and a NAPI driver */
	if (busy > 0 && setsockopt(k->fd, SOL_SOCKET, SO_BUSY_POLL, &busy, sizeof(busy)) == 0)
		k->busy_poll = 1;
	return 0;
}

void
wb_ksock_close(struct wb_ksock *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}

void
wb_ksock_burst_init(struct wb_ksock_burst *b)
{
	unsigned int i;

	memset(b->mm, 0, sizeof(b->mm));
	for (i = 0; i < WB_KSOCK_BURST; i++) {
		b->iov[i].iov_base = b->buf[i];
		b->iov[i].iov_len = WB_KSOCK_MTU;
		b->mm[i].msg_hdr.msg_iov = &b->iov[i];
		b->mm[i].msg_hdr.msg_iovlen = 1;
		b->mm[i].msg_hdr.msg_control = b->ctrl[i];
		b->mm[i].msg_hdr.msg_controllen = sizeof(b->ctrl[i]);
	}
}

int
wb_ksock_recv(struct wb_ksock *k, struct wb_ksock_burst *b)
{
	struct cmsghdr *c;
	int n, i;

	n = recvmmsg(k->fd, b->mm, WB_KSOCK_BURST, MSG_DONTWAIT, NULL);
	if (n <= 0)
		return 0;
	/* the drop counter rides on each datagram; the last one is the newest */
	for (c = CMSG_FIRSTHDR(&b->mm[n - 1].msg_hdr); c != NULL;
	     c = CMSG_NXTHDR(&b->mm[n - 1].msg_hdr, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
			uint32_t v;

			memcpy(&v, CMSG_DATA(c), sizeof(v));
			k->drops += (uint32_t)(v - k->ovfl);
			k->ovfl = v;
		}
	for (i = 0; i < n; i++)
		b->mm[i].msg_hdr.msg_controllen = sizeof(b->ctrl[i]);
	return n;
}

int
wb_ksock_wait(const struct wb_ksock *const *k, unsigned int n, uint8_t *ready, int timeout_ms)
{
	struct pollfd p[64];
	unsigned int i;
	int rc;

	if (n > 64)
		n = 64;
	for (i = 0; i < n; i++) {
		p[i].fd = k[i]->fd;
		p[i].events = POLLIN;
		p[i].revents = 0;
	}
	rc = poll(p, n, timeout_ms);
	for (i = 0; i < n; i++)
		ready[i] = (p[i].revents & POLLIN) != 0;
	return rc < 0 ? 0 : rc;
}
