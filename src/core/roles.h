/*
 * roles: the login roles a person may hold (several at once), as a bit set.
 * Pure: no I/O, no allocation.
 */
#ifndef CARECOOP_CORE_ROLES_H
#define CARECOOP_CORE_ROLES_H

enum role {
	ROLE_ADMIN = 1u << 0,       /* accounts, classes, backups */
	ROLE_COORDINATOR = 1u << 1, /* care plans and rotas */
	ROLE_TREASURER = 1u << 2,   /* surplus and money */
	ROLE_CARER = 1u << 3,       /* works visits */
	ROLE_MEMBER = 1u << 4,      /* votes, sees own share */
};

#define ROLE_COUNT 5
#define ROLE_ALL   ((1u << ROLE_COUNT) - 1)

/* The role's name ("admin", ...) for one bit; NULL when bit is not one role. */
const char *role_name(unsigned bit);

/* Parses a role name exactly (lower case). Returns the bit, or 0 if unknown. */
unsigned role_parse(const char *name);

/* The i-th role bit, 0 <= i < ROLE_COUNT, in display order. */
unsigned role_at(unsigned i);

#endif
