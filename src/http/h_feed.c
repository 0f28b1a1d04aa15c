/*
 * h_feed: calendar feeds. GET /ical/TOKEN.ics serves a subscriber's feed to
 * calendar apps (no session: the 256-bit token is the credential); the
 * /api/feeds routes let a logged-in person see, make, regenerate and revoke
 * their feed links, and a coordinator set what feeds show.
 *
 * Generated feeds are cached in memory, keyed by the token's digest, and
 * kept while the database's feed generation (raised by triggers on every
 * change a feed can show) and the day are unchanged. A cached feed is
 * shared by reference with MHD, which releases it after sending.
 */
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/token.h"
#include "core/feed.h"
#include "core/text.h"
#include "db/db_coop.h"
#include "db/db_feed.h"
#include "db/db_people.h"
#include "http/http_internal.h"
#include "tz/ical_feed.h"

#define FEED_CACHE_SLOTS 4096   /* direct-mapped by digest */
#define FEED_EVENTS_MAX  100000 /* a feed larger than this is refused */

/* One generated feed, shared by the cache and the responses sending it. */
struct feed_blob {
	unsigned refs;      /* under cache_lock */
	char digest[65];    /* the token's SHA-256: the cache key */
	int64_t generation; /* feed_state.generation it was built at */
	int64_t day;        /* UTC day it was built on (windows move daily) */
	char *text;         /* ical_text_free */
	size_t len;
	char etag[40];         /* strong: a hash of the bytes */
	int64_t last_modified; /* when these bytes were first served */
	char last_modified_http[40];
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct feed_blob *cache[FEED_CACHE_SLOTS];

static void blob_release(void *p)
{
	struct feed_blob *b = p;
	bool last;

	if (b == NULL)
		return;
	pthread_mutex_lock(&cache_lock);
	last = --b->refs == 0;
	pthread_mutex_unlock(&cache_lock);
	if (last) {
		ical_text_free(b->text);
		free(b);
	}
}

static unsigned slot_of(const char *digest)
{
	unsigned h = 0;

	for (int i = 0; i < 8; i++)
		h = h * 16 + (unsigned)(digest[i] <= '9' ? digest[i] - '0' : digest[i] - 'a' + 10);
	return h % FEED_CACHE_SLOTS;
}

void http_feed_cache_free(void)
{
	for (unsigned i = 0; i < FEED_CACHE_SLOTS; i++) {
		blob_release(cache[i]);
		cache[i] = NULL;
	}
}

static void http_date(int64_t t, char out[40])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 40, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* A reference to the cached feed for digest if it is still current. */
static struct feed_blob *cache_get(const char *digest, int64_t generation, int64_t day)
{
	struct feed_blob *b;

