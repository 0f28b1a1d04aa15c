/*
 * csvout: quoting of CSV fields. Pure.
 */
#include "core/csvout.h"

#include <string.h>

int csvout_field(const char *field, int numeric, char *out, size_t n)
{
	size_t o = 0;
	int guard = !numeric && (field[0] == '=' || field[0] == '+' || field[0] == '-' ||
				 field[0] == '@' || field[0] == '\t' || field[0] == '\r');
	int quote = guard || strpbrk(field, ",\"\r\n") != NULL;

#define PUT(c)                        \
	do {                          \
		if (o + 1 >= n)       \
			return -1;    \
		out[o++] = (char)(c); \
	} while (0)
	if (quote)
		PUT('"');
	if (guard)
		PUT('\'');
	for (const char *p = field; *p != '\0'; p++) {
		if (*p == '"')
			PUT('"');
		PUT(*p);
	}
	if (quote)
		PUT('"');
#undef PUT
	out[o] = '\0';
	return (int)o;
}
