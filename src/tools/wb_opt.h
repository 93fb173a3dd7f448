/* SPDX-License-Identifier: BSD-3-Clause */
/* Command-line number parsing with bounds and a message naming the option. */
#ifndef WB_OPT_H
#define WB_OPT_H

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

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

#endif /* WB_OPT_H */
