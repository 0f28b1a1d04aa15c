/* Rota adapter: the instance and solution files, local times in a DST week
 * (spring gap refused, autumn repeat = first occurrence, durations on the
 * real time line), rest across the change, and messages that name the
 * offending object. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/rota.h"
#include "rota_io/rota_json.h"

#define SPRING_T0 29570400 /* 2026-03-23T00:00Z */
#define AUTUMN_25 29881440 /* 2026-10-25T00:00Z */

#define HEAD(week)                                                                            \
	"{\"format\": \"carecoop-rota/1\", \"timezone\": \"Europe/London\", \"week_start\": " \
	"\"" week "\", \"rules\": {\"max_week_minutes\": 2880, \"min_rest_minutes\": 660, "   \
	"\"speed_kmh\": 25,"                                                                  \
	" \"road_factor\": 1.3}, \"weights\": {\"uncovered\": 10000, \"distinct\": 500,"      \
	" \"off_team\": 50, \"travel_minute\": 2, \"contract_minute\": 1},"

#define CARERS(from, to)                                                                        \
	"\"carers\": [{\"id\": \"c1\", \"skills\": [\"meds\"], \"contract_minutes\": 600,"      \
	" \"home\": {\"lat\": 50.46, \"lon\": -3.52}, \"available\": [{\"start\": \"" from      \
	"\", \"end\": \"" to "\"}]},"                                                           \
	" {\"id\": \"c2\", \"skills\": [], \"contract_minutes\": 0, \"max_week_minutes\": 600," \
	" \"home\": {\"lat\": 50.46, \"lon\": -3.52}, \"available\": []}],"

#define RECIPIENTS                                                                              \
	"\"recipients\": [{\"id\": \"r1\", \"location\": {\"lat\": 50.4619, \"lon\": -3.5253}," \
	" \"team\": [\"c1\"], \"excluded\": []}],"

#define SPRING HEAD("2026-03-23") CARERS("2026-03-23T00:00", "2026-03-30T00:00") RECIPIENTS
#define AUTUMN HEAD("2026-10-19") CARERS("2026-10-19T00:00", "2026-10-26T00:00") RECIPIENTS

#define VISIT(id, start, minutes)                                         \
	"{\"id\": \"" id "\", \"recipient\": \"r1\", \"start\": \"" start \
	"\", \"minutes\": " #minutes ", \"carers\": 1, \"skills\": []}"

static struct rota_instance *parse(const char *text, char *err, size_t n)
{
	return rota_json_parse_instance(text, strlen(text), err, n);
}

static void parse_fails(const char *text, const char *message)
{
	char err[256];
	struct rota_instance *in = parse(text, err, sizeof err);

	if (in != NULL)
		fail_msg("accepted; expected: %s", message);
	assert_string_equal(err, message);
}

static void reads_an_instance(void **state)
{
	const char *text = SPRING "\"visits\": [" VISIT(
		"v1", "2026-03-23T08:00",
		45) ", {\"id\": "
		    "\"v2\", \"recipient\": \"r1\", \"start\": \"2026-03-24T20:30:00\","
		    " \"minutes\": 30, \"carers\": 2, \"skills\": [\"meds\"]}]}";
	char err[256] = "";
	struct rota_instance *in = parse(text, err, sizeof err);

	(void)state;
	if (in == NULL)
		fail_msg("%s", err);
	assert_int_equal(in->n_carers, 2);
	assert_int_equal(in->n_recipients, 1);
	assert_int_equal(in->n_visits, 2);
	assert_int_equal(in->n_skills, 1);
	assert_string_equal(in->skill[0], "meds");
	assert_int_equal(in->carers[0].max_week_minutes, 2880); /* the rule */
	assert_int_equal(in->carers[1].max_week_minutes, 600);  /* its own */
	assert_int_equal(in->carers[0].n_available, 1);
	assert_int_equal(in->carers[0].available[0].start, SPRING_T0);
	/* the week of the spring change is one hour short */
	assert_int_equal(in->carers[0].available[0].end, SPRING_T0 + 7 * 1440 - 60);
	assert_int_equal(in->recipients[0].n_team, 1);
	assert_int_equal(in->recipients[0].team[0], 0);
	assert_int_equal(in->visits[0].start, SPRING_T0 + 8 * 60);
	assert_int_equal(in->visits[0].day, 0);
	assert_int_equal(in->visits[1].start, SPRING_T0 + 1440 + 20 * 60 + 30);
	assert_int_equal(in->visits[1].day, 1);
	assert_int_equal(in->visits[1].carers, 2);
	assert_int_equal(in->visits[1].skills, 1);
	assert_int_equal(in->weight[ROTA_TERM_DISTINCT], 500);
	assert_true(in->rules.road_factor > 1.29 && in->rules.road_factor < 1.31);
	rota_instance_free(in);
}

