/*
 * care: clock, date, span and location rules of the care model. Pure.
 */
#include "core/care.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int digits(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int care_parse_hhmm(const char *s, bool allow_24, int *minutes)
{
	int h, m;

	if (strlen(s) != 5 || s[2] != ':')
		return -1;
	h = digits(s, 2);
	m = digits(s + 3, 2);
	if (h < 0 || m < 0 || m > 59)
		return -1;
	if (h == 24 && m == 0 && allow_24) {
		*minutes = 1440;
		return 0;
	}
	if (h > 23)
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

void care_format_hhmm(int minutes, char out[6])
{
	if (minutes < 0 || minutes > 1440)
		minutes = 0;
	snprintf(out, 6, "%02d:%02d", minutes / 60, minutes % 60);
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

static bool date_parts(const char *s, int *y, int *m, int *d)
{
	if (s[4] != '-' || s[7] != '-')
		return false;
	*y = digits(s, 4);
	*m = digits(s + 5, 2);
	*d = digits(s + 8, 2);
	return *y >= 1900 && *y <= 2999 && *m >= 1 && *m <= 12 && *d >= 1 &&
	       *d <= days_in_month(*y, *m);
}

bool care_date_valid(const char *s)
{
	int y, m, d;

	return strlen(s) == 10 && date_parts(s, &y, &m, &d);
}

bool care_datetime_valid(const char *s)
{
	int y, m, d, min;

	return strlen(s) == 16 && s[10] == 'T' && date_parts(s, &y, &m, &d) &&
	       digits(s + 11, 2) >= 0 && care_parse_hhmm(s + 11, false, &min) == 0;
}

void care_date_prev(const char *date, char out[11])
{
	int y, m, d;

	if (!date_parts(date, &y, &m, &d)) {
		out[0] = '\0';
		return;
	}
	if (--d == 0) {
		if (--m == 0) {
			m = 12;
			y--;
		}
		d = days_in_month(y, m);
	}
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

bool care_location_valid(double lat, double lon)
{
	return isfinite(lat) && isfinite(lon) && lat >= -90.0 && lat <= 90.0 && lon >= -180.0 &&
	       lon <= 180.0;
}

bool care_skill_code_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > CARE_SKILL_CODE_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

enum care_span_check care_spans_check(const struct care_span *spans, size_t n, size_t *bad)
{
	if (n > CARE_SPANS_MAX) {
		*bad = CARE_SPANS_MAX;
		return CARE_SPAN_TOO_MANY;
	}
	for (size_t i = 0; i < n; i++) {
		const struct care_span *s = &spans[i];

		*bad = i;
		if (s->weekday < 1 || s->weekday > 7)
			return CARE_SPAN_BAD_WEEKDAY;
		if (s->start_min < 0 || s->end_min > 1440 || s->end_min <= s->start_min)
			return CARE_SPAN_EMPTY;
		for (size_t j = 0; j < i; j++) {
			const struct care_span *o = &spans[j];
			if (o->weekday == s->weekday && s->start_min < o->end_min &&
			    o->start_min < s->end_min)
				return CARE_SPAN_OVERLAP;
		}
	}
	return CARE_SPAN_OK;
}

const char *care_span_message(enum care_span_check c)
{
	switch (c) {
	case CARE_SPAN_OK:
		return "ok";
	case CARE_SPAN_BAD_WEEKDAY:
		return "weekday must be 1 (Monday) to 7 (Sunday)";
	case CARE_SPAN_EMPTY:
		return "end must be after start";
	case CARE_SPAN_OVERLAP:
		return "overlaps another span on the same day";
	case CARE_SPAN_TOO_MANY:
		return "too many spans (at most 64)";
	}
	return "invalid span";
}

unsigned care_days_mask(const int *days, size_t n, size_t *bad)
{
	unsigned mask = 0;

	for (size_t i = 0; i < n; i++) {
		if (days[i] < 1 || days[i] > 7) {
			*bad = i;
			return 0;
		}
		mask |= 1u << (days[i] - 1);
	}
	*bad = 0;
	return mask;
}
