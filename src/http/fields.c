/*
 * fields: typed reading of JSON request members with errors that name the
 * member, the person fields shared by carers and recipients, query
 * parameters, and growable text buffers for CSV replies.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/care.h"
#include "core/csvout.h"
#include "core/text.h"
#include "http/http_internal.h"

int field_fail(struct field_err *e, const char *field, const char *fmt, ...)
{
	va_list ap;

	text_copy(e->field, sizeof e->field, field);
	va_start(ap, fmt);
	vsnprintf(e->why, sizeof e->why, fmt, ap);
	va_end(ap);
	return -1;
}

enum MHD_Result http_reply_field_error(struct http_req *req, unsigned status,
				       const struct field_err *e)
{
	return http_reply_error(req, status, e->field[0] != '\0' ? e->field : NULL, "%s", e->why);
}

int jf_string(json_t *o, const char *name, char *dst, size_t cap, unsigned flags,
	      struct field_err *e)
{
	json_t *v = json_object_get(o, name);
	const char *s;

	if (v == NULL || json_is_null(v)) {
		if (flags & JF_REQUIRED)
			return field_fail(e, name, "%s is required", name);
		return 0;
	}
	if (!json_is_string(v))
		return field_fail(e, name, "%s must be a string", name);
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v) || !text_utf8_valid(s, (flags & JF_MULTILINE) != 0))
		return field_fail(e, name, "%s must be text without control characters", name);
	if (strlen(s) >= cap)
		return field_fail(e, name, "%s must be at most %zu bytes", name, cap - 1);
	if ((flags & JF_REQUIRED) && *s == '\0')
		return field_fail(e, name, "%s is required", name);
	text_copy(dst, cap, s);
	return 1;
}

int jf_int(json_t *o, const char *name, int64_t min, int64_t max, int64_t *out, unsigned flags,
	   struct field_err *e)
{
	json_t *v = json_object_get(o, name);

	if (v == NULL || json_is_null(v)) {
		if (flags & JF_REQUIRED)
			return field_fail(e, name, "%s is required", name);
		return 0;
	}
	if (!json_is_integer(v))
		return field_fail(e, name, "%s must be a whole number", name);
	if (json_integer_value(v) < min || json_integer_value(v) > max)
		return field_fail(e, name, "%s must be from %lld to %lld", name, (long long)min,
				  (long long)max);
	*out = json_integer_value(v);
	return 1;
}

int jf_bool(json_t *o, const char *name, bool *out, unsigned flags, struct field_err *e)
{
	json_t *v = json_object_get(o, name);

	if (v == NULL || json_is_null(v)) {
		if (flags & JF_REQUIRED)
			return field_fail(e, name, "%s is required", name);
		return 0;
	}
	if (!json_is_boolean(v))
		return field_fail(e, name, "%s must be true or false", name);
	*out = json_is_true(v);
	return 1;
}

int jf_date(json_t *o, const char *name, char out[11], unsigned flags, struct field_err *e)
{
	char buf[32];
	int rc = jf_string(o, name, buf, sizeof buf, flags, e);

	if (rc <= 0)
		return rc;
	if (!care_date_valid(buf))
		return field_fail(e, name, "%s must be a date YYYY-MM-DD", name);
	text_copy(out, 11, buf);
	return 1;
}

/* Reads a coordinate: 1 a number, 0 absent, 2 explicitly null, -1 bad. */
static int jf_coord(json_t *o, const char *name, double *out, struct field_err *e)
{
	json_t *v = json_object_get(o, name);

	if (v == NULL)
		return 0;
	if (json_is_null(v))
		return 2;
	if (!json_is_number(v) || !isfinite(json_number_value(v)))
		return field_fail(e, name, "%s must be a number", name);
	*out = json_number_value(v);
	return 1;
}

