/* fhandle.c - file handles as text, and opening a file by handle
 * (name_to_handle_at, open_by_handle_at). */
#define _GNU_SOURCE
#include "common/file_ops.h"
#include "../core/file.h"
#include "../core/mount.h"
#include "../core/textparse.h"
#include "../opt.h"
#include "../util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { C_HANDLE = FC_NEXT, C_MOUNT_ID, C_UNIQUE, C_HTYPE, C_HBYTES, C_FHANDLE, C_HFLAGS };

static const struct tn_col cols[] = {
	TN_FILE_COLS_INIT
	FC_COLS_INIT
	[C_HANDLE] = { "HANDLE", "handle", T_STR, 0, "the text form MOUNT_ID:HEX", NULL, 0 },
	[C_MOUNT_ID] = { "MOUNT-ID", "mount_id", T_U64, TN_RIGHT, "the mount the handle belongs to", NULL, 0 },
	[C_UNIQUE] = { "UNIQUE", "unique_mount_id", T_BOOL, 0, "MOUNT-ID is a unique id (else an old mountinfo id)", NULL, 0 },
	[C_HTYPE] = { "HANDLE-TYPE", "handle_type", T_S64, TN_RIGHT, "the filesystem's handle type", NULL, 0 },
	[C_HBYTES] = { "HANDLE-BYTES", "handle_bytes", T_U64, TN_RIGHT, "length of f_handle", NULL, 0 },
	[C_FHANDLE] = { "F-HANDLE", "f_handle", T_STR, 0, "the opaque handle bytes in hex", NULL, 0 },
	[C_HFLAGS] = { "HANDLE-FLAGS", "handle_flags", T_FLAGS, 0, "flags the handle was made with", tn_handle_flag_names, 0 },
	{ NULL, NULL, 0, 0, NULL, NULL, 0 }
};

#define ENC_COLS "PATH,HANDLE,MOUNT-ID,UNIQUE,HANDLE-TYPE,HANDLE-BYTES,F-HANDLE,HANDLE-FLAGS"
#define DEC_COLS "HANDLE,MOUNT-ID,UNIQUE,HANDLE-TYPE,HANDLE-BYTES,F-HANDLE"
#define OPEN_COLS "HANDLE,MOUNT-ID,UNIQUE,FDPATH,OFLAGS,TYPE,MODE,NLINK,UID,GID,INO,SIZE,BLOCKS," \
	"ATIME,MTIME,CTIME,BTIME,DEV,RDEV,MNT-ID"

enum { OPT_FOLLOW = 0x100, OPT_FID, OPT_CONN, OPT_EMPTY, OPT_FLAGS = 'f' };

static const struct tn_opt opts[] = {
	{ OPT_FOLLOW, "follow", NULL, "encode: follow a final symlink", 0, NULL, 0, NULL },
	{ OPT_FID, "fid", NULL, "encode: a handle to identify the file, not to open it (AT_HANDLE_FID, 6.5)", 0, NULL, 0, NULL },
	{ OPT_CONN, "connectable", NULL, "encode: a handle that can be opened with its path (AT_HANDLE_CONNECTABLE, 6.13)", 0, NULL, 0, NULL },
	FC_DIR_OPTS("resolve PATH relative to this directory"),
	{ OPT_EMPTY, "empty-path", NULL, "encode: no PATH, the --dir/--mount-id directory itself", 0, NULL, 0, NULL },
	{ 'f', "flags", "NAMES", "open: open flags (default rdonly; cloexec is always added)", TC_NAMES, tn_open_flag_names, 0, NULL },
	{ FC_O_CAT, "cat", NULL, "open: copy the file to stdout", 0, NULL, 0, NULL },
	{ FC_O_EXEC, "exec", "CMD [ARGS] ;", "open: run CMD with the fd as its standard input", TC_CMD, NULL, OPT_REST, NULL },
	{ 0, NULL, NULL, NULL, 0, NULL, 0, NULL }
};

struct fh {
	struct fc_dir dir;
	struct fc_act act;
	bool follow, fid, conn, empty, have_flags;
	uint64_t flags;
};

