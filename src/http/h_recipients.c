/*
 * h_recipients: people receiving care: their record and sensitive notes,
 * care team, excluded carers, family viewers and care plan.
 *
 * Who sees what (docs/API.md "Access"): coordinators and admins everything;
 * carers in the person's team everything including the sensitive notes
 * they need on a visit; family viewers the name, area, plan times and team
 * first names only. Anyone else gets 404. Every read of a record is
 * written to the audit log in the same transaction that reads it.
 */
#include <stdio.h>
#include <string.h>

#include "core/care.h"
#include "core/roles.h"
#include "core/text.h"
#include "db/db_care.h"
#include "http/http_internal.h"

#define STAFF       (ROLE_ADMIN | ROLE_COORDINATOR)
#define TEAM_MAX    12
#define VIEWERS_MAX 12

static enum MHD_Result no_recipient(struct http_req *req, int64_t id)
{
	return http_reply_error(req, 404, "id", "no person receiving care with id %lld",
				(long long)id);
}

/* The caller's access to recipient id: DB_ACCESS_TEAM for staff too. */
static int access_of(struct http_req *req, int64_t id)
{
	if (HTTP_HAS(req, STAFF))
		return DB_ACCESS_TEAM;
	return db_recipient_access(req->db, id, req->user.id);
}

static json_t *summary_json(const struct db_recipient *r)
{
	return json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)r->person.id, "full_name",
			 r->person.full_name, "known_as", r->person.known_as, "area",
			 r->person.area);
}

static int add_summary(const struct db_recipient *r, void *arg)
{
	return json_array_append_new(arg, summary_json(r));
}

enum MHD_Result h_recipients_list(struct http_req *req)
{
	enum MHD_Result r;
	const char *q;
	json_t *list;

	if (http_query_search_or_reply(req, &q, &r) < 0)
		return r;
	list = json_array();
	if (db_recipient_each(req->db, q, HTTP_HAS(req, STAFF) ? 0 : req->user.id, add_summary,
			      list) < 0) {
		json_decref(list);
		return http_reply_error(req, 500, NULL, "could not list people receiving care");
	}
	return http_reply_json(req, 200, json_pack("{s:o}", "recipients", list));
}

static int add_member(const struct db_team_member *m, void *arg)
{
	json_t *o = json_pack("{s:I, s:s}", "id", (json_int_t)m->carer_id, "known_as", m->known_as);

	if (m->rank > 0)
		json_object_set_new(o, "rank", json_integer(m->rank));
	return json_array_append_new(arg, o);
}

static int add_viewer(const struct db_viewer *v, void *arg)
{
	return json_array_append_new(arg,
				     json_pack("{s:I, s:s, s:s}", "user_id", (json_int_t)v->user_id,
					       "email", v->email, "relationship", v->relationship));
}

static json_t *plan_json(const struct db_plan_line *l)
{
	json_t *days = json_array(), *skills = json_array(), *o;
	char start[6];

	for (int d = 1; d <= 7; d++)
		if (l->days & (1u << (d - 1)))
			json_array_append_new(days, json_integer(d));
	for (unsigned i = 0; i < l->nskills; i++)
		json_array_append_new(skills, json_string(l->skills[i]));
	care_format_hhmm(l->start_min, start);
	o = json_pack("{s:I, s:o, s:s, s:i, s:i, s:o, s:s, s:s}", "id", (json_int_t)l->id, "days",
		      days, "start", start, "minutes", l->minutes, "carers", l->carers, "skills",
		      skills, "tasks", l->tasks, "valid_from", l->valid_from);
	json_object_set_new(o, "valid_to",
			    l->valid_to[0] != '\0' ? json_string(l->valid_to) : json_null());
	return o;
}

static int add_plan(const struct db_plan_line *l, void *arg)
{
	return json_array_append_new(arg, plan_json(l));
}

struct recipient_view {
	int64_t id, user_id;
	int access;    /* enum db_recipient_access */
	bool no_audit; /* a reply after a change, which is audited itself */
	json_t *out;   /* built here */
};

