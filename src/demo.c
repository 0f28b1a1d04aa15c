/*
 * demo: the demo co-op, "Dart Valley Care Co-operative", a fictional
 * multi-stakeholder co-op in and around Totnes, Devon (all people invented):
 * 12 carers with skills, contracts and weekly availability; 15 people
 * receiving care with care teams, excluded carers, sensitive notes and care
 * plans from one visit a week to four a day (some with two carers); a
 * family member who may see one person's schedule; member classes; staff
 * accounts; a leave request; an open proposal.
 *
 * Passwords are hashed before the one write transaction so that the
 * database is locked only briefly.
 */
#include "demo.h"
#include "demo_gov.h"
#include "demo_surplus.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/password.h"
#include "auth/token.h"
#include "cmd_feeds.h"
#include "core/care.h"
#include "core/roles.h"
#include "core/text.h"
#include "db/db_care.h"
#include "db/db_coop.h"
#include "db/db_people.h"
#include "db/db_user.h"
#include "core/week.h"
#include "rota_io/rota_plan.h"

#define DEMO_DOMAIN "carecoop.example"
#define PW_LEN      16

struct demo_account {
	const char *print_role; /* the role printed in the login list */
	unsigned roles;
	const char *full_name, *known_as, *local; /* local part of the email */
	const char *class_code;                   /* membership class, NULL for none */
};

struct demo_carer {
	const char *full_name, *known_as, *area;
	double lat, lon;
	int contract_minutes;
	const char *skills; /* comma-separated codes */
	int pattern;        /* index into patterns[] */
};

struct demo_visit {
	const char *days;  /* "12345" = Monday to Friday; NULL ends the plan */
	const char *start; /* "HH:MM" */
	int minutes, carers;
	const char *skills; /* comma-separated codes, "" for none */
	const char *tasks;
};

struct demo_recipient {
	const char *full_name, *known_as, *area, *street;
	double lat, lon;
	int team[4];   /* indexes into carers[], -1 ends */
	int excluded;  /* index into carers[], -1 for none */
	int has_login; /* the person votes online */
	const char *notes, *key_safe;
	struct demo_visit plan[4];
};

static const struct demo_account staff[] = {
	{"admin", ROLE_ADMIN | ROLE_MEMBER, "Priya Shah", "Priya", "admin", "worker"},
	{"coordinator", ROLE_COORDINATOR | ROLE_MEMBER, "Helen Ward", "Helen", "coordinator",
	 "worker"},
	{"treasurer", ROLE_TREASURER | ROLE_MEMBER, "Tom Okafor", "Tom", "treasurer", "investor"},
	{"member", ROLE_MEMBER, "Grace Pennington", "Grace", "grace", "supporter"},
	{"member", ROLE_MEMBER, "Susan Ellis", "Susan", "susan", "recipient"},
};
#define NSTAFF     (sizeof staff / sizeof staff[0])
#define FAMILY_IDX 4 /* Susan, Margaret's daughter */

static const struct {
	const char *code, *name;
} skills[] = {
	{"meds", "Medication support"}, {"hoist", "Hoist and moving"},
	{"dementia", "Dementia care"},  {"driving", "Driving"},
	{"catheter", "Catheter care"},
};
#define NSKILLS (sizeof skills / sizeof skills[0])

/* Weekly availability patterns: up to 7 spans "D HH:MM-HH:MM" (D 1..7 or
 * a range "1-5"). */
static const char *const patterns[][4] = {
	{"1-5 07:00-14:00", "1-5 16:30-22:00", NULL},
	{"1-6 07:30-16:00", "2-4 17:00-21:30", NULL},
	{"4-7 07:00-22:30", NULL},
	{"1-5 07:00-13:00", "6-7 07:00-10:30", NULL},
	{"1-7 07:00-11:30", "1-7 16:30-22:30", NULL},
};

