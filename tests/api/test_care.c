/*
 * API tests, care records (docs/API.md "People and care"): carers, their
 * weekly availability and leave; people receiving care, who may see them
 * (coordinators, the care team, family viewers), the audit log of every
 * read, care teams and care plans changing over time. Every test gets a
 * fresh demo co-op: Margaret Ellis's team is Amira, Ben, Jack (in that
 * order) and her daughter Susan may view her schedule; Arthur Penrose's team
 * is Kasia and Amira; Dorothy Hughes excludes Femi; Ben has asked for leave.
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

#define ADMIN       "admin@carecoop.example"
#define COORDINATOR "coordinator@carecoop.example"
#define TREASURER   "treasurer@carecoop.example"
#define GRACE       "grace@carecoop.example"
#define SUSAN       "susan@carecoop.example"
#define MARGARET    "margaret@carecoop.example"
#define AMIRA       "amira@carecoop.example"
#define BEN         "ben@carecoop.example"
#define CHLOE       "chloe@carecoop.example"
#define FEMI        "femi@carecoop.example"
#define JACK        "jack@carecoop.example"
#define NO_SUCH_ID  999999LL
#define PATH_LEN    160
#define BODY_LEN    1024
#define DEMO_CARERS 12

/* One request body and the field its 400 must name (a prefix when the
 * contract fixes only the start, as "weekly[2]" or "days"). */
struct bad_body {
	const char *label;
	const char *body;
	const char *field;
};

/* Sends each bad body and expects 400 naming its field. */
static void send_bad_bodies(struct harness_client *c, const char *method, const char *path,
			    const struct bad_body *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		print_message("%s %s: %s\n", method, path, cases[i].label);
		assert_api_error_prefix(
			api_send_text(c, method, path, "application/json", cases[i].body), 400,
			cases[i].field);
	}
}

/* GET path as c, asserting 200; the object member key of the reply. */
static const json_t *get_object(struct harness_client *c, const char *path, const char *key)
{
	const struct harness_response *r = harness_get(c, path);
	const json_t *o;

	if (r->status != 200)
		print_error("GET %s\n", path);
	assert_status(r, 200);
	o = json_object_get(r->json, key);
	if (!json_is_object(o))
		fail_msg("GET %s: no object \"%s\" in %.300s", path, key, r->body);
	return o;
}

static const json_t *get_carer(struct harness_client *c, long long id)
{
	char path[PATH_LEN];

	snprintf(path, sizeof path, "/api/carers/%lld", id);
	return get_object(c, path, "carer");
}

static const json_t *get_recipient(struct harness_client *c, long long id)
{
	char path[PATH_LEN];

	snprintf(path, sizeof path, "/api/recipients/%lld", id);
	return get_object(c, path, "recipient");
}

static const struct harness_response *get_recipient_reply(struct harness_client *c, long long id)
{
	char path[PATH_LEN];

	snprintf(path, sizeof path, "/api/recipients/%lld", id);
	return harness_get(c, path);
}

/* The person id of someone without a login, by full name. */
static long long person_named(struct harness_client *c, const char *full_name)
{
	char path[PATH_LEN], q[PATH_LEN - 32]; /* room for "/api/people?q=" */
	size_t k = 0;
	long long id;

	for (const char *s = full_name; *s != '\0' && k + 4 < sizeof q; s++) {
		if (*s == ' ') {
			memcpy(q + k, "%20", 3);
			k += 3;
		} else {
			q[k++] = *s;
		}
	}
	q[k] = '\0';
	snprintf(path, sizeof path, "/api/people?q=%s", q);
	id = api_find_id(c, path, "people", "full_name", full_name);
	if (id <= 0)
		fail_msg("no person called %s", full_name);
	return id;
}

/* True if the array arr holds an object whose "id" is id. */
static bool has_id(const json_t *arr, long long id)
{
	size_t i;
	const json_t *v;

	json_array_foreach (arr, i, v) {
		if (api_json_int(v, "id") == id)
			return true;
	}
	return false;
}

/* The recipients c sees in GET /api/recipients. */
static const json_t *recipient_list(struct harness_client *c)
{
	const struct harness_response *r = harness_get(c, "/api/recipients");

	assert_status(r, 200);
	assert_true(json_is_array(json_object_get(r->json, "recipients")));
	return json_object_get(r->json, "recipients");
}

/* True if the audit entry's "user" (a string or an object) names email or name. */
static bool names_user(const json_t *entry, const char *email, const char *name)
{
	char *who = json_dumps(json_object_get(entry, "user"), JSON_ENCODE_ANY);
	bool yes = who != NULL && (api_contains(who, email) || api_contains(who, name));

	free(who);
	return yes;
}

/* The number of entries in the audit log (admin client). */
static size_t audit_count(struct harness_client *admin)
{
	return api_list_count(admin, "/api/audit?limit=1000", "entries");
}

/* Among the audit entries written since the log held before entries, one
 * must be a change (not a view) made by email. A change may be logged
 * along with a view when its reply shows the record. */
static void check_change_logged(struct harness_client *admin, size_t before, const char *email,
				const char *name)
{
	const struct harness_response *r = harness_get(admin, "/api/audit?limit=1000");
	const json_t *entries, *e;
	size_t fresh;

	assert_status(r, 200);
	entries = json_object_get(r->json, "entries");
	assert_true(json_array_size(entries) >= before);
	fresh = json_array_size(entries) - before;
	for (size_t i = 0; i < fresh; i++) {
		const char *action;
		e = json_array_get(entries, i);
		action = api_json_str(e, "action");
		if (action != NULL && strcmp(action, "view") != 0 && names_user(e, email, name))
			return;
	}
	fail_msg("no change by %s among the %zu newest audit entries: %.400s", email, fresh,
		 r->body);
}

/* ---- carers ---- */

