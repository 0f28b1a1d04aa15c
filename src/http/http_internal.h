/*
 * http_internal: the request context, route table entry and reply helpers
 * shared by src/http/ files. Only src/http/ includes <microhttpd.h>.
 */
#ifndef CARECOOP_HTTP_INTERNAL_H
#define CARECOOP_HTTP_INTERNAL_H

#include <jansson.h>
#include <stdlib.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "db/db.h"
#include "db/db_people.h"
#include "db/db_session.h"
#include "db/db_user.h"
#include "http/http.h"

#define HTTP_URL_MAX        2048
#define HTTP_MAX_HEADERS    4
#define HTTP_MAX_PARAMS     4
#define HTTP_SESSION_COOKIE "carecoop_session"
#define HTTP_CSRF_HEADER    "X-CSRF-Token"

struct http_req;
typedef enum MHD_Result (*http_handler)(struct http_req *req);

enum route_flags {
	ROUTE_JSON_BODY = 1u << 0,     /* needs a JSON object body */
	ROUTE_CSV_BODY = 1u << 1,      /* needs a text/csv body */
	ROUTE_JSON_OPTIONAL = 1u << 2, /* with ROUTE_JSON_BODY: no body means {} */
	ROUTE_FORM_BODY = 1u << 3,     /* an HTML form: urlencoded body, CSRF in a field */
	ROUTE_HTML_PAGE = 1u << 4,     /* a page: not logged in -> 303 to the sign-in page */
};

struct route {
	const char *method;  /* "GET", "POST", ... */
	const char *pattern; /* "/api/users/{id}/sessions": {id} is a positive integer */
	http_handler handler;
	unsigned roles; /* 0: public; else any of these role bits */
	unsigned flags; /* enum route_flags */
};

struct http_req {
	struct MHD_Connection *conn;
	const struct http_config *cfg;
	char method[8];
	char path[HTTP_URL_MAX + 1]; /* without query */
	size_t uri_len;              /* raw URI with its query, as received */
	struct timespec t0;          /* arrival, for the log */
	char ip[64];                 /* client address, text */

	char *body; /* owned; NUL-terminated */
	size_t body_len, body_cap;
	bool body_too_large; /* discarded the rest; reply 413 */
	bool first_call_done;

	struct db *db; /* this worker thread's connection */
	json_t *json;  /* owned; parsed body for ROUTE_JSON_BODY */
	int64_t params[HTTP_MAX_PARAMS];
	unsigned nparams;

	bool authed;         /* a valid session came with the request */
	struct db_user user; /* the person logged in (pwhash cleared) */
	struct db_session session;
	char session_hash[65]; /* SHA-256 of the cookie token */

	const char *hdr_name[HTTP_MAX_HEADERS]; /* extra reply headers */
	char *hdr_value[HTTP_MAX_HEADERS];      /* owned */
	unsigned nhdr;
	unsigned status; /* reply status, for the log */
};

/* Route table (routes.c). */
extern const struct route http_routes[];
extern const unsigned http_route_count;

/* Matches path against a route pattern, filling params. True on match. */
bool http_route_match(const char *pattern, const char *path, int64_t *params, unsigned *nparams);

/* Adds a header to the eventual reply (value copied). */
void http_req_add_header(struct http_req *req, const char *name, const char *value);

/* Replies with a JSON body (reference stolen, may be NULL for {}). */
enum MHD_Result http_reply_json(struct http_req *req, unsigned status, json_t *body);

