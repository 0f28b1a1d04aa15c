/*
 * rota_greedy: runs the greedy baseline of core/rota_solve.h on an instance
 * and prints its cost the way `carecoop check` prints a rota, so that the
 * rota benchmark (tests/bench/rota.sh) can measure the solver against it.
 * `carecoop solve` has no switch for the baseline: the baseline is a yard
 * stick for benchmarks, not a choice offered to users.
 *
 *   rota_greedy INSTANCE [OUT]
 *
 * Prints the instance's size ("instance N carers, N recipients, N visits,
 * N places"), each cost term, "violations N", "cost N" and "time_ms N" (the
 * baseline's own run time); writes the rota to OUT when given, for
 * `carecoop check`. Exits 1 when the instance cannot be read or the rota
 * breaks a hard rule.
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "core/rota.h"
#include "core/rota_solve.h"
#include "rota_io/rota_json.h"

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	struct rota_instance *in = NULL;
	struct rota_solution *sol = NULL;
	struct rota_eval ev = {0};
	char err[512];
	int64_t t0;
	size_t places = 0;
	int rc = 1;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: rota_greedy INSTANCE [OUT]\n");
		return 2;
	}
	in = rota_json_read_instance(argv[1], err, sizeof err);
	if (in == NULL) {
		fprintf(stderr, "rota_greedy: %s: %s\n", argv[1], err);
		goto out;
	}
	sol = rota_solution_new(in->n_visits);
	if (sol == NULL) {
		fprintf(stderr, "rota_greedy: out of memory\n");
		goto out;
	}
	t0 = now_ms();
	if (rota_solve_greedy(in, sol) != ROTA_OK) {
		fprintf(stderr, "rota_greedy: out of memory\n");
		goto out;
	}
	t0 = now_ms() - t0;
	if (rota_evaluate(in, sol, &ev) != ROTA_OK) {
		fprintf(stderr, "rota_greedy: out of memory\n");
		goto out;
	}
	for (size_t v = 0; v < in->n_visits; v++)
		places += in->visits[v].carers;
	printf("instance %zu carers, %zu recipients, %zu visits, %zu places\n", in->n_carers,
	       in->n_recipients, in->n_visits, places);
	for (int t = 0; t < ROTA_TERMS; t++)
		printf("%-17s%lld\n", rota_term_name(t), (long long)ev.term[t]);
	printf("violations %zu\ncost %lld\ntime_ms %lld\n", ev.n_violations, (long long)ev.cost,
	       (long long)t0);
	if (argc == 3 && rota_json_write_solution(argv[2], in, sol, err, sizeof err) != 0) {
		fprintf(stderr, "rota_greedy: %s\n", err);
		goto out;
	}
	rc = ev.n_violations > 0 ? 1 : 0;
out:
	rota_eval_release(&ev);
	rota_solution_free(sol);
	rota_instance_free(in);
	return rc;
}
