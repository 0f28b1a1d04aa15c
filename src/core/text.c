/*
 * text: bounded string helpers and input checks. Pure; depends on nothing.
 */
#include "core/text.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int text_copy(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);

	if (len < n) {
		memcpy(dst, src, len + 1);
		return 0;
	}
	memcpy(dst, src, n - 1);
	dst[n - 1] = '\0';
	return -1;
}

bool text_email_valid(const char *s)
{
	const char *at = NULL;
	size_t len = strlen(s);

	if (len == 0 || len > TEXT_EMAIL_MAX)
		return false;
	for (const char *p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' ||
		    c == '"' || c == '\\')
			return false;
		if (c == '@') {
			if (at != NULL)
				return false;
			at = p;
		}
	}
	if (at == NULL || at == s)
		return false;
	const char *domain = at + 1;
	const char *dot = strchr(domain, '.');
	if (*domain == '\0' || *domain == '.' || dot == NULL)
		return false;
	if (s[len - 1] == '.' || strstr(domain, "..") != NULL)
		return false;
	return true;
}

bool text_utf8_valid(const char *s, bool multiline)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0') {
		unsigned c = *p;
		size_t extra;
		unsigned cp;

		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f) {
				if (!(multiline && (c == '\n' || c == '\r' || c == '\t')))
					return false;
			}
			p++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			extra = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			extra = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			extra = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		for (size_t i = 1; i <= extra; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		/* Overlong forms, surrogates and values past U+10FFFF. */
		if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) ||
		    (extra == 3 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		/* C1 controls. */
		if (cp >= 0x80 && cp < 0xa0)
			return false;
		p += extra + 1;
	}
	return true;
}

size_t text_utf8_len(const char *s)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		if ((*p & 0xc0) != 0x80)
			n++;
	return n;
}

enum text_password_check text_password_check(const char *pw)
{
	if (strlen(pw) > TEXT_PASSWORD_MAX)
		return TEXT_PASSWORD_TOO_LONG;
	if (!text_utf8_valid(pw, false))
		return TEXT_PASSWORD_NOT_TEXT;
	if (text_utf8_len(pw) < TEXT_PASSWORD_MIN)
		return TEXT_PASSWORD_TOO_SHORT;
	return TEXT_PASSWORD_OK;
}

const char *text_password_message(enum text_password_check c)
{
	switch (c) {
	case TEXT_PASSWORD_OK:
		return "ok";
	case TEXT_PASSWORD_TOO_SHORT:
		return "password must have at least 10 characters";
	case TEXT_PASSWORD_TOO_LONG:
		return "password must be at most 256 bytes";
	case TEXT_PASSWORD_NOT_TEXT:
		return "password must be text without control characters";
	}
	return "invalid password";
}

int text_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end = NULL;
	long long v;

	if (s == NULL || *s == '\0' || *s == ' ' || *s == '+')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = (int64_t)v;
	return 0;
}

void text_redact_path(const char *path, char *out, size_t n)
{
	static const char secret_prefix[] = "/ical/";
	size_t o = 0;

	if (n == 0)
		return;
	if (strncmp(path, secret_prefix, sizeof secret_prefix - 1) == 0) {
		text_copy(out, n, "/ical/[redacted]");
		return;
	}
	for (const char *p = path; *p != '\0' && o + 1 < n; p++) {
		unsigned char c = (unsigned char)*p;
		out[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	out[o] = '\0';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t text_url_unescape(char *s)
{
	char *w = s;

	for (const char *r = s; *r != '\0'; r++) {
		int hi, lo;

		if (*r == '%' && (hi = hex_value(r[1])) >= 0 && (lo = hex_value(r[2])) >= 0) {
			int c = hi * 16 + lo;
			*w++ = c == 0 ? (char)0x7f : (char)c;
			r += 2;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}
