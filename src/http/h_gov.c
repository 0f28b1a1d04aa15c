/*
 * h_gov: governance over JSON (docs/API.md "Governance"): the rulebook,
 * proposals and their lifecycle, ballots, proxies, comments, results and
 * the public tally exports (JSON, CSV, BLT) from which anyone can recompute
 * a result and find their own receipt.
 *
 * Who may do what: admins keep the rulebook and create, open and close
 * proposals (drafts are theirs alone: 404 to anyone else); any signed-in
 * person reads open and closed proposals; members in the electorate
 * snapshot vote, comment and appoint proxies; exports exist once a
 * proposal has closed. The steps that load, count and save are in
 * h_gov_count.c, shared with the demo and the no-JavaScript pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/token.h"
#include "core/roles.h"
#include "core/tally.h"
#include "core/text.h"
#include "db/db_gov.h"
#include "http/gov_count.h"
#include "http/http_internal.h"

#define COMMENT_MAX 4000

static enum MHD_Result no_proposal(struct http_req *req, int64_t id)
{
	return http_reply_error(req, 404, "id", "no proposal with id %lld", (long long)id);
}

/* Loads proposal params[0] into p when the caller may see it; else replies
 * 404 (a draft is shown to admins only) or 500 into *r. */
static int proposal_or_reply(struct http_req *req, struct db_proposal *p, enum MHD_Result *r)
{
	int rc = db_proposal_get(req->db, req->params[0], p);

	if (rc < 0) {
		*r = http_reply_error(req, 500, NULL, "could not read the proposal");
		return -1;
	}
	if (rc == 0 || (strcmp(p->status, "draft") == 0 && !HTTP_HAS(req, ROLE_ADMIN))) {
		*r = no_proposal(req, req->params[0]);
		return -1;
	}
	return 0;
}

bool gov_closed(const struct db_proposal *p)
{
	return strcmp(p->status, "closed") == 0 || strcmp(p->status, "decided") == 0;
}

static int note_due(int64_t id, void *arg)
{
	(void)id;
	*(bool *)arg = true;
	return 1;
}

void gov_close_due(struct http_req *req)
{
	int64_t now = db_now();
	bool any = false;

	/* Proposals whose closing time has passed are counted on the next
	 * read (a plain read first, so that reads do not queue for the write
	 * lock); a failure here leaves them for the next one. */
	if (db_proposal_each_due(req->db, now, note_due, &any) < 0 || !any)
		return;
	if (db_tx(req->db, gov_close_due_tx, &now) < 0)
		fprintf(stderr, "carecoop: could not close due proposals: %s\n",
			db_errmsg(req->db));
}

/* ---- rulebook ---- */

static json_t *frac_text(struct tally_frac f)
{
	char buf[48];

	snprintf(buf, sizeof buf, "%lld/%lld", (long long)f.num, (long long)f.den);
	return json_string(buf);
}

json_t *gov_rulebook_json(const struct db_rulebook *rb)
{
	const struct tally_rulebook *t = &rb->rules;
	static const char *const weighting[] = {"equal", "shares", "capped"};
	json_t *shares = json_object();
	json_t *o;

	for (size_t i = 0; i < t->n_classes; i++)
		json_object_set_new(
			shares, t->classes[i].code,
			json_integer(t->classes[i].share.num * 100 / t->classes[i].share.den));
	o = json_pack("{s:I, s:o, s:o, s:o, s:b, s:b, s:b, s:s, s:o, s:s, s:s, s:i, s:s, s:I}",
		      "version", (json_int_t)rb->version, "ordinary", frac_text(t->ordinary),
		      "special", frac_text(t->special), "quorum", frac_text(t->quorum),
		      "abstain_in_quorum", t->abstain_in_quorum, "abstain_as_cast",
		      t->abstain_as_cast, "majority_every_class", t->majority_every_class,
		      "weighting", weighting[t->weighting], "shares", shares, "empty_class",
		      t->empty_class == TALLY_EMPTY_COUNT_AS_NO ? "against" : "exclude",
		      "cap_basis", t->cap_basis == TALLY_CAP_MEMBERSHIP ? "membership" : "cast",
		      "proxy_limit", t->proxy_limit, "note", rb->note, "created_at",
		      (json_int_t)rb->created_at);
	if (t->weighting == TALLY_CAPPED_CLASS) {
		json_object_set_new(o, "capped_class", json_string(t->capped_class));
		json_object_set_new(o, "cap_percent", json_integer(t->cap.num * 100 / t->cap.den));
	}
	return o;
}

static int add_rulebook(const struct db_rulebook *rb, void *arg)
{
	return json_array_append_new(arg, gov_rulebook_json(rb)) == 0 ? 0 : 1;
}

enum MHD_Result h_rulebook_get(struct http_req *req)
{
	struct db_rulebook rb;
	json_t *history = json_array();
	int rc = db_rulebook_current(req->db, &rb);

	if (rc < 0 || db_rulebook_each(req->db, add_rulebook, history) < 0) {
		json_decref(history);
		return http_reply_error(req, 500, NULL, "could not read the rulebook");
	}
	return http_reply_json(req, 200,
			       json_pack("{s:o, s:o}", "rulebook",
					 rc == 1 ? gov_rulebook_json(&rb) : json_null(), "versions",
					 history));
}

static int jf_frac(json_t *o, const char *name, struct tally_frac *out, struct field_err *e)
{
	char buf[32];
	int rc = jf_string(o, name, buf, sizeof buf, 0, e);

	if (rc <= 0)
		return rc;
	if (tally_frac_parse(buf, out) != 0 || out->num < 0 || out->num > out->den)
		return field_fail(e, name, "%s must be a fraction from 0 to 1, such as 1/2 or 75%%",
				  name);
	return 1;
}

