/* Calendar feeds on an in-memory database: who is entitled to which feed,
 * issuing and revoking links, the generation number that invalidates cached
 * feeds (raised by schema triggers on every change a feed shows), a change
 * of place raising the SEQUENCE of visits still to come, and which visits a
 * feed shows (published weeks only, cancelled ones for 14 days). */
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
#include "db/db_feed.h"
#include "db/db_people.h"
#include "db/db_rota.h"
#include "db/db_user.h"

#define NOW 1800000000 /* 2027-01-15 */

struct fixture {
	struct db *db;
	int64_t amira_user, ben_user, family_user, coord_user;
	int64_t amira, ben, margaret;
	int64_t week, visit_past, visit_future;
};

static int64_t user(struct db *db, const char *email, unsigned roles)
{
	int64_t id = 0;

	assert_int_equal(db_user_insert(db, email, email, "$argon2id$x", roles, 1, &id), 1);
	return id;
}

static int64_t person(struct db *db, const char *name, int64_t user_id)
{
	struct db_person p;
	int64_t id = 0;

	memset(&p, 0, sizeof p);
	text_copy(p.full_name, sizeof p.full_name, name);
	text_copy(p.known_as, sizeof p.known_as, name);
	text_copy(p.area, sizeof p.area, "Bridgetown");
	p.user_id = user_id;
	assert_int_equal(db_person_insert(db, &p, &id), 1);
	return id;
}

static int64_t visit(struct db *db, int64_t week, int64_t recipient, const char *local,
		     int64_t starts_at)
{
	struct db_visit v;
	int64_t id = 0;

	memset(&v, 0, sizeof v);
	v.week_id = week;
	v.recipient_id = recipient;
	text_copy(v.local_start, sizeof v.local_start, local);
	v.starts_at = starts_at;
	v.minutes = 45;
	v.carers_needed = 1;
	text_copy(v.uid, sizeof v.uid, local);
	assert_int_equal(db_visit_insert(db, &v, NOW - 86400, &id), 1);
	return id;
}

static int setup(void **state)
{
	static struct fixture f;
	struct db_viewer viewer = {0};
	char err[256];

	memset(&f, 0, sizeof f);
	f.db = db_open(":memory:", err, sizeof err);
	if (f.db == NULL || db_migrate(f.db, -1, err, sizeof err) != 1)
		return -1;
	assert_int_equal(db_coop_create(f.db, "Test Co-op", "Europe/London", NOW), 1);
	f.amira_user = user(f.db, "amira@example.org", ROLE_CARER);
	f.ben_user = user(f.db, "ben@example.org", ROLE_CARER);
	f.family_user = user(f.db, "susan@example.org", ROLE_MEMBER);
	f.coord_user = user(f.db, "coord@example.org", ROLE_COORDINATOR);
	f.amira = person(f.db, "Amira", f.amira_user);
	f.ben = person(f.db, "Ben", f.ben_user);
	f.margaret = person(f.db, "Margaret", 0);
	assert_int_equal(db_carer_create(f.db, f.amira, 1200, 2880), 1);
	assert_int_equal(db_carer_create(f.db, f.ben, 1200, 2880), 1);
	assert_int_equal(db_recipient_create(f.db, f.margaret, "", ""), 1);
	viewer.user_id = f.family_user;
	assert_int_equal(db_viewers_set(f.db, f.margaret, &viewer, 1), 1);
	assert_int_equal(db_week_insert(f.db, "2027-01-11", NOW - 86400, &f.week), 1);
	f.visit_past = visit(f.db, f.week, f.margaret, "2026-11-01T09:00", NOW - 60 * 86400);
	f.visit_future = visit(f.db, f.week, f.margaret, "2027-01-16T09:00", NOW + 86400);
	assert_int_equal(db_visit_set_carers(f.db, f.visit_past, &f.amira, 1, false, NOW), 1);
	assert_int_equal(db_visit_set_carers(f.db, f.visit_future, &f.amira, 1, false, NOW), 1);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	db_close(f->db);
	return 0;
}

static int count_feed(const struct db_feed *feed, void *arg)
{
	(void)feed;
	(*(int *)arg)++;
	return 0;
}

static void entitlements(void **state)
{
	struct fixture *f = *state;
	int n = 0;

	assert_int_equal(db_feed_entitled(f->db, f->amira_user, FEED_CARER, f->amira), 1);
	assert_int_equal(db_feed_entitled(f->db, f->amira_user, FEED_CARER, f->ben), 0);
	assert_int_equal(db_feed_entitled(f->db, f->family_user, FEED_RECIPIENT, f->margaret), 1);
	assert_int_equal(db_feed_entitled(f->db, f->amira_user, FEED_RECIPIENT, f->margaret), 0);
	assert_int_equal(db_feed_entitled(f->db, f->coord_user, FEED_COORDINATOR, 0), 1);
	assert_int_equal(db_feed_entitled(f->db, f->amira_user, FEED_COORDINATOR, 0), 0);
	assert_int_equal(db_feed_each_option(f->db, f->amira_user, count_feed, &n), 1);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(db_feed_each_missing(f->db, count_feed, &n), 1);
	assert_int_equal(n, 4); /* Amira, Ben, Susan for Margaret, the coordinator */
}

