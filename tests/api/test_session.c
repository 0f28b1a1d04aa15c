/*
 * API tests, sessions (docs/API.md: POST/DELETE /api/session, GET /api/me,
 * POST /api/me/password, login throttling). Every test gets a fresh server,
 * so failure counters and revocations in one cannot leak into the next.
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

#include <curl/curl.h>

#define ACCOUNT_TRIES_MAX 40  /* far beyond any sane per-account limit */
#define IP_TRIES_MAX      300 /* far beyond any sane per-address limit */

/* Checks a {"user":{...},"csrf_token":"..."} reply for account a. */
static void check_user_reply(const struct harness_response *r, const struct harness_account *a)
{
	const json_t *user = json_object_get(r->json, "user");
	const char *csrf = api_json_str(r->json, "csrf_token");

	assert_content_type(r, "application/json");
	assert_true(json_is_object(user));
	assert_true(api_json_int(user, "id") > 0);
	assert_non_null(api_json_str(user, "email"));
	assert_string_equal(api_json_str(user, "email"), a->email);
	assert_non_null(api_json_str(user, "name"));
	assert_true(api_json_array_has(json_object_get(user, "roles"), a->role));
	assert_non_null(csrf);
	assert_true(strlen(csrf) >= 16);
	/* Never any form of the password or its hash. */
	assert_null(json_object_get(user, "password"));
	assert_null(json_object_get(user, "pwhash"));
	assert_false(api_contains(r->body, "$argon2"));
	assert_false(api_contains(r->body, a->password));
}

static void login_sets_cookie_and_csrf(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);
	const struct harness_account *a = harness_server_account(srv, "coordinator");
	const struct harness_response *r;
	struct harness_cookie ck;

	assert_non_null(a);
	r = harness_login(c, a->email, a->password);
	assert_status(r, 200);
	check_user_reply(r, a);
	assert_int_equal(harness_response_cookie(r, HARNESS_SESSION_COOKIE, &ck), 0);
	assert_true(ck.http_only);
	assert_string_equal(ck.same_site, "Strict");
	assert_string_equal(ck.path, "/");
	assert_false(ck.secure); /* only with CARECOOP_SECURE_COOKIES=1 */
	assert_false(harness_cookie_is_removal(&ck));
	/* 256 random bits take at least 43 characters in any text encoding. */
	assert_true(strlen(ck.value) >= 43);
	/* The token must not double as the CSRF token. */
	assert_string_not_equal(ck.value, api_json_str(r->json, "csrf_token"));
}

static int setup_secure_cookies(void **state)
{
	static const char *const env[] = {"CARECOOP_SECURE_COOKIES=1", NULL};

	return api_server_setup_env(state, env);
}

static void login_secure_cookie_when_configured(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);
	const struct harness_response *r = harness_login_as(c, "member");
	struct harness_cookie ck;

	assert_status(r, 200);
	assert_int_equal(harness_response_cookie(r, HARNESS_SESSION_COOKIE, &ck), 0);
	assert_true(ck.secure);
	assert_true(ck.http_only);
	assert_string_equal(ck.same_site, "Strict");
	assert_string_equal(ck.path, "/");
}

static void me_with_and_without_cookie(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);
	struct harness_client *anon = harness_client_new(srv);
	struct harness_client *forged = harness_client_new(srv);
	const struct harness_account *a = harness_server_account(srv, "carer");
	const struct harness_response *r;
	char login_csrf[512];

	assert_non_null(a);
	r = harness_get(anon, "/api/me");
	assert_api_error(r, 401, NULL);
	assert_json_body(r, API_NOT_LOGGED_IN);

	r = harness_login(c, a->email, a->password);
	assert_status(r, 200);
	snprintf(login_csrf, sizeof(login_csrf), "%s", api_json_str(r->json, "csrf_token"));

	r = harness_get(c, "/api/me");
	assert_status(r, 200);
	check_user_reply(r, a);
	assert_string_equal(api_json_str(r->json, "csrf_token"), login_csrf);

	/* A made-up token of the right shape is no session. */
	harness_client_set_cookie(
		forged, HARNESS_SESSION_COOKIE,
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	r = harness_get(forged, "/api/me");
	assert_api_error(r, 401, NULL);
	assert_json_body(r, API_NOT_LOGGED_IN);
}

