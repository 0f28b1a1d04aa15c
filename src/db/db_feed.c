/*
 * db_feed: calendar feed subscriptions and the visits each feed shows.
 * See db_feed.h. Entitlement is the schema's feed_entitlements view, so the
 * rule lives in one place for listing, issuing and serving.
 */
#include "db/db_feed.h"

#include <string.h>

#include "db/db_internal.h"

#define FEED_COLS                                                              \
	"f.id, f.kind, f.user_id, coalesce(f.person_id, 0), f.token, u.email," \
	" coalesce(e.person_name, ''), f.created_at"
#define FEED_FROM                                                                \
	" FROM feed_tokens f JOIN users u ON u.id = f.user_id"                   \
	" JOIN feed_entitlements e ON e.user_id = f.user_id AND e.kind = f.kind" \
	" AND ifnull(e.person_id, 0) = ifnull(f.person_id, 0)"                   \
	" WHERE f.revoked_at IS NULL"

static void feed_from_row(sqlite3_stmt *st, struct db_feed *f)
{
	char kind[16];

	memset(f, 0, sizeof *f);
	f->id = sqlite3_column_int64(st, 0);
	db_column_copy(st, 1, kind, sizeof kind);
	f->kind = (enum feed_kind)feed_kind_parse(kind);
	f->user_id = sqlite3_column_int64(st, 2);
	f->person_id = sqlite3_column_int64(st, 3);
	db_column_copy(st, 4, f->token, sizeof f->token);
	db_column_copy(st, 5, f->email, sizeof f->email);
	db_column_copy(st, 6, f->person_name, sizeof f->person_name);
	f->created_at = sqlite3_column_int64(st, 7);
}

static int one_feed(sqlite3_stmt *st, struct db_feed *out)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		feed_from_row(st, out);
	return db_row_done(st, rc);
}

int db_feed_by_digest(struct db *db, const char *token_sha256, struct db_feed *out)
{
	static const char sql[] = "SELECT " FEED_COLS FEED_FROM " AND f.token_sha256 = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, token_sha256, -1, SQLITE_STATIC);
	return one_feed(st, out);
}

int db_feed_get(struct db *db, int64_t id, struct db_feed *out)
{
	static const char sql[] = "SELECT " FEED_COLS FEED_FROM " AND f.id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return one_feed(st, out);
}

