/* argon2id hashing and tokens: parameters, verify, tokens, comparison. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "auth/password.h"
#include "auth/token.h"

static void hash_and_verify(void **state)
{
	char a[PASSWORD_ENCODED_MAX], b[PASSWORD_ENCODED_MAX];

	(void)state;
	password_gate_init(2, 1000);
	assert_int_equal(password_hash("a long pass phrase", a, sizeof a), PASSWORD_OK);
	assert_int_equal(password_hash("a long pass phrase", b, sizeof b), PASSWORD_OK);
	/* argon2id with at least OWASP's minimum cost, and a fresh salt each time. */
	assert_non_null(strstr(a, "$argon2id$v=19$m=19456,t=2,p=1$"));
	assert_string_not_equal(a, b);
	assert_int_equal(password_verify(a, "a long pass phrase"), PASSWORD_OK);
	assert_int_equal(password_verify(a, "a long pass phrasE"), PASSWORD_MISMATCH);
	assert_int_equal(password_verify("$argon2i$v=19$m=8,t=1,p=1$xx$yy", "x"), PASSWORD_ERROR);
	assert_int_equal(password_verify("not a hash", "x"), PASSWORD_ERROR);
	/* The dummy hash used for unknown emails is a real argon2id hash. */
	assert_non_null(strstr(password_dummy_hash(), "$argon2id$"));
	assert_int_equal(password_verify(password_dummy_hash(), "guess"), PASSWORD_MISMATCH);
}

static void tokens(void **state)
{
	char t1[TOKEN_HEX_LEN + 1], t2[TOKEN_HEX_LEN + 1], d[TOKEN_HEX_LEN + 1];

	(void)state;
	assert_int_equal(token_new_hex(t1), 0);
	assert_int_equal(token_new_hex(t2), 0);
	assert_true(token_well_formed(t1));
	assert_string_not_equal(t1, t2);
	assert_false(token_well_formed("abc"));
	assert_false(token_well_formed(
		"ABCDEF0000000000000000000000000000000000000000000000000000000000"));
	/* SHA-256("abc"), FIPS 180-2 example. */
	token_digest_hex("abc", d);
	assert_string_equal(d, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_true(token_equal(t1, t1));
	assert_false(token_equal(t1, t2));
	assert_false(token_equal("abc", "abcd"));
	token_wipe(t1, sizeof t1);
	assert_int_equal(t1[0], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hash_and_verify),
		cmocka_unit_test(tokens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
