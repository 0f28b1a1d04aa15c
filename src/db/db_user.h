/*
 * db_user: login accounts and their roles.
 * Returns follow db.h: -1 error, 0 not found, 1 ok.
 */
#ifndef CARECOOP_DB_USER_H
#define CARECOOP_DB_USER_H

#include <stdint.h>

#include "core/text.h"
#include "db/db.h"

struct db_user {
	int64_t id;
	char email[TEXT_EMAIL_MAX + 1];
	char name[TEXT_NAME_MAX + 1];
	char pwhash[160]; /* argon2id encoded form */
	unsigned roles;   /* enum role bits */
	int disabled;     /* 1: may not log in */
};

/* Looks an account up by email (case-insensitive). */
int db_user_by_email(struct db *db, const char *email, struct db_user *out);

/* Looks an account up by id. */
int db_user_by_id(struct db *db, int64_t id, struct db_user *out);

/* Inserts an account with its roles; sets *id. Returns 1, 0 when the email
 * is taken, -1 on error. Call inside db_tx. */
int db_user_insert(struct db *db, const char *email, const char *name, const char *pwhash,
		   unsigned roles, int64_t now, int64_t *id);

/* Replaces the password hash. Returns 1, 0 if no such account, -1. */
int db_user_set_password(struct db *db, int64_t id, const char *pwhash, int64_t now);

/* Calls fn for each account in email order; stops early when fn returns
 * non-zero. Returns 1, or -1 on error. pwhash is left empty. */
int db_user_each(struct db *db, int (*fn)(const struct db_user *u, void *arg), void *arg);

/* Number of accounts, or -1. */
int64_t db_user_count(struct db *db);

#endif
