/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `wirebook gen`: writes a generated ITCH 5.0 stream as a Nasdaq BinaryFILE
 * (FILE.itch, or FILE.itch.gz compressed) or as a capture of MoldUDP64
 * packets over Ethernet/IPv4/UDP multicast (FILE.pcap), the project's own
 * test and benchmark input. With --protocol pitch, the same order flow as
 * Cboe PITCH Sequenced Units: back to back in a file, or one per UDP datagram
 * in a capture. The same options always give the same bytes.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "wb_cmd.h"
#include "wb_compiler.h"
#include "wb_err.h"
#include "wb_gen.h"
#include "wb_gen_pitch.h"
#include "wb_moldudp64.h"
#include "wb_net.h"
#include "wb_opt.h"
#include "wb_pcap.h"

/* Capture timestamps: 2026-01-02 00:00:00 UTC plus the ITCH time of day. */
#define GEN_DAY_NS (1767312000ull * 1000000000ull)
#define GEN_MAX_PAYLOAD 1472u

struct gen_opts {
	struct wb_gen_params gp;
	const char *out;
	unsigned int per_packet; /* 0: fill up to payload_max */
	unsigned int payload_max;
	uint32_t group;
	uint16_t port;
	int vlan;
	int pitch;	    /* --protocol pitch */
	unsigned int units; /* PITCH matching units */
};

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int
gen_itch(struct wb_gen *g, const struct gen_opts *o)
{
	uint8_t buf[2 + WB_ITCH_MAX_MSG_LEN];
	int gz = ends_with(o->out, ".gz");
	gzFile zf = NULL;
	FILE *f = NULL;
	unsigned int len;

	if (gz)
		zf = gzopen(o->out, "wb6");
	else
		f = fopen(o->out, "wb");
	if (zf == NULL && f == NULL)
		return wb_err_set(errno ? errno : EIO, "%s: %s", o->out, strerror(errno ? errno : EIO));
	while ((len = wb_gen_next(g, buf + 2)) != 0) {
		wb_put_be16(buf, (uint16_t)len);
		if (gz ? gzwrite(zf, buf, len + 2) != (int)(len + 2)
		       : fwrite(buf, 1, len + 2, f) != len + 2) {
			if (gz)
				gzclose(zf);
			else
				fclose(f);
			return wb_err_set(EIO, "%s: write error", o->out);
		}
	}
	if (gz ? gzclose(zf) != Z_OK : fclose(f) != 0)
		return wb_err_set(EIO, "%s: write error", o->out);
	return 0;
}

static int
gen_flush(struct wb_pcap_writer *w, const struct gen_opts *o, const struct wb_net_udp_params *np,
	  uint8_t *payload, size_t plen, uint64_t seq, uint16_t count, uint64_t ts)
{
	static const uint8_t session[WB_MOLD_SESSION_LEN] = { 'W', 'I', 'R', 'E', 'B',
							      'O', 'O', 'K', '0', '1' };
	uint8_t frame[2048];
	size_t flen;

	wb_mold_put_hdr(payload, session, seq, count);
	flen = wb_net_build_udp(frame, sizeof(frame), np, payload, (uint16_t)plen);
	if (flen == 0)
		return wb_err_set(EINVAL, "frame does not fit");
	if (wb_pcap_write(w, GEN_DAY_NS + ts, frame, (uint32_t)flen) < 0)
		return wb_err_set(EIO, "%s: write error", o->out);
	return 0;
}

static int
gen_pcap(struct wb_gen *g, const struct gen_opts *o)
{
	uint8_t payload[GEN_MAX_PAYLOAD + WB_ITCH_MAX_MSG_LEN + 2], msg[WB_ITCH_MAX_MSG_LEN];
	struct wb_net_udp_params np;
	struct wb_pcap_writer *w;
	size_t plen = WB_MOLD_HDR_LEN;
	uint64_t seq = 1, ts = 0;
	unsigned int len, count = 0;
	int rc = 0;

	memset(&np, 0, sizeof(np));
	np.src_ip = 0x0a4d0001; /* 10.77.0.1 */
	np.dst_ip = o->group;
	np.src_port = o->port;
	np.dst_port = o->port;
	np.vlan = o->vlan >= 0 ? (uint16_t)o->vlan : WB_NET_NO_VLAN;
	np.src_mac[0] = 0x02;
	np.src_mac[5] = 0x01;
	w = wb_pcap_writer_open(o->out, 1);
	if (w == NULL)
		return -errno;
	while ((len = wb_gen_next(g, msg)) != 0) {
		if (count != 0 && ((o->per_packet != 0 && count == o->per_packet) ||
				   plen + 2 + len > o->payload_max)) {
			rc = gen_flush(w, o, &np, payload, plen, seq, (uint16_t)count, ts);
			if (rc < 0)
				goto out;
			seq += count;
			count = 0;
			plen = WB_MOLD_HDR_LEN;
		}
		if (count == 0)
			ts = wb_be48(msg + 5);
		wb_put_be16(payload + plen, (uint16_t)len);
		memcpy(payload + plen + 2, msg, len);
		plen += 2 + len;
		count++;
	}
	if (count != 0) {
		rc = gen_flush(w, o, &np, payload, plen, seq, (uint16_t)count, ts);
		if (rc < 0)
			goto out;
		seq += count;
	}
	/* End of session: count 0xFFFF, sequence = next expected. */
	rc = gen_flush(w, o, &np, payload, WB_MOLD_HDR_LEN, seq, WB_MOLD_END_OF_SESSION, ts);
out:
	if (wb_pcap_writer_close(w) < 0 && rc == 0)
		rc = wb_err_set(EIO, "%s: write error", o->out);
	return rc;
}

