# SPDX-License-Identifier: BSD-3-Clause
"""Throughput of events into numpy: `/usr/bin/python3 -m wirebook.bench`.

Generates a stream with `wirebook gen`, then measures, each a median of
--runs runs:
  recording  read_recording() of a `wirebook record` format file (page
             cache warm: np.fromfile, and np.memmap copied whole with
             wirebook.copy)
  replay     Replay.read_into(): the file through the feed in-process
  live       Client.poll_into() against wirebookd --replay of the same
             stream, batches of up to --batch events, --live-nap ms between
             polls (so that events gather in the ring as a strategy busy
             elsewhere would let them): `in_call` counts only the time
             inside polls that returned events (what the reader can take),
             `wall` the first event to the last (bounded by what the daemon
             publishes; a reader that falls a ring behind is lapped, and
             the laps are reported)
Prints one line per figure, or JSON with --json.
"""

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

from .client import STOPPED, Client
from .events import EVENT, LAPPED, copy
from .recording import read_recording, write_recording
from .replay import Replay, replay


def _tool(arg, env, rel):
    if arg:
        return arg
    if os.environ.get(env):
        return os.environ[env]
    here = os.path.dirname(os.path.abspath(__file__))
    p = os.path.join(os.path.dirname(os.path.dirname(here)), "..", "build", rel)
    if os.access(p, os.X_OK):
        return os.path.normpath(p)
    return shutil.which(os.path.basename(rel))


def _median_rate(n, fn, runs):
    rates = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        rates.append(n / (time.perf_counter() - t))
    return statistics.median(rates), rates


def bench_recording(path, n, runs):
    def fromfile():
        ev = read_recording(path).events
        assert len(ev) == n

    def mmap_copy():
        ev = copy(read_recording(path, mmap=True).events)
        assert len(ev) == n
    return {"fromfile": _median_rate(n, fromfile, runs),
            "mmap_copy": _median_rate(n, mmap_copy, runs)}


def bench_replay(path, runs):
    buf = np.empty(1 << 16, dtype=EVENT)
    counts = []

    def run():
        r = Replay(path)
        k = 0
        while True:
            m = r.read_into(buf)
            if m == 0:
                break
            k += m
        r.close()
        counts.append(k)
    rate = _median_rate(1, run, runs)
    return counts[0] * rate[0], [counts[0] * x for x in rate[1]]


def bench_live(wirebookd, path, batch, runs, nap):
    out = []
    for run in range(runs):
        name = f"wbbench-{os.getpid()}-{run}"
        d = subprocess.Popen([wirebookd, "--replay", path, "--wait-readers", "1", "--name", name],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            t0 = time.monotonic()
            while True:
                try:
                    c = Client(name)
                    break
                except OSError:
                    if time.monotonic() - t0 > 30 or d.poll() is not None:
                        raise
                    time.sleep(0.002)
            buf = np.empty(batch, dtype=EVENT)
            got = lapped = calls = 0
            in_call = 0.0
            first = last = None
            while True:
                t = time.perf_counter()
                m = c.poll_into(buf)
                t2 = time.perf_counter()
                if m:
                    in_call += t2 - t
                    calls += 1
                    got += m
                    first = t if first is None else first
                    last = t2
                    lapped += int(np.count_nonzero(buf["type"][:m] == LAPPED))
                    time.sleep(nap)
                    continue
                st = c.status()
                if st["state"] == STOPPED and st["lag"] == 0:
                    break
            st = c.status()
            c.close()
            d.wait(30)
        finally:
            if d.poll() is None:
                d.send_signal(signal.SIGTERM)
                d.wait(10)
            for s in ("", ".clients", ".lock", ".stats"):
                try:
                    os.unlink(f"/dev/shm/wirebook.{name}{s}")
                except FileNotFoundError:
                    pass
        out.append({"events": got, "in_call": got / in_call, "wall": got / (last - first),
                    "calls": calls, "per_call": got // max(calls, 1), "laps": lapped,
                    "missed": st["missed"]})
    out.sort(key=lambda x: x["in_call"])
    return out[len(out) // 2], out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--messages", type=int, default=2000000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--batch", type=int, default=65536)
    ap.add_argument("--wirebook", help="the wirebook tool (default: WIREBOOK_BIN, build/, PATH)")
    ap.add_argument("--wirebookd", help="the daemon (default: WIREBOOKD, build/, PATH)")
    ap.add_argument("--live-nap", type=float, default=2.0, help="ms between live polls")
    ap.add_argument("--no-live", action="store_true", help="skip the live-region figure")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    wbt = _tool(a.wirebook, "WIREBOOK_BIN", "src/tools/wirebook")
    if wbt is None:
        ap.error("no wirebook tool: give --wirebook")
    tmp = tempfile.mkdtemp(prefix="wirebook-bench-")
    res = {"messages": a.messages, "runs": a.runs, "batch": a.batch, "live_nap_ms": a.live_nap}
    try:
        pcap = os.path.join(tmp, "s.pcap")
        subprocess.run([wbt, "gen", "--seed", "1", "--messages", str(a.messages),
                        "--instruments", "1000", "--orders", "20000", "-o", pcap], check=True,
                       stdout=subprocess.DEVNULL)
        ev, _ = replay(pcap)
        n = len(ev)
        res["events"] = n
        rec = os.path.join(tmp, "s.evr")
        write_recording(rec, ev, source="bench")
        del ev
        r = bench_recording(rec, n, a.runs)
        res["recording_fromfile"], res["recording_fromfile_runs"] = r["fromfile"]
        res["recording_mmap_copy"], res["recording_mmap_copy_runs"] = r["mmap_copy"]
        res["replay"], res["replay_runs"] = bench_replay(pcap, a.runs)
        wbd = None if a.no_live else _tool(a.wirebookd, "WIREBOOKD", "src/daemon/wirebookd")
        if wbd is not None:
            med, runs = bench_live(wbd, pcap, a.batch, a.runs, a.live_nap / 1e3)
            res["live"], res["live_runs"] = med, runs
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    res["uptime"] = open("/proc/loadavg").read().split()[:3]
    if a.json:
        json.dump(res, sys.stdout, indent=1)
        print()
        return 0
    M = 1e6
    print(f"stream: {a.messages} messages -> {res['events']} events, {a.runs} runs, "
          f"load average {' '.join(res['uptime'])}")
    for k in ("recording_fromfile", "recording_mmap_copy", "replay"):
        print(f"{k:20s} {res[k] / M:8.1f} M events/s  (runs: "
              + ", ".join(f"{x / M:.1f}" for x in res[k + "_runs"]) + ")")
    if "live" in res:
        lv = res["live"]
        print(f"{'live in_call':20s} {lv['in_call'] / M:8.1f} M events/s  (runs: "
              + ", ".join(f"{x['in_call'] / M:.1f}" for x in res["live_runs"]) + ")")
        print(f"{'live wall':20s} {lv['wall'] / M:8.1f} M events/s  ({lv['events']} events, "
              f"{lv['calls']} polls of {lv['per_call']} on average, {a.live_nap} ms apart, "
              f"{lv['laps']} laps, {lv['missed']} missed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