static const struct demo_carer carers[] = {
	{"Amira Khalil", "Amira", "Bridgetown", 50.4312, -3.6781, 2250, "meds,hoist,dementia", 0},
	{"Ben Carter", "Ben", "Totnes town", 50.4319, -3.6856, 1800, "meds,hoist,driving", 1},
	{"Chloe Evans", "Chloe", "Follaton", 50.4287, -3.6985, 2250, "meds,hoist,catheter", 4},
	{"Dawit Bekele", "Dawit", "Dartington", 50.4471, -3.7109, 1500, "hoist,dementia", 4},
	{"Ella Morgan", "Ella", "Staverton", 50.4598, -3.7357, 2250, "meds,catheter,driving", 2},
	{"Femi Adeyemi", "Femi", "Berry Pomeroy", 50.4440, -3.6431, 1200, "hoist", 2},
	{"Gwen Lloyd", "Gwen", "Harbertonford", 50.3970, -3.7198, 2250, "meds,hoist,dementia", 1},
	{"Hassan Ali", "Hassan", "Ashprington", 50.4066, -3.6603, 1800,
	 "meds,hoist,catheter,driving", 4},
	{"Isla Murray", "Isla", "Littlehempston", 50.4562, -3.6878, 900, "dementia", 3},
	{"Jack Reynolds", "Jack", "Totnes town", 50.4338, -3.6899, 2250, "meds,hoist,catheter", 0},
	{"Kasia Nowak", "Kasia", "Bridgetown", 50.4301, -3.6760, 1800, "meds,hoist,dementia", 2},
	{"Liam O'Brien", "Liam", "Dartington", 50.4502, -3.7053, 1500, "hoist,driving", 4},
};
#define NCARERS (sizeof carers / sizeof carers[0])

#define DAILY   "1234567"
#define WEEKDAY "12345"

