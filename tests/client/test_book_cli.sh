#!/usr/bin/env bash
# `wirebook book --depth 5` from a stopped publisher's snapshots equals
# `wirebook replay --depth 5 --dump-book` of the same generated pcap; and
# `wirebook top --once` and the two examples read the same region.
set -euo pipefail
wirebook=$1
shm_replay=$2
bbo_print=$3
imbalance=$4
tmp=$(mktemp -d)
name="bookcli-$$"
trap 'rm -rf "$tmp" /dev/shm/wirebook.$name /dev/shm/wirebook.$name.clients /dev/shm/wirebook.$name.lock' EXIT

"$wirebook" gen --seed 4 --messages 200000 --instruments 300 --orders 20000 -o "$tmp/g.pcap"
"$shm_replay" "$tmp/g.pcap" "$name" /dev/shm
"$wirebook" replay --depth 5 --dump-book "$tmp/replay.tsv" "$tmp/g.pcap"
"$wirebook" book --name "$name" --dir /dev/shm --depth 5 >"$tmp/book.tsv"
test -s "$tmp/book.tsv"
cmp "$tmp/replay.tsv" "$tmp/book.tsv"
echo "book == replay: $(wc -l <"$tmp/book.tsv") lines"

# symbol filter: only that symbol's lines, in the same order
sym=$(head -1 "$tmp/book.tsv" | cut -f1)
"$wirebook" book --name "$name" --dir /dev/shm --depth 5 "$sym" >"$tmp/one.tsv"
grep -P "^$sym\t" "$tmp/replay.tsv" | cmp - "$tmp/one.tsv"

# a region that does not exist is an error, not an empty dump
if "$wirebook" book --name "nosuch-$$" --dir /dev/shm 2>/dev/null; then
	echo "book on a missing region succeeded" >&2
	exit 1
fi

"$wirebook" top --name "$name" --dir /dev/shm --once --interval 10 "$sym" >"$tmp/top.txt"
grep -q "STOPPED" "$tmp/top.txt"
grep -q "^$sym " "$tmp/top.txt"
# the examples open the stopped region, find nothing new, notice STOPPED, exit 0
timeout 20 "$bbo_print" --name "$name" --dir /dev/shm "$sym" >"$tmp/bbo.txt"
timeout 20 "$imbalance" --name "$name" --dir /dev/shm --seconds 5 "$sym" >"$tmp/imb.txt"
grep -q "^# 0 BBO events" "$tmp/imb.txt"
echo ok

# A feed gap: the same stream with one packet cut out. The books after it
# may be wrong, so `book` marks every line of a stale book and says so on
# stderr, and --json carries the flag; the whole stream had none.
grep -q STALE "$tmp/book.tsv" && { echo "STALE in a gap-free dump" >&2; exit 1; }
python3 - "$tmp/g.pcap" "$tmp/gap.pcap" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
out, off, n = [d[:24]], 24, 0
while off < len(d):
    incl = struct.unpack_from("<I", d, off + 8)[0]
    if n != 40:
        out.append(d[off:off + 16 + incl])
    off += 16 + incl
    n += 1
open(sys.argv[2], "wb").write(b"".join(out))
PY
gname="bookcli-gap-$$"
trap 'rm -rf "$tmp" /dev/shm/wirebook.$name /dev/shm/wirebook.$name.clients /dev/shm/wirebook.$gname /dev/shm/wirebook.$gname.clients /dev/shm/wirebook.$name.lock /dev/shm/wirebook.$gname.lock' EXIT
"$shm_replay" "$tmp/gap.pcap" "$gname" /dev/shm
"$wirebook" book --name "$gname" --dir /dev/shm --depth 5 >"$tmp/gap.tsv" 2>"$tmp/gap.err"
grep -q "books are STALE" "$tmp/gap.err" || { echo "no STALE warning: $(cat "$tmp/gap.err")" >&2; exit 1; }
[ "$(grep -c "	STALE$" "$tmp/gap.tsv")" -gt 0 ] || { echo "no line marked STALE" >&2; exit 1; }
"$wirebook" book --name "$gname" --dir /dev/shm --depth 5 --json 2>/dev/null >"$tmp/gap.json"
python3 - "$tmp/gap.json" "$tmp/gap.tsv" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
tsv = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])]
stale = {l[0] for l in tsv if l[-1] == "STALE"}
assert stale and {i["symbol"] for i in j["instruments"] if i["stale"]} == stale, "stale flags differ"
assert sum(len(i["bids"]) + len(i["asks"]) for i in j["instruments"]) == len(tsv), "level count"
PY
"$wirebook" book --name "$name" --dir /dev/shm --depth 5 --json | python3 -c 'import json,sys; j = json.load(sys.stdin); assert j["state"] == "STOPPED" and not any(i["stale"] for i in j["instruments"])'
echo "stale: $(grep -c "	STALE$" "$tmp/gap.tsv") lines marked after a gap; --json agrees"

# A daemon with several rx lcores publishes NAME, NAME.1, ...: top shows the
# feeds of all of them (here NAME.1's, gapped, is STALE; NAME's is not).
"$shm_replay" "$tmp/gap.pcap" "$name.1" /dev/shm
trap 'rm -rf "$tmp" /dev/shm/wirebook.$name /dev/shm/wirebook.$name.clients /dev/shm/wirebook.$gname /dev/shm/wirebook.$gname.clients /dev/shm/wirebook.$name.1 /dev/shm/wirebook.$name.1.clients /dev/shm/wirebook.$name.lock /dev/shm/wirebook.$gname.lock /dev/shm/wirebook.$name.1.lock' EXIT
"$wirebook" top --name "$name" --dir /dev/shm --once --interval 10 >"$tmp/top2.txt"
grep -qE "^0 .* ok$" "$tmp/top2.txt" && grep -qE "^0 .* STALE$" "$tmp/top2.txt" ||
	{ cat "$tmp/top2.txt" >&2; echo "top does not show the feeds of NAME.1" >&2; exit 1; }
echo "top: the feeds of $name and $name.1"
