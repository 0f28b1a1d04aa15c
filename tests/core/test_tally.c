/* Vote tally: thresholds at their exact boundaries, quorum, abstentions,
 * class shares (both rules for a silent class), the capped class, majority
 * in every class, exact percentages; and the invariant that a one member
 * one vote tally accounts for every ballot cast. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/tally.h"

#define assert_frac(f, n, d)                    \
	do {                                    \
		assert_int_equal((f).num, (n)); \
		assert_int_equal((f).den, (d)); \
	} while (0)

static struct tally_class_count cls(const char *code, int64_t yes, int64_t no, int64_t abstain,
				    int64_t electorate)
{
	struct tally_class_count c = {
		.yes = yes, .no = no, .abstain = abstain, .electorate = electorate};

	strncpy(c.code, code, TALLY_CLASS_CODE_MAX);
	return c;
}

/* The co-op's usual multi-stakeholder rulebook: workers 1/2, people
 * receiving care 1/4, investors 1/4. */
static void shares_50_25_25(struct tally_rulebook *rb, enum tally_empty_class empty)
{
	tally_rulebook_default(rb);
	rb->weighting = TALLY_CLASS_SHARES;
	rb->empty_class = empty;
	rb->n_classes = 3;
	strncpy(rb->classes[0].code, "workers", TALLY_CLASS_CODE_MAX);
	rb->classes[0].share = (struct tally_frac){1, 2};
	strncpy(rb->classes[1].code, "receivers", TALLY_CLASS_CODE_MAX);
	rb->classes[1].share = (struct tally_frac){1, 4};
	strncpy(rb->classes[2].code, "investors", TALLY_CLASS_CODE_MAX);
	rb->classes[2].share = (struct tally_frac){1, 4};
}

/* The worked example of issue 6: workers 3-1, people receiving care
 * 10-30, investors 10-0.
 * yes = 1/2 * 3/4 + 1/4 * 10/40 + 1/4 * 10/10 = 6/16 + 1/16 + 4/16 = 11/16
 * = 68.75 %: carried as an ordinary resolution (> 1/2), lost as a special
 * one (< 3/4). */
static void worked_example(void **state)
{
	struct tally_rulebook rb;
	struct tally_result r;
	const struct tally_class_count c[] = {
		cls("workers", 3, 1, 0, 4),
		cls("receivers", 10, 30, 0, 40),
		cls("investors", 10, 0, 0, 10),
	};
	char pct[TALLY_PERCENT_MAX];

	(void)state;
	shares_50_25_25(&rb, TALLY_EMPTY_EXCLUDE);
	assert_int_equal(tally_rulebook_check(&rb), TALLY_OK);
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, c, 3, &r), TALLY_OK);
	assert_frac(r.yes_share, 11, 16);
	assert_int_equal(r.outcome, TALLY_CARRIED);
	assert_frac(r.threshold, 1, 2);
	assert_false(r.threshold_inclusive);
	assert_int_equal(tally_frac_percent(r.yes_share, 2, pct, sizeof(pct)), 0);
	assert_string_equal(pct, "68.75");
	assert_int_equal(r.n_classes, 3);
	assert_frac(r.classes[0].yes_fraction, 3, 4);
	assert_frac(r.classes[1].yes_fraction, 1, 4);
	assert_frac(r.classes[2].yes_fraction, 1, 1);
	assert_frac(r.classes[0].share, 1, 2);
	assert_frac(r.classes[1].share, 1, 4);
	assert_frac(r.classes[2].share, 1, 4);
	assert_false(r.majority_every_class); /* receivers 10-30 */
	assert_true(r.quorum_met);
	assert_int_equal(r.ballots, 54);
	assert_frac(r.turnout, 1, 1); /* 54 of 54 */

	assert_int_equal(tally_count(&rb, TALLY_SPECIAL, c, 3, &r), TALLY_OK);
	assert_frac(r.yes_share, 11, 16);
	assert_int_equal(r.outcome, TALLY_LOST);
	assert_frac(r.threshold, 3, 4);
	assert_true(r.threshold_inclusive);

	/* Special threshold configured as 2/3: 11/16 = 0.6875 >= 0.6666... */
	rb.special = (struct tally_frac){2, 3};
	assert_int_equal(tally_count(&rb, TALLY_SPECIAL, c, 3, &r), TALLY_OK);
	assert_int_equal(r.outcome, TALLY_CARRIED);
}

