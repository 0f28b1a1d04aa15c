/*
 * static: serves the front end from the web root. The URL path (already
 * percent-decoded by MHD) is checked by core/webpath (no "..", no hidden
 * files, no "//"), then the resolved real path must still lie inside the
 * real web root, so symlinks cannot lead out either.
 *
 * Caching: file names carry no content hash (there is no build step), so
 * every file is "no-cache" with a strong ETag: browsers revalidate and get
 * a cheap 304 when nothing changed.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/webpath.h"
#include "http/http_internal.h"

static enum MHD_Result not_found(struct http_req *req)
{
	return http_reply_error(req, 404, NULL, "no such page: %s", req->path);
}

bool http_etag_matches(const char *header, const char *etag)
{
	const char *p = header;
	size_t n = strlen(etag);

	if (header == NULL)
		return false;
	if (strcmp(header, "*") == 0)
		return true;
	while ((p = strstr(p, etag)) != NULL) {
		if ((p == header || p[-1] == ' ' || p[-1] == ',') &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return true;
		p += n;
	}
	return false;
}

enum MHD_Result http_static_or_reply(struct http_req *req)
{
	char rel[1024], full[PATH_MAX + 1024], real[PATH_MAX], root[PATH_MAX];
	char etag[96];
	struct stat st;
	struct MHD_Response *resp;
	int fd = -1;

	if (webpath_resolve(req->path, rel, sizeof rel) != WEBPATH_OK)
		return not_found(req);
	if (realpath(req->cfg->web_dir, root) == NULL)
		return http_reply_error(req, 500, NULL, "web directory is missing");
	snprintf(full, sizeof full, "%s/%s", root, rel);
	if (realpath(full, real) == NULL)
		return not_found(req);
	size_t rootlen = strlen(root);
	if (strncmp(real, root, rootlen) != 0 || real[rootlen] != '/')
		return not_found(req);
	fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return not_found(req);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return not_found(req);
	}
	snprintf(etag, sizeof etag, "\"%llx-%llx-%lx\"", (unsigned long long)st.st_size,
		 (unsigned long long)st.st_mtim.tv_sec, (unsigned long)st.st_mtim.tv_nsec);
	const char *inm = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
						      MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (http_etag_matches(inm, etag)) {
		close(fd);
		resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		if (resp == NULL)
			return MHD_NO;
		MHD_add_response_header(resp, "ETag", etag);
		MHD_add_response_header(resp, "Cache-Control", "no-cache");
		return http_queue(req, 304, resp);
	}
	resp = MHD_create_response_from_fd64((uint64_t)st.st_size, fd);
	if (resp == NULL) {
		close(fd);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", webpath_mime(rel));
	MHD_add_response_header(resp, "ETag", etag);
	MHD_add_response_header(resp, "Cache-Control", "no-cache");
	return http_queue(req, 200, resp);
}
