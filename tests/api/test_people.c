/*
 * API tests, the register (docs/API.md "People and care"): memberships and
 * their CSV export, member classes, skills and people. Every test gets a
 * fresh demo co-op, so what one test adds is never seen by another.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "api_check.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADMIN       "admin@carecoop.example"
#define COORDINATOR "coordinator@carecoop.example"
#define TREASURER   "treasurer@carecoop.example"
#define GRACE       "grace@carecoop.example"
#define AMIRA       "amira@carecoop.example"
#define BEN         "ben@carecoop.example"
#define NO_SUCH_ID  "999999"
#define PATH_LEN    160

/* POST /api/people with just the two required names; returns the new id. */
static long long create_person(struct harness_client *c, const char *full_name,
			       const char *known_as)
{
	const struct harness_response *r =
		harness_send_json(c, "POST", "/api/people", "{s:s, s:s}", "full_name", full_name,
				  "known_as", known_as);
	const json_t *person;

	assert_status(r, 201);
	person = json_object_get(r->json, "person");
	assert_true(json_is_object(person));
	assert_string_equal(api_json_str(person, "full_name"), full_name);
	assert_true(api_json_int(person, "id") > 0);
	return api_json_int(person, "id");
}

static const struct harness_response *add_membership(struct harness_client *c, long long person,
						     const char *class_code, const char *joined_on)
{
	return harness_send_json(c, "POST", "/api/members", "{s:I, s:s, s:s, s:I, s:b}",
				 "person_id", (json_int_t)person, "class", class_code, "joined_on",
				 joined_on, "share_pence", (json_int_t)100, "good_standing", 1);
}

static const struct harness_response *end_membership(struct harness_client *c, long long id,
						     const char *left_on)
{
	char path[PATH_LEN];

	snprintf(path, sizeof path, "/api/members/%lld/end", id);
	return harness_send_json(c, "POST", path, "{s:s}", "left_on", left_on);
}

/* The newest audit entry (admin client) must be a change made by email. */
static void check_last_change_by(struct harness_client *admin, const char *email)
{
	const struct harness_response *r = harness_get(admin, "/api/audit?limit=1");
	const json_t *e;
	char *who;

	assert_status(r, 200);
	e = json_array_get(json_object_get(r->json, "entries"), 0);
	assert_true(json_is_object(e));
	assert_non_null(api_json_str(e, "action"));
	assert_string_not_equal(api_json_str(e, "action"), "view");
	who = json_dumps(json_object_get(e, "user"), JSON_ENCODE_ANY);
	assert_non_null(who);
	if (!api_contains(who, email)) {
		print_error("audit names %s, not %s\n", who, email);
		free(who);
		fail();
	}
	free(who);
}

