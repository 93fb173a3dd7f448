/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The replay port of `wirebookd --replay`: a reader thread turns a capture
 * or a Nasdaq BinaryFILE (plain or .gz, streamed: wb_frames) into mbufs and
 * enqueues them, on their schedule (--pace), into the rx ring of a net_ring
 * ethdev. The rx lcore polls that ethdev with the live rx loop, unchanged:
 * nothing about pacing or files runs on it.
 *
 * The ring PMD is probed from --vdev net_ring_wbr (no arguments: it creates
 * its own SP/SC rings, "ETH_RXTX<q>_<name>", 1024 slots, one per queue, each
 * serving as both rx and tx of that queue; the replay port sends nothing).
 * The reader is this ring's single producer; it is an ordinary pthread on the
 * main lcore's core (it inherits its affinity), allocating from a mempool of
 * its own that the rx lcore frees into.
 *
 * End of input: the reader publishes how many frames it enqueued and then
 * `done` (release); the control loop stops once the rx lcore has received
 * that many. A full ring holds the reader back (a replay loses nothing).
 *
 * --from: frames whose first message is stamped before the time of day are
 * applied by the main thread straight to the feeds before the publisher is
 * attached (and before the rx lcore starts: one writer at a time), so the
 * books are whole at that time and nothing was published before it; the
 * publisher then writes every instrument's snapshot (wb_publisher_sync).
 * The first frame at or after it waits for the reader.
 *
 * Pacing error: each frame's enqueue time minus its due time (wb_pace),
 * reported with the summary.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_mempool.h>
#include <rte_pause.h>
#include <rte_ring.h>

#include "wb_daemon.h"
#include "wb_err.h"
#include "wb_frames.h"
#include "wb_net.h"
#include "wb_pace.h"
#include "wb_progress.h"
#include "wb_tsc.h"

#define WB_SRC_RING "ETH_RXTX0_" WB_DAEMON_REPLAY_DEV
#define WB_SRC_MBUFS 4095
#define WB_SRC_DATAROOM 9216
#define WB_SRC_BURST 32
#define WB_SRC_SPAN_NS 100000u /* paced BinaryFILE: a packet spans <= 100 us */

struct wb_daemon_src {
	struct wb_frames *fr;
	double speed;
	uint64_t from_tod;
	struct rte_ring *ring;
	struct rte_mempool *pool;
	int ts_off; /* the mbuf rx timestamp field: each frame's time in the file */
	uint64_t ts_flag;
	pthread_t th;
	int started;
	_Atomic int quit;
	_Atomic int done;
	_Atomic uint64_t sent; /* frames enqueued */
	/* Written by the reader only, read after the join. */
	struct wb_pace pace;
	struct wb_progress prog;
	uint64_t msgs, oversize, nombuf_waits, ring_full_waits;
	int rc;
	char err[256];
	/* --from: the first frame at or after it, kept for the reader. */
	int have_pending;
	struct wb_frame pending;
	uint8_t *pending_buf;
	uint64_t preroll_frames, preroll_msgs, preroll_unmatched;
};

struct wb_daemon_src *
wb_daemon_src_open(const char *path, double speed, uint64_t from_tod, char *err, size_t errlen)
{
	struct wb_daemon_src *s = calloc(1, sizeof(*s));
	struct wb_frames_params fp;

	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	wb_frames_params_default(&fp);
	fp.span_ns = speed > 0 ? WB_SRC_SPAN_NS : 0;
	fp.split_tod = from_tod;
	s->fr = wb_frames_open(path, &fp);
	if (s->fr == NULL) {
		snprintf(err, errlen, "%s", wb_err_msg());
		free(s);
		return NULL;
	}
	s->speed = speed;
	s->from_tod = from_tod;
	wb_pace_init(&s->pace, speed);
	return s;
}

uint32_t
wb_daemon_src_linktype(const struct wb_daemon_src *s)
{
	return wb_frames_linktype(s->fr);
}

/* The channel a datagram belongs to, as the rx loop would match it, or -1. */
static int
wb_src_match(const struct wb_daemon_cfg *c, const struct wb_udp_view *v)
{
	unsigned int i;

	for (i = 0; i < c->nchan; i++) {
		const struct wb_io_chan_conf *ch = &c->chan[i].io;

		if ((ch->group == 0 || ch->group == v->dst_ip) &&
		    (ch->udp_port == 0 || ch->udp_port == v->dst_port) &&
		    (ch->vlan == WB_IO_ANY_VLAN || ch->vlan == v->vlan))
			return (int)i;
	}
	return -1;
}

