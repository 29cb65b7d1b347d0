/* lsmount.c - list mounts with listmount(2) + statmount(2). */
#define _GNU_SOURCE
#include "common/mount_record.h"
#include "common/ns_arg.h"
#include "lsmount_ns.h"
#include "../opt.h"
#include "../util.h"
#include "../core/file.h"
#include "../core/mountinfo.h"
#include "../core/mount.h"
#include "../core/ns.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { LO_TYPES = 't', LO_LIST = 'l', LO_TREE = 0x100, LO_REVERSE, LO_AFTER, LO_LIMIT, LO_SOURCE,
       LO_NS, LO_BATCH, LO_ALL_NS, LO_NAMESPACES };

static const struct tn_opt opts[] = {
	{ 'l', "list", NULL, "a flat list instead of a tree", 0, NULL, 0, NULL },
	{ LO_TREE, "tree", NULL, "a tree (the default for people)", 0, NULL, 0, NULL },
	{ 't', "types", "LIST", "only these filesystem types ('no' prefix excludes)", TC_FSTYPE, NULL, 0, NULL },
	{ LO_SOURCE, "source", "SRC", "only mounts of this source", 0, NULL, 0, NULL },
	{ LO_REVERSE, "reverse", NULL, "newest mounts first (LISTMOUNT_REVERSE)", 0, NULL, 0, NULL },
	{ LO_AFTER, "after", "ID", "start after this mount id", TC_MNTID, NULL, 0, NULL },
	{ LO_LIMIT, "limit", "N", "at most N mounts", 0, NULL, 0, NULL },
	{ LO_NS, "ns", "PID|PATH", "list another mount namespace: a PID (through its pidfd) or an nsfs file", TC_FILE, NULL, 0, NULL },
	{ LO_BATCH, "batch", "N", "ids fetched per listmount call (default 4096)", 0, NULL, 0, NULL },
	{ LO_ALL_NS, "all-ns", NULL, "the mounts of every mount namespace this process can see", 0, NULL, 0, NULL },
	{ LO_NAMESPACES, "namespaces", NULL, "list the mount namespaces themselves (their own columns)", 0, NULL, 0, NULL },
	{ 0, NULL, NULL, NULL, 0, NULL, 0, NULL }
};

struct lsm {
	bool list, tree, reverse;
	const char *types, *source, *ns;
	uint64_t after, limit, batch;
	bool have_limit;
	bool all_ns, namespaces;
};

