/* fsmount.c - create a mount with the new mount API (fsopen, fsconfig,
 * fsmount, move_mount), reconfigure one (fspick), bind one (open_tree), or
 * run a command inside a mount that is never attached. */
#define _GNU_SOURCE
#include "common/file_ops.h"
#include "common/mount_attr.h"
#include "common/mount_record.h"
#include "../core/mntapi.h"
#include "../core/uapi.h"
#include "../core/optsplit.h"
#include "../opt.h"
#include "../util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum {
	FO_SOURCE = 0x100, FO_SETPATH, FO_SETPATHEMPTY, FO_SETBIN, FO_SETFD, FO_EXCL, FO_ATTR,
	FO_BENEATH, FO_RECONF, FO_BIND, FO_IDMAP, FO_DETACHED,
};

static const struct tn_opt opts[] = {
	{ 'o', "options", "OPTS", "filesystem options key[=value][,...]; a bare key is a flag", 0, NULL, OPT_FSOPTS, NULL },
	{ FO_SOURCE, "source", "SRC", "the filesystem's source (device, server:/path, name)", TC_SOURCE, NULL, 0, NULL },
	{ FO_SETPATH, "set-path", "KEY=PATH", "pass a path (FSCONFIG_SET_PATH)", TC_FILE, NULL, 0, NULL },
	{ FO_SETPATHEMPTY, "set-path-empty", "KEY=PATH", "pass PATH as an fd and an empty path (SET_PATH_EMPTY)", TC_FILE, NULL, 0, NULL },
	{ FO_SETBIN, "set-binary", "KEY=@FILE", "pass the bytes of FILE (FSCONFIG_SET_BINARY)", TC_FILE, NULL, 0, NULL },
	{ FO_SETFD, "set-fd", "KEY=PATH", "open PATH and pass the fd (FSCONFIG_SET_FD)", TC_FILE, NULL, 0, NULL },
	{ FO_EXCL, "exclusive", NULL, "fail rather than reuse an existing superblock (6.6)", 0, NULL, 0, NULL },
	{ FO_ATTR, "attr", "ATTRS", "mount attributes of the new mount", TC_NAMES, tn_mount_attr_names, 0, NULL },
	{ FO_BENEATH, "beneath", NULL, "mount beneath the top mount at TARGET (6.5)", 0, NULL, 0, NULL },
	{ FO_RECONF, "reconfigure", "TARGET", "change the options of the filesystem mounted at TARGET", TC_DIR, NULL, 0, NULL },
	{ FO_BIND, "bind", "SRC", "bind mount SRC (open_tree) instead of a new filesystem", TC_FILE, NULL, 0, NULL },
	{ 'R', "recursive", NULL, "with --bind: the submounts of SRC too", 0, NULL, 0, NULL },
	{ FO_IDMAP, "idmap", "PID|PATH|MAP", "with --bind: idmapped through this user namespace, or one made from MAP (u:0:100000:65536 g:...)", TC_PID, NULL, 0, NULL },
	{ FO_DETACHED, "detached", NULL, "attach nowhere: run the command after -- inside the mount", 0, NULL, 0, NULL },
	{ 'v', "verbose", NULL, "print the new mount's record, and the kernel's warnings and information", 0, NULL, 0, NULL },
	{ 0, NULL, NULL, NULL, 0, NULL, 0, NULL }
};

/* One fsconfig call, in command-line order. */
struct cfg {
	int kind;		/* TN_FSCONFIG_SET_* */
	char *key, *val;	/* val: string, path, or file name */
	const char *opt;	/* the option, for messages */
};

struct fsm {
	struct cfg *cfg;
	size_t ncfg;
	uint64_t attr, attr_fields;
	bool have_attr, excl, beneath, recursive, detached, verbose;
	const char *reconf, *bind, *idmap;
	/* state */
	const char *fstype;	/* for messages: FSTYPE, or the target */
	int fsfd;
	struct tn_fsmsgs msgs;
};

