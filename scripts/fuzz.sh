#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Builds the libFuzzer targets of tests/fuzz through meson (clang,
# -Dfuzz=true, ASan + UBSan, the same libraries as every other build) and
# runs each for SECONDS (default 60), JOBS at a time (default: the number of
# cores). Each target starts from its committed seeds (tests/fuzz/corpus/T,
# plus config/ for fuzz_config, the pcaps of tests/data for fuzz_pcap, the
# UDP payloads of the Cboe captures for fuzz_pitch)
# and keeps what it finds in $WB_FUZZ_BUILD_DIR/corpus/T, so later runs
# continue where earlier ones ended. A crash, leak, UBSan report or timeout
# fails the run and leaves the reproducer as $WB_FUZZ_BUILD_DIR/T-crash-*.
#   scripts/fuzz.sh [SECONDS] [TARGET...]     e.g. scripts/fuzz.sh 60 fuzz_config
set -eu
cd "$(dirname "$0")/.."
secs=${1:-60}
[ $# -gt 0 ] && shift
all="fuzz_config fuzz_feed fuzz_itch fuzz_mold fuzz_net fuzz_pcap fuzz_pitch"
targets=${*:-$all}
out=${WB_FUZZ_BUILD_DIR:-build-fuzz}
jobs=${WB_FUZZ_JOBS:-$(nproc)}

echo "== fuzz build ($out): clang, -Dfuzz=true, ASan + UBSan"
CC=${CC_FUZZ:-clang} meson setup "$out" --reconfigure -Dwerror=true -Dfuzz=true \
	-Dtests=disabled -Db_sanitize=address,undefined -Db_lundef=false >/dev/null 2>&1 ||
	CC=${CC_FUZZ:-clang} meson setup "$out" -Dwerror=true -Dfuzz=true \
		-Dtests=disabled -Db_sanitize=address,undefined -Db_lundef=false
ninja -C "$out" -j"$jobs" fuzz

# One target: run, then print its line of the summary. Exit status 1 on a finding.
run_one() {
	t=$1
	mkdir -p "$out/corpus/$t"
	seeds=
	[ -d "tests/fuzz/corpus/$t" ] && seeds="tests/fuzz/corpus/$t"
	dict=
	[ -f "tests/fuzz/$t.dict" ] && dict="-dict=tests/fuzz/$t.dict"
	case $t in
	fuzz_config) seeds="$seeds config" ;;
	fuzz_pcap) seeds="$seeds tests/data/nasdaq/itch50/moldudp64" ;;
	fuzz_pitch)
		# seeds: the UDP payloads of the real Cboe captures
		if [ -z "$(ls -A "$out/corpus/$t")" ]; then
			/usr/bin/python3 scripts/pcap_payloads.py "$out/corpus/$t" \
				tests/data/cboe/pitch/*/*.pcap
		fi
		;;
	esac
	# shellcheck disable=SC2086 # seeds and dict are lists of words
	if ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		"$out/tests/fuzz/$t" -max_total_time="$secs" -max_len=4096 -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 $dict \
		-artifact_prefix="$out/$t-" "$out/corpus/$t" $seeds >"$out/$t.log" 2>&1; then
		awk -v t="$t" '/^Done/ { runs = $2; s = $5 }
			/number_of_executed_units/ { runs = $2 }
			/new_units_added/ { nu = $2 }
			END { printf "== %-12s ok: %s runs in %s s, %s new units\n", t, runs, s, nu }' "$out/$t.log"
	else
		tail -n 40 "$out/$t.log"
		echo "== $t: FAILED; reproducer: $(ls "$out/$t-"* 2>/dev/null | head -n 1)" >&2
		return 1
	fi
}

echo "== fuzz: ${secs}s each, $jobs at a time: $targets"
rc=0
pids=
running=0
for t in $targets; do
	if [ ! -x "$out/tests/fuzz/$t" ]; then
		echo "== $t: not built (fuzz_config needs DPDK's headers)" >&2
		rc=1
		continue
	fi
	run_one "$t" &
	pids="$pids $!"
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		for p in $pids; do wait "$p" || rc=1; done
		pids=
		running=0
	fi
done
for p in $pids; do wait "$p" || rc=1; done
[ $rc -eq 0 ] && echo "== fuzz: every target clean" || echo "== fuzz: FAILED" >&2
exit $rc
