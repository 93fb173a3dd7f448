#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Independent feeds: two feeds whose stock locates overlap (every generated
# stream numbers its instruments from 1), on one rx lcore, plus eight idle
# feeds on the same lcore: ten feeds, each published in its own region
# (NAME, NAME.1 .. NAME.9). Each feed's shared-memory books must equal its
# own stream replayed alone: two feeds on one lcore used to share one
# region and overwrite each other's snapshots, and a ninth feed was
# silently left unpublished.
#
# usage: test_feeds.sh WIREBOOKD WIREBOOK
set -eu
wbd=$1
wb=$2
name="e2e-fd-$$"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wb-e2e-feeds.XXXXXX")
cleanup() {
	rm -rf "$tmp"
	for k in "" .1 .2 .3 .4 .5 .6 .7 .8 .9; do
		rm -f "/dev/shm/wirebook.$name$k" "/dev/shm/wirebook.$name$k.clients" \
			"/dev/shm/wirebook.$name$k.lock"
	done
}
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }

"$wb" gen --seed 5 --messages 60000 --instruments 200 --channel 239.77.0.9:26401 -o "$tmp/x.pcap"
"$wb" gen --seed 6 --messages 60000 --instruments 200 --channel 239.77.0.10:26401 -o "$tmp/y.pcap"
"$wb" replay --depth 10 --dump-book "$tmp/xref.txt" "$tmp/x.pcap"
"$wb" replay --depth 10 --dump-book "$tmp/yref.txt" "$tmp/y.pcap"
# Same writer, same pcap header: the records of the second after the first.
cp "$tmp/x.pcap" "$tmp/m.pcap"
tail -c +25 "$tmp/y.pcap" >>"$tmp/m.pcap"
# The two streams' first symbols sit at the same locates.
cmp -s "$tmp/xref.txt" "$tmp/yref.txt" && fail "the two streams are the same"

cat >"$tmp/d.ini" <<EOT
[eal]
lcores = 0-1
file_prefix = wb-e2e-fd-$$
[daemon]
name = $name
idle_exit_ms = 1500
stats_interval_ms = 0
[book]
max_orders = 65536
max_levels = 65536
max_instruments = 1024
hugepages = no
[publish]
ring_slots = 4096
dir = /dev/shm
[port0]
vdev = net_pcap_fd$$,rx_pcap=$tmp/m.pcap
lcores = 1
[channel x]
group = 239.77.0.9
udp_port = 26401
[channel y]
group = 239.77.0.10
udp_port = 26401
EOT
for k in 2 3 4 5 6 7 8 9; do
	printf '[channel idle%s]\ngroup = 239.77.0.%s\nudp_port = 26401\n' "$k" "$((20 + k))" >>"$tmp/d.ini"
done
"$wbd" --config "$tmp/d.ini" --stats >"$tmp/sum.txt" 2>"$tmp/log.txt" ||
	{ cat "$tmp/log.txt" >&2; fail "wirebookd failed"; }
n=$(grep -c "publishing '$name.*: feed '" "$tmp/sum.txt" "$tmp/log.txt" | awk -F: '{ s += $2 } END { print s }')
[ "$n" = 10 ] || fail "$n feeds published, expected 10: $(cat "$tmp/sum.txt" "$tmp/log.txt")"
"$wb" book --name "$name" --dir /dev/shm >"$tmp/xshm.txt" || fail "wirebook book $name failed"
"$wb" book --name "$name.1" --dir /dev/shm >"$tmp/yshm.txt" || fail "wirebook book $name.1 failed"
cmp "$tmp/xref.txt" "$tmp/xshm.txt" || fail "feed x: shared-memory books differ from its stream alone"
cmp "$tmp/yref.txt" "$tmp/yshm.txt" || fail "feed y: shared-memory books differ from its stream alone"
"$wb" book --name "$name.9" --dir /dev/shm >"$tmp/idle.txt" || fail "the tenth feed is not published"
[ -s "$tmp/idle.txt" ] && fail "an idle feed has books: $(head -3 "$tmp/idle.txt")"
# max_instruments too small: every message of a higher locate is dropped,
# counted as bad_locate in the summary and named in a hint at exit.
sed -e 's/^max_instruments = .*/max_instruments = 16/' -e '/^\[channel idle/,$d' \
	"$tmp/d.ini" >"$tmp/small.ini"
"$wbd" --config "$tmp/small.ini" --stats >"$tmp/ssum.txt" 2>"$tmp/slog.txt" ||
	{ cat "$tmp/slog.txt" >&2; fail "wirebookd (max_instruments 16) failed"; }
bad=$(awk -F'\t' '$1 == "feed.x" { for (i = 2; i <= NF; i++) { split($i, kv, " "); if (kv[1] == "bad_locate") print kv[2] } }' "$tmp/ssum.txt")
[ -n "$bad" ] && [ "$bad" -gt 0 ] || fail "max_instruments 16: bad_locate '$bad' in the summary"
grep -q "feed x: $bad messages named a stock locate at or above \[book\] max_instruments (16)" "$tmp/slog.txt" ||
	fail "max_instruments 16: no hint: $(cat "$tmp/slog.txt")"
echo "max_instruments 16: $bad messages counted as bad_locate, hint printed"
echo "feeds: 10 feeds on one lcore, 10 regions; overlapping locates: $(wc -l <"$tmp/xref.txt") + $(wc -l <"$tmp/yref.txt") book lines identical"
