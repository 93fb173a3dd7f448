/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A feed of protocol WB_FEED_PITCH (Cboe Multicast Depth of Book PITCH):
 * each UDP payload is one Sequenced Unit. wb_feed_datagram*() parse it,
 * sequence it per matching unit with A/B arbitration (wb_pitch_seq), turn
 * its messages into book operations (wb_pitch_adapt) and apply and publish
 * them as the ITCH path does. Everything else of wb_feed.h holds, with these
 * differences:
 *  - the sequence number of an event is (unit << 32) | sequence, since PITCH
 *    numbers messages per unit (unsequenced messages: unit << 32);
 *  - the reorder window is per unit (wb_feed_pitch_rel.c): a packet ahead
 *    of its unit's next number is held, in the same buffer and within the
 *    same bounds (hold_packets, hold_bytes, hold_ticks), until the other line
 *    fills the hole; other units go on meanwhile. No request is sent (the
 *    Gap Request Proxy is TCP, docs/pitch.md). A gap that is not filled in
 *    time (or with hold_packets 0, at once) is declared in its unit: a
 *    WB_EV_GAP event whose from_seq is (unit << 32) | first missing, and
 *    that unit's instruments, and the ones it announces later, become stale
 *    (wb_feed_instrument_stale) until a Unit Clear empties them or
 *    wb_feed_clear_stale();
 *  - a Unit Clear drops every order of the unit's instruments;
 *  - wb_feed_stats counts datagrams, bytes, packet errors, messages and
 *    message errors (unknown types skipped by length, by type in the
 *    adapter's stats); its by_type counts messages at their
 *    wb_pitch_types index.
 */
#ifndef WB_FEED_PITCH_H
#define WB_FEED_PITCH_H

#include "wb_feed.h"
#include "wb_pitch_adapt.h"
#include "wb_pitch_seq.h"

struct wb_feed_pitch_stats {
	uint64_t pad_bytes;   /* bytes after a unit's length (Ethernet padding) */
	uint64_t stale_units; /* units made stale by a gap or a regression */
	uint64_t ops;	      /* book operations taken */
	uint64_t unit_clears; /* instruments cleared by Unit Clear */
	uint64_t regress_dropped_held; /* held packets of a unit's numbering before it restarted */
};

/*
 * Bare PITCH messages, message i of matching unit units[i], no sequencing
 * (what `wirebook bench book --protocol pitch` measures): prefetched as a
 * batch, then applied in order, as a unit's messages are. Returns the
 * messages applied; the others are counted by kind.
 */
unsigned int wb_feed_pitch_messages(struct wb_feed *f, const uint8_t *units,
				    const uint8_t *const *msgs, const uint8_t *lens, unsigned int n,
				    uint64_t seq, uint64_t rx_tsc);

/* NULL for a feed that is not PITCH. */
const struct wb_pitch_adapt *wb_feed_pitch_adapt(const struct wb_feed *f);
const struct wb_pitch_seq *wb_feed_pitch_seq(const struct wb_feed *f);
const struct wb_feed_pitch_stats *wb_feed_pitch_stats(const struct wb_feed *f);

/* PITCH detection for tools: 1 if buf looks like a Sequenced Unit (length field == len). */
int wb_feed_pitch_detect(const uint8_t *buf, size_t len);

#endif /* WB_FEED_PITCH_H */
