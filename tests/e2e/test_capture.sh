#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# The daemon's capture: a run over net_pcap (a live port as far as the
# daemon knows) records what it receives to pcapng; replaying that capture
# gives the same books and the same events (wirebook record/diff) as the
# live run. Size rotation splits the capture into files that, concatenated
# (pcapng sections), replay to the same books. A bad capture_ring stops
# start-up naming the key. A writer too slow for the stream (a test hook)
# drops frames from the capture, counted, while the books stay right.
#
# Receive timestamps ([portN] hw_timestamp): net_pcap stamps every frame
# with its record's time (us); the daemon counts the stamped frames, and
# its capture keeps those times, so a capture of a replayed file paces like
# the file. Off: nothing stamped, the capture holds receive times. On, over
# a PMD that stamps nothing: start-up fails naming the key. The replay
# port stamps every frame with its time in the input.
#
# usage: test_capture.sh WIREBOOKD WIREBOOK
set -eu
wbd=$1
wb=$2
name="e2e-capture-$$"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wb-e2e-capture.XXXXXX")
cleanup() { rm -rf "$tmp"; rm -f "/dev/shm/wirebook.$name" "/dev/shm/wirebook.$name.clients" "/dev/shm/wirebook.$name.lock" "/dev/shm/wirebook.$name.stats"; }
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }
field() { # field FILE LINE-PREFIX NAME -> value after "NAME " on that line
	awk -v p="$2" -v n="$3" -F'\t' 'index($1, p) == 1 { for (i = 2; i <= NF; i++) { split($i, kv, " "); if (kv[1] == n) print kv[2] } }' "$1"
}
config() { # config CAPTURE-PREFIX ROTATE-MB RING [INPUT [HW_TIMESTAMP [VDEV]]]
	cat <<EOC
[eal]
lcores = 0-1
main_lcore = 0
memory_mb = 256
hugepages = no
file_prefix = wb-e2e-cap-$$
[daemon]
name = $name
stats_interval_ms = 0
idle_exit_ms = 1500
[port0]
igmp = 0
vdev = ${6:-net_pcap_cap0,rx_pcap=${4:-$tmp/s.pcap}}
lcores = 1
hw_timestamp = ${5:-auto}
capture = $1
capture_rotate_mb = $2
capture_ring = $3
[channel all]
group = 0.0.0.0
udp_port = 0
EOC
}
# run OUT-RECORDING DAEMON-ARGS...: one daemon run, recorded from its first event
run() {
	out=$1
	shift
	rm -f "/dev/shm/wirebook.$name" "/dev/shm/wirebook.$name.clients" "/dev/shm/wirebook.$name.lock" "/dev/shm/wirebook.$name.stats"
	"$wb" record --name "$name" -o "$out" 2>"$tmp/rec.log" &
	rpid=$!
	"$wbd" --wait-readers 1 "$@" >"$tmp/sum.txt" 2>"$tmp/d.log" ||
		{ cat "$tmp/d.log" >&2; kill "$rpid" 2>/dev/null; fail "wirebookd $*"; }
	wait "$rpid" || { cat "$tmp/rec.log" >&2; fail "wirebook record"; }
}

"$wb" gen --seed 31 --messages 20000 --instruments 50 --orders 2000 --vlan 141 -o "$tmp/s.pcap"
"$wb" replay --dump-book "$tmp/ref.txt" "$tmp/s.pcap"

# 1. Live (net_pcap) with capture, then the capture replayed.
config "$tmp/cap" 0 4096 >"$tmp/live.ini"
run "$tmp/live.evr" --config "$tmp/live.ini" --dump-book "$tmp/live.txt" --stats
cmp "$tmp/ref.txt" "$tmp/live.txt" || fail "live books differ from wirebook replay"
frames=$(field "$tmp/sum.txt" port.0 rx)
queued=$(field "$tmp/sum.txt" lcore. capture_queued)
dropped=$(field "$tmp/sum.txt" lcore. capture_dropped)
written=$(field "$tmp/sum.txt" capture.0 frames)
files=$(field "$tmp/sum.txt" capture.0 files)
[ "$frames" -gt 0 ] && [ "$queued" = "$frames" ] && [ "$dropped" = 0 ] && [ "$written" = "$frames" ] &&
	[ "$files" = 1 ] || fail "capture counters: rx $frames queued $queued dropped $dropped written $written files $files"