static void wrong_password_and_unknown_email_identical(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c1 = harness_client_new(srv);
	struct harness_client *c2 = harness_client_new(srv);
	const struct harness_account *a = harness_server_account(srv, "treasurer");
	const struct harness_response *wrong, *unknown;

	assert_non_null(a);
	wrong = harness_login(c1, a->email, "not-the-password-1");
	unknown = harness_login(c2, "nobody-at-all@example.org", a->password);
	assert_api_error(wrong, 401, NULL);
	assert_api_error(unknown, 401, NULL);
	assert_json_body(wrong, "{\"error\":\"wrong email or password\",\"field\":null}");
	/* Byte for byte: nothing tells an attacker which half was wrong. */
	assert_int_equal(wrong->body_len, unknown->body_len);
	assert_memory_equal(wrong->body, unknown->body, wrong->body_len);
	assert_null(harness_response_header(wrong, "Set-Cookie"));
	assert_null(harness_response_header(unknown, "Set-Cookie"));
	assert_null(harness_client_cookie(c1, HARNESS_SESSION_COOKIE));
}

static void logout_deletes_session_server_side(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);
	struct harness_client *replay = harness_client_new(srv);
	const struct harness_response *r;
	struct harness_cookie ck;
	char token[512];

	r = harness_login_as(c, "member");
	assert_status(r, 200);
	assert_non_null(harness_client_cookie(c, HARNESS_SESSION_COOKIE));
	snprintf(token, sizeof(token), "%s", harness_client_cookie(c, HARNESS_SESSION_COOKIE));

	r = harness_send_json(c, "DELETE", "/api/session", NULL);
	assert_status(r, 200);
	assert_json_body(r, "{\"ok\":true}");
	/* The reply clears the cookie in the browser ... */
	assert_int_equal(harness_response_cookie(r, HARNESS_SESSION_COOKIE, &ck), 0);
	assert_true(harness_cookie_is_removal(&ck));
	assert_null(harness_client_cookie(c, HARNESS_SESSION_COOKIE));
	r = harness_get(c, "/api/me");
	assert_api_error(r, 401, NULL);

	/* ... and the server forgot it: a saved copy of the cookie is worthless. */
	harness_client_set_cookie(replay, HARNESS_SESSION_COOKIE, token);
	r = harness_get(replay, "/api/me");
	assert_api_error(r, 401, NULL);
	assert_json_body(r, API_NOT_LOGGED_IN);

	/* Logging out again without a session: not logged in. */
	r = harness_send_json(replay, "DELETE", "/api/session", NULL);
	assert_api_error(r, 401, NULL);
}

