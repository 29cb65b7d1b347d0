/* setattr.c - change a mount's attributes, propagation and idmapping
 * (mount_setattr), recursively if asked: all or nothing. */
#define _GNU_SOURCE
#include "common/file_ops.h"
#include "common/mount_attr.h"
#include "common/mount_record.h"
#include "../core/mntapi.h"
#include "../core/uapi.h"
#include "../opt.h"
#include "../util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SO_SET = 0x100, SO_CLEAR, SO_PROP, SO_IDMAP, SO_DIR, SO_MNTID, SO_NOFOLLOW, SO_NOAUTO };

static const struct tn_opt opts[] = {
	{ SO_SET, "set", "ATTRS", "attributes to set (an atime value replaces the atime setting)", TC_NAMES, tn_mount_attr_names, 0, NULL },
	{ SO_SET, "attr", "ATTRS", "the same as --set (the spelling fsmount uses)", TC_NAMES, tn_mount_attr_names, 0, NULL },
	{ SO_CLEAR, "clear", "ATTRS", "attributes to clear (clearing noatime/strictatime gives relatime)", TC_NAMES, tn_mount_attr_names, 0, NULL },
	{ SO_PROP, "propagation", "NAME", "set the propagation type", TC_NAMES, tn_propagation_names, 0, NULL },
	{ 'R', "recursive", NULL, "the whole subtree: every mount below too, or none (AT_RECURSIVE)", 0, NULL, 0, NULL },
	{ SO_IDMAP, "idmap", "PID|PATH|MAP", "idmap the mount through this user namespace, or one made from MAP (detached mounts only)", TC_PID, NULL, 0, NULL },
	{ SO_DIR, "dir", "DIR", "open DIR first; PATH (default: DIR itself) is relative to it", TC_DIR, NULL, 0, NULL },
	{ SO_MNTID, "mount-id", "ID", "the mount with this unique id (PATH, if given, is relative to it)", TC_MNTID, NULL, 0, NULL },
	{ SO_NOFOLLOW, "no-follow", NULL, "do not follow a final symlink (AT_SYMLINK_NOFOLLOW)", 0, NULL, 0, NULL },
	{ SO_NOAUTO, "no-automount", NULL, "do not trigger an automount (AT_NO_AUTOMOUNT)", 0, NULL, 0, NULL },
	MOUNTREC_VERBOSE_OPT("print the mount's record afterwards (-o, -J, -P: in that form)"),
	{ 0, NULL, NULL, NULL, 0, NULL, 0, NULL }
};

struct sa {
	uint64_t set, set_fields, clr, clr_fields, prop;
	bool have_set, have_clr, have_prop, recursive, nofollow, noauto, verbose;
	const char *idmap, *dir, *mntid;
};

static int cb(void *ctx, int key, const char *arg, char **rest, int nrest)
{
	struct sa *s = ctx;
	(void)rest;
	(void)nrest;
	switch (key) {
	case SO_SET:
	case SO_CLEAR: {
		uint64_t v, f;
		bool set = key == SO_SET;
		if (attr_parse(set ? "set" : "clear", arg, &v, &f))
			return TN_EXIT_USAGE;
		if (set && ((s->set_fields & f & MOUNT_ATTR__ATIME) && ((s->set ^ v) & MOUNT_ATTR__ATIME)))
			return tn_usage_err("--set: two different atime settings: choose one");
		if (set && ((s->set_fields & f & MOUNT_ATTR_RDONLY) && ((s->set ^ v) & MOUNT_ATTR_RDONLY)))
			return tn_usage_err("--set: 'rw' and 'ro' contradict each other: choose one");
		if (set) {
			s->set |= v;
			s->set_fields |= f;
			s->have_set = true;
		} else {
			s->clr |= v;
			s->clr_fields |= f;
			s->have_clr = true;
		}
		break;
	}
	case SO_PROP:
		if (opt_names("propagation", tn_propagation_names, arg, &s->prop))
			return TN_EXIT_USAGE;
		if (s->prop & (s->prop - 1))
			return tn_usage_err("--propagation: one of shared, slave, private, unbindable");
		s->have_prop = true;
		break;
	case 'R': s->recursive = true; break;
	case SO_IDMAP:
		if (attr_idmap_check(arg))
			return TN_EXIT_USAGE;
		s->idmap = arg;
		break;
	case SO_DIR:
		if (s->mntid)
			return fc_dir_conflict();
		s->dir = arg;
		break;
	case SO_MNTID:
		if (s->dir)
			return fc_dir_conflict();
		s->mntid = arg;
		break;
	case SO_NOFOLLOW: s->nofollow = true; break;
	case SO_NOAUTO: s->noauto = true; break;
	case 'v': s->verbose = true; break;
	}
	return TN_OPT_GO;
}

