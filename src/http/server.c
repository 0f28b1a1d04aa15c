/*
 * server: the libmicrohttpd daemon and the request pipeline.
 *
 * MHD calls the access handler several times per request: first with no
 * body (we set up the request context and may refuse early: URL length,
 * Content-Length over the cap), then with each piece of the body (gathered
 * up to the cap, the rest discarded), then a last time with no data, when
 * the request is dispatched: route lookup -> session -> role -> CSRF ->
 * content type -> JSON parse -> handler. The context is freed in the
 * completion callback, which also writes the one log line per request.
 *
 * Each worker thread of MHD's pool keeps its own SQLite connection.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "auth/password.h"
#include "auth/token.h"
#include "core/roles.h"
#include "core/text.h"
#include "http/http_internal.h"

#define MAX_WORKER_DBS 256

struct http_server {
	struct MHD_Daemon *daemon;
	struct http_config cfg;
	char db_path[4096];
	char web_dir[4096];
	unsigned port;
};

/* Connections opened by worker threads, closed at stop. */
static pthread_mutex_t dbs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db *dbs[MAX_WORKER_DBS];
static unsigned ndbs;
static __thread struct db *thread_db;

void http_config_defaults(struct http_config *cfg)
{
	cfg->body_max = 1024 * 1024;
	cfg->threads = 8;
	cfg->conn_limit = 1024;
	cfg->per_ip_limit = 128;
	cfg->timeout_s = 30;
	cfg->secure_cookies = 0;
	cfg->session.idle = SESSION_IDLE_DEFAULT;
	cfg->session.absolute = SESSION_ABSOLUTE_DEFAULT;
	cfg->login_concurrency = 2;
}

static struct db *worker_db(const struct http_config *cfg)
{
	char err[256];

	if (thread_db != NULL)
		return thread_db;
	pthread_mutex_lock(&dbs_lock);
	if (ndbs < MAX_WORKER_DBS) {
		thread_db = db_open(cfg->db_path, err, sizeof err);
		if (thread_db != NULL)
			dbs[ndbs++] = thread_db;
		else
			fprintf(stderr, "carecoop: cannot open database: %s\n", err);
	}
	pthread_mutex_unlock(&dbs_lock);
	return thread_db;
}

static void client_ip(struct MHD_Connection *conn, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	text_copy(out, n, "-");
	if (ci == NULL || ci->client_addr == NULL)
		return;
	if (ci->client_addr->sa_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)ci->client_addr;
		inet_ntop(AF_INET, &a->sin_addr, out, (socklen_t)n);
	} else if (ci->client_addr->sa_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ci->client_addr;
		inet_ntop(AF_INET6, &a->sin6_addr, out, (socklen_t)n);
	}
}

