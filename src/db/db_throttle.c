/*
 * db_throttle: queries on login_failures.
 */
#include "db/db_throttle.h"

#include "db/db_internal.h"

int db_throttle_get(struct db *db, const char *scope, const char *key, int64_t *failures,
		    int64_t *last_at)
{
	static const char sql[] =
		"SELECT failures, last_at FROM login_failures WHERE scope = ?1 AND key = ?2";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	*failures = 0;
	*last_at = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, scope, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*failures = sqlite3_column_int64(st, 0);
		*last_at = sqlite3_column_int64(st, 1);
	}
	return db_row_done(st, rc);
}

int db_throttle_set(struct db *db, const char *scope, const char *key, int64_t failures,
		    int64_t now)
{
	static const char sql_del[] = "DELETE FROM login_failures WHERE scope = ?1 AND key = ?2";
	static const char sql_set[] =
		"INSERT INTO login_failures (scope, key, failures, last_at) VALUES (?1, ?2, ?3, ?4)"
		" ON CONFLICT (scope, key) DO UPDATE SET failures = ?3, last_at = ?4";
	sqlite3_stmt *st = db_stmt(db, failures > 0 ? sql_set : sql_del);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, scope, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	if (failures > 0) {
		sqlite3_bind_int64(st, 3, failures);
		sqlite3_bind_int64(st, 4, now);
	}
	return db_exec_stmt(db, st);
}
