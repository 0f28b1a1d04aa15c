/* STV under the Scottish rules (SSI 2007/42, Schedule 1, rules 45-52):
 * hand-counted elections whose every figure is worked out in the comments,
 * a published reference count, ties broken by looking back and by lot,
 * and invariants over random elections; then approval voting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/blt.h"
#include "core/stv.h"

static struct stv_election *load(const char *text)
{
	struct stv_election *e = NULL;
	char err[BLT_ERR_MAX];

	if (blt_parse(text, strlen(text), &e, err, sizeof(err)) != STV_OK)
		fail_msg("%s", err);
	return e;
}

static struct stv_election *load_file(const char *name)
{
	char path[512], *text;
	struct stv_election *e;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", STV_DATA_DIR, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	text = malloc((size_t)n + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	text[n] = '\0';
	fclose(f);
	e = load(text);
	free(text);
	return e;
}

/* Value of candidate c at the end of stage s (1-based as printed). */
static void assert_value(const struct stv_result *r, size_t s, int c, const char *want)
{
	char got[STV_VALUE_MAX];

	assert_true(s >= 1 && s <= r->n_stages);
	assert_int_equal(stv_format_value(r->stages[s - 1].totals[c], got, sizeof(got)), 0);
	assert_string_equal(got, want);
}

static void assert_fmt(int64_t v, const char *want)
{
	char got[STV_VALUE_MAX];

	assert_int_equal(stv_format_value(v, got, sizeof(got)), 0);
	assert_string_equal(got, want);
}

/* At every stage the candidates' votes, the non-transferable value and
 * the value cut off by truncation add up to the valid papers exactly;
 * the elected are distinct and marked elected at the end. */
static void assert_conserved(const struct stv_result *r)
{
	for (size_t s = 0; s < r->n_stages; s++) {
		const struct stv_stage *st = &r->stages[s];
		int64_t sum = st->non_transferable + st->lost_to_rounding;

		for (int c = 0; c < r->n_candidates; c++)
			sum += st->totals[c];
		assert_int_equal(sum, r->valid_papers * STV_SCALE);
		assert_true(st->lost_to_rounding >= 0);
		if (s > 0)
			assert_true(st->non_transferable >= r->stages[s - 1].non_transferable);
	}
	assert_int_equal(r->n_elected, r->seats);
	for (int i = 0; i < r->n_elected; i++) {
		assert_int_equal(r->stages[r->n_stages - 1].status[r->elected[i]], STV_ELECTED);
		for (int j = 0; j < i; j++)
			assert_int_not_equal(r->elected[i], r->elected[j]);
	}
}

/* tests/core/data/stv/surplus-decides.blt, 3 seats, 100 papers:
 *   45 Ann>Eve, 26 Bob, 12 Cat, 10 Dan, 7 Eve; Fay none.
 * Quota = floor(100 / 4) + 1 = 26.
 * Stage 1: Ann 45 and Bob 26 reach the quota; Bob has no surplus.
 * Stage 2: Ann's surplus 19: each paper's transfer value is
 *   19 x 1 / 45 = 0.422222.. -> 0.42222; Eve gets 45 x 0.42222 = 18.99990,
 *   7 + 18.99990 = 25.99990, just short of 26; 19 - 18.99990 = 0.00010 is
 *   cut off by truncation. Ann keeps 26.
 * Stage 3: Fay (0) excluded. Stage 4: Dan (10) excluded, his papers are
 *   non-transferable. Stage 5: Cat (12) excluded; Eve is the one continuing
 *   candidate for the one vacancy, so she is elected (rule 52) and Cat's
 *   papers are not transferred.
 * Without the surplus Eve (7) would go first and Cat would win the seat. */
