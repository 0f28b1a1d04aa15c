/*
 * rota: the instance model, its validation, travel time and the checker of
 * hard rules and cost terms (shared/rota-instance.md). Pure: no I/O, no
 * clocks, no globals; allocation only for the checker's working lists.
 */
#include "core/rota.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EARTH_RADIUS_KM 6371.0

static const char *const term_names[ROTA_TERMS] = {
	[ROTA_TERM_UNCOVERED] = "uncovered",      [ROTA_TERM_DISTINCT] = "distinct",
	[ROTA_TERM_OFF_TEAM] = "off_team",        [ROTA_TERM_TRAVEL] = "travel_minute",
	[ROTA_TERM_CONTRACT] = "contract_minute",
};

const char *rota_term_name(enum rota_term t)
{
	return (unsigned)t < ROTA_TERMS ? term_names[t] : "?";
}

struct rota_instance *rota_instance_new(size_t n_carers, size_t n_recipients, size_t n_visits)
{
	struct rota_instance *in = NULL;

	if (n_carers > ROTA_CARERS_MAX || n_recipients > ROTA_RECIPIENTS_MAX ||
	    n_visits > ROTA_VISITS_MAX)
		goto fail;
	in = calloc(1, sizeof *in);
	if (in == NULL)
		goto fail;
	/* calloc(0) may return NULL: allocate at least one element each. */
	in->carers = calloc(n_carers + 1, sizeof *in->carers);
	in->recipients = calloc(n_recipients + 1, sizeof *in->recipients);
	in->visits = calloc(n_visits + 1, sizeof *in->visits);
	if (in->carers == NULL || in->recipients == NULL || in->visits == NULL)
		goto fail;
	in->n_carers = n_carers;
	in->n_recipients = n_recipients;
	in->n_visits = n_visits;
	return in;
fail:
	rota_instance_free(in);
	return NULL;
}

void rota_instance_free(struct rota_instance *in)
{
	if (in == NULL)
		return;
	if (in->carers != NULL)
		for (size_t i = 0; i < in->n_carers; i++)
			free(in->carers[i].available);
	if (in->recipients != NULL)
		for (size_t i = 0; i < in->n_recipients; i++) {
			free(in->recipients[i].team);
			free(in->recipients[i].excluded);
		}
	free(in->carers);
	free(in->recipients);
	free(in->visits);
	free(in);
}

struct rota_solution *rota_solution_new(size_t n_visits)
{
	struct rota_solution *sol = calloc(1, sizeof *sol);

	if (sol == NULL)
		return NULL;
	sol->visit = calloc(n_visits + 1, sizeof *sol->visit);
	if (sol->visit == NULL) {
		free(sol);
		return NULL;
	}
	sol->n_visits = n_visits;
	return sol;
}

void rota_solution_free(struct rota_solution *sol)
{
	if (sol == NULL)
		return;
	free(sol->visit);
	free(sol);
}

/* --- validation --------------------------------------------------------- */

static bool id_ok(const char *id)
{
	size_t n = strnlen(id, ROTA_ID_MAX + 1);

	return n > 0 && n <= ROTA_ID_MAX;
}

/* True if list (n carer indices) has an index out of range or a repeat;
 * *bad is then the offending entry. */
static bool carer_list_bad(const uint32_t *list, size_t n, size_t n_carers, size_t *bad)
{
	for (size_t i = 0; i < n; i++) {
		*bad = i;
		if (list[i] >= n_carers)
			return true;
		for (size_t j = 0; j < i; j++)
			if (list[j] == list[i])
				return true;
	}
	return false;
}

static int id_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Returns the first repeated id among n ids, or NULL. */
static const char *first_repeat(const char **ids, size_t n)
{
	qsort(ids, n, sizeof *ids, id_cmp);
	for (size_t i = 1; i < n; i++)
		if (strcmp(ids[i - 1], ids[i]) == 0)
			return ids[i];
	return NULL;
}

static enum rota_error check_ids_unique(const struct rota_instance *in, char *msg, size_t n)
{
	size_t total = in->n_carers + in->n_recipients + in->n_visits;
	const char **ids = malloc((total + 1) * sizeof *ids);
	const char *dup;
	enum rota_error rc = ROTA_ERR_NOMEM;
	size_t k;

