/*
 * session: reading the session cookie, checking the server-side session and
 * loading the person it belongs to; writing and clearing the cookie.
 */
#include <stdio.h>
#include <string.h>

#include "auth/token.h"
#include "core/session_policy.h"
#include "db/db_session.h"
#include "db/db_user.h"
#include "http/http_internal.h"

int http_session_load(struct http_req *req)
{
	const char *token =
		MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, HTTP_SESSION_COOKIE);
	int64_t now = db_now();
	int rc;

	req->authed = false;
	if (token == NULL || !token_well_formed(token))
		return 0;
	token_digest_hex(token, req->session_hash);
	rc = db_session_get(req->db, req->session_hash, &req->session);
	if (rc <= 0)
		return rc;
	if (!session_alive(&req->cfg->session, req->session.created_at, req->session.last_seen,
			   now)) {
		db_session_delete(req->db, req->session_hash);
		return 0;
	}
	rc = db_user_by_id(req->db, req->session.user_id, &req->user);
	if (rc <= 0)
		return rc;
	token_wipe(req->user.pwhash, sizeof req->user.pwhash);
	if (req->user.disabled)
		return 0;
	if (session_needs_touch(req->session.last_seen, now))
		db_session_touch(req->db, req->session_hash, now);
	req->authed = true;
	return 0;
}

void http_session_cookie(struct http_req *req, const char *token)
{
	char cookie[256];

	if (token != NULL)
		snprintf(cookie, sizeof cookie,
			 "%s=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Strict%s",
			 HTTP_SESSION_COOKIE, token, (long long)req->cfg->session.absolute,
			 req->cfg->secure_cookies ? "; Secure" : "");
	else
		snprintf(cookie, sizeof cookie,
			 "%s=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict%s", HTTP_SESSION_COOKIE,
			 req->cfg->secure_cookies ? "; Secure" : "");
	http_req_add_header(req, "Set-Cookie", cookie);
	token_wipe(cookie, sizeof cookie);
}
