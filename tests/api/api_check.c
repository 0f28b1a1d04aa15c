/*
 * api_check: cmocka assertions and fixtures for the API tests (contracts in
 * api_check.h). Depends on the harness and cmocka only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "api_check.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>

const char api_field_any[] = "(any)";

/* Prints what the server said; used before every failure. */
static void api_describe(const struct harness_response *r)
{
	print_error("  got HTTP %ld", r->status);
	if (r->curl_code != 0)
		print_error(" (transfer failed: curl %d, %s)", r->curl_code, r->curl_error);
	print_error("\n  body (%zu bytes): %.*s\n", r->body_len,
		    r->body_len > 600 ? 600 : (int)r->body_len, r->body);
}

void api_check_status(const struct harness_response *r, long status, const char *file, int line)
{
	if (r->status == status)
		return;
	print_error("expected HTTP %ld\n", status);
	api_describe(r);
	_fail(file, line);
}

void api_check_content_type(const struct harness_response *r, const char *types, const char *file,
			    int line)
{
	const char *ct = harness_response_header(r, "Content-Type");
	size_t media_len;
	const char *t = types;

	if (ct != NULL) {
		media_len = strcspn(ct, ";");
		while (media_len > 0 && (ct[media_len - 1] == ' ' || ct[media_len - 1] == '\t'))
			media_len--;
		while (*t != '\0') {
			size_t len = strcspn(t, "|");
			if (len == media_len && strncasecmp(t, ct, len) == 0)
				return;
			t += len;
			if (*t == '|')
				t++;
		}
	}
	print_error("expected Content-Type %s, got %s\n", types, ct != NULL ? ct : "(none)");
	api_describe(r);
	_fail(file, line);
}

void api_check_error(const struct harness_response *r, long status, const char *field,
		     const char *file, int line)
{
	const json_t *err, *f;
	const char *why = NULL;

	api_check_status(r, status, file, line);
	api_check_content_type(r, "application/json", file, line);
	if (!json_is_object(r->json)) {
		why = "the body is not a JSON object";
		goto fail;
	}
	err = json_object_get(r->json, "error");
	f = json_object_get(r->json, "field");
	if (!json_is_string(err) || json_string_length(err) == 0) {
		why = "\"error\" is not a non-empty string";
		goto fail;
	}
	if (f == NULL) {
		why = "\"field\" is missing (the contract wants a name or null)";
		goto fail;
	}
	if (field == API_FIELD_ANY) {
		if (!json_is_null(f) && !json_is_string(f))
			why = "\"field\" is neither a string nor null";
	} else if (field == NULL) {
		if (!json_is_null(f))
			why = "\"field\" should be null";
	} else if (!json_is_string(f) || strcmp(json_string_value(f), field) != 0) {
		why = "\"field\" names another member";
	}
	if (why == NULL)
		return;
fail:
	print_error("expected an error reply %ld with field %s: %s\n", status,
		    field == NULL ? "null" : field, why);
	api_describe(r);
	_fail(file, line);
}

void api_check_json_body(const struct harness_response *r, const char *expected, const char *file,
			 int line)
{
	json_t *want = json_loads(expected, 0, NULL);
	bool same = want != NULL && r->json != NULL && json_equal(want, r->json);

	json_decref(want);
	if (same)
		return;
	print_error("expected the JSON body %s\n", expected);
	api_describe(r);
	_fail(file, line);
}

const char *api_json_str(const json_t *obj, const char *key)
{
	const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	return json_is_string(v) ? json_string_value(v) : NULL;
}

long long api_json_int(const json_t *obj, const char *key)
{
	const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	return json_is_integer(v) ? (long long)json_integer_value(v) : -1;
}

bool api_json_array_has(const json_t *arr, const char *s)
{
	size_t i;
	const json_t *v;

	if (!json_is_array(arr))
		return false;
	json_array_foreach(arr, i, v)
	{
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	}
	return false;
}

bool api_contains(const char *haystack, const char *needle)
{
	return haystack != NULL && needle != NULL && needle[0] != '\0' &&
	       strstr(haystack, needle) != NULL;
}

void api_print_log_tail(struct harness_server *srv)
{
	const char *log = harness_server_log(srv);
	size_t len = log != NULL ? strlen(log) : 0;
	size_t from = len > 4000 ? len - 4000 : 0;

	print_error("--- server log (last %zu bytes) ---\n%s\n--- end of log ---\n", len - from,
		    log != NULL ? log + from : "(unreadable)");
}

bool api_clean_stop(int status)
{
	if (status < 0)
		return false;
	if (WIFEXITED(status))
		return WEXITSTATUS(status) == 0;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM;
}

/* Stops srv; returns 0 if it was alive and stopped cleanly, else -1. */
static int api_stop_checked(struct harness_server *srv)
{
	int early;
	int status = harness_server_stop(srv);

	early = harness_server_early_status(srv);
	if (early != -1) {
		print_error("the server died during the test (wait status %d)\n", early);
		api_print_log_tail(srv);
		return -1;
	}
	if (!api_clean_stop(status)) {
		print_error("the server did not stop cleanly on SIGTERM (wait status %d)\n",
			    status);
		api_print_log_tail(srv);
		return -1;
	}
	return 0;
}

int api_server_setup_env(void **state, const char *const *env)
{
	struct harness_server_options opt = {.env = env};
	struct harness_server *srv = NULL;

	*state = NULL;
	if (harness_server_start(&opt, &srv) != 0)
		return -1;
	*state = srv;
	return 0;
}

int api_server_setup(void **state)
{
	return api_server_setup_env(state, NULL);
}

int api_server_teardown(void **state)
{
	struct harness_server *srv = *state;
	int rc;

	if (srv == NULL)
		return 0;
	rc = api_stop_checked(srv);
	harness_server_free(srv);
	*state = NULL;
	return rc;
}
