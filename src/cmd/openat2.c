/* openat2.c - open a path under resolve rules; show it, read it, write it
 * or hand the fd to a command. */
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

enum { C_RESOLVE = FC_NEXT };

static const struct tn_col cols[] = {
	TN_FILE_COLS_INIT
	FC_COLS_INIT
	[C_RESOLVE] = { "RESOLVE", "resolve", T_FLAGS, 0, "the resolve flags asked for", tn_resolve_names, 0 },
	{ NULL, NULL, 0, 0, NULL, NULL, 0 }
};

#define DEFCOLS "PATH,FDPATH,OFLAGS,RESOLVE,TYPE,MODE,NLINK,UID,GID,INO,SIZE,BLOCKS," \
	"ATIME,MTIME,CTIME,BTIME,DEV,RDEV,MNT-ID"

enum { OA_RESOLVE = 'R', OA_FLAGS = 'f', OA_MODE = 'm' };

static const struct tn_opt opts[] = {
	FC_DIR_OPTS("resolve PATH relative to this directory"),
	{ 'R', "resolve", "NAMES", "how to resolve PATH", TC_NAMES, tn_resolve_names, 0, NULL },
	{ 'f', "flags", "NAMES", "open flags (default rdonly; cloexec is always added)", TC_NAMES, tn_open_flag_names, 0, NULL },
	{ 'm', "mode", "MODE", "permissions of a created file, octal (default 0644 less the umask)", TC_NONE, NULL, 0, NULL },
	{ FC_O_CAT, "cat", NULL, "copy the file to stdout", 0, NULL, 0, NULL },
	{ FC_O_WRITE, "write", NULL, "copy stdin into the file (wronly unless --flags gives rdwr)", 0, NULL, 0, NULL },
	{ FC_O_EXEC, "exec", "CMD [ARGS] ;", "run CMD with the fd as its standard input", TC_CMD, NULL, OPT_REST, NULL },
	{ 0, NULL, NULL, NULL, 0, NULL, 0, NULL }
};

struct o2 {
	struct fc_dir dir;
	struct fc_act act;
	uint64_t resolve, flags, mode;
	bool have_mode;
};

static int cb(void *ctx, int key, const char *arg, char **rest, int nrest)
{
	struct o2 *s = ctx;
	switch (key) {
	case OA_RESOLVE:
		if (opt_names("resolve", tn_resolve_names, arg, &s->resolve))
			return TN_EXIT_USAGE;
		break;
	case OA_FLAGS:
		if (opt_names("flags", tn_open_flag_names, arg, &s->flags))
			return TN_EXIT_USAGE;
		break;
	case OA_MODE: {
		char *end;
		errno = 0;
		unsigned long m = strtoul(arg, &end, 8);
		if (!*arg || *end || errno || m > 07777)
			return tn_usage_err("--mode: '%s' is not an octal mode (0 to 7777)", arg);
		s->mode = m;
		s->have_mode = true;
		break;
	}
	case FC_O_CAT:
	case FC_O_WRITE:
	case FC_O_EXEC:
		return fc_act_opt(&s->act, key, rest, nrest);
	default:
		return fc_dir_opt(&s->dir, key, arg);
	}
	return TN_OPT_GO;
}

static int run(int argc, char **argv)
{
	struct o2 s = { 0 };
	struct tn_args a;
	struct out o;
	bool have_out = false;
	int dfd = AT_FDCWD, fd = -1;
	int r = opt_parse(&cmd_openat2, argc, argv, cb, &s, &a);
	if (r != TN_OPT_GO)
		goto done;
	if (a.npos != 1) {
		r = tn_usage_err(a.npos ? "one PATH at a time" : "which file? give a PATH");
		goto done;
	}
	const char *path = a.pos[0];
	if (s.act.act == FC_WRITE && (s.flags & O_ACCMODE) == O_RDONLY && !(s.flags & O_PATH))
		s.flags |= O_WRONLY;
	bool creates = (s.flags & O_CREAT) || (s.flags & O_TMPFILE) == O_TMPFILE;
	if (s.have_mode && !creates) {
		r = tn_usage_err("--mode needs --flags creat or tmpfile");
		goto done;
	}
	if (creates && !s.have_mode)
		s.mode = 0644;
	if (s.act.act == FC_SHOW) {
		if ((r = out_init(&o, &a.out, cols, DEFCOLS, "files")))
			goto done;
		have_out = true;
		out_records(&o, true);
	}
	if ((r = tn_empty_path(NULL, path)) || (r = fc_dir_open(&s.dir, 0, &dfd)))
		goto done;
	fd = tn_openat2(dfd, path, fc_nowait(s.act.act, s.flags), s.mode, s.resolve);
	if (fd < 0) {
		r = fc_openat2_err(-fd, path, s.resolve, s.flags);
		goto done;
	}
	fc_unwait(fd, s.flags);
	switch (s.act.act) {
	case FC_SHOW: {
		struct tn_statx st;
		int e = tn_statx(fd, "", AT_EMPTY_PATH, TN_STATX_ALL, &st);
		if (e < 0) {
			r = tn_syserr(-e, "statx", "%s", path);
			break;
		}
		out_row_open(&o);
		fc_emit_context(&o, path, &st);
		fc_emit_fd(&o, fd);
		out_flags(&o, C_RESOLVE, s.resolve);
		statxrec_emit(&o, &st);
		out_row_close(&o);
		out_end(&o);
		r = 0;
		break;
	}
	case FC_CAT:
		r = fc_cat(fd, path);
		break;
	case FC_WRITE:
		r = fc_write(fd, path);
		if (!r && close(fd) < 0)
			r = tn_syserr(errno, NULL, "close %s", path);
		fd = -1;
		break;
	case FC_EXEC:
		r = fc_act_exec(&s.act, fd);
		break;
	}
done:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	if (have_out)
		out_free(&o);
	free(a.pos);
	return r;
}

const struct tn_cmd cmd_openat2 = {
	.name = "openat2",
	.summary = "open a file under resolve rules (openat2)",
	.usage = "[options] PATH",
	.details = "Without --cat, --write or --exec, prints what was opened: the kernel's own\n"
		   "path for the fd and its statx fields.  A path refused by --resolve is\n"
		   "explained (EXDEV: escapes the directory or crosses a mount; ELOOP: a\n"
		   "symlink was refused; EAGAIN: not in the dentry cache, or with beneath/\n"
		   "in-root a rename kept racing the lookup of '..') and exits 1.",
	.opts = opts,
	.cols = cols,
	.defcols = DEFCOLS,
	.args = TC_FILE,
	.main = run,
};
