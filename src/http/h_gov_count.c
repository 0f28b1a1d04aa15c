/*
 * gov_count: casting a ballot, opening a proposal, and closing and counting
 * it, each the body of one transaction (see gov_count.h). The counting is
 * core/tally (resolutions, polls) and core/stv (STV and approval); this file
 * only turns rows into their inputs and their results into the recorded JSON.
 */
#include "http/gov_count.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/token.h"
#include "core/blt.h"
#include "core/stv.h"
#include "core/tally.h"
#include "core/text.h"

#define BLT_MAX (64u * 1024 * 1024)

static int refuse(struct gov_cast *c, enum gov_refusal r, const char *field, const char *why)
{
	c->refusal = r;
	text_copy(c->field, sizeof c->field, field);
	text_copy(c->why, sizeof c->why, why);
	return -2;
}

int gov_receipt_new(char out[DB_GOV_RECEIPT_MAX])
{
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; /* Crockford */
	unsigned char raw[10];
	size_t o = 0;

	if (token_random_bytes(raw, sizeof raw) != 0)
		return -1;
	/* 80 bits as 16 characters of 5 bits, in groups of four. */
	for (int i = 0; i < 16; i++) {
		int bit = i * 5, byte = bit / 8, shift = bit % 8;
		unsigned v = (unsigned)raw[byte] << 8 | (byte + 1 < 10 ? raw[byte + 1] : 0);
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = alphabet[(v >> (11 - shift)) & 31];
	}
	out[o] = '\0';
	token_wipe(raw, sizeof raw);
	return 0;
}

int gov_pepper_new(char out[DB_GOV_HASH_HEX])
{
	return token_new_hex(out);
}

/* Checks a choice against the method and the number of options, and
 * rewrites it in canonical form: "for", "against", "abstain"; a ranking
 * "3>1>2"; approvals ascending "1,3" ("" approves none). */
static int choice_canonical(const char *method, int64_t options, char *choice, size_t n, char *why,
			    size_t whylen)
{
	bool seen[DB_GOV_OPTIONS_MAX + 1] = {false};
	int order[DB_GOV_OPTIONS_MAX];
	size_t count = 0;
	const char *p = choice;
	char out[DB_GOV_CHOICE_MAX] = "";
	size_t o = 0;

	if (strcmp(method, "yesno") == 0) {
		if (strcmp(choice, "for") == 0 || strcmp(choice, "against") == 0 ||
		    strcmp(choice, "abstain") == 0)
			return 0;
		snprintf(why, whylen, "choose for, against or abstain");
		return -1;
	}
	bool ranked = strcmp(method, "stv") == 0;
	char sep = ranked ? '>' : ',';
	while (*p != '\0') {
		int64_t v = 0;
		const char *start = p;
		while (*p >= '0' && *p <= '9' && p - start < 4)
			v = v * 10 + (*p++ - '0');
		if (p == start || v < 1 || v > options || (*p != '\0' && *p != sep)) {
			snprintf(why, whylen,
				 "each choice must be a candidate number from 1 to %lld",
				 (long long)options);
			return -1;
		}
		if (seen[v]) {
			snprintf(why, whylen, "candidate %lld is chosen twice", (long long)v);
			return -1;
		}
		seen[v] = true;
		order[count++] = (int)v;
		if (*p == sep)
			p++;
	}
	if (ranked && count == 0) {
		snprintf(why, whylen, "rank at least one candidate");
		return -1;
	}
	for (size_t i = 0; i < count; i++) {
		int v = order[i];
		if (!ranked) { /* approvals: ascending */
			v = 0;
			for (int k = 1, seen_n = 0; k <= options; k++)
				if (seen[k] && seen_n++ == (int)i) {
					v = k;
					break;
				}
		}
		int w = snprintf(out + o, sizeof out - o, "%s%d", i > 0 ? (ranked ? ">" : ",") : "",
				 v);
		if (w < 0 || (size_t)w >= sizeof out - o)
			return -1;
		o += (size_t)w;
	}
	text_copy(choice, n, out);
	return 0;
}

