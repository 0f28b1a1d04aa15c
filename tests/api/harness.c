/*
 * harness: the carecoop binary as a child process plus libcurl clients, for
 * the API tests (see harness.h for the contracts). Must not depend on cmocka
 * or on carecoop's sources.
 *
 * The server's stdout and stderr are redirected straight into a log file in
 * the temporary directory, so nothing ever blocks on a full pipe and the
 * tests can read the whole log at any time; the port is taken from the
 * "listening on" line as it appears there.
 */
#include "harness.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <curl/curl.h>

#define HARNESS_START_TIMEOUT_MS 60000       /* sanitizer builds migrate slowly */
#define HARNESS_DEMO_TIMEOUT_MS  120000      /* demo hashes a password per account */
#define HARNESS_STOP_TIMEOUT_MS  10000       /* SIGTERM grace before SIGKILL */
#define HARNESS_BODY_MAX         (64u << 20) /* a reply bigger than this is a bug */
#define HARNESS_DEMO_PASSWORD    "Api-Harness-Pw-48151623"
#define HARNESS_LISTEN_PREFIX    "carecoop: listening on http://127.0.0.1:"

extern char **environ;

struct harness_jar_entry {
	char *name;  /* cookie name */
	char *value; /* cookie value */
};

struct harness_client {
	struct harness_server *srv;         /* owner */
	CURL *curl;                         /* one handle: keeps connections alive */
	struct harness_jar_entry *cookies;  /* the jar */
	size_t cookie_count;                /* entries in cookies */
	char *csrf;                         /* last csrf_token seen, or NULL */
	struct harness_response *responses; /* every reply returned, newest first */
	struct harness_client *next;        /* owner's list */
};

struct harness_server {
	char *dir;                        /* temporary directory, removed at free */
	char *web_dir;                    /* the web root given to serve */
	char *db_path;                    /* dir/carecoop.db */
	char *log_path;                   /* dir/server.log: stdout + stderr */
	char *secret_path;                /* dir/secret: outside the web root */
	char *bin;                        /* the carecoop binary */
	char secret[96];                  /* marker written in every secret file */
	char url[64];                     /* http://127.0.0.1:PORT */
	pid_t pid;                        /* server process, -1 once reaped */
	int early_status;                 /* wait status if it exited by itself, else -1 */
	int stop_status;                  /* wait status after stop, -1 before */
	struct harness_account *accounts; /* from demo */
	size_t account_count;             /* entries in accounts */
	struct harness_client *clients;   /* owned clients */
	char *log_buf;                    /* last harness_server_log() result */
};

/* ---- allocation: a test harness stops at once when memory runs out ---- */

static void *harness_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n == 0 ? 1 : n);

	if (q == NULL) {
		fputs("harness: out of memory\n", stderr);
		abort();
	}
	return q;
}

static void *harness_xcalloc(size_t count, size_t size)
{
	void *p = calloc(count == 0 ? 1 : count, size == 0 ? 1 : size);

	if (p == NULL) {
		fputs("harness: out of memory\n", stderr);
		abort();
	}
	return p;
}

static char *harness_xstrndup(const char *s, size_t n)
{
	char *p = harness_xrealloc(NULL, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static char *harness_xstrdup(const char *s)
{
	return harness_xstrndup(s, strlen(s));
}

/* A formatted string in fresh memory, owned by the caller. */
static char *harness_xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *harness_xprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		fputs("harness: bad format\n", stderr);
		abort();
	}
	p = harness_xrealloc(NULL, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* ---- files ---- */

/* Writes len bytes to path (created 0600, truncated). Returns 0 or -1. */
static int harness_write_file(const char *path, const void *data, size_t len)
{
	int rc = -1;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	const char *p = data;

	if (fd < 0)
		goto out;
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			goto out;
		}
		p += w;
		len -= (size_t)w;
	}
	rc = 0;
out:
	if (fd >= 0 && close(fd) != 0)
		rc = -1;
	if (rc != 0)
		fprintf(stderr, "harness: cannot write %s: %s\n", path, strerror(errno));
	return rc;
}

/* Reads the whole file into fresh memory (NUL-terminated); NULL on error. */
static char *harness_read_file(const char *path, size_t *len_out)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		goto out;
	for (;;) {
		if (cap - len < 4096) {
			cap = cap == 0 ? 8192 : cap * 2;
			buf = harness_xrealloc(buf, cap);
		}
		ssize_t r = read(fd, buf + len, cap - len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			buf = NULL;
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	buf[len] = '\0';
	if (len_out != NULL)
		*len_out = len;
out:
	if (fd >= 0)
		close(fd);
	return buf;
}

static int harness_rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	if (remove(path) != 0)
		fprintf(stderr, "harness: cannot remove %s: %s\n", path, strerror(errno));
	return 0;
}

