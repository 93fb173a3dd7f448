# SPDX-License-Identifier: BSD-3-Clause
"""Paths from meson (tests/python/meson.build) or a build tree beside the sources."""

import os
import signal
import subprocess
import sys
import time

import pytest

ROOT = os.environ.get("WB_SOURCE_ROOT") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("WIREBOOK_BUILD_DIR") or os.path.join(ROOT, "build")
sys.path.insert(0, os.path.join(ROOT, "src", "python"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def _path(env, rel):
    return os.environ.get(env) or os.path.join(BUILD, rel)


@pytest.fixture(scope="session")
def testdata():
    return os.environ.get("WB_TESTDATA") or os.path.join(ROOT, "tests", "data")


@pytest.fixture(scope="session")
def sample(testdata):
    return os.path.join(testdata, "sample", "sample.pcap")


@pytest.fixture(scope="session")
def wirebook_bin():
    p = _path("WIREBOOK_BIN", "src/tools/wirebook")
    if not os.access(p, os.X_OK):
        pytest.skip(f"no wirebook tool at {p}")
    return p


@pytest.fixture(scope="session")
def wirebookd_bin():
    p = _path("WIREBOOKD", "src/daemon/wirebookd")
    if not os.access(p, os.X_OK):
        pytest.skip(f"no wirebookd at {p} (built without DPDK)")
    return p


def _unlink_region(name):
    for suffix in ("", ".clients", ".lock", ".stats"):
        try:
            os.unlink(f"/dev/shm/wirebook.{name}{suffix}")
        except FileNotFoundError:
            pass


@pytest.fixture
def daemon(wirebookd_bin, tmp_path):
    """start(file, *args) runs `wirebookd --replay FILE --wait-readers 1` under a
    unique name and returns (name, Popen); it publishes nothing until a reader
    attaches. Every daemon started is stopped and its region removed."""
    started = []

    def start(path, *args, readers=1):
        name = f"pytest-{os.getpid()}-{len(started)}"
        _unlink_region(name)
        log = open(tmp_path / f"{name}.log", "w")
        p = subprocess.Popen([wirebookd_bin, "--replay", str(path), "--wait-readers",
                              str(readers), "--name", name, *map(str, args)],
                             stdout=log, stderr=subprocess.STDOUT)
        started.append((name, p, log))
        return name, p

    yield start
    for name, p, log in started:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        log.close()
        _unlink_region(name)


def open_client(name, timeout=30, **kw):
    """wirebook.Client(name) once the daemon has created its region."""
    import wirebook as wb
    t0 = time.monotonic()
    while True:
        try:
            return wb.Client(name, **kw)
        except wb.WirebookError:
            if time.monotonic() - t0 > timeout:
                raise
            time.sleep(0.005)
