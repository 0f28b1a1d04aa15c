/*
 * csv_read: RFC 4180 CSV parsing over libcsv, with the line number where
 * each record starts (quoted fields may hold newlines), for import error
 * messages a person can find in their spreadsheet. Knows nothing of the
 * rows' meaning.
 */
#ifndef CARECOOP_CSV_READ_H
#define CARECOOP_CSV_READ_H

#include <stddef.h>

#define CSV_FIELDS_MAX 64   /* fields per record */
#define CSV_FIELD_MAX  4096 /* bytes per field */

/* Called once per record: fields[0..n) are NUL-terminated and valid only
 * during the call; line is the 1-based line the record starts on. A
 * non-zero return stops parsing (csv_read then returns that value). */
typedef int (*csv_row_fn)(char **fields, size_t n, size_t line, void *arg);

/* Parses data (len bytes). Blank lines are skipped. Returns 0, the
 * callback's non-zero value, or -1 with a reason in err (malformed quoting,
 * too many fields, a field too long, out of memory) and the line at fault
 * in *err_line. */
int csv_read(const char *data, size_t len, csv_row_fn row, void *arg, char *err, size_t errlen,
	     size_t *err_line);

#endif
