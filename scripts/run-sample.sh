#!/usr/bin/env bash
# The README's main job, from a fresh machine: install dependencies, build,
# then replay the bundled sample capture through wirebookd (DPDK net_pcap, no
# hugepages needed) while the example strategy bbo_print follows the book
# through shared memory, and print the final book from the daemon's snapshots.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/bootstrap.sh
build=${WB_BUILD_DIR:-build}
[ -f "$build/build.ninja" ] || meson setup "$build" -Dbuildtype=release
ninja -C "$build"

sample=tests/data/sample/sample.pcap
name=sample-$$
out=$(mktemp)
cleanup() {
	rm -f "$out" /dev/shm/wirebook."$name" /dev/shm/wirebook."$name".clients \
		/dev/hugepages/wirebook."$name" /dev/hugepages/wirebook."$name".clients 2>/dev/null || true
}
trap cleanup EXIT

echo "== strategy: bbo_print --name $name AAAR ALTG (attaches as soon as the daemon publishes)"
"$build/src/examples/bbo_print" --name "$name" --wait 60 AAAR ALTG > "$out" &
strategy=$!

echo "== daemon: wirebookd --replay $sample --name $name"
"$build/src/daemon/wirebookd" --replay "$sample" --name "$name"
wait "$strategy"

lines=$(wc -l < "$out")
echo "== the strategy saw $lines best bid/offer changes; the first and last five:"
head -n 5 "$out"
echo "..."
tail -n 5 "$out"
echo "== final book from shared memory: wirebook book --name $name --depth 3"
"$build/src/tools/wirebook" book --name "$name" --depth 3
