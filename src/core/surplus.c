/*
 * surplus: the allocation of a year's surplus by largest remainder, and the
 * exact parsing of money and percentages. Pure; see surplus.h for the rules.
 */
#include "core/surplus.h"

#include <stdlib.h>
#include <string.h>

#include "core/care.h"
#include "core/week.h"

typedef unsigned __int128 u128;

struct part {
	u128 rem;    /* total x weight mod sum: the fractional part, scaled */
	u128 weight; /* the exact share, scaled the same way */
	int64_t key; /* the last tie-break: lower first */
	size_t idx;  /* where the part is in the caller's arrays */
};

/* Larger remainder first, then larger exact share, then lower key. */
static int part_cmp(const void *pa, const void *pb)
{
	const struct part *a = pa, *b = pb;

	if (a->rem != b->rem)
		return a->rem > b->rem ? -1 : 1;
	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	return a->key < b->key ? -1 : a->key > b->key;
}

/* Largest-remainder apportionment of total over 128-bit weights. A zero
 * sum of weights gives every part 0 (the caller decides where total goes). */
static enum surplus_error apportion(int64_t total, const u128 *w, const int64_t *keys, size_t n,
				    int64_t *out)
{
	const u128 max = ~(u128)0;
	u128 sum = 0, t = (u128)total;
	int64_t given = 0, left;
	struct part *parts;

	for (size_t i = 0; i < n; i++) {
		if (w[i] > max - sum)
			return SURPLUS_ERR_RANGE;
		sum += w[i];
		out[i] = 0;
	}
	if (total <= 0 || sum == 0)
		return SURPLUS_OK;
	for (size_t i = 0; i < n; i++) {
		if (w[i] != 0 && t > max / w[i])
			return SURPLUS_ERR_RANGE;
		out[i] = (int64_t)(t * w[i] / sum);
		given += out[i];
	}
	left = total - given; /* 0 <= left < n: each floor loses less than 1 */
	if (left == 0)
		return SURPLUS_OK;
	parts = malloc(n * sizeof *parts);
	if (parts == NULL)
		return SURPLUS_ERR_NOMEM;
	for (size_t i = 0; i < n; i++)
		parts[i] = (struct part){t * w[i] % sum, w[i], keys[i], i};
	qsort(parts, n, sizeof *parts, part_cmp);
	for (int64_t k = 0; k < left; k++)
		out[parts[k].idx]++;
	free(parts);
	return SURPLUS_OK;
}

enum surplus_error surplus_apportion(int64_t total, const uint64_t *weights, const int64_t *keys,
				     size_t n, int64_t *out)
{
	u128 *w = malloc((n + 1) * sizeof *w);
	enum surplus_error e;

	if (w == NULL)
		return SURPLUS_ERR_NOMEM;
	for (size_t i = 0; i < n; i++)
		w[i] = weights[i];
	e = apportion(total, w, keys, n, out);
	free(w);
	return e;
}

static int cmp_i64(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
	return a < b ? -1 : a > b;
}

static bool bp_ok(int32_t bp)
{
	return bp >= 0 && bp <= SURPLUS_BP_WHOLE;
}

static enum surplus_error check_rules(const struct surplus_input *in, size_t *bad)
{
	const struct surplus_rules *r = &in->rules;
	int64_t pools = 0;

