/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Input files for replay and the benchmarks: a Nasdaq BinaryFILE (plain or
 * .gz) gives bare ITCH messages, a pcap/pcapng (plain or .gz) gives the UDP
 * payloads of its frames, each a datagram of the feed's protocol unless
 * channel filters narrow them, and a file of Cboe PITCH Sequenced Units back
 * to back (`wirebook gen --protocol pitch` without .pcap) gives its units as
 * datagrams. The format is detected from the content.
 */
#ifndef WB_INPUT_H
#define WB_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "wb_feed.h"
#include "wb_pace.h"
#include "wb_progress.h"

enum wb_input_kind {
	WB_INPUT_ITCH = 1, /* BinaryFILE: bare messages */
	WB_INPUT_PCAP = 2, /* pcap/pcapng: MoldUDP64 datagrams */
	WB_INPUT_PITCH = 3, /* PITCH Sequenced Units back to back */
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
	uint64_t tod_ns; /* ITCH timestamp (ns since midnight) of the message, or of the
			    datagram's first message; UINT64_MAX if it has none */
};

struct wb_input;

/* NULL with errno and wb_err_msg() on failure. */
struct wb_input *wb_input_open(const char *path);
void wb_input_close(struct wb_input *in);
enum wb_input_kind wb_input_kind(const struct wb_input *in);
/*
 * The protocol of the feed the input is for (enum wb_feed_protocol):
 * for PITCH, datagrams carry no ITCH time of day (tod_ns UINT64_MAX).
 */
void wb_input_set_protocol(struct wb_input *in, uint32_t protocol);
/*
 * The protocol of a file's datagrams, from its bytes: a PITCH unit file is
 * PITCH; a capture is PITCH when its first UDP payload is exactly one
 * Sequenced Unit (the unit's length field equals the payload's length),
 * MoldUDP64 otherwise; a BinaryFILE is ITCH. 0 or negative with wb_err.
 */
int wb_input_detect_protocol(const char *path, uint32_t *protocol);
/* Adds a "GROUP:PORT" filter (pcap only). 0 or -EINVAL with a message. */
int wb_input_add_channel(struct wb_input *in, const char *spec);
/* Next message or datagram: 1, 0 at the end, negative on a damaged file. */
int wb_input_next(struct wb_input *in, struct wb_input_rec *rec);
const struct wb_input_stats *wb_input_stats(const struct wb_input *in);
/* Bytes of the file consumed and its size (0 if unknown), for progress. */
void wb_input_progress(const struct wb_input *in, uint64_t *done, uint64_t *total);

/*
 * Drives the whole input through the feed, ending a burst every `burst`
 * records. Returns 0 at a clean end, or a negative code with wb_err_msg()
 * naming the file and offset when the file is damaged (everything before
 * that point has been applied).
 */
int wb_input_run(struct wb_input *in, struct wb_feed *f, unsigned int burst);

/*
 * A paced replay (wb_input_pace.c): --pace and --from for `wirebook replay`.
 * Records stamped before from_tod (ITCH time of day; 0: none) are applied
 * as fast as possible with no sink, so the books are whole at from_tod and
 * nothing is emitted before it; from there the sink is attached and records
 * are released on the schedule of their timestamps (capture time for a
 * pcap, ITCH time for a BinaryFILE) at `speed` (0: max).
 */
struct wb_input_pace_opts {
	unsigned int burst;
	double speed;
	uint64_t from_tod;
	const struct wb_feed_sink *sink; /* may be NULL */
	struct wb_pace *pace;		 /* release errors (initialised by the caller) */
	struct wb_progress *progress;	 /* may be NULL */
	uint64_t preroll;		 /* out: records applied before from_tod */
};
int wb_input_run_paced(struct wb_input *in, struct wb_feed *f, struct wb_input_pace_opts *o);

#endif /* WB_INPUT_H */
