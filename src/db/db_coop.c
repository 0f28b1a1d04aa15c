/*
 * db_coop: queries on coop, member_classes, people, memberships, carers,
 * recipients, care_team and proposals.
 */
#include "db/db_coop.h"

#include "db/db_internal.h"

int db_coop_create(struct db *db, const char *name, const char *timezone, int64_t now)
{
	static const char sql[] =
		"INSERT INTO coop (id, name, timezone, created_at) VALUES (1, ?1, ?2, ?3)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, timezone, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	return db_insert_id(db, st, NULL);
}

int db_coop_name(struct db *db, char *out, size_t n)
{
	static const char sql[] = "SELECT name FROM coop WHERE id = 1";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		db_column_copy(st, 0, out, n);
	return db_row_done(st, rc);
}

int db_coop_timezone(struct db *db, char *out, size_t n)
{
	static const char sql[] = "SELECT timezone FROM coop WHERE id = 1";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		db_column_copy(st, 0, out, n);
	return db_row_done(st, rc);
}

int db_class_insert(struct db *db, const char *code, const char *name, int position, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO member_classes (code, name, position) VALUES (?1, ?2, ?3)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, position);
	return db_insert_id(db, st, id);
}

static int64_t count_of(struct db *db, const char *sql)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	int64_t n = -1;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

int64_t db_carer_count(struct db *db)
{
	static const char sql[] = "SELECT count(*) FROM carers";
	return count_of(db, sql);
}

int64_t db_recipient_count(struct db *db)
{
	static const char sql[] = "SELECT count(*) FROM recipients";
	return count_of(db, sql);
}

int db_proposal_each_open(struct db *db, int (*fn)(const struct db_proposal_brief *p, void *arg),
			  void *arg)
{
	static const char sql[] =
		"SELECT id, title, kind, closes_at FROM proposals WHERE status = 'open'"
		" ORDER BY closes_at, id";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_proposal_brief p = {
			.id = sqlite3_column_int64(st, 0),
			.title = (const char *)sqlite3_column_text(st, 1),
			.kind = (const char *)sqlite3_column_text(st, 2),
			.closes_at = sqlite3_column_int64(st, 3),
		};
		if (fn(&p, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}
