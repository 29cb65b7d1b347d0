/* mountrec.h - the mount record: one column table and one describer shared
 * by lsmount, statmount and the commands that print the mount they made. */
#ifndef TNOS_MOUNTREC_H
#define TNOS_MOUNTREC_H

#include "../core/mount.h"
#include "../emit/emit.h"

enum {
	MC_ID, MC_PARENT, MC_OLD_ID, MC_OLD_PARENT, MC_TARGET, MC_SOURCE, MC_FSTYPE,
	MC_SUBTYPE, MC_ATTR, MC_OPTIONS, MC_OPT_ARRAY, MC_SEC_OPTIONS, MC_PROPAGATION,
	MC_PEER_GROUP, MC_MASTER, MC_PROPAGATE_FROM, MC_ROOT, MC_MAJMIN, MC_MAGIC,
	MC_SB_FLAGS, MC_NS_ID, MC_UIDMAP, MC_GIDMAP, MC_SUPPORTED, MC_MASK,
};

extern const struct tn_col tn_mount_cols[];

/* Every statmount mask bit this build knows. */
#define TN_STATMOUNT_ALL 0x7fffULL

/* Describe one statmount reply: only the fields in sm->mask are emitted. */
void mountrec_emit(struct out *o, const struct tn_statmount *sm);

struct tn_mi;
/* The same record from a mountinfo line, for kernels without listmount or
 * statmount: what mountinfo cannot tell (unique ids, magic, namespace id,
 * idmaps, security options) is marked unavailable. */
void mountrec_emit_mi(struct out *o, const struct tn_mi *m);
/* Emit the mountinfo record of the mount holding path (statx STATX_MNT_ID,
 * the old id).  Returns 0 or an exit code after a message. */
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

/* Print the statmount record of mount id with the shared columns
 * (used by fsmount, setattr, move after they change a mount). */
int mountrec_print(const struct out_opts *oo, uint64_t id);
/* The same with another column table that starts with tn_mount_cols' columns,
 * and extra(o, ctx) adding the rest of the record. */
int mountrec_print_ex(const struct out_opts *oo, const struct tn_col *cols, uint64_t id,
		      void (*extra)(struct out *o, void *ctx), void *ctx);

#endif
