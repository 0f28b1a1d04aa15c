/*
 * db_gov: queries on rulebooks, proposals, proposal_options, electorate,
 * voters, ballots, proxies, proxy_log and proposal_comments; the ballot
 * chain's canonical text and SHA-256 (nettle).
 */
#include "db/db_gov.h"

#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "db/db_internal.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* ---- rulebooks ---- */

#define RULEBOOK_COLS                                                                            \
	"version, ordinary_num, ordinary_den, special_num, special_den, quorum_num, quorum_den," \
	" abstain_in_quorum, abstain_as_cast, every_class, weighting, empty_class, cap_basis,"   \
	" proxy_limit, note, created_at"

static int rulebook_classes(struct db *db, struct db_rulebook *rb)
{
	static const char sql[] = "SELECT c.code, r.percent FROM rulebook_classes r"
				  " JOIN member_classes c ON c.id = r.class_id"
				  " WHERE r.version = ?1 ORDER BY c.position, c.id";
	sqlite3_stmt *st = db_stmt(db, sql);
	struct tally_rulebook *t = &rb->rules;
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, rb->version);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char code[TALLY_CLASS_CODE_MAX + 1];
		int pct = sqlite3_column_int(st, 1);

		db_column_copy(st, 0, code, sizeof code);
		if (t->weighting == TALLY_CAPPED_CLASS) {
			text_copy(t->capped_class, sizeof t->capped_class, code);
			tally_frac_make(pct, 100, &t->cap);
		} else if (t->n_classes < TALLY_CLASSES_MAX) {
			struct tally_class_share *s = &t->classes[t->n_classes++];
			text_copy(s->code, sizeof s->code, code);
			tally_frac_make(pct, 100, &s->share);
		}
	}
	return db_each_done(st, rc);
}

static void rulebook_from_row(sqlite3_stmt *st, struct db_rulebook *rb)
{
	struct tally_rulebook *t = &rb->rules;
	const char *w = (const char *)sqlite3_column_text(st, 10);
	const char *e = (const char *)sqlite3_column_text(st, 11);
	const char *b = (const char *)sqlite3_column_text(st, 12);

	memset(rb, 0, sizeof *rb);
	tally_rulebook_default(t);
	rb->version = sqlite3_column_int64(st, 0);
	tally_frac_make(sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2), &t->ordinary);
	tally_frac_make(sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4), &t->special);
	tally_frac_make(sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6), &t->quorum);
	t->abstain_in_quorum = sqlite3_column_int(st, 7) != 0;
	t->abstain_as_cast = sqlite3_column_int(st, 8) != 0;
	t->majority_every_class = sqlite3_column_int(st, 9) != 0;
	t->weighting = w != NULL && strcmp(w, "shares") == 0   ? TALLY_CLASS_SHARES
		       : w != NULL && strcmp(w, "capped") == 0 ? TALLY_CAPPED_CLASS
							       : TALLY_ONE_MEMBER_ONE_VOTE;
	t->empty_class = e != NULL && strcmp(e, "against") == 0 ? TALLY_EMPTY_COUNT_AS_NO
								: TALLY_EMPTY_EXCLUDE;
	t->cap_basis = b != NULL && strcmp(b, "membership") == 0 ? TALLY_CAP_MEMBERSHIP
								 : TALLY_CAP_VOTES_CAST;
	t->proxy_limit = sqlite3_column_int(st, 13);
	db_column_copy(st, 14, rb->note, sizeof rb->note);
	rb->created_at = sqlite3_column_int64(st, 15);
}

static int rulebook_query(struct db *db, const char *sql, int64_t version, struct db_rulebook *out)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	if (version > 0)
		sqlite3_bind_int64(st, 1, version);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rulebook_from_row(st, out);
	rc = db_row_done(st, rc);
	if (rc == 1 && rulebook_classes(db, out) < 0)
		return -1;
	return rc;
}

int db_rulebook_current(struct db *db, struct db_rulebook *out)
{
	static const char sql[] =
		"SELECT " RULEBOOK_COLS " FROM rulebooks ORDER BY version DESC LIMIT 1";
	return rulebook_query(db, sql, 0, out);
}

int db_rulebook_get(struct db *db, int64_t version, struct db_rulebook *out)
{
	static const char sql[] = "SELECT " RULEBOOK_COLS " FROM rulebooks WHERE version = ?1";
	return rulebook_query(db, sql, version, out);
}

int db_rulebook_each(struct db *db, int (*fn)(const struct db_rulebook *rb, void *arg), void *arg)
{
	static const char sql[] = "SELECT version FROM rulebooks ORDER BY version DESC";
	sqlite3_stmt *st = db_stmt(db, sql);
	int64_t versions[64];
	size_t n = 0;
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < 64)
		versions[n++] = sqlite3_column_int64(st, 0);
	if (db_each_done(st, rc) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct db_rulebook rb;
		if (db_rulebook_get(db, versions[i], &rb) <= 0)
			return -1;
		if (fn(&rb, arg) != 0)
			break;
	}
	return 1;
}

