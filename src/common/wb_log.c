/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_log.h"

#include <stdarg.h>
#include <stdio.h>

static wb_log_fn wb_log_sink;
static void *wb_log_ctx;

void
wb_log_set_sink(wb_log_fn fn, void *ctx)
{
	wb_log_sink = fn;
	wb_log_ctx = ctx;
}

void
wb_log(int level, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (wb_log_sink == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	wb_log_sink(wb_log_ctx, level, msg);
}

void
wb_log_stderr(void *ctx, int level, const char *msg)
{
	(void)level;
	fprintf(stderr, "%s: %s\n", ctx != NULL ? (const char *)ctx : "wirebook", msg);
}