static void spring_change(void **state)
{
	const char *text = SPRING "\"visits\": [" VISIT("v1", "2026-03-29T00:30", 30) ", " VISIT(
		"v2", "2026-03-29T02:30", 30) "]}";
	char err[256] = "";
	struct rota_instance *in = parse(text, err, sizeof err);
	int32_t sunday = SPRING_T0 + 6 * 1440;

	(void)state;
	if (in == NULL)
		fail_msg("%s", err);
	assert_int_equal(in->visits[0].start, sunday + 30); /* GMT */
	assert_int_equal(in->visits[1].start, sunday + 90); /* 02:30 BST = 01:30Z */
	assert_int_equal(in->visits[0].day, 6);
	assert_int_equal(in->visits[1].day, 6);
	rota_instance_free(in);
	/* v3 is Monday of the next week: outside */
	parse_fails(SPRING "\"visits\": [" VISIT("v3", "2026-03-30T00:00", 30) "]}",
		    "visit v3: start is outside the 7 days from week_start");
	/* 01:30 does not happen on 29 March 2026 in London */
	parse_fails(
		SPRING "\"visits\": [" VISIT("v2", "2026-03-29T01:30", 30) "]}",
		"visit v2: start 2026-03-29T01:30 does not exist in Europe/London (the clocks go "
		"forward)");
}

static void autumn_change(void **state)
{
	const char *text = AUTUMN "\"visits\": [" VISIT("v1", "2026-10-25T00:30", 30) ", " VISIT(
		"v2", "2026-10-25T01:30", 30) ", " VISIT("v3", "2026-10-25T02:00", 30) "]}";
	char err[256] = "";
	struct rota_instance *in = parse(text, err, sizeof err);

	(void)state;
	if (in == NULL)
		fail_msg("%s", err);
	assert_int_equal(in->visits[0].start, AUTUMN_25 - 30);  /* 00:30 BST = 23:30Z */
	assert_int_equal(in->visits[1].start, AUTUMN_25 + 30);  /* first 01:30, BST */
	assert_int_equal(in->visits[2].start, AUTUMN_25 + 120); /* GMT again */
	assert_int_equal(in->visits[0].day, 6);
	/* the week of the autumn change is one hour long */
	assert_int_equal(in->carers[0].available[0].end - in->carers[0].available[0].start,
			 7 * 1440 + 60);
	rota_instance_free(in);
}

/* Parses text and a solution giving c1 every visit; returns the violations
 * as "rule visit;" and the travel term in *travel. */
static void check_all_c1(const char *text, char *out, size_t n, int64_t *travel)
{
	char err[256] = "", sol[512];
	struct rota_instance *in = parse(text, err, sizeof err);
	struct rota_solution *s;
	struct rota_eval ev;
	size_t len = 0;

	if (in == NULL)
		fail_msg("%s", err);
	len = (size_t)snprintf(sol, sizeof sol,
			       "{\"format\": \"carecoop-rota/1\", \"assignments\": [");
	for (size_t v = 0; v < in->n_visits; v++)
		len += (size_t)snprintf(sol + len, sizeof sol - len,
					"%s{\"visit\": \"%s\", \"carers\": [\"c1\"]}",
					v ? ", " : "", in->visits[v].id);
	snprintf(sol + len, sizeof sol - len, "]}");
	s = rota_json_parse_solution(sol, strlen(sol), in, err, sizeof err);
	if (s == NULL)
		fail_msg("%s", err);
	assert_int_equal(rota_evaluate(in, s, &ev), ROTA_OK);
	out[0] = '\0';
	len = 0;
	for (size_t i = 0; i < ev.n_violations; i++)
		len += (size_t)snprintf(out + len, n - len, "%u %s;", ev.violations[i].rule,
					in->visits[ev.violations[i].visit].id);
	*travel = ev.term[ROTA_TERM_TRAVEL];
	rota_eval_release(&ev);
	rota_solution_free(s);
	rota_instance_free(in);
}

