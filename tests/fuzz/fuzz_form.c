/* Fuzz target: the application/x-www-form-urlencoded parser of the
 * no-JavaScript vote form (h_gov_html.c), which meets any request body. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	const char *key;
	json_t *form, *v;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	form = http_form_parse(s, size);
	if (form != NULL) {
		if (!json_is_object(form) || json_object_size(form) > 64)
			abort();
		json_object_foreach (form, key, v) {
			if (!json_is_string(v) && !json_is_array(v))
				abort(); /* a value is text, or a list of texts */
		}
	}
	json_decref(form);
	free(s);
	return 0;
}
