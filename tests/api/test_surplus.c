/*
 * API tests, the surplus (docs/API.md "Surplus"): rules, runs, preview and
 * what-if, the refusals (percentages, money, approval without a carried
 * proposal, twice, changing an approved run, another member's statement,
 * roles, CSRF), approval linked to the demo's carried proposal, payment and
 * the CSV. Every test gets a fresh demo co-op (with its draft run).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "api_check.h"

#include <stdio.h>
#include <string.h>

#define TREASURER "treasurer@carecoop.example"
#define ADMIN     "admin@carecoop.example"
#define GRACE     "grace@carecoop.example"
#define AMIRA     "amira@carecoop.example"
#define PATH_LEN  160

/* The demo's draft run (the newest run). */
static long long demo_run(struct harness_client *c)
{
	const struct harness_response *r = harness_get(c, "/api/surplus/runs");
	const json_t *run;

	assert_status(r, 200);
	run = json_array_get(json_object_get(r->json, "runs"), 0);
	assert_non_null(run);
	assert_string_equal(api_json_str(run, "status"), "draft");
	return api_json_int(run, "id");
}

/* reserve + fund + interest + every class's paid pool == surplus, and the
 * lines add up to interest + the classes' pools. */
static void check_reconciles(const json_t *a)
{
	long long sum = api_json_int(a, "reserve_pence") + api_json_int(a, "fund_pence") +
			api_json_int(a, "interest_pence"),
		  lines = 0, paid = 0;
	size_t i;
	json_t *x;

	json_array_foreach (json_object_get(a, "classes"), i, x)
		paid += api_json_int(x, "paid_pence");
	json_array_foreach (json_object_get(a, "lines"), i, x) {
		assert_true(api_json_int(x, "total_pence") >= 0);
		lines += api_json_int(x, "total_pence");
	}
	assert_int_equal(sum + paid, api_json_int(a, "surplus_pence"));
	assert_int_equal(lines, api_json_int(a, "interest_pence") + paid);
}

static void rules_refusals_and_new_version(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *t = api_client_login(srv, TREASURER);
	const struct harness_response *r;

	r = harness_get(t, "/api/surplus/rulebooks");
	assert_status(r, 200);
	assert_int_equal(json_array_size(json_object_get(r->json, "rulebooks")), 1);

	r = harness_send_json(t, "POST", "/api/surplus/rulebooks", "{s:s}", "reserve_percent",
			      "100.5");
	assert_api_error(r, 400, "reserve_percent");
	r = harness_send_json(t, "POST", "/api/surplus/rulebooks", "{s:s}", "reserve_percent",
			      "-5");
	assert_api_error(r, 400, "reserve_percent");
	r = harness_send_json(t, "POST", "/api/surplus/rulebooks", "{s:i}", "fund_percent", -1);
	assert_api_error(r, 400, "fund_percent");
	r = harness_send_json(t, "POST", "/api/surplus/rulebooks", "{s:s, s:s}", "reserve_percent",
			      "60", "fund_percent", "50");
	assert_api_error(r, 400, "fund_percent");
	r = harness_send_json(t, "POST", "/api/surplus/rulebooks",
			      "{s:[{s:s, s:s, s:s}, {s:s, s:s, s:s}]}", "classes", "class",
			      "worker", "percent", "70", "basis", "hours_worked", "class",
			      "recipient", "percent", "40", "basis", "care_received");
	assert_api_error(r, 400, "classes");
	r = harness_send_json(t, "POST", "/api/surplus/rulebooks", "{s:[{s:s, s:s, s:s}]}",
			      "classes", "class", "pirates", "percent", "10", "basis", "equal");
	assert_api_error(r, 400, "classes[0].class");
	r = harness_send_json(t, "POST", "/api/surplus/rulebooks", "{s:[{s:s, s:s, s:s}]}",
			      "classes", "class", "worker", "percent", "10", "basis", "vibes");
	assert_api_error(r, 400, "classes[0].basis");
	r = harness_send_json(t, "POST", "/api/surplus/rulebooks", "{s:s}", "interest_cap",
			      "12.345");
	assert_api_error(r, 400, "interest_cap");

	/* A new version keeps what it does not name. */
	r = harness_send_json(t, "POST", "/api/surplus/rulebooks", "{s:s, s:s}", "reserve_percent",
			      "25", "note", "AGM 2026");
	assert_status(r, 201);
	const json_t *rb = json_object_get(r->json, "rulebook");
	assert_int_equal(api_json_int(rb, "version"), 2);
	assert_string_equal(api_json_str(rb, "reserve_percent"), "25.00");
	assert_string_equal(api_json_str(rb, "fund_percent"), "10.00");
	assert_string_equal(api_json_str(rb, "interest_cap"), "50.00");
	assert_int_equal(json_array_size(json_object_get(rb, "classes")), 4);
}