	pthread_mutex_lock(&cache_lock);
	b = cache[slot_of(digest)];
	if (b != NULL && b->generation == generation && b->day == day &&
	    strcmp(b->digest, digest) == 0)
		b->refs++;
	else
		b = NULL;
	pthread_mutex_unlock(&cache_lock);
	return b;
}

/* Stores b (the cache takes its own reference), dropping what was there.
 * Last-Modified is when the bytes last changed: kept from the feed it
 * replaces when the bytes are the same, else b's build time. (No event's
 * own time would do: a visit reassigned away leaves no event behind.) */
static void cache_put(struct feed_blob *b)
{
	struct feed_blob *old;
	unsigned slot = slot_of(b->digest);

	pthread_mutex_lock(&cache_lock);
	old = cache[slot];
	if (old != NULL && strcmp(old->digest, b->digest) == 0) {
		if (strcmp(old->etag, b->etag) == 0)
			b->last_modified = old->last_modified;
		else if (b->last_modified <= old->last_modified)
			/* Changed within the same second: HTTP dates have whole
			 * seconds, and If-Modified-Since must not hide the change. */
			b->last_modified = old->last_modified + 1;
	}
	http_date(b->last_modified, b->last_modified_http);
	b->refs++;
	cache[slot] = b;
	pthread_mutex_unlock(&cache_lock);
	blob_release(old);
}

/* Building a feed: the visits, turned into events. */
struct build {
	const struct db_feed *feed;
	struct feed_settings settings;
	struct ical_event *events;
	struct feed_text *texts;
	size_t n, cap;
	bool failed;
};

static int add_visit(const struct db_feed_visit *v, void *arg)
{
	struct build *b = arg;
	struct feed_visit fv = {
		.recipient_name = v->recipient_name,
		.area = v->area,
		.address = v->address,
		.tasks = v->tasks,
		.ncarers = v->ncarers,
		.carers_needed = v->carers_needed,
		.cancelled = v->cancelled,
	};
	char *uid;

	if (b->n == b->cap) {
		size_t cap = b->cap == 0 ? 64 : 2 * b->cap;
		void *e, *t;

		if (cap > FEED_EVENTS_MAX ||
		    (e = realloc(b->events, cap * sizeof *b->events)) == NULL) {
			b->failed = true;
			return 1;
		}
		b->events = e;
		if ((t = realloc(b->texts, cap * sizeof *b->texts)) == NULL) {
			b->failed = true;
			return 1;
		}
		b->texts = t;
		b->cap = cap;
	}
	for (unsigned i = 0; i < v->ncarers; i++) {
		fv.carer_name[i] = v->carer_name[i];
		fv.carer_id[i] = v->carer_id[i];
	}
	if ((uid = strdup(v->uid)) == NULL) {
		b->failed = true;
		return 1;
	}
	feed_visit_text(b->feed->kind, &b->settings, &fv, b->feed->person_id, &b->texts[b->n]);
	b->events[b->n] = (struct ical_event){
		.uid = uid,
		.sequence = v->sequence,
		.start_utc = v->starts_at,
		.minutes = v->minutes,
		.cancelled = v->cancelled,
		.last_modified = v->updated_at,
	}; /* the text pointers are set once b->texts stops moving */
	b->n++;
	return 0;
}

static void build_free(struct build *b)
{
	for (size_t i = 0; i < b->n; i++)
		free((char *)b->events[i].uid);
	free(b->events);
	free(b->texts);
}

/* What the feed holds, as its title on the feed page ("Amira's visits"). */
static void feed_title(const struct db_feed *f, char *out, size_t n)
{
	switch (f->kind) {
	case FEED_CARER:
		snprintf(out, n, "%s's visits", f->person_name);
		break;
	case FEED_RECIPIENT:
		snprintf(out, n, "care visits for %s", f->person_name);
		break;
	case FEED_COORDINATOR:
		snprintf(out, n, "all visits");
		break;
	}
}

/* The name calendar apps show: the co-op's name and the feed's title. */
static void calendar_name(const struct db_feed *f, const char *coop, char *out, size_t n)
{
	char title[FEED_TEXT_MAX];

	feed_title(f, title, sizeof title);
	snprintf(out, n, "%s: %s", coop, title);
}

/* Builds the feed of f as it is now. NULL on failure (logged by the
 * caller's 500). */
static struct feed_blob *feed_build(struct db *db, const struct db_feed *f, const char *digest,
				    int64_t generation, int64_t day)
{
	struct build b = {.feed = f};
	struct feed_blob *blob = NULL;
	char coop[DB_TEXT_SHORT] = "carecoop", tzid[64] = "Europe/London", name[256], err[128];
	char hash[TOKEN_HEX_LEN + 1];
	int64_t midnight = day * 86400;
	struct ical_calendar cal;
	size_t len = 0;
	char *text;

	if (db_feed_settings_get(db, &b.settings) <= 0 || db_coop_name(db, coop, sizeof coop) < 0 ||
	    db_coop_timezone(db, tzid, sizeof tzid) < 0)
		return NULL;
	if (db_feed_visits(db, f, midnight - FEED_HISTORY_S, midnight - FEED_CANCEL_KEEP_S,
			   add_visit, &b) < 0 ||
	    b.failed) {
		build_free(&b);
		return NULL;
	}
	for (size_t i = 0; i < b.n; i++) {
		b.events[i].summary = b.texts[i].summary;
		b.events[i].location = b.texts[i].location;
		b.events[i].description = b.texts[i].description;
	}
	calendar_name(f, coop, name, sizeof name);
	cal = (struct ical_calendar){
		.name = name,
		.tzid = tzid,
		.refresh_minutes = b.settings.refresh_minutes,
		.window_start = midnight - FEED_HISTORY_S,
		.events = b.events,
		.nevents = b.n,
	};
	text = ical_feed_render(&cal, &len, err, sizeof err);
	build_free(&b);
	if (text == NULL || (blob = calloc(1, sizeof *blob)) == NULL) {
		ical_text_free(text);
		return NULL;
	}
	blob->refs = 1;
	text_copy(blob->digest, sizeof blob->digest, digest);
	blob->generation = generation;
	blob->day = day;
	blob->text = text;
	blob->len = len;
	token_digest_hex(text, hash);
	snprintf(blob->etag, sizeof blob->etag, "\"%.32s\"", hash);
	blob->last_modified = db_now();
	return blob;
}

/* If-Modified-Since as UTC seconds, or -1 when absent or unreadable. */
static int64_t if_modified_since(struct http_req *req)
{
	const char *h = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
						    MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
	struct tm tm = {0};
	const char *end;

	if (h == NULL || (end = strptime(h, "%a, %d %b %Y %H:%M:%S GMT", &tm)) == NULL ||
	    *end != '\0')
		return -1;
	return (int64_t)timegm(&tm);
}

static enum MHD_Result feed_not_found(struct http_req *req)
{
	return http_reply_error(req, 404, NULL, "no such calendar feed");
}

enum MHD_Result h_ical_feed_or_reply(struct http_req *req)
{
	char token[TOKEN_HEX_LEN + 1], digest[TOKEN_HEX_LEN + 1];
	struct db_feed f;
	struct feed_blob *blob;
	struct MHD_Response *resp;
	int64_t generation, day = db_now() / 86400, ims;
	const char *inm;
	int rc;

	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
		http_req_add_header(req, "Allow", "GET, HEAD");
		return http_reply_error(req, 405, NULL, "%s is not allowed here; use GET, HEAD",
					req->method);
	}
	if (feed_path_token(req->path, token) != 0)
		return feed_not_found(req);
	token_digest_hex(token, digest);
	token_wipe(token, sizeof token);
	/* The cache holds only feeds that were valid at this generation; every
	 * revocation or loss of entitlement raises it (schema 007). */
	if ((generation = db_feed_generation(req->db)) < 0)
		return http_reply_error(req, 500, NULL, "could not read the feed");
	blob = cache_get(digest, generation, day);
	if (blob == NULL) {
		rc = db_feed_by_digest(req->db, digest, &f);
		token_wipe(f.token, sizeof f.token);
		if (rc == 0)
			return feed_not_found(req);
		if (rc < 0)
			return http_reply_error(req, 500, NULL, "could not read the feed");
		if ((blob = feed_build(req->db, &f, digest, generation, day)) == NULL)
			return http_reply_error(req, 500, NULL, "could not build the feed");
		cache_put(blob);
	}
	inm = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
					  MHD_HTTP_HEADER_IF_NONE_MATCH);
	/* RFC 9110 section 13.2.2: If-None-Match wins over If-Modified-Since. */
	if (inm != NULL ? http_etag_matches(inm, blob->etag)
			: ((ims = if_modified_since(req)) >= 0 && blob->last_modified <= ims)) {
		resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		rc = 304;
	} else {
		pthread_mutex_lock(&cache_lock);
		blob->refs++; /* the response's, released by MHD after sending */
		pthread_mutex_unlock(&cache_lock);
		resp = MHD_create_response_from_buffer_with_free_callback_cls(blob->len, blob->text,
									      blob_release, blob);
		if (resp == NULL)
			blob_release(blob);
		rc = 200;
	}
	if (resp != NULL) {
		MHD_add_response_header(resp, "ETag", blob->etag);
		MHD_add_response_header(resp, "Last-Modified", blob->last_modified_http);
		/* The URL is a secret: no shared caches; clients revalidate. */
		MHD_add_response_header(resp, "Cache-Control", "private, no-cache");
		if (rc == 200)
			MHD_add_response_header(resp, "Content-Type",
						"text/calendar; charset=utf-8");
	}
	blob_release(blob);
	if (resp == NULL)
		return MHD_NO;
	return http_queue(req, (unsigned)rc, resp);
}

