/* BLT ballot files: what the reader accepts and tolerates, the message it
 * gives for each fault (naming the line), and writing back what it read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/blt.h"

static struct stv_election *parse_ok(const char *text)
{
	struct stv_election *e = NULL;
	char err[BLT_ERR_MAX];

	if (blt_parse(text, strlen(text), &e, err, sizeof(err)) != STV_OK)
		fail_msg("%s", err);
	return e;
}

/* Parses text that must fail with code, and checks the message. */
static void parse_bad(const char *text, enum stv_error code, const char *message)
{
	struct stv_election *e = (struct stv_election *)&e;
	char err[BLT_ERR_MAX];

	assert_int_equal(blt_parse(text, strlen(text), &e, err, sizeof(err)), code);
	assert_null(e);
	assert_string_equal(err, message);
}

static void reads_a_file(void **state)
{
	struct stv_election *e = parse_ok("4 2\n"
					  "-3\n"
					  "12 1 3 0\n"
					  "1 4 2 1 0\n"
					  "2 0\n"
					  "0\n"
					  "\"Ann Smith\"\n"
					  "\"Bob\"\n"
					  "\"Cat\" \"Dan\"\n"
					  "\"Board election 2026\"\n");

	(void)state;
	assert_int_equal(e->n_candidates, 4);
	assert_int_equal(e->seats, 2);
	assert_false(e->withdrawn[0]);
	assert_true(e->withdrawn[2]);
	assert_int_equal(e->n_ballots, 3);
	assert_int_equal(e->ballots[0].weight, 12);
	assert_int_equal(e->ballots[0].n_prefs, 2);
	assert_int_equal(e->prefs[e->ballots[0].first], 0);
	assert_int_equal(e->prefs[e->ballots[0].first + 1], 2);
	assert_int_equal(e->ballots[1].n_prefs, 3);
	assert_int_equal(e->prefs[e->ballots[1].first], 3);
	assert_int_equal(e->ballots[2].weight, 2);
	assert_int_equal(e->ballots[2].n_prefs, 0); /* a blank paper */
	assert_string_equal(e->names[0], "Ann Smith");
	assert_string_equal(e->names[3], "Dan");
	assert_string_equal(e->title, "Board election 2026");
	stv_election_free(e);
}

static void tolerates_layout(void **state)
{
	/* CRLF, tabs, trailing spaces, blank lines, comment lines, no final
	 * newline, no title. */
	struct stv_election *e = parse_ok("# exported by hand\r\n"
					  "\r\n"
					  "  3\t1   \r\n"
					  "5  1 2\t0  \r\n"
					  "\r\n"
					  "3 2 0\r\n"
					  "0\r\n"
					  "\"Ann\"\t\"Bob\"  \"Cat\"  ");

	(void)state;
	assert_int_equal(e->n_candidates, 3);
	assert_int_equal(e->n_ballots, 2);
	assert_int_equal(e->ballots[0].n_prefs, 2);
	assert_string_equal(e->names[2], "Cat");
	assert_null(e->title);
	stv_election_free(e);

	/* UTF-8 names; an empty title. */
	e = parse_ok("2 1\n1 2 0\n0\n\"Zoë Ní Bhriain\" \"Ōkubo\" \"\"\n");
	assert_string_equal(e->names[0], "Zoë Ní Bhriain");
	assert_string_equal(e->title, "");
	stv_election_free(e);
}

