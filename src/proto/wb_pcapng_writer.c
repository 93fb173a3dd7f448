/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pcapng writer for the daemon's capture: one section, one interface
 * (link type and name given), if_tsresol 9 (nanosecond timestamps), enhanced
 * packet blocks. Host byte order, which the section's byte-order magic
 * declares. Buffered stdio; the caller rotates by closing and opening.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wb_err.h"
#include "wb_pcap.h"

struct wb_pcapng_writer {
	FILE *f;
	char *path;
	uint64_t bytes;
	char *buf;
};

static int
wb_pcapng_put(struct wb_pcapng_writer *w, const void *p, size_t n)
{
	if (n != 0 && fwrite(p, n, 1, w->f) != 1)
		return wb_err_set(errno ? errno : EIO, "%s: write: %s", w->path,
				  strerror(errno ? errno : EIO));
	w->bytes += n;
	return 0;
}

struct wb_pcapng_writer *
wb_pcapng_writer_open(const char *path, uint32_t linktype, uint32_t snaplen, const char *ifname)
{
	struct wb_pcapng_writer *w = calloc(1, sizeof(*w));
	uint32_t shb[7], idb[64];
	size_t nl = ifname != NULL ? strlen(ifname) : 0, o;
	int rc;

	if (w == NULL || (w->path = strdup(path)) == NULL ||
	    (w->buf = malloc(1u << 20)) == NULL) {
		if (w != NULL) {
			free(w->path);
			free(w);
		}
		wb_err_set(ENOMEM, "%s: out of memory", path);
		errno = ENOMEM;
		return NULL;
	}
	if (nl > 128)
		nl = 128;
	w->f = fopen(path, "wb");
	if (w->f == NULL) {
		rc = errno;
		wb_err_set(rc, "%s: cannot create: %s", path, strerror(rc));
		goto fail;
	}
	setvbuf(w->f, w->buf, _IOFBF, 1u << 20);
	shb[0] = 0x0A0D0D0Au;
	shb[1] = 28;
	shb[2] = 0x1A2B3C4Du;
	shb[3] = 1; /* major 1, minor 0 */
	shb[4] = 0xFFFFFFFFu; /* section length unknown */
	shb[5] = 0xFFFFFFFFu;
	shb[6] = 28;
	memset(idb, 0, sizeof(idb));
	idb[0] = 1;
	idb[2] = linktype & 0xFFFFu;
	idb[3] = snaplen;
	o = 4;
	idb[o++] = 9u | (1u << 16); /* if_tsresol, 1 byte: 10^-9 */
	idb[o++] = 9;
	if (nl != 0) {
		idb[o++] = 2u | ((uint32_t)nl << 16); /* if_name */
		memcpy(&idb[o], ifname, nl);
		o += (nl + 3) / 4;
	}
	idb[o++] = 0; /* opt_endofopt */
	o++;	      /* trailing total length */
	idb[1] = (uint32_t)(o * 4);
	idb[o - 1] = idb[1];
	if (wb_pcapng_put(w, shb, sizeof(shb)) < 0 || wb_pcapng_put(w, idb, o * 4) < 0) {
		rc = EIO;
		fclose(w->f);
		goto fail;
	}
	return w;
fail:
	free(w->buf);
	free(w->path);
	free(w);
	errno = rc;
	return NULL;
}

int
wb_pcapng_write(struct wb_pcapng_writer *w, uint64_t ts_ns, const uint8_t *frame, uint32_t caplen,
		uint32_t origlen)
{
	static const uint8_t pad[4];
	uint32_t h[7], plen = (caplen + 3u) & ~3u, total = 32u + plen;
	int rc;

	h[0] = 6;
	h[1] = total;
	h[2] = 0; /* interface */
	h[3] = (uint32_t)(ts_ns >> 32);
	h[4] = (uint32_t)ts_ns;
	h[5] = caplen;
	h[6] = origlen;
	rc = wb_pcapng_put(w, h, sizeof(h));
	if (rc == 0)
		rc = wb_pcapng_put(w, frame, caplen);
	if (rc == 0)
		rc = wb_pcapng_put(w, pad, plen - caplen);
	if (rc == 0)
		rc = wb_pcapng_put(w, &total, 4);
	return rc;
}

uint64_t
wb_pcapng_writer_bytes(const struct wb_pcapng_writer *w)
{
	return w->bytes;
}

int
wb_pcapng_writer_close(struct wb_pcapng_writer *w)
{
	int rc = 0;

	if (w == NULL)
		return 0;
	if (fclose(w->f) != 0)
		rc = wb_err_set(errno ? errno : EIO, "%s: close: %s", w->path,
				strerror(errno ? errno : EIO));
	free(w->buf);
	free(w->path);
	free(w);
	return rc;
}