static int cb(void *ctx, int key, const char *arg, char **rest, int nrest)
{
	struct fh *s = ctx;
	switch (key) {
	case OPT_FOLLOW: s->follow = true; break;
	case OPT_FID: s->fid = true; break;
	case OPT_CONN: s->conn = true; break;
	case OPT_EMPTY: s->empty = true; break;
	case OPT_FLAGS:
		if (opt_names("flags", tn_open_flag_names, arg, &s->flags))
			return TN_EXIT_USAGE;
		s->have_flags = true;
		break;
	case FC_O_CAT:
	case FC_O_EXEC:
		return fc_act_opt(&s->act, key, rest, nrest);
	default:
		return fc_dir_opt(&s->dir, key, arg);
	}
	return TN_OPT_GO;
}

static void emit_handle(struct out *o, const struct tn_fhandle *h, const char *text)
{
	out_str(o, C_HANDLE, text);
	out_u64(o, C_MOUNT_ID, h->mnt_id);
	out_bool(o, C_UNIQUE, h->unique);
	out_s64(o, C_HTYPE, h->fh->handle_type);
	out_u64(o, C_HBYTES, h->fh->handle_bytes);
	char *f = xmalloc(2 * (size_t)h->fh->handle_bytes + 1);
	tn_hex_encode(f, h->fh->f_handle, h->fh->handle_bytes);
	out_str(o, C_FHANDLE, f);
	free(f);
}

static int do_encode(struct fh *s, struct tn_args *a, struct out *o)
{
	int dfd = AT_FDCWD, r;
	if (s->empty ? a->npos != 1 : a->npos != 2)
		return tn_usage_err(s->empty ? "encode --empty-path takes no PATH"
					     : "encode takes one PATH");
	if (s->fid && s->conn)
		return tn_usage_err("--fid and --connectable cannot be used together");
	if (s->empty && s->conn)
		return tn_usage_err("--connectable and --empty-path cannot be used together "
				    "(the kernel needs the name to know the parent); give the PATH");
	const char *path = s->empty ? "" : a->pos[1];
	if ((r = out_init(o, &a->out, cols, ENC_COLS, "handles")))
		return r;
	if (!s->empty && (r = tn_empty_path(NULL, path)))
		return r;
	out_records(o, true);
	if ((r = fc_dir_open(&s->dir, 0, &dfd)))
		return r;
	int flags = (s->follow ? AT_SYMLINK_FOLLOW : 0) | (s->fid ? AT_HANDLE_FID : 0) |
		    (s->conn ? AT_HANDLE_CONNECTABLE : 0) | (s->empty ? AT_EMPTY_PATH : 0);
	struct tn_fhandle h;
	int e = tn_name_to_handle(dfd, path, flags, &h);
	const char *shown = s->empty ? (s->dir.dir ? s->dir.dir : ".") : path;
	if (e < 0) {
		/* EOPNOTSUPP with --connectable may only mean that the
		 * filesystem cannot decode a parent (tmpfs): ask for a plain
		 * handle to tell which */
		struct tn_fhandle plain;
		bool plain_ok = e == -EOPNOTSUPP && s->conn &&
				tn_name_to_handle(dfd, path, flags & ~AT_HANDLE_CONNECTABLE, &plain) == 0;
		if (plain_ok) {
			tn_fhandle_free(&plain);
			tn_warn("%s: this filesystem makes file handles, but not connectable ones "
				"(it cannot find a file's parent from a handle): leave out --connectable",
				shown);
		} else if (e == -EOPNOTSUPP)
			tn_warn("%s: this filesystem cannot make file handles%s", shown,
				s->fid ? "" : " (--fid may still work)");
		else if (e == -EINVAL && (s->fid || s->conn))
			tn_warn("%s: the kernel refused %s (needs Linux %s, and connectable needs a "
				"filesystem that supports it)", shown, s->fid ? "--fid" : "--connectable",
				s->fid ? "6.5" : "6.13");
		r = e == -EOPNOTSUPP ? TN_EXIT_FAIL
		    : e == -EINVAL && (s->fid || s->conn) ? TN_EXIT_NOSYS
		    : tn_syserr(-e, "name_to_handle_at", "%s", shown);
	} else {
		char *text = tn_fhandle_format(&h);
		out_row_open(o);
		out_str(o, SC_PATH, shown);
		emit_handle(o, &h, text ? text : "");
		out_flags(o, C_HFLAGS, (unsigned)(flags & (AT_HANDLE_FID | AT_HANDLE_CONNECTABLE)) |
			  (h.unique ? AT_HANDLE_MNT_ID_UNIQUE : 0));
		out_row_close(o);
		out_end(o);
		free(text);
		tn_fhandle_free(&h);
		r = 0;
	}
	if (dfd >= 0)
		close(dfd);
	return r;
}

