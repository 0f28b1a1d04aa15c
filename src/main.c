/*
 * main: the carecoop command line: serve, demo, user add, migrate, backup.
 *
 * Every flag may also come from a CARECOOP_* environment variable; a flag
 * given on the command line wins. A bad flag or value prints one line that
 * names it, then the usage, and exits 2. Failures at run time exit 1.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "auth/password.h"
#include "auth/token.h"
#include "cmd_count.h"
#include "cmd_export.h"
#include "cmd_gov.h"
#include "cmd_feeds.h"
#include "cmd_rota.h"
#include "core/listen_addr.h"
#include "core/roles.h"
#include "core/text.h"
#include "db/db.h"
#include "db/db_coop.h"
#include "db/db_rota.h"
#include "db/db_user.h"
#include "tz/tz.h"
#include "demo.h"
#include "http/http.h"

#ifndef CARECOOP_DATADIR
#define CARECOOP_DATADIR "/usr/share/carecoop"
#endif

#define EXIT_USAGE 2
#define MAX_FLAGS  8

static const char usage[] =
	"usage: carecoop COMMAND [FLAGS]\n"
	"\n"
	"commands:\n"
	"  serve   [--db FILE] [--listen HOST:PORT] [--web DIR] [--public-url URL]\n"
	"          run the web server (creates and migrates the database)\n"
	"  demo    [--db FILE] [--password P]\n"
	"          create a demo co-op in a new database; prints ROLE EMAIL PASSWORD lines\n"
	"  user add [--db FILE] --email E --role R[,R...] [--name NAME]\n"
	"          add a login; the password is read from standard input\n"
	"  migrate [--db FILE]\n"
	"          apply pending schema migrations\n"
	"  backup  [--db FILE] DEST\n"
	"          copy the live database to DEST (safe while serving)\n"
	"  solve   --instance FILE --out FILE [--seconds N] [--seed N]\n"
	"          solve a rota instance (shared format carecoop-rota/1)\n"
	"  check   --instance FILE --solution FILE\n"
	"          print the cost terms and every hard-rule violation; exit 1 if any\n"
	"  export-instance [--db FILE] --week YYYY-MM-DD [--out FILE]\n"
	"          write the week's rota problem (a Monday) in the shared format\n"
	"  count   [--method stv] [--stages] [--seed N] FILE.blt\n"
	"          count a BLT ballot file by STV (Scottish rules); prints 'elected NAME' lines\n"
	"  verify-votes [--db FILE] [--proposal ID]\n"
	"          check every proposal's hash-chained ballot log; exit 1 if one is broken\n"
	"  feeds   [--db FILE] [--make-missing yes|no]\n"
	"          print every live calendar feed as KIND EMAIL PATH (the paths are\n"
	"          secrets); with --make-missing yes, first give everyone entitled a feed\n"
	"  --help, --version\n"
	"\n"
	"defaults: --db ./carecoop.db, --listen 127.0.0.1:8080, --web ./web or " CARECOOP_DATADIR
	"/web\n"
	"environment: CARECOOP_DB, CARECOOP_LISTEN, CARECOOP_WEB, CARECOOP_SECURE_COOKIES,\n"
	"  CARECOOP_BODY_MAX, CARECOOP_THREADS, CARECOOP_CONN_LIMIT, CARECOOP_PER_IP_LIMIT,\n"
	"  CARECOOP_TIMEOUT, CARECOOP_LOGIN_CONCURRENCY, CARECOOP_SESSION_IDLE,\n"
	"  CARECOOP_SESSION_ABSOLUTE, CARECOOP_PUBLIC_URL\n"
	"roles: admin, coordinator, treasurer, carer, member\n";

struct flag {
	const char *name;  /* "--db" */
	const char *env;   /* "CARECOOP_DB" or NULL */
	const char *value; /* parsed value, or default */
};

struct args {
	struct flag flags[MAX_FLAGS];
	unsigned nflags;
	const char *positional[2];
	unsigned npositional;
};

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "carecoop: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", usage);
	return EXIT_USAGE;
}

