/* Surplus allocation: worked examples computed by hand, the refusals, the
 * exact parsing of money and percentages, and a property test of 100,000
 * random cases: every line is whole pence >= 0, the parts add up to the
 * surplus to the penny, and reordering members or classes changes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/surplus.h"

#define WORKER   10
#define RECIP    11
#define INVESTOR 12

static struct surplus_member member(int64_t id, int64_t cls, int32_t days, int64_t worked,
				    int64_t care, int64_t share)
{
	return (struct surplus_member){.id = id,
				       .class_id = cls,
				       .days = days,
				       .good_standing = true,
				       .worked_minutes = worked,
				       .care_minutes = care,
				       .share_pence = share};
}

static const struct surplus_line *line_of(const struct surplus_result *r, int64_t id)
{
	for (size_t i = 0; i < r->n_lines; i++)
		if (r->lines[i].member_id == id)
			return &r->lines[i];
	fail_msg("no line for member %lld", (long long)id);
	return NULL;
}

/* £1,000.00; reserve 20 %, fund 10 %, interest 2 % capped at £50; workers
 * 60 % by hours, investors 40 % by share capital; a 365-day year.
 *   reserve 20000, fund 10000, left A = 70000
 *   interest: m1, m2 100p x 2 % = 2 each; m3 50000 x 2 % = 1000;
 *             m4 1000000 x 2 % x 73/365 = 4000        -> 5004
 *   pool 64996: workers 38997.6, investors 25998.4 -> floors 38997 + 25998,
 *             the spare penny to the larger remainder (workers) -> 38998
 *   workers 600:300 min: 25998.67, 12999.33 -> 25999 (remainder .67), 12999
 *   investors 50000x365 : 1000000x73 = 1:4: 5199.6, 20798.4 -> 5200, 20798
 *   totals 26001 + 13001 + 6200 + 24798 = 70000. */
static void worked_example(void **state)
{
	(void)state;
	struct surplus_class_rule cls[] = {{WORKER, 6000, SURPLUS_BASIS_HOURS_WORKED},
					   {INVESTOR, 4000, SURPLUS_BASIS_SHARE_CAPITAL}};
	struct surplus_member m[] = {
		member(1, WORKER, 365, 600, 0, 100), member(2, WORKER, 365, 300, 0, 100),
		member(3, INVESTOR, 365, 0, 0, 50000), member(4, INVESTOR, 73, 0, 0, 1000000)};
	struct surplus_input in = {.surplus_pence = 100000,
				   .year_days = 365,
				   .rules = {2000, 1000, 200, 5000, cls, 2},
				   .members = m,
				   .n_members = 4};
	struct surplus_result r;
	size_t bad;

	assert_int_equal(surplus_allocate(&in, &r, &bad), SURPLUS_OK);
	assert_int_equal(r.reserve_pence, 20000);
	assert_int_equal(r.fund_pence, 10000);
	assert_int_equal(r.interest_pence, 5004);
	assert_int_equal(r.dividend_pence, 64996);
	assert_int_equal(r.classes[0].pool_pence, 38998);
	assert_int_equal(r.classes[1].pool_pence, 25998);
	assert_int_equal(line_of(&r, 1)->dividend_pence, 25999);
	assert_int_equal(line_of(&r, 2)->dividend_pence, 12999);
	assert_int_equal(line_of(&r, 3)->interest_pence, 1000);
	assert_int_equal(line_of(&r, 3)->dividend_pence, 5200);
	assert_int_equal(line_of(&r, 4)->interest_pence, 4000);
	assert_int_equal(line_of(&r, 4)->dividend_pence, 20798);
	assert_int_equal(line_of(&r, 1)->total_pence, 26001);
	assert_int_equal(line_of(&r, 4)->weight, 73000000);
	assert_int_equal(r.classes[1].weight_total, 91250000);
	surplus_result_release(&r);
}

/* 1p among three equal members: exact shares 1/3 each, equal remainders
 * and equal weights, so the lowest membership id gets it, however the
 * members are listed. */
