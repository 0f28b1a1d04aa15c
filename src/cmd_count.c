/*
 * cmd_count: `carecoop count` (see cmd_count.h). Reads the BLT file,
 * leaves parsing and counting to core (core/blt.h, core/stv.h), prints.
 */
#include "cmd_count.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/blt.h"
#include "core/stv.h"
#include "core/text.h"

#define EXIT_USAGE 2
#define NAME_WIDTH 40 /* widest name column in the stage table */

static const char count_usage[] =
	"usage: carecoop count [--method stv] [--stages] [--seed N] FILE.blt\n"
	"  counts the BLT ballot file by STV under the Scottish rules (SSI 2007/42)\n"
	"  and prints 'elected NAME' for each winner in order of election;\n"
	"  --stages first prints the count stage by stage; ties left to lot go to\n"
	"  the candidate earliest in the file, or are drawn from --seed N\n";

struct flag {
	const char *name;  /* "--method" */
	bool takes_value;  /* false: a switch */
	const char *value; /* NULL until given; "" for a switch given */
};

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "carecoop: count: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", count_usage);
	return EXIT_USAGE;
}

/* Fills the flags and the one positional argument *file from argv.
 * Returns 0 or EXIT_USAGE after one line naming the fault. */
static int parse_flags(struct flag *flags, size_t n, int argc, char **argv, const char **file)
{
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i], *eq;
		size_t len, f;

		if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
			if (*file != NULL)
				return usage_error("unexpected argument '%s'", arg);
			*file = arg;
			continue;
		}
		eq = strchr(arg, '=');
		len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
		for (f = 0; f < n; f++)
			if (strlen(flags[f].name) == len && strncmp(flags[f].name, arg, len) == 0)
				break;
		if (f == n)
			return usage_error("unknown flag '%s'", arg);
		if (flags[f].value != NULL)
			return usage_error("flag %s given twice", flags[f].name);
		if (!flags[f].takes_value) {
			if (eq != NULL)
				return usage_error("flag %s takes no value", flags[f].name);
			flags[f].value = "";
			continue;
		}
		if (eq != NULL)
			flags[f].value = eq + 1;
		else if (i + 1 < argc)
			flags[f].value = argv[++i];
		else
			return usage_error("flag %s needs a value", flags[f].name);
		if (flags[f].value[0] == '\0')
			return usage_error("flag %s needs a non-empty value", flags[f].name);
	}
	return 0;
}

/* Reads the whole file (at most BLT_TEXT_MAX bytes) into *text, owned by
 * the caller. Returns 0, or -1 with a message in err. */
static int read_file(const char *path, char **text, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, used = 0;
	int rc = -1;

	*text = NULL;
	if (f == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	for (;;) {
		size_t got;

		if (used == cap) {
			size_t want = cap == 0 ? 65536 : cap * 2;
			char *p;
			if (cap > BLT_TEXT_MAX) {
				snprintf(err, errlen, "file larger than %zu bytes", BLT_TEXT_MAX);
				goto out;
			}
			if (want > BLT_TEXT_MAX + 1)
				want = BLT_TEXT_MAX + 1; /* one byte over tells "too big" */
			p = realloc(buf, want);
			if (p == NULL) {
				snprintf(err, errlen, "out of memory");
				goto out;
			}
			buf = p;
			cap = want;
		}
		got = fread(buf + used, 1, cap - used, f);
		used += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "read error");
		goto out;
	}
	*text = buf;
	*len = used;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	fclose(f);
	return rc;
}

static const char *mark(const struct stv_election *e, const struct stv_stage *s, int c)
{
	switch (s->status[c]) {
	case STV_ELECTED:
		return "elected";
	case STV_EXCLUDED:
		return e->withdrawn[c] ? "withdrawn" : "excluded";
	case STV_CONTINUING:
		break;
	}
	return "";
}

static void print_row(FILE *out, int width, const char *label, int64_t value, const char *note)
{
	char v[STV_VALUE_MAX];

	stv_format_value(value, v, sizeof(v));
	fprintf(out, "  %-*.*s %15s%s%s\n", width, NAME_WIDTH, label, v, *note != '\0' ? "  " : "",
		note);
}

/* The count stage by stage: each candidate's votes at the end of the stage
 * and what happened to them, then the non-transferable value and the value
 * cut off by truncation to five decimal places. */
