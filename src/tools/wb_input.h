/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Input files for replay and the benchmarks: a Nasdaq BinaryFILE (plain or
 * .gz) gives bare ITCH messages, a pcap/pcapng (plain or .gz) gives the UDP
 * payloads of its frames, each taken as a MoldUDP64 datagram unless channel
 * filters narrow them. The format is detected from the content.
 */
#ifndef WB_INPUT_H
#define WB_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "wb_feed.h"

enum wb_input_kind {
	WB_INPUT_ITCH = 1, /* BinaryFILE: bare messages */
	WB_INPUT_PCAP = 2, /* pcap/pcapng: MoldUDP64 datagrams */
};

struct wb_input_stats {
	uint64_t records;  /* messages (ITCH) or frames (pcap) read */
	uint64_t datagrams; /* UDP datagrams handed on */
	uint64_t filtered; /* UDP datagrams matching no channel */
	uint64_t not_udp;  /* frames that are not IPv4/UDP (ARP, IGMP, ...) */
	uint64_t bad_frames; /* truncated or malformed frames */
	uint64_t fragments; /* IPv4 fragments (not reassembled) */
};

struct wb_input_rec {
	const uint8_t *data; /* valid until the next wb_input_next() */
	size_t len;
	uint64_t ts_ns; /* capture time (pcap), 0 for BinaryFILE */
};

struct wb_input;

/* NULL with errno and wb_err_msg() on failure. */
struct wb_input *wb_input_open(const char *path);
void wb_input_close(struct wb_input *in);
enum wb_input_kind wb_input_kind(const struct wb_input *in);
/* Adds a "GROUP:PORT" filter (pcap only). 0 or -EINVAL with a message. */
int wb_input_add_channel(struct wb_input *in, const char *spec);
/* Next message or datagram: 1, 0 at the end, negative on a damaged file. */
int wb_input_next(struct wb_input *in, struct wb_input_rec *rec);
const struct wb_input_stats *wb_input_stats(const struct wb_input *in);

/*
 * Drives the whole input through the feed, ending a burst every `burst`
 * records. Returns 0 at a clean end, or a negative code with wb_err_msg()
 * naming the file and offset when the file is damaged (everything before
 * that point has been applied).
 */
int wb_input_run(struct wb_input *in, struct wb_feed *f, unsigned int burst);

/* "GROUP:PORT" -> host-order address and port; 0 or -EINVAL. */
int wb_parse_channel(const char *spec, uint32_t *group, uint16_t *port);

#endif /* WB_INPUT_H */
