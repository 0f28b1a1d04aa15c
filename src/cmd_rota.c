/*
 * cmd_rota: `carecoop solve` and `carecoop check` (see cmd_rota.h). Reads
 * files through rota_io, decides with core, prints. The clock for the
 * solver's time limit lives here, not in core.
 */
#include "cmd_rota.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/rota.h"
#include "core/rota_report.h"
#include "core/rota_solve.h"
#include "core/text.h"
#include "rota_io/rota_json.h"

#define EXIT_USAGE      2
#define ERR_MAX         512
#define DEFAULT_SECONDS 10

static const char solve_usage[] =
	"usage: carecoop solve --instance FILE --out FILE [--seconds N] [--seed N] "
	"[--iterations N]\n"
	"  builds a rota for the instance (shared format carecoop-rota/1) and writes it to --out;\n"
	"  searches for --seconds (default 10) or --iterations, whichever ends first;\n"
	"  the same --seed and --iterations give the same rota\n";

static const char check_usage[] =
	"usage: carecoop check --instance FILE --solution FILE\n"
	"  prints each cost term, every hard-rule violation and the cost;\n"
	"  exits 1 when a hard rule is broken\n";

struct flag {
	const char *name;  /* "--instance" */
	const char *value; /* NULL until given */
};

static int usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "carecoop: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", usage);
	return EXIT_USAGE;
}

/* Fills flags[i].value from argv ("--f V" or "--f=V"). Returns 0 or the
 * usage exit status after printing one line naming the fault. */
static int parse_flags(struct flag *flags, size_t n, int argc, char **argv, const char *usage)
{
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i], *eq;
		size_t len, f;

		if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0')
			return usage_error(usage, "unexpected argument '%s'", arg);
		eq = strchr(arg, '=');
		len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
		for (f = 0; f < n; f++)
			if (strlen(flags[f].name) == len && strncmp(flags[f].name, arg, len) == 0)
				break;
		if (f == n)
			return usage_error(usage, "unknown flag '%s'", arg);
		if (flags[f].value != NULL)
			return usage_error(usage, "flag %s given twice", flags[f].name);
		if (eq != NULL)
			flags[f].value = eq + 1;
		else if (i + 1 < argc)
			flags[f].value = argv[++i];
		else
			return usage_error(usage, "flag %s needs a value", flags[f].name);
		if (flags[f].value[0] == '\0')
			return usage_error(usage, "flag %s needs a non-empty value", flags[f].name);
	}
	return 0;
}

static int need_flag(const struct flag *f, const char *usage)
{
	if (f->value == NULL)
		return usage_error(usage, "flag %s is required", f->name);
	return 0;
}

static int number_flag(const struct flag *f, int64_t min, int64_t max, int64_t *out,
		       const char *usage)
{
	if (f->value == NULL)
		return 0;
	if (text_parse_i64(f->value, min, max, out) != 0)
		return usage_error(usage, "flag %s must be a whole number from %lld to %lld",
				   f->name, (long long)min, (long long)max);
	return 0;
}

static void print_eval(FILE *out, const struct rota_instance *in, const struct rota_solution *sol,
		       const struct rota_eval *ev)
{
	for (int t = 0; t < ROTA_TERMS; t++)
		fprintf(out, "%-17s%lld\n", rota_term_name(t), (long long)ev->term[t]);
	for (size_t i = 0; i < ev->n_violations; i++) {
		const struct rota_violation *v = &ev->violations[i];

		fprintf(out, "violation rule %u %s ", v->rule, in->visits[v->visit].id);
		if (v->carer != ROTA_NO_CARER) {
			fprintf(out, "%s\n", in->carers[v->carer].id);
			continue;
		}
		for (uint32_t k = 0; k < sol->visit[v->visit].n; k++)
			fprintf(out, "%s%s", k > 0 ? "," : "",
				in->carers[sol->visit[v->visit].carer[k]].id);
		fprintf(out, "\n");
	}
	fprintf(out, "violations %zu\n", ev->n_violations);
	fprintf(out, "cost %lld\n", (long long)ev->cost);
}

int cmd_check(int argc, char **argv)
{
	struct flag flags[] = {{"--instance", NULL}, {"--solution", NULL}};
	struct rota_instance *in = NULL;
	struct rota_solution *sol = NULL;
	struct rota_eval ev = {0};
	char err[ERR_MAX];
	int rc;

	if ((rc = parse_flags(flags, 2, argc, argv, check_usage)) != 0 ||
	    (rc = need_flag(&flags[0], check_usage)) != 0 ||
	    (rc = need_flag(&flags[1], check_usage)) != 0)
		goto out;
	rc = 1;
	in = rota_json_read_instance(flags[0].value, err, sizeof err);
	if (in == NULL) {
		fprintf(stderr, "carecoop: %s: %s\n", flags[0].value, err);
		goto out;
	}
	sol = rota_json_read_solution(flags[1].value, in, err, sizeof err);
	if (sol == NULL) {
		fprintf(stderr, "carecoop: %s: %s\n", flags[1].value, err);
		goto out;
	}
	if (rota_evaluate(in, sol, &ev) != ROTA_OK) {
		fprintf(stderr, "carecoop: out of memory\n");
		goto out;
	}
	print_eval(stdout, in, sol, &ev);
	rc = ev.n_violations > 0 ? 1 : 0;
out:
	rota_eval_release(&ev);
	rota_solution_free(sol);
	rota_instance_free(in);
	return rc;
}

