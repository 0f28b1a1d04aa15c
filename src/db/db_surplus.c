/*
 * db_surplus: queries on surplus_rulebooks, surplus_rulebook_classes,
 * surplus_runs, surplus_run_lines and surplus_run_classes (schema/009), and
 * the reads a run needs from memberships, proposals and rota_weeks.
 */
#include "db/db_surplus.h"

#include <string.h>

#include "core/text.h"
#include "db/db_internal.h"

static int load_rulebook_classes(struct db *db, struct db_surplus_rulebook *rb)
{
	static const char sql[] = "SELECT class_id, pool_bp, basis FROM surplus_rulebook_classes"
				  " WHERE version = ?1 ORDER BY class_id";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	rb->n_classes = 0;
	sqlite3_bind_int64(st, 1, rb->version);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && rb->n_classes < SURPLUS_CLASSES_MAX) {
		struct surplus_class_rule *c = &rb->classes[rb->n_classes++];
		const unsigned char *b = sqlite3_column_text(st, 2);
		c->class_id = sqlite3_column_int64(st, 0);
		c->pool_bp = sqlite3_column_int(st, 1);
		if (b == NULL || surplus_basis_parse((const char *)b, &c->basis) != 0)
			c->basis = SURPLUS_BASIS_EQUAL; /* the CHECK makes this unreachable */
	}
	return db_each_done(st, rc);
}

#define RULEBOOK_COLS                                                                        \
	"version, reserve_bp, fund_bp, interest_bp, coalesce(interest_cap_pence, -1), note," \
	" created_at"

static void rulebook_from_row(sqlite3_stmt *st, struct db_surplus_rulebook *rb)
{
	memset(rb, 0, sizeof *rb);
	rb->version = sqlite3_column_int64(st, 0);
	rb->reserve_bp = sqlite3_column_int(st, 1);
	rb->fund_bp = sqlite3_column_int(st, 2);
	rb->interest_bp = sqlite3_column_int(st, 3);
	rb->interest_cap_pence = sqlite3_column_int64(st, 4);
	db_column_copy(st, 5, rb->note, sizeof rb->note);
	rb->created_at = sqlite3_column_int64(st, 6);
}

int db_surplus_rulebook_get(struct db *db, int64_t version, struct db_surplus_rulebook *out)
{
	static const char sql[] = "SELECT " RULEBOOK_COLS " FROM surplus_rulebooks"
				  " WHERE version = ?1 OR (?1 = 0 AND version ="
				  " (SELECT max(version) FROM surplus_rulebooks))";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, version);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rulebook_from_row(st, out);
	rc = db_row_done(st, rc);
	if (rc == 1 && load_rulebook_classes(db, out) < 0)
		return -1;
	return rc;
}

int db_surplus_rulebook_insert(struct db *db, const struct db_surplus_rulebook *rb, int64_t user_id,
			       int64_t now, int64_t *version)
{
	static const char sql[] =
		"INSERT INTO surplus_rulebooks (version, reserve_bp, fund_bp, interest_bp,"
		" interest_cap_pence, note, created_by, created_at)"
		" VALUES ((SELECT coalesce(max(version), 0) + 1 FROM surplus_rulebooks),"
		" ?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	static const char cls[] =
		"INSERT INTO surplus_rulebook_classes (version, class_id, pool_bp, basis)"
		" VALUES (?1, ?2, ?3, ?4)";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, rb->reserve_bp);
	sqlite3_bind_int(st, 2, rb->fund_bp);
	sqlite3_bind_int(st, 3, rb->interest_bp);
	if (rb->interest_cap_pence != SURPLUS_NO_CAP)
		sqlite3_bind_int64(st, 4, rb->interest_cap_pence);
	sqlite3_bind_text(st, 5, rb->note, -1, SQLITE_STATIC);
	if (user_id > 0)
		sqlite3_bind_int64(st, 6, user_id);
	sqlite3_bind_int64(st, 7, now);
	if ((rc = db_insert_id(db, st, version)) <= 0)
		return rc;
	for (size_t i = 0; i < rb->n_classes; i++) {
		if ((st = db_stmt(db, cls)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, *version);
		sqlite3_bind_int64(st, 2, rb->classes[i].class_id);
		sqlite3_bind_int(st, 3, rb->classes[i].pool_bp);
		sqlite3_bind_text(st, 4, surplus_basis_name(rb->classes[i].basis), -1,
				  SQLITE_STATIC);
		if ((rc = db_insert_id(db, st, NULL)) <= 0)
			return rc;
	}
	return 1;
}

