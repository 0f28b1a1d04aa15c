/*
 * surplus_year: the year's figures and the allocation of a surplus run.
 * See surplus_year.h.
 */
#include "rota_io/surplus_year.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rota_report.h"
#include "core/text.h"
#include "db/db_rota.h"
#include "rota_io/rota_model.h"

void surplus_year_free(struct surplus_year *y)
{
	free(y->m);
	free(y->info);
	free(y->window);
}

static int add_member(const struct db_surplus_member *dm, void *arg)
{
	struct surplus_year *y = arg;
	int32_t days = surplus_days_in(y->from, y->to, dm->joined_on, dm->left_on);

	if (days <= 0)
		return 0;
	if (y->n == y->cap) {
		size_t cap = y->cap ? y->cap * 2 : 64;
		void *a = realloc(y->m, cap * sizeof *y->m), *b, *c;
		if (a != NULL)
			y->m = a;
		b = realloc(y->info, cap * sizeof *y->info);
		if (b != NULL)
			y->info = b;
		c = realloc(y->window, cap * sizeof *y->window);
		if (c != NULL)
			y->window = c;
		if (a == NULL || b == NULL || c == NULL || cap > SURPLUS_MEMBERS_MAX) {
			snprintf(y->err, sizeof y->err, "too many memberships in the year");
			return 1;
		}
		y->cap = cap;
	}
	struct surplus_member *m = &y->m[y->n];
	struct db_surplus_line *l = &y->info[y->n];
	memset(m, 0, sizeof *m);
	memset(l, 0, sizeof *l);
	m->id = dm->membership_id;
	m->class_id = dm->class_id;
	m->days = days;
	m->good_standing = dm->good_standing;
	m->share_pence = dm->share_pence;
	l->membership_id = dm->membership_id;
	l->person_id = dm->person_id;
	text_copy(l->full_name, sizeof l->full_name, dm->full_name);
	l->class_id = dm->class_id;
	text_copy(y->window[y->n][0], 11,
		  strcmp(dm->joined_on, y->from) > 0 ? dm->joined_on : y->from);
	text_copy(y->window[y->n][1], 11,
		  dm->left_on[0] && strcmp(dm->left_on, y->to) < 0 ? dm->left_on : y->to);
	y->n++;
	return 0;
}

static int add_week(int64_t week_id, const char *week_start, void *arg)
{
	struct surplus_year *y = arg;

	if (y->nweeks == SURPLUS_YEAR_WEEKS_MAX)
		return 1;
	y->week_id[y->nweeks] = week_id;
	text_copy(y->week_start[y->nweeks++], 11, week_start);
	return 0;
}

/* Adds minutes to every membership of person whose window holds the week's
 * Monday (a week counts in the year, and in a membership, by its Monday). */
static void credit(struct surplus_year *y, int64_t person, const char *week_start, int64_t minutes,
		   bool worked)
{
	for (size_t i = 0; i < y->n; i++) {
		if (y->info[i].person_id != person || strcmp(week_start, y->window[i][0]) < 0 ||
		    strcmp(week_start, y->window[i][1]) > 0)
			continue;
		int64_t *v = worked ? &y->m[i].worked_minutes : &y->m[i].care_minutes;
		if (*v + minutes <= SURPLUS_MINUTES_MAX)
			*v += minutes;
	}
}

/* Hours worked (visit + travel minutes, as the weekly hours CSV counts them)
 * and care received (visit minutes, once per visit even with two carers)
 * in each published week of the year. */
static int load_hours(struct db *db, struct surplus_year *y)
{
	for (size_t k = 0; k < y->nweeks; k++) {
		struct db_week w;
		struct rota_model *m;
		struct rota_report rep;
		char err[200];

		if (db_week_get(db, y->week_id[k], &w) <= 0) {
			snprintf(y->err, sizeof y->err, "could not read the rota of %s",
				 y->week_start[k]);
			return -1;
		}
		if ((m = rota_model_load(db, &w, err, sizeof err)) == NULL) {
			snprintf(y->err, sizeof y->err, "cannot read the rota of %s: %s",
				 w.week_start, err);
			return -1;
		}
		if (rota_report_make(m->in, m->sol, &rep) != ROTA_OK) {
			rota_model_free(m);
			snprintf(y->err, sizeof y->err, "out of memory");
			return -1;
		}
		for (size_t i = 0; i < m->in->n_carers; i++)
			credit(y, m->carer_id[i], w.week_start,
			       (int64_t)rep.carers[i].minutes + rota_model_travel(m, i), true);
		for (size_t v = 0; v < m->in->n_visits; v++)
			credit(y, m->recipient_id[m->in->visits[v].recipient], w.week_start,
			       m->in->visits[v].minutes, false);
		rota_report_release(&rep);
		rota_model_free(m);
	}
	return 0;
}

