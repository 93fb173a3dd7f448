/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The feed's state, private to src/feed: wb_feed.c (the data path) and
 * wb_feed_rel.c (the reorder window, recovery and stale state) share it.
 */
#ifndef WB_FEED_INT_H
#define WB_FEED_INT_H

#include "wb_feed.h"
#include "wb_histo.h"

/* A packet in the hold buffer: its bytes are at arena + off. */
struct wb_feed_held {
	uint64_t seq;
	uint64_t end;	 /* seq + messages */
	uint64_t rx_tsc; /* when it arrived */
	uint32_t off;
	uint32_t len;
	uint16_t line;
	uint16_t suspect; /* a copy kept while its line may be regressing */
};

/* A declared gap whose messages may still come (a late reply or copy). */
struct wb_feed_lost {
	uint64_t from;
	uint64_t next; /* messages from..next-1 came, in order */
	uint64_t end;
};

#define WB_FEED_LOST_MAX 16

struct wb_feed_rel {
	struct wb_feed_held *held;
	uint8_t *arena;
	uint8_t *arena2;    /* compaction copies the live packets here, then swaps */
	uint32_t hbeg;      /* held packets are held[hbeg..nheld), by sequence */
	uint32_t nheld;
	uint32_t arena_used;
	uint32_t nsuspect[2]; /* held copies kept aside, per line A and B */
	uint32_t hold_packets;
	uint32_t hold_bytes;
	uint64_t hold_ticks;
	uint64_t req_timeout;
	uint64_t req_min;
	uint32_t req_retries;
	uint16_t req_max;
	uint8_t gap_open;    /* a gap is open: gap_since is when it was seen */
	uint8_t req_active;  /* a request is outstanding */
	uint64_t gap_since;
	uint64_t gap_first; /* when the gap being recovered was first seen */
	uint64_t req_seq;   /* outstanding request: [req_seq, req_end) */
	uint64_t req_end;
	uint64_t req_deadline;
	uint64_t req_last;  /* when the last request was sent */
	uint32_t req_tries;
	uint8_t req_sent_any;
	unsigned int stale;  /* WB_FEED_STALE_* */
	uint64_t stale_gen;
	unsigned int nlost;
	struct wb_feed_lost lost[WB_FEED_LOST_MAX];
	/* a bit per instrument id, inst_words words each (wb_feed_create) */
	uint64_t *inst_stale;
	uint64_t *lost_touch; /* what the lost messages touched */
	uint32_t inst_words;
	struct wb_feed_rel_stats stats;
	struct wb_histo recovery; /* ticks */
};

/* type of an op that is not its message's first (PITCH): counted once, at the first */
#define WB_FEED_TYPE_MORE 0xffu

struct wb_feed_batch {
	unsigned int n;
	uint64_t seq[WB_FEED_BATCH];
	uint64_t tsc[WB_FEED_BATCH];
	uint8_t type[WB_FEED_BATCH]; /* the message type's counter (wb_feed_stats by_type) */
	/* ITCH: the order message in place (wb_itch_take), or NULL: op[] has
	 * it; PITCH fills op[] only (a feed is one or the other) */
	const uint8_t *raw[WB_FEED_BATCH];
	struct wb_book_op op[WB_FEED_BATCH];
};

struct wb_feed_pitch;

struct wb_feed {
	struct wb_book *book;
	struct wb_feed_pitch *pitch; /* protocol WB_FEED_PITCH: its state, else NULL */
	int stamp;	      /* wb_feed_set_stamp() */
	uint64_t applied_tsc; /* TSC when the last burst's messages were applied */
	struct wb_session session;
	struct wb_feed_sink sink;
	uint32_t id;
	uint8_t venue;     /* enum wb_venue, stamped on every event */
	uint8_t rel_busy;  /* anything held, requested or open: the slow path */
	uint8_t lost_open; /* declared gaps whose messages may still come */
	struct wb_feed_stats stats;
	unsigned int ndirty;
	uint64_t burst_events; /* events emitted since the last burst end */
	struct wb_feed_batch pend; /* queued datagrams' messages, not yet applied */
	/* sized by the book's max_instruments (wb_feed_create) */
	uint32_t *dirty;      /* max_instruments + 1: mark_dirty writes one past */
	uint64_t *dirty_bits; /* rel.inst_words words */
	struct wb_feed_rel rel;
};


/* wb_feed.c */
void wb_feed_flush_pending(struct wb_feed *f);
unsigned int wb_feed_take(struct wb_feed *f, const struct wb_mold_pkt *pkt,
			  const struct wb_session_verdict *v, uint64_t rx_tsc);
void wb_feed_mark_all_dirty(struct wb_feed *f);

/* wb_feed_pitch.c */
int wb_feed_pitch_init(struct wb_feed *f, const struct wb_feed_params *p);
void wb_feed_pitch_fini(struct wb_feed *f);
unsigned int wb_feed_pitch_datagram(struct wb_feed *f, unsigned int line, const uint8_t *buf,
				    size_t len, uint64_t rx_tsc);

/* wb_feed_rel.c */
int wb_feed_rel_init(struct wb_feed *f, const struct wb_feed_params *p);
void wb_feed_rel_fini(struct wb_feed *f);
void wb_feed_rel_busy(struct wb_feed *f);
void wb_feed_rel_forget_gaps(struct wb_feed *f);
void wb_feed_rel_forget(struct wb_feed *f);

/* wb_feed_stale.c */
void wb_feed_stale_set(struct wb_feed *f, unsigned int bits);
void wb_feed_stale_unset(struct wb_feed *f, unsigned int bits);
/* A declared gap: the event (after what was queued before it), stale, a lost range. */
void wb_feed_gap_declared(struct wb_feed *f, const struct wb_session_verdict *v, uint64_t now);
/* A packet below next_seq while lost_open: does it bring lost messages? */
void wb_feed_rel_lost(struct wb_feed *f, const struct wb_mold_pkt *pkt);
void wb_feed_new_session(struct wb_feed *f, const struct wb_session_verdict *v);
/*
 * Everything but an in-order packet: v and n are the session's verdict when
 * the caller already asked it (v NULL: not yet).
 */
unsigned int wb_feed_rel_datagram(struct wb_feed *f, unsigned int line,
				  const struct wb_mold_pkt *pkt, uint64_t rx_tsc,
				  struct wb_session_verdict *v, unsigned int n);

/* A datagram its protocol's parser refused (rc < 0): counted and skipped. */
static inline void
wb_feed_bad_datagram(struct wb_feed *f, int rc)
{
	f->stats.bad_packets++;
	if (rc == WB_PROTO_TRUNCATED)
		f->stats.pkt_truncated++;
	else
		f->stats.pkt_malformed++;
}

#endif /* WB_FEED_INT_H */
