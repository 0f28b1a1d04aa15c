/*
 * blt: the BLT ballot file format used by OpenSTV, the Electoral Reform
 * Society and Scottish council counts, read from and written to memory:
 *
 *   4 2              candidates, seats
 *   -3               optional: candidate 3 withdrew (any number of such lines)
 *   12 1 3 0         12 papers ranking candidate 1 then 3; 0 ends the line
 *   0                end of ballots
 *   "Ann" "Bob" ...  one quoted name per candidate (one per line or several
 *   "The title"      on a line), then the election's title
 *
 * Pure: text in, struct stv_election out; no I/O. Tolerates CRLF, tabs,
 * trailing spaces, blank lines and "#" comments on lines of their own.
 * Does not accept equal rankings ("1=2"), ballot ids in parentheses or
 * anything after the title.
 */
#ifndef CARECOOP_CORE_BLT_H
#define CARECOOP_CORE_BLT_H

#include <stddef.h>

#include "core/stv.h"

#define BLT_TEXT_MAX ((size_t)1 << 30) /* bytes of BLT text accepted */
#define BLT_ERR_MAX  160               /* enough for any message blt_parse writes */

/* Parses len bytes of BLT text (no NUL needed) into a new election at *out,
 * owned by the caller (stv_election_free). On failure *out is NULL and err
 * (errlen bytes, may be 0) holds a message naming the line, e.g.
 * "line 4: preference 7 is not a candidate (1-5)". Returns STV_OK,
 * STV_ERR_PARSE, STV_ERR_TOO_BIG (a cap of core/stv.h or BLT_TEXT_MAX) or
 * STV_ERR_NOMEM. */
enum stv_error blt_parse(const char *text, size_t len, struct stv_election **out, char *err,
			 size_t errlen);

/* Writes e as BLT text through emit (called with pieces of text, not NUL
 * terminated; a non-zero return stops the write and is returned). Ballot
 * lines come out in e's order; names and title are quoted, with any '"'
 * in them written as '\''. Returns 0 or emit's non-zero value. */
int blt_write(const struct stv_election *e, int (*emit)(void *ctx, const char *s, size_t n),
	      void *ctx);

/* Writes e as BLT into a new NUL-terminated buffer *out (length *len),
 * owned by the caller (free()). Returns STV_OK, STV_ERR_TOO_BIG (longer
 * than max bytes) or STV_ERR_NOMEM; *out is NULL on failure. */
enum stv_error blt_write_buf(const struct stv_election *e, size_t max, char **out, size_t *len);

#endif
