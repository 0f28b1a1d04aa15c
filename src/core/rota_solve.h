/*
 * rota_solve: builds a week's rota that keeps every hard rule of
 * shared/rota-instance.md and makes the cost low: first a best-insertion
 * construction, then an anytime large-neighbourhood search under simulated
 * annealing (remove a related group of assignments - one person's visits,
 * one carer's day, a person's rarely-seen carer and the team member who
 * could take over, an uncovered visit's blockers - and re-insert them at
 * least cost). The rota it holds is feasible at every step, so the best one
 * so far can be returned whenever time runs out.
 *
 * Pure: randomness comes from a PRNG seeded by the caller and owned by the
 * solve; "now" comes from a clock callback; no I/O, no globals. The search
 * path depends only on the instance, the seed and the initial solution:
 * the clock decides only where it stops, so a run bounded by max_iterations
 * alone is reproducible bit for bit.
 */
#ifndef CARECOOP_CORE_ROTA_SOLVE_H
#define CARECOOP_CORE_ROTA_SOLVE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/rota.h"

struct rota_progress {
	int64_t iterations; /* search iterations so far */
	int64_t elapsed_ms; /* since the solve started (0 without a clock) */
	int64_t cost;       /* of the best rota so far */
	int64_t uncovered;  /* its missing carer places */
};

struct rota_solve_params {
	uint64_t seed;                  /* any value; same seed, same search path */
	int64_t max_iterations;         /* stop after this many iterations; 0: no cap */
	int64_t time_limit_ms;          /* stop once this much time has passed (with clock_ms) */
	int64_t (*clock_ms)(void *ctx); /* monotonic milliseconds, or NULL: no time limit */
	void (*progress)(void *ctx, const struct rota_progress *p); /* on each new best; or NULL */
	void *ctx;                           /* passed to clock_ms and progress */
	const struct rota_solution *initial; /* start from its assignments (those that still
					      * keep the rules), or NULL */
	const bool *pinned; /* with initial: per visit, true = keep its carers as they are */
};

struct rota_solve_stats {
	int64_t iterations;        /* search iterations run */
	int64_t first_feasible_ms; /* construction done: the first rota that keeps every rule */
	int64_t best_ms;           /* when the returned rota was found */
	int64_t total_ms;          /* whole solve */
	int64_t construction_cost; /* cost of the first rota */
	int64_t cost;              /* cost of the returned rota */
	int64_t improvements;      /* new best rotas found by the search */
};

/* Solves a validated instance. params needs max_iterations > 0 or a clock
 * with time_limit_ms >= 0. Writes the rota into out (n_visits must match
 * the instance; each visit gets at most the carers it needs, distinct) and,
 * when stats is not NULL, the figures above. Every rota it returns keeps
 * hard rules 1-6; places it cannot fill are left uncovered. Returns ROTA_OK,
 * ROTA_ERR_NOMEM, or ROTA_ERR_INVALID for unusable params. */
enum rota_error rota_solve(const struct rota_instance *in, const struct rota_solve_params *params,
			   struct rota_solution *out, struct rota_solve_stats *stats);

/* The baseline that the solver is measured against: visits in order of
 * start time, each place given to the carer who may take it and has
 * visited this person most often so far (ties: a team member, then fewer
 * minutes, then instance order). Feasible, greedy, no search. */
enum rota_error rota_solve_greedy(const struct rota_instance *in, struct rota_solution *out);

#endif
