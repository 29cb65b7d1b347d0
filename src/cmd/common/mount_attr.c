/* mount_attr.c - attribute lists, user namespaces (see mount_attr.h). */
#define _GNU_SOURCE
#include "mount_attr.h"
#include "../../core/file.h"
#include "../../core/mntapi.h"
#include "../../core/uapi.h"
#include "../../opt.h"
#include "../../util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int attr_parse(const char *optname, const char *list, uint64_t *val, uint64_t *fields)
{
	const struct tn_name *seen[2] = { NULL, NULL };	/* [0] atime, [1] rw/ro */
	uint64_t f = 0;

	if (!strcmp(list, "all"))
		return tn_usage_err("--%s: 'all' makes no sense for mount attributes; name them", optname);
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ",");
		const struct tn_name *e = n ? names_find(tn_mount_attr_names, p, n) : NULL;
		if (e && e->mask) {
			int slot = e->mask == MOUNT_ATTR__ATIME ? 0 : 1;
			if (seen[slot] && seen[slot]->val != e->val) {
				if (slot == 0)
					return tn_usage_err("--%s: '%s' and '%s' are both atime settings, and a "
							    "mount has one (relatime, noatime or strictatime): "
							    "choose one", optname, seen[slot]->name, e->name);
				return tn_usage_err("--%s: '%s' and '%s' contradict each other: choose one",
						    optname, seen[slot]->name, e->name);
			}
			seen[slot] = e;
			f |= e->mask;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	if (opt_names(optname, tn_mount_attr_names, list, val))
		return TN_EXIT_USAGE;
	*fields = f;
	return 0;
}

int attr_userns(const char *spec)
{
	if (tn_empty_path("--idmap", spec))
		return -TN_EXIT_FAIL;
	int fd = tn_userns_open(spec);
	if (fd >= 0)
		return fd;
	if (fd == -EINVAL) {
		tn_warn("--idmap %s: not a user namespace (give a PID or /proc/PID/ns/user)", spec);
		return -TN_EXIT_FAIL;
	}
	if (fd == -ENOENT) {
		const char *q = spec;
		while (*q >= '0' && *q <= '9')
			q++;
		if (*spec && !*q) {
			tn_warn("--idmap %s: no such process", spec);
			return -TN_EXIT_FAIL;
		}
	}
	return -tn_syserr(-fd, NULL, "--idmap %s", spec);
}