[ -s "$tmp/cap.000001.pcapng" ] || fail "no capture file"
n=$("$wb" replay --stats "$tmp/cap.000001.pcapng" | awk -F'\t' '$1 == "input.records" { print $2 }')
[ "$n" = "$frames" ] || fail "capture holds $n frames, $frames received"
run "$tmp/replay.evr" --replay "$tmp/cap.000001.pcapng" --name "$name" --dump-book "$tmp/rep.txt"
cmp "$tmp/ref.txt" "$tmp/rep.txt" || fail "books replayed from the capture differ"
"$wb" diff "$tmp/live.evr" "$tmp/replay.evr" >"$tmp/diff.out" || fail "events differ: $(cat "$tmp/diff.out")"
echo "capture: $frames frames captured; replayed, same books and $(cut -d' ' -f2 "$tmp/diff.out") identical events"

# 2. Rotation by size: several files, each a pcapng; together, the same books.
"$wb" gen --seed 32 --messages 120000 --instruments 200 -o "$tmp/big.pcap"
"$wb" replay --dump-book "$tmp/bigref.txt" "$tmp/big.pcap"
config "$tmp/rot" 1 4096 "$tmp/big.pcap" >"$tmp/rot.ini"
"$wbd" --config "$tmp/rot.ini" --stats >"$tmp/rsum.txt" 2>"$tmp/r.log" || { cat "$tmp/r.log" >&2; fail "rotation run"; }
files=$(field "$tmp/rsum.txt" capture.0 files)
[ "$files" -ge 3 ] && [ "$(ls "$tmp"/rot.*.pcapng | wc -l)" = "$files" ] || fail "rotation: $files files"
for f in "$tmp"/rot.*.pcapng; do
	[ "$(wc -c <"$f")" -lt $((1048576 + 4096)) ] || fail "$f exceeds the rotation size"
done
cat "$tmp"/rot.*.pcapng >"$tmp/rot.all"
"$wb" replay --dump-book "$tmp/rot.txt" "$tmp/rot.all"
cmp "$tmp/bigref.txt" "$tmp/rot.txt" || fail "rotated capture: books differ"
echo "capture rotation: $files files under 1 MiB, concatenated the same books"

# 3. A writer that cannot keep up (a test hook stalls it 2 ms a frame) with a
# ring of 64: frames are dropped from the capture and counted, never waited
# for; the books are those of the stream, and the file holds what was written.
config "$tmp/slow" 0 64 "$tmp/big.pcap" >"$tmp/slow.ini"
WB_TEST_CAPTURE_STALL_US=2000 "$wbd" --config "$tmp/slow.ini" --dump-book "$tmp/slow.txt" --stats \
	>"$tmp/ssum.txt" 2>"$tmp/s.log" || { cat "$tmp/s.log" >&2; fail "slow writer run"; }
cmp "$tmp/bigref.txt" "$tmp/slow.txt" || fail "slow writer: books differ"
frames=$(field "$tmp/ssum.txt" port.0 rx)
queued=$(field "$tmp/ssum.txt" lcore. capture_queued)
dropped=$(field "$tmp/ssum.txt" lcore. capture_dropped)
written=$(field "$tmp/ssum.txt" capture.0 frames)
[ "$dropped" -gt 0 ] && [ $((queued + dropped)) = "$frames" ] && [ "$written" = "$queued" ] ||
	fail "slow writer: rx $frames queued $queued dropped $dropped written $written"
n=$("$wb" replay --stats "$tmp/slow.000001.pcapng" | awk -F'\t' '$1 == "input.records" { print $2 }')
[ "$n" = "$written" ] || fail "slow writer: the file holds $n frames, $written written"
echo "slow capture writer: $dropped of $frames frames dropped and counted, $written written, books right"

# 4. A bad capture_ring stops start-up with status 2, naming the key.
config "$tmp/bad" 0 100 >"$tmp/bad.ini"
rc=0
"$wbd" --config "$tmp/bad.ini" 2>"$tmp/bad.err" || rc=$?
[ $rc = 2 ] && grep -q "\[port0\] capture_ring: 100 must be a power of two below mbufs" "$tmp/bad.err" ||
	fail "bad capture_ring: $rc $(cat "$tmp/bad.err")"
