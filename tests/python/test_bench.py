# SPDX-License-Identifier: BSD-3-Clause
"""`python3 -m wirebook.bench` (docs/benchmarks.md) runs end to end; no timing is judged."""

import json
import os
import subprocess
import sys

from conftest import ROOT


def test_bench_runs(wirebook_bin, wirebookd_bin):
    env = dict(os.environ, WIREBOOK_BIN=wirebook_bin, WIREBOOKD=wirebookd_bin,
               PYTHONPATH=os.pathsep.join(filter(None, [os.path.join(ROOT, "src", "python"),
                                                        os.environ.get("PYTHONPATH")])))
    out = subprocess.run([sys.executable, "-m", "wirebook.bench", "--messages", "30000",
                          "--runs", "1", "--json"], capture_output=True, text=True, env=env,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    r = json.loads(out.stdout)
    assert r["events"] > 30000
    for k in ("recording_fromfile", "recording_mmap_copy", "replay"):
        assert r[k] > 0
    assert r["live"]["events"] == r["events"] and r["live"]["in_call"] > 0
    assert r["live"]["laps"] == 0 and len(r["uptime"]) == 3
