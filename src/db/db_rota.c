/*
 * db_rota: queries on rota_weeks, visits, visit_carers and rota_changes.
 */
#include "db/db_rota.h"

#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "db/db_internal.h"

#define WEEK_COLS                                                                  \
	"id, week_start, status, version, solve_status, coalesce(solve_cost, -1)," \
	" coalesce(solve_uncovered, -1), solve_message"

static void week_from_row(sqlite3_stmt *st, struct db_week *w)
{
	memset(w, 0, sizeof *w);
	w->id = sqlite3_column_int64(st, 0);
	db_column_copy(st, 1, w->week_start, sizeof w->week_start);
	db_column_copy(st, 2, w->status, sizeof w->status);
	w->version = sqlite3_column_int64(st, 3);
	db_column_copy(st, 4, w->solve_status, sizeof w->solve_status);
	w->solve_cost = sqlite3_column_int64(st, 5);
	w->solve_uncovered = sqlite3_column_int64(st, 6);
	db_column_copy(st, 7, w->solve_message, sizeof w->solve_message);
}

static int one_week(sqlite3_stmt *st, struct db_week *out)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		week_from_row(st, out);
	return db_row_done(st, rc);
}

int db_week_by_start(struct db *db, const char *week_start, struct db_week *out)
{
	static const char sql[] = "SELECT " WEEK_COLS " FROM rota_weeks WHERE week_start = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, week_start, -1, SQLITE_STATIC);
	return one_week(st, out);
}

int db_week_get(struct db *db, int64_t id, struct db_week *out)
{
	static const char sql[] = "SELECT " WEEK_COLS " FROM rota_weeks WHERE id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return one_week(st, out);
}

int db_week_insert(struct db *db, const char *week_start, int64_t now, int64_t *id)
{
	static const char sql[] = "INSERT INTO rota_weeks (week_start, created_at) VALUES (?1, ?2)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, week_start, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	return db_insert_id(db, st, id);
}

