/* mount.h - listmount paging, statmount with a growing buffer, mount ids. */
#ifndef TNOS_MOUNT_H
#define TNOS_MOUNT_H

#include <stdbool.h>
#include "uapi.h"
#include "ns.h"	/* tn_ns_open, tn_mntns_id */

/* listmount(2) in batches: the last id of a page is the cursor of the next,
 * LISTMOUNT_REVERSE is kept on every page. */
struct tn_lister {
	struct tn_mnt_id_req req;
	unsigned flags;
	uint64_t *ids;
	size_t n, pos, batch;
	bool done;
};

/* parent: LSMT_ROOT for the whole namespace, or a unique mount id (its
 * descendants).  ns_id: 0 for the caller's namespace.  after: start after
 * this id (0: from the start; UINT64_MAX: nothing is after it, although
 * the kernel, adding 1 to it, lists from the start again). */
void tn_list_init(struct tn_lister *l, uint64_t parent, uint64_t ns_id, bool reverse,
		  uint64_t after, size_t batch);
/* 1 and *id set, 0 at the end, or -errno. */
int tn_list_next(struct tn_lister *l, uint64_t *id);
void tn_list_free(struct tn_lister *l);

/* statmount(2) into a buffer that grows on EOVERFLOW and is reused. */
struct tn_smbuf {
	struct tn_statmount *sm;
	size_t size;
};
int tn_statmount(struct tn_smbuf *b, uint64_t id, uint64_t ns_id, uint64_t mask);
/* statmount of the mount that fd is on (STATMOUNT_BY_FD, Linux 7.0): no
 * namespace is needed, so it answers for a detached mount too, leaving out
 * of the reply's mask what such a mount lacks (a mount point, a namespace
 * id).  An older kernel says EINVAL. */
int tn_statmount_fd(struct tn_smbuf *b, int fd, uint64_t mask);
void tn_smbuf_free(struct tn_smbuf *b);
/* statmount of n ids in up to `parts` parts that run side by side (one
 * thread each, the first in the caller's): part k takes ids
 * [tn_sm_part_lo(n, parts, k), tn_sm_part_lo(n, parts, k + 1)) in order,
 * and calls fn in its own thread for each, with the reply (sm, valid until
 * fn returns) or NULL and err = -errno.  fn returning nonzero ends that
 * part.  Returns the number of parts used (fewer when n is smaller); the
 * parts are done when it returns. */
#define TN_SM_MAXPARTS 16
struct tn_sm_many {
	const uint64_t *ids;
	size_t n;
	uint64_t ns_id, mask;
	unsigned parts;
	int (*fn)(void *ctx, unsigned part, size_t i, const struct tn_statmount *sm, int err);
	void *ctx;
};
int tn_statmount_many(const struct tn_sm_many *m);
static inline size_t tn_sm_part_lo(size_t n, unsigned parts, unsigned k)
{
	return (size_t)((unsigned __int128)n * k / parts);
}
/* A string field: NULL unless its mask bit came back. */
const char *tn_sm_str(const struct tn_statmount *sm, uint64_t bit, uint32_t off);

/* Unique mount ids count up from 2^31 (the first is 2^31 + 1: statmount and
 * listmount refuse 2^31 itself with EINVAL); old ids (mountinfo) stay below. */
#define TN_MNT_UNIQUE_ID_MIN 0x80000000ULL

/* Unique mount id of the mount holding path (statx STATX_MNT_ID_UNIQUE). */
int tn_mnt_id_of(int dfd, const char *path, int atflags, uint64_t *id);
/* Old (mountinfo) mount id of the mount holding path (statx STATX_MNT_ID):
 * 0, -ENOSYS when the kernel reports none (before Linux 5.8), or -errno. */
int tn_old_mnt_id_of(int dfd, const char *path, int atflags, uint32_t *id);

/* Is dfd/path the root of a mount (statx STATX_ATTR_MOUNT_ROOT)?  1 yes,
 * 0 no, -ENOSYS when the kernel does not say (before Linux 5.8), -errno. */
int tn_is_mount_root(int dfd, const char *path, int atflags);

/* Does this kernel have listmount(2) / statmount(2) (Linux 6.8)?  A probe
 * call: false only on ENOSYS. */
bool tn_have_listmount(void);
bool tn_have_statmount(void);

/* Old (mountinfo) mount id -> unique id and mount point, from mountinfo.
 * Returns 0 if found, -ENOENT otherwise.  mp may be NULL. */
int tn_old_mnt_id(uint32_t old, uint64_t *unique, char *mp, size_t mplen);
#endif