static int parse_arg(const char *text, struct tn_fhandle *h)
{
	char why[160];
	if (tn_fhandle_parse(text, h, why, sizeof(why)) < 0) {
		tn_warn("handle %.80s%s: %s", text, strlen(text) > 80 ? "..." : "", why);
		return TN_EXIT_USAGE;
	}
	return 0;
}

static int do_decode(struct tn_args *a, struct out *o)
{
	int r;
	if (a->npos < 2)
		return tn_usage_err("decode takes one or more HANDLEs");
	if ((r = out_init(o, &a->out, cols, DEC_COLS, "handles")))
		return r;
	out_records(o, a->npos == 2);
	int failed = 0;
	for (int i = 1; i < a->npos; i++) {
		struct tn_fhandle h;
		if ((r = parse_arg(a->pos[i], &h))) {
			failed = r;
			continue;
		}
		char *text = tn_fhandle_format(&h);
		out_row_open(o);
		emit_handle(o, &h, text ? text : "");
		out_row_close(o);
		free(text);
		tn_fhandle_free(&h);
	}
	out_end_if_any(o);
	return failed;
}

static int do_open(struct fh *s, struct tn_args *a, struct out *o)
{
	int r, mfd, fd;
	struct tn_fhandle h;
	if (a->npos != 2)
		return tn_usage_err("open takes one HANDLE");
	if ((r = parse_arg(a->pos[1], &h)))
		return r;
	if (s->act.act == FC_SHOW) {
		if ((r = out_init(o, &a->out, cols, OPEN_COLS, "files")))
			goto out;
		out_records(o, true);
	}
	if (s->dir.dir || s->dir.have_mount_id) {
		/* the caller names a directory on the filesystem instead */
		if ((r = fc_dir_open(&s->dir, O_RDONLY | O_DIRECTORY, &mfd)))
			goto out;
	} else {
		mfd = fc_open_mount(h.mnt_id, O_RDONLY | O_DIRECTORY, "mount");
		if (mfd < 0) {
			r = -mfd;
			goto out;
		}
	}
	fd = tn_open_by_handle(mfd, &h, (int)fc_nowait(s->act.act, s->flags));
	if (fd >= 0)
		fc_unwait(fd, s->flags);
	bool no_export = false;
	if (fd == -ESTALE) {
		/* a filesystem that cannot export handles says ESTALE to every
		 * handle (a --fid one, say): tell that apart from a deleted file */
		struct tn_fhandle probe;
		int e = tn_name_to_handle(mfd, "", AT_EMPTY_PATH, &probe);
		if (e == 0)
			tn_fhandle_free(&probe);
		no_export = e == -EOPNOTSUPP;
	}
	bool symlink = false;
	if (fd == -ELOOP && !(s->flags & O_PATH)) {
		/* no path is walked: ELOOP means the handle is of a symlink,
		 * which only O_PATH opens */
		int pfd = tn_open_by_handle(mfd, &h, O_PATH);
		struct tn_statx st;
		if (pfd >= 0) {
			symlink = tn_statx(pfd, "", AT_EMPTY_PATH, STATX_TYPE, &st) == 0 &&
				  S_ISLNK(st.stx_mode);
			close(pfd);
		}
	}
	close(mfd);
	if (fd < 0) {
		if (no_export) {
			tn_warn("handle %s: this filesystem cannot open files by handle "
				"(a --fid handle identifies a file, it does not open it)", a->pos[1]);
			r = TN_EXIT_FAIL;
		} else if (fd == -ESTALE) {
			tn_warn("handle %s: stale: the file was deleted (or its filesystem no longer "
				"knows that handle%s)", a->pos[1],
				s->dir.dir || s->dir.have_mount_id
					? ", or the directory given is not on its filesystem" : "");
			r = TN_EXIT_FAIL;
		} else if (symlink) {
			tn_warn("handle %s: the handle is of a symlink, which opens only as --flags path "
				"(encode --follow makes the handle of its target)", a->pos[1]);
			r = TN_EXIT_FAIL;
		} else if (fd == -EPERM) {
			tn_warn("handle %s: open_by_handle_at: %s (needs CAP_DAC_READ_SEARCH)",
				a->pos[1], strerror(EPERM));
			r = TN_EXIT_FAIL;
		} else {
			r = tn_syserr(-fd, "open_by_handle_at", "handle %s: open_by_handle_at", a->pos[1]);
		}
		goto out;
	}
	switch (s->act.act) {
	case FC_SHOW: {
		struct tn_statx st;
		int e = tn_statx(fd, "", AT_EMPTY_PATH, TN_STATX_ALL, &st);
		if (e < 0) {
			r = tn_syserr(-e, "statx", "handle %s", a->pos[1]);
			break;
		}
		char *text = tn_fhandle_format(&h);
		out_row_open(o);
		emit_handle(o, &h, text ? text : "");
		free(text);
		fc_emit_fd(o, fd);
		statxrec_emit(o, &st);
		out_row_close(o);
		out_end(o);
		r = 0;
		break;
	}
	case FC_CAT:
		r = fc_cat(fd, a->pos[1]);
		break;
	default:
		r = fc_act_exec(&s->act, fd);
		break;
	}
	close(fd);
out:
	tn_fhandle_free(&h);
	return r;
}

