#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Fault tests on the veth testbed: 'wirebook sim' plays an exchange with
# lines A and B and a MoldUDP64 request server in a network namespace;
# wirebookd (net_af_packet) arbitrates, recovers, or says it could not.
#
#   lines    5% independent loss on A and on B, B from 1 early to 3 late,
#            1% duplicated on each, every packet on one line at least, no
#            request server: nothing lost, no gap, the books equal to the
#            loss-free replay.
#   recovery 2% loss on each line and 2% on both, with the request server:
#            nothing lost after recovery, books equal, recovery time (p50,
#            max) reported from the daemon's counters.
#   down     the same losses, the request server down: the feed is stale, a
#            gap event reaches an SDK client (bbo_print), the daemon keeps
#            running, and a second feed of the same daemon stays whole.
#   restart  the daemon is stopped mid-session and started again: without
#            a request server it stays stale (its books differ and are never
#            shown as good); with one it is stale until the server gave it
#            the session's start back, then whole and equal.
#
# Needs root and network namespaces (exits 77 otherwise). Names carry the
# PID; the /30 is 10.79.N.0 with N not on any host interface, chosen and
# created under a flock, so concurrent runs never share a subnet.
# Everything created is removed.
#
# usage: test_faults.sh CASE WIREBOOKD WIREBOOK BBO_PRINT CONFIG_DIR TESTBED_SH
set -eu
case=$1
wbd=$2
wb=$3
bbo=$4
confdir=$5
testbed=$6
name=$(printf 'wbf%s%05d' "$(printf %.1s "$case")" $(($$ % 100000)))
ns="$name-sim"
ga=239.79.0.1
gb=239.79.0.2
gother=239.79.0.3
port=26400
srv=26500

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL ($case): $*" >&2; exit 1; }
field() {
	awk -v p="$2" -v n="$3" -F'\t' 'index($1, p) == 1 { for (i = 2; i <= NF; i++) { split($i, kv, " "); if (kv[1] == n) print kv[2] } }' "$1"
}
simfield() { # simfield FILE LINE-PATTERN NAME: the number after NAME on that line
	awk -v p="$2" -v n="$3" 'index($0, p) { for (i = 1; i < NF; i++) if ($i == n) print $(i + 1) }' "$1"
}

