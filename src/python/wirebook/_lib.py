# SPDX-License-Identifier: BSD-3-Clause
"""Loading libwirebook and libwirebook-replay, and numpy dtypes from the cdef.

The libraries are found, in order: the path in WIREBOOK_LIB /
WIREBOOK_REPLAY_LIB; a meson build tree (WIREBOOK_BUILD_DIR, or `build`
beside the source tree this package was imported from); the dynamic
loader's search path (an installed libwirebook.so.2).
"""

import os

import numpy as np
from cffi import FFI

from ._cdef import CDEF, STRUCTS

ffi = FFI()
ffi.cdef(CDEF)

_LIBS = {
    # name: (environment variable, path in a build tree, sonames)
    "client": ("WIREBOOK_LIB", "src/client/libwirebook.so",
               ("libwirebook.so.2", "libwirebook.so")),
    "replay": ("WIREBOOK_REPLAY_LIB", "src/replay/libwirebook-replay.so",
               ("libwirebook-replay.so.0", "libwirebook-replay.so")),
}
_loaded = {}


class WirebookError(OSError):
    """A libwirebook call failed: errno and the library's explanation."""


def _build_dirs():
    d = os.environ.get("WIREBOOK_BUILD_DIR")
    if d:
        yield d
    # src/python/wirebook/_lib.py -> the source tree's root
    root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))))
    yield os.path.join(root, "build")


def _candidates(which):
    env, rel, sonames = _LIBS[which]
    p = os.environ.get(env)
    if p:
        yield p
        return
    for d in _build_dirs():
        p = os.path.join(d, rel)
        if os.path.exists(p):
            yield p
    yield from sonames


def lib(which="client"):
    """The loaded library ("client": libwirebook, "replay": libwirebook-replay)."""
    if which in _loaded:
        return _loaded[which]
    errors = []
    for p in _candidates(which):
        try:
            _loaded[which] = ffi.dlopen(p)
            return _loaded[which]
        except OSError as e:
            errors.append(f"{p}: {e}")
    raise WirebookError(
        f"cannot load {_LIBS[which][1].rsplit('/', 1)[1]} (set {_LIBS[which][0]}): "
        + "; ".join(errors))


_NP = {
    "uint8_t": "u1", "int8_t": "i1", "char": "S1",
    "uint16_t": "<u2", "int16_t": "<i2",
    "uint32_t": "<u4", "int32_t": "<i4", "int": "<i4", "unsigned int": "<u4",
    "uint64_t": "<u8", "int64_t": "<i8", "long": "<i8", "unsigned long": "<u8",
    "double": "<f8",
}


def _flat(ctype, base, prefix, drop):
    """(name, numpy format, offset) of every leaf field of a struct type."""
    out = []
    for name, f in ctype.fields:
        t = f.type
        off = base + f.offset
        if name in drop:
            full = prefix
        else:
            full = f"{prefix}_{name}" if prefix else name
        if t.kind in ("struct", "union"):
            out += _flat(t, off, full, drop)
        elif t.kind == "array" and t.item.kind == "primitive":
            if t.item.cname == "char":
                out.append((full, f"S{t.length}", off))
            else:
                out.append((full, (_NP[t.item.cname], (t.length,)), off))
        elif t.kind == "array":
            out.append((full, (dtype_of(t.item.cname.split()[-1]), (t.length,)), off))
        elif t.kind == "primitive":
            out.append((full, _NP[t.cname], off))
        elif t.kind == "pointer":
            out.append((full, "<u8", off))
        else:
            raise TypeError(f"{name}: {t.kind} has no numpy form")
    return out


_dtypes = {}


def dtype_of(struct, drop=("u",)):
    """A numpy dtype with the layout of a struct of the cdef.

    Nested structs and unions are flattened, their names joined with '_'
    (the event union `u` is dropped: `order_ref`, `bbo_bid_px`, ...);
    members of a union overlap, as in C.
    """
    if struct in _dtypes:
        return _dtypes[struct]
    t = ffi.typeof(f"struct {struct}")
    fields = _flat(t, 0, "", drop)
    d = np.dtype({"names": [f[0] for f in fields], "formats": [f[1] for f in fields],
                  "offsets": [f[2] for f in fields], "itemsize": ffi.sizeof(t)})
    _dtypes[struct] = d
    return d


def as_dict(cdata):
    """A struct's fields as a dict (char arrays as str)."""
    out = {}
    for name, f in ffi.typeof(cdata).fields:
        v = getattr(cdata, name)
        if f.type.kind == "array" and f.type.item.cname == "char":
            v = ffi.string(v).decode("ascii", "replace")
        out[name] = v
    return out


assert set(STRUCTS) <= {k.split()[-1] for k in ffi.list_types()[1]}
