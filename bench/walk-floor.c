/* walk-floor.c - the floors of a safe walk, depth-first, printing each path.
 * Nothing else: no type re-checks, no escaping, no options.
 *   walk-floor DIR      per entry exactly readdir + openat2(RESOLVE_NO_XDEV|
 *                       RESOLVE_NO_SYMLINKS) + statx(AT_EMPTY_PATH) + close
 *                       (the fd mode's floor)
 *   walk-floor -s DIR   readdir + statx by name (AT_SYMLINK_NOFOLLOW); only
 *                       directories opened (openat2) and statx'd through the
 *                       fd (the stat mode's floor)
 * Build: cc -O2 -o walk-floor walk-floor.c
 * Usage: walk-floor [-s] DIR >/dev/null */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static char path[65536];
static int by_name;

static int open2(int dfd, const char *name, int flags)
{
	struct open_how how = { .flags = flags | O_NOFOLLOW | O_CLOEXEC,
				.resolve = RESOLVE_NO_XDEV | RESOLVE_NO_SYMLINKS };
	return syscall(SYS_openat2, dfd, name, &how, sizeof(how));
}

static void walk(int dfd, size_t plen)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;
	if (!d) {
		close(dfd);
		return;
	}
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		if (n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2])))
			continue;
		if (de->d_type == DT_LNK)
			continue;
		int isdir = de->d_type == DT_DIR;
		struct statx st;
		int fd = -1;
		if (by_name && !isdir) {
			if (statx(dirfd(d), n, AT_SYMLINK_NOFOLLOW,
				  STATX_BASIC_STATS | STATX_BTIME | 0x4000U /* MNT_ID_UNIQUE */, &st) < 0)
				continue;
		} else {
			fd = open2(dirfd(d), n, isdir ? O_RDONLY | O_DIRECTORY :
				   (de->d_type == DT_REG ? O_RDONLY | O_NOATIME | O_NONBLOCK : O_PATH));
			if (fd < 0)
				continue;
			if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW,
				  STATX_BASIC_STATS | STATX_BTIME | 0x4000U /* MNT_ID_UNIQUE */, &st) < 0) {
				close(fd);
				continue;
			}
		}
		size_t nl = strlen(n);
		path[plen] = '/';
		memcpy(path + plen + 1, n, nl + 1);
		fwrite_unlocked(path, 1, plen + 1 + nl, stdout);
		putc_unlocked('\n', stdout);
		if (isdir)
			walk(fd, plen + 1 + nl);	/* takes the fd */
		else if (fd >= 0)
			close(fd);
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "-s")) {
		by_name = 1;
		argv++;
		argc--;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: walk-floor [-s] DIR\n");
		return 2;
	}
	size_t l = strlen(argv[1]);
	if (l >= sizeof(path) / 2)
		return 2;
	memcpy(path, argv[1], l + 1);
	int fd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	static char obuf[65536];
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	walk(fd, l);
	return fflush(stdout) ? 1 : 0;
}
