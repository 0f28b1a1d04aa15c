/*
 * token: randomness, digests and constant-time helpers for secrets.
 */
#include "auth/token.h"

#include <errno.h>
#include <nettle/sha2.h>
#include <string.h>
#include <sys/random.h>

static void to_hex(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

int token_random_bytes(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n > 0) {
		ssize_t got = getrandom(p, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

int token_new_hex(char out[TOKEN_HEX_LEN + 1])
{
	unsigned char raw[TOKEN_BYTES];

	if (token_random_bytes(raw, sizeof raw) != 0) {
		out[0] = '\0';
		return -1;
	}
	to_hex(raw, sizeof raw, out);
	token_wipe(raw, sizeof raw);
	return 0;
}

void token_digest_hex(const char *s, char out[TOKEN_HEX_LEN + 1])
{
	struct sha256_ctx ctx;
	unsigned char digest[SHA256_DIGEST_SIZE];

	sha256_init(&ctx);
	sha256_update(&ctx, strlen(s), (const uint8_t *)s);
	sha256_digest(&ctx, sizeof digest, digest);
	to_hex(digest, sizeof digest, out);
}

bool token_well_formed(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		char c = s[i];
		if (i >= TOKEN_HEX_LEN || !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return i == TOKEN_HEX_LEN;
}

bool token_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = (unsigned char)(la != lb);
	size_t n = la < lb ? la : lb;

	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

void token_wipe(void *p, size_t n)
{
	explicit_bzero(p, n);
}