static void names_the_line_at_fault(void **state)
{
	(void)state;
	parse_bad("5 2\n10 1 2 0\n4 3 7 0\n0\n\"A\" \"B\" \"C\" \"D\" \"E\"\n", STV_ERR_PARSE,
		  "line 3: preference 7 is not a candidate (1-5)");
	parse_bad("", STV_ERR_PARSE, "line 1: empty file: expected 'CANDIDATES SEATS'");
	parse_bad("\n\n", STV_ERR_PARSE, "line 1: empty file: expected 'CANDIDATES SEATS'");
	parse_bad("3\n", STV_ERR_PARSE, "line 1: expected 'CANDIDATES SEATS', two whole numbers");
	parse_bad("3 2 1\n", STV_ERR_PARSE,
		  "line 1: expected 'CANDIDATES SEATS', two whole numbers");
	parse_bad("3 4\n", STV_ERR_PARSE, "line 1: seats must be from 1 to 3, not 4");
	parse_bad("0 0\n", STV_ERR_PARSE, "line 1: there must be at least one candidate");
	parse_bad("1001 1\n", STV_ERR_TOO_BIG, "line 1: 1001 candidates: at most 1000 are allowed");
	parse_bad("3 1\n2 1=2 3 0\n", STV_ERR_PARSE,
		  "line 2: equal rankings ('=') are not supported");
	parse_bad("3 1\n2 1 = 2 0\n", STV_ERR_PARSE,
		  "line 2: equal rankings ('=') are not supported");
	parse_bad("3 1\n(7) 2 1 0\n", STV_ERR_PARSE,
		  "line 2: ballot ids in parentheses are not supported");
	parse_bad("3 1\n2 1 2\n", STV_ERR_PARSE, "line 2: ballot does not end with 0");
	parse_bad("3 1\n2 1 0 2\n", STV_ERR_PARSE, "line 2: text after the 0 that ends the ballot");
	parse_bad("3 1\n2 1 3 1 0\n", STV_ERR_PARSE, "line 2: candidate 1 is ranked twice");
	parse_bad("3 1\n0 1 2 0\n", STV_ERR_PARSE, "line 2: a ballot's weight must be at least 1");
	parse_bad("3 1\nx 1 0\n", STV_ERR_PARSE, "line 2: ballot weight 'x' is not a whole number");
	parse_bad("3 1\n1 one 0\n", STV_ERR_PARSE,
		  "line 2: preference 'one' is not a whole number");
	parse_bad("3 1\n1 1 0\n1 -2 0\n", STV_ERR_PARSE,
		  "line 3: preference -2 is not a candidate (1-3)");
	parse_bad("3 1\n1 1 0\n-2\n", STV_ERR_PARSE,
		  "line 3: withdrawn candidates must come before the ballots");
	parse_bad("3 1\n-4\n", STV_ERR_PARSE,
		  "line 2: withdrawn candidate 4 is not a candidate (1-3)");
	parse_bad("3 1\n-x\n", STV_ERR_PARSE,
		  "line 2: a withdrawn candidate is written -N; '-x' is not");
	parse_bad("3 2\n-1 -2\n", STV_ERR_PARSE,
		  "line 2: withdrawals leave 1 standing for 2 seats");
	parse_bad("3 1\n2000000000 1 0\n", STV_ERR_TOO_BIG,
		  "line 2: ballot weight 2000000000 is over 1000000000");
	parse_bad("3 1\n1 1 0\n", STV_ERR_PARSE,
		  "line 2: file ends before the 0 line that closes the ballots");
	parse_bad("3 1\n1 1 0\n0\n\"A\" \"B\"\n", STV_ERR_PARSE,
		  "line 4: file ends after 2 of 3 candidate names");
	parse_bad("3 1\n1 1 0\n0\n\"A\" \"B\" \"C\" \"T\"\n\"more\"\n", STV_ERR_PARSE,
		  "line 5: unexpected text after the title");
	parse_bad("3 1\n1 1 0\n0\n\"A\" \"B\" \"C\" \"T\" junk\n", STV_ERR_PARSE,
		  "line 4: unexpected text after the title");
	parse_bad("3 1\n1 1 0\n0\n\"A\" \"B\nC\"\n", STV_ERR_PARSE,
		  "line 4: name has no closing quote");
	parse_bad("3 1\n1 1 0\n0\nAnn\n", STV_ERR_PARSE,
		  "line 4: expected a quoted name, found 'Ann'");
	parse_bad("3 1\n1 1 0\n0\n\"A\" \"\" \"C\"\n", STV_ERR_PARSE,
		  "line 4: name of candidate 2 is empty or not UTF-8 text");
	parse_bad("3 1\n1 1 0\n0\n\"A\" \"\xff\" \"C\"\n", STV_ERR_PARSE,
		  "line 4: name of candidate 2 is empty or not UTF-8 text");
	parse_bad("3 1\n1 1 0\n0\n\"A\" \"B\" \"C\" \"\x01\"\n", STV_ERR_PARSE,
		  "line 4: title is not UTF-8 text");
}

