/*
 * rota_lp: the rota problem of shared/rota-instance.md as a mixed-integer
 * program in CPLEX LP format, for an exact solver (CBC) to prove how far the
 * rota solver is from the optimum on small instances; and the way back,
 * from CBC's solution file to a rota that `carecoop check` can judge.
 *
 *   rota_lp lp INSTANCE OUT.lp
 *   rota_lp solution INSTANCE CBC_SOLUTION OUT.json
 *
 * The instance is read by the project's own adapter (rota_io), so local
 * times become UTC minutes and local days exactly as `carecoop check` sees
 * them, DST weeks included. The model (travel is NOT in its objective):
 *
 *   x_v_c  binary   carer c takes a place on visit v; only for pairs that
 *                   keep rules 1-2 (available for the whole visit, every
 *                   skill, not excluded)
 *   u_v    integer  missing places of visit v, 0..carers(v)
 *   y_r_c  binary   carer c visits recipient r at all (>= every x_v_c of r)
 *   dp_c, dn_c >= 0 minutes over / under contract
 *
 *   minimise  w_uncovered * sum u + w_distinct * sum y
 *           + w_off_team * sum of x_v_c with c outside r's non-empty team
 *           + w_contract * sum (dp + dn)
 *   rule 3    sum_c x_v_c + u_v = carers(v)
 *   rule 4    x_v_c + x_w_c <= 1 when v and w overlap, or fall on the same
 *             local day with less than the travel time between them
 *   rule 5    sum_v minutes(v) x_v_c <= max_week_minutes(c)
 *   rule 6    x_v_c + x_w_c <= 1 when v is on day d, w on day d+1 and
 *             w.start - v.end < min_rest_minutes
 *   contract  sum_v minutes(v) x_v_c - dp_c + dn_c = contract(c)
 *
 * Pairwise rule 4 is the checker's "consecutive visits" rule for every
 * pair: haversine obeys the triangle inequality and a visit between two
 * others lasts at least a minute, so a rota whose consecutive visits keep
 * the travel gap keeps it between any two visits of that day.
 *
 * Only pairwise conflicts: CBC's preprocessing merges them into cliques
 * itself (writing greedy cliques here as well gave the same root bound
 * and a slower search).
 *
 * `lp` prints the instance's weights ("weights uncovered 10000 ...") and the
 * model's size on stdout. `solution` reads the variables
 * x_v_c at 1 from CBC's `solu` file and writes the rota.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rota.h"
#include "rota_io/rota_json.h"

#define TERMS_PER_LINE 8

/* Writes LP terms, a few to a line (LP readers limit line length). */
struct row {
	FILE *f;
	int terms;
};

