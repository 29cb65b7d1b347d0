/* walkroot.c - the root of a walk, opened and checked (see walkroot.h). */
#define _GNU_SOURCE
#include "walkroot.h"
#include "file.h"
#include "mount.h"
#include "sys.h"
#include "walk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(struct tn_walk_root *r, enum tn_root_why why, int err)
{
	r->why = why;
	return err;
}

/* O_NOFOLLOW|O_DIRECTORY on a final symlink says ENOTDIR: tell the truth. */
static bool is_symlink(int dfd, const char *path)
{
	struct stat st;
	return !fstatat(dfd, path, &st, AT_SYMLINK_NOFOLLOW) && S_ISLNK(st.st_mode);
}

static int open_dir(int dfd, const char *path, uint64_t resolve)
{
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC,
		.resolve = resolve,
	};
	int fd = sys_openat2(dfd, path, &how, sizeof(how));
	if (fd == -ENOTDIR && is_symlink(dfd, path))
		fd = -ELOOP;
	return fd;
}

/* Refuse what could leave the mount before asking the kernel, which
 * refuses it again (RESOLVE_BENEATH). */
static enum tn_root_why check_relative(const char *rel)
{
	if (rel[0] == '/')
		return TN_ROOT_REL_ABSOLUTE;
	for (const char *p = rel; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return TN_ROOT_REL_DOTDOT;
		p += n;
		p += strspn(p, "/");
	}
	return TN_ROOT_OK;
}

/* mp, or mp + "/" + rel without rel's trailing slashes */
static char *root_path(const char *mp, const char *rel)
{
	size_t ml = strlen(mp), rl = rel ? strlen(rel) : 0;
	while (rl > 1 && rel[rl - 1] == '/')
		rl--;
	char *p = malloc(ml + 1 + rl + 1);
	if (!p)
		return NULL;
	memcpy(p, mp, ml);
	if (rl) {
		if (!ml || mp[ml - 1] != '/')
			p[ml++] = '/';
		memcpy(p + ml, rel, rl);
	}
	p[ml + rl] = 0;
	return p;
}

static int open_root(struct tn_walk_root *r, const char *mp, const char *rel)
{
	int fd = open_dir(AT_FDCWD, mp, RESOLVE_NO_SYMLINKS);
	if (fd < 0)
		return fail(r, TN_ROOT_OPEN, fd);
	if (rel && *rel) {
		enum tn_root_why why = check_relative(rel);
		if (why != TN_ROOT_OK) {
			close(fd);
			return fail(r, why, -EINVAL);
		}
		int fd2 = open_dir(fd, rel, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV);
		close(fd);
		if (fd2 < 0)
			return fail(r, TN_ROOT_REL_OPEN, fd2);
		fd = fd2;
	}
	r->fd = fd;
	if (!(r->path = root_path(mp, rel && *rel ? rel : NULL)))
		return fail(r, TN_ROOT_NOMEM, -ENOMEM);
	return 0;
}

/* The mount holding the root must have fsname as its source. */
static int check_fsname(struct tn_walk_root *r, const char *fsname)
{
	struct tn_statx st;
	int e = tn_statx(r->fd, "", AT_EMPTY_PATH, TN_WALK_STATX_MASK, &st);
	if (e < 0)
		return fail(r, TN_ROOT_STATX, e);
	if (!(st.stx_mask & TN_STATX_MNT_ID_UNIQUE))
		return fail(r, TN_ROOT_NO_MNT_ID, -ENOSYS);
	r->mnt_id = st.stx_mnt_id;
	struct tn_smbuf b = { 0 };
	e = tn_statmount(&b, st.stx_mnt_id, 0, STATMOUNT_SB_SOURCE);
	if (e < 0) {
		tn_smbuf_free(&b);
		return fail(r, TN_ROOT_STATMOUNT, e);
	}
	const char *src = tn_sm_str(b.sm, STATMOUNT_SB_SOURCE, b.sm->sb_source);
	if (!src) {
		e = fail(r, TN_ROOT_NO_SOURCE, -ENOSYS);
	} else if (strcmp(src, fsname)) {
		e = fail(r, TN_ROOT_OTHER_FS, -EXDEV);
		if (!(r->source = strdup(src)))
			e = fail(r, TN_ROOT_NOMEM, -ENOMEM);
	}
	tn_smbuf_free(&b);
	return e;
}

int tn_walk_root_open(struct tn_walk_root *r, const char *mp, const char *rel,
		      const char *fsname)
{
	memset(r, 0, sizeof(*r));
	r->fd = -1;
	int e = open_root(r, mp, rel);
	if (!e)
		e = check_fsname(r, fsname);
	return e;
}

void tn_walk_root_free(struct tn_walk_root *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	free(r->path);
	free(r->source);
	r->path = r->source = NULL;
}
