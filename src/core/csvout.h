/*
 * csvout: RFC 4180 quoting of one CSV field, with a guard against formula
 * injection: a field starting with = + - @ (or a tab or CR) is prefixed with
 * a single quote so spreadsheets show it as text. Pure.
 */
#ifndef CARECOOP_CORE_CSVOUT_H
#define CARECOOP_CORE_CSVOUT_H

#include <stddef.h>

/* Writes field, quoted when it needs to be, into out (size n). Returns the
 * length written, or -1 when out is too small. Numbers should be written
 * with numeric set, which skips the formula guard (so "-3.7" stays a number). */
int csvout_field(const char *field, int numeric, char *out, size_t n);

#endif
