/* The libical writer of feeds: RFC 5545 lines (CRLF, folded at 75 octets
 * without splitting a UTF-8 character), escaping, calendar properties, a
 * VTIMEZONE for the TZID used, and local times across both DST changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "tz/ical_feed.h"

/* 2027-03-28 00:30 UTC = 00:30 GMT (before the spring change at 01:00 UTC)
 * and 2027-03-28 01:30 UTC = 02:30 BST; 2027-10-31 00:30 UTC = 01:30 BST
 * (first 01:30) and 01:30 UTC = 01:30 GMT (second). */
#define SPRING_BEFORE 1806193800
#define SPRING_AFTER  1806197400
#define AUTUMN_FIRST  1824942600
#define AUTUMN_SECOND 1824946200

static char *render(const struct ical_event *ev, size_t n, size_t *len)
{
	struct ical_calendar c = {
		.name = "Dart Valley: Zoë's visits, all; of them",
		.tzid = "Europe/London",
		.refresh_minutes = 90,
		.window_start = SPRING_BEFORE - 35 * 86400,
		.events = ev,
		.nevents = n,
	};
	char err[128];
	char *text = ical_feed_render(&c, len, err, sizeof err);

	if (text == NULL)
		fail_msg("render failed: %s", err);
	return text;
}

static void lines_are_crlf_and_folded_on_characters(void **state)
{
	char summary[400] = "Visit: ";
	struct ical_event ev = {.uid = "visit-1-2027-03-28@carecoop",
				.start_utc = SPRING_BEFORE,
				.minutes = 30,
				.last_modified = SPRING_BEFORE - 86400,
				.summary = summary};
	size_t len, line = 0;
	char *text;

	(void)state;
	/* Enough two- and three-octet characters to fold many times at every
	 * alignment. */
	for (int i = 0; i < 40; i++)
		strcat(summary, i % 2 ? "é" : "€");
	ev.summary = summary;
	text = render(&ev, 1, &len);
	assert_int_equal(strlen(text), len);
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n') {
			assert_true(i > 0 && text[i - 1] == '\r'); /* every line ends in CRLF */
			line = 0;
			/* A continuation line never starts inside a character. */
			if (i + 2 < len && text[i + 1] == ' ')
				assert_int_not_equal((unsigned char)text[i + 2] & 0xC0, 0x80);
			continue;
		}
		if (text[i] != '\r')
			line++;
		assert_true(line <= 75); /* octets, without the CRLF */
	}
	ical_text_free(text);
}

static void calendar_properties_and_escaping(void **state)
{
	struct ical_event ev = {.uid = "visit-2-2027-03-28@carecoop",
				.sequence = 3,
				.start_utc = SPRING_AFTER,
				.minutes = 45,
				.cancelled = true,
				.last_modified = SPRING_BEFORE,
				.summary = "Visit: O'Brien; Smith, Jr \\ x",
				.location = "Bridgetown, Totnes",
				.description = "Line one\nLine two"};
	size_t len;
	char *text;

	(void)state;
	text = render(&ev, 1, &len);
	assert_non_null(strstr(text, "BEGIN:VCALENDAR\r\nPRODID:"));
	assert_non_null(strstr(text, "\r\nVERSION:2.0\r\n"));
	assert_non_null(strstr(text, "\r\nCALSCALE:GREGORIAN\r\n"));
	assert_non_null(strstr(text, "\r\nMETHOD:PUBLISH\r\n"));
	assert_non_null(strstr(text, "\r\nNAME:Dart Valley: Zoë's visits\\, all\\; of them\r\n"));
	assert_non_null(strstr(text, "\r\nX-WR-CALNAME:Dart Valley: Zoë's visits"));
	assert_non_null(strstr(text, "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H30M\r\n"));
	assert_non_null(strstr(text, "\r\nX-PUBLISHED-TTL:PT1H30M\r\n"));
	assert_non_null(strstr(text, "\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n"));
	assert_non_null(strstr(text, "\r\nSUMMARY:Visit: O'Brien\\; Smith\\, Jr \\\\ x\r\n"));
	assert_non_null(strstr(text, "\r\nLOCATION:Bridgetown\\, Totnes\r\n"));
	assert_non_null(strstr(text, "\r\nDESCRIPTION:Line one\\nLine two\r\n"));
	assert_non_null(strstr(text, "\r\nSTATUS:CANCELLED\r\n"));
	assert_non_null(strstr(text, "\r\nSEQUENCE:3\r\n"));
	assert_non_null(strstr(text, "\r\nUID:visit-2-2027-03-28@carecoop\r\n"));
	assert_non_null(strstr(text, "\r\nDTSTAMP:20270328T003000Z\r\n"));
	assert_non_null(strstr(text, "\r\nLAST-MODIFIED:20270328T003000Z\r\n"));
	assert_null(strstr(text, "freeassociation")); /* no vendor TZID prefix */
	assert_true(len > 2 && strcmp(text + len - 15, "END:VCALENDAR\r\n") == 0);
	ical_text_free(text);
}

static void local_times_across_dst(void **state)
{
	struct ical_event ev[] = {
		{.uid = "a", .start_utc = SPRING_BEFORE, .minutes = 60, .summary = "a"},
		{.uid = "b", .start_utc = AUTUMN_FIRST, .minutes = 30, .summary = "b"},
		{.uid = "c", .start_utc = AUTUMN_SECOND, .minutes = 30, .summary = "c"},
		{.uid = "d",
		 .start_utc = SPRING_AFTER + 21 * 3600,
		 .minutes = 60,
		 .summary = "d"}, /* 23:30 BST to 00:30 the next day */
	};
	size_t len;
	char *text;

	(void)state;
	text = render(ev, 4, &len);
	/* 00:30 GMT for an hour: the clocks jump, so it ends at 02:30 BST. */
	assert_non_null(strstr(text, "DTSTART;TZID=Europe/London:20270328T003000\r\n"
				     "DTEND;TZID=Europe/London:20270328T023000\r\n"));
	/* Both 01:30s of the autumn Sunday. A local 01:30 means the first
	 * (BST) one, so the second, and an end inside the repeated hour, are
	 * written in UTC: the first visit ends at 01:00 GMT = 01:00Z. */
	assert_non_null(strstr(text, "DTSTART;TZID=Europe/London:20271031T013000\r\n"
				     "DTEND:20271031T010000Z\r\n"));
	assert_non_null(strstr(text, "DTSTART:20271031T013000Z\r\n"
				     "DTEND;TZID=Europe/London:20271031T020000\r\n"));
	assert_non_null(strstr(text, "DTSTART;TZID=Europe/London:20270328T233000\r\n"
				     "DTEND;TZID=Europe/London:20270329T003000\r\n"));
	assert_non_null(strstr(text, "BEGIN:DAYLIGHT"));
	assert_non_null(strstr(text, "BEGIN:STANDARD"));
	ical_text_free(text);
}

static void unknown_zone_is_an_error(void **state)
{
	struct ical_calendar c = {.name = "x", .tzid = "Mars/Olympus", .refresh_minutes = 60};
	char err[128] = "";
	size_t len;

	(void)state;
	assert_null(ical_feed_render(&c, &len, err, sizeof err));
	assert_non_null(strstr(err, "Mars/Olympus"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lines_are_crlf_and_folded_on_characters),
		cmocka_unit_test(calendar_properties_and_escaping),
		cmocka_unit_test(local_times_across_dst),
		cmocka_unit_test(unknown_zone_is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
