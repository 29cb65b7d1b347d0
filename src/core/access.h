/* access.h - would these credentials get through?  Each probe is checked by
 * the kernel under exactly the credentials given, in a process of its own:
 * tn_access_probe_as() switches the calling task's credentials for good,
 * so it is called in a forked child only, never in a thread (glibc's
 * set*id wrappers signal every thread; the raw calls change one task).
 * Nothing here prints or exits; errors are -errno. */
#ifndef TNOS_ACCESS_H
#define TNOS_ACCESS_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct tn_cred {
	uid_t uid;
	gid_t gid;
	const gid_t *groups;	/* the supplementary groups, exactly */
	size_t ngroups;
};

/* One check: open path (relative to dfd, under the RESOLVE_* flags
 * resolve) with O_PATH, then faccessat2(fd, "", mode, AT_EACCESS |
 * AT_EMPTY_PATH): the lookup itself needs search permission on every
 * directory it walks, symlink targets included, and the resolve rules
 * hold; mode 0 (F_OK) asks only that it can be reached. */
struct tn_access_probe {
	int dfd;
	const char *path;
	int mode;		/* R_OK | W_OK | X_OK, or F_OK */
	uint64_t resolve;
	bool dir;		/* a component on the way: must be a directory */
};

/* What the child writes to its pipe: this header, then one int32 per probe
 * (0 allowed, else the errno). */
enum { TN_CRED_OK, TN_CRED_SETGROUPS, TN_CRED_SETRESGID, TN_CRED_SETRESUID };
struct tn_access_hdr {
	int32_t stage;		/* TN_CRED_*: the call that failed, or TN_CRED_OK */
	int32_t err;		/* its errno */
};

/* In a forked child: switch to c (setgroups, setresgid, setresuid: real,
 * effective and saved ids alike, so no capability is left unless c is
 * root), run the probes in order and write the header and results to wfd.
 * Allocates nothing (the parent may have had other threads).  Returns 0,
 * or -errno when the credentials could not be switched (written too) or
 * the pipe failed. */
int tn_access_probe_as(const struct tn_cred *c, const struct tn_access_probe *p, size_t n, int wfd);

#endif
