/* Governance on an in-memory database: rulebook versions that cannot be
 * edited, the electorate snapshot, one ballot per voter with the last one
 * counting, the secret-ballot erasures at close, exact class-weighted
 * counts, STV, and a hash chain that notices an altered or removed ballot.
 * Casting and counting go through gov_count (the same code the server
 * runs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/roles.h"
#include "core/tally.h"
#include "core/text.h"
#include "db/db.h"
#include "db/db_coop.h"
#include "db/db_gov.h"
#include "db/db_internal.h"
#include "db/db_people.h"
#include "db/db_user.h"
#include "http/gov_count.h"

#define NOW 1750000000

struct fixture {
	struct db *db;
	int64_t worker[2], recipient[3], outsider, leaver, supporter_class;
};

static int64_t member(struct db *db, const char *name, const char *class_code, bool standing)
{
	struct db_person p;
	struct db_class c;
	int64_t id = 0, m;

	memset(&p, 0, sizeof p);
	text_copy(p.full_name, sizeof p.full_name, name);
	text_copy(p.known_as, sizeof p.known_as, name);
	assert_int_equal(db_person_insert(db, &p, &id), 1);
	if (class_code != NULL) {
		assert_int_equal(db_class_by_code(db, class_code, &c), 1);
		assert_int_equal(db_member_insert(db, id, c.id, "2024-01-01", 100, standing, &m),
				 1);
	}
	return id;
}

static int setup(void **state)
{
	static struct fixture f;
	char err[256];
	struct db_class c;
	int64_t m;

	memset(&f, 0, sizeof f);
	f.db = db_open(":memory:", err, sizeof err);
	if (f.db == NULL || db_migrate(f.db, -1, err, sizeof err) != 1)
		return -1;
	f.worker[0] = member(f.db, "Amira", "worker", true);
	f.worker[1] = member(f.db, "Ben", "worker", true);
	f.recipient[0] = member(f.db, "Margaret", "recipient", true);
	f.recipient[1] = member(f.db, "Arthur", "recipient", true);
	f.recipient[2] = member(f.db, "Dorothy", "recipient", true);
	f.outsider = member(f.db, "Olive", "investor", false); /* not in good standing */
	f.leaver = member(f.db, "Lenny", NULL, true);
	assert_int_equal(db_class_by_code(f.db, "worker", &c), 1);
	assert_int_equal(db_member_insert(f.db, f.leaver, c.id, "2024-01-01", 100, true, &m), 1);
	assert_int_equal(db_member_end(f.db, m, "2025-01-01"), 1);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	return 0;
}

static void shares_rulebook(struct db *db, int64_t *version)
{
	struct db_rulebook rb;

	memset(&rb, 0, sizeof rb);
	tally_rulebook_default(&rb.rules);
	rb.rules.weighting = TALLY_CLASS_SHARES;
	rb.rules.proxy_limit = 2;
	text_copy(rb.rules.classes[0].code, sizeof rb.rules.classes[0].code, "worker");
	tally_frac_make(50, 100, &rb.rules.classes[0].share);
	text_copy(rb.rules.classes[1].code, sizeof rb.rules.classes[1].code, "recipient");
	tally_frac_make(25, 100, &rb.rules.classes[1].share);
	text_copy(rb.rules.classes[2].code, sizeof rb.rules.classes[2].code, "supporter");
	tally_frac_make(25, 100, &rb.rules.classes[2].share);
	rb.rules.n_classes = 3;
	text_copy(rb.note, sizeof rb.note, "AGM 2025");
	assert_int_equal(db_rulebook_insert(db, &rb, 0, NOW, version), 1);
}