static int run(int argc, char **argv)
{
	struct fh s = { 0 };
	struct tn_args a;
	struct out o;
	memset(&o, 0, sizeof(o));	/* out_free is safe on a zeroed out */
	int r = opt_parse(&cmd_fhandle, argc, argv, cb, &s, &a);
	if (r != TN_OPT_GO)
		goto done;
	const char *verb = a.npos ? a.pos[0] : "";
	bool enc = !strcmp(verb, "encode"), dec = !strcmp(verb, "decode"), opn = !strcmp(verb, "open");
	if (!enc && !dec && !opn) {
		r = tn_usage_err(a.npos ? "unknown action '%s': give encode, decode or open"
					: "give an action: encode, decode or open", verb);
		goto done;
	}
	/* options that belong to another action are mistakes, not no-ops */
	const char *bad = NULL;
	if (!enc && (s.follow || s.fid || s.conn || s.empty))
		bad = s.follow ? "--follow" : s.fid ? "--fid" : s.conn ? "--connectable" : "--empty-path";
	else if (!opn && (s.have_flags || s.act.act != FC_SHOW))
		bad = s.have_flags ? "--flags" : s.act.act == FC_CAT ? "--cat" : "--exec";
	else if (dec && (s.dir.dir || s.dir.have_mount_id))
		bad = s.dir.dir ? "--dir" : "--mount-id";
	if (bad) {
		r = tn_usage_err("%s does not apply to '%s'", bad, verb);
		goto done;
	}
	if (enc)
		r = do_encode(&s, &a, &o);
	else if (dec)
		r = do_decode(&a, &o);
	else
		r = do_open(&s, &a, &o);
done:
	out_free(&o);
	free(a.pos);
	return r;
}

const struct tn_cmd cmd_fhandle = {
	.name = "fhandle",
	.summary = "file handles as text, and opening files by handle",
	.usage = "encode [options] PATH | decode HANDLE... | open [options] HANDLE",
	.details = "The text form is MOUNT_ID:HEX: the mount id in decimal (a unique id when the\n"
		   "kernel gives one, 6.12+), then the whole struct file_handle in hex as it lies\n"
		   "in memory: handle_bytes (u32), handle_type (i32), f_handle.  'open' finds the\n"
		   "mount by that id, checks it is still that mount, and needs CAP_DAC_READ_SEARCH.\n"
		   "A malformed HANDLE exits 2; a stale one (file deleted) exits 1.",
	.opts = opts,
	.cols = cols,
	.defcols = ENC_COLS,
	.args = TC_FILE,
	.words = "encode decode open",
	.main = run,
};
