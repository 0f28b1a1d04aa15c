/*
 * h_rota: the weekly rota: generate a draft from the care plans, solve it in
 * the background (keeping pinned visits), the board with each assignment's
 * reason, reassignment with a live rule check that explains refusals,
 * publishing with a change log, sickness cover that re-plans only the
 * affected visits, hours for payroll, and a carer's own week.
 *
 * Rules and cost are core/rota.c's; the week is loaded into core structs by
 * rota_model.c. Every change is one transaction.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/care.h"
#include "core/roles.h"
#include "core/rota.h"
#include "core/rota_report.h"
#include "core/rota_solve.h"
#include "core/text.h"
#include "core/week.h"
#include "db/db_care.h"
#include "db/db_rota.h"
#include "http/http_internal.h"
#include "rota_io/rota_model.h"
#include "rota_io/rota_db.h"
#include "rota_io/rota_plan.h"

#define NOTICE_SECONDS        (24 * 3600) /* changes this close to a visit need confirming */
#define SOLVE_SECONDS_DEFAULT 10
#define SOLVES_MAX            16

/* ---- background solves: progress kept in memory, results in the db ---- */

struct solve_slot {
	int64_t week_id; /* 0: free */
	int percent;
};

static pthread_mutex_t solves_lock = PTHREAD_MUTEX_INITIALIZER;
static struct solve_slot solves[SOLVES_MAX];

static int progress_of(int64_t week_id)
{
	int p = -1;

	pthread_mutex_lock(&solves_lock);
	for (int i = 0; i < SOLVES_MAX; i++)
		if (solves[i].week_id == week_id)
			p = solves[i].percent;
	pthread_mutex_unlock(&solves_lock);
	return p;
}

static void progress_set(int64_t week_id, int percent)
{
	int free_slot = -1;

	pthread_mutex_lock(&solves_lock);
	for (int i = 0; i < SOLVES_MAX; i++) {
		if (solves[i].week_id == week_id) {
			if (percent < 0)
				solves[i].week_id = 0;
			else
				solves[i].percent = percent;
			free_slot = -2;
			break;
		}
		if (solves[i].week_id == 0 && free_slot == -1)
			free_slot = i;
	}
	if (free_slot >= 0 && percent >= 0)
		solves[free_slot] = (struct solve_slot){week_id, percent};
	pthread_mutex_unlock(&solves_lock);
}

