/*
 * h_surplus: sharing the year's surplus (docs/API.md "Surplus"): the
 * surplus rulebook (versioned), runs for a financial year, preview and
 * what-if, approval linked to a carried proposal, payment, the CSV for the
 * bank and payroll, and each member's own statement.
 *
 * Who: the treasurer and admins do everything; a member sees only their
 * own lines of approved runs (anyone else's is 404, so ids reveal nothing).
 * The allocation is core/surplus.c, over the year's figures that
 * rota_io/surplus_year.c gathers; this file reads requests, runs that in
 * one transaction, and stores or replies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/care.h"
#include "core/roles.h"
#include "core/rota_report.h"
#include "core/surplus.h"
#include "core/text.h"
#include "db/db_rota.h"
#include "db/db_surplus.h"
#include "http/http_internal.h"
#include "rota_io/surplus_year.h"

#define TREASURY     (ROLE_TREASURER | ROLE_ADMIN)
#define NOTE_MAX     500
#define APPROVED_MSG "this run is approved and never changes; make a new run for a correction"

/* ---- money, percentages and rules as JSON ---- */

static void percent_text(int32_t bp, char out[16])
{
	snprintf(out, 16, "%d.%02d", bp / 100, bp % 100);
}

static json_t *pounds_json(int64_t pence)
{
	char s[32];

	surplus_format_pence(pence, s, sizeof s);
	return json_string(s);
}

/* A percentage member: a string "12.5" or a whole number; 0..100, at most
 * two decimals. Returns 1 set, 0 absent, -1 with e filled in. */
static int jf_percent(json_t *o, const char *prefix, const char *name, int32_t *bp,
		      struct field_err *e)
{
	json_t *v = json_object_get(o, name);
	char field[64], text[24];

	snprintf(field, sizeof field, "%s%s", prefix, name);
	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_integer(v))
		snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
	else if (json_is_string(v) && json_string_length(v) < sizeof text)
		text_copy(text, sizeof text, json_string_value(v));
	else
		return field_fail(e, field, "%s must be a percentage such as \"12.5\"", field);
	if (surplus_parse_percent(text, bp) != 0)
		return field_fail(e, field,
				  "%s must be from 0 to 100 with at most two decimals (not \"%s\")",
				  field, text);
	return 1;
}

/* A money member "12345.67": no sign, at most two decimals. */
static int jf_money(json_t *o, const char *field, int64_t *pence, unsigned flags,
		    struct field_err *e)
{
	json_t *v = json_object_get(o, field);
	char text[32];

	if (v == NULL || json_is_null(v)) {
		if (flags & JF_REQUIRED)
			return field_fail(e, field, "%s is required", field);
		return 0;
	}
	if (!json_is_string(v) || json_string_length(v) >= sizeof text)
		return field_fail(e, field,
				  "%s must be pounds and pence as text, e.g. \"12345.67\"", field);
	text_copy(text, sizeof text, json_string_value(v));
	if (text[0] == '-')
		return field_fail(e, field,
				  "%s cannot be negative: a deficit distributes nothing, so there "
				  "is no run to make",
				  field);
	if (surplus_parse_pence(text, SURPLUS_MAX_PENCE, pence) != 0)
		return field_fail(e, field,
				  "%s must be pounds and pence such as \"12345.67\" (at most two "
				  "decimals, no commas, at most 10,000,000,000.00)",
				  field);
	return 1;
}

/* Reads rules into rb from o; field names start with prefix ("" or
 * "whatif."). A member left out keeps rb's value (a what-if starts from the
 * run's rules). Checks the sums with core. */
static int rules_from_json(struct db *db, json_t *o, const char *prefix,
			   struct db_surplus_rulebook *rb, struct field_err *e)
{
	json_t *classes = json_object_get(o, "classes"), *cap = json_object_get(o, "interest_cap");
	struct surplus_input in = {.year_days = 365};
	struct surplus_result res;
	enum surplus_error se;
	char field[64];
	size_t bad;