static void runs_money_preview_and_whatif(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *t = api_client_login(srv, TREASURER);
	const struct harness_response *r;
	const char *bad[] = {"12.345", "-5", "abc", "1,000.00", "", "12."};
	char path[PATH_LEN];
	long long id;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		r = harness_send_json(t, "POST", "/api/surplus/runs", "{s:s, s:s, s:s}",
				      "year_start", "2025-04-01", "year_end", "2026-03-31",
				      "surplus", bad[i]);
		assert_api_error(r, 400, "surplus");
	}
	r = harness_send_json(t, "POST", "/api/surplus/runs", "{s:s, s:s, s:f}", "year_start",
			      "2025-04-01", "year_end", "2026-03-31", "surplus", 12.5);
	assert_api_error(r, 400, "surplus");
	r = harness_send_json(t, "POST", "/api/surplus/runs", "{s:s, s:s, s:s}", "year_start",
			      "2026-04-01", "year_end", "2026-03-31", "surplus", "10.00");
	assert_api_error(r, 400, "year_end");
	r = harness_send_json(t, "POST", "/api/surplus/runs", "{s:s, s:s, s:s}", "year_start",
			      "2025-04-01", "year_end", "2026-03-31", "surplus", "1000.01");
	assert_status(r, 201);
	id = api_json_int(json_object_get(r->json, "run"), "id");
	assert_int_equal(api_json_int(json_object_get(r->json, "run"), "surplus_pence"), 100001);

	/* The demo's run: preview, then what-if beside it. */
	snprintf(path, sizeof path, "/api/surplus/runs/%lld/preview", id - 1);
	r = harness_send_json(t, "POST", path, NULL);
	assert_status(r, 200);
	const json_t *a = json_object_get(r->json, "allocation");
	assert_string_equal(api_json_str(a, "status"), "ok");
	assert_true(json_array_size(json_object_get(a, "lines")) > 20);
	check_reconciles(a);
	long long reserve = api_json_int(a, "reserve_pence");
	assert_int_equal(reserve, 368651); /* 20 % of 1843257 = 368651.4 */
	assert_true(json_is_null(json_object_get(r->json, "whatif")));

	r = harness_send_json(t, "POST", path, "{s:{s:s}}", "whatif", "reserve_percent", "30");
	assert_status(r, 200);
	check_reconciles(json_object_get(r->json, "whatif"));
	assert_true(api_json_int(json_object_get(r->json, "whatif"), "reserve_pence") > reserve);
	assert_int_equal(api_json_int(json_object_get(r->json, "allocation"), "reserve_pence"),
			 reserve);
	r = harness_send_json(t, "POST", path, "{s:{s:s}}", "whatif", "reserve_percent", "101");
	assert_api_error(r, 400, "whatif.reserve_percent");

	/* What-if figures kept with the draft. */
	snprintf(path, sizeof path, "/api/surplus/runs/%lld/whatif", id - 1);
	r = harness_send_json(t, "PUT", path, "{s:{s:s}}", "whatif", "fund_percent", "15");
	assert_status(r, 200);
	assert_string_equal(api_json_str(json_object_get(json_object_get(r->json, "run"), "whatif"),
					 "fund_percent"),
			    "15");

	/* Zero surplus: nothing to distribute, said plainly. */
	snprintf(path, sizeof path, "/api/surplus/runs/%lld", id);
	r = harness_send_json(t, "PATCH", path, "{s:s}", "surplus", "0");
	assert_status(r, 200);
	r = harness_get(t, path);
	assert_status(r, 200);
	a = json_object_get(r->json, "allocation");
	assert_string_equal(api_json_str(a, "status"), "nothing");
	assert_true(api_contains(api_json_str(a, "message"), "nothing"));
	snprintf(path, sizeof path, "/api/surplus/runs/%d", 999999);
	assert_api_error(harness_get(t, path), 404, "id");
}

