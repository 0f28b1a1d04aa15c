/*
 * harness: runs the real carecoop binary for the API tests and talks HTTP to
 * it. A server is started in a fresh temporary directory (database made by
 * `carecoop demo`, a small web root and secret files outside it to attack),
 * on 127.0.0.1 and an ephemeral port; its stdout and stderr go to a log file
 * that the tests may read. Clients are libcurl handles with their own cookie
 * jar and CSRF token.
 *
 * Ownership is arranged so that a failed cmocka assertion (which longjmps out
 * of the test) leaks nothing: a server owns its clients, a client owns every
 * response it returned, and harness_server_free() releases the lot.
 *
 * Depends on libcurl, jansson and POSIX; not on cmocka (see api_check.h) nor
 * on any carecoop source: the server is a black box reached over HTTP.
 */
#ifndef CARECOOP_TESTS_HARNESS_H
#define CARECOOP_TESTS_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <jansson.h>

#define HARNESS_SESSION_COOKIE "carecoop_session"

/* One line of `carecoop demo` output: "ROLE EMAIL PASSWORD". */
struct harness_account {
	char *role;     /* admin, coordinator, treasurer, carer or member */
	char *email;    /* as printed by demo */
	char *password; /* as printed by demo (the --password given) */
};

struct harness_server_options {
	const char *const *env; /* extra "NAME=value" for the server, NULL-ended; may be NULL */
	const char *web_dir;    /* web root to serve instead of the harness's own; may be NULL */
};

struct harness_server;
struct harness_client;

/* One response header line, split at the first ':' and trimmed. */
struct harness_header {
	char *name;  /* as sent */
	char *value; /* without surrounding white space */
};

/* A reply as the client saw it. Owned by the client that returned it. */
struct harness_response {
	long status;                    /* HTTP status; 0 if no reply arrived */
	int curl_code;                  /* CURLcode of the transfer, 0 on success */
	char curl_error[256];           /* libcurl's message when curl_code != 0 */
	char *body;                     /* NUL-terminated copy of the body */
	size_t body_len;                /* body length without the NUL */
	json_t *json;                   /* body parsed as JSON, or NULL */
	struct harness_header *headers; /* final response's headers, in order */
	size_t header_count;            /* entries in headers */
	struct harness_response *next;  /* owner's list */
};

/* How a request carries X-CSRF-Token. */
enum harness_csrf {
	HARNESS_CSRF_AUTO = 0, /* the client's token on POST/PUT/PATCH/DELETE, if it has one */
	HARNESS_CSRF_NONE,     /* never send the header */
	HARNESS_CSRF_VALUE,    /* send csrf_value as given */
};

/* One request. Zero-initialise, then set what matters. */
struct harness_request {
	const char *method;         /* "GET" when NULL */
	const char *path;           /* sent verbatim (no dot-segment squashing) */
	const char *body;           /* NULL for none */
	size_t body_len;            /* bytes of body */
	const char *content_type;   /* sent when non-NULL; "" sends no Content-Type at all */
	const char *const *headers; /* extra "Name: value" lines, NULL-ended; may be NULL */
	enum harness_csrf csrf;     /* see enum harness_csrf */
	const char *csrf_value;     /* with HARNESS_CSRF_VALUE */
	bool chunked;               /* body with Transfer-Encoding: chunked, no Content-Length */
	bool expect_continue;       /* let curl send Expect: 100-continue for large bodies */
	bool no_cookies;            /* do not send the client's cookies */
};

/*
 * Starts a server: makes a temporary directory, runs `carecoop demo` there
 * and parses its accounts, writes the test web root, then runs `carecoop
 * serve` and waits (up to 60 s) for its "listening on" line. The binary is
 * $CARECOOP_BIN, else the compile-time CARECOOP_BIN. opt may be NULL.
 * Returns 0 and sets *out (owned by the caller, release with
 * harness_server_free), or -1 with a reason on stderr.
 */
int harness_server_start(const struct harness_server_options *opt, struct harness_server **out);

/*
 * Stops the server with SIGTERM (SIGKILL after 10 s) and reaps it. Safe to
 * call twice. Returns the wait status of the process (see <sys/wait.h>), or
 * -1 if it could not be reaped. Whether it had already exited before the
 * call is told by harness_server_early_status().
 */
int harness_server_stop(struct harness_server *srv);

/* True while the server process has not exited. */
bool harness_server_running(struct harness_server *srv);

/* The wait status of an exit that happened before harness_server_stop(), or
 * -1 if there was none. */
int harness_server_early_status(const struct harness_server *srv);

