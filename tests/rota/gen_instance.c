/*
 * gen_instance: writes a synthetic weekly rota instance (shared format
 * carecoop-rota/1) for tests and benchmarks, deterministic for a seed.
 *
 *   gen_instance --size small|medium|large [--seed N] [--week YYYY-MM-DD] [--out FILE]
 *
 * small ~10 carers / 8 people / 150-200 visits, medium ~45 / 60 / 1,000,
 * large ~160 / 250 / 4,000. The town is a few km across; each person has a
 * care pattern from once a week to four times a day at their own times,
 * some need two carers with a hoist, some need dementia or PEG skills; each
 * has a team of 2-4 carers who live nearby and have those skills. Carers
 * work 5-6 days of early, late, long or split shifts against contracts of
 * 15-37.5 hours. The default week (from 2026-03-23) holds the spring DST
 * change in Europe/London; --week 2026-10-19 holds the autumn one.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CARERS  400
#define MAX_PEOPLE  600
#define TOWN_LAT    50.4619
#define TOWN_LON    -3.5253
#define TOWN_RADIUS 3.5 /* km */

enum skill { S_MEDS = 1, S_HOIST = 2, S_DEMENTIA = 4, S_PEG = 8 };

struct carer {
	double lat, lon;
	unsigned skills;
	int contract;
	int days;     /* bit d: works on day d */
	int shift[7]; /* 0 early, 1 late, 2 long, 3 split */
};

struct person {
	double lat, lon;
	int pattern;
	int shift_min; /* personal offset of every visit time, minutes */
	bool hoist, dementia, peg;
	int team[4], n_team;
	int excluded;
};

/* One visit of a care pattern: time of day, minutes, skill needed. */
struct slot {
	int at, minutes;
	unsigned skills;
	bool hoist_slot; /* done by two carers when the person needs a hoist */
};

static const struct slot four_a_day[] = {{450, 45, S_MEDS, true},
					 {750, 30, S_MEDS, false},
					 {1020, 30, 0, true},
					 {1230, 30, S_MEDS, true}};
static const struct slot three_a_day[] = {
	{480, 45, S_MEDS, true}, {780, 30, 0, false}, {1140, 30, S_MEDS, true}};
static const struct slot two_a_day[] = {{510, 45, S_MEDS, true}, {1080, 30, 0, true}};
static const struct slot once_a_day[] = {{600, 60, 0, true}};
static const struct slot weekly[] = {{840, 90, 0, true}};

struct pattern {
	const struct slot *slots;
	int n;
	int days;      /* bit d: on day d */
	int weight[3]; /* per size: small, medium, large */
};

static const struct pattern patterns[] = {
	{four_a_day, 4, 0x7f, {40, 20, 20}}, {three_a_day, 3, 0x7f, {30, 25, 25}},
	{two_a_day, 2, 0x7f, {20, 22, 22}},  {once_a_day, 1, 0x7f, {10, 15, 15}},
	{once_a_day, 1, 0x15, {0, 9, 9}},    {weekly, 1, 0x02, {0, 9, 9}},
};

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static int below(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

static double unit(void)
{
	return (double)(rnd() >> 11) * 0x1.0p-53;
}

static void place(double *lat, double *lon)
{
	double r = TOWN_RADIUS * sqrt(unit()), a = 2 * M_PI * unit();

	*lat = TOWN_LAT + r * cos(a) / 111.0;
	*lon = TOWN_LON + r * sin(a) / (111.0 * cos(TOWN_LAT * M_PI / 180.0));
}

static double dist2(double lat1, double lon1, double lat2, double lon2)
{
	double dy = lat1 - lat2, dx = (lon1 - lon2) * cos(TOWN_LAT * M_PI / 180.0);

	return dx * dx + dy * dy;
}

/* Adds n days to a valid date "YYYY-MM-DD" into out[11]. */
static void date_add(const char *date, int n, char out[11])
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	unsigned y = (unsigned)strtoul(date, NULL, 10), m = (unsigned)strtoul(date + 5, NULL, 10);
	unsigned d = (unsigned)strtoul(date + 8, NULL, 10);

	while (n-- > 0) {
		unsigned len = (unsigned)dm[(m - 1) % 12] +
			       (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));

		if (++d > len) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	snprintf(out, 11, "%04u-%02u-%02u", y % 10000, m % 13, d % 32);
}

static void skills_json(FILE *f, unsigned s)
{
	static const char *const names[] = {"meds", "hoist", "dementia", "peg"};
	bool first = true;

	fputc('[', f);
	for (int i = 0; i < 4; i++)
		if (s & (1u << i)) {
			fprintf(f, "%s\"%s\"", first ? "" : ", ", names[i]);
			first = false;
		}
	fputc(']', f);
}

