/*
 * rota_db: one week's rota instance (shared/rota-instance.md) built from the
 * database: carers with their skills, contract, WTR maximum and dated
 * availability (the weekly pattern, less approved leave and sickness, plus
 * approved extra availability); recipients with location, team and
 * excluded carers; and the visits, either one per care plan line per day it
 * applies (a week not yet generated) or the rota week's own visits.
 *
 * Times are local wall-clock strings, as the format wants. A time that does
 * not exist (the spring-forward gap) is moved forward by the gap, as RFC
 * 5545 reads such times, so the instance is always valid.
 */
#include "rota_io/rota_db.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/care.h"
#include "core/text.h"
#include "core/week.h"
#include "db/db_care.h"
#include "db/db_coop.h"
#include "db/db_rota.h"
#include "tz/tz.h"

struct builder {
	struct db *db;
	char tzid[64];
	char week[11];
	enum rota_db_source source;
	int64_t week_id; /* ROTA_DB_VISITS: the rota week */
	json_t *carers, *recipients, *visits;
	json_t *carer_skills; /* set of skills some carer has: {code: true} */
	char err[256];
};

static int fail(struct builder *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct builder *x, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->err, sizeof x->err, fmt, ap);
	va_end(ap);
	return 1;
}

/* Moves a local minute of the week past a DST gap if it falls in one. */
static int64_t existing(const struct builder *x, int64_t offset)
{
	char s[17];
	int y, mo, d, hh, mi;
	int64_t utc;
	bool ok;

	week_format(x->week, offset, s);
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &hh, &mi) != 5 ||
	    tz_local_to_utc(x->tzid, y, mo, d, hh, mi, &utc) != 1)
		return offset;
	/* The gap's length is the jump in offset across it. */
	int after = tz_offset_at(x->tzid, utc, &ok);
	int before = tz_offset_at(x->tzid, utc - 86400, &ok);
	return offset + (after - before) / 60;
}

static json_t *local(const struct builder *x, int64_t offset)
{
	char s[17];

	week_format(x->week, existing(x, offset), s);
	return json_string(s);
}

struct carer_ctx {
	struct builder *x;
	struct week_range ranges[WEEK_RANGES_MAX];
	size_t n;
	int pass; /* 0: take away leave and sickness; 1: add extra */
};

static int apply_exception(const struct db_exception *e, void *arg)
{
	struct carer_ctx *c = arg;
	int64_t s, t;

	if (strcmp(e->status, "approved") != 0 || week_offset(c->x->week, e->start, &s) != 0 ||
	    week_offset(c->x->week, e->end, &t) != 0)
		return 0;
	if (c->pass == 0 && strcmp(e->kind, "extra") != 0)
		c->n = week_subtract(c->ranges, c->n, WEEK_RANGES_MAX, s, t);
	else if (c->pass == 1 && strcmp(e->kind, "extra") == 0)
		c->n = week_add(c->ranges, c->n, WEEK_RANGES_MAX, s, t);
	return 0;
}

static int add_carer(const struct db_carer *cr, void *arg)
{
	struct builder *x = arg;
	struct carer_ctx c = {.x = x};
	struct care_span spans[CARE_SPANS_MAX];
	size_t n = 0;
	char id[32];
	json_t *o, *skills = json_array(), *avail = json_array();

	if (db_availability_get(x->db, cr->person.id, spans, CARE_SPANS_MAX, &n) < 0)
		return fail(x, "cannot read the availability of %s", cr->person.full_name);
	c.n = week_expand(spans, n, c.ranges, WEEK_RANGES_MAX);
	/* Absences first, then extra availability on top (an extra shift
	 * inside a leave period stands). */
	for (c.pass = 0; c.pass < 2; c.pass++)
		if (db_exception_each(x->db, cr->person.id, apply_exception, &c) < 0)
			return fail(x, "cannot read the exceptions of %s", cr->person.full_name);
	for (size_t i = 0; i < c.n; i++)
		json_array_append_new(avail,
				      json_pack("{s:o, s:o}", "start", local(x, c.ranges[i].start),
						"end", local(x, c.ranges[i].end)));
	for (unsigned i = 0; i < cr->nskills; i++) {
		json_array_append_new(skills, json_string(cr->skills[i]));
		json_object_set_new(x->carer_skills, cr->skills[i], json_true());
	}
	snprintf(id, sizeof id, "c%lld", (long long)cr->person.id);
	o = json_pack("{s:s, s:o, s:i, s:i}", "id", id, "skills", skills, "contract_minutes",
		      cr->contract_minutes, "max_week_minutes", cr->max_week_minutes);
	if (cr->person.has_location)
		json_object_set_new(
			o, "home",
			json_pack("{s:f, s:f}", "lat", cr->person.lat, "lon", cr->person.lon));
	json_object_set_new(o, "available", avail);
	json_array_append_new(x->carers, o);
	return 0;
}