static void flag_add(struct args *a, const char *name, const char *env, const char *dflt)
{
	const char *e = env != NULL ? getenv(env) : NULL;

	a->flags[a->nflags++] = (struct flag){name, env, (e != NULL && *e != '\0') ? e : dflt};
}

static const char *flag_get(const struct args *a, const char *name)
{
	for (unsigned i = 0; i < a->nflags; i++)
		if (strcmp(a->flags[i].name, name) == 0)
			return a->flags[i].value;
	return NULL;
}

/* Parses argv against the declared flags (each takes a value, as "--f V" or
 * "--f=V") and up to max_pos positional arguments. Returns 0 or EXIT_USAGE. */
static int parse_args(struct args *a, int argc, char **argv, unsigned max_pos)
{
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		const char *eq;
		size_t len;
		unsigned f;

		if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
			if (a->npositional >= max_pos)
				return usage_error("unexpected argument '%s'", arg);
			a->positional[a->npositional++] = arg;
			continue;
		}
		eq = strchr(arg, '=');
		len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
		for (f = 0; f < a->nflags; f++)
			if (strlen(a->flags[f].name) == len &&
			    strncmp(a->flags[f].name, arg, len) == 0)
				break;
		if (f == a->nflags)
			return usage_error("unknown flag '%s'", arg);
		if (eq != NULL) {
			a->flags[f].value = eq + 1;
		} else {
			if (i + 1 >= argc)
				return usage_error("flag %s needs a value", a->flags[f].name);
			a->flags[f].value = argv[++i];
		}
		if (a->flags[f].value[0] == '\0')
			return usage_error("flag %s needs a non-empty value", a->flags[f].name);
	}
	return 0;
}

static struct db *open_migrated(const char *path)
{
	char err[512];
	struct db *db = db_open(path, err, sizeof err);

	if (db == NULL) {
		fprintf(stderr, "carecoop: cannot open database %s\n", err);
		return NULL;
	}
	if (db_migrate(db, -1, err, sizeof err) < 0) {
		fprintf(stderr, "carecoop: cannot migrate database %s: %s\n", path, err);
		db_close(db);
		return NULL;
	}
	return db;
}

/* Reads an unsigned setting from the environment into *out. */
static int env_number(const char *name, int64_t min, int64_t max, int64_t *out)
{
	const char *v = getenv(name);
	char msg[160];

	if (v == NULL || *v == '\0')
		return 0;
	if (text_parse_i64(v, min, max, out) != 0) {
		snprintf(msg, sizeof msg, "%s must be a whole number from %lld to %lld", name,
			 (long long)min, (long long)max);
		return usage_error("%s", msg);
	}
	return 0;
}

static int load_server_env(struct http_config *cfg)
{
	int64_t v;
	int rc;

#define ENV_SET(name, min, max, field)                          \
	do {                                                    \
		v = -1;                                         \
		if ((rc = env_number(name, min, max, &v)) != 0) \
			return rc;                              \
		if (v >= 0)                                     \
			field = v;                              \
	} while (0)
	ENV_SET("CARECOOP_SECURE_COOKIES", 0, 1, cfg->secure_cookies);
	ENV_SET("CARECOOP_BODY_MAX", 1024, 64 * 1024 * 1024, cfg->body_max);
	ENV_SET("CARECOOP_THREADS", 1, 256, cfg->threads);
	ENV_SET("CARECOOP_CONN_LIMIT", 1, 65536, cfg->conn_limit);
	ENV_SET("CARECOOP_PER_IP_LIMIT", 1, 65536, cfg->per_ip_limit);
	ENV_SET("CARECOOP_TIMEOUT", 1, 3600, cfg->timeout_s);
	ENV_SET("CARECOOP_LOGIN_CONCURRENCY", 1, 64, cfg->login_concurrency);
	ENV_SET("CARECOOP_SESSION_IDLE", 60, 30 * 86400, cfg->session.idle);
	ENV_SET("CARECOOP_SESSION_ABSOLUTE", 60, 90 * 86400, cfg->session.absolute);
#undef ENV_SET
	return 0;
}