int db_week_each(struct db *db, int (*fn)(const struct db_week *w, void *arg), void *arg)
{
	static const char sql[] = "SELECT " WEEK_COLS " FROM rota_weeks ORDER BY week_start DESC";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_week w;
		week_from_row(st, &w);
		if (fn(&w, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}

int db_week_publish(struct db *db, int64_t id, int64_t user_id, int64_t now)
{
	static const char sql[] =
		"UPDATE rota_weeks SET status = 'published', version = version + 1,"
		" published_at = ?2, published_by = ?3 WHERE id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, user_id);
	return db_change(db, st);
}

int64_t db_week_reset_running(struct db *db)
{
	static const char sql[] =
		"UPDATE rota_weeks SET solve_status = 'failed',"
		" solve_message = 'the server stopped during the solve; solve again'"
		" WHERE solve_status = 'running'";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL || db_exec_stmt(db, st) < 0)
		return -1;
	return sqlite3_changes(db->conn);
}

int db_week_solve_state(struct db *db, int64_t id, const char *status, int64_t cost,
			int64_t uncovered, const char *message)
{
	static const char sql[] = "UPDATE rota_weeks SET solve_status = ?2, solve_cost = ?3,"
				  " solve_uncovered = ?4, solve_message = ?5 WHERE id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	if (cost >= 0)
		sqlite3_bind_int64(st, 3, cost);
	if (uncovered >= 0)
		sqlite3_bind_int64(st, 4, uncovered);
	sqlite3_bind_text(st, 5, message, -1, SQLITE_STATIC);
	return db_change(db, st);
}

int db_visit_insert(struct db *db, const struct db_visit *v, int64_t now, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO visits (week_id, plan_line_id, recipient_id, local_start, starts_at,"
		" minutes, carers_needed, skills, tasks, uid, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
		" ON CONFLICT (week_id, plan_line_id, local_start) DO NOTHING";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, v->week_id);
	if (v->plan_line_id > 0)
		sqlite3_bind_int64(st, 2, v->plan_line_id);
	sqlite3_bind_int64(st, 3, v->recipient_id);
	sqlite3_bind_text(st, 4, v->local_start, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, v->starts_at);
	sqlite3_bind_int(st, 6, v->minutes);
	sqlite3_bind_int(st, 7, v->carers_needed);
	sqlite3_bind_text(st, 8, v->skills, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, v->tasks, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, v->uid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 11, now);
	if (db_exec_stmt(db, st) < 0)
		return -1;
	if (sqlite3_changes(db->conn) == 0)
		return 0;
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(db->conn);
	return 1;
}

#define VISIT_SELECT                                                                       \
	"SELECT v.id, v.week_id, coalesce(v.plan_line_id, 0), v.recipient_id, p.known_as," \
	" coalesce(p.area, ''), coalesce(p.address, ''), v.local_start, v.starts_at,"      \
	" v.minutes, v.carers_needed, v.skills, v.tasks, v.status, v.uid, v.sequence"      \
	" FROM visits v JOIN people p ON p.id = v.recipient_id "

static int load_visit_carers(struct db *db, struct db_visit *v)
{
	static const char sql[] =
		"SELECT vc.carer_id, p.known_as, vc.pinned FROM visit_carers vc JOIN people p"
		" ON p.id = vc.carer_id WHERE vc.visit_id = ?1 ORDER BY p.known_as";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	v->ncarers = 0;
	sqlite3_bind_int64(st, 1, v->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && v->ncarers < DB_VISIT_CARERS) {
		v->carer[v->ncarers] = sqlite3_column_int64(st, 0);
		db_column_copy(st, 1, v->carer_name[v->ncarers], sizeof v->carer_name[0]);
		v->pinned[v->ncarers] = sqlite3_column_int(st, 2) != 0;
		v->ncarers++;
	}
	return db_each_done(st, rc);
}

static void visit_from_row(sqlite3_stmt *st, struct db_visit *v)
{
	memset(v, 0, sizeof *v);
	v->id = sqlite3_column_int64(st, 0);
	v->week_id = sqlite3_column_int64(st, 1);
	v->plan_line_id = sqlite3_column_int64(st, 2);
	v->recipient_id = sqlite3_column_int64(st, 3);
	db_column_copy(st, 4, v->recipient_name, sizeof v->recipient_name);
	db_column_copy(st, 5, v->area, sizeof v->area);
	db_column_copy(st, 6, v->address, sizeof v->address);
	db_column_copy(st, 7, v->local_start, sizeof v->local_start);
	v->starts_at = sqlite3_column_int64(st, 8);
	v->minutes = sqlite3_column_int(st, 9);
	v->carers_needed = sqlite3_column_int(st, 10);
	db_column_copy(st, 11, v->skills, sizeof v->skills);
	db_column_copy(st, 12, v->tasks, sizeof v->tasks);
	db_column_copy(st, 13, v->status, sizeof v->status);
	db_column_copy(st, 14, v->uid, sizeof v->uid);
	v->sequence = sqlite3_column_int64(st, 15);
}

int db_visit_get(struct db *db, int64_t id, struct db_visit *out)
{
	static const char sql[] = VISIT_SELECT "WHERE v.id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		visit_from_row(st, out);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return load_visit_carers(db, out);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int visits_loop(struct db *db, sqlite3_stmt *st,
		       int (*fn)(const struct db_visit *v, void *arg), void *arg)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_visit v;
		visit_from_row(st, &v);
		if (load_visit_carers(db, &v) < 0 || fn(&v, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}

int db_visit_each(struct db *db, int64_t week_id, int (*fn)(const struct db_visit *v, void *arg),
		  void *arg)
{
	static const char sql[] = VISIT_SELECT "WHERE v.week_id = ?1 ORDER BY v.starts_at, v.id";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, week_id);
	return visits_loop(db, st, fn, arg);
}

int db_visit_each_of_carer(struct db *db, int64_t week_id, int64_t carer_id,
			   int (*fn)(const struct db_visit *v, void *arg), void *arg)
{
	static const char sql[] = VISIT_SELECT
		"WHERE v.week_id = ?1 AND v.status = 'planned' AND EXISTS (SELECT 1 FROM"
		" visit_carers vc WHERE vc.visit_id = v.id AND vc.carer_id = ?2)"
		" ORDER BY v.starts_at, v.id";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, week_id);
	sqlite3_bind_int64(st, 2, carer_id);
	return visits_loop(db, st, fn, arg);
}