static void print_stages(FILE *out, const struct stv_election *e, const struct stv_result *r)
{
	int width = (int)strlen("non-transferable");

	for (int c = 0; c < e->n_candidates; c++) {
		int len = (int)strlen(e->names[c]);
		if (len > width)
			width = len > NAME_WIDTH ? NAME_WIDTH : len;
	}
	if (e->title != NULL && e->title[0] != '\0')
		fprintf(out, "%s\n", e->title);
	fprintf(out,
		"candidates %d, seats %d, valid papers %lld, invalid papers %lld, quota %lld\n",
		e->n_candidates, e->seats, (long long)r->valid_papers, (long long)r->invalid_papers,
		(long long)r->quota);
	for (size_t i = 0; i < r->n_stages; i++) {
		const struct stv_stage *s = &r->stages[i];
		char v[STV_VALUE_MAX];

		fprintf(out, "stage %zu: ", i + 1);
		if (s->action == STV_STAGE_FIRST) {
			fprintf(out, "first preferences");
		} else if (s->action == STV_STAGE_SURPLUS) {
			stv_format_value(s->surplus, v, sizeof(v));
			fprintf(out, "surplus of %s, %s", e->names[s->candidate], v);
		} else {
			fprintf(out, "exclusion of %s", e->names[s->candidate]);
		}
		if (s->lot)
			fprintf(out, " (tie decided by lot)");
		else if (s->tie_looked_back)
			fprintf(out, " (tie decided by an earlier stage)");
		if (s->no_transfer)
			fprintf(out, "; last vacancies filled, no transfer (rule 52)");
		fprintf(out, "\n");
		for (int c = 0; c < e->n_candidates; c++)
			print_row(out, width, e->names[c], s->totals[c], mark(e, s, c));
		print_row(out, width, "non-transferable", s->non_transferable, "");
		print_row(out, width, "lost to rounding", s->lost_to_rounding, "");
	}
}

int cmd_count(int argc, char **argv)
{
	struct flag flags[] = {
		{"--method", true, NULL}, {"--stages", false, NULL}, {"--seed", true, NULL}};
	struct stv_options opts = {.lot = STV_LOT_FIRST};
	struct stv_election *e = NULL;
	struct stv_result r = {0};
	const char *file = NULL;
	char *text = NULL, err[BLT_ERR_MAX + 64];
	size_t len = 0;
	enum stv_error se;
	int64_t seed;
	int rc;

	rc = parse_flags(flags, sizeof(flags) / sizeof(flags[0]), argc, argv, &file);
	if (rc != 0)
		goto out;
	if (flags[0].value != NULL && strcmp(flags[0].value, "stv") != 0) {
		rc = strcmp(flags[0].value, "approval") == 0
			     ? usage_error(
				       "--method: a BLT file holds ranked ballots: count it "
				       "with --method stv (approval votes are counted in the app)")
			     : usage_error("--method: unknown method '%s' (the one method is stv)",
					   flags[0].value);
		goto out;
	}
	if (flags[2].value != NULL) {
		if (text_parse_i64(flags[2].value, 0, INT64_MAX, &seed) != 0) {
			rc = usage_error("--seed: must be a whole number from 0 to %lld",
					 (long long)INT64_MAX);
			goto out;
		}
		opts.lot = STV_LOT_SEEDED;
		opts.seed = (uint64_t)seed;
	}
	if (file == NULL) {
		rc = usage_error("a BLT file is required");
		goto out;
	}
	rc = 1;
	if (read_file(file, &text, &len, err, sizeof(err)) != 0) {
		fprintf(stderr, "carecoop: count: %s: %s\n", file, err);
		goto out;
	}
	se = blt_parse(text, len, &e, err, sizeof(err));
	if (se != STV_OK) {
		fprintf(stderr, "carecoop: count: %s: %s\n", file,
			se == STV_ERR_NOMEM ? stv_error_message(se) : err);
		goto out;
	}
	se = stv_count(e, &opts, &r);
	if (se != STV_OK) {
		fprintf(stderr, "carecoop: count: %s: %s\n", file,
			se == STV_ERR_INVALID ? "no valid ballot paper to count"
					      : stv_error_message(se));
		goto out;
	}
	if (flags[1].value != NULL)
		print_stages(stdout, e, &r);
	for (int i = 0; i < r.n_elected; i++)
		printf("elected %s\n", e->names[r.elected[i]]);
	if (r.lot_used)
		fprintf(stderr, "carecoop: count: a tie was decided by lot (%s)\n",
			opts.lot == STV_LOT_SEEDED ? "drawn from --seed"
						   : "the candidate earliest in the file");
	rc = 0;
out:
	stv_result_free(&r);
	stv_election_free(e);
	free(text);
	return rc;
}
