/*
 * h_carers: carers' records, skills, weekly availability and dated
 * exceptions (leave, sickness, extra availability). A carer reads and edits
 * their own availability and asks for leave; coordinators see everyone and
 * decide on leave. Someone else's record answers 404, not 403, so ids do
 * not reveal who works here.
 */
#include <stdio.h>
#include <string.h>

#include "core/care.h"
#include "core/roles.h"
#include "core/text.h"
#include "db/db_care.h"
#include "http/http_internal.h"

#define STAFF (ROLE_ADMIN | ROLE_COORDINATOR)

/* True when the caller may see carer id: staff, or the carer themself. */
static bool may_see_carer(struct http_req *req, int64_t id)
{
	return HTTP_HAS(req, STAFF) || db_person_of_user(req->db, req->user.id) == id;
}

static enum MHD_Result no_carer(struct http_req *req, int64_t id)
{
	return http_reply_error(req, 404, "id", "no carer with id %lld", (long long)id);
}

static json_t *weekly_json(struct db *db, int64_t carer_id)
{
	struct care_span spans[CARE_SPANS_MAX];
	size_t n = 0;
	json_t *a = json_array();

	if (db_availability_get(db, carer_id, spans, CARE_SPANS_MAX, &n) < 0) {
		json_decref(a);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		char s[6], e[6];
		care_format_hhmm(spans[i].start_min, s);
		care_format_hhmm(spans[i].end_min, e);
		json_array_append_new(a, json_pack("{s:i, s:s, s:s}", "weekday", spans[i].weekday,
						   "start", s, "end", e));
	}
	return a;
}

static json_t *carer_json(struct db *db, const struct db_carer *c)
{
	json_t *o = person_json(&c->person), *skills = json_array(), *weekly;

	for (unsigned i = 0; i < c->nskills; i++)
		json_array_append_new(skills, json_string(c->skills[i]));
	json_object_set_new(o, "skills", skills);
	json_object_set_new(o, "contract_minutes", json_integer(c->contract_minutes));
	json_object_set_new(o, "max_week_minutes", json_integer(c->max_week_minutes));
	weekly = weekly_json(db, c->person.id);
	if (weekly == NULL) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "weekly", weekly);
	return o;
}

struct carer_list {
	struct db *db;
	json_t *out;
	int64_t only; /* 0: every carer; else this person only */
};

static int add_carer_json(const struct db_carer *c, void *arg)
{
	struct carer_list *l = arg;
	json_t *o;

	if (l->only != 0 && c->person.id != l->only)
		return 0;
	o = carer_json(l->db, c);
	return o == NULL || json_array_append_new(l->out, o) != 0;
}

enum MHD_Result h_carers_list(struct http_req *req)
{
	struct carer_list l = {req->db, NULL, 0};
	enum MHD_Result r;
	const char *q;

	if (http_query_search_or_reply(req, &q, &r) < 0)
		return r;
	if (!HTTP_HAS(req, STAFF)) {
		l.only = db_person_of_user(req->db, req->user.id);
		if (l.only <= 0)
			l.only = -1; /* a carer login with no person: nothing */
	}
	l.out = json_array();
	if (db_carer_each(req->db, q, add_carer_json, &l) < 0) {
		json_decref(l.out);
		return http_reply_error(req, 500, NULL, "could not list carers");
	}
	return http_reply_json(req, 200, json_pack("{s:o}", "carers", l.out));
}

enum MHD_Result h_carers_get(struct http_req *req)
{
	struct db_carer c;
	int64_t id = req->params[0];
	int rc;
	json_t *o;

	if (!may_see_carer(req, id))
		return no_carer(req, id);
	rc = db_carer_get(req->db, id, &c);
	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not read the carer");
	if (rc == 0)
		return no_carer(req, id);
	if ((o = carer_json(req->db, &c)) == NULL)
		return http_reply_error(req, 500, NULL, "could not read the carer");
	return http_reply_json(req, 200, json_pack("{s:o}", "carer", o));
}

struct carer_change {
	struct db_person person;
	bool new_person; /* create the person too */
	int64_t contract_minutes, max_week_minutes;
	int64_t skill_ids[DB_SKILLS_MAX];
	size_t nskills;
	bool skills_given;
	int64_t user_id;
};

/* Reads "skills": a list of known codes, into ids. */
static int skills_from_json(struct http_req *req, json_t *list, int64_t *ids, size_t *n,
			    struct field_err *e)
{
	size_t i;
	json_t *v;

