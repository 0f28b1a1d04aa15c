/*
 * API tests, CSV import and export of carers and of people receiving care
 * (docs/API.md "CSV import and export"): a dry run lists every bad row with
 * its line and writes nothing; a real import is all or nothing; RFC 4180
 * quoting; the export reads back through the import. Every test gets a
 * fresh demo co-op (12 carers, 15 people receiving care).
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

#define ADMIN           "admin@carecoop.example"
#define COORDINATOR     "coordinator@carecoop.example"
#define TREASURER       "treasurer@carecoop.example"
#define SUSAN           "susan@carecoop.example"
#define AMIRA           "amira@carecoop.example"
#define BEN             "ben@carecoop.example"
#define JACK            "jack@carecoop.example"
#define DEMO_CARERS     12
#define DEMO_RECIPIENTS 15
#define PATH_LEN        160

#define CARERS_DRY  "/api/import/carers?dry_run=1"
#define CARERS_REAL "/api/import/carers"
#define RECIPS_DRY  "/api/import/recipients?dry_run=1"
#define RECIPS_REAL "/api/import/recipients"
#define CARERS_HEADER                                                           \
	"full_name,known_as,email,phone,address,area,lat,lon,contract_minutes," \
	"max_week_minutes,skills"
#define RECIPS_HEADER "full_name,known_as,email,phone,address,area,lat,lon,team"

/* Rows reused below; each is one line of CSV without its line break. */
#define ROW_OLU                                                                            \
	"Olu Adebayo,Olu,olu@example.org,01803 111111,1 Station Road,Totnes town,50.4310," \
	"-3.6850,1200,2880,meds;hoist"
#define ROW_PAT_BAD_LAT                                                                     \
	"Pat Quayle,Pat,pat@example.org,,2 Station Road,Totnes town,95.0,-3.6850,900,2880," \
	"meds"
#define ROW_QUINN_BAD_SKILL                                                               \
	"Quinn Rowe,Quinn,quinn@example.org,,3 Station Road,Totnes town,50.4320,-3.6860," \
	"900,2880,meds;teleporting"
#define ROW_RAE                                                                           \
	"Rae Sutton,Rae,rae@example.org,,4 Station Road,Totnes town,50.4330,-3.6870,600," \
	"2400,dementia"
#define ROW_ZOE                                                                    \
	"Zo\xc3\xab Ashworth,Zo\xc3\xab,zoe.ashworth@example.org,,5 Station Road," \
	"Dartington,50.4480,-3.7100,1500,2400,dementia;driving"
#define ROW_SOL_NO_SKILLS \
	"Sol Tern,Sol,sol@example.org,,7 Station Road,Totnes town,50.4340,-3.6880,300,2880,"

static const struct harness_response *post_csv(struct harness_client *c, const char *path,
					       const char *csv)
{
	return api_send_text(c, "POST", path, "text/csv", csv);
}

static size_t carer_count(struct harness_client *c)
{
	return api_list_count(c, "/api/carers", "carers");
}

/* The entry of the reply's "errors" for that line, or NULL; every entry
 * must have a line number, a field and a message. */
static const json_t *error_at(const struct harness_response *r, long long line)
{
	const json_t *errors = json_object_get(r->json, "errors");
	const json_t *e, *found = NULL;
	size_t i;

	assert_true(json_is_array(errors));
	json_array_foreach (errors, i, e) {
		assert_true(api_json_int(e, "line") > 1); /* line 1 is the header */
		assert_true(json_is_string(json_object_get(e, "field")));
		assert_non_null(api_json_str(e, "error"));
		assert_true(strlen(api_json_str(e, "error")) > 0);
		if (api_json_int(e, "line") == line && found == NULL)
			found = e;
	}
	return found;
}

/* Checks an error entry's field: exactly want, or starting with want and
 * then '[' (as "skills[1]") when prefix is true. */