int person_from_json(json_t *o, struct db_person *p, bool partial, struct field_err *e)
{
	unsigned req = partial ? 0 : JF_REQUIRED;
	double lat = 0, lon = 0;
	int has_lat, has_lon;

	if (jf_string(o, "full_name", p->full_name, sizeof p->full_name, req, e) < 0 ||
	    jf_string(o, "known_as", p->known_as, sizeof p->known_as, req, e) < 0 ||
	    jf_string(o, "email", p->email, sizeof p->email, 0, e) < 0 ||
	    jf_string(o, "phone", p->phone, sizeof p->phone, 0, e) < 0 ||
	    jf_string(o, "address", p->address, sizeof p->address, JF_MULTILINE, e) < 0 ||
	    jf_string(o, "area", p->area, sizeof p->area, 0, e) < 0)
		return -1;
	if (p->email[0] != '\0' && !text_email_valid(p->email))
		return field_fail(e, "email", "email is not a valid address");
	if ((has_lat = jf_coord(o, "lat", &lat, e)) < 0 ||
	    (has_lon = jf_coord(o, "lon", &lon, e)) < 0)
		return -1;
	if (has_lat == 1 && has_lon == 1) {
		if (lat < -90.0 || lat > 90.0)
			return field_fail(e, "lat", "lat must be from -90 to 90");
		if (lon < -180.0 || lon > 180.0)
			return field_fail(e, "lon", "lon must be from -180 to 180");
		p->lat = lat;
		p->lon = lon;
		p->has_location = true;
	} else if (has_lat == 1 || has_lon == 1) {
		return field_fail(e, has_lat == 1 ? "lon" : "lat",
				  "give both lat and lon, or neither");
	} else if (has_lat == 2 || has_lon == 2) {
		p->has_location = false; /* both cleared (or one null, one absent) */
	}
	return 0;
}

json_t *person_json(const struct db_person *p)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)p->id,
			      "full_name", p->full_name, "known_as", p->known_as, "email", p->email,
			      "phone", p->phone, "address", p->address, "area", p->area);

	json_object_set_new(o, "lat", p->has_location ? json_real(p->lat) : json_null());
	json_object_set_new(o, "lon", p->has_location ? json_real(p->lon) : json_null());
	json_object_set_new(o, "user_id",
			    p->user_id > 0 ? json_integer((json_int_t)p->user_id) : json_null());
	return o;
}

const char *http_query(struct http_req *req, const char *name)
{
	const char *v = MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
	return v != NULL ? v : "";
}

int http_query_search_or_reply(struct http_req *req, const char **q, enum MHD_Result *r)
{
	*q = http_query(req, "q");
	if (strlen(*q) > 100 || !text_utf8_valid(*q, false)) {
		*r = http_reply_error(req, 400, "q", "q must be text of at most 100 bytes");
		return -1;
	}
	return 0;
}

int textbuf_add(struct textbuf *b, const char *s, size_t n)
{
	if (b->failed)
		return -1;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		if (cap > TEXTBUF_MAX) {
			b->failed = true;
			return -1;
		}
		char *grown = realloc(b->data, cap);
		if (grown == NULL) {
			b->failed = true;
			return -1;
		}
		b->data = grown;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int textbuf_csv(struct textbuf *b, const char *field, bool numeric, bool last)
{
	char quoted[2 * DB_TEXT_LONG + 8];
	int n = csvout_field(field, numeric, quoted, sizeof quoted);

	if (n < 0)
		return -1;
	if (textbuf_add(b, quoted, (size_t)n) < 0)
		return -1;
	return textbuf_add(b, last ? "\r\n" : ",", last ? 2 : 1);
}

void textbuf_free(struct textbuf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

enum MHD_Result http_reply_csv(struct http_req *req, struct textbuf *b, const char *filename)
{
	struct MHD_Response *resp;
	char disposition[128];

	if (b->failed || b->data == NULL) {
		textbuf_free(b);
		return http_reply_error(req, 500, NULL, "could not build the CSV file");
	}
	resp = MHD_create_response_from_buffer(b->len, b->data, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		textbuf_free(b);
		return MHD_NO;
	}
	memset(b, 0, sizeof *b); /* the response owns the data now */
	snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", filename);
	MHD_add_response_header(resp, "Content-Type", "text/csv; charset=utf-8");
	MHD_add_response_header(resp, "Content-Disposition", disposition);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	return http_queue(req, 200, resp);
}
