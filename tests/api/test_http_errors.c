/*
 * API tests, HTTP-level errors (docs/API.md "Conventions"): 404 for unknown
 * routes, 405 with Allow, 415, 400 for malformed JSON, 413 above the body
 * cap (with and without Content-Length), 414 above 2048 bytes of URL, and
 * /healthz. The server must keep answering after each of them.
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

#define BODY_MAX_DEFAULT (1024u * 1024u) /* 1 MiB, docs/API.md */
#define URL_MAX          2048            /* bytes, docs/API.md */
#define LOGIN_JSON       "{\"email\":\"nobody@example.org\",\"password\":\"not-the-password\"}"

static void check_healthz(struct harness_client *c)
{
	const struct harness_response *r = harness_get(c, "/healthz");

	assert_status(r, 200);
	assert_content_type(r, "application/json");
	assert_non_null(api_json_str(r->json, "status"));
	assert_string_equal(api_json_str(r->json, "status"), "ok");
	assert_non_null(api_json_str(r->json, "version"));
	assert_true(strlen(api_json_str(r->json, "version")) > 0);
	assert_true(api_json_int(r->json, "schema_version") >= 1);
}

static void healthz_ok(void **state)
{
	struct harness_server *srv = *state;

	check_healthz(harness_client_new(srv));
}

static void unknown_route_404(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);
	static const char *const routes[][2] = {
		{"GET", "/api/does-not-exist"},         {"GET", "/api/"},
		{"GET", "/api/users/1/sessions/extra"}, {"DELETE", "/api/nothing-here"},
		{"POST", "/api/nothing-here"},
	};

	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		bool post = strcmp(routes[i][0], "POST") == 0;
		struct harness_request rq = {
			.method = routes[i][0],
			.path = routes[i][1],
			.body = post ? "{}" : NULL,
			.body_len = post ? 2 : 0,
			.content_type = post ? "application/json" : NULL,
		};
		print_message("%s %s\n", routes[i][0], routes[i][1]);
		assert_api_error(harness_request(c, &rq), 404, API_FIELD_ANY);
	}
}

/* True if the Allow value lists method as one of its comma-separated tokens. */
static bool allow_has(const char *allow, const char *method)
{
	size_t mlen = strlen(method);
	const char *p = allow;

	while (*p != '\0') {
		size_t len;
		while (*p == ' ' || *p == ',')
			p++;
		len = strcspn(p, ", ");
		if (len == mlen && strncmp(p, method, len) == 0)
			return true;
		p += len;
	}
	return false;
}

static void wrong_method_405_with_allow(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);
	/* method tried, path, methods the route does take */
	static const char *const cases[][4] = {
		{"PUT", "/api/session", "POST", "DELETE"},
		{"GET", "/api/session", "POST", "DELETE"},
		{"PATCH", "/api/me", "GET", NULL},
		{"GET", "/api/me/password", "POST", NULL},
		{"DELETE", "/api/users", "GET", "POST"},
		{"GET", "/api/users/1/sessions", "DELETE", NULL},
		{"POST", "/api/summary", "GET", NULL},
		{"POST", "/healthz", "GET", NULL},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct harness_request rq = {.method = cases[i][0], .path = cases[i][1]};
		const struct harness_response *r = harness_request(c, &rq);
		const char *allow = harness_response_header(r, "Allow");

		print_message("%s %s\n", cases[i][0], cases[i][1]);
		assert_api_error(r, 405, API_FIELD_ANY);
		if (allow == NULL)
			fail_msg("405 for %s %s without an Allow header", cases[i][0], cases[i][1]);
		for (size_t k = 2; k < 4 && cases[i][k] != NULL; k++) {
			if (!allow_has(allow, cases[i][k]))
				fail_msg("Allow: %s lacks %s", allow, cases[i][k]);
		}
		if (allow_has(allow, cases[i][0]))
			fail_msg("Allow: %s lists the refused %s", allow, cases[i][0]);
	}
}

static void wrong_content_type_415(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);
	static const char *const types[] = {"text/plain", "", "application/xml",
					    "text/plain; charset=utf-8"};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct harness_request rq = {
			.method = "POST",
			.path = "/api/session",
			.body = LOGIN_JSON,
			.body_len = strlen(LOGIN_JSON),
			.content_type = types[i],
		};
		print_message("Content-Type: %s\n", types[i][0] != '\0' ? types[i] : "(none)");
		assert_api_error(harness_request(c, &rq), 415, API_FIELD_ANY);
	}
	check_healthz(c);
}

static void json_with_charset_accepted(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);
	const struct harness_account *a = harness_server_account(srv, "member");
	char body[600];
	struct harness_request rq = {
		.method = "POST",
		.path = "/api/session",
		.body = body,
		.content_type = "application/json; charset=utf-8",
	};

	assert_non_null(a);
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}", a->email,
		 a->password);
	rq.body_len = strlen(body);
	assert_status(harness_request(c, &rq), 200);
}

