/*
 * stv: the single transferable vote as the Scottish Local Government
 * Elections Order 2007 (SSI 2007/42), Schedule 1, rules 45-52 counts it,
 * and approval voting over the same ballots.
 *
 * The count follows the rules step by step:
 *   45  first preferences; papers naming no standing candidate are not
 *       valid papers (they never reach the count);
 *   46  quota = floor(valid papers / (seats + 1)) + 1;
 *   47  a candidate whose votes equal or exceed the quota is deemed elected
 *       (several at one stage: in order of votes, then of candidate order);
 *   48  the surplus of an elected candidate is transferred on every paper
 *       the candidate holds (inclusive), each at the transfer value
 *       surplus x value of the paper / candidate's total votes, to five
 *       decimal places with any remainder ignored; the candidate keeps the
 *       quota; papers with no next available preference are
 *       non-transferable; value cut off by the truncation is recorded;
 *   49  the largest surplus first; equal surpluses: the candidate with more
 *       votes at the most recent preceding stage at which they differed;
 *       equal at every stage: lot;
 *   50  with no surplus left to transfer, the candidate with fewest votes
 *       is excluded and each of their papers passes on at its current value;
 *   51  equal lowest: fewest votes at the most recent preceding stage at
 *       which they differed; equal at every stage: lot;
 *   52  when the continuing candidates are as many as the vacancies left,
 *       they are deemed elected and no further transfer is made.
 * Rules 49(2) and 51(2) speak of two candidates; with three or more, each
 * earlier stage keeps only those with the most (49) or fewest (51) votes
 * among them and the look-back goes on until one is left.
 *
 * Values are int64_t in units of 1/100000 of a vote, so truncation to
 * five places is integer division: the whole count is exact, and the
 * totals plus non-transferable plus the truncation loss always equal the
 * valid papers. Pure: no I/O, no globals.
 */
#include "core/stv.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

__extension__ typedef __int128 i128;

#define NONE SIZE_MAX /* end of a pile of ballot lines */

struct stv_election *stv_election_new(void)
{
	return calloc(1, sizeof(struct stv_election));
}

void stv_election_free(struct stv_election *e)
{
	if (e == NULL)
		return;
	for (int i = 0; e->names != NULL && i < e->n_candidates; i++)
		free(e->names[i]);
	free(e->names);
	free(e->title);
	free(e->withdrawn);
	free(e->ballots);
	free(e->prefs);
	free(e);
}

enum stv_error stv_election_set(struct stv_election *e, int n_candidates, int seats)
{
	if (e->n_candidates != 0 || n_candidates < 1 || seats < 1 || seats > n_candidates)
		return STV_ERR_INVALID;
	if (n_candidates > STV_CANDIDATES_MAX)
		return STV_ERR_TOO_BIG;
	e->names = calloc((size_t)n_candidates, sizeof(*e->names));
	e->withdrawn = calloc((size_t)n_candidates, sizeof(*e->withdrawn));
	if (e->names == NULL || e->withdrawn == NULL)
		goto nomem;
	for (int i = 0; i < n_candidates; i++) {
		char name[32];
		snprintf(name, sizeof(name), "Candidate %d", i + 1);
		e->names[i] = strdup(name);
		if (e->names[i] == NULL)
			goto nomem;
	}
	e->n_candidates = n_candidates;
	e->seats = seats;
	return STV_OK;
nomem:
	for (int i = 0; e->names != NULL && i < n_candidates; i++)
		free(e->names[i]);
	free(e->names);
	free(e->withdrawn);
	e->names = NULL;
	e->withdrawn = NULL;
	return STV_ERR_NOMEM;
}

enum stv_error stv_election_name(struct stv_election *e, int i, const char *name)
{
	size_t len = strnlen(name, STV_NAME_MAX + 1);
	char *copy;

	if (i < -1 || i >= e->n_candidates || (len == 0 && i >= 0) || !text_utf8_valid(name, false))
		return STV_ERR_INVALID;
	if (len > STV_NAME_MAX)
		return STV_ERR_TOO_BIG;
	copy = strdup(name);
	if (copy == NULL)
		return STV_ERR_NOMEM;
	if (i == -1) {
		free(e->title);
		e->title = copy;
	} else {
		free(e->names[i]);
		e->names[i] = copy;
	}
	return STV_OK;
}

