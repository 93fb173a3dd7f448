# SPDX-License-Identifier: BSD-3-Clause
"""The cdef (src/python/wirebook/_cdef.py) against the C compiler.

cffi in ABI mode lays structs out from the cdef's text alone. This test
writes a C program that includes the real headers and prints, for every
struct of the cdef, its size and every field's offset and size (nested
members by their C path, u.order.price), every enum constant and #define
of the cdef, and WB_SHM_ABI_VERSION; compiles it with the project's C
compiler (CC, from meson) and compares each line with what cffi computed.
Any header change not copied into the cdef fails here, naming the field.
"""

import os
import subprocess

import pytest
from conftest import ROOT

from wirebook import _cdef
from wirebook._lib import ffi, lib


def _fields(ctype, path, base):
    for name, f in ctype.fields:
        p = f"{path}.{name}" if path else name
        yield p, base + f.offset, ffi.sizeof(f.type)
        if f.type.kind in ("struct", "union") and f.type.cname.split()[-1] not in _cdef.STRUCTS:
            yield from _fields(f.type, p, base + f.offset)


def _expected():
    """(key, value) lines as cffi lays the cdef out."""
    out = []
    for s in _cdef.STRUCTS:
        t = ffi.typeof(f"struct {s}")
        out.append((f"sizeof {s}", ffi.sizeof(t)))
        out.append((f"alignof {s}", ffi.alignof(t)))
        for p, off, size in _fields(t, "", 0):
            out.append((f"offsetof {s} {p}", off))
            out.append((f"sizeof {s} {p}", size))
    k = ffi.dlopen(None)
    for e in ("wb_event_type", "wb_venue", "wb_client_state"):
        for name in ffi.typeof(f"enum {e}").relements:
            out.append((f"const {name}", getattr(k, name)))
    for name in ("WB_EV_SYMBOL_LEN", "WB_CLIENT_MAX_DEPTH", "WB_CLIENT_SYMBOL_LEN",
                 "WB_CLIENT_LONG_NAME_LEN", "WB_CLIENT_EV_LAPPED"):
        out.append((f"const {name}", getattr(k, name)))
    out.append(("const WB_SHM_ABI_VERSION", _cdef.EVENT_ABI))
    return out


def _c_program(expected):
    lines = ["#include <stddef.h>", "#include <stdio.h>", '#include "wb_shm.h"']
    lines += [f'#include "{h}"' for h in _cdef.HEADERS]
    lines += ["int main(void)", "{"]
    for key, _ in expected:
        w = key.split()
        if w[0] == "sizeof" and len(w) == 2:
            expr = f"sizeof(struct {w[1]})"
        elif w[0] == "alignof":
            expr = f"_Alignof(struct {w[1]})"
        elif w[0] == "offsetof":
            expr = f"offsetof(struct {w[1]}, {w[2]})"
        elif w[0] == "sizeof":
            expr = f"sizeof(((struct {w[1]} *)0)->{w[2]})"
        else:
            expr = f"(long long){w[1]}"
        lines.append(f'\tprintf("%s %lld\\n", "{key}", (long long)({expr}));')
    lines += ["\treturn 0;", "}"]
    return "\n".join(lines) + "\n"


def test_cdef_matches_the_c_compiler(tmp_path):
    cc = os.environ.get("CC", "cc").split()
    exp = _expected()
    src = tmp_path / "layout.c"
    src.write_text(_c_program(exp))
    exe = tmp_path / "layout"
    inc = [os.path.join(ROOT, d) for d in ("include", "src/shm", "src/common")]
    r = subprocess.run(cc + ["-std=gnu11", "-D_GNU_SOURCE"] + [f"-I{d}" for d in inc]
                       + [str(src), "-o", str(exe)], capture_output=True, text=True)
    assert r.returncode == 0, f"layout program does not compile:\n{r.stderr}"
    got = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout
    c = dict(line.rsplit(" ", 1) for line in got.splitlines())
    bad = [f"{k}: cdef {v}, C {c[k]}" for k, v in exp if int(c[k]) != v]
    assert not bad, "the cdef differs from the headers:\n" + "\n".join(bad)
    assert len(exp) > 150  # every struct, field and constant was checked


def test_event_is_one_cache_line():
    import wirebook as wb
    assert wb.EVENT.itemsize == 64 == ffi.sizeof("struct wb_event")


@pytest.mark.parametrize("which,prefix", [("client", "wb_client_"), ("replay", "wb_replay_")])
def test_every_declared_function_resolves(which, prefix):
    lb = lib(which)
    names = [n for n in dir(lb) if n.startswith(prefix) and not n.isupper()]
    assert len(names) >= 9
    for n in names:
        getattr(lb, n)  # AttributeError if the library does not export it
