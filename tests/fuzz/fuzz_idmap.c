/* fuzz_idmap.c - libFuzzer: --idmap maps (mount(8)'s X-mount.idmap syntax).
 * Invariants: no crash, and an accepted map is one the kernel takes: every
 * count at least 1, no range past the last id, no two ranges of one kind
 * overlapping on either side, at most 340 ranges of each kind. */
#include "../../src/cmd/common/mount_attr.h"
#include "../../src/core/ns.h"
#include "../../src/util.h"

#include <stdlib.h>
#include <string.h>

static struct tn_idrange r[2 * TN_IDMAP_MAX];

static int over(uint64_t a, uint64_t b, uint64_t n, uint64_t m)
{
	return a < b + m && b < a + n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tn_quiet = true;
	char *spec = malloc(size + 1);
	memcpy(spec, data, size);
	spec[size] = 0;
	size_t n = 0;
	if (attr_idmap_parse(spec, r, &n) == 0) {
		size_t nu = 0, ng = 0;
		for (size_t i = 0; i < n; i++) {
			if (!r[i].count || (uint64_t)r[i].from + r[i].count > 0xffffffffULL ||
			    (uint64_t)r[i].to + r[i].count > 0xffffffffULL || (!r[i].uid && !r[i].gid))
				abort();
			nu += r[i].uid;
			ng += r[i].gid;
			for (size_t j = 0; j < i; j++)
				if (((r[i].uid && r[j].uid) || (r[i].gid && r[j].gid)) &&
				    (over(r[i].from, r[j].from, r[i].count, r[j].count) ||
				     over(r[i].to, r[j].to, r[i].count, r[j].count)))
					abort();
		}
		if (nu > TN_IDMAP_MAX || ng > TN_IDMAP_MAX)
			abort();
	}
	free(spec);
	return 0;
}
