/*
 * demo: fills a new database with a demo co-op: a town's worth of carers and
 * people receiving care with their care teams, member classes, staff
 * accounts and an open proposal.
 */
#ifndef CARECOOP_DEMO_H
#define CARECOOP_DEMO_H

#include <stdio.h>

#include "db/db.h"

/* Creates the demo co-op in db (migrated, with no co-op yet) in one
 * transaction. Every account gets `password`, or its own random one when
 * NULL. Prints one line per account to out: "ROLE EMAIL PASSWORD".
 * Returns 0, or -1 with a reason in err. */
int demo_create(struct db *db, const char *password, FILE *out, char *err, size_t errlen);

#endif
