/* access.c - probes under other credentials (see access.h). */
#define _GNU_SOURCE
#include "access.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int probe(const struct tn_access_probe *p)
{
	struct open_how how;
	memset(&how, 0, sizeof(how));
	how.flags = O_PATH | O_CLOEXEC | (p->dir ? O_DIRECTORY : 0);
	how.resolve = p->resolve;
	int fd = sys_openat2(p->dfd, p->path, &how, sizeof(how));
	if (fd < 0)
		return -fd;
	int r = sys_faccessat2(fd, "", p->mode, AT_EACCESS | AT_EMPTY_PATH);
	close(fd);
	return r < 0 ? -r : 0;
}

int tn_access_probe_as(const struct tn_cred *c, const struct tn_access_probe *p, size_t n, int wfd)
{
	struct tn_access_hdr h = { TN_CRED_OK, 0 };
	int r;
	/* groups first: after setresuid to another user the right to set
	 * them is gone */
	if ((r = sys_setgroups(c->ngroups, c->groups)) < 0)
		h.stage = TN_CRED_SETGROUPS;
	else if ((r = sys_setresgid(c->gid, c->gid, c->gid)) < 0)
		h.stage = TN_CRED_SETRESGID;
	else if ((r = sys_setresuid(c->uid, c->uid, c->uid)) < 0)
		h.stage = TN_CRED_SETRESUID;
	h.err = r < 0 ? -r : 0;
	int w = write_all(wfd, &h, sizeof(h));
	if (r < 0)
		return r;
	if (w < 0)
		return w;
	for (size_t i = 0; i < n; i++) {
		int32_t e = probe(&p[i]);
		if ((w = write_all(wfd, &e, sizeof(e))) < 0)
			return w;
	}
	return 0;
}
