/*
 * API tests, the rota (docs/API.md "Rota"): a draft week generated from the
 * demo co-op's care plans (12 carers, 15 people receiving care, 174 visits
 * a week of which 35 need two carers), the background solve, the board with
 * reasons and figures, the live rule check, reassignment with pins,
 * publishing and its change log, sickness cover with the 24 h notice
 * window, hours for payroll and a carer's own week; generation across the
 * 2027 clock changes.
 *
 * Weeks are chosen from today's date so that they never fall into the past:
 * the "future" week is the first Monday at least 14 days ahead (so no visit
 * of it is inside the 24 h notice window, and it ends before the leave Ben
 * has asked for a month ahead), and the notice test uses the rotas the
 * demo publishes for this week and the next. Solves run in the server's
 * background: the tests poll the week until solve.status is "done", for at
 * most SOLVE_WAIT_MS.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "api_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ADMIN         "admin@carecoop.example"
#define COORDINATOR   "coordinator@carecoop.example"
#define TREASURER     "treasurer@carecoop.example"
#define GRACE         "grace@carecoop.example"
#define AMIRA         "amira@carecoop.example"
#define ISLA          "isla@carecoop.example" /* weekends: available 07:00-10:30 only */
#define DOMAIN        "@carecoop.example"
#define PINNED_REASON "chosen by the coordinator; " /* how a pin's reason starts */

#define DEMO_VISITS     174 /* visits in a week of the demo's care plans */
#define DEMO_PLACES     209 /* carer places: 35 of those visits need two */
#define DEMO_CARERS     12
#define NO_SUCH_ID      999999LL
#define PATH_LEN        192
#define BODY_LEN        256
#define VISITS_MAX      400    /* visits a snapshot holds */
#define CARERS_MAX      4      /* carers a snapshot holds per visit */
#define SOLVE_SECONDS   2      /* a short solve: the tests check behaviour, not quality */
#define SOLVE_WAIT_MS   240000 /* bounded wait for a background solve (ASan is slow) */
#define POLL_MS         200
#define DAY_SECONDS     86400LL
#define NOTICE_SECONDS  (24 * 3600LL) /* the contract's notice window */
#define FUTURE_DAYS_MIN 14            /* the future week starts at least this far ahead */

/* A rota week: its id and its Monday. */
struct week_ref {
	long long id;
	char start[11];
};

/* One visit's carers, for comparing a board before and after. */
struct visit_carers {
	long long id;
	size_t n;
	long long carer[CARERS_MAX];
	bool pinned[CARERS_MAX];
};

struct snapshot {
	size_t n;
	struct visit_carers v[VISITS_MAX];
};

/* ---- failing with context ---- */

#define expect(ok, what, j) expect_at((ok), (what), (j), __FILE__, __LINE__)

/* Fails the test, printing what and an excerpt of j, unless ok. No
 * allocation, so nothing leaks when it fails. */
static void expect_at(bool ok, const char *what, const json_t *j, const char *file, int line)
{
	char buf[800];
	size_t n = 0;

	if (ok)
		return;
	if (j != NULL)
		n = json_dumpb(j, buf, sizeof buf - 1, JSON_COMPACT | JSON_ENCODE_ANY);
	buf[n < sizeof buf - 1 ? n : sizeof buf - 1] = '\0';
	print_error("%s\n  in: %s\n", what, buf);
	_fail(file, line);
}

/* ---- dates: days since 1970-01-01 (a Thursday), UTC ---- */

static long long today_days(void)
{
	return (long long)(time(NULL) / DAY_SECONDS);
}

/* Weekday (d + 3) % 7 is 0 on a Monday. */
static long long monday_on_or_after(long long d)
{
	return d + (7 - (d + 3) % 7) % 7;
}

static long long monday_on_or_before(long long d)
{
	return d - (d + 3) % 7;
}

static void date_of(long long d, char out[11])
{
	time_t t = (time_t)(d * DAY_SECONDS);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* The date offset days after the first Monday at least FUTURE_DAYS_MIN
 * days ahead (offset 0: that Monday). */
static void future_day(int offset, char out[11])
{
	date_of(monday_on_or_after(today_days() + FUTURE_DAYS_MIN) + offset, out);
}

/* The wall-clock time "YYYY-MM-DDTHH:MM" read as if it were UTC, or -1. */
static long long wall_seconds(const char *local)
{
	struct tm tm;
	int y, mo, d, h, mi;

	if (local == NULL || strlen(local) != 16 ||
	    sscanf(local, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) != 5)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return (long long)timegm(&tm);
}

/* The wall-clock time minutes after local (same notation). */
static void wall_plus(const char *local, long long minutes, char out[17])
{
	time_t t = (time_t)(wall_seconds(local) + minutes * 60);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 17, "%Y-%m-%dT%H:%M", &tm);
}

/* ---- JSON helpers ---- */

static bool str_is(const json_t *obj, const char *key, const char *want)
{
	const char *s = api_json_str(obj, key);

	return s != NULL && strcmp(s, want) == 0;
}

static bool visit_has(const json_t *visit, long long carer)
{
	size_t i;
	const json_t *c;

	json_array_foreach (json_object_get(visit, "carers"), i, c) {
		if (api_json_int(c, "id") == carer)
			return true;
	}
	return false;
}

/* The ids in a JSON array of integers (at most max); the count. */
static size_t ids_of(const json_t *arr, long long *out, size_t max)
{
	size_t i, n = 0;
	const json_t *v;

	json_array_foreach (arr, i, v) {
		expect(json_is_integer(v), "expected a list of ids", arr);
		expect(n < max, "too many ids", arr);
		out[n++] = (long long)json_integer_value(v);
	}
	return n;
}

static bool has_id(const long long *ids, size_t n, long long id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* The same ids, in any order (lists without repeats). */
static bool same_ids(const long long *a, size_t na, const long long *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!has_id(b, nb, a[i]))
			return false;
	return true;
}

static const json_t *visit_by_id(const json_t *board, long long id)
{
	size_t i;
	const json_t *v;

	json_array_foreach (json_object_get(board, "visits"), i, v) {
		if (api_json_int(v, "id") == id)
			return v;
	}
	fail_msg("visit %lld is not on the board", id);
	return NULL;
}

/* The visit to the person known as known_as starting at local. */
static const json_t *find_visit(const json_t *board, const char *known_as, const char *local)
{
	size_t i;
	const json_t *v;

	json_array_foreach (json_object_get(board, "visits"), i, v) {
		if (str_is(json_object_get(v, "recipient"), "known_as", known_as) &&
		    str_is(v, "local_start", local))
			return v;
	}
	fail_msg("no visit to %s at %s on the board", known_as, local);
	return NULL;
}

static void take_snapshot(const json_t *board, struct snapshot *s)
{
	size_t i, k;
	const json_t *v, *c;

	s->n = 0;
	json_array_foreach (json_object_get(board, "visits"), i, v) {
		struct visit_carers *vc = &s->v[s->n];

		expect(s->n < VISITS_MAX, "more visits than a snapshot holds", NULL);
		vc->id = api_json_int(v, "id");
		vc->n = 0;
		json_array_foreach (json_object_get(v, "carers"), k, c) {
			expect(vc->n < CARERS_MAX, "more carers than a snapshot holds", v);
			vc->carer[vc->n] = api_json_int(c, "id");
			vc->pinned[vc->n++] = json_is_true(json_object_get(c, "pinned"));
		}
		s->n++;
	}
}

static const struct visit_carers *snap_find(const struct snapshot *s, long long id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].id == id)
			return &s->v[i];
	fail_msg("visit %lld is missing from a board", id);
	return NULL;
}

/* Same carers with the same pins. */
static bool same_visit(const struct visit_carers *a, const struct visit_carers *b)
{
	if (!same_ids(a->carer, a->n, b->carer, b->n))
		return false;
	for (size_t i = 0; i < a->n; i++)
		for (size_t k = 0; k < b->n; k++)
			if (a->carer[i] == b->carer[k] && a->pinned[i] != b->pinned[k])
				return false;
	return true;
}

/* Every visit of a is in b with the same carers and pins, and b has no more. */
static void expect_same_snapshots(const struct snapshot *a, const struct snapshot *b,
				  const char *what)
{
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++)
		if (!same_visit(&a->v[i], snap_find(b, a->v[i].id)))
			fail_msg("%s: visit %lld changed its carers", what, a->v[i].id);
}

/* ---- requests ---- */

static void week_path(char *out, size_t n, long long id, const char *suffix)
{
	snprintf(out, n, "/api/rota/weeks/%lld%s", id, suffix);
}

/* The week's object: id, week_start, status, version and solve as the
 * contract lists them. */