static void thresholds_at_the_boundary(void **state)
{
	struct tally_rulebook rb;
	struct tally_result r;
	struct tally_class_count c = cls("members", 3, 1, 0, 10);

	(void)state;
	tally_rulebook_default(&rb);
	/* Exactly 3/4 carries a special resolution (>=). */
	assert_int_equal(tally_count(&rb, TALLY_SPECIAL, &c, 1, &r), TALLY_OK);
	assert_frac(r.yes_share, 3, 4);
	assert_int_equal(r.outcome, TALLY_CARRIED);
	/* One vote fewer for: 2/3 < 3/4. */
	c.yes = 2;
	assert_int_equal(tally_count(&rb, TALLY_SPECIAL, &c, 1, &r), TALLY_OK);
	assert_int_equal(r.outcome, TALLY_LOST);
	/* Exactly 1/2 loses an ordinary resolution (>). */
	c = cls("members", 2, 2, 0, 10);
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, &c, 1, &r), TALLY_OK);
	assert_frac(r.yes_share, 1, 2);
	assert_int_equal(r.outcome, TALLY_LOST);
	c.yes = 3; /* 3/5 */
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, &c, 1, &r), TALLY_OK);
	assert_int_equal(r.outcome, TALLY_CARRIED);
	/* A poll is reported as an ordinary resolution. */
	assert_int_equal(tally_count(&rb, TALLY_POLL, &c, 1, &r), TALLY_OK);
	assert_int_equal(r.outcome, TALLY_CARRIED);
	assert_int_equal(r.kind, TALLY_POLL);
	/* Nobody voted, no quorum rule: no votes. */
	c = cls("members", 0, 0, 0, 10);
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, &c, 1, &r), TALLY_OK);
	assert_int_equal(r.outcome, TALLY_NO_VOTES);
	/* Only abstentions, which are not votes cast: no votes either. */
	c.abstain = 4;
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, &c, 1, &r), TALLY_OK);
	assert_int_equal(r.outcome, TALLY_NO_VOTES);
}

static void quorum_missed_by_one(void **state)
{
	struct tally_rulebook rb;
	struct tally_result r;
	/* Quorum 1/4 of 100 members: 25 must take part. */
	struct tally_class_count c[] = {cls("workers", 10, 4, 0, 40),
					cls("receivers", 8, 2, 0, 60)};

	(void)state;
	tally_rulebook_default(&rb);
	rb.quorum = (struct tally_frac){1, 4};
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, c, 2, &r), TALLY_OK);
	assert_int_equal(r.ballots, 24);
	assert_frac(r.turnout, 6, 25);
	assert_false(r.quorum_met);
	assert_int_equal(r.outcome, TALLY_QUORUM_NOT_MET);
	assert_frac(r.yes_share, 3, 4); /* still reported: 18/24 */
	c[1].no = 3;
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, c, 2, &r), TALLY_OK);
	assert_frac(r.turnout, 1, 4);
	assert_true(r.quorum_met);
	assert_int_equal(r.outcome, TALLY_CARRIED); /* 18/25 */
}

/* 50/25/25 with workers 3-1, nobody of the people receiving care voting,
 * investors 10-0.
 * EXCLUDE:     shares become 2/3, 0, 1/3: yes = 2/3 * 3/4 + 1/3 * 1 = 5/6.
 * COUNT_AS_NO: yes = 1/2 * 3/4 + 1/4 * 0 + 1/4 * 1 = 5/8. */
