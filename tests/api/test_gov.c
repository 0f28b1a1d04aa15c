/*
 * API tests, governance (docs/API.md "Governance"): the proposal lifecycle
 * and its refusals, one ballot per member with the last one counting, the
 * secret ballot's published receipts and a tally that recomputes, the
 * no-JavaScript form with its CSRF field, the rulebook and the proxy
 * limit, and `carecoop verify-votes` noticing an altered ballot. Every
 * test gets a fresh demo co-op.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "api_check.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define ADMIN    "admin@carecoop.example"
#define GRACE    "grace@carecoop.example"
#define SUSAN    "susan@carecoop.example"
#define AMIRA    "amira@carecoop.example"
#define MARGARET "margaret@carecoop.example"
#define PATH_LEN 160

/* POST /api/proposals as admin, then open it; returns the id. */
static long long open_resolution(struct harness_client *admin, const char *title)
{
	const struct harness_response *r =
		harness_send_json(admin, "POST", "/api/proposals", "{s:s, s:s, s:s, s:I}", "title",
				  title, "body", "Text of the resolution.", "kind", "ordinary",
				  "closes_at", (json_int_t)(time(NULL) + 86400));
	char path[PATH_LEN];
	long long id;

	assert_status(r, 201);
	id = api_json_int(json_object_get(r->json, "proposal"), "id");
	assert_true(id > 0);
	assert_string_equal(api_json_str(json_object_get(r->json, "proposal"), "status"), "draft");
	snprintf(path, sizeof path, "/api/proposals/%lld/open", id);
	r = harness_send_json(admin, "POST", path, NULL);
	assert_status(r, 200);
	assert_string_equal(api_json_str(json_object_get(r->json, "proposal"), "status"), "open");
	return id;
}

static const struct harness_response *vote(struct harness_client *c, long long id,
					   const char *choice)
{
	char path[PATH_LEN];

	snprintf(path, sizeof path, "/api/proposals/%lld/ballot", id);
	return harness_send_json(c, "POST", path, "{s:s}", "choice", choice);
}

