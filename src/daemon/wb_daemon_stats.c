/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The periodic one-line log and the exit summary. Both run on the main lcore
 * and only read counters: the io layer's flushed per-lcore blocks (relaxed
 * atomics), the ethdev stats, and the feeds' counters, which their rx lcore
 * writes with plain stores; aligned 64-bit loads cannot tear on the targets
 * we build for, and a value a few bursts old is fine for statistics.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "wb_book.h"
#include "wb_daemon.h"
#include "wb_daemon_snap.h"
#include "wb_feed_pitch.h"

void
wb_daemon_snap_totals(struct wb_daemon *d, struct wb_daemon_totals *t)
{
	struct wb_io_lcore_stats ls;
	struct wb_io_port_stats ps;
	unsigned int i, id;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < wb_io_nports(d->io); i++)
		if (wb_io_port_stats(d->io, i, &ps) == 0) {
			t->ipackets += ps.ipackets;
			t->imissed += ps.imissed;
			t->ierrors += ps.ierrors + ps.rx_nombuf;
		}
	for (i = 0; i < wb_io_nlcores(d->io); i++)
		if (wb_io_lcore_stats(d->io, i, &id, &ls) == 0) {
			t->packets += ls.packets;
			t->datagrams += ls.datagrams;
			t->unmatched += ls.unmatched + ls.not_udp;
			t->bad_frames += ls.bad_frames;
			t->busy_cycles += ls.busy_cycles;
			t->idle_cycles += ls.idle_cycles;
		}
	t->req_arp_ok = 1;
	for (i = 0; i < wb_io_nrequesters(d->io); i++) {
		struct wb_io_req_stats r;

		if (wb_io_req_stats(d->io, i, &r) != 0)
			continue;
		t->req_feeds++;
		t->req_sent += r.sent;
		t->req_failed += r.queue_full + r.tx_failed + r.no_mac;
		t->req_replies += r.replies;
		if (r.arp_state == WB_IO_ARP_RESOLVING)
			t->req_arp_ok = 0;
	}
	for (i = 0; i < d->nfeeds; i++) {
		struct wb_daemon_feed_snap f;

		wb_daemon_snap_feed(d, i, &f);
		t->messages += f.messages;
		t->gaps += f.gaps;
		t->gap_msgs += f.gap_msgs;
		t->dup_packets += f.dup_packets;
		t->errors += f.bad_packets + f.msg_unknown + f.msg_truncated + f.msg_malformed +
			     f.bad_locate + f.zero_shares;
		t->unknown_ref += f.unknown_ref;
		t->duplicate_ref += f.duplicate_ref;
		t->overfill += f.overfill;
		t->table_full += f.table_full;
		t->stale_feeds += f.stale != 0;
		t->regressions += f.regressions;
		t->requests += f.requests;
		t->recovered += f.recovered;
		t->failed += f.failed;
	}
}

void
wb_daemon_snap_feed(struct wb_daemon *d, unsigned int i, struct wb_daemon_feed_snap *o)
{
	const struct wb_feed_stats *fs = wb_feed_stats(d->feeds[i]);
	const struct wb_session_stats *ss = wb_feed_session_stats(d->feeds[i]);
	const struct wb_book_stats *bs = wb_book_stats(wb_feed_book(d->feeds[i]));
	const struct wb_feed_rel_stats *rs = wb_feed_rel_stats(d->feeds[i]);

	o->datagrams = fs->datagrams;
	o->messages = fs->messages;
	o->bad_packets = fs->bad_packets;
	o->pkt_truncated = fs->pkt_truncated;
	o->pkt_malformed = fs->pkt_malformed;
	o->msg_unknown = fs->msg_unknown;
	o->msg_truncated = fs->msg_truncated;
	o->msg_malformed = fs->msg_malformed;
	o->gaps = ss->gaps;
	o->gap_msgs = ss->gap_msgs;
	o->dup_packets = ss->dup_packets;
	o->dup_msgs = ss->dup_msgs;
	o->heartbeats = ss->heartbeats;
	o->session_changes = ss->session_changes;
	o->unknown_ref = bs->unknown_ref;
	o->duplicate_ref = bs->duplicate_ref;
	o->overfill = bs->overfill;
	o->table_full = bs->orders_full + bs->levels_full;
	o->bad_locate = bs->bad_locate;
	o->zero_shares = bs->zero_shares;
	o->crossed = bs->crossed;
	o->live_orders = bs->live_orders;
	o->live_levels = bs->live_levels;
	o->spilled_orders = bs->spilled_orders;
	o->spills = bs->spills;
	o->level_searches = bs->level_searches;
	o->stale = wb_feed_stale(d->feeds[i]);
	o->regressions = ss->regressions;
	o->mid_starts = ss->mid_starts;
	o->held = rs->held;
	o->hold_full = rs->hold_full;
	o->requests = rs->requests;
	o->retries = rs->retries;
	o->recovered = rs->recovered;
	o->recovered_msgs = rs->recovered_msgs;
	o->failed = rs->failed;
	o->late_filled = rs->late_filled;
	/* the feeds' clock is the TSC */
	o->recovery_p50_us = (uint64_t)(wb_tsc_delta_ns(&d->cal, rs->recovery_p50) / 1e3);
	o->recovery_max_us = (uint64_t)(wb_tsc_delta_ns(&d->cal, rs->recovery_max) / 1e3);
	if (wb_feed_pitch_seq(d->feeds[i]) != NULL) {
		/* PITCH sequences per unit: the same counters, all units */
		const struct wb_pitch_seq_stats *ps = &wb_feed_pitch_seq(d->feeds[i])->stats;

		o->gaps = ps->gaps;
		o->gap_msgs = ps->gap_msgs;
		o->dup_packets = ps->dup_packets;
		o->dup_msgs = ps->dup_msgs;
		o->heartbeats = ps->heartbeats;
		o->regressions = ps->regressions;
	}
}