static void check_error_field(const json_t *e, const char *want, bool prefix)
{
	const char *f = api_json_str(e, "field");
	size_t n = strlen(want);

	assert_non_null(e);
	assert_non_null(f);
	if (strcmp(f, want) == 0)
		return;
	if (prefix && strncmp(f, want, n) == 0 && f[n] == '[')
		return;
	fail_msg("error field %s, expected %s", f, want);
}

/* A dry-run reply: 200 {"ok":ok,"rows":valid,"error_count":nerrors,
 * "errors":[nerrors entries]} (rows counts the valid rows). */
static void check_dry_run(const struct harness_response *r, bool ok, long long valid,
			  size_t nerrors)
{
	assert_status(r, 200);
	assert_content_type(r, "application/json");
	assert_true(json_is_boolean(json_object_get(r->json, "ok")));
	if (json_is_true(json_object_get(r->json, "ok")) != ok ||
	    json_array_size(json_object_get(r->json, "errors")) != nerrors)
		fail_msg("expected ok %d with %zu errors: %.600s", ok, nerrors, r->body);
	assert_int_equal(api_json_int(r->json, "error_count"), nerrors);
	assert_int_equal(api_json_int(r->json, "rows"), valid);
}

/* The carer (as GET /api/carers/{id} shows it) whose person has that name. */
static const json_t *carer_named(struct harness_client *c, const char *q, const char *full_name)
{
	char path[PATH_LEN];
	long long id;
	const struct harness_response *r;

	snprintf(path, sizeof path, "/api/carers?q=%s", q);
	id = api_find_id(c, path, "carers", "full_name", full_name);
	if (id <= 0)
		fail_msg("no carer called %s", full_name);
	snprintf(path, sizeof path, "/api/carers/%lld", id);
	r = harness_get(c, path);
	assert_status(r, 200);
	return json_object_get(r->json, "carer");
}

static void carers_dry_run_lists_every_bad_row(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	const char *csv = CARERS_HEADER "\n" ROW_OLU "\n" ROW_PAT_BAD_LAT "\n" ROW_QUINN_BAD_SKILL
					"\n" ROW_RAE "\n";
	const struct harness_response *r;

	r = post_csv(coordinator, CARERS_DRY, csv);
	check_dry_run(r, false, 2, 2);
	check_error_field(error_at(r, 3), "lat", false);
	check_error_field(error_at(r, 4), "skills", true);
	assert_null(error_at(r, 2));
	assert_null(error_at(r, 5));

	/* A good file passes a dry run, and a dry run writes nothing either way. */
	r = post_csv(coordinator, CARERS_DRY, CARERS_HEADER "\n" ROW_OLU "\n" ROW_RAE "\n");
	check_dry_run(r, true, 2, 0);
	assert_int_equal(carer_count(coordinator), DEMO_CARERS);
	assert_int_equal(api_list_count(coordinator, "/api/carers?q=Adebayo", "carers"), 0);
	assert_int_equal(api_list_count(coordinator, "/api/people?q=Sutton", "people"), 0);
}

