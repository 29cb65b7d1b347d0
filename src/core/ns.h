/* ns.h - namespaces: a process's namespace through its pidfd, every mount
 * namespace the caller can see, and a user namespace made from an id map.
 * Every function returns a result or -errno; none prints or exits. */
#ifndef TNOS_NS_H
#define TNOS_NS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Open a namespace file.  A PID (decimal) is resolved through a pidfd
 * (pidfd_open + PIDFD_GET_*_NAMESPACE, Linux 6.11), so that a recycled PID
 * cannot switch the namespace between the lookup and the open; a kernel
 * without them (ENOSYS, ENOTTY, EINVAL) gets /proc/PID/ns/TYPE instead.
 * Anything else is a path (an nsfs file).  type: "mnt" or "user".
 * *via_pidfd (may be NULL) says which way a PID went.  An fd or -errno. */
int tn_ns_open_via(const char *spec, const char *type, bool *via_pidfd);
int tn_ns_open(const char *spec, const char *type);
/* The mount namespace id of a PID's namespace or an nsfs path. */
int tn_mntns_id(const char *spec, uint64_t *id);
/* Move this process into the mount namespace of a PID or an nsfs path
 * (setns(2); its root and working directory become the namespace's root):
 * 0 or -errno. */
int tn_mntns_enter(const char *spec);

/* One mount namespace (tn_mntns_all). */
struct tn_mntns {
	uint64_t id;		/* NS_MNT_GET_INFO mnt_ns_id */
	uint32_t nr_mounts;	/* NS_MNT_GET_INFO nr_mounts */
	uint64_t ino;		/* the nsfs inode, to match /proc/PID/ns/mnt */
	uint64_t dev;
	/* filled by tn_mntns_procs */
	uint64_t nprocs;
	int pid;		/* the lowest PID in it, 0 if none */
	char comm[17];		/* that process's /proc/PID/comm */
};

/* Every mount namespace the caller can see (CAP_SYS_ADMIN over its owner):
 * NS_MNT_GET_PREV then NS_MNT_GET_NEXT from the caller's own, in id order.
 * *v is malloc'ed (free it).  -ENOTTY or -EINVAL: the kernel has no
 * NS_MNT_GET_NEXT (before Linux 6.12). */
int tn_mntns_all(struct tn_mntns **v, size_t *n);
/* Count the processes of each namespace of v (their /proc/PID/ns/mnt inode)
 * and name the first.  A process that goes away meanwhile is skipped. */
int tn_mntns_procs(struct tn_mntns *v, size_t n);

/* One range of an id map (mount(8)'s X-mount.idmap): ids [from, from+count)
 * as the filesystem stores them appear as [to, to+count) through the mount. */
struct tn_idrange {
	uint32_t from, to, count;
	bool uid, gid;
};
#define TN_IDMAP_MAX 340	/* UID_GID_MAP_MAX_EXTENTS, per map */

/* A new user namespace with these uid and gid maps: a child unshares
 * CLONE_NEWUSER, the maps are written from here, its /proc/CHILD/ns/user is
 * opened and the child is reaped.  An fd (O_CLOEXEC) or -errno. */
int tn_userns_from_map(const struct tn_idrange *r, size_t n);

#endif
