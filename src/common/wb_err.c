/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_err.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char wb_err_buf[1024];

int
wb_err_set(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(wb_err_buf, sizeof(wb_err_buf), fmt, ap);
	va_end(ap);
	return err > 0 ? -err : err;
}

int
wb_err_append(int err, const char *fmt, ...)
{
	char prev[sizeof(wb_err_buf)];
	size_t n;
	va_list ap;

	memcpy(prev, wb_err_buf, sizeof(prev));
	va_start(ap, fmt);
	n = (size_t)vsnprintf(wb_err_buf, sizeof(wb_err_buf), fmt, ap);
	va_end(ap);
	if (n < sizeof(wb_err_buf) && prev[0] != '\0')
		snprintf(wb_err_buf + n, sizeof(wb_err_buf) - n, ": %s", prev);
	return err > 0 ? -err : err;
}

const char *
wb_err_msg(void)
{
	return wb_err_buf[0] != '\0' ? wb_err_buf : "unknown error";
}

void
wb_err_clear(void)
{
	wb_err_buf[0] = '\0';
}
