/*
 * stv: counts an election for several seats. stv_count applies the single
 * transferable vote exactly as the Scottish Local Government Elections
 * Order 2007 (SSI 2007/42), Schedule 1, rules 45-52 count it: Droop quota,
 * every ballot of an elected candidate passed on at a transfer value
 * (the weighted inclusive Gregory method), values to five decimal places
 * with any remainder ignored. stv_approval_count counts the same ballots as
 * approval votes.
 *
 * A vote value is an int64_t in units of 1/100000 of a vote (STV_SCALE), so
 * "to five decimal places, remainder ignored" is integer division and the
 * whole count is exact integer arithmetic. Pure: ties that the Order sends
 * to lot are drawn by a rule the caller chooses (struct stv_options); no
 * I/O, no globals. The BLT file format is in core/blt.h.
 */
#ifndef CARECOOP_CORE_STV_H
#define CARECOOP_CORE_STV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STV_SCALE          INT64_C(100000)         /* one vote, in value units */
#define STV_CANDIDATES_MAX 1000                    /* candidates in one election */
#define STV_BALLOTS_MAX    ((size_t)10000000)      /* distinct ballot lines */
#define STV_PREFS_MAX      ((size_t)100000000)     /* preferences over all ballot lines */
#define STV_WEIGHT_MAX     INT64_C(1000000000)     /* identical ballots on one line */
#define STV_VOTES_MAX      INT64_C(10000000000000) /* total ballots: value fits int64 */
#define STV_NAME_MAX       200                     /* bytes of a candidate name or title */
#define STV_VALUE_MAX      32 /* buffer for stv_format_value: "-92233720368547.75808" */

enum stv_error {
	STV_OK = 0,
	STV_ERR_NOMEM,   /* allocation failed */
	STV_ERR_INVALID, /* election inconsistent: seats out of 1..candidates, a
			  * preference out of range or repeated, a name missing */
	STV_ERR_TOO_BIG, /* over one of the caps above */
	STV_ERR_PARSE,   /* BLT text malformed (core/blt.h) */
};

/* One ballot line: `weight` identical ballot papers ranking prefs[first],
 * prefs[first + 1], ... prefs[first + n_prefs - 1] in order of preference. */
struct stv_ballot {
	int64_t weight; /* identical papers, 1..STV_WEIGHT_MAX */
	size_t first;   /* index of the first preference in election.prefs */
	size_t n_prefs; /* preferences on the paper (0: a blank paper) */
};

/* An election: candidates, seats, ballots. Built by blt_parse or by
 * stv_election_set / _name / _add_ballot; owns every pointer it holds. */
struct stv_election {
	int n_candidates;           /* candidates, 1..STV_CANDIDATES_MAX */
	int seats;                  /* vacancies to fill, 1..n_candidates */
	char **names;               /* [n_candidates] UTF-8 names, owned */
	char *title;                /* the election's title, owned, or NULL */
	bool *withdrawn;            /* [n_candidates] true: withdrawn before the
				     * count; skipped on every paper */
	struct stv_ballot *ballots; /* [n_ballots] ballot lines, owned */
	size_t n_ballots;           /* ballot lines */
	size_t cap_ballots;         /* allocated entries of ballots */
	int *prefs;                 /* [n_prefs] candidate indexes 0..n-1, owned */
	size_t n_prefs;             /* entries used in prefs */
	size_t cap_prefs;           /* allocated entries of prefs */
};

/* A new empty election (no candidates), or NULL when out of memory. The
 * caller frees it with stv_election_free. */
struct stv_election *stv_election_new(void);

/* Frees e and all it owns. stv_election_free(NULL) does nothing. */
void stv_election_free(struct stv_election *e);

/* Sets the number of candidates and seats of an empty election and gives
 * every candidate the name "Candidate N" until named. Returns STV_OK,
 * STV_ERR_INVALID (already set; seats not in 1..n), STV_ERR_TOO_BIG or
 * STV_ERR_NOMEM. */
enum stv_error stv_election_set(struct stv_election *e, int n_candidates, int seats);

/* Copies name as candidate i's name (i in 0..n-1), or as the title when
 * i == -1. Returns STV_OK, STV_ERR_INVALID (bad i, empty), STV_ERR_TOO_BIG
 * (over STV_NAME_MAX bytes) or STV_ERR_NOMEM. */
enum stv_error stv_election_name(struct stv_election *e, int i, const char *name);

/* Appends a ballot line: weight papers ranking prefs[0..n-1] (candidate
 * indexes 0..n_candidates-1, each at most once). The prefs are copied.
 * Returns STV_OK, STV_ERR_INVALID, STV_ERR_TOO_BIG or STV_ERR_NOMEM. */
enum stv_error stv_election_add_ballot(struct stv_election *e, int64_t weight, const int *prefs,
				       size_t n);

/* Marks candidate i (0..n-1) as withdrawn before the count: every paper
 * passes over them, and a paper naming only withdrawn candidates is not a
 * valid paper. Returns STV_OK or STV_ERR_INVALID (bad i). */
enum stv_error stv_election_withdraw(struct stv_election *e, int i);

/* How a tie that the Order leaves to lot is drawn. Whichever is used, the
 * stage records that lot decided it (stv_stage.lot). */