/* Whole percent of a share, or -1 when it is not one. */
static int whole_percent(struct tally_frac f)
{
	if (f.den <= 0 || (f.num * 100) % f.den != 0)
		return -1;
	return (int)(f.num * 100 / f.den);
}

static int rulebook_class_insert(struct db *db, int64_t version, const char *code, int pct)
{
	static const char sql[] = "INSERT INTO rulebook_classes (version, class_id, percent)"
				  " SELECT ?1, id, ?3 FROM member_classes WHERE code = ?2";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL || pct < 0)
		return -1;
	sqlite3_bind_int64(st, 1, version);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, pct);
	rc = db_change(db, st);
	return rc;
}

int db_rulebook_insert(struct db *db, const struct db_rulebook *rb, int64_t user_id, int64_t now,
		       int64_t *version)
{
	static const char sql[] =
		"INSERT INTO rulebooks (version, ordinary_num, ordinary_den, special_num,"
		" special_den, quorum_num, quorum_den, abstain_in_quorum, abstain_as_cast,"
		" every_class, weighting, empty_class, cap_basis, proxy_limit, note, created_at,"
		" created_by)"
		" SELECT coalesce(max(version), 0) + 1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
		" ?11, ?12, ?13, ?14, ?15, ?16 FROM rulebooks";
	const struct tally_rulebook *t = &rb->rules;
	sqlite3_stmt *st = db_stmt(db, sql);
	int64_t v;
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, t->ordinary.num);
	sqlite3_bind_int64(st, 2, t->ordinary.den);
	sqlite3_bind_int64(st, 3, t->special.num);
	sqlite3_bind_int64(st, 4, t->special.den);
	sqlite3_bind_int64(st, 5, t->quorum.num);
	sqlite3_bind_int64(st, 6, t->quorum.den);
	sqlite3_bind_int(st, 7, t->abstain_in_quorum);
	sqlite3_bind_int(st, 8, t->abstain_as_cast);
	sqlite3_bind_int(st, 9, t->majority_every_class);
	sqlite3_bind_text(st, 10,
			  t->weighting == TALLY_CLASS_SHARES   ? "shares"
			  : t->weighting == TALLY_CAPPED_CLASS ? "capped"
							       : "equal",
			  -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, t->empty_class == TALLY_EMPTY_COUNT_AS_NO ? "against" : "exclude",
			  -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, t->cap_basis == TALLY_CAP_MEMBERSHIP ? "membership" : "cast", -1,
			  SQLITE_STATIC);
	sqlite3_bind_int(st, 13, t->proxy_limit);
	sqlite3_bind_text(st, 14, rb->note, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 15, now);
	if (user_id > 0)
		sqlite3_bind_int64(st, 16, user_id);
	if ((rc = db_insert_id(db, st, &v)) <= 0)
		return rc < 0 ? -1 : 0;
	if (t->weighting == TALLY_CLASS_SHARES) {
		for (size_t i = 0; i < t->n_classes; i++) {
			rc = rulebook_class_insert(db, v, t->classes[i].code,
						   whole_percent(t->classes[i].share));
			if (rc <= 0)
				return rc;
		}
	} else if (t->weighting == TALLY_CAPPED_CLASS) {
		rc = rulebook_class_insert(db, v, t->capped_class, whole_percent(t->cap));
		if (rc <= 0)
			return rc;
	}
	if (version != NULL)
		*version = v;
	return 1;
}

/* ---- proposals ---- */

#define PROPOSAL_COLS                                                                        \
	"p.id, p.title, p.body, p.kind, p.status, p.method, p.seats, p.secret, p.author_id," \
	" coalesce(a.known_as, ''), p.opens_at, p.closes_at, p.created_at, p.closed_at,"     \
	" p.decided_at, p.rulebook_version, coalesce(p.outcome, ''),"                        \
	" (SELECT count(*) FROM electorate e WHERE e.proposal_id = p.id),"                   \
	" (SELECT count(*) FROM voters v WHERE v.proposal_id = p.id)"                        \
	" FROM proposals p LEFT JOIN people a ON a.id = p.author_id"

static void proposal_from_row(sqlite3_stmt *st, struct db_proposal *p)
{
	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(st, 0);
	db_column_copy(st, 1, p->title, sizeof p->title);
	db_column_copy(st, 2, p->body, sizeof p->body);
	db_column_copy(st, 3, p->kind, sizeof p->kind);
	db_column_copy(st, 4, p->status, sizeof p->status);
	db_column_copy(st, 5, p->method, sizeof p->method);
	p->seats = sqlite3_column_int(st, 6);
	p->secret = sqlite3_column_int(st, 7) != 0;
	p->author_id = sqlite3_column_int64(st, 8);
	db_column_copy(st, 9, p->author, sizeof p->author);
	p->opens_at = sqlite3_column_int64(st, 10);
	p->closes_at = sqlite3_column_int64(st, 11);
	p->created_at = sqlite3_column_int64(st, 12);
	p->closed_at = sqlite3_column_int64(st, 13);
	p->decided_at = sqlite3_column_int64(st, 14);
	p->rulebook_version = sqlite3_column_int64(st, 15);
	db_column_copy(st, 16, p->outcome, sizeof p->outcome);
	p->electorate = sqlite3_column_int64(st, 17);
	p->voted = sqlite3_column_int64(st, 18);
}