static int cb(void *ctx, int key, const char *arg, char **rest, int nrest)
{
	struct lsm *l = ctx;
	(void)rest;
	(void)nrest;
	switch (key) {
	case 'l': l->list = true; break;
	case LO_TREE: l->tree = true; break;
	case 't': l->types = arg; break;
	case LO_SOURCE: l->source = arg; break;
	case LO_REVERSE: l->reverse = true; break;
	case LO_NS: l->ns = arg; break;
	case LO_ALL_NS: l->all_ns = true; break;
	case LO_NAMESPACES: l->namespaces = true; break;
	case LO_AFTER:
		if (tn_parse_u64(arg, &l->after))
			return tn_usage_err("--after: '%s' is not a mount id", arg);
		break;
	case LO_LIMIT:
		if (tn_parse_u64(arg, &l->limit))
			return tn_usage_err("--limit: '%s' is not a number", arg);
		l->have_limit = true;
		break;
	case LO_BATCH:
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

/* Is m root, or below it (up its parent chain)? */
static bool below(const struct mi_all *all, const struct tn_mi *m, unsigned root)
{
	unsigned id = m->id;
	for (size_t depth = 0; depth <= all->n; depth++) {
		if (id == root)
			return true;
		size_t j;
		for (j = 0; j < all->n && all->v[j].m.id != id; j++)
			;
		if (j == all->n || all->v[j].m.parent == id)
			return false;
		id = all->v[j].m.parent;
	}
	return false;
}

/* The fallback's MOUNT argument: a path, whose old mount id goes to *root.
 * 0 or an exit code (said). */
static int fallback_root(const char *arg, unsigned *root)
{
	uint64_t dummy;
	if (!tn_parse_u64(arg, &dummy)) {
		tn_warn("%s: mount ids need listmount(2) and statmount(2) (Linux 6.8); give a path", arg);
		return TN_EXIT_NOSYS;
	}
	uint32_t id;
	int r = mountrec_old_id(arg, &id);
	if (!r)
		*root = id;
	return r;
}

/* -t and --source, on a mountinfo line ("fuse.sshfs": type, subtype) */
static bool wanted_mi(const struct lsm *l, const struct tn_mi *m)
{
	const char *dot = strchr(m->fstype, '.');
	char type[256];
	snprintf(type, sizeof(type), "%.*s", dot ? (int)(dot - m->fstype) : (int)strlen(m->fstype), m->fstype);
	if (l->types && !type_match(l->types, type, dot ? dot + 1 : NULL))
		return false;
	return !l->source || !strcmp(m->source, l->source);
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
	int r;
	if (a->npos == 1 && (r = fallback_root(a->pos[0], &root)))
		return r;
	struct mi_all all = { 0 };
	int e = tn_mountinfo_each(path, collect, &all);
	if (e < 0)
		return tn_syserr(-e, NULL, "%s", path);
	tn_warn("listmount(2) is not available in this kernel (needs Linux 6.8): "
		"read %s instead; unavailable: %s", path, tn_mi_unavailable);
	uint64_t shown = 0;
	for (size_t k = 0; k < all.n; k++) {
		size_t i = l->reverse ? all.n - 1 - k : k;
		const struct tn_mi *m = &all.v[i].m;
		/* the mount itself and its descendants */
		if ((root && !below(&all, m, root)) || !wanted_mi(l, m))
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
	return 0;
}

/* --ns: the namespace's id, or an exit code (said). */
static int ns_of(const struct lsm *l, uint64_t *ns_id)
{
	return l->ns ? nsarg_mntns_id(l->ns, ns_id) : 0;
}

/* -t and --source */
static bool wanted(const struct lsm *l, const struct tn_statmount *sm)
{
	if (l->types && !type_match(l->types, tn_sm_str(sm, STATMOUNT_FS_TYPE, sm->fs_type) ?: "",
				    tn_sm_str(sm, STATMOUNT_FS_SUBTYPE, sm->fs_subtype)))
		return false;
	return !l->source || !strcmp(tn_sm_str(sm, STATMOUNT_SB_SOURCE, sm->sb_source) ?: "", l->source);
}

static void show(struct out *o, const struct tn_statmount *sm)
{
	out_row_open(o);
	out_row_tree(o, sm->mnt_id, sm->mnt_parent_id);
	mountrec_emit(o, sm);
	out_row_close(o);
}

/* listmount failed: say why; the exit code. */
static int list_error(const struct lsm *l, const struct tn_args *a, uint64_t parent, int k)
{
	int r = 0;
	if (k == -ENOENT && parent != LSMT_ROOT)
		tn_warn("%s: no such mount", a->pos[0]);
	else if (k == -ENOENT && l->ns)
		tn_warn("--ns %s: cannot list that namespace: %s", l->ns, strerror(-k));
	else
		r = tn_syserr(-k, "listmount", l->ns ? "--ns %s: listmount" : "listmount%s",
			      l->ns ? l->ns : "");
	return r ? r : TN_EXIT_FAIL;
}

/* The mounts below parent (the whole namespace for LSMT_ROOT), parent
 * itself first, as rows of o.  0 or an exit code. */
static int list_mounts(const struct lsm *l, const struct tn_args *a, struct out *o,
		       uint64_t parent, uint64_t ns_id)
{
	uint64_t mask = out_need(o) | STATMOUNT_MNT_BASIC;
	if (l->types)
		mask |= STATMOUNT_FS_TYPE | STATMOUNT_FS_SUBTYPE;
	if (l->source)
		mask |= STATMOUNT_SB_SOURCE;

	struct tn_smbuf b = { 0 };
	struct tn_lister li;
	uint64_t id, shown = 0;
	int r = 0, failed = 0;
	char label[32];

	/* The mount itself heads the list of its descendants. */
	if (parent != LSMT_ROOT && !l->after && !l->reverse) {
		snprintf(label, sizeof(label), "%llu", (unsigned long long)parent);
		if ((r = mountrec_stat(&b, parent, ns_id, mask, false, label)))
			goto done;
		if (wanted(l, b.sm) && (!l->have_limit || l->limit)) {
			show(o, b.sm);
			shown++;
		}
	}
	tn_list_init(&li, parent, ns_id, l->reverse, l->after, l->batch);
	while (!l->have_limit || shown < l->limit) {
		int k = tn_list_next(&li, &id);
		if (k == 0)
			break;
		if (k == -ENOENT && l->all_ns)
			break;	/* the namespace went away since the walk */
		if (k < 0) {
			r = list_error(l, a, parent, k);
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
		if (!wanted(l, b.sm))
			continue;
		show(o, b.sm);
		shown++;
	}
	tn_list_free(&li);
done:
	tn_smbuf_free(&b);
	return r ? r : failed;
}

/* --all-ns: the mounts of every namespace, each after its NS-ID.  The
 * exit code. */
static int list_all_ns(const struct lsm *l, const struct tn_args *a, struct out *o)
{
	struct tn_mntns *v;
	size_t n;
	int e = tn_mntns_all(&v, &n), r = 0;
	if (e < 0)
		return lsmount_ns_walk_error("--all-ns", e);
	for (size_t i = 0; i < n; i++) {
		int k = list_mounts(l, a, o, LSMT_ROOT, v[i].id);
		if (k)
			r = k;
	}
	free(v);
	return r;
}

/* The default columns of --all-ns: NS-ID, then the usual ones. */
static char *all_ns_defcols(void)
{
	struct sbuf b = { 0 };
	sb_adds(&b, tn_mount_cols[MC_NS_ID].hdr);
	for (const struct tn_col *c = tn_mount_cols; c->hdr; c++)
		if ((c->flags & TN_DEFAULT) && c != &tn_mount_cols[MC_NS_ID]) {
			sb_adds(&b, ",");
			sb_adds(&b, c->hdr);
		}
	sb_add(&b, "", 1);
	return b.p;
}

/* --all-ns and --namespaces with the other options: a usage error or 0. */
static int ns_opts_check(const struct lsm *l, const struct tn_args *a)
{
	const char *o = l->namespaces ? "--namespaces" : "--all-ns";
	if (l->all_ns && l->namespaces)
		return tn_usage_err("--all-ns lists mounts, --namespaces the namespaces: choose one");
	if (l->ns)
		return tn_usage_err("%s covers every namespace: --ns names one", o);
	if (a->npos)
		return tn_usage_err("%s lists whole namespaces: no MOUNT argument", o);
	if (l->after || l->have_limit)
		return tn_usage_err("%s: --after and --limit page through one namespace (use --ns)", o);
	if (l->namespaces && (l->types || l->source || l->list || l->tree || l->reverse))
		return tn_usage_err("--namespaces lists namespaces: -t, --source, --list, --tree and "
				    "--reverse apply to mounts (use --all-ns)");
	return 0;
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
	if ((l.all_ns || l.namespaces) && (r = ns_opts_check(&l, &a)))
		goto out_args;
	if (l.namespaces && !tn_have_listmount()) {
		tn_warn("--namespaces needs listmount(2) and statmount(2) (Linux 6.8)");
		r = TN_EXIT_NOSYS;
		goto out_args;
	}
	if (l.namespaces) {
		r = lsmount_namespaces(&a);
		goto out_args;
	}
	char *defcols = l.all_ns ? all_ns_defcols() : NULL;
	r = out_init(&o, &a.out, tn_mount_cols, defcols, "mounts");
	free(defcols);
	if (r)
		goto out_args;
	if (!l.list && !a.out.raw)
		out_tree(&o);

	uint64_t ns_id = 0, parent = LSMT_ROOT;
	if (!tn_have_listmount() && l.all_ns) {
		tn_warn("--all-ns needs listmount(2) and statmount(2) (Linux 6.8)");
		r = TN_EXIT_NOSYS;
	} else if (!tn_have_listmount()) {
		r = fallback(&l, &a, &o);	/* an older kernel: read mountinfo instead */
	} else if (l.all_ns) {
		r = list_all_ns(&l, &a, &o);
		out_end(&o);
	} else if (!(r = ns_of(&l, &ns_id)) &&
		   !(a.npos == 1 && (r = mountrec_resolve(a.pos[0], &parent)))) {
		r = list_mounts(&l, &a, &o, parent, ns_id);
		out_end(&o);
	}
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
	.alt_key = LO_NAMESPACES,
	.alt_cols = lsmount_ns_cols,
	.args = TC_MOUNT,
	.main = run,
};
