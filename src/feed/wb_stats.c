/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_stats.h"

#include <inttypes.h>

#include "wb_feed_pitch.h"

#define P(name, v) fprintf(out, "%s\t%" PRIu64 "\n", name, (uint64_t)(v))

void
wb_stats_msg_types(const struct wb_feed *f,
		   void (*fn)(void *ctx, const char *name, uint64_t count), void *ctx)
{
	const struct wb_pitch_adapt *a = wb_feed_pitch_adapt(f);
	const struct wb_pitch_adapt_stats *as;
	const struct wb_feed_stats *fs;
	char name[16];
	unsigned int i;

	if (a == NULL) {
		fs = wb_feed_stats(f);
		for (i = 0; i < WB_ITCH_NTYPES; i++) {
			name[0] = (char)wb_itch_types[i];
			name[1] = '\0';
			fn(ctx, name, fs->by_type[i]);
		}
		return;
	}
	as = wb_pitch_adapt_stats(a);
	for (i = 0; i < WB_PITCH_NTYPES; i++)
		fn(ctx, wb_pitch_type_name(wb_pitch_types[i]), wb_feed_stats(f)->by_type[i]);
	for (i = 0; i < 256; i++)
		if (as->unknown_by_type[i] != 0) {
			snprintf(name, sizeof(name), "unknown_0x%02X", i);
			fn(ctx, name, as->unknown_by_type[i]);
		}
}

static void
stats_print_type(void *ctx, const char *name, uint64_t count)
{
	fprintf((FILE *)ctx, "msg.%s\t%" PRIu64 "\n", name, count);
}

/* A PITCH feed: its message types by name, the skipped ones by code, its units. */
static void
wb_stats_pitch(FILE *out, const struct wb_feed *f, const struct wb_book_stats *bs)
{
	const struct wb_pitch_adapt_stats *as = wb_pitch_adapt_stats(wb_feed_pitch_adapt(f));
	const struct wb_pitch_seq_stats *ss = &wb_feed_pitch_seq(f)->stats;
	const struct wb_feed_pitch_stats *ps = wb_feed_pitch_stats(f);

	wb_stats_msg_types(f, stats_print_type, out);
	P("pitch.instruments", as->instruments);
	P("pitch.instruments_full", as->inst_full);
	P("pitch.symbol_table_grows", as->table_grows);
	P("pitch.long_names", as->long_names);
	P("pitch.definitions", as->definitions);
	/* the book applies Cboe's modify and remaining quantity (MODIFY, TRIM) */
	P("pitch.priority_kept", bs->modify_kept);
	P("pitch.remaining_cut", bs->trimmed);
	P("pitch.unit_clears", as->unit_clears);
	P("pitch.cleared_instruments", ps->unit_clears);
	P("pitch.end_of_session", as->end_of_session);
	P("pitch.pad_bytes", ps->pad_bytes);
	P("pitch.book_ops", ps->ops);
	P("session.packets", ss->packets);
	P("session.heartbeats", ss->heartbeats);
	P("session.unsequenced", ss->unsequenced);
	P("session.unit_starts", ss->unit_starts);
	P("session.gaps", ss->gaps);
	P("session.gap_msgs", ss->gap_msgs);
	P("session.dup_packets", ss->dup_packets);
	P("session.dup_msgs", ss->dup_msgs);
	P("session.regressions", ss->regressions);
	P("session.regress_dropped", ss->regress_dropped);
	P("session.regress_dropped_held", ps->regress_dropped_held);
	P("session.stale_units", ps->stale_units);
}

void
wb_stats_print(FILE *out, struct wb_feed *f)
{
	const struct wb_feed_stats *fs = wb_feed_stats(f);
	const struct wb_session_stats *ss = wb_feed_session_stats(f);
	const struct wb_book_stats *bs = wb_book_stats(wb_feed_book(f));
	const struct wb_feed_rel_stats *rs = wb_feed_rel_stats(f);

	P("datagrams", fs->datagrams);
	P("messages", fs->messages);
	if (wb_feed_pitch_adapt(f) == NULL)
		wb_stats_msg_types(f, stats_print_type, out);
	P("error.packet_truncated", fs->pkt_truncated);
	P("error.packet_malformed", fs->pkt_malformed);
	P("error.msg_unknown_type", fs->msg_unknown);
	P("error.msg_truncated", fs->msg_truncated);
	P("error.msg_malformed", fs->msg_malformed);
	if (wb_feed_pitch_adapt(f) != NULL) {
		wb_stats_pitch(out, f, bs);
		goto rest;
	}
	P("session.packets", ss->packets);
	P("session.heartbeats", ss->heartbeats);
	P("session.end_of_session", ss->end_of_session);
	P("session.unsequenced", ss->unsequenced);
	P("session.changes", ss->session_changes);
	P("session.gaps", ss->gaps);
	P("session.gap_msgs", ss->gap_msgs);
	P("session.dup_packets", ss->dup_packets);
	P("session.dup_msgs", ss->dup_msgs);
	P("session.mid_starts", ss->mid_starts);
	P("session.regressions", ss->regressions);
	P("session.regress_dropped", ss->regress_dropped);
	P("session.recovery_first", ss->line_first[WB_SESSION_LINE_RECOVERY]);
rest:
	P("hold.held", rs->held);
	P("hold.filled", rs->filled);
	P("hold.expired", rs->hold_expired);
	P("hold.full", rs->hold_full);
	P("recovery.requests", rs->requests);
	P("recovery.retries", rs->retries);
	P("recovery.request_errors", rs->request_errors);
	P("recovery.recovered", rs->recovered);
	P("recovery.recovered_msgs", rs->recovered_msgs);
	P("recovery.failed", rs->failed);
	P("recovery.late_filled", rs->late_filled);
	P("recovery.p50_ticks", rs->recovery_p50);
	P("recovery.max_ticks", rs->recovery_max);
	P("stale", wb_feed_stale(f));
	P("stale.events", rs->stale_events);
	P("stale.cleared", rs->stale_cleared);
	P("stale.book_resets", rs->book_resets);
	P("book.applied", bs->applied);
	P("book.unknown_ref", bs->unknown_ref);
	P("book.duplicate_ref", bs->duplicate_ref);
	P("book.overfill", bs->overfill);
	P("book.bad_locate", bs->bad_locate);
	P("book.zero_shares", bs->zero_shares);
	P("book.crossed", bs->crossed);
	P("book.bad_side", bs->bad_side);
	P("book.orders_full", bs->orders_full);
	P("book.levels_full", bs->levels_full);
	P("book.live_orders", bs->live_orders);
	P("book.live_levels", bs->live_levels);
	P("book.spilled_orders", bs->spilled_orders);
	P("book.spills", bs->spills);
	P("book.level_searches", bs->level_searches);
	P("book.bbo_changes", fs->bbo_changes);
}