static void carers_import_all_or_nothing(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	struct harness_client *admin = api_client_login(srv, ADMIN);
	const char *bad = CARERS_HEADER "\n" ROW_OLU "\n" ROW_PAT_BAD_LAT "\n" ROW_RAE "\n";
	const char *good =
		CARERS_HEADER "\n" ROW_OLU "\n" ROW_ZOE "\n" ROW_RAE "\n" ROW_SOL_NO_SKILLS "\n";
	const struct harness_response *r;
	const json_t *c, *skills;

	r = post_csv(coordinator, CARERS_REAL, bad);
	assert_api_error(r, 400, "line 3");
	check_error_field(error_at(r, 3), "lat", false);
	assert_int_equal(json_array_size(json_object_get(r->json, "errors")), 1);
	assert_int_equal(api_json_int(r->json, "error_count"), 1);
	/* Not even the good rows before and after the bad one. */
	assert_int_equal(carer_count(coordinator), DEMO_CARERS);
	assert_int_equal(api_list_count(coordinator, "/api/people?q=Adebayo", "people"), 0);
	assert_int_equal(api_list_count(coordinator, "/api/people?q=Sutton", "people"), 0);

	r = post_csv(admin, CARERS_REAL, good);
	assert_status(r, 201);
	assert_json_body(r, "{\"ok\":true,\"rows\":4}");
	assert_int_equal(carer_count(coordinator), DEMO_CARERS + 4);

	c = carer_named(coordinator, "Ashworth", "Zo\xc3\xab Ashworth");
	assert_string_equal(api_json_str(c, "known_as"), "Zo\xc3\xab");
	assert_string_equal(api_json_str(c, "email"), "zoe.ashworth@example.org");
	assert_string_equal(api_json_str(c, "area"), "Dartington");
	assert_true(api_json_near(c, "lat", 50.4480));
	assert_true(api_json_near(c, "lon", -3.7100));
	assert_int_equal(api_json_int(c, "contract_minutes"), 1500);
	assert_int_equal(api_json_int(c, "max_week_minutes"), 2400);
	skills = json_object_get(c, "skills");
	assert_int_equal(json_array_size(skills), 2);
	assert_true(api_json_array_has(skills, "dementia"));
	assert_true(api_json_array_has(skills, "driving"));

	c = carer_named(coordinator, "Adebayo", "Olu Adebayo");
	assert_string_equal(api_json_str(c, "phone"), "01803 111111");
	assert_int_equal(json_array_size(json_object_get(c, "skills")), 2);
	c = carer_named(coordinator, "Tern", "Sol Tern");
	assert_int_equal(json_array_size(json_object_get(c, "skills")), 0);
	assert_int_equal(api_json_int(c, "contract_minutes"), 300);
	carer_named(coordinator, "Sutton", "Rae Sutton");
}

static void recipients_import_team_in_order(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	struct harness_client *jack = api_client_login(srv, JACK);
	struct harness_client *ben = api_client_login(srv, BEN);
	const char *good = RECIPS_HEADER "\n"
					 "Winifred Ash,Win,,01803 222222,\"2 Mill Lane, Totnes\","
					 "Totnes town,50.4335,-3.6880," JACK ";" AMIRA "\n"
					 "Cyril Dean,Cyril,,,,Dartington,,,\n";
	const char *bad = RECIPS_HEADER "\n"
					"Ivy Bell,Ivy,,,,Totnes town,,,nobody@example.org\n"
					"Jim Bell,Jim,,,,Totnes town,,," SUSAN "\n";
	const struct harness_response *r;
	const json_t *rec, *team;
	char path[PATH_LEN];
	long long win;

	/* Team emails must be carers'. */
	r = post_csv(coordinator, RECIPS_DRY, bad);
	check_dry_run(r, false, 0, 2);
	check_error_field(error_at(r, 2), "team", true);
	check_error_field(error_at(r, 3), "team", true);

	r = post_csv(coordinator, RECIPS_REAL, good);
	assert_status(r, 201);
	assert_json_body(r, "{\"ok\":true,\"rows\":2}");
	win = api_find_id(coordinator, "/api/people?q=Winifred", "people", "full_name",
			  "Winifred Ash");
	assert_true(win > 0);
	snprintf(path, sizeof path, "/api/recipients/%lld", win);
	r = harness_get(coordinator, path);
	assert_status(r, 200);
	rec = json_object_get(r->json, "recipient");
	assert_string_equal(api_json_str(rec, "address"), "2 Mill Lane, Totnes");
	assert_string_equal(api_json_str(rec, "phone"), "01803 222222");
	team = json_object_get(rec, "team");
	assert_int_equal(json_array_size(team), 2);
	assert_int_equal(api_json_int(json_array_get(team, 0), "id"),
			 api_person_id(coordinator, JACK));
	assert_int_equal(api_json_int(json_array_get(team, 0), "rank"), 1);
	assert_int_equal(api_json_int(json_array_get(team, 1), "id"),
			 api_person_id(coordinator, AMIRA));
	assert_int_equal(api_json_int(json_array_get(team, 1), "rank"), 2);
	/* The team now sees her; others do not. */
	assert_status(harness_get(jack, path), 200);
	assert_api_error(harness_get(ben, path), 404, API_FIELD_ANY);

	/* No location and no team are allowed. */
	snprintf(path, sizeof path, "/api/recipients/%lld",
		 api_find_id(coordinator, "/api/people?q=Cyril", "people", "full_name",
			     "Cyril Dean"));
	r = harness_get(coordinator, path);
	assert_status(r, 200);
	rec = json_object_get(r->json, "recipient");
	assert_string_equal(api_json_str(rec, "area"), "Dartington");
	assert_int_equal(json_array_size(json_object_get(rec, "team")), 0);
	assert_int_equal(api_list_count(coordinator, "/api/recipients", "recipients"),
			 DEMO_RECIPIENTS + 2);
	assert_int_equal(api_list_count(coordinator, "/api/people?q=Bell", "people"), 0);
}

