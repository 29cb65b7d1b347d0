/* umount.c - unmount a mount, or a mount and everything below it (umount2),
 * printing, when asked, the record of each mount removed. */
#define _GNU_SOURCE
#include "common/mount_attr.h"
#include "common/mount_record.h"
#include "../core/mount.h"
#include "../opt.h"
#include "../util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

enum { UO_FLAGS = 0x280, UO_MNTID = 0x301, UO_RECURSIVE = 'R' };

/* Every umount2 flag is its own option, named as in tn_umount_names (force
 * and detach also as -f and -l, like umount(8)); then --flags and the rest. */
#define UM_KEY(val) ((val) == MNT_FORCE ? 'f' : (val) == MNT_DETACH ? 'l' : OPT_FLAG_KEY(val))
#define UM_FLAG(val, name, help) OPT_FLAG_ROW(UM_KEY(val), tn_umount_names, name, help)
static const struct tn_opt um_opts[] = {
	TN_UMOUNT_FLAGS(UM_FLAG)
	/* umount(8)'s long name for -l: the alias lazy of tn_umount_names */
	OPT_FLAG_ROW(OPT_FLAG_KEY(MNT_DETACH), tn_umount_names, "lazy", "the same as --detach (umount(8)'s name)")
	OPT_FLAGS_ROW(UO_FLAGS, tn_umount_names, "umount2 flags by name or number (0x...)"),
	{ UO_RECURSIVE, "recursive", NULL, "also every mount below it, those below first", TC_NONE, NULL, 0, NULL },
	{ UO_MNTID, "mount-id", "ID", "the mount with this unique id (no TARGET)", TC_MNTID, NULL, 0, NULL },
	MOUNTREC_VERBOSE_OPT("print the record of each mount unmounted (-o, -J, -P: in that form)"),
	{ 0, NULL, NULL, NULL, 0, NULL, 0, NULL }
};

struct um {
	uint64_t flags;
	bool recursive, verbose;
	const char *mntid;
};

static int cb(void *ctx, int key, const char *arg, char **rest, int nrest)
{
	struct um *u = ctx;
	(void)rest;
	(void)nrest;
	int r = opt_flag_cb(&cmd_umount, key, arg, &u->flags);
	if (r != TN_OPT_NOT_MINE)
		return r;
	if (key == UO_RECURSIVE)
		u->recursive = true;
	else if (key == UO_MNTID)
		u->mntid = arg;
	else if (key == 'v')
		u->verbose = true;
	return TN_OPT_GO;
}

struct idlist { uint64_t *v; size_t n, cap; };

static void push(struct idlist *l, uint64_t id)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = id;
}

/* One mount of a -R tree: its parent (index in the tree, SIZE_MAX for the
 * top one or a parent not in the tree) and its mount point. */
struct node { uint64_t id; size_t parent; char *point; };

/* The children of a mount side by side, each group in the order they can
 * go: a child mounted on a directory on the way to a sibling's mount point
 * (or on the parent's root, over every other child) hides that sibling, so
 * it comes first.  strcmp puts a path before every path it leads to.  Two
 * at one point are not expected (the kernel stacks a new mount on the root
 * of the one it covers, as its child): the newer first, for a fixed order. */
static int by_place(const void *a, const void *b)
{
	const struct node *x = *(struct node *const *)a, *y = *(struct node *const *)b;
	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	int c = strcmp(x->point, y->point);
	if (c)
		return c;
	return x->id != y->id ? (x->id < y->id ? 1 : -1) : 0;
}

/* The mounts of the tree, children first: nodes[0] (the top) last, each
 * mount after every mount below it, and the children of a mount after the
 * ones that hide them (by_place), so that each mount point, when its turn
 * comes, leads to that mount and not to one over it.  Puts n ids in out. */
