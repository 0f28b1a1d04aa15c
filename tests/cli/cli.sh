#!/usr/bin/env bash
# Command-line behaviour of carecoop, one case per ctest test.
# Usage: CARECOOP_BIN=... cli.sh CASE
set -u
bin=${CARECOOP_BIN:?set CARECOOP_BIN}
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

case ${1:-} in
version_and_help)
  expect 0 '^carecoop [0-9]+\.[0-9]+\.[0-9]+$' -- "$bin" --version
  expect 0 'usage: carecoop COMMAND' -- "$bin" --help
  expect 0 'CARECOOP_LISTEN' -- "$bin" --help
  expect 2 'a command is required' -- "$bin"
  ;;
bad_flags)
  expect 2 "unknown command 'frobnicate'" -- "$bin" frobnicate
  expect 2 "unknown flag '--colour'" -- "$bin" serve --colour red
  expect 2 'flag --db needs a value' -- "$bin" migrate --db
  expect 2 '--listen: port must be a number from 0 to 65535' -- "$bin" serve --db x.db --listen 127.0.0.1:99999
  expect 2 '--listen: host must be a numeric IP address' -- "$bin" serve --db x.db --listen example.org:80
  expect 2 '--password: password must have at least 10 characters' -- "$bin" demo --db x.db --password short
  expect 2 "--role: unknown role 'boss'" -- "$bin" user add --db x.db --email a@b.org --role boss
  expect 2 '--email: not a valid address' -- "$bin" user add --db x.db --email nobody --role carer
  expect 2 'user add: --email is required' -- "$bin" user add --db x.db --role carer
  expect 2 "unexpected argument 'extra'" -- "$bin" migrate --db x.db extra
  # Each bad flag leaves no database behind.
  [ ! -e x.db ] || { echo "FAIL: a refused command created x.db"; fails=$((fails + 1)); }
  ;;
demo_prints_logins)
  out=$("$bin" demo --db demo.db --password 'pass-phrase-1') || { echo "FAIL: demo exited $?"; exit 1; }
  lines=$(wc -l <<<"$out")
  echo "$out"
  # One line per account, exactly ROLE EMAIL PASSWORD, every role present.
  bad=$(grep -vcE '^(admin|coordinator|treasurer|carer|member) [^ @]+@[^ ]+ pass-phrase-1$' <<<"$out")
  [ "$bad" -eq 0 ] || { echo "FAIL: $bad lines not ROLE EMAIL PASSWORD"; fails=$((fails + 1)); }
  for role in admin coordinator treasurer carer member; do
    grep -q "^$role " <<<"$out" || { echo "FAIL: no $role account"; fails=$((fails + 1)); }
  done
  carers=$(grep -c '^carer ' <<<"$out")
  [ "$carers" -ge 10 ] || { echo "FAIL: only $carers carers"; fails=$((fails + 1)); }
  [ "$lines" -ge 15 ] || { echo "FAIL: only $lines accounts"; fails=$((fails + 1)); }
  # Without --password every account gets its own random password.
  out2=$("$bin" demo --db demo2.db) || { echo "FAIL: demo without --password"; exit 1; }
  distinct=$(awk '{print $3}' <<<"$out2" | sort -u | wc -l)
  [ "$distinct" -eq "$(wc -l <<<"$out2")" ] || { echo "FAIL: random passwords repeat"; fails=$((fails + 1)); }
  ;;
demo_refuses_second_coop)
  "$bin" demo --db demo.db --password 'pass-phrase-1' >/dev/null || exit 1
  expect 1 'already holds a co-op' -- "$bin" demo --db demo.db --password 'pass-phrase-1'
  ;;
user_add)
  out=$(printf 'a-good-password\n' | "$bin" user add --db u.db --email Nia@Example.org --role carer,member --name 'Nia Jones' 2>&1)
  grep -q 'added Nia@Example.org' <<<"$out" || { echo "FAIL: $out"; fails=$((fails + 1)); }
  out=$(printf 'a-good-password\n' | "$bin" user add --db u.db --email nia@example.org --role admin 2>&1); st=$?
  [ "$st" -eq 1 ] && grep -q 'exists' <<<"$out" || { echo "FAIL: duplicate: $st $out"; fails=$((fails + 1)); }
  out=$(printf 'short\n' | "$bin" user add --db u.db --email b@example.org --role admin 2>&1); st=$?
  [ "$st" -eq 1 ] && grep -q 'at least 10 characters' <<<"$out" || { echo "FAIL: short: $st $out"; fails=$((fails + 1)); }
  out=$("$bin" user add --db u.db --email c@example.org --role admin </dev/null 2>&1); st=$?
  [ "$st" -eq 1 ] && grep -q 'no password' <<<"$out" || { echo "FAIL: empty stdin: $st $out"; fails=$((fails + 1)); }
  ;;
