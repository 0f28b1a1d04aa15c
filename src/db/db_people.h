/*
 * db_people: people (contact details and location), member classes,
 * memberships, skills and the audit log of care records.
 * Returns follow db.h: -1 error, 0 not found / taken, 1 ok.
 */
#ifndef CARECOOP_DB_PEOPLE_H
#define CARECOOP_DB_PEOPLE_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"

#define DB_TEXT_SHORT 101
#define DB_TEXT_LONG  2001

struct db_person {
	int64_t id;
	char full_name[201];
	char known_as[DB_TEXT_SHORT]; /* first name others see */
	char email[255];              /* "" when none */
	char phone[41];
	char address[301];
	char area[DB_TEXT_SHORT]; /* neighbourhood; safe to show */
	bool has_location;
	double lat, lon; /* WGS84 degrees when has_location */
	int64_t user_id; /* 0: no login */
};

int db_person_insert(struct db *db, const struct db_person *p, int64_t *id);
int db_person_update(struct db *db, const struct db_person *p);
int db_person_get(struct db *db, int64_t id, struct db_person *out);

/* The person with this email (case-insensitive), 0 if none, -1 on error. */
int64_t db_person_id_by_email(struct db *db, const char *email);

/* The person linked to a login, or 0 if none (-1 on error). */
int64_t db_person_of_user(struct db *db, int64_t user_id);

/* Calls fn for each person whose name, email or area contains q (any when
 * q is ""), by name. Returns 1 or -1. */
int db_person_each(struct db *db, const char *q, int (*fn)(const struct db_person *p, void *arg),
		   void *arg);

struct db_class {
	int64_t id;
	char code[33];
	char name[201];
	int64_t members; /* current members */
};

int db_class_each(struct db *db, int (*fn)(const struct db_class *c, void *arg), void *arg);
int db_class_by_code(struct db *db, const char *code, struct db_class *out);
int db_class_rename(struct db *db, int64_t id, const char *name);

struct db_membership {
	int64_t id, person_id;
	char full_name[201];
	char address[301];
	char email[255];
	char class_code[33], class_name[201];
	char joined_on[11], left_on[11]; /* left_on "" while a member */
	int64_t share_pence;
	bool good_standing;
};

enum db_member_status { DB_MEMBERS_CURRENT, DB_MEMBERS_FORMER, DB_MEMBERS_ALL };

int db_member_each(struct db *db, const char *q, enum db_member_status status,
		   int (*fn)(const struct db_membership *m, void *arg), void *arg);
int db_member_get(struct db *db, int64_t id, struct db_membership *out);
int db_member_insert(struct db *db, int64_t person_id, int64_t class_id, const char *joined_on,
		     int64_t share_pence, bool good_standing, int64_t *id);
int db_member_update(struct db *db, int64_t id, int64_t class_id, int64_t share_pence,
		     bool good_standing);
int db_member_end(struct db *db, int64_t id, const char *left_on);

/* Skills: lookup by code and listing. */
int64_t db_skill_id(struct db *db, const char *code); /* 0: unknown, -1 error */
int db_skill_insert(struct db *db, const char *code, const char *name, int64_t *id);
int db_skill_each(struct db *db, int (*fn)(const char *code, const char *name, void *arg),
		  void *arg);

/* Appends an audit entry: who (user id, 0 for the system), action ("view",
 * "create", "update", "delete", "import"), object kind and id, detail. */
int db_audit(struct db *db, int64_t user_id, const char *action, const char *object,
	     int64_t object_id, const char *detail);

struct db_audit_entry {
	int64_t id, at, user_id, object_id;
	char user_email[255];
	char action[16], object[32];
	char detail[DB_TEXT_LONG];
};

/* Newest first; object "" for any kind, object_id 0 for any. */
int db_audit_each(struct db *db, const char *object, int64_t object_id, int limit,
		  int (*fn)(const struct db_audit_entry *e, void *arg), void *arg);

#endif