enum stv_error stv_election_withdraw(struct stv_election *e, int i)
{
	if (i < 0 || i >= e->n_candidates)
		return STV_ERR_INVALID;
	e->withdrawn[i] = true;
	return STV_OK;
}

/* Makes room for `more` entries past *used in *arr (of *cap, each `size`
 * bytes), doubling, never beyond max. */
static enum stv_error grow(void **arr, size_t *cap, size_t used, size_t more, size_t max,
			   size_t size)
{
	size_t want = *cap;
	void *p;

	if (more > max || used > max - more)
		return STV_ERR_TOO_BIG;
	if (used + more <= *cap)
		return STV_OK;
	if (want == 0)
		want = 64;
	while (want < used + more)
		want = want > max / 2 ? max : want * 2;
	p = realloc(*arr, want * size);
	if (p == NULL)
		return STV_ERR_NOMEM;
	*arr = p;
	*cap = want;
	return STV_OK;
}

enum stv_error stv_election_add_ballot(struct stv_election *e, int64_t weight, const int *prefs,
				       size_t n)
{
	unsigned char seen[(STV_CANDIDATES_MAX + 7) / 8] = {0};
	enum stv_error err;

	if (e->n_candidates == 0 || weight < 1 || n > (size_t)e->n_candidates)
		return STV_ERR_INVALID;
	if (weight > STV_WEIGHT_MAX)
		return STV_ERR_TOO_BIG;
	for (size_t i = 0; i < n; i++) {
		int c = prefs[i];
		if (c < 0 || c >= e->n_candidates || (seen[c / 8] & (1u << (c % 8))))
			return STV_ERR_INVALID;
		seen[c / 8] |= (unsigned char)(1u << (c % 8));
	}
	err = grow((void **)&e->ballots, &e->cap_ballots, e->n_ballots, 1, STV_BALLOTS_MAX,
		   sizeof(*e->ballots));
	if (err == STV_OK)
		err = grow((void **)&e->prefs, &e->cap_prefs, e->n_prefs, n, STV_PREFS_MAX,
			   sizeof(*e->prefs));
	if (err != STV_OK)
		return err;
	if (n > 0)
		memcpy(e->prefs + e->n_prefs, prefs, n * sizeof(*prefs));
	e->ballots[e->n_ballots++] = (struct stv_ballot){weight, e->n_prefs, n};
	e->n_prefs += n;
	return STV_OK;
}

/* Checks what a caller may have filled by hand. */
static enum stv_error election_check(const struct stv_election *e, size_t *stamp)
{
	int64_t papers = 0;

	if (e->n_candidates < 1 || e->n_candidates > STV_CANDIDATES_MAX || e->seats < 1 ||
	    e->seats > e->n_candidates || e->names == NULL || e->withdrawn == NULL)
		return STV_ERR_INVALID;
	for (int i = 0; i < e->n_candidates; i++) {
		if (e->names[i] == NULL)
			return STV_ERR_INVALID;
		stamp[i] = NONE;
	}
	if (e->n_ballots > STV_BALLOTS_MAX || e->n_prefs > STV_PREFS_MAX)
		return STV_ERR_TOO_BIG;
	for (size_t l = 0; l < e->n_ballots; l++) {
		const struct stv_ballot *b = &e->ballots[l];

		if (b->weight < 1 || b->weight > STV_WEIGHT_MAX || b->first > e->n_prefs ||
		    b->n_prefs > e->n_prefs - b->first)
			return STV_ERR_INVALID;
		for (size_t k = 0; k < b->n_prefs; k++) {
			int c = e->prefs[b->first + k];
			if (c < 0 || c >= e->n_candidates || stamp[c] == l)
				return STV_ERR_INVALID;
			stamp[c] = l;
		}
		papers += b->weight;
		if (papers > STV_VOTES_MAX)
			return STV_ERR_TOO_BIG;
	}
	return STV_OK;
}

/* The state of a count in progress. */
struct count {
	const struct stv_election *e;
	const struct stv_options *opts;
	struct stv_result *r;
	int n;                   /* candidates */
	int64_t quota;           /* value units */
	int continuing;          /* candidates neither elected nor excluded */
	int64_t *total;          /* [n] votes now, value units */
	enum stv_status *status; /* [n] now */
	bool *pending;           /* [n] elected with a surplus not yet transferred */
	size_t *head;            /* [n] first ballot line of the candidate's pile */
	size_t *next;            /* [lines] next line in the same pile */
	size_t *pos;             /* [lines] index of the current preference on the paper */
	int64_t *value;          /* [lines] value of each paper of the line */
	int *scratch;            /* [n] */
	int64_t non_transferable;
	int64_t lost;
	uint64_t rng; /* splitmix64 state for STV_LOT_SEEDED */
};

