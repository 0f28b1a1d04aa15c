/*
 * rota_json: the rota instance and solution files over jansson, local times
 * over libical (see rota_json.h). Depends on core/rota.h, jansson, libical
 * and stdio; core depends on none of these.
 */
#include "rota_io/rota_json.h"

#include <errno.h>
#include <jansson.h>
#include <libical/ical.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TZ_NAME_MAX 64

static void fail(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void fail(char *err, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, n, fmt, ap);
	va_end(ap);
}

/* --- files ------------------------------------------------------------------ */

/* Reads a whole file of at most ROTA_JSON_MAX_BYTES into a new buffer
 * (caller frees). Returns NULL with a message in err. */
static char *read_file(const char *path, size_t *len, char *err, size_t n)
{
	FILE *f = NULL;
	char *buf = NULL, *res = NULL;
	struct stat st;
	size_t got = 0;

	f = fopen(path, "rb");
	if (f == NULL) {
		fail(err, n, "cannot open %s: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fail(err, n, "%s: not a regular file", path);
		goto out;
	}
	if ((unsigned long long)st.st_size > ROTA_JSON_MAX_BYTES) {
		fail(err, n, "%s: larger than %u bytes", path, ROTA_JSON_MAX_BYTES);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		fail(err, n, "%s: out of memory", path);
		goto out;
	}
	got = fread(buf, 1, (size_t)st.st_size, f);
	if (got != (size_t)st.st_size || ferror(f)) {
		fail(err, n, "cannot read %s", path);
		goto out;
	}
	buf[got] = '\0';
	*len = got;
	res = buf;
	buf = NULL;
out:
	if (f != NULL)
		fclose(f);
	free(buf);
	return res;
}

/* --- local time ------------------------------------------------------------ */

struct local_time {
	int year, month, day, hour, minute;
};

/* Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant). */
static long long days_from_civil(int y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static bool digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static bool parse_date(const char *s, struct local_time *t)
{
	return strlen(s) >= 10 && digits(s, 4, &t->year) && s[4] == '-' &&
	       digits(s + 5, 2, &t->month) && s[7] == '-' && digits(s + 8, 2, &t->day) &&
	       t->year >= 1971 && t->year <= 2999 && t->month >= 1 && t->month <= 12 &&
	       t->day >= 1 && t->day <= days_in_month(t->year, t->month);
}

/* "YYYY-MM-DDTHH:MM", optionally ":00" seconds: ISO 8601 without offset. */
static bool parse_local(const char *s, struct local_time *t)
{
	size_t n = strlen(s);
	int sec = 0;

	if (n != 16 && n != 19)
		return false;
	if (!parse_date(s, t) || s[10] != 'T' || !digits(s + 11, 2, &t->hour) || s[13] != ':' ||
	    !digits(s + 14, 2, &t->minute) || t->hour > 23 || t->minute > 59)
		return false;
	if (n == 19 && (s[16] != ':' || !digits(s + 17, 2, &sec) || sec != 0))
		return false;
	return true;
}

/* Seconds to add to UTC to get local time, at UTC instant t. */
static int offset_at(icaltimezone *zone, long long t)
{
	struct icaltimetype tt =
		icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
	int dst = 0;

	return icaltimezone_get_utc_offset_of_utc_time(zone, &tt, &dst);
}

/* The UTC minute of a local time in zone: of the offsets in force a day
 * either side, those that map back to this local time; the earliest wins
 * (autumn: first occurrence). None: the time falls in a spring gap. */
static bool local_to_utc(icaltimezone *zone, const struct local_time *t, int32_t *minutes)
{
	long long naive = days_from_civil(t->year, t->month, t->day) * 86400LL + t->hour * 3600LL +
			  t->minute * 60LL;
	int offs[3];
	bool found = false;
	long long best = 0;

	offs[0] = offset_at(zone, naive - 86400);
	offs[1] = offset_at(zone, naive);
	offs[2] = offset_at(zone, naive + 86400);
	for (int i = 0; i < 3; i++) {
		long long u = naive - offs[i];

		if (offset_at(zone, u) == offs[i] && (!found || u < best)) {
			best = u;
			found = true;
		}
	}
	if (!found || best % 60 != 0 || best / 60 > INT32_MAX - 2 * 1440 || best < 0)
		return false;
	*minutes = (int32_t)(best / 60);
	return true;
}

/* --- reading helpers -------------------------------------------------------- */

struct reader {
	struct rota_instance *in;
	icaltimezone *zone;
	long long week_day0; /* days_from_civil(week_start) */
	char *err;
	size_t n;
	const char *tz;
};

struct id_index {
	const char *id;
	uint32_t index;
};

static int id_index_cmp(const void *a, const void *b)
{
	const struct id_index *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c != 0 ? c : (x->index > y->index) - (x->index < y->index);
}

static uint32_t id_find(const struct id_index *ix, size_t n, const char *id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ix[mid].id, id);

		if (c == 0)
			return ix[mid].index;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return UINT32_MAX;
}

/* Ids: 1..ROTA_ID_MAX of [A-Za-z0-9_.:@-], so that `check` output (ids
 * separated by spaces and commas) stays unambiguous. */
static bool id_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > ROTA_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || strchr("_.:@-", ch) != NULL))
			return false;
	}
	return true;
}

