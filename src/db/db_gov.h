/*
 * db_gov: governance storage: rulebook versions, proposals and their
 * lifecycle, options and candidates, the electorate snapshot, the turnout
 * list (who voted), the hash-chained ballot log (what was voted), proxies
 * and comments. Knows nothing of HTTP; counting is core/tally and core/stv.
 *
 * Secret ballots: nothing in `voters` names a ballot and nothing in
 * `ballots` names a voter. While a proposal is open each ballot carries a
 * voter tag, SHA-256(pepper, person), so that a changed vote supersedes
 * the right entry; the pepper and the tags are erased when it closes
 * (docs/ARCHITECTURE.md "Governance").
 *
 * Returns follow db.h: -1 error, 0 not found / refused / taken, 1 ok.
 */
#ifndef CARECOOP_DB_GOV_H
#define CARECOOP_DB_GOV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/tally.h"
#include "db/db.h"

#define DB_GOV_TITLE_MAX   201  /* bytes with NUL */
#define DB_GOV_BODY_MAX    8001 /* bytes with NUL */
#define DB_GOV_LABEL_MAX   201  /* an option or candidate */
#define DB_GOV_OPTIONS_MAX 30   /* candidates or options on one ballot */
#define DB_GOV_RECEIPT_MAX 24   /* "ABCD-EFGH-JKMN-PQRS" with NUL */
#define DB_GOV_CHOICE_MAX  128  /* "for", "3>1>2", "1,4" */
#define DB_GOV_HASH_HEX    65   /* SHA-256 as hex with NUL */
#define DB_GOV_NOTE_MAX    501

/* A rulebook version: the counting rules (core/tally.h) plus its number. */
struct db_rulebook {
	int64_t version;             /* 1, 2, ... */
	struct tally_rulebook rules; /* class codes are member_classes.code */
	char note[DB_GOV_NOTE_MAX];  /* why this version was made */
	int64_t created_at;          /* UTC seconds */
};

/* The newest rulebook (1), or 0 when there is none. */
int db_rulebook_current(struct db *db, struct db_rulebook *out);

/* Rulebook `version` (1), or 0 when there is no such version. */
int db_rulebook_get(struct db *db, int64_t version, struct db_rulebook *out);

/* Adds rb as the next version (rb->version is ignored; *version gets the
 * new one). Class shares must be whole percents of existing class codes;
 * a class code unknown to member_classes gives 0, after the version row
 * was written: call it inside db_tx() and roll back on 0. */
int db_rulebook_insert(struct db *db, const struct db_rulebook *rb, int64_t user_id, int64_t now,
		       int64_t *version);

/* Each rulebook version, newest first. fn returns non-zero to stop. */
int db_rulebook_each(struct db *db, int (*fn)(const struct db_rulebook *rb, void *arg), void *arg);

struct db_proposal {
	int64_t id;
	char title[DB_GOV_TITLE_MAX];
	char body[DB_GOV_BODY_MAX];
	char kind[12];   /* ordinary, special, election, poll */
	char status[12]; /* draft, open, closed, decided */
	char method[12]; /* yesno, stv, approval */
	int seats;       /* elections: seats to fill; else 1 */
	bool secret;     /* the voter list never links to a ballot */
	int64_t author_id;
	char author[101]; /* the author's known_as, "" when gone */
	int64_t opens_at, closes_at;
	int64_t created_at, closed_at, decided_at; /* 0 when not yet */
	int64_t rulebook_version;                  /* 0 until opened */
	char outcome[12];                          /* "" until decided */
	int64_t electorate;                        /* members in the snapshot */
	int64_t voted;                             /* members who have voted */
};

/* Inserts p as a draft; *id gets its id. */
int db_proposal_create(struct db *db, const struct db_proposal *p, int64_t now, int64_t *id);

/* Replaces title, body, kind, method, seats, secret and times of a draft.
 * 0 when p->id is not a draft. */
int db_proposal_update_draft(struct db *db, const struct db_proposal *p);

int db_proposal_get(struct db *db, int64_t id, struct db_proposal *out);

/* Each proposal, newest first; drafts only when with_drafts. */
int db_proposal_each(struct db *db, bool with_drafts,
		     int (*fn)(const struct db_proposal *p, void *arg), void *arg);

