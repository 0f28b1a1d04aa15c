/*
 * rota_solve: construction and large-neighbourhood search for the weekly
 * rota (see rota_solve.h). Pure: the PRNG and the clock are passed in.
 *
 * The state is a rota that keeps hard rules 1-6 at all times. Each carer's
 * visits are held sorted by start, so whether a carer can take one more
 * visit is decided by its two neighbours (overlap and travel, rule 4), the
 * latest end of the day before and the earliest start of the day after
 * (rest, rule 6) and the week's minutes (rule 5); rules 1 and 2 are fixed
 * per (visit, carer) and precomputed as each visit's list of eligible
 * carers. The cost terms are kept up to date by each insert and removal, so
 * a move is priced in time proportional to the carers it looks at.
 */
#include "core/rota_solve.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NONE         UINT32_MAX
#define NO_TIME_LO   INT32_MIN
#define NO_TIME_HI   INT32_MAX
#define TRAVEL_DENSE 2048 /* recipients up to which travel is a table */
#define DESTROY_MAX  30   /* visits one destroy step removes at most */

/* --- PRNG: xoshiro256** seeded through splitmix64 ------------------------ */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform in [0, n), n > 0 (multiply-shift; bias below 2^-32). */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [0, 1). */
static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* --- solver state ---------------------------------------------------------- */

struct op {
	uint32_t visit;
	uint32_t carer;
	bool insert; /* true: carer was added to visit; false: removed */
};

struct solver {
	const struct rota_instance *in;
	uint32_t nv, nc, nr;
	int32_t rest;
	int64_t w[ROTA_TERMS];

	/* fixed data */
	int32_t *vstart; /* per visit: copies of the hot fields of in->visits */
	int32_t *vend;   /* start + minutes */
	int32_t *vmin;
	int32_t *vday;
	uint32_t *vrec;
	uint32_t *vneed;
	int32_t t_base;        /* earliest visit start */
	int32_t *cmax;         /* per carer: max_week_minutes */
	int32_t *ccontract;    /* per carer: contract_minutes */
	uint32_t *elig_first;  /* per visit (nv + 1): CSR into elig */
	uint32_t *elig;        /* carers that meet rules 1 and 2 */
	uint8_t *off;          /* nr * nc: 1 when c counts as off-team for r */
	uint16_t *travel;      /* nr * nr minutes, or NULL: compute */
	uint32_t *rv_first;    /* per recipient (nr + 1): CSR into rv */
	uint32_t *rv;          /* visits of each recipient, by start */
	uint32_t *by_start;    /* all visits by start */
	uint8_t *pinned;       /* per visit: never change */
	uint32_t *sched_first; /* per carer (nc + 1): CSR into sched */

	/* the rota */
	uint32_t (*asg)[ROTA_VISIT_CARERS]; /* per visit: its carers */
	uint8_t *nasg;                      /* per visit: how many */
	uint64_t *sched;                    /* per carer: sched_key() of its visits, ascending */
	uint32_t *sched_n;
	int32_t *minutes;                /* per carer: visit minutes */
	int32_t (*day_start)[ROTA_DAYS]; /* per carer and day: earliest start */
	int32_t (*day_end)[ROTA_DAYS];   /* per carer and day: latest end */
	uint16_t *count;                 /* nr * nc: visits of r done by c */
	int64_t term[ROTA_TERMS];
	uint32_t *unc;     /* visits with an open place (not pinned) */
	uint32_t *unc_pos; /* per visit: index in unc, or NONE */
	uint32_t n_unc;

	/* undo log of the current move */
	struct op *log;
	size_t n_log, cap_log;
	bool logging;

	/* scratch */
	uint32_t *pending; /* visits to repair */
	uint32_t n_pending;
	uint32_t *mark; /* per visit: == stamp when in pending */
	uint32_t stamp;
	int64_t *key; /* per pending entry: sort key */
	uint32_t *tmp;

	struct rng rng;
};

static int64_t cost_of(const struct solver *s)
{
	int64_t c = 0;

	for (int t = 0; t < ROTA_TERMS; t++)
		c += s->w[t] * s->term[t];
	return c;
}

static int32_t travel(const struct solver *s, uint32_t a, uint32_t b)
{
	if (a == b)
		return 0;
	if (s->travel != NULL)
		return s->travel[(size_t)a * s->nr + b];
	return rota_travel_minutes(&s->in->rules, s->in->recipients[a].location,
				   s->in->recipients[b].location);
}

/* Travel from visit a to visit b when they are on the same local day. */
static int32_t leg(const struct solver *s, uint32_t a, uint32_t b)
{
	return s->vday[a] == s->vday[b] ? travel(s, s->vrec[a], s->vrec[b]) : 0;
}

static bool before(const struct solver *s, uint32_t a, uint32_t b)
{
	int32_t sa = s->vstart[a], sb = s->vstart[b];

	return sa < sb || (sa == sb && a < b);
}

/* A visit's place in a schedule: (start, index) in one integer, so that the
 * search below compares keys that lie next to each other in memory. */
static uint64_t sched_key(const struct solver *s, uint32_t v)
{
	return ((uint64_t)(uint32_t)(s->vstart[v] - s->t_base) << 32) | v;
}

/* Copies carer c's visits, in order, into out. */
static void sched_visits(const struct solver *s, uint32_t c, uint32_t *out)
{
	const uint64_t *sc = s->sched + s->sched_first[c];

	for (uint32_t i = 0; i < s->sched_n[c]; i++)
		out[i] = (uint32_t)sc[i];
}