	if (ids == NULL)
		goto out;
	rc = ROTA_ERR_INVALID;
	for (k = 0; k < in->n_carers; k++)
		ids[k] = in->carers[k].id;
	if ((dup = first_repeat(ids, k)) != NULL) {
		snprintf(msg, n, "carer %s: duplicate id", dup);
		goto out;
	}
	for (k = 0; k < in->n_recipients; k++)
		ids[k] = in->recipients[k].id;
	if ((dup = first_repeat(ids, k)) != NULL) {
		snprintf(msg, n, "recipient %s: duplicate id", dup);
		goto out;
	}
	for (k = 0; k < in->n_visits; k++)
		ids[k] = in->visits[k].id;
	if ((dup = first_repeat(ids, k)) != NULL) {
		snprintf(msg, n, "visit %s: duplicate id", dup);
		goto out;
	}
	rc = ROTA_OK;
out:
	free(ids);
	return rc;
}

static bool location_ok(struct rota_location l)
{
	return isfinite(l.lat) && isfinite(l.lon) && l.lat >= -90.0 && l.lat <= 90.0 &&
	       l.lon >= -180.0 && l.lon <= 180.0;
}

enum rota_error rota_instance_validate(const struct rota_instance *in, char *msg, size_t n)
{
	const struct rota_rules *r = &in->rules;
	uint64_t all_skills = in->n_skills >= 64 ? UINT64_MAX : (UINT64_C(1) << in->n_skills) - 1;
	size_t bad = 0;