static void lifecycle_and_refusals(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *admin = api_client_login(srv, ADMIN);
	struct harness_client *grace = api_client_login(srv, GRACE);
	struct harness_client *stranger = harness_client_new(srv);
	const struct harness_response *r;
	char path[PATH_LEN], first[32], second[32];
	long long id, draft;
	const json_t *b, *res;
	size_t i;
	long long for_n = 0, against_n = 0, abstain_n = 0, counted = 0;

	/* Bad bodies name the field; members cannot create. */
	r = harness_send_json(admin, "POST", "/api/proposals", "{s:s, s:s}", "body", "x", "kind",
			      "ordinary");
	assert_api_error(r, 400, "title");
	r = harness_send_json(admin, "POST", "/api/proposals", "{s:s, s:s, s:s}", "title", "T",
			      "body", "x", "kind", "referendum");
	assert_api_error(r, 400, "kind");
	r = harness_send_json(admin, "POST", "/api/proposals", "{s:s, s:s, s:s, s:s}", "title", "T",
			      "body", "x", "kind", "ordinary", "method", "stv");
	assert_api_error(r, 400, "method");
	r = harness_send_json(grace, "POST", "/api/proposals", "{s:s, s:s, s:s}", "title", "T",
			      "body", "x", "kind", "ordinary");
	assert_api_error(r, 403, NULL);

	/* A draft is the admins' alone, and cannot be voted on. */
	r = harness_send_json(admin, "POST", "/api/proposals", "{s:s, s:s, s:s}", "title",
			      "Draft only", "body", "x", "kind", "ordinary");
	assert_status(r, 201);
	draft = api_json_int(json_object_get(r->json, "proposal"), "id");
	snprintf(path, sizeof path, "/api/proposals/%lld", draft);
	assert_api_error(harness_get(grace, path), 404, "id");
	assert_status(harness_get(admin, path), 200);
	assert_api_error(vote(grace, draft, "for"), 404, "id");
	assert_api_error(vote(admin, draft, "for"), 409, "proposal");

	id = open_resolution(admin, "Buy a second pool car");
	snprintf(path, sizeof path, "/api/proposals/%lld", id);
	r = harness_get(grace, path);
	assert_status(r, 200);
	res = json_object_get(json_object_get(r->json, "proposal"), "me");
	assert_true(json_is_true(json_object_get(res, "in_electorate")));
	assert_true(json_is_false(json_object_get(res, "voted")));

	/* Vote, then change it: the last one counts. */
	r = vote(grace, id, "for");
	assert_status(r, 201);
	snprintf(first, sizeof first, "%s", api_json_str(r->json, "receipt"));
	assert_int_equal(strlen(first), 19);
	r = vote(grace, id, "against");
	assert_status(r, 200);
	assert_true(json_is_true(json_object_get(r->json, "changed")));
	assert_string_equal(api_json_str(r->json, "supersedes"), first);
	snprintf(second, sizeof second, "%s", api_json_str(r->json, "receipt"));

	/* Refusals. */
	assert_api_error(vote(grace, id, "maybe"), 400, "choice");
	r = harness_send_json(grace, "POST", "/api/proposals/999999/ballot", "{s:s}", "choice",
			      "for");
	assert_api_error(r, 404, "id");
	r = harness_send_json(admin, "POST", "/api/users", "{s:s, s:s, s:s, s:[s]}", "email",
			      "visitor@example.org", "name", "Visitor", "password",
			      "Visitor-Password-1", "roles", "member");
	assert_status(r, 201);
	assert_status(harness_login(stranger, "visitor@example.org", "Visitor-Password-1"), 200);
	assert_api_error(vote(stranger, id, "for"), 403, "voter");
	snprintf(path, sizeof path, "/api/proposals/%lld/ballot", id);
	r = harness_request(grace, &(struct harness_request){.method = "POST",
							     .path = path,
							     .body = "{\"choice\":\"for\"}",
							     .body_len = 16,
							     .content_type = "application/json",
							     .csrf = HARNESS_CSRF_NONE});
	assert_api_error(r, 403, "X-CSRF-Token");
	snprintf(path, sizeof path, "/api/proposals/%lld/close", id);
	assert_api_error(harness_send_json(grace, "POST", path, NULL), 403, NULL);
	snprintf(path, sizeof path, "/api/proposals/%lld/tally.json", id);
	assert_api_error(harness_get(grace, path), 409, "status");

	/* Close and count: one ballot of 32 members misses the quarter quorum. */
	snprintf(path, sizeof path, "/api/proposals/%lld/close", id);
	r = harness_send_json(admin, "POST", path, NULL);
	assert_status(r, 200);
	assert_string_equal(api_json_str(json_object_get(r->json, "proposal"), "status"),
			    "decided");
	assert_string_equal(api_json_str(json_object_get(r->json, "proposal"), "outcome"), "lost");
	assert_api_error(vote(grace, id, "for"), 409, "proposal");
	assert_api_error(harness_send_json(admin, "POST", path, NULL), 409, "status");

	/* The published tally: both receipts, only the last counting, and counts
	 * that recompute to the recorded result. */
	snprintf(path, sizeof path, "/api/proposals/%lld/tally.json", id);
	r = harness_get(grace, path);
	assert_status(r, 200);
	assert_string_equal(api_json_str(r->json, "format"), "carecoop-tally/1");
	assert_int_equal(json_array_size(json_object_get(r->json, "ballots")), 2);
	json_array_foreach (json_object_get(r->json, "ballots"), i, b) {
		const char *choice = api_json_str(b, "choice");
		bool counts = json_is_true(json_object_get(b, "counts"));
		if (strcmp(api_json_str(b, "receipt"), first) == 0)
			assert_false(counts);
		if (strcmp(api_json_str(b, "receipt"), second) == 0)
			assert_true(counts);
		assert_int_equal(strlen(api_json_str(b, "hash")), 64);
		if (!counts)
			continue;
		counted++;
		for_n += strcmp(choice, "for") == 0;
		against_n += strcmp(choice, "against") == 0;
		abstain_n += strcmp(choice, "abstain") == 0;
	}
	res = json_object_get(r->json, "result");
	assert_int_equal(api_json_int(res, "yes"), for_n);
	assert_int_equal(api_json_int(res, "no"), against_n);
	assert_int_equal(api_json_int(res, "abstain"), abstain_n);
	assert_int_equal(api_json_int(res, "ballots"), counted);
	assert_string_equal(api_json_str(res, "tally_outcome"), "quorum_not_met");
	assert_int_equal(api_json_int(res, "rulebook_version"),
			 api_json_int(json_object_get(r->json, "rulebook"), "version"));
	/* The turnout list names who voted, never with a receipt (secret). */
	assert_int_equal(json_array_size(json_object_get(r->json, "voters")), 1);
	assert_null(
		json_object_get(json_array_get(json_object_get(r->json, "voters"), 0), "receipt"));

	snprintf(path, sizeof path, "/api/proposals/%lld/tally.csv", id);
	r = harness_get(grace, path);
	assert_status(r, 200);
	assert_content_type(r, "text/csv");
	assert_true(api_contains(r->body, "seq,receipt,class,choice,supersedes,counts"));
	assert_true(api_contains(r->body, second));
	snprintf(path, sizeof path, "/api/proposals/%lld/results", id);
	assert_status(harness_get(grace, path), 200);
}