	if (in->surplus_pence > SURPLUS_MAX_PENCE || in->year_days < 1 ||
	    in->year_days > SURPLUS_YEAR_DAYS_MAX || in->n_members > SURPLUS_MEMBERS_MAX ||
	    r->n_classes > SURPLUS_CLASSES_MAX)
		return SURPLUS_ERR_RANGE;
	if (!bp_ok(r->reserve_bp) || !bp_ok(r->fund_bp) || !bp_ok(r->interest_bp))
		return SURPLUS_ERR_PERCENT;
	if (r->reserve_bp + r->fund_bp > SURPLUS_BP_WHOLE)
		return SURPLUS_ERR_PERCENT_SUM;
	if (r->interest_cap_pence != SURPLUS_NO_CAP &&
	    (r->interest_cap_pence < 0 || r->interest_cap_pence > SURPLUS_MAX_PENCE))
		return SURPLUS_ERR_RANGE;
	for (size_t i = 0; i < r->n_classes; i++) {
		const struct surplus_class_rule *c = &r->classes[i];
		*bad = i;
		if (!bp_ok(c->pool_bp))
			return SURPLUS_ERR_PERCENT;
		if (surplus_basis_name(c->basis) == NULL)
			return SURPLUS_ERR_CLASS;
		for (size_t j = 0; j < i; j++)
			if (r->classes[j].class_id == c->class_id)
				return SURPLUS_ERR_CLASS;
		pools += c->pool_bp;
	}
	*bad = 0;
	return pools > SURPLUS_BP_WHOLE ? SURPLUS_ERR_PERCENT_SUM : SURPLUS_OK;
}

static enum surplus_error check_members(const struct surplus_input *in, size_t *bad)
{
	int64_t *ids;
	enum surplus_error e = SURPLUS_OK;

	for (size_t i = 0; i < in->n_members; i++) {
		const struct surplus_member *m = &in->members[i];
		*bad = i;
		if (m->days < 1 || m->days > in->year_days || m->worked_minutes < 0 ||
		    m->worked_minutes > SURPLUS_MINUTES_MAX || m->care_minutes < 0 ||
		    m->care_minutes > SURPLUS_MINUTES_MAX || m->share_pence < 0 ||
		    m->share_pence > SURPLUS_SHARE_MAX_PENCE)
			return SURPLUS_ERR_MEMBER;
	}
	*bad = 0;
	ids = malloc((in->n_members + 1) * sizeof *ids);
	if (ids == NULL)
		return SURPLUS_ERR_NOMEM;
	for (size_t i = 0; i < in->n_members; i++)
		ids[i] = in->members[i].id;
	qsort(ids, in->n_members, sizeof *ids, cmp_i64);
	for (size_t i = 1; i < in->n_members && e == SURPLUS_OK; i++)
		if (ids[i] == ids[i - 1]) {
			e = SURPLUS_ERR_MEMBER;
			for (size_t k = 0; k < in->n_members; k++)
				if (in->members[k].id == ids[i])
					*bad = k; /* the later of the two */
		}
	free(ids);
	return e;
}

/* The member's weight within a class of this basis (caps keep it < 2^63). */
static int64_t weight_of(const struct surplus_member *m, enum surplus_basis b)
{
	if (!m->good_standing)
		return 0;
	switch (b) {
	case SURPLUS_BASIS_HOURS_WORKED:
		return m->worked_minutes;
	case SURPLUS_BASIS_CARE_RECEIVED:
		return m->care_minutes;
	case SURPLUS_BASIS_SHARE_CAPITAL:
		return m->share_pence * m->days;
	case SURPLUS_BASIS_EQUAL:
		return m->days;
	}
	return 0;
}

/* Step 2: interest on share capital out of `available`. */
static enum surplus_error interest(const struct surplus_input *in, int64_t available,
				   struct surplus_line *lines, int64_t *paid)
{
	const struct surplus_rules *r = &in->rules;
	const u128 den = (u128)SURPLUS_BP_WHOLE * (u128)in->year_days;
	u128 *due = NULL, total = 0;
	int64_t *keys = NULL, *amount = NULL;
	enum surplus_error e = SURPLUS_ERR_NOMEM;
	size_t n = in->n_members;

