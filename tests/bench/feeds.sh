#!/bin/bash
# Benchmarks one carer's calendar feed (issue 5) beside nginx serving the
# same bytes as a static file, and records the figures.
#
#   tests/bench/feeds.sh CARECOOP WEB_DIR BENCHMARKS_MD [BUILD_TYPE]
#
# Usually run as `cmake --build --preset release --target bench_feeds`.
# Makes a demo co-op in a temporary directory, starts `carecoop serve` on
# 127.0.0.1:0, takes the first carer's feed from `carecoop feeds`, fetches
# it once and writes the bytes as a static file for nginx (Debian's package,
# run in the foreground with a minimal configuration of its own: access log
# off, on 127.0.0.1 and a free port). Then, ROUNDS times and interleaved,
#   carecoop GET /ical/TOKEN.ics                    (200, built once, cached)
#   nginx    GET /feed.ics                          (200, sendfile)
#   carecoop GET /ical/TOKEN.ics, If-None-Match     (304)
#   nginx    GET /feed.ics, If-None-Match           (304)
# each `wrk -t2 -c32 -d10s`; reports the median of the rounds, and the
# ratio carecoop/nginx of requests per second of each round and their median
# (the target on the 200 path is at least 0.5). Replaces the section "Calendar feeds (issue 5)" of
# BENCHMARKS_MD with the commands, the date, the machine, the load and a
# table. A missed target is recorded, not an error; with BENCH_PERF=1 (or
# when the target is missed and perf is installed) the script also profiles
# the server during one more 200 run and records its top symbols.
#
# Needs wrk, curl and nginx: when run as root it installs nginx from Debian
# if missing. Exits non-zero when a command fails or a reply is wrong.
# Environment: BENCH_DURATION (default 10s), BENCH_ROUNDS (default 5),
# BENCH_THREADS (wrk threads, default 2), BENCH_CONNECTIONS (default 32),
# NGINX_WORKERS (default auto), BENCH_PERF (auto, 1 or 0), WRK (default wrk).
set -euo pipefail

die() { echo "bench_feeds: $*" >&2; exit 1; }
say() { echo "bench_feeds: $*"; }

