/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MoldUDP64 framing: header, heartbeat, end of session, block walk, every cut;
 * request packets: the bytes of the spec, every cut, every field out of range.
 */
#include "wb_test.h"

#include "wb_moldudp64.h"
#include "wb_moldpack.h"
#include "wb_compiler.h"
#include <errno.h>

static const uint8_t session[WB_MOLD_SESSION_LEN] = {'0', '0', '0', '0', '1',
						     '0', '0', '5', '9', 'B'};

/* A packet with blocks of the given lengths (filled with their index). */
static size_t
packet(uint8_t *out, uint64_t seq, uint16_t count, const uint16_t *lens, unsigned int n)
{
	size_t off = WB_MOLD_HDR_LEN;
	unsigned int i;

	wb_mold_put_hdr(out, session, seq, count);
	for (i = 0; i < n; i++) {
		out[off] = (uint8_t)(lens[i] >> 8);
		out[off + 1] = (uint8_t)lens[i];
		memset(out + off + 2, 'a' + (int)i, lens[i]);
		off += 2u + lens[i];
	}
	return off;
}

static int
parse_guarded(const uint8_t *src, size_t len, struct wb_mold_pkt *pkt, struct wb_guard *g)
{
	return wb_mold_parse(wb_guard_copy(g, src, len), len, pkt);
}

static void
test_header(void **state)
{
	static const uint16_t lens[] = {36, 19, 1};
	uint8_t b[256];
	struct wb_mold_pkt pkt;
	struct wb_mold_iter it;
	struct wb_guard g;
	const uint8_t *msg = NULL;
	uint16_t mlen = 0;
	size_t len;
	unsigned int i;

	(void)state;
	len = packet(b, 0x0102030405060708ull, 3, lens, 3);
	/* Header bytes by the spec: session, seq BE, count BE. */
	assert_memory_equal(b, "000010059B", 10);
	assert_int_equal(b[10], 0x01);
	assert_int_equal(b[17], 0x08);
	assert_int_equal(b[18], 0);
	assert_int_equal(b[19], 3);
	assert_int_equal(parse_guarded(b, len, &pkt, &g), (int)len);
	assert_memory_equal(pkt.session, session, 10);
	assert_true(pkt.seq == 0x0102030405060708ull);
	assert_int_equal(pkt.count, 3);
	assert_int_equal(pkt.nmsgs, 3);
	assert_false(wb_mold_is_heartbeat(&pkt));
	assert_false(wb_mold_is_end(&pkt));
	wb_mold_iter_init(&it, &pkt);
	for (i = 0; i < 3; i++) {
		assert_int_equal(wb_mold_iter_next(&it, &msg, &mlen), 1);
		assert_int_equal(mlen, lens[i]);
		assert_int_equal(msg[0], 'a' + (int)i);
		assert_int_equal(msg[mlen - 1], 'a' + (int)i);
	}
	assert_int_equal(wb_mold_iter_next(&it, &msg, &mlen), 0);
	wb_guard_free(&g);
}

static void
test_heartbeat_end(void **state)
{
	uint8_t b[64];
	struct wb_mold_pkt pkt;
	struct wb_guard g;

	(void)state;
	packet(b, 42, 0, NULL, 0);
	assert_int_equal(parse_guarded(b, WB_MOLD_HDR_LEN, &pkt, &g), WB_MOLD_HDR_LEN);
	assert_true(wb_mold_is_heartbeat(&pkt));
	assert_int_equal(pkt.nmsgs, 0);
	assert_true(pkt.seq == 42);
	wb_guard_free(&g);
	/* A heartbeat carries nothing after its header. */
	assert_int_equal(parse_guarded(b, WB_MOLD_HDR_LEN + 1, &pkt, &g), WB_PROTO_MALFORMED);
	wb_guard_free(&g);

	packet(b, 43, WB_MOLD_END_OF_SESSION, NULL, 0);
	assert_int_equal(parse_guarded(b, WB_MOLD_HDR_LEN, &pkt, &g), WB_MOLD_HDR_LEN);
	assert_true(wb_mold_is_end(&pkt));
	assert_false(wb_mold_is_heartbeat(&pkt));
	assert_int_equal(pkt.nmsgs, 0);
	wb_guard_free(&g);
	assert_int_equal(parse_guarded(b, WB_MOLD_HDR_LEN + 4, &pkt, &g), WB_PROTO_MALFORMED);
	wb_guard_free(&g);
}

