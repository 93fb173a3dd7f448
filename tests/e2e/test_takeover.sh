#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# The region's name belongs to the daemon that holds its lock. A daemon
# stopped (SIGSTOP) for 3 s keeps it: a second daemon of the same name is
# refused with a message naming the holder (it used to take the name over
# after 2 s without a heartbeat). Killed (SIGKILL), the first one loses it
# at once and the second one starts. A second daemon on the same EAL
# file_prefix is refused before EAL with a message naming the key, not
# "EAL init failed: Success".
#
# usage: test_takeover.sh WIREBOOKD PCAP
set -eu
wbd=$1
pcap=$2
name="e2e-tk-$$"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wb-e2e-tk.XXXXXX")
a=
b=
cleanup() {
	for p in $a $b; do kill -CONT "$p" 2>/dev/null || true; kill -KILL "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$tmp" "/dev/shm/wirebook.$name" "/dev/shm/wirebook.$name.clients" \
		"/dev/shm/wirebook.$name.lock" /var/run/dpdk/wb-e2e-tka-$$ /var/run/dpdk/wb-e2e-tkb-$$
}
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }

# An idle daemon: one capture's frames, then nothing, for up to 60 s.
mkini() { # mkini FILE PREFIX VDEV
	cat >"$1" <<EOT
[eal]
lcores = 0-1
file_prefix = $2
[daemon]
name = $name
duration_s = 60
stats_interval_ms = 0
[book]
max_orders = 1024
max_levels = 1024
max_instruments = 1024
hugepages = no
[publish]
ring_slots = 1024
dir = /dev/shm
[port0]
vdev = $3,rx_pcap=$pcap
lcores = 1
[channel a]
EOT
}
mkini "$tmp/a.ini" "wb-e2e-tka-$$" "net_pcap_tka$$"
mkini "$tmp/b.ini" "wb-e2e-tkb-$$" "net_pcap_tkb$$"
mkini "$tmp/same.ini" "wb-e2e-tka-$$" "net_pcap_tkc$$"

"$wbd" --config "$tmp/a.ini" >"$tmp/a.log" 2>&1 &
a=$!
i=0
until grep -q "running:" "$tmp/a.log"; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "first daemon did not start: $(cat "$tmp/a.log")"
	kill -0 "$a" 2>/dev/null || fail "first daemon exited: $(cat "$tmp/a.log")"
	sleep 0.1
done

# Same EAL prefix: refused before EAL, naming the key and the holder.
rc=0
"$wbd" --config "$tmp/same.ini" >"$tmp/same.log" 2>&1 || rc=$?
[ $rc -ne 0 ] || fail "a second daemon on the same file_prefix started"
grep -q "\[eal\] file_prefix: 'wb-e2e-tka-$$' is in use by running pid $a" "$tmp/same.log" ||
	fail "same prefix: unclear message: $(cat "$tmp/same.log")"
grep -q "Success" "$tmp/same.log" && fail "same prefix: still says Success"

# Stalled for 3 s: the name is still its own.
kill -STOP "$a"
sleep 3
rc=0
"$wbd" --config "$tmp/b.ini" >"$tmp/b1.log" 2>&1 || rc=$?
[ $rc -ne 0 ] || fail "a second daemon took over a stalled daemon's name"
grep -q "region '$name' is held by running pid $a" "$tmp/b1.log" ||
	fail "stalled owner: unclear message: $(cat "$tmp/b1.log")"

# Killed: the name is free at once.
kill -KILL "$a"
wait "$a" 2>/dev/null || true
a=
"$wbd" --config "$tmp/b.ini" >"$tmp/b2.log" 2>&1 &
b=$!
i=0
until grep -q "running:" "$tmp/b2.log"; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "second daemon did not start after the first died: $(cat "$tmp/b2.log")"
	kill -0 "$b" 2>/dev/null || fail "second daemon exited: $(cat "$tmp/b2.log")"
	sleep 0.1
done
kill -TERM "$b"
wait "$b" || fail "second daemon did not stop cleanly"
b=
echo "takeover: stalled owner kept its name 3 s, killed owner's name taken; same prefix refused"
