#!/bin/sh
# scripts/bench-ab.sh on the sample: both modes, and bench feed, print a row
# per round and the paired summary; one build against itself; a missing
# build and an unknown bench are refused.
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

"$src/scripts/bench-ab.sh" --rounds 3 "$build" "$build" "$sample" >"$out"
check
"$src/scripts/bench-ab.sh" --rounds 3 --serial "$build" "$build" "$sample" "$sample" >"$out"
check
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
echo ok