static void bind_proposal(sqlite3_stmt *st, const struct db_proposal *p)
{
	sqlite3_bind_text(st, 1, p->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->body, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, p->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, p->method, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, p->seats);
	sqlite3_bind_int(st, 6, p->secret);
	if (p->opens_at > 0)
		sqlite3_bind_int64(st, 7, p->opens_at);
	if (p->closes_at > 0)
		sqlite3_bind_int64(st, 8, p->closes_at);
}

int db_proposal_create(struct db *db, const struct db_proposal *p, int64_t now, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO proposals (title, body, kind, method, seats, secret, opens_at,"
		" closes_at, status, author_id, created_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'draft', ?9, ?10)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	bind_proposal(st, p);
	if (p->author_id > 0)
		sqlite3_bind_int64(st, 9, p->author_id);
	sqlite3_bind_int64(st, 10, now);
	return db_insert_id(db, st, id) == 1 ? 1 : -1;
}

int db_proposal_update_draft(struct db *db, const struct db_proposal *p)
{
	static const char sql[] =
		"UPDATE proposals SET title = ?1, body = ?2, kind = ?3, method = ?4, seats = ?5,"
		" secret = ?6, opens_at = ?7, closes_at = ?8 WHERE id = ?9 AND status = 'draft'";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	bind_proposal(st, p);
	sqlite3_bind_int64(st, 9, p->id);
	return db_change(db, st);
}

int db_proposal_get(struct db *db, int64_t id, struct db_proposal *out)
{
	static const char sql[] = "SELECT " PROPOSAL_COLS " WHERE p.id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		proposal_from_row(st, out);
	return db_row_done(st, rc);
}

int db_proposal_each(struct db *db, bool with_drafts,
		     int (*fn)(const struct db_proposal *p, void *arg), void *arg)
{
	static const char sql[] = "SELECT " PROPOSAL_COLS " WHERE ?1 OR p.status <> 'draft'"
				  " ORDER BY CASE p.status WHEN 'open' THEN 0 WHEN 'draft' THEN 1"
				  " ELSE 2 END, p.closes_at DESC, p.id DESC";
	sqlite3_stmt *st = db_stmt(db, sql);
	struct db_proposal *p = malloc(sizeof *p);
	int rc = SQLITE_ERROR;

	if (st == NULL || p == NULL) {
		free(p);
		return -1;
	}
	sqlite3_bind_int(st, 1, with_drafts);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		proposal_from_row(st, p);
		if (fn(p, arg) != 0)
			break;
	}
	free(p);
	return db_each_done(st, rc);
}

int db_options_set(struct db *db, int64_t proposal_id, const char (*labels)[DB_GOV_LABEL_MAX],
		   size_t n)
{
	static const char del[] = "DELETE FROM proposal_options WHERE proposal_id = ?1";
	static const char ins[] =
		"INSERT INTO proposal_options (proposal_id, position, label) VALUES (?1, ?2, ?3)";

	if (db_exec_id(db, del, proposal_id) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *st = db_stmt(db, ins);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, proposal_id);
		sqlite3_bind_int(st, 2, (int)i + 1);
		sqlite3_bind_text(st, 3, labels[i], -1, SQLITE_STATIC);
		if (db_exec_stmt(db, st) < 0)
			return -1;
	}
	return 1;
}

int db_option_each(struct db *db, int64_t proposal_id,
		   int (*fn)(int position, const char *label, void *arg), void *arg)
{
	static const char sql[] = "SELECT position, label FROM proposal_options"
				  " WHERE proposal_id = ?1 ORDER BY position";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, proposal_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn(sqlite3_column_int(st, 0), (const char *)sqlite3_column_text(st, 1), arg) !=
		    0)
			break;
	return db_each_done(st, rc);
}

int64_t db_option_count(struct db *db, int64_t proposal_id)
{
	static const char sql[] = "SELECT count(*) FROM proposal_options WHERE proposal_id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, proposal_id);
	return db_scalar(st);
}

