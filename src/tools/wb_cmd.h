/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sub-commands of the `wirebook` tool. Each lives in its own cmd_*.c and
 * returns the process exit status: 0 success, 1 runtime failure, 2 usage.
 */
#ifndef WB_CMD_H
#define WB_CMD_H

int wb_cmd_replay(int argc, char **argv);
int wb_cmd_gen(int argc, char **argv);
int wb_cmd_bench(int argc, char **argv);
int wb_cmd_sim(int argc, char **argv);
int wb_cmd_book(int argc, char **argv);
int wb_cmd_top(int argc, char **argv);
int wb_cmd_record(int argc, char **argv);
int wb_cmd_diff(int argc, char **argv);

#endif /* WB_CMD_H */
