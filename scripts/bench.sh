#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# The benchmark suite in under five minutes: the host disclosed, what it
# lacks for low latency (scripts/tune-host.sh --check), `wirebook bench book`,
# `bench feed` and `bench shm` on generated streams, then `wirebook bench e2e`
# in ping, rate and burst modes with the receivers alternated in rounds. The
# latency section of docs/benchmarks.md (between its bench.sh markers) and
# docs/img/e2e-*.png are rewritten from the run; everything else is printed
# and kept in OUT.
#
# usage: scripts/bench.sh [BUILD_DIR] [OUT_DIR]
#        scripts/bench.sh --docs-from OUT_DIR   (rewrite the docs from a past run)
#   WB_BENCH_SECONDS (default 2) measured seconds per receiver and round
#   WB_BENCH_ROUNDS  (default 3) rounds
#   WB_BENCH_RATE    (default 20000) messages/s of the rate and burst modes
#   WB_BENCH_DOCS=no leaves docs/ alone
# The e2e part needs root (it makes its own network namespaces); without it
# the rest runs and the docs are left alone.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
docs_only=
if [ "${1:-}" = --docs-from ]; then
	docs_only=$2
	set -- build "$2"
fi
build=${1:-build}
case $build in /*) ;; *) build=$here/$build ;; esac
out=${2:-$(mktemp -d "${TMPDIR:-/tmp}/wb-bench.XXXXXX")}
secs=${WB_BENCH_SECONDS:-2}
rounds=${WB_BENCH_ROUNDS:-3}
rate=${WB_BENCH_RATE:-20000}
wb=$build/src/tools/wirebook
[ -x "$wb" ] || { echo "bench.sh: no $wb (build first: ninja -C $build)" >&2; exit 2; }
mkdir -p "$out"
t0=$(date +%s)
if [ -z "$docs_only" ]; then

say() { printf '%s\n' "$*" | tee -a "$out/host.txt"; }
: >"$out/host.txt"
dpdk=$(pkg-config --modversion libdpdk 2>/dev/null || echo unknown)
gov=$(cat /sys/devices/system/cpu/cpu0/cpufreq/scaling_governor 2>/dev/null || echo "none (no cpufreq)")
iso=$(cat /sys/devices/system/cpu/isolated 2>/dev/null || true)
say "host: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(nproc) cores"
say "isolated cores: ${iso:-none}; governor: $gov"
say "hugepages: $(sed -n 's/^HugePages_Total:[[:space:]]*//p' /proc/meminfo) x $(sed -n 's/^Hugepagesize:[[:space:]]*//p' /proc/meminfo)"
say "kernel: $(uname -r); DPDK: $dpdk; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bench.sh: what this host lacks for low latency (scripts/tune-host.sh --check):"
"$here/scripts/tune-host.sh" --check 2>&1 | sed 's/^/  /' | tee "$out/tune-host.txt" || true

echo "bench.sh: bench book, feed, shm (generated streams)"
"$wb" gen --seed 1 --messages 2000000 -o "$out/day.itch" >/dev/null
"$wb" gen --seed 1 --messages 1000000 --channel 239.77.0.1:26400 -o "$out/day.pcap" >/dev/null
"$wb" bench book --runs 3 "$out/day.itch" >"$out/book.json" 2>"$out/book.err" || cat "$out/book.err" >&2
"$wb" bench feed --runs 3 "$out/day.pcap" >"$out/feed.json" 2>"$out/feed.err" || cat "$out/feed.err" >&2
"$wb" bench shm --runs 3 >"$out/shm.json" 2>"$out/shm.err" || cat "$out/shm.err" >&2
for f in book feed shm; do echo "  $f: $(tr -d '\n' <"$out/$f.json" | cut -c1-300)"; done
rm -f "$out/day.itch" "$out/day.pcap"

if [ "$(id -u)" != 0 ]; then
	echo "bench.sh: not root: bench e2e skipped (it creates network namespaces), docs left alone" >&2
	exit 0
