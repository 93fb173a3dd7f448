/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libwirebook-replay against `wirebook replay`'s own loop (wb_input_run()
 * with a sink): read in batches of every size from 1 up, through the spill
 * a record's extra events wait in, the events are the same ones in the same
 * order and the books at the end are the same; a damaged file gives its
 * events and then the error; bad options are refused; wb_replay_book
 * refuses a struct smaller than its 2.0 size, naming the call.
 */
#include "wb_test.h"

#include <errno.h>
#include <inttypes.h>

#include "wb_input.h"
#include "wirebook/replay.h"

#define SAMPLE "sample/sample.pcap"
#define BINFILE "nasdaq/itch50/binaryfile/nasdaq_itch50_2019_first1000msgs.itch"
#define HEAD4096 "nasdaq/itch50/binaryfile/nasdaq_itch50_20190130_head4096.itch"

struct ref {
	struct wb_event *ev;
	size_t n, cap;
};

static void
ref_on_event(void *ctx, const struct wb_event *ev)
{
	struct ref *r = ctx;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 1024;
		r->ev = realloc(r->ev, r->cap * sizeof(*r->ev));
		assert_non_null(r->ev);
	}
	r->ev[r->n++] = *ev;
}

/* `wirebook replay`'s loop over path; the feed is left for the books. */
static struct wb_feed *
ref_run(const char *path, struct ref *r)
{
	struct wb_feed_params fp;
	struct wb_feed_sink sink;
	struct wb_input *in;
	struct wb_feed *f;

	memset(r, 0, sizeof(*r));
	in = wb_input_open(path);
	assert_non_null(in);
	wb_feed_params_default(&fp);
	fp.book.max_orders = 1u << 22;
	fp.book.max_levels = 1u << 20;
	f = wb_feed_create(&fp);
	assert_non_null(f);
	memset(&sink, 0, sizeof(sink));
	sink.on_event = ref_on_event;
	sink.ctx = r;
	wb_feed_set_sink(f, &sink);
	wb_input_run(in, f, 32);
	wb_input_close(in);
	return f;
}

/*
 * The header of each event, and the union where the feed writes all of it
 * (BBO): the rest of a union is only as defined as the buffer it was built in.
 */
static void
same_event(const struct wb_event *a, const struct wb_event *b, size_t i)
{
	if (a->type != b->type || a->seq != b->seq || a->exch_ts != b->exch_ts ||
	    a->rx_tsc != b->rx_tsc || a->instrument != b->instrument || a->side != b->side ||
	    a->venue != b->venue || a->flags != b->flags || a->qty != b->qty ||
	    (a->type == WB_EV_BBO && memcmp(&a->u.bbo, &b->u.bbo, sizeof(a->u.bbo)) != 0))
		fail_msg("event %zu differs (type %u/%u, seq %" PRIu64 "/%" PRIu64 ")", i, a->type,
			 b->type, a->seq, b->seq);
}