int
wb_daemon_src_preroll(struct wb_daemon_src *s, struct wb_daemon *d)
{
	struct wb_frame fr;
	struct wb_udp_view v;
	uint32_t lt = wb_frames_linktype(s->fr);
	unsigned int n = 0, i;
	int rc, ch;

	if (s->from_tod == 0)
		return 0;
	while ((rc = wb_frames_next(s->fr, &fr)) == 1) {
		if (fr.tod_ns != UINT64_MAX && fr.tod_ns >= s->from_tod) {
			s->pending_buf = malloc(fr.len);
			if (s->pending_buf == NULL)
				return wb_err_set(ENOMEM, "--from: out of memory");
			memcpy(s->pending_buf, fr.data, fr.len);
			s->pending = fr;
			s->pending.data = s->pending_buf;
			s->have_pending = 1;
			break;
		}
		s->preroll_frames++;
		s->preroll_msgs += fr.msgs;
		if (wb_net_udp(fr.data, fr.len, lt, &v) < 0 ||
		    (ch = wb_src_match(d->cfg, &v)) < 0 || d->chan_feed[ch] < 0) {
			s->preroll_unmatched++;
			continue;
		}
		wb_feed_datagram(d->feeds[d->chan_feed[ch]], d->cfg->chan[ch].io.line, v.payload,
				 v.len, 0);
		if (++n == WB_SRC_BURST) {
			for (i = 0; i < d->nfeeds; i++)
				wb_feed_burst_end(d->feeds[i]);
			n = 0;
		}
	}
	for (i = 0; i < d->nfeeds; i++)
		wb_feed_burst_end(d->feeds[i]);
	if (rc < 0)
		return wb_err_append(EIO, "--replay");
	return 0;
}

/* Enqueues all n; waits while the ring is full. Returns 0, or -1 on quit. */
static int
wb_src_push(struct wb_daemon_src *s, struct rte_mbuf **b, unsigned int n)
{
	unsigned int k = 0;

	while (k < n) {
		k += rte_ring_enqueue_burst(s->ring, (void **)(b + k), n - k, NULL);
		if (k == n)
			break;
		s->ring_full_waits++;
		if (atomic_load_explicit(&s->quit, memory_order_relaxed)) {
			rte_pktmbuf_free_bulk(b + k, n - k);
			return -1;
		}
		rte_pause();
	}
	/* relaxed: a statistic until `done`, whose release orders the last one */
	atomic_store_explicit(&s->sent, atomic_load_explicit(&s->sent, memory_order_relaxed) + n,
			      memory_order_relaxed);
	return 0;
}

/* wb_pace_wait() in slices, so that a stop is seen within 50 ms. */
static int
wb_src_wait(struct wb_daemon_src *s, uint64_t due)
{
	while (wb_pace_sleep(due, 50000000u))
		if (atomic_load_explicit(&s->quit, memory_order_relaxed))
			return -1;
	wb_pace_spin(due);
	return 0;
}

static void *
wb_src_main(void *arg)
{
	struct wb_daemon_src *s = arg;
	struct rte_mbuf *b[WB_SRC_BURST], *m;
	struct wb_frame fr;
	uint64_t due = 0, now, done, total, frames = 0;
	unsigned int n = 0;
	int rc;

	for (;;) {
		if (atomic_load_explicit(&s->quit, memory_order_relaxed)) {
			rc = 0;
			break;
		}
		if (s->have_pending) {
			fr = s->pending;
			s->have_pending = 0;
			rc = 1;
		} else {
			rc = wb_frames_next(s->fr, &fr);
		}
		if (rc <= 0) {
			if (rc < 0)
				snprintf(s->err, sizeof(s->err), "%s", wb_err_msg());
			break;
		}
		if (fr.len > WB_SRC_DATAROOM) {
			s->oversize++;
			continue;
		}
		if (s->speed > 0) {
			now = wb_mono_ns();
			due = wb_pace_due(&s->pace, fr.ts_ns, now);
			if (due > now) {
				if (n != 0 && wb_src_push(s, b, n) < 0)
					break;
				n = 0;
				if (wb_src_wait(s, due) < 0)
					break;
			}
		}
		while ((m = rte_pktmbuf_alloc(s->pool)) == NULL) {
			/* every mbuf is in flight: hand over what we hold */
			s->nombuf_waits++;
			if (n != 0 && wb_src_push(s, b, n) < 0)
				goto out;
			n = 0;
			if (atomic_load_explicit(&s->quit, memory_order_relaxed))
				goto out;
			rte_pause();
		}
		memcpy(rte_pktmbuf_mtod(m, void *), fr.data, fr.len);
		m->data_len = (uint16_t)fr.len;
		m->pkt_len = fr.len;
		/* what a NIC's timestamp would be: when the frame was on the wire */
		*RTE_MBUF_DYNFIELD(m, s->ts_off, rte_mbuf_timestamp_t *) = fr.ts_ns;
		m->ol_flags |= s->ts_flag;
		b[n++] = m;
		s->msgs += fr.msgs;
		if (n == WB_SRC_BURST || s->speed > 0) {
			if (wb_src_push(s, b, n) < 0)
				goto out;
			n = 0;
			/* released: the frame is in the port's ring, the rx lcore's to take */
			if (s->speed > 0)
				wb_pace_record(&s->pace, due, wb_mono_ns());
		}
		if ((++frames & 1023u) == 0) {
			wb_frames_progress(s->fr, &done, &total);
			wb_progress_update(&s->prog, done, total, s->msgs, fr.tod_ns);
		}
	}
	if (n != 0)
		wb_src_push(s, b, n);
out:
	wb_progress_end(&s->prog);
	s->rc = rc < 0 ? -1 : 0;
	/* release: pairs with the acquire in wb_daemon_src_done() */
	atomic_store_explicit(&s->done, 1, memory_order_release);
	return NULL;
}

