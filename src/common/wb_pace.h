/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Replay pacing: releases records at the pace their timestamps were taken,
 * at a speed factor (--pace 1x, 10x, 0.5x) or as fast as possible (max).
 *
 * The schedule is absolute, never the sum of gaps: record i is due at
 * wall0 + (ts_i - ts0) / speed, where (ts0, wall0) are the first paced
 * record's timestamp and the wall time it was seen, so lateness never
 * accumulates. A timestamp earlier than the previous one (out-of-order
 * capture) is due with the previous record: the schedule never moves back.
 *
 * Release error is release time - due time, recorded per record in a
 * histogram (p50, p99, max in the replay's stats): the time taken once the
 * record was handed on (the daemon: enqueued to the replay port; `wirebook
 * replay`: given to the feed), not when the wait ended. The wait sleeps
 * until WB_PACE_SPIN_NS before the due time and spins the rest; the thread
 * that waits runs with a timer slack of 1 ns (the default 50 us slack let a
 * sleep end as late as the due time itself, making the spin useless). What
 * is left on a shared core is the scheduler's: a woken thread that does not
 * preempt the one running waits for the next tick (4 ms at HZ=250).
 *
 * Also: time-of-day parsing for --from (HH:MM:SS[.frac], ns since midnight,
 * the clock of ITCH timestamps).
 */
#ifndef WB_PACE_H
#define WB_PACE_H

#include <stdint.h>

#include "wb_histo.h"

#define WB_PACE_SPIN_NS 50000u

struct wb_pace {
	double speed;	   /* 0: max (no schedule) */
	int started;
	uint64_t ts0;	   /* timestamp of the first paced record */
	uint64_t wall0;	   /* wall time (wb_mono_ns) it was due */
	uint64_t last_due; /* the schedule never moves back */
	uint64_t backwards; /* records stamped before their predecessor */
	struct wb_histo err; /* release - due, ns */
};

/*
 * "max" -> 0, "1x" -> 1, "10x" -> 10, "0.5x" -> 0.5 (0.001x .. 10000x).
 * 0 or -EINVAL with wb_err_msg() naming the value.
 */
int wb_pace_parse(const char *s, double *speed);

/* "HH:MM:SS[.frac]" -> ns since midnight. 0 or -EINVAL with wb_err_msg(). */
int wb_tod_parse(const char *s, uint64_t *ns);

/* Formats ns since midnight as HH:MM:SS.mmm into buf (>= 16 bytes). */
const char *wb_tod_format(char *buf, uint64_t ns);

void wb_pace_init(struct wb_pace *p, double speed);

/*
 * Due time (wall ns) of a record stamped ts; the first call starts the
 * clock at `now`. For speed 0 returns now.
 */
uint64_t wb_pace_due(struct wb_pace *p, uint64_t ts, uint64_t now);

/* Waits until due (sleep, then spin the last WB_PACE_SPIN_NS). */
void wb_pace_wait(uint64_t due);
/*
 * The two halves, for a waiter that must look at something between sleeps:
 * one sleep toward due, at most max_ns, ending WB_PACE_SPIN_NS before it
 * (returns 1 if it slept, 0 once due is within the spin margin); then spin.
 */
int wb_pace_sleep(uint64_t due, uint64_t max_ns);
void wb_pace_spin(uint64_t due);

/* Records one release at `released` of a record due at `due`. */
static inline void
wb_pace_record(struct wb_pace *p, uint64_t due, uint64_t released)
{
	wb_histo_add(&p->err, released > due ? released - due : 0);
}

#endif /* WB_PACE_H */
