/*
 * throttle: how long a login must wait after repeated failures. Pure policy:
 * the caller stores the failure counts and passes "now" in.
 *
 * After `free_tries` failures in a row, each further failure doubles the
 * wait, from THROTTLE_BASE_SECONDS up to THROTTLE_MAX_SECONDS. A count whose
 * last failure is older than THROTTLE_FORGET_SECONDS is forgotten.
 */
#ifndef CARECOOP_CORE_THROTTLE_H
#define CARECOOP_CORE_THROTTLE_H

#include <stdint.h>

#define THROTTLE_ACCOUNT_FREE_TRIES 5  /* per account (email) */
#define THROTTLE_IP_FREE_TRIES      20 /* per client address */
#define THROTTLE_BASE_SECONDS       30
#define THROTTLE_MAX_SECONDS        900
#define THROTTLE_FORGET_SECONDS     3600

/* Seconds still to wait before another attempt is allowed (0: go ahead),
 * given `failures` so far, the time of the last one and now. */
int64_t throttle_wait(int64_t failures, int64_t last_failure_at, int64_t now, int64_t free_tries);

/* The failure count to carry on with: 0 when the last failure is forgotten. */
int64_t throttle_effective_failures(int64_t failures, int64_t last_failure_at, int64_t now);

#endif