enum stv_lot {
	STV_LOT_FIRST = 0, /* default: the tied candidate earliest in candidate (file)
			    * order is drawn */
	STV_LOT_SEEDED,    /* drawn by a PRNG (splitmix64) from options.seed:
			    * reproducible for a published seed */
	STV_LOT_CALLBACK,  /* options.draw decides, e.g. a draw made by hand */
};

struct stv_options {
	enum stv_lot lot; /* how lots are drawn */
	uint64_t seed;    /* STV_LOT_SEEDED */
	/* STV_LOT_CALLBACK: returns the index into tied[0..n-1] of the
	 * candidate drawn; a value out of range counts as 0. */
	int (*draw)(void *ctx, const int *tied, int n);
	void *ctx; /* passed to draw */
};

enum stv_action {
	STV_STAGE_FIRST = 0, /* first preferences counted (rule 45) */
	STV_STAGE_SURPLUS,   /* candidate's surplus transferred (rules 47-49) */
	STV_STAGE_EXCLUSION, /* candidate excluded, papers transferred (rule 50) */
};

enum stv_status {
	STV_CONTINUING = 0, /* still in the count */
	STV_ELECTED,        /* deemed elected */
	STV_EXCLUDED,       /* excluded (or withdrawn) */
};

/* The state at the end of one stage of the count. */
struct stv_stage {
	enum stv_action action;   /* what this stage did */
	int candidate;            /* whose surplus / who was excluded; -1 at FIRST */
	int64_t surplus;          /* SURPLUS: the surplus transferred, value units */
	bool lot;                 /* a tie in choosing `candidate` was drawn by lot */
	bool tie_looked_back;     /* a tie was broken by the totals at an earlier stage */
	bool no_transfer;         /* EXCLUSION that left as many continuing candidates as
				   * vacancies: they are elected and, by rule 52(2), the
				   * excluded candidate's papers are not transferred */
	int64_t *totals;          /* [n_candidates] votes at the end of the stage,
				   * value units (points into stv_result storage) */
	enum stv_status *status;  /* [n_candidates] status at the end of the stage */
	int64_t non_transferable; /* value not transferable, all stages so far */
	int64_t lost_to_rounding; /* value dropped by truncation to 5 places, so far */
	int n_elected;            /* elected at the end of this stage (cumulative) */
};

/* The result of a count; stv_result_free releases what stv_count filled. */
struct stv_result {
	int n_candidates;              /* as in the election */
	int seats;                     /* as in the election */
	int64_t valid_papers;          /* ballot papers with a first preference for a
					* candidate standing (weights summed) */
	int64_t invalid_papers;        /* blank papers, or naming only withdrawn candidates */
	int64_t quota;                 /* floor(valid / (seats + 1)) + 1 votes (rule 45);
					* value units: quota * STV_SCALE */
	int *elected;                  /* [n_elected] candidate indexes, in order of election */
	int n_elected;                 /* == seats on success */
	bool lot_used;                 /* some stage needed a lot */
	struct stv_stage *stages;      /* [n_stages] in order */
	size_t n_stages;               /* stages of the count */
	int64_t *store_totals;         /* backing store of every stage's totals */
	enum stv_status *store_status; /* backing store of every stage's status */
	size_t cap_stages;             /* allocated stages */
};

/* Counts e under the Scottish rules (see the top of this file). opts may be
 * NULL (lots drawn STV_LOT_FIRST). Fills *out, which the caller releases
 * with stv_result_free even on failure. Returns STV_OK, STV_ERR_INVALID
 * (e inconsistent, or no valid paper) or STV_ERR_NOMEM. */
enum stv_error stv_count(const struct stv_election *e, const struct stv_options *opts,
			 struct stv_result *out);

/* Frees what *r owns and zeroes it. Safe on a zeroed or already freed r
 * and on NULL. */
void stv_result_free(struct stv_result *r);

/* Writes a value in units of 1/STV_SCALE as a decimal with 5 places,
 * "1234.56789", into buf[n] (STV_VALUE_MAX always suffices). Returns 0 or
 * -1 when buf is too small. */
int stv_format_value(int64_t v, char *buf, size_t n);

/* A short English message for an error. */
const char *stv_error_message(enum stv_error e);

/* Approval voting over the same ballots: every candidate named on a paper
 * is approved by it (order ignored); the `seats` candidates with the most
 * approvals are elected. Ties at the last seat are drawn as opts says (NULL:
 * the earliest candidate) and reported. */
struct stv_approval_result {
	int n_candidates;   /* as in the election */
	int64_t *approvals; /* [n_candidates] papers approving each, owned */
	int *order;         /* [n_candidates] indexes, most approved first; equal
			     * counts in candidate order */
	int *elected;       /* [seats] indexes, most approved first (places drawn
			     * by lot: in the order drawn), owned */
	int n_elected;      /* == seats (withdrawn candidates never elected) */
	bool tie_at_cutoff; /* the last seat went to one of several equal candidates */
	bool lot_used;      /* that tie was drawn by lot */
	int64_t papers;     /* papers approving at least one standing candidate */
};

/* Counts e as an approval election. Fills *out (release with
 * stv_approval_result_free, even on failure). Returns STV_OK,
 * STV_ERR_INVALID (fewer standing candidates than seats) or STV_ERR_NOMEM. */
enum stv_error stv_approval_count(const struct stv_election *e, const struct stv_options *opts,
				  struct stv_approval_result *out);

/* Frees what *r owns and zeroes it; safe on NULL and on a zeroed r. */
void stv_approval_result_free(struct stv_approval_result *r);

#endif
