/*
 * ical_feed: builds a VCALENDAR with libical and serialises it. See
 * ical_feed.h. libical escapes TEXT values and folds lines; the VTIMEZONE
 * is libical's built-in zone, cut down to the feed's years and renamed to
 * the plain IANA name (libical's own TZID carries a vendor prefix that
 * calendar apps do not know).
 */
#include "tz/ical_feed.h"

#include <libical/ical.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tz/tz_internal.h"

#define PRODID "-//carecoop//carecoop rota feed//EN"

static struct icaltimetype utc_time(int64_t t)
{
	return icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
}

/* Adds prop to comp; false when libical could not make it. */
static bool add(icalcomponent *comp, icalproperty *prop)
{
	if (prop == NULL)
		return false;
	icalcomponent_add_property(comp, prop);
	return true;
}

/* The value of an X-WR-* twin. libical writes X- values as given except
 * that it escapes backslashes and newlines itself, so a comma or semicolon
 * cannot be escaped as RFC 5545 section 3.3.11 wants: they become spaces.
 * The exact name travels in the standard NAME property. */
static char *x_text(const char *s, char *out, size_t n)
{
	size_t j = 0;

	for (; *s != '\0' && j + 1 < n; s++)
		out[j++] = (*s == ',' || *s == ';' || *s == '\n' || *s == '\r') ? ' ' : *s;
	while (*s != '\0' && j > 0 && ((unsigned char)out[j] & 0xC0) == 0x80)
		j--; /* cut short: do not end inside a UTF-8 character */
	out[j] = '\0';
	return out;
}

/* A TEXT property libical 3.0 has no constructor for: RFC 7986 NAME (made
 * from its name, then given a TEXT value that libical escapes) and the
 * X-WR-* names calendar apps read. */
static icalproperty *text_property(const char *name, const char *value)
{
	char buf[1024];
	icalproperty *p;
	icalvalue *v;

	if (strncmp(name, "X-", 2) == 0) {
		if ((p = icalproperty_new_x(x_text(value, buf, sizeof buf))) != NULL)
			icalproperty_set_x_name(p, name);
		return p;
	}
	snprintf(buf, sizeof buf, "%s:-", name);
	if ((p = icalproperty_new_from_string(buf)) == NULL)
		return NULL;
	if ((v = icalvalue_new_text(value)) == NULL) {
		icalproperty_free(p);
		return NULL;
	}
	icalproperty_set_value(p, v);
	return p;
}

/* Seconds east of UTC in zone z at instant t. Call with tz_lock held. */
static int utc_offset(icaltimezone *z, int64_t t)
{
	struct icaltimetype tt = utc_time(t);
	int dst = 0;

	return icaltimezone_get_utc_offset_of_utc_time(z, &tt, &dst);
}

/* True when instant t is the second of two instants with the same local
 * time (the repeated hour when the clocks go back): RFC 5545 section 3.3.5
 * reads such a local time as its first occurrence, so it cannot stand for
 * t. Offsets change at most once in a few hours, so the offsets three hours
 * either side are the only other readings. */
static bool repeated_local_time(icaltimezone *z, int64_t t)
{
	int64_t local = t + utc_offset(z, t);
	int64_t around[2] = {t - 3 * 3600, t + 3 * 3600};

	for (int i = 0; i < 2; i++) {
		int off = utc_offset(z, around[i]);
		int64_t u = local - off;

		if (u < t && utc_offset(z, u) == off)
			return true;
	}
	return false;
}

/* Instant t as the local wall-clock time of zone z with TZID=tzid; an
 * instant in the repeated hour, which no local time names, in UTC. Call
 * with tz_lock held. */
static icalproperty *zoned(icalproperty *(*make)(struct icaltimetype), icaltimezone *z,
			   const char *tzid, int64_t t)
{
	struct icaltimetype tt;
	icalproperty *p;
	icalparameter *param;

	if (repeated_local_time(z, t))
		return make(utc_time(t));
	tt = icaltime_from_timet_with_zone((time_t)t, 0, z);
	tt.zone = NULL; /* write the wall-clock value; TZID says which wall */
	if ((p = make(tt)) == NULL)
		return NULL;
	if ((param = icalparameter_new_tzid(tzid)) == NULL) {
		icalproperty_free(p);
		return NULL;
	}
	icalproperty_add_parameter(p, param);
	return p;
}

/* A copy of the zone's VTIMEZONE covering window_start onwards, TZID
 * renamed to tzid. Call with tz_lock held. */
