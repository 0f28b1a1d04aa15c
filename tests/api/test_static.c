/*
 * API tests, static files (docs/API.md: every GET outside /api/ is served
 * from the web root). The harness's web root holds one file per type; a
 * secret marker lives outside it (dir/secret and dir/web-private/secret) and
 * must never come back, whatever the path looks like.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "api_check.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads root/name into buf (size cap); returns the length. */
static size_t read_file_into(const char *root, const char *name, char *buf, size_t cap)
{
	char path[1024];
	size_t len = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, name);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	for (;;) {
		ssize_t n = read(fd, buf + len, cap - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	assert_true(len < cap);
	return len;
}

/* GET path must be 200 with exactly the bytes of web file name; want is a
 * scratch buffer of cap bytes. */
static const struct harness_response *check_served_from(struct harness_server *srv,
							struct harness_client *c, const char *path,
							const char *name, const char *types,
							char *want, size_t cap)
{
	size_t len = read_file_into(harness_server_web_dir(srv), name, want, cap);
	const struct harness_response *r = harness_get(c, path);

	print_message("GET %s\n", path);
	assert_status(r, 200);
	assert_content_type(r, types);
	assert_int_equal(r->body_len, len);
	assert_memory_equal(r->body, want, len);
	return r;
}

/* check_served_from for the small files of the harness's web root. */
static const struct harness_response *check_served(struct harness_server *srv,
						   struct harness_client *c, const char *path,
						   const char *name, const char *types)
{
	char want[4096];

	return check_served_from(srv, c, path, name, types, want, sizeof(want));
}

static void index_is_html(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);

	check_served(srv, c, "/", "index.html", "text/html");
	check_served(srv, c, "/index.html", "index.html", "text/html");
	check_served(srv, c, "/sub/page.html", "sub/page.html", "text/html");
}

static void content_types(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);

	check_served(srv, c, "/style.css", "style.css", "text/css");
	check_served(srv, c, "/app.js", "app.js", "text/javascript|application/javascript");
	check_served(srv, c, "/logo.svg", "logo.svg", "image/svg+xml");
	check_served(srv, c, "/pixel.png", "pixel.png", "image/png");
}

static void caching_headers(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);
	static const char *const files[][3] = {
		{"/", "index.html", "text/html"},
		{"/style.css", "style.css", "text/css"},
		{"/pixel.png", "pixel.png", "image/png"},
	};
	char first_etag[256] = "";

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		const struct harness_response *r =
			check_served(srv, c, files[i][0], files[i][1], files[i][2]);
		const char *etag = harness_response_header(r, "ETag");
		char inm[300];
		const char *hdrs[] = {inm, NULL};
		struct harness_request rq = {.path = files[i][0], .headers = hdrs};

		if (harness_response_header(r, "Cache-Control") == NULL)
			fail_msg("GET %s: no Cache-Control", files[i][0]);
		if (etag == NULL || etag[0] == '\0')
			fail_msg("GET %s: no ETag", files[i][0]);
		if (i == 0)
			snprintf(first_etag, sizeof(first_etag), "%s", etag);
		else if (strcmp(first_etag, etag) == 0)
			fail_msg("%s and / share the ETag %s", files[i][0], etag);

		snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
		r = harness_request(c, &rq);
		print_message("GET %s with %s\n", files[i][0], inm);
		assert_status(r, 304);
		assert_int_equal(r->body_len, 0);
		/* RFC 9110 15.4.5: a 304 carries the ETag a 200 would have. */
		assert_non_null(harness_response_header(r, "ETag"));

		snprintf(inm, sizeof(inm), "If-None-Match: \"not-the-current-etag\"");
		r = harness_request(c, &rq);
		assert_status(r, 200);
	}
}

static void missing_file_404(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);

	assert_status(harness_get(c, "/no-such-file.html"), 404);
	assert_status(harness_get(c, "/sub/no-such-file.css"), 404);
	assert_status(harness_get(c, "/no-such-dir/index.html"), 404);
}

/* Replaces each '/' of s with "%2f" into out (size n). */
static void encode_slashes(const char *s, char *out, size_t n)
{
	size_t k = 0;

	for (; *s != '\0' && k + 4 < n; s++) {
		if (*s == '/') {
			memcpy(out + k, "%2f", 3);
			k += 3;
		} else {
			out[k++] = *s;
		}
	}
	out[k] = '\0';
}