/* Refuses keys of obj other than those listed (NULL-terminated); what = the
 * object's name for the message. */
static bool only_keys(struct reader *r, json_t *obj, const char *what, const char *const *keys)
{
	const char *key;
	json_t *val;

	json_object_foreach (obj, key, val) {
		bool known = false;

		(void)val;
		for (size_t i = 0; keys[i] != NULL && !known; i++)
			known = strcmp(keys[i], key) == 0;
		if (!known) {
			fail(r->err, r->n, "%s: unknown field \"%.64s\"", what, key);
			return false;
		}
	}
	return true;
}

static bool get_int(struct reader *r, json_t *obj, const char *what, const char *key, long long min,
		    long long max, bool required, int32_t *out)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		if (required)
			fail(r->err, r->n, "%s: %s is missing", what, key);
		return !required;
	}
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		fail(r->err, r->n, "%s: %s must be a whole number from %lld to %lld", what, key,
		     min, max);
		return false;
	}
	*out = (int32_t)json_integer_value(v);
	return true;
}

static bool get_int64(struct reader *r, json_t *obj, const char *what, const char *key,
		      long long max, int64_t *out)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL || !json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > max) {
		fail(r->err, r->n, "%s: %s must be a whole number from 0 to %lld", what, key, max);
		return false;
	}
	*out = json_integer_value(v);
	return true;
}

static bool get_real(struct reader *r, json_t *obj, const char *what, const char *key, double *out)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL || !json_is_number(v)) {
		fail(r->err, r->n, "%s: %s must be a number", what, key);
		return false;
	}
	*out = json_number_value(v);
	return true;
}

static const char *get_string(struct reader *r, json_t *obj, const char *what, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL || !json_is_string(v)) {
		fail(r->err, r->n, "%s: %s must be a string", what, key);
		return NULL;
	}
	return json_string_value(v);
}

/* An optional array (absent = empty) of at most max entries. */
static bool get_array(struct reader *r, json_t *obj, const char *what, const char *key, size_t max,
		      json_t **out)
{
	json_t *v = json_object_get(obj, key);

	*out = v;
	if (v == NULL)
		return true;
	if (!json_is_array(v)) {
		fail(r->err, r->n, "%s: %s must be an array", what, key);
		return false;
	}
	if (json_array_size(v) > max) {
		fail(r->err, r->n, "%s: %s has more than %zu entries", what, key, max);
		return false;
	}
	return true;
}

static bool get_location(struct reader *r, json_t *obj, const char *what, const char *key,
			 struct rota_location *out)
{
	static const char *const keys[] = {"lat", "lon", NULL};
	json_t *v = json_object_get(obj, key);
	char name[ROTA_ID_MAX + 32];