int gov_cast_tx(struct db *db, void *arg)
{
	struct gov_cast *c = arg;
	struct db_proposal *p = malloc(sizeof *p);
	struct db_proxy proxy;
	char pepper[DB_GOV_HASH_HEX], why[200];
	int64_t voter = c->person_id, options;
	bool by_proxy = c->on_behalf_of > 0 && c->on_behalf_of != c->person_id;
	int rc = -1;

	if (p == NULL)
		return -1;
	if ((rc = db_proposal_get(db, c->proposal_id, p)) <= 0) {
		rc = rc < 0 ? -1 : refuse(c, GOV_NO_PROPOSAL, "id", "no such proposal");
		goto out;
	}
	if (strcmp(p->status, "open") != 0 || (p->closes_at > 0 && c->now >= p->closes_at)) {
		rc = refuse(
			c, GOV_NOT_OPEN, "proposal",
			strcmp(p->status, "draft") == 0
				? "this proposal is not open for voting yet"
				: "voting on this proposal has closed; your vote was not counted");
		goto out;
	}
	if (by_proxy) {
		rc = db_proxy_live(db, c->proposal_id, c->on_behalf_of, &proxy);
		if (rc < 0)
			goto out;
		if (rc == 0 || proxy.holder_id != c->person_id) {
			rc = refuse(c, GOV_NO_PROXY, "on_behalf_of",
				    "you do not hold a proxy from that member for this proposal");
			goto out;
		}
		voter = c->on_behalf_of;
	}
	c->ballot.proposal_id = c->proposal_id;
	rc = db_electorate_class(db, c->proposal_id, voter, c->ballot.class_code);
	if (rc <= 0) {
		rc = rc < 0 ? -1
			    : refuse(c, GOV_NOT_ELECTORATE, "voter",
				     by_proxy ? "that member is not in the electorate of this "
						"proposal"
					      : "only members in good standing when this proposal "
						"opened may vote on it");
		goto out;
	}
	if ((options = db_option_count(db, c->proposal_id)) < 0)
		goto out;
	if (choice_canonical(p->method, options, c->choice, sizeof c->choice, why, sizeof why) <
	    0) {
		rc = refuse(c, GOV_BAD_CHOICE,
			    strcmp(p->method, "stv") == 0        ? "ranking"
			    : strcmp(p->method, "approval") == 0 ? "approve"
								 : "choice",
			    why);
		goto out;
	}
	if ((rc = db_proposal_pepper(db, c->proposal_id, pepper)) <= 0) {
		rc = -1;
		goto out;
	}
	db_gov_tag(pepper, voter, c->ballot.voter_tag);
	token_wipe(pepper, sizeof pepper);
	if ((rc = db_ballot_live_by_tag(db, c->proposal_id, c->ballot.voter_tag,
					c->ballot.supersedes)) < 0)
		goto out;
	c->changed = rc == 1;
	text_copy(c->ballot.receipt, sizeof c->ballot.receipt, c->receipt);
	text_copy(c->ballot.choice, sizeof c->ballot.choice, c->choice);
	if (db_ballot_append(db, &c->ballot) <= 0 ||
	    db_voter_record(db, c->proposal_id, voter, c->person_id, c->now,
			    p->secret ? NULL : c->receipt) < 0) {
		rc = -1;
		goto out;
	}
	if (by_proxy) {
		rc = db_proxy_use(db, proxy.id, c->user_id, c->now) < 0 ? -1 : 1;
	} else {
		/* Voting in person takes back a proxy given for this proposal. */
		rc = db_proxy_live(db, c->proposal_id, voter, &proxy);
		if (rc == 1)
			rc = db_proxy_revoke(db, proxy.id, c->user_id, c->now) < 0 ? -1 : 1;
		else if (rc == 0)
			rc = 1;
	}
out:
	free(p);
	return rc;
}

struct shares_check {
	const struct tally_rulebook *rb;
	char missing[33];
};

static int check_share(const char *code, const char *name, int64_t members, void *arg)
{
	struct shares_check *sc = arg;

	(void)name;
	(void)members;
	if (sc->rb->weighting != TALLY_CLASS_SHARES)
		return 0;
	for (size_t i = 0; i < sc->rb->n_classes; i++)
		if (strcmp(sc->rb->classes[i].code, code) == 0)
			return 0;
	text_copy(sc->missing, sizeof sc->missing, code);
	return 1;
}