static int percent_frac(json_t *v, const char *field, struct tally_frac *out, struct field_err *e)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100)
		return field_fail(e, field, "%s must be a whole percent from 0 to 100", field);
	tally_frac_make(json_integer_value(v), 100, out);
	return 0;
}

/* Reads a rulebook from the body, starting from the current one. */
static int rulebook_from_json(json_t *o, struct db_rulebook *rb, struct field_err *e)
{
	struct tally_rulebook *t = &rb->rules;
	char word[16];
	bool b;
	int64_t v;
	json_t *shares;
	int rc;

	if (jf_frac(o, "ordinary", &t->ordinary, e) < 0 ||
	    jf_frac(o, "special", &t->special, e) < 0 || jf_frac(o, "quorum", &t->quorum, e) < 0)
		return -1;
	if ((rc = jf_bool(o, "abstain_in_quorum", &b, 0, e)) < 0)
		return -1;
	if (rc == 1)
		t->abstain_in_quorum = b;
	if ((rc = jf_bool(o, "abstain_as_cast", &b, 0, e)) < 0)
		return -1;
	if (rc == 1)
		t->abstain_as_cast = b;
	if ((rc = jf_bool(o, "majority_every_class", &b, 0, e)) < 0)
		return -1;
	if (rc == 1)
		t->majority_every_class = b;
	if ((rc = jf_int(o, "proxy_limit", 0, 100, &v, 0, e)) < 0)
		return -1;
	if (rc == 1)
		t->proxy_limit = (int)v;
	if ((rc = jf_string(o, "empty_class", word, sizeof word, 0, e)) < 0)
		return -1;
	if (rc == 1) {
		if (strcmp(word, "exclude") != 0 && strcmp(word, "against") != 0)
			return field_fail(e, "empty_class",
					  "empty_class must be exclude or against");
		t->empty_class = word[0] == 'a' ? TALLY_EMPTY_COUNT_AS_NO : TALLY_EMPTY_EXCLUDE;
	}
	if ((rc = jf_string(o, "cap_basis", word, sizeof word, 0, e)) < 0)
		return -1;
	if (rc == 1) {
		if (strcmp(word, "cast") != 0 && strcmp(word, "membership") != 0)
			return field_fail(e, "cap_basis", "cap_basis must be cast or membership");
		t->cap_basis = word[0] == 'm' ? TALLY_CAP_MEMBERSHIP : TALLY_CAP_VOTES_CAST;
	}
	if (jf_string(o, "note", rb->note, sizeof rb->note, JF_MULTILINE, e) < 0)
		return -1;
	if ((rc = jf_string(o, "weighting", word, sizeof word, 0, e)) < 0)
		return -1;
	if (rc == 1) {
		if (strcmp(word, "equal") == 0)
			t->weighting = TALLY_ONE_MEMBER_ONE_VOTE;
		else if (strcmp(word, "shares") == 0)
			t->weighting = TALLY_CLASS_SHARES;
		else if (strcmp(word, "capped") == 0)
			t->weighting = TALLY_CAPPED_CLASS;
		else
			return field_fail(e, "weighting",
					  "weighting must be equal, shares or capped");
	}
	if (t->weighting == TALLY_CLASS_SHARES) {
		const char *code;
		json_t *pct;
		shares = json_object_get(o, "shares");
		if (shares != NULL) {
			if (!json_is_object(shares))
				return field_fail(e, "shares",
						  "shares must map class codes to percents");
			t->n_classes = 0;
			json_object_foreach (shares, code, pct) {
				struct tally_class_share *s;
				if (t->n_classes >= TALLY_CLASSES_MAX ||
				    strlen(code) > TALLY_CLASS_CODE_MAX || *code == '\0')
					return field_fail(e, "shares",
							  "too many or bad class codes");
				s = &t->classes[t->n_classes++];
				text_copy(s->code, sizeof s->code, code);
				if (percent_frac(pct, "shares", &s->share, e) < 0)
					return -1;
			}
		}
	} else if (t->weighting == TALLY_CAPPED_CLASS) {
		if ((rc = jf_string(o, "capped_class", t->capped_class, sizeof t->capped_class, 0,
				    e)) < 0)
			return -1;
		json_t *cap = json_object_get(o, "cap_percent");
		if (cap != NULL && percent_frac(cap, "cap_percent", &t->cap, e) < 0)
			return -1;
	}
	enum tally_error te = tally_rulebook_check(t);
	if (te != TALLY_OK) {
		const char *field = te == TALLY_ERR_SHARES || te == TALLY_ERR_DUPLICATE_CLASS ||
						    te == TALLY_ERR_TOO_MANY
					    ? "shares"
				    : te == TALLY_ERR_CAP ? "cap_percent"
							  : "body";
		return field_fail(e, field, "%s", tally_error_message(te));
	}
	return 0;
}

struct rulebook_add {
	struct db_rulebook rb;
	int64_t user_id, version;
};

static int add_rulebook_tx(struct db *db, void *arg)
{
	struct rulebook_add *a = arg;
	int rc = db_rulebook_insert(db, &a->rb, a->user_id, db_now(), &a->version);

	return rc == 0 ? -2 : rc;
}

