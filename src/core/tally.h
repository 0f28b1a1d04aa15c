/*
 * tally: counts a vote on a proposal (ordinary resolution, special
 * resolution or poll) under the co-op's rulebook: thresholds, quorum,
 * abstentions, and how the member classes are weighted (one member one vote,
 * fixed class shares, or one class capped at a fraction of the strength).
 *
 * Every figure is an exact fraction of 64-bit integers, reduced; the
 * arithmetic checks for overflow and reports it instead of rounding. No
 * floating point anywhere, so a result can be checked by hand from the
 * counts. Pure: plain structs in, a plain struct out; no I/O, no allocation,
 * no globals. Elections (STV, approval) are in core/stv.h.
 */
#ifndef CARECOOP_CORE_TALLY_H
#define CARECOOP_CORE_TALLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TALLY_CLASSES_MAX    16                  /* member classes in one count */
#define TALLY_CLASS_CODE_MAX 32                  /* bytes of a class code, without NUL */
#define TALLY_COUNT_MAX      INT64_C(1000000000) /* cap on any one count or electorate */
#define TALLY_PERCENT_MAX    32                  /* buffer for tally_frac_percent, any places */

/* An exact fraction: den > 0 and gcd(num, den) == 1 in every value this
 * module returns. Values passed in need only den > 0; they are reduced. */
struct tally_frac {
	int64_t num; /* numerator */
	int64_t den; /* denominator, > 0 */
};

enum tally_error {
	TALLY_OK = 0,
	TALLY_ERR_SHARES,        /* class shares missing, negative, or not summing to 1 */
	TALLY_ERR_NEGATIVE,      /* a negative count or electorate */
	TALLY_ERR_CAP,           /* cap not strictly between 0 and 1, or capped class missing */
	TALLY_ERR_UNKNOWN_CLASS, /* a count for a class the rulebook does not list */
	TALLY_ERR_OVERFLOW,      /* a figure does not fit 64 bits (or a count > TALLY_COUNT_MAX) */
	TALLY_ERR_THRESHOLD,     /* a threshold or quorum outside [0, 1], or den <= 0 */
	TALLY_ERR_TOO_MANY,      /* more than TALLY_CLASSES_MAX classes */
	TALLY_ERR_DUPLICATE_CLASS, /* the same class code twice */
	TALLY_ERR_TURNOUT,         /* more ballots in a class than its electorate */
	TALLY_ERR_INVALID,         /* an enum value out of range, or an empty class code */
};

enum tally_kind {
	TALLY_ORDINARY = 0, /* carried when yes share > ordinary threshold (strict) */
	TALLY_SPECIAL,      /* carried when yes share >= special threshold (inclusive) */
	TALLY_POLL,         /* advisory: counted and reported as an ordinary resolution */
};

enum tally_weighting {
	/* Every vote weighs 1: yes share = yes / (yes + no [+ abstain]). */
	TALLY_ONE_MEMBER_ONE_VOTE = 0,
	/* Fixed shares per class (the rulebook's classes[], summing to 1):
	 * yes share = sum over classes k of share_k * yes_k / cast_k, where
	 * cast_k = yes_k + no_k [+ abstain_k]. A class with cast_k == 0 is
	 * handled by empty_class. */
	TALLY_CLASS_SHARES,
	/* One class (capped_class) together holds at most cap of the voting
	 * strength, shared equally among its voters; everyone else weighs 1.
	 * With n_c the capped class's strength and n_o everyone else's (see
	 * enum tally_cap_basis): when n_c / (n_c + n_o) > cap, each capped vote
	 * weighs w = cap * n_o / ((1 - cap) * n_c), so that
	 * n_c * w / (n_c * w + n_o) == cap exactly; otherwise w = 1. When
	 * n_o == 0 no w > 0 keeps the cap, so w = 0 (the capped class alone
	 * cannot carry anything: the outcome is TALLY_NO_VOTES). */
	TALLY_CAPPED_CLASS,
};