static void
check_file(const char *rel, uint64_t min_events)
{
	static const unsigned long sizes[] = { 1, 2, 3, 7, 64, 1000, 1u << 20 };
	const char *path = wb_test_data(rel);
	struct wb_event *out = malloc((1u << 20) * sizeof(*out));
	struct wb_client_book bk = WB_CLIENT_BOOK_INIT;
	struct wb_replay_stats st;
	struct wb_level_info lv[WB_CLIENT_MAX_DEPTH];
	struct wb_replay *r;
	struct wb_feed *f;
	struct ref ref;
	uint32_t ids[1024], nids, k;
	unsigned int s, n, j;
	size_t got;
	long rc;

	assert_non_null(out);
	f = ref_run(path, &ref);
	assert_true(ref.n >= min_events);
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		r = wb_replay_open(path, NULL);
		assert_non_null(r);
		got = 0;
		while ((rc = wb_replay_read(r, out, sizes[s])) > 0) {
			assert_true((unsigned long)rc <= sizes[s]);
			for (j = 0; j < (unsigned long)rc; j++) {
				assert_true(got + j < ref.n);
				same_event(&out[j], &ref.ev[got + j], got + j);
				assert_int_equal(out[j].ring_tag, got + j + 1);
			}
			got += (size_t)rc;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(got, ref.n);
		assert_int_equal(wb_replay_read(r, out, sizes[s]), 0);
		wb_replay_stats(r, &st);
		assert_int_equal(st.events, ref.n);
		assert_int_equal(st.messages, wb_feed_stats(f)->messages);
		assert_int_equal(st.done, 1);
		/* the books at the end, level by level */
		nids = wb_replay_instruments(r, ids, 1024);
		assert_true(nids > 0 && nids <= 1024);
		for (k = 0; k < nids; k++) {
			assert_int_equal(wb_replay_book(r, ids[k], &bk), 0);
			assert_string_equal(bk.symbol, wb_book_instrument(wb_feed_book(f), ids[k])->symbol);
			n = wb_book_levels(wb_feed_book(f), ids[k], 'B', lv, WB_CLIENT_MAX_DEPTH);
			assert_int_equal(bk.nbid, n);
			for (j = 0; j < n; j++)
				assert_true(bk.bid[j].price == lv[j].price && bk.bid[j].shares == lv[j].shares &&
					    bk.bid[j].orders == lv[j].orders);
			n = wb_book_levels(wb_feed_book(f), ids[k], 'S', lv, WB_CLIENT_MAX_DEPTH);
			assert_int_equal(bk.nask, n);
			for (j = 0; j < n; j++)
				assert_true(bk.ask[j].price == lv[j].price && bk.ask[j].shares == lv[j].shares);
		}
		assert_int_equal(wb_replay_book(r, wb_replay_max_instruments(r), &bk), -EINVAL);
		wb_replay_close(r);
	}
	wb_feed_destroy(f);
	free(ref.ev);
	free(out);
}

static void
test_sample_pcap(void **state)
{
	(void)state;
	check_file(SAMPLE, 20000);
}

static void
test_binaryfile(void **state)
{
	(void)state;
	check_file(BINFILE, 990); /* 993 directory messages, 3 halts */
}

/* 101 whole messages, then a cut record: their events, then -EIO, named. */
static void
test_damaged(void **state)
{
	struct wb_event out[64];
	struct wb_replay_stats st;
	struct wb_replay *r;
	long rc;

	(void)state;
	r = wb_replay_open(wb_test_data(HEAD4096), NULL);
	assert_non_null(r);
	while ((rc = wb_replay_read(r, out, 64)) > 0)
		;
	assert_int_equal(rc, -EIO);
	assert_non_null(strstr(wb_replay_errmsg(), "offset"));
	wb_replay_stats(r, &st);
	assert_int_equal(st.messages, 101);
	assert_int_equal(wb_replay_read(r, out, 64), -EIO);
	wb_replay_close(r);
}

static void
test_refused(void **state)
{
	struct wb_replay_opts o;

	(void)state;
	wb_replay_opts_default(&o);
	o.protocol = "sbe";
	assert_null(wb_replay_open(wb_test_data(SAMPLE), &o));
	assert_int_equal(errno, EPROTONOSUPPORT);
	wb_replay_opts_default(&o);
	o.channels = "239.77.0.1:26400,nonsense";
	assert_null(wb_replay_open(wb_test_data(SAMPLE), &o));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(wb_replay_errmsg(), "nonsense"));
	o.channels = "239.77.0.1:26400";
	assert_null(wb_replay_open(wb_test_data(BINFILE), &o));
	assert_int_equal(errno, EINVAL);
	wb_replay_opts_default(&o);
	o.protocol = "pitch"; /* a BinaryFILE is ITCH */
	assert_null(wb_replay_open(wb_test_data(BINFILE), &o));
	assert_int_equal(errno, EINVAL);
	assert_null(wb_replay_open(wb_test_data("no/such/file"), NULL));
	assert_int_equal(errno, ENOENT);
}

