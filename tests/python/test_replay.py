# SPDX-License-Identifier: BSD-3-Clause
"""wirebook.Replay: a file through the feed in-process, against `wirebook replay`."""

import errno
import struct
import subprocess

import numpy as np
import pytest
from wbcheck import first_difference

import wirebook as wb


def _dump(events_book_source, depth=64):
    """Canonical dump lines (SYMBOL SIDE LEVEL PRICE SHARES ORDERS) of a Replay/Client."""
    lines = []
    for i, sym in sorted(events_book_source.instruments().items(), key=lambda x: x[1]):
        b = events_book_source.book(i)
        e = -b.price_exp
        for side, lv in (("B", b.bids), ("S", b.asks)):
            for k, l in enumerate(lv[:depth]):
                p = int(l["price"])
                px = f"{'-' if p < 0 else ''}{abs(p) // 10**e}.{abs(p) % 10**e:0{e}d}"
                lines.append(f"{sym}\t{side}\t{k + 1}\t{px}\t{l['shares']}\t{l['orders']}")
    return lines


def test_sample_books_and_counts_match_wirebook_replay(sample, wirebook_bin):
    ev, r = wb.replay(sample)
    st = r.stats()
    tool = dict(l.split("\t") for l in subprocess.run(
        [wirebook_bin, "replay", "--stats", sample], capture_output=True, text=True,
        check=True).stdout.splitlines())
    assert st["messages"] == int(tool["messages"]) == 20000
    assert st["bbo_changes"] == int(tool["book.bbo_changes"])
    assert st["live_orders"] == int(tool["book.live_orders"])
    assert st["records"] == int(tool["input.records"])
    assert st["done"] == 1 and st["stale"] == 0 and st["events"] == len(ev)
    assert ev.dtype == wb.EVENT and ev.strides == (64,)
    assert np.array_equal(ev["ring_tag"], np.arange(1, len(ev) + 1))
    assert np.count_nonzero(ev["type"] == wb.BBO) == st["bbo_changes"]
    dump = subprocess.run([wirebook_bin, "replay", "--dump-book", "-", "--depth", "64", sample],
                          capture_output=True, text=True, check=True).stdout.splitlines()
    assert len(dump) > 100
    assert _dump(r) == dump


def test_bbo_trace_matches_wirebook_replay(sample, wirebook_bin):
    ev, r = wb.replay(sample)
    inst = r.lookup("AAAR")
    b = ev[(ev["type"] == wb.BBO) & (ev["instrument"] == inst)]
    cols = ("bbo_bid_px", "bbo_bid_qty", "bbo_ask_px", "bbo_ask_qty")
    # the tool prints changes of price or quantity only
    keep = np.ones(len(b), bool)
    keep[1:] = np.any([b[c][1:] != b[c][:-1] for c in cols], axis=0)
    b = b[keep]
    px = lambda p, q: "-\t-" if q == 0 else f"{p // 10000}.{p % 10000:04d}\t{q}"
    mine = [f"{e['exch_ts']}\t{px(e['bbo_bid_px'], e['bbo_bid_qty'])}\t"
            f"{px(e['bbo_ask_px'], e['bbo_ask_qty'])}" for e in b]
    tool = subprocess.run([wirebook_bin, "replay", "--bbo-trace", "AAAR", sample],
                          capture_output=True, text=True, check=True).stdout.splitlines()
    assert len(tool) > 1000 and mine == tool


@pytest.mark.parametrize("batch", [1, 5, 64, 4096])
def test_batches_of_any_size_give_the_same_events(sample, batch):
    whole, _ = wb.replay(sample)
    with wb.Replay(sample, batch=batch) as r:
        parts = list(r)
        assert all(0 < len(p) <= batch for p in parts)
        assert len(r.read()) == 0
    assert first_difference(wb.concat(parts), whole) is None


