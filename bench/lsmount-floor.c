/* lsmount-floor.c - the floor for listing mounts: listmount(2) in pages of
 * 4096 ids, then one statmount(2) per id asking for what `lsmount -l`'s
 * default columns need (TARGET SOURCE FSTYPE ATTR OPTIONS), printing the
 * mount point.  `lsmount-floor stat PATH` is the floor for `statmount PATH`:
 * statx(STATX_MNT_ID_UNIQUE) and one statmount of every field.  Nothing else:
 * no escaping, no table, no options.
 * Build: cc -O2 -I../src/core -o floor-lsmount lsmount-floor.c */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "uapi.h"

static char buf[1 << 16];

static int stmnt(uint64_t id, uint64_t mask)
{
	struct tn_mnt_id_req req = { .size = MNT_ID_REQ_SIZE_VER1, .mnt_id = id, .param = mask };
	return syscall(__NR_statmount, &req, buf, sizeof(buf), 0);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "stat")) {
		struct statx stx;
		if (statx(AT_FDCWD, argv[2], 0, TN_STATX_MNT_ID_UNIQUE, &stx)) {
			perror("statx");
			return 1;
		}
		if (stmnt(stx.stx_mnt_id, 0x7fff)) {	/* every field, sb-basic .. mnt-gidmap */
			perror("statmount");
			return 1;
		}
		const struct tn_statmount *sm = (const void *)buf;
		printf("%s\n", sm->str + sm->mnt_point);
		return 0;
	}
	static uint64_t ids[4096];
	uint64_t last = 0, mask = STATMOUNT_MNT_BASIC | STATMOUNT_SB_BASIC | STATMOUNT_MNT_POINT |
				  STATMOUNT_FS_TYPE | STATMOUNT_SB_SOURCE | STATMOUNT_MNT_OPTS;
	for (;;) {
		struct tn_mnt_id_req req = { .size = MNT_ID_REQ_SIZE_VER1, .mnt_id = LSMT_ROOT, .param = last };
		long n = syscall(__NR_listmount, &req, ids, 4096, 0);
		if (n < 0) {
			perror("listmount");
			return 1;
		}
		for (long i = 0; i < n; i++) {
			if (stmnt(ids[i], mask)) {
				if (errno == ENOENT)
					continue;	/* gone since listmount */
				perror("statmount");
				return 1;
			}
			const struct tn_statmount *sm = (const void *)buf;
			fputs(sm->str + sm->mnt_point, stdout);
			putchar('\n');
		}
		if (n < 4096)
			break;
		last = ids[n - 1];
	}
	return 0;
}