static void csv_quoting_and_line_breaks(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	/* CRLF between records (RFC 4180); a bare LF inside a quoted field. */
	const char *csv = CARERS_HEADER "\r\n"
					"\"Rosie \"\"Ro\"\" Hart\",Rosie,rosie@example.org,,"
					"\"Flat 3, Mill House\nWarland\",Totnes town,50.4300,"
					"-3.6900,900,2880,meds;dementia\r\n"
					"Sam Tate,Sam,sam@example.org,,6 Station Road,Totnes town,"
					"50.4301,-3.6901,600,2880,hoist\r\n";
	const struct harness_response *r;
	const json_t *c;

	r = post_csv(coordinator, CARERS_DRY, csv);
	check_dry_run(r, true, 2, 0);
	r = post_csv(coordinator, CARERS_REAL, csv);
	assert_status(r, 201);
	assert_json_body(r, "{\"ok\":true,\"rows\":2}");
	c = carer_named(coordinator, "Hart", "Rosie \"Ro\" Hart");
	assert_string_equal(api_json_str(c, "address"), "Flat 3, Mill House\nWarland");
	assert_string_equal(api_json_str(c, "area"), "Totnes town");
	assert_int_equal(json_array_size(json_object_get(c, "skills")), 2);
	c = carer_named(coordinator, "Tate", "Sam Tate");
	assert_true(api_json_array_has(json_object_get(c, "skills"), "hoist"));
	assert_int_equal(carer_count(coordinator), DEMO_CARERS + 2);
}

static void import_content_type_and_roles(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	struct harness_client *amira = api_client_login(srv, AMIRA);
	struct harness_client *treasurer = api_client_login(srv, TREASURER);
	const char *csv = CARERS_HEADER "\n" ROW_OLU "\n";
	const struct harness_response *r;

	r = api_send_text(coordinator, "POST", CARERS_REAL, "application/json", csv);
	assert_api_error(r, 415, API_FIELD_ANY);
	r = api_send_text(coordinator, "POST", CARERS_DRY, "text/plain", csv);
	assert_api_error(r, 415, API_FIELD_ANY);
	r = api_send_text(coordinator, "POST", RECIPS_REAL, "application/x-www-form-urlencoded",
			  RECIPS_HEADER "\nIvy Bell,Ivy,,,,Totnes town,,,\n");
	assert_api_error(r, 415, API_FIELD_ANY);
	assert_int_equal(carer_count(coordinator), DEMO_CARERS);
	assert_int_equal(api_list_count(coordinator, "/api/people?q=Bell", "people"), 0);
	/* A charset parameter is still text/csv. */
	r = api_send_text(coordinator, "POST", CARERS_DRY, "text/csv; charset=utf-8", csv);
	check_dry_run(r, true, 1, 0);

	assert_api_error(post_csv(amira, CARERS_REAL, csv), 403, API_FIELD_ANY);
	assert_api_error(post_csv(treasurer, CARERS_DRY, csv), 403, API_FIELD_ANY);
	assert_api_error(post_csv(amira, RECIPS_DRY, RECIPS_HEADER "\n"), 403, API_FIELD_ANY);
	assert_api_error(harness_get(treasurer, "/api/carers.csv"), 403, API_FIELD_ANY);
	assert_api_error(harness_get(amira, "/api/recipients.csv"), 403, API_FIELD_ANY);
	assert_api_error(harness_get(api_client_login(srv, SUSAN), "/api/recipients.csv"), 403,
			 API_FIELD_ANY);
	assert_int_equal(carer_count(coordinator), DEMO_CARERS);
}

