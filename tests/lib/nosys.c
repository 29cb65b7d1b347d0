/* nosys.c - run a command as if the kernel lacked some syscalls: a seccomp
 * filter makes each named syscall fail with ENOSYS, as on an older kernel;
 * NAME=ERRNO (a number) makes it fail with that errno instead; ioctl:REQ
 * (REQ a number, 0x... allowed) fails only the ioctls of that request, as
 * on a kernel that does not know it (ioctl:0xff03=25: ENOTTY).
 * Usage: nosys NAME[=ERRNO][,NAME...] CMD [ARGS...]   (test helper)
 * The numbers are the ones tnos calls: the system's headers, else the
 * fallbacks of src/core/uapi.h (which refuse to guess on alpha and mips). */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../src/core/uapi.h"

static const struct { const char *name; int nr; } tab[] = {
	{ "open_tree", __NR_open_tree }, { "move_mount", __NR_move_mount },
	{ "fsopen", __NR_fsopen }, { "fsconfig", __NR_fsconfig }, { "fsmount", __NR_fsmount },
	{ "fspick", __NR_fspick }, { "openat2", __NR_openat2 },
	{ "mount_setattr", __NR_mount_setattr }, { "statmount", __NR_statmount },
	{ "listmount", __NR_listmount }, { "statx", SYS_statx },
	{ "name_to_handle_at", SYS_name_to_handle_at }, { "open_by_handle_at", SYS_open_by_handle_at },
	{ "fgetxattr", SYS_fgetxattr }, { "faccessat2", SYS_faccessat2 },
	{ "fanotify_init", SYS_fanotify_init }, { "fanotify_mark", SYS_fanotify_mark },
	{ "pidfd_open", __NR_pidfd_open }, { "pidfd_getfd", __NR_pidfd_getfd },
	{ "unshare", SYS_unshare }, { "ioctl", SYS_ioctl },
#ifdef __NR_open_tree_attr
	{ "open_tree_attr", __NR_open_tree_attr },
#endif
};

int main(int argc, char **argv)
{
	struct sock_filter f[256];
	int n = 0, nrs[32], errs[32], k = 0;
	long reqs[32];	/* ioctl:REQ: the request, else -1 */

	if (argc < 3) {
		fprintf(stderr, "usage: nosys NAME[,NAME...] CMD [ARGS...]\n");
		return 2;
	}
	for (char *s = strtok(argv[1], ","); s; s = strtok(NULL, ",")) {
		char *eq = strchr(s, '=');
		int err = ENOSYS;
		if (eq) {
			*eq = 0;
			err = atoi(eq + 1);
			if (err <= 0 || err > 4095) {
				fprintf(stderr, "nosys: bad errno %s\n", eq + 1);
				return 2;
			}
		}
		reqs[k] = -1;
		char *colon = strchr(s, ':');
		if (colon) {
			char *end;
			*colon = 0;
			reqs[k] = strtol(colon + 1, &end, 0);
			if (strcmp(s, "ioctl") || *end || reqs[k] < 0 || reqs[k] > 0xffffffffL) {
				fprintf(stderr, "nosys: only ioctl:REQ takes a number\n");
				return 2;
			}
		}
		size_t i;
		for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
			if (!strcmp(tab[i].name, s))
				break;
		if (i == sizeof(tab) / sizeof(tab[0]) || k == 32) {
			fprintf(stderr, "nosys: unknown syscall %s\n", s);
			return 2;
		}
		errs[k] = err;
		nrs[k++] = tab[i].nr;
	}
	/* the low 32 bits of args[1] (an ioctl's request is an unsigned int) */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const unsigned arg1 = offsetof(struct seccomp_data, args) + 8;
#else
	const unsigned arg1 = offsetof(struct seccomp_data, args) + 12;
#endif
	for (int i = 0; i < k; i++) {
		f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
		if (reqs[i] < 0) {
			f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nrs[i], 0, 1);
		} else {
			f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nrs[i], 0, 3);
			f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arg1);
			f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)reqs[i], 0, 1);
		}
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (unsigned)errs[i]);
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { .len = n, .filter = f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		perror("nosys: seccomp");
		return 1;
	}
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
