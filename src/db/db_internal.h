/*
 * db_internal: what the query files under src/db/ share: the connection
 * struct and the prepared-statement cache. Never included outside src/db/.
 */
#ifndef CARECOOP_DB_INTERNAL_H
#define CARECOOP_DB_INTERNAL_H

#include <sqlite3.h>

#include "db/db.h"

#define DB_STMT_CACHE 64

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

#endif
