/*
 * db_internal: what the query files under src/db/ share: the connection
 * struct and the prepared-statement cache. Never included outside src/db/.
 */
#ifndef CARECOOP_DB_INTERNAL_H
#define CARECOOP_DB_INTERNAL_H

#include <sqlite3.h>

#include "db/db.h"

/* Slots of the statement cache: an open-addressed table keyed by the SQL
 * text's address; kept at most three quarters full. */
#define DB_STMT_CACHE 1024

struct db {
	sqlite3 *conn;                       /* owned */
	const char *sql_keys[DB_STMT_CACHE]; /* static SQL texts, by address */
	sqlite3_stmt *stmts[DB_STMT_CACHE];  /* owned, prepared once */
	unsigned nstmts;                     /* used slots */
	int last_unique;                     /* last step broke UNIQUE */
};

/* Returns the prepared statement for sql, preparing it on first use. sql
 * must be a string with static storage: it is cached by address. The
 * statement comes back reset with its bindings cleared. NULL on error. */
sqlite3_stmt *db_stmt(struct db *db, const char *sql);

/* Steps a statement that returns no rows. Returns 1, or -1 (and records a
 * UNIQUE violation for db_last_was_unique_violation). */
int db_exec_stmt(struct db *db, sqlite3_stmt *st);

/* Copies column i of the current row into dst (size n) as text ("" for NULL). */
void db_column_copy(sqlite3_stmt *st, int i, char *dst, size_t n);

/* Binds s, or NULL when s is NULL or empty. */
void db_bind_text_or_null(sqlite3_stmt *st, int i, const char *s);

/* Steps an INSERT; sets *id (if not NULL) to the new rowid. Returns 1, 0 on
 * a UNIQUE violation, -1 on any other error. */
int db_insert_id(struct db *db, sqlite3_stmt *st, int64_t *id);

/* Steps an UPDATE/DELETE. Returns 1 if a row changed, 0 if none, -1. */
int db_change(struct db *db, sqlite3_stmt *st);

/* Ends a loop over rows: resets st and returns 1 when the last step was a
 * row or the end, -1 on an error. */
int db_each_done(sqlite3_stmt *st, int rc);

/* Ends a one-row query: resets st and returns 1 (row), 0 (none) or -1. */
int db_row_done(sqlite3_stmt *st, int rc);

/* Runs a statement whose one parameter ?1 is an id (DELETE ... WHERE
 * owner = ?1). Returns 1 or -1. */
int db_exec_id(struct db *db, const char *sql, int64_t id);

/* Steps a one-value query (SELECT count(*) ...). Returns the value or -1. */
int64_t db_scalar(sqlite3_stmt *st);

struct db_person;

/* The ten columns db_person_from_row reads, from people aliased as p. */
#define PERSON_COLS                                                                          \
	"p.id, p.full_name, p.known_as, p.email, p.phone, p.address, p.area, p.lat, p.lon, " \
	"p.user_id"

/* Fills p from the 10 person columns starting at col (see PERSON_COLS). */
void db_person_from_row(sqlite3_stmt *st, int col, struct db_person *p);

#endif