	snprintf(msg, n, "invalid instance");
	if (r->max_week_minutes <= 0 || r->max_week_minutes > 7 * 1440) {
		snprintf(msg, n, "rules: max_week_minutes must be 1..10080");
		return ROTA_ERR_INVALID;
	}
	if (r->min_rest_minutes < 0 || r->min_rest_minutes > 1440) {
		snprintf(msg, n, "rules: min_rest_minutes must be 0..1440");
		return ROTA_ERR_INVALID;
	}
	if (!(r->speed_kmh > 0.0 && r->speed_kmh <= 1000.0)) {
		snprintf(msg, n, "rules: speed_kmh must be > 0 and at most 1000");
		return ROTA_ERR_INVALID;
	}
	if (!(r->road_factor > 0.0 && r->road_factor <= 10.0)) {
		snprintf(msg, n, "rules: road_factor must be > 0 and at most 10");
		return ROTA_ERR_INVALID;
	}
	for (int t = 0; t < ROTA_TERMS; t++)
		if (in->weight[t] < 0 || in->weight[t] > ROTA_WEIGHT_MAX) {
			snprintf(msg, n, "weights: %s must be 0..%d", term_names[t],
				 ROTA_WEIGHT_MAX);
			return ROTA_ERR_INVALID;
		}
	if (in->n_skills > ROTA_SKILLS_MAX || in->n_carers > ROTA_CARERS_MAX ||
	    in->n_recipients > ROTA_RECIPIENTS_MAX || in->n_visits > ROTA_VISITS_MAX) {
		snprintf(msg, n, "instance: too many skills, carers, recipients or visits");
		return ROTA_ERR_INVALID;
	}
	for (size_t i = 0; i < in->n_carers; i++) {
		const struct rota_carer *c = &in->carers[i];

		if (!id_ok(c->id)) {
			snprintf(msg, n, "carers[%zu]: id must be 1..%d bytes", i, ROTA_ID_MAX);
			return ROTA_ERR_INVALID;
		}
		if ((c->skills & ~all_skills) != 0) {
			snprintf(msg, n, "carer %s: skill out of range", c->id);
			return ROTA_ERR_INVALID;
		}
		if (c->contract_minutes < 0 || c->contract_minutes > 7 * 1440) {
			snprintf(msg, n, "carer %s: contract_minutes must be 0..10080", c->id);
			return ROTA_ERR_INVALID;
		}
		if (c->max_week_minutes < 0 || c->max_week_minutes > 7 * 1440) {
			snprintf(msg, n, "carer %s: max_week_minutes must be 0..10080", c->id);
			return ROTA_ERR_INVALID;
		}
		if (!location_ok(c->home)) {
			snprintf(msg, n, "carer %s: home is not a valid location", c->id);
			return ROTA_ERR_INVALID;
		}
		if (c->n_available > ROTA_SPANS_MAX ||
		    (c->n_available > 0 && c->available == NULL)) {
			snprintf(msg, n, "carer %s: at most %d available intervals", c->id,
				 ROTA_SPANS_MAX);
			return ROTA_ERR_INVALID;
		}
		for (size_t k = 0; k < c->n_available; k++)
			if (c->available[k].end <= c->available[k].start) {
				snprintf(msg, n,
					 "carer %s: available[%zu] must end after it starts", c->id,
					 k);
				return ROTA_ERR_INVALID;
			}
	}
	for (size_t i = 0; i < in->n_recipients; i++) {
		const struct rota_recipient *p = &in->recipients[i];

		if (!id_ok(p->id)) {
			snprintf(msg, n, "recipients[%zu]: id must be 1..%d bytes", i, ROTA_ID_MAX);
			return ROTA_ERR_INVALID;
		}
		if (!location_ok(p->location)) {
			snprintf(msg, n, "recipient %s: location is not a valid location", p->id);
			return ROTA_ERR_INVALID;
		}
		if ((p->n_team > 0 && p->team == NULL) ||
		    carer_list_bad(p->team, p->n_team, in->n_carers, &bad)) {
			snprintf(msg, n, "recipient %s: team[%zu] is not a carer or is repeated",
				 p->id, bad);
			return ROTA_ERR_INVALID;
		}
		if ((p->n_excluded > 0 && p->excluded == NULL) ||
		    carer_list_bad(p->excluded, p->n_excluded, in->n_carers, &bad)) {
			snprintf(msg, n,
				 "recipient %s: excluded[%zu] is not a carer or is repeated", p->id,
				 bad);
			return ROTA_ERR_INVALID;
		}
	}
	for (size_t i = 0; i < in->n_visits; i++) {
		const struct rota_visit *v = &in->visits[i];

		if (!id_ok(v->id)) {
			snprintf(msg, n, "visits[%zu]: id must be 1..%d bytes", i, ROTA_ID_MAX);
			return ROTA_ERR_INVALID;
		}
		if (v->recipient >= in->n_recipients) {
			snprintf(msg, n, "visit %s: recipient does not exist", v->id);
			return ROTA_ERR_INVALID;
		}
		if (v->minutes <= 0 || v->minutes > ROTA_VISIT_MINUTES) {
			snprintf(msg, n, "visit %s: minutes must be 1..%d", v->id,
				 ROTA_VISIT_MINUTES);
			return ROTA_ERR_INVALID;
		}
		if (v->start > INT32_MAX - ROTA_VISIT_MINUTES) {
			snprintf(msg, n, "visit %s: start out of range", v->id);
			return ROTA_ERR_INVALID;
		}
		if (v->day < 0 || v->day >= ROTA_DAYS) {
			snprintf(msg, n, "visit %s: day must be 0..%d", v->id, ROTA_DAYS - 1);
			return ROTA_ERR_INVALID;
		}
		if (v->carers < 1 || v->carers > ROTA_VISIT_CARERS) {
			snprintf(msg, n, "visit %s: carers must be 1 or 2", v->id);
			return ROTA_ERR_INVALID;
		}
		if ((v->skills & ~all_skills) != 0) {
			snprintf(msg, n, "visit %s: skill out of range", v->id);
			return ROTA_ERR_INVALID;
		}
	}
	return check_ids_unique(in, msg, n);
}

/* --- rules and terms ------------------------------------------------------ */

int32_t rota_travel_minutes(const struct rota_rules *rules, struct rota_location a,
			    struct rota_location b)
{
	const double rad = M_PI / 180.0;
	double lat1 = a.lat * rad, lon1 = a.lon * rad;
	double lat2 = b.lat * rad, lon2 = b.lon * rad;
	double s1 = sin((lat2 - lat1) / 2.0), s2 = sin((lon2 - lon1) / 2.0);
	double h = s1 * s1 + cos(lat1) * cos(lat2) * s2 * s2;
	double km, minutes;

	if (h > 1.0)
		h = 1.0;
	km = 2.0 * EARTH_RADIUS_KM * asin(sqrt(h));
	/* Same order of operations as the contract states it, so that a
	 * distance on a whole-minute boundary rounds the same way. */
	minutes = ceil(km * rules->road_factor / rules->speed_kmh * 60.0);
	return minutes > INT32_MAX / 2 ? INT32_MAX / 2 : (int32_t)minutes;
}

