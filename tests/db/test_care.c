/* The care model on an in-memory database: one current membership per
 * person, carers' skills and availability, teams and who may see whom, care
 * plan lines, exceptions and the audit log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/roles.h"
#include "core/text.h"
#include "db/db.h"
#include "db/db_care.h"
#include "db/db_coop.h"
#include "db/db_people.h"
#include "db/db_user.h"

struct fixture {
	struct db *db;
	int64_t carer_a, carer_b, recipient, stranger_user, carer_a_user, family_user;
	int64_t skill_meds, cls;
};

static int64_t person(struct db *db, const char *name, int64_t user_id)
{
	struct db_person p;
	int64_t id = 0;

	memset(&p, 0, sizeof p);
	text_copy(p.full_name, sizeof p.full_name, name);
	text_copy(p.known_as, sizeof p.known_as, name);
	p.user_id = user_id;
	assert_int_equal(db_person_insert(db, &p, &id), 1);
	return id;
}

static int64_t user(struct db *db, const char *email, unsigned roles)
{
	int64_t id = 0;

	assert_int_equal(db_user_insert(db, email, email, "$argon2id$x", roles, 1, &id), 1);
	return id;
}

static int setup(void **state)
{
	static struct fixture f;
	char err[256];

	memset(&f, 0, sizeof f);
	f.db = db_open(":memory:", err, sizeof err);
	if (f.db == NULL || db_migrate(f.db, -1, err, sizeof err) != 1)
		return -1;
	f.carer_a_user = user(f.db, "a@example.org", ROLE_CARER);
	f.stranger_user = user(f.db, "s@example.org", ROLE_CARER);
	f.family_user = user(f.db, "fam@example.org", ROLE_MEMBER);
	f.carer_a = person(f.db, "Amira", f.carer_a_user);
	f.carer_b = person(f.db, "Ben", f.stranger_user);
	f.recipient = person(f.db, "Margaret", 0);
	assert_int_equal(db_carer_create(f.db, f.carer_a, 2250, 2880), 1);
	assert_int_equal(db_carer_create(f.db, f.carer_b, 1800, 2880), 1);
	assert_int_equal(db_recipient_create(f.db, f.recipient, "diabetes", "4821"), 1);
	assert_int_equal(db_skill_insert(f.db, "peg", "PEG feeding", &f.skill_meds), 1);
	assert_int_equal(db_class_insert(f.db, "volunteer", "Volunteers", 9, &f.cls), 1);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	return 0;
}

static void new_coop_has_default_classes_and_skills(void **state)
{
	struct fixture *f = *state;
	struct db_class c;

	assert_int_equal(db_class_by_code(f->db, "worker", &c), 1);
	assert_int_equal(db_class_by_code(f->db, "recipient", &c), 1);
	assert_int_equal(db_class_by_code(f->db, "supporter", &c), 1);
	assert_int_equal(db_class_by_code(f->db, "investor", &c), 1);
	assert_true(db_skill_id(f->db, "meds") > 0);
	assert_true(db_skill_id(f->db, "hoist") > 0);
}

static void one_current_membership(void **state)
{
	struct fixture *f = *state;
	int64_t m1, m2;

	assert_int_equal(db_member_insert(f->db, f->carer_a, f->cls, "2024-01-01", 100, true, &m1),
			 1);
	/* A second current membership is refused (0 = taken)... */
	assert_int_equal(db_member_insert(f->db, f->carer_a, f->cls, "2025-01-01", 100, true, &m2),
			 0);
	/* ...but after the first ends, the person may join again. */
	assert_int_equal(db_member_end(f->db, m1, "2024-12-31"), 1);
	assert_int_equal(db_member_insert(f->db, f->carer_a, f->cls, "2025-01-01", 100, true, &m2),
			 1);
	/* The schema refuses leaving before joining. */
	assert_int_equal(db_member_end(f->db, m2, "2024-06-01"), -1);
}

static void teams_decide_who_sees_whom(void **state)
{
	struct fixture *f = *state;
	const int64_t team[] = {f->carer_a};
	const int64_t excluded[] = {f->carer_b};
	struct db_viewer v = {.user_id = f->family_user};
	char emails[64];

	assert_int_equal(db_recipient_access(f->db, f->recipient, f->carer_a_user), DB_ACCESS_NONE);
	assert_int_equal(db_team_set(f->db, f->recipient, team, 1, excluded, 1), 1);
	assert_int_equal(db_recipient_access(f->db, f->recipient, f->carer_a_user), DB_ACCESS_TEAM);
	assert_int_equal(db_recipient_access(f->db, f->recipient, f->stranger_user),
			 DB_ACCESS_NONE);
	text_copy(v.relationship, sizeof v.relationship, "daughter");
	assert_int_equal(db_viewers_set(f->db, f->recipient, &v, 1), 1);
	assert_int_equal(db_recipient_access(f->db, f->recipient, f->family_user),
			 DB_ACCESS_VIEWER);
	/* A carer cannot be twice in one team (the primary key refuses). */
	const int64_t twice[] = {f->carer_a, f->carer_a};
	assert_int_equal(db_team_set(f->db, f->recipient, twice, 2, NULL, 0), -1);
	assert_int_equal(db_team_emails(f->db, f->recipient, emails, sizeof emails), 1);
}

