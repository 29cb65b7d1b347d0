/* lsmount.c - list mounts with listmount(2) + statmount(2). */
#define _GNU_SOURCE
#include "mountrec.h"
#include "../opt.h"
#include "../util.h"
#include "../core/mountinfo.h"
#include "../core/sys.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_TYPES = 't', O_LIST = 'l', O_TREE = 0x100, O_REVERSE, O_AFTER, O_LIMIT, O_SOURCE,
       O_NS, O_BATCH };

static const struct tn_opt opts[] = {
	{ 'l', "list", NULL, "a flat list instead of a tree", 0, NULL, 0, NULL },
	{ O_TREE, "tree", NULL, "a tree (the default for people)", 0, NULL, 0, NULL },
	{ 't', "types", "LIST", "only these filesystem types ('no' prefix excludes)", TC_FSTYPE, NULL, 0, NULL },
	{ O_SOURCE, "source", "SRC", "only mounts of this source", 0, NULL, 0, NULL },
	{ O_REVERSE, "reverse", NULL, "newest mounts first (LISTMOUNT_REVERSE)", 0, NULL, 0, NULL },
	{ O_AFTER, "after", "ID", "start after this mount id", TC_MNTID, NULL, 0, NULL },
	{ O_LIMIT, "limit", "N", "at most N mounts", 0, NULL, 0, NULL },
	{ O_NS, "ns", "PID|PATH", "list another mount namespace (/proc/PID/ns/mnt)", TC_FILE, NULL, 0, NULL },
	{ O_BATCH, "batch", "N", "ids fetched per listmount call (default 4096)", 0, NULL, 0, NULL },
	{ 0, NULL, NULL, NULL, 0, NULL, 0, NULL }
};

struct lsm {
	bool list, tree, reverse;
	const char *types, *source, *ns;
	uint64_t after, limit, batch;
	bool have_limit;
};

static int cb(void *ctx, int key, const char *arg, char **rest, int nrest)
{
	struct lsm *l = ctx;
	(void)rest;
	(void)nrest;
	switch (key) {
	case 'l': l->list = true; break;
	case O_TREE: l->tree = true; break;
	case 't': l->types = arg; break;
	case O_SOURCE: l->source = arg; break;
	case O_REVERSE: l->reverse = true; break;
	case O_NS: l->ns = arg; break;
	case O_AFTER:
		if (tn_parse_u64(arg, &l->after))
			return tn_usage_err("--after: '%s' is not a mount id", arg);
		break;
	case O_LIMIT:
		if (tn_parse_u64(arg, &l->limit))
			return tn_usage_err("--limit: '%s' is not a number", arg);
		l->have_limit = true;
		break;
	case O_BATCH:
		if (tn_parse_u64(arg, &l->batch) || !l->batch || l->batch > (1u << 20))
			return tn_usage_err("--batch: '%s' is not a number from 1 to 1048576", arg);
		break;
	}
	return TN_OPT_GO;
}

/* findmnt-style type filter: "ext4,xfs" includes, "noproc,nosysfs" excludes;
 * "fuse.sshfs" matches type.subtype. */
