/* Surplus storage on an in-memory database: rulebook versions are never
 * edited, memberships that count in a year, a run's life from draft to
 * approved (linked to a carried proposal) to paid, and the triggers that
 * keep an approved run and its lines from ever changing. Proposals are
 * written with SQL as the governance code would leave them (schema/008). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/surplus.h"
#include "core/text.h"
#include "db/db.h"
#include "db/db_coop.h"
#include "db/db_internal.h"
#include "db/db_people.h"
#include "db/db_surplus.h"

struct fixture {
	struct db *db;
	int64_t worker, investor, ann, bob, cat;
};

static int sql(struct db *db, const char *text)
{
	return sqlite3_exec(db->conn, text, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int64_t person(struct db *db, const char *name)
{
	struct db_person p;
	int64_t id = 0;

	memset(&p, 0, sizeof p);
	text_copy(p.full_name, sizeof p.full_name, name);
	text_copy(p.known_as, sizeof p.known_as, name);
	assert_int_equal(db_person_insert(db, &p, &id), 1);
	return id;
}

static int setup(void **state)
{
	static struct fixture f;
	struct db_class c;
	char err[256];
	int64_t id;

	memset(&f, 0, sizeof f);
	f.db = db_open(":memory:", err, sizeof err);
	if (f.db == NULL || db_migrate(f.db, -1, err, sizeof err) != 1)
		return -1;
	assert_int_equal(db_class_by_code(f.db, "worker", &c), 1);
	f.worker = c.id;
	assert_int_equal(db_class_by_code(f.db, "investor", &c), 1);
	f.investor = c.id;
	f.ann = person(f.db, "Ann");
	f.bob = person(f.db, "Bob");
	f.cat = person(f.db, "Cat");
	assert_int_equal(db_member_insert(f.db, f.ann, f.worker, "2024-04-01", 100, true, &id), 1);
	assert_int_equal(db_member_insert(f.db, f.bob, f.investor, "2025-10-01", 50000, true, &id),
			 1);
	/* Cat left before the year began: not counted. */
	assert_int_equal(db_member_insert(f.db, f.cat, f.worker, "2023-01-01", 100, true, &id), 1);
	assert_int_equal(db_member_end(f.db, id, "2025-03-31"), 1);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	return 0;
}

static int64_t rulebook(struct fixture *f, int32_t reserve_bp)
{
	struct db_surplus_rulebook rb;
	int64_t version = 0;

	memset(&rb, 0, sizeof rb);
	rb.reserve_bp = reserve_bp;
	rb.fund_bp = 1000;
	rb.interest_bp = 200;
	rb.interest_cap_pence = SURPLUS_NO_CAP;
	rb.classes[0] = (struct surplus_class_rule){f->worker, 6000, SURPLUS_BASIS_HOURS_WORKED};
	rb.classes[1] = (struct surplus_class_rule){f->investor, 4000, SURPLUS_BASIS_SHARE_CAPITAL};
	rb.n_classes = 2;
	assert_int_equal(db_surplus_rulebook_insert(f->db, &rb, 0, 1000, &version), 1);
	return version;
}

static void rulebooks_are_versioned_and_frozen(void **state)
{
	struct fixture *f = *state;
	struct db_surplus_rulebook rb;

	assert_int_equal(db_surplus_rulebook_get(f->db, 0, &rb), 0); /* none yet */
	assert_int_equal(rulebook(f, 2000), 1);
	assert_int_equal(rulebook(f, 2500), 2);
	assert_int_equal(db_surplus_rulebook_get(f->db, 0, &rb), 1);
	assert_int_equal(rb.version, 2);
	assert_int_equal(rb.reserve_bp, 2500);
	assert_int_equal(rb.interest_cap_pence, SURPLUS_NO_CAP);
	assert_int_equal(db_surplus_rulebook_get(f->db, 1, &rb), 1);
	assert_int_equal(rb.reserve_bp, 2000);
	assert_int_equal(rb.n_classes, 2);
	assert_int_equal(rb.classes[1].basis, SURPLUS_BASIS_SHARE_CAPITAL);
	assert_int_equal(sql(f->db, "UPDATE surplus_rulebooks SET reserve_bp = 0"), -1);
	assert_int_equal(sql(f->db, "DELETE FROM surplus_rulebook_classes"), -1);
	assert_int_equal(sql(f->db, "INSERT INTO surplus_rulebooks (version, reserve_bp, fund_bp,"
				    " interest_bp, created_at) VALUES (9, 6000, 5000, 0, 1)"),
			 -1); /* over 100 % */
}

static int count_member(const struct db_surplus_member *m, void *arg)
{
	(void)m;
	(*(int *)arg)++;
	return 0;
}

static void members_of_a_year(void **state)
{
	struct fixture *f = *state;
	int n = 0;

	assert_int_equal(
		db_surplus_member_each(f->db, "2025-04-01", "2026-03-31", count_member, &n), 1);
	assert_int_equal(n, 2); /* Ann and Bob; Cat left on 2025-03-31 */
	n = 0;
	assert_int_equal(
		db_surplus_member_each(f->db, "2024-04-01", "2025-03-31", count_member, &n), 1);
	assert_int_equal(n, 2); /* Ann and Cat; Bob joined later */
}

static int count_proposal(int64_t id, const char *title, void *arg)
{
	(void)id;
	(void)title;
	(*(int *)arg)++;
	return 0;
}