static void demo_surplus_is_carried(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *grace = api_client_login(srv, GRACE);
	const json_t *p = api_find(grace, "/api/proposals", "proposals", "title",
				   "Share the 2026–27 surplus");
	const struct harness_response *r;
	char path[PATH_LEN];

	assert_non_null(p);
	assert_string_equal(api_json_str(p, "status"), "decided");
	assert_string_equal(api_json_str(p, "outcome"), "carried");
	snprintf(path, sizeof path, "/api/proposals/%lld/tally.json", api_json_int(p, "id"));
	r = harness_get(grace, path);
	assert_status(r, 200);
	assert_true(json_array_size(json_object_get(r->json, "ballots")) > 8);
	/* The board election exports as BLT once closed; it is still open. */
	p = api_find(grace, "/api/proposals", "proposals", "kind", "election");
	assert_non_null(p);
	snprintf(path, sizeof path, "/api/proposals/%lld/ballots.blt", api_json_int(p, "id"));
	assert_api_error(harness_get(grace, path), 409, "status");
}

/* POSTs an urlencoded form body without the CSRF header. */
static const struct harness_response *form_post(struct harness_client *c, const char *path,
						const char *body)
{
	return harness_request(
		c, &(struct harness_request){.method = "POST",
					     .path = path,
					     .body = body,
					     .body_len = strlen(body),
					     .content_type = "application/x-www-form-urlencoded",
					     .csrf = HARNESS_CSRF_NONE});
}