def test_binaryfile_gz_gives_the_pcaps_events(wirebook_bin, tmp_path):
    """The same generated stream as a pcap and as a gzip'd BinaryFILE."""
    gen = [wirebook_bin, "gen", "--seed", "5", "--messages", "30000", "--instruments", "20",
           "--orders", "1000"]
    subprocess.run(gen + ["-o", str(tmp_path / "s.pcap")], check=True)
    subprocess.run(gen + ["-o", str(tmp_path / "s.itch.gz")], check=True)
    a, ra = wb.replay(tmp_path / "s.pcap")
    b, rb = wb.replay(tmp_path / "s.itch.gz")
    assert len(a) > 30000
    assert not b["rx_tsc"].any()  # a BinaryFILE has no capture time
    assert first_difference(a, b, ignore=("rx_tsc",)) is None
    assert ra.stats()["messages"] == rb.stats()["messages"] == 30000
    assert _dump(ra) == _dump(rb)


def test_damaged_file_gives_its_events_then_the_error(testdata):
    path = f"{testdata}/nasdaq/itch50/binaryfile/nasdaq_itch50_20190130_head4096.itch"
    r = wb.Replay(path, batch=16)
    got = []
    with pytest.raises(wb.WirebookError, match="offset"):
        while True:
            e = r.read()
            assert len(e) > 0
            got.append(e)
    assert r.stats()["messages"] == 101
    assert sum(map(len, got)) == r.stats()["events"] > 90
    assert len(r.instruments()) > 90  # the slice is the day's directory
    r.close()


def test_refusals(sample, testdata):
    with pytest.raises(wb.WirebookError, match="itch, pitch or auto"):
        wb.Replay(sample, protocol="sbe")
    with pytest.raises(wb.WirebookError, match="not PITCH"):
        wb.Replay(f"{testdata}/nasdaq/itch50/binaryfile/nasdaq_itch50_2019_first1000msgs.itch",
                  protocol="pitch")
    with pytest.raises(wb.WirebookError, match="nonsense"):
        wb.Replay(sample, channels=["239.77.0.1:26400", "nonsense"])
    with pytest.raises(wb.WirebookError, match="cannot open"):
        wb.Replay(f"{testdata}/no/such/file.pcap")
    r = wb.Replay(sample, channels="239.1.1.1:1")
    assert len(r.read_all()) == 0 and r.stats()["filtered"] > 5000
    with pytest.raises(wb.WirebookError, match="wb_replay_book: instrument 1000000000 not below"):
        r.book(10**9)


def test_book_refuses_a_struct_older_than_its_size(sample):
    """wb_replay_book, as libwirebook's calls, refuses a struct smaller than
    the WIREBOOK_2.0 book (the binding sets the size from its cdef)."""
    from wirebook._lib import ffi

    r = wb.Replay(sample)
    r.read_all()
    i = next(iter(r.instruments()))
    assert r.book(i).symbol == r.instruments()[i]
    old = ffi.new("struct wb_client_book *")
    old.size = 3000
    assert r._lib.wb_replay_book(r._r, i, old) == -errno.EINVAL
    assert "wb_replay_book: size 3000 is smaller than 3160" in \
        ffi.string(r._lib.wb_replay_errmsg()).decode()
    assert old.nbid == 0 and old.nask == 0  # not written
    r.close()


def test_book_header_follows_the_events(sample):
    ev, r = wb.replay(sample)
    dirs = wb.select(ev, ev["type"] == wb.DIRECTORY)
    assert (dirs["directory_price_exp"] == -4).all() and len(dirs) == 12
    assert sorted(s.decode() for s in dirs["directory_symbol"]) == \
        sorted(r.instruments().values())
    for i in r.instruments():
        b = r.book(i)
        assert (b.price_exp, b.venue) == (-4, 1)  # ITCH, WB_VENUE_NASDAQ
        mine = ev[(ev["instrument"] == i) & (ev["type"] != wb.GAP)]
        assert b.last_seq == mine["seq"][-1] and b.exch_ts == mine["exch_ts"][-1]
        ex = mine[mine["type"] == wb.EXECUTE]
        if len(ex):
            assert b.last_trade_px == ex["order_price"][-1] or (mine["type"] == wb.TRADE).any()
        assert 0 < b.updates <= r.stats()["records"]
        if len(b.bids) and len(b.asks):
            assert b.bids[0]["price"] < b.asks[0]["price"]
            bbo = mine[mine["type"] == wb.BBO][-1]
            assert (bbo["bbo_bid_px"], bbo["bbo_ask_px"]) == \
                (b.bids[0]["price"], b.asks[0]["price"])


