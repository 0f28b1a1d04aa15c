/*
 * API tests, CSRF and roles (docs/API.md: X-CSRF-Token on every
 * state-changing request made with a session; 401 without a session, 403
 * without the role; /api/users for admins). Every test gets a fresh server.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "api_check.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define NEW_PASSWORD "Brand-New-Passphrase-77"

/* The number of users GET /api/users lists (as admin client c). */
static size_t count_users(struct harness_client *c)
{
	const struct harness_response *r = harness_get(c, "/api/users");

	assert_status(r, 200);
	assert_true(json_is_array(json_object_get(r->json, "users")));
	return json_array_size(json_object_get(r->json, "users"));
}

/* The user object with this email in GET /api/users, or NULL. Owned by c. */
static const json_t *find_user(struct harness_client *c, const char *email)
{
	const struct harness_response *r = harness_get(c, "/api/users");
	const json_t *users, *u;
	size_t i;

	assert_status(r, 200);
	users = json_object_get(r->json, "users");
	assert_true(json_is_array(users));
	json_array_foreach (users, i, u) {
		const char *e = api_json_str(u, "email");
		if (e != NULL && strcasecmp(e, email) == 0)
			return u;
	}
	return NULL;
}

/* Sends the state-changing request three ways that must all be refused:
 * no token, a wrong token, and the token of another live session. */
static void check_csrf_refused(struct harness_client *c, const char *other_csrf, const char *method,
			       const char *path, const char *body)
{
	const char *tokens[] = {NULL, "wrong-token", other_csrf};
	const enum harness_csrf modes[] = {HARNESS_CSRF_NONE, HARNESS_CSRF_VALUE,
					   HARNESS_CSRF_VALUE};

	for (size_t i = 0; i < 3; i++) {
		struct harness_request rq = {
			.method = method,
			.path = path,
			.body = body,
			.body_len = body != NULL ? strlen(body) : 0,
			.content_type = body != NULL ? "application/json" : NULL,
			.csrf = modes[i],
			.csrf_value = tokens[i],
		};
		const struct harness_response *r = harness_request(c, &rq);
		print_message("%s %s, CSRF token: %s\n", method, path,
			      i == 0   ? "none"
			      : i == 1 ? "wrong"
				       : "another session's");
		assert_api_error(r, 403, "X-CSRF-Token");
	}
}

static void csrf_required_for_logout(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);
	struct harness_client *other = harness_client_new(srv);
	char other_csrf[512];

	assert_status(harness_login_as(c, "carer"), 200);
	assert_status(harness_login_as(other, "member"), 200);
	snprintf(other_csrf, sizeof(other_csrf), "%s", harness_client_csrf(other));
	check_csrf_refused(c, other_csrf, "DELETE", "/api/session", NULL);
	/* Nothing changed: still logged in. */
	assert_status(harness_get(c, "/api/me"), 200);
	assert_non_null(harness_client_cookie(c, HARNESS_SESSION_COOKIE));
	/* The right token works. */
	assert_status(harness_send_json(c, "DELETE", "/api/session", NULL), 200);
	assert_api_error(harness_get(c, "/api/me"), 401, NULL);
}

static void csrf_required_for_password_change(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);
	struct harness_client *other = harness_client_new(srv);
	struct harness_client *check = harness_client_new(srv);
	const struct harness_account *acc = harness_server_account(srv, "carer");
	char body[512], other_csrf[512];

	assert_non_null(acc);
	assert_status(harness_login(c, acc->email, acc->password), 200);
	assert_status(harness_login_as(other, "coordinator"), 200);
	snprintf(other_csrf, sizeof(other_csrf), "%s", harness_client_csrf(other));
	snprintf(body, sizeof(body), "{\"current_password\":\"%s\",\"new_password\":\"%s\"}",
		 acc->password, NEW_PASSWORD);
	check_csrf_refused(c, other_csrf, "POST", "/api/me/password", body);
	/* Nothing changed: the old password works, the new one does not. */
	assert_api_error(harness_login(check, acc->email, NEW_PASSWORD), 401, NULL);
	assert_status(harness_login(check, acc->email, acc->password), 200);
	assert_status(harness_get(c, "/api/me"), 200);
}

/*
 * Logging in is a POST too: made with a live session it needs the token like
 * any other (docs/API.md: "Every state-changing request ... made with a
 * session"), so a forged request cannot swap the person's session.
 */