int gov_open_tx(struct db *db, void *arg)
{
	struct gov_open *o = arg;
	struct db_proposal *p = malloc(sizeof *p);
	struct db_rulebook rb;
	char pepper[DB_GOV_HASH_HEX];
	int64_t options;
	int rc = -1;

	if (p == NULL)
		return -1;
	if ((rc = db_proposal_get(db, o->id, p)) <= 0) {
		rc = rc < 0 ? -1 : -2;
		text_copy(o->why, sizeof o->why, "no such proposal");
		goto out;
	}
	if (strcmp(p->status, "draft") != 0) {
		rc = -2;
		snprintf(o->why, sizeof o->why, "this proposal is %s, not a draft", p->status);
		goto out;
	}
	if ((options = db_option_count(db, o->id)) < 0)
		goto out;
	if (strcmp(p->method, "yesno") != 0 && options < p->seats + (p->seats > 1 ? 0 : 1)) {
		rc = -2;
		snprintf(o->why, sizeof o->why,
			 "an election for %d seats needs at least %d candidates", p->seats,
			 p->seats + (p->seats > 1 ? 0 : 1));
		goto out;
	}
	if (db_rulebook_current(db, &rb) <= 0 || gov_pepper_new(pepper) != 0)
		goto out;
	o->rulebook = rb.version;
	rc = db_proposal_open(db, o->id, rb.version, pepper, o->now, &o->electorate);
	token_wipe(pepper, sizeof pepper);
	if (rc == 0) {
		rc = -2;
		text_copy(o->why, sizeof o->why, "this proposal is not a draft");
	} else if (rc == 1 && strcmp(p->method, "yesno") == 0) {
		/* Every class of the snapshot must be one the rulebook can weigh,
		 * or the count at close would fail: refuse now (rolled back). */
		struct shares_check sc = {.rb = &rb.rules};
		if (db_electorate_each(db, o->id, check_share, &sc) < 0) {
			rc = -1;
		} else if (sc.missing[0] != '\0') {
			rc = -2;
			snprintf(o->why, sizeof o->why,
				 "the rulebook gives no share to the class %s; add it in a new "
				 "rulebook version first",
				 sc.missing);
		}
	}
out:
	free(p);
	return rc;
}

/* ---- proxies ---- */

int gov_proxy_appoint_tx(struct db *db, void *arg)
{
	struct gov_proxy *a = arg;
	struct db_proposal *p = malloc(sizeof *p);
	struct db_rulebook rb;
	char cls[33];
	int64_t held;
	int rc = -1;

	if (p == NULL)
		return -1;
	if (db_proposal_get(db, a->proposal_id, p) <= 0 ||
	    db_rulebook_get(db, p->rulebook_version, &rb) < 0)
		goto out;
	rc = -2;
	text_copy(a->field, sizeof a->field, "proposal");
	if (strcmp(p->status, "open") != 0) {
		text_copy(a->why, sizeof a->why, "proxies are appointed while a proposal is open");
		goto out;
	}
	text_copy(a->field, sizeof a->field, "voter");
	if ((rc = db_electorate_class(db, a->proposal_id, a->grantor, cls)) <= 0) {
		text_copy(a->why, sizeof a->why,
			  "only a member in the electorate can appoint a proxy");
		rc = rc < 0 ? -1 : -2;
		goto out;
	}
	text_copy(a->field, sizeof a->field, "holder_id");
	if ((rc = db_electorate_class(db, a->proposal_id, a->holder, cls)) <= 0) {
		text_copy(a->why, sizeof a->why, "the proxy must be a member in the electorate");
		rc = rc < 0 ? -1 : -2;
		goto out;
	}
	rc = -2;
	if ((held = db_proxy_held(db, a->proposal_id, a->holder)) < 0) {
		rc = -1;
		goto out;
	}
	if (held >= rb.rules.proxy_limit) {
		snprintf(a->why, sizeof a->why,
			 "that member already holds %lld proxies, the most the rulebook allows",
			 (long long)held);
		goto out;
	}
	rc = db_proxy_appoint(db, a->proposal_id, a->grantor, a->holder, a->user_id, a->now,
			      &a->id);
	if (rc == 0) {
		text_copy(a->field, sizeof a->field, "proposal");
		text_copy(a->why, sizeof a->why,
			  "you have already appointed a proxy for this proposal; revoke it first");
		rc = -2;
	}
out:
	free(p);
	return rc;
}

/* ---- counting ---- */

static json_t *frac_json(struct tally_frac f)
{
	char pct[TALLY_PERCENT_MAX];

	if (tally_frac_percent(f, 2, pct, sizeof pct) != 0)
		text_copy(pct, sizeof pct, "");
	return json_pack("{s:I, s:I, s:s}", "num", (json_int_t)f.num, "den", (json_int_t)f.den,
			 "percent", pct);
}