/* The feeds a person can subscribe to (docs/API.md "Calendar feeds"). */

static json_t *settings_json(const struct feed_settings *s)
{
	return json_pack("{s:s, s:b, s:i}", "location", feed_location_name(s->location),
			 "include_tasks", s->include_tasks, "refresh_minutes", s->refresh_minutes);
}

static json_t *feed_json(const struct db_feed *f)
{
	char path[FEED_TOKEN_PATH_MAX], title[256];
	json_t *o;

	feed_title(f, title, sizeof title);
	o = json_pack("{s:s, s:s, s:s}", "kind", feed_kind_name(f->kind), "person_name",
		      f->person_name, "title", title);
	if (o == NULL)
		return NULL;
	json_object_set_new(o, "person_id",
			    f->person_id > 0 ? json_integer(f->person_id) : json_null());
	if (f->id > 0) {
		snprintf(path, sizeof path, "/ical/%s.ics", f->token);
		json_object_set_new(o, "id", json_integer(f->id));
		json_object_set_new(o, "path", json_string(path));
		json_object_set_new(o, "created_at", json_integer(f->created_at));
	} else {
		json_object_set_new(o, "id", json_null());
		json_object_set_new(o, "path", json_null());
	}
	return o;
}

static int add_option(const struct db_feed *f, void *arg)
{
	json_t *o = feed_json(f);

	return o == NULL || json_array_append_new(arg, o) != 0;
}

