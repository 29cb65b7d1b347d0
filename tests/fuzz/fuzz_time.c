/* fuzz_time.c - libFuzzer: --btime-cutoff times (core/textparse.c).
 * Invariants: parsing never crashes or reads past the string; a value that
 * parses prints back, as epoch seconds and (for years 1..9999) as ISO 8601
 * UTC, to text that parses to the same value. */
#include "../../src/core/textparse.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = 0;
	int64_t v, w;
	if (tn_parse_time(s, &v) == 0) {
		char buf[64];
		snprintf(buf, sizeof(buf), "%" PRId64, v);
		if (tn_parse_time(buf, &w) != 0 || w != v)
			abort();
		time_t t = (time_t)v;
		struct tm tm;
		if (gmtime_r(&t, &tm) && tm.tm_year >= 1 - 1900 && tm.tm_year <= 9999 - 1900) {
			strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
			if (strlen(buf) == 20 && (tn_parse_time(buf, &w) != 0 || w != v))
				abort();
		}
	}
	free(s);
	return 0;
}