static void malformed_json_400(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);
	static const char *const bodies[] = {
		"{\"email\":",
		"{\"email\":\"a@example.org\",\"password\":\"x\"} trailing",
		"{'email': 'a@example.org'}",
		"",
		"{\"email\":\"\xff\xfe@example.org\",\"password\":\"not-the-password\"}",
		"{\"email\":\"a@example.org\",\"password\":\"x\",}",
	};

	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct harness_request rq = {
			.method = "POST",
			.path = "/api/session",
			.body = bodies[i],
			.body_len = strlen(bodies[i]),
			.content_type = "application/json",
		};
		print_message("body #%zu: %s\n", i, bodies[i]);
		assert_api_error(harness_request(c, &rq), 400, API_FIELD_ANY);
	}
	check_healthz(c);
}

/* A login body of exactly len bytes: LOGIN_JSON padded with spaces. */
static char *padded_login(size_t len)
{
	char *body = malloc(len);

	assert_non_null(body);
	memset(body, ' ', len);
	memcpy(body, LOGIN_JSON, strlen(LOGIN_JSON));
	return body;
}

/* Posts a body of len bytes three ways; each must give expect_status, and
 * /healthz must answer after each. */
static void post_sized(struct harness_client *c, size_t len, long expect_status)
{
	static const char *const how[] = {"Content-Length", "Content-Length + Expect: 100-continue",
					  "chunked, no Content-Length"};
	char *body = padded_login(len);
	const struct harness_response *res[3];

	for (size_t i = 0; i < 3; i++) {
		struct harness_request rq = {
			.method = "POST",
			.path = "/api/session",
			.body = body,
			.body_len = len,
			.content_type = "application/json",
			.expect_continue = i == 1,
			.chunked = i == 2,
		};
		res[i] = harness_request(c, &rq);
	}
	free(body); /* before any assertion can jump out */
	for (size_t i = 0; i < 3; i++) {
		print_message("%zu-byte body, %s\n", len, how[i]);
		if (expect_status == 413)
			assert_api_error(res[i], 413, API_FIELD_ANY);
		else
			assert_status(res[i], expect_status);
	}
	check_healthz(c);
}

static void body_cap_413(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);

	/* At the cap: read in full, so the login itself answers (wrong password). */
	post_sized(c, BODY_MAX_DEFAULT, 401);
	post_sized(c, BODY_MAX_DEFAULT + 1, 413);
	post_sized(c, 8u * BODY_MAX_DEFAULT, 413);
	check_healthz(harness_client_new(srv));
}

static int setup_small_body_max(void **state)
{
	static const char *const env[] = {"CARECOOP_BODY_MAX=1024", NULL};

	return api_server_setup_env(state, env);
}

static void body_cap_from_environment(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);

	post_sized(c, 1024, 401);
	post_sized(c, 1025, 413);
}

/* A path of exactly len bytes: prefix then filler. */
static void long_path(char *buf, size_t len, const char *prefix)
{
	size_t plen = strlen(prefix);

	memcpy(buf, prefix, plen);
	memset(buf + plen, 'a', len - plen);
	buf[len] = '\0';
}

static void url_too_long_414(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);
	char path[URL_MAX + 64];

	long_path(path, URL_MAX, "/api/");
	assert_api_error(harness_get(c, path), 404, API_FIELD_ANY);
	long_path(path, URL_MAX + 1, "/api/");
	assert_api_error(harness_get(c, path), 414, API_FIELD_ANY);
	long_path(path, URL_MAX + 1, "/static-");
	assert_api_error(harness_get(c, path), 414, API_FIELD_ANY);
	long_path(path, URL_MAX + 50, "/api/session/");
	{
		struct harness_request rq = {.method = "POST",
					     .path = path,
					     .body = LOGIN_JSON,
					     .body_len = strlen(LOGIN_JSON),
					     .content_type = "application/json"};
		assert_api_error(harness_request(c, &rq), 414, API_FIELD_ANY);
	}
	check_healthz(c);
}

/* The query is part of the URL (RFC 3986 section 3), so it counts too. */
static void url_with_long_query_414(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);
	char path[40000];

	long_path(path, URL_MAX, "/healthz?q=");
	assert_status(harness_get(c, path), 200);
	long_path(path, URL_MAX + 1, "/healthz?q=");
	assert_api_error(harness_get(c, path), 414, API_FIELD_ANY);
	long_path(path, sizeof(path) - 1, "/healthz?q=");
	assert_api_error(harness_get(c, path), 414, API_FIELD_ANY);
	check_healthz(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(healthz_ok),
		cmocka_unit_test(unknown_route_404),
		cmocka_unit_test(wrong_method_405_with_allow),
		cmocka_unit_test(wrong_content_type_415),
		cmocka_unit_test(json_with_charset_accepted),
		cmocka_unit_test(malformed_json_400),
		cmocka_unit_test(body_cap_413),
		cmocka_unit_test(url_too_long_414),
		cmocka_unit_test(url_with_long_query_414),
		cmocka_unit_test_setup_teardown(body_cap_from_environment, setup_small_body_max,
						api_server_teardown),
	};

	return cmocka_run_group_tests_name("api_http_errors", tests, api_server_setup,
					   api_server_teardown);
}