int db_surplus_rulebook_each(struct db *db,
			     int (*fn)(const struct db_surplus_rulebook *rb, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT " RULEBOOK_COLS " FROM surplus_rulebooks ORDER BY version DESC";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_surplus_rulebook rb;
		rulebook_from_row(st, &rb);
		/* The class query is another statement: safe while st is open. */
		if (load_rulebook_classes(db, &rb) < 0 || fn(&rb, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}

#define RUN_COLS                                                                         \
	"r.id, r.year_start, r.year_end, r.surplus_pence, r.rulebook_version, r.status," \
	" r.note, coalesce(r.whatif, ''), r.created_at, coalesce(r.proposal_id, 0),"     \
	" coalesce(p.title, ''), coalesce(r.approved_at, 0), coalesce(r.paid_at, 0),"    \
	" coalesce(r.reserve_pence, 0), coalesce(r.fund_pence, 0),"                      \
	" coalesce(r.interest_pence, 0), coalesce(r.dividend_pence, 0)"                  \
	" FROM surplus_runs r LEFT JOIN proposals p ON p.id = r.proposal_id"

static void run_from_row(sqlite3_stmt *st, struct db_surplus_run *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	db_column_copy(st, 1, r->year_start, sizeof r->year_start);
	db_column_copy(st, 2, r->year_end, sizeof r->year_end);
	r->surplus_pence = sqlite3_column_int64(st, 3);
	r->rulebook_version = sqlite3_column_int64(st, 4);
	db_column_copy(st, 5, r->status, sizeof r->status);
	db_column_copy(st, 6, r->note, sizeof r->note);
	db_column_copy(st, 7, r->whatif, sizeof r->whatif);
	r->created_at = sqlite3_column_int64(st, 8);
	r->proposal_id = sqlite3_column_int64(st, 9);
	db_column_copy(st, 10, r->proposal_title, sizeof r->proposal_title);
	r->approved_at = sqlite3_column_int64(st, 11);
	r->paid_at = sqlite3_column_int64(st, 12);
	r->reserve_pence = sqlite3_column_int64(st, 13);
	r->fund_pence = sqlite3_column_int64(st, 14);
	r->interest_pence = sqlite3_column_int64(st, 15);
	r->dividend_pence = sqlite3_column_int64(st, 16);
}

int db_surplus_run_insert(struct db *db, const struct db_surplus_run *r, int64_t user_id,
			  int64_t now, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO surplus_runs (year_start, year_end, surplus_pence, rulebook_version,"
		" note, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, r->year_start, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->year_end, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, r->surplus_pence);
	sqlite3_bind_int64(st, 4, r->rulebook_version);
	sqlite3_bind_text(st, 5, r->note, -1, SQLITE_STATIC);
	if (user_id > 0)
		sqlite3_bind_int64(st, 6, user_id);
	sqlite3_bind_int64(st, 7, now);
	return db_insert_id(db, st, id);
}

int db_surplus_run_get(struct db *db, int64_t id, struct db_surplus_run *out)
{
	static const char sql[] = "SELECT " RUN_COLS " WHERE r.id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		run_from_row(st, out);
	return db_row_done(st, rc);
}

int db_surplus_run_each(struct db *db, int (*fn)(const struct db_surplus_run *r, void *arg),
			void *arg)
{
	static const char sql[] = "SELECT " RUN_COLS " ORDER BY r.id DESC";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_surplus_run r;
		run_from_row(st, &r);
		if (fn(&r, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}

int db_surplus_run_update_draft(struct db *db, const struct db_surplus_run *r)
{
	static const char sql[] =
		"UPDATE surplus_runs SET surplus_pence = ?2, rulebook_version = ?3, note = ?4,"
		" whatif = ?5 WHERE id = ?1 AND status = 'draft'";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_int64(st, 2, r->surplus_pence);
	sqlite3_bind_int64(st, 3, r->rulebook_version);
	sqlite3_bind_text(st, 4, r->note, -1, SQLITE_STATIC);
	db_bind_text_or_null(st, 5, r->whatif);
	return db_change(db, st);
}

int db_surplus_run_approve(struct db *db, const struct db_surplus_run *r, int64_t user_id,
			   int64_t now)
{
	static const char sql[] =
		"UPDATE surplus_runs SET status = 'approved', proposal_id = ?2, approved_by = ?3,"
		" approved_at = ?4, reserve_pence = ?5, fund_pence = ?6, interest_pence = ?7,"
		" dividend_pence = ?8 WHERE id = ?1 AND status = 'draft'";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_int64(st, 2, r->proposal_id);
	if (user_id > 0)
		sqlite3_bind_int64(st, 3, user_id);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, r->reserve_pence);
	sqlite3_bind_int64(st, 6, r->fund_pence);
	sqlite3_bind_int64(st, 7, r->interest_pence);
	sqlite3_bind_int64(st, 8, r->dividend_pence);
	return db_change(db, st); /* 0 also when the proposal approves another run */
}

int db_surplus_run_paid(struct db *db, int64_t id, int64_t user_id, int64_t now)
{
	static const char sql[] = "UPDATE surplus_runs SET status = 'paid', paid_by = ?2,"
				  " paid_at = ?3 WHERE id = ?1 AND status = 'approved'";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (user_id > 0)
		sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int64(st, 3, now);
	return db_change(db, st);
}

int db_surplus_line_insert(struct db *db, int64_t run_id, const struct db_surplus_line *l)
{
	static const char sql[] =
		"INSERT INTO surplus_run_lines (run_id, membership_id, person_id, full_name,"
		" class_id, basis, days, good_standing, worked_minutes, care_minutes, share_pence,"
		" weight, interest_pence, dividend_pence, total_pence)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, l->membership_id);
	sqlite3_bind_int64(st, 3, l->person_id);
	sqlite3_bind_text(st, 4, l->full_name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, l->class_id);
	db_bind_text_or_null(st, 6, l->basis);
	sqlite3_bind_int(st, 7, l->days);
	sqlite3_bind_int(st, 8, l->good_standing ? 1 : 0);
	sqlite3_bind_int64(st, 9, l->worked_minutes);
	sqlite3_bind_int64(st, 10, l->care_minutes);
	sqlite3_bind_int64(st, 11, l->share_pence);
	sqlite3_bind_int64(st, 12, l->weight);
	sqlite3_bind_int64(st, 13, l->interest_pence);
	sqlite3_bind_int64(st, 14, l->dividend_pence);
	sqlite3_bind_int64(st, 15, l->total_pence);
	return db_insert_id(db, st, NULL);
}

#define LINE_COLS                                                                               \
	"l.membership_id, l.person_id, l.full_name, coalesce(p.email, ''), l.class_id, c.code," \
	" c.name, coalesce(l.basis, ''), l.days, l.good_standing, l.worked_minutes,"            \
	" l.care_minutes, l.share_pence, l.weight, l.interest_pence, l.dividend_pence,"         \
	" l.total_pence, l.run_id FROM surplus_run_lines l JOIN member_classes c ON"            \
	" c.id = l.class_id LEFT JOIN people p ON p.id = l.person_id"

static void line_from_row(sqlite3_stmt *st, struct db_surplus_line *l)
{
	memset(l, 0, sizeof *l);
	l->membership_id = sqlite3_column_int64(st, 0);
	l->person_id = sqlite3_column_int64(st, 1);
	db_column_copy(st, 2, l->full_name, sizeof l->full_name);
	db_column_copy(st, 3, l->email, sizeof l->email);
	l->class_id = sqlite3_column_int64(st, 4);
	db_column_copy(st, 5, l->class_code, sizeof l->class_code);
	db_column_copy(st, 6, l->class_name, sizeof l->class_name);
	db_column_copy(st, 7, l->basis, sizeof l->basis);
	l->days = sqlite3_column_int(st, 8);
	l->good_standing = sqlite3_column_int(st, 9) != 0;
	l->worked_minutes = sqlite3_column_int64(st, 10);
	l->care_minutes = sqlite3_column_int64(st, 11);
	l->share_pence = sqlite3_column_int64(st, 12);
	l->weight = sqlite3_column_int64(st, 13);
	l->interest_pence = sqlite3_column_int64(st, 14);
	l->dividend_pence = sqlite3_column_int64(st, 15);
	l->total_pence = sqlite3_column_int64(st, 16);
}

int db_surplus_line_each(struct db *db, int64_t run_id, int64_t person_id,
			 int (*fn)(const struct db_surplus_line *l, void *arg), void *arg)
{
	static const char sql[] = "SELECT " LINE_COLS " WHERE l.run_id = ?1"
				  " AND (?2 = 0 OR l.person_id = ?2)"
				  " ORDER BY l.full_name, l.membership_id";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, person_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_surplus_line l;
		line_from_row(st, &l);
		if (fn(&l, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}

int db_surplus_line_each_of_person(struct db *db, int64_t person_id,
				   int (*fn)(int64_t run_id, const struct db_surplus_line *l,
					     void *arg),
				   void *arg)
{
	static const char sql[] = "SELECT " LINE_COLS " WHERE l.person_id = ?1"
				  " ORDER BY l.run_id DESC, l.membership_id";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, person_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_surplus_line l;
		line_from_row(st, &l);
		if (fn(sqlite3_column_int64(st, 17), &l, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}

int db_surplus_class_insert(struct db *db, int64_t run_id, const struct db_surplus_class *c)
{
	static const char sql[] =
		"INSERT INTO surplus_run_classes (run_id, class_id, pool_bp, basis, pool_pence,"
		" paid_pence, weight_total, members) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, c->class_id);
	sqlite3_bind_int(st, 3, c->pool_bp);
	sqlite3_bind_text(st, 4, c->basis, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, c->pool_pence);
	sqlite3_bind_int64(st, 6, c->paid_pence);
	sqlite3_bind_int64(st, 7, c->weight_total);
	sqlite3_bind_int64(st, 8, c->members);
	return db_insert_id(db, st, NULL);
}

int db_surplus_class_each(struct db *db, int64_t run_id,
			  int (*fn)(const struct db_surplus_class *c, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT rc.class_id, c.code, c.name, rc.pool_bp, rc.basis, rc.pool_pence,"
		" rc.paid_pence, rc.weight_total, rc.members FROM surplus_run_classes rc"
		" JOIN member_classes c ON c.id = rc.class_id WHERE rc.run_id = ?1"
		" ORDER BY c.position, c.id";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_surplus_class c;
		memset(&c, 0, sizeof c);
		c.class_id = sqlite3_column_int64(st, 0);
		db_column_copy(st, 1, c.code, sizeof c.code);
		db_column_copy(st, 2, c.name, sizeof c.name);
		c.pool_bp = sqlite3_column_int(st, 3);
		db_column_copy(st, 4, c.basis, sizeof c.basis);
		c.pool_pence = sqlite3_column_int64(st, 5);
		c.paid_pence = sqlite3_column_int64(st, 6);
		c.weight_total = sqlite3_column_int64(st, 7);
		c.members = sqlite3_column_int64(st, 8);
		if (fn(&c, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}

int db_surplus_member_each(struct db *db, const char *from, const char *to,
			   int (*fn)(const struct db_surplus_member *m, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT m.id, m.person_id, p.full_name, m.class_id, m.joined_on,"
		" coalesce(m.left_on, ''), m.share_pence, m.good_standing"
		" FROM memberships m JOIN people p ON p.id = m.person_id"
		" WHERE m.joined_on <= ?2 AND (m.left_on IS NULL OR m.left_on >= ?1)"
		" ORDER BY m.id";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_surplus_member m;
		memset(&m, 0, sizeof m);
		m.membership_id = sqlite3_column_int64(st, 0);
		m.person_id = sqlite3_column_int64(st, 1);
		db_column_copy(st, 2, m.full_name, sizeof m.full_name);
		m.class_id = sqlite3_column_int64(st, 3);
		db_column_copy(st, 4, m.joined_on, sizeof m.joined_on);
		db_column_copy(st, 5, m.left_on, sizeof m.left_on);
		m.share_pence = sqlite3_column_int64(st, 6);
		m.good_standing = sqlite3_column_int(st, 7) != 0;
		if (fn(&m, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}

int db_surplus_week_each(struct db *db, const char *from, const char *to,
			 int (*fn)(int64_t week_id, const char *week_start, void *arg), void *arg)
{
	static const char sql[] = "SELECT id, week_start FROM rota_weeks"
				  " WHERE status = 'published' AND week_start BETWEEN ?1 AND ?2"
				  " ORDER BY week_start";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char start[11];
		db_column_copy(st, 1, start, sizeof start);
		if (fn(sqlite3_column_int64(st, 0), start, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}

int db_surplus_proposal(struct db *db, int64_t id, char *title, size_t n, bool *carried)
{
	static const char sql[] =
		"SELECT title, status = 'decided' AND outcome IS 'carried' FROM proposals"
		" WHERE id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		db_column_copy(st, 0, title, n);
		*carried = sqlite3_column_int(st, 1) != 0;
	}
	return db_row_done(st, rc);
}

int db_surplus_carried_each(struct db *db, int (*fn)(int64_t id, const char *title, void *arg),
			    void *arg)
{
	static const char sql[] =
		"SELECT p.id, p.title FROM proposals p WHERE p.status = 'decided'"
		" AND p.outcome IS 'carried' AND NOT EXISTS"
		" (SELECT 1 FROM surplus_runs r WHERE r.proposal_id = p.id) ORDER BY p.id DESC";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char title[201];
		db_column_copy(st, 1, title, sizeof title);
		if (fn(sqlite3_column_int64(st, 0), title, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}

int db_surplus_class_name(struct db *db, int64_t class_id, char code[33], char name[201])
{
	static const char sql[] = "SELECT code, name FROM member_classes WHERE id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, class_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		db_column_copy(st, 0, code, 33);
		db_column_copy(st, 1, name, 201);
	}
	return db_row_done(st, rc);
}