static void members_add_conflict_and_end(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *admin = api_client_login(srv, ADMIN);
	long long zoe = create_person(admin, "Zoe Newcomer", "Zoe");
	const char *current = "/api/members?status=current&q=Newcomer";
	const char *former = "/api/members?status=former&q=Newcomer";
	const char *all = "/api/members?status=all&q=Newcomer";
	const struct harness_response *r;
	const json_t *m;
	long long id;

	assert_status(add_membership(admin, zoe, "supporter", "2025-02-01"), 201);
	check_last_change_by(admin, ADMIN);
	m = api_find(admin, current, "members", "full_name", "Zoe Newcomer");
	assert_non_null(m);
	id = api_json_int(m, "id");
	assert_true(id > 0);
	assert_int_equal(api_json_int(m, "person_id"), zoe);
	assert_string_equal(api_json_str(m, "class"), "supporter");
	assert_non_null(api_json_str(m, "class_name"));
	assert_string_equal(api_json_str(m, "joined_on"), "2025-02-01");
	assert_true(api_json_blank(m, "left_on"));
	assert_int_equal(api_json_int(m, "share_pence"), 100);
	assert_true(json_is_true(json_object_get(m, "good_standing")));

	/* One current membership per person. */
	r = add_membership(admin, zoe, "worker", "2025-03-01");
	assert_api_error(r, 409, "person_id");
	assert_int_equal(api_list_count(admin, all, "members"), 1);

	/* Not before joined_on; a refused end changes nothing. */
	r = end_membership(admin, id, "2025-01-31");
	assert_api_error(r, 400, "left_on");
	assert_non_null(api_find(admin, current, "members", "full_name", "Zoe Newcomer"));
	r = end_membership(admin, id, "2025-13-01");
	assert_api_error(r, 400, "left_on");

	assert_status(end_membership(admin, id, "2025-06-30"), 200);
	assert_null(api_find(admin, current, "members", "full_name", "Zoe Newcomer"));
	m = api_find(admin, former, "members", "full_name", "Zoe Newcomer");
	assert_non_null(m);
	assert_string_equal(api_json_str(m, "left_on"), "2025-06-30");
	assert_non_null(api_find(admin, all, "members", "full_name", "Zoe Newcomer"));

	/* The filter works on the demo register too. */
	assert_non_null(api_find(admin, "/api/members?status=current", "members", "full_name",
				 "Grace Pennington"));
	assert_null(api_find(admin, "/api/members?status=former", "members", "full_name",
			     "Grace Pennington"));

	/* A former member may join again; ending on the day of joining is allowed. */
	assert_status(add_membership(admin, zoe, "worker", "2025-09-01"), 201);
	assert_int_equal(api_list_count(admin, current, "members"), 1);
	assert_int_equal(api_list_count(admin, all, "members"), 2);
	m = api_find(admin, current, "members", "full_name", "Zoe Newcomer");
	assert_non_null(m);
	assert_string_equal(api_json_str(m, "class"), "worker");
	assert_status(end_membership(admin, api_json_int(m, "id"), "2025-09-01"), 200);
	assert_int_equal(api_list_count(admin, current, "members"), 0);

	assert_api_error(end_membership(admin, 999999, "2025-06-30"), 404, API_FIELD_ANY);
	r = add_membership(admin, 999999, "supporter", "2025-02-01");
	assert_api_error(r, 400, "person_id");
}

static void members_patch(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *admin = api_client_login(srv, ADMIN);
	long long id = api_find_id(admin, "/api/members?q=Grace", "members", "full_name",
				   "Grace Pennington");
	const struct harness_response *r;
	const json_t *m;
	char path[PATH_LEN];

	assert_true(id > 0);
	snprintf(path, sizeof path, "/api/members/%lld", id);
	r = harness_send_json(admin, "PATCH", path, "{s:s, s:I, s:b}", "class", "investor",
			      "share_pence", (json_int_t)25000, "good_standing", 0);
	assert_status(r, 200);
	m = api_find(admin, "/api/members?q=Grace", "members", "full_name", "Grace Pennington");
	assert_non_null(m);
	assert_string_equal(api_json_str(m, "class"), "investor");
	assert_int_equal(api_json_int(m, "share_pence"), 25000);
	assert_true(json_is_false(json_object_get(m, "good_standing")));

	r = harness_send_json(admin, "PATCH", path, "{s:s}", "class", "no-such-class");
	assert_api_error(r, 400, "class");
	r = harness_send_json(admin, "PATCH", path, "{s:I}", "share_pence", (json_int_t)-1);
	assert_api_error(r, 400, "share_pence");
	r = harness_send_json(admin, "PATCH", "/api/members/" NO_SUCH_ID, "{s:b}", "good_standing",
			      1);
	assert_api_error(r, 404, API_FIELD_ANY);
	m = api_find(admin, "/api/members?q=Grace", "members", "full_name", "Grace Pennington");
	assert_string_equal(api_json_str(m, "class"), "investor");
}