	snprintf(name, sizeof name, "%s %s", what, key);
	if (v == NULL || !json_is_object(v)) {
		fail(r->err, r->n, "%s: %s must be an object with lat and lon", what, key);
		return false;
	}
	if (!only_keys(r, v, name, keys) || !get_real(r, v, name, "lat", &out->lat) ||
	    !get_real(r, v, name, "lon", &out->lon))
		return false;
	if (!(out->lat >= -90.0 && out->lat <= 90.0 && out->lon >= -180.0 && out->lon <= 180.0)) {
		fail(r->err, r->n, "%s: %s is not a valid lat/lon", what, key);
		return false;
	}
	return true;
}

/* A local time field of obj as UTC minutes (and its local day from
 * week_start into *day when day is not NULL). */
static bool get_time(struct reader *r, json_t *obj, const char *what, const char *key, int32_t *out,
		     long long *day)
{
	const char *s = get_string(r, obj, what, key);
	struct local_time t;

	if (s == NULL)
		return false;
	if (!parse_local(s, &t)) {
		fail(r->err, r->n, "%s: %s \"%.32s\" is not a local time YYYY-MM-DDTHH:MM", what,
		     key, s);
		return false;
	}
	if (!local_to_utc(r->zone, &t, out)) {
		fail(r->err, r->n, "%s: %s %.32s does not exist in %s (the clocks go forward)",
		     what, key, s, r->tz);
		return false;
	}
	if (day != NULL)
		*day = days_from_civil(t.year, t.month, t.day) - r->week_day0;
	return true;
}

static bool get_id(struct reader *r, json_t *obj, const char *kind, size_t i, char *out)
{
	json_t *v = json_object_get(obj, "id");

	if (v == NULL || !json_is_string(v) || !id_valid(json_string_value(v))) {
		fail(r->err, r->n, "%s[%zu]: id must be 1..%d of A-Z a-z 0-9 _ . : @ -", kind, i,
		     ROTA_ID_MAX);
		return false;
	}
	memcpy(out, json_string_value(v), strlen(json_string_value(v)) + 1);
	return true;
}

/* The bit of a skill, registering it (carers) or requiring it (visits). */
static bool skill_bits(struct reader *r, json_t *arr, const char *what, bool add, uint64_t *out)
{
	struct rota_instance *in = r->in;
	size_t i;
	json_t *v;

	*out = 0;
	json_array_foreach (arr, i, v) {
		const char *s = json_is_string(v) ? json_string_value(v) : NULL;
		size_t k;

		if (s == NULL || !id_valid(s)) {
			fail(r->err, r->n, "%s: skills[%zu] must be 1..%d of A-Z a-z 0-9 _ . : @ -",
			     what, i, ROTA_ID_MAX);
			return false;
		}
		for (k = 0; k < in->n_skills && strcmp(in->skill[k], s) != 0; k++)
			;
		if (k == in->n_skills) {
			if (!add) {
				fail(r->err, r->n, "%s: skill %s does not exist (no carer has it)",
				     what, s);
				return false;
			}
			if (in->n_skills == ROTA_SKILLS_MAX) {
				fail(r->err, r->n, "%s: more than %d distinct skills", what,
				     ROTA_SKILLS_MAX);
				return false;
			}
			memcpy(in->skill[in->n_skills++], s, strlen(s) + 1);
		}
		*out |= UINT64_C(1) << k;
	}
	return true;
}

static struct id_index *index_ids(const char *base, size_t stride, size_t n)
{
	struct id_index *ix = malloc((n + 1) * sizeof *ix);

