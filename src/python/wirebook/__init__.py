# SPDX-License-Identifier: BSD-3-Clause
"""wirebook: Python access to the wirebook feed handler, over its C ABI.

- Client: attach to a running or stopped wirebookd by name; events in
  batches into numpy arrays, book snapshots, instruments, feed health.
- read_recording / write_recording: `wirebook record` files into numpy.
- Replay: a capture or a Nasdaq daily file through the feed in-process (no
  daemon, no DPDK), events into numpy arrays, books at the end.

Events have dtype EVENT (struct wb_event, 64 bytes, event ABI 2); prices
are integers of 10**price_exp units (PRICE_SCALE = 1e-4 for ITCH).
"""

from ._lib import WirebookError, lib
from .client import LIVE, STARTING, STOPPED, Client
from .events import (ADD, BBO, CANCEL, DELETE, DIRECTORY, EVENT, EVENT_ABI, EXECUTE, GAP,
                     LAPPED, LEVEL, PRICE_SCALE, REPLACE, TRADE, TRADING_STATE, Book, concat,
                     copy, select)
from .recording import Recording, read_header, read_recording, write_recording
from .replay import Replay, replay


def version():
    """libwirebook's version, as the loaded library was built."""
    from ._lib import ffi
    return ffi.string(lib("client").wb_client_version()).decode()


__all__ = ["Client", "Replay", "replay", "Recording", "read_recording", "read_header",
           "write_recording", "concat", "copy", "select", "Book", "WirebookError", "EVENT", "LEVEL",
           "EVENT_ABI",
           "PRICE_SCALE", "ADD", "EXECUTE", "CANCEL", "DELETE", "REPLACE", "TRADE",
           "TRADING_STATE", "BBO", "GAP", "DIRECTORY", "LAPPED", "STARTING", "LIVE",
           "STOPPED", "version"]
