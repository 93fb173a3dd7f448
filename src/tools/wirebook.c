/* SPDX-License-Identifier: BSD-3-Clause */
/* The `wirebook` command: one binary, one sub-command per file. */
#include <stdio.h>
#include <string.h>

#include "wb_cmd.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} wb_cmds[] = {
	{ "replay", wb_cmd_replay, "run a capture or BinaryFILE through the feed pipeline" },
	{ "gen", wb_cmd_gen, "write a generated ITCH 5.0 stream (BinaryFILE or MoldUDP64 pcap)" },
	{ "bench", wb_cmd_bench, "benchmarks: book (decode, books), feed (the daemon's path after the NIC), shm (publish to subscribers)" },
	{ "sim", wb_cmd_sim, "multicast a MoldUDP64 stream (pcap or BinaryFILE) for the testbed" },
	{ "book", wb_cmd_book, "print the book dump from a daemon's shared-memory snapshots" },
	{ "top", wb_cmd_top, "live view of a daemon: rates, channel health, readers, BBO" },
	{ "record", wb_cmd_record, "write the events a daemon publishes to a file (for diff, backtests)" },
	{ "diff", wb_cmd_diff, "compare two event recordings; name the first difference" },
};

static void
usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: wirebook COMMAND [OPTIONS]\n       wirebook --help | --version\n\n"
		     "commands:\n");
	for (i = 0; i < sizeof(wb_cmds) / sizeof(wb_cmds[0]); i++)
		fprintf(out, "  %-8s %s\n", wb_cmds[i].name, wb_cmds[i].help);
	fprintf(out, "\n'wirebook COMMAND --help' describes each.\n");
}

/*
 * --version anywhere before "--" (the sub-commands' own parsers never see
 * it): no sub-command has an option that takes "--version" as its value.
 */
static int
wants_version(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--version") == 0)
			return 1;
	return 0;
}

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (wants_version(argc, argv)) {
		printf("wirebook %s\n", WB_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(wb_cmds) / sizeof(wb_cmds[0]); i++)
		if (strcmp(argv[1], wb_cmds[i].name) == 0)
			return wb_cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "wirebook: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