	if (ix == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		ix[i] = (struct id_index){base + i * stride, (uint32_t)i};
	qsort(ix, n, sizeof *ix, id_index_cmp);
	return ix;
}

/* Returns the first duplicated id of a sorted index, or NULL. */
static const char *index_duplicate(const struct id_index *ix, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (strcmp(ix[i - 1].id, ix[i].id) == 0)
			return ix[i].id;
	return NULL;
}

/* --- the instance ---------------------------------------------------------- */

static bool read_rules(struct reader *r, json_t *root)
{
	static const char *const rkeys[] = {"max_week_minutes", "min_rest_minutes", "speed_kmh",
					    "road_factor", NULL};
	static const char *const wkeys[] = {"uncovered",     "distinct",        "off_team",
					    "travel_minute", "contract_minute", NULL};
	json_t *rules = json_object_get(root, "rules");
	json_t *w = json_object_get(root, "weights");
	struct rota_rules *ru = &r->in->rules;

	if (!json_is_object(rules) || !json_is_object(w)) {
		fail(r->err, r->n, "instance: rules and weights must be objects");
		return false;
	}
	if (!only_keys(r, rules, "rules", rkeys) ||
	    !get_int(r, rules, "rules", "max_week_minutes", 1, 7 * 1440, true,
		     &ru->max_week_minutes) ||
	    !get_int(r, rules, "rules", "min_rest_minutes", 0, 1440, true, &ru->min_rest_minutes) ||
	    !get_real(r, rules, "rules", "speed_kmh", &ru->speed_kmh) ||
	    !get_real(r, rules, "rules", "road_factor", &ru->road_factor))
		return false;
	if (!(ru->speed_kmh > 0.0 && ru->speed_kmh <= 1000.0)) {
		fail(r->err, r->n, "rules: speed_kmh must be > 0 and at most 1000");
		return false;
	}
	if (!(ru->road_factor > 0.0 && ru->road_factor <= 10.0)) {
		fail(r->err, r->n, "rules: road_factor must be > 0 and at most 10");
		return false;
	}
	if (!only_keys(r, w, "weights", wkeys))
		return false;
	for (int t = 0; t < ROTA_TERMS; t++)
		if (!get_int64(r, w, "weights", rota_term_name(t), ROTA_WEIGHT_MAX,
			       &r->in->weight[t]))
			return false;
	return true;
}

static bool read_carer(struct reader *r, json_t *o, size_t i)
{
	static const char *const keys[] = {
		"id", "skills", "contract_minutes", "max_week_minutes", "home", "available", NULL};
	struct rota_carer *c = &r->in->carers[i];
	char what[ROTA_ID_MAX + 16];
	json_t *arr, *sp;
	size_t k;

	if (!json_is_object(o)) {
		fail(r->err, r->n, "carers[%zu]: must be an object", i);
		return false;
	}
	if (!get_id(r, o, "carers", i, c->id))
		return false;
	snprintf(what, sizeof what, "carer %s", c->id);
	c->max_week_minutes = r->in->rules.max_week_minutes;
	if (!only_keys(r, o, what, keys) || !get_array(r, o, what, "skills", 256, &arr) ||
	    (arr != NULL && !skill_bits(r, arr, what, true, &c->skills)) ||
	    !get_int(r, o, what, "contract_minutes", 0, 7 * 1440, true, &c->contract_minutes) ||
	    !get_int(r, o, what, "max_week_minutes", 0, 7 * 1440, false, &c->max_week_minutes) ||
	    !get_location(r, o, what, "home", &c->home) ||
	    !get_array(r, o, what, "available", ROTA_SPANS_MAX, &arr))
		return false;
	if (arr == NULL || json_array_size(arr) == 0)
		return true;
	c->available = calloc(json_array_size(arr), sizeof *c->available);
	if (c->available == NULL) {
		fail(r->err, r->n, "%s: out of memory", what);
		return false;
	}
	json_array_foreach (arr, k, sp) {
		static const char *const skeys[] = {"start", "end", NULL};
		char name[ROTA_ID_MAX + 64];
		struct rota_span *s = &c->available[k];

		snprintf(name, sizeof name, "%s available[%zu]", what, k);
		if (!json_is_object(sp)) {
			fail(r->err, r->n, "%s: must be an object with start and end", name);
			return false;
		}
		if (!only_keys(r, sp, name, skeys) ||
		    !get_time(r, sp, name, "start", &s->start, NULL) ||
		    !get_time(r, sp, name, "end", &s->end, NULL))
			return false;
		if (s->end <= s->start) {
			fail(r->err, r->n, "%s: end must be after start", name);
			return false;
		}
		c->n_available = k + 1;
	}
	return true;
}

/* A list of carer ids into indices (team or excluded). */
static bool read_carer_list(struct reader *r, json_t *o, const char *what, const char *key,
			    const char *noun, const struct id_index *cix, uint32_t **out,
			    size_t *n_out)
{
	json_t *arr, *v;
	size_t k;

	if (!get_array(r, o, what, key, ROTA_CARERS_MAX, &arr))
		return false;
	if (arr == NULL || json_array_size(arr) == 0)
		return true;
	*out = calloc(json_array_size(arr), sizeof **out);
	if (*out == NULL) {
		fail(r->err, r->n, "%s: out of memory", what);
		return false;
	}
	json_array_foreach (arr, k, v) {
		const char *id = json_is_string(v) ? json_string_value(v) : NULL;
		uint32_t c = id != NULL ? id_find(cix, r->in->n_carers, id) : UINT32_MAX;

		if (id == NULL) {
			fail(r->err, r->n, "%s: %s[%zu] must be a carer id", what, key, k);
			return false;
		}
		if (c == UINT32_MAX) {
			fail(r->err, r->n, "%s: %s %.64s does not exist", what, noun, id);
			return false;
		}
		for (size_t j = 0; j < k; j++)
			if ((*out)[j] == c) {
				fail(r->err, r->n, "%s: %s %s is listed twice", what, noun, id);
				return false;
			}
		(*out)[k] = c;
		*n_out = k + 1;
	}
	return true;
}

static bool read_recipient(struct reader *r, json_t *o, size_t i, const struct id_index *cix)
{
	static const char *const keys[] = {"id", "location", "team", "excluded", NULL};
	struct rota_recipient *p = &r->in->recipients[i];
	char what[ROTA_ID_MAX + 16];

	if (!json_is_object(o)) {
		fail(r->err, r->n, "recipients[%zu]: must be an object", i);
		return false;
	}
	if (!get_id(r, o, "recipients", i, p->id))
		return false;
	snprintf(what, sizeof what, "recipient %s", p->id);
	if (!only_keys(r, o, what, keys) || !get_location(r, o, what, "location", &p->location) ||
	    !read_carer_list(r, o, what, "team", "team member", cix, &p->team, &p->n_team) ||
	    !read_carer_list(r, o, what, "excluded", "excluded carer", cix, &p->excluded,
			     &p->n_excluded))
		return false;
	for (size_t a = 0; a < p->n_team; a++)
		for (size_t b = 0; b < p->n_excluded; b++)
			if (p->team[a] == p->excluded[b]) {
				fail(r->err, r->n, "%s: carer %s is both in the team and excluded",
				     what, r->in->carers[p->team[a]].id);
				return false;
			}
	return true;
}

static bool read_visit(struct reader *r, json_t *o, size_t i, const struct id_index *rix)
{
	static const char *const keys[] = {"id",     "recipient", "start", "minutes",
					   "carers", "skills",    NULL};
	struct rota_visit *v = &r->in->visits[i];
	char what[ROTA_ID_MAX + 16];
	const char *rid;
	long long day = 0;
	int32_t need = 0;
	json_t *arr;

	if (!json_is_object(o)) {
		fail(r->err, r->n, "visits[%zu]: must be an object", i);
		return false;
	}
	if (!get_id(r, o, "visits", i, v->id))
		return false;
	snprintf(what, sizeof what, "visit %s", v->id);
	if (!only_keys(r, o, what, keys) || (rid = get_string(r, o, what, "recipient")) == NULL)
		return false;
	v->recipient = id_find(rix, r->in->n_recipients, rid);
	if (v->recipient == UINT32_MAX) {
		fail(r->err, r->n, "%s: recipient %.64s does not exist", what, rid);
		return false;
	}
	if (!get_time(r, o, what, "start", &v->start, &day))
		return false;
	if (day < 0 || day >= ROTA_DAYS) {
		fail(r->err, r->n, "%s: start is outside the 7 days from week_start", what);
		return false;
	}
	v->day = (int32_t)day;
	if (!get_int(r, o, what, "minutes", 1, ROTA_VISIT_MINUTES, true, &v->minutes) ||
	    !get_int(r, o, what, "carers", 1, ROTA_VISIT_CARERS, true, &need) ||
	    !get_array(r, o, what, "skills", 256, &arr) ||
	    (arr != NULL && !skill_bits(r, arr, what, false, &v->skills)))
		return false;
	v->carers = (uint32_t)need;
	return true;
}

static bool top_array(struct reader *r, json_t *root, const char *key, size_t max, json_t **out)
{
	*out = json_object_get(root, key);
	if (*out == NULL || !json_is_array(*out)) {
		fail(r->err, r->n, "instance: %s must be an array", key);
		return false;
	}
	if (json_array_size(*out) > max) {
		fail(r->err, r->n, "instance: more than %zu %s", max, key);
		return false;
	}
	return true;
}

struct rota_instance *rota_json_parse_instance(const char *text, size_t len, char *err, size_t n)
{
	struct reader r = {.err = err, .n = n};
	struct rota_instance *res = NULL;
	struct id_index *cix = NULL, *rix = NULL, *vix = NULL;
	json_t *root = NULL, *carers, *recips, *visits, *o;
	json_error_t jerr;
	struct local_time ws;
	const char *fmt, *tz, *week, *dup;
	size_t i;