static void check_week_object(const json_t *w)
{
	const json_t *solve = json_object_get(w, "solve");
	const char *status = api_json_str(w, "status");
	const char *ss = api_json_str(solve, "status");
	const json_t *cost = json_object_get(solve, "cost");
	const json_t *uncovered = json_object_get(solve, "uncovered");
	const json_t *msg = json_object_get(solve, "message");
	long long progress = api_json_int(solve, "progress");

	expect(json_is_object(w) && api_json_int(w, "id") > 0, "a week with an id", w);
	expect(api_json_str(w, "week_start") != NULL, "week.week_start", w);
	expect(status != NULL && (strcmp(status, "draft") == 0 || strcmp(status, "published") == 0),
	       "week.status draft or published", w);
	expect(json_is_integer(json_object_get(w, "version")), "week.version", w);
	expect(ss != NULL && (strcmp(ss, "idle") == 0 || strcmp(ss, "running") == 0 ||
			      strcmp(ss, "done") == 0 || strcmp(ss, "failed") == 0),
	       "week.solve.status idle, running, done or failed", w);
	expect(progress >= 0 && progress <= 100, "week.solve.progress 0..100", w);
	expect(json_is_integer(cost) || json_is_null(cost), "week.solve.cost", w);
	expect(json_is_integer(uncovered) || json_is_null(uncovered), "week.solve.uncovered", w);
	expect(json_is_string(msg) || json_is_null(msg), "week.solve.message", w);
}

/* POST /api/rota/weeks for start: 201 with a draft week; added must be
 * want_added unless that is negative. */
static struct week_ref create_week(struct harness_client *c, const char *start,
				   long long want_added)
{
	const struct harness_response *r =
		harness_send_json(c, "POST", "/api/rota/weeks", "{s:s}", "week_start", start);
	const json_t *w = json_object_get(r->json, "week");
	struct week_ref ref;

	assert_status(r, 201);
	check_week_object(w);
	expect(str_is(w, "week_start", start), "week_start as asked", w);
	expect(str_is(w, "status", "draft"), "a new week is a draft", w);
	if (want_added >= 0)
		expect(api_json_int(r->json, "added") == want_added, "added: the visits generated",
		       r->json);
	ref.id = api_json_int(w, "id");
	snprintf(ref.start, sizeof ref.start, "%s", start);
	return ref;
}

/* GET /api/rota/weeks?start=: the week, or NULL for an empty list. */
static const json_t *week_find(struct harness_client *c, const char *start)
{
	char path[PATH_LEN];
	const struct harness_response *r;
	const json_t *weeks;

	snprintf(path, sizeof path, "/api/rota/weeks?start=%s", start);
	r = harness_get(c, path);
	assert_status(r, 200);
	weeks = json_object_get(r->json, "weeks");
	expect(json_is_array(weeks) && json_array_size(weeks) <= 1, "weeks: that week only or []",
	       r->json);
	if (json_array_size(weeks) == 0)
		return NULL;
	check_week_object(json_array_get(weeks, 0));
	expect(str_is(json_array_get(weeks, 0), "week_start", start), "the week asked for", weeks);
	return json_array_get(weeks, 0);
}

/* GET /api/rota/weeks/{id}: the board (week, visits, carers, figures). */
static const json_t *get_board(struct harness_client *c, const struct week_ref *w)
{
	char path[PATH_LEN];
	const struct harness_response *r;

	week_path(path, sizeof path, w->id, "");
	r = harness_get(c, path);
	assert_status(r, 200);
	expect(json_is_array(json_object_get(r->json, "visits")) &&
		       json_is_array(json_object_get(r->json, "carers")) &&
		       json_is_object(json_object_get(r->json, "figures")),
	       "a board has visits, carers and figures", r->json);
	check_week_object(json_object_get(r->json, "week"));
	expect(api_json_int(json_object_get(r->json, "week"), "id") == w->id, "the board's week",
	       r->json);
	return r->json;
}

static const struct harness_response *start_solve(struct harness_client *c,
						  const struct week_ref *w, int seconds)
{
	char path[PATH_LEN];

	week_path(path, sizeof path, w->id, "/solve");
	return harness_send_json(c, "POST", path, "{s:i}", "seconds", seconds);
}

/* Polls the week until its solve is done (failing on "failed" or after
 * SOLVE_WAIT_MS); the week object, borrowed from c. */
static const json_t *wait_solved(struct harness_client *c, const struct week_ref *w)
{
	const struct timespec pause = {0, POLL_MS * 1000000L};

	for (long waited = 0; waited <= SOLVE_WAIT_MS; waited += POLL_MS) {
		const json_t *week = week_find(c, w->start);
		const json_t *solve;

		expect(week != NULL, "the week being solved is listed", NULL);
		solve = json_object_get(week, "solve");
		if (str_is(solve, "status", "done")) {
			expect(json_is_integer(json_object_get(solve, "cost")) &&
				       api_json_int(solve, "cost") >= 0,
			       "a finished solve has a cost", week);
			expect(json_is_integer(json_object_get(solve, "uncovered")) &&
				       api_json_int(solve, "uncovered") >= 0,
			       "a finished solve counts the uncovered", week);
			return week;
		}
		expect(str_is(solve, "status", "running"), "solve.status running until done", week);
		nanosleep(&pause, NULL);
	}
	fail_msg("the solve of the week of %s did not finish within %d ms", w->start,
		 SOLVE_WAIT_MS);
	return NULL;
}

/* Starts a solve (202, running) and waits for it to finish. */
static const json_t *solve_and_wait(struct harness_client *c, const struct week_ref *w)
{
	const struct harness_response *r = start_solve(c, w, SOLVE_SECONDS);
	const json_t *week = json_object_get(r->json, "week");

	assert_status(r, 202);
	check_week_object(week);
	expect(api_json_int(week, "id") == w->id, "the week being solved", week);
	expect(str_is(json_object_get(week, "solve"), "status", "running"),
	       "a started solve is running", week);
	return wait_solved(c, w);
}

static const struct harness_response *publish(struct harness_client *c, const struct week_ref *w)
{
	char path[PATH_LEN];

	week_path(path, sizeof path, w->id, "/publish");
	return harness_send_json(c, "POST", path, "{}");
}

/* Sends {"carers":[ids]} (with "pinned":true for PUT) to
 * /api/visits/{visit}/check or /carers. */
static const struct harness_response *send_carers(struct harness_client *c, bool put,
						  long long visit, const long long *ids, size_t n)
{
	char path[PATH_LEN], body[BODY_LEN];
	size_t len;

	snprintf(path, sizeof path, "/api/visits/%lld/%s", visit, put ? "carers" : "check");
	len = (size_t)snprintf(body, sizeof body, "{\"carers\":[");
	for (size_t i = 0; i < n && len < sizeof body; i++)
		len += (size_t)snprintf(body + len, sizeof body - len, "%s%lld", i > 0 ? "," : "",
					ids[i]);
	if (len < sizeof body)
		snprintf(body + len, sizeof body - len, "]%s}", put ? ",\"pinned\":true" : "");
	return api_send_text(c, put ? "PUT" : "POST", path, "application/json", body);
}

/* POST check: 200 with ok and reasons; returns the reply. */
static const struct harness_response *check(struct harness_client *c, long long visit,
					    const long long *ids, size_t n)
{
	const struct harness_response *r = send_carers(c, false, visit, ids, n);
	const json_t *reasons = json_object_get(r->json, "reasons");
	const json_t *ok = json_object_get(r->json, "ok");
	size_t i;
	const json_t *x;

	assert_status(r, 200);
	expect(json_is_boolean(ok) && json_is_array(reasons), "check: ok and reasons", r->json);
	expect(json_is_true(ok) == (json_array_size(reasons) == 0),
	       "check: ok exactly when there is no reason", r->json);
	json_array_foreach (reasons, i, x) {
		long long rule = api_json_int(x, "rule");
		const char *why = api_json_str(x, "reason");
		expect(has_id(ids, n, api_json_int(x, "carer")),
		       "a reason names a carer asked about", x);
		expect(rule >= 1 && rule <= 6, "a reason names rule 1..6", x);
		expect(why != NULL && why[0] != '\0', "a reason explains itself", x);
	}
	return r;
}

/* True if reasons holds one for carer under rule whose text contains
 * every string of needles (NULL-ended; may be NULL). */
static bool has_reason(const json_t *reasons, long long carer, long long rule,
		       const char *const *needles)
{
	size_t i;
	const json_t *x;

	json_array_foreach (reasons, i, x) {
		bool all = true;
		if (api_json_int(x, "carer") != carer || api_json_int(x, "rule") != rule)
			continue;
		for (size_t k = 0; needles != NULL && needles[k] != NULL; k++)
			all = all && api_contains(api_json_str(x, "reason"), needles[k]);
		if (all)
			return true;
	}
	return false;
}

