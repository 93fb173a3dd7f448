/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `wirebook top`: what one frame is made of (top_view.c samples and renders
 * it, as text or JSON) and what the interactive loop (cmd_top.c) changes.
 */
#ifndef WB_TOP_H
#define WB_TOP_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "wb_shm_stats.h"
#include "wirebook/wirebook.h"

#define TOP_MAX_REGIONS 64 /* NAME, NAME.1, ...: one per feed (WB_IO_MAX_CHANNELS) */
#define TOP_MAX_CH (8 * TOP_MAX_REGIONS)
#define TOP_MAX_READERS 16
#define TOP_MAX_SYMS 32
#define TOP_ACTIVE 10 /* instruments listed when none is picked */

/* One sample of everything a frame shows; rates are deltas of two. */
struct top_sample {
	struct timespec ts;
	struct wb_client_status st;
	struct wb_client_channel ch[TOP_MAX_CH];
	int nch;
	struct wb_client_reader rd[TOP_MAX_READERS];
	int nrd;
	int have_stats; /* the daemon's stats file was read */
	struct wb_stats_body sb;
};

enum top_sort { TOP_SORT_SYMBOL, TOP_SORT_ACTIVITY, TOP_SORT_SPREAD, TOP_SORT_TRADE, TOP_SORT_N };

struct top_view {
	const char *name;
	const char *dir;
	struct wb_client *c;			     /* NAME: books, state */
	struct wb_client *more[TOP_MAX_REGIONS - 1]; /* NAME.1...: their feeds, readers */
	int nmore;
	char syms[TOP_MAX_SYMS][WB_CLIENT_SYMBOL_LEN]; /* picked; none: the most active */
	int nsyms;
	enum top_sort sort;
	int reverse;
	uint64_t interval_ms;
	int width, height;	/* terminal size; 0: unlimited */
	const char *status;	/* bottom line (key help, prompt) */
	uint64_t *prev_updates; /* per instrument id, at the previous frame */
	uint64_t *cur_updates;
	uint32_t nupdates; /* ids in each: the region's max_instruments at start */
};

/* Reads the region, its readers and the daemon's stats file. */
void top_sample(struct top_view *v, struct top_sample *s);
/*
 * One frame from samples p (older) and s into out: text (tty set: each
 * line ends with clear-to-end-of-line, clipped to the terminal) or JSON.
 */
void top_render_text(struct top_view *v, const struct top_sample *p, const struct top_sample *s,
		     FILE *out, int tty);
void top_render_json(struct top_view *v, const struct top_sample *p, const struct top_sample *s,
		     FILE *out);
/* The symbol rows of a frame. */
struct top_row {
	struct wb_client_book b;
	double upd_rate; /* snapshot rewrites per second */
	int found;
	char want[WB_CLIENT_SYMBOL_LEN];
};

/* The picked symbols, or the most active instruments, sorted as v says. */
int top_rows(struct top_view *v, double secs, struct top_row *rows, int max);
double top_secs(const struct top_sample *p, const struct top_sample *s);
double top_rate(uint64_t a, uint64_t b, double secs);
const char *top_state(int s);
const char *top_tod(char *buf, size_t len, uint64_t ns);
const char *top_exch(char *buf, size_t len, uint64_t ns);
/* Stale flag of feed idx from the region, -1 if the region lacks it. */
int top_feed_stale(const struct top_sample *s, uint32_t idx);
/* "ok", "DOWN" (silent while its other line receives) or "idle". */
const char *top_line_health(const struct wb_stats_body *p, const struct wb_stats_body *s,
			    uint32_t i);
/* 1.2k, 3.4M: n in at most 6 characters. */
const char *top_human(char *buf, size_t len, double n);

#endif /* WB_TOP_H */
