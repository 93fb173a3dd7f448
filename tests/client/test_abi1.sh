#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# A strategy built against the 1.x SDK (tests/client/abi1: the header of
# commit 746f6bc, structs without a size field) must not run on a host
# where only the current libwirebook is installed: the dynamic loader has
# to refuse it with a message naming what is missing, rather than start it
# with structs of the wrong layout. Two installs are tried: the new library
# alone (no libwirebook.so.1: refused by soname), and a libwirebook.so.1
# that is really the new library, as a careless package or a hand-made
# symlink would leave it (refused by version node: no WIREBOOK_1.0).
#   test_abi1.sh OLD_CLIENT LIBWIREBOOK_SO
set -eu
old=$1
new=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# What the two files are: a 1.x strategy and a 2.x library.
readelf -d "$old" | grep -q 'NEEDED.*\[libwirebook\.so\.1\]' ||
	fail "old_client does not need libwirebook.so.1"
readelf -V "$old" | grep -q 'WIREBOOK_1\.0' || fail "old_client needs no WIREBOOK_1.0"
readelf -d "$new" | grep -q 'SONAME.*\[libwirebook\.so\.2\]' || fail "$new: soname is not libwirebook.so.2"
readelf -V "$new" | grep -q 'Name: WIREBOOK_2\.0' || fail "$new defines no WIREBOOK_2.0"
if readelf -V "$new" | grep -q 'Name: WIREBOOK_1'; then
	fail "$new still defines a 1.x version node"
fi
# old_client finds its libraries through $ORIGIN (meson's build rpath):
# a copy in its own directory sees only what the test puts beside it.
readelf -d "$old" | grep -E 'RUNPATH|RPATH' | grep -q 'ORIGIN' ||
	fail "old_client's rpath is not \$ORIGIN-relative: the test could not isolate it"

# run DIR: starts the copy of old_client in DIR; must be refused.
run() {
	set +e
	LD_LIBRARY_PATH="$1" "$1/old_client" t$$-none /nonexistent >"$1/out" 2>"$1/err"
	rc=$?
	set -e
	if grep -q 'old_client: started' "$1/out"; then
		fail "the loader started a 1.x strategy against the new library"
	fi
	[ "$rc" -ne 0 ] || fail "old_client exited 0"
	cat "$1/err"
}

# 1. The new library installed alone.
mkdir "$tmp/only2"
cp "$old" "$tmp/only2/old_client"
cp "$new" "$tmp/only2/"
ln -s "$(basename "$new")" "$tmp/only2/libwirebook.so.2"
msg=$(run "$tmp/only2")
echo "$msg" | grep -q 'libwirebook\.so\.1: cannot open shared object file' ||
	fail "new library alone: expected the loader to miss libwirebook.so.1, got: $msg"
echo "ok: new library alone: $msg"

# 2. A libwirebook.so.1 that is the new library.
mkdir "$tmp/fake1"
cp "$old" "$tmp/fake1/old_client"
cp "$new" "$tmp/fake1/libwirebook.so.1"
msg=$(run "$tmp/fake1")
echo "$msg" | grep -Eq "version \`WIREBOOK_1\.[01]' not found" ||
	fail "new library as .so.1: expected a missing WIREBOOK_1.0, got: $msg"
echo "ok: new library named libwirebook.so.1: $msg"
