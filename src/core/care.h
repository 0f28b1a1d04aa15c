/*
 * care: the rules of the care model that need no database: clock times and
 * dates, a carer's weekly availability spans, care plan lines, locations,
 * skill codes. Pure: plain values in, a verdict out.
 */
#ifndef CARECOOP_CORE_CARE_H
#define CARECOOP_CORE_CARE_H

#include <stdbool.h>
#include <stddef.h>

#define CARE_MINUTES_PER_WEEK     10080
#define CARE_WTR_MAX_WEEK_MINUTES 2880 /* Working Time Regulations: 48 h */
#define CARE_VISIT_MAX_MINUTES    720
#define CARE_SPANS_MAX            64 /* weekly spans per carer */
#define CARE_SKILL_CODE_MAX       32

/* Parses "HH:MM" (00:00..23:59; and 24:00 when allow_24 is true) into
 * minutes after midnight. Returns 0 or -1. */
int care_parse_hhmm(const char *s, bool allow_24, int *minutes);

/* Writes minutes after midnight as "HH:MM" (24:00 for 1440) into out[6]. */
void care_format_hhmm(int minutes, char out[6]);

/* True if s is a real calendar date "YYYY-MM-DD" (years 1900..2999). */
bool care_date_valid(const char *s);

/* True if s is "YYYY-MM-DDTHH:MM" with a real date and time. */
bool care_datetime_valid(const char *s);

/* The day before date (valid "YYYY-MM-DD") into out[11]. */
void care_date_prev(const char *date, char out[11]);

/* True when lat/lon are WGS84 degrees in range (and finite). */
bool care_location_valid(double lat, double lon);

/* True if s is a skill code: 1..32 of [a-z0-9-]. */
bool care_skill_code_valid(const char *s);

struct care_span {
	int weekday;   /* 1 = Monday .. 7 = Sunday */
	int start_min; /* minutes after local midnight, 0..1439 */
	int end_min;   /* start_min < end_min <= 1440 */
};

enum care_span_check {
	CARE_SPAN_OK = 0,
	CARE_SPAN_BAD_WEEKDAY,
	CARE_SPAN_EMPTY,   /* end not after start */
	CARE_SPAN_OVERLAP, /* overlaps an earlier span on the same day */
	CARE_SPAN_TOO_MANY,
};

/* Checks a weekly pattern. On a fault, *bad is the index of the offending
 * span (for OVERLAP, the later of the two in list order). */
enum care_span_check care_spans_check(const struct care_span *spans, size_t n, size_t *bad);

/* A message for a span check result. */
const char *care_span_message(enum care_span_check c);

/* Converts a list of weekdays (1..7) to a bit set (bit 0 = Monday).
 * Returns 0 for an empty list or a value out of range (*bad = its index). */
unsigned care_days_mask(const int *days, size_t n, size_t *bad);

#endif
