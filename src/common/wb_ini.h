/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A strict INI reader: a pure function over (buf, len) that hands every
 * section header and every key to a callback, with its line number, and
 * rejects what it does not understand instead of guessing.
 *
 * Accepted, one item a line (leading and trailing blanks ignored, CR LF as
 * LF):
 *   empty line
 *   ; comment        # comment          (whole lines only; no inline comments)
 *   [section name]   blanks inside the brackets are trimmed; not empty
 *   key = value      key not empty, made of [A-Za-z0-9_.-]; value may be empty
 * Rejected, naming the line: any other line (e.g. a line without '='), text
 * after a section's ']', a key before any section, a section given twice
 * (however spaced), a key given twice in one section, a NUL byte, a line
 * longer than WB_INI_MAX_LINE bytes.
 *
 * No DPDK, no EAL: the daemon's configuration, its tests and the fuzz target
 * all call the same function.
 */
#ifndef WB_INI_H
#define WB_INI_H

#include <stddef.h>

#define WB_INI_MAX_LINE 1024

struct wb_ini_item {
	unsigned int line;   /* 1-based */
	const char *section; /* trimmed name inside the brackets */
	const char *key;     /* NULL for the section header itself */
	const char *value;   /* NULL for a section header */
};

/*
 * Called for each section header (key == NULL) then for each of its keys.
 * Returns 0 to go on, or a negative value after writing a message to err
 * (errlen bytes): the parse stops and returns -EINVAL with *line set to the
 * item's line.
 */
typedef int (*wb_ini_cb)(void *ctx, const struct wb_ini_item *it, char *err, size_t errlen);

/*
 * Parses buf[0, len). Returns 0, or -EINVAL (-ENOMEM) with *line the
 * 1-based line of the problem (0 when no line is to blame, e.g. out of
 * memory) and err holding what is wrong ("[section] key: ..." when a key is
 * to blame); wb_err_msg() says the same prefixed with "line N: ". Never
 * reads outside buf.
 */
int wb_ini_parse(const char *buf, size_t len, wb_ini_cb cb, void *ctx, unsigned int *line,
		 char *err, size_t errlen);

#endif /* WB_INI_H */
