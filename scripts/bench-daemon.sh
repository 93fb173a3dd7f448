#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Daemon throughput: one rx lcore of wirebookd over DPDK net_pcap with
# infinite_rx=1 (the PMD loads the capture into mbufs once and hands it out
# in a loop, as fast as the rx lcore polls), 4 ITCH messages per packet,
# the whole path: rx burst, classify, MoldUDP64 session, decode, book,
# publish to shared memory.
#
# The capture must stay valid when it loops, so it is generated here, not by
# 'wirebook gen': packet i adds order i, cancels and executes part of order
# i-W and deletes order i-2W (indices modulo the packet count), so 2W orders
# rest on the books at any time and every reference is live on every pass
# after the first; its two halves carry two MoldUDP64 sessions, so each pass
# is a session change and sequences restart instead of being dropped as
# duplicates.
#
# The figure is the median of the daemon's per-second log lines (pps and
# msgs/s) after the first second, which holds the start-up.
#
# usage: scripts/bench-daemon.sh [BUILD_DIR] [SECONDS] [PACKETS] [LAG]
#   LAG (default 2048): packets between an order's add and its partial
#   cancel/execution; it is deleted after 2*LAG, so 2*LAG orders rest.
#   LAG 'tail': heavy-tailed lifetimes (log-uniform, 1 to 4096 packets),
#   the order is cancelled, executed and deleted in one packet.
#   WB_BENCH_PUBLISH=no leaves the shared-memory publisher out.
#   WB_BENCH_LATENCY=no turns the per-burst stage histograms off ([daemon]
#   latency), to measure what they cost.
#   WB_BENCH_HWTS=off stops reading net_pcap's per-frame receive timestamps
#   ([port0] hw_timestamp, default auto), to measure what that costs.
#   WB_BENCH_KEEP=FILE keeps a copy of the capture, e.g. for
#   'wirebook bench feed --passes 4 FILE' (the same path without DPDK).
set -eu
build=${1:-build}
secs=${2:-8}
npkt=${3:-32768}
lag=${4:-2048}
here=$(cd "$(dirname "$0")/.." && pwd)
wbd="$here/$build/src/daemon/wirebookd"
[ -x "$wbd" ] || wbd="$build/src/daemon/wirebookd"
[ -x "$wbd" ] || { echo "bench-daemon: no wirebookd in $build" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench-daemon: python3 needed to write the capture" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wb-bench-daemon.XXXXXX")
trap 'rm -rf "$tmp"; rm -f /dev/shm/wirebook.bench-$$ /dev/shm/wirebook.bench-$$.clients /dev/shm/wirebook.bench-$$.lock' EXIT INT TERM

python3 - "$tmp/loop.pcap" "$npkt" "$lag" <<'EOF'
import math, random, struct, sys
path, n = sys.argv[1], int(sys.argv[2])
NINST = 256
if sys.argv[3] == 'tail':
    # Heavy-tailed lifetimes, log-uniform in [1, 4096] packets, as the
    # generator draws them. Packet k deletes the k-th order to fall due, S
    # packets late so that it exists; X and E hit that order just before.
    rng = random.Random(1)
    due = sorted(range(n), key=lambda j: j + int(math.exp(rng.random() * math.log(4096))))
    S = max(0, max(due[k] - k for k in range(n)))
    victim = [0] * n
    for k in range(n):
        victim[(k + S) % n] = due[k]
        assert k + S < n + due[k], 'lifetimes must stay under one pass'
    xe = victim
