#!/usr/bin/env bash
# Decode and decode+book throughput on a generated trading day (issue target:
# decode+book >= 20 M msgs/s on 10 M messages). Builds a release tree, makes
# the stream once (deterministic: seed 1), prints the benchmark's JSON.
#   scripts/bench-book.sh [MESSAGES] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
msgs=${1:-10000000}
runs=${2:-5}
build=${WB_BENCH_BUILD:-build-release}
[ -d "$build" ] || meson setup "$build" -Dbuildtype=release >/dev/null
ninja -C "$build" src/tools/wirebook >/dev/null
out=${WB_BENCH_DIR:-/tmp/wirebook-bench}
mkdir -p "$out"
day="$out/day-$msgs.itch"
[ -s "$day" ] || "$build/src/tools/wirebook" gen --seed 1 --messages "$msgs" -o "$day"
"$build/src/tools/wirebook" bench book --runs "$runs" "$day"