bool rota_carer_available(const struct rota_carer *c, int32_t start, int32_t end)
{
	for (size_t k = 0; k < c->n_available; k++)
		if (c->available[k].start <= start && end <= c->available[k].end)
			return true;
	return false;
}

bool rota_carer_qualified(const struct rota_instance *in, uint32_t carer, uint32_t visit)
{
	const struct rota_visit *v = &in->visits[visit];
	const struct rota_recipient *r = &in->recipients[v->recipient];

	if ((v->skills & ~in->carers[carer].skills) != 0)
		return false;
	for (size_t k = 0; k < r->n_excluded; k++)
		if (r->excluded[k] == carer)
			return false;
	return true;
}

static bool in_team(const struct rota_recipient *r, uint32_t carer)
{
	for (size_t k = 0; k < r->n_team; k++)
		if (r->team[k] == carer)
			return true;
	return false;
}

/* Growable list of violations (bounded by the solution's size). */
struct vlist {
	struct rota_violation *v;
	size_t n, cap;
};

static bool vlist_add(struct vlist *l, uint32_t rule, uint32_t visit, uint32_t carer)
{
	if (l->n == l->cap) {
		size_t cap = l->cap == 0 ? 16 : 2 * l->cap;
		struct rota_violation *nv = realloc(l->v, cap * sizeof *nv);

		if (nv == NULL)
			return false;
		l->v = nv;
		l->cap = cap;
	}
	l->v[l->n++] = (struct rota_violation){rule, visit, carer};
	return true;
}

static int violation_cmp(const void *a, const void *b)
{
	const struct rota_violation *x = a, *y = b;

	if (x->visit != y->visit)
		return x->visit < y->visit ? -1 : 1;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	if (x->carer != y->carer)
		return x->carer < y->carer ? -1 : 1;
	return 0;
}

/* One (carer, visit) place of a solution, carers deduplicated. */
struct place {
	uint32_t carer;
	uint32_t visit;
	int32_t start;
};

static int place_cmp(const void *a, const void *b)
{
	const struct place *x = a, *y = b;

	if (x->carer != y->carer)
		return x->carer < y->carer ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->visit != y->visit)
		return x->visit < y->visit ? -1 : 1;
	return 0;
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Rules 4, 5, 6 and the travel and contract terms for one carer's places
 * p[0..n), sorted by start. */
static bool check_carer(const struct rota_instance *in, uint32_t c, const struct place *p, size_t n,
			struct vlist *vl, struct rota_eval *ev)
{
	const struct rota_carer *cr = &in->carers[c];
	int64_t total = 0;
	int32_t max_end = INT32_MIN;
	int32_t day_end[ROTA_DAYS];
	bool over = false;

	for (int d = 0; d < ROTA_DAYS; d++)
		day_end[d] = INT32_MIN;
	for (size_t i = 0; i < n; i++) {
		const struct rota_visit *v = &in->visits[p[i].visit];
		int32_t end = v->start + v->minutes;

		total += v->minutes;
		if (!over && total > cr->max_week_minutes) {
			over = true; /* rule 5: named at the visit that crosses the limit */
			if (!vlist_add(vl, 5, p[i].visit, c))
				return false;
		}
		if (i > 0) {
			const struct rota_visit *u = &in->visits[p[i - 1].visit];
			int32_t t = 0;

			if (u->day == v->day) {
				t = rota_travel_minutes(&in->rules,
							in->recipients[u->recipient].location,
							in->recipients[v->recipient].location);
				ev->term[ROTA_TERM_TRAVEL] += t;
			}
			/* rule 4: no overlap with any earlier visit, and travel
			 * time after the previous one on the same local day */
			if (v->start < max_end ||
			    (u->day == v->day && v->start - (u->start + u->minutes) < t))
				if (!vlist_add(vl, 4, p[i].visit, c))
					return false;
		}
		if (end > max_end)
			max_end = end;
		if (end > day_end[v->day])
			day_end[v->day] = end;
	}
	/* rule 6: a visit on day d+1 starts at least min_rest after every
	 * visit of day d ends, i.e. after the latest end of day d */
	for (size_t i = 0; i < n; i++) {
		const struct rota_visit *w = &in->visits[p[i].visit];

		if (w->day > 0 && day_end[w->day - 1] != INT32_MIN &&
		    (int64_t)w->start - day_end[w->day - 1] < in->rules.min_rest_minutes)
			if (!vlist_add(vl, 6, p[i].visit, c))
				return false;
	}
	ev->term[ROTA_TERM_CONTRACT] += llabs(total - cr->contract_minutes);
	return true;
}