static int add_team_id(const struct db_team_member *m, void *arg)
{
	char id[32];

	snprintf(id, sizeof id, "c%lld", (long long)m->carer_id);
	return json_array_append_new(arg, json_string(id)) != 0;
}

struct plan_ctx {
	struct builder *x;
	const char *rid;
};

static int add_visits(const struct db_plan_line *l, void *arg)
{
	struct plan_ctx *p = arg;
	struct builder *x = p->x;

	for (int d = 0; d < 7; d++) {
		char id[48];
		json_t *skills;

		if (!week_plan_on(x->week, d, l->days, l->valid_from, l->valid_to))
			continue;
		skills = json_array();
		for (unsigned i = 0; i < l->nskills; i++) {
			if (json_object_get(x->carer_skills, l->skills[i]) == NULL) {
				json_decref(skills);
				return fail(
					x,
					"recipient %s: a visit needs skill %s, which no carer has",
					p->rid, l->skills[i]);
			}
			json_array_append_new(skills, json_string(l->skills[i]));
		}
		snprintf(id, sizeof id, "p%lld-%d", (long long)l->id, d + 1);
		json_array_append_new(
			x->visits,
			json_pack("{s:s, s:s, s:o, s:i, s:i, s:o}", "id", id, "recipient", p->rid,
				  "start", local(x, (int64_t)d * 1440 + l->start_min), "minutes",
				  l->minutes, "carers", l->carers, "skills", skills));
	}
	return 0;
}

static int add_week_visit(const struct db_visit *v, void *arg)
{
	struct plan_ctx *p = arg;
	struct builder *x = p->x;
	char id[32];
	int64_t off;
	json_t *skills = json_array();

	if (strcmp(v->status, "planned") != 0) {
		json_decref(skills);
		return 0;
	}
	for (char *s = (char *)v->skills, *comma; *s != '\0'; s = comma + 1) {
		char code[CARE_SKILL_CODE_MAX + 1];
		comma = strchr(s, ',');
		size_t len = comma != NULL ? (size_t)(comma - s) : strlen(s);
		if (len > CARE_SKILL_CODE_MAX)
			len = CARE_SKILL_CODE_MAX;
		memcpy(code, s, len);
		code[len] = '\0';
		if (json_object_get(x->carer_skills, code) == NULL) {
			json_decref(skills);
			return fail(x, "recipient %s: a visit needs skill %s, which no carer has",
				    p->rid, code);
		}
		json_array_append_new(skills, json_string(code));
		if (comma == NULL)
			break;
	}
	if (week_offset(x->week, v->local_start, &off) != 0) {
		json_decref(skills);
		return fail(x, "visit %lld: bad start %s", (long long)v->id, v->local_start);
	}
	snprintf(id, sizeof id, "v%lld", (long long)v->id);
	json_array_append_new(x->visits,
			      json_pack("{s:s, s:s, s:o, s:i, s:i, s:o}", "id", id, "recipient",
					p->rid, "start", local(x, off), "minutes", v->minutes,
					"carers", v->carers_needed, "skills", skills));
	return 0;
}

