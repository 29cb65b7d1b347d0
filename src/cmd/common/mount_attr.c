/* mount_attr.c - attribute lists, user namespaces (see mount_attr.h). */
#define _GNU_SOURCE
#include "mount_attr.h"
#include "../../core/file.h"
#include "../../core/mntapi.h"
#include "../../core/ns.h"
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

bool attr_idmap_is_map(const char *spec)
{
	return *spec != '/' && *spec != '.' && strchr(spec, ':');
}

/* One decimal id of a range: 0 and *v, or -1. */
static int id_word(const char **p, uint64_t *v)
{
	const char *q = *p;
	uint64_t n = 0;
	if (*q < '0' || *q > '9')
		return -1;
	for (; *q >= '0' && *q <= '9'; q++) {
		n = n * 10 + (uint64_t)(*q - '0');
		if (n > 0xffffffffULL)
			return -1;
	}
	*p = q;
	*v = n;
	return 0;
}

static bool overlap(uint32_t a, uint32_t b, uint32_t n, uint32_t m)
{
	return (uint64_t)a < (uint64_t)b + m && (uint64_t)b < (uint64_t)a + n;
}

int attr_idmap_parse(const char *spec, struct tn_idrange *r, size_t *nr)
{
	size_t n = 0, nu = 0, ng = 0;
	for (const char *p = spec; *p;) {
		if (*p == ' ') {
			p++;
			continue;
		}
		size_t len = strcspn(p, " ");
		const char *w = p, *q = p;
		struct tn_idrange e = { .uid = true, .gid = true };
		if ((*q == 'u' || *q == 'g' || *q == 'b') && q[1] == ':') {
			e.uid = *q != 'g';
			e.gid = *q != 'u';
			q += 2;
		}
		uint64_t v[3];
		for (int i = 0; i < 3; i++)
			if (id_word(&q, &v[i]) || (i < 2 && *q++ != ':'))
				return tn_usage_err("--idmap: '%.*s' is not a range: give [u:|g:|b:]FROM:TO:COUNT, "
						    "three decimal ids below 4294967296", (int)len, w);
		if (q != w + len)
			return tn_usage_err("--idmap: '%.*s' is not a range: give [u:|g:|b:]FROM:TO:COUNT",
					    (int)len, w);
		if (!v[2])
			return tn_usage_err("--idmap: '%.*s': a count of 0 maps nothing", (int)len, w);
		if (v[0] + v[2] > 0xffffffffULL || v[1] + v[2] > 0xffffffffULL)
			return tn_usage_err("--idmap: '%.*s': the range runs past the last id, 4294967294",
					    (int)len, w);
		e.from = (uint32_t)v[0];
		e.to = (uint32_t)v[1];
		e.count = (uint32_t)v[2];
		for (size_t i = 0; i < n; i++) {
			if (!((e.uid && r[i].uid) || (e.gid && r[i].gid)))
				continue;
			if (overlap(e.from, r[i].from, e.count, r[i].count) ||
			    overlap(e.to, r[i].to, e.count, r[i].count))
				return tn_usage_err("--idmap: '%.*s' overlaps %s:%u:%u:%u: each id may be "
						    "mapped once, and to one id", (int)len, w,
						    r[i].uid && r[i].gid ? "b" : r[i].uid ? "u" : "g",
						    r[i].from, r[i].to, r[i].count);
		}
		nu += e.uid;
		ng += e.gid;
		if (nu > TN_IDMAP_MAX || ng > TN_IDMAP_MAX)
			return tn_usage_err("--idmap: '%.*s': more than %d %s ranges (the kernel's limit)",
					    (int)len, w, TN_IDMAP_MAX, nu > TN_IDMAP_MAX ? "uid" : "gid");
		r[n++] = e;
		p += len;
	}
	/* the kernel takes a map file in one write of less than a page */
	size_t bytes[2] = { 0, 0 };
	for (size_t i = 0; i < n; i++) {
		char line[40];
		size_t k = (size_t)snprintf(line, sizeof(line), "%u %u %u\n", r[i].from, r[i].to, r[i].count);
		bytes[0] += r[i].uid ? k : 0;
		bytes[1] += r[i].gid ? k : 0;
	}
	if (bytes[0] >= 4096 || bytes[1] >= 4096)
		return tn_usage_err("--idmap: the %s map is %zu bytes as the kernel reads it, and it takes "
				    "at most 4095: fewer or shorter ranges", bytes[0] >= 4096 ? "uid" : "gid",
				    bytes[0] >= 4096 ? bytes[0] : bytes[1]);
	/* the kernel refuses a user namespace with either map empty for an
	 * idmapped mount (EINVAL, can_idmap_mount) */
	if (n && (!nu || !ng))
		return tn_usage_err("--idmap: '%s' maps %s only, and the kernel idmaps a mount only when "
				    "both uids and gids are mapped: add %s: ranges, or give b: ranges",
				    spec, nu ? "uids" : "gids", nu ? "g" : "u");
	*nr = n;
	return 0;
}

int attr_idmap_check(const char *spec)
{
	static struct tn_idrange r[2 * TN_IDMAP_MAX];
	size_t n;
	return attr_idmap_is_map(spec) ? attr_idmap_parse(spec, r, &n) : 0;
}

int attr_userns(const char *spec)
{
	if (tn_empty_path("--idmap", spec))
		return -TN_EXIT_FAIL;
	if (attr_idmap_is_map(spec)) {
		static struct tn_idrange r[2 * TN_IDMAP_MAX];
		size_t n;
		if (attr_idmap_parse(spec, r, &n))
			return -TN_EXIT_USAGE;
		int fd = tn_userns_from_map(r, n);
		if (fd >= 0)
			return fd;
		return -tn_syserr(-fd, NULL, "--idmap: making a user namespace with the map");
	}
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