static int usage(void)
{
	fprintf(stderr, "usage: gen_instance --size small|medium|large [--seed N] "
			"[--week YYYY-MM-DD] [--out FILE]\n");
	return 2;
}

int main(int argc, char **argv)
{
	static struct carer carers[MAX_CARERS];
	static struct person people[MAX_PEOPLE];
	const char *size = NULL, *week = "2026-03-23", *outpath = NULL;
	unsigned long long seed = 1;
	int nc, np, sz, nv = 0;
	FILE *f = stdout;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--size") == 0)
			size = argv[i + 1];
		else if (strcmp(argv[i], "--seed") == 0)
			seed = strtoull(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--week") == 0)
			week = argv[i + 1];
		else if (strcmp(argv[i], "--out") == 0)
			outpath = argv[i + 1];
		else
			return usage();
	}
	if (argc % 2 == 0 || size == NULL || strlen(week) != 10 || week[4] != '-' || week[7] != '-')
		return usage();
	if (strcmp(size, "small") == 0) {
		sz = 0, nc = 10, np = 8;
	} else if (strcmp(size, "medium") == 0) {
		sz = 1, nc = 45, np = 60;
	} else if (strcmp(size, "large") == 0) {
		sz = 2, nc = 160, np = 250;
	} else {
		return usage();
	}
	rng_state = seed * 7919 + (unsigned long long)sz;

	for (int c = 0; c < nc; c++) {
		static const int contracts[] = {900, 1350, 1800, 2250};
		struct carer *k = &carers[c];
		int off = below(7), off2 = below(3) == 0 ? (off + 3) % 7 : -1;

		place(&k->lat, &k->lon);
		k->skills = (unit() < 0.85 ? S_MEDS : 0) | (unit() < 0.6 ? S_HOIST : 0) |
			    (unit() < 0.4 ? S_DEMENTIA : 0) | (unit() < 0.2 ? S_PEG : 0);
		if (c == 0) /* a senior carer has every skill, so that each one exists */
			k->skills = S_MEDS | S_HOIST | S_DEMENTIA | S_PEG;
		k->contract = contracts[below(4)];
		k->days = 0x7f & ~(1 << off) & ~(off2 >= 0 ? 1 << off2 : 0);
		for (int d = 0; d < 7; d++) {
			double u = unit();

			k->shift[d] = u < 0.45 ? 0 : u < 0.75 ? 1 : u < 0.9 ? 2 : 3;
		}
	}
	for (int p = 0; p < np; p++) {
		struct person *q = &people[p];
		int total = 0, x, order[MAX_CARERS], n = 0;

		place(&q->lat, &q->lon);
		for (size_t i = 0; i < sizeof patterns / sizeof *patterns; i++)
			total += patterns[i].weight[sz];
		x = below(total);
		for (q->pattern = 0; x >= patterns[q->pattern].weight[sz]; q->pattern++)
			x -= patterns[q->pattern].weight[sz];
		q->shift_min = 15 * (below(9) - 4); /* breakfast calls from 06:30 to 09:30 */
		q->hoist = unit() < 0.12;
		q->dementia = unit() < 0.2;
		q->peg = unit() < 0.05;
		/* team: 2-4 of the nearest carers with the skills needed */
		for (int c = 0; c < nc; c++) {
			unsigned need = (q->hoist ? S_HOIST : 0) | (q->dementia ? S_DEMENTIA : 0) |
					(q->peg ? S_PEG : 0) | S_MEDS;

			if ((carers[c].skills & need) == need)
				order[n++] = c;
		}
		for (int i = 1; i < n; i++) /* insertion sort by distance */
			for (int j = i;
			     j > 0 &&
			     dist2(q->lat, q->lon, carers[order[j]].lat, carers[order[j]].lon) <
				     dist2(q->lat, q->lon, carers[order[j - 1]].lat,
					   carers[order[j - 1]].lon);
			     j--) {
				int t = order[j];

				order[j] = order[j - 1];
				order[j - 1] = t;
			}
		q->n_team = 0;
		for (int want = 2 + below(3), tries = 0; q->n_team < want && tries < 50 && n > 0;
		     tries++) {
			int c = order[below(n < 8 ? n : 8)];
			bool dup = false;

			for (int t = 0; t < q->n_team; t++)
				dup = dup || q->team[t] == c;
			if (!dup)
				q->team[q->n_team++] = c;
		}
		q->excluded = -1;
		if (unit() < 0.05) {
			int c = below(nc);
			bool in = false;

			for (int t = 0; t < q->n_team; t++)
				in = in || q->team[t] == c;
			if (!in)
				q->excluded = c;
		}
	}

	if (outpath != NULL && (f = fopen(outpath, "w")) == NULL) {
		perror(outpath);
		return 1;
	}
	fprintf(f, "{\n \"format\": \"carecoop-rota/1\",\n \"timezone\": \"Europe/London\",\n");
	fprintf(f, " \"week_start\": \"%s\",\n", week);
	fprintf(f, " \"rules\": {\"max_week_minutes\": 2880, \"min_rest_minutes\": 660, "
		   "\"speed_kmh\": 25, \"road_factor\": 1.3},\n");
	fprintf(f, " \"weights\": {\"uncovered\": 10000, \"distinct\": 500, \"off_team\": 50, "
		   "\"travel_minute\": 2, \"contract_minute\": 1},\n");
	fprintf(f, " \"carers\": [\n");
	for (int c = 0; c < nc; c++) {
		static const int from[4][2] = {{390, 840}, {840, 1350}, {390, 1290}, {390, 660}};
		const struct carer *k = &carers[c];
		int max = k->contract + 600 > 2880 ? 2880 : k->contract + 600;
		bool first = true;

		fprintf(f, "  {\"id\": \"c%d\", \"skills\": ", c + 1);
		skills_json(f, k->skills);
		fprintf(f, ", \"contract_minutes\": %d, \"max_week_minutes\": %d,\n", k->contract,
			max);
		fprintf(f, "   \"home\": {\"lat\": %.5f, \"lon\": %.5f},\n   \"available\": [",
			k->lat, k->lon);
		for (int d = 0; d < 7; d++) {
			char date[11];
			int s = k->shift[d];

			if (!(k->days & (1 << d)))
				continue;
			date_add(week, d, date);
			fprintf(f,
				"%s\n    {\"start\": \"%sT%02d:%02d\", \"end\": \"%sT%02d:%02d\"}",
				first ? "" : ",", date, from[s][0] / 60, from[s][0] % 60, date,
				from[s][1] / 60, from[s][1] % 60);
			if (s == 3) /* split shift: evening half */
				fprintf(f,
					",\n    {\"start\": \"%sT16:00\", \"end\": \"%sT21:30\"}",
					date, date);
			first = false;
		}
		fprintf(f, "]}%s\n", c + 1 < nc ? "," : "");
	}
	fprintf(f, " ],\n \"recipients\": [\n");
	for (int p = 0; p < np; p++) {
		const struct person *q = &people[p];

		fprintf(f,
			"  {\"id\": \"r%d\", \"location\": {\"lat\": %.5f, \"lon\": %.5f}, "
			"\"team\": [",
			p + 1, q->lat, q->lon);
		for (int t = 0; t < q->n_team; t++)
			fprintf(f, "%s\"c%d\"", t > 0 ? ", " : "", q->team[t] + 1);
		fprintf(f, "], \"excluded\": [");
		if (q->excluded >= 0)
			fprintf(f, "\"c%d\"", q->excluded + 1);
		fprintf(f, "]}%s\n", p + 1 < np ? "," : "");
	}
	fprintf(f, " ],\n \"visits\": [\n");
	for (int d = 0; d < 7; d++) {
		char date[11];

		date_add(week, d, date);
		for (int p = 0; p < np; p++) {
			const struct person *q = &people[p];
			const struct pattern *pt = &patterns[q->pattern];

			if (!(pt->days & (1 << d)))
				continue;
			for (int i = 0; i < pt->n; i++) {
				const struct slot *sl = &pt->slots[i];
				int at = sl->at + q->shift_min;
				unsigned sk = sl->skills | (q->dementia ? S_DEMENTIA : 0) |
					      (q->peg && i == 0 ? S_PEG : 0);
				int two = q->hoist && sl->hoist_slot;

				if (two)
					sk |= S_HOIST;
				fprintf(f,
					"%s  {\"id\": \"v%d\", \"recipient\": \"r%d\", \"start\": "
					"\"%sT%02d:%02d\", \"minutes\": %d, \"carers\": %d, "
					"\"skills\": ",
					nv > 0 ? ",\n" : "", nv + 1, p + 1, date, at / 60, at % 60,
					sl->minutes, two ? 2 : 1);
				skills_json(f, sk);
				fputc('}', f);
				nv++;
			}
		}
	}
	fprintf(f, "\n ]\n}\n");
	if (f != stdout && fclose(f) != 0) {
		perror(outpath);
		return 1;
	}
	fprintf(stderr, "gen_instance: %s seed %llu: %d carers, %d people, %d visits\n", size, seed,
		nc, np, nv);
	return 0;
}