	*paid = 0;
	if (r->interest_bp == 0 || n == 0)
		return SURPLUS_OK;
	due = malloc(n * sizeof *due);
	keys = malloc(n * sizeof *keys);
	amount = malloc(n * sizeof *amount);
	if (due == NULL || keys == NULL || amount == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct surplus_member *m = &in->members[i];
		/* due / den pence: share x rate/10000 x days/year_days */
		due[i] = (u128)m->share_pence * (u128)r->interest_bp * (u128)m->days;
		if (r->interest_cap_pence != SURPLUS_NO_CAP &&
		    due[i] > (u128)r->interest_cap_pence * den)
			due[i] = (u128)r->interest_cap_pence * den;
		keys[i] = m->id;
		total += due[i];
	}
	if (total <= (u128)available * den) {
		for (size_t i = 0; i < n; i++)
			amount[i] = (int64_t)(due[i] / den);
	} else {
		/* Not enough for everyone: scale down in proportion to what is due. */
		e = apportion(available, due, keys, n, amount);
		if (e != SURPLUS_OK)
			goto out;
	}
	for (size_t i = 0; i < n; i++) {
		lines[i].interest_pence = amount[i];
		*paid += amount[i];
	}
	e = SURPLUS_OK;
out:
	free(due);
	free(keys);
	free(amount);
	return e;
}

/* Step 4: one class pool among the class's members. */
static enum surplus_error class_share(const struct surplus_input *in,
				      const struct surplus_class_rule *c,
				      struct surplus_class_result *cr, struct surplus_line *lines,
				      size_t *idx, u128 *w, int64_t *keys, int64_t *amount)
{
	size_t k = 0;
	enum surplus_error e;

	cr->weight_total = 0;
	cr->members = 0;
	for (size_t i = 0; i < in->n_members; i++) {
		const struct surplus_member *m = &in->members[i];
		int64_t wt;
		if (m->class_id != c->class_id)
			continue;
		wt = weight_of(m, c->basis);
		lines[i].weight = wt;
		if (wt == 0)
			continue;
		idx[k] = i;
		w[k] = (u128)wt;
		keys[k] = m->id;
		cr->weight_total += wt;
		cr->members++;
		k++;
	}
	if (k == 0 || cr->pool_pence == 0) {
		cr->paid_pence = k == 0 ? 0 : cr->pool_pence;
		return SURPLUS_OK;
	}
	e = apportion(cr->pool_pence, w, keys, k, amount);
	if (e != SURPLUS_OK)
		return e;
	for (size_t j = 0; j < k; j++)
		lines[idx[j]].dividend_pence = amount[j];
	cr->paid_pence = cr->pool_pence;
	return SURPLUS_OK;
}

/* Step 3 and 4: the dividend pool between classes, then within each. */
static enum surplus_error dividends(const struct surplus_input *in, struct surplus_result *out)
{
	const struct surplus_rules *r = &in->rules;
	size_t nc = r->n_classes, n = in->n_members;
	u128 cw[SURPLUS_CLASSES_MAX + 1];
	int64_t ckeys[SURPLUS_CLASSES_MAX + 1], cpool[SURPLUS_CLASSES_MAX + 1];
	int64_t assigned = 0;
	size_t *idx = malloc((n + 1) * sizeof *idx);
	u128 *w = malloc((n + 1) * sizeof *w);
	int64_t *keys = malloc((n + 1) * sizeof *keys), *amount = malloc((n + 1) * sizeof *amount);
	enum surplus_error e = SURPLUS_ERR_NOMEM;

	if (idx == NULL || w == NULL || keys == NULL || amount == NULL)
		goto out;
	for (size_t i = 0; i < nc; i++) {
		cw[i] = (u128)r->classes[i].pool_bp;
		ckeys[i] = r->classes[i].class_id;
		assigned += r->classes[i].pool_bp;
	}
	cw[nc] = (u128)(SURPLUS_BP_WHOLE - assigned); /* no class's: to the reserve */
	ckeys[nc] = INT64_MAX;                        /* and it loses every tie */
	e = apportion(out->dividend_pence, cw, ckeys, nc + 1, cpool);
	if (e != SURPLUS_OK)
		goto out;
	out->reserve_unassigned_pence = cpool[nc];
	for (size_t i = 0; i < nc; i++) {
		struct surplus_class_result *cr = &out->classes[i];
		cr->class_id = r->classes[i].class_id;
		cr->pool_pence = cpool[i];
		e = class_share(in, &r->classes[i], cr, out->lines, idx, w, keys, amount);
		if (e != SURPLUS_OK)
			goto out;
		out->reserve_unclaimed_pence += cr->pool_pence - cr->paid_pence;
	}
	e = SURPLUS_OK;
out:
	free(idx);
	free(w);
	free(keys);
	free(amount);
	return e;
}

