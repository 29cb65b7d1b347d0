/* sys.h - thin wrappers for the syscalls glibc 2.36 lacks.  Each returns the
 * result, or -errno; none prints or exits. */
#ifndef TNOS_SYS_H
#define TNOS_SYS_H

#include "uapi.h"

int sys_listmount(const struct tn_mnt_id_req *req, uint64_t *ids, size_t n, unsigned flags);
int sys_statmount(const struct tn_mnt_id_req *req, struct tn_statmount *buf, size_t size,
		  unsigned flags);
int sys_open_tree(int dfd, const char *path, unsigned flags);
int sys_move_mount(int from_dfd, const char *from, int to_dfd, const char *to, unsigned flags);
int sys_renameat2(int from_dfd, const char *from, int to_dfd, const char *to, unsigned flags);
int sys_fsopen(const char *fstype, unsigned flags);
int sys_fsconfig(int fd, unsigned cmd, const char *key, const void *value, int aux);
int sys_fsmount(int fd, unsigned flags, unsigned attr);
int sys_fspick(int dfd, const char *path, unsigned flags);
int sys_mount_setattr(int dfd, const char *path, unsigned flags, struct mount_attr *attr,
		      size_t size);
int sys_open_tree_attr(int dfd, const char *path, unsigned flags, struct mount_attr *attr,
		       size_t size);	/* -ENOSYS where the headers lack its number */
int sys_pidfd_open(int pid, unsigned flags);
int sys_pidfd_getfd(int pidfd, int fd, unsigned flags);	/* another task's fd, copied;
								 * -ENOSYS where the headers
								 * lack its number */
int sys_openat2(int dfd, const char *path, struct open_how *how, size_t size);
int sys_statx(int dfd, const char *path, int flags, unsigned mask, struct tn_statx *st);
int sys_faccessat2(int dfd, const char *path, int mode, int flags);
/* The credential calls of this task alone, not glibc's wrappers (which
 * change every thread's credentials through a signal to each): for a
 * forked child only (core/access.c).  The 32-bit id versions where the
 * arch has both (i386, arm). */
int sys_setgroups(size_t n, const gid_t *groups);
int sys_setresgid(gid_t r, gid_t e, gid_t s);
int sys_setresuid(uid_t r, uid_t e, uid_t s);

#endif