	if (!json_is_object(o))
		return field_fail(e, prefix[0] ? "whatif" : "", "the rules must be an object");
	if (jf_percent(o, prefix, "reserve_percent", &rb->reserve_bp, e) < 0 ||
	    jf_percent(o, prefix, "fund_percent", &rb->fund_bp, e) < 0 ||
	    jf_percent(o, prefix, "interest_percent", &rb->interest_bp, e) < 0)
		return -1;
	snprintf(field, sizeof field, "%sinterest_cap", prefix);
	if (cap != NULL && json_is_null(cap))
		rb->interest_cap_pence = SURPLUS_NO_CAP;
	else if (cap != NULL) {
		json_t *wrap = json_pack("{s:O}", field, cap);
		int rc = jf_money(wrap, field, &rb->interest_cap_pence, 0, e);
		json_decref(wrap);
		if (rc < 0)
			return -1;
	}
	if (json_object_get(o, "note") != NULL) {
		snprintf(field, sizeof field, "%snote", prefix);
		json_t *wrap = json_pack("{s:O}", field, json_object_get(o, "note"));
		int rc = jf_string(wrap, field, rb->note, sizeof rb->note, JF_MULTILINE, e);
		json_decref(wrap);
		if (rc < 0)
			return -1;
	}
	if (classes != NULL) {
		size_t i;
		json_t *c;

		snprintf(field, sizeof field, "%sclasses", prefix);
		if (!json_is_array(classes) || json_array_size(classes) > SURPLUS_CLASSES_MAX)
			return field_fail(e, field, "%s must be a list of at most %d classes",
					  field, SURPLUS_CLASSES_MAX);
		rb->n_classes = 0;
		json_array_foreach (classes, i, c) {
			struct surplus_class_rule *r = &rb->classes[rb->n_classes];
			char code[33], basis[24], at[64], cfield[80];
			struct db_class dc;
			int rc;

			snprintf(at, sizeof at, "%.40s[%zu].", field, i);
			if (!json_is_object(c))
				return field_fail(e, field, "%s[%zu] must be an object", field, i);
			snprintf(cfield, sizeof cfield, "%sclass", at);
			json_t *wrap =
				json_pack("{s:O?, s:O?}", "class", json_object_get(c, "class"),
					  "basis", json_object_get(c, "basis"));
			rc = jf_string(wrap, "class", code, sizeof code, JF_REQUIRED, e);
			if (rc > 0)
				rc = jf_string(wrap, "basis", basis, sizeof basis, JF_REQUIRED, e);
			json_decref(wrap);
			if (rc < 0) {
				char member[16];
				text_copy(member, sizeof member, e->field);
				snprintf(e->field, sizeof e->field, "%.47s%.15s", at, member);
				return -1;
			}
			rc = db_class_by_code(db, code, &dc);
			if (rc < 0)
				return field_fail(e, NULL, "could not read the member classes");
			if (rc == 0)
				return field_fail(e, cfield, "no member class \"%s\"", code);
			r->class_id = dc.id;
			if (surplus_basis_parse(basis, &r->basis) != 0) {
				snprintf(cfield, sizeof cfield, "%sbasis", at);
				return field_fail(e, cfield,
						  "%s must be hours_worked, care_received, "
						  "share_capital or equal",
						  cfield);
			}
			r->pool_bp = 0;
			if (jf_percent(c, at, "percent", &r->pool_bp, e) < 0)
				return -1;
			rb->n_classes++;
		}
	}
	/* Core checks the sums and duplicates with no members and no surplus. */
	in.rules = (struct surplus_rules){rb->reserve_bp,         rb->fund_bp, rb->interest_bp,
					  rb->interest_cap_pence, rb->classes, rb->n_classes};
	se = surplus_allocate(&in, &res, &bad);
	surplus_result_release(&res);
	switch (se) {
	case SURPLUS_OK:
	case SURPLUS_NOTHING:
		return 0;
	case SURPLUS_ERR_PERCENT_SUM:
		if (rb->reserve_bp + rb->fund_bp > SURPLUS_BP_WHOLE) {
			snprintf(field, sizeof field, "%sfund_percent", prefix);
			return field_fail(e, field,
					  "the reserve and the fund add up to more "
					  "than 100 %%");
		}
		snprintf(field, sizeof field, "%sclasses", prefix);
		return field_fail(e, field, "the classes' shares add up to more than 100 %%");
	case SURPLUS_ERR_CLASS:
		snprintf(field, sizeof field, "%sclasses[%zu].class", prefix, bad);
		return field_fail(e, field, "each class may be listed once");
	default:
		snprintf(field, sizeof field, "%sinterest_cap", prefix);
		return field_fail(e, field, "%s", surplus_message(se));
	}
}

static json_t *rules_json(struct db *db, const struct db_surplus_rulebook *rb)
{
	json_t *o, *classes = json_array();
	char r[16], f[16], i[16];

	percent_text(rb->reserve_bp, r);
	percent_text(rb->fund_bp, f);
	percent_text(rb->interest_bp, i);
	for (size_t k = 0; k < rb->n_classes; k++) {
		char code[33] = "", name[201] = "", p[16];
		db_surplus_class_name(db, rb->classes[k].class_id, code, name);
		percent_text(rb->classes[k].pool_bp, p);
		json_array_append_new(classes,
				      json_pack("{s:I, s:s, s:s, s:s, s:s}", "class_id",
						(json_int_t)rb->classes[k].class_id, "class", code,
						"name", name, "percent", p, "basis",
						surplus_basis_name(rb->classes[k].basis)));
	}
	o = json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:I}", "version", (json_int_t)rb->version,
		      "reserve_percent", r, "fund_percent", f, "interest_percent", i, "classes",
		      classes, "note", rb->note, "created_at", (json_int_t)rb->created_at);
	json_object_set_new(o, "interest_cap",
			    rb->interest_cap_pence == SURPLUS_NO_CAP
				    ? json_null()
				    : pounds_json(rb->interest_cap_pence));
	return o;
}

/* ---- runs as JSON ---- */

static json_t *run_json(const struct db_surplus_run *r)
{
	json_t *o =
		json_pack("{s:I, s:s, s:s, s:I, s:o, s:I, s:s, s:s, s:I}", "id", (json_int_t)r->id,
			  "year_start", r->year_start, "year_end", r->year_end, "surplus_pence",
			  (json_int_t)r->surplus_pence, "surplus", pounds_json(r->surplus_pence),
			  "rulebook_version", (json_int_t)r->rulebook_version, "status", r->status,
			  "note", r->note, "created_at", (json_int_t)r->created_at);
	json_t *whatif = r->whatif[0] ? json_loads(r->whatif, 0, NULL) : NULL;

	json_object_set_new(o, "whatif", whatif != NULL ? whatif : json_null());
	json_object_set_new(o, "proposal",
			    r->proposal_id > 0
				    ? json_pack("{s:I, s:s}", "id", (json_int_t)r->proposal_id,
						"title", r->proposal_title)
				    : json_null());
	json_object_set_new(o, "approved_at",
			    r->approved_at ? json_integer(r->approved_at) : json_null());
	json_object_set_new(o, "paid_at", r->paid_at ? json_integer(r->paid_at) : json_null());
	return o;
}

static enum MHD_Result no_run(struct http_req *req)
{
	return http_reply_error(req, 404, "id", "no surplus run with id %lld",
				(long long)req->params[0]);
}

static int run_or_reply(struct http_req *req, struct db_surplus_run *run, enum MHD_Result *r)
{
	int rc = db_surplus_run_get(req->db, req->params[0], run);

	if (rc < 0)
		*r = http_reply_error(req, 500, NULL, "could not read the run");
	else if (rc == 0)
		*r = no_run(req);
	return rc == 1 ? 0 : -1;
}