enum surplus_error surplus_allocate(const struct surplus_input *in, struct surplus_result *out,
				    size_t *bad)
{
	const struct surplus_rules *r = &in->rules;
	enum surplus_error e;
	u128 top[3];
	int64_t top_keys[3] = {0, 1, 2}, top_out[3], available;

	memset(out, 0, sizeof *out);
	*bad = 0;
	if ((e = check_rules(in, bad)) != SURPLUS_OK || (e = check_members(in, bad)) != SURPLUS_OK)
		return e;
	out->lines = calloc(in->n_members + 1, sizeof *out->lines);
	out->classes = calloc(r->n_classes + 1, sizeof *out->classes);
	if (out->lines == NULL || out->classes == NULL) {
		surplus_result_release(out);
		return SURPLUS_ERR_NOMEM;
	}
	out->n_lines = in->n_members;
	out->n_classes = r->n_classes;
	for (size_t i = 0; i < in->n_members; i++) {
		out->lines[i].member_id = in->members[i].id;
		out->lines[i].class_id = in->members[i].class_id;
	}
	for (size_t i = 0; i < r->n_classes; i++)
		out->classes[i].class_id = r->classes[i].class_id;
	out->surplus_pence = in->surplus_pence;
	if (in->surplus_pence <= 0)
		return SURPLUS_NOTHING;

	/* 1: reserve, fund and what is left for the members. */
	top[0] = (u128)r->reserve_bp;
	top[1] = (u128)r->fund_bp;
	top[2] = (u128)(SURPLUS_BP_WHOLE - r->reserve_bp - r->fund_bp);
	if ((e = apportion(in->surplus_pence, top, top_keys, 3, top_out)) != SURPLUS_OK)
		goto fail;
	out->reserve_rule_pence = top_out[0];
	out->fund_pence = top_out[1];
	available = top_out[2];

	/* 2: interest on share capital; 3, 4: dividends. */
	if ((e = interest(in, available, out->lines, &out->interest_pence)) != SURPLUS_OK)
		goto fail;
	out->dividend_pence = available - out->interest_pence;
	if ((e = dividends(in, out)) != SURPLUS_OK)
		goto fail;
	out->reserve_pence = out->reserve_rule_pence + out->reserve_unassigned_pence +
			     out->reserve_unclaimed_pence;
	for (size_t i = 0; i < out->n_lines; i++)
		out->lines[i].total_pence =
			out->lines[i].interest_pence + out->lines[i].dividend_pence;
	return SURPLUS_OK;
fail:
	surplus_result_release(out);
	return e;
}

void surplus_result_release(struct surplus_result *r)
{
	if (r == NULL)
		return;
	free(r->lines);
	free(r->classes);
	memset(r, 0, sizeof *r);
}

const char *surplus_message(enum surplus_error e)
{
	switch (e) {
	case SURPLUS_OK:
		return "ok";
	case SURPLUS_NOTHING:
		return "there is no surplus to share: a deficit or a zero result distributes "
		       "nothing";
	case SURPLUS_ERR_PERCENT:
		return "percentages must be from 0 to 100";
	case SURPLUS_ERR_PERCENT_SUM:
		return "the percentages add up to more than 100";
	case SURPLUS_ERR_CLASS:
		return "each class may appear once, with a known basis";
	case SURPLUS_ERR_MEMBER:
		return "a member's figures are out of range or listed twice";
	case SURPLUS_ERR_RANGE:
		return "an amount is too large";
	case SURPLUS_ERR_NOMEM:
		return "out of memory";
	}
	return "invalid allocation";
}

