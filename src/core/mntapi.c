/* mntapi.c - the new mount API (see mntapi.h). */
#define _GNU_SOURCE
#include "mntapi.h"
#include "mount.h"
#include "sys.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

/* Larger than any message the kernel logs (fs_context.h: at most a few
 * hundred bytes, but a message is lost, with EMSGSIZE, if it does not fit). */
#define TN_FSMSG_BUF 16384

static int msgs_add(struct tn_fsmsgs *m, const char *s, size_t n)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 8;
		char **v = realloc(m->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		m->v = v;
		m->cap = cap;
	}
	char *c = malloc(n + 1);
	if (!c)
		return -ENOMEM;
	memcpy(c, s, n);
	c[n] = 0;
	m->v[m->n++] = c;
	return 0;
}

int tn_fsctx_drain(int fsfd, struct tn_fsmsgs *m)
{
	char *buf = malloc(TN_FSMSG_BUF);
	int added = 0;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n = read(fsfd, buf, TN_FSMSG_BUF);
		if (n < 0) {
			int e = errno;
			if (e == EINTR)
				continue;
			if (e == EMSGSIZE) {	/* that message is gone; go on */
				m->lost++;
				continue;
			}
			free(buf);
			return e == ENODATA ? added : -e;
		}
		if (n == 0)
			break;
		/* drop a trailing newline, if a filesystem logged one */
		while (n > 0 && buf[n - 1] == '\n')
			n--;
		int r = msgs_add(m, buf, (size_t)n);
		if (r < 0) {
			free(buf);
			return r;
		}
		added++;
	}
	free(buf);
	return added;
}

void tn_fsmsgs_free(struct tn_fsmsgs *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i]);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

int tn_fsctx_open(const char *fstype)
{
	return sys_fsopen(fstype, FSOPEN_CLOEXEC);
}

int tn_fsctx_pick(int dfd, const char *path, unsigned flags)
{
	return sys_fspick(dfd, path, flags | FSPICK_CLOEXEC);
}

int tn_fsctx_flag(int fsfd, const char *key)
{
	return sys_fsconfig(fsfd, TN_FSCONFIG_SET_FLAG, key, NULL, 0);
}

int tn_fsctx_string(int fsfd, const char *key, const char *val)
{
	return sys_fsconfig(fsfd, TN_FSCONFIG_SET_STRING, key, val, 0);
}

int tn_fsctx_binary(int fsfd, const char *key, const void *buf, size_t len)
{
	if (len > INT32_MAX)
		return -E2BIG;
	return sys_fsconfig(fsfd, TN_FSCONFIG_SET_BINARY, key, buf, (int)len);
}

int tn_fsctx_path(int fsfd, const char *key, int dfd, const char *path, bool empty)
{
	return sys_fsconfig(fsfd, empty ? TN_FSCONFIG_SET_PATH_EMPTY : TN_FSCONFIG_SET_PATH,
			    key, path, dfd);
}

int tn_fsctx_fd(int fsfd, const char *key, int fd)
{
	return sys_fsconfig(fsfd, TN_FSCONFIG_SET_FD, key, NULL, fd);
}

int tn_fsctx_create(int fsfd, bool exclusive)
{
	return sys_fsconfig(fsfd, exclusive ? TN_FSCONFIG_CMD_CREATE_EXCL : TN_FSCONFIG_CMD_CREATE,
			    NULL, NULL, 0);
}

int tn_fsctx_reconfigure(int fsfd)
{
	return sys_fsconfig(fsfd, TN_FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0);
}

int tn_fsctx_mount(int fsfd, unsigned attr)
{
	return sys_fsmount(fsfd, FSMOUNT_CLOEXEC, attr);
}

int tn_tree_clone(int dfd, const char *path, bool recursive, unsigned atflags)
{
	return sys_open_tree(dfd, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
			     (recursive ? AT_RECURSIVE : 0) | atflags);
}

int tn_tree_open(int dfd, const char *path, unsigned atflags)
{
	return sys_open_tree(dfd, path, OPEN_TREE_CLOEXEC | atflags);
}

int tn_tree_attach(int mntfd, int to_dfd, const char *to, unsigned flags)
{
	return sys_move_mount(mntfd, "", to_dfd, to, MOVE_MOUNT_F_EMPTY_PATH | flags);
}

int tn_move_mount(int from_dfd, const char *from, int to_dfd, const char *to, unsigned flags)
{
	return sys_move_mount(from_dfd, from, to_dfd, to, flags);
}

void tn_mount_change_attrs(const struct tn_mnt_change *c, uint64_t *set, uint64_t *clr)
{
	uint64_t s = c->set, k = c->clr;
	/* An atime value is set by clearing the whole field first: the kernel
	 * insists on MOUNT_ATTR__ATIME in attr_clr (relatime is 0). */
	if (c->fields & MOUNT_ATTR__ATIME)
		k |= MOUNT_ATTR__ATIME;
	/* Other enum fields (rw/ro): a zero value is a clear of its bits. */
	k |= c->fields & ~(uint64_t)MOUNT_ATTR__ATIME & ~s;
	*set = s;
	*clr = k;
}

static void change_to_attr(const struct tn_mnt_change *c, struct mount_attr *a)
{
	uint64_t set, clr;
	memset(a, 0, sizeof(*a));
	tn_mount_change_attrs(c, &set, &clr);
	a->attr_set = set;
	a->attr_clr = clr;
	a->propagation = c->propagation;
	if (set & MOUNT_ATTR_IDMAP)
		a->userns_fd = (uint64_t)c->userns_fd;
}

int tn_mount_change(int dfd, const char *path, unsigned atflags, const struct tn_mnt_change *c)
{
	struct mount_attr a;
	change_to_attr(c, &a);
	return sys_mount_setattr(dfd, path, atflags, &a, sizeof(a));
}

int tn_tree_clone_attr(int dfd, const char *path, bool recursive, unsigned atflags,
		       const struct tn_mnt_change *c, const char **step)
{
	struct mount_attr a;
	unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0) | atflags;
	change_to_attr(c, &a);
	*step = "open_tree_attr";
	int fd = sys_open_tree_attr(dfd, path, flags, &a, sizeof(a));
	if (fd != -ENOSYS)
		return fd;
	/* before Linux 6.15: the copy, then its attributes */
	*step = "open_tree";
	fd = tn_tree_clone(dfd, path, recursive, atflags);
	if (fd < 0)
		return fd;
	*step = "mount_setattr";
	int r = sys_mount_setattr(fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &a, sizeof(a));
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

int tn_userns_open(const char *spec)
{
	int fd = tn_ns_open(spec, "user");
	if (fd < 0)
		return fd;
	int t = ioctl(fd, NS_GET_NSTYPE);
	if (t != CLONE_NEWUSER) {
		int e = t < 0 && errno != ENOTTY ? errno : EINVAL;
		close(fd);
		return -e;
	}
	return fd;
}

bool tn_kernel_before(unsigned major, unsigned minor)
{
	struct utsname u;
	unsigned a = 0, b = 0;
	if (uname(&u) < 0 || sscanf(u.release, "%u.%u", &a, &b) != 2)
		return false;
	return a < major || (a == major && b < minor);
}