static json_t *line_json(const struct db_surplus_line *l)
{
	json_t *o = json_pack(
		"{s:I, s:I, s:s, s:I, s:s, s:s, s:i, s:b, s:I, s:I, s:I, s:I, s:I,"
		" s:I, s:I}",
		"membership_id", (json_int_t)l->membership_id, "person_id",
		(json_int_t)l->person_id, "name", l->full_name, "class_id", (json_int_t)l->class_id,
		"class", l->class_code, "class_name", l->class_name, "days", l->days,
		"good_standing", l->good_standing, "worked_minutes", (json_int_t)l->worked_minutes,
		"care_minutes", (json_int_t)l->care_minutes, "share_pence",
		(json_int_t)l->share_pence, "weight", (json_int_t)l->weight, "interest_pence",
		(json_int_t)l->interest_pence, "dividend_pence", (json_int_t)l->dividend_pence,
		"total_pence", (json_int_t)l->total_pence);

	json_object_set_new(o, "basis", l->basis[0] ? json_string(l->basis) : json_null());
	json_object_set_new(o, "total", pounds_json(l->total_pence));
	return o;
}

static json_t *class_json(const struct db_surplus_class *c)
{
	char p[16];

	percent_text(c->pool_bp, p);
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "class_id",
			 (json_int_t)c->class_id, "class", c->code, "name", c->name, "percent", p,
			 "basis", c->basis, "pool_pence", (json_int_t)c->pool_pence, "paid_pence",
			 (json_int_t)c->paid_pence, "weight_total", (json_int_t)c->weight_total,
			 "members", (json_int_t)c->members);
}

/* The allocation with lines (y may be NULL when lines is given). */
static json_t *alloc_json(const struct surplus_alloc *a, int64_t surplus, json_t *lines)
{
	json_t *classes = json_array();
	json_t *o;

	for (size_t k = 0; k < a->nc; k++)
		json_array_append_new(classes, class_json(&a->classes[k]));
	o = json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o}", "status",
		      a->status == SURPLUS_OK ? "ok" : "nothing", "frozen", a->frozen,
		      "surplus_pence", (json_int_t)surplus, "reserve_pence",
		      (json_int_t)a->reserve_pence, "reserve_unassigned_pence",
		      (json_int_t)a->unassigned_pence, "reserve_unclaimed_pence",
		      (json_int_t)a->unclaimed_pence, "fund_pence", (json_int_t)a->fund_pence,
		      "interest_pence", (json_int_t)a->interest_pence, "dividend_pence",
		      (json_int_t)a->dividend_pence, "members", (json_int_t)json_array_size(lines),
		      "classes", classes, "lines", lines);
	json_object_set_new(o, "message",
			    a->status == SURPLUS_NOTHING
				    ? json_string(surplus_message(SURPLUS_NOTHING))
				    : json_null());
	return o;
}

static json_t *lines_json(const struct surplus_year *y)
{
	json_t *lines = json_array();

	for (size_t i = 0; i < y->n; i++)
		json_array_append_new(lines, line_json(&y->info[i]));
	return lines;
}

/* Computes the run's allocation with rb into JSON (*out), or fills why. */
static int compute_json(struct db *db, const struct db_surplus_run *run,
			const struct db_surplus_rulebook *rb, json_t **out, char *why, size_t n)
{
	struct surplus_year y = {0};
	struct surplus_alloc a;
	enum surplus_error se;
	int rc = -1;

	if (surplus_year_load(db, run, &y) < 0) {
		text_copy(why, n, y.err);
		goto out;
	}
	se = surplus_year_allocate(db, run->surplus_pence, rb, &y, &a);
	if (se != SURPLUS_OK && se != SURPLUS_NOTHING) {
		text_copy(why, n, surplus_message(se));
		goto out;
	}
	*out = alloc_json(&a, run->surplus_pence, lines_json(&y));
	surplus_result_release(&a.res);
	rc = 0;
out:
	surplus_year_free(&y);
	return rc;
}

/* ---- frozen allocation of an approved run ---- */

static int add_line_json(const struct db_surplus_line *l, void *arg)
{
	return json_array_append_new(arg, line_json(l));
}

static int add_class(const struct db_surplus_class *c, void *arg)
{
	struct surplus_alloc *a = arg;

	if (a->nc < SURPLUS_CLASSES_MAX)
		a->classes[a->nc++] = *c;
	return 0;
}

static json_t *frozen_json(struct db *db, const struct db_surplus_run *run)
{
	struct surplus_alloc a;
	json_t *lines = json_array();
	int64_t pools = 0;

	memset(&a, 0, sizeof a);
	a.status = SURPLUS_OK;
	a.frozen = true;
	a.reserve_pence = run->reserve_pence;
	a.fund_pence = run->fund_pence;
	a.interest_pence = run->interest_pence;
	a.dividend_pence = run->dividend_pence;
	if (db_surplus_class_each(db, run->id, add_class, &a) < 0 ||
	    db_surplus_line_each(db, run->id, 0, add_line_json, lines) < 0) {
		json_decref(lines);
		return NULL;
	}
	for (size_t k = 0; k < a.nc; k++) {
		pools += a.classes[k].pool_pence;
		a.unclaimed_pence += a.classes[k].pool_pence - a.classes[k].paid_pence;
	}
	a.unassigned_pence = a.dividend_pence - pools;
	return alloc_json(&a, run->surplus_pence, lines);
}

/* ---- rulebook routes ---- */

static int add_rulebook(const struct db_surplus_rulebook *rb, void *arg)
{
	struct http_req *req = ((void **)arg)[0];
	return json_array_append_new(((void **)arg)[1], rules_json(req->db, rb));
}

enum MHD_Result h_surplus_rulebooks_list(struct http_req *req)
{
	json_t *list = json_array();
	void *ctx[2] = {req, list};