/* PITCH: Sequenced Units back to back in a file, or one per datagram in a pcap. */
static int
gen_pitch(const struct gen_opts *o)
{
	uint8_t payload[GEN_MAX_PAYLOAD], frame[2048];
	struct wb_gen_pitch_params pp;
	struct wb_net_udp_params np;
	struct wb_pcap_writer *w = NULL;
	struct wb_gen_pitch *g;
	int pcap = ends_with(o->out, ".pcap"), rc = 0;
	gzFile zf = NULL;
	unsigned int len;
	uint64_t ts;

	wb_gen_pitch_params_default(&pp);
	pp.gen = o->gp;
	pp.units = o->units;
	pp.payload_max = o->payload_max;
	pp.per_packet = o->per_packet;
	g = wb_gen_pitch_create(&pp);
	if (g == NULL)
		return -errno;
	memset(&np, 0, sizeof(np));
	np.src_ip = 0x0a4d0001; /* 10.77.0.1 */
	np.dst_ip = o->group;
	np.src_port = o->port;
	np.dst_port = o->port;
	np.vlan = o->vlan >= 0 ? (uint16_t)o->vlan : WB_NET_NO_VLAN;
	np.src_mac[0] = 0x02;
	np.src_mac[5] = 0x01;
	if (pcap)
		w = wb_pcap_writer_open(o->out, 1);
	else
		zf = gzopen(o->out, ends_with(o->out, ".gz") ? "wb6" : "wbT");
	if (w == NULL && zf == NULL) {
		rc = pcap ? -errno : wb_err_set(EIO, "%s: cannot create", o->out);
		goto out;
	}
	while (rc == 0 && (len = wb_gen_pitch_next_unit(g, payload, &ts)) != 0) {
		if (pcap) {
			size_t flen = wb_net_build_udp(frame, sizeof(frame), &np, payload, (uint16_t)len);

			if (flen == 0)
				rc = wb_err_set(EINVAL, "frame does not fit");
			else if (wb_pcap_write(w, GEN_DAY_NS + ts, frame, (uint32_t)flen) < 0)
				rc = wb_err_set(EIO, "%s: write error", o->out);
		} else if (gzwrite(zf, payload, len) != (int)len) {
			rc = wb_err_set(EIO, "%s: write error", o->out);
		}
	}
	if (w != NULL && wb_pcap_writer_close(w) < 0 && rc == 0)
		rc = wb_err_set(EIO, "%s: write error", o->out);
	if (zf != NULL && gzclose(zf) != Z_OK && rc == 0)
		rc = wb_err_set(EIO, "%s: write error", o->out);
out:
	wb_gen_pitch_destroy(g);
	return rc;
}

static void
gen_usage(FILE *out)
{
	fprintf(out,
		"usage: wirebook gen [OPTIONS] -o FILE\n"
		"FILE ending in .pcap: MoldUDP64 packets over Ethernet/IPv4/UDP multicast;\n"
		"otherwise Nasdaq BinaryFILE ([u16 len][msg]...), gzip'd when it ends in .gz\n"
		"  --protocol P      itch (default) or pitch: Cboe PITCH Sequenced Units, one per\n"
		"                    datagram in a .pcap, else back to back in the file\n"
		"  --units N         PITCH matching units the instruments are spread over (default 4)\n"
		"  --seed N          random seed (default 1)\n"
		"  --messages N      messages, directory included (default 1000000)\n"
		"  --instruments N   instruments (default 1000)\n"
		"  --gap-ns N        ITCH timestamps advance 1..N ns apart (default 2000)\n"
		"  --orders N        live orders the flow hovers around (default 200000)\n"
		"  --per-packet N    messages per MoldUDP64 packet (default: fill the payload)\n"
		"  --payload N       largest UDP payload in bytes (default 1400, at most 1472)\n"
		"  --channel G:P     destination group and port (default 239.77.0.1:26400)\n"
		"  --vlan ID         add an 802.1Q tag\n");
}

