/*
 * cmd_count: `carecoop count`, counts an election held outside the app
 * from a BLT ballot file, by the single transferable vote under the
 * Scottish rules (core/stv.h).
 */
#ifndef CARECOOP_CMD_COUNT_H
#define CARECOOP_CMD_COUNT_H

/* `carecoop count [--method stv] [--stages] [--seed N] FILE.blt`: argv
 * holds the arguments after the command name. Prints one line "elected
 * NAME" per winner in order of election; with --stages, first the count
 * stage by stage. Ties that the rules leave to lot go to the candidate
 * earliest in the file, or are drawn from --seed. Returns the exit status:
 * 0 counted, 1 an unreadable or malformed file (named with its line) or an
 * election that cannot be counted, 2 bad flags. */
int cmd_count(int argc, char **argv);

#endif