static void add_cfg(struct fsm *f, int kind, const char *key, size_t klen, const char *val,
		    const char *opt)
{
	f->cfg = xrealloc(f->cfg, (f->ncfg + 1) * sizeof(*f->cfg));
	struct cfg *c = &f->cfg[f->ncfg++];
	c->kind = kind;
	c->key = strndup(key, klen);
	if (!c->key)
		c->key = xstrdup("");
	c->val = val ? xstrdup(val) : NULL;
	c->opt = opt;
}

static int add_option(void *ctx, const char *key, size_t klen, const char *val)
{
	add_cfg(ctx, val ? TN_FSCONFIG_SET_STRING : TN_FSCONFIG_SET_FLAG, key, klen, val, "-o");
	return 0;
}

/* -o a,b=c,d="x,y": split on commas outside double quotes; quotes are removed. */
static int parse_options(struct fsm *f, const char *list)
{
	const char *why;
	int r = tn_optsplit(list, add_option, f, &why);
	if (r == -ENOMEM)
		return tn_syserr(ENOMEM, NULL, "-o %s", list);
	if (r < 0)
		return tn_usage_err("-o %s: %s", list, why);
	return 0;
}

static int key_value(struct fsm *f, int kind, const char *opt, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg)
		return tn_usage_err("--%s %s: give KEY=%s", opt, arg,
				    kind == TN_FSCONFIG_SET_BINARY ? "@FILE" : "PATH");
	const char *v = eq + 1;
	if (kind == TN_FSCONFIG_SET_BINARY) {
		if (v[0] != '@' || !v[1])
			return tn_usage_err("--%s %s: the value is @FILE, the file holding the bytes", opt, arg);
		v++;
	} else if (!*v) {
		/* an empty path names no file (not the working directory) */
		tn_warn("--%s %.*s='': %s", opt, (int)(eq - arg), arg, strerror(ENOENT));
		return TN_EXIT_FAIL;
	}
	static const char *const names[] = {
		[TN_FSCONFIG_SET_BINARY] = "--set-binary", [TN_FSCONFIG_SET_PATH] = "--set-path",
		[TN_FSCONFIG_SET_PATH_EMPTY] = "--set-path-empty", [TN_FSCONFIG_SET_FD] = "--set-fd" };
	add_cfg(f, kind, arg, eq - arg, v, names[kind]);
	return 0;
}

static int cb(void *ctx, int key, const char *arg, char **rest, int nrest)
{
	struct fsm *f = ctx;
	(void)rest;
	(void)nrest;
	switch (key) {
	case 'o':
		return parse_options(f, arg) ? TN_EXIT_USAGE : TN_OPT_GO;
	case FO_SOURCE:
		add_cfg(f, TN_FSCONFIG_SET_STRING, "source", 6, arg, "--source");
		break;
	case FO_SETPATH:
		return key_value(f, TN_FSCONFIG_SET_PATH, "set-path", arg) ?: TN_OPT_GO;
	case FO_SETPATHEMPTY:
		return key_value(f, TN_FSCONFIG_SET_PATH_EMPTY, "set-path-empty", arg) ?: TN_OPT_GO;
	case FO_SETBIN:
		return key_value(f, TN_FSCONFIG_SET_BINARY, "set-binary", arg) ?: TN_OPT_GO;
	case FO_SETFD:
		return key_value(f, TN_FSCONFIG_SET_FD, "set-fd", arg) ?: TN_OPT_GO;
	case FO_EXCL: f->excl = true; break;
	case FO_ATTR: {
		uint64_t v, fl;
		if (attr_parse("attr", arg, &v, &fl))
			return TN_EXIT_USAGE;
		if (v & MOUNT_ATTR_IDMAP)
			return tn_usage_err("--attr: an idmapped mount is made with --bind SRC --idmap USERNS");
		if (f->have_attr && ((f->attr_fields & fl & MOUNT_ATTR__ATIME) &&
				     ((f->attr ^ v) & MOUNT_ATTR__ATIME)))
			return tn_usage_err("--attr: two different atime settings: choose one");
		if (f->have_attr && ((f->attr_fields & fl & MOUNT_ATTR_RDONLY) &&
				     ((f->attr ^ v) & MOUNT_ATTR_RDONLY)))
			return tn_usage_err("--attr: 'rw' and 'ro' contradict each other: choose one");
		f->attr |= v;
		f->attr_fields |= fl;
		f->have_attr = true;
		break;
	}
	case FO_BENEATH: f->beneath = true; break;
	case FO_RECONF: f->reconf = arg; break;
	case FO_BIND: f->bind = arg; break;
	case 'R': f->recursive = true; break;
	case FO_IDMAP:
		if (attr_idmap_check(arg))
			return TN_EXIT_USAGE;
		f->idmap = arg;
		break;
	case FO_DETACHED: f->detached = true; break;
	case 'v': f->verbose = true; break;
	}
	return TN_OPT_GO;
}

