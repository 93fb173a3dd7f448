/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frames for the daemon's replay port: what a NIC would have received.
 * A pcap/pcapng (plain or .gz) gives its frames as captured; a Nasdaq
 * BinaryFILE (plain or .gz) is packed into MoldUDP64 on the fly
 * (wb_moldpack, as `wirebook sim` sends it) and wrapped in Ethernet/IPv4/UDP
 * to one group and port. Streamed record by record, never loaded whole.
 *
 * Each frame carries the timestamp its pacing follows (capture time; for a
 * BinaryFILE the ITCH time of its last message, when the exchange could have
 * sent it) and the ITCH time of day of its first message (--from).
 * DPDK-free: the daemon's reader thread turns frames into mbufs.
 */
#ifndef WB_FRAMES_H
#define WB_FRAMES_H

#include <stdint.h>

#include "wb_input.h"

struct wb_frame {
	const uint8_t *data; /* valid until the next wb_frames_next() */
	uint32_t len;
	uint64_t ts_ns;	 /* pacing clock */
	uint64_t tod_ns; /* ITCH time of day of its first message, UINT64_MAX if none */
	uint32_t msgs;	 /* ITCH messages it carries (MoldUDP64 count) */
};

struct wb_frames_params {
	uint32_t group;	   /* BinaryFILE: destination (host order) */
	uint16_t udp_port;
	size_t payload;	   /* BinaryFILE: largest MoldUDP64 payload (1400) */
	uint64_t span_ns;  /* BinaryFILE: end a packet once its messages span this
			      much ITCH time (0: only when full); paced replays
			      use it so a quiet period does not hold a message */
	uint64_t split_tod; /* BinaryFILE: never pack messages from both sides of
			       this time of day in one packet (0: none) */
};

struct wb_frames;

void wb_frames_params_default(struct wb_frames_params *p);
/* NULL with wb_err_msg() on failure. */
struct wb_frames *wb_frames_open(const char *path, const struct wb_frames_params *p);
void wb_frames_close(struct wb_frames *f);
/* LINKTYPE of the frames (Ethernet for BinaryFILE, the capture's otherwise). */
uint32_t wb_frames_linktype(const struct wb_frames *f);
enum wb_input_kind wb_frames_kind(const struct wb_frames *f);
/* 1 and a frame, 0 at the end, negative (wb_err_msg()) on a damaged file. */
int wb_frames_next(struct wb_frames *f, struct wb_frame *fr);
void wb_frames_progress(const struct wb_frames *f, uint64_t *done, uint64_t *total);
/* Records skipped: frames of another link type than the first (pcapng). */
uint64_t wb_frames_skipped(const struct wb_frames *f);

#endif /* WB_FRAMES_H */