static icalcomponent *vtimezone(icaltimezone *z, const char *tzid, int64_t window_start)
{
	icalcomponent *src = icaltimezone_get_component(z), *vtz;
	icalproperty *id;
	struct icaltimetype from = utc_time(window_start);

	if (src == NULL || (vtz = icalcomponent_new_clone(src)) == NULL)
		return NULL;
	/* From the first of January of the feed's first year: a little history
	 * for the oldest events, and the rules (RRULEs) for every later year. */
	from.month = 1;
	from.day = 1;
	from.hour = from.minute = from.second = 0;
	icaltimezone_truncate_vtimezone(vtz, from, icaltime_null_time(), 0);
	id = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
	if (id != NULL)
		icalproperty_set_tzid(id, tzid);
	else if (!add(vtz, icalproperty_new_tzid(tzid))) {
		icalcomponent_free(vtz);
		return NULL;
	}
	return vtz;
}

static bool add_event(icalcomponent *cal, icaltimezone *z, const char *tzid,
		      const struct ical_event *e)
{
	icalcomponent *ev = icalcomponent_new_vevent();
	bool ok;

	if (ev == NULL)
		return false;
	ok = add(ev, icalproperty_new_uid(e->uid)) &&
	     add(ev, icalproperty_new_dtstamp(utc_time(e->last_modified))) &&
	     add(ev, icalproperty_new_lastmodified(utc_time(e->last_modified))) &&
	     add(ev, icalproperty_new_sequence((int)e->sequence)) &&
	     add(ev, zoned(icalproperty_new_dtstart, z, tzid, e->start_utc)) &&
	     add(ev,
		 zoned(icalproperty_new_dtend, z, tzid, e->start_utc + 60 * (int64_t)e->minutes)) &&
	     add(ev, icalproperty_new_summary(e->summary)) &&
	     add(ev, icalproperty_new_status(e->cancelled ? ICAL_STATUS_CANCELLED
							  : ICAL_STATUS_CONFIRMED)) &&
	     add(ev, icalproperty_new_transp(e->cancelled ? ICAL_TRANSP_TRANSPARENT
							  : ICAL_TRANSP_OPAQUE)) &&
	     (e->location == NULL || e->location[0] == '\0' ||
	      add(ev, icalproperty_new_location(e->location))) &&
	     (e->description == NULL || e->description[0] == '\0' ||
	      add(ev, icalproperty_new_description(e->description)));
	if (!ok) {
		icalcomponent_free(ev);
		return false;
	}
	icalcomponent_add_component(cal, ev);
	return true;
}

char *ical_feed_render(const struct ical_calendar *c, size_t *len, char *err, size_t errlen)
{
	icalcomponent *cal = NULL, *vtz = NULL;
	icaltimezone *z;
	char ttl[32], refresh_line[64], *text = NULL;
	struct icaldurationtype refresh = icaldurationtype_null_duration();
	bool ok;

	pthread_mutex_lock(&tz_lock);
	z = icaltimezone_get_builtin_timezone(c->tzid);
	if (z != NULL)
		vtz = vtimezone(z, c->tzid, c->window_start);
	if (z == NULL || vtz == NULL) {
		pthread_mutex_unlock(&tz_lock);
		snprintf(err, errlen, "no time zone data for %s", c->tzid);
		return NULL;
	}
	refresh.minutes = (unsigned)c->refresh_minutes % 60;
	refresh.hours = (unsigned)c->refresh_minutes / 60;
	snprintf(ttl, sizeof ttl, "%s", icaldurationtype_as_ical_string(refresh));
	/* RFC 7986 REFRESH-INTERVAL must say VALUE=DURATION; parsing the line
	 * lets libical type it (it has no constructor for it in 3.0). */
	snprintf(refresh_line, sizeof refresh_line, "REFRESH-INTERVAL;VALUE=DURATION:%s", ttl);

	cal = icalcomponent_new_vcalendar();
	ok = cal != NULL && add(cal, icalproperty_new_prodid(PRODID)) &&
	     add(cal, icalproperty_new_version("2.0")) &&
	     add(cal, icalproperty_new_calscale("GREGORIAN")) &&
	     add(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH)) &&
	     add(cal, text_property("NAME", c->name)) &&
	     add(cal, text_property("X-WR-CALNAME", c->name)) &&
	     add(cal, text_property("X-WR-TIMEZONE", c->tzid)) &&
	     add(cal, icalproperty_new_from_string(refresh_line)) &&
	     add(cal, text_property("X-PUBLISHED-TTL", ttl));
	if (ok) {
		icalcomponent_add_component(cal, vtz);
		vtz = NULL;
		for (size_t i = 0; ok && i < c->nevents; i++)
			ok = add_event(cal, z, c->tzid, &c->events[i]);
	}
	pthread_mutex_unlock(&tz_lock);
	if (ok)
		text = icalcomponent_as_ical_string_r(cal);
	if (text == NULL)
		snprintf(err, errlen, "libical could not write the calendar: %s",
			 icalerror_strerror(icalerrno));
	else
		*len = strlen(text);
	if (vtz != NULL)
		icalcomponent_free(vtz);
	if (cal != NULL)
		icalcomponent_free(cal);
	return text;
}

void ical_text_free(char *text)
{
	if (text != NULL)
		icalmemory_free_buffer(text);
}
