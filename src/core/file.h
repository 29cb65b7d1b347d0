/* file.h - openat2 with a resolve set, statx, file handles and their text
 * form.  Nothing here prints or exits; errors are -errno. */
#ifndef TNOS_FILE_H
#define TNOS_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include "uapi.h"

/* openat2(2); O_CLOEXEC is always added.  Returns an fd or -errno.  An
 * EAGAIN from a concurrent rename or mount under beneath/in-root (not
 * cached) is retried, up to TN_OPENAT2_TRIES calls in all. */
#define TN_OPENAT2_TRIES 64
int tn_openat2(int dfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve);

/* statx(2) into st (zeroed first).  0 or -errno. */
int tn_statx(int dfd, const char *path, int atflags, unsigned mask, struct tn_statx *st);

/* renameat2(2) as given (RENAME_* flags).  0 or -errno. */
int tn_rename(int from_dfd, const char *from, int to_dfd, const char *to, unsigned flags);

/* The kernel's path for an fd (readlink /proc/self/fd/N), malloc'd into
 * *out with its length in *len.  0 or -errno. */
int tn_fd_path(int fd, char **out, size_t *len);

/* Open a mount by id and check that the fd really is that mount.  A unique
 * id (>= 2^31) goes through statmount; an old id (mountinfo) through
 * /proc/self/mountinfo, then checked with STATX_MNT_ID.  oflags: 0 for
 * O_PATH|O_DIRECTORY.  Returns an fd, -ENOENT (no such mount), -EXDEV (its
 * mount point now leads to another mount: over-mounted) or -errno.
 * mp/mplen (may be NULL) receive the mount point tried; -ENAMETOOLONG when
 * it does not fit there (or in PATH_MAX, with mp NULL): never opened cut short. */
int tn_open_mount(uint64_t id, int oflags, char *mp, size_t mplen);

/* A file handle with the mount it belongs to. */
struct tn_fhandle {
	uint64_t mnt_id;
	bool unique;			/* mnt_id is a unique id (AT_HANDLE_MNT_ID_UNIQUE) */
	struct file_handle *fh;		/* malloc'd; handle_bytes of f_handle follow */
};

/* name_to_handle_at(2) with a buffer that grows to what the kernel asks
 * for.  Tries AT_HANDLE_MNT_ID_UNIQUE first and falls back to the old id
 * when the kernel refuses that flag.  flags: AT_* and AT_HANDLE_* bits.
 * 0 or -errno; h->fh is allocated on success (tn_fhandle_free). */
int tn_name_to_handle(int dfd, const char *path, int flags, struct tn_fhandle *h);
void tn_fhandle_free(struct tn_fhandle *h);

/* The text form "MOUNT_ID:HEX": MOUNT_ID in decimal, HEX the whole struct
 * file_handle in memory order (handle_bytes u32, handle_type i32, f_handle),
 * lower-case.  Returns a malloc'd string. */
char *tn_fhandle_format(const struct tn_fhandle *h);

/* Parse the text form.  A pure function (no syscalls, no globals; a fuzz
 * target): on error returns -EINVAL (or -ENOMEM) and writes a sentence
 * naming the problem to why; on success 0 and h->fh is allocated.  unique is set from the id's range
 * (unique ids start at 2^31). */
int tn_fhandle_parse(const char *text, struct tn_fhandle *h, char *why, size_t whylen);

/* open_by_handle_at(2) relative to mount_fd.  Returns an fd or -errno. */
int tn_open_by_handle(int mount_fd, const struct tn_fhandle *h, int flags);

#endif
