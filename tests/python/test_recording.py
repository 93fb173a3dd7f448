# SPDX-License-Identifier: BSD-3-Clause
"""Recordings (`wirebook record` format 1) into numpy, and back out for `wirebook diff`."""

import os
import subprocess

import numpy as np
import pytest
from wbcheck import first_difference

import wirebook as wb


@pytest.fixture(scope="module")
def events(sample):
    return wb.replay(sample)[0]


def test_round_trip_read_and_mmap(events, tmp_path):
    p = tmp_path / "r.evr"
    wb.write_recording(p, events, source="unit", pid=42, epoch_ns=7)
    assert os.path.getsize(p) == 256 + 64 * len(events)
    for mm in (False, True):
        rec = wb.read_recording(p, mmap=mm)
        assert rec.complete and rec.version == 1 and rec.event_abi == wb.EVENT_ABI
        assert (rec.source, rec.pid, rec.epoch_ns, rec.lapped) == ("unit", 42, 7, 0)
        assert rec.events_declared == len(rec.events) == len(events)
        assert rec.events.dtype == wb.EVENT
        assert rec.events.tobytes() == events.tobytes()
    assert isinstance(wb.read_recording(p, mmap=True).events, np.memmap)


def test_wirebook_diff_reads_what_python_writes(events, wirebook_bin, tmp_path):
    a, b = tmp_path / "a.evr", tmp_path / "b.evr"
    wb.write_recording(a, events)
    wb.write_recording(b, events.copy())
    out = subprocess.run([wirebook_bin, "diff", str(a), str(b)], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith(f"identical: {len(events)} events")
    changed = events.copy()
    i = np.flatnonzero(changed["type"] == wb.BBO)[100]
    changed["bbo_ask_qty"][i] += 1
    wb.write_recording(b, changed)
    out = subprocess.run([wirebook_bin, "diff", str(a), str(b)], capture_output=True, text=True)
    assert out.returncode == 1 and out.stdout.startswith(f"event {i} ") and \
        "bbo.ask_qty" in out.stdout, out.stdout
    assert first_difference(events, changed)[:2] == (i, "bbo_ask_qty")


def test_cut_short_and_refused(events, tmp_path):
    p = tmp_path / "r.evr"
    wb.write_recording(p, events)
    data = p.read_bytes()
    cut = tmp_path / "cut.evr"
    cut.write_bytes(data[:256 + 64 * 1000 + 30])  # a recorder killed mid-write
    rec = wb.read_recording(cut)
    assert len(rec.events) == 1000 and rec.events_declared == len(events)
    assert rec.events.tobytes() == events[:1000].tobytes()
    bad = tmp_path / "bad.evr"
    bad.write_bytes(b"XBEVREC\0" + data[8:])
    with pytest.raises(ValueError, match="bad magic"):
        wb.read_recording(bad)
    other = bytearray(data)
    other[20] = wb.EVENT_ABI + 1  # events of another ABI
    bad.write_bytes(bytes(other))
    with pytest.raises(ValueError, match="ABI"):
        wb.read_recording(bad)
    other = bytearray(data)
    other[16] = 32  # another event size
    bad.write_bytes(bytes(other))
    with pytest.raises(ValueError, match="format"):
        wb.read_recording(bad)
    empty = tmp_path / "empty.evr"
    wb.write_recording(empty, events[:0])
    assert len(wb.read_recording(empty, mmap=True).events) == 0