/* CLASS_SHARES: what a class in which nobody cast a vote counts for. */
enum tally_empty_class {
	/* Left out: the shares of the classes that did vote are re-normalised
	 * to sum to 1 (50/25/25 with the second class silent becomes 2/3, 1/3). */
	TALLY_EMPTY_EXCLUDE = 0,
	/* Counted as wholly against: its share adds 0 to the yes share but
	 * stays in the whole, so a silent class weighs against the proposal. */
	TALLY_EMPTY_COUNT_AS_NO,
};

/* CAPPED_CLASS: what "voting strength" is measured in. */
enum tally_cap_basis {
	TALLY_CAP_VOTES_CAST = 0, /* the votes cast in this count (default) */
	TALLY_CAP_MEMBERSHIP,     /* the electorate of each class, voting or not */
};

struct tally_class_share {
	char code[TALLY_CLASS_CODE_MAX + 1]; /* class code, e.g. "workers" */
	struct tally_frac share;             /* its fixed share, 0 <= share <= 1 */
};

/* The co-op's rules for counting a vote. tally_rulebook_default fills the
 * usual values; the db layer stores and loads each field. */
struct tally_rulebook {
	struct tally_frac ordinary;     /* ordinary: carried when yes > this (default 1/2) */
	struct tally_frac special;      /* special: carried when yes >= this (default 3/4) */
	struct tally_frac quorum;       /* minimum turnout, of the electorate (default 0/1: none) */
	bool abstain_in_quorum;         /* abstentions count as turnout (default true) */
	bool abstain_as_cast;           /* abstentions are votes cast, i.e. in the
					 * denominator of every yes share (default false) */
	bool majority_every_class;      /* also needs yes > 1/2 of the votes cast in every
					 * class that cast any vote (default false) */
	int proxy_limit;                /* proxies one member may hold; used by the db
					 * layer when recording ballots, not by tally_count */
	enum tally_weighting weighting; /* default ONE_MEMBER_ONE_VOTE */
	enum tally_empty_class empty_class;                  /* CLASS_SHARES only */
	struct tally_class_share classes[TALLY_CLASSES_MAX]; /* CLASS_SHARES only */
	size_t n_classes;                                    /* entries used in classes[] */
	char capped_class[TALLY_CLASS_CODE_MAX + 1];         /* CAPPED_CLASS only */
	struct tally_frac cap;                               /* CAPPED_CLASS: 0 < cap < 1 */
	enum tally_cap_basis cap_basis;                      /* CAPPED_CLASS only */
};

/* One class's votes, as the db layer counts them from the ballots (a
 * proxy's vote is counted in the class of the member it stands for). With
 * ONE_MEMBER_ONE_VOTE the codes need only be distinct; a single class is
 * fine. */
struct tally_class_count {
	char code[TALLY_CLASS_CODE_MAX + 1]; /* class code */
	int64_t yes;                         /* ballots for */
	int64_t no;                          /* ballots against */
	int64_t abstain;                     /* ballots that abstain */
	int64_t electorate;                  /* members of the class entitled to vote */
};

enum tally_outcome {
	TALLY_CARRIED = 0,    /* reached the threshold with quorum */
	TALLY_LOST,           /* quorate but short of the threshold (or of a
			       * majority in every class, when required) */
	TALLY_QUORUM_NOT_MET, /* turnout below quorum: no decision */
	TALLY_NO_VOTES,       /* quorate, but no votes counted towards the yes share */
};

struct tally_class_result {
	char code[TALLY_CLASS_CODE_MAX + 1]; /* class code */
	int64_t yes, no, abstain;            /* as counted */
	int64_t electorate;                  /* as given */
	int64_t cast;                        /* yes + no [+ abstain if abstain_as_cast] */
	struct tally_frac share;             /* the class's part of the result: its effective
					      * share (after EXCLUDE re-normalising) under
					      * CLASS_SHARES; its weighted strength / the whole
					      * under the other modes; 0/1 when it cast nothing */
	struct tally_frac weight;            /* weight of one vote of this class (1/1 except
					      * CAPPED_CLASS; 0/1 under CLASS_SHARES, where
					      * votes are not weighed one by one) */
	struct tally_frac yes_fraction;      /* yes / cast; 0/1 when cast == 0 */
	bool majority;                       /* cast > 0 and yes_fraction > 1/2 */
};

