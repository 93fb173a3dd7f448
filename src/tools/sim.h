/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `wirebook sim` internals, kept apart from its command line so the tests
 * drive them directly:
 *
 *  - sim_stream: the whole stream built in memory before the first send: the
 *    MoldUDP64 datagrams (a pcap's as they are, a BinaryFILE's packed), and
 *    the history of messages by sequence number the request server answers
 *    from (the last contiguous run of one session in the input).
 *  - sim_schedule: which datagram each line (A, B) sends in which time slot,
 *    after loss, duplication, reordering and skew, drawn from one seeded
 *    generator so that a --seed replays exactly.
 *  - sim_answer: the reply to one MoldUDP64 request from the history.
 */
#ifndef WB_SIM_H
#define WB_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "wb_moldudp64.h"

#define SIM_MAX_PAYLOAD 1472

struct sim_pkt {
	size_t off;   /* in sim_stream.buf */
	uint32_t len; /* datagram bytes */
	uint16_t nmsgs;
	uint64_t seq; /* first sequence number (0 if not MoldUDP64) */
};

struct sim_stream {
	uint8_t *buf;
	size_t used, cap;
	struct sim_pkt *pkt;
	size_t npkt, cap_pkt;
	/* History: message seq first_seq + i is the block at buf + msg[i]. */
	uint8_t session[WB_MOLD_SESSION_LEN];
	int has_session;
	uint64_t first_seq;
	size_t *msg;
	size_t nmsg, cap_msg;
	int no_history; /* not MoldUDP64 (PITCH): datagrams only */
};

void sim_stream_init(struct sim_stream *s);
void sim_stream_free(struct sim_stream *s);
/* Appends a datagram (copied) and records its messages. 0 or -ENOMEM. */
int sim_stream_add(struct sim_stream *s, const uint8_t *dgram, size_t len);
static inline const uint8_t *
sim_stream_data(const struct sim_stream *s, size_t i)
{
	return s->buf + s->pkt[i].off;
}

/* Faults of each line; index 0 is A, 1 is B. Probabilities in [0, 1]. */
struct sim_faults {
	unsigned int nlines; /* 1 (A only) or 2 */
	double loss[2];
	double dup[2];
	double reorder[2]; /* swap with the line's next datagram */
	double loss_both;  /* lost on every line */
	int keep_one;	   /* a datagram drawn lost on both lines is kept on B */
	/*
	 * B sends datagram k in slot k + d, d drawn uniformly in [lo, hi], but
	 * never before B's previous datagram: skew drifts, B keeps its order
	 * (reorder[1] reorders it).
	 */
	int skew_lo, skew_hi;
	uint64_t seed;
};

struct sim_line_stats {
	uint64_t sent, lost, duplicated, reordered;
};

struct sim_sched_stats {
	struct sim_line_stats line[2];
	uint64_t lost_both; /* by loss_both, or drawn on both lines */
	uint64_t kept_one;  /* drawn lost on both, kept on B (keep_one) */
};

struct sim_ev {
	uint64_t slot;
	uint32_t pkt;
	uint8_t line;
};

/*
 * Builds the send schedule of npkt datagrams: *ev (malloc'd, sorted by slot,
 * then line, A first) and its length. 0 or -ENOMEM.
 */
int sim_schedule(size_t npkt, const struct sim_faults *f, struct sim_ev **ev, size_t *nev,
		 struct sim_sched_stats *st);

struct sim_server_stats {
	uint64_t requests;  /* datagrams received */
	uint64_t malformed; /* not a request (wb_mold_req_parse) */
	uint64_t wrong_session;
	uint64_t ignored;     /* received while told to be down */
	uint64_t unavailable; /* first sequence not in the history (forgotten or not yet sent) */
	uint64_t capped;      /* count above --max-count, answered up to it */
	uint64_t answered;    /* requests answered */
	uint64_t reply_packets, reply_messages;
	uint64_t send_errors;
};

/*
 * Writes into out (cap >= SIM_MAX_PAYLOAD) one reply packet to a request for
 * [seq, seq + count): the messages from seq that are in the history between
 * lo and hi (exclusive) and fit in payload bytes, in one downstream packet.
 * Returns its length, or 0 if seq is not available; *n is the messages put.
 */
size_t sim_answer(const struct sim_stream *s, uint64_t lo, uint64_t hi, uint64_t seq,
		  uint64_t count, size_t payload, uint8_t *out, uint16_t *n);

#endif /* WB_SIM_H */
