#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Compares `wirebook bench book` (decode+book msgs/s; with --bench feed,
# `wirebook bench feed`: datagrams through sequencing, decode, book and the
# shared-memory publisher, msgs/s) of two builds, or of
# one build on two inputs, on a host too noisy for one run of each: ROUNDS
# paired rounds, and per round the ratio B/A, so that what the host does
# between rounds cancels out. By default A and B of a round run at the
# same time, one on each of the first two cores, swapped every round (the
# neighbours' load then falls on both alike); --serial runs them one after
# the other, alternating which goes first. Prints each round, then the
# medians, the median of the paired ratios and its quartiles.
#   scripts/bench-ab.sh [--rounds N] [--serial] [--bench book|feed] BUILD_A BUILD_B FILE [FILE_B]
# BUILD_* is a build directory (its src/tools/wirebook is run); with FILE_B,
# A reads FILE and B reads FILE_B (e.g. one build on ITCH and on PITCH).
# Run together, A and B load their inputs first, and two inputs (or two
# builds) seldom take the same time to load: so when both builds take
# --start-at, each round's timed parts are held until one common instant,
# a margin after the round starts that follows how long the slower one
# took to get ready (it starts at WB_AB_MARGIN seconds, default 10).
# Without it, the one ready first times its run while the other is still
# loading, and the pair compares two different states of the host
# (docs/benchmarks.md, "Aligned rounds").
# docs/benchmarks.md says where it was used and what it resolves.
set -euo pipefail
rounds=20
serial=0
bench=book
while [ $# -gt 0 ]; do
	case $1 in
	--rounds) rounds=$2; shift 2 ;;
	--serial) serial=1; shift ;;
	--bench)
		case $2 in book | feed) bench=$2 ;; *) echo "bench-ab: --bench book or feed" >&2; exit 2 ;; esac
		shift 2 ;;
	*) break ;;
	esac
done
if [ $# -lt 3 ]; then
	sed -n 's/^#   //p' "$0" >&2
	exit 2
fi
bin_a=$1/src/tools/wirebook
bin_b=$2/src/tools/wirebook
file_a=$3
file_b=${4:-$3}
for b in "$bin_a" "$bin_b"; do
	[ -x "$b" ] || { echo "bench-ab: no $b (build it first)" >&2; exit 1; }
done
[ "$(nproc)" -ge 2 ] || serial=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The round's common start, when both builds take --start-at (run together only).
aligned=0
if [ "$serial" = 0 ] && "$bin_a" bench "$bench" --help 2>&1 | grep -q -- --start-at &&
	"$bin_b" bench "$bench" --help 2>&1 | grep -q -- --start-at; then
	aligned=1
fi
margin=${WB_AB_MARGIN:-10}

# One run: "msgs/s wait late" (bench book: its decode_book figure; wait and
# late: what --start-at came to, 0 0 without it); CORE empty: no pinning.
one() {
	local core=$1 bin=$2 file=$3 out=$4 start=${5:-}
	local args=(bench "$bench" --runs 1)
	[ -n "$start" ] && args+=(--start-at "$start")
	if [ -n "$core" ]; then
		taskset -c "$core" "$bin" "${args[@]}" "$file" >"$out.json"
	else
		"$bin" "${args[@]}" "$file" >"$out.json"
	fi
	/usr/bin/python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
rate = j["decode_book"]["msgs_per_sec"] if sys.argv[2] == "book" else j["msgs_per_sec"]
print(rate, j.get("start_wait_s", 0), j.get("start_late_s", 0))' \
		"$out.json" "$bench" >"$out"
}

for r in $(seq 1 "$rounds"); do
	if [ "$serial" = 1 ]; then
		if [ $((r % 2)) = 1 ]; then
			one "" "$bin_a" "$file_a" "$tmp/a"; one "" "$bin_b" "$file_b" "$tmp/b"
		else
			one "" "$bin_b" "$file_b" "$tmp/b"; one "" "$bin_a" "$file_a" "$tmp/a"
		fi
	else
		start=
		[ "$aligned" = 1 ] &&
			start=$(awk -v now="$(date +%s.%N)" -v m="$margin" 'BEGIN { printf "%.3f", now + m }')
		one $((r % 2)) "$bin_a" "$file_a" "$tmp/a" "$start" &
		one $((1 - r % 2)) "$bin_b" "$file_b" "$tmp/b" "$start"
		wait $!
	fi
	read -r ra wa la <"$tmp/a"
	read -r rb wb lb <"$tmp/b"
	# late: T had passed for either; the next margin is the slower one's
	# readiness plus 1 s, or more after a late start
	read -r margin late < <(awk -v m="$margin" -v wa="$wa" -v wb="$wb" -v la="$la" -v lb="$lb" 'BEGIN {
		late = la > lb ? la : lb; wait = wa < wb ? wa : wb
		if (late > 0) m += late + 2; else m = m - wait + 1 < 1 ? 1 : m - wait + 1
		printf "%.3f %d\n", m, (late > 0) }')
	echo "$ra $rb $aligned $late"
done | /usr/bin/python3 -c '
import statistics as st, sys
lines = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
rows = [(a, b) for a, b, _, _ in lines]
print("round  A M msgs/s  B M msgs/s  B/A")
for i, (a, b) in enumerate(rows, 1):
    print(f"{i:5d}  {a / 1e6:10.2f}  {b / 1e6:10.2f}  {b / a:.3f}")
A = [a for a, _ in rows]
B = [b for _, b in rows]
R = [b / a for a, b in rows]
q = st.quantiles(R, n=4) if len(R) > 1 else [R[0]] * 3
print(f"median A {st.median(A) / 1e6:.2f} B {st.median(B) / 1e6:.2f} M msgs/s,"
      f" ratio of medians {st.median(B) / st.median(A):.3f}")
print(f"paired B/A median {st.median(R):.3f} (quartiles {q[0]:.3f} {q[2]:.3f}), {len(R)} rounds")
if lines[0][2]:
    late = sum(1 for l in lines if l[3])
    print(f"timed parts started together (--start-at) in {len(lines) - late} of {len(lines)} rounds")
'