int db_proposal_open(struct db *db, int64_t id, int64_t rulebook_version, const char *pepper,
		     int64_t now, int64_t *electorate)
{
	static const char sql[] =
		"UPDATE proposals SET status = 'open', rulebook_version = ?2, voter_pepper = ?3,"
		" opens_at = ?4 WHERE id = ?1 AND status = 'draft'";
	/* Members in good standing who have not left, with their class now. */
	static const char snap[] = "INSERT INTO electorate (proposal_id, person_id, class_id)"
				   " SELECT ?1, m.person_id, m.class_id FROM memberships m"
				   " WHERE m.left_on IS NULL AND m.good_standing = 1";
	static const char count[] = "SELECT count(*) FROM electorate WHERE proposal_id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, rulebook_version);
	sqlite3_bind_text(st, 3, pepper, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	if ((rc = db_change(db, st)) <= 0)
		return rc;
	if (db_exec_id(db, snap, id) < 0 || (st = db_stmt(db, count)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	*electorate = db_scalar(st);
	return *electorate < 0 ? -1 : 1;
}

int db_proposal_close(struct db *db, int64_t id, int64_t now)
{
	static const char sql[] =
		"UPDATE proposals SET status = 'closed', closed_at = ?2, voter_pepper = NULL"
		" WHERE id = ?1 AND status = 'open'";
	static const char tags[] = "UPDATE ballots SET voter_tag = NULL WHERE proposal_id = ?1";
	/* How many times someone changed their vote would match the length of
	 * a chain of superseded receipts in the published log: cleared too. */
	static const char times[] =
		"UPDATE voters SET voted_at = NULL, changes = 0 WHERE proposal_id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	if ((rc = db_change(db, st)) <= 0)
		return rc;
	if (db_exec_id(db, tags, id) < 0 || db_exec_id(db, times, id) < 0)
		return -1;
	return 1;
}

int db_proposal_decide(struct db *db, int64_t id, const char *outcome, const char *result,
		       int64_t now)
{
	static const char sql[] =
		"UPDATE proposals SET status = 'decided', outcome = ?2, result = ?3,"
		" decided_at = ?4 WHERE id = ?1 AND status = 'closed'";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, outcome, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, result, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	return db_change(db, st);
}

int db_proposal_result(struct db *db, int64_t id, char **out)
{
	static const char sql[] =
		"SELECT result FROM proposals WHERE id = ?1 AND result IS NOT NULL";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	*out = NULL;
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		*out = strdup(t != NULL ? t : "");
		if (*out == NULL) {
			sqlite3_reset(st);
			return -1;
		}
	}
	return db_row_done(st, rc);
}

int db_proposal_pepper(struct db *db, int64_t id, char out[DB_GOV_HASH_HEX])
{
	static const char sql[] = "SELECT voter_pepper FROM proposals"
				  " WHERE id = ?1 AND status = 'open' AND voter_pepper IS NOT NULL";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		db_column_copy(st, 0, out, DB_GOV_HASH_HEX);
	return db_row_done(st, rc);
}

int db_proposal_each_due(struct db *db, int64_t now, int (*fn)(int64_t id, void *arg), void *arg)
{
	static const char sql[] = "SELECT id FROM proposals WHERE status = 'open'"
				  " AND closes_at IS NOT NULL AND closes_at <= ?1 ORDER BY id";
	sqlite3_stmt *st = db_stmt(db, sql);
	int64_t ids[64];
	size_t n = 0;
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < 64)
		ids[n++] = sqlite3_column_int64(st, 0);
	if (db_each_done(st, rc) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (fn(ids[i], arg) != 0)
			break;
	return 1;
}

/* ---- electorate and voters ---- */

int db_gov_member_of_user(struct db *db, int64_t user_id, int64_t *person_id, char class_code[33])
{
	static const char sql[] =
		"SELECT p.id, c.code FROM people p JOIN memberships m ON m.person_id = p.id"
		" JOIN member_classes c ON c.id = m.class_id"
		" WHERE p.user_id = ?1 AND m.left_on IS NULL AND m.good_standing = 1";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, user_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*person_id = sqlite3_column_int64(st, 0);
		db_column_copy(st, 1, class_code, 33);
	}
	return db_row_done(st, rc);
}

int db_electorate_class(struct db *db, int64_t proposal_id, int64_t person_id, char class_code[33])
{
	static const char sql[] =
		"SELECT c.code FROM electorate e JOIN member_classes c ON c.id = e.class_id"
		" WHERE e.proposal_id = ?1 AND e.person_id = ?2";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, proposal_id);
	sqlite3_bind_int64(st, 2, person_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		db_column_copy(st, 0, class_code, 33);
	return db_row_done(st, rc);
}

int db_electorate_each(struct db *db, int64_t proposal_id,
		       int (*fn)(const char *code, const char *name, int64_t members, void *arg),
		       void *arg)
{
	static const char sql[] =
		"SELECT c.code, c.name, count(*) FROM electorate e"
		" JOIN member_classes c ON c.id = e.class_id WHERE e.proposal_id = ?1"
		" GROUP BY c.id ORDER BY c.position, c.id";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, proposal_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn((const char *)sqlite3_column_text(st, 0),
		       (const char *)sqlite3_column_text(st, 1), sqlite3_column_int64(st, 2),
		       arg) != 0)
			break;
	return db_each_done(st, rc);
}

