/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_input.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "wb_binfile.h"
#include "wb_err.h"
#include "wb_feed_pitch.h"
#include "wb_fstream.h"
#include "wb_moldpack.h"
#include "wb_net.h"
#include "wb_pcap.h"

#define WB_INPUT_MAX_CHANNELS 64

struct wb_input {
	enum wb_input_kind kind;
	char *path;
	struct wb_binfile *bin;
	struct wb_pcap *pcap;
	struct wb_fstream units; /* WB_INPUT_PITCH */
	uint32_t protocol;	 /* enum wb_feed_protocol */
	unsigned int nchan;
	uint32_t chan_group[WB_INPUT_MAX_CHANNELS];
	uint16_t chan_port[WB_INPUT_MAX_CHANNELS];
	struct wb_input_stats stats;
};

/* Reads the first 4 bytes, through gzip if the file is compressed. */
static int
wb_input_magic(const char *path, uint8_t magic[4])
{
	gzFile gz = gzopen(path, "rb");
	int n;

	if (gz == NULL)
		return wb_err_set(errno ? errno : EIO, "%s: cannot open: %s", path,
				  strerror(errno ? errno : EIO));
	n = gzread(gz, magic, 4);
	gzclose(gz);
	if (n < 0)
		return wb_err_set(EIO, "%s: read error", path);
	if (n < 4)
		memset(magic + (n > 0 ? n : 0), 0, (size_t)(4 - (n > 0 ? n : 0)));
	return n;
}

static int
wb_input_is_pcap(const uint8_t m[4])
{
	static const uint32_t magics[] = { 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1,
					   0x0a0d0d0a };
	uint32_t v = ((uint32_t)m[0] << 24) | ((uint32_t)m[1] << 16) | ((uint32_t)m[2] << 8) | m[3];
	size_t i;

	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (v == magics[i])
			return 1;
	return 0;
}

struct wb_input *
wb_input_open(const char *path)
{
	struct wb_input *in;
	uint8_t magic[4];
	int rc;

	rc = wb_input_magic(path, magic);
	if (rc < 0) {
		errno = -rc;
		return NULL;
	}
	in = calloc(1, sizeof(*in));
	if (in == NULL || (in->path = strdup(path)) == NULL) {
		free(in);
		errno = ENOMEM;
		wb_err_set(ENOMEM, "out of memory");
		return NULL;
	}
	if (rc >= 4 && wb_input_is_pcap(magic)) {
		in->kind = WB_INPUT_PCAP;
		in->pcap = wb_pcap_open(path);
		if (in->pcap == NULL)
			goto fail;
	} else if (rc >= 4 && magic[0] != 0 && wb_pitch_le16(magic) >= WB_PITCH_HDR_LEN) {
		/* a BinaryFILE starts with a big-endian length under 256: 0 first */
		in->kind = WB_INPUT_PITCH;
		in->protocol = WB_FEED_PITCH;
		rc = wb_fstream_open(&in->units, path);
		if (rc < 0) {
			errno = -rc;
			goto fail;
		}
	} else {
		in->kind = WB_INPUT_ITCH;
		in->bin = wb_binfile_open(path);
		if (in->bin == NULL)
			goto fail;
	}
	return in;
fail:
	rc = errno;
	free(in->path);
	free(in);
	errno = rc;
	return NULL;
}

void
wb_input_close(struct wb_input *in)
{
	if (in == NULL)
		return;
	if (in->bin != NULL)
		wb_binfile_close(in->bin);
	if (in->pcap != NULL)
		wb_pcap_close(in->pcap);
	if (in->kind == WB_INPUT_PITCH)
		wb_fstream_close(&in->units);
	free(in->path);
	free(in);
}

enum wb_input_kind
wb_input_kind(const struct wb_input *in)
{
	return in->kind;
}

const struct wb_input_stats *
wb_input_stats(const struct wb_input *in)
{
	return &in->stats;
}

void
wb_input_progress(const struct wb_input *in, uint64_t *done, uint64_t *total)
{
	if (in->kind == WB_INPUT_ITCH)
		wb_binfile_progress(in->bin, done, total);
	else if (in->kind == WB_INPUT_PITCH)
		wb_fstream_progress(&in->units, done, total);
	else
		wb_pcap_progress(in->pcap, done, total);
}

int
wb_input_add_channel(struct wb_input *in, const char *spec)
{
	uint32_t group;
	uint16_t port;
	int rc;

	if (in->nchan == WB_INPUT_MAX_CHANNELS)
		return wb_err_set(EINVAL, "channel '%s': at most %d channels", spec,
				  WB_INPUT_MAX_CHANNELS);
	rc = wb_net_parse_channel(spec, &group, &port);
	if (rc < 0)
		return rc;
	in->chan_group[in->nchan] = group;
	in->chan_port[in->nchan] = port;
	in->nchan++;
	return 0;
}

static int
wb_input_match(const struct wb_input *in, const struct wb_udp_view *v)
{
	unsigned int i;

	if (in->nchan == 0)
		return 1;
	for (i = 0; i < in->nchan; i++)
		if (in->chan_group[i] == v->dst_ip && in->chan_port[i] == v->dst_port)
			return 1;
	return 0;
}

