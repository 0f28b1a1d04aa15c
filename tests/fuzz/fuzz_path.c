/* Fuzz target: URL unescaping then static-file path resolution. Whatever
 * the input, a resolved path never climbs out of the web root. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/webpath.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), out[512];

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	text_url_unescape(s);
	if (webpath_resolve(s, out, sizeof out) == WEBPATH_OK) {
		if (out[0] == '/' || strstr(out, "..") == out || strstr(out, "/../") != NULL ||
		    strstr(out, "//") != NULL)
			abort(); /* an escape: the invariant is broken */
		(void)webpath_mime(out);
	}
	free(s);
	return 0;
}
