#!/bin/bash
# Benchmarks a carecoop binary with wrk and records the figures.
#
#   tests/bench/run.sh BINARY WEB_DIR BENCHMARKS_MD [BUILD_TYPE]
#
# Usually run as `cmake --build --preset release --target bench`. Starts a
# demo co-op server on 127.0.0.1:0 in a temporary directory, then measures
#   GET /healthz        wrk -t2 -c32 -d10s
#   GET /index.html     wrk -t2 -c32 -d10s   (a static page from WEB_DIR)
#   POST /api/session   wrk -t1 -c1 and -t2 -c8, -d10s (argon2id login)
# and replaces the section "Foundation (issue 2)" of BENCHMARKS_MD with the
# command, the date, the machine, the build and a table of the figures.
#
# Exits non-zero when anything fails, including any login reply other than
# 200 (the figures are still written, with the count, so they can be read).
# Environment: BENCH_DURATION (default 10s), WRK (default wrk).
set -euo pipefail

die() { echo "bench: $*" >&2; exit 1; }

[ $# -ge 3 ] && [ $# -le 4 ] ||
	die "usage: $0 BINARY WEB_DIR BENCHMARKS_MD [BUILD_TYPE]"
bin=$(realpath "$1")
web=$(realpath "$2")
md=$3
build_type=${4:-}
duration=${BENCH_DURATION:-10s}
wrk=${WRK:-wrk}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
section="Foundation (issue 2)"

[ -x "$bin" ] || die "no executable at $1"
[ -f "$web/index.html" ] || die "no index.html in $web"
command -v "$wrk" >/dev/null || die "wrk not found (apt-get install wrk)"
command -v curl >/dev/null || die "curl not found (apt-get install curl)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/carecoop-bench.XXXXXX")
server_pid=
cleanup() {
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill -TERM "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A busy machine makes the figures meaningless: say so in the record.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${load_before%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
	echo "bench: WARNING: load average $load_before on $(nproc) CPUs before the run;" \
		"the figures will be low and noisy" >&2
fi

# --- a demo co-op and its server ---------------------------------------------
"$bin" demo --db "$tmp/bench.db" --password 'bench-password-1' >"$tmp/demo.txt" \
	2>"$tmp/demo.err" || { cat "$tmp/demo.err" >&2; die "carecoop demo failed"; }
# ROLE EMAIL PASSWORD: take the first account listed.
read -r role email password < <(awk 'NF >= 3 && $2 ~ /@/ { print; exit }' "$tmp/demo.txt") ||
	die "carecoop demo printed no 'ROLE EMAIL PASSWORD' line: $(cat "$tmp/demo.txt")"

"$bin" serve --db "$tmp/bench.db" --listen 127.0.0.1:0 --web "$web" \
	2>"$tmp/server.log" &
server_pid=$!
port=
for _ in $(seq 1 300); do
	port=$(sed -n 's|^carecoop: listening on http://127\.0\.0\.1:\([0-9][0-9]*\)/$|\1|p' \
		"$tmp/server.log" | head -n 1)
	[ -n "$port" ] && break
	kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.log" >&2; die "server exited"; }
	sleep 0.1
done
[ -n "$port" ] || { cat "$tmp/server.log" >&2; die "server did not report its port in 30 s"; }
base="http://127.0.0.1:$port"
echo "bench: server $bin on $base, login as $email ($role)"

# Each endpoint answers as expected before it is timed.
expect() { # expect STATUS CURL-ARGS...
	local want=$1 got
	shift
	got=$(curl -s -o "$tmp/reply" -w '%{http_code}' "$@") || got=000
	[ "$got" = "$want" ] || die "$* -> $got, not $want: $(head -c 300 "$tmp/reply")"
}
expect 200 "$base/healthz"
expect 200 "$base/index.html"
json_string() { # a JSON string literal (the demo accounts have plain text)
	local s=${1//\\/\\\\}
	s=${s//\"/\\\"}
	printf '"%s"' "$s"
}
login_body="{\"email\":$(json_string "$email"),\"password\":$(json_string "$password")}"
expect 200 -H 'Content-Type: application/json' --data "$login_body" "$base/api/session"
grep -q '"csrf_token"' "$tmp/reply" || die "login reply has no csrf_token: $(cat "$tmp/reply")"

# --- the runs ------------------------------------------------------------------
rows=
commands=
failed=0
run() { # run NAME THREADS CONNECTIONS PATH MODE [ARGS...]
	local name=$1 t=$2 c=$3 path=$4
	shift 4
	local args=("$wrk" "-t$t" "-c$c" "-d$duration" --timeout 10s --latency
		-s "$here/bench.lua" "$base$path" -- "$@")
	echo "bench: ${args[*]}"
	"${args[@]}" >"$tmp/wrk.out" 2>&1 || { cat "$tmp/wrk.out" >&2; die "wrk failed"; }
	cat "$tmp/wrk.out"
	local line
	line=$(grep '^BENCH ' "$tmp/wrk.out") || die "no BENCH line from wrk"
	local requests rps avg p50 p99 status sock non200
	requests=$(sed 's/.* requests=\([0-9]*\).*/\1/' <<<"$line")
	rps=$(sed 's/.* rps=\([0-9.]*\).*/\1/' <<<"$line")
	avg=$(sed 's/.* lat_avg_us=\([0-9.]*\).*/\1/' <<<"$line")
	p50=$(sed 's/.* lat_p50_us=\([0-9]*\).*/\1/' <<<"$line")
	p99=$(sed 's/.* lat_p99_us=\([0-9]*\).*/\1/' <<<"$line")
	status=$(sed 's/.* status_errors=\([0-9]*\).*/\1/' <<<"$line")
	sock=$(sed 's/.* socket_errors=\([0-9]*\).*/\1/' <<<"$line")
	non200=$(sed 's/.* non200=\(-\{0,1\}[0-9]*\).*/\1/' <<<"$line")
	local bad=$status
	if [ "$non200" -ge 0 ]; then
		bad=$non200
	fi
	if [ "$bad" -ne 0 ] || [ "$sock" -ne 0 ] || [ "$requests" -eq 0 ]; then
		echo "bench: FAIL: $name: $bad bad replies, $sock socket errors, $requests requests" >&2
		failed=1
	fi
	local ms='{ printf "%.2f", $1 / 1000 }'
	rows+="| $name | $t | $c | $(printf '%.0f' "$rps") | $(awk "$ms" <<<"$avg") |"
	rows+=" $(awk "$ms" <<<"$p50") | $(awk "$ms" <<<"$p99") | $requests | $bad | $sock |"$'\n'
	local shown=("${args[@]}")
	shown[0]=wrk
	shown[8]=tests/bench/bench.lua
	local cmd="${shown[*]}"
	cmd=${cmd//"$base"/http://127.0.0.1:PORT}
	cmd=${cmd//"$password"/PASSWORD}
	commands+="    $cmd"$'\n'
}

# How much CPU the rest of the machine takes meanwhile: all busy time less
# the server's and wrk's (wrk's is this shell's children's time).
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
server_ticks() { sed 's/.*) //' "/proc/$server_pid/stat" | awk '{ print $12 + $13 }'; }
children_seconds() { # `times` in this shell, not in a $(...) subshell
	times >"$tmp/times"
	awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/)
		print u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$tmp/times"
}
hz=$(getconf CLK_TCK)
children_seconds >"$tmp/children0"
busy0=$(busy_ticks) server0=$(server_ticks) wall0=$(date +%s.%N)

run "GET /healthz" 2 32 /healthz get
run "GET /index.html (static)" 2 32 /index.html get
run "POST /api/session (login), 1 connection" 1 1 /api/session login "$email" "$password"
run "POST /api/session (login), 8 connections" 2 8 /api/session login "$email" "$password"

children_seconds >"$tmp/children1"
other=$(awk -v b0="$busy0" -v b1="$(busy_ticks)" -v s0="$server0" -v s1="$(server_ticks)" \
	-v c0="$(cat "$tmp/children0")" -v c1="$(cat "$tmp/children1")" \
	-v w0="$wall0" -v w1="$(date +%s.%N)" \
	-v hz="$hz" -v n="$(nproc)" 'BEGIN {
		o = ((b1 - b0) - (s1 - s0)) / hz - (c1 - c0)
		if (o < 0) o = 0
		printf "%.0f", 100 * o / ((w1 - w0) * n) }')
echo "bench: other processes took $other % of the machine's CPU during the runs"
if [ "$other" -gt 10 ]; then
	echo "bench: WARNING: the machine was busy with other work; the figures are low and noisy" >&2
fi

# The server stops cleanly on SIGTERM.
kill -TERM "$server_pid"
stop_status=0
wait "$server_pid" || stop_status=$?
server_pid=
[ "$stop_status" -eq 0 ] || { cat "$tmp/server.log" >&2; die "server exited $stop_status on SIGTERM"; }

# --- the record -------------------------------------------------------------
rel() { # a path relative to the source tree when inside it
	case "$1" in "$root"/*) echo "${1#"$root"/}" ;; *) echo "$1" ;; esac
}
version=$("$bin" --version 2>&1 | awk 'NR == 1')
[ -n "$build_type" ] || build_type=unknown
sanitized=no
if ldd "$bin" 2>/dev/null | grep -Eq 'libasan|libubsan'; then
	sanitized="yes (figures are not comparable)"
fi
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
wrk_version=$({ "$wrk" -v 2>&1 || true; } | awk 'NR == 1 { print $1, $2 }')

section_file=$tmp/section.md
{
	echo "## $section"
	echo
	echo "Measured with:"
	echo
	echo "    cmake --build --preset release --target bench"
	echo "    # runs: tests/bench/run.sh $(rel "$bin") $(rel "$web") $(rel "$md") $build_type"
	echo
	echo "- date: $(date -u)"
	echo "- machine: $(nproc) CPUs ($cpu), $mem memory, $(uname -sr);" \
		"wrk and the server share these CPUs"
	echo "- binary: $version, build type $build_type, sanitizers: $sanitized;" \
		"server defaults (no CARECOOP_* settings)," \
		"its standard error (one access-log line per request) to a file"
	echo "- load: $wrk_version, $duration per row, keep-alive connections;" \
		"login as one demo account ($role) with the right password"
	echo "- load average (1, 5, 15 min) before the run: $load_before; CPU taken by" \
		"other processes during the runs: $other % of the machine (0 % is quiet)"
	echo
	echo "| request | threads | connections | requests/s | avg ms | p50 ms | p99 ms | requests | non-2xx | socket errors |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	printf '%s' "$rows"
	echo
	echo "Non-2xx counts every reply that was not a success: for the GET rows wrk's"
	echo "own count (status 400 and above), for the login rows every status other"
	echo "than 200 (a 429 from the login throttle or a 503 from the password-hash"
	echo "gate would show here). The wrk commands, against the server's ephemeral"
	echo "port:"
	echo
	printf '%s' "$commands"
} >"$section_file"

mkdir -p "$(dirname "$md")"
if [ ! -f "$md" ]; then
	cat >"$md" <<'EOF'
# Benchmarks

How fast carecoop answers, measured by hand on a named machine. The figures
are a record for comparison, not a contract: benchmarks are never timed
assertions in tests, because a timing depends on the machine, its load and
its neighbours. The test suite checks behaviour only; a slowdown is found by
running the benchmark again on the same kind of machine and comparing
sections.

Each section comes from one script (its command is given), run against an
optimised build (`cmake --preset release && cmake --build --preset release`)
with wrk (Debian's package) on the same machine as the server, so client
and server compete for the same CPUs. Latency is the time from sending a
request to reading the whole reply on a keep-alive connection, as wrk
measures it (avg, p50 = median, p99); requests/s is completed requests over
the run's wall time. Running a benchmark again replaces its section.
EOF
fi
# Replace the section (from its heading to the next "## " heading) or append it.
awk -v heading="## $section" -v file="$section_file" '
	function emit(  line) { while ((getline line < file) > 0) print line; close(file) }
	$0 == heading { emit(); skipping = 1; done = 1; next }
	skipping && /^## / { skipping = 0; print "" }
	!skipping { print }
	END { if (!done) { print ""; emit() } }
' "$md" >"$tmp/BENCHMARKS.md"
cp "$tmp/BENCHMARKS.md" "$md"
echo "bench: wrote section \"$section\" of $md"
cat "$section_file"

[ "$failed" -eq 0 ] || die "some requests failed; see the table"
