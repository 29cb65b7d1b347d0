/* mkmounts.c - make N bind mounts of SRC on DIR/0 .. DIR/N-1 quickly (the
 * benchmark's fixture; mount(8) would take minutes for 50,000). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: mkmounts N SRC DIR\n");
		return 2;
	}
	long n = atol(argv[1]);
	char path[4096];
	for (long i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%ld", argv[3], i);
		if (mkdir(path, 0755) && errno != EEXIST) {
			perror(path);
			return 1;
		}
		if (mount(argv[2], path, NULL, MS_BIND, NULL)) {
			perror(path);
			return 1;
		}
	}
	return 0;
}