void
wb_daemon_log_line(struct wb_daemon *d, FILE *out, double interval_s)
{
	static struct wb_daemon_totals prev;
	struct wb_daemon_totals t;
	uint64_t busy, all;

	wb_daemon_snap_totals(d, &t);
	busy = t.busy_cycles - prev.busy_cycles;
	all = busy + t.idle_cycles - prev.idle_cycles;
	fprintf(out,
		"wirebookd: rx %" PRIu64 " (%.0f pps) msgs %" PRIu64 " (%.0f/s) gaps %" PRIu64
		" dups %" PRIu64 " errors %" PRIu64 " unmatched %" PRIu64 " missed %" PRIu64
		" unknown_ref %" PRIu64 " duplicate_ref %" PRIu64 " overfill %" PRIu64
		" table_full %" PRIu64 " busy %.1f%% stale %" PRIu64 "/%u requests %" PRIu64
		" recovered %" PRIu64 " failed %" PRIu64 " regressions %" PRIu64,
		t.packets, (double)(t.packets - prev.packets) / interval_s, t.messages,
		(double)(t.messages - prev.messages) / interval_s, t.gaps, t.dup_packets,
		t.errors + t.bad_frames + t.ierrors, t.unmatched, t.imissed, t.unknown_ref,
		t.duplicate_ref, t.overfill, t.table_full,
		all ? 100.0 * (double)busy / (double)all : 0.0, t.stale_feeds, d->nfeeds,
		t.requests, t.recovered, t.failed, t.regressions);
	if (t.req_feeds != 0)
		fprintf(out, " req_sent %" PRIu64 " req_failed %" PRIu64 " replies %" PRIu64 " arp %s",
			t.req_sent, t.req_failed, t.req_replies, t.req_arp_ok ? "ok" : "unresolved");
	fputc('\n', out);
	fflush(out);
	prev = t;
}

