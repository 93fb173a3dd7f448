/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the feed as the rx loop drives it. The input is a
 * sequence of records [ctl u8][len u16 LE][len bytes]; each becomes a
 * datagram in its own exactly-sized heap buffer, handed to
 * wb_feed_datagram_queue() on line A or B, and the buffers are freed right
 * after each wb_feed_burst_end(): ASan then catches any read of a queued
 * message after its burst (or past its datagram). With ctl bit 0 the bytes
 * are taken as MoldUDP64 message blocks and given a header of one session
 * whose sequence follows on, jumps ahead (a gap), repeats (duplicates) or
 * restarts (bits 1-2), so that the books see real traffic; otherwise the
 * bytes are the whole UDP payload. Bit 3 ends the burst; bits 4-5 are the
 * line (A, B, the recovery line); bit 6 runs the feed's timers after the
 * burst, bit 7 moves the clock a window ahead. The reorder window is tiny
 * too (16 packets, 4 KiB, 50 ticks) and a request server is always there,
 * failing one request in three, so that holding, requests, retries and
 * declared gaps all run; at the end everything held is expired. The book is tiny
 * (64 orders, 32 levels, 16 instruments, a ref window of 8) so that every
 * limit, spill and error path is reached. At the end every side must be
 * strictly sorted and agree with its depth.
 *
 * An input of odd length is published as the daemon publishes: through a
 * shared-memory publisher (a small region in /dev/shm, removed after each
 * input), so the feed builds its events in the ring inline; at the end
 * every instrument's snapshot must equal its book's top levels.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wb_compiler.h"
#include "wb_feed.h"
#include "wb_moldudp64.h"
#include "wb_publish.h"
#include "wb_shm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PENDING 64

static unsigned int requests;

static int
sink_request(void *ctx, const uint8_t session[WB_MOLD_SESSION_LEN], uint64_t seq, uint16_t count)
{
	(void)ctx;
	(void)session;
	if (seq == 0 || count == 0)
		abort(); /* the feed never asks for nothing */
	return ++requests % 3 == 0 ? -5 : 0;
}

static void
sink_event(void *ctx, const struct wb_event *ev)
{
	(void)ctx;
	if (ev->type == WB_EV_NONE || ev->type >= WB_EV_TYPES)
		abort();
}

static void
check_books(struct wb_feed *f)
{
	struct wb_level_info lv[40];
	const struct wb_book *b = wb_feed_book(f);
	unsigned int loc, i, n, s;

	for (loc = 0; loc < wb_book_max_instruments(b); loc++)
		for (s = 0; s < 2; s++) {
			uint8_t side = s ? 'S' : 'B';

			n = wb_book_levels(b, (uint16_t)loc, side, lv, 40);
			if (n != wb_book_depth(b, (uint16_t)loc, side))
				abort();
			for (i = 0; i < n; i++) {
				if (lv[i].orders == 0)
					abort();
				if (i > 0 && (s ? lv[i].price <= lv[i - 1].price
						: lv[i].price >= lv[i - 1].price))
					abort();
			}
		}
}

#define PUB_DEPTH 4

