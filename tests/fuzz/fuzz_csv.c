/* Fuzz target: CSV import parsing (csv_read over libcsv). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "csv/csv_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int row(char **fields, size_t n, size_t line, void *arg)
{
	size_t *total = arg;

	for (size_t i = 0; i < n; i++)
		*total += strlen(fields[i]) + line;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	size_t total = 0, err_line = 0;

	csv_read((const char *)data, size, row, &total, err, sizeof err, &err_line);
	return 0;
}
