/* SPDX-License-Identifier: BSD-3-Clause */
/* Prints every counter of a feed (messages per type, errors) as "name\tvalue". */
#ifndef WB_STATS_H
#define WB_STATS_H

#include <stdio.h>

#include "wb_feed.h"

void wb_stats_print(FILE *out, struct wb_feed *f);

/*
 * Calls fn with each message type the feed counts and its count: ITCH's
 * by their type letter (wb_itch_types order), PITCH's by name
 * (wb_pitch_types order), then the PITCH types skipped by their length as
 * "unknown_0xNN" (only those seen). What `replay --stats` prints as msg.NAME
 * and the daemon's telemetry as msg_NAME.
 */
void wb_stats_msg_types(const struct wb_feed *f,
			void (*fn)(void *ctx, const char *name, uint64_t count), void *ctx);

#endif /* WB_STATS_H */