static bool type_match(const char *list, const char *type, const char *subtype)
{
	bool any_incl = false, incl = false;
	const char *p = list;
	while (*p) {
		size_t n = strcspn(p, ",");
		bool neg = n > 2 && !strncmp(p, "no", 2);
		const char *w = neg ? p + 2 : p;
		size_t wn = neg ? n - 2 : n;
		bool hit = strlen(type) == wn && !strncmp(type, w, wn);
		if (!hit && subtype && *subtype) {
			size_t tl = strlen(type);
			hit = wn == tl + 1 + strlen(subtype) && !strncmp(w, type, tl) && w[tl] == '.' &&
			      !strncmp(w + tl + 1, subtype, wn - tl - 1);
		}
		if (neg && hit)
			return false;
		if (!neg) {
			any_incl = true;
			incl |= hit;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return !any_incl || incl;
}

/* ---- fallback for kernels without listmount(2): /proc/PID/mountinfo */

struct mi_rec {
	struct tn_mi m;
	char *buf;	/* owns the strings */
};

struct mi_all {
	struct mi_rec *v;
	size_t n, cap;
};

static char *keep(struct sbuf *b, const char *s)
{
	size_t off = b->len;
	sb_add(b, s, strlen(s) + 1);
	return (char *)(uintptr_t)off;	/* an offset until the buffer is final */
}

static int collect(const struct tn_mi *m, void *ctx)
{
	struct mi_all *a = ctx;
	struct sbuf b = { 0 };
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 256;
		a->v = xrealloc(a->v, a->cap * sizeof(*a->v));
	}
	struct mi_rec *r = &a->v[a->n++];
	r->m = *m;
	char *offs[7] = { keep(&b, m->root), keep(&b, m->target), keep(&b, m->vfsopts),
			  keep(&b, m->optional), keep(&b, m->fstype), keep(&b, m->source),
			  keep(&b, m->superopts) };
	char **dst[7] = { &r->m.root, &r->m.target, &r->m.vfsopts, &r->m.optional,
			  &r->m.fstype, &r->m.source, &r->m.superopts };
	for (int i = 0; i < 7; i++)
		*dst[i] = b.p + (uintptr_t)offs[i];
	r->buf = b.p;
	return 0;
}

static int fallback(struct lsm *l, struct tn_args *a, struct out *o)
{
	char path[64] = "/proc/self/mountinfo";
	uint64_t pid;

	if (l->after) {
		tn_warn("--after needs unique mount ids: listmount(2) is not available in this kernel (needs Linux 6.8)");
		return TN_EXIT_NOSYS;
	}
	if (tn_empty_path("--ns", l->ns))
		return TN_EXIT_FAIL;
	if (l->ns) {
		if (tn_parse_u64(l->ns, &pid)) {
			tn_warn("--ns %s: without listmount(2) (Linux 6.8) only --ns PID can be read "
				"(from /proc/PID/mountinfo)", l->ns);
			return TN_EXIT_NOSYS;
		}
		snprintf(path, sizeof(path), "/proc/%llu/mountinfo", (unsigned long long)pid);
	}
	unsigned root = 0;
	if (a->npos == 1) {
		uint64_t dummy;
		if (tn_empty_path(NULL, a->pos[0]))
			return TN_EXIT_FAIL;
		if (!tn_parse_u64(a->pos[0], &dummy)) {
			tn_warn("%s: mount ids need listmount(2) and statmount(2) (Linux 6.8); give a path",
				a->pos[0]);
			return TN_EXIT_NOSYS;
		}
		struct tn_statx st;
		memset(&st, 0, sizeof(st));
		int e = sys_statx(AT_FDCWD, a->pos[0], 0, TN_STATX_MNT_ID, &st);
		if (e < 0)
			return tn_syserr(-e, "statx", "%s", a->pos[0]);
		root = (unsigned)st.stx_mnt_id;
	}
	struct mi_all all = { 0 };
	int e = tn_mountinfo_each(path, collect, &all);
	if (e < 0)
		return tn_syserr(-e, NULL, "%s", path);
	tn_warn("listmount(2) is not available in this kernel (needs Linux 6.8): "
		"read %s instead; unavailable: %s", path, tn_mi_unavailable);
	int r = 0;
	uint64_t shown = 0;
	for (size_t k = 0; k < all.n; k++) {
		size_t i = l->reverse ? all.n - 1 - k : k;
		const struct tn_mi *m = &all.v[i].m;
		if (root) {
			/* the mount itself and its descendants (parent chain) */
			unsigned id = m->id;
			bool in = false;
			for (size_t depth = 0; depth <= all.n && !in; depth++) {
				if (id == root) {
					in = true;
					break;
				}
				size_t j;
				for (j = 0; j < all.n && all.v[j].m.id != id; j++)
					;
				if (j == all.n || all.v[j].m.parent == id)
					break;
				id = all.v[j].m.parent;
			}
			if (!in)
				continue;
		}
		const char *dot = strchr(m->fstype, '.');
		char type[256];
		snprintf(type, sizeof(type), "%.*s", dot ? (int)(dot - m->fstype) : (int)strlen(m->fstype), m->fstype);
		if (l->types && !type_match(l->types, type, dot ? dot + 1 : NULL))
			continue;
		if (l->source && strcmp(m->source, l->source))
			continue;
		if (l->have_limit && shown >= l->limit)
			break;
		out_row_open(o);
		out_row_tree(o, m->id, m->parent);
		mountrec_emit_mi(o, m);
		out_row_close(o);
		shown++;
	}
	for (size_t i = 0; i < all.n; i++)
		free(all.v[i].buf);
	free(all.v);
	out_end(o);
	return r;
}

static int run(int argc, char **argv)
{
	struct lsm l = { 0 };
	struct tn_args a;
	struct out o;
	int r = opt_parse(&cmd_lsmount, argc, argv, cb, &l, &a);
	if (r != TN_OPT_GO)
		goto out_args;
	if (a.npos > 1) {
		r = tn_usage_err("one mount at most (an id or a path)");
		goto out_args;
	}
	if (l.list && l.tree) {
		r = tn_usage_err("--list and --tree exclude each other");
		goto out_args;
	}
	if ((r = out_init(&o, &a.out, tn_mount_cols, NULL, "mounts")))
		goto out_args;
	if (!l.list && !a.out.raw)
		out_tree(&o);

	/* an older kernel: read mountinfo instead */
	{
		struct tn_mnt_id_req probe = { .size = MNT_ID_REQ_SIZE_VER0, .mnt_id = LSMT_ROOT };
		uint64_t one;
		if (sys_listmount(&probe, &one, 1, 0) == -ENOSYS) {
			r = fallback(&l, &a, &o);
			goto out;
		}
	}

	uint64_t ns_id = 0, parent = LSMT_ROOT;
	if ((r = tn_empty_path("--ns", l.ns)))
		goto out;
	if (l.ns) {
		int e = tn_mntns_id(l.ns, &ns_id);
		if (e < 0) {
			if (e == -EINVAL)
				tn_warn("--ns %s: not a mount namespace", l.ns);
			else if (e == -EACCES || e == -EPERM)
				tn_warn("--ns %s: %s (another process's mount namespace needs "
					"CAP_SYS_ADMIN, or ptrace access to it)", l.ns, strerror(-e));
			else
				tn_syserr(-e, NULL, "--ns %s", l.ns);
			r = TN_EXIT_FAIL;
			goto out;
		}
	}
	if (a.npos == 1 && (r = mountrec_resolve(a.pos[0], &parent)))
		goto out;

	uint64_t mask = out_need(&o) | STATMOUNT_MNT_BASIC;
	if (l.types)
		mask |= STATMOUNT_FS_TYPE | STATMOUNT_FS_SUBTYPE;
	if (l.source)
		mask |= STATMOUNT_SB_SOURCE;

	struct tn_smbuf b = { 0 };
	struct tn_lister li;
	uint64_t id, shown = 0;
	int failed = 0;
	char label[32];

	/* The mount itself heads the list of its descendants. */
	if (parent != LSMT_ROOT && !l.after && !l.reverse) {
		snprintf(label, sizeof(label), "%llu", (unsigned long long)parent);
		if ((r = mountrec_stat(&b, parent, ns_id, mask, false, label)))
			goto done;
		if ((!l.types || type_match(l.types, tn_sm_str(b.sm, STATMOUNT_FS_TYPE, b.sm->fs_type) ?: "",
					     tn_sm_str(b.sm, STATMOUNT_FS_SUBTYPE, b.sm->fs_subtype))) &&
		    (!l.source || !strcmp(tn_sm_str(b.sm, STATMOUNT_SB_SOURCE, b.sm->sb_source) ?: "", l.source)) &&
		    (!l.have_limit || l.limit)) {
			out_row_open(&o);
			out_row_tree(&o, b.sm->mnt_id, b.sm->mnt_parent_id);
			mountrec_emit(&o, b.sm);
			out_row_close(&o);
			shown++;
		}
	}
	tn_list_init(&li, parent, ns_id, l.reverse, l.after, l.batch);
	while (!l.have_limit || shown < l.limit) {
		int k = tn_list_next(&li, &id);
		if (k == 0)
			break;
		if (k < 0) {
			if (k == -ENOENT && parent != LSMT_ROOT)
				tn_warn("%s: no such mount", a.pos[0]);
			else if (k == -ENOENT && l.ns)
				tn_warn("--ns %s: cannot list that namespace: %s", l.ns, strerror(-k));
			else
				r = tn_syserr(-k, "listmount", l.ns ? "--ns %s: listmount" : "listmount%s",
					      l.ns ? l.ns : "");
			r = r ? r : TN_EXIT_FAIL;
			break;
		}
		int e = tn_statmount(&b, id, ns_id, mask);
		if (e == -EINVAL) {
			snprintf(label, sizeof(label), "%llu", (unsigned long long)id);
			e = mountrec_stat(&b, id, ns_id, mask, false, label);
			if (e) {
				failed = e;
				break;
			}
		} else if (e == -ENOENT) {
			continue;	/* unmounted since listmount: it is gone, go on */
		} else if (e < 0) {
			failed = tn_syserr(-e, "statmount", "statmount %llu", (unsigned long long)id);
			continue;
		}
		if (l.types && !type_match(l.types, tn_sm_str(b.sm, STATMOUNT_FS_TYPE, b.sm->fs_type) ?: "",
					   tn_sm_str(b.sm, STATMOUNT_FS_SUBTYPE, b.sm->fs_subtype)))
			continue;
		if (l.source && strcmp(tn_sm_str(b.sm, STATMOUNT_SB_SOURCE, b.sm->sb_source) ?: "", l.source))
			continue;
		out_row_open(&o);
		out_row_tree(&o, b.sm->mnt_id, b.sm->mnt_parent_id);
		mountrec_emit(&o, b.sm);
		out_row_close(&o);
		shown++;
	}
	tn_list_free(&li);
done:
	out_end(&o);
	tn_smbuf_free(&b);
	if (!r)
		r = failed;
out:
	out_free(&o);
out_args:
	free(a.pos);
	return r;
}

const struct tn_cmd cmd_lsmount = {
	.name = "lsmount",
	.summary = "list mounts (listmount + statmount)",
	.usage = "[options] [ID|PATH]",
	.details = "Lists every mount of this mount namespace, or the mount ID|PATH and\n"
		   "its descendants.  A number is a unique mount id; anything else is a path.",
	.opts = opts,
	.cols = tn_mount_cols,
	.args = TC_MOUNT,
	.main = run,
};
