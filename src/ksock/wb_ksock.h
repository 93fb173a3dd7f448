/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The kernel path: a plain UDP socket per channel, read in bursts with
 * recvmmsg(), for wirebookd's `type = kernel` ports. This is what a feed
 * handler built without DPDK does; wirebookd runs it in the same rx loop
 * shape (burst, TSC once, queue on the feed, end the burst) feeding the same
 * feed, book and publisher, so a comparison with a DPDK port measures only
 * how packets arrive.
 *
 * No DPDK here. Each socket joins its group on the configured interface
 * (the kernel sends the IGMP reports), is bound to (group, port) and to the
 * interface, asks for SO_RXQ_OVFL so that datagrams the kernel dropped for
 * a full receive buffer are counted, and for SO_BUSY_POLL in busy mode where
 * the kernel allows it (CAP_NET_ADMIN; a driver with NAPI busy polling).
 */
#ifndef WB_KSOCK_H
#define WB_KSOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#define WB_KSOCK_BURST 32
#define WB_KSOCK_MTU 2048

struct wb_ksock {
	int fd;
	int busy_poll; /* 1: SO_BUSY_POLL was accepted */
	uint32_t ovfl; /* the kernel's drop counter, last seen */
	uint64_t drops;
};

/* Receive buffers of one burst; set up once (wb_ksock_burst_init), reused. */
struct wb_ksock_burst {
	struct mmsghdr mm[WB_KSOCK_BURST];
	struct iovec iov[WB_KSOCK_BURST];
	uint8_t ctrl[WB_KSOCK_BURST][64];
	uint8_t buf[WB_KSOCK_BURST][WB_KSOCK_MTU];
};

/*
 * Opens the socket of one channel: group and port in host order, on
 * interface iface (joined there). busy_us > 0 asks for SO_BUSY_POLL.
 * rcvbuf: SO_RCVBUF bytes (0: the kernel's default). 0 or -errno with
 * wb_err_msg() set.
 */
int wb_ksock_open(struct wb_ksock *k, const char *iface, uint32_t group, uint16_t port,
		  unsigned int busy_us, int rcvbuf);
void wb_ksock_close(struct wb_ksock *k);
void wb_ksock_burst_init(struct wb_ksock_burst *b);

/*
 * Up to WB_KSOCK_BURST datagrams without blocking: their lengths are
 * b->mm[i].msg_len, their bytes b->buf[i]. Returns the count (0: none).
 * Updates k->drops from SO_RXQ_OVFL.
 */
int wb_ksock_recv(struct wb_ksock *k, struct wb_ksock_burst *b);

/*
 * Blocks until one of the n sockets is readable or timeout_ms passed.
 * Returns the number readable (0 on timeout), ready[i] set for each.
 */
int wb_ksock_wait(const struct wb_ksock *const *k, unsigned int n, uint8_t *ready, int timeout_ms);

#endif /* WB_KSOCK_H */