static void order(struct node *nodes, size_t n, struct idlist *out)
{
	struct node **sorted = xcalloc(n, sizeof(*sorted));
	size_t *first = xcalloc(n, sizeof(*first)), *count = xcalloc(n, sizeof(*count));
	size_t *stack = xcalloc(n, sizeof(*stack)), *next = xcalloc(n, sizeof(*next));
	for (size_t i = 0; i < n; i++)
		sorted[i] = &nodes[i];
	qsort(sorted, n, sizeof(*sorted), by_place);
	for (size_t k = 0; k < n; k++) {
		size_t p = sorted[k]->parent;
		if (p != SIZE_MAX && count[p]++ == 0)
			first[p] = k;
	}
	/* depth first from the top, each mount once its children are out;
	 * one not below the top (moved away meanwhile) is never reached */
	size_t sp = 0;
	stack[sp++] = 0;
	while (sp) {
		size_t t = stack[sp - 1];
		if (next[t] < count[t])
			stack[sp++] = (size_t)(sorted[first[t] + next[t]++] - nodes);
		else {
			push(out, nodes[t].id);
			sp--;
		}
	}
	free(sorted);
	free(first);
	free(count);
	free(stack);
	free(next);
}

/* id and every mount below it, in the order they can be unmounted (order).
 * listmount gives all the mounts below a mount on newer kernels and only
 * its children on older ones: asking each one found, with a set against
 * repeats, covers both.  The tree comes from statmount: parent ids and
 * mount points, all taken before anything is unmounted.  A mount gone
 * meanwhile is left out.  0, or an exit code (said). */
static int collect(uint64_t id, const char *arg, struct idlist *out)
{
	struct idlist all = { 0 };
	struct tn_idmap seen = { 0 };	/* id -> index in all */
	struct tn_smbuf b = { 0 };
	int r = 0, ret = 0;
	push(&all, id);
	tn_idmap_put(&seen, id, 0);
	for (size_t q = 0; q < all.n && r >= 0; q++) {
		struct tn_lister l;
		uint64_t c;
		tn_list_init(&l, all.v[q], 0, false, 0, 0);
		while ((r = tn_list_next(&l, &c)) > 0)
			if (tn_idmap_get(&seen, c) == SIZE_MAX) {
				tn_idmap_put(&seen, c, all.n);
				push(&all, c);
			}
		tn_list_free(&l);
	}
	if (r < 0)
		ret = tn_syserr(-r, "listmount", "%s: the mounts below it", arg);
	struct node *nodes = xcalloc(all.n, sizeof(*nodes));
	size_t n = 0;
	for (size_t i = 0; i < all.n && !ret; i++) {
		char label[32];
		snprintf(label, sizeof(label), "%llu", (unsigned long long)all.v[i]);
		r = tn_statmount(&b, all.v[i], 0, STATMOUNT_MNT_BASIC | STATMOUNT_MNT_POINT);
		if (r == -ENOENT && i > 0)
			continue;	/* unmounted by someone else meanwhile */
		if (r < 0) {
			ret = tn_syserr(-r, "statmount", "mount %s: statmount", label);
			break;
		}
		const char *mp = tn_sm_str(b.sm, STATMOUNT_MNT_POINT, b.sm->mnt_point);
		if (!mp) {
			tn_warn("mount %s: the kernel did not give its mount point", label);
			ret = TN_EXIT_FAIL;
			break;
		}
		nodes[n++] = (struct node){ all.v[i], b.sm->mnt_parent_id, xstrdup(mp) };
	}
	tn_smbuf_free(&b);
	if (!ret) {
		/* parent ids to indices (the top's parent is outside) */
		tn_idmap_free(&seen);
		for (size_t i = 0; i < n; i++)
			tn_idmap_put(&seen, nodes[i].id, i);
		for (size_t i = 0; i < n; i++)
			nodes[i].parent = i ? tn_idmap_get(&seen, nodes[i].parent) : SIZE_MAX;
		order(nodes, n, out);
	}
	for (size_t i = 0; i < n; i++)
		free(nodes[i].point);
	free(nodes);
	free(all.v);
	tn_idmap_free(&seen);
	return ret;
}

/* Does path (a /proc magic link, followed) lead onto the mount id? */
static bool on_mount(const char *path, uint64_t id)
{
	uint64_t got;
	return tn_mnt_id_of(AT_FDCWD, path, AT_NO_AUTOMOUNT, &got) == 0 && got == id;
}

/* Does any entry of a /proc/PID/fd or /proc/PID/map_files lead onto it? */
static bool any_on_mount(const char *dir, uint64_t id)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];
	bool hit = false;
	if (!d)
		return false;
	while (!hit && (e = readdir(d)))
		if (e->d_name[0] != '.' && snprintf(p, sizeof(p), "%s/%s", dir, e->d_name) < (int)sizeof(p))
			hit = on_mount(p, id);
	closedir(d);
	return hit;
}