static void surplus_decides_last_seat(void **state)
{
	struct stv_election *e = load_file("surplus-decides.blt");
	struct stv_result r;

	(void)state;
	assert_int_equal(stv_count(e, NULL, &r), STV_OK);
	assert_int_equal(r.valid_papers, 100);
	assert_int_equal(r.quota, 26);
	assert_int_equal(r.n_stages, 5);
	assert_int_equal(r.n_elected, 3);
	assert_int_equal(r.elected[0], 0); /* Ann */
	assert_int_equal(r.elected[1], 1); /* Bob */
	assert_int_equal(r.elected[2], 4); /* Eve */
	assert_int_equal(r.stages[0].action, STV_STAGE_FIRST);
	assert_int_equal(r.stages[0].n_elected, 2);
	assert_value(&r, 1, 0, "45.00000");
	assert_int_equal(r.stages[1].action, STV_STAGE_SURPLUS);
	assert_int_equal(r.stages[1].candidate, 0);
	assert_int_equal(r.stages[1].surplus, 19 * STV_SCALE);
	assert_value(&r, 2, 0, "26.00000");
	assert_value(&r, 2, 4, "25.99990");
	assert_int_equal(r.stages[1].lost_to_rounding, 10);
	assert_int_equal(r.stages[2].action, STV_STAGE_EXCLUSION);
	assert_int_equal(r.stages[2].candidate, 5);
	assert_int_equal(r.stages[3].candidate, 3);
	assert_int_equal(r.stages[3].non_transferable, 10 * STV_SCALE);
	assert_int_equal(r.stages[4].candidate, 2);
	assert_true(r.stages[4].no_transfer);
	assert_value(&r, 5, 2, "12.00000"); /* not transferred */
	assert_int_equal(r.stages[4].status[2], STV_EXCLUDED);
	assert_int_equal(r.stages[4].status[4], STV_ELECTED);
	assert_false(r.lot_used);
	assert_conserved(&r);
	stv_result_free(&r);
	stv_election_free(e);
}

/* 2 seats, 100 papers: 40 A>C, 22 B, 18 C, 20 D. Quota floor(100/3)+1 = 34.
 * A's surplus 6 at 6/40 = 0.15 gives C 40 x 0.15 = 6: C 24, B 22, D 20.
 * D is excluded (his papers go nowhere), then B, and C takes the seat.
 * Counted without the transfer, C (18) would have been excluded first. */
static void surplus_changes_exclusion_order(void **state)
{
	struct stv_election *e = load("4 2\n40 1 3 0\n22 2 0\n18 3 0\n20 4 0\n0\n"
				      "\"A\" \"B\" \"C\" \"D\" \"t\"\n");
	struct stv_result r;

	(void)state;
	assert_int_equal(stv_count(e, NULL, &r), STV_OK);
	assert_int_equal(r.quota, 34);
	assert_value(&r, 2, 2, "24.00000");
	assert_int_equal(r.stages[2].candidate, 3); /* D */
	assert_int_equal(r.stages[2].non_transferable, 20 * STV_SCALE);
	assert_int_equal(r.stages[3].candidate, 1); /* B, no transfer */
	assert_true(r.stages[3].no_transfer);
	assert_int_equal(r.elected[0], 0);
	assert_int_equal(r.elected[1], 2);
	assert_conserved(&r);
	stv_result_free(&r);
	stv_election_free(e);
}

/* 2 seats, 100 papers: 40 A>D, 20 B, 14 C, 8 D, 18 E. Quota 34.
 * Stage 2: A's surplus 6 at 0.15 gives D 40 x 0.15 = 6: C 14 and D 14.
 * Rule 51(2)(a): at stage 1 (the most recent stage where they differed)
 * C had 14 and D 8, so D is excluded - not by lot.
 * Stage 3: D's papers are all non-transferable: 8 + 40 x 0.15 = 14.
 * Stage 4: C (14) excluded, non-transferable 28. Stage 5: E (18)
 * excluded, leaving B for the last seat. */
