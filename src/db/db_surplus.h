/*
 * db_surplus: the surplus rulebook versions, surplus runs, the lines and
 * class totals frozen when a run is approved, the memberships that count in
 * a financial year, carried proposals and the published rota weeks of a
 * year. The allocation itself is core/surplus.c; this file only stores.
 * Returns follow db.h: -1 error, 0 not found / not allowed now, 1 ok.
 */
#ifndef CARECOOP_DB_SURPLUS_H
#define CARECOOP_DB_SURPLUS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/surplus.h"
#include "db/db.h"
#include "db/db_people.h"

#define DB_SURPLUS_NOTE   501
#define DB_SURPLUS_WHATIF 8192 /* JSON text of the what-if rules */

struct db_surplus_rulebook {
	int64_t version;
	int32_t reserve_bp, fund_bp, interest_bp; /* basis points */
	int64_t interest_cap_pence;               /* SURPLUS_NO_CAP when none */
	char note[DB_SURPLUS_NOTE];
	int64_t created_at;
	struct surplus_class_rule classes[SURPLUS_CLASSES_MAX];
	size_t n_classes;
};

/* Reads a version (0: the latest) with its classes. */
int db_surplus_rulebook_get(struct db *db, int64_t version, struct db_surplus_rulebook *out);

/* Adds the next version (*version set); rb->version is ignored. */
int db_surplus_rulebook_insert(struct db *db, const struct db_surplus_rulebook *rb, int64_t user_id,
			       int64_t now, int64_t *version);

/* Each version, newest first. */
int db_surplus_rulebook_each(struct db *db,
			     int (*fn)(const struct db_surplus_rulebook *rb, void *arg), void *arg);

struct db_surplus_run {
	int64_t id;
	char year_start[11], year_end[11]; /* YYYY-MM-DD, inclusive */
	int64_t surplus_pence;
	int64_t rulebook_version;
	char status[12]; /* draft, approved, paid */
	char note[DB_SURPLUS_NOTE];
	char whatif[DB_SURPLUS_WHATIF]; /* JSON rules, "" when none */
	int64_t created_at;
	int64_t proposal_id; /* 0 while draft */
	char proposal_title[201];
	int64_t approved_at, paid_at;                                      /* 0 when not yet */
	int64_t reserve_pence, fund_pence, interest_pence, dividend_pence; /* at approval */
};

int db_surplus_run_insert(struct db *db, const struct db_surplus_run *r, int64_t user_id,
			  int64_t now, int64_t *id);
int db_surplus_run_get(struct db *db, int64_t id, struct db_surplus_run *out);

/* Each run, newest first. */
int db_surplus_run_each(struct db *db, int (*fn)(const struct db_surplus_run *r, void *arg),
			void *arg);

/* Changes a draft's surplus, rulebook version, note and what-if rules.
 * 0 when the run is not a draft (the triggers refuse it too). */
int db_surplus_run_update_draft(struct db *db, const struct db_surplus_run *r);

/* Marks a draft approved with the totals of r; 0 when not a draft, or the
 * proposal already approves another run. */
int db_surplus_run_approve(struct db *db, const struct db_surplus_run *r, int64_t user_id,
			   int64_t now);

/* Marks an approved run paid; 0 when it is not approved. */
int db_surplus_run_paid(struct db *db, int64_t id, int64_t user_id, int64_t now);

struct db_surplus_line {
	int64_t membership_id, person_id;
	char full_name[201];
	char email[255]; /* read back only */
	int64_t class_id;
	char class_code[33], class_name[201]; /* read back only */
	char basis[16];                       /* "" when the class has no share */
	int32_t days;
	bool good_standing;
	int64_t worked_minutes, care_minutes, share_pence, weight;
	int64_t interest_pence, dividend_pence, total_pence;
};

/* Writes one line of a run that is still a draft (approval transaction). */
int db_surplus_line_insert(struct db *db, int64_t run_id, const struct db_surplus_line *l);

/* Each frozen line of a run, by name; person_id 0 for all, else theirs. */
int db_surplus_line_each(struct db *db, int64_t run_id, int64_t person_id,
			 int (*fn)(const struct db_surplus_line *l, void *arg), void *arg);

/* Each frozen line of one person, in any approved or paid run, newest run
 * first (fn gets the run id). */
int db_surplus_line_each_of_person(struct db *db, int64_t person_id,
				   int (*fn)(int64_t run_id, const struct db_surplus_line *l,
					     void *arg),
				   void *arg);

struct db_surplus_class {
	int64_t class_id;
	char code[33], name[201]; /* read back only */
	int32_t pool_bp;
	char basis[16];
	int64_t pool_pence, paid_pence, weight_total, members;
};

int db_surplus_class_insert(struct db *db, int64_t run_id, const struct db_surplus_class *c);
int db_surplus_class_each(struct db *db, int64_t run_id,
			  int (*fn)(const struct db_surplus_class *c, void *arg), void *arg);

/* A membership that overlaps the year [from, to]. */
struct db_surplus_member {
	int64_t membership_id, person_id;
	char full_name[201];
	int64_t class_id;
	char joined_on[11], left_on[11]; /* left_on "" while a member */
	int64_t share_pence;
	bool good_standing;
};

int db_surplus_member_each(struct db *db, const char *from, const char *to,
			   int (*fn)(const struct db_surplus_member *m, void *arg), void *arg);

/* Each published rota week whose Monday is in [from, to], by date. */
int db_surplus_week_each(struct db *db, const char *from, const char *to,
			 int (*fn)(int64_t week_id, const char *week_start, void *arg), void *arg);

/* A proposal's title and whether it is carried (status 'decided' and
 * outcome 'carried', the governance contract). 0 when there is none. */
int db_surplus_proposal(struct db *db, int64_t id, char *title, size_t n, bool *carried);

/* Each carried proposal that approves no run yet, newest first. */
int db_surplus_carried_each(struct db *db, int (*fn)(int64_t id, const char *title, void *arg),
			    void *arg);

/* Classes (member_classes) by id: code and name; 0 when unknown. */
int db_surplus_class_name(struct db *db, int64_t class_id, char code[33], char name[201]);

#endif