static void traversal_never_serves_secret(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);
	static const char *const paths[] = {
		"/../secret",
		"/%2e%2e/secret",
		"/..%2fsecret",
		"/%2e%2e%2fsecret",
		"/%2E%2E%2Fsecret",
		"/.%2e/secret",
		"/%2e./secret",
		"/.%2e/",
		"/../",
		"/..",
		"/sub/../../secret",
		"/sub/%2e%2e/%2e%2e/secret",
		"/sub/..%2f..%2fsecret",
		"/./../secret",
		"/../web-private/secret",
		"/%2e%2e/web-private/secret",
		"/../../../../../../../../etc/passwd",
		"/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
		"//etc/passwd",
		"/%2fetc%2fpasswd",
		"/..%5csecret",
		"/%252e%252e/secret",
		"/%252e%252e%252fsecret",
		"/%c0%ae%c0%ae/secret",
		"/index.html/../../secret",
		"/secret%00",
		"/..%00/secret",
		"/api/../secret",
		"/api/../../secret",
	};
	const char *secret = harness_server_secret(srv);
	const char *abs = harness_server_secret_path(srv);
	char abs_paths[3][1024];
	char enc[900];
	int bad = 0;

	/* Absolute paths of the secret, as they might reach a careless join. */
	snprintf(abs_paths[0], sizeof(abs_paths[0]), "/%s", abs);
	encode_slashes(abs, enc, sizeof(enc));
	snprintf(abs_paths[1], sizeof(abs_paths[1]), "/%s", enc);
	snprintf(abs_paths[2], sizeof(abs_paths[2]), "%s", abs);

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]) + 3; i++) {
		const char *p = i < sizeof(paths) / sizeof(paths[0])
					? paths[i]
					: abs_paths[i - sizeof(paths) / sizeof(paths[0])];
		const struct harness_response *r = harness_get(c, p);

		print_message("GET %s -> %ld\n", p, r->status);
		if (api_contains(r->body, secret)) {
			print_error("GET %s served the secret file outside the web root\n", p);
			bad++;
		} else if (api_contains(r->body, "root:x:0:0")) {
			print_error("GET %s served /etc/passwd\n", p);
			bad++;
		} else if (r->status != 404 && r->status != 400) {
			print_error("GET %s: status %ld, want 404 or 400\n", p, r->status);
			bad++;
		}
	}
	if (bad > 0)
		fail_msg("%d traversal attempts were not refused", bad);
	/* And the server is still fine. */
	check_served(srv, c, "/", "index.html", "text/html");
}

/*
 * A NUL (%00) cannot be part of a file name: a path holding one names no
 * file, and must not be cut short at the NUL into another path (the classic
 * "file.php%00.jpg" trick that defeats extension checks).
 */
static void nul_in_path_refused(void **state)
{
	struct harness_server *srv = *state;
	struct harness_client *c = harness_client_new(srv);
	static const char *const paths[] = {
		"/index.html%00.css",  "/index.html%00",  "/%00",
		"/api/me%00/anything", "/healthz%00.png",
	};
	int bad = 0;

	assert_status(harness_login_as(c, "member"), 200);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		const struct harness_response *r = harness_get(c, paths[i]);
		print_message("GET %s -> %ld\n", paths[i], r->status);
		if (r->status != 404 && r->status != 400) {
			print_error("GET %s: status %ld (Content-Type %s), want 404 or 400\n",
				    paths[i], r->status,
				    harness_response_header(r, "Content-Type") != NULL
					    ? harness_response_header(r, "Content-Type")
					    : "none");
			bad++;
		}
	}
	if (bad > 0)
		fail_msg("%d paths with a NUL byte were served as another path", bad);
}

#define REPO_FILES_MAX  256
#define REPO_FILE_BYTES (4u << 20)

