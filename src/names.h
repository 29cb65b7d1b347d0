/* names.h - one name<->bit table per kernel flag set, shared by the option
 * parsers, the printers and the completions. */
#ifndef TNOS_NAMES_H
#define TNOS_NAMES_H

#include <stddef.h>
#include <stdint.h>

#define TN_NAME_ALIAS 0x1	/* accepted by the parser, never printed */

struct tn_name {
	uint64_t val;		/* the bit(s), or the enum value within mask */
	const char *name;
	const char *help;
	uint64_t mask;		/* 0: a bit flag; else an enum field (v & mask) == val */
	unsigned flags;
};

extern const struct tn_name tn_mount_attr_names[];
extern const struct tn_name tn_propagation_names[];
extern const struct tn_name tn_statmount_mask_names[];
extern const struct tn_name tn_sb_flag_names[];
extern const struct tn_name tn_fsmagic_names[];
extern const struct tn_name tn_statx_mask_names[];
extern const struct tn_name tn_statx_attr_names[];
extern const struct tn_name tn_statx_sync_names[];
extern const struct tn_name tn_resolve_names[];
extern const struct tn_name tn_open_flag_names[];
extern const struct tn_name tn_move_mount_names[];
extern const struct tn_name tn_handle_flag_names[];
extern const struct tn_name tn_umount_names[];		/* umount2 flags */
extern const struct tn_name tn_rename_names[];		/* renameat2 flags */
extern const struct tn_name tn_file_type_names[];

/* Parse "a,b,0x40" into *out.  Numbers (decimal, 0x, 0) pass through for
 * flags newer than the build.  Enum fields: two values for one field in the
 * same list is an error.  On error returns -1 and writes a message to err. */
int names_parse(const struct tn_name *t, const char *list, uint64_t *out,
		char *err, size_t errlen);
/* Look up one name; NULL if unknown. */
const struct tn_name *names_find(const struct tn_name *t, const char *name, size_t len);
/* Exact-value lookup (enums such as magic numbers); NULL if none. */
const char *names_exact(const struct tn_name *t, uint64_t v);
/* Format v as "a,b,0x400" (unknown bits in hex).  Returns length. */
size_t names_format(const struct tn_name *t, uint64_t v, char *buf, size_t len);
/* The names of v's bits in table order (hex for unknown bits), one call each:
 * what names_format() joins and the JSON writer puts in an array. */
void names_each(const struct tn_name *t, uint64_t v, void (*emit)(void *, const char *), void *ctx);
/* Every bit/value in the table (aliases included), for "all". */
uint64_t names_all(const struct tn_name *t);

#endif
