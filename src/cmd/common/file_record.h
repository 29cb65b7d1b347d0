/* file_record.h - the file record: one column table and one describer shared by
 * statx, openat2, fhandle open and walk.  JSON keys are the stx_* names of
 * truenas_os.StatxResult; walk's entry keys are those of its FilesystemIterator. */
#ifndef TNOS_FILE_RECORD_H
#define TNOS_FILE_RECORD_H

#include "../../core/uapi.h"
#include "../../emit/emit.h"

enum {
	/* context of the record (filled by the command, not by statx) */
	SC_PATH, SC_PARENT, SC_NAME, SC_ISDIR, SC_ISREG, SC_ISLNK, SC_ISMOUNT,
	/* statx */
	SC_TYPE, SC_MODE, SC_PERMS, SC_NLINK, SC_UID, SC_USER, SC_GID, SC_GROUP, SC_INO, SC_SIZE, SC_BLOCKS,
	SC_BLKSIZE, SC_ATIME, SC_BTIME, SC_CTIME, SC_MTIME, SC_DEV, SC_RDEV,
	SC_MNT_ID, SC_ATTR, SC_ATTR_MASK, SC_DIO_MEM_ALIGN, SC_DIO_OFFSET_ALIGN,
	SC_DIO_READ_ALIGN, SC_SUBVOL, SC_AWU_MIN, SC_AWU_MAX, SC_AWU_MAX_OPT,
	SC_AW_SEGMENTS_MAX, SC_MASK,
};

/* The initializer of tn_file_cols, for commands whose tables add columns
 * after SC_MASK (openat2, fhandle): the SC_* indexes stay valid. */
#define TN_FILE_COLS_INIT \
	[SC_PATH] = { "PATH", "path", T_STR, 0, "the path as given (walk: as find prints it)", NULL, 0 }, \
	[SC_PARENT] = { "PARENT", "parent", T_STR, 0, "path of the parent directory", NULL, 0 }, \
	[SC_NAME] = { "NAME", "name", T_STR, 0, "last component of the path, as basename(1) has it (\"/\" for the root; walk: the entry name)", NULL, 0 }, \
	[SC_ISDIR] = { "ISDIR", "isdir", T_BOOL, 0, "a directory", NULL, 0 }, \
	[SC_ISREG] = { "ISREG", "isreg", T_BOOL, 0, "a regular file", NULL, 0 }, \
	[SC_ISLNK] = { "ISLNK", "islnk", T_BOOL, 0, "a symbolic link", NULL, 0 }, \
	[SC_ISMOUNT] = { "ISMOUNT", "ismount", T_BOOL, 0, "the root of a mount (statx: the mount-root attribute; walk: a child mount, not descended)", NULL, 0 }, \
	[SC_TYPE] = { "TYPE", "type", T_ENUM, 0, "file type by name (from stx_mode)", tn_file_type_names, TN_STATX_TYPE }, \
	[SC_MODE] = { "MODE", "stx_mode", T_MODE, 0, "permission bits in octal, as stat -c %04a (JSON: the whole stx_mode, type bits too)", NULL, TN_STATX_TYPE | TN_STATX_MODE }, \
	[SC_PERMS] = { "PERMS", "perms", T_STR, 0, "type and permissions as ls -l shows them (stat -c %A)", NULL, TN_STATX_TYPE | TN_STATX_MODE }, \
	[SC_NLINK] = { "NLINK", "stx_nlink", T_U64, TN_RIGHT, "hard links", NULL, TN_STATX_NLINK }, \
	[SC_UID] = { "UID", "stx_uid", T_U64, TN_RIGHT, "owner", NULL, TN_STATX_UID }, \
	[SC_USER] = { "USER", "user", T_STR, 0, "owner's name (the number when it has none; JSON: then absent)", NULL, TN_STATX_UID }, \
	[SC_GID] = { "GID", "stx_gid", T_U64, TN_RIGHT, "group", NULL, TN_STATX_GID }, \
	[SC_GROUP] = { "GROUP", "group", T_STR, 0, "group's name (the number when it has none; JSON: then absent)", NULL, TN_STATX_GID }, \
	[SC_INO] = { "INO", "stx_ino", T_U64, TN_RIGHT, "inode number", NULL, TN_STATX_INO }, \
	[SC_SIZE] = { "SIZE", "stx_size", T_U64, TN_RIGHT, "size in bytes", NULL, TN_STATX_SIZE }, \
	[SC_BLOCKS] = { "BLOCKS", "stx_blocks", T_U64, TN_RIGHT, "512-byte blocks allocated", NULL, TN_STATX_BLOCKS }, \
	[SC_BLKSIZE] = { "BLKSIZE", "stx_blksize", T_U64, TN_RIGHT, "preferred I/O size", NULL, 0 }, \
	[SC_ATIME] = { "ATIME", "stx_atime", T_TIME, 0, "last access", NULL, TN_STATX_ATIME }, \
	[SC_BTIME] = { "BTIME", "stx_btime", T_TIME, 0, "creation (birth)", NULL, TN_STATX_BTIME }, \
	[SC_CTIME] = { "CTIME", "stx_ctime", T_TIME, 0, "last status change", NULL, TN_STATX_CTIME }, \
	[SC_MTIME] = { "MTIME", "stx_mtime", T_TIME, 0, "last modification", NULL, TN_STATX_MTIME }, \
	[SC_DEV] = { "DEV", "stx_dev", T_DEV, TN_RIGHT, "device holding the file (JSON: stx_dev_major, stx_dev_minor)", NULL, 0 }, \
	[SC_RDEV] = { "RDEV", "stx_rdev", T_DEV, TN_RIGHT, "device number of a device file (JSON: stx_rdev_major, stx_rdev_minor)", NULL, 0 }, \
	[SC_MNT_ID] = { "MNT-ID", "stx_mnt_id", T_U64, TN_RIGHT, "mount id (unique when MASK has mnt-id-unique)", NULL, TN_STATX_MNT_ID_UNIQUE }, \
	[SC_ATTR] = { "ATTR", "stx_attributes", T_FLAGS, 0, "file attributes", tn_statx_attr_names, 0 }, \
	[SC_ATTR_MASK] = { "ATTR-MASK", "stx_attributes_mask", T_FLAGS, 0, "attributes the filesystem supports", tn_statx_attr_names, 0 }, \
	[SC_DIO_MEM_ALIGN] = { "DIO-MEM-ALIGN", "stx_dio_mem_align", T_U64, TN_RIGHT, "direct I/O memory alignment", NULL, TN_STATX_DIOALIGN }, \
	[SC_DIO_OFFSET_ALIGN] = { "DIO-OFFSET-ALIGN", "stx_dio_offset_align", T_U64, TN_RIGHT, "direct I/O offset alignment", NULL, TN_STATX_DIOALIGN }, \
	[SC_DIO_READ_ALIGN] = { "DIO-READ-ALIGN", "stx_dio_read_offset_align", T_U64, TN_RIGHT, "direct I/O read offset alignment", NULL, TN_STATX_DIO_READ_ALIGN }, \
	[SC_SUBVOL] = { "SUBVOL", "stx_subvol", T_U64, TN_RIGHT, "subvolume id", NULL, TN_STATX_SUBVOL }, \
	[SC_AWU_MIN] = { "AWU-MIN", "stx_atomic_write_unit_min", T_U64, TN_RIGHT, "smallest atomic write", NULL, TN_STATX_WRITE_ATOMIC }, \
	[SC_AWU_MAX] = { "AWU-MAX", "stx_atomic_write_unit_max", T_U64, TN_RIGHT, "largest atomic write", NULL, TN_STATX_WRITE_ATOMIC }, \
	[SC_AWU_MAX_OPT] = { "AWU-MAX-OPT", "stx_atomic_write_unit_max_opt", T_U64, TN_RIGHT, "largest fast atomic write", NULL, TN_STATX_WRITE_ATOMIC }, \
	[SC_AW_SEGMENTS_MAX] = { "AW-SEGMENTS-MAX", "stx_atomic_write_segments_max", T_U64, TN_RIGHT, "most segments in an atomic write", NULL, TN_STATX_WRITE_ATOMIC }, \
	[SC_MASK] = { "MASK", "stx_mask", T_FLAGS, 0, "fields the kernel returned", tn_statx_mask_names, 0 },

