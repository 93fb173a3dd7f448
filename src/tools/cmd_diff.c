/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `wirebook diff A B`: compares two event recordings (wb_evrec.h) event by
 * event and names the first difference: its position, the field, both
 * values. Receive timestamps (rx_tsc) differ from run to run and are
 * ignored unless --timestamps. Exit 0 identical, 1 different, 2 error.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <wirebook/wirebook.h>

#include "wb_cmd.h"
#include "wb_evrec.h"

struct diff_field {
	const char *name;
	size_t off;
	size_t size;
};

#define F(n, m) {n, offsetof(struct wb_event, m), sizeof(((struct wb_event *)0)->m)}

static const struct diff_field diff_common[] = {
    F("ring_tag", ring_tag), F("seq", seq),   F("exch_ts", exch_ts), F("instrument", instrument),
    F("type", type),	     F("side", side), F("venue", venue),     F("flags", flags),
    F("qty", qty),
};
static const struct diff_field diff_order[] = {
    F("order.ref", u.order.ref), F("order.aux", u.order.aux), F("order.price", u.order.price)};
static const struct diff_field diff_bbo[] = {
    F("bbo.bid_px", u.bbo.bid_px), F("bbo.bid_qty", u.bbo.bid_qty),
    F("bbo.ask_px", u.bbo.ask_px), F("bbo.ask_qty", u.bbo.ask_qty)};
static const struct diff_field diff_trade[] = {F("trade.match", u.trade.match),
					       F("trade.reserved", u.trade.reserved),
					       F("trade.price", u.trade.price)};
static const struct diff_field diff_gap[] = {F("gap.from_seq", u.gap.from_seq),
					     F("gap.count", u.gap.count),
					     F("gap.resume_pos", u.gap.resume_pos)};
static const struct diff_field diff_dir[] = {F("directory.symbol", u.directory.symbol),
					     F("directory.price_exp", u.directory.price_exp)};
static const struct diff_field diff_trading[] = {F("trading.state", u.trading.state),
						 F("trading.reason", u.trading.reason)};
static const struct diff_field diff_raw[] = {F("raw", u.raw)};
static const struct diff_field diff_rx = F("rx_tsc", rx_tsc);
#undef F