static void members_roles(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *treasurer = api_client_login(srv, TREASURER);
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	struct harness_client *carer = api_client_login(srv, AMIRA);
	struct harness_client *member = api_client_login(srv, GRACE);
	struct harness_client *anon = harness_client_new(srv);
	struct harness_client *others[] = {coordinator, carer, member};
	const struct harness_response *r;
	long long grace_membership;

	/* The treasurer keeps the register: may read and export it. */
	assert_true(api_list_count(treasurer, "/api/members", "members") > 0);
	grace_membership = api_find_id(treasurer, "/api/members?q=Grace", "members", "full_name",
				       "Grace Pennington");
	assert_true(grace_membership > 0);
	r = harness_get(treasurer, "/api/members.csv");
	assert_status(r, 200);
	assert_content_type(r, "text/csv");

	/* ... but only an admin edits it. */
	r = add_membership(treasurer, api_person_id(treasurer, TREASURER), "supporter",
			   "2025-02-01");
	assert_api_error(r, 403, API_FIELD_ANY);
	assert_api_error(end_membership(treasurer, grace_membership, "2025-06-30"), 403,
			 API_FIELD_ANY);

	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		assert_api_error(harness_get(others[i], "/api/members"), 403, API_FIELD_ANY);
		r = harness_get(others[i], "/api/members.csv");
		assert_api_error(r, 403, API_FIELD_ANY);
		assert_false(api_contains(r->body, "Pennington"));
		assert_api_error(end_membership(others[i], grace_membership, "2025-06-30"), 403,
				 API_FIELD_ANY);
	}
	assert_api_error(harness_get(anon, "/api/members"), 401, NULL);
	assert_api_error(harness_get(anon, "/api/members.csv"), 401, NULL);

	/* Grace is still a current member after all that. */
	assert_non_null(api_find(treasurer, "/api/members?status=current&q=Grace", "members",
				 "full_name", "Grace Pennington"));
}

/* True if s contains needle, ignoring ASCII case. */
static bool contains_nocase(const char *s, const char *needle)
{
	size_t n = strlen(needle);

	for (; *s != '\0'; s++) {
		size_t k = 0;
		while (k < n && s[k] != '\0' &&
		       tolower((unsigned char)s[k]) == tolower((unsigned char)needle[k]))
			k++;
		if (k == n)
			return true;
	}
	return false;
}

static void members_csv_quoting_and_formulas(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *admin = api_client_login(srv, ADMIN);
	struct harness_client *treasurer = api_client_login(srv, TREASURER);
	/* Names to quote, then names a spreadsheet would run as formulas. */
	static const char *const names[][2] = {
		{"Lovelace, Ada", "Ada"},
		{"Ann \"Nan\" O'Neill", "Ann"},
		{"=HYPERLINK(\"http://evil.example\",\"x\")", "Formula"},
		{"+44 Caller", "Plus"},
		{"-2+3 Minus", "Minus"},
		{"@SUM(A1:A9)", "At"},
	};
	enum { NNAMES = sizeof names / sizeof names[0], NQUOTED = 2 };
	static struct api_csv_record rec; /* 16 KiB: not on the stack */
	const struct harness_response *r;
	size_t pos = 0, header_fields, records = 0, memberships;
	bool header_names = false, seen[NNAMES] = {false};
	int got;

	for (size_t i = 0; i < NNAMES; i++) {
		long long id = create_person(admin, names[i][0], names[i][1]);
		assert_status(add_membership(admin, id, "supporter", "2025-02-01"), 201);
	}
	memberships = api_list_count(admin, "/api/members?status=all", "members");

	r = harness_get(treasurer, "/api/members.csv");
	assert_status(r, 200);
	assert_content_type(r, "text/csv");
	/* RFC 4180 quoting as a spreadsheet reads it. */
	assert_true(api_contains(r->body, "\"Lovelace, Ada\""));
	assert_true(api_contains(r->body, "\"Ann \"\"Nan\"\" O'Neill\""));

	assert_int_equal(api_csv_next(r->body, &pos, &rec), 1);
	header_fields = rec.count;
	assert_true(header_fields >= 2);
	for (size_t f = 0; f < rec.count; f++)
		header_names |= contains_nocase(rec.field[f], "name");
	if (!header_names)
		fail_msg("the first line is no header naming the columns: %.200s", r->body);

	while ((got = api_csv_next(r->body, &pos, &rec)) == 1) {
		records++;
		assert_int_equal(rec.count, header_fields);
		for (size_t f = 0; f < rec.count; f++) {
			const char *v = rec.field[f];
			/* A formula must reach the spreadsheet as text. */
			if (v[0] == '=' || v[0] == '@')
				fail_msg("line %zu: formula-looking field %s", records + 1, v);
			for (size_t i = 0; i < NNAMES; i++) {
				if (i < NQUOTED)
					seen[i] |= strcmp(v, names[i][0]) == 0;
				else
					seen[i] |= v[0] == '\'' && strcmp(v + 1, names[i][0]) == 0;
			}
		}
	}
	assert_int_equal(got, 0); /* the whole body is valid CSV */
	assert_int_equal(records, memberships);
	for (size_t i = 0; i < NNAMES; i++) {
		if (!seen[i])
			fail_msg("%s is not in the register as %s%s", names[i][0],
				 i < NQUOTED ? "" : "'", names[i][0]);
	}
}