static const struct demo_recipient recipients[] = {
	{"Margaret Ellis",
	 "Margaret",
	 "Totnes town",
	 "14 Fore Street",
	 50.4325,
	 -3.6871,
	 {0, 1, 9, -1},
	 -1,
	 1,
	 "Type 2 diabetes; insulin at breakfast and tea.",
	 "Key safe 4821",
	 {{DAILY, "08:00", 45, 1, "meds", "Insulin, breakfast, wash"},
	  {DAILY, "12:30", 30, 1, "", "Lunch"},
	  {DAILY, "17:00", 30, 1, "meds", "Insulin, tea"},
	  {DAILY, "21:00", 30, 1, "", "Help to bed"}}},
	{"Arthur Penrose",
	 "Arthur",
	 "Bridgetown",
	 "3 Bridgetown Hill",
	 50.4306,
	 -3.6772,
	 {10, 0, -1, -1},
	 -1,
	 1,
	 "Parkinson's; medication times matter.",
	 "",
	 {{DAILY, "07:30", 45, 1, "meds", "Medication, shower, breakfast"},
	  {DAILY, "18:00", 30, 1, "meds", "Medication, tea"}}},
	{"Dorothy Hughes",
	 "Dorothy",
	 "Follaton",
	 "22 Plymouth Road",
	 50.4279,
	 -3.6961,
	 {2, 9, 1, -1},
	 5,
	 0,
	 "Uses a hoist for all transfers.",
	 "Key safe 1190",
	 {{DAILY, "08:00", 60, 2, "hoist", "Hoist out of bed, wash, dress, breakfast"},
	  {DAILY, "13:00", 30, 1, "", "Lunch, drinks"},
	  {DAILY, "20:00", 45, 2, "hoist", "Hoist to bed"}}},
	{"Stanley Moore",
	 "Stanley",
	 "Dartington",
	 "7 Cott Lane",
	 50.4488,
	 -3.7080,
	 {3, 11, -1, -1},
	 -1,
	 0,
	 "Dementia; likes to talk about the railway.",
	 "",
	 {{WEEKDAY, "09:00", 60, 1, "dementia", "Breakfast, company, walk"},
	  {"6", "10:00", 120, 1, "dementia", "Sitting service"}}},
	{"Joan Whitfield",
	 "Joan",
	 "Staverton",
	 "Riverside Cottage",
	 50.4611,
	 -3.7322,
	 {4, 3, -1, -1},
	 -1,
	 0,
	 "Catheter care twice a day.",
	 "Back door, code 2207",
	 {{DAILY, "08:30", 45, 1, "catheter", "Catheter care, breakfast"},
	  {DAILY, "19:00", 45, 1, "catheter", "Catheter care, supper"}}},
	{"Ravi Patel",
	 "Ravi",
	 "Berry Pomeroy",
	 "2 Castle Cottages",
	 50.4452,
	 -3.6450,
	 {5, 7, 10, -1},
	 -1,
	 0,
	 "Recovering from a hip operation.",
	 "",
	 {{"135", "10:00", 45, 1, "", "Shopping, housework"}}},
	{"Edith Crocker",
	 "Edith",
	 "Harbertonford",
	 "5 Old Mill Close",
	 50.3962,
	 -3.7221,
	 {6, 7, -1, -1},
	 -1,
	 0,
	 "Lives alone; check the heating in winter.",
	 "Key safe 0062",
	 {{DAILY, "09:00", 30, 1, "meds", "Medication, breakfast"},
	  {DAILY, "18:30", 30, 1, "", "Tea"}}},
	{"Walter Brooks",
	 "Walter",
	 "Ashprington",
	 "The Old Forge",
	 50.4079,
	 -3.6588,
	 {7, 6, 5, -1},
	 -1,
	 0,
	 "Heart failure; weigh daily.",
	 "",
	 {{DAILY, "08:00", 45, 1, "meds", "Weigh, medication, breakfast"},
	  {WEEKDAY, "14:00", 60, 1, "driving", "Drive to day centre or appointments"}}},
	{"Irene Lambert",
	 "Irene",
	 "Littlehempston",
	 "1 Church Row",
	 50.4549,
	 -3.6861,
	 {8, 11, 3, -1},
	 -1,
	 0,
	 "Early dementia; daughter visits at weekends.",
	 "",
	 {{"1234", "10:00", 45, 1, "dementia", "Company, lunch preparation"}}},
	{"Frank Dunn",
	 "Frank",
	 "Totnes town",
	 "31 High Street",
	 50.4342,
	 -3.6912,
	 {9, 1, 2, -1},
	 -1,
	 0,
	 "Stroke in 2024; left side weak.",
	 "Key safe 7734",
	 {{DAILY, "07:30", 60, 2, "hoist", "Hoist, wash, dress"},
	  {DAILY, "12:00", 30, 1, "", "Lunch"},
	  {DAILY, "17:30", 30, 1, "", "Tea"},
	  {DAILY, "21:00", 45, 2, "hoist", "Hoist to bed"}}},
	{"Nora Quinn",
	 "Nora",
	 "Bridgetown",
	 "9 Weston Lane",
	 50.4295,
	 -3.6749,
	 {10, 0, 5, -1},
	 -1,
	 0,
	 "Needs prompting with tablets.",
	 "",
	 {{DAILY, "09:30", 30, 1, "meds", "Medication, breakfast"}}},
	{"Harold Bishop",
	 "Harold",
	 "Dartington",
	 "4 Shinners Bridge",
	 50.4463,
	 -3.7121,
	 {11, 3, 4, -1},
	 -1,
	 0,
	 "Registered blind.",
	 "",
	 {{"2", "11:00", 90, 1, "driving", "Weekly shop"}}},
	{"Olive Grant",
	 "Olive",
	 "Totnes town",
	 "18 Victoria Street",
	 50.4331,
	 -3.6838,
	 {1, 9, 0, 10},
	 -1,
	 0,
	 "Diabetic diet.",
	 "Key safe 5150",
	 {{WEEKDAY, "12:00", 45, 1, "", "Lunch, housework"}, {"67", "12:00", 30, 1, "", "Lunch"}}},
	{"Sunita Rao",
	 "Sunita",
	 "Follaton",
	 "11 Barracks Road",
	 50.4292,
	 -3.7002,
	 {2, 11, -1, -1},
	 -1,
	 0,
	 "Multiple sclerosis; uses a wheelchair.",
	 "",
	 {{DAILY, "09:15", 60, 2, "hoist", "Morning routine"},
	  {DAILY, "20:30", 45, 1, "", "Evening routine"}}},
	{"Percy Vaughan",
	 "Percy",
	 "Staverton",
	 "Kingston Farm",
	 50.4587,
	 -3.7370,
	 {4, 8, -1, -1},
	 -1,
	 0,
	 "Farmer, retired; does not like early visits.",
	 "",
	 {{"5", "14:00", 60, 1, "", "Cleaning, laundry"}}},
};
#define NRECIPIENTS (sizeof recipients / sizeof recipients[0])

