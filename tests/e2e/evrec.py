#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Reads a `wirebook record` file (docs/backtesting.md) for the tests.

evrec.py check FILE            header fields, event count
evrec.py min-ts FILE           smallest exch_ts of the book events
evrec.py flip FILE IDX OFF     flips byte OFF of event IDX in place
"""
import struct
import sys

HDR = 256
EV = 64


def header(data):
    if data[:8] != b"WBEVREC\0":
        sys.exit("bad magic")
    ver, hsz, esz, abi, events, start, epoch, pid, flags, lapped = struct.unpack_from(
        "<IIIIQQQIIQ", data, 8)
    src = data[64:128].rstrip(b"\0").decode()
    return dict(version=ver, hdr_size=hsz, event_size=esz, abi=abi, events=events,
                start=start, epoch=epoch, pid=pid, flags=flags, lapped=lapped, source=src)


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    if cmd == "flip":
        idx, off = int(sys.argv[3]), int(sys.argv[4])
        with open(path, "r+b") as f:
            f.seek(HDR + idx * EV + off)
            b = f.read(1)
            f.seek(HDR + idx * EV + off)
            f.write(bytes([b[0] ^ 1]))
        return
    data = open(path, "rb").read()
    h = header(data)
    n = (len(data) - HDR) // EV
    if cmd == "check":
        assert h["version"] == 1 and h["hdr_size"] == HDR and h["event_size"] == EV, h
        assert h["events"] == n, (h, n)
        print("events=%d flags=%d abi=%d source=%s pid=%d lapped=%d" %
              (n, h["flags"], h["abi"], h["source"], h["pid"], h["lapped"]))
    elif cmd == "min-ts":
        m = None
        for i in range(n):
            # event ABI 2: u32 ring_tag, u32 instrument, seq, exch_ts, rx_tsc, type
            _, loc, _, ts, _, typ = struct.unpack_from("<IIQQQB", data, HDR + i * EV)
            if typ in (1, 2, 3, 4, 5, 6, 8) and (m is None or ts < m):
                m = ts
        print(m if m is not None else -1)


main()
