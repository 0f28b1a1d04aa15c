/*
 * db_session: queries on sessions.
 */
#include "db/db_session.h"

#include <string.h>

#include "db/db_internal.h"

int db_session_insert(struct db *db, const char *token_hash, int64_t user_id, const char *csrf,
		      int64_t now)
{
	static const char sql[] =
		"INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen)"
		" VALUES (?1, ?2, ?3, ?4, ?4)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_text(st, 3, csrf, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	return db_exec_stmt(db, st);
}

int db_session_get(struct db *db, const char *token_hash, struct db_session *out)
{
	static const char sql[] = "SELECT user_id, csrf_token, created_at, last_seen FROM sessions"
				  " WHERE token_hash = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		out->user_id = sqlite3_column_int64(st, 0);
		db_column_copy(st, 1, out->csrf, sizeof out->csrf);
		out->created_at = sqlite3_column_int64(st, 2);
		out->last_seen = sqlite3_column_int64(st, 3);
	}
	return db_row_done(st, rc);
}

int db_session_touch(struct db *db, const char *token_hash, int64_t now)
{
	static const char sql[] = "UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	return db_exec_stmt(db, st);
}

int db_session_delete(struct db *db, const char *token_hash)
{
	static const char sql[] = "DELETE FROM sessions WHERE token_hash = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
	if (db_exec_stmt(db, st) < 0)
		return -1;
	return sqlite3_changes(db->conn) > 0 ? 1 : 0;
}

int64_t db_session_delete_user(struct db *db, int64_t user_id, const char *keep_hash)
{
	static const char sql[] =
		"DELETE FROM sessions WHERE user_id = ?1 AND token_hash IS NOT ?2";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, user_id);
	if (keep_hash != NULL)
		sqlite3_bind_text(st, 2, keep_hash, -1, SQLITE_STATIC);
	if (db_exec_stmt(db, st) < 0)
		return -1;
	return sqlite3_changes(db->conn);
}

int64_t db_session_purge(struct db *db, int64_t idle_before, int64_t created_before)
{
	static const char sql[] = "DELETE FROM sessions WHERE last_seen < ?1 OR created_at < ?2";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, idle_before);
	sqlite3_bind_int64(st, 2, created_before);
	if (db_exec_stmt(db, st) < 0)
		return -1;
	return sqlite3_changes(db->conn);
}
