/*
 * surplus: shares the year's surplus among the members by the co-op's rules,
 * to the penny. Pure and integer-only: money is int64 pence, percentages are
 * basis points (1 bp = 0.01 %, 10000 bp = 100 %), intermediate products are
 * unsigned 128-bit and every input is capped so that none can overflow.
 * No I/O, no globals, no floating point, no database or HTTP.
 *
 * Order of allocation (docs/ARCHITECTURE.md "Surplus"):
 *  1. The surplus S is split three ways, by largest remainder: the general
 *     reserve (reserve_bp of S), the community fund (fund_bp of S) and what
 *     is left for the members, A = S - reserve - fund.
 *  2. Interest on share capital: each member is due
 *        min(share x rate x days / (10000 x year_days), cap)
 *     (pro rata by days of membership within the year). Each member gets the
 *     whole pence of what is due (rounded down), if the total due fits in A.
 *     If it does not, A is shared in proportion to what is due, by largest
 *     remainder, and nothing is left for dividends.
 *  3. The dividend pool P = A - interest is split between the classes by
 *     their pool_bp, by largest remainder; the part of 100 % that no class
 *     is given goes to the reserve.
 *  4. Within a class, the class pool is split between its members in good
 *     standing by the class's basis, by largest remainder:
 *        hours worked   minutes of visits and travel in published rotas
 *                       while a member (already bounded in time);
 *        care received  minutes of planned visits in published rotas while
 *                       a member (already bounded in time);
 *        share capital  share pence x days of membership in the year;
 *        equal          days of membership in the year.
 *     A class pool nobody in the class can claim (no member in good standing
 *     with a basis above zero) goes to the reserve.
 *
 * Largest remainder (Hamilton): every part gets the whole pence of its exact
 * share; the pennies left over go one each to the parts with the largest
 * fractional remainders. Ties are broken by the larger exact share, then by
 * the lower key (membership id; class id; reserve before fund before
 * members). Every key is distinct, so the result does not depend on the
 * order in which members or classes are listed, and the parts always add
 * up to the whole exactly.
 */
#ifndef CARECOOP_CORE_SURPLUS_H
#define CARECOOP_CORE_SURPLUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SURPLUS_BP_WHOLE        10000           /* 100 % in basis points */
#define SURPLUS_MAX_PENCE       1000000000000LL /* £10bn: surplus and cap */
#define SURPLUS_SHARE_MAX_PENCE 10000000000LL   /* £100m of shares per member */
#define SURPLUS_MINUTES_MAX     100000000LL     /* basis minutes per member */
#define SURPLUS_MEMBERS_MAX     100000          /* memberships in one run */
#define SURPLUS_CLASSES_MAX     32              /* class rules in a rulebook */
#define SURPLUS_YEAR_DAYS_MAX   549             /* a first year may run 18 months */
#define SURPLUS_NO_CAP          (-1)            /* interest_cap_pence: no cap */

enum surplus_basis {
	SURPLUS_BASIS_HOURS_WORKED = 0,
	SURPLUS_BASIS_CARE_RECEIVED,
	SURPLUS_BASIS_SHARE_CAPITAL,
	SURPLUS_BASIS_EQUAL,
};
#define SURPLUS_BASIS_COUNT 4

enum surplus_error {
	SURPLUS_OK = 0,
	SURPLUS_NOTHING,         /* surplus <= 0: nothing is distributed */
	SURPLUS_ERR_PERCENT,     /* a percentage below 0 % or above 100 % */
	SURPLUS_ERR_PERCENT_SUM, /* reserve + fund, or the class pools, over 100 % */
	SURPLUS_ERR_CLASS,       /* a class listed twice, or an unknown basis */
	SURPLUS_ERR_MEMBER,      /* a member's figures out of range, or id listed twice */
	SURPLUS_ERR_RANGE,       /* an amount, count or year length over its cap */
	SURPLUS_ERR_NOMEM,
};

struct surplus_class_rule {
	int64_t class_id;         /* member_classes.id */
	int32_t pool_bp;          /* share of the dividend pool, 0..10000 */
	enum surplus_basis basis; /* how the class pool is split */
};

struct surplus_rules {
	int32_t reserve_bp;         /* general reserve, of the surplus */
	int32_t fund_bp;            /* community/social fund, of the surplus */
	int32_t interest_bp;        /* interest rate on share capital per year */
	int64_t interest_cap_pence; /* most interest one member gets; SURPLUS_NO_CAP */
	const struct surplus_class_rule *classes; /* borrowed */
	size_t n_classes;
};

