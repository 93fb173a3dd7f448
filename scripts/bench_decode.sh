#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Instructions per message of PITCH and ITCH decoding on generated streams of
# the same order flow, counted by callgrind (repeatable, unlike wall time on a
# shared machine): runs bench_decode at 1 and 3 rounds and divides the
# difference by 2 x messages, so generating the streams cancels out.
#   scripts/bench_decode.sh [BUILD_DIR] [MESSAGES]   (default build-rel, 200000)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build-rel}
n=${2:-200000}
bin="$build/tests/tools/bench_decode"
[ -x "$bin" ] || { echo "build $bin first (ninja -C $build tests/tools/bench_decode)" >&2; exit 1; }
ir() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$n" "$1" "$2" 2>&1 |
		awk '/Collected/ { print $4 }'
}
for kind in itch pitch pitch_units; do
	items=$("$bin" "$n" 1 "$kind" | awk -v k="$kind" '$1 == k { print $2 }')
	a=$(ir 1 "$kind")
	b=$(ir 3 "$kind")
	echo "$kind: $(( (b - a) / (2 * items) )) instructions per message ($items messages, $build)"
done