	*n = 0;
	if (!json_is_array(list))
		return field_fail(e, "skills", "skills must be a list of skill codes");
	if (json_array_size(list) > DB_SKILLS_MAX)
		return field_fail(e, "skills", "at most %d skills", DB_SKILLS_MAX);
	json_array_foreach (list, i, v) {
		char field[32];
		int64_t id;

		snprintf(field, sizeof field, "skills[%zu]", i);
		if (!json_is_string(v) || !care_skill_code_valid(json_string_value(v)))
			return field_fail(e, field, "not a skill code");
		id = db_skill_id(req->db, json_string_value(v));
		if (id < 0)
			return field_fail(e, "", "could not read skills");
		if (id == 0)
			return field_fail(e, field, "no skill with code %s", json_string_value(v));
		ids[(*n)++] = id;
	}
	return 0;
}

static int carer_numbers(struct http_req *req, struct carer_change *c, unsigned req_flag,
			 struct field_err *e)
{
	json_t *skills = json_object_get(req->json, "skills");

	if (jf_int(req->json, "contract_minutes", 0, CARE_MINUTES_PER_WEEK, &c->contract_minutes,
		   req_flag, e) < 0 ||
	    jf_int(req->json, "max_week_minutes", 1, CARE_MINUTES_PER_WEEK, &c->max_week_minutes, 0,
		   e) < 0)
		return -1;
	if (skills != NULL) {
		c->skills_given = true;
		if (skills_from_json(req, skills, c->skill_ids, &c->nskills, e) < 0)
			return -1;
	}
	return 0;
}

static int create_carer(struct db *db, void *arg)
{
	struct carer_change *c = arg;
	int rc;

	if (c->new_person && db_person_insert(db, &c->person, &c->person.id) <= 0)
		return -1;
	rc = db_carer_create(db, c->person.id, (int)c->contract_minutes, (int)c->max_week_minutes);
	if (rc <= 0)
		return rc == 0 ? -2 : -1;
	if (db_carer_set_skills(db, c->person.id, c->skill_ids, c->nskills) < 0)
		return -1;
	return db_audit(db, c->user_id, "create", "carer", c->person.id, c->person.full_name);
}

/* Fills c->person from "person_id" (an existing person) or person fields. */
static int person_or_new(struct http_req *req, struct db_person *p, bool *new_person,
			 struct field_err *e)
{
	int64_t pid = 0;
	int rc = jf_int(req->json, "person_id", 1, INT64_MAX, &pid, 0, e);

	if (rc < 0)
		return -1;
	if (rc == 1) {
		rc = db_person_get(req->db, pid, p);
		if (rc < 0)
			return field_fail(e, "", "could not read people");
		if (rc == 0)
			return field_fail(e, "person_id", "no person with id %lld", (long long)pid);
		*new_person = false;
		return 0;
	}
	memset(p, 0, sizeof *p);
	*new_person = true;
	return person_from_json(req->json, p, false, e);
}

enum MHD_Result h_carers_create(struct http_req *req)
{
	struct carer_change c = {.max_week_minutes = CARE_WTR_MAX_WEEK_MINUTES,
				 .user_id = req->user.id};
	struct field_err e;
	struct db_carer out;
	json_t *o;
	int rc;