static void carers_create_and_patch(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	struct harness_client *admin = api_client_login(srv, ADMIN);
	struct harness_client *amira = api_client_login(srv, AMIRA);
	static const struct bad_body bad[] = {
		{"unknown skill",
		 "{\"full_name\":\"Nia Jones\",\"known_as\":\"Nia\",\"skills\":[\"meds\","
		 "\"teleporting\"],\"contract_minutes\":1200}",
		 "skills[1]"},
		{"skill not a string",
		 "{\"full_name\":\"Nia Jones\",\"known_as\":\"Nia\",\"skills\":[7],"
		 "\"contract_minutes\":1200}",
		 "skills[0]"},
		{"contract -1",
		 "{\"full_name\":\"Nia Jones\",\"known_as\":\"Nia\",\"skills\":[],"
		 "\"contract_minutes\":-1}",
		 "contract_minutes"},
		{"contract over a week",
		 "{\"full_name\":\"Nia Jones\",\"known_as\":\"Nia\",\"skills\":[],"
		 "\"contract_minutes\":10081}",
		 "contract_minutes"},
		{"max 0",
		 "{\"full_name\":\"Nia Jones\",\"known_as\":\"Nia\",\"skills\":[],"
		 "\"contract_minutes\":600,\"max_week_minutes\":0}",
		 "max_week_minutes"},
		{"max over a week",
		 "{\"full_name\":\"Nia Jones\",\"known_as\":\"Nia\",\"skills\":[],"
		 "\"contract_minutes\":600,\"max_week_minutes\":10081}",
		 "max_week_minutes"},
		{"lat 91",
		 "{\"full_name\":\"Nia Jones\",\"known_as\":\"Nia\",\"lat\":91,\"lon\":0,"
		 "\"skills\":[],\"contract_minutes\":600}",
		 "lat"},
		{"unknown person_id",
		 "{\"person_id\":999999,\"skills\":[],\"contract_minutes\":600}", "person_id"},
	};
	const struct harness_response *r;
	const json_t *c, *skills;
	char path[PATH_LEN];
	long long nia, owen;
	size_t audit_before;

	assert_int_equal(api_list_count(coordinator, "/api/carers", "carers"), DEMO_CARERS);
	send_bad_bodies(coordinator, "POST", "/api/carers", bad, sizeof bad / sizeof bad[0]);
	assert_int_equal(api_list_count(coordinator, "/api/carers", "carers"), DEMO_CARERS);

	audit_before = audit_count(admin);
	r = api_send_text(coordinator, "POST", "/api/carers", "application/json",
			  "{\"full_name\":\"Nia Jones\",\"known_as\":\"Nia\","
			  "\"email\":\"nia@example.org\",\"area\":\"Totnes town\","
			  "\"lat\":50.4321,\"lon\":-3.6843,\"skills\":[\"meds\",\"hoist\"],"
			  "\"contract_minutes\":1200}");
	assert_status(r, 201);
	check_change_logged(admin, audit_before, COORDINATOR, "Helen Ward");
	nia = api_find_id(coordinator, "/api/carers?q=Nia%20Jones", "carers", "full_name",
			  "Nia Jones");
	assert_true(nia > 0);
	c = get_carer(coordinator, nia);
	assert_string_equal(api_json_str(c, "known_as"), "Nia");
	assert_string_equal(api_json_str(c, "email"), "nia@example.org");
	assert_true(api_json_near(c, "lat", 50.4321));
	skills = json_object_get(c, "skills");
	assert_int_equal(json_array_size(skills), 2);
	assert_true(api_json_array_has(skills, "meds"));
	assert_true(api_json_array_has(skills, "hoist"));
	assert_int_equal(api_json_int(c, "contract_minutes"), 1200);
	/* 48 hours, the Working Time Regulations, unless told otherwise. */
	assert_int_equal(api_json_int(c, "max_week_minutes"), 2880);
	assert_true(json_is_array(json_object_get(c, "weekly")));
	assert_int_equal(json_array_size(json_object_get(c, "weekly")), 0);
	assert_int_equal(api_list_count(coordinator, "/api/carers", "carers"), DEMO_CARERS + 1);

	/* An existing person becomes a carer; the limits themselves are allowed. */
	r = harness_send_json(admin, "POST", "/api/people", "{s:s, s:s}", "full_name", "Owen Price",
			      "known_as", "Owen");
	assert_status(r, 201);
	owen = api_json_int(json_object_get(r->json, "person"), "id");
	r = harness_send_json(admin, "POST", "/api/carers", "{s:I, s:[], s:i, s:i}", "person_id",
			      (json_int_t)owen, "skills", "contract_minutes", 0, "max_week_minutes",
			      10080);
	assert_status(r, 201);
	c = get_carer(admin, owen);
	assert_string_equal(api_json_str(c, "full_name"), "Owen Price");
	assert_int_equal(api_json_int(c, "contract_minutes"), 0);
	assert_int_equal(api_json_int(c, "max_week_minutes"), 10080);

	/* PATCH: carer fields and person fields; a bad one changes nothing. */
	snprintf(path, sizeof path, "/api/carers/%lld", nia);
	audit_before = audit_count(admin);
	r = api_send_text(coordinator, "PATCH", path, "application/json",
			  "{\"contract_minutes\":1500,\"max_week_minutes\":2400,"
			  "\"skills\":[\"dementia\"],\"area\":\"Dartington\"}");
	assert_status(r, 200);
	check_change_logged(admin, audit_before, COORDINATOR, "Helen Ward");
	r = api_send_text(coordinator, "PATCH", path, "application/json",
			  "{\"skills\":[\"meds\",\"nope\"],\"contract_minutes\":60}");
	assert_api_error(r, 400, "skills[1]");
	r = api_send_text(coordinator, "PATCH", path, "application/json",
			  "{\"contract_minutes\":-1}");
	assert_api_error(r, 400, "contract_minutes");
	r = api_send_text(coordinator, "PATCH", path, "application/json",
			  "{\"max_week_minutes\":0}");
	assert_api_error(r, 400, "max_week_minutes");
	c = get_carer(coordinator, nia);
	assert_int_equal(api_json_int(c, "contract_minutes"), 1500);
	assert_int_equal(api_json_int(c, "max_week_minutes"), 2400);
	assert_int_equal(json_array_size(json_object_get(c, "skills")), 1);
	assert_true(api_json_array_has(json_object_get(c, "skills"), "dementia"));
	assert_string_equal(api_json_str(c, "area"), "Dartington");
	assert_string_equal(api_json_str(c, "full_name"), "Nia Jones");

	r = harness_send_json(coordinator, "PATCH", "/api/carers/999999", "{s:i}",
			      "contract_minutes", 60);
	assert_api_error(r, 404, API_FIELD_ANY);
	assert_api_error(harness_get(coordinator, "/api/carers/999999"), 404, API_FIELD_ANY);
	/* Grace is a person, not a carer. */
	snprintf(path, sizeof path, "/api/carers/%lld", api_person_id(coordinator, GRACE));
	assert_api_error(harness_get(coordinator, path), 404, API_FIELD_ANY);

	/* A carer neither adds carers nor changes her own contract. */
	r = harness_send_json(amira, "POST", "/api/carers", "{s:s, s:s, s:[], s:i}", "full_name",
			      "Sneaky Friend", "known_as", "Sneaky", "skills", "contract_minutes",
			      600);
	assert_api_error(r, 403, API_FIELD_ANY);
	snprintf(path, sizeof path, "/api/carers/%lld", api_person_id(coordinator, AMIRA));
	r = harness_send_json(amira, "PATCH", path, "{s:i}", "contract_minutes", 10080);
	assert_api_error(r, 403, API_FIELD_ANY);
	assert_int_equal(api_json_int(get_carer(coordinator, api_person_id(coordinator, AMIRA)),
				      "contract_minutes"),
			 2250);
}

static void carers_access(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	struct harness_client *admin = api_client_login(srv, ADMIN);
	struct harness_client *amira = api_client_login(srv, AMIRA);
	struct harness_client *treasurer = api_client_login(srv, TREASURER);
	struct harness_client *grace = api_client_login(srv, GRACE);
	struct harness_client *anon = harness_client_new(srv);
	long long amira_id = api_person_id(coordinator, AMIRA);
	long long ben_id = api_person_id(coordinator, BEN);
	const json_t *c, *list;
	const struct harness_response *r;
	char path[PATH_LEN];

	c = get_carer(amira, amira_id);
	assert_int_equal(api_json_int(c, "id"), amira_id);
	assert_string_equal(api_json_str(c, "email"), AMIRA);
	assert_true(json_array_size(json_object_get(c, "weekly")) > 0);
	snprintf(path, sizeof path, "/api/carers/%lld", ben_id);
	r = harness_get(amira, path);
	assert_api_hidden(r);
	assert_false(api_contains(r->body, "Ben Carter"));

	/* The list: everyone for staff, only herself for a carer. */
	assert_int_equal(api_list_count(coordinator, "/api/carers", "carers"), DEMO_CARERS);
	assert_int_equal(api_list_count(admin, "/api/carers", "carers"), DEMO_CARERS);
	r = harness_get(amira, "/api/carers");
	assert_status(r, 200);
	list = json_object_get(r->json, "carers");
	assert_int_equal(json_array_size(list), 1);
	assert_true(has_id(list, amira_id));
	r = harness_get(coordinator, "/api/carers?q=Khalil");
	assert_status(r, 200);
	list = json_object_get(r->json, "carers");
	assert_int_equal(json_array_size(list), 1);
	assert_true(has_id(list, amira_id));

	assert_api_error(harness_get(treasurer, "/api/carers"), 403, API_FIELD_ANY);
	assert_api_error(harness_get(grace, "/api/carers"), 403, API_FIELD_ANY);
	assert_api_error(harness_get(anon, "/api/carers"), 401, NULL);
	assert_api_error(harness_get(amira, "/api/carers.csv"), 403, API_FIELD_ANY);
}

