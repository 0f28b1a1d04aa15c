/*
 * db_throttle: counts of failed logins per account and per client address.
 * The policy (how long to wait) is core/throttle.h; this only stores counts.
 */
#ifndef CARECOOP_DB_THROTTLE_H
#define CARECOOP_DB_THROTTLE_H

#include <stdint.h>

#include "db/db.h"

/* Reads the count for (scope, key): scope is "account" or "ip". Returns 1,
 * 0 when there is none (*failures = 0), -1. */
int db_throttle_get(struct db *db, const char *scope, const char *key, int64_t *failures,
		    int64_t *last_at);

/* Sets the count for (scope, key) to failures at now (failures 0 deletes it). */
int db_throttle_set(struct db *db, const char *scope, const char *key, int64_t failures,
		    int64_t now);

#endif
