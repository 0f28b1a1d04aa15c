/* Local week arithmetic: civil dates, weekdays, offsets, expanding weekly
 * availability, taking away leave and adding extra shifts, plan days. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/week.h"

static void dates_and_weekdays(void **state)
{
	char out[17];
	int64_t off = 0;
	int y, m, d;

	(void)state;
	assert_int_equal(week_days_from_civil(1970, 1, 1), 0);
	week_civil_from_days(week_days_from_civil(2028, 2, 29), &y, &m, &d);
	assert_true(y == 2028 && m == 2 && d == 29);
	assert_int_equal(week_weekday("2026-03-23"), 1); /* Monday */
	assert_int_equal(week_weekday("2026-03-29"), 7); /* the spring DST Sunday */
	assert_int_equal(week_offset("2026-03-23", "2026-03-29T01:30", &off), 0);
	assert_int_equal(off, 6 * 1440 + 90);
	assert_int_equal(week_offset("2026-03-23", "2026-03-20", &off), 0);
	assert_int_equal(off, -3 * 1440); /* before the week */
	assert_int_equal(week_offset("2026-03-23", "2026-03-29T24:00", &off), -1);
	week_format("2026-12-28", 4 * 1440 + 600, out); /* across the new year */
	assert_string_equal(out, "2027-01-01T10:00");
	week_format("2026-03-23", 7 * 1440, out);
	assert_string_equal(out, "2026-03-30T00:00");
	week_format("2026-03-23", -30, out);
	assert_string_equal(out, "2026-03-22T23:30");
}

static void availability_ranges(void **state)
{
	const struct care_span weekly[] = {
		{1, 420, 780}, {1, 780, 900}, {1, 990, 1290}, {7, 1320, 1440}};
	struct week_range r[WEEK_RANGES_MAX];
	size_t n;

	(void)state;
	n = week_expand(weekly, 4, r, WEEK_RANGES_MAX);
	/* 07:00-13:00 and 13:00-15:00 merge; the next Monday's morning counts
	 * up to 12:00 (a Sunday-night visit may run into it), its evening not. */
	assert_int_equal(n, 4);
	assert_int_equal(r[0].start, 420);
	assert_int_equal(r[0].end, 900);
	assert_int_equal(r[2].start, 6 * 1440 + 1320);
	assert_int_equal(r[3].start, WEEK_MINUTES + 420);
	assert_int_equal(r[3].end, WEEK_HORIZON);
	n = 3; /* this week's ranges only, for what follows */
	/* Leave from Monday 10:00 to 17:00 splits the morning and trims the evening. */
	n = week_subtract(r, n, WEEK_RANGES_MAX, 600, 1020);
	assert_int_equal(n, 3);
	assert_int_equal(r[0].end, 600);
	assert_int_equal(r[1].start, 1020);
	assert_int_equal(r[1].end, 1290);
	/* A week of sickness takes everything. */
	assert_int_equal(week_subtract(r, n, WEEK_RANGES_MAX, -100, WEEK_MINUTES + 100), 0);
	/* Extra availability is clipped to the week and merges with neighbours. */
	n = week_add(r, 0, WEEK_RANGES_MAX, -60, 120);
	n = week_add(r, n, WEEK_RANGES_MAX, 300, 400);
	n = week_add(r, n, WEEK_RANGES_MAX, 100, 310);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].start, 0);
	assert_int_equal(r[0].end, 400);
	/* Available round the clock: Sunday night runs on into Monday morning. */
	{
		const struct care_span always[] = {{1, 0, 1440}, {7, 0, 1440}};

		n = week_expand(always, 2, r, WEEK_RANGES_MAX);
		assert_int_equal(n, 2);
		assert_int_equal(r[1].start, 6 * 1440);
		assert_int_equal(r[1].end, WEEK_HORIZON);
	}
}

static void plan_days(void **state)
{
	(void)state;
	/* Monday to Friday, from Wednesday 25 March 2026. */
	assert_false(week_plan_on("2026-03-23", 0, 0x1f, "2026-03-25", ""));
	assert_true(week_plan_on("2026-03-23", 2, 0x1f, "2026-03-25", ""));
	assert_false(week_plan_on("2026-03-23", 5, 0x1f, "2026-03-25", "")); /* Saturday */
	/* Ended on Thursday: Thursday still counts, Friday not. */
	assert_true(week_plan_on("2026-03-23", 3, 0x7f, "2025-01-01", "2026-03-26"));
	assert_false(week_plan_on("2026-03-23", 4, 0x7f, "2025-01-01", "2026-03-26"));
	assert_false(week_plan_on("2026-03-23", 7, 0x7f, "2025-01-01", ""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dates_and_weekdays),
		cmocka_unit_test(availability_ranges),
		cmocka_unit_test(plan_days),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
