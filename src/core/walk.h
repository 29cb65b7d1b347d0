/* walk.h - the walk engine: a walk of exactly one filesystem.
 *
 * Directories are opened relative to their parent's fd with openat2
 * RESOLVE_NO_XDEV|RESOLVE_NO_SYMLINKS and O_NOFOLLOW, so the walk never
 * follows a symlink and never enters another mount.  What else the engine
 * asks the kernel for per entry is what the caller needs (args->need):
 * names only (getdents' d_type; a statx by name when it is DT_UNKNOWN), a
 * statx of every entry (non-directories by name relative to the verified
 * directory fd, AT_SYMLINK_NOFOLLOW; a child mount found by its mount id),
 * or every entry opened and statx'd through its fd.  The engine calls back
 * once per entry and never prints; errors come back through a callback
 * too, or as -errno from tn_walk_run().
 *
 * Semantics follow truenas_os.iter_filesystem_contents: the root itself is not
 * an entry; a directory is reported before its contents; cnt counts entries,
 * cnt_bytes adds stx_size of the non-directories (0 in names-only mode); an
 * entry that vanished between getdents and its statx or open is counted in
 * vanished, not reported as an error. */
#ifndef TNOS_WALK_H
#define TNOS_WALK_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "uapi.h"

#define TN_WALK_MAX_DEPTH 4096	/* directory levels below the root */
#define TN_WALK_TOKEN_LEN 16	/* resume token bytes (the seed's 16-byte token) */
#define TN_WALK_MAX_JOBS 64

/* statx mask the walk always asks for */
#define TN_WALK_STATX_MASK (TN_STATX_BASIC_STATS | TN_STATX_BTIME | TN_STATX_MNT_ID_UNIQUE)

struct tn_walk_entry {
	const char *path;	/* root path + "/" + relative path, NUL-terminated */
	size_t path_len;
	const char *parent;	/* the first parent_len bytes of path */
	size_t parent_len;
	const char *name;	/* points into path, NUL-terminated */
	size_t name_len;
	int fd;			/* verified fd, closed after the callback: a
				 * directory's always; with TN_WALK_NEED_FD every
				 * entry's (O_PATH for symlinks, mounts and
				 * FIFOs/sockets/devices); else -1 */
	const struct tn_statx *stx;	/* stx_mask 0 in names-only mode */
	bool isdir, isreg, islnk, ismount;
	unsigned depth;		/* 1 for the root's own entries */
	uint64_t cnt;		/* entries so far, this one included (with
				 * more than one job and !live_counts: this
				 * worker's entries so far) */
	int tid;		/* worker 0..jobs-1 */
	int64_t d_off;		/* getdents' offset after this entry: where a
				 * reader of its directory goes on from */
};

/* Where a walk goes back to (--resume): the inodes of a directory stack
 * and the getdents offset in its last directory.  With jobs == 1 only. */
struct tn_walk_resume {
	const uint64_t *ino;	/* [0] the root, [i] the directory at depth i */
	const char *const *name;	/* [i] that directory's name in its parent
					 * (i >= 1; [0] is not used) */
	unsigned n;		/* levels, the root included: 1 or more */
	int64_t off;		/* in ino[n-1]: where to go on (0: its start) */
};

/* What a callback returns: an action, or -errno for a fatal error in the
 * caller (which stops the walk).  tn_walk_run returns a callback's negative
 * value as it is. */
enum tn_walk_action {
	TN_WALK_GO = 0,		/* go on (and descend into a directory) */
	TN_WALK_PRUNE = 1,	/* do not descend into this directory */
	TN_WALK_FAILED = 2,	/* the caller failed on this entry: its directory
				 * is not marked with the resume token */
	TN_WALK_STOP = -0x10000	/* stop the walk: the caller has said why.
				 * Below every -errno (those end at -4095), so
				 * it is never taken for a fatal error */
};

/* What the engine asks the kernel for, per entry. */
enum tn_walk_need {
	TN_WALK_NEED_NAMES,	/* names and d_type: only directories are opened */
	TN_WALK_NEED_STAT,	/* a statx of every entry (non-directories by name) */
	TN_WALK_NEED_FD,	/* every entry opened, statx'd through its fd */
};