static void pile_push(struct count *cs, int c, size_t line)
{
	cs->next[line] = cs->head[c];
	cs->head[c] = line;
}

/* Moves the line's preference on to the next continuing candidate, from
 * index `from` on; returns that candidate or -1. */
static int seek(struct count *cs, size_t line, size_t from)
{
	const struct stv_ballot *b = &cs->e->ballots[line];

	for (size_t k = from; k < b->n_prefs; k++) {
		int c = cs->e->prefs[b->first + k];
		if (cs->status[c] == STV_CONTINUING) {
			cs->pos[line] = k;
			return c;
		}
	}
	cs->pos[line] = b->n_prefs;
	return -1;
}

static void record_stage(struct count *cs, enum stv_action action, int candidate, int64_t surplus)
{
	struct stv_result *r = cs->r;
	struct stv_stage *s = &r->stages[r->n_stages];
	size_t at = r->n_stages * (size_t)cs->n;

	/* cap_stages = 2n + 2 > 1 + seats surpluses + n exclusions */
	s->action = action;
	s->candidate = candidate;
	s->surplus = surplus;
	s->totals = r->store_totals + at;
	s->status = r->store_status + at;
	memcpy(s->totals, cs->total, (size_t)cs->n * sizeof(*cs->total));
	memcpy(s->status, cs->status, (size_t)cs->n * sizeof(*cs->status));
	s->non_transferable = cs->non_transferable;
	s->lost_to_rounding = cs->lost;
	s->n_elected = r->n_elected;
	r->n_stages++;
}

/* Deems elected every candidate in list[0..k-1], most votes first (equal
 * votes: candidate order); a surplus makes them pending. */
static void elect(struct count *cs, int *list, int k)
{
	for (int i = 1; i < k; i++) {
		int c = list[i], j = i;
		while (j > 0 && (cs->total[list[j - 1]] < cs->total[c] ||
				 (cs->total[list[j - 1]] == cs->total[c] && list[j - 1] > c))) {
			list[j] = list[j - 1];
			j--;
		}
		list[j] = c;
	}
	for (int i = 0; i < k; i++) {
		int c = list[i];
		cs->status[c] = STV_ELECTED;
		cs->pending[c] = cs->total[c] > cs->quota;
		cs->r->elected[cs->r->n_elected++] = c;
		cs->continuing--;
	}
}

/* Rule 47: every continuing candidate at or over the quota. */
static void elect_reached(struct count *cs)
{
	int k = 0;

	for (int c = 0; c < cs->n; c++)
		if (cs->status[c] == STV_CONTINUING && cs->total[c] >= cs->quota)
			cs->scratch[k++] = c;
	elect(cs, cs->scratch, k);
}

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Draws one of tied[0..k-1] (k >= 2, in candidate order) as o says;
 * returns its index. */
static int draw_lot(const struct stv_options *o, uint64_t *rng, const int *tied, int k)
{
	int pick = 0;

	if (o != NULL && o->lot == STV_LOT_SEEDED)
		pick = (int)(splitmix64(rng) % (uint64_t)k);
	else if (o != NULL && o->lot == STV_LOT_CALLBACK && o->draw != NULL)
		pick = o->draw(o->ctx, tied, k);
	return pick < 0 || pick >= k ? 0 : pick;
}

/* Rules 49(2)-(3) and 51(2): picks one of tied[0..k-1] (k >= 1, equal now)
 * by the most recent preceding stage at which they differed, keeping at
 * each stage those with the most (highest) or fewest votes; then by lot. */
static int break_tie(struct count *cs, int *tied, int k, bool highest, bool *looked_back, bool *lot)
{
	const struct stv_result *r = cs->r;

	*looked_back = false;
	*lot = false;
	for (size_t s = r->n_stages - 1; k > 1 && s-- > 0;) {
		const int64_t *t = r->stages[s].totals;
		int64_t best = t[tied[0]];
		int kept = 0;

		for (int i = 1; i < k; i++)
			if (highest ? t[tied[i]] > best : t[tied[i]] < best)
				best = t[tied[i]];
		for (int i = 0; i < k; i++)
			if (t[tied[i]] == best)
				tied[kept++] = tied[i];
		if (kept < k)
			*looked_back = true;
		k = kept;
	}
	if (k == 1)
		return tied[0];
	*lot = true;
	cs->r->lot_used = true;
	return tied[draw_lot(cs->opts, &cs->rng, tied, k)];
}