static void password_change_rules(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *a = harness_client_new(srv);
	struct harness_client *b = harness_client_new(srv);
	struct harness_client *fresh = harness_client_new(srv);
	const struct harness_account *acc = harness_server_account(srv, "carer");
	const char *new_pw = "Fresh-Carecoop-Passphrase-2024";
	char too_long[258];
	const struct harness_response *r;

	assert_non_null(acc);
	assert_status(harness_login(a, acc->email, acc->password), 200);
	assert_status(harness_login(b, acc->email, acc->password), 200);

	r = harness_send_json(a, "POST", "/api/me/password", "{s:s, s:s}", "current_password",
			      "wrong-current-password", "new_password", new_pw);
	assert_api_error(r, 400, "current_password");

	/* 9 characters: too short. */
	r = harness_send_json(a, "POST", "/api/me/password", "{s:s, s:s}", "current_password",
			      acc->password, "new_password", "short-pw9");
	assert_api_error(r, 400, "new_password");
	/* 9 characters in 18 bytes: still too short (the rule counts characters). */
	r = harness_send_json(
		a, "POST", "/api/me/password", "{s:s, s:s}", "current_password", acc->password,
		"new_password",
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	assert_api_error(r, 400, "new_password");
	/* 257 bytes: too long. */
	memset(too_long, 'x', 257);
	too_long[257] = '\0';
	r = harness_send_json(a, "POST", "/api/me/password", "{s:s, s:s}", "current_password",
			      acc->password, "new_password", too_long);
	assert_api_error(r, 400, "new_password");

	/* None of that changed anything: both sessions live, old password works. */
	assert_status(harness_get(b, "/api/me"), 200);
	assert_status(harness_login(fresh, acc->email, acc->password), 200);
	assert_status(harness_send_json(fresh, "DELETE", "/api/session", NULL), 200);

	r = harness_send_json(a, "POST", "/api/me/password", "{s:s, s:s}", "current_password",
			      acc->password, "new_password", new_pw);
	assert_status(r, 200);
	assert_json_body(r, "{\"ok\":true}");

	/* This session stays; every other one of that person is revoked. */
	assert_status(harness_get(a, "/api/me"), 200);
	assert_api_error(harness_get(b, "/api/me"), 401, NULL);

	r = harness_login(fresh, acc->email, acc->password);
	assert_api_error(r, 401, NULL);
	r = harness_login(fresh, acc->email, new_pw);
	assert_status(r, 200);
}

static void password_change_length_boundaries(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);
	struct harness_client *check = harness_client_new(srv);
	const struct harness_account *acc = harness_server_account(srv, "member");
	/* Ten characters in twenty bytes: long enough. */
	const char *ten_chars = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
				"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
	char max_len[257];
	const struct harness_response *r;

	assert_non_null(acc);
	assert_status(harness_login(c, acc->email, acc->password), 200);
	r = harness_send_json(c, "POST", "/api/me/password", "{s:s, s:s}", "current_password",
			      acc->password, "new_password", ten_chars);
	assert_status(r, 200);
	assert_status(harness_login(check, acc->email, ten_chars), 200);

	/* Exactly 256 bytes: the longest allowed. */
	memset(max_len, 'k', 256);
	max_len[256] = '\0';
	r = harness_send_json(c, "POST", "/api/me/password", "{s:s, s:s}", "current_password",
			      ten_chars, "new_password", max_len);
	assert_status(r, 200);
	assert_status(harness_login(check, acc->email, max_len), 200);

	/* Exactly ten ASCII characters. */
	r = harness_send_json(check, "POST", "/api/me/password", "{s:s, s:s}", "current_password",
			      max_len, "new_password", "ten-chars!");
	assert_status(r, 200);
	assert_status(harness_login(check, acc->email, "ten-chars!"), 200);
}

/* Checks a 429: Retry-After as delta-seconds > 0 or a future HTTP-date. */
static void check_throttled(const struct harness_response *r)
{
	const char *ra = harness_response_header(r, "Retry-After");
	char *end = NULL;
	long secs;

	assert_api_error(r, 429, API_FIELD_ANY);
	if (ra == NULL)
		fail_msg("429 without a Retry-After header");
	secs = strtol(ra, &end, 10);
	if (end != ra && *end == '\0') {
		assert_true(secs > 0);
	} else {
		time_t when = curl_getdate(ra, NULL);
		assert_true(when != -1 && when > time(NULL));
	}
}

static void account_throttle_429(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);
	struct harness_client *other = harness_client_new(srv);
	const struct harness_account *victim = harness_server_account(srv, "carer");
	const struct harness_response *r = NULL;
	int tries = 0;

	assert_non_null(victim);
	while (tries < ACCOUNT_TRIES_MAX) {
		r = harness_login(c, victim->email, "guessing-the-password");
		tries++;
		if (r->status != 401)
			break;
		assert_api_error(r, 401, NULL);
	}
	print_message("account locked after %d failures\n", tries);
	assert_true(tries > 1);
	check_throttled(r);

	/* While locked, even the right password is refused. */
	r = harness_login(c, victim->email, victim->password);
	check_throttled(r);
	assert_null(harness_client_cookie(c, HARNESS_SESSION_COOKIE));

	/* Someone else, from the same address, is not locked out. */
	r = harness_login_as(other, "coordinator");
	assert_status(r, 200);
}

