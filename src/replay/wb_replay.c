/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libwirebook-replay (include/wirebook/replay.h): `wirebook replay`'s loop
 * (wb_input_run()) cut into steps, so that a caller can take the events a
 * batch at a time. The input reader and the feed are the tool's own; this
 * file only keeps the loop's state between calls and catches the events.
 *
 * The feed hands events to the sink while a record is applied, and one
 * record (a batch of 32 BinaryFILE messages, a datagram) can give more than
 * the caller has room for: those wait in a spill buffer for the next call.
 */
#include "wirebook/replay.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wb_err.h"
#include "wb_input.h"
#include "wb_sized.h"


#define WB_REPLAY_MAX_ORDERS (1u << 22)
#define WB_REPLAY_MAX_LEVELS (1u << 20)
#define WB_REPLAY_BURST 32u

/* What a published snapshot carries beyond the book itself. */
struct wb_replay_inst {
	uint64_t last_seq, exch_ts, rx_tsc;
	int64_t trade_px;
	uint64_t trade_qty, trade_match;
	uint64_t updates;
};

struct wb_replay {
	struct wb_input *in;
	struct wb_feed *feed;
	unsigned int burst;
	/* wb_input_run()'s loop state */
	uint8_t copy[WB_FEED_BATCH][256];
	const uint8_t *ptrs[WB_FEED_BATCH];
	uint16_t lens[WB_FEED_BATCH];
	unsigned int nb, n;
	uint64_t seq, last_ts;
	int done, rc;
	/* where the sink puts events: the caller's array, then the spill */
	struct wb_event *out;
	unsigned long nout, max;
	struct wb_event *spill;
	size_t spill_head, spill_n, spill_cap;
	int nomem;
	uint64_t events;
	struct wb_replay_inst *inst;
	uint32_t ninst;
};

const char *
wb_replay_errmsg(void)
{
	return wb_err_msg();
}

void
wb_replay_opts_default(struct wb_replay_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->max_orders = WB_REPLAY_MAX_ORDERS;
	opts->max_levels = WB_REPLAY_MAX_LEVELS;
	opts->burst = WB_REPLAY_BURST;
}

static void
wb_replay_note(struct wb_replay *r, const struct wb_event *ev)
{
	uint32_t i = ev->instrument;
	struct wb_replay_inst *in;

	if (ev->type == WB_EV_GAP || i >= r->ninst)
		return;
	in = &r->inst[i];
	in->last_seq = ev->seq;
	in->exch_ts = ev->exch_ts;
	in->rx_tsc = ev->rx_tsc;
	/* as the publisher notes the last trade (wb_pub_note) */
	if (ev->type == WB_EV_EXECUTE) {
		in->trade_px = ev->u.order.price;
		in->trade_qty = ev->qty;
		in->trade_match = ev->u.order.aux;
	} else if (ev->type == WB_EV_TRADE && ev->qty != 0) {
		in->trade_px = ev->u.trade.price;
		in->trade_qty = ev->qty;
		in->trade_match = ev->u.trade.match;
	}
}

static void
wb_replay_on_event(void *ctx, const struct wb_event *ev)
{
	struct wb_replay *r = ctx;
	struct wb_event *dst;

	if (r->out != NULL && r->nout < r->max) {
		dst = &r->out[r->nout++];
	} else {
		if (r->spill_n == r->spill_cap) {
			size_t cap = r->spill_cap ? r->spill_cap * 2 : 256;
			struct wb_event *s = realloc(r->spill, cap * sizeof(*s));

			if (s == NULL) {
				r->nomem = 1;
				return;
			}
			r->spill = s;
			r->spill_cap = cap;
		}
		dst = &r->spill[r->spill_n++];
	}
	*dst = *ev;
	/* the tag a ring slot would carry: position + 1, truncated, never 0 */
	dst->ring_tag = (uint32_t)++r->events;
	if (dst->ring_tag == 0)
		dst->ring_tag = 1;
	wb_replay_note(r, ev);
}