static const struct {
	const char *code;
} classes[] = {{"worker"}, {"recipient"}, {"supporter"}, {"investor"}};
#define NCLASSES (sizeof classes / sizeof classes[0])

#define NACCOUNTS (NSTAFF + NCARERS + NRECIPIENTS)

struct demo_state {
	char email[NACCOUNTS][TEXT_EMAIL_MAX + 1];
	char password[NACCOUNTS][PW_LEN + 1];
	char hash[NACCOUNTS][PASSWORD_ENCODED_MAX];
	const char *print_role[NACCOUNTS];
	int64_t user_id[NACCOUNTS];
	unsigned n;
	int64_t class_id[NCLASSES];
	int64_t skill_id[NSKILLS];
	int64_t now;
	char today[11];
};

static int random_password(char out[PW_LEN + 1])
{
	/* No look-alike characters: a person may have to type it from paper. */
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679";
	unsigned char raw[PW_LEN];

	if (token_random_bytes(raw, sizeof raw) != 0)
		return -1;
	for (size_t i = 0; i < PW_LEN; i++)
		out[i] = alphabet[raw[i] % (sizeof alphabet - 1)];
	out[PW_LEN] = '\0';
	token_wipe(raw, sizeof raw);
	return 0;
}

static void lower_local(const char *known_as, char *out, size_t n)
{
	size_t o = 0;

	for (const char *p = known_as; *p != '\0' && o + 1 < n; p++)
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
			out[o++] = (char)(*p | 0x20);
	out[o] = '\0';
}

static int64_t class_of(const struct demo_state *s, const char *code)
{
	for (size_t i = 0; i < NCLASSES; i++)
		if (strcmp(classes[i].code, code) == 0)
			return s->class_id[i];
	return 0;
}

/* Resolves "meds,hoist" into skill ids; returns how many. */
static size_t skill_ids(const struct demo_state *s, const char *list, int64_t *ids)
{
	size_t n = 0;

	for (size_t i = 0; i < NSKILLS; i++) {
		const char *hit = strstr(list, skills[i].code);
		size_t len = strlen(skills[i].code);
		if (hit != NULL && (hit == list || hit[-1] == ',') &&
		    (hit[len] == '\0' || hit[len] == ','))
			ids[n++] = s->skill_id[i];
	}
	return n;
}

static void person_init(struct db_person *p, const char *full_name, const char *known_as,
			const char *area, const char *address, double lat, double lon)
{
	memset(p, 0, sizeof *p);
	text_copy(p->full_name, sizeof p->full_name, full_name);
	text_copy(p->known_as, sizeof p->known_as, known_as);
	text_copy(p->area, sizeof p->area, area);
	snprintf(p->address, sizeof p->address, "%s, %s, Totnes, Devon", address, area);
	p->has_location = true;
	p->lat = lat;
	p->lon = lon;
}

