/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Capture reader and writer: pcap (micro/nano, both byte orders), pcapng
 * (both byte orders, several interfaces, skipped blocks), each plain and
 * gzip'ed (small files, and a big one whose records straddle the reader's
 * inflate chunks), cut at every byte of the last record, and malformed.
 * Files are written into a mkdtemp directory, by hand or by wb_pcap_writer.
 */
#include "test_files.h"

#include "wb_compiler.h"

/* The writer's files read back, nanosecond and microsecond, plain and gzip. */
static void
test_pcap_writer_roundtrip(void **state)
{
	static const char *names[] = {"w_ns.pcap", "w_us.pcap", "w_ns.pcap.gz", "w_us.pcap.gz"};
	const uint64_t t0 = 1692711000123456789ull;
	struct wb_pcap_writer *w;
	struct wb_pcap_pkt pkt;
	struct wb_pcap *p;
	uint8_t f[2048], *raw;
	unsigned int k, i;
	size_t rawlen;

	(void)state;
	for (k = 0; k < 4; k++) {
		int nsec = !(k & 1);

		w = wb_pcap_writer_open(tmp_path(names[k]), nsec);
		assert_non_null(w);
		for (i = 0; i < 5; i++) {
			frame_fill(f, i);
			assert_int_equal(wb_pcap_write(w, t0 + i * 1001u, f, frame_len(i)), 0);
		}
		assert_int_equal(wb_pcap_writer_close(w), 0);
		raw = read_file(tmp_path(names[k]), &rawlen);
		if (k < 2) { /* on-disk header: LE magic, version 2.4, linktype 1 */
			assert_int_equal(raw[0], nsec ? 0x4d : 0xd4);
			assert_int_equal(raw[3], 0xa1);
			assert_int_equal(raw[4], 2);
			assert_int_equal(raw[6], 4);
			assert_int_equal(raw[20], 1);
		} else {
			assert_int_equal(raw[0], 0x1f);
			assert_int_equal(raw[1], 0x8b);
		}
		free(raw);
		p = wb_pcap_open(tmp_path(names[k]));
		assert_non_null(p);
		for (i = 0; i < 5; i++) {
			uint64_t ts = t0 + i * 1001u;

			assert_int_equal(wb_pcap_next(p, &pkt), 1);
			expect_frame(&pkt, i);
			assert_int_equal(pkt.linktype, WB_LINKTYPE_ETHERNET);
			assert_true(pkt.ts_ns == (nsec ? ts : ts / 1000 * 1000));
		}
		assert_int_equal(wb_pcap_next(p, &pkt), 0);
		assert_int_equal(wb_pcap_next(p, &pkt), 0);
		assert_true(wb_pcap_count(p) == 5);
		wb_pcap_close(p);
	}
}

/* A classic pcap built by hand in either byte order. */
static void
classic(struct buf *b, int be, int nsec, unsigned int nframes, uint32_t linktype)
{
	uint8_t f[2048];
	unsigned int i;

	b->len = 0;
	put32(b, nsec ? 0xa1b23c4du : 0xa1b2c3d4u, be);
	put16(b, 2, be);
	put16(b, 4, be);
	put32(b, 0, be);
	put32(b, 0, be);
	put32(b, 65535, be);
	put32(b, linktype | 0x10000000u, be); /* FCS bits must be masked off */
	for (i = 0; i < nframes; i++) {
		frame_fill(f, i);
		put32(b, 1700000000u + i, be);
		put32(b, nsec ? 999999999u - i : 999999u - i, be);
		put32(b, frame_len(i), be);
		put32(b, frame_len(i), be);
		put(b, f, frame_len(i));
	}
}