echo "capture_ring 100: refused at start-up"

# 5. Receive timestamps: the pcap's record times reach the daemon and its capture.
ts_list() { /usr/bin/python3 - "$1" <<'EOP'
import struct, sys
d = open(sys.argv[1], "rb").read()
magic = struct.unpack("<I", d[:4])[0]
if magic == 0x0A0D0D0A:  # pcapng written by the daemon: ns resolution
    o = 0
    while o + 12 <= len(d):
        t, l = struct.unpack("<II", d[o:o + 8])
        if t == 6:
            hi, lo = struct.unpack("<II", d[o + 12:o + 20])
            print((hi << 32) | lo)
        o += l
else:  # pcap; what net_pcap hands over is microseconds
    ns = magic == 0xA1B23C4D
    o = 24
    while o + 16 <= len(d):
        s, f, cl, _ = struct.unpack("<IIII", d[o:o + 16])
        print((s * 10**9 + (f if ns else f * 1000)) // 1000 * 1000)
        o += 16 + cl
EOP
}
for mode in auto on off; do
	rm -f "$tmp"/hw.*.pcapng
	config "$tmp/hw" 0 4096 "$tmp/s.pcap" $mode >"$tmp/hw.ini"
	"$wbd" --config "$tmp/hw.ini" --stats >"$tmp/hsum.txt" 2>"$tmp/h.log" || { cat "$tmp/h.log" >&2; fail "hw_timestamp = $mode run"; }
	rx=$(field "$tmp/hsum.txt" port.0 rx)
	clock=$(field "$tmp/hsum.txt" port.0 hw_clock)
	stamped=$(field "$tmp/hsum.txt" port.0 hw_stamped)
	last=$(field "$tmp/hsum.txt" port.0 hw_last_ns)
	ts_list "$tmp/s.pcap" >"$tmp/ts.want"
	ts_list "$tmp/hw.000001.pcapng" >"$tmp/ts.got"
	if [ $mode != off ]; then
		[ "$clock" = pcap ] && [ "$stamped" = "$rx" ] && [ "$rx" -gt 0 ] && [ "$last" = "$(sort -n "$tmp/ts.want" | tail -1)" ] ||
			fail "hw_timestamp = $mode: clock $clock stamped $stamped of $rx, last $last"
		cmp -s "$tmp/ts.want" "$tmp/ts.got" || fail "the capture does not keep the pcap's times: $(diff "$tmp/ts.want" "$tmp/ts.got" | head -4)"
		nstamped=$stamped
	else
		[ "$clock" = none ] && [ "$stamped" = 0 ] && [ "$last" = 0 ] || fail "hw_timestamp = off: clock $clock stamped $stamped last $last"
		# receive times: after the daemon started, nothing like the file's
		[ "$(head -1 "$tmp/ts.got")" -gt "$(($(date +%s) - 600))000000000" ] || fail "hw_timestamp = off: capture times $(head -1 "$tmp/ts.got")"
	fi
done
echo "hw_timestamp: $nstamped of $rx frames stamped with their pcap times (auto, on), none (off); the capture keeps them"
config "$tmp/hwn" 0 4096 "$tmp/s.pcap" on net_null_hw0 >"$tmp/hwn.ini"
rc=0
"$wbd" --config "$tmp/hwn.ini" 2>"$tmp/hwn.err" || rc=$?
[ $rc != 0 ] && grep -q "\[port0\] hw_timestamp = on: net_null_hw0 (driver net_null) offers no receive timestamp" "$tmp/hwn.err" ||
	fail "hw_timestamp = on over net_null: $rc $(cat "$tmp/hwn.err")"
echo "hw_timestamp = on over net_null: refused at start-up"
"$wbd" --replay "$tmp/s.pcap" --name "$name" --stats >"$tmp/rsum.txt" 2>"$tmp/r.log" || { cat "$tmp/r.log" >&2; fail "--replay"; }
rx=$(field "$tmp/rsum.txt" port.0 rx)
[ "$(field "$tmp/rsum.txt" port.0 hw_clock)" = replay ] && [ "$(field "$tmp/rsum.txt" port.0 hw_stamped)" = "$rx" ] ||
	fail "replay port: $(grep '^port' "$tmp/rsum.txt")"
echo "replay port: $rx of $rx frames stamped with their time in the file"
