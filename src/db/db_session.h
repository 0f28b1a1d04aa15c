/*
 * db_session: server-side sessions, stored by the SHA-256 of their token.
 * Returns follow db.h: -1 error, 0 not found, 1 ok.
 */
#ifndef CARECOOP_DB_SESSION_H
#define CARECOOP_DB_SESSION_H

#include <stdint.h>

#include "db/db.h"

struct db_session {
	int64_t user_id;
	char csrf[65];      /* the session's CSRF token (hex) */
	int64_t created_at; /* login time, UTC seconds */
	int64_t last_seen;  /* last request, UTC seconds (updated coarsely) */
};

int db_session_insert(struct db *db, const char *token_hash, int64_t user_id, const char *csrf,
		      int64_t now);
int db_session_get(struct db *db, const char *token_hash, struct db_session *out);
int db_session_touch(struct db *db, const char *token_hash, int64_t now);

/* Deletes one session. Returns 1, 0 if there was none, -1. */
int db_session_delete(struct db *db, const char *token_hash);

/* Deletes every session of a user except keep_hash (NULL: all). Returns the
 * number deleted, or -1. */
int64_t db_session_delete_user(struct db *db, int64_t user_id, const char *keep_hash);

/* Deletes sessions idle since before idle_before or created before
 * created_before. Returns the number deleted, or -1. */
int64_t db_session_purge(struct db *db, int64_t idle_before, int64_t created_before);

#endif
