/*
 * demo_gov: the demo co-op's rulebook, proposals and ballots. Ballots go
 * through the same gov_cast_tx and gov_close_and_count as the server's, at
 * times in the past for the proposals already decided, so that their
 * chains, receipts and recorded results are exactly what the server would
 * have made.
 */
#include "demo_gov.h"

#include <string.h>

#include "core/tally.h"
#include "core/text.h"
#include "db/db_gov.h"
#include "http/gov_count.h"

#define DAY        86400
#define VOTERS_MAX 256

struct voter_list {
	int64_t person[VOTERS_MAX];
	bool login[VOTERS_MAX];
	size_t n;
};

static int collect_voter(int64_t person_id, const char *class_code, bool has_login, void *arg)
{
	struct voter_list *v = arg;

	(void)class_code;
	if (v->n < VOTERS_MAX) {
		v->person[v->n] = person_id;
		v->login[v->n++] = has_login;
	}
	return 0;
}

struct demo_proposal {
	const char *title, *body, *kind, *method;
	int seats;
	const char *options[6]; /* NULL-ended */
};

/* Creates and opens p at `opens`; *id gets its id and *voters the
 * electorate. */
static int demo_open(struct db *db, const struct demo_proposal *dp, int64_t author, int64_t opens,
		     int64_t closes, int64_t *id, struct voter_list *voters)
{
	struct db_proposal p;
	char labels[6][DB_GOV_LABEL_MAX];
	size_t n = 0;
	struct gov_open o = {.now = opens};

	memset(&p, 0, sizeof p);
	text_copy(p.title, sizeof p.title, dp->title);
	text_copy(p.body, sizeof p.body, dp->body);
	text_copy(p.kind, sizeof p.kind, dp->kind);
	text_copy(p.method, sizeof p.method, dp->method);
	p.seats = dp->seats;
	p.secret = true;
	p.author_id = author;
	p.closes_at = closes;
	while (n < 6 && dp->options[n] != NULL) {
		text_copy(labels[n], DB_GOV_LABEL_MAX, dp->options[n]);
		n++;
	}
	if (db_proposal_create(db, &p, opens - DAY, id) <= 0 ||
	    (n > 0 && db_options_set(db, *id, (const char(*)[DB_GOV_LABEL_MAX])labels, n) < 0))
		return -1;
	o.id = *id;
	if (gov_open_tx(db, &o) != 1)
		return -1;
	voters->n = 0;
	return db_electorate_people(db, *id, collect_voter, voters);
}

static int demo_cast(struct db *db, int64_t proposal, int64_t person, const char *choice,
		     int64_t at)
{
	struct gov_cast c;

	memset(&c, 0, sizeof c);
	c.proposal_id = proposal;
	c.person_id = person;
	c.now = at;
	text_copy(c.choice, sizeof c.choice, choice);
	if (gov_receipt_new(c.receipt) != 0)
		return -1;
	return gov_cast_tx(db, &c) == 1 ? 1 : -1;
}

static int demo_rulebook(struct db *db, int64_t now)
{
	static const struct {
		const char *code;
		int percent;
	} shares[] = {{"worker", 50}, {"recipient", 25}, {"supporter", 10}, {"investor", 15}};
	struct db_rulebook rb;

	memset(&rb, 0, sizeof rb);
	tally_rulebook_default(&rb.rules);
	rb.rules.weighting = TALLY_CLASS_SHARES;
	rb.rules.empty_class = TALLY_EMPTY_EXCLUDE;
	rb.rules.proxy_limit = 5;
	tally_frac_make(1, 4, &rb.rules.quorum);
	for (size_t i = 0; i < sizeof shares / sizeof shares[0]; i++) {
		struct tally_class_share *s = &rb.rules.classes[rb.rules.n_classes++];
		text_copy(s->code, sizeof s->code, shares[i].code);
		tally_frac_make(shares[i].percent, 100, &s->share);
	}
	text_copy(rb.note, sizeof rb.note,
		  "Adopted at the 2025 AGM: workers 50 %, people receiving care 25 %, "
		  "supporters 10 %, investors 15 %; quorum a quarter of the members.");
	return db_rulebook_insert(db, &rb, 0, now - 400 * DAY, NULL) == 1 ? 1 : -1;
}

