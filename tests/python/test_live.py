# SPDX-License-Identifier: BSD-3-Clause
"""wirebook.Client against a real wirebookd (--replay, no hugepages, no NIC).

The daemon publishes nothing until its readers are attached (--wait-readers),
so each reader sees the run from its first event; what it receives must be
what the in-process replay of the same file gives, event for event, and the
snapshots what the in-process books hold.
"""

import subprocess
import time

import numpy as np
import pytest
from conftest import open_client
from wbcheck import first_difference

import wirebook as wb


def test_stopped_daemon_events_books_health(sample, daemon, wirebook_bin, tmp_path):
    name, proc = daemon(sample, readers=3)
    rec = subprocess.Popen([wirebook_bin, "record", "--name", name, "-o",
                            str(tmp_path / "d.evr")], stderr=subprocess.PIPE, text=True)
    small = open_client(name)
    whole = open_client(name, subscribe=None)  # subscribed below, by symbol list
    whole.subscribe("*")
    assert proc.wait(60) == 0
    assert rec.wait(60) == 0, rec.stderr.read()
    ref, r = wb.replay(sample)

    # one reader in batches of 7 (the C call's array, filled 7 at a time) ...
    parts = []
    while True:
        e = small.poll(max=7)
        if len(e) == 0:
            break
        assert len(e) <= 7
        parts.append(e)
    got = wb.concat(parts)
    assert first_difference(got, ref, ignore=("rx_tsc",)) is None
    assert got["rx_tsc"].all()  # the daemon's receive TSC, not capture time
    # ... the other whole, into its own array
    buf = np.empty(len(ref) + 10, dtype=wb.EVENT)
    assert whole.poll_into(buf) == len(ref)
    assert first_difference(buf[:len(ref)], ref, ignore=("rx_tsc",)) is None

    st = small.status()
    assert st["state"] == wb.STOPPED and not st["alive"]
    assert st["tail"] == st["delivered"] == len(ref) and st["lag"] == 0 and st["lapped"] == 0
    ch = small.channels()
    assert len(ch) == 1 and ch[0]["messages"] == 20000 and ch[0]["events"] == len(ref)
    assert ch[0]["gaps"] == 0 and ch[0]["bad_packets"] == 0 and ch[0]["stale"] == 0
    assert small.instruments() == r.instruments()
    depth = st["depth"]
    for i in r.instruments():
        a, b = small.book(i), r.book(i)
        assert (a.symbol, a.trading_state, a.stale, a.venue, a.price_exp) == \
            (b.symbol, b.trading_state, b.stale, b.venue, b.price_exp)
        assert np.array_equal(a.bids, b.bids[:depth]) and np.array_equal(a.asks, b.asks[:depth])
        assert (a.last_seq, a.exch_ts, a.last_trade_px, a.last_trade_qty) == \
            (b.last_seq, b.exch_ts, b.last_trade_px, b.last_trade_qty)
    assert small.book("AAAR").instrument == small.lookup("AAAR") == r.lookup("AAAR")
    with pytest.raises(KeyError):
        small.lookup("NOSUCH")
    info = small.instrument("AAAR")
    assert info["id"] == small.lookup("AAAR") and info["symbol"] == "AAAR"
    assert info["price_exp"] == -4 and info["long_name"] == ""  # ITCH names none
    with pytest.raises(KeyError):
        small.instrument(max(r.instruments()) + 1)

    # what `wirebook record` wrote reads back as the same events, and the
    # in-process ones, written as a recording, are identical to it for `wirebook diff`
    d = wb.read_recording(tmp_path / "d.evr")
    assert d.complete and d.source == name and d.lapped == 0
    assert first_difference(d.events, got) is None
    wb.write_recording(tmp_path / "p.evr", ref, source="in-process")
    out = subprocess.run([wirebook_bin, "diff", str(tmp_path / "d.evr"), str(tmp_path / "p.evr")],
                         capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith(f"identical: {len(ref)} events"), \
        out.stdout + out.stderr
    small.close()
    whole.close()


def test_live_daemon_polled_while_it_publishes(daemon, wirebook_bin, tmp_path):
    """A paced run (about 1 s): events arrive while the daemon is LIVE, and the
    reader, taking them in batches as they come, misses none (the stream is
    twice the ring, so a reader that stopped reading would be lapped)."""
    pcap = tmp_path / "live.pcap"
    subprocess.run([wirebook_bin, "gen", "--seed", "9", "--messages", "100000", "--instruments",
                    "20", "--orders", "1000", "--gap-ns", "20000", "-o", str(pcap)], check=True)
    name, proc = daemon(pcap, "--pace", "1x")
    c = open_client(name, subscribe=["AAAA", "*"])
    parts, live_batches = [], 0
    t0 = time.monotonic()
    while time.monotonic() - t0 < 60:
        e = c.poll()
        if len(e):
            parts.append(e)
            continue
        st = c.status()
        if st["state"] == wb.STOPPED and st["lag"] == 0:
            break
        live_batches += st["state"] == wb.LIVE and len(parts) > 0
        time.sleep(0.001)
    assert proc.wait(30) == 0
    got = wb.concat(parts)
    ref, _ = wb.replay(pcap)
    assert len(ref) > 2 * 65536
    assert live_batches > 10  # it was read while it ran, not after
    assert not (got["type"] == wb.LAPPED).any()
    assert first_difference(got, ref, ignore=("rx_tsc",)) is None
    ns = c.tsc_ns(got["rx_tsc"][:1000])
    assert np.all(np.diff(ns) >= 0) and c.tsc_ns(int(got["rx_tsc"][0])) == ns[0]
    c.close()


def test_pitch_symbol_mapping_long_name(daemon, testdata):
    """The real options Symbol Mapping through wirebookd (PITCH detected from the
    bytes): its feed symbol is an instrument whose long name is the OSI symbol,
    inner spaces kept."""
    pcap = f"{testdata}/cboe/pitch/options-complex-v2.1.18/SymbolMappingMessage.pcap"
    name, proc = daemon(pcap)
    c = open_client(name)
    assert proc.wait(60) == 0
    info = c.instrument("027wuE")
    assert info["symbol"] == "027wuE" and info["long_name"] == "SPX   200619P00500000"
    assert info == c.instrument(info["id"])
    c.close()


def test_no_such_region():
    with pytest.raises(wb.WirebookError, match="no such daemon region"):
        wb.Client("pytest-no-such-daemon")