migrate_and_backup)
  expect 0 '^schema version [0-9]+$' -- "$bin" migrate --db m.db
  "$bin" demo --db m.db --password 'pass-phrase-1' >/dev/null || exit 1
  expect 0 'backed up to copy.db' -- "$bin" backup --db m.db copy.db
  expect 1 'already exists' -- "$bin" backup --db m.db copy.db
  expect 2 'no such database' -- "$bin" backup --db missing.db copy2.db
  expect 2 'give the destination' -- "$bin" backup --db m.db
  # The copy is a working database holding the same co-op.
  expect 1 'already holds a co-op' -- "$bin" demo --db copy.db --password 'pass-phrase-1'
  # CARECOOP_DB stands in for --db.
  expect 0 '^schema version' -- env CARECOOP_DB=m.db "$bin" migrate
  ;;
serve_bad_config)
  expect 2 '--web: no such directory' -- "$bin" serve --db s.db --listen 127.0.0.1:0 --web nowhere
  expect 2 'CARECOOP_THREADS must be a whole number' -- env CARECOOP_THREADS=lots "$bin" serve --db s.db --web "${CARECOOP_WEB:?}"
  expect 2 'CARECOOP_BODY_MAX must be a whole number' -- env CARECOOP_BODY_MAX=0 "$bin" serve --db s.db --web "$CARECOOP_WEB"
  echo 'not sqlite, not at all, just text long enough to look like a file' > junk.db
  expect 1 'cannot open database' -- "$bin" serve --db junk.db --listen 127.0.0.1:0 --web "$CARECOOP_WEB"
  ;;
export_instance)
  "$bin" demo --db e.db --password 'pass-phrase-1' >/dev/null || exit 1
  expect 2 'is not a Monday' -- "$bin" export-instance --db e.db --week 2026-03-24
  expect 2 '--week is required' -- "$bin" export-instance --db e.db
  expect 2 'flag --week needs a value' -- "$bin" export-instance --db=e.db --week=
  expect 2 "unknown flag '--weak'" -- "$bin" export-instance --db e.db --weak 2026-03-23
  expect 2 'no such database' -- "$bin" export-instance --db missing.db --week 2026-03-23
  [ ! -e missing.db ] || { echo "FAIL: export-instance created missing.db"; fails=$((fails + 1)); }
  : > empty.db
  expect 1 'not a carecoop database' -- "$bin" export-instance --db empty.db --week 2026-03-23
  # The spring and autumn DST weeks export, solve and check clean.
  for week in 2026-03-23 2026-10-19; do
    expect 0 "week $week: 12 carers, 15 recipients, [0-9]+ visits" -- \
      "$bin" export-instance --db e.db --week "$week" --out "$week.json"
    expect 0 'violations 0' -- "$bin" solve --instance "$week.json" --out "$week.sol" --seconds 1 --seed 7
    expect 0 '^violations 0$' -- "$bin" check --instance "$week.json" --solution "$week.sol"
  done
  # Double-up visits and the DST Sunday are in the instance.
  grep -q '"carers": 2' 2026-03-23.json || { echo "FAIL: no double-up visit"; fails=$((fails + 1)); }
  grep -q '"start": "2026-03-29T' 2026-03-23.json || { echo "FAIL: no visit on the DST Sunday"; fails=$((fails + 1)); }
  ;;
feeds_lists_links)
  "$bin" demo --db f.db --password 'pass-phrase-1' >/dev/null || exit 1
  out=$("$bin" feeds --db f.db) || { echo "FAIL: feeds exited $?"; exit 1; }
  echo "$out" | sed -E 's|/ical/[0-9a-f]{60}|/ical/…|'
  # Exactly KIND EMAIL PATH, the path a 256-bit token in hex.
  bad=$(grep -vcE '^(carer|recipient|coordinator) [^ @]+@[^ ]+ /ical/[0-9a-f]{64}\.ics$' <<<"$out")
  [ "$bad" -eq 0 ] || { echo "FAIL: $bad lines not KIND EMAIL PATH"; fails=$((fails + 1)); }
  for kind in carer recipient coordinator; do
    grep -q "^$kind " <<<"$out" || { echo "FAIL: no $kind feed"; fails=$((fails + 1)); }
  done
  dupes=$(awk '{print $3}' <<<"$out" | sort | uniq -d | wc -l)
  [ "$dupes" -eq 0 ] || { echo "FAIL: $dupes feed paths repeated"; fails=$((fails + 1)); }
  # Nothing missing in the demo; printing twice prints the same links.
  expect 0 '^carer amira@carecoop.example /ical/' -- "$bin" feeds --db f.db --make-missing yes
  [ "$("$bin" feeds --db f.db)" = "$out" ] || { echo "FAIL: links changed between runs"; fails=$((fails + 1)); }
  expect 2 '--make-missing: must be yes or no' -- "$bin" feeds --db f.db --make-missing maybe
  expect 2 "unknown flag '--kind'" -- "$bin" feeds --db f.db --kind carer
  expect 2 'no such database' -- "$bin" feeds --db missing.db
  [ ! -e missing.db ] || { echo "FAIL: feeds created missing.db"; fails=$((fails + 1)); }
  expect 2 '--public-url: must start with https://' -- "$bin" serve --db f.db --public-url care.example.org
  ;;
*)
  echo "unknown case '${1:-}'"; exit 2 ;;
esac

if [ "$fails" -ne 0 ]; then echo "$fails check(s) failed"; exit 1; fi
echo "all checks passed"
