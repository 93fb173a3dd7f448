/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: Cboe PITCH Sequenced Units back to back (as `wirebook
 * gen --protocol pitch` writes them, or one UDP payload), each through
 * wb_pitch_parse(), the per-unit sequencer and wb_pitch_decode() of every
 * message with and without signed prices. Each unit is an exactly-sized
 * heap copy so ASan catches over-reads; the messages of an accepted unit must
 * tile it, and decoded pointers (an add's symbol, a Symbol Mapping's three
 * alpha fields, a Futures Instrument Definition's symbols and every leg)
 * must stay inside their message.
 *
 * Then the same units through a PITCH feed (wb_feed_pitch.h) on alternating
 * lines, each in its own exactly-sized buffer freed after its burst, with
 * a tiny reorder window (16 packets, 4 KiB, 50 ticks; the clock moves 20
 * ticks a unit, timers every third) and a tiny book, so that the adapter's
 * fast and general paths, holding, filling, declaring for time and for room
 * all run; at the end everything held is expired and nothing may be missing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wb_feed.h"
#include "wb_pitch.h"
#include "wb_pitch_seq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_inside(const uint8_t *p, size_t n, const uint8_t *msg, size_t len)
{
	if (p != NULL && (p < msg || p + n > msg + len))
		abort();
}

static void
one_unit(struct wb_pitch_seq *seq, unsigned int line, const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	struct wb_pitch_seq_verdict v;
	struct wb_pitch_pkt pkt;
	struct wb_pitch_iter it;
	struct wb_pitch_msg m;
	const uint8_t *msg;
	unsigned int n = 0, f, apply;
	size_t total = WB_PITCH_HDR_LEN;
	uint8_t len;
	int rc, ulen;

	if (buf == NULL)
		return;
	memcpy(buf, data, size);
	ulen = wb_pitch_parse(buf, size, &pkt);
	if (ulen > 0) {
		if ((size_t)ulen > size || ulen != pkt.length)
			abort();
		apply = wb_pitch_seq_accept(seq, line, &pkt, &v);
		if (v.skip + apply > pkt.count || apply != v.apply)
			abort();
		wb_pitch_iter_init(&it, &pkt);
		while (wb_pitch_iter_next(&it, &msg, &len) == 1) {
			if (msg < buf || msg + len > buf + ulen || len < 2)
				abort();
			for (f = 0; f <= WB_PITCH_SIGNED_PRICES; f += WB_PITCH_SIGNED_PRICES) {
				rc = wb_pitch_decode(msg, len, f, &m);
				if (rc > 0 && (rc != len || len < wb_pitch_min_len[m.type]))
					abort();
				if (rc == len &&
				    (m.type == WB_PITCH_ADD_LONG || m.type == WB_PITCH_ADD_SHORT ||
				     m.type == WB_PITCH_ADD_EXPANDED)) {
					check_inside(m.u.add.symbol, m.u.add.symbol_len, msg, len);
					check_inside(m.u.add.participant_id, 4, msg, len);
				}
				if (rc == len && m.type == WB_PITCH_SYMBOL_MAPPING) {
					check_inside(m.u.symbol_mapping.feed_symbol,
						     WB_PITCH_SYMBOL_LEN, msg, len);
					check_inside(m.u.symbol_mapping.osi_symbol,
						     WB_PITCH_OSI_SYMBOL_LEN, msg, len);
					check_inside(m.u.symbol_mapping.underlying,
						     WB_PITCH_UNDERLYING_LEN, msg, len);
				}
				if (rc == len && m.type == WB_PITCH_FUTURES_DEF) {
					unsigned int l;

					check_inside(m.u.futures_def.symbol, WB_PITCH_SYMBOL_LEN,
						     msg, len);
					check_inside(m.u.futures_def.report_symbol,
						     WB_PITCH_SYMBOL_LEN, msg, len);
					if ((m.u.futures_def.legs == NULL) !=
					    (m.u.futures_def.leg_count == 0))
						abort();
					for (l = 0; l < m.u.futures_def.leg_count; l++)
						check_inside(wb_pitch_futures_leg(&m, l).symbol - 4,
							     WB_PITCH_FUTDEF_LEG_LEN, msg, len);
				}
			}
			total += len;
			n++;
		}
		if (n != pkt.count || total != pkt.length)
			abort();
	}
	free(buf);
}

static void
feed_units(const uint8_t *data, size_t size)
{
	struct wb_feed_params p;
	struct wb_feed *f;
	size_t off = 0, ul;
	uint64_t now = 1;
	unsigned int i = 0;
	uint8_t *buf;

	wb_feed_params_default(&p);
	p.protocol = WB_FEED_PITCH;
	p.book.max_orders = 64;
	p.book.ref_window = 8;
	p.book.max_levels = 32;
	p.book.max_instruments = 16;
	p.hold_packets = 16;
	p.hold_bytes = 4096;
	p.hold_ticks = 50;
	f = wb_feed_create(&p);
	if (f == NULL)
		abort();
	while (size - off >= WB_PITCH_HDR_LEN) {
		ul = wb_pitch_le16(data + off);
		if (ul < WB_PITCH_HDR_LEN || ul > size - off)
			ul = size - off;
		buf = malloc(ul);
		if (buf == NULL)
			break;
		memcpy(buf, data + off, ul);
		wb_feed_datagram_queue(f, i & 1u, buf, ul, now);
		wb_feed_burst_end(f);
		free(buf);
		off += ul;
		now += 20;
		if (++i % 3 == 0)
			wb_feed_tick(f, now);
	}
	wb_feed_expire(f, now + 1000);
	if (wb_feed_missing(f) != 0)
		abort();
	wb_feed_destroy(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct wb_pitch_seq seq;
	size_t off = 0;
	unsigned int i = 0;

	wb_pitch_seq_init(&seq);
	/* The whole input once: one payload, possibly with trailing bytes. */
	one_unit(&seq, 0, data, size);
	/* Then unit by unit, as a file of units, on alternating lines. */
	while (size - off >= WB_PITCH_HDR_LEN) {
		size_t ul = wb_pitch_le16(data + off);

		if (ul < WB_PITCH_HDR_LEN || ul > size - off) {
			one_unit(&seq, i & 1u, data + off, size - off);
			break;
		}
		one_unit(&seq, i++ & 1u, data + off, ul);
		off += ul;
	}
	feed_units(data, size);
	return 0;
}
