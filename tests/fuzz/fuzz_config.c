/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the configuration as wirebookd reads it. The input is a
 * file's bytes, copied to an exactly-sized heap block (ASan catches a read
 * past its end), parsed by the strict INI reader alone (every item must be
 * well formed: a key of key characters, a line number that never goes back
 * and lies within the input), then through the daemon's table and its
 * cross-key checks. A refusal must name a line inside the input (or none)
 * and say something; an accepted configuration must pass the check twice
 * alike (the check fills derived fields, it must be idempotent) and build
 * an EAL command line (or refuse one too long for the vector).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wb_daemon.h"
#include "wb_ini.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_ini {
	unsigned int last_line, lines;
};

static int
fuzz_item(void *ctx, const struct wb_ini_item *it, char *err, size_t errlen)
{
	struct fuzz_ini *f = ctx;
	const char *k;

	(void)err;
	(void)errlen;
	if (it->line < f->last_line || it->line > f->lines || it->section == NULL ||
	    it->section[0] == '\0' || (it->key == NULL) != (it->value == NULL))
		abort();
	for (k = it->key; k != NULL && *k != '\0'; k++)
		if (*k == '=' || *k == ' ' || *k == '[' || *k == ']')
			abort();
	f->last_line = it->line;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct wb_daemon_cfg c, again;
	char *buf = malloc(size ? size : 1), err[512], *argv[96];
	struct fuzz_ini f = {0, 1};
	unsigned int line;
	size_t i;
	int rc, n;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	for (i = 0; i < size; i++)
		f.lines += data[i] == '\n';
	err[0] = '\0';
	rc = wb_ini_parse(buf, size, fuzz_item, &f, &line, err, sizeof(err));
	if ((rc < 0 && (err[0] == '\0' || line > f.lines)) || (rc == 0 && line != 0))
		abort();

	wb_daemon_cfg_default(&c);
	err[0] = '\0';
	rc = wb_daemon_cfg_parse(&c, buf, size, &line, err, sizeof(err));
	if (rc < 0 && (err[0] == '\0' || line > f.lines))
		abort();
	if (rc == 0) {
		err[0] = '\0';
		if (wb_daemon_cfg_check(&c, err, sizeof(err)) < 0) {
			if (err[0] == '\0')
				abort();
		} else {
			memcpy(&again, &c, sizeof(c));
			if (wb_daemon_cfg_check(&again, err, sizeof(err)) != 0 ||
			    memcmp(&again, &c, sizeof(c)) != 0)
				abort();
			n = wb_daemon_eal_args(&c, "wirebookd", argv, 96);
			if (n != -1 && (n < 3 || argv[n] != NULL))
				abort();
		}
	}
	free(buf);
	return 0;
}
