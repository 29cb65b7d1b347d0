/* fuzz_names.c - libFuzzer: flag-name lists (--attr, --mask, --resolve ...).
 * Invariants: parsing never crashes; whatever parses prints back to a list
 * that parses to the same value (names for known bits, hex for the rest). */
#include "../../src/names.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct tn_name *const tables[] = {
	tn_mount_attr_names, tn_propagation_names, tn_statmount_mask_names, tn_sb_flag_names,
	tn_statx_mask_names, tn_statx_attr_names, tn_statx_sync_names, tn_resolve_names,
	tn_open_flag_names, tn_move_mount_names, tn_handle_flag_names, tn_file_type_names,
};

static void count_name(void *ctx, const char *name)
{
	(void)name;
	++*(size_t *)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const struct tn_name *t = tables[data[0] % (sizeof(tables) / sizeof(tables[0]))];
	char *s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = 0;
	uint64_t v, w;
	char err[1024], buf[4096];
	if (names_parse(t, s, &v, err, sizeof(err)) == 0) {
		size_t n = names_format(t, v, buf, sizeof(buf));
		if (n >= sizeof(buf) - 1) {
			free(s);
			return 0;
		}
		/* the JSON writer's array has a name exactly when the text has */
		size_t count = 0;
		names_each(t, v, count_name, &count);
		if (!count != !n)
			abort();
		if (n && names_parse(t, buf, &w, err, sizeof(err)) != 0)
			abort();	/* printed names must parse */
		/* enum fields: format shows the value of each field; bits outside
		 * every field must come back exactly */
		if (n && w != v) {
			uint64_t fields = 0;
			for (const struct tn_name *e = t; e->name; e++)
				fields |= e->mask;
			if ((w & ~fields) != (v & ~fields))
				abort();
		}
	}
	free(s);
	return 0;
}
