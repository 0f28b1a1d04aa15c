/*
 * roles: names and bits of login roles. Pure; depends on nothing.
 */
#include "core/roles.h"

#include <string.h>

static const char *const role_names[ROLE_COUNT] = {
	"admin", "coordinator", "treasurer", "carer", "member",
};

const char *role_name(unsigned bit)
{
	for (unsigned i = 0; i < ROLE_COUNT; i++)
		if (bit == (1u << i))
			return role_names[i];
	return NULL;
}

unsigned role_parse(const char *name)
{
	if (name == NULL)
		return 0;
	for (unsigned i = 0; i < ROLE_COUNT; i++)
		if (strcmp(name, role_names[i]) == 0)
			return 1u << i;
	return 0;
}

unsigned role_at(unsigned i)
{
	return i < ROLE_COUNT ? 1u << i : 0;
}
