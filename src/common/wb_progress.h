/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Progress of a long replay on a terminal: one line on stderr redrawn in
 * place (position, messages/s, replayed time of day, ETA), at most a few
 * times a second. Off when stderr is not a terminal (a pipe, a file, a
 * journal), so logs never fill with carriage returns.
 */
#ifndef WB_PROGRESS_H
#define WB_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

struct wb_progress {
	int on;
	int drawn;
	FILE *out;
	uint64_t t0, next, interval_ns;
	char what[32];
};

/* On only if out is a terminal (isatty). */
void wb_progress_init(struct wb_progress *p, FILE *out, const char *what);

/*
 * Redraws if the interval passed. done/total: bytes of the input file (total
 * 0 when unknown: no percentage, no ETA); msgs: messages so far; tod: time
 * of day of the last record (ns since midnight, UINT64_MAX if unknown).
 */
void wb_progress_update(struct wb_progress *p, uint64_t done, uint64_t total, uint64_t msgs,
			uint64_t tod);

/* Clears the line (if one was drawn). */
void wb_progress_end(struct wb_progress *p);

/* Formats the line itself (what update draws); exposed for the tests. */
int wb_progress_format(char *buf, size_t cap, const char *what, uint64_t elapsed_ns, uint64_t done,
		       uint64_t total, uint64_t msgs, uint64_t tod);

#endif /* WB_PROGRESS_H */
