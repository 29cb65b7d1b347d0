/* move.c - move a mount, mount beneath another, or join a sharing group
 * (move_mount). */
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
#include <sys/mount.h>
#include <sys/stat.h>

enum { MO_FLAGS = 0x280, MO_FROMID = 0x301 };

/* Every MOVE_MOUNT_* flag is its own option, named as in tn_move_mount_names;
 * then --flags and the rest. */
#define MV_FLAG(val, name, help) OPT_FLAG_ROW(OPT_FLAG_KEY(val), tn_move_mount_names, name, help)
static const struct tn_opt mv_opts[] = {
	TN_MOVE_MOUNT_FLAGS(MV_FLAG)
	OPT_FLAGS_ROW(MO_FLAGS, tn_move_mount_names, "flags by name or number (0x...)"),
	{ MO_FROMID, "from-mount-id", "ID", "move the mount with this unique id (no FROM)", TC_MNTID, NULL, 0, NULL },
	MOUNTREC_VERBOSE_OPT("print the mount's record afterwards (-o, -J, -P: in that form)"),
	{ 0, NULL, NULL, NULL, 0, NULL, 0, NULL }
};

struct mv {
	uint64_t flags;
	const char *fromid;
	bool verbose;
};

static int cb(void *ctx, int key, const char *arg, char **rest, int nrest)
{
	struct mv *m = ctx;
	(void)rest;
	(void)nrest;
	int r = opt_flag_cb(&cmd_move, key, arg, &m->flags);
	if (r != TN_OPT_NOT_MINE)
		return r;
	if (key == MO_FROMID)
		m->fromid = arg;
	else if (key == 'v')
		m->verbose = true;
	return TN_OPT_GO;
}

/* With an *_EMPTY_PATH flag the path is opened first and passed as an fd
 * with an empty path, as move_mount(2) describes. */
static int open_end(const char *path, bool follow, const char *what, int *fd)
{
	*fd = open(path, O_PATH | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW));
	if (*fd < 0)
		return tn_syserr(errno, NULL, "%s %s", what, path);
	return 0;
}

/* Is the parent of mount id a shared mount? */
static bool parent_shared(uint64_t id)
{
	struct tn_smbuf b = { 0 };
	bool shared = false;
	if (tn_statmount(&b, id, 0, STATMOUNT_MNT_BASIC) == 0 &&
	    b.sm->mnt_parent_id != b.sm->mnt_id &&
	    tn_statmount(&b, b.sm->mnt_parent_id, 0, STATMOUNT_MNT_BASIC) == 0)
		shared = (b.sm->mnt_propagation & MS_SHARED) != 0;
	tn_smbuf_free(&b);
	return shared;
}

/* Is the mount holding TO the mount id or one below it?  move_mount says
 * ELOOP for that (a mount cannot move beneath itself), as it does for a
 * symlink loop in a path. */
static bool inside_mount(uint64_t id, int fdto, const char *to, int toat)
{
	struct tn_smbuf b = { 0 };
	uint64_t cur;
	bool in = false;
	if (tn_mnt_id_of(fdto, to, toat, &cur) < 0)
		return false;
	for (int depth = 0; depth < 4096 && !in; depth++) {
		if (cur == id)
			in = true;
		else if (tn_statmount(&b, cur, 0, STATMOUNT_MNT_BASIC) < 0 ||
			 b.sm->mnt_parent_id == cur)
			break;
		else
			cur = b.sm->mnt_parent_id;
	}
	tn_smbuf_free(&b);
	return in;
}

