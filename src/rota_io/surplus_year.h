/*
 * surplus_year: the figures of one financial year for a surplus run, and
 * its allocation. Loads every membership of the year with its days, and
 * the hours worked and care received in each published rota week (through
 * the rota model, so the figures are those of the weekly hours CSV), then
 * calls core/surplus.c and names the classes and bases for the lines.
 * Needs no HTTP: the server's handlers and the tests share it.
 */
#ifndef CARECOOP_ROTA_IO_SURPLUS_YEAR_H
#define CARECOOP_ROTA_IO_SURPLUS_YEAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/surplus.h"
#include "db/db_surplus.h"

#define SURPLUS_YEAR_WEEKS_MAX 80 /* published weeks in one financial year */

struct surplus_year {
	const char *from, *to; /* the financial year, inclusive */
	struct surplus_member *m;
	struct db_surplus_line *info; /* name, person, figures; amounts filled later */
	char (*window)[2][11];        /* per member: first and last day counted */
	size_t n, cap;
	int64_t week_id[SURPLUS_YEAR_WEEKS_MAX];
	char week_start[SURPLUS_YEAR_WEEKS_MAX][11];
	size_t nweeks;
	char err[256]; /* why loading failed, for a person */
};

struct surplus_alloc {
	enum surplus_error status;
	bool frozen; /* read back from an approved run */
	struct surplus_result res;
	struct db_surplus_class classes[SURPLUS_CLASSES_MAX];
	size_t nc;
	int64_t reserve_pence, fund_pence, interest_pence, dividend_pence;
	int64_t unassigned_pence, unclaimed_pence;
};

/* Loads the year of run into y (zeroed by the caller). A week counts in
 * the year, and in a membership, by its Monday. Returns 0, or -1 with
 * y->err set. Free with surplus_year_free even after a failure. */
int surplus_year_load(struct db *db, const struct db_surplus_run *run, struct surplus_year *y);

/* Frees what surplus_year_load allocated; y itself is the caller's. */
void surplus_year_free(struct surplus_year *y);

/* Allocates surplus pence by rulebook rb over the year: fills a (class
 * totals, named) and every line of y->info with its basis figures and
 * amounts. Returns core's verdict (SURPLUS_OK, SURPLUS_NOTHING or an error). */
enum surplus_error surplus_year_allocate(struct db *db, int64_t surplus,
					 const struct db_surplus_rulebook *rb,
					 struct surplus_year *y, struct surplus_alloc *a);

#endif
