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
trap 'rm -rf "$tmp" /dev/shm/wirebook.$name /dev/shm/wirebook.$name.clients' EXIT

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