static bool method_changes_state(const char *m)
{
	return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

static enum MHD_Result reply_405(struct http_req *req, const char *allow)
{
	http_req_add_header(req, "Allow", allow);
	return http_reply_error(req, 405, NULL, "%s is not allowed here; use %s", req->method,
				allow);
}

static bool content_type_is(struct http_req *req, const char *type)
{
	const char *ct = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Content-Type");
	size_t n = strlen(type);

	return ct != NULL && strncasecmp(ct, type, n) == 0 &&
	       (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static enum MHD_Result dispatch(struct http_req *req)
{
	const struct route *route = NULL;
	char allow[64] = "";
	bool path_known = false;

	/* Calendar apps cannot log in: the feed's secret token is in its path. */
	if (strncmp(req->path, "/ical/", 6) == 0) {
		if ((req->db = worker_db(req->cfg)) == NULL)
			return http_reply_error(req, 503, NULL, "database unavailable; try again");
		return h_ical_feed_or_reply(req);
	}
	for (unsigned i = 0; i < http_route_count; i++) {
		const struct route *r = &http_routes[i];
		if (!http_route_match(r->pattern, req->path, req->params, &req->nparams))
			continue;
		path_known = true;
		if (strcmp(r->method, req->method) == 0 ||
		    (strcmp(req->method, "HEAD") == 0 && strcmp(r->method, "GET") == 0)) {
			route = r;
			break;
		}
		if (strstr(allow, r->method) == NULL) {
			if (allow[0] != '\0')
				strncat(allow, ", ", sizeof allow - strlen(allow) - 1);
			strncat(allow, r->method, sizeof allow - strlen(allow) - 1);
		}
	}
	if (route == NULL) {
		if (path_known)
			return reply_405(req, allow);
		if (strncmp(req->path, "/api/", 5) == 0 || strcmp(req->path, "/api") == 0)
			return http_reply_error(req, 404, NULL, "no such route: %s %s", req->method,
						req->path);
		if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0)
			return reply_405(req, "GET, HEAD");
		return http_static_or_reply(req);
	}
	if (req->body_too_large)
		return http_reply_error(req, 413, "body", "request body is larger than %zu bytes",
					req->cfg->body_max);

	req->db = worker_db(req->cfg);
	if (req->db == NULL)
		return http_reply_error(req, 503, NULL, "database unavailable; try again");
	if (route->roles != 0 || method_changes_state(req->method)) {
		if (http_session_load(req) < 0)
			return http_reply_error(req, 500, NULL, "could not read the session");
	}
	if (route->roles != 0) {
		if (!req->authed && (route->flags & ROUTE_HTML_PAGE))
			return http_reply_see_other(req, "/index.html");
		if (!req->authed)
			return http_reply_error(req, 401, NULL, "not logged in");
		if ((req->user.roles & route->roles) == 0) {
			char need[96] = "";
			for (unsigned i = 0; i < ROLE_COUNT; i++) {
				if ((route->roles & role_at(i)) == 0)
					continue;
				if (need[0] != '\0')
					strncat(need, " or ", sizeof need - strlen(need) - 1);
				strncat(need, role_name(role_at(i)),
					sizeof need - strlen(need) - 1);
			}
			return http_reply_error(req, 403, NULL, "this needs the %s role", need);
		}
	}
	if (method_changes_state(req->method) && (route->flags & ROUTE_FORM_BODY)) {
		/* An HTML form cannot send a header: its token is a hidden field,
		 * compared in constant time like the header. A public form (the
		 * sign-in) has no session whose token it could carry. */
		const char *tok;

		if (!content_type_is(req, "application/x-www-form-urlencoded"))
			return http_reply_error(req, 415, "Content-Type",
						"Content-Type must be "
						"application/x-www-form-urlencoded");
		req->json = http_form_parse(req->body != NULL ? req->body : "", req->body_len);
		if (req->json == NULL)
			return http_reply_error(req, 400, "body", "malformed form body");
		tok = json_string_value(json_object_get(req->json, HTTP_CSRF_FIELD));
		if (route->roles != 0 && (tok == NULL || !token_equal(tok, req->session.csrf)))
			return http_reply_error(req, 403, HTTP_CSRF_FIELD,
						"missing or wrong CSRF token; reload the page");
		return route->handler(req);
	}
	if (method_changes_state(req->method) && req->authed) {
		const char *tok =
			MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, HTTP_CSRF_HEADER);
		if (tok == NULL || !token_equal(tok, req->session.csrf))
			return http_reply_error(req, 403, HTTP_CSRF_HEADER,
						"missing or wrong CSRF token; reload the page");
	}
	if ((route->flags & ROUTE_JSON_OPTIONAL) && req->body_len == 0) {
		req->json = json_object();
	} else if (route->flags & ROUTE_JSON_BODY) {
		json_error_t jerr;

		if (!content_type_is(req, "application/json"))
			return http_reply_error(req, 415, "Content-Type",
						"Content-Type must be application/json");
		req->json = json_loadb(req->body != NULL ? req->body : "", req->body_len,
				       JSON_REJECT_DUPLICATES, &jerr);
		if (req->json == NULL)
			return http_reply_error(req, 400, "body",
						"malformed JSON at line %d, column %d: %s",
						jerr.line, jerr.column, jerr.text);
		if (!json_is_object(req->json))
			return http_reply_error(req, 400, "body", "body must be a JSON object");
	}
	if ((route->flags & ROUTE_CSV_BODY) && !content_type_is(req, "text/csv"))
		return http_reply_error(req, 415, "Content-Type", "Content-Type must be text/csv");
	return route->handler(req);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **req_cls)
{
	struct http_server *srv = cls;
	struct http_req *req = *req_cls;

	(void)version;
	if (req == NULL)
		return MHD_NO; /* on_uri always sets it */
	if (req->conn == NULL) {
		req->conn = conn;
		req->cfg = &srv->cfg;
		clock_gettime(CLOCK_MONOTONIC, &req->t0);
		text_copy(req->method, sizeof req->method, method);
		client_ip(conn, req->ip, sizeof req->ip);
		if (req->uri_len > HTTP_URL_MAX ||
		    text_copy(req->path, sizeof req->path, url) != 0) {
			text_copy(req->path, 64, url);
			return http_reply_error(req, 414, NULL, "URL is longer than %d bytes",
						HTTP_URL_MAX);
		}
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		int64_t len;
		if (cl != NULL && (text_parse_i64(cl, 0, INT64_MAX, &len) != 0 ||
				   (uint64_t)len > srv->cfg.body_max))
			return http_reply_error(req, 413, "body",
						"request body is larger than %zu bytes",
						srv->cfg.body_max);
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;

		*upload_data_size = 0;
		if (req->body_too_large)
			return MHD_YES; /* discard */
		if (req->body_len + n > srv->cfg.body_max) {
			req->body_too_large = true;
			free(req->body);
			req->body = NULL;
			req->body_len = 0;
			return MHD_YES;
		}
		if (req->body_len + n + 1 > req->body_cap) {
			size_t cap = req->body_cap ? req->body_cap : 1024;
			while (cap < req->body_len + n + 1)
				cap *= 2;
			if (cap > srv->cfg.body_max + 1)
				cap = srv->cfg.body_max + 1;
			char *grown = realloc(req->body, cap);
			if (grown == NULL)
				return MHD_NO;
			req->body = grown;
			req->body_cap = cap;
		}
		memcpy(req->body + req->body_len, upload_data, n);
		req->body_len += n;
		req->body[req->body_len] = '\0';
		return MHD_YES;
	}
	if (req->status != 0)
		return MHD_YES; /* already replied on an earlier call */
	return dispatch(req);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_req *req = *req_cls;
	struct timespec t1;
	char path[256];

	(void)cls;
	(void)conn;
	if (req == NULL)
		return;
	if (req->conn == NULL) {
		free(req); /* the request never reached the handler */
		*req_cls = NULL;
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - req->t0.tv_sec) * 1e3 +
		    (double)(t1.tv_nsec - req->t0.tv_nsec) / 1e6;
	text_redact_path(req->path, path, sizeof path);
	/* Never the query, body, cookies or tokens: only what is below. */
	fprintf(stderr, "%s %s %s %u %.1fms%s\n", req->ip, req->method, path, req->status, ms,
		toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	json_decref(req->json);
	free(req->body);
	for (unsigned i = 0; i < req->nhdr; i++) {
		token_wipe(req->hdr_value[i], strlen(req->hdr_value[i]));
		free(req->hdr_value[i]);
	}
	token_wipe(req->session.csrf, sizeof req->session.csrf);
	free(req);
	*req_cls = NULL;
}

/* Called by MHD with the raw request URI (path and query, still escaped)
 * before anything else: the request context starts here, so that the URL
 * cap covers the query too (RFC 3986: the query is part of the URI). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct http_req *req = calloc(1, sizeof *req);

	(void)cls;
	(void)conn;
	if (req != NULL)
		req->uri_len = strlen(uri);
	return req;
}

static size_t on_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	return text_url_unescape(s);
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fputs("carecoop: http: ", stderr);
	vfprintf(stderr, fmt, ap);
}

struct http_server *http_server_start(const struct http_config *cfg, char *err, size_t errlen)
{
	struct http_server *srv = calloc(1, sizeof *srv);
	struct sockaddr_storage ss;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;

	if (srv == NULL) {
		text_copy(err, errlen, "out of memory");
		return NULL;
	}
	srv->cfg = *cfg;
	if (text_copy(srv->db_path, sizeof srv->db_path, cfg->db_path) != 0 ||
	    text_copy(srv->web_dir, sizeof srv->web_dir, cfg->web_dir) != 0) {
		text_copy(err, errlen, "path too long");
		free(srv);
		return NULL;
	}
	srv->cfg.db_path = srv->db_path;
	srv->cfg.web_dir = srv->web_dir;

	memset(&ss, 0, sizeof ss);
	if (cfg->listen.ipv6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)cfg->listen.port);
		if (inet_pton(AF_INET6, cfg->listen.host, &a->sin6_addr) != 1)
			goto bad_addr;
		flags |= MHD_USE_IPv6;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)cfg->listen.port);
		if (inet_pton(AF_INET, cfg->listen.host, &a->sin_addr) != 1)
			goto bad_addr;
	}
	password_gate_init(cfg->login_concurrency, 10000);
	/* clang-format off */
	srv->daemon = MHD_start_daemon(
		flags, (uint16_t)cfg->listen.port, NULL, NULL, on_request, srv,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)cfg->threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cfg->conn_limit,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)cfg->per_ip_limit,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cfg->timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
		MHD_OPTION_UNESCAPE_CALLBACK, on_unescape, NULL,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
		MHD_OPTION_END);
	/* clang-format on */
	if (srv->daemon == NULL) {
		snprintf(err, errlen, "cannot listen on %s:%u: %s", cfg->listen.host,
			 cfg->listen.port, errno ? strerror(errno) : "unknown error");
		free(srv);
		return NULL;
	}
	const union MHD_DaemonInfo *di =
		MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = di != NULL ? di->port : cfg->listen.port;
	return srv;
bad_addr:
	snprintf(err, errlen, "not a numeric address: %s", cfg->listen.host);
	free(srv);
	return NULL;
}

unsigned http_server_port(const struct http_server *srv)
{
	return srv->port;
}

void http_server_stop(struct http_server *srv)
{
	if (srv == NULL)
		return;
	MHD_stop_daemon(srv->daemon);
	http_feed_cache_free();
	pthread_mutex_lock(&dbs_lock);
	for (unsigned i = 0; i < ndbs; i++)
		db_close(dbs[i]);
	ndbs = 0;
	pthread_mutex_unlock(&dbs_lock);
	free(srv);
}
