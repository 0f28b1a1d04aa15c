/*
 * h_session: log in, log out, who am I, change my password.
 *
 * Login answers a wrong email and a wrong password with the same message
 * after the same work (an unknown email is verified against a dummy hash),
 * and backs off after repeated failures per account and per address
 * (core/throttle.h).
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "auth/token.h"
#include "core/text.h"
#include "core/throttle.h"
#include "db/db_session.h"
#include "db/db_throttle.h"
#include "db/db_user.h"
#include "http/http_internal.h"

#define SCOPE_ACCOUNT "account"
#define SCOPE_IP      "ip"

static void lower_copy(char *dst, size_t n, const char *src)
{
	size_t i;

	for (i = 0; src[i] != '\0' && i + 1 < n; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

static int64_t wait_for(struct db *db, const char *scope, const char *key, int64_t free_tries,
			int64_t now)
{
	int64_t failures, last;

	if (db_throttle_get(db, scope, key, &failures, &last) < 0)
		return -1;
	return throttle_wait(failures, last, now, free_tries);
}

struct failure {
	const char *account; /* lower-cased email */
	const char *ip;
	int64_t now;
};

static int bump(struct db *db, const char *scope, const char *key, int64_t now)
{
	int64_t failures, last;

	if (db_throttle_get(db, scope, key, &failures, &last) < 0)
		return -1;
	failures = throttle_effective_failures(failures, last, now);
	return db_throttle_set(db, scope, key, failures + 1, now);
}

static int record_failure(struct db *db, void *arg)
{
	const struct failure *f = arg;

	if (bump(db, SCOPE_ACCOUNT, f->account, f->now) < 0)
		return -1;
	return bump(db, SCOPE_IP, f->ip, f->now);
}

struct new_session {
	const char *account;
	const char *token_hash;
	const char *csrf;
	int64_t user_id;
	int64_t now;
	const struct session_limits *lim;
};

static int open_session(struct db *db, void *arg)
{
	const struct new_session *s = arg;

	if (db_throttle_set(db, SCOPE_ACCOUNT, s->account, 0, s->now) < 0)
		return -1;
	if (db_session_purge(db, s->now - s->lim->idle, s->now - s->lim->absolute) < 0)
		return -1;
	return db_session_insert(db, s->token_hash, s->user_id, s->csrf, s->now);
}

static enum MHD_Result too_many(struct http_req *req, int64_t wait)
{
	char secs[24];

	snprintf(secs, sizeof secs, "%lld", (long long)wait);
	http_req_add_header(req, "Retry-After", secs);
	return http_reply_error(req, 429, NULL, "too many failed logins; try again in %lld seconds",
				(long long)wait);
}

/* What a login attempt came to. */
enum login_result {
	LOGIN_OK = 0,
	LOGIN_WRONG,     /* wrong email or password (recorded for the back-off) */
	LOGIN_THROTTLED, /* too many failures: wait seconds */
	LOGIN_BUSY,      /* every argon2 slot taken */
	LOGIN_ERROR,     /* the server failed: message says what */
};

struct login {
	enum login_result result;
	int64_t wait;                  /* LOGIN_THROTTLED */
	const char *message;           /* LOGIN_ERROR */
	struct db_user user;           /* LOGIN_OK */
	char token[TOKEN_HEX_LEN + 1]; /* LOGIN_OK: the session cookie (wipe) */
	char csrf[TOKEN_HEX_LEN + 1];  /* LOGIN_OK: its CSRF token (wipe) */
};

/* Checks email and password (back-off first, the same work for an unknown
 * email) and on success opens a session. The one login of the JSON API and
 * of the sign-in form. */
static void login_attempt(struct http_req *req, const char *email, const char *password,
			  struct login *l)
{
	char account[TEXT_EMAIL_MAX + 1], token_hash[TOKEN_HEX_LEN + 1];
	int64_t now = db_now(), wait_account, wait_ip;
	enum password_result pr;
	int found;

