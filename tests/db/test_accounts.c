/* Accounts, sessions and throttle counts on an in-memory database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/roles.h"
#include "db/db.h"
#include "db/db_session.h"
#include "db/db_throttle.h"
#include "db/db_user.h"

static int setup(void **state)
{
	char err[256];
	struct db *db = db_open(":memory:", err, sizeof err);

	if (db == NULL || db_migrate(db, -1, err, sizeof err) != 1)
		return -1;
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	db_close(*state);
	return 0;
}

struct add {
	const char *email;
	unsigned roles;
	int64_t id;
};

static int add_user(struct db *db, void *arg)
{
	struct add *a = arg;

	return db_user_insert(db, a->email, "Someone", "$argon2id$hash", a->roles, 10, &a->id);
}

static int add_then_fail(struct db *db, void *arg)
{
	if (add_user(db, arg) != 1)
		return -1;
	return -1; /* a later step fails: nothing must remain */
}

static void users_roles_and_duplicates(void **state)
{
	struct db *db = *state;
	struct add a = {"carer@example.org", ROLE_CARER | ROLE_MEMBER, 0};
	struct add dup = {"Carer@Example.org", ROLE_ADMIN, 0};
	struct db_user u;

	assert_int_equal(db_tx(db, add_user, &a), 1);
	assert_int_equal(db_user_by_id(db, a.id, &u), 1);
	assert_string_equal(u.email, "carer@example.org");
	assert_int_equal(u.roles, ROLE_CARER | ROLE_MEMBER);
	/* Emails are unique regardless of case: 0 means "taken". */
	assert_int_equal(db_tx(db, add_user, &dup), 0);
	assert_int_equal(db_user_by_email(db, "nobody@example.org", &u), 0);
	assert_int_equal(db_user_set_password(db, a.id, "$argon2id$new", 20), 1);
	assert_int_equal(db_user_by_id(db, a.id, &u), 1);
	assert_string_equal(u.pwhash, "$argon2id$new");
	assert_int_equal(db_user_set_password(db, 9999, "$argon2id$new", 20), 0);
}

static void failed_transaction_leaves_nothing(void **state)
{
	struct db *db = *state;
	struct add a = {"half@example.org", ROLE_MEMBER, 0};
	struct db_user u;
	int64_t before = db_user_count(db);

	assert_int_equal(db_tx(db, add_then_fail, &a), -1);
	assert_int_equal(db_user_by_email(db, "half@example.org", &u), 0);
	assert_int_equal(db_user_count(db), before);
}

static void sessions_lifecycle(void **state)
{
	struct db *db = *state;
	struct add a = {"sess@example.org", ROLE_MEMBER, 0};
	struct db_session s;

	assert_int_equal(db_tx(db, add_user, &a), 1);
	assert_int_equal(db_session_insert(db, "h1", a.id, "csrf1", 1000), 1);
	assert_int_equal(db_session_insert(db, "h2", a.id, "csrf2", 1000), 1);
	assert_int_equal(db_session_insert(db, "h3", a.id, "csrf3", 5000), 1);
	assert_int_equal(db_session_get(db, "h1", &s), 1);
	assert_int_equal(s.user_id, a.id);
	assert_string_equal(s.csrf, "csrf1");
	assert_int_equal(db_session_touch(db, "h1", 1500), 1);
	assert_int_equal(db_session_get(db, "h1", &s), 1);
	assert_int_equal(s.last_seen, 1500);
	/* Purge what has been idle since before 1200: h2 only. */
	assert_int_equal(db_session_purge(db, 1200, 0), 1);
	assert_int_equal(db_session_get(db, "h2", &s), 0);
	/* Revoke all but h3 (password change keeps the current session). */
	assert_int_equal(db_session_delete_user(db, a.id, "h3"), 1);
	assert_int_equal(db_session_get(db, "h1", &s), 0);
	assert_int_equal(db_session_get(db, "h3", &s), 1);
	assert_int_equal(db_session_delete(db, "h3"), 1);
	assert_int_equal(db_session_delete(db, "h3"), 0);
}

static void throttle_counts(void **state)
{
	struct db *db = *state;
	int64_t n, last;

	assert_int_equal(db_throttle_get(db, "account", "x@example.org", &n, &last), 0);
	assert_int_equal(n, 0);
	assert_int_equal(db_throttle_set(db, "account", "x@example.org", 3, 77), 1);
	assert_int_equal(db_throttle_get(db, "account", "x@example.org", &n, &last), 1);
	assert_int_equal(n, 3);
	assert_int_equal(last, 77);
	/* Scopes are separate. */
	assert_int_equal(db_throttle_get(db, "ip", "x@example.org", &n, &last), 0);
	assert_int_equal(db_throttle_set(db, "account", "x@example.org", 0, 80), 1);
	assert_int_equal(db_throttle_get(db, "account", "x@example.org", &n, &last), 0);
	/* The schema refuses unknown scopes. */
	assert_int_equal(db_throttle_set(db, "planet", "x", 1, 1), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(users_roles_and_duplicates),
		cmocka_unit_test(failed_transaction_leaves_nothing),
		cmocka_unit_test(sessions_lifecycle),
		cmocka_unit_test(throttle_counts),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