/* ---- availability ---- */

static const struct harness_response *put_weekly(struct harness_client *c, long long carer,
						 const char *body)
{
	char path[PATH_LEN];

	snprintf(path, sizeof path, "/api/carers/%lld/availability", carer);
	return api_send_text(c, "PUT", path, "application/json", body);
}

/* True if the weekly array holds that span. */
static bool has_span(const json_t *weekly, int weekday, const char *start, const char *end)
{
	size_t i;
	const json_t *s;

	json_array_foreach (weekly, i, s) {
		const char *a = api_json_str(s, "start"), *b = api_json_str(s, "end");
		if (api_json_int(s, "weekday") == weekday && a != NULL && b != NULL &&
		    strcmp(a, start) == 0 && strcmp(b, end) == 0)
			return true;
	}
	return false;
}

static void availability_rules(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	struct harness_client *amira = api_client_login(srv, AMIRA);
	struct harness_client *treasurer = api_client_login(srv, TREASURER);
	long long amira_id = api_person_id(coordinator, AMIRA);
	long long ben_id = api_person_id(coordinator, BEN);
	static const struct bad_body bad[] = {
		{"overlap on Monday",
		 "{\"weekly\":[{\"weekday\":1,\"start\":\"09:00\",\"end\":\"12:00\"},"
		 "{\"weekday\":2,\"start\":\"09:00\",\"end\":\"12:00\"},"
		 "{\"weekday\":1,\"start\":\"11:00\",\"end\":\"13:00\"}]}",
		 "weekly[2]"},
		{"one span inside another",
		 "{\"weekly\":[{\"weekday\":3,\"start\":\"08:00\",\"end\":\"18:00\"},"
		 "{\"weekday\":3,\"start\":\"10:00\",\"end\":\"11:00\"}]}",
		 "weekly[1]"},
		{"start 25:00",
		 "{\"weekly\":[{\"weekday\":1,\"start\":\"25:00\",\"end\":\"26:00\"}]}",
		 "weekly[0].start"},
		{"start 24:00",
		 "{\"weekly\":[{\"weekday\":1,\"start\":\"24:00\",\"end\":\"24:00\"}]}",
		 "weekly[0].start"},
		{"start 09:60",
		 "{\"weekly\":[{\"weekday\":1,\"start\":\"09:60\",\"end\":\"11:00\"}]}",
		 "weekly[0].start"},
		{"end 24:01",
		 "{\"weekly\":[{\"weekday\":1,\"start\":\"09:00\",\"end\":\"24:01\"}]}",
		 "weekly[0].end"},
		{"end before start",
		 "{\"weekly\":[{\"weekday\":1,\"start\":\"09:00\",\"end\":\"10:00\"},"
		 "{\"weekday\":4,\"start\":\"10:00\",\"end\":\"09:00\"}]}",
		 "weekly[1].end"},
		{"end equal to start",
		 "{\"weekly\":[{\"weekday\":1,\"start\":\"09:00\",\"end\":\"09:00\"}]}",
		 "weekly[0].end"},
		{"weekday 0",
		 "{\"weekly\":[{\"weekday\":0,\"start\":\"09:00\",\"end\":\"10:00\"}]}",
		 "weekly[0].weekday"},
		{"weekday 8",
		 "{\"weekly\":[{\"weekday\":8,\"start\":\"09:00\",\"end\":\"10:00\"}]}",
		 "weekly[0].weekday"},
		{"no weekly", "{}", "weekly"},
	};
	const json_t *before, *ben_before, *weekly;

	before = json_object_get(get_carer(amira, amira_id), "weekly");
	assert_true(json_array_size(before) > 0);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		print_message("availability: %s\n", bad[i].label);
		assert_api_error_prefix(put_weekly(amira, amira_id, bad[i].body), 400,
					bad[i].field);
		/* No half-written pattern: the old one stands. */
		if (!json_equal(before, json_object_get(get_carer(amira, amira_id), "weekly")))
			fail_msg("a refused PUT (%s) changed the weekly pattern", bad[i].label);
	}

	/* 24:00 ends a day; spans that only touch do not overlap. */
	assert_status(
		put_weekly(amira, amira_id,
			   "{\"weekly\":[{\"weekday\":1,\"start\":\"18:00\",\"end\":\"24:00\"},"
			   "{\"weekday\":1,\"start\":\"06:00\",\"end\":\"10:00\"},"
			   "{\"weekday\":2,\"start\":\"09:00\",\"end\":\"12:00\"},"
			   "{\"weekday\":2,\"start\":\"12:00\",\"end\":\"15:00\"},"
			   "{\"weekday\":7,\"start\":\"00:00\",\"end\":\"24:00\"}]}"),
		200);
	weekly = json_object_get(get_carer(amira, amira_id), "weekly");
	assert_int_equal(json_array_size(weekly), 5);
	assert_true(has_span(weekly, 1, "18:00", "24:00"));
	assert_true(has_span(weekly, 1, "06:00", "10:00"));
	assert_true(has_span(weekly, 2, "12:00", "15:00"));
	assert_true(has_span(weekly, 7, "00:00", "24:00"));
	assert_false(has_span(weekly, 1, "07:00", "13:00")); /* the old pattern is gone */

	/* The coordinator may set it too. */
	assert_status(
		put_weekly(coordinator, amira_id,
			   "{\"weekly\":[{\"weekday\":5,\"start\":\"07:30\",\"end\":\"12:15\"}]}"),
		200);
	weekly = json_object_get(get_carer(amira, amira_id), "weekly");
	assert_int_equal(json_array_size(weekly), 1);
	assert_true(has_span(weekly, 5, "07:30", "12:15"));

	/* Nobody else's pattern. */
	ben_before = json_object_get(get_carer(coordinator, ben_id), "weekly");
	assert_api_hidden(put_weekly(amira, ben_id,
				     "{\"weekly\":[{\"weekday\":1,\"start\":\"09:00\","
				     "\"end\":\"10:00\"}]}"));
	assert_api_error(put_weekly(treasurer, ben_id,
				    "{\"weekly\":[{\"weekday\":1,\"start\":\"09:00\","
				    "\"end\":\"10:00\"}]}"),
			 403, API_FIELD_ANY);
	assert_true(
		json_equal(ben_before, json_object_get(get_carer(coordinator, ben_id), "weekly")));
	assert_api_error(put_weekly(coordinator, NO_SUCH_ID, "{\"weekly\":[]}"), 404,
			 API_FIELD_ANY);

	/* An empty pattern clears it. */
	assert_status(put_weekly(amira, amira_id, "{\"weekly\":[]}"), 200);
	assert_int_equal(json_array_size(json_object_get(get_carer(amira, amira_id), "weekly")), 0);
}

/* ---- exceptions ---- */

static const struct harness_response *post_exception(struct harness_client *c, long long carer,
						     const char *kind, const char *start,
						     const char *end, const char *note)
{
	char path[PATH_LEN];

	snprintf(path, sizeof path, "/api/carers/%lld/exceptions", carer);
	return harness_send_json(c, "POST", path, "{s:s, s:s, s:s, s:s}", "kind", kind, "start",
				 start, "end", end, "note", note);
}

