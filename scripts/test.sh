#!/usr/bin/env bash
# Sets up and runs the whole test suite: installs dependencies, builds with
# warnings as errors, runs every test, then rebuilds under AddressSanitizer +
# UndefinedBehaviorSanitizer and runs the tests again.
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

echo "== all tests passed (plain and ASan+UBSan)"