[ "$(id -u)" = 0 ] || skip "needs root (network namespace, veth, raw sockets)"
command -v ip >/dev/null 2>&1 || skip "iproute2 'ip' not found"
command -v flock >/dev/null 2>&1 || skip "flock (util-linux) not found"
ip netns list >/dev/null 2>&1 || skip "network namespaces unavailable"
[ -x /usr/bin/python3 ] || skip "/usr/bin/python3 (telemetry query) not found"
here=$(cd "$(dirname "$0")" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wb-e2e-faults.XXXXXX")
pids=
cleanup() {
	set +e
	for p in $pids; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	"$testbed" destroy "$name" >/dev/null 2>&1
	rm -f "/dev/shm/wirebook.$name" "/dev/shm/wirebook.$name".*
	[ -n "${WB_E2E_KEEP:-}" ] && echo "kept $tmp" >&2 || rm -rf "$tmp"
	rm -rf "/var/run/dpdk/$name"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# A free /30: no address of this host in it. The choice and the creation
# of the testbed (which puts 10.79.N.1 on the host) happen under a lock on
# the lock directory, so a concurrent run sees this one's address and
# picks another.
lockdir=/run/lock
[ -d "$lockdir" ] || lockdir=${TMPDIR:-/tmp}
exec 9<"$lockdir"
flock -w 60 9 || skip "cannot lock $lockdir to choose a subnet"
n=$(($$ % 200))
tries=0
while ip -4 -o addr show | grep -q " 10\.79\.$n\."; do
	n=$(((n + 1) % 256))
	tries=$((tries + 1))
	[ $tries -lt 256 ] || skip "no free subnet in 10.79.0.0/16"
done
net=10.79.$n
WB_NET=$net "$testbed" create "$name" >/dev/null 2>"$tmp/testbed.err" ||
	skip "cannot create the veth testbed: $(cat "$tmp/testbed.err")"
exec 9<&-

# config FILE [REQUEST_SERVER] [second feed]: two lines of feed itch, a
# [feed itch] section, and optionally a feed 'other' on its own group.
config() {
	sed -e "s/iface=wb0,/iface=${name}0,/" -e "s/^file_prefix = .*/file_prefix = $name/" \
		-e "s/^name = .*/name = $name/" -e "s/^ip = .*/ip = $net.1/" \
		-e "s/^group = 239.77.0.1/group = $ga/" -e "s/^stats_interval_ms = .*/stats_interval_ms = 0/" \
		-e '/^\[feed itch\]/,$d' -e '/^; Line B/,$d' "$confdir/testbed-af_packet.ini" >"$1"
	cat >>"$1" <<EOF
[channel itch-b]
port = 0
group = $gb
udp_port = $port
line = B
feed = itch

[feed itch]
reorder_window_us = $window
; short, doubling: a lost reply is asked again before the hold buffer fills
request_timeout_us = 10000
request_retries = 6
EOF
	[ -z "${2:-}" ] || echo "request_server = $2" >>"$1"
	[ -z "${3:-}" ] || cat >>"$1" <<EOF

[channel other]
port = 0
group = $gother
udp_port = $port
EOF
}

# start_daemon INI TAG: runs wirebookd in the background until "running".
start_daemon() {
	"$wbd" --config "$1" --dump-book "$tmp/$2.book" --stats >"$tmp/$2.sum" 2>"$tmp/$2.log" &
	dpid=$!
	pids="$pids $dpid"
	i=0
	until grep -q "wirebookd: running" "$tmp/$2.log" 2>/dev/null; do
		kill -0 "$dpid" 2>/dev/null || { cat "$tmp/$2.log" >&2; fail "wirebookd did not start"; }
		i=$((i + 1))
		[ $i -lt 300 ] || { cat "$tmp/$2.log" >&2; fail "wirebookd did not start"; }
		sleep 0.1
	done
}

stop_daemon() { # stop_daemon TAG
	kill -INT "$dpid"
	rc=0
	wait "$dpid" || rc=$?
	[ $rc = 0 ] || { cat "$tmp/$1.log" >&2; fail "wirebookd exited $rc"; }
}

# sim TAG ARGS...: the exchange, in the namespace, on both lines.
sim() {
	tag=$1
	shift
	ip netns exec "$ns" "$wb" sim --group "$ga" --group-b "$gb" --port "$port" \
		--iface "${name}0p" "$@" 2>"$tmp/$tag.sim"
}

# top_state FEED: STALE or ok, as `wirebook top --once --json` shows the
# feed of the running daemon (what an operator sees).
top_state() {
	"$wb" top --once --json --name "$name" >"$tmp/top.json" 2>"$tmp/top.err" || true
	/usr/bin/python3 -c 'import json, sys
try:
    t = json.load(open(sys.argv[1]))
except ValueError:
    sys.exit(0)
for f in t.get("feeds", []):
    if f["name"] == sys.argv[2]:
        print({True: "STALE", False: "ok"}.get(f["stale"], "?"))' "$tmp/top.json" "$1"
}

msgs=${WB_FAULT_MESSAGES:-40000}
"$wb" gen --seed 41 --messages "$msgs" --instruments 300 -o "$tmp/s.itch"
"$wb" replay --dump-book "$tmp/ref.txt" "$tmp/s.itch"
[ -s "$tmp/ref.txt" ] || fail "empty reference book"
# Small packets: many of them, so that 2% and 5% are hundreds of losses.
# 2,500 packets/s per line: the sim sleeps between them rather than spins,
# so that on a 2-core host (one core spun by the rx lcore) the daemon's
# main lcore, which sends the requests, still gets the other core.
common="--rate 2500 --payload 200 --seed 7"
# The reorder window: with no request server it can be wide (a sender
# descheduled on a busy host must not look like a loss); with one, what it
# holds meanwhile must fit the hold buffer (1024 packets: 200 ms here,
# both lines' copies).
window=3000
[ "$case" != lines ] || window=50000

case $case in
lines)
	config "$tmp/d.ini"
	start_daemon "$tmp/d.ini" d
	sim s $common --loss-a 5 --loss-b 5 --keep-one --skew-b -1:3 --dup-a 1 --dup-b 1 \
		--linger 1 "$tmp/s.itch"
	state=$(top_state itch)
	stop_daemon d
	lost_a=$(simfield "$tmp/s.sim" "line A:" lost)
	lost_b=$(simfield "$tmp/s.sim" "line B:" lost)
	[ "$lost_a" -gt 100 ] && [ "$lost_b" -gt 100 ] || fail "sim lost only $lost_a/$lost_b"
	[ "$(simfield "$tmp/s.sim" "lost_both" lost_both)" = 0 ] || fail "a packet lost on both lines"
	cmp -s "$tmp/ref.txt" "$tmp/d.book" || fail "books differ from the loss-free replay"
	gaps=$(field "$tmp/d.sum" feed.itch gaps)
	[ "$gaps" = 0 ] || fail "$gaps gaps declared"
	[ "$state" = ok ] || { cat "$tmp/top.json" "$tmp/top.err" >&2; fail "feed left stale"; }
	filled=$(field "$tmp/d.sum" recovery.itch filled)
	[ "$filled" -gt 100 ] || fail "only $filled gaps filled by the other line"
	[ "$(field "$tmp/d.sum" recovery.itch hold_expired)" = 0 ] || fail "a reorder window expired"
	echo "lines: $filled gaps filled by the other line; A lost $lost_a, B lost $lost_b packets (B skewed -1..3, 1% duplicated): books equal, 0 gaps, not stale"
	;;
recovery)
	config "$tmp/d.ini" "$net.2:$srv"
	start_daemon "$tmp/d.ini" d
	sim s $common --loss-a 2 --loss-b 2 --loss-both 2 --skew-b 0:2 --serve "$srv" \
		--linger 2 "$tmp/s.itch"
	# The operator's view: /wirebook/requests over DPDK telemetry.
	/usr/bin/python3 "$here/telemetry_query.py" "/var/run/dpdk/$name/dpdk_telemetry.v2" \
		/wirebook/requests >"$tmp/tel.json" || fail "telemetry query"
	/usr/bin/python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))["/wirebook/requests"]["itch"]