/* ---- the record: the mount columns plus the context's messages */

static const struct tn_col fsm_cols[] = {
	MC_COLS_INIT
	[MC_NCOLS] = { "MESSAGES", "messages", T_STRV, 0,
		       "the fs context's messages: \"e|w|i TEXT\" as read(2) gave them", NULL, 0 },
	{ NULL, NULL, 0, 0, NULL, NULL, 0 }
};

static void emit_msgs(struct out *o, const struct tn_fsmsgs *m)
{
	struct sbuf b = { 0 };
	if (!m->n && !out_is_json(o))
		return;
	sb_add(&b, "", 0);
	for (size_t i = 0; i < m->n; i++)
		sb_add(&b, m->v[i], strlen(m->v[i]) + 1);
	out_strnul(o, MC_NCOLS, b.p, m->n);
	sb_free(&b);
}

/* The new mount's statmount record with its messages. */
static void emit_msgs_cb(struct out *o, void *ctx)
{
	emit_msgs(o, ctx);
}

static int print_record(const struct out_opts *oo, uint64_t id, const struct tn_fsmsgs *m)
{
	return mountrec_print_ex(oo, fsm_cols, id, emit_msgs_cb, (void *)m);
}

/* On failure, JSON readers still get the messages: {"messages": [...]}. */
static void print_failed_msgs(const struct out_opts *oo, const struct tn_fsmsgs *m)
{
	struct out o;
	struct out_opts lo = *oo;
	if (oo->fmt != OUT_JSON && oo->fmt != OUT_NDJSON)
		return;
	lo.columns = "MESSAGES";
	if (out_init(&o, &lo, fsm_cols, "*", "mounts"))
		return;
	out_records(&o, true);
	out_row_open(&o);
	emit_msgs(&o, m);
	out_row_close(&o);
	out_end(&o);
	out_free(&o);
}

/* The kernel's messages on stderr: errors always, the rest with -v. */
static void show_msgs(const struct fsm *f)
{
	static const struct { char k; const char *w; } kinds[] = {
		{ 'e', "error" }, { 'w', "warning" }, { 'i', "info" } };
	for (size_t i = 0; i < f->msgs.n; i++) {
		const char *s = f->msgs.v[i], *word = NULL;
		for (size_t k = 0; k < 3; k++)
			if (s[0] == kinds[k].k && s[1] == ' ')
				word = kinds[k].w;
		if (!word) {
			if (f->verbose)
				tn_warn("kernel: %s", s);
			continue;
		}
		if (s[0] == 'e' || f->verbose)
			tn_warn("%s: %s", word, s + 2);
	}
	if (f->msgs.lost)
		tn_warn("%zu kernel message(s) too long to read were lost", f->msgs.lost);
}

