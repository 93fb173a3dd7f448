/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pcap / pcapng reader.
 *
 * Every length in the file is untrusted: a record's captured length is
 * bounded (WB_PCAP_MAX_CAPLEN) before the reader asks for that many bytes, a
 * pcapng block's total length must be >= 12, a multiple of 4, repeated at the
 * block's end, and large enough for its fixed fields, and options are walked
 * only inside their block. pcapng byte order is per section (the SHB's
 * byte-order magic), link type and time resolution per interface (IDB), so
 * both are looked up for every packet.
 */
#include "wb_pcap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wb_compiler.h"
#include "wb_err.h"
#include "wb_fstream.h"

#define PCAPNG_SHB 0x0A0D0D0Au
#define PCAPNG_IDB 1u
#define PCAPNG_PB 2u /* obsolete Packet Block */
#define PCAPNG_SPB 3u
#define PCAPNG_EPB 6u
#define PCAPNG_BOM 0x1A2B3C4Du
#define PCAPNG_MAX_IFS 1024u
#define PCAPNG_MAX_BLOCK (WB_PCAP_MAX_CAPLEN + 4096u)

struct wb_pcap_if {
	uint32_t linktype;
	uint32_t snaplen;
	uint64_t units;	  /* timestamp units per second */
	int64_t tsoffset; /* seconds added to every timestamp */
};

struct wb_pcap {
	struct wb_fstream s;
	int ng;		   /* pcapng */
	int be;		   /* file (pcap) or current section (pcapng) is big-endian */
	int nsec;	   /* pcap: nanosecond timestamps */
	uint32_t linktype; /* pcap */
	struct wb_pcap_if *ifs;
	uint32_t nif, ifcap;
	uint64_t count;
	int err;
};

__extension__ typedef unsigned __int128 wb_u128;