/* The exception of carer with that note, as c sees the list; fails if none. */
static const json_t *exception_noted(struct harness_client *c, long long carer, const char *note)
{
	char path[PATH_LEN];
	const json_t *e;

	snprintf(path, sizeof path, "/api/carers/%lld/exceptions", carer);
	e = api_find(c, path, "exceptions", "note", note);
	if (e == NULL)
		fail_msg("no exception noted \"%s\" for carer %lld", note, carer);
	return e;
}

static const struct harness_response *decide(struct harness_client *c, long long id,
					     const char *status)
{
	char path[PATH_LEN];

	snprintf(path, sizeof path, "/api/exceptions/%lld/decision", id);
	return harness_send_json(c, "POST", path, "{s:s}", "status", status);
}

static void exceptions_leave_flow(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	struct harness_client *amira = api_client_login(srv, AMIRA);
	struct harness_client *ben = api_client_login(srv, BEN);
	long long amira_id = api_person_id(coordinator, AMIRA);
	long long ben_id = api_person_id(coordinator, BEN);
	const char *s = "2030-03-01T00:00", *e = "2030-03-08T00:00";
	const struct harness_response *r;
	const json_t *x;
	char path[PATH_LEN];
	long long leave, sick, wedding;

	/* A carer's leave is a request; sickness and extra time stand at once. */
	assert_status(post_exception(amira, amira_id, "leave", s, e, "Half term"), 201);
	x = exception_noted(amira, amira_id, "Half term");
	assert_string_equal(api_json_str(x, "status"), "requested");
	assert_string_equal(api_json_str(x, "kind"), "leave");
	assert_string_equal(api_json_str(x, "start"), s);
	assert_string_equal(api_json_str(x, "end"), e);
	assert_int_equal(api_json_int(x, "carer_id"), amira_id);
	leave = api_json_int(x, "id");
	assert_status(post_exception(amira, amira_id, "sickness", "2030-01-10T07:00",
				     "2030-01-12T22:00", "Flu"),
		      201);
	x = exception_noted(amira, amira_id, "Flu");
	assert_string_equal(api_json_str(x, "status"), "approved");
	sick = api_json_int(x, "id");
	assert_status(post_exception(amira, amira_id, "extra", "2030-01-19T09:00",
				     "2030-01-19T17:00", "Can do Saturday"),
		      201);
	assert_string_equal(
		api_json_str(exception_noted(amira, amira_id, "Can do Saturday"), "status"),
		"approved");
	/* Leave booked by the coordinator needs no approval. */
	assert_status(post_exception(coordinator, amira_id, "leave", "2030-08-01T00:00",
				     "2030-08-15T00:00", "Booked by Helen"),
		      201);
	assert_string_equal(
		api_json_str(exception_noted(amira, amira_id, "Booked by Helen"), "status"),
		"approved");

	/* Validation. */
	r = post_exception(amira, amira_id, "leave", e, s, "Backwards");
	assert_api_error(r, 400, "end");
	r = post_exception(amira, amira_id, "leave", s, s, "Empty");
	assert_api_error(r, 400, "end");
	r = post_exception(amira, amira_id, "holiday", s, e, "Bad kind");
	assert_api_error(r, 400, "kind");
	r = post_exception(amira, amira_id, "leave", "2030-03-01", e, "No time");
	assert_api_error(r, 400, "start");
	r = post_exception(amira, amira_id, "leave", "2030-02-30T09:00", e, "No such day");
	assert_api_error(r, 400, "start");
	r = post_exception(amira, amira_id, "leave", s, "2030-03-08T24:30", "No such time");
	assert_api_error(r, 400, "end");
	snprintf(path, sizeof path, "/api/carers/%lld/exceptions", amira_id);
	assert_int_equal(api_list_count(amira, path, "exceptions"), 4);

	/* Only the coordinator decides, and only once. */
	assert_api_error(decide(amira, leave, "approved"), 403, API_FIELD_ANY);
	assert_string_equal(api_json_str(exception_noted(amira, amira_id, "Half term"), "status"),
			    "requested");
	assert_api_error(decide(coordinator, leave, "maybe"), 400, "status");
	assert_status(decide(coordinator, leave, "approved"), 200);
	assert_string_equal(api_json_str(exception_noted(amira, amira_id, "Half term"), "status"),
			    "approved");
	assert_api_error(decide(coordinator, leave, "refused"), 409, API_FIELD_ANY);
	assert_api_error(decide(coordinator, leave, "approved"), 409, API_FIELD_ANY);
	assert_string_equal(api_json_str(exception_noted(amira, amira_id, "Half term"), "status"),
			    "approved");
	assert_api_error(decide(coordinator, sick, "refused"), 409, API_FIELD_ANY);
	assert_api_error(decide(coordinator, NO_SUCH_ID, "approved"), 404, API_FIELD_ANY);

	/* Ben's pending request from the demo, refused. */
	x = exception_noted(coordinator, ben_id, "Family wedding in Cork");
	assert_string_equal(api_json_str(x, "status"), "requested");
	wedding = api_json_int(x, "id");
	assert_status(decide(coordinator, wedding, "refused"), 200);
	assert_string_equal(
		api_json_str(exception_noted(ben, ben_id, "Family wedding in Cork"), "status"),
		"refused");

	/* Nobody else's leave. */
	r = post_exception(amira, ben_id, "leave", s, e, "For Ben");
	assert_api_hidden(r);
	snprintf(path, sizeof path, "/api/carers/%lld/exceptions", ben_id);
	assert_api_hidden(harness_get(amira, path));
	assert_null(api_find(coordinator, path, "exceptions", "note", "For Ben"));

	/* Withdrawing: a carer's own requested leave, not someone else's. */
	assert_status(post_exception(amira, amira_id, "leave", "2031-05-01T00:00",
				     "2031-05-02T00:00", "Withdraw me"),
		      201);
	x = exception_noted(amira, amira_id, "Withdraw me");
	snprintf(path, sizeof path, "/api/exceptions/%lld", api_json_int(x, "id"));
	assert_api_hidden(harness_send_json(ben, "DELETE", path, NULL));
	exception_noted(amira, amira_id, "Withdraw me"); /* still there */
	assert_status(harness_send_json(amira, "DELETE", path, NULL), 200);
	snprintf(path, sizeof path, "/api/carers/%lld/exceptions", amira_id);
	assert_null(api_find(amira, path, "exceptions", "note", "Withdraw me"));
	/* An approved absence is not the carer's to withdraw (the contract
	 * leaves open whether that is 403 or 409). */
	snprintf(path, sizeof path, "/api/exceptions/%lld", sick);
	r = harness_send_json(amira, "DELETE", path, NULL);
	assert_api_error(r, r->status == 409 ? 409 : 403, API_FIELD_ANY);
	exception_noted(amira, amira_id, "Flu"); /* still there */
}

/* ---- people receiving care ---- */

/* True if the recipient's team lists the carers in ids, in that order,
 * ranked 1, 2, ... */
static bool team_is(const json_t *recipient, const long long *ids, size_t n)
{
	const json_t *team = json_object_get(recipient, "team");

	if (json_array_size(team) != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		const json_t *m = json_array_get(team, i);
		if (api_json_int(m, "id") != ids[i] || api_json_int(m, "rank") != (long long)i + 1)
			return false;
	}
	return true;
}

