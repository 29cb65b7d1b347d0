/* fuzz_xattrval.c - libFuzzer: xattr set's VALUE (tn_xattr_value_parse in
 * src/core/textparse.c).  Invariants: parsing never crashes or reads past
 * the string; anything refused says why; the bytes of a value that parses,
 * written back as 0x hex and as 0s base64 (tn_base64), parse to the same
 * bytes. */
#define _GNU_SOURCE
#include "../../src/core/textparse.h"
#include "../../src/emit/emit.h"
#include <stdlib.h>
#include <string.h>
#undef NDEBUG
#include <assert.h>

static void same(const char *text, const char *v, size_t n)
{
	char *w, why[160];
	size_t wn;
	assert(tn_xattr_value_parse(text, &w, &wn, why, sizeof why) == 0);
	assert(wn == n && !memcmp(w, v, n));
	free(w);
}

int LLVMFuzzerTestOneInput(const unsigned char *d, size_t n)
{
	char *s = malloc(n + 1);
	memcpy(s, d, n);
	s[n] = 0;
	char *v, why[160] = "";
	size_t vn;
	if (tn_xattr_value_parse(s, &v, &vn, why, sizeof why) == 0) {
		assert(vn <= strlen(s));
		char *hex = malloc(2 * vn + 3);
		memcpy(hex, "0x", 2);
		tn_hex_encode(hex + 2, v, vn);
		same(hex, v, vn);
		struct sbuf b = { 0 };
		sb_adds(&b, "0s");
		tn_base64(&b, (const unsigned char *)v, vn);
		same(b.p, v, vn);
		sb_free(&b);
		free(hex);
		free(v);
	} else {
		assert(strlen(why) > 0);
	}
	free(s);
	return 0;
}
