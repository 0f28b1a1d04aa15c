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

/* People and care (docs/API.md "People and care"). */
#define STAFF (ROLE_ADMIN | ROLE_COORDINATOR)
	{.method = "GET", .pattern = "/api/skills", .handler = h_skills_list, .roles = ROLE_ALL},
	{.method = "POST",
	 .pattern = "/api/skills",
	 .handler = h_skills_create,
	 .roles = STAFF,
	 .flags = ROUTE_JSON_BODY},
	{.method = "GET",
	 .pattern = "/api/member-classes",
	 .handler = h_classes_list,
	 .roles = ROLE_ALL},
	{.method = "POST",
	 .pattern = "/api/member-classes",
	 .handler = h_classes_create,
	 .roles = ROLE_ADMIN,
	 .flags = ROUTE_JSON_BODY},
	{.method = "PATCH",
	 .pattern = "/api/member-classes/{id}",
	 .handler = h_classes_update,
	 .roles = ROLE_ADMIN,
	 .flags = ROUTE_JSON_BODY},
	{.method = "GET",
	 .pattern = "/api/people",
	 .handler = h_people_list,
	 .roles = STAFF | ROLE_TREASURER},
	{.method = "POST",
	 .pattern = "/api/people",
	 .handler = h_people_create,
	 .roles = STAFF,
	 .flags = ROUTE_JSON_BODY},
	{.method = "GET",
	 .pattern = "/api/people/{id}",
	 .handler = h_people_get,
	 .roles = ROLE_ALL},
	{.method = "PATCH",
	 .pattern = "/api/people/{id}",
	 .handler = h_people_update,
	 .roles = STAFF,
	 .flags = ROUTE_JSON_BODY},
	{.method = "GET",
	 .pattern = "/api/members",
	 .handler = h_members_list,
	 .roles = ROLE_ADMIN | ROLE_TREASURER},
	{.method = "POST",
	 .pattern = "/api/members",
	 .handler = h_members_create,
	 .roles = ROLE_ADMIN,
	 .flags = ROUTE_JSON_BODY},
	{.method = "PATCH",
	 .pattern = "/api/members/{id}",
	 .handler = h_members_update,
	 .roles = ROLE_ADMIN,
	 .flags = ROUTE_JSON_BODY},
	{.method = "POST",
	 .pattern = "/api/members/{id}/end",
	 .handler = h_members_end,
	 .roles = ROLE_ADMIN,
	 .flags = ROUTE_JSON_BODY},
	{.method = "GET",
	 .pattern = "/api/members.csv",
	 .handler = h_members_csv,
	 .roles = ROLE_ADMIN | ROLE_TREASURER},
	{.method = "GET",
	 .pattern = "/api/carers",
	 .handler = h_carers_list,
	 .roles = STAFF | ROLE_CARER},
	{.method = "POST",
	 .pattern = "/api/carers",
	 .handler = h_carers_create,
	 .roles = STAFF,
	 .flags = ROUTE_JSON_BODY},
	{.method = "GET", .pattern = "/api/carers.csv", .handler = h_carers_csv, .roles = STAFF},
	{.method = "GET",
	 .pattern = "/api/carers/{id}",
	 .handler = h_carers_get,
	 .roles = STAFF | ROLE_CARER},
	{.method = "PATCH",
	 .pattern = "/api/carers/{id}",
	 .handler = h_carers_update,
	 .roles = STAFF,
	 .flags = ROUTE_JSON_BODY},
	{.method = "PUT",
	 .pattern = "/api/carers/{id}/availability",
	 .handler = h_availability_put,
	 .roles = STAFF | ROLE_CARER,
	 .flags = ROUTE_JSON_BODY},
	{.method = "GET",
	 .pattern = "/api/carers/{id}/exceptions",
	 .handler = h_exceptions_list,
	 .roles = STAFF | ROLE_CARER},
	{.method = "POST",
	 .pattern = "/api/carers/{id}/exceptions",
	 .handler = h_exceptions_create,
	 .roles = STAFF | ROLE_CARER,
	 .flags = ROUTE_JSON_BODY},
	{.method = "POST",
	 .pattern = "/api/exceptions/{id}/decision",
	 .handler = h_exceptions_decide,
	 .roles = ROLE_COORDINATOR,
	 .flags = ROUTE_JSON_BODY},
	{.method = "DELETE",
	 .pattern = "/api/exceptions/{id}",
	 .handler = h_exceptions_delete,
	 .roles = STAFF | ROLE_CARER},
	{.method = "GET",
	 .pattern = "/api/recipients",
	 .handler = h_recipients_list,
	 .roles = ROLE_ALL},
	{.method = "POST",
	 .pattern = "/api/recipients",
	 .handler = h_recipients_create,
	 .roles = STAFF,
	 .flags = ROUTE_JSON_BODY},
	{.method = "GET",
	 .pattern = "/api/recipients.csv",
	 .handler = h_recipients_csv,
	 .roles = STAFF},
	{.method = "GET",
	 .pattern = "/api/recipients/{id}",
	 .handler = h_recipients_get,
	 .roles = ROLE_ALL},
	{.method = "PATCH",
	 .pattern = "/api/recipients/{id}",
	 .handler = h_recipients_update,
	 .roles = STAFF,
	 .flags = ROUTE_JSON_BODY},
	{.method = "PUT",
	 .pattern = "/api/recipients/{id}/team",
	 .handler = h_team_put,
	 .roles = STAFF,
	 .flags = ROUTE_JSON_BODY},
	{.method = "PUT",
	 .pattern = "/api/recipients/{id}/viewers",
	 .handler = h_viewers_put,
	 .roles = STAFF,
	 .flags = ROUTE_JSON_BODY},
	{.method = "POST",
	 .pattern = "/api/recipients/{id}/plan",
	 .handler = h_plan_create,
	 .roles = STAFF,
	 .flags = ROUTE_JSON_BODY},
	{.method = "PUT",
	 .pattern = "/api/recipients/{id}/plan/{line}",
	 .handler = h_plan_change,
	 .roles = STAFF,
	 .flags = ROUTE_JSON_BODY},
	{.method = "POST",
	 .pattern = "/api/recipients/{id}/plan/{line}/end",
	 .handler = h_plan_end,
	 .roles = STAFF,
	 .flags = ROUTE_JSON_BODY},
	{.method = "POST",
	 .pattern = "/api/import/carers",
	 .handler = h_import_carers,
	 .roles = STAFF,
	 .flags = ROUTE_CSV_BODY},
	{.method = "POST",
	 .pattern = "/api/import/recipients",
	 .handler = h_import_recipients,
	 .roles = STAFF,
	 .flags = ROUTE_CSV_BODY},
	{.method = "GET", .pattern = "/api/audit", .handler = h_audit_list, .roles = ROLE_ADMIN},
#undef STAFF
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
