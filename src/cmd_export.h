/*
 * cmd_export: `carecoop export-instance`, the week's rota problem from the
 * database in the shared format of rota-instance.md.
 */
#ifndef CARECOOP_CMD_EXPORT_H
#define CARECOOP_CMD_EXPORT_H

/* `carecoop export-instance --db FILE --week YYYY-MM-DD [--out FILE]`:
 * argv holds the flags after the command name. The week must start on a
 * Monday. Writes the instance to FILE or standard output. Returns the exit
 * status: 0 done, 1 a database or data problem (named), 2 bad flags. */
int cmd_export_instance(int argc, char **argv);

#endif
