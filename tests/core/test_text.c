/* Text checks: emails, UTF-8, password policy, integers, log redaction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/text.h"

static void emails(void **state)
{
	static const char *const good[] = {"a@b.co", "helen.ward+rota@carecoop.example",
					   "O'Brien@example.org"};
	static const char *const bad[] = {"",         "@b.co",    "a@",       "a@b",
					  "a b@c.de", "a@@b.co",  "a@b..co",  "a@.b.co",
					  "a@b.co.",  "a,b@c.de", "<a@b.co>", "a@b.co\n"};
	char longest[300];

	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_true(text_email_valid(good[i]));
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(text_email_valid(bad[i]));
	memset(longest, 'a', sizeof longest);
	memcpy(longest + 240, "@example.org", 13); /* 252 bytes: fine */
	assert_true(text_email_valid(longest));
	memset(longest, 'a', sizeof longest);
	memcpy(longest + 250, "@example.org", 13); /* 262 bytes: too long */
	assert_false(text_email_valid(longest));
}

static void utf8(void **state)
{
	(void)state;
	assert_true(text_utf8_valid("Siân Ní Bhriain, Zoë", false));
	assert_true(text_utf8_valid("line one\nline two", true));
	assert_false(text_utf8_valid("line one\nline two", false));
	assert_false(text_utf8_valid("bell\a", true));
	assert_false(text_utf8_valid("\xc0\xaf", false));         /* overlong '/' */
	assert_false(text_utf8_valid("\xed\xa0\x80", false));     /* surrogate */
	assert_false(text_utf8_valid("\xf4\x90\x80\x80", false)); /* > U+10FFFF */
	assert_false(text_utf8_valid("trunc\xe2\x82", false));
	assert_false(text_utf8_valid("\xc2\x85", false)); /* C1 control NEL */
	assert_int_equal(text_utf8_len("Zoë"), 3);
}

static void passwords(void **state)
{
	char huge[300];

	(void)state;
	assert_int_equal(text_password_check("short"), TEXT_PASSWORD_TOO_SHORT);
	assert_int_equal(text_password_check("ninechars"), TEXT_PASSWORD_TOO_SHORT);
	assert_int_equal(text_password_check("tenchars!!"), TEXT_PASSWORD_OK);
	/* Length counts characters, not bytes: 9 two-byte letters are too few. */
	assert_int_equal(text_password_check("ééééééééé"), TEXT_PASSWORD_TOO_SHORT);
	assert_int_equal(text_password_check("correct horse\tbattery"), TEXT_PASSWORD_NOT_TEXT);
	memset(huge, 'x', sizeof huge - 1);
	huge[sizeof huge - 1] = '\0';
	assert_int_equal(text_password_check(huge), TEXT_PASSWORD_TOO_LONG);
	assert_string_equal(text_password_message(TEXT_PASSWORD_TOO_SHORT),
			    "password must have at least 10 characters");
}

static void integers(void **state)
{
	int64_t v = 0;

	(void)state;
	assert_int_equal(text_parse_i64("8080", 0, 65535, &v), 0);
	assert_int_equal(v, 8080);
	assert_int_equal(text_parse_i64("65536", 0, 65535, &v), -1);
	assert_int_equal(text_parse_i64("-1", 0, 10, &v), -1);
	assert_int_equal(text_parse_i64("12abc", 0, 100, &v), -1);
	assert_int_equal(text_parse_i64("", 0, 100, &v), -1);
	assert_int_equal(text_parse_i64(" 5", 0, 100, &v), -1);
	assert_int_equal(text_parse_i64("+5", 0, 100, &v), -1);
	assert_int_equal(text_parse_i64("99999999999999999999", 0, INT64_MAX, &v), -1);
}

static void copy_and_redaction(void **state)
{
	char small[6], out[64];

	(void)state;
	assert_int_equal(text_copy(small, sizeof small, "carer"), 0);
	assert_int_equal(text_copy(small, sizeof small, "carers"), -1);
	assert_string_equal(small, "carer");
	text_redact_path("/ical/4f2a9c0e55d1.ics", out, sizeof out);
	assert_string_equal(out, "/ical/[redacted]");
	text_redact_path("/api/me", out, sizeof out);
	assert_string_equal(out, "/api/me");
	text_redact_path("/a\nb\x1b", out, sizeof out);
	assert_string_equal(out, "/a?b?");
}

static void url_unescape(void **state)
{
	char a[] = "/%2e%2E/secret", b[] = "/index.html%00.css", c[] = "/100%/x%4",
	     d[] = "/a+b%20c";

	(void)state;
	assert_int_equal(text_url_unescape(a), 10);
	assert_string_equal(a, "/../secret");
	/* A NUL cannot truncate the path: it becomes DEL, refused later. */
	text_url_unescape(b);
	assert_string_equal(b, "/index.html\x7f.css");
	text_url_unescape(c);
	assert_string_equal(c, "/100%/x%4");
	text_url_unescape(d);
	assert_string_equal(d, "/a+b c");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(emails),
		cmocka_unit_test(utf8),
		cmocka_unit_test(passwords),
		cmocka_unit_test(integers),
		cmocka_unit_test(copy_and_redaction),
		cmocka_unit_test(url_unescape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