/* A visit needing one carer (other than skip) and a carer not on it whom
 * the check accepts. Fails the test when there is none. */
static void find_free_choice(struct harness_client *c, const json_t *board, long long skip,
			     long long *visit, long long *carer)
{
	size_t i, k, tries = 0;
	const json_t *v, *row;

	json_array_foreach (json_object_get(board, "visits"), i, v) {
		long long vid = api_json_int(v, "id");
		if (vid == skip || api_json_int(v, "carers_needed") != 1 ||
		    !str_is(v, "status", "planned"))
			continue;
		json_array_foreach (json_object_get(board, "carers"), k, row) {
			long long cid = api_json_int(row, "id");
			if (visit_has(v, cid))
				continue;
			if (json_is_true(json_object_get(check(c, vid, &cid, 1)->json, "ok"))) {
				*visit = vid;
				*carer = cid;
				return;
			}
			if (++tries > 1000)
				fail_msg("no carer fits any visit after %zu checks", tries);
		}
	}
	fail_msg("no visit that another carer could take");
}

/* The email of a demo carer: her known_as in lower case. */
static void carer_email(const char *known_as, char *out, size_t n)
{
	size_t o = 0;

	for (const char *p = known_as; *p != '\0' && o + 1 < n; p++)
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
			out[o++] = (char)(*p | 0x20);
	out[o] = '\0';
	snprintf(out + o, n - o, "%s", DOMAIN);
}

/* ---- the board ---- */

/* Each visit and each carer row as the contract lists them, reasons for
 * every assignment, figures that agree with the visits and carer rows that
 * add up the visits' minutes. */
static void check_board(const json_t *board)
{
	const json_t *visits = json_object_get(board, "visits");
	const json_t *rows = json_object_get(board, "carers");
	const json_t *fig = json_object_get(board, "figures");
	long long uncovered = 0, planned = 0;
	size_t i, k;
	const json_t *v, *c, *row;

	json_array_foreach (visits, i, v) {
		const json_t *rec = json_object_get(v, "recipient");
		const json_t *carers = json_object_get(v, "carers");
		long long need = api_json_int(v, "carers_needed");
		bool is_planned = str_is(v, "status", "planned");

		expect(api_json_int(v, "id") > 0 && api_json_int(rec, "id") > 0 &&
			       api_json_str(rec, "known_as") != NULL &&
			       api_json_str(rec, "area") != NULL,
		       "visit: id and recipient {id, known_as, area}", v);
		expect(wall_seconds(api_json_str(v, "local_start")) >= 0 &&
			       json_is_integer(json_object_get(v, "starts_at")),
		       "visit: local_start YYYY-MM-DDTHH:MM and starts_at", v);
		expect(api_json_int(v, "minutes") > 0 && (need == 1 || need == 2),
		       "visit: minutes and carers_needed", v);
		expect(json_is_array(json_object_get(v, "skills")) &&
			       api_json_str(v, "tasks") != NULL,
		       "visit: skills and tasks", v);
		expect(is_planned || str_is(v, "status", "cancelled"),
		       "visit: status planned or cancelled", v);
		expect(json_is_array(carers) && (long long)json_array_size(carers) <= need,
		       "visit: at most carers_needed carers", v);
		expect(api_json_int(v, "uncovered") ==
			       (is_planned ? need - (long long)json_array_size(carers) : 0),
		       "visit: uncovered = places not filled", v);
		json_array_foreach (carers, k, c) {
			const char *why = api_json_str(c, "reason");
			expect(api_json_int(c, "id") > 0 && api_json_str(c, "known_as") != NULL &&
				       json_is_boolean(json_object_get(c, "pinned")),
			       "visit carer: id, known_as, pinned", v);
			expect(why != NULL && why[0] != '\0',
			       "visit carer: a reason for the choice", v);
			expect(!json_is_true(json_object_get(c, "pinned")) ||
				       strncmp(why, PINNED_REASON, strlen(PINNED_REASON)) == 0,
			       "a pinned assignment's reason says the coordinator chose it", v);
		}
		uncovered += api_json_int(v, "uncovered");
		planned += is_planned;
	}
	expect(api_json_int(fig, "visits") == planned, "figures.visits", fig);
	expect(api_json_int(fig, "uncovered_places") == uncovered,
	       "figures.uncovered_places adds up the visits' uncovered", fig);
	expect(json_is_number(json_object_get(fig, "mean_distinct_carers")) &&
		       json_is_integer(json_object_get(fig, "max_distinct_carers")) &&
		       json_number_value(json_object_get(fig, "mean_distinct_carers")) <=
			       (double)api_json_int(fig, "max_distinct_carers") + 1e-9,
	       "figures: mean and max distinct carers", fig);
	expect(json_is_number(json_object_get(fig, "team_share")) &&
		       json_number_value(json_object_get(fig, "team_share")) >= 0 &&
		       json_number_value(json_object_get(fig, "team_share")) <= 1,
	       "figures.team_share 0..1", fig);

	expect(json_array_size(rows) == DEMO_CARERS, "a row per carer", rows);
	json_array_foreach (rows, i, row) {
		long long id = api_json_int(row, "id"), minutes = 0, count = 0;
		json_array_foreach (visits, k, v) {
			if (visit_has(v, id) && str_is(v, "status", "planned")) {
				minutes += api_json_int(v, "minutes");
				count++;
			}
		}
		expect(id > 0 && api_json_str(row, "known_as") != NULL &&
			       api_json_int(row, "contract_minutes") >= 0 &&
			       api_json_int(row, "travel_minutes") >= 0,
		       "carer row: id, known_as, contract and travel minutes", row);
		expect(api_json_int(row, "visit_minutes") == minutes,
		       "carer row: visit_minutes adds up the carer's visits", row);
		expect(api_json_int(row, "visits") == count, "carer row: visits counts them", row);
	}
}

/* ---- tests ---- */

