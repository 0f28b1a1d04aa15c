/*
 * gov_count: the governance steps that load, call core and save, shared by
 * the handlers (h_gov.c, h_gov_html.c), the demo co-op and the tests:
 * casting a ballot, and closing a proposal and recording its count. Each
 * runs inside the caller's db_tx() so that one change is one transaction.
 *
 * Depends on db/db_gov, core/tally, core/stv, jansson and auth/token; not
 * on libmicrohttpd.
 */
#ifndef CARECOOP_HTTP_GOV_COUNT_H
#define CARECOOP_HTTP_GOV_COUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db_gov.h"

/* Why a ballot was refused (the handler maps each to a status and field). */
enum gov_refusal {
	GOV_OK = 0,
	GOV_NO_PROPOSAL,    /* 404 id */
	GOV_NOT_OPEN,       /* 409 proposal: draft, or voting has closed */
	GOV_NOT_ELECTORATE, /* 403 voter: not in the snapshot taken at opening */
	GOV_NO_PROXY,       /* 403 on_behalf_of: holds no proxy for that member */
	GOV_BAD_CHOICE,     /* 400 choice / ranking / approve */
};

struct gov_cast {
	int64_t proposal_id;            /* in */
	int64_t person_id;              /* in: the caller's person */
	int64_t on_behalf_of;           /* in: a grantor's person id when voting as proxy, else 0 */
	int64_t user_id;                /* in: for the proxy log */
	int64_t now;                    /* in */
	char choice[DB_GOV_CHOICE_MAX]; /* in: as sent; made canonical */
	char receipt[DB_GOV_RECEIPT_MAX]; /* in: a fresh gov_receipt_new() */
	struct db_ballot ballot;          /* out: the appended entry */
	bool changed;                     /* out: it superseded an earlier ballot */
	enum gov_refusal refusal;         /* out, when the callback returns -2 */
	char field[32];                   /* out: the member at fault */
	char why[256];                    /* out: for a person */
};

/* db_tx callback: checks and casts c's ballot. Returns 1 (cast), -2
 * (refused: c->refusal, field and why set; nothing written) or -1. */
int gov_cast_tx(struct db *db, void *arg);

/* A fresh random receipt "ABCD-EFGH-JKMN-PQRS" (80 bits, Crockford base
 * 32). Returns 0, or -1 when the kernel gives no randomness. */
int gov_receipt_new(char out[DB_GOV_RECEIPT_MAX]);

/* A fresh 256-bit pepper as 64 hex digits. Returns 0 or -1. */
int gov_pepper_new(char out[DB_GOV_HASH_HEX]);

/* Inside a transaction: closes proposal id (open -> closed), counts it by
 * the rulebook version it opened under and records the result (-> decided).
 * Returns 1, 0 when the proposal is not open, -1 with err set. */
int gov_close_and_count(struct db *db, int64_t id, int64_t now, char *err, size_t errlen);

/* db_tx callback: closes and counts every open proposal whose closing time
 * has passed (arg: int64_t *now). Returns 1 or -1. */
int gov_close_due_tx(struct db *db, void *arg);

/* db_tx callback to open a draft: arg is struct gov_open. Returns 1, -2
 * when not a draft or when it has too few options, -1. */
struct gov_open {
	int64_t id, now;    /* in */
	int64_t electorate; /* out */
	int64_t rulebook;   /* out: the version used */
	char why[128];      /* out, on -2 */
};
int gov_open_tx(struct db *db, void *arg);

/* db_tx callback appointing a proxy: the proposal must be open, grantor
 * and holder in its electorate, the holder below the rulebook's
 * proxy_limit and the grantor without a live proxy. Returns 1 (a->id set),
 * -2 (refused: field and why set; field "voter", "proposal" or
 * "holder_id") or -1. */
struct gov_proxy {
	int64_t proposal_id, grantor, holder, user_id, now; /* in: people ids */
	int64_t id;                                         /* out: the proxy */
	char why[160], field[32];                           /* out, on -2 */
};
int gov_proxy_appoint_tx(struct db *db, void *arg);

/* The election of proposal id as BLT text (malloc'd, caller frees), from
 * the ballots that count. Returns 1, 0 when not an election, -1. */
int gov_blt(struct db *db, int64_t id, char **out);

#endif
