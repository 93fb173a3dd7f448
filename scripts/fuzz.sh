#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Builds the libFuzzer targets of tests/fuzz through meson (clang,
# -Dfuzz=true, ASan + UBSan, the same libraries as every other build) and
# runs each for SECONDS (default 60), JOBS at a time (default: the number of
# cores), the next starting as soon as one ends. Each target starts from its
# committed seeds (tests/fuzz/corpus/T,
# plus config/ for fuzz_config, the pcaps of tests/data for fuzz_pcap, the
# UDP payloads of the Cboe captures for fuzz_pitch)
# and keeps what it finds in $WB_FUZZ_BUILD_DIR/corpus/T, so later runs
# continue where earlier ones ended. A crash, leak, UBSan report or timeout
# fails the run and leaves the reproducer as $WB_FUZZ_BUILD_DIR/T-crash-*.
#
# Run without targets (CI), the three bare decoders (fuzz_itch, fuzz_mold,
# fuzz_net) get a third of SECONDS (WB_FUZZ_FAST_SECONDS to choose): they
# execute 3-22M inputs a minute and stopped finding coverage after 1.1M
# (itch), 2.2M (mold) and 1.3M (net) from the committed seeds, the rest of a
# minute adding nothing (docs/benchmarks.md, "CI time"). The targets that
# run whole pipelines (fuzz_feed, fuzz_config, fuzz_pcap, fuzz_pitch) keep
# SECONDS and start first.
#   scripts/fuzz.sh [SECONDS] [TARGET...]     e.g. scripts/fuzz.sh 60 fuzz_config
set -eu
cd "$(dirname "$0")/.."
secs=${1:-60}
[ $# -gt 0 ] && shift
# slowest first, so that the short ones fill the cores at the end
all="fuzz_feed fuzz_config fuzz_pcap fuzz_pitch fuzz_itch fuzz_mold fuzz_net"
fast="fuzz_itch fuzz_mold fuzz_net"
targets=${*:-$all}
fast_secs=$secs
if [ $# -eq 0 ]; then
	fast_secs=${WB_FUZZ_FAST_SECONDS:-$(((secs + 2) / 3))}
fi
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
	local t=$1 s=$2
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
		"$out/tests/fuzz/$t" -max_total_time="$s" -max_len=4096 -timeout=10 \
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

echo "== fuzz: ${secs}s each (${fast_secs}s: $fast), $jobs at a time: $targets"
rc=0
running=0
for t in $targets; do
	if [ ! -x "$out/tests/fuzz/$t" ]; then
		echo "== $t: not built (fuzz_config needs DPDK's headers)" >&2
		rc=1
		continue
	fi
	if [ "$running" -ge "$jobs" ]; then
		wait -n || rc=1
		running=$((running - 1))
	fi
	case " $fast " in
	*" $t "*) run_one "$t" "$fast_secs" & ;;
	*) run_one "$t" "$secs" & ;;
	esac
	running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
	wait -n || rc=1
	running=$((running - 1))
done
[ $rc -eq 0 ] && echo "== fuzz: every target clean" || echo "== fuzz: FAILED" >&2
exit $rc