/* Generating a draft, finding it, and who may do what to it. */
static void draft_generate_and_find(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	struct harness_client *admin = api_client_login(srv, ADMIN);
	struct harness_client *treasurer = api_client_login(srv, TREASURER);
	struct harness_client *amira = api_client_login(srv, AMIRA);
	struct harness_client *nobody = harness_client_new(srv);
	static const char *const suffixes[] = {"", "/changes", "/hours.csv"};
	char start[11], tuesday[11], next[11], path[PATH_LEN], local[17];
	long long monday = monday_on_or_after(today_days() + FUTURE_DAYS_MIN), places = 0;
	const struct harness_response *r;
	const json_t *board, *v, *margaret;
	struct week_ref w, again;
	long long week_begins;
	size_t i;

	date_of(monday, start);
	date_of(monday + 1, tuesday);
	date_of(monday + 7, next);
	snprintf(local, sizeof local, "%sT00:00", start);
	week_begins = wall_seconds(local);

	/* A Monday is required. */
	r = harness_send_json(coordinator, "POST", "/api/rota/weeks", "{s:s}", "week_start",
			      tuesday);
	assert_api_error(r, 400, "week_start");
	r = harness_send_json(coordinator, "POST", "/api/rota/weeks", "{s:s}", "week_start",
			      "2027-02-29");
	assert_api_error(r, 400, "week_start");
	r = harness_send_json(coordinator, "POST", "/api/rota/weeks", "{}");
	assert_api_error(r, 400, "week_start");
	assert_null(week_find(coordinator, tuesday));
	assert_null(week_find(coordinator, start));

	/* Only a coordinator generates. */
	r = harness_send_json(amira, "POST", "/api/rota/weeks", "{s:s}", "week_start", start);
	assert_api_error(r, 403, API_FIELD_ANY);
	r = harness_send_json(admin, "POST", "/api/rota/weeks", "{s:s}", "week_start", start);
	assert_api_error(r, 403, API_FIELD_ANY);
	assert_null(week_find(coordinator, start));

	/* One visit per care plan line per day, nobody assigned yet. */
	w = create_week(coordinator, start, DEMO_VISITS);
	expect(api_json_int(week_find(coordinator, start), "id") == w.id, "found by its Monday",
	       NULL);
	expect(str_is(json_object_get(week_find(coordinator, start), "solve"), "status", "idle"),
	       "a new draft has not been solved", NULL);
	assert_null(week_find(coordinator, next));
	assert_api_error(harness_get(coordinator, "/api/rota/weeks?start=2027-13-01"), 400,
			 "start");
	assert_non_null(api_find(coordinator, "/api/rota/weeks", "weeks", "week_start", start));

	board = get_board(coordinator, &w);
	check_board(board);
	assert_int_equal(json_array_size(json_object_get(board, "visits")), DEMO_VISITS);
	json_array_foreach (json_object_get(board, "visits"), i, v) {
		long long at = wall_seconds(api_json_str(v, "local_start"));
		expect(at >= week_begins && at < week_begins + 7 * DAY_SECONDS,
		       "a visit of the week", v);
		expect(json_array_size(json_object_get(v, "carers")) == 0 &&
			       str_is(v, "status", "planned"),
		       "a new draft's visits are planned and unassigned", v);
		places += api_json_int(v, "carers_needed");
	}
	assert_int_equal(places, DEMO_PLACES);
	assert_int_equal(api_json_int(json_object_get(board, "figures"), "uncovered_places"),
			 DEMO_PLACES);
	/* Margaret's insulin visit, as her care plan says. */
	snprintf(local, sizeof local, "%sT08:00", start);
	margaret = find_visit(board, "Margaret", local);
	expect(api_json_int(margaret, "minutes") == 45 &&
		       api_json_int(margaret, "carers_needed") == 1 &&
		       api_json_array_has(json_object_get(margaret, "skills"), "meds") &&
		       str_is(margaret, "tasks", "Insulin, breakfast, wash"),
	       "the visit follows the plan line", margaret);

	/* Again on the draft: nothing new, the same week. */
	again = create_week(coordinator, start, 0);
	assert_int_equal(again.id, w.id);
	assert_int_equal(json_array_size(json_object_get(get_board(coordinator, &w), "visits")),
			 DEMO_VISITS);

	/* Who may read. */
	get_board(admin, &w);
	week_path(path, sizeof path, w.id, "");
	assert_api_error(harness_get(amira, path), 403, API_FIELD_ANY);
	assert_api_error(harness_get(treasurer, path), 403, API_FIELD_ANY);
	assert_api_error(harness_get(amira, "/api/rota/weeks"), 403, API_FIELD_ANY);
	assert_api_error(harness_get(nobody, path), 401, NULL);

	/* Unknown week ids. */
	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		week_path(path, sizeof path, NO_SUCH_ID, suffixes[i]);
		print_message("GET %s\n", path);
		assert_api_error(harness_get(coordinator, path), 404, "id");
	}
	week_path(path, sizeof path, NO_SUCH_ID, "/solve");
	assert_api_error(harness_send_json(coordinator, "POST", path, "{}"), 404, "id");
	week_path(path, sizeof path, NO_SUCH_ID, "/publish");
	assert_api_error(harness_send_json(coordinator, "POST", path, "{}"), 404, "id");
	week_path(path, sizeof path, NO_SUCH_ID, "/cover");
	r = harness_send_json(coordinator, "POST", path, "{s:I, s:s, s:s}", "carer_id",
			      (json_int_t)api_person_id(coordinator, AMIRA), "start",
			      "2030-01-01T08:00", "end", "2030-01-01T12:00");
	assert_api_error(r, 404, "id");
}

/* One 2027 clock-change week: every visit keeps its local time, and its
 * starts_at is that wall-clock time less the UTC offset of its day (no
 * visit is planned between 01:00 and 02:00, when the clocks change, so
 * the day decides): before on days before change_day, after from it on. */
static const json_t *check_dst_week(struct harness_client *c, const char *start,
				    const char *change_day, long long before, long long after)
{
	struct week_ref w = create_week(c, start, DEMO_VISITS);
	const json_t *board = get_board(c, &w);
	static const char *const margaret[] = {"08:00", "12:30", "17:00", "21:00"};
	char local[17];
	size_t i;
	const json_t *v;

	check_board(board);
	json_array_foreach (json_object_get(board, "visits"), i, v) {
		const char *ls = api_json_str(v, "local_start");
		long long offset = strncmp(ls, change_day, 10) < 0 ? before : after;
		expect(api_json_int(v, "starts_at") == wall_seconds(ls) - offset,
		       "starts_at is the local time less that day's UTC offset", v);
	}
	/* The Sunday of the change has Margaret's four visits at their usual times. */
	for (i = 0; i < sizeof margaret / sizeof margaret[0]; i++) {
		snprintf(local, sizeof local, "%sT%s", change_day, margaret[i]);
		find_visit(board, "Margaret", local);
	}
	return board;
}

static void dst_weeks_keep_local_times(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	struct harness_client *amira = api_client_login(srv, AMIRA);
	const struct harness_response *r;
	const json_t *board;

	/* Spring: Sunday 28 March 2027, 01:00 GMT becomes 02:00 BST. */
	board = check_dst_week(coordinator, "2027-03-22", "2027-03-28", 0, 3600);
	/* 08:00 on Saturday is 08:00Z (GMT); on Sunday 07:00Z (BST), 23 h later. */
	assert_int_equal(
		api_json_int(find_visit(board, "Margaret", "2027-03-27T08:00"), "starts_at"),
		1806134400LL);
	assert_int_equal(
		api_json_int(find_visit(board, "Margaret", "2027-03-28T08:00"), "starts_at"),
		1806217200LL);
	assert_int_equal(
		api_json_int(find_visit(board, "Margaret", "2027-03-22T08:00"), "starts_at"),
		1805702400LL);

	/* Autumn: Sunday 31 October 2027, 02:00 BST becomes 01:00 GMT. */
	board = check_dst_week(coordinator, "2027-10-25", "2027-10-31", 3600, 0);
	/* 08:00 on Saturday is 07:00Z (BST); on Sunday 08:00Z (GMT), 25 h later. */
	assert_int_equal(
		api_json_int(find_visit(board, "Margaret", "2027-10-30T08:00"), "starts_at"),
		1824879600LL);
	assert_int_equal(
		api_json_int(find_visit(board, "Margaret", "2027-10-31T08:00"), "starts_at"),
		1824969600LL);
	assert_int_equal(api_json_int(find_visit(board, "Frank", "2027-10-31T21:00"), "starts_at"),
			 1825016400LL);

	/* A draft is nobody's week yet. */
	r = harness_get(amira, "/api/me/visits?week=2027-03-22");
	assert_status(r, 200);
	expect(json_is_false(json_object_get(r->json, "published")) &&
		       json_array_size(json_object_get(r->json, "visits")) == 0 &&
		       str_is(r->json, "week_start", "2027-03-22"),
	       "an unpublished week: published false and no visits", r->json);
	r = harness_get(amira, "/api/me/visits?week=2027-03-23");
	assert_api_error(r, 400, "week");
}

/* The double booking: a carer X on visit a, and an overlapping visit b to
 * someone else that X is not on. False if the board has none. */
static bool find_overlap(const json_t *board, const json_t **a, const json_t **b, long long *carer)
{
	const json_t *visits = json_object_get(board, "visits");
	size_t i, k, j;
	const json_t *x, *y, *c;

	json_array_foreach (visits, i, x) {
		long long xs = api_json_int(x, "starts_at");
		long long xe = xs + api_json_int(x, "minutes") * 60;
		json_array_foreach (json_object_get(x, "carers"), k, c) {
			long long id = api_json_int(c, "id");
			json_array_foreach (visits, j, y) {
				long long ys = api_json_int(y, "starts_at");
				long long ye = ys + api_json_int(y, "minutes") * 60;
				if (ys < xe && xs < ye && !visit_has(y, id) &&
				    api_json_int(json_object_get(x, "recipient"), "id") !=
					    api_json_int(json_object_get(y, "recipient"), "id")) {
					*a = x;
					*b = y;
					*carer = id;
					return true;
				}
			}
		}
	}
	return false;
}

/* Solve (and a second solve while running), the board, rule checks,
 * reassignment with a pin that a later solve keeps, regeneration keeping
 * assignments, publishing and the change log. */