enum MHD_Result h_rulebook_post(struct http_req *req)
{
	struct rulebook_add a = {.user_id = req->user.id};
	struct field_err e;
	int rc = db_rulebook_current(req->db, &a.rb);

	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not read the rulebook");
	if (rc == 0)
		tally_rulebook_default(&a.rb.rules);
	a.rb.note[0] = '\0';
	if (rulebook_from_json(req->json, &a.rb, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	rc = db_tx(req->db, add_rulebook_tx, &a);
	if (rc == -2)
		return http_reply_error(req, 400, "shares", "a class code is not a member class");
	if (rc < 0 || db_rulebook_get(req->db, a.version, &a.rb) <= 0)
		return http_reply_error(req, 500, NULL, "could not save the rulebook");
	return http_reply_json(req, 201, json_pack("{s:o}", "rulebook", gov_rulebook_json(&a.rb)));
}

/* ---- proposals ---- */

static int add_option(int position, const char *label, void *arg)
{
	return json_array_append_new(
		       arg, json_pack("{s:i, s:s}", "position", position, "label", label)) == 0
		       ? 0
		       : 1;
}

json_t *gov_proposal_json(const struct db_proposal *p)
{
	json_t *o = json_pack(
		"{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:b, s:s, s:I, s:I, s:I, s:I, s:I}", "id",
		(json_int_t)p->id, "title", p->title, "body", p->body, "kind", p->kind, "status",
		p->status, "method", p->method, "seats", p->seats, "secret", p->secret, "author",
		p->author, "opens_at", (json_int_t)p->opens_at, "closes_at",
		(json_int_t)p->closes_at, "created_at", (json_int_t)p->created_at, "electorate",
		(json_int_t)p->electorate, "voted", (json_int_t)p->voted);

	json_object_set_new(o, "closed_at",
			    p->closed_at ? json_integer(p->closed_at) : json_null());
	json_object_set_new(o, "decided_at",
			    p->decided_at ? json_integer(p->decided_at) : json_null());
	json_object_set_new(o, "rulebook_version",
			    p->rulebook_version ? json_integer(p->rulebook_version) : json_null());
	json_object_set_new(o, "outcome", p->outcome[0] ? json_string(p->outcome) : json_null());
	return o;
}

static int add_proposal(const struct db_proposal *p, void *arg)
{
	return json_array_append_new(arg, gov_proposal_json(p)) == 0 ? 0 : 1;
}

enum MHD_Result h_proposals_list(struct http_req *req)
{
	json_t *list = json_array();

	gov_close_due(req);
	if (db_proposal_each(req->db, HTTP_HAS(req, ROLE_ADMIN), add_proposal, list) < 0) {
		json_decref(list);
		return http_reply_error(req, 500, NULL, "could not list proposals");
	}
	return http_reply_json(req, 200, json_pack("{s:o}", "proposals", list));
}

struct proposal_change {
	struct db_proposal p;
	char labels[DB_GOV_OPTIONS_MAX][DB_GOV_LABEL_MAX];
	size_t nlabels;
	bool has_options;
	int64_t now;
};

/* Reads the proposal members; partial keeps what p holds for absent ones. */
static int proposal_from_json(json_t *o, struct proposal_change *c, bool partial,
			      struct field_err *e)
{
	struct db_proposal *p = &c->p;
	unsigned req = partial ? 0 : JF_REQUIRED;
	int64_t v;
	bool b;
	json_t *opts;
	int rc;

	if (jf_string(o, "title", p->title, sizeof p->title, req, e) < 0 ||
	    jf_string(o, "body", p->body, sizeof p->body, req | JF_MULTILINE, e) < 0 ||
	    jf_string(o, "kind", p->kind, sizeof p->kind, req, e) < 0)
		return -1;
	if (strcmp(p->kind, "ordinary") != 0 && strcmp(p->kind, "special") != 0 &&
	    strcmp(p->kind, "election") != 0 && strcmp(p->kind, "poll") != 0)
		return field_fail(e, "kind", "kind must be ordinary, special, election or poll");
	if ((rc = jf_string(o, "method", p->method, sizeof p->method, 0, e)) < 0)
		return -1;
	if (rc == 0 && !partial)
		text_copy(p->method, sizeof p->method,
			  strcmp(p->kind, "election") == 0 ? "stv" : "yesno");
	if (strcmp(p->kind, "election") == 0
		    ? strcmp(p->method, "stv") != 0 && strcmp(p->method, "approval") != 0
		    : strcmp(p->method, "yesno") != 0 &&
			      !(strcmp(p->kind, "poll") == 0 && strcmp(p->method, "approval") == 0))
		return field_fail(e, "method",
				  "method must be stv or approval for an election, yesno for a "
				  "resolution (a poll may also use approval)");
	if ((rc = jf_int(o, "seats", 1, 50, &v, 0, e)) < 0)
		return -1;
	if (rc == 1)
		p->seats = (int)v;
	else if (!partial)
		p->seats = 1;
	if (strcmp(p->method, "yesno") == 0)
		p->seats = 1;
	if ((rc = jf_bool(o, "secret", &b, 0, e)) < 0)
		return -1;
	if (rc == 1)
		p->secret = b;
	else if (!partial)
		p->secret = true;
	if (jf_int(o, "opens_at", 0, INT64_C(32503680000), &p->opens_at, 0, e) < 0 ||
	    jf_int(o, "closes_at", 0, INT64_C(32503680000), &p->closes_at, 0, e) < 0)
		return -1;
	if (p->closes_at != 0 && p->closes_at <= c->now)
		return field_fail(e, "closes_at", "closes_at must be in the future");
	if (p->opens_at != 0 && p->closes_at != 0 && p->closes_at <= p->opens_at)
		return field_fail(e, "closes_at", "closes_at must be after opens_at");
	opts = json_object_get(o, "options");
	if (opts != NULL) {
		size_t i;
		json_t *v2;
		if (!json_is_array(opts) || json_array_size(opts) > DB_GOV_OPTIONS_MAX)
			return field_fail(e, "options",
					  "options must be a list of at most %d names",
					  DB_GOV_OPTIONS_MAX);
		c->has_options = true;
		c->nlabels = 0;
		json_array_foreach (opts, i, v2) {
			const char *s = json_string_value(v2);
			char field[32];
			snprintf(field, sizeof field, "options[%zu]", i);
			if (s == NULL || *s == '\0' || strlen(s) >= DB_GOV_LABEL_MAX ||
			    !text_utf8_valid(s, false))
				return field_fail(e, field, "%s must be a name of 1 to %d bytes",
						  field, DB_GOV_LABEL_MAX - 1);
			text_copy(c->labels[c->nlabels++], DB_GOV_LABEL_MAX, s);
		}
	}
	if (strcmp(p->method, "yesno") != 0 && c->has_options && c->nlabels > 0 &&
	    (size_t)p->seats > c->nlabels)
		return field_fail(e, "seats", "more seats than candidates");
	return 0;
}

static int create_proposal_tx(struct db *db, void *arg)
{
	struct proposal_change *c = arg;

	if (db_proposal_create(db, &c->p, c->now, &c->p.id) <= 0)
		return -1;
	if (c->has_options && db_options_set(db, c->p.id, c->labels, c->nlabels) < 0)
		return -1;
	return 1;
}

static enum MHD_Result reply_proposal(struct http_req *req, int64_t id, unsigned status);

enum MHD_Result h_proposals_create(struct http_req *req)
{
	struct proposal_change *c = calloc(1, sizeof *c);
	struct field_err e;
	enum MHD_Result r;

	if (c == NULL)
		return http_reply_error(req, 500, NULL, "out of memory");
	c->now = db_now();
	c->p.author_id = db_person_of_user(req->db, req->user.id);
	if (c->p.author_id < 0) {
		r = http_reply_error(req, 500, NULL, "could not read people");
	} else if (proposal_from_json(req->json, c, false, &e) < 0) {
		r = http_reply_field_error(req, 400, &e);
	} else if (db_tx(req->db, create_proposal_tx, c) < 0) {
		r = http_reply_error(req, 500, NULL, "could not save the proposal");
	} else {
		r = reply_proposal(req, c->p.id, 201);
	}
	free(c);
	return r;
}

static int update_proposal_tx(struct db *db, void *arg)
{
	struct proposal_change *c = arg;
	int rc = db_proposal_update_draft(db, &c->p);

	if (rc <= 0)
		return rc == 0 ? -2 : -1;
	if (c->has_options && db_options_set(db, c->p.id, c->labels, c->nlabels) < 0)
		return -1;
	return 1;
}

enum MHD_Result h_proposal_update(struct http_req *req)
{
	struct proposal_change *c = calloc(1, sizeof *c);
	struct field_err e;
	enum MHD_Result r;
	int rc;

	if (c == NULL)
		return http_reply_error(req, 500, NULL, "out of memory");
	c->now = db_now();
	if (proposal_or_reply(req, &c->p, &r) < 0)
		goto out;
	if (strcmp(c->p.status, "draft") != 0) {
		r = http_reply_error(req, 409, "status",
				     "only a draft can be changed; this one is %s", c->p.status);
		goto out;
	}
	if (proposal_from_json(req->json, c, true, &e) < 0) {
		r = http_reply_field_error(req, 400, &e);
		goto out;
	}
	rc = db_tx(req->db, update_proposal_tx, c);
	if (rc == -2)
		r = http_reply_error(req, 409, "status", "only a draft can be changed");
	else if (rc < 0)
		r = http_reply_error(req, 500, NULL, "could not save the proposal");
	else
		r = reply_proposal(req, c->p.id, 200);
out:
	free(c);
	return r;
}

static int add_comment(const struct db_comment *c, void *arg)
{
	return json_array_append_new(arg, json_pack("{s:I, s:s, s:I, s:s}", "id", (json_int_t)c->id,
						    "author", c->author, "at", (json_int_t)c->at,
						    "body", c->body)) == 0
		       ? 0
		       : 1;
}

struct my_proxies {
	int64_t me;
	json_t *held, *given;
};

static json_t *proxy_json(const struct db_proxy *p)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:I, s:s, s:I}", "id", (json_int_t)p->id,
			      "grantor_id", (json_int_t)p->grantor_id, "grantor", p->grantor,
			      "holder_id", (json_int_t)p->holder_id, "holder", p->holder,
			      "appointed_at", (json_int_t)p->appointed_at);

	json_object_set_new(o, "used_at", p->used_at ? json_integer(p->used_at) : json_null());
	json_object_set_new(o, "revoked_at",
			    p->revoked_at ? json_integer(p->revoked_at) : json_null());
	return o;
}

