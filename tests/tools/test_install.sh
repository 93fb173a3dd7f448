#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# `meson install` into a scratch DESTDIR ships what an operator and a
# strategy author need: the systemd unit, whose ExecStart is the installed
# wirebookd under this prefix (not a fixed /usr/bin), the example configs,
# the documents, the man pages (when scdoc is present), bash completion,
# and example sources that build against the installed SDK (pkg-config)
# into programs that run; the Python package runs over the installed
# libraries.
#
# usage: test_install.sh BUILD_DIR
set -eu
build=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wb-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v meson >/dev/null || { echo "SKIP: no meson on PATH"; exit 77; }

meson install -C "$build" --no-rebuild --quiet --destdir "$tmp/root" >"$tmp/log" 2>&1 ||
	{ cat "$tmp/log" >&2; fail "meson install"; }
prefix=$(meson introspect "$build" --buildoptions |
	python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"][0])')
root=$tmp/root
doc=$root$prefix/share/doc/wirebook

if [ -e "$root$prefix/bin/wirebookd" ]; then
	unit=$root$prefix/lib/systemd/system/wirebookd.service
	[ -f "$unit" ] || fail "no unit in $prefix/lib/systemd/system"
	exe=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$unit")
	[ "$exe" = "$prefix/bin/wirebookd" ] || fail "unit ExecStart $exe, installed $prefix/bin/wirebookd"
	[ -x "$root$exe" ] || fail "ExecStart $exe is not the installed binary"
	grep -q '^User=wirebook' "$unit" && grep -q '^AmbientCapabilities=' "$unit" &&
		grep -q '^CapabilityBoundingSet=' "$unit" || fail "unit runs without User= or capabilities"
	grep -q '@[A-Z]*@' "$unit" && fail "unit has unsubstituted @VARS@"
	[ -f "$root$prefix/share/bash-completion/completions/wirebookd" ] || fail "no wirebookd completion"
fi
for f in config/nic-vfio.ini config/replay.ini deployment.md architecture.md shm-abi.md \
	examples/bbo_print.c examples/imbalance.c examples/Makefile.example; do
	[ -f "$doc/$f" ] || fail "not installed: share/doc/wirebook/$f"
done
[ -f "$root$prefix/share/bash-completion/completions/wirebook" ] || fail "no wirebook completion"
if command -v scdoc >/dev/null; then
	for m in man8/wirebookd.8 man1/wirebook.1 man3/libwirebook.3; do
		[ -s "$root$prefix/share/man/$m" ] || fail "no man page $m"
	done
fi

# The completion answers: 'wirebook to<TAB>' is top, 'wirebook book --j<TAB>' is --json.
r=$(bash -c '. "$1"; COMP_WORDS=(wirebook to); COMP_CWORD=1; _wirebook; echo "${COMPREPLY[*]}"; COMP_WORDS=(wirebook book --j); COMP_CWORD=2; _wirebook; echo "${COMPREPLY[*]}"' _ \
	"$root$prefix/share/bash-completion/completions/wirebook")
[ "$r" = "top
--json" ] || fail "completion answered '$r'"

# The examples build against the installed SDK alone and run.
pc=$(find "$root$prefix" -name wirebook.pc | head -1)
[ -n "$pc" ] || fail "no wirebook.pc"
cp -r "$doc/examples" "$tmp/ex"
PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$root \
	make -s -C "$tmp/ex" -f Makefile.example >"$tmp/make.log" 2>&1 || { cat "$tmp/make.log" >&2; fail "examples do not build"; }
lib=$(dirname "$(find "$root$prefix" -name 'libwirebook.so*' | head -1)")
ASAN_OPTIONS=${ASAN_OPTIONS:-}:verify_asan_link_order=0 LD_LIBRARY_PATH=$lib "$tmp/ex/bbo_print" --version | grep -q "libwirebook" || fail "installed example does not run"
# The Python package, installed for /usr/bin/python3, loads the installed
# libraries by soname (not in a sanitizer build: they would need preloading
# into the interpreter).
pkg=$(find "$root" -path '*/wirebook/_cdef.py' | head -1)
py=skipped
if [ -n "$pkg" ] && /usr/bin/python3 -c 'import cffi, numpy' 2>/dev/null &&
	! ldd "$lib/libwirebook.so" | grep -q 'libasan\|libubsan'; then
	[ -f "$doc/examples/python/mid_imbalance.py" ] || fail "no python example installed"
	PYTHONPATH=$(dirname "$(dirname "$pkg")") LD_LIBRARY_PATH=$lib /usr/bin/python3 -c '
import sys, wirebook as wb
ev, r = wb.replay(sys.argv[1])
assert r.stats()["messages"] == 20000 and len(ev) > 20000 and wb.version()
' "$(dirname "$0")/../data/sample/sample.pcap" || fail "installed python package does not run"
	py=runs
fi
echo "install: unit ExecStart $prefix/bin/wirebookd, configs, docs, man pages, completion; examples build and run; python package $py"
