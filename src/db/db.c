/*
 * db: connection set-up, migrations, statement cache, write transactions and
 * online backup. Everything else in src/db/ builds on these.
 */
#include "db/db_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/text.h"
#include "db/migrations.h"

#define BUSY_TIMEOUT_MS 5000
#define TX_TRIES        5

static void set_err(char *err, size_t errlen, const char *what, const char *detail)
{
	if (err == NULL || errlen == 0)
		return;
	snprintf(err, errlen, "%s: %s", what, detail != NULL ? detail : "unknown error");
}

int64_t db_now(void)
{
	return (int64_t)time(NULL);
}

struct db *db_open(const char *path, char *err, size_t errlen)
{
	static const char pragmas[] =
		"PRAGMA foreign_keys = ON;"
		"PRAGMA synchronous = FULL;" /* votes and money: durable on commit */
		"PRAGMA temp_store = MEMORY;";
	struct db *db = calloc(1, sizeof *db);
	int rc;

	if (db == NULL) {
		set_err(err, errlen, path, "out of memory");
		return NULL;
	}
	rc = sqlite3_open_v2(path, &db->conn,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
				     SQLITE_OPEN_EXRESCODE,
			     NULL);
	if (rc != SQLITE_OK) {
		set_err(err, errlen, path,
			db->conn ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_busy_timeout(db->conn, BUSY_TIMEOUT_MS);
	if (strcmp(path, ":memory:") != 0) {
		sqlite3_stmt *st = NULL;
		rc = sqlite3_prepare_v2(db->conn, "PRAGMA journal_mode = WAL", -1, &st, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_step(st);
		int wal = rc == SQLITE_ROW &&
			  strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
		sqlite3_finalize(st);
		if (!wal) {
			set_err(err, errlen, path,
				"cannot switch to WAL mode (is it a SQLite database?)");
			goto fail;
		}
	}
	if (sqlite3_exec(db->conn, pragmas, NULL, NULL, NULL) != SQLITE_OK) {
		set_err(err, errlen, path, sqlite3_errmsg(db->conn));
		goto fail;
	}
	return db;
fail:
	db_close(db);
	return NULL;
}

void db_close(struct db *db)
{
	if (db == NULL)
		return;
	for (unsigned i = 0; i < DB_STMT_CACHE; i++)
		sqlite3_finalize(db->stmts[i]); /* NULL for an empty slot: a no-op */
	sqlite3_close(db->conn);
	free(db);
}

const char *db_errmsg(struct db *db)
{
	return sqlite3_errmsg(db->conn);
}

int db_last_was_unique_violation(struct db *db)
{
	return db->last_unique;
}

sqlite3_stmt *db_stmt(struct db *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	unsigned i = (unsigned)(((uintptr_t)sql >> 3) % DB_STMT_CACHE);

	for (; db->sql_keys[i] != NULL; i = (i + 1) % DB_STMT_CACHE) {
		if (db->sql_keys[i] == sql) {
			sqlite3_reset(db->stmts[i]);
			sqlite3_clear_bindings(db->stmts[i]);
			return db->stmts[i];
		}
	}
	/* A full cache is a programming error (raise DB_STMT_CACHE). */
	if (db->nstmts >= DB_STMT_CACHE / 4 * 3)
		return NULL;
	if (sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) !=
	    SQLITE_OK)
		return NULL;
	db->sql_keys[i] = sql;
	db->stmts[i] = st;
	db->nstmts++;
	return st;
}

int db_exec_stmt(struct db *db, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	db->last_unique = (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 1 : -1;
}

void db_column_copy(sqlite3_stmt *st, int i, char *dst, size_t n)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	text_copy(dst, n, t != NULL ? (const char *)t : "");
}

void db_bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s != NULL && *s != '\0')
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

int db_insert_id(struct db *db, sqlite3_stmt *st, int64_t *id)
{
	if (db_exec_stmt(db, st) < 0)
		return db_last_was_unique_violation(db) ? 0 : -1;
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(db->conn);
	return 1;
}

int db_change(struct db *db, sqlite3_stmt *st)
{
	if (db_exec_stmt(db, st) < 0)
		return db_last_was_unique_violation(db) ? 0 : -1;
	return sqlite3_changes(db->conn) > 0 ? 1 : 0;
}

int db_exec_id(struct db *db, const char *sql, int64_t id)
{
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return db_exec_stmt(db, st);
}

int db_each_done(sqlite3_stmt *st, int rc)
{
	sqlite3_reset(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 1 : -1;
}

int db_row_done(sqlite3_stmt *st, int rc)
{
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int64_t db_scalar(sqlite3_stmt *st)
{
	int64_t v = -1;

	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

static int exec_sql(struct db *db, const char *sql)
{
	return sqlite3_exec(db->conn, sql, NULL, NULL, NULL) == SQLITE_OK ? 1 : -1;
}

int db_tx(struct db *db, int (*fn)(struct db *db, void *arg), void *arg)
{
	for (int attempt = 0; attempt < TX_TRIES; attempt++) {
		int rc = sqlite3_exec(db->conn, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if ((rc & 0xff) == SQLITE_BUSY) {
			usleep(10000u << attempt);
			continue;
		}
		if (rc != SQLITE_OK)
			return -1;
		int r = fn(db, arg);
		if (r < 0) {
			exec_sql(db, "ROLLBACK");
			return r;
		}
		rc = sqlite3_exec(db->conn, "COMMIT", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return r;
		exec_sql(db, "ROLLBACK");
		if ((rc & 0xff) != SQLITE_BUSY)
			return -1;
		usleep(10000u << attempt);
	}
	return -1;
}

static int migrations_table(struct db *db)
{
	return exec_sql(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
			    " version INTEGER PRIMARY KEY,"
			    " name TEXT NOT NULL,"
			    " applied_at INTEGER NOT NULL)");
}

int db_schema_version(struct db *db)
{
	static const char sql[] = "SELECT coalesce(max(version), 0) FROM schema_migrations";
	sqlite3_stmt *st;
	int v = -1;

	if (migrations_table(db) < 0 || (st = db_stmt(db, sql)) == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return v;
}

int db_schema_latest(void)
{
	return db_migration_count > 0 ? db_migrations[db_migration_count - 1].version : 0;
}

struct migration_step {
	const struct db_migration *m;
};

static int apply_one(struct db *db, void *arg)
{
	static const char sql[] =
		"INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)";
	const struct migration_step *step = arg;
	sqlite3_stmt *st;

	if (exec_sql(db, step->m->sql) < 0)
		return -1;
	if ((st = db_stmt(db, sql)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, step->m->version);
	sqlite3_bind_text(st, 2, step->m->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, db_now());
	return db_exec_stmt(db, st);
}

int db_migrate(struct db *db, int upto, char *err, size_t errlen)
{
	int current = db_schema_version(db);

	if (current < 0) {
		set_err(err, errlen, "reading schema version", db_errmsg(db));
		return -1;
	}
	if (current > db_schema_latest()) {
		char detail[96];
		snprintf(detail, sizeof detail, "database is at version %d, this program knows %d",
			 current, db_schema_latest());
		set_err(err, errlen, "newer schema", detail);
		return -1;
	}
	for (unsigned i = 0; i < db_migration_count; i++) {
		const struct db_migration *m = &db_migrations[i];
		struct migration_step step = {m};

		if (m->version <= current || (upto >= 0 && m->version > upto))
			continue;
		if (db_tx(db, apply_one, &step) < 0) {
			set_err(err, errlen, m->name, db_errmsg(db));
			return -1;
		}
	}
	return 1;
}

int db_backup(struct db *db, const char *dest, char *err, size_t errlen)
{
	sqlite3 *out = NULL;
	sqlite3_backup *b;
	int rc;

	if (access(dest, F_OK) == 0) {
		set_err(err, errlen, dest, "already exists; choose a new file");
		return -1;
	}
	rc = sqlite3_open_v2(dest, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		set_err(err, errlen, dest, out ? sqlite3_errmsg(out) : sqlite3_errstr(rc));
		sqlite3_close(out);
		return -1;
	}
	b = sqlite3_backup_init(out, "main", db->conn, "main");
	if (b == NULL) {
		set_err(err, errlen, dest, sqlite3_errmsg(out));
		sqlite3_close(out);
		return -1;
	}
	/* Copy in steps so that writers are not held off for long. */
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		set_err(err, errlen, dest, sqlite3_errstr(rc));
		sqlite3_close(out);
		unlink(dest);
		return -1;
	}
	sqlite3_close(out);
	return 1;
}