static void tie_goes_to_lowest_id(void **state)
{
	(void)state;
	struct surplus_class_rule cls[] = {{WORKER, 10000, SURPLUS_BASIS_EQUAL}};
	struct surplus_member a[] = {member(7, WORKER, 365, 0, 0, 0),
				     member(3, WORKER, 365, 0, 0, 0),
				     member(5, WORKER, 365, 0, 0, 0)};
	struct surplus_input in = {
		.surplus_pence = 1, .year_days = 365, .rules = {0, 0, 0, 0, cls, 1}, .members = a};
	struct surplus_result r;
	size_t bad;

	in.n_members = 3;
	assert_int_equal(surplus_allocate(&in, &r, &bad), SURPLUS_OK);
	assert_int_equal(line_of(&r, 3)->total_pence, 1);
	assert_int_equal(line_of(&r, 5)->total_pence, 0);
	assert_int_equal(line_of(&r, 7)->total_pence, 0);
	surplus_result_release(&r);
}

/* 10p in the proportions 2:2:3: exact 2.857, 2.857, 4.286 -> floors 2, 2,
 * 4 (8); the two spare pennies go to the two largest remainders (.857, ids
 * 1 and 2) -> 3, 3, 4. */
static void largest_remainder(void **state)
{
	(void)state;
	uint64_t w[] = {2, 2, 3};
	int64_t keys[] = {1, 2, 3}, out[3];

	assert_int_equal(surplus_apportion(10, w, keys, 3, out), SURPLUS_OK);
	assert_int_equal(out[0], 3);
	assert_int_equal(out[1], 3);
	assert_int_equal(out[2], 4);
	/* 1p in the proportions 3:1: exact 0.75 and 0.25 -> the larger
	 * remainder wins, although its key is higher. */
	uint64_t w2[] = {3, 1};
	int64_t k2[] = {9, 1};
	assert_int_equal(surplus_apportion(1, w2, k2, 2, out), SURPLUS_OK);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[1], 0);
}

/* Recipients' 30 % by care received, but nobody received care in the
 * year: that pool is unclaimed and goes to the reserve. Classes given
 * 90 % in all: the other 10 % of the pool goes to the reserve too.
 * £100 = 10000p, no reserve/fund/interest: pool 10000 -> workers 6000,
 * recipients 3000 (unclaimed), unassigned 1000 -> reserve 4000. */
static void unclaimed_class_goes_to_reserve(void **state)
{
	(void)state;
	struct surplus_class_rule cls[] = {{WORKER, 6000, SURPLUS_BASIS_HOURS_WORKED},
					   {RECIP, 3000, SURPLUS_BASIS_CARE_RECEIVED}};
	struct surplus_member m[] = {member(1, WORKER, 365, 60, 0, 0),
				     member(2, RECIP, 365, 0, 0, 0)};
	struct surplus_input in = {.surplus_pence = 10000,
				   .year_days = 365,
				   .rules = {0, 0, 0, SURPLUS_NO_CAP, cls, 2},
				   .members = m,
				   .n_members = 2};
	struct surplus_result r;
	size_t bad;

	assert_int_equal(surplus_allocate(&in, &r, &bad), SURPLUS_OK);
	assert_int_equal(r.reserve_unclaimed_pence, 3000);
	assert_int_equal(r.reserve_unassigned_pence, 1000);
	assert_int_equal(r.reserve_pence, 4000);
	assert_int_equal(r.classes[1].paid_pence, 0);
	assert_int_equal(line_of(&r, 1)->total_pence, 6000);
	assert_int_equal(line_of(&r, 2)->total_pence, 0);
	surplus_result_release(&r);
}

/* Interest due beyond what is left: £1 after reserve and fund, 10 % on
 * 1000p and 3000p is 100p and 300p due; 100p shared 1:3 -> 25p, 75p, and
 * no dividend. A cap: 2 % of £10,000 is £200, capped at £50. */