	fail(err, n, "invalid instance");
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		fail(err, n, "instance: JSON error at line %d column %d: %s", jerr.line,
		     jerr.column, jerr.text);
		goto out;
	}
	if (!json_is_object(root)) {
		fail(err, n, "instance: must be a JSON object");
		goto out;
	}
	fmt = get_string(&r, root, "instance", "format");
	if (fmt == NULL || strcmp(fmt, ROTA_JSON_FORMAT) != 0) {
		fail(err, n, "instance: format must be \"%s\"", ROTA_JSON_FORMAT);
		goto out;
	}
	tz = get_string(&r, root, "instance", "timezone");
	if (tz == NULL)
		goto out;
	if (strlen(tz) > TZ_NAME_MAX || (r.zone = icaltimezone_get_builtin_timezone(tz)) == NULL) {
		fail(err, n, "instance: timezone \"%.64s\" is not a known IANA time zone", tz);
		goto out;
	}
	r.tz = tz;
	week = get_string(&r, root, "instance", "week_start");
	if (week == NULL)
		goto out;
	if (strlen(week) != 10 || !parse_date(week, &ws)) {
		fail(err, n, "instance: week_start \"%.32s\" is not a date YYYY-MM-DD", week);
		goto out;
	}
	r.week_day0 = days_from_civil(ws.year, ws.month, ws.day);
	if (!top_array(&r, root, "carers", ROTA_CARERS_MAX, &carers) ||
	    !top_array(&r, root, "recipients", ROTA_RECIPIENTS_MAX, &recips) ||
	    !top_array(&r, root, "visits", ROTA_VISITS_MAX, &visits))
		goto out;
	r.in = rota_instance_new(json_array_size(carers), json_array_size(recips),
				 json_array_size(visits));
	if (r.in == NULL) {
		fail(err, n, "instance: out of memory");
		goto out;
	}
	if (!read_rules(&r, root))
		goto out;