enum MHD_Result h_feeds_list(struct http_req *req)
{
	struct feed_settings s;
	json_t *feeds = json_array();

	if (feeds == NULL || db_feed_settings_get(req->db, &s) <= 0 ||
	    db_feed_each_option(req->db, req->user.id, add_option, feeds) < 0) {
		json_decref(feeds);
		return http_reply_error(req, 500, NULL, "could not read your feeds");
	}
	return http_reply_json(req, 200,
			       json_pack("{s:o, s:o, s:s?}", "settings", settings_json(&s), "feeds",
					 feeds, "public_url", req->cfg->public_url));
}

struct issue {
	struct db_feed feed;
	char digest[TOKEN_HEX_LEN + 1];
};

static int issue_feed(struct db *db, void *arg)
{
	struct issue *is = arg;
	int rc = db_feed_entitled(db, is->feed.user_id, is->feed.kind, is->feed.person_id);

	if (rc <= 0)
		return rc;
	if (db_feed_issue(db, &is->feed, is->digest, db_now(), &is->feed.id) < 0)
		return -1;
	if (db_audit(db, is->feed.user_id, "create", "feed", is->feed.id,
		     feed_kind_name(is->feed.kind)) < 0)
		return -1;
	return db_feed_get(db, is->feed.id, &is->feed);
}

enum MHD_Result h_feeds_issue(struct http_req *req)
{
	struct issue is = {.feed.user_id = req->user.id};
	char kind[16];
	struct field_err e;
	enum MHD_Result r;
	int k, rc;

