/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `wirebook top`'s frames. The region (libwirebook) gives the daemon's state,
 * heartbeat, event rates, per-feed health, stale flags, readers and the
 * books; the daemon's stats file (wb_shm_stats.h), when there is one, gives
 * what only the daemon knows as a whole: ports and their extended stats, rx
 * lcores, channels and feeds by their configured names, book errors. Rates
 * are deltas between two samples; times of day are local.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "top.h"
#include "wb_dump.h"

void
top_sample(struct top_view *v, struct top_sample *s)
{
	int i, n;

	/* the library fills what these sizes cover (wirebook.h) */
	s->st.size = sizeof(s->st);
	for (i = 0; i < TOP_MAX_CH; i++)
		s->ch[i].size = sizeof(s->ch[i]);
	for (i = 0; i < TOP_MAX_READERS; i++)
		s->rd[i].size = sizeof(s->rd[i]);
	wb_client_status(v->c, &s->st);
	s->nch = wb_client_channels(v->c, s->ch, 8);
	if (s->nch < 0)
		s->nch = 0;
	s->nrd = wb_client_readers(v->c, s->rd, TOP_MAX_READERS);
	if (s->nrd < 0)
		s->nrd = 0;
	/* the daemon's other regions: feed health and readers of its other
	 * rx lcores (feed ids are the daemon's, unique across regions) */
	for (i = 0; i < v->nmore; i++) {
		n = wb_client_channels(v->more[i], s->ch + s->nch, TOP_MAX_CH - s->nch);
		s->nch += n > 0 ? n : 0;
		n = wb_client_readers(v->more[i], s->rd + s->nrd, TOP_MAX_READERS - s->nrd);
		s->nrd += n > 0 ? n : 0;
	}
	/* a stats file left by an earlier daemon (one that could not remove
	 * it) describes another process: only this region's writer counts */
	s->have_stats = wb_stats_read(v->dir, v->name, &s->sb) == 0 && s->sb.pid == s->st.pid;
	clock_gettime(CLOCK_MONOTONIC, &s->ts);
}