static void drain(struct fsm *f)
{
	if (f->fsfd >= 0)
		tn_fsctx_drain(f->fsfd, &f->msgs);
}

/* ---- the steps */

static int read_file(const char *path, struct sbuf *b)
{
	FILE *fp = strcmp(path, "-") ? fopen(path, "re") : stdin;
	char buf[65536];
	size_t n;
	if (!fp)
		return -errno;
	sb_add(b, "", 0);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		sb_add(b, buf, n);
		if (b->len > (1u << 20))
			break;
	}
	int e = ferror(fp) ? (errno ? errno : EIO) : 0;
	if (fp != stdin)
		fclose(fp);
	if (e)
		return -e;
	return b->len > (1u << 20) ? -EFBIG : 0;
}

static int config(struct fsm *f)
{
	for (size_t i = 0; i < f->ncfg; i++) {
		struct cfg *c = &f->cfg[i];
		int r = 0, fd = -1;
		struct sbuf b = { 0 };
		switch (c->kind) {
		case TN_FSCONFIG_SET_FLAG:
			r = tn_fsctx_flag(f->fsfd, c->key);
			break;
		case TN_FSCONFIG_SET_STRING:
			r = tn_fsctx_string(f->fsfd, c->key, c->val);
			break;
		case TN_FSCONFIG_SET_PATH:
			r = tn_fsctx_path(f->fsfd, c->key, AT_FDCWD, c->val, false);
			break;
		case TN_FSCONFIG_SET_PATH_EMPTY:
			fd = open(c->val, O_PATH | O_CLOEXEC);
			if (fd < 0)
				return tn_syserr(errno, NULL, "%s %s=%s", c->opt, c->key, c->val);
			r = tn_fsctx_path(f->fsfd, c->key, fd, "", true);
			break;
		case TN_FSCONFIG_SET_FD:
			fd = open(c->val, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				return tn_syserr(errno, NULL, "%s %s=%s", c->opt, c->key, c->val);
			r = tn_fsctx_fd(f->fsfd, c->key, fd);
			break;
		case TN_FSCONFIG_SET_BINARY:
			r = read_file(c->val, &b);
			if (r == -EFBIG) {
				sb_free(&b);
				tn_warn("%s %s=@%s: more than 1 MiB, the most fsconfig takes", c->opt, c->key, c->val);
				return TN_EXIT_FAIL;
			}
			if (r < 0) {
				sb_free(&b);
				return tn_syserr(-r, NULL, "%s %s=@%s", c->opt, c->key, c->val);
			}
			r = tn_fsctx_binary(f->fsfd, c->key, b.p, b.len);
			break;
		}
		if (fd >= 0)
			close(fd);
		sb_free(&b);
		drain(f);
		if (r < 0) {
			const char *sep = c->kind == TN_FSCONFIG_SET_FLAG ? "" : "=";
			const char *val = c->kind == TN_FSCONFIG_SET_FLAG ? "" : c->val;
			if (!strcmp(c->opt, "--source"))
				return tn_syserr(-r, "fsconfig", "%s: --source %s", f->fstype, c->val);
			/* mount(8)'s -o noexec and the like are per-mount
			 * attributes here, which no filesystem takes */
			const struct tn_name *an = c->kind == TN_FSCONFIG_SET_FLAG && r == -EINVAL
				? names_find(tn_mount_attr_names, c->key, strlen(c->key)) : NULL;
			if (an && an->val != MOUNT_ATTR_IDMAP) {
				if (f->reconf)
					tn_warn("%s: -o %s: a mount attribute, not a filesystem option: "
						"change it with 'tnos setattr %s --attr %s'", f->reconf,
						c->key, f->reconf, an->name);
				else
					tn_warn("%s: -o %s: a mount attribute, not a filesystem option: "
						"give '--attr %s'", f->fstype, c->key, an->name);
				return TN_EXIT_FAIL;
			}
			return tn_syserr(-r, "fsconfig", "%s: %s %s%s%s%s", f->fstype, c->opt, c->key, sep,
					 c->kind == TN_FSCONFIG_SET_BINARY ? "@" : "", val);
		}
	}
	return 0;
}

/* Open TARGET as an O_PATH fd; say plainly what is wrong with it. */
static int open_target(const char *target, bool want_dir, int *fdp)
{
	struct stat st;
	int fd = open(target, O_PATH | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		if (e == ENOENT) {
			tn_warn("%s: the mount point does not exist (create it first)", target);
			return TN_EXIT_FAIL;
		}
		return tn_syserr(e, NULL, "mount point %s", target);
	}
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return tn_syserr(e, NULL, "mount point %s", target);
	}
	if (want_dir && !S_ISDIR(st.st_mode)) {
		close(fd);
		tn_warn("%s: the mount point is not a directory (the new mount's root is one)", target);
		return TN_EXIT_FAIL;
	}
	if (!want_dir && S_ISDIR(st.st_mode)) {
		close(fd);
		tn_warn("%s: the mount point is a directory, but the bind source is not", target);
		return TN_EXIT_FAIL;
	}
	*fdp = fd;
	return 0;
}

