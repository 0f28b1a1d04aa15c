/*
 * cmd_rota: the `carecoop solve` and `carecoop check` commands over the rota
 * instance format of shared/rota-instance.md.
 */
#ifndef CARECOOP_CMD_ROTA_H
#define CARECOOP_CMD_ROTA_H

/* `carecoop solve --instance FILE --out FILE [--seconds N] [--seed N]
 * [--iterations N]`: argv holds the flags after the command name. Writes the
 * solution file and prints cost, terms, violations, continuity figures and
 * timings. Returns the exit status: 0 done, 1 unreadable or invalid input
 * (or a rota that breaks a rule, which would be a bug), 2 bad flags. */
int cmd_solve(int argc, char **argv);

/* `carecoop check --instance FILE --solution FILE`: prints each cost term,
 * every hard-rule violation, their number and the cost. Returns 0 when the
 * solution keeps every hard rule, 1 when it breaks one or the input is
 * unreadable or invalid, 2 for bad flags. */
int cmd_check(int argc, char **argv);

#endif
