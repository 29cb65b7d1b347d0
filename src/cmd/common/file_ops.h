/* file_ops.h - what openat2, statx and fhandle share at the command level:
 * --dir/--mount-id, the record of an open fd, and --cat/--write/--exec. */
#ifndef TNOS_FILE_OPS_H
#define TNOS_FILE_OPS_H

#include <stdbool.h>
#include <stdint.h>
#include "file_record.h"
#include "../../opt.h"

/* Columns after the file record (tn_file_cols) in openat2's and fhandle's
 * tables; each command adds its own from FC_NEXT on. */
enum { FC_FDPATH = SC_NCOLS, FC_OFLAGS, FC_NEXT };

#define FC_COLS_INIT \
	[FC_FDPATH] = { "FDPATH", "fd_path", T_STR, 0, "the kernel's path for the open fd (/proc/self/fd/N)", NULL, 0 }, \
	[FC_OFLAGS] = { "OFLAGS", "open_flags", T_FLAGS, 0, "the fd's status flags (fcntl F_GETFL)", tn_open_flag_names, 0 },

/* --dir DIR / --mount-id ID */
struct fc_dir {
	const char *dir;
	uint64_t mount_id;
	bool have_mount_id;
};

#define FC_O_DIR 0x300
#define FC_O_MOUNT_ID 0x301
/* DIRHELP: what --dir does, in the command's words */
#define FC_DIR_OPTS(dirhelp) \
	{ FC_O_DIR, "dir", "DIR", dirhelp, TC_DIR, NULL, 0, NULL }, \
	{ FC_O_MOUNT_ID, "mount-id", "ID", "relative to the root of this mount (unique or old id; checked)", TC_MNTID, NULL, 0, NULL }

/* Handle FC_O_DIR/FC_O_MOUNT_ID; TN_OPT_GO or an exit code (opt.h). */
int fc_dir_opt(struct fc_dir *d, int key, const char *arg);
/* Open the directory (AT_FDCWD when neither option).  oflags 0: O_PATH.
 * Returns 0 with *dfd set, or an exit code after a message. */
int fc_dir_open(const struct fc_dir *d, int oflags, int *dfd);
/* The usage error for --dir given with --mount-id (TN_EXIT_USAGE). */
int fc_dir_conflict(void);
/* Open --dir DIR (O_DIRECTORY; oflags 0: O_PATH), refusing an empty one:
 * 0 with *dfd set, or an exit code after a message. */
int fc_open_dir(const char *dir, int oflags, int *dfd);
/* Open a mount by unique or old id, checked to be that mount (tn_open_mount),
 * with the one set of messages, "WHAT ID: why"; returns fd or -exitcode. */
int fc_open_mount(uint64_t id, int oflags, const char *what);

/* Report a failed openat2 of path under the resolve flags rs and open flags
 * oflags: a refusal by the resolve rules (EXDEV, ELOOP, EAGAIN) explained,
 * flag bits the kernel does not know (exit 3), else strerror.  Returns the
 * exit code. */
int fc_openat2_err(int err, const char *path, uint64_t rs, uint64_t oflags);

/* What to do with an opened fd. */
enum fc_action { FC_SHOW, FC_CAT, FC_WRITE, FC_EXEC };
struct fc_act {
	enum fc_action act;
	char **argv;		/* FC_EXEC */
	int argc;
};
#define FC_O_CAT 0x310
#define FC_O_WRITE 0x311
#define FC_O_EXEC 0x312
/* Handle FC_O_CAT/FC_O_WRITE/FC_O_EXEC; TN_OPT_GO or an exit code (opt.h). */
int fc_act_opt(struct fc_act *a, int key, char **rest, int nrest);
/* Showing a file must not wait for a FIFO's writer (or a line's carrier):
 * for FC_SHOW, fc_nowait adds O_NONBLOCK to read-only flags, and fc_unwait
 * clears it again on the opened fd unless it was asked for, so OFLAGS shows
 * the flags asked for.  --cat, --write and --exec wait, as cat(1) does. */
uint64_t fc_nowait(enum fc_action act, uint64_t oflags);
void fc_unwait(int fd, uint64_t asked);

/* Copy fd to stdout / stdin to fd.  Return an exit code. */
int fc_cat(int fd, const char *what);
int fc_write(int fd, const char *what);
/* A command to run (walk --exec, openat2/fhandle --exec, fsmount --detached). */
struct fc_cmd {
	char *const *argv;	/* argv[0..argc-1]; need not end in NULL (it may
				 * point into the middle of ours) */
	int argc;
	const char *label;	/* its messages: "LABEL ARGV0: why"; NULL: "ARGV0: why" */
	int in_fd;		/* its stdin (STDIN_FILENO: ours) */
	int dir_fd;		/* its working directory (-1: ours) */
	char *const *envp;	/* its environment (NULL: ours) */
	bool foreground;	/* wait as system(3) does: SIGINT and SIGQUIT from the
				 * terminal end the command, not us (sigaction is
				 * process-wide: single-threaded callers only) */
};
/* Run it; safe from several threads unless foreground.  Returns its exit
 * status (127 not found, 126 cannot be run, both with a message; 128+N
 * killed by signal N), or -errno when fork or waitpid failed (not reported). */
int fc_run(const struct fc_cmd *c);
/* fc_run, a failed fork or waitpid reported: the command's status or an
 * exit code. */
int fc_exec(const struct fc_cmd *c);
/* --exec CMD (fc_act) with fd as its stdin. */
int fc_act_exec(const struct fc_act *a, int fd);

/* FDPATH and OFLAGS of an open fd. */
void fc_emit_fd(struct out *o, int fd);

#endif
