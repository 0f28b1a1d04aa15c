/*
 * API tests, calendar feeds (docs/API.md "Calendar feeds"): who may have
 * which feed, making, regenerating and revoking links, the feed itself over
 * HTTP (content type, ETag and Last-Modified, 304s, a new ETag after a
 * change), what the co-op's privacy setting lets a feed show, the QR code,
 * and refusals. The demo co-op gives everyone their feed links: Amira is a
 * carer, Susan may view Margaret's schedule, Margaret receives care.
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

#define COORDINATOR "coordinator@carecoop.example"
#define TREASURER   "treasurer@carecoop.example"
#define SUSAN       "susan@carecoop.example"
#define MARGARET    "margaret@carecoop.example"
#define AMIRA       "amira@carecoop.example"
#define BEN         "ben@carecoop.example"
#define PATH_LEN    200

/* The feed of this kind in GET /api/feeds (the first, for recipient). */
static const json_t *feed_of(struct harness_client *c, const char *kind)
{
	const struct harness_response *r = harness_get(c, "/api/feeds");
	const json_t *feeds, *f;
	size_t i;

	assert_status(r, 200);
	feeds = json_object_get(r->json, "feeds");
	assert_true(json_is_array(feeds));
	json_array_foreach (feeds, i, f)
		if (strcmp(api_json_str(f, "kind"), kind) == 0)
			return f;
	fail_msg("no %s feed in %.400s", kind, r->body);
	return NULL;
}

/* Copies the feed's path ("/ical/....ics") into out. */
static void feed_path(struct harness_client *c, const char *kind, char out[PATH_LEN])
{
	const json_t *f = feed_of(c, kind);

	assert_true(json_is_string(json_object_get(f, "path")));
	snprintf(out, PATH_LEN, "%s", api_json_str(f, "path"));
	assert_int_equal(strncmp(out, "/ical/", 6), 0);
	assert_int_equal(strlen(out), 6 + 64 + 4);
}

static const struct harness_response *get_with(struct harness_client *c, const char *path,
					       const char *header)
{
	const char *headers[] = {header, NULL};
	struct harness_request rq = {.path = path, .headers = headers, .no_cookies = true};

	return harness_request(c, &rq);
}

static void who_has_which_feeds(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *amira = api_client_login(srv, AMIRA);
	struct harness_client *susan = api_client_login(srv, SUSAN);
	struct harness_client *coord = api_client_login(srv, COORDINATOR);
	struct harness_client *treasurer = api_client_login(srv, TREASURER);
	const struct harness_response *r;
	const json_t *f;

	f = feed_of(amira, "carer");
	assert_string_equal(api_json_str(f, "person_name"), "Amira");
	f = feed_of(susan, "recipient");
	assert_string_equal(api_json_str(f, "person_name"), "Margaret");
	feed_of(coord, "coordinator");
	r = harness_get(treasurer, "/api/feeds");
	assert_status(r, 200);
	assert_int_equal(json_array_size(json_object_get(r->json, "feeds")), 0);
	/* The privacy setting is shown to everyone. */
	assert_string_equal(api_json_str(json_object_get(r->json, "settings"), "location"), "area");
	/* Not signed in: no list. */
	r = harness_get(harness_client_new(srv), "/api/feeds");
	assert_status(r, 401);
}