	if (db_surplus_rulebook_each(req->db, add_rulebook, ctx) < 0) {
		json_decref(list);
		return http_reply_error(req, 500, NULL, "could not read the surplus rules");
	}
	return http_reply_json(req, 200, json_pack("{s:o}", "rulebooks", list));
}

struct rulebook_change {
	struct db_surplus_rulebook rb;
	int64_t user_id, version;
};

static int insert_rulebook(struct db *db, void *arg)
{
	struct rulebook_change *c = arg;
	return db_surplus_rulebook_insert(db, &c->rb, c->user_id, db_now(), &c->version);
}

enum MHD_Result h_surplus_rulebooks_create(struct http_req *req)
{
	struct rulebook_change *c = calloc(1, sizeof *c);
	struct field_err e = {{0}, {0}};
	enum MHD_Result r;

	if (c == NULL)
		return http_reply_error(req, 500, NULL, "out of memory");
	/* A new version starts from the current one: members left out keep it. */
	if (db_surplus_rulebook_get(req->db, 0, &c->rb) < 0) {
		r = http_reply_error(req, 500, NULL, "could not read the surplus rules");
		goto out;
	}
	c->rb.note[0] = '\0';
	if (json_object_get(req->json, "interest_cap") == NULL && c->rb.version == 0)
		c->rb.interest_cap_pence = SURPLUS_NO_CAP;
	if (rules_from_json(req->db, req->json, "", &c->rb, &e) < 0) {
		r = http_reply_field_error(req, 400, &e);
		goto out;
	}
	c->user_id = req->user.id;
	if (db_tx(req->db, insert_rulebook, c) <= 0 ||
	    db_surplus_rulebook_get(req->db, c->version, &c->rb) <= 0) {
		r = http_reply_error(req, 500, NULL, "could not save the surplus rules");
		goto out;
	}
	r = http_reply_json(req, 201, json_pack("{s:o}", "rulebook", rules_json(req->db, &c->rb)));
out:
	free(c);
	return r;
}

/* ---- run routes ---- */

static int add_run(const struct db_surplus_run *run, void *arg)
{
	return json_array_append_new(arg, run_json(run));
}

enum MHD_Result h_surplus_runs_list(struct http_req *req)
{
	json_t *list = json_array();

	if (db_surplus_run_each(req->db, add_run, list) < 0) {
		json_decref(list);
		return http_reply_error(req, 500, NULL, "could not read the surplus runs");
	}
	return http_reply_json(req, 200, json_pack("{s:o}", "runs", list));
}

/* Reads a rulebook version member (0: the latest) or replies. */
static int rulebook_or_reply(struct http_req *req, int64_t version, struct db_surplus_rulebook *rb,
			     enum MHD_Result *r)
{
	int rc = db_surplus_rulebook_get(req->db, version, rb);

	if (rc < 0)
		*r = http_reply_error(req, 500, NULL, "could not read the surplus rules");
	else if (rc == 0 && version == 0)
		*r = http_reply_error(req, 409, "rulebook_version",
				      "set the co-op's surplus rules first");
	else if (rc == 0)
		*r = http_reply_error(req, 400, "rulebook_version",
				      "no surplus rulebook version %lld", (long long)version);
	return rc == 1 ? 0 : -1;
}

struct run_change {
	struct db_surplus_run run;
	int64_t user_id;
};

static int insert_run(struct db *db, void *arg)
{
	struct run_change *c = arg;
	return db_surplus_run_insert(db, &c->run, c->user_id, db_now(), &c->run.id);
}

enum MHD_Result h_surplus_runs_create(struct http_req *req)
{
	struct run_change *c = calloc(1, sizeof *c);
	struct db_surplus_rulebook *rb = calloc(1, sizeof *rb);
	struct field_err e = {{0}, {0}};
	enum MHD_Result r;
	int64_t version = 0;
	int32_t days;

	if (c == NULL || rb == NULL) {
		r = http_reply_error(req, 500, NULL, "out of memory");
		goto out;
	}
	if (jf_date(req->json, "year_start", c->run.year_start, JF_REQUIRED, &e) < 0 ||
	    jf_date(req->json, "year_end", c->run.year_end, JF_REQUIRED, &e) < 0 ||
	    jf_money(req->json, "surplus", &c->run.surplus_pence, JF_REQUIRED, &e) < 0 ||
	    jf_string(req->json, "note", c->run.note, NOTE_MAX + 1, JF_MULTILINE, &e) < 0 ||
	    jf_int(req->json, "rulebook_version", 1, INT32_MAX, &version, 0, &e) < 0) {
		r = http_reply_field_error(req, 400, &e);
		goto out;
	}
	days = surplus_days_in(c->run.year_start, c->run.year_end, c->run.year_start, "");
	if (strcmp(c->run.year_end, c->run.year_start) <= 0 || days > SURPLUS_YEAR_DAYS_MAX) {
		r = http_reply_error(req, 400, "year_end",
				     "year_end must be after year_start, at most 18 months on");
		goto out;
	}
	if (rulebook_or_reply(req, version, rb, &r) < 0)
		goto out;
	c->run.rulebook_version = rb->version;
	c->user_id = req->user.id;
	if (db_tx(req->db, insert_run, c) <= 0 ||
	    db_surplus_run_get(req->db, c->run.id, &c->run) <= 0) {
		r = http_reply_error(req, 500, NULL, "could not save the run");
		goto out;
	}
	r = http_reply_json(req, 201, json_pack("{s:o}", "run", run_json(&c->run)));
out:
	free(c);
	free(rb);
	return r;
}

enum MHD_Result h_surplus_run_get(struct http_req *req)
{
	struct db_surplus_run *run = calloc(1, sizeof *run);
	struct db_surplus_rulebook *rb = calloc(1, sizeof *rb);
	json_t *alloc = NULL;
	enum MHD_Result r;
	char why[256] = "";

