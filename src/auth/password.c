/*
 * password: argon2id via libargon2, gated by a counting semaphore.
 */
#include "auth/password.h"

#include <argon2.h>
#include <errno.h>
#include <semaphore.h>
#include <string.h>
#include <time.h>

#include "auth/token.h"

#define SALT_LEN 16
#define HASH_LEN 32

static sem_t gate;
static int gate_ready;
static unsigned gate_wait_ms = 10000;
static char dummy_hash[PASSWORD_ENCODED_MAX];

static int gate_enter(void)
{
	struct timespec until;

	if (!gate_ready)
		return 0;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += gate_wait_ms / 1000;
	until.tv_nsec += (long)(gate_wait_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	while (sem_timedwait(&gate, &until) != 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

static void gate_leave(void)
{
	if (gate_ready)
		sem_post(&gate);
}

static enum password_result hash_ungated(const char *pw, char *encoded, size_t n)
{
	unsigned char salt[SALT_LEN];

	if (n < PASSWORD_ENCODED_MAX || token_random_bytes(salt, sizeof salt) != 0)
		return PASSWORD_ERROR;
	int rc = argon2id_hash_encoded(PASSWORD_T_COST, PASSWORD_M_COST_KIB, PASSWORD_PARALLELISM,
				       pw, strlen(pw), salt, sizeof salt, HASH_LEN, encoded, n);
	return rc == ARGON2_OK ? PASSWORD_OK : PASSWORD_ERROR;
}

void password_gate_init(unsigned max_concurrent, unsigned wait_ms)
{
	char pw[65];

	if (gate_ready)
		return;
	if (max_concurrent == 0)
		max_concurrent = 1;
	gate_wait_ms = wait_ms;
	if (sem_init(&gate, 0, max_concurrent) == 0)
		gate_ready = 1;
	token_new_hex(pw);
	if (hash_ungated(pw, dummy_hash, sizeof dummy_hash) != PASSWORD_OK)
		dummy_hash[0] = '\0';
	token_wipe(pw, sizeof pw);
}

const char *password_dummy_hash(void)
{
	return dummy_hash;
}

enum password_result password_hash(const char *pw, char *encoded, size_t n)
{
	enum password_result r;

	if (gate_enter() != 0)
		return PASSWORD_BUSY;
	r = hash_ungated(pw, encoded, n);
	gate_leave();
	return r;
}

enum password_result password_verify(const char *encoded, const char *pw)
{
	int rc;

	if (encoded == NULL || strncmp(encoded, "$argon2id$", 10) != 0)
		return PASSWORD_ERROR;
	if (gate_enter() != 0)
		return PASSWORD_BUSY;
	/* argon2_verify compares the tags in constant time. */
	rc = argon2id_verify(encoded, pw, strlen(pw));
	gate_leave();
	if (rc == ARGON2_OK)
		return PASSWORD_OK;
	if (rc == ARGON2_VERIFY_MISMATCH)
		return PASSWORD_MISMATCH;
	return PASSWORD_ERROR;
}
