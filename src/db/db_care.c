/*
 * db_care: queries on carers, carer_skills, availability,
 * availability_exceptions, recipients, care_team, recipient_excluded,
 * recipient_viewers, plan_lines and plan_line_skills.
 */
#include "db/db_care.h"

#include <string.h>

#include "core/text.h"
#include "db/db_internal.h"

static bool exists(struct db *db, const char *sql, int64_t id)
{
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return false;
	sqlite3_bind_int64(st, 1, id);
	return db_scalar(st) > 0;
}

int db_carer_create(struct db *db, int64_t person_id, int contract_minutes, int max_week_minutes)
{
	static const char sql[] =
		"INSERT INTO carers (person_id, contract_minutes, max_week_minutes)"
		" VALUES (?1, ?2, ?3)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, person_id);
	sqlite3_bind_int(st, 2, contract_minutes);
	sqlite3_bind_int(st, 3, max_week_minutes);
	return db_insert_id(db, st, NULL);
}

int db_carer_update(struct db *db, int64_t person_id, int contract_minutes, int max_week_minutes)
{
	static const char sql[] = "UPDATE carers SET contract_minutes = ?2, max_week_minutes = ?3"
				  " WHERE person_id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, person_id);
	sqlite3_bind_int(st, 2, contract_minutes);
	sqlite3_bind_int(st, 3, max_week_minutes);
	return db_change(db, st);
}

bool db_is_carer(struct db *db, int64_t person_id)
{
	static const char sql[] = "SELECT count(*) FROM carers WHERE person_id = ?1";
	return exists(db, sql, person_id);
}

static int load_carer_skills(struct db *db, struct db_carer *c)
{
	static const char sql[] =
		"SELECT s.code FROM carer_skills cs JOIN skills s ON s.id = cs.skill_id"
		" WHERE cs.carer_id = ?1 ORDER BY s.code";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	c->nskills = 0;
	sqlite3_bind_int64(st, 1, c->person.id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && c->nskills < DB_SKILLS_MAX)
		db_column_copy(st, 0, c->skills[c->nskills++], sizeof c->skills[0]);
	return db_each_done(st, rc);
}

static void carer_from_row(sqlite3_stmt *st, struct db_carer *c)
{
	memset(c, 0, sizeof *c);
	db_person_from_row(st, 0, &c->person);
	c->contract_minutes = sqlite3_column_int(st, 10);
	c->max_week_minutes = sqlite3_column_int(st, 11);
}

int db_carer_get(struct db *db, int64_t person_id, struct db_carer *out)
{
	static const char sql[] = "SELECT " PERSON_COLS ", c.contract_minutes, c.max_week_minutes"
				  " FROM carers c JOIN people p ON p.id = c.person_id"
				  " WHERE c.person_id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, person_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		carer_from_row(st, out);
	rc = db_row_done(st, rc);
	if (rc == 1 && load_carer_skills(db, out) < 0)
		return -1;
	return rc;
}