int
wb_daemon_src_start(struct wb_daemon_src *s)
{
	int rc;

	s->ring = rte_ring_lookup(WB_SRC_RING);
	if (s->ring == NULL)
		return wb_err_set(ENODEV, "replay port: no ring %s", WB_SRC_RING);
	if (rte_mbuf_dyn_rx_timestamp_register(&s->ts_off, &s->ts_flag) != 0)
		return wb_err_set(rte_errno, "replay port: no mbuf timestamp field: %s",
				  rte_strerror(rte_errno));
	s->pool = rte_pktmbuf_pool_create("wb_replay_src", WB_SRC_MBUFS, 0, 0,
					  WB_SRC_DATAROOM + RTE_PKTMBUF_HEADROOM, SOCKET_ID_ANY);
	if (s->pool == NULL)
		return wb_err_set(ENOMEM, "replay port: mempool: %s", rte_strerror(rte_errno));
	wb_progress_init(&s->prog, stderr, "replay");
	rc = pthread_create(&s->th, NULL, wb_src_main, s);
	if (rc != 0)
		return wb_err_set(rc, "replay port: reader thread: %s", strerror(rc));
	s->started = 1;
	return 0;
}

int
wb_daemon_src_done(const struct wb_daemon_src *s, uint64_t *frames)
{
	/* acquire: pairs with the release store of done in wb_src_main() */
	if (!atomic_load_explicit(&s->done, memory_order_acquire))
		return 0;
	*frames = atomic_load_explicit(&s->sent, memory_order_relaxed);
	return 1;
}

uint64_t
wb_daemon_src_sent(const struct wb_daemon_src *s)
{
	return atomic_load_explicit(&s->sent, memory_order_relaxed);
}

int
wb_daemon_src_stop(struct wb_daemon_src *s)
{
	if (!s->started)
		return 0;
	atomic_store_explicit(&s->quit, 1, memory_order_relaxed);
	pthread_join(s->th, NULL);
	s->started = 0;
	if (s->rc < 0)
		fprintf(stderr, "wirebookd: --replay: %s\n", s->err);
	return s->rc;
}

void
wb_daemon_src_summary(const struct wb_daemon_src *s, FILE *out)
{
	const struct wb_histo *h = &s->pace.err;

	fprintf(out,
		"replay\tframes %" PRIu64 "\tmessages %" PRIu64 "\tpreroll_frames %" PRIu64
		"\tpreroll_messages %" PRIu64 "\tpreroll_unmatched %" PRIu64 "\toversize %" PRIu64
		"\tskipped %" PRIu64 "\tring_full_waits %" PRIu64 "\tnombuf_waits %" PRIu64 "\n",
		wb_daemon_src_sent(s), s->msgs, s->preroll_frames, s->preroll_msgs,
		s->preroll_unmatched, s->oversize, wb_frames_skipped(s->fr), s->ring_full_waits,
		s->nombuf_waits);
	if (s->speed > 0)
		fprintf(out,
			"replay.pace\tspeed %gx\treleases %" PRIu64 "\terr_p50_ns %" PRIu64
			"\terr_p99_ns %" PRIu64 "\terr_max_ns %" PRIu64 "\tbackwards %" PRIu64 "\n",
			s->speed, h->count, wb_histo_quantile(h, 0.5), wb_histo_quantile(h, 0.99),
			h->count ? h->max : 0, s->pace.backwards);
}

void
wb_daemon_src_close(struct wb_daemon_src *s)
{
	if (s == NULL)
		return;
	wb_daemon_src_stop(s);
	rte_mempool_free(s->pool);
	wb_frames_close(s->fr);
	free(s->pending_buf);
	free(s);
}