int db_electorate_people(struct db *db, int64_t proposal_id,
			 int (*fn)(int64_t person_id, const char *class_code, bool has_login,
				   void *arg),
			 void *arg)
{
	static const char sql[] =
		"SELECT e.person_id, c.code, p.user_id IS NOT NULL FROM electorate e"
		" JOIN member_classes c ON c.id = e.class_id JOIN people p ON p.id = e.person_id"
		" WHERE e.proposal_id = ?1 ORDER BY e.person_id";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, proposal_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn(sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
		       sqlite3_column_int(st, 2) != 0, arg) != 0)
			break;
	return db_each_done(st, rc);
}

static void voter_from_row(sqlite3_stmt *st, struct db_voter *v)
{
	memset(v, 0, sizeof *v);
	v->person_id = sqlite3_column_int64(st, 0);
	v->cast_by = sqlite3_column_int64(st, 1);
	v->voted_at = sqlite3_column_int64(st, 2);
	v->changes = sqlite3_column_int(st, 3);
	db_column_copy(st, 4, v->receipt, sizeof v->receipt);
	db_column_copy(st, 5, v->known_as, sizeof v->known_as);
}

int db_voter_get(struct db *db, int64_t proposal_id, int64_t person_id, struct db_voter *out)
{
	static const char sql[] =
		"SELECT v.person_id, v.cast_by, v.voted_at, v.changes, v.receipt, p.known_as"
		" FROM voters v JOIN people p ON p.id = v.person_id"
		" WHERE v.proposal_id = ?1 AND v.person_id = ?2";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, proposal_id);
	sqlite3_bind_int64(st, 2, person_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		voter_from_row(st, out);
	return db_row_done(st, rc);
}

int db_voter_record(struct db *db, int64_t proposal_id, int64_t person_id, int64_t cast_by,
		    int64_t now, const char *receipt)
{
	static const char sql[] =
		"INSERT INTO voters (proposal_id, person_id, cast_by, voted_at, receipt)"
		" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (proposal_id, person_id) DO UPDATE SET"
		" cast_by = excluded.cast_by, voted_at = excluded.voted_at,"
		" receipt = excluded.receipt, changes = changes + 1";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, proposal_id);
	sqlite3_bind_int64(st, 2, person_id);
	sqlite3_bind_int64(st, 3, cast_by);
	sqlite3_bind_int64(st, 4, now);
	db_bind_text_or_null(st, 5, receipt);
	return db_exec_stmt(db, st);
}