static void solve_check_pin_publish(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	struct harness_client *admin = api_client_login(srv, ADMIN);
	struct harness_client *treasurer = api_client_login(srv, TREASURER);
	static struct snapshot s1, s2; /* large; static so a failure leaks nothing */
	char start[11], day[11], path[PATH_LEN], local[17], hhmm[6];
	long long isla = api_person_id(coordinator, ISLA);
	long long amira = api_person_id(coordinator, AMIRA);
	long long pin_visit = 0, pin_carer = 0, later_visit = 0, later_carer = 0, x = 0;
	long long pair[2], before_publish = time(NULL);
	const struct harness_response *r;
	const json_t *board, *week, *v, *a = NULL, *b = NULL, *vis, *ch;
	struct visit_carers fresh;
	struct week_ref w;
	bool found = false;
	size_t i;

	future_day(0, start);
	w = create_week(coordinator, start, DEMO_VISITS);

	/* On an empty draft nothing blocks a qualified, available carer:
	 * Amira (meds) is free on Monday mornings. */
	snprintf(local, sizeof local, "%sT08:00", start);
	board = get_board(coordinator, &w);
	r = check(coordinator, api_json_int(find_visit(board, "Margaret", local), "id"), &amira, 1);
	expect(json_is_true(json_object_get(r->json, "ok")), "Amira may take the visit", r->json);

	/* Bad lengths, then a solve, and a second one while it runs. */
	week_path(path, sizeof path, w.id, "/solve");
	assert_api_error(harness_send_json(coordinator, "POST", path, "{s:i}", "seconds", 0), 400,
			 "seconds");
	assert_api_error(harness_send_json(coordinator, "POST", path, "{s:i}", "seconds", 61), 400,
			 "seconds");
	assert_api_error(harness_send_json(treasurer, "POST", path, "{s:i}", "seconds", 1), 403,
			 API_FIELD_ANY);
	r = start_solve(coordinator, &w, SOLVE_SECONDS + 3);
	assert_status(r, 202);
	check_week_object(json_object_get(r->json, "week"));
	expect(str_is(json_object_get(json_object_get(r->json, "week"), "solve"), "status",
		      "running"),
	       "a started solve is running", r->json);
	assert_api_error(start_solve(coordinator, &w, 1), 409, API_FIELD_ANY);
	week = wait_solved(coordinator, &w);

	board = get_board(coordinator, &w);
	check_board(board);
	expect(api_json_int(json_object_get(board, "figures"), "uncovered_places") ==
		       api_json_int(json_object_get(week, "solve"), "uncovered"),
	       "solve.uncovered is the board's uncovered places", board);
	expect(api_json_int(json_object_get(board, "figures"), "uncovered_places") < DEMO_PLACES,
	       "the solver assigned someone", json_object_get(board, "figures"));

	/* Rule 4: a carer already at an overlapping visit; the reason names it. */
	assert_true(find_overlap(board, &a, &b, &x));
	snprintf(hhmm, sizeof hhmm, "%s", api_json_str(a, "local_start") + 11);
	{
		const char *const needles[] = {
			api_json_str(json_object_get(a, "recipient"), "known_as"), hhmm, NULL};
		r = check(coordinator, api_json_int(b, "id"), &x, 1);
		expect(json_is_false(json_object_get(r->json, "ok")) &&
			       has_reason(json_object_get(r->json, "reasons"), x, 4, needles),
		       "a double booking breaks rule 4 and names the other visit", r->json);
	}

	/* Rule 1: Isla is not available on Saturday afternoons. */
	future_day(5, day);
	snprintf(local, sizeof local, "%sT12:30", day); /* a Saturday */
	vis = find_visit(board, "Margaret", local);
	r = check(coordinator, api_json_int(vis, "id"), &isla, 1);
	expect(json_is_false(json_object_get(r->json, "ok")) &&
		       has_reason(json_object_get(r->json, "reasons"), isla, 1, NULL),
	       "an unavailable carer breaks rule 1", r->json);

	/* A breaking carer is refused and nothing changes. */
	take_snapshot(board, &s1);
	r = send_carers(coordinator, true, api_json_int(vis, "id"), &isla, 1);
	assert_api_error(r, 409, "carers[0]");
	expect(json_array_size(json_object_get(r->json, "reasons")) > 0 &&
		       has_reason(json_object_get(r->json, "reasons"), isla, 1, NULL),
	       "the refusal lists its reasons", r->json);
	/* ... and in second place, on a two-carer visit. */
	json_array_foreach (json_object_get(board, "visits"), i, v) {
		if (api_json_int(v, "carers_needed") == 2 &&
		    json_array_size(json_object_get(v, "carers")) >= 1) {
			pair[0] =
				api_json_int(json_array_get(json_object_get(v, "carers"), 0), "id");
			pair[1] = isla;
			r = send_carers(coordinator, true, api_json_int(v, "id"), pair, 2);
			assert_api_error(r, 409, "carers[1]");
			found = true;
			break;
		}
	}
	assert_true(found);
	take_snapshot(get_board(coordinator, &w), &s2);
	expect_same_snapshots(&s1, &s2, "after refused changes");

	/* A valid choice: the check says ok, and the change is pinned. */
	find_free_choice(coordinator, board, 0, &pin_visit, &pin_carer);
	r = send_carers(coordinator, true, pin_visit, &pin_carer, 1);
	assert_status(r, 200);
	v = json_object_get(r->json, "visit");
	expect(api_json_int(v, "id") == pin_visit &&
		       json_array_size(json_object_get(v, "carers")) == 1 &&
		       api_json_int(json_array_get(json_object_get(v, "carers"), 0), "id") ==
			       pin_carer &&
		       json_is_true(json_object_get(json_array_get(json_object_get(v, "carers"), 0),
						    "pinned")),
	       "the visit with the chosen carer, pinned", r->json);
	fresh = (struct visit_carers){
		.id = pin_visit, .n = 1, .carer = {pin_carer}, .pinned = {true}};
	take_snapshot(get_board(coordinator, &w), &s2);
	expect(same_visit(&fresh, snap_find(&s2, pin_visit)), "the board shows the pin", NULL);
	for (i = 0; i < s1.n; i++)
		if (s1.v[i].id != pin_visit && !same_visit(&s1.v[i], snap_find(&s2, s1.v[i].id)))
			fail_msg("visit %lld changed along with %lld", s1.v[i].id, pin_visit);

	/* Solving again keeps the pinned visit. */
	solve_and_wait(coordinator, &w);
	board = get_board(coordinator, &w);
	check_board(board);
	take_snapshot(board, &s1);
	expect(same_visit(&fresh, snap_find(&s1, pin_visit)), "a solve keeps a pinned visit",
	       visit_by_id(board, pin_visit));

	/* Again on the draft: nothing added, every assignment kept. */
	assert_int_equal(create_week(coordinator, start, 0).id, w.id);
	take_snapshot(get_board(coordinator, &w), &s2);
	expect_same_snapshots(&s1, &s2, "generating again");

	/* Publish: version 1, and the week can no longer be regenerated. */
	week = json_object_get(board, "week");
	expect(api_json_int(week, "version") == 0, "a draft's version is 0", week);
	assert_api_error(publish(treasurer, &w), 403, API_FIELD_ANY);
	r = publish(coordinator, &w);
	assert_status(r, 200);
	week = json_object_get(r->json, "week");
	check_week_object(week);
	expect(str_is(week, "status", "published") && api_json_int(week, "version") == 1,
	       "published, version 1", week);
	r = harness_send_json(coordinator, "POST", "/api/rota/weeks", "{s:s}", "week_start", start);
	assert_api_error(r, 409, API_FIELD_ANY);

	/* Later changes are recorded with the user's email. */
	week_path(path, sizeof path, w.id, "/changes");
	r = harness_get(coordinator, path);
	assert_status(r, 200);
	expect(json_array_size(json_object_get(r->json, "changes")) == 0,
	       "nothing changed since publishing", r->json);
	find_free_choice(coordinator, board, pin_visit, &later_visit, &later_carer);
	assert_status(send_carers(coordinator, true, later_visit, &later_carer, 1), 200);
	r = harness_get(admin, path);
	assert_status(r, 200);
	found = false;
	json_array_foreach (json_object_get(r->json, "changes"), i, ch) {
		if (api_json_int(ch, "visit_id") == later_visit) {
			expect(str_is(ch, "user", COORDINATOR) &&
				       api_json_str(ch, "detail") != NULL &&
				       api_json_int(ch, "at") >= before_publish - 5 &&
				       api_json_int(ch, "at") <= (long long)time(NULL) + 5,
			       "a change: at, the user's email, detail", ch);
			found = true;
		}
	}
	expect(found, "the change after publishing is in the log", r->json);
	assert_api_error(harness_get(treasurer, path), 403, API_FIELD_ANY);

	/* Unknown visits. */
	assert_api_error(send_carers(coordinator, false, NO_SUCH_ID, &amira, 1), 404,
			 API_FIELD_ANY);
	assert_api_error(send_carers(coordinator, true, NO_SUCH_ID, &amira, 1), 404, API_FIELD_ANY);
	/* An id that is not a carer's is a bad field, not a rule. */
	pair[0] = NO_SUCH_ID;
	assert_api_error(send_carers(coordinator, false, later_visit, pair, 1), 400, "carers[0]");
}

