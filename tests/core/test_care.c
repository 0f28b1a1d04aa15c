/* Care model rules: clock times, dates, spans, weekdays, locations, skill
 * codes; and CSV field quoting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "core/care.h"
#include "core/csvout.h"

static void clock_times(void **state)
{
	int m = -1;
	char out[6];

	(void)state;
	assert_int_equal(care_parse_hhmm("07:30", false, &m), 0);
	assert_int_equal(m, 450);
	assert_int_equal(care_parse_hhmm("00:00", false, &m), 0);
	assert_int_equal(m, 0);
	assert_int_equal(care_parse_hhmm("24:00", false, &m), -1); /* not a start */
	assert_int_equal(care_parse_hhmm("24:00", true, &m), 0);   /* an end of day */
	assert_int_equal(m, 1440);
	assert_int_equal(care_parse_hhmm("24:01", true, &m), -1);
	assert_int_equal(care_parse_hhmm("25:00", true, &m), -1);
	assert_int_equal(care_parse_hhmm("7:30", false, &m), -1);
	assert_int_equal(care_parse_hhmm("07:60", false, &m), -1);
	assert_int_equal(care_parse_hhmm("07-30", false, &m), -1);
	care_format_hhmm(1439, out);
	assert_string_equal(out, "23:59");
	care_format_hhmm(1440, out);
	assert_string_equal(out, "24:00");
}

static void dates(void **state)
{
	char prev[11];

	(void)state;
	assert_true(care_date_valid("2028-02-29")); /* leap year */
	assert_false(care_date_valid("2027-02-29"));
	assert_false(care_date_valid("2100-02-29")); /* century, not leap */
	assert_true(care_date_valid("2000-02-29"));
	assert_false(care_date_valid("2026-13-01"));
	assert_false(care_date_valid("2026-04-31"));
	assert_false(care_date_valid("2026-4-3"));
	assert_true(care_datetime_valid("2026-03-29T01:30"));
	assert_false(care_datetime_valid("2026-03-29 01:30"));
	assert_false(care_datetime_valid("2026-03-29T24:00"));
	care_date_prev("2026-03-01", prev);
	assert_string_equal(prev, "2026-02-28");
	care_date_prev("2028-03-01", prev);
	assert_string_equal(prev, "2028-02-29");
	care_date_prev("2027-01-01", prev);
	assert_string_equal(prev, "2026-12-31");
}

static void spans(void **state)
{
	const struct care_span ok[] = {{1, 420, 780}, {1, 990, 1290}, {2, 420, 1440}, {7, 0, 60}};
	const struct care_span overlap[] = {{1, 420, 780}, {2, 420, 780}, {1, 779, 800}};
	const struct care_span touching[] = {{3, 420, 600}, {3, 600, 700}};
	const struct care_span empty[] = {{4, 600, 600}};
	const struct care_span day8[] = {{8, 600, 700}};
	size_t bad = 99;

	(void)state;
	assert_int_equal(care_spans_check(ok, 4, &bad), CARE_SPAN_OK);
	assert_int_equal(care_spans_check(overlap, 3, &bad), CARE_SPAN_OVERLAP);
	assert_int_equal(bad, 2); /* the later of the two */
	assert_int_equal(care_spans_check(touching, 2, &bad), CARE_SPAN_OK);
	assert_int_equal(care_spans_check(empty, 1, &bad), CARE_SPAN_EMPTY);
	assert_int_equal(care_spans_check(day8, 1, &bad), CARE_SPAN_BAD_WEEKDAY);
	assert_int_equal(care_spans_check(ok, CARE_SPANS_MAX + 1, &bad), CARE_SPAN_TOO_MANY);
	assert_string_equal(care_span_message(CARE_SPAN_OVERLAP),
			    "overlaps another span on the same day");
}

static void weekdays_locations_skills(void **state)
{
	const int week[] = {1, 2, 3, 4, 5}, bad_days[] = {1, 8}, dup[] = {3, 3};
	size_t bad = 0;

	(void)state;
	assert_int_equal(care_days_mask(week, 5, &bad), 0x1f);
	assert_int_equal(care_days_mask(dup, 2, &bad), 0x04);
	assert_int_equal(care_days_mask(bad_days, 2, &bad), 0);
	assert_int_equal(bad, 1);
	assert_int_equal(care_days_mask(week, 0, &bad), 0);
	assert_true(care_location_valid(50.43, -3.68));
	assert_true(care_location_valid(-90, 180));
	assert_false(care_location_valid(90.0001, 0));
	assert_false(care_location_valid(0, -180.5));
	assert_false(care_location_valid(NAN, 0));
	assert_true(care_skill_code_valid("meds"));
	assert_true(care_skill_code_valid("peg-feeding2"));
	assert_false(care_skill_code_valid("Meds"));
	assert_false(care_skill_code_valid(""));
	assert_false(care_skill_code_valid("a b"));
	assert_false(care_skill_code_valid("abcdefghijklmnopqrstuvwxyz0123456")); /* 33 */
}

static void csv_quoting(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(csvout_field("plain", 0, out, sizeof out), 5);
	assert_string_equal(out, "plain");
	csvout_field("Ellis, Margaret", 0, out, sizeof out);
	assert_string_equal(out, "\"Ellis, Margaret\"");
	csvout_field("say \"hi\"", 0, out, sizeof out);
	assert_string_equal(out, "\"say \"\"hi\"\"\"");
	csvout_field("two\nlines", 0, out, sizeof out);
	assert_string_equal(out, "\"two\nlines\"");
	/* Formula injection: a spreadsheet must show these as text. */
	csvout_field("=HYPERLINK(\"x\")", 0, out, sizeof out);
	assert_string_equal(out, "\"'=HYPERLINK(\"\"x\"\")\"");
	csvout_field("@SUM(A1)", 0, out, sizeof out);
	assert_string_equal(out, "\"'@SUM(A1)\"");
	csvout_field("-3.6871", 1, out, sizeof out); /* a number stays a number */
	assert_string_equal(out, "-3.6871");
	assert_int_equal(csvout_field("far too long for the buffer", 0, out, 8), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clock_times), cmocka_unit_test(dates),
		cmocka_unit_test(spans),       cmocka_unit_test(weekdays_locations_skills),
		cmocka_unit_test(csv_quoting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
