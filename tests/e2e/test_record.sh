#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# wirebook record / wirebook diff over wirebookd --replay:
#  - the same capture replayed twice gives identical recordings (receive
#    timestamps aside: --timestamps tells them apart);
#  - the BinaryFILE of the same stream, packed on the fly, gives the same
#    events as its pcap;
#  - a changed event is named: position, field, both values;
#  - --from publishes nothing stamped before the time.
# The streams stay under the ring's 65536 slots, so the recorder cannot be
# lapped however slow the machine.
#
# usage: test_record.sh WIREBOOKD WIREBOOK
set -eu
wbd=$1
wb=$2
py=/usr/bin/python3
evrec="$(dirname "$0")/evrec.py"
name="e2e-record-$$"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wb-e2e-record.XXXXXX")
cleanup() { rm -rf "$tmp"; rm -f "/dev/shm/wirebook.$name" "/dev/shm/wirebook.$name.clients" "/dev/shm/wirebook.$name.lock" "/dev/shm/wirebook.$name.stats"; }
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }

# record FILE OUT [daemon options]: one replay, recorded from its first event
record() {
	in=$1
	out=$2
	shift 2
	rm -f "/dev/shm/wirebook.$name" "/dev/shm/wirebook.$name.clients" "/dev/shm/wirebook.$name.lock" "/dev/shm/wirebook.$name.stats"
	"$wb" record --name "$name" -o "$out" 2>"$tmp/rec.log" &
	rpid=$!
	"$wbd" --replay "$in" --wait-readers 1 --name "$name" "$@" >/dev/null 2>"$tmp/d.log" ||
		{ cat "$tmp/d.log" >&2; kill "$rpid" 2>/dev/null; fail "wirebookd --replay $in $*"; }
	wait "$rpid" || { cat "$tmp/rec.log" >&2; fail "wirebook record ($in $*)"; }
	grep -q "daemon stopped, all read" "$tmp/rec.log" || fail "record: $(cat "$tmp/rec.log")"
}

"$wb" gen --seed 21 --messages 20000 --instruments 50 --orders 2000 -o "$tmp/s.pcap"
"$wb" gen --seed 21 --messages 20000 --instruments 50 --orders 2000 -o "$tmp/s.itch.gz"
record "$tmp/s.pcap" "$tmp/r1.evr"
record "$tmp/s.pcap" "$tmp/r2.evr"
info=$($py "$evrec" check "$tmp/r1.evr")
echo "$info" | grep -q "flags=1 .*source=$name .*lapped=0" || fail "header: $info"
n=$(echo "$info" | sed 's/events=\([0-9]*\).*/\1/')
[ "$n" -gt 20000 ] || fail "only $n events"
"$wb" diff "$tmp/r1.evr" "$tmp/r2.evr" >"$tmp/diff.out" || fail "same pcap twice: $(cat "$tmp/diff.out")"
grep -q "^identical: $n events" "$tmp/diff.out" || fail "diff: $(cat "$tmp/diff.out")"
rc=0
"$wb" diff --timestamps "$tmp/r1.evr" "$tmp/r2.evr" >"$tmp/diff.out" || rc=$?
[ $rc = 1 ] && grep -q "^event 0 (ring_tag 1,.*): rx_tsc: A [0-9]*, B [0-9]*" "$tmp/diff.out" ||
	fail "--timestamps: $rc $(cat "$tmp/diff.out")"
echo "record: the same capture twice, $n identical events (receive timestamps aside)"

record "$tmp/s.itch.gz" "$tmp/ri.evr"
"$wb" diff "$tmp/r1.evr" "$tmp/ri.evr" >"$tmp/diff.out" || fail "BinaryFILE vs pcap: $(cat "$tmp/diff.out")"
echo "record: the BinaryFILE packed on the fly gives the pcap's events"

# Flip one bit of event 1000's first union byte: its first field is named.
cp "$tmp/r2.evr" "$tmp/r3.evr"
$py "$evrec" flip "$tmp/r3.evr" 1000 40
rc=0
"$wb" diff "$tmp/r1.evr" "$tmp/r3.evr" >"$tmp/diff.out" || rc=$?
[ $rc = 1 ] && grep -Eq "^event 1000 \(ring_tag 1001, type [0-9]+, instrument [0-9]+, seq [0-9]+\): [a-z_]+\.[a-z_]+: A [0-9a-f]+(\(.\))*, B [0-9a-f]+" "$tmp/diff.out" ||
	fail "changed event: $rc $(cat "$tmp/diff.out")"
field=$(sed 's/.*): \([a-z_.]*\):.*/\1/' "$tmp/diff.out")
head -c $((256 + 64 * 500)) "$tmp/r1.evr" >"$tmp/r4.evr"
rc=0
"$wb" diff "$tmp/r1.evr" "$tmp/r4.evr" >"$tmp/diff.out" || rc=$?
[ $rc = 1 ] && grep -q "^event 500: B ends here, A has more" "$tmp/diff.out" ||
	fail "short recording: $rc $(cat "$tmp/diff.out")"
rc=0
"$wb" diff "$tmp/r1.evr" "$tmp/s.pcap" 2>"$tmp/diff.err" || rc=$?
[ $rc = 2 ] && grep -q "not a wirebook event recording" "$tmp/diff.err" || fail "diff of a pcap: $rc"
echo "diff: names $field of a changed event, where a short recording ends, refuses a non-recording"

# --from: nothing stamped before it is published.
from_ns=34200010000000 # 09:30:00.010
record "$tmp/s.pcap" "$tmp/rf.evr" --from 09:30:00.010
m=$($py "$evrec" min-ts "$tmp/rf.evr")
[ "$m" -ge "$from_ns" ] || fail "--from 09:30:00.010: an event stamped $m was published"
nf=$($py "$evrec" check "$tmp/rf.evr" | sed 's/events=\([0-9]*\).*/\1/')
[ "$nf" -gt 0 ] && [ "$nf" -lt "$n" ] || fail "--from: $nf events of $n"
echo "record --from: $nf events, none stamped before 09:30:00.010"
