/* sys.c - syscall wrappers returning -errno. */
#define _GNU_SOURCE
#include "sys.h"

#include <errno.h>

static int ret(long r)
{
	return r < 0 ? -errno : (int)r;
}

int sys_listmount(const struct tn_mnt_id_req *req, uint64_t *ids, size_t n, unsigned flags)
{
	return ret(syscall(__NR_listmount, req, ids, n, flags));
}

int sys_statmount(const struct tn_mnt_id_req *req, struct tn_statmount *buf, size_t size,
		  unsigned flags)
{
	return ret(syscall(__NR_statmount, req, buf, size, flags));
}

int sys_open_tree(int dfd, const char *path, unsigned flags)
{
	return ret(syscall(__NR_open_tree, dfd, path, flags));
}

int sys_open_tree_attr(int dfd, const char *path, unsigned flags, struct mount_attr *attr,
		       size_t size)
{
#ifdef __NR_open_tree_attr
	return ret(syscall(__NR_open_tree_attr, dfd, path, flags, attr, size));
#else
	(void)dfd, (void)path, (void)flags, (void)attr, (void)size;
	return -ENOSYS;
#endif
}

int sys_pidfd_open(int pid, unsigned flags)
{
	return ret(syscall(__NR_pidfd_open, pid, flags));
}

int sys_pidfd_getfd(int pidfd, int fd, unsigned flags)
{
#ifdef __NR_pidfd_getfd
	return ret(syscall(__NR_pidfd_getfd, pidfd, fd, flags));
#else
	(void)pidfd, (void)fd, (void)flags;
	return -ENOSYS;
#endif
}

int sys_move_mount(int from_dfd, const char *from, int to_dfd, const char *to, unsigned flags)
{
	return ret(syscall(__NR_move_mount, from_dfd, from, to_dfd, to, flags));
}

int sys_renameat2(int from_dfd, const char *from, int to_dfd, const char *to, unsigned flags)
{
	return ret(syscall(__NR_renameat2, from_dfd, from, to_dfd, to, flags));
}

int sys_fsopen(const char *fstype, unsigned flags)
{
	return ret(syscall(__NR_fsopen, fstype, flags));
}

int sys_fsconfig(int fd, unsigned cmd, const char *key, const void *value, int aux)
{
	return ret(syscall(__NR_fsconfig, fd, cmd, key, value, aux));
}

int sys_fsmount(int fd, unsigned flags, unsigned attr)
{
	return ret(syscall(__NR_fsmount, fd, flags, attr));
}

int sys_fspick(int dfd, const char *path, unsigned flags)
{
	return ret(syscall(__NR_fspick, dfd, path, flags));
}

int sys_mount_setattr(int dfd, const char *path, unsigned flags, struct mount_attr *attr,
		      size_t size)
{
	return ret(syscall(__NR_mount_setattr, dfd, path, flags, attr, size));
}

int sys_openat2(int dfd, const char *path, struct open_how *how, size_t size)
{
	return ret(syscall(__NR_openat2, dfd, path, how, size));
}

int sys_statx(int dfd, const char *path, int flags, unsigned mask, struct tn_statx *st)
{
	return ret(syscall(__NR_statx, dfd, path, flags, mask, st));
}

int sys_faccessat2(int dfd, const char *path, int mode, int flags)
{
	return ret(syscall(__NR_faccessat2, dfd, path, mode, flags));
}

#ifdef __NR_setgroups32
#define TN_NR_SETGROUPS __NR_setgroups32
#define TN_NR_SETRESGID __NR_setresgid32
#define TN_NR_SETRESUID __NR_setresuid32
#else
#define TN_NR_SETGROUPS __NR_setgroups
#define TN_NR_SETRESGID __NR_setresgid
#define TN_NR_SETRESUID __NR_setresuid
#endif

int sys_setgroups(size_t n, const gid_t *groups)
{
	return ret(syscall(TN_NR_SETGROUPS, n, groups));
}

int sys_setresgid(gid_t r, gid_t e, gid_t s)
{
	return ret(syscall(TN_NR_SETRESGID, r, e, s));
}

int sys_setresuid(uid_t r, uid_t e, uid_t s)
{
	return ret(syscall(TN_NR_SETRESUID, r, e, s));
}
