/* Session expiry: idle and absolute limits, touch interval. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/session_policy.h"

static void idle_and_absolute(void **state)
{
	const struct session_limits lim = {.idle = 3600, .absolute = 8 * 3600};
	const int64_t t = 1700000000;

	(void)state;
	assert_true(session_alive(&lim, t, t, t));
	assert_true(session_alive(&lim, t, t, t + 3599));
	assert_false(session_alive(&lim, t, t, t + 3600)); /* idle an hour */
	assert_true(session_alive(&lim, t, t + 7 * 3600, t + 7 * 3600 + 60));
	assert_false(session_alive(&lim, t, t + 8 * 3600 - 1, t + 8 * 3600)); /* too old */
	assert_false(session_alive(&lim, t, t, t - 3000));                    /* clock far behind */
}

static void touch_interval(void **state)
{
	(void)state;
	assert_false(session_needs_touch(100, 100 + SESSION_TOUCH_EVERY - 1));
	assert_true(session_needs_touch(100, 100 + SESSION_TOUCH_EVERY));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(idle_and_absolute),
		cmocka_unit_test(touch_interval),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
