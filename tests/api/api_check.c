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
	json_array_foreach (arr, i, v) {
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

/* ---- helpers for the register and care tests ---- */

void api_check_error_prefix(const struct harness_response *r, long status, const char *prefix,
			    const char *file, int line)
{
	const char *field;

	api_check_error(r, status, API_FIELD_ANY, file, line);
	field = api_json_str(r->json, "field");
	if (field != NULL && strncmp(field, prefix, strlen(prefix)) == 0)
		return;
	print_error("expected an error reply %ld with a field starting %s\n", status, prefix);
	api_describe(r);
	_fail(file, line);
}

void api_check_hidden(const struct harness_response *r, const char *file, int line)
{
	api_check_error(r, r->status == 404 ? 404 : 403, API_FIELD_ANY, file, line);
}

bool api_json_blank(const json_t *obj, const char *key)
{
	const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	return v == NULL || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0);
}

bool api_json_near(const json_t *obj, const char *key, double want)
{
	const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	double d;

	if (!json_is_number(v))
		return false;
	d = json_number_value(v) - want;
	return d < 1e-6 && d > -1e-6;
}

long long api_person_id(struct harness_client *c, const char *email)
{
	char path[320];
	long long id;

	snprintf(path, sizeof path, "/api/people?q=%s", email);
	id = api_find_id(c, path, "people", "email", email);
	if (id <= 0) {
		print_error("no person with the email %s\n", email);
		_fail(__FILE__, __LINE__);
	}
	return id;
}

struct harness_client *api_client_login(struct harness_server *srv, const char *email)
{
	/* demo gives every account the one --password the harness chose. */
	const struct harness_account *any = harness_server_account(srv, "admin");
	struct harness_client *c = harness_client_new(srv);
	const struct harness_response *r;

	if (any == NULL) {
		print_error("demo printed no admin account, so no password for %s\n", email);
		_fail(__FILE__, __LINE__);
	}
	r = harness_login(c, email, any->password);
	if (r->status != 200)
		print_error("logging in as %s\n", email);
	api_check_status(r, 200, __FILE__, __LINE__);
	return c;
}

/* The array member list of a 200 reply to GET path; fails the test
 * otherwise. Borrowed from the response (owned by c). */
static const json_t *api_get_list(struct harness_client *c, const char *path, const char *list)
{
	const struct harness_response *r = harness_get(c, path);
	const json_t *arr;

	if (r->status != 200)
		print_error("GET %s\n", path);
	api_check_status(r, 200, __FILE__, __LINE__);
	arr = json_is_object(r->json) ? json_object_get(r->json, list) : NULL;
	if (!json_is_array(arr)) {
		print_error("GET %s: no array \"%s\" in the reply\n", path, list);
		api_describe(r);
		_fail(__FILE__, __LINE__);
	}
	return arr;
}

const struct harness_response *api_send_text(struct harness_client *c, const char *method,
					     const char *path, const char *content_type,
					     const char *body)
{
	struct harness_request rq = {
		.method = method,
		.path = path,
		.body = body,
		.body_len = strlen(body),
		.content_type = content_type,
	};

	return harness_request(c, &rq);
}

const json_t *api_find(struct harness_client *c, const char *path, const char *list,
		       const char *key, const char *value)
{
	const json_t *arr = api_get_list(c, path, list);
	const json_t *item;
	size_t i;

	json_array_foreach (arr, i, item) {
		const char *v = api_json_str(item, key);
		if (v != NULL && strcmp(v, value) == 0)
			return item;
	}
	return NULL;
}

long long api_find_id(struct harness_client *c, const char *path, const char *list, const char *key,
		      const char *value)
{
	const json_t *item = api_find(c, path, list, key, value);

	return item != NULL ? api_json_int(item, "id") : -1;
}

size_t api_list_count(struct harness_client *c, const char *path, const char *list)
{
	return json_array_size(api_get_list(c, path, list));
}

/* True at the end of an unquoted field or after a closing quote. */
static bool api_csv_field_end(char ch)
{
	return ch == ',' || ch == '\r' || ch == '\n' || ch == '\0';
}

int api_csv_next(const char *text, size_t *pos, struct api_csv_record *rec)
{
	const char *p = text + *pos;

	rec->count = 0;
	if (*p == '\0')
		return 0;
	for (;;) {
		char *out;
		size_t len = 0;

		if (rec->count == API_CSV_FIELDS_MAX)
			return -1;
		out = rec->field[rec->count++];
		if (*p == '"') {
			p++;
			for (;;) {
				char ch;
				if (*p == '\0')
					return -1; /* unterminated quote */
				if (*p == '"' && p[1] != '"') {
					p++;
					break;
				}
				ch = *p;
				p += *p == '"' ? 2 : 1;
				if (len + 1 >= API_CSV_FIELD_MAX)
					return -1;
				out[len++] = ch;
			}
			if (!api_csv_field_end(*p))
				return -1;
		} else {
			while (!api_csv_field_end(*p)) {
				if (*p == '"' || len + 1 >= API_CSV_FIELD_MAX)
					return -1;
				out[len++] = *p++;
			}
		}
		out[len] = '\0';
		if (*p != ',')
			break;
		p++;
	}
	if (*p == '\r') {
		if (p[1] != '\n')
			return -1;
		p += 2;
	} else if (*p == '\n') {
		p++;
	}
	*pos = (size_t)(p - text);
	return 1;
}
