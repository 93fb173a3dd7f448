#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Frames the daemon cannot use are counted where an operator looks, with a
# hint naming what to change: a jumbo frame above the port's mbuf_size (it
# was only a "bad frame") and an IPv4 fragment, next to a good stream whose
# books must still be right.
#
# usage: test_rejects.sh WIREBOOKD WIREBOOK
set -eu
wbd=$1
wb=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wb-e2e-rej.XXXXXX")
name="e2e-rj-$$"
trap 'rm -rf "$tmp" "/dev/shm/wirebook.$name" "/dev/shm/wirebook.$name.clients" "/dev/shm/wirebook.$name.lock"' EXIT INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }
field() {
	awk -v p="$2" -v n="$3" -F'\t' 'index($1, p) == 1 { for (i = 2; i <= NF; i++) { split($i, kv, " "); if (kv[1] == n) print kv[2] } }' "$1"
}

"$wb" gen --seed 8 --messages 20000 --instruments 50 --channel 239.77.0.9:26401 -o "$tmp/g.pcap"
"$wb" replay --dump-book "$tmp/ref.txt" "$tmp/g.pcap"
# Three jumbo frames (4000-byte UDP payload) and two fragments, appended.
/usr/bin/python3 - "$tmp/g.pcap" <<'PY'
import struct, sys
def csum(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
def frame(payload, frag):
    udp = struct.pack('!HHHH', 26401, 26401, 8 + len(payload), 0) + payload
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 1, frag, 1, 17, 0,
                     bytes([10, 0, 0, 1]), bytes([239, 77, 0, 9]))
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    return bytes([1, 0, 0x5e, 0x4d, 0, 9, 2, 0, 0, 0, 0, 1]) + b'\x08\x00' + ip + udp
with open(sys.argv[1], 'rb') as f:
    magic = f.read(4)
end = '<' if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
with open(sys.argv[1], 'ab') as f:
    for fr in [frame(b'J' * 4000, 0)] * 3 + [frame(b'F' * 100, 0x2000)] * 2:
        f.write(struct.pack(end + 'IIII', 1, 0, len(fr), len(fr)) + fr)
PY
cat >"$tmp/d.ini" <<EOT
[eal]
lcores = 0-1
file_prefix = wb-e2e-rj-$$
[daemon]
name = $name
idle_exit_ms = 1500
stats_interval_ms = 0
[book]
max_orders = 65536
max_levels = 65536
max_instruments = 1024
hugepages = no
[publish]
ring_slots = 4096
dir = /dev/shm
[port0]
vdev = net_pcap_rj$$,rx_pcap=$tmp/g.pcap
lcores = 1
mbuf_size = 2048
[channel g]
group = 239.77.0.9
udp_port = 26401
EOT
"$wbd" --config "$tmp/d.ini" --stats --dump-book "$tmp/d.txt" >"$tmp/sum.txt" 2>"$tmp/log.txt" ||
	{ cat "$tmp/log.txt" >&2; fail "wirebookd failed"; }
cmp "$tmp/ref.txt" "$tmp/d.txt" || fail "books differ next to the rejected frames"
oversize=$(field "$tmp/sum.txt" lcore. oversize)
frags=$(field "$tmp/sum.txt" lcore. fragments)
[ "$oversize" = 3 ] || fail "oversize $oversize, expected 3: $(grep '^lcore' "$tmp/sum.txt")"
[ "$frags" = 2 ] || fail "fragments $frags, expected 2"
grep -q "3 frames larger than the mbuf (multi-segment) were dropped: raise \[portN\] mbuf_size" "$tmp/log.txt" ||
	fail "no mbuf_size hint: $(cat "$tmp/log.txt")"
grep -q "2 IPv4 fragments were dropped" "$tmp/log.txt" || fail "no fragment hint"
echo "rejects: 3 jumbo frames counted as oversize with the mbuf_size hint, 2 fragments counted; books identical"
