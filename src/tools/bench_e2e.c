/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `wirebook bench e2e`: packet on the wire -> event in the strategy.
 *
 * One measuring thread is both the exchange and the strategy. Pinned to its
 * own core (--cpu-measure), it sends MoldUDP64 packets of one ITCH 5.0
 * message each (adds and deletes of one order, so the book stays small)
 * from the exchange namespace into the veth, and polls the receiver under
 * test for what each packet caused, matched by feed sequence number: the
 * first event of that sequence in the wirebookd region (libwirebook), or its
 * mark in the floor's mark region. The receiver's rx lcore holds another
 * core (--cpu-rx).
 *
 * Modes:
 *   ping   send one packet, spin until it is seen (or 5 ms: lost), send the next
 *   rate   open loop at --rate messages/s: every packet has a scheduled send
 *          time on a fixed grid, latency is measured from it, so a stall of
 *          the sender, the kernel or the receiver counts against every packet
 *          it delays (no coordinated omission)
 *   burst  rate, plus 1 ms at ten times the rate every 100 ms
 * Three histograms per receiver and round: scheduled send -> seen (the
 * latency), scheduled send -> the receiver's rx burst returned (its rx_tsc:
 * the sender, the kernel, the veth and the PMD) and rx burst returned ->
 * seen (the receiver's own cost plus the strategy's poll). The first
 * --warmup-ms of each round are sent and matched but not recorded. Each
 * round starts every receiver afresh, in an order rotated every round, so
 * that drift of the host hits all of them alike; figures are medians of the
 * rounds, with their spread.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench_e2e.h"
#include "wb_compiler.h"
#include "wb_opt.h"

#define E2E_MSG_MAX 64
#define E2E_SEND_BATCH 32
#define E2E_PING_TIMEOUT_NS 5000000ull
#define E2E_DRAIN_NS 1000000000ull

struct e2e_meas {
	const struct e2e_opts *o;
	struct e2e_rx *rx;
	struct e2e_round *r;
	const struct wb_tsc_cal *cal;
	uint64_t *sched; /* TSC of each sequence's scheduled send, index seq */
	uint8_t *seen;
	uint64_t cap;	    /* sequences 1..cap-1 */
	uint64_t next_seq;  /* next to send */
	uint64_t first_rec; /* first sequence recorded */
	uint64_t nseen;
	int reset_done; /* the receiver's stage histograms emptied at the warm-up's end */
};

/* At the end of the warm-up: the daemon's own stage histograms start afresh. */
static void
e2e_warm_end(struct e2e_meas *me)
{
	if (me->reset_done)
		return;
	me->reset_done = 1;
	e2e_rx_stages_reset(me->o, me->rx);
}

/* One MoldUDP64 packet of one message: odd sequences add order seq, even delete seq - 1. */
static size_t
e2e_packet(uint8_t *p, uint64_t seq)
{
	uint8_t *m = p + 22;
	size_t len;

	memcpy(p, "WBE2E00001", 10);
	wb_put_be64(p + 10, seq);
	wb_put_be16(p + 18, 1);
	m[0] = (seq & 1) ? 'A' : 'D';
	wb_put_be16(m + 1, 1);
	wb_put_be16(m + 3, 0);
	wb_put_be48(m + 5, 34200000000000ull + seq);
	wb_put_be64(m + 11, (seq & 1) ? seq : seq - 1);
	if (seq & 1) {
		m[19] = 'B';
		wb_put_be32(m + 20, 100);
		memcpy(m + 24, "E2E     ", 8);
		wb_put_be32(m + 32, 1000000);
		len = 36;
	} else {
		len = 19;
	}
	wb_put_be16(p + 20, (uint16_t)len);
	return 22 + len;
}

static void
e2e_record(struct e2e_meas *me, uint64_t seq, uint64_t rx_tsc, uint64_t now)
{
	struct e2e_round *r = me->r;
	uint64_t s;

	if (seq == 0 || seq >= me->next_seq || me->seen[seq])
		return;
	me->seen[seq] = 1;
	me->nseen++;
	if (seq < me->first_rec)
		return;
	s = me->sched[seq];
	r->seen++;
	wb_histo_add(r->lat, now > s ? (uint64_t)wb_tsc_delta_ns(me->cal, now - s) : 0);
	wb_histo_add(r->wire, rx_tsc > s ? (uint64_t)wb_tsc_delta_ns(me->cal, rx_tsc - s) : 0);
	wb_histo_add(r->own, now > rx_tsc ? (uint64_t)wb_tsc_delta_ns(me->cal, now - rx_tsc) : 0);
}

static void
e2e_on_event(void *ctx, const struct wb_event *ev)
{
	struct e2e_meas *me = ctx;

	if (ev->type == WB_CLIENT_EV_LAPPED || ev->type == WB_EV_GAP)
		return;
	e2e_record(me, ev->seq, ev->rx_tsc, wb_rdtsc());
}

