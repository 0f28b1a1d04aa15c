/*
 * h_users: accounts, for admins: list, create, revoke sessions.
 */
#include <string.h>

#include "auth/password.h"
#include "auth/token.h"
#include "core/roles.h"
#include "core/text.h"
#include "db/db_session.h"
#include "db/db_user.h"
#include "http/http_internal.h"

static int add_user_json(const struct db_user *u, void *arg)
{
	json_t *o = http_user_json(u);

	json_object_set_new(o, "disabled", json_boolean(u->disabled));
	return json_array_append_new(arg, o) == 0 ? 0 : 1;
}

enum MHD_Result h_users_list(struct http_req *req)
{
	json_t *users = json_array();

	if (db_user_each(req->db, add_user_json, users) < 0) {
		json_decref(users);
		return http_reply_error(req, 500, NULL, "could not list accounts");
	}
	return http_reply_json(req, 200, json_pack("{s:o}", "users", users));
}

struct new_user {
	const char *email, *name, *pwhash;
	unsigned roles;
	int64_t id;
};

static int insert_user(struct db *db, void *arg)
{
	struct new_user *u = arg;

	return db_user_insert(db, u->email, u->name, u->pwhash, u->roles, db_now(), &u->id);
}

enum MHD_Result h_users_create(struct http_req *req)
{
	char why[128], hash[PASSWORD_ENCODED_MAX];
	const char *email, *name, *password;
	json_t *roles = json_object_get(req->json, "roles"), *v;
	struct new_user u = {0};
	struct db_user created;
	size_t i;
	enum text_password_check pc;
	int rc;

	email = http_json_str(req->json, "email", TEXT_EMAIL_MAX, true, why, sizeof why);
	if (email == NULL)
		return http_reply_error(req, 400, "email", "%s", why);
	if (!text_email_valid(email))
		return http_reply_error(req, 400, "email", "email is not a valid address");
	name = http_json_str(req->json, "name", TEXT_NAME_MAX, true, why, sizeof why);
	if (name == NULL)
		return http_reply_error(req, 400, "name", "%s", why);
	if (!json_is_array(roles) || json_array_size(roles) == 0)
		return http_reply_error(req, 400, "roles", "roles must be a non-empty list");
	json_array_foreach (roles, i, v) {
		unsigned bit = json_is_string(v) ? role_parse(json_string_value(v)) : 0;
		if (bit == 0)
			return http_reply_error(req, 400, "roles",
						"unknown role at position %zu; roles are admin, "
						"coordinator, treasurer, carer, member",
						i + 1);
		u.roles |= bit;
	}
	password =
		http_json_str(req->json, "password", 4 * TEXT_PASSWORD_MAX, true, why, sizeof why);
	if (password == NULL)
		return http_reply_error(req, 400, "password", "%s", why);
	pc = text_password_check(password);
	if (pc != TEXT_PASSWORD_OK)
		return http_reply_error(req, 400, "password", "%s", text_password_message(pc));
	if (password_hash(password, hash, sizeof hash) != PASSWORD_OK)
		return http_reply_error(req, 503, NULL, "could not hash the password; try again");
	u.email = email;
	u.name = name;
	u.pwhash = hash;
	rc = db_tx(req->db, insert_user, &u);
	token_wipe(hash, sizeof hash);
	if (rc == 0)
		return http_reply_error(req, 409, "email", "an account with this email exists");
	if (rc < 0 || db_user_by_id(req->db, u.id, &created) <= 0)
		return http_reply_error(req, 500, NULL, "could not create the account");
	token_wipe(created.pwhash, sizeof created.pwhash);
	return http_reply_json(req, 201, json_pack("{s:o}", "user", http_user_json(&created)));
}

struct revoke {
	int64_t user_id;
	int64_t revoked;
};

static int revoke_sessions(struct db *db, void *arg)
{
	struct revoke *r = arg;

	r->revoked = db_session_delete_user(db, r->user_id, NULL);
	return r->revoked < 0 ? -1 : 1;
}

enum MHD_Result h_user_sessions_delete(struct http_req *req)
{
	struct db_user target;
	struct revoke r = {req->params[0], 0};
	int rc = db_user_by_id(req->db, r.user_id, &target);

	if (rc < 0)
		return http_reply_error(req, 500, NULL, "could not read accounts");
	if (rc == 0)
		return http_reply_error(req, 404, "id", "no account with id %lld",
					(long long)r.user_id);
	if (db_tx(req->db, revoke_sessions, &r) < 0)
		return http_reply_error(req, 500, NULL, "could not revoke sessions");
	return http_reply_json(req, 200, json_pack("{s:I}", "revoked", (json_int_t)r.revoked));
}
