/*
 * session_policy: idle and absolute expiry of sessions. Pure.
 */
#include "core/session_policy.h"

bool session_alive(const struct session_limits *lim, int64_t created_at, int64_t last_seen,
		   int64_t now)
{
	if (now - created_at >= lim->absolute)
		return false;
	if (now - last_seen >= lim->idle)
		return false;
	return now >= created_at - 300; /* a clock that jumped back 5 min is tolerated */
}

bool session_needs_touch(int64_t last_seen, int64_t now)
{
	return now - last_seen >= SESSION_TOUCH_EVERY;
}