/* Replaces a proposal's options (labels[0] is position 1). */
int db_options_set(struct db *db, int64_t proposal_id, const char (*labels)[DB_GOV_LABEL_MAX],
		   size_t n);
int db_option_each(struct db *db, int64_t proposal_id,
		   int (*fn)(int position, const char *label, void *arg), void *arg);
int64_t db_option_count(struct db *db, int64_t proposal_id);

/* draft -> open: records the rulebook version and the pepper, and takes
 * the electorate snapshot (members in good standing, not left, with their
 * class) in the caller's transaction. *electorate gets its size. 0 when
 * the proposal is not a draft. */
int db_proposal_open(struct db *db, int64_t id, int64_t rulebook_version, const char *pepper,
		     int64_t now, int64_t *electorate);

/* open -> closed: erases the pepper, the ballots' voter tags and the
 * voters' times and change counts. 0 when the proposal is not open. */
int db_proposal_close(struct db *db, int64_t id, int64_t now);

/* closed -> decided with outcome ("carried", "lost", "elected") and the
 * result JSON. 0 when the proposal is not closed. */
int db_proposal_decide(struct db *db, int64_t id, const char *outcome, const char *result,
		       int64_t now);

/* The recorded result JSON, malloc'd into *out (caller frees); 0 if none. */
int db_proposal_result(struct db *db, int64_t id, char **out);

/* The open proposal's pepper (64 hex). 0 when none (not open). */
int db_proposal_pepper(struct db *db, int64_t id, char out[DB_GOV_HASH_HEX]);

/* Each open proposal whose closes_at has passed (for closing on read). */
int db_proposal_each_due(struct db *db, int64_t now, int (*fn)(int64_t id, void *arg), void *arg);

/* The current membership of a login: person and class code, when in good
 * standing. 1, or 0 when the user is not a member in good standing. */
int db_gov_member_of_user(struct db *db, int64_t user_id, int64_t *person_id, char class_code[33]);

/* The class a person had in a proposal's electorate (1), 0 if not in it. */
int db_electorate_class(struct db *db, int64_t proposal_id, int64_t person_id, char class_code[33]);

/* Per class of the snapshot: code and members, in class order. */
int db_electorate_each(struct db *db, int64_t proposal_id,
		       int (*fn)(const char *code, const char *name, int64_t members, void *arg),
		       void *arg);

/* Each member of a proposal's electorate: person, class code and whether
 * the person has a login, by person id. */
int db_electorate_people(struct db *db, int64_t proposal_id,
			 int (*fn)(int64_t person_id, const char *class_code, bool has_login,
				   void *arg),
			 void *arg);

struct db_voter {
	int64_t person_id, cast_by;
	int64_t voted_at;                 /* 0 after close */
	int changes;                      /* times the vote was changed */
	char receipt[DB_GOV_RECEIPT_MAX]; /* open ballots only; "" when secret */
	char known_as[101];
};

int db_voter_get(struct db *db, int64_t proposal_id, int64_t person_id, struct db_voter *out);

/* Records that person voted (cast_by: the proxy holder or the person). On
 * a change the row's time and cast_by are updated and `changes` raised.
 * receipt: NULL for a secret ballot. */
int db_voter_record(struct db *db, int64_t proposal_id, int64_t person_id, int64_t cast_by,
		    int64_t now, const char *receipt);

/* The turnout list: each voter by name. */
int db_voter_each(struct db *db, int64_t proposal_id,
		  int (*fn)(const struct db_voter *v, void *arg), void *arg);

struct db_ballot {
	int64_t proposal_id;
	int64_t seq; /* 1, 2, ... in the proposal's log */
	char receipt[DB_GOV_RECEIPT_MAX];
	char class_code[33];
	char choice[DB_GOV_CHOICE_MAX];
	char supersedes[DB_GOV_RECEIPT_MAX]; /* "" for a first vote */
	char prev_hash[DB_GOV_HASH_HEX];
	char hash[DB_GOV_HASH_HEX];
	char voter_tag[DB_GOV_HASH_HEX]; /* "" after close */
};