void
wb_daemon_summary(struct wb_daemon *d, FILE *out, double seconds)
{
	const struct wb_daemon_cfg *c = d->cfg;
	struct wb_io_lcore_stats ls;
	struct wb_io_port_stats ps;
	struct wb_io_port_hwts hw;
	unsigned int i, id;

	fprintf(out, "seconds\t%.3f\n", seconds);
	for (i = 0; i < wb_io_nports(d->io); i++) {
		if (wb_io_port_stats(d->io, i, &ps) != 0 || wb_io_port_hwts(d->io, i, &hw) != 0)
			continue;
		fprintf(out,
			"port.%u\t%s\trx %" PRIu64 "\tbytes %" PRIu64 "\tmissed %" PRIu64
			"\terrors %" PRIu64 "\tnombuf %" PRIu64 "\ttx %" PRIu64
			"\thw_clock %s\thw_stamped %" PRIu64 "\thw_last_ns %" PRIu64 "\n",
			i, wb_io_port_name(d->io, i), ps.ipackets, ps.ibytes, ps.imissed,
			ps.ierrors, ps.rx_nombuf, ps.opackets, wb_io_hwclk_name[hw.clock],
			hw.stamped, hw.last_ns);
	}
	for (i = 0; i < wb_io_nlcores(d->io); i++) {
		uint64_t all;

		if (wb_io_lcore_stats(d->io, i, &id, &ls) != 0)
			continue;
		all = ls.busy_cycles + ls.idle_cycles;
		fprintf(
		    out,
		    "lcore.%u\tpackets %" PRIu64 "\tdatagrams %" PRIu64 "\tunmatched %" PRIu64
		    "\tnot_udp %" PRIu64 "\tbad_frames %" PRIu64 "\tfragments %" PRIu64
		    "\toversize %" PRIu64 "\tto_control %" PRIu64 "\tloops %" PRIu64
		    "\tbusy %.1f%%\tcycles/busy_loop %.0f\tcycles/packet %.0f\tns/packet %.1f"
		    "\tcapture_queued %" PRIu64 "\tcapture_dropped %" PRIu64 "\n",
		    id, ls.packets, ls.datagrams, ls.unmatched, ls.not_udp, ls.bad_frames,
		    ls.fragments, ls.oversize, ls.to_control, ls.loops,
		    all ? 100.0 * (double)ls.busy_cycles / (double)all : 0.0,
		    ls.busy_loops ? (double)ls.busy_cycles / (double)ls.busy_loops : 0.0,
		    ls.packets ? (double)ls.busy_cycles / (double)ls.packets : 0.0,
		    ls.packets ? wb_tsc_delta_ns(&d->cal, ls.busy_cycles) / (double)ls.packets
			       : 0.0,
		    ls.capture_queued, ls.capture_dropped);
		if (ls.oversize != 0)
			fprintf(stderr,
				"wirebookd: lcore %u: %" PRIu64 " frames larger than the mbuf "
				"(multi-segment) were dropped: raise [portN] mbuf_size\n",
				id, ls.oversize);
		if (ls.fragments != 0)
			fprintf(stderr,
				"wirebookd: lcore %u: %" PRIu64 " IPv4 fragments were dropped "
				"(MoldUDP64 datagrams are never fragmented: check the MTU on "
				"the path)\n",
				id, ls.fragments);
	}
	for (i = 0; i < c->nchan; i++)
		fprintf(out, "channel.%s\tfeed %s\tline %c\tpackets %" PRIu64 "\n", c->chan[i].name,
			c->chan[i].feed, c->chan[i].io.line ? 'B' : 'A',
			wb_io_channel_packets(d->io, i));
	for (i = 0; i < d->nfeeds; i++) {
		struct wb_daemon_feed_snap f;

		wb_daemon_snap_feed(d, i, &f);
		fprintf(out,
			"feed.%s\tdatagrams %" PRIu64 "\tmessages %" PRIu64 "\tgaps %" PRIu64
			"\tgap_msgs %" PRIu64 "\tdup_packets %" PRIu64 "\tdup_msgs %" PRIu64
			"\tbad_packets %" PRIu64 "\tpkt_truncated %" PRIu64
			"\tpkt_malformed %" PRIu64 "\tmsg_unknown %" PRIu64
			"\tmsg_truncated %" PRIu64 "\tmsg_malformed %" PRIu64
			"\tunknown_ref %" PRIu64 "\tduplicate_ref %" PRIu64 "\toverfill %" PRIu64
			"\ttable_full %" PRIu64 "\tlive_orders %" PRIu64 "\tlive_levels %" PRIu64
			"\tspilled_orders %" PRIu64 "\tspills %" PRIu64 "\tlevel_searches %" PRIu64
			"\tstale %" PRIu64 "\tregressions %" PRIu64 "\tmid_starts %" PRIu64
			"\theld %" PRIu64 "\thold_full %" PRIu64 "\trequests %" PRIu64
			"\tretries %" PRIu64 "\trecovered %" PRIu64 "\trecovered_msgs %" PRIu64
			"\tfailed %" PRIu64 "\tlate_filled %" PRIu64 "\trecovery_p50_us %" PRIu64
			"\trecovery_max_us %" PRIu64
			"\tsession_changes %" PRIu64 "\tbad_locate %" PRIu64 "\tzero_shares %" PRIu64
			"\tcrossed %" PRIu64 "\n",
			d->feed_name[i], f.datagrams, f.messages, f.gaps, f.gap_msgs, f.dup_packets,
			f.dup_msgs, f.bad_packets, f.pkt_truncated, f.pkt_malformed, f.msg_unknown,
			f.msg_truncated, f.msg_malformed, f.unknown_ref, f.duplicate_ref,
			f.overfill, f.table_full, f.live_orders, f.live_levels, f.spilled_orders,
			f.spills, f.level_searches, f.stale, f.regressions, f.mid_starts, f.held,
			f.hold_full, f.requests, f.retries, f.recovered, f.recovered_msgs, f.failed,
			f.late_filled, f.recovery_p50_us, f.recovery_max_us, f.session_changes,
			f.bad_locate, f.zero_shares, f.crossed);
		if (f.bad_locate != 0)
			fprintf(stderr,
				"wirebookd: feed %s: %" PRIu64 " messages named a stock locate at "
				"or above [book] max_instruments (%u) and were dropped: raise it\n",
				d->feed_name[i], f.bad_locate, c->max_instruments);
	}
	wb_daemon_req_summary(d, out);
	fflush(out);
}