def _pcap_to_pcapng(src, dst):
    """A pcap rewritten as pcapng (one section, one interface, ns timestamps)."""
    data = open(src, "rb").read()
    magic = struct.unpack_from("<I", data)[0]
    assert magic in (0xa1b2c3d4, 0xa1b23c4d)
    scale = 1000 if magic == 0xa1b2c3d4 else 1
    snaplen, linktype = struct.unpack_from("<II", data, 16)

    def block(btype, body):
        body += b"\0" * (-len(body) % 4)
        n = len(body) + 12
        return struct.pack("<II", btype, n) + body + struct.pack("<I", n)
    out = [block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)),
           block(1, struct.pack("<HHI", linktype, 0, snaplen)
                 + struct.pack("<HHB3x", 9, 1, 9) + struct.pack("<HH", 0, 0))]
    off = 24
    while off < len(data):
        sec, frac, caplen, origlen = struct.unpack_from("<IIII", data, off)
        ts = sec * 10**9 + frac * scale
        out.append(block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xffffffff, caplen, origlen)
                         + data[off + 16:off + 16 + caplen]))
        off += 16 + caplen
    with open(dst, "wb") as f:
        f.write(b"".join(out))


def test_pcapng_gives_the_pcaps_events(sample, tmp_path):
    ng = tmp_path / "sample.pcapng"
    _pcap_to_pcapng(sample, ng)
    a, _ = wb.replay(sample)
    b, rb = wb.replay(ng)
    assert rb.stats()["records"] == 5001 and rb.stats()["messages"] == 20000
    assert first_difference(a, b) is None  # capture times (rx_tsc) included


def test_pitch_capture_matches_wirebook_replay(testdata, wirebook_bin):
    """A real Cboe PITCH capture, detected from its bytes: the books of
    `wirebook replay --protocol pitch`, venue OTHER (no guess at which Cboe
    exchange), prices at the instrument's exponent."""
    import glob
    caps = sorted(glob.glob(f"{testdata}/cboe/pitch/byx-equities-*/*.pcap"))
    assert caps
    levels = 0
    for cap in caps:
        ev, r = wb.replay(cap)
        assert r.stats()["messages"] > 0
        dump = subprocess.run([wirebook_bin, "replay", "--protocol", "pitch", "--dump-book", "-",
                               "--depth", "64", cap], capture_output=True, text=True,
                              check=True).stdout.splitlines()
        assert _dump(r) == dump, cap
        levels += len(dump)
        assert (ev["venue"] == 255).all()
        ev2, _ = wb.replay(cap, protocol="pitch")
        assert first_difference(ev, ev2) is None
    assert levels >= 5


def test_generated_pitch_stream(wirebook_bin, tmp_path):
    """`wirebook gen --protocol pitch`: a capture and a unit file (.gz) of the
    same stream give the books `wirebook replay` builds."""
    gen = [wirebook_bin, "gen", "--protocol", "pitch", "--seed", "3", "--messages", "30000",
           "--instruments", "20", "--orders", "1000"]
    for name in ("p.pcap", "p.units.gz"):
        subprocess.run(gen + ["-o", str(tmp_path / name)], check=True)
        ev, r = wb.replay(tmp_path / name)
        assert r.stats()["messages"] >= 29000 and len(ev) > 29000
        dump = subprocess.run([wirebook_bin, "replay", "--dump-book", "-", "--depth", "64",
                               str(tmp_path / name)], capture_output=True, text=True,
                              check=True).stdout.splitlines()
        assert len(dump) > 100 and _dump(r) == dump, name
    with pytest.raises(wb.WirebookError, match="not MoldUDP64"):
        wb.Replay(tmp_path / "p.units.gz", protocol="itch")