static const char *const basis_names[SURPLUS_BASIS_COUNT] = {"hours_worked", "care_received",
							     "share_capital", "equal"};

const char *surplus_basis_name(enum surplus_basis b)
{
	return (unsigned)b < SURPLUS_BASIS_COUNT ? basis_names[b] : NULL;
}

int surplus_basis_parse(const char *s, enum surplus_basis *out)
{
	for (unsigned i = 0; i < SURPLUS_BASIS_COUNT; i++)
		if (strcmp(s, basis_names[i]) == 0) {
			*out = (enum surplus_basis)i;
			return 0;
		}
	return -1;
}

/* Digits, then optionally '.' and 1..2 digits, scaled to hundredths. */
static int parse_hundredths(const char *s, size_t max_int_digits, int64_t max, int64_t *out)
{
	int64_t v = 0;
	size_t i = 0, frac = 0;

	while (s[i] >= '0' && s[i] <= '9') {
		if (i >= max_int_digits)
			return -1;
		v = v * 10 + (s[i] - '0');
		i++;
	}
	if (i == 0)
		return -1;
	v *= 100;
	if (s[i] == '.') {
		i++;
		while (s[i] >= '0' && s[i] <= '9') {
			if (++frac > 2)
				return -1;
			v += (s[i] - '0') * (frac == 1 ? 10 : 1);
			i++;
		}
		if (frac == 0)
			return -1;
	}
	if (s[i] != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

int surplus_parse_pence(const char *s, int64_t max, int64_t *out)
{
	return parse_hundredths(s, 13, max, out);
}

void surplus_format_pence(int64_t pence, char *out, size_t n)
{
	const char *sign = pence < 0 ? "-" : "";
	uint64_t a = pence < 0 ? (uint64_t)0 - (uint64_t)pence : (uint64_t)pence;
	char tmp[32];
	size_t len = 0;

	/* No printf of %llu needed beyond the digits: build from the right. */
	tmp[len++] = (char)('0' + a % 10);
	a /= 10;
	tmp[len++] = (char)('0' + a % 10);
	a /= 10;
	tmp[len++] = '.';
	do {
		tmp[len++] = (char)('0' + a % 10);
		a /= 10;
	} while (a != 0);
	if (n == 0)
		return;
	size_t o = 0;
	for (const char *p = sign; *p != '\0' && o + 1 < n; p++)
		out[o++] = *p;
	while (len > 0 && o + 1 < n)
		out[o++] = tmp[--len];
	out[o] = '\0';
}

int surplus_parse_percent(const char *s, int32_t *bp)
{
	int64_t v;

	if (parse_hundredths(s, 3, SURPLUS_BP_WHOLE, &v) != 0)
		return -1;
	*bp = (int32_t)v;
	return 0;
}

static int64_t day_number(const char *date)
{
	return week_days_from_civil((date[0] - '0') * 1000 + (date[1] - '0') * 100 +
					    (date[2] - '0') * 10 + (date[3] - '0'),
				    (date[5] - '0') * 10 + (date[6] - '0'),
				    (date[8] - '0') * 10 + (date[9] - '0'));
}

int32_t surplus_days_in(const char *from, const char *to, const char *joined, const char *left)
{
	int64_t a, b;

	if (!care_date_valid(from) || !care_date_valid(to) || !care_date_valid(joined) ||
	    (left[0] != '\0' && !care_date_valid(left)))
		return -1;
	a = day_number(strcmp(joined, from) > 0 ? joined : from);
	b = day_number(left[0] != '\0' && strcmp(left, to) < 0 ? left : to);
	return b < a ? 0 : (int32_t)(b - a + 1);
}
