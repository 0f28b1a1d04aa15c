#!/bin/bash
# Benchmarks the rota solver (issue 4) and records the figures.
#
#   tests/bench/rota.sh CARECOOP GEN_INSTANCE ROTA_GREEDY ROTA_LP BENCHMARKS_MD [BUILD_TYPE]
#
# Usually run as `cmake --build --preset release --target bench_rota`.
#   small   tests/rota/data/small-spring.json and two generated small weeks:
#           `carecoop solve` against the optimum (or the best bound) that
#           CBC proves for the same model without travel (tests/bench/rota_lp.c)
#   medium  two generated weeks: violations, first feasible rota, time,
#           cost against the greedy baseline (tests/bench/rota_greedy.c)
#   large   two generated weeks: time and peak memory
#   DST     medium weeks over the last Sunday of March and of October
# Every rota is judged by `carecoop check`. Replaces the section
# "Rota solver (issue 4)" of BENCHMARKS_MD with the commands, the date, the
# machine, the build, a table per size and the targets met or missed.
#
# Needs CBC and GNU time: when run as root it installs them from Debian
# (coinor-cbc, time) if missing. Takes about 3 x CBC_SECONDS plus 3 minutes.
# Exits non-zero when a command fails or a rota breaks a hard rule; a missed
# target is recorded, not an error.
# Environment: CBC_SECONDS (CBC's time limit per small instance, CPU seconds,
# default 300), CBC (default cbc).
set -euo pipefail

die() { echo "bench_rota: $*" >&2; exit 1; }

