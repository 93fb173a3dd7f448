/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `wirebook book [--name NAME] [--dir DIR] [--depth N] [--json] [SYMBOL...]`:
 * the canonical book dump (wb_dump.h) read from a daemon's shared-memory
 * snapshots, live or stopped. It maps the region read-only and takes no
 * reader slot. Each instrument's levels come from one consistent snapshot;
 * with a live daemon, different instruments may be from different bursts.
 *
 * A book the daemon flagged stale (a gap it has not repaired) may be wrong:
 * its lines carry a seventh field, STALE, and a count goes to stderr, so a
 * diff against a trusted dump shows it rather than passing silently.
 * --json prints every instrument with its levels, sequence, exchange time
 * and stale flag as one JSON object.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wb_cmd.h"
#include "wb_dump.h"
#include "wb_json.h"
#include "wb_opt.h"
#include "wirebook/wirebook.h"

struct book_ent {
	uint32_t instrument;
	char symbol[WB_CLIENT_SYMBOL_LEN];
};

static int
book_cmp(const void *a, const void *b)
{
	const struct book_ent *x = a, *y = b;
	int c = strcmp(x->symbol, y->symbol);

	return c != 0 ? c : (x->instrument > y->instrument) - (x->instrument < y->instrument);
}

static int
book_wanted(const char *sym, char **syms, int nsyms)
{
	int i;

	if (nsyms == 0)
		return 1;
	for (i = 0; i < nsyms; i++)
		if (strcmp(sym, syms[i]) == 0)
			return 1;
	return 0;
}

static void
book_side(FILE *out, const char *sym, char side, const struct wb_client_level *lv, uint32_t n,
	  int exp, int stale)
{
	char px[WB_DUMP_PRICE_LEN];
	uint32_t i;

	for (i = 0; i < n; i++)
		fprintf(out, "%s\t%c\t%u\t%s\t%" PRIu64 "\t%" PRIu32 "%s\n", sym, side, i + 1,
			wb_dump_price(px, lv[i].price, exp), lv[i].shares, lv[i].orders,
			stale ? "\tSTALE" : "");
}

static void
book_json_side(FILE *out, const char *key, const struct wb_client_level *lv, uint32_t n, int exp)
{
	char px[WB_DUMP_PRICE_LEN];
	uint32_t i;

	fprintf(out, ",\"%s\":[", key);
	for (i = 0; i < n; i++)
		fprintf(out, "%s{\"price\":%s,\"shares\":%" PRIu64 ",\"orders\":%" PRIu32 "}",
			i ? "," : "", wb_dump_price(px, lv[i].price, exp), lv[i].shares, lv[i].orders);
	fputc(']', out);
}

/* One instrument as a JSON object (symbols are letters, digits, spaces). */
static void
book_json(FILE *out, const struct wb_client_book *b, uint32_t nb, uint32_t na, int first)
{
	char ts[4] = "";

	if (b->trading_state >= ' ' && b->trading_state < 127 && b->trading_state != '"' &&
	    b->trading_state != '\\')
		ts[0] = (char)b->trading_state;
	fprintf(out,
		"%s\n{\"symbol\":\"%s\",\"instrument\":%" PRIu32 ",\"stale\":%s,\"trading_state\":\"%s\","
		"\"last_seq\":%" PRIu64 ",\"exch_ts\":%" PRIu64 ",\"updates\":%" PRIu64,
		first ? "" : ",", b->symbol, b->instrument, b->stale ? "true" : "false", ts, b->last_seq,
		b->exch_ts, b->updates);
	book_json_side(out, "bids", b->bid, nb, b->price_exp);
	book_json_side(out, "asks", b->ask, na, b->price_exp);
	fputc('}', out);
}

static int
book_usage(FILE *f)
{
	fprintf(f,
		"usage: wirebook book [--name NAME] [--dir DIR] [--depth N] [--json] [SYMBOL...]\n"
		"  prints SYMBOL SIDE LEVEL PRICE SHARES ORDERS (tab separated) from the\n"
		"  shared-memory snapshots of daemon NAME (default '" WB_CLIENT_DEFAULT_NAME "'),\n"
		"  live or stopped; a stale book's lines end with STALE. --json: one JSON object\n");
	return f == stdout ? 0 : 2;
}

