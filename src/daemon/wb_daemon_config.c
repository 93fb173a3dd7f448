/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wirebookd's configuration: one table of (section, key, setter, default,
 * bounds, help), as Redis' static_configs[] (wb_daemon_cfgkeys.c); this file
 * reads the file and applies the table. Defaults go through the same
 * setters as the file, so a default is validated like any value. The file is
 * read whole and parsed by the strict INI reader (wb_ini.h: no line it does
 * not understand, no section or key given twice); every section and key must
 * be known, every value is checked against its bounds, numbers are decimal
 * (no octal, no hex: "026400" is refused, not read as 11520), and the first
 * problem stops start-up with "FILE:LINE: [section] key: reason". After
 * wb_daemon_cfg_check() the configuration is never written again.
 *
 * Sections: [eal] [daemon] [book] [publish], then [port0] .. [port7], any
 * number of [channel NAME], and a [feed NAME] for each feed whose recovery
 * (reorder window, MoldUDP64 request server) is not the default. A port is a vdev (vdev = net_af_packet0,iface=x)
 * or a PCI device (pci = 0000:01:00.0); its ethdev name is derived from it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wb_daemon.h"
#include "wb_daemon_cfgkeys.h"
#include "wb_ini.h"

static const char *const wb_cfg_sec_name[] = {"eal",   "daemon",       "book",	    "publish",
					      "portN", "channel NAME", "feed NAME"};

static int
wb_cfg_apply(void *base, const struct wb_cfg_key *k, const char *val, char *err, size_t errlen)
{
	return k->set((char *)base + k->off, k, val, err, errlen);
}

static void
wb_cfg_defaults(void *base, enum wb_cfg_sec sec)
{
	char err[64];
	size_t i;

	for (i = 0; i < wb_cfg_nkeys; i++)
		if (wb_cfg_keys[i].sec == sec &&
		    wb_cfg_apply(base, &wb_cfg_keys[i], wb_cfg_keys[i].def, err, sizeof(err)) < 0)
			abort(); /* a default out of its own bounds: a bug in the table */
}

void
wb_daemon_cfg_default(struct wb_daemon_cfg *c)
{
	memset(c, 0, sizeof(*c));
	wb_cfg_defaults(c, SEC_EAL);
	wb_cfg_defaults(c, SEC_DAEMON);
	wb_cfg_defaults(c, SEC_BOOK);
	wb_cfg_defaults(c, SEC_PUBLISH);
}

void
wb_daemon_cfg_help(FILE *out)
{
	size_t i;

	for (i = 0; i < wb_cfg_nkeys; i++) {
		const struct wb_cfg_key *k = &wb_cfg_keys[i];

		fprintf(out, "[%s] %-18s default '%s': %s\n", wb_cfg_sec_name[k->sec], k->key,
			k->def, k->help);
	}
}

static int
wb_cfg_section(const char *name, struct wb_daemon_cfg *c, void **base, enum wb_cfg_sec *sec,
	       char *err, size_t errlen)
{
	static const char *const fixed[] = {"eal", "daemon", "book", "publish"};
	unsigned int i;
	char *end;

	for (i = 0; i < 4; i++)
		if (strcmp(name, fixed[i]) == 0) {
			*sec = (enum wb_cfg_sec)i;
			*base = c;
			return 0;
		}
	if (strncmp(name, "port", 4) == 0 && name[4] >= '0' && name[4] <= '9') {
		unsigned long n = strtoul(name + 4, &end, 10);

		if (*end != '\0' || n >= WB_IO_MAX_PORTS) {
			snprintf(err, errlen, "[%s]: ports are [port0] .. [port%u]", name,
				 WB_IO_MAX_PORTS - 1);
			return -1;
		}
		*sec = SEC_PORT;
		*base = &c->port[n];
		if (n >= c->nports)
			c->nports = (unsigned int)n + 1;
		return 0;
	}
	if (strncmp(name, "channel ", 8) == 0 && name[8] != '\0') {
		struct wb_daemon_chan_cfg *ch;

		if (c->nchan == WB_IO_MAX_CHANNELS) {
			snprintf(err, errlen, "[%s]: more than %u channels", name,
				 WB_IO_MAX_CHANNELS);
			return -1;
		}
		if (strlen(name + 8) >= sizeof(ch->name)) {
			snprintf(err, errlen, "[%s]: channel name too long", name);
			return -1;
		}
		ch = &c->chan[c->nchan++];
		wb_cfg_defaults(ch, SEC_CHANNEL);
		strcpy(ch->name, name + 8);
		*sec = SEC_CHANNEL;
		*base = ch;
		return 0;
	}
	if (strncmp(name, "feed ", 5) == 0 && name[5] != '\0') {
		struct wb_daemon_feed_cfg *fc;

		if (strlen(name + 5) >= sizeof(fc->name)) {
			snprintf(err, errlen, "[%s]: feed name too long", name);
			return -1;
		}
		for (i = 0; i < c->nfeedcfg; i++)
			if (strcmp(c->feedcfg[i].name, name + 5) == 0) {
				snprintf(err, errlen, "[%s]: defined twice", name);
				return -1;
			}
		if (c->nfeedcfg == WB_DAEMON_MAX_FEEDS) {
			snprintf(err, errlen, "[%s]: more than %u feeds", name, WB_DAEMON_MAX_FEEDS);
			return -1;
		}
		fc = &c->feedcfg[c->nfeedcfg++];
		wb_cfg_defaults(fc, SEC_FEED);
		strcpy(fc->name, name + 5);
		*sec = SEC_FEED;
		*base = fc;
		return 0;
	}
	snprintf(err, errlen,
		 "[%s]: unknown section (eal, daemon, book, publish, portN, channel NAME, feed NAME)",
		 name);
	return -1;
}

