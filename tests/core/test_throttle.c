/* Login back-off: free tries, doubling waits, the cap and forgetting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/throttle.h"

static void free_tries_then_waits(void **state)
{
	const int64_t t = 1000000, free = THROTTLE_ACCOUNT_FREE_TRIES;

	(void)state;
	for (int64_t n = 0; n < free; n++)
		assert_int_equal(throttle_wait(n, t, t, free), 0);
	assert_int_equal(throttle_wait(free, t, t, free), THROTTLE_BASE_SECONDS);
	assert_int_equal(throttle_wait(free + 1, t, t, free), 2 * THROTTLE_BASE_SECONDS);
	assert_int_equal(throttle_wait(free + 2, t, t, free), 4 * THROTTLE_BASE_SECONDS);
	/* Waiting runs down with the clock. */
	assert_int_equal(throttle_wait(free, t, t + 10, free), THROTTLE_BASE_SECONDS - 10);
	assert_int_equal(throttle_wait(free, t, t + THROTTLE_BASE_SECONDS, free), 0);
}

static void capped_and_forgotten(void **state)
{
	const int64_t t = 5000000;

	(void)state;
	assert_int_equal(throttle_wait(1000, t, t, 5), THROTTLE_MAX_SECONDS);
	assert_int_equal(throttle_effective_failures(7, t, t + THROTTLE_FORGET_SECONDS - 1), 7);
	assert_int_equal(throttle_effective_failures(7, t, t + THROTTLE_FORGET_SECONDS), 0);
	assert_int_equal(throttle_wait(1000, t, t + THROTTLE_FORGET_SECONDS, 5), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(free_tries_then_waits),
		cmocka_unit_test(capped_and_forgotten),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