static void run_lifecycle_and_immutability(void **state)
{
	struct fixture *f = *state;
	struct db_surplus_run run, again;
	struct db_surplus_line line;
	struct db_surplus_class cls;
	char title[201];
	bool carried;
	int n = 0;

	rulebook(f, 2000);
	memset(&run, 0, sizeof run);
	text_copy(run.year_start, sizeof run.year_start, "2025-04-01");
	text_copy(run.year_end, sizeof run.year_end, "2026-03-31");
	run.surplus_pence = 1843257;
	run.rulebook_version = 1;
	assert_int_equal(db_surplus_run_insert(f->db, &run, 0, 1000, &run.id), 1);
	run.surplus_pence = 1843258;
	assert_int_equal(db_surplus_run_update_draft(f->db, &run), 1);

	assert_int_equal(sql(f->db,
			     "INSERT INTO proposals (id, title, body, kind, status, outcome,"
			     " result) VALUES (70, 'Share the 2026-27 surplus', '', 'ordinary',"
			     " 'decided', 'carried', '{}'), (71, 'Lost one', '', 'ordinary',"
			     " 'decided', 'lost', '{}'), (72, 'Still open', '', 'ordinary',"
			     " 'open', NULL, NULL)"),
			 0);
	assert_int_equal(db_surplus_proposal(f->db, 70, title, sizeof title, &carried), 1);
	assert_true(carried);
	assert_string_equal(title, "Share the 2026-27 surplus");
	assert_int_equal(db_surplus_proposal(f->db, 71, title, sizeof title, &carried), 1);
	assert_false(carried);
	assert_int_equal(db_surplus_proposal(f->db, 72, title, sizeof title, &carried), 1);
	assert_false(carried);
	assert_int_equal(db_surplus_proposal(f->db, 99, title, sizeof title, &carried), 0);
	assert_int_equal(db_surplus_carried_each(f->db, count_proposal, &n), 1);
	assert_int_equal(n, 1);

	/* Approval: lines and classes while a draft, then the status. */
	memset(&line, 0, sizeof line);
	line.membership_id = 1;
	line.person_id = f->ann;
	text_copy(line.full_name, sizeof line.full_name, "Ann");
	line.class_id = f->worker;
	text_copy(line.basis, sizeof line.basis, "hours_worked");
	line.days = 365;
	line.good_standing = true;
	line.weight = 600;
	line.interest_pence = 2;
	line.dividend_pence = 100;
	line.total_pence = 102;
	assert_int_equal(db_surplus_line_insert(f->db, run.id, &line), 1);
	memset(&cls, 0, sizeof cls);
	cls.class_id = f->worker;
	cls.pool_bp = 6000;
	text_copy(cls.basis, sizeof cls.basis, "hours_worked");
	cls.pool_pence = 100;
	cls.paid_pence = 100;
	assert_int_equal(db_surplus_class_insert(f->db, run.id, &cls), 1);
	run.proposal_id = 70;
	run.reserve_pence = 368651;
	assert_int_equal(db_surplus_run_approve(f->db, &run, 0, 2000), 1);
	assert_int_equal(db_surplus_run_get(f->db, run.id, &again), 1);
	assert_string_equal(again.status, "approved");
	assert_string_equal(again.proposal_title, "Share the 2026-27 surplus");
	n = 0;
	assert_int_equal(db_surplus_carried_each(f->db, count_proposal, &n), 1);
	assert_int_equal(n, 0); /* 70 now approves a run */

	/* Nothing about an approved run changes. */
	assert_int_equal(db_surplus_run_update_draft(f->db, &run), 0);
	assert_int_equal(db_surplus_run_approve(f->db, &run, 0, 2000), 0);
	assert_int_equal(sql(f->db, "UPDATE surplus_runs SET surplus_pence = 1"), -1);
	assert_int_equal(sql(f->db, "UPDATE surplus_runs SET status = 'draft'"), -1);
	assert_int_equal(sql(f->db, "DELETE FROM surplus_runs"), -1);
	assert_int_equal(sql(f->db, "UPDATE surplus_run_lines SET total_pence = 0,"
				    " dividend_pence = 0, interest_pence = 0"),
			 -1);
	assert_int_equal(sql(f->db, "DELETE FROM surplus_run_lines"), -1);
	assert_int_equal(sql(f->db, "UPDATE surplus_run_classes SET paid_pence = 0"), -1);
	line.membership_id = 2;
	assert_int_equal(db_surplus_line_insert(f->db, run.id, &line), -1);
	/* A line that does not add up is refused even in a draft. */
	assert_int_equal(sql(f->db, "INSERT INTO surplus_run_lines (run_id, membership_id,"
				    " person_id, full_name, class_id, days, good_standing,"
				    " worked_minutes, care_minutes, share_pence, weight,"
				    " interest_pence, dividend_pence, total_pence) VALUES"
				    " (1, 9, 1, 'x', 1, 1, 1, 0, 0, 0, 0, 1, 1, 3)"),
			 -1);

	/* Approved -> paid, once. */
	assert_int_equal(db_surplus_run_paid(f->db, run.id, 0, 3000), 1);
	assert_int_equal(db_surplus_run_paid(f->db, run.id, 0, 3000), 0);
	assert_int_equal(db_surplus_run_get(f->db, run.id, &again), 1);
	assert_string_equal(again.status, "paid");
	assert_int_equal(again.paid_at, 3000);

	/* A correction is a new run, which needs a decision of its own. */
	assert_int_equal(db_surplus_run_insert(f->db, &run, 0, 4000, &run.id), 1);
	run.proposal_id = 70;
	assert_int_equal(db_surplus_run_approve(f->db, &run, 0, 5000), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(rulebooks_are_versioned_and_frozen, setup,
						teardown),
		cmocka_unit_test_setup_teardown(members_of_a_year, setup, teardown),
		cmocka_unit_test_setup_teardown(run_lifecycle_and_immutability, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