static int add_my_proxy(const struct db_proxy *p, void *arg)
{
	struct my_proxies *m = arg;

	if (p->revoked_at != 0)
		return 0;
	json_array_append_new(p->holder_id == m->me ? m->held : m->given, proxy_json(p));
	return 0;
}

/* The caller's standing on p: member, in the electorate, voted, proxies. */
static json_t *me_json(struct http_req *req, const struct db_proposal *p)
{
	int64_t person = 0;
	char cls[33] = "", snap[33] = "";
	struct db_voter v;
	struct my_proxies m = {0};
	int member = db_gov_member_of_user(req->db, req->user.id, &person, cls);
	int in = 0, voted = 0;
	json_t *o;

	if (member < 0)
		return NULL;
	if (member == 0)
		person = db_person_of_user(req->db, req->user.id);
	if (person > 0) {
		in = db_electorate_class(req->db, p->id, person, snap);
		voted = db_voter_get(req->db, p->id, person, &v);
	}
	if (in < 0 || voted < 0 || person < 0)
		return NULL;
	m.me = person;
	m.held = json_array();
	m.given = json_array();
	if (person > 0 && db_proxy_each(req->db, p->id, person, add_my_proxy, &m) < 0) {
		json_decref(m.held);
		json_decref(m.given);
		return NULL;
	}
	o = json_pack("{s:b, s:b, s:b, s:o, s:o}", "member", member == 1, "in_electorate", in == 1,
		      "voted", voted == 1, "proxies_held", m.held, "proxy_given",
		      json_array_size(m.given) > 0 ? json_incref(json_array_get(m.given, 0))
						   : json_null());
	json_decref(m.given);
	json_object_set_new(o, "class", in == 1 ? json_string(snap) : json_null());
	json_object_set_new(o, "voted_at",
			    voted == 1 && v.voted_at ? json_integer(v.voted_at) : json_null());
	json_object_set_new(o, "changes", json_integer(voted == 1 ? v.changes : 0));
	json_object_set_new(o, "person_id", person > 0 ? json_integer(person) : json_null());
	return o;
}

