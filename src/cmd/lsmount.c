/* lsmount.c - list mounts with listmount(2) + statmount(2). */
#define _GNU_SOURCE
#include "common/mount_record.h"
#include "common/ns_arg.h"
#include "lsmount_ns.h"
#include "lsmount_watch.h"
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
#include <unistd.h>

enum { LO_TYPES = 't', LO_LIST = 'l', LO_SOURCE = 'S', LO_TREE = 0x100, LO_REVERSE, LO_AFTER, LO_LIMIT,
       LO_NS, LO_BATCH, LO_MOUNTINFO, LO_ALL_NS, LO_NAMESPACES };

static const struct tn_opt opts[] = {
	{ 'l', "list", NULL, "a flat list instead of a tree", 0, NULL, 0, NULL },
	{ LO_TREE, "tree", NULL, "a tree (the default for people)", 0, NULL, 0, NULL },
	{ 't', "types", "LIST", "only these filesystem types ('no' prefix excludes)", TC_FSTYPE, NULL, 0, NULL },
	{ LO_SOURCE, "source", "SRC", "only mounts of this source", TC_SOURCE, NULL, 0, NULL },
	{ LO_REVERSE, "reverse", NULL, "newest mounts first (LISTMOUNT_REVERSE)", 0, NULL, 0, NULL },
	{ LO_AFTER, "after", "ID", "start after this mount id", TC_MNTID, NULL, 0, NULL },
	{ LO_LIMIT, "limit", "N", "at most N mounts", 0, NULL, 0, NULL },
	{ LO_NS, "ns", "PID|PATH", "list another mount namespace: a PID (through its pidfd) or an nsfs file", TC_FILE, NULL, 0, NULL },
	{ LO_BATCH, "batch", "N", "ids fetched per listmount call (default 4096)", 0, NULL, 0, NULL },
	{ LO_MOUNTINFO, "mountinfo", NULL, "the lines of /proc/PID/mountinfo, from listmount + statmount", 0, NULL, 0, NULL },
	LSMOUNT_WATCH_OPTS
	{ LO_ALL_NS, "all-ns", NULL, "the mounts of every mount namespace this process can see", 0, NULL, 0, NULL },
	{ LO_NAMESPACES, "namespaces", NULL, "list the mount namespaces themselves (their own columns)", 0, NULL, 0, NULL },
	{ 0, NULL, NULL, NULL, 0, NULL, 0, NULL }
};

