/*
 * week: one week of local (wall-clock) time, as minutes from Monday 00:00
 * of that week, for turning weekly patterns and dated exceptions into the
 * dated intervals a rota needs. Local minutes ignore DST on purpose: they
 * name wall-clock times; the time-zone adapter puts them on the real time
 * line. Pure: no I/O, no time zones.
 */
#ifndef CARECOOP_CORE_WEEK_H
#define CARECOOP_CORE_WEEK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/care.h"

#define WEEK_MINUTES    10080
/* A week's availability reaches this far: a visit starting late on Sunday
 * may run up to 12 hours (CARE_VISIT_MAX_MINUTES) into the next Monday. */
#define WEEK_HORIZON    (WEEK_MINUTES + 720)
#define WEEK_RANGES_MAX 256 /* ranges one carer may have in a week */

struct week_range {
	int32_t start; /* local minutes from the week's Monday 00:00 */
	int32_t end;   /* > start */
};

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
int64_t week_days_from_civil(int y, int m, int d);

/* The civil date of a day count. */
void week_civil_from_days(int64_t days, int *y, int *m, int *d);

/* 1 (Monday) .. 7 (Sunday) of a valid "YYYY-MM-DD". */
int week_weekday(const char *date);

/* Local minutes of "YYYY-MM-DDTHH:MM" (or a date, meaning 00:00) from the
 * Monday week_start. Returns 0, or -1 when either is malformed. */
int week_offset(const char *week_start, const char *datetime, int64_t *out);

/* week_start + offset minutes as "YYYY-MM-DDTHH:MM" into out[17]. */
void week_format(const char *week_start, int64_t offset, char out[17]);

/* The date of day d (0 = Monday) of the week, into out[11]. */
void week_date(const char *week_start, int d, char out[11]);

/* Expands weekly spans into sorted, merged ranges of this week, and the
 * next Monday's up to WEEK_HORIZON (so a Sunday-night visit past midnight
 * can be worked). Returns the count (at most cap). */
size_t week_expand(const struct care_span *spans, size_t n, struct week_range *out, size_t cap);

/* Removes [start, end) from the sorted ranges r (count n, room cap, at most
 * WEEK_RANGES_MAX): a range may split in two. Returns the new count (ranges
 * beyond cap are dropped). */
size_t week_subtract(struct week_range *r, size_t n, size_t cap, int64_t start, int64_t end);

/* Adds [start, end) (clipped to [0, WEEK_HORIZON)) to the sorted ranges, merging.
 * Returns the new count. */
size_t week_add(struct week_range *r, size_t n, size_t cap, int64_t start, int64_t end);

/* True if a care plan line (weekday mask, bit 0 = Monday; valid_from and
 * valid_to "" for open-ended) gives a visit on day d (0..6) of the week. */
bool week_plan_on(const char *week_start, int d, unsigned days, const char *valid_from,
		  const char *valid_to);

#endif