static void class_with_no_votes(void **state)
{
	struct tally_rulebook rb;
	struct tally_result r;
	const struct tally_class_count c[] = {
		cls("workers", 3, 1, 0, 4),
		cls("receivers", 0, 0, 0, 40),
		cls("investors", 10, 0, 0, 10),
	};

	(void)state;
	shares_50_25_25(&rb, TALLY_EMPTY_EXCLUDE);
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, c, 3, &r), TALLY_OK);
	assert_frac(r.yes_share, 5, 6);
	assert_frac(r.classes[0].share, 2, 3);
	assert_frac(r.classes[1].share, 0, 1);
	assert_frac(r.classes[2].share, 1, 3);
	assert_true(r.majority_every_class); /* the silent class does not block */
	assert_int_equal(tally_count(&rb, TALLY_SPECIAL, c, 3, &r), TALLY_OK);
	assert_int_equal(r.outcome, TALLY_CARRIED); /* 5/6 >= 3/4 */

	shares_50_25_25(&rb, TALLY_EMPTY_COUNT_AS_NO);
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, c, 3, &r), TALLY_OK);
	assert_frac(r.yes_share, 5, 8);
	assert_frac(r.classes[1].share, 1, 4);
	assert_int_equal(r.outcome, TALLY_CARRIED);
	assert_int_equal(tally_count(&rb, TALLY_SPECIAL, c, 3, &r), TALLY_OK);
	assert_int_equal(r.outcome, TALLY_LOST); /* 5/8 < 3/4 */

	/* A rulebook class with no count at all is a silent class too. */
	shares_50_25_25(&rb, TALLY_EMPTY_EXCLUDE);
	const struct tally_class_count two[] = {c[0], c[2]};
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, two, 2, &r), TALLY_OK);
	assert_frac(r.yes_share, 5, 6);
	assert_int_equal(r.n_classes, 3);
	assert_string_equal(r.classes[2].code, "receivers");

	/* Nobody at all: no votes under either rule. */
	const struct tally_class_count none[] = {cls("workers", 0, 0, 0, 4)};
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, none, 1, &r), TALLY_OK);
	assert_int_equal(r.outcome, TALLY_NO_VOTES);
	shares_50_25_25(&rb, TALLY_EMPTY_COUNT_AS_NO);
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, none, 1, &r), TALLY_OK);
	assert_int_equal(r.outcome, TALLY_NO_VOTES);
}

static void capped(struct tally_rulebook *rb)
{
	tally_rulebook_default(rb);
	rb->weighting = TALLY_CAPPED_CLASS;
	strncpy(rb->capped_class, "investors", TALLY_CLASS_CODE_MAX);
	rb->cap = (struct tally_frac){1, 10};
}

static void capped_class(void **state)
{
	struct tally_rulebook rb;
	struct tally_result r;
	/* Above the cap: investors cast 10 of 40 votes (1/4 > 1/10). Each
	 * investor weighs w = (1/10 * 30) / (9/10 * 10) = 1/3, so they hold
	 * (10/3) / (10/3 + 30) = 1/10 exactly.
	 * yes = (10 * 1/3 + 12) / (10 * 1/3 + 30) = (46/3) / (100/3) = 23/50:
	 * lost, where one member one vote would give 22/40 and carry. */
	struct tally_class_count c[] = {cls("investors", 10, 0, 0, 10),
					cls("workers", 12, 18, 0, 30)};

	(void)state;
	capped(&rb);
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, c, 2, &r), TALLY_OK);
	assert_frac(r.classes[0].weight, 1, 3);
	assert_frac(r.classes[0].share, 1, 10);
	assert_frac(r.classes[1].weight, 1, 1);
	assert_frac(r.classes[1].share, 9, 10);
	assert_frac(r.yes_share, 23, 50);
	assert_int_equal(r.outcome, TALLY_LOST);

	/* Below the cap: 2 of 32 votes (1/16 < 1/10): weight 1.
	 * yes = (1 + 20) / 32 = 21/32. */
	c[0] = cls("investors", 1, 1, 0, 10);
	c[1] = cls("workers", 20, 10, 0, 30);
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, c, 2, &r), TALLY_OK);
	assert_frac(r.classes[0].weight, 1, 1);
	assert_frac(r.classes[0].share, 1, 16);
	assert_frac(r.yes_share, 21, 32);

	/* Exactly at the cap: 3 of 30 = 1/10 is not above it: weight 1. */
	c[0] = cls("investors", 3, 0, 0, 10);
	c[1] = cls("workers", 10, 17, 0, 30);
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, c, 2, &r), TALLY_OK);
	assert_frac(r.classes[0].weight, 1, 1);
	assert_frac(r.yes_share, 13, 30);

	/* Only the capped class voted: no weight keeps the cap, so no votes. */
	c[0] = cls("investors", 5, 0, 0, 10);
	c[1] = cls("workers", 0, 0, 0, 30);
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, c, 2, &r), TALLY_OK);
	assert_frac(r.classes[0].weight, 0, 1);
	assert_int_equal(r.outcome, TALLY_NO_VOTES);

	/* Capped class absent: everyone weighs 1. */
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, &c[1], 1, &r), TALLY_OK);
	assert_int_equal(r.outcome, TALLY_NO_VOTES);

	/* Strength by membership: 50 investors, 50 workers, cap 1/10:
	 * w = (1/10 * 50) / (9/10 * 50) = 1/9 whoever turns out.
	 * yes = (9 * 1/9 + 10) / (9 * 1/9 + 30) = 11/31. */
	rb.cap_basis = TALLY_CAP_MEMBERSHIP;
	c[0] = cls("investors", 9, 0, 0, 50);
	c[1] = cls("workers", 10, 20, 0, 50);
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, c, 2, &r), TALLY_OK);
	assert_frac(r.classes[0].weight, 1, 9);
	assert_frac(r.yes_share, 11, 31);

	/* The cap must lie strictly between 0 and 1. */
	rb.cap = (struct tally_frac){0, 1};
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, c, 2, &r), TALLY_ERR_CAP);
	rb.cap = (struct tally_frac){1, 1};
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, c, 2, &r), TALLY_ERR_CAP);
	rb.cap = (struct tally_frac){1, 10};
	rb.capped_class[0] = '\0';
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, c, 2, &r), TALLY_ERR_CAP);
}

