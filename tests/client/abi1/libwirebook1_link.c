/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Link-time stand-in for libwirebook.so.1 (README.md): every symbol of the
 * 1.x version script, so that old_client links as a strategy built against
 * the 1.x SDK did (NEEDED libwirebook.so.1, wb_client_*@WIREBOOK_1.0/1.1).
 * test_abi1.sh never lets the loader find this file; if it ever did, each
 * function aborts and the test fails.
 */
#include <stdlib.h>

#include "wirebook/wirebook.h"

#define NEVER abort()

const char *
wb_client_version(void)
{
	NEVER;
}
void
wb_client_opts_default(struct wb_client_opts *o)
{
	(void)o;
	NEVER;
}
struct wb_client *
wb_client_open(const char *n, const struct wb_client_opts *o)
{
	(void)n, (void)o;
	NEVER;
}
void
wb_client_close(struct wb_client *c)
{
	(void)c;
	NEVER;
}
int
wb_client_subscribe(struct wb_client *c, const char *s)
{
	(void)c, (void)s;
	NEVER;
}
int
wb_client_poll(struct wb_client *c, wb_client_event_fn f, void *x, unsigned int m)
{
	(void)c, (void)f, (void)x, (void)m;
	NEVER;
}
int
wb_client_book(struct wb_client *c, uint16_t l, struct wb_client_book *b)
{
	(void)c, (void)l, (void)b;
	NEVER;
}
int
wb_client_lookup(struct wb_client *c, const char *s)
{
	(void)c, (void)s;
	NEVER;
}
uint32_t
wb_client_max_instruments(const struct wb_client *c)
{
	(void)c;
	NEVER;
}
int
wb_client_status(struct wb_client *c, struct wb_client_status *s)
{
	(void)c, (void)s;
	NEVER;
}
int
wb_client_channels(struct wb_client *c, struct wb_client_channel *o, unsigned int n)
{
	(void)c, (void)o, (void)n;
	NEVER;
}
int
wb_client_readers(struct wb_client *c, struct wb_client_reader *o, unsigned int n)
{
	(void)c, (void)o, (void)n;
	NEVER;
}
double
wb_client_ns_per_tick(const struct wb_client *c)
{
	(void)c;
	NEVER;
}
uint64_t
wb_client_tsc_ns(const struct wb_client *c, uint64_t t)
{
	(void)c, (void)t;
	NEVER;
}
int64_t
wb_client_since_ns(const struct wb_client *c, uint64_t t)
{
	(void)c, (void)t;
	NEVER;
}