static void tie_broken_by_earlier_stage(void **state)
{
	struct stv_election *e = load("5 2\n40 1 4 0\n20 2 0\n14 3 0\n8 4 0\n18 5 0\n0\n"
				      "\"A\" \"B\" \"C\" \"D\" \"E\" \"t\"\n");
	struct stv_result r;

	(void)state;
	assert_int_equal(stv_count(e, NULL, &r), STV_OK);
	assert_value(&r, 2, 2, "14.00000");
	assert_value(&r, 2, 3, "14.00000");
	assert_int_equal(r.stages[2].action, STV_STAGE_EXCLUSION);
	assert_int_equal(r.stages[2].candidate, 3);
	assert_true(r.stages[2].tie_looked_back);
	assert_false(r.stages[2].lot);
	assert_int_equal(r.stages[2].non_transferable, 14 * STV_SCALE);
	assert_int_equal(r.stages[3].candidate, 2);
	assert_int_equal(r.stages[3].non_transferable, 28 * STV_SCALE);
	assert_int_equal(r.stages[4].candidate, 4);
	assert_int_equal(r.elected[0], 0);
	assert_int_equal(r.elected[1], 1);
	assert_false(r.lot_used);
	assert_conserved(&r);
	stv_result_free(&r);
	stv_election_free(e);
}

static int draw_second(void *ctx, const int *tied, int n)
{
	int *calls = ctx;

	(*calls)++;
	assert_int_equal(n, 2);
	assert_int_equal(tied[0], 1); /* offered in candidate order */
	assert_int_equal(tied[1], 2);
	return 1;
}

/* tests/core/data/stv/lot.blt, 1 seat, 14 papers: 4 Ann, 3 Bob>Ann,
 * 3 Cat>Dan, 4 Dan. Quota floor(14/2)+1 = 8.
 * Bob and Cat have 3 each at the only stage so far: rule 51(2)(b), lot.
 * Lot draws Bob (first in candidate order): Ann 7; Cat (3) goes next and
 * Dan has 7. Ann and Dan tie at 7; at stage 2 Ann had 7 and Dan 4, so Dan
 * is excluded and Ann elected.
 * Lot draws Cat: Dan 7; Bob goes next and Ann has 7; at stage 2 Ann had 4
 * and Dan 7, so Ann is excluded and Dan elected. */
static void tie_needing_lot(void **state)
{
	struct stv_election *e = load_file("lot.blt");
	struct stv_result r;
	int calls = 0;
	struct stv_options second = {.lot = STV_LOT_CALLBACK, .draw = draw_second, .ctx = &calls};

	(void)state;
	assert_int_equal(stv_count(e, NULL, &r), STV_OK);
	assert_int_equal(r.stages[1].candidate, 1);
	assert_true(r.stages[1].lot);
	assert_true(r.lot_used);
	assert_int_equal(r.stages[2].candidate, 2);
	assert_false(r.stages[2].lot);
	assert_int_equal(r.stages[3].candidate, 3); /* Ann and Dan tied: looked back */
	assert_true(r.stages[3].tie_looked_back);
	assert_true(r.stages[3].no_transfer);
	assert_int_equal(r.elected[0], 0);
	assert_conserved(&r);
	stv_result_free(&r);

	assert_int_equal(stv_count(e, &second, &r), STV_OK);
	assert_int_equal(calls, 1);
	assert_int_equal(r.stages[1].candidate, 2);
	assert_int_equal(r.stages[3].candidate, 0);
	assert_int_equal(r.elected[0], 3);
	assert_conserved(&r);
	stv_result_free(&r);

	/* A seeded lot is reproducible. */
	struct stv_options seeded = {.lot = STV_LOT_SEEDED, .seed = 2026};
	struct stv_result r2;
	assert_int_equal(stv_count(e, &seeded, &r), STV_OK);
	assert_int_equal(stv_count(e, &seeded, &r2), STV_OK);
	assert_int_equal(r.elected[0], r2.elected[0]);
	assert_true(r.lot_used);
	stv_result_free(&r);
	stv_result_free(&r2);
	stv_election_free(e);
}

/* Rule 49(1): the largest surplus first. 3 seats, 100 papers:
 *   40 C>A>D, 6 C>B>D, 24 A, 30 B. Quota floor(100/4)+1 = 26.
 * Stage 1: C 46 (surplus 20) and B 30 (surplus 4) are elected; A 24.
 * Stage 2: C's 20 goes first, at 20/46 = 0.434782.. -> 0.43478. A gets
 *   40 x 0.43478 = 17.39120 -> 41.39120 and is elected; B is elected, so
 *   the 6 C>B>D papers pass to D: 6 x 0.43478 = 2.60868. Every seat is
 *   filled: B's and A's surpluses are never transferred. */