const char *
top_human(char *buf, size_t len, double n)
{
	static const char *const unit[] = {"", "k", "M", "G", "T"};
	unsigned int u = 0;

	while (n >= 999.5 && u < 4) {
		n /= 1000.0;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%.0f", n);
	else
		snprintf(buf, len,
			 n < 9.95   ? "%.2f%s"
			 : n < 99.5 ? "%.1f%s"
				    : "%.0f%s",
			 n, unit[u]);
	return buf;
}

double
top_secs(const struct top_sample *p, const struct top_sample *s)
{
	return (double)(s->ts.tv_sec - p->ts.tv_sec) +
	       (double)(s->ts.tv_nsec - p->ts.tv_nsec) / 1e9;
}

double
top_rate(uint64_t a, uint64_t b, double secs)
{
	return secs > 0 && b >= a ? (double)(b - a) / secs : 0.0;
}

const char *
top_state(int s)
{
	return s == WB_CLIENT_LIVE	 ? "LIVE"
	       : s == WB_CLIENT_STARTING ? "STARTING"
	       : s == WB_CLIENT_STOPPED	 ? "STOPPED"
					 : "?";
}

/* CLOCK_REALTIME ns as HH:MM:SS local time. */
const char *
top_tod(char *buf, size_t len, uint64_t ns)
{
	time_t t = (time_t)(ns / 1000000000u);
	struct tm tm;

	if (ns == 0 || localtime_r(&t, &tm) == NULL)
		snprintf(buf, len, "-");
	else
		strftime(buf, len, "%H:%M:%S", &tm);
	return buf;
}

/* ITCH timestamp (ns since midnight) as HH:MM:SS.mmm. */
const char *
top_exch(char *buf, size_t len, uint64_t ns)
{
	uint64_t s = ns / 1000000000u;

	snprintf(buf, len, "%02u:%02u:%02u.%03u", (unsigned int)(s / 3600 % 100),
		 (unsigned int)(s / 60 % 60), (unsigned int)(s % 60),
		 (unsigned int)(ns / 1000000u % 1000));
	return buf;
}

static const char *
top_duration(char *buf, size_t len, uint64_t ns)
{
	uint64_t s = ns / 1000000000u;

	if (s >= 86400)
		snprintf(buf, len, "%ud%02uh", (unsigned int)(s / 86400),
			 (unsigned int)(s / 3600 % 24));
	else
		snprintf(buf, len, "%02u:%02u:%02u", (unsigned int)(s / 3600),
			 (unsigned int)(s / 60 % 60), (unsigned int)(s % 60));
	return buf;
}

/* Previous sample of the same feed (the region lists feeds by id). */
static const struct wb_client_channel *
top_prev_ch(const struct top_sample *p, uint32_t id)
{
	int i;

	for (i = 0; i < p->nch; i++)
		if (p->ch[i].id == id)
			return &p->ch[i];
	return NULL;
}

/* Stale flag of feed idx from the region, -1 if this region lacks it. */
int
top_feed_stale(const struct top_sample *s, uint32_t idx)
{
	int i;

	for (i = 0; i < s->nch; i++)
		if (s->ch[i].id == idx)
			return s->ch[i].stale;
	return -1;
}

/*
 * A line's health: receiving, or silent while the other line of its feed
 * receives (DOWN), or both silent (idle).
 */
const char *
top_line_health(const struct wb_stats_body *p, const struct wb_stats_body *s, uint32_t i)
{
	uint32_t j;
	int mine = s->chan[i].packets != p->chan[i].packets, other = 0;

	if (mine)
		return "ok";
	for (j = 0; j < s->nchan; j++)
		if (j != i && s->chan[j].feed_idx == s->chan[i].feed_idx &&
		    s->chan[j].packets != p->chan[j].packets)
			other = 1;
	return other ? "DOWN" : "idle";
}

static int top_sort_key;
static int top_sort_rev;

static double
top_spread(const struct top_row *r)
{
	return r->b.nbid && r->b.nask ? (double)r->b.ask[0].price - (double)r->b.bid[0].price
				      : 1e18;
}

static int
top_row_cmp(const void *x, const void *y)
{
	const struct top_row *a = x, *b = y;
	int c = 0;

	if (!a->found || !b->found)
		c = b->found - a->found;
	else if (top_sort_key == TOP_SORT_ACTIVITY)
		c = (a->upd_rate < b->upd_rate) - (a->upd_rate > b->upd_rate);
	else if (top_sort_key == TOP_SORT_SPREAD)
		c = (top_spread(a) > top_spread(b)) - (top_spread(a) < top_spread(b));
	else if (top_sort_key == TOP_SORT_TRADE)
		c = (a->b.last_trade_qty < b->b.last_trade_qty) -
		    (a->b.last_trade_qty > b->b.last_trade_qty);
	if (c == 0)
		c = strcmp(a->b.symbol, b->b.symbol);
	return top_sort_rev ? -c : c;
}

/*
 * The rows: the picked symbols, or the TOP_ACTIVE instruments whose
 * snapshots changed most since the last frame. Returns the count.
 */
int
top_rows(struct top_view *v, double secs, struct top_row *rows, int max)
{
	static struct top_row tmp;
	uint32_t i, n = wb_client_max_instruments(v->c);
	int k, nrows = 0;

	if (n > v->nupdates) /* a restarted daemon with a larger directory */
		n = v->nupdates;

	if (v->nsyms > 0) {
		for (k = 0; k < v->nsyms && nrows < max; k++) {
			struct top_row *r = &rows[nrows++];
			int loc = wb_client_lookup(v->c, v->syms[k]);

			memset(r, 0, sizeof(*r));
			r->b.size = sizeof(r->b);
			snprintf(r->want, sizeof(r->want), "%s", v->syms[k]);
			snprintf(r->b.symbol, sizeof(r->b.symbol), "%s", v->syms[k]);
			if (loc < 0 || (uint32_t)loc >= v->nupdates ||
			    wb_client_book(v->c, (uint32_t)loc, &r->b) != 0)
				continue;
			r->found = 1;
			v->cur_updates[loc] = r->b.updates;
			r->upd_rate = top_rate(v->prev_updates[loc], r->b.updates, secs);
		}
	} else {
		tmp.b.size = sizeof(tmp.b);
		for (i = 0; i < n; i++) {
			if (wb_client_book(v->c, i, &tmp.b) != 0 ||
			    tmp.b.symbol[0] == '\0')
				continue;
			v->cur_updates[i] = tmp.b.updates;
			tmp.upd_rate = top_rate(v->prev_updates[i], tmp.b.updates, secs);
			tmp.found = 1;
			/* keep the max most active: replace the least active */
			if (nrows < max) {
				rows[nrows++] = tmp;
				continue;
			}
			for (k = 0; k < nrows; k++)
				if (rows[k].upd_rate < tmp.upd_rate) {
					int m, least = 0;

					for (m = 1; m < nrows; m++)
						if (rows[m].upd_rate < rows[least].upd_rate)
							least = m;
					rows[least] = tmp;
					break;
				}
		}
	}
	top_sort_key = v->sort;
	top_sort_rev = v->reverse;
	if (nrows > 1)
		qsort(rows, (size_t)nrows, sizeof(rows[0]), top_row_cmp);
	return nrows;
}

/* Text output: lines clipped to the terminal, each cleared to its end. */
struct top_out {
	FILE *f;
	int tty, width, height, lines;
};

static void __attribute__((format(printf, 2, 3)))
top_printf(struct top_out *o, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (o->height > 0 && o->lines >= o->height - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (o->width > 0 && (int)strlen(line) > o->width)
		line[o->width] = '\0';
	fprintf(o->f, "%s%s\n", line, o->tty ? "\033[K" : "");
	o->lines++;
}

/* A duration in ns with a unit that keeps it short: 850ns, 12.3us, 4.56ms. */
static const char *
top_ns(char *buf, size_t len, uint64_t ns)
{
	if (ns < 1000)
		snprintf(buf, len, "%" PRIu64 "ns", ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%.1fus", (double)ns / 1e3);
	else
		snprintf(buf, len, "%.2fms", (double)ns / 1e6);
	return buf;
}

static const char *const top_sort_name[] = {"symbol", "activity", "spread", "last trade"};

void
top_render_text(struct top_view *v, const struct top_sample *p, const struct top_sample *s,
		FILE *out, int tty)
{
	static struct top_row rows[TOP_MAX_SYMS];
	struct top_out o = {out, tty, tty ? v->width : 0, tty ? v->height : 0, 0};
	const struct wb_stats_body *sp = p->have_stats ? &p->sb : &s->sb, *sb = &s->sb;
	double secs = top_secs(p, s);
	char a[16], b[16], c[16], d[16], t1[16], t2[32];
	uint32_t i;
	int k, n;

	top_printf(
	    &o, "wirebook top: %s  pid %u  %s%s  up %s  started %s  heartbeat %.1f ms ago  %s",
	    v->name, s->st.pid, top_state(s->st.state), s->st.alive ? "" : " (NOT ALIVE)",
	    top_duration(
		t1, sizeof(t1),
		s->have_stats && sb->update_ns > sb->start_ns ? sb->update_ns - sb->start_ns : 0),
	    top_tod(t2, sizeof(t2), s->st.epoch_ns), (double)s->st.heartbeat_age_ns / 1e6,
	    s->have_stats ? top_tod(c, sizeof(c), sb->update_ns) : "");
	top_printf(&o, "events %s/s (%s)  bursts %s/s  snapshots %s/s  ring %u  depth %u%s",
		   top_human(a, sizeof(a), top_rate(p->st.tail, s->st.tail, secs)),
		   top_human(b, sizeof(b), (double)s->st.tail),
		   top_human(c, sizeof(c), top_rate(p->st.bursts, s->st.bursts, secs)),
		   top_human(d, sizeof(d), top_rate(p->st.snapshots, s->st.snapshots, secs)),
		   s->st.ring_slots, s->st.depth, s->st.feed_stale ? "  FEED STALE" : "");
	if (s->st.stale_instruments)
		top_printf(&o,
			   "STALE: %u instruments flagged (a gap made their books untrustworthy)",
			   s->st.stale_instruments);
	if (!s->have_stats) {
		top_printf(&o,
			   "(no stats file %s/wirebook.%s.stats: ports, lcores and names need a "
			   "running wirebookd)",
			   v->dir ? v->dir : "/dev/shm", v->name);
	} else {
		top_printf(&o, "%s", "");
		top_printf(&o, "%-5s %-24s %8s %8s %8s %8s %8s  %s", "PORT", "device", "rx/s", "rx",
			   "missed", "nombuf", "errors", "xstats (non-zero)");
		for (i = 0; i < sb->nports; i++) {
			char xs[256] = "";
			size_t used = 0;
			uint32_t x;
			char e[16];

			for (x = 0; x < sb->port[i].nxstats && used < sizeof(xs) - 1; x++)
				used += (size_t)snprintf(
				    xs + used, sizeof(xs) - used, "%s%s=%s", x ? " " : "",
				    sb->port[i].xstats[x].name,
				    top_human(e, sizeof(e), (double)sb->port[i].xstats[x].value));
			top_printf(
			    &o, "%-5u %-24.24s %8s %8s %8" PRIu64 " %8" PRIu64 " %8" PRIu64 "  %s",
			    i, sb->port[i].name,
			    top_human(a, sizeof(a), top_rate(sp->port[i].rx, sb->port[i].rx, secs)),
			    top_human(b, sizeof(b), (double)sb->port[i].rx), sb->port[i].missed,
			    sb->port[i].nombuf, sb->port[i].errors, xs);
		}
		top_printf(&o, "%-5s %6s %8s %8s %9s %8s", "LCORE", "busy", "pkts/s", "packets",
			   "unmatched", "bad");
		for (i = 0; i < sb->nlcores; i++) {
			const struct wb_stats_lcore *l = &sb->lcore[i], *pl = &sp->lcore[i];
			uint64_t busy = l->busy_cycles - pl->busy_cycles;
			uint64_t all = busy + l->idle_cycles - pl->idle_cycles;

			top_printf(&o, "%-5u %5.1f%% %8s %8s %9" PRIu64 " %8" PRIu64, l->id,
				   all ? 100.0 * (double)busy / (double)all : 0.0,
				   top_human(a, sizeof(a), top_rate(pl->packets, l->packets, secs)),
				   top_human(b, sizeof(b), (double)l->packets), l->unmatched,
				   l->bad_frames);
		}
		if (sb->lat_count != 0)
			top_printf(&o,
				   "LATENCY rx burst -> events committed (%s bursts): p50 %s  p99 %s  "
				   "p99.9 %s  max %s",
				   top_human(a, sizeof(a), (double)sb->lat_count),
				   top_ns(b, sizeof(b), sb->lat_p50_ns), top_ns(c, sizeof(c), sb->lat_p99_ns),
				   top_ns(d, sizeof(d), sb->lat_p999_ns),
				   top_ns(t1, sizeof(t1), sb->lat_max_ns));
		top_printf(&o, "%s", "");
		top_printf(&o, "%-16s %-16s %4s %8s %8s %6s", "CHANNEL", "feed", "line", "pkts/s",
			   "packets", "health");
		for (i = 0; i < sb->nchan; i++)
			top_printf(
			    &o, "%-16.16s %-16.16s %4c %8s %8s %6s", sb->chan[i].name,
			    sb->chan[i].feed, sb->chan[i].line ? 'B' : 'A',
			    top_human(a, sizeof(a),
				      top_rate(sp->chan[i].packets, sb->chan[i].packets, secs)),
			    top_human(b, sizeof(b), (double)sb->chan[i].packets),
			    p->have_stats ? top_line_health(sp, sb, i) : "-");
		top_printf(&o, "%-16s %8s %8s %6s %7s %7s %6s %7s %7s %7s %6s %8s %5s", "FEED",
			   "msgs/s", "messages", "gaps", "lost", "dups", "bad", "unk_ref",
			   "dup_ref", "overfill", "full", "orders", "state");
		for (i = 0; i < sb->nfeeds; i++) {
			const struct wb_stats_feed *f = &sb->feed[i];
			int st = top_feed_stale(s, i);

			top_printf(&o,
				   "%-16.16s %8s %8s %6" PRIu64 " %7" PRIu64 " %7s %6" PRIu64
				   " %7" PRIu64 " %7" PRIu64 " %7" PRIu64 " %6" PRIu64 " %8s %5s",
				   f->name,
				   top_human(a, sizeof(a),
					     top_rate(sp->feed[i].messages, f->messages, secs)),
				   top_human(b, sizeof(b), (double)f->messages), f->gaps,
				   f->gap_msgs, top_human(c, sizeof(c), (double)f->dup_packets),
				   f->bad_packets + f->msg_errors, f->unknown_ref, f->duplicate_ref,
				   f->overfill, f->table_full,
				   top_human(d, sizeof(d), (double)f->live_orders),
				   st < 0 ? "-"
				   : st	  ? "STALE"
					  : "ok");
		}
		top_printf(&o, "%-16s %7s %7s %7s %7s %6s %6s %9s %9s %7s %7s %7s", "RECOVERY",
			   "held", "h_full", "requests", "retries", "recov", "failed", "p50", "max",
			   "regress", "bad_loc", "crossed");
		for (i = 0; i < sb->nfeeds; i++) {
			const struct wb_stats_feed *f = &sb->feed[i];

			top_printf(&o,
				   "%-16.16s %7s %7" PRIu64 " %7" PRIu64 " %7" PRIu64 " %6" PRIu64
				   " %6" PRIu64 " %9s %9s %7" PRIu64 " %7" PRIu64 " %7" PRIu64,
				   f->name, top_human(a, sizeof(a), (double)f->held), f->hold_full,
				   f->requests, f->retries, f->recovered, f->failed,
				   top_ns(b, sizeof(b), f->recovery_p50_us * 1000),
				   top_ns(c, sizeof(c), f->recovery_max_us * 1000), f->regressions,
				   f->bad_locate, f->crossed);
		}
	}
	if (!s->have_stats) {
		top_printf(&o, "%s", "");
		top_printf(&o, "%-5s %8s %10s %8s %8s %8s %6s", "FEED", "msgs/s", "messages",
			   "gaps", "lost", "bad", "state");
		for (k = 0; k < s->nch; k++) {
			const struct wb_client_channel *x = &s->ch[k], *px = top_prev_ch(p, x->id);

			top_printf(
			    &o, "%-5u %8s %10s %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %6s", x->id,
			    top_human(a, sizeof(a),
				      top_rate(px ? px->messages : x->messages, x->messages, secs)),
			    top_human(b, sizeof(b), (double)x->messages), x->gaps, x->gap_msgs,
			    x->bad_packets + x->bad_messages, x->stale ? "STALE" : "ok");
		}
	}
	if (s->nrd > 0) {
		top_printf(&o, "%s", "");
		top_printf(&o, "%-8s %10s %10s %8s", "READER", "delivered", "lag", "lapped");
		for (k = 0; k < s->nrd; k++)
			top_printf(&o, "%-8u %10s %10" PRIu64 " %8" PRIu64, s->rd[k].pid,
				   top_human(a, sizeof(a), (double)s->rd[k].delivered),
				   s->rd[k].lag, s->rd[k].lapped);
	}
	n = top_rows(v, secs, rows, v->nsyms > 0 ? TOP_MAX_SYMS : TOP_ACTIVE);
	top_printf(&o, "%s", "");
	top_printf(&o, "%-8s %9s %12s %12s %9s %8s %12s %10s %s  [%s%s]", "SYMBOL", "bid qty",
		   "bid", "ask", "ask qty", "upd/s", "exch time", "seq",
		   v->nsyms ? "" : "(most active)", top_sort_name[v->sort],
		   v->reverse ? ", reversed" : "");
	for (k = 0; k < n; k++) {
		const struct wb_client_book *bk = &rows[k].b;
		char bp[WB_DUMP_PRICE_LEN], ap[WB_DUMP_PRICE_LEN];

		if (!rows[k].found) {
			top_printf(&o, "%-8s (not in this region)", rows[k].want);
			continue;
		}
		top_printf(&o, "%-8s %9" PRIu64 " %12s %12s %9" PRIu64 " %8s %12s %10" PRIu64 "%s",
			   bk->symbol, bk->nbid ? bk->bid[0].shares : 0,
			   bk->nbid ? wb_dump_price(bp, bk->bid[0].price, bk->price_exp) : "-",
			   bk->nask ? wb_dump_price(ap, bk->ask[0].price, bk->price_exp) : "-",
			   bk->nask ? bk->ask[0].shares : 0,
			   top_human(a, sizeof(a), rows[k].upd_rate),
			   top_exch(t2, sizeof(t2), bk->exch_ts), bk->last_seq,
			   bk->stale ? "  STALE" : "");
	}
	if (tty) {
		/* clear what an older, longer frame left below, then the
		 * status line on the last row */
		fputs("\033[J", out);
		if (v->height > 0)
			fprintf(out, "\033[%d;1H", v->height);
		fprintf(out, "\033[7m%.*s\033[0m\033[K", v->width > 0 ? v->width : 200, v->status);
	}
}