/* Everything the receiver has for us now. */
static void
e2e_poll(struct e2e_meas *me)
{
	struct e2e_rx *rx = me->rx;

	if (rx->client != NULL) {
		while (wb_client_poll(rx->client, e2e_on_event, me, 64) > 0)
			;
	} else if (rx->has_mark) {
		struct wb_mark_rec rec;
		uint64_t lost = 0;

		while (wb_mark_next(&rx->mark, &rec, &lost) == 1)
			e2e_record(me, rec.seq, rec.rx_tsc, wb_rdtsc());
	}
}

/* --sender packet: the frame around a MoldUDP64 payload of len bytes at f + E2E_HDR_LEN. */
static size_t
e2e_frame(const struct e2e_opts *o, uint8_t *f, size_t len, uint64_t seq)
{
	uint32_t sum = 0;
	unsigned int i;

	memcpy(f, o->hdr, E2E_HDR_LEN);
	wb_put_be16(f + 16, (uint16_t)(20 + 8 + len));
	wb_put_be16(f + 18, (uint16_t)seq); /* IP id */
	wb_put_be16(f + 38, (uint16_t)(8 + len));
	for (i = 14; i < 34; i += 2)
		sum += (uint32_t)f[i] << 8 | f[i + 1];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	wb_put_be16(f + 24, (uint16_t)~sum);
	return E2E_HDR_LEN + len;
}