int db_voter_each(struct db *db, int64_t proposal_id,
		  int (*fn)(const struct db_voter *v, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT v.person_id, v.cast_by, v.voted_at, v.changes, v.receipt, p.known_as"
		" FROM voters v JOIN people p ON p.id = v.person_id"
		" WHERE v.proposal_id = ?1 ORDER BY p.full_name, p.id";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, proposal_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_voter v;
		voter_from_row(st, &v);
		if (fn(&v, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}

/* ---- the ballot log ---- */

int db_ballot_canonical(const struct db_ballot *b, char *buf, size_t n)
{
	int len = snprintf(buf, n, "carecoop-ballot/1\n%lld\n%lld\n%s\n%s\n%s\n%s\n",
			   (long long)b->proposal_id, (long long)b->seq, b->receipt, b->class_code,
			   b->choice, b->supersedes);

	return len < 0 || (size_t)len >= n ? -1 : len;
}

static void hex_of(const uint8_t *d, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
}

void db_ballot_hash(const char *prev_hash, const char *canonical, char out[DB_GOV_HASH_HEX])
{
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];

	sha256_init(&ctx);
	sha256_update(&ctx, strlen(prev_hash), (const uint8_t *)prev_hash);
	sha256_update(&ctx, strlen(canonical), (const uint8_t *)canonical);
	sha256_digest(&ctx, sizeof d, d);
	hex_of(d, sizeof d, out);
}

void db_gov_tag(const char *pepper, int64_t person_id, char out[DB_GOV_HASH_HEX])
{
	char id[32];

	snprintf(id, sizeof id, ":%lld", (long long)person_id);
	db_ballot_hash(pepper, id, out);
}

int db_ballot_append(struct db *db, struct db_ballot *b)
{
	static const char head[] = "SELECT seq, hash FROM ballots WHERE proposal_id = ?1"
				   " ORDER BY seq DESC LIMIT 1";
	static const char ins[] =
		"INSERT INTO ballots (proposal_id, seq, receipt, class_code, choice, supersedes,"
		" prev_hash, hash, voter_tag) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	sqlite3_stmt *st = db_stmt(db, head);
	char canon[512];
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, b->proposal_id);
	rc = sqlite3_step(st);
	b->seq = 1;
	text_copy(b->prev_hash, sizeof b->prev_hash, ZERO_HASH);
	if (rc == SQLITE_ROW) {
		b->seq = sqlite3_column_int64(st, 0) + 1;
		db_column_copy(st, 1, b->prev_hash, sizeof b->prev_hash);
	}
	if (db_row_done(st, rc) < 0 || db_ballot_canonical(b, canon, sizeof canon) < 0)
		return -1;
	db_ballot_hash(b->prev_hash, canon, b->hash);
	if ((st = db_stmt(db, ins)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, b->proposal_id);
	sqlite3_bind_int64(st, 2, b->seq);
	sqlite3_bind_text(st, 3, b->receipt, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, b->class_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, b->choice, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, b->supersedes, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, b->prev_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, b->hash, -1, SQLITE_STATIC);
	db_bind_text_or_null(st, 9, b->voter_tag);
	return db_insert_id(db, st, NULL);
}

int db_ballot_live_by_tag(struct db *db, int64_t proposal_id, const char *tag,
			  char receipt[DB_GOV_RECEIPT_MAX])
{
	static const char sql[] = "SELECT receipt FROM ballots WHERE proposal_id = ?1"
				  " AND voter_tag = ?2 ORDER BY seq DESC LIMIT 1";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, proposal_id);
	sqlite3_bind_text(st, 2, tag, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		db_column_copy(st, 0, receipt, DB_GOV_RECEIPT_MAX);
	return db_row_done(st, rc);
}

int db_ballot_each(struct db *db, int64_t proposal_id,
		   int (*fn)(const struct db_ballot *b, bool live, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT b.seq, b.receipt, b.class_code, b.choice, b.supersedes, b.prev_hash,"
		" b.hash, coalesce(b.voter_tag, ''), NOT EXISTS (SELECT 1 FROM ballots s"
		" WHERE s.proposal_id = b.proposal_id AND s.supersedes = b.receipt)"
		" FROM ballots b WHERE b.proposal_id = ?1 ORDER BY b.seq";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, proposal_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_ballot b;

		memset(&b, 0, sizeof b);
		b.proposal_id = proposal_id;
		b.seq = sqlite3_column_int64(st, 0);
		db_column_copy(st, 1, b.receipt, sizeof b.receipt);
		db_column_copy(st, 2, b.class_code, sizeof b.class_code);
		db_column_copy(st, 3, b.choice, sizeof b.choice);
		db_column_copy(st, 4, b.supersedes, sizeof b.supersedes);
		db_column_copy(st, 5, b.prev_hash, sizeof b.prev_hash);
		db_column_copy(st, 6, b.hash, sizeof b.hash);
		db_column_copy(st, 7, b.voter_tag, sizeof b.voter_tag);
		if (fn(&b, sqlite3_column_int(st, 8) != 0, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}

struct counts_ctx {
	struct tally_class_count *counts;
	size_t cap, n;
	bool overflow;
};

static int add_class_count(const char *code, const char *name, int64_t members, void *arg)
{
	struct counts_ctx *c = arg;

	(void)name;
	if (c->n >= c->cap) {
		c->overflow = true;
		return 1;
	}
	memset(&c->counts[c->n], 0, sizeof c->counts[c->n]);
	text_copy(c->counts[c->n].code, sizeof c->counts[c->n].code, code);
	c->counts[c->n++].electorate = members;
	return 0;
}

static int add_ballot_count(const struct db_ballot *b, bool live, void *arg)
{
	struct counts_ctx *c = arg;

	if (!live)
		return 0;
	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->counts[i].code, b->class_code) != 0)
			continue;
		if (strcmp(b->choice, "for") == 0)
			c->counts[i].yes++;
		else if (strcmp(b->choice, "against") == 0)
			c->counts[i].no++;
		else
			c->counts[i].abstain++;
		return 0;
	}
	c->overflow = true; /* a ballot of a class not in the snapshot */
	return 1;
}

int db_ballot_counts(struct db *db, int64_t proposal_id, struct tally_class_count *counts,
		     size_t cap, size_t *n)
{
	struct counts_ctx c = {counts, cap, 0, false};

	if (db_electorate_each(db, proposal_id, add_class_count, &c) < 0 ||
	    db_ballot_each(db, proposal_id, add_ballot_count, &c) < 0 || c.overflow)
		return -1;
	*n = c.n;
	return 1;
}

struct verify_ctx {
	char prev[DB_GOV_HASH_HEX];
	int64_t n, bad;
	char *why;
	size_t whylen;
};

static int verify_one(const struct db_ballot *b, bool live, void *arg)
{
	struct verify_ctx *v = arg;
	char canon[512], hash[DB_GOV_HASH_HEX];

	(void)live;
	if (b->seq != v->n + 1) {
		v->bad = v->n + 1;
		snprintf(v->why, v->whylen, "entry %lld is missing", (long long)(v->n + 1));
		return 1;
	}
	if (strcmp(b->prev_hash, v->prev) != 0) {
		v->bad = b->seq;
		snprintf(v->why, v->whylen, "entry %lld does not link to entry %lld",
			 (long long)b->seq, (long long)(b->seq - 1));
		return 1;
	}
	if (db_ballot_canonical(b, canon, sizeof canon) < 0) {
		v->bad = b->seq;
		snprintf(v->why, v->whylen, "entry %lld is malformed", (long long)b->seq);
		return 1;
	}
	db_ballot_hash(b->prev_hash, canon, hash);
	if (strcmp(hash, b->hash) != 0) {
		v->bad = b->seq;
		snprintf(v->why, v->whylen, "entry %lld (receipt %s) was altered",
			 (long long)b->seq, b->receipt);
		return 1;
	}
	text_copy(v->prev, sizeof v->prev, b->hash);
	v->n++;
	return 0;
}

int db_ballot_verify(struct db *db, int64_t proposal_id, int64_t *n, int64_t *bad_seq, char *why,
		     size_t whylen)
{
	static const char count[] = "SELECT count(*) FROM voters WHERE proposal_id = ?1";
	struct verify_ctx v = {.why = why, .whylen = whylen};
	sqlite3_stmt *st;
	int64_t voters;
	size_t live = 0;

	text_copy(v.prev, sizeof v.prev, ZERO_HASH);
	if (db_ballot_each(db, proposal_id, verify_one, &v) < 0)
		return -1;
	*n = v.n;
	*bad_seq = v.bad;
	if (v.bad != 0)
		return 0;
	/* Every voter has exactly one ballot that counts: a removed last entry
	 * (which no link reveals) shows as a voter without a ballot. */
	struct tally_class_count counts[TALLY_CLASSES_MAX];
	if (db_ballot_counts(db, proposal_id, counts, TALLY_CLASSES_MAX, &live) < 0)
		return -1;
	int64_t counted = 0;
	for (size_t i = 0; i < live; i++)
		counted += counts[i].yes + counts[i].no + counts[i].abstain;
	if ((st = db_stmt(db, count)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, proposal_id);
	if ((voters = db_scalar(st)) < 0)
		return -1;
	if (voters != counted) {
		*bad_seq = v.n + 1;
		snprintf(why, whylen, "%lld members voted but %lld ballots count",
			 (long long)voters, (long long)counted);
		return 0;
	}
	return 1;
}

/* ---- proxies ---- */

#define PROXY_COLS                                                                          \
	"x.id, x.proposal_id, x.grantor_id, x.holder_id, g.known_as, h.known_as,"           \
	" x.appointed_at, coalesce(x.used_at, 0), coalesce(x.revoked_at, 0) FROM proxies x" \
	" JOIN people g ON g.id = x.grantor_id JOIN people h ON h.id = x.holder_id"

static void proxy_from_row(sqlite3_stmt *st, struct db_proxy *p)
{
	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(st, 0);
	p->proposal_id = sqlite3_column_int64(st, 1);
	p->grantor_id = sqlite3_column_int64(st, 2);
	p->holder_id = sqlite3_column_int64(st, 3);
	db_column_copy(st, 4, p->grantor, sizeof p->grantor);
	db_column_copy(st, 5, p->holder, sizeof p->holder);
	p->appointed_at = sqlite3_column_int64(st, 6);
	p->used_at = sqlite3_column_int64(st, 7);
	p->revoked_at = sqlite3_column_int64(st, 8);
}

static int proxy_one(struct db *db, const char *sql, int64_t a, int64_t b, struct db_proxy *out)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		proxy_from_row(st, out);
	return db_row_done(st, rc);
}

int db_proxy_live(struct db *db, int64_t proposal_id, int64_t grantor_id, struct db_proxy *out)
{
	static const char sql[] = "SELECT " PROXY_COLS " WHERE x.proposal_id = ?1"
				  " AND x.grantor_id = ?2 AND x.revoked_at IS NULL";
	return proxy_one(db, sql, proposal_id, grantor_id, out);
}

int db_proxy_get(struct db *db, int64_t proposal_id, int64_t id, struct db_proxy *out)
{
	static const char sql[] = "SELECT " PROXY_COLS " WHERE x.proposal_id = ?1 AND x.id = ?2";
	return proxy_one(db, sql, proposal_id, id, out);
}

int64_t db_proxy_held(struct db *db, int64_t proposal_id, int64_t holder_id)
{
	static const char sql[] = "SELECT count(*) FROM proxies WHERE proposal_id = ?1"
				  " AND holder_id = ?2 AND revoked_at IS NULL";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, proposal_id);
	sqlite3_bind_int64(st, 2, holder_id);
	return db_scalar(st);
}

static int proxy_log(struct db *db, int64_t proxy_id, const char *action, int64_t user_id,
		     int64_t now)
{
	static const char sql[] =
		"INSERT INTO proxy_log (proxy_id, at, action, user_id) VALUES (?1, ?2, ?3, ?4)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, proxy_id);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
	if (user_id > 0)
		sqlite3_bind_int64(st, 4, user_id);
	return db_exec_stmt(db, st);
}

int db_proxy_appoint(struct db *db, int64_t proposal_id, int64_t grantor_id, int64_t holder_id,
		     int64_t user_id, int64_t now, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO proxies (proposal_id, grantor_id, holder_id, appointed_at)"
		" VALUES (?1, ?2, ?3, ?4)";
	sqlite3_stmt *st = db_stmt(db, sql);
	int64_t pid;
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, proposal_id);
	sqlite3_bind_int64(st, 2, grantor_id);
	sqlite3_bind_int64(st, 3, holder_id);
	sqlite3_bind_int64(st, 4, now);
	if ((rc = db_insert_id(db, st, &pid)) <= 0)
		return rc;
	if (id != NULL)
		*id = pid;
	return proxy_log(db, pid, "appointed", user_id, now);
}

