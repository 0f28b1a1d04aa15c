/*
 * rota_model: a rota week loaded for the handlers: the instance built from
 * the database (rota_io/rota_db.c), parsed into core structs, and the
 * current assignments as a core solution, with the map from instance
 * indices back to database ids. Handlers evaluate, explain and solve on it.
 */
#include "rota_io/rota_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_rota.h"
#include "rota_io/rota_db.h"
#include "rota_io/rota_json.h"

static int64_t id_of(const char *s)
{
	return strtoll(s + 1, NULL, 10); /* "v12", "c7", "r3": a letter then digits */
}

struct fill {
	struct rota_model *m;
	json_t *assignments;
};

static int add_assignment(const struct db_visit *v, void *arg)
{
	struct fill *f = arg;
	json_t *carers = json_array();
	char id[32];

	if (strcmp(v->status, "planned") != 0) {
		json_decref(carers);
		return 0;
	}
	for (unsigned i = 0; i < v->ncarers; i++) {
		snprintf(id, sizeof id, "c%lld", (long long)v->carer[i]);
		json_array_append_new(carers, json_string(id));
	}
	snprintf(id, sizeof id, "v%lld", (long long)v->id);
	return json_array_append_new(f->assignments,
				     json_pack("{s:s, s:o}", "visit", id, "carers", carers)) != 0;
}

static int mark_pinned(const struct db_visit *v, void *arg)
{
	struct rota_model *m = arg;

	for (size_t i = 0; i < m->in->n_visits; i++)
		if (m->visit_id[i] == v->id) {
			for (unsigned k = 0; k < v->ncarers; k++)
				if (v->pinned[k])
					m->pinned[i] = true;
			break;
		}
	return 0;
}

void rota_model_free(struct rota_model *m)
{
	if (m == NULL)
		return;
	rota_solution_free(m->sol);
	rota_instance_free(m->in);
	free(m->visit_id);
	free(m->carer_id);
	free(m->recipient_id);
	free(m->pinned);
	free(m);
}

struct rota_model *rota_model_load(struct db *db, const struct db_week *w, char *err, size_t errlen)
{
	struct rota_model *m = calloc(1, sizeof *m);
	json_t *inst = NULL, *sol = NULL;
	char *text = NULL;
	struct fill f;

	if (m == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	m->week = *w;
	inst = rota_db_instance(db, w->week_start, ROTA_DB_VISITS, w->id, err, errlen);
	if (inst == NULL)
		goto fail;
	text = json_dumps(inst, JSON_COMPACT);
	if (text == NULL ||
	    (m->in = rota_json_parse_instance(text, strlen(text), err, errlen)) == NULL)
		goto fail;
	free(text);
	text = NULL;
	m->visit_id = calloc(m->in->n_visits + 1, sizeof *m->visit_id);
	m->carer_id = calloc(m->in->n_carers + 1, sizeof *m->carer_id);
	m->recipient_id = calloc(m->in->n_recipients + 1, sizeof *m->recipient_id);
	m->pinned = calloc(m->in->n_visits + 1, sizeof *m->pinned);
	if (m->visit_id == NULL || m->carer_id == NULL || m->recipient_id == NULL ||
	    m->pinned == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < m->in->n_visits; i++)
		m->visit_id[i] = id_of(m->in->visits[i].id);
	for (size_t i = 0; i < m->in->n_carers; i++)
		m->carer_id[i] = id_of(m->in->carers[i].id);
	for (size_t i = 0; i < m->in->n_recipients; i++)
		m->recipient_id[i] = id_of(m->in->recipients[i].id);
	f.m = m;
	f.assignments = json_array();
	sol = json_pack("{s:s, s:o}", "format", "carecoop-rota/1", "assignments", f.assignments);
	if (sol == NULL || db_visit_each(db, w->id, add_assignment, &f) < 0 ||
	    db_visit_each(db, w->id, mark_pinned, m) < 0) {
		snprintf(err, errlen, "could not read the assignments");
		goto fail;
	}
	text = json_dumps(sol, JSON_COMPACT);
	if (text == NULL ||
	    (m->sol = rota_json_parse_solution(text, strlen(text), m->in, err, errlen)) == NULL)
		goto fail;
	free(text);
	json_decref(sol);
	json_decref(inst);
	return m;
fail:
	free(text);
	json_decref(sol);
	json_decref(inst);
	rota_model_free(m);
	return NULL;
}

ssize_t rota_model_visit(const struct rota_model *m, int64_t visit_id)
{
	for (size_t i = 0; i < m->in->n_visits; i++)
		if (m->visit_id[i] == visit_id)
			return (ssize_t)i;
	return -1;
}

ssize_t rota_model_carer(const struct rota_model *m, int64_t carer_id)
{
	for (size_t i = 0; i < m->in->n_carers; i++)
		if (m->carer_id[i] == carer_id)
			return (ssize_t)i;
	return -1;
}

int32_t rota_model_travel(const struct rota_model *m, size_t carer)
{
	const struct rota_instance *in = m->in;
	uint32_t *mine = malloc((in->n_visits + 1) * sizeof *mine);
	size_t n = 0;
	int32_t travel = 0;

	if (mine == NULL)
		return 0;
	for (size_t v = 0; v < in->n_visits; v++)
		for (uint32_t k = 0; k < m->sol->visit[v].n; k++)
			if (m->sol->visit[v].carer[k] == carer)
				mine[n++] = (uint32_t)v;
	/* A carer has a few dozen visits a week: insertion sort by start. */
	for (size_t i = 1; i < n; i++) {
		uint32_t x = mine[i];
		size_t j = i;
		while (j > 0 && in->visits[mine[j - 1]].start > in->visits[x].start) {
			mine[j] = mine[j - 1];
			j--;
		}
		mine[j] = x;
	}
	for (size_t i = 1; i < n; i++) {
		const struct rota_visit *a = &in->visits[mine[i - 1]], *b = &in->visits[mine[i]];
		if (a->day == b->day)
			travel += rota_travel_minutes(&in->rules,
						      in->recipients[a->recipient].location,
						      in->recipients[b->recipient].location);
	}
	free(mine);
	return travel;
}
