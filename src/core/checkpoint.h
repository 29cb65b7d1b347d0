/* checkpoint.h - the walk's checkpoint file: where a walk was (its directory
 * stack, each level's path, inode and getdents offset), the counts so far,
 * and what it was walking with which options, so that a later run can go on
 * from there without anything written to the walked filesystem.
 *
 * The file is JSON (tnos-walk(1), CHECKPOINTS), read and written with
 * jansson.  Strings are bytes: a string that is not valid UTF-8 is written
 * lossy under its key and exact in base64 under KEY_b64, the convention of
 * tnos(1); the reader takes KEY_b64 when it is there.  Nothing here prints
 * or exits: errors are -errno, and a file that is not a checkpoint says why
 * in a buffer. */
#ifndef TNOS_CHECKPOINT_H
#define TNOS_CHECKPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TN_CKPT_FORMAT "tnos-walk-checkpoint"
#define TN_CKPT_VERSION 1
#define TN_CKPT_MAX_LEVELS 4097		/* the root and TN_WALK_MAX_DEPTH levels */
#define TN_CKPT_MAX_SIZE (64u << 20)	/* a bigger file is refused unread */

struct tn_ckpt_level {
	char *path;		/* as the walk printed it, NUL-terminated */
	uint64_t ino;		/* the directory's inode */
	int64_t off;		/* getdents offset after the entry the walk had
				 * done last in it (the child directory it was in,
				 * for all but the last level); 0: none yet */
};

struct tn_ckpt {
	char *mountpoint, *fsname;
	char *relative;			/* NULL: no --relative */
	uint64_t mnt_id;		/* informational: a remount changes it */
	bool include_symlinks, include_mountpoints;
	bool have_cutoff;
	int64_t btime_cutoff;
	char **prune;
	int nprune;
	uint64_t cnt, cnt_bytes, errors;
	bool done;			/* the walk finished */
	struct tn_ckpt_level *stack;	/* [0] is the walk's root */
	unsigned nstack;
};

/* Parse the text of a checkpoint (n bytes, need not be NUL-terminated).
 * 0, or -EINVAL with why (a NUL-terminated line of at most whylen bytes)
 * saying what is wrong, or -ENOMEM.  ck is cleared first; free it with
 * tn_ckpt_free whatever the result. */
int tn_ckpt_parse(const char *text, size_t n, struct tn_ckpt *ck, char *why, size_t whylen);

/* Read and parse the file: 0, -errno when it cannot be read, or what
 * tn_ckpt_parse returns. */
int tn_ckpt_load(const char *file, struct tn_ckpt *ck, char *why, size_t whylen);

/* The text of ck as the file holds it (JSON and a newline), malloc'd; NULL
 * when out of memory. */
char *tn_ckpt_text(const struct tn_ckpt *ck);

/* Write ck to file atomically: a temporary file in the same directory,
 * written, fsync'd, renamed over file, and the directory fsync'd.  0 or
 * -errno (nothing is left behind on failure). */
int tn_ckpt_save(const char *file, const struct tn_ckpt *ck);

void tn_ckpt_free(struct tn_ckpt *ck);

#endif
