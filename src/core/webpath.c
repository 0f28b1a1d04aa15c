/*
 * webpath: safe mapping of URL paths to files under web/. Pure.
 */
#include "core/webpath.h"

#include <string.h>
#include <strings.h>

enum webpath_result webpath_resolve(const char *url_path, char *out, size_t n)
{
	size_t o = 0;
	const char *p = url_path;

	if (n == 0)
		return WEBPATH_TOO_LONG;
	if (*p != '/')
		return WEBPATH_BAD;
	while (*p == '/' && p[1] != '/') {
		const char *seg = p + 1;
		const char *end = seg;

		while (*end != '\0' && *end != '/')
			end++;
		size_t len = (size_t)(end - seg);
		if (len == 0 && *end == '\0') {
			p = end;
			break; /* trailing slash: directory index */
		}
		if (len == 0 || seg[0] == '.')
			return WEBPATH_BAD; /* empty, ".", "..", hidden files */
		for (const char *c = seg; c < end; c++) {
			unsigned char ch = (unsigned char)*c;
			if (ch < 0x20 || ch == 0x7f || ch == '\\' || ch == ':')
				return WEBPATH_BAD;
		}
		if (o + len + 2 > n)
			return WEBPATH_TOO_LONG;
		if (o > 0)
			out[o++] = '/';
		memcpy(out + o, seg, len);
		o += len;
		p = end;
	}
	if (*p != '\0')
		return WEBPATH_BAD; /* "//" anywhere */
	if (o == 0 || url_path[strlen(url_path) - 1] == '/') {
		static const char index[] = "index.html";
		if (o + sizeof index + 1 > n)
			return WEBPATH_TOO_LONG;
		if (o > 0)
			out[o++] = '/';
		memcpy(out + o, index, sizeof index);
		return WEBPATH_OK;
	}
	out[o] = '\0';
	return WEBPATH_OK;
}

const char *webpath_mime(const char *name)
{
	static const struct {
		const char *ext;
		const char *type;
	} types[] = {
		{"html", "text/html; charset=utf-8"},
		{"css", "text/css; charset=utf-8"},
		{"js", "text/javascript; charset=utf-8"},
		{"mjs", "text/javascript; charset=utf-8"},
		{"json", "application/json"},
		{"svg", "image/svg+xml"},
		{"png", "image/png"},
		{"jpg", "image/jpeg"},
		{"jpeg", "image/jpeg"},
		{"ico", "image/x-icon"},
		{"webp", "image/webp"},
		{"woff2", "font/woff2"},
		{"txt", "text/plain; charset=utf-8"},
		{"webmanifest", "application/manifest+json"},
	};
	const char *dot = strrchr(name, '.');
	const char *slash = strrchr(name, '/');

	if (dot != NULL && (slash == NULL || dot > slash)) {
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
			if (strcasecmp(dot + 1, types[i].ext) == 0)
				return types[i].type;
	}
	return "application/octet-stream";
}
