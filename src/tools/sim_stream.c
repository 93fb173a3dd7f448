/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The stream `wirebook sim` sends, its fault schedule and its history. See
 * sim.h. Everything is decided before the first datagram leaves, from one
 * splitmix64 generator seeded by --seed, so that a run can be repeated
 * exactly and a test can reason about what each line carried.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "wb_compiler.h"

void
sim_stream_init(struct sim_stream *s)
{
	memset(s, 0, sizeof(*s));
}

void
sim_stream_free(struct sim_stream *s)
{
	free(s->buf);
	free(s->pkt);
	free(s->msg);
	memset(s, 0, sizeof(*s));
}

static int
sim_grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 1024;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * elem);
	if (q == NULL)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

/* Records the messages of a MoldUDP64 datagram at buf + off in the history. */
static int
sim_stream_history(struct sim_stream *s, size_t off, size_t len)
{
	struct wb_mold_pkt pkt;
	struct wb_mold_iter it;
	const uint8_t *msg;
	uint16_t mlen;

	if (wb_mold_parse(s->buf + off, len, &pkt) != (int)len || pkt.nmsgs == 0)
		return 0;
	s->pkt[s->npkt].seq = pkt.seq;
	s->pkt[s->npkt].nmsgs = pkt.nmsgs;
	/* Keep the last contiguous run of one session. */
	if (!s->has_session || memcmp(s->session, pkt.session, WB_MOLD_SESSION_LEN) != 0 ||
	    pkt.seq != s->first_seq + s->nmsg) {
		memcpy(s->session, pkt.session, WB_MOLD_SESSION_LEN);
		s->has_session = 1;
		s->first_seq = pkt.seq;
		s->nmsg = 0;
	}
	if (sim_grow((void **)&s->msg, &s->cap_msg, s->nmsg + pkt.nmsgs, sizeof(*s->msg)) < 0)
		return -ENOMEM;
	wb_mold_iter_init(&it, &pkt);
	while (wb_mold_iter_next(&it, &msg, &mlen))
		s->msg[s->nmsg++] = (size_t)(msg - 2 - s->buf);
	return 0;
}

int
sim_stream_add(struct sim_stream *s, const uint8_t *dgram, size_t len)
{
	struct sim_pkt *p;

	if (sim_grow((void **)&s->buf, &s->cap, s->used + len, 1) < 0 ||
	    sim_grow((void **)&s->pkt, &s->cap_pkt, s->npkt + 1, sizeof(*s->pkt)) < 0)
		return -ENOMEM;
	p = &s->pkt[s->npkt];
	memset(p, 0, sizeof(*p));
	p->off = s->used;
	p->len = (uint32_t)len;
	memcpy(s->buf + s->used, dgram, len);
	s->used += len;
	if (!s->no_history && sim_stream_history(s, p->off, len) < 0)
		return -ENOMEM;
	s->npkt++;
	return 0;
}

size_t
sim_answer(const struct sim_stream *s, uint64_t lo, uint64_t hi, uint64_t seq, uint64_t count,
	   size_t payload, uint8_t *out, uint16_t *n)
{
	size_t used = WB_MOLD_HDR_LEN;
	uint64_t q;

	*n = 0;
	if (lo < s->first_seq)
		lo = s->first_seq;
	if (hi > s->first_seq + s->nmsg)
		hi = s->first_seq + s->nmsg;
	if (!s->has_session || seq < lo || seq >= hi || count == 0)
		return 0;
	if (payload > SIM_MAX_PAYLOAD)
		payload = SIM_MAX_PAYLOAD;
	for (q = seq; q < hi && q - seq < count && *n < 0xFFFEu; q++) {
		const uint8_t *b = s->buf + s->msg[q - s->first_seq];
		size_t blen = 2u + wb_be16(b);

		if (used + blen > payload)
			break;
		memcpy(out + used, b, blen);
		used += blen;
		(*n)++;
	}
	if (*n == 0)
		return 0;
	wb_mold_put_hdr(out, s->session, seq, *n);
	return used;
}

/* splitmix64: small, fast, and the same sequence everywhere. */
static uint64_t
sim_rand(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int
sim_draw(uint64_t *x, double p)
{
	return p > 0 && (double)(sim_rand(x) >> 11) * 0x1.0p-53 < p;
}

static int
sim_ev_cmp(const void *a, const void *b)
{
	const struct sim_ev *x = a, *y = b;

	if (x->slot != y->slot)
		return x->slot < y->slot ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->pkt < y->pkt ? -1 : x->pkt > y->pkt;
}

int
sim_schedule(size_t npkt, const struct sim_faults *f, struct sim_ev **out, size_t *nev,
	     struct sim_sched_stats *st)
{
	uint64_t x = f->seed, base = f->skew_lo < 0 ? (uint64_t) - (int64_t)f->skew_lo : 0;
	unsigned int nl = f->nlines == 2 ? 2 : 1, l;
	size_t k, n = 0, i, first;
	struct sim_ev *ev;
	uint8_t *lost;
	int span = f->skew_hi - f->skew_lo + 1;

	memset(st, 0, sizeof(*st));
	/* At most two events (a duplicate) per datagram per line. */
	ev = malloc((npkt * nl * 2 + 1) * sizeof(*ev));
	lost = malloc(npkt + 1);
	if (ev == NULL || lost == NULL) {
		free(ev);
		free(lost);
		return -ENOMEM;
	}
	/* Loss first, for every line at once: bit l set = lost on line l. */
	for (k = 0; k < npkt; k++) {
		int a = sim_draw(&x, f->loss[0]), b = sim_draw(&x, f->loss[1]);

		if (sim_draw(&x, f->loss_both) || (nl == 1 && a)) {
			lost[k] = 3;
			st->lost_both++;
		} else if (nl == 2 && a && b && f->keep_one) {
			lost[k] = 1;
			st->kept_one++;
		} else {
			lost[k] = (uint8_t)(a | b << 1);
			st->lost_both += lost[k] == 3;
		}
	}
	for (l = 0; l < nl; l++) {
		uint64_t y = f->seed ^ (0x5bd1e995ull * (l + 1));

		first = n;
		for (k = 0; k < npkt; k++) {
			int d = 0;

			if (lost[k] & (1u << l)) {
				st->line[l].lost++;
				continue;
			}
			if (l == 1)
				d = f->skew_lo + (int)(sim_rand(&y) % (uint64_t)span);
			ev[n].slot = (uint64_t)((int64_t)(k + base) + d);
			/* Skew is lateness, not reordering: a line keeps its order. */
			if (l == 1 && n > first && ev[n].slot < ev[n - 1].slot)
				ev[n].slot = ev[n - 1].slot;
			ev[n].pkt = (uint32_t)k;
			ev[n].line = (uint8_t)l;
			n++;
			if (sim_draw(&y, f->dup[l])) {
				ev[n] = ev[n - 1];
				n++;
				st->line[l].duplicated++;
			}
		}
		/* Reordering: swap a datagram with the line's next one (slots stay). */
		for (i = first; i + 1 < n; i++) {
			uint32_t t;

			if (ev[i].pkt == ev[i + 1].pkt || !sim_draw(&y, f->reorder[l]))
				continue;
			t = ev[i].pkt;
			ev[i].pkt = ev[i + 1].pkt;
			ev[i + 1].pkt = t;
			st->line[l].reordered++;
			i++;
		}
		st->line[l].sent = n - first;
	}
	free(lost);
	qsort(ev, n, sizeof(*ev), sim_ev_cmp);
	*out = ev;
	*nev = n;
	return 0;
}
