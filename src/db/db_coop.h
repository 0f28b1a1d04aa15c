/*
 * db_coop: the co-op itself and the register read by the home page: member
 * classes, people, memberships, carers, people receiving care, care teams
 * and proposals. (Later releases give each domain its own file.)
 * Returns follow db.h: -1 error, 0 not found / conflict, 1 ok.
 */
#ifndef CARECOOP_DB_COOP_H
#define CARECOOP_DB_COOP_H

#include <stdint.h>

#include "db/db.h"
#include "db/db_people.h"

/* Creates the co-op row. Returns 1, 0 if the database already has a co-op. */
int db_coop_create(struct db *db, const char *name, const char *timezone, int64_t now);

/* Copies the co-op's name into out (size n). Returns 1, 0 if none yet, -1. */
int db_coop_name(struct db *db, char *out, size_t n);

/* Copies the co-op's IANA time zone into out (size n). Returns 1, 0 if none. */
int db_coop_timezone(struct db *db, char *out, size_t n);

int db_class_insert(struct db *db, const char *code, const char *name, int position, int64_t *id);

/* Counts rows of carers and of recipients. -1 on error. */
int64_t db_carer_count(struct db *db);
int64_t db_recipient_count(struct db *db);

struct db_proposal_brief {
	int64_t id;
	const char *title, *kind; /* valid during the callback only */
	int64_t closes_at;
};

/* Calls fn for each open proposal, soonest closing first. Returns 1 or -1. */
int db_proposal_each_open(struct db *db, int (*fn)(const struct db_proposal_brief *p, void *arg),
			  void *arg);

#endif