struct lsm {
	bool list, tree, reverse;
	bool json_tree;		/* -J drawn as a tree: rows in the table's order */
	bool mountinfo;		/* --mountinfo: mountinfo lines, not the emitter's rows */
	struct sbuf milines;	/* --mountinfo: lines not yet written */
	const char *types, *source, *ns;
	uint64_t after, limit, batch;
	bool have_limit;
	struct lsmount_watch watch;
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
	case 't':
		if (!arg[strspn(arg, ",")])
			return tn_usage_err("--types: '%s' names no filesystem type (e.g. -t tmpfs,ext4 or -t noproc)",
					    arg);
		l->types = arg;
		break;
	case LO_SOURCE: l->source = arg; break;
	case LO_REVERSE: l->reverse = true; break;
	case LO_NS: l->ns = arg; break;
	case LO_MOUNTINFO: l->mountinfo = true; break;
	case LO_ALL_NS: l->all_ns = true; break;
	case LO_NAMESPACES: l->namespaces = true; break;
	case LO_AFTER:
		if (tn_parse_u64(arg, &l->after))
			return tn_usage_err("--after: '%s' is not a mount id", arg);
		if (l->after && l->after <= TN_MNT_UNIQUE_ID_MIN)
			return tn_usage_err("--after: %s is not a unique mount id (those are above "
					    "2147483648: see 'tnos lsmount -o ID,TARGET')", arg);
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
	default:
		return lsmount_watch_opt(&l->watch, key, arg);
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

/* ---- -J keeps the tree: ids whatever -o says, rows in the table's order */

/* The columns -J and --ndjson print: -o's (or the default set) and the
 * mount's and its parent's id, so that the tree can be rebuilt from a flat
 * list.  NULL: as given (not JSON, or an -o that out_init will refuse). */
static char *json_columns(const struct out_opts *oo, bool have_listmount)
{
	const char *ids = have_listmount ? "ID,PARENT" : "OLD-ID,OLD-PARENT";
	const char *c = oo->columns;
	struct sbuf b = { 0 };
	if (oo->fmt != OUT_JSON && oo->fmt != OUT_NDJSON)
		return NULL;
	if (!c) {	/* the default set, and the ids */
		sb_printf(&b, "+%s", ids);
		return b.p;
	}
	bool plus = *c == '+';
	const char *rest = c + plus;
	if (!*rest || *rest == ',' || strstr(rest, ",,") || rest[strlen(rest) - 1] == ',')
		return NULL;
	sb_printf(&b, "%s%s,%s", plus ? "+" : "", ids, rest);
	return b.p;
}

/* The table's tree order for n rows: each row after its parent (a row whose
 * parent is not among them is a root), siblings in the order given. */
static size_t *tree_order(const uint64_t *id, const uint64_t *parent, size_t n)
{
	struct tn_idmap m = { 0 };
	size_t *order = xmalloc((n + 1) * sizeof(*order));
	size_t *first = xmalloc((n + 1) * sizeof(*first)), *last = xmalloc((n + 1) * sizeof(*last));
	size_t *next = xmalloc((n + 1) * sizeof(*next)), *stack = xmalloc((n + 1) * sizeof(*stack));
	unsigned char *seen = xcalloc(n + 1, 1);
	size_t roots = n;	/* the roots' list hangs from slot n */
	for (size_t r = 0; r < n; r++)
		tn_idmap_put(&m, id[r], r);
	for (size_t r = 0; r <= n; r++)
		first[r] = last[r] = next[r] = SIZE_MAX;
	for (size_t r = 0; r < n; r++) {
		size_t p = parent[r] == id[r] ? SIZE_MAX : tn_idmap_get(&m, parent[r]);
		if (p == SIZE_MAX)
			p = roots;
		if (first[p] == SIZE_MAX)
			first[p] = r;
		else
			next[last[p]] = r;
		last[p] = r;
	}
	size_t cnt = 0, sp = 0, cur = first[roots];
	while (cur != SIZE_MAX) {
		order[cnt++] = cur;
		seen[cur] = 1;
		if (first[cur] != SIZE_MAX) {
			stack[sp++] = cur;
			cur = first[cur];
			continue;
		}
		while (cur != SIZE_MAX && next[cur] == SIZE_MAX)
			cur = sp ? stack[--sp] : SIZE_MAX;
		if (cur != SIZE_MAX)
			cur = next[cur];
	}
	for (size_t r = 0; r < n; r++)	/* a parent cycle (no real mounts make one) */
		if (!seen[r])
			order[cnt++] = r;
	free(first);
	free(last);
	free(next);
	free(stack);
	free(seen);
	tn_idmap_free(&m);
	return order;
}

/* statmount replies kept for -J in tree mode, emitted in tree order at the end */
struct kept {
	struct sbuf arena;	/* the replies, 8-byte aligned */
	size_t *off;
	uint64_t *id, *parent;
	size_t n, cap;
};

static void keep_reply(struct kept *k, const struct tn_statmount *sm)
{
	if (k->n == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 256;
		k->off = xrealloc(k->off, k->cap * sizeof(*k->off));
		k->id = xrealloc(k->id, k->cap * sizeof(*k->id));
		k->parent = xrealloc(k->parent, k->cap * sizeof(*k->parent));
	}
	while (k->arena.len % 8)
		sb_addc(&k->arena, 0);
	k->off[k->n] = k->arena.len;
	k->id[k->n] = sm->mnt_id;
	k->parent[k->n] = sm->mnt_parent_id;
	k->n++;
	sb_add(&k->arena, sm, sm->size > sizeof(*sm) ? sm->size : sizeof(*sm));
}

static void show(struct out *o, const struct tn_statmount *sm);

static void kept_emit(struct kept *k, struct out *o)
{
	size_t *order = tree_order(k->id, k->parent, k->n);
	for (size_t i = 0; i < k->n; i++)
		show(o, (const struct tn_statmount *)(void *)(k->arena.p + k->off[order[i]]));
	free(order);
	sb_free(&k->arena);
	free(k->off);
	free(k->id);
	free(k->parent);
}

/* ---- --mountinfo: /proc/PID/mountinfo's lines, built from statmount */

/* --mountinfo takes the mount's filters, not the emitter's forms: 0 or a
 * usage error (said). */
static int mountinfo_usage(const struct lsm *l, const struct out_opts *oo)
{
	const char *bad = oo->fmt == OUT_JSON ? "-J" : oo->fmt == OUT_NDJSON ? "--ndjson" :
			  oo->fmt == OUT_PAIRS ? "-P" : oo->columns ? "-o" : oo->raw ? "-r" :
			  oo->noheadings ? "-n" : l->list ? "-l" : l->tree ? "--tree" : NULL;
	if (!l->mountinfo || !bad)
		return 0;
	return tn_usage_err("--mountinfo prints mountinfo's own lines: it takes no %s", bad);
}

/* On a terminal, the bytes mountinfo leaves raw that a terminal may obey
 * (control bytes, C1 controls, invalid UTF-8) get mountinfo's own octal
 * escape too: the line still decodes to the same fields. */
static void mi_terminal_safe(struct sbuf *dst, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned cp = 0;
		size_t k = p[i] < 0x80 ? 1 : tn_utf8_seq(p + i, n - i, &cp);
		if (k == 1 && p[i] >= 0x20 && p[i] != 0x7f) {
			sb_addc(dst, (char)p[i++]);
		} else if (k > 1 && (cp < 0x80 || cp > 0x9f)) {
			sb_add(dst, s + i, k);
			i += k;
		} else if (k == 1 && p[i] == '\n' && i + 1 == n) {
			sb_addc(dst, '\n');
			i++;
		} else {
			for (size_t e = i + (k ? k : 1); i < e; i++)
				sb_printf(dst, "\\%03o", p[i]);
		}
	}
}