static int explain(int err, const struct mv *m, int fdfrom, const char *from, int fromat,
		   const char *flabel, int fdto, const char *to, int toat, const char *tlabel,
		   uint64_t id)
{
	uint64_t f = m->flags;
	int r = opt_flags_refused(err, "move_mount", "--flags", tn_move_mount_names, f);
	if (r)
		return r;
	if (err == EINVAL) {
		if (!(f & MOVE_MOUNT_SET_GROUP) && tn_is_mount_root(fdfrom, from, fromat) == 0) {
			tn_warn("%s: not a mount point (move_mount moves the root of a mount)", flabel);
			return TN_EXIT_FAIL;
		}
		/* next in the kernel's order: FROM's root and TO must both be
		 * directories, or both not */
		struct stat sf, st;
		if (!(f & MOVE_MOUNT_SET_GROUP) && fstatat(fdfrom, from, &sf, fromat) == 0 &&
		    fstatat(fdto, to, &st, toat) == 0 && S_ISDIR(sf.st_mode) != S_ISDIR(st.st_mode)) {
			tn_warn("%s -> %s: move_mount: %s: %s", flabel, tlabel, strerror(err),
				S_ISDIR(sf.st_mode) ? "a directory mount cannot go over a non-directory"
						    : "a non-directory mount cannot go over a directory");
			return TN_EXIT_FAIL;
		}
		if ((f & (MOVE_MOUNT_BENEATH | MOVE_MOUNT_SET_GROUP)) &&
		    tn_is_mount_root(fdto, to, toat) == 0) {
			tn_warn("%s: not a mount point (%s needs one)", tlabel,
				(f & MOVE_MOUNT_BENEATH) ? "--beneath" : "--set-group");
			return TN_EXIT_FAIL;
		}
		if (!(f & MOVE_MOUNT_SET_GROUP) && parent_shared(id)) {
			tn_warn("%s: move_mount: %s: its parent mount is shared, and a mount cannot be "
				"moved out of a shared mount (make the parent private first: tnos setattr "
				"--propagation private)", flabel, strerror(err));
			return TN_EXIT_FAIL;
		}
		if ((f & MOVE_MOUNT_BENEATH) && tn_kernel_before(6, 5)) {
			tn_warn("move_mount: MOVE_MOUNT_BENEATH needs Linux 6.5 or later");
			return TN_EXIT_NOSYS;
		}
		if ((f & MOVE_MOUNT_SET_GROUP) && tn_kernel_before(5, 15)) {
			tn_warn("move_mount: MOVE_MOUNT_SET_GROUP needs Linux 5.15 or later");
			return TN_EXIT_NOSYS;
		}
		if (f & MOVE_MOUNT_SET_GROUP) {
			tn_warn("%s -> %s: move_mount(MOVE_MOUNT_SET_GROUP): %s (FROM must be shared or a "
				"slave, both must be mount roots of the same filesystem, and TO's root "
				"must be at or below FROM's)", flabel, tlabel, strerror(err));
			return TN_EXIT_FAIL;
		}
	}
	if (err == ELOOP && !(f & MOVE_MOUNT_SET_GROUP) && inside_mount(id, fdto, to, toat)) {
		tn_warn("%s -> %s: move_mount: %s (%s is inside the mount tree being moved, and a "
			"mount cannot move beneath itself)", flabel, tlabel, strerror(err), tlabel);
		return TN_EXIT_FAIL;
	}
	return tn_syserr(err, "move_mount", "%s -> %s: move_mount", flabel, tlabel);
}