static int
e2e_send(struct e2e_meas *me, int sock, uint64_t first, unsigned int n)
{
	static uint8_t buf[E2E_SEND_BATCH][E2E_HDR_LEN + E2E_MSG_MAX];
	const struct e2e_opts *o = me->o;
	const size_t off = o->sender == E2E_SEND_PACKET ? E2E_HDR_LEN : 0;
	struct mmsghdr mm[E2E_SEND_BATCH];
	struct iovec iov[E2E_SEND_BATCH];
	unsigned int i;
	int rc;

	memset(mm, 0, sizeof(mm[0]) * n);
	for (i = 0; i < n; i++) {
		iov[i].iov_base = buf[i];
		iov[i].iov_len = e2e_packet(buf[i] + off, first + i);
		if (off != 0)
			iov[i].iov_len = e2e_frame(o, buf[i], iov[i].iov_len, first + i);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	rc = sendmmsg(sock, mm, n, 0);
	if (rc < (int)n) {
		me->r->send_errors += n - (unsigned int)(rc < 0 ? 0 : rc);
		return rc < 0 ? 0 : rc;
	}
	return rc;
}

/* Waits (a bounded time) for what was sent and not seen yet: late is not lost. */
static void
e2e_drain(struct e2e_meas *me)
{
	uint64_t end = wb_rdtsc() + (uint64_t)(E2E_DRAIN_NS * me->cal->ticks_per_ns);

	while (me->nseen < me->next_seq - 1 && wb_rdtsc() < end)
		e2e_poll(me);
}

static void
e2e_run_ping(struct e2e_meas *me, int sock, uint64_t warm_tsc, uint64_t end_tsc)
{
	const uint64_t timeout = (uint64_t)(E2E_PING_TIMEOUT_NS * me->cal->ticks_per_ns);
	uint64_t now = wb_rdtsc();

	me->first_rec = me->cap;
	while (now < end_tsc && me->next_seq < me->cap) {
		uint64_t seq = me->next_seq;

		if (now >= warm_tsc && me->first_rec == me->cap) {
			e2e_warm_end(me);
			me->first_rec = me->next_seq;
			seq = me->next_seq;
		}
		me->sched[seq] = wb_rdtsc();
		me->next_seq++;
		if (e2e_send(me, sock, seq, 1) != 1)
			continue;
		do {
			e2e_poll(me);
			now = wb_rdtsc();
		} while (!me->seen[seq] && now - me->sched[seq] < timeout);
	}
	e2e_drain(me);
}

/* Scheduled send times of every sequence, on the rate's grid (and bursts). */
static uint64_t
e2e_schedule(struct e2e_meas *me, uint64_t t0, double total_ns)
{
	const double period = 1e9 / (double)me->o->rate;
	double t = 0.0;
	uint64_t seq = 1;

	while (t < total_ns && seq < me->cap) {
		double in_window = fmod(t, 100e6);

		me->sched[seq++] = t0 + (uint64_t)(t * me->cal->ticks_per_ns);
		t += me->o->mode == E2E_BURST && in_window < 1e6 ? period / 10.0 : period;
	}
	return seq; /* one past the last */
}

static void
e2e_run_rate(struct e2e_meas *me, int sock, uint64_t t0, uint64_t warm_tsc, uint64_t *last_send)
{
	uint64_t end = e2e_schedule(me, t0, (double)(me->o->warmup_ms + me->o->seconds * 1000u) * 1e6);
	uint64_t now, seq, give_up;
	const uint64_t reset_lead = (uint64_t)(50e6 * me->cal->ticks_per_ns);

	me->first_rec = end;
	for (seq = 1; seq < end; seq++)
		if (me->sched[seq] >= warm_tsc) {
			me->first_rec = seq;
			break;
		}
	/* a sender that cannot keep the rate stops 1 s after the schedule ends:
	 * what it did not send is not counted (sent_msgs_per_s says so) */
	give_up = me->sched[end - 1] + (uint64_t)(1e9 * me->cal->ticks_per_ns);
	while (me->next_seq < end) {
		unsigned int n = 0;

		now = wb_rdtsc();
		if (now > give_up)
			break;
		/* 50 ms before the measured part: the request's stall (a unix socket
		 * round trip) must not land on scheduled packets that count */
		if (!me->reset_done && now + reset_lead >= warm_tsc)
			e2e_warm_end(me);
		while (me->next_seq + n < end && me->sched[me->next_seq + n] <= now &&
		       n < E2E_SEND_BATCH)
			n++;
		if (n != 0) {
			e2e_send(me, sock, me->next_seq, n);
			me->next_seq += n;
			*last_send = wb_rdtsc();
		}
		e2e_poll(me);
	}
	e2e_drain(me);
}

static double
e2e_thread_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
e2e_round(const struct e2e_opts *o, const struct wb_tsc_cal *cal, int sock, enum e2e_kind k,
	  struct e2e_round *r)
{
	struct e2e_meas me = {0};
	struct e2e_rx rx;
	uint64_t t0, warm, end, last_send = 0, measured_start;
	double cpu0, cpu1, per_s, s_cpu0;

	me.o = o;
	me.r = r;
	me.cal = cal;
	me.rx = &rx;
	per_s = o->mode == E2E_PING ? 200000.0 : (double)o->rate * 1.1;
	me.cap = (uint64_t)(per_s * ((double)o->seconds + o->warmup_ms / 1000.0)) + 64;
	me.sched = malloc(me.cap * sizeof(*me.sched));
	me.seen = malloc(me.cap);
	if (me.sched == NULL || me.seen == NULL) {
		snprintf(r->why, sizeof(r->why), "out of memory for %" PRIu64 " sequences", me.cap);
		goto out;
	}
	/* written now, so the sending loop takes no page faults (calloc's pages
	 * would be mapped on first touch, inside the measurement) */
	memset(me.sched, 0, me.cap * sizeof(*me.sched));
	memset(me.seen, 0, me.cap);
	if (e2e_rx_start(o, k, &rx, r->why, sizeof(r->why)) != 0)
		goto out;
	me.next_seq = 1;
	t0 = wb_rdtsc();
	warm = t0 + (uint64_t)((double)o->warmup_ms * 1e6 * cal->ticks_per_ns);
	end = warm + (uint64_t)((double)o->seconds * 1e9 * cal->ticks_per_ns);
	cpu0 = e2e_rx_cpu(&rx);
	s_cpu0 = e2e_thread_cpu();
	if (o->mode == E2E_PING)
		e2e_run_ping(&me, sock, warm, end);
	else
		e2e_run_rate(&me, sock, t0, warm, &last_send);
	/* what one message costs the sender (its syscall and, over a veth, the
	 * receiving side's softirq run on its core): its ceiling at a whole core */
	r->sender_cpu_s = e2e_thread_cpu() - s_cpu0;
	cpu1 = e2e_rx_cpu(&rx);
	if (k != E2E_BARE && e2e_rx_stages_read(o, &rx, r) != 0)
		fprintf(stderr, "wirebook bench e2e: %s: no stage histograms from telemetry\n",
			e2e_kind_name[k]);
	/* the CPU time covers warm-up and measured part alike: per message of both */
	r->cpu_s = cpu0 >= 0 && cpu1 >= cpu0 ? cpu1 - cpu0 : -1.0;
	r->seconds = wb_tsc_delta_ns(cal, wb_rdtsc() - t0) / 1e9;
	measured_start = me.first_rec < me.next_seq ? me.sched[me.first_rec] : end;
	r->sent = me.next_seq > me.first_rec ? me.next_seq - me.first_rec : 0;
	r->lost = r->sent - r->seen;
	r->cpu_msgs = me.next_seq - 1;
	if (o->mode == E2E_PING)
		last_send = me.next_seq > 1 ? me.sched[me.next_seq - 1] : measured_start;
	r->rate_sent = last_send > measured_start
			   ? (double)r->sent / (wb_tsc_delta_ns(cal, last_send - measured_start) / 1e9)
			   : 0.0;
	r->ok = 1;
	if (r->sent == 0) {
		r->ok = 0;
		snprintf(r->why, sizeof(r->why),
			 "the sender never got past the warm-up (%" PRIu64 " messages sent in all): "
			 "rate not reached",
			 me.next_seq - 1);
	}
	e2e_rx_stop(o, &rx);
out:
	free(me.sched);
	free(me.seen);
}