/* The demo's carried proposal (governance), or fails. */
static long long carried_proposal(struct harness_client *t)
{
	const struct harness_response *r = harness_get(t, "/api/surplus/proposals");
	const json_t *p;

	assert_status(r, 200);
	p = json_array_get(json_object_get(r->json, "proposals"), 0);
	if (p == NULL)
		fail_msg("the demo has no carried proposal (schema/008 and its demo)");
	return api_json_int(p, "id");
}

/* An open proposal of the demo: not carried. */
static long long open_proposal(struct harness_client *t)
{
	const struct harness_response *r = harness_get(t, "/api/summary");
	const json_t *p;

	assert_status(r, 200);
	p = json_array_get(json_object_get(r->json, "open_proposals"), 0);
	assert_non_null(p);
	return api_json_int(p, "id");
}

static void approve_pay_csv_and_statements(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *t = api_client_login(srv, TREASURER);
	struct harness_client *grace = api_client_login(srv, GRACE);
	const struct harness_response *r;
	long long id = demo_run(t), carried = carried_proposal(t), mine = -1, other = -1;
	char path[PATH_LEN], base[PATH_LEN / 2];
	size_t i;
	json_t *x;

	snprintf(base, sizeof base, "/api/surplus/runs/%lld", id);
	snprintf(path, sizeof path, "%s/approve", base);
	assert_api_error(harness_send_json(t, "POST", path, "{}"), 400, "proposal_id");
	assert_api_error(harness_send_json(t, "POST", path, "{s:I}", "proposal_id",
					   (json_int_t)open_proposal(t)),
			 400, "proposal_id");
	assert_api_error(
		harness_send_json(t, "POST", path, "{s:I}", "proposal_id", (json_int_t)999999), 400,
		"proposal_id");
	/* Not approved yet: no CSV, no payment, no statement for members. */
	snprintf(path, sizeof path, "%s/payments.csv", base);
	assert_api_error(harness_get(t, path), 409, NULL);
	snprintf(path, sizeof path, "%s/paid", base);
	assert_api_error(harness_send_json(t, "POST", path, NULL), 409, NULL);

	snprintf(path, sizeof path, "%s/approve", base);
	r = harness_send_json(t, "POST", path, "{s:I}", "proposal_id", (json_int_t)carried);
	assert_status(r, 200);
	assert_string_equal(api_json_str(json_object_get(r->json, "run"), "status"), "approved");
	assert_api_error(
		harness_send_json(t, "POST", path, "{s:I}", "proposal_id", (json_int_t)carried),
		409, NULL);

	/* Approved means frozen. */
	assert_api_error(harness_send_json(t, "PATCH", base, "{s:s}", "surplus", "1.00"), 409,
			 NULL);
	snprintf(path, sizeof path, "%s/whatif", base);
	assert_api_error(harness_send_json(t, "PUT", path, "{s:n}", "whatif"), 409, NULL);
	snprintf(path, sizeof path, "%s/preview", base);
	assert_api_error(harness_send_json(t, "POST", path, NULL), 409, NULL);
	r = harness_get(t, base);
	assert_status(r, 200);
	const json_t *a = json_object_get(r->json, "allocation");
	assert_true(json_is_true(json_object_get(a, "frozen")));
	check_reconciles(a);
	json_array_foreach (json_object_get(a, "lines"), i, x) {
		if (strcmp(api_json_str(x, "name"), "Grace Pennington") == 0)
			mine = api_json_int(x, "membership_id");
		else if (other < 0)
			other = api_json_int(x, "membership_id");
	}
	assert_true(mine > 0 && other > 0);

	/* CSV for the bank. */
	snprintf(path, sizeof path, "%s/payments.csv", base);
	r = harness_get(t, path);
	assert_status(r, 200);
	assert_content_type(r, "text/csv");
	assert_true(api_contains(r->body, "membership_id,person_id,name,email,class,basis"));
	assert_true(api_contains(r->body, "Grace Pennington"));

	/* Grace sees her own statement, never anyone else's. */
	r = harness_get(grace, "/api/me/surplus");
	assert_status(r, 200);
	x = json_array_get(json_object_get(r->json, "statements"), 0);
	assert_non_null(x);
	assert_int_equal(api_json_int(x, "membership_id"), mine);
	assert_true(json_array_size(json_object_get(x, "how")) >= 2);
	snprintf(path, sizeof path, "%s/members/%lld", base, mine);
	assert_status(harness_get(grace, path), 200);
	snprintf(path, sizeof path, "%s/members/%lld", base, other);
	assert_api_error(harness_get(grace, path), 404, "membership");
	assert_status(harness_get(t, path), 200);
	assert_api_error(harness_get(grace, base), 403, API_FIELD_ANY);

	/* Paid, once. */
	snprintf(path, sizeof path, "%s/paid", base);
	r = harness_send_json(t, "POST", path, NULL);
	assert_status(r, 200);
	assert_string_equal(api_json_str(json_object_get(r->json, "run"), "status"), "paid");
	assert_api_error(harness_send_json(t, "POST", path, NULL), 409, NULL);

	/* The proposal approves this run only; a correction needs its own. */
	r = harness_send_json(t, "POST", "/api/surplus/runs", "{s:s, s:s, s:s}", "year_start",
			      "2025-04-01", "year_end", "2026-03-31", "surplus", "18000.00");
	assert_status(r, 201);
	snprintf(path, sizeof path, "/api/surplus/runs/%lld/approve",
		 api_json_int(json_object_get(r->json, "run"), "id"));
	assert_api_error(
		harness_send_json(t, "POST", path, "{s:I}", "proposal_id", (json_int_t)carried),
		409, "proposal_id");
}

