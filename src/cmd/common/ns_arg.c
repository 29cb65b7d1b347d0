/* ns_arg.c - the --ns argument (see ns_arg.h). */
#define _GNU_SOURCE
#include "ns_arg.h"
#include "../../core/mount.h"
#include "../../core/ns.h"
#include "../../util.h"

#include <errno.h>
#include <string.h>

int nsarg_mntns_id(const char *spec, uint64_t *id)
{
	int r = tn_empty_path("--ns", spec);
	if (r)
		return r;
	int e = tn_mntns_id(spec, id);
	if (e >= 0)
		return 0;
	if (e == -EINVAL)
		tn_warn("--ns %s: not a mount namespace", spec);
	else if (e == -ENOENT && tn_all_digits(spec))
		tn_warn("--ns %s: no such process", spec);
	else if (e == -EACCES || e == -EPERM)
		tn_warn("--ns %s: %s (another process's mount namespace needs "
			"CAP_SYS_ADMIN, or ptrace access to it)", spec, strerror(-e));
	else
		return tn_syserr(-e, NULL, "--ns %s", spec);
	return TN_EXIT_FAIL;
}

int nsarg_enter(const char *spec)
{
	int e = tn_mntns_enter(spec);
	if (!e)
		return 0;
	if (e == -EINVAL)
		tn_warn("--ns %s: not a mount namespace", spec);
	else
		tn_syserr(-e, "setns", "--ns %s: cannot enter that mount namespace", spec);
	return TN_EXIT_FAIL;
}

bool nsarg_needs_enter(const char *arg)
{
	uint64_t v;
	return tn_parse_u64(arg, &v) || v < TN_MNT_UNIQUE_ID_MIN;
}