static void mi_flush(struct lsm *l)
{
	if (l->milines.len && fwrite(l->milines.p, 1, l->milines.len, stdout) != l->milines.len)
		tn_stdout_check();
	l->milines.len = 0;
}

static bool mi_tty(void)
{
	static int tty = -1;
	if (tty < 0)
		tty = isatty(STDOUT_FILENO);
	return tty;
}

/* sm's mountinfo line into b, terminal-safe on a terminal */
static void mi_line(struct sbuf *b, const struct tn_statmount *sm, bool tty)
{
	if (!tty) {
		mountrec_mountinfo_line(b, sm);
	} else {
		struct sbuf line = { 0 };
		mountrec_mountinfo_line(&line, sm);
		mi_terminal_safe(b, line.p, line.len);
		sb_free(&line);
	}
}

static void mi_show(struct lsm *l, const struct tn_statmount *sm)
{
	mi_line(&l->milines, sm, mi_tty());
	if (l->milines.len >= 1 << 16)
		mi_flush(l);
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
	if (l->mountinfo) {
		tn_warn("--mountinfo needs listmount(2) and statmount(2), which this kernel lacks "
			"(Linux 6.8): read /proc/PID/mountinfo itself");
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
	size_t *rows = xmalloc((all.n + 1) * sizeof(*rows)), nrows = 0;
	for (size_t k = 0; k < all.n; k++) {
		size_t i = l->reverse ? all.n - 1 - k : k;
		const struct tn_mi *m = &all.v[i].m;
		/* the mount itself and its descendants */
		if ((root && !below(&all, m, root)) || !wanted_mi(l, m))
			continue;
		if (l->have_limit && shown >= l->limit)
			break;
		rows[nrows++] = i;
		shown++;
	}
	size_t *order = NULL;
	if (l->json_tree) {	/* -J: the table's order */
		uint64_t *id = xmalloc((nrows + 1) * sizeof(*id)), *par = xmalloc((nrows + 1) * sizeof(*par));
		for (size_t k = 0; k < nrows; k++) {
			id[k] = all.v[rows[k]].m.id;
			par[k] = all.v[rows[k]].m.parent;
		}
		order = tree_order(id, par, nrows);
		free(id);
		free(par);
	}
	for (size_t k = 0; k < nrows; k++) {
		const struct tn_mi *m = &all.v[rows[order ? order[k] : k]].m;
		out_row_open(o);
		out_row_tree(o, m->id, m->parent);
		mountrec_emit_mi(o, m);
		out_row_close(o);
	}
	free(order);
	free(rows);
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

static bool wanted_watch(const void *l, const struct tn_statmount *sm)
{
	const struct lsm *lm = l;
	return sm ? wanted(lm, sm) : !lm->types && !lm->source;
}

static void show(struct out *o, const struct tn_statmount *sm)
{
	out_row_open(o);
	out_row_tree(o, sm->mnt_id, sm->mnt_parent_id);
	mountrec_emit(o, sm);
	out_row_close(o);
}

/* listmount failed: say why; the exit code. */
/* ID ~0 is listmount's name for the namespace's root, never a mount's. */
static int no_mount(const char *arg)
{
	tn_warn("%s: no such mount", arg);
	return TN_EXIT_FAIL;
}

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

/* One mount of the listing: a mountinfo line, a reply kept for -J's tree
 * order, or a row now. */
static void one_mount(struct lsm *l, struct out *o, struct kept *kept, const struct tn_statmount *sm)
{
	if (l->mountinfo)
		mi_show(l, sm);
	else if (l->json_tree)
		keep_reply(kept, sm);
	else
		show(o, sm);
}

/* statmount one listed id and show it when wanted.  0 shown, 1 not shown
 * (gone, failed: *failed set, or not wanted), -1 the listing ends (*failed
 * set). */
static int stat_one(struct lsm *l, struct out *o, struct kept *kept, struct tn_smbuf *b,
		    uint64_t id, uint64_t ns_id, uint64_t mask, int *failed)
{
	int e = tn_statmount(b, id, ns_id, mask);
	if (e == -EINVAL) {
		char label[32];
		snprintf(label, sizeof(label), "%llu", (unsigned long long)id);
		e = mountrec_stat(b, id, ns_id, mask, false, label);
		if (e) {
			*failed = e;
			return -1;
		}
	} else if (e == -ENOENT) {
		return 1;	/* unmounted since listmount: it is gone, go on */
	} else if (e < 0) {
		*failed = tn_syserr(-e, "statmount", "statmount %llu", (unsigned long long)id);
		return 1;
	}
	if (!wanted(l, b->sm))
		return 1;
	one_mount(l, o, kept, b->sm);
	return 0;
}

/* --mountinfo: statmount is most of its time, and replies for different
 * mounts do not wait on each other in the kernel, so the listed ids are
 * shared out to one thread per CPU in contiguous parts.  The first part
 * runs in this thread and writes its lines as they come; the others keep
 * theirs until it is done (about 150 bytes a mount), and the parts are
 * written in order.  A part stops at an id whose statmount fails other
 * than with ENOENT; that id and the rest of its part go through stat_one
 * here, with its messages. */
struct mi_par {
	struct lsm *l;
	bool tty;
	struct mi_part {
		struct sbuf out;
		size_t stop;
		bool stopped;
	} part[TN_SM_MAXPARTS];
};

static int mi_par_one(void *ctx, unsigned part, size_t i, const struct tn_statmount *sm, int err)
{
	struct mi_par *p = ctx;
	struct mi_part *pt = &p->part[part];
	if (err == -ENOENT)
		return 0;	/* gone since listmount */
	if (err) {
		pt->stop = i;
		pt->stopped = true;
		return 1;
	}
	if (!wanted(p->l, sm))
		return 0;
	if (part == 0) {
		mi_show(p->l, sm);	/* this thread: written as it goes */
		return 0;
	}
	mi_line(&pt->out, sm, p->tty);
	return 0;
}

static unsigned mi_parts(size_t n)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 512 || cpus < 2)
		return 1;	/* a thread costs more than it saves */
	return cpus > TN_SM_MAXPARTS ? TN_SM_MAXPARTS : (unsigned)cpus;
}

