/* watch-lat.c - the latency of a mount event: from mount(2) returning to
 * the event's line reaching a pipe (bench/watch.sh).
 *
 *   watch-lat N DIR floor          the bare kernel: a fanotify FAN_REPORT_MNT
 *                                  group read here, no process in between
 *   watch-lat N DIR CMD [ARGS...]  CMD's stdout is a pipe read here; CMD
 *                                  prints one line per mount and one per
 *                                  unmount (tnos lsmount --watch, findmnt --poll)
 *
 * N times: mount a tmpfs on DIR/x, time until one line (one event) has
 * arrived, unmount it and wait for that line too (not timed).  Prints the
 * median and the 99th percentile in microseconds.  Run in a private mount
 * namespace, as root. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef FAN_REPORT_MNT
#define FAN_REPORT_MNT 0x00004000
#endif
#ifndef FAN_MARK_MNTNS
#define FAN_MARK_MNTNS 0x00000110
#endif
#ifndef FAN_MNT_ATTACH
#define FAN_MNT_ATTACH 0x01000000
#define FAN_MNT_DETACH 0x02000000
#endif

static int in_fd;		/* the pipe from CMD, or the fanotify group */
static int floor_mode;
static char carry[1 << 16];
static size_t ncarry;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* Wait for one event: a line from CMD, or one fanotify read.  0, or -1
 * after timeout_ms with nothing. */
static int one_event(int timeout_ms)
{
	for (;;) {
		if (!floor_mode) {
			char *nl = memchr(carry, '\n', ncarry);
			if (nl) {
				size_t used = (size_t)(nl - carry) + 1;
				memmove(carry, nl + 1, ncarry - used);
				ncarry -= used;
				return 0;
			}
		}
		struct pollfd p = { .fd = in_fd, .events = POLLIN };
		int k = poll(&p, 1, timeout_ms);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		if (floor_mode) {
			char buf[4096];
			if (read(in_fd, buf, sizeof(buf)) <= 0)
				die("read fanotify");
			return 0;
		}
		if (ncarry == sizeof(carry))
			ncarry = 0;
		ssize_t n = read(in_fd, carry + ncarry, sizeof(carry) - ncarry);
		if (n <= 0) {
			fprintf(stderr, "watch-lat: the command ended\n");
			exit(1);
		}
		ncarry += (size_t)n;
	}
}

static void drain(void)
{
	while (one_event(300) == 0)
		;
	ncarry = 0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: watch-lat N DIR floor|CMD [ARGS...]\n");
		return 2;
	}
	int n = atoi(argv[1]);
	char target[4096];
	snprintf(target, sizeof(target), "%s/x", argv[2]);
	mkdir(target, 0755);
	pid_t pid = 0;

	floor_mode = !strcmp(argv[3], "floor");
	if (floor_mode) {
		in_fd = fanotify_init(FAN_REPORT_MNT | FAN_CLOEXEC | FAN_NONBLOCK, 0);
		int ns = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
		if (in_fd < 0 || ns < 0 ||
		    fanotify_mark(in_fd, FAN_MARK_ADD | FAN_MARK_MNTNS, FAN_MNT_ATTACH | FAN_MNT_DETACH, ns, NULL))
			die("fanotify");
	} else {
		int p[2];
		if (pipe(p))
			die("pipe");
		pid = fork();
		if (pid < 0)
			die("fork");
		if (!pid) {
			dup2(p[1], 1);
			close(p[0]);
			close(p[1]);
			execvp(argv[3], argv + 3);
			die(argv[3]);
		}
		close(p[1]);
		in_fd = p[0];
		/* its start (a listing, for tnos), then one mount it must report */
		usleep(300000);
		drain();
		for (int tries = 0;; tries++) {
			if (mount("warmup", target, "tmpfs", 0, NULL))
				die("mount");
			int seen = one_event(2000) == 0;
			if (umount(target))
				die("umount");
			if (seen && one_event(2000) == 0)
				break;
			if (tries == 5) {
				fprintf(stderr, "watch-lat: %s reports no mount\n", argv[3]);
				return 1;
			}
			drain();
		}
	}
	double *lat = malloc((size_t)n * sizeof(*lat));
	for (int i = 0; i < n; i++) {
		if (mount("lat", target, "tmpfs", 0, NULL))
			die("mount");
		double t0 = now_us();
		if (one_event(5000)) {
			fprintf(stderr, "watch-lat: no event for mount %d\n", i);
			return 1;
		}
		lat[i] = now_us() - t0;
		if (umount(target))
			die("umount");
		if (one_event(5000)) {
			fprintf(stderr, "watch-lat: no event for umount %d\n", i);
			return 1;
		}
	}
	qsort(lat, (size_t)n, sizeof(*lat), cmp);
	printf("%.1f %.1f\n", lat[n / 2], lat[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1]);
	if (pid) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
	}
	return 0;
}