static enum MHD_Result reply_proposal(struct http_req *req, int64_t id, unsigned status)
{
	struct db_proposal *p = malloc(sizeof *p);
	json_t *o = NULL, *options = json_array(), *comments = json_array(), *me = NULL;
	struct db_rulebook rb;
	enum MHD_Result r;

	if (p == NULL || db_proposal_get(req->db, id, p) <= 0 ||
	    db_option_each(req->db, id, add_option, options) < 0 ||
	    db_comment_each(req->db, id, add_comment, comments) < 0 ||
	    (me = me_json(req, p)) == NULL)
		goto fail;
	o = gov_proposal_json(p);
	json_object_set_new(o, "options", options);
	json_object_set_new(o, "comments", comments);
	json_object_set_new(o, "me", me);
	if (p->rulebook_version > 0 && db_rulebook_get(req->db, p->rulebook_version, &rb) == 1)
		json_object_set_new(o, "rulebook", gov_rulebook_json(&rb));
	free(p);
	return http_reply_json(req, status, json_pack("{s:o}", "proposal", o));
fail:
	free(p);
	json_decref(options);
	json_decref(comments);
	json_decref(me);
	r = http_reply_error(req, 500, NULL, "could not read the proposal");
	return r;
}

enum MHD_Result h_proposal_get(struct http_req *req)
{
	struct db_proposal *p = malloc(sizeof *p);
	enum MHD_Result r;

	if (p == NULL)
		return http_reply_error(req, 500, NULL, "out of memory");
	gov_close_due(req);
	if (proposal_or_reply(req, p, &r) == 0)
		r = reply_proposal(req, p->id, 200);
	free(p);
	return r;
}

enum MHD_Result h_proposal_open(struct http_req *req)
{
	struct gov_open o = {.id = req->params[0], .now = db_now()};
	struct db_proposal *p = malloc(sizeof *p);
	enum MHD_Result r;
	int rc;

	if (p == NULL)
		return http_reply_error(req, 500, NULL, "out of memory");
	if (proposal_or_reply(req, p, &r) < 0)
		goto out;
	if (p->closes_at != 0 && p->closes_at <= o.now) {
		r = http_reply_error(req, 409, "closes_at",
				     "the closing time has passed; set a new closes_at first");
		goto out;
	}
	rc = db_tx(req->db, gov_open_tx, &o);
	if (rc == -2)
		r = http_reply_error(req, 409, "status", "%s", o.why);
	else if (rc < 0)
		r = http_reply_error(req, 500, NULL, "could not open the proposal");
	else
		r = reply_proposal(req, o.id, 200);
out:
	free(p);
	return r;
}

struct close_args {
	int64_t id, now;
	char err[256];
};

static int close_tx(struct db *db, void *arg)
{
	struct close_args *c = arg;
	int rc = gov_close_and_count(db, c->id, c->now, c->err, sizeof c->err);

	return rc == 0 ? -2 : rc;
}

enum MHD_Result h_proposal_close(struct http_req *req)
{
	struct close_args c = {.id = req->params[0], .now = db_now()};
	struct db_proposal *p = malloc(sizeof *p);
	enum MHD_Result r;
	int rc;

	if (p == NULL)
		return http_reply_error(req, 500, NULL, "out of memory");
	if (proposal_or_reply(req, p, &r) < 0)
		goto out;
	rc = db_tx(req->db, close_tx, &c);
	if (rc == -2)
		r = http_reply_error(req, 409, "status", "only an open proposal can be closed");
	else if (rc < 0)
		r = http_reply_error(req, 500, NULL, "could not close and count: %s", c.err);
	else
		r = reply_proposal(req, c.id, 200);
out:
	free(p);
	return r;
}

/* ---- ballots ---- */

unsigned gov_refusal_status(int refusal)
{
	switch ((enum gov_refusal)refusal) {
	case GOV_NO_PROPOSAL:
		return 404;
	case GOV_NOT_OPEN:
		return 409;
	case GOV_NOT_ELECTORATE:
	case GOV_NO_PROXY:
		return 403;
	case GOV_BAD_CHOICE:
	case GOV_OK:
		break;
	}
	return 400;
}

/* Appends the positions of a JSON array of integers, joined by sep. */
static int positions(json_t *a, const char *field, const char *sep, char *out, size_t n,
		     struct field_err *e)
{
	size_t i, o = 0;
	json_t *v;

	if (!json_is_array(a) || json_array_size(a) > DB_GOV_OPTIONS_MAX)
		return field_fail(e, field, "%s must be a list of candidate numbers", field);
	out[0] = '\0';
	json_array_foreach (a, i, v) {
		int w;
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > DB_GOV_OPTIONS_MAX)
			return field_fail(e, field, "%s must be a list of candidate numbers",
					  field);
		w = snprintf(out + o, n - o, "%s%lld", i > 0 ? sep : "",
			     (long long)json_integer_value(v));
		if (w < 0 || (size_t)w >= n - o)
			return field_fail(e, field, "%s is too long", field);
		o += (size_t)w;
	}
	return 0;
}

/* The ballot's choice from a JSON body ("choice", "ranking" or "approve")
 * as text into out (n bytes); checked against the options by the cast.
 * Returns 0, or -1 with e naming the member. */
static int choice_from_json(json_t *o, char *out, size_t n, struct field_err *e)
{
	json_t *ranking = json_object_get(o, "ranking"), *approve = json_object_get(o, "approve");

	if (ranking != NULL)
		return positions(ranking, "ranking", ">", out, n, e);
	if (approve != NULL)
		return positions(approve, "approve", ",", out, n, e);
	return jf_string(o, "choice", out, n, JF_REQUIRED, e) < 0 ? -1 : 0;
}