/* What the caller sets; the engine only reads it. */
struct tn_walk_args {
	int root_fd;			/* O_RDONLY|O_DIRECTORY fd of the start */
	const char *root_path;		/* how paths start (as find prints them) */
	uint64_t root_mnt_id;		/* unique mount id of the root */
	int file_oflags;		/* regular files (O_NOATIME dropped on EPERM) */
	enum tn_walk_need need;		/* raised to STAT by have_cutoff and
					 * include_mountpoints */
	unsigned stx_mask;		/* statx mask (TN_WALK_STATX_MASK is added) */
	bool include_symlinks, include_mountpoints;
	bool have_cutoff;
	int64_t btime_cutoff;		/* skip non-directories born after this */
	char *const *prune;		/* fnmatch globs on directory names */
	int nprune;
	const char *token_name;		/* xattr name, or NULL */
	unsigned char token[TN_WALK_TOKEN_LEN];
	unsigned max_depth;		/* 0: TN_WALK_MAX_DEPTH */
	int jobs;			/* worker threads (1: plain depth-first,
					 * pre-order) */
	bool live_counts;		/* with jobs > 1: e->cnt and the report's
					 * cnt, cnt_bytes exact at each entry (else
					 * each worker counts alone, summed at the
					 * end: no shared counter per entry) */
	volatile sig_atomic_t *stop;	/* set asynchronously to stop cleanly */
	void *ctx;
	/* returns an enum tn_walk_action or -errno */
	int (*entry)(void *ctx, const struct tn_walk_entry *e);
	/* a non-fatal error: the entry is left out, the walk goes on */
	void (*error)(void *ctx, int tid, const char *path, const char *op, int err);
	/* Directory hooks, both optional, per worker (e->tid, tid).  enter:
	 * the worker goes down into the directory of e (after e's entry
	 * callback; for the directories of resume, found again, and with more
	 * than one job for each directory from depth 1 down to a shared one it
	 * joins, with no entry callback: e->fd is then -1 for those above the
	 * joined one); e->stx->stx_ino is the directory's inode (statx of its
	 * fd) in every mode.  leave: the worker is done
	 * with the directory at depth (>= 1) it entered last.  A walk that
	 * stops leaves the directories still open without a leave call. */
	void (*enter)(void *ctx, const struct tn_walk_entry *e);
	void (*leave)(void *ctx, int tid, unsigned depth);
	/* Go back down this stack first, then on from its offset: each saved
	 * directory is found again by its inode among its parent's entries
	 * (those before it are skipped, neither reported nor counted). */
	const struct tn_walk_resume *resume;
};

/* What the run reports (the seed's iterator state, and more).  A callback
 * may read cnt and cnt_bytes while the walk runs (with more than one job
 * only with args->live_counts: they are then updated atomically). */
struct tn_walk_report {
	uint64_t cnt, cnt_bytes;
	uint64_t errors;		/* entries reported through error() */
	uint64_t vanished;		/* entries gone before their statx or open */
	uint64_t resumed;		/* directories skipped: they carry the token */
	uint64_t marked;		/* directories marked with the token */
	bool stopped;			/* *stop was seen, or a callback stopped */
	char *current_directory;	/* where the walk was when it ended
					 * ("" when it finished); malloc'd */
	/* a fatal error (tn_walk_run returned it) */
	const char *fatal_op;
	char *fatal_path;
	/* -ESTALE: a directory of args->resume is gone or has another inode */
	bool resume_lost;
	unsigned resume_lost_depth;	/* its depth (0: the root) */
};

/* Run the walk described by args; rep is cleared first, then filled.  0
 * when it finished (entries may have been reported through error()), a
 * callback's negative return (TN_WALK_STOP, or its -errno), -ESTALE when
 * args->resume cannot be followed (resume_lost), or -errno on a fatal error
 * (fatal_op, fatal_path say where).  Does not close root_fd.
 * The engine's own state lives in walk.c, for the length of the call. */
int tn_walk_run(const struct tn_walk_args *args, struct tn_walk_report *rep);
void tn_walk_report_free(struct tn_walk_report *rep);

/* Does the directory fd carry args' token? 1 yes, 0 no, -errno. */
int tn_walk_has_token(const struct tn_walk_args *args, int fd);

#endif