/* The media types a browser needs for the front end's files, by extension. */
static const char *type_for(const char *name)
{
	static const char *const map[][2] = {
		{".html", "text/html"},
		{".css", "text/css"},
		{".js", "text/javascript|application/javascript"},
		{".mjs", "text/javascript|application/javascript"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".json", "application/json"},
		{".webmanifest", "application/manifest+json"},
		{".woff2", "font/woff2"},
		{".ico", "image/x-icon|image/vnd.microsoft.icon"},
		{".txt", "text/plain"},
	};
	const char *dot = strrchr(name, '.');

	for (size_t i = 0; dot != NULL && i < sizeof(map) / sizeof(map[0]); i++) {
		if (strcmp(dot, map[i][0]) == 0)
			return map[i][1];
	}
	return NULL;
}

/* Lists regular files under root/rel (two levels deep) into names. */
static void list_files(const char *root, const char *rel, char names[][256], size_t *n, int depth)
{
	char dir_path[1024];
	DIR *d;
	struct dirent *e;

	snprintf(dir_path, sizeof(dir_path), "%s/%s", root, rel);
	d = opendir(dir_path);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL && *n < REPO_FILES_MAX) {
		char path[1300], sub[256];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] != '\0' ? "/" : "", e->d_name);
		snprintf(path, sizeof(path), "%s/%s", root, sub);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISREG(st.st_mode))
			snprintf(names[(*n)++], 256, "%s", sub);
		else if (S_ISDIR(st.st_mode) && depth > 0)
			list_files(root, sub, names, n, depth - 1);
	}
	closedir(d);
}

static int setup_repo_web(void **state)
{
	const char *web = getenv("CARECOOP_WEB");
	struct harness_server_options opt = {.web_dir = web};
	struct harness_server *srv = NULL;

	*state = NULL;
	if (web == NULL || web[0] == '\0')
		return 0;
	if (harness_server_start(&opt, &srv) != 0)
		return -1;
	*state = srv;
	return 0;
}

/* The real front end (CARECOOP_WEB, the repo's web/) is served byte for
 * byte, each file with a media type a browser will accept. */
static void repo_web_root_served(void **state)
{
	struct harness_server *srv = *state;
	static char names[REPO_FILES_MAX][256];
	static char want[REPO_FILE_BYTES];
	struct harness_client *c;
	size_t n = 0;
	int bad = 0;

	if (srv == NULL)
		skip(); /* no CARECOOP_WEB */
	c = harness_client_new(srv);
	list_files(harness_server_web_dir(srv), "", names, &n, 2);
	assert_true(n > 0);
	check_served_from(srv, c, "/", "index.html", "text/html", want, sizeof(want));
	for (size_t i = 0; i < n; i++) {
		char path[300];
		const char *types = type_for(names[i]);
		const struct harness_response *r;
		size_t len;

		snprintf(path, sizeof(path), "/%s", names[i]);
		len = read_file_into(harness_server_web_dir(srv), names[i], want, sizeof(want));
		r = harness_get(c, path);
		print_message("GET %s -> %ld %s\n", path, r->status,
			      harness_response_header(r, "Content-Type") != NULL
				      ? harness_response_header(r, "Content-Type")
				      : "(no type)");
		if (r->status != 200 || r->body_len != len || memcmp(r->body, want, len) != 0) {
			print_error("GET %s: not served as is (status %ld)\n", path, r->status);
			bad++;
		} else if (types != NULL) {
			const char *ct = harness_response_header(r, "Content-Type");
			size_t media = ct != NULL ? strcspn(ct, "; ") : 0;
			bool ok = false;
			for (const char *t = types; ct != NULL && *t != '\0';) {
				size_t tl = strcspn(t, "|");
				ok = ok || (tl == media && strncasecmp(t, ct, tl) == 0);
				t += tl + (t[tl] == '|');
			}
			if (!ok) {
				print_error("GET %s: Content-Type %s, want %s\n", path,
					    ct != NULL ? ct : "(none)", types);
				bad++;
			}
		}
	}
	if (bad > 0)
		fail_msg("%d files of the front end were not served right", bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(index_is_html),
		cmocka_unit_test(content_types),
		cmocka_unit_test(caching_headers),
		cmocka_unit_test(missing_file_404),
		cmocka_unit_test(traversal_never_serves_secret),
		cmocka_unit_test(nul_in_path_refused),
		cmocka_unit_test_setup_teardown(repo_web_root_served, setup_repo_web,
						api_server_teardown),
	};

	return cmocka_run_group_tests_name("api_static", tests, api_server_setup,
					   api_server_teardown);
}
