/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Capture files: pcap (micro- and nanosecond magic, either byte order) and
 * pcapng (sections of either byte order, per-interface link type and
 * if_tsresol/if_tsoffset, enhanced, simple and obsolete packet blocks; other
 * blocks are skipped), plain or gzip'ed. Plain files are mmap'ed and packets
 * are pointers into the mapping; gzip files are inflated in chunks, never
 * loaded whole (see wb_fstream.h). Also a pcap writer for the generator.
 */
#ifndef WB_PCAP_H
#define WB_PCAP_H

#include <stddef.h>
#include <stdint.h>

#include "wb_proto.h"

#define WB_LINKTYPE_ETHERNET 1
#define WB_LINKTYPE_RAW 101
#define WB_LINKTYPE_LINUX_SLL 113
#define WB_LINKTYPE_IPV4 228
#define WB_LINKTYPE_LINUX_SLL2 276

/* Largest captured length accepted in a packet record. */
#define WB_PCAP_MAX_CAPLEN (1u << 20)

struct wb_pcap_pkt {
	const uint8_t *data; /* valid until the next wb_pcap_next() */
	uint32_t caplen, origlen;
	uint64_t ts_ns; /* since the epoch; 0 for pcapng simple packet blocks */
	uint32_t linktype;
};

struct wb_pcap;

/*
 * Opens a pcap or pcapng file, plain or gzip'ed. NULL with errno (EINVAL if
 * the file is neither) and wb_err set on failure.
 */
struct wb_pcap *wb_pcap_open(const char *path);

/*
 * Returns 1 and the next packet, 0 at a clean end of file, or a negative
 * code (sticky, wb_err set): WB_PROTO_TRUNCATED if the file ends inside a
 * record or block, WB_PROTO_MALFORMED for an impossible length, a bad
 * block or an unknown interface, -EIO on a read error.
 */
int wb_pcap_next(struct wb_pcap *p, struct wb_pcap_pkt *pkt);

/* Number of packets returned so far. */
uint64_t wb_pcap_count(const struct wb_pcap *p);

/* Bytes of the file consumed so far and its size (0 if unknown). */
void wb_pcap_progress(const struct wb_pcap *p, uint64_t *done, uint64_t *total);

void wb_pcap_close(struct wb_pcap *p);

struct wb_pcap_writer;

/*
 * Creates a classic pcap (LINKTYPE_ETHERNET, little-endian, nanosecond magic
 * if nsec, else microsecond); gzip-compressed if path ends in ".gz".
 * NULL with errno and wb_err set on failure.
 */
struct wb_pcap_writer *wb_pcap_writer_open(const char *path, int nsec);

/* Appends one frame. Returns 0 or -errno (wb_err set). */
int wb_pcap_write(struct wb_pcap_writer *w, uint64_t ts_ns, const uint8_t *frame, uint32_t len);

/* Flushes and closes. Returns 0 or -errno (wb_err set); w is freed either way. */
int wb_pcap_writer_close(struct wb_pcap_writer *w);

struct wb_pcapng_writer;

/*
 * Creates a pcapng file with one interface: linktype, snaplen, name (may be
 * NULL), nanosecond timestamps. NULL with errno and wb_err set on failure.
 */
struct wb_pcapng_writer *wb_pcapng_writer_open(const char *path, uint32_t linktype,
					       uint32_t snaplen, const char *ifname);
/* Appends one packet (ts: ns since the epoch). 0 or -errno (wb_err set). */
int wb_pcapng_write(struct wb_pcapng_writer *w, uint64_t ts_ns, const uint8_t *frame,
		    uint32_t caplen, uint32_t origlen);
/* Bytes written so far (rotation by size). */
uint64_t wb_pcapng_writer_bytes(const struct wb_pcapng_writer *w);
/* Flushes and closes; w is freed either way. 0 or -errno. */
int wb_pcapng_writer_close(struct wb_pcapng_writer *w);

#endif /* WB_PCAP_H */
