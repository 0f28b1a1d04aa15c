#!/bin/bash
# Command-line tests of `carecoop check` and `carecoop solve` (tests/rota).
#   rota_cli.sh check INSTANCE SOLUTION EXPECTED EXIT  output equals EXPECTED, exit status EXIT
#   rota_cli.sh solve INSTANCE                         solve, then check: no violation;
#                                                      solve into a pipe
#   rota_cli.sh generated GEN_INSTANCE                 the same on generated DST weeks
#   rota_cli.sh errors INSTANCE                        bad flags exit 2, bad input exit 1
# CARECOOP_BIN names the binary.
set -u
bin=${CARECOOP_BIN:?CARECOOP_BIN must name the carecoop binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# solve_check INSTANCE: a bounded solve, then an independent check of its file.
solve_check() {
	"$bin" solve --instance "$1" --out "$tmp/sol.json" --iterations 20000 --seconds 60 --seed 7 \
		>"$tmp/solve.out" 2>"$tmp/solve.err" || { cat "$tmp/solve.err"; fail "solve $1 exit $?"; }
	for want in '^violations 0$' '^cost [0-9]+$' '^continuity: distinct carers per person mean' \
		'^continuity: team share' '^  carer ' '^search: first feasible'; do
		grep -Eq "$want" "$tmp/solve.out" || { cat "$tmp/solve.out"; fail "solve output lacks $want"; }
	done
	"$bin" check --instance "$1" --solution "$tmp/sol.json" >"$tmp/check.out" ||
		{ cat "$tmp/check.out"; fail "check of the solver's rota exit $?"; }
	grep -qx 'violations 0' "$tmp/check.out" || fail "check finds violations"
	# solve and check agree on the cost
	[ "$(grep '^cost ' "$tmp/solve.out")" = "$(grep '^cost ' "$tmp/check.out")" ] ||
		fail "solve and check disagree on the cost"
}

# expect_exit CODE PATTERN CMD...: exit status CODE and stderr matching PATTERN.
expect_exit() {
	local code=$1 pattern=$2 rc
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" -eq "$code" ] || { cat "$tmp/err"; fail "$* exit $rc, expected $code"; }
	grep -Eq "$pattern" "$tmp/err" || { cat "$tmp/err"; fail "$*: stderr lacks '$pattern'"; }
}

case "${1:-}" in
check)
	"$bin" check --instance "$2" --solution "$3" >"$tmp/out"
	rc=$?
	diff -u "$4" "$tmp/out" || fail "check output differs from $4"
	[ "$rc" -eq "$5" ] || fail "check exit $rc, expected $5"
	;;
solve)
	solve_check "$2"
	# a pipe (like /dev/stdout or /dev/null) is written in place, never
	# replaced by a renamed file
	mkfifo "$tmp/pipe" || fail "mkfifo"
	cat "$tmp/pipe" >"$tmp/piped.json" &
	"$bin" solve --instance "$2" --out "$tmp/pipe" --iterations 100 >/dev/null ||
		fail "solve into a pipe"
	wait
	[ -p "$tmp/pipe" ] || fail "the pipe was replaced"
	"$bin" check --instance "$2" --solution "$tmp/piped.json" >/dev/null ||
		fail "what came through the pipe does not check"
	;;
generated)
	"$2" --size small --seed 3 --week 2026-03-23 --out "$tmp/spring.json" 2>/dev/null ||
		fail "gen_instance"
	solve_check "$tmp/spring.json"
	"$2" --size small --seed 4 --week 2026-10-19 --out "$tmp/autumn.json" 2>/dev/null ||
		fail "gen_instance"
	solve_check "$tmp/autumn.json"
	# the generator is deterministic for a seed
	"$2" --size small --seed 3 --week 2026-03-23 --out "$tmp/again.json" 2>/dev/null
	cmp -s "$tmp/spring.json" "$tmp/again.json" || fail "gen_instance is not deterministic"
	;;
errors)
	expect_exit 2 "unknown flag '--bogus'" "$bin" solve --instance "$2" --out "$tmp/x" --bogus 1
	expect_exit 2 "flag --out is required" "$bin" solve --instance "$2"
	expect_exit 2 "flag --seconds must be a whole number" "$bin" solve --instance "$2" \
		--out "$tmp/x" --seconds=soon
	expect_exit 2 "flag --solution needs a value" "$bin" check --instance "$2" --solution
	expect_exit 2 "unexpected argument 'extra'" "$bin" check --instance "$2" extra
	expect_exit 1 "cannot open $tmp/none.json" "$bin" check --instance "$tmp/none.json" \
		--solution "$tmp/none.json"
	sed 's/"minutes": 45,/"minutes": -5,/' "$2" >"$tmp/bad.json"
	expect_exit 1 "visit v1: minutes must be a whole number from 1 to 1440" \
		"$bin" solve --instance "$tmp/bad.json" --out "$tmp/x"
	echo '{"format": "carecoop-rota/1", "assignments": [{"visit": "v1", "carers": ["c404"]}]}' \
		>"$tmp/badsol.json"
	expect_exit 1 "assignment for visit v1: carer c404 does not exist" \
		"$bin" check --instance "$2" --solution "$tmp/badsol.json"
	[ ! -e "$tmp/x" ] || fail "solve wrote a file for bad input"
	;;
*)
	fail "usage: rota_cli.sh check|solve|generated|errors ..."
	;;
esac
exit 0