	if (run == NULL || rb == NULL) {
		r = http_reply_error(req, 500, NULL, "out of memory");
		goto out;
	}
	if (run_or_reply(req, run, &r) < 0 ||
	    rulebook_or_reply(req, run->rulebook_version, rb, &r) < 0)
		goto out;
	if (strcmp(run->status, "draft") != 0)
		alloc = frozen_json(req->db, run);
	else if (compute_json(req->db, run, rb, &alloc, why, sizeof why) < 0)
		alloc = NULL;
	if (alloc == NULL && why[0] == '\0') {
		r = http_reply_error(req, 500, NULL, "could not read the run's lines");
		goto out;
	}
	r = http_reply_json(req, 200,
			    json_pack("{s:o, s:o, s:o, s:o}", "run", run_json(run), "rulebook",
				      rules_json(req->db, rb), "allocation",
				      alloc != NULL ? alloc : json_null(), "problem",
				      why[0] ? json_string(why) : json_null()));
out:
	free(run);
	free(rb);
	return r;
}

static int update_run(struct db *db, void *arg)
{
	return db_surplus_run_update_draft(db, &((struct run_change *)arg)->run);
}

enum MHD_Result h_surplus_run_update(struct http_req *req)
{
	struct run_change *c = calloc(1, sizeof *c);
	struct db_surplus_rulebook *rb = calloc(1, sizeof *rb);
	struct field_err e = {{0}, {0}};
	enum MHD_Result r;
	int64_t version = 0;
	int rc;

	if (c == NULL || rb == NULL) {
		r = http_reply_error(req, 500, NULL, "out of memory");
		goto out;
	}
	if (run_or_reply(req, &c->run, &r) < 0)
		goto out;
	if (strcmp(c->run.status, "draft") != 0) {
		r = http_reply_error(req, 409, NULL, APPROVED_MSG);
		goto out;
	}
	if (jf_money(req->json, "surplus", &c->run.surplus_pence, 0, &e) < 0 ||
	    jf_string(req->json, "note", c->run.note, NOTE_MAX + 1, JF_MULTILINE, &e) < 0 ||
	    (rc = jf_int(req->json, "rulebook_version", 1, INT32_MAX, &version, 0, &e)) < 0) {
		r = http_reply_field_error(req, 400, &e);
		goto out;
	}
	if (rc == 1) {
		if (rulebook_or_reply(req, version, rb, &r) < 0)
			goto out;
		c->run.rulebook_version = version;
	}
	rc = db_tx(req->db, update_run, c);
	if (rc == 0) {
		r = http_reply_error(req, 409, NULL, APPROVED_MSG);
		goto out;
	}
	if (rc < 0 || db_surplus_run_get(req->db, c->run.id, &c->run) <= 0) {
		r = http_reply_error(req, 500, NULL, "could not save the run");
		goto out;
	}
	r = http_reply_json(req, 200, json_pack("{s:o}", "run", run_json(&c->run)));
out:
	free(c);
	free(rb);
	return r;
}

/* POST /preview: the run's allocation with its rules, and with the what-if
 * rules of the body (or the saved ones) beside it. Nothing is saved. */
enum MHD_Result h_surplus_run_preview(struct http_req *req)
{
	struct db_surplus_run *run = calloc(1, sizeof *run);
	struct db_surplus_rulebook *rb = calloc(1, sizeof *rb), *alt = calloc(1, sizeof *alt);
	struct field_err e = {{0}, {0}};
	json_t *base = NULL, *other = NULL, *whatif = json_object_get(req->json, "whatif");
	json_t *saved = NULL;
	enum MHD_Result r;
	char why[256] = "";

	if (run == NULL || rb == NULL || alt == NULL) {
		r = http_reply_error(req, 500, NULL, "out of memory");
		goto out;
	}
	if (run_or_reply(req, run, &r) < 0 ||
	    rulebook_or_reply(req, run->rulebook_version, rb, &r) < 0)
		goto out;
	if (strcmp(run->status, "draft") != 0) {
		/* Its lines are fixed: a live figure beside them would only mislead. */
		r = http_reply_error(req, 409, NULL,
				     "this run is approved; its fixed lines are in the run itself");
		goto out;
	}
	if (whatif == NULL && run->whatif[0] != '\0')
		whatif = saved = json_loads(run->whatif, 0, NULL);
	if (whatif != NULL && !json_is_null(whatif)) {
		*alt = *rb;
		if (rules_from_json(req->db, whatif, "whatif.", alt, &e) < 0) {
			r = http_reply_field_error(req, 400, &e);
			goto out;
		}
	}
	if (compute_json(req->db, run, rb, &base, why, sizeof why) < 0 ||
	    (alt->version != 0 && compute_json(req->db, run, alt, &other, why, sizeof why) < 0)) {
		json_decref(base);
		r = http_reply_error(req, 409, NULL, "cannot compute the allocation: %s", why);
		goto out;
	}
	r = http_reply_json(req, 200,
			    json_pack("{s:o, s:o, s:o, s:o}", "run", run_json(run), "allocation",
				      base, "whatif", other != NULL ? other : json_null(),
				      "whatif_rules",
				      other != NULL ? rules_json(req->db, alt) : json_null()));
out:
	json_decref(saved);
	free(run);
	free(rb);
	free(alt);
	return r;
}

/* PUT /whatif: keeps the treasurer's what-if rules with a draft run. */
enum MHD_Result h_surplus_run_whatif(struct http_req *req)
{
	struct run_change *c = calloc(1, sizeof *c);
	struct db_surplus_rulebook *rb = calloc(1, sizeof *rb);
	struct field_err e = {{0}, {0}};
	json_t *whatif = json_object_get(req->json, "whatif");
	enum MHD_Result r;
	char *text = NULL;

