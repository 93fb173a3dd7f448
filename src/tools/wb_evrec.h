/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Recorded event streams (`wirebook record`, `wirebook diff`): the SDK's
 * events as a strategy received them, in a file. Format version 1, all
 * integers little-endian (docs/backtesting.md):
 *
 *   header, 256 bytes:
 *     0   8  magic "WBEVREC\0"
 *     8   4  format version (1)
 *    12   4  header size (256)
 *    16   4  event size (64)
 *    20   4  event ABI version (the shared-memory ABI the events came from)
 *    24   8  events in the file (written at the end; 0 if it never ended)
 *    32   8  recording start, CLOCK_REALTIME ns
 *    40   8  the daemon's epoch (its start, CLOCK_REALTIME ns)
 *    48   4  the daemon's pid
 *    52   4  flags: 1 complete (the daemon stopped and every event was
 *            read), 2 lapped (the recorder fell behind: events are missing)
 *    56   8  ring positions lost to laps
 *    64  64  source: the daemon instance name, NUL padded
 *   128 128  reserved, zero
 *   then one 64-byte struct wb_event per event (include/wirebook/event.h),
 *   a lap as the synthetic WB_CLIENT_EV_LAPPED event the SDK delivers.
 */
#ifndef WB_EVREC_H
#define WB_EVREC_H

#include <stdint.h>
#include <stdio.h>

#include <wirebook/event.h>

#define WB_EVREC_MAGIC "WBEVREC"
#define WB_EVREC_VERSION 1u
#define WB_EVREC_HDR_SIZE 256u
#define WB_EVREC_COMPLETE 1u
#define WB_EVREC_LAPPED 2u

struct wb_evrec_hdr {
	uint32_t version, hdr_size, event_size, abi_version;
	uint64_t events, start_ns, epoch_ns;
	uint32_t pid, flags;
	uint64_t lapped;
	char source[65];
};

/* Encodes/decodes the 256-byte header. decode: 0 or -1 with a message in err. */
void wb_evrec_hdr_encode(const struct wb_evrec_hdr *h, uint8_t out[WB_EVREC_HDR_SIZE]);
int wb_evrec_hdr_decode(const uint8_t in[WB_EVREC_HDR_SIZE], struct wb_evrec_hdr *h, char *err,
			size_t errlen);

#endif /* WB_EVREC_H */