struct class_names {
	char code[TALLY_CLASSES_MAX][33];
	char name[TALLY_CLASSES_MAX][201];
	size_t n;
};

static int add_class_name(const char *code, const char *name, int64_t members, void *arg)
{
	struct class_names *c = arg;

	(void)members;
	if (c->n < TALLY_CLASSES_MAX) {
		text_copy(c->code[c->n], sizeof c->code[c->n], code);
		text_copy(c->name[c->n++], sizeof c->name[0], name);
	}
	return 0;
}

static const char *class_name(const struct class_names *c, const char *code)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->code[i], code) == 0)
			return c->name[i];
	return code;
}

static json_t *yesno_result(struct db *db, const struct db_proposal *p,
			    const struct db_rulebook *rb, const char **outcome, char *err,
			    size_t errlen)
{
	struct tally_class_count counts[TALLY_CLASSES_MAX];
	struct tally_result r;
	struct class_names names = {.n = 0};
	enum tally_kind kind = strcmp(p->kind, "special") == 0 ? TALLY_SPECIAL
			       : strcmp(p->kind, "poll") == 0  ? TALLY_POLL
							       : TALLY_ORDINARY;
	enum tally_error te;
	json_t *classes, *o;
	size_t n = 0;

	if (db_ballot_counts(db, p->id, counts, TALLY_CLASSES_MAX, &n) < 0 ||
	    db_electorate_each(db, p->id, add_class_name, &names) < 0) {
		snprintf(err, errlen, "could not read the ballots: %s", db_errmsg(db));
		return NULL;
	}
	te = tally_count(&rb->rules, kind, counts, n, &r);
	if (te != TALLY_OK) {
		snprintf(err, errlen, "the count failed: %s", tally_error_message(te));
		return NULL;
	}
	*outcome = r.outcome == TALLY_CARRIED ? "carried" : "lost";
	classes = json_array();
	for (size_t i = 0; i < r.n_classes; i++) {
		const struct tally_class_result *c = &r.classes[i];
		json_array_append_new(
			classes,
			json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:b}", "code",
				  c->code, "name", class_name(&names, c->code), "yes",
				  (json_int_t)c->yes, "no", (json_int_t)c->no, "abstain",
				  (json_int_t)c->abstain, "electorate", (json_int_t)c->electorate,
				  "cast", (json_int_t)c->cast, "share", frac_json(c->share),
				  "weight", frac_json(c->weight), "yes_fraction",
				  frac_json(c->yes_fraction), "majority", c->majority));
	}
	o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:b, s:o, s:b, s:b, s:I, s:I, s:I, s:I, s:I, "
		      "s:o}",
		      "method", "yesno", "outcome", *outcome, "tally_outcome",
		      tally_outcome_code(r.outcome), "yes_share", frac_json(r.yes_share),
		      "threshold", frac_json(r.threshold), "threshold_inclusive",
		      r.threshold_inclusive, "turnout", frac_json(r.turnout), "quorum_met",
		      r.quorum_met, "majority_every_class", r.majority_every_class, "ballots",
		      (json_int_t)r.ballots, "electorate", (json_int_t)r.electorate, "yes",
		      (json_int_t)r.yes, "no", (json_int_t)r.no, "abstain", (json_int_t)r.abstain,
		      "classes", classes);
	return o;
}

struct election_build {
	struct stv_election *e;
	int n_candidates;
	enum stv_error err;
};

static int add_candidate(int position, const char *label, void *arg)
{
	struct election_build *b = arg;

	if (position < 1 || position > b->n_candidates)
		return 0;
	if (b->err == STV_OK)
		b->err = stv_election_name(b->e, position - 1, label);
	return 0;
}

static int add_paper(const struct db_ballot *bal, bool live, void *arg)
{
	struct election_build *b = arg;
	int prefs[DB_GOV_OPTIONS_MAX];
	size_t n = 0;

	if (!live || b->err != STV_OK)
		return 0;
	for (const char *s = bal->choice; *s != '\0' && n < DB_GOV_OPTIONS_MAX;) {
		int v = 0;
		while (*s >= '0' && *s <= '9')
			v = v * 10 + (*s++ - '0');
		if (v >= 1 && v <= b->n_candidates)
			prefs[n++] = v - 1;
		if (*s != '\0')
			s++;
	}
	b->err = stv_election_add_ballot(b->e, 1, prefs, n);
	return 0;
}