static void roles_and_csrf(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *anon = harness_client_new(srv);
	struct harness_client *amira = api_client_login(srv, AMIRA);
	struct harness_client *admin = api_client_login(srv, ADMIN);
	struct harness_client *t = api_client_login(srv, TREASURER);
	const char body[] = "{\"year_start\":\"2025-04-01\",\"year_end\":\"2026-03-31\","
			    "\"surplus\":\"10.00\"}";
	struct harness_request rq = {.method = "POST",
				     .path = "/api/surplus/runs",
				     .body = body,
				     .body_len = sizeof body - 1,
				     .content_type = "application/json",
				     .csrf = HARNESS_CSRF_NONE};

	assert_api_error(harness_get(anon, "/api/surplus/runs"), 401, NULL);
	assert_api_error(harness_get(anon, "/api/me/surplus"), 401, NULL);
	assert_api_error(harness_get(amira, "/api/surplus/runs"), 403, API_FIELD_ANY);
	assert_api_error(harness_send_json(amira, "POST", "/api/surplus/rulebooks", "{}"), 403,
			 API_FIELD_ANY);
	assert_status(harness_get(amira, "/api/me/surplus"), 200);
	assert_status(harness_get(admin, "/api/surplus/runs"), 200);
	assert_api_error(harness_request(t, &rq), 403, "X-CSRF-Token");
	rq.csrf = HARNESS_CSRF_VALUE;
	rq.csrf_value = "wrong-token";
	assert_api_error(harness_request(t, &rq), 403, "X-CSRF-Token");
	assert_int_equal(
		json_array_size(json_object_get(harness_get(t, "/api/surplus/runs")->json, "runs")),
		1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(rules_refusals_and_new_version, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(runs_money_preview_and_whatif, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(approve_pay_csv_and_statements, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(roles_and_csrf, api_server_setup,
						api_server_teardown),
	};

	return cmocka_run_group_tests_name("api_surplus", tests, NULL, NULL);
}