static int64_t open_proposal(struct db *db, const char *kind, const char *method, int seats,
			     const char *const *options, int64_t *electorate)
{
	struct db_proposal p;
	struct gov_open o = {.now = NOW};
	char labels[8][DB_GOV_LABEL_MAX];
	size_t n = 0;
	int64_t id;

	memset(&p, 0, sizeof p);
	text_copy(p.title, sizeof p.title, "Test proposal");
	text_copy(p.body, sizeof p.body, "Text");
	text_copy(p.kind, sizeof p.kind, kind);
	text_copy(p.method, sizeof p.method, method);
	p.seats = seats;
	p.secret = true;
	p.closes_at = NOW + 86400;
	assert_int_equal(db_proposal_create(db, &p, NOW - 10, &id), 1);
	while (options != NULL && options[n] != NULL) {
		text_copy(labels[n], DB_GOV_LABEL_MAX, options[n]);
		n++;
	}
	if (n > 0)
		assert_int_equal(db_options_set(db, id, (const char(*)[DB_GOV_LABEL_MAX])labels, n),
				 1);
	o.id = id;
	assert_int_equal(gov_open_tx(db, &o), 1);
	if (electorate != NULL)
		*electorate = o.electorate;
	return id;
}

/* Casts and returns the callback's result; the receipt goes to receipt. */
static int cast(struct db *db, int64_t proposal, int64_t person, const char *choice,
		struct gov_cast *c)
{
	memset(c, 0, sizeof *c);
	c->proposal_id = proposal;
	c->person_id = person;
	c->now = NOW + 60;
	text_copy(c->choice, sizeof c->choice, choice);
	assert_int_equal(gov_receipt_new(c->receipt), 0);
	return gov_cast_tx(db, c);
}

static void rulebook_versions_are_kept(void **state)
{
	struct fixture *f = *state;
	struct db_rulebook rb;
	int64_t v = 0;

	assert_int_equal(db_rulebook_current(f->db, &rb), 1);
	assert_int_equal(rb.version, 1);
	assert_int_equal(rb.rules.weighting, TALLY_ONE_MEMBER_ONE_VOTE);
	shares_rulebook(f->db, &v);
	assert_int_equal(v, 2);
	assert_int_equal(db_rulebook_current(f->db, &rb), 1);
	assert_int_equal(rb.version, 2);
	assert_int_equal(rb.rules.weighting, TALLY_CLASS_SHARES);
	assert_int_equal(rb.rules.n_classes, 3);
	assert_int_equal(tally_rulebook_check(&rb.rules), TALLY_OK);
	assert_int_equal(rb.rules.proxy_limit, 2);
	/* An old version is never edited or deleted. */
	assert_int_not_equal(
		sqlite3_exec(f->db->conn, "UPDATE rulebooks SET quorum_num = 1", NULL, NULL, NULL),
		SQLITE_OK);
	assert_int_not_equal(
		sqlite3_exec(f->db->conn, "DELETE FROM rulebook_classes", NULL, NULL, NULL),
		SQLITE_OK);
	assert_int_equal(db_rulebook_get(f->db, 1, &rb), 1);
	assert_int_equal(rb.rules.weighting, TALLY_ONE_MEMBER_ONE_VOTE);

	/* A capped class comes back as it was saved. */
	tally_rulebook_default(&rb.rules);
	rb.rules.weighting = TALLY_CAPPED_CLASS;
	rb.rules.cap_basis = TALLY_CAP_MEMBERSHIP;
	text_copy(rb.rules.capped_class, sizeof rb.rules.capped_class, "investor");
	tally_frac_make(10, 100, &rb.rules.cap);
	tally_frac_make(2, 3, &rb.rules.special);
	assert_int_equal(db_rulebook_insert(f->db, &rb, 0, NOW, &v), 1);
	assert_int_equal(v, 3);
	assert_int_equal(db_rulebook_current(f->db, &rb), 1);
	assert_int_equal(rb.rules.weighting, TALLY_CAPPED_CLASS);
	assert_int_equal(rb.rules.cap_basis, TALLY_CAP_MEMBERSHIP);
	assert_string_equal(rb.rules.capped_class, "investor");
	assert_int_equal(rb.rules.cap.num, 1);
	assert_int_equal(rb.rules.cap.den, 10);
	assert_int_equal(rb.rules.special.num, 2);
	assert_int_equal(rb.rules.special.den, 3);
	assert_int_equal(tally_rulebook_check(&rb.rules), TALLY_OK);
	/* An unknown class code gives 0 (the caller's transaction then rolls back). */
	text_copy(rb.rules.capped_class, sizeof rb.rules.capped_class, "nobody");
	assert_int_equal(db_rulebook_insert(f->db, &rb, 0, NOW, &v), 0);
}

