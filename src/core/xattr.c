/* xattr.c - extended attributes of an open fd through its /proc magic link
 * (see xattr.h). */
#define _GNU_SOURCE
#include "xattr.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

unsigned tn_xattr_ns(const char *name)
{
	static const struct { const char *p; unsigned ns; } tab[] = {
		{ "user.", TN_XNS_USER }, { "trusted.", TN_XNS_TRUSTED },
		{ "security.", TN_XNS_SECURITY }, { "system.", TN_XNS_SYSTEM },
	};
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		size_t n = strlen(tab[i].p);
		if (!strncmp(name, tab[i].p, n) && name[n])
			return tab[i].ns;
	}
	return 0;
}

static void proc_link(int fd, char *buf, size_t n)
{
	snprintf(buf, n, "/proc/self/fd/%d", fd);
}

int tn_xattr_proc_missing(void)
{
	struct stat st;
	return stat("/proc/self/fd", &st) < 0;
}

/* getxattr(name) or, for a NULL name, listxattr of the fd's inode. */
static ssize_t xattr_call(const char *link, const char *name, void *b, size_t n)
{
	return name ? getxattr(link, name, b, n) : listxattr(link, b, n);
}

/* The whole value (or name list) into *buf, malloc'd: its size first, then
 * one byte more than that, so a value that grew in between fits or gets
 * ERANGE, which asks again.  0 or -errno. */
static int xattr_fetch(int fd, const char *name, char **buf, size_t *len)
{
	char link[64];
	proc_link(fd, link, sizeof(link));
	for (int tries = 0; tries < 8; tries++) {
		ssize_t n = xattr_call(link, name, NULL, 0);
		if (n < 0)
			return -errno;
		size_t cap = (size_t)n + 1;
		char *b = malloc(cap);
		if (!b)
			return -ENOMEM;
		n = xattr_call(link, name, b, cap);
		if (n >= 0) {
			*buf = b;
			*len = (size_t)n;
			return 0;
		}
		int e = errno;
		free(b);
		if (e != ERANGE)
			return -e;
	}
	return -ERANGE;
}

int tn_xattr_list(int fd, char **buf, size_t *len)
{
	return xattr_fetch(fd, NULL, buf, len);
}

int tn_xattr_get(int fd, const char *name, char **val, size_t *len)
{
	return xattr_fetch(fd, name, val, len);
}

int tn_xattr_set(int fd, const char *name, const void *val, size_t len, int flags)
{
	char link[64];
	proc_link(fd, link, sizeof(link));
	return setxattr(link, name, val, len, flags) < 0 ? -errno : 0;
}

int tn_xattr_remove(int fd, const char *name)
{
	char link[64];
	proc_link(fd, link, sizeof(link));
	return removexattr(link, name) < 0 ? -errno : 0;
}
