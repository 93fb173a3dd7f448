/* SPDX-License-Identifier: BSD-3-Clause */
/* Prints every counter of a feed (messages per type, errors) as "name\tvalue". */
#ifndef WB_STATS_H
#define WB_STATS_H

#include <stdio.h>

#include "wb_feed.h"

void wb_stats_print(FILE *out, struct wb_feed *f);

#endif /* WB_STATS_H */
