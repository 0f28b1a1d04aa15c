/*
 * migrations: the schema/NNN_name.sql files, embedded in the binary at build
 * time (cmake/embed_schema.cmake), in ascending version order.
 */
#ifndef CARECOOP_DB_MIGRATIONS_H
#define CARECOOP_DB_MIGRATIONS_H

struct db_migration {
	int version;      /* NNN of the file name */
	const char *name; /* file name, for messages */
	const char *sql;  /* the whole file */
};

extern const struct db_migration db_migrations[];
extern const unsigned db_migration_count;

#endif