static void largest_surplus_first(void **state)
{
	struct stv_election *e = load("4 3\n40 3 1 4 0\n6 3 2 4 0\n24 1 0\n30 2 0\n0\n"
				      "\"A\" \"B\" \"C\" \"D\" \"t\"\n");
	struct stv_result r;

	(void)state;
	assert_int_equal(stv_count(e, NULL, &r), STV_OK);
	assert_int_equal(r.quota, 26);
	assert_int_equal(r.stages[0].n_elected, 2);
	assert_int_equal(r.elected[0], 2);
	assert_int_equal(r.elected[1], 1);
	assert_int_equal(r.stages[1].candidate, 2);
	assert_value(&r, 2, 0, "41.39120");
	assert_value(&r, 2, 1, "30.00000");
	assert_value(&r, 2, 3, "2.60868");
	assert_int_equal(r.n_stages, 2);
	assert_int_equal(r.elected[2], 0);
	assert_conserved(&r);
	stv_result_free(&r);
	stv_election_free(e);

	/* 2 seats, 60 papers, quota floor(60/3)+1 = 21: A 30 and B 30 are
	 * both elected at stage 1, and with the seats full nothing moves. */
	e = load("4 2\n30 1 0\n30 2 0\n0\n\"A\" \"B\" \"C\" \"D\" \"t\"\n");
	assert_int_equal(stv_count(e, NULL, &r), STV_OK);
	assert_int_equal(r.n_stages, 1);
	assert_int_equal(r.elected[0], 0);
	assert_int_equal(r.elected[1], 1);
	stv_result_free(&r);
	stv_election_free(e);
}

/* Rule 48(4)(b): a paper passed on in a surplus carries the value it had
 * when received. 3 seats, 80 papers, quota floor(80/4)+1 = 21:
 *   20 A, 25 B>E, 10 C, 5 D>A, 20 E>C.
 * Stage 1: B 25 is elected (surplus 4); A 20, C 10, D 5, E 20.
 * Stage 2: B's 4 at 4/25 = 0.16: E 20 + 25 x 0.16 = 24, elected (surplus 3).
 * Stage 3: E's 3 over all 45 of E's papers (inclusive):
 *   20 E>C, value 1:    3 x 1 / 24 = 0.125 each, C 10 + 2.5 = 12.5;
 *   25 B>E, value 0.16: 3 x 0.16 / 24 = 0.02 each, no next preference:
 *   non-transferable 25 x 0.02 = 0.5. 2.5 + 0.5 = 3: nothing lost.
 * Stage 4: D (5) excluded: 5 D>A, A 25, elected; the seats are full. */
static void surplus_of_transferred_papers(void **state)
{
	struct stv_election *e = load("5 3\n20 1 0\n25 2 5 0\n10 3 0\n5 4 1 0\n20 5 3 0\n0\n"
				      "\"A\" \"B\" \"C\" \"D\" \"E\" \"t\"\n");
	struct stv_result r;

	(void)state;
	assert_int_equal(stv_count(e, NULL, &r), STV_OK);
	assert_int_equal(r.quota, 21);
	assert_value(&r, 2, 4, "24.00000");
	assert_int_equal(r.stages[2].candidate, 4);
	assert_value(&r, 3, 2, "12.50000");
	assert_int_equal(r.stages[2].non_transferable, 50000);
	assert_int_equal(r.stages[2].lost_to_rounding, 0);
	assert_int_equal(r.stages[3].candidate, 3);
	assert_value(&r, 4, 0, "25.00000");
	assert_int_equal(r.elected[0], 1);
	assert_int_equal(r.elected[1], 4);
	assert_int_equal(r.elected[2], 0);
	assert_conserved(&r);
	stv_result_free(&r);
	stv_election_free(e);
}