static int run(int argc, char **argv)
{
	struct mv m = { 0 };
	struct tn_args a;
	int fdfrom = AT_FDCWD, fdto = AT_FDCWD;
	char flabel[64];
	const char *from, *to, *flab;
	int r = opt_parse(&cmd_move, argc, argv, cb, &m, &a);
	if (r != TN_OPT_GO)
		goto out;
	int want = m.fromid ? 1 : 2;
	if (a.npos != want) {
		if (a.npos > want)
			r = tn_usage_err("unexpected '%s'", a.pos[want]);
		else
			r = tn_usage_err(m.fromid ? "where to? give TO" : "give FROM and TO");
		goto out;
	}
	/* an empty FROM would name the working directory (AT_EMPTY_PATH below) */
	for (int i = 0; i < a.npos; i++)
		if ((r = tn_empty_path(NULL, a.pos[i])))
			goto out;
	if (m.fromid) {
		uint64_t id;
		if ((r = mountrec_id_opt("--from-mount-id", m.fromid, &id)))
			goto out;
		fdfrom = fc_open_mount(id, O_PATH, "--from-mount-id");
		if (fdfrom < 0) {
			r = -fdfrom;
			fdfrom = AT_FDCWD;
			goto out;
		}
		snprintf(flabel, sizeof(flabel), "mount %s", m.fromid);
		flab = flabel;
		from = "";
		m.flags |= MOVE_MOUNT_F_EMPTY_PATH;
		to = a.pos[0];
	} else {
		from = flab = a.pos[0];
		to = a.pos[1];
		if (m.flags & MOVE_MOUNT_F_EMPTY_PATH) {
			if ((r = open_end(from, m.flags & MOVE_MOUNT_F_SYMLINKS, "FROM", &fdfrom)))
				goto out;
			from = "";
		}
	}
	const char *tlabel = to;
	if (m.flags & MOVE_MOUNT_T_EMPTY_PATH) {
		if ((r = open_end(to, m.flags & MOVE_MOUNT_T_SYMLINKS, "TO", &fdto)))
			goto out;
		to = "";
	}
	int fromat = (*from ? 0 : AT_EMPTY_PATH) |
		     ((m.flags & MOVE_MOUNT_F_SYMLINKS) ? 0 : AT_SYMLINK_NOFOLLOW) |
		     ((m.flags & MOVE_MOUNT_F_AUTOMOUNTS) ? 0 : AT_NO_AUTOMOUNT);
	int toat = (*to ? 0 : AT_EMPTY_PATH) |
		   ((m.flags & MOVE_MOUNT_T_SYMLINKS) ? 0 : AT_SYMLINK_NOFOLLOW) |
		   ((m.flags & MOVE_MOUNT_T_AUTOMOUNTS) ? 0 : AT_NO_AUTOMOUNT);
	/* the mount to show afterwards: the one moved, or TO for --set-group */
	uint64_t id;
	int e = (m.flags & MOVE_MOUNT_SET_GROUP) ? tn_mnt_id_of(fdto, to, toat, &id)
						 : tn_mnt_id_of(fdfrom, from, fromat, &id);
	if (e < 0) {
		r = tn_syserr(-e, "statx", "%s", (m.flags & MOVE_MOUNT_SET_GROUP) ? tlabel : flab);
		goto out;
	}
	e = tn_move_mount(fdfrom, from, fdto, to, (unsigned)m.flags);
	if (e < 0) {
		r = explain(-e, &m, fdfrom, from, fromat, flab, fdto, to, toat, tlabel, id);
		goto out;
	}
	r = mountrec_asked(&a.out, m.verbose) ? mountrec_print(&a.out, id) : 0;
out:
	if (fdfrom >= 0)
		close(fdfrom);
	if (fdto >= 0)
		close(fdto);
	free(a.pos);
	return r;
}

const struct tn_cmd cmd_move = {
	.name = "move",
	.summary = "move a mount, mount beneath one, or join a sharing group (move_mount)",
	.usage = "[options] FROM TO\n"
		 "       tnos move [options] --from-mount-id ID TO",
	.details = "Moves the mount at FROM (a mount point) to TO.  Prints nothing on success;\n"
		   "-v prints the moved mount's statmount record, -o, -J, --ndjson or -P print\n"
		   "it in that form.  --beneath puts it under the mount on top of TO instead of\n"
		   "on top; --set-group moves nothing: TO joins FROM's peer group (and TO's\n"
		   "record is the one printed).",
	.opts = mv_opts,
	.cols = tn_mount_cols,
	.defcols = "*",
	.args = TC_MOUNT,
	.main = run,
};