/* The election of p from the live ballots; NULL on failure. */
static struct stv_election *election_of(struct db *db, const struct db_proposal *p)
{
	struct election_build b = {.e = stv_election_new()};
	int64_t n = db_option_count(db, p->id);

	if (b.e == NULL || n < 1 || n > DB_GOV_OPTIONS_MAX)
		goto fail;
	b.n_candidates = (int)n;
	b.err = stv_election_set(b.e, (int)n, p->seats <= n ? p->seats : (int)n);
	if (b.err == STV_OK)
		b.err = stv_election_name(b.e, -1, p->title);
	if (b.err != STV_OK || db_option_each(db, p->id, add_candidate, &b) < 0 ||
	    db_ballot_each(db, p->id, add_paper, &b) < 0 || b.err != STV_OK)
		goto fail;
	return b.e;
fail:
	stv_election_free(b.e);
	return NULL;
}

static json_t *elected_json(const struct stv_election *e, const int *elected, int n)
{
	json_t *a = json_array();

	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:i, s:s}", "position", elected[i] + 1,
						   "label", e->names[elected[i]]));
	return a;
}

static json_t *value_json(int64_t v)
{
	char buf[STV_VALUE_MAX];

	if (stv_format_value(v, buf, sizeof buf) != 0)
		text_copy(buf, sizeof buf, "");
	return json_string(buf);
}

static json_t *stv_result_json(const struct stv_election *e, const struct stv_result *r)
{
	static const char *const actions[] = {"first", "surplus", "exclusion"};
	static const char *const statuses[] = {"continuing", "elected", "excluded"};
	json_t *stages = json_array(), *names = json_array();

	for (int i = 0; i < e->n_candidates; i++)
		json_array_append_new(names, json_string(e->names[i]));
	for (size_t s = 0; s < r->n_stages; s++) {
		const struct stv_stage *st = &r->stages[s];
		json_t *totals = json_array(), *status = json_array();
		for (int i = 0; i < r->n_candidates; i++) {
			json_array_append_new(totals, value_json(st->totals[i]));
			json_array_append_new(status, json_string(statuses[st->status[i]]));
		}
		json_array_append_new(
			stages, json_pack("{s:i, s:s, s:o, s:o, s:b, s:o, s:o, s:o}", "stage",
					  (int)s + 1, "action", actions[st->action], "candidate",
					  st->candidate >= 0 ? json_integer(st->candidate + 1)
							     : json_null(),
					  "surplus", value_json(st->surplus), "lot", st->lot,
					  "totals", totals, "status", status, "non_transferable",
					  value_json(st->non_transferable)));
	}
	return json_pack("{s:s, s:s, s:i, s:I, s:I, s:o, s:o, s:b, s:o, s:o}", "method", "stv",
			 "outcome", "elected", "seats", r->seats, "valid_papers",
			 (json_int_t)r->valid_papers, "invalid_papers",
			 (json_int_t)r->invalid_papers, "quota", value_json(r->quota * STV_SCALE),
			 "candidates", names, "lot_used", r->lot_used, "elected",
			 elected_json(e, r->elected, r->n_elected), "stages", stages);
}

static json_t *approval_result_json(const struct stv_election *e,
				    const struct stv_approval_result *r, int seats)
{
	json_t *counts = json_array();

	for (int k = 0; k < r->n_candidates; k++) {
		int i = r->order[k];
		json_array_append_new(counts, json_pack("{s:i, s:s, s:I}", "position", i + 1,
							"label", e->names[i], "approvals",
							(json_int_t)r->approvals[i]));
	}
	return json_pack("{s:s, s:s, s:i, s:I, s:o, s:b, s:b, s:o}", "method", "approval",
			 "outcome", "elected", "seats", seats, "papers", (json_int_t)r->papers,
			 "approvals", counts, "tie_at_cutoff", r->tie_at_cutoff, "lot_used",
			 r->lot_used, "elected", elected_json(e, r->elected, r->n_elected));
}