else:
    W = min(int(sys.argv[3]), n // 4)
    xe = [(i - W) % n for i in range(n)]
    victim = [(i - 2 * W) % n for i in range(n)]
def order(j):
    loc = 1 + j % NINST
    side = b'B' if (j // NINST) % 2 == 0 else b'S'
    off = (1 + (j * 7) % 16) * 100
    px = 1000000 - off if side == b'B' else 1000000 + off
    return loc, side, px, 10000 + j
def hdr(t, loc, ts):
    return t + struct.pack('>HH', loc, 0) + ts.to_bytes(6, 'big')
def csum(b):
    s = sum(struct.unpack('>10H', b))
    s = (s & 0xffff) + (s >> 16); s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff
out = open(path, 'wb')
out.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
half = n // 2
for i in range(n):
    ts = 34200 * 10**9 + i * 1000
    loc, side, px, ref = order(i)
    m = [hdr(b'A', loc, ts) + struct.pack('>Q', ref) + side + struct.pack('>I', 300) +
         ('S%04d' % loc).ljust(8).encode() + struct.pack('>I', px)]
    loc, _, _, ref = order(xe[i])
    m.append(hdr(b'X', loc, ts) + struct.pack('>QI', ref, 100))
    m.append(hdr(b'E', loc, ts) + struct.pack('>QIQ', ref, 100, i + 1))
    loc, _, _, ref = order(victim[i])
    m.append(hdr(b'D', loc, ts) + struct.pack('>Q', ref))
    sess, seq = (b'BENCH00001', 1 + 4 * i) if i < half else (b'BENCH00002', 1 + 4 * (i - half))
    mold = sess + struct.pack('>QH', seq, 4) + b''.join(struct.pack('>H', len(x)) + x for x in m)
    udp = struct.pack('>HHHH', 26400, 26400, 8 + len(mold), 0) + mold
    ip = bytearray(struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 0, 0x4000, 1, 17, 0,
                               bytes([10, 77, 0, 2]), bytes([239, 77, 0, 1])))
    ip[10:12] = struct.pack('>H', csum(bytes(ip)))
    frame = bytes([1, 0, 0x5e, 77, 0, 1, 2, 0, 0, 0, 0, 1]) + b'\x08\x00' + bytes(ip) + udp
    out.write(struct.pack('<IIII', i // 1000000, i % 1000000, len(frame), len(frame)) + frame)
out.close()
EOF

[ -n "${WB_BENCH_KEEP:-}" ] && cp "$tmp/loop.pcap" "$WB_BENCH_KEEP"

cat >"$tmp/bench.ini" <<EOF
[eal]
lcores = 0-1
main_lcore = 0
memory_mb = 512
hugepages = no
file_prefix = wb-bench-$$
[daemon]
name = bench-$$
stats_interval_ms = 1000
duration_s = $secs
latency = ${WB_BENCH_LATENCY:-yes}
[book]
max_orders = 1048576
max_levels = 262144
[publish]
enabled = ${WB_BENCH_PUBLISH:-yes}
[port0]
igmp = 0
vdev = net_pcap_bench0,rx_pcap=$tmp/loop.pcap,infinite_rx=1
${WB_BENCH_HWTS:+hw_timestamp = $WB_BENCH_HWTS}
lcores = 1
mbufs = $((npkt * 2 - 1))
mbuf_size = 512
[channel bench]
group = 239.77.0.1
udp_port = 26400
EOF

"$wbd" --config "$tmp/bench.ini" --stats >"$tmp/sum.txt" 2>"$tmp/log.txt" ||
	{ cat "$tmp/log.txt" >&2; exit 1; }
grep -v '^EAL: \(Det\|Sel\|Phy\|Mul\)' "$tmp/log.txt" | grep -v '^TELEMETRY' >&2
cat "$tmp/sum.txt" >&2
# "wirebookd: rx N (P pps) msgs M (R/s) ..." -> median P and R after the first line.
awk '/^wirebookd: rx / { gsub(/[()]/, ""); n++; if (n > 1) { p[n-1] = $4 + 0; m[n-1] = $8 + 0 } }
END {
	k = n - 1
	if (k < 1) { print "bench-daemon: no steady-state interval" > "/dev/stderr"; exit 1 }
	for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) {
		if (p[j] < p[i]) { t = p[i]; p[i] = p[j]; p[j] = t }
		if (m[j] < m[i]) { t = m[i]; m[i] = m[j]; m[j] = t }
	}
	printf "{\"pps_median\": %d, \"msgs_per_sec_median\": %d, \"intervals\": %d, \"msgs_per_packet\": 4}\n", p[int((k + 1) / 2)], m[int((k + 1) / 2)], k
}' "$tmp/log.txt"