/* First position in carer c's schedule not before visit v. */
static uint32_t sched_lower(const struct solver *s, uint32_t c, uint32_t v)
{
	const uint64_t *sc = s->sched + s->sched_first[c];
	uint64_t key = sched_key(s, v);
	uint32_t lo = 0, hi = s->sched_n[c];

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (sc[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool has_carer(const struct solver *s, uint32_t v, uint32_t c)
{
	for (uint32_t k = 0; k < s->nasg[v]; k++)
		if (s->asg[v][k] == c)
			return true;
	return false;
}

static int64_t contract_delta(const struct solver *s, uint32_t c, int32_t add)
{
	int64_t k = s->ccontract[c], m = s->minutes[c];

	return llabs(m + add - k) - llabs(m - k);
}

/* Whether carer c may also take visit v under rules 3-6 (rules 1 and 2 are
 * the caller's: c must be in v's eligible list), and if so the change of
 * cost in *delta. */
static bool insert_delta(const struct solver *s, uint32_t c, uint32_t v, int64_t *delta)
{
	const uint64_t *sc = s->sched + s->sched_first[c];
	uint32_t n = s->sched_n[c], pos, pred, succ;
	int32_t start = s->vstart[v], end = s->vend[v];
	int d = s->vday[v];
	int64_t tr = 0, dl;

	if (s->minutes[c] + s->vmin[v] > s->cmax[c])
		return false;
	if (has_carer(s, v, c))
		return false;
	if (d > 0 && s->day_end[c][d - 1] != NO_TIME_LO &&
	    (int64_t)start - s->day_end[c][d - 1] < s->rest)
		return false;
	if (d < ROTA_DAYS - 1 && s->day_start[c][d + 1] != NO_TIME_HI &&
	    (int64_t)s->day_start[c][d + 1] - end < s->rest)
		return false;
	pos = sched_lower(s, c, v);
	pred = pos > 0 ? (uint32_t)sc[pos - 1] : NONE;
	succ = pos < n ? (uint32_t)sc[pos] : NONE;
	if (pred != NONE) {
		int32_t t = leg(s, pred, v);

		if ((int64_t)start - s->vend[pred] < t)
			return false;
		tr += t;
	}
	if (succ != NONE) {
		int32_t t = leg(s, v, succ);

		if ((int64_t)s->vstart[succ] - end < t)
			return false;
		tr += t;
	}
	if (pred != NONE && succ != NONE)
		tr -= leg(s, pred, succ);
	dl = -s->w[ROTA_TERM_UNCOVERED] + s->w[ROTA_TERM_TRAVEL] * tr +
	     s->w[ROTA_TERM_CONTRACT] * contract_delta(s, c, s->vmin[v]);
	if (s->count[(size_t)s->vrec[v] * s->nc + c] == 0)
		dl += s->w[ROTA_TERM_DISTINCT];
	if (s->off[(size_t)s->vrec[v] * s->nc + c])
		dl += s->w[ROTA_TERM_OFF_TEAM];
	*delta = dl;
	return true;
}

/* Whether removing carer c from visit v keeps rule 4 between the two
 * visits that become consecutive. By the triangle inequality it always
 * does; this guards against rounding at a whole-minute boundary. */
static bool remove_ok(const struct solver *s, uint32_t c, uint32_t v)
{
	const uint64_t *sc = s->sched + s->sched_first[c];
	uint32_t pos = sched_lower(s, c, v);
	uint32_t pred, succ;

	if (pos == 0 || pos + 1 >= s->sched_n[c])
		return true;
	pred = (uint32_t)sc[pos - 1];
	succ = (uint32_t)sc[pos + 1];
	return (int64_t)s->vstart[succ] - s->vend[pred] >= leg(s, pred, succ);
}

static void unc_update(struct solver *s, uint32_t v)
{
	bool open = s->nasg[v] < s->vneed[v] && !s->pinned[v];

	if (open && s->unc_pos[v] == NONE) {
		s->unc_pos[v] = s->n_unc;
		s->unc[s->n_unc++] = v;
	} else if (!open && s->unc_pos[v] != NONE) {
		uint32_t i = s->unc_pos[v], last = s->unc[--s->n_unc];

		s->unc[i] = last;
		s->unc_pos[last] = i;
		s->unc_pos[v] = NONE;
	}
}

static void day_recompute(struct solver *s, uint32_t c, int d)
{
	const uint64_t *sc = s->sched + s->sched_first[c];
	int32_t lo = NO_TIME_HI, hi = NO_TIME_LO;

	for (uint32_t i = 0; i < s->sched_n[c]; i++) {
		uint32_t v = (uint32_t)sc[i];

		if (s->vday[v] != d)
			continue;
		if (s->vstart[v] < lo)
			lo = s->vstart[v];
		if (s->vend[v] > hi)
			hi = s->vend[v];
	}
	s->day_start[c][d] = lo;
	s->day_end[c][d] = hi;
}

static bool log_push(struct solver *s, uint32_t v, uint32_t c, bool insert)
{
	if (!s->logging)
		return true;
	if (s->n_log == s->cap_log) {
		size_t cap = s->cap_log == 0 ? 256 : 2 * s->cap_log;
		struct op *nl = realloc(s->log, cap * sizeof *nl);

		if (nl == NULL)
			return false;
		s->log = nl;
		s->cap_log = cap;
	}
	s->log[s->n_log++] = (struct op){v, c, insert};
	return true;
}

/* Adds carer c to visit v; the caller has checked insert_delta(). */
static bool do_insert(struct solver *s, uint32_t c, uint32_t v)
{
	uint64_t *sc = s->sched + s->sched_first[c];
	uint32_t n = s->sched_n[c], pos = sched_lower(s, c, v);
	uint32_t pred = pos > 0 ? (uint32_t)sc[pos - 1] : NONE;
	uint32_t succ = pos < n ? (uint32_t)sc[pos] : NONE;
	size_t rc = (size_t)s->vrec[v] * s->nc + c;
	int d = s->vday[v];

	assert(s->nasg[v] < s->vneed[v] && !has_carer(s, v, c));
	if (!log_push(s, v, c, true))
		return false;
	if (pred != NONE)
		s->term[ROTA_TERM_TRAVEL] += leg(s, pred, v);
	if (succ != NONE)
		s->term[ROTA_TERM_TRAVEL] += leg(s, v, succ);
	if (pred != NONE && succ != NONE)
		s->term[ROTA_TERM_TRAVEL] -= leg(s, pred, succ);
	memmove(sc + pos + 1, sc + pos, (n - pos) * sizeof *sc);
	sc[pos] = sched_key(s, v);
	s->sched_n[c]++;
	s->term[ROTA_TERM_CONTRACT] += contract_delta(s, c, s->vmin[v]);
	s->minutes[c] += s->vmin[v];
	if (s->vstart[v] < s->day_start[c][d])
		s->day_start[c][d] = s->vstart[v];
	if (s->vend[v] > s->day_end[c][d])
		s->day_end[c][d] = s->vend[v];
	if (s->count[rc]++ == 0)
		s->term[ROTA_TERM_DISTINCT]++;
	s->term[ROTA_TERM_OFF_TEAM] += s->off[rc];
	s->term[ROTA_TERM_UNCOVERED]--;
	s->asg[v][s->nasg[v]++] = c;
	unc_update(s, v);
	return true;
}

/* Removes carer c from visit v (c must be on it). */
static bool do_remove(struct solver *s, uint32_t c, uint32_t v)
{
	uint64_t *sc = s->sched + s->sched_first[c];
	uint32_t n = s->sched_n[c], pos = sched_lower(s, c, v);
	uint32_t pred = pos > 0 ? (uint32_t)sc[pos - 1] : NONE;
	uint32_t succ = pos + 1 < n ? (uint32_t)sc[pos + 1] : NONE;
	size_t rc = (size_t)s->vrec[v] * s->nc + c;
	uint32_t k;

	assert(pos < n && (uint32_t)sc[pos] == v);
	if (!log_push(s, v, c, false))
		return false;
	if (pred != NONE)
		s->term[ROTA_TERM_TRAVEL] -= leg(s, pred, v);
	if (succ != NONE)
		s->term[ROTA_TERM_TRAVEL] -= leg(s, v, succ);
	if (pred != NONE && succ != NONE)
		s->term[ROTA_TERM_TRAVEL] += leg(s, pred, succ);
	memmove(sc + pos, sc + pos + 1, (n - pos - 1) * sizeof *sc);
	s->sched_n[c]--;
	s->term[ROTA_TERM_CONTRACT] += contract_delta(s, c, -s->vmin[v]);
	s->minutes[c] -= s->vmin[v];
	day_recompute(s, c, s->vday[v]);
	if (--s->count[rc] == 0)
		s->term[ROTA_TERM_DISTINCT]--;
	s->term[ROTA_TERM_OFF_TEAM] -= s->off[rc];
	s->term[ROTA_TERM_UNCOVERED]++;
	for (k = 0; s->asg[v][k] != c; k++)
		;
	for (; k + 1 < s->nasg[v]; k++)
		s->asg[v][k] = s->asg[v][k + 1];
	s->nasg[v]--;
	unc_update(s, v);
	return true;
}

/* Reverts the logged move. Replaying the inverse ops in reverse order
 * passes through states that were all feasible, so none can fail but for
 * memory, which the log does not need while it is off. */
static void undo(struct solver *s)
{
	s->logging = false;
	while (s->n_log > 0) {
		struct op o = s->log[--s->n_log];

		if (o.insert)
			do_remove(s, o.carer, o.visit);
		else
			do_insert(s, o.carer, o.visit);
	}
	s->logging = true;
}

/* --- setup ----------------------------------------------------------------- */

static int by_start_cmp(const void *a, const void *b, const struct rota_instance *in)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int32_t sx = in->visits[x].start, sy = in->visits[y].start;

	if (sx != sy)
		return sx < sy ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Sorts visit indices by (start, index): insertion sort on runs is too slow
 * for 20,000 visits and qsort has no context pointer in C17, so a merge
 * sort it is. */
static void sort_by_start(uint32_t *v, uint32_t *tmp, size_t n, const struct rota_instance *in)
{
	size_t h = n / 2, i = 0, j = h, k = 0;

	if (n < 2)
		return;
	sort_by_start(v, tmp, h, in);
	sort_by_start(v + h, tmp, n - h, in);
	while (i < h && j < n)
		tmp[k++] = by_start_cmp(&v[j], &v[i], in) < 0 ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof *v);
}

static void solver_free(struct solver *s)
{
	free(s->vstart);
	free(s->vend);
	free(s->vmin);
	free(s->vday);
	free(s->vrec);
	free(s->vneed);
	free(s->cmax);
	free(s->ccontract);
	free(s->elig_first);
	free(s->elig);
	free(s->off);
	free(s->travel);
	free(s->rv_first);
	free(s->rv);
	free(s->by_start);
	free(s->pinned);
	free(s->sched_first);
	free(s->asg);
	free(s->nasg);
	free(s->sched);
	free(s->sched_n);
	free(s->minutes);
	free(s->day_start);
	free(s->day_end);
	free(s->count);
	free(s->unc);
	free(s->unc_pos);
	free(s->log);
	free(s->pending);
	free(s->mark);
	free(s->key);
	free(s->tmp);
}

static enum rota_error solver_init(struct solver *s, const struct rota_instance *in,
				   const bool *pinned, uint64_t seed)
{
	uint32_t nv = (uint32_t)in->n_visits, nc = (uint32_t)in->n_carers;
	uint32_t nr = (uint32_t)in->n_recipients;
	size_t n_elig = 0;

	memset(s, 0, sizeof *s);
	s->in = in;
	s->nv = nv;
	s->nc = nc;
	s->nr = nr;
	s->rest = in->rules.min_rest_minutes;
	for (int t = 0; t < ROTA_TERMS; t++)
		s->w[t] = in->weight[t];
	rng_seed(&s->rng, seed);
	s->logging = true;

	s->vstart = malloc((nv + 1) * sizeof *s->vstart);
	s->vend = malloc((nv + 1) * sizeof *s->vend);
	s->vmin = malloc((nv + 1) * sizeof *s->vmin);
	s->vday = malloc((nv + 1) * sizeof *s->vday);
	s->vrec = malloc((nv + 1) * sizeof *s->vrec);
	s->vneed = malloc((nv + 1) * sizeof *s->vneed);
	s->cmax = malloc((nc + 1) * sizeof *s->cmax);
	s->ccontract = malloc((nc + 1) * sizeof *s->ccontract);
	s->elig_first = calloc(nv + 1, sizeof *s->elig_first);
	s->off = calloc((size_t)nr * nc + 1, 1);
	s->rv_first = calloc(nr + 2, sizeof *s->rv_first);
	s->rv = malloc((nv + 1) * sizeof *s->rv);
	s->by_start = malloc((nv + 1) * sizeof *s->by_start);
	s->pinned = calloc(nv + 1, 1);
	s->sched_first = calloc(nc + 2, sizeof *s->sched_first);
	s->asg = calloc(nv + 1, sizeof *s->asg);
	s->nasg = calloc(nv + 1, 1);
	s->sched_n = calloc(nc + 1, sizeof *s->sched_n);
	s->minutes = calloc(nc + 1, sizeof *s->minutes);
	s->day_start = malloc((nc + 1) * sizeof *s->day_start);
	s->day_end = malloc((nc + 1) * sizeof *s->day_end);
	s->count = calloc((size_t)nr * nc + 1, sizeof *s->count);
	s->unc = malloc((nv + 1) * sizeof *s->unc);
	s->unc_pos = malloc((nv + 1) * sizeof *s->unc_pos);
	s->pending = malloc((nv + 1) * sizeof *s->pending);
	s->mark = calloc(nv + 1, sizeof *s->mark);
	s->key = malloc((nv + 1) * sizeof *s->key);
	s->tmp = malloc(((nv > nr ? nv : nr) + 1) * sizeof *s->tmp);
	if (s->vstart == NULL || s->vmin == NULL || s->vday == NULL || s->vrec == NULL ||
	    s->vneed == NULL || s->cmax == NULL || s->ccontract == NULL || s->vend == NULL ||
	    s->elig_first == NULL || s->off == NULL || s->rv_first == NULL || s->rv == NULL ||
	    s->by_start == NULL || s->pinned == NULL || s->sched_first == NULL || s->asg == NULL ||
	    s->nasg == NULL || s->sched_n == NULL || s->minutes == NULL || s->day_start == NULL ||
	    s->day_end == NULL || s->count == NULL || s->unc == NULL || s->unc_pos == NULL ||
	    s->pending == NULL || s->mark == NULL || s->key == NULL || s->tmp == NULL)
		return ROTA_ERR_NOMEM;

	s->t_base = INT32_MAX;
	for (uint32_t v = 0; v < nv; v++)
		if (in->visits[v].start < s->t_base)
			s->t_base = in->visits[v].start;
	for (uint32_t c = 0; c < nc; c++) {
		s->cmax[c] = in->carers[c].max_week_minutes;
		s->ccontract[c] = in->carers[c].contract_minutes;
	}
	/* eligibility (rules 1 and 2): two passes, count then fill */
	for (uint32_t v = 0; v < nv; v++) {
		s->vstart[v] = in->visits[v].start;
		s->vmin[v] = in->visits[v].minutes;
		s->vday[v] = in->visits[v].day;
		s->vrec[v] = in->visits[v].recipient;
		s->vneed[v] = in->visits[v].carers;
		s->vend[v] = in->visits[v].start + in->visits[v].minutes;
		s->pinned[v] = pinned != NULL && pinned[v];
		for (uint32_t c = 0; c < nc; c++)
			if (rota_carer_qualified(in, c, v) &&
			    rota_carer_available(&in->carers[c], in->visits[v].start, s->vend[v])) {
				n_elig++;
				s->sched_first[c + 1]++;
			}
		s->elig_first[v + 1] = (uint32_t)n_elig;
	}
	s->elig = malloc((n_elig + 1) * sizeof *s->elig);
	s->sched = malloc((n_elig + 1) * sizeof *s->sched);
	if (s->elig == NULL || s->sched == NULL)
		return ROTA_ERR_NOMEM;
	for (uint32_t v = 0, k = 0; v < nv; v++)
		for (uint32_t c = 0; c < nc; c++)
			if (rota_carer_qualified(in, c, v) &&
			    rota_carer_available(&in->carers[c], in->visits[v].start, s->vend[v]))
				s->elig[k++] = c;
	for (uint32_t c = 0; c < nc; c++)
		s->sched_first[c + 1] += s->sched_first[c];

	for (uint32_t r = 0; r < nr; r++) {
		const struct rota_recipient *rr = &in->recipients[r];

		if (rr->n_team == 0)
			continue;
		memset(s->off + (size_t)r * nc, 1, nc);
		for (size_t k = 0; k < rr->n_team; k++)
			s->off[(size_t)r * nc + rr->team[k]] = 0;
	}
	if (nr <= TRAVEL_DENSE) {
		s->travel = malloc(((size_t)nr * nr + 1) * sizeof *s->travel);
		if (s->travel == NULL)
			return ROTA_ERR_NOMEM;
		for (uint32_t a = 0; a < nr; a++)
			for (uint32_t b = 0; b < nr; b++) {
				int32_t t =
					rota_travel_minutes(&in->rules, in->recipients[a].location,
							    in->recipients[b].location);

				s->travel[(size_t)a * nr + b] =
					(uint16_t)(t > UINT16_MAX ? UINT16_MAX : t);
			}
	}

	for (uint32_t v = 0; v < nv; v++)
		s->by_start[v] = v;
	sort_by_start(s->by_start, s->tmp, nv, in);
	for (uint32_t v = 0; v < nv; v++)
		s->rv_first[in->visits[v].recipient + 1]++;
	for (uint32_t r = 0; r < nr; r++)
		s->rv_first[r + 1] += s->rv_first[r];
	memset(s->tmp, 0, ((size_t)nr + 1) * sizeof *s->tmp); /* fill counter per recipient */
	for (uint32_t i = 0; i < nv; i++) {
		uint32_t v = s->by_start[i], r = in->visits[v].recipient;

		s->rv[s->rv_first[r] + s->tmp[r]] = v;
		s->tmp[r]++;
	}

	for (uint32_t c = 0; c < nc; c++)
		for (int d = 0; d < ROTA_DAYS; d++) {
			s->day_start[c][d] = NO_TIME_HI;
			s->day_end[c][d] = NO_TIME_LO;
		}
	for (uint32_t v = 0; v < nv; v++) {
		s->term[ROTA_TERM_UNCOVERED] += in->visits[v].carers;
		s->unc_pos[v] = NONE;
		unc_update(s, v);
	}
	for (uint32_t c = 0; c < nc; c++)
		s->term[ROTA_TERM_CONTRACT] += in->carers[c].contract_minutes;
	return ROTA_OK;
}

/* Forgets the rota, keeping the fixed data. */
static void state_reset(struct solver *s)
{
	memset(s->nasg, 0, s->nv);
	memset(s->sched_n, 0, s->nc * sizeof *s->sched_n);
	memset(s->minutes, 0, s->nc * sizeof *s->minutes);
	memset(s->count, 0, (size_t)s->nr * s->nc * sizeof *s->count);
	memset(s->term, 0, sizeof s->term);
	s->n_unc = 0;
	s->n_log = 0;
	for (uint32_t c = 0; c < s->nc; c++)
		for (int d = 0; d < ROTA_DAYS; d++) {
			s->day_start[c][d] = NO_TIME_HI;
			s->day_end[c][d] = NO_TIME_LO;
		}
	for (uint32_t v = 0; v < s->nv; v++) {
		s->term[ROTA_TERM_UNCOVERED] += s->vneed[v];
		s->unc_pos[v] = NONE;
		unc_update(s, v);
	}
	for (uint32_t c = 0; c < s->nc; c++)
		s->term[ROTA_TERM_CONTRACT] += s->ccontract[c];
}

/* Makes the rota the one saved in asg/nasg (which kept every rule): each
 * visit is added in order of start, so every check sees the true
 * neighbours. */
static void load(struct solver *s, uint32_t (*asg)[ROTA_VISIT_CARERS], const uint8_t *nasg)
{
	bool logging = s->logging;

	s->logging = false;
	state_reset(s);
	for (uint32_t i = 0; i < s->nv; i++) {
		uint32_t v = s->by_start[i];

		for (uint32_t k = 0; k < nasg[v]; k++)
			do_insert(s, asg[v][k], v);
	}
	s->logging = logging;
}

/* --- repair ---------------------------------------------------------------- */

enum order {
	ORDER_RANDOM,
	ORDER_START,
	ORDER_HARD,
	ORDER_REGRET,
	ORDERS,
};

static void pending_clear(struct solver *s)
{
	s->n_pending = 0;
	if (++s->stamp == 0) {
		memset(s->mark, 0, s->nv * sizeof *s->mark);
		s->stamp = 1;
	}
}

static void pending_add(struct solver *s, uint32_t v)
{
	if (s->mark[v] == s->stamp || s->pinned[v])
		return;
	s->mark[v] = s->stamp;
	s->pending[s->n_pending++] = v;
}

/* The carer whose taking one more place on v lowers the cost most (plus
 * random noise in [0, noise)), or NONE. *best is that change and, when
 * second is not NULL, *second the next best; both at most 0, since leaving
 * the place open changes nothing.
 *
 * Carers who already visit this person are priced first. A carer new to
 * the person pays the distinct weight and can save at most the visit's
 * minutes of contract gap and a minute of travel (rounding; otherwise the
 * triangle inequality): when a familiar carer already beats that bound,
 * nobody new can win and the rest of the list is skipped. The bound is
 * exact, so this changes only speed, never the choice (but for ties). */
static uint32_t best_carer(struct solver *s, uint32_t v, uint32_t noise, int64_t *best,
			   int64_t *second)
{
	const uint16_t *cnt = s->count + (size_t)s->vrec[v] * s->nc;
	uint32_t bc = NONE;
	int64_t bd = 0, sd = 0, d, bound;
	bool prune = noise == 0 && second == NULL;

	bound = -s->w[ROTA_TERM_UNCOVERED] + s->w[ROTA_TERM_DISTINCT] -
		s->w[ROTA_TERM_CONTRACT] * s->vmin[v] - s->w[ROTA_TERM_TRAVEL];
	for (int pass = prune ? 0 : 1; pass < 2; pass++) {
		if (pass == 1 && prune && bd <= bound)
			break;
		for (uint32_t k = s->elig_first[v]; k < s->elig_first[v + 1]; k++) {
			uint32_t c = s->elig[k];

			if (prune && (pass == 0) != (cnt[c] > 0))
				continue;
			if (!insert_delta(s, c, v, &d))
				continue;
			if (noise > 0)
				d += rng_below(&s->rng, noise);
			if (d < bd) {
				sd = bd;
				bd = d;
				bc = c;
			} else if (d < sd) {
				sd = d;
			}
		}
	}
	*best = bd;
	if (second != NULL)
		*second = sd;
	return bc;
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Orders pending by a 40-bit key, ties by visit (keys must be unique for
 * qsort to be deterministic). */
static void pending_sort(struct solver *s, uint64_t (*keyf)(struct solver *, uint32_t))
{
	uint64_t *k = (uint64_t *)s->key;

	for (uint32_t i = 0; i < s->n_pending; i++)
		k[i] = (keyf(s, s->pending[i]) << 24) | s->pending[i];
	qsort(k, s->n_pending, sizeof *k, u64_cmp);
	for (uint32_t i = 0; i < s->n_pending; i++)
		s->pending[i] = (uint32_t)(k[i] & 0xffffff);
}

static uint64_t key_start(struct solver *s, uint32_t v)
{
	return (uint64_t)(uint32_t)(s->vstart[v] - s->vstart[s->by_start[0]]);
}

static uint64_t key_hard(struct solver *s, uint32_t v)
{
	uint64_t n = s->elig_first[v + 1] - s->elig_first[v];

	/* fewest carers per place first; double-ups a little earlier */
	return ((n * 4 / (s->vneed[v] + 1)) << 12) | rng_below(&s->rng, 4096);
}

static bool fill(struct solver *s, uint32_t v, uint32_t noise)
{
	int64_t b;

	while (s->nasg[v] < s->vneed[v]) {
		uint32_t c = best_carer(s, v, noise, &b, NULL);

		if (c == NONE)
			return true;
		if (!do_insert(s, c, v))
			return false;
	}
	return true;
}

/* Regret insertion: repeatedly fill the place whose best option is furthest
 * ahead of its second best. Quadratic in the pending visits: small ones. */
static bool fill_regret(struct solver *s, uint32_t noise)
{
	uint32_t n = s->n_pending;
	uint32_t *p = s->pending;

	while (n > 0) {
		uint32_t pick = NONE, pc = NONE;
		int64_t pr = -1;

		for (uint32_t i = 0; i < n;) {
			uint32_t v = p[i], c;
			int64_t b, sb;

			if (s->nasg[v] >= s->vneed[v] ||
			    (c = best_carer(s, v, noise, &b, &sb)) == NONE) {
				p[i] = p[--n]; /* done, or no carer can take it now */
				p[n] = v;
				continue;
			}
			if (sb - b > pr) {
				pr = sb - b;
				pick = v;
				pc = c;
			}
			i++;
		}
		if (pick == NONE)
			break;
		if (!do_insert(s, pc, pick))
			return false;
	}
	return true;
}

static bool repair(struct solver *s, enum order ord, uint32_t noise)
{
	uint32_t n = s->n_pending;

	switch (ord) {
	case ORDER_RANDOM:
		for (uint32_t i = n; i > 1; i--) {
			uint32_t j = rng_below(&s->rng, i), t = s->pending[i - 1];

			s->pending[i - 1] = s->pending[j];
			s->pending[j] = t;
		}
		break;
	case ORDER_START:
		pending_sort(s, key_start);
		break;
	case ORDER_HARD:
		pending_sort(s, key_hard);
		break;
	case ORDER_REGRET:
	case ORDERS:
		return fill_regret(s, noise);
	}
	for (uint32_t i = 0; i < n; i++)
		if (!fill(s, s->pending[i], noise))
			return false;
	return true;
}

/* --- destroy ------------------------------------------------------------- */

static bool remove_place(struct solver *s, uint32_t v, uint32_t c)
{
	if (s->pinned[v] || !remove_ok(s, c, v))
		return true;
	pending_add(s, v);
	return do_remove(s, c, v);
}

static bool remove_visit(struct solver *s, uint32_t v)
{
	uint32_t list[ROTA_VISIT_CARERS], n = s->nasg[v];

	if (s->pinned[v])
		return true;
	memcpy(list, s->asg[v], n * sizeof *list);
	pending_add(s, v);
	for (uint32_t k = 0; k < n; k++)
		if (!remove_place(s, v, list[k]))
			return false;
	return true;
}

/* Removes carer c from every visit that keeps c from taking visit u:
 * overlap, travel on the same day, rest against the day before and after,
 * and then, while the week would be too long, visits at random. */
static bool remove_blockers(struct solver *s, uint32_t c, uint32_t u)
{
	uint32_t n = s->sched_n[c], m = 0;
	uint32_t *list = s->tmp;

	sched_visits(s, c, list);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t w = list[i];
		bool clash = s->vstart[w] < s->vend[u] && s->vstart[u] < s->vend[w];

		if (s->vday[w] == s->vday[u])
			clash = clash ||
				(before(s, w, u) ? s->vstart[u] - s->vend[w] < leg(s, w, u)
						 : s->vstart[w] - s->vend[u] < leg(s, u, w));
		else if (s->vday[w] == s->vday[u] - 1)
			clash = clash || s->vstart[u] - s->vend[w] < s->rest;
		else if (s->vday[w] == s->vday[u] + 1)
			clash = clash || s->vstart[w] - s->vend[u] < s->rest;
		if (clash && !remove_place(s, w, c))
			return false;
		if (!clash)
			list[m++] = w;
	}
	while (m > 0 && s->minutes[c] + s->vmin[u] > s->cmax[c]) {
		uint32_t i = rng_below(&s->rng, m);

		if (!remove_place(s, list[i], c))
			return false;
		list[i] = list[--m];
	}
	return true;
}

static uint32_t random_assigned_visit(struct solver *s)
{
	for (int tries = 0; tries < 32; tries++) {
		uint32_t v = rng_below(&s->rng, s->nv);

		if (s->nasg[v] > 0 && !s->pinned[v])
			return v;
	}
	return NONE;
}

static bool destroy_random(struct solver *s, uint32_t k)
{
	for (uint32_t tries = 0; tries < 4 * k && s->n_pending < k; tries++) {
		uint32_t v = random_assigned_visit(s);

		if (v != NONE && !remove_visit(s, v))
			return false;
	}
	return true;
}

/* A run of one person's visits (sometimes all): re-teams that person. */
static bool destroy_person(struct solver *s, uint32_t k)
{
	uint32_t v0 = rng_below(&s->rng, s->nv), r = s->vrec[v0];
	uint32_t first = s->rv_first[r], n = s->rv_first[r + 1] - first, from = 0;

	if (n > k && !(n <= 2 * k && rng_below(&s->rng, 3) == 0)) {
		from = rng_below(&s->rng, n - k + 1);
		n = k;
	}
	for (uint32_t i = 0; i < n; i++)
		if (!remove_visit(s, s->rv[first + from + i]))
			return false;
	return true;
}

/* One of a person's less frequent carers leaves all of that person's visits,
 * and the person's main carer (or a team member) is freed around those
 * times to take them over: the move that shrinks the number of distinct
 * carers a person sees. */
static bool destroy_person_carer(struct solver *s)
{
	uint32_t v0 = random_assigned_visit(s), r, first, n, c = NONE, b = NONE;
	const struct rota_recipient *rr;
	uint16_t *cnt;

	if (v0 == NONE)
		return true;
	r = s->vrec[v0];
	rr = &s->in->recipients[r];
	cnt = s->count + (size_t)r * s->nc;
	first = s->rv_first[r];
	n = s->rv_first[r + 1] - first;
	/* the rarest carer among a few sampled visits of this person */
	for (int t = 0; t < 3; t++) {
		uint32_t v = s->rv[first + rng_below(&s->rng, n)];

		for (uint32_t k = 0; k < s->nasg[v]; k++)
			if (c == NONE || cnt[s->asg[v][k]] < cnt[c])
				c = s->asg[v][k];
	}
	if (c == NONE)
		return true;
	if (rr->n_team > 0 && rng_below(&s->rng, 2) == 0) {
		b = rr->team[rng_below(&s->rng, (uint32_t)rr->n_team)];
	} else {
		for (uint32_t x = 0; x < s->nc; x++)
			if (x != c && cnt[x] > 0 && (b == NONE || cnt[x] > cnt[b]))
				b = x;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t v = s->rv[first + i];

		if (has_carer(s, v, c)) {
			if (!remove_place(s, v, c))
				return false;
			if (b != NONE && b != c && !has_carer(s, v, b) && !remove_blockers(s, b, v))
				return false;
		}
	}
	return true;
}

/* One carer's day (sometimes two): lets other carers swap in. */
static bool destroy_carer_day(struct solver *s, uint32_t k)
{
	uint32_t v0 = random_assigned_visit(s), c, n;
	int d;

	if (v0 == NONE)
		return true;
	c = s->asg[v0][rng_below(&s->rng, s->nasg[v0])];
	d = s->vday[v0];
	n = s->sched_n[c];
	sched_visits(s, c, s->tmp);
	bool two = rng_below(&s->rng, 4) == 0;

	for (uint32_t i = 0; i < n && s->n_pending < 2 * k; i++) {
		int wd = s->vday[s->tmp[i]];

		if ((wd == d || (two && wd == d + 1)) && !remove_place(s, s->tmp[i], c))
			return false;
	}
	return true;
}

/* Visits at about the same time: carers trade them. */
static bool destroy_window(struct solver *s, uint32_t k)
{
	uint32_t v0 = random_assigned_visit(s), lo = 0, hi = s->nv, a, m;
	int32_t t0, span = 60 + (int32_t)rng_below(&s->rng, 120);

	if (v0 == NONE)
		return true;
	t0 = s->vstart[v0];
	while (lo < hi) { /* first visit starting at or after t0 - span */
		uint32_t mid = lo + (hi - lo) / 2;

		if (s->vstart[s->by_start[mid]] < t0 - span)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (a = lo, m = 0; a < s->nv && s->vstart[s->by_start[a]] <= t0 + span; a++)
		if (s->nasg[s->by_start[a]] > 0)
			s->tmp[m++] = s->by_start[a];
	for (uint32_t i = 0; i < k && m > 0; i++) {
		uint32_t j = rng_below(&s->rng, m), v = s->tmp[j];

		s->tmp[j] = s->tmp[--m];
		if (!remove_visit(s, v))
			return false;
	}
	return true;
}

/* An open place, and for one carer who may take it everything in the way:
 * an ejection chain that the repair then closes. */
static bool destroy_uncovered(struct solver *s, uint32_t *focus)
{
	uint32_t u, ne, c;

	*focus = NONE;
	if (s->n_unc == 0)
		return true;
	u = s->unc[rng_below(&s->rng, s->n_unc)];
	ne = s->elig_first[u + 1] - s->elig_first[u];
	if (ne == 0)
		return true;
	c = s->elig[s->elig_first[u] + rng_below(&s->rng, ne)];
	if (has_carer(s, u, c))
		return true;
	*focus = u;
	pending_add(s, u);
	return remove_blockers(s, c, u);
}

/* --- search ----------------------------------------------------------------- */

enum destroy {
	D_RANDOM,
	D_PERSON,
	D_PERSON_CARER,
	D_CARER_DAY,
	D_WINDOW,
	D_UNCOVERED,
	DESTROYS,
};

static const uint32_t destroy_weight[DESTROYS] = {
	[D_RANDOM] = 2,    [D_PERSON] = 3, [D_PERSON_CARER] = 4,
	[D_CARER_DAY] = 3, [D_WINDOW] = 3, [D_UNCOVERED] = 3,
};

static enum destroy pick_destroy(struct solver *s)
{
	uint32_t total = 0, x;
	int d;

	for (d = 0; d < DESTROYS; d++)
		total += destroy_weight[d];
	x = rng_below(&s->rng, total);
	for (d = 0; x >= destroy_weight[d]; d++)
		x -= destroy_weight[d];
	return (enum destroy)d;
}

/* One large-neighbourhood move: destroy, repair. The caller accepts it or
 * calls undo(). */
static bool move(struct solver *s, uint32_t noise_max)
{
	uint32_t kmax = s->nv / 8 < 4 ? 4 : (s->nv / 8 > DESTROY_MAX ? DESTROY_MAX : s->nv / 8);
	uint32_t k = 2 + rng_below(&s->rng, kmax - 1), focus = NONE;
	uint32_t noise = rng_below(&s->rng, 3) == 0 ? noise_max : 0;
	enum order ord;
	bool ok = true;

	pending_clear(s);
	switch (pick_destroy(s)) {
	case D_RANDOM:
		ok = destroy_random(s, k);
		break;
	case D_PERSON:
		ok = destroy_person(s, k);
		break;
	case D_PERSON_CARER:
		ok = destroy_person_carer(s);
		break;
	case D_CARER_DAY:
		ok = destroy_carer_day(s, k);
		break;
	case D_WINDOW:
		ok = destroy_window(s, k);
		break;
	case D_UNCOVERED:
	case DESTROYS:
		ok = destroy_uncovered(s, &focus);
		break;
	}
	if (!ok)
		return false;
	/* open places elsewhere get a chance at what was freed */
	for (uint32_t t = 0; t < 2 && s->n_unc > 0; t++)
		pending_add(s, s->unc[rng_below(&s->rng, s->n_unc)]);
	if (focus != NONE && !fill(s, focus, 0))
		return false;
	ord = (enum order)rng_below(&s->rng, ORDERS);
	if (ord == ORDER_REGRET && s->n_pending > 8)
		ord = ORDER_RANDOM;
	return repair(s, ord, noise);
}

static int64_t elapsed(const struct rota_solve_params *p, int64_t t0)
{
	return p->clock_ms != NULL ? p->clock_ms(p->ctx) - t0 : 0;
}

static void write_out(const struct solver *s, uint32_t (*asg)[ROTA_VISIT_CARERS],
		      const uint8_t *nasg, struct rota_solution *out)
{
	for (uint32_t v = 0; v < s->nv; v++) {
		out->visit[v].n = nasg[v];
		for (uint32_t k = 0; k < nasg[v]; k++)
			out->visit[v].carer[k] = asg[v][k];
	}
}

/* Adds the carers of a warm start that still keep every rule, in order of
 * start, then fills the rest hardest first. Returns false when out of
 * memory. */
static bool construct(struct solver *s, const struct rota_solution *initial)
{
	int64_t d;

	s->logging = false;
	for (uint32_t i = 0; initial != NULL && i < s->nv; i++) {
		uint32_t v = s->by_start[i];
		const struct rota_assignment *a = &initial->visit[v];

		for (uint32_t k = 0; k < a->n && s->nasg[v] < s->vneed[v]; k++) {
			uint32_t c = a->carer[k];
			bool ok = false;

			for (uint32_t e = s->elig_first[v]; e < s->elig_first[v + 1]; e++)
				ok = ok || s->elig[e] == c;
			if (ok && insert_delta(s, c, v, &d))
				do_insert(s, c, v);
		}
	}
	pending_clear(s);
	for (uint32_t v = 0; v < s->nv; v++)
		if (s->nasg[v] < s->vneed[v])
			pending_add(s, v);
	repair(s, ORDER_HARD, 0);
	s->logging = true;
	return true;
}

enum rota_error rota_solve(const struct rota_instance *in, const struct rota_solve_params *p,
			   struct rota_solution *out, struct rota_solve_stats *stats)
{
	struct solver s;
	struct rota_solve_stats st = {0};
	uint32_t(*best_asg)[ROTA_VISIT_CARERS] = NULL;
	uint8_t *best_n = NULL;
	enum rota_error rc;
	int64_t t0, cur, best, cycle;
	double t_hi, t_lo, base;
	uint32_t noise;

	if (out->n_visits != in->n_visits || (p->max_iterations <= 0 && p->clock_ms == NULL) ||
	    p->time_limit_ms < 0 || (p->pinned != NULL && p->initial == NULL) ||
	    (p->initial != NULL && p->initial->n_visits != in->n_visits))
		return ROTA_ERR_INVALID;
	t0 = p->clock_ms != NULL ? p->clock_ms(p->ctx) : 0;
	rc = solver_init(&s, in, p->pinned, p->seed);
	if (rc != ROTA_OK)
		goto out;
	rc = ROTA_ERR_NOMEM;
	best_asg = malloc((s.nv + 1) * sizeof *best_asg);
	best_n = malloc(s.nv + 1);
	if (best_asg == NULL || best_n == NULL || !construct(&s, p->initial))
		goto out;
	cur = best = cost_of(&s);
	memcpy(best_asg, s.asg, s.nv * sizeof *best_asg);
	memcpy(best_n, s.nasg, s.nv);
	st.construction_cost = cur;
	st.first_feasible_ms = st.best_ms = elapsed(p, t0);

	/* Annealing in cycles of a fixed number of iterations, each from the
	 * best rota so far, cooling geometrically from the price of one more
	 * distinct carer to 1/200 of it (tuned on generated and golden
	 * instances). Fixed lengths, not clock time, so that the search path
	 * depends on the seed alone. */
	base = (double)(s.w[ROTA_TERM_DISTINCT] > 0 ? s.w[ROTA_TERM_DISTINCT] : 1);
	if ((double)s.w[ROTA_TERM_OFF_TEAM] * 4 > base)
		base = (double)s.w[ROTA_TERM_OFF_TEAM] * 4;
	t_hi = 1.0 * base;
	t_lo = 0.005 * base;
	noise = (uint32_t)(0.2 * base) + 1;
	cycle = (int64_t)s.nv * 150;
	cycle = cycle < 20000 ? 20000 : (cycle > 2000000 ? 2000000 : cycle);

	for (st.iterations = 0; s.nv > 0; st.iterations++) {
		int64_t it = st.iterations, now, c;
		double temp;

		if (p->max_iterations > 0 && it >= p->max_iterations)
			break;
		if (p->clock_ms != NULL && (it & 15) == 0 && elapsed(p, t0) >= p->time_limit_ms)
			break;
		if (it > 0 && it % cycle == 0 && cur != best) {
			load(&s, best_asg, best_n);
			cur = best;
		}
		temp = t_hi * pow(t_lo / t_hi, (double)(it % cycle) / (double)cycle);
		s.n_log = 0;
		if (!move(&s, noise))
			goto out;
		c = cost_of(&s);
		if (c <= cur || rng_unit(&s.rng) < exp((double)(cur - c) / temp)) {
			cur = c;
			if (cur < best) {
				best = cur;
				memcpy(best_asg, s.asg, s.nv * sizeof *best_asg);
				memcpy(best_n, s.nasg, s.nv);
				st.improvements++;
				now = elapsed(p, t0);
				st.best_ms = now;
				if (p->progress != NULL) {
					struct rota_progress pr = {it + 1, now, best, 0};

					for (uint32_t v = 0; v < s.nv; v++)
						pr.uncovered += in->visits[v].carers - best_n[v];
					p->progress(p->ctx, &pr);
				}
			}
		} else {
			undo(&s);
		}
	}
	write_out(&s, best_asg, best_n, out);
	st.cost = best;
	st.total_ms = elapsed(p, t0);
	if (stats != NULL)
		*stats = st;
	rc = ROTA_OK;
out:
	free(best_asg);
	free(best_n);
	solver_free(&s);
	return rc;
}

enum rota_error rota_solve_greedy(const struct rota_instance *in, struct rota_solution *out)
{
	struct solver s;
	enum rota_error rc;

	if (out->n_visits != in->n_visits)
		return ROTA_ERR_INVALID;
	rc = solver_init(&s, in, NULL, 0);
	if (rc != ROTA_OK)
		goto out;
	s.logging = false;
	for (uint32_t i = 0; i < s.nv; i++) {
		uint32_t v = s.by_start[i];
		const uint16_t *cnt = s.count + (size_t)in->visits[v].recipient * s.nc;
		const uint8_t *off = s.off + (size_t)in->visits[v].recipient * s.nc;

		while (s.nasg[v] < in->visits[v].carers) {
			uint32_t bc = NONE;
			int64_t d;

			for (uint32_t k = s.elig_first[v]; k < s.elig_first[v + 1]; k++) {
				uint32_t c = s.elig[k];

				if (!insert_delta(&s, c, v, &d))
					continue;
				if (bc == NONE || cnt[c] > cnt[bc] ||
				    (cnt[c] == cnt[bc] &&
				     (off[c] < off[bc] ||
				      (off[c] == off[bc] && s.minutes[c] < s.minutes[bc]))))
					bc = c;
			}
			if (bc == NONE)
				break;
			do_insert(&s, bc, v);
		}
	}
	write_out(&s, s.asg, s.nasg, out);
	rc = ROTA_OK;
out:
	solver_free(&s);
	return rc;
}
