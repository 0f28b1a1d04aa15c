/*
 * db_people: queries on people, member_classes, memberships, skills and
 * audit_log.
 */
#include "db/db_people.h"

#include <string.h>

#include "db/db_internal.h"

void db_person_from_row(sqlite3_stmt *st, int col, struct db_person *p)
{
	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(st, col);
	db_column_copy(st, col + 1, p->full_name, sizeof p->full_name);
	db_column_copy(st, col + 2, p->known_as, sizeof p->known_as);
	db_column_copy(st, col + 3, p->email, sizeof p->email);
	db_column_copy(st, col + 4, p->phone, sizeof p->phone);
	db_column_copy(st, col + 5, p->address, sizeof p->address);
	db_column_copy(st, col + 6, p->area, sizeof p->area);
	p->has_location = sqlite3_column_type(st, col + 7) != SQLITE_NULL;
	p->lat = sqlite3_column_double(st, col + 7);
	p->lon = sqlite3_column_double(st, col + 8);
	p->user_id = sqlite3_column_int64(st, col + 9);
}

static void bind_person(sqlite3_stmt *st, const struct db_person *p)
{
	sqlite3_bind_text(st, 1, p->full_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->known_as, -1, SQLITE_STATIC);
	db_bind_text_or_null(st, 3, p->email);
	db_bind_text_or_null(st, 4, p->phone);
	db_bind_text_or_null(st, 5, p->address);
	db_bind_text_or_null(st, 6, p->area);
	if (p->has_location) {
		sqlite3_bind_double(st, 7, p->lat);
		sqlite3_bind_double(st, 8, p->lon);
	}
	if (p->user_id > 0)
		sqlite3_bind_int64(st, 9, p->user_id);
}