/* Appends b to the proposal's ballot log: fills b->seq, prev_hash and hash
 * from the current head. 0 when the receipt is already used. */
int db_ballot_append(struct db *db, struct db_ballot *b);

/* The receipt of the live (not superseded) ballot with this voter tag; 0
 * when the voter has none. */
int db_ballot_live_by_tag(struct db *db, int64_t proposal_id, const char *tag,
			  char receipt[DB_GOV_RECEIPT_MAX]);

/* Each ballot in log order, with whether it still counts. */
int db_ballot_each(struct db *db, int64_t proposal_id,
		   int (*fn)(const struct db_ballot *b, bool live, void *arg), void *arg);

/* Live ballots as tally counts: one entry per class of the electorate
 * snapshot with its yes/no/abstain and electorate. *n gets the entries. */
int db_ballot_counts(struct db *db, int64_t proposal_id, struct tally_class_count *counts,
		     size_t cap, size_t *n);

/* The canonical text of a ballot for the chain: one field a line,
 * "carecoop-ballot/1", proposal, seq, receipt, class, choice, supersedes.
 * Returns the length, or -1 when n is too small. */
int db_ballot_canonical(const struct db_ballot *b, char *buf, size_t n);

/* hash = SHA-256 of the text prev_hash (hex) followed by the canonical
 * text, as lower-case hex. */
void db_ballot_hash(const char *prev_hash, const char *canonical, char out[DB_GOV_HASH_HEX]);

/* SHA-256(a ":" b) as hex: voter tags. */
void db_gov_tag(const char *pepper, int64_t person_id, char out[DB_GOV_HASH_HEX]);

/* Walks the proposal's chain. Returns 1 (intact; *n ballots), 0 (broken:
 * *bad_seq is the first entry whose link or hash does not hold, and why
 * says what) or -1. */
int db_ballot_verify(struct db *db, int64_t proposal_id, int64_t *n, int64_t *bad_seq, char *why,
		     size_t whylen);

struct db_proxy {
	int64_t id, proposal_id, grantor_id, holder_id;
	char grantor[101], holder[101];            /* known_as */
	int64_t appointed_at, used_at, revoked_at; /* 0 when not */
};

/* The live (not revoked) proxy a grantor gave for a proposal, 0 if none. */
int db_proxy_live(struct db *db, int64_t proposal_id, int64_t grantor_id, struct db_proxy *out);

/* A proxy by id within a proposal. */
int db_proxy_get(struct db *db, int64_t proposal_id, int64_t id, struct db_proxy *out);

/* Live proxies held by holder on a proposal (-1 on error). */
int64_t db_proxy_held(struct db *db, int64_t proposal_id, int64_t holder_id);

/* Appoints and logs. 0 when the grantor already has a live proxy. */
int db_proxy_appoint(struct db *db, int64_t proposal_id, int64_t grantor_id, int64_t holder_id,
		     int64_t user_id, int64_t now, int64_t *id);

/* Revokes and logs. 0 when already revoked. */
int db_proxy_revoke(struct db *db, int64_t id, int64_t user_id, int64_t now);

/* Marks used (each use logged). */
int db_proxy_use(struct db *db, int64_t id, int64_t user_id, int64_t now);

/* Proxies of a proposal given or held by person (0: all). */
int db_proxy_each(struct db *db, int64_t proposal_id, int64_t person_id,
		  int (*fn)(const struct db_proxy *p, void *arg), void *arg);

struct db_proxy_event {
	int64_t proxy_id, at;
	char action[12]; /* appointed, used, revoked */
	char grantor[101], holder[101];
};

int db_proxy_log_each(struct db *db, int64_t proposal_id,
		      int (*fn)(const struct db_proxy_event *e, void *arg), void *arg);

struct db_comment {
	int64_t id, person_id, at;
	char author[101];
	char body[DB_GOV_BODY_MAX];
};

int db_comment_add(struct db *db, int64_t proposal_id, int64_t person_id, const char *body,
		   int64_t now, int64_t *id);
int db_comment_each(struct db *db, int64_t proposal_id,
		    int (*fn)(const struct db_comment *c, void *arg), void *arg);

#endif
