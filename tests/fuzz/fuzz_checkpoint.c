/* fuzz_checkpoint.c - libFuzzer: walk's checkpoint reader (core/checkpoint.c).
 * Invariants: parsing never crashes or leaks, whatever the bytes; a refusal
 * says why (a non-empty line); a checkpoint that parses writes back to text
 * that parses to the same checkpoint, field by field, bytes exact (paths
 * that are not UTF-8 go through their _b64 twins). */
#include "../../src/core/checkpoint.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int streq(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

static void same(const struct tn_ckpt *a, const struct tn_ckpt *b)
{
	if (!streq(a->mountpoint, b->mountpoint) || !streq(a->fsname, b->fsname) ||
	    !streq(a->relative, b->relative) || a->mnt_id != b->mnt_id ||
	    a->include_symlinks != b->include_symlinks ||
	    a->include_mountpoints != b->include_mountpoints || a->have_cutoff != b->have_cutoff ||
	    (a->have_cutoff && a->btime_cutoff != b->btime_cutoff) || a->cnt != b->cnt ||
	    a->cnt_bytes != b->cnt_bytes || a->errors != b->errors || a->done != b->done ||
	    a->nprune != b->nprune || a->nstack != b->nstack)
		abort();
	for (int i = 0; i < a->nprune; i++)
		if (!streq(a->prune[i], b->prune[i]))
			abort();
	for (unsigned i = 0; i < a->nstack; i++)
		if (!streq(a->stack[i].path, b->stack[i].path) || a->stack[i].ino != b->stack[i].ino ||
		    a->stack[i].off != b->stack[i].off)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tn_ckpt ck, back;
	char why[256];
	int e = tn_ckpt_parse((const char *)data, size, &ck, why, sizeof(why));
	if (e == -EINVAL && !why[0])
		abort();
	if (e == 0) {
		char *text = tn_ckpt_text(&ck);
		if (!text)
			abort();
		if (tn_ckpt_parse(text, strlen(text), &back, why, sizeof(why)) != 0)
			abort();
		same(&ck, &back);
		tn_ckpt_free(&back);
		free(text);
	}
	tn_ckpt_free(&ck);
	return 0;
}