sys.exit(0 if r["sent"] > 0 and r["replies"] > 0 and r["arp"] == "ok" else 1)' "$tmp/tel.json" ||
		fail "telemetry /wirebook/requests: $(cat "$tmp/tel.json")"
	state=$(top_state itch)
	stop_daemon d
	both=$(simfield "$tmp/s.sim" "lost_both" lost_both)
	answered=$(simfield "$tmp/s.sim" "request server" answered)
	[ "$both" -gt 20 ] || fail "only $both packets lost on both lines"
	[ "$answered" -gt 0 ] || { cat "$tmp/s.sim" >&2; fail "the server answered nothing"; }
	cmp -s "$tmp/ref.txt" "$tmp/d.book" || {
		cat "$tmp/s.sim" "$tmp/d.sum" >&2
		fail "books differ after recovery"
	}
	sent=$(field "$tmp/d.sum" request.itch sent)
	replies=$(field "$tmp/d.sum" request.itch replies)
	arp=$(field "$tmp/d.sum" request.itch arp)
	[ "$sent" -gt 0 ] && [ "$replies" -gt 0 ] || fail "requests $sent, replies $replies"
	[ "$arp" = ok ] || fail "ARP state $arp"
	rmsgs=$(field "$tmp/d.sum" feed.itch recovered_msgs)
	[ "$rmsgs" -gt 0 ] || fail "no message applied from the recovery line"
	[ "$state" = ok ] || { cat "$tmp/top.json" "$tmp/top.err" >&2; fail "feed left stale"; }
	p50=$(field "$tmp/d.sum" feed.itch recovery_p50_us)
	max=$(field "$tmp/d.sum" feed.itch recovery_max_us)
	[ -n "$p50" ] && [ -n "$max" ] || fail "no recovery time reported"
	echo "recovery: $both packets lost on both lines, $sent requests, $replies replies ($answered answered, $rmsgs messages applied from them): books equal, not stale; recovery p50 ${p50} us, max ${max} us"
	;;