static void rest_across_the_changes(void **state)
{
	char v[128];
	int64_t travel;

	(void)state;
	/* spring: Saturday 21:00-22:00, Sunday 09:00: 11 h by the wall clock,
	 * 10 h real, so rule 6 is broken */
	check_all_c1(SPRING "\"visits\": [" VISIT("v1", "2026-03-28T21:00",
						  60) ", " VISIT("v2", "2026-03-29T09:00", 30) "]}",
		     v, sizeof v, &travel);
	assert_string_equal(v, "6 v2;");
	check_all_c1(SPRING "\"visits\": [" VISIT("v1", "2026-03-28T21:00",
						  60) ", " VISIT("v2", "2026-03-29T10:00", 30) "]}",
		     v, sizeof v, &travel);
	assert_string_equal(v, "");
	/* autumn: Saturday ends 22:00, Sunday 08:00: 10 h by the wall clock,
	 * 11 h real, so the rest is long enough */
	check_all_c1(AUTUMN "\"visits\": [" VISIT("v1", "2026-10-24T21:00",
						  60) ", " VISIT("v2", "2026-10-25T08:00", 30) "]}",
		     v, sizeof v, &travel);
	assert_string_equal(v, "");
	check_all_c1(AUTUMN "\"visits\": [" VISIT("v1", "2026-10-24T21:00",
						  60) ", " VISIT("v2", "2026-10-25T07:59", 30) "]}",
		     v, sizeof v, &travel);
	assert_string_equal(v, "6 v2;");
	/* overlap across the autumn repeat: 01:00 BST for 60 minutes ends at
	 * 01:00 GMT, so a visit at 01:30 (the first, BST) overlaps it */
	check_all_c1(AUTUMN "\"visits\": [" VISIT("v1", "2026-10-25T01:00",
						  60) ", " VISIT("v2", "2026-10-25T01:30", 30) "]}",
		     v, sizeof v, &travel);
	assert_string_equal(v, "4 v2;");
	assert_int_equal(travel, 0);
}

static void messages_name_the_object(void **state)
{
	(void)state;
	{
		char err[256];
		const char *want = "instance: JSON error at line 1 column 1: ";

		assert_null(parse("{", err, sizeof err)); /* then jansson's own words */
		assert_memory_equal(err, want, strlen(want));
	}
	parse_fails("{\"format\": \"carecoop-rota/2\"}",
		    "instance: format must be \"carecoop-rota/1\"");
	parse_fails(SPRING "\"visits\": [" VISIT("v17", "2026-03-23T08:00", 0) "]}",
		    "visit v17: minutes must be a whole number from 1 to 1440");
	parse_fails(HEAD("2026-03-23")
			    CARERS("2026-03-23T00:00",
				   "2026-03-30T00:00") "\"recipients\": [{\"id\": \"r3\", "
						       "\"location\": {\"lat\": 50, \"lon\": -3},"
						       " \"team\": [\"c99\"]}], \"visits\": []}",
		    "recipient r3: team member c99 does not exist");
	parse_fails(HEAD("2026-03-23")
			    CARERS("2026-03-23T00:00",
				   "2026-03-30T00:00") "\"recipients\": [{\"id\": \"r3\", "
						       "\"location\": {\"lat\": 50, \"lon\": -3},"
						       " \"team\": [\"c1\"], \"excluded\": "
						       "[\"c1\"]}], \"visits\": []}",
		    "recipient r3: carer c1 is both in the team and excluded");
	parse_fails(SPRING "\"visits\": [{\"id\": \"v1\", \"recipient\": \"r9\", \"start\": "
			   "\"2026-03-23T08:00\", \"minutes\": 30, \"carers\": 1}]}",
		    "visit v1: recipient r9 does not exist");
	parse_fails(SPRING "\"visits\": [{\"id\": \"v1\", \"recipient\": \"r1\", \"start\": "
			   "\"2026-03-23T08:00\", \"minutes\": 30, \"carers\": 1, \"skills\": "
			   "[\"peg\"]}]}",
		    "visit v1: skill peg does not exist (no carer has it)");
	parse_fails(SPRING "\"visits\": [{\"id\": \"v1\", \"recipient\": \"r1\", \"start\": "
			   "\"2026-03-23T08:00\", \"minutes\": 30, \"carers\": 3}]}",
		    "visit v1: carers must be a whole number from 1 to 2");
	parse_fails(SPRING "\"visits\": [" VISIT("v1", "2026-03-23T08:00",
						 30) ", " VISIT("v1", "2026-03-23T09:00", 30) "]}",
		    "visit v1: duplicate id");
	parse_fails(SPRING "\"visits\": [" VISIT("v1", "2026-03-23 08:00", 30) "]}",
		    "visit v1: start \"2026-03-23 08:00\" is not a local time YYYY-MM-DDTHH:MM");
	parse_fails(SPRING "\"visits\": [{\"id\": \"v1\", \"recipient\": \"r1\", \"start\": "
			   "\"2026-03-23T08:00\", \"minutes\": 30, \"carers\": 1, \"minute\": 5}]}",
		    "visit v1: unknown field \"minute\"");
	parse_fails(HEAD("2026-03-23") CARERS("2026-03-23T10:00", "2026-03-23T09:00") RECIPIENTS
		    "\"visits\": []}",
		    "carer c1 available[0]: end must be after start");
	parse_fails(HEAD("2026-03-23") "\"carers\": [{\"id\": \"c 1\"}], \"recipients\": [], "
				       "\"visits\": []}",
		    "carers[0]: id must be 1..64 of A-Z a-z 0-9 _ . : @ -");
	parse_fails("{\"format\": \"carecoop-rota/1\", \"timezone\": \"Mars/Olympus\"}",
		    "instance: timezone \"Mars/Olympus\" is not a known IANA time zone");
}