enum rota_error rota_evaluate(const struct rota_instance *in, const struct rota_solution *sol,
			      struct rota_eval *out)
{
	struct vlist vl = {0};
	struct place *places = NULL;
	uint64_t *pairs = NULL; /* recipient * n_carers + carer, one per place */
	size_t np = 0, total = 0;
	enum rota_error rc = ROTA_ERR_NOMEM;
	struct rota_eval ev = {0};

	assert(sol->n_visits == in->n_visits);
	for (size_t i = 0; i < in->n_visits; i++)
		total += sol->visit[i].n;
	places = malloc((total + 1) * sizeof *places);
	pairs = malloc((total + 1) * sizeof *pairs);
	if (places == NULL || pairs == NULL)
		goto out;

	for (uint32_t i = 0; i < in->n_visits; i++) {
		const struct rota_assignment *a = &sol->visit[i];
		const struct rota_visit *v = &in->visits[i];
		const struct rota_recipient *r = &in->recipients[v->recipient];
		uint32_t distinct = 0;
		bool repeat = false;

		for (uint32_t k = 0; k < a->n; k++) {
			uint32_t c = a->carer[k];
			bool seen = false;

			assert(c < in->n_carers);
			for (uint32_t j = 0; j < k; j++)
				seen = seen || a->carer[j] == c;
			if (seen) {
				repeat = true;
				continue;
			}
			distinct++;
			if (!rota_carer_available(&in->carers[c], v->start,
						  v->start + v->minutes) &&
			    !vlist_add(&vl, 1, i, c))
				goto out;
			if (!rota_carer_qualified(in, c, i) && !vlist_add(&vl, 2, i, c))
				goto out;
			if (r->n_team > 0 && !in_team(r, c))
				ev.term[ROTA_TERM_OFF_TEAM]++;
			places[np] = (struct place){c, i, v->start};
			pairs[np] = (uint64_t)v->recipient * in->n_carers + c;
			np++;
		}
		if ((repeat || a->n > v->carers) && !vlist_add(&vl, 3, i, ROTA_NO_CARER))
			goto out;
		if (distinct < v->carers)
			ev.term[ROTA_TERM_UNCOVERED] += v->carers - distinct;
	}

	qsort(pairs, np, sizeof *pairs, u64_cmp);
	for (size_t k = 0; k < np; k++)
		if (k == 0 || pairs[k] != pairs[k - 1])
			ev.term[ROTA_TERM_DISTINCT]++;

	qsort(places, np, sizeof *places, place_cmp);
	for (size_t k = 0, next; k < np; k = next) {
		for (next = k; next < np && places[next].carer == places[k].carer; next++)
			;
		if (!check_carer(in, places[k].carer, places + k, next - k, &vl, &ev))
			goto out;
	}
	/* carers with no visit at all are still |0 - contract| away */
	for (size_t c = 0, k = 0; c < in->n_carers; c++) {
		while (k < np && places[k].carer < c)
			k++;
		if (k >= np || places[k].carer != c)
			ev.term[ROTA_TERM_CONTRACT] += in->carers[c].contract_minutes;
	}

	if (vl.n > 1)
		qsort(vl.v, vl.n, sizeof *vl.v, violation_cmp);
	for (int t = 0; t < ROTA_TERMS; t++)
		ev.cost += in->weight[t] * ev.term[t];
	ev.violations = vl.v;
	ev.n_violations = vl.n;
	vl.v = NULL;
	*out = ev;
	rc = ROTA_OK;
out:
	free(vl.v);
	free(places);
	free(pairs);
	return rc;
}

void rota_eval_release(struct rota_eval *ev)
{
	if (ev == NULL)
		return;
	free(ev->violations);
	memset(ev, 0, sizeof *ev);
}