	json_array_foreach (carers, i, o) {
		if (!read_carer(&r, o, i))
			goto out;
	}
	cix = index_ids(r.in->carers[0].id, sizeof r.in->carers[0], r.in->n_carers);
	if (cix == NULL)
		goto out;
	if ((dup = index_duplicate(cix, r.in->n_carers)) != NULL) {
		fail(err, n, "carer %s: duplicate id", dup);
		goto out;
	}
	json_array_foreach (recips, i, o) {
		if (!read_recipient(&r, o, i, cix))
			goto out;
	}
	rix = index_ids(r.in->recipients[0].id, sizeof r.in->recipients[0], r.in->n_recipients);
	if (rix == NULL)
		goto out;
	if ((dup = index_duplicate(rix, r.in->n_recipients)) != NULL) {
		fail(err, n, "recipient %s: duplicate id", dup);
		goto out;
	}
	json_array_foreach (visits, i, o) {
		if (!read_visit(&r, o, i, rix))
			goto out;
	}
	vix = index_ids(r.in->visits[0].id, sizeof r.in->visits[0], r.in->n_visits);
	if (vix == NULL)
		goto out;
	if ((dup = index_duplicate(vix, r.in->n_visits)) != NULL) {
		fail(err, n, "visit %s: duplicate id", dup);
		goto out;
	}
	/* the core's own check: ranges and cross-references once more */
	if (rota_instance_validate(r.in, err, n) != ROTA_OK)
		goto out;
	res = r.in;
	r.in = NULL;
out:
	rota_instance_free(r.in);
	free(cix);
	free(rix);
	free(vix);
	json_decref(root);
	return res;
}

