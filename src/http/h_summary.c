/*
 * h_summary: the health check and the co-op at a glance for the home page.
 */
#include <string.h>

#include "db/db_coop.h"
#include "db/db_people.h"
#include "http/http_internal.h"

enum MHD_Result h_health(struct http_req *req)
{
	return http_reply_json(req, 200,
			       json_pack("{s:s, s:s, s:i}", "status", "ok", "version",
					 CARECOOP_VERSION, "schema_version", db_schema_latest()));
}

static int add_class(const struct db_class *c, void *arg)
{
	return json_array_append_new(arg, json_pack("{s:s, s:s, s:I}", "code", c->code, "name",
						    c->name, "members", (json_int_t)c->members)) ==
			       0
		       ? 0
		       : 1;
}

static int add_proposal(const struct db_proposal_brief *p, void *arg)
{
	return json_array_append_new(arg, json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)p->id,
						    "title", p->title, "kind", p->kind, "closes_at",
						    (json_int_t)p->closes_at)) == 0
		       ? 0
		       : 1;
}

enum MHD_Result h_summary(struct http_req *req)
{
	char name[256] = "";
	json_t *classes = json_array(), *proposals = json_array();
	int64_t carers = db_carer_count(req->db), recipients = db_recipient_count(req->db);

	if (db_coop_name(req->db, name, sizeof name) < 0 || carers < 0 || recipients < 0 ||
	    db_class_each(req->db, add_class, classes) < 0 ||
	    db_proposal_each_open(req->db, add_proposal, proposals) < 0) {
		json_decref(classes);
		json_decref(proposals);
		return http_reply_error(req, 500, NULL, "could not read the co-op");
	}
	return http_reply_json(req, 200,
			       json_pack("{s:{s:s}, s:I, s:I, s:o, s:o}", "coop", "name", name,
					 "carers", (json_int_t)carers, "recipients",
					 (json_int_t)recipients, "member_classes", classes,
					 "open_proposals", proposals));
}
