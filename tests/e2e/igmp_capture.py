#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Captures IGMP frames on IFACE for SECONDS (AF_PACKET, run inside the
# testbed namespace), until a leave, and prints one line per frame: the IGMP type, the
# group-record type (v3), the group, and whether the IPv4 and IGMP checksums,
# TTL 1 and the Router Alert option are right ("ok") or not ("BAD ...").
import socket, struct, sys, time

def csum_ok(b):
    if len(b) % 2:
        b += b'\0'
    x = sum(struct.unpack('>%dH' % (len(b) // 2), b))
    while x >> 16:
        x = (x & 0xffff) + (x >> 16)
    return x == 0xffff

iface, secs = sys.argv[1], float(sys.argv[2])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(3))
s.bind((iface, 0))
end = time.time() + secs
print('ready', flush=True)
while time.time() < end:
    s.settimeout(max(0.01, end - time.time()))
    try:
        f = s.recv(2048)
    except socket.timeout:
        break
    if len(f) < 34 or f[12:14] != b'\x08\x00' or f[23] != 2:
        continue
    ihl = (f[14] & 15) * 4
    tot = struct.unpack('>H', f[16:18])[0]
    ip, ig = f[14:14 + ihl], f[14 + ihl:14 + tot]
    bad = []
    if not csum_ok(ip): bad.append('ip-csum')
    if not csum_ok(ig): bad.append('igmp-csum')
    if ip[8] != 1: bad.append('ttl')
    if ihl < 24 or ip[20:22] != b'\x94\x04': bad.append('router-alert')
    rec = ig[8] if ig[0] == 0x22 and len(ig) >= 16 else 0
    grp = socket.inet_ntoa(ig[12:16] if ig[0] == 0x22 else ig[4:8])
    print('igmp 0x%02x rec %d group %s %s' % (ig[0], rec, grp, 'ok' if not bad else 'BAD ' + ','.join(bad)), flush=True)
    if ig[0] == 0x17 or rec == 3:  # a leave: the daemon has stopped
        break
