/*
 * rota: the weekly rota problem of shared/rota-instance.md as plain structs,
 * and the checker that decides a solution against it: hard rules 1-6, travel
 * time, and the cost terms. The solver (rota_solve.h) and the continuity
 * report (rota_report.h) build on this.
 *
 * Pure: no JSON, no time zones, no I/O, no globals. Times are whole minutes
 * on the real (UTC) time line, so durations across a DST change come out
 * right by subtraction; each visit also carries its LOCAL day index, which
 * rules 4 ("same local day") and 6 ("day d+1") need. The adapter
 * (rota_io/rota_json.h) turns local wall-clock times into these.
 */
#ifndef CARECOOP_CORE_ROTA_H
#define CARECOOP_CORE_ROTA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ROTA_ID_MAX         64   /* bytes of an id ("c17", "v1042") */
#define ROTA_SKILLS_MAX     64   /* distinct skills in one instance: one bit each */
#define ROTA_DAYS           7    /* local days in the week, 0 = week_start */
#define ROTA_VISIT_CARERS   2    /* a visit needs 1 or 2 carers (double-up) */
#define ROTA_LISTED_MAX     8    /* carers one solution may list on a visit */
#define ROTA_CARERS_MAX     1000 /* caps, so that every matrix stays small */
#define ROTA_RECIPIENTS_MAX 5000
#define ROTA_VISITS_MAX     20000
#define ROTA_SPANS_MAX      256  /* availability intervals per carer */
#define ROTA_VISIT_MINUTES  1440 /* longest visit */
#define ROTA_WEIGHT_MAX     1000000
#define ROTA_NO_CARER       UINT32_MAX /* violation about a visit's whole list */

enum rota_error {
	ROTA_OK = 0,
	ROTA_ERR_INVALID, /* the instance or solution breaks the format */
	ROTA_ERR_NOMEM,
};

/* The cost terms, in the order `carecoop check` prints them. */
enum rota_term {
	ROTA_TERM_UNCOVERED = 0, /* missing carer places */
	ROTA_TERM_DISTINCT,      /* sum over recipients of distinct carers */
	ROTA_TERM_OFF_TEAM,      /* places filled from outside a non-empty team */
	ROTA_TERM_TRAVEL,        /* travel minutes, consecutive same-day visits */
	ROTA_TERM_CONTRACT,      /* sum over carers of |visit minutes - contract| */
	ROTA_TERMS,
};

struct rota_rules {
	int32_t max_week_minutes; /* rule 5 default (WTR 48 h = 2880) */
	int32_t min_rest_minutes; /* rule 6 (WTR daily rest 11 h = 660) */
	double speed_kmh;         /* travel speed, > 0 */
	double road_factor;       /* road distance / great-circle distance, > 0 */
};

struct rota_location {
	double lat; /* WGS84 degrees */
	double lon;
};

struct rota_span {
	int32_t start; /* UTC minutes since 1970-01-01T00:00Z */
	int32_t end;   /* > start */
};

struct rota_carer {
	char id[ROTA_ID_MAX + 1];    /* for messages and output */
	uint64_t skills;             /* bit i = instance skill i */
	int32_t contract_minutes;    /* >= 0 */
	int32_t max_week_minutes;    /* effective: the carer's own, else the rule */
	struct rota_location home;   /* not used by any rule or term (v1) */
	struct rota_span *available; /* owned; n_available intervals */
	size_t n_available;
};

struct rota_recipient {
	char id[ROTA_ID_MAX + 1];
	struct rota_location location; /* where every visit to them happens */
	uint32_t *team;                /* owned; carer indices; may be empty */
	size_t n_team;
	uint32_t *excluded; /* owned; carer indices never to assign */
	size_t n_excluded;
};

struct rota_visit {
	char id[ROTA_ID_MAX + 1];
	uint32_t recipient; /* index into recipients */
	int32_t start;      /* UTC minutes since 1970-01-01T00:00Z */
	int32_t minutes;    /* 1..ROTA_VISIT_MINUTES */
	int32_t day;        /* local day of start: 0..ROTA_DAYS-1 from week_start */
	uint32_t carers;    /* carers needed: 1 or 2 */
	uint64_t skills;    /* every one of these bits is needed */
};