static void csrf_required_for_login_over_session(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);
	const struct harness_account *other = harness_server_account(srv, "coordinator");
	struct harness_request rq = {.method = "POST",
				     .path = "/api/session",
				     .content_type = "application/json",
				     .csrf = HARNESS_CSRF_NONE};
	char body[600];
	const struct harness_response *r;

	assert_non_null(other);
	assert_status(harness_login_as(c, "carer"), 200);
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}", other->email,
		 other->password);
	rq.body = body;
	rq.body_len = strlen(body);
	assert_api_error(harness_request(c, &rq), 403, "X-CSRF-Token");
	/* Still the carer. */
	r = harness_get(c, "/api/me");
	assert_status(r, 200);
	assert_true(api_json_array_has(json_object_get(json_object_get(r->json, "user"), "roles"),
				       "carer"));
}

static void csrf_required_for_user_create(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *admin = harness_client_new(srv);
	struct harness_client *other = harness_client_new(srv);
	const char *body = "{\"email\":\"csrf.victim@example.org\",\"name\":\"Csrf Victim\","
			   "\"roles\":[\"admin\"],\"password\":\"" NEW_PASSWORD "\"}";
	char other_csrf[512];

	assert_status(harness_login_as(admin, "admin"), 200);
	assert_status(harness_login_as(other, "carer"), 200);
	snprintf(other_csrf, sizeof(other_csrf), "%s", harness_client_csrf(other));
	check_csrf_refused(admin, other_csrf, "POST", "/api/users", body);
	assert_null(find_user(admin, "csrf.victim@example.org"));
}

static void unauthenticated_gets_401(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *anon = harness_client_new(srv);
	static const char *const routes[][2] = {
		{"GET", "/api/me"},
		{"GET", "/api/summary"},
		{"GET", "/api/users"},
		{"POST", "/api/users"},
		{"POST", "/api/me/password"},
		{"DELETE", "/api/session"},
		{"DELETE", "/api/users/1/sessions"},
	};

	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const char *body = strcmp(routes[i][0], "POST") == 0 ? "{}" : NULL;
		struct harness_request rq = {
			.method = routes[i][0],
			.path = routes[i][1],
			.body = body,
			.body_len = body != NULL ? 2 : 0,
			.content_type = body != NULL ? "application/json" : NULL,
		};
		const struct harness_response *r = harness_request(anon, &rq);
		print_message("%s %s without a session\n", routes[i][0], routes[i][1]);
		assert_api_error(r, 401, NULL);
		assert_json_body(r, API_NOT_LOGGED_IN);
	}
}

static void users_list_needs_admin(void **state)
{
	struct harness_server *srv = *state;
	static const char *const not_admin[] = {"carer", "coordinator", "treasurer", "member"};
	static const char *const all_roles[] = {"admin", "coordinator", "treasurer", "carer",
						"member"};
	struct harness_client *admin = harness_client_new(srv);
	const struct harness_response *r;
	const json_t *users, *u;
	size_t i;

	for (i = 0; i < sizeof(not_admin) / sizeof(not_admin[0]); i++) {
		struct harness_client *c = harness_client_new(srv);
		const struct harness_account *a = harness_server_account(srv, not_admin[i]);
		if (a == NULL)
			continue;
		print_message("GET /api/users as %s\n", not_admin[i]);
		r = harness_login(c, a->email, a->password);
		assert_status(r, 200);
		if (api_json_array_has(json_object_get(json_object_get(r->json, "user"), "roles"),
				       "admin"))
			continue; /* demo made this person an admin too */
		assert_api_error(harness_get(c, "/api/users"), 403, API_FIELD_ANY);
	}

	assert_status(harness_login_as(admin, "admin"), 200);
	r = harness_get(admin, "/api/users");
	assert_status(r, 200);
	assert_content_type(r, "application/json");
	users = json_object_get(r->json, "users");
	assert_true(json_is_array(users));
	json_array_foreach (users, i, u) {
		assert_true(api_json_int(u, "id") > 0);
		assert_non_null(api_json_str(u, "email"));
		assert_non_null(api_json_str(u, "name"));
		assert_true(json_is_array(json_object_get(u, "roles")));
		assert_true(json_is_boolean(json_object_get(u, "disabled")));
		assert_null(json_object_get(u, "pwhash"));
		assert_null(json_object_get(u, "password"));
	}
	assert_false(api_contains(r->body, "$argon2"));
	/* Every demo account is listed, enabled, with its role. */
	for (i = 0; i < sizeof(all_roles) / sizeof(all_roles[0]); i++) {
		const struct harness_account *a = harness_server_account(srv, all_roles[i]);
		if (a == NULL)
			continue;
		u = find_user(admin, a->email);
		if (u == NULL)
			fail_msg("%s is not in GET /api/users", a->email);
		assert_true(json_is_false(json_object_get(u, "disabled")));
		assert_true(api_json_array_has(json_object_get(u, "roles"), all_roles[i]));
	}
}

