#!/bin/sh
# scripts/bench-ab.sh on the sample: both modes, and bench feed, print a row
# per round and the paired summary; one build against itself; a missing
# build and an unknown bench are refused. Run together, the rounds' timed
# parts start at one instant (--start-at), which bench book and bench feed
# report: the wait, or how late the instant was; a bad time is refused.
#   test_bench_ab.sh SOURCE_ROOT BUILD_ROOT
set -eu
src=$1
build=$2
sample=$src/tests/data/sample/sample.pcap
out=$(mktemp)
trap 'rm -f "$out"' EXIT

check() {
	rows=$(grep -cE '^ +[0-9]+ +[0-9.]+ +[0-9.]+ +[0-9.]+$' "$out" || true)
	[ "$rows" = 3 ] || { echo "want 3 round rows, got $rows"; cat "$out"; exit 1; }
	grep -qE '^paired B/A median [0-9.]+ \(quartiles [0-9.]+ [0-9.]+\), 3 rounds$' "$out" ||
		{ echo "no paired summary"; cat "$out"; exit 1; }
}

export WB_AB_MARGIN=3
"$src/scripts/bench-ab.sh" --rounds 3 "$build" "$build" "$sample" >"$out"
check
grep -qE '^timed parts started together \(--start-at\) in [0-9] of 3 rounds$' "$out" ||
	{ echo "no alignment line"; cat "$out"; exit 1; }
"$src/scripts/bench-ab.sh" --rounds 3 --serial "$build" "$build" "$sample" "$sample" >"$out"
check
if grep -q "timed parts" "$out"; then echo "serial rounds said aligned"; cat "$out"; exit 1; fi
"$src/scripts/bench-ab.sh" --rounds 3 --bench feed "$build" "$build" "$sample" >"$out"
check
if "$src/scripts/bench-ab.sh" --rounds 1 --bench replay "$build" "$build" "$sample" >"$out" 2>&1; then
	echo "--bench replay was accepted"; exit 1
fi
grep -q "bench-ab: --bench book or feed" "$out" || { cat "$out"; exit 1; }
if "$src/scripts/bench-ab.sh" --rounds 1 "$build" /nonexistent "$sample" >"$out" 2>&1; then
	echo "a missing build was accepted"; exit 1
fi
grep -q "no /nonexistent/src/tools/wirebook" "$out" || { cat "$out"; exit 1; }

# --start-at itself: a time ahead is waited for, one past is reported late
wb=$build/src/tools/wirebook
for bench in book feed; do
	soon=$(/usr/bin/python3 -c 'import time; print(f"{time.time() + 1.5:.3f}")')
	"$wb" bench "$bench" --runs 1 --start-at "$soon" "$sample" >"$out" 2>/dev/null
	/usr/bin/python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
assert j["start_wait_s"] > 0 and j["start_late_s"] == 0, (sys.argv[2], j)' "$out" "$bench"
	"$wb" bench "$bench" --runs 1 --start-at 1000 "$sample" >"$out" 2>"$out.err"
	/usr/bin/python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
assert j["start_wait_s"] == 0 and j["start_late_s"] > 1e9, (sys.argv[2], j)' "$out" "$bench"
	grep -q "start-at was .* s past" "$out.err" || { cat "$out.err"; exit 1; }
	if "$wb" bench "$bench" --start-at "in a bit" "$sample" >"$out" 2>&1; then
		echo "bench $bench took a bad --start-at"; exit 1
	fi
	grep -q -- "--start-at: 'in a bit' is not a time" "$out" || { cat "$out"; exit 1; }
done
rm -f "$out.err"
echo ok
