/* walkroot.h - open and check the root of a walk: MOUNTPOINT opened without
 * following any symlink, an optional --relative directory below it that
 * stays on the filesystem, and the mount's source checked against FSNAME.
 * Nothing here prints or exits: a refusal comes back as -errno with a
 * reason code that says which check refused. */
#ifndef TNOS_WALKROOT_H
#define TNOS_WALKROOT_H

#include <stdint.h>

enum tn_root_why {
	TN_ROOT_OK,
	TN_ROOT_OPEN,		/* openat2 MOUNTPOINT failed (-ELOOP: a component is a symlink) */
	TN_ROOT_REL_ABSOLUTE,	/* --relative is absolute (-EINVAL) */
	TN_ROOT_REL_DOTDOT,	/* --relative has a '..' component (-EINVAL) */
	TN_ROOT_REL_OPEN,	/* openat2 of --relative failed (-ELOOP: a symlink,
				 * -EXDEV: it leaves the filesystem) */
	TN_ROOT_STATX,		/* statx of the root failed */
	TN_ROOT_NO_MNT_ID,	/* statx gave no STATX_MNT_ID_UNIQUE (-ENOSYS) */
	TN_ROOT_STATMOUNT,	/* statmount of the root's mount failed */
	TN_ROOT_NO_SOURCE,	/* statmount gave no STATMOUNT_SB_SOURCE (-ENOSYS) */
	TN_ROOT_OTHER_FS,	/* the mount's source is not FSNAME (-EXDEV) */
	TN_ROOT_NOMEM,		/* -ENOMEM */
};

struct tn_walk_root {
	int fd;			/* O_RDONLY|O_DIRECTORY of the root, or -1 */
	char *path;		/* MOUNTPOINT [+ "/" + relative], malloc'd */
	uint64_t mnt_id;	/* unique id of the mount holding the root */
	char *source;		/* the mount's source (TN_ROOT_OTHER_FS), malloc'd */
	enum tn_root_why why;
};

/* Open mp (and rel below it, if rel is non-empty) and check that the mount
 * holding it has fsname as its source.  0 with r->fd, r->path and r->mnt_id
 * set, or -errno with r->why saying which step refused (r->mnt_id is set
 * from TN_ROOT_STATMOUNT on).  Free r with tn_walk_root_free either way. */
int tn_walk_root_open(struct tn_walk_root *r, const char *mp, const char *rel,
		      const char *fsname);
void tn_walk_root_free(struct tn_walk_root *r);

#endif