/* Rules 48-49: transfers the surplus of pending candidate c. */
static void transfer_surplus(struct count *cs, int c)
{
	int64_t surplus = cs->total[c] - cs->quota, all = cs->total[c], moved = 0;
	size_t line = cs->head[c];

	cs->head[c] = NONE;
	while (line != NONE) {
		size_t after = cs->next[line];
		int64_t w = cs->e->ballots[line].weight;
		/* 48(3): surplus x value when received / total, remainder ignored */
		int64_t tv = (int64_t)((i128)surplus * cs->value[line] / all);
		int d = seek(cs, line, cs->pos[line] + 1);

		cs->value[line] = tv;
		moved += w * tv;
		if (d >= 0) {
			cs->total[d] += w * tv;
			pile_push(cs, d, line);
		} else {
			cs->non_transferable += w * tv;
		}
		line = after;
	}
	cs->lost += surplus - moved;
	cs->total[c] = cs->quota;
	cs->pending[c] = false;
}

/* Rule 50(2)-(4): passes each paper of excluded c on at its value. */
static void transfer_excluded(struct count *cs, int c)
{
	size_t line = cs->head[c];

	cs->head[c] = NONE;
	while (line != NONE) {
		size_t after = cs->next[line];
		int64_t v = cs->e->ballots[line].weight * cs->value[line];
		int d = seek(cs, line, cs->pos[line] + 1);

		if (d >= 0) {
			cs->total[d] += v;
			pile_push(cs, d, line);
		} else {
			cs->non_transferable += v;
		}
		line = after;
	}
	cs->total[c] = 0;
}

/* The pending candidates with the largest total (surplus) or the
 * continuing ones with the smallest, into scratch in candidate order;
 * returns how many. */
static int extremes(struct count *cs, bool surplus)
{
	int k = 0;
	int64_t best = 0;

	for (int c = 0; c < cs->n; c++) {
		bool in = surplus ? cs->pending[c] : cs->status[c] == STV_CONTINUING;
		if (!in)
			continue;
		if (k == 0 || (surplus ? cs->total[c] > best : cs->total[c] < best)) {
			best = cs->total[c];
			k = 0;
		}
		if (cs->total[c] == best)
			cs->scratch[k++] = c;
	}
	return k;
}

static enum stv_error run(struct count *cs)
{
	const struct stv_election *e = cs->e;
	struct stv_result *r = cs->r;
	int64_t valid = 0, invalid = 0;

	/* Rule 45: first preferences. */
	for (int c = 0; c < cs->n; c++) {
		cs->status[c] = e->withdrawn[c] ? STV_EXCLUDED : STV_CONTINUING;
		cs->head[c] = NONE;
		cs->continuing += cs->status[c] == STV_CONTINUING;
	}
	if (cs->continuing < e->seats)
		return STV_ERR_INVALID;
	for (size_t l = 0; l < e->n_ballots; l++) {
		int64_t w = e->ballots[l].weight;
		int c = seek(cs, l, 0);

		if (c < 0) {
			invalid += w;
			continue;
		}
		cs->value[l] = STV_SCALE;
		cs->total[c] += w * STV_SCALE;
		pile_push(cs, c, l);
		valid += w;
	}
	r->valid_papers = valid;
	r->invalid_papers = invalid;
	if (valid == 0)
		return STV_ERR_INVALID;
	/* Rule 46: the quota. */
	r->quota = valid / (e->seats + 1) + 1;
	cs->quota = r->quota * STV_SCALE;
	elect_reached(cs);
	record_stage(cs, STV_STAGE_FIRST, -1, 0);

