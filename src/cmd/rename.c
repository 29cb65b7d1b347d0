/* rename.c - rename, swap or whiteout a path, with no race between a check
 * and the rename (renameat2). */
#define _GNU_SOURCE
#include "common/file_ops.h"
#include "../core/file.h"
#include "../core/uapi.h"
#include "../opt.h"
#include "../util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { RO_FLAGS = 0x280, RO_TODIR = 0x2f1 };

/* Every RENAME_* flag is its own option, named as in tn_rename_names; then
 * --flags, the directories. */
#define RN_FLAG(val, name, help) OPT_FLAG_ROW(OPT_FLAG_KEY(val), tn_rename_names, name, help)
static const struct tn_opt rn_opts[] = {
	TN_RENAME_FLAGS(RN_FLAG)
	OPT_FLAGS_ROW(RO_FLAGS, tn_rename_names, "renameat2 flags by name or number (0x...)"),
	FC_DIR_OPTS("FROM (and TO) relative to this directory"),
	{ RO_TODIR, "to-dir", "DIR", "TO relative to this directory instead", TC_DIR, NULL, 0, NULL },
	{ 0, NULL, NULL, NULL, 0, NULL, 0, NULL }
};

struct rn {
	uint64_t flags;
	struct fc_dir dir;
	const char *todir;
};

static int cb(void *ctx, int key, const char *arg, char **rest, int nrest)
{
	struct rn *r = ctx;
	(void)rest;
	(void)nrest;
	int e = opt_flag_cb(&cmd_rename, key, arg, &r->flags);
	if (e != TN_OPT_NOT_MINE)
		return e;
	if (key == RO_TODIR) {
		r->todir = arg;
		return TN_OPT_GO;
	}
	return fc_dir_opt(&r->dir, key, arg);
}

static int explain(int err, const char *from, const char *to, uint64_t flags)
{
	int r = opt_flags_refused(err, "renameat2", "--flags", tn_rename_names, flags);
	if (r)
		return r;
	switch (err) {
	case EEXIST:
	case ENOTEMPTY:
		if (flags & TN_RENAME_NOREPLACE) {
			tn_warn("%s -> %s: %s exists (--noreplace)", from, to, to);
			return TN_EXIT_FAIL;
		}
		break;
	case ENOENT:
		if (flags & TN_RENAME_EXCHANGE) {
			tn_warn("%s <-> %s: %s (--exchange needs both to exist)", from, to, strerror(err));
			return TN_EXIT_FAIL;
		}
		break;
	case EXDEV:
		tn_warn("%s -> %s: %s (FROM and TO are on different mounts; rename never copies)",
			from, to, strerror(err));
		return TN_EXIT_FAIL;
	case EINVAL:
		if (flags) {
			tn_warn("%s -> %s: renameat2: %s (this filesystem does not support the flags given, "
				"or TO is inside FROM)", from, to, strerror(err));
			return TN_EXIT_FAIL;
		}
		break;
	case EPERM:
		if (flags & TN_RENAME_WHITEOUT) {
			tn_warn("%s -> %s: renameat2: %s (a sticky directory or an immutable file forbids it; "
				"before Linux 5.8 --whiteout also needed CAP_MKNOD)", from, to, strerror(err));
			return TN_EXIT_FAIL;
		}
		break;
	}
	return tn_syserr(err, "renameat2", "%s -> %s: renameat2", from, to);
}

static int run(int argc, char **argv)
{
	struct rn rn = { 0 };
	struct tn_args a;
	int dfd = AT_FDCWD, tofd = AT_FDCWD;
	int r = opt_parse(&cmd_rename, argc, argv, cb, &rn, &a);
	if (r != TN_OPT_GO)
		goto out;
	if (a.npos != 2) {
		r = a.npos > 2 ? tn_usage_err("unexpected '%s'", a.pos[2]) : tn_usage_err("give FROM and TO");
		goto out;
	}
	if ((rn.flags & TN_RENAME_EXCHANGE) && (rn.flags & (TN_RENAME_NOREPLACE | TN_RENAME_WHITEOUT))) {
		r = tn_usage_err("--exchange cannot be combined with --noreplace or --whiteout "
				 "(renameat2 refuses it)");
		goto out;
	}
	if ((r = tn_empty_path(NULL, a.pos[0])) || (r = tn_empty_path(NULL, a.pos[1])) ||
	    (r = tn_empty_path("--to-dir", rn.todir)))
		goto out;
	if ((r = fc_dir_open(&rn.dir, 0, &dfd)))
		goto out;
	tofd = dfd;
	if (rn.todir) {
		tofd = open(rn.todir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (tofd < 0) {
			r = tn_syserr(errno, NULL, "--to-dir %s", rn.todir);
			tofd = AT_FDCWD;
			goto out;
		}
	}
	int e = tn_rename(dfd, a.pos[0], tofd, a.pos[1], (unsigned)rn.flags);
	if (e < 0)
		r = explain(-e, a.pos[0], a.pos[1], rn.flags);
out:
	if (tofd >= 0 && tofd != dfd)
		close(tofd);
	if (dfd >= 0)
		close(dfd);
	free(a.pos);
	return r;
}

const struct tn_cmd cmd_rename = {
	.name = "rename",
	.summary = "rename, swap or whiteout a path in one call (renameat2)",
	.usage = "[options] FROM TO",
	.details = "One renameat2 call: --noreplace fails rather than replace TO (no window\n"
		   "between a check and the rename), --exchange swaps FROM and TO atomically,\n"
		   "--whiteout leaves an overlayfs whiteout at FROM.  Prints nothing; exit 0 on\n"
		   "success.",
	.opts = rn_opts,
	.args = TC_FILE,
	.main = run,
};