int db_proxy_revoke(struct db *db, int64_t id, int64_t user_id, int64_t now)
{
	static const char sql[] =
		"UPDATE proxies SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	if ((rc = db_change(db, st)) <= 0)
		return rc;
	return proxy_log(db, id, "revoked", user_id, now);
}

int db_proxy_use(struct db *db, int64_t id, int64_t user_id, int64_t now)
{
	static const char sql[] = "UPDATE proxies SET used_at = ?2 WHERE id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	if (db_change(db, st) <= 0)
		return -1;
	return proxy_log(db, id, "used", user_id, now);
}

int db_proxy_each(struct db *db, int64_t proposal_id, int64_t person_id,
		  int (*fn)(const struct db_proxy *p, void *arg), void *arg)
{
	static const char sql[] = "SELECT " PROXY_COLS " WHERE x.proposal_id = ?1"
				  " AND (?2 = 0 OR x.grantor_id = ?2 OR x.holder_id = ?2)"
				  " ORDER BY x.id";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, proposal_id);
	sqlite3_bind_int64(st, 2, person_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_proxy p;
		proxy_from_row(st, &p);
		if (fn(&p, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}

int db_proxy_log_each(struct db *db, int64_t proposal_id,
		      int (*fn)(const struct db_proxy_event *e, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT l.proxy_id, l.at, l.action, g.known_as, h.known_as FROM proxy_log l"
		" JOIN proxies x ON x.id = l.proxy_id JOIN people g ON g.id = x.grantor_id"
		" JOIN people h ON h.id = x.holder_id WHERE x.proposal_id = ?1 ORDER BY l.id";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, proposal_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_proxy_event e;
		memset(&e, 0, sizeof e);
		e.proxy_id = sqlite3_column_int64(st, 0);
		e.at = sqlite3_column_int64(st, 1);
		db_column_copy(st, 2, e.action, sizeof e.action);
		db_column_copy(st, 3, e.grantor, sizeof e.grantor);
		db_column_copy(st, 4, e.holder, sizeof e.holder);
		if (fn(&e, arg) != 0)
			break;
	}
	return db_each_done(st, rc);
}

/* ---- comments ---- */

int db_comment_add(struct db *db, int64_t proposal_id, int64_t person_id, const char *body,
		   int64_t now, int64_t *id)
{
	static const char sql[] = "INSERT INTO proposal_comments (proposal_id, person_id, body, at)"
				  " VALUES (?1, ?2, ?3, ?4)";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, proposal_id);
	if (person_id > 0)
		sqlite3_bind_int64(st, 2, person_id);
	sqlite3_bind_text(st, 3, body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	return db_insert_id(db, st, id) == 1 ? 1 : -1;
}

int db_comment_each(struct db *db, int64_t proposal_id,
		    int (*fn)(const struct db_comment *c, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT c.id, coalesce(c.person_id, 0), c.at, coalesce(p.known_as, ''), c.body"
		" FROM proposal_comments c LEFT JOIN people p ON p.id = c.person_id"
		" WHERE c.proposal_id = ?1 ORDER BY c.at, c.id";
	sqlite3_stmt *st = db_stmt(db, sql);
	struct db_comment *c = malloc(sizeof *c);
	int rc = SQLITE_ERROR;

	if (st == NULL || c == NULL) {
		free(c);
		return -1;
	}
	sqlite3_bind_int64(st, 1, proposal_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(c, 0, sizeof *c);
		c->id = sqlite3_column_int64(st, 0);
		c->person_id = sqlite3_column_int64(st, 1);
		c->at = sqlite3_column_int64(st, 2);
		db_column_copy(st, 3, c->author, sizeof c->author);
		db_column_copy(st, 4, c->body, sizeof c->body);
		if (fn(c, arg) != 0)
			break;
	}
	free(c);
	return db_each_done(st, rc);
}
