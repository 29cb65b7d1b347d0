/* mount_record.h - the mount record: one column table and one describer shared
 * by lsmount, statmount and the commands that print the mount they made. */
#ifndef TNOS_MOUNT_RECORD_H
#define TNOS_MOUNT_RECORD_H

#include "../../core/mount.h"
#include "../../emit/emit.h"

enum {
	MC_ID, MC_PARENT, MC_OLD_ID, MC_OLD_PARENT, MC_TARGET, MC_SOURCE, MC_FSTYPE,
	MC_SUBTYPE, MC_ATTR, MC_OPTIONS, MC_VFS_OPTIONS, MC_FS_OPTIONS, MC_OPT_ARRAY,
	MC_SEC_OPTIONS, MC_PROPAGATION, MC_PEER_GROUP, MC_MASTER, MC_PROPAGATE_FROM,
	MC_OPT_FIELDS, MC_ROOT, MC_MAJMIN, MC_MAGIC,
	MC_SB_FLAGS, MC_NS_ID, MC_UIDMAP, MC_GIDMAP, MC_SUPPORTED, MC_MASK, MC_NCOLS
};

/* The mount columns' initializers, for tables that add their own after
 * them from MC_NCOLS on (fsmount). */
#define MC_COLS_INIT \
	[MC_ID] = { "ID", "mnt_id", T_U64, TN_RIGHT, "unique mount id", NULL, STATMOUNT_MNT_BASIC }, \
	[MC_PARENT] = { "PARENT", "mnt_parent_id", T_U64, TN_RIGHT, "unique id of the parent mount", NULL, STATMOUNT_MNT_BASIC }, \
	[MC_OLD_ID] = { "OLD-ID", "mnt_id_old", T_U64, TN_RIGHT, "mount id as in mountinfo", NULL, STATMOUNT_MNT_BASIC }, \
	[MC_OLD_PARENT] = { "OLD-PARENT", "mnt_parent_id_old", T_U64, TN_RIGHT, "parent id as in mountinfo", NULL, STATMOUNT_MNT_BASIC }, \
	[MC_TARGET] = { "TARGET", "mnt_point", T_STR, TN_TREE | TN_DEFAULT, "mount point", NULL, STATMOUNT_MNT_POINT }, \
	[MC_SOURCE] = { "SOURCE", "sb_source", T_STR, TN_DEFAULT, "mount source (device, server:path, name)", NULL, STATMOUNT_SB_SOURCE }, \
	[MC_FSTYPE] = { "FSTYPE", "fs_type", T_STR, TN_DEFAULT, "filesystem type", NULL, STATMOUNT_FS_TYPE }, \
	[MC_SUBTYPE] = { "SUBTYPE", "fs_subtype", T_STR, 0, "filesystem subtype (fuse.*)", NULL, STATMOUNT_FS_SUBTYPE }, \
	[MC_ATTR] = { "ATTR", "mnt_attr", T_FLAGS, 0, "per-mount attributes (mount_setattr names)", tn_mount_attr_names, STATMOUNT_MNT_BASIC }, \
	[MC_OPTIONS] = { "OPTIONS", "options", T_STR, TN_DEFAULT, "all mount options, VFS and filesystem (as findmnt)", NULL, STATMOUNT_MNT_BASIC | STATMOUNT_SB_BASIC | STATMOUNT_MNT_OPTS }, \
	[MC_VFS_OPTIONS] = { "VFS-OPTIONS", "vfs_options", T_STR, 0, "per-mount options, as mountinfo shows them", NULL, STATMOUNT_MNT_BASIC }, \
	[MC_FS_OPTIONS] = { "FS-OPTIONS", "mnt_opts", T_STR, 0, "superblock options, rw or ro first (mountinfo's, decoded as findmnt)", NULL, STATMOUNT_SB_BASIC | STATMOUNT_MNT_OPTS }, \
	[MC_OPT_ARRAY] = { "OPT-ARRAY", "opt_array", T_STRV, 0, "filesystem options, one by one", NULL, STATMOUNT_OPT_ARRAY }, \
	[MC_SEC_OPTIONS] = { "SEC-OPTIONS", "opt_sec_array", T_STRV, 0, "security (LSM) options", NULL, STATMOUNT_OPT_SEC_ARRAY }, \
	[MC_PROPAGATION] = { "PROPAGATION", "mnt_propagation", T_FLAGS, 0, "shared, slave, private, unbindable", tn_propagation_names, STATMOUNT_MNT_BASIC }, \
	[MC_PEER_GROUP] = { "PEER-GROUP", "mnt_peer_group", T_U64, TN_RIGHT, "peer group id (shared:N), 0 if none", NULL, STATMOUNT_MNT_BASIC }, \
	[MC_MASTER] = { "MASTER", "mnt_master", T_U64, TN_RIGHT, "peer group it receives from (master:N), 0 if none", NULL, STATMOUNT_MNT_BASIC }, \
	[MC_PROPAGATE_FROM] = { "PROPAGATE-FROM", "propagate_from", T_U64, TN_RIGHT, "nearest dominating peer group (propagate_from:N)", NULL, STATMOUNT_PROPAGATE_FROM }, \
	[MC_OPT_FIELDS] = { "OPT-FIELDS", "opt_fields", T_STR, 0, "mountinfo's optional fields (shared:N master:N ...)", NULL, STATMOUNT_MNT_BASIC | STATMOUNT_PROPAGATE_FROM }, \
	[MC_ROOT] = { "ROOT", "mnt_root", T_STR, 0, "root of the mount within its filesystem", NULL, STATMOUNT_MNT_ROOT }, \
	[MC_MAJMIN] = { "MAJ:MIN", "sb_dev", T_DEV, TN_RIGHT, "device of the filesystem (JSON: sb_dev_major, sb_dev_minor)", NULL, STATMOUNT_SB_BASIC }, \
	[MC_MAGIC] = { "MAGIC", "sb_magic", T_HEX, 0, "filesystem magic number, named when known", NULL, STATMOUNT_SB_BASIC }, \
	[MC_SB_FLAGS] = { "SB-FLAGS", "sb_flags", T_FLAGS, 0, "superblock flags", tn_sb_flag_names, STATMOUNT_SB_BASIC }, \
	[MC_NS_ID] = { "NS-ID", "mnt_ns_id", T_U64, TN_RIGHT, "mount namespace id", NULL, STATMOUNT_MNT_NS_ID }, \
	[MC_UIDMAP] = { "UIDMAP", "mnt_uidmap", T_STRV, 0, "uid mappings of an idmapped mount", NULL, STATMOUNT_MNT_UIDMAP }, \
	[MC_GIDMAP] = { "GIDMAP", "mnt_gidmap", T_STRV, 0, "gid mappings of an idmapped mount", NULL, STATMOUNT_MNT_GIDMAP }, \
	[MC_SUPPORTED] = { "SUPPORTED-MASK", "supported_mask", T_FLAGS, 0, "statmount fields this kernel supports", tn_statmount_mask_names, STATMOUNT_SUPPORTED_MASK }, \
	[MC_MASK] = { "MASK", "mask", T_FLAGS, 0, "statmount fields returned", tn_statmount_mask_names, 0 },