/* Each instrument's snapshot against its book's top PUB_DEPTH levels. */
static void
check_snapshots(struct wb_feed *f, const struct wb_shm *shm)
{
	struct wb_level_info lv[PUB_DEPTH];
	const struct wb_book *b = wb_feed_book(f);
	unsigned int loc, i, n, s;

	for (loc = 0; loc < wb_book_max_instruments(b); loc++) {
		const struct wb_shm_snap *snap = wb_shm_snap_at(shm, (uint16_t)loc);

		for (s = 0; s < 2; s++) {
			const struct wb_shm_level *sl = snap->lv + s * PUB_DEPTH;

			n = wb_book_levels(b, (uint16_t)loc, s ? 'S' : 'B', lv, PUB_DEPTH);
			if (n != (s ? snap->nask : snap->nbid))
				abort();
			for (i = 0; i < n; i++)
				if (sl[i].price != lv[i].price || sl[i].orders != lv[i].orders ||
				    sl[i].shares != lv[i].shares)
					abort();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t sess[WB_MOLD_SESSION_LEN] = "FUZZSESS01";
	uint8_t *pending[MAX_PENDING];
	unsigned int npend = 0, i;
	struct wb_feed_params p;
	struct wb_feed_sink sink = { .on_event = sink_event, .on_request = sink_request };
	struct wb_publisher *pub = NULL;
	struct wb_publish_params pp;
	struct wb_feed *f;
	uint64_t seq = 1, now = 0;
	size_t off = 0;
	char shm_name[32];

	wb_feed_params_default(&p);
	p.book.max_orders = 64;
	p.book.ref_window = 8;
	p.book.max_levels = 32;
	p.book.max_instruments = 16;
	p.hold_packets = 16;
	p.hold_bytes = 4096;
	p.hold_ticks = 50;
	p.req_timeout_ticks = 20;
	p.req_min_ticks = 5;
	p.req_max_count = 8;
	f = wb_feed_create(&p);
	if (f == NULL)
		abort();
	wb_feed_set_sink(f, &sink);
	if (size & 1) {
		/* one region per fuzzing process: runs side by side do not collide */
		snprintf(shm_name, sizeof(shm_name), "fuzz-feed-%d", (int)getpid());
		wb_publish_params_default(&pp);
		pp.name = shm_name;
		pp.dir = "/dev/shm";
		pp.ring_slots = 64;
		pp.depth = PUB_DEPTH;
		pp.max_instruments = 16;
		pub = wb_publisher_create(&pp);
		if (pub == NULL)
			abort();
		if (wb_publisher_attach(pub, f) != 0)
			abort();
	}
	while (off + 3 <= size) {
		uint8_t ctl = data[off];
		size_t len = (size_t)data[off + 1] | (size_t)data[off + 2] << 8, dlen;
		uint8_t *buf;

		off += 3;
		if (len > size - off)
			len = size - off;
		if (ctl & 1) {
			/* blocks under a header: count what the lengths say */
			uint16_t count = 0;
			size_t q = 0;

			while (q + 2 <= len && count < 0xfffe) {
				q += 2u + wb_be16(data + off + q);
				count++;
			}
			dlen = WB_MOLD_HDR_LEN + len;
			buf = malloc(dlen);
			if (buf == NULL)
				abort();
			switch ((ctl >> 1) & 3) {
			case 1: seq += 3; break;			 /* a gap */
			case 2: seq = seq > count ? seq - count : 1; break; /* duplicates */
			case 3: seq = 1; break;			 /* restart */
			default: break;
			}
			wb_mold_put_hdr(buf, sess, seq, count);
			memcpy(buf + WB_MOLD_HDR_LEN, data + off, len);
			seq += count;
		} else {
			dlen = len;
			buf = malloc(dlen ? dlen : 1);
			if (buf == NULL)
				abort();
			memcpy(buf, data + off, len);
		}
		off += len;
		now += 1 + ((ctl & 0x80) ? 50 : 0);
		(void)wb_feed_datagram_queue(f, (ctl >> 4) & 3, buf, dlen, now);
		pending[npend++] = buf;
		if ((ctl & 8) || npend == MAX_PENDING) {
			wb_feed_burst_end(f);
			for (i = 0; i < npend; i++)
				free(pending[i]);
			npend = 0;
			if (ctl & 0x40)
				wb_feed_tick(f, now);
		}
	}
	wb_feed_burst_end(f);
	wb_feed_expire(f, now);
	if (wb_feed_missing(f) != 0)
		abort(); /* expiring declares every open gap */
	for (i = 0; i < npend; i++)
		free(pending[i]);
	check_books(f);
	if (pub != NULL) {
		check_snapshots(f, wb_publisher_shm(pub));
		wb_publisher_destroy(pub);
		wb_shm_unlink("/dev/shm", shm_name);
	}
	wb_feed_destroy(f);
	return 0;
}