/* Rule 49(2): equal surpluses, the one with more votes at the most recent
 * preceding stage where they differed goes first. 4 seats, 100 papers:
 *   27 A>D, 30 B>C, 18 C, 15 D, 10 E. Quota floor(100/5)+1 = 21.
 * Stage 1: B 30 (surplus 9) and A 27 (surplus 6) are elected.
 * Stage 2: B's 9 at 9/30 = 0.3: C 18 + 9 = 27, elected (surplus 6).
 * Stage 3: A and C both have 27 (surplus 6); at stage 1 A had 27 and C 18,
 *   so A's goes first: 6/27 = 0.222222.. -> 0.22222 on 27 A>D papers,
 *   D 15 + 5.99994 = 20.99994 (short of 21); 0.00006 cut off.
 * Stage 4: C's 6: 18 C papers at 6 x 1 / 27 -> 0.22222 and 30 B>C papers at
 *   6 x 0.3 / 27 = 0.066666.. -> 0.06666, none with a next preference:
 *   non-transferable 3.99996 + 1.99980 = 5.99976, 0.00024 cut off.
 * Stage 5: E (10) excluded; D is left for the last seat. */
static void equal_surpluses_look_back(void **state)
{
	struct stv_election *e = load("5 4\n27 1 4 0\n30 2 3 0\n18 3 0\n15 4 0\n10 5 0\n0\n"
				      "\"A\" \"B\" \"C\" \"D\" \"E\" \"t\"\n");
	struct stv_result r;

	(void)state;
	assert_int_equal(stv_count(e, NULL, &r), STV_OK);
	assert_int_equal(r.quota, 21);
	assert_int_equal(r.stages[1].candidate, 1);
	assert_value(&r, 2, 2, "27.00000");
	assert_int_equal(r.stages[2].candidate, 0);
	assert_true(r.stages[2].tie_looked_back);
	assert_false(r.stages[2].lot);
	assert_value(&r, 3, 3, "20.99994");
	assert_int_equal(r.stages[2].lost_to_rounding, 6);
	assert_int_equal(r.stages[3].candidate, 2);
	assert_int_equal(r.stages[3].non_transferable, 599976);
	assert_int_equal(r.stages[3].lost_to_rounding, 30);
	assert_int_equal(r.stages[4].candidate, 4);
	assert_true(r.stages[4].no_transfer);
	assert_int_equal(r.elected[0], 1);
	assert_int_equal(r.elected[1], 0);
	assert_int_equal(r.elected[2], 2);
	assert_int_equal(r.elected[3], 3);
	assert_conserved(&r);
	stv_result_free(&r);
	stv_election_free(e);
}

/* Surpluses one per stage, largest first. 4 seats, 100 papers:
 *   30 A>E, 25 B>F, 22 C>E, 5 D>C, 10 E, 8 F. Quota floor(100/5)+1 = 21.
 * Stage 1: A 30 (surplus 9), B 25 (4), C 22 (1) elected; D 5, E 10, F 8.
 * Stage 2: A's 9 at 9/30 = 0.3: E 10 + 9 = 19.
 * Stage 3: B's 4 at 4/25 = 0.16: F 8 + 4 = 12.
 * Stage 4: C's 1 at 1/22 = 0.0454545.. -> 0.04545: E 19 + 0.99990.
 * Stage 5: D (5) excluded: D>C, C is elected: non-transferable 5.
 * Stage 6: F (12) excluded: E is left for the last seat. */
static void surpluses_in_order(void **state)
{
	struct stv_election *e = load("6 4\n30 1 5 0\n25 2 6 0\n22 3 5 0\n5 4 3 0\n10 5 0\n8 6 0\n"
				      "0\n\"A\" \"B\" \"C\" \"D\" \"E\" \"F\" \"t\"\n");
	struct stv_result r;

	(void)state;
	assert_int_equal(stv_count(e, NULL, &r), STV_OK);
	assert_int_equal(r.quota, 21);
	assert_int_equal(r.stages[1].candidate, 0);
	assert_value(&r, 2, 4, "19.00000");
	assert_int_equal(r.stages[2].candidate, 1);
	assert_value(&r, 3, 5, "12.00000");
	assert_int_equal(r.stages[3].candidate, 2);
	assert_value(&r, 4, 4, "19.99990");
	assert_int_equal(r.stages[4].candidate, 3);
	assert_int_equal(r.stages[4].non_transferable, 5 * STV_SCALE);
	assert_int_equal(r.stages[5].candidate, 5);
	assert_int_equal(r.n_elected, 4);
	assert_int_equal(r.elected[3], 4);
	assert_conserved(&r);
	stv_result_free(&r);
	stv_election_free(e);
}

