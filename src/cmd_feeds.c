/*
 * cmd_feeds: see cmd_feeds.h. Feed links are secrets: they are printed
 * only on request, to the terminal of someone who can read the database.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd_feeds.h"

#include "auth/token.h"
#include "db/db_feed.h"

/* The missing feeds are first collected, then issued: a statement being
 * stepped is not written through. */
struct missing {
	struct db_feed *list;
	size_t n, cap;
	bool failed;
};

static int collect(const struct db_feed *f, void *arg)
{
	struct missing *m = arg;

	if (m->n == m->cap) {
		size_t cap = m->cap == 0 ? 32 : 2 * m->cap;
		struct db_feed *grown = realloc(m->list, cap * sizeof *grown);

		if (grown == NULL) {
			m->failed = true;
			return 1;
		}
		m->list = grown;
		m->cap = cap;
	}
	m->list[m->n++] = *f;
	return 0;
}

static int issue_all(struct db *db, void *arg)
{
	struct missing *m = arg;
	int64_t now = db_now();

	m->n = 0;
	if (db_feed_each_missing(db, collect, m) < 0 || m->failed)
		return -1;
	for (size_t i = 0; i < m->n; i++) {
		char digest[TOKEN_HEX_LEN + 1];
		int64_t id;
		int rc;

		if (token_new_hex(m->list[i].token) != 0)
			return -1;
		token_digest_hex(m->list[i].token, digest);
		rc = db_feed_issue(db, &m->list[i], digest, now, &id);
		token_wipe(m->list[i].token, sizeof m->list[i].token);
		if (rc < 0)
			return -1;
	}
	return 1;
}

int feeds_issue_missing(struct db *db)
{
	struct missing m = {0};
	int rc = db_tx(db, issue_all, &m);

	free(m.list);
	return rc < 0 ? -1 : (int)m.n;
}

static int print_feed(const struct db_feed *f, void *arg)
{
	fprintf(arg, "%s %s /ical/%s.ics\n", feed_kind_name(f->kind), f->email, f->token);
	return 0;
}

int feeds_print(struct db *db, FILE *out)
{
	return db_feed_each_live(db, print_feed, out) < 0 ? -1 : 0;
}