/* Adds a person, their login (account < s->n) and membership. */
static int add_person(struct db *db, struct demo_state *s, unsigned account, unsigned roles,
		      struct db_person *p, const char *class_code, int64_t *person_id)
{
	if (account < s->n) {
		if (db_user_insert(db, s->email[account], p->full_name, s->hash[account], roles,
				   s->now, &s->user_id[account]) <= 0)
			return -1;
		text_copy(p->email, sizeof p->email, s->email[account]);
		p->user_id = s->user_id[account];
	}
	if (db_person_insert(db, p, person_id) <= 0)
		return -1;
	if (class_code != NULL &&
	    db_member_insert(db, *person_id, class_of(s, class_code), "2024-04-01",
			     strcmp(class_code, "investor") == 0 ? 50000 : 100, true, NULL) <= 0)
		return -1;
	return 1;
}

static int add_availability(struct db *db, int64_t carer_id, int pattern)
{
	struct care_span spans[16];
	size_t n = 0;

	for (size_t k = 0; k < 4 && patterns[pattern][k] != NULL; k++) {
		const char *p = patterns[pattern][k];
		int from = p[0] - '0', to = p[1] == '-' ? p[2] - '0' : from;
		const char *times = strchr(p, ' ') + 1;
		char a[6], b[6];
		int start, end;

		snprintf(a, sizeof a, "%.5s", times);
		snprintf(b, sizeof b, "%.5s", times + 6);
		if (care_parse_hhmm(a, false, &start) != 0 || care_parse_hhmm(b, true, &end) != 0)
			return -1;
		for (int d = from; d <= to && n < 16; d++)
			spans[n++] = (struct care_span){d, start, end};
	}
	return db_availability_set(db, carer_id, spans, n);
}

static int add_plan(struct db *db, struct demo_state *s, int64_t recipient_id,
		    const struct demo_visit *v)
{
	struct db_plan_line l;
	int64_t ids[NSKILLS], id;
	size_t n;

	memset(&l, 0, sizeof l);
	l.recipient_id = recipient_id;
	for (const char *d = v->days; *d != '\0'; d++)
		l.days |= 1u << (*d - '1');
	if (care_parse_hhmm(v->start, false, &l.start_min) != 0)
		return -1;
	l.minutes = v->minutes;
	l.carers = v->carers;
	text_copy(l.tasks, sizeof l.tasks, v->tasks);
	text_copy(l.valid_from, sizeof l.valid_from, "2025-01-06");
	n = skill_ids(s, v->skills, ids);
	return db_plan_insert(db, &l, ids, n, &id);
}

static int add_carers(struct db *db, struct demo_state *s, unsigned *a, int64_t *carer_person)
{
	for (size_t i = 0; i < NCARERS; i++, (*a)++) {
		const struct demo_carer *c = &carers[i];
		struct db_person p;
		int64_t ids[NSKILLS];
		size_t n;

		person_init(&p, c->full_name, c->known_as, c->area, "Flat 2, 10 Station Road",
			    c->lat, c->lon);
		if (add_person(db, s, *a, ROLE_CARER | ROLE_MEMBER, &p, "worker",
			       &carer_person[i]) < 0 ||
		    db_carer_create(db, carer_person[i], c->contract_minutes,
				    CARE_WTR_MAX_WEEK_MINUTES) <= 0)
			return -1;
		n = skill_ids(s, c->skills, ids);
		if (db_carer_set_skills(db, carer_person[i], ids, n) < 0 ||
		    add_availability(db, carer_person[i], c->pattern) < 0)
			return -1;
	}
	return 1;
}