/* True if s is a non-empty string of digits. */
static bool is_count(const char *s)
{
	if (s == NULL || *s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* hours.csv as c: the header, then one row per carer of the board whose
 * numbers are the board's. */
static void check_hours(struct harness_client *c, const struct week_ref *w, const json_t *board)
{
	static const char *const header[] = {"carer_id",        "name",          "week_start",
					     "visits",          "visit_minutes", "travel_minutes",
					     "contract_minutes"};
	static struct api_csv_record rec; /* large; static so a failure leaks nothing */
	const json_t *rows = json_object_get(board, "carers");
	long long seen[DEMO_CARERS];
	size_t pos = 0, n = 0, i, k;
	char path[PATH_LEN];
	const struct harness_response *r;
	const json_t *row;

	week_path(path, sizeof path, w->id, "/hours.csv");
	r = harness_get(c, path);
	assert_status(r, 200);
	assert_content_type(r, "text/csv");
	assert_int_equal(api_csv_next(r->body, &pos, &rec), 1);
	assert_int_equal(rec.count, 7);
	for (i = 0; i < 7; i++)
		assert_string_equal(rec.field[i], header[i]);
	for (;;) {
		int got = api_csv_next(r->body, &pos, &rec);
		const json_t *match = NULL;
		long long id;

		assert_int_not_equal(got, -1);
		if (got == 0)
			break;
		assert_int_equal(rec.count, 7);
		for (i = 0; i < 7; i++)
			if (i != 1 && i != 2 && !is_count(rec.field[i]))
				fail_msg("hours.csv: %s is not a number: \"%s\"", header[i],
					 rec.field[i]);
		assert_true(rec.field[1][0] != '\0');
		assert_string_equal(rec.field[2], w->start);
		id = strtoll(rec.field[0], NULL, 10);
		json_array_foreach (rows, k, row) {
			if (api_json_int(row, "id") == id)
				match = row;
		}
		expect(match != NULL, "hours.csv: a carer of the board", rows);
		assert_false(has_id(seen, n, id));
		assert_true(n < DEMO_CARERS);
		seen[n++] = id;
		assert_int_equal(strtoll(rec.field[3], NULL, 10), api_json_int(match, "visits"));
		assert_int_equal(strtoll(rec.field[4], NULL, 10),
				 api_json_int(match, "visit_minutes"));
		assert_int_equal(strtoll(rec.field[5], NULL, 10),
				 api_json_int(match, "travel_minutes"));
		assert_int_equal(strtoll(rec.field[6], NULL, 10),
				 api_json_int(match, "contract_minutes"));
	}
	assert_int_equal(n, DEMO_CARERS);
}

/* GET /api/me/visits as the carer me (client mine): exactly her visits of
 * the published board, with the people's addresses. */
static void check_my_week(struct harness_client *coordinator, struct harness_client *mine,
			  const json_t *board, const json_t *row, const char *start)
{
	long long me = api_json_int(row, "id"), minutes = 0, count = 0;
	char path[PATH_LEN];
	const struct harness_response *r;
	const json_t *visits, *v, *bv, *c, *person;
	size_t i, k;

	snprintf(path, sizeof path, "/api/me/visits?week=%s", start);
	r = harness_get(mine, path);
	assert_status(r, 200);
	visits = json_object_get(r->json, "visits");
	expect(str_is(r->json, "week_start", start) && json_is_array(visits),
	       "my week: week_start and visits", r->json);
	expect(json_object_get(r->json, "published") == NULL ||
		       json_is_true(json_object_get(r->json, "published")),
	       "my week: a published week is not reported unpublished", r->json);
	json_array_foreach (visits, i, v) {
		const json_t *rec = json_object_get(v, "recipient");
		const json_t *with = json_object_get(v, "with");
		size_t others = 0;

		bv = visit_by_id(board, api_json_int(v, "id"));
		expect(visit_has(bv, me), "my week lists only my visits", v);
		expect(str_is(v, "local_start", api_json_str(bv, "local_start")) &&
			       api_json_int(v, "minutes") == api_json_int(bv, "minutes") &&
			       str_is(v, "tasks", api_json_str(bv, "tasks")),
		       "my visit: local_start, minutes and tasks as on the board", v);
		expect(str_is(rec, "known_as",
			      api_json_str(json_object_get(bv, "recipient"), "known_as")) &&
			       str_is(rec, "area",
				      api_json_str(json_object_get(bv, "recipient"), "area")),
		       "my visit: recipient known_as and area", v);
		snprintf(path, sizeof path, "/api/people/%lld",
			 api_json_int(json_object_get(bv, "recipient"), "id"));
		person = json_object_get(harness_get(coordinator, path)->json, "person");
		expect(api_json_str(person, "address") != NULL &&
			       api_json_str(person, "address")[0] != '\0' &&
			       str_is(rec, "address", api_json_str(person, "address")),
		       "my visit: the person's address", v);
		expect(json_is_array(with), "my visit: with", v);
		json_array_foreach (json_object_get(bv, "carers"), k, c) {
			if (api_json_int(c, "id") == me)
				continue;
			others++;
			expect(api_json_array_has(with, api_json_str(c, "known_as")),
			       "my visit: with names the other carer", v);
		}
		expect(json_array_size(with) == others, "my visit: with names only the others", v);
		minutes += api_json_int(v, "minutes");
	}
	json_array_foreach (json_object_get(board, "visits"), i, bv) {
		if (visit_has(bv, me) && str_is(bv, "status", "planned"))
			count++;
	}
	assert_int_equal((long long)json_array_size(visits), count);
	assert_int_equal(api_json_int(r->json, "visit_minutes"), minutes);
	assert_int_equal(api_json_int(r->json, "visit_minutes"),
			 api_json_int(row, "visit_minutes"));
	assert_int_equal(api_json_int(r->json, "travel_minutes"),
			 api_json_int(row, "travel_minutes"));
	assert_int_equal(api_json_int(r->json, "contract_minutes"),
			 api_json_int(row, "contract_minutes"));
}

/* The carer row with the most visits, preferring one on a two-carer visit. */
static const json_t *busiest_carer(const json_t *board)
{
	const json_t *best = NULL, *row;
	size_t i;

	json_array_foreach (json_object_get(board, "carers"), i, row) {
		if (best == NULL || api_json_int(row, "visits") > api_json_int(best, "visits"))
			best = row;
	}
	expect(best != NULL && api_json_int(best, "visits") > 0, "a carer with visits", board);
	return best;
}

/* Hours for payroll, a carer's own week, and who may see them. */
static void published_hours_and_my_week(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	struct harness_client *admin = api_client_login(srv, ADMIN);
	struct harness_client *treasurer = api_client_login(srv, TREASURER);
	struct harness_client *grace = api_client_login(srv, GRACE);
	struct harness_client *mine;
	char start[11], next[11], path[PATH_LEN], email[64];
	const struct harness_response *r;
	const json_t *board, *row;
	struct week_ref w;

	future_day(0, start);
	future_day(7, next);
	w = create_week(coordinator, start, DEMO_VISITS);
	solve_and_wait(coordinator, &w);

	row = busiest_carer(get_board(coordinator, &w));
	carer_email(api_json_str(row, "known_as"), email, sizeof email);
	mine = api_client_login(srv, email);

	/* Before publishing: nothing for the carer. */
	snprintf(path, sizeof path, "/api/me/visits?week=%s", start);
	r = harness_get(mine, path);
	assert_status(r, 200);
	expect(json_is_false(json_object_get(r->json, "published")) &&
		       json_array_size(json_object_get(r->json, "visits")) == 0,
	       "a draft week: published false and no visits", r->json);

	assert_status(publish(coordinator, &w), 200);
	board = get_board(coordinator, &w);
	check_board(board);
	row = busiest_carer(board);
	carer_email(api_json_str(row, "known_as"), email, sizeof email);
	mine = api_client_login(srv, email);
	print_message("my week as %s\n", email);
	check_my_week(coordinator, mine, board, row, start);

	/* A week with no rota at all. */
	snprintf(path, sizeof path, "/api/me/visits?week=%s", next);
	r = harness_get(mine, path);
	assert_status(r, 200);
	expect(json_is_false(json_object_get(r->json, "published")) &&
		       json_array_size(json_object_get(r->json, "visits")) == 0,
	       "no rota: published false and no visits", r->json);
	/* Only carers have a week of their own. */
	snprintf(path, sizeof path, "/api/me/visits?week=%s", start);
	assert_api_error(harness_get(grace, path), 403, API_FIELD_ANY);
	assert_api_error(harness_get(coordinator, path), 403, API_FIELD_ANY);

	/* Hours: coordinator, admin and treasurer; the treasurer not the board. */
	check_hours(coordinator, &w, board);
	check_hours(admin, &w, board);
	check_hours(treasurer, &w, board);
	week_path(path, sizeof path, w.id, "");
	assert_api_error(harness_get(treasurer, path), 403, API_FIELD_ANY);
	week_path(path, sizeof path, w.id, "/hours.csv");
	assert_api_error(harness_get(mine, path), 403, API_FIELD_ANY);
	assert_api_error(harness_get(grace, path), 403, API_FIELD_ANY);
}

/* Sends a cover request; the reply. */
static const struct harness_response *cover(struct harness_client *c, const struct week_ref *w,
					    long long carer, const char *from, const char *to,
					    bool confirm)
{
	char path[PATH_LEN];

	week_path(path, sizeof path, w->id, "/cover");
	return harness_send_json(c, "POST", path, "{s:I, s:s, s:s, s:b}", "carer_id",
				 (json_int_t)carer, "start", from, "end", to, "confirm", confirm);
}

/* One change of a cover reply, checked against the board before: from is
 * what the visit had, the absent carer is in from and not in to. */
static void check_cover_change(const json_t *ch, const json_t *before, long long carer)
{
	long long from[CARERS_MAX], to[CARERS_MAX], had[CARERS_MAX];
	const json_t *bv = visit_by_id(before, api_json_int(ch, "visit_id"));
	size_t nf, nt, nh = 0, k;
	const json_t *c;

	nf = ids_of(json_object_get(ch, "from"), from, CARERS_MAX);
	nt = ids_of(json_object_get(ch, "to"), to, CARERS_MAX);
	json_array_foreach (json_object_get(bv, "carers"), k, c) {
		had[nh++] = api_json_int(c, "id");
	}
	expect(str_is(ch, "local_start", api_json_str(bv, "local_start")) &&
		       api_json_int(json_object_get(ch, "recipient"), "id") ==
			       api_json_int(json_object_get(bv, "recipient"), "id") &&
		       str_is(json_object_get(ch, "recipient"), "known_as",
			      api_json_str(json_object_get(bv, "recipient"), "known_as")),
	       "a change names the visit's local_start and recipient {id, known_as}", ch);
	expect(same_ids(from, nf, had, nh), "from: the visit's carers before", ch);
	expect(has_id(from, nf, carer), "from: the absent carer was on it", ch);
	expect(!has_id(to, nt, carer), "to: without the absent carer", ch);
	expect(json_is_boolean(json_object_get(ch, "applied")) &&
		       json_is_boolean(json_object_get(ch, "needs_confirmation")),
	       "a change: applied and needs_confirmation", ch);
}

/* How many absences of carer on record run exactly from .. to. */
static size_t absences(struct harness_client *c, long long carer, const char *from, const char *to)
{
	char path[PATH_LEN];
	const struct harness_response *r;
	const json_t *x;
	size_t i, n = 0;

	snprintf(path, sizeof path, "/api/carers/%lld/exceptions", carer);
	r = harness_get(c, path);
	assert_status(r, 200);
	json_array_foreach (json_object_get(r->json, "exceptions"), i, x) {
		if (str_is(x, "start", from) && str_is(x, "end", to) &&
		    str_is(x, "status", "approved") &&
		    (str_is(x, "kind", "sickness") || str_is(x, "kind", "leave")))
			n++;
	}
	return n;
}

/* Sickness cover well ahead of time: the carer comes off every visit of
 * the period, the replacements break no rule, nothing else moves, the
 * absence is recorded and, the week being published, so are the changes. */
static void cover_future_absence(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	static struct snapshot before_snap, after_snap; /* static: a failure leaks nothing */
	char start[11], wednesday[11], thursday[11], from[17], to[17], path[PATH_LEN];
	long long carer = 0, affected = 0, best = 0, logged;
	const struct harness_response *r;
	const json_t *before, *after, *changes, *ch, *v, *row, *x;
	size_t i, k, nexc;
	struct week_ref w;

	future_day(0, start);
	future_day(2, wednesday);
	future_day(3, thursday);
	snprintf(from, sizeof from, "%sT00:00", wednesday);
	snprintf(to, sizeof to, "%sT00:00", thursday);
	w = create_week(coordinator, start, DEMO_VISITS);
	solve_and_wait(coordinator, &w);
	assert_status(publish(coordinator, &w), 200);
	before = get_board(coordinator, &w);
	take_snapshot(before, &before_snap);

	/* The carer with the most visits on Wednesday. */
	json_array_foreach (json_object_get(before, "carers"), i, row) {
		long long id = api_json_int(row, "id"), n = 0;
		json_array_foreach (json_object_get(before, "visits"), k, v) {
			if (visit_has(v, id) &&
			    strncmp(api_json_str(v, "local_start"), wednesday, 10) == 0)
				n++;
		}
		if (n > best) {
			best = n;
			carer = id;
		}
	}
	expect(best > 0, "someone works on Wednesday", NULL);

	/* Bad requests record nothing. */
	snprintf(path, sizeof path, "/api/carers/%lld/exceptions", carer);
	nexc = api_list_count(coordinator, path, "exceptions");
	assert_api_error(cover(coordinator, &w, carer, to, from, false), 400, "end");
	assert_api_error(
		cover(coordinator, &w, api_person_id(coordinator, COORDINATOR), from, to, false),
		400, "carer_id");
	assert_api_error(
		cover(coordinator, &w, carer, "2031-01-01T00:00", "2031-01-02T00:00", false), 400,
		API_FIELD_ANY);
	assert_api_error(cover(coordinator, &w, carer, "Wednesday", to, false), 400, "start");
	assert_int_equal(api_list_count(coordinator, path, "exceptions"), nexc);

	week_path(path, sizeof path, w.id, "/changes");
	logged = (long long)api_list_count(coordinator, path, "changes");
	r = cover(coordinator, &w, carer, from, to, false);
	assert_status(r, 200);
	changes = json_object_get(r->json, "changes");
	expect(json_is_array(changes) && (long long)json_array_size(changes) == best,
	       "a change for each of the carer's visits in the period", r->json);
	json_array_foreach (changes, i, ch) {
		check_cover_change(ch, before, carer);
		expect(json_is_true(json_object_get(ch, "applied")) &&
			       json_is_false(json_object_get(ch, "needs_confirmation")),
		       "outside the notice window a change is applied", ch);
		expect(strncmp(api_json_str(ch, "local_start"), wednesday, 10) == 0,
		       "only visits in the period", ch);
		affected++;
	}

	after = get_board(coordinator, &w);
	check_board(after);
	take_snapshot(after, &after_snap);
	json_array_foreach (json_object_get(after, "visits"), i, v) {
		long long id = api_json_int(v, "id");
		const json_t *change = NULL;
		if (strncmp(api_json_str(v, "local_start"), wednesday, 10) == 0)
			expect(!visit_has(v, carer),
			       "the absent carer is on no visit of the period", v);
		json_array_foreach (changes, k, ch) {
			if (api_json_int(ch, "visit_id") == id)
				change = ch;
		}
		if (change == NULL) {
			if (!same_visit(snap_find(&before_snap, id), snap_find(&after_snap, id)))
				fail_msg("visit %lld moved though it was not affected", id);
		} else {
			long long want[CARERS_MAX];
			size_t nw = ids_of(json_object_get(change, "to"), want, CARERS_MAX);
			const struct visit_carers *now = snap_find(&after_snap, id);
			expect(same_ids(want, nw, now->carer, now->n),
			       "the visit has the new carers", v);
			/* The replacements break no rule. */
			if (nw > 0)
				expect(json_is_true(json_object_get(
					       check(coordinator, id, want, nw)->json, "ok")),
				       "a replacement keeps the rules", v);
		}
	}

	/* The absence is on the carer's record, once ... */
	assert_int_equal(absences(coordinator, carer, from, to), 1);
	/* ... and each applied change in the published week's log. */
	week_path(path, sizeof path, w.id, "/changes");
	r = harness_get(coordinator, path);
	assert_status(r, 200);
	assert_int_equal((long long)json_array_size(json_object_get(r->json, "changes")),
			 logged + affected);
	json_array_foreach (changes, i, ch) {
		bool listed = false;
		json_array_foreach (json_object_get(r->json, "changes"), k, x) {
			if (api_json_int(x, "visit_id") == api_json_int(ch, "visit_id") &&
			    str_is(x, "user", COORDINATOR))
				listed = true;
		}
		expect(listed, "a cover change is in the log", ch);
	}
}

/* A visit within the next 24 h is moved only when confirmed. Uses this
 * week and the next (one of them holds the next 24 hours), which the demo
 * has published. */
static void cover_notice_window(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	static struct snapshot before_snap, after_snap; /* static: a failure leaks nothing */
	char start[2][11], end[17];
	long long monday = monday_on_or_before(today_days()), carer = 0, now;
	const struct harness_response *r;
	const json_t *target = NULL, *started, *ch, *v, *board = NULL;
	struct week_ref w[2];
	int wi = -1;
	size_t i;

	/* The demo publishes solved rotas for both; make them if it did not. */
	for (int k = 0; k < 2; k++) {
		const json_t *found;
		date_of(monday + 7 * k, start[k]);
		found = week_find(coordinator, start[k]);
		if (found != NULL) {
			w[k].id = api_json_int(found, "id");
			snprintf(w[k].start, sizeof w[k].start, "%s", start[k]);
		} else {
			w[k] = create_week(coordinator, start[k], DEMO_VISITS);
			solve_and_wait(coordinator, &w[k]);
		}
	}

	/* A visit with a carer, starting between 30 min and 22 h from now. */
	now = (long long)time(NULL);
	for (int k = 0; k < 2 && target == NULL; k++) {
		board = get_board(coordinator, &w[k]);
		json_array_foreach (json_object_get(board, "visits"), i, v) {
			long long at = api_json_int(v, "starts_at");
			if (at >= now + 1800 && at <= now + NOTICE_SECONDS - 7200 &&
			    json_array_size(json_object_get(v, "carers")) > 0) {
				target = v;
				wi = k;
				break;
			}
		}
	}
	if (target == NULL) {
		print_message("no assigned visit in the next 22 hours: notice window not tested\n");
		skip();
	}
	carer = api_json_int(json_array_get(json_object_get(target, "carers"), 0), "id");
	wall_plus(api_json_str(target, "local_start"), api_json_int(target, "minutes"), end);
	print_message("cover for carer %lld at %s to %s\n", carer,
		      api_json_str(target, "local_start"), end);
	take_snapshot(board, &before_snap);

	/* Not confirmed: reported, not moved. */
	r = cover(coordinator, &w[wi], carer, api_json_str(target, "local_start"), end, false);
	assert_status(r, 200);
	expect(json_array_size(json_object_get(r->json, "changes")) == 1,
	       "the one visit of the period", r->json);
	ch = json_array_get(json_object_get(r->json, "changes"), 0);
	expect(api_json_int(ch, "visit_id") == api_json_int(target, "id"), "that visit", ch);
	check_cover_change(ch, board, carer);
	expect(json_is_false(json_object_get(ch, "applied")) &&
		       json_is_true(json_object_get(ch, "needs_confirmation")),
	       "within 24 h: not applied, needs confirmation", ch);
	take_snapshot(get_board(coordinator, &w[wi]), &after_snap);
	expect_same_snapshots(&before_snap, &after_snap, "an unconfirmed cover");

	/* Confirmed: moved, and nothing else. */
	r = cover(coordinator, &w[wi], carer, api_json_str(target, "local_start"), end, true);
	assert_status(r, 200);
	expect(json_array_size(json_object_get(r->json, "changes")) == 1,
	       "the one visit of the period", r->json);
	ch = json_array_get(json_object_get(r->json, "changes"), 0);
	check_cover_change(ch, board, carer);
	expect(json_is_true(json_object_get(ch, "applied")) &&
		       json_is_false(json_object_get(ch, "needs_confirmation")),
	       "confirmed: applied", ch);
	board = get_board(coordinator, &w[wi]);
	expect(!visit_has(visit_by_id(board, api_json_int(target, "id")), carer),
	       "the absent carer is off the visit", board);
	/* The demo's week is published: the confirmed move is in its log. */
	if (str_is(json_object_get(board, "week"), "status", "published")) {
		char path[PATH_LEN];
		bool listed = false;
		week_path(path, sizeof path, w[wi].id, "/changes");
		r = harness_get(coordinator, path);
		assert_status(r, 200);
		json_array_foreach (json_object_get(r->json, "changes"), i, v) {
			if (api_json_int(v, "visit_id") == api_json_int(target, "id") &&
			    str_is(v, "user", COORDINATOR))
				listed = true;
		}
		expect(listed, "the confirmed cover is in the change log", r->json);
	}
	take_snapshot(board, &after_snap);
	for (i = 0; i < before_snap.n; i++)
		if (before_snap.v[i].id != api_json_int(target, "id") &&
		    !same_visit(&before_snap.v[i], snap_find(&after_snap, before_snap.v[i].id)))
			fail_msg("visit %lld moved though it was not affected",
				 before_snap.v[i].id);
	/* The confirming call did not record the absence again. */
	assert_int_equal(absences(coordinator, carer, api_json_str(target, "local_start"), end), 1);

	/* A visit that has started never moves, even when confirmed. */
	now = (long long)time(NULL);
	started = NULL;
	board = get_board(coordinator, &w[0]);
	json_array_foreach (json_object_get(board, "visits"), i, v) {
		if (api_json_int(v, "starts_at") <= now - 60 &&
		    json_array_size(json_object_get(v, "carers")) > 0)
			started = v;
	}
	if (started == NULL) {
		print_message("no visit has started this week yet: not tested\n");
		return;
	}
	carer = api_json_int(json_array_get(json_object_get(started, "carers"), 0), "id");
	wall_plus(api_json_str(started, "local_start"), api_json_int(started, "minutes"), end);
	print_message("cover for carer %lld at %s (started)\n", carer,
		      api_json_str(started, "local_start"));
	take_snapshot(board, &before_snap);
	r = cover(coordinator, &w[0], carer, api_json_str(started, "local_start"), end, true);
	assert_status(r, 200);
	json_array_foreach (json_object_get(r->json, "changes"), i, ch) {
		expect(api_json_int(ch, "visit_id") != api_json_int(started, "id") ||
			       json_is_false(json_object_get(ch, "applied")),
		       "a started visit is not moved", ch);
	}
	take_snapshot(get_board(coordinator, &w[0]), &after_snap);
	expect_same_snapshots(&before_snap, &after_snap, "covering a started visit");
}

/* The reply to a reassignment is a visit like the board's (a pin's reason
 * included), and an empty list takes everyone off the visit. */
static void reassign_reply_and_empty_list(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	long long amira = api_person_id(coordinator, AMIRA);
	char start[11], local[17];
	const struct harness_response *r;
	const json_t *board, *v, *c;
	struct week_ref w;
	long long vid;

	future_day(0, start);
	w = create_week(coordinator, start, DEMO_VISITS);
	snprintf(local, sizeof local, "%sT08:00", start);
	vid = api_json_int(find_visit(get_board(coordinator, &w), "Margaret", local), "id");

	r = send_carers(coordinator, true, vid, &amira, 1);
	assert_status(r, 200);
	v = json_object_get(r->json, "visit");
	c = json_array_get(json_object_get(v, "carers"), 0);
	expect(api_json_int(v, "id") == vid &&
		       str_is(json_object_get(v, "recipient"), "known_as", "Margaret") &&
		       api_json_str(json_object_get(v, "recipient"), "area") != NULL &&
		       str_is(v, "local_start", local) && str_is(v, "status", "planned") &&
		       api_json_int(v, "minutes") == 45 && api_json_int(v, "carers_needed") == 1 &&
		       api_json_int(v, "uncovered") == 0 &&
		       json_array_size(json_object_get(v, "carers")) == 1 &&
		       api_json_int(c, "id") == amira && str_is(c, "known_as", "Amira") &&
		       json_is_true(json_object_get(c, "pinned")),
	       "the reply is the visit with Amira, pinned", r->json);
	board = get_board(coordinator, &w);
	check_board(board);
	expect(visit_has(visit_by_id(board, vid), amira), "the board shows Amira", NULL);

	/* Everyone off. */
	r = send_carers(coordinator, true, vid, NULL, 0);
	assert_status(r, 200);
	expect(json_array_size(json_object_get(json_object_get(r->json, "visit"), "carers")) == 0 &&
		       api_json_int(json_object_get(r->json, "visit"), "uncovered") == 1,
	       "an empty list leaves the visit uncovered", r->json);
	board = get_board(coordinator, &w);
	check_board(board);
	expect(json_array_size(json_object_get(visit_by_id(board, vid), "carers")) == 0,
	       "the board shows nobody on the visit", visit_by_id(board, vid));

	/* The reply's reason, as the board's, says the coordinator chose her. */
	r = send_carers(coordinator, true, vid, &amira, 1);
	assert_status(r, 200);
	c = json_array_get(json_object_get(json_object_get(r->json, "visit"), "carers"), 0);
	expect(api_json_str(c, "reason") != NULL &&
		       strncmp(api_json_str(c, "reason"), PINNED_REASON, strlen(PINNED_REASON)) ==
			       0,
	       "the reply's pinned carer has the reason \"" PINNED_REASON "...\"", r->json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(draft_generate_and_find, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(dst_weeks_keep_local_times, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(solve_check_pin_publish, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(reassign_reply_and_empty_list, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(published_hours_and_my_week, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(cover_future_absence, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(cover_notice_window, api_server_setup,
						api_server_teardown),
	};

	return cmocka_run_group_tests_name("api_rota", tests, NULL, NULL);
}