static void harness_sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static long harness_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- child processes ---- */

/*
 * The environment for a child: ours without any CARECOOP_* setting (so a
 * developer's shell cannot change what the tests see), plus extra, whose
 * entries replace ours of the same NAME. The array is fresh (free it); the
 * strings are borrowed.
 */
static char **harness_child_env(const char *const *extra)
{
	size_t n_env = 0, n_extra = 0, k = 0;
	char **env;

	while (environ != NULL && environ[n_env] != NULL)
		n_env++;
	while (extra != NULL && extra[n_extra] != NULL)
		n_extra++;
	env = harness_xcalloc(n_env + n_extra + 1, sizeof(*env));
	for (size_t i = 0; i < n_env; i++) {
		const char *eq = strchr(environ[i], '=');
		size_t name_len = eq != NULL ? (size_t)(eq - environ[i]) : strlen(environ[i]);
		bool replaced = false;
		for (size_t j = 0; j < n_extra; j++) {
			if (strncmp(extra[j], environ[i], name_len) == 0 &&
			    extra[j][name_len] == '=')
				replaced = true;
		}
		if (strncmp(environ[i], "CARECOOP_", 9) == 0)
			replaced = true;
		if (!replaced)
			env[k++] = environ[i];
	}
	for (size_t j = 0; j < n_extra; j++)
		env[k++] = (char *)extra[j];
	env[k] = NULL;
	return env;
}

/*
 * Starts argv[0] with stdin from /dev/null and stdout and stderr appended to
 * out_path. The child gets SIGTERM if this process dies first (Linux), so a
 * crashed test leaves no server behind. Returns the pid, or -1.
 */