static void reads_and_writes_solutions(void **state)
{
	const char *text = SPRING "\"visits\": [" VISIT("v1", "2026-03-23T08:00", 30) ", " VISIT(
		"v2", "2026-03-23T09:00", 30) "]}";
	char err[256] = "", path[64];
	struct rota_instance *in = parse(text, err, sizeof err);
	struct rota_solution *s, *back;
	const char *sol;

	(void)state;
	if (in == NULL)
		fail_msg("%s", err);
	sol = "{\"format\": \"carecoop-rota/1\", \"assignments\": [{\"visit\": \"v2\", \"carers\": "
	      "[\"c1\", \"c1\"]}]}";
	s = rota_json_parse_solution(sol, strlen(sol), in, err, sizeof err);
	assert_non_null(s);
	assert_int_equal(s->visit[0].n, 0); /* absent: no carers */
	assert_int_equal(s->visit[1].n, 2); /* repeats kept for rule 3 */
	sol = "{\"format\": \"carecoop-rota/1\", \"assignments\": [{\"visit\": \"v9\", \"carers\": "
	      "[]}]}";
	assert_null(rota_json_parse_solution(sol, strlen(sol), in, err, sizeof err));
	assert_string_equal(err, "assignments[0]: visit v9 does not exist");
	sol = "{\"format\": \"carecoop-rota/1\", \"assignments\": [{\"visit\": \"v1\", \"carers\": "
	      "[\"c7\"]}]}";
	assert_null(rota_json_parse_solution(sol, strlen(sol), in, err, sizeof err));
	assert_string_equal(err, "assignment for visit v1: carer c7 does not exist");
	sol = "{\"format\": \"carecoop-rota/1\", \"assignments\": [{\"visit\": \"v1\", \"carers\": "
	      "[]}, {\"visit\": \"v1\", \"carers\": []}]}";
	assert_null(rota_json_parse_solution(sol, strlen(sol), in, err, sizeof err));
	assert_string_equal(err, "assignment for visit v1: the visit is listed twice");

	snprintf(path, sizeof path, "/tmp/carecoop-rota-test-%ld.json", (long)getpid());
	assert_int_equal(rota_json_write_solution(path, in, s, err, sizeof err), 0);
	back = rota_json_read_solution(path, in, err, sizeof err);
	assert_non_null(back);
	assert_int_equal(back->visit[0].n, 0);
	assert_int_equal(back->visit[1].n, 2);
	assert_int_equal(back->visit[1].carer[1], 0);
	unlink(path);
	assert_null(rota_json_read_instance("/nonexistent/instance.json", err, sizeof err));
	assert_string_equal(err,
			    "cannot open /nonexistent/instance.json: No such file or directory");
	rota_solution_free(back);
	rota_solution_free(s);
	rota_instance_free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_an_instance),
		cmocka_unit_test(spring_change),
		cmocka_unit_test(autumn_change),
		cmocka_unit_test(rest_across_the_changes),
		cmocka_unit_test(messages_name_the_object),
		cmocka_unit_test(reads_and_writes_solutions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