struct wb_cfg_load {
	struct wb_daemon_cfg *c;
	void *base;
	enum wb_cfg_sec sec;
};

static int
wb_cfg_item(void *ctx, const struct wb_ini_item *it, char *err, size_t errlen)
{
	struct wb_cfg_load *l = ctx;
	const struct wb_cfg_key *k = NULL;
	char msg[256];
	size_t t;

	if (it->key == NULL)
		return wb_cfg_section(it->section, l->c, &l->base, &l->sec, err, errlen);
	for (t = 0; t < wb_cfg_nkeys; t++)
		if (wb_cfg_keys[t].sec == l->sec && strcmp(wb_cfg_keys[t].key, it->key) == 0)
			k = &wb_cfg_keys[t];
	if (k == NULL) {
		snprintf(err, errlen, "[%s] %s: unknown key (wirebookd --help-config lists them)",
			 it->section, it->key);
		return -1;
	}
	if (wb_cfg_apply(l->base, k, it->value, msg, sizeof(msg)) < 0) {
		snprintf(err, errlen, "[%s] %s: %s", it->section, it->key, msg);
		return -1;
	}
	return 0;
}

/* Largest configuration file read: far above any real one. */
#define WB_CFG_MAX_FILE (1u << 20)

int
wb_daemon_cfg_parse(struct wb_daemon_cfg *c, const char *buf, size_t len, unsigned int *line,
		    char *err, size_t errlen)
{
	struct wb_cfg_load l = {.c = c};
	unsigned int p;

	for (p = 0; p < WB_IO_MAX_PORTS; p++)
		wb_cfg_defaults(&c->port[p], SEC_PORT);
	/* the configuration layer's contract is -1 with err filled (wb_daemon.h) */
	return wb_ini_parse(buf, len, wb_cfg_item, &l, line, err, errlen) < 0 ? -1 : 0;
}

int
wb_daemon_cfg_load(struct wb_daemon_cfg *c, const char *path, char *err, size_t errlen)
{
	char msg[384], *buf;
	unsigned int line;
	size_t len;
	FILE *f;
	int rc;

	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	buf = malloc(WB_CFG_MAX_FILE + 1);
	if (buf == NULL) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	len = fread(buf, 1, WB_CFG_MAX_FILE + 1, f);
	if (ferror(f)) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		rc = -1;
	} else if (len > WB_CFG_MAX_FILE) {
		snprintf(err, errlen, "%s: larger than %u bytes, not a configuration", path,
			 WB_CFG_MAX_FILE);
		rc = -1;
	} else {
		rc = wb_daemon_cfg_parse(c, buf, len, &line, msg, sizeof(msg));
		if (rc < 0 && line > 0)
			snprintf(err, errlen, "%s:%u: %s", path, line, msg);
		else if (rc < 0)
			snprintf(err, errlen, "%s: %s", path, msg);
	}
	free(buf);
	fclose(f);
	return rc;
}

void
wb_daemon_feed_cfg_default(struct wb_daemon_feed_cfg *f)
{
	memset(f, 0, sizeof(*f));
	wb_cfg_defaults(f, SEC_FEED);
}