/* 5 for, 4 against, 2 abstain, of 20 members, quorum 1/2. */
static void abstentions(void **state)
{
	struct tally_rulebook rb;
	struct tally_result r;
	struct tally_class_count c = cls("members", 5, 4, 2, 20);

	(void)state;
	tally_rulebook_default(&rb);
	rb.quorum = (struct tally_frac){1, 2};
	/* Default: abstentions make quorum (11/20) but are not votes cast. */
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, &c, 1, &r), TALLY_OK);
	assert_frac(r.turnout, 11, 20);
	assert_true(r.quorum_met);
	assert_frac(r.yes_share, 5, 9);
	assert_int_equal(r.outcome, TALLY_CARRIED);
	assert_int_equal(r.classes[0].cast, 9);
	/* Abstentions as votes cast: 5/11, lost. */
	rb.abstain_as_cast = true;
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, &c, 1, &r), TALLY_OK);
	assert_frac(r.yes_share, 5, 11);
	assert_int_equal(r.outcome, TALLY_LOST);
	/* Abstentions not towards quorum: 9/20 < 1/2. */
	rb.abstain_as_cast = false;
	rb.abstain_in_quorum = false;
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, &c, 1, &r), TALLY_OK);
	assert_frac(r.turnout, 9, 20);
	assert_int_equal(r.outcome, TALLY_QUORUM_NOT_MET);
	assert_int_equal(r.ballots, 11); /* still members who cast a ballot */
}

static void majority_in_every_class(void **state)
{
	struct tally_rulebook rb;
	struct tally_result r;
	/* 13 of 19 overall, but the people receiving care voted 3-4. */
	const struct tally_class_count c[] = {cls("workers", 10, 2, 0, 20),
					      cls("receivers", 3, 4, 0, 20)};

	(void)state;
	tally_rulebook_default(&rb);
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, c, 2, &r), TALLY_OK);
	assert_frac(r.yes_share, 13, 19);
	assert_false(r.majority_every_class);
	assert_true(r.classes[0].majority);
	assert_false(r.classes[1].majority);
	assert_int_equal(r.outcome, TALLY_CARRIED);
	rb.majority_every_class = true;
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, c, 2, &r), TALLY_OK);
	assert_int_equal(r.outcome, TALLY_LOST);
	/* An even split in a class is not a majority. */
	const struct tally_class_count even[] = {cls("workers", 10, 2, 0, 20),
						 cls("receivers", 4, 4, 0, 20)};
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, even, 2, &r), TALLY_OK);
	assert_int_equal(r.outcome, TALLY_LOST);
}

/* One member one vote: whatever the counts, the tally accounts for every
 * ballot (yes + no + abstain == ballots == the sum of the inputs), the class
 * shares add up to exactly 1 and the yes share is yes / (yes + no). */