/* How process pid uses the mount id (what fuser -m looks at): appends
 * "pid N (COMM): what, what" to b (after "; " if b has something) when
 * named; returns whether it uses it. */
static bool proc_uses(const char *pid, uint64_t id, bool named, struct sbuf *b)
{
	static const struct { const char *link, *what; bool dir; } uses[] = {
		{ "cwd", "working directory", false }, { "root", "root directory", false },
		{ "exe", "executable", false }, { "fd", "open file", true },
		{ "map_files", "mapped file", true } };
	char p[512], comm[64] = "?";
	int hits = 0;
	for (size_t i = 0; i < sizeof(uses) / sizeof(uses[0]); i++) {
		snprintf(p, sizeof(p), "/proc/%s/%s", pid, uses[i].link);
		if (!(uses[i].dir ? any_on_mount(p, id) : on_mount(p, id)))
			continue;
		if (!named)
			return true;
		if (hits++ == 0) {
			snprintf(p, sizeof(p), "/proc/%s/comm", pid);
			FILE *f = fopen(p, "re");
			if (f) {
				if (fgets(comm, sizeof(comm), f))
					comm[strcspn(comm, "\n")] = 0;
				fclose(f);
			}
			/* raw: the message sink escapes it */
			if (atoi(pid) == getpid())
				sb_printf(b, "%sthis tnos itself (pid %s): ", b->len ? "; " : "", pid);
			else
				sb_printf(b, "%spid %s (%s): ", b->len ? "; " : "", pid, comm);
		}
		sb_printf(b, "%s%s", hits > 1 ? ", " : "", uses[i].what);
	}
	return hits > 0;
}

/* The processes that keep mount id busy, tnos itself first, the first five
 * named in b; returns how many. */
static int users_of(uint64_t id, struct sbuf *b)
{
	char self[24];
	snprintf(self, sizeof(self), "%d", (int)getpid());
	int n = proc_uses(self, id, true, b);
	DIR *proc = opendir("/proc");
	struct dirent *e;
	if (!proc)
		return n;
	while ((e = readdir(proc)))
		if (tn_all_digits(e->d_name) && strcmp(e->d_name, self))
			n += proc_uses(e->d_name, id, n < 5, b);
	closedir(proc);
	if (n > 5)
		sb_printf(b, "; and %d more process%s", n - 5, n - 5 > 1 ? "es" : "");
	return n;
}

static bool has_submounts(uint64_t id)
{
	struct tn_lister l;
	uint64_t c;
	tn_list_init(&l, id, 0, false, 0, 0);
	bool any = tn_list_next(&l, &c) > 0;
	tn_list_free(&l);
	return any;
}

/* Why is it busy?  The processes using it, else a mount below it (without
 * -R), else what /proc cannot show.  id 0: not looked at (--expire). */
static void explain_busy(int err, const char *label, uint64_t id, bool recursive)
{
	struct sbuf users = { 0 };
	if (id && users_of(id, &users) > 0)
		tn_warn("%s: umount2: %s (in use by %s; --detach unmounts it lazily)", label,
			strerror(err), users.p);
	else if (id && !recursive && has_submounts(id))
		tn_warn("%s: umount2: %s (a mount below it: -R takes the mounts below first)", label,
			strerror(err));
	else if (id)
		tn_warn("%s: umount2: %s (no process this one can see uses it: a process in another "
			"PID namespace, or a kernel user such as a loop device or swap file; "
			"--detach unmounts it lazily)", label, strerror(err));
	else
		tn_warn("%s: umount2: %s (open files, a working directory or a mount below it)", label,
			strerror(err));
	sb_free(&users);
}

static int explain(int err, const char *label, uint64_t flags, uint64_t id, bool recursive)
{
	int r = opt_flags_refused(err, "umount2", "--flags", tn_umount_names, flags);
	if (r)
		return r;
	switch (err) {
	case EBUSY:
		explain_busy(err, label, id, recursive);
		return TN_EXIT_FAIL;
	case EAGAIN:
		if (flags & MNT_EXPIRE) {
			tn_warn("%s: marked as expired, not unmounted: run 'tnos umount --expire' again to "
				"unmount it if nothing uses it meanwhile", label);
			return TN_EXIT_FAIL;
		}
		break;
	case EINVAL:
		tn_warn("%s: umount2: %s (a mount this namespace may not unmount: locked, because it "
			"came from a more privileged mount namespace, or the namespace's root)", label,
			strerror(err));
		return TN_EXIT_FAIL;
	}
	return tn_syserr(err, "umount2", "%s: umount2", label);
}