static void
test_count_vs_blocks(void **state)
{
	static const uint16_t lens[] = {12, 20, 36};
	uint8_t b[256];
	struct wb_mold_pkt pkt;
	struct wb_guard g;
	size_t len;

	(void)state;
	/* Count says 4, only 3 blocks: runs out. */
	len = packet(b, 1, 4, lens, 3);
	assert_int_equal(parse_guarded(b, len, &pkt, &g), WB_PROTO_TRUNCATED);
	wb_guard_free(&g);
	/* Count says 2, 3 blocks present: bytes left over. */
	len = packet(b, 1, 2, lens, 3);
	assert_int_equal(parse_guarded(b, len, &pkt, &g), WB_PROTO_MALFORMED);
	wb_guard_free(&g);
	/* Trailing garbage after the right number of blocks. */
	len = packet(b, 1, 3, lens, 3);
	b[len] = 0;
	assert_int_equal(parse_guarded(b, len + 1, &pkt, &g), WB_PROTO_MALFORMED);
	wb_guard_free(&g);
}

static void
test_zero_block(void **state)
{
	static const uint16_t lens[] = {12, 0, 12};
	uint8_t b[128];
	struct wb_mold_pkt pkt;
	struct wb_guard g;
	size_t len;

	(void)state;
	len = packet(b, 1, 3, lens, 3);
	assert_int_equal(parse_guarded(b, len, &pkt, &g), WB_PROTO_MALFORMED);
	wb_guard_free(&g);
}

static void
test_every_cut(void **state)
{
	static const uint16_t lens[] = {36, 19, 50, 12};
	uint8_t b[256];
	struct wb_mold_pkt pkt;
	struct wb_guard g;
	size_t len, l;

	(void)state;
	len = packet(b, 7, 4, lens, 4);
	for (l = 0; l < len; l++) {
		assert_int_equal(parse_guarded(b, l, &pkt, &g), WB_PROTO_TRUNCATED);
		wb_guard_free(&g);
	}
	assert_int_equal(parse_guarded(b, len, &pkt, &g), (int)len);
	wb_guard_free(&g);
}

static void
test_block_length_too_big(void **state)
{
	static const uint16_t lens[] = {12};
	uint8_t b[64];
	struct wb_mold_pkt pkt;
	struct wb_guard g;
	size_t len;

	(void)state;
	len = packet(b, 1, 1, lens, 1);
	b[WB_MOLD_HDR_LEN] = 0xff; /* block length 0xff0c */
	assert_int_equal(parse_guarded(b, len, &pkt, &g), WB_PROTO_TRUNCATED);
	wb_guard_free(&g);
}

static int
req_guarded(const uint8_t *src, size_t len, struct wb_mold_req *req, struct wb_guard *g)
{
	return wb_mold_req_parse(wb_guard_copy(g, src, len), len, req);
}

static void
test_request_bytes(void **state)
{
	static const uint8_t want[WB_MOLD_REQ_LEN] = {'0', '0', '0', '0', '1', '0', '0',
						      '5', '9', 'B', 0x01, 0x02, 0x03, 0x04,
						      0x05, 0x06, 0x07, 0x08, 0x01, 0x2c};
	uint8_t b[WB_MOLD_REQ_LEN + 8];
	struct wb_mold_req req;
	struct wb_guard g;
	size_t l;

	(void)state;
	memset(b, 0xee, sizeof(b));
	assert_int_equal(wb_mold_req_put(b, sizeof(b), session, 0x0102030405060708ull, 300),
			 WB_MOLD_REQ_LEN);
	assert_memory_equal(b, want, WB_MOLD_REQ_LEN);
	assert_int_equal(b[WB_MOLD_REQ_LEN], 0xee); /* nothing written past the request */
	assert_int_equal(req_guarded(b, WB_MOLD_REQ_LEN, &req, &g), WB_MOLD_REQ_LEN);
	assert_memory_equal(req.session, session, WB_MOLD_SESSION_LEN);
	assert_true(req.seq == 0x0102030405060708ull);
	assert_int_equal(req.count, 300);
	wb_guard_free(&g);
	/* Every cut is truncated, one byte more is malformed. */
	for (l = 0; l < WB_MOLD_REQ_LEN; l++) {
		assert_int_equal(req_guarded(b, l, &req, &g), WB_PROTO_TRUNCATED);
		wb_guard_free(&g);
	}
	assert_int_equal(req_guarded(b, WB_MOLD_REQ_LEN + 1, &req, &g), WB_PROTO_MALFORMED);
	wb_guard_free(&g);
	/* The encoder needs the whole 20 bytes and writes nothing otherwise. */
	memset(b, 0xee, sizeof(b));
	assert_int_equal(wb_mold_req_put(b, WB_MOLD_REQ_LEN - 1, session, 1, 1),
			 WB_PROTO_TRUNCATED);
	assert_int_equal(b[0], 0xee);
	assert_int_equal(wb_mold_req_put(b, WB_MOLD_REQ_LEN, session, 1, 1), WB_MOLD_REQ_LEN);
}

