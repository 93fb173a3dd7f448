#!/usr/bin/env bash
# The README's main job, from a fresh machine: install dependencies, build,
# then replay the bundled sample capture through wirebookd (its replay port, no
# hugepages needed) while the example strategy bbo_print follows the book
# through shared memory, and print the final book from the daemon's snapshots.
#
# The region (instance 'sample') stays afterwards, so the tools it suggests
# have something to read; `run-sample.sh --clean` removes it.
#
# usage: scripts/run-sample.sh [--clean]
set -euo pipefail
cd "$(dirname "$0")/.."
name=sample
remove_region() {
	rm -f /dev/shm/wirebook."$name" /dev/shm/wirebook."$name".clients /dev/shm/wirebook."$name".lock \
		/dev/hugepages/wirebook."$name" /dev/hugepages/wirebook."$name".clients 2>/dev/null || true
}
case ${1:-} in
--clean)
	remove_region
	echo "removed the '$name' region"
	exit 0 ;;
"") ;;
*)
	echo "usage: $0 [--clean]" >&2
	exit 2 ;;
esac

./scripts/bootstrap.sh
build=${WB_BUILD_DIR:-build}
[ -f "$build/build.ninja" ] || meson setup "$build" -Dbuildtype=release
ninja -C "$build"

sample=tests/data/sample/sample.pcap
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# a region left by an earlier run would be read before the daemon replaces it
remove_region

echo "== strategy: bbo_print --name $name AAAR ALTG (attaches as soon as the daemon publishes)"
"$build/src/examples/bbo_print" --name "$name" --wait 60 AAAR ALTG > "$out" &
strategy=$!

echo "== daemon: wirebookd --replay $sample --name $name"
"$build/src/daemon/wirebookd" --replay "$sample" --name "$name"
wait "$strategy"

lines=$(($(wc -l < "$out") - 1))
echo "== the strategy saw $lines best bid/offer changes; the first and last five:"
head -n 6 "$out"
echo "..."
tail -n 5 "$out"
echo "== final book from shared memory: wirebook book --name $name --depth 3"
"$build/src/tools/wirebook" book --name "$name" --depth 3

cat <<NEXT

== the '$name' region stays (state STOPPED) for you to explore:
  $build/src/tools/wirebook book --name $name AAAR              # one book, every level
  $build/src/tools/wirebook book --name $name --json | head -c 600
  $build/src/tools/wirebook top --name $name --once             # the daemon's view of it
  $build/src/examples/bbo_print --name $name --count 5          # attach a strategy
  $build/src/tools/wirebook replay --stats $sample   # every counter, in-process
  man $build/docs/man/wirebook.1                                # the tools; wirebookd.8, libwirebook.3
  remove it: $0 --clean
NEXT