static int64_t monotonic_ms(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void print_report(FILE *out, const struct rota_instance *in, const struct rota_report *rep)
{
	fprintf(out, "continuity: distinct carers per person mean %.2f max %u (%zu people)\n",
		rep->mean_distinct, rep->max_distinct, rep->people);
	fprintf(out, "continuity: team share %.1f %% (%zu of %zu places of people with a team)\n",
		100.0 * rep->team_share, rep->team_places_by_team, rep->team_places);
	fprintf(out, "continuity: places filled %zu of %zu\n", rep->places - rep->uncovered,
		rep->places);
	fprintf(out, "hours against contract (h):\n");
	for (size_t c = 0; c < rep->n_carers; c++) {
		const struct rota_report_carer *rc = &rep->carers[c];

		fprintf(out,
			"  carer %-12s visits %3u hours %6.2f contract %6.2f diff %+7.2f max "
			"%6.2f\n",
			in->carers[c].id, rc->visits, rc->minutes / 60.0,
			rc->contract_minutes / 60.0, (rc->minutes - rc->contract_minutes) / 60.0,
			rc->max_week_minutes / 60.0);
	}
}

int cmd_solve(int argc, char **argv)
{
	struct flag flags[] = {{"--instance", NULL},
			       {"--out", NULL},
			       {"--seconds", NULL},
			       {"--seed", NULL},
			       {"--iterations", NULL}};
	struct rota_instance *in = NULL;
	struct rota_solution *sol = NULL;
	struct rota_eval ev = {0};
	struct rota_report rep = {0};
	struct rota_solve_stats st = {0};
	struct rota_solve_params p = {0};
	int64_t seconds = DEFAULT_SECONDS, seed = 1, iterations = 0;
	char err[ERR_MAX];
	int rc;

	if ((rc = parse_flags(flags, 5, argc, argv, solve_usage)) != 0 ||
	    (rc = need_flag(&flags[0], solve_usage)) != 0 ||
	    (rc = need_flag(&flags[1], solve_usage)) != 0 ||
	    (rc = number_flag(&flags[2], 0, 86400, &seconds, solve_usage)) != 0 ||
	    (rc = number_flag(&flags[3], 0, INT64_MAX, &seed, solve_usage)) != 0 ||
	    (rc = number_flag(&flags[4], 1, INT64_MAX, &iterations, solve_usage)) != 0)
		goto out;
	rc = 1;
	in = rota_json_read_instance(flags[0].value, err, sizeof err);
	if (in == NULL) {
		fprintf(stderr, "carecoop: %s: %s\n", flags[0].value, err);
		goto out;
	}
	sol = rota_solution_new(in->n_visits);
	if (sol == NULL) {
		fprintf(stderr, "carecoop: out of memory\n");
		goto out;
	}
	p.seed = (uint64_t)seed;
	p.max_iterations = iterations;
	p.clock_ms = monotonic_ms;
	p.time_limit_ms = seconds * 1000;
	if (rota_solve(in, &p, sol, &st) != ROTA_OK || rota_evaluate(in, sol, &ev) != ROTA_OK ||
	    rota_report_make(in, sol, &rep) != ROTA_OK) {
		fprintf(stderr, "carecoop: out of memory\n");
		goto out;
	}
	if (rota_json_write_solution(flags[1].value, in, sol, err, sizeof err) != 0) {
		fprintf(stderr, "carecoop: %s\n", err);
		goto out;
	}
	print_eval(stdout, in, sol, &ev);
	print_report(stdout, in, &rep);
	printf("search: first feasible %.3f s, best at %.3f s, total %.3f s, %lld iterations, "
	       "%lld improvements, construction cost %lld\n",
	       st.first_feasible_ms / 1000.0, st.best_ms / 1000.0, st.total_ms / 1000.0,
	       (long long)st.iterations, (long long)st.improvements,
	       (long long)st.construction_cost);
	if (ev.n_violations > 0 || ev.cost != st.cost) {
		fprintf(stderr, "carecoop: internal error: the solver's rota does not check out\n");
		goto out;
	}
	rc = 0;
out:
	rota_report_release(&rep);
	rota_eval_release(&ev);
	rota_solution_free(sol);
	rota_instance_free(in);
	return rc;
}
