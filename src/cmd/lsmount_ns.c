/* lsmount_ns.c - lsmount --namespaces (see lsmount_ns.h). */
#define _GNU_SOURCE
#include "lsmount_ns.h"
#include "../util.h"
#include "../core/mount.h"
#include "../core/ns.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { NC_ID, NC_MOUNTS, NC_ROOT_ID, NC_SOURCE, NC_FSTYPE, NC_PROCS, NC_PID, NC_COMMAND };

const struct tn_col lsmount_ns_cols[] = {
	[NC_ID] = { "NS-ID", "mnt_ns_id", T_U64, TN_RIGHT | TN_DEFAULT, "mount namespace id", NULL, 0 },
	[NC_MOUNTS] = { "MOUNTS", "nr_mounts", T_U64, TN_RIGHT | TN_DEFAULT, "number of mounts in it", NULL, 0 },
	[NC_ROOT_ID] = { "ROOT-ID", "root_mnt_id", T_U64, TN_RIGHT, "unique id of its root mount", NULL, 0 },
	[NC_SOURCE] = { "SOURCE", "root_sb_source", T_STR, TN_DEFAULT, "source of its root mount", NULL, 0 },
	[NC_FSTYPE] = { "FSTYPE", "root_fs_type", T_STR, TN_DEFAULT, "filesystem type of its root mount", NULL, 0 },
	[NC_PROCS] = { "PROCS", "nr_procs", T_U64, TN_RIGHT | TN_DEFAULT, "processes in it (0: held by a bind mount or an open fd)", NULL, 0 },
	[NC_PID] = { "PID", "pid", T_U64, TN_RIGHT | TN_DEFAULT, "the lowest PID in it", NULL, 0 },
	[NC_COMMAND] = { "COMMAND", "comm", T_STR, TN_DEFAULT, "that process's command name", NULL, 0 },
	{ NULL, NULL, 0, 0, NULL, NULL, 0 }
};

int lsmount_ns_walk_error(const char *opt, int err)
{
	if (err == -ENOTTY || err == -EINVAL) {
		tn_warn("%s: this kernel cannot walk mount namespaces (NS_MNT_GET_NEXT needs "
			"Linux 6.11)", opt);
		return TN_EXIT_NOSYS;
	}
	return tn_syserr(-err, NULL, "%s: reading the mount namespaces", opt);
}

static bool has_id(const uint64_t *ids, size_t n, uint64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ids[mid] == id)
			return true;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* The root mount of namespace ns_id into b: the one that is its own parent,
 * or whose parent is not in the namespace as listmount shows it (a chroot
 * or pivot_root left it outside).  0, or -errno (-ENOENT: it is gone). */
static int root_of(struct tn_smbuf *b, uint64_t ns_id)
{
	struct tn_lister li;
	uint64_t id, *ids = NULL;
	size_t n = 0, cap = 0;
	int k, r = -ENOENT;
	tn_list_init(&li, LSMT_ROOT, ns_id, false, 0, 0);
	while ((k = tn_list_next(&li, &id)) > 0) {
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			ids = xrealloc(ids, cap * sizeof(*ids));
		}
		ids[n++] = id;	/* ascending: listmount lists in id order */
	}
	tn_list_free(&li);
	if (k < 0)
		r = k;
	for (size_t i = 0; k == 0 && i < n; i++) {
		int e = tn_statmount(b, ids[i], ns_id, STATMOUNT_MNT_BASIC);
		if (e == -ENOENT)
			continue;
		if (e < 0) {
			r = e;
			break;
		}
		uint64_t parent = b->sm->mnt_parent_id;
		if (parent == ids[i] || !has_id(ids, n, parent)) {
			r = tn_statmount(b, ids[i], ns_id, STATMOUNT_MNT_BASIC | STATMOUNT_SB_SOURCE |
					 STATMOUNT_FS_TYPE);
			break;
		}
	}
	free(ids);
	return r;
}

int lsmount_namespaces(const struct tn_args *a)
{
	struct out o;
	int r = out_init(&o, &a->out, lsmount_ns_cols, NULL, "namespaces");
	if (r) {
		out_free(&o);
		return r;
	}
	struct tn_mntns *v;
	size_t n;
	int e = tn_mntns_all(&v, &n);
	if (e < 0) {
		out_free(&o);
		return lsmount_ns_walk_error("--namespaces", e);
	}
	if (out_want(&o, NC_PROCS) || out_want(&o, NC_PID) || out_want(&o, NC_COMMAND))
		if ((e = tn_mntns_procs(v, n)) < 0)
			tn_syserr(-e, NULL, "--namespaces: reading /proc: the process columns are empty");
	struct tn_smbuf b = { 0 };
	bool root = out_want(&o, NC_ROOT_ID) || out_want(&o, NC_SOURCE) || out_want(&o, NC_FSTYPE);
	for (size_t i = 0; i < n; i++) {
		e = root ? root_of(&b, v[i].id) : 0;
		if (e == -ENOENT)
			continue;	/* gone since the walk */
		if (e < 0) {
			r = tn_syserr(-e, "statmount", "mount namespace %llu: its root mount",
				      (unsigned long long)v[i].id);
			continue;
		}
		out_row_open(&o);
		out_u64(&o, NC_ID, v[i].id);
		out_u64(&o, NC_MOUNTS, v[i].nr_mounts);
		if (root) {
			const struct tn_statmount *sm = b.sm;
			out_u64(&o, NC_ROOT_ID, sm->mnt_id);
			out_str(&o, NC_SOURCE, tn_sm_str(sm, STATMOUNT_SB_SOURCE, sm->sb_source) ?: "");
			out_str(&o, NC_FSTYPE, tn_sm_str(sm, STATMOUNT_FS_TYPE, sm->fs_type) ?: "");
		}
		out_u64(&o, NC_PROCS, v[i].nprocs);
		if (v[i].pid) {
			out_u64(&o, NC_PID, (uint64_t)v[i].pid);
			out_str(&o, NC_COMMAND, v[i].comm);
		} else {
			out_na(&o, NC_PID);
			out_na(&o, NC_COMMAND);
		}
		out_row_close(&o);
	}
	tn_smbuf_free(&b);
	free(v);
	out_end(&o);
	out_free(&o);
	return r;
}
