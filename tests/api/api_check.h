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

/* ---- helpers for the register and care tests (people, care, import) ---- */

/* An error reply as assert_api_error, whose "field" is a string starting
 * with prefix: for contracts that fix the member ("weekly[2]") but not how
 * deep the name goes ("weekly[2].start"). */
#define assert_api_error_prefix(r, status, prefix) \
	api_check_error_prefix((r), (status), (prefix), __FILE__, __LINE__)

void api_check_error_prefix(const struct harness_response *r, long status, const char *prefix,
			    const char *file, int line);

/* An error reply that is 403 or 404: the contract allows either when a
 * person asks for someone else's record. */
#define assert_api_hidden(r) api_check_hidden((r), __FILE__, __LINE__)

void api_check_hidden(const struct harness_response *r, const char *file, int line);

/* True when member key of obj is absent, null or "" (an open end). */
bool api_json_blank(const json_t *obj, const char *key);

/* True when the number member key of obj is within 1e-6 of want. */
bool api_json_near(const json_t *obj, const char *key, double want);

/* The person id of the one with that email, by GET /api/people?q= (as an
 * admin, coordinator or treasurer client); fails the test when none. */
long long api_person_id(struct harness_client *c, const char *email);

/* A new client of srv logged in as the demo account email (every demo
 * account has the password the harness gave `carecoop demo`). Fails the
 * test unless the login answers 200. Owned by srv. */
struct harness_client *api_client_login(struct harness_server *srv, const char *email);

/* Sends body (NUL-terminated) with that Content-Type and the client's CSRF
 * token; for JSON too deep for harness_send_json's format, and for CSV. */
const struct harness_response *api_send_text(struct harness_client *c, const char *method,
					     const char *path, const char *content_type,
					     const char *body);

/* GET path (asserting 200), then the first object in the array member list
 * whose string member key equals value, or NULL. Borrowed from the reply,
 * which c owns. */
const json_t *api_find(struct harness_client *c, const char *path, const char *list,
		       const char *key, const char *value);

/* The "id" of what api_find finds, or -1. */
long long api_find_id(struct harness_client *c, const char *path, const char *list, const char *key,
		      const char *value);

/* The number of elements of the array member list of a 200 reply to GET
 * path (asserting both). */
size_t api_list_count(struct harness_client *c, const char *path, const char *list);

#define API_CSV_FIELDS_MAX 32  /* fields per record the tests read */
#define API_CSV_FIELD_MAX  512 /* bytes per field, with the NUL */

/* One CSV record, fields unquoted. */
struct api_csv_record {
	size_t count;                                      /* fields read */
	char field[API_CSV_FIELDS_MAX][API_CSV_FIELD_MAX]; /* NUL-terminated values */
};

/*
 * Reads the RFC 4180 record that starts at text + *pos into rec and moves
 * *pos past it (and its CRLF or LF). Quoted fields may hold commas, line
 * breaks and doubled quotes. Returns 1 for a record, 0 at the end of the
 * text, -1 for text that is not CSV (an unterminated quote, a character
 * after a closing quote, a quote inside an unquoted field) or a record over
 * the limits above. No allocation: nothing leaks when an assertion fails.
 */
int api_csv_next(const char *text, size_t *pos, struct api_csv_record *rec);

#endif
