/*
 * cmd_feeds: `carecoop feeds`, the calendar feeds for admins and scripts,
 * and the issuing of missing feed links (also used by the demo).
 */
#ifndef CARECOOP_CMD_FEEDS_H
#define CARECOOP_CMD_FEEDS_H

#include <stdio.h>

#include "db/db.h"

/* Gives every subscriber a feed link for each feed they are entitled to
 * and have none of, in one transaction. Returns the number made, or -1. */
int feeds_issue_missing(struct db *db);

/* Prints one line per live feed, "KIND EMAIL PATH", to out. Returns 0, or
 * -1 on a database error. */
int feeds_print(struct db *db, FILE *out);

#endif
