#!/usr/bin/env bash
# `wirebook replay` and `wirebook gen` from the command line: the same stream
# as BinaryFILE, gzip'd BinaryFILE and MoldUDP64 pcap gives the same books;
# a real capture's book matches one computed independently from its expected
# TSV; the truncated real slice ends with a clean error; filters, traces and
# bad options behave.
set -euo pipefail
WB=${1:?usage: test_replay_cli.sh path/to/wirebook}
DATA=${WB_TESTDATA:?WB_TESTDATA not set}
MOLD=$DATA/nasdaq/itch50/moldudp64
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }

# 1. One stream, three containers, one book.
"$WB" gen --seed 7 --messages 200000 --instruments 100 --orders 5000 -o "$tmp/s.itch"
"$WB" gen --seed 7 --messages 200000 --instruments 100 --orders 5000 -o "$tmp/s.itch.gz"
"$WB" gen --seed 7 --messages 200000 --instruments 100 --orders 5000 --per-packet 4 --vlan 141 -o "$tmp/s.pcap"
"$WB" replay --dump-book "$tmp/a.tsv" "$tmp/s.itch"
"$WB" replay --dump-book "$tmp/b.tsv" "$tmp/s.itch.gz"
"$WB" replay --dump-book "$tmp/c.tsv" "$tmp/s.pcap"
[ -s "$tmp/a.tsv" ] || fail "empty dump"
cmp "$tmp/a.tsv" "$tmp/b.tsv" || fail "gzip BinaryFILE book differs"
cmp "$tmp/a.tsv" "$tmp/c.tsv" || fail "pcap book differs"
ok "BinaryFILE, .gz and pcap give the same book ($(wc -l < "$tmp/a.tsv") levels)"

# 2. Dump format: 6 tab-separated fields, 4-decimal prices, sorted, bids best first.
awk -F'\t' 'NF != 6 || $2 !~ /^[BS]$/ || $4 !~ /^[0-9]+\.[0-9][0-9][0-9][0-9]$/ || $3 < 1 { print; bad = 1 }
	END { exit bad }' "$tmp/a.tsv" || fail "dump format"
cut -f1 "$tmp/a.tsv" | LC_ALL=C sort -c || fail "dump not sorted by symbol"
# Per symbol: bids before asks; per side: levels 1, 2, 3, ... with prices
# strictly worse each step (bids falling, asks rising).
awk -F'\t' '
	$1 == p1 && $2 == p2 { if ($3 != p3 + 1 || ($2 == "B" ? $4 >= p4 : $4 <= p4)) bad = 1 }
	$1 != p1 || $2 != p2 { if ($3 != 1 || ($1 == p1 && p2 == "S")) bad = 1 }
	{ p1 = $1; p2 = $2; p3 = $3; p4 = $4 }
	END { exit bad }' "$tmp/a.tsv" || fail "levels not 1.. best first, or asks before bids"
"$WB" replay --depth 2 --dump-book - "$tmp/s.itch" > "$tmp/d2.tsv"
awk -F'\t' '$3 > 2 { exit 1 }' "$tmp/d2.tsv" || fail "--depth 2 printed deeper levels"
awk -F'\t' '$3 <= 2' "$tmp/a.tsv" | cmp - "$tmp/d2.tsv" || fail "--depth 2 is not the top of the full dump"
ok "dump format, order and --depth"

# 3. Stats: every message counted, coherent generated flow has no errors.
"$WB" replay --stats "$tmp/s.pcap" > "$tmp/st.txt"
grep -qx $'messages\t200000' "$tmp/st.txt" || fail "messages count"
grep -qx $'book.unknown_ref\t0' "$tmp/st.txt" || fail "unknown refs in generated flow"
grep -qx $'session.gaps\t0' "$tmp/st.txt" || fail "gaps in generated pcap"
grep -qx $'session.end_of_session\t1' "$tmp/st.txt" || fail "end of session not seen"
ok "--stats counts"

