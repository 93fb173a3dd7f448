# SPDX-License-Identifier: BSD-3-Clause
"""Recorded event streams (`wirebook record`, format version 1) into numpy.

The header is parsed with struct; the events are read whole with
np.fromfile (or mapped with np.memmap): no loop per event.
"""

import os
import struct
import time
from dataclasses import dataclass

import numpy as np

from ._cdef import EVENT_ABI
from .events import EVENT

MAGIC = b"WBEVREC\0"
VERSION = 1
HDR_SIZE = 256
COMPLETE, LAPPED = 1, 2
_HDR = struct.Struct("<8sIIIIQQQIIQ64s")


@dataclass
class Recording:
    version: int
    event_abi: int
    events_declared: int  # header's count: 0 if the recording never ended cleanly
    start_ns: int
    epoch_ns: int
    pid: int
    flags: int
    lapped: int
    source: str
    events: np.ndarray

    @property
    def complete(self):
        return bool(self.flags & COMPLETE)


def read_header(path):
    with open(path, "rb") as f:
        h = f.read(HDR_SIZE)
    if len(h) < HDR_SIZE or h[:8] != MAGIC:
        raise ValueError(f"{path}: not a wirebook event recording (bad magic)")
    (_, version, hdr_size, event_size, abi, events, start, epoch, pid, flags, lapped,
     source) = _HDR.unpack_from(h)
    if version != VERSION or hdr_size != HDR_SIZE or event_size != EVENT.itemsize:
        raise ValueError(f"{path}: recording format {version} (header {hdr_size}, event "
                         f"{event_size} bytes): this package reads format {VERSION} "
                         f"({HDR_SIZE}, {EVENT.itemsize})")
    return dict(version=version, event_abi=abi, events_declared=events, start_ns=start,
                epoch_ns=epoch, pid=pid, flags=flags, lapped=lapped,
                source=source.rstrip(b"\0").decode("utf-8", "replace"))


def read_recording(path, mmap=False):
    """A recording's header and its events (dtype EVENT).

    mmap=True maps the file read-only instead of reading it. The event
    count comes from the file size (a recording cut short still reads);
    a recording of another event ABI than this package's is refused.
    """
    h = read_header(path)
    if h["event_abi"] != EVENT_ABI:
        raise ValueError(f"{path}: events of shared-memory ABI {h['event_abi']}, this package "
                         f"reads ABI {EVENT_ABI}")
    n = (os.path.getsize(path) - HDR_SIZE) // EVENT.itemsize
    if mmap:
        ev = (np.memmap(path, dtype=EVENT, mode="r", offset=HDR_SIZE, shape=(n,)) if n
              else np.empty(0, dtype=EVENT))
    else:
        ev = np.fromfile(path, dtype=EVENT, count=n, offset=HDR_SIZE)
    return Recording(events=ev, **h)


def write_recording(path, events, source="python", flags=COMPLETE, pid=0, epoch_ns=0):
    """Writes events (dtype EVENT) as a format-1 recording `wirebook diff` reads."""
    if events.dtype != EVENT:
        raise ValueError("events must have dtype wirebook.EVENT "
                         "(join arrays with wirebook.concat)")
    events = np.ascontiguousarray(events)
    lapped = int(events["gap_count"][events["type"] == 0x80].sum()) if len(events) else 0
    src = source.encode()[:64]
    hdr = _HDR.pack(MAGIC, VERSION, HDR_SIZE, EVENT.itemsize, EVENT_ABI, len(events),
                    time.time_ns(), epoch_ns, pid, flags | (LAPPED if lapped else 0), lapped,
                    src)
    with open(path, "wb") as f:
        f.write(hdr.ljust(HDR_SIZE, b"\0"))
        events.tofile(f)