	if (person_or_new(req, &c.person, &c.new_person, &e) < 0 ||
	    carer_numbers(req, &c, JF_REQUIRED, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	rc = db_tx(req->db, create_carer, &c);
	if (rc == -2)
		return http_reply_error(req, 409, "person_id", "this person is already a carer");
	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not add the carer");
	if (db_carer_get(req->db, c.person.id, &out) <= 0 ||
	    (o = carer_json(req->db, &out)) == NULL)
		return http_reply_error(req, 500, NULL, "could not read the carer");
	return http_reply_json(req, 201, json_pack("{s:o}", "carer", o));
}

static int update_carer(struct db *db, void *arg)
{
	struct carer_change *c = arg;

	if (db_person_update(db, &c->person) <= 0 ||
	    db_carer_update(db, c->person.id, (int)c->contract_minutes, (int)c->max_week_minutes) <=
		    0)
		return -1;
	if (c->skills_given && db_carer_set_skills(db, c->person.id, c->skill_ids, c->nskills) < 0)
		return -1;
	return db_audit(db, c->user_id, "update", "carer", c->person.id, c->person.full_name);
}

enum MHD_Result h_carers_update(struct http_req *req)
{
	struct db_carer cur;
	struct carer_change c = {.user_id = req->user.id};
	struct field_err e;
	json_t *o;
	int rc = db_carer_get(req->db, req->params[0], &cur);

	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not read the carer");
	if (rc == 0)
		return no_carer(req, req->params[0]);
	c.person = cur.person;
	c.contract_minutes = cur.contract_minutes;
	c.max_week_minutes = cur.max_week_minutes;
	if (person_from_json(req->json, &c.person, true, &e) < 0 ||
	    carer_numbers(req, &c, 0, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	if (db_tx(req->db, update_carer, &c) < 0)
		return http_reply_error(req, 500, NULL, "could not change the carer");
	if (db_carer_get(req->db, c.person.id, &cur) <= 0 ||
	    (o = carer_json(req->db, &cur)) == NULL)
		return http_reply_error(req, 500, NULL, "could not read the carer");
	return http_reply_json(req, 200, json_pack("{s:o}", "carer", o));
}

/* ---- availability ---- */

struct availability_change {
	int64_t carer_id, user_id;
	struct care_span spans[CARE_SPANS_MAX];
	size_t n;
};

static int set_availability(struct db *db, void *arg)
{
	struct availability_change *a = arg;
	char detail[64];

	if (db_availability_set(db, a->carer_id, a->spans, a->n) < 0)
		return -1;
	snprintf(detail, sizeof detail, "weekly availability: %zu spans", a->n);
	return db_audit(db, a->user_id, "update", "carer", a->carer_id, detail);
}

static int span_from_json(json_t *v, size_t i, struct care_span *s, struct field_err *e)
{
	char field[48], start[8], end[8];
	int64_t weekday;

	snprintf(field, sizeof field, "weekly[%zu]", i);
	if (!json_is_object(v))
		return field_fail(e, field, "each span must be {weekday, start, end}");
	if (jf_int(v, "weekday", 1, 7, &weekday, JF_REQUIRED, e) < 0 ||
	    jf_string(v, "start", start, sizeof start, JF_REQUIRED, e) < 0 ||
	    jf_string(v, "end", end, sizeof end, JF_REQUIRED, e) < 0) {
		char inner[16];
		text_copy(inner, sizeof inner, e->field); /* weekday, start or end */
		snprintf(e->field, sizeof e->field, "%.30s.%s", field, inner);
		return -1;
	}
	s->weekday = (int)weekday;
	if (care_parse_hhmm(start, false, &s->start_min) != 0) {
		snprintf(field, sizeof field, "weekly[%zu].start", i);
		return field_fail(e, field, "start must be a time HH:MM from 00:00 to 23:59");
	}
	if (care_parse_hhmm(end, true, &s->end_min) != 0) {
		snprintf(field, sizeof field, "weekly[%zu].end", i);
		return field_fail(e, field, "end must be a time HH:MM from 00:01 to 24:00");
	}
	return 0;
}

enum MHD_Result h_availability_put(struct http_req *req)
{
	struct availability_change *a = NULL;
	json_t *weekly = json_object_get(req->json, "weekly"), *v;
	struct field_err e;
	enum care_span_check chk;
	enum MHD_Result r;
	size_t i, bad = 0;

	if (!may_see_carer(req, req->params[0]) || !db_is_carer(req->db, req->params[0]))
		return no_carer(req, req->params[0]);
	if (!json_is_array(weekly))
		return http_reply_error(req, 400, "weekly", "weekly must be a list of spans");
	if (json_array_size(weekly) > CARE_SPANS_MAX)
		return http_reply_error(req, 400, "weekly", "%s",
					care_span_message(CARE_SPAN_TOO_MANY));
	a = calloc(1, sizeof *a);
	if (a == NULL)
		return MHD_NO;
	a->carer_id = req->params[0];
	a->user_id = req->user.id;
	json_array_foreach (weekly, i, v) {
		if (span_from_json(v, i, &a->spans[a->n++], &e) < 0) {
			r = http_reply_field_error(req, 400, &e);
			goto out;
		}
	}
	chk = care_spans_check(a->spans, a->n, &bad);
	if (chk != CARE_SPAN_OK) {
		char field[40];
		snprintf(field, sizeof field, "weekly[%zu]%s", bad,
			 chk == CARE_SPAN_EMPTY         ? ".end"
			 : chk == CARE_SPAN_BAD_WEEKDAY ? ".weekday"
							: "");
		r = http_reply_error(req, 400, field, "%s", care_span_message(chk));
		goto out;
	}
	if (db_tx(req->db, set_availability, a) < 0) {
		r = http_reply_error(req, 500, NULL, "could not save the availability");
		goto out;
	}
	json_t *w = weekly_json(req->db, a->carer_id);
	r = w != NULL ? http_reply_json(req, 200, json_pack("{s:o}", "weekly", w))
		      : http_reply_error(req, 500, NULL, "could not read the availability");
out:
	free(a);
	return r;
}

/* ---- exceptions ---- */

static json_t *exception_json(const struct db_exception *x)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)x->id, "carer_id",
			 (json_int_t)x->carer_id, "kind", x->kind, "start", x->start, "end", x->end,
			 "status", x->status, "note", x->note);
}

static int add_exception_json(const struct db_exception *x, void *arg)
{
	return json_array_append_new(arg, exception_json(x));
}

enum MHD_Result h_exceptions_list(struct http_req *req)
{
	json_t *list;

