/*
 * token: random secrets (session and CSRF tokens, salts), their SHA-256
 * digests for storage, constant-time comparison and wiping. Uses the
 * kernel's getrandom() and nettle's SHA-256.
 */
#ifndef CARECOOP_AUTH_TOKEN_H
#define CARECOOP_AUTH_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#define TOKEN_BYTES   32                /* 256 bits */
#define TOKEN_HEX_LEN (2 * TOKEN_BYTES) /* without the NUL */

/* Fills buf with n bytes from the kernel's CSPRNG. Returns 0 or -1. */
int token_random_bytes(void *buf, size_t n);

/* Writes a fresh 256-bit token as 64 lower-case hex digits plus NUL.
 * Returns 0 or -1 (no randomness: the caller must fail the request). */
int token_new_hex(char out[TOKEN_HEX_LEN + 1]);

/* Writes SHA-256(s) as 64 hex digits plus NUL. */
void token_digest_hex(const char *s, char out[TOKEN_HEX_LEN + 1]);

/* True if s is exactly 64 lower-case hex digits. */
bool token_well_formed(const char *s);

/* Compares two NUL-terminated strings in time independent of where they
 * differ (the length may leak). */
bool token_equal(const char *a, const char *b);

/* Overwrites n bytes at p in a way the compiler may not drop. */
void token_wipe(void *p, size_t n);

#endif
