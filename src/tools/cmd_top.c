/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `wirebook top [--name NAME] [--dir DIR] [--interval MS] [--once] [--json]
 * [SYMBOL...]`: a live view of a daemon (top_view.c draws the frames).
 *
 * On a terminal it is interactive, like htop: the terminal is put in raw
 * mode (no echo, a key at a time) and restored on every way out, q, a
 * signal (INT, TERM, HUP, QUIT) or an error; each frame is drawn over the
 * last from the top-left corner, each line cleared to its end and the rest
 * of the screen cleared after the last, never the whole screen, so nothing
 * flickers. Keys: q quit, s next sort, r reverse, a add a symbol (typed,
 * Enter), x remove the last one, + and - slow down and speed up.
 *
 * Not on a terminal (a pipe, a script), or with --once, it prints one frame
 * (two samples `interval` apart, for the rates) and exits; --json prints
 * that frame as JSON.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "top.h"
#include "wb_cmd.h"
#include "wb_opt.h"

static struct termios top_saved;
static volatile sig_atomic_t top_raw, top_quit, top_resized;

static void
top_restore(void)
{
	if (!top_raw)
		return;
	/* cursor shown again, below everything drawn, original modes */
	fputs("\033[?25h\n", stdout);
	fflush(stdout);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &top_saved);
	top_raw = 0;
}

static void
top_on_signal(int sig)
{
	if (sig == SIGWINCH)
		top_resized = 1;
	else
		top_quit = sig;
}

static int
top_make_raw(void)
{
	struct termios t;

	if (tcgetattr(STDIN_FILENO, &top_saved) != 0)
		return -1;
	t = top_saved;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &t) != 0)
		return -1;
	top_raw = 1;
	atexit(top_restore);
	fputs("\033[?25l\033[2J", stdout); /* hide the cursor; one clear, at start only */
	return 0;
}

static void
top_winsize(struct top_view *v)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0) {
		v->width = ws.ws_col;
		v->height = ws.ws_row;
	}
}

static const char top_help[] =
    " q quit  s sort  r reverse  a add symbol  x remove symbol  +/- interval ";

/* Handles one key; returns 1 when the frame should be redrawn now. */
static int
top_key(struct top_view *v, int ch, char *prompt, size_t *plen, int *prompting)
{
	static char line[64];

	if (*prompting) {
		if (ch == '\r' || ch == '\n') {
			*prompting = 0;
			if (*plen > 0 && v->nsyms < TOP_MAX_SYMS) {
				size_t i;

				for (i = 0; i < *plen; i++)
					prompt[i] = (char)toupper((unsigned char)prompt[i]);
				snprintf(v->syms[v->nsyms++], WB_CLIENT_SYMBOL_LEN, "%.*s",
					 (int)*plen, prompt);
			}
		} else if (ch == 27) {
			*prompting = 0;
		} else if ((ch == 127 || ch == 8) && *plen > 0) {
			(*plen)--;
		} else if (ch > ' ' && ch < 127 && *plen < WB_CLIENT_SYMBOL_LEN - 1) {
			prompt[(*plen)++] = (char)ch;
		}
		if (*prompting) {
			snprintf(line, sizeof(line),
				 " add symbol: %.*s_ (Enter adds, Esc cancels) ", (int)*plen,
				 prompt);
			v->status = line;
		} else {
			v->status = top_help;
		}
		return 1;
	}
	switch (ch) {
	case 'q':
	case 'Q':
		top_quit = 1;
		return 0;
	case 's':
		v->sort = (enum top_sort)((v->sort + 1) % TOP_SORT_N);
		return 1;
	case 'r':
		v->reverse = !v->reverse;
		return 1;
	case 'a':
	case '/':
		*prompting = 1;
		*plen = 0;
		snprintf(line, sizeof(line), " add symbol: _ (Enter adds, Esc cancels) ");
		v->status = line;
		return 1;
	case 'x':
		if (v->nsyms > 0)
			v->nsyms--;
		return 1;
	case '+':
		if (v->interval_ms < 60000)
			v->interval_ms *= 2;
		return 0;
	case '-':
		if (v->interval_ms > 125)
			v->interval_ms /= 2;
		return 0;
	default:
		return 0;
	}
}

static int
top_usage(FILE *f)
{
	fprintf(f,
		"usage: wirebook top [--name NAME] [--dir DIR] [--interval MS] [--once] [--json] "
		"[SYMBOL...]\n"
		"  live view of daemon NAME (default '%s'); interactive on a terminal\n"
		"  (q quit, s sort, r reverse, a add symbol, x remove, +/- interval),\n"
		"  otherwise, or with --once, one frame; --json: that frame as JSON\n",
		WB_CLIENT_DEFAULT_NAME);
	return f == stdout ? 0 : 2;
}