int surplus_year_load(struct db *db, const struct db_surplus_run *run, struct surplus_year *y)
{
	y->from = run->year_start;
	y->to = run->year_end;
	if (db_surplus_member_each(db, y->from, y->to, add_member, y) < 0 ||
	    db_surplus_week_each(db, y->from, y->to, add_week, y) < 0) {
		snprintf(y->err, sizeof y->err, "could not read the members or the rotas");
		return -1;
	}
	if (y->err[0] != '\0')
		return -1;
	if (y->nweeks == SURPLUS_YEAR_WEEKS_MAX) {
		snprintf(y->err, sizeof y->err, "more than %d published rota weeks in the year",
			 SURPLUS_YEAR_WEEKS_MAX);
		return -1;
	}
	return load_hours(db, y);
}

enum surplus_error surplus_year_allocate(struct db *db, int64_t surplus,
					 const struct db_surplus_rulebook *rb,
					 struct surplus_year *y, struct surplus_alloc *a)
{
	struct surplus_input in = {.surplus_pence = surplus,
				   .year_days = surplus_days_in(y->from, y->to, y->from, ""),
				   .rules = {rb->reserve_bp, rb->fund_bp, rb->interest_bp,
					     rb->interest_cap_pence, rb->classes, rb->n_classes},
				   .members = y->m,
				   .n_members = y->n};
	size_t bad;

	memset(a, 0, sizeof *a);
	a->status = surplus_allocate(&in, &a->res, &bad);
	if (a->status != SURPLUS_OK && a->status != SURPLUS_NOTHING)
		return a->status;
	a->reserve_pence = a->res.reserve_pence;
	a->fund_pence = a->res.fund_pence;
	a->interest_pence = a->res.interest_pence;
	a->dividend_pence = a->res.dividend_pence;
	a->unassigned_pence = a->res.reserve_unassigned_pence;
	a->unclaimed_pence = a->res.reserve_unclaimed_pence;
	a->nc = rb->n_classes;
	for (size_t k = 0; k < rb->n_classes; k++) {
		struct db_surplus_class *c = &a->classes[k];
		const struct surplus_class_result *cr = &a->res.classes[k];
		memset(c, 0, sizeof *c);
		c->class_id = rb->classes[k].class_id;
		db_surplus_class_name(db, c->class_id, c->code, c->name);
		c->pool_bp = rb->classes[k].pool_bp;
		text_copy(c->basis, sizeof c->basis, surplus_basis_name(rb->classes[k].basis));
		c->pool_pence = cr->pool_pence;
		c->paid_pence = cr->paid_pence;
		c->weight_total = cr->weight_total;
		c->members = (int64_t)cr->members;
	}
	for (size_t i = 0; i < y->n; i++) {
		struct db_surplus_line *l = &y->info[i];
		const struct surplus_line *sl = &a->res.lines[i];
		l->days = y->m[i].days;
		l->good_standing = y->m[i].good_standing;
		l->worked_minutes = y->m[i].worked_minutes;
		l->care_minutes = y->m[i].care_minutes;
		l->share_pence = y->m[i].share_pence;
		l->weight = sl->weight;
		l->interest_pence = sl->interest_pence;
		l->dividend_pence = sl->dividend_pence;
		l->total_pence = sl->total_pence;
		l->basis[0] = '\0';
		for (size_t k = 0; k < a->nc; k++)
			if (a->classes[k].class_id == l->class_id) {
				text_copy(l->basis, sizeof l->basis, a->classes[k].basis);
				text_copy(l->class_code, sizeof l->class_code, a->classes[k].code);
				text_copy(l->class_name, sizeof l->class_name, a->classes[k].name);
			}
		if (l->basis[0] == '\0')
			db_surplus_class_name(db, l->class_id, l->class_code, l->class_name);
	}
	return a->status;
}