int db_person_insert(struct db *db, const struct db_person *p, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO people (full_name, known_as, email, phone, address, area, lat, lon,"
		" user_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	bind_person(st, p);
	return db_insert_id(db, st, id);
}

int db_person_update(struct db *db, const struct db_person *p)
{
	static const char sql[] =
		"UPDATE people SET full_name = ?1, known_as = ?2, email = ?3, phone = ?4,"
		" address = ?5, area = ?6, lat = ?7, lon = ?8, user_id = ?9 WHERE id = ?10";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	bind_person(st, p);
	sqlite3_bind_int64(st, 10, p->id);
	return db_change(db, st);
}

int db_person_get(struct db *db, int64_t id, struct db_person *out)
{
	static const char sql[] = "SELECT " PERSON_COLS " FROM people p WHERE p.id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		db_person_from_row(st, 0, out);
	return db_row_done(st, rc);
}

int64_t db_person_id_by_email(struct db *db, const char *email)
{
	static const char sql[] = "SELECT coalesce((SELECT id FROM people WHERE lower(email) ="
				  " lower(?1) ORDER BY id LIMIT 1), 0)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	return db_scalar(st);
}

int64_t db_person_of_user(struct db *db, int64_t user_id)
{
	static const char sql[] = "SELECT coalesce((SELECT id FROM people WHERE user_id = ?1), 0)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, user_id);
	return db_scalar(st);
}

int db_person_each(struct db *db, const char *q, int (*fn)(const struct db_person *p, void *arg),
		   void *arg)
{
	static const char sql[] =
		"SELECT " PERSON_COLS " FROM people p WHERE ?1 = '' OR"
		" instr(lower(p.full_name), lower(?1)) OR instr(lower(p.known_as), lower(?1)) OR"
		" instr(lower(coalesce(p.email, '')), lower(?1)) OR"
		" instr(lower(coalesce(p.area, '')), lower(?1))"
		" ORDER BY p.full_name, p.id";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_person p;
		db_person_from_row(st, 0, &p);
		if (fn(&p, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}

static void class_from_row(sqlite3_stmt *st, struct db_class *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(st, 0);
	db_column_copy(st, 1, c->code, sizeof c->code);
	db_column_copy(st, 2, c->name, sizeof c->name);
	c->members = sqlite3_column_int64(st, 3);
}

int db_class_each(struct db *db, int (*fn)(const struct db_class *c, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT c.id, c.code, c.name, count(m.id) FROM member_classes c"
		" LEFT JOIN memberships m ON m.class_id = c.id AND m.left_on IS NULL"
		" GROUP BY c.id ORDER BY c.position, c.id";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_class c;
		class_from_row(st, &c);
		if (fn(&c, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}

int db_class_by_code(struct db *db, const char *code, struct db_class *out)
{
	static const char sql[] =
		"SELECT c.id, c.code, c.name, (SELECT count(*) FROM memberships m"
		" WHERE m.class_id = c.id AND m.left_on IS NULL) FROM member_classes c"
		" WHERE c.code = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		class_from_row(st, out);
	return db_row_done(st, rc);
}

int db_class_rename(struct db *db, int64_t id, const char *name)
{
	static const char sql[] = "UPDATE member_classes SET name = ?2 WHERE id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	return db_change(db, st);
}

#define MEMBER_SELECT                                                                            \
	"SELECT m.id, m.person_id, p.full_name, coalesce(p.address, ''),"                        \
	" coalesce(p.email, ''), c.code, c.name, m.joined_on, coalesce(m.left_on, ''),"          \
	" m.share_pence, m.good_standing FROM memberships m JOIN people p ON p.id = m.person_id" \
	" JOIN member_classes c ON c.id = m.class_id "

static void member_from_row(sqlite3_stmt *st, struct db_membership *m)
{
	memset(m, 0, sizeof *m);
	m->id = sqlite3_column_int64(st, 0);
	m->person_id = sqlite3_column_int64(st, 1);
	db_column_copy(st, 2, m->full_name, sizeof m->full_name);
	db_column_copy(st, 3, m->address, sizeof m->address);
	db_column_copy(st, 4, m->email, sizeof m->email);
	db_column_copy(st, 5, m->class_code, sizeof m->class_code);
	db_column_copy(st, 6, m->class_name, sizeof m->class_name);
	db_column_copy(st, 7, m->joined_on, sizeof m->joined_on);
	db_column_copy(st, 8, m->left_on, sizeof m->left_on);
	m->share_pence = sqlite3_column_int64(st, 9);
	m->good_standing = sqlite3_column_int(st, 10) != 0;
}

int db_member_each(struct db *db, const char *q, enum db_member_status status,
		   int (*fn)(const struct db_membership *m, void *arg), void *arg)
{
	static const char sql[] =
		MEMBER_SELECT "WHERE (?1 = '' OR instr(lower(p.full_name), lower(?1)) OR"
			      " instr(lower(coalesce(p.email, '')), lower(?1)))"
			      " AND (?2 = 2 OR (?2 = 0 AND m.left_on IS NULL) OR (?2 = 1 AND "
			      "m.left_on IS NOT NULL))"
			      " ORDER BY p.full_name, m.joined_on, m.id";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, (int)status);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_membership m;
		member_from_row(st, &m);
		if (fn(&m, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}

int db_member_get(struct db *db, int64_t id, struct db_membership *out)
{
	static const char sql[] = MEMBER_SELECT "WHERE m.id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		member_from_row(st, out);
	return db_row_done(st, rc);
}

int db_member_insert(struct db *db, int64_t person_id, int64_t class_id, const char *joined_on,
		     int64_t share_pence, bool good_standing, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO memberships (person_id, class_id, joined_on, share_pence,"
		" good_standing) VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, person_id);
	sqlite3_bind_int64(st, 2, class_id);
	sqlite3_bind_text(st, 3, joined_on, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, share_pence);
	sqlite3_bind_int(st, 5, good_standing);
	return db_insert_id(db, st, id);
}

int db_member_update(struct db *db, int64_t id, int64_t class_id, int64_t share_pence,
		     bool good_standing)
{
	static const char sql[] = "UPDATE memberships SET class_id = ?2, share_pence = ?3,"
				  " good_standing = ?4 WHERE id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, class_id);
	sqlite3_bind_int64(st, 3, share_pence);
	sqlite3_bind_int(st, 4, good_standing);
	return db_change(db, st);
}

int db_member_end(struct db *db, int64_t id, const char *left_on)
{
	static const char sql[] = "UPDATE memberships SET left_on = ?2 WHERE id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, left_on, -1, SQLITE_STATIC);
	return db_change(db, st);
}

int64_t db_skill_id(struct db *db, const char *code)
{
	static const char sql[] = "SELECT coalesce((SELECT id FROM skills WHERE code = ?1), 0)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	return db_scalar(st);
}

int db_skill_insert(struct db *db, const char *code, const char *name, int64_t *id)
{
	static const char sql[] = "INSERT INTO skills (code, name) VALUES (?1, ?2)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	return db_insert_id(db, st, id);
}

int db_skill_each(struct db *db, int (*fn)(const char *code, const char *name, void *arg),
		  void *arg)
{
	static const char sql[] = "SELECT code, name FROM skills ORDER BY code";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn((const char *)sqlite3_column_text(st, 0),
		       (const char *)sqlite3_column_text(st, 1), arg) != 0)
			break;
	return db_each_done(st, rc);
}

int db_audit(struct db *db, int64_t user_id, const char *action, const char *object,
	     int64_t object_id, const char *detail)
{
	static const char sql[] =
		"INSERT INTO audit_log (at, user_id, action, object, object_id, detail)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, db_now());
	if (user_id > 0)
		sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, object, -1, SQLITE_STATIC);
	if (object_id > 0)
		sqlite3_bind_int64(st, 5, object_id);
	sqlite3_bind_text(st, 6, detail != NULL ? detail : "", -1, SQLITE_STATIC);
	return db_insert_id(db, st, NULL);
}

int db_audit_each(struct db *db, const char *object, int64_t object_id, int limit,
		  int (*fn)(const struct db_audit_entry *e, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT a.id, a.at, coalesce(a.user_id, 0), coalesce(a.object_id, 0),"
		" coalesce(u.email, ''), a.action, a.object, a.detail FROM audit_log a"
		" LEFT JOIN users u ON u.id = a.user_id"
		" WHERE (?1 = '' OR a.object = ?1) AND (?2 = 0 OR a.object_id = ?2)"
		" ORDER BY a.id DESC LIMIT ?3";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, object, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, object_id);
	sqlite3_bind_int(st, 3, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_audit_entry e;
		memset(&e, 0, sizeof e);
		e.id = sqlite3_column_int64(st, 0);
		e.at = sqlite3_column_int64(st, 1);
		e.user_id = sqlite3_column_int64(st, 2);
		e.object_id = sqlite3_column_int64(st, 3);
		db_column_copy(st, 4, e.user_email, sizeof e.user_email);
		db_column_copy(st, 5, e.action, sizeof e.action);
		db_column_copy(st, 6, e.object, sizeof e.object);
		db_column_copy(st, 7, e.detail, sizeof e.detail);
		if (fn(&e, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}
