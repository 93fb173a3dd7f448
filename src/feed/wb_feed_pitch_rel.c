/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A PITCH feed's reorder window, per matching unit (docs/reliability.md,
 * docs/pitch.md). PITCH numbers messages per unit, so each unit is its own
 * MoldUDP64-like stream: a packet beyond its unit's next number
 * (wb_pitch_seq's verdict `ahead`) is copied into the feed's hold buffer
 * (wb_feed_rel.c's, keyed (unit << 32) | sequence, so a unit's packets sit
 * together and in order) and applied once the other line, or a late copy,
 * fills what is missing before it. The bounds are the MoldUDP64 window's
 * (hold_packets, hold_bytes, hold_ticks): a gap not filled within
 * hold_ticks of its first held packet is declared in that unit only (its
 * WB_EV_GAP event, its instruments stale, wb_feed_pitch.h), then what is
 * held behind it applied. When the buffer is full the unit with the oldest
 * open gap is declared first. A heartbeat beyond the next number holds
 * nothing; it only says how far the unit went.
 *
 * Nothing here runs while no unit has a gap open: the data path checks the
 * unit's gap_open flag, and wb_feed_tick() the feed's rel_busy. Nothing
 * allocates: the buffer is the feed's, sized at create.
 */
#include <string.h>

#include "wb_compiler.h"
#include "wb_feed_pitch_int.h"

static inline uint64_t
pitch_key(uint8_t unit, uint32_t seq)
{
	return ((uint64_t)unit << 32) | seq;
}

/* The index of a unit's first held packet; its nheld follow it. */
static unsigned int
pitch_held_first(const struct wb_feed_rel *r, uint8_t unit)
{
	uint64_t k = pitch_key(unit, 0);
	unsigned int lo = r->hbeg, hi = r->nheld, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (r->held[mid].seq < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Releases n of the unit's held packets from index first (its first ones). */
static void
pitch_release(struct wb_feed *f, uint8_t unit, unsigned int first, unsigned int n)
{
	struct wb_feed_rel *r = &f->rel;

	if (n == 0)
		return;
	memmove(&r->held[first], &r->held[first + n], (r->nheld - first - n) * sizeof(*r->held));
	r->nheld -= n;
	f->pitch->unit[unit].nheld -= n;
	if (r->nheld == 0)
		r->arena_used = 0;
}

/* Applies the unit's held packets it has reached, in order, and releases them. */
static void
pitch_drain(struct wb_feed *f, uint8_t unit)
{
	struct wb_feed_pitch *fp = f->pitch;
	struct wb_feed_pitch_unit *u = &fp->unit[unit];
	struct wb_feed_rel *r = &f->rel;
	struct wb_pitch_seq_verdict v;
	struct wb_pitch_pkt pkt;
	unsigned int first, j, n, done = 0;
	const struct wb_feed_held *h;

	if (u->nheld == 0)
		return;
	first = pitch_held_first(r, unit);
	for (j = first; j < first + u->nheld; j++) {
		h = &r->held[j];
		if ((uint32_t)h->seq > wb_pitch_seq_next(&fp->seq, unit))
			break;
		/* held packets were validated when they arrived; the ops the
		 * batch takes are values, so the arena may be reused at once */
		wb_pitch_parse(r->arena + h->off, h->len, &pkt);
		n = wb_pitch_seq_resume(&fp->seq, h->line, &pkt, &v);
		if (n != 0)
			wb_feed_pitch_apply(f, &pkt, v.skip, n, h->rx_tsc);
		done++;
	}
	pitch_release(f, unit, first, done);
}

/* Opens or closes the unit's gap from what it is missing now. */
static void
pitch_unit_check(struct wb_feed *f, uint8_t unit, uint64_t now)
{
	struct wb_feed_pitch *fp = f->pitch;
	struct wb_feed_pitch_unit *u = &fp->unit[unit];
	uint32_t next = wb_pitch_seq_next(&fp->seq, unit);
	int missing = u->nheld != 0 || u->hi_seq > next;
	unsigned int i, first;

	if (missing && !u->gap_open) {
		u->gap_open = 1;
		u->declared = 0;
		fp->nopen++;
		/* the window runs from the oldest packet that shows the hole */
		u->gap_since = now;
		first = pitch_held_first(&f->rel, unit);
		for (i = first; i < first + u->nheld; i++)
			if (f->rel.held[i].rx_tsc < u->gap_since)
				u->gap_since = f->rel.held[i].rx_tsc;
	} else if (!missing && u->gap_open) {
		u->gap_open = 0;
		fp->nopen--;
		if (!u->declared)
			f->rel.stats.filled++;
	}
	f->rel_busy = fp->nopen != 0;
}

/* Declares the unit's first hole (up to its first held packet), applies what follows it. */
static void
pitch_declare(struct wb_feed *f, uint8_t unit, uint64_t now)
{
	struct wb_feed_pitch *fp = f->pitch;
	struct wb_feed_pitch_unit *u = &fp->unit[unit];
	struct wb_pitch_seq_verdict v;
	uint32_t upto = u->hi_seq;

	if (u->nheld != 0)
		upto = (uint32_t)f->rel.held[pitch_held_first(&f->rel, unit)].seq;
	wb_pitch_seq_skip(&fp->seq, unit, upto, &v);
	if (v.gap_count != 0)
		wb_feed_pitch_gap(f, &v, now);
	u->declared = 1;
	pitch_drain(f, unit);
	if (u->gap_open) { /* the next hole's window runs from its oldest held packet */
		u->gap_open = 0;
		fp->nopen--;
		pitch_unit_check(f, unit, now);
	}
}

/* Declares the unit's holes whose window has expired by now. */
static void
pitch_unit_timer(struct wb_feed *f, uint8_t unit, uint64_t now)
{
	struct wb_feed_pitch_unit *u = &f->pitch->unit[unit];

	while (u->gap_open && now >= u->gap_since && now - u->gap_since >= f->rel.hold_ticks) {
		f->rel.stats.hold_expired++;
		pitch_declare(f, unit, now);
	}
}

/* The unit whose open gap is the oldest among those holding packets; -1 if none holds any. */
static int
pitch_oldest_holder(const struct wb_feed_pitch *fp)
{
	unsigned int i;
	int best = -1;

	for (i = 0; i < WB_PITCH_UNITS; i++)
		if (fp->unit[i].nheld != 0 &&
		    (best < 0 || fp->unit[i].gap_since < fp->unit[best].gap_since))
			best = (int)i;
	return best;
}

/* Holds a packet ahead of its unit; the buffer full, declares the oldest gaps until it fits. */
static unsigned int
pitch_hold(struct wb_feed *f, unsigned int line, const struct wb_pitch_pkt *pkt, uint64_t rx_tsc)
{
	struct wb_feed_pitch *fp = f->pitch;
	struct wb_feed_pitch_unit *u = &fp->unit[pkt->unit];
	uint64_t key = pitch_key(pkt->unit, pkt->seq);
	struct wb_pitch_seq_verdict v;
	unsigned int n;
	int victim;

	if (pkt->seq + pkt->count > u->hi_seq)
		u->hi_seq = pkt->seq + pkt->count;
	for (;;) {
		if (wb_feed_rel_hold(f, line, key, key + pkt->count, pkt->msgs - WB_PITCH_HDR_LEN,
				     pkt->length, rx_tsc, 0) == 0) {
			u->nheld++;
			return 0;
		}
		f->rel.stats.hold_full++;
		victim = pitch_oldest_holder(fp);
		if (victim >= 0) {
			pitch_declare(f, (uint8_t)victim, rx_tsc);
		} else { /* nothing held: a unit larger than the buffer */
			wb_pitch_seq_skip(&fp->seq, pkt->unit, pkt->seq, &v);
			if (v.gap_count != 0)
				wb_feed_pitch_gap(f, &v, rx_tsc);
			u->declared = 1;
		}
		if (pkt->seq <= wb_pitch_seq_next(&fp->seq, pkt->unit)) {
			n = wb_pitch_seq_resume(&fp->seq, line, pkt, &v);
			if (n != 0)
				wb_feed_pitch_apply(f, pkt, v.skip, n, rx_tsc);
			return n;
		}
	}
}

void
wb_feed_pitch_regress(struct wb_feed *f, uint8_t unit)
{
	struct wb_feed_pitch *fp = f->pitch;
	struct wb_feed_pitch_unit *u = &fp->unit[unit];

	fp->stats.regress_dropped_held += u->nheld;
	pitch_release(f, unit, pitch_held_first(&f->rel, unit), u->nheld);
	u->hi_seq = 0;
	if (u->gap_open) {
		u->gap_open = 0;
		fp->nopen--;
		f->rel_busy = fp->nopen != 0;
	}
	wb_feed_pitch_unit_stale(f, unit);
}

unsigned int
wb_feed_pitch_rel_datagram(struct wb_feed *f, unsigned int line, const struct wb_pitch_pkt *pkt,
			   uint64_t rx_tsc, const struct wb_pitch_seq_verdict *v0)
{
	struct wb_feed_pitch *fp = f->pitch;
	struct wb_feed_pitch_unit *u = &fp->unit[pkt->unit];
	struct wb_pitch_seq_verdict v;
	unsigned int n = 0;

	if (v0 != NULL)
		v = *v0;
	else
		n = wb_pitch_seq_accept(&fp->seq, line, pkt, &v);
	if (v0 == NULL && wb_unlikely(v.regress))
		wb_feed_pitch_regress(f, pkt->unit);
	if (v.ahead) {
		if (pkt->count == 0) { /* a heartbeat: the unit went this far */
			if (pkt->seq > u->hi_seq)
				u->hi_seq = pkt->seq;
		} else {
			n = pitch_hold(f, line, pkt, rx_tsc);
		}
	} else if (n != 0) {
		wb_feed_pitch_apply(f, pkt, v.skip, n, rx_tsc);
	}
	pitch_drain(f, pkt->unit);
	pitch_unit_check(f, pkt->unit, rx_tsc);
	if (u->gap_open)
		pitch_unit_timer(f, pkt->unit, rx_tsc);
	return n;
}

void
wb_feed_pitch_tick(struct wb_feed *f, uint64_t now)
{
	struct wb_feed_pitch *fp = f->pitch;
	unsigned int i;

	for (i = 0; i < WB_PITCH_UNITS && fp->nopen != 0; i++)
		if (fp->unit[i].gap_open)
			pitch_unit_timer(f, (uint8_t)i, now);
}

void
wb_feed_pitch_expire(struct wb_feed *f, uint64_t now)
{
	struct wb_feed_pitch *fp = f->pitch;
	unsigned int i;

	wb_feed_flush_pending(f);
	for (i = 0; i < WB_PITCH_UNITS && fp->nopen != 0; i++)
		while (fp->unit[i].gap_open)
			pitch_declare(f, (uint8_t)i, now);
}

uint64_t
wb_feed_pitch_missing(const struct wb_feed *f)
{
	const struct wb_feed_pitch *fp = f->pitch;
	const struct wb_feed_rel *r = &f->rel;
	uint64_t missing = 0, m, c;
	unsigned int i, j, first;

	for (i = 0; i < WB_PITCH_UNITS && fp->nopen != 0; i++) {
		const struct wb_feed_pitch_unit *u = &fp->unit[i];

		if (!u->gap_open)
			continue;
		/* what the unit went to, less what is held (copies overlap: at least 1) */
		m = u->hi_seq - wb_pitch_seq_next(&fp->seq, (uint8_t)i);
		first = pitch_held_first(r, (uint8_t)i);
		for (j = first; j < first + u->nheld; j++) {
			c = r->held[j].end - r->held[j].seq;
			m = m > c ? m - c : 0;
		}
		missing += m != 0 ? m : 1;
	}
	return missing;
}