static void interest_scaled_and_capped(void **state)
{
	(void)state;
	struct surplus_class_rule cls[] = {{INVESTOR, 10000, SURPLUS_BASIS_EQUAL}};
	struct surplus_member m[] = {member(1, INVESTOR, 365, 0, 0, 1000),
				     member(2, INVESTOR, 365, 0, 0, 3000)};
	struct surplus_input in = {.surplus_pence = 100,
				   .year_days = 365,
				   .rules = {0, 0, 1000, SURPLUS_NO_CAP, cls, 1},
				   .members = m,
				   .n_members = 2};
	struct surplus_result r;
	size_t bad;

	assert_int_equal(surplus_allocate(&in, &r, &bad), SURPLUS_OK);
	assert_int_equal(line_of(&r, 1)->interest_pence, 25);
	assert_int_equal(line_of(&r, 2)->interest_pence, 75);
	assert_int_equal(r.dividend_pence, 0);
	surplus_result_release(&r);

	m[0].share_pence = 1000000;
	in.surplus_pence = 1000000;
	in.rules.interest_bp = 200;
	in.rules.interest_cap_pence = 5000;
	assert_int_equal(surplus_allocate(&in, &r, &bad), SURPLUS_OK);
	assert_int_equal(line_of(&r, 1)->interest_pence, 5000);
	assert_int_equal(line_of(&r, 2)->interest_pence, 60); /* 3000 x 2 % */
	surplus_result_release(&r);
}

static void deficit_or_zero_distributes_nothing(void **state)
{
	(void)state;
	struct surplus_class_rule cls[] = {{WORKER, 10000, SURPLUS_BASIS_EQUAL}};
	struct surplus_member m[] = {member(1, WORKER, 365, 0, 0, 100)};
	struct surplus_input in = {.surplus_pence = -50000,
				   .year_days = 365,
				   .rules = {2000, 1000, 200, 5000, cls, 1},
				   .members = m,
				   .n_members = 1};
	struct surplus_result r;
	size_t bad;

	assert_int_equal(surplus_allocate(&in, &r, &bad), SURPLUS_NOTHING);
	assert_int_equal(r.n_lines, 1);
	assert_int_equal(r.lines[0].total_pence, 0);
	assert_int_equal(r.reserve_pence, 0);
	surplus_result_release(&r);
	in.surplus_pence = 0;
	assert_int_equal(surplus_allocate(&in, &r, &bad), SURPLUS_NOTHING);
	surplus_result_release(&r);
	assert_non_null(strstr(surplus_message(SURPLUS_NOTHING), "nothing"));
}

static void refusals(void **state)
{
	(void)state;
	struct surplus_class_rule cls[] = {{WORKER, 6000, SURPLUS_BASIS_EQUAL},
					   {RECIP, 5000, SURPLUS_BASIS_EQUAL}};
	struct surplus_member m[] = {member(1, WORKER, 365, 0, 0, 0),
				     member(1, RECIP, 365, 0, 0, 0)};
	struct surplus_input in = {.surplus_pence = 100,
				   .year_days = 365,
				   .rules = {10001, 0, 0, SURPLUS_NO_CAP, cls, 1},
				   .members = m,
				   .n_members = 1};
	struct surplus_result r;
	size_t bad;

	assert_int_equal(surplus_allocate(&in, &r, &bad), SURPLUS_ERR_PERCENT);
	in.rules.reserve_bp = -1;
	assert_int_equal(surplus_allocate(&in, &r, &bad), SURPLUS_ERR_PERCENT);
	in.rules.reserve_bp = 6000;
	in.rules.fund_bp = 5000;
	assert_int_equal(surplus_allocate(&in, &r, &bad), SURPLUS_ERR_PERCENT_SUM);
	in.rules.reserve_bp = in.rules.fund_bp = 0;
	in.rules.n_classes = 2; /* 60 % + 50 % */
	assert_int_equal(surplus_allocate(&in, &r, &bad), SURPLUS_ERR_PERCENT_SUM);
	cls[1].class_id = WORKER;
	cls[1].pool_bp = 1000;
	assert_int_equal(surplus_allocate(&in, &r, &bad), SURPLUS_ERR_CLASS);
	assert_int_equal(bad, 1);
	cls[1].class_id = RECIP;
	in.n_members = 2; /* id 1 twice */
	assert_int_equal(surplus_allocate(&in, &r, &bad), SURPLUS_ERR_MEMBER);
	m[1].id = 2;
	m[1].days = 366;
	assert_int_equal(surplus_allocate(&in, &r, &bad), SURPLUS_ERR_MEMBER);
	assert_int_equal(bad, 1);
	m[1].days = 365;
	in.surplus_pence = SURPLUS_MAX_PENCE + 1;
	assert_int_equal(surplus_allocate(&in, &r, &bad), SURPLUS_ERR_RANGE);
	in.surplus_pence = SURPLUS_MAX_PENCE;
	assert_int_equal(surplus_allocate(&in, &r, &bad), SURPLUS_OK);
	surplus_result_release(&r);
}

