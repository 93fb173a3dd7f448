/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Error text for the cold path.
 *
 * The function where a failure starts sets a thread-local message with
 * wb_err_set(); callers on the way up add context with wb_err_append(); the
 * top (start-up, a tool's main) prints wb_err_msg(). The data path never
 * formats text: it bumps counters.
 */
#ifndef WB_ERR_H
#define WB_ERR_H

#include "wb_compiler.h"

/* Sets the message (replacing any previous one) and returns -err. */
int wb_err_set(int err, const char *fmt, ...) wb_printf(2, 3);
/* Prefixes context: "context: previous message". Returns -err. */
int wb_err_append(int err, const char *fmt, ...) wb_printf(2, 3);
const char *wb_err_msg(void);
void wb_err_clear(void);

#endif /* WB_ERR_H */