/* Unmount the mount id (at path, already checked to be that mount): take
 * its record first, print it after; o NULL: no record asked for. */
static int umount_one(struct out *o, uint64_t id, const char *path, uint64_t flags, bool recursive)
{
	struct tn_smbuf b = { 0 };
	char label[32];
	snprintf(label, sizeof(label), "%llu", (unsigned long long)id);
	int r = o ? mountrec_stat(&b, id, 0, out_need(o) | TN_STATMOUNT_ALL, false, label) : 0;
	if (r) {
		tn_smbuf_free(&b);
		return r;
	}
	if (umount2(path, (int)flags) < 0) {
		r = explain(errno, path, flags, id, recursive);
	} else if (o) {
		out_row_open(o);
		mountrec_emit(o, b.sm);
		out_row_close(o);
	}
	tn_smbuf_free(&b);
	return r;
}

/* The mount point of id, checked to lead to id itself (not to a mount
 * stacked over it).  Returns a malloc'd path, or NULL after a message. */
static char *point_of(uint64_t id, const char *label)
{
	struct tn_smbuf b = { 0 };
	uint64_t got;
	if (mountrec_stat(&b, id, 0, STATMOUNT_MNT_POINT, true, label)) {
		tn_smbuf_free(&b);
		return NULL;
	}
	const char *mp = tn_sm_str(b.sm, STATMOUNT_MNT_POINT, b.sm->mnt_point);
	char *p = mp ? xstrdup(mp) : NULL;
	tn_smbuf_free(&b);
	if (!p) {
		tn_warn("mount %s: the kernel did not give its mount point", label);
		return NULL;
	}
	int e = tn_mnt_id_of(AT_FDCWD, p, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, &got);
	if (e < 0 || got != id) {
		if (e < 0)
			tn_syserr(-e, "statx", "mount %s: its mount point %s", label, p);
		else
			tn_warn("mount %s: its mount point %s now leads to another mount (%llu, mounted "
				"over it): not unmounting the wrong one", label, p, (unsigned long long)got);
		free(p);
		return NULL;
	}
	return p;
}

/* Is the mount id no longer in this namespace (statmount: ENOENT)? */
static bool gone(uint64_t id)
{
	struct tn_smbuf b = { 0 };
	bool g = tn_statmount(&b, id, 0, STATMOUNT_MNT_BASIC) == -ENOENT;
	tn_smbuf_free(&b);
	return g;
}

/* -R: every mount below id (path), in the order collect gives, then id
 * itself.  A mount gone by its turn went with an earlier one (an unmount
 * propagates to the copies of a mount in peer and slave mounts): passed
 * over.  0 or the first failure's exit code. */
static int umount_tree(struct out *o, uint64_t id, const char *path, uint64_t flags,
		       const char *arg)
{
	struct idlist below = { 0 };
	int r = collect(id, arg, &below);
	for (size_t k = 0; k < below.n && !r; k++) {
		if (gone(below.v[k]))
			continue;
		if (below.v[k] == id) {
			r = umount_one(o, id, path, flags, true);
			continue;
		}
		char label[32];
		snprintf(label, sizeof(label), "%llu", (unsigned long long)below.v[k]);
		char *p = point_of(below.v[k], label);
		r = p ? umount_one(o, below.v[k], p, flags | UMOUNT_NOFOLLOW, true) : TN_EXIT_FAIL;
		free(p);
	}
	free(below.v);
	return r;
}

/* The mount arg names (a TARGET, or --mount-id's ID), checked and its id
 * and path found: 0 and *path malloc'd, or an exit code (said). */