static void serving_caching_and_conditionals(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *amira = api_client_login(srv, AMIRA);
	struct harness_client *anon = harness_client_new(srv);
	const struct harness_response *r;
	char path[PATH_LEN], etag[80], lm[64], hdr[160];

	feed_path(amira, "carer", path);
	r = harness_get(anon, path);
	assert_status(r, 200);
	assert_string_equal(harness_response_header(r, "Content-Type"),
			    "text/calendar; charset=utf-8");
	assert_true(api_contains(r->body, "BEGIN:VCALENDAR\r\n"));
	assert_true(api_contains(r->body, "\r\nBEGIN:VEVENT\r\n"));
	assert_true(api_contains(r->body, "NAME:Dart Valley Care Co-operative: Amira's visits"));
	assert_non_null(harness_response_header(r, "ETag"));
	assert_non_null(harness_response_header(r, "Last-Modified"));
	snprintf(etag, sizeof etag, "%s", harness_response_header(r, "ETag"));
	snprintf(lm, sizeof lm, "%s", harness_response_header(r, "Last-Modified"));

	/* The same bytes again, then 304 on either validator. */
	r = harness_get(anon, path);
	assert_status(r, 200);
	assert_string_equal(harness_response_header(r, "ETag"), etag);
	snprintf(hdr, sizeof hdr, "If-None-Match: %s", etag);
	r = get_with(anon, path, hdr);
	assert_status(r, 304);
	assert_int_equal(r->body_len, 0);
	assert_string_equal(harness_response_header(r, "ETag"), etag);
	snprintf(hdr, sizeof hdr, "If-Modified-Since: %s", lm);
	r = get_with(anon, path, hdr);
	assert_status(r, 304);
	/* If-None-Match wins: a stale ETag gets the feed even with a fresh date. */
	{
		const char *both[] = {"If-None-Match: \"stale\"", hdr, NULL};
		struct harness_request rq = {.path = path, .headers = both};

		r = harness_request(anon, &rq);
		assert_status(r, 200);
	}
	r = get_with(anon, path, "If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT");
	assert_status(r, 200);
	/* HEAD: headers only. */
	{
		struct harness_request rq = {.method = "HEAD", .path = path};

		r = harness_request(anon, &rq);
		assert_status(r, 200);
		assert_int_equal(r->body_len, 0);
	}
	/* A feed is read-only. */
	{
		struct harness_request rq = {.method = "POST",
					     .path = path,
					     .body = "x",
					     .body_len = 1,
					     .content_type = "text/plain"};

		r = harness_request(anon, &rq);
		assert_api_error(r, 405, NULL);
	}
	/* A change the feed shows (the co-op's setting) gives new bytes. */
	{
		struct harness_client *coord = api_client_login(srv, COORDINATOR);

		r = harness_send_json(coord, "PUT", "/api/feed-settings", "{s:s}", "location",
				      "address");
		assert_status(r, 200);
		r = get_with(anon, path, hdr);
		assert_status(r, 200);
		assert_string_not_equal(harness_response_header(r, "ETag"), etag);
	}
}

static void wrong_revoked_and_regenerated_tokens(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *amira = api_client_login(srv, AMIRA);
	struct harness_client *anon = harness_client_new(srv);
	const struct harness_response *r;
	char old[PATH_LEN], fresh[PATH_LEN], del[PATH_LEN];
	const json_t *f;

	feed_path(amira, "carer", old);
	assert_status(harness_get(anon, old), 200);
	assert_api_error(
		harness_get(anon,
			    "/ical/"
			    "0000000000000000000000000000000000000000000000000000000000000000.ics"),
		404, NULL);
	assert_api_error(harness_get(anon, "/ical/nothex.ics"), 404, NULL);
	assert_api_error(harness_get(anon, "/ical/"), 404, NULL);

	/* Regenerate: a new link, the old one is dead at once (it was cached). */
	r = harness_send_json(amira, "POST", "/api/feeds", "{s:s, s:I}", "kind", "carer",
			      "person_id", api_json_int(feed_of(amira, "carer"), "person_id"));
	assert_status(r, 201);
	snprintf(fresh, sizeof fresh, "%s", api_json_str(json_object_get(r->json, "feed"), "path"));
	assert_string_not_equal(fresh, old);
	assert_api_error(harness_get(anon, old), 404, NULL);
	assert_status(harness_get(anon, fresh), 200);

	/* Revoke: gone, and the list offers to make a new one. */
	f = feed_of(amira, "carer");
	snprintf(del, sizeof del, "/api/feeds/%lld", api_json_int(f, "id"));
	assert_status(harness_send_json(amira, "DELETE", del, NULL), 200);
	assert_api_error(harness_get(anon, fresh), 404, NULL);
	assert_true(json_is_null(json_object_get(feed_of(amira, "carer"), "path")));
	assert_api_error(harness_send_json(amira, "DELETE", del, NULL), 404, "id");
}