[ $# -ge 5 ] && [ $# -le 6 ] ||
	die "usage: $0 CARECOOP GEN_INSTANCE ROTA_GREEDY ROTA_LP BENCHMARKS_MD [BUILD_TYPE]"
bin=$(realpath "$1")
gen=$(realpath "$2")
greedy=$(realpath "$3")
rota_lp=$(realpath "$4")
md=$5
build_type=${6:-unknown}
cbc_seconds=${CBC_SECONDS:-300}
cbc=${CBC:-cbc}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
section="Rota solver (issue 4)"
gnu_time=/usr/bin/time

for x in "$bin" "$gen" "$greedy" "$rota_lp"; do
	[ -x "$x" ] || die "no executable at $x"
done

install_debian() { # install_debian PACKAGE: only as root, only from Debian
	[ "$(id -u)" -eq 0 ] || die "$1 is missing: apt-get install -y $1 (as root)"
	echo "bench_rota: installing $1 from Debian"
	DEBIAN_FRONTEND=noninteractive apt-get install -y "$1" >/dev/null 2>&1 || {
		apt-get update >/dev/null 2>&1 || true
		DEBIAN_FRONTEND=noninteractive apt-get install -y "$1" >/dev/null ||
			die "could not install $1"
	}
}
command -v "$cbc" >/dev/null || install_debian coinor-cbc
command -v "$cbc" >/dev/null || die "no $cbc after installing coinor-cbc"
[ -x "$gnu_time" ] || install_debian time
"$gnu_time" -v true 2>/dev/null || die "$gnu_time -v does not work (GNU time needed)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/carecoop-bench-rota.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${load_before%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
	echo "bench_rota: WARNING: load average $load_before on $(nproc) CPUs before the run;" \
		"times will be noisy" >&2
fi

# --- instances ---------------------------------------------------------------
# NAME SIZE SEED WEEK (week 2026-03-23 holds Sunday 29 March, 2026-10-19
# holds Sunday 25 October: the DST changes in Europe/London).
cp "$root/tests/rota/data/small-spring.json" "$tmp/small-spring.json"
generate() { # generate NAME SIZE SEED WEEK
	"$gen" --size "$2" --seed "$3" --week "$4" --out "$tmp/$1.json" 2>/dev/null ||
		die "gen_instance --size $2 --seed $3 --week $4 failed"
	gen_commands+="    gen_instance --size $2 --seed $3 --week $4 --out $1.json"$'\n'
}
gen_commands=
generate small-may-s1 small 1 2026-05-11
generate small-autumn-s2 small 2 2026-10-19
generate medium-may-s1 medium 1 2026-05-11
generate medium-june-s2 medium 2 2026-06-08
generate medium-spring-dst-s1 medium 1 2026-03-23
generate medium-autumn-dst-s1 medium 1 2026-10-19
generate large-may-s1 large 1 2026-05-11
generate large-june-s2 large 2 2026-06-08

# --- helpers -----------------------------------------------------------------
term() { # term NAME FILE: the value on the line "NAME  N"
	awk -v n="$1" '$1 == n { print $2; exit }' "$2"
}
pct() { # pct A B: 100 * (A - B) / B with two decimals
	awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", 100 * (a - b) / b }'
}
failed=0
missed=
unproven=
miss() { # miss TEXT: a target not met
	missed+="- NOT MET: $*"$'\n'
	echo "bench_rota: target not met: $*" >&2
}

# solve NAME SECONDS: runs `carecoop solve` under GNU time, checks the rota,
# runs the greedy baseline, and sets the row's figures (R_*).
solve() {
	local name=$1 seconds=$2 inst="$tmp/$1.json" out="$tmp/$1.$2.sol.json"
	echo "bench_rota: $name: carecoop solve --seconds $seconds --seed 1"
	"$gnu_time" -v -o "$tmp/time.txt" "$bin" solve --instance "$inst" --out "$out" \
		--seconds "$seconds" --seed 1 >"$tmp/solve.txt" 2>"$tmp/solve.err" ||
		{ cat "$tmp/solve.err" >&2; die "$name: carecoop solve failed"; }
	grep -v '^  carer ' "$tmp/solve.txt"
	local check_status=0
	"$bin" check --instance "$inst" --solution "$out" >"$tmp/check.txt" || check_status=$?
	R_VIOL=$(term violations "$tmp/check.txt")
	if [ "$check_status" -ne 0 ] || [ "$R_VIOL" != 0 ]; then
		echo "bench_rota: FAIL: $name: carecoop check: $R_VIOL violations" >&2
		failed=1
	fi
	R_COST=$(term cost "$tmp/check.txt")
	[ "$R_COST" = "$(term cost "$tmp/solve.txt")" ] ||
		{ echo "bench_rota: FAIL: $name: check says cost $R_COST" >&2; failed=1; }
	R_TERMS="$(term uncovered "$tmp/check.txt") / $(term distinct "$tmp/check.txt") /"
	R_TERMS+=" $(term off_team "$tmp/check.txt") / $(term travel_minute "$tmp/check.txt") /"
	R_TERMS+=" $(term contract_minute "$tmp/check.txt")"
	R_TRAVEL=$(term travel_minute "$tmp/check.txt")
	local search
	search=$(grep '^search: ' "$tmp/solve.txt") || die "$name: no 'search:' line from solve"
	R_FIRST=$(sed 's/.*first feasible \([0-9.]*\) s.*/\1/' <<<"$search" |
		awk '{ printf "%.0f", $1 * 1000 }')
	R_BEST=$(sed 's/.*best at \([0-9.]*\) s.*/\1/' <<<"$search")
	R_TOTAL=$(sed 's/.*total \([0-9.]*\) s.*/\1/' <<<"$search")
	R_WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$tmp/time.txt")
	R_RSS=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$tmp/time.txt")
	"$greedy" "$inst" "$tmp/$name.greedy.json" >"$tmp/greedy.txt" ||
		die "$name: rota_greedy failed"
	"$bin" check --instance "$inst" --solution "$tmp/$name.greedy.json" >"$tmp/gcheck.txt" ||
		die "$name: the greedy rota does not check out"
	R_GREEDY=$(term cost "$tmp/greedy.txt")
	[ "$R_GREEDY" = "$(term cost "$tmp/gcheck.txt")" ] ||
		die "$name: greedy cost differs from carecoop check's"
	R_RATIO=$(awk -v a="$R_COST" -v b="$R_GREEDY" 'BEGIN { printf "%.3f", a / b }')
	R_SIZE=$(sed -n 's/^instance \([0-9]*\) carers, \([0-9]*\) recipients, \([0-9]*\) visits, \([0-9]*\) places$/\1 \/ \2 \/ \3 (\4)/p' \
		"$tmp/greedy.txt")
	R_ROW="| $name | $R_SIZE | $seconds | $R_COST | $R_TERMS | $R_VIOL | $R_FIRST |"
	R_ROW+=" $R_TOTAL | $R_BEST | $R_WALL | $R_RSS | $R_GREEDY | $R_RATIO |"
}

# --- small: against CBC --------------------------------------------------------
small_rows=
cbc_rows=
for name in small-spring small-may-s1 small-autumn-s2; do
	solve "$name" 10
	small_rows+="$R_ROW"$'\n'
	cost=$R_COST travel=$R_TRAVEL
	"$rota_lp" lp "$tmp/$name.json" "$tmp/$name.lp" >"$tmp/lp.txt" || die "$name: rota_lp failed"
	cat "$tmp/lp.txt"
	w_travel=$(sed -n 's/^weights.* travel_minute \([0-9]*\).*/\1/p' "$tmp/lp.txt")
	model=$(sed -n 's/^model: //p' "$tmp/lp.txt")
	echo "bench_rota: $name: cbc $name.lp sec $cbc_seconds solve solu $name.cbc"
	"$cbc" "$tmp/$name.lp" sec "$cbc_seconds" solve solu "$tmp/$name.cbc" >"$tmp/cbc.log" 2>&1 ||
		{ tail -20 "$tmp/cbc.log" >&2; die "$name: cbc failed"; }
	sed -n '/^Result - /,$p' "$tmp/cbc.log"
	result=$(sed -n 's/^Result - //p' "$tmp/cbc.log")
	obj=$(awk -F': *' '/^Objective value:/ { printf "%.0f", $2; exit }' "$tmp/cbc.log")
	bound=$(awk -F': *' '/^Lower bound:/ { printf "%.1f", $2; exit }' "$tmp/cbc.log")
	cbc_cpu=$(awk -F': *' '/^Time \(CPU seconds\):/ { printf "%.0f", $2; exit }' "$tmp/cbc.log")
	cbc_wall=$(awk -F': *' '/^Time \(Wallclock seconds\):/ { printf "%.0f", $2; exit }' \
		"$tmp/cbc.log")
	[ -n "$obj" ] || die "$name: CBC found no rota: $result"
	case $result in
	"Optimal solution found") status=optimal bound=$obj ;;
	"Stopped on time limit") status="time limit" ;;
	*) status=$result ;;
	esac
	[ -n "$bound" ] || bound=$obj
	# CBC's rota, judged by the project's checker: it must keep every rule
	# and cost, without travel, what CBC says.
	"$rota_lp" solution "$tmp/$name.json" "$tmp/$name.cbc" "$tmp/$name.cbc.json" ||
		die "$name: cannot read CBC's solution"
	"$bin" check --instance "$tmp/$name.json" --solution "$tmp/$name.cbc.json" \
		>"$tmp/cbc.check.txt" || {
		cat "$tmp/cbc.check.txt" >&2
		echo "bench_rota: FAIL: $name: CBC's rota breaks a hard rule (model error)" >&2
		failed=1
	}
	cbc_full=$(term cost "$tmp/cbc.check.txt")
	cbc_travel=$(term travel_minute "$tmp/cbc.check.txt")
	cbc_checked=$((cbc_full - w_travel * cbc_travel))
	[ "$cbc_checked" = "$obj" ] || {
		echo "bench_rota: FAIL: $name: CBC objective $obj, carecoop check without travel" \
			"$cbc_checked (model error)" >&2
		failed=1
	}
	nt=$((cost - w_travel * travel))
	gap_obj=$(pct "$nt" "$obj")
	gap_bound=$(pct "$nt" "$bound")
	cbc_rows+="| $name | $model | $status | $obj | $bound | $cbc_cpu / $cbc_wall |"
	cbc_rows+=" $nt | $gap_obj | $gap_bound | $cbc_full | $cost |"$'\n'
	# Met when proven (within 1 % of the bound); missed when proven (more
	# than 1 % above the optimum, or above a rota CBC found); else unproven.
	if awk -v g="$gap_bound" 'BEGIN { exit !(g > 1.0) }'; then
		if [ "$status" = optimal ]; then
			miss "$name: solver cost without travel $nt is $gap_obj % above the optimum $obj (target 1 %)"
		elif awk -v g="$gap_obj" 'BEGIN { exit !(g > 1.0) }'; then
			miss "$name: solver cost without travel $nt is $gap_obj % above CBC's best rota $obj," \
				"so more than 1 % above the optimum"
		else
			unproven+="- NOT PROVEN: $name: solver cost without travel $nt is $gap_obj % from"
			unproven+=" CBC's best rota ($obj) but $gap_bound % above CBC's bound ($bound) at"
			unproven+=" its time limit: the optimum lies between, so the 1 % target is"
			unproven+=" neither shown met nor shown missed"$'\n'
		fi
	fi
