/* ns.c - namespaces (see ns.h). */
#define _GNU_SOURCE
#include "ns.h"
#include "sys.h"
#include "uapi.h"

#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>

/* A decimal PID, else -1. */
static long spec_pid(const char *spec)
{
	if (*spec < '0' || *spec > '9')
		return -1;
	errno = 0;
	char *end;
	unsigned long long pid = strtoull(spec, &end, 10);
	return errno || *end || pid > 0x7fffffff ? -1 : (long)pid;
}

/* The namespace of a PID through its pidfd: an fd, -ENOSYS when this
 * kernel cannot (the caller falls back to /proc), or -errno. */
static int ns_by_pidfd(long pid, const char *type)
{
	unsigned long req = !strcmp(type, "mnt") ? PIDFD_GET_MNT_NAMESPACE :
			    !strcmp(type, "user") ? PIDFD_GET_USER_NAMESPACE : 0;
	if (!req)
		return -ENOSYS;
	int pfd = sys_pidfd_open((int)pid, 0);
	if (pfd < 0)
		return pfd == -ESRCH ? -ENOENT : pfd;
	int fd = ioctl(pfd, req, 0);
	int e = errno;
	close(pfd);
	if (fd >= 0)
		return fd;
	if (e == ENOTTY || e == EINVAL)
		return -ENOSYS;		/* before Linux 6.11 */
	return e == ESRCH ? -ENOENT : -e;
}

int tn_ns_open_via(const char *spec, const char *type, bool *via_pidfd)
{
	char path[64];
	const char *p = spec;
	long pid = spec_pid(spec);

	if (via_pidfd)
		*via_pidfd = false;
	if (pid >= 0) {
		int fd = ns_by_pidfd(pid, type);
		if (fd != -ENOSYS) {
			if (via_pidfd)
				*via_pidfd = fd >= 0;
			return fd;
		}
		snprintf(path, sizeof(path), "/proc/%ld/ns/%s", pid, type);
		p = path;
	}
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int tn_ns_open(const char *spec, const char *type)
{
	return tn_ns_open_via(spec, type, NULL);
}

int tn_mntns_id(const char *spec, uint64_t *id)
{
	int fd = tn_ns_open(spec, "mnt");
	if (fd < 0)
		return fd;
	int r = ioctl(fd, NS_GET_MNTNS_ID, id);
	int e = errno;
	close(fd);
	if (r < 0)
		return e == ENOTTY ? -EINVAL : -e;
	return 0;
}

/* ---- every mount namespace */

static int add_ns(struct tn_mntns **v, size_t *n, size_t *cap, int fd,
		  const struct mnt_ns_info *info)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (*n == *cap) {
		size_t c = *cap ? 2 * *cap : 16;
		struct tn_mntns *t = realloc(*v, c * sizeof(**v));
		if (!t)
			return -ENOMEM;
		*v = t;
		*cap = c;
	}
	struct tn_mntns *m = &(*v)[(*n)++];
	memset(m, 0, sizeof(*m));
	m->id = info->mnt_ns_id;
	m->nr_mounts = info->nr_mounts;
	m->ino = st.st_ino;
	m->dev = st.st_dev;
	return 0;
}

/* Walk from fd (not closed) one way, adding each namespace.  The kernel
 * answers EPERM for a next namespace the caller has no CAP_SYS_ADMIN over
 * (a user namespace's root, next to the host's): the walk that way ends
 * there, since only that namespace's fd could lead past it. */
static int walk(int fd, unsigned long req, struct tn_mntns **v, size_t *n, size_t *cap)
{
	int cur = fd, r = 0;
	for (;;) {
		struct mnt_ns_info info = { .size = sizeof(info) };
		int next = ioctl(cur, req, &info);
		int e = errno;
		if (cur != fd)
			close(cur);
		if (next < 0) {
			r = e == ENOENT || e == EPERM ? 0 : -e;
			break;
		}
		cur = next;
		if ((r = add_ns(v, n, cap, cur, &info))) {
			close(cur);
			break;
		}
	}
	return r;
}