/* Checks that the first record of csv is exactly the comma-separated
 * header; returns the number of records after it (all of its width). */
static size_t check_csv(const char *csv, const char *header, struct api_csv_record *rec)
{
	size_t pos = 0, hpos = 0, width, records = 0;
	static struct api_csv_record want;
	int got;

	assert_int_equal(api_csv_next(header, &hpos, &want), 1);
	assert_int_equal(api_csv_next(csv, &pos, rec), 1);
	assert_int_equal(rec->count, want.count);
	for (size_t f = 0; f < want.count; f++)
		assert_string_equal(rec->field[f], want.field[f]);
	width = rec->count;
	while ((got = api_csv_next(csv, &pos, rec)) == 1) {
		assert_int_equal(rec->count, width);
		records++;
	}
	assert_int_equal(got, 0);
	return records;
}

/* Finds the record whose first field (full_name) is name; 1 if found. */
static int csv_find(const char *csv, const char *name, struct api_csv_record *rec)
{
	size_t pos = 0;

	while (api_csv_next(csv, &pos, rec) == 1) {
		if (rec->count > 0 && strcmp(rec->field[0], name) == 0)
			return 1;
	}
	return 0;
}

/* True if the ';'-separated list holds item. */
static bool list_has(const char *list, const char *item)
{
	size_t n = strlen(item);

	for (const char *p = list; *p != '\0';) {
		size_t len = strcspn(p, ";");
		if (len == n && strncmp(p, item, n) == 0)
			return true;
		p += len;
		if (*p == ';')
			p++;
	}
	return false;
}

/* Appends text to out (size n, *used bytes so far); fails when full. */
static void append(char *out, size_t n, size_t *used, const char *text, size_t len)
{
	if (*used + len + 1 > n)
		fail_msg("CSV buffer too small");
	memcpy(out + *used, text, len);
	*used += len;
	out[*used] = '\0';
}

/* Writes csv again into out with every field quoted and the field at
 * column blank emptied in every record but the header. */
static void csv_blank_column(const char *csv, size_t blank, char *out, size_t n)
{
	static struct api_csv_record rec;
	size_t pos = 0, used = 0;
	bool header = true;

	out[0] = '\0';
	while (api_csv_next(csv, &pos, &rec) == 1) {
		for (size_t f = 0; f < rec.count; f++) {
			const char *v = !header && f == blank ? "" : rec.field[f];
			append(out, n, &used, f > 0 ? ",\"" : "\"", f > 0 ? 2 : 1);
			for (; *v != '\0'; v++)
				append(out, n, &used, *v == '"' ? "\"\"" : v, *v == '"' ? 2 : 1);
			append(out, n, &used, "\"", 1);
		}
		append(out, n, &used, "\r\n", 2);
		header = false;
	}
}

/* A dry run of an export into the co-op it came from: each row whose
 * person has an email is refused for that email alone, and nothing else
 * is wrong with any row. */
static void check_only_emails_in_use(const struct harness_response *r, size_t with_email,
				     long long rows)
{
	const json_t *e;
	size_t i;

	check_dry_run(r, with_email == 0, rows - (long long)with_email, with_email);
	json_array_foreach (json_object_get(r->json, "errors"), i, e) {
		check_error_field(e, "email", false);
	}
}