static const char *default_web_dir(void)
{
	struct stat st;

	if (stat("web/index.html", &st) == 0)
		return "web";
	return CARECOOP_DATADIR "/web";
}

static int cmd_serve(int argc, char **argv)
{
	struct args a = {0};
	struct http_config cfg;
	struct http_server *srv;
	struct stat st;
	struct db *db;
	char err[512], tzid[64];
	sigset_t stop;
	int sig, rc;

	flag_add(&a, "--db", "CARECOOP_DB", "carecoop.db");
	flag_add(&a, "--listen", "CARECOOP_LISTEN", "127.0.0.1:8080");
	flag_add(&a, "--web", "CARECOOP_WEB", default_web_dir());
	flag_add(&a, "--public-url", "CARECOOP_PUBLIC_URL", NULL);
	if ((rc = parse_args(&a, argc, argv, 0)) != 0)
		return rc;
	http_config_defaults(&cfg);
	cfg.public_url = flag_get(&a, "--public-url");
	if (cfg.public_url != NULL && strncmp(cfg.public_url, "https://", 8) != 0 &&
	    strncmp(cfg.public_url, "http://", 7) != 0)
		return usage_error("--public-url: must start with https:// (or http://), not '%s'",
				   cfg.public_url);
	if ((rc = load_server_env(&cfg)) != 0)
		return rc;
	if (listen_addr_parse(flag_get(&a, "--listen"), &cfg.listen, err, sizeof err) != 0)
		return usage_error("--listen: %s", err);
	cfg.web_dir = flag_get(&a, "--web");
	if (stat(cfg.web_dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return usage_error("--web: no such directory: %s", cfg.web_dir);
	cfg.db_path = flag_get(&a, "--db");
	if ((db = open_migrated(cfg.db_path)) == NULL)
		return 1;
	if (db_week_reset_running(db) < 0) {
		fprintf(stderr, "carecoop: cannot read the rota: %s\n", db_errmsg(db));
		db_close(db);
		return 1;
	}
	if (db_coop_timezone(db, tzid, sizeof tzid) <= 0)
		text_copy(tzid, sizeof tzid, "Europe/London");
	db_close(db);
	/* libical loads zone data lazily and not thread-safely: load it now. */
	if (tz_load(tzid) != 0) {
		fprintf(stderr, "carecoop: unknown time zone %s\n", tzid);
		return 1;
	}

	/* Block the stop signals before any thread starts, then wait for one. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	srv = http_server_start(&cfg, err, sizeof err);
	if (srv == NULL) {
		fprintf(stderr, "carecoop: %s\n", err);
		return 1;
	}
	fprintf(stderr, "carecoop: listening on http://%s%s%s:%u/\n", cfg.listen.ipv6 ? "[" : "",
		cfg.listen.host, cfg.listen.ipv6 ? "]" : "", http_server_port(srv));
	while (sigwait(&stop, &sig) != 0)
		;
	fprintf(stderr, "carecoop: stopping (signal %d)\n", sig);
	http_server_stop(srv);
	return 0;
}

static int cmd_demo(int argc, char **argv)
{
	struct args a = {0};
	struct db *db;
	char err[512];
	const char *pw;
	int rc;

	flag_add(&a, "--db", "CARECOOP_DB", "carecoop.db");
	flag_add(&a, "--password", NULL, NULL);
	if ((rc = parse_args(&a, argc, argv, 0)) != 0)
		return rc;
	pw = flag_get(&a, "--password");
	if (pw != NULL && text_password_check(pw) != TEXT_PASSWORD_OK)
		return usage_error("--password: %s",
				   text_password_message(text_password_check(pw)));
	if ((db = open_migrated(flag_get(&a, "--db"))) == NULL)
		return 1;
	rc = demo_create(db, pw, stdout, err, sizeof err);
	db_close(db);
	if (rc != 0) {
		fprintf(stderr, "carecoop: demo: %s\n", err);
		return 1;
	}
	return 0;
}

static int read_password_stdin(char *out, size_t n)
{
	struct termios old, quiet;
	bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
	size_t len;
	char *got;

	/* On a terminal, do not show the password as it is typed. */
	if (tty) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	got = fgets(out, (int)n, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (got == NULL)
		return -1;
	len = strlen(out);
	if (len > 0 && out[len - 1] != '\n' && !feof(stdin))
		return -1; /* longer than the buffer */
	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == '\r'))
		out[--len] = '\0';
	return 0;
}

struct user_add {
	const char *email, *name, *hash;
	unsigned roles;
	int64_t id;
};

static int insert_user(struct db *db, void *arg)
{
	struct user_add *u = arg;

	return db_user_insert(db, u->email, u->name, u->hash, u->roles, db_now(), &u->id);
}

static int cmd_user(int argc, char **argv)
{
	struct args a = {0};
	struct user_add u = {0};
	char roles[128], pw[TEXT_PASSWORD_MAX + 2], hash[PASSWORD_ENCODED_MAX], name[64];
	struct db *db;
	enum text_password_check pc;
	int rc;

	if (argc < 1 || strcmp(argv[0], "add") != 0)
		return usage_error("%s", "user: expected 'user add'");
	flag_add(&a, "--db", "CARECOOP_DB", "carecoop.db");
	flag_add(&a, "--email", NULL, NULL);
	flag_add(&a, "--role", NULL, NULL);
	flag_add(&a, "--name", NULL, NULL);
	if ((rc = parse_args(&a, argc - 1, argv + 1, 0)) != 0)
		return rc;
	u.email = flag_get(&a, "--email");
	if (u.email == NULL)
		return usage_error("%s", "user add: --email is required");
	if (!text_email_valid(u.email))
		return usage_error("--email: not a valid address: %s", u.email);
	if (flag_get(&a, "--role") == NULL)
		return usage_error("%s", "user add: --role is required");
	if (text_copy(roles, sizeof roles, flag_get(&a, "--role")) != 0)
		return usage_error("%s", "--role: too long");
	for (char *p = roles, *comma; p != NULL; p = comma != NULL ? comma + 1 : NULL) {
		comma = strchr(p, ',');
		if (comma != NULL)
			*comma = '\0';
		unsigned bit = role_parse(p);
		if (bit == 0)
			return usage_error(
				"--role: unknown role '%s' (admin, coordinator, treasurer, "
				"carer, member)",
				p);
		u.roles |= bit;
	}
	u.name = flag_get(&a, "--name");
	if (u.name == NULL) {
		size_t at = (size_t)(strchr(u.email, '@') - u.email);
		snprintf(name, sizeof name, "%.*s", (int)(at < sizeof name ? at : sizeof name - 1),
			 u.email);
		u.name = name;
	}
	if (strlen(u.name) > TEXT_NAME_MAX || !text_utf8_valid(u.name, false))
		return usage_error("%s", "--name: must be text of at most 200 bytes");
	if (isatty(STDIN_FILENO))
		fprintf(stderr, "password for %s: ", u.email);
	if (read_password_stdin(pw, sizeof pw) != 0) {
		fprintf(stderr,
			"carecoop: user add: no password on standard input (or too long)\n");
		return 1;
	}
	pc = text_password_check(pw);
	if (pc != TEXT_PASSWORD_OK) {
		token_wipe(pw, sizeof pw);
		fprintf(stderr, "carecoop: user add: %s\n", text_password_message(pc));
		return 1;
	}
	if (password_hash(pw, hash, sizeof hash) != PASSWORD_OK) {
		token_wipe(pw, sizeof pw);
		fprintf(stderr, "carecoop: user add: could not hash the password\n");
		return 1;
	}
	token_wipe(pw, sizeof pw);
	if ((db = open_migrated(flag_get(&a, "--db"))) == NULL)
		return 1;
	u.hash = hash;
	rc = db_tx(db, insert_user, &u);
	token_wipe(hash, sizeof hash);
	if (rc <= 0) {
		fprintf(stderr, "carecoop: user add: %s\n",
			rc == 0 ? "an account with this email exists" : db_errmsg(db));
		db_close(db);
		return 1;
	}
	db_close(db);
	printf("added %s (id %lld)\n", u.email, (long long)u.id);
	return 0;
}

static int cmd_migrate(int argc, char **argv)
{
	struct args a = {0};
	struct db *db;
	int rc;

	flag_add(&a, "--db", "CARECOOP_DB", "carecoop.db");
	if ((rc = parse_args(&a, argc, argv, 0)) != 0)
		return rc;
	if ((db = open_migrated(flag_get(&a, "--db"))) == NULL)
		return 1;
	printf("schema version %d\n", db_schema_version(db));
	db_close(db);
	return 0;
}

static int cmd_backup(int argc, char **argv)
{
	struct args a = {0};
	struct db *db;
	char err[512];
	int rc;

	flag_add(&a, "--db", "CARECOOP_DB", "carecoop.db");
	if ((rc = parse_args(&a, argc, argv, 1)) != 0)
		return rc;
	if (a.npositional != 1)
		return usage_error("%s", "backup: give the destination file, e.g. backup.db");
	if (access(flag_get(&a, "--db"), F_OK) != 0)
		return usage_error("--db: no such database: %s", flag_get(&a, "--db"));
	if ((db = open_migrated(flag_get(&a, "--db"))) == NULL)
		return 1;
	rc = db_backup(db, a.positional[0], err, sizeof err);
	db_close(db);
	if (rc < 0) {
		fprintf(stderr, "carecoop: backup: %s\n", err);
		return 1;
	}
	printf("backed up to %s\n", a.positional[0]);
	return 0;
}

static int cmd_feeds(int argc, char **argv)
{
	struct args a = {0};
	struct db *db;
	const char *make;
	int rc, made = 0;

	flag_add(&a, "--db", "CARECOOP_DB", "carecoop.db");
	flag_add(&a, "--make-missing", NULL, "no");
	if ((rc = parse_args(&a, argc, argv, 0)) != 0)
		return rc;
	make = flag_get(&a, "--make-missing");
	if (strcmp(make, "yes") != 0 && strcmp(make, "no") != 0)
		return usage_error("--make-missing: must be yes or no, not '%s'", make);
	if (access(flag_get(&a, "--db"), F_OK) != 0)
		return usage_error("--db: no such database: %s", flag_get(&a, "--db"));
	if ((db = open_migrated(flag_get(&a, "--db"))) == NULL)
		return 1;
	if (strcmp(make, "yes") == 0)
		made = feeds_issue_missing(db);
	rc = made < 0 ? -1 : feeds_print(db, stdout);
	if (rc < 0)
		fprintf(stderr, "carecoop: feeds: %s\n", db_errmsg(db));
	else if (made > 0)
		fprintf(stderr, "carecoop: made %d new feed%s\n", made, made == 1 ? "" : "s");
	db_close(db);
	return rc < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} commands[] = {
		{"serve", cmd_serve},
		{"demo", cmd_demo},
		{"user", cmd_user},
		{"migrate", cmd_migrate},
		{"backup", cmd_backup},
		{"solve", cmd_solve},
		{"check", cmd_check},
		{"export-instance", cmd_export_instance},
		{"verify-votes", cmd_verify_votes},
		{"count", cmd_count},
		{"feeds", cmd_feeds},
	};

	setvbuf(stderr, NULL, _IOLBF, 0);
	if (argc < 2)
		return usage_error("%s", "a command is required");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("carecoop %s\n", CARECOOP_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 2, argv + 2);
	return usage_error("unknown command '%s'", argv[1]);
}
