/*
 * rota_report: continuity figures of a rota (see rota_report.h). Pure.
 */
#include "core/rota_report.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool listed_before(const struct rota_assignment *a, uint32_t k)
{
	for (uint32_t j = 0; j < k; j++)
		if (a->carer[j] == a->carer[k])
			return true;
	return false;
}

static bool team_has(const struct rota_recipient *r, uint32_t c)
{
	for (size_t k = 0; k < r->n_team; k++)
		if (r->team[k] == c)
			return true;
	return false;
}

enum rota_error rota_report_make(const struct rota_instance *in, const struct rota_solution *sol,
				 struct rota_report *out)
{
	struct rota_report rep = {0};
	/* distinct carers per recipient: a mark per (recipient, carer) would be
	 * n_recipients * n_carers bytes; a per-recipient stamp array over the
	 * carers is enough because visits are grouped by recipient below */
	uint32_t *stamp = NULL, *order = NULL, *first = NULL, *count = NULL;
	enum rota_error rc = ROTA_ERR_NOMEM;
	uint64_t sum_distinct = 0;

	rep.carers = calloc(in->n_carers + 1, sizeof *rep.carers);
	stamp = calloc(in->n_carers + 1, sizeof *stamp);
	order = malloc((in->n_visits + 1) * sizeof *order);
	first = calloc(in->n_recipients + 2, sizeof *first);
	count = calloc(in->n_recipients + 1, sizeof *count);
	if (rep.carers == NULL || stamp == NULL || order == NULL || first == NULL || count == NULL)
		goto out;
	rep.n_carers = in->n_carers;
	for (size_t c = 0; c < in->n_carers; c++) {
		rep.carers[c].contract_minutes = in->carers[c].contract_minutes;
		rep.carers[c].max_week_minutes = in->carers[c].max_week_minutes;
	}
	/* counting sort of visits by recipient */
	for (size_t i = 0; i < in->n_visits; i++)
		first[in->visits[i].recipient + 1]++;
	for (size_t r = 0; r < in->n_recipients; r++)
		first[r + 1] += first[r];
	for (uint32_t i = 0; i < in->n_visits; i++) {
		uint32_t r = in->visits[i].recipient;

		order[first[r] + count[r]++] = i;
	}

	for (uint32_t r = 0; r < in->n_recipients; r++) {
		const struct rota_recipient *rr = &in->recipients[r];
		uint32_t distinct = 0;

		if (first[r] == first[r + 1])
			continue;
		rep.people++;
		for (uint32_t k = first[r]; k < first[r + 1]; k++) {
			uint32_t vi = order[k];
			const struct rota_visit *v = &in->visits[vi];
			const struct rota_assignment *a = &sol->visit[vi];
			uint32_t filled = 0;

			for (uint32_t j = 0; j < a->n; j++) {
				uint32_t c = a->carer[j];

				if (listed_before(a, j))
					continue;
				filled++;
				rep.carers[c].minutes += v->minutes;
				rep.carers[c].visits++;
				if (stamp[c] != r + 1) {
					stamp[c] = r + 1;
					distinct++;
				}
				if (rr->n_team > 0) {
					rep.team_places++;
					if (team_has(rr, c))
						rep.team_places_by_team++;
				}
			}
			rep.places += v->carers;
			if (filled < v->carers)
				rep.uncovered += v->carers - filled;
		}
		sum_distinct += distinct;
		if (distinct > rep.max_distinct)
			rep.max_distinct = distinct;
	}
	rep.mean_distinct = rep.people > 0 ? (double)sum_distinct / (double)rep.people : 0.0;
	rep.team_share = rep.team_places > 0
				 ? (double)rep.team_places_by_team / (double)rep.team_places
				 : 1.0;
	*out = rep;
	rep.carers = NULL;
	rc = ROTA_OK;
out:
	free(rep.carers);
	free(stamp);
	free(order);
	free(first);
	free(count);
	return rc;
}

void rota_report_release(struct rota_report *rep)
{
	if (rep == NULL)
		return;
	free(rep->carers);
	memset(rep, 0, sizeof *rep);
}