static void parsing(void **state)
{
	(void)state;
	int64_t p;
	int32_t bp;
	char buf[32];

	assert_int_equal(surplus_parse_pence("12345.67", SURPLUS_MAX_PENCE, &p), 0);
	assert_int_equal(p, 1234567);
	assert_int_equal(surplus_parse_pence("12.3", SURPLUS_MAX_PENCE, &p), 0);
	assert_int_equal(p, 1230);
	assert_int_equal(surplus_parse_pence("0", SURPLUS_MAX_PENCE, &p), 0);
	assert_int_equal(p, 0);
	const char *bad[] = {"12.345", "-5", "abc",           "", "1.", ".5", "1,000", "1e3",
			     " 1",     "1 ", "99999999999999"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(surplus_parse_pence(bad[i], SURPLUS_MAX_PENCE, &p), -1);
	assert_int_equal(surplus_parse_percent("100", &bp), 0);
	assert_int_equal(bp, 10000);
	assert_int_equal(surplus_parse_percent("12.5", &bp), 0);
	assert_int_equal(bp, 1250);
	assert_int_equal(surplus_parse_percent("100.01", &bp), -1);
	assert_int_equal(surplus_parse_percent("-1", &bp), -1);
	surplus_format_pence(1843257, buf, sizeof buf);
	assert_string_equal(buf, "18432.57");
	surplus_format_pence(5, buf, sizeof buf);
	assert_string_equal(buf, "0.05");
	surplus_format_pence(-120, buf, sizeof buf);
	assert_string_equal(buf, "-1.20");
	assert_int_equal(surplus_days_in("2025-04-01", "2026-03-31", "2024-04-01", ""), 365);
	assert_int_equal(surplus_days_in("2025-04-01", "2026-03-31", "2026-03-01", ""), 31);
	assert_int_equal(surplus_days_in("2025-04-01", "2026-03-31", "2020-01-01", "2025-04-01"),
			 1);
	assert_int_equal(surplus_days_in("2025-04-01", "2026-03-31", "2020-01-01", "2025-03-31"),
			 0);
	assert_int_equal(surplus_days_in("2023-04-01", "2024-03-31", "2020-01-01", ""), 366);
}

/* ---- property test ---- */

static uint64_t rng_state;

static uint64_t rnd(void) /* xorshift64*: deterministic from the seed */
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static int64_t below(int64_t n)
{
	return n <= 0 ? 0 : (int64_t)(rnd() % (uint64_t)n);
}

/* Random basis points that add up to at most 10000 (sometimes exactly). */
static void random_split(int32_t *bp, size_t n)
{
	int64_t left = SURPLUS_BP_WHOLE;

	for (size_t i = 0; i < n; i++) {
		bp[i] = (int32_t)below(left + 1);
		left -= bp[i];
	}
	if (n > 0 && below(2) == 0)
		bp[n - 1] += (int32_t)left;
}

#define PROP_CASES   100000
#define PROP_MEMBERS 40

static void property_reconciles_and_is_order_free(void **state)
{
	(void)state;
	struct surplus_member m[PROP_MEMBERS], p[PROP_MEMBERS];
	struct surplus_class_rule cls[5], pc[5];
	size_t perm[PROP_MEMBERS];

	rng_state = 0x5eed2026c0ffeeULL;
	for (int c = 0; c < PROP_CASES; c++) {
		size_t n = (size_t)(below(8) == 0 ? below(PROP_MEMBERS + 1) : below(9));
		size_t nc = (size_t)below(5);
		int32_t year = below(4) == 0 ? 366 : 365, split[5], top[2];
		struct surplus_input in = {.year_days = year, .members = m, .n_members = n};
		struct surplus_result r, q;
		size_t bad;

		switch (below(4)) {
		case 0:
			in.surplus_pence = below(1000); /* pennies: remainders matter */
			break;
		case 1:
			in.surplus_pence = 1000000000 - below(1000); /* £10m */
			break;
		default:
			in.surplus_pence = below(1000000001);
		}
		random_split(split, nc);
		for (size_t k = 0; k < nc; k++)
			cls[k] = (struct surplus_class_rule){(int64_t)k + 1, split[k],
							     (enum surplus_basis)below(4)};
		random_split(top, 2);
		in.rules = (struct surplus_rules){top[0],
						  top[1],
						  (int32_t)below(3) * 250,
						  below(3) == 0 ? SURPLUS_NO_CAP : below(10000),
						  cls,
						  nc};
		for (size_t i = 0; i < n; i++) {
			m[i] = member((int64_t)(i * 7 + 1 + (size_t)below(7)), below(nc + 1) + 1,
				      (int32_t)(1 + below(year)), below(3) ? below(200000) : 0,
				      below(3) ? below(50000) : 0,
				      below(2) ? below(10000000) : below(3) * 100);
			m[i].good_standing = below(10) != 0;
		}
		assert_int_equal(surplus_allocate(&in, &r, &bad),
				 in.surplus_pence > 0 ? SURPLUS_OK : SURPLUS_NOTHING);

		int64_t sum = r.reserve_pence + r.fund_pence, paid = 0;
		for (size_t i = 0; i < r.n_lines; i++) {
			assert_true(r.lines[i].interest_pence >= 0);
			assert_true(r.lines[i].dividend_pence >= 0);
			assert_int_equal(r.lines[i].total_pence,
					 r.lines[i].interest_pence + r.lines[i].dividend_pence);
			sum += r.lines[i].total_pence;
		}
		for (size_t k = 0; k < r.n_classes; k++)
			paid += r.classes[k].paid_pence;
		assert_true(r.reserve_pence >= 0 && r.fund_pence >= 0);
		assert_int_equal(sum, in.surplus_pence > 0 ? in.surplus_pence : 0);
		assert_int_equal(sum - r.reserve_pence - r.fund_pence, r.interest_pence + paid);

		/* The same members and classes in another order. */
		for (size_t i = 0; i < n; i++)
			perm[i] = i;
		for (size_t i = n; i > 1; i--) {
			size_t j = (size_t)below((int64_t)i), t = perm[i - 1];
			perm[i - 1] = perm[j];
			perm[j] = t;
		}
		for (size_t i = 0; i < n; i++)
			p[i] = m[perm[i]];
		for (size_t k = 0; k < nc; k++)
			pc[k] = cls[nc - 1 - k];
		in.members = p;
		in.rules.classes = pc;
		assert_int_equal(surplus_allocate(&in, &q, &bad),
				 in.surplus_pence > 0 ? SURPLUS_OK : SURPLUS_NOTHING);
		for (size_t i = 0; i < n; i++) {
			const struct surplus_line *a = &r.lines[perm[i]], *b = &q.lines[i];
			assert_int_equal(a->member_id, b->member_id);
			assert_int_equal(a->interest_pence, b->interest_pence);
			assert_int_equal(a->dividend_pence, b->dividend_pence);
		}
		assert_int_equal(r.reserve_pence, q.reserve_pence);
		for (size_t k = 0; k < nc; k++)
			assert_int_equal(r.classes[k].pool_pence, q.classes[nc - 1 - k].pool_pence);
		surplus_result_release(&r);
		surplus_result_release(&q);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(worked_example),
		cmocka_unit_test(tie_goes_to_lowest_id),
		cmocka_unit_test(largest_remainder),
		cmocka_unit_test(unclaimed_class_goes_to_reserve),
		cmocka_unit_test(interest_scaled_and_capped),
		cmocka_unit_test(deficit_or_zero_distributes_nothing),
		cmocka_unit_test(refusals),
		cmocka_unit_test(parsing),
		cmocka_unit_test(property_reconciles_and_is_order_free),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
