#!/bin/sh
# Checks the man page: it renders without a groff warning, and it documents
# every command, flag and CARECOOP_* variable that `carecoop --help` lists.
#
#   check-man.sh CARECOOP_BINARY MAN_PAGE
#
# Run by ctest as `packaging_man`. Exits 77 (skipped) without groff.
set -eu
bin=$1
page=$2

command -v groff >/dev/null 2>&1 || {
	echo "check-man: groff not found (apt-get install groff-base); skipped"
	exit 77
}
failures=0
fail() {
	echo "check-man: FAIL: $*" >&2
	failures=$((failures + 1))
}

warnings=$(groff -man -Tutf8 -wall -z "$page" 2>&1) || fail "groff failed: $warnings"
[ -z "$warnings" ] || fail "groff warns: $warnings"

help=$("$bin" --help) || fail "$bin --help failed"
# The man page source with roff's escaped hyphens made plain.
text=$(sed 's/\\-/-/g' "$page")

for var in $(printf '%s\n' "$help" | grep -o 'CARECOOP_[A-Z_]*' | sort -u); do
	printf '%s\n' "$text" | grep -q "^\.B $var\$" ||
		fail "$var (in --help) has no entry in ENVIRONMENT"
done
for flag in $(printf '%s\n' "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
	printf '%s\n' "$text" | grep -Eq "^\.(B|BI|BR) .*$flag( |\$)" ||
		fail "$flag (in --help) has no entry in OPTIONS"
done
for cmd in $(printf '%s\n' "$help" | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' | sort -u); do
	printf '%s\n' "$text" | grep -Eq "^\.B $cmd( |\$)" ||
		fail "command $cmd (in --help) has no entry in COMMANDS"
done

if [ "$failures" -ne 0 ]; then
	echo "check-man: $failures check(s) FAILED for $page" >&2
	exit 1
fi
echo "check-man: ok: $page"