struct tally_result {
	enum tally_outcome outcome;  /* the decision */
	enum tally_kind kind;        /* as asked */
	struct tally_frac yes_share; /* weighted share of yes, 0..1 */
	struct tally_frac threshold; /* the threshold applied */
	bool threshold_inclusive;    /* true: yes_share >= threshold (special) */
	struct tally_frac turnout;   /* ballots counting to quorum / electorate (0/1 if
				      * the electorate is 0) */
	bool quorum_met;             /* turnout >= quorum */
	bool majority_every_class;   /* every class that cast a vote has yes > 1/2
				      * (true when no class cast any) */
	int64_t ballots;             /* members who cast any ballot, abstain included */
	int64_t electorate;          /* sum of the class electorates */
	int64_t yes, no, abstain;    /* unweighted totals over the classes */
	size_t n_classes;            /* entries in classes[], in input order */
	struct tally_class_result classes[TALLY_CLASSES_MAX]; /* per-class breakdown */
};

/* Fills rb with the defaults: ordinary > 1/2, special >= 3/4, no quorum,
 * abstentions count to quorum but not as votes cast, one member one vote,
 * proxy limit 0 (no proxies), no classes, EXCLUDE, cap 1/10 on votes cast
 * (no capped class named). */
void tally_rulebook_default(struct tally_rulebook *rb);

/* Checks a rulebook on its own: thresholds and quorum in [0, 1], class
 * shares in [0, 1] summing to exactly 1 with distinct non-empty codes
 * (CLASS_SHARES), cap in (0, 1) and a capped class code (CAPPED_CLASS),
 * proxy_limit >= 0. Returns TALLY_OK or the first fault found. */
enum tally_error tally_rulebook_check(const struct tally_rulebook *rb);

/* Counts a vote of the given kind. counts holds n (<= TALLY_CLASSES_MAX)
 * distinct classes; under CLASS_SHARES each must be one of the rulebook's
 * classes (a rulebook class with no entry counts as having cast nothing).
 * Under CAPPED_CLASS the capped class may be absent (then nobody is capped).
 * Fills *out completely on TALLY_OK; on an error *out is unspecified.
 * Errors: those of tally_rulebook_check, and TALLY_ERR_NEGATIVE,
 * TALLY_ERR_TURNOUT, TALLY_ERR_UNKNOWN_CLASS, TALLY_ERR_DUPLICATE_CLASS,
 * TALLY_ERR_TOO_MANY, TALLY_ERR_OVERFLOW. Nothing is allocated. */
enum tally_error tally_count(const struct tally_rulebook *rb, enum tally_kind kind,
			     const struct tally_class_count *counts, size_t n,
			     struct tally_result *out);

/* A short English message for an error, e.g. "class shares must sum to 1". */
const char *tally_error_message(enum tally_error e);

/* A stable lower_snake_case word for an outcome: "carried", "lost",
 * "quorum_not_met", "no_votes" (for JSON and logs; never changed). */
const char *tally_outcome_code(enum tally_outcome o);

/* Builds num/den reduced. Returns TALLY_ERR_THRESHOLD when den == 0 (a
 * negative den flips both signs). */
enum tally_error tally_frac_make(int64_t num, int64_t den, struct tally_frac *out);

/* Compares a and b exactly: <0, 0 or >0. Both need den > 0. */
int tally_frac_cmp(struct tally_frac a, struct tally_frac b);

/* Parses a fraction from text: "2/3", "3", "75%" or "66.5%" (a percent
 * with up to 6 decimal places), no spaces. Returns 0 or -1. */
int tally_frac_parse(const char *s, struct tally_frac *out);

/* Writes f (0 <= f, den > 0) as a percentage with exactly `places` decimal
 * places (0..9) into buf[n]: 11/16 with 2 places is "68.75", 2/3 is
 * "66.66". Digits beyond the last place are cut off, never rounded up, so
 * a share just short of a threshold never prints as the threshold. Integer
 * arithmetic only. Returns 0, or -1 when f is negative, places is out of
 * range or buf is too small (TALLY_PERCENT_MAX always suffices). */
int tally_frac_percent(struct tally_frac f, int places, char *buf, size_t n);

#endif