static pid_t harness_spawn(char *const argv[], char *const envp[], const char *out_path)
{
	pid_t pid = -1;
	pid_t parent = getpid();
	long max_fd = sysconf(_SC_OPEN_MAX);
	int out_fd = open(out_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (out_fd < 0 || null_fd < 0) {
		fprintf(stderr, "harness: cannot open %s: %s\n", out_path, strerror(errno));
		goto out;
	}
	if (max_fd < 0 || max_fd > 65536)
		max_fd = 65536;
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "harness: fork: %s\n", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		/* Only async-signal-safe calls from here to execve. */
#ifdef __linux__
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
			_exit(126);
#endif
		if (dup2(null_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0)
			_exit(126);
		for (long fd = 3; fd < max_fd; fd++)
			close((int)fd);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	(void)parent;
out:
	if (out_fd >= 0)
		close(out_fd);
	if (null_fd >= 0)
		close(null_fd);
	return pid;
}

/* Waits up to timeout_ms for pid. Returns its wait status, or -1 on timeout. */
static int harness_wait_ms(pid_t pid, long timeout_ms)
{
	long deadline = harness_now_ms() + timeout_ms;

	for (;;) {
		int status;
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return status;
		if (r < 0 && errno != EINTR)
			return -1;
		if (harness_now_ms() >= deadline)
			return -1;
		harness_sleep_ms(10);
	}
}

static void harness_describe_status(int status, char *buf, size_t n)
{
	if (status < 0)
		snprintf(buf, n, "did not finish");
	else if (WIFEXITED(status))
		snprintf(buf, n, "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, n, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, n, "wait status %d", status);
}

/* ---- demo accounts ---- */

/* Parses "ROLE EMAIL PASSWORD" lines; other lines are ignored. Returns the
 * number of accounts found. */
static size_t harness_parse_accounts(struct harness_server *srv, const char *text)
{
	const char *line = text;

	while (*line != '\0') {
		const char *end = strchr(line, '\n');
		size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
		char *copy = harness_xstrndup(line, len);
		char *fields[4] = {NULL, NULL, NULL, NULL};
		size_t nf = 0;
		char *p = copy;

		if (len > 0 && copy[len - 1] == '\r')
			copy[len - 1] = '\0';
		while (*p != '\0' && nf < 4) {
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p == '\0')
				break;
			fields[nf++] = p;
			while (*p != '\0' && *p != ' ' && *p != '\t')
				p++;
			if (*p != '\0')
				*p++ = '\0';
		}
		if (nf == 3) {
			struct harness_account *a;
			srv->accounts = harness_xrealloc(
				srv->accounts, (srv->account_count + 1) * sizeof(*srv->accounts));
			a = &srv->accounts[srv->account_count++];
			a->role = harness_xstrdup(fields[0]);
			a->email = harness_xstrdup(fields[1]);
			a->password = harness_xstrdup(fields[2]);
		}
		free(copy);
		line += len;
		if (*line == '\n')
			line++;
	}
	return srv->account_count;
}

/* ---- the test web root ---- */

/* A valid 1x1 transparent PNG. */
static const unsigned char harness_png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
	0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
	0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78,
	0x9c, 0x63, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05, 0x00, 0x01, 0xe9, 0xfa, 0xdc, 0xd8,
	0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

/*
 * dir/web holds one file of each type the static tests ask for; the secret
 * marker sits outside it in dir/secret and in dir/web-private/secret (a
 * sibling whose name starts with the web root's, against prefix checks).
 */
static int harness_make_web(struct harness_server *srv)
{
	static const char *const text_files[][2] = {
		{"index.html", "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
			       "<title>carecoop test</title></head>\n"
			       "<body><h1>carecoop test index</h1></body></html>\n"},
		{"style.css", "body { font-family: sans-serif; }\n"},
		{"app.js", "document.title = 'carecoop test';\n"},
		{"logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\">"
			     "<rect width=\"1\" height=\"1\"/></svg>\n"},
		{"sub/page.html", "<!doctype html>\n<title>sub page</title>\n"},
	};
	int rc = -1;
	char *path = NULL;
	char *secret_text = harness_xprintf("%s\n", srv->secret);

	srv->web_dir = harness_xprintf("%s/web", srv->dir);
	srv->secret_path = harness_xprintf("%s/secret", srv->dir);
	if (mkdir(srv->web_dir, 0700) != 0)
		goto out;
	path = harness_xprintf("%s/sub", srv->web_dir);
	if (mkdir(path, 0700) != 0)
		goto out;
	free(path);
	path = NULL;
	for (size_t i = 0; i < sizeof(text_files) / sizeof(text_files[0]); i++) {
		path = harness_xprintf("%s/%s", srv->web_dir, text_files[i][0]);
		if (harness_write_file(path, text_files[i][1], strlen(text_files[i][1])) != 0)
			goto out;
		free(path);
		path = NULL;
	}
	path = harness_xprintf("%s/pixel.png", srv->web_dir);
	if (harness_write_file(path, harness_png, sizeof(harness_png)) != 0)
		goto out;
	free(path);
	path = NULL;
	if (harness_write_file(srv->secret_path, secret_text, strlen(secret_text)) != 0)
		goto out;
	path = harness_xprintf("%s/web-private", srv->dir);
	if (mkdir(path, 0700) != 0)
		goto out;
	free(path);
	path = harness_xprintf("%s/web-private/secret", srv->dir);
	if (harness_write_file(path, secret_text, strlen(secret_text)) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "harness: cannot build the web root in %s\n", srv->dir);
	free(path);
	free(secret_text);
	return rc;
}

/* ---- server ---- */

/* Runs `carecoop demo` into srv->db_path and reads the accounts. */
static int harness_run_demo(struct harness_server *srv, char *const envp[])
{
	int rc = -1;
	char *out_path = harness_xprintf("%s/demo.out", srv->dir);
	char *out = NULL;
	char *argv[] = {srv->bin, "demo", "--db", srv->db_path, "--password", HARNESS_DEMO_PASSWORD,
			NULL};
	char what[64];
	pid_t pid = harness_spawn(argv, envp, out_path);
	int status;

	if (pid < 0)
		goto out;
	status = harness_wait_ms(pid, HARNESS_DEMO_TIMEOUT_MS);
	if (status < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	out = harness_read_file(out_path, NULL);
	if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		harness_describe_status(status, what, sizeof(what));
		fprintf(stderr, "harness: `%s demo` failed (%s); output:\n%s\n", srv->bin, what,
			out != NULL ? out : "(none)");
		goto out;
	}
	if (out == NULL || harness_parse_accounts(srv, out) == 0) {
		fprintf(stderr,
			"harness: `carecoop demo` printed no ROLE EMAIL PASSWORD lines:\n%s\n",
			out != NULL ? out : "(none)");
		goto out;
	}
	rc = 0;
out:
	free(out);
	free(out_path);
	return rc;
}

/* Looks for the "listening on" line. Returns the port, 0 if not there yet,
 * or -1 if a line is there but malformed. */
static long harness_find_port(const char *log)
{
	const char *p = strstr(log, HARNESS_LISTEN_PREFIX);
	char *end = NULL;
	long port;

	if (p == NULL)
		return 0;
	p += strlen(HARNESS_LISTEN_PREFIX);
	if (strchr(p, '\n') == NULL)
		return 0; /* line not complete yet */
	if (!isdigit((unsigned char)*p))
		return -1;
	errno = 0;
	port = strtol(p, &end, 10);
	if (errno != 0 || port <= 0 || port > 65535 || end[0] != '/' ||
	    (end[1] != '\n' && !(end[1] == '\r' && end[2] == '\n')))
		return -1;
	return port;
}

/* Starts `carecoop serve` and waits for its "listening on" line. */
static int harness_run_serve(struct harness_server *srv, char *const envp[])
{
	char *argv[] = {srv->bin,      "serve", "--db",       srv->db_path, "--listen",
			"127.0.0.1:0", "--web", srv->web_dir, NULL};
	long deadline = harness_now_ms() + HARNESS_START_TIMEOUT_MS;

	srv->pid = harness_spawn(argv, envp, srv->log_path);
	if (srv->pid < 0)
		return -1;
	for (;;) {
		char *log = harness_read_file(srv->log_path, NULL);
		long port = log != NULL ? harness_find_port(log) : 0;

		if (port < 0)
			fprintf(stderr, "harness: malformed \"listening on\" line; log:\n%s\n",
				log);
		free(log);
		if (port < 0)
			return -1;
		if (port > 0) {
			snprintf(srv->url, sizeof(srv->url), "http://127.0.0.1:%ld", port);
			return 0;
		}
		if (!harness_server_running(srv)) {
			char what[64];
			harness_describe_status(srv->early_status, what, sizeof(what));
			log = harness_read_file(srv->log_path, NULL);
			fprintf(stderr, "harness: server exited at start (%s); log:\n%s\n", what,
				log != NULL ? log : "(none)");
			free(log);
			return -1;
		}
		if (harness_now_ms() >= deadline) {
			fputs("harness: no \"listening on\" line within 60 s\n", stderr);
			return -1;
		}
		harness_sleep_ms(20);
	}
}

int harness_server_start(const struct harness_server_options *opt, struct harness_server **out)
{
	int rc = -1;
	struct harness_server *srv = harness_xcalloc(1, sizeof(*srv));
	char **envp = NULL;
	char tmpl[] = "/tmp/carecoop-api-XXXXXX";
	const char *bin = getenv("CARECOOP_BIN");
	struct timespec ts;

	srv->pid = -1;
	srv->early_status = -1;
	srv->stop_status = -1;
	*out = NULL;
#ifdef CARECOOP_BIN
	if (bin == NULL || *bin == '\0')
		bin = CARECOOP_BIN;
#endif
	if (bin == NULL || *bin == '\0') {
		fputs("harness: set CARECOOP_BIN to the carecoop binary\n", stderr);
		goto out;
	}
	srv->bin = harness_xstrdup(bin);
	if (access(srv->bin, X_OK) != 0) {
		fprintf(stderr, "harness: %s is not executable: %s\n", srv->bin, strerror(errno));
		goto out;
	}
	if (mkdtemp(tmpl) == NULL) {
		fprintf(stderr, "harness: mkdtemp: %s\n", strerror(errno));
		goto out;
	}
	srv->dir = harness_xstrdup(tmpl);
	srv->db_path = harness_xprintf("%s/carecoop.db", srv->dir);
	srv->log_path = harness_xprintf("%s/server.log", srv->dir);
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(srv->secret, sizeof(srv->secret), "CARECOOP-TEST-SECRET-%ld-%ld-%ld",
		 (long)getpid(), (long)ts.tv_sec, (long)ts.tv_nsec);
	if (harness_make_web(srv) != 0)
		goto out;
	envp = harness_child_env(opt != NULL ? opt->env : NULL);
	if (harness_run_demo(srv, envp) != 0)
		goto out;
	if (opt != NULL && opt->web_dir != NULL) {
		free(srv->web_dir);
		srv->web_dir = harness_xstrdup(opt->web_dir);
	}
	if (harness_run_serve(srv, envp) != 0)
		goto out;
	*out = srv;
	srv = NULL;
	rc = 0;
out:
	free(envp);
	harness_server_free(srv);
	return rc;
}

bool harness_server_running(struct harness_server *srv)
{
	int status;

	if (srv->pid < 0)
		return false;
	if (waitpid(srv->pid, &status, WNOHANG) == srv->pid) {
		srv->early_status = status;
		srv->stop_status = status;
		srv->pid = -1;
		return false;
	}
	return true;
}

int harness_server_early_status(const struct harness_server *srv)
{
	return srv->early_status;
}

int harness_server_stop(struct harness_server *srv)
{
	int status;

	if (!harness_server_running(srv))
		return srv->stop_status;
	if (kill(srv->pid, SIGTERM) != 0 && errno != ESRCH)
		fprintf(stderr, "harness: kill: %s\n", strerror(errno));
	status = harness_wait_ms(srv->pid, HARNESS_STOP_TIMEOUT_MS);
	if (status < 0) {
		fprintf(stderr, "harness: server ignored SIGTERM for 10 s; killing it\n");
		kill(srv->pid, SIGKILL);
		if (waitpid(srv->pid, &status, 0) != srv->pid)
			status = -1;
	}
	srv->stop_status = status;
	srv->pid = -1;
	return status;
}

static void harness_response_free(struct harness_response *r)
{
	for (size_t i = 0; i < r->header_count; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	free(r->body);
	json_decref(r->json);
	free(r);
}

static void harness_client_free(struct harness_client *c)
{
	while (c->responses != NULL) {
		struct harness_response *next = c->responses->next;
		harness_response_free(c->responses);
		c->responses = next;
	}
	for (size_t i = 0; i < c->cookie_count; i++) {
		free(c->cookies[i].name);
		free(c->cookies[i].value);
	}
	free(c->cookies);
	free(c->csrf);
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	free(c);
}

void harness_server_free(struct harness_server *srv)
{
	const char *keep = getenv("CARECOOP_TEST_KEEP");

	if (srv == NULL)
		return;
	harness_server_stop(srv);
	while (srv->clients != NULL) {
		struct harness_client *next = srv->clients->next;
		harness_client_free(srv->clients);
		srv->clients = next;
	}
	for (size_t i = 0; i < srv->account_count; i++) {
		free(srv->accounts[i].role);
		free(srv->accounts[i].email);
		free(srv->accounts[i].password);
	}
	free(srv->accounts);
	if (srv->dir != NULL) {
		if (keep != NULL && strcmp(keep, "1") == 0)
			fprintf(stderr, "harness: kept %s\n", srv->dir);
		else
			nftw(srv->dir, harness_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	}
	free(srv->dir);
	free(srv->web_dir);
	free(srv->db_path);
	free(srv->log_path);
	free(srv->secret_path);
	free(srv->bin);
	free(srv->log_buf);
	free(srv);
}

const char *harness_server_url(const struct harness_server *srv)
{
	return srv->url;
}

const struct harness_account *harness_server_account(const struct harness_server *srv,
						     const char *role)
{
	for (size_t i = 0; i < srv->account_count; i++) {
		if (strcmp(srv->accounts[i].role, role) == 0)
			return &srv->accounts[i];
	}
	return NULL;
}

const char *harness_server_dir(const struct harness_server *srv)
{
	return srv->dir;
}

const char *harness_server_web_dir(const struct harness_server *srv)
{
	return srv->web_dir;
}

const char *harness_server_secret(const struct harness_server *srv)
{
	return srv->secret;
}

const char *harness_server_secret_path(const struct harness_server *srv)
{
	return srv->secret_path;
}

const char *harness_server_log(struct harness_server *srv)
{
	free(srv->log_buf);
	srv->log_buf = harness_read_file(srv->log_path, NULL);
	return srv->log_buf;
}

/* True if one line of log contains every needle. */
static bool harness_log_has_line(const char *log, const char *const *needles)
{
	const char *line = log;

	while (*line != '\0') {
		const char *end = strchr(line, '\n');
		size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
		char *copy = harness_xstrndup(line, len);
		bool all = true;

		for (size_t i = 0; needles[i] != NULL && all; i++)
			all = strstr(copy, needles[i]) != NULL;
		free(copy);
		if (all)
			return true;
		line += len;
		if (*line == '\n')
			line++;
	}
	return false;
}

bool harness_server_log_wait(struct harness_server *srv, const char *const *needles, int timeout_ms)
{
	long deadline = harness_now_ms() + timeout_ms;

	for (;;) {
		const char *log = harness_server_log(srv);
		if (log != NULL && harness_log_has_line(log, needles))
			return true;
		if (harness_now_ms() >= deadline)
			return false;
		harness_sleep_ms(20);
	}
}

/* ---- clients and cookies ---- */

struct harness_client *harness_client_new(struct harness_server *srv)
{
	struct harness_client *c = harness_xcalloc(1, sizeof(*c));

	c->srv = srv;
	c->curl = curl_easy_init();
	if (c->curl == NULL) {
		fputs("harness: curl_easy_init failed\n", stderr);
		abort();
	}
	c->next = srv->clients;
	srv->clients = c;
	return c;
}

const char *harness_client_cookie(const struct harness_client *c, const char *name)
{
	for (size_t i = 0; i < c->cookie_count; i++) {
		if (strcmp(c->cookies[i].name, name) == 0)
			return c->cookies[i].value;
	}
	return NULL;
}

void harness_client_set_cookie(struct harness_client *c, const char *name, const char *value)
{
	for (size_t i = 0; i < c->cookie_count; i++) {
		if (strcmp(c->cookies[i].name, name) != 0)
			continue;
		free(c->cookies[i].value);
		if (value != NULL) {
			c->cookies[i].value = harness_xstrdup(value);
			return;
		}
		free(c->cookies[i].name);
		c->cookies[i] = c->cookies[--c->cookie_count];
		return;
	}
	if (value == NULL)
		return;
	c->cookies = harness_xrealloc(c->cookies, (c->cookie_count + 1) * sizeof(*c->cookies));
	c->cookies[c->cookie_count].name = harness_xstrdup(name);
	c->cookies[c->cookie_count].value = harness_xstrdup(value);
	c->cookie_count++;
}

const char *harness_client_csrf(const struct harness_client *c)
{
	return c->csrf;
}

void harness_client_set_csrf(struct harness_client *c, const char *token)
{
	free(c->csrf);
	c->csrf = token != NULL ? harness_xstrdup(token) : NULL;
}

/* Copies s[0..n) trimmed of spaces and tabs into dst (size cap). */
static void harness_copy_trimmed(char *dst, size_t cap, const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

int harness_cookie_parse(const char *set_cookie, struct harness_cookie *out)
{
	const char *p = set_cookie;
	const char *semi = strchr(p, ';');
	size_t pair_len = semi != NULL ? (size_t)(semi - p) : strlen(p);
	const char *eq = memchr(p, '=', pair_len);

	memset(out, 0, sizeof(*out));
	out->expires = -1;
	if (eq == NULL)
		return -1;
	harness_copy_trimmed(out->name, sizeof(out->name), p, (size_t)(eq - p));
	harness_copy_trimmed(out->value, sizeof(out->value), eq + 1,
			     pair_len - (size_t)(eq - p) - 1);
	if (out->name[0] == '\0')
		return -1;
	while (semi != NULL) {
		char attr[32], val[128];
		const char *a = semi + 1;
		size_t len;
		const char *aeq;

		semi = strchr(a, ';');
		len = semi != NULL ? (size_t)(semi - a) : strlen(a);
		aeq = memchr(a, '=', len);
		harness_copy_trimmed(attr, sizeof(attr), a, aeq != NULL ? (size_t)(aeq - a) : len);
		harness_copy_trimmed(val, sizeof(val), aeq != NULL ? aeq + 1 : a + len,
				     aeq != NULL ? len - (size_t)(aeq - a) - 1 : 0);
		if (strcasecmp(attr, "HttpOnly") == 0) {
			out->http_only = true;
		} else if (strcasecmp(attr, "Secure") == 0) {
			out->secure = true;
		} else if (strcasecmp(attr, "Path") == 0) {
			harness_copy_trimmed(out->path, sizeof(out->path), val, strlen(val));
		} else if (strcasecmp(attr, "SameSite") == 0) {
			harness_copy_trimmed(out->same_site, sizeof(out->same_site), val,
					     strlen(val));
		} else if (strcasecmp(attr, "Max-Age") == 0) {
			char *end = NULL;
			errno = 0;
			long v = strtol(val, &end, 10);
			if (errno == 0 && end != val && *end == '\0') {
				out->has_max_age = true;
				out->max_age = v;
			}
		} else if (strcasecmp(attr, "Expires") == 0) {
			out->expires = curl_getdate(val, NULL);
		}
	}
	return 0;
}

bool harness_cookie_is_removal(const struct harness_cookie *ck)
{
	if (ck->value[0] == '\0')
		return true;
	if (ck->has_max_age && ck->max_age <= 0)
		return true;
	return ck->expires != -1 && ck->expires <= time(NULL);
}

int harness_response_cookie(const struct harness_response *r, const char *name,
			    struct harness_cookie *out)
{
	const char *v;

	for (size_t i = 0; (v = harness_response_header_nth(r, "Set-Cookie", i)) != NULL; i++) {
		if (harness_cookie_parse(v, out) == 0 && strcmp(out->name, name) == 0)
			return 0;
	}
	memset(out, 0, sizeof(*out));
	out->expires = -1;
	return -1;
}

const char *harness_response_header_nth(const struct harness_response *r, const char *name,
					size_t i)
{
	for (size_t k = 0; k < r->header_count; k++) {
		if (strcasecmp(r->headers[k].name, name) == 0 && i-- == 0)
			return r->headers[k].value;
	}
	return NULL;
}

const char *harness_response_header(const struct harness_response *r, const char *name)
{
	return harness_response_header_nth(r, name, 0);
}

/* ---- requests ---- */

struct harness_upload {
	const char *p; /* next byte to send */
	size_t left;   /* bytes still to send */
};

static size_t harness_on_read(char *buf, size_t size, size_t nitems, void *userdata)
{
	struct harness_upload *up = userdata;
	size_t n = size * nitems;

	if (n > up->left)
		n = up->left;
	memcpy(buf, up->p, n);
	up->p += n;
	up->left -= n;
	return n;
}

static size_t harness_on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct harness_response *r = userdata;
	size_t n = size * nmemb;

	if (r->body_len + n > HARNESS_BODY_MAX)
		return 0; /* aborts the transfer */
	r->body = harness_xrealloc(r->body, r->body_len + n + 1);
	memcpy(r->body + r->body_len, data, n);
	r->body_len += n;
	r->body[r->body_len] = '\0';
	return n;
}

static size_t harness_on_header(char *data, size_t size, size_t nitems, void *userdata)
{
	struct harness_response *r = userdata;
	size_t n = size * nitems;
	size_t len = n;
	const char *colon;
	struct harness_header *h;

	while (len > 0 && (data[len - 1] == '\r' || data[len - 1] == '\n'))
		len--;
	if (len >= 5 && memcmp(data, "HTTP/", 5) == 0) {
		/* A new status line (after 100 Continue): start the list again. */
		for (size_t i = 0; i < r->header_count; i++) {
			free(r->headers[i].name);
			free(r->headers[i].value);
		}
		r->header_count = 0;
		return n;
	}
	colon = memchr(data, ':', len);
	if (len == 0 || colon == NULL)
		return n;
	r->headers = harness_xrealloc(r->headers, (r->header_count + 1) * sizeof(*r->headers));
	h = &r->headers[r->header_count++];
	h->name = harness_xstrndup(data, (size_t)(colon - data));
	colon++;
	while (colon < data + len && (*colon == ' ' || *colon == '\t'))
		colon++;
	len = (size_t)(data + len - colon);
	while (len > 0 && (colon[len - 1] == ' ' || colon[len - 1] == '\t'))
		len--;
	h->value = harness_xstrndup(colon, len);
	return n;
}

static bool harness_is_state_changing(const char *method)
{
	return strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
	       strcmp(method, "PATCH") == 0 || strcmp(method, "DELETE") == 0;
}

/* Applies the reply's Set-Cookie headers and csrf_token to the client. */
static void harness_absorb(struct harness_client *c, const struct harness_response *r)
{
	const char *v;
	struct harness_cookie ck;
	json_t *tok;

	for (size_t i = 0; (v = harness_response_header_nth(r, "Set-Cookie", i)) != NULL; i++) {
		if (harness_cookie_parse(v, &ck) != 0)
			continue;
		harness_client_set_cookie(c, ck.name,
					  harness_cookie_is_removal(&ck) ? NULL : ck.value);
	}
	tok = json_is_object(r->json) ? json_object_get(r->json, "csrf_token") : NULL;
	if (json_is_string(tok))
		harness_client_set_csrf(c, json_string_value(tok));
}

/* Appends "Name: value" to *list; aborts when out of memory. */
static void harness_add_header(struct curl_slist **list, const char *line)
{
	struct curl_slist *l = curl_slist_append(*list, line);

	if (l == NULL) {
		fputs("harness: out of memory\n", stderr);
		abort();
	}
	*list = l;
}

const struct harness_response *harness_request(struct harness_client *c,
					       const struct harness_request *rq)
{
	struct harness_response *r = harness_xcalloc(1, sizeof(*r));
	const char *method = rq->method != NULL ? rq->method : "GET";
	struct curl_slist *hdrs = NULL;
	char *url = harness_xprintf("%s%s", c->srv->url, rq->path);
	char *cookie = NULL;
	char *line = NULL;
	struct harness_upload up = {.p = rq->body, .left = rq->body_len};
	CURL *h = c->curl;
	CURLcode cc;

	r->next = c->responses;
	c->responses = r;
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 60000L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, r->curl_error);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, harness_on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, harness_on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, r);

	if (rq->body != NULL) {
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		if (rq->chunked) {
			curl_easy_setopt(h, CURLOPT_READFUNCTION, harness_on_read);
			curl_easy_setopt(h, CURLOPT_READDATA, &up);
			harness_add_header(&hdrs, "Transfer-Encoding: chunked");
		} else {
			curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->body_len);
			curl_easy_setopt(h, CURLOPT_POSTFIELDS, rq->body);
		}
		if (strcmp(method, "POST") != 0)
			curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	} else if (strcmp(method, "GET") == 0) {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	} else if (strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	} else {
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	}

	/* curl would add a form Content-Type to bodies; say exactly what we mean. */
	if (rq->content_type != NULL && rq->content_type[0] != '\0') {
		line = harness_xprintf("Content-Type: %s", rq->content_type);
		harness_add_header(&hdrs, line);
		free(line);
		line = NULL;
	} else {
		harness_add_header(&hdrs, "Content-Type:");
	}
	if (!rq->expect_continue)
		harness_add_header(&hdrs, "Expect:");
	if (rq->csrf == HARNESS_CSRF_VALUE && rq->csrf_value != NULL) {
		line = harness_xprintf("X-CSRF-Token: %s", rq->csrf_value);
	} else if (rq->csrf == HARNESS_CSRF_AUTO && c->csrf != NULL &&
		   harness_is_state_changing(method)) {
		line = harness_xprintf("X-CSRF-Token: %s", c->csrf);
	}
	if (line != NULL) {
		harness_add_header(&hdrs, line);
		free(line);
		line = NULL;
	}
	for (size_t i = 0; rq->headers != NULL && rq->headers[i] != NULL; i++)
		harness_add_header(&hdrs, rq->headers[i]);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);

	if (!rq->no_cookies && c->cookie_count > 0) {
		size_t len = 1;
		for (size_t i = 0; i < c->cookie_count; i++)
			len += strlen(c->cookies[i].name) + strlen(c->cookies[i].value) + 3;
		cookie = harness_xcalloc(len, 1);
		for (size_t i = 0; i < c->cookie_count; i++) {
			size_t used = strlen(cookie);
			snprintf(cookie + used, len - used, "%s%s=%s", i > 0 ? "; " : "",
				 c->cookies[i].name, c->cookies[i].value);
		}
		curl_easy_setopt(h, CURLOPT_COOKIE, cookie);
	}

	cc = curl_easy_perform(h);
	r->curl_code = (int)cc;
	if (cc != CURLE_OK && r->curl_error[0] == '\0')
		snprintf(r->curl_error, sizeof(r->curl_error), "%s", curl_easy_strerror(cc));
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	if (r->body == NULL)
		r->body = harness_xcalloc(1, 1);
	if (r->body_len > 0)
		r->json = json_loadb(r->body, r->body_len, 0, NULL);
	harness_absorb(c, r);

	/* The handle keeps pointers to these until the next reset: drop them now. */
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(h, CURLOPT_COOKIE, NULL);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
	curl_slist_free_all(hdrs);
	free(cookie);
	free(url);
	return r;
}

