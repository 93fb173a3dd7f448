/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_frames.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wb_binfile.h"
#include "wb_err.h"
#include "wb_moldpack.h"
#include "wb_net.h"
#include "wb_pcap.h"

#define WB_FRAMES_MAX_MSG 256 /* longer records are no ITCH message: skipped */

struct wb_frames {
	enum wb_input_kind kind;
	struct wb_frames_params p;
	struct wb_pcap *pcap;
	struct wb_binfile *bin;
	uint32_t linktype;
	int have_first; /* pcap: the first packet was read by open */
	struct wb_pcap_pkt first;
	uint64_t skipped;
	/* BinaryFILE */
	struct wb_moldpack mp;
	struct wb_net_udp_params np;
	int pending; /* a message read but not packed yet */
	int eof;
	uint16_t msglen;
	uint8_t msg[WB_FRAMES_MAX_MSG];
	uint8_t frame[WB_MOLDPACK_MAX_PAYLOAD + 64];
};

void
wb_frames_params_default(struct wb_frames_params *p)
{
	memset(p, 0, sizeof(*p));
	p->group = 0xEF4D0001u; /* 239.77.0.1 */
	p->udp_port = 26400;
	p->payload = 1400;
}

struct wb_frames *
wb_frames_open(const char *path, const struct wb_frames_params *p)
{
	struct wb_frames *f = calloc(1, sizeof(*f));
	int rc;

	if (f == NULL) {
		wb_err_set(ENOMEM, "out of memory");
		return NULL;
	}
	f->p = *p;
	f->pcap = wb_pcap_open(path);
	if (f->pcap != NULL) {
		f->kind = WB_INPUT_PCAP;
		rc = wb_pcap_next(f->pcap, &f->first);
		if (rc < 0)
			goto fail;
		if (rc == 0) {
			wb_err_set(EINVAL, "%s: no packets", path);
			goto fail;
		}
		f->have_first = 1;
		f->linktype = f->first.linktype;
		return f;
	}
	if (errno != EINVAL)
		goto fail;
	f->kind = WB_INPUT_ITCH;
	f->bin = wb_binfile_open(path);
	if (f->bin == NULL)
		goto fail;
	f->linktype = WB_LINKTYPE_ETHERNET;
	wb_moldpack_init(&f->mp, "WIREBOOK01", p->payload, 1);
	f->np.vlan = WB_NET_VLAN_NONE;
	f->np.ttl = 1;
	f->np.src_ip = 0x0A4D0001u; /* 10.77.0.1: never sent anywhere */
	f->np.dst_ip = p->group;
	f->np.src_port = p->udp_port;
	f->np.dst_port = p->udp_port;
	return f;
fail:
	wb_frames_close(f);
	return NULL;
}

void
wb_frames_close(struct wb_frames *f)
{
	if (f == NULL)
		return;
	wb_pcap_close(f->pcap);
	if (f->bin != NULL)
		wb_binfile_close(f->bin);
	free(f);
}

uint32_t
wb_frames_linktype(const struct wb_frames *f)
{
	return f->linktype;
}

enum wb_input_kind
wb_frames_kind(const struct wb_frames *f)
{
	return f->kind;
}

uint64_t
wb_frames_skipped(const struct wb_frames *f)
{
	return f->skipped;
}

void
wb_frames_progress(const struct wb_frames *f, uint64_t *done, uint64_t *total)
{
	if (f->kind == WB_INPUT_PCAP)
		wb_pcap_progress(f->pcap, done, total);
	else
		wb_binfile_progress(f->bin, done, total);
}

static int
wb_frames_next_pcap(struct wb_frames *f, struct wb_frame *fr)
{
	struct wb_pcap_pkt pkt;
	struct wb_udp_view v;
	struct wb_mold_pkt mp;
	int rc;

	for (;;) {
		if (f->have_first) {
			pkt = f->first;
			f->have_first = 0;
		} else {
			rc = wb_pcap_next(f->pcap, &pkt);
			if (rc <= 0)
				return rc;
		}
		if (pkt.linktype != f->linktype) {
			f->skipped++;
			continue;
		}
		break;
	}
	fr->data = pkt.data;
	fr->len = pkt.caplen;
	fr->ts_ns = pkt.ts_ns;
	fr->tod_ns = UINT64_MAX;
	fr->msgs = 0;
	if (wb_net_udp(pkt.data, pkt.caplen, pkt.linktype, &v) >= 0 &&
	    wb_mold_parse(v.payload, v.len, &mp) >= 0) {
		fr->msgs = mp.nmsgs;
		fr->tod_ns = wb_mold_first_ts(v.payload, v.len);
	}
	return 1;
}

/* Whether the pending message must start a new packet (span, split). */
static int
wb_frames_cut(const struct wb_frames *f, uint64_t ts)
{
	uint64_t first = f->mp.first_ts;

	if (wb_moldpack_count(&f->mp) == 0 || ts == UINT64_MAX || first == UINT64_MAX)
		return 0;
	if (f->p.span_ns != 0 && ts > first + f->p.span_ns)
		return 1;
	return f->p.split_tod != 0 && first < f->p.split_tod && ts >= f->p.split_tod;
}

static int
wb_frames_next_bin(struct wb_frames *f, struct wb_frame *fr)
{
	const uint8_t *m, *out;
	uint16_t l, count;
	size_t plen, flen;
	int rc;

	for (;;) {
		if (!f->pending) {
			if (f->eof)
				break;
			rc = wb_binfile_next(f->bin, &m, &l);
			if (rc < 0)
				return rc;
			if (rc == 0) {
				f->eof = 1;
				break;
			}
			if (l > sizeof(f->msg)) {
				f->skipped++;
				continue;
			}
			memcpy(f->msg, m, l);
			f->msglen = l;
			f->pending = 1;
		}
		if (wb_frames_cut(f, wb_itch_msg_ts(f->msg, f->msglen)))
			break;
		rc = wb_moldpack_add(&f->mp, f->msg, f->msglen);
		if (rc == 0)
			break; /* full: the message starts the next packet */
		f->pending = 0;
		if (rc < 0)
			f->skipped++;
	}
	count = wb_moldpack_count(&f->mp);
	if (count == 0)
		return 0;
	fr->msgs = count;
	fr->tod_ns = f->mp.first_ts;
	fr->ts_ns = f->mp.last_ts != UINT64_MAX ? f->mp.last_ts : f->mp.first_ts;
	plen = wb_moldpack_flush(&f->mp, &out);
	flen = wb_net_build_udp(f->frame, sizeof(f->frame), &f->np, out, (uint16_t)plen);
	if (flen == 0)
		return wb_err_set(EINVAL, "a %zu-byte MoldUDP64 packet does not fit a frame", plen);
	fr->data = f->frame;
	fr->len = (uint32_t)flen;
	return 1;
}

int
wb_frames_next(struct wb_frames *f, struct wb_frame *fr)
{
	return f->kind == WB_INPUT_PCAP ? wb_frames_next_pcap(f, fr) : wb_frames_next_bin(f, fr);
}
