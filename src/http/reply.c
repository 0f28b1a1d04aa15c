/*
 * reply: building responses: JSON bodies, errors as {"error","field"}, the
 * security headers every response carries, and reading typed members of a
 * JSON body with reasons a person can act on.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/roles.h"
#include "core/text.h"
#include "http/http_internal.h"

void http_req_add_header(struct http_req *req, const char *name, const char *value)
{
	if (req->nhdr >= HTTP_MAX_HEADERS)
		return; /* programming error: raise HTTP_MAX_HEADERS */
	char *copy = strdup(value);
	if (copy == NULL)
		return;
	req->hdr_name[req->nhdr] = name;
	req->hdr_value[req->nhdr++] = copy;
}

enum MHD_Result http_queue(struct http_req *req, unsigned status, struct MHD_Response *resp)
{
	static const char *const security[][2] = {
		{"X-Content-Type-Options", "nosniff"},
		{"Referrer-Policy", "no-referrer"},
		{"X-Frame-Options", "DENY"},
		{"Content-Security-Policy",
		 "default-src 'self'; img-src 'self' data:; style-src 'self'; "
		 "script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"},
	};
	enum MHD_Result r;

	if (resp == NULL)
		return MHD_NO;
	for (size_t i = 0; i < sizeof security / sizeof security[0]; i++)
		MHD_add_response_header(resp, security[i][0], security[i][1]);
	for (unsigned i = 0; i < req->nhdr; i++)
		MHD_add_response_header(resp, req->hdr_name[i], req->hdr_value[i]);
	req->status = status;
	r = MHD_queue_response(req->conn, status, resp);
	MHD_destroy_response(resp);
	return r;
}

enum MHD_Result http_reply_json(struct http_req *req, unsigned status, json_t *body)
{
	struct MHD_Response *resp;
	char *text;

	if (body == NULL)
		body = json_object();
	text = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(body);
	if (text == NULL)
		return MHD_NO;
	resp = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", "application/json");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	return http_queue(req, status, resp);
}

enum MHD_Result http_reply_error(struct http_req *req, unsigned status, const char *field,
				 const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return http_reply_json(req, status,
			       json_pack("{s:s, s:o}", "error", msg, "field",
					 field != NULL ? json_string(field) : json_null()));
}

const char *http_json_str(json_t *obj, const char *name, size_t max, bool required, char *why,
			  size_t whylen)
{
	json_t *v = json_object_get(obj, name);
	const char *s;

	if (v == NULL || json_is_null(v)) {
		if (!required)
			return "";
		snprintf(why, whylen, "%s is required", name);
		return NULL;
	}
	if (!json_is_string(v)) {
		snprintf(why, whylen, "%s must be a string", name);
		return NULL;
	}
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v) || !text_utf8_valid(s, false)) {
		snprintf(why, whylen, "%s must be text without control characters", name);
		return NULL;
	}
	if (strlen(s) > max) {
		snprintf(why, whylen, "%s must be at most %zu bytes", name, max);
		return NULL;
	}
	if (required && *s == '\0') {
		snprintf(why, whylen, "%s is required", name);
		return NULL;
	}
	return s;
}

json_t *http_user_json(const struct db_user *u)
{
	json_t *roles = json_array();

	for (unsigned i = 0; i < ROLE_COUNT; i++)
		if (u->roles & role_at(i))
			json_array_append_new(roles, json_string(role_name(role_at(i))));
	return json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)u->id, "email", u->email, "name",
			 u->name, "roles", roles);
}