struct rota_instance *rota_json_read_instance(const char *path, char *err, size_t n)
{
	size_t len = 0;
	char *text = read_file(path, &len, err, n);
	struct rota_instance *in;

	if (text == NULL)
		return NULL;
	in = rota_json_parse_instance(text, len, err, n);
	free(text);
	return in;
}

/* --- the solution ---------------------------------------------------------- */

struct rota_solution *rota_json_parse_solution(const char *text, size_t len,
					       const struct rota_instance *in, char *err, size_t n)
{
	struct rota_solution *sol = NULL, *res = NULL;
	struct id_index *cix = NULL, *vix = NULL;
	bool *seen = NULL;
	json_t *root = NULL, *arr, *a;
	json_error_t jerr;
	const char *fmt;
	size_t i;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		fail(err, n, "solution: JSON error at line %d column %d: %s", jerr.line,
		     jerr.column, jerr.text);
		goto out;
	}
	fmt = json_string_value(json_object_get(root, "format"));
	if (!json_is_object(root) || fmt == NULL || strcmp(fmt, ROTA_JSON_FORMAT) != 0) {
		fail(err, n, "solution: format must be \"%s\"", ROTA_JSON_FORMAT);
		goto out;
	}
	arr = json_object_get(root, "assignments");
	if (!json_is_array(arr) || json_array_size(arr) > ROTA_VISITS_MAX) {
		fail(err, n, "solution: assignments must be an array of at most %d entries",
		     ROTA_VISITS_MAX);
		goto out;
	}
	sol = rota_solution_new(in->n_visits);
	seen = calloc(in->n_visits + 1, sizeof *seen);
	cix = index_ids(in->carers[0].id, sizeof in->carers[0], in->n_carers);
	vix = index_ids(in->visits[0].id, sizeof in->visits[0], in->n_visits);
	if (sol == NULL || seen == NULL || cix == NULL || vix == NULL) {
		fail(err, n, "solution: out of memory");
		goto out;
	}
	json_array_foreach (arr, i, a) {
		const char *vid = json_string_value(json_object_get(a, "visit"));
		json_t *cs = json_object_get(a, "carers"), *c;
		uint32_t v;
		size_t k;

		if (!json_is_object(a) || vid == NULL) {
			fail(err, n, "assignments[%zu]: must be an object with a visit id", i);
			goto out;
		}
		v = id_find(vix, in->n_visits, vid);
		if (v == UINT32_MAX) {
			fail(err, n, "assignments[%zu]: visit %.64s does not exist", i, vid);
			goto out;
		}
		if (seen[v]) {
			fail(err, n, "assignment for visit %s: the visit is listed twice", vid);
			goto out;
		}
		seen[v] = true;
		if (!json_is_array(cs) || json_array_size(cs) > ROTA_LISTED_MAX) {
			fail(err, n,
			     "assignment for visit %s: carers must be an array of at most %d", vid,
			     ROTA_LISTED_MAX);
			goto out;
		}
		json_array_foreach (cs, k, c) {
			const char *cid = json_string_value(c);
			uint32_t ci = cid != NULL ? id_find(cix, in->n_carers, cid) : UINT32_MAX;

			if (ci == UINT32_MAX) {
				fail(err, n, "assignment for visit %s: carer %.64s does not exist",
				     vid, cid != NULL ? cid : "(not a string)");
				goto out;
			}
			sol->visit[v].carer[sol->visit[v].n++] = ci;
		}
	}
	res = sol;
	sol = NULL;