/* Turn --set/--clear into one mount_setattr request; usage errors for
 * what cannot be expressed. */
static int build(struct sa *s, struct tn_mnt_change *c)
{
	memset(c, 0, sizeof(*c));
	c->userns_fd = -1;
	if (s->clr_fields & MOUNT_ATTR__ATIME) {
		/* "--clear noatime": back to the default, relatime */
		if (!(s->clr & MOUNT_ATTR__ATIME))
			return tn_usage_err("--clear: relatime is the default atime setting, there is "
					    "nothing to clear; --set noatime or --set strictatime instead");
		if (s->set_fields & MOUNT_ATTR__ATIME)
			return tn_usage_err("--set gives an atime setting and --clear clears one: choose one");
		s->clr &= ~(uint64_t)MOUNT_ATTR__ATIME;
		c->fields |= MOUNT_ATTR__ATIME;
	}
	if ((s->clr_fields & MOUNT_ATTR_RDONLY) && !(s->clr & MOUNT_ATTR_RDONLY))
		return tn_usage_err("--clear: 'rw' is not a flag; --set ro makes the mount read-only");
	if ((s->set & MOUNT_ATTR_IDMAP) && !s->idmap)
		return tn_usage_err("--set idmapped: give the user namespace with --idmap PID|PATH|MAP");
	uint64_t both = s->set & s->clr & ~(uint64_t)MOUNT_ATTR__ATIME;
	if (both) {
		/* name each one: ro is a field (rw/ro), the others bits */
		struct sbuf names = { 0 };
		uint64_t named = 0;
		int k = 0;
		for (const struct tn_name *n = tn_mount_attr_names; n->name; n++)
			if (n->val && (n->val & both) == n->val) {
				sb_printf(&names, "%s'%s'", k++ ? ", " : "", n->name);
				named |= n->val;
			}
		if (both & ~named)
			sb_printf(&names, "%s'0x%llx'", k++ ? ", " : "",
				  (unsigned long long)(both & ~named));
		int r = tn_usage_err("%s %s both in --set and in --clear: choose one", names.p,
				     k > 1 ? "are" : "is");
		sb_free(&names);
		return r;
	}
	c->set = s->set;
	c->clr = s->clr;
	c->fields |= s->set_fields;
	c->propagation = s->prop;
	if (s->idmap)
		c->set |= MOUNT_ATTR_IDMAP;
	if (!s->have_set && !s->have_clr && !s->have_prop && !s->idmap)
		return tn_usage_err("nothing to change: give --set, --clear, --propagation or --idmap");
	return 0;
}

static int explain(int err, struct sa *s, int dfd, const char *path, int atflags, const char *label)
{
	int r;
	if ((r = opt_flags_refused(err, "mount_setattr", "--set", tn_mount_attr_names, s->set)) ||
	    (r = opt_flags_refused(err, "mount_setattr", "--clear", tn_mount_attr_names, s->clr)) ||
	    (r = opt_flags_refused(err, "mount_setattr", "--propagation", tn_propagation_names, s->prop)))
		return r;
	if (err == EINVAL) {
		int root = tn_is_mount_root(dfd, path, atflags & ~AT_RECURSIVE);
		if (root == 0) {
			tn_warn("%s: not a mount point (mount_setattr needs the root of a mount)", label);
			return TN_EXIT_FAIL;
		}
		if (s->idmap) {
			tn_warn("%s: mount_setattr: %s: only a detached mount can be idmapped; make an "
				"idmapped bind mount: tnos fsmount --bind %s --idmap %s TARGET",
				label, strerror(err), *path ? path : label, s->idmap);
			return TN_EXIT_FAIL;
		}
	}
	if (err == EBUSY && (s->set & MOUNT_ATTR_RDONLY)) {
		tn_warn("%s: mount_setattr: %s: a file is open for writing on %s; nothing was changed",
			label, strerror(err), s->recursive ? "the mount or one below it" : "the mount");
		return TN_EXIT_FAIL;
	}
	if (err == EPERM && s->idmap) {
		tn_warn("%s: mount_setattr: %s (idmapping needs CAP_SYS_ADMIN, a user namespace other "
			"than the initial one, and a mount that is not idmapped already)",
			label, strerror(err));
		return TN_EXIT_FAIL;
	}
	r = tn_syserr(err, "mount_setattr", "%s: mount_setattr", label);
	if (s->recursive && r == TN_EXIT_FAIL)
		tn_warn("%s: nothing was changed (a recursive change is all or nothing)", label);
	return r;
}

