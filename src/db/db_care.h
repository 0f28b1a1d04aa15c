/*
 * db_care: carers (skills, contract, availability, exceptions) and people
 * receiving care (sensitive notes, care team, excluded carers, family
 * viewers, care plan lines), and the access relations between them.
 * Returns follow db.h: -1 error, 0 not found / taken, 1 ok.
 */
#ifndef CARECOOP_DB_CARE_H
#define CARECOOP_DB_CARE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/care.h"
#include "db/db.h"
#include "db/db_people.h"

#define DB_SKILLS_MAX 16

struct db_carer {
	struct db_person person;
	int contract_minutes; /* per week */
	int max_week_minutes; /* per week, WTR default 2880 */
	char skills[DB_SKILLS_MAX][CARE_SKILL_CODE_MAX + 1];
	unsigned nskills;
};

int db_carer_create(struct db *db, int64_t person_id, int contract_minutes, int max_week_minutes);
int db_carer_update(struct db *db, int64_t person_id, int contract_minutes, int max_week_minutes);
int db_carer_get(struct db *db, int64_t person_id, struct db_carer *out);
bool db_is_carer(struct db *db, int64_t person_id);

/* Replaces a carer's skills with skill ids. */
int db_carer_set_skills(struct db *db, int64_t carer_id, const int64_t *skill_ids, size_t n);

/* Each carer matching q (name, email, area; "" for all), by name. */
int db_carer_each(struct db *db, const char *q, int (*fn)(const struct db_carer *c, void *arg),
		  void *arg);

/* Weekly availability: reads into spans (capacity cap), *n set. */
int db_availability_get(struct db *db, int64_t carer_id, struct care_span *spans, size_t cap,
			size_t *n);
int db_availability_set(struct db *db, int64_t carer_id, const struct care_span *spans, size_t n);

struct db_exception {
	int64_t id, carer_id;
	char kind[12]; /* leave, sickness, extra */
	char start[17], end[17];
	char status[12]; /* requested, approved, refused */
	char note[501];
	int64_t created_by;
};

int db_exception_insert(struct db *db, const struct db_exception *e, int64_t now, int64_t *id);
int db_exception_get(struct db *db, int64_t id, struct db_exception *out);
int db_exception_decide(struct db *db, int64_t id, const char *status, int64_t user_id,
			int64_t now);
int db_exception_delete(struct db *db, int64_t id);
int db_exception_each(struct db *db, int64_t carer_id,
		      int (*fn)(const struct db_exception *e, void *arg), void *arg);

struct db_recipient {
	struct db_person person;
	char notes[DB_TEXT_LONG]; /* sensitive: health */
	char key_safe[201];       /* sensitive: access */
};

int db_recipient_create(struct db *db, int64_t person_id, const char *notes, const char *key_safe);
int db_recipient_update_notes(struct db *db, int64_t person_id, const char *notes,
			      const char *key_safe);
int db_recipient_get(struct db *db, int64_t person_id, struct db_recipient *out);
bool db_is_recipient(struct db *db, int64_t person_id);

/* Each recipient matching q. visible_to_user: 0 for all; else only those
 * whose team holds that user's person, or who list the user as a viewer. */
int db_recipient_each(struct db *db, const char *q, int64_t visible_to_user,
		      int (*fn)(const struct db_recipient *r, void *arg), void *arg);

enum db_recipient_access {
	DB_ACCESS_NONE = 0,
	DB_ACCESS_TEAM,   /* the user is a carer in the care team */
	DB_ACCESS_VIEWER, /* the user is family or a representative */
};

/* How a user relates to a recipient (-1 on error). */
int db_recipient_access(struct db *db, int64_t recipient_id, int64_t user_id);

struct db_team_member {
	int64_t carer_id;
	char known_as[DB_TEXT_SHORT];
	int rank; /* 1 = first preference; 0 for excluded */
};

int db_team_each(struct db *db, int64_t recipient_id, bool excluded,
		 int (*fn)(const struct db_team_member *m, void *arg), void *arg);

/* The team's emails in order of preference, ';'-separated, into out. */
int db_team_emails(struct db *db, int64_t recipient_id, char *out, size_t n);

/* Replaces team (in order) and excluded lists. */
int db_team_set(struct db *db, int64_t recipient_id, const int64_t *team, size_t nteam,
		const int64_t *excluded, size_t nexcluded);

struct db_viewer {
	int64_t user_id;
	char email[255];
	char relationship[DB_TEXT_SHORT];
};

int db_viewer_each(struct db *db, int64_t recipient_id,
		   int (*fn)(const struct db_viewer *v, void *arg), void *arg);
int db_viewers_set(struct db *db, int64_t recipient_id, const struct db_viewer *v, size_t n);

struct db_plan_line {
	int64_t id, recipient_id;
	unsigned days; /* bit 0 = Monday */
	int start_min;
	int minutes;
	int carers; /* 1 or 2 */
	char tasks[DB_TEXT_LONG];
	char valid_from[11], valid_to[11]; /* valid_to "" when open-ended */
	int64_t replaces;                  /* 0 when new */
	char skills[DB_SKILLS_MAX][CARE_SKILL_CODE_MAX + 1];
	unsigned nskills;
};

/* Inserts a line; skill_ids must already be resolved. */
int db_plan_insert(struct db *db, const struct db_plan_line *l, const int64_t *skill_ids,
		   size_t nskills, int64_t *id);
int db_plan_get(struct db *db, int64_t id, struct db_plan_line *out);
int db_plan_end(struct db *db, int64_t id, const char *valid_to);
int db_plan_each(struct db *db, int64_t recipient_id,
		 int (*fn)(const struct db_plan_line *l, void *arg), void *arg);

#endif