static void availability_is_replaced_whole(void **state)
{
	struct fixture *f = *state;
	const struct care_span first[] = {{1, 420, 780}, {2, 420, 780}};
	const struct care_span second[] = {{5, 0, 1440}};
	struct care_span got[8];
	size_t n = 0;

	assert_int_equal(db_availability_set(f->db, f->carer_a, first, 2), 1);
	assert_int_equal(db_availability_get(f->db, f->carer_a, got, 8, &n), 1);
	assert_int_equal(n, 2);
	assert_int_equal(db_availability_set(f->db, f->carer_a, second, 1), 1);
	assert_int_equal(db_availability_get(f->db, f->carer_a, got, 8, &n), 1);
	assert_int_equal(n, 1);
	assert_int_equal(got[0].weekday, 5);
	assert_int_equal(got[0].end_min, 1440);
}

static void plan_lines_and_exceptions(void **state)
{
	struct fixture *f = *state;
	struct db_plan_line l, got;
	struct db_exception x, xg;
	int64_t id = 0, xid = 0;

	memset(&l, 0, sizeof l);
	l.recipient_id = f->recipient;
	l.days = 0x7f;
	l.start_min = 480;
	l.minutes = 45;
	l.carers = 2;
	text_copy(l.valid_from, sizeof l.valid_from, "2026-01-05");
	assert_int_equal(db_plan_insert(f->db, &l, &f->skill_meds, 1, &id), 1);
	assert_int_equal(db_plan_get(f->db, id, &got), 1);
	assert_int_equal(got.carers, 2);
	assert_int_equal(got.nskills, 1);
	assert_string_equal(got.skills[0], "peg");
	assert_string_equal(got.valid_to, "");
	assert_int_equal(db_plan_end(f->db, id, "2026-02-01"), 1);
	assert_int_equal(db_plan_get(f->db, id, &got), 1);
	assert_string_equal(got.valid_to, "2026-02-01");
	/* The schema refuses three carers on a visit. */
	l.carers = 3;
	assert_int_equal(db_plan_insert(f->db, &l, NULL, 0, &id), -1);

	memset(&x, 0, sizeof x);
	x.carer_id = f->carer_a;
	text_copy(x.kind, sizeof x.kind, "leave");
	text_copy(x.start, sizeof x.start, "2026-08-01T00:00");
	text_copy(x.end, sizeof x.end, "2026-08-08T00:00");
	text_copy(x.status, sizeof x.status, "requested");
	assert_int_equal(db_exception_insert(f->db, &x, 10, &xid), 1);
	assert_int_equal(db_exception_decide(f->db, xid, "approved", f->carer_a_user, 11), 1);
	/* Only a request can be decided: a second decision changes nothing. */
	assert_int_equal(db_exception_decide(f->db, xid, "refused", f->carer_a_user, 12), 0);
	assert_int_equal(db_exception_get(f->db, xid, &xg), 1);
	assert_string_equal(xg.status, "approved");
}

static int count_entries(const struct db_audit_entry *e, void *arg)
{
	(void)e;
	(*(int *)arg)++;
	return 0;
}

static void audit_log_filters(void **state)
{
	struct fixture *f = *state;
	int n = 0;

	assert_int_equal(
		db_audit(f->db, f->carer_a_user, "view", "recipient", f->recipient, "record"), 1);
	assert_int_equal(db_audit(f->db, f->carer_a_user, "update", "carer", f->carer_a, ""), 1);
	assert_int_equal(db_audit_each(f->db, "recipient", f->recipient, 10, count_entries, &n), 1);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(db_audit_each(f->db, "", 0, 10, count_entries, &n), 1);
	assert_int_equal(n, 2);
	/* Unknown actions are refused by the schema. */
	assert_int_equal(db_audit(f->db, 0, "peek", "recipient", 1, ""), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(new_coop_has_default_classes_and_skills),
		cmocka_unit_test(one_current_membership),
		cmocka_unit_test(teams_decide_who_sees_whom),
		cmocka_unit_test(availability_is_replaced_whole),
		cmocka_unit_test(plan_lines_and_exceptions),
		cmocka_unit_test(audit_log_filters),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