static void export_round_trips(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	struct harness_client *admin = api_client_login(srv, ADMIN);
	static struct api_csv_record rec; /* 16 KiB: not on the stack */
	static char again[128 * 1024];
	const struct harness_response *r, *dry;

	r = harness_get(coordinator, "/api/carers.csv");
	assert_status(r, 200);
	assert_content_type(r, "text/csv");
	assert_int_equal(check_csv(r->body, CARERS_HEADER, &rec), DEMO_CARERS);
	assert_int_equal(csv_find(r->body, "Amira Khalil", &rec), 1);
	assert_string_equal(rec.field[1], "Amira");
	assert_string_equal(rec.field[2], AMIRA);
	assert_string_equal(rec.field[5], "Bridgetown");
	/* Numbers stay numbers: a negative longitude is no formula. */
	assert_true(strtod(rec.field[6], NULL) > 50.4311 && strtod(rec.field[6], NULL) < 50.4313);
	assert_true(strtod(rec.field[7], NULL) < -3.6780 && strtod(rec.field[7], NULL) > -3.6782);
	assert_string_equal(rec.field[8], "2250");
	assert_string_equal(rec.field[9], "2880");
	assert_true(list_has(rec.field[10], "meds"));
	assert_true(list_has(rec.field[10], "hoist"));
	assert_true(list_has(rec.field[10], "dementia"));
	assert_int_equal(csv_find(r->body, "Liam O'Brien", &rec), 1);

	/* Read back as it is: every column parses; only the emails are taken. */
	dry = post_csv(coordinator, CARERS_DRY, r->body);
	check_only_emails_in_use(dry, DEMO_CARERS, DEMO_CARERS);
	for (long long line = 2; line < 2 + DEMO_CARERS; line++)
		check_error_field(error_at(dry, line), "email", false);
	/* Without the emails, every row is valid. */
	csv_blank_column(r->body, 2, again, sizeof again);
	check_dry_run(post_csv(coordinator, CARERS_DRY, again), true, DEMO_CARERS, 0);

	r = harness_get(admin, "/api/recipients.csv");
	assert_status(r, 200);
	assert_content_type(r, "text/csv");
	assert_int_equal(check_csv(r->body, RECIPS_HEADER, &rec), DEMO_RECIPIENTS);
	assert_int_equal(csv_find(r->body, "Margaret Ellis", &rec), 1);
	assert_string_equal(rec.field[8], AMIRA ";" BEN ";" JACK);
	/* The export carries no sensitive notes or key safe codes. */
	assert_false(api_contains(r->body, "4821"));
	assert_false(api_contains(r->body, "diabetes"));
	/* Margaret and Arthur log in, so have emails. */
	check_only_emails_in_use(post_csv(coordinator, RECIPS_DRY, r->body), 2, DEMO_RECIPIENTS);
	csv_blank_column(r->body, 2, again, sizeof again);
	check_dry_run(post_csv(coordinator, RECIPS_DRY, again), true, DEMO_RECIPIENTS, 0);

	assert_int_equal(carer_count(coordinator), DEMO_CARERS);
	assert_int_equal(api_list_count(coordinator, "/api/recipients", "recipients"),
			 DEMO_RECIPIENTS);
}

static void header_email_and_malformed_csv(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	const struct harness_response *r;

	/* Case, spaces around names and a byte-order mark do not matter. */
	r = post_csv(coordinator, CARERS_DRY,
		     "\xef\xbb\xbf"
		     " FULL_NAME ,Known_As,Email,phone,address,area,lat,lon,contract_minutes,"
		     "max_week_minutes, Skills \n" ROW_OLU "\n");
	check_dry_run(r, true, 1, 0);
	/* Columns in another order are refused. */
	r = post_csv(coordinator, CARERS_REAL,
		     "known_as,full_name,email,phone,address,area,lat,lon,contract_minutes,"
		     "max_week_minutes,skills\nOlu,Olu Adebayo,,,,,,,600,2880,meds\n");
	assert_api_error(r, 400, API_FIELD_ANY);

	/* An email already in use. */
	r = post_csv(coordinator, CARERS_DRY,
		     CARERS_HEADER "\n" ROW_OLU "\nAnother Amira,Amira," AMIRA
				   ",,,,,,600,2880,meds\n");
	check_dry_run(r, false, 1, 1);
	check_error_field(error_at(r, 3), "email", false);

	assert_int_equal(carer_count(coordinator), DEMO_CARERS);
}

