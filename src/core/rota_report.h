/*
 * rota_report: the continuity figures reported with every solve, the
 * evidence of relationship-centred care that commissioners ask for: how many
 * different carers each person sees, how much of their care comes from their
 * own team, and each carer's hours against contract.
 *
 * Pure: plain structs in, figures out; no I/O, no formatting.
 */
#ifndef CARECOOP_CORE_ROTA_REPORT_H
#define CARECOOP_CORE_ROTA_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/rota.h"

struct rota_report_carer {
	int32_t minutes;          /* visit minutes assigned in the week */
	int32_t contract_minutes; /* from the instance */
	int32_t max_week_minutes; /* effective limit (rule 5) */
	uint32_t visits;          /* visits assigned */
};

struct rota_report {
	size_t people;                    /* recipients with at least one visit */
	double mean_distinct;             /* distinct carers per such person (0 if none) */
	uint32_t max_distinct;            /* most distinct carers any person sees */
	size_t team_places;               /* filled places of people with a team ... */
	size_t team_places_by_team;       /* ... filled by a member of that team */
	double team_share;                /* team_places_by_team / team_places (1 if none) */
	size_t places;                    /* carer places needed in the week */
	size_t uncovered;                 /* of which unfilled */
	struct rota_report_carer *carers; /* owned; one per instance carer */
	size_t n_carers;
};

/* Computes the figures for a solution of a validated instance. A carer
 * listed twice on a visit counts once (as in rota_evaluate()). Fills *out;
 * release with rota_report_release(). Returns ROTA_OK or ROTA_ERR_NOMEM (then
 * *out holds nothing to release). */
enum rota_error rota_report_make(const struct rota_instance *in, const struct rota_solution *sol,
				 struct rota_report *out);

/* Releases what rota_report_make() put in *rep and zeroes it. */
void rota_report_release(struct rota_report *rep);

#endif
