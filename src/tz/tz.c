/*
 * tz: local <-> UTC with libical's built-in time zones.
 */
#include "tz/tz.h"

#include <libical/ical.h>
#include <pthread.h>

#include "core/week.h"
#include "tz/tz_internal.h"

pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;

static int offset_in(icaltimezone *z, int64_t t);

static icaltimezone *zone_of(const char *tzid)
{
	icaltimezone *z;

	pthread_mutex_lock(&tz_lock);
	z = icaltimezone_get_builtin_timezone(tzid);
	pthread_mutex_unlock(&tz_lock);
	return z;
}

int tz_load(const char *tzid)
{
	icaltimezone *z = zone_of(tzid);

	if (z == NULL)
		return -1;
	(void)offset_in(z, 0); /* forces libical to read the zone's rules now */
	return 0;
}

static int offset_in(icaltimezone *z, int64_t t)
{
	struct icaltimetype tt =
		icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
	int dst = 0;
	int off;

	pthread_mutex_lock(&tz_lock);
	off = icaltimezone_get_utc_offset_of_utc_time(z, &tt, &dst);
	pthread_mutex_unlock(&tz_lock);
	return off;
}

int tz_offset_at(const char *tzid, int64_t t, bool *ok)
{
	icaltimezone *z = zone_of(tzid);

	*ok = z != NULL;
	return z != NULL ? offset_in(z, t) : 0;
}

int tz_local_to_utc(const char *tzid, int y, int mo, int d, int hh, int mi, int64_t *utc)
{
	icaltimezone *z = zone_of(tzid);
	int64_t naive = week_days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60;
	int64_t best = 0;
	bool found = false;
	int offs[2];

	if (z == NULL)
		return -1;
	/* The offsets in force a day either side bracket any change: of those
	 * that map back to this local time, the earliest instant wins. */
	offs[0] = offset_in(z, naive - 86400);
	offs[1] = offset_in(z, naive + 86400);
	for (int i = 0; i < 2; i++) {
		int64_t u = naive - offs[i];
		if (offset_in(z, u) == offs[i] && (!found || u < best)) {
			best = u;
			found = true;
		}
	}
	if (found) {
		*utc = best;
		return 0;
	}
	/* In a gap: read with the offset before it, which moves the time
	 * forward by the gap's length. */
	*utc = naive - offs[0];
	return 1;
}
