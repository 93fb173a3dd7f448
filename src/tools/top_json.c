/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `wirebook top --json`: the frame top_render_text() shows, as one JSON
 * object for scripts; counters raw, rates per second, times both raw (ns)
 * and as text.
 */
#include <inttypes.h>
#include <string.h>

#include "top.h"
#include "wb_dump.h"
#include "wb_json.h"

#define U64(k, v) fprintf(f, "\"%s\":%" PRIu64, (k), (uint64_t)(v))
#define DBL(k, v) fprintf(f, "\"%s\":%.1f", (k), (double)(v))
#define STR(k, v) (fprintf(f, "\"%s\":", (k)), wb_json_str(f, (v)))
#define SEP fputc(',', f)

static void
top_json_stats(FILE *f, const struct top_sample *p, const struct top_sample *s, double secs)
{
	const struct wb_stats_body *sb = &s->sb, *sp = p->have_stats ? &p->sb : &s->sb;
	uint32_t i, x;

	fputs(",\"ports\":[", f);
	for (i = 0; i < sb->nports; i++) {
		const struct wb_stats_port *q = &sb->port[i];

		fputs(i ? ",{" : "{", f);
		U64("port", i), SEP, STR("device", q->name), SEP, U64("rx", q->rx), SEP;
		DBL("rx_per_s", top_rate(sp->port[i].rx, q->rx, secs)), SEP;
		U64("rx_bytes", q->rx_bytes), SEP, U64("missed", q->missed), SEP;
		U64("nombuf", q->nombuf), SEP, U64("errors", q->errors), SEP, U64("tx", q->tx);
		fputs(",\"xstats\":{", f);
		for (x = 0; x < q->nxstats; x++) {
			if (x)
				SEP;
			U64(q->xstats[x].name, q->xstats[x].value);
		}
		fputs("}}", f);
	}
	fputs("],\"lcores\":[", f);
	for (i = 0; i < sb->nlcores; i++) {
		const struct wb_stats_lcore *l = &sb->lcore[i], *pl = &sp->lcore[i];
		uint64_t busy = l->busy_cycles - pl->busy_cycles;
		uint64_t all = busy + l->idle_cycles - pl->idle_cycles;

		fputs(i ? ",{" : "{", f);
		U64("lcore", l->id), SEP,
		    DBL("busy_pct", all ? 100.0 * (double)busy / (double)all : 0);
		SEP, U64("packets", l->packets), SEP;
		DBL("packets_per_s", top_rate(pl->packets, l->packets, secs)), SEP;
		U64("unmatched", l->unmatched), SEP, U64("bad_frames", l->bad_frames);
		fputc('}', f);
	}
	fputs("],\"channels\":[", f);
	for (i = 0; i < sb->nchan; i++) {
		const struct wb_stats_chan *c = &sb->chan[i];

		fputs(i ? ",{" : "{", f);
		STR("name", c->name), SEP, STR("feed", c->feed), SEP;
		STR("line", c->line ? "B" : "A"), SEP, U64("packets", c->packets), SEP;
		DBL("packets_per_s", top_rate(sp->chan[i].packets, c->packets, secs)), SEP;
		STR("health", p->have_stats ? top_line_health(sp, sb, i) : "-");
		fputc('}', f);
	}
	fputs("],\"latency\":{", f);
	U64("bursts", sb->lat_count), SEP, U64("p50_ns", sb->lat_p50_ns), SEP;
	U64("p99_ns", sb->lat_p99_ns), SEP, U64("p999_ns", sb->lat_p999_ns), SEP;
	U64("max_ns", sb->lat_max_ns);
	fputs("},\"feeds\":[", f);
	for (i = 0; i < sb->nfeeds; i++) {
		const struct wb_stats_feed *q = &sb->feed[i];
		int st = top_feed_stale(s, i);

		fputs(i ? ",{" : "{", f);
		STR("name", q->name), SEP, U64("messages", q->messages), SEP;
		DBL("messages_per_s", top_rate(sp->feed[i].messages, q->messages, secs)), SEP;
		U64("datagrams", q->datagrams), SEP, U64("gaps", q->gaps), SEP;
		U64("gap_msgs", q->gap_msgs), SEP, U64("dup_packets", q->dup_packets), SEP;
		U64("dup_msgs", q->dup_msgs), SEP, U64("heartbeats", q->heartbeats), SEP;
		U64("session_changes", q->session_changes), SEP;
		U64("bad_packets", q->bad_packets), SEP, U64("msg_errors", q->msg_errors), SEP;
		U64("unknown_ref", q->unknown_ref), SEP, U64("duplicate_ref", q->duplicate_ref),
		    SEP;
		U64("overfill", q->overfill), SEP, U64("table_full", q->table_full), SEP;
		U64("live_orders", q->live_orders), SEP, U64("live_levels", q->live_levels), SEP;
		U64("bad_locate", q->bad_locate), SEP, U64("zero_shares", q->zero_shares), SEP;
		U64("crossed", q->crossed), SEP, U64("regressions", q->regressions), SEP;
		U64("mid_starts", q->mid_starts), SEP, U64("held", q->held), SEP;
		U64("hold_full", q->hold_full), SEP, U64("requests", q->requests), SEP;
		U64("retries", q->retries), SEP, U64("recovered", q->recovered), SEP;
		U64("failed", q->failed), SEP, U64("late_filled", q->late_filled), SEP;
		U64("recovery_p50_us", q->recovery_p50_us), SEP;
		U64("recovery_max_us", q->recovery_max_us), SEP;
		fprintf(f, "\"stale\":%s", st < 0 ? "null" : st ? "true" : "false");
		fputc('}', f);
	}
	fputc(']', f);
}

