/* fuzz_columns.c - libFuzzer: -o column lists (with +COL) for every column
 * table.  Invariants: no crash, and an accepted list selects only known
 * columns, each once. */
#include "../../src/emit/emit.h"
#include "../../src/emit/state.h"	/* the selection, to check it */
#include "../../src/cmd/common/mount_record.h"
#include "../../src/cmd/common/file_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tn_quiet = true;
	if (size < 1)
		return 0;
	const struct tn_col *cols = data[0] & 1 ? tn_file_cols : tn_mount_cols;
	char *spec = malloc(size);
	memcpy(spec, data + 1, size - 1);
	spec[size - 1] = 0;
	struct out_opts oo = { 0 };
	oo.columns = spec;
	struct out o;
	if (out_init(&o, &oo, cols, NULL, "x") == 0) {
		const struct out_state *s = o.s;
		int seen[OUT_MAXCOLS] = { 0 };
		for (int k = 0; k < s->nsel; k++) {
			if (s->sel[k] < 0 || s->sel[k] >= s->ncols || seen[s->sel[k]]++)
				abort();
		}
	}
	out_free(&o);
	free(spec);
	return 0;
}