static void electorate_is_a_snapshot(void **state)
{
	struct fixture *f = *state;
	int64_t electorate = 0, id, late;
	struct gov_cast c;
	char cls[33];

	id = open_proposal(f->db, "ordinary", "yesno", 1, NULL, &electorate);
	assert_int_equal(electorate, 5); /* not the one out of good standing nor the leaver */
	assert_int_equal(db_electorate_class(f->db, id, f->worker[0], cls), 1);
	assert_string_equal(cls, "worker");
	assert_int_equal(db_electorate_class(f->db, id, f->outsider, cls), 0);
	assert_int_equal(db_electorate_class(f->db, id, f->leaver, cls), 0);
	/* Someone who joins after opening is not in it. */
	late = member(f->db, "Late", "worker", true);
	assert_int_equal(cast(f->db, id, late, "for", &c), -2);
	assert_int_equal(c.refusal, GOV_NOT_ELECTORATE);
	assert_string_equal(c.field, "voter");
	assert_int_equal(cast(f->db, id, f->outsider, "for", &c), -2);
	assert_int_equal(c.refusal, GOV_NOT_ELECTORATE);
	/* A bad choice names the field. */
	assert_int_equal(cast(f->db, id, f->worker[0], "maybe", &c), -2);
	assert_int_equal(c.refusal, GOV_BAD_CHOICE);
	assert_string_equal(c.field, "choice");
}