static int run(int argc, char **argv)
{
	struct sa s = { 0 };
	struct tn_args a;
	struct tn_mnt_change c;
	int dfd = AT_FDCWD, mfd = -1;
	char label[4200];
	int r = opt_parse(&cmd_setattr, argc, argv, cb, &s, &a);
	if (r != TN_OPT_GO)
		goto out;
	if (a.npos > 1) {
		r = tn_usage_err("one mount at a time: unexpected '%s'", a.pos[1]);
		goto out;
	}
	if (a.npos == 0 && !s.dir && !s.mntid) {
		r = tn_usage_err("which mount? give a PATH, --dir DIR or --mount-id ID");
		goto out;
	}
	if ((r = build(&s, &c)))
		goto out;
	/* no PATH means --dir/--mount-id itself; an empty one names nothing
	 * (not the working directory, as AT_EMPTY_PATH would make it) */
	if (a.npos && (r = tn_empty_path(NULL, a.pos[0])))
		goto out;
	const char *path = a.npos ? a.pos[0] : "";
	if (s.dir) {
		if ((r = fc_open_dir(s.dir, O_PATH, &dfd)))
			goto out;
		snprintf(label, sizeof(label), "%s%s%s", s.dir, *path ? "/" : "", path);
	} else if (s.mntid) {
		uint64_t id;
		if ((r = mountrec_id_opt("--mount-id", s.mntid, &id)))
			goto out;
		dfd = fc_open_mount(id, O_PATH, "--mount-id");
		if (dfd < 0) {
			r = -dfd;
			dfd = AT_FDCWD;
			goto out;
		}
		snprintf(label, sizeof(label), "mount %s%s%s", s.mntid, *path ? ": " : "", path);
	} else {
		snprintf(label, sizeof(label), "%s", path);
	}
	int atflags = (*path ? 0 : AT_EMPTY_PATH) | (s.nofollow ? AT_SYMLINK_NOFOLLOW : 0) |
		      (s.noauto ? AT_NO_AUTOMOUNT : 0);
	uint64_t id;
	int e = tn_mnt_id_of(dfd, path, atflags, &id);
	if (e < 0) {
		r = tn_syserr(-e, "statx", "%s", label);
		goto out;
	}
	/* An fd on the mount, for its record afterwards: a detached one (the
	 * working directory of fsmount --detached -- CMD) is in no namespace,
	 * and statmount finds it through an fd, not by its id. */
	bool show = mountrec_asked(&a.out, s.verbose);
	uint64_t fdid;
	if (show && (mfd = tn_tree_open(dfd, path, (unsigned)atflags)) >= 0 &&
	    (tn_mnt_id_of(mfd, "", AT_EMPTY_PATH, &fdid) < 0 || fdid != id)) {
		close(mfd);	/* not the mount statx saw: show it by id only */
		mfd = -1;
	}
	if (s.idmap) {
		int u = attr_userns(s.idmap);
		if (u < 0) {
			r = -u;
			goto out;
		}
		c.userns_fd = u;
	}
	e = tn_mount_change(dfd, path, atflags | (s.recursive ? AT_RECURSIVE : 0), &c);
	if (c.userns_fd >= 0)
		close(c.userns_fd);
	if (e < 0) {
		r = explain(-e, &s, dfd, path, atflags, label);
		goto out;
	}
	int fd_err = 0;
	r = show ? mountrec_print_fd(&a.out, id, mfd, &fd_err) : 0;
	if (r == MOUNTREC_UNREADABLE) {
		/* the change is made: not being able to show it is no failure */
		tn_warn("%s: changed, but its record cannot be shown: mount %llu is not in this "
			"process's mount namespace (a detached mount is in none), and statmount %s%s",
			label, (unsigned long long)id,
			fd_err == EINVAL ? "reads such a mount only through an fd, from Linux 7.0 on"
					 : "through an fd on it failed: ",
			fd_err == EINVAL ? "" : strerror(fd_err));
		r = 0;
	}
out:
	if (mfd >= 0)
		close(mfd);
	if (dfd >= 0)
		close(dfd);
	free(a.pos);
	return r;
}

const struct tn_cmd cmd_setattr = {
	.name = "setattr",
	.summary = "change a mount's attributes, propagation or idmapping (mount_setattr)",
	.usage = "[options] PATH\n"
		 "       tnos setattr [options] --dir DIR [PATH]\n"
		 "       tnos setattr [options] --mount-id ID [PATH]",
	.details = "PATH must be the root of a mount (a mount point).  Attribute names are those\n"
		   "mountinfo shows.  The atime setting is one value, not flags: --set noatime\n"
		   "replaces relatime or strictatime.  With -R the change applies to every mount\n"
		   "below PATH too, or, if the kernel refuses any of them, to none.  Prints\n"
		   "nothing on success; -v prints the mount's statmount record afterwards, -o,\n"
		   "-J, --ndjson or -P print it in that form.",
	.opts = opts,
	.cols = tn_mount_cols,
	.defcols = "*",
	.args = TC_MOUNT,
	.main = run,
};
