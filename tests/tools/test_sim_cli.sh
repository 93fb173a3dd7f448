#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# `wirebook sim` refuses bad fault and server options with exit status 2 and
# a message naming the option, before it opens a socket or reads its input.
# usage: test_sim_cli.sh WIREBOOK
set -u
wb=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wb-sim-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
rc=0
# expect STATUS MESSAGE ARGS...
expect() {
	want=$1 msg=$2
	shift 2
	"$wb" sim "$@" >"$tmp/out" 2>&1
	got=$?
	if [ "$got" != "$want" ] || ! grep -qF -- "$msg" "$tmp/out"; then
		echo "FAIL: wirebook sim $*: status $got (want $want), output:" >&2
		cat "$tmp/out" >&2
		rc=1
	fi
}
base="--group 239.1.1.1 --port 26400"
expect 2 "--loss-a: '101' is not a percentage in [0, 100]" $base --loss-a 101 x.itch
expect 2 "--loss-both: 'x' is not a percentage" $base --loss-both x x.itch
expect 2 "--dup-b: '-1' is not a percentage" $base --group-b 239.1.1.2 --dup-b=-1 x.itch
expect 2 "--skew-b: '3:1' is not N or LO:HI" $base --group-b 239.1.1.2 --skew-b 3:1 x.itch
expect 2 "--skew-b: '1:' is not N or LO:HI" $base --group-b 239.1.1.2 --skew-b 1: x.itch
expect 2 "--group-b: '10.0.0.1' is not an IPv4 multicast group" $base --group-b 10.0.0.1 x.itch
expect 2 "line B options need --group-b" $base --loss-b 5 x.itch
expect 2 "line B options need --group-b" $base --skew-b 2 x.itch
expect 2 "request server options need --serve PORT" $base --server-down x.itch
expect 2 "request server options need --serve PORT" $base --max-count 10 x.itch
expect 2 "--max-count: '65535' is not a number" $base --serve 26500 --max-count 65535 x.itch
expect 2 "--serve: '0' is not a number" $base --serve 0 x.itch
expect 2 "--protocol: 'fix' is not moldudp64-itch50, itch, pitch or auto" $base --protocol fix x.itch
expect 2 "--serve and --heartbeat-ms are MoldUDP64's" $base --protocol pitch --serve 26500 x.units
expect 2 "--serve and --heartbeat-ms are MoldUDP64's" $base --protocol pitch --heartbeat-ms 5 x.units
expect 0 "--group-b G" --help
[ $rc = 0 ] && echo "sim-cli: 16 cases refused or accepted as expected"
exit $rc
