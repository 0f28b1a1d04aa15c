/*
 * h_people: the register: skills, member classes, people, memberships (and
 * the register export), and the audit log. Every change is one
 * transaction that also writes its audit entry.
 */
#include <stdio.h>
#include <string.h>

#include "core/care.h"
#include "core/roles.h"
#include "core/text.h"
#include "db/db_coop.h"
#include "db/db_people.h"
#include "http/http_internal.h"

/* ---- skills ---- */

static int add_skill_json(const char *code, const char *name, void *arg)
{
	return json_array_append_new(arg, json_pack("{s:s, s:s}", "code", code, "name", name));
}

enum MHD_Result h_skills_list(struct http_req *req)
{
	json_t *skills = json_array();

	if (db_skill_each(req->db, add_skill_json, skills) < 0) {
		json_decref(skills);
		return http_reply_error(req, 500, NULL, "could not list skills");
	}
	return http_reply_json(req, 200, json_pack("{s:o}", "skills", skills));
}

struct named {
	char code[CARE_SKILL_CODE_MAX + 1];
	char name[201];
	int64_t id;
	int64_t user_id;
};

static int insert_skill(struct db *db, void *arg)
{
	struct named *n = arg;
	int rc = db_skill_insert(db, n->code, n->name, &n->id);

	if (rc <= 0)
		return rc;
	return db_audit(db, n->user_id, "create", "skill", n->id, n->code);
}

static int read_code_name(struct http_req *req, struct named *n, struct field_err *e)
{
	if (jf_string(req->json, "code", n->code, sizeof n->code, JF_REQUIRED, e) < 0 ||
	    jf_string(req->json, "name", n->name, sizeof n->name, JF_REQUIRED, e) < 0)
		return -1;
	if (!care_skill_code_valid(n->code))
		return field_fail(e, "code", "code must be 1-32 of a-z, 0-9 and '-'");
	n->user_id = req->user.id;
	return 0;
}

enum MHD_Result h_skills_create(struct http_req *req)
{
	struct named n = {0};
	struct field_err e;
	int rc;

	if (read_code_name(req, &n, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	rc = db_tx(req->db, insert_skill, &n);
	if (rc == 0)
		return http_reply_error(req, 409, "code", "a skill with code %s exists", n.code);
	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not add the skill");
	return http_reply_json(
		req, 201, json_pack("{s:{s:s, s:s}}", "skill", "code", n.code, "name", n.name));
}

/* ---- member classes ---- */

static int add_class_json(const struct db_class *c, void *arg)
{
	return json_array_append_new(arg, json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)c->id,
						    "code", c->code, "name", c->name, "members",
						    (json_int_t)c->members));
}

enum MHD_Result h_classes_list(struct http_req *req)
{
	json_t *classes = json_array();

	if (db_class_each(req->db, add_class_json, classes) < 0) {
		json_decref(classes);
		return http_reply_error(req, 500, NULL, "could not list member classes");
	}
	return http_reply_json(req, 200, json_pack("{s:o}", "classes", classes));
}

static int insert_class(struct db *db, void *arg)
{
	struct named *n = arg;
	int rc = db_class_insert(db, n->code, n->name, 100, &n->id);

	if (rc <= 0)
		return rc;
	return db_audit(db, n->user_id, "create", "member_class", n->id, n->code);
}

enum MHD_Result h_classes_create(struct http_req *req)
{
	struct named n = {0};
	struct field_err e;
	int rc;

