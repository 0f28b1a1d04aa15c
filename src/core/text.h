/*
 * text: small, bounded string helpers and input checks shared by every layer
 * (email and password rules, integer parsing, log redaction). Pure: no I/O,
 * no allocation, no globals.
 */
#ifndef CARECOOP_CORE_TEXT_H
#define CARECOOP_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TEXT_EMAIL_MAX    254 /* RFC 5321 path limit */
#define TEXT_NAME_MAX     200 /* a person's display name, bytes */
#define TEXT_PASSWORD_MIN 10  /* characters (code points) */
#define TEXT_PASSWORD_MAX 256 /* bytes; argon2 takes any length, we cap input */

/* Copies src into dst (size n > 0), always NUL-terminated. Returns 0, or -1
 * when src did not fit (dst then holds a truncated copy). */
int text_copy(char *dst, size_t n, const char *src);

/* True if s looks like a deliverable address: one '@', a non-empty local
 * part, a dotted domain, no spaces or control characters, at most
 * TEXT_EMAIL_MAX bytes. Deliberately permissive beyond that. */
bool text_email_valid(const char *s);

/* True if s is valid UTF-8 without control characters (tabs and newlines
 * allowed only when multiline is true). */
bool text_utf8_valid(const char *s, bool multiline);

/* Number of UTF-8 code points in s (s assumed valid UTF-8). */
size_t text_utf8_len(const char *s);

enum text_password_check {
	TEXT_PASSWORD_OK = 0,
	TEXT_PASSWORD_TOO_SHORT,
	TEXT_PASSWORD_TOO_LONG,
	TEXT_PASSWORD_NOT_TEXT,
};

/* Checks a new password against the co-op's policy (NIST SP 800-63B:
 * length, not composition rules). */
enum text_password_check text_password_check(const char *pw);

/* Human text for a password check result. */
const char *text_password_message(enum text_password_check c);

/* Parses a whole decimal string into [min, max]. Returns 0 or -1. */
int text_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

/* Percent-decodes s in place ("%2e" -> '.', "+" is left alone) and returns
 * the new length. A decoded NUL byte becomes 0x7f (DEL), so that "%00"
 * cannot cut a path short: every later check refuses control bytes. A '%'
 * not followed by two hex digits is kept as it is. */
size_t text_url_unescape(char *s);

/* Writes into out (size n) a copy of the URL path fit for a log line:
 * secrets carried in paths (feed tokens under /ical/) are replaced by
 * "[redacted]", and control characters by '?'. */
void text_redact_path(const char *path, char *out, size_t n);

#endif
