#!/usr/bin/env bash
# Sets up and runs the whole test suite: installs dependencies, builds with
# warnings as errors, runs every test, then rebuilds under AddressSanitizer +
# UndefinedBehaviorSanitizer and runs the tests again; then the shared-memory
# and client tests under ThreadSanitizer, and every libFuzzer target for
# WB_FUZZ_SECONDS (default 60; the bare decoders a third of it, see
# scripts/fuzz.sh) under ASan + UBSan (WB_FUZZ_SECONDS=0 skips).
# Where the time goes, and why: docs/benchmarks.md, "CI time".
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/bootstrap.sh

jobs=$(nproc)
build=${WB_BUILD_DIR:-build-test}
san=${WB_SAN_BUILD_DIR:-build-san}

echo "== build ($build): -Dwerror=true"
meson setup "$build" --reconfigure -Dwerror=true -Dbuildtype=debugoptimized >/dev/null 2>&1 ||
	meson setup "$build" -Dwerror=true -Dbuildtype=debugoptimized
ninja -C "$build" -j"$jobs"
meson test -C "$build" --print-errorlogs --num-processes "$jobs"

echo "== build ($san): ASan + UBSan"
meson setup "$san" --reconfigure -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false >/dev/null 2>&1 ||
	meson setup "$san" -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false
ninja -C "$san" -j"$jobs"
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
	meson test -C "$san" --print-errorlogs --num-processes "$jobs"

echo "== build (${WB_TSAN_BUILD_DIR:-build-tsan}): ThreadSanitizer (clang), shm and client tests"
tsan=${WB_TSAN_BUILD_DIR:-build-tsan}
CC=clang meson setup "$tsan" --reconfigure -Dwerror=true -Db_sanitize=thread -Db_lundef=false >/dev/null 2>&1 ||
	CC=clang meson setup "$tsan" -Dwerror=true -Db_sanitize=thread -Db_lundef=false
tsan_tests="shm-threads shm-region shm-ring shm-publish client"
ninja -C "$tsan" -j"$jobs" tests/shm/test_shm_threads tests/shm/test_shm_region tests/shm/test_shm_ring \
	tests/shm/test_shm_publish tests/client/test_client
TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1} \
	meson test -C "$tsan" --no-rebuild --print-errorlogs --num-processes "$jobs" $tsan_tests

secs=${WB_FUZZ_SECONDS:-60}
if [ "$secs" != 0 ]; then
	echo "== fuzz: every target ${secs}s under ASan + UBSan"
	./scripts/fuzz.sh "$secs"
fi

echo "== all tests passed (plain, ASan+UBSan, TSan, fuzz ${secs}s a target, the decoders a third)"
