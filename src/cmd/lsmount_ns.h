/* lsmount_ns.h - lsmount --namespaces: the mount namespaces themselves. */
#ifndef TNOS_LSMOUNT_NS_H
#define TNOS_LSMOUNT_NS_H

#include "../emit/emit.h"
#include "../opt.h"

/* The namespace record's columns (lsmount's alt_cols). */
extern const struct tn_col lsmount_ns_cols[];

/* Every mount namespace this process can see, one record each.  Returns
 * the exit code. */
int lsmount_namespaces(const struct tn_args *a);

/* --all-ns, --namespaces on a kernel that cannot walk namespaces: what
 * tn_mntns_all returned, said; the exit code. */
int lsmount_ns_walk_error(const char *opt, int err);

#endif
