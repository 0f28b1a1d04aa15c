/*
 * ical_feed: an RFC 5545 calendar of timed events, written with libical.
 * The caller decides what each event says (core/feed.h); this adapter owns
 * the syntax: CRLF lines folded at 75 octets without splitting a UTF-8
 * character, TEXT escaping, PRODID/VERSION/CALSCALE/METHOD, the RFC 7986
 * NAME and REFRESH-INTERVAL with their X-WR-CALNAME and X-PUBLISHED-TTL
 * twins, and one VTIMEZONE for the zone every DTSTART/DTEND names.
 */
#ifndef CARECOOP_TZ_ICAL_FEED_H
#define CARECOOP_TZ_ICAL_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ical_event {
	const char *uid;         /* stable across rebuilds */
	int64_t sequence;        /* SEQUENCE */
	int64_t start_utc;       /* UTC seconds */
	int minutes;             /* duration; DTEND = start + minutes */
	bool cancelled;          /* STATUS:CANCELLED, else CONFIRMED */
	int64_t last_modified;   /* UTC seconds: LAST-MODIFIED and DTSTAMP */
	const char *summary;     /* UTF-8, unescaped */
	const char *location;    /* "" or NULL: none */
	const char *description; /* "" or NULL: none */
};

struct ical_calendar {
	const char *name;     /* NAME and X-WR-CALNAME */
	const char *tzid;     /* IANA zone of DTSTART/DTEND, e.g. Europe/London */
	int refresh_minutes;  /* REFRESH-INTERVAL, X-PUBLISHED-TTL */
	int64_t window_start; /* UTC: the VTIMEZONE covers from here on */
	const struct ical_event *events;
	size_t nevents;
};

/* Writes the calendar as iCalendar text. Returns a NUL-terminated string
 * the caller frees with ical_text_free, its length in *len; NULL with a
 * reason in err for an unknown zone or when libical fails. Thread-safe. */
char *ical_feed_render(const struct ical_calendar *c, size_t *len, char *err, size_t errlen);

/* Frees text from ical_feed_render; ical_text_free(NULL) does nothing. */
void ical_text_free(char *text);

#endif