	memset(l, 0, sizeof *l);
	l->result = LOGIN_ERROR;
	lower_copy(account, sizeof account, email);
	wait_account = wait_for(req->db, SCOPE_ACCOUNT, account, THROTTLE_ACCOUNT_FREE_TRIES, now);
	wait_ip = wait_for(req->db, SCOPE_IP, req->ip, THROTTLE_IP_FREE_TRIES, now);
	if (wait_account < 0 || wait_ip < 0) {
		l->message = "could not check login attempts";
		return;
	}
	if (wait_account > 0 || wait_ip > 0) {
		l->result = LOGIN_THROTTLED;
		l->wait = wait_account > wait_ip ? wait_account : wait_ip;
		return;
	}
	found = db_user_by_email(req->db, account, &l->user);
	if (found < 0) {
		l->message = "could not read accounts";
		return;
	}
	if (found == 0 || l->user.disabled)
		text_copy(l->user.pwhash, sizeof l->user.pwhash, password_dummy_hash());
	pr = password_verify(l->user.pwhash, password);
	token_wipe(l->user.pwhash, sizeof l->user.pwhash);
	if (pr == PASSWORD_BUSY) {
		l->result = LOGIN_BUSY;
		return;
	}
	if (pr == PASSWORD_ERROR && found == 1 && !l->user.disabled) {
		l->message = "could not check the password";
		return;
	}
	if (pr != PASSWORD_OK || found == 0 || l->user.disabled) {
		struct failure f = {account, req->ip, now};

		if (db_tx(req->db, record_failure, &f) < 0)
			l->message = "could not record the attempt";
		else
			l->result = LOGIN_WRONG;
		return;
	}
	if (token_new_hex(l->token) != 0 || token_new_hex(l->csrf) != 0) {
		l->message = "no randomness available";
		return;
	}
	token_digest_hex(l->token, token_hash);
	struct new_session ns = {account, token_hash, l->csrf, l->user.id, now, &req->cfg->session};
	if (db_tx(req->db, open_session, &ns) < 0) {
		l->message = "could not open a session";
		return;
	}
	http_session_cookie(req, l->token);
	l->result = LOGIN_OK;
}

static void login_wipe(struct login *l)
{
	token_wipe(l->token, sizeof l->token);
	token_wipe(l->csrf, sizeof l->csrf);
}

enum MHD_Result h_session_create(struct http_req *req)
{
	char why[128];
	const char *email, *password;
	struct login l;
	enum MHD_Result r;

	email = http_json_str(req->json, "email", TEXT_EMAIL_MAX, true, why, sizeof why);
	if (email == NULL)
		return http_reply_error(req, 400, "email", "%s", why);
	password = http_json_str(req->json, "password", TEXT_PASSWORD_MAX, true, why, sizeof why);
	if (password == NULL)
		return http_reply_error(req, 400, "password", "%s", why);
	login_attempt(req, email, password, &l);
	switch (l.result) {
	case LOGIN_OK:
		r = http_reply_json(req, 200,
				    json_pack("{s:o, s:s}", "user", http_user_json(&l.user),
					      "csrf_token", l.csrf));
		break;
	case LOGIN_WRONG:
		r = http_reply_error(req, 401, NULL, "wrong email or password");
		break;
	case LOGIN_THROTTLED:
		r = too_many(req, l.wait);
		break;
	case LOGIN_BUSY:
		http_req_add_header(req, "Retry-After", "1");
		r = http_reply_error(req, 503, NULL, "the server is busy; try again in a moment");
		break;
	default:
		r = http_reply_error(req, 500, NULL, "%s", l.message);
		break;
	}
	login_wipe(&l);
	return r;
}

/* True for a path on this site to go back to after signing in: "/..." but
 * not "//host" (another site) and nothing that could break the header. */
static bool local_path(const char *p)
{
	if (p == NULL || p[0] != '/' || p[1] == '/' || p[1] == '\\' || strlen(p) > 200)
		return false;
	for (; *p != '\0'; p++)
		if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e)
			return false;
	return true;
}

/* The sign-in form without JavaScript (index.html posts here): the same
 * login as POST /api/session, then 303 to the page asked for (or the
 * proposals, which work without JavaScript); a failure goes to a page
 * that says so and offers the form again. There is no session yet, so no
 * CSRF token: a cross-site post is refused by its Origin instead. */
enum MHD_Result h_login_form(struct http_req *req)
{
	const char *origin = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Origin");
	const char *host = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Host");
	const char *email = json_string_value(json_object_get(req->json, "email"));
	const char *password = json_string_value(json_object_get(req->json, "password"));
	const char *next = json_string_value(json_object_get(req->json, "next"));
	const char *after = strstr(origin != NULL ? origin : "", "://");
	struct login l;
	enum MHD_Result r;

