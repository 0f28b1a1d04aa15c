/*
 * demo_gov: the demo co-op's governance: a rulebook with class shares, an
 * open ordinary resolution and an open board election with some ballots,
 * the decided "Share the 2026–27 surplus" (carried; the surplus demo
 * relies on it) and a lost special resolution, all with real, chained
 * ballots so that every published tally recomputes.
 */
#ifndef CARECOOP_DEMO_GOV_H
#define CARECOOP_DEMO_GOV_H

#include <stdint.h>

#include "db/db.h"

/* Inside the demo's transaction, after the members exist: writes the
 * rulebook and the proposals above. author is the admin's person id.
 * Returns 1, or -1 on a database error. */
int demo_governance(struct db *db, int64_t now, int64_t author);

#endif
