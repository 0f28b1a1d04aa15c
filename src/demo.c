/*
 * demo: the demo co-op, "Dart Valley Care Co-operative", a fictional
 * multi-stakeholder co-op in and around Totnes, Devon. All people are
 * invented. Passwords are hashed before the one write transaction so that
 * the database is locked only briefly.
 */
#include "demo.h"

#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "auth/token.h"
#include "core/roles.h"
#include "core/text.h"
#include "db/db_coop.h"
#include "db/db_user.h"

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
};

struct demo_recipient {
	const char *full_name, *known_as, *area;
	double lat, lon;
	int team[4];   /* indexes into carers[], -1 ends */
	int has_login; /* the person (or family) votes online */
};

static const struct demo_account staff[] = {
	{"admin", ROLE_ADMIN | ROLE_MEMBER, "Priya Shah", "Priya", "admin", "worker"},
	{"coordinator", ROLE_COORDINATOR | ROLE_MEMBER, "Helen Ward", "Helen", "coordinator",
	 "worker"},
	{"treasurer", ROLE_TREASURER | ROLE_MEMBER, "Tom Okafor", "Tom", "treasurer", "investor"},
	{"member", ROLE_MEMBER, "Grace Pennington", "Grace", "grace", "supporter"},
};

static const struct demo_carer carers[] = {
	{"Amira Khalil", "Amira", "Bridgetown", 50.4312, -3.6781, 2250},
	{"Ben Carter", "Ben", "Totnes town", 50.4319, -3.6856, 1800},
	{"Chloe Evans", "Chloe", "Follaton", 50.4287, -3.6985, 2250},
	{"Dawit Bekele", "Dawit", "Dartington", 50.4471, -3.7109, 1500},
	{"Ella Morgan", "Ella", "Staverton", 50.4598, -3.7357, 2250},
	{"Femi Adeyemi", "Femi", "Berry Pomeroy", 50.4440, -3.6431, 1200},
	{"Gwen Lloyd", "Gwen", "Harbertonford", 50.3970, -3.7198, 2250},
	{"Hassan Ali", "Hassan", "Ashprington", 50.4066, -3.6603, 1800},
	{"Isla Murray", "Isla", "Littlehempston", 50.4562, -3.6878, 900},
	{"Jack Reynolds", "Jack", "Totnes town", 50.4338, -3.6899, 2250},
	{"Kasia Nowak", "Kasia", "Bridgetown", 50.4301, -3.6760, 1800},
	{"Liam O'Brien", "Liam", "Dartington", 50.4502, -3.7053, 1500},
};
#define NCARERS (sizeof carers / sizeof carers[0])

static const struct demo_recipient recipients[] = {
	{"Margaret Ellis", "Margaret", "Totnes town", 50.4325, -3.6871, {0, 1, 9, -1}, 1},
	{"Arthur Penrose", "Arthur", "Bridgetown", 50.4306, -3.6772, {10, 0, -1, -1}, 1},
	{"Dorothy Hughes", "Dorothy", "Follaton", 50.4279, -3.6961, {2, 9, 1, -1}, 0},
	{"Stanley Moore", "Stanley", "Dartington", 50.4488, -3.7080, {3, 11, -1, -1}, 0},
	{"Joan Whitfield", "Joan", "Staverton", 50.4611, -3.7322, {4, 3, -1, -1}, 0},
	{"Ravi Patel", "Ravi", "Berry Pomeroy", 50.4452, -3.6450, {5, 7, 10, -1}, 0},
	{"Edith Crocker", "Edith", "Harbertonford", 50.3962, -3.7221, {6, 7, -1, -1}, 0},
	{"Walter Brooks", "Walter", "Ashprington", 50.4079, -3.6588, {7, 6, 5, -1}, 0},
	{"Irene Lambert", "Irene", "Littlehempston", 50.4549, -3.6861, {8, 11, 3, -1}, 0},
	{"Frank Dunn", "Frank", "Totnes town", 50.4342, -3.6912, {9, 1, 2, -1}, 0},
	{"Nora Quinn", "Nora", "Bridgetown", 50.4295, -3.6749, {10, 0, 5, -1}, 0},
	{"Harold Bishop", "Harold", "Dartington", 50.4463, -3.7121, {11, 3, 4, -1}, 0},
	{"Olive Grant", "Olive", "Totnes town", 50.4331, -3.6838, {1, 9, 0, 10}, 0},
	{"Sunita Rao", "Sunita", "Follaton", 50.4292, -3.7002, {2, 11, -1, -1}, 0},
	{"Percy Vaughan", "Percy", "Staverton", 50.4587, -3.7370, {4, 8, -1, -1}, 0},
};
#define NRECIPIENTS (sizeof recipients / sizeof recipients[0])

static const struct {
	const char *code, *name;
} classes[] = {
	{"worker", "Carer-worker members"},
	{"recipient", "People receiving care and their representatives"},
	{"supporter", "Supporter members"},
	{"investor", "Community investors"},
};
#define NCLASSES (sizeof classes / sizeof classes[0])

#define NACCOUNTS (sizeof staff / sizeof staff[0] + NCARERS + NRECIPIENTS)

