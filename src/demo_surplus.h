/*
 * demo_surplus: the demo co-op's surplus rules and a draft surplus run, so
 * the treasurer's page has something to preview, compare and approve.
 */
#ifndef CARECOOP_DEMO_SURPLUS_H
#define CARECOOP_DEMO_SURPLUS_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/* Adds surplus rulebook version 1 (reserve 20 %, community fund 10 %,
 * interest 2 % capped at £50; workers 60 % by hours worked, people
 * receiving care 30 % by care received, investors 5 % by share capital,
 * supporters 5 % equally) and a draft run of £18,432.57 for the financial
 * year (1 April to 31 March) that holds `now`: the demo's published rotas
 * are this week's and next, so hours worked and care received are not
 * zero. One transaction. Returns 0, or -1 with a reason in err. */
int demo_surplus(struct db *db, int64_t now, int64_t treasurer_user_id, char *err, size_t errlen);

#endif