static void tally_equals_ballots_cast(void **state)
{
	uint64_t x = 0x9e3779b97f4a7c15u;

	(void)state;
	for (int round = 0; round < 2000; round++) {
		struct tally_rulebook rb;
		struct tally_result r;
		struct tally_class_count c[TALLY_CLASSES_MAX];
		size_t n = 1 + round % TALLY_CLASSES_MAX;
		int64_t sum = 0, yes = 0, cast = 0;
		struct tally_frac shares = {0, 1};

		tally_rulebook_default(&rb);
		rb.abstain_as_cast = round % 2;
		for (size_t i = 0; i < n; i++) {
			int64_t v[3];
			for (int k = 0; k < 3; k++) {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				v[k] = (int64_t)(x % 1000);
			}
			c[i] = cls("c", v[0], v[1], v[2], v[0] + v[1] + v[2] + 5);
			c[i].code[1] = (char)('a' + i);
			sum += v[0] + v[1] + v[2];
			yes += v[0];
			cast += v[0] + v[1] + (rb.abstain_as_cast ? v[2] : 0);
		}
		assert_int_equal(tally_count(&rb, TALLY_ORDINARY, c, n, &r), TALLY_OK);
		assert_int_equal(r.yes + r.no + r.abstain, sum);
		assert_int_equal(r.ballots, sum);
		if (cast == 0)
			continue;
		assert_true((__int128)r.yes_share.num * cast == (__int128)yes * r.yes_share.den);
		for (size_t i = 0; i < n; i++) {
			int64_t g = shares.den, h = r.classes[i].share.den;
			shares.num = shares.num * h + r.classes[i].share.num * g;
			shares.den = g * h;
			assert_int_equal(tally_frac_make(shares.num, shares.den, &shares),
					 TALLY_OK);
		}
		assert_frac(shares, 1, 1);
	}
}

static void bad_input(void **state)
{
	struct tally_rulebook rb;
	struct tally_result r;
	struct tally_class_count c[] = {cls("workers", 3, 1, 0, 4), cls("workers", 1, 1, 0, 4)};

	(void)state;
	shares_50_25_25(&rb, TALLY_EMPTY_EXCLUDE);
	rb.classes[2].share = (struct tally_frac){1, 5}; /* 1/2 + 1/4 + 1/5 != 1 */
	assert_int_equal(tally_rulebook_check(&rb), TALLY_ERR_SHARES);
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, c, 1, &r), TALLY_ERR_SHARES);
	rb.classes[2].share = (struct tally_frac){-1, 4};
	assert_int_equal(tally_rulebook_check(&rb), TALLY_ERR_SHARES);
	shares_50_25_25(&rb, TALLY_EMPTY_EXCLUDE);
	strncpy(rb.classes[2].code, "workers", TALLY_CLASS_CODE_MAX);
	assert_int_equal(tally_rulebook_check(&rb), TALLY_ERR_DUPLICATE_CLASS);

	shares_50_25_25(&rb, TALLY_EMPTY_EXCLUDE);
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, c, 2, &r), TALLY_ERR_DUPLICATE_CLASS);
	c[1] = cls("supporters", 1, 1, 0, 4);
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, c, 2, &r), TALLY_ERR_UNKNOWN_CLASS);
	c[1] = cls("investors", -1, 1, 0, 4);
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, c, 2, &r), TALLY_ERR_NEGATIVE);
	c[1] = cls("investors", 3, 2, 0, 4);
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, c, 2, &r), TALLY_ERR_TURNOUT);
	c[1] = cls("investors", TALLY_COUNT_MAX + 1, 0, 0, TALLY_COUNT_MAX + 1);
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, c, 2, &r), TALLY_ERR_OVERFLOW);
	assert_int_equal(tally_count(&rb, (enum tally_kind)7, c, 1, &r), TALLY_ERR_INVALID);
	assert_int_equal(tally_count(&rb, TALLY_ORDINARY, c, TALLY_CLASSES_MAX + 1, &r),
			 TALLY_ERR_TOO_MANY);

	tally_rulebook_default(&rb);
	rb.ordinary = (struct tally_frac){3, 2};
	assert_int_equal(tally_rulebook_check(&rb), TALLY_ERR_THRESHOLD);
	rb.ordinary = (struct tally_frac){1, 0};
	assert_int_equal(tally_rulebook_check(&rb), TALLY_ERR_THRESHOLD);
	tally_rulebook_default(&rb);
	rb.proxy_limit = -1;
	assert_int_equal(tally_rulebook_check(&rb), TALLY_ERR_INVALID);

	/* Share denominators that cannot be added in 64 bits. */
	tally_rulebook_default(&rb);
	rb.weighting = TALLY_CLASS_SHARES;
	rb.n_classes = 2;
	strncpy(rb.classes[0].code, "a", TALLY_CLASS_CODE_MAX);
	rb.classes[0].share = (struct tally_frac){1, INT64_MAX - 24};
	strncpy(rb.classes[1].code, "b", TALLY_CLASS_CODE_MAX);
	rb.classes[1].share = (struct tally_frac){1, INT64_MAX - 1000};
	assert_int_equal(tally_rulebook_check(&rb), TALLY_ERR_OVERFLOW);

	assert_string_equal(tally_error_message(TALLY_ERR_SHARES),
			    "class shares must each be between 0 and 1 and sum to 1");
	assert_string_equal(tally_outcome_code(TALLY_QUORUM_NOT_MET), "quorum_not_met");
}

