/*
 * demo_surplus: surplus rules and a draft run for the demo co-op.
 */
#include "demo_surplus.h"

#include <stdio.h>
#include <string.h>

#include "core/surplus.h"
#include "core/text.h"
#include "core/week.h"
#include "db/db_people.h"
#include "db/db_surplus.h"

#define DEMO_SURPLUS_PENCE 1843257 /* £18,432.57 */

static const struct {
	const char *code;
	int32_t pool_bp;
	enum surplus_basis basis;
} demo_classes[] = {
	{"worker", 6000, SURPLUS_BASIS_HOURS_WORKED},
	{"recipient", 3000, SURPLUS_BASIS_CARE_RECEIVED},
	{"investor", 500, SURPLUS_BASIS_SHARE_CAPITAL},
	{"supporter", 500, SURPLUS_BASIS_EQUAL},
};

struct demo_surplus_state {
	int64_t now, user_id;
	char year_start[24], year_end[24]; /* room for any int year */
};

static int fill(struct db *db, void *arg)
{
	struct demo_surplus_state *s = arg;
	struct db_surplus_rulebook rb;
	struct db_surplus_run run;
	int64_t version, id;

	memset(&rb, 0, sizeof rb);
	rb.reserve_bp = 2000;
	rb.fund_bp = 1000;
	rb.interest_bp = 200;
	rb.interest_cap_pence = 5000;
	text_copy(rb.note, sizeof rb.note, "Rule 52 of the co-op's rules, as adopted in 2024");
	for (size_t i = 0; i < sizeof demo_classes / sizeof demo_classes[0]; i++) {
		struct db_class c;
		if (db_class_by_code(db, demo_classes[i].code, &c) <= 0)
			return -1;
		rb.classes[rb.n_classes++] = (struct surplus_class_rule){
			c.id, demo_classes[i].pool_bp, demo_classes[i].basis};
	}
	if (db_surplus_rulebook_insert(db, &rb, s->user_id, s->now, &version) <= 0)
		return -1;
	memset(&run, 0, sizeof run);
	text_copy(run.year_start, sizeof run.year_start, s->year_start);
	text_copy(run.year_end, sizeof run.year_end, s->year_end);
	run.surplus_pence = DEMO_SURPLUS_PENCE;
	run.rulebook_version = version;
	text_copy(run.note, sizeof run.note, "Surplus from the draft accounts, before audit");
	return db_surplus_run_insert(db, &run, s->user_id, s->now, &id);
}

int demo_surplus(struct db *db, int64_t now, int64_t treasurer_user_id, char *err, size_t errlen)
{
	struct demo_surplus_state s = {.now = now, .user_id = treasurer_user_id};
	int y, m, d;

	week_civil_from_days(now / 86400, &y, &m, &d);
	if (m < 4)
		y--;
	snprintf(s.year_start, sizeof s.year_start, "%04d-04-01", y);
	snprintf(s.year_end, sizeof s.year_end, "%04d-03-31", y + 1);
	if (db_tx(db, fill, &s) < 0) {
		snprintf(err, errlen, "could not write the demo surplus run: %s", db_errmsg(db));
		return -1;
	}
	return 0;
}
