/*
 * throttle: exponential back-off after repeated failed logins. Pure.
 */
#include "core/throttle.h"

int64_t throttle_effective_failures(int64_t failures, int64_t last_failure_at, int64_t now)
{
	if (failures <= 0 || now - last_failure_at >= THROTTLE_FORGET_SECONDS)
		return 0;
	return failures;
}

int64_t throttle_wait(int64_t failures, int64_t last_failure_at, int64_t now, int64_t free_tries)
{
	int64_t n = throttle_effective_failures(failures, last_failure_at, now);
	int64_t wait = THROTTLE_BASE_SECONDS;

	if (n < free_tries)
		return 0;
	for (int64_t i = free_tries; i < n && wait < THROTTLE_MAX_SECONDS; i++)
		wait *= 2;
	if (wait > THROTTLE_MAX_SECONDS)
		wait = THROTTLE_MAX_SECONDS;
	int64_t until = last_failure_at + wait;
	return until > now ? until - now : 0;
}
