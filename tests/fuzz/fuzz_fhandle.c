/* fuzz_fhandle.c - libFuzzer: the handle text codec (tn_fhandle_parse /
 * tn_fhandle_format in src/core/file.c).  Anything that parses must format
 * back to text that parses to the same bytes, and anything refused must say
 * why.  Run by make fuzz / make fuzz-smoke. */
#define _GNU_SOURCE
#include "../../src/core/file.h"
#include <stdlib.h>
#include <string.h>
#undef NDEBUG
#include <assert.h>
int LLVMFuzzerTestOneInput(const unsigned char *d, size_t n)
{
	char *s = malloc(n + 1); memcpy(s, d, n); s[n] = 0;
	struct tn_fhandle h; char why[160];
	if (tn_fhandle_parse(s, &h, why, sizeof why) == 0) {
		char *t = tn_fhandle_format(&h);
		struct tn_fhandle h2;
		assert(tn_fhandle_parse(t, &h2, why, sizeof why) == 0);
		assert(h2.mnt_id == h.mnt_id && h2.fh->handle_bytes == h.fh->handle_bytes);
		assert(!memcmp(h2.fh, h.fh, 8 + h.fh->handle_bytes));
		char *t2 = tn_fhandle_format(&h2); assert(!strcmp(t, t2));
		free(t); free(t2); tn_fhandle_free(&h); tn_fhandle_free(&h2);
	} else assert(strlen(why) > 0);
	free(s);
	return 0;
}