/*
 * wb_replay_book and the caller's size, as libwirebook's calls: a struct
 * smaller than the WIREBOOK_2.0 book (3,160 bytes) is refused with -EINVAL
 * naming the call, and not written; a larger one (a newer header) gets the
 * book and zeroes beyond it, its size kept; an old-sized one the same book.
 */
static void
test_book_sizes(void **state)
{
	static const uint32_t small[4] = {0, 4, 1580, 3159};
	const size_t extra = 64;
	struct wb_client_book ref = WB_CLIENT_BOOK_INIT;
	unsigned char *big = malloc(sizeof(ref) + extra);
	struct wb_client_book *b = (struct wb_client_book *)(void *)big;
	struct wb_replay *r;
	struct wb_event out[256];
	uint32_t id, size, i, k;

	(void)state;
	assert_non_null(big);
	r = wb_replay_open(wb_test_data(SAMPLE), NULL);
	assert_non_null(r);
	while (wb_replay_read(r, out, 256) > 0)
		;
	assert_int_equal(wb_replay_instruments(r, &id, 1) > 0, 1);
	assert_int_equal(wb_replay_book(r, id, &ref), 0);
	assert_true(ref.nbid + ref.nask > 0);
	/* too small: refused, untouched */
	for (k = 0; k < 4; k++) {
		size = small[k];
		memset(big, 0xA5, sizeof(ref) + extra);
		memcpy(big, &size, 4);
		assert_int_equal(wb_replay_book(r, id, b), -EINVAL);
		assert_non_null(strstr(wb_replay_errmsg(), "wb_replay_book: size"));
		for (i = 4; i < sizeof(ref) + extra; i++)
			assert_int_equal(big[i], 0xA5);
	}
	/* larger: the book, then zeroes; the size as the caller set it */
	memset(big, 0xA5, sizeof(ref) + extra);
	size = (uint32_t)(sizeof(ref) + extra);
	memcpy(big, &size, 4);
	assert_int_equal(wb_replay_book(r, id, b), 0);
	assert_int_equal(b->size, size);
	assert_memory_equal(big + 4, (unsigned char *)&ref + 4, sizeof(ref) - 4);
	for (i = 0; i < extra; i++)
		assert_int_equal(big[sizeof(ref) + i], 0);
	/* the 2.0 size exactly: the same book */
	memset(big, 0xA5, sizeof(ref) + extra);
	size = 3160;
	memcpy(big, &size, 4);
	assert_int_equal(wb_replay_book(r, id, b), 0);
	assert_memory_equal(big + 4, (unsigned char *)&ref + 4, 3160 - 4);
	assert_int_equal(big[3160], 0xA5);
	/* the other refusals name the call too */
	assert_int_equal(wb_replay_book(r, wb_replay_max_instruments(r), &ref), -EINVAL);
	assert_non_null(strstr(wb_replay_errmsg(), "wb_replay_book: instrument"));
	wb_replay_close(r);
	free(big);
}

/* A channel filter that matches nothing: every datagram filtered, no event. */
static void
test_channels(void **state)
{
	struct wb_event out[16];
	struct wb_replay_stats st;
	struct wb_replay_opts o;
	struct wb_replay *r;

	(void)state;
	wb_replay_opts_default(&o);
	o.channels = "239.1.1.1:1";
	r = wb_replay_open(wb_test_data(SAMPLE), &o);
	assert_non_null(r);
	assert_int_equal(wb_replay_read(r, out, 16), 0);
	wb_replay_stats(r, &st);
	assert_true(st.filtered > 5000 && st.datagrams == 0 && st.events == 0);
	wb_replay_close(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_pcap), cmocka_unit_test(test_binaryfile),
		cmocka_unit_test(test_damaged),	    cmocka_unit_test(test_refused),
		cmocka_unit_test(test_channels),    cmocka_unit_test(test_book_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