static int explain_attach(int err, const char *target, bool beneath)
{
	if (err == EINVAL && beneath) {
		int root = tn_is_mount_root(AT_FDCWD, target, 0);
		if (root == 0) {
			tn_warn("%s: --beneath needs a mount point: nothing is mounted there", target);
			return TN_EXIT_FAIL;
		}
		if (tn_kernel_before(6, 5)) {
			tn_warn("%s: move_mount: MOVE_MOUNT_BENEATH needs Linux 6.5 or later", target);
			return TN_EXIT_NOSYS;
		}
	}
	return tn_syserr(err, "move_mount", "%s: attaching the mount", target);
}

/* open_tree (or open_tree_attr) of --bind PATH failed with err: the
 * kernel's EINVAL most often means that the mount is unbindable, which it
 * does not say.  If so, says it and returns true. */
static bool said_unbindable(const char *path, int err, const char *call)
{
	uint64_t id;
	struct tn_smbuf b = { 0 };
	const char *mp = NULL;
	if (err == EINVAL && tn_mnt_id_of(AT_FDCWD, path, 0, &id) == 0 &&
	    tn_statmount(&b, id, 0, STATMOUNT_MNT_BASIC | STATMOUNT_MNT_POINT) == 0 &&
	    (b.sm->mnt_propagation & MS_UNBINDABLE))
		mp = tn_sm_str(b.sm, STATMOUNT_MNT_POINT, b.sm->mnt_point);
	if (mp)
		tn_warn("%s: %s(OPEN_TREE_CLONE): %s: the mount at %s is unbindable "
			"('mount --make-private %s' makes it bindable)", path, call, strerror(err), mp, mp);
	tn_smbuf_free(&b);
	return mp;
}

static int clone_failed(const char *path, int err)
{
	if (said_unbindable(path, err, "open_tree"))
		return TN_EXIT_FAIL;
	return tn_syserr(err, "open_tree", "%s: open_tree(OPEN_TREE_CLONE)", path);
}

/* --bind: the detached copy of SRC, with --attr and --idmap set on it in
 * the same call (open_tree_attr) where the kernel can.  0 with *mntfd, or
 * an exit code (said). */