static int by_id(const void *a, const void *b)
{
	const struct tn_mntns *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

int tn_mntns_all(struct tn_mntns **v, size_t *n)
{
	size_t cap = 0;
	*v = NULL;
	*n = 0;
	int fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct mnt_ns_info info = { .size = sizeof(info) };
	int r = ioctl(fd, NS_MNT_GET_INFO, &info) < 0 ? -errno : 0;
	if (!r)
		r = add_ns(v, n, &cap, fd, &info);
	if (!r)
		r = walk(fd, NS_MNT_GET_PREV, v, n, &cap);
	if (!r)
		r = walk(fd, NS_MNT_GET_NEXT, v, n, &cap);
	close(fd);
	if (r) {
		free(*v);
		*v = NULL;
		*n = 0;
		return r;
	}
	qsort(*v, *n, sizeof(**v), by_id);
	return 0;
}

int tn_mntns_procs(struct tn_mntns *v, size_t n)
{
	DIR *d = opendir("/proc");
	if (!d)
		return -errno;
	struct dirent *de;
	while ((de = readdir(d))) {
		long pid = spec_pid(de->d_name);
		if (pid <= 0)
			continue;
		char path[64];
		struct stat st;
		snprintf(path, sizeof(path), "/proc/%ld/ns/mnt", pid);
		if (stat(path, &st) < 0)
			continue;	/* gone, or a kernel thread we cannot see into */
		for (size_t i = 0; i < n; i++) {
			if (v[i].ino != st.st_ino || v[i].dev != st.st_dev)
				continue;
			v[i].nprocs++;
			if (!v[i].pid || pid < v[i].pid) {
				v[i].pid = (int)pid;
				v[i].comm[0] = 0;
				snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
				int fd = open(path, O_RDONLY | O_CLOEXEC);
				if (fd >= 0) {
					ssize_t k = read(fd, v[i].comm, sizeof(v[i].comm) - 1);
					close(fd);
					if (k < 0)
						k = 0;
					if (k && v[i].comm[k - 1] == '\n')
						k--;
					v[i].comm[k] = 0;
				}
			}
			break;
		}
	}
	closedir(d);
	return 0;
}

/* ---- a user namespace from an id map */

/* One map file of the child: "from to count" lines. */
static int write_map(int pid, const char *file, const struct tn_idrange *r, size_t n, bool uid)
{
	size_t cap = 64 + n * 40, len = 0;
	char *buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (uid ? r[i].uid : r[i].gid)
			len += (size_t)snprintf(buf + len, cap - len, "%u %u %u\n",
						r[i].from, r[i].to, r[i].count);
	int e = 0;
	if (len) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
		int fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			e = -errno;
		else {
			if (write(fd, buf, len) != (ssize_t)len)
				e = -errno;
			close(fd);
		}
	}
	free(buf);
	return e;
}

int tn_userns_from_map(const struct tn_idrange *r, size_t n)
{
	int ready[2];
	if (pipe2(ready, O_CLOEXEC) < 0)
		return -errno;
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		int e = -errno;
		close(ready[0]);
		close(ready[1]);
		return e;
	}
	if (pid == 0) {
		/* the child: a new user namespace, then wait to be killed (also
		 * when the parent dies first) */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			kill(getpid(), SIGKILL);
		char c = unshare(CLONE_NEWUSER) < 0 ? (char)errno : 0;
		close(ready[0]);
		(void)!write(ready[1], &c, 1);
		close(ready[1]);
		for (;;)
			pause();
	}
	close(ready[1]);
	char c = 0;
	int fd = -1, e = 0;
	ssize_t k;
	while ((k = read(ready[0], &c, 1)) < 0 && errno == EINTR)
		;
	close(ready[0]);
	if (k != 1)
		e = -ECHILD;
	else if (c)
		e = -c;
	if (!e)
		e = write_map(pid, "uid_map", r, n, true);
	if (!e) {
		e = write_map(pid, "gid_map", r, n, false);
		if (e == -EPERM) {
			/* without CAP_SETGID over us, gid_map needs setgroups deny */
			char path[64];
			snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
			int s = open(path, O_WRONLY | O_CLOEXEC);
			if (s >= 0) {
				if (write(s, "deny", 4) == 4)
					e = write_map(pid, "gid_map", r, n, false);
				close(s);
			}
		}
	}
	if (!e) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			e = -errno;
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return e ? e : fd;
}

int tn_mntns_enter(const char *spec)
{
	int fd = tn_ns_open(spec, "mnt");
	if (fd < 0)
		return fd;
	int r = setns(fd, CLONE_NEWNS);
	int e = errno;
	close(fd);
	return r < 0 ? -e : 0;
}
