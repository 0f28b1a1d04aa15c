/*
 * feed: the words of a calendar event for each kind of subscriber. See
 * feed.h. Knows nothing of iCalendar syntax or of the database.
 */
#include "core/feed.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Appends printf-style text to buf (cap bytes) and cuts an overlong result
 * back to a whole UTF-8 character. */
static void append(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t cap, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;
	int n;

	if (len + 1 >= cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + len, cap - len, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= cap - len) {
		size_t end = cap - 1;

		/* Step back over continuation bytes (10xxxxxx) to a lead byte and
		 * drop that whole character. */
		while (end > 0 && ((unsigned char)buf[end] & 0xC0) == 0x80)
			end--;
		buf[end] = '\0';
	}
}

static bool present(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* "Amira", "Amira and Ben", or a note that the place is still open. */
static void carers_phrase(const struct feed_visit *v, char *buf, size_t cap)
{
	buf[0] = '\0';
	for (unsigned i = 0; i < v->ncarers && i < FEED_CARERS_MAX; i++)
		append(buf, cap, "%s%s", i == 0 ? "" : " and ", v->carer_name[i]);
	if (v->ncarers == 0)
		append(buf, cap, "carer to be confirmed");
	else if ((int)v->ncarers < v->carers_needed)
		append(buf, cap, " (second carer to be confirmed)");
}

static void place(const struct feed_settings *s, const struct feed_visit *v, char *buf, size_t cap)
{
	buf[0] = '\0';
	if (s->location == FEED_LOC_ADDRESS && present(v->address))
		append(buf, cap, "%s", v->address);
	else if (s->location != FEED_LOC_NONE && present(v->area))
		append(buf, cap, "%s", v->area);
}

void feed_visit_text(enum feed_kind kind, const struct feed_settings *s, const struct feed_visit *v,
		     int64_t self, struct feed_text *out)
{
	char who[FEED_TEXT_MAX];

	out->summary[0] = out->location[0] = out->description[0] = '\0';
	carers_phrase(v, who, sizeof who);
	switch (kind) {
	case FEED_CARER:
		append(out->summary, sizeof out->summary, "Visit: %s", v->recipient_name);
		place(s, v, out->location, sizeof out->location);
		for (unsigned i = 0; i < v->ncarers && i < FEED_CARERS_MAX; i++)
			if (v->carer_id[i] != self)
				append(out->description, sizeof out->description,
				       "Double-up visit with %s.", v->carer_name[i]);
		if (v->carers_needed > 1 && v->ncarers < 2)
			append(out->description, sizeof out->description,
			       "Double-up visit: second carer to be confirmed.");
		break;
	case FEED_RECIPIENT:
		/* The family sees when and who; the place is the person's home. */
		append(out->summary, sizeof out->summary, "Care visit: %s", who);
		break;
	case FEED_COORDINATOR:
		append(out->summary, sizeof out->summary, "%s: %s", v->recipient_name, who);
		place(s, v, out->location, sizeof out->location);
		break;
	}
	if (s->include_tasks && kind != FEED_RECIPIENT && present(v->tasks))
		append(out->description, sizeof out->description, "%sTasks: %s",
		       out->description[0] != '\0' ? "\n" : "", v->tasks);
	if (v->cancelled)
		append(out->summary, sizeof out->summary, " (cancelled)");
}

static const char *const kind_names[] = {"carer", "recipient", "coordinator"};
static const char *const location_names[] = {"none", "area", "address"};

int feed_kind_parse(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (s != NULL && strcmp(s, kind_names[i]) == 0)
			return i;
	return -1;
}

const char *feed_kind_name(enum feed_kind k)
{
	return (unsigned)k < 3 ? kind_names[k] : "?";
}

int feed_location_parse(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (s != NULL && strcmp(s, location_names[i]) == 0)
			return i;
	return -1;
}

const char *feed_location_name(enum feed_location l)
{
	return (unsigned)l < 3 ? location_names[l] : "?";
}

int feed_path_token(const char *path, char token[65])
{
	static const char prefix[] = "/ical/", suffix[] = ".ics";
	size_t plen = sizeof prefix - 1;

	if (strncmp(path, prefix, plen) != 0 || strlen(path) != plen + 64 + sizeof suffix - 1 ||
	    strcmp(path + plen + 64, suffix) != 0)
		return -1;
	for (size_t i = 0; i < 64; i++) {
		char c = path[plen + i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return -1;
		token[i] = c;
	}
	token[64] = '\0';
	return 0;
}
