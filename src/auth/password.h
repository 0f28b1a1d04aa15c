/*
 * password: argon2id hashing and verification of login passwords, behind a
 * gate that bounds how many hashes run at once (each takes ~19 MiB), so a
 * burst of logins cannot exhaust the server's memory.
 *
 * Depends on libargon2 only; knows nothing of HTTP or SQL.
 */
#ifndef CARECOOP_AUTH_PASSWORD_H
#define CARECOOP_AUTH_PASSWORD_H

#include <stddef.h>

/* OWASP's minimum for argon2id: m = 19 MiB, t = 2, p = 1. */
#define PASSWORD_M_COST_KIB  19456
#define PASSWORD_T_COST      2
#define PASSWORD_PARALLELISM 1
#define PASSWORD_ENCODED_MAX 128

enum password_result {
	PASSWORD_OK = 0,   /* hashed, or verified as matching */
	PASSWORD_MISMATCH, /* verify: wrong password */
	PASSWORD_BUSY,     /* the gate stayed full for the whole wait */
	PASSWORD_ERROR,    /* argon2 failed (memory, malformed hash) */
};

/* Sets how many hashes may run at once (>= 1) and how long a caller waits for
 * a place (milliseconds). Call once before serving; safe defaults otherwise. */
void password_gate_init(unsigned max_concurrent, unsigned wait_ms);

/* Hashes pw with a fresh random salt into encoded (size >= PASSWORD_ENCODED_MAX),
 * in argon2's "$argon2id$v=19$m=...,t=...,p=...$salt$hash" form. */
enum password_result password_hash(const char *pw, char *encoded, size_t n);

/* Checks pw against an encoded hash in constant time. */
enum password_result password_verify(const char *encoded, const char *pw);

/* An encoded hash of a random password made at start-up, verified against
 * when an email is unknown, so that a wrong email costs the same time as a
 * wrong password. Never NULL after password_gate_init. */
const char *password_dummy_hash(void);

#endif