int
wb_cmd_book(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"name", required_argument, NULL, 'n'},
	    {"dir", required_argument, NULL, 'D'},
	    {"depth", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *name = WB_CLIENT_DEFAULT_NAME;
	struct wb_client_opts co;
	struct wb_client_book *b;
	struct wb_client_status st = WB_CLIENT_STATUS_INIT;
	struct book_ent *ent;
	struct wb_client *c;
	uint64_t depth = 0;
	uint32_t i, n = 0, max, nb, na;
	int ch, rc = 0, json = 0;
	uint32_t nstale = 0;

	wb_client_opts_default(&co);
	co.no_register = 1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "n:D:d:jh", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			name = optarg;
			break;
		case 'D':
			co.dir = optarg;
			break;
		case 'd':
			if (wb_opt_u64("--depth", optarg, 1, WB_CLIENT_MAX_DEPTH, &depth) != 0)
				return 2;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			return book_usage(stdout);
		default:
			return book_usage(stderr);
		}
	}
	c = wb_client_open(name, &co);
	if (c == NULL) {
		fprintf(stderr, "wirebook book: cannot open region '%s': %s\n", name,
			strerror(errno));
		return 1;
	}
	wb_client_status(c, &st);
	if (depth == 0)
		depth = st.depth;
	if (depth > st.depth)
		fprintf(stderr,
			"wirebook book: the snapshots hold %u levels per side; showing %u\n",
			st.depth, st.depth);
	max = wb_client_max_instruments(c);
	ent = malloc(sizeof(*ent) * max);
	b = malloc(sizeof(*b));
	if (ent == NULL || b == NULL) {
		fprintf(stderr, "wirebook book: out of memory\n");
		rc = 1;
		goto out;
	}
	b->size = sizeof(*b);
	for (i = 0; i < max; i++) {
		if (wb_client_book(c, i, b) != 0 || (b->nbid == 0 && b->nask == 0))
			continue;
		if (!book_wanted(b->symbol, argv + optind, argc - optind))
			continue;
		ent[n].instrument = i;
		memcpy(ent[n].symbol, b->symbol, sizeof(ent[n].symbol));
		n++;
	}
	qsort(ent, n, sizeof(*ent), book_cmp);
	if (json)
		fputs("{\"name\":", stdout), wb_json_str(stdout, name),
		    printf(",\"state\":\"%s\",\"depth\":%u,\"instruments\":[",
		       st.state == WB_CLIENT_LIVE ? "LIVE" : st.state == WB_CLIENT_STOPPED ? "STOPPED"
											  : "STARTING",
		       (unsigned int)depth);
	for (i = 0; i < n; i++) {
		int r = wb_client_book(c, ent[i].instrument, b);

		if (r != 0) {
			fprintf(stderr, "wirebook book: %s: %s\n", ent[i].symbol, strerror(-r));
			rc = 1;
			continue;
		}
		nb = b->nbid < depth ? b->nbid : (uint32_t)depth;
		na = b->nask < depth ? b->nask : (uint32_t)depth;
		nstale += b->stale;
		if (json) {
			book_json(stdout, b, nb, na, i == 0);
			continue;
		}
		book_side(stdout, ent[i].symbol, 'B', b->bid, nb, b->price_exp, b->stale);
		book_side(stdout, ent[i].symbol, 'S', b->ask, na, b->price_exp, b->stale);
	}
	if (json)
		printf("\n]}\n");
	if (nstale > 0)
		fprintf(stderr,
			"wirebook book: %u of %u books are STALE (a feed gap not yet repaired): "
			"they may be wrong\n",
			nstale, n);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "wirebook book: write error\n");
		rc = 1;
	}
out:
	free(b);
	free(ent);
	wb_client_close(c);
	return rc;
}
