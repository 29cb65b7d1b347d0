/* xattr.h - extended attributes of an fd opened with O_PATH (a symlink
 * included), and the namespaces by name.  Nothing here prints or exits;
 * errors are -errno. */
#ifndef TNOS_XATTR_H
#define TNOS_XATTR_H

#include <stddef.h>
#include <stdint.h>

/* The kernel's limits (include/uapi/linux/limits.h). */
#define TN_XATTR_NAME_MAX 255
#define TN_XATTR_SIZE_MAX 65536
#define TN_XATTR_LIST_MAX 65536

/* The four namespaces the VFS knows (include/uapi/linux/xattr.h), as bits
 * for tn_xattr_ns_names; 0 for any other prefix. */
enum { TN_XNS_USER = 1, TN_XNS_TRUSTED = 2, TN_XNS_SECURITY = 4, TN_XNS_SYSTEM = 8 };
/* The namespace of an attribute name ("user.x" -> TN_XNS_USER): the part
 * before the first dot, which must be followed by at least one byte. */
unsigned tn_xattr_ns(const char *name);

/* Every call takes an fd of any kind, O_PATH included, and reaches exactly
 * that inode, never a file a path leads to now: the f*xattr calls and the
 * *xattrat calls with AT_EMPTY_PATH refuse O_PATH fds (EBADF, Linux 6.18),
 * so they go through the fd's /proc/self/fd/N magic link, which lands on
 * the open file itself (a symlink stays the symlink).  Without /proc that
 * link is missing: -ENOENT from tn_xattr_proc_missing() tells. */

/* The names, NUL-terminated and laid end to end, malloc'd into *buf with
 * their total length in *len (0: none).  0 or -errno. */
int tn_xattr_list(int fd, char **buf, size_t *len);
/* One value, malloc'd (never NULL on success, even when empty).  0 or
 * -errno (-ENODATA: no such attribute). */
int tn_xattr_get(int fd, const char *name, char **val, size_t *len);
/* setxattr flags: 0, XATTR_CREATE or XATTR_REPLACE.  0 or -errno. */
int tn_xattr_set(int fd, const char *name, const void *val, size_t len, int flags);
int tn_xattr_remove(int fd, const char *name);
/* Whether /proc/self/fd is missing (not mounted): what an -ENOENT from the
 * calls above then means. */
int tn_xattr_proc_missing(void);

#endif
