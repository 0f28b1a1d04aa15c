/*
 * rota_plan: the steps of making a week's rota that both the server and the
 * demo co-op take: generate a draft from the care plans, and solve it
 * (keeping pinned visits) and save the result, recording changes once the
 * week is published.
 */
#include "rota_io/rota_plan.h"

#include <stdio.h>
#include <string.h>

#include "core/rota_report.h"
#include "core/text.h"
#include "db/db_care.h"
#include "db/db_people.h"
#include "rota_io/rota_db.h"
#include "rota_io/rota_model.h"

int rota_generate_week(struct db *db, void *arg)
{
	struct rota_generate *g = arg;
	struct db_week w;
	json_t *inst, *v;
	size_t i;
	int rc = db_week_by_start(db, g->week_start, &w);

	if (rc < 0)
		return -1;
	if (rc == 1 && strcmp(w.status, "draft") != 0) {
		g->conflict = 1;
		return -2;
	}
	if (rc == 0 && db_week_insert(db, g->week_start, db_now(), &w.id) <= 0)
		return -1;
	g->week_id = w.id;
	inst = rota_db_instance(db, g->week_start, ROTA_DB_PLANS, 0, g->err, sizeof g->err);
	if (inst == NULL)
		return -3;
	json_array_foreach (json_object_get(inst, "visits"), i, v) {
		struct db_visit dv;
		struct db_plan_line line;
		const char *id = json_string_value(json_object_get(v, "id"));
		const char *start = json_string_value(json_object_get(v, "start"));
		json_t *sk;
		size_t k;
		long long line_id = 0;
		int day = 0;

		memset(&dv, 0, sizeof dv);
		if (id == NULL || start == NULL || sscanf(id, "p%lld-%d", &line_id, &day) != 2 ||
		    db_plan_get(db, line_id, &line) <= 0) {
			json_decref(inst);
			return -1;
		}
		dv.week_id = w.id;
		dv.plan_line_id = line_id;
		dv.recipient_id = line.recipient_id;
		text_copy(dv.local_start, sizeof dv.local_start, start);
		if (rota_db_local_to_utc(db, start, &dv.starts_at) != 0) {
			json_decref(inst);
			return -1;
		}
		dv.minutes = line.minutes;
		dv.carers_needed = line.carers;
		json_array_foreach (json_object_get(v, "skills"), k, sk) {
			if (k > 0)
				strncat(dv.skills, ",", sizeof dv.skills - strlen(dv.skills) - 1);
			strncat(dv.skills, json_string_value(sk),
				sizeof dv.skills - strlen(dv.skills) - 1);
		}
		text_copy(dv.tasks, sizeof dv.tasks, line.tasks);
		/* Stable across rebuilds: the plan line and the local day. */
		snprintf(dv.uid, sizeof dv.uid, "visit-%lld-%.10s@carecoop", line_id, start);
		rc = db_visit_insert(db, &dv, db_now(), NULL);
		if (rc < 0) {
			json_decref(inst);
			return -1;
		}
		g->added += (size_t)rc;
	}
	json_decref(inst);
	return db_audit(db, g->user_id, "create", "rota_week", w.id, g->week_start);
}

struct apply_solution {
	struct rota_model *m;
	struct rota_solution *sol;
	int64_t user_id;
	bool published;
	int64_t cost, uncovered;
};

static bool same_carers(const struct rota_assignment *a, const struct rota_assignment *b)
{
	if (a->n != b->n)
		return false;
	for (uint32_t i = 0; i < a->n; i++) {
		bool found = false;
		for (uint32_t k = 0; k < b->n; k++)
			found |= a->carer[i] == b->carer[k];
		if (!found)
			return false;
	}
	return true;
}

static int apply_solution(struct db *db, void *arg)
{
	struct apply_solution *a = arg;
	struct rota_model *m = a->m;

	for (size_t i = 0; i < m->in->n_visits; i++) {
		int64_t ids[ROTA_LISTED_MAX];
		const struct rota_assignment *as = &a->sol->visit[i];

		if (m->pinned[i] || same_carers(as, &m->sol->visit[i]))
			continue;
		for (uint32_t k = 0; k < as->n; k++)
			ids[k] = m->carer_id[as->carer[k]];
		if (db_visit_set_carers(db, m->visit_id[i], ids, as->n, false, db_now()) < 0)
			return -1;
		if (a->published && db_change_insert(db, m->week.id, a->user_id, m->visit_id[i],
						     "re-planned by the solver", db_now()) < 0)
			return -1;
	}
	return db_week_solve_state(db, m->week.id, "done", a->cost, a->uncovered, "") < 0 ? -1 : 1;
}

int rota_solve_week(struct db *db, const struct db_week *w, const struct rota_solve_params *base,
		    int64_t user_id, char *err, size_t errlen)
{
	struct rota_solve_params params = *base;
	struct rota_solve_stats stats;
	struct rota_solution *out = NULL;
	struct rota_model *m = rota_model_load(db, w, err, errlen);
	struct rota_report rep;
	int rc = -1;

	if (m == NULL || (out = rota_solution_new(m->in->n_visits)) == NULL)
		goto out;
	params.initial = m->sol;
	params.pinned = m->pinned;
	if (rota_solve(m->in, &params, out, &stats) != ROTA_OK) {
		snprintf(err, errlen, "the solver could not run");
		goto out;
	}
	if (rota_report_make(m->in, out, &rep) != ROTA_OK)
		goto out;
	struct apply_solution a = {m,          out,
				   user_id,    strcmp(w->status, "published") == 0,
				   stats.cost, (int64_t)rep.uncovered};
	rota_report_release(&rep);
	if (db_tx(db, apply_solution, &a) < 0) {
		snprintf(err, errlen, "could not save the rota");
		goto out;
	}
	rc = 0;
out:
	rota_solution_free(out);
	rota_model_free(m);
	return rc;
}
