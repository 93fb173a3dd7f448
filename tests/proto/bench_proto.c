/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-message / per-frame cost of the wire decoders on the real captures:
 *   decode  wb_itch_decode over the 1000 messages of the BinaryFILE slice
 *           plus the 227 messages of the 49 MoldUDP64 pcaps;
 *   mold    wb_mold_parse + iterate + decode per real UDP payload;
 *   net     wb_net_udp per real (802.1Q tagged) frame.
 * Usage: bench_proto STAGE REPS. Prints the wall time per item; under
 * valgrind --tool=callgrind the difference between two REPS values gives
 * repeatable instructions per item (scripts/bench_proto.sh does that).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wb_binfile.h"
#include "wb_itch50.h"
#include "wb_moldudp64.h"
#include "wb_net.h"
#include "wb_pcap.h"

#define MAX_ITEMS 4096

struct item {
	uint8_t *data;
	uint16_t len;
};

static struct item msgs[MAX_ITEMS], frames[MAX_ITEMS], payloads[MAX_ITEMS];
static size_t nmsgs, nframes;

static void
add(struct item *set, size_t *n, const uint8_t *d, size_t len)
{
	if (*n == MAX_ITEMS || len > UINT16_MAX)
		return;
	set[*n].data = malloc(len ? len : 1);
	if (set[*n].data == NULL)
		exit(1);
	memcpy(set[*n].data, d, len);
	set[*n].len = (uint16_t)len;
	(*n)++;
}

static void
load(const char *dir)
{
	char path[4096];
	struct wb_pcap_pkt pkt;
	struct wb_udp_view v;
	struct wb_mold_pkt mp;
	struct wb_mold_iter it;
	struct wb_binfile *bf;
	struct wb_pcap *p;
	struct dirent *de;
	const uint8_t *m;
	uint16_t len;
	DIR *d;

	snprintf(path, sizeof(path),
		 "%s/nasdaq/itch50/binaryfile/nasdaq_itch50_2019_first1000msgs.itch", dir);
	bf = wb_binfile_open(path);
	if (bf == NULL) {
		perror(path);
		exit(77);
	}
	while (wb_binfile_next(bf, &m, &len) == 1)
		add(msgs, &nmsgs, m, len);
	wb_binfile_close(bf);

	snprintf(path, sizeof(path), "%s/nasdaq/itch50/moldudp64", dir);
	d = opendir(path);
	if (d == NULL)
		exit(77);
	while ((de = readdir(d)) != NULL) {
		if (strstr(de->d_name, ".pcap") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/nasdaq/itch50/moldudp64/%s", dir, de->d_name);
		p = wb_pcap_open(path);
		if (p == NULL)
			continue;
		while (wb_pcap_next(p, &pkt) == 1) {
			size_t n = nframes;

			add(frames, &nframes, pkt.data, pkt.caplen);
			if (wb_net_udp(pkt.data, pkt.caplen, pkt.linktype, &v) != 0 ||
			    wb_mold_parse(v.payload, v.len, &mp) < 0)
				continue;
			add(payloads, &n, v.payload, v.len);
			wb_mold_iter_init(&it, &mp);
			while (wb_mold_iter_next(&it, &m, &len) == 1)
				add(msgs, &nmsgs, m, len);
		}
		wb_pcap_close(p);
	}
	closedir(d);
}

static __attribute__((noinline)) uint64_t
run(const char *stage, long reps, size_t *items)
{
	struct wb_itch_msg m;
	struct wb_udp_view v;
	struct wb_mold_pkt mp;
	struct wb_mold_iter it;
	const uint8_t *msg;
	uint64_t acc = 0;
	uint16_t len;
	size_t i;
	long r;

	if (strcmp(stage, "decode") == 0) {
		*items = nmsgs;
		for (r = 0; r < reps; r++)
			for (i = 0; i < nmsgs; i++)
				acc += (uint64_t)wb_itch_decode(msgs[i].data, msgs[i].len, &m) +
				       m.stock_locate;
	} else if (strcmp(stage, "mold") == 0) {
		*items = nframes;
		for (r = 0; r < reps; r++)
			for (i = 0; i < nframes; i++) {
				if (wb_mold_parse(payloads[i].data, payloads[i].len, &mp) < 0)
					continue;
				wb_mold_iter_init(&it, &mp);
				while (wb_mold_iter_next(&it, &msg, &len) == 1)
					acc += (uint64_t)wb_itch_decode(msg, len, &m);
			}
	} else if (strcmp(stage, "net") == 0) {
		*items = nframes;
		for (r = 0; r < reps; r++)
			for (i = 0; i < nframes; i++)
				if (wb_net_udp(frames[i].data, frames[i].len, 1, &v) == 0)
					acc += v.len;
	} else {
		fprintf(stderr, "stage must be decode, mold or net\n");
		exit(2);
	}
	return acc;
}

int
main(int argc, char **argv)
{
	const char *dir = getenv("WB_TESTDATA");
	struct timespec t0, t1;
	size_t items = 0;
	uint64_t acc;
	long reps;
	double ns;

	if (argc != 3) {
		fprintf(stderr, "usage: %s decode|mold|net REPS\n", argv[0]);
		return 2;
	}
	load(dir != NULL ? dir : "tests/data");
	reps = atol(argv[2]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	acc = run(argv[1], reps, &items);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
	printf("%s: %zu items x %ld reps: %.2f ns/item (checksum %llu)\n", argv[1], items, reps,
	       reps > 0 && items > 0 ? ns / (double)reps / (double)items : 0.0,
	       (unsigned long long)acc);
	return 0;
}
