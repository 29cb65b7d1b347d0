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

/* The flag sets that are also options (move, umount, rename: every name is
 * an option of its own, see OPT_FLAG in opt.h) are X-macro lists, so that
 * the table here and the option tables are built from one list at compile
 * time.  Each row is X(VALUE, NAME, HELP). */
#define TN_MOVE_MOUNT_FLAGS(X) \
	X(MOVE_MOUNT_F_SYMLINKS, "from-symlinks", "follow symlinks on the source") \
	X(MOVE_MOUNT_F_AUTOMOUNTS, "from-automounts", "follow automounts on the source") \
	X(MOVE_MOUNT_F_EMPTY_PATH, "from-empty-path", "source is the directory fd itself") \
	X(MOVE_MOUNT_T_SYMLINKS, "to-symlinks", "follow symlinks on the target") \
	X(MOVE_MOUNT_T_AUTOMOUNTS, "to-automounts", "follow automounts on the target") \
	X(MOVE_MOUNT_T_EMPTY_PATH, "to-empty-path", "target is the directory fd itself") \
	X(MOVE_MOUNT_SET_GROUP, "set-group", "join the source's sharing group (5.15)") \
	X(MOVE_MOUNT_BENEATH, "beneath", "mount beneath the top mount (6.5)")
#define TN_RENAME_FLAGS(X) \
	X(TN_RENAME_NOREPLACE, "noreplace", "fail if TO exists (3.15)") \
	X(TN_RENAME_EXCHANGE, "exchange", "swap FROM and TO atomically; both must exist (3.15)") \
	X(TN_RENAME_WHITEOUT, "whiteout", "leave a whiteout at FROM, for overlayfs (3.18)")
#define TN_UMOUNT_FLAGS(X) \
	X(MNT_FORCE, "force", "force the unmount even if busy (NFS, FUSE: may lose data)") \
	X(MNT_DETACH, "detach", "detach now, clean up when no longer busy (lazy)") \
	X(MNT_EXPIRE, "expire", "mark for expiry; a second call unmounts if still unused") \
	X(UMOUNT_NOFOLLOW, "nofollow", "do not follow a symlink as the last component")
/* a row of such a list as a tn_name */
#define TN_NAME_ROW(val, name, help) { val, name, help, 0, 0 },

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
extern const struct tn_name tn_walk_open_flag_names[];	/* those a walk takes */
extern const struct tn_name tn_move_mount_names[];
extern const struct tn_name tn_handle_flag_names[];
extern const struct tn_name tn_umount_names[];		/* umount2 flags */
extern const struct tn_name tn_rename_names[];		/* renameat2 flags */
extern const struct tn_name tn_file_type_names[];
extern const struct tn_name tn_access_mode_names[];	/* R_OK, W_OK, X_OK */
extern const struct tn_name tn_xattr_ns_names[];	/* the xattr namespaces */

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

/* "Did you mean": of the candidates fed to tn_near_add, the one a word that
 * matched none of them was most likely meant to be.  A candidate is close
 * when the word is a prefix of it (three letters at least), or when its
 * distance (Damerau-Levenshtein, optimal string alignment, letters compared
 * without case) is at most a third of the longer of the two.  The closest
 * wins; a tie between two different candidates gives none.  The commands,
 * options, columns and flag names all suggest through this. */
struct tn_near {
	const char *word;
	size_t len;
	const char *best;	/* NULL: none close yet */
	int dist;
	int tie;		/* another candidate is as close as best */
};
void tn_near_init(struct tn_near *n, const char *word, size_t len);
void tn_near_add(struct tn_near *n, const char *cand);
/* The suggestion, or NULL. */
const char *tn_near_best(const struct tn_near *n);

#endif
