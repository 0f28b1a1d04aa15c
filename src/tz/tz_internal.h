/*
 * tz_internal: what the libical adapters share. libical's built-in zones
 * are loaded lazily and not thread-safe, so every use of a zone in
 * src/tz/ holds tz_lock.
 */
#ifndef CARECOOP_TZ_INTERNAL_H
#define CARECOOP_TZ_INTERNAL_H

#include <pthread.h>

extern pthread_mutex_t tz_lock;

#endif
