/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pcap writer for the generator and the tests: classic little-endian pcap,
 * LINKTYPE_ETHERNET. zlib's gzFile does the buffering; "wbT" makes it write
 * plain bytes, so one code path serves both plain and .gz output.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "wb_err.h"
#include "wb_pcap.h"

#define WB_PCAP_WRITER_SNAPLEN 262144u

struct wb_pcap_writer {
	gzFile gz;
	int nsec;
	char *path;
};

static void
put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static int
wb_pcap_writer_put(struct wb_pcap_writer *w, const void *buf, size_t len)
{
	int zerr;

	if (len == 0)
		return 0;
	if (gzwrite(w->gz, buf, (unsigned int)len) != (int)len) {
		const char *msg = gzerror(w->gz, &zerr);

		if (zerr == Z_ERRNO)
			return wb_err_set(errno ? errno : EIO, "%s: write: %s", w->path,
					  strerror(errno ? errno : EIO));
		return wb_err_set(EIO, "%s: write: %s", w->path, msg);
	}
	return 0;
}

struct wb_pcap_writer *
wb_pcap_writer_open(const char *path, int nsec)
{
	struct wb_pcap_writer *w = calloc(1, sizeof(*w));
	size_t n = strlen(path);
	uint8_t hdr[24];
	int rc;

	if (w == NULL || (w->path = strdup(path)) == NULL) {
		free(w);
		wb_err_set(ENOMEM, "%s: out of memory", path);
		errno = ENOMEM;
		return NULL;
	}
	w->nsec = nsec != 0;
	errno = 0;
	w->gz = gzopen(path, n > 3 && strcmp(path + n - 3, ".gz") == 0 ? "wb6" : "wbT");
	if (w->gz == NULL) {
		rc = errno ? errno : ENOMEM;
		wb_err_set(rc, "%s: cannot create: %s", path, strerror(rc));
		goto fail;
	}
	put_le32(hdr, w->nsec ? 0xa1b23c4du : 0xa1b2c3d4u);
	hdr[4] = 2; /* version 2.4 */
	hdr[5] = 0;
	hdr[6] = 4;
	hdr[7] = 0;
	put_le32(hdr + 8, 0);  /* thiszone */
	put_le32(hdr + 12, 0); /* sigfigs */
	put_le32(hdr + 16, WB_PCAP_WRITER_SNAPLEN);
	put_le32(hdr + 20, WB_LINKTYPE_ETHERNET);
	rc = wb_pcap_writer_put(w, hdr, sizeof(hdr));
	if (rc < 0) {
		gzclose(w->gz);
		rc = -rc;
		goto fail;
	}
	return w;
fail:
	free(w->path);
	free(w);
	errno = rc;
	return NULL;
}

int
wb_pcap_write(struct wb_pcap_writer *w, uint64_t ts_ns, const uint8_t *frame, uint32_t len)
{
	uint8_t rec[16];
	uint64_t sec = ts_ns / 1000000000u, ns = ts_ns % 1000000000u;
	int rc;

	if (len > WB_PCAP_WRITER_SNAPLEN)
		return wb_err_set(EMSGSIZE, "%s: %u-byte frame exceeds the snap length", w->path,
				  len);
	put_le32(rec, (uint32_t)sec);
	put_le32(rec + 4, (uint32_t)(w->nsec ? ns : ns / 1000u));
	put_le32(rec + 8, len);
	put_le32(rec + 12, len);
	rc = wb_pcap_writer_put(w, rec, sizeof(rec));
	if (rc == 0)
		rc = wb_pcap_writer_put(w, frame, len);
	return rc;
}

int
wb_pcap_writer_close(struct wb_pcap_writer *w)
{
	int rc = 0, zrc;

	if (w == NULL)
		return 0;
	zrc = gzclose(w->gz);
	if (zrc != Z_OK)
		rc = wb_err_set(EIO, "%s: close failed (zlib %d)", w->path, zrc);
	free(w->path);
	free(w);
	return rc;
}