static int feed_loop(sqlite3_stmt *st, int (*fn)(const struct db_feed *f, void *arg), void *arg)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_feed f;

		feed_from_row(st, &f);
		if (fn(&f, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	return db_each_done(st, rc);
}

int db_feed_each_option(struct db *db, int64_t user_id,
			int (*fn)(const struct db_feed *f, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT coalesce(f.id, 0), e.kind, e.user_id, coalesce(e.person_id, 0),"
		" coalesce(f.token, ''), u.email, e.person_name, coalesce(f.created_at, 0)"
		" FROM feed_entitlements e JOIN users u ON u.id = e.user_id"
		" LEFT JOIN feed_tokens f ON f.user_id = e.user_id AND f.kind = e.kind"
		" AND ifnull(f.person_id, 0) = ifnull(e.person_id, 0) AND f.revoked_at IS NULL"
		" WHERE e.user_id = ?1"
		" ORDER BY CASE e.kind WHEN 'carer' THEN 0 WHEN 'recipient' THEN 1 ELSE 2 END,"
		" e.person_name, e.person_id";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, user_id);
	return feed_loop(st, fn, arg);
}

int db_feed_each_live(struct db *db, int (*fn)(const struct db_feed *f, void *arg), void *arg)
{
	static const char sql[] = "SELECT " FEED_COLS FEED_FROM
				  " ORDER BY CASE f.kind WHEN 'carer' THEN 0 WHEN 'recipient'"
				  " THEN 1 ELSE 2 END, u.email, e.person_name, f.id";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	return feed_loop(st, fn, arg);
}

int db_feed_each_missing(struct db *db, int (*fn)(const struct db_feed *f, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT 0, e.kind, e.user_id, coalesce(e.person_id, 0), '', u.email, "
		"e.person_name, 0"
		" FROM feed_entitlements e JOIN users u ON u.id = e.user_id"
		" WHERE NOT EXISTS (SELECT 1 FROM feed_tokens f WHERE f.user_id = e.user_id"
		" AND f.kind = e.kind AND ifnull(f.person_id, 0) = ifnull(e.person_id, 0)"
		" AND f.revoked_at IS NULL) ORDER BY e.user_id, e.kind, e.person_id";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	return feed_loop(st, fn, arg);
}

int db_feed_entitled(struct db *db, int64_t user_id, enum feed_kind kind, int64_t person_id)
{
	static const char sql[] =
		"SELECT EXISTS (SELECT 1 FROM feed_entitlements WHERE user_id = ?1"
		" AND kind = ?2 AND ifnull(person_id, 0) = ?3)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_text(st, 2, feed_kind_name(kind), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, person_id);
	return (int)db_scalar(st);
}

int db_feed_issue(struct db *db, const struct db_feed *f, const char *token_sha256, int64_t now,
		  int64_t *id)
{
	static const char revoke[] =
		"UPDATE feed_tokens SET revoked_at = ?4 WHERE user_id = ?1 AND kind = ?2"
		" AND ifnull(person_id, 0) = ?3 AND revoked_at IS NULL";
	static const char insert[] =
		"INSERT INTO feed_tokens (kind, user_id, person_id, token, token_sha256,"
		" created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	sqlite3_stmt *st = db_stmt(db, revoke);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, f->user_id);
	sqlite3_bind_text(st, 2, feed_kind_name(f->kind), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, f->person_id);
	sqlite3_bind_int64(st, 4, now);
	if (db_change(db, st) < 0 || (st = db_stmt(db, insert)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, feed_kind_name(f->kind), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, f->user_id);
	if (f->person_id > 0)
		sqlite3_bind_int64(st, 3, f->person_id);
	sqlite3_bind_text(st, 4, f->token, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, token_sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, now);
	return db_insert_id(db, st, id) == 1 ? 1 : -1;
}

int db_feed_revoke(struct db *db, int64_t id, int64_t user_id, int64_t now)
{
	static const char sql[] = "UPDATE feed_tokens SET revoked_at = ?3 WHERE id = ?1"
				  " AND user_id = ?2 AND revoked_at IS NULL";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int64(st, 3, now);
	return db_change(db, st);
}

int db_feed_settings_get(struct db *db, struct feed_settings *out)
{
	static const char sql[] =
		"SELECT location, include_tasks, refresh_minutes FROM feed_settings WHERE id = 1";
	sqlite3_stmt *st = db_stmt(db, sql);
	char loc[16];
	int rc;

	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		db_column_copy(st, 0, loc, sizeof loc);
		out->location = (enum feed_location)feed_location_parse(loc);
		out->include_tasks = sqlite3_column_int(st, 1) != 0;
		out->refresh_minutes = sqlite3_column_int(st, 2);
	}
	return db_row_done(st, rc);
}

int db_feed_settings_set(struct db *db, const struct feed_settings *s, int64_t now)
{
	static const char sql[] = "UPDATE feed_settings SET location = ?1, include_tasks = ?2,"
				  " refresh_minutes = ?3, updated_at = ?4 WHERE id = 1";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, feed_location_name(s->location), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, s->include_tasks ? 1 : 0);
	sqlite3_bind_int(st, 3, s->refresh_minutes);
	sqlite3_bind_int64(st, 4, now);
	return db_change(db, st);
}

int64_t db_feed_generation(struct db *db)
{
	static const char sql[] = "SELECT generation FROM feed_state WHERE id = 1";
	sqlite3_stmt *st = db_stmt(db, sql);

	return st == NULL ? -1 : db_scalar(st);
}

/* ?1 subject (carer or recipient person id; unused for coordinator),
 * ?2 since, ?3 cancelled_since. */
#define FEED_VISIT_COLS                                                               \
	"SELECT v.id, v.uid, v.sequence, v.starts_at, v.updated_at, v.minutes,"       \
	" v.carers_needed, v.status = 'cancelled', p.known_as, coalesce(p.area, '')," \
	" coalesce(p.address, ''), v.tasks FROM visits v"                             \
	" JOIN rota_weeks w ON w.id = v.week_id AND w.status = 'published'"           \
	" JOIN people p ON p.id = v.recipient_id "
#define FEED_VISIT_WHERE                               \
	" v.starts_at >= ?2 AND (v.status = 'planned'" \
	" OR coalesce(v.cancelled_at, v.updated_at) >= ?3) ORDER BY v.starts_at, v.id"

static int feed_visit_carers(struct db *db, struct db_feed_visit *v)
{
	static const char sql[] =
		"SELECT vc.carer_id, p.known_as FROM visit_carers vc JOIN people p"
		" ON p.id = vc.carer_id WHERE vc.visit_id = ?1 ORDER BY p.known_as, p.id";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, v->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && v->ncarers < FEED_CARERS_MAX) {
		v->carer_id[v->ncarers] = sqlite3_column_int64(st, 0);
		db_column_copy(st, 1, v->carer_name[v->ncarers], sizeof v->carer_name[0]);
		v->ncarers++;
	}
	return db_each_done(st, rc == SQLITE_ROW ? SQLITE_DONE : rc);
}

int db_feed_visits(struct db *db, const struct db_feed *f, int64_t since, int64_t cancelled_since,
		   int (*fn)(const struct db_feed_visit *v, void *arg), void *arg)
{
	static const char carer[] =
		FEED_VISIT_COLS "JOIN visit_carers c ON c.visit_id = v.id AND c.carer_id = ?1"
				" WHERE" FEED_VISIT_WHERE;
	static const char recipient[] =
		FEED_VISIT_COLS "WHERE v.recipient_id = ?1 AND" FEED_VISIT_WHERE;
	static const char all[] = FEED_VISIT_COLS "WHERE ?1 = ?1 AND" FEED_VISIT_WHERE;
	const char *sql = f->kind == FEED_CARER       ? carer
			  : f->kind == FEED_RECIPIENT ? recipient
						      : all;
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc, stop = 0;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, f->person_id);
	sqlite3_bind_int64(st, 2, since);
	sqlite3_bind_int64(st, 3, cancelled_since);
	while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_feed_visit v;

		memset(&v, 0, sizeof v);
		v.id = sqlite3_column_int64(st, 0);
		db_column_copy(st, 1, v.uid, sizeof v.uid);
		v.sequence = sqlite3_column_int64(st, 2);
		v.starts_at = sqlite3_column_int64(st, 3);
		v.updated_at = sqlite3_column_int64(st, 4);
		v.minutes = sqlite3_column_int(st, 5);
		v.carers_needed = sqlite3_column_int(st, 6);
		v.cancelled = sqlite3_column_int(st, 7) != 0;
		db_column_copy(st, 8, v.recipient_name, sizeof v.recipient_name);
		db_column_copy(st, 9, v.area, sizeof v.area);
		db_column_copy(st, 10, v.address, sizeof v.address);
		db_column_copy(st, 11, v.tasks, sizeof v.tasks);
		/* The carers' statement is a different one: st stays on its row. */
		if (feed_visit_carers(db, &v) < 0) {
			sqlite3_reset(st);
			return -1;
		}
		stop = fn(&v, arg);
	}
	return stop != 0 ? (sqlite3_reset(st), 1) : db_each_done(st, rc);
}
