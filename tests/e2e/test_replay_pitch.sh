#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# A Cboe PITCH feed through the daemon: a generated PITCH capture
# (wirebook gen --protocol pitch) must leave the same books as the
# in-process 'wirebook replay --protocol pitch' of the same file,
#  1. under wirebookd --replay (protocol taken from the capture's bytes),
#     and in the published snapshots read back with 'wirebook book';
#  2. through DPDK net_pcap with a config that says protocol = pitch, on
#     lines A and B of one feed (every B unit a duplicate);
#  3. and a PITCH feed with a MoldUDP64 request_server stops start-up with
#     status 2, naming the key.
#
# usage: test_replay_pitch.sh WIREBOOKD WIREBOOK
set -eu
wbd=$1
wb=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wb-e2e-pitch.XXXXXX")
name="e2e-pitch-$$"
trap 'rm -rf "$tmp" "/dev/shm/wirebook.$name" "/dev/shm/wirebook.$name.clients" "/dev/shm/wirebook.$name.lock"' EXIT INT TERM

fail() { echo "FAIL: $*" >&2; exit 1; }
field() { # field FILE LINE-PREFIX NAME -> value after "NAME " on that line
	awk -v p="$2" -v n="$3" -F'\t' 'index($1, p) == 1 { for (i = 2; i <= NF; i++) { split($i, kv, " "); if (kv[1] == n) print kv[2] } }' "$1"
}
stat() { # stat FILE NAME -> value of a 'wirebook replay --stats' line
	awk -v n="$2" -F'\t' '$1 == n { print $2 }' "$1"
}

# 1. --replay: protocol from the bytes.
"$wb" gen --protocol pitch --seed 3 --messages 300000 --instruments 500 --units 6 -o "$tmp/a.pcap"
"$wb" replay --protocol pitch --stats --dump-book "$tmp/ref.txt" "$tmp/a.pcap" >"$tmp/ref.stats"
[ -s "$tmp/ref.txt" ] || fail "reference dump is empty"
[ "$(stat "$tmp/ref.stats" error.msg_unknown_type)" = 0 ] || fail "reference: unknown types"
# without --protocol, the same (detected)
"$wb" replay --dump-book "$tmp/ref2.txt" "$tmp/a.pcap"
cmp "$tmp/ref.txt" "$tmp/ref2.txt" || fail "wirebook replay: detection gave other books"
"$wbd" --replay "$tmp/a.pcap" --name "$name" --dump-book "$tmp/d.txt" --stats \
	>"$tmp/sum.txt" 2>"$tmp/log.txt" || { cat "$tmp/log.txt" >&2; fail "wirebookd --replay failed"; }
grep -q "stopping: end of input" "$tmp/log.txt" || fail "did not stop at end of input"
cmp "$tmp/ref.txt" "$tmp/d.txt" || fail "books differ from wirebook replay --protocol pitch"
frames=$(field "$tmp/sum.txt" port.0 rx)
dgrams=$(field "$tmp/sum.txt" feed.replay datagrams)
msgs=$(field "$tmp/sum.txt" feed.replay messages)
gaps=$(field "$tmp/sum.txt" feed.replay gaps)
[ "$frames" -gt 0 ] && [ "$frames" = "$dgrams" ] || fail "frames $frames, datagrams $dgrams"
[ "$msgs" = "$(stat "$tmp/ref.stats" messages)" ] || fail "messages $msgs, replay says $(stat "$tmp/ref.stats" messages)"
[ "$gaps" = 0 ] || fail "$gaps gaps"
"$wb" replay --protocol pitch --depth 10 --dump-book "$tmp/ref10.txt" "$tmp/a.pcap"
"$wb" book --name "$name" >"$tmp/shm.txt" || fail "wirebook book failed"
cmp "$tmp/ref10.txt" "$tmp/shm.txt" || fail "published snapshots differ from wirebook replay --depth 10"
echo "pitch --replay: $(wc -l <"$tmp/ref.txt") book lines identical, $msgs messages, $frames frames, 0 gaps; shm snapshots identical"

# 2. net_pcap, protocol = pitch in the config, lines A and B of one feed:
#    the same stream on a second group after the first.
"$wb" gen --protocol pitch --seed 3 --messages 300000 --instruments 500 --units 6 \
	--channel 239.77.0.2:26400 -o "$tmp/b.pcap"
cp "$tmp/a.pcap" "$tmp/ab.pcap"
tail -c +25 "$tmp/b.pcap" >>"$tmp/ab.pcap"
cat >"$tmp/ab.ini" <<EOF
[eal]
lcores = 0-1
main_lcore = 0
memory_mb = 256
hugepages = no
file_prefix = wb-e2e-pitch-$$
[daemon]
name = $name
stats_interval_ms = 0
duration_s = 3
[port0]
igmp = 0
vdev = net_pcap_pitch0,rx_pcap=$tmp/ab.pcap
lcores = 1
mbufs = 16383
[channel cboe-a]
protocol = pitch
feed = bzx
group = 239.77.0.1
udp_port = 26400
[channel cboe-b]
protocol = pitch
feed = bzx
line = B
group = 239.77.0.2
udp_port = 26400
EOF
"$wbd" --config "$tmp/ab.ini" --dump-book "$tmp/ab.txt" --stats >"$tmp/absum.txt" 2>"$tmp/ablog.txt" ||
	{ cat "$tmp/ablog.txt" >&2; fail "wirebookd (net_pcap, protocol = pitch) failed"; }
cmp "$tmp/ref.txt" "$tmp/ab.txt" || fail "net_pcap A/B books differ from wirebook replay"
want=$(($(stat "$tmp/ref.stats" session.packets) - $(stat "$tmp/ref.stats" session.heartbeats)))
dups=$(field "$tmp/absum.txt" feed.bzx dup_packets)
gaps=$(field "$tmp/absum.txt" feed.bzx gaps)
[ "$dups" = "$want" ] && [ "$gaps" = 0 ] || fail "A/B: $dups duplicates (want $want), $gaps gaps"
echo "pitch net_pcap A/B: books identical, all $dups line-B units counted as duplicates"

# 3. A request_server is MoldUDP64's: refused for a PITCH feed, naming the key.
printf '[eal]\nlcores = 0-1\n[port0]\nvdev = net_null0\nip = 10.0.0.1\n[channel a]\nprotocol = pitch\n[feed a]\nrequest_server = 10.0.0.2:1\n' >"$tmp/bad.ini"
rc=0
"$wbd" --config "$tmp/bad.ini" 2>"$tmp/bad.err" || rc=$?
[ $rc = 2 ] && grep -q "\[feed a\] request_server: a MoldUDP64 request server, but the feed is pitch" "$tmp/bad.err" ||
	{ cat "$tmp/bad.err" >&2; fail "request_server on a PITCH feed: status $rc"; }
printf '[eal]\nlcores = 0-1\n[port0]\nvdev = net_null0\n[channel a]\nprotocol = cboe\n' >"$tmp/bad2.ini"
rc=0
"$wbd" --config "$tmp/bad2.ini" 2>"$tmp/bad2.err" || rc=$?
[ $rc = 2 ] && grep -q "\[channel a\] protocol: 'cboe' is not a protocol" "$tmp/bad2.err" ||
	{ cat "$tmp/bad2.err" >&2; fail "bad protocol: status $rc"; }
echo "bad configs: exit status 2 naming [feed a] request_server, [channel a] protocol"