	if (c == NULL || rb == NULL) {
		r = http_reply_error(req, 500, NULL, "out of memory");
		goto out;
	}
	if (run_or_reply(req, &c->run, &r) < 0 ||
	    rulebook_or_reply(req, c->run.rulebook_version, rb, &r) < 0)
		goto out;
	if (strcmp(c->run.status, "draft") != 0) {
		r = http_reply_error(req, 409, NULL, APPROVED_MSG);
		goto out;
	}
	c->run.whatif[0] = '\0';
	if (whatif != NULL && !json_is_null(whatif)) {
		if (rules_from_json(req->db, whatif, "whatif.", rb, &e) < 0) {
			r = http_reply_field_error(req, 400, &e);
			goto out;
		}
		text = json_dumps(whatif, JSON_COMPACT | JSON_SORT_KEYS);
		if (text == NULL || strlen(text) >= sizeof c->run.whatif) {
			r = http_reply_error(req, 400, "whatif", "the what-if rules are too long");
			goto out;
		}
		text_copy(c->run.whatif, sizeof c->run.whatif, text);
	}
	if (db_tx(req->db, update_run, c) <= 0 ||
	    db_surplus_run_get(req->db, c->run.id, &c->run) <= 0) {
		r = http_reply_error(req, 500, NULL, "could not save the what-if rules");
		goto out;
	}
	r = http_reply_json(req, 200, json_pack("{s:o}", "run", run_json(&c->run)));
out:
	free(text);
	free(c);
	free(rb);
	return r;
}

struct approval {
	struct db_surplus_run run;
	struct db_surplus_rulebook rb;
	int64_t user_id;
	char err[256];
	bool nothing; /* a zero surplus: nothing to approve */
};

/* One transaction: load the year, allocate, write lines and classes, then
 * mark the run approved (the triggers freeze everything from then on). */
static int approve_run(struct db *db, void *arg)
{
	struct approval *ap = arg;
	struct surplus_year y = {0};
	struct surplus_alloc a;
	enum surplus_error se;
	int rc = -1;

	if (surplus_year_load(db, &ap->run, &y) < 0) {
		text_copy(ap->err, sizeof ap->err, y.err);
		goto out;
	}
	se = surplus_year_allocate(db, ap->run.surplus_pence, &ap->rb, &y, &a);
	if (se == SURPLUS_NOTHING) {
		surplus_result_release(&a.res);
		ap->nothing = true;
		rc = -2;
		goto out;
	}
	if (se != SURPLUS_OK) {
		text_copy(ap->err, sizeof ap->err, surplus_message(se));
		goto out;
	}
	for (size_t i = 0; i < y.n; i++)
		if (db_surplus_line_insert(db, ap->run.id, &y.info[i]) <= 0)
			goto release;
	for (size_t k = 0; k < a.nc; k++)
		if (db_surplus_class_insert(db, ap->run.id, &a.classes[k]) <= 0)
			goto release;
	ap->run.reserve_pence = a.reserve_pence;
	ap->run.fund_pence = a.fund_pence;
	ap->run.interest_pence = a.interest_pence;
	ap->run.dividend_pence = a.dividend_pence;
	rc = db_surplus_run_approve(db, &ap->run, ap->user_id, db_now());
	if (rc == 0)
		rc = -3; /* approved meanwhile, or the proposal approves another run */
release:
	surplus_result_release(&a.res);
out:
	surplus_year_free(&y);
	return rc;
}

enum MHD_Result h_surplus_run_approve(struct http_req *req)
{
	struct approval *ap = calloc(1, sizeof *ap);
	struct field_err e = {{0}, {0}};
	enum MHD_Result r;
	char title[201] = "";
	bool carried = false;
	int rc;

	if (ap == NULL)
		return http_reply_error(req, 500, NULL, "out of memory");
	if (run_or_reply(req, &ap->run, &r) < 0)
		goto out;
	if (jf_int(req->json, "proposal_id", 1, INT64_MAX, &ap->run.proposal_id, JF_REQUIRED, &e) <
	    0) {
		r = http_reply_field_error(req, 400, &e);
		goto out;
	}
	if (strcmp(ap->run.status, "draft") != 0) {
		r = http_reply_error(req, 409, NULL, "this run is already approved");
		goto out;
	}
	rc = db_surplus_proposal(req->db, ap->run.proposal_id, title, sizeof title, &carried);
	if (rc < 0) {
		r = http_reply_error(req, 500, NULL, "could not read the proposal");
		goto out;
	}
	if (rc == 0 || !carried) {
		r = http_reply_error(req, 400, "proposal_id",
				     rc == 0 ? "no proposal with id %lld"
					     : "proposal %lld has not been carried: a run is "
					       "approved only by a decided, carried proposal",
				     (long long)ap->run.proposal_id);
		goto out;
	}
	if (ap->run.surplus_pence <= 0) {
		r = http_reply_error(req, 409, "surplus", "%s", surplus_message(SURPLUS_NOTHING));
		goto out;
	}
	if (db_surplus_rulebook_get(req->db, ap->run.rulebook_version, &ap->rb) <= 0) {
		r = http_reply_error(req, 500, NULL, "could not read the surplus rules");
		goto out;
	}
	ap->user_id = req->user.id;
	rc = db_tx(req->db, approve_run, ap);
	if (rc == -3) {
		r = http_reply_error(req, 409, "proposal_id",
				     "this proposal already approves another run, or the run was "
				     "approved meanwhile");
		goto out;
	}
	if (rc == -2) {
		r = http_reply_error(req, 409, "surplus", "%s", surplus_message(SURPLUS_NOTHING));
		goto out;
	}
	if (rc <= 0) {
		r = http_reply_error(req, ap->err[0] ? 409 : 500, NULL, "could not approve: %s",
				     ap->err[0] ? ap->err : "database error");
		goto out;
	}
	if (db_surplus_run_get(req->db, ap->run.id, &ap->run) <= 0) {
		r = http_reply_error(req, 500, NULL, "could not read the run");
		goto out;
	}
	r = http_reply_json(req, 200, json_pack("{s:o}", "run", run_json(&ap->run)));
out:
	free(ap);
	return r;
}