static int bind_mount(struct fsm *f, int *mntfd)
{
	struct tn_mnt_change c = { .userns_fd = -1 };
	if (f->have_attr) {
		c.set = f->attr;
		c.fields = f->attr_fields;
	}
	if (f->idmap) {
		int u = attr_userns(f->idmap);
		if (u < 0)
			return -u;
		c.userns_fd = u;
		c.set |= MOUNT_ATTR_IDMAP;
	}
	if (!c.set && !c.fields) {
		int fd = tn_tree_clone(AT_FDCWD, f->bind, f->recursive, 0);
		if (fd < 0)
			return clone_failed(f->bind, -fd);
		*mntfd = fd;
		return 0;
	}
	const char *step;
	int fd = tn_tree_clone_attr(AT_FDCWD, f->bind, f->recursive, 0, &c, &step);
	if (c.userns_fd >= 0)
		close(c.userns_fd);
	if (fd >= 0) {
		*mntfd = fd;
		return 0;
	}
	int r = fd;
	if (!strcmp(step, "open_tree"))
		return clone_failed(f->bind, -r);
	int x = opt_flags_refused(-r, step, "--attr", tn_mount_attr_names, f->attr);
	if (x)
		return x;
	if (!strcmp(step, "open_tree_attr") && said_unbindable(f->bind, -r, step))
		return TN_EXIT_FAIL;
	if (f->idmap && (r == -EINVAL || r == -EPERM)) {
		tn_warn("%s: cannot idmap this mount through --idmap %s: %s "
			"(the filesystem must support idmapped mounts, the mount must "
			"not be idmapped already, and the namespace must not be the "
			"initial one and must map both uids and gids)", f->bind, f->idmap, strerror(-r));
		return TN_EXIT_FAIL;
	}
	if (!strcmp(step, "mount_setattr"))
		return tn_syserr(-r, "mount_setattr", "%s: setting the mount attributes", f->bind);
	return tn_syserr(-r, "open_tree_attr", "%s: open_tree_attr(OPEN_TREE_CLONE)", f->bind);
}

/* Create (or clone) the detached mount; returns 0 with *mntfd, or an exit code. */
static int make_mount(struct fsm *f, int *mntfd)
{
	int r;
	if (f->bind)
		return bind_mount(f, mntfd);
	f->fsfd = tn_fsctx_open(f->fstype);
	if (f->fsfd < 0) {
		int e = -f->fsfd;
		f->fsfd = -1;
		if (e == ENODEV) {
			tn_warn("%s: unknown filesystem type (the kernel knows those in /proc/filesystems)",
				f->fstype);
			return TN_EXIT_FAIL;
		}
		return tn_syserr(e, "fsopen", "%s: fsopen", f->fstype);
	}
	if ((r = config(f)))
		return r;
	r = tn_fsctx_create(f->fsfd, f->excl);
	drain(f);
	if (r < 0) {
		if (f->excl && r == -EINVAL && tn_kernel_before(6, 6)) {
			tn_warn("%s: --exclusive (FSCONFIG_CMD_CREATE_EXCL) needs Linux 6.6 or later", f->fstype);
			return TN_EXIT_NOSYS;
		}
		if (f->excl && r == -EBUSY) {
			tn_warn("%s: --exclusive: the filesystem exists already (its superblock would be shared)",
				f->fstype);
			return TN_EXIT_FAIL;
		}
		return tn_syserr(-r, "fsconfig", "%s: creating the filesystem", f->fstype);
	}
	int fd = tn_fsctx_mount(f->fsfd, (unsigned)f->attr);
	drain(f);
	if (fd < 0)
		return opt_flags_refused(-fd, "fsmount", "--attr", tn_mount_attr_names, f->attr) ?:
		       tn_syserr(-fd, "fsmount", "%s: fsmount", f->fstype);
	*mntfd = fd;
	return 0;
}

