/*
 * db: the SQLite connection, its pragmas, schema migrations, a statement
 * cache and the one write-transaction helper. Only src/db/ includes
 * <sqlite3.h>; callers see struct db as opaque.
 *
 * Return convention of every db_* function: -1 error, 0 not found (or
 * nothing done), 1 ok. A connection is used by one thread at a time.
 */
#ifndef CARECOOP_DB_DB_H
#define CARECOOP_DB_DB_H

#include <stddef.h>
#include <stdint.h>

struct db;

/* Opens (creating if needed) the database at path (":memory:" for tests) with
 * WAL, foreign keys, a busy timeout and synchronous=FULL. Does not migrate.
 * On failure returns NULL and writes a reason into err. Free with db_close. */
struct db *db_open(const char *path, char *err, size_t errlen);

/* Closes the connection and its cached statements; db_close(NULL) does nothing. */
void db_close(struct db *db);

/* Applies every embedded migration above the current version up to `upto`
 * (-1: all), each in its own transaction. Returns 1, or -1 with err set. */
int db_migrate(struct db *db, int upto, char *err, size_t errlen);

/* The highest migration applied (0 for a new database), or -1. */
int db_schema_version(struct db *db);

/* The highest migration this binary knows. */
int db_schema_latest(void);

/* Runs fn(db, arg) inside BEGIN IMMEDIATE ... COMMIT, retrying the whole
 * transaction a few times when the database is busy. fn returns like any
 * db_* function (or any value >= 0 it likes); a negative value rolls back.
 * Returns fn's result, or -1 when the transaction could not be run. */
int db_tx(struct db *db, int (*fn)(struct db *db, void *arg), void *arg);

/* The message of the last SQLite error on this connection (static storage
 * owned by SQLite; valid until the next call on db). */
const char *db_errmsg(struct db *db);

/* Copies the live database to dest with SQLite's online backup (safe while
 * the server writes). Returns 1, or -1 with err set. */
int db_backup(struct db *db, const char *dest, char *err, size_t errlen);

/* 1 if the last failing statement broke a UNIQUE constraint, else 0. */
int db_last_was_unique_violation(struct db *db);

/* Seconds since the epoch, UTC. */
int64_t db_now(void);

#endif