static inline uint16_t
ld16(const uint8_t *p, int be)
{
	return be ? wb_be16(p) : (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
ld32(const uint8_t *p, int be)
{
	return be ? wb_be32(p)
		  : (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			(uint32_t)p[3] << 24;
}

static int
wb_pcap_fail(struct wb_pcap *p, int rc, const char *what)
{
	wb_err_set(EIO, "%s after %llu packets at offset %llu", what, (unsigned long long)p->count,
		   (unsigned long long)wb_fstream_offset(&p->s));
	return p->err = rc;
}

/* Makes n bytes contiguous; 1 if present, 0 at end of data (only if allow_end), else < 0. */
static int
wb_pcap_need(struct wb_pcap *p, size_t n, const uint8_t **d, int allow_end)
{
	ssize_t got = wb_fstream_peek(&p->s, n, d);

	if (got < 0)
		return p->err = (int)got;
	if ((size_t)got >= n)
		return 1;
	if (got == 0 && allow_end)
		return 0;
	return wb_pcap_fail(p, WB_PROTO_TRUNCATED, "file ends inside a record");
}

static int
wb_pcap_next_classic(struct wb_pcap *p, struct wb_pcap_pkt *pkt)
{
	const uint8_t *d;
	uint32_t incl, frac;
	int rc;

	rc = wb_pcap_need(p, 16, &d, 1);
	if (rc <= 0)
		return rc;
	incl = ld32(d + 8, p->be);
	if (incl > WB_PCAP_MAX_CAPLEN)
		return wb_pcap_fail(p, WB_PROTO_MALFORMED, "record length out of range");
	rc = wb_pcap_need(p, 16u + incl, &d, 0);
	if (rc <= 0)
		return rc;
	frac = ld32(d + 4, p->be);
	pkt->ts_ns = (uint64_t)ld32(d, p->be) * 1000000000u + (p->nsec ? frac : frac * 1000ull);
	pkt->caplen = incl;
	pkt->origlen = ld32(d + 12, p->be);
	pkt->data = d + 16;
	pkt->linktype = p->linktype;
	wb_fstream_skip(&p->s, 16u + incl);
	return 1;
}

static uint64_t
wb_pcap_ts(const struct wb_pcap_if *ifc, uint64_t ts)
{
	uint64_t sec = ts / ifc->units, rem = ts % ifc->units;

	return (sec + (uint64_t)ifc->tsoffset) * 1000000000u +
	       (uint64_t)((wb_u128)rem * 1000000000u / ifc->units);
}

/* Interface Description Block: body d[8, len - 4). */
static int
wb_pcap_idb(struct wb_pcap *p, const uint8_t *d, uint32_t len)
{
	struct wb_pcap_if ifc = {.units = 1000000};
	uint32_t off = 16;

	if (len < 20)
		return wb_pcap_fail(p, WB_PROTO_MALFORMED, "short interface block");
	ifc.linktype = ld16(d + 8, p->be);
	ifc.snaplen = ld32(d + 12, p->be);
	while (off + 4 <= len - 4) {
		uint16_t code = ld16(d + off, p->be), olen = ld16(d + off + 2, p->be);

		if (code == 0)
			break;
		if (olen > len - 4 - off - 4)
			return wb_pcap_fail(p, WB_PROTO_MALFORMED,
					    "interface option overruns block");
		if (code == 9 && olen >= 1) { /* if_tsresol */
			uint8_t v = d[off + 4];
			unsigned int e = v & 0x7f, i;

			if ((v & 0x80) ? e > 63 : e > 19)
				return wb_pcap_fail(p, WB_PROTO_MALFORMED,
						    "if_tsresol out of range");
			if (v & 0x80) {
				ifc.units = 1ull << e;
			} else {
				ifc.units = 1;
				for (i = 0; i < e; i++)
					ifc.units *= 10;
			}
		} else if (code == 14 && olen == 8) { /* if_tsoffset */
			/* A 64-bit integer in the section's byte order. */
			uint64_t w0 = ld32(d + off + 4, p->be), w1 = ld32(d + off + 8, p->be);

			ifc.tsoffset = (int64_t)(p->be ? w0 << 32 | w1 : w1 << 32 | w0);
		}
		off += 4u + ((olen + 3u) & ~3u);
	}
	if (p->nif == p->ifcap) {
		uint32_t ncap = p->ifcap ? p->ifcap * 2 : 4;
		struct wb_pcap_if *n;

		if (p->nif >= PCAPNG_MAX_IFS)
			return wb_pcap_fail(p, WB_PROTO_MALFORMED, "too many interfaces");
		n = realloc(p->ifs, ncap * sizeof(*n));
		if (n == NULL)
			return p->err = wb_err_set(ENOMEM, "out of memory");
		p->ifs = n;
		p->ifcap = ncap;
	}
	p->ifs[p->nif++] = ifc;
	return 0;
}

static int
wb_pcap_next_ng(struct wb_pcap *p, struct wb_pcap_pkt *pkt)
{
	const struct wb_pcap_if *ifc;
	const uint8_t *d;
	uint32_t type, len, ifid, cap;
	int rc;

	for (;;) {
		rc = wb_pcap_need(p, 12, &d, 1);
		if (rc <= 0)
			return rc;
		type = ld32(d, p->be);
		if (type == PCAPNG_SHB) {
			uint32_t bom = wb_be32(d + 8);

			if (bom != PCAPNG_BOM && bom != __builtin_bswap32(PCAPNG_BOM))
				return wb_pcap_fail(p, WB_PROTO_MALFORMED,
						    "bad section byte order");
			p->be = bom == PCAPNG_BOM;
		}
		len = ld32(d + 4, p->be);
		if (len < 12 || len % 4 != 0 || len > PCAPNG_MAX_BLOCK)
			return wb_pcap_fail(p, WB_PROTO_MALFORMED, "bad block length");
		rc = wb_pcap_need(p, len, &d, 0);
		if (rc <= 0)
			return rc;
		if (ld32(d + len - 4, p->be) != len)
			return wb_pcap_fail(p, WB_PROTO_MALFORMED, "block lengths differ");

		switch (type) {
		case PCAPNG_SHB:
			if (len < 28 || ld16(d + 12, p->be) != 1)
				return wb_pcap_fail(p, WB_PROTO_MALFORMED, "bad section header");
			p->nif = 0;
			break;
		case PCAPNG_IDB:
			rc = wb_pcap_idb(p, d, len);
			if (rc < 0)
				return rc;
			break;
		case PCAPNG_EPB:
		case PCAPNG_PB:
			if (len < 32)
				return wb_pcap_fail(p, WB_PROTO_MALFORMED, "short packet block");
			ifid = type == PCAPNG_EPB ? ld32(d + 8, p->be) : ld16(d + 8, p->be);
			cap = ld32(d + 20, p->be);
			if (ifid >= p->nif)
				return wb_pcap_fail(p, WB_PROTO_MALFORMED,
						    "packet on unknown interface");
			if (cap > len - 32)
				return wb_pcap_fail(p, WB_PROTO_MALFORMED, "packet overruns block");
			ifc = &p->ifs[ifid];
			pkt->ts_ns = wb_pcap_ts(ifc, (uint64_t)ld32(d + 12, p->be) << 32 |
							 ld32(d + 16, p->be));
			pkt->caplen = cap;
			pkt->origlen = ld32(d + 24, p->be);
			pkt->data = d + 28;
			pkt->linktype = ifc->linktype;
			wb_fstream_skip(&p->s, len);
			return 1;
		case PCAPNG_SPB:
			if (len < 16)
				return wb_pcap_fail(p, WB_PROTO_MALFORMED,
						    "short simple packet block");
			if (p->nif == 0)
				return wb_pcap_fail(p, WB_PROTO_MALFORMED,
						    "packet on unknown interface");
			ifc = &p->ifs[0];
			pkt->origlen = ld32(d + 8, p->be);
			cap = len - 16;
			if (pkt->origlen < cap)
				cap = pkt->origlen;
			if (ifc->snaplen != 0 && ifc->snaplen < cap)
				cap = ifc->snaplen;
			pkt->caplen = cap;
			pkt->ts_ns = 0;
			pkt->data = d + 12;
			pkt->linktype = ifc->linktype;
			wb_fstream_skip(&p->s, len);
			return 1;
		default:
			break; /* statistics, name resolution, custom...: not ours */
		}
		wb_fstream_skip(&p->s, len);
	}
}

int
wb_pcap_next(struct wb_pcap *p, struct wb_pcap_pkt *pkt)
{
	int rc;

	if (p->err != 0)
		return p->err;
	rc = p->ng ? wb_pcap_next_ng(p, pkt) : wb_pcap_next_classic(p, pkt);
	if (rc == 1)
		p->count++;
	return rc;
}

uint64_t
wb_pcap_count(const struct wb_pcap *p)
{
	return p->count;
}

void
wb_pcap_progress(const struct wb_pcap *p, uint64_t *done, uint64_t *total)
{
	wb_fstream_progress(&p->s, done, total);
}

struct wb_pcap *
wb_pcap_open(const char *path)
{
	struct wb_pcap *p = calloc(1, sizeof(*p));
	const uint8_t *d;
	int rc, err = EINVAL;
	uint32_t magic;
	ssize_t got;

	if (p == NULL) {
		errno = ENOMEM;
		wb_err_set(ENOMEM, "%s: out of memory", path);
		return NULL;
	}
	rc = wb_fstream_open(&p->s, path);
	if (rc < 0) {
		free(p);
		errno = -rc;
		return NULL;
	}
	got = wb_fstream_peek(&p->s, 24, &d);
	if (got < 0) {
		err = got == -EIO ? EIO : EINVAL;
		wb_err_append(err, "%s", path);
		goto fail;
	}
	magic = got >= 4 ? wb_be32(d) : 0;
	switch (magic) {
	case 0xa1b2c3d4:
	case 0xa1b23c4d:
	case 0xd4c3b2a1:
	case 0x4d3cb2a1:
		if (got < 24) {
			wb_err_set(EINVAL, "%s: pcap file header cut short", path);
			goto fail;
		}
		p->be = magic == 0xa1b2c3d4 || magic == 0xa1b23c4d;
		p->nsec = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
		p->linktype = ld32(d + 20, p->be) & 0xffff; /* upper bits: FCS info */
		wb_fstream_skip(&p->s, 24);
		break;
	case PCAPNG_SHB:
		p->ng = 1;
		break;
	default:
		wb_err_set(EINVAL, "%s: not a pcap or pcapng file", path);
		goto fail;
	}
	return p;
fail:
	wb_fstream_close(&p->s);
	free(p);
	errno = err;
	return NULL;
}

void
wb_pcap_close(struct wb_pcap *p)
{
	if (p == NULL)
		return;
	wb_fstream_close(&p->s);
	free(p->ifs);
	free(p);
}