	for (;;) {
		int remaining = e->seats - r->n_elected, k, c;
		bool looked_back, lot;
		struct stv_stage *s;

		if (remaining == 0)
			break;
		if (cs->continuing == remaining) {
			/* Rule 52: the rest are elected at the end of this stage. */
			k = 0;
			for (c = 0; c < cs->n; c++)
				if (cs->status[c] == STV_CONTINUING)
					cs->scratch[k++] = c;
			elect(cs, cs->scratch, k);
			s = &r->stages[r->n_stages - 1];
			memcpy(s->status, cs->status, (size_t)cs->n * sizeof(*cs->status));
			s->n_elected = r->n_elected;
			break;
		}
		k = extremes(cs, true);
		if (k > 0) {
			/* Rules 48-49: the largest surplus. */
			c = break_tie(cs, cs->scratch, k, true, &looked_back, &lot);
			int64_t surplus = cs->total[c] - cs->quota;
			transfer_surplus(cs, c);
			elect_reached(cs);
			record_stage(cs, STV_STAGE_SURPLUS, c, surplus);
		} else {
			/* Rules 50-51: exclude the lowest. */
			k = extremes(cs, false);
			c = break_tie(cs, cs->scratch, k, false, &looked_back, &lot);
			cs->status[c] = STV_EXCLUDED;
			cs->continuing--;
			bool last = cs->continuing == remaining;
			if (!last) {
				transfer_excluded(cs, c);
				elect_reached(cs);
			}
			record_stage(cs, STV_STAGE_EXCLUSION, c, 0);
			r->stages[r->n_stages - 1].no_transfer = last;
		}
		s = &r->stages[r->n_stages - 1];
		s->lot = lot;
		s->tie_looked_back = looked_back;
	}
	return STV_OK;
}

enum stv_error stv_count(const struct stv_election *e, const struct stv_options *opts,
			 struct stv_result *out)
{
	struct count cs = {.e = e, .opts = opts, .r = out};
	enum stv_error err = STV_ERR_NOMEM;
	size_t n, lines, cap;

	memset(out, 0, sizeof(*out));
	if (e == NULL || e->n_candidates < 1 || e->n_candidates > STV_CANDIDATES_MAX)
		return STV_ERR_INVALID;
	n = (size_t)e->n_candidates;
	lines = e->n_ballots > 0 ? e->n_ballots : 1;
	cs.n = e->n_candidates;
	cs.rng = opts != NULL ? opts->seed : 0;
	cs.head = calloc(n, sizeof(*cs.head));
	if (cs.head == NULL)
		goto out;
	err = election_check(e, cs.head); /* head[] serves as its scratch */
	if (err != STV_OK)
		goto out;
	err = STV_ERR_NOMEM;
	cs.next = calloc(lines, sizeof(*cs.next));
	cs.total = calloc(n, sizeof(*cs.total));
	cs.status = calloc(n, sizeof(*cs.status));
	cs.pending = calloc(n, sizeof(*cs.pending));
	cs.scratch = calloc(n, sizeof(*cs.scratch));
	cs.pos = calloc(lines, sizeof(*cs.pos));
	cs.value = calloc(lines, sizeof(*cs.value));
	cap = 2 * n + 2;
	out->n_candidates = e->n_candidates;
	out->seats = e->seats;
	out->elected = calloc(n, sizeof(*out->elected));
	out->stages = calloc(cap, sizeof(*out->stages));
	out->store_totals = calloc(cap * n, sizeof(*out->store_totals));
	out->store_status = calloc(cap * n, sizeof(*out->store_status));
	out->cap_stages = cap;
	if (cs.total == NULL || cs.status == NULL || cs.pending == NULL || cs.next == NULL ||
	    cs.scratch == NULL || cs.pos == NULL || cs.value == NULL || out->elected == NULL ||
	    out->stages == NULL || out->store_totals == NULL || out->store_status == NULL)
		goto out;
	err = run(&cs);
out:
	free(cs.total);
	free(cs.status);
	free(cs.pending);
	free(cs.head);
	free(cs.scratch);
	free(cs.next);
	free(cs.pos);
	free(cs.value);
	return err;
}

void stv_result_free(struct stv_result *r)
{
	if (r == NULL)
		return;
	free(r->elected);
	free(r->stages);
	free(r->store_totals);
	free(r->store_status);
	memset(r, 0, sizeof(*r));
}

int stv_format_value(int64_t v, char *buf, size_t n)
{
	uint64_t a = v < 0 ? -(uint64_t)v : (uint64_t)v;
	int len = snprintf(buf, n, "%s%" PRIu64 ".%05" PRIu64, v < 0 ? "-" : "",
			   a / (uint64_t)STV_SCALE, a % (uint64_t)STV_SCALE);

	return len < 0 || (size_t)len >= n ? -1 : 0;
}

