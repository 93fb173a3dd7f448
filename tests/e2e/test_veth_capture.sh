#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Live, captured, replayed: 'wirebook sim' multicasts a generated stream
# over the veth testbed; wirebookd receives it through net_af_packet with
# [port0] capture on, while 'wirebook record' records every event. The
# capture is then replayed (wirebookd --replay), recorded again: the books
# and the event recordings (receive timestamps aside) must be identical.
#
# Needs root and network namespaces: exits 77 (skip) with the reason
# otherwise. The testbed's /30 is derived from the PID (WB_NET overrides),
# so concurrent runs do not share a subnet. Everything created is removed.
#
# usage: test_veth_capture.sh WIREBOOKD WIREBOOK CONFIG_DIR TESTBED_SH
set -eu
wbd=$1
wb=$2
confdir=$3
testbed=$4
name=$(printf '%.8s' "wbc$$")
ns="$name-sim"
group=239.77.0.1
port=26400
WB_NET=${WB_NET:-10.$((200 + $$ % 50)).$(($$ / 50 % 256))}
export WB_NET

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
field() {
	awk -v p="$2" -v n="$3" -F'\t' 'index($1, p) == 1 { for (i = 2; i <= NF; i++) { split($i, kv, " "); if (kv[1] == n) print kv[2] } }' "$1"
}

[ "$(id -u)" = 0 ] || skip "needs root (network namespace, veth, raw sockets)"
command -v ip >/dev/null 2>&1 || skip "iproute2 'ip' not found"
ip netns list >/dev/null 2>&1 || skip "network namespaces unavailable"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wb-e2e-vcap.XXXXXX")
dpid=
rpid=
cleanup() {
	set +e
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null && wait "$dpid" 2>/dev/null
	[ -n "$rpid" ] && kill "$rpid" 2>/dev/null && wait "$rpid" 2>/dev/null
	"$testbed" destroy "$name" >/dev/null 2>&1 || true
	rm -f "/dev/shm/wirebook.$name" "/dev/shm/wirebook.$name.clients" "/dev/shm/wirebook.$name.lock" "/dev/shm/wirebook.$name.stats"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

"$testbed" create "$name" >/dev/null 2>"$tmp/testbed.err" ||
	skip "cannot create the veth testbed: $(cat "$tmp/testbed.err")"

"$wb" gen --seed 41 --messages 20000 --instruments 50 --orders 2000 --channel "$group:$port" -o "$tmp/s.pcap"
"$wb" replay --dump-book "$tmp/ref.txt" "$tmp/s.pcap"

sed -e "s/iface=wb0,/iface=${name}0,/" -e "s/^file_prefix = .*/file_prefix = $name-cap/" \
	-e "s/^name = .*/name = $name/" -e "s/^ip = .*/ip = $WB_NET.1/" \
	-e "s|^\[port0\]|[port0]\ncapture = $tmp/live|" "$confdir/testbed-af_packet.ini" >"$tmp/live.ini"
grep -q "^capture = $tmp/live" "$tmp/live.ini" || fail "could not add capture to the config"

# 1. Live: the recorder attaches before anything is received (--wait-readers).
"$wb" record --name "$name" -o "$tmp/live.evr" --wait 30 2>"$tmp/rec.log" &
rpid=$!
"$wbd" --config "$tmp/live.ini" --wait-readers 1 --dump-book "$tmp/live.txt" --stats --duration 100 \
	>"$tmp/live.sum" 2>"$tmp/live.log" &
dpid=$!
i=0
until grep -q "wirebookd: running" "$tmp/live.log"; do
	kill -0 "$dpid" 2>/dev/null || { cat "$tmp/live.log" >&2; fail "wirebookd did not start"; }
	i=$((i + 1))
	[ $i -lt 300 ] || { cat "$tmp/live.log" >&2; fail "wirebookd did not start in 30 s"; }
	sleep 0.1
done
ip netns exec "$ns" "$wb" sim --group "$group" --port "$port" --rate 20000 \
	--iface "${name}0p" --duration 30 "$tmp/s.pcap" 2>"$tmp/sim.log"
sleep 0.5
kill -INT "$dpid"
wait "$dpid" || { cat "$tmp/live.log" >&2; fail "wirebookd exited non-zero"; }
dpid=
wait "$rpid" || { cat "$tmp/rec.log" >&2; fail "wirebook record (live)"; }
rpid=
cmp -s "$tmp/ref.txt" "$tmp/live.txt" || fail "live books differ from wirebook replay"
gaps=$(field "$tmp/live.sum" feed.itch gaps)
dropped=$(field "$tmp/live.sum" lcore. capture_dropped)
frames=$(field "$tmp/live.sum" capture.0 frames)
[ "$gaps" = 0 ] && [ "$dropped" = 0 ] && [ "$frames" -gt 0 ] ||
	fail "live: gaps $gaps, capture dropped $dropped, captured $frames"

# 2. The capture replayed, recorded again.
rm -f "/dev/shm/wirebook.$name" "/dev/shm/wirebook.$name.clients" "/dev/shm/wirebook.$name.lock" "/dev/shm/wirebook.$name.stats"
"$wb" record --name "$name" -o "$tmp/replay.evr" 2>"$tmp/rec2.log" &
rpid=$!
"$wbd" --replay "$tmp/live.000001.pcapng" --wait-readers 1 --name "$name" \
	--dump-book "$tmp/replay.txt" >/dev/null 2>"$tmp/replay.log" ||
	{ cat "$tmp/replay.log" >&2; fail "wirebookd --replay of the capture"; }
wait "$rpid" || { cat "$tmp/rec2.log" >&2; fail "wirebook record (replay)"; }
rpid=
cmp -s "$tmp/ref.txt" "$tmp/replay.txt" || fail "books replayed from the capture differ"
"$wb" diff "$tmp/live.evr" "$tmp/replay.evr" >"$tmp/diff.out" ||
	fail "live and replayed events differ: $(cat "$tmp/diff.out")"
echo "veth live -> capture ($frames frames) -> replay: same books, $(cut -d' ' -f2 "$tmp/diff.out") identical events"
