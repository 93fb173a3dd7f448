#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Instructions per item of the wire decoders on the real captures, counted by
# callgrind (repeatable, unlike wall time on a shared machine): runs
# bench_proto at 10 and 110 repetitions and divides the difference by
# 100 x items, so loading the files and start-up cancel out.
#   scripts/bench_proto.sh [BUILD_DIR]      (default build-test; needs valgrind)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build-test}
bin="$build/tests/proto/bench_proto"
[ -x "$bin" ] || { echo "build $bin first (ninja -C $build)" >&2; exit 1; }
export WB_TESTDATA="$PWD/tests/data"
ir() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 |
		awk '/Collected/ { print $4 }'
}
for stage in decode mold net; do
	items=$("$bin" "$stage" 1 | sed 's/.*: \([0-9]*\) items.*/\1/')
	a=$(ir "$stage" 10)
	b=$(ir "$stage" 110)
	echo "$stage: $(( (b - a) / (100 * items) )) instructions per item ($items items, $build)"
done
