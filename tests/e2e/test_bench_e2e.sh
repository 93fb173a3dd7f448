#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# `wirebook bench e2e` end to end: ping mode over af_packet (wirebookd), the
# floor (wirebook-floor) and the kernel port (wirebookd, type = kernel), one
# round of 2 s each. Asserts that every packet sent in the measured part was
# seen by the measuring thread, that
# the JSON has every key docs/benchmarks.md promises, with figures that are
# consistent with each other (no time is asserted), that the .hgrm files and
# the gnuplot scripts were written, and that the tool left no namespace,
# region or DPDK runtime directory behind.
#
# Needs root and network namespaces: exits 77 (skip) with the reason
# otherwise (the tool itself exits 77 when the host cannot run it).
#
# usage: test_bench_e2e.sh WIREBOOK WIREBOOKD WIREBOOK_FLOOR
set -eu
wb=$1
wbd=$2
floor=$3

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, veth, raw sockets)"
command -v ip >/dev/null 2>&1 || skip "iproute2 'ip' not found"
ip netns list >/dev/null 2>&1 || skip "network namespaces unavailable"
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3) || skip "python3 (JSON check) not found"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wb-e2e-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

rc=0
"$wb" bench e2e --receivers afpacket,bare,kernel --mode ping --seconds 2 --rounds 1 --warmup-ms 300 \
	--wirebookd "$wbd" --floor "$floor" --json "$tmp/e2e.json" --md "$tmp/e2e.md" \
	--plots "$tmp/plots" >"$tmp/out.txt" 2>"$tmp/err.txt" || rc=$?
cat "$tmp/err.txt"
[ $rc = 77 ] && skip "$(tail -1 "$tmp/err.txt")"
[ $rc = 0 ] || { cat "$tmp/out.txt"; fail "wirebook bench e2e exited $rc"; }

tb=$(sed -n 's/.*testbed \(wbl[0-9]*\),.*/\1/p' "$tmp/err.txt")
[ -n "$tb" ] || fail "no testbed name in the output"
! ip netns list | grep -q "^$tb-" || fail "namespaces of $tb left behind"
! ls /dev/shm | grep -q "$tb" || fail "shared-memory files of $tb left behind"
! ls /var/run/dpdk 2>/dev/null | grep -q "$tb" || fail "DPDK runtime directories of $tb left behind"

"$py" - "$tmp/e2e.json" <<'PY' || fail "JSON check"
import json, sys
d = json.load(open(sys.argv[1]))
def need(obj, keys, where):
    for k in keys:
        if k not in obj or obj[k] is None:
            sys.exit(f"{where}: '{k}' missing")
need(d, ["config", "host", "receivers", "stages"], "top level")
need(d["host"], ["cpu_model", "cores", "isolated", "governor", "hugepages", "kernel", "dpdk",
                 "loadavg_before", "loadavg_after"], "host")
lat = ["p50_ns", "p90_ns", "p99_ns", "p999_ns", "p9999_ns", "max_ns", "min_ns", "mean_ns"]
for r in ("afpacket", "bare", "kernel"):
    x = d["receivers"].get(r)
    if x is None:
        sys.exit(f"receiver {r} missing")
    if not x.get("available"):
        sys.exit(f"{r} unavailable: {x.get('why')}")
    need(x, ["sent", "seen", "lost", "count", "cpu_ms_per_million", "sent_msgs_per_s",
             "p50_rounds_ns", "p99_rounds_ns"] + lat, r)
    if x["sent"] < 100:
        sys.exit(f"{r}: only {x['sent']} packets sent in 2 s of ping")
    if x["seen"] != x["sent"] or x["lost"] != 0 or x["count"] != x["seen"]:
        sys.exit(f"{r}: sent {x['sent']} seen {x['seen']} lost {x['lost']} count {x['count']}")
    v = [x[k] for k in ["min_ns", "p50_ns", "p90_ns", "p99_ns", "p999_ns", "p9999_ns", "max_ns"]]
    if v != sorted(v) or v[0] <= 0:
        sys.exit(f"{r}: percentiles not ordered: {v}")
    if not v[0] <= x["mean_ns"] <= v[-1]:
        sys.exit(f"{r}: mean outside [min, max]")
    for st in ("send_to_rx", "rx_to_strategy"):
        s = d["stages"].get(f"{r}.{st}")
        if s is None:
            sys.exit(f"stage {r}.{st} missing")
        need(s, ["p50_ns", "p99_ns", "count"], f"{r}.{st}")
        if s["count"] != x["seen"] or s["p50_ns"] > s["p99_ns"]:
            sys.exit(f"stage {r}.{st}: count {s['count']} p50 {s['p50_ns']} p99 {s['p99_ns']}")
        # the stages are parts of the whole, packet by packet
        if s["p50_ns"] > x["p50_ns"] * 1.1 + 100:
            sys.exit(f"stage {r}.{st} p50 above the total's")
print("json: ok,", ", ".join(f"{r} {d['receivers'][r]['seen']}/{d['receivers'][r]['sent']}"
                             for r in ("afpacket", "bare", "kernel")))
PY
for f in afpacket.hgrm bare.hgrm afpacket.rx_to_strategy.hgrm bare.send_to_rx.hgrm latency.gp stages.gp stages.dat; do
	[ -s "$tmp/plots/$f" ] || fail "plots: $f missing"
done
grep -q '^#\[Max' "$tmp/plots/afpacket.hgrm" || fail "afpacket.hgrm has no footer"
grep -q '^| afpacket | ' "$tmp/e2e.md" || fail "Markdown table has no afpacket row"
grep -q '^| bare | ' "$tmp/e2e.md" || fail "Markdown table has no bare row"
echo "bench e2e: afpacket, bare and kernel saw every packet; JSON, Markdown, .hgrm and plots complete; nothing left behind"
