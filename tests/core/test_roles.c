/* Roles: names and bits round-trip; unknown names are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/roles.h"

static void every_role_round_trips(void **state)
{
	(void)state;
	for (unsigned i = 0; i < ROLE_COUNT; i++) {
		unsigned bit = role_at(i);
		assert_non_null(role_name(bit));
		assert_int_equal(role_parse(role_name(bit)), bit);
	}
	assert_int_equal(role_at(ROLE_COUNT), 0);
}

static void unknown_and_combined_roles_are_refused(void **state)
{
	(void)state;
	assert_int_equal(role_parse("Admin"), 0); /* exact, lower case */
	assert_int_equal(role_parse("superuser"), 0);
	assert_int_equal(role_parse(""), 0);
	assert_int_equal(role_parse(NULL), 0);
	assert_null(role_name(ROLE_ADMIN | ROLE_CARER)); /* not one role */
	assert_string_equal(role_name(ROLE_TREASURER), "treasurer");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_role_round_trips),
		cmocka_unit_test(unknown_and_combined_roles_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