static int reconfigure(struct fsm *f, struct tn_args *a)
{
	int tfd = open(f->reconf, O_PATH | O_CLOEXEC);
	if (tfd < 0)
		return tn_syserr(errno, NULL, "--reconfigure %s", f->reconf);
	f->fstype = f->reconf;
	int r;
	f->fsfd = tn_fsctx_pick(tfd, "", FSPICK_EMPTY_PATH);
	if (f->fsfd < 0) {
		int e = -f->fsfd;
		f->fsfd = -1;
		close(tfd);
		if (e == EINVAL && tn_is_mount_root(AT_FDCWD, f->reconf, 0) == 0) {
			tn_warn("%s: not a mount point (fspick needs the root of a mount)", f->reconf);
			return TN_EXIT_FAIL;
		}
		return tn_syserr(e, "fspick", "%s: fspick", f->reconf);
	}
	if ((r = config(f)) == 0) {
		r = tn_fsctx_reconfigure(f->fsfd);
		drain(f);
		if (r < 0)
			r = tn_syserr(-r, "fsconfig", "%s: reconfiguring the filesystem", f->reconf);
	}
	uint64_t id = 0;
	if (!r) {
		int e = tn_mnt_id_of(tfd, "", AT_EMPTY_PATH, &id);
		if (e < 0)
			r = tn_syserr(-e, "statx", "%s: its mount id", f->reconf);
	}
	close(tfd);
	show_msgs(f);
	if (r) {
		print_failed_msgs(&a->out, &f->msgs);
		return r;
	}
	return mountrec_asked(&a->out, f->verbose) ? print_record(&a->out, id, &f->msgs) : 0;
}

static int check_args(struct fsm *f, struct tn_args *a, const char **target, char ***argv)
{
	int npre = a->dashdash >= 0 ? a->dashdash : a->npos;
	*target = NULL;
	*argv = NULL;
	if (f->reconf && f->bind)
		return tn_usage_err("--reconfigure and --bind: choose one");
	if (f->reconf) {
		if (npre > 0)
			return tn_usage_err("--reconfigure TARGET takes no other argument: unexpected '%s'",
					    a->pos[0]);
		if (f->detached || f->have_attr || f->beneath || f->idmap || f->recursive || f->excl)
			return tn_usage_err("--reconfigure changes the filesystem's options only "
					    "(-o, --source, --set-*); mount attributes are changed "
					    "with 'tnos setattr'");
		if (a->dashdash >= 0 && a->npos > a->dashdash)
			return tn_usage_err("unexpected '%s'", a->pos[a->dashdash]);
		if (!f->ncfg)
			return tn_usage_err("--reconfigure: nothing to change (give -o, --source or --set-*)");
		return 0;
	}
	if (f->bind && f->ncfg)
		return tn_usage_err("--bind makes no new filesystem: -o, --source and --set-* do not apply");
	if (f->bind && f->excl)
		return tn_usage_err("--exclusive applies to a new filesystem, not to --bind");
	if (!f->bind && (f->recursive || f->idmap))
		return tn_usage_err("%s applies to --bind SRC", f->recursive ? "-R" : "--idmap");
	if (!f->bind) {
		if (npre < 1)
			return tn_usage_err("which filesystem type? give FSTYPE (see /proc/filesystems)");
		f->fstype = a->pos[0];
	} else {
		f->fstype = f->bind;
	}
	int first = f->bind ? 0 : 1;	/* index of TARGET */
	if (f->detached) {
		if (f->beneath)
			return tn_usage_err("--detached attaches nowhere: --beneath does not apply");
		if (a->dashdash < 0 || a->npos == a->dashdash)
			return tn_usage_err("--detached needs a command: ... --detached -- CMD [ARGS]");
		if (npre > first)
			return tn_usage_err("--detached takes no TARGET: unexpected '%s'", a->pos[first]);
		*argv = a->pos + a->dashdash;
		return 0;
	}
	if (a->npos <= first)
		return tn_usage_err("where? give a TARGET (or --detached -- CMD)");
	if (a->npos > first + 1)
		return tn_usage_err("unexpected '%s'", a->pos[first + 1]);
	*target = a->pos[first];
	return 0;
}