struct surplus_member {
	int64_t id;             /* membership id: unique, the last tie-break */
	int64_t class_id;       /* a class without a rule gets interest only */
	int32_t days;           /* days of membership within the year, 1..year_days */
	bool good_standing;     /* false: interest only, no dividend */
	int64_t worked_minutes; /* visit + travel minutes while a member */
	int64_t care_minutes;   /* minutes of care received while a member */
	int64_t share_pence;    /* share capital held */
};

struct surplus_input {
	int64_t surplus_pence; /* the year's surplus; <= 0 distributes nothing */
	int32_t year_days;     /* length of the financial year in days */
	struct surplus_rules rules;
	const struct surplus_member *members; /* borrowed */
	size_t n_members;
};

struct surplus_line {
	int64_t member_id;      /* copied from the input */
	int64_t class_id;       /* copied from the input */
	int64_t weight;         /* the member's basis figure within the class, 0 if none */
	int64_t interest_pence; /* interest on share capital */
	int64_t dividend_pence; /* share of the class pool */
	int64_t total_pence;    /* interest + dividend */
};

struct surplus_class_result {
	int64_t class_id;
	int64_t pool_pence;   /* the class's part of the dividend pool */
	int64_t paid_pence;   /* paid to members: pool_pence, or 0 if unclaimed */
	int64_t weight_total; /* sum of the members' weights */
	size_t members;       /* members with a weight above zero */
};

struct surplus_result {
	int64_t surplus_pence;
	int64_t reserve_rule_pence;       /* reserve_bp of the surplus */
	int64_t reserve_unassigned_pence; /* dividend pool no class is given */
	int64_t reserve_unclaimed_pence;  /* class pools with nobody to claim them */
	int64_t reserve_pence;            /* the three above */
	int64_t fund_pence;
	int64_t interest_pence;
	int64_t dividend_pence; /* the pool before classes (incl. what goes to reserve) */
	struct surplus_class_result *classes; /* owned; in the rules' order */
	size_t n_classes;
	struct surplus_line *lines; /* owned; in the input's member order */
	size_t n_lines;
};

/* Allocates in->surplus_pence by in->rules among in->members (see the
 * top of this file). On SURPLUS_OK every line is >= 0 and
 *   reserve + fund + interest + sum of class paid_pence == surplus,
 *   sum of line totals == interest + sum of class paid_pence.
 * On SURPLUS_NOTHING *out holds a zero line for every member (a deficit or
 * zero surplus shares nothing). On any other error *bad is the index of the
 * class rule or member at fault (0 when none) and *out holds nothing.
 * Release *out with surplus_result_release() after OK or NOTHING. */
enum surplus_error surplus_allocate(const struct surplus_input *in, struct surplus_result *out,
				    size_t *bad);

/* Frees what surplus_allocate() put in *r and zeroes it; NULL is fine. */
void surplus_result_release(struct surplus_result *r);

/* A sentence for a person, e.g. "percentages must be from 0 to 100". */
const char *surplus_message(enum surplus_error e);

/* Apportions total (>= 0) into n parts in proportion to weights (all >= 0,
 * sum > 0) by largest remainder with the tie-break above (keys distinct).
 * Writes out[i]; returns SURPLUS_OK, SURPLUS_ERR_RANGE (weights too large)
 * or SURPLUS_ERR_NOMEM. Exposed for tests. */
enum surplus_error surplus_apportion(int64_t total, const uint64_t *weights, const int64_t *keys,
				     size_t n, int64_t *out);

/* The basis's name ("hours_worked", ...), or NULL when out of range. */
const char *surplus_basis_name(enum surplus_basis b);

/* Parses a basis name; returns 0 or -1. */
int surplus_basis_parse(const char *s, enum surplus_basis *out);

/* Parses an amount of money "1234.56", "1234.5" or "1234" (no sign, no
 * thousands separators, at most 2 decimals) into pence, at most max.
 * Returns 0 or -1. */
int surplus_parse_pence(const char *s, int64_t max, int64_t *out);

/* Writes pence as "1234.56" ("-0.05" for negatives) into out (size n). */
void surplus_format_pence(int64_t pence, char *out, size_t n);

/* Parses a percentage "12", "12.5" or "12.34" (0..100, at most 2
 * decimals) into basis points. Returns 0 or -1. */
int surplus_parse_percent(const char *s, int32_t *bp);

/* Days of [max(from, joined), min(to, left)] inclusive, dates
 * "YYYY-MM-DD" (left "" while a member); 0 when they do not meet, -1 when
 * a date is malformed. */
int32_t surplus_days_in(const char *from, const char *to, const char *joined, const char *left);

#endif
