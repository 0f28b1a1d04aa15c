/*
 * rota_db: builds a week's rota instance (shared/rota-instance.md, as JSON)
 * from the database. Used by `carecoop export-instance` and by the server's
 * rota (generate, solve, rule checks).
 */
#ifndef CARECOOP_ROTA_IO_ROTA_DB_H
#define CARECOOP_ROTA_IO_ROTA_DB_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define ROTA_DB_MIN_REST 660 /* Working Time Regulations: 11 h daily rest */

enum rota_db_source {
	ROTA_DB_PLANS,  /* one visit per plan line per day: ids "p<line>-<day 1..7>" */
	ROTA_DB_VISITS, /* the rota week's planned visits: ids "v<visit id>" */
};

/* The instance of week (a Monday, "YYYY-MM-DD"); week_id names the rota
 * week for ROTA_DB_VISITS. Carers are "c<person id>", recipients
 * "r<person id>"; recipients without visits are left out. Returns a new
 * reference, or NULL with a reason naming the object in err. */
json_t *rota_db_instance(struct db *db, const char *week, enum rota_db_source source,
			 int64_t week_id, char *err, size_t errlen);

/* A local "YYYY-MM-DDTHH:MM" in the co-op's zone as UTC seconds (a time in
 * a spring gap moves forward). Returns 0 or -1. */
int rota_db_local_to_utc(struct db *db, const char *local, int64_t *utc);

#endif