static void nul_bytes_and_caps(void **state)
{
	static const char nul[] = "3 1\n1 1\0 0\n0\n";
	struct stv_election *e = NULL;
	char err[BLT_ERR_MAX];
	char *name;

	(void)state;
	assert_int_equal(blt_parse(nul, sizeof(nul) - 1, &e, err, sizeof(err)), STV_ERR_PARSE);
	assert_string_equal(err, "line 2: NUL byte in the file");
	/* A name over STV_NAME_MAX bytes. */
	name = calloc(1, STV_NAME_MAX + 64);
	assert_non_null(name);
	memcpy(name, "1 1\n1 1 0\n0\n\"", 13);
	memset(name + 13, 'x', STV_NAME_MAX + 1);
	memcpy(name + 13 + STV_NAME_MAX + 1, "\"\n", 2);
	assert_int_equal(blt_parse(name, strlen(name), &e, err, sizeof(err)), STV_ERR_TOO_BIG);
	assert_string_equal(err, "line 4: name longer than 200 bytes");
	free(name);
	/* A small or absent message buffer is fine. */
	assert_int_equal(blt_parse("3 4\n", 4, &e, err, 8), STV_ERR_PARSE);
	assert_string_equal(err, "line 1:");
	assert_int_equal(blt_parse("3 4\n", 4, &e, NULL, 0), STV_ERR_PARSE);
	/* Only len bytes are read: the text need not end in NUL. */
	assert_int_equal(blt_parse("1 1\n1 1 0\n0\n\"A\"XYZ", 15, &e, err, sizeof(err)), STV_OK);
	assert_string_equal(e->names[0], "A");
	stv_election_free(e);
}

struct text {
	char s[512]; /* what was written, NUL-terminated */
	size_t len;  /* bytes used */
};

static int collect(void *ctx, const char *s, size_t n)
{
	struct text *t = ctx;

	assert_true(t->len + n < sizeof(t->s));
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
	return 0;
}

static int refuse(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	(void)s;
	(void)n;
	return 7;
}

static void writes_back(void **state)
{
	const char *text = "4 2\n"
			   "-3 \n"
			   "12 1 3 0\n"
			   "1 4 2 1 0\n"
			   "2 0\n"
			   "0\n"
			   "\"Ann Smith\"\n"
			   "\"Bob\"\n"
			   "\"Cat\"\n"
			   "\"Dan\"\n"
			   "\"Board election 2026\"\n";
	struct stv_election *e = parse_ok(text), *again;
	struct text out = {.len = 0};
	char *buf;
	size_t len;

	(void)state;
	assert_int_equal(blt_write(e, collect, &out), 0);
	assert_string_equal(out.s, text);
	assert_int_equal(blt_write(e, refuse, NULL), 7);
	assert_int_equal(blt_write_buf(e, 1 << 20, &buf, &len), STV_OK);
	assert_int_equal(len, strlen(text));
	assert_string_equal(buf, text);
	again = parse_ok(buf);
	assert_int_equal(again->n_ballots, e->n_ballots);
	assert_int_equal(again->n_prefs, e->n_prefs);
	assert_memory_equal(again->prefs, e->prefs, e->n_prefs * sizeof(*e->prefs));
	assert_true(again->withdrawn[2]);
	free(buf);
	stv_election_free(again);
	assert_int_equal(blt_write_buf(e, 20, &buf, &len), STV_ERR_TOO_BIG);
	assert_null(buf);

	/* A quote in a name cannot be written inside quotes: it becomes '. */
	assert_int_equal(stv_election_name(e, 1, "Bob \"Bobby\" Jones"), STV_OK);
	assert_int_equal(stv_election_name(e, -1, "Title"), STV_OK);
	assert_int_equal(blt_write_buf(e, 1 << 20, &buf, &len), STV_OK);
	assert_non_null(strstr(buf, "\"Bob 'Bobby' Jones\"\n"));
	again = parse_ok(buf);
	assert_string_equal(again->names[1], "Bob 'Bobby' Jones");
	free(buf);
	stv_election_free(again);
	stv_election_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_a_file),
		cmocka_unit_test(tolerates_layout),
		cmocka_unit_test(names_the_line_at_fault),
		cmocka_unit_test(nul_bytes_and_caps),
		cmocka_unit_test(writes_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
