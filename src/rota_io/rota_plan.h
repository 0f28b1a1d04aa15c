/*
 * rota_plan: generating and solving a rota week against the database,
 * shared by the server's rota handlers and the demo co-op.
 */
#ifndef CARECOOP_ROTA_IO_ROTA_PLAN_H
#define CARECOOP_ROTA_IO_ROTA_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "core/rota_solve.h"
#include "db/db.h"
#include "db/db_rota.h"

struct rota_generate {
	char week_start[11]; /* in: the Monday */
	int64_t user_id;     /* in: who, for the audit log */
	int64_t week_id;     /* out */
	int conflict;        /* out: the week is published */
	char err[256];       /* out: why the instance cannot be built */
	size_t added;        /* out: visits added */
};

/* db_tx callback (arg: struct rota_generate): creates the week if needed and
 * adds one visit per care plan line per day it applies, keeping visits and
 * assignments already there. Returns 1; -2 when the week is published; -3
 * when the plans cannot make an instance (err says why); -1 on error. */
int rota_generate_week(struct db *db, void *arg);

/* Solves week w from its current assignments, keeping pinned visits, with
 * params (seed, limits, clock, progress; initial and pinned are set here),
 * and saves the result in one transaction with the week's solve state.
 * Returns 0, or -1 with a reason in err. */
int rota_solve_week(struct db *db, const struct db_week *w, const struct rota_solve_params *params,
		    int64_t user_id, char *err, size_t errlen);

#endif
