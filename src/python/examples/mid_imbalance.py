#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Mid price and top-of-book imbalance of one symbol, from a replay, as a PNG.

Replays a capture or a Nasdaq daily file in-process (wirebook.Replay: the
feed handler's own session, decoder and books, no daemon), keeps the BBO
events of one instrument and plots, against exchange time:
  mid       = (best bid + best ask) / 2
  imbalance = (bid shares - ask shares) / (bid shares + ask shares)
at every change of the best bid or offer with both sides present.

usage: mid_imbalance.py [FILE] [--symbol SYM] [-o OUT.png]
FILE defaults to the bundled sample (tests/data/sample/sample.pcap); the
symbol to the one with the most BBO changes.
"""

import argparse
import os
import sys

import numpy as np

import wirebook as wb


def bbo_series(events, instrument, price_exp):
    """(time s, mid, imbalance) at each BBO change of instrument with both sides present."""
    e = wb.select(events, (events["type"] == wb.BBO) & (events["instrument"] == instrument))
    bq = e["bbo_bid_qty"].astype(np.float64)
    aq = e["bbo_ask_qty"].astype(np.float64)
    both = (bq > 0) & (aq > 0)
    e, bq, aq = e[both], bq[both], aq[both]
    mid = (e["bbo_bid_px"].astype(np.float64) + e["bbo_ask_px"]) / 2 * 10.0 ** price_exp
    imb = (bq - aq) / (bq + aq)
    return e["exch_ts"] / 1e9, mid, imb


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    sample = os.path.join(here, "..", "..", "..", "tests", "data", "sample", "sample.pcap")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", nargs="?", default=os.path.normpath(sample))
    ap.add_argument("--symbol", help="instrument to plot (default: the most active)")
    ap.add_argument("-o", "--output", default="mid_imbalance.png")
    a = ap.parse_args(argv)

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    events, rep = wb.replay(a.file)
    names = rep.instruments()
    if a.symbol is not None:
        inst = rep.lookup(a.symbol)
    else:
        bbo = events[events["type"] == wb.BBO]
        counts = np.bincount(bbo["instrument"])
        inst = int(np.argmax(counts))
    t, mid, imb = bbo_series(events, inst, rep.book(inst).price_exp)
    if len(t) == 0:
        print(f"{names.get(inst, inst)}: no two-sided BBO in {a.file}", file=sys.stderr)
        return 1
    hhmm = lambda s: f"{int(s // 3600):02d}:{int(s % 3600 // 60):02d}:{s % 60:06.3f}"
    x = (t - t[0]) * 1e3
    fig, (ax1, ax2) = plt.subplots(2, 1, sharex=True, figsize=(10, 6))
    ax1.step(x, mid, where="post", lw=0.8)
    ax1.ticklabel_format(axis="y", useOffset=False)
    ax1.set_ylabel("mid price")
    ax1.set_title(f"{names[inst]}: {len(t)} BBO changes, {hhmm(t[0])} to {hhmm(t[-1])}")
    ax2.step(x, imb, where="post", lw=0.6, color="tab:orange")
    ax2.axhline(0, color="grey", lw=0.5)
    ax2.set_ylim(-1.05, 1.05)
    ax2.set_ylabel("top-of-book imbalance")
    ax2.set_xlabel(f"exchange time, ms after {hhmm(t[0])}")
    fig.tight_layout()
    fig.savefig(a.output, dpi=100)
    print(f"{names[inst]}: {len(t)} two-sided BBO changes, mid {mid[0]:.4f} -> {mid[-1]:.4f}, "
          f"mean imbalance {imb.mean():+.3f}; wrote {a.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