	if (jf_string(req->json, "kind", kind, sizeof kind, JF_REQUIRED, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	if ((k = feed_kind_parse(kind)) < 0)
		return http_reply_error(req, 400, "kind",
					"kind must be carer, recipient or coordinator");
	is.feed.kind = (enum feed_kind)k;
	if (jf_int(req->json, "person_id", 1, INT64_MAX, &is.feed.person_id,
		   is.feed.kind == FEED_COORDINATOR ? 0 : JF_REQUIRED, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	if (is.feed.kind == FEED_COORDINATOR && is.feed.person_id != 0)
		return http_reply_error(req, 400, "person_id",
					"a coordinator's feed is not for one person");
	if (token_new_hex(is.feed.token) != 0)
		return http_reply_error(req, 500, NULL, "no randomness for a new feed");
	token_digest_hex(is.feed.token, is.digest);
	rc = db_tx(req->db, issue_feed, &is);
	if (rc == 0)
		r = http_reply_error(req, 404, "person_id", "there is no such feed for you");
	else if (rc < 0)
		r = http_reply_error(req, 500, NULL, "could not make the feed");
	else
		r = http_reply_json(req, 201, json_pack("{s:o}", "feed", feed_json(&is.feed)));
	token_wipe(is.feed.token, sizeof is.feed.token);
	return r;
}

struct revoke {
	int64_t id, user_id;
};

static int revoke_feed(struct db *db, void *arg)
{
	struct revoke *rv = arg;
	int rc = db_feed_revoke(db, rv->id, rv->user_id, db_now());

	if (rc <= 0)
		return rc;
	return db_audit(db, rv->user_id, "delete", "feed", rv->id, "revoked");
}

enum MHD_Result h_feeds_revoke(struct http_req *req)
{
	struct revoke rv = {.id = req->params[0], .user_id = req->user.id};
	int rc = db_tx(req->db, revoke_feed, &rv);

	if (rc == 0)
		return http_reply_error(req, 404, "id", "you have no live feed %lld",
					(long long)rv.id);
	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not revoke the feed");
	return http_reply_json(req, 200, json_pack("{s:b}", "ok", 1));
}

/* The scheme and host links are made with: the configured public URL, or
 * the request's Host header (https when the server sets Secure cookies,
 * i.e. runs behind TLS). */
static int feed_base_url(struct http_req *req, char *out, size_t n)
{
	const char *host;

	if (req->cfg->public_url != NULL && req->cfg->public_url[0] != '\0') {
		const char *u = req->cfg->public_url;
		size_t len = strlen(u);

		while (len > 0 && u[len - 1] == '/')
			len--;
		return snprintf(out, n, "%.*s", (int)len, u) < (int)n ? 0 : -1;
	}
	host = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	if (host == NULL || host[0] == '\0' || strlen(host) > 255 ||
	    strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") !=
		    strlen(host))
		return -1;
	return snprintf(out, n, "%s://%s", req->cfg->secure_cookies ? "https" : "http", host) <
			       (int)n
		       ? 0
		       : -1;
}

/* The QR code as SVG: one square per dark module, a 4-module quiet zone. */
static int qr_svg(const QRcode *qr, struct textbuf *b)
{
	char line[320];
	int size = qr->width + 8;

	snprintf(line, sizeof line,
		 "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		 "shape-rendering=\"crispEdges\" role=\"img\"><title>QR code of the feed "
		 "link</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path d=\"",
		 size, size, size, size);
	textbuf_add(b, line, strlen(line));
	for (int y = 0; y < qr->width; y++)
		for (int x = 0; x < qr->width; x++)
			if (qr->data[y * qr->width + x] & 1) {
				int n = snprintf(line, sizeof line, "M%d %dh1v1h-1z", x + 4, y + 4);
				textbuf_add(b, line, (size_t)n);
			}
	textbuf_add(b, "\" fill=\"#000\"/></svg>\n", 22);
	return b->failed ? -1 : 0;
}

enum MHD_Result h_feeds_qr(struct http_req *req)
{
	const char *scheme = http_query(req, "scheme");
	char base[300], url[600];
	struct db_feed f;
	struct textbuf b = {0};
	struct MHD_Response *resp;
	QRcode *qr;
	int rc = db_feed_get(req->db, req->params[0], &f);

	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not read the feed");
	if (rc == 0 || f.user_id != req->user.id)
		return http_reply_error(req, 404, "id", "you have no live feed %lld",
					(long long)req->params[0]);
	if (scheme[0] != '\0' && strcmp(scheme, "webcal") != 0 && strcmp(scheme, "https") != 0)
		return http_reply_error(req, 400, "scheme", "scheme must be webcal or https");
	if (feed_base_url(req, base, sizeof base) != 0)
		return http_reply_error(req, 400, "Host",
					"the Host header is missing or not a host name");
	if (strcmp(scheme, "https") == 0)
		snprintf(url, sizeof url, "%s/ical/%s.ics", base, f.token);
	else /* webcal: the same address, so that phones offer to subscribe */
		snprintf(url, sizeof url, "webcal%s/ical/%s.ics", strchr(base, ':'), f.token);
	token_wipe(f.token, sizeof f.token);
	qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	token_wipe(url, sizeof url);
	if (qr == NULL)
		return http_reply_error(req, 500, NULL, "could not make the QR code");
	rc = qr_svg(qr, &b);
	QRcode_free(qr);
	if (rc != 0) {
		textbuf_free(&b);
		return http_reply_error(req, 500, NULL, "could not make the QR code");
	}
	resp = MHD_create_response_from_buffer(b.len, b.data, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		textbuf_free(&b);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", "image/svg+xml");
	MHD_add_response_header(resp, "Cache-Control", "no-store"); /* it carries the secret */
	return http_queue(req, 200, resp);
}

struct settings_change {
	struct feed_settings s;
	int64_t user_id;
};

static int save_settings(struct db *db, void *arg)
{
	struct settings_change *c = arg;
	char detail[96];

	if (db_feed_settings_set(db, &c->s, db_now()) < 0)
		return -1;
	snprintf(detail, sizeof detail, "location=%s include_tasks=%d refresh_minutes=%d",
		 feed_location_name(c->s.location), c->s.include_tasks, c->s.refresh_minutes);
	return db_audit(db, c->user_id, "update", "feed_settings", 1, detail);
}

enum MHD_Result h_feed_settings_set(struct http_req *req)
{
	struct settings_change c = {.user_id = req->user.id};
	char loc[16] = "";
	int64_t refresh;
	struct field_err e;
	int l;

	if (db_feed_settings_get(req->db, &c.s) <= 0)
		return http_reply_error(req, 500, NULL, "could not read the feed settings");
	if (jf_string(req->json, "location", loc, sizeof loc, 0, &e) < 0 ||
	    jf_bool(req->json, "include_tasks", &c.s.include_tasks, 0, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	if (loc[0] != '\0') {
		if ((l = feed_location_parse(loc)) < 0)
			return http_reply_error(req, 400, "location",
						"location must be none, area or address");
		c.s.location = (enum feed_location)l;
	}
	refresh = c.s.refresh_minutes;
	if (jf_int(req->json, "refresh_minutes", 15, 1440, &refresh, 0, &e) < 0)
		return http_reply_field_error(req, 400, &e);
	c.s.refresh_minutes = (int)refresh;
	if (db_tx(req->db, save_settings, &c) < 0)
		return http_reply_error(req, 500, NULL, "could not save the feed settings");
	return http_reply_json(req, 200, json_pack("{s:o}", "settings", settings_json(&c.s)));
}