static int add_recipients(struct db *db, struct demo_state *s, unsigned *a,
			  const int64_t *carer_person, int64_t *margaret)
{
	for (size_t i = 0; i < NRECIPIENTS; i++) {
		const struct demo_recipient *r = &recipients[i];
		struct db_person p;
		int64_t team[4], excluded[1], id;
		size_t nteam = 0, nexcl = 0;
		unsigned acct = r->has_login ? (*a)++ : s->n;

		person_init(&p, r->full_name, r->known_as, r->area, r->street, r->lat, r->lon);
		if (add_person(db, s, acct, ROLE_MEMBER, &p, "recipient", &id) < 0 ||
		    db_recipient_create(db, id, r->notes, r->key_safe) <= 0)
			return -1;
		for (int k = 0; k < 4 && r->team[k] >= 0; k++)
			team[nteam++] = carer_person[r->team[k]];
		if (r->excluded >= 0)
			excluded[nexcl++] = carer_person[r->excluded];
		if (db_team_set(db, id, team, nteam, excluded, nexcl) < 0)
			return -1;
		for (int k = 0; k < 4 && r->plan[k].days != NULL; k++)
			if (add_plan(db, s, id, &r->plan[k]) < 0)
				return -1;
		if (r->has_login) {
			struct db_viewer self = {.user_id = s->user_id[acct]};
			text_copy(self.relationship, sizeof self.relationship, "self");
			if (db_viewers_set(db, id, &self, 1) < 0)
				return -1;
		}
		if (i == 0)
			*margaret = id;
	}
	return 1;
}

static int fill(struct db *db, void *arg)
{
	struct demo_state *s = arg;
	int64_t carer_person[NCARERS], author = 0, margaret = 0, id;
	unsigned a = 0;

	if (db_coop_create(db, "Dart Valley Care Co-operative", "Europe/London", s->now) <= 0)
		return -1;
	/* Classes and common skills come with the schema (005_defaults.sql). */
	for (size_t i = 0; i < NCLASSES; i++) {
		struct db_class c;
		if (db_class_by_code(db, classes[i].code, &c) <= 0)
			return -1;
		s->class_id[i] = c.id;
	}
	for (size_t i = 0; i < NSKILLS; i++) {
		s->skill_id[i] = db_skill_id(db, skills[i].code);
		if (s->skill_id[i] == 0 &&
		    db_skill_insert(db, skills[i].code, skills[i].name, &s->skill_id[i]) <= 0)
			return -1;
		if (s->skill_id[i] < 0)
			return -1;
	}
	for (size_t i = 0; i < NSTAFF; i++, a++) {
		struct db_person p;
		person_init(&p, staff[i].full_name, staff[i].known_as, "Totnes town",
			    "The Mansion, Fore Street", 50.4320, -3.6840);
		if (add_person(db, s, a, staff[i].roles, &p, staff[i].class_code, &id) < 0)
			return -1;
		if (staff[i].roles & ROLE_COORDINATOR)
			author = id;
	}
	if (add_carers(db, s, &a, carer_person) < 0 ||
	    add_recipients(db, s, &a, carer_person, &margaret) < 0)
		return -1;

	/* Susan may see her mother's schedule. */
	struct db_viewer viewers[2] = {{.user_id = s->user_id[FAMILY_IDX]}, {0}};
	text_copy(viewers[0].relationship, sizeof viewers[0].relationship, "daughter");
	viewers[1].user_id = s->user_id[NSTAFF + NCARERS]; /* Margaret herself */
	text_copy(viewers[1].relationship, sizeof viewers[1].relationship, "self");
	if (db_viewers_set(db, margaret, viewers, 2) < 0)
		return -1;

	/* Ben has asked for a week's leave in a month's time. */
	struct db_exception leave = {.carer_id = carer_person[1],
				     .created_by = s->user_id[NSTAFF + 1]};
	time_t later = (time_t)(s->now + 30 * 86400);
	struct tm tm;
	gmtime_r(&later, &tm);
	strftime(leave.start, sizeof leave.start, "%Y-%m-%dT00:00", &tm);
	later += 7 * 86400;
	gmtime_r(&later, &tm);
	strftime(leave.end, sizeof leave.end, "%Y-%m-%dT00:00", &tm);
	text_copy(leave.kind, sizeof leave.kind, "leave");
	text_copy(leave.status, sizeof leave.status, "requested");
	text_copy(leave.note, sizeof leave.note, "Family wedding in Cork");
	if (db_exception_insert(db, &leave, s->now, &id) <= 0)
		return -1;

	if (demo_governance(db, s->now, author) < 0)
		return -1;
	return 1;
}

