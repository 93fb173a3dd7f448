#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# wirebookd --replay of a generated pcap (through DPDK net_pcap, no
# hugepages) must leave the same books as the in-process 'wirebook replay',
# with every frame received and no sequence gap; and again on a VLAN-tagged
# stream narrowed by --channel, next to traffic for another group that must
# be counted as unmatched.
#
# And every real capture bundled in tests/data: same books, same message
# and gap counts as 'wirebook replay' (their link types and zeroed sequence
# numbers go through the DPDK path too).
#
# usage: test_replay.sh WIREBOOKD WIREBOOK [DATA_DIR]
set -eu
wbd=$1
wb=$2
data=${3:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wb-e2e-replay.XXXXXX")
trap 'rm -rf "$tmp" "/dev/shm/wirebook.e2e-replay-$$" "/dev/shm/wirebook.e2e-replay-$$.clients" "/dev/shm/wirebook.e2e-replay-$$.lock" "/dev/shm/wirebook.e2e-replay-$$-"*' EXIT INT TERM

fail() { echo "FAIL: $*" >&2; exit 1; }
field() { # field FILE LINE-PREFIX NAME -> value after "NAME " on that line
	awk -v p="$2" -v n="$3" -F'\t' 'index($1, p) == 1 { for (i = 2; i <= NF; i++) { split($i, kv, " "); if (kv[1] == n) print kv[2] } }' "$1"
}

# 1. Whole stream, every datagram one feed.
"$wb" gen --seed 3 --messages 300000 --instruments 500 -o "$tmp/a.pcap"
"$wb" replay --dump-book "$tmp/ref.txt" "$tmp/a.pcap"
[ -s "$tmp/ref.txt" ] || fail "reference dump is empty"
"$wbd" --replay "$tmp/a.pcap" --name "e2e-replay-$$" --dump-book "$tmp/d.txt" --stats \
	>"$tmp/sum.txt" 2>"$tmp/log.txt" || { cat "$tmp/log.txt" >&2; fail "wirebookd --replay failed"; }
grep -q "stopping: end of input" "$tmp/log.txt" || fail "did not stop at end of input"
cmp "$tmp/ref.txt" "$tmp/d.txt" || fail "books differ from wirebook replay"
frames=$(field "$tmp/sum.txt" port.0 rx)
dgrams=$(field "$tmp/sum.txt" feed.replay datagrams)
gaps=$(field "$tmp/sum.txt" feed.replay gaps)
[ "$frames" -gt 0 ] && [ "$frames" = "$dgrams" ] || fail "frames $frames, datagrams $dgrams"
[ "$gaps" = 0 ] || fail "$gaps gaps"
# The books stay readable after exit: the published snapshots (depth 10 by
# default) through the shared-memory tool.
"$wb" replay --depth 10 --dump-book "$tmp/ref10.txt" "$tmp/a.pcap"
"$wb" book --name "e2e-replay-$$" >"$tmp/shm.txt" || fail "wirebook book failed"
cmp "$tmp/ref10.txt" "$tmp/shm.txt" || fail "published snapshots differ from wirebook replay --depth 10"
echo "replay: $(wc -l <"$tmp/ref.txt") book lines identical, $frames frames, 0 gaps; shm snapshots identical"

# 2. VLAN 42 stream on 239.77.0.9:26401 merged with a second group: --channel
#    keeps only the first; the second counts as unmatched.
"$wb" gen --seed 5 --messages 100000 --vlan 42 --channel 239.77.0.9:26401 -o "$tmp/v.pcap"
"$wb" gen --seed 6 --messages 50000 --channel 239.77.0.10:26401 -o "$tmp/o.pcap"
"$wb" replay --dump-book "$tmp/vref.txt" "$tmp/v.pcap"
# Both files come from the same writer (same pcap header): append the
# records of the second after the first.
cp "$tmp/v.pcap" "$tmp/m.pcap"
tail -c +25 "$tmp/o.pcap" >>"$tmp/m.pcap"
"$wbd" --replay "$tmp/m.pcap" --channel 239.77.0.9:26401 --name "e2e-replay-$$" \
	--dump-book "$tmp/vd.txt" --stats >"$tmp/vsum.txt" 2>"$tmp/vlog.txt" ||
	{ cat "$tmp/vlog.txt" >&2; fail "wirebookd --replay --channel failed"; }
cmp "$tmp/vref.txt" "$tmp/vd.txt" || fail "VLAN channel books differ"
unmatched=$(field "$tmp/vsum.txt" lcore. unmatched)
frames=$(field "$tmp/vsum.txt" port.0 rx)
other=$("$wb" replay --stats "$tmp/o.pcap" | awk -F'\t' '$1 == "input.records" { print $2 }')
[ "$unmatched" = "$other" ] || fail "unmatched $unmatched, expected the $other frames of the other group"
echo "replay --channel: VLAN books identical, $unmatched of $frames frames unmatched"

# 3. Lines A and B: the same stream on two groups, B after A in the capture;
#    both channels feed one book, every B packet is a duplicate.
"$wb" gen --seed 3 --messages 300000 --instruments 500 --channel 239.77.0.2:26400 -o "$tmp/b.pcap"
cp "$tmp/a.pcap" "$tmp/ab.pcap"
tail -c +25 "$tmp/b.pcap" >>"$tmp/ab.pcap"
"$wbd" --replay "$tmp/ab.pcap" --channel 239.77.0.1:26400 --channel 239.77.0.2:26400 \
	--name "e2e-replay-$$" --dump-book "$tmp/ab.txt" --stats >"$tmp/absum.txt" 2>"$tmp/ablog.txt" ||
	{ cat "$tmp/ablog.txt" >&2; fail "wirebookd --replay A/B failed"; }
cmp "$tmp/ref.txt" "$tmp/ab.txt" || fail "A/B books differ"
# Every data packet of B repeats one of A (B's end-of-session is not data).
want=$("$wb" replay --stats "$tmp/a.pcap" | awk -F'\t' '$1 == "session.packets" { p = $2 }
	$1 == "session.heartbeats" || $1 == "session.end_of_session" { p -= $2 } END { print p }')
dups=$(field "$tmp/absum.txt" feed.replay dup_packets)
gaps=$(field "$tmp/absum.txt" feed.replay gaps)
[ "$dups" = "$want" ] && [ "$gaps" = 0 ] || fail "A/B: $dups duplicates (want $want), $gaps gaps"
echo "replay A/B: books identical, all $dups line-B packets counted as duplicates"

# 4. A bad configuration stops start-up with status 2, naming the key.
printf '[eal]\nlcores = 0-1\n[port0]\nvdev = net_null0\nrx_queues = 99\n[channel a]\n' >"$tmp/bad.ini"
rc=0
"$wbd" --config "$tmp/bad.ini" 2>"$tmp/bad.err" || rc=$?
[ $rc = 2 ] || fail "bad config: exit status $rc, want 2"
grep -q "\[port0\] rx_queues: '99' is not a number in \[1, 16\]" "$tmp/bad.err" ||
	{ cat "$tmp/bad.err" >&2; fail "bad config: message does not name the key"; }
printf '[eal]\nlcores = 0-1\n[port0]\nvdev = net_null0\n[channel a]\ngroup = 10.0.0.1\n' >"$tmp/bad2.ini"
rc=0
"$wbd" --config "$tmp/bad2.ini" 2>"$tmp/bad2.err" || rc=$?
[ $rc = 2 ] && grep -q "\[channel a\] group: '10.0.0.1' is not a multicast group" "$tmp/bad2.err" ||
	{ cat "$tmp/bad2.err" >&2; fail "bad group: status $rc"; }
# --check knows the host: an lcore this machine lacks stops it, naming it.
printf '[eal]\nlcores = 0,1000\n[port0]\nvdev = net_null0\nlcores = 1000\n[channel a]\ngroup = 239.1.1.1\nudp_port = 1\n' >"$tmp/bad3.ini"
rc=0
"$wbd" --config "$tmp/bad3.ini" --check 2>"$tmp/bad3.err" || rc=$?
[ $rc = 2 ] && grep -q "\[eal\] lcores: CPU 1000 does not exist on this host" "$tmp/bad3.err" ||
	{ cat "$tmp/bad3.err" >&2; fail "--check with an absent lcore: status $rc"; }
echo "bad configs: exit status 2 naming [port0] rx_queues, [channel a] group, an absent CPU"

# 5. Telemetry: the /wirebook/ commands answer (as dpdk-telemetry.py would
#    ask them) while the daemon runs, after one pass of a one-session
#    capture (a second pass on the same line would be the numbering going
#    back, a regression): the book counters must be exactly wirebook
#    replay's, and every section must show the traffic.
"$wb" gen --seed 9 --messages 20000 --per-packet 4 -o "$tmp/t.pcap"
"$wb" replay --stats "$tmp/t.pcap" >"$tmp/t.stats"
cat >"$tmp/tel.ini" <<EOF
[eal]
lcores = 0-1
main_lcore = 0
memory_mb = 256
hugepages = no
file_prefix = wb-e2e-tel-$$
[daemon]
name = e2e-replay-$$
stats_interval_ms = 0
duration_s = 5
[port0]
igmp = 0
vdev = net_pcap_tel0,rx_pcap=$tmp/t.pcap
lcores = 1
mbufs = 16383
[channel itch-a]
group = 0.0.0.0
udp_port = 0
EOF
"$wbd" --config "$tmp/tel.ini" >"$tmp/tel.out" 2>"$tmp/tel.log" &
tpid=$!
# Start-up reaches a redirected stdout (a log file, the journal) while the
# daemon runs, not at its exit: 'publishing' is printed before 'running'
# (stderr, unbuffered), so once that is there, so must the other be.
i=0
until grep -q "wirebookd: running" "$tmp/tel.log"; do
	i=$((i + 1))
	kill -0 "$tpid" 2>/dev/null && [ $i -lt 400 ] || { kill "$tpid" 2>/dev/null; fail "no 'running' line"; }
	sleep 0.05
done
grep -q "publishing 'e2e-replay-$$'" "$tmp/tel.out" ||
	{ kill "$tpid"; fail "the 'publishing' line is not in the redirected stdout while running"; }
if [ "$(id -u)" = 0 ]; then rundir=/var/run/dpdk; else rundir=${XDG_RUNTIME_DIR:-/tmp}/dpdk; fi
sleep 1
python3 "$(dirname "$0")/telemetry_query.py" "$rundir/wb-e2e-tel-$$/dpdk_telemetry.v2" \
	/wirebook/stats /wirebook/channels /wirebook/channel,itch-a /wirebook/lcores /wirebook/ports \
	>"$tmp/tel.json" ||
	{ kill "$tpid"; cat "$tmp/tel.log" >&2; fail "telemetry query"; }
wait "$tpid" || { cat "$tmp/tel.log" >&2; fail "wirebookd (telemetry run) failed"; }
python3 "$(dirname "$0")/telemetry_check.py" "$tmp/tel.json" "$tmp/t.stats" ||
	fail "telemetry: $(cat "$tmp/tel.json")"
echo "telemetry: /wirebook/stats, channels, lcores, ports answer; book counters equal wirebook replay's"

# 5b. Book errors are visible while the daemon runs, not only in the exit
#     summary: a looped capture of deletes of orders never added (its
#     sequence numbers are zero, so every pass is applied again) must show
#     unknown_ref in the periodic log line and in /wirebook/stats.
sed -e "s|rx_pcap=[^,]*|rx_pcap=$data/nasdaq-zeroed_OrderDelete.pcap|" \
	-e 's/^stats_interval_ms = 0/stats_interval_ms = 200/' -e 's/^duration_s = 5/duration_s = 2/' \
	"$tmp/tel.ini" >"$tmp/tel2.ini"
if [ -n "$data" ] && [ -f "$data/nasdaq-zeroed_OrderDelete.pcap" ]; then
	"$wbd" --config "$tmp/tel2.ini" >/dev/null 2>"$tmp/tel2.log" &
	tpid=$!
	# the /wirebook/ commands exist once the daemon says it runs
	i=0
	until grep -q "wirebookd: running" "$tmp/tel2.log"; do
		i=$((i + 1))
		kill -0 "$tpid" 2>/dev/null && [ $i -lt 400 ] || fail "book errors run: no 'running' line"
		sleep 0.05
	done
	python3 "$(dirname "$0")/telemetry_query.py" "$rundir/wb-e2e-tel-$$/dpdk_telemetry.v2" \
		/wirebook/stats >"$tmp/tel2.json" || { kill "$tpid"; fail "telemetry query (book errors)"; }
	wait "$tpid" || { cat "$tmp/tel2.log" >&2; fail "wirebookd (book errors run) failed"; }
	grep -q "unknown_ref [1-9]" "$tmp/tel2.log" ||
		{ cat "$tmp/tel2.log" >&2; fail "the periodic log line does not show unknown_ref"; }
	python3 -c 'import json,sys; s = json.load(open(sys.argv[1]))["/wirebook/stats"]; sys.exit(0 if s["unknown_ref"] > 0 else "unknown_ref not live: %s" % s)' \
		"$tmp/tel2.json" || fail "/wirebook/stats does not show unknown_ref"
	echo "book errors: unknown_ref live in the log line and /wirebook/stats"
fi

# 6. The real captures, four at a time: a daemon's run on one of them is
# its start and stop (0.85 s wall, 0.26 s of CPU), so one after the other
# they took a minute (two under ASan), mostly waiting.
capture() { # capture FILE K: run in the background, exits 1 on a difference
	f=$1
	k=$2
	"$wb" replay --stats --dump-book "$tmp/rr.$k.txt" "$f" >"$tmp/rr.$k.stats"
	"$wbd" --replay "$f" --name "e2e-replay-$$-$k" --dump-book "$tmp/rd.$k.txt" --stats \
		>"$tmp/rd.$k.sum" 2>"$tmp/rd.$k.log" || { cat "$tmp/rd.$k.log" >&2; fail "$f: wirebookd failed"; }
	rm -f "/dev/shm/wirebook.e2e-replay-$$-$k" "/dev/shm/wirebook.e2e-replay-$$-$k".*
	cmp -s "$tmp/rr.$k.txt" "$tmp/rd.$k.txt" || fail "$f: books differ"
	m1=$(awk -F'\t' '$1 == "messages" { print $2 }' "$tmp/rr.$k.stats")
	g1=$(awk -F'\t' '$1 == "session.gaps" { print $2 }' "$tmp/rr.$k.stats")
	m2=$(field "$tmp/rd.$k.sum" feed.replay messages)
	g2=$(field "$tmp/rd.$k.sum" feed.replay gaps)
	[ "$m1" = "$m2" ] && [ "$g1" = "$g2" ] ||
		fail "$f: messages $m2 gaps $g2, wirebook replay: messages $m1 gaps $g1"
	echo ok >"$tmp/ok.$k"
}
if [ -n "$data" ] && [ -d "$data" ]; then
	n=0
	pids=
	for f in "$data"/*.pcap; do
		n=$((n + 1))
		capture "$f" "$n" &
		pids="$pids $!"
		if [ $((n % 4)) = 0 ]; then
			for p in $pids; do wait "$p" || fail "a real capture failed (above)"; done
			pids=
		fi
	done
	for p in $pids; do wait "$p" || fail "a real capture failed (above)"; done
	[ "$(ls "$tmp"/ok.* 2>/dev/null | wc -l)" = "$n" ] || fail "not every capture was checked"
	echo "real captures: $n files, same books, messages and gaps as wirebook replay"
fi
rm -f "/dev/shm/wirebook.e2e-replay-$$" "/dev/shm/wirebook.e2e-replay-$$.clients" "/dev/shm/wirebook.e2e-replay-$$.lock"