done

# --- medium, DST, large --------------------------------------------------------
medium_targets() { # medium_targets NAME
	[ "$R_VIOL" = 0 ] || miss "$1: $R_VIOL violations (target 0)"
	[ "$R_FIRST" -lt 1000 ] || miss "$1: first feasible rota after $R_FIRST ms (target < 1 s)"
	awk -v t="$R_TOTAL" 'BEGIN { exit !(t > 10.0) }' &&
		miss "$1: search ended after $R_TOTAL s with --seconds 10," \
			"$(awk -v t="$R_TOTAL" 'BEGIN { printf "%.0f", 1000 * t - 10000 }') ms over" \
			"(target: final rota within 10 s)"
	awk -v r="$R_RATIO" 'BEGIN { exit !(r > 0.60) }' &&
		miss "$1: cost $R_COST is $R_RATIO of the greedy baseline's $R_GREEDY (target <= 0.60)"
	return 0
}
medium_rows=
for name in medium-may-s1 medium-june-s2; do
	solve "$name" 10
	medium_rows+="$R_ROW"$'\n'
	medium_targets "$name"
done
dst_rows=
for name in medium-spring-dst-s1 medium-autumn-dst-s1; do
	solve "$name" 10
	dst_rows+="$R_ROW"$'\n'
	medium_targets "$name"
