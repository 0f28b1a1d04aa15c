/*
 * api_check: cmocka assertions and fixtures shared by the API test groups.
 * Each assertion prints what the server actually said (status, body, curl
 * error) before failing, so a red test explains itself.
 *
 * Include after <cmocka.h>'s prerequisites (stdarg, stddef, stdint, setjmp).
 */
#ifndef CARECOOP_TESTS_API_CHECK_H
#define CARECOOP_TESTS_API_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "harness.h"

/* Pass as the field of api_check_error when either a string or null will do. */
extern const char api_field_any[];
#define API_FIELD_ANY api_field_any

/* The 401 body the contract fixes for "not logged in". */
#define API_NOT_LOGGED_IN "{\"error\":\"not logged in\",\"field\":null}"

/* The HTTP status is exactly status. */
#define assert_status(r, status) api_check_status((r), (status), __FILE__, __LINE__)

/* An error reply: that status, a JSON object body (Content-Type
 * application/json) with a non-empty string "error" and a "field" that is
 * JSON null when field is NULL, any string or null with API_FIELD_ANY, and
 * else that exact string. */
#define assert_api_error(r, status, field) \
	api_check_error((r), (status), (field), __FILE__, __LINE__)

/* The body is JSON equal to the JSON text expected (member order ignored). */
#define assert_json_body(r, expected) api_check_json_body((r), (expected), __FILE__, __LINE__)

/* The reply's Content-Type media type (before any ';') is one of the
 * '|'-separated list types, compared without regard to case. */
#define assert_content_type(r, types) api_check_content_type((r), (types), __FILE__, __LINE__)

void api_check_status(const struct harness_response *r, long status, const char *file, int line);
void api_check_error(const struct harness_response *r, long status, const char *field,
		     const char *file, int line);
void api_check_json_body(const struct harness_response *r, const char *expected, const char *file,
			 int line);
void api_check_content_type(const struct harness_response *r, const char *types, const char *file,
			    int line);

/* The string member key of object obj, or NULL when absent or not a string. */
const char *api_json_str(const json_t *obj, const char *key);

/* The integer member key of obj, or -1 when absent or not an integer. */
long long api_json_int(const json_t *obj, const char *key);

/* True if the JSON array arr holds the string s. */
bool api_json_array_has(const json_t *arr, const char *s);

/* True if the NUL-terminated haystack contains needle (needle non-empty). */
bool api_contains(const char *haystack, const char *needle);

/* Prints the last lines of the server log (for a failure's context). */
void api_print_log_tail(struct harness_server *srv);

/*
 * Fixtures for cmocka_unit_test_setup_teardown / cmocka_run_group_tests:
 * api_server_setup starts a server with default options into *state;
 * api_server_teardown stops and frees it, and fails (returns -1, printing
 * the log tail) when the server had died during the test or did not stop
 * cleanly on SIGTERM (exit 0 or death by SIGTERM).
 */
int api_server_setup(void **state);
int api_server_teardown(void **state);

/* As api_server_setup, with extra environment for the server (NULL-ended
 * "NAME=value" list); for setup functions of tests that need their own. */
int api_server_setup_env(void **state, const char *const *env);

/* True if the wait status is a clean stop on SIGTERM. */
bool api_clean_stop(int status);

#endif
