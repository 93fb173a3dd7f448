# SPDX-License-Identifier: BSD-3-Clause
"""The event record as a numpy dtype, its type codes, and book snapshots."""

from dataclasses import dataclass

import numpy as np

from ._cdef import EVENT_ABI
from ._lib import dtype_of, ffi

#: numpy dtype of struct wb_event (64 bytes, event ABI 2; union members
#: overlap, named order_*, bbo_*, trade_*, trading_*, gap_*, directory_*, raw).
EVENT = dtype_of("wb_event")
#: numpy dtype of one snapshot level (price, orders, shares).
LEVEL = dtype_of("wb_client_level")

# the cdef's constants, read through any loaded library (here the C library)
_K = ffi.dlopen(None)
ADD, EXECUTE, CANCEL, DELETE, REPLACE, TRADE, TRADING_STATE, BBO, GAP, DIRECTORY = (
    getattr(_K, n) for n in (
        "WB_EV_ADD", "WB_EV_EXECUTE", "WB_EV_CANCEL", "WB_EV_DELETE", "WB_EV_REPLACE",
        "WB_EV_TRADE", "WB_EV_TRADING_STATE", "WB_EV_BBO", "WB_EV_GAP", "WB_EV_DIRECTORY"))
#: Synthetic event a lapped reader is handed (never in the ring).
LAPPED = _K.WB_CLIENT_EV_LAPPED
#: Prices are integers of 10**price_exp units, the exponent the instrument's
#: (Book.price_exp, a DIRECTORY event's directory_price_exp): -4 for ITCH
#: and US equities, whose scale this is.
PRICE_SCALE = 1e-4



# numpy (1.24) copies a structured array field by field, about 3 M events/s
# with the union's overlapping members; the same bytes seen as 64-byte
# opaque records copy at memory speed. Copies inside the package go
# through this view, and copy/select/concat offer it to callers.
_VOID = np.dtype((np.void, EVENT.itemsize))


def copy(events):
    """A copy of an event array, at memory speed (events.copy() is field by field)."""
    out = np.empty(len(events), dtype=EVENT)
    out.view(_VOID)[...] = events.view(_VOID)
    return out


def select(events, which):
    """events[which] (a boolean mask or indices), at memory speed."""
    return events.view(_VOID)[which].view(EVENT)


def concat(chunks):
    """Event arrays joined into one of dtype EVENT, at memory speed.

    np.concatenate would also promote the dtype to a packed copy without
    the overlapping union members' layout (189-byte records): not a struct
    wb_event array any more, nor what write_recording or the C calls take.
    """
    out = np.empty(sum(len(c) for c in chunks), dtype=EVENT)
    k = 0
    for c in chunks:
        if c.dtype == EVENT:
            out.view(_VOID)[k:k + len(c)] = c.view(_VOID)
        else:
            out[k:k + len(c)] = c
        k += len(c)
    return out


__all__ = ["concat", "copy", "select", "EVENT", "LEVEL", "EVENT_ABI", "Book", "ADD",
           "EXECUTE", "CANCEL", "DELETE", "REPLACE", "TRADE", "TRADING_STATE", "BBO", "GAP",
           "DIRECTORY", "LAPPED", "PRICE_SCALE"]


@dataclass
class Book:
    """A copy of one instrument's top of book (struct wb_client_book).

    bids and asks are structured arrays (price, orders, shares) of the
    filled levels, best first; prices are integers of 10**price_exp units.
    """
    instrument: int
    symbol: str
    venue: int
    price_exp: int
    trading_state: str
    stale: bool
    last_seq: int
    exch_ts: int
    rx_tsc: int
    last_trade_px: int
    last_trade_qty: int
    last_trade_match: int
    updates: int
    bids: np.ndarray
    asks: np.ndarray

    @classmethod
    def _from_c(cls, b):
        raw = np.frombuffer(ffi.buffer(b), dtype=dtype_of("wb_client_book"), count=1)[0]
        return cls(instrument=int(b.instrument),
                   symbol=ffi.string(b.symbol).decode("ascii", "replace"), venue=int(b.venue),
                   price_exp=int(b.price_exp),
                   trading_state=chr(b.trading_state) if b.trading_state else "",
                   stale=bool(b.stale), last_seq=int(b.last_seq), exch_ts=int(b.exch_ts),
                   rx_tsc=int(b.rx_tsc), last_trade_px=int(b.last_trade_px),
                   last_trade_qty=int(b.last_trade_qty),
                   last_trade_match=int(b.last_trade_match), updates=int(b.updates),
                   bids=raw["bid"][:b.nbid].copy(), asks=raw["ask"][:b.nask].copy())

    def mid(self):
        """Mid price (float, in currency units), or None with a side empty."""
        if len(self.bids) == 0 or len(self.asks) == 0:
            return None
        return (int(self.bids[0]["price"]) + int(self.asks[0]["price"])) / 2 * \
            10.0 ** self.price_exp
