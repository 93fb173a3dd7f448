/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_progress.h"

#include <string.h>
#include <unistd.h>

#include "wb_pace.h"
#include "wb_tsc.h"

void
wb_progress_init(struct wb_progress *p, FILE *out, const char *what)
{
	memset(p, 0, sizeof(*p));
	p->out = out;
	p->on = out != NULL && isatty(fileno(out));
	p->interval_ns = 250000000u;
	p->t0 = wb_mono_ns();
	p->next = p->t0 + p->interval_ns;
	snprintf(p->what, sizeof(p->what), "%s", what);
}

int
wb_progress_format(char *buf, size_t cap, const char *what, uint64_t elapsed_ns, uint64_t done,
		   uint64_t total, uint64_t msgs, uint64_t tod)
{
	double el = (double)elapsed_ns / 1e9;
	char pos[48] = "", eta[32] = "", t[16];
	int n;

	if (total != 0) {
		snprintf(pos, sizeof(pos), "%5.1f%% %.2f/%.2f GB", 100.0 * (double)done / (double)total,
			 (double)done / 1e9, (double)total / 1e9);
		if (done != 0 && done <= total) {
			uint64_t left = (uint64_t)(el * (double)(total - done) / (double)done);

			snprintf(eta, sizeof(eta), "  ETA %u:%02u:%02u", (unsigned int)(left / 3600u),
				 (unsigned int)(left / 60u % 60u), (unsigned int)(left % 60u));
		}
	} else {
		snprintf(pos, sizeof(pos), "%.2f GB", (double)done / 1e9);
	}
	n = snprintf(buf, cap, "%s: %s  %.2f M msg/s%s%s%s", what, pos,
		     el > 0 ? (double)msgs / el / 1e6 : 0.0, tod != UINT64_MAX ? "  at " : "",
		     tod != UINT64_MAX ? wb_tod_format(t, tod) : "", eta);
	return n;
}

void
wb_progress_update(struct wb_progress *p, uint64_t done, uint64_t total, uint64_t msgs,
		   uint64_t tod)
{
	char line[160];
	uint64_t now;

	if (!p->on)
		return;
	now = wb_mono_ns();
	if (now < p->next)
		return;
	p->next = now + p->interval_ns;
	wb_progress_format(line, sizeof(line), p->what, now - p->t0, done, total, msgs, tod);
	fprintf(p->out, "\r\033[K%s", line);
	fflush(p->out);
	p->drawn = 1;
}

void
wb_progress_end(struct wb_progress *p)
{
	if (p->on && p->drawn) {
		fputs("\r\033[K", p->out);
		fflush(p->out);
	}
	p->drawn = 0;
}
