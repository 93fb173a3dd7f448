/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `wirebook replay --pace/--from`: wb_input_run() with a schedule. The
 * unpaced path stays wb_input_run(); this one ends the batch and the burst
 * before every wait, so what is released is applied (and its events sent to
 * the sink) at its due time, not when a batch happens to fill.
 */
#include <string.h>

#include "wb_input.h"
#include "wb_tsc.h"

int
wb_input_run_paced(struct wb_input *in, struct wb_feed *f, struct wb_input_pace_opts *o)
{
	uint8_t copy[WB_FEED_BATCH][256];
	const uint8_t *ptrs[WB_FEED_BATCH];
	uint16_t lens[WB_FEED_BATCH];
	struct wb_input_rec rec;
	unsigned int n = 0, nb = 0, burst = o->burst ? o->burst : 1;
	uint64_t seq = 1, recs = 0, due, now, done, total, last_ts = 0;
	int itch = wb_input_kind(in) == WB_INPUT_ITCH, live = o->from_tod == 0, rc;

#define FLUSH()                                                                                    \
	do {                                                                                       \
		if (nb != 0) {                                                                     \
			wb_feed_messages(f, ptrs, lens, nb, seq, 0);                              \
			seq += nb;                                                                 \
			nb = 0;                                                                    \
		}                                                                                  \
		wb_feed_burst_end(f);                                                              \
		n = 0;                                                                             \
	} while (0)

	wb_feed_set_sink(f, live ? o->sink : NULL);
	while ((rc = wb_input_next(in, &rec)) == 1) {
		if (!live && rec.tod_ns != UINT64_MAX && rec.tod_ns >= o->from_tod) {
			FLUSH();
			o->preroll = recs;
			wb_feed_set_sink(f, o->sink);
			live = 1;
		}
		if (live && o->speed > 0) {
			now = wb_mono_ns();
			due = wb_pace_due(o->pace, itch ? rec.tod_ns : rec.ts_ns, now);
			if (due > now) {
				FLUSH();
				wb_pace_wait(due);
				now = wb_mono_ns();
			}
			wb_pace_record(o->pace, due, now);
		}
		if (itch) {
			size_t l = rec.len < sizeof(copy[0]) ? rec.len : sizeof(copy[0]);

			memcpy(copy[nb], rec.data, l);
			ptrs[nb] = copy[nb];
			lens[nb] = (uint16_t)l;
			if (++nb == WB_FEED_BATCH) {
				wb_feed_messages(f, ptrs, lens, nb, seq, 0);
				seq += nb;
				nb = 0;
			}
		} else {
			wb_feed_datagram(f, 0, rec.data, rec.len, rec.ts_ns);
			last_ts = rec.ts_ns;
		}
		recs++;
		if (++n >= burst && nb == 0) {
			wb_feed_burst_end(f);
			n = 0;
		}
		if (o->progress != NULL && (recs & 63u) == 0) {
			wb_input_progress(in, &done, &total);
			wb_progress_update(o->progress, done, total, wb_feed_stats(f)->messages,
					   rec.tod_ns);
		}
	}
	FLUSH();
	/* the end of the input: what is still held waits for nothing more */
	wb_feed_expire(f, last_ts);
	if (!live)
		o->preroll = recs;
	if (o->progress != NULL)
		wb_progress_end(o->progress);
	return rc;
#undef FLUSH
}
