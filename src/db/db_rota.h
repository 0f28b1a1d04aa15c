/*
 * db_rota: rota weeks, visits, assignments and post-publication changes.
 * Returns follow db.h: -1 error, 0 not found / taken, 1 ok.
 */
#ifndef CARECOOP_DB_ROTA_H
#define CARECOOP_DB_ROTA_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "db/db_people.h"

#define DB_VISIT_CARERS 2

struct db_week {
	int64_t id;
	char week_start[11];
	char status[12]; /* draft, published */
	int64_t version;
	char solve_status[12]; /* idle, running, done, failed */
	int64_t solve_cost;    /* -1 when none */
	int64_t solve_uncovered;
	char solve_message[256];
};

int db_week_by_start(struct db *db, const char *week_start, struct db_week *out);
int db_week_get(struct db *db, int64_t id, struct db_week *out);
int db_week_insert(struct db *db, const char *week_start, int64_t now, int64_t *id);
int db_week_each(struct db *db, int (*fn)(const struct db_week *w, void *arg), void *arg);
int db_week_publish(struct db *db, int64_t id, int64_t user_id, int64_t now);
/* Marks solves left "running" by a stopped server as failed. Returns the
 * number of weeks changed, or -1. */
int64_t db_week_reset_running(struct db *db);

int db_week_solve_state(struct db *db, int64_t id, const char *status, int64_t cost,
			int64_t uncovered, const char *message);

struct db_visit {
	int64_t id, week_id, plan_line_id, recipient_id;
	char recipient_name[DB_TEXT_SHORT]; /* known_as */
	char area[DB_TEXT_SHORT];
	char address[301];
	char local_start[17];
	int64_t starts_at; /* UTC seconds */
	int minutes, carers_needed;
	char skills[200]; /* comma-separated codes */
	char tasks[DB_TEXT_LONG];
	char status[12];
	char uid[80];
	int64_t sequence;
	int64_t carer[DB_VISIT_CARERS]; /* assigned carers, 0 = free place */
	char carer_name[DB_VISIT_CARERS][DB_TEXT_SHORT];
	bool pinned[DB_VISIT_CARERS];
	unsigned ncarers;
};

/* Inserts a visit unless (week, plan line, local start) exists: returns 1
 * new, 0 already there, -1 error. */
int db_visit_insert(struct db *db, const struct db_visit *v, int64_t now, int64_t *id);
int db_visit_get(struct db *db, int64_t id, struct db_visit *out);

/* Each visit of a week in start order, with its carers. */
int db_visit_each(struct db *db, int64_t week_id, int (*fn)(const struct db_visit *v, void *arg),
		  void *arg);

/* Each planned visit of a published week where carer works, in order. */
int db_visit_each_of_carer(struct db *db, int64_t week_id, int64_t carer_id,
			   int (*fn)(const struct db_visit *v, void *arg), void *arg);

/* Each visit of a week for one recipient, in order. */
int db_visit_each_of_recipient(struct db *db, int64_t week_id, int64_t recipient_id,
			       int (*fn)(const struct db_visit *v, void *arg), void *arg);

/* Replaces a visit's carers; raises its sequence when they change. */
int db_visit_set_carers(struct db *db, int64_t visit_id, const int64_t *carers, size_t n,
			bool pinned, int64_t now);

/* Cancels a planned visit: it keeps its carers (their calendars show it
 * as cancelled) and its SEQUENCE is raised. Returns 1, 0 when the visit is
 * not a planned one. */
int db_visit_cancel(struct db *db, int64_t visit_id, int64_t now);

int db_change_insert(struct db *db, int64_t week_id, int64_t user_id, int64_t visit_id,
		     const char *detail, int64_t now);

struct db_change {
	int64_t id, at, visit_id;
	char user_email[255];
	char detail[512];
};

int db_change_each(struct db *db, int64_t week_id, int (*fn)(const struct db_change *c, void *arg),
		   void *arg);

#endif