extern const struct tn_col tn_mount_cols[];

/* Every statmount mask bit this build knows. */
#define TN_STATMOUNT_ALL 0x7fffULL

/* Describe one statmount reply: only the fields in sm->mask are emitted. */
void mountrec_emit(struct out *o, const struct tn_statmount *sm);
/* The same for a reply to the mask asked (the kernel leaves an empty string
 * out of its reply, mask bit and all: an asked string that is not there is
 * empty).  mountrec_emit assumes every field was asked for. */
void mountrec_emit_asked(struct out *o, const struct tn_statmount *sm, uint64_t asked);

/* mountinfo's words for a mount, appended to b.  VFS options (field 6):
 * rw or ro, then the per-mount flags in the kernel's order. */
void mountrec_vfs_opts(struct sbuf *b, uint64_t attr);
/* Super options (the last field): rw or ro, the superblock flag words, then
 * the filesystem's own options (sm needs SB_BASIC; MNT_OPTS when there). */
void mountrec_fs_opts(struct sbuf *b, const struct tn_statmount *sm);
/* The optional fields (shared:N master:N propagate_from:N unbindable),
 * space-separated, without a leading space (sm needs MNT_BASIC). */
void mountrec_opt_fields(struct sbuf *b, const struct tn_statmount *sm);
/* findmnt's OPTIONS: VFS and super options merged as libmount merges them
 * (one rw or ro first, ro if either side is ro). */
