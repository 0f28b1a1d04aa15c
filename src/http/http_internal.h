/*
 * http_internal: the request context, route table entry and reply helpers
 * shared by src/http/ files. Only src/http/ includes <microhttpd.h>.
 */
#ifndef CARECOOP_HTTP_INTERNAL_H
#define CARECOOP_HTTP_INTERNAL_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "db/db.h"
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
	ROUTE_JSON_BODY = 1u << 0, /* needs a JSON object body */
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

/* Serves a file from the web root, or replies 404/403/405. */
enum MHD_Result http_static_or_reply(struct http_req *req);

/* Loads the session named by the request's cookie, if any and still valid
 * (session.c). Returns 0, or -1 on a database error. */
int http_session_load(struct http_req *req);

/* Sets the session cookie (token; NULL clears it). */
void http_session_cookie(struct http_req *req, const char *token);

/* JSON of a user: {"id","email","name","roles":[...]}. New reference. */
json_t *http_user_json(const struct db_user *u);

/* Handlers. */
enum MHD_Result h_health(struct http_req *req);
enum MHD_Result h_session_create(struct http_req *req);
enum MHD_Result h_session_delete(struct http_req *req);
enum MHD_Result h_me(struct http_req *req);
enum MHD_Result h_me_password(struct http_req *req);
enum MHD_Result h_users_list(struct http_req *req);
enum MHD_Result h_users_create(struct http_req *req);
enum MHD_Result h_user_sessions_delete(struct http_req *req);
enum MHD_Result h_summary(struct http_req *req);

#endif