/* Stops the server if needed, frees its clients and responses, and removes
 * the temporary directory (kept when CARECOOP_TEST_KEEP=1). NULL is a no-op. */
void harness_server_free(struct harness_server *srv);

/* "http://127.0.0.1:PORT", no trailing slash. Owned by srv. */
const char *harness_server_url(const struct harness_server *srv);

/* The first account printed by demo for role, or NULL. Owned by srv. */
const struct harness_account *harness_server_account(const struct harness_server *srv,
						     const char *role);

/* The temporary directory, and the web root being served (the harness's
 * own dir/web unless the options named another). Owned by srv. */
const char *harness_server_dir(const struct harness_server *srv);
const char *harness_server_web_dir(const struct harness_server *srv);

/* The marker written into every secret file outside the web root. */
const char *harness_server_secret(const struct harness_server *srv);

/* Absolute path of the main secret file (outside the web root). */
const char *harness_server_secret_path(const struct harness_server *srv);

/* Everything the server wrote to stdout and stderr so far, NUL-terminated.
 * Owned by srv; valid until the next call. NULL if the log cannot be read. */
const char *harness_server_log(struct harness_server *srv);

/* Waits up to timeout_ms for a log line that contains every string of the
 * NULL-ended list needles. Returns true when one appeared. */
bool harness_server_log_wait(struct harness_server *srv, const char *const *needles,
			     int timeout_ms);

/* A new client with an empty cookie jar, owned by srv. Never NULL (aborts
 * when out of memory, as every allocation in this test harness does). */
struct harness_client *harness_client_new(struct harness_server *srv);

/* The value of the named cookie in the client's jar, or NULL. Owned by c. */
const char *harness_client_cookie(const struct harness_client *c, const char *name);

/* Puts name=value in the jar (replacing it), or removes it when value is NULL. */
void harness_client_set_cookie(struct harness_client *c, const char *name, const char *value);

/* The CSRF token last seen in a reply's "csrf_token" member, or NULL. */
const char *harness_client_csrf(const struct harness_client *c);

/* Replaces the client's CSRF token (NULL forgets it). */
void harness_client_set_csrf(struct harness_client *c, const char *token);

/*
 * Sends one request. Set-Cookie headers update the jar (RFC 6265 removal by
 * empty value, Max-Age <= 0 or a past Expires), and a top-level "csrf_token"
 * string in a JSON reply becomes the client's token. Never NULL; a failed
 * transfer gives status 0 and curl_code/curl_error. Owned by c.
 */
const struct harness_response *harness_request(struct harness_client *c,
					       const struct harness_request *rq);

/* GET path. */
const struct harness_response *harness_get(struct harness_client *c, const char *path);

/* A JSON request: the body is json_pack(fmt, ...) (fmt NULL for no body),
 * Content-Type application/json, CSRF as HARNESS_CSRF_AUTO. */
const struct harness_response *harness_send_json(struct harness_client *c, const char *method,
						 const char *path, const char *fmt, ...);

/* POST /api/session with this email and password. */
const struct harness_response *harness_login(struct harness_client *c, const char *email,
					     const char *password);

/* Logs in with the demo account of that role. A missing role gives a
 * response with status 0 and a message in curl_error. */
const struct harness_response *harness_login_as(struct harness_client *c, const char *role);

/* The value of the first header called name (any case), or NULL. */
const char *harness_response_header(const struct harness_response *r, const char *name);

/* The value of the i-th header called name (any case), or NULL. */
const char *harness_response_header_nth(const struct harness_response *r, const char *name,
					size_t i);

/* A Set-Cookie header taken apart (RFC 6265 section 5.2). */
struct harness_cookie {
	char name[64];      /* cookie name */
	char value[512];    /* cookie value (truncated if longer) */
	char path[128];     /* Path attribute, "" if absent */
	char same_site[16]; /* SameSite attribute value, "" if absent */
	bool http_only;     /* HttpOnly present */
	bool secure;        /* Secure present */
	bool has_max_age;   /* Max-Age present */
	long max_age;       /* its value */
	time_t expires;     /* Expires as a time, or -1 when absent or unparsable */
};

/* Parses a Set-Cookie value. Returns 0, or -1 when it has no name=value. */
int harness_cookie_parse(const char *set_cookie, struct harness_cookie *out);

/* Finds the Set-Cookie header for the named cookie in r and parses it.
 * Returns 0, or -1 when there is none. */
int harness_response_cookie(const struct harness_response *r, const char *name,
			    struct harness_cookie *out);

/* True if the cookie asks the browser to delete it. */
bool harness_cookie_is_removal(const struct harness_cookie *ck);

#endif