out:
	rota_solution_free(sol);
	free(seen);
	free(cix);
	free(vix);
	json_decref(root);
	return res;
}

struct rota_solution *rota_json_read_solution(const char *path, const struct rota_instance *in,
					      char *err, size_t n)
{
	size_t len = 0;
	char *text = read_file(path, &len, err, n);
	struct rota_solution *sol;

	if (text == NULL)
		return NULL;
	sol = rota_json_parse_solution(text, len, in, err, n);
	free(text);
	return sol;
}

/* Writes root to path. A regular file (or a new one) is replaced whole:
 * written to a unique temporary file beside it, then renamed over it, so a
 * reader never sees half a rota. Anything else that exists (/dev/stdout, a
 * pipe, /dev/null) is written in place: renaming over it would replace the
 * device or pipe with a file. */
static int dump(json_t *root, const char *path, char *err, size_t n)
{
	char tmp[PATH_MAX];
	struct stat st;
	FILE *f = NULL;
	int fd = -1, rc = -1;
	bool created = false;
	bool in_place = stat(path, &st) == 0 && !S_ISREG(st.st_mode);

	if (in_place) {
		f = fopen(path, "w");
		if (f == NULL) {
			fail(err, n, "cannot write %s: %s", path, strerror(errno));
			goto out;
		}
	} else {
		if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp) {
			fail(err, n, "%s: path too long", path);
			goto out;
		}
		fd = mkstemp(tmp);
		created = fd >= 0;
		if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
			fail(err, n, "cannot create a file beside %s: %s", path, strerror(errno));
			goto out;
		}
		fd = -1; /* now f's */
	}
	if (json_dumpf(root, f, JSON_INDENT(1)) != 0 || fputc('\n', f) == EOF) {
		fail(err, n, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	if (fclose(f) != 0) {
		f = NULL;
		fail(err, n, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	f = NULL;
	if (!in_place && rename(tmp, path) != 0) {
		fail(err, n, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (f != NULL)
		fclose(f);
	if (fd >= 0)
		close(fd);
	if (rc != 0 && created)
		remove(tmp);
	return rc;
}

int rota_json_write_solution(const char *path, const struct rota_instance *in,
			     const struct rota_solution *sol, char *err, size_t n)
{
	json_t *root = NULL, *arr = NULL;
	int rc = -1;

	root = json_object();
	arr = json_array();
	if (root == NULL || arr == NULL ||
	    json_object_set_new(root, "format", json_string(ROTA_JSON_FORMAT)) != 0 ||
	    json_object_set(root, "assignments", arr) != 0)
		goto nomem;
	for (size_t v = 0; v < in->n_visits; v++) {
		json_t *a = json_object(), *cs = json_array();

		if (a == NULL || cs == NULL) {
			json_decref(a);
			json_decref(cs);
			goto nomem;
		}
		/* the _new setters take the reference even when they fail */
		if (json_array_append_new(arr, a) != 0 ||
		    json_object_set_new(a, "visit", json_string(in->visits[v].id)) != 0 ||
		    json_object_set_new(a, "carers", cs) != 0)
			goto nomem;
		for (uint32_t k = 0; k < sol->visit[v].n; k++)
			if (json_array_append_new(
				    cs, json_string(in->carers[sol->visit[v].carer[k]].id)) != 0)
				goto nomem;
	}
	rc = dump(root, path, err, n);
	goto out;
nomem:
	fail(err, n, "%s: out of memory", path);
out:
	json_decref(arr);
	json_decref(root);
	return rc;
}