static int64_t now_ms(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- JSON ---- */

static json_t *week_json(const struct db_week *w)
{
	int p = progress_of(w->id);
	bool running = strcmp(w->solve_status, "running") == 0;

	return json_pack(
		"{s:I, s:s, s:s, s:I, s:{s:s, s:i, s:o, s:o, s:s}}", "id", (json_int_t)w->id,
		"week_start", w->week_start, "status", w->status, "version", (json_int_t)w->version,
		"solve", "status", w->solve_status, "progress",
		running ? (p < 0 ? 0 : p) : (strcmp(w->solve_status, "done") == 0 ? 100 : 0),
		"cost", w->solve_cost >= 0 ? json_integer(w->solve_cost) : json_null(), "uncovered",
		w->solve_uncovered >= 0 ? json_integer(w->solve_uncovered) : json_null(), "message",
		w->solve_message);
}

static int week_or_reply(struct http_req *req, int64_t id, struct db_week *w, enum MHD_Result *r)
{
	int rc = db_week_get(req->db, id, w);

	if (rc < 0)
		*r = http_reply_error(req, 500, NULL, "could not read the rota");
	else if (rc == 0)
		*r = http_reply_error(req, 404, "id", "no rota week with id %lld", (long long)id);
	return rc == 1 ? 0 : -1;
}

static int add_week(const struct db_week *w, void *arg)
{
	return json_array_append_new(arg, week_json(w));
}

enum MHD_Result h_rota_weeks_list(struct http_req *req)
{
	const char *start = http_query(req, "start");
	json_t *weeks = json_array();
	struct db_week w;

	if (*start != '\0') {
		int rc;
		if (!care_date_valid(start)) {
			json_decref(weeks);
			return http_reply_error(req, 400, "start",
						"start must be a date YYYY-MM-DD");
		}
		rc = db_week_by_start(req->db, start, &w);
		if (rc == 1)
			json_array_append_new(weeks, week_json(&w));
		else if (rc < 0) {
			json_decref(weeks);
			return http_reply_error(req, 500, NULL, "could not read the rota");
		}
	} else if (db_week_each(req->db, add_week, weeks) < 0) {
		json_decref(weeks);
		return http_reply_error(req, 500, NULL, "could not read the rota");
	}
	return http_reply_json(req, 200, json_pack("{s:o}", "weeks", weeks));
}

/* ---- generate ---- */

enum MHD_Result h_rota_weeks_create(struct http_req *req)
{
	struct rota_generate g = {.user_id = req->user.id};
	struct field_err e;
	struct db_week w;
	int rc;

	if (jf_string(req->json, "week_start", g.week_start, sizeof g.week_start, JF_REQUIRED, &e) <
	    0)
		return http_reply_field_error(req, 400, &e);
	if (!care_date_valid(g.week_start))
		return http_reply_error(req, 400, "week_start",
					"week_start must be a date YYYY-MM-DD");
	if (week_weekday(g.week_start) != 1)
		return http_reply_error(req, 400, "week_start", "%s is not a Monday", g.week_start);
	rc = db_tx(req->db, rota_generate_week, &g);
	if (rc == -2)
		return http_reply_error(req, 409, "week_start",
					"this week is published; change visits one by one");
	if (rc == -3)
		return http_reply_error(req, 400, NULL, "cannot build the rota: %s", g.err);
	if (rc < 0 || db_week_get(req->db, g.week_id, &w) <= 0)
		return http_reply_error(req, 500, NULL, "could not create the rota");
	return http_reply_json(
		req, 201,
		json_pack("{s:o, s:I}", "week", week_json(&w), "added", (json_int_t)g.added));
}

/* ---- board ---- */

struct board {
	struct db *db;
	struct rota_model *m;
	json_t *visits;
	int64_t team_recipient; /* cache of one recipient's team */
	int64_t team[12];
	size_t nteam;
};

static int cache_team(const struct db_team_member *tm, void *arg)
{
	struct board *b = arg;

	if (b->nteam < 12)
		b->team[b->nteam++] = tm->carer_id;
	return 0;
}

/* Why this carer: team rank, and how often they visit this person. */
static void reason_of(struct board *b, const struct db_visit *v, int64_t carer, char *out, size_t n)
{
	static const char *const nth[] = {"1st", "2nd", "3rd", "4th", "5th", "6th"};
	int rank = 0, visits = 0;
	ssize_t ci = rota_model_carer(b->m, carer);

	if (b->team_recipient != v->recipient_id) {
		b->nteam = 0;
		b->team_recipient = v->recipient_id;
		db_team_each(b->db, v->recipient_id, false, cache_team, b);
	}
	for (size_t i = 0; i < b->nteam; i++)
		if (b->team[i] == carer)
			rank = (int)i + 1;
	for (size_t i = 0; ci >= 0 && i < b->m->in->n_visits; i++) {
		if (b->m->recipient_id[b->m->in->visits[i].recipient] != v->recipient_id)
			continue;
		for (uint32_t k = 0; k < b->m->sol->visit[i].n; k++)
			if (b->m->sol->visit[i].carer[k] == (uint32_t)ci)
				visits++;
	}
	if (rank > 0)
		snprintf(out, n, "team member (%s choice), visits %s %d times this week",
			 rank <= 6 ? nth[rank - 1] : "later", v->recipient_name, visits);
	else
		snprintf(out, n, "not in %s's team, visits %d times this week", v->recipient_name,
			 visits);
}

static json_t *visit_json(struct board *b, const struct db_visit *v)
{
	json_t *carers = json_array(), *skills = json_array();
	char buf[200];

	for (unsigned i = 0; i < v->ncarers; i++) {
		char reason[200] = "";
		if (b != NULL) {
			size_t len;
			if (v->pinned[i])
				text_copy(reason, sizeof reason, "chosen by the coordinator; ");
			len = strlen(reason);
			reason_of(b, v, v->carer[i], reason + len, sizeof reason - len);
		}
		json_array_append_new(carers, json_pack("{s:I, s:s, s:b, s:s}", "id",
							(json_int_t)v->carer[i], "known_as",
							v->carer_name[i], "pinned", v->pinned[i],
							"reason", reason));
	}
	text_copy(buf, sizeof buf, v->skills);
	for (char *s = buf, *comma; *s != '\0'; s = comma + 1) {
		comma = strchr(s, ',');
		if (comma != NULL)
			*comma = '\0';
		json_array_append_new(skills, json_string(s));
		if (comma == NULL)
			break;
	}
	return json_pack(
		"{s:I, s:s, s:I, s:{s:I, s:s, s:s}, s:s, s:I, s:i, s:i, s:o, s:s, s:s, s:o,"
		" s:i}",
		"id", (json_int_t)v->id, "uid", v->uid, "sequence", (json_int_t)v->sequence,
		"recipient", "id", (json_int_t)v->recipient_id, "known_as", v->recipient_name,
		"area", v->area, "local_start", v->local_start, "starts_at",
		(json_int_t)v->starts_at, "minutes", v->minutes, "carers_needed", v->carers_needed,
		"skills", skills, "tasks", v->tasks, "status", v->status, "carers", carers,
		"uncovered",
		strcmp(v->status, "planned") == 0 ? v->carers_needed - (int)v->ncarers : 0);
}

static int add_visit(const struct db_visit *v, void *arg)
{
	struct board *b = arg;

	return json_array_append_new(b->visits, visit_json(b, v));
}

enum MHD_Result h_rota_week_get(struct http_req *req)
{
	struct db_week w;
	struct board b = {.db = req->db};
	struct rota_report rep;
	json_t *carers;
	enum MHD_Result r;
	char err[256];

	if (week_or_reply(req, req->params[0], &w, &r) < 0)
		return r;
	b.m = rota_model_load(req->db, &w, err, sizeof err);
	if (b.m == NULL)
		return http_reply_error(req, 400, NULL, "cannot read this rota: %s", err);
	if (rota_report_make(b.m->in, b.m->sol, &rep) != ROTA_OK) {
		rota_model_free(b.m);
		return http_reply_error(req, 500, NULL, "out of memory");
	}
	b.visits = json_array();
	carers = json_array();
	for (size_t i = 0; i < b.m->in->n_carers; i++) {
		struct db_person p;
		if (db_person_get(req->db, b.m->carer_id[i], &p) <= 0)
			continue;
		json_array_append_new(carers,
				      json_pack("{s:I, s:s, s:i, s:i, s:i, s:i}", "id",
						(json_int_t)p.id, "known_as", p.known_as,
						"contract_minutes", rep.carers[i].contract_minutes,
						"visit_minutes", rep.carers[i].minutes,
						"travel_minutes", rota_model_travel(b.m, i),
						"visits", rep.carers[i].visits));
	}
	if (db_visit_each(req->db, w.id, add_visit, &b) < 0) {
		json_decref(b.visits);
		json_decref(carers);
		rota_report_release(&rep);
		rota_model_free(b.m);
		return http_reply_error(req, 500, NULL, "could not read the visits");
	}
	r = http_reply_json(req, 200,
			    json_pack("{s:o, s:o, s:o, s:{s:I, s:I, s:f, s:i, s:f}}", "week",
				      week_json(&w), "visits", b.visits, "carers", carers,
				      "figures", "visits", (json_int_t)b.m->in->n_visits,
				      "uncovered_places", (json_int_t)rep.uncovered,
				      "mean_distinct_carers", rep.mean_distinct,
				      "max_distinct_carers", (int)rep.max_distinct, "team_share",
				      rep.team_share));
	rota_report_release(&rep);
	rota_model_free(b.m);
	return r;
}

/* ---- solving in the background ---- */

struct solve_job {
	char db_path[4096];
	struct db_week week;
	int seconds;
	int64_t user_id;
};

struct solve_progress {
	int64_t week_id;
	int64_t start_ms, limit_ms;
};

static int64_t job_clock(void *ctx)
{
	return now_ms(ctx);
}

static void job_progress(void *ctx, const struct rota_progress *p)
{
	struct solve_progress *sp = ctx;
	int pct = sp->limit_ms > 0 ? (int)(p->elapsed_ms * 100 / sp->limit_ms) : 50;

	progress_set(sp->week_id, pct > 99 ? 99 : pct);
}

static void *solve_thread(void *arg)
{
	struct solve_job *job = arg;
	struct solve_progress sp = {.week_id = job->week.id};
	struct rota_solve_params params = {0};
	char err[256] = "";
	struct db *db = db_open(job->db_path, err, sizeof err);

	sp.start_ms = now_ms(NULL);
	sp.limit_ms = job->seconds * 1000;
	params.seed = (uint64_t)job->week.id * 7919u + 1;
	params.time_limit_ms = sp.limit_ms;
	params.clock_ms = job_clock;
	params.progress = job_progress;
	params.ctx = &sp;
	if (db == NULL ||
	    rota_solve_week(db, &job->week, &params, job->user_id, err, sizeof err) < 0) {
		if (db != NULL)
			db_week_solve_state(db, job->week.id, "failed", -1, -1,
					    err[0] != '\0' ? err : "out of memory");
	}
	progress_set(job->week.id, -1);
	db_close(db);
	free(job);
	return NULL;
}

struct start_solve {
	int64_t week_id;
	int busy;
};

static int mark_running(struct db *db, void *arg)
{
	struct start_solve *s = arg;
	struct db_week w;

	if (db_week_get(db, s->week_id, &w) <= 0)
		return -1;
	if (strcmp(w.solve_status, "running") == 0) {
		s->busy = 1;
		return -2;
	}
	return db_week_solve_state(db, s->week_id, "running", -1, -1, "");
}

enum MHD_Result h_rota_solve(struct http_req *req)
{
	struct db_week w;
	struct start_solve s = {.week_id = req->params[0]};
	struct solve_job *job;
	struct field_err e;
	int64_t seconds = SOLVE_SECONDS_DEFAULT;
	enum MHD_Result r;
	pthread_t t;
	pthread_attr_t attr;

	if (week_or_reply(req, req->params[0], &w, &r) < 0)
		return r;
	if (jf_int(req->json, "seconds", 1, 60, &seconds, 0, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	if (db_tx(req->db, mark_running, &s) < 0)
		return s.busy ? http_reply_error(req, 409, NULL,
						 "this week is being solved already")
			      : http_reply_error(req, 500, NULL, "could not start the solver");
	job = calloc(1, sizeof *job);
	if (job == NULL)
		return http_reply_error(req, 503, NULL, "out of memory");
	text_copy(job->db_path, sizeof job->db_path, req->cfg->db_path);
	job->week = w;
	job->seconds = (int)seconds;
	job->user_id = req->user.id;
	progress_set(w.id, 0);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, solve_thread, job) != 0) {
		pthread_attr_destroy(&attr);
		free(job);
		progress_set(w.id, -1);
		db_week_solve_state(req->db, w.id, "failed", -1, -1, "could not start a thread");
		return http_reply_error(req, 503, NULL, "could not start the solver");
	}
	pthread_attr_destroy(&attr);
	db_week_get(req->db, w.id, &w);
	return http_reply_json(req, 202, json_pack("{s:o}", "week", week_json(&w)));
}

/* ---- rule checks with reasons ---- */

struct reason_ctx {
	struct http_req *req;
	const struct rota_model *m;
	size_t visit;
	json_t *reasons;
};

/* Adds one reason naming the carer. */
static void reason(struct reason_ctx *rc, size_t carer, unsigned rule, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void reason(struct reason_ctx *rc, size_t carer, unsigned rule, const char *fmt, ...)
{
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	json_array_append_new(
		rc->reasons,
		json_pack("{s:I, s:i, s:s}", "carer",
			  (json_int_t)(carer < rc->m->in->n_carers ? rc->m->carer_id[carer] : 0),
			  "rule", (int)rule, "reason", msg));
}

static const char *carer_name(const struct rota_model *m, struct db *db, size_t c, char *buf,
			      size_t n)
{
	struct db_person p;

	if (c < m->in->n_carers && db_person_get(db, m->carer_id[c], &p) == 1)
		text_copy(buf, n, p.known_as);
	else
		text_copy(buf, n, "this carer");
	return buf;
}

static void hhmm_of(const struct db_visit *v, char out[6])
{
	text_copy(out, 6, strlen(v->local_start) == 16 ? v->local_start + 11 : "");
}

/* Explains why carer c cannot take visit v (rules 1-6), against the other
 * visits as they are. Adds nothing when c may take it. */
static void explain(struct reason_ctx *rc, struct rota_solution *sol, size_t c)
{
	const struct rota_model *m = rc->m;
	const struct rota_instance *in = m->in;
	const struct rota_visit *v = &in->visits[rc->visit];
	struct db *db = rc->req->db;
	char name[DB_TEXT_SHORT];
	int32_t minutes = 0;

	carer_name(m, db, c, name, sizeof name);
	if (!rota_carer_available(&in->carers[c], v->start, v->start + v->minutes))
		reason(rc, c, 1, "%s is not available then", name);
	if (!rota_carer_qualified(in, (uint32_t)c, (uint32_t)rc->visit))
		reason(rc, c, 2,
		       "%s lacks a skill this visit needs, or is not wanted by this person", name);
	for (size_t i = 0; i < in->n_visits; i++) {
		const struct rota_visit *o = &in->visits[i];
		bool theirs = false;
		for (uint32_t k = 0; k < sol->visit[i].n; k++)
			theirs |= sol->visit[i].carer[k] == c;
		if (!theirs || i == rc->visit)
			continue;
		minutes += o->minutes;
		struct db_visit dv;
		char at[6] = "";
		if (db_visit_get(db, m->visit_id[i], &dv) == 1)
			hhmm_of(&dv, at);
		int32_t travel =
			o->day == v->day
				? rota_travel_minutes(&in->rules,
						      in->recipients[o->recipient].location,
						      in->recipients[v->recipient].location)
				: 0;
		if (o->start < v->start + v->minutes && v->start < o->start + o->minutes) {
			reason(rc, c, 4, "%s is at the %s visit to %s then", name, at,
			       dv.recipient_name);
		} else if (o->day == v->day && o->start <= v->start &&
			   v->start - (o->start + o->minutes) < travel) {
			reason(rc, c, 4,
			       "%s has no travel time after the %s visit to %s (%d min needed)",
			       name, at, dv.recipient_name, travel);
		} else if (o->day == v->day && o->start > v->start &&
			   o->start - (v->start + v->minutes) < travel) {
			reason(rc, c, 4,
			       "%s has no travel time before the %s visit to %s (%d min needed)",
			       name, at, dv.recipient_name, travel);
		} else if (o->day == v->day + 1 &&
			   o->start - (v->start + v->minutes) < in->rules.min_rest_minutes) {
			reason(rc, c, 6, "%s would rest less than 11 h before the %s visit to %s",
			       name, at, dv.recipient_name);
		} else if (o->day + 1 == v->day &&
			   v->start - (o->start + o->minutes) < in->rules.min_rest_minutes) {
			reason(rc, c, 6, "%s would rest less than 11 h after the %s visit to %s",
			       name, at, dv.recipient_name);
		}
	}
	if (minutes + v->minutes > in->carers[c].max_week_minutes)
		reason(rc, c, 5, "%s would be over %d h this week", name,
		       in->carers[c].max_week_minutes / 60);
}

/* Reads "carers" into instance indices; replies on a fault. */
static int carers_or_reply(struct http_req *req, const struct rota_model *m, size_t visit,
			   uint32_t *idx, uint32_t *n, enum MHD_Result *r)
{
	json_t *list = json_object_get(req->json, "carers"), *v;
	size_t i;

	*n = 0;
	if (!json_is_array(list)) {
		*r = http_reply_error(req, 400, "carers", "carers must be a list of carer ids");
		return -1;
	}
	if (json_array_size(list) > m->in->visits[visit].carers) {
		*r = http_reply_error(req, 400, "carers", "this visit needs %u carer%s at most",
				      m->in->visits[visit].carers,
				      m->in->visits[visit].carers == 1 ? "" : "s");
		return -1;
	}
	json_array_foreach (list, i, v) {
		char field[32];
		ssize_t c = json_is_integer(v) ? rota_model_carer(m, json_integer_value(v)) : -1;

		snprintf(field, sizeof field, "carers[%zu]", i);
		if (c < 0) {
			*r = http_reply_error(req, 400, field, "not a carer");
			return -1;
		}
		for (uint32_t k = 0; k < *n; k++)
			if (idx[k] == (uint32_t)c) {
				*r = http_reply_error(req, 400, field,
						      "this carer is listed twice");
				return -1;
			}
		idx[(*n)++] = (uint32_t)c;
	}
	return 0;
}

/* Loads the visit's week model; replies on a fault. */
static struct rota_model *visit_model_or_reply(struct http_req *req, struct db_visit *dv,
					       ssize_t *vi, enum MHD_Result *r)
{
	struct db_week w;
	struct rota_model *m;
	char err[256];
	int rc = db_visit_get(req->db, req->params[0], dv);

	if (rc <= 0) {
		*r = rc < 0 ? http_reply_error(req, 500, NULL, "could not read the visit")
			    : http_reply_error(req, 404, "id", "no visit with id %lld",
					       (long long)req->params[0]);
		return NULL;
	}
	if (strcmp(dv->status, "planned") != 0) {
		*r = http_reply_error(req, 409, "id", "this visit is cancelled");
		return NULL;
	}
	if (db_week_get(req->db, dv->week_id, &w) <= 0 ||
	    (m = rota_model_load(req->db, &w, err, sizeof err)) == NULL) {
		*r = http_reply_error(req, 400, NULL, "cannot read this rota");
		return NULL;
	}
	*vi = rota_model_visit(m, dv->id);
	if (*vi < 0) {
		rota_model_free(m);
		*r = http_reply_error(req, 404, "id", "no visit with id %lld", (long long)dv->id);
		return NULL;
	}
	return m;
}

/* The reasons these carers cannot take the visit, others as they are. */
static json_t *check_carers(struct http_req *req, struct rota_model *m, size_t vi,
			    const uint32_t *idx, uint32_t n)
{
	struct reason_ctx rc = {req, m, vi, json_array()};
	struct rota_assignment saved = m->sol->visit[vi];

	m->sol->visit[vi].n = 0; /* the visit's own carers do not block themselves */
	for (uint32_t i = 0; i < n; i++)
		explain(&rc, m->sol, idx[i]);
	m->sol->visit[vi] = saved;
	return rc.reasons;
}

enum MHD_Result h_visit_check(struct http_req *req)
{
	struct db_visit dv;
	struct rota_model *m;
	uint32_t idx[ROTA_VISIT_CARERS];
	uint32_t n;
	ssize_t vi;
	enum MHD_Result r;
	json_t *reasons;

	if ((m = visit_model_or_reply(req, &dv, &vi, &r)) == NULL)
		return r;
	if (carers_or_reply(req, m, (size_t)vi, idx, &n, &r) < 0) {
		rota_model_free(m);
		return r;
	}
	reasons = check_carers(req, m, (size_t)vi, idx, n);
	rota_model_free(m);
	return http_reply_json(
		req, 200,
		json_pack("{s:b, s:o}", "ok", json_array_size(reasons) == 0, "reasons", reasons));
}

struct set_carers {
	int64_t visit_id, week_id, user_id;
	int64_t ids[ROTA_VISIT_CARERS];
	uint32_t n;
	bool pinned, published;
	char detail[300];
};

static int set_carers(struct db *db, void *arg)
{
	struct set_carers *s = arg;

	if (db_visit_set_carers(db, s->visit_id, s->ids, s->n, s->pinned, db_now()) < 0)
		return -1;
	if (s->published &&
	    db_change_insert(db, s->week_id, s->user_id, s->visit_id, s->detail, db_now()) < 0)
		return -1;
	return db_audit(db, s->user_id, "update", "visit", s->visit_id, s->detail);
}

enum MHD_Result h_visit_set_carers(struct http_req *req)
{
	struct db_visit dv;
	struct rota_model *m;
	struct set_carers s = {.pinned = true, .user_id = req->user.id};
	struct db_week w;
	char err[256];
	uint32_t idx[ROTA_VISIT_CARERS];
	struct field_err e;
	ssize_t vi;
	enum MHD_Result r;
	json_t *reasons;

	if ((m = visit_model_or_reply(req, &dv, &vi, &r)) == NULL)
		return r;
	if (carers_or_reply(req, m, (size_t)vi, idx, &s.n, &r) < 0 ||
	    jf_bool(req->json, "pinned", &s.pinned, 0, &e) < 0) {
		rota_model_free(m);
		return s.n == 0 && e.field[0] != '\0' ? http_reply_field_error(req, 400, &e) : r;
	}
	reasons = check_carers(req, m, (size_t)vi, idx, s.n);
	if (json_array_size(reasons) > 0) {
		json_t *first = json_array_get(reasons, 0);
		char field[24] = "carers";
		for (uint32_t i = 0; i < s.n; i++)
			if (m->carer_id[idx[i]] ==
			    json_integer_value(json_object_get(first, "carer")))
				snprintf(field, sizeof field, "carers[%u]", i);
		r = http_reply_json(req, 409,
				    json_pack("{s:s, s:s, s:o}", "error",
					      json_string_value(json_object_get(first, "reason")),
					      "field", field, "reasons", reasons));
		rota_model_free(m);
		return r;
	}
	json_decref(reasons);
	s.visit_id = dv.id;
	s.week_id = dv.week_id;
	s.published = strcmp(m->week.status, "published") == 0;
	snprintf(s.detail, sizeof s.detail, "%s %s: carers set to", dv.local_start,
		 dv.recipient_name);
	for (uint32_t i = 0; i < s.n; i++) {
		char name[DB_TEXT_SHORT];
		s.ids[i] = m->carer_id[idx[i]];
		carer_name(m, req->db, idx[i], name, sizeof name);
		strncat(s.detail, i == 0 ? " " : ", ", sizeof s.detail - strlen(s.detail) - 1);
		strncat(s.detail, name, sizeof s.detail - strlen(s.detail) - 1);
	}
	if (s.n == 0)
		strncat(s.detail, " nobody", sizeof s.detail - strlen(s.detail) - 1);
	rota_model_free(m);
	if (db_tx(req->db, set_carers, &s) < 0)
		return http_reply_error(req, 500, NULL, "could not save the visit");
	if (db_visit_get(req->db, dv.id, &dv) <= 0 || db_week_get(req->db, dv.week_id, &w) <= 0)
		return http_reply_error(req, 500, NULL, "could not read the visit");
	/* The reply carries the reasons, as the board does. */
	struct board b = {.db = req->db, .m = rota_model_load(req->db, &w, err, sizeof err)};
	r = http_reply_json(req, 200,
			    json_pack("{s:o}", "visit", visit_json(b.m != NULL ? &b : NULL, &dv)));
	rota_model_free(b.m);
	return r;
}

struct cancel {
	int64_t visit_id, week_id, user_id;
	bool published;
	char detail[DB_TEXT_LONG + 200];
};

static int cancel_visit(struct db *db, void *arg)
{
	struct cancel *c = arg;
	int rc = db_visit_cancel(db, c->visit_id, db_now());

	if (rc <= 0)
		return rc;
	if (c->published &&
	    db_change_insert(db, c->week_id, c->user_id, c->visit_id, c->detail, db_now()) < 0)
		return -1;
	return db_audit(db, c->user_id, "update", "visit", c->visit_id, c->detail);
}

enum MHD_Result h_visit_cancel(struct http_req *req)
{
	struct cancel c = {.user_id = req->user.id};
	char reason[DB_TEXT_LONG] = "";
	struct db_visit dv;
	struct db_week w;
	struct field_err e;
	int rc = db_visit_get(req->db, req->params[0], &dv);

	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not read the visit");
	if (rc == 0)
		return http_reply_error(req, 404, "id", "no visit with id %lld",
					(long long)req->params[0]);
	if (jf_string(req->json, "reason", reason, sizeof reason, 0, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	if (strcmp(dv.status, "planned") != 0)
		return http_reply_error(req, 409, "id", "this visit is already cancelled");
	if (db_week_get(req->db, dv.week_id, &w) <= 0)
		return http_reply_error(req, 500, NULL, "could not read the visit's week");
	c.visit_id = dv.id;
	c.week_id = dv.week_id;
	c.published = strcmp(w.status, "published") == 0;
	snprintf(c.detail, sizeof c.detail, "%s %s: cancelled%s%s", dv.local_start,
		 dv.recipient_name, reason[0] != '\0' ? ": " : "", reason);
	rc = db_tx(req->db, cancel_visit, &c);
	if (rc == 0)
		return http_reply_error(req, 409, "id", "this visit is already cancelled");
	if (rc < 0 || db_visit_get(req->db, dv.id, &dv) <= 0)
		return http_reply_error(req, 500, NULL, "could not cancel the visit");
	return http_reply_json(req, 200, json_pack("{s:o}", "visit", visit_json(NULL, &dv)));
}

/* ---- publish and changes ---- */

struct publish {
	int64_t week_id, user_id;
};

static int publish_week(struct db *db, void *arg)
{
	struct publish *p = arg;

	if (db_week_publish(db, p->week_id, p->user_id, db_now()) <= 0)
		return -1;
	return db_audit(db, p->user_id, "update", "rota_week", p->week_id, "published");
}

enum MHD_Result h_rota_publish(struct http_req *req)
{
	struct db_week w;
	struct publish p = {req->params[0], req->user.id};
	enum MHD_Result r;

	if (week_or_reply(req, req->params[0], &w, &r) < 0)
		return r;
	if (strcmp(w.solve_status, "running") == 0)
		return http_reply_error(req, 409, NULL, "wait for the solver to finish");
	if (db_tx(req->db, publish_week, &p) < 0 || db_week_get(req->db, w.id, &w) <= 0)
		return http_reply_error(req, 500, NULL, "could not publish");
	return http_reply_json(req, 200, json_pack("{s:o}", "week", week_json(&w)));
}

static int add_change(const struct db_change *c, void *arg)
{
	return json_array_append_new(arg, json_pack("{s:I, s:s, s:I, s:s}", "at", (json_int_t)c->at,
						    "user", c->user_email, "visit_id",
						    (json_int_t)c->visit_id, "detail", c->detail));
}

enum MHD_Result h_rota_changes(struct http_req *req)
{
	struct db_week w;
	enum MHD_Result r;
	json_t *list;

	if (week_or_reply(req, req->params[0], &w, &r) < 0)
		return r;
	list = json_array();
	if (db_change_each(req->db, w.id, add_change, list) < 0) {
		json_decref(list);
		return http_reply_error(req, 500, NULL, "could not read the changes");
	}
	return http_reply_json(req, 200, json_pack("{s:o}", "changes", list));
}

/* ---- sickness and leave cover ---- */

struct cover {
	struct http_req *req;
	int64_t week_id, carer_id, user_id;
	char start[17], end[17];
	bool confirm;
	bool recorded; /* the absence is in the database already */
	json_t *changes;
	char err[256];
};

/* Notes whether this absence is recorded already (a confirming call). */
static int same_absence(const struct db_exception *e, void *arg)
{
	struct cover *c = arg;

	if (strcmp(e->kind, "sickness") == 0 && strcmp(e->status, "approved") == 0 &&
	    strcmp(e->start, c->start) == 0 && strcmp(e->end, c->end) == 0)
		c->recorded = true;
	return 0;
}

static int cover_week(struct db *db, void *arg)
{
	struct cover *c = arg;
	struct db_week w;
	struct db_exception x;
	struct rota_model *m = NULL;
	struct rota_solution *out = NULL;
	struct rota_solve_params params = {0};
	bool *pinned = NULL;
	int64_t from, to, now = db_now();
	int rc = -1;

	memset(&x, 0, sizeof x);
	x.carer_id = c->carer_id;
	x.created_by = c->user_id;
	text_copy(x.kind, sizeof x.kind, "sickness");
	text_copy(x.start, sizeof x.start, c->start);
	text_copy(x.end, sizeof x.end, c->end);
	text_copy(x.status, sizeof x.status, "approved");
	text_copy(x.note, sizeof x.note, "entered with rota cover");
	if (db_week_get(db, c->week_id, &w) <= 0 ||
	    db_exception_each(db, c->carer_id, same_absence, c) < 0 ||
	    (!c->recorded && db_exception_insert(db, &x, now, &x.id) <= 0) ||
	    rota_db_local_to_utc(db, c->start, &from) != 0 ||
	    rota_db_local_to_utc(db, c->end, &to) != 0)
		goto out;
	/* The carer's absence is now in the instance: they cannot be chosen. */
	m = rota_model_load(db, &w, c->err, sizeof c->err);
	if (m == NULL)
		goto out;
	ssize_t ci = rota_model_carer(m, c->carer_id);
	pinned = calloc(m->in->n_visits + 1, sizeof *pinned);
	out = rota_solution_new(m->in->n_visits);
	if (ci < 0 || pinned == NULL || out == NULL)
		goto out;
	/* Only the affected visits move: the carer's visits in the period. */
	for (size_t i = 0; i < m->in->n_visits; i++) {
		const struct rota_visit *v = &m->in->visits[i];
		struct rota_assignment *as = &m->sol->visit[i];
		bool affected = false;
		int64_t vs = (int64_t)v->start * 60, ve = vs + (int64_t)v->minutes * 60;

		/* Visits that have started are history: they never move. */
		for (uint32_t k = 0; k < as->n; k++)
			if (as->carer[k] == (uint32_t)ci && vs < to && from < ve && vs >= now)
				affected = true;
		pinned[i] = !affected;
		if (affected) {
			uint32_t keep = 0;
			for (uint32_t k = 0; k < as->n; k++)
				if (as->carer[k] != (uint32_t)ci)
					as->carer[keep++] = as->carer[k];
			as->n = keep;
		}
	}
	params.seed = (uint64_t)c->carer_id * 31 + 7;
	params.max_iterations = 20000;
	params.initial = m->sol;
	params.pinned = pinned;
	if (rota_solve(m->in, &params, out, NULL) != ROTA_OK)
		goto out;
	for (size_t i = 0; i < m->in->n_visits; i++) {
		struct db_visit dv;
		json_t *fromj = json_array(), *toj = json_array();
		int64_t ids[ROTA_LISTED_MAX];
		bool notice, applied;

		if (pinned[i]) {
			json_decref(fromj);
			json_decref(toj);
			continue;
		}
		if (db_visit_get(db, m->visit_id[i], &dv) <= 0) {
			json_decref(fromj);
			json_decref(toj);
			goto out;
		}
		for (unsigned k = 0; k < dv.ncarers; k++)
			json_array_append_new(fromj, json_integer(dv.carer[k]));
		for (uint32_t k = 0; k < out->visit[i].n; k++) {
			ids[k] = m->carer_id[out->visit[i].carer[k]];
			json_array_append_new(toj, json_integer(ids[k]));
		}
		notice = dv.starts_at < now + NOTICE_SECONDS;
		applied = !notice || c->confirm;
		if (applied) {
			char detail[300];
			snprintf(detail, sizeof detail, "%s %s: cover for an absent carer",
				 dv.local_start, dv.recipient_name);
			if (db_visit_set_carers(db, dv.id, ids, out->visit[i].n, false, now) < 0 ||
			    (strcmp(w.status, "published") == 0 &&
			     db_change_insert(db, w.id, c->user_id, dv.id, detail, now) < 0))
				goto out;
		}
		json_array_append_new(
			c->changes,
			json_pack("{s:I, s:s, s:{s:I, s:s}, s:o, s:o, s:b, s:b}", "visit_id",
				  (json_int_t)dv.id, "local_start", dv.local_start, "recipient",
				  "id", (json_int_t)dv.recipient_id, "known_as", dv.recipient_name,
				  "from", fromj, "to", toj, "applied", applied,
				  "needs_confirmation", notice && !c->confirm));
	}
	rc = db_audit(db, c->user_id, "update", "rota_week", w.id, "sickness cover");
out:
	free(pinned);
	rota_solution_free(out);
	rota_model_free(m);
	return rc;
}

enum MHD_Result h_rota_cover(struct http_req *req)
{
	struct db_week w;
	struct cover c = {.req = req, .week_id = req->params[0], .user_id = req->user.id};
	struct field_err e;
	enum MHD_Result r;
	int64_t ws, we;

	if (week_or_reply(req, req->params[0], &w, &r) < 0)
		return r;
	if (jf_int(req->json, "carer_id", 1, INT64_MAX, &c.carer_id, JF_REQUIRED, &e) < 0 ||
	    jf_string(req->json, "start", c.start, sizeof c.start, JF_REQUIRED, &e) < 0 ||
	    jf_string(req->json, "end", c.end, sizeof c.end, JF_REQUIRED, &e) < 0 ||
	    jf_bool(req->json, "confirm", &c.confirm, 0, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	if (!db_is_carer(req->db, c.carer_id))
		return http_reply_error(req, 400, "carer_id", "%lld is not a carer",
					(long long)c.carer_id);
	if (!care_datetime_valid(c.start))
		return http_reply_error(req, 400, "start", "start must be YYYY-MM-DDTHH:MM");
	if (!care_datetime_valid(c.end))
		return http_reply_error(req, 400, "end", "end must be YYYY-MM-DDTHH:MM");
	if (strcmp(c.end, c.start) <= 0)
		return http_reply_error(req, 400, "end", "end must be after start");
	if (week_offset(w.week_start, c.end, &we) != 0 ||
	    week_offset(w.week_start, c.start, &ws) != 0 || we <= 0 || ws >= WEEK_MINUTES)
		return http_reply_error(req, 400, "start", "the period does not touch this week");
	if (strcmp(w.solve_status, "running") == 0)
		return http_reply_error(req, 409, NULL, "wait for the solver to finish");
	c.changes = json_array();
	if (db_tx(req->db, cover_week, &c) < 0) {
		json_decref(c.changes);
		return http_reply_error(req, 500, NULL, "could not plan the cover%s%s",
					c.err[0] ? ": " : "", c.err);
	}
	return http_reply_json(req, 200, json_pack("{s:o}", "changes", c.changes));
}

/* ---- hours for payroll ---- */

enum MHD_Result h_rota_hours_csv(struct http_req *req)
{
	static const char header[] =
		"carer_id,name,week_start,visits,visit_minutes,travel_minutes,contract_minutes\r\n";
	struct db_week w;
	struct rota_model *m;
	struct rota_report rep;
	struct textbuf b = {0};
	enum MHD_Result r;
	char err[256], filename[64];

	if (week_or_reply(req, req->params[0], &w, &r) < 0)
		return r;
	if ((m = rota_model_load(req->db, &w, err, sizeof err)) == NULL)
		return http_reply_error(req, 400, NULL, "cannot read this rota: %s", err);
	if (rota_report_make(m->in, m->sol, &rep) != ROTA_OK) {
		rota_model_free(m);
		return http_reply_error(req, 500, NULL, "out of memory");
	}
	textbuf_add(&b, header, sizeof header - 1);
	for (size_t i = 0; i < m->in->n_carers; i++) {
		struct db_person p;
		char num[32];
		if (db_person_get(req->db, m->carer_id[i], &p) <= 0)
			continue;
		snprintf(num, sizeof num, "%lld", (long long)p.id);
		textbuf_csv(&b, num, true, false);
		textbuf_csv(&b, p.full_name, false, false);
		textbuf_csv(&b, w.week_start, true, false);
		snprintf(num, sizeof num, "%u", rep.carers[i].visits);
		textbuf_csv(&b, num, true, false);
		snprintf(num, sizeof num, "%d", rep.carers[i].minutes);
		textbuf_csv(&b, num, true, false);
		snprintf(num, sizeof num, "%d", rota_model_travel(m, i));
		textbuf_csv(&b, num, true, false);
		snprintf(num, sizeof num, "%d", rep.carers[i].contract_minutes);
		textbuf_csv(&b, num, true, true);
	}
	rota_report_release(&rep);
	rota_model_free(m);
	snprintf(filename, sizeof filename, "hours-%s.csv", w.week_start);
	return http_reply_csv(req, &b, filename);
}

/* ---- a carer's own week ---- */

struct my_week {
	struct http_req *req;
	json_t *visits;
	int64_t me;
	int32_t minutes;
};

static int add_my_visit(const struct db_visit *v, void *arg)
{
	struct my_week *mw = arg;
	json_t *with = json_array();

	for (unsigned i = 0; i < v->ncarers; i++)
		if (v->carer[i] != mw->me)
			json_array_append_new(with, json_string(v->carer_name[i]));
	mw->minutes += v->minutes;
	return json_array_append_new(
		mw->visits, json_pack("{s:I, s:s, s:I, s:i, s:{s:s, s:s, s:s}, s:s, s:o}", "id",
				      (json_int_t)v->id, "local_start", v->local_start, "starts_at",
				      (json_int_t)v->starts_at, "minutes", v->minutes, "recipient",
				      "known_as", v->recipient_name, "address", v->address, "area",
				      v->area, "tasks", v->tasks, "with", with));
}

enum MHD_Result h_me_visits(struct http_req *req)
{
	const char *week = http_query(req, "week");
	struct my_week mw = {.req = req};
	struct db_week w;
	struct db_carer me;
	struct rota_model *m;
	char err[256];
	int32_t travel = 0;
	int rc;

	if (!care_date_valid(week) || week_weekday(week) != 1)
		return http_reply_error(req, 400, "week", "week must be a Monday YYYY-MM-DD");
	mw.me = db_person_of_user(req->db, req->user.id);
	if (mw.me <= 0 || db_carer_get(req->db, mw.me, &me) <= 0)
		return http_reply_error(req, 404, NULL, "you have no carer record");
	rc = db_week_by_start(req->db, week, &w);
	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not read the rota");
	if (rc == 0 || strcmp(w.status, "published") != 0)
		return http_reply_json(req, 200,
				       json_pack("{s:s, s:b, s:[], s:i, s:i, s:i}", "week_start",
						 week, "published", 0, "visits", "visit_minutes", 0,
						 "travel_minutes", 0, "contract_minutes",
						 me.contract_minutes));
	mw.visits = json_array();
	if (db_visit_each_of_carer(req->db, w.id, mw.me, add_my_visit, &mw) < 0) {
		json_decref(mw.visits);
		return http_reply_error(req, 500, NULL, "could not read your visits");
	}
	if ((m = rota_model_load(req->db, &w, err, sizeof err)) != NULL) {
		ssize_t ci = rota_model_carer(m, mw.me);
		if (ci >= 0)
			travel = rota_model_travel(m, (size_t)ci);
		rota_model_free(m);
	}
	return http_reply_json(req, 200,
			       json_pack("{s:s, s:b, s:o, s:i, s:i, s:i}", "week_start", week,
					 "published", 1, "visits", mw.visits, "visit_minutes",
					 mw.minutes, "travel_minutes", travel, "contract_minutes",
					 me.contract_minutes));
}