static void member_classes(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *admin = api_client_login(srv, ADMIN);
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	struct harness_client *carer = api_client_login(srv, AMIRA);
	static const char *const demo_codes[] = {"worker", "recipient", "supporter", "investor"};
	const struct harness_response *r;
	const json_t *cls, *m, *members;
	char path[PATH_LEN];
	long long id;
	size_t i;

	r = harness_get(admin, "/api/members?status=current");
	assert_status(r, 200);
	members = json_object_get(r->json, "members");
	assert_true(json_array_size(members) > 0);

	/* Everyone logged in sees the classes, with their current members. */
	r = harness_get(carer, "/api/member-classes");
	assert_status(r, 200);
	assert_int_equal(json_array_size(json_object_get(r->json, "classes")), 4);
	for (size_t k = 0; k < 4; k++) {
		size_t counted = 0;

		cls = api_find(carer, "/api/member-classes", "classes", "code", demo_codes[k]);
		assert_non_null(cls);
		assert_non_null(api_json_str(cls, "name"));
		json_array_foreach (members, i, m) {
			const char *c = api_json_str(m, "class");
			counted += c != NULL && strcmp(c, demo_codes[k]) == 0;
		}
		assert_int_equal(api_json_int(cls, "members"), counted);
	}

	r = harness_send_json(admin, "POST", "/api/member-classes", "{s:s, s:s}", "code",
			      "associate", "name", "Associate members");
	assert_status(r, 201);
	cls = api_find(carer, "/api/member-classes", "classes", "code", "associate");
	assert_non_null(cls);
	assert_string_equal(api_json_str(cls, "name"), "Associate members");
	assert_int_equal(api_json_int(cls, "members"), 0);
	id = api_json_int(cls, "id");
	assert_true(id > 0);

	r = harness_send_json(admin, "POST", "/api/member-classes", "{s:s, s:s}", "code",
			      "associate", "name", "Another name");
	assert_api_error(r, 409, API_FIELD_ANY);
	assert_int_equal(api_list_count(carer, "/api/member-classes", "classes"), 5);

	snprintf(path, sizeof path, "/api/member-classes/%lld", id);
	r = harness_send_json(admin, "PATCH", path, "{s:s}", "name", "Associates");
	assert_status(r, 200);
	cls = api_find(carer, "/api/member-classes", "classes", "code", "associate");
	assert_non_null(cls);
	assert_string_equal(api_json_str(cls, "name"), "Associates");
	assert_int_equal(api_json_int(cls, "id"), id);

	/* The new class takes members and counts them. */
	assert_status(add_membership(admin, create_person(admin, "Ida Associate", "Ida"),
				     "associate", "2025-02-01"),
		      201);
	cls = api_find(carer, "/api/member-classes", "classes", "code", "associate");
	assert_int_equal(api_json_int(cls, "members"), 1);

	r = harness_send_json(admin, "PATCH", "/api/member-classes/" NO_SUCH_ID, "{s:s}", "name",
			      "Nobody");
	assert_api_error(r, 404, API_FIELD_ANY);

	/* Only an admin edits classes. */
	r = harness_send_json(coordinator, "POST", "/api/member-classes", "{s:s, s:s}", "code",
			      "friends", "name", "Friends");
	assert_api_error(r, 403, API_FIELD_ANY);
	r = harness_send_json(coordinator, "PATCH", path, "{s:s}", "name", "Hijacked");
	assert_api_error(r, 403, API_FIELD_ANY);
	cls = api_find(carer, "/api/member-classes", "classes", "code", "associate");
	assert_string_equal(api_json_str(cls, "name"), "Associates");
	assert_null(api_find(carer, "/api/member-classes", "classes", "code", "friends"));
}

