/*
 * tz: local wall-clock time in an IANA zone (the co-op's, Europe/London by
 * default) against the real time line, with libical's built-in zone data.
 * Core code works in local minutes or UTC minutes; this adapter is the only
 * place that knows about DST.
 */
#ifndef CARECOOP_TZ_TZ_H
#define CARECOOP_TZ_TZ_H

#include <stdbool.h>
#include <stdint.h>

/* Loads the zone's data once (libical's loading is not thread-safe: call
 * before starting threads). Returns 0, or -1 for an unknown zone. */
int tz_load(const char *tzid);

/* Converts a local time to UTC seconds. A time that occurs twice (autumn)
 * means its first occurrence. Returns 0; 1 when the time does not exist
 * (spring gap: *utc is then the first existing minute after it, moved
 * forward by the gap, as RFC 5545 section 3.3.5 reads it); -1 for an
 * unknown zone. */
int tz_local_to_utc(const char *tzid, int y, int mo, int d, int hh, int mi, int64_t *utc);

/* Seconds to add to UTC to get local time at UTC instant t (-1 zone
 * unknown is reported as 0 offset with *ok false). */
int tz_offset_at(const char *tzid, int64_t t, bool *ok);

#endif