int db_carer_set_skills(struct db *db, int64_t carer_id, const int64_t *skill_ids, size_t n)
{
	static const char del[] = "DELETE FROM carer_skills WHERE carer_id = ?1";
	static const char ins[] =
		"INSERT OR IGNORE INTO carer_skills (carer_id, skill_id) VALUES (?1, ?2)";
	sqlite3_stmt *st;

	if (db_exec_id(db, del, carer_id) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if ((st = db_stmt(db, ins)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, carer_id);
		sqlite3_bind_int64(st, 2, skill_ids[i]);
		if (db_exec_stmt(db, st) < 0)
			return -1;
	}
	return 1;
}

int db_carer_each(struct db *db, const char *q, int (*fn)(const struct db_carer *c, void *arg),
		  void *arg)
{
	static const char sql[] = "SELECT " PERSON_COLS ", c.contract_minutes, c.max_week_minutes"
				  " FROM carers c JOIN people p ON p.id = c.person_id"
				  " WHERE ?1 = '' OR instr(lower(p.full_name), lower(?1)) OR"
				  " instr(lower(coalesce(p.email, '')), lower(?1)) OR"
				  " instr(lower(coalesce(p.area, '')), lower(?1))"
				  " ORDER BY p.full_name, p.id";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_carer c;
		carer_from_row(st, &c);
		if (load_carer_skills(db, &c) < 0 || fn(&c, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}

int db_availability_get(struct db *db, int64_t carer_id, struct care_span *spans, size_t cap,
			size_t *n)
{
	static const char sql[] = "SELECT weekday, start_min, end_min FROM availability"
				  " WHERE carer_id = ?1 ORDER BY weekday, start_min";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	*n = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, carer_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < cap) {
		spans[*n].weekday = sqlite3_column_int(st, 0);
		spans[*n].start_min = sqlite3_column_int(st, 1);
		spans[*n].end_min = sqlite3_column_int(st, 2);
		(*n)++;
	}
	return db_each_done(st, rc);
}

int db_availability_set(struct db *db, int64_t carer_id, const struct care_span *spans, size_t n)
{
	static const char del[] = "DELETE FROM availability WHERE carer_id = ?1";
	static const char ins[] = "INSERT INTO availability (carer_id, weekday, start_min,"
				  " end_min) VALUES (?1, ?2, ?3, ?4)";
	sqlite3_stmt *st;

	if (db_exec_id(db, del, carer_id) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if ((st = db_stmt(db, ins)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, carer_id);
		sqlite3_bind_int(st, 2, spans[i].weekday);
		sqlite3_bind_int(st, 3, spans[i].start_min);
		sqlite3_bind_int(st, 4, spans[i].end_min);
		if (db_exec_stmt(db, st) < 0)
			return -1;
	}
	return 1;
}

#define EXCEPTION_COLS \
	"id, carer_id, kind, starts_at, ends_at, status, note, coalesce(created_by, 0)"

static void exception_from_row(sqlite3_stmt *st, struct db_exception *e)
{
	memset(e, 0, sizeof *e);
	e->id = sqlite3_column_int64(st, 0);
	e->carer_id = sqlite3_column_int64(st, 1);
	db_column_copy(st, 2, e->kind, sizeof e->kind);
	db_column_copy(st, 3, e->start, sizeof e->start);
	db_column_copy(st, 4, e->end, sizeof e->end);
	db_column_copy(st, 5, e->status, sizeof e->status);
	db_column_copy(st, 6, e->note, sizeof e->note);
	e->created_by = sqlite3_column_int64(st, 7);
}

int db_exception_insert(struct db *db, const struct db_exception *e, int64_t now, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO availability_exceptions (carer_id, kind, starts_at, ends_at, status,"
		" note, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, e->carer_id);
	sqlite3_bind_text(st, 2, e->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, e->start, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, e->end, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, e->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, e->note, -1, SQLITE_STATIC);
	if (e->created_by > 0)
		sqlite3_bind_int64(st, 7, e->created_by);
	sqlite3_bind_int64(st, 8, now);
	return db_insert_id(db, st, id);
}

int db_exception_get(struct db *db, int64_t id, struct db_exception *out)
{
	static const char sql[] =
		"SELECT " EXCEPTION_COLS " FROM availability_exceptions WHERE id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		exception_from_row(st, out);
	return db_row_done(st, rc);
}

int db_exception_decide(struct db *db, int64_t id, const char *status, int64_t user_id, int64_t now)
{
	static const char sql[] =
		"UPDATE availability_exceptions SET status = ?2, decided_by = ?3, decided_at = ?4"
		" WHERE id = ?1 AND status = 'requested'";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, user_id);
	sqlite3_bind_int64(st, 4, now);
	return db_change(db, st);
}

int db_exception_delete(struct db *db, int64_t id)
{
	static const char sql[] = "DELETE FROM availability_exceptions WHERE id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return db_change(db, st);
}

int db_exception_each(struct db *db, int64_t carer_id,
		      int (*fn)(const struct db_exception *e, void *arg), void *arg)
{
	static const char sql[] = "SELECT " EXCEPTION_COLS " FROM availability_exceptions"
				  " WHERE carer_id = ?1 ORDER BY starts_at, id";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, carer_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_exception e;
		exception_from_row(st, &e);
		if (fn(&e, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}

int db_recipient_create(struct db *db, int64_t person_id, const char *notes, const char *key_safe)
{
	static const char sql[] =
		"INSERT INTO recipients (person_id, notes, key_safe) VALUES (?1, ?2, ?3)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, person_id);
	sqlite3_bind_text(st, 2, notes, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, key_safe, -1, SQLITE_STATIC);
	return db_insert_id(db, st, NULL);
}

int db_recipient_update_notes(struct db *db, int64_t person_id, const char *notes,
			      const char *key_safe)
{
	static const char sql[] =
		"UPDATE recipients SET notes = ?2, key_safe = ?3 WHERE person_id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, person_id);
	sqlite3_bind_text(st, 2, notes, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, key_safe, -1, SQLITE_STATIC);
	return db_change(db, st);
}

static void recipient_from_row(sqlite3_stmt *st, struct db_recipient *r)
{
	memset(r, 0, sizeof *r);
	db_person_from_row(st, 0, &r->person);
	db_column_copy(st, 10, r->notes, sizeof r->notes);
	db_column_copy(st, 11, r->key_safe, sizeof r->key_safe);
}

int db_recipient_get(struct db *db, int64_t person_id, struct db_recipient *out)
{
	static const char sql[] = "SELECT " PERSON_COLS ", r.notes, r.key_safe"
				  " FROM recipients r JOIN people p ON p.id = r.person_id"
				  " WHERE r.person_id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, person_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		recipient_from_row(st, out);
	return db_row_done(st, rc);
}

bool db_is_recipient(struct db *db, int64_t person_id)
{
	static const char sql[] = "SELECT count(*) FROM recipients WHERE person_id = ?1";
	return exists(db, sql, person_id);
}

int db_recipient_each(struct db *db, const char *q, int64_t visible_to_user,
		      int (*fn)(const struct db_recipient *r, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT " PERSON_COLS ", r.notes, r.key_safe"
		" FROM recipients r JOIN people p ON p.id = r.person_id"
		" WHERE (?1 = '' OR instr(lower(p.full_name), lower(?1)) OR"
		" instr(lower(coalesce(p.area, '')), lower(?1)))"
		" AND (?2 = 0 OR EXISTS (SELECT 1 FROM care_team t JOIN people c ON c.id ="
		" t.carer_id WHERE t.recipient_id = r.person_id AND c.user_id = ?2)"
		" OR EXISTS (SELECT 1 FROM recipient_viewers v WHERE v.recipient_id ="
		" r.person_id AND v.user_id = ?2))"
		" ORDER BY p.full_name, p.id";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, visible_to_user);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_recipient r;
		recipient_from_row(st, &r);
		if (fn(&r, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}

int db_recipient_access(struct db *db, int64_t recipient_id, int64_t user_id)
{
	static const char sql[] =
		"SELECT CASE WHEN EXISTS (SELECT 1 FROM care_team t JOIN people c ON c.id ="
		" t.carer_id WHERE t.recipient_id = ?1 AND c.user_id = ?2) THEN 1"
		" WHEN EXISTS (SELECT 1 FROM recipient_viewers v WHERE v.recipient_id = ?1"
		" AND v.user_id = ?2) THEN 2 ELSE 0 END";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, recipient_id);
	sqlite3_bind_int64(st, 2, user_id);
	return (int)db_scalar(st);
}

int db_team_each(struct db *db, int64_t recipient_id, bool excluded,
		 int (*fn)(const struct db_team_member *m, void *arg), void *arg)
{
	static const char sql_team[] =
		"SELECT t.carer_id, p.known_as, t.rank FROM care_team t JOIN people p ON p.id ="
		" t.carer_id WHERE t.recipient_id = ?1 ORDER BY t.rank";
	static const char sql_excluded[] =
		"SELECT x.carer_id, p.known_as, 0 FROM recipient_excluded x JOIN people p ON"
		" p.id = x.carer_id WHERE x.recipient_id = ?1 ORDER BY p.known_as";
	sqlite3_stmt *st = db_stmt(db, excluded ? sql_excluded : sql_team);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, recipient_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_team_member m;
		memset(&m, 0, sizeof m);
		m.carer_id = sqlite3_column_int64(st, 0);
		db_column_copy(st, 1, m.known_as, sizeof m.known_as);
		m.rank = sqlite3_column_int(st, 2);
		if (fn(&m, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}

int db_team_emails(struct db *db, int64_t recipient_id, char *out, size_t n)
{
	static const char sql[] =
		"SELECT coalesce(p.email, '') FROM care_team t JOIN people p ON p.id = t.carer_id"
		" WHERE t.recipient_id = ?1 ORDER BY t.rank";
	sqlite3_stmt *st = db_stmt(db, sql);
	size_t o = 0;
	int rc;

	out[0] = '\0';
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, recipient_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *email = (const char *)sqlite3_column_text(st, 0);
		size_t len = strlen(email);
		if (len == 0 || o + len + 2 > n)
			continue;
		if (o > 0)
			out[o++] = ';';
		memcpy(out + o, email, len + 1);
		o += len;
	}
	return db_each_done(st, rc);
}

int db_team_set(struct db *db, int64_t recipient_id, const int64_t *team, size_t nteam,
		const int64_t *excluded, size_t nexcluded)
{
	static const char del_team[] = "DELETE FROM care_team WHERE recipient_id = ?1";
	static const char del_excl[] = "DELETE FROM recipient_excluded WHERE recipient_id = ?1";
	static const char ins_team[] =
		"INSERT INTO care_team (recipient_id, carer_id, rank) VALUES (?1, ?2, ?3)";
	static const char ins_excl[] =
		"INSERT INTO recipient_excluded (recipient_id, carer_id) VALUES (?1, ?2)";
	sqlite3_stmt *st;

	if (db_exec_id(db, del_team, recipient_id) < 0 ||
	    db_exec_id(db, del_excl, recipient_id) < 0)
		return -1;
	for (size_t i = 0; i < nteam; i++) {
		if ((st = db_stmt(db, ins_team)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, recipient_id);
		sqlite3_bind_int64(st, 2, team[i]);
		sqlite3_bind_int(st, 3, (int)i + 1);
		if (db_insert_id(db, st, NULL) <= 0)
			return -1;
	}
	for (size_t i = 0; i < nexcluded; i++) {
		if ((st = db_stmt(db, ins_excl)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, recipient_id);
		sqlite3_bind_int64(st, 2, excluded[i]);
		if (db_insert_id(db, st, NULL) <= 0)
			return -1;
	}
	return 1;
}

int db_viewer_each(struct db *db, int64_t recipient_id,
		   int (*fn)(const struct db_viewer *v, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT v.user_id, u.email, v.relationship FROM recipient_viewers v JOIN users u"
		" ON u.id = v.user_id WHERE v.recipient_id = ?1 ORDER BY u.email";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, recipient_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_viewer v;
		memset(&v, 0, sizeof v);
		v.user_id = sqlite3_column_int64(st, 0);
		db_column_copy(st, 1, v.email, sizeof v.email);
		db_column_copy(st, 2, v.relationship, sizeof v.relationship);
		if (fn(&v, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}

int db_viewers_set(struct db *db, int64_t recipient_id, const struct db_viewer *v, size_t n)
{
	static const char del[] = "DELETE FROM recipient_viewers WHERE recipient_id = ?1";
	static const char ins[] = "INSERT INTO recipient_viewers (recipient_id, user_id,"
				  " relationship) VALUES (?1, ?2, ?3)";
	sqlite3_stmt *st;

	if (db_exec_id(db, del, recipient_id) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if ((st = db_stmt(db, ins)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, recipient_id);
		sqlite3_bind_int64(st, 2, v[i].user_id);
		sqlite3_bind_text(st, 3, v[i].relationship, -1, SQLITE_STATIC);
		if (db_insert_id(db, st, NULL) <= 0)
			return -1;
	}
	return 1;
}

#define PLAN_COLS                                                                 \
	"id, recipient_id, days, start_min, minutes, carers, tasks, valid_from, " \
	"coalesce(valid_to, ''), coalesce(replaces, 0)"

static int plan_from_row(struct db *db, sqlite3_stmt *st, struct db_plan_line *l)
{
	static const char sql[] =
		"SELECT s.code FROM plan_line_skills ls JOIN skills s ON s.id = ls.skill_id"
		" WHERE ls.line_id = ?1 ORDER BY s.code";
	sqlite3_stmt *sk;
	int rc;

	memset(l, 0, sizeof *l);
	l->id = sqlite3_column_int64(st, 0);
	l->recipient_id = sqlite3_column_int64(st, 1);
	l->days = (unsigned)sqlite3_column_int(st, 2);
	l->start_min = sqlite3_column_int(st, 3);
	l->minutes = sqlite3_column_int(st, 4);
	l->carers = sqlite3_column_int(st, 5);
	db_column_copy(st, 6, l->tasks, sizeof l->tasks);
	db_column_copy(st, 7, l->valid_from, sizeof l->valid_from);
	db_column_copy(st, 8, l->valid_to, sizeof l->valid_to);
	l->replaces = sqlite3_column_int64(st, 9);
	if ((sk = db_stmt(db, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(sk, 1, l->id);
	while ((rc = sqlite3_step(sk)) == SQLITE_ROW && l->nskills < DB_SKILLS_MAX)
		db_column_copy(sk, 0, l->skills[l->nskills++], sizeof l->skills[0]);
	return db_each_done(sk, rc);
}

int db_plan_insert(struct db *db, const struct db_plan_line *l, const int64_t *skill_ids,
		   size_t nskills, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO plan_lines (recipient_id, days, start_min, minutes, carers, tasks,"
		" valid_from, valid_to, replaces) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	static const char ins_skill[] =
		"INSERT OR IGNORE INTO plan_line_skills (line_id, skill_id) VALUES (?1, ?2)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, l->recipient_id);
	sqlite3_bind_int(st, 2, (int)l->days);
	sqlite3_bind_int(st, 3, l->start_min);
	sqlite3_bind_int(st, 4, l->minutes);
	sqlite3_bind_int(st, 5, l->carers);
	sqlite3_bind_text(st, 6, l->tasks, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, l->valid_from, -1, SQLITE_STATIC);
	db_bind_text_or_null(st, 8, l->valid_to);
	if (l->replaces > 0)
		sqlite3_bind_int64(st, 9, l->replaces);
	if (db_insert_id(db, st, id) <= 0)
		return -1;
	for (size_t i = 0; i < nskills; i++) {
		if ((st = db_stmt(db, ins_skill)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_int64(st, 2, skill_ids[i]);
		if (db_exec_stmt(db, st) < 0)
			return -1;
	}
	return 1;
}

int db_plan_get(struct db *db, int64_t id, struct db_plan_line *out)
{
	static const char sql[] = "SELECT " PLAN_COLS " FROM plan_lines WHERE id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && plan_from_row(db, st, out) < 0)
		rc = SQLITE_ERROR;
	return db_row_done(st, rc);
}

int db_plan_end(struct db *db, int64_t id, const char *valid_to)
{
	static const char sql[] = "UPDATE plan_lines SET valid_to = ?2 WHERE id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, valid_to, -1, SQLITE_STATIC);
	return db_change(db, st);
}

int db_plan_each(struct db *db, int64_t recipient_id,
		 int (*fn)(const struct db_plan_line *l, void *arg), void *arg)
{
	static const char sql[] = "SELECT " PLAN_COLS " FROM plan_lines WHERE recipient_id = ?1"
				  " ORDER BY valid_from, start_min, id";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, recipient_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_plan_line l;
		if (plan_from_row(db, st, &l) < 0 || fn(&l, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}
