# SPDX-License-Identifier: BSD-3-Clause
"""src/python/examples/mid_imbalance.py on the bundled sample: a real plot."""

import os
import subprocess
import sys

import numpy as np
from conftest import ROOT


def test_mid_imbalance_png(sample, tmp_path):
    script = os.path.join(ROOT, "src", "python", "examples", "mid_imbalance.py")
    png = tmp_path / "plot.png"
    env = dict(os.environ, MPLCONFIGDIR=str(tmp_path / "mpl"),
               PYTHONPATH=os.pathsep.join(filter(None, [os.path.join(ROOT, "src", "python"),
                                                        os.environ.get("PYTHONPATH")])))
    out = subprocess.run([sys.executable, script, sample, "--symbol", "CSID", "-o", str(png)],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "CSID:" in out.stdout and "two-sided BBO changes" in out.stdout
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20000
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.image as mpimg
    img = mpimg.imread(str(png))
    assert img.shape[:2] == (600, 1000)
    # drawn on: not one colour, and both series put ink on the canvas
    assert img[..., :3].std() > 0.05
    blueish = (img[..., 2] > 0.6) & (img[..., 0] < 0.3)
    orange = (img[..., 0] > 0.9) & (img[..., 1] > 0.4) & (img[..., 1] < 0.6) & (img[..., 2] < 0.2)
    assert blueish.sum() > 200 and orange.sum() > 200
    # default symbol: the most active one, named in the output
    out = subprocess.run([sys.executable, script, "-o", str(tmp_path / "d.png")],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert out.returncode == 0 and (tmp_path / "d.png").stat().st_size > 20000, out.stderr
