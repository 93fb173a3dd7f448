/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Deterministic Cboe PITCH stream generator: the ITCH generator's order
 * lifecycle model (wb_gen, with replaces that keep their reference) spoken as
 * PITCH, so a PITCH book can be tested and measured on the same flow.
 *
 * Each ITCH message becomes its PITCH counterpart on the unit of its
 * instrument (instrument i goes to unit (i - 1) % units + 1):
 *   A -> Add Order short (quantity, price and symbol fit) or long; F -> Add
 *   Order expanded (with its attribution as participant); E -> Order
 *   Executed; C -> Order Executed at Price/Size; X -> Reduce Size short or
 *   long; D -> Delete Order; U -> Modify Order short or long; P -> Trade
 *   short or long; H -> Trading Status. R and S have no PITCH counterpart and
 *   are dropped. Values that do not fit a short form take the long one, and so
 *   does one order in eight anyway, so that every form is exercised. A Time message precedes the
 * first message of each second of a unit, and every unit ends with End of Session. Messages are
 * packed into Sequenced Units per unit (sequence numbers per unit from 1), a unit's packet closing
 * when the next message would not fit, at per_packet messages, or once it has waited window_ns of
 * generated time.
 */
#ifndef WB_GEN_PITCH_H
#define WB_GEN_PITCH_H

#include <stdint.h>

#include "wb_gen.h"
#include "wb_pitch.h"

#define WB_GEN_PITCH_MAX_UNITS 255

struct wb_gen_pitch_params {
	struct wb_gen_params gen; /* the order flow (gen.messages: ITCH-model messages) */
	unsigned int units;	  /* matching units, 1..255 (default 4) */
	unsigned int payload_max; /* largest Sequenced Unit in bytes (default 1400) */
	unsigned int per_packet;  /* messages per unit at most, 0: fill (at most 255) */
	uint64_t window_ns;	  /* longest a message waits for its packet (default 50 us) */
};

void wb_gen_pitch_params_default(struct wb_gen_pitch_params *p);

struct wb_gen_pitch;

/* Returns NULL with errno set and wb_err_msg() explaining. */
struct wb_gen_pitch *wb_gen_pitch_create(const struct wb_gen_pitch_params *p);
void wb_gen_pitch_destroy(struct wb_gen_pitch *g);

/*
 * Writes the next message (length byte first, at most WB_PITCH_MAX_MSG_LEN
 * bytes) and its unit and time (ns since midnight). Returns its length, or 0
 * at the end of the stream.
 */
unsigned int wb_gen_pitch_next_msg(struct wb_gen_pitch *g, uint8_t *out, uint8_t *unit,
				   uint64_t *ts_ns);

/*
 * Writes the next whole Sequenced Unit (header and messages, at most
 * payload_max bytes) and the time of its first message. Returns its length,
 * or 0 at the end. Do not mix with wb_gen_pitch_next_msg() on one generator.
 */
unsigned int wb_gen_pitch_next_unit(struct wb_gen_pitch *g, uint8_t *out, uint64_t *ts_ns);

/* PITCH messages produced so far. */
uint64_t wb_gen_pitch_messages(const struct wb_gen_pitch *g);

#endif /* WB_GEN_PITCH_H */
