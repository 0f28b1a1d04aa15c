/*
 * cmd_gov: `carecoop verify-votes`. Opens the database read as it is (no
 * migration), and for each proposal that has ballots recomputes the chain
 * hash_n = SHA-256(hash_{n-1} || canonical entry) from the first entry,
 * reporting the first entry that is missing, does not link or was altered.
 */
#include "cmd_gov.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/text.h"
#include "db/db.h"
#include "db/db_gov.h"

#define EXIT_USAGE 2

static int usage_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "carecoop: verify-votes: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: carecoop verify-votes [--db FILE] [--proposal ID]\n");
	return EXIT_USAGE;
}

struct verify_all {
	int64_t only; /* 0: every proposal */
	int broken, checked;
	struct db *db;
	int failed;
};

static int verify_proposal(const struct db_proposal *p, void *arg)
{
	struct verify_all *v = arg;
	int64_t n = 0, bad = 0;
	char why[200] = "";
	int rc;

	if (v->only != 0 && p->id != v->only)
		return 0;
	if (strcmp(p->status, "draft") == 0)
		return 0;
	v->checked++;
	rc = db_ballot_verify(v->db, p->id, &n, &bad, why, sizeof why);
	if (rc < 0) {
		fprintf(stderr, "carecoop: verify-votes: proposal %lld: %s\n", (long long)p->id,
			db_errmsg(v->db));
		v->failed = 1;
		return 1;
	}
	if (rc == 0) {
		printf("proposal %lld: BROKEN at entry %lld: %s\n", (long long)p->id,
		       (long long)bad, why);
		v->broken++;
		return 0;
	}
	printf("proposal %lld: ok, %lld ballots\n", (long long)p->id, (long long)n);
	return 0;
}

int cmd_verify_votes(int argc, char **argv)
{
	const char *db_path = getenv("CARECOOP_DB"), *proposal = NULL;
	struct verify_all v = {0};
	char err[512];
	int rc = 1;

	if (db_path == NULL || *db_path == '\0')
		db_path = "carecoop.db";
	for (int i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		size_t len = eq != NULL ? (size_t)(eq - argv[i]) : strlen(argv[i]);
		const char **dst = len == 4 && strncmp(argv[i], "--db", 4) == 0 ? &db_path
				   : len == 10 && strncmp(argv[i], "--proposal", 10) == 0
					   ? &proposal
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
	if (proposal != NULL && text_parse_i64(proposal, 1, INT64_MAX, &v.only) != 0)
		return usage_fail("--proposal: not a proposal id: %s", proposal);
	if (access(db_path, F_OK) != 0)
		return usage_fail("--db: no such database: %s", db_path);
	v.db = db_open(db_path, err, sizeof err);
	if (v.db == NULL) {
		fprintf(stderr, "carecoop: verify-votes: cannot open database %s\n", err);
		return 1;
	}
	if (db_schema_version(v.db) != db_schema_latest()) {
		fprintf(stderr,
			"carecoop: verify-votes: %s is not a carecoop database at the current "
			"schema (run carecoop migrate)\n",
			db_path);
		goto out;
	}
	if (db_proposal_each(v.db, true, verify_proposal, &v) < 0 || v.failed) {
		fprintf(stderr, "carecoop: verify-votes: %s\n", db_errmsg(v.db));
		goto out;
	}
	if (v.only != 0 && v.checked == 0) {
		fprintf(stderr, "carecoop: verify-votes: no proposal %lld with ballots\n",
			(long long)v.only);
		goto out;
	}
	rc = v.broken > 0 ? 1 : 0;
out:
	db_close(v.db);
	return rc;
}