/* Casts c (proposal_id, choice, on_behalf_of set by the caller) for the
 * person logged in, in one transaction. Returns 0, or -1 after replying
 * into *r (refusals as 4xx JSON naming the field). */
static int cast_or_reply(struct http_req *req, struct gov_cast *c, enum MHD_Result *r)
{
	int rc;

	c->now = db_now();
	c->user_id = req->user.id;
	c->person_id = db_person_of_user(req->db, req->user.id);
	if (c->person_id < 0) {
		*r = http_reply_error(req, 500, NULL, "could not read people");
		return -1;
	}
	if (c->person_id == 0) {
		*r = http_reply_error(req, 403, "voter",
				      "your login is not linked to a member of the co-op, so it "
				      "cannot vote");
		return -1;
	}
	if (gov_receipt_new(c->receipt) != 0) {
		*r = http_reply_error(req, 503, NULL, "no randomness for a receipt; try again");
		return -1;
	}
	rc = db_tx(req->db, gov_cast_tx, c);
	if (rc == -2) {
		*r = http_reply_error(req, gov_refusal_status(c->refusal), c->field, "%s", c->why);
		return -1;
	}
	if (rc < 0) {
		*r = http_reply_error(req, 500, NULL, "could not record the ballot; try again");
		return -1;
	}
	return 0;
}

enum MHD_Result h_ballot_cast(struct http_req *req)
{
	struct db_proposal *p = malloc(sizeof *p);
	struct gov_cast *c = calloc(1, sizeof *c);
	struct field_err e;
	enum MHD_Result r;
	int64_t behalf = 0;

	if (c == NULL) {
		free(p);
		return http_reply_error(req, 500, NULL, "out of memory");
	}
	c->proposal_id = req->params[0];
	if (p == NULL) {
		r = http_reply_error(req, 500, NULL, "out of memory");
		goto out;
	}
	if (proposal_or_reply(req, p, &r) < 0) /* a draft: 404 unless admin */
		goto out;
	if (choice_from_json(req->json, c->choice, sizeof c->choice, &e) < 0 ||
	    jf_int(req->json, "on_behalf_of", 1, INT64_MAX, &behalf, 0, &e) < 0) {
		r = http_reply_field_error(req, 400, &e);
		goto out;
	}
	c->on_behalf_of = behalf;
	if (cast_or_reply(req, c, &r) < 0)
		goto out;
	r = http_reply_json(
		req, c->changed ? 200 : 201,
		json_pack("{s:s, s:s, s:I, s:s, s:b, s:s, s:o}", "receipt", c->ballot.receipt,
			  "choice", c->ballot.choice, "seq", (json_int_t)c->ballot.seq, "hash",
			  c->ballot.hash, "changed", c->changed, "class", c->ballot.class_code,
			  "supersedes",
			  c->changed ? json_string(c->ballot.supersedes) : json_null()));
out:
	token_wipe(c->choice, sizeof c->choice);
	free(c);
	free(p);
	return r;
}

/* ---- proxies and comments ---- */

enum MHD_Result h_proxies_create(struct http_req *req)
{
	struct gov_proxy a = {
		.proposal_id = req->params[0], .user_id = req->user.id, .now = db_now()};
	struct db_proposal *p = malloc(sizeof *p);
	struct db_proxy x;
	struct field_err e;
	char email[255] = "";
	enum MHD_Result r;
	int rc;

	if (p == NULL)
		return http_reply_error(req, 500, NULL, "out of memory");
	if (proposal_or_reply(req, p, &r) < 0)
		goto out;
	if (jf_int(req->json, "holder_id", 1, INT64_MAX, &a.holder, 0, &e) < 0 ||
	    jf_string(req->json, "holder_email", email, sizeof email, 0, &e) < 0) {
		r = http_reply_field_error(req, 400, &e);
		goto out;
	}
	if (a.holder == 0 && email[0] != '\0')
		a.holder = db_person_id_by_email(req->db, email);
	a.grantor = db_person_of_user(req->db, req->user.id);
	if (a.holder <= 0) {
		r = http_reply_error(
			req, 400, "holder_id",
			"name the member to hold your proxy (holder_id or holder_email)");
		goto out;
	}
	if (a.grantor <= 0 || a.holder == a.grantor) {
		r = http_reply_error(req, a.grantor <= 0 ? 403 : 400,
				     a.grantor <= 0 ? "voter" : "holder_id",
				     a.grantor <= 0 ? "your login is not linked to a member"
						    : "you cannot be your own proxy");
		goto out;
	}
	rc = db_tx(req->db, gov_proxy_appoint_tx, &a);
	if (rc == -2)
		r = http_reply_error(req,
				     strcmp(a.field, "voter") == 0      ? 403
				     : strcmp(a.field, "proposal") == 0 ? 409
									: 400,
				     a.field, "%s", a.why);
	else if (rc < 0 || db_proxy_get(req->db, a.proposal_id, a.id, &x) <= 0)
		r = http_reply_error(req, 500, NULL, "could not appoint the proxy");
	else
		r = http_reply_json(req, 201, json_pack("{s:o}", "proxy", proxy_json(&x)));
out:
	free(p);
	return r;
}

struct revoke_args {
	int64_t id, user_id, now;
};

static int revoke_tx(struct db *db, void *arg)
{
	struct revoke_args *a = arg;
	int rc = db_proxy_revoke(db, a->id, a->user_id, a->now);

	return rc == 0 ? -2 : rc;
}

enum MHD_Result h_proxy_revoke(struct http_req *req)
{
	struct revoke_args a = {.id = req->params[1], .user_id = req->user.id, .now = db_now()};
	struct db_proxy x;
	int64_t me = db_person_of_user(req->db, req->user.id);
	int rc = db_proxy_get(req->db, req->params[0], req->params[1], &x);

