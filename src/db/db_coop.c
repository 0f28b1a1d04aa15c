/*
 * db_coop: queries on coop, member_classes, people, memberships, carers,
 * recipients, care_team and proposals.
 */
#include "db/db_coop.h"

#include "db/db_internal.h"

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s != NULL)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static int insert_returning_id(struct db *db, sqlite3_stmt *st, int64_t *id)
{
	if (db_exec_stmt(db, st) < 0)
		return db_last_was_unique_violation(db) ? 0 : -1;
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(db->conn);
	return 1;
}

int db_coop_create(struct db *db, const char *name, const char *timezone, int64_t now)
{
	static const char sql[] =
		"INSERT INTO coop (id, name, timezone, created_at) VALUES (1, ?1, ?2, ?3)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, timezone, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	return insert_returning_id(db, st, NULL);
}

int db_coop_name(struct db *db, char *out, size_t n)
{
	static const char sql[] = "SELECT name FROM coop WHERE id = 1";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		db_column_copy(st, 0, out, n);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int db_class_insert(struct db *db, const char *code, const char *name, int position, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO member_classes (code, name, position) VALUES (?1, ?2, ?3)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, position);
	return insert_returning_id(db, st, id);
}

int db_person_insert(struct db *db, const struct db_person *p, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO people (full_name, known_as, email, phone, address, area, lat, lon,"
		" user_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, p->full_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->known_as, -1, SQLITE_STATIC);
	bind_text_or_null(st, 3, p->email);
	bind_text_or_null(st, 4, p->phone);
	bind_text_or_null(st, 5, p->address);
	bind_text_or_null(st, 6, p->area);
	sqlite3_bind_double(st, 7, p->lat);
	sqlite3_bind_double(st, 8, p->lon);
	if (p->user_id > 0)
		sqlite3_bind_int64(st, 9, p->user_id);
	return insert_returning_id(db, st, id);
}

int db_membership_insert(struct db *db, int64_t person_id, int64_t class_id, const char *joined_on,
			 int64_t share_pence)
{
	static const char sql[] =
		"INSERT INTO memberships (person_id, class_id, joined_on, share_pence)"
		" VALUES (?1, ?2, ?3, ?4)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, person_id);
	sqlite3_bind_int64(st, 2, class_id);
	sqlite3_bind_text(st, 3, joined_on, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, share_pence);
	return insert_returning_id(db, st, NULL);
}

int db_carer_insert(struct db *db, int64_t person_id, int contract_minutes, int max_week_minutes)
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
	return insert_returning_id(db, st, NULL);
}

int db_recipient_insert(struct db *db, int64_t person_id)
{
	static const char sql[] = "INSERT INTO recipients (person_id) VALUES (?1)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, person_id);
	return insert_returning_id(db, st, NULL);
}

int db_team_insert(struct db *db, int64_t recipient_id, int64_t carer_id, int rank)
{
	static const char sql[] =
		"INSERT INTO care_team (recipient_id, carer_id, rank) VALUES (?1, ?2, ?3)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, recipient_id);
	sqlite3_bind_int64(st, 2, carer_id);
	sqlite3_bind_int(st, 3, rank);
	return insert_returning_id(db, st, NULL);
}

int db_proposal_insert(struct db *db, const char *title, const char *body, const char *kind,
		       const char *status, int64_t author_id, int64_t opens_at, int64_t closes_at,
		       int64_t *id)
{
	static const char sql[] =
		"INSERT INTO proposals (title, body, kind, status, author_id, opens_at, closes_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, body, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, status, -1, SQLITE_STATIC);
	if (author_id > 0)
		sqlite3_bind_int64(st, 5, author_id);
	sqlite3_bind_int64(st, 6, opens_at);
	sqlite3_bind_int64(st, 7, closes_at);
	return insert_returning_id(db, st, id);
}

static int64_t count_of(struct db *db, const char *sql)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	int64_t n = -1;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

int64_t db_carer_count(struct db *db)
{
	static const char sql[] = "SELECT count(*) FROM carers";
	return count_of(db, sql);
}

int64_t db_recipient_count(struct db *db)
{
	static const char sql[] = "SELECT count(*) FROM recipients";
	return count_of(db, sql);
}

int db_class_each(struct db *db, int (*fn)(const struct db_class_count *c, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT c.code, c.name, count(m.id) FROM member_classes c"
		" LEFT JOIN memberships m ON m.class_id = c.id AND m.left_on IS NULL"
		" GROUP BY c.id ORDER BY c.position, c.id";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_class_count c = {
			.code = (const char *)sqlite3_column_text(st, 0),
			.name = (const char *)sqlite3_column_text(st, 1),
			.members = sqlite3_column_int64(st, 2),
		};
		if (fn(&c, arg) != 0)
			break;
	}
	rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 1 : -1;
	sqlite3_reset(st);
	return rc;
}

int db_proposal_each_open(struct db *db, int (*fn)(const struct db_proposal_brief *p, void *arg),
			  void *arg)
{
	static const char sql[] =
		"SELECT id, title, kind, closes_at FROM proposals WHERE status = 'open'"
		" ORDER BY closes_at, id";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_proposal_brief p = {
			.id = sqlite3_column_int64(st, 0),
			.title = (const char *)sqlite3_column_text(st, 1),
			.kind = (const char *)sqlite3_column_text(st, 2),
			.closes_at = sqlite3_column_int64(st, 3),
		};
		if (fn(&p, arg) != 0)
			break;
	}
	rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 1 : -1;
	sqlite3_reset(st);
	return rc;
}