static json_t *election_result(struct db *db, const struct db_proposal *p, char *err, size_t errlen)
{
	struct stv_election *e = election_of(db, p);
	json_t *o = NULL;

	if (e == NULL) {
		snprintf(err, errlen, "could not read the election");
		return NULL;
	}
	if (strcmp(p->method, "stv") == 0) {
		struct stv_result r;
		enum stv_error se;

		memset(&r, 0, sizeof r);
		se = stv_count(e, NULL, &r);
		if (se == STV_OK)
			o = stv_result_json(e, &r);
		else if (se == STV_ERR_INVALID && e->n_ballots == 0)
			o = json_pack("{s:s, s:s, s:i, s:I, s:o}", "method", "stv", "outcome",
				      "elected", "seats", e->seats, "valid_papers", (json_int_t)0,
				      "elected", json_array());
		else
			snprintf(err, errlen, "the count failed: %s", stv_error_message(se));
		stv_result_free(&r);
	} else {
		struct stv_approval_result r;
		enum stv_error se;

		memset(&r, 0, sizeof r);
		se = stv_approval_count(e, NULL, &r);
		if (se == STV_OK)
			o = approval_result_json(e, &r, e->seats);
		else
			snprintf(err, errlen, "the count failed: %s", stv_error_message(se));
		stv_approval_result_free(&r);
	}
	stv_election_free(e);
	return o;
}

struct chain_head {
	char hash[DB_GOV_HASH_HEX];
	int64_t entries, counted;
};

static int note_head(const struct db_ballot *b, bool live, void *arg)
{
	struct chain_head *h = arg;

	text_copy(h->hash, sizeof h->hash, b->hash);
	h->entries = b->seq;
	h->counted += live;
	return 0;
}

int gov_close_and_count(struct db *db, int64_t id, int64_t now, char *err, size_t errlen)
{
	struct db_proposal *p = malloc(sizeof *p);
	struct db_rulebook rb;
	struct chain_head head = {.hash = ""};
	const char *outcome = "elected";
	json_t *result = NULL;
	char *text = NULL;
	int rc = -1;

	if (p == NULL)
		return -1;
	if ((rc = db_proposal_close(db, id, now)) <= 0) {
		if (rc < 0)
			snprintf(err, errlen, "could not close: %s", db_errmsg(db));
		goto out;
	}
	rc = -1;
	if (db_proposal_get(db, id, p) <= 0 || db_rulebook_get(db, p->rulebook_version, &rb) <= 0 ||
	    db_ballot_each(db, id, note_head, &head) < 0) {
		snprintf(err, errlen, "could not read the proposal: %s", db_errmsg(db));
		goto out;
	}
	result = strcmp(p->method, "yesno") == 0 ? yesno_result(db, p, &rb, &outcome, err, errlen)
						 : election_result(db, p, err, errlen);
	if (result == NULL)
		goto out;
	json_object_set_new(result, "rulebook_version", json_integer(rb.version));
	json_object_set_new(result, "chain_head", json_string(head.hash));
	json_object_set_new(result, "entries", json_integer(head.entries));
	json_object_set_new(result, "counted", json_integer(head.counted));
	text = json_dumps(result, JSON_COMPACT | JSON_SORT_KEYS);
	if (text == NULL || db_proposal_decide(db, id, outcome, text, now) <= 0) {
		snprintf(err, errlen, "could not record the result");
		goto out;
	}
	rc = 1;
out:
	free(text);
	json_decref(result);
	free(p);
	return rc;
}

static int collect_due(int64_t id, void *arg)
{
	int64_t *ids = arg;

	for (int i = 0; i < 63; i++)
		if (ids[i] == 0) {
			ids[i] = id;
			return 0;
		}
	return 1;
}

int gov_close_due_tx(struct db *db, void *arg)
{
	int64_t now = *(int64_t *)arg, ids[64] = {0};
	char err[256];

	if (db_proposal_each_due(db, now, collect_due, ids) < 0)
		return -1;
	for (int i = 0; i < 63 && ids[i] != 0; i++)
		if (gov_close_and_count(db, ids[i], now, err, sizeof err) < 0)
			return -1;
	return 1;
}

int gov_blt(struct db *db, int64_t id, char **out)
{
	struct db_proposal *p = malloc(sizeof *p);
	struct stv_election *e = NULL;
	size_t len;
	int rc = -1;

	*out = NULL;
	if (p == NULL)
		return -1;
	if ((rc = db_proposal_get(db, id, p)) <= 0)
		goto done;
	if (strcmp(p->method, "yesno") == 0) {
		rc = 0;
		goto done;
	}
	rc = -1;
	if ((e = election_of(db, p)) == NULL)
		goto done;
	if (blt_write_buf(e, BLT_MAX, out, &len) == STV_OK)
		rc = 1;
done:
	stv_election_free(e);
	free(p);
	return rc;
}
