/*
 * webpath: maps a request path to a file below the web root, refusing any
 * path that could leave it, and names the content type of a file. Pure: the
 * caller opens the file (and checks the resolved path again).
 */
#ifndef CARECOOP_CORE_WEBPATH_H
#define CARECOOP_CORE_WEBPATH_H

#include <stddef.h>

enum webpath_result {
	WEBPATH_OK = 0,
	WEBPATH_BAD, /* '..', '.', backslash, NUL, control, hidden file... */
	WEBPATH_TOO_LONG,
};

/* Turns an already percent-decoded URL path ("/", "/css/app.css") into a
 * relative file path ("index.html", "css/app.css") in out (size n). A path
 * ending in '/' gets "index.html". Segments that are empty, ".", "..", or
 * start with '.' are refused, as are backslashes and control bytes. */
enum webpath_result webpath_resolve(const char *url_path, char *out, size_t n);

/* The Content-Type for a file name by its extension; never NULL. */
const char *webpath_mime(const char *name);

#endif
