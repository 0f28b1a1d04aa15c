/*
 * session_policy: when a server-side session stops being valid. Pure.
 */
#ifndef CARECOOP_CORE_SESSION_POLICY_H
#define CARECOOP_CORE_SESSION_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#define SESSION_IDLE_DEFAULT     (2 * 3600)  /* seconds without a request */
#define SESSION_ABSOLUTE_DEFAULT (12 * 3600) /* seconds since login */
#define SESSION_TOUCH_EVERY      60          /* write last_seen at most this often */

struct session_limits {
	int64_t idle;     /* seconds; a session unused this long has expired */
	int64_t absolute; /* seconds; a session this old has expired, used or not */
};

/* True while a session created at created_at and last used at last_seen is
 * still valid at now. */
bool session_alive(const struct session_limits *lim, int64_t created_at, int64_t last_seen,
		   int64_t now);

/* True when last_seen is stale enough to be worth writing back. */
bool session_needs_touch(int64_t last_seen, int64_t now);

#endif