static void ip_throttle_429(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);
	struct harness_client *legit = harness_client_new(srv);
	const struct harness_response *r = NULL;
	char email[64];
	int tries = 0;

	/* One failure per address book entry: no account limit can trigger. */
	while (tries < IP_TRIES_MAX) {
		snprintf(email, sizeof(email), "probe-%d@example.org", tries);
		r = harness_login(c, email, "guessing-the-password");
		tries++;
		if (r->status != 401)
			break;
	}
	print_message("address locked after %d failures\n", tries);
	assert_true(tries > 1);
	check_throttled(r);

	/* The address is locked for everyone behind it, real accounts too. */
	r = harness_login_as(legit, "admin");
	check_throttled(r);
	assert_null(harness_client_cookie(legit, HARNESS_SESSION_COOKIE));
}

/* POST /login as the sign-in form sends it (extra header may be NULL). */
static const struct harness_response *form_login(struct harness_client *c, const char *body,
						 const char *header)
{
	const char *headers[] = {header, NULL};
	struct harness_request rq = {.method = "POST",
				     .path = "/login",
				     .body = body,
				     .body_len = strlen(body),
				     .content_type = "application/x-www-form-urlencoded",
				     .headers = header != NULL ? headers : NULL};

	return harness_request(c, &rq);
}

static void form_login_without_javascript(void **state)
{
	struct harness_server *srv = *state;
	const struct harness_account *a = harness_server_account(srv, "member");
	struct harness_client *c = harness_client_new(srv);
	const struct harness_response *r;
	char body[512], origin[300];

	assert_non_null(a);
	/* A wrong password: back to a page that says so, no cookie. */
	snprintf(body, sizeof body, "email=%s&password=wrong-password", a->email);
	r = form_login(c, body, NULL);
	assert_status(r, 303);
	assert_string_equal(harness_response_header(r, "Location"), "/signin-failed.html");
	assert_null(harness_client_cookie(c, HARNESS_SESSION_COOKIE));
	/* Another site's page may not sign anyone in. */
	snprintf(body, sizeof body, "email=%s&password=%s", a->email, a->password);
	assert_api_error(form_login(c, body, "Origin: https://elsewhere.example"), 403, "Origin");
	assert_null(harness_client_cookie(c, HARNESS_SESSION_COOKIE));
	/* "next" may only name a path on this site. */
	snprintf(body, sizeof body, "email=%s&password=%s&next=//elsewhere.example/x", a->email,
		 a->password);
	r = form_login(c, body, NULL);
	assert_status(r, 303);
	assert_string_equal(harness_response_header(r, "Location"), "/proposals");
	assert_non_null(harness_client_cookie(c, HARNESS_SESSION_COOKIE));
	/* This site's own page, and a path to go back to. */
	c = harness_client_new(srv);
	snprintf(origin, sizeof origin, "Origin: %s", harness_server_url(srv));
	while (origin[strlen(origin) - 1] == '/')
		origin[strlen(origin) - 1] = '\0';
	snprintf(body, sizeof body, "email=%s&password=%s&next=/proposals/1", a->email,
		 a->password);
	r = form_login(c, body, origin);
	assert_status(r, 303);
	assert_string_equal(harness_response_header(r, "Location"), "/proposals/1");
	assert_status(harness_get(c, "/api/me"), 200);
	/* Not a form: refused, naming the header. */
	{
		struct harness_request rq = {.method = "POST",
					     .path = "/login",
					     .body = "{}",
					     .body_len = 2,
					     .content_type = "application/json"};

		assert_api_error(harness_request(c, &rq), 415, "Content-Type");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(login_sets_cookie_and_csrf, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(login_secure_cookie_when_configured,
						setup_secure_cookies, api_server_teardown),
		cmocka_unit_test_setup_teardown(me_with_and_without_cookie, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(wrong_password_and_unknown_email_identical,
						api_server_setup, api_server_teardown),
		cmocka_unit_test_setup_teardown(logout_deletes_session_server_side,
						api_server_setup, api_server_teardown),
		cmocka_unit_test_setup_teardown(password_change_rules, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(password_change_length_boundaries, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(account_throttle_429, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(ip_throttle_429, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(form_login_without_javascript, api_server_setup,
						api_server_teardown),
	};

	return cmocka_run_group_tests_name("api_session", tests, NULL, NULL);
}
