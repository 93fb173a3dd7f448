#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Builds the libFuzzer targets in tests/fuzz with clang (ASan + UBSan) and
# runs each for SECONDS (default 60) on one core. Corpora are kept in
# build-fuzz/corpus/<target> so later runs continue where earlier ones ended.
#   scripts/fuzz.sh [SECONDS] [TARGET...]     e.g. scripts/fuzz.sh 60 fuzz_itch
set -eu
cd "$(dirname "$0")/.."
secs=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-"fuzz_itch fuzz_mold fuzz_net fuzz_pcap fuzz_feed fuzz_pitch"}
out=build-fuzz
rc=0
mkdir -p "$out"
CC=${CC:-clang}
flags="-g -O1 -std=gnu11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Isrc/common -Isrc/proto -Isrc/book -Isrc/session -Isrc/feed -Isrc/shm -Iinclude"
srcs="src/proto/wb_itch50.c src/proto/wb_moldudp64.c src/proto/wb_net.c src/proto/wb_arp.c src/proto/wb_pcap.c src/proto/wb_fstream.c src/common/wb_err.c"
# the PITCH target also takes the per-unit sequencer
pitch_srcs="src/proto/wb_pitch.c src/session/wb_pitch_seq.c"
# the feed target also takes the session, the books, the feed and its publisher
feed_srcs="src/session/wb_session.c src/book/wb_book.c src/book/wb_book_create.c src/book/wb_book_mem.c src/book/wb_book_prefetch.c src/book/wb_book_query.c src/feed/wb_feed.c src/feed/wb_feed_rel.c src/feed/wb_feed_stale.c src/feed/wb_publish.c src/shm/wb_shm_region.c src/shm/wb_shm_clients.c src/common/wb_tsc.c src/common/wb_histo.c"
for t in $targets; do
	echo "== $t: build"
	extra=
	[ "$t" = fuzz_feed ] && extra=$feed_srcs
	[ "$t" = fuzz_pitch ] && extra=$pitch_srcs
	$CC $flags "tests/fuzz/$t.c" $srcs $extra -lz -o "$out/$t"
	mkdir -p "$out/corpus/$t"
	if [ "$t" = fuzz_pcap ] && [ -z "$(ls -A "$out/corpus/$t")" ]; then
		cp tests/data/nasdaq/itch50/moldudp64/*.pcap "$out/corpus/$t/"
		gzip -c tests/data/nasdaq/itch50/moldudp64/nasdaq_Multiple.Packets.pcap \
			> "$out/corpus/$t/multiple.pcap.gz"
	fi
	if [ "$t" = fuzz_pitch ] && [ -z "$(ls -A "$out/corpus/$t")" ]; then
		# seeds: the UDP payloads of the real Cboe captures
		/usr/bin/python3 scripts/pcap_payloads.py "$out/corpus/$t" tests/data/cboe/pitch/*/*.pcap
	fi
	echo "== $t: run ${secs}s"
	if "$out/$t" -max_total_time="$secs" -max_len=4096 -print_final_stats=1 \
		-artifact_prefix="$out/$t-" "$out/corpus/$t" > "$out/$t.log" 2>&1; then
		grep -E '^(Done|stat::new_units)' "$out/$t.log"
	else
		tail -n 40 "$out/$t.log"
		echo "== $t: FAILED; reproducer: $out/$t-*" >&2
		rc=1
	fi
done
exit $rc