struct demo_state {
	char email[NACCOUNTS][TEXT_EMAIL_MAX + 1];
	char password[NACCOUNTS][PW_LEN + 1];
	char hash[NACCOUNTS][PASSWORD_ENCODED_MAX];
	const char *print_role[NACCOUNTS];
	unsigned n;
	int64_t class_id[NCLASSES];
	int64_t now;
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

static int add_person(struct db *db, struct demo_state *s, unsigned account, unsigned roles,
		      const char *full_name, const struct db_person *tmpl, const char *class_code,
		      int64_t *person_id)
{
	struct db_person p = *tmpl;
	int64_t user_id = 0;

	if (account < s->n) {
		if (db_user_insert(db, s->email[account], full_name, s->hash[account], roles,
				   s->now, &user_id) <= 0)
			return -1;
		p.email = s->email[account];
	}
	p.user_id = user_id;
	if (db_person_insert(db, &p, person_id) <= 0)
		return -1;
	if (class_code != NULL &&
	    db_membership_insert(db, *person_id, class_of(s, class_code), "2024-04-01",
				 strcmp(class_code, "investor") == 0 ? 50000 : 100) <= 0)
		return -1;
	return 1;
}

static int fill(struct db *db, void *arg)
{
	struct demo_state *s = arg;
	int64_t carer_person[NCARERS], author = 0, id;
	unsigned a = 0;

	if (db_coop_create(db, "Dart Valley Care Co-operative", "Europe/London", s->now) <= 0)
		return -1;
	for (size_t i = 0; i < NCLASSES; i++)
		if (db_class_insert(db, classes[i].code, classes[i].name, (int)i,
				    &s->class_id[i]) <= 0)
			return -1;
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++, a++) {
		struct db_person p = {.full_name = staff[i].full_name,
				      .known_as = staff[i].known_as,
				      .area = "Totnes town",
				      .lat = 50.4320,
				      .lon = -3.6840};
		if (add_person(db, s, a, staff[i].roles, staff[i].full_name, &p,
			       staff[i].class_code, &id) < 0)
			return -1;
		if (staff[i].roles & ROLE_COORDINATOR)
			author = id;
	}
	for (size_t i = 0; i < NCARERS; i++, a++) {
		const struct demo_carer *c = &carers[i];
		struct db_person p = {.full_name = c->full_name,
				      .known_as = c->known_as,
				      .area = c->area,
				      .lat = c->lat,
				      .lon = c->lon};
		if (add_person(db, s, a, ROLE_CARER | ROLE_MEMBER, c->full_name, &p, "worker",
			       &carer_person[i]) < 0 ||
		    db_carer_insert(db, carer_person[i], c->contract_minutes, 2880) <= 0)
			return -1;
	}
	for (size_t i = 0; i < NRECIPIENTS; i++) {
		const struct demo_recipient *r = &recipients[i];
		struct db_person p = {.full_name = r->full_name,
				      .known_as = r->known_as,
				      .area = r->area,
				      .lat = r->lat,
				      .lon = r->lon};
		unsigned acct = r->has_login ? a++ : s->n;
		if (add_person(db, s, acct, ROLE_MEMBER, r->full_name, &p, "recipient", &id) < 0 ||
		    db_recipient_insert(db, id) <= 0)
			return -1;
		for (int k = 0; k < 4 && r->team[k] >= 0; k++)
			if (db_team_insert(db, id, carer_person[r->team[k]], k + 1) <= 0)
				return -1;
	}
	if (db_proposal_insert(
		    db, "Adopt the 2027 rota principles",
		    "Every person receiving care keeps a team of at most four regular carers; "
		    "carers get at least 15 minutes of travel time between visits; rotas are "
		    "published by Thursday noon for the following week.",
		    "ordinary", "open", author, s->now, s->now + 14 * 86400, &id) <= 0)
		return -1;
	return 1;
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
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++, s.n++) {
		snprintf(s.email[s.n], sizeof s.email[s.n], "%s@%s", staff[i].local, DEMO_DOMAIN);
		s.print_role[s.n] = staff[i].print_role;
	}
	for (size_t i = 0; i < NCARERS; i++, s.n++) {
		char local[32];
		lower_local(carers[i].known_as, local, sizeof local);
		snprintf(s.email[s.n], sizeof s.email[s.n], "%s@%s", local, DEMO_DOMAIN);
		s.print_role[s.n] = "carer";
	}
	for (size_t i = 0; i < NRECIPIENTS; i++) {
		char local[32];
		if (!recipients[i].has_login)
			continue;
		lower_local(recipients[i].known_as, local, sizeof local);
		snprintf(s.email[s.n], sizeof s.email[s.n], "%s@%s", local, DEMO_DOMAIN);
		s.print_role[s.n++] = "member";
	}
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
	for (unsigned i = 0; i < s.n; i++)
		fprintf(out, "%s %s %s\n", s.print_role[i], s.email[i],
			password != NULL ? password : s.password[i]);
	rc = 0;
out:
	token_wipe(&s, sizeof s);
	return rc;
}