	if (origin != NULL && strcmp(origin, "null") != 0 &&
	    (host == NULL || after == NULL || strcmp(after + 3, host) != 0))
		return http_reply_error(req, 403, "Origin", "sign in from this site's own page");
	if (email == NULL || email[0] == '\0' || strlen(email) > TEXT_EMAIL_MAX)
		return http_reply_see_other(req, "/signin-failed.html");
	if (password == NULL || strlen(password) > TEXT_PASSWORD_MAX)
		return http_reply_see_other(req, "/signin-failed.html");
	login_attempt(req, email, password, &l);
	if (l.result == LOGIN_OK)
		r = http_reply_see_other(req, local_path(next) ? next : "/proposals");
	else if (l.result == LOGIN_ERROR)
		r = http_reply_error(req, 500, NULL, "%s", l.message);
	else
		r = http_reply_see_other(req, "/signin-failed.html");
	login_wipe(&l);
	return r;
}

enum MHD_Result h_session_delete(struct http_req *req)
{
	if (db_session_delete(req->db, req->session_hash) < 0)
		return http_reply_error(req, 500, NULL, "could not end the session");
	http_session_cookie(req, NULL);
	return http_reply_json(req, 200, json_pack("{s:b}", "ok", 1));
}

enum MHD_Result h_me(struct http_req *req)
{
	return http_reply_json(req, 200,
			       json_pack("{s:o, s:s}", "user", http_user_json(&req->user),
					 "csrf_token", req->session.csrf));
}

struct password_change {
	int64_t user_id;
	const char *pwhash;
	const char *keep;
	int64_t now;
};

static int change_password(struct db *db, void *arg)
{
	const struct password_change *c = arg;
	int rc = db_user_set_password(db, c->user_id, c->pwhash, c->now);

	if (rc <= 0)
		return -1;
	return db_session_delete_user(db, c->user_id, c->keep) < 0 ? -1 : 1;
}

enum MHD_Result h_me_password(struct http_req *req)
{
	char why[128], account[TEXT_EMAIL_MAX + 1], hash[PASSWORD_ENCODED_MAX];
	const char *current, *fresh;
	struct db_user me;
	int64_t now = db_now(), wait;
	enum text_password_check pc;
	enum password_result pr;

	current = http_json_str(req->json, "current_password", TEXT_PASSWORD_MAX, true, why,
				sizeof why);
	if (current == NULL)
		return http_reply_error(req, 400, "current_password", "%s", why);
	fresh = http_json_str(req->json, "new_password", 4 * TEXT_PASSWORD_MAX, true, why,
			      sizeof why);
	if (fresh == NULL)
		return http_reply_error(req, 400, "new_password", "%s", why);
	pc = text_password_check(fresh);
	if (pc != TEXT_PASSWORD_OK)
		return http_reply_error(req, 400, "new_password", "%s", text_password_message(pc));

	lower_copy(account, sizeof account, req->user.email);
	wait = wait_for(req->db, SCOPE_ACCOUNT, account, THROTTLE_ACCOUNT_FREE_TRIES, now);
	if (wait < 0)
		return http_reply_error(req, 500, NULL, "could not check attempts");
	if (wait > 0)
		return too_many(req, wait);
	if (db_user_by_id(req->db, req->user.id, &me) <= 0)
		return http_reply_error(req, 500, NULL, "could not read the account");
	pr = password_verify(me.pwhash, current);
	token_wipe(me.pwhash, sizeof me.pwhash);
	if (pr == PASSWORD_BUSY)
		return http_reply_error(req, 503, NULL,
					"the server is busy; try again in a moment");
	if (pr == PASSWORD_MISMATCH) {
		struct failure f = {account, req->ip, now};
		db_tx(req->db, record_failure, &f);
		return http_reply_error(req, 400, "current_password", "current password is wrong");
	}
	if (pr != PASSWORD_OK)
		return http_reply_error(req, 500, NULL, "could not check the password");
	pr = password_hash(fresh, hash, sizeof hash);
	if (pr != PASSWORD_OK)
		return http_reply_error(req, 503, NULL, "could not hash the password; try again");
	struct password_change c = {req->user.id, hash, req->session_hash, now};
	int rc = db_tx(req->db, change_password, &c);
	token_wipe(hash, sizeof hash);
	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not change the password");
	return http_reply_json(req, 200, json_pack("{s:b}", "ok", 1));
}