static void recipients_who_sees_what(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	struct harness_client *amira = api_client_login(srv, AMIRA);
	struct harness_client *chloe = api_client_login(srv, CHLOE);
	struct harness_client *susan = api_client_login(srv, SUSAN);
	struct harness_client *margaret = api_client_login(srv, MARGARET);
	struct harness_client *grace = api_client_login(srv, GRACE);
	long long m = person_named(coordinator, "Margaret Ellis");
	long long arthur = person_named(coordinator, "Arthur Penrose");
	long long team[] = {api_person_id(coordinator, AMIRA), api_person_id(coordinator, BEN),
			    api_person_id(coordinator, JACK)};
	const struct harness_response *r;
	const json_t *rec, *list, *v;
	bool susan_listed = false;
	size_t i;

	/* The coordinator sees everything. */
	rec = get_recipient(coordinator, m);
	assert_int_equal(api_json_int(rec, "id"), m);
	assert_string_equal(api_json_str(rec, "full_name"), "Margaret Ellis");
	assert_string_equal(api_json_str(rec, "notes"),
			    "Type 2 diabetes; insulin at breakfast and tea.");
	assert_string_equal(api_json_str(rec, "key_safe"), "Key safe 4821");
	assert_true(team_is(rec, team, 3));
	assert_string_equal(
		api_json_str(json_array_get(json_object_get(rec, "team"), 0), "known_as"), "Amira");
	assert_int_equal(json_array_size(json_object_get(rec, "plan")), 4);
	json_array_foreach (json_object_get(rec, "viewers"), i, v) {
		const char *email = api_json_str(v, "email"),
			   *rel = api_json_str(v, "relationship");
		if (email != NULL && strcmp(email, SUSAN) == 0) {
			susan_listed = true;
			assert_non_null(rel);
			assert_string_equal(rel, "daughter");
		}
	}
	assert_true(susan_listed);

	/* A carer in her team sees the notes; others do not see her at all. */
	rec = get_recipient(amira, m);
	assert_string_equal(api_json_str(rec, "notes"),
			    "Type 2 diabetes; insulin at breakfast and tea.");
	assert_string_equal(api_json_str(rec, "key_safe"), "Key safe 4821");
	list = recipient_list(amira);
	assert_true(has_id(list, m));
	assert_true(has_id(list, arthur));
	r = get_recipient_reply(chloe, m);
	assert_api_error(r, 404, API_FIELD_ANY);
	assert_false(api_contains(r->body, "4821"));
	assert_false(api_contains(r->body, "diabetes"));
	assert_false(has_id(recipient_list(chloe), m));
	assert_true(json_array_size(recipient_list(chloe)) > 0); /* Dorothy, Frank, Sunita */

	/* Her daughter sees the schedule and the team's first names, never the notes. */
	r = get_recipient_reply(susan, m);
	assert_status(r, 200);
	rec = json_object_get(r->json, "recipient");
	assert_string_equal(api_json_str(rec, "full_name"), "Margaret Ellis");
	assert_string_equal(api_json_str(rec, "area"), "Totnes town");
	assert_null(json_object_get(rec, "notes"));
	assert_null(json_object_get(rec, "key_safe"));
	assert_false(api_contains(r->body, "4821"));
	assert_false(api_contains(r->body, "diabetes"));
	assert_int_equal(json_array_size(json_object_get(rec, "plan")), 4);
	assert_string_equal(
		api_json_str(json_array_get(json_object_get(rec, "team"), 0), "known_as"), "Amira");
	assert_api_error(get_recipient_reply(susan, arthur), 404, API_FIELD_ANY);
	list = recipient_list(susan);
	assert_int_equal(json_array_size(list), 1);
	assert_true(has_id(list, m));

	/* Margaret may see her own record, as a viewer: no notes. */
	r = get_recipient_reply(margaret, m);
	assert_status(r, 200);
	assert_null(json_object_get(json_object_get(r->json, "recipient"), "key_safe"));
	assert_false(api_contains(r->body, "4821"));
	assert_api_error(get_recipient_reply(margaret, arthur), 404, API_FIELD_ANY);

	/* A member who is nobody's viewer sees nobody. */
	assert_api_error(get_recipient_reply(grace, m), 404, API_FIELD_ANY);
	assert_api_error(get_recipient_reply(coordinator, NO_SUCH_ID), 404, API_FIELD_ANY);
	assert_api_error(get_recipient_reply(coordinator, team[0]), 404, API_FIELD_ANY);
}

static void recipients_audit_every_read(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *admin = api_client_login(srv, ADMIN);
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	struct harness_client *amira = api_client_login(srv, AMIRA);
	struct harness_client *susan = api_client_login(srv, SUSAN);
	struct harness_client *treasurer = api_client_login(srv, TREASURER);
	struct harness_client *anon = harness_client_new(srv);
	long long m = person_named(coordinator, "Margaret Ellis");
	static const char *const readers[][2] = {
		{SUSAN, "Susan Ellis"},
		{AMIRA, "Amira Khalil"},
		{COORDINATOR, "Helen Ward"},
	}; /* newest first */
	const struct harness_response *r;
	const json_t *entries, *e;
	char path[PATH_LEN];
	size_t views_before = 0, views_after = 0, i;
	size_t audit_before;

	snprintf(path, sizeof path, "/api/audit?object=recipient&id=%lld&limit=100", m);
	r = harness_get(admin, path);
	assert_status(r, 200);
	json_array_foreach (json_object_get(r->json, "entries"), i, e) {
		const char *action = api_json_str(e, "action");
		views_before += action != NULL && strcmp(action, "view") == 0;
	}

	get_recipient(coordinator, m);
	get_recipient(amira, m);
	get_recipient(susan, m);

	r = harness_get(admin, path);
	assert_status(r, 200);
	entries = json_object_get(r->json, "entries");
	json_array_foreach (entries, i, e) {
		const char *action = api_json_str(e, "action");
		assert_non_null(action);
		views_after += strcmp(action, "view") == 0;
		assert_int_equal(api_json_int(e, "object_id"), m);
		assert_string_equal(api_json_str(e, "object"), "recipient");
		assert_non_null(json_object_get(e, "at"));
	}
	assert_int_equal(views_after, views_before + 3);
	/* Newest first, each naming who looked. */
	for (size_t k = 0; k < 3; k++) {
		e = json_array_get(entries, k);
		assert_string_equal(api_json_str(e, "action"), "view");
		if (!names_user(e, readers[k][0], readers[k][1]))
			fail_msg("audit entry %zu should name %s: %.400s", k, readers[k][0],
				 r->body);
	}
	r = harness_get(admin, "/api/audit?limit=2");
	assert_status(r, 200);
	assert_true(json_array_size(json_object_get(r->json, "entries")) <= 2);

	/* A change is logged too. */
	snprintf(path, sizeof path, "/api/recipients/%lld", m);
	audit_before = audit_count(admin);
	assert_status(harness_send_json(coordinator, "PATCH", path, "{s:s}", "notes",
					"Type 2 diabetes; insulin at breakfast, lunch and tea."),
		      200);
	check_change_logged(admin, audit_before, COORDINATOR, "Helen Ward");

	/* Only an admin reads the log. */
	assert_api_error(harness_get(coordinator, "/api/audit"), 403, API_FIELD_ANY);
	assert_api_error(harness_get(treasurer, "/api/audit"), 403, API_FIELD_ANY);
	assert_api_error(harness_get(amira, "/api/audit"), 403, API_FIELD_ANY);
	assert_api_error(harness_get(susan, "/api/audit"), 403, API_FIELD_ANY);
	assert_api_error(harness_get(anon, "/api/audit"), 401, NULL);
}

