/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The feed's reorder window and retransmission requests (the stale state
 * they set is in wb_feed_stale.c); the rules are in docs/reliability.md.
 * Nothing here runs for a packet in sequence while nothing is held,
 * requested or open (wb_feed.c's fast path checks one flag, rel_busy);
 * everything here is the exception.
 *
 * A PITCH feed holds its units' packets in the same buffer, by (unit << 32)
 * | sequence (wb_feed_rel_hold; its window is wb_feed_pitch_rel.c).
 *
 * The hold buffer is preallocated at create: an array of hold_packets
 * descriptors kept in sequence order (a packet nearly always goes at the
 * end, so inserting is O(1); the drain releases a prefix in one pass) and
 * an arena of hold_bytes the packets are copied into. The arena is reused
 * from its start once nothing is held, and compacted (into a second arena
 * of the same size, then swapped: linear, in any order) when a packet does
 * not fit at its end.
 *
 * The buffer also keeps, apart, the copies a line sends after stepping back
 * below its own highest sequence (WB_SV_SUSPECT): a reorder catches up
 * within a few packets and they are dropped; a sequence regression is told
 * only after regress_pkts of them, and they are then the new numbering's
 * first packets, applied rather than lost.
 *
 * Held packets are applied through the same batch as queued datagrams
 * (wb_feed_take), and the batch is applied before the drain returns, so
 * nothing queued ever points into arena bytes that a later packet reuses.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wb_compiler.h"
#include "wb_err.h"
#include "wb_feed_int.h"
#include "wb_feed_pitch_int.h"

int
wb_feed_rel_init(struct wb_feed *f, const struct wb_feed_params *p)
{
	struct wb_feed_rel *r = &f->rel;

	r->hold_packets = p->hold_packets;
	r->hold_bytes = p->hold_packets != 0 ? p->hold_bytes : 0;
	r->hold_ticks = p->hold_ticks;
	r->req_timeout = p->req_timeout_ticks;
	r->req_min = p->req_min_ticks;
	r->req_retries = p->req_retries;
	r->req_max = p->req_max_count != 0 ? p->req_max_count : 1;
	wb_histo_init(&r->recovery);
	if (r->hold_packets != 0) {
		if (r->hold_bytes < WB_MOLD_HDR_LEN) {
			wb_err_set(EINVAL, "feed: hold_bytes %u is below one packet header",
				   r->hold_bytes);
			errno = EINVAL;
			return -EINVAL;
		}
		r->held = calloc(r->hold_packets, sizeof(*r->held));
		r->arena = malloc(r->hold_bytes);
		r->arena2 = malloc(r->hold_bytes);
		if (r->held == NULL || r->arena == NULL || r->arena2 == NULL) {
			wb_feed_rel_fini(f);
			wb_err_set(ENOMEM, "feed: out of memory for the hold buffer");
			errno = ENOMEM;
			return -ENOMEM;
		}
	}
	wb_session_set_hold(&f->session, r->hold_packets != 0);
	return 0;
}

void
wb_feed_rel_fini(struct wb_feed *f)
{
	free(f->rel.held);
	free(f->rel.arena);
	free(f->rel.arena2);
	f->rel.held = NULL;
	f->rel.arena = NULL;
	f->rel.arena2 = NULL;
}

/* Ticks from since to now; 0 if the caller's clock went back. */
static inline uint64_t
rel_since(uint64_t now, uint64_t since)
{
	return now > since ? now - since : 0;
}

void
wb_feed_rel_busy(struct wb_feed *f)
{
	const struct wb_feed_rel *r = &f->rel;

	if (f->pitch != NULL) { /* its units' windows (wb_feed_pitch_rel.c) */
		f->rel_busy = f->pitch->nopen != 0;
		f->lost_open = 0;
		return;
	}

	f->rel_busy = r->nheld != r->hbeg || r->gap_open || r->req_active ||
		      wb_session_missing(&f->session) != 0;
	f->lost_open = r->nlost != 0;
}

/* The first sequence the session cannot apply yet: the lowest held, or the highest known. */
static uint64_t
rel_upto(const struct wb_feed *f)
{
	const struct wb_feed_rel *r = &f->rel;
	uint64_t upto = f->session.hi_seq;
	unsigned int i;

	for (i = r->hbeg; i < r->nheld; i++) /* in order: the first not kept aside */
		if (!r->held[i].suspect) {
			if (r->held[i].seq < upto)
				upto = r->held[i].seq;
			break;
		}
	return upto;
}

static void
rel_declare(struct wb_feed *f, uint64_t upto, uint64_t now)
{
	struct wb_session_verdict v;

	wb_session_skip(&f->session, upto, &v);
	if (v.gap_count != 0)
		wb_feed_gap_declared(f, &v, now);
}

static void
rel_applied(struct wb_feed *f, unsigned int line, unsigned int n)
{
	if (line == WB_FEED_LINE_RECOVERY)
		f->rel.stats.recovered_msgs += n;
}

/* Applies the held packets the session has reached, in sequence order, in one pass. */
static void
rel_drain(struct wb_feed *f)
{
	struct wb_feed_rel *r = &f->rel;
	struct wb_session_verdict v;
	struct wb_mold_pkt pkt;
	unsigned int i, j, n, any = 0, kept = 0;
	struct wb_feed_held *h;

	for (i = r->hbeg; i < r->nheld; i++) {
		h = &r->held[i];
		if (h->suspect) {
			kept++;
			continue;
		}
		if (h->seq > f->session.next_seq)
			break;
		any = 1;
		/* held packets were validated when they arrived */
		wb_mold_parse(r->arena + h->off, h->len, &pkt);
		n = wb_session_resume(&f->session, h->line, &pkt, &v);
		if (n != 0) {
			wb_feed_take(f, &pkt, &v, h->rx_tsc);
			rel_applied(f, h->line, n);
		}
		h->len = 0; /* released */
	}
	if (!any)
		return;
	wb_feed_flush_pending(f);
	if (kept == 0) {
		r->hbeg = i; /* a prefix was released */
	} else {
		for (i = r->hbeg, j = r->hbeg; i < r->nheld; i++)
			if (r->held[i].len != 0)
				r->held[j++] = r->held[i];
		r->nheld = j;
	}
	if (r->hbeg == r->nheld) {
		r->hbeg = r->nheld = 0;
		r->arena_used = 0;
	}
}

int
wb_feed_rel_hold(struct wb_feed *f, unsigned int line, uint64_t seq, uint64_t end,
		 const uint8_t *bytes, uint32_t len, uint64_t rx_tsc, int suspect)
{
	struct wb_feed_rel *r = &f->rel;
	uint32_t live = 0, off = 0;
	struct wb_feed_held *h;
	unsigned int i;
	uint8_t *t;

	if (r->nheld - r->hbeg == r->hold_packets || len > r->hold_bytes)
		return -1;
	if (len > r->hold_bytes - r->arena_used) {
		for (i = r->hbeg; i < r->nheld; i++)
			live += r->held[i].len;
		if (len > r->hold_bytes - live)
			return -1;
		for (i = r->hbeg; i < r->nheld; i++) {
			memcpy(r->arena2 + off, r->arena + r->held[i].off, r->held[i].len);
			r->held[i].off = off;
			off += r->held[i].len;
		}
		t = r->arena;
		r->arena = r->arena2;
		r->arena2 = t;
		r->arena_used = off;
	}
	if (r->nheld == r->hold_packets) { /* room at the front only */
		memmove(r->held, r->held + r->hbeg, (r->nheld - r->hbeg) * sizeof(*r->held));
		r->nheld -= r->hbeg;
		r->hbeg = 0;
	}
	/* by sequence, after those of the same sequence: nearly always the end */
	for (i = r->nheld; i > r->hbeg && r->held[i - 1].seq > seq; i--)
		;
	if (i != r->nheld)
		memmove(&r->held[i + 1], &r->held[i], (r->nheld - i) * sizeof(*r->held));
	r->nheld++;
	h = &r->held[i];
	h->seq = seq;
	h->end = end;
	h->rx_tsc = rx_tsc;
	h->off = r->arena_used;
	h->len = len;
	h->line = (uint16_t)line;
	h->suspect = (uint16_t)suspect;
	r->nsuspect[line & 1] += suspect != 0;
	memcpy(r->arena + r->arena_used, bytes, len);
	r->arena_used += len;
	r->stats.held++;
	return 0;
}

static int
rel_hold(struct wb_feed *f, unsigned int line, const struct wb_mold_pkt *pkt, uint64_t rx_tsc,
	 int suspect)
{
	return wb_feed_rel_hold(f, line, pkt->seq, pkt->seq + pkt->nmsgs, pkt->session,
				(uint32_t)(pkt->end - pkt->session), rx_tsc, suspect);
}

static void
rel_recovery_time(struct wb_feed *f, uint64_t ticks)
{
	struct wb_feed_rel *r = &f->rel;

	wb_histo_add(&r->recovery, ticks);
	r->stats.recovery_p50 = wb_histo_quantile(&r->recovery, 0.5);
	r->stats.recovery_max = r->recovery.max;
}

/*
 * Asks for everything missing up to the highest sequence known (capped):
 * the holes behind the first one too, and the packets held between them,
 * which come back as copies. One request at a time keeps the state small;
 * asking hole by hole would queue each behind the last.
 */
static void
rel_request(struct wb_feed *f, uint64_t now, int retry)
{
	struct wb_feed_rel *r = &f->rel;
	uint64_t from = f->session.next_seq, count = f->session.hi_seq - from;
	unsigned int shift = r->req_tries < 16 ? r->req_tries : 16;

	if (count > r->req_max)
		count = r->req_max;
	r->stats.requests++;
	r->stats.retries += retry != 0;
	if (f->sink.on_request(f->sink.req_ctx != NULL ? f->sink.req_ctx : f->sink.ctx,
				   f->session.id, from, (uint16_t)count) < 0)
		r->stats.request_errors++;
	r->req_active = 1;
	r->req_sent_any = 1;
	r->req_seq = from;
	r->req_end = from + count;
	r->req_last = now;
	r->req_deadline = now + (r->req_timeout << shift);
	r->req_tries++;
}

/* Sequences the open gap's timers: filled, window expired, request sent, timed out. */
static void
rel_check(struct wb_feed *f, uint64_t now)
{
	struct wb_feed_rel *r = &f->rel;
	uint64_t upto;
	unsigned int i;

	for (;;) {
		if (wb_session_missing(&f->session) == 0) {
			if (r->gap_open) {
				if (r->req_sent_any) {
					r->stats.recovered++;
					rel_recovery_time(f, rel_since(now, r->gap_first));
				} else {
					r->stats.filled++;
				}
			}
			r->gap_open = 0;
			r->req_active = 0;
			r->req_sent_any = 0;
			r->req_tries = 0;
			if (r->nlost == 0)
				wb_feed_stale_unset(f, WB_FEED_STALE_MID_START);
			return;
		}
		if (!r->gap_open) {
			r->gap_open = 1;
			r->gap_since = now;
			r->gap_first = now;
			for (i = r->hbeg; i < r->nheld; i++)
				if (!r->held[i].suspect && r->held[i].rx_tsc < r->gap_since)
					r->gap_since = r->gap_first = r->held[i].rx_tsc;
		}
		upto = rel_upto(f);
		if (r->req_active) {
			if (f->session.next_seq >= r->req_end) {
				r->req_active = 0; /* this range came; ask for the rest */
				r->req_tries = 0;
			} else if (now < r->req_deadline) {
				return;
			} else if (r->req_tries <= r->req_retries) {
				if (rel_since(now, r->req_last) < r->req_min)
					return;
				rel_request(f, now, 1);
				return;
			} else {
				r->stats.failed++;
				r->req_active = 0;
				r->req_tries = 0;
				goto declare;
			}
		}
		if (rel_since(now, r->gap_since) < r->hold_ticks)
			return;
		if (f->sink.on_request != NULL) {
			if (r->req_sent_any && rel_since(now, r->req_last) < r->req_min)
				return;
			rel_request(f, now, 0);
			return;
		}
		r->stats.hold_expired++;
declare:
		rel_declare(f, upto, now);
		rel_drain(f);
		/* the next hole's window runs from its oldest held packet */
		r->gap_open = 0;
		r->req_sent_any = 0;
		if (wb_session_missing(&f->session) != 0) {
			r->gap_open = 1;
			r->gap_since = r->gap_first = now;
			for (i = r->hbeg; i < r->nheld; i++)
				if (!r->held[i].suspect && r->held[i].rx_tsc < r->gap_since)
					r->gap_since = r->gap_first = r->held[i].rx_tsc;
		}
	}
}

/* Every open gap declared now, everything held applied. */
void
wb_feed_expire(struct wb_feed *f, uint64_t now)
{
	struct wb_feed_rel *r = &f->rel;

	if (f->pitch != NULL) {
		wb_feed_pitch_expire(f, now);
		wb_feed_rel_busy(f);
		wb_feed_burst_end(f);
		return;
	}
	wb_feed_flush_pending(f);
	if (r->req_active)
		r->stats.failed++;
	while (wb_session_missing(&f->session) != 0) {
		rel_declare(f, rel_upto(f), now);
		rel_drain(f);
	}
	r->gap_open = 0;
	r->req_active = 0;
	r->req_sent_any = 0;
	r->req_tries = 0;
	wb_feed_rel_busy(f);
	wb_feed_burst_end(f);
}

void
wb_feed_tick(struct wb_feed *f, uint64_t now)
{
	if (wb_likely(!f->rel_busy))
		return;
	wb_feed_flush_pending(f);
	if (f->pitch != NULL)
		wb_feed_pitch_tick(f, now);
	else
		rel_check(f, now);
	wb_feed_rel_busy(f);
	wb_feed_burst_end(f); /* publishes what the timers applied, if anything */
}

/* Drops the held packets keep() says no to; the others keep their order. */
static void
rel_keep(struct wb_feed *f, int (*keep)(const struct wb_feed_held *h, unsigned int line),
	 unsigned int line)
{
	struct wb_feed_rel *r = &f->rel;
	unsigned int i, j;

	r->nsuspect[0] = r->nsuspect[1] = 0;
	for (i = r->hbeg, j = 0; i < r->nheld; i++)
		if (keep(&r->held[i], line)) {
			if (r->held[i].suspect)
				r->nsuspect[r->held[i].line & 1]++;
			r->held[j++] = r->held[i];
		}
	r->hbeg = 0;
	r->nheld = j;
	if (j == 0)
		r->arena_used = 0;
}

static int
keep_but_line_suspects(const struct wb_feed_held *h, unsigned int line)
{
	return !h->suspect || h->line != line;
}

static int
keep_line_suspects(const struct wb_feed_held *h, unsigned int line)
{
	return h->suspect && h->line == line;
}

void
wb_feed_rel_forget_gaps(struct wb_feed *f)
{
	struct wb_feed_rel *r = &f->rel;

	r->nlost = 0;
	memset(r->lost_touch, 0, r->inst_words * sizeof(*r->lost_touch));
	r->gap_open = 0;
	r->req_active = 0;
	r->req_sent_any = 0;
	r->req_tries = 0;
}

void
wb_feed_rel_forget(struct wb_feed *f)
{
	struct wb_feed_rel *r = &f->rel;

	r->hbeg = r->nheld = 0;
	r->arena_used = 0;
	r->nsuspect[0] = r->nsuspect[1] = 0;
	wb_feed_rel_forget_gaps(f);
}

unsigned int
wb_feed_rel_datagram(struct wb_feed *f, unsigned int line, const struct wb_mold_pkt *pkt,
		     uint64_t rx_tsc, struct wb_session_verdict *v, unsigned int n)
{
	struct wb_feed_rel *r = &f->rel;
	struct wb_session *s = &f->session;
	struct wb_session_verdict vb;
	unsigned int taken = 0, i;
	uint64_t upto;

	if (line > WB_FEED_LINE_RECOVERY)
		line = WB_FEED_LINE_RECOVERY;
	if (v == NULL) {
		int same = s->have_id && memcmp(s->id, pkt->session, WB_MOLD_SESSION_LEN) == 0;

		if (pkt->seq != 0 && s->have_id && !same && wb_session_missing(s) != 0)
			wb_feed_expire(f, rx_tsc); /* the old session's holes, declared */
		if (r->nlost != 0 && same)
			wb_feed_rel_lost(f, pkt);
		v = &vb;
		n = wb_session_accept(s, line, pkt, v);
	}
	if (wb_unlikely(v->flags & WB_SV_NEW_SESSION))
		wb_feed_new_session(f, v);
	if (wb_unlikely(v->flags & WB_SV_REGRESS)) {
		/* what is held or asked for belongs to the old numbering, but
		 * for the copies this line sent since it stepped back: the new
		 * numbering's first packets */
		rel_keep(f, keep_line_suspects, line);
		for (i = r->hbeg; i < r->nheld; i++)
			r->held[i].suspect = 0;
		r->nsuspect[0] = r->nsuspect[1] = 0;
		wb_feed_rel_forget_gaps(f);
		wb_feed_stale_set(f, WB_FEED_STALE_REGRESS);
	} else if (line < WB_FEED_LINE_RECOVERY && r->nsuspect[line] != 0 &&
		   (!(v->flags & WB_SV_SUSPECT) || f->session.line[line].back == 1)) {
		/* the line caught up (a reorder), or stepped back anew */
		rel_keep(f, keep_but_line_suspects, line);
	}
	if (v->flags & WB_SV_SUSPECT) {
		rel_hold(f, line, pkt, rx_tsc, 1); /* not kept if full: then missed */
	}
	if (v->gap_count != 0) /* no reorder window: declared at once */
		wb_feed_gap_declared(f, v, rx_tsc);
	if (v->flags & WB_SV_AHEAD) {
		while (rel_hold(f, line, pkt, rx_tsc, 0) < 0) {
			r->stats.hold_full++;
			if (r->req_active)
				r->stats.failed++;
			r->req_active = 0;
			r->req_sent_any = 0;
			r->req_tries = 0;
			upto = rel_upto(f);
			rel_declare(f, upto < pkt->seq ? upto : pkt->seq, rx_tsc);
			rel_drain(f);
			if (pkt->seq <= s->next_seq) {
				n = wb_session_resume(s, line, pkt, v);
				if (n != 0) {
					taken = wb_feed_take(f, pkt, v, rx_tsc);
					rel_applied(f, line, n);
				}
				break;
			}
		}
	} else if (n != 0) {
		taken = wb_feed_take(f, pkt, v, rx_tsc);
		rel_applied(f, line, n);
	}
	if (r->nheld != r->hbeg)
		rel_drain(f);
	rel_check(f, rx_tsc);
	wb_feed_rel_busy(f);
	return taken;
}