static void admin_creates_user(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *admin = harness_client_new(srv);
	struct harness_client *fresh = harness_client_new(srv);
	const struct harness_response *r;
	const json_t *user, *listed;

	assert_status(harness_login_as(admin, "admin"), 200);
	r = harness_send_json(admin, "POST", "/api/users", "{s:s, s:s, s:[s, s], s:s}", "email",
			      "new.carer@example.org", "name", "New Carer", "roles", "carer",
			      "member", "password", NEW_PASSWORD);
	assert_status(r, 201);
	assert_content_type(r, "application/json");
	user = json_object_get(r->json, "user");
	assert_true(api_json_int(user, "id") > 0);
	assert_string_equal(api_json_str(user, "email"), "new.carer@example.org");
	assert_string_equal(api_json_str(user, "name"), "New Carer");
	assert_true(api_json_array_has(json_object_get(user, "roles"), "carer"));
	assert_true(api_json_array_has(json_object_get(user, "roles"), "member"));
	assert_int_equal(json_array_size(json_object_get(user, "roles")), 2);
	assert_false(api_contains(r->body, NEW_PASSWORD));
	assert_false(api_contains(r->body, "$argon2"));

	listed = find_user(admin, "new.carer@example.org");
	assert_non_null(listed);
	assert_true(json_is_false(json_object_get(listed, "disabled")));

	r = harness_login(fresh, "new.carer@example.org", NEW_PASSWORD);
	assert_status(r, 200);
	user = json_object_get(r->json, "user");
	assert_true(api_json_array_has(json_object_get(user, "roles"), "carer"));
	assert_false(api_json_array_has(json_object_get(user, "roles"), "admin"));
	/* The new carer is no admin. */
	assert_api_error(harness_get(fresh, "/api/users"), 403, API_FIELD_ANY);
}

static void create_user_validation(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *admin = harness_client_new(srv);
	struct harness_client *coord = harness_client_new(srv);
	const struct harness_account *existing = harness_server_account(srv, "carer");
	static const char *const bad_emails[] = {"not-an-email",     "",
						 "two@@example.org", "with space@example.org",
						 "@example.org",     "trailing-at@"};
	char upper[300];
	size_t before;

	assert_non_null(existing);
	assert_status(harness_login_as(admin, "admin"), 200);
	before = count_users(admin);

	assert_api_error(harness_send_json(admin, "POST", "/api/users", "{s:s, s:s, s:[s], s:s}",
					   "email", existing->email, "name", "Dup", "roles",
					   "member", "password", NEW_PASSWORD),
			 409, "email");
	/* Addresses do not differ by case (the schema says COLLATE NOCASE). */
	snprintf(upper, sizeof(upper), "%s", existing->email);
	for (char *p = upper; *p != '\0'; p++) {
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	}
	assert_api_error(harness_send_json(admin, "POST", "/api/users", "{s:s, s:s, s:[s], s:s}",
					   "email", upper, "name", "Dup Upper", "roles", "member",
					   "password", NEW_PASSWORD),
			 409, "email");

	for (size_t i = 0; i < sizeof(bad_emails) / sizeof(bad_emails[0]); i++) {
		print_message("email \"%s\"\n", bad_emails[i]);
		assert_api_error(harness_send_json(admin, "POST", "/api/users",
						   "{s:s, s:s, s:[s], s:s}", "email", bad_emails[i],
						   "name", "Bad Email", "roles", "member",
						   "password", NEW_PASSWORD),
				 400, "email");
	}

	assert_api_error(harness_send_json(admin, "POST", "/api/users", "{s:s, s:s, s:[s, s], s:s}",
					   "email", "role.test@example.org", "name", "Role Test",
					   "roles", "carer", "superuser", "password", NEW_PASSWORD),
			 400, "roles");
	assert_api_error(harness_send_json(admin, "POST", "/api/users", "{s:s, s:s, s:[s], s:s}",
					   "email", "role.test@example.org", "name", "Role Test",
					   "roles", "Admin", "password", NEW_PASSWORD),
			 400, "roles");
	assert_api_error(harness_send_json(admin, "POST", "/api/users", "{s:s, s:s, s:s, s:s}",
					   "email", "role.test@example.org", "name", "Role Test",
					   "roles", "admin", "password", NEW_PASSWORD),
			 400, "roles");

	/* Only admins create accounts. */
	assert_status(harness_login_as(coord, "coordinator"), 200);
	assert_api_error(harness_send_json(coord, "POST", "/api/users", "{s:s, s:s, s:[s], s:s}",
					   "email", "sneaky@example.org", "name", "Sneaky", "roles",
					   "admin", "password", NEW_PASSWORD),
			 403, API_FIELD_ANY);

	/* Nothing half-written. */
	assert_int_equal(count_users(admin), before);
	assert_null(find_user(admin, "role.test@example.org"));
	assert_null(find_user(admin, "sneaky@example.org"));
}