static void recipients_create_and_patch(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	struct harness_client *amira = api_client_login(srv, AMIRA);
	long long m = person_named(coordinator, "Margaret Ellis");
	const struct harness_response *r;
	const json_t *rec;
	char path[PATH_LEN];
	long long violet, walt;

	r = api_send_text(coordinator, "POST", "/api/recipients", "application/json",
			  "{\"full_name\":\"Violet Stone\",\"known_as\":\"Violet\","
			  "\"area\":\"Totnes town\",\"lat\":50.4330,\"lon\":-3.6850,"
			  "\"notes\":\"Allergic to penicillin.\",\"key_safe\":\"Key safe 3141\"}");
	assert_status(r, 201);
	violet = person_named(coordinator, "Violet Stone");
	rec = get_recipient(coordinator, violet);
	assert_string_equal(api_json_str(rec, "notes"), "Allergic to penicillin.");
	assert_string_equal(api_json_str(rec, "key_safe"), "Key safe 3141");
	assert_int_equal(json_array_size(json_object_get(rec, "team")), 0);
	assert_int_equal(json_array_size(json_object_get(rec, "plan")), 0);
	assert_true(has_id(recipient_list(coordinator), violet));

	r = harness_send_json(coordinator, "POST", "/api/people", "{s:s, s:s}", "full_name",
			      "Walt Heron", "known_as", "Walt");
	assert_status(r, 201);
	walt = api_json_int(json_object_get(r->json, "person"), "id");
	r = harness_send_json(coordinator, "POST", "/api/recipients", "{s:I, s:s}", "person_id",
			      (json_int_t)walt, "notes", "Hard of hearing.");
	assert_status(r, 201);
	assert_string_equal(api_json_str(get_recipient(coordinator, walt), "notes"),
			    "Hard of hearing.");

	r = api_send_text(coordinator, "POST", "/api/recipients", "application/json",
			  "{\"full_name\":\"Lost Place\",\"known_as\":\"Lost\",\"lat\":91,"
			  "\"lon\":0}");
	assert_api_error(r, 400, "lat");
	r = harness_send_json(coordinator, "POST", "/api/recipients", "{s:I}", "person_id",
			      (json_int_t)NO_SUCH_ID);
	assert_api_error(r, 400, "person_id");

	snprintf(path, sizeof path, "/api/recipients/%lld", violet);
	r = harness_send_json(coordinator, "PATCH", path, "{s:s, s:s}", "notes",
			      "Allergic to penicillin and nuts.", "area", "Bridgetown");
	assert_status(r, 200);
	rec = get_recipient(coordinator, violet);
	assert_string_equal(api_json_str(rec, "notes"), "Allergic to penicillin and nuts.");
	assert_string_equal(api_json_str(rec, "key_safe"), "Key safe 3141");
	assert_string_equal(api_json_str(rec, "area"), "Bridgetown");
	assert_string_equal(api_json_str(rec, "full_name"), "Violet Stone");

	r = harness_send_json(coordinator, "PATCH", "/api/recipients/999999", "{s:s}", "notes",
			      "x");
	assert_api_error(r, 404, API_FIELD_ANY);
	/* The team reads the notes but does not edit them. */
	snprintf(path, sizeof path, "/api/recipients/%lld", m);
	r = harness_send_json(amira, "PATCH", path, "{s:s}", "key_safe", "Key safe 0000");
	assert_api_error(r, 403, API_FIELD_ANY);
	assert_string_equal(api_json_str(get_recipient(coordinator, m), "key_safe"),
			    "Key safe 4821");
	r = harness_send_json(amira, "POST", "/api/recipients", "{s:s, s:s}", "full_name",
			      "Not Allowed", "known_as", "Not");
	assert_api_error(r, 403, API_FIELD_ANY);
}

static const struct harness_response *put_team(struct harness_client *c, long long recipient,
					       const char *body)
{
	char path[PATH_LEN];

	snprintf(path, sizeof path, "/api/recipients/%lld/team", recipient);
	return api_send_text(c, "PUT", path, "application/json", body);
}

static void recipients_team(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	struct harness_client *admin = api_client_login(srv, ADMIN);
	struct harness_client *amira = api_client_login(srv, AMIRA);
	struct harness_client *ben = api_client_login(srv, BEN);
	struct harness_client *jack = api_client_login(srv, JACK);
	struct harness_client *femi = api_client_login(srv, FEMI);
	long long m = person_named(coordinator, "Margaret Ellis");
	long long dorothy = person_named(coordinator, "Dorothy Hughes");
	long long amira_id = api_person_id(coordinator, AMIRA);
	long long ben_id = api_person_id(coordinator, BEN);
	long long jack_id = api_person_id(coordinator, JACK);
	long long chloe_id = api_person_id(coordinator, CHLOE);
	long long femi_id = api_person_id(coordinator, FEMI);
	long long susan_id = api_person_id(coordinator, SUSAN);
	long long grace_id = api_person_id(coordinator, GRACE);
	long long new_team[] = {jack_id, amira_id};
	const json_t *rec, *excl, *team_before, *excl_before;
	char body[BODY_LEN];
	struct {
		char body[BODY_LEN];
		const char *field;
	} bad[6];
	size_t nbad = 0;
	size_t audit_before;

	/* The demo: Dorothy has excluded Femi, who therefore cannot see her. */
	excl = json_object_get(get_recipient(coordinator, dorothy), "excluded");
	assert_int_equal(json_array_size(excl), 1);
	assert_int_equal(api_json_int(json_array_get(excl, 0), "id"), femi_id);
	assert_api_error(get_recipient_reply(femi, dorothy), 404, API_FIELD_ANY);

	snprintf(body, sizeof body, "{\"team\":[%lld,%lld],\"excluded\":[%lld]}", jack_id, amira_id,
		 chloe_id);
	audit_before = audit_count(admin);
	assert_status(put_team(coordinator, m, body), 200);
	check_change_logged(admin, audit_before, COORDINATOR, "Helen Ward");
	rec = get_recipient(coordinator, m);
	assert_true(team_is(rec, new_team, 2));
	assert_string_equal(
		api_json_str(json_array_get(json_object_get(rec, "team"), 0), "known_as"), "Jack");
	excl = json_object_get(rec, "excluded");
	assert_int_equal(json_array_size(excl), 1);
	assert_int_equal(api_json_int(json_array_get(excl, 0), "id"), chloe_id);
	assert_string_equal(api_json_str(json_array_get(excl, 0), "known_as"), "Chloe");
	/* Who may see her follows the team. */
	assert_api_error(get_recipient_reply(ben, m), 404, API_FIELD_ANY);
	assert_false(has_id(recipient_list(ben), m));
	assert_status(get_recipient_reply(jack, m), 200);
	assert_true(has_id(recipient_list(jack), m));

	snprintf(bad[nbad].body, BODY_LEN, "{\"team\":[%lld,%lld],\"excluded\":[]}", jack_id,
		 susan_id);
	bad[nbad++].field = "team[1]";
	snprintf(bad[nbad].body, BODY_LEN, "{\"team\":[%lld,%lld],\"excluded\":[]}", jack_id,
		 NO_SUCH_ID);
	bad[nbad++].field = "team[1]";
	snprintf(bad[nbad].body, BODY_LEN, "{\"team\":[\"%lld\"],\"excluded\":[]}", jack_id);
	bad[nbad++].field = "team[0]";
	snprintf(bad[nbad].body, BODY_LEN, "{\"team\":[%lld,%lld],\"excluded\":[%lld,%lld]}",
		 amira_id, ben_id, femi_id, ben_id);
	bad[nbad++].field = "excluded[1]";
	snprintf(bad[nbad].body, BODY_LEN, "{\"team\":[%lld],\"excluded\":[%lld]}", jack_id,
		 grace_id);
	bad[nbad++].field = "excluded[0]";
	snprintf(bad[nbad].body, BODY_LEN, "{\"excluded\":[]}");
	bad[nbad++].field = "team";

	team_before = json_object_get(rec, "team");
	excl_before = json_object_get(rec, "excluded");
	for (size_t i = 0; i < nbad; i++) {
		print_message("team %s\n", bad[i].body);
		assert_api_error(put_team(coordinator, m, bad[i].body), 400, bad[i].field);
		rec = get_recipient(coordinator, m);
		assert_true(json_equal(team_before, json_object_get(rec, "team")));
		assert_true(json_equal(excl_before, json_object_get(rec, "excluded")));
	}

	snprintf(body, sizeof body, "{\"team\":[%lld],\"excluded\":[]}", jack_id);
	assert_api_error(put_team(coordinator, NO_SUCH_ID, body), 404, API_FIELD_ANY);
	/* Amira is a carer, not a person receiving care. */
	assert_api_error(put_team(coordinator, amira_id, body), 404, API_FIELD_ANY);
	assert_api_error(put_team(amira, m, body), 403, API_FIELD_ANY);
	assert_true(team_is(get_recipient(coordinator, m), new_team, 2));
}