static void form_vote_without_javascript(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *admin = api_client_login(srv, ADMIN);
	struct harness_client *margaret = api_client_login(srv, MARGARET);
	struct harness_client *anon = harness_client_new(srv);
	const struct harness_response *r;
	char path[PATH_LEN], body[256];
	const char *loc;
	long long id;

	r = harness_send_json(admin, "POST", "/api/proposals", "{s:s, s:s, s:s}", "title",
			      "Fix the <script>alert(1)</script> gate", "body", "x & y", "kind",
			      "ordinary");
	assert_status(r, 201);
	id = api_json_int(json_object_get(r->json, "proposal"), "id");
	snprintf(path, sizeof path, "/api/proposals/%lld/open", id);
	assert_status(harness_send_json(admin, "POST", path, NULL), 200);

	snprintf(path, sizeof path, "/proposals/%lld", id);
	r = harness_get(margaret, path);
	assert_status(r, 200);
	assert_content_type(r, "text/html");
	assert_true(api_contains(r->body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_false(api_contains(r->body, "<script>alert"));
	assert_true(api_contains(r->body, "x &amp; y"));
	assert_true(api_contains(r->body, "name=\"csrf_token\""));
	assert_true(api_contains(r->body, harness_client_csrf(margaret)));
	/* Not signed in: sent to the sign-in page. */
	r = harness_get(anon, path);
	assert_status(r, 303);
	assert_string_equal(harness_response_header(r, "Location"), "/index.html");

	snprintf(path, sizeof path, "/proposals/%lld/vote", id);
	/* Without the form's CSRF field: refused, nothing counted. */
	r = harness_request(margaret, &(struct harness_request){
					      .method = "POST",
					      .path = path,
					      .body = "choice=for",
					      .body_len = 10,
					      .content_type = "application/x-www-form-urlencoded",
					      .csrf = HARNESS_CSRF_NONE});
	assert_api_error(r, 403, "csrf_token");
	snprintf(body, sizeof body, "csrf_token=%s&choice=abstain", harness_client_csrf(margaret));
	r = harness_request(margaret, &(struct harness_request){
					      .method = "POST",
					      .path = path,
					      .body = body,
					      .body_len = strlen(body),
					      .content_type = "application/x-www-form-urlencoded",
					      .csrf = HARNESS_CSRF_NONE});
	assert_status(r, 303);
	loc = harness_response_header(r, "Location");
	assert_non_null(loc);
	assert_true(api_contains(loc, "?receipt="));
	r = harness_get(margaret, loc);
	assert_status(r, 200);
	assert_true(api_contains(r->body, "Your vote was recorded"));
	assert_true(api_contains(r->body, "You have voted"));
	/* A refused form vote comes back as the page with the reason. */
	snprintf(body, sizeof body, "csrf_token=%s&choice=perhaps", harness_client_csrf(margaret));
	r = harness_request(margaret, &(struct harness_request){
					      .method = "POST",
					      .path = path,
					      .body = body,
					      .body_len = strlen(body),
					      .content_type = "application/x-www-form-urlencoded",
					      .csrf = HARNESS_CSRF_NONE});
	assert_status(r, 400);
	assert_content_type(r, "text/html");
	assert_true(api_contains(r->body, "Your vote was not recorded"));
	snprintf(path, sizeof path, "/api/proposals/%lld", id);
	r = harness_get(margaret, path);
	assert_int_equal(api_json_int(json_object_get(r->json, "proposal"), "voted"), 1);

	/* A comment and a proxy by form, each answered 303 back to the page. */
	snprintf(path, sizeof path, "/proposals/%lld/comment", id);
	snprintf(body, sizeof body, "csrf_token=%s&body=Fine+%%3Cb%%3Eby%%3C%%2Fb%%3E+me",
		 harness_client_csrf(margaret));
	r = form_post(margaret, path, body);
	assert_status(r, 303);
	snprintf(path, sizeof path, "/proposals/%lld/proxy", id);
	snprintf(body, sizeof body, "csrf_token=%s&holder_email=amira%%40carecoop.example",
		 harness_client_csrf(margaret));
	r = form_post(margaret, path, body);
	assert_status(r, 303);
	snprintf(path, sizeof path, "/proposals/%lld", id);
	r = harness_get(margaret, path);
	assert_true(api_contains(r->body, "Fine &lt;b&gt;by&lt;/b&gt; me"));
	assert_true(api_contains(r->body, "Amira holds your proxy"));
	snprintf(path, sizeof path, "/proposals/%lld/proxy", id);
	snprintf(body, sizeof body, "csrf_token=%s&holder_email=grace%%40carecoop.example",
		 harness_client_csrf(margaret));
	r = form_post(margaret, path, body);
	assert_status(r, 409); /* already appointed: the page says why */
	assert_true(api_contains(r->body, "revoke it first"));
}

static void rulebook_and_proxy_limit(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *admin = api_client_login(srv, ADMIN);
	struct harness_client *grace = api_client_login(srv, GRACE);
	struct harness_client *susan = api_client_login(srv, SUSAN);
	struct harness_client *amira = api_client_login(srv, AMIRA);
	const struct harness_response *r;
	char path[PATH_LEN];
	long long id, grace_id, v0;

	r = harness_get(grace, "/api/rulebook");
	assert_status(r, 200);
	v0 = api_json_int(json_object_get(r->json, "rulebook"), "version");
	assert_true(v0 >= 1);
	assert_api_error(harness_send_json(admin, "POST", "/api/rulebook", "{s:s}", "weighting",
					   "plutocracy"),
			 400, "weighting");
	assert_api_error(harness_send_json(admin, "POST", "/api/rulebook", "{s:s, s:{s:i, s:i}}",
					   "weighting", "shares", "shares", "worker", 50,
					   "recipient", 40),
			 400, "shares");
	assert_api_error(
		harness_send_json(admin, "POST", "/api/rulebook", "{s:s}", "special", "5/4"), 400,
		"special");
	assert_api_error(
		harness_send_json(grace, "POST", "/api/rulebook", "{s:i}", "proxy_limit", 1), 403,
		NULL);
	/* Shares that leave out a class with members: opening is refused. */
	r = harness_send_json(admin, "POST", "/api/rulebook", "{s:s, s:{s:i, s:i, s:i}}",
			      "weighting", "shares", "shares", "worker", 50, "recipient", 25,
			      "supporter", 25);
	assert_status(r, 201);
	r = harness_send_json(admin, "POST", "/api/proposals", "{s:s, s:s, s:s}", "title",
			      "Left-out investors", "body", "x", "kind", "ordinary");
	assert_status(r, 201);
	snprintf(path, sizeof path, "/api/proposals/%lld/open",
		 api_json_int(json_object_get(r->json, "proposal"), "id"));
	r = harness_send_json(admin, "POST", path, NULL);
	assert_api_error(r, 409, "status");
	assert_true(api_contains(r->body, "investor"));

	r = harness_send_json(admin, "POST", "/api/rulebook", "{s:i, s:s, s:s, s:s}", "proxy_limit",
			      1, "quorum", "0", "weighting", "equal", "note", "one proxy each");
	assert_status(r, 201);
	assert_int_equal(api_json_int(json_object_get(r->json, "rulebook"), "version"), v0 + 2);

	id = open_resolution(admin, "Plant a community garden");
	snprintf(path, sizeof path, "/api/proposals/%lld/proxies", id);
	r = harness_send_json(grace, "POST", path, "{s:s}", "holder_email", AMIRA);
	assert_status(r, 201);
	grace_id = api_json_int(json_object_get(r->json, "proxy"), "grantor_id");
	/* The rulebook allows one proxy per holder. */
	r = harness_send_json(susan, "POST", path, "{s:s}", "holder_email", AMIRA);
	assert_api_error(r, 400, "holder_id");
	assert_true(api_contains(r->body, "most the rulebook allows"));
	r = harness_send_json(grace, "POST", path, "{s:s}", "holder_email", "nobody@example.org");
	assert_api_error(r, 400, "holder_id");

	/* The holder votes for the grantor; the proposal records it was by proxy. */
	snprintf(path, sizeof path, "/api/proposals/%lld/ballot", id);
	r = harness_send_json(amira, "POST", path, "{s:s, s:I}", "choice", "for", "on_behalf_of",
			      (json_int_t)grace_id);
	assert_status(r, 201);
	assert_string_equal(api_json_str(r->json, "class"), "supporter");
	r = harness_send_json(susan, "POST", path, "{s:s, s:I}", "choice", "for", "on_behalf_of",
			      (json_int_t)grace_id);
	assert_api_error(r, 403, "on_behalf_of");
	snprintf(path, sizeof path, "/api/proposals/%lld/proxies/log", id);
	r = harness_get(grace, path);
	assert_status(r, 200);
	assert_int_equal(json_array_size(json_object_get(r->json, "events")), 2);
	assert_string_equal(
		api_json_str(json_array_get(json_object_get(r->json, "events"), 1), "action"),
		"used");

	/* Comments while open. */
	snprintf(path, sizeof path, "/api/proposals/%lld/comments", id);
	assert_status(harness_send_json(susan, "POST", path, "{s:s}", "body", "Yes please."), 201);
	assert_api_error(harness_send_json(susan, "POST", path, "{s:s}", "body", ""), 400, "body");
}

/* `carecoop verify-votes` on the test's database: returns the exit code. */
static int verify_votes(struct harness_server *srv)
{
	char cmd[1024];
	const char *bin = getenv("CARECOOP_BIN");
	int status;

	assert_non_null(bin);
	snprintf(cmd, sizeof cmd, "'%s' verify-votes --db '%s/carecoop.db' > '%s/verify.out' 2>&1",
		 bin, harness_server_dir(srv), harness_server_dir(srv));
	status = system(cmd);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void verify_votes_finds_an_altered_ballot(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *grace = api_client_login(srv, GRACE);
	const json_t *p = api_find(grace, "/api/proposals", "proposals", "title",
				   "Adopt the 2027 rota principles");
	char path[512];
	sqlite3 *db = NULL;

	assert_non_null(p);
	assert_status(vote(grace, api_json_int(p, "id"), "for"), 201);
	assert_int_equal(harness_server_stop(srv) >= 0, 1);
	assert_int_equal(verify_votes(srv), 0);
	snprintf(path, sizeof path, "%s/carecoop.db", harness_server_dir(srv));
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "UPDATE ballots SET choice = CASE choice WHEN 'for' THEN "
				      "'against' ELSE 'for' END WHERE proposal_id = 1 AND seq = 3",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(verify_votes(srv), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(lifecycle_and_refusals, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(demo_surplus_is_carried, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(form_vote_without_javascript, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(rulebook_and_proxy_limit, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(verify_votes_finds_an_altered_ballot,
						api_server_setup, api_server_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
