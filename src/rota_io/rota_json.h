/*
 * rota_json: reads and writes the rota instance and solution files of
 * shared/rota-instance.md (format "carecoop-rota/1") with jansson, and
 * turns the instance's local wall-clock times into the UTC minutes and
 * local day indices of core/rota.h with libical's time zone data.
 *
 * Everything read is validated here, at the edge, with a message that names
 * the offending object ("visit v17: minutes must be 1..1440", "recipient r3:
 * team member c99 does not exist"); inputs are capped (file size, counts,
 * id lengths). Only this module and its callers see JSON or libical; core
 * sees plain structs.
 */
#ifndef CARECOOP_ROTA_IO_ROTA_JSON_H
#define CARECOOP_ROTA_IO_ROTA_JSON_H

#include <stddef.h>

#include "core/rota.h"

#define ROTA_JSON_FORMAT    "carecoop-rota/1"
#define ROTA_JSON_MAX_BYTES (32u * 1024 * 1024) /* largest file read */

/* Parses an instance from text[0..len). Local times in its `timezone` become
 * UTC minutes: a time in the spring-forward gap is refused, a time that
 * occurs twice in autumn means its first occurrence. Visits must start in
 * the 7 local days from week_start. Returns a new validated instance (the
 * caller frees it with rota_instance_free()) or NULL with a message in err. */
struct rota_instance *rota_json_parse_instance(const char *text, size_t len, char *err,
					       size_t err_size);

/* rota_json_parse_instance() on the contents of a file (at most
 * ROTA_JSON_MAX_BYTES). */
struct rota_instance *rota_json_read_instance(const char *path, char *err, size_t err_size);

/* Parses a solution of instance `in`: every visit and carer named must exist
 * and no visit may appear twice; visits not listed get no carers. A visit
 * may list up to ROTA_LISTED_MAX carers, repeats included (rule 3 is the
 * checker's business). Returns a new solution (rota_solution_free()) or NULL
 * with a message in err. */
struct rota_solution *rota_json_parse_solution(const char *text, size_t len,
					       const struct rota_instance *in, char *err,
					       size_t err_size);

/* rota_json_parse_solution() on the contents of a file. */
struct rota_solution *rota_json_read_solution(const char *path, const struct rota_instance *in,
					      char *err, size_t err_size);

/* Writes a solution of `in` as JSON to path (through a temporary file that
 * is renamed into place), one entry per visit in instance order. Returns 0,
 * or -1 with a message in err. */
int rota_json_write_solution(const char *path, const struct rota_instance *in,
			     const struct rota_solution *sol, char *err, size_t err_size);

#endif