static void last_vote_counts_and_close_erases_links(void **state)
{
	struct fixture *f = *state;
	struct gov_cast c;
	struct tally_class_count counts[TALLY_CLASSES_MAX];
	struct db_voter v;
	struct db_proposal p;
	char first[DB_GOV_RECEIPT_MAX], pepper[DB_GOV_HASH_HEX], err[256], why[128];
	int64_t id = open_proposal(f->db, "ordinary", "yesno", 1, NULL, NULL), n, bad;
	size_t nc = 0;
	int64_t yes = 0, no = 0;

	assert_int_equal(cast(f->db, id, f->worker[0], "for", &c), 1);
	assert_false(c.changed);
	text_copy(first, sizeof first, c.receipt);
	assert_int_equal(cast(f->db, id, f->worker[0], "against", &c), 1);
	assert_true(c.changed);
	assert_string_equal(c.ballot.supersedes, first);
	assert_int_equal(c.ballot.seq, 2);
	assert_int_equal(db_ballot_counts(f->db, id, counts, TALLY_CLASSES_MAX, &nc), 1);
	for (size_t i = 0; i < nc; i++) {
		yes += counts[i].yes;
		no += counts[i].no;
	}
	assert_int_equal(yes, 0);
	assert_int_equal(no, 1);
	assert_int_equal(db_voter_get(f->db, id, f->worker[0], &v), 1);
	assert_int_equal(v.changes, 1);
	assert_string_equal(v.receipt, ""); /* secret: the voter row holds no receipt */
	assert_int_equal(db_ballot_verify(f->db, id, &n, &bad, why, sizeof why), 1);
	assert_int_equal(n, 2);

	assert_int_equal(gov_close_and_count(f->db, id, NOW + 120, err, sizeof err), 1);
	assert_int_equal(db_proposal_get(f->db, id, &p), 1);
	assert_string_equal(p.status, "decided");
	assert_string_equal(p.outcome, "lost");
	/* The links that let a change find its ballot are gone. */
	assert_int_equal(db_proposal_pepper(f->db, id, pepper), 0);
	assert_int_equal(db_voter_get(f->db, id, f->worker[0], &v), 1);
	assert_int_equal(v.voted_at, 0);
	assert_int_equal(v.changes, 0);
	sqlite3_stmt *st = NULL;
	assert_int_equal(
		sqlite3_prepare_v2(f->db->conn,
				   "SELECT count(*) FROM ballots WHERE voter_tag IS NOT NULL", -1,
				   &st, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	/* No vote after close. */
	assert_int_equal(cast(f->db, id, f->worker[1], "for", &c), -2);
	assert_int_equal(c.refusal, GOV_NOT_OPEN);
}

static void class_shares_count_exactly(void **state)
{
	struct fixture *f = *state;
	struct gov_cast c;
	struct db_proposal p;
	char err[256], *text = NULL;
	int64_t id, v;
	json_t *r, *share;

	shares_rulebook(f->db, &v);
	id = open_proposal(f->db, "ordinary", "yesno", 1, NULL, NULL);
	/* Workers all for, recipients 1 for 2 against, supporters silent:
	 * (1/2 * 1 + 1/4 * 1/3) / (3/4) = 7/9, carried. */
	assert_int_equal(cast(f->db, id, f->worker[0], "for", &c), 1);
	assert_int_equal(cast(f->db, id, f->worker[1], "for", &c), 1);
	assert_int_equal(cast(f->db, id, f->recipient[0], "for", &c), 1);
	assert_int_equal(cast(f->db, id, f->recipient[1], "against", &c), 1);
	assert_int_equal(cast(f->db, id, f->recipient[2], "against", &c), 1);
	assert_int_equal(gov_close_and_count(f->db, id, NOW + 120, err, sizeof err), 1);
	assert_int_equal(db_proposal_get(f->db, id, &p), 1);
	assert_string_equal(p.status, "decided");
	assert_string_equal(p.outcome, "carried");
	assert_int_equal(p.rulebook_version, v);
	assert_int_equal(db_proposal_result(f->db, id, &text), 1);
	r = json_loads(text, 0, NULL);
	free(text);
	assert_non_null(r);
	share = json_object_get(r, "yes_share");
	assert_int_equal(json_integer_value(json_object_get(share, "num")), 7);
	assert_int_equal(json_integer_value(json_object_get(share, "den")), 9);
	assert_string_equal(json_string_value(json_object_get(share, "percent")), "77.77");
	assert_int_equal(json_integer_value(json_object_get(r, "rulebook_version")), v);
	/* Every class of the rulebook, the silent supporters too. */
	assert_int_equal(json_array_size(json_object_get(r, "classes")), 3);
	json_decref(r);
}

static void stv_election_is_counted(void **state)
{
	struct fixture *f = *state;
	static const char *const names[] = {"Helen", "Amira", "Tom", NULL};
	struct gov_cast c;
	char err[256], *text = NULL, *blt = NULL;
	int64_t id = open_proposal(f->db, "election", "stv", 1, names, NULL);
	json_t *r;

	assert_int_equal(cast(f->db, id, f->worker[0], "2>1", &c), 1);
	assert_int_equal(cast(f->db, id, f->worker[1], "2", &c), 1);
	assert_int_equal(cast(f->db, id, f->recipient[0], "1>2", &c), 1);
	assert_int_equal(cast(f->db, id, f->recipient[1], "3>1", &c), 1);
	assert_int_equal(cast(f->db, id, f->recipient[2], "2>2", &c), -2); /* repeated */
	assert_string_equal(c.field, "ranking");
	assert_int_equal(cast(f->db, id, f->recipient[2], "4", &c), -2); /* no such candidate */
	assert_int_equal(gov_close_and_count(f->db, id, NOW + 120, err, sizeof err), 1);
	assert_int_equal(db_proposal_result(f->db, id, &text), 1);
	r = json_loads(text, 0, NULL);
	free(text);
	assert_non_null(r);
	assert_string_equal(json_string_value(json_object_get(r, "outcome")), "elected");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(r, "elected"), 0), "label")),
			    "Amira");
	json_decref(r);
	assert_int_equal(gov_blt(f->db, id, &blt), 1);
	assert_non_null(strstr(blt, "3 1\n"));
	assert_non_null(strstr(blt, "\"Amira\""));
	free(blt);
}