/* 3 seats, 12 papers, quota floor(12/4)+1 = 4. A 5 and B 5 have the same
 * surplus 1 at every stage: lot picks A (candidate order) to go first.
 * A's 5 papers A>C at 1/5 = 0.2: C 1 + 1 = 2; then B's B>C: C 3; then
 * D (1) excluded, C elected by rule 52. */
static void equal_surpluses_by_lot(void **state)
{
	struct stv_election *e =
		load("4 3\n5 1 3 0\n5 2 3 0\n1 3 0\n1 4 0\n0\n\"A\" \"B\" \"C\" \"D\" \"t\"\n");
	struct stv_result r;

	(void)state;
	assert_int_equal(stv_count(e, NULL, &r), STV_OK);
	assert_int_equal(r.quota, 4);
	assert_int_equal(r.stages[1].candidate, 0);
	assert_true(r.stages[1].lot);
	assert_value(&r, 2, 2, "2.00000");
	assert_int_equal(r.stages[2].candidate, 1);
	assert_false(r.stages[2].lot); /* only B is left pending */
	assert_value(&r, 3, 2, "3.00000");
	assert_int_equal(r.stages[3].candidate, 3);
	assert_int_equal(r.elected[2], 2);
	assert_conserved(&r);
	stv_result_free(&r);
	stv_election_free(e);
}

/* Withdrawn candidates are passed over; papers naming nobody standing, and
 * blank papers, are not valid papers and do not count to the quota. */
static void withdrawn_and_invalid(void **state)
{
	/* 4 candidates, 2 seats, B withdrawn. 10 A, 6 B>C, 3 B, 2 blank, 5 D.
	 * Valid: 10 + 6 + 5 = 21, invalid 3 + 2 = 5; quota floor(21/3)+1 = 8. */
	struct stv_election *e = load("4 2\n-2\n10 1 0\n6 2 3 0\n3 2 0\n2 0\n5 4 0\n0\n"
				      "\"A\" \"B\" \"C\" \"D\" \"t\"\n");
	struct stv_result r;

	(void)state;
	assert_int_equal(stv_count(e, NULL, &r), STV_OK);
	assert_int_equal(r.valid_papers, 21);
	assert_int_equal(r.invalid_papers, 5);
	assert_int_equal(r.quota, 8);
	assert_value(&r, 1, 1, "0.00000");
	assert_int_equal(r.stages[0].status[1], STV_EXCLUDED);
	assert_value(&r, 1, 2, "6.00000");
	assert_int_equal(r.elected[0], 0);
	assert_conserved(&r);
	stv_result_free(&r);
	stv_election_free(e);

	/* A two-seat election: 4 Castor>Pollux, 2 Helen; 2 seats, quota 3.
	 * Castor's surplus 1 at 1/4 = 0.25 gives Pollux 1; Pollux (1) is
	 * excluded and Helen takes the second seat. */
	e = load("3 2\n4 1 2 0\n2 3 0\n0\n\"Castor\"\n\"Pollux\"\n\"Helen\"\n\"t\"\n");
	assert_int_equal(stv_count(e, NULL, &r), STV_OK);
	assert_value(&r, 2, 1, "1.00000");
	assert_int_equal(r.elected[0], 0);
	assert_int_equal(r.elected[1], 2);
	stv_result_free(&r);
	stv_election_free(e);
}

