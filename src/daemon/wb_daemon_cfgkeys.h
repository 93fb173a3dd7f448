/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wirebookd's configuration keys: the table (wb_daemon_cfgkeys.c) that the
 * INI loader (wb_daemon_config.c) looks every section and key up in.
 */
#ifndef WB_DAEMON_CFGKEYS_H
#define WB_DAEMON_CFGKEYS_H

#include <stddef.h>
#include <stdint.h>

enum wb_cfg_sec { SEC_EAL, SEC_DAEMON, SEC_BOOK, SEC_PUBLISH, SEC_PORT, SEC_CHANNEL, SEC_FEED };

struct wb_cfg_key;
typedef int (*wb_cfg_setter)(void *dst, const struct wb_cfg_key *k, const char *val, char *err,
			     size_t errlen);

struct wb_cfg_key {
	enum wb_cfg_sec sec;
	const char *key;
	wb_cfg_setter set;
	size_t off;
	const char *def;
	int64_t min, max; /* numbers: bounds; strings: max is the buffer size */
	const char *help;
};

/* Every key of every section, and how many there are. */
extern const struct wb_cfg_key wb_cfg_keys[];
extern const size_t wb_cfg_nkeys;

#endif
