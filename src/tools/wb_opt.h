/* SPDX-License-Identifier: BSD-3-Clause */
/* Command-line number parsing with bounds and a message naming the option. */
#ifndef WB_OPT_H
#define WB_OPT_H

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wb_feed.h"

static inline int
wb_opt_u64(const char *name, const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || v < lo || v > hi) {
		fprintf(stderr, "wirebook: %s: '%s' is not a number in [%" PRIu64 ", %" PRIu64 "]\n",
			name, s, lo, hi);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

/*
 * --protocol: "moldudp64-itch50" (or "itch") and "pitch" give enum
 * wb_feed_protocol, "auto" -1: detect it from the input's bytes.
 */
static inline int
wb_opt_protocol(const char *name, const char *s, int *out)
{
	if (strcmp(s, "moldudp64-itch50") == 0 || strcmp(s, "itch") == 0)
		*out = WB_FEED_MOLD_ITCH50;
	else if (strcmp(s, "pitch") == 0)
		*out = WB_FEED_PITCH;
	else if (strcmp(s, "auto") == 0)
		*out = -1;
	else {
		fprintf(stderr, "wirebook: %s: '%s' is not moldudp64-itch50, itch, pitch or auto\n",
			name, s);
		return -EINVAL;
	}
	return 0;
}

#endif /* WB_OPT_H */