const struct harness_response *harness_get(struct harness_client *c, const char *path)
{
	struct harness_request rq = {.method = "GET", .path = path};

	return harness_request(c, &rq);
}

const struct harness_response *harness_send_json(struct harness_client *c, const char *method,
						 const char *path, const char *fmt, ...)
{
	struct harness_request rq = {.method = method, .path = path};
	json_t *doc = NULL;
	char *body = NULL;
	json_error_t err;
	va_list ap;
	const struct harness_response *r;

	if (fmt != NULL) {
		va_start(ap, fmt);
		doc = json_vpack_ex(&err, 0, fmt, ap);
		va_end(ap);
		if (doc == NULL) {
			fprintf(stderr, "harness: json_pack(\"%s\"): %s\n", fmt, err.text);
			abort();
		}
		body = json_dumps(doc, JSON_COMPACT);
		if (body == NULL)
			abort();
		rq.body = body;
		rq.body_len = strlen(body);
		rq.content_type = "application/json";
	}
	r = harness_request(c, &rq);
	free(body);
	json_decref(doc);
	return r;
}

const struct harness_response *harness_login(struct harness_client *c, const char *email,
					     const char *password)
{
	return harness_send_json(c, "POST", "/api/session", "{s:s, s:s}", "email", email,
				 "password", password);
}

const struct harness_response *harness_login_as(struct harness_client *c, const char *role)
{
	const struct harness_account *a = harness_server_account(c->srv, role);
	struct harness_response *r;

	if (a != NULL)
		return harness_login(c, a->email, a->password);
	r = harness_xcalloc(1, sizeof(*r));
	r->body = harness_xcalloc(1, 1);
	snprintf(r->curl_error, sizeof(r->curl_error), "demo printed no %s account", role);
	r->next = c->responses;
	c->responses = r;
	return r;
}