static int run(int argc, char **argv)
{
	struct fsm f = { .fsfd = -1 };
	struct tn_args a;
	const char *target;
	char **cmdv;
	int mntfd = -1, tfd = -1;
	int r = opt_parse(&cmd_fsmount, argc, argv, cb, &f, &a);
	if (r != TN_OPT_GO)
		goto out;
	if (f.reconf) {
		if (!(r = check_args(&f, &a, &target, &cmdv)) &&
		    !(r = tn_empty_path("--reconfigure", f.reconf)))
			r = reconfigure(&f, &a);
		goto out;
	}
	if ((r = check_args(&f, &a, &target, &cmdv)) || (r = tn_empty_path("--bind", f.bind)) ||
	    (r = tn_empty_path(NULL, target)))
		goto out;
	r = make_mount(&f, &mntfd);
	if (!r && target) {
		struct stat st;
		bool dir = true;
		if (fstat(mntfd, &st) == 0)
			dir = S_ISDIR(st.st_mode);
		r = open_target(target, dir, &tfd);
	}
	uint64_t id = 0;
	if (!r && target) {
		int e = tn_tree_attach(mntfd, tfd, "", MOVE_MOUNT_T_EMPTY_PATH |
				       (f.beneath ? MOVE_MOUNT_BENEATH : 0));
		if (e < 0)
			r = explain_attach(-e, target, f.beneath);
		else if ((e = tn_mnt_id_of(mntfd, "", AT_EMPTY_PATH, &id)) < 0)
			r = tn_syserr(-e, "statx", "%s: the new mount's id", target);
	}
	show_msgs(&f);
	if (r) {
		/* Nothing is attached: closing the detached mount's fd drops it. */
		print_failed_msgs(&a.out, &f.msgs);
		goto out;
	}
	if (cmdv) {
		if (f.fsfd >= 0) {
			close(f.fsfd);
			f.fsfd = -1;
		}
		int n = 0;
		while (cmdv[n])
			n++;
		/* in the mount's root, as the shell's foreground job */
		struct fc_cmd c = { cmdv, n, NULL, STDIN_FILENO, mntfd, NULL, true };
		r = fc_exec(&c);
		goto out;
	}
	r = mountrec_asked(&a.out, f.verbose) ? print_record(&a.out, id, &f.msgs) : 0;
out:
	if (tfd >= 0)
		close(tfd);
	if (mntfd >= 0)
		close(mntfd);
	if (f.fsfd >= 0)
		close(f.fsfd);
	for (size_t i = 0; i < f.ncfg; i++) {
		free(f.cfg[i].key);
		free(f.cfg[i].val);
	}
	free(f.cfg);
	tn_fsmsgs_free(&f.msgs);
	free(a.pos);
	return r;
}

const struct tn_cmd cmd_fsmount = {
	.name = "fsmount",
	.summary = "create, reconfigure or bind a mount (fsopen, fsconfig, fsmount, move_mount)",
	.usage = "[options] FSTYPE TARGET\n"
		 "       tnos fsmount [options] --bind SRC [-R] [--idmap PID|PATH|MAP] TARGET\n"
		 "       tnos fsmount [options] --reconfigure TARGET -o OPTS\n"
		 "       tnos fsmount [options] (FSTYPE | --bind SRC) --detached -- CMD [ARGS]",
	.details = "Creates a filesystem context (fsopen), passes it the options in command-line\n"
		   "order (fsconfig), creates the superblock, makes a detached mount with the\n"
		   "--attr attributes (fsmount) and attaches it at TARGET (move_mount).  Prints\n"
		   "nothing on success; -v prints the new (or reconfigured) mount's statmount\n"
		   "record, --output, -J, --ndjson or -P print it in that form (-o is the\n"
		   "filesystem's options, as in mount(8)).  --detached -- CMD prints only what\n"
		   "CMD prints.  The kernel's messages about the options are shown on failure\n"
		   "(-v: always) and are the \"messages\" key in JSON.  On any failure nothing\n"
		   "is attached.",
	.opts = opts,
	.cols = fsm_cols,
	.defcols = "*",
	.args = TC_FSTYPE,
	.main = run,
};