static void recipients_viewers(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	struct harness_client *admin = api_client_login(srv, ADMIN);
	struct harness_client *grace = api_client_login(srv, GRACE);
	struct harness_client *susan = api_client_login(srv, SUSAN);
	long long m = person_named(coordinator, "Margaret Ellis");
	long long grace_user = api_find_id(admin, "/api/users", "users", "email", GRACE);
	const struct harness_response *r;
	const json_t *viewers;
	char path[PATH_LEN];

	assert_true(grace_user > 0);
	snprintf(path, sizeof path, "/api/recipients/%lld/viewers", m);
	r = harness_send_json(coordinator, "PUT", path, "{s:[{s:I, s:s}]}", "viewers", "user_id",
			      (json_int_t)grace_user, "relationship", "neighbour");
	assert_status(r, 200);
	viewers = json_object_get(get_recipient(coordinator, m), "viewers");
	assert_int_equal(json_array_size(viewers), 1);
	assert_string_equal(api_json_str(json_array_get(viewers, 0), "email"), GRACE);
	assert_string_equal(api_json_str(json_array_get(viewers, 0), "relationship"), "neighbour");
	assert_int_equal(api_json_int(json_array_get(viewers, 0), "user_id"), grace_user);

	/* The list replaces the old one: Grace sees her now, Susan no longer does. */
	r = get_recipient_reply(grace, m);
	assert_status(r, 200);
	assert_null(json_object_get(json_object_get(r->json, "recipient"), "notes"));
	assert_api_error(get_recipient_reply(susan, m), 404, API_FIELD_ANY);

	r = harness_send_json(coordinator, "PUT", path, "{s:[{s:I, s:s}]}", "viewers", "user_id",
			      (json_int_t)NO_SUCH_ID, "relationship", "nobody");
	assert_api_error_prefix(r, 400, "viewers[0]");
	assert_int_equal(json_array_size(json_object_get(get_recipient(coordinator, m), "viewers")),
			 1);
	r = harness_send_json(grace, "PUT", path, "{s:[]}", "viewers");
	assert_api_error(r, 403, API_FIELD_ANY);
}

/* ---- care plans ---- */

/* The plan line of the recipient (as c sees it) with this id, or NULL. */
static const json_t *plan_line(struct harness_client *c, long long recipient, long long id)
{
	const json_t *plan = json_object_get(get_recipient(c, recipient), "plan");
	const json_t *l;
	size_t i;

	json_array_foreach (plan, i, l) {
		if (api_json_int(l, "id") == id)
			return l;
	}
	return NULL;
}

/* The id of the recipient's line starting at start and valid from valid_from. */
static long long plan_line_at(struct harness_client *c, long long recipient, const char *start,
			      const char *valid_from)
{
	const json_t *plan = json_object_get(get_recipient(c, recipient), "plan");
	const json_t *l;
	size_t i;

	json_array_foreach (plan, i, l) {
		const char *s = api_json_str(l, "start"), *f = api_json_str(l, "valid_from");
		if (s != NULL && f != NULL && strcmp(s, start) == 0 && strcmp(f, valid_from) == 0)
			return api_json_int(l, "id");
	}
	fail_msg("no plan line at %s from %s for recipient %lld", start, valid_from, recipient);
	return -1;
}