static void refusals(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *amira = api_client_login(srv, AMIRA);
	struct harness_client *ben = api_client_login(srv, BEN);
	struct harness_client *susan = api_client_login(srv, SUSAN);
	struct harness_client *coord = api_client_login(srv, COORDINATOR);
	long long amira_id = api_person_id(coord, AMIRA);
	long long margaret_id = api_person_id(coord, MARGARET);
	const json_t *f;
	char path[PATH_LEN];
	const struct harness_response *r;

	/* Someone else's feed, or a kind one is not entitled to: 404. */
	assert_api_error(harness_send_json(ben, "POST", "/api/feeds", "{s:s, s:I}", "kind", "carer",
					   "person_id", (json_int_t)amira_id),
			 404, "person_id");
	assert_api_error(harness_send_json(amira, "POST", "/api/feeds", "{s:s, s:I}", "kind",
					   "recipient", "person_id", (json_int_t)margaret_id),
			 404, "person_id");
	assert_api_error(
		harness_send_json(amira, "POST", "/api/feeds", "{s:s}", "kind", "coordinator"), 404,
		"person_id");
	/* Bad bodies name the field. */
	assert_api_error(harness_send_json(amira, "POST", "/api/feeds", "{s:s}", "kind", "family"),
			 400, "kind");
	assert_api_error(harness_send_json(amira, "POST", "/api/feeds", "{}"), 400, "kind");
	assert_api_error(harness_send_json(amira, "POST", "/api/feeds", "{s:s}", "kind", "carer"),
			 400, "person_id");
	assert_api_error(harness_send_json(amira, "POST", "/api/feeds", "{s:s, s:s}", "kind",
					   "carer", "person_id", "1"),
			 400, "person_id");
	assert_api_error(harness_send_json(coord, "POST", "/api/feeds", "{s:s, s:i}", "kind",
					   "coordinator", "person_id", 3),
			 400, "person_id");
	/* CSRF on every change. */
	{
		struct harness_request rq = {.method = "POST",
					     .path = "/api/feeds",
					     .body = "{\"kind\":\"carer\"}",
					     .body_len = 16,
					     .content_type = "application/json",
					     .csrf = HARNESS_CSRF_NONE};

		assert_api_error(harness_request(amira, &rq), 403, "X-CSRF-Token");
	}
	/* Only staff change what feeds show; values are checked. */
	assert_api_error(harness_send_json(amira, "PUT", "/api/feed-settings", "{s:s}", "location",
					   "address"),
			 403, NULL);
	assert_api_error(harness_send_json(coord, "PUT", "/api/feed-settings", "{s:s}", "location",
					   "street"),
			 400, "location");
	assert_api_error(harness_send_json(coord, "PUT", "/api/feed-settings", "{s:i}",
					   "refresh_minutes", 5),
			 400, "refresh_minutes");
	assert_api_error(harness_send_json(coord, "PUT", "/api/feed-settings", "{s:s}",
					   "include_tasks", "yes"),
			 400, "include_tasks");
	/* Someone else's QR code: 404; one's own is an SVG not kept by caches. */
	f = feed_of(susan, "recipient");
	snprintf(path, sizeof path, "/api/feeds/%lld/qr.svg", api_json_int(f, "id"));
	assert_api_error(harness_get(amira, path), 404, "id");
	r = harness_get(susan, path);
	assert_status(r, 200);
	assert_string_equal(harness_response_header(r, "Content-Type"), "image/svg+xml");
	assert_string_equal(harness_response_header(r, "Cache-Control"), "no-store");
	assert_true(api_contains(r->body, "<svg"));
	snprintf(path + strlen(path), sizeof path - strlen(path), "?scheme=ftp");
	assert_api_error(harness_get(susan, path), 400, "scheme");
}

