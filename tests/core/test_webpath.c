/* Static paths: index mapping and every way of climbing out of web/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/webpath.h"

static void maps_paths(void **state)
{
	static const char *const cases[][2] = {
		{"/", "index.html"},
		{"/home.html", "home.html"},
		{"/css/app.css", "css/app.css"},
		{"/docs/", "docs/index.html"},
		{"/a/b/c.js", "a/b/c.js"},
	};
	char out[256];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(webpath_resolve(cases[i][0], out, sizeof out), WEBPATH_OK);
		assert_string_equal(out, cases[i][1]);
	}
}

static void refuses_escapes(void **state)
{
	static const char *const bad[] = {
		"/..",
		"/../etc/passwd",
		"/css/../../secret",
		"/./index.html",
		"//etc/passwd",
		"/css//app.css",
		"/.git/config",
		"/.env",
		"/a\\..\\b",
		"relative.html",
		"",
		"/c:/windows",
		"/x\x01y",
	};
	char out[256];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(webpath_resolve(bad[i], out, sizeof out), WEBPATH_BAD);
	assert_int_equal(webpath_resolve("/abcdefghij", out, 8), WEBPATH_TOO_LONG);
}

static void content_types(void **state)
{
	(void)state;
	assert_string_equal(webpath_mime("index.html"), "text/html; charset=utf-8");
	assert_string_equal(webpath_mime("css/app.css"), "text/css; charset=utf-8");
	assert_string_equal(webpath_mime("js/app.js"), "text/javascript; charset=utf-8");
	assert_string_equal(webpath_mime("favicon.svg"), "image/svg+xml");
	assert_string_equal(webpath_mime("shot.PNG"), "image/png");
	assert_string_equal(webpath_mime("archive.tar.gz"), "application/octet-stream");
	assert_string_equal(webpath_mime("css.d/noext"), "application/octet-stream");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(maps_paths),
		cmocka_unit_test(refuses_escapes),
		cmocka_unit_test(content_types),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