/* The ids from first (listed already) on to the end of li, as mountinfo
 * lines.  0, or an exit code when the listing or a statmount ends it. */
static int mi_list(struct lsm *l, const struct tn_args *a, struct out *o, struct tn_lister *li,
		   uint64_t parent, uint64_t first, uint64_t ns_id, uint64_t mask, int *failed)
{
	struct mi_par p = { .l = l, .tty = mi_tty() };
	struct kept kept = { 0 };	/* for stat_one: --mountinfo keeps none */
	uint64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int k = 1, r = 0;
	for (uint64_t id = first; k == 1; k = tn_list_next(li, &id)) {
		if (n == cap) {
			uint64_t *v = realloc(ids, (cap = cap ? cap * 2 : 4096) * sizeof(*ids));
			if (!v) {
				free(ids);
				return tn_syserr(ENOMEM, "malloc", "listmount");
			}
			ids = v;
		}
		ids[n++] = id;
	}
	if (k < 0) {
		free(ids);
		return list_error(l, a, parent, k);
	}
	struct tn_sm_many m = { ids, n, ns_id, mask, mi_parts(n), mi_par_one, &p };
	unsigned parts = (unsigned)tn_statmount_many(&m);
	struct tn_smbuf b = { 0 };
	for (unsigned j = 0; j < parts; j++) {
		struct mi_part *pt = &p.part[j];
		if (pt->out.len)
			sb_add(&l->milines, pt->out.p, pt->out.len);
		sb_free(&pt->out);
		for (size_t i = pt->stop, hi = tn_sm_part_lo(n, parts, j + 1);
		     pt->stopped && !r && i < hi; i++) {
			if (stat_one(l, o, &kept, &b, ids[i], ns_id, mask, failed) < 0)
				r = *failed;
		}
		mi_flush(l);
	}
	tn_smbuf_free(&b);
	free(ids);
	return r;
}

