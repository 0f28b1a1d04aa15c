/*
 * cmd_gov: `carecoop verify-votes`, which walks the hash-chained ballot log
 * of every proposal (or one) and checks each link and each entry's hash,
 * and that every voter has exactly one ballot that counts.
 */
#ifndef CARECOOP_CMD_GOV_H
#define CARECOOP_CMD_GOV_H

/* `carecoop verify-votes [--db FILE] [--proposal ID]`: argv holds the flags
 * after the command name. Prints "proposal N: ok, K ballots" per proposal,
 * or names the first broken entry. Returns the exit status: 0 all intact,
 * 1 a broken chain or a database problem, 2 bad flags. */
int cmd_verify_votes(int argc, char **argv);

#endif
