/*
 * db_user: queries on users and user_roles.
 */
#include "db/db_user.h"

#include <string.h>

#include "core/roles.h"
#include "db/db_internal.h"

static int load_roles(struct db *db, struct db_user *u)
{
	static const char sql[] = "SELECT role FROM user_roles WHERE user_id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	u->roles = 0;
	sqlite3_bind_int64(st, 1, u->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		u->roles |= role_parse((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 1 : -1;
}

static int load_user(struct db *db, sqlite3_stmt *st, struct db_user *out)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return -1;
	}
	memset(out, 0, sizeof *out);
	out->id = sqlite3_column_int64(st, 0);
	db_column_copy(st, 1, out->email, sizeof out->email);
	db_column_copy(st, 2, out->name, sizeof out->name);
	db_column_copy(st, 3, out->pwhash, sizeof out->pwhash);
	out->disabled = sqlite3_column_int(st, 4);
	sqlite3_reset(st);
	return load_roles(db, out);
}

int db_user_by_email(struct db *db, const char *email, struct db_user *out)
{
	static const char sql[] =
		"SELECT id, email, name, pwhash, disabled FROM users WHERE email = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	return load_user(db, st, out);
}

int db_user_by_id(struct db *db, int64_t id, struct db_user *out)
{
	static const char sql[] =
		"SELECT id, email, name, pwhash, disabled FROM users WHERE id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return load_user(db, st, out);
}

int db_user_insert(struct db *db, const char *email, const char *name, const char *pwhash,
		   unsigned roles, int64_t now, int64_t *id)
{
	static const char sql_user[] =
		"INSERT INTO users (email, name, pwhash, created_at, password_changed_at)"
		" VALUES (?1, ?2, ?3, ?4, ?4)";
	static const char sql_role[] = "INSERT INTO user_roles (user_id, role) VALUES (?1, ?2)";
	sqlite3_stmt *st = db_stmt(db, sql_user);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, pwhash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	if (db_exec_stmt(db, st) < 0)
		return db_last_was_unique_violation(db) ? 0 : -1;
	*id = sqlite3_last_insert_rowid(db->conn);
	for (unsigned i = 0; i < ROLE_COUNT; i++) {
		if ((roles & role_at(i)) == 0)
			continue;
		if ((st = db_stmt(db, sql_role)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_text(st, 2, role_name(role_at(i)), -1, SQLITE_STATIC);
		if (db_exec_stmt(db, st) < 0)
			return -1;
	}
	return 1;
}

int db_user_set_password(struct db *db, int64_t id, const char *pwhash, int64_t now)
{
	static const char sql[] =
		"UPDATE users SET pwhash = ?2, password_changed_at = ?3 WHERE id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, pwhash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	if (db_exec_stmt(db, st) < 0)
		return -1;
	return sqlite3_changes(db->conn) > 0 ? 1 : 0;
}

int db_user_each(struct db *db, int (*fn)(const struct db_user *u, void *arg), void *arg)
{
	/* Roles are folded in with group_concat so the listing is one query. */
	static const char sql[] = "SELECT u.id, u.email, u.name, u.disabled, group_concat(r.role)"
				  " FROM users u LEFT JOIN user_roles r ON r.user_id = u.id"
				  " GROUP BY u.id ORDER BY u.email";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_user u;
		char roles[128];

		memset(&u, 0, sizeof u);
		u.id = sqlite3_column_int64(st, 0);
		db_column_copy(st, 1, u.email, sizeof u.email);
		db_column_copy(st, 2, u.name, sizeof u.name);
		u.disabled = sqlite3_column_int(st, 3);
		db_column_copy(st, 4, roles, sizeof roles);
		for (char *p = roles, *comma; *p != '\0'; p = comma + 1) {
			comma = strchr(p, ',');
			if (comma != NULL)
				*comma = '\0';
			u.roles |= role_parse(p);
			if (comma == NULL)
				break;
		}
		if (fn(&u, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}

int64_t db_user_count(struct db *db)
{
	static const char sql[] = "SELECT count(*) FROM users";
	sqlite3_stmt *st = db_stmt(db, sql);
	int64_t n = -1;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}
