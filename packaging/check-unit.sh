#!/bin/sh
# Checks the systemd unit with `systemd-analyze verify`, its ExecStart
# pointed at the built binary (the packaged /usr/bin/carecoop is not
# installed here).
#
#   check-unit.sh CARECOOP_BINARY UNIT_FILE WORK_DIR
#
# Run by ctest as `packaging_unit`. Exits 77 (skipped) without systemd-analyze.
set -eu
bin=$(realpath "$1") # systemd wants an absolute path
unit=$2
work=$3

command -v systemd-analyze >/dev/null 2>&1 || {
	echo "check-unit: systemd-analyze not found; skipped"
	exit 77
}
grep -q '^ExecStart=/usr/bin/carecoop serve ' "$unit" || {
	echo "check-unit: FAIL: $unit does not start /usr/bin/carecoop serve" >&2
	exit 1
}
rm -rf "$work"
mkdir -p "$work"
sed "s#^ExecStart=/usr/bin/carecoop #ExecStart=$bin #" "$unit" >"$work/carecoop.service"
# --man=no: the man page is not installed either.
if ! out=$(systemd-analyze verify --man=no "$work/carecoop.service" 2>&1) || [ -n "$out" ]; then
	echo "check-unit: FAIL: systemd-analyze verify: $out" >&2
	exit 1
fi
echo "check-unit: ok: $unit"