int db_visit_each_of_recipient(struct db *db, int64_t week_id, int64_t recipient_id,
			       int (*fn)(const struct db_visit *v, void *arg), void *arg)
{
	static const char sql[] = VISIT_SELECT
		"WHERE v.week_id = ?1 AND v.recipient_id = ?2 ORDER BY v.starts_at, v.id";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, week_id);
	sqlite3_bind_int64(st, 2, recipient_id);
	return visits_loop(db, st, fn, arg);
}

int db_visit_cancel(struct db *db, int64_t visit_id, int64_t now)
{
	/* RFC 5546 section 2.1.4: clients take a cancellation only from a
	 * higher SEQUENCE, so the cancellation counts as a change of time. */
	static const char sql[] = "UPDATE visits SET status = 'cancelled', cancelled_at = ?2, "
				  "sequence = sequence + 1,"
				  " updated_at = ?2 WHERE id = ?1 AND status = 'planned'";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, visit_id);
	sqlite3_bind_int64(st, 2, now);
	return db_change(db, st);
}

int db_visit_set_carers(struct db *db, int64_t visit_id, const int64_t *carers, size_t n,
			bool pinned, int64_t now)
{
	static const char sql_same[] =
		"SELECT count(*) = ?2 AND (SELECT count(*) FROM visit_carers WHERE visit_id = ?1)"
		" = ?2 FROM visit_carers WHERE visit_id = ?1 AND carer_id IN (?3, ?4)";
	static const char del[] = "DELETE FROM visit_carers WHERE visit_id = ?1";
	static const char ins[] =
		"INSERT INTO visit_carers (visit_id, carer_id, pinned) VALUES (?1, ?2, ?3)";
	static const char bump[] = "UPDATE visits SET sequence = sequence + 1, updated_at = ?2"
				   " WHERE id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql_same);
	int64_t same;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, visit_id);
	sqlite3_bind_int64(st, 2, (int64_t)n);
	sqlite3_bind_int64(st, 3, n > 0 ? carers[0] : 0);
	sqlite3_bind_int64(st, 4, n > 1 ? carers[1] : 0);
	same = db_scalar(st);
	if (db_exec_id(db, del, visit_id) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if ((st = db_stmt(db, ins)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, visit_id);
		sqlite3_bind_int64(st, 2, carers[i]);
		sqlite3_bind_int(st, 3, pinned);
		if (db_exec_stmt(db, st) < 0)
			return -1;
	}
	if (same == 1)
		return 1;
	if ((st = db_stmt(db, bump)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, visit_id);
	sqlite3_bind_int64(st, 2, now);
	return db_exec_stmt(db, st);
}

int db_change_insert(struct db *db, int64_t week_id, int64_t user_id, int64_t visit_id,
		     const char *detail, int64_t now)
{
	static const char sql[] =
		"INSERT INTO rota_changes (week_id, at, user_id, visit_id, detail)"
		" VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, week_id);
	sqlite3_bind_int64(st, 2, now);
	if (user_id > 0)
		sqlite3_bind_int64(st, 3, user_id);
	if (visit_id > 0)
		sqlite3_bind_int64(st, 4, visit_id);
	sqlite3_bind_text(st, 5, detail, -1, SQLITE_STATIC);
	return db_insert_id(db, st, NULL);
}

int db_change_each(struct db *db, int64_t week_id, int (*fn)(const struct db_change *c, void *arg),
		   void *arg)
{
	static const char sql[] =
		"SELECT c.id, c.at, coalesce(c.visit_id, 0), coalesce(u.email, ''), c.detail"
		" FROM rota_changes c LEFT JOIN users u ON u.id = c.user_id WHERE c.week_id = ?1"
		" ORDER BY c.id DESC";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, week_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_change c;
		memset(&c, 0, sizeof c);
		c.id = sqlite3_column_int64(st, 0);
		c.at = sqlite3_column_int64(st, 1);
		c.visit_id = sqlite3_column_int64(st, 2);
		db_column_copy(st, 3, c.user_email, sizeof c.user_email);
		db_column_copy(st, 4, c.detail, sizeof c.detail);
		if (fn(&c, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}