static void skills(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *admin = api_client_login(srv, ADMIN);
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	struct harness_client *carer = api_client_login(srv, AMIRA);
	struct harness_client *treasurer = api_client_login(srv, TREASURER);
	static const char *const demo[] = {"meds", "hoist", "dementia", "driving", "catheter"};
	static const char *const bad_codes[] = {
		"",
		"PEG",
		"peg feeding",
		"peg_feeding",
		"hoist!",
		"caf\xc3\xa9",
		"abcdefghijklmnopqrstuvwxyz0123456", /* 33 characters */
	};
	const char *longest = "abcdefghijklmnopqrstuvwxyz-12345"; /* 32 */
	const struct harness_response *r;
	const json_t *s;

	assert_int_equal(api_list_count(carer, "/api/skills", "skills"), 5);
	for (size_t i = 0; i < 5; i++)
		assert_non_null(api_find(carer, "/api/skills", "skills", "code", demo[i]));

	r = harness_send_json(coordinator, "POST", "/api/skills", "{s:s, s:s}", "code",
			      "peg-feeding", "name", "PEG feeding");
	assert_status(r, 201);
	s = api_find(carer, "/api/skills", "skills", "code", "peg-feeding");
	assert_non_null(s);
	assert_string_equal(api_json_str(s, "name"), "PEG feeding");
	r = harness_send_json(admin, "POST", "/api/skills", "{s:s, s:s}", "code", longest, "name",
			      "Longest code");
	assert_status(r, 201);

	for (size_t i = 0; i < sizeof bad_codes / sizeof bad_codes[0]; i++) {
		print_message("code \"%s\"\n", bad_codes[i]);
		r = harness_send_json(coordinator, "POST", "/api/skills", "{s:s, s:s}", "code",
				      bad_codes[i], "name", "Bad");
		assert_api_error(r, 400, "code");
	}
	r = harness_send_json(coordinator, "POST", "/api/skills", "{s:s}", "name", "No code");
	assert_api_error(r, 400, "code");

	r = harness_send_json(coordinator, "POST", "/api/skills", "{s:s, s:s}", "code", "meds",
			      "name", "Medicines again");
	assert_api_error(r, 409, API_FIELD_ANY);
	r = harness_send_json(admin, "POST", "/api/skills", "{s:s, s:s}", "code", "peg-feeding",
			      "name", "Twice");
	assert_api_error(r, 409, API_FIELD_ANY);
	assert_string_equal(
		api_json_str(api_find(carer, "/api/skills", "skills", "code", "meds"), "name"),
		"Medication support");

	r = harness_send_json(carer, "POST", "/api/skills", "{s:s, s:s}", "code", "baking", "name",
			      "Baking");
	assert_api_error(r, 403, API_FIELD_ANY);
	r = harness_send_json(treasurer, "POST", "/api/skills", "{s:s, s:s}", "code", "sums",
			      "name", "Sums");
	assert_api_error(r, 403, API_FIELD_ANY);
	assert_int_equal(api_list_count(carer, "/api/skills", "skills"), 7);
}

/* One POST /api/people body and the field the contract blames. */
struct person_case {
	const char *label;
	const char *body;
	const char *field; /* NULL: either "lat" or "lon" */
};