static void admin_revokes_sessions(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *admin = harness_client_new(srv);
	struct harness_client *carer1 = harness_client_new(srv);
	struct harness_client *carer2 = harness_client_new(srv);
	const struct harness_response *r;
	long long carer_id, admin_id;
	char path[64];

	r = harness_login_as(admin, "admin");
	assert_status(r, 200);
	admin_id = api_json_int(json_object_get(r->json, "user"), "id");
	r = harness_login_as(carer1, "carer");
	assert_status(r, 200);
	carer_id = api_json_int(json_object_get(r->json, "user"), "id");
	assert_true(carer_id > 0 && admin_id > 0);
	assert_status(harness_login_as(carer2, "carer"), 200);

	/* A carer cannot throw the admin out. */
	snprintf(path, sizeof(path), "/api/users/%lld/sessions", admin_id);
	assert_api_error(harness_send_json(carer1, "DELETE", path, NULL), 403, API_FIELD_ANY);
	assert_status(harness_get(admin, "/api/me"), 200);

	/* Without the CSRF token, the admin cannot either. */
	snprintf(path, sizeof(path), "/api/users/%lld/sessions", carer_id);
	{
		struct harness_request rq = {
			.method = "DELETE", .path = path, .csrf = HARNESS_CSRF_NONE};
		assert_api_error(harness_request(admin, &rq), 403, "X-CSRF-Token");
	}
	assert_status(harness_get(carer1, "/api/me"), 200);

	r = harness_send_json(admin, "DELETE", path, NULL);
	assert_status(r, 200);
	assert_json_body(r, "{\"revoked\":2}");
	assert_api_error(harness_get(carer1, "/api/me"), 401, NULL);
	assert_api_error(harness_get(carer2, "/api/me"), 401, NULL);
	assert_status(harness_get(admin, "/api/me"), 200);

	/* Revoked, not disabled: the carer can log in again. */
	assert_status(harness_login_as(carer1, "carer"), 200);
	assert_status(harness_get(carer1, "/api/me"), 200);
}

static void summary_for_any_member(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);
	const struct harness_response *r;
	const json_t *classes, *proposals, *v;
	size_t i;

	assert_status(harness_login_as(c, "member"), 200);
	r = harness_get(c, "/api/summary");
	assert_status(r, 200);
	assert_content_type(r, "application/json");
	assert_non_null(api_json_str(json_object_get(r->json, "coop"), "name"));
	assert_true(api_json_int(r->json, "carers") >= 0);
	assert_true(api_json_int(r->json, "recipients") >= 0);
	classes = json_object_get(r->json, "member_classes");
	proposals = json_object_get(r->json, "open_proposals");
	assert_true(json_is_array(classes));
	assert_true(json_is_array(proposals));
	json_array_foreach (classes, i, v) {
		assert_non_null(api_json_str(v, "code"));
		assert_non_null(api_json_str(v, "name"));
		assert_true(api_json_int(v, "members") >= 0);
	}
	json_array_foreach (proposals, i, v) {
		assert_true(api_json_int(v, "id") > 0);
		assert_non_null(api_json_str(v, "title"));
		assert_non_null(api_json_str(v, "kind"));
		assert_non_null(json_object_get(v, "closes_at"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(csrf_required_for_logout, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(csrf_required_for_password_change, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(csrf_required_for_user_create, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(csrf_required_for_login_over_session,
						api_server_setup, api_server_teardown),
		cmocka_unit_test_setup_teardown(unauthenticated_gets_401, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(users_list_needs_admin, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(admin_creates_user, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(create_user_validation, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(admin_revokes_sessions, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(summary_for_any_member, api_server_setup,
						api_server_teardown),
	};

	return cmocka_run_group_tests_name("api_csrf_roles", tests, NULL, NULL);
}