static void
test_pcap_byte_orders(void **state)
{
	struct wb_pcap_pkt pkt;
	struct buf b = {0};
	struct wb_pcap *p;
	unsigned int k, i;

	(void)state;
	for (k = 0; k < 8; k++) {
		int be = k & 1, nsec = (k >> 1) & 1, gz = (k >> 2) & 1;

		classic(&b, be, nsec, 4, 228);
		p = wb_pcap_open(write_file("c.pcap", b.p, b.len, gz));
		assert_non_null(p);
		for (i = 0; i < 4; i++) {
			assert_int_equal(wb_pcap_next(p, &pkt), 1);
			expect_frame(&pkt, i);
			assert_int_equal(pkt.linktype, 228);
			assert_true(pkt.ts_ns ==
				    (1700000000ull + i) * 1000000000u +
					(nsec ? 999999999u - i : (999999u - i) * 1000ull));
		}
		assert_int_equal(wb_pcap_next(p, &pkt), 0);
		wb_pcap_close(p);
	}
	free(b.p);
}

/* Every cut inside the last record: 3 packets, then TRUNCATED (plain and gzip). */
static void
test_pcap_truncated(void **state)
{
	struct wb_pcap_pkt pkt;
	struct buf b = {0};
	struct wb_pcap *p;
	size_t full, cut;
	unsigned int i;
	int gz;

	(void)state;
	classic(&b, 0, 1, 4, 1);
	full = b.len;
	for (gz = 0; gz < 2; gz++) {
		for (cut = full - 16 - frame_len(3) + 1; cut < full; cut++) {
			p = wb_pcap_open(write_file("t.pcap", b.p, cut, gz));
			assert_non_null(p);
			for (i = 0; i < 3; i++)
				assert_int_equal(wb_pcap_next(p, &pkt), 1);
			assert_int_equal(wb_pcap_next(p, &pkt), WB_PROTO_TRUNCATED);
			assert_int_equal(wb_pcap_next(p, &pkt), WB_PROTO_TRUNCATED); /* sticky */
			wb_pcap_close(p);
		}
	}
	/* A header cut short, an empty file, not a capture at all. */
	for (cut = 0; cut < 24; cut++) {
		errno = 0;
		assert_null(wb_pcap_open(write_file("h.pcap", b.p, cut, 0)));
		assert_int_equal(errno, EINVAL);
	}
	assert_null(wb_pcap_open(write_file("x.pcap", "hello, world, not a pcap", 24, 0)));
	assert_int_equal(errno, EINVAL);
	assert_null(wb_pcap_open(tmp_path("does-not-exist")));
	assert_int_equal(errno, ENOENT);
	free(b.p);
}

static void
test_pcap_malformed(void **state)
{
	struct wb_pcap_pkt pkt;
	struct buf b = {0};
	struct wb_pcap *p;

	(void)state;
	classic(&b, 1, 0, 2, 1);
	/* Second record's incl_len: 2 GB. */
	b.p[24 + 16 + frame_len(0) + 8] = 0x80;
	p = wb_pcap_open(write_file("m.pcap", b.p, b.len, 0));
	assert_non_null(p);
	assert_int_equal(wb_pcap_next(p, &pkt), 1);
	assert_int_equal(wb_pcap_next(p, &pkt), WB_PROTO_MALFORMED);
	wb_pcap_close(p);
	free(b.p);
}

/* gzip'ed capture far bigger than the reader's 1 MiB inflate window. */
static void
test_pcap_big_gzip(void **state)
{
	const unsigned int n = 12000;
	struct wb_pcap_writer *w;
	struct wb_pcap_pkt pkt;
	struct wb_pcap *p;
	uint8_t f[2048];
	uint64_t bytes = 0;
	unsigned int i;

	(void)state;
	w = wb_pcap_writer_open(tmp_path("big.pcap.gz"), 1);
	assert_non_null(w);
	for (i = 0; i < n; i++) {
		frame_fill(f, i);
		assert_int_equal(wb_pcap_write(w, i, f, frame_len(i)), 0);
		bytes += 16 + frame_len(i);
	}
	assert_int_equal(wb_pcap_writer_close(w), 0);
	assert_true(bytes > 8u << 20);
	p = wb_pcap_open(tmp_path("big.pcap.gz"));
	assert_non_null(p);
	for (i = 0; i < n; i++) {
		assert_int_equal(wb_pcap_next(p, &pkt), 1);
		expect_frame(&pkt, i);
		assert_true(pkt.ts_ns == i);
	}
	assert_int_equal(wb_pcap_next(p, &pkt), 0);
	wb_pcap_close(p);
}

