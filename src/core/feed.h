/*
 * feed: what a calendar feed says about a visit, by the co-op's privacy
 * setting. Three kinds of subscriber see three views of the same visit:
 * the carer (who, where, with whom), the person receiving care and their
 * family (when, and the carer's first name), a coordinator (everything
 * needed to run the day). Health details (the visit's tasks) and the full
 * address appear only when the co-op has switched them on.
 *
 * Pure: no libical, no database. Text is UTF-8; the iCal adapter
 * (src/ical/) escapes and folds it.
 */
#ifndef CARECOOP_CORE_FEED_H
#define CARECOOP_CORE_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FEED_CARERS_MAX     2
#define FEED_TEXT_MAX       512
#define FEED_CANCEL_KEEP_S  (14 * 86400) /* cancelled visits stay this long */
#define FEED_HISTORY_S      (35 * 86400) /* past visits kept in a feed */
#define FEED_TOKEN_PATH_MAX 80           /* "/ical/" + 64 hex + ".ics" */

enum feed_kind {
	FEED_CARER = 0,   /* one carer's own visits */
	FEED_RECIPIENT,   /* one person receiving care, for them and their family */
	FEED_COORDINATOR, /* every published visit */
};

enum feed_location {
	FEED_LOC_NONE = 0, /* no LOCATION */
	FEED_LOC_AREA,     /* the neighbourhood only (default) */
	FEED_LOC_ADDRESS,  /* the full address */
};

struct feed_settings {
	enum feed_location location; /* what LOCATION carries for carers/coordinators */
	bool include_tasks;          /* tasks (may hold health details) in DESCRIPTION */
	int refresh_minutes;         /* REFRESH-INTERVAL and X-PUBLISHED-TTL */
};

/* One visit as the feed builder sees it (strings borrowed). */
struct feed_visit {
	const char *recipient_name;              /* first name ("known as") */
	const char *area;                        /* may be "" */
	const char *address;                     /* may be "" */
	const char *tasks;                       /* may be "" */
	const char *carer_name[FEED_CARERS_MAX]; /* first names of assigned carers */
	int64_t carer_id[FEED_CARERS_MAX];       /* their person ids */
	unsigned ncarers;                        /* assigned, 0..carers_needed */
	int carers_needed;                       /* 1, or 2 for a double-up */
	bool cancelled;                          /* STATUS:CANCELLED */
};

/* The event text of one visit. */
struct feed_text {
	char summary[FEED_TEXT_MAX];
	char location[FEED_TEXT_MAX];    /* "" for no LOCATION */
	char description[FEED_TEXT_MAX]; /* "" for no DESCRIPTION */
};

/* Fills out with the summary, location and description of visit v in a
 * feed of the given kind; for FEED_CARER, self is the subscriber's person
 * id (the other carer of a double-up is named as the partner). Text longer
 * than FEED_TEXT_MAX is cut at a UTF-8 character boundary. */
void feed_visit_text(enum feed_kind kind, const struct feed_settings *s, const struct feed_visit *v,
		     int64_t self, struct feed_text *out);

/* The kind named by "carer", "recipient", "coordinator"; -1 if none. */
int feed_kind_parse(const char *s);
const char *feed_kind_name(enum feed_kind k);

/* The location setting named by "none", "area", "address"; -1 if none. */
int feed_location_parse(const char *s);
const char *feed_location_name(enum feed_location l);

/* The secret token of a feed path "/ical/<64 lower-case hex>.ics" into
 * token[65]. Returns 0, or -1 when path is not such a path. */
int feed_path_token(const char *path, char token[65]);

#endif