	if (rc < 0 || me < 0)
		return http_reply_error(req, 500, NULL, "could not read the proxy");
	if (rc == 0 || (x.grantor_id != me && x.holder_id != me && !HTTP_HAS(req, ROLE_ADMIN)))
		return http_reply_error(req, 404, "proxy", "no such proxy of yours");
	rc = db_tx(req->db, revoke_tx, &a);
	if (rc == -2)
		return http_reply_error(req, 409, "proxy", "this proxy is already revoked");
	if (rc < 0 || db_proxy_get(req->db, req->params[0], req->params[1], &x) <= 0)
		return http_reply_error(req, 500, NULL, "could not revoke the proxy");
	return http_reply_json(req, 200, json_pack("{s:o}", "proxy", proxy_json(&x)));
}

static int add_event(const struct db_proxy_event *ev, void *arg)
{
	return json_array_append_new(arg,
				     json_pack("{s:I, s:I, s:s, s:s, s:s}", "proxy_id",
					       (json_int_t)ev->proxy_id, "at", (json_int_t)ev->at,
					       "action", ev->action, "grantor", ev->grantor,
					       "holder", ev->holder)) == 0
		       ? 0
		       : 1;
}

enum MHD_Result h_proxy_log(struct http_req *req)
{
	struct db_proposal *p = malloc(sizeof *p);
	json_t *log = json_array();
	enum MHD_Result r;

	if (p == NULL || proposal_or_reply(req, p, &r) < 0) {
		if (p == NULL)
			r = http_reply_error(req, 500, NULL, "out of memory");
		json_decref(log);
		free(p);
		return r;
	}
	free(p);
	if (db_proxy_log_each(req->db, req->params[0], add_event, log) < 0) {
		json_decref(log);
		return http_reply_error(req, 500, NULL, "could not read the proxy log");
	}
	return http_reply_json(req, 200, json_pack("{s:o}", "events", log));
}

struct comment_args {
	int64_t proposal_id, person_id, now, id;
	char body[COMMENT_MAX + 1];
};

static int comment_tx(struct db *db, void *arg)
{
	struct comment_args *a = arg;
	return db_comment_add(db, a->proposal_id, a->person_id, a->body, a->now, &a->id);
}

enum MHD_Result h_comments_create(struct http_req *req)
{
	struct comment_args *a = calloc(1, sizeof *a);
	struct db_proposal *p = malloc(sizeof *p);
	struct field_err e;
	enum MHD_Result r;
	char cls[33];
	int64_t person = 0;

	if (a == NULL || p == NULL) {
		r = http_reply_error(req, 500, NULL, "out of memory");
		goto out;
	}
	if (proposal_or_reply(req, p, &r) < 0)
		goto out;
	if (jf_string(req->json, "body", a->body, sizeof a->body, JF_REQUIRED | JF_MULTILINE, &e) <
	    0) {
		r = http_reply_field_error(req, 400, &e);
		goto out;
	}
	if (strcmp(p->status, "open") != 0) {
		r = http_reply_error(req, 409, "proposal",
				     "comments are taken while a proposal is open");
		goto out;
	}
	if (db_gov_member_of_user(req->db, req->user.id, &person, cls) <= 0 &&
	    !HTTP_HAS(req, ROLE_ADMIN)) {
		r = http_reply_error(req, 403, "voter", "only members may comment on proposals");
		goto out;
	}
	if (person == 0)
		person = db_person_of_user(req->db, req->user.id);
	a->proposal_id = p->id;
	a->person_id = person;
	a->now = db_now();
	if (db_tx(req->db, comment_tx, a) < 0)
		r = http_reply_error(req, 500, NULL, "could not save the comment");
	else
		r = http_reply_json(req, 201,
				    json_pack("{s:{s:I, s:I, s:s}}", "comment", "id",
					      (json_int_t)a->id, "at", (json_int_t)a->now, "body",
					      a->body));
out:
	free(a);
	free(p);
	return r;
}

/* ---- results and exports ---- */

/* Loads a closed proposal the caller may see; else replies. */
static int closed_or_reply(struct http_req *req, struct db_proposal *p, enum MHD_Result *r)
{
	gov_close_due(req);
	if (proposal_or_reply(req, p, r) < 0)
		return -1;
	if (!gov_closed(p)) {
		*r = http_reply_error(req, 409, "status",
				      "results and tallies are published when voting closes");
		return -1;
	}
	return 0;
}

enum MHD_Result h_proposal_results(struct http_req *req)
{
	struct db_proposal *p = malloc(sizeof *p);
	json_t *result = NULL, *options = json_array(), *o;
	char *text = NULL;
	enum MHD_Result r;

	if (p == NULL) {
		json_decref(options);
		return http_reply_error(req, 500, NULL, "out of memory");
	}
	if (closed_or_reply(req, p, &r) < 0)
		goto out;
	if (db_proposal_result(req->db, p->id, &text) < 0 ||
	    db_option_each(req->db, p->id, add_option, options) < 0) {
		r = http_reply_error(req, 500, NULL, "could not read the result");
		goto out;
	}
	result = text != NULL ? json_loads(text, 0, NULL) : NULL;
	o = gov_proposal_json(p);
	json_object_set_new(o, "options", options);
	options = NULL;
	r = http_reply_json(req, 200,
			    json_pack("{s:o, s:o}", "proposal", o, "result",
				      result != NULL ? result : json_null()));
out:
	json_decref(options);
	free(text);
	free(p);
	return r;
}

static int add_ballot_json(const struct db_ballot *b, bool live, void *arg)
{
	return json_array_append_new(
		       arg,
		       json_pack("{s:I, s:s, s:s, s:s, s:o, s:b, s:s, s:s}", "seq",
				 (json_int_t)b->seq, "receipt", b->receipt, "class", b->class_code,
				 "choice", b->choice, "supersedes",
				 b->supersedes[0] ? json_string(b->supersedes) : json_null(),
				 "counts", live, "prev_hash", b->prev_hash, "hash", b->hash)) == 0
		       ? 0
		       : 1;
}