[ $# -ge 3 ] && [ $# -le 4 ] ||
	die "usage: $0 CARECOOP WEB_DIR BENCHMARKS_MD [BUILD_TYPE]"
bin=$(realpath "$1")
web=$(realpath "$2")
md=$3
build_type=${4:-unknown}
[ -n "$build_type" ] || build_type=unknown
duration=${BENCH_DURATION:-10s}
rounds=${BENCH_ROUNDS:-5}
threads=${BENCH_THREADS:-2}
conns=${BENCH_CONNECTIONS:-32}
workers=${NGINX_WORKERS:-auto}
perf_mode=${BENCH_PERF:-auto}
wrk=${WRK:-wrk}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
section="Calendar feeds (issue 5)"

[ -x "$bin" ] || die "no executable at $1"
[ -d "$web" ] || die "no web folder at $2"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROUNDS must be a positive number"
command -v "$wrk" >/dev/null || die "wrk not found (apt-get install wrk)"
command -v curl >/dev/null || die "curl not found (apt-get install curl)"

install_debian() { # install_debian PACKAGE: only as root, only from Debian
	[ "$(id -u)" -eq 0 ] || die "$1 is missing: apt-get install -y $1 (as root)"
	say "installing $1 from Debian"
	DEBIAN_FRONTEND=noninteractive apt-get install -y "$1" >/dev/null 2>&1 || {
		apt-get update >/dev/null 2>&1 || true
		DEBIAN_FRONTEND=noninteractive apt-get install -y "$1" >/dev/null ||
			die "could not install $1"
	}
}
find_nginx() { command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true; }
nginx=$(find_nginx)
[ -n "$nginx" ] || { install_debian nginx; nginx=$(find_nginx); }
[ -n "$nginx" ] || die "no nginx after installing it"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/carecoop-bench-feeds.XXXXXX")
server_pid=
nginx_pid=
stop() { # stop PID: TERM, then wait
	if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
		kill -TERM "$1" 2>/dev/null || true
		wait "$1" 2>/dev/null || true
	fi
}
cleanup() {
	stop "$nginx_pid"
	stop "$server_pid"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${load_before%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
	echo "bench_feeds: WARNING: load average $load_before on $(nproc) CPUs before the run;" \
		"the figures will be low and noisy" >&2
fi

# --- carecoop: a demo co-op, its server and one carer's feed -------------------
"$bin" demo --db "$tmp/bench.db" --password 'bench-password-1' >"$tmp/demo.txt" \
	2>"$tmp/demo.err" || { cat "$tmp/demo.err" >&2; die "carecoop demo failed"; }
"$bin" feeds --db "$tmp/bench.db" >"$tmp/feeds.txt" 2>"$tmp/feeds.err" ||
	{ cat "$tmp/feeds.err" >&2; die "carecoop feeds failed"; }
read -r _ carer feed_path < <(awk '$1 == "carer" { print; exit }' "$tmp/feeds.txt") ||
	die "carecoop feeds listed no carer feed: $(cat "$tmp/feeds.txt")"
[[ "$feed_path" =~ ^/ical/[0-9a-f]{64}\.ics$ ]] || die "not a feed path: $feed_path"

"$bin" serve --db "$tmp/bench.db" --listen 127.0.0.1:0 --web "$web" 2>"$tmp/server.log" &
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
cc_url="http://127.0.0.1:$port$feed_path"
threads_cc=${CARECOOP_THREADS:-8}

# fetch URL NAME [HEADER]: status to stdout, headers and body to $tmp/NAME.{h,body}
fetch() {
	local args=(-s -D "$tmp/$2.h" -o "$tmp/$2.body" -w '%{http_code}')
	[ $# -ge 3 ] && args+=(-H "$3")
	curl "${args[@]}" "$1" || echo 000
}
header() { # header FILE NAME: a response header's value
	awk -v n="$2" 'BEGIN { IGNORECASE = 1 } { sub(/\r$/, "") }
		tolower($0) ~ "^" tolower(n) ":" { sub(/^[^:]*: */, ""); print; exit }' "$1"
}
[ "$(fetch "$cc_url" cc)" = 200 ] || die "GET $feed_path: not 200: $(head -c 300 "$tmp/cc.body")"
header "$tmp/cc.h" Content-Type | grep -qi '^text/calendar' || die "the feed is not text/calendar"
head -c 15 "$tmp/cc.body" | grep -q '^BEGIN:VCALENDAR' || die "the feed is not a VCALENDAR"
cc_etag=$(header "$tmp/cc.h" ETag)
[ -n "$cc_etag" ] || die "the feed has no ETag"
[ "$(fetch "$cc_url" cc304 "If-None-Match: $cc_etag")" = 304 ] || die "If-None-Match: not 304"
size=$(stat -c %s "$tmp/cc.body")
say "carecoop on http://127.0.0.1:$port, $carer's feed: $size bytes, ETag $cc_etag"

# --- nginx: the same bytes as a static file --------------------------------------
mkdir -p "$tmp/nginx/www" "$tmp/nginx/tmp" "$tmp/nginx/logs"
cp "$tmp/cc.body" "$tmp/nginx/www/feed.ics"
# nginx's workers may run as another user when started as root.
chmod 755 "$tmp" "$tmp/nginx" "$tmp/nginx/www"
chmod 644 "$tmp/nginx/www/feed.ics"
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
nginx_port=
for _ in $(seq 1 20); do
	p=$((20000 + RANDOM % 40000))
	port_free "$p" || continue
	cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes $workers;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 100000000;
	types { text/calendar ics; }
	default_type application/octet-stream;
	charset utf-8;
	charset_types text/calendar;
	client_body_temp_path $tmp/nginx/tmp/body;
	proxy_temp_path $tmp/nginx/tmp/proxy;
	fastcgi_temp_path $tmp/nginx/tmp/fastcgi;
	uwsgi_temp_path $tmp/nginx/tmp/uwsgi;
	scgi_temp_path $tmp/nginx/tmp/scgi;
	server {
		listen 127.0.0.1:$p;
		root $tmp/nginx/www;
		location = /feed.ics { add_header Cache-Control "private, no-cache"; }
	}
}
EOF
	"$nginx" -p "$tmp/nginx/" -e "$tmp/nginx/logs/error.log" -c "$tmp/nginx/nginx.conf" \
		2>>"$tmp/nginx/logs/stderr.log" &
	nginx_pid=$!
	for _ in $(seq 1 50); do
		if [ "$(fetch "http://127.0.0.1:$p/feed.ics" ng)" = 200 ]; then
			nginx_port=$p
			break
		fi
		kill -0 "$nginx_pid" 2>/dev/null || break
		sleep 0.1
	done
	[ -n "$nginx_port" ] && break
	stop "$nginx_pid"
	nginx_pid=
done
[ -n "$nginx_port" ] || { cat "$tmp/nginx/logs/"*.log >&2; die "nginx did not start"; }
ng_url="http://127.0.0.1:$nginx_port/feed.ics"
cmp -s "$tmp/ng.body" "$tmp/cc.body" || die "nginx does not serve the same bytes"
ng_etag=$(header "$tmp/ng.h" ETag)
[ -n "$ng_etag" ] || die "nginx sent no ETag"
[ "$(fetch "$ng_url" ng304 "If-None-Match: $ng_etag")" = 304 ] || die "nginx: If-None-Match: not 304"
ng_workers=$(pgrep -c -P "$nginx_pid" || true)
nginx_version=$("$nginx" -v 2>&1 | sed 's|^nginx version: ||')
say "$nginx_version on $ng_url, $ng_workers worker processes, ETag $ng_etag"

# --- the runs ------------------------------------------------------------------
# CPU time of a process and its threads, or of nginx's master and workers.
ticks_of() { # ticks_of PID...: user + system clock ticks
	local t=0 p
	for p in "$@"; do
		[ -r "/proc/$p/stat" ] || continue
		t=$((t + $(sed 's/.*) //' "/proc/$p/stat" | awk '{ print $12 + $13 }')))
	done
	echo "$t"
}
nginx_pids() { echo "$nginx_pid" $(pgrep -P "$nginx_pid" || true); }
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
children_seconds() { # `times` in this shell: wrk's CPU time
	times >"$tmp/times"
	awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/)
		print u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$tmp/times"
}

declare -A rps_of p99_of avg_of req_of
commands=
failed=0
run() { # run KEY URL MODE [ETAG]: one wrk run, figures into the arrays under KEY
	local key=$1 url=$2
	shift 2
	local args=("$wrk" "-t$threads" "-c$conns" "-d$duration" --timeout 10s --latency
		-s "$here/feeds.lua" "$url" -- "$@")
	say "${args[*]}"
	"${args[@]}" >"$tmp/wrk.out" 2>&1 || { cat "$tmp/wrk.out" >&2; die "wrk failed"; }
	local line
	line=$(grep '^BENCH ' "$tmp/wrk.out") || { cat "$tmp/wrk.out" >&2; die "no BENCH line from wrk"; }
	local requests rps bytes avg p99 status sock
	requests=$(field requests "$line") rps=$(field rps "$line") bytes=$(field bytes "$line")
	avg=$(field lat_avg_us "$line") p99=$(field lat_p99_us "$line")
	status=$(field status_errors "$line") sock=$(field socket_errors "$line")
	local per=$((requests > 0 ? bytes / requests : 0))
	say "  $key: $rps requests/s, p99 $p99 us, $per bytes per reply, $status bad, $sock socket errors"
	if [ "$status" -ne 0 ] || [ "$sock" -ne 0 ] || [ "$requests" -eq 0 ]; then
		echo "bench_feeds: FAIL: $key: $status bad replies, $sock socket errors, $requests requests" >&2
		failed=1
	fi
	# A 200 carries the feed, a 304 only headers.
	if { [ "$1" = get ] && [ "$per" -lt "$size" ]; } || { [ "$1" = inm ] && [ "$per" -ge "$size" ]; }; then
		echo "bench_feeds: FAIL: $key: $per bytes per reply does not fit a" \
			"$([ "$1" = get ] && echo 200 || echo 304) of a $size-byte feed" >&2
		failed=1
	fi
	rps_of[$key]+="$rps "
	p99_of[$key]+="$p99 "
	avg_of[$key]+="$avg "
	req_of[$key]+="$requests "
	if [ -z "${shown_cmd[$key]:-}" ]; then
		local shown=("${args[@]}")
		shown[0]=wrk
		shown[8]=tests/bench/feeds.lua
		local cmd="${shown[*]}"
		cmd=${cmd//"http://127.0.0.1:$port$feed_path"/http://127.0.0.1:PORT/ical/TOKEN.ics}
		cmd=${cmd//"$ng_url"/http://127.0.0.1:NGINX_PORT/feed.ics}
		cmd=${cmd//"inm $cc_etag"/"inm '\"ETAG\"'"}
		cmd=${cmd//"inm $ng_etag"/"inm '\"NGINX_ETAG\"'"}
		shown_cmd[$key]=$cmd
	fi
}
declare -A shown_cmd
field() { sed "s/.* $1=\([0-9.]*\).*/\1/" <<<" $2"; } # field NAME BENCH-LINE
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END {
	if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

children_seconds >"$tmp/children0"
busy0=$(busy_ticks) cc0=$(ticks_of "$server_pid") ng0=$(ticks_of $(nginx_pids)) wall0=$(date +%s.%N)
for r in $(seq 1 "$rounds"); do
	say "round $r of $rounds"
	run cc200 "$cc_url" get
	run ng200 "$ng_url" get
	run cc304 "$cc_url" inm "$cc_etag"
	run ng304 "$ng_url" inm "$ng_etag"
done
children_seconds >"$tmp/children1"
cc1=$(ticks_of "$server_pid") ng1=$(ticks_of $(nginx_pids))
other=$(awk -v b0="$busy0" -v b1="$(busy_ticks)" -v c0="$cc0" -v c1="$cc1" -v n0="$ng0" -v n1="$ng1" \
	-v w0="$(cat "$tmp/children0")" -v w1="$(cat "$tmp/children1")" \
	-v t0="$wall0" -v t1="$(date +%s.%N)" -v hz="$(getconf CLK_TCK)" -v n="$(nproc)" 'BEGIN {
		o = ((b1 - b0) - (c1 - c0) - (n1 - n0)) / hz - (w1 - w0)
		if (o < 0) o = 0
		printf "%.0f", 100 * o / ((t1 - t0) * n) }')
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
say "other processes took $other % of the machine's CPU during the runs; load average now $load_after"

# Busy means other work took CPU during the runs, measured directly. The
# load averages are only shown: the one-minute figure after the run counts
# the benchmark itself, and the one before still carries earlier work.
busy=no
if [ "$other" -gt 10 ]; then
	busy=yes
	echo "bench_feeds: WARNING: the machine was busy with other work; the figures are low and noisy" >&2
fi

declare -A med_rps med_p99 med_avg
for k in cc200 ng200 cc304 ng304; do
	med_rps[$k]=$(median <<<"${rps_of[$k]}")
	med_p99[$k]=$(median <<<"${p99_of[$k]}")
	med_avg[$k]=$(median <<<"${avg_of[$k]}")
done
# The ratio of each round (its two runs were next to each other in time, so
# under much the same load from the rest of the machine), and their median.
ratios() { # ratios A B: "r1 r2 ..." of the rounds
	paste <(tr ' ' '\n' <<<"${rps_of[$1]}" | grep .) <(tr ' ' '\n' <<<"${rps_of[$2]}" | grep .) |
		awk '{ printf "%s%.2f", (NR > 1 ? " " : ""), $1 / $2 }'
}
ratios200=$(ratios cc200 ng200)
ratios304=$(ratios cc304 ng304)
ratio=$(median <<<"$ratios200" | awk '{ printf "%.2f", $1 }')
ratio304=$(median <<<"$ratios304" | awk '{ printf "%.2f", $1 }')
met=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.5) ? "met" : "MISSED" }')
below=$(tr ' ' '\n' <<<"$ratios200" | awk '$1 < 0.5 { n++ } END { print n + 0 }')
say "200 path: carecoop/nginx = $ratio, median of the rounds ($ratios200; target >= 0.5: $met," \
	"$below round(s) below); 304 path: $ratio304 ($ratios304)"

# --- where the time goes (perf), when asked or when the target is missed ----------
profile=
if [ "$perf_mode" = 1 ] || { [ "$perf_mode" = auto ] && [ "$met" = MISSED ]; }; then
	if command -v perf >/dev/null; then
		say "profiling the server during one more 200 run (perf record -g)"
		perf record -q -F 499 -g -p "$server_pid" -o "$tmp/perf.data" -- sleep 8 \
			>/dev/null 2>"$tmp/perf.err" &
		perf_pid=$!
		"$wrk" "-t$threads" "-c$conns" -d9s -s "$here/feeds.lua" "$cc_url" -- get >/dev/null 2>&1 || true
		wait "$perf_pid" || { cat "$tmp/perf.err" >&2; echo "bench_feeds: perf record failed" >&2; }
		if [ -s "$tmp/perf.data" ]; then
			perf report -i "$tmp/perf.data" --no-children --sort dso,symbol --stdio 2>/dev/null |
				grep -E '^ +[0-9.]+%' | sed 's/[[:space:]-]*$//' | head -n 15 >"$tmp/profile.txt" || true
			cat "$tmp/profile.txt"
			profile=$(sed 's/^ */    /' "$tmp/profile.txt")
		fi
	else
		say "perf is not installed: no profile"
	fi
fi

stop "$nginx_pid"
nginx_pid=
kill -TERM "$server_pid"
stop_status=0
wait "$server_pid" || stop_status=$?
server_pid=
[ "$stop_status" -eq 0 ] || { cat "$tmp/server.log" >&2; die "server exited $stop_status on SIGTERM"; }

# --- the record -------------------------------------------------------------
rel() { case "$1" in "$root"/*) echo "${1#"$root"/}" ;; *) echo "$1" ;; esac; }
version=$("$bin" --version 2>&1 | awk 'NR == 1')
sanitized=no
if ldd "$bin" 2>/dev/null | grep -Eq 'libasan|libubsan'; then
	sanitized="yes (figures are not comparable)"
fi
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
wrk_version=$({ "$wrk" -v 2>&1 || true; } | awk 'NR == 1 { print $1, $2 }')
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
row() { # row LABEL KEY STATUS
	printf '| %s | %s | %.0f | %s | %s | %s |\n' "$1" "$3" "${med_rps[$2]}" "$(ms "${med_avg[$2]}")" \
		"$(ms "${med_p99[$2]}")" "$(tr ' ' '\n' <<<"${rps_of[$2]}" | grep . | awk '{ printf "%s%.0f", (NR > 1 ? ", " : ""), $1 }')"
}

section_file=$tmp/section.md
{
	echo "## $section"
	echo
	echo "Measured with:"
	echo
	echo "    cmake --build --preset release --target bench_feeds"
	echo "    # runs: tests/bench/feeds.sh $(rel "$bin") $(rel "$web") $(rel "$md") $build_type"
	echo
	echo "- date: $(date -u)"
	echo "- machine: $(nproc) CPUs ($cpu), $mem memory, $(uname -sr);" \
		"wrk, carecoop and nginx share these CPUs"
	echo "- binary: $version, build type $build_type, sanitizers: $sanitized;" \
		"$threads_cc server threads (CARECOOP_THREADS), its standard error (one" \
		"access-log line per request) to a file"
	echo "- nginx: $nginx_version (Debian), worker_processes $workers ($ng_workers" \
		"workers), access_log off, sendfile on, keepalive_requests 100000000, the" \
		"feed's bytes as a static file"
	echo "- feed: $carer's (first carer of \`carecoop feeds\` on a demo co-op)," \
		"$size bytes; carecoop builds it once and serves it from its cache"
	echo "- load: $wrk_version, -t$threads -c$conns, $duration per run, keep-alive" \
		"connections; $rounds round(s), the four runs interleaved in each; the table" \
		"gives the median of the rounds"
	echo "- load average (1, 5, 15 min): $load_before before the run, $load_after after;" \
		"CPU taken by other processes during the runs: $other % of the machine" \
		"(0 % is quiet)"
	echo
	echo "| server, request | status | requests/s (median) | avg ms | p99 ms | requests/s of each round |"
	echo "|---|---:|---:|---:|---:|---|"
	row "carecoop, GET /ical/TOKEN.ics" cc200 200
	row "nginx, GET /feed.ics (static file)" ng200 200
	row "carecoop, GET /ical/TOKEN.ics, If-None-Match" cc304 304
	row "nginx, GET /feed.ics, If-None-Match" ng304 304
	echo
	echo "carecoop / nginx requests per second, median of the rounds' ratios:" \
		"**$ratio** on the 200 path (rounds: ${ratios200// /, }; target at least 0.5:" \
		"$met, $below round(s) below it), $ratio304 on the 304 path (rounds:" \
		"${ratios304// /, })."

	if [ "$busy" = yes ]; then
		echo
		echo "**The machine was busy with other work during this run** (load average" \
			"$load_before before and $load_after after on $(nproc) CPUs; other processes" \
			"took $other % of the CPU): the absolute figures are low and vary from round" \
			"to round, and so do the ratios. Run again on a quiet machine before reading" \
			"much into them."
	fi
	if [ -n "$profile" ]; then
		echo
		echo "Where the server's time goes on the 200 path (\`perf record -g\` of the"
		echo "server during one more run, \`perf report --no-children --sort dso,symbol\`,"
		echo "top entries):"
		echo
		echo "$profile"
	fi
	echo
	echo "The wrk commands (PORT and NGINX_PORT are ephemeral, TOKEN the feed's secret):"
	echo
	for k in cc200 ng200 cc304 ng304; do echo "    ${shown_cmd[$k]}"; done
} >"$section_file"

[ -f "$md" ] || die "no $md to write the section into"
# Replace the section (from its heading to the next "## " heading) or append it.
awk -v heading="## $section" -v file="$section_file" '
	function emit(  line) { while ((getline line < file) > 0) print line; close(file) }
	$0 == heading { emit(); skipping = 1; done = 1; next }
	skipping && /^## / { skipping = 0; print "" }
	!skipping { print }
	END { if (!done) { print ""; emit() } }
' "$md" >"$tmp/BENCHMARKS.md"
cp "$tmp/BENCHMARKS.md" "$md"
say "wrote section \"$section\" of $md"
cat "$section_file"

[ "$failed" -eq 0 ] || die "some requests failed; see above"