/* One Sequenced Unit of a unit file: its own length field says how long. */
static int
wb_input_next_unit(struct wb_input *in, struct wb_input_rec *rec)
{
	const uint8_t *p;
	ssize_t got = wb_fstream_peek(&in->units, 2, &p);
	uint16_t len;

	if (got == 0)
		return 0;
	if (got < 0 || got < 2)
		goto bad;
	len = wb_pitch_le16(p);
	if (len < WB_PITCH_HDR_LEN)
		goto bad;
	got = wb_fstream_peek(&in->units, len, &p);
	if (got < (ssize_t)len)
		goto bad;
	wb_fstream_skip(&in->units, len);
	in->stats.records++;
	in->stats.datagrams++;
	rec->data = p;
	rec->len = len;
	rec->ts_ns = 0;
	rec->tod_ns = UINT64_MAX;
	return 1;
bad:
	wb_err_set(EIO, "%s: truncated or malformed unit at offset %llu", in->path,
		   (unsigned long long)wb_fstream_offset(&in->units));
	return WB_PROTO_TRUNCATED;
}

void
wb_input_set_protocol(struct wb_input *in, uint32_t protocol)
{
	in->protocol = protocol;
}

int
wb_input_detect_protocol(const char *path, uint32_t *protocol)
{
	struct wb_input *in = wb_input_open(path);
	struct wb_input_rec rec;
	int rc = 0;

	if (in == NULL)
		return -errno;
	*protocol = WB_FEED_MOLD_ITCH50;
	if (in->kind == WB_INPUT_PITCH)
		*protocol = WB_FEED_PITCH;
	else if (in->kind == WB_INPUT_PCAP) {
		in->protocol = WB_FEED_PITCH; /* no ITCH time of day to read */
		rc = wb_input_next(in, &rec);
		if (rc == 1 && wb_feed_pitch_detect(rec.data, rec.len))
			*protocol = WB_FEED_PITCH;
		rc = rc < 0 ? rc : 0;
	}
	wb_input_close(in);
	return rc;
}

int
wb_input_next(struct wb_input *in, struct wb_input_rec *rec)
{
	struct wb_pcap_pkt pkt;
	struct wb_udp_view v;
	uint16_t mlen;
	int rc;

	if (in->kind == WB_INPUT_ITCH) {
		rc = wb_binfile_next(in->bin, &rec->data, &mlen);
		if (rc == 1) {
			in->stats.records++;
			rec->len = mlen;
			rec->ts_ns = 0;
			rec->tod_ns = wb_itch_msg_ts(rec->data, mlen);
		} else if (rc < 0) {
			wb_err_set(EIO, "%s: %s record at offset %llu", in->path,
				   wb_proto_rc_name(rc),
				   (unsigned long long)wb_binfile_offset(in->bin));
		}
		return rc;
	}
	if (in->kind == WB_INPUT_PITCH)
		return wb_input_next_unit(in, rec);
	for (;;) {
		rc = wb_pcap_next(in->pcap, &pkt);
		if (rc <= 0) {
			if (rc < 0)
				wb_err_set(EIO, "%s: %s capture after %llu frames", in->path,
					   wb_proto_rc_name(rc),
					   (unsigned long long)in->stats.records);
			return rc;
		}
		in->stats.records++;
		rc = wb_net_udp(pkt.data, pkt.caplen, pkt.linktype, &v);
		if (rc < 0) {
			if (rc == WB_NET_FRAGMENT)
				in->stats.fragments++;
			else if (rc == WB_NET_NOT_IPV4 || rc == WB_NET_NOT_UDP)
				in->stats.not_udp++;
			else
				in->stats.bad_frames++;
			continue;
		}
		if (!wb_input_match(in, &v)) {
			in->stats.filtered++;
			continue;
		}
		in->stats.datagrams++;
		rec->data = v.payload;
		rec->len = v.len;
		rec->ts_ns = pkt.ts_ns;
		rec->tod_ns = in->protocol == WB_FEED_PITCH ? UINT64_MAX
							    : wb_mold_first_ts(v.payload, v.len);
		return 1;
	}
}

int
wb_input_run(struct wb_input *in, struct wb_feed *f, unsigned int burst)
{
	/* BinaryFILE records are batched for the feed; a gzip'd file's record
	 * is only valid until the next read, so the batch holds copies. */
	uint8_t copy[WB_FEED_BATCH][256];
	const uint8_t *ptrs[WB_FEED_BATCH];
	uint16_t lens[WB_FEED_BATCH];
	struct wb_input_rec rec;
	unsigned int n = 0, nb = 0;
	uint64_t seq = 1, last_ts = 0;
	int rc;

	if (burst == 0)
		burst = 1;
	while ((rc = wb_input_next(in, &rec)) == 1) {
		if (in->kind == WB_INPUT_ITCH) {
			size_t l = rec.len < sizeof(copy[0]) ? rec.len : sizeof(copy[0]);

			/* a record longer than any ITCH message is malformed
			 * whether or not it is cut to the copy's size */
			memcpy(copy[nb], rec.data, l);
			ptrs[nb] = copy[nb];
			lens[nb] = (uint16_t)l;
			if (++nb < WB_FEED_BATCH)
				continue;
			wb_feed_messages(f, ptrs, lens, nb, seq, rec.ts_ns);
			seq += nb;
			nb = 0;
		} else { /* a MoldUDP64 or PITCH datagram */
			wb_feed_datagram(f, 0, rec.data, rec.len, rec.ts_ns);
			last_ts = rec.ts_ns;
		}
		if (++n >= burst) {
			wb_feed_burst_end(f);
			n = 0;
		}
	}
	if (nb != 0)
		wb_feed_messages(f, ptrs, lens, nb, seq, 0);
	wb_feed_burst_end(f);
	/* the end of the input: what is still held waits for nothing more */
	wb_feed_expire(f, last_ts);
	return rc;
}
