/* mntapi.h - the new mount API: filesystem contexts and their message log,
 * detached trees, mount attribute changes, user namespace fds.  Every
 * function returns a result or -errno; none prints or exits. */
#ifndef TNOS_MNTAPI_H
#define TNOS_MNTAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The fs context's messages, in the order the kernel logged them.  Each is
 * the text read(2) returned: "e TEXT", "w TEXT" or "i TEXT". */
struct tn_fsmsgs {
	char **v;
	size_t n, cap;
	size_t lost;		/* messages too long for the buffer (EMSGSIZE) */
};

/* read(2) the context fd until ENODATA, appending to m.  The kernel keeps
 * only the last 8 messages, so drain after every call on the context.
 * Returns how many were added, or -errno. */
int tn_fsctx_drain(int fsfd, struct tn_fsmsgs *m);
void tn_fsmsgs_free(struct tn_fsmsgs *m);

int tn_fsctx_open(const char *fstype);			/* fsopen, FSOPEN_CLOEXEC */
int tn_fsctx_pick(int dfd, const char *path, unsigned flags);	/* fspick, CLOEXEC added */
int tn_fsctx_flag(int fsfd, const char *key);		/* FSCONFIG_SET_FLAG */
int tn_fsctx_string(int fsfd, const char *key, const char *val);	/* SET_STRING */
int tn_fsctx_binary(int fsfd, const char *key, const void *buf, size_t len);	/* SET_BINARY */
/* SET_PATH (path relative to dfd), or SET_PATH_EMPTY with empty: path may
 * be "" to name dfd itself. */
int tn_fsctx_path(int fsfd, const char *key, int dfd, const char *path, bool empty);
int tn_fsctx_fd(int fsfd, const char *key, int fd);	/* SET_FD */
int tn_fsctx_create(int fsfd, bool exclusive);		/* CMD_CREATE / CMD_CREATE_EXCL */
int tn_fsctx_reconfigure(int fsfd);			/* CMD_RECONFIGURE */
int tn_fsctx_mount(int fsfd, unsigned attr);		/* fsmount, FSMOUNT_CLOEXEC */

/* open_tree(OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC [| AT_RECURSIVE]): a
 * detached copy of the mount (tree) at dfd/path. */
int tn_tree_clone(int dfd, const char *path, bool recursive, unsigned atflags);
/* open_tree(OPEN_TREE_CLOEXEC): an O_PATH fd on dfd/path, found as
 * mount_setattr and move_mount find it (AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW,
 * AT_NO_AUTOMOUNT); no copy, no privilege needed. */
int tn_tree_open(int dfd, const char *path, unsigned atflags);
/* Attach a detached mount: move_mount(mntfd, "", to_dfd, to,
 * MOVE_MOUNT_F_EMPTY_PATH | flags). */
int tn_tree_attach(int mntfd, int to_dfd, const char *to, unsigned flags);
/* move_mount(2) as given: MOVE_MOUNT_* flags, nothing added. */
int tn_move_mount(int from_dfd, const char *from, int to_dfd, const char *to, unsigned flags);

/* A mount_setattr(2) request.  fields: the enum fields (MOUNT_ATTR__ATIME,
 * MOUNT_ATTR_RDONLY) whose value is given in set: the kernel wants the atime
 * field in attr_clr whenever an atime value is set, and "rw" is a clear of
 * the read-only bit; tn_mount_change does both. */
struct tn_mnt_change {
	uint64_t set, clr, fields;
	uint64_t propagation;	/* MS_SHARED, ... or 0 */
	int userns_fd;		/* with MOUNT_ATTR_IDMAP in set, else -1 */
};
/* The attr_set/attr_clr the kernel will get. */
void tn_mount_change_attrs(const struct tn_mnt_change *c, uint64_t *set, uint64_t *clr);
int tn_mount_change(int dfd, const char *path, unsigned atflags, const struct tn_mnt_change *c);

/* A detached copy of the mount (tree) at dfd/path with the attributes of c
 * applied (to every mount of it when recursive).  open_tree_attr(2) does both
 * in one call (Linux 6.15); a kernel without it gets open_tree +
 * mount_setattr, and *step says which failed on an error: "open_tree_attr",
 * "open_tree" or "mount_setattr".  An fd or -errno. */
int tn_tree_clone_attr(int dfd, const char *path, bool recursive, unsigned atflags,
		       const struct tn_mnt_change *c, const char **step);

/* An fd for a user namespace: a PID (its /proc/PID/ns/user) or an nsfs path
 * such as /proc/PID/ns/user.  -EINVAL: the file is not a user namespace. */
int tn_userns_open(const char *spec);

/* True if the running kernel is older than major.minor. */
bool tn_kernel_before(unsigned major, unsigned minor);

#endif
