/* Fuzz target: the text checks every request field goes through. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/care.h"
#include "core/csvout.h"
#include "core/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), out[128], csv[256];
	int64_t v;
	int m;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (text_utf8_valid(s, true) && text_utf8_len(s) > strlen(s))
		abort(); /* more code points than bytes */
	(void)text_email_valid(s);
	(void)text_password_check(s);
	(void)text_parse_i64(s, INT64_MIN, INT64_MAX, &v);
	(void)care_parse_hhmm(s, true, &m);
	(void)care_date_valid(s);
	(void)care_datetime_valid(s);
	(void)care_skill_code_valid(s);
	text_redact_path(s, out, sizeof out);
	(void)csvout_field(s, 0, csv, sizeof csv);
	free(s);
	return 0;
}
