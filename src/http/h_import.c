/*
 * h_import: CSV import of carers and of people receiving care.
 *
 * Every row is checked first and every fault is listed with its line
 * number; a dry run stops there. A real import writes all rows in one
 * transaction, and only if no row has a fault: never half a file.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/care.h"
#include "core/text.h"
#include "csv/csv_read.h"
#include "db/db_care.h"
#include "http/http_internal.h"

#define IMPORT_ROWS_MAX   2000
#define IMPORT_ERRORS_MAX 200

enum import_kind { IMPORT_CARERS, IMPORT_RECIPIENTS };

struct import_row {
	size_t line;
	struct db_person person;
	int contract_minutes, max_week_minutes;               /* carers */
	int64_t ids[DB_SKILLS_MAX > 12 ? DB_SKILLS_MAX : 12]; /* skills, or team carers */
	size_t nids;
};

struct import {
	enum import_kind kind;
	struct db *db;
	struct import_row *rows; /* owned */
	size_t nrows;
	size_t nerrors; /* all faults, even past the list cap */
	json_t *errors; /* [{line, field, error}] */
	bool header_seen;
	int64_t user_id;
};

static void fault(struct import *im, size_t line, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void fault(struct import *im, size_t line, const char *field, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	im->nerrors++;
	if (json_array_size(im->errors) >= IMPORT_ERRORS_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	json_array_append_new(im->errors, json_pack("{s:I, s:s, s:s}", "line", (json_int_t)line,
						    "field", field, "error", msg));
}

static const char *const carer_cols[] = {
	"full_name",        "known_as",         "email", "phone", "address", "area", "lat", "lon",
	"contract_minutes", "max_week_minutes", "skills"};
static const char *const recipient_cols[] = {"full_name", "known_as", "email", "phone", "address",
					     "area",      "lat",      "lon",   "team"};

static bool header_ok(struct import *im, char **f, size_t n, size_t line)
{
	const char *const *cols = im->kind == IMPORT_CARERS ? carer_cols : recipient_cols;
	size_t ncols = im->kind == IMPORT_CARERS ? sizeof carer_cols / sizeof carer_cols[0]
						 : sizeof recipient_cols / sizeof recipient_cols[0];

	for (size_t i = 0; i < ncols; i++) {
		/* A spreadsheet may add a byte-order mark or spaces. */
		const char *got = i < n ? f[i] : "";
		if (i == 0 && strncmp(got, "\xef\xbb\xbf", 3) == 0)
			got += 3;
		while (*got == ' ')
			got++;
		size_t len = strlen(got);
		while (len > 0 && got[len - 1] == ' ')
			len--;
		if (len != strlen(cols[i]) || strncasecmp(got, cols[i], len) != 0) {
			fault(im, line, "header", "column %zu must be %s", i + 1, cols[i]);
			return false;
		}
	}
	if (n != ncols) {
		fault(im, line, "header", "expected %zu columns, found %zu", ncols, n);
		return false;
	}
	return true;
}

static bool text_field(struct import *im, size_t line, const char *name, const char *v, char *dst,
		       size_t cap, bool required)
{
	if (!text_utf8_valid(v, strcmp(name, "address") == 0)) {
		fault(im, line, name, "%s must be text without control characters", name);
		return false;
	}
	if (strlen(v) >= cap) {
		fault(im, line, name, "%s is longer than %zu bytes", name, cap - 1);
		return false;
	}
	if (required && *v == '\0') {
		fault(im, line, name, "%s is required", name);
		return false;
	}
	text_copy(dst, cap, v);
	return true;
}

static bool number_field(const char *v, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(v, &end);
	return *v != '\0' && *end == '\0' && errno == 0 && isfinite(*out);
}

static bool int_field(struct import *im, size_t line, const char *name, const char *v, int min,
		      int max, int dflt, int *out)
{
	int64_t x;

	if (*v == '\0' && dflt >= 0) {
		*out = dflt;
		return true;
	}
	if (text_parse_i64(v, min, max, &x) != 0) {
		fault(im, line, name, "%s must be a whole number from %d to %d", name, min, max);
		return false;
	}
	*out = (int)x;
	return true;
}

static bool email_taken(struct import *im, const char *email, size_t upto)
{
	for (size_t i = 0; i < upto; i++)
		if (strcasecmp(im->rows[i].person.email, email) == 0)
			return true;
	return db_person_id_by_email(im->db, email) > 0;
}

static bool person_fields(struct import *im, char **f, size_t line, struct db_person *p)
{
	bool ok = text_field(im, line, "full_name", f[0], p->full_name, sizeof p->full_name, true);
	double lat, lon;

	ok &= text_field(im, line, "known_as", f[1], p->known_as, sizeof p->known_as, true);
	ok &= text_field(im, line, "email", f[2], p->email, sizeof p->email, false);
	ok &= text_field(im, line, "phone", f[3], p->phone, sizeof p->phone, false);
	ok &= text_field(im, line, "address", f[4], p->address, sizeof p->address, false);
	ok &= text_field(im, line, "area", f[5], p->area, sizeof p->area, false);
	if (p->email[0] != '\0' && !text_email_valid(p->email)) {
		fault(im, line, "email", "email is not a valid address");
		ok = false;
	} else if (p->email[0] != '\0' && email_taken(im, p->email, im->nrows)) {
		fault(im, line, "email", "a person with email %s exists already", p->email);
		ok = false;
	}
	if (*f[6] == '\0' && *f[7] == '\0')
		return ok;
	if (!number_field(f[6], &lat) || lat < -90.0 || lat > 90.0) {
		fault(im, line, "lat", "lat must be a number from -90 to 90");
		return false;
	}
	if (!number_field(f[7], &lon) || lon < -180.0 || lon > 180.0) {
		fault(im, line, "lon", "lon must be a number from -180 to 180");
		return false;
	}
	p->lat = lat;
	p->lon = lon;
	p->has_location = true;
	return ok;
}

/* Splits a ';'-separated list in place, calling check on each item. */
static bool each_item(struct import *im, size_t line, const char *name, char *list,
		      bool (*check)(struct import *im, size_t line, const char *item,
				    struct import_row *row),
		      struct import_row *row)
{
	bool ok = true;

	for (char *p = list, *semi; p != NULL && *p != '\0'; p = semi != NULL ? semi + 1 : NULL) {
		semi = strchr(p, ';');
		if (semi != NULL)
			*semi = '\0';
		while (*p == ' ')
			p++;
		if (*p == '\0')
			continue;
		if (row->nids >= sizeof row->ids / sizeof row->ids[0]) {
			fault(im, line, name, "too many entries in %s", name);
			return false;
		}
		ok &= check(im, line, p, row);
	}
	return ok;
}

static bool check_skill(struct import *im, size_t line, const char *item, struct import_row *row)
{
	int64_t id = care_skill_code_valid(item) ? db_skill_id(im->db, item) : 0;

	if (id <= 0) {
		fault(im, line, "skills", "no skill with code %s", item);
		return false;
	}
	row->ids[row->nids++] = id;
	return true;
}

static bool check_team_member(struct import *im, size_t line, const char *item,
			      struct import_row *row)
{
	int64_t id = db_person_id_by_email(im->db, item);

	if (id <= 0 || !db_is_carer(im->db, id)) {
		fault(im, line, "team", "no carer with email %s", item);
		return false;
	}
	for (size_t i = 0; i < row->nids; i++)
		if (row->ids[i] == id) {
			fault(im, line, "team", "%s is listed twice", item);
			return false;
		}
	row->ids[row->nids++] = id;
	return true;
}

static int on_row(char **f, size_t n, size_t line, void *arg)
{
	struct import *im = arg;
	size_t ncols = im->kind == IMPORT_CARERS ? sizeof carer_cols / sizeof carer_cols[0]
						 : sizeof recipient_cols / sizeof recipient_cols[0];
	struct import_row *row;
	bool ok;

	if (!im->header_seen) {
		im->header_seen = true;
		return header_ok(im, f, n, line) ? 0 : 1;
	}
	if (n != ncols) {
		fault(im, line, "row", "expected %zu fields, found %zu", ncols, n);
		return 0;
	}
	if (im->nrows >= IMPORT_ROWS_MAX) {
		fault(im, line, "row", "at most %d rows in one file", IMPORT_ROWS_MAX);
		return 1;
	}
	row = &im->rows[im->nrows];
	memset(row, 0, sizeof *row);
	row->line = line;
	ok = person_fields(im, f, line, &row->person);
	if (im->kind == IMPORT_CARERS) {
		ok &= int_field(im, line, "contract_minutes", f[8], 0, CARE_MINUTES_PER_WEEK, -1,
				&row->contract_minutes);
		ok &= int_field(im, line, "max_week_minutes", f[9], 1, CARE_MINUTES_PER_WEEK,
				CARE_WTR_MAX_WEEK_MINUTES, &row->max_week_minutes);
		ok &= each_item(im, line, "skills", f[10], check_skill, row);
	} else {
		ok &= each_item(im, line, "team", f[8], check_team_member, row);
	}
	if (ok)
		im->nrows++;
	else
		memset(row, 0, sizeof *row);
	return 0;
}

static int write_rows(struct db *db, void *arg)
{
	struct import *im = arg;
	char detail[64];

	for (size_t i = 0; i < im->nrows; i++) {
		struct import_row *r = &im->rows[i];
		int64_t id;

		if (db_person_insert(db, &r->person, &id) <= 0)
			return -1;
		if (im->kind == IMPORT_CARERS) {
			if (db_carer_create(db, id, r->contract_minutes, r->max_week_minutes) <=
				    0 ||
			    db_carer_set_skills(db, id, r->ids, r->nids) < 0)
				return -1;
		} else if (db_recipient_create(db, id, "", "") <= 0 ||
			   db_team_set(db, id, r->ids, r->nids, NULL, 0) < 0) {
			return -1;
		}
	}
	snprintf(detail, sizeof detail, "%zu rows", im->nrows);
	return db_audit(db, im->user_id, "import",
			im->kind == IMPORT_CARERS ? "carer" : "recipient", 0, detail);
}

static enum MHD_Result run_import(struct http_req *req, enum import_kind kind)
{
	const char *dry = http_query(req, "dry_run");
	struct import im = {.kind = kind, .db = req->db, .user_id = req->user.id};
	char err[256];
	size_t err_line = 0;
	enum MHD_Result r;
	bool dry_run;
	int rc;

	if (*dry != '\0' && strcmp(dry, "0") != 0 && strcmp(dry, "1") != 0)
		return http_reply_error(req, 400, "dry_run", "dry_run must be 0 or 1");
	dry_run = strcmp(dry, "1") == 0;
	im.rows = calloc(IMPORT_ROWS_MAX, sizeof *im.rows);
	im.errors = json_array();
	if (im.rows == NULL || im.errors == NULL) {
		r = http_reply_error(req, 503, NULL, "out of memory; try a smaller file");
		goto out;
	}
	rc = csv_read(req->body != NULL ? req->body : "", req->body_len, on_row, &im, err,
		      sizeof err, &err_line);
	if (rc < 0) {
		char field[32];
		snprintf(field, sizeof field, "line %zu", err_line);
		r = http_reply_error(req, 400, field, "not a readable CSV file: %s", err);
		goto out;
	}
	if (!im.header_seen) {
		r = http_reply_error(req, 400, "body",
				     "the file is empty; the first line must be "
				     "the header");
		goto out;
	}
	if (dry_run) {
		r = http_reply_json(req, 200,
				    json_pack("{s:b, s:I, s:I, s:O}", "ok", im.nerrors == 0, "rows",
					      (json_int_t)(im.nrows + 0), "error_count",
					      (json_int_t)im.nerrors, "errors", im.errors));
		goto out;
	}
	if (im.nerrors > 0) {
		json_t *first = json_array_get(im.errors, 0);
		char field[32];
		snprintf(field, sizeof field, "line %lld",
			 (long long)json_integer_value(json_object_get(first, "line")));
		r = http_reply_json(req, 400,
				    json_pack("{s:s, s:s, s:I, s:O}", "error",
					      "some rows have errors; nothing was imported",
					      "field", field, "error_count", (json_int_t)im.nerrors,
					      "errors", im.errors));
		goto out;
	}
	if (db_tx(req->db, write_rows, &im) < 0) {
		r = http_reply_error(req, 500, NULL, "could not import; nothing was written");
		goto out;
	}
	r = http_reply_json(req, 201,
			    json_pack("{s:b, s:I}", "ok", 1, "rows", (json_int_t)im.nrows));
out:
	json_decref(im.errors);
	free(im.rows);
	return r;
}

enum MHD_Result h_import_carers(struct http_req *req)
{
	return run_import(req, IMPORT_CARERS);
}

enum MHD_Result h_import_recipients(struct http_req *req)
{
	return run_import(req, IMPORT_RECIPIENTS);
}