static void
diff_value(char *buf, size_t len, const struct wb_event *ev, const struct diff_field *f)
{
	const unsigned char *p = (const unsigned char *)ev + f->off;
	uint64_t v = 0;
	size_t i, n = 0;

	if (f->size <= 8) {
		memcpy(&v, p, f->size);
		if (strcmp(f->name, "side") == 0 || strcmp(f->name, "trading.state") == 0)
			snprintf(buf, len, "%" PRIu64 " (%c)", v, v >= 32 && v < 127 ? (int)v : '?');
		else if (strstr(f->name, "px") != NULL || strstr(f->name, "price") != NULL)
			/* prices are signed; price_exp is one signed byte */
			snprintf(buf, len, "%" PRId64,
				 f->size == 1 ? (int64_t)(int8_t)v : (int64_t)v);
		else
			snprintf(buf, len, "%" PRIu64, v);
		return;
	}
	for (i = 0; i < f->size && n + 3 < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%02x", p[i]);
}

/* The first differing field of a and b, or NULL. */
static const struct diff_field *
diff_event(const struct wb_event *a, const struct wb_event *b, int timestamps)
{
	const struct diff_field *t;
	size_t i, nt;

	for (i = 0; i < sizeof(diff_common) / sizeof(diff_common[0]); i++)
		if (memcmp((const char *)a + diff_common[i].off, (const char *)b + diff_common[i].off,
			   diff_common[i].size) != 0)
			return &diff_common[i];
	if (timestamps && a->rx_tsc != b->rx_tsc)
		return &diff_rx;
	switch (a->type) {
	case WB_EV_ADD:
	case WB_EV_EXECUTE:
	case WB_EV_CANCEL:
	case WB_EV_DELETE:
	case WB_EV_REPLACE:
		t = diff_order;
		nt = sizeof(diff_order) / sizeof(diff_order[0]);
		break;
	case WB_EV_BBO:
		t = diff_bbo;
		nt = sizeof(diff_bbo) / sizeof(diff_bbo[0]);
		break;
	case WB_EV_TRADE:
		t = diff_trade;
		nt = sizeof(diff_trade) / sizeof(diff_trade[0]);
		break;
	case WB_EV_GAP:
	case WB_CLIENT_EV_LAPPED:
		t = diff_gap;
		nt = sizeof(diff_gap) / sizeof(diff_gap[0]);
		break;
	case WB_EV_TRADING_STATE:
		t = diff_trading;
		nt = sizeof(diff_trading) / sizeof(diff_trading[0]);
		break;
	case WB_EV_DIRECTORY:
		t = diff_dir;
		nt = sizeof(diff_dir) / sizeof(diff_dir[0]);
		break;
	default:
		t = diff_raw;
		nt = 1;
		break;
	}
	for (i = 0; i < nt; i++)
		if (memcmp((const char *)a + t[i].off, (const char *)b + t[i].off, t[i].size) != 0)
			return &t[i];
	/* whatever the type's fields do not cover must match too */
	if (memcmp(a->u.raw, b->u.raw, sizeof(a->u.raw)) != 0)
		return &diff_raw[0];
	return NULL;
}

static FILE *
diff_open(const char *path, struct wb_evrec_hdr *h)
{
	uint8_t hb[WB_EVREC_HDR_SIZE];
	char err[200];
	FILE *f = fopen(path, "rb");

	if (f == NULL) {
		fprintf(stderr, "wirebook diff: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fread(hb, sizeof(hb), 1, f) != 1) {
		fprintf(stderr, "wirebook diff: %s: shorter than a recording header\n", path);
		fclose(f);
		return NULL;
	}
	if (wb_evrec_hdr_decode(hb, h, err, sizeof(err)) < 0) {
		fprintf(stderr, "wirebook diff: %s: %s\n", path, err);
		fclose(f);
		return NULL;
	}
	return f;
}

static void
diff_usage(FILE *out)
{
	fprintf(out, "usage: wirebook diff [--timestamps] A B\n"
		     "Compares two `wirebook record` files; names the first difference.\n"
		     "  --timestamps   also compare receive timestamps (rx_tsc)\n");
}

int
wb_cmd_diff(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"timestamps", no_argument, NULL, 't'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct wb_evrec_hdr ha, hb;
	struct wb_event ea, eb;
	const struct diff_field *f;
	char va[64], vb[64];
	FILE *a, *b;
	uint64_t i = 0;
	int c, timestamps = 0, ra, rb, rc = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			timestamps = 1;
			break;
		case 'h':
			diff_usage(stdout);
			return 0;
		default:
			diff_usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 2) {
		diff_usage(stderr);
		return 2;
	}
	a = diff_open(argv[optind], &ha);
	b = a != NULL ? diff_open(argv[optind + 1], &hb) : NULL;
	if (b == NULL) {
		if (a != NULL)
			fclose(a);
		return 2;
	}
	if (ha.abi_version != hb.abi_version)
		printf("note: event ABI %u vs %u\n", ha.abi_version, hb.abi_version);
	for (;; i++) {
		ra = (int)fread(&ea, sizeof(ea), 1, a);
		rb = (int)fread(&eb, sizeof(eb), 1, b);
		if (ra != 1 || rb != 1) {
			if (ra != rb) {
				printf("event %" PRIu64 ": %s ends here, %s has more (%s: %" PRIu64
				       " events, %s: %" PRIu64 ")\n",
				       i, ra != 1 ? "A" : "B", ra != 1 ? "B" : "A", "A", ha.events, "B",
				       hb.events);
				rc = 1;
			}
			break;
		}
		f = diff_event(&ea, &eb, timestamps);
		if (f != NULL) {
			diff_value(va, sizeof(va), &ea, f);
			diff_value(vb, sizeof(vb), &eb, f);
			printf("event %" PRIu64 " (ring_tag %" PRIu32 ", type %u, instrument %" PRIu32
			       ", seq %" PRIu64 "): %s: A %s, B %s\n",
			       i, ea.ring_tag, ea.type, ea.instrument, ea.seq, f->name, va, vb);
			rc = 1;
			break;
		}
	}
	if (rc == 0) {
		printf("identical: %" PRIu64 " events%s\n", i,
		       timestamps ? "" : " (receive timestamps not compared)");
		if (!(ha.flags & WB_EVREC_COMPLETE) || !(hb.flags & WB_EVREC_COMPLETE))
			printf("note: %s did not record a whole run\n",
			       !(ha.flags & WB_EVREC_COMPLETE) ? "A" : "B");
	}
	fclose(a);
	fclose(b);
	return rc;
}