static void people_validation(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	static const struct person_case cases[] = {
		{"lat 91", "{\"full_name\":\"Val Test\",\"known_as\":\"Val\",\"lat\":91,\"lon\":0}",
		 "lat"},
		{"lat -90.5",
		 "{\"full_name\":\"Val Test\",\"known_as\":\"Val\",\"lat\":-90.5,\"lon\":0}",
		 "lat"},
		{"lon 181",
		 "{\"full_name\":\"Val Test\",\"known_as\":\"Val\",\"lat\":50,\"lon\":181}", "lon"},
		{"lon -180.01",
		 "{\"full_name\":\"Val Test\",\"known_as\":\"Val\",\"lat\":50,\"lon\":-180.01}",
		 "lon"},
		{"lat as text",
		 "{\"full_name\":\"Val Test\",\"known_as\":\"Val\",\"lat\":\"50\",\"lon\":-3}",
		 "lat"},
		{"lat without lon",
		 "{\"full_name\":\"Val Test\",\"known_as\":\"Val\",\"lat\":50.4}", NULL},
		{"lon without lat",
		 "{\"full_name\":\"Val Test\",\"known_as\":\"Val\",\"lon\":-3.6}", NULL},
		{"no full_name", "{\"known_as\":\"Val\"}", "full_name"},
		{"empty full_name", "{\"full_name\":\"\",\"known_as\":\"Val\"}", "full_name"},
		{"no known_as", "{\"full_name\":\"Val Test\"}", "known_as"},
	};
	const struct harness_response *r;
	const json_t *p;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		print_message("%s\n", cases[i].label);
		r = api_send_text(coordinator, "POST", "/api/people", "application/json",
				  cases[i].body);
		if (cases[i].field != NULL) {
			assert_api_error(r, 400, cases[i].field);
		} else {
			assert_api_error_prefix(r, 400, "l");
			assert_true(strcmp(api_json_str(r->json, "field"), "lat") == 0 ||
				    strcmp(api_json_str(r->json, "field"), "lon") == 0);
		}
	}
	assert_int_equal(api_list_count(coordinator, "/api/people?q=Val%20Test", "people"), 0);

	/* The limits themselves are places on Earth. */
	r = api_send_text(
		coordinator, "POST", "/api/people", "application/json",
		"{\"full_name\":\"Val Test\",\"known_as\":\"Val\",\"lat\":90,\"lon\":-180}");
	assert_status(r, 201);
	p = json_object_get(r->json, "person");
	assert_true(api_json_near(p, "lat", 90.0));
	assert_true(api_json_near(p, "lon", -180.0));
	assert_int_equal(api_list_count(coordinator, "/api/people?q=Val%20Test", "people"), 1);
}