static int find_mount(const struct um *u, const char *arg, uint64_t *flags, uint64_t *id,
		      char **path)
{
	if (u->mntid) {
		int r;
		if ((r = mountrec_id_opt("--mount-id", arg, id)))
			return r;
		if (!(*path = point_of(*id, arg)))
			return TN_EXIT_FAIL;
		*flags |= UMOUNT_NOFOLLOW;	/* the checked path, as it is */
		return 0;
	}
	int at = ((*flags & UMOUNT_NOFOLLOW) ? AT_SYMLINK_NOFOLLOW : 0) | AT_NO_AUTOMOUNT;
	int e = tn_mnt_id_of(AT_FDCWD, arg, at, id);
	if (e < 0)
		return tn_syserr(-e, "statx", "%s", arg);
	if (tn_is_mount_root(AT_FDCWD, arg, at) == 0) {
		tn_warn("%s: not a mount point", arg);
		return TN_EXIT_FAIL;
	}
	*path = xstrdup(arg);
	return 0;
}

/* Unmount what one argument names.  0 or an exit code. */
static int umount_arg(const struct um *u, struct out *o, const char *arg)
{
	char *path = NULL;
	uint64_t id, flags = u->flags;
	int r;
	if ((r = tn_empty_path(NULL, arg)))
		return r;
	if (flags & MNT_EXPIRE) {
		/* any look at the mount (statx, statmount's path walk) clears
		 * the mark umount2 set the first time: nothing but the call
		 * itself, and no record */
		if (umount2(arg, (int)flags) < 0)
			r = explain(errno, arg, flags, 0, false);
		return r;
	}
	if ((r = find_mount(u, arg, &flags, &id, &path)))
		return r;
	if (!u->recursive)
		r = umount_one(o, id, path, flags, false);
	else
		r = umount_tree(o, id, path, flags, arg);
	free(path);
	return r;
}

static int run(int argc, char **argv)
{
	struct um u = { 0 };
	struct tn_args a;
	struct out o;
	bool have_out = false;
	int r = opt_parse(&cmd_umount, argc, argv, cb, &u, &a);
	if (r != TN_OPT_GO)
		goto out;
	if (u.mntid && a.npos) {
		r = tn_usage_err("--mount-id names the mount: no TARGET ('%s')", a.pos[0]);
		goto out;
	}
	if (!u.mntid && !a.npos) {
		r = tn_usage_err("which mount? give a TARGET or --mount-id ID");
		goto out;
	}
	if ((u.flags & MNT_EXPIRE) && (u.flags & (MNT_FORCE | MNT_DETACH) || u.recursive || u.mntid)) {
		r = tn_usage_err("--expire takes TARGET paths alone: umount2 refuses it with --force "
				 "or --detach, and -R or --mount-id would look at the mounts first, "
				 "which clears their expiry mark");
		goto out;
	}
	if (mountrec_asked(&a.out, u.verbose)) {
		if ((r = out_init(&o, &a.out, tn_mount_cols, cmd_umount.defcols, "mounts")))
			goto out;
		have_out = true;
		out_records(&o, !u.recursive && (u.mntid || a.npos == 1));
	}

	int n = u.mntid ? 1 : a.npos, failed = 0;
	for (int i = 0; i < n; i++) {
		r = umount_arg(&u, have_out ? &o : NULL, u.mntid ? u.mntid : a.pos[i]);
		failed = failed ? failed : r;
	}
	r = failed;
	if (have_out)
		out_end_if_any(&o);
out:
	if (have_out)
		out_free(&o);
	free(a.pos);
	return r;
}

const struct tn_cmd cmd_umount = {
	.name = "umount",
	.summary = "unmount mounts (umount2)",
	.usage = "[options] TARGET...\n"
		 "       tnos umount [options] --mount-id ID",
	.details = "Unmounts the mount at each TARGET (a mount point).  Prints nothing on\n"
		   "success; -v prints the record each mount had, -o, -J, --ndjson or -P print\n"
		   "it in that form.  The mount is identified first (statx unique mount id) and\n"
		   "its record taken; --mount-id unmounts by id, refusing when something is\n"
		   "mounted over its mount point.  -R unmounts the mounts below first: each\n"
		   "after the mounts below it, and a mount stacked over another, or mounted on\n"
		   "a directory that holds another's mount point, before the mounts it hides.\n"
		   "It stops at the first that fails (the records of those unmounted are\n"
		   "printed if asked for).  Several TARGETs: each is tried; exit 1 if any\n"
		   "failed.  --expire prints no record: looking at the mount first would clear\n"
		   "the mark umount2 sets.",
	.opts = um_opts,
	.cols = tn_mount_cols,
	.defcols = "*",
	.args = TC_MOUNT,
	.main = run,
};
