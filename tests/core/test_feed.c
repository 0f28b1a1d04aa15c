/* What a calendar event says about a visit, per kind of subscriber and per
 * the co-op's privacy setting, and the feed path's token. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/feed.h"

static const struct feed_settings defaults = {FEED_LOC_AREA, false, 60};

static struct feed_visit double_up(void)
{
	return (struct feed_visit){
		.recipient_name = "Zoë; Jo, Ann",
		.area = "Bridgetown",
		.address = "4 Mill Lane, Totnes TQ9 5XX",
		.tasks = "Insulin at 08:00; check feet",
		.carer_name = {"Amira", "Ben"},
		.carer_id = {11, 12},
		.ncarers = 2,
		.carers_needed = 2,
	};
}

static void carer_sees_first_name_and_area_only(void **state)
{
	struct feed_visit v = double_up();
	struct feed_text t;

	(void)state;
	feed_visit_text(FEED_CARER, &defaults, &v, 11, &t);
	assert_string_equal(t.summary, "Visit: Zoë; Jo, Ann");
	assert_string_equal(t.location, "Bridgetown");
	assert_string_equal(t.description, "Double-up visit with Ben.");
	assert_null(strstr(t.description, "Insulin")); /* no health details */
	assert_null(strstr(t.location, "Mill Lane"));  /* no address */
	feed_visit_text(FEED_CARER, &defaults, &v, 12, &t);
	assert_string_equal(t.description, "Double-up visit with Amira.");
}

static void family_sees_time_and_carers(void **state)
{
	struct feed_visit v = double_up();
	struct feed_text t;
	struct feed_settings all = {FEED_LOC_ADDRESS, true, 60};

	(void)state;
	feed_visit_text(FEED_RECIPIENT, &all, &v, 0, &t);
	assert_string_equal(t.summary, "Care visit: Amira and Ben");
	assert_string_equal(t.location, "");    /* their own home */
	assert_string_equal(t.description, ""); /* never tasks, whatever the setting */
	v.ncarers = 1;
	feed_visit_text(FEED_RECIPIENT, &defaults, &v, 0, &t);
	assert_string_equal(t.summary, "Care visit: Amira (second carer to be confirmed)");
	v.ncarers = 0;
	feed_visit_text(FEED_RECIPIENT, &defaults, &v, 0, &t);
	assert_string_equal(t.summary, "Care visit: carer to be confirmed");
}

static void settings_widen_what_is_shown(void **state)
{
	struct feed_visit v = double_up();
	struct feed_text t;
	struct feed_settings s = {FEED_LOC_ADDRESS, true, 30};

	(void)state;
	feed_visit_text(FEED_CARER, &s, &v, 11, &t);
	assert_string_equal(t.location, "4 Mill Lane, Totnes TQ9 5XX");
	assert_string_equal(t.description,
			    "Double-up visit with Ben.\nTasks: Insulin at 08:00; check feet");
	s.location = FEED_LOC_NONE;
	feed_visit_text(FEED_COORDINATOR, &s, &v, 0, &t);
	assert_string_equal(t.summary, "Zoë; Jo, Ann: Amira and Ben");
	assert_string_equal(t.location, "");
	assert_string_equal(t.description, "Tasks: Insulin at 08:00; check feet");
	/* With no address recorded, the area is the best place to show. */
	s.location = FEED_LOC_ADDRESS;
	v.address = "";
	feed_visit_text(FEED_CARER, &s, &v, 11, &t);
	assert_string_equal(t.location, "Bridgetown");
}

static void cancelled_and_uncovered(void **state)
{
	struct feed_visit v = double_up();
	struct feed_text t;

	(void)state;
	v.cancelled = true;
	feed_visit_text(FEED_CARER, &defaults, &v, 11, &t);
	assert_string_equal(t.summary, "Visit: Zoë; Jo, Ann (cancelled)");
	v.cancelled = false;
	v.ncarers = 1; /* Amira alone on a double-up */
	feed_visit_text(FEED_CARER, &defaults, &v, 11, &t);
	assert_string_equal(t.description, "Double-up visit: second carer to be confirmed.");
	v.ncarers = 0;
	feed_visit_text(FEED_COORDINATOR, &defaults, &v, 0, &t);
	assert_string_equal(t.summary, "Zoë; Jo, Ann: carer to be confirmed");
}

static void long_text_is_cut_on_a_character(void **state)
{
	char name[FEED_TEXT_MAX * 2];
	struct feed_visit v = double_up();
	struct feed_text t;

	(void)state;
	/* "é" is two octets; after "Visit: " (7 octets) they straddle the end. */
	for (size_t i = 0; i + 2 < sizeof name; i += 2)
		memcpy(name + i, "\xc3\xa9", 2), name[i + 2] = '\0';
	v.recipient_name = name;
	feed_visit_text(FEED_CARER, &defaults, &v, 11, &t);
	assert_true(strlen(t.summary) < FEED_TEXT_MAX);
	assert_true(strlen(t.summary) >= FEED_TEXT_MAX - 3);
	assert_int_equal((strlen(t.summary) - 7) % 2, 0); /* whole characters only */
}

static void token_paths(void **state)
{
	char tok[65];
	const char *good =
		"/ical/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.ics";

	(void)state;
	assert_int_equal(feed_path_token(good, tok), 0);
	assert_int_equal(strlen(tok), 64);
	assert_memory_equal(tok, good + 6, 64);
	assert_int_equal(feed_path_token("/ical/0123.ics", tok), -1);
	assert_int_equal(
		feed_path_token(
			"/ical/"
			"0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef.ics",
			tok),
		-1); /* upper case is not how tokens are written */
	assert_int_equal(
		feed_path_token(
			"/ical/"
			"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.ics/x",
			tok),
		-1);
	assert_int_equal(
		feed_path_token(
			"/ical/"
			"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.ical",
			tok),
		-1);
	assert_int_equal(feed_kind_parse("carer"), FEED_CARER);
	assert_int_equal(feed_kind_parse("family"), -1);
	assert_int_equal(feed_location_parse("address"), FEED_LOC_ADDRESS);
	assert_int_equal(feed_location_parse(""), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(carer_sees_first_name_and_area_only),
		cmocka_unit_test(family_sees_time_and_carers),
		cmocka_unit_test(settings_widen_what_is_shown),
		cmocka_unit_test(cancelled_and_uncovered),
		cmocka_unit_test(long_text_is_cut_on_a_character),
		cmocka_unit_test(token_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