struct paying {
	int64_t id, user_id;
};

static int pay_run(struct db *db, void *arg)
{
	struct paying *p = arg;
	return db_surplus_run_paid(db, p->id, p->user_id, db_now());
}

enum MHD_Result h_surplus_run_paid(struct http_req *req)
{
	struct db_surplus_run *run = calloc(1, sizeof *run);
	struct paying p = {req->params[0], req->user.id};
	enum MHD_Result r;
	int rc;

	if (run == NULL)
		return http_reply_error(req, 500, NULL, "out of memory");
	if (run_or_reply(req, run, &r) < 0)
		goto out;
	if (strcmp(run->status, "approved") != 0) {
		r = http_reply_error(req, 409, NULL,
				     strcmp(run->status, "paid") == 0
					     ? "this run is already recorded as paid"
					     : "approve the run before recording it as paid");
		goto out;
	}
	rc = db_tx(req->db, pay_run, &p);
	if (rc <= 0 || db_surplus_run_get(req->db, p.id, run) <= 0) {
		r = http_reply_error(req, rc == 0 ? 409 : 500, NULL,
				     "could not record the payment");
		goto out;
	}
	r = http_reply_json(req, 200, json_pack("{s:o}", "run", run_json(run)));
out:
	free(run);
	return r;
}

static int csv_line(const struct db_surplus_line *l, void *arg)
{
	struct textbuf *b = arg;
	char num[32];

	snprintf(num, sizeof num, "%lld", (long long)l->membership_id);
	textbuf_csv(b, num, true, false);
	snprintf(num, sizeof num, "%lld", (long long)l->person_id);
	textbuf_csv(b, num, true, false);
	textbuf_csv(b, l->full_name, false, false);
	textbuf_csv(b, l->email, false, false);
	textbuf_csv(b, l->class_code, false, false);
	textbuf_csv(b, l->basis, false, false);
	snprintf(num, sizeof num, "%d", l->days);
	textbuf_csv(b, num, true, false);
	snprintf(num, sizeof num, "%lld", (long long)l->worked_minutes);
	textbuf_csv(b, num, true, false);
	snprintf(num, sizeof num, "%lld", (long long)l->care_minutes);
	textbuf_csv(b, num, true, false);
	snprintf(num, sizeof num, "%lld", (long long)l->share_pence);
	textbuf_csv(b, num, true, false);
	snprintf(num, sizeof num, "%lld", (long long)l->interest_pence);
	textbuf_csv(b, num, true, false);
	snprintf(num, sizeof num, "%lld", (long long)l->dividend_pence);
	textbuf_csv(b, num, true, false);
	snprintf(num, sizeof num, "%lld", (long long)l->total_pence);
	textbuf_csv(b, num, true, false);
	surplus_format_pence(l->total_pence, num, sizeof num);
	textbuf_csv(b, num, true, true);
	return b->failed ? 1 : 0;
}

/* The payments of an approved run for the bank and payroll: one row per
 * membership, amounts in pence and pounds; text fields are guarded against
 * spreadsheet formulas (core/csvout). */
enum MHD_Result h_surplus_run_csv(struct http_req *req)
{
	static const char header[] =
		"membership_id,person_id,name,email,class,basis,days,worked_minutes,care_minutes,"
		"share_pence,interest_pence,dividend_pence,total_pence,total_pounds\r\n";
	struct db_surplus_run *run = calloc(1, sizeof *run);
	struct textbuf b = {0};
	enum MHD_Result r;
	char filename[64];

	if (run == NULL)
		return http_reply_error(req, 500, NULL, "out of memory");
	if (run_or_reply(req, run, &r) < 0)
		goto out;
	if (strcmp(run->status, "draft") == 0) {
		r = http_reply_error(req, 409, NULL,
				     "a draft run has no payments yet; approve it first");
		goto out;
	}
	textbuf_add(&b, header, sizeof header - 1);
	if (db_surplus_line_each(req->db, run->id, 0, csv_line, &b) < 0 || b.failed) {
		textbuf_free(&b);
		r = http_reply_error(req, 500, NULL, "could not read the run's lines");
		goto out;
	}
	snprintf(filename, sizeof filename, "surplus-%s-%s.csv", run->year_start, run->year_end);
	r = http_reply_csv(req, &b, filename);
out:
	free(run);
	return r;
}

/* ---- statements ---- */

struct statement {
	struct db *db;
	int64_t membership; /* 0: every line */
	json_t *out;
	bool found;
};

/* How one line was worked out, in sentences, from the frozen figures. */
static json_t *explain(const struct db_surplus_line *l, const struct db_surplus_run *run,
		       const struct db_surplus_rulebook *rb, const struct db_surplus_class *c)
{
	json_t *how = json_array();
	char s[512], a[32], b[32], rate[16], cap[48] = ", at most £";
	int32_t year = surplus_days_in(run->year_start, run->year_end, run->year_start, "");

	snprintf(s, sizeof s, "You were a member for %d of the %d days of the year %s to %s.",
		 l->days, year, run->year_start, run->year_end);
	json_array_append_new(how, json_string(s));
	surplus_format_pence(l->share_pence, a, sizeof a);
	surplus_format_pence(l->interest_pence, b, sizeof b);
	percent_text(rb->interest_bp, rate);
	if (rb->interest_cap_pence != SURPLUS_NO_CAP)
		surplus_format_pence(rb->interest_cap_pence, cap + strlen(cap),
				     sizeof cap - strlen(cap));
	snprintf(s, sizeof s,
		 "Interest on your share capital of £%s at %s %% a year for those days%s: "
		 "£%s (whole pence; scaled down only if the surplus could not pay all "
		 "interest due).",
		 a, rate, rb->interest_cap_pence != SURPLUS_NO_CAP ? cap : "", b);
	json_array_append_new(how, json_string(s));
	if (c == NULL || l->basis[0] == '\0') {
		json_array_append_new(
			how,
			json_string("Your class has no share of the dividend pool this year."));
		return how;
	}
	if (!l->good_standing) {
		json_array_append_new(how, json_string("Members not in good standing have no "
						       "share of the dividend pool."));
		return how;
	}
	surplus_format_pence(c->pool_pence, a, sizeof a);
	surplus_format_pence(l->dividend_pence, b, sizeof b);
	const char *unit = strcmp(l->basis, "hours_worked") == 0    ? "minutes worked"
			   : strcmp(l->basis, "care_received") == 0 ? "minutes of care"
			   : strcmp(l->basis, "share_capital") == 0 ? "pence-days of share capital"
								    : "days of membership";
	snprintf(s, sizeof s,
		 "%s share £%s, split by %s: your %lld of the class's %lld %s gives £%s (whole "
		 "pence; leftover pennies go to the largest remainders).",
		 c->name, a, unit, (long long)l->weight, (long long)c->weight_total, unit, b);
	json_array_append_new(how, json_string(s));
	return how;
}

