# SPDX-License-Identifier: BSD-3-Clause
"""Event comparison for the tests: the header, then the union member each type uses."""

import numpy as np

import wirebook as wb

# union members by type, as `wirebook diff` compares them (src/tools/cmd_diff.c)
_MEMBER = {wb.ADD: "order_", wb.EXECUTE: "order_", wb.CANCEL: "order_", wb.DELETE: "order_",
           wb.REPLACE: "order_", wb.TRADE: "trade_", wb.TRADING_STATE: "trading_",
           wb.BBO: "bbo_", wb.GAP: "gap_", wb.LAPPED: "gap_", wb.DIRECTORY: "directory_"}
HEADER = ("ring_tag", "instrument", "seq", "exch_ts", "rx_tsc", "type", "side", "venue",
          "flags", "qty")


def first_difference(a, b, ignore=()):
    """None if the event arrays are equal field by field, else (index, field, a, b)."""
    if len(a) != len(b):
        return (min(len(a), len(b)), "length", len(a), len(b))
    for f in HEADER:
        if f in ignore:
            continue
        bad = np.flatnonzero(a[f] != b[f])
        if len(bad):
            i = bad[0]
            return (i, f, a[f][i], b[f][i])
    for t in np.unique(a["type"]):
        sel = np.flatnonzero(a["type"] == t)
        prefix = _MEMBER.get(int(t))
        names = [n for n in wb.EVENT.names if prefix and n.startswith(prefix)] or ["raw"]
        for f in names:
            x, y = a[f][sel], b[f][sel]
            bad = np.flatnonzero((x != y).reshape(len(sel), -1).any(axis=1))
            if len(bad):
                i = sel[bad[0]]
                return (i, f, a[f][i], b[f][i])
    return None
