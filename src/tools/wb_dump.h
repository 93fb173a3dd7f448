/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The canonical book dump shared by `wirebook replay --dump-book`,
 * `wirebook book` and `wirebookd --dump-book`: one line per price level of
 * every instrument with resting orders, sorted by symbol, side B before S,
 * best price first:
 *   SYMBOL \t SIDE \t LEVEL \t PRICE \t SHARES \t ORDERS
 * LEVEL is 1-based, PRICE has exactly four decimals.
 */
#ifndef WB_DUMP_H
#define WB_DUMP_H

#include <stdint.h>
#include <stdio.h>

#include "wb_book.h"

/* Formats a 4-decimal ITCH price ("12.3400"); buf needs 24 bytes. */
char *wb_dump_price(char *buf, uint32_t price);

/* Writes the dump of b, at most `depth` levels per side (0: all). */
int wb_dump_book(FILE *out, const struct wb_book *b, unsigned int depth);

#endif /* WB_DUMP_H */