static int find_class(const struct db_surplus_class *c, void *arg)
{
	struct db_surplus_class *want = arg;

	if (c->class_id == want->class_id) {
		*want = *c;
		want->members = -1; /* found */
	}
	return 0;
}

static json_t *statement_json(struct db *db, const struct db_surplus_run *run,
			      const struct db_surplus_line *l)
{
	struct db_surplus_class c = {.class_id = l->class_id};
	struct db_surplus_rulebook *rb = calloc(1, sizeof *rb);
	json_t *o = line_json(l);

	if (rb == NULL || db_surplus_rulebook_get(db, run->rulebook_version, rb) <= 0) {
		free(rb);
		return o; /* without the explanation rather than nothing */
	}
	db_surplus_class_each(db, run->id, find_class, &c);
	json_object_set_new(o, "run", run_json(run));
	json_object_set_new(o, "class_pool_pence",
			    c.members == -1 ? json_integer(c.pool_pence) : json_null());
	json_object_set_new(o, "class_weight_total",
			    c.members == -1 ? json_integer(c.weight_total) : json_null());
	json_object_set_new(o, "how", explain(l, run, rb, c.members == -1 ? &c : NULL));
	free(rb);
	return o;
}

static int add_statement(int64_t run_id, const struct db_surplus_line *l, void *arg)
{
	struct statement *st = arg;
	struct db_surplus_run *run = malloc(sizeof *run);

	if (run == NULL)
		return 1;
	if (db_surplus_run_get(st->db, run_id, run) == 1 && strcmp(run->status, "draft") != 0)
		json_array_append_new(st->out, statement_json(st->db, run, l));
	free(run);
	return 0;
}

/* GET /api/me/surplus: the person's own lines of approved and paid runs. */
enum MHD_Result h_surplus_me(struct http_req *req)
{
	struct statement st = {.db = req->db, .out = json_array()};
	int64_t me = db_person_of_user(req->db, req->user.id);

	if (me < 0 ||
	    (me > 0 && db_surplus_line_each_of_person(req->db, me, add_statement, &st) < 0)) {
		json_decref(st.out);
		return http_reply_error(req, 500, NULL, "could not read your statement");
	}
	return http_reply_json(req, 200, json_pack("{s:o}", "statements", st.out));
}

static int pick_line(const struct db_surplus_line *l, void *arg)
{
	struct statement *st = arg;
	struct db_surplus_line *out = (struct db_surplus_line *)(void *)st->out;

	if (l->membership_id == st->membership) {
		*out = *l;
		st->found = true;
		return 1;
	}
	return 0;
}

/* GET /runs/{id}/members/{membership}: one line with its explanation. The
 * treasurer and admins see anyone's; a member only their own (else 404). */
enum MHD_Result h_surplus_run_member(struct http_req *req)
{
	struct db_surplus_run *run = calloc(1, sizeof *run);
	struct db_surplus_line *line = calloc(1, sizeof *line);
	struct statement st = {.db = req->db, .membership = req->params[1]};
	int64_t me = 0;
	enum MHD_Result r;
	int rc;

	if (run == NULL || line == NULL) {
		r = http_reply_error(req, 500, NULL, "out of memory");
		goto out;
	}
	st.out = (json_t *)(void *)line;
	if (!HTTP_HAS(req, TREASURY) && (me = db_person_of_user(req->db, req->user.id)) <= 0) {
		r = http_reply_error(req, 404, "membership", "no such statement");
		goto out;
	}
	rc = db_surplus_run_get(req->db, req->params[0], run);
	if (rc < 0) {
		r = http_reply_error(req, 500, NULL, "could not read the run");
		goto out;
	}
	if (rc == 0 || strcmp(run->status, "draft") == 0) {
		r = http_reply_error(req, 404, "membership", "no such statement");
		goto out;
	}
	if (db_surplus_line_each(req->db, run->id, me, pick_line, &st) < 0) {
		r = http_reply_error(req, 500, NULL, "could not read the statement");
		goto out;
	}
	if (!st.found) {
		r = http_reply_error(req, 404, "membership", "no such statement");
		goto out;
	}
	r = http_reply_json(req, 200,
			    json_pack("{s:o}", "statement", statement_json(req->db, run, line)));
out:
	free(run);
	free(line);
	return r;
}

static int add_proposal(int64_t id, const char *title, void *arg)
{
	return json_array_append_new(arg,
				     json_pack("{s:I, s:s}", "id", (json_int_t)id, "title", title));
}

/* GET /api/surplus/proposals: carried proposals that approve no run yet. */
enum MHD_Result h_surplus_proposals(struct http_req *req)
{
	json_t *list = json_array();

	if (db_surplus_carried_each(req->db, add_proposal, list) < 0) {
		json_decref(list);
		return http_reply_error(req, 500, NULL, "could not read the proposals");
	}
	return http_reply_json(req, 200, json_pack("{s:o}", "proposals", list));
}
