/*
 * tally: counts a vote on a proposal under the co-op's rulebook, in exact
 * fractions. Every operation on fractions works in 128-bit integers, reduces
 * by the gcd and refuses a result that does not fit 64 bits, so a count
 * either is exact or says TALLY_ERR_OVERFLOW. Pure: no I/O, no allocation.
 */
#include "core/tally.h"

#include <string.h>

__extension__ typedef __int128 i128;

#define I64_LIMIT INT64_MAX /* |num| and den stay within this */

static i128 gcd128(i128 a, i128 b)
{
	if (a < 0)
		a = -a;
	if (b < 0)
		b = -b;
	while (b != 0) {
		i128 t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* Reduces num/den (den != 0) into *out; false when it does not fit. */
static bool frac_fit(i128 num, i128 den, struct tally_frac *out)
{
	i128 g;

	if (den == 0)
		return false;
	if (den < 0) {
		num = -num;
		den = -den;
	}
	g = gcd128(num, den);
	if (g > 1) {
		num /= g;
		den /= g;
	}
	if (num > I64_LIMIT || num < -(i128)I64_LIMIT || den > I64_LIMIT)
		return false;
	out->num = (int64_t)num;
	out->den = (int64_t)den;
	return true;
}

static struct tally_frac frac_int(int64_t v)
{
	return (struct tally_frac){v, 1};
}

static bool frac_add(struct tally_frac a, struct tally_frac b, struct tally_frac *out)
{
	return frac_fit((i128)a.num * b.den + (i128)b.num * a.den, (i128)a.den * b.den, out);
}

static bool frac_mul(struct tally_frac a, struct tally_frac b, struct tally_frac *out)
{
	/* Cross-reduce first so that products of reduced fractions stay small. */
	i128 g1 = gcd128(a.num, b.den), g2 = gcd128(b.num, a.den);

	if (g1 == 0)
		g1 = 1;
	if (g2 == 0)
		g2 = 1;
	return frac_fit((i128)(a.num / g1) * (b.num / g2), (i128)(a.den / g2) * (b.den / g1), out);
}

static bool frac_div(struct tally_frac a, struct tally_frac b, struct tally_frac *out)
{
	if (b.num == 0)
		return false;
	return frac_mul(a, (struct tally_frac){b.den, b.num}, out);
}

int tally_frac_cmp(struct tally_frac a, struct tally_frac b)
{
	i128 l = (i128)a.num * b.den, r = (i128)b.num * a.den;

	return l < r ? -1 : l > r;
}

enum tally_error tally_frac_make(int64_t num, int64_t den, struct tally_frac *out)
{
	if (den == 0)
		return TALLY_ERR_THRESHOLD;
	if (!frac_fit(num, den, out))
		return TALLY_ERR_OVERFLOW;
	return TALLY_OK;
}

/* A fraction given in by a caller: den > 0 and 0 <= f <= 1. */
static bool frac_unit(struct tally_frac f)
{
	return f.den > 0 && f.num >= 0 && f.num <= f.den;
}

void tally_rulebook_default(struct tally_rulebook *rb)
{
	memset(rb, 0, sizeof(*rb));
	rb->ordinary = (struct tally_frac){1, 2};
	rb->special = (struct tally_frac){3, 4};
	rb->quorum = (struct tally_frac){0, 1};
	rb->abstain_in_quorum = true;
	rb->abstain_as_cast = false;
	rb->majority_every_class = false;
	rb->proxy_limit = 0;
	rb->weighting = TALLY_ONE_MEMBER_ONE_VOTE;
	rb->empty_class = TALLY_EMPTY_EXCLUDE;
	rb->cap = (struct tally_frac){1, 10};
	rb->cap_basis = TALLY_CAP_VOTES_CAST;
}

static bool code_ok(const char *code)
{
	size_t n = strnlen(code, TALLY_CLASS_CODE_MAX + 1);

	return n > 0 && n <= TALLY_CLASS_CODE_MAX;
}

enum tally_error tally_rulebook_check(const struct tally_rulebook *rb)
{
	if (!frac_unit(rb->ordinary) || !frac_unit(rb->special) || !frac_unit(rb->quorum))
		return TALLY_ERR_THRESHOLD;
	if (rb->proxy_limit < 0 || (unsigned)rb->weighting > TALLY_CAPPED_CLASS ||
	    (unsigned)rb->empty_class > TALLY_EMPTY_COUNT_AS_NO ||
	    (unsigned)rb->cap_basis > TALLY_CAP_MEMBERSHIP)
		return TALLY_ERR_INVALID;
	if (rb->weighting == TALLY_CLASS_SHARES) {
		struct tally_frac sum = frac_int(0);

		if (rb->n_classes == 0)
			return TALLY_ERR_SHARES;
		if (rb->n_classes > TALLY_CLASSES_MAX)
			return TALLY_ERR_TOO_MANY;
		for (size_t i = 0; i < rb->n_classes; i++) {
			if (!code_ok(rb->classes[i].code))
				return TALLY_ERR_INVALID;
			for (size_t j = 0; j < i; j++)
				if (strcmp(rb->classes[i].code, rb->classes[j].code) == 0)
					return TALLY_ERR_DUPLICATE_CLASS;
			if (!frac_unit(rb->classes[i].share))
				return TALLY_ERR_SHARES;
			if (!frac_add(sum, rb->classes[i].share, &sum))
				return TALLY_ERR_OVERFLOW;
		}
		if (tally_frac_cmp(sum, frac_int(1)) != 0)
			return TALLY_ERR_SHARES;
	}
	if (rb->weighting == TALLY_CAPPED_CLASS) {
		if (rb->cap.den <= 0 || rb->cap.num <= 0 || rb->cap.num >= rb->cap.den ||
		    !code_ok(rb->capped_class))
			return TALLY_ERR_CAP;
	}
	return TALLY_OK;
}

static int find_class(const struct tally_class_result *cls, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(cls[i].code, code) == 0)
			return (int)i;
	return -1;
}

/* Copies the counts into out->classes, checking each; under CLASS_SHARES
 * adds the rulebook classes that have no count. */
static enum tally_error load_classes(const struct tally_rulebook *rb,
				     const struct tally_class_count *counts, size_t n,
				     struct tally_result *out)
{
	if (n > TALLY_CLASSES_MAX)
		return TALLY_ERR_TOO_MANY;
	for (size_t i = 0; i < n; i++) {
		const struct tally_class_count *c = &counts[i];
		struct tally_class_result *r = &out->classes[i];

		if (!code_ok(c->code))
			return TALLY_ERR_INVALID;
		if (find_class(out->classes, i, c->code) >= 0)
			return TALLY_ERR_DUPLICATE_CLASS;
		if (c->yes < 0 || c->no < 0 || c->abstain < 0 || c->electorate < 0)
			return TALLY_ERR_NEGATIVE;
		if (c->yes > TALLY_COUNT_MAX || c->no > TALLY_COUNT_MAX ||
		    c->abstain > TALLY_COUNT_MAX || c->electorate > TALLY_COUNT_MAX)
			return TALLY_ERR_OVERFLOW;
		if (c->yes + c->no + c->abstain > c->electorate)
			return TALLY_ERR_TURNOUT;
		memcpy(r->code, c->code, sizeof(r->code));
		r->code[TALLY_CLASS_CODE_MAX] = '\0';
		r->yes = c->yes;
		r->no = c->no;
		r->abstain = c->abstain;
		r->electorate = c->electorate;
		if (rb->weighting == TALLY_CLASS_SHARES) {
			bool known = false;
			for (size_t k = 0; k < rb->n_classes; k++)
				known = known || strcmp(rb->classes[k].code, c->code) == 0;
			if (!known)
				return TALLY_ERR_UNKNOWN_CLASS;
		}
	}
	out->n_classes = n;
	if (rb->weighting == TALLY_CLASS_SHARES) {
		for (size_t k = 0; k < rb->n_classes; k++) {
			if (find_class(out->classes, out->n_classes, rb->classes[k].code) >= 0)
				continue;
			/* n_classes <= rb->n_classes: every count is a rulebook class. */
			memcpy(out->classes[out->n_classes].code, rb->classes[k].code,
			       sizeof(rb->classes[k].code));
			out->n_classes++;
		}
	}
	return TALLY_OK;
}

/* CLASS_SHARES: yes = sum share_k * yes_k / cast_k over the classes counted,
 * divided by the sum of their shares (which is 1 unless EXCLUDE left some
 * out). Returns false on overflow; *any is false when no share is counted. */
static bool weigh_shares(const struct tally_rulebook *rb, struct tally_result *out, bool *any)
{
	struct tally_frac yes = frac_int(0), whole = frac_int(0);

	for (size_t k = 0; k < rb->n_classes; k++) {
		int i = find_class(out->classes, out->n_classes, rb->classes[k].code);
		struct tally_class_result *r = &out->classes[i];
		struct tally_frac part;

		r->share = rb->classes[k].share;
		if (r->cast == 0 && rb->empty_class == TALLY_EMPTY_EXCLUDE) {
			r->share = frac_int(0);
			continue;
		}
		if (!frac_add(whole, r->share, &whole) ||
		    !frac_mul(r->share, r->yes_fraction, &part) || !frac_add(yes, part, &yes))
			return false;
	}
	*any = whole.num > 0;
	if (!*any)
		return true;
	for (size_t i = 0; i < out->n_classes; i++)
		if (!frac_div(out->classes[i].share, whole, &out->classes[i].share))
			return false;
	return frac_div(yes, whole, &out->yes_share);
}

/* CAPPED_CLASS: the weight w of a capped vote (see tally.h), then
 * yes = (w * yes_c + yes_o) / (w * cast_c + cast_o). */
static bool weigh_capped(const struct tally_rulebook *rb, struct tally_result *out, bool *any)
{
	int c = find_class(out->classes, out->n_classes, rb->capped_class);
	struct tally_frac w = frac_int(1), yes = frac_int(0), cast = frac_int(0), t;
	int64_t n_c = 0, n_o = 0;

	for (size_t i = 0; i < out->n_classes; i++) {
		const struct tally_class_result *r = &out->classes[i];
		int64_t s = rb->cap_basis == TALLY_CAP_MEMBERSHIP ? r->electorate : r->cast;

		if ((int)i == c)
			n_c = s;
		else
			n_o += s;
	}
	if (c >= 0 && n_c > 0) {
		/* n_c / (n_c + n_o) > cap  <=>  n_c * cap.den > cap.num * (n_c + n_o) */
		if (n_o == 0) {
			w = frac_int(0);
		} else if ((i128)n_c * rb->cap.den > (i128)rb->cap.num * (n_c + n_o)) {
			/* w = cap * n_o / ((1 - cap) * n_c)
			 *   = cap.num * n_o / ((cap.den - cap.num) * n_c) */
			if (!frac_fit((i128)rb->cap.num * n_o,
				      (i128)(rb->cap.den - rb->cap.num) * n_c, &w))
				return false;
		}
	}
	for (size_t i = 0; i < out->n_classes; i++) {
		struct tally_class_result *r = &out->classes[i];

		r->weight = (int)i == c ? w : frac_int(1);
		if (!frac_mul(r->weight, frac_int(r->yes), &t) || !frac_add(yes, t, &yes) ||
		    !frac_mul(r->weight, frac_int(r->cast), &t) || !frac_add(cast, t, &cast))
			return false;
	}
	*any = cast.num > 0;
	if (!*any)
		return true;
	for (size_t i = 0; i < out->n_classes; i++) {
		struct tally_class_result *r = &out->classes[i];
		if (!frac_mul(r->weight, frac_int(r->cast), &t) || !frac_div(t, cast, &r->share))
			return false;
	}
	return frac_div(yes, cast, &out->yes_share);
}

enum tally_error tally_count(const struct tally_rulebook *rb, enum tally_kind kind,
			     const struct tally_class_count *counts, size_t n,
			     struct tally_result *out)
{
	enum tally_error err;
	int64_t cast = 0, towards_quorum;
	bool any = false, passes;

	memset(out, 0, sizeof(*out));
	if ((unsigned)kind > TALLY_POLL)
		return TALLY_ERR_INVALID;
	err = tally_rulebook_check(rb);
	if (err != TALLY_OK)
		return err;
	err = load_classes(rb, counts, n, out);
	if (err != TALLY_OK)
		return err;

	out->kind = kind;
	out->majority_every_class = true;
	for (size_t i = 0; i < out->n_classes; i++) {
		struct tally_class_result *r = &out->classes[i];

		r->cast = r->yes + r->no + (rb->abstain_as_cast ? r->abstain : 0);
		r->share = frac_int(0);
		r->weight = frac_int(rb->weighting == TALLY_CLASS_SHARES ? 0 : 1);
		r->yes_fraction = frac_int(0);
		if (r->cast > 0 && !frac_fit(r->yes, r->cast, &r->yes_fraction))
			return TALLY_ERR_OVERFLOW;
		r->majority = r->cast > 0 && 2 * r->yes > r->cast;
		if (r->cast > 0 && !r->majority)
			out->majority_every_class = false;
		out->yes += r->yes;
		out->no += r->no;
		out->abstain += r->abstain;
		out->electorate += r->electorate;
		cast += r->cast;
	}
	out->ballots = out->yes + out->no + out->abstain;

	/* Quorum: members who took part / members entitled to. */
	towards_quorum = rb->abstain_in_quorum ? out->ballots : out->yes + out->no;
	out->turnout = frac_int(0);
	if (out->electorate > 0 && !frac_fit(towards_quorum, out->electorate, &out->turnout))
		return TALLY_ERR_OVERFLOW;
	out->quorum_met = tally_frac_cmp(out->turnout, rb->quorum) >= 0;

	out->yes_share = frac_int(0);
	switch (rb->weighting) {
	case TALLY_ONE_MEMBER_ONE_VOTE:
		any = cast > 0;
		if (any && !frac_fit(out->yes, cast, &out->yes_share))
			return TALLY_ERR_OVERFLOW;
		for (size_t i = 0; any && i < out->n_classes; i++)
			if (!frac_fit(out->classes[i].cast, cast, &out->classes[i].share))
				return TALLY_ERR_OVERFLOW;
		break;
	case TALLY_CLASS_SHARES:
		if (!weigh_shares(rb, out, &any))
			return TALLY_ERR_OVERFLOW;
		break;
	case TALLY_CAPPED_CLASS:
		if (!weigh_capped(rb, out, &any))
			return TALLY_ERR_OVERFLOW;
		break;
	}
	if (cast == 0)
		any = false;

	out->threshold_inclusive = kind == TALLY_SPECIAL;
	out->threshold = kind == TALLY_SPECIAL ? rb->special : rb->ordinary;
	if (!frac_fit(out->threshold.num, out->threshold.den, &out->threshold))
		return TALLY_ERR_OVERFLOW;
	if (out->threshold_inclusive)
		passes = tally_frac_cmp(out->yes_share, out->threshold) >= 0;
	else
		passes = tally_frac_cmp(out->yes_share, out->threshold) > 0;
	if (rb->majority_every_class && !out->majority_every_class)
		passes = false;

	if (!out->quorum_met)
		out->outcome = TALLY_QUORUM_NOT_MET;
	else if (!any)
		out->outcome = TALLY_NO_VOTES;
	else
		out->outcome = passes ? TALLY_CARRIED : TALLY_LOST;
	return TALLY_OK;
}

const char *tally_error_message(enum tally_error e)
{
	switch (e) {
	case TALLY_OK:
		return "ok";
	case TALLY_ERR_SHARES:
		return "class shares must each be between 0 and 1 and sum to 1";
	case TALLY_ERR_NEGATIVE:
		return "a count or electorate is negative";
	case TALLY_ERR_CAP:
		return "the cap must be strictly between 0 and 1 and name a class";
	case TALLY_ERR_UNKNOWN_CLASS:
		return "votes for a class the rulebook does not list";
	case TALLY_ERR_OVERFLOW:
		return "a figure is too large to count exactly";
	case TALLY_ERR_THRESHOLD:
		return "thresholds and quorum must be fractions between 0 and 1";
	case TALLY_ERR_TOO_MANY:
		return "too many member classes (at most 16)";
	case TALLY_ERR_DUPLICATE_CLASS:
		return "the same class is listed twice";
	case TALLY_ERR_TURNOUT:
		return "more ballots in a class than members entitled to vote";
	case TALLY_ERR_INVALID:
		return "invalid rulebook or count";
	}
	return "invalid tally error";
}

const char *tally_outcome_code(enum tally_outcome o)
{
	switch (o) {
	case TALLY_CARRIED:
		return "carried";
	case TALLY_LOST:
		return "lost";
	case TALLY_QUORUM_NOT_MET:
		return "quorum_not_met";
	case TALLY_NO_VOTES:
		return "no_votes";
	}
	return "invalid";
}

/* Reads 1..18 decimal digits at *s (advancing it) into *v. */
static int read_digits(const char **s, int64_t *v, int *ndigits)
{
	int64_t x = 0;
	int n = 0;

	while (**s >= '0' && **s <= '9') {
		if (n == 18)
			return -1;
		x = x * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	if (n == 0)
		return -1;
	*v = x;
	*ndigits = n;
	return 0;
}

int tally_frac_parse(const char *s, struct tally_frac *out)
{
	int64_t num, den = 1, frac = 0;
	int nd, nf = 0;

	if (read_digits(&s, &num, &nd) != 0)
		return -1;
	if (*s == '/') {
		s++;
		if (read_digits(&s, &den, &nd) != 0 || den == 0 || *s != '\0')
			return -1;
		return frac_fit(num, den, out) ? 0 : -1;
	}
	if (*s == '\0')
		return frac_fit(num, 1, out) ? 0 : -1;
	if (*s == '.') {
		s++;
		if (read_digits(&s, &frac, &nf) != 0 || nf > 6)
			return -1;
	}
	if (s[0] != '%' || s[1] != '\0' || num > INT64_C(1000000000))
		return -1;
	/* num.frac % = (num * 10^nf + frac) / (100 * 10^nf) */
	den = 100;
	for (int i = 0; i < nf; i++) {
		num *= 10;
		den *= 10;
	}
	return frac_fit(num + frac, den, out) ? 0 : -1;
}

int tally_frac_percent(struct tally_frac f, int places, char *buf, size_t n)
{
	char digits[TALLY_PERCENT_MAX];
	size_t len = 0;
	i128 whole, rest;

	if (f.den <= 0 || f.num < 0 || places < 0 || places > 9 || n == 0)
		return -1;
	whole = (i128)f.num * 100 / f.den; /* < 2^63 * 100: fits */
	rest = (i128)f.num * 100 % f.den;
	do {
		digits[len++] = (char)('0' + (int)(whole % 10));
		whole /= 10;
	} while (whole > 0);
	if (len + (places > 0 ? 1 + (size_t)places : 0) + 1 > n)
		return -1;
	for (size_t i = 0; i < len; i++)
		buf[i] = digits[len - 1 - i];
	if (places > 0) {
		buf[len++] = '.';
		for (int p = 0; p < places; p++) {
			rest *= 10;
			buf[len++] = (char)('0' + (int)(rest / f.den));
			rest %= f.den;
		}
	}
	buf[len] = '\0';
	return 0;
}