static void percentages(void **state)
{
	char b[TALLY_PERCENT_MAX];

	(void)state;
	assert_int_equal(tally_frac_percent((struct tally_frac){2, 3}, 2, b, sizeof(b)), 0);
	assert_string_equal(b, "66.66"); /* cut, not rounded up */
	assert_int_equal(tally_frac_percent((struct tally_frac){1, 3}, 5, b, sizeof(b)), 0);
	assert_string_equal(b, "33.33333");
	assert_int_equal(tally_frac_percent((struct tally_frac){1, 1}, 2, b, sizeof(b)), 0);
	assert_string_equal(b, "100.00");
	assert_int_equal(tally_frac_percent((struct tally_frac){0, 1}, 1, b, sizeof(b)), 0);
	assert_string_equal(b, "0.0");
	assert_int_equal(tally_frac_percent((struct tally_frac){11, 16}, 0, b, sizeof(b)), 0);
	assert_string_equal(b, "68");
	assert_int_equal(tally_frac_percent((struct tally_frac){1, 8}, 3, b, sizeof(b)), 0);
	assert_string_equal(b, "12.500");
	assert_int_equal(tally_frac_percent((struct tally_frac){INT64_MAX, 1}, 9, b, sizeof(b)), 0);
	assert_string_equal(b, "922337203685477580700.000000000");
	/* 49999/100000 = 49.999 %: never printed as 50.00. */
	assert_int_equal(tally_frac_percent((struct tally_frac){49999, 100000}, 2, b, sizeof(b)),
			 0);
	assert_string_equal(b, "49.99");
	assert_int_equal(tally_frac_percent((struct tally_frac){11, 16}, 2, b, 5), -1);
	assert_int_equal(tally_frac_percent((struct tally_frac){11, 16}, 2, b, 6), 0);
	assert_int_equal(tally_frac_percent((struct tally_frac){-1, 2}, 2, b, sizeof(b)), -1);
	assert_int_equal(tally_frac_percent((struct tally_frac){1, 2}, 10, b, sizeof(b)), -1);
}

static void parsing_fractions(void **state)
{
	struct tally_frac f;

	(void)state;
	assert_int_equal(tally_frac_parse("2/3", &f), 0);
	assert_frac(f, 2, 3);
	assert_int_equal(tally_frac_parse("50/100", &f), 0);
	assert_frac(f, 1, 2);
	assert_int_equal(tally_frac_parse("75%", &f), 0);
	assert_frac(f, 3, 4);
	assert_int_equal(tally_frac_parse("66.5%", &f), 0);
	assert_frac(f, 133, 200);
	assert_int_equal(tally_frac_parse("1", &f), 0);
	assert_frac(f, 1, 1);
	assert_int_equal(tally_frac_make(6, -8, &f), TALLY_OK);
	assert_frac(f, -3, 4);
	assert_int_equal(tally_frac_make(1, 0, &f), TALLY_ERR_THRESHOLD);
	assert_true(tally_frac_cmp((struct tally_frac){2, 3}, (struct tally_frac){3, 4}) < 0);
	assert_true(tally_frac_cmp((struct tally_frac){6, 8}, (struct tally_frac){3, 4}) == 0);
	assert_int_equal(tally_frac_parse("", &f), -1);
	assert_int_equal(tally_frac_parse("2/0", &f), -1);
	assert_int_equal(tally_frac_parse("-1/2", &f), -1);
	assert_int_equal(tally_frac_parse("1/2x", &f), -1);
	assert_int_equal(tally_frac_parse("0.75", &f), -1);
	assert_int_equal(tally_frac_parse("1.1234567%", &f), -1);
	assert_int_equal(tally_frac_parse(" 1/2", &f), -1);
	assert_int_equal(tally_frac_parse("1234567890123456789/2", &f), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(worked_example),
		cmocka_unit_test(thresholds_at_the_boundary),
		cmocka_unit_test(quorum_missed_by_one),
		cmocka_unit_test(class_with_no_votes),
		cmocka_unit_test(capped_class),
		cmocka_unit_test(abstentions),
		cmocka_unit_test(majority_in_every_class),
		cmocka_unit_test(tally_equals_ballots_cast),
		cmocka_unit_test(bad_input),
		cmocka_unit_test(percentages),
		cmocka_unit_test(parsing_fractions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
