/*
 * routes: the one route table of the API. Each entry names the method, the
 * path pattern, the handler, the roles allowed (0: anyone) and whether it
 * takes a JSON body. The dispatcher (server.c) enforces roles, CSRF and
 * body rules before any handler runs.
 */
#include <stdlib.h>
#include <string.h>

#include "core/roles.h"
#include "core/text.h"
#include "http/http_internal.h"

const struct route http_routes[] = {
	{.method = "GET", .pattern = "/healthz", .handler = h_health},
	{.method = "POST",
	 .pattern = "/api/session",
	 .handler = h_session_create,
	 .flags = ROUTE_JSON_BODY},
	{.method = "DELETE",
	 .pattern = "/api/session",
	 .handler = h_session_delete,
	 .roles = ROLE_ALL},
	{.method = "GET", .pattern = "/api/me", .handler = h_me, .roles = ROLE_ALL},
	{.method = "POST",
	 .pattern = "/api/me/password",
	 .handler = h_me_password,
	 .roles = ROLE_ALL,
	 .flags = ROUTE_JSON_BODY},
	{.method = "GET", .pattern = "/api/summary", .handler = h_summary, .roles = ROLE_ALL},
	{.method = "GET", .pattern = "/api/users", .handler = h_users_list, .roles = ROLE_ADMIN},
	{.method = "POST",
	 .pattern = "/api/users",
	 .handler = h_users_create,
	 .roles = ROLE_ADMIN,
	 .flags = ROUTE_JSON_BODY},
	{.method = "DELETE",
	 .pattern = "/api/users/{id}/sessions",
	 .handler = h_user_sessions_delete,
	 .roles = ROLE_ADMIN},
};
const unsigned http_route_count = sizeof http_routes / sizeof http_routes[0];

bool http_route_match(const char *pattern, const char *path, int64_t *params, unsigned *nparams)
{
	const char *p = pattern, *s = path;

	*nparams = 0;
	while (*p != '\0') {
		if (*p == '{') {
			char num[24];
			size_t len = 0;

			while (*p != '\0' && *p != '}')
				p++;
			if (*p == '}')
				p++;
			while (s[len] >= '0' && s[len] <= '9' && len < sizeof num - 1) {
				num[len] = s[len];
				len++;
			}
			num[len] = '\0';
			if (len == 0 || (s[len] != '\0' && s[len] != '/') ||
			    *nparams >= HTTP_MAX_PARAMS ||
			    text_parse_i64(num, 1, INT64_MAX, &params[*nparams]) != 0)
				return false;
			(*nparams)++;
			s += len;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	return *s == '\0';
}