static void people_read_patch_search(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	struct harness_client *treasurer = api_client_login(srv, TREASURER);
	struct harness_client *amira = api_client_login(srv, AMIRA);
	const struct harness_response *r;
	const json_t *p;
	char path[PATH_LEN], other[PATH_LEN];
	long long id;

	r = api_send_text(coordinator, "POST", "/api/people", "application/json",
			  "{\"full_name\":\"Rhiannon Tregarthen\",\"known_as\":\"Rhi\","
			  "\"email\":\"rhi@example.org\",\"phone\":\"01803 000000\","
			  "\"address\":\"1 Quay Lane, Dartmouth\",\"area\":\"Dartmouth\","
			  "\"lat\":50.3517,\"lon\":-3.5797}");
	assert_status(r, 201);
	id = api_json_int(json_object_get(r->json, "person"), "id");
	assert_true(id > 0);

	snprintf(path, sizeof path, "/api/people/%lld", id);
	r = harness_get(treasurer, path);
	assert_status(r, 200);
	p = json_object_get(r->json, "person");
	assert_int_equal(api_json_int(p, "id"), id);
	assert_string_equal(api_json_str(p, "full_name"), "Rhiannon Tregarthen");
	assert_string_equal(api_json_str(p, "known_as"), "Rhi");
	assert_string_equal(api_json_str(p, "email"), "rhi@example.org");
	assert_string_equal(api_json_str(p, "phone"), "01803 000000");
	assert_string_equal(api_json_str(p, "address"), "1 Quay Lane, Dartmouth");
	assert_string_equal(api_json_str(p, "area"), "Dartmouth");
	assert_true(api_json_near(p, "lat", 50.3517));
	assert_true(api_json_near(p, "lon", -3.5797));

	/* PATCH changes only what it names; a bad value changes nothing. */
	r = harness_send_json(coordinator, "PATCH", path, "{s:s}", "area", "Kingsbridge");
	assert_status(r, 200);
	r = harness_send_json(coordinator, "PATCH", path, "{s:f, s:f, s:s}", "lat", 91.0, "lon",
			      0.0, "full_name", "Changed Anyway");
	assert_api_error(r, 400, "lat");
	r = harness_get(coordinator, path);
	assert_status(r, 200);
	p = json_object_get(r->json, "person");
	assert_string_equal(api_json_str(p, "area"), "Kingsbridge");
	assert_string_equal(api_json_str(p, "full_name"), "Rhiannon Tregarthen");
	assert_string_equal(api_json_str(p, "email"), "rhi@example.org");
	assert_true(api_json_near(p, "lat", 50.3517));

	/* q matches name, email and area. */
	assert_int_equal(api_find_id(treasurer, "/api/people?q=Tregarthen", "people", "full_name",
				     "Rhiannon Tregarthen"),
			 id);
	assert_int_equal(api_find_id(treasurer, "/api/people?q=rhi%40example.org", "people",
				     "full_name", "Rhiannon Tregarthen"),
			 id);
	assert_int_equal(api_find_id(treasurer, "/api/people?q=Kingsbridge", "people", "full_name",
				     "Rhiannon Tregarthen"),
			 id);
	assert_int_equal(api_list_count(treasurer, "/api/people?q=Zyzzyva", "people"), 0);
	assert_non_null(api_find(treasurer, "/api/people?q=Bridgetown", "people", "full_name",
				 "Amira Khalil"));
	assert_null(api_find(treasurer, "/api/people?q=Bridgetown", "people", "full_name",
			     "Ben Carter"));

	assert_api_error(harness_get(coordinator, "/api/people/" NO_SUCH_ID), 404, API_FIELD_ANY);
	r = harness_send_json(coordinator, "PATCH", "/api/people/" NO_SUCH_ID, "{s:s}", "area",
			      "Nowhere");
	assert_api_error(r, 404, API_FIELD_ANY);

	/* A person reads their own record, not anyone else's. */
	snprintf(path, sizeof path, "/api/people/%lld", api_person_id(coordinator, AMIRA));
	snprintf(other, sizeof other, "/api/people/%lld", api_person_id(coordinator, BEN));
	r = harness_get(amira, path);
	assert_status(r, 200);
	assert_string_equal(api_json_str(json_object_get(r->json, "person"), "email"), AMIRA);
	assert_api_hidden(harness_get(amira, other));
	assert_api_error(harness_get(amira, "/api/people"), 403, API_FIELD_ANY);

	/* The treasurer reads but does not edit. */
	r = harness_send_json(treasurer, "POST", "/api/people", "{s:s, s:s}", "full_name",
			      "Not Allowed", "known_as", "Not");
	assert_api_error(r, 403, API_FIELD_ANY);
	r = harness_send_json(treasurer, "PATCH", other, "{s:s}", "area", "Elsewhere");
	assert_api_error(r, 403, API_FIELD_ANY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(members_add_conflict_and_end, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(members_patch, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(members_roles, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(members_csv_quoting_and_formulas, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(member_classes, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(skills, api_server_setup, api_server_teardown),
		cmocka_unit_test_setup_teardown(people_validation, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(people_read_patch_search, api_server_setup,
						api_server_teardown),
	};

	return cmocka_run_group_tests_name("api_people", tests, NULL, NULL);
}
