#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# wirebookd --replay of files through the replay port: a Nasdaq BinaryFILE
# (plain and .gz, packed into MoldUDP64 on the fly) and a gzip'd pcap give
# the same books as 'wirebook replay'; --pace keeps its schedule and reports
# its error; --from builds the books silently and publishes them whole.
#
# usage: test_replay_files.sh WIREBOOKD WIREBOOK
set -eu
wbd=$1
wb=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wb-e2e-files.XXXXXX")
trap 'rm -rf "$tmp" "/dev/shm/wirebook.e2e-replay-$$" "/dev/shm/wirebook.e2e-replay-$$.clients" "/dev/shm/wirebook.e2e-replay-$$.lock" "/dev/shm/wirebook.e2e-replay-$$.stats"' EXIT INT TERM

fail() { echo "FAIL: $*" >&2; exit 1; }
field() { # field FILE LINE-PREFIX NAME -> value after "NAME " on that line
	awk -v p="$2" -v n="$3" -F'\t' 'index($1, p) == 1 { for (i = 2; i <= NF; i++) { split($i, kv, " "); if (kv[1] == n) print kv[2] } }' "$1"
}

"$wb" gen --seed 3 --messages 100000 --instruments 300 -o "$tmp/a.pcap"
"$wb" replay --dump-book "$tmp/ref.txt" "$tmp/a.pcap"
[ -s "$tmp/ref.txt" ] || fail "reference dump is empty"

# 1. The same stream as a Nasdaq BinaryFILE, plain and gzip'd, and as a
#     gzip'd pcap: the replay port packs the BinaryFILE into MoldUDP64 on the
#     fly and streams every file, same books as wirebook replay.
"$wb" gen --seed 3 --messages 100000 --instruments 300 -o "$tmp/a.itch"
"$wb" gen --seed 3 --messages 100000 --instruments 300 -o "$tmp/a.itch.gz"
gzip -c "$tmp/a.pcap" >"$tmp/a.pcap.gz"
for f in a.itch a.itch.gz a.pcap.gz; do
	"$wbd" --replay "$tmp/$f" --name "e2e-replay-$$" --dump-book "$tmp/d.txt" --stats \
		>"$tmp/sum.txt" 2>"$tmp/log.txt" || { cat "$tmp/log.txt" >&2; fail "wirebookd --replay $f failed"; }
	cmp "$tmp/ref.txt" "$tmp/d.txt" || fail "$f: books differ from wirebook replay"
	msgs=$(field "$tmp/sum.txt" feed.replay messages)
	gaps=$(field "$tmp/sum.txt" feed.replay gaps)
	[ "$msgs" = 100000 ] && [ "$gaps" = 0 ] || fail "$f: $msgs messages, $gaps gaps"
done
echo "replay of BinaryFILE, .itch.gz and .pcap.gz: books identical, 100000 messages, 0 gaps"

# 2. Paced: a sparse stream at 1x cannot end before its schedule; the
#     pacing error is reported; the books are the same. --from: the books
#     are built silently up to the time, the published snapshots are whole
#     (every instrument, not only those changed after it).
"$wb" gen --seed 11 --messages 3000 --instruments 20 --orders 200 --gap-ns 200000 -o "$tmp/p.pcap"
"$wb" replay --dump-book "$tmp/pref.txt" "$tmp/p.pcap"
first=$("$wb" replay --bbo-trace "$(head -n 1 "$tmp/pref.txt" | cut -f1)" "$tmp/p.pcap" | awk 'NR == 1 { a = $1 } { b = $1 } END { print b - a }')
t0=$(date +%s%N)
"$wbd" --replay "$tmp/p.pcap" --pace 1x --name "e2e-replay-$$" --dump-book "$tmp/pd.txt" --stats \
	>"$tmp/psum.txt" 2>"$tmp/plog.txt" || { cat "$tmp/plog.txt" >&2; fail "wirebookd --pace 1x failed"; }
t1=$(date +%s%N)
cmp "$tmp/pref.txt" "$tmp/pd.txt" || fail "--pace 1x: books differ"
[ $((t1 - t0)) -ge "$first" ] || fail "--pace 1x: ran $((t1 - t0)) ns, the schedule spans $first ns"
grep -q "^replay.pace	speed 1x	releases [1-9][0-9]*	err_p50_ns [0-9]*	err_p99_ns [0-9]*	err_max_ns" "$tmp/psum.txt" ||
	fail "--pace 1x: no pacing error line: $(cat "$tmp/psum.txt")"
"$wb" replay --depth 10 --dump-book "$tmp/ref10.txt" "$tmp/a.itch"
"$wbd" --replay "$tmp/a.itch" --from 09:30:00.29 --name "e2e-replay-$$" --dump-book "$tmp/fd.txt" --stats \
	>"$tmp/fsum.txt" 2>"$tmp/flog.txt" || { cat "$tmp/flog.txt" >&2; fail "wirebookd --from failed"; }
cmp "$tmp/ref.txt" "$tmp/fd.txt" || fail "--from: books differ"
pre=$(field "$tmp/fsum.txt" replay preroll_messages)
post=$(field "$tmp/fsum.txt" replay messages)
[ "$pre" -gt 0 ] && [ $((pre + post)) = 100000 ] || fail "--from: $pre messages before, $post after"
"$wb" book --name "e2e-replay-$$" >"$tmp/fshm.txt" || fail "wirebook book failed"
cmp "$tmp/ref10.txt" "$tmp/fshm.txt" || fail "--from: published snapshots differ from wirebook replay --depth 10"
echo "paced 1x over $first ns of schedule: books identical; --from: $pre messages applied before it, snapshots whole"