/* pcapng blocks, in a section's byte order. */
static void
ng_block(struct buf *b, uint32_t type, const struct buf *body, int be)
{
	static const uint8_t zero[4];
	uint32_t len = 12u + (uint32_t)(body->len + 3) / 4 * 4;

	put32(b, type, be);
	put32(b, len, be);
	put(b, body->p, body->len);
	put(b, zero, (4 - body->len % 4) % 4);
	put32(b, len, be);
}

static void
ng_shb(struct buf *b, int be)
{
	struct buf body = {0};

	put32(&body, 0x1A2B3C4Du, be);
	put16(&body, 1, be);
	put16(&body, 0, be);
	put32(&body, 0xffffffffu, be); /* section length: unknown */
	put32(&body, 0xffffffffu, be);
	ng_block(b, 0x0A0D0D0Au, &body, be);
	free(body.p);
}

/* tsresol < 0: none; tsoffset 0: none. */
static void
ng_idb(struct buf *b, int be, uint16_t linktype, uint32_t snaplen, int tsresol, int64_t tsoffset)
{
	static const uint8_t pad[4];
	struct buf body = {0};
	uint8_t r;

	put16(&body, linktype, be);
	put16(&body, 0, be);
	put32(&body, snaplen, be);
	put16(&body, 2, be); /* if_name, skipped */
	put16(&body, 5, be);
	put(&body, "eth0", 5);
	put(&body, pad, 3);
	if (tsresol >= 0) {
		r = (uint8_t)tsresol;
		put16(&body, 9, be);
		put16(&body, 1, be);
		put(&body, &r, 1);
		put(&body, pad, 3);
	}
	if (tsoffset != 0) {
		put16(&body, 14, be);
		put16(&body, 8, be);
		put32(&body, (uint32_t)((uint64_t)tsoffset >> (be ? 32 : 0)), be);
		put32(&body, (uint32_t)((uint64_t)tsoffset >> (be ? 0 : 32)), be);
	}
	put16(&body, 0, be); /* opt_endofopt */
	put16(&body, 0, be);
	ng_block(b, 1, &body, be);
	free(body.p);
}

static void
ng_epb(struct buf *b, int be, uint32_t ifid, uint64_t ts, unsigned int i)
{
	static const uint8_t pad[4];
	struct buf body = {0};
	uint8_t f[2048];

	frame_fill(f, i);
	put32(&body, ifid, be);
	put32(&body, (uint32_t)(ts >> 32), be);
	put32(&body, (uint32_t)ts, be);
	put32(&body, frame_len(i), be);
	put32(&body, frame_len(i), be);
	put(&body, f, frame_len(i));
	put(&body, pad, (4 - frame_len(i) % 4) % 4);
	put16(&body, 1, be); /* opt_comment */
	put16(&body, 2, be);
	put(&body, "hi\0\0", 4);
	put16(&body, 0, be);
	put16(&body, 0, be);
	ng_block(b, 6, &body, be);
	free(body.p);
}

static void
ng_spb(struct buf *b, int be, unsigned int i, uint32_t snap)
{
	struct buf body = {0};
	uint8_t f[2048];
	uint32_t n = frame_len(i) < snap ? frame_len(i) : snap;

	frame_fill(f, i);
	put32(&body, frame_len(i), be);
	put(&body, f, n);
	ng_block(b, 3, &body, be);
	free(body.p);
}

static void
ng_other(struct buf *b, int be, uint32_t type)
{
	struct buf body = {0};

	put32(&body, 0xdeadbeef, be);
	put32(&body, 0, be);
	ng_block(b, type, &body, be);
	free(body.p);
}

