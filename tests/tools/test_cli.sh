#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Every program and sub-command: --help prints usage to stdout and exits 0,
# --version prints the version to stdout and exits 0, an unknown option
# prints usage to stderr and exits 2; none may hang (each run has a 5 s
# timeout: imbalance once spun forever on --help).
#
# usage: test_cli.sh WIREBOOK BBO_PRINT IMBALANCE [WIREBOOKD]
set -eu
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wb-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
n=0

run() { # run WHAT... -> rc in $rc, streams in $tmp/out, $tmp/err
	rc=0
	timeout 5 "$@" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
}
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

check() { # check PROGRAM [SUBCOMMAND]
	n=$((n + 1))
	run "$@" --help
	[ $rc = 0 ] || bad "$* --help: exit $rc"
	grep -qi usage "$tmp/out" || bad "$* --help: no usage on stdout"
	[ -s "$tmp/err" ] && bad "$* --help: wrote to stderr: $(cat "$tmp/err")"
	run "$@" --version
	[ $rc = 0 ] || bad "$* --version: exit $rc"
	grep -q '[0-9][0-9]*\.[0-9][0-9]*\.[0-9]' "$tmp/out" || bad "$* --version: no version on stdout"
	run "$@" --no-such-option
	[ $rc = 2 ] || bad "$* --no-such-option: exit $rc, want 2"
	grep -qi usage "$tmp/err" || bad "$* --no-such-option: no usage on stderr"
	[ -s "$tmp/out" ] && bad "$* --no-such-option: wrote to stdout"
	return 0
}

wb=$1
check "$wb"
for c in replay gen bench sim book top record diff; do
	check "$wb" "$c"
done
check "$2"
check "$3"
if [ $# -ge 4 ]; then
	check "$4"
fi
[ $fails = 0 ] || exit 1
echo "cli: $n programs answer --help, --version and a bad option"