#define SC_NCOLS (SC_MASK + 1)

extern const struct tn_col tn_file_cols[];

/* The statx fields truenas_os's directory iterator asks for (STATX_BASIC_STATS,
 * STATX_BTIME, STATX_MNT_ID_UNIQUE) and those every reply carries, in column
 * order (a walk's defcols).  The DIO, subvolume and atomic-write fields are
 * asked for only when a column names them: a filesystem may work them out
 * for every file. */
#define TN_STATX_ITER_COLS "TYPE,MODE,NLINK,UID,GID,INO,SIZE,BLOCKS,BLKSIZE,ATIME,BTIME," \
	"CTIME,MTIME,DEV,RDEV,MNT-ID,ATTR,ATTR-MASK,MASK"

/* Every statx mask bit this build knows. */
#define TN_STATX_ALL 0x3ffffU

/* --time-style, one row for every command that shows files (key: the
 * command's option key; the value goes to fc_time_style). */
#define FC_TIME_STYLE_OPT(key) \
	{ key, "time-style", "STYLE", "times for people: iso8601 (default), full-iso, iso or epoch", TC_WORDS, NULL, 0, OUT_TIME_STYLE_WORDS }
/* Parse a --time-style value into *style; TN_OPT_GO or a usage error. */
int fc_time_style(const char *arg, enum out_time_style *style);

/* Emit the selected statx fields of st, in the order of the selected
 * columns: a field whose mask bit did not come back is left out (never
 * shown as 0). */
void statxrec_emit(struct out *o, const struct tn_statx *st);
/* What the context columns (SC_PATH to SC_ISMOUNT) show of a file. */
struct fc_entry {
	const char *path, *parent, *name;
	size_t path_len, parent_len, name_len;
	bool isdir, isreg, islnk, ismount;
	bool no_type, no_mount;	/* ISDIR..ISLNK, ISMOUNT: unknown, left out */
};
/* The context of a path as given and its statx: NAME its last component,
 * PARENT what is before it ("." for none), the type from stx_mode and
 * ISMOUNT from the mount-root attribute (each unknown when statx did not
 * say).  The strings point into path. */
void fc_entry_of(struct fc_entry *en, const char *path, const struct tn_statx *st);
/* The selected columns of an entry and its statx fields, in one pass. */
void statxrec_emit_entry(struct out *o, const struct tn_statx *st, const struct fc_entry *en);
/* The context columns alone (before a command's own columns and
 * statxrec_emit). */
void fc_emit_context(struct out *o, const char *path, const struct tn_statx *st);

#endif
