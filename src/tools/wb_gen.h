/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Deterministic ITCH 5.0 stream generator: the project's own test and
 * benchmark input, shaped like a trading day.
 *
 * A stream opens with a system event and one stock directory (R) and trading
 * action (H) per instrument, then order flow: instrument activity is skewed
 * (Zipf-like), each instrument's price walks around a mid, and adds, deletes,
 * partial cancels, replaces, executions and trades come in proportions close
 * to a real Nasdaq day. The generator tracks the orders it made live, so every
 * E C X D U it emits names a live order with enough shares. The same
 * parameters always give the same bytes.
 */
#ifndef WB_GEN_H
#define WB_GEN_H

#include <stdint.h>

#include "wb_itch50.h"

struct wb_gen_params {
	uint64_t seed;
	uint64_t messages;      /* total messages, directory included */
	uint32_t instruments;   /* default 1000, at most 65535 */
	uint32_t target_orders; /* live orders the flow hovers around (default 200000) */
	uint64_t start_ns;      /* first timestamp (default 09:30:00) */
	/*
	 * A replace (U) keeps the order's reference (new == orig): not valid ITCH,
	 * but the lifecycle of a PITCH Modify Order, which keeps its Order ID.
	 * Default 0; the PITCH generator sets it.
	 */
	int replace_keeps_ref;
	uint32_t gap_ns;        /* timestamps advance 1..gap_ns apart (default 2000) */
};

void wb_gen_params_default(struct wb_gen_params *p);

struct wb_gen;

/* Returns NULL with errno set and wb_err_msg() explaining. */
struct wb_gen *wb_gen_create(const struct wb_gen_params *p);
void wb_gen_destroy(struct wb_gen *g);

/*
 * Writes the next message into out (at least WB_ITCH_MAX_MSG_LEN bytes).
 * Returns its length, or 0 once `messages` have been produced.
 */
unsigned int wb_gen_next(struct wb_gen *g, uint8_t *out);

/* Shares left on the order of the last E or C message produced (0: it is gone). */
uint32_t wb_gen_remaining(const struct wb_gen *g);

/* Symbol of instrument `locate` (1-based locates), NUL terminated. */
const char *wb_gen_symbol(const struct wb_gen *g, uint16_t locate);

#endif /* WB_GEN_H */
