/*
 * db_feed: calendar feed subscriptions (secret tokens), the co-op's feed
 * setting, the generation number that invalidates cached feeds, and the
 * published visits each feed shows. Returns follow db.h: -1 error, 0 not
 * found, 1 ok.
 */
#ifndef CARECOOP_DB_FEED_H
#define CARECOOP_DB_FEED_H

#include <stdbool.h>
#include <stdint.h>

#include "core/feed.h"
#include "db/db.h"
#include "db/db_people.h"

struct db_feed {
	int64_t id;
	enum feed_kind kind;
	int64_t user_id;
	int64_t person_id;               /* whose visits; 0 for coordinator */
	char token[65];                  /* 64 hex digits */
	char email[255];                 /* the subscriber's login */
	char person_name[DB_TEXT_SHORT]; /* known_as of person_id, "" for coordinator */
	int64_t created_at;
};

/* The live feed whose token has SHA-256 token_sha256 (hex), provided its
 * subscriber is still entitled to it: the account is enabled, and is still
 * the carer, the person or one of their viewers, or a coordinator. */
int db_feed_by_digest(struct db *db, const char *token_sha256, struct db_feed *out);

/* A live feed by id (revoked feeds are not found). */
int db_feed_get(struct db *db, int64_t id, struct db_feed *out);

/* Each feed user_id is entitled to, live or not yet made: out->id is 0 and
 * out->token "" for one not made yet. Order: carer, recipients, coordinator. */
int db_feed_each_option(struct db *db, int64_t user_id,
			int (*fn)(const struct db_feed *f, void *arg), void *arg);

/* Each live feed of every subscriber still entitled to it, by kind and email. */
int db_feed_each_live(struct db *db, int (*fn)(const struct db_feed *f, void *arg), void *arg);

/* Each entitlement that has no live feed yet (out->id 0), every user. */
int db_feed_each_missing(struct db *db, int (*fn)(const struct db_feed *f, void *arg), void *arg);

/* Makes a new token for (user, kind, person), revoking the live one if
 * any (a regenerated link). Run inside db_tx. token is 64 hex digits and
 * token_sha256 its digest. Sets *id. Returns 1 or -1. */
int db_feed_issue(struct db *db, const struct db_feed *f, const char *token_sha256, int64_t now,
		  int64_t *id);

/* Revokes a live feed of user_id. Returns 1, 0 when there is none. */
int db_feed_revoke(struct db *db, int64_t id, int64_t user_id, int64_t now);

/* True when user_id may subscribe to (kind, person). Returns 1, 0 (not
 * entitled), -1. */
int db_feed_entitled(struct db *db, int64_t user_id, enum feed_kind kind, int64_t person_id);

int db_feed_settings_get(struct db *db, struct feed_settings *out);
int db_feed_settings_set(struct db *db, const struct feed_settings *s, int64_t now);

/* The number every feed-changing write raises (schema triggers), or -1. */
int64_t db_feed_generation(struct db *db);

/* One visit in a feed, with the names it needs. */
struct db_feed_visit {
	int64_t id;
	char uid[80];
	int64_t sequence, starts_at, updated_at;
	int minutes, carers_needed;
	bool cancelled;
	char recipient_name[DB_TEXT_SHORT];
	char area[DB_TEXT_SHORT];
	char address[301];
	char tasks[DB_TEXT_LONG];
	int64_t carer_id[FEED_CARERS_MAX];
	char carer_name[FEED_CARERS_MAX][DB_TEXT_SHORT];
	unsigned ncarers;
};

/* Each visit of a published week that feed f shows, by start time: those
 * starting at or after since, planned or cancelled at or after
 * cancelled_since. */
int db_feed_visits(struct db *db, const struct db_feed *f, int64_t since, int64_t cancelled_since,
		   int (*fn)(const struct db_feed_visit *v, void *arg), void *arg);

#endif
