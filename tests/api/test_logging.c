/*
 * API tests, the request log: one line per request on stderr (method, path,
 * status, milliseconds), and never a secret in it: no password (right, wrong
 * or new), no session token, no CSRF token, no Cookie header value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "api_check.h"

#include <stdio.h>
#include <string.h>

#define WRONG_PASSWORD "Wrong-Secret-Pw-9137"
#define WRONG_CURRENT  "Another-Wrong-Pw-5521"
#define NEW_PASSWORD   "Never-Logged-New-Pw-3308"

/* Fails if the log contains what; label says what it is. */
static void check_absent(const char *log, const char *what, const char *label)
{
	if (api_contains(log, what))
		fail_msg("the server log contains the %s (%s)", label, what);
}

static void log_lines_without_secrets(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);
	const struct harness_account *a = harness_server_account(srv, "carer");
	const struct harness_response *r;
	static const char *const login_line[] = {"POST", " /api/session", " 200", "ms", NULL};
	static const char *const me_line[] = {"GET", " /api/me", " 200", NULL};
	static const char *const logout_line[] = {"DELETE", " /api/session", " 200", NULL};
	static const char *const failed_line[] = {"POST", " /api/session", " 401", NULL};
	char token[512], csrf[512], cookie[600];
	const char *log;
	int status;

	assert_non_null(a);
	assert_api_error(harness_login(c, a->email, WRONG_PASSWORD), 401, NULL);
	r = harness_login(c, a->email, a->password);
	assert_status(r, 200);
	assert_non_null(harness_client_cookie(c, HARNESS_SESSION_COOKIE));
	assert_non_null(harness_client_csrf(c));
	snprintf(token, sizeof(token), "%s", harness_client_cookie(c, HARNESS_SESSION_COOKIE));
	snprintf(csrf, sizeof(csrf), "%s", harness_client_csrf(c));
	snprintf(cookie, sizeof(cookie), "%s=%s", HARNESS_SESSION_COOKIE, token);
	assert_status(harness_get(c, "/api/me"), 200);
	assert_api_error(harness_send_json(c, "POST", "/api/me/password", "{s:s, s:s}",
					   "current_password", WRONG_CURRENT, "new_password",
					   NEW_PASSWORD),
			 400, "current_password");
	assert_status(harness_send_json(c, "DELETE", "/api/session", NULL), 200);

	if (!harness_server_log_wait(srv, login_line, 5000)) {
		api_print_log_tail(srv);
		fail_msg("no log line with POST /api/session 200 and the time in ms");
	}
	assert_true(harness_server_log_wait(srv, failed_line, 5000));
	assert_true(harness_server_log_wait(srv, me_line, 5000));
	assert_true(harness_server_log_wait(srv, logout_line, 5000));

	/* Stop first, so that the whole log is written before we read it. */
	status = harness_server_stop(srv);
	assert_true(api_clean_stop(status));
	log = harness_server_log(srv);
	assert_non_null(log);
	check_absent(log, a->password, "account password");
	check_absent(log, WRONG_PASSWORD, "wrong password tried");
	check_absent(log, WRONG_CURRENT, "wrong current password");
	check_absent(log, NEW_PASSWORD, "new password");
	check_absent(log, token, "session token");
	check_absent(log, cookie, "Cookie header value");
	check_absent(log, csrf, "CSRF token");
}

/*
 * A request path is outside input: decoded CR, LF or ESC in it must not
 * start a forged log line or reach a terminal as a control sequence.
 */
static void log_lines_cannot_be_forged(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);
	static const char *const paths[] = {
		"/x%0d%0a127.0.0.1%20POST%20/api/forged%20200%201.0ms",
		"/api/x%0a127.0.0.1%20POST%20/api/forged%20200%201.0ms",
		"/x%0aPOST%20/api/forged%20200",
		"/x%1b%5b31mred",
	};
	static const char *const last_line[] = {"GET", "/x", "red", NULL};
	const char *log, *line;

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		const struct harness_response *r = harness_get(c, paths[i]);
		print_message("GET %s -> %ld\n", paths[i], r->status);
		assert_int_equal(r->status, 404);
	}
	if (!harness_server_log_wait(srv, last_line, 5000)) {
		api_print_log_tail(srv);
		fail_msg("the requests were not logged");
	}
	assert_true(api_clean_stop(harness_server_stop(srv)));
	log = harness_server_log(srv);
	assert_non_null(log);
	if (strchr(log, '\x1b') != NULL || strchr(log, '\r') != NULL)
		fail_msg("the log holds a raw ESC or CR from a request path");
	/* Every line that mentions the forged request is the real GET's line. */
	for (line = log; *line != '\0';) {
		size_t len = strcspn(line, "\n");
		char buf[1024];

		snprintf(buf, sizeof(buf), "%.*s", (int)len, line);
		if (api_contains(buf, "/api/forged") && !api_contains(buf, "GET /"))
			fail_msg("forged log line: %s", buf);
		line += len + (line[len] == '\n');
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(log_lines_without_secrets, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(log_lines_cannot_be_forged, api_server_setup,
						api_server_teardown),
	};

	return cmocka_run_group_tests_name("api_logging", tests, NULL, NULL);
}