void
top_render_json(struct top_view *v, const struct top_sample *p, const struct top_sample *s, FILE *f)
{
	static struct top_row rows[TOP_MAX_SYMS];
	double secs = top_secs(p, s);
	char t[32], px[24];
	int k, n;

	fputc('{', f);
	STR("name", v->name), SEP, U64("pid", s->st.pid), SEP, STR("state", top_state(s->st.state));
	fprintf(f, ",\"alive\":%s,", s->st.alive ? "true" : "false");
	U64("epoch_ns", s->st.epoch_ns), SEP, STR("started", top_tod(t, sizeof(t), s->st.epoch_ns));
	SEP, DBL("heartbeat_age_ms", (double)s->st.heartbeat_age_ns / 1e6), SEP;
	U64("events", s->st.tail), SEP, DBL("events_per_s", top_rate(p->st.tail, s->st.tail, secs));
	SEP, DBL("snapshots_per_s", top_rate(p->st.snapshots, s->st.snapshots, secs)), SEP;
	U64("ring_slots", s->st.ring_slots), SEP, U64("depth", s->st.depth), SEP;
	fprintf(f, "\"feed_stale\":%s,", s->st.feed_stale ? "true" : "false");
	U64("stale_instruments", s->st.stale_instruments);
	fprintf(f, ",\"daemon_stats\":%s", s->have_stats ? "true" : "false");
	if (s->have_stats)
		top_json_stats(f, p, s, secs);
	fputs(",\"readers\":[", f);
	for (k = 0; k < s->nrd; k++) {
		fputs(k ? ",{" : "{", f);
		U64("pid", s->rd[k].pid), SEP, U64("delivered", s->rd[k].delivered), SEP;
		U64("lag", s->rd[k].lag), SEP, U64("lapped", s->rd[k].lapped);
		fputc('}', f);
	}
	fputs("],\"symbols\":[", f);
	n = top_rows(v, secs, rows, v->nsyms > 0 ? TOP_MAX_SYMS : TOP_ACTIVE);
	for (k = 0; k < n; k++) {
		const struct wb_client_book *b = &rows[k].b;

		fputs(k ? ",{" : "{", f);
		STR("symbol", rows[k].found ? b->symbol : rows[k].want);
		fprintf(f, ",\"found\":%s", rows[k].found ? "true" : "false");
		if (rows[k].found) {
			SEP, STR("bid", b->nbid ? wb_dump_price(px, b->bid[0].price, b->price_exp) : "");
			SEP, U64("bid_qty", b->nbid ? b->bid[0].shares : 0);
			SEP, STR("ask", b->nask ? wb_dump_price(px, b->ask[0].price, b->price_exp) : "");
			SEP, U64("ask_qty", b->nask ? b->ask[0].shares : 0);
			SEP, U64("last_seq", b->last_seq), SEP, U64("exch_ts", b->exch_ts);
			SEP, STR("exch_time", top_exch(t, sizeof(t), b->exch_ts));
			SEP, DBL("updates_per_s", rows[k].upd_rate);
			fprintf(f, ",\"stale\":%s", b->stale ? "true" : "false");
		}
		fputc('}', f);
	}
	fputs("]}\n", f);
}