	if (!may_see_carer(req, req->params[0]) || !db_is_carer(req->db, req->params[0]))
		return no_carer(req, req->params[0]);
	list = json_array();
	if (db_exception_each(req->db, req->params[0], add_exception_json, list) < 0) {
		json_decref(list);
		return http_reply_error(req, 500, NULL, "could not list exceptions");
	}
	return http_reply_json(req, 200, json_pack("{s:o}", "exceptions", list));
}

struct exception_change {
	struct db_exception x;
	int64_t user_id;
	char status[12];
};

static int insert_exception(struct db *db, void *arg)
{
	struct exception_change *c = arg;

	if (db_exception_insert(db, &c->x, db_now(), &c->x.id) <= 0)
		return -1;
	return db_audit(db, c->user_id, "create", "exception", c->x.id, c->x.kind);
}

enum MHD_Result h_exceptions_create(struct http_req *req)
{
	struct exception_change c;
	struct field_err e;

	memset(&c, 0, sizeof c);
	if (!may_see_carer(req, req->params[0]) || !db_is_carer(req->db, req->params[0]))
		return no_carer(req, req->params[0]);
	if (jf_string(req->json, "kind", c.x.kind, sizeof c.x.kind, JF_REQUIRED, &e) < 0 ||
	    jf_string(req->json, "start", c.x.start, sizeof c.x.start, JF_REQUIRED, &e) < 0 ||
	    jf_string(req->json, "end", c.x.end, sizeof c.x.end, JF_REQUIRED, &e) < 0 ||
	    jf_string(req->json, "note", c.x.note, sizeof c.x.note, JF_MULTILINE, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	if (strcmp(c.x.kind, "leave") != 0 && strcmp(c.x.kind, "sickness") != 0 &&
	    strcmp(c.x.kind, "extra") != 0)
		return http_reply_error(req, 400, "kind", "kind must be leave, sickness or extra");
	if (!care_datetime_valid(c.x.start))
		return http_reply_error(req, 400, "start", "start must be YYYY-MM-DDTHH:MM");
	if (!care_datetime_valid(c.x.end))
		return http_reply_error(req, 400, "end", "end must be YYYY-MM-DDTHH:MM");
	if (strcmp(c.x.end, c.x.start) <= 0)
		return http_reply_error(req, 400, "end", "end must be after start");
	c.x.carer_id = req->params[0];
	c.x.created_by = req->user.id;
	c.user_id = req->user.id;
	/* A carer asks for leave; a coordinator's entry, sickness and extra
	 * availability stand as entered. */
	text_copy(c.x.status, sizeof c.x.status,
		  strcmp(c.x.kind, "leave") == 0 && !HTTP_HAS(req, STAFF) ? "requested"
									  : "approved");
	if (db_tx(req->db, insert_exception, &c) < 0)
		return http_reply_error(req, 500, NULL, "could not save the exception");
	return http_reply_json(req, 201, json_pack("{s:o}", "exception", exception_json(&c.x)));
}

static int decide_exception(struct db *db, void *arg)
{
	struct exception_change *c = arg;
	int rc = db_exception_decide(db, c->x.id, c->status, c->user_id, db_now());

	if (rc <= 0)
		return rc == 0 ? -2 : -1;
	return db_audit(db, c->user_id, "update", "exception", c->x.id, c->status);
}

enum MHD_Result h_exceptions_decide(struct http_req *req)
{
	struct exception_change c;
	struct field_err e;
	int rc;

	memset(&c, 0, sizeof c);
	rc = db_exception_get(req->db, req->params[0], &c.x);
	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not read the exception");
	if (rc == 0)
		return http_reply_error(req, 404, "id", "no exception with id %lld",
					(long long)req->params[0]);
	if (jf_string(req->json, "status", c.status, sizeof c.status, JF_REQUIRED, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	if (strcmp(c.status, "approved") != 0 && strcmp(c.status, "refused") != 0)
		return http_reply_error(req, 400, "status", "status must be approved or refused");
	if (strcmp(c.x.status, "requested") != 0)
		return http_reply_error(req, 409, "status", "this was already %s", c.x.status);
	c.user_id = req->user.id;
	rc = db_tx(req->db, decide_exception, &c);
	if (rc == -2)
		return http_reply_error(req, 409, "status", "this was decided meanwhile");
	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not record the decision");
	text_copy(c.x.status, sizeof c.x.status, c.status);
	return http_reply_json(req, 200, json_pack("{s:o}", "exception", exception_json(&c.x)));
}

static int delete_exception(struct db *db, void *arg)
{
	struct exception_change *c = arg;

	if (db_exception_delete(db, c->x.id) <= 0)
		return -1;
	return db_audit(db, c->user_id, "delete", "exception", c->x.id, c->x.kind);
}

enum MHD_Result h_exceptions_delete(struct http_req *req)
{
	struct exception_change c;
	int rc;

	memset(&c, 0, sizeof c);
	rc = db_exception_get(req->db, req->params[0], &c.x);
	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not read the exception");
	if (rc == 0 || !may_see_carer(req, c.x.carer_id))
		return http_reply_error(req, 404, "id", "no exception with id %lld",
					(long long)req->params[0]);
	if (!HTTP_HAS(req, ROLE_COORDINATOR) && strcmp(c.x.status, "requested") != 0)
		return http_reply_error(req, 409, "id",
					"only a request not yet decided can be withdrawn");
	c.user_id = req->user.id;
	if (db_tx(req->db, delete_exception, &c) < 0)
		return http_reply_error(req, 500, NULL, "could not withdraw the exception");
	return http_reply_json(req, 200, json_pack("{s:b}", "ok", 1));
}

/* ---- CSV export (the same columns as the import) ---- */

static int carer_csv_row(const struct db_carer *c, void *arg)
{
	struct textbuf *b = arg;
	char num[32], skills[DB_SKILLS_MAX * (CARE_SKILL_CODE_MAX + 1) + 1] = "";
	const struct db_person *p = &c->person;

	textbuf_csv(b, p->full_name, false, false);
	textbuf_csv(b, p->known_as, false, false);
	textbuf_csv(b, p->email, false, false);
	textbuf_csv(b, p->phone, false, false);
	textbuf_csv(b, p->address, false, false);
	textbuf_csv(b, p->area, false, false);
	snprintf(num, sizeof num, "%.6f", p->lat);
	textbuf_csv(b, p->has_location ? num : "", true, false);
	snprintf(num, sizeof num, "%.6f", p->lon);
	textbuf_csv(b, p->has_location ? num : "", true, false);
	snprintf(num, sizeof num, "%d", c->contract_minutes);
	textbuf_csv(b, num, true, false);
	snprintf(num, sizeof num, "%d", c->max_week_minutes);
	textbuf_csv(b, num, true, false);
	for (unsigned i = 0; i < c->nskills; i++) {
		if (i > 0)
			strncat(skills, ";", sizeof skills - strlen(skills) - 1);
		strncat(skills, c->skills[i], sizeof skills - strlen(skills) - 1);
	}
	textbuf_csv(b, skills, false, true);
	return b->failed ? 1 : 0;
}

enum MHD_Result h_carers_csv(struct http_req *req)
{
	struct textbuf b = {0};

	textbuf_add(&b, CSV_CARER_HEADER "\r\n", strlen(CSV_CARER_HEADER) + 2);
	if (db_carer_each(req->db, "", carer_csv_row, &b) < 0) {
		textbuf_free(&b);
		return http_reply_error(req, 500, NULL, "could not list carers");
	}
	return http_reply_csv(req, &b, "carers.csv");
}