static void privacy_setting(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *coord = api_client_login(srv, COORDINATOR);
	struct harness_client *anon = harness_client_new(srv);
	const struct harness_response *r;
	char path[PATH_LEN];

	feed_path(coord, "coordinator", path);
	r = harness_get(anon, path);
	assert_status(r, 200);
	/* By default: first names and areas, no tasks, no street addresses. */
	assert_false(api_contains(r->body, "DESCRIPTION:Tasks"));
	assert_false(api_contains(r->body, "Tasks:"));
	assert_true(api_contains(r->body, "\r\nLOCATION:"));
	r = harness_send_json(coord, "PUT", "/api/feed-settings", "{s:s, s:b, s:i}", "location",
			      "none", "include_tasks", 1, "refresh_minutes", 30);
	assert_status(r, 200);
	assert_string_equal(api_json_str(json_object_get(r->json, "settings"), "location"), "none");
	r = harness_get(anon, path);
	assert_status(r, 200);
	assert_false(api_contains(r->body, "\r\nLOCATION:"));
	assert_true(api_contains(r->body, "Tasks:"));
	assert_true(api_contains(r->body, "REFRESH-INTERVAL;VALUE=DURATION:PT30M"));
}

static void cancellation_reaches_the_feed(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *amira = api_client_login(srv, AMIRA);
	struct harness_client *coord = api_client_login(srv, COORDINATOR);
	struct harness_client *anon = harness_client_new(srv);
	const struct harness_response *r;
	char path[PATH_LEN], cancel[PATH_LEN], uid_line[128], *p;
	const json_t *visits, *v;
	long long visit_id = 0;
	size_t i;

	feed_path(amira, "carer", path);
	/* One of Amira's visits in a published week, from her own week view. */
	{
		char week[PATH_LEN];
		const json_t *w;

		r = harness_get(coord, "/api/rota/weeks");
		assert_status(r, 200);
		w = json_array_get(json_object_get(r->json, "weeks"), 1); /* next week */
		assert_non_null(w);
		snprintf(week, sizeof week, "/api/me/visits?week=%s",
			 api_json_str(w, "week_start"));
		r = harness_get(amira, week);
		assert_status(r, 200);
		visits = json_object_get(r->json, "visits");
		json_array_foreach (visits, i, v) {
			visit_id = api_json_int(v, "id");
			break;
		}
	}
	assert_true(visit_id > 0);
	snprintf(cancel, sizeof cancel, "/api/visits/%lld/cancel", visit_id);
	assert_api_error(harness_send_json(amira, "POST", cancel, "{}"), 403, NULL);
	r = harness_send_json(coord, "POST", cancel, "{s:s}", "reason", "in hospital");
	assert_status(r, 200);
	assert_string_equal(api_json_str(json_object_get(r->json, "visit"), "status"), "cancelled");
	assert_api_error(harness_send_json(coord, "POST", cancel, "{}"), 409, "id");
	snprintf(uid_line, sizeof uid_line, "UID:%s\r\n",
		 api_json_str(json_object_get(r->json, "visit"), "uid"));
	r = harness_get(anon, path);
	assert_status(r, 200);
	p = strstr(r->body, uid_line);
	assert_non_null(p);
	p = strstr(p, "STATUS:");
	assert_non_null(p);
	assert_int_equal(strncmp(p, "STATUS:CANCELLED\r\n", 18), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(who_has_which_feeds, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(serving_caching_and_conditionals, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(wrong_revoked_and_regenerated_tokens,
						api_server_setup, api_server_teardown),
		cmocka_unit_test_setup_teardown(refusals, api_server_setup, api_server_teardown),
		cmocka_unit_test_setup_teardown(privacy_setting, api_server_setup,
						api_server_teardown),
		cmocka_unit_test_setup_teardown(cancellation_reaches_the_feed, api_server_setup,
						api_server_teardown),
	};

	return cmocka_run_group_tests_name("api_feeds", tests, NULL, NULL);
}
