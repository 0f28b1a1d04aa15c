/*
 * http: the carecoop web server (libmicrohttpd). This header is what the
 * command line sees: start, port, stop. Everything else is internal to
 * src/http/.
 */
#ifndef CARECOOP_HTTP_HTTP_H
#define CARECOOP_HTTP_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "core/listen_addr.h"
#include "core/session_policy.h"

struct http_config {
	const char *db_path;       /* SQLite file; each worker opens its own connection */
	struct listen_addr listen; /* address and port (0: ephemeral) */
	const char *web_dir;       /* static files; must exist */
	size_t body_max;           /* request body cap, bytes */
	unsigned threads;          /* worker threads in MHD's pool */
	unsigned conn_limit;       /* open connections in all */
	unsigned per_ip_limit;     /* open connections from one address */
	unsigned timeout_s;        /* idle connection timeout */
	int secure_cookies;        /* 1: cookies carry Secure (behind TLS) */
	struct session_limits session;
	unsigned login_concurrency; /* argon2 hashes at once */
	const char *public_url;     /* "https://care.example.org" for feed links; NULL: from Host */
};

/* Defaults for every field but db_path, listen and web_dir. */
void http_config_defaults(struct http_config *cfg);

struct http_server;

/* Starts serving in background threads. Returns NULL with a reason in err.
 * The config is copied. Stop with http_server_stop. */
struct http_server *http_server_start(const struct http_config *cfg, char *err, size_t errlen);

/* The port actually bound (useful with port 0). */
unsigned http_server_port(const struct http_server *srv);

/* Stops accepting, finishes in-flight requests, frees everything.
 * http_server_stop(NULL) does nothing. */
void http_server_stop(struct http_server *srv);

#endif
