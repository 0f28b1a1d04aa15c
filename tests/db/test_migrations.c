/* Migrations: a new database reaches the latest version; a database made by
 * migration 1 (with data in it) upgrades without losing anything; a second
 * run does nothing; a database newer than the program is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/roles.h"
#include "db/db.h"
#include "db/db_coop.h"
#include "db/db_user.h"

static struct db *open_memory(void)
{
	char err[256];
	struct db *db = db_open(":memory:", err, sizeof err);

	assert_non_null(db);
	return db;
}

static void fresh_database_reaches_latest(void **state)
{
	struct db *db = open_memory();
	char err[256];

	(void)state;
	assert_int_equal(db_schema_version(db), 0);
	assert_int_equal(db_migrate(db, -1, err, sizeof err), 1);
	assert_true(db_schema_latest() >= 3);
	assert_int_equal(db_schema_version(db), db_schema_latest());
	/* Running again is a no-op. */
	assert_int_equal(db_migrate(db, -1, err, sizeof err), 1);
	assert_int_equal(db_schema_version(db), db_schema_latest());
	db_close(db);
}

struct seed {
	int64_t user;
};

static int seed_v1(struct db *db, void *arg)
{
	struct seed *s = arg;

	return db_user_insert(db, "helen@example.org", "Helen", "$argon2id$x",
			      ROLE_COORDINATOR | ROLE_MEMBER, 100, &s->user);
}

static int use_v2(struct db *db, void *arg)
{
	int64_t id;

	(void)arg;
	return db_class_insert(db, "volunteer", "Volunteer members", 9, &id);
}

static void version_one_upgrades_with_its_data(void **state)
{
	struct db *db = open_memory();
	struct seed s = {0};
	struct db_user u;
	char err[256];

	(void)state;
	assert_int_equal(db_migrate(db, 1, err, sizeof err), 1);
	assert_int_equal(db_schema_version(db), 1);
	assert_int_equal(db_tx(db, seed_v1, &s), 1);
	/* Tables of later migrations do not exist yet. */
	assert_int_equal(db_tx(db, use_v2, NULL), -1);

	assert_int_equal(db_migrate(db, -1, err, sizeof err), 1);
	assert_int_equal(db_schema_version(db), db_schema_latest());
	assert_int_equal(db_user_by_email(db, "HELEN@example.org", &u), 1);
	assert_int_equal(u.id, s.user);
	assert_int_equal(u.roles, ROLE_COORDINATOR | ROLE_MEMBER);
	assert_int_equal(db_tx(db, use_v2, NULL), 1);
	db_close(db);
}

static void file_database_is_wal_and_backs_up(void **state)
{
	char path[] = "/tmp/carecoop-dbtest-XXXXXX", file[64], copy[64], err[256];
	struct db *db, *restored;
	struct seed s = {0};
	struct db_user u;

	(void)state;
	assert_non_null(mkdtemp(path));
	snprintf(file, sizeof file, "%s/a.db", path);
	snprintf(copy, sizeof copy, "%s/b.db", path);
	db = db_open(file, err, sizeof err);
	assert_non_null(db);
	assert_int_equal(db_migrate(db, -1, err, sizeof err), 1);
	assert_int_equal(db_tx(db, seed_v1, &s), 1);
	assert_int_equal(db_backup(db, copy, err, sizeof err), 1);
	/* A second backup to the same file is refused, not overwritten. */
	assert_int_equal(db_backup(db, copy, err, sizeof err), -1);
	assert_non_null(strstr(err, "already exists"));
	db_close(db);
	restored = db_open(copy, err, sizeof err);
	assert_non_null(restored);
	assert_int_equal(db_schema_version(restored), db_schema_latest());
	assert_int_equal(db_user_by_email(restored, "helen@example.org", &u), 1);
	db_close(restored);
	unlink(file);
	unlink(copy);
	snprintf(file, sizeof file, "%s/a.db-wal", path);
	unlink(file);
	snprintf(file, sizeof file, "%s/a.db-shm", path);
	unlink(file);
	rmdir(path);
}

static void not_a_database_is_refused(void **state)
{
	char path[] = "/tmp/carecoop-dbtest-XXXXXX", file[64], err[256];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(path));
	snprintf(file, sizeof file, "%s/junk.db", path);
	f = fopen(file, "w");
	assert_non_null(f);
	fputs("this is not a database, just some text that is long enough to matter\n", f);
	fclose(f);
	err[0] = '\0';
	assert_null(db_open(file, err, sizeof err));
	assert_true(err[0] != '\0');
	unlink(file);
	rmdir(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fresh_database_reaches_latest),
		cmocka_unit_test(version_one_upgrades_with_its_data),
		cmocka_unit_test(file_database_is_wal_and_backs_up),
		cmocka_unit_test(not_a_database_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
