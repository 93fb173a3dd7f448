/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Log glue: library code never writes to a terminal itself. Where a module
 * has something to say that is not an error its caller gets back (a port's
 * link state at start-up, a feature that degraded but did not fail), it
 * hands the text to wb_log(), and the program decides where it goes by
 * installing a sink once, before its threads start (wirebookd: stderr with
 * its name). With no sink installed the message is dropped, so a test or a
 * tool that links the module stays quiet.
 *
 * Control path only: wb_log formats text, so the data path never calls it.
 */
#ifndef WB_LOG_H
#define WB_LOG_H

#include "wb_compiler.h"

/* syslog's numbers, so a sink can pass them on unchanged. */
enum wb_log_level {
	WB_LOG_ERR = 3,
	WB_LOG_WARNING = 4,
	WB_LOG_NOTICE = 5,
	WB_LOG_INFO = 6,
};

/* msg is one line without its newline, valid during the call only. */
typedef void (*wb_log_fn)(void *ctx, int level, const char *msg);

/* Installs the sink (NULL: drop everything). Not thread-safe: call at start-up. */
void wb_log_set_sink(wb_log_fn fn, void *ctx);
void wb_log(int level, const char *fmt, ...) wb_printf(2, 3);

/* A sink for programs: "CTX: msg\n" on stderr, ctx being the program's name. */
void wb_log_stderr(void *ctx, int level, const char *msg);

#endif /* WB_LOG_H */
