/*
 * csv_read: libcsv (Debian's libcsv3) does the quoting rules; this file
 * feeds it line by line to know where each record starts, collects the
 * fields of a record and enforces the caps.
 */
#include "csv/csv_read.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct reader {
	char *fields[CSV_FIELDS_MAX];
	size_t n;
	size_t line;        /* line being fed */
	size_t record_line; /* line the current record started on */
	int in_record;
	int stop;     /* callback's non-zero result */
	int overflow; /* 1: too many fields, 2: field too long, 3: no memory */
	csv_row_fn row;
	void *arg;
};

static void clear_fields(struct reader *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->fields[i]);
	r->n = 0;
}

static void on_field(void *data, size_t len, void *ctx)
{
	struct reader *r = ctx;
	char *copy;

	if (r->stop || r->overflow)
		return;
	if (r->n >= CSV_FIELDS_MAX) {
		r->overflow = 1;
		return;
	}
	if (len > CSV_FIELD_MAX) {
		r->overflow = 2;
		return;
	}
	copy = malloc(len + 1);
	if (copy == NULL) {
		r->overflow = 3;
		return;
	}
	memcpy(copy, data, len);
	copy[len] = '\0';
	r->fields[r->n++] = copy;
}

static void on_record(int c, void *ctx)
{
	struct reader *r = ctx;

	(void)c;
	if (!r->stop && !r->overflow && r->n > 0)
		r->stop = r->row(r->fields, r->n, r->record_line, r->arg);
	clear_fields(r);
	r->in_record = 0;
}

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\r' && s[i] != '\n' && s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

int csv_read(const char *data, size_t len, csv_row_fn row, void *arg, char *err, size_t errlen,
	     size_t *err_line)
{
	struct csv_parser p;
	struct reader r = {.row = row, .arg = arg};
	size_t pos = 0;
	int rc = 0;

	*err_line = 0;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while (pos < len && !r.stop && !r.overflow) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t chunk = nl != NULL ? (size_t)(nl - (data + pos)) + 1 : len - pos;

		r.line++;
		if (!r.in_record && !blank(data + pos, chunk)) {
			r.in_record = 1;
			r.record_line = r.line;
		}
		if (csv_parse(&p, data + pos, chunk, on_field, on_record, &r) != chunk) {
			*err_line = r.line;
			snprintf(err, errlen, "line %zu: %s", r.line, csv_strerror(csv_error(&p)));
			rc = -1;
			goto out;
		}
		pos += chunk;
	}
	if (!r.stop && !r.overflow && csv_fini(&p, on_field, on_record, &r) != 0) {
		*err_line = r.record_line;
		snprintf(err, errlen, "line %zu: %s (a quote is not closed)", r.record_line,
			 csv_strerror(csv_error(&p)));
		rc = -1;
		goto out;
	}
	if (r.overflow) {
		*err_line = r.record_line;
		snprintf(err, errlen, "line %zu: %s", r.record_line,
			 r.overflow == 1   ? "more than 64 fields"
			 : r.overflow == 2 ? "a field is longer than 4096 bytes"
					   : "out of memory");
		rc = -1;
		goto out;
	}
	rc = r.stop;
out:
	clear_fields(&r);
	csv_free(&p);
	return rc;
}