done
large_rows=
for run in "large-may-s1 10" "large-may-s1 30" "large-june-s2 30"; do
	read -r name seconds <<<"$run"
	solve "$name" "$seconds"
	large_rows+="$R_ROW"$'\n'
	[ "$R_VIOL" = 0 ] || miss "$name: $R_VIOL violations"
	awk -v t="$R_TOTAL" 'BEGIN { exit !(t > 30.0) }' &&
		miss "$name --seconds $seconds: search took $R_TOTAL s," \
			"$(awk -v t="$R_TOTAL" 'BEGIN { printf "%.0f", 1000 * t - 30000 }') ms over (target 30 s)"
	if [ "$seconds" -lt 30 ] && awk -v t="$R_WALL" 'BEGIN { exit !(t > 30.0) }'; then
		miss "$name --seconds $seconds: whole run $R_WALL s (target 30 s)"
	fi
	awk -v m="$R_RSS" 'BEGIN { exit !(m > 256) }' &&
		miss "$name: peak RSS $R_RSS MB (target 256 MB)"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the record -----------------------------------------------------------------
rel() { case "$1" in "$root"/*) echo "${1#"$root"/}" ;; *) echo "$1" ;; esac; }
version=$("$bin" --version 2>&1 | awk 'NR == 1')
sanitized=no
if ldd "$bin" 2>/dev/null | grep -Eq 'libasan|libubsan'; then
	sanitized="yes (figures are not comparable)"
fi
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
cbc_version=$("$cbc" -quit 2>&1 | awk '/^Version:/ { print $2; exit }')
header="| instance | carers / people / visits (places) | --seconds | cost | terms u / d / o / t / c | violations | first feasible ms | search s | best at s | process s | peak RSS MB | greedy cost | cost / greedy |"
rule="|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
[ -n "$missed$unproven" ] || missed="- none: every target below was met"$'\n'

section_file=$tmp/section.md
{
	echo "## $section"
	echo
	echo "Measured with:"
	echo
	echo "    cmake --build --preset release --target bench_rota"
	echo "    # runs: tests/bench/rota.sh $(rel "$bin") $(rel "$gen") $(rel "$greedy") $(rel "$rota_lp") $(rel "$md") $build_type"
	echo
	echo "- date: $(date -u)"
	echo "- machine: $(nproc) CPUs ($cpu), $mem memory, $(uname -sr); the solver is single-threaded"
	echo "- binary: $version, build type $build_type, sanitizers: $sanitized"
	echo "- load average (1, 5, 15 min): $load_before before the run, $load_after after;" \
		"other work on the machine slows every figure, most of all CBC's wall time"
	echo "- CBC $cbc_version (Debian coinor-cbc), one thread, time limit $cbc_seconds CPU seconds per instance"
	echo
	echo "Each rota comes from \`carecoop solve --instance I --out O --seconds S --seed 1\`"
	echo "run under \`/usr/bin/time -v\` (peak RSS, process wall time) and is judged by"
	echo "\`carecoop check --instance I --solution O\`: violations and cost are the"
	echo "checker's. Terms are the unweighted counts u = uncovered places, d = distinct"
	echo "carers summed over people, o = off-team places, t = travel minutes,"
	echo "c = minutes away from contract; every instance weighs them 10000 / 500 / 50 /"
	echo "2 / 1. First feasible is the end of the construction (the solver's rota"
	echo "keeps every rule from then on); search s is the solver's own total (it stops"
	echo "at --seconds), process s adds starting, reading the instance and writing the"
	echo "rota, so it runs a few hundredths over --seconds. The greedy baseline is"
	echo "\`rota_solve_greedy\` (visits by start time, each place to the allowed carer"
	echo "who has seen the person most, no search), run by tests/bench/rota_greedy.c and"
	echo "also judged by \`carecoop check\`. Instances (tests/rota/gen_instance.c, Europe/London):"
	echo
	echo "    tests/rota/data/small-spring.json (the golden-vector instance)"
	printf '%s' "$gen_commands"
	echo
	echo "Targets (issue 4): small within 1 % of the optimum; medium no violations,"
	echo "first feasible rota < 1 s, final rota within 10 s, cost <= 60 % of the greedy"
	echo "baseline's; large within 30 s and 256 MB; DST weeks as medium. Times are"
	echo "judged on the solver's own search time (search s), strictly; small costs"
	echo "without travel against CBC's optimum, or its bound and best rota."
	echo
	printf '%s%s' "$missed" "$unproven"
	echo
	echo "### Small: against the optimum CBC proves"
	echo
	echo "$header"
	echo "$rule"
	printf '%s' "$small_rows"
	echo
	echo "tests/bench/rota_lp.c writes each instance as a MIP in CPLEX LP format, reading"
	echo "it with the project's own adapter so that local times, DST and local days are"
	echo "those \`carecoop check\` uses: binary x[v,c] for the pairs that keep rules 1-2"
	echo "(available for the whole visit, every skill, not excluded), binary y[r,c]"
	echo "(carer c visits person r: y >= x), integer uncovered places u[v]; rule 3 as"
	echo "sum x + u = places; rules 4 (overlap, or less than the travel time between"
	echo "two visits of one local day) and 6 (less than the rest between day d and d+1)"
	echo "as pairwise conflicts x[v,c] + x[w,c] <= 1; rule 5 as weekly minutes <= max;"
	echo "|minutes - contract| = dp + dn with dp, dn >= 0. The objective is the cost"
	echo "WITHOUT travel: travel depends on each carer's order of visits, which this"
	echo "model leaves out. So the solver's cost is compared without its travel term"
	echo "(cost - 2 x travel minutes), and the solver, which also spends cost on travel,"
	echo "is at a slight disadvantage. CBC's rota is turned back into a solution and"
	echo "judged by \`carecoop check\`: it keeps every rule and its cost without travel"
	echo "equals CBC's objective (checked by the script), and its full cost, travel"
	echo "included, is shown beside the solver's."
	echo
	echo "    rota_lp lp I I.lp"
	echo "    cbc I.lp sec $cbc_seconds solve solu I.cbc"
	echo "    rota_lp solution I I.cbc I.cbc.json && carecoop check --instance I --solution I.cbc.json"
	echo
	echo "| instance | model | CBC result | CBC rota (no travel) | CBC bound | CBC CPU / wall s | solver cost without travel | solver vs CBC rota % | solver over bound % | CBC rota full cost (checked) | solver full cost |"
	echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	printf '%s' "$cbc_rows"
	echo
	echo "The model column counts x, y and u variables, rows, and pairwise conflicts."
	echo "\"Solver over bound\" is an upper limit on the solver's distance from the"
	echo "optimum (no rota costs less than the bound); \"solver vs CBC rota\" a lower"
	echo "limit (negative: the solver's rota is the better). When CBC proves"
	echo "optimality the two agree; when it stops on its time limit the optimum lies"
	echo "between its bound and its best rota."
	echo
	echo "### Medium"
	echo
	echo "$header"
	echo "$rule"
	printf '%s' "$medium_rows"
	echo
	echo "### Large"
	echo
	echo "$header"
	echo "$rule"
	printf '%s' "$large_rows"
	echo
	echo "### DST weeks (medium)"
	echo
	echo "The week of 23 March 2026 holds Sunday 29 March (clocks forward, a 23-hour"
	echo "day), the week of 19 October 2026 holds Sunday 25 October (clocks back, a"
	echo "25-hour day)."
	echo
	echo "$header"
	echo "$rule"
	printf '%s' "$dst_rows"
} >"$section_file"

# Replace the section (from its heading to the next "## " heading) or append it.
[ -f "$md" ] || die "no $md"
awk -v heading="## $section" -v file="$section_file" '
	function emit(  line) { while ((getline line < file) > 0) print line; close(file) }
	$0 == heading { emit(); skipping = 1; done = 1; next }
	skipping && /^## / { skipping = 0; print "" }
	!skipping { print }
	END { if (!done) { print ""; emit() } }
' "$md" >"$tmp/BENCHMARKS.md"
cp "$tmp/BENCHMARKS.md" "$md"
echo "bench_rota: wrote section \"$section\" of $md"
cat "$section_file"

[ "$failed" -eq 0 ] || die "a rota broke a hard rule or a cost disagreed; see above"