static void
wb_replay_on_burst_end(void *ctx, struct wb_feed *f)
{
	struct wb_replay *r = ctx;
	const uint32_t *dirty;
	unsigned int n, i;

	dirty = wb_feed_dirty(f, &n);
	for (i = 0; i < n; i++)
		if (dirty[i] < r->ninst)
			r->inst[dirty[i]].updates++;
}

static int
wb_replay_channels(struct wb_input *in, const char *list)
{
	char spec[64];
	const char *p = list, *e;
	int rc;

	while (*p != '\0') {
		e = strchr(p, ',');
		if (e == NULL)
			e = p + strlen(p);
		if ((size_t)(e - p) >= sizeof(spec))
			return wb_err_set(EINVAL, "channel '%.*s': expected GROUP:PORT", (int)(e - p), p);
		memcpy(spec, p, (size_t)(e - p));
		spec[e - p] = '\0';
		rc = wb_input_add_channel(in, spec);
		if (rc < 0)
			return rc;
		p = *e == ',' ? e + 1 : e;
	}
	return 0;
}

struct wb_replay *
wb_replay_open(const char *path, const struct wb_replay_opts *opts)
{
	struct wb_replay_opts def;
	struct wb_feed_params fp;
	struct wb_feed_sink sink;
	struct wb_replay *r;
	int err;

	if (opts == NULL) {
		wb_replay_opts_default(&def);
		opts = &def;
	}
	if (opts->protocol != NULL && strcmp(opts->protocol, "auto") != 0 &&
	    strcmp(opts->protocol, "itch") != 0 && strcmp(opts->protocol, "pitch") != 0) {
		wb_err_set(EPROTONOSUPPORT, "protocol '%s': expected itch, pitch or auto",
			   opts->protocol);
		errno = EPROTONOSUPPORT;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL) {
		wb_err_set(ENOMEM, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	r->burst = opts->burst ? opts->burst : WB_REPLAY_BURST;
	r->seq = 1;
	r->in = wb_input_open(path);
	if (r->in == NULL)
		goto fail;
	if (opts->channels != NULL && opts->channels[0] != '\0') {
		if (wb_input_kind(r->in) != WB_INPUT_PCAP) {
			wb_err_set(EINVAL, "%s: channels apply to captures only", path);
			errno = EINVAL;
			goto fail;
		}
		err = wb_replay_channels(r->in, opts->channels);
		if (err < 0) {
			errno = -err;
			goto fail;
		}
	}
	wb_feed_params_default(&fp);
	if (opts->protocol == NULL || strcmp(opts->protocol, "auto") == 0) {
		err = wb_input_detect_protocol(path, &fp.protocol);
		if (err < 0) {
			errno = -err;
			goto fail;
		}
	} else {
		fp.protocol = strcmp(opts->protocol, "pitch") == 0 ? WB_FEED_PITCH
								  : WB_FEED_MOLD_ITCH50;
	}
	/* as `wirebook replay`: PITCH is four Cboe exchanges' protocol, no guess at which */
	if (fp.protocol == WB_FEED_PITCH)
		fp.venue = WB_VENUE_OTHER;
	if (wb_input_kind(r->in) == WB_INPUT_ITCH && fp.protocol == WB_FEED_PITCH) {
		wb_err_set(EINVAL, "%s: a BinaryFILE is ITCH, not PITCH", path);
		errno = EINVAL;
		goto fail;
	}
	if (wb_input_kind(r->in) == WB_INPUT_PITCH && fp.protocol != WB_FEED_PITCH) {
		wb_err_set(EINVAL, "%s: PITCH units, not MoldUDP64", path);
		errno = EINVAL;
		goto fail;
	}
	wb_input_set_protocol(r->in, fp.protocol);
	fp.book.max_orders = opts->max_orders ? opts->max_orders : WB_REPLAY_MAX_ORDERS;
	fp.book.max_levels = opts->max_levels ? opts->max_levels : WB_REPLAY_MAX_LEVELS;
	r->feed = wb_feed_create(&fp);
	if (r->feed == NULL)
		goto fail;
	r->ninst = wb_book_max_instruments(wb_feed_book(r->feed));
	r->inst = calloc(r->ninst, sizeof(*r->inst));
	if (r->inst == NULL) {
		wb_err_set(ENOMEM, "out of memory");
		errno = ENOMEM;
		goto fail;
	}
	memset(&sink, 0, sizeof(sink));
	sink.on_event = wb_replay_on_event;
	sink.on_burst_end = wb_replay_on_burst_end;
	sink.ctx = r;
	wb_feed_set_sink(r->feed, &sink);
	return r;
fail:
	err = errno;
	wb_replay_close(r);
	errno = err;
	return NULL;
}

void
wb_replay_close(struct wb_replay *r)
{
	if (r == NULL)
		return;
	if (r->feed != NULL)
		wb_feed_destroy(r->feed);
	if (r->in != NULL)
		wb_input_close(r->in);
	free(r->inst);
	free(r->spill);
	free(r);
}

/* The end of the input, clean or not: what is batched or held is applied. */
static void
wb_replay_finish(struct wb_replay *r, int rc)
{
	if (r->nb != 0)
		wb_feed_messages(r->feed, r->ptrs, r->lens, r->nb, r->seq, 0);
	r->nb = 0;
	wb_feed_burst_end(r->feed);
	wb_feed_expire(r->feed, r->last_ts);
	r->done = 1;
	r->rc = rc < 0 ? -EIO : 0;
}

/* One record of wb_input_run()'s loop. */
static void
wb_replay_step(struct wb_replay *r)
{
	struct wb_input_rec rec;
	int rc;

	rc = wb_input_next(r->in, &rec);
	if (rc != 1) {
		wb_replay_finish(r, rc);
		return;
	}
	if (wb_input_kind(r->in) == WB_INPUT_ITCH) {
		size_t l = rec.len < sizeof(r->copy[0]) ? rec.len : sizeof(r->copy[0]);

		/* a gzip'd file's record lives until the next read: the batch
		 * holds copies; one longer than any message is malformed anyway */
		memcpy(r->copy[r->nb], rec.data, l);
		r->ptrs[r->nb] = r->copy[r->nb];
		r->lens[r->nb] = (uint16_t)l;
		if (++r->nb < WB_FEED_BATCH)
			return;
		wb_feed_messages(r->feed, r->ptrs, r->lens, r->nb, r->seq, rec.ts_ns);
		r->seq += r->nb;
		r->nb = 0;
	} else {
		wb_feed_datagram(r->feed, 0, rec.data, rec.len, rec.ts_ns);
		r->last_ts = rec.ts_ns;
	}
	if (++r->n >= r->burst) {
		wb_feed_burst_end(r->feed);
		r->n = 0;
	}
}

long
wb_replay_read(struct wb_replay *r, struct wb_event *out, unsigned long max)
{
	unsigned long n = 0;

	if (out == NULL && max != 0)
		return -EINVAL;
	if (r->spill_n > r->spill_head) {
		n = r->spill_n - r->spill_head;
		if (n > max)
			n = max;
		memcpy(out, r->spill + r->spill_head, n * sizeof(*out));
		r->spill_head += n;
		if (r->spill_head == r->spill_n)
			r->spill_head = r->spill_n = 0;
	}
	r->out = out;
	r->nout = n;
	r->max = max;
	while (r->nout < max && !r->done && !r->nomem)
		wb_replay_step(r);
	r->out = NULL;
	if (r->nomem)
		return wb_err_set(ENOMEM, "out of memory: events were lost");
	if (r->nout == 0 && r->done && r->rc < 0 && r->spill_n == 0)
		return r->rc;
	return (long)r->nout;
}

uint32_t
wb_replay_max_instruments(const struct wb_replay *r)
{
	return r->ninst;
}

static const struct wb_instrument *
wb_replay_known(const struct wb_replay *r, uint32_t i)
{
	const struct wb_instrument *in;

	in = wb_book_instrument(wb_feed_book(r->feed), i);
	return in != NULL && in->known ? in : NULL;
}

uint32_t
wb_replay_instruments(const struct wb_replay *r, uint32_t *out, uint32_t n)
{
	uint32_t i, k = 0;

	for (i = 0; i < r->ninst; i++) {
		if (wb_replay_known(r, i) == NULL)
			continue;
		if (k < n)
			out[k] = i;
		k++;
	}
	return k;
}

static uint32_t
wb_replay_side(const struct wb_book *b, uint32_t i, uint8_t side, struct wb_client_level *out)
{
	struct wb_level_info lv[WB_CLIENT_MAX_DEPTH];
	unsigned int n, k;

	n = wb_book_levels(b, i, side, lv, WB_CLIENT_MAX_DEPTH);
	for (k = 0; k < n; k++) {
		out[k].price = lv[k].price;
		out[k].orders = lv[k].orders;
		out[k].shares = lv[k].shares;
	}
	return n;
}

int
wb_replay_book(const struct wb_replay *r, uint32_t instrument, struct wb_client_book *out)
{
	const struct wb_book *b = wb_feed_book(r->feed);
	const struct wb_instrument *in;
	const struct wb_replay_inst *s;
	struct wb_client_book bk;
	uint32_t size = out->size; /* the caller's (wirebook.h): kept */
	int rc;

	rc = wb_sized_ok("wb_replay_book", size, WB_CLIENT_BOOK_MIN);
	if (rc != 0)
		return rc;
	if (instrument >= r->ninst)
		return wb_err_set(EINVAL, "wb_replay_book: instrument %u not below %u", instrument,
				  r->ninst);
	in = wb_replay_known(r, instrument);
	if (in == NULL)
		return wb_err_set(ENOENT, "wb_replay_book: instrument %u unknown", instrument);
	s = &r->inst[instrument];
	memset(&bk, 0, sizeof(bk));
	bk.instrument = instrument;
	memcpy(bk.symbol, in->symbol, sizeof(bk.symbol) - 1);
	bk.trading_state = in->trading_state;
	bk.venue = wb_feed_venue(r->feed);
	bk.price_exp = in->price_exp;
	bk.stale = (uint8_t)wb_feed_instrument_stale(r->feed, instrument);
	bk.nbid = wb_replay_side(b, instrument, 'B', bk.bid);
	bk.nask = wb_replay_side(b, instrument, 'S', bk.ask);
	bk.last_seq = s->last_seq;
	bk.exch_ts = s->exch_ts;
	bk.rx_tsc = s->rx_tsc;
	bk.last_trade_px = s->trade_px;
	bk.last_trade_qty = s->trade_qty;
	bk.last_trade_match = s->trade_match;
	bk.updates = s->updates;
	/* an older caller's struct gets what it has room for, a newer one zeroes */
	wb_sized_give(out, size, &bk, sizeof(bk));
	return 0;
}

void
wb_replay_stats(const struct wb_replay *r, struct wb_replay_stats *out)
{
	const struct wb_input_stats *is = wb_input_stats(r->in);
	const struct wb_feed_stats *fs = wb_feed_stats(r->feed);
	const struct wb_session_stats *ss = wb_feed_session_stats(r->feed);

	memset(out, 0, sizeof(*out));
	out->records = is->records;
	out->datagrams = is->datagrams;
	out->filtered = is->filtered;
	out->not_udp = is->not_udp;
	out->bad_frames = is->bad_frames;
	out->messages = fs->messages;
	out->bad_packets = fs->bad_packets;
	out->bad_messages = fs->msg_unknown + fs->msg_truncated + fs->msg_malformed;
	out->gaps = ss->gaps;
	out->gap_msgs = ss->gap_msgs;
	out->bbo_changes = fs->bbo_changes;
	out->events = r->events - (r->spill_n - r->spill_head);
	out->live_orders = wb_book_stats(wb_feed_book(r->feed))->live_orders;
	out->stale = wb_feed_stale(r->feed);
	out->done = (uint32_t)r->done;
}