down)
	config "$tmp/d.ini" "$net.2:$srv" other
	start_daemon "$tmp/d.ini" d
	"$bbo" --name "$name" --wait 5 >"$tmp/bbo.out" 2>"$tmp/bbo.err" &
	bpid=$!
	pids="$pids $bpid"
	"$wb" gen --seed 43 --messages 20000 --instruments 50 -o "$tmp/o.itch"
	"$wb" replay --dump-book "$tmp/oref.txt" "$tmp/o.itch"
	ip netns exec "$ns" "$wb" sim --group "$gother" --port "$port" --iface "${name}0p" \
		--rate 5000 --payload 200 --session OTHER00001 "$tmp/o.itch" 2>"$tmp/o.sim" &
	opid=$!
	pids="$pids $opid"
	sim s $common --loss-a 2 --loss-b 2 --loss-both 2 --serve "$srv" --server-down \
		--linger 1 "$tmp/s.itch"
	wait "$opid" || fail "the other feed's sim failed"
	ignored=$(simfield "$tmp/s.sim" "request server" ignored)
	[ "$ignored" -gt 0 ] || fail "no request reached the server"
	kill -0 "$dpid" 2>/dev/null || fail "wirebookd died"
	[ "$(top_state itch)" = STALE ] || { cat "$tmp/top.json" "$tmp/top.err" >&2; fail "feed itch not stale"; }
	[ "$(top_state other)" = ok ] || { cat "$tmp/top.json" "$tmp/top.err" >&2; fail "feed other stale"; }
	# Still running: a new session on line A is taken and makes the feed whole.
	"$wb" gen --seed 44 --messages 2000 --instruments 20 -o "$tmp/n.itch"
	ip netns exec "$ns" "$wb" sim --group "$ga" --port "$port" --iface "${name}0p" \
		--rate 5000 --session NEWSESSION "$tmp/n.itch" 2>"$tmp/n.sim"
	sleep 0.3
	stop_daemon d
	kill "$bpid" 2>/dev/null || true
	wait "$bpid" 2>/dev/null || true
	grep -q "feed gap" "$tmp/bbo.err" || { cat "$tmp/bbo.err" >&2; fail "no gap event seen by the client"; }
	failed=$(field "$tmp/d.sum" feed.itch failed)
	[ "$failed" -gt 0 ] || fail "no gap declared after the retries"
	[ "$(field "$tmp/d.sum" feed.other stale)" = 0 ] || fail "feed other stale in the summary"
	cmp -s "$tmp/oref.txt" "$tmp/d.book.other" || fail "feed other's books differ"
	[ "$(field "$tmp/d.sum" feed.other gaps)" = 0 ] || fail "feed other has gaps"
	"$wb" replay --dump-book "$tmp/nref.txt" "$tmp/n.itch"
	cmp -s "$tmp/nref.txt" "$tmp/d.book.itch" || fail "the new session's books differ"
	echo "down: $ignored requests ignored; itch STALE with a gap event at the client, other whole and equal; a new session made itch whole"
	;;
restart)
	# restart_run TAG [SERVER]: the daemon runs from before the stream, is
	# stopped a third of the way through and started again; its second life
	# joins the session mid-way (or, if start-up is slow, after its last
	# message, from the heartbeats: the same for the daemon).
	restart_run() {
		config "$tmp/$1.ini" ${2:-}
		start_daemon "$tmp/$1.ini" "$1-1"
		# The session goes on (heartbeats) for a while after its last
		# message, long enough for a slow (sanitized) start-up.
		sim "$1" --rate 200 --seed 7 ${2:+--serve $srv} --linger 3 "$tmp/r.itch" &
		spid=$!
		pids="$pids $spid"
		sleep 0.5
		stop_daemon "$1-1"
		start_daemon "$tmp/$1.ini" "$1-2"
		wait "$spid" || fail "sim failed"
		state=$(top_state itch)
		stop_daemon "$1-2"
	}
	# Full packets at 200 a second: the session lasts seconds and the
	# daemon's hold buffer (1024 packets) outlasts the recovery of the start.
	"$wb" gen --seed 42 --messages 12000 --instruments 200 -o "$tmp/r.itch"
	"$wb" replay --dump-book "$tmp/ref.txt" "$tmp/r.itch"
	# Without a request server the start is lost for good: stale, and the
	# books (which differ) are never shown as good.
	restart_run r1
	[ "$(field "$tmp/r1-2.sum" feed.itch stale)" != 0 ] || fail "mid-session start not stale"
	[ "$state" = STALE ] || { cat "$tmp/top.json" "$tmp/top.err" >&2; fail "mid-session books shown as good"; }
	cmp -s "$tmp/ref.txt" "$tmp/r1-2.book" && fail "books whole without the session's start?"
	# With one, the second life asks for what it missed: stale until whole.
	restart_run r2 "$net.2:$srv"
	sent=$(field "$tmp/r2-2.sum" request.itch sent)
	events=$(field "$tmp/r2-2.sum" recovery.itch stale_events)
	cleared=$(field "$tmp/r2-2.sum" recovery.itch stale_cleared)
	[ "$sent" -gt 0 ] || fail "no request for the session's start"
	[ "$events" -ge 1 ] && [ "$cleared" -ge 1 ] || fail "stale $events times, cleared $cleared"
	cmp -s "$tmp/ref.txt" "$tmp/r2-2.book" || {
		[ "$state" = STALE ] || fail "books differ and the feed is not stale"
		cat "$tmp/r2-2.sum" >&2
		fail "not whole although the request server had the history"
	}
	[ "$state" = ok ] || fail "whole but still stale"
	echo "restart: without a server stale to the end (books differ, shown STALE); with one stale until whole ($sent requests), then books equal and ok"
	;;
*)
	fail "unknown case '$case'"
	;;
esac