static void issue_revoke_and_lose_entitlement(void **state)
{
	struct fixture *f = *state;
	struct db_feed feed = {.kind = FEED_RECIPIENT, .user_id = 0, .person_id = 0}, got;
	int64_t id1 = 0, id2 = 0, gen;

	feed.user_id = f->family_user;
	feed.person_id = f->margaret;
	text_copy(feed.token, sizeof feed.token, "aa");
	assert_int_equal(db_feed_issue(f->db, &feed, "digest-1", NOW, &id1), 1);
	assert_int_equal(db_feed_by_digest(f->db, "digest-1", &got), 1);
	assert_int_equal(got.id, id1);
	assert_string_equal(got.person_name, "Margaret");
	assert_string_equal(got.email, "susan@example.org");
	/* Regenerating revokes the old link: one live feed per subscriber. */
	text_copy(feed.token, sizeof feed.token, "bb");
	gen = db_feed_generation(f->db);
	assert_int_equal(db_feed_issue(f->db, &feed, "digest-2", NOW, &id2), 1);
	assert_true(db_feed_generation(f->db) > gen);
	assert_int_equal(db_feed_by_digest(f->db, "digest-1", &got), 0);
	assert_int_equal(db_feed_by_digest(f->db, "digest-2", &got), 1);
	/* Only its owner revokes it. */
	assert_int_equal(db_feed_revoke(f->db, id2, f->amira_user, NOW), 0);
	/* The viewer removed: the link stops working at once. */
	gen = db_feed_generation(f->db);
	assert_int_equal(db_viewers_set(f->db, f->margaret, NULL, 0), 1);
	assert_true(db_feed_generation(f->db) > gen);
	assert_int_equal(db_feed_by_digest(f->db, "digest-2", &got), 0);
}

static int collect(const struct db_feed_visit *v, void *arg)
{
	int64_t *ids = arg;

	for (int i = 0; i < 4; i++)
		if (ids[i] == 0) {
			ids[i] = v->id;
			break;
		}
	return 0;
}

static void visits_shown_and_generation(void **state)
{
	struct fixture *f = *state;
	struct db_feed amira = {.kind = FEED_CARER}, ben = {.kind = FEED_CARER};
	int64_t ids[4] = {0}, gen;
	struct db_visit v;

	amira.user_id = f->amira_user;
	amira.person_id = f->amira;
	ben.user_id = f->ben_user;
	ben.person_id = f->ben;
	/* A draft week shows nothing. */
	assert_int_equal(
		db_feed_visits(f->db, &amira, NOW - 35 * 86400, NOW - 14 * 86400, collect, ids), 1);
	assert_int_equal(ids[0], 0);
	gen = db_feed_generation(f->db);
	assert_int_equal(db_week_publish(f->db, f->week, f->coord_user, NOW), 1);
	assert_true(db_feed_generation(f->db) > gen);
	/* Published: the visit in the window, not the one 60 days ago. */
	assert_int_equal(
		db_feed_visits(f->db, &amira, NOW - 35 * 86400, NOW - 14 * 86400, collect, ids), 1);
	assert_int_equal(ids[0], f->visit_future);
	assert_int_equal(ids[1], 0);
	/* Reassigned to Ben: it leaves Amira's feed for his, SEQUENCE raised. */
	assert_int_equal(db_visit_get(f->db, f->visit_future, &v), 1);
	gen = v.sequence;
	assert_int_equal(db_visit_set_carers(f->db, f->visit_future, &f->ben, 1, true, NOW), 1);
	memset(ids, 0, sizeof ids);
	assert_int_equal(
		db_feed_visits(f->db, &amira, NOW - 35 * 86400, NOW - 14 * 86400, collect, ids), 1);
	assert_int_equal(ids[0], 0);
	assert_int_equal(
		db_feed_visits(f->db, &ben, NOW - 35 * 86400, NOW - 14 * 86400, collect, ids), 1);
	assert_int_equal(ids[0], f->visit_future);
	assert_int_equal(db_visit_get(f->db, f->visit_future, &v), 1);
	assert_int_equal(v.sequence, gen + 1);
	/* Cancelled: still shown while the cancellation is within 14 days. */
	assert_int_equal(db_visit_cancel(f->db, f->visit_future, NOW), 1);
	assert_int_equal(db_visit_cancel(f->db, f->visit_future, NOW), 0);
	memset(ids, 0, sizeof ids);
	assert_int_equal(
		db_feed_visits(f->db, &ben, NOW - 35 * 86400, NOW - 14 * 86400, collect, ids), 1);
	assert_int_equal(ids[0], f->visit_future);
	memset(ids, 0, sizeof ids);
	assert_int_equal(db_feed_visits(f->db, &ben, NOW - 35 * 86400, NOW + 1, collect, ids), 1);
	assert_int_equal(ids[0], 0); /* 14 days later it is gone */
}

static void change_of_place_raises_sequence(void **state)
{
	struct fixture *f = *state;
	struct db_person p;
	struct db_visit past, future;
	int64_t gen = db_feed_generation(f->db);

	assert_int_equal(db_person_get(f->db, f->margaret, &p), 1);
	text_copy(p.area, sizeof p.area, "Follaton");
	assert_int_equal(db_person_update(f->db, &p), 1);
	assert_true(db_feed_generation(f->db) > gen);
	assert_int_equal(db_visit_get(f->db, f->visit_past, &past), 1);
	assert_int_equal(db_visit_get(f->db, f->visit_future, &future), 1);
	assert_int_equal(past.sequence, 1);   /* set_carers in setup only */
	assert_int_equal(future.sequence, 2); /* and the move */
	/* The same values again change nothing. */
	assert_int_equal(db_person_update(f->db, &p), 1);
	assert_int_equal(db_visit_get(f->db, f->visit_future, &future), 1);
	assert_int_equal(future.sequence, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(entitlements, setup, teardown),
		cmocka_unit_test_setup_teardown(issue_revoke_and_lose_entitlement, setup, teardown),
		cmocka_unit_test_setup_teardown(visits_shown_and_generation, setup, teardown),
		cmocka_unit_test_setup_teardown(change_of_place_raises_sequence, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