# 4. BBO trace: its last line is the top of book in the dump.
sym=$(cut -f1 "$tmp/a.tsv" | uniq -c | sort -rn | awk 'NR == 1 { print $2 }')
"$WB" replay --bbo-trace "$sym" "$tmp/s.itch" > "$tmp/bbo.tsv"
[ "$(wc -l < "$tmp/bbo.tsv")" -gt 10 ] || fail "too few BBO changes for $sym"
awk -F'\t' 'NF != 5 { exit 1 } p != "" && $0 == p { exit 1 } { p = $0 }' "$tmp/bbo.tsv" || fail "trace format or repeated line"
want=$(awk -F'\t' -v s="$sym" '$1 == s && $3 == 1 && $2 == "B" { b = $4 "\t" $5 } $1 == s && $3 == 1 && $2 == "S" { a = $4 "\t" $5 }
	END { print (b ? b : "-\t-") "\t" (a ? a : "-\t-") }' "$tmp/a.tsv")
[ "$(tail -n 1 "$tmp/bbo.tsv" | cut -f2-)" = "$want" ] || fail "last BBO of $sym != top of dump"
ok "--bbo-trace $sym ends at the dump's top of book"

# 5. A real capture against a book computed from its expected TSV.
awk -F'\t' 'NR > 1 && ($4 == "A" || $4 == "F") { k = $11 "\t" $9 "\t" $12; sh[k] += $10; c[k]++ }
	END { for (k in sh) print k "\t" sh[k] "\t" c[k] }' "$MOLD/expected/nasdaq_Multiple.Packets.tsv" |
	LC_ALL=C sort -t$'\t' -k1,1 -k2,2 -k3,3g > "$tmp/exp.raw"
{
	awk -F'\t' '$2 == "B"' "$tmp/exp.raw" | sort -t$'\t' -k3,3gr
	awk -F'\t' '$2 == "S"' "$tmp/exp.raw" | sort -t$'\t' -k3,3g
} | awk -F'\t' -v OFS='\t' '{ if ($1 != p1 || $2 != p2) l = 0; l++; p1 = $1; p2 = $2; print $1, $2, l, $3, $4, $5 }' > "$tmp/exp.tsv"
"$WB" replay --dump-book "$tmp/real.tsv" --stats "$MOLD/nasdaq_Multiple.Packets.pcap" > "$tmp/real.st"
diff "$tmp/exp.tsv" "$tmp/real.tsv" || fail "real capture book differs from its expected TSV"
grep -qx $'book.unknown_ref\t1' "$tmp/real.st" || fail "the D for an unknown order is not counted"
# Packet 1 is seq 14764496 (1 msg), packet 2 seq 19009117: the capture joins
# the session mid-way (a gap from 1) and skips 4244620; the feed stays stale.
grep -qx $'session.gaps\t2' "$tmp/real.st" || fail "the sequence gaps (from 1, between the packets) are not counted"
grep -qx $'session.mid_starts\t1' "$tmp/real.st" || fail "the mid-session start is not counted"
grep -qx $'stale\t3' "$tmp/real.st" || fail "the capture's book is not stale (gap, mid-session start)"
grep -qx $'session.gap_msgs\t19009115' "$tmp/real.st" || fail "gap size (14764495 before the first packet, 4244620 between)"
ok "real capture nasdaq_Multiple.Packets: book equals the expected TSV's adds"

# 6. Every real capture replays; D E C X U of unknown orders are counted, not fatal.
unknown=0
for f in "$MOLD"/*.pcap; do
	"$WB" replay --stats "$f" > "$tmp/one.st" || fail "replay $f"
	unknown=$((unknown + $(awk -F'\t' '$1 == "book.unknown_ref" { print $2 }' "$tmp/one.st")))
done
want=$(cat "$MOLD"/expected/*.tsv | awk -F'\t' '$4 ~ /^[DECXU]$/' | wc -l)
[ "$unknown" -eq "$want" ] || fail "unknown refs counted $unknown, expected $want"
ok "all $(ls "$MOLD"/*.pcap | wc -l) real captures replay; $unknown unknown refs counted"

# 7. Truncated real BinaryFILE: 101 messages, then a clean error.
set +e
"$WB" replay --stats "$DATA/nasdaq/itch50/binaryfile/nasdaq_itch50_20190130_head4096.itch" > "$tmp/t.st" 2> "$tmp/t.err"
rc=$?
set -e
[ $rc -eq 1 ] || fail "truncated file: exit $rc, want 1"
grep -q "truncated" "$tmp/t.err" || fail "truncated file: no 'truncated' in: $(cat "$tmp/t.err")"
grep -q "offset 4081" "$tmp/t.err" || fail "truncated file: offset not named: $(cat "$tmp/t.err")"
grep -qx $'messages\t101' "$tmp/t.st" || fail "truncated file: messages != 101"
ok "truncated slice: 101 messages then '$(cat "$tmp/t.err")'"

# 8. Channel filter on the VLAN-tagged real capture.
"$WB" replay --stats --channel 239.1.1.1:1 "$MOLD/nasdaq_Multiple.Packets.pcap" > "$tmp/f.st"
grep -qx $'messages\t0' "$tmp/f.st" || fail "--channel did not filter"
grep -qx $'input.filtered\t2' "$tmp/f.st" || fail "filtered datagrams not counted"
"$WB" replay --stats --channel 239.77.0.1:26400 "$tmp/s.pcap" | grep -qx $'messages\t200000' || fail "--channel matching"
ok "--channel filters and counts"

# 9. Bad usage: exit 2 with a message naming the problem.
set +e
"$WB" replay --depth x "$tmp/s.itch" 2> "$tmp/e1"; r1=$?
"$WB" replay --channel nonsense "$tmp/s.pcap" 2> "$tmp/e2"; r2=$?
"$WB" replay "$tmp/missing.pcap" 2> "$tmp/e3"; r3=$?
"$WB" gen --instruments 0 -o "$tmp/x.itch" 2> "$tmp/e4"; r4=$?
set -e
[ $r1 -eq 2 ] && grep -q -- "--depth" "$tmp/e1" || fail "--depth x: $r1 $(cat "$tmp/e1")"
[ $r2 -eq 2 ] && grep -q "GROUP:PORT" "$tmp/e2" || fail "--channel nonsense: $r2 $(cat "$tmp/e2")"
[ $r3 -eq 1 ] && grep -q "missing.pcap" "$tmp/e3" || fail "missing file: $r3 $(cat "$tmp/e3")"
[ $r4 -eq 2 ] && grep -q -- "--instruments" "$tmp/e4" || fail "gen --instruments 0: $r4 $(cat "$tmp/e4")"
ok "bad usage exits 2 (missing file 1) with the option named"
# 10. The bundled sample is exactly what its README's command makes.
"$WB" gen --seed 7 --messages 20000 --instruments 12 --orders 600 --per-packet 4 --vlan 141 -o "$tmp/sample.pcap"
cmp "$tmp/sample.pcap" "$DATA/sample/sample.pcap" || fail "tests/data/sample/sample.pcap differs from its regeneration"
ok "bundled sample regenerates byte for byte"
# 11. bench feed: the daemon's path after the NIC over a capture. Every
# datagram and message goes through (the counts agree with replay), the
# publisher's region is removed afterwards, and bad input is refused.
"$WB" replay --stats "$tmp/s.pcap" > "$tmp/b.st"
dg=$(awk -F'\t' '$1 == "input.records" { print $2 }' "$tmp/b.st")
"$WB" bench feed --runs 2 --burst 8 "$tmp/s.pcap" > "$tmp/b.json"
grep -q "\"datagrams\": $dg," "$tmp/b.json" || fail "bench feed datagrams != $dg: $(cat "$tmp/b.json")"
grep -q '"messages": 200000,' "$tmp/b.json" || fail "bench feed messages: $(cat "$tmp/b.json")"
grep -q '"publish": true' "$tmp/b.json" || fail "bench feed: not publishing"
grep -q '"snapshots": [1-9]' "$tmp/b.json" || fail "bench feed: no snapshots published"
ls /dev/shm | grep -q "^wirebook\.bench-feed-" && fail "bench feed left its region in /dev/shm"
"$WB" bench feed --runs 1 --no-publish "$tmp/s.pcap" | grep -q '"snapshots": 0,' ||
	fail "bench feed --no-publish"
# a second pass of a one-session capture is handed over, and is all duplicates
"$WB" bench feed --runs 1 --passes 2 --no-publish "$tmp/s.pcap" > "$tmp/b2.json"
grep -q "\"datagrams\": $((dg * 2)),.*\"passes\": 2," "$tmp/b2.json" &&
	grep -q '"messages": 200000,' "$tmp/b2.json" &&
	grep -q '"dup_msgs": 200000, "gap_msgs": 0,' "$tmp/b2.json" ||
	fail "bench feed --passes 2: $(cat "$tmp/b2.json")"
grep -q '"dup_msgs": 0, "gap_msgs": 0,' "$tmp/b.json" || fail "bench feed: duplicates in one pass"
set +e
"$WB" bench feed "$tmp/s.itch" 2> "$tmp/e5"; r5=$?
"$WB" bench feed --burst 0 "$tmp/s.pcap" 2> "$tmp/e6"; r6=$?
set -e
[ $r5 -eq 1 ] && grep -q "not a capture" "$tmp/e5" || fail "bench feed on BinaryFILE: $r5 $(cat "$tmp/e5")"
[ $r6 -eq 2 ] && grep -q -- "--burst" "$tmp/e6" || fail "bench feed --burst 0: $r6 $(cat "$tmp/e6")"
ok "bench feed: $dg datagrams, 200000 messages, a second pass all duplicates, region removed, bad input refused"
# --stats --json: the same counters as the table, as one JSON object.
"$WB" replay --stats "$tmp/s.pcap" >"$tmp/st.tsv"
"$WB" replay --stats --json "$tmp/s.pcap" >"$tmp/st.json"
python3 - "$tmp/st.tsv" "$tmp/st.json" <<'PY' || fail "replay --stats --json differs from the table"
import json, sys
t = {k: int(v) for k, v in (l.rstrip("\n").split("\t") for l in open(sys.argv[1]))}
assert json.load(open(sys.argv[2])) == t
PY
ok "replay --stats --json: $(wc -l <"$tmp/st.tsv") counters, equal to the table"
# 13. Pacing and --from. A sparse stream (timestamps 1..200 us apart: about
# 0.2 s of market time for 2000 messages) replayed at 1x cannot end before
# its schedule does; at max it gives the same book. The release errors are
# reported (their size is the machine's business: docs/benchmarks.md).
"$WB" gen --seed 11 --messages 2000 --instruments 20 --orders 200 --gap-ns 200000 -o "$tmp/p.pcap"
"$WB" gen --seed 11 --messages 2000 --instruments 20 --orders 200 --gap-ns 200000 -o "$tmp/p.itch.gz"
"$WB" replay --dump-book "$tmp/p0.tsv" "$tmp/p.pcap"
span=$("$WB" replay --bbo-trace "$(cut -f1 "$tmp/p0.tsv" | head -n 1)" "$tmp/p.pcap" | awk 'NR == 1 { a = $1 } { b = $1 } END { print b - a }')
for f in p.pcap p.itch.gz; do
	t0=$(date +%s%N)
	"$WB" replay --pace 1x --stats --dump-book "$tmp/p1.tsv" "$tmp/$f" > "$tmp/p1.st"
	t1=$(date +%s%N)
	cmp "$tmp/p0.tsv" "$tmp/p1.tsv" || fail "$f: --pace 1x book differs"
	[ $((t1 - t0)) -ge "$span" ] || fail "$f: --pace 1x took $((t1 - t0)) ns for $span ns of one instrument's trace"
	grep -q $'^replay.speed_milli\t1000$' "$tmp/p1.st" && grep -q $'^replay.err_p99_ns\t[0-9]' "$tmp/p1.st" ||
		fail "$f: no pacing error in --stats"
	rel=$(awk -F'\t' '$1 == "replay.releases" { print $2 }' "$tmp/p1.st")
	[ "$rel" -gt 0 ] || fail "$f: no paced releases"
done
"$WB" replay --pace 10x --dump-book "$tmp/p10.tsv" "$tmp/p.pcap"
cmp "$tmp/p0.tsv" "$tmp/p10.tsv" || fail "--pace 10x book differs"
# --from: nothing traced before it, the book at the end the same, the
# records before it applied silently (counted as preroll).
"$WB" gen --seed 7 --messages 200000 --instruments 100 --orders 5000 -o "$tmp/f.itch"
first=$(awk -F'\t' 'NR == 1 { print $1 }' "$tmp/bbo.tsv")
last=$(awk -F'\t' 'END { print $1 }' "$tmp/bbo.tsv")
mid=$(( (first + last) / 2 ))
from=$(printf '%02d:%02d:%02d.%09d' $((mid / 3600000000000)) $((mid / 60000000000 % 60)) $((mid / 1000000000 % 60)) $((mid % 1000000000)))
"$WB" replay --from "$from" --bbo-trace "$sym" --stats --dump-book "$tmp/ff.tsv" "$tmp/f.itch" > "$tmp/ff.out"
cmp "$tmp/a.tsv" "$tmp/ff.tsv" || fail "--from: final book differs"
grep -E '^[0-9]+	' "$tmp/ff.out" > "$tmp/ff.trace" || true
[ -s "$tmp/ff.trace" ] || fail "--from $from: nothing traced after it"
awk -F'\t' -v m="$mid" '$1 < m { exit 1 }' "$tmp/ff.trace" || fail "--from $from: traced a change before it"
[ "$(tail -n 1 "$tmp/ff.trace")" = "$(tail -n 1 "$tmp/bbo.tsv")" ] || fail "--from: last BBO differs"
pre=$(awk -F'\t' '$1 == "replay.preroll" { print $2 }' "$tmp/ff.out")
[ "$pre" -gt 0 ] && [ "$pre" -lt 200000 ] || fail "--from: preroll $pre"
set +e
"$WB" replay --pace 10 "$tmp/p.pcap" 2> "$tmp/e7"; r7=$?
"$WB" replay --from 9:30 "$tmp/p.pcap" 2> "$tmp/e8"; r8=$?
set -e
[ $r7 -eq 2 ] && grep -q -- "--pace: '10'" "$tmp/e7" || fail "--pace 10: $r7 $(cat "$tmp/e7")"
[ $r8 -eq 2 ] && grep -q -- "--from: '9:30'" "$tmp/e8" || fail "--from 9:30: $r8 $(cat "$tmp/e8")"
ok "--pace 1x keeps the schedule ($span ns), 10x and max the same book; --from $from traces nothing before it ($pre records applied silently)"
# 14. Progress: drawn on a terminal, never on a pipe or a file.
"$WB" replay --pace 1x "$tmp/p.pcap" 2> "$tmp/prog.err"
[ ! -s "$tmp/prog.err" ] || fail "progress written to a file: $(od -c "$tmp/prog.err" | head -n 2)"
script -qec "'$WB' replay --pace 0.5x '$tmp/f.itch'" /dev/null > "$tmp/prog.tty" 2>&1 < /dev/null ||
	fail "replay under a terminal"
grep -q "msg/s.*ETA" "$tmp/prog.tty" || fail "no progress line on a terminal: $(head -c 300 "$tmp/prog.tty")"
ok "progress on a terminal only"
# 15. PITCH: one generated stream as a capture, a unit file and a gzip'd one
#     gives one book, detected or with --protocol pitch; every message of the
#     generator applied; the wrong --protocol is refused or counts packets bad.
"$WB" gen --protocol pitch --seed 7 --messages 100000 --instruments 100 --orders 5000 -o "$tmp/q.pcap"
"$WB" gen --protocol pitch --seed 7 --messages 100000 --instruments 100 --orders 5000 -o "$tmp/q.units"
"$WB" gen --protocol pitch --seed 7 --messages 100000 --instruments 100 --orders 5000 -o "$tmp/q.units.gz"
"$WB" replay --protocol pitch --stats --dump-book "$tmp/q1.tsv" "$tmp/q.pcap" > "$tmp/qst.txt"
"$WB" replay --dump-book "$tmp/q2.tsv" "$tmp/q.units"
"$WB" replay --dump-book "$tmp/q3.tsv" "$tmp/q.units.gz"
"$WB" replay --dump-book "$tmp/q4.tsv" "$tmp/q.pcap"
[ -s "$tmp/q1.tsv" ] || fail "PITCH: empty dump"
for f in q2 q3 q4; do cmp "$tmp/q1.tsv" "$tmp/$f.tsv" || fail "PITCH: $f book differs"; done
grep -qx $'error.msg_unknown_type\t0' "$tmp/qst.txt" || fail "PITCH: unknown types"
grep -qx $'book.unknown_ref\t0' "$tmp/qst.txt" || fail "PITCH: unknown refs in a generated flow"
grep -qx $'session.gaps\t0' "$tmp/qst.txt" || fail "PITCH: gaps"
grep -qx $'msg.EndOfSession\t4' "$tmp/qst.txt" || fail "PITCH: End of Session per unit"
"$WB" replay --protocol itch --stats "$tmp/q.pcap" > "$tmp/qi.txt"
grep -qx $'messages\t0' "$tmp/qi.txt" || fail "PITCH read as MoldUDP64 applied messages"
set +e
"$WB" replay --protocol itch "$tmp/q.units" 2> "$tmp/e9"; r9=$?
"$WB" replay --protocol pitch "$tmp/f.itch" 2> "$tmp/e10"; r10=$?
"$WB" replay --protocol fix "$tmp/q.pcap" 2> "$tmp/e11"; r11=$?
set -e
[ $r9 -eq 2 ] && grep -q "PITCH units, not MoldUDP64" "$tmp/e9" || fail "itch on units: $r9"
[ $r10 -eq 2 ] && grep -q "a BinaryFILE is ITCH, not PITCH" "$tmp/e10" || fail "pitch on BinaryFILE: $r10"
[ $r11 -eq 2 ] && grep -q -- "--protocol: 'fix'" "$tmp/e11" || fail "--protocol fix: $r11"
ok "PITCH: capture, unit file and .gz give one book ($(wc -l < "$tmp/q1.tsv") levels), detected or named"
# 16. --pitch-prices: one unit holding an Add Order Short at 0xa9cf, a spread
#     price of the C1 options complex feed: -220.65 signed, 434.71 unsigned.
printf '\x22\x00\x01\x01\x01\x00\x00\x00\x1a\x22\x00\x00\x00\x00\x07\x00\x00\x00\x00\x00\x00\x00\x42\x64\x00SPRD  \xcf\xa9\x01' \
	> "$tmp/neg.units"
"$WB" replay --pitch-prices signed --dump-book "$tmp/neg-s.tsv" "$tmp/neg.units"
"$WB" replay --dump-book "$tmp/neg-u.tsv" "$tmp/neg.units"
grep -qx $'SPRD\tB\t1\t-220.6500\t100\t1' "$tmp/neg-s.tsv" || fail "signed: $(cat "$tmp/neg-s.tsv")"
grep -qx $'SPRD\tB\t1\t434.7100\t100\t1' "$tmp/neg-u.tsv" || fail "unsigned: $(cat "$tmp/neg-u.tsv")"
set +e
"$WB" replay --pitch-prices two "$tmp/neg.units" 2> "$tmp/e12"; r12=$?
set -e
[ $r12 -eq 2 ] && grep -q -- "--pitch-prices: 'two' is not a price kind" "$tmp/e12" || fail "--pitch-prices two: $r12"
ok "PITCH: --pitch-prices signed reads a spread below zero"
# 17. The options' Symbol Mapping (real capture): decoded, an instrument with its long name.
"$WB" replay --stats "$DATA/cboe/pitch/options-complex-v2.1.18/SymbolMappingMessage.pcap" > "$tmp/sm.txt"
grep -qx $'msg.SymbolMapping\t1' "$tmp/sm.txt" || fail "Symbol Mapping not decoded"
grep -qx $'error.msg_unknown_type\t0' "$tmp/sm.txt" || fail "Symbol Mapping skipped as unknown"
grep -qx $'pitch.instruments\t1' "$tmp/sm.txt" || fail "Symbol Mapping made no instrument"
grep -qx $'pitch.long_names\t1' "$tmp/sm.txt" || fail "Symbol Mapping set no long name"
ok "PITCH: the real Symbol Mapping makes an instrument with its long name"
# 18. The futures' Instrument Definition (real v1.1.12 capture, two legs): the same.
"$WB" replay --stats "$DATA/cboe/pitch/futures-v1.1.12/FutureInstrumentDefinitionMessage.pcap" > "$tmp/fd.txt"
grep -qx $'msg.FuturesInstrumentDefinition\t1' "$tmp/fd.txt" || fail "Futures Instrument Definition not decoded"
grep -qx $'error.msg_unknown_type\t0' "$tmp/fd.txt" || fail "Futures Instrument Definition skipped as unknown"
grep -qx $'pitch.instruments\t1' "$tmp/fd.txt" || fail "Futures Instrument Definition made no instrument"
grep -qx $'pitch.definitions\t1' "$tmp/fd.txt" || fail "Futures Instrument Definition not counted"
grep -qx $'pitch.long_names\t1' "$tmp/fd.txt" || fail "Futures Instrument Definition set no long name"
ok "PITCH: the real Futures Instrument Definition makes an instrument with its long name"
echo "$n passed, 0 failed"