fi
e2e() { # MODE RECEIVERS TAG [RATE] [SECONDS]
	rc=0
	"$wb" bench e2e --mode "$1" --rate "${4:-$rate}" --receivers "$2" --seconds "${5:-$secs}" \
		--rounds "$rounds" --json "$out/$3.json" --md "$out/$3.md" --plots "$out/$3" \
		>/dev/null 2>"$out/$3.log" || rc=$?
	grep -v '^wirebook bench e2e: configs' "$out/$3.log" >&2
	# 1: a receiver had no result (it says why in the tables); anything else is fatal
	[ $rc -le 1 ] && [ -s "$out/$3.json" ] || { echo "bench.sh: bench e2e $3 failed ($rc)" >&2; exit 1; }
	[ $rc = 0 ] || echo "bench.sh: $3: a receiver had no result (see the table)" >&2
}
echo "bench.sh: bench e2e, $rounds rounds x $secs s per receiver, receivers alternated"
e2e ping afpacket,afxdp,kernel,bare,kernel-block,afpacket-adapt ping
e2e rate afpacket,kernel,bare,kernel-block,afpacket-adapt rate
e2e burst afpacket,bare,kernel burst
# how far the sender reaches: the "sent msgs/s" column says whether it did
e2e rate afpacket,kernel,bare rate-100k 100000 1
e2e rate afpacket,kernel,bare rate-500k 500000 1
# bursts at the sender's top: 1 ms at 1,000,000/s asked every 100 ms, which it
# sends as fast as it can; "lost" is the figure (target: none)
e2e burst afpacket,kernel,bare burst-100k 100000 2
cut -d' ' -f1-3 /proc/loadavg >"$out/load-after.txt"
date -u '+%Y-%m-%d %H:%M UTC' >"$out/when.txt"
echo "bench.sh: done in $(($(date +%s) - t0)) s; results in $out"
fi
load1=$(cat "$out/load-after.txt")
[ "${WB_BENCH_DOCS:-yes}" = yes ] || exit 0
doc=$here/docs/benchmarks.md
mkdir -p "$here/docs/img"
for m in ping rate burst; do
	cp "$out/$m/latency.png" "$here/docs/img/e2e-$m-latency.png"
	cp "$out/$m/stages.png" "$here/docs/img/e2e-$m-stages.png"
done
{
	echo "<!-- bench.sh latency: begin (written by scripts/bench.sh; edit the script, not this) -->"
	echo
	echo "Run of $(cat "$out/when.txt") (its end): \`sudo scripts/bench.sh\` ($rounds rounds x $secs s per"
	echo "receiver and mode, rate and burst modes at $rate messages/s)."
	echo
	sed 's/^/    /' "$out/host.txt"
	echo "    load average after: $load1"
	echo
	echo "What this host lacks (\`scripts/tune-host.sh --check\`):"
	echo
	sed 's/^/    /' "$out/tune-host.txt"
	for m in ping rate burst rate-100k rate-500k burst-100k; do
		j=$out/$m.json
		echo
		echo "#### $m"
		echo
		r=$(sed -n 's/.*"rate": \([0-9]*\),.*/\1/p' "$j")
		[ "$r" = 0 ] && ropt= || ropt=" --rate $r"
		echo "\`wirebook bench e2e --mode $(sed -n 's/.*"mode": "\([a-z]*\)".*/\1/p' "$j")$ropt --receivers $(sed -n 's/.*"receivers_arg": "\([^"]*\)".*/\1/p' "$j") --seconds $(sed -n 's/.*"seconds": \([0-9]*\),.*/\1/p' "$j") --rounds $rounds\`"
		tail -n +2 "$out/$m.md"
		case $m in ping | rate | burst)
			echo
			echo "![$m: percentile distributions](img/e2e-$m-latency.png)"
			echo "![$m: stages](img/e2e-$m-stages.png)" ;;
		esac
	done
	echo
	echo "<!-- bench.sh latency: end -->"
} >"$out/latency.md"
if grep -q '^<!-- bench.sh latency: begin' "$doc"; then
	awk -v f="$out/latency.md" '
		/^<!-- bench.sh latency: begin/ { while ((getline l < f) > 0) print l; skip = 1; next }
		/^<!-- bench.sh latency: end/ { skip = 0; next }
		!skip { print }' "$doc" >"$doc.new"
	mv "$doc.new" "$doc"
else
	cat "$out/latency.md" >>"$doc"
fi
echo "bench.sh: rewrote the latency section of docs/benchmarks.md and docs/img/e2e-*.png"