int demo_governance(struct db *db, int64_t now, int64_t author)
{
	static const struct demo_proposal surplus = {
		"Share the 2026–27 surplus",
		"The draft accounts for the year to 31 March 2027 show a surplus. The board "
		"proposes to share it by the co-op's surplus rules: 20 % to the general reserve, "
		"10 % to the community fund, interest of 2 % on share capital (at most £50 a "
		"member), and the rest as a dividend: 60 % to the carer-workers by hours worked, "
		"30 % to the people receiving care by hours of care received, 5 % to supporters "
		"equally and 5 % to community investors by share capital.",
		"ordinary",
		"yesno",
		1,
		{NULL}};
	static const struct demo_proposal investors = {
		"Let non-member investors hold shares",
		"Change rule 14 so that community investors who are not members may hold "
		"withdrawable shares, without a vote. A change to the rules needs a special "
		"resolution: at least three quarters of the weighted vote.",
		"special",
		"yesno",
		1,
		{NULL}};
	static const struct demo_proposal rota = {
		"Adopt the 2027 rota principles",
		"Every person receiving care keeps a team of at most four regular carers; carers "
		"get at least 15 minutes of travel time between visits; rotas are published by "
		"Thursday noon for the following week.",
		"ordinary",
		"yesno",
		1,
		{NULL}};
	static const struct demo_proposal board = {
		"Elect three members to the board",
		"Three seats on the board are up for election. Rank the candidates in order of "
		"preference; the count uses the single transferable vote as in Scottish council "
		"elections.",
		"election",
		"stv",
		3,
		{"Helen Ward", "Amira Khalil", "Tom Okafor", "Susan Ellis", "Dawit Bekele", NULL}};
	static const char *const rankings[] = {"1>2>4", "2>1", "3>5>1", "4>2>1>3",
					       "2>4",   "5>3", "1>4",   "2>1>3"};
	static struct voter_list v; /* large; one demo per process */
	char err[256];
	int64_t id, opens, closes;

	if (demo_rulebook(db, now) < 0)
		return -1;

	/* Decided and carried: nearly everyone voted, most for. */
	opens = now - 60 * DAY;
	closes = now - 46 * DAY;
	if (demo_open(db, &surplus, author, opens, closes, &id, &v) < 0)
		return -1;
	for (size_t i = 0; i < v.n; i++)
		if (i % 6 != 5 && demo_cast(db, id, v.person[i],
					    i % 9 == 4    ? "against"
					    : i % 11 == 7 ? "abstain"
							  : "for",
					    opens + 3600 * (int64_t)(i + 1)) < 0)
			return -1;
	if (gov_close_and_count(db, id, closes, err, sizeof err) != 1)
		return -1;

	/* Closed and lost: a majority for, short of three quarters. */
	opens = now - 40 * DAY;
	closes = now - 26 * DAY;
	if (demo_open(db, &investors, author, opens, closes, &id, &v) < 0)
		return -1;
	for (size_t i = 0; i < v.n; i++)
		if (i % 4 != 3 && demo_cast(db, id, v.person[i], i % 3 == 0 ? "against" : "for",
					    opens + 3600 * (int64_t)(i + 1)) < 0)
			return -1;
	if (gov_close_and_count(db, id, closes, err, sizeof err) != 1)
		return -1;

	/* Open: members without a login have voted on paper; the rest can vote. */
	opens = now - 2 * DAY;
	if (demo_open(db, &rota, author, opens, now + 14 * DAY, &id, &v) < 0)
		return -1;
	for (size_t i = 0; i < v.n; i++)
		if (!v.login[i] && demo_cast(db, id, v.person[i], i % 4 == 1 ? "against" : "for",
					     opens + 600 * (int64_t)(i + 1)) < 0)
			return -1;
	if (demo_open(db, &board, author, opens, now + 10 * DAY, &id, &v) < 0)
		return -1;
	for (size_t i = 0, k = 0; i < v.n; i++)
		if (!v.login[i] && demo_cast(db, id, v.person[i],
					     rankings[k++ % (sizeof rankings / sizeof rankings[0])],
					     opens + 900 * (int64_t)(i + 1)) < 0)
			return -1;
	return 1;
}
