/* CSV reading over libcsv: quoting, embedded newlines, the line each record
 * starts on, blank lines, caps and malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "csv/csv_read.h"

struct seen {
	size_t rows;
	size_t lines[8];
	size_t nfields[8];
	char first[8][64];
	char last[8][64];
};

static int collect(char **f, size_t n, size_t line, void *arg)
{
	struct seen *s = arg;

	if (s->rows < 8) {
		s->lines[s->rows] = line;
		s->nfields[s->rows] = n;
		snprintf(s->first[s->rows], 64, "%s", f[0]);
		snprintf(s->last[s->rows], 64, "%s", f[n - 1]);
	}
	s->rows++;
	return 0;
}

static void records_and_lines(void **state)
{
	const char data[] = "name,address\r\n"
			    "\"Ellis, Margaret\",\"14 Fore Street\nTotnes\"\r\n"
			    "\r\n"
			    "Dunn,\"31 \"\"High\"\" Street\"\n"
			    "Last,no newline at end";
	struct seen s = {0};
	char err[128];
	size_t err_line = 0;

	(void)state;
	assert_int_equal(csv_read(data, strlen(data), collect, &s, err, sizeof err, &err_line), 0);
	assert_int_equal(s.rows, 4);
	assert_int_equal(s.lines[0], 1);
	assert_int_equal(s.lines[1], 2);
	assert_string_equal(s.first[1], "Ellis, Margaret");
	assert_string_equal(s.last[1], "14 Fore Street\nTotnes");
	assert_int_equal(s.lines[2], 5); /* after a two-line record and a blank line */
	assert_string_equal(s.last[2], "31 \"High\" Street");
	assert_int_equal(s.lines[3], 6);
	assert_string_equal(s.last[3], "no newline at end");
}

static void malformed_input(void **state)
{
	const char open_quote[] = "a,b\n\"never closed,x\n";
	const char stray_quote[] = "a,b\nfoo\"bar,x\n";
	struct seen s = {0};
	char err[128] = "";
	size_t err_line = 0;

	(void)state;
	assert_int_equal(
		csv_read(open_quote, strlen(open_quote), collect, &s, err, sizeof err, &err_line),
		-1);
	assert_non_null(strstr(err, "line 2"));
	assert_int_equal(err_line, 2);
	memset(&s, 0, sizeof s);
	err[0] = '\0';
	assert_int_equal(
		csv_read(stray_quote, strlen(stray_quote), collect, &s, err, sizeof err, &err_line),
		-1);
	assert_true(err[0] != '\0');
}

static void caps(void **state)
{
	static char wide[CSV_FIELDS_MAX * 2 + 8], longf[CSV_FIELD_MAX + 16];
	struct seen s = {0};
	char err[128] = "";
	size_t err_line = 0;
	size_t o = 0;

	(void)state;
	for (int i = 0; i <= CSV_FIELDS_MAX; i++) {
		wide[o++] = 'x';
		wide[o++] = ',';
	}
	wide[o - 1] = '\n';
	assert_int_equal(csv_read(wide, o, collect, &s, err, sizeof err, &err_line), -1);
	assert_non_null(strstr(err, "more than 64 fields"));
	memset(longf, 'y', CSV_FIELD_MAX + 1);
	longf[CSV_FIELD_MAX + 1] = '\n';
	assert_int_equal(
		csv_read(longf, CSV_FIELD_MAX + 2, collect, &s, err, sizeof err, &err_line), -1);
	assert_non_null(strstr(err, "longer than 4096"));
}

static int stop_at_second(char **f, size_t n, size_t line, void *arg)
{
	(void)f;
	(void)n;
	(void)arg;
	return line == 2 ? 7 : 0;
}

static void callback_can_stop(void **state)
{
	const char data[] = "a\nb\nc\n";
	char err[64];
	size_t err_line = 0;

	(void)state;
	assert_int_equal(
		csv_read(data, strlen(data), stop_at_second, NULL, err, sizeof err, &err_line), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(records_and_lines),
		cmocka_unit_test(malformed_input),
		cmocka_unit_test(caps),
		cmocka_unit_test(callback_can_stop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