const char *stv_error_message(enum stv_error e)
{
	switch (e) {
	case STV_OK:
		return "ok";
	case STV_ERR_NOMEM:
		return "out of memory";
	case STV_ERR_INVALID:
		return "invalid election: seats, candidates or ballots inconsistent, "
		       "or no valid ballot paper";
	case STV_ERR_TOO_BIG:
		return "election too large";
	case STV_ERR_PARSE:
		return "malformed ballot file";
	}
	return "invalid stv error";
}

/* Approval order: standing before withdrawn, then more approvals first;
 * c comes later in candidate order than a. */
static bool approval_before(const struct stv_election *e, const int64_t *approvals, int c, int a)
{
	if (e->withdrawn[c] != e->withdrawn[a])
		return !e->withdrawn[c];
	return approvals[c] > approvals[a];
}

enum stv_error stv_approval_count(const struct stv_election *e, const struct stv_options *opts,
				  struct stv_approval_result *out)
{
	size_t *stamp = NULL;
	enum stv_error err;
	int n, standing = 0, above = 0, k = 0;
	int64_t cutoff;
	uint64_t rng = opts != NULL ? opts->seed : 0;

	memset(out, 0, sizeof(*out));
	if (e == NULL || e->n_candidates < 1 || e->n_candidates > STV_CANDIDATES_MAX)
		return STV_ERR_INVALID;
	n = e->n_candidates;
	stamp = malloc((size_t)n * sizeof(*stamp));
	if (stamp == NULL)
		return STV_ERR_NOMEM;
	err = election_check(e, stamp);
	free(stamp);
	if (err != STV_OK)
		return err;
	out->n_candidates = n;
	out->approvals = calloc((size_t)n, sizeof(*out->approvals));
	out->order = calloc((size_t)n, sizeof(*out->order));
	out->elected = calloc((size_t)e->seats, sizeof(*out->elected));
	if (out->approvals == NULL || out->order == NULL || out->elected == NULL)
		return STV_ERR_NOMEM;
	for (size_t l = 0; l < e->n_ballots; l++) {
		const struct stv_ballot *b = &e->ballots[l];
		bool any = false;

		for (size_t i = 0; i < b->n_prefs; i++) {
			int c = e->prefs[b->first + i];
			if (!e->withdrawn[c]) {
				out->approvals[c] += b->weight;
				any = true;
			}
		}
		out->papers += any ? b->weight : 0;
	}
	/* Standing candidates by approvals (equal: candidate order), then the
	 * withdrawn in candidate order. */
	for (int c = 0; c < n; c++) {
		int j = c;
		while (j > 0 && approval_before(e, out->approvals, c, out->order[j - 1])) {
			out->order[j] = out->order[j - 1];
			j--;
		}
		out->order[j] = c;
		standing += !e->withdrawn[c];
	}
	if (standing < e->seats)
		return STV_ERR_INVALID;
	/* Candidates above the last seat's approvals are elected outright;
	 * those equal to it (order[above .. above + k)) share what is left. */
	cutoff = out->approvals[out->order[e->seats - 1]];
	for (int i = 0; i < standing; i++) {
		int64_t a = out->approvals[out->order[i]];
		if (a > cutoff)
			out->elected[above++] = out->order[i];
		else if (a == cutoff)
			k++;
	}
	out->n_elected = e->seats;
	out->tie_at_cutoff = k > e->seats - above;
	if (!out->tie_at_cutoff) {
		for (int i = above; i < e->seats; i++)
			out->elected[i] = out->order[i];
		return STV_OK;
	}
	out->lot_used = true;
	{
		int tied[STV_CANDIDATES_MAX];
		memcpy(tied, out->order + above, (size_t)k * sizeof(*tied));
		for (int i = above; i < e->seats; i++) {
			int pick = draw_lot(opts, &rng, tied, k);
			out->elected[i] = tied[pick];
			memmove(tied + pick, tied + pick + 1,
				(size_t)(k - pick - 1) * sizeof(*tied));
			k--;
		}
	}
	return STV_OK;
}

void stv_approval_result_free(struct stv_approval_result *r)
{
	if (r == NULL)
		return;
	free(r->approvals);
	free(r->order);
	free(r->elected);
	memset(r, 0, sizeof(*r));
}
