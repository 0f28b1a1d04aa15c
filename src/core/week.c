/*
 * week: local-time arithmetic for one week. Pure.
 */
#include "core/week.h"

#include "core/text.h"

#include <stdio.h>
#include <string.h>

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t week_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void week_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t days_of(const char *date)
{
	int y = 0, m = 0, d = 0;

	for (int i = 0; i < 4; i++)
		y = y * 10 + (date[i] - '0');
	m = (date[5] - '0') * 10 + (date[6] - '0');
	d = (date[8] - '0') * 10 + (date[9] - '0');
	return week_days_from_civil(y, m, d);
}

int week_weekday(const char *date)
{
	int64_t days = days_of(date);          /* 1970-01-01 was a Thursday */
	int64_t wd = ((days % 7) + 7 + 3) % 7; /* 0 = Monday */
	return (int)wd + 1;
}

int week_offset(const char *week_start, const char *datetime, int64_t *out)
{
	char date[11];
	int minutes = 0;

	if (!care_date_valid(week_start))
		return -1;
	if (strlen(datetime) == 10) {
		if (!care_date_valid(datetime))
			return -1;
	} else if (!care_datetime_valid(datetime) ||
		   care_parse_hhmm(datetime + 11, false, &minutes) != 0) {
		return -1;
	}
	memcpy(date, datetime, 10);
	date[10] = '\0';
	*out = (days_of(date) - days_of(week_start)) * 1440 + minutes;
	return 0;
}

void week_date(const char *week_start, int d, char out[11])
{
	char buf[48];
	int y, m, day;

	week_civil_from_days(days_of(week_start) + d, &y, &m, &day);
	snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, day);
	text_copy(out, 11, buf);
}

void week_format(const char *week_start, int64_t offset, char out[17])
{
	int64_t days = offset >= 0 ? offset / 1440 : -((-offset + 1439) / 1440);
	int64_t minutes = offset - days * 1440;
	char buf[64];
	int y, m, d;

	week_civil_from_days(days_of(week_start) + days, &y, &m, &d);
	snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d", y, m, d, (int)(minutes / 60),
		 (int)(minutes % 60));
	text_copy(out, 17, buf);
}

size_t week_expand(const struct care_span *spans, size_t n, struct week_range *out, size_t cap)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		int64_t base = (int64_t)(spans[i].weekday - 1) * 1440;
		k = week_add(out, k, cap, base + spans[i].start_min, base + spans[i].end_min);
		if (spans[i].weekday == 1) /* the next Monday, up to the horizon */
			k = week_add(out, k, cap, WEEK_MINUTES + spans[i].start_min,
				     WEEK_MINUTES + spans[i].end_min);
	}
	return k;
}

size_t week_subtract(struct week_range *r, size_t n, size_t cap, int64_t start, int64_t end)
{
	struct week_range out[WEEK_RANGES_MAX];
	size_t k = 0;

	if (end <= start)
		return n;
	if (cap > WEEK_RANGES_MAX)
		cap = WEEK_RANGES_MAX;
	for (size_t i = 0; i < n; i++) {
		struct week_range cur = r[i];

		if (cur.end <= start || cur.start >= end) {
			if (k < cap)
				out[k++] = cur;
			continue;
		}
		if (cur.start < start && k < cap)
			out[k++] = (struct week_range){cur.start, (int32_t)start};
		if (cur.end > end && k < cap)
			out[k++] = (struct week_range){(int32_t)end, cur.end};
	}
	memcpy(r, out, k * sizeof *r);
	return k;
}

size_t week_add(struct week_range *r, size_t n, size_t cap, int64_t start, int64_t end)
{
	size_t i = 0, j;

	if (start < 0)
		start = 0;
	if (end > WEEK_HORIZON)
		end = WEEK_HORIZON;
	if (end <= start)
		return n;
	while (i < n && r[i].end < start)
		i++;
	/* Merge every range that touches [start, end). */
	j = i;
	while (j < n && r[j].start <= end) {
		if (r[j].start < start)
			start = r[j].start;
		if (r[j].end > end)
			end = r[j].end;
		j++;
	}
	if (j == i) {
		if (n >= cap)
			return n;
		memmove(&r[i + 1], &r[i], (n - i) * sizeof *r);
		n++;
	} else if (j > i + 1) {
		memmove(&r[i + 1], &r[j], (n - j) * sizeof *r);
		n -= j - i - 1;
	}
	r[i] = (struct week_range){(int32_t)start, (int32_t)end};
	return n;
}

bool week_plan_on(const char *week_start, int d, unsigned days, const char *valid_from,
		  const char *valid_to)
{
	char date[11];

	if (d < 0 || d > 6 || (days & (1u << d)) == 0)
		return false;
	week_date(week_start, d, date);
	if (strcmp(date, valid_from) < 0)
		return false;
	return valid_to[0] == '\0' || strcmp(date, valid_to) <= 0;
}
