#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Privilege drop: started as root with [daemon] user = nobody, the daemon
# must run as nobody with no capability once started, keep receiving, and
# a strategy running as nobody in the region's group ([publish] gid) must
# still attach and read the books; at exit nothing is left in the DPDK
# runtime directory but the directory itself (its parent is root's). Needs root and a 'nobody' user (exit 77 otherwise).
#
# usage: test_priv.sh WIREBOOKD WIREBOOK BBO_PRINT
set -eu
wbd=$1
wb=$2
bbo=$3
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (to start as root and drop)"; exit 77; }
uid=$(id -u nobody 2>/dev/null) || { echo "SKIP: no 'nobody' user"; exit 77; }
gid=$(id -g nobody)
command -v setpriv >/dev/null || { echo "SKIP: no setpriv (util-linux)"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wb-e2e-priv.XXXXXX")
name=e2e-priv-$$
prefix=wb-e2e-priv-$$
pid=
trap 'set +e; [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp" "/var/run/dpdk/$prefix"' EXIT INT TERM
fail() { echo "FAIL: $*" >&2; [ -f "$tmp/log" ] && cat "$tmp/log" >&2; exit 1; }
chmod 755 "$tmp"

"$wb" gen --seed 4 --messages 20000 --per-packet 4 -o "$tmp/t.pcap"
cat >"$tmp/d.ini" <<EOF2
[eal]
lcores = 0-1
memory_mb = 256
hugepages = no
file_prefix = $prefix
[daemon]
name = $name
stats_interval_ms = 500
duration_s = 4
user = nobody
[publish]
dir = $tmp
gid = $gid
[port0]
igmp = 0
vdev = net_pcap_priv0,rx_pcap=$tmp/t.pcap,infinite_rx=1
lcores = 1
[channel itch-a]
group = 0.0.0.0
udp_port = 0
EOF2
"$wbd" --config "$tmp/d.ini" >"$tmp/out" 2>"$tmp/log" &
pid=$!
i=0
until grep -q "running as uid $uid" "$tmp/log"; do
	i=$((i + 1))
	[ $i -lt 400 ] || fail "no 'running as uid $uid' line"
	kill -0 "$pid" 2>/dev/null || fail "daemon exited"
	sleep 0.05
done
# Every thread (rx lcore, telemetry, interrupts) is nobody, with no capability.
for st in /proc/"$pid"/task/*/status; do
	u=$(awk '$1 == "Uid:" { print $2, $3, $4, $5 }' "$st")
	[ "$u" = "$uid $uid $uid $uid" ] || fail "$st: Uid $u, want $uid everywhere"
	c=$(awk '$1 == "CapEff:" || $1 == "CapPrm:" || $1 == "CapAmb:" { print $2 }' "$st" | sort -u)
	[ "$c" = 0000000000000000 ] || fail "$st: capabilities left: $c"
done
rx1=$(grep -o 'rx [0-9]*' "$tmp/log" | tail -1)
# A strategy as nobody, in the region's group, attaches: the books, and a
# registered reader (bbo_print takes a slot in the client file).
setpriv --reuid="$uid" --regid="$gid" --clear-groups \
	"$wb" book --dir "$tmp" --name "$name" >"$tmp/book.txt" || fail "wirebook book as nobody"
[ -s "$tmp/book.txt" ] || fail "wirebook book as nobody printed nothing"
setpriv --reuid="$uid" --regid="$gid" --clear-groups \
	"$bbo" --dir "$tmp" --name "$name" >"$tmp/bbo.txt" 2>"$tmp/bbo.err" &
bpid=$!
wait "$pid" || fail "daemon exit status $?"
pid=
grep -q "stopping: duration reached" "$tmp/log" || fail "no orderly stop"
# bbo_print (a registered reader) leaves once it sees the region STOPPED
wait "$bpid" || fail "bbo_print as nobody: $(cat "$tmp/bbo.err")"
rx2=$(grep -o 'rx [0-9]*' "$tmp/log" | tail -1)
[ "$rx1" != "$rx2" ] || fail "no packets received after the drop ($rx1)"
left=$(ls -A "/var/run/dpdk/$prefix" 2>/dev/null || true)
[ -z "$left" ] || fail "left in /var/run/dpdk/$prefix: $left"
echo "priv: ran as uid $uid without capabilities, $(wc -l <"$tmp/book.txt") book lines read as nobody, runtime dir clean"