static void name_account(struct demo_state *s, const char *known_as, const char *role)
{
	char local[32];

	lower_local(known_as, local, sizeof local);
	snprintf(s->email[s->n], sizeof s->email[s->n], "%s@%s", local, DEMO_DOMAIN);
	s->print_role[s->n++] = role;
}

/* A published, solved rota for this week and next, as a co-op would have. */
static int demo_rotas(struct db *db, int64_t now, int64_t user_id, char *err, size_t errlen)
{
	int64_t days = now / 86400;
	int y, m, d;

	week_civil_from_days(days, &y, &m, &d);
	for (int k = 0; k < 2; k++) {
		struct rota_generate g = {.user_id = user_id};
		struct rota_solve_params params = {.seed = 2026, .max_iterations = 3000};
		struct db_week w;
		char today[11];

		snprintf(today, sizeof today, "%04d-%02d-%02d", y, m, d);
		week_civil_from_days(days - (week_weekday(today) - 1) + 7 * k, &y, &m, &d);
		snprintf(g.week_start, sizeof g.week_start, "%04d-%02d-%02d", y, m, d);
		week_civil_from_days(days, &y, &m, &d);
		if (db_tx(db, rota_generate_week, &g) < 0 || db_week_get(db, g.week_id, &w) <= 0) {
			snprintf(err, errlen, "could not make the demo rota: %s", g.err);
			return -1;
		}
		if (rota_solve_week(db, &w, &params, user_id, err, errlen) < 0 ||
		    db_week_publish(db, w.id, user_id, now) <= 0)
			return -1;
	}
	return 0;
}

int demo_create(struct db *db, const char *password, FILE *out, char *err, size_t errlen)
{
	static struct demo_state s; /* large; one demo per process */
	char name[128];
	int rc = -1;

	memset(&s, 0, sizeof s);
	s.now = db_now();
	if (db_coop_name(db, name, sizeof name) != 0) {
		snprintf(err, errlen, "the database already holds a co-op; use a new file");
		return -1;
	}
	for (size_t i = 0; i < NSTAFF; i++) {
		snprintf(s.email[s.n], sizeof s.email[s.n], "%s@%s", staff[i].local, DEMO_DOMAIN);
		s.print_role[s.n++] = staff[i].print_role;
	}
	for (size_t i = 0; i < NCARERS; i++)
		name_account(&s, carers[i].known_as, "carer");
	for (size_t i = 0; i < NRECIPIENTS; i++)
		if (recipients[i].has_login)
			name_account(&s, recipients[i].known_as, "member");
	for (unsigned i = 0; i < s.n; i++) {
		if (password == NULL && random_password(s.password[i]) != 0)
			goto out;
		if (password_hash(password != NULL ? password : s.password[i], s.hash[i],
				  sizeof s.hash[i]) != PASSWORD_OK) {
			snprintf(err, errlen, "could not hash a password");
			goto out;
		}
	}
	if (db_tx(db, fill, &s) < 0) {
		snprintf(err, errlen, "could not write the demo co-op: %s", db_errmsg(db));
		goto out;
	}
	if (demo_rotas(db, s.now, s.user_id[1], err, errlen) < 0 ||
	    demo_surplus(db, s.now, s.user_id[2], err, errlen) < 0) /* [2]: the treasurer */
		goto out;
	/* Everyone gets their calendar feed link (`carecoop feeds` prints them). */
	if (feeds_issue_missing(db) < 0) {
		snprintf(err, errlen, "could not make the demo feeds: %s", db_errmsg(db));
		goto out;
	}
	for (unsigned i = 0; i < s.n; i++)
		fprintf(out, "%s %s %s\n", s.print_role[i], s.email[i],
			password != NULL ? password : s.password[i]);
	rc = 0;
out:
	token_wipe(&s, sizeof s);
	return rc;
}
