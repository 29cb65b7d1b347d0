/* statx.c - every statx field of one or more files. */
#define _GNU_SOURCE
#include "common/file_ops.h"
#include "../core/file.h"
#include "../opt.h"
#include "../util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* For people, stat(1)'s order: size and blocks, device and inode, links,
 * mode and owner, the four times; then what stat(1) does not show. */
#define DEFCOLS "PATH,TYPE,SIZE,BLOCKS,BLKSIZE,DEV,INO,NLINK,RDEV,MODE,PERMS,UID,GID," \
	"ATIME,MTIME,CTIME,BTIME,MNT-ID,ATTR,ATTR-MASK,DIO-MEM-ALIGN,DIO-OFFSET-ALIGN," \
	"DIO-READ-ALIGN,SUBVOL,AWU-MIN,AWU-MAX,AWU-MAX-OPT,AW-SEGMENTS-MAX,MASK"

enum { OPT_EMPTY = 0x100, OPT_NOAUTO, OPT_SYNC, OPT_TIME_STYLE };

static const struct tn_opt opts[] = {
	FC_DIR_OPTS("resolve PATH relative to this directory"),
	{ OPT_EMPTY, "empty-path", NULL, "no PATH: stat the --dir/--mount-id directory itself (AT_EMPTY_PATH)", 0, NULL, 0, NULL },
	{ 'L', "dereference", NULL, "follow a final symlink", 0, NULL, 0, NULL },
	{ OPT_NOAUTO, "no-automount", NULL, "do not trigger an automount on the last component", 0, NULL, 0, NULL },
	{ OPT_SYNC, "sync", "WHEN", "as-stat (default), force (ask a network filesystem's server), none (cached)", TC_NAMES, tn_statx_sync_names, 0, NULL },
	{ 'm', "mask", "NAMES", "fields to ask for (default: all)", TC_NAMES, tn_statx_mask_names, 0, NULL },
	FC_TIME_STYLE_OPT(OPT_TIME_STYLE),
	{ 0, NULL, NULL, NULL, 0, NULL, 0, NULL }
};

struct sx {
	struct fc_dir dir;
	bool empty, deref, noauto;
	uint64_t sync, mask;
	bool have_mask;
	enum out_time_style tstyle;
};

static int cb(void *ctx, int key, const char *arg, char **rest, int nrest)
{
	struct sx *s = ctx;
	(void)rest;
	(void)nrest;
	switch (key) {
	case OPT_EMPTY: s->empty = true; break;
	case 'L': s->deref = true; break;
	case OPT_NOAUTO: s->noauto = true; break;
	case OPT_SYNC:
		if (opt_names("sync", tn_statx_sync_names, arg, &s->sync))
			return TN_EXIT_USAGE;
		if (!strcmp(arg, "all"))
			return tn_usage_err("--sync: give one of as-stat, force, none");
		break;
	case 'm':
		if (opt_names("mask", tn_statx_mask_names, arg, &s->mask))
			return TN_EXIT_USAGE;
		if (s->mask > UINT32_MAX)
			return tn_usage_err("--mask: '%s' has bits beyond 32", arg);
		s->have_mask = true;
		break;
	case OPT_TIME_STYLE:
		return fc_time_style(arg, &s->tstyle);
	default:
		return fc_dir_opt(&s->dir, key, arg);
	}
	return TN_OPT_GO;
}

static int run(int argc, char **argv)
{
	struct sx s = { 0 };
	struct tn_args a;
	struct out o;
	bool have_out = false;
	int dfd = AT_FDCWD;
	int r = opt_parse(&cmd_statx, argc, argv, cb, &s, &a);
	if (r != TN_OPT_GO)
		goto done;
	if (s.empty && a.npos) {
		r = tn_usage_err("--empty-path stats the directory itself: give no PATH");
		goto done;
	}
	if (!s.empty && !a.npos) {
		r = tn_usage_err("which file? give a PATH (or --empty-path)");
		goto done;
	}
	if ((r = out_init(&o, &a.out, tn_file_cols, DEFCOLS, "files")))
		goto done;
	have_out = true;
	/* key: value blocks unless -o names the columns (+COL adds to the
	 * blocks): then one line per file, a table */
	if (!a.out.columns || *a.out.columns == '+')
		out_records(&o, a.npos <= 1);
	else if (a.npos <= 1)
		out_single(&o);
	out_time_style(&o, s.tstyle);
	if ((r = fc_dir_open(&s.dir, 0, &dfd)))
		goto done;

	int atflags = (int)s.sync;
	if (!s.deref)
		atflags |= AT_SYMLINK_NOFOLLOW;
	if (s.noauto)
		atflags |= AT_NO_AUTOMOUNT;
	unsigned mask = s.have_mask ? (unsigned)s.mask : TN_STATX_ALL;
	int failed = 0;
	char idbuf[48];
	for (int i = 0; i < (s.empty ? 1 : a.npos); i++) {
		const char *path = s.empty ? "" : a.pos[i];
		const char *shown = path;
		if (!s.empty && tn_empty_path(NULL, path)) {
			failed = TN_EXIT_FAIL;
			continue;
		}
		if (s.empty) {
			if (s.dir.dir)
				shown = s.dir.dir;
			else if (s.dir.have_mount_id) {
				snprintf(idbuf, sizeof(idbuf), "mount %llu",
					 (unsigned long long)s.dir.mount_id);
				shown = idbuf;
			} else
				shown = ".";
		}
		struct tn_statx st;
		int e = tn_statx(dfd, path, atflags | (s.empty ? AT_EMPTY_PATH : 0), mask, &st);
		if (e < 0) {
			int x = opt_flags_refused(-e, "statx", "--mask", tn_statx_mask_names, mask);
			if (!x)
				x = tn_syserr(-e, "statx", "%s", shown);
			if (x == TN_EXIT_NOSYS) {
				r = x;
				goto done;
			}
			failed = x;
			continue;
		}
		out_row_open(&o);
		struct fc_entry en;
		fc_entry_of(&en, shown, &st);
		statxrec_emit_entry(&o, &st, &en);
		out_row_close(&o);
	}
	out_end_if_any(&o);
	r = failed;
done:
	if (dfd >= 0)
		close(dfd);
	if (have_out)
		out_free(&o);
	free(a.pos);
	return r;
}

const struct tn_cmd cmd_statx = {
	.name = "statx",
	.summary = "every statx field of files (statx)",
	.usage = "[options] PATH...",
	.details = "Like stat(1) without -L, a symlink is shown itself unless -L is given.\n"
		   "Fields the kernel did not return (not in stx_mask) are left out, never 0.\n"
		   "Each file is a block of key: value lines; -o COLS gives a table instead, one line\n"
		   "per file (-o +COL adds to the blocks).\n"
		   "One PATH gives one JSON object; several give {\"files\": [...]}.",
	.opts = opts,
	.cols = tn_file_cols,
	.defcols = DEFCOLS,
	.args = TC_FILE,
	.main = run,
};