static void bad_elections(void **state)
{
	struct stv_election *e = stv_election_new();
	struct stv_result r;
	const int prefs[] = {0, 1}, twice[] = {1, 1}, out[] = {3};

	(void)state;
	assert_non_null(e);
	assert_int_equal(stv_count(e, NULL, &r), STV_ERR_INVALID); /* no candidates */
	stv_result_free(&r);
	assert_int_equal(stv_election_set(e, 3, 4), STV_ERR_INVALID);
	assert_int_equal(stv_election_set(e, STV_CANDIDATES_MAX + 1, 1), STV_ERR_TOO_BIG);
	assert_int_equal(stv_election_set(e, 3, 2), STV_OK);
	assert_int_equal(stv_election_set(e, 3, 2), STV_ERR_INVALID); /* already set */
	assert_string_equal(e->names[2], "Candidate 3");
	assert_int_equal(stv_election_name(e, 0, "Ann"), STV_OK);
	assert_int_equal(stv_election_name(e, 3, "Nobody"), STV_ERR_INVALID);
	assert_int_equal(stv_election_name(e, 1, ""), STV_ERR_INVALID);
	assert_int_equal(stv_election_name(e, 1, "tab\there"), STV_ERR_INVALID);
	assert_int_equal(stv_election_name(e, -1, "Board 2026"), STV_OK);
	assert_int_equal(stv_election_add_ballot(e, 1, twice, 2), STV_ERR_INVALID);
	assert_int_equal(stv_election_add_ballot(e, 1, out, 1), STV_ERR_INVALID);
	assert_int_equal(stv_election_add_ballot(e, 0, prefs, 2), STV_ERR_INVALID);
	assert_int_equal(stv_election_add_ballot(e, STV_WEIGHT_MAX + 1, prefs, 2), STV_ERR_TOO_BIG);
	/* No valid paper yet. */
	assert_int_equal(stv_count(e, NULL, &r), STV_ERR_INVALID);
	stv_result_free(&r);
	assert_int_equal(stv_election_add_ballot(e, 3, prefs, 2), STV_OK);
	/* Two withdrawn of three leave one for two seats. */
	assert_int_equal(stv_election_withdraw(e, 1), STV_OK);
	assert_int_equal(stv_election_withdraw(e, 2), STV_OK);
	assert_int_equal(stv_election_withdraw(e, 3), STV_ERR_INVALID);
	assert_int_equal(stv_count(e, NULL, &r), STV_ERR_INVALID);
	stv_result_free(&r);
	e->withdrawn[1] = e->withdrawn[2] = false;
	/* A preference corrupted by hand is caught. */
	e->prefs[1] = 0;
	assert_int_equal(stv_count(e, NULL, &r), STV_ERR_INVALID);
	stv_result_free(&r);
	e->prefs[1] = 1;
	assert_int_equal(stv_count(e, NULL, &r), STV_OK);
	stv_result_free(&r);
	stv_result_free(&r); /* twice is fine */
	stv_result_free(NULL);
	stv_election_free(e);
	stv_election_free(NULL);
	assert_string_equal(stv_error_message(STV_ERR_TOO_BIG), "election too large");
}

static void values(void **state)
{
	(void)state;
	assert_fmt(0, "0.00000");
	assert_fmt(1234567, "12.34567");
	assert_fmt(100000, "1.00000");
	assert_fmt(-5, "-0.00005");
	assert_fmt(INT64_MIN, "-92233720368547.75808");
	assert_fmt(INT64_MAX, "92233720368547.75807");
	char small[8];
	assert_int_equal(stv_format_value(1234567, small, sizeof(small)), -1);
}

/* Random elections: every count conserves value exactly, fills every seat
 * and takes at most 1 + seats + candidates stages. */
