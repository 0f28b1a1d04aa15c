/* --listen parsing: IPv4, IPv6, ephemeral port, and every bad shape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/listen_addr.h"

static void good_addresses(void **state)
{
	struct listen_addr a;
	char err[128];

	(void)state;
	assert_int_equal(listen_addr_parse("127.0.0.1:8080", &a, err, sizeof err), 0);
	assert_string_equal(a.host, "127.0.0.1");
	assert_int_equal(a.port, 8080);
	assert_int_equal(a.ipv6, 0);
	assert_int_equal(listen_addr_parse("[::1]:0", &a, err, sizeof err), 0);
	assert_string_equal(a.host, "::1");
	assert_int_equal(a.port, 0);
	assert_int_equal(a.ipv6, 1);
}

static void bad_addresses(void **state)
{
	static const char *const bad[] = {"127.0.0.1",      "127.0.0.1:",      ":8080",
					  "localhost:8080", "127.0.0.1:65536", "127.0.0.1:-1",
					  "::1:8080",       "[::1]8080",       "1.2.3.4:80x"};
	struct listen_addr a;
	char err[128];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		assert_int_equal(listen_addr_parse(bad[i], &a, err, sizeof err), -1);
		assert_true(err[0] != '\0'); /* every refusal says why */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_addresses),
		cmocka_unit_test(bad_addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