struct rota_instance {
	struct rota_rules rules;
	int64_t weight[ROTA_TERMS];                   /* 0..ROTA_WEIGHT_MAX each */
	char skill[ROTA_SKILLS_MAX][ROTA_ID_MAX + 1]; /* name of each skill bit */
	size_t n_skills;
	struct rota_carer *carers; /* owned */
	size_t n_carers;
	struct rota_recipient *recipients; /* owned */
	size_t n_recipients;
	struct rota_visit *visits; /* owned */
	size_t n_visits;
};

/* One visit's carers in a solution, as listed (may break rule 3). */
struct rota_assignment {
	uint32_t n;                      /* 0..ROTA_LISTED_MAX */
	uint32_t carer[ROTA_LISTED_MAX]; /* carer indices */
};

struct rota_solution {
	struct rota_assignment *visit; /* owned; one per instance visit, same order */
	size_t n_visits;
};

struct rota_violation {
	uint32_t rule;  /* 1..6 */
	uint32_t visit; /* visit index */
	uint32_t carer; /* carer index, or ROTA_NO_CARER (rule 3: the whole list) */
};

struct rota_eval {
	int64_t term[ROTA_TERMS];          /* unweighted counts, see enum rota_term */
	int64_t cost;                      /* sum of weight * term */
	struct rota_violation *violations; /* owned; sorted by visit, rule, carer */
	size_t n_violations;
};

/* A zeroed instance with room for the given numbers of carers, recipients
 * and visits (each within its cap). Every pointer field of the result and of
 * its carers and recipients is owned by it and released by
 * rota_instance_free() with free(); fill them with malloc'ed arrays.
 * Returns NULL when out of memory or over a cap. */
struct rota_instance *rota_instance_new(size_t n_carers, size_t n_recipients, size_t n_visits);

/* Releases an instance and everything it owns. NULL does nothing. */
void rota_instance_free(struct rota_instance *in);

/* Checks the cross-references and ranges that the solver and checker rely
 * on: indices in range, team and exclusion lists without repeats, intervals
 * with end after start, minutes > 0, carers 1 or 2, days 0..6, rules and
 * weights in range, ids non-empty and unique. On failure writes a message
 * naming the offending object ("visit v17: minutes must be > 0") into msg
 * and returns ROTA_ERR_INVALID. */
enum rota_error rota_instance_validate(const struct rota_instance *in, char *msg, size_t msg_size);

/* A solution with n_visits empty assignments; NULL when out of memory.
 * Release with rota_solution_free(). */
struct rota_solution *rota_solution_new(size_t n_visits);

/* Releases a solution. NULL does nothing. */
void rota_solution_free(struct rota_solution *sol);

/* Travel minutes between two places: haversine great-circle distance on a
 * sphere of radius 6371.0 km, times road_factor, at speed_kmh, rounded up
 * to a whole minute (rota-instance.md, "Travel time"). */
int32_t rota_travel_minutes(const struct rota_rules *rules, struct rota_location a,
			    struct rota_location b);

/* True when carer c may take visit v at all: available for the whole visit
 * inside one interval (rule 1), has every skill it lists and is not
 * excluded by the recipient (rule 2). */
bool rota_carer_available(const struct rota_carer *c, int32_t start, int32_t end);
bool rota_carer_qualified(const struct rota_instance *in, uint32_t carer, uint32_t visit);

/* Checks a solution of a validated instance: every hard-rule violation and
 * every cost term, exactly as rota-instance.md defines them. A carer listed
 * twice on one visit breaks rule 3 and otherwise counts once. On success
 * fills *out (release with rota_eval_release()) and returns ROTA_OK; on
 * ROTA_ERR_NOMEM *out holds nothing to release. sol->n_visits must equal
 * in->n_visits and every listed index must be a carer (asserted). */
enum rota_error rota_evaluate(const struct rota_instance *in, const struct rota_solution *sol,
			      struct rota_eval *out);

/* Releases what rota_evaluate() put in *ev and zeroes it. */
void rota_eval_release(struct rota_eval *ev);

/* The name of a cost term as rota-instance.md spells it ("travel_minute"). */
const char *rota_term_name(enum rota_term t);

#endif