static void invariants(void **state)
{
	uint64_t x = 88172645463325252u;

	(void)state;
	for (int round = 0; round < 300; round++) {
		struct stv_election *e = stv_election_new();
		struct stv_result r;
		int n = 2 + round % 9, seats = 1 + round % n, prefs[12];
		size_t lines = 1 + (size_t)(round % 40);

		assert_int_equal(stv_election_set(e, n, seats), STV_OK);
		for (size_t l = 0; l < lines; l++) {
			int k, used = 0;
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			k = 1 + (int)(x % (uint64_t)n);
			for (int c = 0; c < n && used < k; c++)
				if ((x >> (8 + c)) & 1 || c == (int)((x >> 40) % (uint64_t)n))
					prefs[used++] = (c + (int)(x >> 50)) % n;
			/* (c + shift) % n over distinct c is distinct */
			assert_int_equal(stv_election_add_ballot(e, 1 + (int64_t)(x % 50), prefs,
								 (size_t)used),
					 STV_OK);
		}
		if (round % 7 == 3 && n - 1 >= seats)
			assert_int_equal(stv_election_withdraw(e, 0), STV_OK);
		enum stv_error err = stv_count(e, NULL, &r);
		if (err == STV_OK) {
			assert_conserved(&r);
			assert_true(r.n_stages <= (size_t)(1 + seats + n));
		} else {
			assert_int_equal(err, STV_ERR_INVALID); /* only withdrawn named */
			assert_int_equal(r.valid_papers, 0);
		}
		stv_result_free(&r);
		stv_election_free(e);
	}
}

static void approval(void **state)
{
	/* 5 candidates, 2 seats, E withdrawn: A 4+3+2 = 9, B 4+3 = 7,
	 * C 3+3 = 6, D 3, E 0 (withdrawn: her 5 approvals are ignored). */
	struct stv_election *e = load("5 2\n-5\n4 1 2 5 0\n3 3 1 0\n2 1 0\n3 2 3 4 0\n1 5 0\n0\n"
				      "\"A\" \"B\" \"C\" \"D\" \"E\" \"t\"\n");
	struct stv_approval_result a;
	struct stv_options drawn = {.lot = STV_LOT_CALLBACK, .draw = draw_second};
	int calls = 0;

	(void)state;
	drawn.ctx = &calls;
	assert_int_equal(stv_approval_count(e, NULL, &a), STV_OK);
	assert_int_equal(a.approvals[0], 9);
	assert_int_equal(a.approvals[1], 7);
	assert_int_equal(a.approvals[2], 6);
	assert_int_equal(a.approvals[3], 3);
	assert_int_equal(a.approvals[4], 0);
	assert_int_equal(a.papers, 12); /* the 1 paper for E alone is not counted */
	assert_int_equal(a.order[0], 0);
	assert_int_equal(a.order[1], 1);
	assert_int_equal(a.order[4], 4);
	assert_int_equal(a.elected[0], 0);
	assert_int_equal(a.elected[1], 1);
	assert_false(a.tie_at_cutoff);
	stv_approval_result_free(&a);
	stv_election_free(e);

	/* One more paper for C: B and C tie at 7 for the last seat. */
	e = load("5 2\n-5\n4 1 2 5 0\n3 3 1 0\n2 1 0\n3 2 3 4 0\n1 3 0\n0\n"
		 "\"A\" \"B\" \"C\" \"D\" \"E\" \"t\"\n");
	assert_int_equal(stv_approval_count(e, NULL, &a), STV_OK);
	assert_true(a.tie_at_cutoff);
	assert_true(a.lot_used);
	assert_int_equal(a.elected[1], 1); /* first in candidate order */
	stv_approval_result_free(&a);
	assert_int_equal(stv_approval_count(e, &drawn, &a), STV_OK);
	assert_int_equal(calls, 1);
	assert_int_equal(a.elected[1], 2);
	stv_approval_result_free(&a);
	stv_approval_result_free(NULL);
	stv_election_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(surplus_decides_last_seat),
		cmocka_unit_test(surplus_changes_exclusion_order),
		cmocka_unit_test(tie_broken_by_earlier_stage),
		cmocka_unit_test(tie_needing_lot),
		cmocka_unit_test(largest_surplus_first),
		cmocka_unit_test(surplus_of_transferred_papers),
		cmocka_unit_test(equal_surpluses_look_back),
		cmocka_unit_test(surpluses_in_order),
		cmocka_unit_test(equal_surpluses_by_lot),
		cmocka_unit_test(withdrawn_and_invalid),
		cmocka_unit_test(bad_elections),
		cmocka_unit_test(values),
		cmocka_unit_test(invariants),
		cmocka_unit_test(approval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