static int add_recipient(const struct db_recipient *r, void *arg)
{
	struct builder *x = arg;
	char id[32];
	json_t *team = json_array(), *excluded = json_array(), *o;
	struct plan_ctx p = {x, id};
	size_t before = json_array_size(x->visits);

	snprintf(id, sizeof id, "r%lld", (long long)r->person.id);
	if ((x->source == ROTA_DB_PLANS
		     ? db_plan_each(x->db, r->person.id, add_visits, &p)
		     : db_visit_each_of_recipient(x->db, x->week_id, r->person.id, add_week_visit,
						  &p)) < 0 ||
	    x->err[0] != '\0') {
		json_decref(team);
		json_decref(excluded);
		return x->err[0] != '\0' ? 1 : fail(x, "cannot read the plan of %s", id);
	}
	if (json_array_size(x->visits) == before) {
		json_decref(team);
		json_decref(excluded);
		return 0; /* no visits this week: not part of the problem */
	}
	if (!r->person.has_location) {
		json_decref(team);
		json_decref(excluded);
		return fail(x, "recipient %s (%s) has visits but no location (lat, lon)", id,
			    r->person.full_name);
	}
	if (db_team_each(x->db, r->person.id, false, add_team_id, team) < 0 ||
	    db_team_each(x->db, r->person.id, true, add_team_id, excluded) < 0) {
		json_decref(team);
		json_decref(excluded);
		return fail(x, "cannot read the team of %s", id);
	}
	o = json_pack("{s:s, s:{s:f, s:f}, s:o, s:o}", "id", id, "location", "lat", r->person.lat,
		      "lon", r->person.lon, "team", team, "excluded", excluded);
	json_array_append_new(x->recipients, o);
	return 0;
}

json_t *rota_db_instance(struct db *db, const char *week, enum rota_db_source source,
			 int64_t week_id, char *err, size_t errlen)
{
	struct builder x;
	json_t *doc = NULL;

	memset(&x, 0, sizeof x);
	x.db = db;
	x.source = source;
	x.week_id = week_id;
	text_copy(x.week, sizeof x.week, week);
	if (db_coop_timezone(db, x.tzid, sizeof x.tzid) <= 0)
		text_copy(x.tzid, sizeof x.tzid, "Europe/London");
	if (tz_load(x.tzid) != 0) {
		snprintf(err, errlen, "unknown time zone %s", x.tzid);
		return NULL;
	}
	x.carers = json_array();
	x.recipients = json_array();
	x.visits = json_array();
	x.carer_skills = json_object();
	if (db_carer_each(db, "", add_carer, &x) < 0 || x.err[0] != '\0' ||
	    db_recipient_each(db, "", 0, add_recipient, &x) < 0 || x.err[0] != '\0') {
		snprintf(err, errlen, "%s", x.err[0] != '\0' ? x.err : db_errmsg(db));
		goto out;
	}
	doc = json_pack("{s:s, s:s, s:s, s:{s:i, s:i, s:i, s:f}, s:{s:i, s:i, s:i, s:i, s:i},"
			" s:O, s:O, s:O}",
			"format", "carecoop-rota/1", "timezone", x.tzid, "week_start", x.week,
			"rules", "max_week_minutes", CARE_WTR_MAX_WEEK_MINUTES, "min_rest_minutes",
			ROTA_DB_MIN_REST, "speed_kmh", 25, "road_factor", 1.3, "weights",
			"uncovered", 10000, "distinct", 500, "off_team", 50, "travel_minute", 2,
			"contract_minute", 1, "carers", x.carers, "recipients", x.recipients,
			"visits", x.visits);
	if (doc == NULL)
		snprintf(err, errlen, "out of memory");
out:
	json_decref(x.carers);
	json_decref(x.recipients);
	json_decref(x.visits);
	json_decref(x.carer_skills);
	return doc;
}

int rota_db_local_to_utc(struct db *db, const char *local, int64_t *utc)
{
	char tzid[64];
	int y, mo, d, hh, mi;

	if (db_coop_timezone(db, tzid, sizeof tzid) <= 0)
		text_copy(tzid, sizeof tzid, "Europe/London");
	if (!care_datetime_valid(local) ||
	    sscanf(local, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &hh, &mi) != 5)
		return -1;
	return tz_local_to_utc(tzid, y, mo, d, hh, mi, utc) < 0 ? -1 : 0;
}
