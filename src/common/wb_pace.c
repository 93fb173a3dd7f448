/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_pace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include "wb_err.h"
#include "wb_tsc.h"

int
wb_pace_parse(const char *s, double *speed)
{
	char *end;
	double v;

	if (strcmp(s, "max") == 0) {
		*speed = 0;
		return 0;
	}
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || (end[0] != 'x' && end[0] != 'X') || end[1] != '\0' ||
	    !(v >= 0.001 && v <= 10000))
		return wb_err_set(EINVAL, "--pace: '%s' is not max or a speed 0.001x..10000x (1x, 10x, 0.5x)",
				  s);
	*speed = v;
	return 0;
}

int
wb_tod_parse(const char *s, uint64_t *ns)
{
	unsigned int h, m, sec;
	uint64_t frac = 0, scale = 100000000u;
	const char *p;
	int n = 0;

	if (sscanf(s, "%2u:%2u:%2u%n", &h, &m, &sec, &n) != 3 || n != 8 || h > 23 || m > 59 ||
	    sec > 59)
		goto bad;
	p = s + n;
	if (*p == '.') {
		p++;
		if (*p == '\0')
			goto bad;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (scale == 0)
				goto bad; /* finer than a nanosecond */
			frac += (uint64_t)(*p - '0') * scale;
			scale /= 10;
		}
	}
	if (*p != '\0')
		goto bad;
	*ns = ((uint64_t)h * 3600u + m * 60u + sec) * 1000000000u + frac;
	return 0;
bad:
	return wb_err_set(EINVAL, "--from: '%s' is not a time of day HH:MM:SS[.frac]", s);
}

const char *
wb_tod_format(char *buf, uint64_t ns)
{
	uint64_t s = ns / 1000000000u;

	snprintf(buf, 16, "%02u:%02u:%02u.%03u", (unsigned int)(s / 3600u % 100u),
		 (unsigned int)(s / 60u % 60u), (unsigned int)(s % 60u),
		 (unsigned int)(ns / 1000000u % 1000u));
	return buf;
}

void
wb_pace_init(struct wb_pace *p, double speed)
{
	memset(p, 0, sizeof(*p));
	p->speed = speed;
	wb_histo_init(&p->err);
}

uint64_t
wb_pace_due(struct wb_pace *p, uint64_t ts, uint64_t now)
{
	uint64_t due;

	if (p->speed <= 0)
		return now;
	if (!p->started) {
		p->started = 1;
		p->ts0 = ts;
		p->wall0 = now;
		p->last_due = now;
		return now;
	}
	if (ts < p->ts0) {
		p->backwards++;
		return p->last_due;
	}
	due = p->wall0 + (uint64_t)((double)(ts - p->ts0) / p->speed);
	if (due < p->last_due) {
		p->backwards++;
		return p->last_due;
	}
	p->last_due = due;
	return due;
}

int
wb_pace_sleep(uint64_t due, uint64_t max_ns)
{
	static _Thread_local int slack_set;
	uint64_t now = wb_mono_ns(), d;
	struct timespec ts;

	if (now + WB_PACE_SPIN_NS >= due)
		return 0;
	if (!slack_set) {
		/* per thread: only the threads that pace get exact wake-ups */
		prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
		slack_set = 1;
	}
	d = due - now - WB_PACE_SPIN_NS;
	if (d > max_ns)
		d = max_ns;
	ts.tv_sec = (time_t)(d / 1000000000u);
	ts.tv_nsec = (long)(d % 1000000000u);
	/* an early return (a signal) only means one more round */
	nanosleep(&ts, NULL);
	return 1;
}

void
wb_pace_spin(uint64_t due)
{
	while (wb_mono_ns() < due)
		;
}

void
wb_pace_wait(uint64_t due)
{
	while (wb_pace_sleep(due, UINT64_MAX))
		;
	wb_pace_spin(due);
}