/* True if the days array of line l is exactly want. */
static bool days_are(const json_t *l, const int *want, size_t n)
{
	const json_t *days = json_object_get(l, "days");

	if (json_array_size(days) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (json_integer_value(json_array_get(days, i)) != want[i])
			return false;
	return true;
}

static void plan_lines_validation(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	struct harness_client *amira = api_client_login(srv, AMIRA);
	long long m = person_named(coordinator, "Margaret Ellis");
#define LINE(days, start, minutes, carers, skills, extra)                                       \
	"{\"days\":" days ",\"start\":\"" start "\",\"minutes\":" minutes ",\"carers\":" carers \
	",\"skills\":" skills                                                                   \
	",\"tasks\":\"Walk to the river\",\"valid_from\":\"2025-03-01\"" extra "}"
	static const struct bad_body bad[] = {
		{"minutes 0", LINE("[1,3,5]", "10:00", "0", "1", "[\"meds\"]", ""), "minutes"},
		{"minutes 721", LINE("[1,3,5]", "10:00", "721", "1", "[\"meds\"]", ""), "minutes"},
		{"carers 3", LINE("[1,3,5]", "10:00", "60", "3", "[\"meds\"]", ""), "carers"},
		{"carers 0", LINE("[1,3,5]", "10:00", "60", "0", "[\"meds\"]", ""), "carers"},
		{"unknown skill", LINE("[1,3,5]", "10:00", "60", "1", "[\"juggling\"]", ""),
		 "skills[0]"},
		{"no days", LINE("[]", "10:00", "60", "1", "[]", ""), "days"},
		{"day 8", LINE("[8]", "10:00", "60", "1", "[]", ""), "days"},
		{"day 0", LINE("[1,0]", "10:00", "60", "1", "[]", ""), "days"},
		{"start 24:00", LINE("[1]", "24:00", "60", "1", "[]", ""), "start"},
		{"start 7am", LINE("[1]", "7am", "60", "1", "[]", ""), "start"},
		{"valid_to before valid_from",
		 LINE("[1]", "10:00", "60", "1", "[]", ",\"valid_to\":\"2025-02-28\""), "valid_to"},
		{"no such date",
		 "{\"days\":[1],\"start\":\"10:00\",\"minutes\":60,\"carers\":1,\"skills\":[],"
		 "\"tasks\":\"\",\"valid_from\":\"2025-02-30\"}",
		 "valid_from"},
	};
	static const int mon_wed_fri[] = {1, 3, 5};
	const json_t *l;
	char path[PATH_LEN];
	long long id;

	snprintf(path, sizeof path, "/api/recipients/%lld/plan", m);
	send_bad_bodies(coordinator, "POST", path, bad, sizeof bad / sizeof bad[0]);
	assert_int_equal(json_array_size(json_object_get(get_recipient(coordinator, m), "plan")),
			 4);

	assert_status(api_send_text(coordinator, "POST", path, "application/json",
				    LINE("[1,3,5]", "10:00", "60", "1", "[\"meds\"]", "")),
		      201);
	id = plan_line_at(coordinator, m, "10:00", "2025-03-01");
	l = plan_line(coordinator, m, id);
	assert_true(days_are(l, mon_wed_fri, 3));
	assert_int_equal(api_json_int(l, "minutes"), 60);
	assert_int_equal(api_json_int(l, "carers"), 1);
	assert_true(api_json_array_has(json_object_get(l, "skills"), "meds"));
	assert_int_equal(json_array_size(json_object_get(l, "skills")), 1);
	assert_string_equal(api_json_str(l, "tasks"), "Walk to the river");
	assert_true(api_json_blank(l, "valid_to"));
	/* The limits: twelve hours, two carers. */
	assert_status(api_send_text(coordinator, "POST", path, "application/json",
				    LINE("[6,7]", "09:00", "720", "2", "[]", "")),
		      201);
	assert_int_equal(json_array_size(json_object_get(get_recipient(coordinator, m), "plan")),
			 6);

	assert_api_error(api_send_text(coordinator, "POST", "/api/recipients/999999/plan",
				       "application/json",
				       LINE("[1]", "10:00", "60", "1", "[]", "")),
			 404, API_FIELD_ANY);
	assert_api_error(api_send_text(amira, "POST", path, "application/json",
				       LINE("[1]", "11:00", "60", "1", "[]", "")),
			 403, API_FIELD_ANY);
#undef LINE
}

static void plan_change_over_time(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	struct harness_client *admin = api_client_login(srv, ADMIN);
	struct harness_client *amira = api_client_login(srv, AMIRA);
	long long m = person_named(coordinator, "Margaret Ellis");
	long long arthur = person_named(coordinator, "Arthur Penrose");
	long long breakfast = plan_line_at(coordinator, m, "08:00", "2025-01-06");
	long long lunch = plan_line_at(coordinator, m, "12:30", "2025-01-06");
	long long arthur_line = plan_line_at(coordinator, arthur, "07:30", "2025-01-06");
	static const int daily[] = {1, 2, 3, 4, 5, 6, 7};
	const char *change = "{\"effective_from\":\"2025-06-01\",\"days\":[1,2,3,4,5,6,7],"
			     "\"start\":\"08:30\",\"minutes\":60,\"carers\":1,"
			     "\"skills\":[\"meds\"],\"tasks\":\"Insulin, breakfast, wash\"}";
	const struct harness_response *r;
	const json_t *old, *l;
	char path[PATH_LEN];
	long long later;
	size_t audit_before;

	snprintf(path, sizeof path, "/api/recipients/%lld/plan/%lld", m, breakfast);
	audit_before = audit_count(admin);
	r = api_send_text(coordinator, "PUT", path, "application/json", change);
	if (r->status != 201)
		assert_status(r, 200);
	check_change_logged(admin, audit_before, COORDINATOR, "Helen Ward");

	/* The old line ends the day before; the new one starts that day. */
	old = plan_line(coordinator, m, breakfast);
	assert_non_null(old);
	assert_string_equal(api_json_str(old, "valid_from"), "2025-01-06");
	assert_string_equal(api_json_str(old, "valid_to"), "2025-05-31");
	assert_string_equal(api_json_str(old, "start"), "08:00");
	assert_int_equal(api_json_int(old, "minutes"), 45);
	later = plan_line_at(coordinator, m, "08:30", "2025-06-01");
	assert_true(later != breakfast);
	l = plan_line(coordinator, m, later);
	assert_int_equal(api_json_int(l, "minutes"), 60);
	assert_true(days_are(l, daily, 7));
	assert_true(api_json_array_has(json_object_get(l, "skills"), "meds"));
	assert_string_equal(api_json_str(l, "tasks"), "Insulin, breakfast, wash");
	assert_true(api_json_blank(l, "valid_to"));
	assert_int_equal(json_array_size(json_object_get(get_recipient(coordinator, m), "plan")),
			 5);

	/* Across the end of a leap February. */
	snprintf(path, sizeof path, "/api/recipients/%lld/plan/%lld", m, lunch);
	r = api_send_text(coordinator, "PUT", path, "application/json",
			  "{\"effective_from\":\"2028-03-01\",\"days\":[1,2,3,4,5],"
			  "\"start\":\"12:45\",\"minutes\":30,\"carers\":1,\"skills\":[],"
			  "\"tasks\":\"Lunch\"}");
	if (r->status != 201)
		assert_status(r, 200);
	assert_string_equal(api_json_str(plan_line(coordinator, m, lunch), "valid_to"),
			    "2028-02-29");
	plan_line_at(coordinator, m, "12:45", "2028-03-01");

	/* A bad change changes nothing. */
	snprintf(path, sizeof path, "/api/recipients/%lld/plan/%lld", m, later);
	r = api_send_text(coordinator, "PUT", path, "application/json",
			  "{\"effective_from\":\"2025-06-31\",\"days\":[1],\"start\":\"09:00\","
			  "\"minutes\":30,\"carers\":1,\"skills\":[],\"tasks\":\"\"}");
	assert_api_error(r, 400, "effective_from");
	r = api_send_text(coordinator, "PUT", path, "application/json",
			  "{\"effective_from\":\"2025-09-01\",\"days\":[1],\"start\":\"09:00\","
			  "\"minutes\":0,\"carers\":1,\"skills\":[],\"tasks\":\"\"}");
	assert_api_error(r, 400, "minutes");
	assert_true(api_json_blank(plan_line(coordinator, m, later), "valid_to"));
	assert_int_equal(json_array_size(json_object_get(get_recipient(coordinator, m), "plan")),
			 6);

	/* Ids that are not this person's lines. */
	snprintf(path, sizeof path, "/api/recipients/%lld/plan/%lld", m, arthur_line);
	assert_api_error(api_send_text(coordinator, "PUT", path, "application/json", change), 404,
			 API_FIELD_ANY);
	snprintf(path, sizeof path, "/api/recipients/%lld/plan/999999", m);
	assert_api_error(api_send_text(coordinator, "PUT", path, "application/json", change), 404,
			 API_FIELD_ANY);
	assert_true(api_json_blank(plan_line(coordinator, arthur, arthur_line), "valid_to"));

	/* Ending a line. */
	snprintf(path, sizeof path, "/api/recipients/%lld/plan/%lld/end", m, later);
	r = harness_send_json(coordinator, "POST", path, "{s:s}", "valid_to", "2025-05-01");
	assert_api_error(r, 400, "valid_to");
	assert_status(
		harness_send_json(coordinator, "POST", path, "{s:s}", "valid_to", "2025-12-31"),
		200);
	assert_string_equal(api_json_str(plan_line(coordinator, m, later), "valid_to"),
			    "2025-12-31");
	r = harness_send_json(amira, "POST", path, "{s:s}", "valid_to", "2025-07-01");
	assert_api_error(r, 403, API_FIELD_ANY);
	snprintf(path, sizeof path, "/api/recipients/%lld/plan/999999/end", m);
	r = harness_send_json(coordinator, "POST", path, "{s:s}", "valid_to", "2025-12-31");
	assert_api_error(r, 404, API_FIELD_ANY);
	assert_string_equal(api_json_str(plan_line(coordinator, m, later), "valid_to"),
			    "2025-12-31");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(carers_create_and_patch, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(carers_access, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(availability_rules, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(exceptions_leave_flow, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(recipients_who_sees_what, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(recipients_audit_every_read, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(recipients_create_and_patch, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(recipients_team, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(recipients_viewers, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(plan_lines_validation, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(plan_change_over_time, api_server_setup,
						api_server_teardown),
	};

	return cmocka_run_group_tests_name("api_care", tests, NULL, NULL);
}
