#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes the UDP payload of every IPv4/UDP frame of Ethernet pcaps (micro- or
nanosecond, 802.1Q tags allowed) as one file each into OUTDIR: fuzz seeds.
    pcap_payloads.py OUTDIR FILE.pcap..."""
import os
import struct
import sys


def payloads(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack_from("<I", data)[0]
    if magic not in (0xA1B2C3D4, 0xA1B23C4D) or struct.unpack_from("<I", data, 20)[0] != 1:
        raise SystemExit(f"{path}: not a little-endian Ethernet pcap")
    off = 24
    while off + 16 <= len(data):
        caplen = struct.unpack_from("<I", data, off + 8)[0]
        frame = data[off + 16:off + 16 + caplen]
        off += 16 + caplen
        p = 12
        while frame[p:p + 2] in (b"\x81\x00", b"\x88\xa8"):
            p += 4
        if frame[p:p + 2] != b"\x08\x00":
            continue
        ip = p + 2
        ihl = (frame[ip] & 15) * 4
        if frame[ip + 9] != 17:
            continue
        ulen = struct.unpack_from(">H", frame, ip + ihl + 4)[0]
        yield frame[ip + ihl + 8:ip + ihl + ulen]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    n = 0
    for path in sys.argv[2:]:
        stem = os.path.basename(os.path.dirname(path)) + "_" + os.path.basename(path)[:-5]
        for i, pl in enumerate(payloads(path)):
            with open(os.path.join(out, f"{stem}_{i}"), "wb") as f:
                f.write(pl)
            n += 1
    print(f"{n} payloads written to {out}")


if __name__ == "__main__":
    main()