/* The mounts below parent (the whole namespace for LSMT_ROOT), parent
 * itself first, as rows of o.  0 or an exit code. */
static int list_mounts(struct lsm *l, const struct tn_args *a, struct out *o,
		       uint64_t parent, uint64_t ns_id)
{
	uint64_t mask = (l->mountinfo ? MOUNTREC_MOUNTINFO_MASK : out_need(o)) | STATMOUNT_MNT_BASIC;
	if (l->types)
		mask |= STATMOUNT_FS_TYPE | STATMOUNT_FS_SUBTYPE;
	if (l->source)
		mask |= STATMOUNT_SB_SOURCE;

	struct tn_smbuf b = { 0 };
	struct tn_lister li;
	struct kept kept = { 0 };
	uint64_t id, shown = 0;
	int r = 0, failed = 0;
	char label[32];

	/* The mount itself heads the list of its descendants. */
	if (parent != LSMT_ROOT && !l->after && !l->reverse) {
		snprintf(label, sizeof(label), "%llu", (unsigned long long)parent);
		if ((r = mountrec_stat(&b, parent, ns_id, mask, false, label)))
			goto done;
		if (wanted(l, b.sm) && (!l->have_limit || l->limit)) {
			one_mount(l, o, &kept, b.sm);
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
		if (l->mountinfo && !l->have_limit) {
			/* the rest statmount'ed side by side */
			r = mi_list(l, a, o, &li, parent, id, ns_id, mask, &failed);
			break;
		}
		int t = stat_one(l, o, &kept, &b, id, ns_id, mask, &failed);
		if (t < 0)
			break;
		shown += t == 0;
	}
	tn_list_free(&li);
done:
	kept_emit(&kept, o);
	if (l->mountinfo) {
		mi_flush(l);
		sb_free(&l->milines);
	}
	tn_smbuf_free(&b);
	return r ? r : failed;
}

/* --all-ns: the mounts of every namespace, each after its NS-ID.  The
 * exit code. */
static int list_all_ns(struct lsm *l, const struct tn_args *a, struct out *o)
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
	if ((r = mountinfo_usage(&l, &a.out)))
		goto out_args;
	if ((l.all_ns || l.namespaces) && (l.mountinfo || l.watch.on || l.watch.other)) {
		r = tn_usage_err("--%s covers every namespace: --mountinfo and --watch look at one "
				 "(use --ns)", l.all_ns ? "all-ns" : "namespaces");
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
	if (l.watch.on || l.watch.other) {
		uint64_t ns_id = 0;
		if (l.tree || l.reverse || l.after || l.have_limit || l.mountinfo || l.all_ns)
			r = tn_usage_err("--watch streams events: --tree, --reverse, --after, --limit, "
					 "--mountinfo and --all-ns are for a listing");
		else if (!(r = ns_of(&l, &ns_id)))
			r = lsmount_watch_run(&l.watch, &a, l.ns, ns_id, wanted_watch, &l);
		goto out_args;
	}
	bool have_listmount = tn_have_listmount();
	struct out_opts oo = a.out;
	char *jcols = json_columns(&a.out, have_listmount);
	if (jcols)
		oo.columns = jcols;
	char *defcols = l.all_ns ? all_ns_defcols() : NULL;
	r = out_init(&o, &oo, lsmount_cols, defcols, "mounts");
	free(defcols);
	free(jcols);
	if (r)
		goto out_args;
	if ((r = lsmount_watch_cols_refused(&o))) {
		out_free(&o);
		goto out_args;
	}
	if (!l.list && !a.out.raw) {
		out_tree(&o);
		l.json_tree = a.out.fmt == OUT_JSON;
	}

	uint64_t ns_id = 0, parent = LSMT_ROOT;
	if (!have_listmount && l.all_ns) {
		tn_warn("--all-ns needs listmount(2) and statmount(2) (Linux 6.8)");
		r = TN_EXIT_NOSYS;
	} else if (!have_listmount) {
		r = fallback(&l, &a, &o);	/* an older kernel: read mountinfo instead */
	} else if (l.all_ns) {
		r = list_all_ns(&l, &a, &o);
		out_end(&o);
	} else if (!(r = ns_of(&l, &ns_id)) &&
		   /* --mountinfo lists from inside the namespace, whose root its
		    * paths and propagate_from are relative to (statmount computes
		    * propagate_from against the caller's root); a PATH or an old
		    * id is that namespace's too */
		   !(l.ns && (l.mountinfo || (a.npos == 1 && nsarg_needs_enter(a.pos[0]))) &&
		     (r = nsarg_enter(l.ns))) &&
		   !(a.npos == 1 && (r = mountrec_resolve(a.pos[0], &parent))) &&
		   !(a.npos == 1 && parent == LSMT_ROOT && (r = no_mount(a.pos[0])))) {
		r = list_mounts(&l, &a, &o, parent, l.mountinfo && l.ns ? 0 : ns_id);
		if (!l.mountinfo)
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
		   "its descendants.  A number is a unique mount id; anything else is a path.\n"
		   "--mountinfo prints them as /proc/PID/mountinfo does, line for line;\n"
		   "--watch streams the mounts as they come and go (fanotify, Linux 6.15);\n"
		   "--all-ns lists every mount namespace's mounts, --namespaces the namespaces.",
	.opts = opts,
	.cols = lsmount_cols,
	.alt_key = LO_NAMESPACES,
	.alt_cols = lsmount_ns_cols,
	.args = TC_MOUNT,
	.main = run,
};