/* Two sections (LE then BE), three interfaces, EPB + SPB, skipped blocks. */
static size_t
ng_file(struct buf *b)
{
	size_t last;

	b->len = 0;
	ng_shb(b, 0);
	ng_idb(b, 0, WB_LINKTYPE_ETHERNET, 65535, -1, 0); /* microseconds */
	ng_idb(b, 0, WB_LINKTYPE_IPV4, 0, 9, 100);	  /* nanoseconds, +100 s */
	ng_other(b, 0, 4);				  /* name resolution */
	ng_epb(b, 0, 0, 1700000000123456ull, 0);
	ng_epb(b, 0, 1, 5000000123ull, 1);
	ng_spb(b, 0, 2, 65535);
	ng_other(b, 0, 0x40000BADu); /* custom */
	ng_epb(b, 0, 1, 7, 3);
	ng_shb(b, 1);
	ng_idb(b, 1, WB_LINKTYPE_LINUX_SLL, 100, 0x80 | 20, -2); /* 2^-20 s, -2 s */
	ng_epb(b, 1, 0, (3ull << 20) | (1ull << 19), 4);
	last = b->len;
	ng_spb(b, 1, 5, 100);
	return b->len - last;
}

static void
check_ng_packets(struct wb_pcap *p, unsigned int n)
{
	static const struct {
		uint32_t linktype;
		uint64_t ts;
	} want[] = {
	    {1, 1700000000123456000ull}, {228, 105000000123ull}, {1, 0},
	    {228, 100000000007ull},	 {113, 1500000000ull},	 {113, 0},
	};
	struct wb_pcap_pkt pkt;
	unsigned int i;

	for (i = 0; i < n; i++) {
		assert_int_equal(wb_pcap_next(p, &pkt), 1);
		assert_int_equal(pkt.linktype, want[i].linktype);
		assert_true(pkt.ts_ns == want[i].ts);
		if (i == 5) {
			uint8_t f[2048];

			frame_fill(f, 5);
			assert_int_equal(pkt.caplen, 100);
			assert_int_equal(pkt.origlen, frame_len(5));
			assert_memory_equal(pkt.data, f, 100);
		} else {
			expect_frame(&pkt, i);
		}
	}
}

static void
test_pcapng(void **state)
{
	struct wb_pcap_pkt pkt;
	struct buf b = {0};
	struct wb_pcap *p;
	int gz;

	(void)state;
	ng_file(&b);
	for (gz = 0; gz < 2; gz++) {
		p = wb_pcap_open(write_file("a.pcapng", b.p, b.len, gz));
		assert_non_null(p);
		check_ng_packets(p, 6);
		assert_int_equal(wb_pcap_next(p, &pkt), 0);
		wb_pcap_close(p);
	}
	free(b.p);
}

static void
test_pcapng_truncated(void **state)
{
	struct wb_pcap_pkt pkt;
	struct buf b = {0};
	struct wb_pcap *p;
	size_t last, cut;
	int gz;

	(void)state;
	last = ng_file(&b);
	for (gz = 0; gz < 2; gz++) {
		for (cut = b.len - last + 1; cut < b.len; cut++) {
			p = wb_pcap_open(write_file("t.pcapng", b.p, cut, gz));
			assert_non_null(p);
			check_ng_packets(p, 5);
			assert_int_equal(wb_pcap_next(p, &pkt), WB_PROTO_TRUNCATED);
			wb_pcap_close(p);
		}
		/* Cut on the block boundary: a clean end. */
		p = wb_pcap_open(write_file("t.pcapng", b.p, b.len - last, gz));
		assert_non_null(p);
		check_ng_packets(p, 5);
		assert_int_equal(wb_pcap_next(p, &pkt), 0);
		wb_pcap_close(p);
	}
	free(b.p);
}

/* SHB + IDB + one EPB, then one byte or word changed. */
static void
expect_ng_malformed(size_t off, const void *bytes, size_t n)
{
	struct wb_pcap_pkt pkt;
	struct buf b = {0};
	struct wb_pcap *p;

	ng_shb(&b, 0);
	ng_idb(&b, 0, 1, 0, 9, 0);
	ng_epb(&b, 0, 0, 1, 0);
	memcpy(b.p + off, bytes, n);
	p = wb_pcap_open(write_file("m.pcapng", b.p, b.len, 0));
	assert_non_null(p);
	if (wb_pcap_next(p, &pkt) != WB_PROTO_MALFORMED)
		fail_msg("offset %zu: not malformed", off);
	assert_int_equal(wb_pcap_next(p, &pkt), WB_PROTO_MALFORMED);
	wb_pcap_close(p);
	free(b.p);
}