static int add_electorate(const char *code, const char *name, int64_t members, void *arg)
{
	return json_array_append_new(arg, json_pack("{s:s, s:s, s:I}", "class", code, "name", name,
						    "members", (json_int_t)members)) == 0
		       ? 0
		       : 1;
}

static int add_voter_json(const struct db_voter *v, void *arg)
{
	json_t *o = json_pack("{s:s, s:b}", "name", v->known_as, "by_proxy",
			      v->cast_by != v->person_id);

	if (v->receipt[0] != '\0')
		json_object_set_new(o, "receipt", json_string(v->receipt));
	return json_array_append_new(arg, o) == 0 ? 0 : 1;
}

enum MHD_Result h_tally_json(struct http_req *req)
{
	struct db_proposal *p = malloc(sizeof *p);
	struct db_rulebook rb;
	json_t *ballots = json_array(), *electorate = json_array(), *options = json_array();
	json_t *voters = json_array(), *result = NULL;
	char *text = NULL;
	enum MHD_Result r;

	if (p == NULL) {
		r = http_reply_error(req, 500, NULL, "out of memory");
		goto out;
	}
	if (closed_or_reply(req, p, &r) < 0)
		goto out;
	if (db_ballot_each(req->db, p->id, add_ballot_json, ballots) < 0 ||
	    db_electorate_each(req->db, p->id, add_electorate, electorate) < 0 ||
	    db_option_each(req->db, p->id, add_option, options) < 0 ||
	    db_voter_each(req->db, p->id, add_voter_json, voters) < 0 ||
	    db_rulebook_get(req->db, p->rulebook_version, &rb) <= 0 ||
	    db_proposal_result(req->db, p->id, &text) < 0) {
		r = http_reply_error(req, 500, NULL, "could not read the tally");
		goto out;
	}
	result = text != NULL ? json_loads(text, 0, NULL) : NULL;
	r = http_reply_json(
		req, 200,
		json_pack("{s:s, s:o, s:o, s:o, s:o, s:{s:s, s:s, s:s}, s:o, s:o, s:o}", "format",
			  "carecoop-tally/1", "proposal", gov_proposal_json(p), "rulebook",
			  gov_rulebook_json(&rb), "electorate", electorate, "options", options,
			  "chain", "hash", "sha256(prev_hash + canonical), both as text",
			  "canonical",
			  "carecoop-ballot/1\\n{proposal}\\n{seq}\\n{receipt}\\n{class}\\n{choice}"
			  "\\n{supersedes}\\n",
			  "first_prev_hash", "64 zeros", "ballots", ballots, "voters", voters,
			  "result", result != NULL ? result : json_null()));
	ballots = electorate = options = voters = NULL;
out:
	json_decref(ballots);
	json_decref(electorate);
	json_decref(options);
	json_decref(voters);
	free(text);
	free(p);
	return r;
}

static int add_ballot_csv(const struct db_ballot *b, bool live, void *arg)
{
	char seq[24];

	snprintf(seq, sizeof seq, "%lld", (long long)b->seq);
	textbuf_csv(arg, seq, true, false);
	textbuf_csv(arg, b->receipt, false, false);
	textbuf_csv(arg, b->class_code, false, false);
	textbuf_csv(arg, b->choice, false, false);
	textbuf_csv(arg, b->supersedes, false, false);
	textbuf_csv(arg, live ? "1" : "0", true, false);
	textbuf_csv(arg, b->prev_hash, false, false);
	return textbuf_csv(arg, b->hash, false, true) < 0 ? 1 : 0;
}

enum MHD_Result h_tally_csv(struct http_req *req)
{
	static const char header[] =
		"seq,receipt,class,choice,supersedes,counts,prev_hash,hash\r\n";
	struct db_proposal *p = malloc(sizeof *p);
	struct textbuf b = {0};
	char name[64];
	enum MHD_Result r;

	if (p == NULL)
		return http_reply_error(req, 500, NULL, "out of memory");
	if (closed_or_reply(req, p, &r) < 0)
		goto out;
	textbuf_add(&b, header, sizeof header - 1);
	if (db_ballot_each(req->db, p->id, add_ballot_csv, &b) < 0) {
		textbuf_free(&b);
		r = http_reply_error(req, 500, NULL, "could not read the ballots");
		goto out;
	}
	snprintf(name, sizeof name, "proposal-%lld-tally.csv", (long long)p->id);
	r = http_reply_csv(req, &b, name);
out:
	free(p);
	return r;
}

enum MHD_Result h_ballots_blt(struct http_req *req)
{
	struct db_proposal *p = malloc(sizeof *p);
	struct MHD_Response *resp;
	char *text = NULL, disposition[96];
	enum MHD_Result r;
	int rc;

	if (p == NULL)
		return http_reply_error(req, 500, NULL, "out of memory");
	if (closed_or_reply(req, p, &r) < 0)
		goto out;
	rc = gov_blt(req->db, p->id, &text);
	if (rc == 0) {
		r = http_reply_error(req, 409, "method", "only elections have a BLT file");
		goto out;
	}
	if (rc < 0) {
		r = http_reply_error(req, 500, NULL, "could not write the BLT file");
		goto out;
	}
	resp = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(text);
		r = MHD_NO;
		goto out;
	}
	snprintf(disposition, sizeof disposition, "attachment; filename=\"proposal-%lld.blt\"",
		 (long long)p->id);
	MHD_add_response_header(resp, "Content-Type", "text/plain; charset=utf-8");
	MHD_add_response_header(resp, "Content-Disposition", disposition);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	r = http_queue(req, 200, resp);
out:
	free(p);
	return r;
}
