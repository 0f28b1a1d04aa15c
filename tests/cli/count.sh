#!/usr/bin/env bash
# `carecoop count`: counting BLT ballot files by STV, one case per ctest test.
# Usage: CARECOOP_BIN=... STV_DATA=tests/core/data/stv count.sh CASE
set -u
bin=${CARECOOP_BIN:?set CARECOOP_BIN}
data=${STV_DATA:?set STV_DATA}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fails=0

# expect STATUS GREP-PATTERN -- COMMAND...: runs the command, checks its exit
# status and that stdout+stderr match the pattern.
expect() {
  local want=$1 pattern=$2; shift 3
  local out status
  out=$("$@" 2>&1 </dev/null); status=$?
  if [ "$status" -ne "$want" ]; then
    echo "FAIL: '$*' exited $status, wanted $want"; echo "$out" | head -5; fails=$((fails + 1)); return
  fi
  if ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL: '$*' output lacks /$pattern/"; echo "$out" | head -5; fails=$((fails + 1)); return
  fi
  echo "ok: $* -> $status"
}

# same WANT-FILE -- COMMAND...: standard output must equal the file exactly.
same() {
  local want=$1; shift 2
  local out
  out=$("$@" 2>/dev/null </dev/null) || { echo "FAIL: '$*' exited $?"; fails=$((fails + 1)); return; }
  if [ "$out" != "$(cat "$want")" ]; then
    echo "FAIL: '$*' printed:"; echo "$out"; fails=$((fails + 1)); return
  fi
  echo "ok: $*"
}

case ${1:-} in
count_stv)
  # The winners, one line each, in order of election.
  printf 'elected Ann\nelected Bob\nelected Eve\n' > want
  same want -- "$bin" count --method stv "$data/surplus-decides.blt"
  same want -- "$bin" count "$data/surplus-decides.blt"
  same want -- "$bin" count --method=stv "$data/surplus-decides.blt"
  # --stages: the table first, then the same winners.
  expect 0 '^stage 2: surplus of Ann, 19\.00000$' -- "$bin" count --stages "$data/surplus-decides.blt"
  expect 0 '^  Eve +25\.99990$' -- "$bin" count --stages "$data/surplus-decides.blt"
  expect 0 'stage 5: exclusion of Cat; last vacancies filled, no transfer \(rule 52\)' -- \
    "$bin" count --stages "$data/surplus-decides.blt"
  out=$("$bin" count --stages "$data/surplus-decides.blt")
  [ "$(tail -3 <<<"$out")" = "$(printf 'elected Ann\nelected Bob\nelected Eve')" ] ||
    { echo "FAIL: --stages does not end with the winners"; fails=$((fails + 1)); }
  # A lot is reported; --seed draws it reproducibly.
  expect 0 'a tie was decided by lot \(the candidate earliest in the file\)' -- "$bin" count "$data/lot.blt"
  expect 0 '^elected Ann$' -- "$bin" count "$data/lot.blt"
  a=$("$bin" count --seed 11 "$data/lot.blt" 2>/dev/null); b=$("$bin" count --seed 11 "$data/lot.blt" 2>/dev/null)
  [ -n "$a" ] && [ "$a" = "$b" ] || { echo "FAIL: --seed is not reproducible"; fails=$((fails + 1)); }
  # CRLF files count the same.
  sed 's/$/\r/' "$data/surplus-decides.blt" > crlf.blt
  printf 'elected Ann\nelected Bob\nelected Eve\n' > want
  same want -- "$bin" count crlf.blt
  ;;
count_bad)
  expect 1 'bad-pref\.blt: line 3: preference 7 is not a candidate \(1-5\)' -- "$bin" count "$data/bad-pref.blt"
  expect 1 'missing\.blt: No such file or directory' -- "$bin" count missing.blt
  printf '3 1\n2 1=2 0\n0\n' > eq.blt
  expect 1 "eq\.blt: line 2: equal rankings \('='\) are not supported" -- "$bin" count eq.blt
  printf '3 1\n1 1 0\n0\n"A" "B"\n' > short.blt
  expect 1 'short\.blt: line 4: file ends after 2 of 3 candidate names' -- "$bin" count short.blt
  printf '2 1\n3 0\n0\n"A" "B" "t"\n' > blank.blt
  expect 1 'blank\.blt: no valid ballot paper to count' -- "$bin" count blank.blt
  expect 2 "count: unknown flag '--colour'" -- "$bin" count --colour red "$data/lot.blt"
  expect 2 '--method: a BLT file holds ranked ballots' -- "$bin" count --method approval "$data/lot.blt"
  expect 2 "--method: unknown method 'meek'" -- "$bin" count --method meek "$data/lot.blt"
  expect 2 'flag --method needs a value' -- "$bin" count "$data/lot.blt" --method
  expect 2 'flag --stages takes no value' -- "$bin" count --stages=yes "$data/lot.blt"
  expect 2 '--seed: must be a whole number' -- "$bin" count --seed -1 "$data/lot.blt"
  expect 2 'a BLT file is required' -- "$bin" count --stages
  expect 2 "unexpected argument 'b.blt'" -- "$bin" count a.blt b.blt
  expect 0 'count +\[--method stv\]' -- "$bin" --help
  ;;
*)
  echo "unknown case '${1:-}'"; exit 2 ;;
esac

if [ "$fails" -ne 0 ]; then echo "$fails check(s) failed"; exit 1; fi
echo "all checks passed"