/*
 * A 400 for a file that is not CSV names the line ("400 with the line"): in
 * "field" as for a bad row, or in the message. Any field given must still
 * be one the Conventions allow (a member, header or query parameter, or a
 * "line N" as the import uses), so "body" is not one.
 */
static void check_not_csv(const struct harness_response *r, const char *line)
{
	const char *field;

	assert_api_error(r, 400, API_FIELD_ANY);
	field = api_json_str(r->json, "field");
	if (!api_contains(api_json_str(r->json, "error"), line) &&
	    (field == NULL || strncmp(field, line, strlen(line)) != 0))
		fail_msg("the reply does not name %s: %s", line, r->body);
	if (field != NULL && strncmp(field, "line ", 5) != 0)
		fail_msg("field \"%s\" is no member, header, parameter or line: %s", field,
			 r->body);
}

static void not_csv_names_the_line(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);

	/* A stray quote on line 3, in a dry run and for real. */
	check_not_csv(post_csv(coordinator, CARERS_DRY,
			       CARERS_HEADER "\n" ROW_OLU
					     "\nOlu \"Big\" Adebayo,Olu,,,,,,,600,2880,meds\n"),
		      "line 3");
	check_not_csv(post_csv(coordinator, CARERS_REAL,
			       CARERS_HEADER "\n" ROW_OLU
					     "\nOlu \"Big\" Adebayo,Olu,,,,,,,600,2880,meds\n"),
		      "line 3");
	/* A quote opened on line 3 and never closed. */
	check_not_csv(post_csv(coordinator, CARERS_REAL,
			       CARERS_HEADER "\n" ROW_OLU
					     "\n\"Unclosed,Pat,,,,,,,600,2880,meds\n" ROW_RAE "\n"),
		      "line ");
	assert_int_equal(carer_count(coordinator), DEMO_CARERS);
}

static void row_limit(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coordinator = api_client_login(srv, COORDINATOR);
	static char csv[256 * 1024];
	size_t used = 0;
	char row[96];
	const struct harness_response *r;

	append(csv, sizeof csv, &used, CARERS_HEADER "\n", strlen(CARERS_HEADER "\n"));
	for (int i = 1; i <= 2000; i++) {
		int n = snprintf(row, sizeof row,
				 "Bulk Person %d,Bulk,,,,Totnes town,,,600,2880,meds\n", i);
		append(csv, sizeof csv, &used, row, (size_t)n);
	}
	check_dry_run(post_csv(coordinator, CARERS_DRY, csv), true, 2000, 0);
	append(csv, sizeof csv, &used, "Bulk Person 2001,Bulk,,,,Totnes town,,,600,2880,meds\n",
	       strlen("Bulk Person 2001,Bulk,,,,Totnes town,,,600,2880,meds\n"));
	r = post_csv(coordinator, CARERS_REAL, csv);
	assert_api_error(r, 400, API_FIELD_ANY);
	assert_int_equal(carer_count(coordinator), DEMO_CARERS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(carers_dry_run_lists_every_bad_row,
						api_server_setup, api_server_teardown),
		cmocka_unit_test_setup_teardown(carers_import_all_or_nothing, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(recipients_import_team_in_order, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(csv_quoting_and_line_breaks, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(import_content_type_and_roles, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(export_round_trips, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(header_email_and_malformed_csv, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(not_csv_names_the_line, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(row_limit, api_server_setup, api_server_teardown),
	};

	return cmocka_run_group_tests_name("api_import", tests, NULL, NULL);
}
