# SPDX-License-Identifier: BSD-3-Clause
"""A capture or a Nasdaq daily file through the feed, in-process (libwirebook-replay)."""

import os

import numpy as np

from ._lib import WirebookError, as_dict, ffi, lib
from .events import EVENT, Book, concat, copy


class Replay:
    """wirebook replay's pipeline over a file, events into numpy arrays.

    path: a pcap/pcapng (MoldUDP64 ITCH or Cboe PITCH), a Nasdaq BinaryFILE
    or a PITCH unit file, plain or .gz; protocol "itch", "pitch" or "auto"
    (default: from the file's bytes, as `wirebook replay`).
    No daemon and no DPDK: the same session, decoder and book code. The
    events are the ones a strategy attached to wirebookd replaying the same
    file would receive, except that ring_tag counts them from 1 (as a ring
    would tag them) and rx_tsc holds the capture time in ns (0 for a
    BinaryFILE).
    """

    def __init__(self, path, protocol="auto", channels=None, max_orders=0, max_levels=0,
                 burst=0, batch=1 << 16):
        self._lib = lib("replay")
        o = ffi.new("struct wb_replay_opts *")
        self._lib.wb_replay_opts_default(o)
        keep = []
        if protocol is not None:
            keep.append(ffi.new("char[]", protocol.encode()))
            o.protocol = keep[-1]
        if channels:
            keep.append(ffi.new("char[]", ",".join(
                [channels] if isinstance(channels, str) else channels).encode()))
            o.channels = keep[-1]
        if max_orders:
            o.max_orders = max_orders
        if max_levels:
            o.max_levels = max_levels
        if burst:
            o.burst = burst
        r = self._lib.wb_replay_open(os.fsencode(path), o)
        if r == ffi.NULL:
            raise WirebookError(ffi.errno, ffi.string(self._lib.wb_replay_errmsg()).decode())
        self._r = r
        self.path = path
        self._buf = np.empty(batch, dtype=EVENT)
        self._bookc = ffi.new("struct wb_client_book *")
        self._bookc.size = ffi.sizeof("struct wb_client_book")

    def close(self):
        if self._r is not None:
            self._lib.wb_replay_close(self._r)
            self._r = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        if getattr(self, "_r", None) is not None:
            self.close()

    def read_into(self, out):
        """Runs the input until out is full or it ends; returns the events copied (0: end)."""
        if out.dtype != EVENT or not out.flags.c_contiguous or not out.flags.writeable:
            raise ValueError("out must be a writeable, C-contiguous array of wirebook.EVENT")
        n = self._lib.wb_replay_read(self._r, ffi.cast("struct wb_event *", out.ctypes.data),
                                     len(out))
        if n < 0:
            raise WirebookError(-n, ffi.string(self._lib.wb_replay_errmsg()).decode())
        return n

    def read(self, max=None):
        """The next events (at most max, default the batch size), a new array; empty at the end."""
        buf = self._buf if max is None or max == len(self._buf) else np.empty(max, dtype=EVENT)
        n = self.read_into(buf)
        return copy(buf[:n])

    def __iter__(self):
        while True:
            ev = self.read()
            if len(ev) == 0:
                return
            yield ev

    def read_all(self):
        """Every remaining event, as one array."""
        chunks, size = [], 1 << 16
        while True:
            buf = np.empty(size, dtype=EVENT)
            n = self.read_into(buf)
            if n == 0:
                break
            chunks.append(buf[:n])
            size = min(size * 2, 1 << 22)
        return concat(chunks)

    def instruments(self):
        """{instrument id: symbol} of every instrument the feed knows."""
        n = self._lib.wb_replay_instruments(self._r, ffi.NULL, 0)
        ids = ffi.new("uint32_t[]", max(n, 1))
        n = self._lib.wb_replay_instruments(self._r, ids, n)
        return {ids[i]: self.book(ids[i]).symbol for i in range(n)}

    def lookup(self, symbol):
        for i, s in self.instruments().items():
            if s == symbol:
                return i
        raise KeyError(symbol)

    def book(self, instrument):
        """The book (id or symbol) as the input has built it so far, as a Book."""
        if isinstance(instrument, str):
            instrument = self.lookup(instrument)
        rc = self._lib.wb_replay_book(self._r, instrument, self._bookc)
        if rc < 0:
            raise WirebookError(-rc, ffi.string(self._lib.wb_replay_errmsg()).decode())
        return Book._from_c(self._bookc)

    def stats(self):
        """Input, feed and book counters (struct wb_replay_stats) as a dict."""
        st = ffi.new("struct wb_replay_stats *")
        self._lib.wb_replay_stats(self._r, st)
        return as_dict(st[0])


def replay(path, **kw):
    """Every event of a file, plus the Replay (books, stats) at its end."""
    r = Replay(path, **kw)
    return r.read_all(), r