/* Replies {"error": msg, "field": field-or-null}. */
enum MHD_Result http_reply_error(struct http_req *req, unsigned status, const char *field,
				 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Queues a prepared response, adding the security headers, the extra
 * headers and recording the status. Takes over response. */
enum MHD_Result http_queue(struct http_req *req, unsigned status, struct MHD_Response *resp);

/* Reads string member `name` of obj: NULL with a reason in why when missing
 * (and required), not a string, over max bytes, or not clean UTF-8. When not
 * required and absent, returns "" . */
const char *http_json_str(json_t *obj, const char *name, size_t max, bool required, char *why,
			  size_t whylen);

/* True when an If-None-Match header value (NULL: absent) names etag or is
 * "*" (RFC 9110 section 13.1.2, weak comparison of a list). */
bool http_etag_matches(const char *header, const char *etag);

/* Serves a file from the web root, or replies 404/403/405. */
enum MHD_Result http_static_or_reply(struct http_req *req);

/* Loads the session named by the request's cookie, if any and still valid
 * (session.c). Returns 0, or -1 on a database error. */
int http_session_load(struct http_req *req);

/* Sets the session cookie (token; NULL clears it). */
void http_session_cookie(struct http_req *req, const char *token);

/* JSON of a user: {"id","email","name","roles":[...]}. New reference. */
json_t *http_user_json(const struct db_user *u);

/* Typed JSON members (fields.c). Each returns 1 when set, 0 when absent
 * (and not required), -1 with e filled in. */
struct field_err {
	char field[64]; /* the member at fault, e.g. "weekly[2].end" */
	char why[256];  /* what is wrong, for a person */
};

enum jf_flags {
	JF_REQUIRED = 1u << 0,
	JF_MULTILINE = 1u << 1,
};

int field_fail(struct field_err *e, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
enum MHD_Result http_reply_field_error(struct http_req *req, unsigned status,
				       const struct field_err *e);
int jf_string(json_t *o, const char *name, char *dst, size_t cap, unsigned flags,
	      struct field_err *e);
int jf_int(json_t *o, const char *name, int64_t min, int64_t max, int64_t *out, unsigned flags,
	   struct field_err *e);
int jf_bool(json_t *o, const char *name, bool *out, unsigned flags, struct field_err *e);
int jf_date(json_t *o, const char *name, char out[11], unsigned flags, struct field_err *e);

/* Reads the person members (full_name, known_as, email, phone, address,
 * area, lat, lon) into p; with partial, absent members keep p's values. */
int person_from_json(json_t *o, struct db_person *p, bool partial, struct field_err *e);

/* JSON of a person. New reference. */
json_t *person_json(const struct db_person *p);

/* A query parameter, "" when absent. */
const char *http_query(struct http_req *req, const char *name);

/* The ?q= search text, checked; on a bad one replies 400 into *r. */
int http_query_search_or_reply(struct http_req *req, const char **q, enum MHD_Result *r);

/* A growable text buffer for CSV replies, capped at TEXTBUF_MAX. */
#define TEXTBUF_MAX (32u * 1024 * 1024)
struct textbuf {
	char *data; /* owned, NUL-terminated */
	size_t len, cap;
	bool failed; /* out of memory or over the cap */
};

int textbuf_add(struct textbuf *b, const char *s, size_t n);
/* Appends one CSV field and a comma, or CRLF when last. */
int textbuf_csv(struct textbuf *b, const char *field, bool numeric, bool last);
void textbuf_free(struct textbuf *b);

/* Replies 200 text/csv as an attachment; takes over b's data. */
enum MHD_Result http_reply_csv(struct http_req *req, struct textbuf *b, const char *filename);

/* True when the person logged in holds any of these roles. */
#define HTTP_HAS(req, mask) (((req)->user.roles & (mask)) != 0)

/* CSV columns shared by export and import (h_import.c). */
#define CSV_CARER_HEADER                                                        \
	"full_name,known_as,email,phone,address,area,lat,lon,contract_minutes," \
	"max_week_minutes,skills"
#define CSV_RECIPIENT_HEADER "full_name,known_as,email,phone,address,area,lat,lon,team"

/* Handlers. */
enum MHD_Result h_health(struct http_req *req);
enum MHD_Result h_session_create(struct http_req *req);
enum MHD_Result h_login_form(struct http_req *req);
enum MHD_Result h_session_delete(struct http_req *req);
enum MHD_Result h_me(struct http_req *req);
enum MHD_Result h_me_password(struct http_req *req);
enum MHD_Result h_users_list(struct http_req *req);
enum MHD_Result h_users_create(struct http_req *req);
enum MHD_Result h_user_sessions_delete(struct http_req *req);
enum MHD_Result h_summary(struct http_req *req);
enum MHD_Result h_skills_list(struct http_req *req);
enum MHD_Result h_skills_create(struct http_req *req);
enum MHD_Result h_classes_list(struct http_req *req);
enum MHD_Result h_classes_create(struct http_req *req);
enum MHD_Result h_classes_update(struct http_req *req);
enum MHD_Result h_people_list(struct http_req *req);
enum MHD_Result h_people_create(struct http_req *req);
enum MHD_Result h_people_get(struct http_req *req);
enum MHD_Result h_people_update(struct http_req *req);
enum MHD_Result h_members_list(struct http_req *req);
enum MHD_Result h_members_create(struct http_req *req);
enum MHD_Result h_members_update(struct http_req *req);
enum MHD_Result h_members_end(struct http_req *req);
enum MHD_Result h_members_csv(struct http_req *req);
enum MHD_Result h_audit_list(struct http_req *req);
enum MHD_Result h_carers_list(struct http_req *req);
enum MHD_Result h_carers_create(struct http_req *req);
enum MHD_Result h_carers_get(struct http_req *req);
enum MHD_Result h_carers_update(struct http_req *req);
enum MHD_Result h_carers_csv(struct http_req *req);
enum MHD_Result h_availability_put(struct http_req *req);
enum MHD_Result h_exceptions_list(struct http_req *req);
enum MHD_Result h_exceptions_create(struct http_req *req);
enum MHD_Result h_exceptions_decide(struct http_req *req);
enum MHD_Result h_exceptions_delete(struct http_req *req);
enum MHD_Result h_recipients_list(struct http_req *req);
enum MHD_Result h_recipients_create(struct http_req *req);
enum MHD_Result h_recipients_get(struct http_req *req);
enum MHD_Result h_recipients_update(struct http_req *req);
enum MHD_Result h_recipients_csv(struct http_req *req);
enum MHD_Result h_team_put(struct http_req *req);
enum MHD_Result h_viewers_put(struct http_req *req);
enum MHD_Result h_plan_create(struct http_req *req);
enum MHD_Result h_plan_change(struct http_req *req);
enum MHD_Result h_plan_end(struct http_req *req);
enum MHD_Result h_import_carers(struct http_req *req);
enum MHD_Result h_import_recipients(struct http_req *req);
enum MHD_Result h_rota_weeks_list(struct http_req *req);
enum MHD_Result h_rota_weeks_create(struct http_req *req);
enum MHD_Result h_rota_week_get(struct http_req *req);
enum MHD_Result h_rota_solve(struct http_req *req);
enum MHD_Result h_visit_check(struct http_req *req);
enum MHD_Result h_visit_set_carers(struct http_req *req);
enum MHD_Result h_rota_publish(struct http_req *req);
enum MHD_Result h_rota_changes(struct http_req *req);
enum MHD_Result h_rota_cover(struct http_req *req);
enum MHD_Result h_rota_hours_csv(struct http_req *req);
enum MHD_Result h_me_visits(struct http_req *req);

/* Governance (h_gov.c, h_gov_html.c; docs/API.md "Governance"). */
#define HTTP_CSRF_FIELD "csrf_token" /* the CSRF token's form field (ROUTE_FORM_BODY) */
struct db_proposal;
struct db_rulebook;
/* JSON of a proposal / a rulebook version (docs/API.md). New references. */
json_t *gov_proposal_json(const struct db_proposal *p);
json_t *gov_rulebook_json(const struct db_rulebook *rb);
/* True once voting has closed (status closed or decided). */
bool gov_closed(const struct db_proposal *p);
/* Closes and counts every open proposal whose closing time has passed, in
 * one transaction, only when there is one; a failure is logged, not fatal. */
void gov_close_due(struct http_req *req);
/* The HTTP status of an enum gov_refusal (gov_count.h). */
unsigned gov_refusal_status(int refusal);
/* Parses an application/x-www-form-urlencoded body into a JSON object of
 * strings (a repeated name becomes an array). New reference, or NULL when
 * the body is not well-formed or has more than 64 fields. */
json_t *http_form_parse(const char *body, size_t len);
/* Replies 303 See Other to location (a path on this server). */
enum MHD_Result http_reply_see_other(struct http_req *req, const char *location);
enum MHD_Result h_rulebook_get(struct http_req *req);
enum MHD_Result h_rulebook_post(struct http_req *req);
enum MHD_Result h_proposals_list(struct http_req *req);
enum MHD_Result h_proposals_create(struct http_req *req);
enum MHD_Result h_proposal_get(struct http_req *req);
enum MHD_Result h_proposal_update(struct http_req *req);
enum MHD_Result h_proposal_open(struct http_req *req);
enum MHD_Result h_proposal_close(struct http_req *req);
enum MHD_Result h_ballot_cast(struct http_req *req);
enum MHD_Result h_proxies_create(struct http_req *req);
enum MHD_Result h_proxy_revoke(struct http_req *req);
enum MHD_Result h_proxy_log(struct http_req *req);
enum MHD_Result h_comments_create(struct http_req *req);
enum MHD_Result h_proposal_results(struct http_req *req);
enum MHD_Result h_tally_json(struct http_req *req);
enum MHD_Result h_tally_csv(struct http_req *req);
enum MHD_Result h_ballots_blt(struct http_req *req);
enum MHD_Result h_gov_page_list(struct http_req *req);
enum MHD_Result h_gov_page_proposal(struct http_req *req);
enum MHD_Result h_gov_page_vote(struct http_req *req);
enum MHD_Result h_gov_page_comment(struct http_req *req);
enum MHD_Result h_gov_page_proxy(struct http_req *req);
enum MHD_Result h_visit_cancel(struct http_req *req);

/* Calendar feeds (h_feed.c, docs/API.md "Calendar feeds"). */
enum MHD_Result h_ical_feed_or_reply(struct http_req *req);
enum MHD_Result h_feeds_list(struct http_req *req);
enum MHD_Result h_feeds_issue(struct http_req *req);
enum MHD_Result h_feeds_revoke(struct http_req *req);
enum MHD_Result h_feeds_qr(struct http_req *req);
enum MHD_Result h_feed_settings_set(struct http_req *req);
/* Empties the server-wide cache of generated feeds (h_feed.c). */
void http_feed_cache_free(void);

/* Surplus (h_surplus.c, docs/API.md "Surplus"). */
enum MHD_Result h_surplus_rulebooks_list(struct http_req *req);
enum MHD_Result h_surplus_rulebooks_create(struct http_req *req);
enum MHD_Result h_surplus_proposals(struct http_req *req);
enum MHD_Result h_surplus_runs_list(struct http_req *req);
enum MHD_Result h_surplus_runs_create(struct http_req *req);
enum MHD_Result h_surplus_run_get(struct http_req *req);
enum MHD_Result h_surplus_run_update(struct http_req *req);
enum MHD_Result h_surplus_run_preview(struct http_req *req);
enum MHD_Result h_surplus_run_whatif(struct http_req *req);
enum MHD_Result h_surplus_run_approve(struct http_req *req);
enum MHD_Result h_surplus_run_paid(struct http_req *req);
enum MHD_Result h_surplus_run_csv(struct http_req *req);
enum MHD_Result h_surplus_run_member(struct http_req *req);
enum MHD_Result h_surplus_me(struct http_req *req);

#endif