void mountrec_merge_opts(struct sbuf *b, const char *vfs, const char *fs);
/* What a mountinfo line needs from statmount. */
#define MOUNTREC_MOUNTINFO_MASK \
	(STATMOUNT_SB_BASIC | STATMOUNT_MNT_BASIC | STATMOUNT_PROPAGATE_FROM | STATMOUNT_FS_TYPE | \
	 STATMOUNT_MNT_ROOT | STATMOUNT_MNT_POINT | STATMOUNT_MNT_OPTS | STATMOUNT_FS_SUBTYPE | \
	 STATMOUNT_SB_SOURCE)
/* The /proc/PID/mountinfo line of the mount sm, '\n' included, appended to
 * b: what the kernel writes there, byte for byte (its octal escapes of space,
 * tab, newline and backslash included). */
void mountrec_mountinfo_line(struct sbuf *b, const struct tn_statmount *sm);

struct tn_mi;
/* The same record from a mountinfo line, for kernels without listmount or
 * statmount: what mountinfo cannot tell (unique ids, magic, namespace id,
 * idmaps, security options) is marked unavailable. */
void mountrec_emit_mi(struct out *o, const struct tn_mi *m);
/* Emit the mountinfo record of the mount holding path (statx STATX_MNT_ID,
 * the old id).  Returns 0 or an exit code after a message. */
/* The old (mountinfo) id of the mount at path, for the mountinfo fallback:
 * 0, or an exit code (said: '' refused, no STATX_MNT_ID, statx failed). */
int mountrec_old_id(const char *path, uint32_t *id);
int mountrec_emit_path_mi(struct out *o, const char *path);
/* Columns mountinfo cannot fill, for the one-line notice. */
extern const char tn_mi_unavailable[];

/* statmount for a command: reports errors itself (naming the id), drops
 * mask bits an older kernel lacks unless strict.  Returns 0 or an exit code. */
int mountrec_stat(struct tn_smbuf *b, uint64_t id, uint64_t ns_id, uint64_t mask,
		  bool strict, const char *label);

/* Resolve "ID" or "PATH" to a unique mount id; reports errors itself.
 * Returns 0 or an exit code. */
int mountrec_resolve(const char *arg, uint64_t *id);
/* The value of an option that takes a mount id only (--mount-id and the
 * like): a path there is refused, never taken for the mount that holds it.
 * Returns 0 or an exit code (said). */
int mountrec_id_opt(const char *opt, const char *arg, uint64_t *id);

/* Commands that change a mount are quiet on success, as mount(8) is: the
 * record is printed when asked for, by -v (--verbose) or by an output form
 * (-o/--output, -J, --ndjson, -P).  The -v row of their option tables: */
#define MOUNTREC_VERBOSE_OPT(help) { 'v', "verbose", NULL, help, TC_NONE, NULL, 0, NULL }
bool mountrec_asked(const struct out_opts *oo, bool verbose);

/* Print the statmount record of mount id with the shared columns
 * (used by fsmount, setattr, move after they change a mount). */
int mountrec_print(const struct out_opts *oo, uint64_t id);
/* The same for a mount that may be detached (made by open_tree or fsmount
 * and attached nowhere), which no namespace lists and statmount cannot find
 * by id: fd is on mount id, and the record is read through it
 * (STATMOUNT_BY_FD, Linux 7.0).  MOUNTREC_UNREADABLE, with nothing printed
 * or said, when the mount is not in this namespace and statmount through fd
 * failed too, with *fd_err = its errno (EINVAL: a kernel before 7.0). */
#define MOUNTREC_UNREADABLE (-1)
int mountrec_print_fd(const struct out_opts *oo, uint64_t id, int fd, int *fd_err);
/* The same with another column table that starts with tn_mount_cols' columns,
 * and extra(o, ctx) adding the rest of the record. */
int mountrec_print_ex(const struct out_opts *oo, const struct tn_col *cols, uint64_t id,
		      void (*extra)(struct out *o, void *ctx), void *ctx);

#endif
