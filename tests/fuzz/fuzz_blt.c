/* Fuzz target: the BLT ballot file reader (core/blt.h), which meets files
 * that members and returning officers upload. Whatever it accepts must
 * write back to text that reads the same, and must count by STV and by
 * approval with every vote accounted for. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/blt.h"
#include "core/stv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same_election(const struct stv_election *a, const struct stv_election *b)
{
	if (a->n_candidates != b->n_candidates || a->seats != b->seats ||
	    a->n_ballots != b->n_ballots || a->n_prefs != b->n_prefs ||
	    memcmp(a->withdrawn, b->withdrawn, (size_t)a->n_candidates * sizeof(bool)) != 0 ||
	    (a->n_prefs > 0 && memcmp(a->prefs, b->prefs, a->n_prefs * sizeof(int)) != 0))
		abort();
	for (size_t l = 0; l < a->n_ballots; l++)
		if (a->ballots[l].weight != b->ballots[l].weight ||
		    a->ballots[l].n_prefs != b->ballots[l].n_prefs)
			abort();
	for (int c = 0; c < a->n_candidates; c++)
		if (strcmp(a->names[c], b->names[c]) != 0)
			abort();
}

static void count(const struct stv_election *e)
{
	struct stv_result r;
	struct stv_approval_result a;
	struct stv_options seeded = {.lot = STV_LOT_SEEDED, .seed = 7};

	if (stv_count(e, &seeded, &r) == STV_OK) {
		if (r.n_elected != e->seats)
			abort();
		for (size_t s = 0; s < r.n_stages; s++) {
			int64_t sum = r.stages[s].non_transferable + r.stages[s].lost_to_rounding;
			for (int c = 0; c < e->n_candidates; c++)
				sum += r.stages[s].totals[c];
			if (sum != r.valid_papers * STV_SCALE || r.stages[s].lost_to_rounding < 0)
				abort();
		}
	}
	stv_result_free(&r);
	if (stv_approval_count(e, NULL, &a) == STV_OK && a.n_elected != e->seats)
		abort();
	stv_approval_result_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stv_election *e = NULL, *again = NULL;
	char err[BLT_ERR_MAX], *text = NULL;
	size_t len;

	if (blt_parse((const char *)data, size, &e, err, sizeof err) != STV_OK) {
		if (e != NULL || strncmp(err, "line ", 5) != 0)
			abort(); /* every fault names its line */
		return 0;
	}
	if (blt_write_buf(e, (size_t)1 << 26, &text, &len) != STV_OK ||
	    blt_parse(text, len, &again, err, sizeof err) != STV_OK)
		abort();
	same_election(e, again);
	if (e->n_candidates <= 64)
		count(e);
	free(text);
	stv_election_free(again);
	stv_election_free(e);
	return 0;
}
