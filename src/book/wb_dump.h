/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The canonical book dump shared by `wirebook replay --dump-book`,
 * `wirebook book` and `wirebookd --dump-book`: one line per price level of
 * every instrument with resting orders, sorted by symbol, side B before S,
 * best price first:
 *   SYMBOL \t SIDE \t LEVEL \t PRICE \t SHARES \t ORDERS
 * LEVEL is 1-based, PRICE has exactly as many decimals as the instrument's
 * price exponent says (four for ITCH's -4).
 */
#ifndef WB_DUMP_H
#define WB_DUMP_H

#include <stdint.h>
#include <stdio.h>

#include "wb_book.h"

/* Formats a price of 10^exp units ("12.3400" for 123400 at -4, "-0.05"
 * for -5 at -2, "1200" for 12 at 2); buf needs WB_DUMP_PRICE_LEN bytes. */
#define WB_DUMP_PRICE_LEN 48
char *wb_dump_price(char *buf, int64_t price, int exp);

/* Writes the dump of b, at most `depth` levels per side (0: all). */
int wb_dump_book(FILE *out, const struct wb_book *b, unsigned int depth);

#endif /* WB_DUMP_H */
