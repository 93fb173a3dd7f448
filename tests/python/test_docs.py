# SPDX-License-Identifier: BSD-3-Clause
"""docs/backtesting.md's Python snippets run as written (paths aside)."""

import os
import re
import subprocess
import sys

from conftest import ROOT


def _blocks():
    with open(os.path.join(ROOT, "docs", "backtesting.md")) as f:
        s = f.read()
    sec = s[s.index("## 5. Analysis in Python"):s.index("## 6.")]
    return re.findall(r"```python\n(.*?)```", sec, re.S)


def _run(code, cwd):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [
        os.path.join(ROOT, "src", "python"), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120)


def test_backtesting_snippets(daemon, wirebook_bin, tmp_path, sample):
    nb, live = _blocks()
    # section 4's recording, as the snippet expects it beside it
    name, proc = daemon(sample)
    rec = subprocess.Popen([wirebook_bin, "record", "--name", name, "-o",
                            str(tmp_path / "run1.evr")], stderr=subprocess.DEVNULL)
    assert proc.wait(60) == 0 and rec.wait(60) == 0
    nb = nb.replace('"tests/data/sample/sample.pcap"', repr(sample))
    out = _run(nb, tmp_path)
    assert out.returncode == 0, out.stderr
    assert "26530 20000" in out.stdout and "2172 quotes" in out.stdout
    assert f"{name} True 26530" in out.stdout
    d = subprocess.run([wirebook_bin, "diff", "run1.evr", "inproc.evr"], cwd=tmp_path,
                       capture_output=True, text=True)
    assert d.returncode == 0 and d.stdout.startswith("identical: 26530 events"), d.stdout
    out = _run("import wirebook as wb\n" + live.replace('"bt"', repr(name)), tmp_path)
    assert out.returncode == 0 and "20000" in out.stdout, out.stderr