static int view_recipient(struct db *db, void *arg)
{
	struct recipient_view *v = arg;
	struct db_recipient r;
	json_t *team = json_array(), *excluded = json_array(), *plan = json_array(), *o;
	int rc = db_recipient_get(db, v->id, &r);

	if (rc <= 0 || db_team_each(db, v->id, false, add_member, team) < 0 ||
	    db_plan_each(db, v->id, add_plan, plan) < 0)
		goto fail;
	if (v->access == DB_ACCESS_VIEWER) {
		/* Family: who is coming and when, nothing else. */
		o = summary_json(&r);
	} else {
		json_t *viewers = json_array();
		o = person_json(&r.person);
		json_object_set_new(o, "notes", json_string(r.notes));
		json_object_set_new(o, "key_safe", json_string(r.key_safe));
		json_object_set_new(o, "viewers", viewers);
		if (db_team_each(db, v->id, true, add_member, excluded) < 0 ||
		    db_viewer_each(db, v->id, add_viewer, viewers) < 0) {
			json_decref(o);
			goto fail;
		}
		json_object_set(o, "excluded", excluded);
	}
	json_decref(excluded);
	json_object_set_new(o, "team", team);
	json_object_set_new(o, "plan", plan);
	v->out = o;
	if (!v->no_audit && db_audit(db, v->user_id, "view", "recipient", v->id,
				     v->access == DB_ACCESS_VIEWER ? "schedule" : "record") < 0) {
		json_decref(o);
		v->out = NULL;
		return -1;
	}
	return 1;
fail:
	json_decref(team);
	json_decref(excluded);
	json_decref(plan);
	return rc == 0 ? -2 : -1;
}

enum MHD_Result h_recipients_get(struct http_req *req)
{
	struct recipient_view v = {.id = req->params[0], .user_id = req->user.id};
	int rc;

	v.access = access_of(req, v.id);
	if (v.access < 0)
		return http_reply_error(req, 500, NULL, "could not check access");
	if (v.access == DB_ACCESS_NONE)
		return no_recipient(req, v.id);
	rc = db_tx(req->db, view_recipient, &v);
	if (rc == -2)
		return no_recipient(req, v.id);
	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not read the record");
	return http_reply_json(req, 200, json_pack("{s:o}", "recipient", v.out));
}

struct recipient_change {
	struct db_person person;
	bool new_person;
	char notes[DB_TEXT_LONG];
	char key_safe[201];
	int64_t user_id;
};

static int create_recipient(struct db *db, void *arg)
{
	struct recipient_change *c = arg;
	int rc;

	if (c->new_person && db_person_insert(db, &c->person, &c->person.id) <= 0)
		return -1;
	rc = db_recipient_create(db, c->person.id, c->notes, c->key_safe);
	if (rc <= 0)
		return rc == 0 ? -2 : -1;
	return db_audit(db, c->user_id, "create", "recipient", c->person.id, c->person.full_name);
}

static int notes_from_json(struct http_req *req, struct recipient_change *c, struct field_err *e)
{
	return jf_string(req->json, "notes", c->notes, sizeof c->notes, JF_MULTILINE, e) < 0 ||
			       jf_string(req->json, "key_safe", c->key_safe, sizeof c->key_safe, 0,
					 e) < 0
		       ? -1
		       : 0;
}

static enum MHD_Result reply_recipient(struct http_req *req, int64_t id, unsigned status)
{
	struct recipient_view v = {
		.id = id, .user_id = req->user.id, .access = DB_ACCESS_TEAM, .no_audit = true};

	if (db_tx(req->db, view_recipient, &v) < 0)
		return http_reply_error(req, 500, NULL, "could not read the record");
	return http_reply_json(req, status, json_pack("{s:o}", "recipient", v.out));
}

enum MHD_Result h_recipients_create(struct http_req *req)
{
	struct recipient_change c;
	struct field_err e;
	int64_t pid = 0;
	int rc;