	if (read_code_name(req, &n, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	rc = db_tx(req->db, insert_class, &n);
	if (rc == 0)
		return http_reply_error(req, 409, "code", "a class with code %s exists", n.code);
	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not add the class");
	return http_reply_json(req, 201,
			       json_pack("{s:{s:I, s:s, s:s, s:i}}", "class", "id",
					 (json_int_t)n.id, "code", n.code, "name", n.name,
					 "members", 0));
}

static int rename_class(struct db *db, void *arg)
{
	struct named *n = arg;
	int rc = db_class_rename(db, n->id, n->name);

	if (rc <= 0)
		return rc;
	return db_audit(db, n->user_id, "update", "member_class", n->id, n->name);
}

enum MHD_Result h_classes_update(struct http_req *req)
{
	struct named n = {.id = req->params[0], .user_id = req->user.id};
	struct field_err e;
	int rc;

	if (jf_string(req->json, "name", n.name, sizeof n.name, JF_REQUIRED, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	rc = db_tx(req->db, rename_class, &n);
	if (rc == 0)
		return http_reply_error(req, 404, "id", "no member class with id %lld",
					(long long)n.id);
	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not rename the class");
	return http_reply_json(req, 200, json_pack("{s:b}", "ok", 1));
}

/* ---- people ---- */

static int add_person_json(const struct db_person *p, void *arg)
{
	return json_array_append_new(arg, person_json(p));
}

enum MHD_Result h_people_list(struct http_req *req)
{
	const char *q;
	enum MHD_Result r;
	json_t *people;

	if (http_query_search_or_reply(req, &q, &r) < 0)
		return r;
	people = json_array();
	if (db_person_each(req->db, q, add_person_json, people) < 0) {
		json_decref(people);
		return http_reply_error(req, 500, NULL, "could not list people");
	}
	return http_reply_json(req, 200, json_pack("{s:o}", "people", people));
}

struct person_change {
	struct db_person p;
	int64_t user_id;
};

static int insert_person(struct db *db, void *arg)
{
	struct person_change *c = arg;

	if (db_person_insert(db, &c->p, &c->p.id) <= 0)
		return -1;
	return db_audit(db, c->user_id, "create", "person", c->p.id, c->p.full_name);
}

enum MHD_Result h_people_create(struct http_req *req)
{
	struct person_change c;
	struct field_err e;

	memset(&c, 0, sizeof c);
	c.user_id = req->user.id;
	if (person_from_json(req->json, &c.p, false, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	if (db_tx(req->db, insert_person, &c) < 0)
		return http_reply_error(req, 500, NULL, "could not add the person");
	return http_reply_json(req, 201, json_pack("{s:o}", "person", person_json(&c.p)));
}

enum MHD_Result h_people_get(struct http_req *req)
{
	struct db_person p;
	int rc;

	if (!HTTP_HAS(req, ROLE_ADMIN | ROLE_COORDINATOR | ROLE_TREASURER) &&
	    db_person_of_user(req->db, req->user.id) != req->params[0])
		return http_reply_error(req, 404, "id", "no person with id %lld",
					(long long)req->params[0]);
	rc = db_person_get(req->db, req->params[0], &p);
	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not read the person");
	if (rc == 0)
		return http_reply_error(req, 404, "id", "no person with id %lld",
					(long long)req->params[0]);
	return http_reply_json(req, 200, json_pack("{s:o}", "person", person_json(&p)));
}

static int update_person(struct db *db, void *arg)
{
	struct person_change *c = arg;

	if (db_person_update(db, &c->p) <= 0)
		return -1;
	return db_audit(db, c->user_id, "update", "person", c->p.id, c->p.full_name);
}

enum MHD_Result h_people_update(struct http_req *req)
{
	struct person_change c;
	struct field_err e;
	int rc = db_person_get(req->db, req->params[0], &c.p);

	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not read the person");
	if (rc == 0)
		return http_reply_error(req, 404, "id", "no person with id %lld",
					(long long)req->params[0]);
	c.user_id = req->user.id;
	if (person_from_json(req->json, &c.p, true, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	if (db_tx(req->db, update_person, &c) < 0)
		return http_reply_error(req, 500, NULL, "could not change the person");
	return http_reply_json(req, 200, json_pack("{s:o}", "person", person_json(&c.p)));
}

/* ---- memberships ---- */

static json_t *member_json(const struct db_membership *m)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:b}", "id", (json_int_t)m->id,
			      "person_id", (json_int_t)m->person_id, "full_name", m->full_name,
			      "class", m->class_code, "class_name", m->class_name, "joined_on",
			      m->joined_on, "share_pence", (json_int_t)m->share_pence,
			      "good_standing", m->good_standing);

	json_object_set_new(o, "left_on",
			    m->left_on[0] != '\0' ? json_string(m->left_on) : json_null());
	return o;
}

static int add_member_json(const struct db_membership *m, void *arg)
{
	return json_array_append_new(arg, member_json(m));
}

static int member_status_or_reply(struct http_req *req, enum db_member_status *st,
				  enum MHD_Result *r)
{
	const char *s = http_query(req, "status");

	if (*s == '\0' || strcmp(s, "current") == 0)
		*st = DB_MEMBERS_CURRENT;
	else if (strcmp(s, "former") == 0)
		*st = DB_MEMBERS_FORMER;
	else if (strcmp(s, "all") == 0)
		*st = DB_MEMBERS_ALL;
	else {
		*r = http_reply_error(req, 400, "status", "status must be current, former or all");
		return -1;
	}
	return 0;
}

enum MHD_Result h_members_list(struct http_req *req)
{
	enum db_member_status status;
	enum MHD_Result r;
	const char *q;
	json_t *members;

	if (http_query_search_or_reply(req, &q, &r) < 0 ||
	    member_status_or_reply(req, &status, &r) < 0)
		return r;
	members = json_array();
	if (db_member_each(req->db, q, status, add_member_json, members) < 0) {
		json_decref(members);
		return http_reply_error(req, 500, NULL, "could not list members");
	}
	return http_reply_json(req, 200, json_pack("{s:o}", "members", members));
}

struct member_change {
	int64_t id, person_id, class_id, share_pence, user_id;
	bool good_standing;
	char joined_on[11], left_on[11];
	char class_code[33];
	int conflict; /* set when the person is already a current member */
};

static int insert_member(struct db *db, void *arg)
{
	struct member_change *m = arg;
	struct db_person p;
	int rc = db_person_get(db, m->person_id, &p);

	if (rc <= 0)
		return rc < 0 ? -1 : -2; /* -2: unknown person */
	rc = db_member_insert(db, m->person_id, m->class_id, m->joined_on, m->share_pence,
			      m->good_standing, &m->id);
	if (rc == 0) {
		m->conflict = 1;
		return -3;
	}
	if (rc < 0)
		return -1;
	return db_audit(db, m->user_id, "create", "membership", m->id, m->class_code);
}

static int class_or_fail(struct http_req *req, struct member_change *m, struct field_err *e)
{
	struct db_class c;
	int rc;

	rc = db_class_by_code(req->db, m->class_code, &c);
	if (rc < 0)
		return field_fail(e, "", "could not read member classes");
	if (rc == 0)
		return field_fail(e, "class", "no member class with code %s", m->class_code);
	m->class_id = c.id;
	return 0;
}

enum MHD_Result h_members_create(struct http_req *req)
{
	struct member_change m = {.good_standing = true, .user_id = req->user.id};
	struct field_err e;
	int rc;

	if (jf_int(req->json, "person_id", 1, INT64_MAX, &m.person_id, JF_REQUIRED, &e) < 0 ||
	    jf_string(req->json, "class", m.class_code, sizeof m.class_code, JF_REQUIRED, &e) < 0 ||
	    jf_date(req->json, "joined_on", m.joined_on, JF_REQUIRED, &e) < 0 ||
	    jf_int(req->json, "share_pence", 0, INT64_MAX / 4, &m.share_pence, 0, &e) < 0 ||
	    jf_bool(req->json, "good_standing", &m.good_standing, 0, &e) < 0 ||
	    class_or_fail(req, &m, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	rc = db_tx(req->db, insert_member, &m);
	if (rc == -2)
		return http_reply_error(req, 400, "person_id", "no person with id %lld",
					(long long)m.person_id);
	if (rc == -3)
		return http_reply_error(
			req, 409, "person_id",
			"this person is already a member; end that membership first");
	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not add the membership");
	struct db_membership out;
	if (db_member_get(req->db, m.id, &out) <= 0)
		return http_reply_error(req, 500, NULL, "could not read the membership");
	return http_reply_json(req, 201, json_pack("{s:o}", "membership", member_json(&out)));
}

static int update_member(struct db *db, void *arg)
{
	struct member_change *m = arg;
	int rc = db_member_update(db, m->id, m->class_id, m->share_pence, m->good_standing);

	if (rc <= 0)
		return -1;
	return db_audit(db, m->user_id, "update", "membership", m->id, m->class_code);
}

enum MHD_Result h_members_update(struct http_req *req)
{
	struct db_membership cur;
	struct member_change m = {.id = req->params[0], .user_id = req->user.id};
	struct field_err e;
	int rc = db_member_get(req->db, m.id, &cur);

	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not read the membership");
	if (rc == 0)
		return http_reply_error(req, 404, "id", "no membership with id %lld",
					(long long)m.id);
	text_copy(m.class_code, sizeof m.class_code, cur.class_code);
	m.share_pence = cur.share_pence;
	m.good_standing = cur.good_standing;
	if (jf_string(req->json, "class", m.class_code, sizeof m.class_code, 0, &e) < 0 ||
	    jf_int(req->json, "share_pence", 0, INT64_MAX / 4, &m.share_pence, 0, &e) < 0 ||
	    jf_bool(req->json, "good_standing", &m.good_standing, 0, &e) < 0 ||
	    class_or_fail(req, &m, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	if (db_tx(req->db, update_member, &m) < 0)
		return http_reply_error(req, 500, NULL, "could not change the membership");
	if (db_member_get(req->db, m.id, &cur) <= 0)
		return http_reply_error(req, 500, NULL, "could not read the membership");
	return http_reply_json(req, 200, json_pack("{s:o}", "membership", member_json(&cur)));
}

static int end_member(struct db *db, void *arg)
{
	struct member_change *m = arg;

	if (db_member_end(db, m->id, m->left_on) <= 0)
		return -1;
	return db_audit(db, m->user_id, "update", "membership", m->id, "ended");
}

enum MHD_Result h_members_end(struct http_req *req)
{
	struct db_membership cur;
	struct member_change m = {.id = req->params[0], .user_id = req->user.id};
	struct field_err e;
	int rc = db_member_get(req->db, m.id, &cur);

	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not read the membership");
	if (rc == 0)
		return http_reply_error(req, 404, "id", "no membership with id %lld",
					(long long)m.id);
	if (jf_date(req->json, "left_on", m.left_on, JF_REQUIRED, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	if (cur.left_on[0] != '\0')
		return http_reply_error(req, 409, "id", "this membership ended on %s", cur.left_on);
	if (strcmp(m.left_on, cur.joined_on) < 0)
		return http_reply_error(req, 400, "left_on", "left_on is before joined_on (%s)",
					cur.joined_on);
	if (db_tx(req->db, end_member, &m) < 0)
		return http_reply_error(req, 500, NULL, "could not end the membership");
	if (db_member_get(req->db, m.id, &cur) <= 0)
		return http_reply_error(req, 500, NULL, "could not read the membership");
	return http_reply_json(req, 200, json_pack("{s:o}", "membership", member_json(&cur)));
}

static int member_csv_row(const struct db_membership *m, void *arg)
{
	struct textbuf *b = arg;
	char num[32], pounds[40];

	snprintf(num, sizeof num, "%lld", (long long)m->id);
	snprintf(pounds, sizeof pounds, "%lld.%02lld", (long long)(m->share_pence / 100),
		 (long long)(m->share_pence % 100));
	textbuf_csv(b, num, true, false);
	textbuf_csv(b, m->full_name, false, false);
	textbuf_csv(b, m->address, false, false);
	textbuf_csv(b, m->email, false, false);
	textbuf_csv(b, m->class_name, false, false);
	textbuf_csv(b, m->joined_on, true, false);
	textbuf_csv(b, m->left_on, true, false);
	snprintf(num, sizeof num, "%lld", (long long)m->share_pence);
	textbuf_csv(b, num, true, false);
	textbuf_csv(b, pounds, true, false);
	textbuf_csv(b, m->good_standing ? "yes" : "no", false, true);
	return b->failed ? 1 : 0;
}

/* The register of members the Co-operative and Community Benefit Societies
 * Act 2014 (s.30) asks for: names and addresses, shares held, the dates a
 * person became and ceased to be a member; current and former members. */
enum MHD_Result h_members_csv(struct http_req *req)
{
	static const char header[] = "membership_id,name,address,email,class,joined_on,left_on,"
				     "share_pence,share_pounds,good_standing\r\n";
	struct textbuf b = {0};

	textbuf_add(&b, header, sizeof header - 1);
	if (db_member_each(req->db, "", DB_MEMBERS_ALL, member_csv_row, &b) < 0) {
		textbuf_free(&b);
		return http_reply_error(req, 500, NULL, "could not read the register");
	}
	return http_reply_csv(req, &b, "register-of-members.csv");
}

/* ---- audit ---- */

static int add_audit_json(const struct db_audit_entry *a, void *arg)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s}", "id", (json_int_t)a->id, "at",
			      (json_int_t)a->at, "action", a->action, "object", a->object, "detail",
			      a->detail);

	json_object_set_new(o, "user", a->user_email[0] ? json_string(a->user_email) : json_null());
	json_object_set_new(o, "object_id",
			    a->object_id > 0 ? json_integer((json_int_t)a->object_id)
					     : json_null());
	return json_array_append_new(arg, o);
}

enum MHD_Result h_audit_list(struct http_req *req)
{
	const char *object = http_query(req, "object"), *id = http_query(req, "id");
	const char *limit = http_query(req, "limit");
	int64_t object_id = 0, n = 200;
	json_t *entries;

	if (strlen(object) > 31 || !text_utf8_valid(object, false))
		return http_reply_error(req, 400, "object",
					"object must be a kind such as recipient");
	if (*id != '\0' && text_parse_i64(id, 1, INT64_MAX, &object_id) != 0)
		return http_reply_error(req, 400, "id", "id must be a positive whole number");
	if (*limit != '\0' && text_parse_i64(limit, 1, 1000, &n) != 0)
		return http_reply_error(req, 400, "limit", "limit must be from 1 to 1000");
	entries = json_array();
	if (db_audit_each(req->db, object, object_id, (int)n, add_audit_json, entries) < 0) {
		json_decref(entries);
		return http_reply_error(req, 500, NULL, "could not read the audit log");
	}
	return http_reply_json(req, 200, json_pack("{s:o}", "entries", entries));
}
