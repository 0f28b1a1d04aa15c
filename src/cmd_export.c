/*
 * cmd_export: `carecoop export-instance`: the week's rota problem, from the
 * rota week's visits when the week has been generated, else from the care
 * plans (rota_io/rota_db.c builds it).
 */
#include "cmd_export.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/care.h"
#include "core/text.h"
#include "core/week.h"
#include "db/db.h"
#include "db/db_rota.h"
#include "rota_io/rota_db.h"

#define EXIT_USAGE 2

static int usage_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "carecoop: export-instance: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: carecoop export-instance --db FILE --week YYYY-MM-DD "
			"[--out FILE]\n");
	return EXIT_USAGE;
}

int cmd_export_instance(int argc, char **argv)
{
	const char *db_path = getenv("CARECOOP_DB"), *week = NULL, *out = NULL;
	struct db *db = NULL;
	struct db_week w;
	char err[512];
	json_t *doc = NULL;
	int rc = 1, found;

	if (db_path == NULL || *db_path == '\0')
		db_path = "carecoop.db";
	for (int i = 0; i < argc; i++) {
		/* "--flag VALUE" or "--flag=VALUE", as every other command takes. */
		const char *eq = strchr(argv[i], '=');
		size_t len = eq != NULL ? (size_t)(eq - argv[i]) : strlen(argv[i]);
		const char **dst = len == 4 && strncmp(argv[i], "--db", 4) == 0     ? &db_path
				   : len == 6 && strncmp(argv[i], "--week", 6) == 0 ? &week
				   : len == 5 && strncmp(argv[i], "--out", 5) == 0  ? &out
										    : NULL;
		if (dst == NULL)
			return usage_fail("unknown flag '%s'", argv[i]);
		if (eq != NULL) {
			*dst = eq + 1;
		} else {
			if (i + 1 >= argc)
				return usage_fail("flag %s needs a value", argv[i]);
			*dst = argv[++i];
		}
		if (**dst == '\0')
			return usage_fail("flag %.*s needs a value", (int)len, argv[i]);
	}
	if (week == NULL)
		return usage_fail("%s", "--week is required");
	if (!care_date_valid(week))
		return usage_fail("--week: not a date YYYY-MM-DD: %s", week);
	if (week_weekday(week) != 1)
		return usage_fail("--week: %s is not a Monday", week);
	if (access(db_path, F_OK) != 0)
		return usage_fail("--db: no such database: %s", db_path);
	db = db_open(db_path, err, sizeof err);
	if (db == NULL) {
		fprintf(stderr, "carecoop: export-instance: cannot open database %s\n", err);
		return 1;
	}
	if (db_schema_version(db) != db_schema_latest()) {
		fprintf(stderr,
			"carecoop: export-instance: %s is not a carecoop database at the "
			"current schema (run carecoop migrate)\n",
			db_path);
		goto out;
	}
	found = db_week_by_start(db, week, &w);
	doc = found < 0 ? NULL
			: rota_db_instance(db, week, found == 1 ? ROTA_DB_VISITS : ROTA_DB_PLANS,
					   found == 1 ? w.id : 0, err, sizeof err);
	if (doc == NULL) {
		fprintf(stderr, "carecoop: export-instance: %s\n", found < 0 ? db_errmsg(db) : err);
		goto out;
	}
	if (out != NULL ? json_dump_file(doc, out, JSON_INDENT(1)) != 0
			: json_dumpf(doc, stdout, JSON_INDENT(1)) != 0) {
		fprintf(stderr, "carecoop: export-instance: cannot write %s\n",
			out != NULL ? out : "standard output");
		goto out;
	}
	if (out == NULL)
		putchar('\n');
	fprintf(stderr, "carecoop: week %s: %zu carers, %zu recipients, %zu visits\n", week,
		json_array_size(json_object_get(doc, "carers")),
		json_array_size(json_object_get(doc, "recipients")),
		json_array_size(json_object_get(doc, "visits")));
	rc = 0;
out:
	json_decref(doc);
	db_close(db);
	return rc;
}
