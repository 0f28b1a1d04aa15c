/*
 * rota_model: a rota week as core structs plus the map back to database
 * ids, for the rota handlers (board, rule checks, solving, cover).
 */
#ifndef CARECOOP_ROTA_IO_ROTA_MODEL_H
#define CARECOOP_ROTA_IO_ROTA_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/rota.h"
#include "db/db.h"
#include "db/db_rota.h"

struct rota_model {
	struct db_week week;
	struct rota_instance *in;  /* owned */
	struct rota_solution *sol; /* owned: the assignments in the database */
	int64_t *visit_id;         /* owned: per instance visit, its visits.id */
	int64_t *carer_id;         /* owned: per instance carer, person id */
	int64_t *recipient_id;     /* owned: per instance recipient, person id */
	bool *pinned;              /* owned: per instance visit */
};

/* Loads week w's planned visits and assignments. NULL with a reason in err
 * (naming the object when the data cannot make an instance). Free with
 * rota_model_free. */
struct rota_model *rota_model_load(struct db *db, const struct db_week *w, char *err,
				   size_t errlen);
void rota_model_free(struct rota_model *m);

/* Instance index of a visit id or carer id, or -1. */
ssize_t rota_model_visit(const struct rota_model *m, int64_t visit_id);
ssize_t rota_model_carer(const struct rota_model *m, int64_t carer_id);

/* Travel minutes of one carer over the week (consecutive same-day visits). */
int32_t rota_model_travel(const struct rota_model *m, size_t carer);

#endif