static void term(struct row *r, long long coef, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void term(struct row *r, long long coef, const char *fmt, ...)
{
	va_list ap;

	if (r->terms > 0 && r->terms % TERMS_PER_LINE == 0)
		fputs("\n   ", r->f);
	fprintf(r->f, " %c %lld ", coef < 0 ? '-' : '+', coef < 0 ? -coef : coef);
	va_start(ap, fmt);
	vfprintf(r->f, fmt, ap);
	va_end(ap);
	r->terms++;
}

static bool in_team(const struct rota_recipient *r, uint32_t c)
{
	for (size_t k = 0; k < r->n_team; k++)
		if (r->team[k] == c)
			return true;
	return false;
}

static const struct rota_instance *sort_in;

static int by_start(const void *a, const void *b)
{
	const struct rota_visit *v = &sort_in->visits[*(const uint32_t *)a];
	const struct rota_visit *w = &sort_in->visits[*(const uint32_t *)b];

	if (v->start != w->start)
		return v->start < w->start ? -1 : 1;
	return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

/* True when one carer cannot take both v and w (v starts no later). */
static bool conflict(const struct rota_instance *in, const struct rota_visit *v,
		     const struct rota_visit *w)
{
	int32_t gap = w->start - (v->start + v->minutes);

	if (gap < 0)
		return true; /* rule 4: overlap */
	if (w->day == v->day)
		return gap < rota_travel_minutes(&in->rules, in->recipients[v->recipient].location,
						 in->recipients[w->recipient].location);
	if (w->day == v->day + 1)
		return gap < in->rules.min_rest_minutes; /* rule 6 */
	return false;
}

static int write_lp(const struct rota_instance *in, const char *path)
{
	size_t nv = in->n_visits, nc = in->n_carers, nr = in->n_recipients;
	bool *ok = calloc(nv * nc, sizeof *ok);     /* x_v_c exists */
	bool *seen = calloc(nr * nc, sizeof *seen); /* y_r_c exists */
	uint32_t *order = malloc((nv + 1) * sizeof *order);
	size_t n_x = 0, n_y = 0, n_conf = 0, n_rows = 0;
	struct row r;
	FILE *f;

	if (ok == NULL || seen == NULL || order == NULL) {
		fprintf(stderr, "rota_lp: out of memory\n");
		return 1;
	}
	for (uint32_t v = 0; v < nv; v++) {
		const struct rota_visit *vi = &in->visits[v];

		for (uint32_t c = 0; c < nc; c++)
			if (rota_carer_available(&in->carers[c], vi->start,
						 vi->start + vi->minutes) &&
			    rota_carer_qualified(in, c, v)) {
				ok[(size_t)v * nc + c] = true;
				seen[(size_t)vi->recipient * nc + c] = true;
				n_x++;
			}
	}
	for (size_t k = 0; k < nr * nc; k++)
		n_y += seen[k];
	for (uint32_t v = 0; v < nv; v++)
		order[v] = v;
	sort_in = in;
	qsort(order, nv, sizeof *order, by_start);

	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		return 1;
	}
	r.f = f;
	fprintf(f,
		"\\ carecoop rota MIP (tests/bench/rota_lp.c); travel is not in the objective\n");
	fprintf(f, "Minimize\n obj:");
	r.terms = 0;
	for (uint32_t v = 0; v < nv; v++) {
		const struct rota_recipient *rc = &in->recipients[in->visits[v].recipient];

		term(&r, in->weight[ROTA_TERM_UNCOVERED], "u_%u", v);
		if (rc->n_team == 0)
			continue;
		for (uint32_t c = 0; c < nc; c++)
			if (ok[(size_t)v * nc + c] && !in_team(rc, c))
				term(&r, in->weight[ROTA_TERM_OFF_TEAM], "x_%u_%u", v, c);
	}
	for (uint32_t q = 0; q < nr; q++)
		for (uint32_t c = 0; c < nc; c++)
			if (seen[(size_t)q * nc + c])
				term(&r, in->weight[ROTA_TERM_DISTINCT], "y_%u_%u", q, c);
	for (uint32_t c = 0; c < nc; c++) {
		term(&r, in->weight[ROTA_TERM_CONTRACT], "dp_%u", c);
		term(&r, in->weight[ROTA_TERM_CONTRACT], "dn_%u", c);
	}
	fprintf(f, "\nSubject To\n");
	for (uint32_t v = 0; v < nv; v++) { /* rule 3 */
		fprintf(f, " place_%u:", v);
		r.terms = 0;
		for (uint32_t c = 0; c < nc; c++)
			if (ok[(size_t)v * nc + c])
				term(&r, 1, "x_%u_%u", v, c);
		term(&r, 1, "u_%u", v);
		fprintf(f, " = %u\n", in->visits[v].carers);
		n_rows++;
	}
	for (uint32_t v = 0; v < nv; v++) /* distinct carers */
		for (uint32_t c = 0; c < nc; c++)
			if (ok[(size_t)v * nc + c]) {
				fprintf(f, " link_%u_%u: x_%u_%u - y_%u_%u <= 0\n", v, c, v, c,
					in->visits[v].recipient, c);
				n_rows++;
			}
	for (uint32_t c = 0; c < nc; c++) { /* rules 4 and 6 */
		for (size_t i = 0; i < nv; i++) {
			uint32_t a = order[i];
			const struct rota_visit *v = &in->visits[a];

			if (!ok[(size_t)a * nc + c])
				continue;
			for (size_t j = i + 1; j < nv; j++) {
				uint32_t b = order[j];
				const struct rota_visit *w = &in->visits[b];

				if (w->day > v->day + 1 && w->start >= v->start + v->minutes)
					break;
				if (!ok[(size_t)b * nc + c] || !conflict(in, v, w))
					continue;
				fprintf(f, " conf_%zu: x_%u_%u + x_%u_%u <= 1\n", n_conf, a, c, b,
					c);
				n_conf++;
			}
		}
	}
	n_rows += n_conf;
	for (uint32_t c = 0; c < nc; c++) { /* rule 5 and the contract */
		for (int pass = 0; pass < 2; pass++) {
			fprintf(f, pass == 0 ? " week_%u:" : " contract_%u:", c);
			r.terms = 0;
			for (uint32_t v = 0; v < nv; v++)
				if (ok[(size_t)v * nc + c])
					term(&r, in->visits[v].minutes, "x_%u_%u", v, c);
			if (pass == 0) {
				if (r.terms == 0)
					term(&r, 0, "dp_%u", c);
				fprintf(f, " <= %d\n", in->carers[c].max_week_minutes);
			} else {
				term(&r, -1, "dp_%u", c);
				term(&r, 1, "dn_%u", c);
				fprintf(f, " = %d\n", in->carers[c].contract_minutes);
			}
			n_rows++;
		}
	}
	fprintf(f, "Bounds\n");
	for (uint32_t v = 0; v < nv; v++)
		fprintf(f, " 0 <= u_%u <= %u\n", v, in->visits[v].carers);
	fprintf(f, "Binaries\n");
	for (uint32_t v = 0; v < nv; v++)
		for (uint32_t c = 0; c < nc; c++)
			if (ok[(size_t)v * nc + c])
				fprintf(f, " x_%u_%u\n", v, c);
	for (uint32_t q = 0; q < nr; q++)
		for (uint32_t c = 0; c < nc; c++)
			if (seen[(size_t)q * nc + c])
				fprintf(f, " y_%u_%u\n", q, c);
	fprintf(f, "Generals\n");
	for (uint32_t v = 0; v < nv; v++)
		fprintf(f, " u_%u\n", v);
	fprintf(f, "End\n");
	if (fclose(f) != 0) {
		perror(path);
		return 1;
	}
	printf("weights");
	for (int t = 0; t < ROTA_TERMS; t++)
		printf(" %s %lld", rota_term_name(t), (long long)in->weight[t]);
	printf("\nmodel: %zu x, %zu y, %zu u, %zu dp/dn; %zu rows (%zu pairwise conflicts)\n", n_x,
	       n_y, nv, 2 * nc, n_rows, n_conf);
	free(ok);
	free(seen);
	free(order);
	return 0;
}

/* Reads CBC's solution file: a status line, then "INDEX NAME VALUE REDUCED"
 * per nonzero variable (a leading "**" marks an infeasible value). */
static int read_cbc(const struct rota_instance *in, const char *cbc, const char *out)
{
	struct rota_solution *sol = rota_solution_new(in->n_visits);
	char line[512], name[256], err[512];
	unsigned v, c;
	double value;
	FILE *f = fopen(cbc, "r");
	int rc = 1;

	if (f == NULL || sol == NULL) {
		perror(cbc);
		goto out;
	}
	if (fgets(line, sizeof line, f) == NULL ||
	    (strncmp(line, "Optimal", 7) != 0 && strncmp(line, "Stopped", 7) != 0)) {
		fprintf(stderr, "rota_lp: %s: no solution (%s)\n", cbc, line);
		goto out;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		const char *p = line;

		while (*p == ' ' || *p == '*')
			p++;
		if (sscanf(p, "%*d %255s %lf", name, &value) != 2)
			continue;
		if (sscanf(name, "x_%u_%u", &v, &c) != 2 || value < 0.5)
			continue;
		if (v >= in->n_visits || c >= in->n_carers || sol->visit[v].n >= ROTA_LISTED_MAX) {
			fprintf(stderr, "rota_lp: %s: bad variable %s\n", cbc, name);
			goto out;
		}
		sol->visit[v].carer[sol->visit[v].n++] = c;
	}
	if (rota_json_write_solution(out, in, sol, err, sizeof err) != 0) {
		fprintf(stderr, "rota_lp: %s\n", err);
		goto out;
	}
	rc = 0;
out:
	if (f != NULL)
		fclose(f);
	rota_solution_free(sol);
	return rc;
}

int main(int argc, char **argv)
{
	struct rota_instance *in;
	char err[512];
	int rc;

	if (!((argc == 4 && strcmp(argv[1], "lp") == 0) ||
	      (argc == 5 && strcmp(argv[1], "solution") == 0))) {
		fprintf(stderr, "usage: rota_lp lp INSTANCE OUT.lp\n"
				"       rota_lp solution INSTANCE CBC_SOLUTION OUT.json\n");
		return 2;
	}
	in = rota_json_read_instance(argv[2], err, sizeof err);
	if (in == NULL) {
		fprintf(stderr, "rota_lp: %s: %s\n", argv[2], err);
		return 1;
	}
	rc = argc == 4 ? write_lp(in, argv[3]) : read_cbc(in, argv[3], argv[4]);
	rota_instance_free(in);
	return rc;
}