static void
test_request_fields(void **state)
{
	static const struct {
		uint64_t seq;
		uint16_t count;
		int rc;
	} cases[] = {
	    {1, 1, WB_MOLD_REQ_LEN},
	    {1, 0xFFFE, WB_MOLD_REQ_LEN},
	    {UINT64_MAX - 5, 5, WB_MOLD_REQ_LEN},
	    {0, 1, WB_PROTO_MALFORMED},			 /* sequences start at 1 */
	    {1, 0, WB_PROTO_MALFORMED},			 /* nothing asked */
	    {1, WB_MOLD_END_OF_SESSION, WB_PROTO_MALFORMED}, /* a marker, not a count */
	    {UINT64_MAX - 4, 5, WB_PROTO_MALFORMED},	 /* runs past the last sequence */
	    {UINT64_MAX, 1, WB_PROTO_MALFORMED},
	};
	uint8_t b[WB_MOLD_REQ_LEN];
	struct wb_mold_req req;
	struct wb_guard g;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* The decoder sees the raw bytes; the encoder refuses the same cases. */
		wb_mold_put_hdr(b, session, cases[i].seq, cases[i].count);
		assert_int_equal(req_guarded(b, sizeof(b), &req, &g), cases[i].rc);
		wb_guard_free(&g);
		assert_int_equal(wb_mold_req_put(b, sizeof(b), session, cases[i].seq,
						 cases[i].count),
				 cases[i].rc);
	}
}

/* A 30-byte ITCH-like message stamped ts, its bytes tagged with i. */
static void
pack_msg(uint8_t *m, unsigned int i, uint64_t ts)
{
	memset(m, (int)(i & 0xff), 30);
	m[0] = 'X';
	wb_put_be48(m + 5, ts);
}

/* The packer (wb_moldpack) that sim and the daemon's replay port share. */
static void
test_pack(void **state)
{
	struct wb_moldpack p;
	struct wb_mold_pkt pkt;
	struct wb_mold_iter it;
	const uint8_t *out, *m;
	uint8_t msg[30], big[200];
	uint64_t seq = 7, ts = 1000;
	unsigned int i = 0, got = 0, pkts = 0;
	uint16_t l, count;
	size_t len;
	int rc;

	(void)state;
	/* 20 + 3 * 32 = 116: exactly three messages per 116-byte payload */
	wb_moldpack_init(&p, "ABC", 116, seq);
	memset(big, 0, sizeof(big));
	assert_int_equal(wb_moldpack_add(&p, big, 99), -EMSGSIZE);
	while (i < 10 || wb_moldpack_count(&p) != 0) {
		if (i < 10) {
			pack_msg(msg, i, ts + i);
			rc = wb_moldpack_add(&p, msg, sizeof(msg));
			if (rc == 1) {
				i++;
				continue;
			}
			assert_int_equal(rc, 0);
		}
		count = wb_moldpack_count(&p);
		assert_true(p.first_ts == ts + got && p.last_ts == ts + got + count - 1);
		len = wb_moldpack_flush(&p, &out);
		assert_int_equal(len, 20 + count * 32u);
		assert_true(len <= 116);
		assert_int_equal(wb_mold_parse(out, len, &pkt), (int)len);
		assert_memory_equal(pkt.session, "ABC       ", 10);
		assert_true(pkt.seq == seq);
		assert_int_equal(pkt.count, count);
		assert_true(wb_mold_first_ts(out, len) == ts + got);
		wb_mold_iter_init(&it, &pkt);
		while (wb_mold_iter_next(&it, &m, &l) == 1) {
			assert_int_equal(l, 30);
			assert_int_equal(m[1], got & 0xff);
			got++;
		}
		seq += count;
		pkts++;
	}
	assert_int_equal(got, 10);
	assert_int_equal(pkts, 4); /* 3 + 3 + 3 + 1 */
	assert_true(wb_itch_msg_ts(msg, 10) == UINT64_MAX);
	assert_true(wb_mold_first_ts(out, 5) == UINT64_MAX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pack),
	    cmocka_unit_test(test_header),	    cmocka_unit_test(test_heartbeat_end),
	    cmocka_unit_test(test_count_vs_blocks), cmocka_unit_test(test_zero_block),
	    cmocka_unit_test(test_every_cut),	    cmocka_unit_test(test_block_length_too_big),
	    cmocka_unit_test(test_request_bytes),   cmocka_unit_test(test_request_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
