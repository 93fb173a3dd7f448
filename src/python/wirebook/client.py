# SPDX-License-Identifier: BSD-3-Clause
"""A reader of a running (or stopped) wirebookd's region, through libwirebook."""

import errno
import os
import time

import numpy as np

from ._lib import WirebookError, as_dict, ffi, lib
from .events import EVENT, Book, concat, copy

STARTING, LIVE, STOPPED = 1, 2, 3


class Client:
    """wb_client_open() and friends: events in batches, snapshots, health.

    name: the daemon's --name; dir: region directory (default: hugetlbfs,
    then /dev/shm); register=False: take no reader slot (monitoring);
    subscribe: a symbol, a list of them, or "*" for all (default).
    The ring protocol stays in C: poll() copies whole events with
    wb_client_poll_batch() into a numpy array of dtype EVENT.
    """

    def __init__(self, name="default", dir=None, alive_timeout=None, register=True,
                 subscribe="*", batch=65536):
        self._lib = lib("client")
        # caller-sized structs (wirebook.h): the size, then 0 = the defaults
        opts = ffi.new("struct wb_client_opts *")
        opts.size = ffi.sizeof("struct wb_client_opts")
        self._dir = ffi.new("char[]", os.fsencode(dir)) if dir is not None else ffi.NULL
        opts.dir = self._dir
        if alive_timeout is not None:
            opts.alive_timeout_ns = int(alive_timeout * 1e9)
        opts.no_register = 0 if register else 1
        c = self._lib.wb_client_open(name.encode(), opts)
        if c == ffi.NULL:
            e = ffi.errno
            why = "no such daemon region" if e == errno.ENOENT else os.strerror(e)
            raise WirebookError(e, f"{name}: {why}")
        self._c = c
        self.name = name
        self._buf = np.empty(batch, dtype=EVENT)
        self._bufp = ffi.cast("struct wb_event *", self._buf.ctypes.data)
        self._book = ffi.new("struct wb_client_book *")
        self._book.size = ffi.sizeof("struct wb_client_book")
        if subscribe is not None:
            for s in [subscribe] if isinstance(subscribe, str) else subscribe:
                self.subscribe(s)

    def close(self):
        if self._c is not None:
            self._lib.wb_client_close(self._c)
            self._c = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        if getattr(self, "_c", None) is not None:
            self.close()

    def subscribe(self, symbol):
        """Events of this symbol too ("*" or None: all)."""
        rc = self._lib.wb_client_subscribe(
            self._c, ffi.NULL if symbol in (None, "*") else symbol.encode())
        if rc < 0:
            raise WirebookError(-rc, f"subscribe {symbol}: {os.strerror(-rc)}")

    def poll_into(self, out):
        """Copies the next events into out (a C-contiguous EVENT array); returns how many."""
        if out.dtype != EVENT or not out.flags.c_contiguous or not out.flags.writeable:
            raise ValueError("out must be a writeable, C-contiguous array of wirebook.EVENT")
        n = self._lib.wb_client_poll_batch(
            self._c, ffi.cast("struct wb_event *", out.ctypes.data), min(len(out), 2**31 - 1))
        if n < 0:
            raise WirebookError(-n, f"poll: {os.strerror(-n)}")
        return n

    def poll(self, max=None):
        """The next events (at most max, default the batch size) as a new array; never blocks."""
        m = len(self._buf) if max is None else min(max, len(self._buf))
        n = self._lib.wb_client_poll_batch(self._c, self._bufp, m)
        if n < 0:
            raise WirebookError(-n, f"poll: {os.strerror(-n)}")
        return copy(self._buf[:n])

    def drain(self, timeout=None, idle_sleep=0.0005):
        """Every event until the daemon has stopped and the ring is read (or timeout s)."""
        chunks = []
        t0 = time.monotonic()
        while True:
            n = self.poll_into(self._buf)
            if n:
                chunks.append(copy(self._buf[:n]))
                continue
            st = self.status()
            if st["state"] == STOPPED and st["lag"] == 0:
                break
            if timeout is not None and time.monotonic() - t0 > timeout:
                break
            time.sleep(idle_sleep)
        return concat(chunks)

    def book(self, instrument):
        """A consistent copy of one instrument's snapshot (id or symbol), as a Book."""
        if isinstance(instrument, str):
            instrument = self.lookup(instrument)
        rc = self._lib.wb_client_book(self._c, instrument, self._book)
        if rc < 0:
            raise WirebookError(-rc, f"book {instrument}: {os.strerror(-rc)}")
        return Book._from_c(self._book)

    def lookup(self, symbol):
        """The instrument id of a symbol (KeyError if the daemon does not know it)."""
        rc = self._lib.wb_client_lookup(self._c, symbol.encode())
        if rc < 0:
            raise KeyError(symbol)
        return rc

    def instrument(self, instrument):
        """One directory entry (id or symbol) as a dict (struct wb_client_instrument):
        id, symbol, venue, price_exp, trading_state, stale and long_name, the
        venue's long name ("" if none: a Cboe options OSI symbol, inner spaces
        kept, or a CFE future's report symbol). KeyError for a symbol or id the directory does not hold."""
        if isinstance(instrument, str):
            instrument = self.lookup(instrument)
        out = ffi.new("struct wb_client_instrument *")
        out.size = ffi.sizeof("struct wb_client_instrument")
        rc = self._lib.wb_client_instrument(self._c, instrument, out)
        if rc == -errno.ENOENT:
            raise KeyError(instrument)
        if rc < 0:
            raise WirebookError(-rc, f"instrument {instrument}: {os.strerror(-rc)}")
        d = as_dict(out[0])
        del d["size"]
        return d

    def instruments(self):
        """{instrument id: symbol} of every instrument the daemon's directory holds."""
        out = {}
        for i in range(self._lib.wb_client_max_instruments(self._c)):
            if self._lib.wb_client_book(self._c, i, self._book) == 0:
                out[i] = ffi.string(self._book.symbol).decode("ascii", "replace")
        return out

    def status(self):
        """Daemon and reader health (struct wb_client_status) as a dict."""
        st = ffi.new("struct wb_client_status *")
        st.size = ffi.sizeof("struct wb_client_status")
        rc = self._lib.wb_client_status(self._c, st)
        if rc < 0:
            raise WirebookError(-rc, f"status: {os.strerror(-rc)}")
        d = as_dict(st[0])
        d["reattached_now"] = rc == 1
        return d

    def channels(self):
        """Feed health, one dict per channel (struct wb_client_channel)."""
        out = ffi.new("struct wb_client_channel[64]")
        out[0].size = ffi.sizeof("struct wb_client_channel")
        n = self._lib.wb_client_channels(self._c, out, 64)
        return [as_dict(out[i]) for i in range(max(n, 0))]

    def readers(self):
        """The region's registered readers (struct wb_client_reader)."""
        out = ffi.new("struct wb_client_reader[256]")
        out[0].size = ffi.sizeof("struct wb_client_reader")
        n = self._lib.wb_client_readers(self._c, out, 256)
        if n < 0:
            raise WirebookError(-n, f"readers: {os.strerror(-n)}")
        return [as_dict(out[i]) for i in range(n)]

    def tsc_ns(self, tsc):
        """rx_tsc values (int or array) as CLOCK_MONOTONIC_RAW ns of this host."""
        npt = self._lib.wb_client_ns_per_tick(self._c)
        if npt == 0:
            raise WirebookError(errno.ENODATA, "the region carries no TSC calibration")
        if np.isscalar(tsc):
            return self._lib.wb_client_tsc_ns(self._c, int(tsc))
        t = np.asarray(tsc, dtype=np.uint64)
        if len(t) == 0:
            return t.astype(np.int64)
        # one anchor from the library, the rest by the published rate
        t0 = int(t[0])
        base = self._lib.wb_client_tsc_ns(self._c, t0)
        return base + np.round((t.astype(np.int64) - t0) * npt).astype(np.int64)