static void
test_pcapng_malformed(void **state)
{
	/* Offsets: SHB 0..27, IDB 28..71 (if_name length at +18, tsresol value at +32), EPB 72.. */
	static const uint8_t len13[4] = {13, 0, 0, 0}, len8[4] = {8, 0, 0, 0},
			     ff[4] = {0xff, 0xff, 0xff, 0x7f}, if5[4] = {5, 0, 0, 0},
			     res[1] = {0x7f}, badbom[4] = {1, 2, 3, 4}, big[2] = {0xff, 0x7f};

	(void)state;
	expect_ng_malformed(8, badbom, 4);	/* byte-order magic */
	expect_ng_malformed(72 + 4, len13, 4);	/* EPB length not a multiple of 4 */
	expect_ng_malformed(72 + 4, len8, 4);	/* EPB length below 12 */
	expect_ng_malformed(72 + 4, ff, 4);	/* EPB length absurd */
	expect_ng_malformed(72 + 8, if5, 4);	/* unknown interface */
	expect_ng_malformed(72 + 20, ff, 4);	/* caplen beyond the block */
	expect_ng_malformed(28 + 32, res, 1);	/* if_tsresol 10^-127 */
	expect_ng_malformed(28 + 18, big, 2);	/* option length beyond the block */
	expect_ng_malformed(28 + 40, len13, 1); /* IDB trailing length differs */
}

/* The daemon's capture format: pcapng, one interface, nanosecond stamps. */
static void
test_pcapng_writer_roundtrip(void **state)
{
	static const uint64_t ts[3] = {1767312000123456789ull, 1767312000123456790ull,
				       1767312001000000001ull};
	struct wb_pcapng_writer *w;
	struct wb_pcap_pkt pkt;
	struct wb_pcap *p;
	uint8_t frame[3][101];
	unsigned int i, len[3] = {60, 101, 1};

	(void)state;
	for (i = 0; i < 3; i++)
		memset(frame[i], (int)(0x40 + i), sizeof(frame[i]));
	w = wb_pcapng_writer_open(tmp_path("cap.pcapng"), WB_LINKTYPE_ETHERNET, 2048, "port0");
	assert_non_null(w);
	for (i = 0; i < 3; i++)
		assert_int_equal(wb_pcapng_write(w, ts[i], frame[i], len[i], len[i] + (i == 2)), 0);
	assert_true(wb_pcapng_writer_bytes(w) > 3 * 32 + 60 + 101);
	assert_int_equal(wb_pcapng_writer_close(w), 0);
	p = wb_pcap_open(tmp_path("cap.pcapng"));
	assert_non_null(p);
	for (i = 0; i < 3; i++) {
		assert_int_equal(wb_pcap_next(p, &pkt), 1);
		assert_int_equal(pkt.caplen, len[i]);
		assert_int_equal(pkt.origlen, len[i] + (i == 2));
		assert_true(pkt.ts_ns == ts[i]);
		assert_int_equal(pkt.linktype, WB_LINKTYPE_ETHERNET);
		assert_memory_equal(pkt.data, frame[i], len[i]);
	}
	assert_int_equal(wb_pcap_next(p, &pkt), 0);
	wb_pcap_close(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pcapng_writer_roundtrip),
	    cmocka_unit_test(test_pcap_writer_roundtrip), cmocka_unit_test(test_pcap_byte_orders),
	    cmocka_unit_test(test_pcap_truncated),	  cmocka_unit_test(test_pcap_malformed),
	    cmocka_unit_test(test_pcap_big_gzip),	  cmocka_unit_test(test_pcapng),
	    cmocka_unit_test(test_pcapng_truncated),	  cmocka_unit_test(test_pcapng_malformed),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