static void chain_notices_tampering(void **state)
{
	struct fixture *f = *state;
	struct gov_cast c;
	char why[128];
	int64_t id = open_proposal(f->db, "ordinary", "yesno", 1, NULL, NULL), n, bad;

	assert_int_equal(cast(f->db, id, f->worker[0], "for", &c), 1);
	assert_int_equal(cast(f->db, id, f->worker[1], "against", &c), 1);
	assert_int_equal(cast(f->db, id, f->recipient[0], "for", &c), 1);
	assert_int_equal(db_ballot_verify(f->db, id, &n, &bad, why, sizeof why), 1);
	assert_int_equal(n, 3);
	/* An altered choice breaks that entry's hash. */
	assert_int_equal(sqlite3_exec(f->db->conn,
				      "UPDATE ballots SET choice = 'for' WHERE seq = 2", NULL, NULL,
				      NULL),
			 SQLITE_OK);
	assert_int_equal(db_ballot_verify(f->db, id, &n, &bad, why, sizeof why), 0);
	assert_int_equal(bad, 2);
	assert_non_null(strstr(why, "altered"));
	assert_int_equal(sqlite3_exec(f->db->conn,
				      "UPDATE ballots SET choice = 'against' WHERE seq = 2", NULL,
				      NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(db_ballot_verify(f->db, id, &n, &bad, why, sizeof why), 1);
	/* A removed entry in the middle breaks the next link... */
	assert_int_equal(
		sqlite3_exec(f->db->conn,
			     "CREATE TEMP TABLE keep AS SELECT * FROM ballots WHERE seq = 2;"
			     "DELETE FROM ballots WHERE seq = 2",
			     NULL, NULL, NULL),
		SQLITE_OK);
	assert_int_equal(db_ballot_verify(f->db, id, &n, &bad, why, sizeof why), 0);
	assert_int_equal(bad, 2);
	/* ...and a removed last entry leaves a voter without a ballot. */
	assert_int_equal(sqlite3_exec(f->db->conn,
				      "INSERT INTO ballots SELECT * FROM keep;"
				      "DELETE FROM ballots WHERE seq = 3",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(db_ballot_verify(f->db, id, &n, &bad, why, sizeof why), 0);
	assert_int_equal(bad, 3);
}

static void proxies_are_logged(void **state)
{
	struct fixture *f = *state;
	struct gov_cast c;
	struct db_proxy x;
	int64_t id = open_proposal(f->db, "ordinary", "yesno", 1, NULL, NULL), pid;

	assert_int_equal(db_proxy_appoint(f->db, id, f->recipient[0], f->worker[0], 0, NOW, &pid),
			 1);
	/* One live proxy per grantor. */
	assert_int_equal(db_proxy_appoint(f->db, id, f->recipient[0], f->worker[1], 0, NOW, NULL),
			 0);
	assert_int_equal(db_proxy_held(f->db, id, f->worker[0]), 1);
	/* Only the holder may use it. */
	memset(&c, 0, sizeof c);
	c.on_behalf_of = f->recipient[0];
	c.proposal_id = id;
	c.person_id = f->worker[1];
	c.now = NOW + 1;
	text_copy(c.choice, sizeof c.choice, "for");
	assert_int_equal(gov_receipt_new(c.receipt), 0);
	assert_int_equal(gov_cast_tx(f->db, &c), -2);
	assert_int_equal(c.refusal, GOV_NO_PROXY);
	c.person_id = f->worker[0];
	assert_int_equal(gov_cast_tx(f->db, &c), 1);
	assert_string_equal(c.ballot.class_code, "recipient"); /* the grantor's class */
	assert_int_equal(db_proxy_get(f->db, id, pid, &x), 1);
	assert_true(x.used_at > 0);
	/* Voting in person revokes the proxy; the person's vote supersedes. */
	assert_int_equal(cast(f->db, id, f->recipient[0], "against", &c), 1);
	assert_true(c.changed);
	assert_int_equal(db_proxy_get(f->db, id, pid, &x), 1);
	assert_true(x.revoked_at > 0);
	assert_int_equal(db_proxy_held(f->db, id, f->worker[0]), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(rulebook_versions_are_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(electorate_is_a_snapshot, setup, teardown),
		cmocka_unit_test_setup_teardown(last_vote_counts_and_close_erases_links, setup,
						teardown),
		cmocka_unit_test_setup_teardown(class_shares_count_exactly, setup, teardown),
		cmocka_unit_test_setup_teardown(stv_election_is_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(chain_notices_tampering, setup, teardown),
		cmocka_unit_test_setup_teardown(proxies_are_logged, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