/* Sleeps up to ms, returning early on a key; -1 on a key read, else 0. */
static int
top_wait(uint64_t ms, int interactive, int *key)
{
	struct pollfd pfd = {STDIN_FILENO, POLLIN, 0};
	unsigned char ch;

	if (!interactive) {
		struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};

		nanosleep(&ts, NULL);
		return 0;
	}
	if (poll(&pfd, 1, (int)ms) > 0 && read(STDIN_FILENO, &ch, 1) == 1) {
		*key = ch;
		return -1;
	}
	return 0;
}

static void
top_swap(struct top_view *v)
{
	uint64_t *t = v->prev_updates;

	v->prev_updates = v->cur_updates;
	v->cur_updates = t;
	memcpy(v->cur_updates, v->prev_updates, sizeof(uint64_t) * v->nupdates);
}

int
wb_cmd_top(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"name", required_argument, NULL, 'n'},
	    {"dir", required_argument, NULL, 'D'},
	    {"interval", required_argument, NULL, 'i'},
	    {"once", no_argument, NULL, '1'},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	static struct top_sample sa, sb;
	struct top_sample *p = &sa, *s = &sb, *t;
	struct top_view v;
	struct wb_client_opts co;
	struct sigaction act;
	char prompt[WB_CLIENT_SYMBOL_LEN];
	size_t plen = 0;
	int ch, once = 0, json = 0, interactive, prompting = 0, key, rc = 0, drawn;
	uint64_t interval = 1000;

	memset(&v, 0, sizeof(v));
	v.name = WB_CLIENT_DEFAULT_NAME;
	wb_client_opts_default(&co);
	co.no_register = 1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "n:D:i:1jh", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			v.name = optarg;
			break;
		case 'D':
			co.dir = optarg;
			v.dir = optarg;
			break;
		case 'i':
			if (wb_opt_u64("--interval", optarg, 1, 60000, &interval) != 0)
				return 2;
			break;
		case '1':
			once = 1;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			return top_usage(stdout);
		default:
			return top_usage(stderr);
		}
	}
	for (; optind < argc && v.nsyms < TOP_MAX_SYMS; optind++)
		snprintf(v.syms[v.nsyms++], WB_CLIENT_SYMBOL_LEN, "%s", argv[optind]);
	/* most active first when none is picked, else in the order asked */
	v.sort = v.nsyms == 0 ? TOP_SORT_ACTIVITY : TOP_SORT_SYMBOL;
	v.interval_ms = interval;
	v.status = top_help;
	v.c = wb_client_open(v.name, &co);
	if (v.c == NULL) {
		fprintf(stderr, "wirebook top: cannot open region '%s': %s\n", v.name,
			strerror(errno));
		return 1;
	}
	for (ch = 1; ch < TOP_MAX_REGIONS; ch++) {
		char more[80];

		snprintf(more, sizeof(more), "%s.%d", v.name, ch);
		v.more[v.nmore] = wb_client_open(more, &co);
		if (v.more[v.nmore] == NULL)
			break;
		v.nmore++;
	}
	v.nupdates = wb_client_max_instruments(v.c);
	v.prev_updates = calloc(v.nupdates, sizeof(uint64_t));
	v.cur_updates = calloc(v.nupdates, sizeof(uint64_t));
	if (v.prev_updates == NULL || v.cur_updates == NULL) {
		fprintf(stderr, "wirebook top: out of memory\n");
		rc = 1;
		goto out;
	}
	interactive = !once && !json && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	memset(&act, 0, sizeof(act));
	act.sa_handler = top_on_signal;
	sigemptyset(&act.sa_mask);
	sigaction(SIGINT, &act, NULL);
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGHUP, &act, NULL);
	sigaction(SIGQUIT, &act, NULL);
	sigaction(SIGWINCH, &act, NULL);
	if (interactive && top_make_raw() != 0)
		interactive = 0;
	if (interactive)
		top_winsize(&v);
	top_sample(&v, p);
	/* the first frame's symbol rates need a previous pass */
	top_rows(&v, 0, NULL, 0);
	top_swap(&v);
	drawn = 0;
	while (!top_quit) {
		key = 0;
		if (top_wait(v.interval_ms, interactive, &key) < 0) {
			/* redraw the last frame (older sample s, newer p) */
			if (top_key(&v, key, prompt, &plen, &prompting) && !top_quit && drawn) {
				fputs("\033[H", stdout);
				top_render_text(&v, s, p, stdout, 1);
				fflush(stdout);
			}
			continue;
		}
		if (top_quit)
			break;
		if (top_resized) {
			top_resized = 0;
			top_winsize(&v);
		}
		top_sample(&v, s);
		if (json) {
			top_render_json(&v, p, s, stdout);
		} else {
			if (interactive)
				fputs("\033[H", stdout);
			top_render_text(&v, p, s, stdout, interactive);
		}
		top_swap(&v);
		drawn = 1;
		if (fflush(stdout) != 0 || ferror(stdout)) {
			rc = 1;
			break;
		}
		if (!interactive)
			break;
		t = p;
		p = s;
		s = t;
	}
out:
	top_restore();
	free(v.prev_updates);
	free(v.cur_updates);
	while (v.nmore > 0)
		wb_client_close(v.more[--v.nmore]);
	wb_client_close(v.c);
	return rc;
}