int
wb_cmd_gen(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "messages", required_argument, NULL, 'm' },
		{ "instruments", required_argument, NULL, 'i' },
		{ "gap-ns", required_argument, NULL, 'G' },
		{ "orders", required_argument, NULL, 'r' },
		{ "per-packet", required_argument, NULL, 'k' },
		{ "payload", required_argument, NULL, 'p' },
		{ "channel", required_argument, NULL, 'c' },
		{ "vlan", required_argument, NULL, 'v' },
		{ "protocol", required_argument, NULL, 'P' },
		{ "units", required_argument, NULL, 'u' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct gen_opts o;
	struct wb_gen *g;
	uint64_t v;
	int c, rc;

	memset(&o, 0, sizeof(o));
	wb_gen_params_default(&o.gp);
	o.payload_max = 1400;
	o.group = 0xef4d0001; /* 239.77.0.1 */
	o.port = 26400;
	o.vlan = -1;
	o.units = 4;
	optind = 1;
	while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (wb_opt_u64("--seed", optarg, 0, UINT64_MAX, &o.gp.seed) < 0)
				return 2;
			break;
		case 'm':
			if (wb_opt_u64("--messages", optarg, 1, UINT64_MAX, &o.gp.messages) < 0)
				return 2;
			break;
		case 'G':
			if (wb_opt_u64("--gap-ns", optarg, 1, 1000000000, &v) < 0)
				return 2;
			o.gp.gap_ns = (uint32_t)v;
			break;
		case 'i':
			if (wb_opt_u64("--instruments", optarg, 1, 65535, &v) < 0)
				return 2;
			o.gp.instruments = (uint32_t)v;
			break;
		case 'r':
			if (wb_opt_u64("--orders", optarg, 1, 1u << 28, &v) < 0)
				return 2;
			o.gp.target_orders = (uint32_t)v;
			break;
		case 'k':
			if (wb_opt_u64("--per-packet", optarg, 1, 65534, &v) < 0)
				return 2;
			o.per_packet = (unsigned int)v;
			break;
		case 'p':
			if (wb_opt_u64("--payload", optarg, WB_MOLD_HDR_LEN + 2 + WB_ITCH_MAX_MSG_LEN,
				       GEN_MAX_PAYLOAD, &v) < 0)
				return 2;
			o.payload_max = (unsigned int)v;
			break;
		case 'c':
			if (wb_net_parse_channel(optarg, &o.group, &o.port) < 0) {
				fprintf(stderr, "wirebook gen: --channel: %s\n", wb_err_msg());
				return 2;
			}
			break;
		case 'v':
			if (wb_opt_u64("--vlan", optarg, 0, 4095, &v) < 0)
				return 2;
			o.vlan = (int)v;
			break;
		case 'P':
			if (strcmp(optarg, "itch") != 0 && strcmp(optarg, "pitch") != 0) {
				fprintf(stderr,
					"wirebook gen: --protocol: '%s' is not itch or pitch\n",
					optarg);
				return 2;
			}
			o.pitch = strcmp(optarg, "pitch") == 0;
			break;
		case 'u':
			if (wb_opt_u64("--units", optarg, 1, WB_GEN_PITCH_MAX_UNITS, &v) < 0)
				return 2;
			o.units = (unsigned int)v;
			break;
		case 'o':
			o.out = optarg;
			break;
		case 'h':
			gen_usage(stdout);
			return 0;
		default:
			gen_usage(stderr);
			return 2;
		}
	}
	if (o.out == NULL || optind != argc) {
		gen_usage(stderr);
		return 2;
	}
	if (o.pitch) {
		if (gen_pitch(&o) < 0) {
			fprintf(stderr, "wirebook gen: %s\n", wb_err_msg());
			return 1;
		}
		return 0;
	}
	g = wb_gen_create(&o.gp);
	if (g == NULL) {
		fprintf(stderr, "wirebook gen: %s\n", wb_err_msg());
		return 1;
	}
	rc = ends_with(o.out, ".pcap") ? gen_pcap(g, &o) : gen_itch(g, &o);
	wb_gen_destroy(g);
	if (rc < 0) {
		fprintf(stderr, "wirebook gen: %s\n", wb_err_msg());
		return 1;
	}
	return 0;
}