	memset(&c, 0, sizeof c);
	c.user_id = req->user.id;
	rc = jf_int(req->json, "person_id", 1, INT64_MAX, &pid, 0, &e);
	if (rc == 1) {
		rc = db_person_get(req->db, pid, &c.person);
		if (rc < 0)
			return http_reply_error(req, 500, NULL, "could not read people");
		if (rc == 0)
			return http_reply_error(req, 400, "person_id", "no person with id %lld",
						(long long)pid);
	} else if (rc < 0 || person_from_json(req->json, &c.person, false, &e) < 0) {
		return http_reply_field_error(req, 400, &e);
	} else {
		c.new_person = true;
	}
	if (notes_from_json(req, &c, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	rc = db_tx(req->db, create_recipient, &c);
	if (rc == -2)
		return http_reply_error(req, 409, "person_id",
					"this person is already receiving care here");
	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not add the person");
	return reply_recipient(req, c.person.id, 201);
}

static int update_recipient(struct db *db, void *arg)
{
	struct recipient_change *c = arg;

	if (db_person_update(db, &c->person) <= 0 ||
	    db_recipient_update_notes(db, c->person.id, c->notes, c->key_safe) <= 0)
		return -1;
	return db_audit(db, c->user_id, "update", "recipient", c->person.id, "record");
}

enum MHD_Result h_recipients_update(struct http_req *req)
{
	struct recipient_change c;
	struct db_recipient cur;
	struct field_err e;
	int rc = db_recipient_get(req->db, req->params[0], &cur);

	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not read the record");
	if (rc == 0)
		return no_recipient(req, req->params[0]);
	memset(&c, 0, sizeof c);
	c.person = cur.person;
	text_copy(c.notes, sizeof c.notes, cur.notes);
	text_copy(c.key_safe, sizeof c.key_safe, cur.key_safe);
	c.user_id = req->user.id;
	if (person_from_json(req->json, &c.person, true, &e) < 0 ||
	    notes_from_json(req, &c, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	if (db_tx(req->db, update_recipient, &c) < 0)
		return http_reply_error(req, 500, NULL, "could not change the record");
	return reply_recipient(req, c.person.id, 200);
}

/* ---- team ---- */

struct team_change {
	int64_t id, user_id;
	int64_t team[TEAM_MAX], excluded[TEAM_MAX];
	size_t nteam, nexcluded;
};

static int carer_ids(struct http_req *req, const char *name, int64_t *ids, size_t *n,
		     struct field_err *e)
{
	json_t *list = json_object_get(req->json, name), *v;
	size_t i;

	*n = 0;
	if (list == NULL)
		return 0;
	if (!json_is_array(list))
		return field_fail(e, name, "%s must be a list of carer ids", name);
	if (json_array_size(list) > TEAM_MAX)
		return field_fail(e, name, "at most %d carers", TEAM_MAX);
	json_array_foreach (list, i, v) {
		char field[32];

		snprintf(field, sizeof field, "%s[%zu]", name, i);
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return field_fail(e, field, "must be a carer id");
		if (!db_is_carer(req->db, json_integer_value(v)))
			return field_fail(e, field, "%lld is not a carer",
					  (long long)json_integer_value(v));
		for (size_t k = 0; k < *n; k++)
			if (ids[k] == json_integer_value(v))
				return field_fail(e, field, "this carer is listed twice");
		ids[(*n)++] = json_integer_value(v);
	}
	return 0;
}

static int set_team(struct db *db, void *arg)
{
	struct team_change *t = arg;
	char detail[64];

	if (db_team_set(db, t->id, t->team, t->nteam, t->excluded, t->nexcluded) < 0)
		return -1;
	snprintf(detail, sizeof detail, "team of %zu, %zu excluded", t->nteam, t->nexcluded);
	return db_audit(db, t->user_id, "update", "recipient", t->id, detail);
}

enum MHD_Result h_team_put(struct http_req *req)
{
	struct team_change t = {.id = req->params[0], .user_id = req->user.id};
	struct field_err e;

	if (!db_is_recipient(req->db, t.id))
		return no_recipient(req, t.id);
	if (!json_is_array(json_object_get(req->json, "team")))
		return http_reply_error(req, 400, "team", "team must be a list of carer ids");
	if (carer_ids(req, "team", t.team, &t.nteam, &e) < 0 ||
	    carer_ids(req, "excluded", t.excluded, &t.nexcluded, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	for (size_t i = 0; i < t.nexcluded; i++)
		for (size_t k = 0; k < t.nteam; k++)
			if (t.excluded[i] == t.team[k]) {
				char field[32];
				snprintf(field, sizeof field, "excluded[%zu]", i);
				return http_reply_error(req, 400, field,
							"a carer cannot be both in the team and "
							"excluded");
			}
	if (db_tx(req->db, set_team, &t) < 0)
		return http_reply_error(req, 500, NULL, "could not save the team");
	return reply_recipient(req, t.id, 200);
}

/* ---- viewers ---- */

struct viewers_change {
	int64_t id, user_id;
	struct db_viewer v[VIEWERS_MAX];
	size_t n;
};

static int set_viewers(struct db *db, void *arg)
{
	struct viewers_change *c = arg;

	if (db_viewers_set(db, c->id, c->v, c->n) < 0)
		return -1;
	return db_audit(db, c->user_id, "update", "recipient", c->id, "viewers");
}

enum MHD_Result h_viewers_put(struct http_req *req)
{
	struct viewers_change *c;
	json_t *list = json_object_get(req->json, "viewers"), *v;
	struct field_err e;
	enum MHD_Result r;
	size_t i;

	if (!db_is_recipient(req->db, req->params[0]))
		return no_recipient(req, req->params[0]);
	if (!json_is_array(list) || json_array_size(list) > VIEWERS_MAX)
		return http_reply_error(req, 400, "viewers", "viewers must be a list of at most %d",
					VIEWERS_MAX);
	if ((c = calloc(1, sizeof *c)) == NULL)
		return MHD_NO;
	c->id = req->params[0];
	c->user_id = req->user.id;
	json_array_foreach (list, i, v) {
		struct db_viewer *x = &c->v[c->n++];
		struct db_user u;
		char field[48];

		snprintf(field, sizeof field, "viewers[%zu]", i);
		if (!json_is_object(v) ||
		    jf_int(v, "user_id", 1, INT64_MAX, &x->user_id, JF_REQUIRED, &e) < 0 ||
		    jf_string(v, "relationship", x->relationship, sizeof x->relationship, 0, &e) <
			    0) {
			r = http_reply_error(req, 400, field,
					     "each viewer is {user_id, relationship}");
			goto out;
		}
		if (db_user_by_id(req->db, x->user_id, &u) != 1) {
			snprintf(field, sizeof field, "viewers[%zu].user_id", i);
			r = http_reply_error(req, 400, field, "no account with id %lld",
					     (long long)x->user_id);
			goto out;
		}
	}
	if (db_tx(req->db, set_viewers, c) < 0)
		r = http_reply_error(req, 500, NULL, "could not save the viewers");
	else
		r = reply_recipient(req, c->id, 200);
out:
	free(c);
	return r;
}

/* ---- care plan ---- */

struct plan_change {
	struct db_plan_line line;
	int64_t skill_ids[DB_SKILLS_MAX];
	size_t nskills;
	int64_t old_id;        /* line being replaced, 0 for none */
	char old_valid_to[11]; /* its new end */
	int64_t user_id;
};

static int plan_from_json(struct http_req *req, struct plan_change *c, struct field_err *e)
{
	json_t *days = json_object_get(req->json, "days"), *skills, *v;
	char start[8];
	int64_t minutes, carers = 1;
	int d[7];
	size_t i, n = 0, bad;

	if (!json_is_array(days) || json_array_size(days) == 0 || json_array_size(days) > 7)
		return field_fail(e, "days", "days must list weekdays 1 (Monday) to 7 (Sunday)");
	json_array_foreach (days, i, v) {
		if (!json_is_integer(v)) {
			char field[32];
			snprintf(field, sizeof field, "days[%zu]", i);
			return field_fail(e, field, "a weekday is a number from 1 to 7");
		}
		d[n++] = (int)json_integer_value(v);
	}
	c->line.days = care_days_mask(d, n, &bad);
	if (c->line.days == 0) {
		char field[32];
		snprintf(field, sizeof field, "days[%zu]", bad);
		return field_fail(e, field, "a weekday is a number from 1 to 7");
	}
	if (jf_string(req->json, "start", start, sizeof start, JF_REQUIRED, e) < 0)
		return -1;
	if (care_parse_hhmm(start, false, &c->line.start_min) != 0)
		return field_fail(e, "start", "start must be a time HH:MM");
	if (jf_int(req->json, "minutes", 1, CARE_VISIT_MAX_MINUTES, &minutes, JF_REQUIRED, e) < 0 ||
	    jf_int(req->json, "carers", 1, 2, &carers, 0, e) < 0 ||
	    jf_string(req->json, "tasks", c->line.tasks, sizeof c->line.tasks, JF_MULTILINE, e) < 0)
		return -1;
	c->line.minutes = (int)minutes;
	c->line.carers = (int)carers;
	skills = json_object_get(req->json, "skills");
	c->nskills = 0;
	if (skills != NULL) {
		if (!json_is_array(skills) || json_array_size(skills) > DB_SKILLS_MAX)
			return field_fail(e, "skills", "skills must be a list of skill codes");
		json_array_foreach (skills, i, v) {
			char field[32];
			int64_t id;

			snprintf(field, sizeof field, "skills[%zu]", i);
			if (!json_is_string(v) || !care_skill_code_valid(json_string_value(v)))
				return field_fail(e, field, "not a skill code");
			id = db_skill_id(req->db, json_string_value(v));
			if (id <= 0)
				return field_fail(e, field, "no skill with code %s",
						  json_string_value(v));
			c->skill_ids[c->nskills++] = id;
		}
	}
	return 0;
}

static int save_plan(struct db *db, void *arg)
{
	struct plan_change *c = arg;

	if (c->old_id > 0 && db_plan_end(db, c->old_id, c->old_valid_to) <= 0)
		return -1;
	if (db_plan_insert(db, &c->line, c->skill_ids, c->nskills, &c->line.id) <= 0)
		return -1;
	return db_audit(db, c->user_id, c->old_id > 0 ? "update" : "create", "recipient",
			c->line.recipient_id, "care plan");
}

static enum MHD_Result reply_plan_line(struct http_req *req, int64_t id, unsigned status)
{
	struct db_plan_line l;

	if (db_plan_get(req->db, id, &l) <= 0)
		return http_reply_error(req, 500, NULL, "could not read the plan");
	return http_reply_json(req, status, json_pack("{s:o}", "line", plan_json(&l)));
}

enum MHD_Result h_plan_create(struct http_req *req)
{
	struct plan_change *c;
	struct field_err e;
	enum MHD_Result r;

	if (!db_is_recipient(req->db, req->params[0]))
		return no_recipient(req, req->params[0]);
	if ((c = calloc(1, sizeof *c)) == NULL)
		return MHD_NO;
	c->line.recipient_id = req->params[0];
	c->user_id = req->user.id;
	if (plan_from_json(req, c, &e) < 0 ||
	    jf_date(req->json, "valid_from", c->line.valid_from, JF_REQUIRED, &e) < 0 ||
	    jf_date(req->json, "valid_to", c->line.valid_to, 0, &e) < 0) {
		r = http_reply_field_error(req, 400, &e);
	} else if (c->line.valid_to[0] != '\0' &&
		   strcmp(c->line.valid_to, c->line.valid_from) < 0) {
		r = http_reply_error(req, 400, "valid_to", "valid_to is before valid_from");
	} else if (db_tx(req->db, save_plan, c) < 0) {
		r = http_reply_error(req, 500, NULL, "could not save the plan");
	} else {
		r = reply_plan_line(req, c->line.id, 201);
	}
	free(c);
	return r;
}

/* Loads line params[1] of recipient params[0], or replies 404. */
static int line_or_reply(struct http_req *req, struct db_plan_line *l, enum MHD_Result *r)
{
	int rc = db_plan_get(req->db, req->params[1], l);

	if (rc < 0) {
		*r = http_reply_error(req, 500, NULL, "could not read the plan");
		return -1;
	}
	if (rc == 0 || l->recipient_id != req->params[0]) {
		*r = http_reply_error(req, 404, "line", "no plan line %lld for this person",
				      (long long)req->params[1]);
		return -1;
	}
	return 0;
}

enum MHD_Result h_plan_change(struct http_req *req)
{
	struct plan_change *c;
	struct db_plan_line old;
	struct field_err e;
	enum MHD_Result r;

	if (line_or_reply(req, &old, &r) < 0)
		return r;
	if ((c = calloc(1, sizeof *c)) == NULL)
		return MHD_NO;
	c->line.recipient_id = old.recipient_id;
	c->line.replaces = old.id;
	c->old_id = old.id;
	c->user_id = req->user.id;
	if (plan_from_json(req, c, &e) < 0 ||
	    jf_date(req->json, "effective_from", c->line.valid_from, JF_REQUIRED, &e) < 0) {
		r = http_reply_field_error(req, 400, &e);
		goto out;
	}
	if (strcmp(c->line.valid_from, old.valid_from) <= 0) {
		r = http_reply_error(req, 400, "effective_from",
				     "effective_from must be after the line starts (%s)",
				     old.valid_from);
		goto out;
	}
	if (old.valid_to[0] != '\0' && strcmp(c->line.valid_from, old.valid_to) > 0) {
		r = http_reply_error(req, 409, "effective_from", "this line ended on %s",
				     old.valid_to);
		goto out;
	}
	text_copy(c->line.valid_to, sizeof c->line.valid_to, old.valid_to);
	care_date_prev(c->line.valid_from, c->old_valid_to);
	if (db_tx(req->db, save_plan, c) < 0)
		r = http_reply_error(req, 500, NULL, "could not save the plan");
	else
		r = reply_plan_line(req, c->line.id, 200);
out:
	free(c);
	return r;
}

struct plan_end {
	int64_t id, recipient_id, user_id;
	char valid_to[11];
};

static int end_plan(struct db *db, void *arg)
{
	struct plan_end *p = arg;

	if (db_plan_end(db, p->id, p->valid_to) <= 0)
		return -1;
	return db_audit(db, p->user_id, "update", "recipient", p->recipient_id, "care plan ended");
}

enum MHD_Result h_plan_end(struct http_req *req)
{
	struct db_plan_line old;
	struct plan_end p = {
		.id = req->params[1], .recipient_id = req->params[0], .user_id = req->user.id};
	struct field_err e;
	enum MHD_Result r;

	if (line_or_reply(req, &old, &r) < 0)
		return r;
	if (jf_date(req->json, "valid_to", p.valid_to, JF_REQUIRED, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	if (strcmp(p.valid_to, old.valid_from) < 0)
		return http_reply_error(req, 400, "valid_to",
					"valid_to is before the line starts (%s)", old.valid_from);
	if (db_tx(req->db, end_plan, &p) < 0)
		return http_reply_error(req, 500, NULL, "could not end the plan line");
	return reply_plan_line(req, p.id, 200);
}

/* ---- CSV export ---- */

struct csv_state {
	struct db *db;
	struct textbuf *b;
};

static int recipient_csv_row(const struct db_recipient *r, void *arg)
{
	struct csv_state *s = arg;
	struct textbuf *b = s->b;
	const struct db_person *p = &r->person;
	char num[32], team[1024] = "";

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
	if (db_team_emails(s->db, p->id, team, sizeof team) < 0)
		return 1;
	textbuf_csv(b, team, false, true);
	return b->failed ? 1 : 0;
}

enum MHD_Result h_recipients_csv(struct http_req *req)
{
	struct textbuf b = {0};
	struct csv_state s = {req->db, &b};

	textbuf_add(&b, CSV_RECIPIENT_HEADER "\r\n", strlen(CSV_RECIPIENT_HEADER) + 2);
	if (db_recipient_each(req->db, "", 0, recipient_csv_row, &s) < 0) {
		textbuf_free(&b);
		return http_reply_error(req, 500, NULL, "could not list people receiving care");
	}
	return http_reply_csv(req, &b, "recipients.csv");
}
